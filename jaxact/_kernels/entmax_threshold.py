"""α-entmax's threshold in double-word precision: Newton steps on the exact scaled scores.

    entmax_α(x)_i = [(α − 1) x_i − T]_+^γ,   γ = 1/(α − 1),   Σ_i entmax_α(x)_i = 1.

A small probability is a small difference u_i = (α − 1) x_i − T of two numbers of the size of
the scaled scores: an error of one rounding of those numbers (in the scaled score itself, in
the shift by the row's maximum, or in T) is a relative error of γ ε |(α − 1) x_i| / u_i in p_i
(ε: the machine epsilon), 70 ULP and more in float32 where p_i is near 10⁻⁵. Here

- (α − 1) x_i is formed exactly, as a double word (``_two_prod``; x_i / 2 at α = 1.5);
- T is carried as a double word, and Newton's method on

      F(T) = Σ_i u_i^γ − 1,   −F'(T) = γ Σ_i u_i^(γ−1)   (over the support, u_i > 0)

  starts from the threshold found in working precision, with u_i = (α − 1) x_i − T a double
  word and F summed in double words (a compensated reduction), so that T is limited by the
  accuracy of the terms u_i^γ, not by the size of the scores;
- u_i^γ is a double word too: ``_two_prod`` at γ = 2 (1.5-entmax), else
  ``double_word_pow.pow_dw`` (about ε²), so that F is exact to about ε² and p_i is within
  an ULP however ill-conditioned (down to u_i ≈ ε |T| / γ, where T's own double word ends);
- a Newton step that leaves the bracket of the root that the signs of F have shown so far
  is replaced by its midpoint: for γ < 1 (α > 2) F is concave with an infinite slope where an
  entry enters, and Newton's method from the left overshoots past an entry just above T.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
from jax import lax

from .double_word_pow import pow_dw
from .floating_point import _two_prod, _two_sum

_NEWTON_STEPS = 3  # two were enough for α <= 2 (F convex), not for α = 4


def _dw_row_sum(hi: jax.Array, lo: jax.Array) -> jax.Array:
    """``Σ (hi + lo)`` along the last axis, summed in double words, rounded once (keepdims)."""

    def add(a: tuple, b: tuple) -> tuple:
        s, e = _two_sum(a[0], b[0])
        return s, e + (a[1] + b[1])

    zero = jnp.zeros((), hi.dtype)
    s, e = lax.reduce((hi, lo), (zero, zero), add, (hi.ndim - 1,))
    return s[..., None], e[..., None]


def _difference(
    a_hi: jax.Array, a_lo: jax.Array, t_hi: jax.Array, t_lo: jax.Array
) -> tuple[jax.Array, jax.Array]:
    """``(a_hi + a_lo) − (t_hi + t_lo)`` as a normalised double word."""
    s, e = _two_sum(a_hi, -t_hi)
    return _two_sum(s, e + (a_lo - t_lo))


def _power(
    u_hi: jax.Array,
    u_lo: jax.Array,
    gamma: tuple[jax.Array, jax.Array],
    square: bool,
    shift: int = 0,
) -> tuple[jax.Array, jax.Array]:
    """``(u_hi + u_lo)^γ 2^shift`` as a double word (``u_hi > 0``, γ = ``γ_hi + γ_lo``), to
    about ε²: ``_two_prod`` for ``square`` (γ = 2), else ``double_word_pow.pow_dw``."""
    if square:
        hi, lo = _two_prod(u_hi, u_hi)
        return hi * 2.0**shift, (lo + 2 * (u_hi * u_lo)) * 2.0**shift
    return pow_dw(u_hi, u_lo, *gamma, shift)


def exponent(am1: jax.Array) -> tuple[jax.Array, jax.Array]:
    """γ = 1/(α − 1) as a double word ``(γ_hi, γ_lo)``: u^γ = u^γ_hi (1 + γ_lo ln u) to first
    order, and γ_hi alone would be off by up to half an ULP, |ln p| / 2 ULP in p."""
    g_hi = 1 / am1
    prod_hi, prod_lo = _two_prod(am1, g_hi)
    return g_hi, ((1 - prod_hi) - prod_lo) / am1


def _terms(
    a: tuple[jax.Array, jax.Array],
    t: tuple[jax.Array, jax.Array],
    on: jax.Array,
    gamma: tuple[jax.Array, jax.Array],
    square: bool,
    shift: int = 0,
) -> tuple[jax.Array, jax.Array, jax.Array, jax.Array, jax.Array]:
    """``(p_hi, p_lo, u_hi, u_lo, inside)``: u = a − t and p = u^γ 2^shift on the support (0
    elsewhere, u = 1 there)."""
    u_hi, u_lo = _difference(*a, *t)
    inside = on & (u_hi > 0)
    safe, safe_lo = jnp.where(inside, u_hi, 1), jnp.where(inside, u_lo, 0)
    p_hi, p_lo = _power(safe, safe_lo, gamma, square, shift)
    return jnp.where(inside, p_hi, 0), jnp.where(inside, p_lo, 0), safe, safe_lo, inside


def _quotient(p_hi: jax.Array, p_lo: jax.Array, u_hi: jax.Array, u_lo: jax.Array) -> jax.Array:
    """``(p_hi + p_lo) / (u_hi + u_lo)`` rounded (within about half an ULP): the quotient of
    the leading words corrected by its exact residual."""
    q = p_hi / u_hi
    r_hi, r_lo = _two_prod(q, u_hi)
    return q + (((p_hi - r_hi) - r_lo) + (p_lo - q * u_lo)) / u_hi


def refined_probabilities(
    a_hi: jax.Array,
    a_lo: jax.Array,
    on: jax.Array,
    t0: jax.Array,
    gamma: tuple[jax.Array, jax.Array],
    *,
    square: bool,
) -> tuple[jax.Array, jax.Array]:
    """entmax of the exact scaled scores ``a_hi + a_lo`` (along the last axis), from a
    threshold ``t0`` (keepdims) within a few ULP of the scores: ``_NEWTON_STEPS`` Newton steps
    on T as a double word, then ``p = u^γ`` rounded once; and the Jacobian's weights
    ``s = u^(γ−1) = p / u`` (``p^(2−α)``), from the double words, rounded once. ``on`` marks
    the candidates (entries that may be in the support: finite, kept, not far below the
    maximum)."""
    a = (a_hi, a_lo)
    t = (t0, jnp.zeros_like(t0))
    # A bracket of the root from the signs of F met so far: a step that leaves it (Newton
    # overshoots where F is concave, γ < 1, and an entry just above the threshold makes F'
    # jump) is replaced by the bracket's midpoint.
    inf = jnp.full_like(t0, jnp.inf)
    zero = jnp.zeros_like(t0)

    def newton(_: int, state: tuple) -> tuple:
        t, lo, hi = state
        p_hi, p_lo, u, _, inside = _terms(a, t, on, gamma, square)
        s_hi, s_lo = _dw_row_sum(p_hi, p_lo)
        excess = (s_hi - 1) + s_lo  # s_hi - 1 is exact near 1
        above = excess >= 0
        lo = tuple(jnp.where(above, v, w) for v, w in zip(t, lo, strict=True))
        hi = tuple(jnp.where(above, w, v) for v, w in zip(t, hi, strict=True))
        slope = jnp.sum(jnp.where(inside, gamma[0] * (p_hi / u), 0), axis=-1, keepdims=True)
        step = excess / jnp.where(slope > 0, slope, 1)
        new_hi, err = _two_sum(t[0], step)
        new = _two_sum(new_hi, err + t[1])
        mid_hi, mid_err = _two_sum(lo[0], hi[0])
        mid = _two_sum(mid_hi / 2, (mid_err + (lo[1] + hi[1])) / 2)
        outside = (new[0] < lo[0]) | (new[0] > hi[0])
        t = tuple(jnp.where(outside, m, v) for m, v in zip(mid, new, strict=True))
        return t, lo, hi

    # A loop, not unrolled: each step holds a double-word power of every entry, and three
    # copies of it made every program that uses entmax slow to compile.
    t, _, _ = lax.fori_loop(0, _NEWTON_STEPS, newton, (t, (-inf, zero), (inf, zero)))
    # The last terms scaled by 2^shift, so that s = p / u stays exact where p underflows.
    shift = 2 * (jnp.finfo(a_hi.dtype).nmant + 1)
    p_hi, p_lo, u_hi, u_lo, inside = _terms(a, t, on, gamma, square, shift)
    weights = jnp.where(inside, _quotient(p_hi, p_lo, u_hi, u_lo), 0)
    unscale = 2.0**-shift
    return (p_hi + p_lo) * unscale, weights * unscale
