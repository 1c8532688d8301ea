"""Powers of a double-word base to about ε²: ``(u_hi + u_lo)^(γ_hi + γ_lo)`` as a double word.

A double word is an unevaluated sum ``hi + lo`` of two floats (about twice the dtype's
precision). ``pow`` in working precision is within an ULP or so, but where the powers are
summed and the sum is solved for a threshold (α-entmax, ``entmax_threshold``), the rounding of
every term moves the threshold, and so the smallest terms, by many ULP. Here, in the dtype of
the input only (float32 never borrows float64: TPU has none) and without assuming that XLA does
or does not contract ``a * b + c`` into an FMA,

    u^γ = 2^w,   w = γ · log₂ u:

- :func:`log2_dw`: ``log₂ u = k + log₂ m``, the exponent ``k`` and ``m ∈ [√½, √2]`` from the
  bits (exact); ``y₀ = log₂ m`` in working precision, then one correction
  ``log₂ m = y₀ + ln(1 + t) / ln 2`` with ``t = m · 2^(−y₀) − 1`` (of the size of ε) formed
  with the double-word ``2^(−y₀)`` of :func:`exp2_dw`, so that only ``t``'s own rounding is
  left (ε² relative);
- :func:`exp2_dw`: ``2^w = 2^n · 2^(j/16) · e^r``, ``n + j/16`` the nearest sixteenth to ``w``,
  ``r = (w − n − j/16) ln 2`` (``|r| ≤ ln2/32``), ``2^(j/16)`` a double-word constant and
  ``e^r − 1`` its Taylor series, the terms above ε in double words and the rest in working
  precision;
- :func:`pow_dw`: the product ``γ · log₂ u`` in double words, then :func:`exp2_dw`.

No error-free sum involves a literal constant (XLA folds ``(c + b) − c`` to ``b``): the
series is summed from its terms (products), and the table's constant is picked at run time.
"""

from __future__ import annotations

from decimal import Decimal, localcontext
from math import factorial

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from .floating_point import _INT, _dtype_name, _dw_add, _dw_mul, _pow2, _two_prod, _two_sum

# e^r − 1 = Σ_{k=1}^{degree} r^k / k! on |r| <= ln2/32, the first term left out below 2^-48 /
# 2^-108 of e^r; the terms k <= _DOUBLE_TERMS as double words, the rest (below 2^-26 / 2^-51,
# so that their rounding is below ε² of the sum) in working precision.
_DEGREE = {"float32": 6, "float64": 13}
_DOUBLE_TERMS = {"float32": 3, "float64": 6}
_TABLE = 16  # 2^(j/16), j = 0 … 15


def _split_constant(value: Decimal, name: str) -> tuple[float, float]:
    """``value`` as a double word of the dtype ``name`` (hi the nearest float, lo the rest)."""
    cast = np.float32 if name == "float32" else np.float64
    hi = cast(float(value))
    return hi, cast(float(value - Decimal(float(hi))))


def _constants(name: str) -> tuple:
    """(ln 2, 2^(j/16) for j = 0 … 15, 1/k! for k = 0 … degree), each a double word."""
    with localcontext() as ctx:
        ctx.prec = 60
        ln2 = _split_constant(Decimal(2).ln(), name)
        roots = [_split_constant(Decimal(2) ** (Decimal(j) / _TABLE), name) for j in range(_TABLE)]
        taylor = [
            _split_constant(Decimal(1) / factorial(k), name) for k in range(_DEGREE[name] + 1)
        ]
    return ln2, np.array(roots).T, taylor


_CONSTANTS = {name: _constants(name) for name in ("float32", "float64")}


def _expm1_dw(r_hi: jax.Array, r_lo: jax.Array) -> tuple[jax.Array, jax.Array]:
    """``e^r − 1`` for ``|r| <= ln2/32`` as a double word, summed from the smallest term."""
    name = _dtype_name(r_hi)
    _, _, taylor = _CONSTANTS[name]
    cut = _DOUBLE_TERMS[name]
    tail = jnp.full_like(r_hi, taylor[-1][0])
    for c, _ in reversed(taylor[cut + 1 : -1]):
        tail = tail * r_hi + c
    power = (r_hi, r_lo)
    terms = [power]
    for k in range(2, cut + 1):
        power = _dw_mul(*power, r_hi, r_lo)
        c_hi, c_lo = (jnp.asarray(c, r_hi.dtype) for c in taylor[k])
        terms.append(_dw_mul(*power, c_hi, c_lo))
    acc = (tail * (power[0] * r_hi), jnp.zeros_like(r_hi))
    for term in reversed(terms):
        acc = _dw_add(*term, *acc)
    return acc


