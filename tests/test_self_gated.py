"""Pitfall tests specific to the self-gated activations (silu, gelu, mish)."""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from _xla import fused_kernels

import jaxact

F32, F64, F16, BF16 = jnp.float32, jnp.float64, jnp.float16, jnp.bfloat16


@pytest.fixture(autouse=True)
def _x64():
    # float64 checks need x64; float32 inputs below are always given an explicit dtype.
    with jax.enable_x64(True):
        yield


GATED = {
    "silu": jaxact.silu,
    "mish": jaxact.mish,
    "gelu_tanh": lambda x: jaxact.gelu(x, approximate=True),
    "gelu_exact": lambda x: jaxact.gelu(x, approximate=False),
}


def test_gelu_exact_left_tail_is_not_zero():
    # 1 + erf(-6/sqrt 2) cancels to 0; erfc keeps x Phi(x) = -5.92e-9.
    np.testing.assert_allclose(jaxact.gelu(F32(-6.0), approximate=False), -5.9194e-9, rtol=1e-4)


def test_gelu_tanh_left_tail_is_not_zero():
    # x (1 + tanh u) / 2 gives -0 (jax.nn.gelu); x sigma(2u) gives -2.29e-7.
    np.testing.assert_allclose(jaxact.gelu(F32(-5.0)), -2.2918e-7, rtol=1e-3)


@pytest.mark.parametrize("name", GATED)
@pytest.mark.parametrize(
    "dtype, big", [(F32, 1e30), (F64, 1e300), (F16, 300.0), (BF16, 1e30)], ids=str
)
def test_gated_gradients_finite_at_huge_inputs(name, dtype, big):
    fn = GATED[name]
    x = jnp.array([-big, -1e3, 1e3, big], dtype)
    grads = jax.vmap(jax.grad(fn))(x)
    hess = jax.vmap(jax.hessian(fn))(x)
    assert np.all(np.isfinite(np.asarray(grads, np.float64)))
    assert np.all(np.isfinite(np.asarray(hess, np.float64)))
    np.testing.assert_array_equal(np.asarray(grads, np.float64), [0, 0, 1, 1])


@pytest.mark.parametrize("name", GATED)
def test_gated_infinities_and_nan(name):
    fn = GATED[name]
    x = jnp.array([-jnp.inf, jnp.inf, jnp.nan], F32)
    y = np.asarray(fn(x))
    assert y[0] == 0 and y[1] == np.inf and np.isnan(y[2])
    g = np.asarray(jax.vmap(jax.grad(fn))(x))
    assert g[0] == 0 and g[1] == 1 and np.isnan(g[2])


def test_silu_half_precision_computed_in_float32():
    assert float(jaxact.silu(jnp.float16(-12.0))) == pytest.approx(-7.373e-5, rel=1e-3)
    assert jaxact.silu(jnp.float16(-12.0)).dtype == F16


def test_silu_beta_one_matches_jax_nn():
    x = jnp.linspace(-10, 10, 201, dtype=F32)
    np.testing.assert_allclose(jaxact.silu(x), jax.nn.silu(x), rtol=2e-6, atol=1e-30)
    np.testing.assert_allclose(jaxact.swish(x, beta=2.0), x * jax.nn.sigmoid(2 * x), rtol=2e-6)


def test_silu_derivative_exact_in_tail():
    # sigma(x) (1 + x sigma(-x)) at x = -20: the truth is -3.916e-8 (not 0).
    np.testing.assert_allclose(jax.grad(jaxact.silu)(F32(-20.0)), -3.9162e-8, rtol=1e-4)


def test_silu_beta_gradient():
    x, beta = F64(1.3), F64(0.7)
    got = jax.grad(lambda b: jaxact.silu(x, beta=b))(beta)
    s = 1 / (1 + np.exp(-beta * x))
    np.testing.assert_allclose(got, x * x * s * (1 - s), rtol=1e-13)
    assert jax.grad(lambda b: jaxact.silu(F32(1e30), beta=b))(F32(1.0)) == 0


def test_silu_hessian_matches_formula():
    x = jnp.array([-30.0, -3.0, -0.5, 0.0, 2.0, 30.0], F64)
    s = 1 / (1 + np.exp(-np.asarray(x)))
    sm = 1 / (1 + np.exp(np.asarray(x)))  # sigma(-x) without the cancellation of 1 - s
    want = s * sm * (2 - np.asarray(x) * (s - sm))
    np.testing.assert_allclose(jax.vmap(jax.hessian(jaxact.silu))(x), want, rtol=1e-13)


