"""``expm1`` by range reduction, within ~1.5 ULP: ``expm1(z) = 2**n expm1(r) + (2**n - 1)``.

The tanh and sech² kernels (``logistic``) and the ELU family evaluate their exponentials here
rather than with XLA's ``expm1``/``tanh`` (see the comment below for why and how). The
self-gated functions' exponentials, which take a double-word argument, are in ``exp``.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp

from .floating_point import _LOG2E, _REDUCTION, _dtype_name, _horner, _pow2

#
# XLA's own tanh is a rational approximation: measured over every float32 in [2^-20, 9.5] it is
# up to 4.9 ULP off (2582 inputs above 4 ULP), and 4.9 ULP in float64; its expm1 is 5 ULP off in
# float32 near |x| ~ 0.1. Here expm1(z) is evaluated as exp is in libm: z = n ln2 + r with
# n = round(z / ln2) and |r| <= ln2/2, so
#
#     expm1(z) = 2^n expm1(r) + (2^n - 1),  expm1(r) = r + r^2 q(r),
#
# with q a near-minimax polynomial for (expm1(r) - r) / r^2 on [-ln2/2, ln2/2] (Chebyshev
# interpolation in mpmath; max relative error 2.9e-9 in float32, 3.0e-18 in float64). ln2 is
# split Cody-Waite style with a short high part, so n ln2_hi and z - n ln2_hi are exact with or
# without FMA contraction; 2^n is built from the bits of n + 1.5 * 2^p (the float sum puts n in
# the low significand bits, so no float-to-int conversion with its saturation checks is needed).
# For n = 0 there is no cancellation at all and for n != 0 the two terms never cancel by more
# than a factor 1.4. No select and no special case: one polynomial, one division in tanh. The
# input is clamped (``clamp``) where 2^n would overflow; callers clamp where the result no
# longer changes.
# Regenerate with `python -m tools.fit_expm1` (it prints the errors: 9.1e-9 / 4.9e-18 with the
# coefficients rounded to the dtype). Not ``exp._EXP_Q``: that one is the same function of r
# (1 + r q_expm1(r)), fitted for 1 + r q(r) on the wider |r| <= 0.375 its double-word argument
# needs; here the form r + r^2 q keeps expm1's relative accuracy for tiny z.
_EXPM1_Q = {
    "float32": (
        0.500000001346581,
        0.16666666681623232,
        0.041666464925285904,
        0.0083333109254809,
        0.0013933649996309251,
        0.00019890990824673654,
    ),
    "float64": (
        0.5,
        0.1666666666666667,
        0.04166666666666667,
        0.008333333333326136,
        0.0013888888888883748,
        0.00019841269874820627,
        2.4801587325547743e-05,
        2.7557255400206422e-06,
        2.75572736431103e-07,
        2.5105217004720745e-08,
        2.0914686968086876e-09,
    ),
}


def _expm1_reduced(z: jax.Array, lo: float | None, hi: float) -> jax.Array:
    """``expm1(clip(z, lo, hi))`` within ~1.5 ULP (``lo=None``: z >= 0 already); NaN stays NaN.

    After the clip z/ln2 must lie in [-126, 127] (float32) / [-1022, 1023] (float64).
    """
    name = _dtype_name(z)
    ln2_hi, ln2_lo, _, _, _ = _REDUCTION[name]
    z = jnp.minimum(z, hi) if lo is None else jnp.clip(z, lo, hi)  # NaN propagates
    n = jnp.round(z * _LOG2E)
    r = (z - n * ln2_hi) - n * ln2_lo
    em1_r = r + (r * r) * _horner(_EXPM1_Q[name], r)
    two_n = _pow2(n)
    return two_n * em1_r + (two_n - 1)


# expm1 below 0 (the ELU family's negative branch) by the same range reduction; below the
# floor expm1 is -1 in the dtype and 2^n stays a normal number.
_EXPM1_FLOOR = {"float32": -87.0, "float64": -700.0}


@jax.custom_jvp
def _expm1_nonpositive(x: jax.Array) -> jax.Array:
    """``expm1(x)`` for ``x <= 0`` (and NaN), within ~1.5 ULP."""
    return _expm1_reduced(x, _EXPM1_FLOOR[_dtype_name(x)], 0.0)


# Where e^x is subnormal (flushed to 0 on CPU), t e^x need not be: elu'(x) = alpha e^x with
# a large alpha (in reverse mode t carries alpha). There e^x = e^(x + C) e^-C, with x + C exact
# (Sterbenz: |x| within a factor 2 of C over the stretch that matters) and e^-C a normal
# constant; the one exp is XLA's either way.
_EXP_SHIFT = {"float32": (-80.0, 64.0), "float64": (-700.0, 640.0)}


@_expm1_nonpositive.defjvp
def _expm1_nonpositive_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x,), (t,) = primals, tangents
    # exp(x), not jax's ans + 1, which is 0 once expm1(x) rounds to -1 (x < -17 in float32);
    # XLA's exp, so that under jit it shares nothing expensive with the value.
    edge, shift = _EXP_SHIFT[_dtype_name(x)]
    far = x < edge
    e = jnp.exp(jnp.where(far, x + shift, x))
    return _expm1_nonpositive(x), jnp.where(far, (t * e) * math.exp(-shift), t * e)
