"""α-entmax: the family between softmax (α → 1) and sparsemax (α = 2) (Peters et al., 2019).

    entmax_α(x)_i = [(α − 1) x_i − τ]_+^{1/(α−1)},   τ such that the entries sum to 1.

``entmax15`` (α = 1.5) finds τ exactly from the sorted scores (the paper's Algorithm 2: a
quadratic per support size); ``entmax`` takes any α > 1 and finds τ by bisection, as the
authors' ``entmax_bisect`` does. Both then refine τ by Newton steps in double words on the
exact scaled scores (``_kernels.entmax_threshold``), so that small probabilities keep their digits.
Both have the paper's closed-form Jacobian (a ``custom_jvp``), so the derivative does not go
through the sort or the bisection loop.
"""

from __future__ import annotations

import functools
import math
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from jax.typing import ArrayLike

from ._kernels.entmax_threshold import difference, exponent, refined_probabilities
from ._kernels.floating_point import _two_prod
from ._numerics import as_inexact, check_axis, check_real_param, check_where, in_float32
from ._registry import Equivalents, Interval, Param, Reference, activation

_PETERS = Reference(
    "B. Peters, V. Niculae, A. F. T. Martins",
    "Sparse Sequence-to-Sequence Models",
    2019,
    "ACL 2019; arXiv:1905.05702",
    "https://arxiv.org/abs/1905.05702",
)
_CORREIA = Reference(
    "G. M. Correia, V. Niculae, A. F. T. Martins",
    "Adaptively Sparse Transformers",
    2019,
    "EMNLP 2019; arXiv:1909.00015",
    "https://arxiv.org/abs/1909.00015",
)
_ALPHA_VALID = Interval(1.0, math.inf, lo_open=True)
_CONVENTIONS = (
    r"The Jacobian is the paper's on the support $S = \{i : p_i > 0\}$: $J = "
    r"\operatorname{diag}(s) - s s^\top / \sum_j s_j$ with $s = p^{2-\alpha}$ on $S$, 0 elsewhere; "
    "an entry exactly at the threshold counts as outside $S$.",
    "Entries where `where` is False are left out and get 0; a fully masked row gives all 0.",
    "+inf scores share the probability equally (the limit of equal large scores); the others get "
    "0. NaN anywhere in a row makes the row NaN.",
)
# Scores more than this below the row's largest (after the factor α − 1) are outside every
# support (τ ≥ −1 there): they are clipped to it, so that no −inf, overflow or huge power
# reaches the sums.
_FAR = -2.0


def _check_rank(fn: str, x: jax.Array) -> None:
    if x.ndim == 0:
        raise ValueError(
            f"{fn}: x must have at least one dimension (the axis that is normalised to sum to "
            "1), got a 0-d array; pass a vector, e.g. x[None]"
        )


class _Prepared(NamedTuple):
    """A row's scores made safe: ``z = scale·x − m`` in [_FAR, 0] (masked entries at _FAR; in
    a row with +inf scores those entries at 0 and the others at _FAR); ``bad`` marks rows
    with a NaN, ``m`` is the row's largest finite scaled score, ``on`` the finite, kept
    entries within reach of the support and ``exact`` the rows whose threshold is refined
    (finite scores, not all masked: the others are decided by ``z`` alone)."""

    z: jax.Array
    bad: jax.Array
    m: jax.Array
    on: jax.Array
    exact: jax.Array


def _prepared(x: jax.Array, scale: jax.Array, mask: jax.Array) -> _Prepared:
    big = float(jnp.finfo(x.dtype).max)
    keep = mask
    bad = jnp.any(jnp.isnan(x) & keep, axis=-1, keepdims=True)
    infinite = keep & (x == jnp.inf)
    has_inf = jnp.any(infinite, axis=-1, keepdims=True)
    finite = keep & jnp.isfinite(x) & ~has_inf
    z = jnp.clip(scale * jnp.where(finite, x, 0), -big, big)
    m = jnp.max(jnp.where(finite, z, -big), axis=-1, keepdims=True)
    z = jnp.where(finite, jnp.maximum(z - m, _FAR), _FAR)
    on = finite & (z > _FAR)
    exact = jnp.any(finite, axis=-1, keepdims=True)
    return _Prepared(jnp.where(infinite, 0, z), bad, m, on, exact)


