"""α-entmax's threshold in double-word precision: Newton steps on the exact scaled scores.

    entmax_α(x)_i = [(α − 1) x_i − T]_+^γ,   γ = 1/(α − 1),   Σ_i entmax_α(x)_i = 1.

A small probability is a small difference u_i = (α − 1) x_i − T of two numbers of the size of
the scaled scores: an error of one rounding of those numbers (in the scaled score itself, in
the shift by the row's maximum, or in T) is a relative error of γ ε |(α − 1) x_i| / u_i in p_i
(ε: the machine epsilon), 70 ULP and more in float32 where p_i is near 10⁻⁵. Here

- (α − 1) x_i = a_i is formed exactly, as a double word (``_two_prod``; x_i / 2 at α = 1.5);
- T is carried relative to an *anchor*, the support's smallest entry r: T = a_r − v with v > 0
  a double word, so that u_r = v and u_i = (a_i − a_r) + v (a double-word difference of exact
  scores, then a sum of two positive numbers) keep their relative precision however close an
  entry lies to the threshold, even closer than a double word T could tell apart (ε² |T|);
- Newton's method on F(T) = Σ_i u_i^γ − 1, −F'(T) = γ Σ_i u_i^(γ−1) (over the support) with
  u_i^γ a double word (``_two_prod`` at γ = 2, else ``double_word_pow.pow_dw``, about ε²) and
  F summed in double words, so that T is limited by the accuracy of the terms, not by the
  size of the scores;
- each step re-anchors at the smallest u_i > 0 and is taken in the variable that makes F
  convex there: v itself for γ ≥ 1 (α ≤ 2: F is convex in T), and q = v^γ = p_r for γ < 1
  (α > 2), where F has an infinite slope as T reaches an entry from below (Newton's method in
  T overshoots past an entry just above the threshold, and a working-precision search cannot
  tell on which side of it T lies). In q, F = q + Σ_{i≠r} ((a_i − a_r) + q^(α−1))^γ − 1 is a
  sum of ℓ_(α−1) norms, convex, with slope at least 1: Newton's steps from above converge
  monotonically, and a step from below lands above, as long as the support does not change
  on the way. An entry j below r that comes in adds ((a_j − a_r) + q^(α−1))^γ, concave in q
  with an infinite slope at its entry, which the step did not count (it overshoots, to
  u_j ≈ β|F| where |F|^β is due), and past an anchor that leaves, F is concave in T. So a step
  in q never passes an entry's score: it goes to T = a_j exactly (v = 0 at the entry j it
  would pass: the anchor itself, from above, where t/β >= 1 says that F(a_r) >= 0), where
  F(a_j) tells on which side of a_j the threshold lies (to F's rounding: the test at the
  threshold below), and from there, where F(a_j) < 0, steps in q of j from q = 0, where
  dF/dq is the number of entries at a_j; a step that shrinks v by more than half is formed
  as the product v (1 − t/β)^β (as v + v c it rounds to 0 once the factor is below ε). Each
  such visit costs a step. Without these rules, rows with (near-)tied entries within a few
  ε |T| of the threshold cycled between such overshoots until the step limit (issue 14: 11
  of 2000 rows at α = 4 in float64, summing to up to 1.024);
- steps are repeated until the anchor's v changes by less than about √ε relative (twice for
  most rows), then p_i = u_i^γ is rounded once;
- an entry exactly at the threshold (the others' terms sum to exactly 1 there) has u_r = 0 and
  p_r = 0, but F is known only to its rounding (about ε²): Newton's steps put T anywhere within
  that of a_r and never settle, and the entry got a p_r of that size (about ε² at α = 2, its
  square root at α = 3). So where the anchor's T stays within the rounding of F of a_r (|v|
  times the other entries' −F' below 2¹⁰ ε²) while the steps do not settle, the next step is
  taken from T = a_r exactly (v = 0): there the anchor and its ties are 0, and F(a_r) >= −16 ε²
  (a threshold at a_r or above, to the rounding of F) keeps them outside for the rest of the
  steps. An entry above the threshold by more than that keeps its value. At γ = 1 (α = 2) the
  terms are u itself, exact, so that rows whose score differences are exact give F(a_r) = 0.
  For α > 2 every state at T = a_r of the steps in q (above) is such a test.
"""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp
from jax import lax

