"""The softmax family: softmax, log_softmax and softmin, along an axis or a tuple of axes.

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
from jax.typing import ArrayLike

from ._kernels.derivatives import _jvp_from_output
from ._numerics import (
    as_inexact,
    check_axes,
    check_real_param,
    check_where,
    in_float32,
    on_axes,
    promote,
)
from ._param_range import check_finite_in_dtype
from ._registry import Equivalents, Interval, Param, Reference, activation

_TEMPERATURE_VALID = Interval(0.0, math.inf)


def _temperature_param(plot_values: tuple[float, ...]) -> Param:
    return Param(
        "temperature",
        1.0,
        "$T > 0$, keyword-only: the function of $x / T$ ($T > 1$ flattens, $T < 1$ sharpens). No "
        "peer's softmax has it (PyTorch's gumbel_softmax calls it tau); $x / T$ is one division, "
        "then the function as for $T = 1$.",
        _TEMPERATURE_VALID,
        latex="T",
        plot_values=plot_values,
    )


_TEMPERATURE_CONVENTION = (
    r"With `temperature` $T \ne 1$ the input is $x / T$, rounded once (one division, not a "
    "multiply by $1/T$ that the compiler could contract into the subtraction of the maximum): "
    "the result is the function of that quotient, to the accuracy stated for $T = 1$. A power "
    "of two $T$ divides exactly."
)


def _over_temperature(fn: str, x: jax.Array, temperature: Any) -> jax.Array:
    """``x / temperature`` (checked), in float32 for half precision; ``x`` itself for T = 1."""
    python_one = isinstance(temperature, (int, float)) and not isinstance(temperature, bool)
    if python_one and temperature == 1:
        return x
    check_real_param(fn, "temperature", temperature, _TEMPERATURE_VALID, x)
    check_finite_in_dtype(fn, "temperature", temperature, x)
    return _divide(promote(x, temperature), temperature)


@jax.jit
def _divide(x: jax.Array, temperature: Any) -> jax.Array:
    # Half precision: the quotient in float32, so that the one rounding to half precision is
    # the function's own (softmax of float32 input is float32, cast back by the caller).
    if x.dtype in (jnp.dtype(jnp.float16), jnp.dtype(jnp.bfloat16)):
        return x.astype(jnp.float32) / temperature
    return x / temperature


_SOFTMAX_CONVENTIONS = (
    "Entries where `where` is False are excluded: softmax gives them 0, log_softmax −inf (as "
    "jax.nn). A fully masked row gives all 0 (softmax) / all −inf (log_softmax), never NaN.",
    "+inf logits share the probability equally (the limit of equal large logits); the others get "
    "0. A row of only −inf entries is treated as fully masked.",
    "float16/bfloat16 rows are summed in float32 (a long f16 row's sum would overflow).",
    "Without `where`, a finite entry equal to the largest float in a row with a +inf logit is "
    "counted as tied with the +inf entries (the fast path clips +inf to that value).",
)


def _shifted(
    x: jax.Array, axis: int, where: Any
) -> tuple[jax.Array, jax.Array, jax.Array, jax.Array]:
    """``(z, e, top, mask)`` for the masked path: z = x − max (≤ 0, −inf where excluded),
    e = exp(z), top = the maximal entries (found by comparing values, never by a difference
    being 0), the mask.

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
    finite = mask & jnp.isfinite(x)
    z = _gap(jnp.where(finite, x, finite_m), finite_m)
    z = jnp.where(finite, z, jnp.where(mask & (x == jnp.inf), 0, -jnp.inf))
    z = jnp.where(has_inf & jnp.isfinite(x), -jnp.inf, z)
    z = jnp.where(jnp.isnan(x) & mask, x, z)
    top = jax.lax.stop_gradient(mask & (xm == m) & (m > -jnp.inf))
    return z, jnp.exp(z), top, mask


