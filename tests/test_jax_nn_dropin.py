"""Every function with a jax.nn equivalent is a drop-in for it, only more accurate.

Signature, dtypes (weak types included), broadcasting and the derivative conventions are
compared with jax.nn itself; values on ordinary inputs agree within a few ULP, and where they
do not, ours is the one closer to the mpmath oracle. The second half ports the spirit of
jax's own ``tests/nn_test.py`` (grad at zero, at ±inf and NaN, dtype matches input, masked
softmax, tracing a 10¹²-element array without allocating it), run against jaxact.
"""

from __future__ import annotations

import inspect
import math
import warnings

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from _activation_cases import ALL, JAX_NAMES, ROW, call, ids, reference, rounded, sample
from jax.test_util import check_grads

import jaxact

SHARED = [s for s in ALL if s.equivalents.jax]
SHARED_ELEMENTWISE = [s for s in SHARED if s.elementwise]
SHARED_VECTOR = [s for s in SHARED if not s.elementwise]
REAL_PARAMS = {
    s.name: [
        p
        for p in s.params
        if isinstance(p.valid, jaxact.Interval)
        and p.name in inspect.signature(getattr(jax.nn, JAX_NAMES[s.name])).parameters
    ]
    for s in SHARED
}
WITH_REAL_PARAMS = [s for s in SHARED if REAL_PARAMS[s.name]]


def theirs(spec):
    return getattr(jax.nn, JAX_NAMES[spec.name])


def jax_kwargs(spec) -> dict:
    """Our defaults, restricted to the parameters jax.nn has (silu's beta is ours only)."""
    names = inspect.signature(theirs(spec)).parameters
    return {k: v for k, v in spec.defaults().items() if k in names}


def _ours(spec):
    return lambda x, **kw: spec.fn(x, **{**jax_kwargs(spec), **kw})


def _jax(spec):
    return lambda x, **kw: theirs(spec)(x, **{**jax_kwargs(spec), **kw})


def _input(spec, value):
    """A value shaped for the function: vector functions need a row of length ROW."""
    if spec.elementwise:
        return value
    return jnp.stack([jnp.asarray(value)] * ROW) if np.ndim(value) == 0 else value


# -- signature ---------------------------------------------------------------------------------


@pytest.mark.parametrize("spec", SHARED, ids=ids(SHARED))
def test_signature_accepts_every_jax_nn_call(spec):
    ours = list(inspect.signature(spec.fn).parameters.values())
    jaxs = list(inspect.signature(theirs(spec)).parameters.values())
    assert len(ours) >= len(jaxs)
    for o, j in zip(ours, jaxs, strict=False):
        # Same position, name and default; a positional-only x (jax.nn.tanh is jnp.tanh)
        # is also accepted by a positional-or-keyword one.
        assert o.name == j.name, (o, j)
        assert o.default == j.default, (o, j)
        if j.kind is inspect.Parameter.POSITIONAL_ONLY:
            assert o.kind in (o.POSITIONAL_ONLY, o.POSITIONAL_OR_KEYWORD)
        else:
            assert o.kind == j.kind, (o, j)
    for extra in ours[len(jaxs) :]:
        # Extensions (silu's beta) are optional, so every jax.nn call still works.
        assert extra.default is not inspect.Parameter.empty, extra


# -- dtypes ------------------------------------------------------------------------------------

DTYPE_INPUTS = {
    "float16": lambda: jnp.array([-1.5, 2.0], jnp.float16),
    "bfloat16": lambda: jnp.array([-1.5, 2.0], jnp.bfloat16),
    "float32": lambda: jnp.array([-1.5, 2.0], jnp.float32),
    "float64": lambda: jnp.array([-1.5, 2.0], jnp.float64),
    "weak_float": lambda: jnp.asarray(1.5),
    "python_float": lambda: 1.5,
    "python_int": lambda: 2,
    "numpy_float64": lambda: np.array([-1.5, 2.0]),
    "int32": lambda: jnp.array([-1, 2], jnp.int32),
    "bool": lambda: jnp.array([True, False]),
    "python_bool": lambda: True,
}
FLOAT_KINDS = {"float16", "bfloat16", "float32", "float64", "weak_float", "python_float"}
# jax.nn's own exceptions to jnp's rule "weakly typed in, weakly typed out": these return a
# strongly typed result for a Python float (internal jnp.array constants). We keep the rule.
JAX_NN_DROPS_WEAK_TYPE = {"gelu", "softmax", "log_softmax", "logsumexp"}