from .double_word_pow import pow_dw
from .floating_point import _dtype_name, _quick_sum, _two_prod, _two_sum

_MAX_STEPS = 12  # a bound: most rows stop after two steps, rows built against the search
# after up to 7 (2000 rows of seed 8, α = 4 and 5 in float64: tied entries at the threshold).
# Stop when the anchor's v moved by less than this (relative): the next step would move it by
# about the square of that (times (γ − 1)/2, at most 4.5 at α = 1.1), below an ULP of p / 16.
_SETTLED = {"float32": 2.0**-15, "float64": 2.0**-30}
# ε², about the relative rounding of the terms (double words), and the bounds of the test at
# the threshold (module docstring): an anchor r with |v| times the other entries' −F' at most
# _PROBE_BOUND ε² is tested at T = a_r, and is outside the support where F(a_r) >=
# −_HELD_BOUND ε² Σ terms (the terms' rounding is below ε²/4 each, with Σ terms near 1).
_EPS2 = {"float32": 2.0**-46, "float64": 2.0**-104}
_PROBE_BOUND, _HELD_BOUND = 2.0**10, 2.0**4
# A row's state of that test: not made, made now (v = 0), made with the anchor found inside,
# made with it outside (from then on, F within the bound below 0 counts as 0).
_FRESH, _PROBING, _KEPT, _HELD = 0, 1, 2, 3


def _dw_row_sum(hi: jax.Array, lo: jax.Array) -> jax.Array:
    """``Σ (hi + lo)`` along the last axis, summed in double words, rounded once (keepdims)."""

    def add(a: tuple, b: tuple) -> tuple:
        s, e = _two_sum(a[0], b[0])
        return s, e + (a[1] + b[1])

    zero = jnp.zeros((), hi.dtype)
    s, e = lax.reduce((hi, lo), (zero, zero), add, (hi.ndim - 1,))
    return s[..., None], e[..., None]


def difference(
    a_hi: jax.Array, a_lo: jax.Array, b_hi: jax.Array, b_lo: jax.Array
) -> tuple[jax.Array, jax.Array]:
    """``(a_hi + a_lo) − (b_hi + b_lo)`` as a normalised double word, to about 3ε² of the
    difference itself (the accurate double-word sum of Joldes, Muller & Popescu, 2017): the
    leading and the trailing words are each subtracted exactly."""
    s, e = _two_sum(a_hi, -b_hi)
    t, f = _two_sum(a_lo, -b_lo)
    s, e = _quick_sum(s, e + t)
    return _quick_sum(s, e + f)


def _power(
    u_hi: jax.Array,
    u_lo: jax.Array,
    gamma: tuple[jax.Array, jax.Array],
    square: bool,
    shift: int = 0,
) -> tuple[jax.Array, jax.Array]:
    """``(u_hi + u_lo)^γ 2^shift`` as a double word (``u_hi > 0``, γ = ``γ_hi + γ_lo``), to
    about ε²: ``_two_prod`` for ``square`` (γ = 2), u itself where γ = 1, else
    ``double_word_pow.pow_dw``."""
    if square:
        hi, lo = _two_prod(u_hi, u_hi)
        return hi * 2.0**shift, (lo + 2 * (u_hi * u_lo)) * 2.0**shift
    p_hi, p_lo = pow_dw(u_hi, u_lo, *gamma, shift)
    # γ = 1 (α = 2, sparsemax) exactly: u itself, not pow_dw's u to about ε², so that the terms
    # of scores whose differences are exact sum exactly (an entry at the threshold gets 0).
    one = (gamma[0] == 1) & (gamma[1] == 0)
    return jnp.where(one, u_hi * 2.0**shift, p_hi), jnp.where(one, u_lo * 2.0**shift, p_lo)