def _refined(
    prep: _Prepared,
    p: jax.Array,
    scaled: tuple[jax.Array, jax.Array],
    tau: jax.Array,
    gamma: tuple[jax.Array, jax.Array],
    am1: jax.Array,
    *,
    square: bool,
) -> tuple[jax.Array, jax.Array, jax.Array]:
    """``p`` recomputed from the exact scaled scores with a double-word threshold
    (``_kernels.entmax_threshold``) where the row allows it, with the Jacobian's weights
    ``s = p^(2−α)`` and their shares ``t`` (``_shares``); ``tau`` is the threshold of ``p``
    relative to the row's largest scaled score (in the shifted coordinates ``z``). Rows
    where the refinement is not finite (scores near the largest float) keep ``p``, and take
    ``s`` and ``t`` from it."""
    a_hi, a_lo = (jnp.where(prep.on, v, 0) for v in scaled)
    fine, weights, shares = refined_probabilities(a_hi, a_lo, prep.on, tau, gamma, square=square)
    use = prep.exact & jnp.all(jnp.isfinite(fine), axis=-1, keepdims=True)
    p = jnp.where(use, fine, p)
    s = _weights(p, am1)
    # t apart from p, so that a program that needs only p does not form it.
    use_t = use & jnp.all(jnp.isfinite(shares), axis=-1, keepdims=True)
    return p, jnp.where(use, weights, s), jnp.where(use_t, shares, _shares(s, am1))


def _weights(p: jax.Array, am1: jax.Array) -> jax.Array:
    """The Jacobian's ``s = p^(2−α)`` on the support (0 off it, NaN in a NaN row), from ``p``
    in working precision."""
    on = p > 0
    return jnp.where(on, jnp.where(on, p, 1) ** (1 - am1), jnp.where(jnp.isnan(p), p, 0))


def _shares(s: jax.Array, am1: jax.Array) -> jax.Array:
    """``t = w / Σw`` along the last axis, ``w = s/(α − 1)`` (``s / Σs`` for one α), in working
    precision (the general path forms it in double words, ``_kernels.entmax_threshold``)."""
    w = s / am1
    total = jnp.sum(w, axis=-1, keepdims=True)
    return w / jnp.where(total == 0, 1, total)


def _tangent(
    p: jax.Array,
    s: jax.Array,
    t: jax.Array,
    am1: jax.Array,
    tx: jax.Array,
    x: jax.Array | None,
    ta: jax.Array | None,
) -> jax.Array:
    """The derivative of p = entmax_α(x) along (tx, ta) (Peters et al. 2019; Correia et al.
    2019 for α): with s = p^{2−α} and its shares t = w / Σw, w = s/(α − 1), on the support
    (given: from ``_weights`` and ``_shares``, or in double words),

        g = s·tx + (s·x − p log p)/(α − 1)·ta,    dp = g − t Σg.

    For one α along the row, t = s/Σs and this is J tx with J = diag(s) − t sᵀ = diag(s) −
    s sᵀ/Σs: each entry of J is formed from one product (−t_i s_j, s_i − t_i s_i), so that it
    is rounded only in s, t and that product, in jacfwd and in jacrev (the transpose forms the
    same products). J's diagonal entry at the row's largest share t_m, s_m (1 − t_m), is a
    difference of nearly equal numbers when that entry dominates: the m-th entry of dp is
    formed instead as s_m tx_m Σ_{j≠m} t_j − t_m Σ_{j≠m} g_j (the same number, since
    Σ_j t_j = 1), which does not cancel. Written with where-guarded powers and logs (p = 0
    off the support), so that it can be differentiated again (jax.hessian)."""
    # The support is where s > 0: s = u^{1/(α−1) − 1} stays normal where p = u^{1/(α−1)}
    # underflows (α < 2), and J's entries there (s_i s_j / Σs) may still be above the floor.
    on = s > 0
    top = jnp.argmax(t, axis=-1, keepdims=True)
    is_top = jnp.arange(p.shape[-1]) == top

    def at_top(v: jax.Array) -> jax.Array:
        return jnp.take_along_axis(v, top, axis=-1)

    def rest(v: jax.Array) -> jax.Array:
        """The row sum of ``v`` without its entry at m."""
        return jnp.sum(jnp.where(is_top, 0, v), axis=-1, keepdims=True)

    g = s * tx
    if ta is not None:
        safe = jnp.where(p > 0, p, 1)
        direct = (s * jnp.where(on, x, 0) - safe * jnp.log(safe)) / am1
        g = g + jnp.where(on, direct, 0) * ta
    others = rest(g)
    dp = g - t * (others + at_top(g))
    # At m, g_m (1 − t_m) − t_m Σ_{j≠m} g_j, with 1 − t_m = Σ_{j≠m} t_j.
    top_entry = at_top(g) * rest(t) - at_top(t) * others
    return jnp.where(is_top, top_entry, dp)


