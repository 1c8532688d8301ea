"""Exact values and derivatives of the vector-valued activations, in mpmath, one row at a time.

For a row ``x`` (floats, ``±inf`` allowed where the function masks entries) and the function's
parameters, ``exact(name, x, params)`` returns an :class:`Exact`: the output ``y`` and the
Jacobian as a map of cotangents, ``vjp(c) = (cᵀJ, term sizes)``. Every Jacobian here is a
normaliser's, ``J[k, i] = d_k (δ_ki − v_i)`` with ``Σ v = 1`` (softmax: ``d = v = p``;
α-entmax: ``d = s``, ``v = s / Σs``), logsumexp's one row ``p``, or a selection (maxout, the
GLU family), so a product costs O(n) however long the row. The *term sizes* are
``Σ_k |c_k J[k, i]|``: the size of what ``cᵀJ`` sums, which a cotangent can cancel to any small
value (for a gate's derivative near an interior zero of it, at least the elementwise harness's
floor: 0.25 times ``|c_k a_k|``).

``ORACLES`` lists every vector-valued activation of the registry; ``benchmarks.vector_accuracy``
and the tests read it (a function registered without an entry fails a test naming it).

Shared with the tests: :func:`softmax_row` (softmax, log_softmax and logsumexp from the
differences to the row's maximum) and :func:`solve_anchored` (α-entmax's threshold, anchored
at the support's smallest entry).
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable, Sequence
from typing import Any

import mpmath

import jaxact
from benchmarks import _ulp

Row = Sequence[Any]


@dataclasses.dataclass(frozen=True)
class Exact:
    """One row's exact output ``y`` and its vector-Jacobian product ``vjp(c) -> (cᵀJ, sizes)``."""

    y: list[Any]
    vjp: Callable[[Row], tuple[list[Any], list[Any]]]


def _others(w: Sequence[Any]) -> list[Any]:
    """``Σ_{k≠i} w_k`` for every ``i``, from prefix and suffix sums: never ``Σ w − w_i``, which
    cancels where ``w_i`` is nearly all of the sum."""
    before, after = [mpmath.mpf(0)], [mpmath.mpf(0)]
    for t in w:
        before.append(before[-1] + t)
    for t in reversed(w):
        after.append(after[-1] + t)
    n = len(w)
    return [before[i] + after[n - 1 - i] for i in range(n)]


def _normaliser(d: Sequence[Any], v: Sequence[Any]) -> Callable[[Row], tuple[list, list]]:
    """``c -> (cᵀJ, Σ_k |c_k J[k, i]|)`` for ``J[k, i] = d_k (δ_ki − v_i)`` with ``Σ v = 1``
    (softmax: d = p, v = p; α-entmax: d = s, v = s / Σs), as
    ``(cᵀJ)_i = c_i d_i Σ_{j≠i} v_j − v_i Σ_{k≠i} c_k d_k``: both sums leave ``i`` out, so an
    entry keeps its digits where ``v_i`` is nearly 1."""
    rest = _others(v)

    def vjp(c: Row) -> tuple[list[Any], list[Any]]:
        w = [ck * dk for ck, dk in zip(c, d, strict=True)]
        others, sizes = _others(w), _others([abs(t) for t in w])
        value = [wi * ri - vi * oi for wi, ri, vi, oi in zip(w, rest, v, others, strict=True)]
        size = [abs(wi * ri) + vi * si for wi, ri, vi, si in zip(w, rest, v, sizes, strict=True)]
        return value, size

    return vjp


def softmax_row(row: Row, temperature: Any = 1) -> tuple[list[Any], list[Any], Any]:
    """``(softmax, log_softmax, logsumexp)`` of ``row / temperature`` from the differences to
    the maximum: ``log_softmax_i = (z_i − m) − log1p(Σ_{j≠top} e^{z_j − m})``, so the largest
    entry keeps its digits where it is tiny. ``-inf`` entries (masked) give 0 and ``-inf``.
    At the caller's precision (``mpmath.workdps``)."""
    z = [mpmath.mpf(float(t)) / temperature for t in row]
    m = max(z)
    top = z.index(m)
    rest = mpmath.log1p(mpmath.fsum(mpmath.exp(t - m) for j, t in enumerate(z) if j != top))
    logs = [(t - m) - rest for t in z]
    return [mpmath.exp(t) for t in logs], logs, m + rest


