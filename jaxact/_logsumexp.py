"""logsumexp: log Σ b_i e^(a_i) along axes, with jax.nn.logsumexp's signature.

The largest term is kept exactly: with m the largest entry and c_j = b_j e^(a_j - m), k the
largest |c_j|, the sum is c_k (1 + r) with r = Σ_{j≠k} c_j / c_k, and

    logsumexp = m + (a_k - m) + log|b_k| + log|1 + r|,

where log|1 + r| is log1p(r) whenever r > -1 (always without ``b``: then c_k = 1 and
logsumexp = m + log1p(Σ others)). jax.nn and scipy take log of the whole sum, which drops
everything below half an ULP of 1: logsumexp([0, -20]) is 2.06e-9, jax.nn gives 0 in float32.

The derivative is the softmax of the entries (weighted by b), written from the same q = c / c_k:
∂/∂a_j = q_j / Σq, ∂/∂b_j = e^(a_j - m) / (c_k Σq).
"""

from __future__ import annotations

import functools
import math
from typing import Any

import jax
import jax.numpy as jnp
from jax import lax
from jax.typing import ArrayLike

from ._numerics import as_inexact, check_axes, check_where
from ._registry import Equivalents, Interval, activation

_HALF = (jnp.dtype(jnp.float16), jnp.dtype(jnp.bfloat16))


def _shift(x: jax.Array, mask: jax.Array) -> tuple[jax.Array, jax.Array]:
    """``(m, z)`` along the last axis: m the largest included entry (a length-1 axis; -inf for
    a row with none), z = x - m on included entries (-inf on the others).

    +inf entries get z = 0 and the rest of their row -inf (they share the row, as in the
    softmax); a NaN entry stays NaN. Double where: no inf - inf reaches a subtraction, so no
    NaN gradient leaks from excluded or infinite entries.
    """
    xm = jnp.where(mask, x, -jnp.inf)
    m = lax.stop_gradient(jnp.max(xm, axis=-1, keepdims=True, initial=-jnp.inf))
    finite_m = jnp.where(jnp.isfinite(m), m, 0)
    finite = mask & jnp.isfinite(x)
    z = jnp.where(finite, jnp.where(finite, x, finite_m) - finite_m, -jnp.inf)
    z = jnp.where(mask & (x == jnp.inf), 0, z)
    z = jnp.where((m == jnp.inf) & jnp.isfinite(x), -jnp.inf, z)
    z = jnp.where(mask & jnp.isnan(x), x, z)
    # (A reduced max may skip NaN on some backends: YNNPACK's does.)
    m = jnp.where(jnp.any(mask & jnp.isnan(x), -1, keepdims=True), jnp.nan, m)
    return m, z


def _terms(x: jax.Array, b: jax.Array | None, mask: jax.Array) -> tuple[jax.Array, ...]:
    """``(m, z, e, ck, zk, bk, q, r)`` of the module docstring, along the last axis."""
    m, z = _shift(x, mask)
    e = jnp.exp(z)
    c = e if b is None else b * e
    # The largest term by value (argmax keeps the first of ties); z_k is the exact shift of
    # that entry (0 at the maximum).
    k = jnp.argmax(jnp.abs(jnp.where(jnp.isnan(c), jnp.inf, c)), axis=-1, keepdims=True)
    pick = lax.stop_gradient(lax.broadcasted_iota(jnp.int32, c.shape, c.ndim - 1) == k)
    ck = jnp.sum(jnp.where(pick, c, 0), -1, keepdims=True)
    zk = jnp.sum(jnp.where(pick, z, 0), -1, keepdims=True)
    bk = None if b is None else jnp.sum(jnp.where(pick, b, 0), -1, keepdims=True)
    safe_ck = jnp.where(ck == 0, 1, ck)
    # No term at all (ck = 0): q = 0, so the gradient of such a row is 0, as softmax's.
    q = jnp.where(pick, jnp.where(ck == 0, 0, 1), c / safe_ck)
    r = jnp.sum(jnp.where(pick, 0, q), -1, keepdims=True)
    return m, z, e, ck, zk, bk, q, r


def _unweighted(x: jax.Array, mask: jax.Array) -> tuple[jax.Array, jax.Array, jax.Array]:
    """``(m, e, r)`` without weights, along the last axis: e = e^(x - m) and r the sum of the
    terms other than one largest, r = Σ_{e<1} e + Σ_{e≥1} (e - 1) + (#{e ≥ 1} - 1).

    The largest terms are those with e ≥ 1 (e = 1 at the maximum; a hair above or below when
    XLA fuses the producer of x into the shift and rounds it differently): each contributes
    e - 1, exact for e that close to 1, and one of them is the 1 that log1p adds back. No
    argmax: one pass for the maximum, one fused pass for the two sums.
    """
    m, z = _shift(x, mask)
    e = jnp.exp(z)
    top = e >= 1
    count = jnp.sum(top, -1, keepdims=True, dtype=e.dtype)
    r = jnp.sum(jnp.where(top, e - 1, e), -1, keepdims=True) + (count - 1)
    return m, e, r


