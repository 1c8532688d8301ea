"""The rational fit behind jaxact's exact GELU, and the constants around it.

``jaxact/_kernels/gelu.py: _GELU_EXACT``:

- ``"R"``: ``R(t) = e^(t^2/2) Phi(-t) = erfcx(t / sqrt 2) / 2 ~ p(t) / q(t)`` on ``[0, t_max]``,
  degrees 4/5 (float32, ``t_max = 14.5``) and 10/11 (float64, ``t_max = 38.7``): Loeb's
  linearised least squares with Lawson's weights for near-minimax relative error
  (``tools._fitting._rational_fit``: 300 / 400 points clustered at both ends, 30 iterations,
  60 / 70 digits), ``q(0) = 1``. The float32 coefficients are multiplied by 1.5 before rounding
  to float32 (so p(0) = 0.75 and q(0) = 1.5 are not just above a power of two, where a
  rounding is relatively twice as coarse); the float64 ones are rounded as they are.
- ``"inv_sqrt_2pi"``: ``1 / sqrt(2 pi) = hi + lo``, hi truncated to 12 (float32) / 26 (float64)
  significant bits, the bits of a masked half (``_split``), so that ``hi * th`` is exact; lo is
  the rest rounded to the dtype.
- ``"t_max"``, ``"shift"``: not fitted; checked by :func:`range_checks`: beyond t_max,
  ``e^(-t^2/2) R(t)`` is below half the smallest subnormal (f is exactly 0 resp. x), and
  ``2^shift e^(-t^2/2)`` stays a normal number up to t_max.

Also ``_kernels.gelu._INV_SQRT_2PI = 1 / sqrt(2 pi)`` rounded to float64.

The full fit takes minutes (mpmath least squares at 60-70 digits); :func:`table_error` measures
a table's max relative error quickly. ``python -m tools.fit_gelu_exact`` prints the table as the
library's source writes it, after the measured errors of the fit and of the rounded table.
"""

from __future__ import annotations

from typing import Any

import mpmath
import numpy as np

from ._fitting import (
    _chebyshev_grid,
    _log2,
    _max_relative_error,
    _packed,
    _polyval,
    _rational_fit,
    _round,
)

SPECS = {
    "float32": {"t_max": 14.5, "degrees": (4, 5), "points": 300, "dps": 60, "scale": 1.5},
    "float64": {"t_max": 38.7, "degrees": (10, 11), "points": 400, "dps": 70, "scale": 1},
}
"""Per dtype: the fit interval [0, t_max], degrees of p and q, fit points, working digits, and the
factor applied to the coefficients before rounding."""

ITERATIONS = 30
SHIFT = {"float32": 28, "float64": 64}
"""``_GELU_EXACT[...]["shift"]``: the power of two e^(-t^2/2) is scaled by."""

MASKED_BITS = {"float32": 12, "float64": 26}
"""Significant bits of a masked high half (``_kernels.floating_point._split``)."""


def erfcx_half(t: Any) -> Any:
    """``R(t) = e^(t^2/2) Phi(-t)`` in mpmath."""
    return mpmath.exp(t * t / 2) * mpmath.erfc(t / mpmath.sqrt(2)) / 2


def fit(dtype: str) -> tuple[Any, list, list]:
    """``(max relative error, p, q)`` of the unrounded fit of R for ``dtype`` (slow)."""
    spec = SPECS[dtype]
    m, n = spec["degrees"]
    return _rational_fit(
        erfcx_half, 0, spec["t_max"], m, n, spec["points"], ITERATIONS, spec["dps"]
    )


def rounded(p: list, q: list, dtype: str) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """The coefficients as the table stores them: times the dtype's scale, rounded."""
    with mpmath.workdps(SPECS[dtype]["dps"]):
        k = mpmath.mpf(SPECS[dtype]["scale"])
        return _round([k * v for v in p], dtype), _round([k * v for v in q], dtype)


def table_error(pq: tuple, dtype: str, points: int = 2000, dps: int = 30) -> Any:
    """Max relative error of ``p / q`` against R on ``[0, t_max]`` (``points`` points
    clustered at both ends; the scale cancels in the quotient), coefficients taken exactly."""
    p, q = pq
    with mpmath.workdps(dps):
        grid = _chebyshev_grid(0, SPECS[dtype]["t_max"], points)
        return _max_relative_error(lambda t: _polyval(p, t) / _polyval(q, t), erfcx_half, grid)


