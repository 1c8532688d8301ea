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
- at γ = 2 (1.5-entmax) u_i² is a double word too (``_two_prod``): F is exact to about ε²,
  and p_i = u_i² is within a few ULP however small it is (down to u_i ≈ ε² |T|). For other γ,
  u_i^γ is ``pow`` of the leading word (within an ULP or so) corrected to first order by the
  trailing one, so F is as exact as one ULP of the largest entry: p_i is within a few ULP
  where the function is well conditioned, with a relative error growing like ε / u_i (the
  error of T over the size of the entry) as p_i → 0.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
from jax import lax

from .floating_point import _two_prod, _two_sum

_NEWTON_STEPS = 2


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
    u_hi: jax.Array, u_lo: jax.Array, gamma: tuple[jax.Array, jax.Array], square: bool
) -> tuple[jax.Array, jax.Array]:
    """``(u_hi + u_lo)^γ`` as a double word (``u_hi > 0``, γ = ``γ_hi + γ_lo``): exact to
    about ε² for ``square`` (γ = 2), else ``u_hi^γ_hi (1 + γ_hi u_lo / u_hi + γ_lo ln u_hi)``."""
    if square:
        hi, lo = _two_prod(u_hi, u_hi)
        return hi, lo + 2 * (u_hi * u_lo)
    g_hi, g_lo = gamma
    hi = u_hi**g_hi
    return hi, hi * (g_hi * (u_lo / u_hi) + g_lo * jnp.log(u_hi))


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
) -> tuple[jax.Array, jax.Array, jax.Array, jax.Array]:
    """``(p_hi, p_lo, u_hi, inside)``: u = a − t and p = u^γ on the support (0 elsewhere)."""
    u_hi, u_lo = _difference(*a, *t)
    inside = on & (u_hi > 0)
    safe = jnp.where(inside, u_hi, 1)
    p_hi, p_lo = _power(safe, jnp.where(inside, u_lo, 0), gamma, square)
    return jnp.where(inside, p_hi, 0), jnp.where(inside, p_lo, 0), safe, inside


def refined_probabilities(
    a_hi: jax.Array,
    a_lo: jax.Array,
    on: jax.Array,
    t0: jax.Array,
    gamma: tuple[jax.Array, jax.Array],
    *,
    square: bool,
) -> jax.Array:
    """entmax of the exact scaled scores ``a_hi + a_lo`` (along the last axis), from a
    threshold ``t0`` (keepdims) within a few ULP of the scores: ``_NEWTON_STEPS`` Newton steps
    on T as a double word, then ``u^γ`` rounded once. ``on`` marks the candidates (entries
    that may be in the support: finite, kept, not far below the maximum)."""
    a = (a_hi, a_lo)
    t = (t0, jnp.zeros_like(t0))
    for _ in range(_NEWTON_STEPS):
        p_hi, p_lo, u, inside = _terms(a, t, on, gamma, square)
        s_hi, s_lo = _dw_row_sum(p_hi, p_lo)
        excess = (s_hi - 1) + s_lo  # s_hi - 1 is exact near 1
        slope = jnp.sum(jnp.where(inside, gamma[0] * (p_hi / u), 0), axis=-1, keepdims=True)
        step = excess / jnp.where(slope > 0, slope, 1)
        hi, err = _two_sum(t[0], step)
        t = _two_sum(hi, err + t[1])
    p_hi, p_lo, _, _ = _terms(a, t, on, gamma, square)
    return p_hi + p_lo