def _value(x: jax.Array, b: jax.Array | None, mask: jax.Array) -> tuple[jax.Array, jax.Array]:
    """``(log|Σ b e^a|, sign)`` along the last axis, kept as a length-1 axis."""
    m, _, _, ck, zk, bk, _, r = _terms(x, b, mask)
    above = r > -1  # 1 + r > 0; r = -1 exactly: the sum is 0
    log_rest = jnp.where(above, jnp.log1p(jnp.where(above, r, 0)), jnp.log(jnp.abs(1 + r)))
    log_bk = 0 if bk is None else jnp.log(jnp.abs(jnp.where(ck == 0, 1, bk)))
    empty = ck == 0  # no term (all excluded or -inf, all b zero): log 0 = -inf, sign 0
    out = jnp.where(empty, -jnp.inf, m + (zk + (log_bk + log_rest)))
    sign = jnp.where(empty, 0, jnp.sign(ck) * jnp.sign(1 + r))
    # A +inf entry with a negative total (or terms that cancel to -inf) is NaN, as in jax.nn.
    return out, sign.astype(out.dtype)


def _tangent(x, b, mask, tx, tb):
    """Σ_j (q_j tx_j + e_j / c_k tb_j) / Σq: the softmax weights, from the input."""
    _, _, e, ck, _, _, q, r = _terms(x, b, mask)
    total = jnp.where(ck == 0, 1, 1 + r)
    out = jnp.sum(jnp.where(mask, q * tx, 0), -1, keepdims=True)
    if b is not None:
        safe_ck = jnp.where(ck == 0, 1, ck)
        out = out + jnp.sum(jnp.where(mask, (e / safe_ck) * tb, 0), -1, keepdims=True)
    return out / total


@jax.custom_jvp
def _lse(x: jax.Array, mask: jax.Array) -> tuple[jax.Array, jax.Array]:
    m, _, r = _unweighted(x, mask)
    # No term (every entry excluded or -inf): m = -inf, log 0 = -inf with sign 0; r = -1 there.
    empty = m == -jnp.inf
    out = jnp.where(empty, -jnp.inf, m + jnp.log1p(jnp.where(empty, 0, r)))
    return out, jnp.where(empty, 0, jnp.ones_like(out))


@_lse.defjvp
def _lse_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x, mask), (tx, _) = primals, tangents
    m, e, r = _unweighted(x, mask)
    empty = m == -jnp.inf
    out = jnp.where(empty, -jnp.inf, m + jnp.log1p(jnp.where(empty, 0, r)))
    sign = jnp.where(empty, 0, jnp.ones_like(out))
    # The softmax weights e / (1 + r); a row with no term has a zero gradient, as softmax's.
    dot = jnp.sum(jnp.where(mask, e * tx, 0), -1, keepdims=True)
    tangent = jnp.where(empty, 0, dot / jnp.where(empty, 1, 1 + r))
    return (out, sign), (tangent, jnp.zeros_like(sign))


@jax.custom_jvp
def _lse_b(x: jax.Array, b: jax.Array, mask: jax.Array) -> tuple[jax.Array, jax.Array]:
    return _value(x, b, mask)


@_lse_b.defjvp
def _lse_b_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x, b, mask), (tx, tb, _) = primals, tangents
    out, sign = _lse_b(x, b, mask)
    return (out, sign), (_tangent(x, b, mask, tx, tb), jnp.zeros_like(sign))


@functools.partial(jax.jit, static_argnums=(3, 4))
def _logsumexp_impl(
    a: jax.Array, b: jax.Array | None, where: Any, axes: tuple[int, ...], keepdims: bool
) -> tuple[jax.Array, jax.Array]:
    dtype = a.dtype
    if dtype in _HALF:  # summed in float32 (a long half-precision row would overflow)
        a = a.astype(jnp.float32)
        b = None if b is None else b.astype(jnp.float32)
    mask = jnp.ones(a.shape, bool) if where is None else jnp.broadcast_to(where, a.shape)
    if b is not None:
        mask = mask & (b != 0)  # as jax.nn: a zero weight drops its term, even at a = +inf
    k = len(axes)
    last = tuple(range(a.ndim - k, a.ndim))
    kept = tuple(n for i, n in enumerate(a.shape) if i not in axes)

    def flat(v: jax.Array) -> jax.Array:
        return jnp.moveaxis(v, axes, last).reshape((*kept, math.prod(a.shape[i] for i in axes)))

    if math.prod(a.shape[i] for i in axes) == 0:  # an empty sum: log 0
        out = jnp.full((*kept, 1), -jnp.inf, a.dtype)
        sign = jnp.zeros_like(out)
    elif b is None:
        out, sign = _lse(flat(a), flat(mask))
    else:
        out, sign = _lse_b(flat(a), flat(b), flat(mask))
    shape = tuple(1 if i in axes else n for i, n in enumerate(a.shape)) if keepdims else kept
    return out.reshape(shape).astype(dtype), sign.reshape(shape).astype(dtype)