def _mask(x: jax.Array, where: Any) -> jax.Array:
    return jnp.ones(x.shape, bool) if where is None else jnp.broadcast_to(where, x.shape)


def _finish(p: jax.Array, bad: jax.Array) -> jax.Array:
    return jnp.where(bad, jnp.nan, p)


# -- α = 1.5: exact, from the sorted scores ---------------------------------------------------


def _entmax15_value(x: jax.Array, mask: jax.Array) -> jax.Array:
    prep = _prepared(x, jnp.asarray(0.5, x.dtype), mask)
    z = prep.z
    srt = -jnp.sort(-z, axis=-1)
    k = jnp.arange(1, z.shape[-1] + 1, dtype=z.dtype)
    mean = jnp.cumsum(srt, axis=-1) / k
    # Σ (z − mean)² over the k largest, as a running sum of squared deviations (Welford's
    # update, no cancellation of Σz² − k·mean²).
    prev = jnp.concatenate([jnp.zeros_like(mean[..., :1]), mean[..., :-1]], axis=-1)
    ss = jnp.cumsum((srt - prev) * (srt - mean), axis=-1)
    tau_k = mean - jnp.sqrt(jnp.maximum((1 - ss) / k, 0))
    size = jnp.sum(tau_k <= srt, axis=-1, keepdims=True)
    tau = jnp.take_along_axis(tau_k, jnp.maximum(size, 1) - 1, axis=-1)
    u = jnp.maximum(z - tau, 0)
    valid = jnp.any(z > _FAR, axis=-1, keepdims=True)  # not fully masked
    p = jnp.where(valid, u * u, 0)
    # Then Newton steps on the exact x / 2 with a double-word τ: p = u² to a few ULP.
    half = (0.5 * jnp.where(prep.on, x, 0), jnp.zeros_like(x))
    two = jnp.asarray(2, x.dtype)
    p, _, _ = _refined(prep, p, half, tau, (two, 0 * two), 0.5 * two, square=True)
    return _finish(p, prep.bad)


@jax.custom_jvp
def _entmax15(x: jax.Array, mask: jax.Array) -> jax.Array:
    return _entmax15_value(x, mask)


@_entmax15.defjvp
def _entmax15_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x, mask), (tx, _) = primals, tangents
    p = _entmax15(x, mask)
    half = jnp.asarray(0.5, p.dtype)
    s = _weights(p, half)
    return p, _tangent(p, s, _shares(s, half), half, tx, None, None)


@functools.partial(jax.jit, static_argnums=1)
@in_float32
def _entmax15_impl(x: jax.Array, axis: int, where: Any) -> jax.Array:
    if x.shape[axis] == 0:
        return x
    mask = jnp.moveaxis(_mask(x, where), axis, -1)
    return jnp.moveaxis(_entmax15(jnp.moveaxis(x, axis, -1), mask), -1, axis)