def test_gelu_hessians_match_finite_differences():
    x = jnp.linspace(-6, 6, 49, dtype=F64)
    for approx in (True, False):
        f = functools.partial(jaxact.gelu, approximate=approx)
        h = jax.vmap(jax.hessian(f))(x)
        d = jax.vmap(jax.grad(f))
        fd = (d(x + 1e-6) - d(x - 1e-6)) / 2e-6
        np.testing.assert_allclose(h, fd, rtol=1e-6, atol=1e-9)


def test_mish_large_input_is_identity_and_derivative_one():
    x = jnp.array([50.0, 1e20, 3e38], F32)
    np.testing.assert_array_equal(jaxact.mish(x), x)
    np.testing.assert_array_equal(jax.vmap(jax.grad(jaxact.mish))(x), [1, 1, 1])


def test_mish_hessian_matches_finite_differences():
    x = jnp.linspace(-8, 8, 41, dtype=F64)
    fd = jax.vmap(jax.grad(jaxact.mish))(x + 1e-6) - jax.vmap(jax.grad(jaxact.mish))(x - 1e-6)
    np.testing.assert_allclose(
        jax.vmap(jax.hessian(jaxact.mish))(x), fd / 2e-6, rtol=1e-6, atol=1e-9
    )


@pytest.mark.parametrize(
    "name, where", [("silu", -1.2784645427610738), ("mish", -1.1924312145154952)]
)
def test_critical_point_is_a_zero_of_the_derivative(name, where):
    assert abs(float(jax.grad(GATED[name])(F64(where)))) < 1e-15


def _ulp_errors(fn, xs, dtype, reference, derivative=False, **params):
    """ULP errors of ``fn`` (or of its ``jax.grad``) at ``xs`` by the harness's rule: against
    mpmath, in ULPs of max(|exact|, floor), floor 2^-100 (float32) / 2^-960 (float64)."""
    mpmath = pytest.importorskip("mpmath")
    x = np.asarray(xs, dtype)
    f = jax.vmap(jax.grad(fn)) if derivative else jax.jit(fn)
    got = np.asarray(f(jnp.asarray(x)), np.float64)
    floor, bits = (2.0**-100, 24) if dtype == F32 else (2.0**-960, 53)
    errors = []
    with mpmath.workdps(50):
        for xi, gi in zip(x, got, strict=True):
            exact = reference(mpmath, mpmath.mpf(float(xi)), **params)
            ulp = mpmath.mpf(2) ** (mpmath.floor(mpmath.log(max(abs(exact), floor), 2)) - bits + 1)
            errors.append(float(abs(mpmath.mpf(float(gi)) - exact) / ulp))
    return dict(zip(x.tolist(), errors, strict=True))


def _assert_within_4_ulp(name, params, xs, dtype, which=("f", "df")):
    spec = jaxact.get(name)
    for w in which:
        ref = spec.reference if w == "f" else spec.reference_derivative
        errors = _ulp_errors(lambda v: spec.fn(v, **params), xs, dtype, ref, w == "df", **params)
        bad = {x: e for x, e in errors.items() if not e <= 4}
        assert not bad, (name, params, np.dtype(dtype).name, w, bad)


@pytest.mark.parametrize(
    "dtype, xs",
    [
        (F32, [-3.0, -5.855, -6.84, -8.06, -10.445, -11.6, -12.9, -13.1]),
        (F64, [-6.5, -10.77, -20.0, -27.93, -34.24, -35.765, -37.4]),
    ],
    ids=["float32", "float64"],
)
def test_gelu_exact_left_tail_within_4_ulp(dtype, xs):
    # erfc(-x / sqrt 2) was 169 (float32) / 1795 (float64) ULP off here: XLA's erfc itself and
    # the rounding of x / sqrt 2, which e^(-x^2/2) amplifies. Now e^(-x^2/2) R(|x|).
    _assert_within_4_ulp("gelu", {"approximate": False}, xs, dtype)


def test_gelu_exact_near_zero_within_4_ulp():
    # Phi is just above 1/2 there and f = x Phi just below a power of two: one extra rounding
    # of 1 - E R showed as 4.5 ULP of f.
    xs = [-0.3, -0.0148641, -0.0043324, 0.0043324, 0.0148641, 0.3]
    _assert_within_4_ulp("gelu", {"approximate": False}, xs, F32)


def test_gelu_tanh_derivative_where_the_gate_is_subnormal():
    # sigma(w) < 2^-126 for x < -10.0 (float32): flushed to 0 it took f' = -2.5e-36 (27 ULP
    # above the floor) with it. e^w is carried times 2^28.
    xs = np.linspace(-10.09, -10.0, 10)
    _assert_within_4_ulp("gelu", {"approximate": True}, xs, F32, which=("df",))


