"""Bad input fails at call time with a message that names the argument and what is allowed.

The bad values are generated from the registry: every ``Param`` with an ``Interval`` gets a
non-finite and an out-of-range value from its own bounds, every choice parameter a value
outside its choices. Under ``jit`` the same parameters may be traced: no Python-side check
may break tracing.
"""

from __future__ import annotations

import importlib
import inspect
import math
import re

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from _activation_cases import ALL, ROW, VECTOR, call, ids, out_row, sample

import jaxact

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
    first = next(iter(inspect.signature(spec.fn).parameters))  # x, or a as jax.nn names it
    with pytest.raises(TypeError, match=rf"^{spec.name}: .*'{first}'"):
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


def _typical(p) -> float:
    """The default, or for an option that is off by default (``None``: relu's max_value,
    softplus's threshold) its last plotted value, else 1."""
    if p.default is not None:
        return p.default
    return p.plot_values[-1] if p.plot_values else 1.0


@pytest.mark.parametrize("case", REAL_PARAMS, ids=[_param_id(c) for c in REAL_PARAMS])
def test_out_of_range_parameter_names_itself_and_the_range(case):
    spec, p = case
    x = _x(spec)
    bad = _bad_values(p.valid)
    assert any(math.isnan(v) for v in bad) and any(math.isinf(v) for v in bad)
    allowed = re.escape(p.valid.describe())
    for v in bad:
        for value in (v, np.array([_typical(p), v])):
            with pytest.raises(ValueError, match=rf"'{p.name}'.*{allowed}"):
                call(spec, **{p.name: value})(x)
    for v in _good_values(p.valid, _typical(p)):
        y = call(spec, **{p.name: v})(x)
        assert not np.any(np.isnan(np.asarray(y))), (p.name, v)