def _result(fn, x, quiet: bool = False):
    """(dtype, weak_type) of ``fn(x)``, by tracing only (nothing is compiled); None if
    ``fn`` refuses ``x`` with a TypeError."""
    with warnings.catch_warnings():
        if quiet:
            # jax.nn.log_softmax(int32) casts its -inf initial value to int32 (a NumPy
            # RuntimeWarning); ours must not warn (warnings are errors here).
            warnings.simplefilter("ignore", RuntimeWarning)
        try:
            y = jax.eval_shape(fn, x)
        except TypeError:
            return None
    return jnp.dtype(y.dtype), bool(y.weak_type)


MODES = [(k, x64) for x64 in (False, True) for k in DTYPE_INPUTS if x64 or k != "float64"]


@pytest.mark.parametrize(
    ("kind", "x64"), MODES, ids=[f"{k}-{'x64' if m else 'x32'}" for k, m in MODES]
)
@pytest.mark.parametrize("spec", SHARED, ids=ids(SHARED))
def test_output_dtype_matches_jax_nn(spec, kind, x64):
    with jax.enable_x64(x64):
        x = _input(spec, DTYPE_INPUTS[kind]())
        want = _result(_jax(spec), x, quiet=True)
        got = _result(_ours(spec), x)
        rule = _result(jnp.sin, x)  # jnp's rule for a function of x alone
        if want is None:
            # jax.nn refuses it (sigmoid of an integer array): we accept it, converted to
            # float as jnp's own functions convert it (int32 -> float32 even with x64).
            assert got == rule, (got, rule)
        elif kind in FLOAT_KINDS or kind == "python_int" or not x64:
            assert got[0] == want[0], (got, want)
        else:
            # Integer/boolean arrays with x64: jax.nn's float type is an accident of each
            # formula (jnp.tanh(int32) is float32, jax.nn.elu(int32) float64).
            assert got[0] in (want[0], rule[0]), (got, want, rule)
        if kind in FLOAT_KINDS or kind == "python_int":
            # Weak in, weak out (jnp's rule; jax.nn too, but for JAX_NN_DROPS_WEAK_TYPE).
            assert got[1] == rule[1], ("weak_type", got, rule, want)
            if want is not None and spec.name not in JAX_NN_DROPS_WEAK_TYPE:
                assert got[1] == want[1], ("weak_type", got, want)
        # Traced (above) and eager agree.
        if kind == "python_float":
            y = _ours(spec)(x)
            assert (y.dtype, y.weak_type) == got


@pytest.mark.parametrize("spec", SHARED, ids=ids(SHARED))
def test_integer_input_means_the_float_value(spec):
    # jax's testGeluIntType, for every shared function.
    x = jnp.array([-2, 0, 3, 1], jnp.int32)  # (a row of length ROW for vector functions)
    y = _ours(spec)(x)
    np.testing.assert_array_equal(np.asarray(y), np.asarray(_ours(spec)(x.astype(y.dtype))))


@pytest.mark.parametrize("spec", WITH_REAL_PARAMS, ids=ids(WITH_REAL_PARAMS))
def test_array_parameters_promote_and_broadcast_as_jax_nn(spec):
    for p in REAL_PARAMS[spec.name]:
        for x_dtype, p_dtype in ((jnp.bfloat16, jnp.float32), (jnp.float32, jnp.bfloat16)):
            x = sample((3, 1), x_dtype)
            a = jnp.asarray([p.default, p.default * 0.5 + 0.25, p.default * 2], p_dtype)
            want = _jax(spec)(x, **{p.name: a})
            got = _ours(spec)(x, **{p.name: a})
            assert got.shape == want.shape == (3, 3)
            assert got.dtype == want.dtype, (p.name, x_dtype, p_dtype, got.dtype, want.dtype)
            np.testing.assert_allclose(
                np.asarray(got, np.float32), np.asarray(want, np.float32), rtol=1e-2, atol=1e-6
            )


