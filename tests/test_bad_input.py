"""Bad input fails at call time with a message that names the argument and what is allowed.

The bad values are generated from the registry: every ``Param`` with an ``Interval`` gets a
non-finite and an out-of-range value from its own bounds, every choice parameter a value
outside its choices. Under ``jit`` the same parameters may be traced: no Python-side check
may break tracing.
"""

from __future__ import annotations

import math
import re

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from _activation_cases import ROW, VECTOR, call, ids, out_row, sample

import jaxact
from conftest import ALL

REAL_PARAMS = [(s, p) for s in ALL for p in s.params if isinstance(p.valid, jaxact.Interval)]
CHOICE_PARAMS = [(s, p) for s in ALL for p in s.params if isinstance(p.valid, tuple)]


def _param_id(case) -> str:
    spec, p = case
    return f"{spec.name}.{p.name}"


def _x(spec):
    return sample((2, ROW), seed=7)


# -- non-numeric input -----------------------------------------------------------------------

NON_NUMERIC = ["1.0", b"1.0", None, object(), ["a", "b"], {"x": 1.0}, 1 + 2j]


@pytest.mark.parametrize("spec", ALL, ids=ids(ALL))
@pytest.mark.parametrize("bad", NON_NUMERIC, ids=lambda b: type(b).__name__)
def test_non_numeric_input_is_a_type_error_naming_x(spec, bad):
    with pytest.raises(TypeError, match=rf"^{spec.name}: .*'x'"):
        call(spec)(bad)


# -- real parameters: generated from their Interval -------------------------------------------


def _bad_values(valid: jaxact.Interval) -> list[float]:
    candidates = [math.nan, math.inf, -math.inf]
    for end, open_, step in ((valid.lo, valid.lo_open, -1.0), (valid.hi, valid.hi_open, 1.0)):
        if math.isfinite(end):
            candidates.append(end + step)
            if open_:
                candidates.append(end)
    return [v for v in candidates if v not in valid]


def _good_values(valid: jaxact.Interval, default) -> list[float]:
    ends = [e for e, o in ((valid.lo, valid.lo_open), (valid.hi, valid.hi_open)) if not o]
    return [*ends, float(default)]


@pytest.mark.parametrize("case", REAL_PARAMS, ids=[_param_id(c) for c in REAL_PARAMS])
def test_out_of_range_parameter_names_itself_and_the_range(case):
    spec, p = case
    x = _x(spec)
    bad = _bad_values(p.valid)
    assert any(math.isnan(v) for v in bad) and any(math.isinf(v) for v in bad)
    allowed = re.escape(p.valid.describe())
    for v in bad:
        for value in (v, np.array([p.default, v])):
            with pytest.raises(ValueError, match=rf"'{p.name}'.*{allowed}"):
                call(spec, **{p.name: value})(x)
    for v in _good_values(p.valid, p.default):
        y = call(spec, **{p.name: v})(x)
        assert not np.any(np.isnan(np.asarray(y))), (p.name, v)


@pytest.mark.parametrize("case", REAL_PARAMS, ids=[_param_id(c) for c in REAL_PARAMS])
def test_non_numeric_parameter_is_a_type_error_naming_it(case):
    spec, p = case
    for bad in ("0.5", None, object()):
        with pytest.raises(TypeError, match=rf"'{p.name}'"):
            call(spec, **{p.name: bad})(_x(spec))


@pytest.mark.parametrize("case", CHOICE_PARAMS, ids=[_param_id(c) for c in CHOICE_PARAMS])
def test_choice_parameter_lists_the_allowed_values(case):
    spec, p = case
    listed = ".*".join(re.escape(repr(v)) for v in p.valid)
    for bad in ("tanh", "none", 2, None, jnp.array([True, False])):
        with pytest.raises(ValueError, match=rf"'{p.name}'.*{listed}"):
            call(spec, **{p.name: bad})(_x(spec))


# -- axes and shapes of the vector-valued functions ------------------------------------------


@pytest.mark.parametrize("spec", VECTOR, ids=ids(VECTOR))
def test_bad_axis(spec):
    x = _x(spec)
    for axis in (x.ndim, -x.ndim - 1, 7):
        with pytest.raises(ValueError, match=rf"axis={axis}.*out of range.*{x.shape}"):
            call(spec, axis=axis)(x)
    for axis in (1.0, "0", [0]):
        with pytest.raises(TypeError, match="axis"):
            call(spec, axis=axis)(x)
    # A 0-d input has no axis to act on.
    with pytest.raises(ValueError, match="axis"):
        call(spec)(jnp.float32(1.0))


