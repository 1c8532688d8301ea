"""Powers of a double-word base to about ε²: ``(u_hi + u_lo)^(γ_hi + γ_lo)`` as a double word.

A double word is an unevaluated sum ``hi + lo`` of two floats (about twice the dtype's
precision). ``pow`` in working precision is within an ULP or so, but where the powers are
summed and the sum is solved for a threshold (α-entmax, ``entmax_threshold``), the rounding of
every term moves the threshold, and so the smallest terms, by many ULP. Here, in the dtype of
the input only (float32 never borrows float64: TPU has none) and without assuming that XLA does
or does not contract ``a * b + c`` into an FMA,

    u^γ = 2^w,   w = γ · log₂ u = γ k + γ log₂ m,   u = 2^k m:

- :func:`log2_dw`: ``k`` and ``m ∈ [0.705, 1.41]`` from the bits (exact), then one table
  step: ``c ≈ 1/m`` with few significant bits (one of 129, by the leading 7 fraction bits), so
  that ``r = m c − 1`` (``|r| < 2^-6.8``) is exact, and ``log₂ m = −log₂ c + log₂(1 + r)``
  with ``log₂(1 + r) = (2/ln 2) atanh(s)``, ``s = r / (2 + r)``: an odd series in ``s``
  (``|s| < 2^-7.8``) whose leading terms only are summed in double words;
- :func:`exp2_dw`: ``2^w = 2^n · 2^(j/64) · 2^f``, ``n + j/64`` the nearest 64th to ``w``,
  ``|f| <= 1/128``, ``2^(j/64)`` a double-word constant and ``2^f − 1 = f q(f)``, the leading
  coefficients of ``q`` in double words;
- :func:`pow_dw`: ``γ k`` exactly (split products) and ``γ log₂ m`` in double words, each
  reduced by its nearest 64th before they are added, so that ``f`` is exact to about ε² however
  large ``|w|``; then the same ``2^f``.

A polynomial's levels are double words only as far as their terms exceed ε² (``_LEVELS``),
and products share the split of their common factor. Sums with a literal constant are Dekker's
``(c − s) + p``, never ``(s − c)`` (XLA folds ``(c + p) − c`` to ``p``). Each public function
returns its two words through :func:`_together`, so that XLA computes them in one loop.
``python -m benchmarks.double_word_pow`` measures the cost and the error.
"""

from __future__ import annotations

from decimal import Decimal, localcontext

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from .floating_point import (
    _INT,
    _dtype_name,
    _pow2,
    _quick_sum,
    _split,
    _two_prod_of_halves,
    _two_sum,
)

_EXP_TABLE = 64  # 2^(j/64), j = 0 … 63
_LOG_BITS = 7  # c ≈ 1/(1 + j/128), j = 0 … 128
_UPPER = 53  # 1 + 52.5/128 < √2 < 1 + 53.5/128: the first interval of m = M/2
# 2^f − 1 = f Σ_k q_k f^k, q_k = ln2^(k+1)/(k+1)!, |f| <= 1/128: the first term left out is
# below 2^-54 / 2^-108. log₂(1 + r) = s Σ_k a_k s^(2k), a_k = 2/((2k+1) ln 2), |s| < 2^-7.8:
# below 2^-60 / 2^-114.
_EXP_DEGREE = {"float32": 4, "float64": 9}
_LOG_DEGREE = {"float32": 2, "float64": 5}
# How many of the leading levels of each polynomial are summed in double words (the next one
# takes its product into the low word): the rest are below ε² after their factor.
_LEVELS = {"exp": {"float32": 1, "float64": 4}, "log": {"float32": 0, "float64": 2}}


def _split_constant(value: Decimal, name: str) -> tuple:
    """``value`` as a double word of the dtype ``name`` (hi the nearest float, lo the rest)."""
    cast = np.float32 if name == "float32" else np.float64
    hi = cast(float(value))
    return hi, cast(float(value - Decimal(float(hi))))


def _short(value: Decimal, name: str) -> float:
    """``value`` rounded to as many significant bits as ``_split`` keeps in its high half."""
    bits = 12 if name == "float32" else 26
    exponent = int(np.floor(np.log2(float(value))))
    return float(round(value * 2 ** (bits - 1 - exponent)) / Decimal(2) ** (bits - 1 - exponent))