# -- derivative conventions at the kinks ---------------------------------------------------

SELU_LA = 1.6732632423543772848170429916717 * 1.0507009873554804934193349852946

CONVENTIONS = [
    # CONTRIBUTING.md, conventions table (jax.nn's choices), plus jax's testIdentity.
    ("relu", 0.0, 0.0),
    ("relu6", 0.0, 0.0),
    ("relu6", 6.0, 0.0),
    ("leaky_relu", 0.0, 1.0),
    ("hard_tanh", -1.0, 1.0),
    ("hard_tanh", 1.0, 1.0),
    ("hard_swish", -3.0, 0.0),
    ("hard_swish", 3.0, 1.0),
    ("hard_sigmoid", -3.0, 0.0),
    ("hard_sigmoid", 3.0, 0.0),
    ("sparse_sigmoid", -1.0, 0.25),
    ("sparse_sigmoid", 1.0, 0.25),
    ("selu", 0.0, SELU_LA),
    ("elu", 0.0, 1.0),
    ("identity", 6.0, 1.0),
]


@pytest.mark.parametrize(("name", "x", "expected"), CONVENTIONS)
def test_derivative_convention(name, x, expected):
    ours = jax.grad(jaxact.get(name).fn)(jnp.float32(x))
    jaxs = jax.grad(getattr(jax.nn, name))(jnp.float32(x))
    np.testing.assert_allclose(float(ours), expected, rtol=1e-7)
    np.testing.assert_allclose(float(jaxs), expected, rtol=1e-7)


KINKS = [-6.0, -3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0, 6.0]


@pytest.mark.parametrize("spec", SHARED_ELEMENTWISE, ids=ids(SHARED_ELEMENTWISE))
def test_derivatives_at_kinks_and_limits_match_jax_nn(spec):
    x = jnp.array([*KINKS, -jnp.inf, jnp.inf, jnp.nan], jnp.float32)
    g_ours, g_jax = (
        np.asarray(jax.jit(jax.vmap(jax.grad(f)))(x)) for f in (_ours(spec), _jax(spec))
    )
    n = len(KINKS)
    # jax.nn's tanh' = 1 - tanh^2 is accurate to an ULP of 1 only (tanh'(6) is 0.9 % off).
    np.testing.assert_allclose(g_ours[:n], g_jax[:n], rtol=1e-5, atol=4e-7)
    g_ours, g_jax = g_ours[n:], g_jax[n:]
    # Where jax.nn has a value at ±inf we agree; where it gives NaN (silu, gelu, mish at
    # +inf ...) ours is the limit (test_special_values). At NaN ours is NaN.
    for o, j in zip(g_ours[:2], g_jax[:2], strict=True):
        assert not np.isnan(o)
        if not np.isnan(j):
            assert o == j, (o, j)
    assert np.isnan(g_ours[2]) or spec.name == "identity"


# -- values: within a few ULP of jax.nn, else closer to the truth ----------------------------

GRID = np.concatenate([np.linspace(-10.0, 10.0, 201), [-2.0, 0.0, 2.0, 89.0, 1e3, 1e4]])


def _ulp_error(got: float, want: float) -> float:
    if got == want:
        return 0.0
    scale = max(abs(want), 2.0**-100)
    return abs(got - want) / 2.0 ** (math.floor(math.log2(scale)) - 23)


def _variants(spec):
    out = [{}]
    for p in spec.params:
        if p.name in inspect.signature(theirs(spec)).parameters:
            out += [{p.name: v} for v in p.plot_values if v != p.default]
    return out