@pytest.mark.parametrize("case", REAL_PARAMS, ids=[_param_id(c) for c in REAL_PARAMS])
def test_non_numeric_parameter_is_a_type_error_naming_it(case):
    spec, p = case
    # (None is an option's "off" where it is the default: relu's max_value.)
    for bad in ("0.5", *[None] * (p.default is not None), object()):
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
    # A 0-d input has no axis to act on: the message says so, not "allowed: 0 ... -1".
    with pytest.raises(ValueError, match="0-d") as e:
        call(spec)(jnp.float32(1.0))
    assert "0-d" in str(e.value) and "at least one dimension" in str(e.value)
    assert "allowed" not in str(e.value)


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
        a = jnp.float64(_typical(p))

        def f(x, a):
            # Weighted, not a plain sum: a normaliser's outputs sum to 1 whatever α (entmax's
            # α-derivative dropped still passed with a plain sum).
            y = call(spec, **{p.name: a})(x)
            return jnp.sum(y * jnp.linspace(1.0, 2.0, y.size).reshape(y.shape))

        # f compiled once for every parameter value below, instead of each of its operations
        # on its own by an eager call; an array parameter takes the same path either way.
        jf = jax.jit(f)

        value, grad = jax.jit(jax.value_and_grad(f, argnums=1))(x, a)
        np.testing.assert_allclose(float(value), float(jf(x, a)), rtol=1e-15)
        # The derivative with respect to the parameter (jax.nn's elu/celu/squareplus have it).
        h = 1e-6 * max(1.0, abs(float(a)))
        if float(a) - h in p.valid:
            fd = (float(jf(x, a + h)) - float(jf(x, a - h))) / (2 * h)
        else:  # a default on the closed end of its interval (relu's negative_slope = 0)
            fd = (float(jf(x, a + h)) - float(jf(x, a))) / h
        np.testing.assert_allclose(float(grad), fd, rtol=1e-6, atol=1e-9)
        # A traced value is not range-checked (it has no value yet): no error at trace time.
        bad = _bad_values(p.valid)[0]
        jf(x, jnp.float64(bad))
        # vmap over the parameter is the same as a loop.
        several = jnp.asarray(_good_values(p.valid, _typical(p)), jnp.float64)
        mapped = jax.jit(jax.vmap(f, in_axes=(None, 0)))(x, several)
        np.testing.assert_allclose(
            np.asarray(mapped), [float(jf(x, v)) for v in several], rtol=1e-15
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


# -- every error names the argument and what is allowed -----------------


@pytest.mark.parametrize("case", REAL_PARAMS, ids=[_param_id(c) for c in REAL_PARAMS])
def test_list_or_misshaped_parameter_names_itself(case):
    spec, p = case
    x = jnp.ones((2, 3) if spec.elementwise else (2, ROW))
    allowed = re.escape(p.valid.describe())
    for bad in ([_typical(p), _typical(p)], (_typical(p),)):
        with pytest.raises(TypeError, match=rf"^{spec.name}: parameter '{p.name}' .*{allowed}"):
            call(spec, **{p.name: bad})(x)
    shape = (5,)
    with pytest.raises(ValueError, match=rf"'{p.name}' of shape \(5,\).*x of shape"):
        call(spec, **{p.name: jnp.full(shape, _typical(p))})(x)
    # Broadcastable arrays stay accepted (per-column parameters, as jax.nn).
    y = call(spec, **{p.name: jnp.full(x.shape[-1:], _typical(p))})(x)
    assert not np.any(np.isnan(np.asarray(y)))


MASKED = [s for s in VECTOR if "where" in inspect.signature(s.fn).parameters]


@pytest.mark.parametrize("spec", MASKED, ids=ids(MASKED))
def test_bad_where_names_where_and_what_it_must_be(spec):
    x = _x(spec)
    for bad in (1.0, "mask", [True, False, True, True], jnp.ones(x.shape, jnp.float32)):
        with pytest.raises(TypeError, match=rf"^{spec.name}: 'where' must be .*boolean array"):
            call(spec, where=bad)(x)
    for shape in ((3,), (2, ROW, 2)):
        with pytest.raises(ValueError, match=rf"^{spec.name}: 'where' of shape .*boolean array"):
            call(spec, where=jnp.ones(shape, bool))(x)
    # What is allowed: a boolean array that broadcasts, or a Python bool.
    for good in (jnp.ones(x.shape[-1:], bool), jnp.ones(x.shape, bool), True):
        np.testing.assert_array_equal(
            np.asarray(call(spec, where=good)(x)), np.asarray(call(spec)(x))
        )


def test_maxout_takes_numpy_integers():
    x = jnp.arange(6.0)
    for k in (np.int32(2), np.int64(2), np.uint8(2)):
        np.testing.assert_array_equal(np.asarray(jaxact.maxout(x, k)), [1.0, 3.0, 5.0])
    with pytest.raises(
        ValueError, match=r"'num_pieces' must be an integer >= 1.*got np.int32\(0\)"
    ):
        jaxact.maxout(x, np.int32(0))


def test_python_int_too_large_says_so():
    for spec in ALL:
        first = next(iter(inspect.signature(spec.fn).parameters))  # x, or a as jax.nn names it
        with pytest.raises(TypeError, match=rf"^{spec.name}: argument '{first}' is a Python int"):
            call(spec)(10**30)
    with pytest.raises(TypeError, match=r"relu: argument 'x' .* int32.*x64 is disabled"):
        jaxact.relu(2**40)
    with jax.enable_x64(True):
        assert float(jaxact.relu(2**62)) == 2.0**62  # (a 64-bit int is fine then)
        with pytest.raises(TypeError, match=r"too large for int64.*pass it as a float \(1e\+30"):
            jaxact.relu(10**30)


def test_get_reads_spaces_and_hyphens_as_underscores():
    spec = jaxact.get("leaky_relu")
    for name in ("leaky relu", "Leaky ReLU", " leaky-relu ", "LEAKY_RELU", "leaky - relu"):
        assert jaxact.get(name) is spec, name
    assert jaxact.get("hard swish") is jaxact.get("hard_silu")


def test_get_accepts_a_registered_spec_and_keeps_messages_short():
    spec = jaxact.get("relu")
    assert jaxact.get(spec) is spec
    other = jaxact.ActivationSpec(**{**spec.__dict__, "display_name": "copy"})
    with pytest.raises(ValueError, match="not the registered one") as info:
        jaxact.get(other)
    assert len(str(info.value)) < 200
    with pytest.raises(ValueError, match=r"Unknown activation name 'aaa.*\(10002 chars\)") as info:
        jaxact.get("a" * 10_000)
    assert len(str(info.value)) < 1000
    with pytest.raises(ValueError, match="not a registered jaxact activation") as info:
        jaxact.get(type("F", (), {"__call__": lambda self: 0, "__repr__": lambda s: "r" * 5000})())
    assert len(str(info.value)) < 200


@pytest.mark.parametrize("library", ["flax", "equinox"])
def test_layer_constructors_name_the_bad_argument(library):
    layers = importlib.import_module(f"jaxact.{library}")
    for bad in ("a", None, [1, "b"], 1 + 2j):
        with pytest.raises(TypeError, match=r"^PReLU: init must be a real number"):
            layers.PReLU(init=bad)
        with pytest.raises(TypeError, match=r"^Swish: beta_init must be a real number"):
            layers.Swish(beta_init=bad)
    with pytest.raises(ValueError, match=r"^PReLU: init must be finite"):
        layers.PReLU(init=math.nan)
    # Parameters of Activation are checked when it is built, not at the first call.
    with pytest.raises(ValueError, match=r"Activation\('elu'\): parameter 'alpha' must lie in"):
        layers.Activation("elu", alpha=-1)
    with pytest.raises(ValueError, match=r"'approximate' must be one of True, False"):
        layers.Activation("gelu", approximate="yes")
    with pytest.raises(TypeError, match=r"'prelu' needs the parameter\(s\) 'alpha'.*PReLU layer"):
        layers.Activation("prelu")
    with pytest.raises(TypeError, match=r"'maxout' needs the parameter\(s\) 'num_pieces'"):
        layers.Activation("maxout")
    # What is allowed still builds and runs.
    x = jnp.array([-2.0, 0.5, 3.0, -1.0])
    np.testing.assert_allclose(
        np.asarray(layers.Activation("leaky relu", negative_slope=0.2)(x)), [-0.4, 0.5, 3, -0.2]
    )
    np.testing.assert_allclose(np.asarray(layers.Activation("prelu", alpha=0.5)(x))[0], -1.0)
    assert layers.PReLU(init=np.float32(0.1)) is not None


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: jaxact.maxout(jnp.ones(5), 2), "num_pieces"),
        (lambda: jaxact.maxout(jnp.ones(4), 0), "num_pieces"),
        (lambda: jaxact.glu(jnp.ones(5)), "even"),
        (lambda: jaxact.swiglu(jnp.ones((2, 3)), axis=1), "even"),
        (lambda: jaxact.softmax(jnp.ones(3), axis=1), "axis"),
        (lambda: jaxact.sparsemax(jnp.ones(3), axis=-2), "axis"),
        (lambda: jaxact.silu(jnp.ones(3), beta=float("nan")), "beta"),
        (lambda: jaxact.gelu(jnp.ones(3), approximate="tanh"), "approximate"),
    ],
)
def test_bad_arguments_are_named(call, match):
    with pytest.raises(ValueError, match=match):
        call()