def _constants(name: str) -> dict:
    """The tables and coefficients of one dtype, each double word as a pair of arrays."""
    with localcontext() as ctx:
        ctx.prec = 60
        ln2 = Decimal(2).ln()
        roots = [_split_constant(2 ** (Decimal(j) / _EXP_TABLE), name) for j in range(_EXP_TABLE)]
        exp_q, factorial = [], Decimal(1)
        for k in range(1, _EXP_DEGREE[name] + 2):
            factorial *= k
            exp_q.append(_split_constant(ln2**k / factorial, name))
        log_a = [
            _split_constant(2 / ((2 * k + 1) * ln2), name) for k in range(_LOG_DEGREE[name] + 1)
        ]
        size = 1 << _LOG_BITS
        # The intervals around 1 + j/128 (j = 0 … 128); above √2 (j >= 53) m = M/2, so that
        # log₂ m = log₂ M − 1 and the table holds −log₂ c − 1 there.
        recip = [_short(1 / (1 + Decimal(j) / size), name) for j in range(size + 1)]
        logs = [
            _split_constant(-Decimal(c).ln() / ln2 - (j >= _UPPER), name)
            for j, c in enumerate(recip)
        ]
    dtype = np.float32 if name == "float32" else np.float64
    return {
        "roots": np.array(roots, dtype),
        "exp_q": exp_q,
        "log_a": log_a,
        "logs": np.column_stack([np.array(recip, dtype), np.array(logs, dtype)]),
    }


_CONSTANTS = {name: _constants(name) for name in ("float32", "float64")}


# -- double-word products that share their factor's split --------------------------------------


def _times(
    x: tuple[jax.Array, jax.Array, tuple[jax.Array, jax.Array]],
    b_hi: jax.Array,
    b_lo: jax.Array | float,
) -> tuple[jax.Array, jax.Array]:
    """``(x_hi + x_lo)(b_hi + b_lo)`` to about 2ε², ``x = (x_hi, x_lo, _split(x_hi))``: the
    exact product of the high words from the shared halves (``_two_prod_of_halves``), the
    cross terms rounded."""
    x_hi, x_lo, split = x
    hi, lo = _two_prod_of_halves(*split, b_hi)
    return _quick_sum(hi, lo + (x_hi * b_lo + x_lo * b_hi))


def _lookup(table: np.ndarray, index: jax.Array) -> list[jax.Array]:
    """The columns of ``table``'s rows ``index``, a gather from each (one gather of rows is
    many times slower on CPU)."""
    return [jnp.asarray(column).at[index].get(mode="promise_in_bounds") for column in table.T]


def _together(hi: jax.Array, lo: jax.Array) -> tuple[jax.Array, jax.Array]:
    """``(hi, lo)`` unchanged, computed in one pass.

    XLA on CPU fuses each output separately and copies every cheap operation they share into
    both (a double word's two words share nearly all of them): packed as one complex array and
    read back through a gather, which XLA does not copy, the two words come from one loop.
    float32, 2^20 powers: 23 ns each instead of 94 (``jnp.power``: 18 ns).
    """
    packed = lax.complex(hi, lo).ravel()
    index = lax.iota(jnp.int32, packed.size)
    packed = packed.at[index].get(
        mode="promise_in_bounds", unique_indices=True, indices_are_sorted=True
    )
    packed = packed.reshape(hi.shape)
    return jnp.real(packed), jnp.imag(packed)


def _factor(hi: jax.Array, lo: jax.Array) -> tuple:
    """A double word with its split, for :func:`_times`."""
    return hi, lo, _split(hi)


def _polynomial(coefficients: list, x: tuple, levels: int) -> tuple[jax.Array, jax.Array]:
    """``Σ_k c_k x^k`` (double-word constants ``c_k``, ``x`` as for :func:`_times`) by Horner:
    the levels above ``levels`` in working precision, level ``levels`` with its product in the
    low word, the ``levels`` leading ones in double words (``|c_k| > |x Σ_(i>k) …|``)."""
    x_hi = x[0]
    acc = jnp.full_like(x_hi, coefficients[-1][0])
    for c_hi, _ in reversed(coefficients[levels + 1 : -1]):
        acc = acc * x_hi + c_hi
    c_hi, c_lo = coefficients[levels]
    hi, lo = jnp.full_like(x_hi, c_hi), c_lo + x_hi * acc
    for c_hi, c_lo in reversed(coefficients[:levels]):
        p_hi, p_lo = _times(x, hi, lo)
        hi = c_hi + p_hi
        lo = ((c_hi - hi) + p_hi) + (p_lo + c_lo)  # Dekker: |c| > |p|
    return hi, lo