def test_gelu_tanh_where_e_to_the_minus_w_overflows():
    # f = x / (1 + 2^n 2^r) takes 2^n as +inf from n = 128 (x < -10.05 in float32, where f is
    # below 2^-124): x / inf = -0 from there to -inf. x itself is not rescaled, so f = x / 2
    # stays right for tiny |x| (an offset 2^-56 on x had flushed f(-6e-30) to -0).
    xs = [-10.2, -10.1, -10.06, -10.04, -10.0, -9.95, -9.9, -6.04e-30, -1e-35, 1e-35]
    _assert_within_4_ulp("gelu", {"approximate": True}, xs, F32, which=("f",))
    x = jnp.array([-np.inf, -3e38, -1e30, -11.0], F32)
    np.testing.assert_array_equal(jaxact.gelu(x), np.zeros(4, np.float32))


def test_gelu_tanh_compiles_to_one_kernel_and_two_for_its_vjp():
    # The value, and the slope g f'(x), are each one XLA loop (no intermediate written to
    # memory); the speed work relies on it.
    assert fused_kernels(jaxact.gelu, vjp=False) == 1
    assert fused_kernels(jaxact.gelu, vjp=True) == 2


def test_gelu_tanh_constant_splits_are_the_tools_ones():
    # Every (c_hi, c_lo, k_hi, k_lo, c) of _GELU_TANH from tools/gelu_tanh_splits.py (mpmath):
    # a high part on its grid, the exact remainder rounded.
    from jaxact._kernels.gelu import _GELU_TANH
    from tools.gelu_tanh_splits import splits

    for dtype in ("float32", "float64"):
        for name, want in splits(dtype).items():
            assert tuple(_GELU_TANH[dtype][name]) == want, (dtype, name)


def test_silu_where_sigma_is_subnormal():
    # sigma(-88.2) is subnormal and flushed; x / (1 + e^-x) is not (was 4.6 ULP above the floor).
    xs = [-87.5, -88.0, -88.2, -88.5, -88.7]
    _assert_within_4_ulp("silu", {"beta": 1.0}, xs, F32)
    _assert_within_4_ulp("silu", {"beta": 0.5}, [-175.0, -176.7, -177.4], F32)


def test_silu_beta_not_a_power_of_two_exact_in_tail():
    # beta x rounded once is |beta x| / 2 ULP off in the tail (40 ULP at beta x = -80): it is
    # formed in double-word arithmetic, concrete or traced.
    beta = float(np.float32(1.702))
    xs = [-20.0, -40.0, -47.0, -51.5]
    spec = jaxact.get("silu")
    for params_fn in (
        lambda v: jaxact.silu(v, beta=beta),
        lambda v: jax.jit(jaxact.silu)(v, jnp.asarray(beta, v.dtype)),
    ):
        for ref, derivative in ((spec.reference, False), (spec.reference_derivative, True)):
            errors = _ulp_errors(params_fn, xs, F32, ref, derivative, beta=beta)
            assert max(errors.values()) <= 4, errors


@pytest.mark.parametrize("dtype", [F32, F64], ids=str)
def test_mish_derivative_near_minus_two_within_4_ulp(dtype):
    # t + x t' cancels (t = 0.14, x t' = -0.24 at x = -1.9): was 6.6 ULP; now e N / (n + 2)^2
    # with the cancelling part of N formed from exact terms.
    xs = [*np.linspace(-2.5, -1.7, 9), -1.995, -1.875]
    _assert_within_4_ulp("mish", {}, xs, dtype, which=("df",))


def test_mish_where_exp_is_subnormal():
    # e^-88.2 is subnormal and flushed: mish(-88.2) = -4.3e-37 came out -0 (4.6 ULP above the
    # floor). e^x is carried times 2^32.
    _assert_within_4_ulp("mish", {}, [-87.5, -88.2, -88.5, -90.0, -95.0], F32)


@pytest.mark.parametrize("dtype", [F32, F64], ids=str)
def test_gelu_tanh_left_tail_within_4_ulp(dtype):
    # sigma(w) ~ e^w turns any absolute error in w into a relative error of the result: the
    # plain working-precision w was 71 ULP (f32) / 975 ULP (f64) off here.
    mpmath = pytest.importorskip("mpmath")
    spec = jaxact.get("gelu")
    x = np.array([-3.1, -4.437, -5.238, -7.5, -9.842] + ([-15.0, -20.12] if dtype == F64 else []))
    x = x.astype(dtype)
    got = np.asarray(jaxact.gelu(jnp.asarray(x)), np.float64)
    for xi, gi in zip(x, got, strict=True):
        with mpmath.workdps(50):
            ref = spec.reference(mpmath, mpmath.mpf(float(xi)))
        err = float(abs(mpmath.mpf(float(gi)) - ref)) / float(np.spacing(np.abs(dtype(float(ref)))))
        assert err <= 4, (float(xi), err)