def _truncate(x: Any, bits: int) -> float:
    """``x`` truncated to ``bits`` significant bits (exactly representable)."""
    mantissa, exponent = mpmath.frexp(x)  # x = mantissa 2^exponent, 0.5 <= mantissa < 1
    return float(mpmath.floor(mantissa * 2**bits) * mpmath.mpf(2) ** (exponent - bits))


def inv_sqrt_2pi_split(dtype: str) -> tuple[float, float]:
    """``(hi, lo)`` with ``hi + lo = 1 / sqrt(2 pi)``, hi of ``MASKED_BITS[dtype]`` bits."""
    with mpmath.workdps(50):
        c = 1 / mpmath.sqrt(2 * mpmath.pi)
        hi = _truncate(c, MASKED_BITS[dtype])
        return hi, _round([c - hi], dtype)[0]


def inv_sqrt_2pi() -> float:
    """``_kernels.gelu._INV_SQRT_2PI``."""
    with mpmath.workdps(50):
        return float(1 / mpmath.sqrt(2 * mpmath.pi))


def range_checks(dtype: str, t_max: float, shift: int) -> dict[str, bool]:
    """The claims about ``t_max`` and ``shift`` (each True when it holds):
    ``"zero beyond"``: ``e^(-t^2/2) R(t) = Phi(-t)`` is below half the smallest subnormal at
    t_max (so below it everywhere beyond); ``"normal scale"``: ``2^shift e^(-t_max^2/2)`` is at
    least the smallest normal; ``"no overflow"``: ``2^shift`` and ``2^shift`` times the largest
    p coefficient are finite."""
    info = np.finfo(dtype)
    with mpmath.workdps(40):
        t = mpmath.mpf(t_max)
        e = mpmath.exp(-t * t / 2)
        return {
            "zero beyond": e * erfcx_half(t) < mpmath.mpf(float(info.smallest_subnormal)) / 2,
            "normal scale": mpmath.mpf(2) ** shift * e >= mpmath.mpf(float(info.smallest_normal)),
            "no overflow": mpmath.mpf(2) ** shift * 2 < mpmath.mpf(float(info.max)),
        }


def table(fits: dict | None = None) -> dict[str, dict]:
    """``_GELU_EXACT`` as generated from ``fits`` (dtype: :func:`fit`'s result; by default both
    fits are run, which is slow)."""
    out = {}
    for dtype in ("float32", "float64"):
        _, p, q = fit(dtype) if fits is None else fits[dtype]
        out[dtype] = {
            "R": rounded(p, q, dtype),
            "inv_sqrt_2pi": inv_sqrt_2pi_split(dtype),
            "t_max": SPECS[dtype]["t_max"],
            "shift": SHIFT[dtype],
        }
    return out


def _render(tab: dict) -> str:
    """The table as the hand-packed ``# fmt: skip`` block of ``_kernels/gelu.py``."""
    lines = ["_GELU_EXACT = {"]
    for dtype, k in tab.items():
        lines.append(f'    "{dtype}": {{')
        p, q = k["R"]
        first = '        "R": ('
        lines += _packed(p, len(first), first, ",")
        lines += _packed(q, len(first), " " * len(first), "),")
        hi, lo = k["inv_sqrt_2pi"]
        lines.append(f'        "inv_sqrt_2pi": ({hi!r}, {lo!r}),')
        lines.append(f'        "t_max": {k["t_max"]!r}, "shift": {k["shift"]!r},')
        lines.append("    },")
    return "\n".join(lines + ["}  # fmt: skip"])


def main() -> None:
    fits = {}
    for dtype in ("float32", "float64"):
        fits[dtype] = error, p, q = fit(dtype)
        checks = range_checks(dtype, SPECS[dtype]["t_max"], SHIFT[dtype])
        table_log2 = _log2(table_error(rounded(p, q, dtype), dtype))
        print(
            f"# {dtype} R ({len(p) - 1},{len(q) - 1}) on [0, {SPECS[dtype]['t_max']}]: max relative"
            f" error: fit 2^{_log2(error):.1f}, rounded 2^{table_log2:.1f}; t_max/shift checks:"
            f" {checks}",
            flush=True,
        )
    print(_render(table(fits)))
    print(f"_INV_SQRT_2PI = {inv_sqrt_2pi()!r}")


if __name__ == "__main__":
    main()
