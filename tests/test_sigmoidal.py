"""Pitfalls of the sigmoidal functions (sigmoid, tanh, soft_sign, log_sigmoid, tanh_shrink): values
and derivatives without cancellation, tanh's accuracy."""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import mpmath
import numpy as np
import pytest
from _activation_cases import grad, hess

import jaxact


def test_sigmoid_second_derivative_near_zero_does_not_cancel() -> None:
    # -sigma'(x) tanh(x/2) ~ -x/8: the difference sigma(-x) - sigma(x) would keep ~1 digit.
    x = 1e-5
    np.testing.assert_allclose(float(hess("sigmoid")(jnp.float32(x))), -x / 8, rtol=1e-5)


def test_log_sigmoid_keeps_tiny_values() -> None:
    np.testing.assert_allclose(float(jaxact.log_sigmoid(jnp.float32(30.0))), -math.exp(-30), 1e-6)
    assert float(jaxact.log_sigmoid(jnp.float32(-200.0))) == -200.0


@pytest.mark.parametrize("x", [1e-3, -2e-2, 0.3, 1.5, 1.99, 2.01])
def test_tanh_shrink_small_inputs_do_not_cancel(x: float) -> None:
    mpmath.mp.dps = 60
    truth = float(mpmath.mpf(x) - mpmath.tanh(mpmath.mpf(x)))
    got = float(jaxact.tanh_shrink(jnp.float32(x)))
    np.testing.assert_allclose(got, truth, rtol=4 * 2.0**-23)


def test_soft_sign_limits_and_derivative() -> None:
    y = jaxact.soft_sign(jnp.array([-jnp.inf, jnp.inf], jnp.float32))
    np.testing.assert_array_equal(np.asarray(y), [-1.0, 1.0])
    # 1/(1 + |x|)^2, not the autodiff of the quotient (2.3 % off at 1e6).
    np.testing.assert_allclose(float(grad("soft_sign")(jnp.float32(1e6))), 1 / (1 + 1e6) ** 2, 1e-6)


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


def test_returns_text_rounding_examples() -> None:
    # The API page's Returns: the open ends are reached by rounding, at the inputs it names.
    assert float(jaxact.sigmoid(jnp.float32(20.0))) == 1.0
    assert float(jaxact.sigmoid(jnp.float32(10.0))) < 1.0  # not yet at 10
    assert float(jaxact.soft_sign(jnp.float32(1e8))) == 1.0
    assert float(jaxact.soft_sign(jnp.float32(1e6))) < 1.0
