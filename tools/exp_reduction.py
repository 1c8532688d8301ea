"""The Cody-Waite constants of jaxact's range reduction ``z = n ln2 + r`` (``_REDUCTION``,
``_LOG2E``, in ``jaxact/_kernels/floating_point.py``).

``_REDUCTION[dtype] = (ln2_hi, ln2_lo, shifter, p, one)``:

- ``ln2_hi``: ln 2 truncated to 16 (float32) / 32 (float64) significant bits, so that ``n ln2_hi``
  is exact for every ``|n| < 2^8`` resp. ``2^21`` and ``z - n ln2_hi`` is exact (Sterbenz) with
  or without FMA contraction;
- ``ln2_lo``: ``ln 2 - ln2_hi`` rounded to float64 (rounded again to float32 where used);
- ``shifter = 1.5 * 2^p``, ``p`` the dtype's significand bits (23 / 52): ``n + shifter`` holds n
  in its low significand bits; ``one``: the bit pattern of 1.0.

``_LOG2E = 1 / ln 2`` rounded to float64. Nothing is fitted; :func:`split_error` measures how far
a split's ``ln2_hi + ln2_lo`` is from ln 2, and :func:`reduction_error` what that costs in r.
``python -m tools.exp_reduction`` prints both as the library's source writes them.
"""

from __future__ import annotations

from typing import Any

import mpmath
import numpy as np

from ._fitting import _Literal, _log2, _ruff_assignment

HI_BITS = {"float32": 16, "float64": 32}
"""Significant bits of ln2_hi."""

MAX_N = {"float32": 150, "float64": 1075}
"""The largest |n| the reduction meets (exponents of the smallest subnormals)."""


def _ln2() -> Any:
    return mpmath.log(2)


def reduction(dtype: str) -> tuple[float, float, float, int, int]:
    """``_REDUCTION[dtype]``."""
    with mpmath.workdps(60):
        ln2 = _ln2()
        hi = float(mpmath.floor(ln2 * 2 ** HI_BITS[dtype]) / 2 ** HI_BITS[dtype])  # ln2 in [1/2, 1)
        lo = float(ln2 - hi)
    p = np.finfo(dtype).nmant
    one = int(np.array(1, dtype).view(f"uint{np.finfo(dtype).bits}"))
    return hi, lo, 1.5 * 2.0**p, p, one


def log2e() -> float:
    """``_LOG2E``."""
    with mpmath.workdps(60):
        return float(1 / _ln2())


def split_error(hi: float, lo: float, dtype: str) -> Any:
    """``|ln2_hi + ln2_lo - ln 2| / ln 2``, with ln2_lo rounded to ``dtype`` as where used."""
    lo = float(np.dtype(dtype).type(lo))
    with mpmath.workdps(60):
        return abs(mpmath.mpf(hi) + mpmath.mpf(lo) - _ln2()) / _ln2()


def reduction_error(hi: float, lo: float, dtype: str) -> Any:
    """The absolute error the split leaves in ``r = z - n ln 2`` at the largest ``|n|``."""
    with mpmath.workdps(60):
        return split_error(hi, lo, dtype) * _ln2() * MAX_N[dtype]


def _hi_bits_ok(hi: float, dtype: str) -> bool:
    """ln2_hi has at most ``HI_BITS`` significant bits (so ``n ln2_hi`` is exact)."""
    mantissa, _ = mpmath.frexp(mpmath.mpf(hi))
    return mpmath.floor(mantissa * 2 ** HI_BITS[dtype]) == mantissa * 2 ** HI_BITS[dtype]


def render() -> list[str]:
    """``_REDUCTION`` and ``_LOG2E`` as the library's source writes them."""
    table = {}
    for dtype in ("float32", "float64"):
        hi, lo, shifter, p, one = reduction(dtype)
        table[dtype] = (hi, lo, shifter, p, _Literal(f"0x{one:X}"))
    return [_ruff_assignment("_REDUCTION", table), f"_LOG2E = {log2e()!r}"]


def main() -> None:
    for dtype in ("float32", "float64"):
        hi, lo, *_ = reduction(dtype)
        print(
            f"# {dtype}: ln2_hi + ln2_lo = ln2 (1 + 2^{_log2(split_error(hi, lo, dtype)):.1f});"
            f" error in r at |n| = {MAX_N[dtype]}: 2^{_log2(reduction_error(hi, lo, dtype)):.1f}"
        )
    print("\n".join(render()))


if __name__ == "__main__":
    main()