def exponent(am1: jax.Array) -> tuple[jax.Array, jax.Array]:
    """γ = 1/(α − 1) as a double word ``(γ_hi, γ_lo)``: u^γ = u^γ_hi (1 + γ_lo ln u) to first
    order, and γ_hi alone would be off by up to half an ULP, |ln p| / 2 ULP in p."""
    g_hi = 1 / am1
    prod_hi, prod_lo = _two_prod(am1, g_hi)
    return g_hi, ((1 - prod_hi) - prod_lo) / am1


def _at(v: jax.Array, index: jax.Array) -> jax.Array:
    return jnp.take_along_axis(v, index, axis=-1)


class _Terms(NamedTuple):
    """The row at one threshold: u = a − T and p = u^γ 2^shift (double words) on the
    support ``inside`` (p = 0 and u = 1 elsewhere, so that p / u is safe); ``u`` is u's
    leading word everywhere."""

    p_hi: jax.Array
    p_lo: jax.Array
    u_hi: jax.Array
    u_lo: jax.Array
    inside: jax.Array
    u: jax.Array


def _terms(
    a: tuple[jax.Array, jax.Array],
    anchor: jax.Array,
    v: tuple[jax.Array, jax.Array],
    on: jax.Array,
    gamma: tuple[jax.Array, jax.Array],
    square: bool,
    shift: int,
) -> _Terms:
    """The terms at T = a_anchor − v: u_i = (a_i − a_anchor) + v."""
    d = difference(*a, _at(a[0], anchor), _at(a[1], anchor))
    u_hi, u_lo = difference(*d, -v[0], -v[1])
    inside = on & (u_hi > 0)
    safe, safe_lo = jnp.where(inside, u_hi, 1), jnp.where(inside, u_lo, 0)
    p_hi, p_lo = _power(safe, safe_lo, gamma, square, shift)
    p_hi, p_lo = jnp.where(inside, p_hi, 0), jnp.where(inside, p_lo, 0)
    return _Terms(p_hi, p_lo, safe, safe_lo, inside, u_hi)


def _quotient(
    p_hi: jax.Array, p_lo: jax.Array, u_hi: jax.Array, u_lo: jax.Array
) -> tuple[jax.Array, jax.Array]:
    """``(p_hi + p_lo) / (u_hi + u_lo)`` as a double word (its sum within about half an ULP of
    the quotient): the quotient of the leading words and its correction from the exact
    residual."""
    q = p_hi / u_hi
    r_hi, r_lo = _two_prod(q, u_hi)
    return q, (((p_hi - r_hi) - r_lo) + (p_lo - q * u_lo)) / u_hi


def _shares(s_hi: jax.Array, s_lo: jax.Array, gamma: tuple[jax.Array, jax.Array]) -> jax.Array:
    """``t = w / Σw`` along the last axis, ``w = s γ`` (``s = s_hi + s_lo``, 0 off the support),
    rounded once: w and Σw in double words, so that t is within about half an ULP. For one γ
    along the row (one α), t = s / Σs; J = diag(s) − t sᵀ is then rounded only in s, t and
    their product."""
    w_hi, w_lo = _two_prod(s_hi, gamma[0])
    w_lo = w_lo + (s_hi * gamma[1] + s_lo * gamma[0])
    total_hi, total_lo = _dw_row_sum(w_hi, w_lo)
    total_hi = jnp.where(total_hi == 0, 1, total_hi)
    t_hi, t_lo = _quotient(w_hi, w_lo, total_hi, total_lo)
    return t_hi + t_lo


