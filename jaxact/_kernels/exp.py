"""Exponentials by hand, of double-word arguments: ``2**shift * e**(hi + lo) = scale (1 + s)``.

A double word is an unevaluated sum ``hi + lo`` of two floats, carrying about twice the
dtype's precision. Used by the self-gated functions (silu's ``beta x``, GELU, Mish). They keep
f and f' within a few ULP over all finite inputs, using only float32 arithmetic in float32 (TPU
has no float64) and no FMA assumption (XLA may or may not contract):

- *Exponentials by hand* (:func:`_exp_parts`, :func:`_exp2_parts`): Cody-Waite reduction, a
  fitted polynomial and a power of two built from its bits. The argument may carry a low part
  (a double-word argument), and the result comes as ``scale * (1 + s)`` times a fixed power of
  two, so that it stays normal where ``e**x`` is subnormal (XLA flushes those to 0: silu'(-88)
  and mish(-88) are still 5 ULP above the accuracy floor there).
- *Double-word arguments*: ``e**w`` turns an absolute error of ``w`` into a relative error of
  the result (``w = -80`` rounded is 40 ULP off), so ``x**2/2`` (exact GELU) and the tanh form's
  ``w = 2 sqrt(2/pi) (x + 0.044715 x**3)`` are formed from masked splits
  (``floating_point._split``, ``_two_prod``), whose partial products are exact with or without
  FMA contraction. No error-free sum involves a literal constant: XLA folds ``(c + b) - c``
  to ``b``.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from .floating_point import _LOG2E, _REDUCTION, _dtype_name, _horner, _pow2

# -- exponentials by hand ----------------------------------------------------------------------

# e^r - 1 = r q(r) on |r| <= 0.375 and 2^r - 1 = r q(r) on |r| <= 0.58 (Chebyshev fits with
# mpmath). Max relative error of 1 + r q against e^r: 2^-26.7 / 2^-61.4, against 2^r: 2^-26.0 /
# 2^-60.1; with the coefficients rounded to the dtype 2^-25.7 / 2^-59.3 and 2^-25.1 / 2^-55.1.
# Regenerate with `python -m tools.fit_expm1`. (``expm1._EXPM1_Q`` is another fit, of
# (expm1(r) - r) / r^2 on |r| <= ln2/2, for expm1's relative accuracy near 0.)
_EXP_Q = {
    "float32": (1.0, 0.5, 0.16666445136070251, 0.041666388511657715, 0.008375277742743492,
                0.0013941297074779868),
    "float64": (1.0, 0.5, 0.166666666666667, 0.04166666666666669, 0.008333333333307524,
                0.0013888888888870458, 0.00019841269919567656, 2.480158735750137e-05,
                2.755721186454722e-06, 2.755724255459937e-07, 2.5119942607549523e-08,
                2.0925202398064674e-09),
}  # fmt: skip
_EXP2_Q = {
    "float32": (0.6931471824645996, 0.24022650718688965, 0.055503133684396744,
                0.009618044830858707, 0.0013410717947408557, 0.00015470350626856089),
    "float64": (0.6931471805599453, 0.24022650695910072, 0.055504108664821784,
                0.009618129107628487, 0.0013333558146356366, 0.00015403530393345933,
                1.5252733895467186e-05, 1.3215486835388517e-06, 1.0178033617127789e-07,
                7.054885687389604e-09, 4.459375679954227e-10, 2.5746933350652342e-11),
}  # fmt: skip


def _exp_parts(hi: jax.Array, lo: jax.Array | None, shift: int) -> tuple[jax.Array, jax.Array]:
    """``(scale, s)`` with ``2**shift * e**(hi + lo) = scale * (1 + s)`` within ~0.6 ULP.

    ``hi`` is exact; ``|lo| <= 0.03``; ``hi / ln 2 + shift`` must stay in the normal exponent
    range. Keeping ``1 + s`` unrounded lets the caller fold it into its next product.
    """
    name = _dtype_name(hi)
    ln2_hi, ln2_lo, _, _, _ = _REDUCTION[name]
    n = jnp.round(hi * _LOG2E)
    r = (hi - n * ln2_hi) - n * ln2_lo  # n ln2_hi is exact, the difference too (Sterbenz)
    if lo is not None:
        r = r + lo
    return _pow2(n, shift), r * _horner(_EXP_Q[name], r)


def _exp2_parts(hi: jax.Array, lo: jax.Array, shift: int) -> tuple[jax.Array, jax.Array]:
    """``(scale, s)`` with ``2**(hi + lo + shift) = scale * (1 + s)``; ``|lo| <= 0.08``."""
    n = jnp.round(hi)
    r = (hi - n) + lo
    return _pow2(n, shift), r * _horner(_EXP2_Q[_dtype_name(hi)], r)


def _exp2_scaled(n: jax.Array, r: jax.Array, shift: int) -> jax.Array:
    """``2**(n + shift) * 2**r``, ``n`` integer-valued, ``|r| <= 0.7``: ``2**r - 1 = r q(r)``,
    with q by pairs (Estrin) in float32, a shorter chain than Horner's."""
    q = _EXP2_Q[_dtype_name(r)]
    if len(q) == 6:
        r2 = r * r
        qr = (q[0] + q[1] * r) + r2 * ((q[2] + q[3] * r) + r2 * (q[4] + q[5] * r))
    else:
        qr = _horner(q, r)
    scale = _pow2(n, shift)
    return scale + (scale * r) * qr