@activation(
    name="entmax15",
    display_name="1.5-entmax",
    family="vector",
    summary=(
        r"$\alpha$-entmax at $\alpha = 1.5$, exact: between softmax and sparsemax, with exact "
        "zeros."
    ),
    formula=(
        r"\operatorname{entmax15}(x)_i = \left[\tfrac{x_i}{2} - \tau(x)\right]_+^2, \\ \tau(x):\ "
        r"\textstyle\sum_i \operatorname{entmax15}(x)_i = 1"
    ),
    derivative=(
        r"\frac{\partial\,\operatorname{entmax15}_i}{\partial x_j} = s_i\delta_{ij} - \frac{s_i "
        r"s_j}{\|s\|_1}, \\ s = \sqrt{p},\ p = \operatorname{entmax15}(x)"
    ),
    output_range=Interval(0.0, 1.0, lo_open=False, hi_open=False),
    elementwise=False,
    smoothness="C1",
    year=2019,
    introduced_in=(_PETERS,),
    equivalents=Equivalents(None, None, None),
    conventions=_CONVENTIONS,
    example_input=(-1.0, 0.0, 0.5, 1.0),
    plot_slice=lambda x: jnp.stack([x, jnp.zeros_like(x)], axis=-1),
    figure_kind="normaliser",
    plot_range=(-5.0, 5.0),
)
def entmax15(x: ArrayLike, axis: int = -1, where: ArrayLike | None = None) -> jax.Array:
    r"""1.5-entmax along ``axis`` (Peters, Niculae & Martins, 2019), exact.

    $$\operatorname{entmax15}(x)_i = \left[\tfrac{x_i}{2} - \tau(x)\right]_+^2,$$

    with $\tau$ the one threshold for which the entries sum to 1. It is α-entmax at
    $\alpha = 1.5$: sparse like sparsemax, smooth ($C^1$) like softmax. $\tau$ is found
    exactly from the sorted scores (for the $k$ largest, $\tau$ solves a quadratic; the
    support is the largest $k$ whose $\tau$ lies below its $k$-th score), then refined by
    Newton steps on the support in double-word precision (two for most rows): every entry,
    however small, is within an ULP or so.

    Args:
        x: input array, at least 1-d.
        axis: the axis that is normalised.
        where: optional boolean mask (broadcastable to ``x``): entries where it is False are
            left out and get 0.

    Returns:
        An array of the (floating) dtype of ``x``, non-negative, summing to 1 along ``axis``.

    Examples:
        >>> jaxact.entmax15(jnp.array([-1.0, 0.0, 0.5, 1.0]))
        Array([0.        , 0.0841358 , 0.29166666, 0.62419754], dtype=float32)
    """
    x = as_inexact(x, "entmax15")
    _check_rank("entmax15", x)
    axis = check_axis("entmax15", x, axis)
    where = check_where("entmax15", x, where)
    return _entmax15_impl(x, axis, where)


# -- general α: bisection -------------------------------------------------------------------


def _bisection_steps(dtype: Any) -> int:
    """Halvings of [−1, 0] until the bracket of τ is below one ULP of 1/2 (and a few more)."""
    return int(jnp.finfo(dtype).nmant) + 4