def _step(
    terms: _Terms,
    on: jax.Array,
    gamma: tuple[jax.Array, jax.Array],
    shift: int,
    previous: jax.Array,
    phase: jax.Array,
) -> tuple[jax.Array, tuple[jax.Array, jax.Array], jax.Array, jax.Array]:
    """One Newton step from the terms at the current threshold (at ``previous``'s v): ``(anchor,
    v, change, phase)``, the new anchor (the smallest u > 0; the largest u where none is
    positive), its new v, the relative change of v and the row's state of the test at the
    threshold (``_at_threshold``). For α > 2 a step does not pass an entry (``_in_q``, run
    only where some row's step is in q)."""
    unscale = 2.0**-shift
    s_hi, s_lo = _dw_row_sum(terms.p_hi, terms.p_lo)
    excess = (s_hi * unscale - 1) + s_lo * unscale  # F(T); s_hi 2^-shift - 1 is exact near 1
    # T = a_r exactly (v = 0 at the anchor r) in a step in q: F(a_r) says on which side of a_r
    # the threshold lies, to the rounding of F.
    at_entry = (_at(gamma[0], previous) < 1) & (_at(terms.u, previous) == 0)
    excess, phase = _held(excess, s_hi * unscale, phase, at_entry)
    each = jnp.where(terms.inside, gamma[0] * (terms.p_hi / terms.u_hi), 0)
    slope = jnp.sum(each, axis=-1, keepdims=True) * unscale  # -F'(T)
    big = jnp.asarray(jnp.inf, terms.u_hi.dtype)
    some = jnp.any(terms.inside, axis=-1, keepdims=True)
    nearest = jnp.argmin(jnp.where(terms.inside, terms.u_hi, big), axis=-1, keepdims=True)
    # -F'(T) of the other entries (the nearest and its ties left out).
    rest = jnp.sum(jnp.where(terms.u_hi > _at(terms.u_hi, nearest), each, 0), -1, keepdims=True)
    highest = jnp.argmax(jnp.where(on, terms.u_hi, -big), axis=-1, keepdims=True)
    anchor = jnp.where(some, nearest, highest)
    v_hi = jnp.where(some, _at(terms.u_hi, anchor), 0)
    v_lo = jnp.where(some, _at(terms.u_lo, anchor), 0)
    # Newton in v (γ >= 1) or in q = v^γ (γ < 1, β = α − 1 > 1): with t = F / (−F' v),
    # v_new = v (1 − t) or v (1 − t/β)^β; the factor minus 1 is c.
    t = excess / jnp.where(some, slope * v_hi, 1)
    beta = 1 / _at(gamma[0], anchor)
    in_q = (beta > 1) & (t < beta)
    c = jnp.where(in_q, jnp.expm1(beta * jnp.log1p(-jnp.where(in_q, t / beta, 0))), -t)
    # With no entry inside (T at or above every score), one step to the left by |F| = 1: at
    # T = max a − 1 the largest entry alone gives 1.
    delta = jnp.where(some, v_hi * c, -excess)
    hi, lo = _two_sum(v_hi, delta)
    v = _quick_sum(hi, lo + v_lo * jnp.where(some, 1 + c, 1))
    # Not settled while an entry crosses the threshold: the step did not count it.
    crossed = jnp.any(on & (terms.inside != (terms.u + delta > 0)), axis=-1, keepdims=True)
    change = jnp.where(some & ~crossed, jnp.abs(c), 1)
    step = (anchor, v, change)
    anchor, v, change = lax.cond(
        jnp.any((beta > 1) | at_entry),
        _in_q,
        _as_taken,
        *(terms, on, gamma, excess, step, (v_hi, v_lo, delta, t / beta), previous, at_entry),
    )
    again = some & ((anchor == previous) | (v[0] <= 0))
    return _at_threshold(anchor, v, change, phase, again, rest * unscale)