# -- 2^(n + j/64 + f) --------------------------------------------------------------------------


def _exp2_reduced(
    steps: jax.Array, f_hi: jax.Array, f_lo: jax.Array, shift: int
) -> tuple[jax.Array, jax.Array]:
    """``2^(steps/64 + f_hi + f_lo + shift)`` for an integer-valued ``steps`` in range and
    ``|f| <= 1/128`` (a little more is harmless)."""
    name = _dtype_name(f_hi)
    table = _CONSTANTS[name]
    f = _factor(f_hi, f_lo)
    q_hi, q_lo = _polynomial(table["exp_q"], f, _LEVELS["exp"][name])
    e_hi, e_lo = _times(f, q_hi, q_lo)  # 2^f − 1
    n = jnp.floor(steps / _EXP_TABLE)
    j = (steps - _EXP_TABLE * n).astype(jnp.int32)
    root_hi, root_lo = _lookup(table["roots"], j)
    # 2^(j/64) (1 + (2^f − 1)): the constant plus a small product, summed without cancellation.
    p_hi, p_lo = _times(_factor(e_hi, e_lo), root_hi, root_lo)
    hi = root_hi + p_hi
    lo = ((root_hi - hi) + p_hi) + (p_lo + root_lo)
    # 2^n in two normal factors, so that a subnormal result is rounded once.
    n = n + shift
    half = jnp.floor(n / 2)
    big, small = _pow2(half), _pow2(n - half)
    return (hi * big) * small, (lo * big) * small


def _range(dtype: jnp.dtype, shift: int) -> tuple[int, int]:
    """Exponents beyond which ``2^(w + shift)`` is 0 or inf (``w`` is clipped to them)."""
    info = jnp.finfo(dtype)
    return info.minexp - info.nmant - 2 - shift, info.maxexp - shift


def exp2_dw(w_hi: jax.Array, w_lo: jax.Array, shift: int = 0) -> tuple[jax.Array, jax.Array]:
    """``2^(w_hi + w_lo + shift)`` as a double word (``|w_lo| <= ulp(w_hi)``), to about
    2⁻⁴⁶ / 2⁻¹⁰² relative (float32 / float64).

    Results below the smallest normal number come out subnormal (or 0 where the backend
    flushes them) and lose the low word; beyond the largest exponent they are inf. ``shift``
    (an integer) scales the result exactly, so that a caller can keep it normal.
    """
    low, high = _range(w_hi.dtype, shift)
    w_lo = jnp.where((w_hi < low) | (w_hi > high), 0, w_lo)
    w_hi = jnp.clip(w_hi, low, high)
    steps = jnp.round(_EXP_TABLE * w_hi)
    f_hi, f_lo = _two_sum(w_hi - steps / _EXP_TABLE, w_lo)  # the difference is exact
    return _together(*_exp2_reduced(steps, f_hi, f_lo, shift))


# -- log₂ u = k + log₂ m -------------------------------------------------------------------------


