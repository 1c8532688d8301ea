"""The double-word log₂, 2^w and power of ``_kernels.double_word_pow`` against mpmath, in float32
and float64 (each in its own dtype: float32 never borrows float64)."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import mpmath
import numpy as np
import pytest

from jaxact._kernels.double_word_pow import exp2_dw, log2_dw, pow_dw

DTYPES = (np.float32, np.float64)
# Relative error bounds (the module docstring's): about ε² times a small factor.
POW_BOUND = {np.float32: 2.0**-40, np.float64: 2.0**-96}
# log₂ u to an absolute error of about ε² (1 + |log₂ u|): γ log₂ u is what 2^w makes relative.
LOG_BOUND = {np.float32: 2.0**-40, np.float64: 2.0**-98}
TINY = {np.float32: 2.0**-126, np.float64: 2.0**-1022}  # the low word may be flushed below
FLOOR = {np.float32: 2.0**-100, np.float64: 2.0**-960}  # the accuracy floor


def _double_words(rng, values, dtype):
    eps = np.finfo(dtype).eps
    lo = values * rng.uniform(-0.5, 0.5, values.shape) * eps
    lo = np.where(abs(lo) < np.finfo(dtype).tiny, 0, lo)  # XLA on CPU flushes subnormals
    return values.astype(dtype), lo.astype(dtype)


def _mp(hi, lo):
    return mpmath.mpf(float(hi)) + mpmath.mpf(float(lo))


def _run(dtype, fn, *args):
    with jax.enable_x64(dtype == np.float64):
        return [np.asarray(v, np.float64) for v in jax.jit(fn)(*(jnp.asarray(a) for a in args))]


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
def test_power_of_a_double_word_within_a_few_eps_squared(dtype) -> None:
    rng = np.random.default_rng(0)
    n = 400
    u_hi, u_lo = _double_words(rng, rng.uniform(0, 1, n) ** 4 + 1e-6, dtype)
    g_hi, g_lo = _double_words(rng, np.exp(rng.uniform(np.log(0.2), np.log(12), n)), dtype)
    hi, lo = _run(dtype, pow_dw, u_hi, u_lo, g_hi, g_lo)
    with mpmath.workprec(250):
        for i in range(n):
            want = _mp(u_hi[i], u_lo[i]) ** _mp(g_hi[i], g_lo[i])
            if want < 2.0**-100:
                continue
            err = abs(mpmath.mpf(hi[i]) + mpmath.mpf(lo[i]) - want)
            assert err <= POW_BOUND[dtype] * want + TINY[dtype], (u_hi[i], g_hi[i], float(err))


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
def test_log2_and_exp2_of_double_words(dtype) -> None:
    rng = np.random.default_rng(1)
    n = 300
    u = np.exp2(rng.uniform(-60, 60, n))
    # Near 1 (where log₂ u is small) and at powers of two (the split of the exponent).
    u[:20] = 1 + rng.uniform(-1e-3, 1e-3, 20)
    u[20:30] = np.exp2(np.arange(-5, 5))
    u_hi, u_lo = _double_words(rng, u, dtype)
    l_hi, l_lo = _run(dtype, log2_dw, u_hi, u_lo)
    w_hi, w_lo = _double_words(rng, rng.uniform(-90, 90, n), dtype)
    e_hi, e_lo = _run(dtype, exp2_dw, w_hi, w_lo)
    with mpmath.workprec(250):
        for i in range(n):
            want = mpmath.log(_mp(u_hi[i], u_lo[i]), 2)
            err = abs(mpmath.mpf(l_hi[i]) + mpmath.mpf(l_lo[i]) - want)
            assert err <= LOG_BOUND[dtype] * (1 + abs(want)), (u_hi[i], float(err))
            want = mpmath.power(2, _mp(w_hi[i], w_lo[i]))
            err = abs(mpmath.mpf(e_hi[i]) + mpmath.mpf(e_lo[i]) - want)
            assert err <= POW_BOUND[dtype] * want, (w_hi[i], float(err))


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
def test_exp2_limits(dtype) -> None:
    info = np.finfo(dtype)
    w = np.array([info.maxexp + 10, -(info.nmant - info.minexp) - 40, 0, -1, 3.5], dtype)
    hi, lo = _run(dtype, exp2_dw, w, np.zeros_like(w))
    np.testing.assert_array_equal(hi, np.array([np.inf, 0, 1, 0.5, 2**3.5], dtype))
    assert lo[2] == 0 and lo[3] == 0


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
def test_power_for_entmax_exponents_down_to_the_floor(dtype) -> None:
    """γ = 1/(α − 1) for α in 1.01 … 4 and w = γ log₂ u anywhere from the accuracy floor to
    the largest exponent (|w| up to 960 in float64, where a double-word w = γ log₂ u alone is
    off by about ε² |w|), plus u within 2^-4 of 1 (log₂ u → 0)."""
    rng = np.random.default_rng(2)
    info = np.finfo(dtype)
    n = 500
    gamma = np.exp(rng.uniform(np.log(1 / 3), np.log(100), n))
    w = rng.uniform(np.log2(FLOOR[dtype]), info.maxexp - 2, n)
    u = np.exp2(np.clip(w / gamma, info.minexp + 1, info.maxexp - 2))
    u[:100] = 1 + rng.choice([-1, 1], 100) * np.exp2(rng.uniform(np.log2(info.eps), -4, 100))
    u_hi, u_lo = _double_words(rng, u, dtype)
    g_hi, g_lo = _double_words(rng, gamma, dtype)
    hi, lo = _run(dtype, pow_dw, u_hi, u_lo, g_hi, g_lo)
    with mpmath.workprec(250):
        for i in range(n):
            want = _mp(u_hi[i], u_lo[i]) ** _mp(g_hi[i], g_lo[i])
            if not FLOOR[dtype] <= want < mpmath.ldexp(1, int(info.maxexp)):
                continue
            err = abs(mpmath.mpf(hi[i]) + mpmath.mpf(lo[i]) - want)
            assert err <= POW_BOUND[dtype] * want + TINY[dtype], (u_hi[i], g_hi[i], float(err))