def _gap(x: jax.Array, mu: jax.Array) -> jax.Array:
    """min(mu, x) − mu: ≤ 0, and exactly 0 where x ≥ mu.

    min(mu, x) is a rounded value, so XLA cannot contract a multiply that feeds ``x`` into
    the subtraction: of x − mu itself, ``jit(lambda x: log_softmax(x * 0.7))`` computed an
    FMA whose result at the largest entry was the product's rounding error, not 0. x comes
    second: YNNPACK's min returns its second operand when either is NaN, so NaN propagates.
    """
    return jnp.minimum(mu, x) - mu


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
        r"\frac{\partial\,\operatorname{softmax}(x)_i}{\partial x_j} = s_i(\delta_{ij} - s_j), \\ "
        r"s = \operatorname{softmax}(x)"
    ),
    output_range=Interval(0.0, 1.0, lo_open=False, hi_open=False),
    elementwise=False,
    smoothness="Cinf",
    year=1990,
    introduced_in=(_BRIDLE,),
    equivalents=Equivalents("jax.nn.softmax", "torch.nn.Softmax", "keras.activations.softmax"),
    params=(_temperature_param((0.5, 1.0, 3.0)),),
    conventions=(*_SOFTMAX_CONVENTIONS, _TEMPERATURE_CONVENTION),
    example_input=(-5.0, -4.0, -3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0),
    plot_slice=lambda x: jnp.stack([x, jnp.zeros_like(x)], axis=-1),
    figure_kind="normaliser",
    two_class=("sigmoid", 1.0),
    plot_range=(-8.0, 8.0),
)
def softmax(
    x: ArrayLike,
    axis: int | tuple[int, ...] | None = -1,
    where: ArrayLike | None = None,
    *,
    temperature: ArrayLike = 1.0,
) -> jax.Array:
    r"""Softmax along ``axis``, of ``x / temperature``.

    $$\operatorname{softmax}(x)_i = \frac{e^{x_i}}{\sum_j e^{x_j}},$$

    computed as $e^{x_i - m} / \sum_j e^{x_j - m}$ with $m = \max_j x_j$.

    Args:
        x: input array.
        axis: the axis that is normalised, or a tuple of axes (None: all), as jax.nn.
        where: optional boolean mask (broadcastable to ``x``): entries where it is False are
            left out and get probability 0.
        temperature: $T > 0$ (keyword-only): the softmax of $x / T$, the quotient rounded
            once. 1 (the default) is jax.nn's softmax.

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
    where = check_where("softmax", x, where)
    axes = check_axes("softmax", x, axis)
    scaled = _over_temperature("softmax", x, temperature)
    y = on_axes(_softmax, scaled, axes, where)
    return y if scaled is x else y.astype(promote(x, temperature).dtype)


@functools.partial(jax.jit, static_argnums=1)
@in_float32
def _softmax_impl(x: jax.Array, axis: int, where: Any) -> jax.Array:
    if where is None:
        return _softmax_plain(x, axis)
    return _softmax_masked(x, jnp.broadcast_to(where, x.shape), axis)


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
    e = jnp.exp(_gap(x, _row_max(x, axis)))
    return e / (jnp.sum(e, axis, keepdims=True) + 2.0**-100)


def _softmax_tangent(y: jax.Array, top: jax.Array, t: jax.Array, axis: int) -> jax.Array:
    """d softmax = y (t − sum(y t)) (jax.nn's rule), then the row's sum subtracted at the
    largest entries (``top``: 1 on the k largest, 0 elsewhere), a change of 0 in exact
    arithmetic: the tangent sums to 0.

    Its purpose is the transpose, which reverse mode computes:

        y ((g − ḡ) − sum(y (g − ḡ))),   ḡ = mean of g over the largest entries,

    the same value as y (g − sum(y g)) (y sums to 1), without its cancellation at a dominant
    entry (y* ≈ 1, sum(y g) ≈ g*): there g − ḡ = 0 exactly. jax.nn's form gave −6.43e−8 for
    the second entry of x = [−0.168, 16.157] (truth −2.58e−8), a VJP that no longer summed to
    0. Exact for every y, so second derivatives through it are right. Forward mode gets the
    plain rule's value, with its cancellation, less the rounding noise of the sum.
    """
    h = y * (t - jnp.sum(y * t, axis, keepdims=True))
    return h - top * (jnp.sum(h, axis, keepdims=True) / jnp.sum(top, axis, keepdims=True))


def _top(y: jax.Array, axis: int) -> jax.Array:
    """1 on the largest entries of each row of ``y`` (by value: min(m, y) = m), else 0; at
    least one per row.

    Of softmax's output, not its input: anything the backward pass shares with the forward
    pass other than y (the row maximum of x, the differences) XLA writes to memory between
    them (the VJP read 1.7-1.9x jax.nn's).
    """
    m = jnp.max(y, axis, keepdims=True)
    return jax.lax.stop_gradient(1 + jnp.sign(jnp.minimum(m, y) - m))


# d softmax as above: y is differentiated through this rule again, so jax.hessian is exact.
_softmax_plain = _jvp_from_output(
    _softmax_plain_value, lambda y, t, axis: _softmax_tangent(y, _top(y, axis), t, axis)
)


def _softmax_masked_value(x: jax.Array, mask: jax.Array, axis: int) -> jax.Array:
    _, e, _, _ = _shifted(x, axis, mask)
    total = jnp.sum(e, axis=axis, keepdims=True)
    return e / jnp.where(total == 0, 1, total)


_softmax_masked = _jvp_from_output(
    _softmax_masked_value,
    lambda y, t, mask, axis: _softmax_tangent(y, _top(y, axis), jnp.where(mask, t, 0), axis),
)


def _softmax(x: jax.Array, axis: int, where: Any) -> jax.Array:
    return _softmax_impl(x, axis, where)


@activation(
    name="log_softmax",
    display_name="Log-softmax",
    family="vector",
    summary=(
        r"$\log(\operatorname{softmax}(x))$, computed without forming the softmax: the input of "
        "the NLL loss."
    ),
    formula=r"\operatorname{log\_softmax}(x)_i = x_i - \log\sum_j e^{x_j}",
    derivative=(
        r"\frac{\partial\,\operatorname{log\_softmax}(x)_i}{\partial x_j} = \delta_{ij} - s_j, \\ "
        r"s = \operatorname{softmax}(x)"
    ),
    output_range=Interval(-math.inf, 0.0, hi_open=False),
    elementwise=False,
    smoothness="Cinf",
    year=1990,
    references=(_BRIDLE,),
    equivalents=Equivalents(
        "jax.nn.log_softmax", "torch.nn.LogSoftmax", "keras.activations.log_softmax"
    ),
    params=(_temperature_param((0.5, 1.0, 3.0)),),
    conventions=(
        _TEMPERATURE_CONVENTION,
        *_SOFTMAX_CONVENTIONS,
        r"With $m = x_{j^*}$ the largest entry of a row, that entry's output is computed as "
        r"$-\operatorname{log1p}\bigl(\sum_{j \ne j^*} e^{x_j - m}\bigr)$, not as "
        r"$-\log\sum_j e^{x_j - m}$, whose sum rounds to 1 when the other entries are far below "
        r"$m$: the output keeps its digits when it is tiny. "
        r"`log_softmax(jnp.array([0.0, -20.0]))[0]` is $-2.06 \times 10^{-9}$, which is "
        r"$-\operatorname{log1p}(e^{-20})$; jax.nn gives 0.",
        "That exactness and the +inf rule cost work jax.nn does not do: a second sum over the row "
        "(the entries below the maximum, and a count of the tied maxima) and one multiply per "
        "entry, so on CPU the forward pass is slower than jax.nn's (the Speed page gives the "
        "ratio).",
    ),
    example_input=(-5.0, -4.0, -3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0),
    plot_slice=lambda x: jnp.stack([x, jnp.zeros_like(x)], axis=-1),
    figure_kind="normaliser",
    two_class=("log_sigmoid", 1.0),
    plot_range=(-8.0, 8.0),
)
def log_softmax(
    x: ArrayLike,
    axis: int | tuple[int, ...] | None = -1,
    where: ArrayLike | None = None,
    *,
    temperature: ArrayLike = 1.0,
) -> jax.Array:
    r"""Log-softmax along ``axis``, of ``x / temperature``.

    $$\operatorname{log\_softmax}(x)_i = x_i - \log\sum_j e^{x_j},$$

    computed as

    $$(x_i - m) - \log\Bigl(1 + \sum_{j \ne j^*} e^{x_j - m}\Bigr), \qquad
    m = x_{j^*} = \max_j x_j.$$

    The sum leaves out one largest entry and goes through ``log1p``, so the largest
    entry keeps its digits when it dominates.

    Args:
        x: input array.
        axis: the axis that is normalised, or a tuple of axes (None: all), as jax.nn.
        where: optional boolean mask; excluded entries give $-\infty$.
        temperature: $T > 0$ (keyword-only): the log-softmax of $x / T$, the quotient
            rounded once. 1 (the default) is jax.nn's log_softmax.

    Returns:
        An array of the (floating) dtype of ``x``.

    Examples:
        >>> float(jaxact.log_softmax(jnp.array([0.0, -20.0]))[0])  # jax.nn gives 0.0
        -2.06...e-09
    """
    x = as_inexact(x, "log_softmax")
    where = check_where("log_softmax", x, where)
    axes = check_axes("log_softmax", x, axis)
    scaled = _over_temperature("log_softmax", x, temperature)
    y = on_axes(_log_softmax_impl, scaled, axes, where)
    return y if scaled is x else y.astype(promote(x, temperature).dtype)


@functools.partial(jax.jit, static_argnums=1)
@in_float32
def _log_softmax_impl(x: jax.Array, axis: int, where: Any) -> jax.Array:
    if where is None:
        return _log_softmax_plain(x, axis)
    return _log_softmax_masked(x, jnp.broadcast_to(where, x.shape), axis)


# Without a mask, log_softmax is written only with operations that XLA on CPU can hand to one
# YNNPACK fusion (max/sum reductions, add/sub/mul/min/max/sign/exp/log1p: no compare, select
# or is-finite, which would each split it into separate loops over memory):
#   - the largest entry is -log1p(others), others = sum of e^{x_j - m} over the non-maximal
#     entries (weights -sign(x_j - m): 1 below the maximum, 0 at it) plus (ties - 1), with
#     ties = n + sum sign(x_j - m). sign(NaN) = NaN, so a NaN anywhere makes the row NaN even
#     where the YNNPACK max/min operations skip NaN;
#   - the maximal entries are found by value: x_j - m is taken of min(m, x_j), a rounded
#     value, so it is exactly 0 at them. Of x_j itself, XLA contracts a multiply feeding x
#     (jit(lambda x: log_softmax(x * 0.7))) into the subtraction, an FMA whose result at the
#     largest entry is the product's rounding error, not 0: the sign count then found no
#     maximum and a row's logsumexp came out 1.08 instead of 0;
#   - the maximum is reduced from -max_float, so a row of -inf (fully masked) has a finite
#     shift: ties = 0 there and the row gives -inf. It is clipped to max_float, so +inf
#     logits sit at 0 after the shift; in such a row the others are scaled by 2^100 so that
#     they overflow to -inf. A finite max_float next to +inf is therefore tied with it;
#   - |ties - 1| is 1 for a row of -inf (ties = 0), so log1p never sees -1 there.
# What each piece costs (CPU time of the 2^22 benchmark, jax.nn = 1): the bare form (max, one
# clip, exp, sum, log1p: no +inf scaling, no exact largest entry) 1.04-1.09; the +inf scaling
# c +0.12-0.15; the exact largest entry (sign, e * sign and the second sum) +0.2-0.25, so
# about 1.4-1.5 in all. Written with floor(e) (ties have e = 1), min(e, -z * 2^127),
# round(S - b) for the tie count, or with the scaling moved to the output, it was no cheaper.
# An exact difference (TwoSum, so that e^(x - m) loses no digits far below the maximum) made
# it 2.8x; see the page for what that leaves.
def _row_max(x: jax.Array, axis: int, clip: bool = True) -> jax.Array:
    """The maximum along ``axis`` (kept as a length-1 axis), at least -max_float (so a row of
    -inf, or an empty one, gives -max_float) and, with ``clip``, clipped to max_float."""
    big = float(jnp.finfo(x.dtype).max)
    m = jax.lax.reduce(x, jnp.asarray(-big, x.dtype), jax.lax.max, (axis,))
    if x.shape[axis] == 1:
        # XLA simplifies a reduction over a length-1 axis to its one entry and drops the
        # initial value (softmax([-inf]) was NaN). m second: a NaN stays NaN. (Not written
        # for every length: with the clip below it makes a clamp, which YNNPACK does not
        # fuse, and the row is then read twice.)
        m = jnp.maximum(-big, m)
    m = jax.lax.stop_gradient(jnp.expand_dims(m, axis))
    return jnp.minimum(m, big) if clip else m


def _log_softmax_plain_value(x: jax.Array, axis: int) -> jax.Array:
    m = _row_max(x, axis, clip=False)
    mu = jnp.minimum(m, float(jnp.finfo(x.dtype).max))
    c = 1 + jnp.minimum(m - mu, 2.0**100)  # 1, or beyond 2^100 in rows with a +inf
    d = _gap(x, mu)
    z = d * c
    sign = jnp.sign(d)
    e = jnp.exp(z)
    # (Written |ties - 1| rather than floored at 0 with max: XLA puts the constant second and
    # YNNPACK's max then drops a NaN; using a sum twice splits the fusion into eight loops.)
    others = jnp.abs(jnp.sum(sign, axis, keepdims=True) + float(x.shape[axis] - 1)) - jnp.sum(
        e * sign, axis, keepdims=True
    )
    return z - jnp.log1p(others)


def _log_softmax_masked_value(x: jax.Array, mask: jax.Array, axis: int) -> jax.Array:
    """The same value with ``where``: excluded entries are -inf (the masked path is allowed
    selects; it is not one fusion in jax.nn either)."""
    z, e, top, _ = _shifted(x, axis, mask)
    # Sum of e over all but one maximal entry: every maximal entry contributes 1, less one.
    # Written so that a maximal entry not found would still count (through its e).
    others = jnp.sum(jnp.where(top, 0, e), axis=axis, keepdims=True)
    ties = jnp.sum(top.astype(e.dtype), axis=axis, keepdims=True)
    others = others + (ties - 1)
    # Fully masked rows (others = -1): log1p(0) = 0 keeps z = −inf there.
    return z - jnp.log1p(jnp.maximum(0, others))


# The derivative is d log_softmax = t - sum(p t) with p = exp(log_softmax) (the probabilities,
# exact to the value's accuracy), and since p is itself differentiated through this rule,
# jax.hessian is exact too. Excluded entries have p = 0 and a zero tangent.
_DOMINANT = -0.5
"""A log-probability above this belongs to the row's one dominant entry (p > 0.6): any value in
(-log 2, 0) is one that two tied entries (p <= 1/2 each) cannot pass, -0.5 with a margin for
the rounding of log1p."""


def _log_softmax_tangent(y: jax.Array, t: jax.Array, axis: int) -> jax.Array:
    """d log_softmax = t - sum(p t), written around a dominant entry m (p_m > 0.6) as

        (t - t_m) - sum_j q_j t_j,   q = p - e_m,   q_m = p_m - 1 = expm1(y_m),

    the same in exact arithmetic (p sums to 1). Its purpose is the transpose, which reverse
    mode computes in this order:

        (g - e_m G) - q G,   G = sum(g),

    so that the cross-entropy gradient of a confident class (g = -e_m: G = -1) is
    (-1 + 1) + expm1(y_m) = p_m - 1 exactly, where g - p G rounds p_m to 1 and gives 0 (or a
    few ULP of 1) for a truth of e^-30 at x = (0, 30). The full Jacobian's entry 1 - p_m is
    likewise -expm1(y_m), in both modes. A row without such an entry (no y > -0.5) keeps the
    plain rule (e_m = 0, q = p): there 1 - p_m is not small, and the split would instead cancel
    two terms of the size of G (a row of n equal entries: q_m = 1/n - 1).
    """
    # Which entry is dominant, by value and with arithmetic only (one YNNPACK fusion): 1 at
    # it, 0 elsewhere (1/2 at y = -0.5 exactly: then q_m = p_m - 1/2, rounded once).
    lead = jax.lax.stop_gradient(0.5 + 0.5 * jnp.sign(y - _DOMINANT))
    # expm1 of the row's largest log-probability (the dominant entry's y where there is one);
    # -inf rows give -1, which lead = 0 removes. Not stopped: a second derivative needs dq_m.
    q = jnp.exp(y) * (1 - lead) + lead * jnp.expm1(jnp.max(y, axis, keepdims=True))
    # The order matters: reverse mode adds the cotangents of t from the last operation back,
    # so t - t_m is combined first (g - e_m G), then the q term.
    # Cost (forward + backward against the plain rule, float32, paired, on a loaded 2-core
    # CPU): 1.13-1.18x at 2^20 (rows of 1024), 1.3-1.6x at 2^22, the max of y being a second
    # pass over the row after the forward's; expm1 of every entry instead (no pass) split
    # YNNPACK's fusion and was no cheaper (1.3-1.4x). Also tried (same setting, 15-41 pairs):
    # q_m = -others / (1 + others) from the forward's own sum, returned beside y by one
    # custom_jvp: the value alone stays one kernel, but with that second (per-row) output the
    # forward's fusion split, the VJP from 2 kernels into 7-9: 2.0-2.8x at 2^22 (this rule
    # 1.6-1.8x in the same runs), par at 2^20; q_m = 2h / (1 - h), h = tanh(y / 2), per entry
    # (3 kernels: with two row sums of t, XLA left the transpose's elementwise part out of
    # sum(g)'s fusion unless the backward also reduced over y) 1.2-1.3x at 2^20, 1.0-1.3x at
    # 2^22: cheaper at 2^22 only, with IQRs overlapping this rule's.
    rest = jnp.sum(q * t, axis, keepdims=True)
    lead_t = jnp.sum(lead * t, axis, keepdims=True)
    return (t - lead_t) - rest


def _log_softmax_masked_tangent(
    y: jax.Array, t: jax.Array, mask: jax.Array, axis: int
) -> jax.Array:
    return jnp.where(mask, _log_softmax_tangent(y, jnp.where(mask, t, 0), axis), 0)


_log_softmax_plain = _jvp_from_output(_log_softmax_plain_value, _log_softmax_tangent)
_log_softmax_masked = _jvp_from_output(_log_softmax_masked_value, _log_softmax_masked_tangent)


@activation(
    name="softmin",
    display_name="Softmin",
    family="vector",
    summary=r"$\operatorname{softmax}(-x)$: a probability vector favouring the smallest entries.",
    formula=r"\operatorname{softmin}(x)_i = \frac{e^{-x_i}}{\sum_j e^{-x_j}}",
    derivative=(
        r"\frac{\partial\,\operatorname{softmin}(x)_i}{\partial x_j} = -s_i(\delta_{ij} - s_j), \\ "
        r"s = \operatorname{softmin}(x)"
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
    figure_kind="normaliser",
    two_class=("sigmoid", -1.0),
    plot_range=(-8.0, 8.0),
)
def softmin(
    x: ArrayLike, axis: int | tuple[int, ...] | None = -1, where: ArrayLike | None = None
) -> jax.Array:
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
    where = check_where("softmin", x, where)
    return on_axes(_softmax, -x, check_axes("softmin", x, axis), where)