HALVING = [s for s in VECTOR if out_row(s) * 2 == ROW and "num_pieces" not in s.defaults()]
GROUPING = [s for s in VECTOR if "num_pieces" in s.defaults()]


@pytest.mark.parametrize("spec", HALVING, ids=ids(HALVING))
def test_odd_split_axis(spec):
    for shape, axis in (((5,), -1), ((3, 4), 0), ((2, 7, 4), 1)):
        with pytest.raises(ValueError, match=rf"axis {axis % len(shape)} \({shape[axis]}\).*even"):
            call(spec, axis=axis)(jnp.ones(shape))


@pytest.mark.parametrize("spec", GROUPING, ids=ids(GROUPING))
def test_maxout_pieces_must_divide_the_axis(spec):
    with pytest.raises(ValueError, match=r"axis 1 \(5\).*divisible by num_pieces=2"):
        call(spec, axis=1)(jnp.ones((3, 5)))
    with pytest.raises(ValueError, match=r"\(6\).*divisible by num_pieces=4"):
        call(spec, num_pieces=4)(jnp.ones(6))
    for bad in (0, -2, 1.5, True, "2", None):
        with pytest.raises(ValueError, match="'num_pieces' must be an integer >= 1"):
            call(spec, num_pieces=bad)(jnp.ones(6))


# -- the registry ------------------------------------------------------------------------------


@pytest.mark.parametrize("spec", ALL, ids=ids(ALL))
def test_unknown_names_suggest_the_close_ones(spec):
    for typo in (spec.name + "x", spec.name[:-1] + spec.name[-1].upper() + "_"):
        with pytest.raises(ValueError, match=r"Unknown activation name.*Did you mean") as info:
            jaxact.get(typo)
        suggested = re.search(r"Did you mean (.*?)\?", str(info.value)).group(1)
        assert any(repr(n) in suggested for n in spec.all_names), (typo, suggested)


def test_registry_lookup_of_other_things():
    with pytest.raises(ValueError, match="Unknown activation name 'no_such_thing'"):
        jaxact.get("no_such_thing")
    with pytest.raises(ValueError, match="not a registered jaxact activation"):
        jaxact.get(jax.nn.relu)
    for bad in (3, None, 1.5):
        with pytest.raises(TypeError, match="name_or_fn must be a str"):
            jaxact.get(bad)


# -- traced parameters ----------------------------------------------------------------------


@pytest.mark.parametrize("case", REAL_PARAMS, ids=[_param_id(c) for c in REAL_PARAMS])
def test_traced_parameter_under_jit_and_grad(case):
    spec, p = case
    with jax.enable_x64(True):
        x = jnp.asarray(spec.example_input, jnp.float64) + 0.37
        a = jnp.float64(p.default)
        f = lambda x, a: jnp.sum(call(spec, **{p.name: a})(x))  # noqa: E731

        value, grad = jax.jit(jax.value_and_grad(f, argnums=1))(x, a)
        np.testing.assert_allclose(float(value), float(f(x, a)), rtol=1e-15)
        # The derivative with respect to the parameter (jax.nn's elu/celu/squareplus have it).
        h = 1e-6 * max(1.0, abs(float(a)))
        fd = (float(f(x, a + h)) - float(f(x, a - h))) / (2 * h)
        np.testing.assert_allclose(float(grad), fd, rtol=1e-6, atol=1e-9)
        # A traced value is not range-checked (it has no value yet): no error at trace time.
        bad = _bad_values(p.valid)[0]
        jax.jit(f)(x, jnp.float64(bad))
        # vmap over the parameter is the same as a loop.
        several = jnp.asarray(_good_values(p.valid, p.default), jnp.float64)
        mapped = jax.vmap(f, in_axes=(None, 0))(x, several)
        np.testing.assert_allclose(
            np.asarray(mapped), [float(f(x, v)) for v in several], rtol=1e-15
        )


@pytest.mark.parametrize("case", CHOICE_PARAMS, ids=[_param_id(c) for c in CHOICE_PARAMS])
def test_traced_choice_parameter_asks_to_be_static(case):
    spec, p = case
    x = _x(spec)
    f = lambda x, v: call(spec, **{p.name: v})(x)  # noqa: E731
    with pytest.raises(TypeError, match=rf"'{p.name}'.*static"):
        jax.jit(f)(x, p.default)
    for v in p.valid:
        np.testing.assert_array_equal(
            np.asarray(jax.jit(f, static_argnums=1)(x, v)), np.asarray(f(x, v))
        )