def solve_anchored(a: list, gamma: Any) -> list:
    """Σ [a_i − T]_+^γ = 1 in mpmath, exactly enough for any row: the support from the signs of
    F at the sorted scores (a search over them), then T = a_r − v with r the support's
    smallest entry and v by Newton's method from above in v (γ >= 1) or in q = v^γ (γ < 1),
    where F is convex (the method the library uses), so that u_i = (a_i − a_r) + v keeps its
    relative precision even where u_i is far below the resolution of T itself. Masked
    entries (−inf) get 0, also where the support is every finite entry."""
    srt = sorted(set(a), reverse=True)

    def excess_at(k: int):
        return mpmath.fsum((v - srt[k]) ** gamma for v in a if v > srt[k]) - 1

    lo, hi = 0, len(srt)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if excess_at(mid) < 0 else (lo, mid)
    r = srt[lo]
    d = [v - r for v in a if v >= r]
    # Start where F(v) >= 0: the gap to the next score below the support, or, where there is
    # none (the support takes in every score) or it is -inf (every finite score of a masked
    # row), v = 2, where F(v) >= 2^γ − 1 > 0 (the gap would be +inf there, and so would p).
    below = srt[hi] if hi < len(srt) else None
    v = r - below if below is not None and mpmath.isfinite(below) else mpmath.mpf(2)
    beta = 1 / gamma
    q = v**gamma
    for _ in range(200):
        f = mpmath.fsum((x + v) ** gamma for x in d) - 1
        slope = gamma * mpmath.fsum((x + v) ** (gamma - 1) for x in d)
        if gamma >= 1:
            new = v - f / slope
        else:
            q = q - f / (slope * beta * q ** (beta - 1))
            new = q**beta
        if not 0 < new < v:
            break
        v, done = new, v - new <= v * mpmath.mpf(2) ** -(mpmath.mp.prec - 8)
        if done:
            break
    return [(x - r + v) ** gamma if x - r + v > 0 else mpmath.mpf(0) for x in a]


def _softmax(row: Row, temperature: Any = 1, **_: Any) -> Exact:
    t = mpmath.mpf(float(temperature))
    p, _, _ = softmax_row(row, t)
    return Exact(p, _normaliser([q / t for q in p], p))


def _log_softmax(row: Row, temperature: Any = 1, **_: Any) -> Exact:
    t = mpmath.mpf(float(temperature))
    p, logs, _ = softmax_row(row, t)
    return Exact(logs, _normaliser([1 / t] * len(p), p))


def _softmin(row: Row, **_: Any) -> Exact:
    p, _, _ = softmax_row([-float(t) for t in row])
    return Exact(p, _normaliser([-q for q in p], p))


def _logsumexp(row: Row, **_: Any) -> Exact:
    p, _, lse = softmax_row(row)

    def vjp(c: Row) -> tuple[list[Any], list[Any]]:  # J = pᵀ: one output
        out = [c[0] * q for q in p]
        return out, [abs(t) for t in out]

    return Exact([lse], vjp)


def _entmax(row: Row, alpha: Any = 1.5, **_: Any) -> Exact:
    """α-entmax: p = [(α − 1)x − T]_+^{1/(α−1)}, J = diag(s) − s sᵀ/Σs with s = p^{2−α} on the
    support (sparsemax at α = 2: s the support's indicator)."""
    a = mpmath.mpf(float(alpha))
    p = solve_anchored([(a - 1) * mpmath.mpf(float(v)) for v in row], 1 / (a - 1))
    s = [q ** (2 - a) if q > 0 else mpmath.mpf(0) for q in p]
    total = mpmath.fsum(s)
    return Exact(p, _normaliser(s, [w / total for w in s]))


def _maxout(row: Row, num_pieces: int = 2, **_: Any) -> Exact:
    """The maximum of each group of ``num_pieces``; tied maxima share the gradient equally
    (jaxact's convention: the maximum has no derivative there)."""
    x = [mpmath.mpf(float(t)) for t in row]
    groups = [x[i : i + num_pieces] for i in range(0, len(x), num_pieces)]
    y = [max(g) for g in groups]
    share = [[mpmath.mpf(1) / g.count(m) if t == m else mpmath.mpf(0) for t in g]
             for g, m in zip(groups, y, strict=True)]  # fmt: skip

    def vjp(c: Row) -> tuple[list[Any], list[Any]]:
        out = [ck * w for ck, ws in zip(c, share, strict=True) for w in ws]
        return out, [abs(t) for t in out]

    return Exact(y, vjp)


