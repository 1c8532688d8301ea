"""Floating-point helpers of the kernels: dtype tables, bit tricks, polynomials, exact products.

The ground floor of ``jaxact._kernels``: it imports nothing of jaxact. Every kernel works in
the dtype of its input, float32 or float64 (TPU has no float64, so float32 never borrows
float64), without assuming that XLA does or does not contract ``a * b + c`` into an FMA.

- :func:`_dtype_name` and the per-dtype tables ``_INT`` (integer types of the same width) and
  ``_REDUCTION`` (the Cody-Waite constants of ``e**z = 2**n e**r``, with ``_LOG2E``);
- :func:`_pow2` (``2**n`` from the bits of ``n``) and :func:`_with_sign_of`;
- :func:`_horner`: ``sum(c[k] y**k)``;
- :func:`_split` and :func:`_two_prod`: ``a b = hi + lo`` exactly, and :func:`_two_sum`:
  ``a + b = s + e`` exactly, the building blocks of the double-word (unevaluated sum of two
  floats) arithmetic of the exponentials, CELU, the periodic functions and entmax;
- :func:`_quick_sum`: Dekker's fast two-sum, renormalising a double word (``double_word_pow``,
  ``entmax_threshold``).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
from jax import lax

_INT = {"float32": (jnp.int32, jnp.uint32), "float64": (jnp.int64, jnp.uint64)}


def _dtype_name(x: jax.Array) -> str:
    """``"float64"`` for float64 input, else ``"float32"`` (the tables' keys)."""
    return "float64" if x.dtype == jnp.float64 else "float32"


def _horner(coefficients: tuple[float, ...], y: jax.Array) -> jax.Array:
    """``sum(c[k] * y**k)``, lowest degree first."""
    acc = jnp.full_like(y, coefficients[-1])
    for c in reversed(coefficients[:-1]):
        acc = acc * y + c
    return acc


# -- range reduction e^z = 2^n e^r, n = round(z / ln 2), |r| <= ln2 / 2 --------------------
#
# (ln2_hi, ln2_lo, 1.5 * 2^p, significand bits p, bit pattern of 1.0): ln2_hi has 16 (float32)
# / 32 (float64) significant bits, so n ln2_hi is exact for every n used here; ln2_lo is
# ln 2 - ln2_hi rounded. Regenerate with `python -m tools.exp_reduction`. The split leaves an
# error in r of 2^-36.8 at |n| = 150 (float32) and 2^-76.1 at |n| = 1075 (float64).
_REDUCTION = {
    "float32": (0.693145751953125, 1.4286068203094173e-06, 12582912.0, 23, 0x3F800000),
    "float64": (
        0.6931471803691238,
        1.9082149292705877e-10,
        6755399441055744.0,
        52,
        0x3FF0000000000000,
    ),
}
_LOG2E = 1.4426950408889634


def _pow2(n: jax.Array, shift: int = 0) -> jax.Array:
    """``2**(n + shift)`` for an integer-valued float ``n`` (``n + shift`` in the normal range).

    From the bits of ``n + 1.5 * 2**p``, whose float sum puts n in the low significand bits: no
    float-to-int conversion with its saturation checks.
    """
    name = _dtype_name(n)
    _, _, shifter, bits, one = _REDUCTION[name]
    signed, _ = _INT[name]
    k = lax.bitcast_convert_type(n + shifter, signed)  # n in the low bits
    return lax.bitcast_convert_type((k << bits) + signed(one + (shift << bits)), n.dtype)


def _with_sign_of(v: jax.Array, x: jax.Array) -> jax.Array:
    """``v >= 0`` with the sign bit of ``x`` (two integer ops; jnp.copysign costs a select)."""
    _, unsigned = _INT[_dtype_name(x)]
    sign = lax.bitcast_convert_type(x, unsigned) & unsigned(1 << (jnp.finfo(x.dtype).bits - 1))
    return lax.bitcast_convert_type(lax.bitcast_convert_type(v, unsigned) | sign, x.dtype)


# -- exact products ------------------------------------------------------------------------

# The high half keeps the leading 12 (float32) / 26 (float64) significand bits.
_SPLIT_MASK = {"float32": 0xFFFFF000, "float64": 0xFFFFFFFFF8000000}


def _split(a: jax.Array) -> tuple[jax.Array, jax.Array]:
    """``a = hi + lo`` with ``hi`` holding the leading 12 (float32) / 26 (float64) bits.

    Masking the low significand bits (not Veltkamp's (2^s + 1) a trick, which compilers break
    by contracting into FMAs under jit) leaves halves whose products are exact.
    """
    _, unsigned = _INT[_dtype_name(a)]
    bits = lax.bitcast_convert_type(a, unsigned) & unsigned(_SPLIT_MASK[_dtype_name(a)])
    hi = lax.bitcast_convert_type(bits, a.dtype)
    return hi, a - hi


def _two_prod(a: jax.Array, b: jax.Array) -> tuple[jax.Array, jax.Array]:
    """``a b = hi + lo`` (barring over/underflow) from exact partial products only.

    ``a b = ah bh + (ah bl + al bh) + al bl`` with the halves of :func:`_split`; the middle sum
    is kept as a double word (Knuth's two-sum). ``a * b`` itself is never formed: contracted
    into an FMA with a partial product it would no longer round the same, and Dekker's
    ``ah bh - a b`` would then be off by that rounding.
    """
    return _two_prod_of_halves(*_split(a), b)


def _two_prod_of_halves(ah: jax.Array, al: jax.Array, b: jax.Array) -> tuple[jax.Array, jax.Array]:
    """:func:`_two_prod` with ``a`` given by its halves ``ah, al = _split(a)``, for products
    that share a factor (its split formed once)."""
    bh, bl = _split(b)
    t1, m = ah * bh, ah * bl + al * bh
    em = (ah * bl - (m - (m - ah * bl))) + (al * bh - (m - ah * bl))
    hi = t1 + m
    return hi, ((t1 - hi) + m) + (em + al * bl)


def _two_sum(a: jax.Array, b: jax.Array) -> tuple[jax.Array, jax.Array]:
    """Knuth's ``a + b = s + e`` exactly (``s`` the rounded sum), for any magnitudes."""
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def _quick_sum(hi: jax.Array, lo: jax.Array) -> tuple[jax.Array, jax.Array]:
    """``hi + lo`` renormalised, for ``|hi| >= |lo|`` (Dekker's fast two-sum)."""
    s = hi + lo
    return s, lo - (s - hi)
