"""The "In floating point" section of a function page: what holds for the computed values.

Written from the registry only (``output_range``, ``monotonic``, ``monotonic_ulps``,
``integer_exact``); each sentence is checked by a test (``tests/test_properties.py``,
``tests/test_half_precision.py``, ``tests/test_integer_input.py``).
"""

from __future__ import annotations

import math
from typing import Any


def _end(v: float) -> str:
    return repr(float(v)).removesuffix(".0")


def integer_rule(spec: Any) -> str:
    """How integer and boolean input is computed."""
    if spec.integer_exact:
        booleans = "returned unchanged" if spec.name == "identity" else "int32, as in jax.nn"
        return (
            f"**Integer input** is computed in its own integer type, exactly (booleans: "
            f"{booleans})."
        )
    return (
        "**Integer input** (and boolean) is converted to floating point first, as jnp's own "
        "functions do: float32, or float64 for 64-bit integers with x64 enabled; the result "
        "is the function of that float."
    )


def range_rule(spec: Any) -> str | None:
    """What the computed values do at the ends of the stated range."""
    rng = spec.output_range
    closed = [e for e, o in ((rng.lo, rng.lo_open), (rng.hi, rng.hi_open)) if not o]
    opened = [e for e, o in ((rng.lo, rng.lo_open), (rng.hi, rng.hi_open)) if o]
    opened = [e for e in opened if math.isfinite(e)]
    parts = []
    if closed:
        ends = " and ".join(f"${_end(e)}$" for e in closed)
        parts.append(
            f"No computed value lies beyond the closed end{'s' * (len(closed) > 1)} {ends}, in "
            "any dtype: where rounding would cross an end, the result is the end rounded "
            "inward to the dtype."
        )
    if opened:
        ends = " and ".join(f"${_end(e)}$" for e in opened)
        parts.append(
            f"The open end{'s' * (len(opened) > 1)} {ends} can be reached by rounding, never "
            "passed."
        )
    if not parts:
        return None
    return "**Output range.** " + " ".join(parts)


def monotonic_rule(spec: Any) -> str | None:
    """What monotonicity means for the computed values."""
    if not spec.monotonic:
        return None
    if spec.monotonic_ulps == 0:
        return (
            "**Monotonic** in floating point too: the computed value never decreases from one "
            "float input to the next."
        )
    k = spec.monotonic_ulps
    return (
        f"**Monotonic** in exact arithmetic; the computed value can decrease by up to {k} "
        f"ULP{'s' * (k > 1)} of the value from one float input to the next (rounding of a "
        "formula with several steps), never by more."
    )


def floating_point_section(spec: Any) -> list[str]:
    """The Markdown lines of the section (a heading and a list)."""
    items = [
        integer_rule(spec),
        "**float16 and bfloat16** give the float32 result rounded once (then kept inside the "
        "closed ends of the range): half-precision arithmetic would round every step.",
    ]
    if spec.elementwise:
        items += [r for r in (range_rule(spec), monotonic_rule(spec)) if r]
        items.append(
            "Checked over runs of consecutive floats of every dtype: every float16 and bfloat16 "
            "value, windows of float32 and float64 at every scale (the slow tests sweep all of "
            "float32); normal inputs and zero, as XLA on CPU reads subnormal inputs as zero."
        )
    return ["## In floating point", ""] + [f"- {item}" for item in items] + [""]