def _in_q(
    terms: _Terms,
    on: jax.Array,
    gamma: tuple[jax.Array, jax.Array],
    excess: jax.Array,
    step: tuple[jax.Array, tuple[jax.Array, jax.Array], jax.Array],
    taken: tuple[jax.Array, jax.Array, jax.Array, jax.Array],
    previous: jax.Array,
    at_entry: jax.Array,
) -> tuple[jax.Array, tuple[jax.Array, jax.Array], jax.Array]:
    """The step ``(anchor, v, change)`` where it is in q (α > 2), made to stay where F is
    convex in q, so that it converges from above and lands above from below (module
    docstring); ``taken`` is ``(v_hi, v_lo, delta, ratio)``: the nearest entry's v, the
    step's change of it and ``ratio`` = t/β = F / (q dF/dq). In q of r, an entry entering
    the support (from below) or the anchor leaving it (from above) breaks that convexity, so

    - from above, where ratio >= 1 (the tangent meets 0 at q <= 0: F(a_r) >= 0, r is
      outside), the next state is T = a_r (v = 0 at r), not a step in T past r (F is
      concave in T there: that step overshoots, past entries that are in);
    - from above, where the step shrinks v by more than half, v (1 − t/β)^β is formed as
      that product (v + v c loses the factor once it is below ε: c rounds to −1);
    - from below, a step that would bring an entry j in goes to T = a_j instead (v = 0 at
      the nearest such j): the step in q of r leaves out that entry's infinite slope at its
      entry and overshoots (u_j near β |F| instead of |F|^β);
    - at T = a_r with F(a_r) < 0 (r is in), the step is in q of r from q = 0, where
      dF/dq = k, the number of entries at a_r: q = −F(a_r)/k, v = q^β (or to the next entry
      below, where that one would come in)."""
    anchor, v, change = step
    v_hi, v_lo, delta, ratio = taken
    beta = 1 / _at(gamma[0], anchor)
    q = beta > 1
    above = q & (excess >= 0)
    factor = jnp.exp(beta * jnp.log1p(-jnp.minimum(ratio, 1)))  # (1 − t/β)^β
    f_hi, f_lo = _two_prod(v_hi, factor)
    shrunk = _quick_sum(f_hi, f_lo + v_lo * factor)
    v = tuple(jnp.where(above & (factor <= 0.5), w, x) for w, x in zip(shrunk, v, strict=True))
    leave = above & (ratio >= 1)
    # From T = a_r, r = previous (its ties have u = 0 exactly there).
    start = at_entry & (excess < 0)
    ties = on & (terms.u == 0)
    k = jnp.maximum(jnp.sum(ties, axis=-1, keepdims=True), 1).astype(excess.dtype)
    v0 = jnp.exp(jnp.log(-jnp.where(start, excess, -1) / k) / _at(gamma[0], previous))
    anchor = jnp.where(start, previous, anchor)
    v = (jnp.where(start, v0, v[0]), jnp.where(start, 0, v[1]))
    change = jnp.where(start, jnp.where(v0 > 0, 1, 0), change)
    # From below: the nearest entry that the step would bring in.
    below = (q & (excess < 0) & jnp.any(terms.inside, axis=-1, keepdims=True)) | start
    move = jnp.where(start, v0, delta)
    entering = on & (terms.u <= 0) & (terms.u + move > 0) & ~(start & ties)
    meet = below & jnp.any(entering, axis=-1, keepdims=True)
    big = jnp.asarray(jnp.inf, v_hi.dtype)
    nearest_out = jnp.argmax(jnp.where(entering, terms.u, -big), axis=-1, keepdims=True)
    anchor = jnp.where(meet, nearest_out, anchor)
    to_entry = leave | meet
    v = tuple(jnp.where(to_entry, 0, w) for w in v)
    return anchor, v, jnp.where(to_entry, 1, change)


def _as_taken(*args: object) -> object:
    """``_in_q``'s arguments to its result where no row steps in q: the step (``args[4]``)."""
    return args[4]


def _held(
    excess: jax.Array, total: jax.Array, phase: jax.Array, at_entry: jax.Array
) -> tuple[jax.Array, jax.Array]:
    """F at the threshold, and the row's state: after a test at T = a_r (``_PROBING``, or any
    state at T = a_r of a step in q: ``at_entry``), the anchor r is outside the support where
    F(a_r) >= −_HELD_BOUND ε² Σ terms (``_HELD``); in a held row an F that far below 0 or less
    is 0, so that no later step takes T back below a_r."""
    bound = _HELD_BOUND * _EPS2[_dtype_name(excess)] * total
    within = excess >= -bound
    tested = (phase == _PROBING) | at_entry
    held = (phase == _HELD) | (tested & within)
    phase = jnp.where(tested & (phase != _HELD), jnp.where(within, _HELD, _KEPT), phase)
    return jnp.where(held & within, jnp.maximum(excess, 0), excess), phase


