"""The rational functions of ``tanh_shrink`` and its derivative, from Lambert's continued fraction
``tanh x = x / (1 + y / (3 + y / (5 + ... + y / (2L - 1))))``, ``y = x^2``.

Truncated after ``L`` denominators (``LEVELS``: the 1 and 7 (float32) / 11 (float64) levels below
it) the fraction is ``tanh x = x R(y) / Q(y)`` with integer polynomials R and Q, and

- ``jaxact/_tanh_shrink.py: _TANH_SHRINK_PQ``: ``x - tanh x = x y P(y) / Q(y)``,
  ``P = (Q - R) / y``, both divided by P(0), so P(0) = 1, Q(0) = 3; printed as exact
  fractions. Used for ``|x| < 2``.
- ``jaxact/_tanh_shrink.py: _TANH_SQUARED_PQ``: ``tanh^2 x / x^2 = R(y)^2 / Q(y)^2`` with the
  squares expanded and divided by R(0)^2 (both constant terms 1); printed as floats. Used for
  ``|x| < 1``.

Nothing is fitted: the coefficients are exact rationals (Python's ``fractions``), rounded once to
float64. ``python -m tools.fit_tanh_shrink`` prints both tables as the library's source writes
them, after the measured max relative error (mpmath, 40 digits) of the truncated fraction and of
the coefficients rounded to the dtype, over ``(0, 2]`` resp. ``(0, 1]``.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import mpmath

from ._fitting import _Literal, _log2, _max_relative_error, _polyval, _round, _ruff_assignment

LEVELS = {"float32": 8, "float64": 12}
"""Denominators 1, 3, ..., 2L - 1 kept per dtype."""

SWITCH = {"shrink": 2, "squared": 1}
"""The fractions are used for ``|x|`` below these."""


def lambert(levels: int) -> tuple[list[Fraction], list[Fraction]]:
    """``(R, Q)`` (lowest degree first, integer coefficients) with ``tanh x = x R(y) / Q(y)``
    for the continued fraction truncated after ``levels`` denominators."""
    num, den = [Fraction(2 * levels - 1)], [Fraction(1)]
    for j in range(
        levels - 2, -1, -1
    ):  # T_j = (2j + 1) + y / T_(j+1) = ((2j + 1) num + y den) / num
        new = [(2 * j + 1) * c for c in num] + [Fraction(0)]
        for i, c in enumerate(den):
            new[i + 1] += c
        num, den = _trim(new), num
    return den, num


def _trim(c: list[Fraction]) -> list[Fraction]:
    while len(c) > 1 and c[-1] == 0:
        c.pop()
    return c


def _square(c: list[Fraction]) -> list[Fraction]:
    out = [Fraction(0)] * (2 * len(c) - 1)
    for i, a in enumerate(c):
        for j, b in enumerate(c):
            out[i + j] += a * b
    return out


def shrink_fractions(dtype: str, levels: int | None = None) -> tuple[list, list]:
    """``(P, Q)`` with ``x - tanh x = x y P(y) / Q(y)``, P(0) = 1, exact (``levels``
    denominators, by default ``LEVELS[dtype]``)."""
    r, q = lambert(LEVELS[dtype] if levels is None else levels)
    diff = [a - (r[i] if i < len(r) else 0) for i, a in enumerate(q)]
    assert diff[0] == 0
    p = _trim(diff[1:])
    return [c / p[0] for c in p], [c / p[0] for c in q]


def squared_fractions(dtype: str) -> tuple[list, list]:
    """``(R^2, Q^2)`` with ``tanh^2 x / x^2 = R^2(y) / Q^2(y)``, constant terms 1, exact."""
    r, q = lambert(LEVELS[dtype])
    r2, q2 = _square(r), _square(q)
    return [c / r2[0] for c in r2], [c / r2[0] for c in q2]


def shrink_table() -> dict[str, tuple]:
    """``_TANH_SHRINK_PQ`` as the library holds it (the fractions rounded to float64)."""
    return {d: tuple(_round(c, "float64") for c in shrink_fractions(d)) for d in LEVELS}


def squared_table() -> dict[str, tuple]:
    """``_TANH_SQUARED_PQ`` (the fractions rounded to float64)."""
    return {d: tuple(_round(c, "float64") for c in squared_fractions(d)) for d in LEVELS}


def _exact(c: Any) -> Any:
    return mpmath.mpf(c.numerator) / c.denominator if isinstance(c, Fraction) else mpmath.mpf(c)


def _points(top: int) -> list:
    return [mpmath.mpf(top) * k / 400 for k in range(1, 401)]


def shrink_error(pq: tuple, dtype: str | None = None) -> Any:
    """Max relative error of ``x y P / Q`` against ``x - tanh x`` on ``(0, 2]`` (400 equally
    spaced points, 40 digits), coefficients rounded to ``dtype`` first (None: as they are)."""
    p, q = (c if dtype is None else _round(c, dtype) for c in pq)
    with mpmath.workdps(40):
        p, q = [_exact(c) for c in p], [_exact(c) for c in q]
        approx = lambda x: x**3 * _polyval(p, x * x) / _polyval(q, x * x)
        return _max_relative_error(approx, lambda x: x - mpmath.tanh(x), _points(SWITCH["shrink"]))


def squared_error(rq: tuple, dtype: str | None = None) -> Any:
    """Max relative error of ``y R^2 / Q^2`` against ``tanh^2 x`` on ``(0, 1]`` (400 equally
    spaced points, 40 digits), coefficients rounded to ``dtype`` first (None: as they are)."""
    r, q = (c if dtype is None else _round(c, dtype) for c in rq)
    with mpmath.workdps(40):
        r, q = [_exact(c) for c in r], [_exact(c) for c in q]
        approx = lambda x: x * x * _polyval(r, x * x) / _polyval(q, x * x)
        return _max_relative_error(
            approx, lambda x: mpmath.tanh(x) ** 2, _points(SWITCH["squared"])
        )


def _fraction_literal(c: Fraction) -> _Literal:
    return _Literal(str(c.numerator) if c.denominator == 1 else f"{c.numerator} / {c.denominator}")


def _report(name: str, fractions, error) -> str:
    parts = []
    for dtype in LEVELS:
        exact = fractions(dtype)
        parts.append(
            f"{dtype} ({LEVELS[dtype]} denominators) fraction 2^{_log2(error(exact)):.1f},"
            f" rounded 2^{_log2(error(exact, dtype)):.1f}"
        )
    return f"# jaxact/_tanh_shrink.py {name}: max relative error " + "; ".join(parts)


def render() -> list[str]:
    """``_TANH_SHRINK_PQ`` (as fractions) and ``_TANH_SQUARED_PQ`` as the library writes them."""
    literal = {
        d: tuple(tuple(_fraction_literal(c) for c in part) for part in shrink_fractions(d))
        for d in LEVELS
    }
    return [
        _ruff_assignment("_TANH_SHRINK_PQ", literal, expanded=2),
        _ruff_assignment("_TANH_SQUARED_PQ", squared_table()),
    ]


def main() -> None:
    shrink, squared = render()
    print(_report("_TANH_SHRINK_PQ on (0, 2]", shrink_fractions, shrink_error))
    print(shrink)
    print()
    print(_report("_TANH_SQUARED_PQ on (0, 1]", squared_fractions, squared_error))
    print(squared)


if __name__ == "__main__":
    main()
