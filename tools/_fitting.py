"""Shared helpers: polynomial and rational fits in mpmath, error measurement, and printing a
table as the library's source writes it. Everything here is deterministic: fixed nodes, fixed
iteration counts, fixed working precision."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any

import mpmath
import numpy as np

_WIDTH = 100  # the project's line length (ruff)
_PACKED_WIDTH = 90  # the hand-packed `# fmt: skip` tables of _kernels/exp.py, _kernels/gelu.py


def _round(values: Sequence[Any], dtype: str) -> tuple[float, ...]:
    """``values`` rounded to float64, then to ``dtype`` (as the library's literals were made)."""
    cast = np.dtype(dtype).type
    return tuple(float(cast(float(v))) for v in values)


def _polyval(coefficients: Sequence[Any], x: Any) -> Any:
    """``sum(c[k] x^k)`` in mpmath (Horner), lowest degree first, coefficients taken exactly.

    Written out rather than ``mpmath.polyval``, whose coefficient order changed in mpmath 1.4.
    """
    acc = mpmath.mpf(0)
    for c in reversed(list(coefficients)):
        acc = acc * x + mpmath.mpf(c)
    return acc


def _chebyfit(f: Any, interval: Sequence[Any], n: int) -> list[Any]:
    """``mpmath.chebyfit``'s n coefficients, lowest degree first, on mpmath 1.3 and 1.4 alike
    (1.4 deprecates the highest-first order that 1.3 alone offers)."""
    if "asc" in inspect.signature(mpmath.chebyfit).parameters:
        return list(mpmath.chebyfit(f, interval, n, asc=True))
    return list(mpmath.chebyfit(f, interval, n))[::-1]


def _chebyshev_nodes(a: Any, b: Any, n: int) -> list:
    """The ``n`` Chebyshev points of the first kind on ``[a, b]``."""
    a, b = mpmath.mpf(a), mpmath.mpf(b)
    half, mid = (b - a) / 2, (a + b) / 2
    return [mid + half * mpmath.cos(mpmath.pi * (2 * k + 1) / (2 * n)) for k in range(n)]


def _chebyshev_interpolant(f: Callable, a: Any, b: Any, degree: int) -> list:
    """Coefficients (lowest degree first) of the polynomial of ``degree`` that interpolates ``f``
    at the Chebyshev points of ``[a, b]``: near-minimax for smooth ``f``. Solved as a
    Vandermonde system at the current working precision."""
    n = degree + 1
    nodes = _chebyshev_nodes(a, b, n)
    vandermonde = mpmath.matrix(n, n)
    values = mpmath.matrix(n, 1)
    for i, t in enumerate(nodes):
        for j in range(n):
            vandermonde[i, j] = t**j
        values[i] = f(t)
    solution = mpmath.lu_solve(vandermonde, values)
    return [solution[j] for j in range(n)]


def _max_relative_error(approx: Callable, f: Callable, points: Sequence[Any]) -> Any:
    """``max |approx(t) / f(t) - 1|`` over ``points`` (mpmath)."""
    return max(abs(approx(t) - f(t)) / abs(f(t)) for t in points)


def _uniform(a: Any, b: Any, n: int) -> list:
    """``n + 1`` equally spaced points from ``a`` to ``b`` inclusive."""
    a, b = mpmath.mpf(a), mpmath.mpf(b)
    return [a + (b - a) * k / n for k in range(n + 1)]


def _chebyshev_grid(a: Any, b: Any, n: int) -> list:
    """``n`` points on ``[a, b]`` clustered at both ends (the interior Chebyshev points)."""
    a, b = mpmath.mpf(a), mpmath.mpf(b)
    return [
        a + (b - a) * (1 - mpmath.cos(mpmath.pi * (i + mpmath.mpf(1) / 2) / n)) / 2
        for i in range(n)
    ]


def _rational_fit(
    f: Callable, a: Any, b: Any, m: int, n: int, points: int, iterations: int, dps: int
) -> tuple[Any, list, list]:
    """Near-minimax relative-error fit ``p / q`` of ``f`` on ``[a, b]``, ``deg p = m``,
    ``deg q = n``, ``q(0) = 1``: Loeb's linearised least squares (minimise the weighted
    residual ``(p - f q) / (f q_prev)`` with ``q_prev`` the previous iteration's denominator)
    with Lawson's weights (each point's weight multiplied by its last error, which drives the
    least-squares solution towards the minimax one), on ``points`` points clustered at the
    ends. Returns ``(max relative error, p, q)`` of the best of ``iterations`` iterates."""
    with mpmath.workdps(dps):
        ts = _chebyshev_grid(a, b, points)
        ys = [f(t) for t in ts]
        inv = [1 / abs(y) for y in ys]
        lawson = [mpmath.mpf(1)] * points
        q_prev = [mpmath.mpf(1)] * points
        best = None
        for _ in range(iterations):
            rows, rhs = [], []
            for t, y, w, lam, qp in zip(ts, ys, inv, lawson, q_prev, strict=True):
                s = mpmath.sqrt(lam) * w / abs(qp)
                rows.append(
                    [s * t**j for j in range(m + 1)] + [-s * y * t**j for j in range(1, n + 1)]
                )
                rhs.append(s * y)
            solution, _ = mpmath.qr_solve(mpmath.matrix(rows), mpmath.matrix(rhs))
            p = [solution[j] for j in range(m + 1)]
            q = [mpmath.mpf(1)] + [solution[m + 1 + j] for j in range(n)]
            errors = [
                (_polyval(p, t) / _polyval(q, t) - y) * w
                for t, y, w in zip(ts, ys, inv, strict=True)
            ]
            worst = max(abs(e) for e in errors)
            if best is None or worst < best[0]:
                best = (worst, p, q)
            q_prev = [_polyval(q, t) for t in ts]
            total = sum(lam * abs(e) for lam, e in zip(lawson, errors, strict=True))
            lawson = [lam * abs(e) / total * points for lam, e in zip(lawson, errors, strict=True)]
        return best


def _log2(e: Any) -> float:
    return float(mpmath.log(e, 2)) if e else -float("inf")


# -- printing ---------------------------------------------------------------------------------


def _atom(v: Any) -> str:
    if isinstance(v, _Literal):
        return v.text
    return repr(v)


class _Literal:
    """A value printed as given (``1 / 15``, ``0x3F800000``)."""

    def __init__(self, text: str):
        self.text = text


def _flat(v: Any) -> str:
    if isinstance(v, dict):
        return "{" + ", ".join(f'"{k}": {_flat(x)}' for k, x in v.items()) + "}"
    if isinstance(v, tuple):
        return "(" + ", ".join(_flat(x) for x in v) + ("," if len(v) == 1 else "") + ")"
    return _atom(v)


def _ruff(v: Any, indent: int, prefix: str, suffix: str, expanded: int) -> list[str]:
    """Lines of ``prefix + v + suffix`` at ``indent`` as ruff format lays them out: on one line
    if it fits, else one element per line (with a trailing comma), recursively; the outermost
    ``expanded`` levels are split even where they fit (a "magic trailing comma" in the source)."""
    pad = " " * indent
    line = pad + prefix + _flat(v) + suffix
    if (len(line) <= _WIDTH and expanded <= 0) or not isinstance(v, dict | tuple):
        return [line]
    opening, closing = ("{", "}") if isinstance(v, dict) else ("(", ")")
    items = v.items() if isinstance(v, dict) else ((None, x) for x in v)
    lines = [pad + prefix + opening]
    for k, x in items:
        lines += _ruff(x, indent + 4, "" if k is None else f'"{k}": ', ",", expanded - 1)
    return lines + [pad + closing + suffix]


def _ruff_assignment(name: str, value: Any, expanded: int = 1) -> str:
    """``name = value`` formatted as ruff format does (for the tables without ``fmt: skip``),
    the outermost ``expanded`` levels split (see :func:`_ruff`)."""
    return "\n".join(_ruff(value, 0, f"{name} = ", "", expanded))


def _packed(values: Sequence[Any], column: int, first: str, last: str) -> list[str]:
    """``first + (v0, v1, ...) + last`` packed greedily into lines of at most ``_PACKED_WIDTH``
    characters, continuation lines aligned one past the opening parenthesis at ``column``."""
    words = [_atom(v) + ("," if i < len(values) - 1 else ")" + last) for i, v in enumerate(values)]
    lines, line = [], first + "(" + words[0]
    for w in words[1:]:
        if len(line) + 1 + len(w) > _PACKED_WIDTH:
            lines.append(line)
            line = " " * (column + 1) + w
        else:
            line += " " + w
    return lines + [line]


def _packed_table(name: str, table: dict[str, tuple]) -> str:
    """A ``{"float32": (...), "float64": (...)}`` table as the hand-packed ``# fmt: skip``
    blocks of ``_kernels/exp.py`` write it."""
    lines = [f"{name} = {{"]
    for key, values in table.items():
        first = f'    "{key}": '
        lines += _packed(values, len(first), first, ",")
    return "\n".join(lines + ["}  # fmt: skip"])