def exp2_dw(w_hi: jax.Array, w_lo: jax.Array, shift: int = 0) -> tuple[jax.Array, jax.Array]:
    """``2^(w_hi + w_lo + shift)`` as a double word (``|w_lo| <= ulp(w_hi)``), to about
    2⁻⁴⁶ / 2⁻¹⁰² relative (float32 / float64).

    Results below the smallest normal number come out subnormal (or 0 where the backend
    flushes them) and lose the low word; beyond the largest exponent they are inf. ``shift``
    (an integer) scales the result exactly, so that a caller can keep it normal.
    """
    name = _dtype_name(w_hi)
    (ln2_hi, ln2_lo), roots, _ = _CONSTANTS[name]
    info = jnp.finfo(w_hi.dtype)
    low, high = info.minexp - info.nmant - 2 - shift, info.maxexp - shift
    w_lo = jnp.where((w_hi < low) | (w_hi > high), 0, w_lo)
    w_hi = jnp.clip(w_hi, low, high)
    steps = jnp.round(_TABLE * w_hi)  # w ≈ steps / 16 = n + j / 16
    frac = w_hi - steps / _TABLE  # exact (Sterbenz, or steps = 0)
    f_hi, f_lo = _two_sum(frac, w_lo)
    ln2 = (jnp.asarray(ln2_hi, w_hi.dtype), jnp.asarray(ln2_lo, w_hi.dtype))
    e_hi, e_lo = _expm1_dw(*_dw_mul(f_hi, f_lo, *ln2))
    n = jnp.floor(steps / _TABLE)
    j = (steps - _TABLE * n).astype(jnp.int32)
    n = n + shift
    root_hi = jnp.take(jnp.asarray(roots[0], w_hi.dtype), j)
    root_lo = jnp.take(jnp.asarray(roots[1], w_hi.dtype), j)
    # 2^(j/16) (1 + (e^r − 1)): the constant plus a small product, summed without cancellation.
    p_hi, p_lo = _dw_mul(root_hi, root_lo, e_hi, e_lo)
    hi, lo = _dw_add(root_hi, root_lo, p_hi, p_lo)
    # 2^n in two normal factors, so that a subnormal result is rounded once.
    half = jnp.floor(n / 2)
    big, small = _pow2(half), _pow2(n - half)
    return (hi * big) * small, (lo * big) * small


def log2_dw(u_hi: jax.Array, u_lo: jax.Array) -> tuple[jax.Array, jax.Array]:
    """``log₂(u_hi + u_lo)`` as a double word, for ``u_hi`` positive, normal and below half
    the largest float; absolute error about ε² (1 + |log₂ u|)."""
    name = _dtype_name(u_hi)
    signed, _ = _INT[name]
    (ln2_hi, _), _, _ = _CONSTANTS[name]
    info = jnp.finfo(u_hi.dtype)
    bits = lax.bitcast_convert_type(u_hi, signed)
    # u = 2^k m: k from the exponent field, one more where the significand is above √2's (then
    # m = u / 2^k is in [√½, 1) rather than in [1, √2]).
    fraction = (1 << info.nmant) - 1
    root2 = int(np.asarray(np.sqrt(2.0), u_hi.dtype).view(np.dtype(signed).name)) & fraction
    upper = (bits & signed(fraction)) > signed(root2)
    k = ((bits >> info.nmant) - signed(1 - info.minexp) + upper.astype(signed)).astype(u_hi.dtype)
    scale = _pow2(-k)
    m, m_lo = u_hi * scale, u_lo * scale  # exact
    y0 = jnp.log2(m)
    e_hi, e_lo = exp2_dw(-y0, jnp.zeros_like(y0))
    p_hi, p_lo = _two_prod(m, e_hi)
    t = (p_hi - 1) + (p_lo + (m * e_lo + m_lo * e_hi))  # m 2^(−y0) − 1, of the size of ε
    correction = (t - t * t / 2) / ln2_hi
    s, err = _two_sum(k, y0)
    return _two_sum(s, err + correction)


def pow_dw(
    u_hi: jax.Array, u_lo: jax.Array, g_hi: jax.Array, g_lo: jax.Array, shift: int = 0
) -> tuple[jax.Array, jax.Array]:
    """``(u_hi + u_lo)^(g_hi + g_lo) 2^shift`` as a double word, for ``u_hi`` as in
    :func:`log2_dw`.

    Relative error about ε² (1 + |γ log₂ u|): below 2⁻⁴⁰ / 2⁻⁹⁶ (float32 / float64) for results
    down to the accuracy floor (2⁻¹⁰⁰ / 2⁻⁹⁶⁰).
    """
    l_hi, l_lo = log2_dw(u_hi, u_lo)
    return exp2_dw(*_dw_mul(g_hi, g_lo, l_hi, l_lo), shift)
