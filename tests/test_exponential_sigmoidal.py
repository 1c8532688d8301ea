"""Function-specific pitfalls of the sigmoidal and exponential families (CONTRIBUTING.md,
pitfalls 1, 2, 5, 7-9).

The registry-wide suite checks every property and the ULP bound; these are the named cases
where jax.nn, PyTorch or Keras are known to go wrong, each with its true value.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import mpmath
import numpy as np
import pytest
from _xla import compiled_ops, fused_kernels

import jaxact

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946

OURS = tuple(s.name for s in jaxact.specs() if s.family in ("sigmoidal", "exponential"))
SHARED_WITH_JAX = tuple(n for n in OURS if hasattr(jax.nn, n))


def grad(name: str):
    return jax.grad(jaxact.get(name).fn)


def hess(name: str):
    return jax.grad(jax.grad(jaxact.get(name).fn))


# -- derivatives written from the input (pitfall 2) ----------------------------------------


@pytest.mark.parametrize(
    ("name", "x", "truth"),
    [
        ("sigmoid", 17.0, math.exp(-17) / (1 + math.exp(-17)) ** 2),
        ("tanh", 9.0, 1 / math.cosh(9) ** 2),
        ("tanh", -9.0, 1 / math.cosh(9) ** 2),
        ("elu", -20.0, math.exp(-20)),
        ("celu", -20.0, math.exp(-20)),
        ("selu", -20.0, SELU_SCALE * SELU_ALPHA * math.exp(-20)),
        ("softplus", -30.0, 1 / (1 + math.exp(30))),
        ("log_sigmoid", 30.0, 1 / (1 + math.exp(30))),
    ],
)
def test_derivative_exact_in_the_tail_float32(name: str, x: float, truth: float) -> None:
    got = grad(name)(jnp.float32(x))
    assert got.dtype == jnp.float32
    np.testing.assert_allclose(float(got), truth, rtol=5e-7)


def test_jax_nn_loses_those_tails() -> None:
    # The reason for the custom rules: jax.nn's derivatives from the output are 0 here.
    assert float(jax.grad(jax.nn.sigmoid)(jnp.float32(17.0))) == 0.0
    assert float(jax.grad(jax.nn.elu)(jnp.float32(-20.0))) == 0.0
    assert float(grad("sigmoid")(jnp.float32(17.0))) > 4e-8


@pytest.mark.parametrize(
    ("name", "x", "truth"),
    [
        # sigma'' = sigma' (sigma(-x) - sigma(x)); softplus'' = sigma'; tanh'' = -2 tanh sech^2
        ("sigmoid", 20.0, -math.exp(-20) * (1 - math.exp(-20)) / (1 + math.exp(-20)) ** 3),
        ("softplus", 30.0, math.exp(-30) / (1 + math.exp(-30)) ** 2),
        ("log_sigmoid", -30.0, -math.exp(-30) / (1 + math.exp(-30)) ** 2),
        ("tanh", 10.0, -2 * math.tanh(10) / math.cosh(10) ** 2),
        ("elu", -25.0, math.exp(-25)),
        ("tanh_shrink", 10.0, 2 * math.tanh(10) / math.cosh(10) ** 2),
    ],
)
def test_second_derivative_exact_in_the_tail(name: str, x: float, truth: float) -> None:
    np.testing.assert_allclose(float(hess(name)(jnp.float32(x))), truth, rtol=2e-6)


def test_sigmoid_second_derivative_near_zero_does_not_cancel() -> None:
    # -sigma'(x) tanh(x/2) ~ -x/8: the difference sigma(-x) - sigma(x) would keep ~1 digit.
    x = 1e-5
    np.testing.assert_allclose(float(hess("sigmoid")(jnp.float32(x))), -x / 8, rtol=1e-5)


# -- values without cancellation -------------------------------------------------------------


def test_softplus_has_no_threshold_float64() -> None:
    # PyTorch switches to the identity above 20 and is 1.25e-9 off at 20.5.
    mpmath.mp.dps = 40
    truth = float(mpmath.log1p(mpmath.exp(mpmath.mpf(20.5))))
    with jax.enable_x64(True):
        got = jaxact.softplus(jnp.float64(20.5))
        assert got.dtype == jnp.float64
        assert float(got) == truth
        assert float(got) != 20.5


def test_log_sigmoid_keeps_tiny_values() -> None:
    np.testing.assert_allclose(float(jaxact.log_sigmoid(jnp.float32(30.0))), -math.exp(-30), 1e-6)
    assert float(jaxact.log_sigmoid(jnp.float32(-200.0))) == -200.0


@pytest.mark.parametrize("x", [1e-3, -2e-2, 0.3, 1.5, 1.99, 2.01])
def test_tanh_shrink_small_inputs_do_not_cancel(x: float) -> None:
    mpmath.mp.dps = 60
    truth = float(mpmath.mpf(x) - mpmath.tanh(mpmath.mpf(x)))
    got = float(jaxact.tanh_shrink(jnp.float32(x)))
    np.testing.assert_allclose(got, truth, rtol=4 * 2.0**-23)


@pytest.mark.parametrize("x", [-1e20, -1e4, -1e30])
def test_squareplus_far_left_float32(x: float) -> None:
    # jax.nn gives inf at -1e20 (x^2 overflows) and 0 at -1e4 (x + sqrt(x^2 + b) cancels).
    got = float(jaxact.squareplus(jnp.float32(x)))
    np.testing.assert_allclose(got, -1 / x, rtol=1e-6)


def test_squareplus_forward_does_the_extra_work_its_conventions_state() -> None:
    # The conventions name the one operation jax.nn's forward pass does not do: the division
    # of the x < 0 branch (both have the square root). If a rewrite drops it, or XLA splits it
    # differently, the stated cost must change with it.
    if jax.default_backend() != "cpu":
        pytest.skip("the compiled program is XLA CPU's")
    (text,) = [c for c in jaxact.get("squareplus").conventions if "division" in c]
    assert "b/(2(h − x))" in text
    ops, full = ("divide", "sqrt"), (64, 1024)
    assert compiled_ops(jax.nn.squareplus, ops, full) == ["sqrt"]
    assert compiled_ops(jaxact.squareplus, ops, full) == ["divide", "sqrt"]


def test_squareplus_far_right_float32() -> None:
    x = 3e38
    assert float(jaxact.squareplus(jnp.float32(x))) == float(np.float32(x))
    assert float(grad("squareplus")(jnp.float32(x))) == 1.0


def test_soft_sign_limits_and_derivative() -> None:
    y = jaxact.soft_sign(jnp.array([-jnp.inf, jnp.inf], jnp.float32))
    np.testing.assert_array_equal(np.asarray(y), [-1.0, 1.0])
    # 1/(1 + |x|)^2, not the autodiff of the quotient (2.3 % off at 1e6).
    np.testing.assert_allclose(float(grad("soft_sign")(jnp.float32(1e6))), 1 / (1 + 1e6) ** 2, 1e-6)


# -- special inputs (pitfalls 1 and 9) ------------------------------------------------------


@pytest.mark.parametrize("dtype", [jnp.float16, jnp.bfloat16, jnp.float32])
@pytest.mark.parametrize("name", OURS)
def test_finite_derivatives_at_huge_inputs(name: str, dtype) -> None:
    big = float(jnp.finfo(dtype).max)
    x = jnp.array([-big, -1e30 if dtype == jnp.float32 else -300.0, -1e3, 1e3, big], dtype)
    if dtype != jnp.float32:
        x = x.at[1].set(-300.0)
    g = jax.vmap(jax.grad(jaxact.get(name).fn))(x)
    h = jax.vmap(jax.hessian(jaxact.get(name).fn))(x)
    assert g.dtype == dtype
    assert bool(jnp.all(jnp.isfinite(g))), g
    assert bool(jnp.all(jnp.isfinite(h))), h


LIMITS = {
    # name: (f(-inf), f(inf), f'(-inf), f'(inf))
    "sigmoid": (0.0, 1.0, 0.0, 0.0),
    "tanh": (-1.0, 1.0, 0.0, 0.0),
    "soft_sign": (-1.0, 1.0, 0.0, 0.0),
    "log_sigmoid": (-math.inf, 0.0, 1.0, 0.0),
    "tanh_shrink": (-math.inf, math.inf, 1.0, 1.0),
    "elu": (-1.0, math.inf, 0.0, 1.0),
    "celu": (-1.0, math.inf, 0.0, 1.0),
    "selu": (-SELU_SCALE * SELU_ALPHA, math.inf, 0.0, SELU_SCALE),
    "softplus": (0.0, math.inf, 0.0, 1.0),
    "sparse_plus": (0.0, math.inf, 0.0, 1.0),
    "squareplus": (0.0, math.inf, 0.0, 1.0),
}


@pytest.mark.parametrize("name", OURS)
def test_infinite_inputs_give_the_limits(name: str) -> None:
    fn = jaxact.get(name).fn
    x = jnp.array([-jnp.inf, jnp.inf], jnp.float32)
    f_lo, f_hi, d_lo, d_hi = LIMITS[name]
    np.testing.assert_allclose(np.asarray(fn(x)), [f_lo, f_hi], rtol=1e-7)
    np.testing.assert_allclose(np.asarray(jax.vmap(jax.grad(fn))(x)), [d_lo, d_hi], rtol=1e-7)


@pytest.mark.parametrize("name", OURS)
def test_nan_in_nan_out(name: str) -> None:
    fn = jaxact.get(name).fn
    x = jnp.array([jnp.nan], jnp.float32)
    assert bool(jnp.isnan(fn(x))[0])
    assert bool(jnp.isnan(jax.vmap(jax.grad(fn))(x))[0])


# -- drop-in for jax.nn ---------------------------------------------------------------------


@pytest.mark.parametrize("name", SHARED_WITH_JAX)
def test_matches_jax_nn_on_ordinary_inputs(name: str) -> None:
    x = jnp.linspace(-6.0, 6.0, 97, dtype=jnp.float32)
    ours, theirs = jaxact.get(name).fn, getattr(jax.nn, name)
    np.testing.assert_allclose(np.asarray(ours(x)), np.asarray(theirs(x)), rtol=2e-6, atol=1e-7)
    # atol 1e-6: jax.nn's tanh' = 1 - tanh^2 is only accurate to ~1 ULP of 1 (sech^2(6) is
    # 0.9 % off there); ours are the exact ones.
    np.testing.assert_allclose(
        np.asarray(jax.vmap(jax.grad(ours))(x)),
        np.asarray(jax.vmap(jax.grad(theirs))(x)),
        rtol=2e-5,
        atol=1e-6,
    )


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("elu", {"alpha": 0.5}),
        ("elu", {"alpha": 2.0}),
        ("celu", {"alpha": 0.5}),
        ("celu", {"alpha": 3.0}),
        ("squareplus", {"b": 1.0}),
        ("squareplus", {"b": 16}),
    ],
)
def test_matches_jax_nn_with_parameters(name: str, kwargs: dict) -> None:
    x = jnp.linspace(-6.0, 6.0, 97, dtype=jnp.float32)
    ours = lambda x: jaxact.get(name).fn(x, **kwargs)
    theirs = lambda x: getattr(jax.nn, name)(x, **kwargs)
    np.testing.assert_allclose(np.asarray(ours(x)), np.asarray(theirs(x)), rtol=2e-6, atol=1e-7)
    np.testing.assert_allclose(
        np.asarray(jax.vmap(jax.grad(ours))(x)),
        np.asarray(jax.vmap(jax.grad(theirs))(x)),
        rtol=2e-5,
        atol=1e-7,
    )


@pytest.mark.parametrize(
    ("name", "x", "kwargs", "expected"),
    [
        ("elu", 0.0, {}, 1.0),
        ("elu", 0.0, {"alpha": 2.0}, 2.0),  # the negative branch, as jax.nn
        ("celu", 0.0, {"alpha": 2.0}, 1.0),
        ("selu", 0.0, {}, SELU_SCALE * SELU_ALPHA),
        ("sparse_plus", -1.0, {}, 0.0),
        ("sparse_plus", 1.0, {}, 1.0),
        ("squareplus", 0.0, {}, 0.5),
        ("squareplus", 0.0, {"b": 0.0}, 0.5),  # b = 0 is ReLU; f'(0) taken as 1/2
        ("soft_sign", 0.0, {}, 1.0),
        ("tanh_shrink", 0.0, {}, 0.0),
    ],
)
def test_derivative_conventions(name: str, x: float, kwargs: dict, expected: float) -> None:
    got = jax.grad(lambda v: jaxact.get(name).fn(v, **kwargs))(jnp.float32(x))
    np.testing.assert_allclose(float(got), expected, rtol=1e-6)


def test_parameter_gradients_match_jax_nn() -> None:
    x = jnp.linspace(-3.0, 3.0, 13, dtype=jnp.float32)
    for ours, theirs, p in [
        (jaxact.elu, jax.nn.elu, 1.5),
        (jaxact.celu, jax.nn.celu, 1.5),
        (jaxact.squareplus, jax.nn.squareplus, 2.0),
    ]:
        g_ours = jax.grad(lambda a, f=ours: f(x, a).sum())(p)
        g_theirs = jax.grad(lambda a, f=theirs: f(x, a).sum())(p)
        np.testing.assert_allclose(float(g_ours), float(g_theirs), rtol=1e-5)


def test_parameter_may_be_an_array() -> None:
    x = jnp.array([[-1.0], [-2.0]], jnp.float32)
    alpha = jnp.array([0.5, 1.0, 2.0], jnp.float32)
    np.testing.assert_allclose(
        np.asarray(jaxact.elu(x, alpha)), np.asarray(jax.nn.elu(x, alpha)), rtol=1e-6
    )


# -- parameters and input checks ------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: jaxact.celu(1.0, alpha=0.0), "alpha"),
        (lambda: jaxact.celu(1.0, alpha=-1.0), "alpha"),
        (lambda: jaxact.elu(1.0, alpha=-0.5), "alpha"),
        (lambda: jaxact.elu(1.0, alpha=float("nan")), "alpha"),
        (lambda: jaxact.squareplus(1.0, b=-1.0), "'b'"),
        (lambda: jaxact.squareplus(1.0, b=float("inf")), "'b'"),
    ],
)
def test_bad_parameters_raise(call, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        call()


def test_traced_parameters_do_not_break_jit() -> None:
    x = jnp.array([-1.0, 2.0], jnp.float32)
    np.testing.assert_allclose(
        np.asarray(jax.jit(jaxact.celu)(x, 2.0)), np.asarray(jax.nn.celu(x, 2.0)), rtol=1e-6
    )
    np.testing.assert_allclose(
        np.asarray(jax.jit(jaxact.squareplus)(x, 9.0)),
        np.asarray(jax.nn.squareplus(x, 9.0)),
        rtol=1e-6,
    )


@pytest.mark.parametrize("name", OURS)
def test_non_numeric_input_raises_type_error(name: str) -> None:
    with pytest.raises(TypeError, match="'x'"):
        jaxact.get(name).fn("1.0")


# -- dtypes -----------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [jnp.float16, jnp.bfloat16])
@pytest.mark.parametrize("name", OURS)
def test_half_precision_is_float32_rounded_once(name: str, dtype) -> None:
    fn = jaxact.get(name).fn
    x = jnp.linspace(-12.0, 12.0, 49, dtype=jnp.float32).astype(dtype)
    y = fn(x)
    assert y.dtype == dtype
    expected = fn(x.astype(jnp.float32)).astype(dtype)
    np.testing.assert_array_equal(np.asarray(y, np.float32), np.asarray(expected, np.float32))


def test_integer_input_becomes_float() -> None:
    assert jaxact.softplus(jnp.arange(3)).dtype == jnp.float32
    assert jaxact.elu(3).dtype == jnp.float32


def test_squareplus_with_b_zero_is_relu_everywhere() -> None:
    # b = 0 folded as a constant under jit once made XLA overflow (|x| + |x|)/2 at 3e38.
    f = jax.jit(lambda x: jaxact.squareplus(x, 0.0))
    x = jnp.array([-3e38, -1e-30, 0.0, 1e-30, 3e38], jnp.float32)
    np.testing.assert_array_equal(np.asarray(f(x)), np.asarray(jnp.maximum(x, 0)))
    g = jax.vmap(jax.grad(lambda v: jaxact.squareplus(v, 0.0)))(x)
    np.testing.assert_array_equal(np.asarray(g), [0.0, 0.0, 0.5, 1.0, 1.0])


# -- accuracy of the reformulations (tanh, sigmoid', celu) ------------------------------------


def _ulp_float32(got: np.ndarray, ref: np.ndarray) -> np.ndarray:
    """ULP error of float32 results against float64 truths (floor 2^-100, as benchmarks/_ulp)."""
    _, e = np.frexp(np.maximum(np.abs(ref), 2.0**-100))
    return np.abs(np.asarray(got, np.float64) - ref) / np.ldexp(1.0, e - 24)


def _float32_sample(hi: float, n: int = 1 << 18) -> np.ndarray:
    # Uniform in the bit patterns of [2^-30, hi], both signs: every binade equally often.
    rng = np.random.default_rng(7)
    lo_bits, hi_bits = np.float32(2.0**-30).view(np.uint32), np.float32(hi).view(np.uint32)
    x = rng.integers(lo_bits, hi_bits, n, dtype=np.uint32).view(np.float32)
    return np.concatenate([x, -x])


def test_tanh_within_2_5_ulp_float32() -> None:
    # One expm1 by range reduction and one division (2.42 ULP over every float32); XLA's own
    # tanh, which jax.nn uses, is 4.9 ULP off at 5.126.
    x = _float32_sample(12.0)
    err = _ulp_float32(jaxact.tanh(jnp.asarray(x)), np.tanh(x.astype(np.float64)))
    assert err.max() <= 2.5, (err.max(), x[np.argmax(err)])


@pytest.mark.parametrize(
    ("name", "truth", "hi"),
    [
        ("tanh", lambda x: 1 / np.cosh(x) ** 2, 45.0),
        ("sigmoid", lambda x: np.exp(-np.abs(x)) / (1 + np.exp(-np.abs(x))) ** 2, 104.0),
    ],
)
def test_derivative_within_3_ulp_float32(name: str, truth, hi: float) -> None:
    # sech^2 = w (2 - w) with w = 2 / (e^{2|x|} + 1): 2.85 ULP over every float32.
    x = _float32_sample(hi)
    got = jax.jit(jax.vmap(jax.grad(jaxact.get(name).fn)))(jnp.asarray(x))
    err = _ulp_float32(got, truth(x.astype(np.float64)))
    assert err.max() <= 3.0, (err.max(), x[np.argmax(err)])


def test_tanh_float64_against_mpmath() -> None:
    mpmath.mp.dps = 40
    rng = np.random.default_rng(3)
    x = np.concatenate([10 ** rng.uniform(-8, 1.5, 300), rng.uniform(0.1, 0.7, 100)])
    with jax.enable_x64(True):
        f = np.asarray(jaxact.tanh(jnp.asarray(x)))
        d = np.asarray(jax.vmap(jax.grad(jaxact.tanh))(jnp.asarray(x)))
    for got, truth in ((f, mpmath.tanh), (d, lambda v: 1 / mpmath.cosh(v) ** 2)):
        ref = np.array([float(truth(mpmath.mpf(v))) for v in x])
        err = np.abs(got - ref) / np.spacing(np.abs(ref))
        assert err.max() <= 3.0, (err.max(), x[np.argmax(err)])


def test_tanh_is_odd_and_exact_at_zero() -> None:
    x = jnp.array([0.0, -0.0, 1e-30, -1e-30, 0.3, -0.3, 5.0, -5.0], jnp.float32)
    y = np.asarray(jaxact.tanh(x))
    np.testing.assert_array_equal(y[1::2], -y[::2])
    assert np.signbit(y[1]) and not np.signbit(y[0])
    assert y[2] == np.float32(1e-30)


def _celu_truth(x: np.ndarray, alpha: float, dtype) -> tuple[np.ndarray, np.ndarray]:
    # alpha as the dtype holds it: that is the function's actual argument.
    mpmath.mp.dps = 40
    a = mpmath.mpf(float(np.dtype(dtype).type(alpha)))
    f = [float(a * mpmath.expm1(mpmath.mpf(float(v)) / a)) for v in x]
    d = [float(mpmath.exp(mpmath.mpf(float(v)) / a)) for v in x]
    return np.array(f), np.array(d)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("alpha", [0.3, 0.7, 3.0])
def test_celu_accurate_for_alpha_not_a_power_of_two(alpha: float, dtype) -> None:
    # x / alpha as a double word: celu' at x = -19, alpha = 0.3 was 64 ULP off in float32
    # (125 in float64), as jax.nn's is.
    x = np.concatenate([-(10 ** np.linspace(-6, np.log10(38.0), 150)), [-19.0, -19.76331]])
    x = x.astype(dtype)
    with jax.enable_x64(dtype == np.float64):
        xs = jnp.asarray(x)
        f = np.asarray(jaxact.celu(xs, alpha), np.float64)
        d = np.asarray(jax.vmap(jax.grad(lambda v: jaxact.celu(v, alpha)))(xs), np.float64)
    ref_f, ref_d = _celu_truth(x, alpha, dtype)
    # The accuracy rule's floor (2^-100 / 2^-960): e^q below it is flushed by XLA on CPU.
    floor, bits = (2.0**-100, 24) if dtype == np.float32 else (2.0**-960, 53)
    for got, ref in ((f, ref_f), (d, ref_d)):
        _, e = np.frexp(np.maximum(np.abs(ref), floor))
        err = np.abs(got - ref) / np.ldexp(1.0, e - bits)
        assert err.max() <= 3.0, (err.max(), x[np.argmax(err)])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("alpha", [0.3, 1.7])
def test_celu_accurate_for_tiny_normal_inputs(alpha: float, dtype) -> None:
    # Down to where q = x / alpha is still normal (celu(x) ~ x, a normal number): the exact
    # product q_hi * alpha must not lose its partial products to XLA's flush of subnormals
    # (without the rescaling celu(-2^-125) came out twice its value in float32).
    lo, hi = (-125, -80) if dtype == np.float32 else (-1021, -880)
    k = np.arange(lo, hi, 0.25)
    x = -np.concatenate([2.0**k, 2.0**k * 1.2345678]).astype(dtype)
    with jax.enable_x64(dtype == np.float64):
        f = np.asarray(jaxact.celu(jnp.asarray(x), alpha), np.float64)
    ref, _ = _celu_truth(x, alpha, dtype)
    err = np.abs(f - ref) / np.spacing(np.abs(ref).astype(dtype)).astype(np.float64)
    assert err.max() <= 1.5, (err.max(), x[np.argmax(err)])


def test_celu_alpha_gradient_and_hessian_match_jax_nn_for_alpha_0_3() -> None:
    x = jnp.linspace(-4.0, 2.0, 25, dtype=jnp.float32)
    g = jax.grad(lambda a: jaxact.celu(x, a).sum())(0.3)
    np.testing.assert_allclose(
        float(g), float(jax.grad(lambda a: jax.nn.celu(x, a).sum())(0.3)), 1e-5
    )
    h = jax.hessian(lambda v: jaxact.celu(v[0], v[1]))(jnp.array([-1.0, 0.3]))
    h_ref = jax.hessian(lambda v: jax.nn.celu(v[0], v[1]))(jnp.array([-1.0, 0.3]))
    np.testing.assert_allclose(np.asarray(h), np.asarray(h_ref), rtol=1e-5)


def test_celu_with_traced_alpha_and_infinite_inputs() -> None:
    x = jnp.array([-jnp.inf, -1e30, -2.0, 0.0, 3.0, jnp.inf], jnp.float32)
    f = jax.jit(lambda v, a: jaxact.celu(v, a))
    np.testing.assert_allclose(np.asarray(f(x, 0.3))[:2], [-0.3, -0.3], rtol=1e-7)
    d = jax.jit(jax.vmap(jax.grad(jaxact.celu), in_axes=(0, None)))(x, 0.3)
    np.testing.assert_array_equal(np.asarray(d)[[0, 1, 3, 4, 5]], [0, 0, 1, 1, 1])
    # d/dalpha at -inf is the limit expm1(-inf) = -1, and second derivatives are finite there.
    ga = jax.vmap(jax.grad(jaxact.celu, argnums=1), in_axes=(0, None))(x, 0.3)
    np.testing.assert_allclose(np.asarray(ga)[[0, 1, 4, 5]], [-1, -1, 0, 0], atol=1e-6)
    h = jax.vmap(jax.hessian(lambda v, a: jaxact.celu(v, a), argnums=(0, 1)), in_axes=(0, None))
    for block in jax.tree_util.tree_leaves(h(x, jnp.float32(0.3))):
        assert bool(jnp.all(jnp.isfinite(block))), block


# -- one loop each under jit (speed: XLA on CPU writes shared expensive values to memory) ---


@pytest.mark.parametrize(
    ("name", "forward", "backward"),
    [(n, 1, 2) for n in ("tanh", "sigmoid", "elu", "celu", "selu", "softplus", "log_sigmoid")],
)
def test_forward_and_vjp_compile_to_one_loop_per_output(name: str, forward: int, backward: int):
    # The VJP's two outputs (y and the input cotangent) are two loops; nothing expensive is
    # shared between them, so no intermediate is written to memory (jaxact.tanh had 2 and 4).
    if jax.default_backend() != "cpu":
        pytest.skip("fusion structure is XLA CPU's")
    fn = jaxact.get(name).fn
    assert fused_kernels(fn, vjp=False) == forward
    assert fused_kernels(fn, vjp=True) == backward