@pytest.mark.parametrize("spec", SHARED_ELEMENTWISE, ids=ids(SHARED_ELEMENTWISE))
def test_values_and_derivatives_match_jax_nn_or_the_truth(spec):
    x = jnp.asarray(GRID, jnp.float32)
    xs = np.asarray(x, np.float64)
    for kw in _variants(spec):
        f_ours, f_jax = (lambda v, f=f, kw=kw: f(v, **kw) for f in (_ours(spec), _jax(spec)))
        for derivative in (False, True):
            if derivative:
                f_ours, f_jax = jax.vmap(jax.grad(f_ours)), jax.vmap(jax.grad(f_jax))
            ours = np.asarray(jax.jit(f_ours)(x), np.float64)
            jaxs = np.asarray(jax.jit(f_jax)(x), np.float64)
            for xi, o, j in zip(xs, ours, jaxs, strict=True):
                if _ulp_error(o, j) <= 4:
                    continue
                # They differ: ours must be the accurate one.
                truth = rounded(reference(spec, xi, derivative, **kw), np.float32)
                err_ours, err_jax = _ulp_error(o, truth), _ulp_error(j, truth)
                # (both may be within the 4-ULP target and differ by more than 4 ULP)
                floor_ok = any(abs(xi - c) <= 0.5 for c in spec.critical_points)
                assert err_ours <= max(4, err_jax) or floor_ok, (kw, derivative, xi, o, j, truth)


@pytest.mark.parametrize("spec", SHARED_VECTOR, ids=ids(SHARED_VECTOR))
def test_vector_values_and_gradients_match_jax_nn(spec):
    x = sample((6, 2 * ROW), seed=11)
    np.testing.assert_allclose(
        np.asarray(_ours(spec)(x)), np.asarray(_jax(spec)(x)), rtol=2e-6, atol=1e-7
    )
    np.testing.assert_allclose(
        np.asarray(_ours(spec)(x, axis=0)), np.asarray(_jax(spec)(x, axis=0)), rtol=2e-6, atol=1e-7
    )
    w = sample(_jax(spec)(x).shape, seed=12)
    g = [jax.grad(lambda v, f=f: jnp.sum(f(v) * w))(x) for f in (_ours(spec), _jax(spec))]
    np.testing.assert_allclose(np.asarray(g[0]), np.asarray(g[1]), rtol=1e-5, atol=1e-6)


# -- ported from jax's tests/nn_test.py ------------------------------------------------------


def _check_grads_points(spec, full: bool):
    # Off the kinks to second order; at 0 and 1e-8 to the order of smoothness there (C1:
    # first order; a C1 kink makes a wide difference quotient wrong by eps * the jump of
    # f'', so the step there is 1e-7).
    off = (-2.3, -0.7, 0.4, 1.9) if full else (-0.7, 1.9)
    points = [(p, 2 if full else 1, 1e-4) for p in off]
    at_zero = (0.0, 1e-8) if full else (0.0,)
    if spec.smoothness == "Cinf":
        points += [(p, 2 if full else 1, 1e-4) for p in at_zero]
    elif spec.smoothness == "C1":
        points += [(p, 1, 1e-7) for p in at_zero]
    return points


@pytest.mark.parametrize(
    "full", [False, pytest.param(True, marks=pytest.mark.slow)], ids=["first_order", "full"]
)
@pytest.mark.parametrize("spec", SHARED_ELEMENTWISE, ids=ids(SHARED_ELEMENTWISE))
def test_check_grads_numerically(spec, full):
    # testSoftplusGrad, testReluGrad, testMishGradZero, ...: autodiff vs finite differences,
    # forward and reverse (to second order in the slow run).
    points = _check_grads_points(spec, full)
    with jax.enable_x64(True):
        f = _ours(spec)
        for p, order, eps in points:
            check_grads(f, (jnp.float64(p),), order, ("fwd", "rev"), 1e-6, 1e-6, eps)


@pytest.mark.parametrize("scalar", [int, float, np.int8, np.int32, np.float32])
@pytest.mark.parametrize("spec", SHARED_ELEMENTWISE, ids=ids(SHARED_ELEMENTWISE))
def test_scalar_types_at_zero(spec, scalar):
    # testSoftplusZero, testSquareplusZero, testMishZero: f(dtype(0)) is f(0) rounded,
    # integer types included (testDtypeMatchesInput is test_output_dtype_matches_jax_nn).
    got = _ours(spec)(scalar(0))
    truth = reference(spec, 0.0)
    assert float(got) == rounded(truth, got.dtype)