def _at_threshold(
    anchor: jax.Array,
    v: tuple[jax.Array, jax.Array],
    change: jax.Array,
    phase: jax.Array,
    again: jax.Array,
    rest: jax.Array,
) -> tuple[jax.Array, tuple[jax.Array, jax.Array], jax.Array, jax.Array]:
    """The step's result, or the test at the threshold: where the anchor r is the same as
    before or leaving the support (``again``), T within the rounding of F of a_r (|v| times
    the other entries' −F', ``rest``, at most _PROBE_BOUND ε²) and the steps do not settle, the
    next terms are taken at v = 0 (T = a_r exactly: the anchor and its ties give 0 there, and
    F(a_r) says on which side of a_r the threshold lies); once a row."""
    name = _dtype_name(v[0])
    tiny = jnp.abs(v[0]) * rest <= _PROBE_BOUND * _EPS2[name]
    probe = again & (phase == _FRESH) & tiny & (change > _SETTLED[name])
    v = tuple(jnp.where(probe, 0, w) for w in v)
    return anchor, v, jnp.where(probe, 1, change), jnp.where(probe, _PROBING, phase)


def refined_probabilities(
    a_hi: jax.Array,
    a_lo: jax.Array,
    on: jax.Array,
    tau: jax.Array,
    gamma: tuple[jax.Array, jax.Array],
    *,
    square: bool,
) -> tuple[jax.Array, jax.Array, jax.Array]:
    """entmax of the exact scaled scores ``a_hi + a_lo`` (along the last axis), from a
    threshold ``a_top + τ`` (``τ`` keepdims, in working precision, relative to the row's
    largest candidate ``a_top``, so that it is not lost in a large score): Newton steps in
    double words (module docstring), then ``p = u^γ`` rounded once; and the Jacobian's
    weights ``s = u^(γ−1) = p / u`` (``p^(2−α)``), from the double words, rounded once, and
    their shares ``t = sγ / Σ sγ`` (``_shares``).
    ``on`` marks the candidates (entries that may be in the support: finite, kept, not far
    below the maximum)."""
    a = (a_hi, a_lo)
    gamma = tuple(jnp.broadcast_to(g, a_hi.shape) for g in gamma)
    dtype = a_hi.dtype
    # The terms scaled by 2^shift, so that s = p / u stays exact where p underflows.
    shift = 2 * (jnp.finfo(dtype).nmant + 1)
    settled = _SETTLED[_dtype_name(a_hi)]
    top = jnp.argmax(jnp.where(on, a_hi, -jnp.inf), axis=-1, keepdims=True)
    v0 = (-tau, jnp.zeros_like(tau))

    def more(state: tuple) -> jax.Array:
        step, _, _, change, _ = state
        return (step < _MAX_STEPS) & jnp.any(change > settled)

    def newton(state: tuple) -> tuple:
        step, anchor, v, _, phase = state
        terms = _terms(a, anchor, v, on, gamma, square, shift)
        return (step + 1, *_step(terms, on, gamma, shift, anchor, phase))

    # A loop, not unrolled: each step holds a double-word power of every entry, and copies of
    # it made every program that uses entmax slow to compile.
    start = (0, top, v0, jnp.ones_like(tau), jnp.full(tau.shape, _FRESH, jnp.int32))
    _, anchor, v, _, _ = lax.while_loop(more, newton, start)
    p_hi, p_lo, u_hi, u_lo, inside, _ = _terms(a, anchor, v, on, gamma, square, shift)
    s_hi, s_lo = (jnp.where(inside, w, 0) for w in _quotient(p_hi, p_lo, u_hi, u_lo))
    unscale = 2.0**-shift
    return (p_hi + p_lo) * unscale, (s_hi + s_lo) * unscale, _shares(s_hi, s_lo, gamma)