def _log2_parts(u_hi: jax.Array, u_lo: jax.Array) -> tuple[jax.Array, jax.Array, jax.Array]:
    """``(k, l_hi, l_lo)``: ``log₂ u = k + l``, ``k`` integer-valued, ``|l| <= 0.51`` to about
    ε² absolute."""
    name = _dtype_name(u_hi)
    signed, _ = _INT[name]
    table = _CONSTANTS[name]
    nmant = jnp.finfo(u_hi.dtype).nmant
    bits = lax.bitcast_convert_type(u_hi, signed)
    fraction = bits & signed((1 << nmant) - 1)
    j = (fraction + signed(1 << (nmant - _LOG_BITS - 1))) >> (nmant - _LOG_BITS)
    exponent = (bits >> nmant) - signed(jnp.finfo(u_hi.dtype).maxexp - 1)
    k = (exponent + (j >= _UPPER).astype(signed)).astype(u_hi.dtype)
    one = lax.bitcast_convert_type(jnp.ones((), u_hi.dtype), signed)
    big = lax.bitcast_convert_type(fraction | one, u_hi.dtype)  # M = u / 2^exponent in [1, 2)
    c, logc_hi, logc_lo = _lookup(table["logs"], j)
    # r = M c − 1 exactly from M's halves (each product exact, the first minus 1 by Sterbenz),
    # plus the low word's share, renormalised (s's and the series' low words are not
    # multiplied together).
    mh, ml = _split(big)
    r_hi, r_err = _two_sum(mh * c - 1, ml * c)
    r_hi, r_lo = _two_sum(r_hi, r_err + (u_lo * _pow2(-exponent.astype(u_hi.dtype))) * c)
    # s = r / (2 + r), its low word from the residual r − s (2 + r): r_hi − 2 s_hi is exact
    # (Sterbenz), and the rest is of the size of ε s.
    inverse = 1 / (2 + r_hi)
    s_hi = r_hi * inverse
    s_split = _split(s_hi)
    p_hi, p_lo = _two_prod_of_halves(*s_split, r_hi)
    s_lo = ((((r_hi - 2 * s_hi) - p_hi) - p_lo) + (r_lo - s_hi * r_lo)) * inverse
    s = (s_hi, s_lo, s_split)
    z_hi, z_lo = _two_prod_of_halves(*s_split, s_hi)  # s² (its low word is dead code in float32)
    z_hi, z_lo = _quick_sum(z_hi, z_lo + 2 * (s_hi * s_lo))
    a_hi, a_lo = _polynomial(table["log_a"], _factor(z_hi, z_lo), _LEVELS["log"][name])
    t_hi, t_lo = _times(s, a_hi, a_lo)  # log₂(1 + r)
    l_hi, err = _two_sum(logc_hi, t_hi)
    return k, *_quick_sum(l_hi, err + (logc_lo + t_lo))


def log2_dw(u_hi: jax.Array, u_lo: jax.Array) -> tuple[jax.Array, jax.Array]:
    """``log₂(u_hi + u_lo)`` as a double word, for ``u_hi`` positive, normal and below half
    the largest float; absolute error about ε² (1 + |log₂ u|)."""
    k, l_hi, l_lo = _log2_parts(u_hi, u_lo)
    hi, err = _two_sum(k, l_hi)
    return _together(*_quick_sum(hi, err + l_lo))


def pow_dw(
    u_hi: jax.Array, u_lo: jax.Array, g_hi: jax.Array, g_lo: jax.Array, shift: int = 0
) -> tuple[jax.Array, jax.Array]:
    """``(u_hi + u_lo)^(g_hi + g_lo) 2^shift`` as a double word, for ``u_hi`` as in
    :func:`log2_dw`.

    Relative error about ε² (1 + |γ|), however large ``|γ log₂ u|``: below 2⁻⁴⁰ / 2⁻⁹⁶
    (float32 / float64) for γ up to 100 and results down to the accuracy floor (2⁻¹⁰⁰ /
    2⁻⁹⁶⁰).
    """
    k, l_hi, l_lo = _log2_parts(u_hi, u_lo)
    g = _factor(g_hi, g_lo)
    gh, gl = g[2]
    glh, gll = _split(g_lo)
    b_hi, b_lo = _times(g, l_hi, l_lo)  # γ log₂ m, |γ log₂ m| <= 0.51 |γ|
    # w = γ k + γ log₂ m: the nearest 64ths taken off γ_hi k's leading half and off γ log₂ m
    # exactly (Sterbenz) before the rest (γ_hi k's other half, γ_lo k, each exact) is added.
    x1 = gh * k
    steps_a, steps_b = jnp.round(_EXP_TABLE * x1), jnp.round(_EXP_TABLE * b_hi)
    s1, e1 = _two_sum(x1 - steps_a / _EXP_TABLE, gl * k)
    s2, e2 = _two_sum(s1, b_hi - steps_b / _EXP_TABLE)
    s3, e3 = _two_sum(s2, glh * k)
    steps_c = jnp.round(_EXP_TABLE * s3)
    f_hi, f_lo = _two_sum(s3 - steps_c / _EXP_TABLE, (e1 + e2) + (e3 + gll * k + b_lo))
    steps = steps_a + steps_b + steps_c
    low, high = _range(u_hi.dtype, shift)
    inside = (steps >= _EXP_TABLE * low) & (steps <= _EXP_TABLE * high)
    steps = jnp.clip(steps, _EXP_TABLE * low, _EXP_TABLE * high)
    f_hi, f_lo = jnp.where(inside, f_hi, 0), jnp.where(inside, f_lo, 0)
    return _together(*_exp2_reduced(steps, f_hi, f_lo, shift))
