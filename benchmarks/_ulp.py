"""The accuracy rule, in one place: error in units in the last place (ULP) against a reference.

For a result ``got`` in a floating dtype with ``p`` significand bits and the exact value
``ref`` (from mpmath),

$$ \\mathrm{err} = \\frac{|got - ref|}{\\mathrm{ulp}(\\max(|ref|, \\mathrm{floor}))},
\\qquad \\mathrm{ulp}(v) = 2^{\\lfloor \\log_2 v \\rfloor - p + 1}. $$

The floor (2^-100 in float32, 2^-960 in float64) keeps the error meaningful where the truth is
tiny and XLA flushes subnormals to zero; near an interior zero of ``f'`` (``critical_points``)
a relative error is meaningless and the floor is 0.25 within 0.5 of it.

The reference is passed as a double-double ``(hi, lo)`` with ``hi + lo`` the exact value to
~106 bits, so the difference is exact enough in float64 for float64 results too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

FLOORS: dict[str, float] = {"float32": 2.0**-100, "float64": 2.0**-960}
CRITICAL_FLOOR = 0.25
CRITICAL_RADIUS = 0.5


def split_reference(values: Iterable[Any]) -> tuple[np.ndarray, np.ndarray]:
    """mpmath numbers -> double-double ``(hi, lo)`` float64 arrays (``hi`` may be +-inf)."""
    his, los = [], []
    for v in values:
        hi = float(v)
        his.append(hi)
        los.append(0.0 if not np.isfinite(hi) else float(v - hi))
    return np.asarray(his, dtype=np.float64), np.asarray(los, dtype=np.float64)


def floors(
    x: np.ndarray,
    dtype: str,
    critical_points: Sequence[float] = (),
    *,
    derivative: bool,
    radii: Sequence[float] | None = None,
) -> np.ndarray:
    """The floor per point: the dtype's, or 0.25 near a critical point of a derivative
    (within ``CRITICAL_RADIUS``, or within the point's entry of ``radii``: a parameter that
    stretches the function along x, as silu's beta, stretches the neighbourhood too)."""
    floor = np.full(np.shape(x), FLOORS[np.dtype(dtype).name], dtype=np.float64)
    if derivative:
        radii = [CRITICAL_RADIUS] * len(critical_points) if radii is None else radii
        for c, r in zip(critical_points, radii, strict=True):
            floor = np.where(np.abs(np.asarray(x, np.float64) - c) < r, CRITICAL_FLOOR, floor)
    return floor


def ulp_error(
    got: Any, ref_hi: np.ndarray, ref_lo: np.ndarray, dtype: str, floor: np.ndarray | float
) -> np.ndarray:
    """ULP error per point.

    Returns float64 errors; ``inf`` where ``got`` is not finite but the truth rounded to
    ``dtype`` is (a non-finite result), ``0`` where both are the same infinity, and ``nan``
    where the truth overflows ``dtype`` but ``got`` is another value (not scored).

    Examples:
        >>> import numpy as np
        >>> one_up = np.nextafter(np.float32(1), np.float32(2))
        >>> ulp_error(np.array([1.0, one_up, np.nan], np.float32),
        ...           np.ones(3), np.zeros(3), "float32", 2.0**-100).tolist()
        [0.0, 1.0, inf]
    """
    dt = np.dtype(dtype)
    bits = np.finfo(dt).nmant + 1
    got64 = np.asarray(got).astype(np.float64)
    hi, lo = np.asarray(ref_hi, np.float64), np.asarray(ref_lo, np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        truth = hi.astype(dt).astype(np.float64)  # the truth as the dtype can hold it
    truth_finite = np.isfinite(truth)
    scale = np.maximum(np.abs(np.where(truth_finite, hi, 0.0)), floor)
    _, exponent = np.frexp(scale)
    half_ulp = np.ldexp(0.5, exponent - bits)
    with np.errstate(invalid="ignore", over="ignore"):
        # Halved so that got - ref cannot overflow between +-max.
        diff = (0.5 * got64 - 0.5 * hi) - 0.5 * lo
        err = np.abs(diff) / half_ulp
    err = np.where(truth_finite & ~np.isfinite(got64), np.inf, err)
    err = np.where(~truth_finite, np.where(got64 == truth, 0.0, np.nan), err)
    return err
