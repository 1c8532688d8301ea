"""Vector-valued activations: softmax family, sparsemax, maxout and the GLU family.

These act on a whole axis, so the elementwise properties of the registry (monotonic, …) are
``None`` for them; each spec gives a ``plot_slice`` that turns a scalar into a vector whose
first output is the plotted curve.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import jax
import jax.numpy as jnp

from ._kernels_gelu import _gelu_exact, _gelu_tanh
from ._kernels_relu import _relu
from ._kernels_sigmoid import _sigmoid
from ._kernels_silu import _silu1
from ._numerics import as_inexact, check_axes, check_axis, check_choice, in_float32, on_axes
from ._registry import REALS, Equivalents, Interval, Param, Reference, activation

_SOFTMAX_CONVENTIONS = (
    "Entries where `where` is False are excluded: softmax gives them 0, log_softmax −inf "
    "(as jax.nn). A fully masked row gives all 0 (softmax) / all −inf (log_softmax), never NaN.",
    "+inf logits share the probability equally (the limit of equal large logits); the others "
    "get 0. A row of only −inf entries is treated as fully masked.",
    "float16/bfloat16 rows are summed in float32 (a long f16 row's sum would overflow).",
    "Without `where`, a finite entry equal to the largest float in a row with a +inf logit is "
    "counted as tied with the +inf entries (the fast path clips +inf to that value).",
)


def _shifted(x: jax.Array, axis: int, where: Any) -> tuple[jax.Array, jax.Array, jax.Array]:
    """``(z, e, mask)``: z = x − max (≤ 0, −inf where excluded), e = exp(z), the mask.

    +inf entries become 0 and the rest of their row −inf, so e is 1 on the +inf entries.
    """
    mask = jnp.ones(x.shape, bool) if where is None else jnp.broadcast_to(where, x.shape)
    xm = jnp.where(mask, x, -jnp.inf)
    # initial: an empty axis has no maximum (jax.nn.softmax of an empty row is empty).
    m = jax.lax.stop_gradient(jnp.max(xm, axis=axis, keepdims=True, initial=-jnp.inf))
    has_inf = m == jnp.inf
    # Double where: excluded and infinite entries never reach the subtraction, so no
    # inf − inf and no NaN gradient leaks from them.
    finite_m = jnp.where(jnp.isfinite(m), m, 0)
    safe = jnp.where(mask & jnp.isfinite(x), x, finite_m)
    z = jnp.where(
        mask & jnp.isfinite(x), safe - finite_m, jnp.where(mask & (x == jnp.inf), 0, -jnp.inf)
    )
    z = jnp.where(has_inf & jnp.isfinite(x), -jnp.inf, z)
    z = jnp.where(jnp.isnan(x) & mask, x, z)
    return z, jnp.exp(z), mask


_BRIDLE = Reference(
    "J. S. Bridle",
    "Probabilistic interpretation of feedforward classification network outputs, with "
    "relationships to statistical pattern recognition",
    1990,
    "Neurocomputing, NATO ASI Series F68",
    "https://doi.org/10.1007/978-3-642-76153-9_28",
)


@activation(
    name="softmax",
    display_name="Softmax",
    family="vector",
    summary="Normalised exponentials: turns logits into a probability vector.",
    formula=r"\operatorname{softmax}(x)_i = \frac{e^{x_i}}{\sum_j e^{x_j}}",
    derivative=(
        r"\frac{\partial\,\operatorname{softmax}(x)_i}{\partial x_j} = s_i(\delta_{ij} - s_j)"
    ),
    output_range=Interval(0.0, 1.0, lo_open=False, hi_open=False),
    elementwise=False,
    smoothness="Cinf",
    year=1990,
    references=(_BRIDLE,),
    equivalents=Equivalents("jax.nn.softmax", "torch.nn.Softmax", "keras.activations.softmax"),
    conventions=_SOFTMAX_CONVENTIONS,
    example_input=(-5.0, -4.0, -3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0),
    plot_slice=lambda x: jnp.stack([x, jnp.zeros_like(x)], axis=-1),
    plot_range=(-8.0, 8.0),
)
def softmax(x: Any, axis: int | tuple[int, ...] | None = -1, where: Any = None) -> jax.Array:
    r"""Softmax along ``axis``.

    $$\operatorname{softmax}(x)_i = \frac{e^{x_i - m}}{\sum_j e^{x_j - m}}, \qquad m = \max_j x_j$$

    Args:
        x: input array.
        axis: the axis that is normalised, or a tuple of axes (None: all), as jax.nn.
        where: optional boolean mask (broadcastable to ``x``): entries where it is False are
            left out and get probability 0.

    Returns:
        An array of the (floating) dtype of ``x`` that sums to 1 along ``axis`` (to 0 for a
        fully masked row).

    Examples:
        >>> p = jaxact.softmax(jnp.arange(-5.0, 6.0))
        >>> [round(float(v), 3) for v in p[-3:]]
        [0.086, 0.233, 0.632]
        >>> jaxact.softmax(jnp.array([0.0, jnp.inf, jnp.inf]))
        Array([0. , 0.5, 0.5], dtype=float32)
    """
    x = as_inexact(x, "softmax")
    return on_axes(_softmax, x, check_axes("softmax", x, axis), where)


@functools.partial(jax.jit, static_argnums=1)
@in_float32
def _softmax_f(x: jax.Array, axis: int, where: Any) -> jax.Array:
    if where is None:
        return _softmax_plain(x, axis)
    _, e, _ = _shifted(x, axis, where)
    total = jnp.sum(e, axis=axis, keepdims=True)
    return e / jnp.where(total == 0, 1, total)


# Without a mask, softmax is written like jax.nn's (max, exp, sum, divide) with only operations
# that XLA on CPU hands to one YNNPACK fusion, as jax.nn.softmax is: no compare, select or
# is-finite (each would split it into separate loops over memory). The special cases cost one
# `minimum` per entry and a few operations per row:
#   - the maximum m is reduced from -max_float (a row of -inf has a finite shift, its e are all
#     0) and clipped to max_float; the entries are clipped to it, min(m, x) - m, so +inf logits
#     sit at 0 (e = 1: they share the row) while every finite entry of such a row is at least
#     2^104 below (e = 0; a finite max_float ties with the +inf entries, as in log_softmax);
#   - the sum is 0 (a row of -inf) or at least 1 (the maximal entry has e = 1), so adding 2^-100
#     changes no nonzero sum and turns 0 / 0 into 0 / 2^-100 = 0 (XLA multiplies by the
#     reciprocal of the sum, as for jax.nn.softmax: the same rounding);
#   - NaN: YNNPACK's min/max return their second operand when either is NaN (they skip NaN:
#     the reduced maximum ignores a NaN entry), so the clip is written min(m, x), the entry
#     second: a NaN entry stays NaN, and the sum, hence the whole row, is NaN. (XLA's own loops
#     and other backends propagate NaN through min in either order.)
def _softmax_plain_value(x: jax.Array, axis: int) -> jax.Array:
    m = _row_max(x, axis)
    e = jnp.exp(jnp.minimum(m, x) - m)
    return e / (jnp.sum(e, axis, keepdims=True) + 2.0**-100)


# d softmax = s * (t - sum(s t)), jax.nn's rule: s is differentiated through this rule again,
# so jax.hessian is exact, and the VJP is two loops over the data.
@functools.partial(jax.custom_jvp, nondiff_argnums=(1,))
def _softmax_plain(x: jax.Array, axis: int) -> jax.Array:
    return _softmax_plain_value(x, axis)


@_softmax_plain.defjvp
def _softmax_plain_jvp(axis: int, primals: tuple, tangents: tuple) -> tuple:
    (x,), (t,) = primals, tangents
    y = _softmax_plain(x, axis)
    return y, y * (t - jnp.sum(y * t, axis, keepdims=True))


def _softmax(x: jax.Array, axis: int, where: Any) -> jax.Array:
    return _softmax_f(x, axis, where)


@activation(
    name="log_softmax",
    display_name="Log-softmax",
    family="vector",
    summary="log(softmax(x)), computed without forming the softmax: the input of the NLL loss.",
    formula=r"\operatorname{log\_softmax}(x)_i = x_i - \log\sum_j e^{x_j}",
    derivative=(
        r"\frac{\partial\,\operatorname{log\_softmax}(x)_i}{\partial x_j} = \delta_{ij} - s_j"
    ),
    output_range=Interval(-math.inf, 0.0, hi_open=False),
    elementwise=False,
    smoothness="Cinf",
    year=1990,
    references=(_BRIDLE,),
    equivalents=Equivalents(
        "jax.nn.log_softmax", "torch.nn.LogSoftmax", "keras.activations.log_softmax"
    ),
    conventions=(
        *_SOFTMAX_CONVENTIONS,
        "The largest entry is −log1p(Σ others), not x − m − log Σ: exact when it dominates "
        "(log_softmax([0, −20])[0] = −2.06e−9; jax.nn and torch give 0).",
    ),
    example_input=(-5.0, -4.0, -3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0),
    plot_slice=lambda x: jnp.stack([x, jnp.zeros_like(x)], axis=-1),
    plot_range=(-8.0, 8.0),
)
def log_softmax(x: Any, axis: int | tuple[int, ...] | None = -1, where: Any = None) -> jax.Array:
    r"""Log-softmax along ``axis``.

    $$\operatorname{log\_softmax}(x)_i = (x_i - m) - \log\Bigl(1 + \sum_{j \ne j^*} e^{x_j - m}
      \Bigr), \qquad m = x_{j^*} = \max_j x_j$$

    The sum leaves out one largest entry and goes through ``log1p``, so the largest
    entry keeps its digits when it dominates.

    Args:
        x: input array.
        axis: the axis that is normalised, or a tuple of axes (None: all), as jax.nn.
        where: optional boolean mask; excluded entries give $-\infty$.

    Returns:
        An array of the (floating) dtype of ``x``.

    Examples:
        >>> float(jaxact.log_softmax(jnp.array([0.0, -20.0]))[0])  # jax.nn gives 0.0
        -2.06...e-09
    """
    x = as_inexact(x, "log_softmax")
    return on_axes(_log_softmax, x, check_axes("log_softmax", x, axis), where)


@functools.partial(jax.jit, static_argnums=1)
@in_float32
def _log_softmax(x: jax.Array, axis: int, where: Any) -> jax.Array:
    if where is None:
        return _log_softmax_plain(x, axis)
    return _log_softmax_masked(x, jnp.broadcast_to(where, x.shape), axis)


# Without a mask, log_softmax is written only with operations that XLA on CPU can hand to one
# YNNPACK fusion (max/sum reductions, add/sub/mul/min/abs/sign/exp/log1p: no compare, select
# or is-finite, which would each split it into separate loops over memory), and with as few
# elementwise operations as the special cases allow, since each costs a pass there:
#   - the largest entry is -log1p(others), others = sum of e^{x_j - m} over the non-maximal
#     entries (weights -sign(x_j - m): 1 below the maximum, 0 at it) plus (ties - 1), with
#     ties = n + sum sign(x_j - m). sign(NaN) = NaN, so a NaN anywhere makes the row NaN even
#     where the YNNPACK max/min operations skip NaN;
#   - the maximum is reduced from -max_float, so a row of -inf (fully masked) has a finite
#     shift and gives -inf, and it is clipped to max_float, so +inf logits sit at 0 after the
#     shift; in such a row the others are scaled by 2^100 so that they overflow to -inf, and
#     the tie count of that row still comes out of the same two sums (+inf entries have sign
#     +1 there: others = |sum sign + n - 1| - sum e sign holds in both kinds of row). A finite
#     max_float next to +inf is therefore tied with it;
#   - |ties - 1| is 1 for a row of -inf (ties = 0), so log1p never sees -1 there.
# What each piece costs (CPU time of the 2^22 benchmark, jax.nn = 1): the bare form (max, one
# clip, exp, sum, log1p: no +inf scaling, no exact largest entry) 1.04-1.09; the +inf scaling
# c +0.12-0.15; the exact largest entry (sign, e * sign and the second sum) +0.2-0.25, so about
# 1.4-1.5 in all. Written with floor(e) (ties have e = 1), min(e, -z * 2^127), round(S - b) for
# the tie count, or with the scaling moved to the output, it was no cheaper.
def _row_max(x: jax.Array, axis: int, clip: bool = True) -> jax.Array:
    """The maximum along ``axis`` (kept as a length-1 axis), reduced from -max_float (so a row
    of -inf, or an empty one, gives -max_float) and, with ``clip``, clipped to max_float."""
    big = float(jnp.finfo(x.dtype).max)
    m = jax.lax.reduce(x, jnp.asarray(-big, x.dtype), jax.lax.max, (axis,))
    m = jax.lax.stop_gradient(jnp.expand_dims(m, axis))
    return jnp.minimum(m, big) if clip else m


def _row_shift(x: jax.Array, axis: int) -> tuple[jax.Array, jax.Array]:
    """``(d, c)``: d = x - m with m the row max clipped to [-max, max]; c = 1 + 2^100 in rows
    with a +inf entry, else 1."""
    m = _row_max(x, axis, clip=False)
    mu = jnp.minimum(m, float(jnp.finfo(x.dtype).max))
    return x - mu, 1 + jnp.minimum(m - mu, 2.0**100)


def _log_softmax_plain_value(x: jax.Array, axis: int) -> jax.Array:
    d, c = _row_shift(x, axis)
    z = jnp.minimum(d * c, 0)
    sign = jnp.sign(d)
    others = jnp.abs(jnp.sum(sign, axis, keepdims=True) + float(x.shape[axis] - 1)) - jnp.sum(
        jnp.exp(z) * sign, axis, keepdims=True
    )
    return z - jnp.log1p(others)


def _log_softmax_masked_value(x: jax.Array, mask: jax.Array, axis: int) -> jax.Array:
    """The same value with ``where``: excluded entries are -inf (the masked path is allowed
    selects; it is not one fusion in jax.nn either)."""
    z, e, _ = _shifted(x, axis, mask)
    # Sum of e over all but one maximal entry: every entry with z = 0 contributes 1, less one.
    top = z == 0
    others = jnp.sum(jnp.where(top, 0, e), axis=axis, keepdims=True)
    ties = jnp.sum(top.astype(e.dtype), axis=axis, keepdims=True)
    others = others + jnp.maximum(ties - 1, 0)
    # Fully masked rows (no entry with z = 0): log1p(0) = 0 keeps z = −inf there.
    return z - jnp.log1p(others)


# The derivative is d log_softmax = t - sum(s t) with s = exp(log_softmax) (the probabilities,
# exact to the value's accuracy): as cheap as jax.nn's backward pass (g - s sum g), and since
# s is itself differentiated through this rule, jax.hessian is exact too. Excluded entries
# have s = 0 and a zero tangent.
@functools.partial(jax.custom_jvp, nondiff_argnums=(1,))
def _log_softmax_plain(x: jax.Array, axis: int) -> jax.Array:
    return _log_softmax_plain_value(x, axis)


@_log_softmax_plain.defjvp
def _log_softmax_plain_jvp(axis: int, primals: tuple, tangents: tuple) -> tuple:
    (x,), (t,) = primals, tangents
    y = _log_softmax_plain(x, axis)
    return y, t - jnp.sum(jnp.exp(y) * t, axis, keepdims=True)


@functools.partial(jax.custom_jvp, nondiff_argnums=(2,))
def _log_softmax_masked(x: jax.Array, mask: jax.Array, axis: int) -> jax.Array:
    return _log_softmax_masked_value(x, mask, axis)


@_log_softmax_masked.defjvp
def _log_softmax_masked_jvp(axis: int, primals: tuple, tangents: tuple) -> tuple:
    (x, mask), (t, _) = primals, tangents
    y = _log_softmax_masked(x, mask, axis)
    t = jnp.where(mask, t, 0)
    return y, jnp.where(mask, t - jnp.sum(jnp.exp(y) * t, axis, keepdims=True), 0)


@activation(
    name="softmin",
    display_name="Softmin",
    family="vector",
    summary="softmax(−x): a probability vector favouring the smallest entries.",
    formula=r"\operatorname{softmin}(x)_i = \frac{e^{-x_i}}{\sum_j e^{-x_j}}",
    derivative=(
        r"\frac{\partial\,\operatorname{softmin}(x)_i}{\partial x_j} = -s_i(\delta_{ij} - s_j)"
    ),
    output_range=Interval(0.0, 1.0, lo_open=False, hi_open=False),
    elementwise=False,
    smoothness="Cinf",
    year=1990,
    references=(_BRIDLE,),
    equivalents=Equivalents(None, "torch.nn.Softmin", None),
    conventions=(*_SOFTMAX_CONVENTIONS[:1], "softmin(x) = softmax(−x), with its conventions."),
    example_input=(-2.0, -1.0, 0.0, 1.0, 2.0),
    plot_slice=lambda x: jnp.stack([x, jnp.zeros_like(x)], axis=-1),
    plot_range=(-8.0, 8.0),
)
def softmin(x: Any, axis: int | tuple[int, ...] | None = -1, where: Any = None) -> jax.Array:
    r"""Softmin along ``axis``: $\operatorname{softmax}(-x)$.

    Args:
        x: input array.
        axis: the axis that is normalised, or a tuple of axes (None: all), as jax.nn.
        where: optional boolean mask; excluded entries get 0.

    Returns:
        An array of the (floating) dtype of ``x``.

    Examples:
        >>> jaxact.softmin(jnp.array([0.0, 1.0]))
        Array([0.7310586 , 0.26894143], dtype=float32)
    """
    x = as_inexact(x, "softmin")
    return on_axes(_softmax, -x, check_axes("softmin", x, axis), where)


# -- sparsemax -------------------------------------------------------------------------------


@activation(
    name="sparsemax",
    display_name="Sparsemax",
    family="vector",
    summary="Euclidean projection onto the simplex: like softmax, but with exact zeros.",
    formula=r"\operatorname{sparsemax}(x) = \arg\min_{p \in \Delta} \lVert p - x \rVert^2"
    r" = [x - \tau(x)]_+",
    derivative=(
        r"\frac{\partial\,\operatorname{sparsemax}_i}{\partial x_j} = "
        r"s_i\delta_{ij} - \frac{s_i s_j}{|S(x)|},\quad s_i = [p_i > 0]"
    ),
    output_range=Interval(0.0, 1.0, lo_open=False, hi_open=False),
    elementwise=False,
    smoothness="C0",
    year=2016,
    references=(
        Reference(
            "A. F. T. Martins, R. F. Astudillo",
            "From Softmax to Sparsemax: A Sparse Model of Attention and Multi-Label Classification",
            2016,
            "ICML 2016; arXiv:1602.02068",
            "https://arxiv.org/abs/1602.02068",
        ),
    ),
    equivalents=Equivalents(None, None, None),
    conventions=(
        "The Jacobian is the one of Martins & Astudillo (2016) on the support S = {p > 0}; "
        "at a kink (an entry exactly at the threshold) it counts that entry as outside S.",
        "Inputs must be finite; NaN propagates.",
    ),
    example_input=(-1.0, 0.0, 0.5, 1.0),
    plot_slice=lambda x: jnp.stack([x, jnp.zeros_like(x)], axis=-1),
    plot_range=(-2.0, 2.0),
)
def sparsemax(x: Any, axis: int = -1) -> jax.Array:
    r"""Sparsemax along ``axis`` (Martins & Astudillo, 2016).

    $$\operatorname{sparsemax}(x)_i = \max(x_i - \tau, 0), \qquad
      \tau = \frac{\sum_{j \in S} x_j - 1}{|S|}$$

    where $S$ holds the $k$ largest entries for the largest $k$ with
    $1 + k\,x_{(k)} > \sum_{j \le k} x_{(j)}$.

    Args:
        x: input array.
        axis: the axis that is projected onto the simplex.

    Returns:
        An array of the (floating) dtype of ``x``, non-negative, summing to 1 along ``axis``.

    Examples:
        >>> jaxact.sparsemax(jnp.array([-1.0, 0.0, 0.5, 1.0]))
        Array([0.  , 0.  , 0.25, 0.75], dtype=float32)
    """
    x = as_inexact(x, "sparsemax")
    axis = check_axis("sparsemax", x, axis)
    return jnp.moveaxis(_sparsemax_last(jnp.moveaxis(x, axis, -1)), -1, axis)


@jax.jit
@in_float32
def _sparsemax_last(x: jax.Array) -> jax.Array:
    # Shift-invariant: work relative to the row maximum, or 1 is lost against large entries
    # (sparsemax([1e8, 0]) gave [0, 0] in float32).
    m = jax.lax.stop_gradient(jnp.max(x, axis=-1, keepdims=True, initial=-jnp.inf))
    x = x - m
    xs = jax.lax.stop_gradient(x)
    srt = -jnp.sort(-xs, axis=-1)
    k = jnp.arange(1, x.shape[-1] + 1, dtype=x.dtype)
    csum = jnp.cumsum(srt, axis=-1)
    in_support = 1 + k * srt > csum
    kz = jnp.sum(in_support, axis=-1, keepdims=True)
    tau0 = (jnp.take_along_axis(csum, kz - 1, axis=-1) - 1) / kz.astype(x.dtype)
    support = xs > tau0
    # tau recomputed from the differentiable x on the (fixed) support: its gradient gives
    # exactly the Jacobian diag(s) - s s^T / |S| of the paper.
    count = jnp.sum(support, axis=-1, keepdims=True).astype(x.dtype)
    tau = (jnp.sum(jnp.where(support, x, 0), axis=-1, keepdims=True) - 1) / count
    # A row with a NaN has an empty support: NaN out there, value and derivative (x m).
    return jnp.where(jnp.isnan(m), x * m, jnp.where(support, x - tau, 0))


# -- maxout ----------------------------------------------------------------------------------


@jax.custom_jvp
def _max_last(y: jax.Array) -> jax.Array:
    return jnp.max(y, axis=-1)


@_max_last.defjvp
def _max_last_jvp(primals: tuple, tangents: tuple) -> tuple:
    (y,), (t,) = primals, tangents
    m = jnp.max(y, axis=-1)
    tie = y == m[..., None]
    # Tied maxima share the gradient equally, so it sums to 1 (NUMERICS.md).
    count = jnp.sum(tie, axis=-1, keepdims=True, dtype=y.dtype)
    w = tie.astype(y.dtype) / jnp.maximum(count, 1)  # in y's dtype, also under x64
    # A NaN in a group: no entry ties with the NaN maximum; its derivative is NaN too.
    w = jnp.where(jnp.isnan(m)[..., None], m[..., None], w)
    return m, jnp.sum(w * t, axis=-1)


@activation(
    name="maxout",
    display_name="Maxout",
    family="vector",
    summary="Maximum over groups of consecutive units: a learnable piecewise-linear activation.",
    formula=r"\operatorname{maxout}(x)_i = \max_{0 \le j < k} x_{ik + j}",
    derivative=(
        r"\frac{\partial\,\operatorname{maxout}_i}{\partial x_{ik+j}} = "
        r"\frac{[x_{ik+j} = \max]}{\#\{\text{maxima}\}}"
    ),
    output_range=REALS,
    elementwise=False,
    params=(
        Param(
            "num_pieces",
            2,
            "group size k: the number of consecutive entries each output is the maximum of "
            "(required argument; 2 is used for the plots and worked example)",
            plot_values=(2,),
        ),
    ),
    smoothness="C0",
    year=2013,
    references=(
        Reference(
            "I. J. Goodfellow, D. Warde-Farley, M. Mirza, A. Courville, Y. Bengio",
            "Maxout Networks",
            2013,
            "ICML 2013; arXiv:1302.4389",
            "https://arxiv.org/abs/1302.4389",
        ),
    ),
    equivalents=Equivalents(None, None, None),
    conventions=(
        "Groups are num_pieces consecutive entries along axis (axis length n gives n/num_pieces "
        "outputs).",
        "Tied maxima share the gradient equally, so it sums to 1.",
    ),
    example_input=(-2.0, 1.0, 3.0, 0.0, 0.5, 0.5),
    plot_slice=lambda x: jnp.stack([x, jnp.zeros_like(x)], axis=-1),
    plot_range=(-3.0, 3.0),
)
def maxout(x: Any, num_pieces: int, axis: int = -1) -> jax.Array:
    r"""Maxout: the maximum over groups of ``num_pieces`` consecutive entries along ``axis``.

    $$\operatorname{maxout}(x)_i = \max_{0 \le j < k} x_{ik + j}, \qquad k = \text{num\_pieces}$$

    Args:
        x: input array; its ``axis`` length must be a multiple of ``num_pieces``.
        num_pieces: group size $k \ge 1$.
        axis: the axis that is grouped.

    Returns:
        An array with ``axis`` shortened by the factor ``num_pieces``.

    Examples:
        >>> jaxact.maxout(jnp.array([-2.0, 1.0, 3.0, 0.0, 0.5, 0.5]), num_pieces=2)
        Array([1. , 3. , 0.5], dtype=float32)
    """
    x = as_inexact(x, "maxout")
    if not isinstance(num_pieces, int) or isinstance(num_pieces, bool) or num_pieces < 1:
        raise ValueError(f"maxout: 'num_pieces' must be an integer >= 1, got {num_pieces!r}")
    axis = check_axis("maxout", x, axis)
    n = x.shape[axis]
    if n % num_pieces:
        raise ValueError(
            f"maxout: the length of axis {axis} ({n}) must be divisible by "
            f"num_pieces={num_pieces} (input shape {x.shape})"
        )
    y = jnp.moveaxis(x, axis, -1)
    y = y.reshape(*y.shape[:-1], n // num_pieces, num_pieces)
    return jnp.moveaxis(_max_last(y), -1, axis)


# -- the GLU family --------------------------------------------------------------------------


def _halves(fn: str, x: Any, axis: int) -> tuple[jax.Array, jax.Array]:
    x = as_inexact(x, fn)
    axis = check_axis(fn, x, axis)
    if x.shape[axis] % 2:
        raise ValueError(
            f"{fn}: the length of axis {axis} ({x.shape[axis]}) must be even: it is split into "
            f"a value half and a gate half (input shape {x.shape})"
        )
    a, b = jnp.split(x, 2, axis=axis)
    return a, b


_SHAZEER = Reference(
    "N. Shazeer",
    "GLU Variants Improve Transformer",
    2020,
    "arXiv:2002.05202",
    "https://arxiv.org/abs/2002.05202",
)
_DAUPHIN = Reference(
    "Y. N. Dauphin, A. Fan, M. Auli, D. Grangier",
    "Language Modeling with Gated Convolutional Networks",
    2017,
    "ICML 2017; arXiv:1612.08083",
    "https://arxiv.org/abs/1612.08083",
)
_HALVES = "x is split in half along axis into [a, b]; the first half a is the value, b the gate."


def _glu_spec(
    name: str,
    display: str,
    gate: str,
    summary: str,
    year: int,
    refs: tuple,
    equivalents: Equivalents,
    extra: tuple[str, ...] = (),
) -> dict[str, Any]:
    return dict(
        name=name,
        display_name=display,
        family="vector",
        summary=summary,
        formula=rf"f([a, b]) = a \odot {gate}(b)",
        derivative=(
            rf"\partial f/\partial a = {gate}(b), \quad \partial f/\partial b = a\,{gate}'(b)"
        ),
        output_range=REALS,
        elementwise=False,
        year=year,
        references=refs,
        equivalents=equivalents,
        conventions=(_HALVES, *extra),
        example_input=(1.0, 2.0, -1.0, 1.0),
        # [1, x]: the curve is the gate function itself.
        plot_slice=lambda x: jnp.stack([jnp.ones_like(x), x], axis=-1),
    )


@activation(
    **_glu_spec(
        "glu",
        "GLU",
        r"\sigma",
        "Gated linear unit: one half of the input gated by the sigmoid of the other.",
        2017,
        (_DAUPHIN,),
        Equivalents("jax.nn.glu", "torch.nn.GLU", "keras.activations.glu"),
    ),
    smoothness="Cinf",
)
def glu(x: Any, axis: int = -1) -> jax.Array:
    r"""Gated linear unit: $a \odot \sigma(b)$ for the halves $[a, b]$ of ``x`` along ``axis``.

    Args:
        x: input array; its ``axis`` length must be even.
        axis: the axis that is split.

    Returns:
        An array with ``axis`` halved.

    Examples:
        >>> jaxact.glu(jnp.array([1.0, 2.0, 0.0, 100.0]))
        Array([0.5, 2. ], dtype=float32)
    """
    a, b = _halves("glu", x, axis)
    return _gate_product(a, b, "sigmoid")


@activation(
    **_glu_spec(
        "swiglu",
        "SwiGLU",
        r"\operatorname{silu}",
        "GLU with a SiLU gate: the feed-forward activation of PaLM and LLaMA.",
        2020,
        (_SHAZEER,),
        Equivalents(None, None, None),
    ),
    smoothness="Cinf",
)
def swiglu(x: Any, axis: int = -1) -> jax.Array:
    r"""SwiGLU: $a \odot \operatorname{silu}(b)$ for the halves $[a, b]$ (Shazeer, 2020).

    Args:
        x: input array; its ``axis`` length must be even.
        axis: the axis that is split.

    Returns:
        An array with ``axis`` halved.

    Examples:
        >>> jaxact.swiglu(jnp.array([2.0, 1.0]))
        Array([1.4621172], dtype=float32)
    """
    a, b = _halves("swiglu", x, axis)
    return _gate_product(a, b, "silu")


@activation(
    **_glu_spec(
        "geglu",
        "GEGLU",
        r"\operatorname{gelu}",
        "GLU with a GELU gate (tanh approximation by default).",
        2020,
        (_SHAZEER,),
        Equivalents(None, None, None),
        (
            "gelu is the tanh approximation by default (as jax.nn.gelu and the T5/Shazeer code); "
            "approximate=False gives the exact erfc form.",
        ),
    ),
    smoothness="Cinf",
    params=(
        Param(
            "approximate",
            True,
            "tanh-approximate GELU gate (False: exact)",
            (True, False),
            plot_values=(False, True),
        ),
    ),
)
def geglu(x: Any, axis: int = -1, approximate: bool = True) -> jax.Array:
    r"""GEGLU: $a \odot \operatorname{gelu}(b)$ for the halves $[a, b]$ (Shazeer, 2020).

    Args:
        x: input array; its ``axis`` length must be even.
        axis: the axis that is split.
        approximate: tanh-approximate GELU (default, as ``jax.nn.gelu``) or exact.

    Returns:
        An array with ``axis`` halved.

    Examples:
        >>> jaxact.geglu(jnp.array([2.0, 1.0]))
        Array([1.682384], dtype=float32)
    """
    check_choice("geglu", "approximate", approximate, (True, False))
    a, b = _halves("geglu", x, axis)
    return _gate_product(a, b, "gelu_tanh" if approximate else "gelu")


@activation(
    **_glu_spec(
        "reglu",
        "ReGLU",
        r"\operatorname{relu}",
        "GLU with a ReLU gate.",
        2020,
        (_SHAZEER,),
        Equivalents(None, None, None),
        ("relu'(0) = 0, as jax.nn.relu.",),
    ),
    smoothness="C0",
)
def reglu(x: Any, axis: int = -1) -> jax.Array:
    r"""ReGLU: $a \odot \operatorname{relu}(b)$ for the halves $[a, b]$ (Shazeer, 2020).

    Args:
        x: input array; its ``axis`` length must be even.
        axis: the axis that is split.

    Returns:
        An array with ``axis`` halved.

    Examples:
        >>> jaxact.reglu(jnp.array([2.0, 3.0, -1.0, 0.5]))
        Array([0. , 1.5], dtype=float32)
    """
    a, b = _halves("reglu", x, axis)
    return _gate_product(a, b, "relu")


_GATES = {
    "sigmoid": _sigmoid,
    "silu": _silu1,  # the beta = 1 path: no double-word beta * x
    "gelu_tanh": _gelu_tanh,
    "gelu": _gelu_exact,
    "relu": _relu,
}


@functools.partial(jax.jit, static_argnums=2)
@in_float32
def _gate_product(a: jax.Array, b: jax.Array, gate: str) -> jax.Array:
    return a * _GATES[gate](b.astype(a.dtype))