def _entmax_value(x: jax.Array, alpha: jax.Array, mask: jax.Array) -> tuple:
    am1 = alpha - 1
    prep = _prepared(x, am1, mask)
    # The scores scaled exactly, and z = (α − 1) x − its largest from them: the rounded
    # (α − 1) x less the rounded maximum would be off by an ULP of the largest score, all
    # of τ where the scores are large (10²⁰, with τ in [−1, 0]).
    scaled = _two_prod(jnp.where(prep.on, am1, 0), jnp.where(prep.on, x, 0))
    top = jnp.argmax(jnp.where(prep.on, scaled[0], -jnp.inf), axis=-1, keepdims=True)
    gap = difference(*scaled, *(jnp.take_along_axis(v, top, axis=-1) for v in scaled))[0]
    z = jnp.where(prep.on & jnp.isfinite(gap), jnp.maximum(gap, _FAR), prep.z)
    inv = 1 / am1

    def probabilities(tau: jax.Array) -> jax.Array:
        u = z - tau
        return jnp.where(u > 0, jnp.where(u > 0, u, 1) ** inv, 0)

    def halve(_: int, state: tuple) -> tuple:
        lo, width = state
        width = width / 2
        mid = lo + width
        above = jnp.sum(probabilities(mid), axis=-1, keepdims=True) >= 1
        return jnp.where(above, mid, lo), width

    # τ lies in [−1, 0]: at −1 the largest entry alone gives 1, at 0 every entry gives 0.
    lo = jnp.full((*z.shape[:-1], 1), -1, z.dtype)
    lo, _ = jax.lax.fori_loop(0, _bisection_steps(z.dtype), halve, (lo, jnp.ones_like(lo)))
    p = probabilities(lo)
    total = jnp.sum(p, axis=-1, keepdims=True)
    p = p / jnp.where(total == 0, 1, total)
    # Then Newton steps on the exact (α − 1) x with a double-word τ.
    parts = _refined(prep, p, scaled, lo, exponent(am1), am1, square=False)
    return tuple(_finish(v, prep.bad) for v in parts)


@jax.custom_jvp
def _entmax_parts(x: jax.Array, alpha: jax.Array, mask: jax.Array) -> tuple:
    """``(p, s, t)``: entmax, the Jacobian's weights ``s = p^(2−α)`` and their shares
    ``t = w / Σw`` (``w = s/(α − 1)``), all from the double-word ``u = (α − 1) x − τ``
    (``s = u^{1/(α−1) − 1}``, t from s in double words), so that J is as accurate as p."""
    return _entmax_value(x, alpha, mask)


@_entmax_parts.defjvp
def _entmax_parts_jvp(primals: tuple, tangents: tuple) -> tuple:
    # ds = s ((2 − α) dp / p − ln p dα) on the support: the derivative of p^{2−α}; and with
    # ρ = dw / w = ds / s − dα / (α − 1), dt = t ρ − t Σ t ρ; so that the tangent itself can be
    # differentiated again (jax.hessian).
    (x, alpha, mask), (tx, ta, _) = primals, tangents
    p, s, t = _entmax_parts(x, alpha, mask)
    am1 = alpha - 1
    dp = _tangent(p, s, t, am1, tx, x, ta)
    on = p > 0
    safe = jnp.where(on, p, 1)
    rel = jnp.where(on, (1 - am1) * dp / safe - jnp.log(safe) * ta, 0)
    rho = jnp.where(on, rel - ta / am1, 0)
    dt = t * (rho - jnp.sum(t * rho, axis=-1, keepdims=True))
    return (p, s, t), (dp, s * rel, dt)


def _entmax(x: jax.Array, alpha: jax.Array, mask: jax.Array) -> jax.Array:
    return _entmax_parts(x, alpha, mask)[0]


@functools.partial(jax.jit, static_argnums=2)
@in_float32
def _entmax_impl(x: jax.Array, alpha: Any, axis: int, where: Any) -> jax.Array:
    if x.shape[axis] == 0:
        return x
    alpha = jnp.broadcast_to(jnp.asarray(alpha, x.dtype), x.shape)
    moved = [jnp.moveaxis(a, axis, -1) for a in (x, alpha, _mask(x, where))]
    return jnp.moveaxis(_entmax(*moved), -1, axis)