@activation(
    name="logsumexp",
    display_name="Log-sum-exp",
    family="vector",
    summary=(
        r"$\log\sum_i b_i e^{a_i}$ along axes: a smooth maximum, the normaliser of "
        "log_softmax; its gradient is the softmax."
    ),
    formula=r"\operatorname{logsumexp}(a) = \log\sum_i b_i\,e^{a_i}",
    derivative=(
        r"\frac{\partial\,\operatorname{logsumexp}(a)}{\partial a_j}"
        r" = \frac{b_j e^{a_j}}{\sum_i b_i e^{a_i}} \\ = \operatorname{softmax}(a)_j \ (b = 1)"
    ),
    output_range=Interval(),
    elementwise=False,
    smoothness="Cinf",
    equivalents=Equivalents("jax.nn.logsumexp", "torch.logsumexp", "keras.ops.logsumexp"),
    conventions=(
        r"The largest term is kept exactly: with $m = a_k = \max_i a_i$, the result is "
        r"$m + \operatorname{log1p}(\sum_{j \ne k} e^{a_j - m})$, so `logsumexp([0, -20])` is "
        "2.06e−9 (jax.nn gives 0 in float32).",
        "The site and the registry-wide tests call it along the last axis with `keepdims=True` "
        "(a row to a row of one entry); its own default, as jax.nn's, reduces every axis.",
        "Entries where `where` is False, or whose weight `b` is 0, are left out (as jax.nn); a "
        r"row with none left gives $-\infty$ (sign 0) and a zero gradient. A $+\infty$ entry "
        r"gives $+\infty$; NaN gives NaN.",
        r"With `b`, the result is $\log\lvert\sum_i b_i e^{a_i}\rvert$ and, with "
        "`return_sign=True`, its sign; without `return_sign` a negative sum gives NaN (as "
        "jax.nn).",
        "float16/bfloat16 rows are summed in float32.",
    ),
    example_input=(-1.0, 0.0, 1.0, 2.0),
    plot_slice=lambda x: jnp.stack([x, jnp.zeros_like(x)], axis=-1),
    plot_range=(-8.0, 8.0),
    call_defaults=(("axis", -1), ("keepdims", True)),
)
def logsumexp(
    a: ArrayLike,
    axis: int | tuple[int, ...] | None = None,
    b: ArrayLike | None = None,
    keepdims: bool = False,
    return_sign: bool = False,
    where: ArrayLike | None = None,
) -> jax.Array | tuple[jax.Array, jax.Array]:
    r"""Log-sum-exp along ``axis``, a drop-in for ``jax.nn.logsumexp``.

    $$\operatorname{logsumexp}(a) = \log\sum_i b_i\,e^{a_i},$$

    computed as $m + (a_k - m) + \log|b_k| + \operatorname{log1p}(r)$ with $m$ the largest
    entry, $k$ the largest term and $r$ the sum of the other terms divided by it, so the
    largest term keeps its digits (without ``b``: $m + \operatorname{log1p}(\sum_{j \ne k}
    e^{a_j - m})$).

    Args:
        a: input array.
        axis: the axis or tuple of axes summed over (None: all), as jax.nn.
        b: optional weights, broadcastable against ``a``; terms with ``b = 0`` are left out.
        keepdims: keep the summed axes with length 1.
        return_sign: also return the sign of the sum (for ``b`` with negative entries).
        where: optional boolean mask; entries where it is False are left out.

    Returns:
        An array of the (floating) dtype of ``a`` (and ``b``), or ``(result, sign)`` with
        ``return_sign``: the result is then $\log\lvert\sum_i b_i e^{a_i}\rvert$.

    Examples:
        >>> float(jaxact.logsumexp(jnp.array([0.0, -20.0])))  # jax.nn gives 0.0
        2.06...e-09
        >>> b = jnp.array([1.0, -2.0])
        >>> jaxact.logsumexp(jnp.array([0.0, 0.0]), b=b, return_sign=True)
        (Array(0., dtype=float32), Array(-1., dtype=float32))
    """
    a = as_inexact(a, "logsumexp", "a")
    if b is not None:
        b = as_inexact(b, "logsumexp", "b")
        dtype = jnp.result_type(a, b)
        shape = jnp.broadcast_shapes(a.shape, b.shape)
        weak = a.weak_type and b.weak_type
        a = jnp.broadcast_to(a.astype(dtype), shape)
        b = jnp.broadcast_to(b.astype(dtype), shape)
    else:
        weak = a.weak_type
    where = check_where("logsumexp", a, where)
    axes = check_axes("logsumexp", a, axis)
    axes = (axes,) if isinstance(axes, int) else axes
    out, sign = _logsumexp_impl(a, b, where, axes, bool(keepdims))
    if weak:
        out, sign = _weak_like(out), _weak_like(sign)
    if return_sign:
        return out, sign
    if b is not None:
        out = jnp.where(sign < 0, jnp.nan, out)
    return out


def _weak_like(y: jax.Array) -> jax.Array:
    return lax.convert_element_type_p.bind(y, new_dtype=y.dtype, weak_type=True, sharding=None)
