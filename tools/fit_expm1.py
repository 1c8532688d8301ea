"""The exponential polynomials of jaxact's range reductions e^z = 2^n e^r.

- ``jaxact/_kernels/expm1.py: _EXPM1_Q``: ``expm1(r) = r + r^2 q(r)``,
  ``q(r) = (expm1(r) - r) / r^2`` on ``|r| <= 1.0001 ln2 / 2`` (the reduced argument, widened
  a little for the rounding of n), degree 5 (float32) / 10 (float64): interpolation at the
  Chebyshev points, 80 digits. The float32 coefficients are kept at float64 precision (the
  library rounds them when it traces).
- ``jaxact/_kernels/exp.py: _EXP_Q``: ``e^r - 1 = r q(r)``, ``q(r) = (e^r - 1) / r`` on
  ``|r| <= 0.375`` (the reduced argument plus the low part of a double-word exponent), and
- ``jaxact/_kernels/exp.py: _EXP2_Q``: ``2^r - 1 = r q(r)`` on ``|r| <= 0.58``, both degree 5 / 11:
  ``mpmath.chebyfit`` (Chebyshev series truncation, 60 digits), coefficients rounded to the dtype.

``python -m tools.fit_expm1`` prints the three tables as the library's source writes them, each
after a comment line with the measured max relative error (of q for ``_kernels/expm1.py``, of
``1 + r q(r)`` against ``e^r`` resp. ``2^r`` for ``_kernels/exp.py``, which uses ``1 + s``), of the
fit and of the coefficients rounded to the dtype, over the interval (2001 equally spaced
points).
"""

from __future__ import annotations

from typing import Any

import mpmath

from ._fitting import (
    _chebyfit,
    _chebyshev_interpolant,
    _log2,
    _max_relative_error,
    _packed_table,
    _polyval,
    _round,
    _ruff_assignment,
    _uniform,
)

KERNEL_FILE = "jaxact/_kernels/expm1.py"
"""Where the expm1 kernel's ``_EXPM1_Q`` (the sigmoid/tanh/ELU family's) lives."""

DEGREES = {"kernel": (5, 10), "gated": (5, 11)}
"""Polynomial degree of q per table (float32, float64)."""

GATED_HALF_WIDTHS = {"expm1": 0.375, "exp2m1": 0.58}
"""``_kernels/exp.py``'s intervals ``[-h, h]``."""


def _kernel_q(r: Any) -> Any:
    if abs(r) < mpmath.mpf(10) ** -30:  # (expm1(r) - r) / r^2 to far below the precision
        return mpmath.mpf(1) / 2 + r / 6
    return (mpmath.expm1(r) - r) / r**2


def _kernel_half_width() -> Any:
    return mpmath.log(2) / 2 * mpmath.mpf("1.0001")


def kernel_expm1_fit() -> dict[str, list]:
    """The unrounded (80-digit) polynomials q of ``_kernels.expm1._EXPM1_Q`` per dtype."""
    with mpmath.workdps(80):
        h = _kernel_half_width()
        return {
            dtype: _chebyshev_interpolant(_kernel_q, -h, h, degree)
            for dtype, degree in zip(("float32", "float64"), DEGREES["kernel"], strict=True)
        }


def kernel_expm1_q() -> dict[str, tuple[float, ...]]:
    """``_kernels.expm1._EXPM1_Q`` as generated: the fit rounded to float64 for both dtypes."""
    return {dtype: _round(c, "float64") for dtype, c in kernel_expm1_fit().items()}


def kernel_expm1_error(coefficients: Any, dtype: str | None = None, points: int = 2000) -> Any:
    """Max relative error of q over the interval (``points + 1`` equally spaced points, 80
    digits), with the coefficients rounded to ``dtype`` first (``None``: taken as they are)."""
    if dtype is not None:
        coefficients = _round(coefficients, dtype)
    with mpmath.workdps(80):
        h = _kernel_half_width()
        grid = _uniform(-h, h, points)
        return _max_relative_error(lambda r: _polyval(coefficients, r), _kernel_q, grid)


def _gated_function(name: str):
    if name == "expm1":
        return lambda r: mpmath.expm1(r) / r if r else mpmath.mpf(1)
    return lambda r: (mpmath.mpf(2) ** r - 1) / r if r else mpmath.log(2)


def gated_fit(name: str) -> dict[str, list]:
    """The unrounded (60-digit) polynomials q of ``_kernels.exp._EXP_Q`` (``name="expm1"``) or
    ``_kernels.exp._EXP2_Q`` (``"exp2m1"``) per dtype."""
    h = GATED_HALF_WIDTHS[name]
    with mpmath.workdps(60):
        return {
            dtype: _chebyfit(_gated_function(name), [-h, h], degree + 1)
            for dtype, degree in zip(("float32", "float64"), DEGREES["gated"], strict=True)
        }


def gated_table(name: str) -> dict[str, tuple[float, ...]]:
    """``_kernels.exp._EXP_Q`` / ``_kernels.exp._EXP2_Q`` as generated: the fit rounded to
    the dtype."""
    return {dtype: _round(c, dtype) for dtype, c in gated_fit(name).items()}


def gated_error(name: str, coefficients: Any, dtype: str | None = None, points: int = 2000) -> Any:
    """Max relative error of ``1 + r q(r)`` against ``e^r`` (``2^r``) over ``[-h, h]``: the
    library uses ``1 + s``, ``s = r q(r)``. ``points + 1`` equally spaced points, 60 digits;
    the coefficients rounded to ``dtype`` first (``None``: taken as they are)."""
    if dtype is not None:
        coefficients = _round(coefficients, dtype)
    h = GATED_HALF_WIDTHS[name]
    with mpmath.workdps(60):
        exp = mpmath.exp if name == "expm1" else (lambda r: mpmath.mpf(2) ** r)
        return _max_relative_error(
            lambda r: 1 + r * _polyval(coefficients, r), exp, _uniform(-h, h, points)
        )


def render() -> list[str]:
    """The three tables as the library's source writes them: the expm1 kernel's ``_EXPM1_Q``,
    ``_kernels/exp.py``'s ``_EXP_Q`` and ``_EXP2_Q``."""
    return [
        _ruff_assignment("_EXPM1_Q", kernel_expm1_q()),
        _packed_table("_EXP_Q", gated_table("expm1")),
        _packed_table("_EXP2_Q", gated_table("exp2m1")),
    ]


def _figure(e: Any) -> str:
    return f"2^{_log2(e):.1f} ({float(e):.2g})"


def _report(label: str, fits: dict, error) -> str:
    parts = [
        f"{dtype} fit {_figure(error(c))}, rounded {_figure(error(c, dtype))}"
        for dtype, c in fits.items()
    ]
    return f"# {label}: max relative error " + "; ".join(parts)


def main() -> None:
    kernel, gated, gated2 = render()
    print(_report(f"{KERNEL_FILE}, of q", kernel_expm1_fit(), kernel_expm1_error))
    print(kernel)
    for name, text in (("expm1", gated), ("exp2m1", gated2)):
        print()
        label = f"jaxact/_kernels/exp.py, of 1 + r q(r) against {'e' if name == 'expm1' else '2'}^r"
        print(_report(label, gated_fit(name), lambda c, d=None, n=name: gated_error(n, c, d)))
        print(text)


if __name__ == "__main__":
    main()