def test_softmax_and_log_softmax_of_an_empty_array():
    # testSoftmaxEmptyArray
    x = jnp.array([], jnp.float32)
    for name in ("softmax", "log_softmax"):
        np.testing.assert_array_equal(np.asarray(jaxact.get(name).fn(x)), np.asarray(x))


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_masks(name):
    fn = jaxact.get(name).fn
    x = jnp.array([5.5, 1.3, -4.2, 0.9])
    # testSoftmaxEmptyMask
    expected = jnp.full_like(x, 0.0 if name == "softmax" else -jnp.inf)
    np.testing.assert_array_equal(np.asarray(fn(x, where=jnp.zeros_like(x, bool))), expected)
    # testSoftmaxWhereMask
    m = jnp.array([True, False, True, True])
    out = fn(x, where=m)
    np.testing.assert_allclose(np.asarray(out[m]), np.asarray(fn(x[m])), rtol=1e-6)
    probs = out if name == "softmax" else jnp.exp(out)
    np.testing.assert_allclose(float(probs.sum()), 1.0, rtol=1e-6)
    # Broadcast mask, as jax.nn.
    xb = sample((3, ROW), seed=2)
    mb = jnp.array([[True, False, True, True]])
    np.testing.assert_allclose(
        np.asarray(fn(xb, where=mb)),
        np.asarray(getattr(jax.nn, name)(xb, where=mb)),
        rtol=1e-6,
    )
    # testSoftmaxWhereGrad (jax #19490): a masked-out huge entry gives no NaN gradient.
    big = jnp.array([36.0, 10000.0])
    g = jax.jit(jax.grad(lambda v: fn(v, where=v < 1000)[0]))(big)
    np.testing.assert_array_equal(np.asarray(g), [0.0, 0.0])


@pytest.mark.slow
def test_softmax_grad_numerically():
    # testSoftmaxGrad
    with jax.enable_x64(True):
        x = jnp.array([5.5, 1.3, -4.2, 0.9], jnp.float64)
        for name in ("softmax", "log_softmax"):
            check_grads(jaxact.get(name).fn, (x,), order=2, atol=1e-6, rtol=1e-6)


@pytest.mark.parametrize("axis", [None, (0, 1), (-1, 0)], ids=str)
@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_over_several_axes(name, axis):
    # jax.nn takes any axis spec jnp reductions take.
    x = sample((3, ROW), seed=4)
    np.testing.assert_allclose(
        np.asarray(jaxact.get(name).fn(x, axis=axis)),
        np.asarray(getattr(jax.nn, name)(x, axis=axis)),
        rtol=1e-6,
    )


def test_glu_value():
    # testGluValue
    np.testing.assert_allclose(np.asarray(jaxact.glu(jnp.array([1.0, 0.0]), axis=0)), [0.5])


@pytest.mark.parametrize("spec", ALL, ids=ids(ALL))
def test_tracing_a_huge_array_allocates_nothing(spec):
    # testEluMemory / testHardTanhMemory (jax PR 1640), for every function, value and VJP.
    # 10^12 entries; rows of 10^6 for the vector functions (a row of 10^12 would overflow
    # the int32 indices of a sort, as in jnp).
    shape = (10**12,) if spec.elementwise else (10**6, 10**6)
    f = call(spec)
    with jax.enable_checks(False):
        jax.make_jaxpr(lambda: f(jnp.ones(shape)))()
    big = jax.ShapeDtypeStruct(shape, jnp.float32)
    assert jax.eval_shape(f, big).shape[0] == shape[0]
    assert jax.eval_shape(jax.grad(lambda v: jnp.sum(f(v))), big).shape == shape


@pytest.mark.slow
def test_no_leaked_tracers_in_a_scan():
    # testCustomJVPLeak (jax #8171): custom_jvp rules inside jit(scan) under checking_leaks,
    # every registered function in one program.
    fns = [call(s) for s in ALL]

    @jax.jit
    def run():
        def body(h, _):
            total = sum(jnp.sum(jnp.where(jnp.isfinite(y := f(h)), y, 0)) for f in fns)
            return h + 1e-3 * total, None

        return jax.lax.scan(body, jnp.linspace(-1.0, 1.0, ROW), None, length=2)[0]

    with jax.checking_leaks():
        out = run()
    assert np.all(np.isfinite(np.asarray(out)))