@activation(
    name="entmax",
    display_name="α-entmax",
    family="vector",
    summary=(
        r"The family between softmax ($\alpha \to 1$) and sparsemax ($\alpha = 2$): probabilities "
        r"with exact zeros, for any $\alpha > 1$."
    ),
    formula=(
        r"\operatorname{entmax}_\alpha(x)_i = \left[(\alpha - 1)\,x_i - "
        r"\tau(x)\right]_+^{1/(\alpha-1)}, \\ \tau(x):\ \textstyle\sum_i "
        r"\operatorname{entmax}_\alpha(x)_i = 1"
    ),
    derivative=(
        r"\frac{\partial\,\operatorname{entmax}_{\alpha,i}}{\partial x_j} = s_i\delta_{ij} - "
        r"\frac{s_i s_j}{\|s\|_1}, \\ s = p^{2-\alpha},\ p = \operatorname{entmax}_\alpha(x)"
    ),
    output_range=Interval(0.0, 1.0, lo_open=False, hi_open=False),
    elementwise=False,
    params=(
        Param(
            "alpha",
            1.5,
            r"$\alpha > 1$: $\alpha \to 1$ is softmax, 1.5 is entmax15, 2 is sparsemax; a larger "
            r"$\alpha$ gives sparser outputs. Differentiable (Correia et al. 2019 learn it).",
            _ALPHA_VALID,
            latex=r"\alpha",
            plot_values=(1.25, 1.5, 2.0, 4.0),
        ),
    ),
    smoothness="C1",
    year=2019,
    introduced_in=(_PETERS,),
    references=(_CORREIA,),
    equivalents=Equivalents(None, None, None),
    conventions=(
        *_CONVENTIONS,
        r"An array `alpha` broadcasts against `x`: entries of one row with different $\alpha$ "
        r"share one $\tau$ ($\sum_i [(\alpha_i - 1) x_i - \tau]_+^{1/(\alpha_i - 1)} = 1$).",
    ),
    example_input=(-1.0, 0.0, 0.5, 1.0),
    plot_slice=lambda x: jnp.stack([x, jnp.zeros_like(x)], axis=-1),
    figure_kind="normaliser",
    plot_range=(-5.0, 5.0),
)
def entmax(
    x: ArrayLike, axis: int = -1, where: ArrayLike | None = None, *, alpha: ArrayLike = 1.5
) -> jax.Array:
    r"""α-entmax along ``axis`` (Peters, Niculae & Martins, 2019), for any α > 1.

    $$\operatorname{entmax}_\alpha(x)_i = \left[(\alpha - 1)\,x_i - \tau(x)\right]_+
      ^{1/(\alpha-1)},$$

    with $\tau$ the one threshold for which the entries sum to 1, found by bisection and then
    refined by Newton steps in double-word precision (two for most rows), every power a
    double word, the threshold held relative to the support's smallest entry (the notes give
    the accuracy).
    $\alpha = 2$ is sparsemax and $\alpha \to 1$ tends to softmax; a fixed $\alpha = 1.5$ (a
    number, as the default) is computed as ``entmax15``, exact and faster.

    Args:
        x: input array, at least 1-d.
        axis: the axis that is normalised.
        where: optional boolean mask (broadcastable to ``x``): entries where it is False are
            left out and get 0.
        alpha: α > 1, a number or an array broadcastable to ``x``; differentiable.

    Returns:
        An array of the (floating) dtype of ``x``, non-negative, summing to 1 along ``axis``.

    Examples:
        >>> jaxact.entmax(jnp.array([-1.0, 0.0, 0.5, 1.0]), alpha=2.0)  # sparsemax
        Array([0.  , 0.  , 0.25, 0.75], dtype=float32)
    """
    x = as_inexact(x, "entmax")
    _check_rank("entmax", x)
    axis = check_axis("entmax", x, axis)
    where = check_where("entmax", x, where)
    check_real_param("entmax", "alpha", alpha, _ALPHA_VALID, x)
    if isinstance(alpha, (int, float, np.floating)) and float(alpha) == 1.5:
        # A fixed 1.5 (the default) has no derivative to carry: entmax15's exact threshold
        # from the sorted scores, as accurate and several times faster than the bisection.
        return _entmax15_impl(x, axis, where)
    return _entmax_impl(x, alpha, axis, where)