def _gate(name: str, params: dict[str, Any]) -> tuple[Callable, Callable, Callable]:
    """The registry's mpmath oracle of the elementwise gate ``name``, of its derivative (with
    the parameters it takes), and the size ``|g'(b)|`` that the elementwise harness holds
    ``g'`` to: at least ``CRITICAL_FLOOR`` within ``CRITICAL_RADIUS`` of an interior zero of
    ``g'`` (silu's, gelu's), where a relative error means nothing."""
    spec = jaxact.get(name)
    kw = {k: v for k, v in params.items() if k in inspect.signature(spec.reference).parameters}
    zeros = [mpmath.mpf(z) for z in spec.critical_points]

    def size(b: Any, slope: Any) -> Any:
        near = any(abs(b - z) < _ulp.CRITICAL_RADIUS for z in zeros)
        return max(abs(slope), _ulp.CRITICAL_FLOOR) if near else abs(slope)

    return (
        lambda b: spec.reference(mpmath.mp, b, **kw),
        lambda b: spec.reference_derivative(mpmath.mp, b, **kw),
        size,
    )


def _gated(gate_name: str) -> Callable[..., Exact]:
    """The GLU family: y = a ⊙ g(b) for the halves [a, b]."""

    def exact(row: Row, **params: Any) -> Exact:
        g, dg, dg_size = _gate(gate_name, params)
        x = [mpmath.mpf(float(t)) for t in row]
        a, b = x[: len(x) // 2], x[len(x) // 2 :]
        gb = [g(t) for t in b]
        slopes = [dg(t) for t in b]

        def vjp(c: Row) -> tuple[list[Any], list[Any]]:
            by_a = [ck * gk for ck, gk in zip(c, gb, strict=True)]
            by_b = [ck * ak * d for ck, ak, d in zip(c, a, slopes, strict=True)]
            sizes = [
                abs(ck * ak) * dg_size(bk, d) for ck, ak, bk, d in zip(c, a, b, slopes, strict=True)
            ]
            return by_a + by_b, [abs(t) for t in by_a] + sizes

        return Exact([ak * gk for ak, gk in zip(a, gb, strict=True)], vjp)

    exact.gate = gate_name  # type: ignore[attr-defined]  # its oracle's source keys the cache
    return exact


@dataclasses.dataclass(frozen=True)
class Oracle:
    """How to compute a vector-valued function exactly, and what its rows may contain."""

    exact: Callable[..., Exact]
    mask: float | None = None
    """The entry value that leaves an entry out (−inf for the softmax family), if any."""


ORACLES: dict[str, Oracle] = {
    "softmax": Oracle(_softmax, mask=-float("inf")),
    "log_softmax": Oracle(_log_softmax, mask=-float("inf")),
    "logsumexp": Oracle(_logsumexp, mask=-float("inf")),
    "softmin": Oracle(_softmin, mask=float("inf")),
    "sparsemax": Oracle(lambda row, **_: _entmax(row, alpha=2), mask=-float("inf")),
    "entmax15": Oracle(lambda row, **_: _entmax(row, alpha=1.5), mask=-float("inf")),
    "entmax": Oracle(_entmax, mask=-float("inf")),
    "maxout": Oracle(_maxout, mask=-float("inf")),
    "glu": Oracle(_gated("sigmoid")),
    "swiglu": Oracle(_gated("silu")),
    "geglu": Oracle(_gated("gelu")),
    "reglu": Oracle(_gated("relu")),
}
"""Per vector-valued activation of the registry: its mpmath oracle."""


def exact(name: str, row: Row, params: dict[str, Any]) -> Exact:
    """The exact output and Jacobian of the registered function ``name`` on ``row``, at the
    caller's precision (``mpmath.workdps``)."""
    if name not in ORACLES:
        raise KeyError(f"{name}: no mpmath oracle in benchmarks/_vector_reference.py ORACLES")
    return ORACLES[name].exact(row, **params)
