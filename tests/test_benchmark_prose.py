"""The method that the Accuracy and Speed pages describe in words is the one the harnesses run:
each figure is read off the generated page and compared with the constant the harness uses
(the tables themselves are the committed results, rendered: test_benchmark_results)."""

from __future__ import annotations

import re

import numpy as np
from _stated import in_text, rounds_to, value

from benchmarks import _ulp
from benchmarks.accuracy import make_grid
from docsgen import benchmark_pages as pages


def _accuracy_text() -> str:
    return pages.accuracy_markdown(pages.load_results("accuracy"))


def test_accuracy_page_states_the_harness_floors() -> None:
    text = _accuracy_text()
    f32, f64 = in_text(
        text, r"with floor \$2\^\{(-\d+)\}\$ in float32 and \$2\^\{(-\d+)\}\$ in float64"
    )
    assert _ulp.FLOORS == {"float32": 2.0 ** int(f32), "float64": 2.0 ** int(f64)}
    floor, radius = in_text(text, r"and \${n}\$ within \${n}\$ of an interior zero")
    assert (value(floor), value(radius)) == (_ulp.CRITICAL_FLOOR, _ulp.CRITICAL_RADIUS)
    x = np.array([-1.0 - 0.99 * value(radius), -1.0 - 1.01 * value(radius)])
    assert _ulp.floors(x, "float32", (-1.0,), derivative=True).tolist() == [
        value(floor),
        2.0 ** int(f32),
    ]


def test_accuracy_page_states_the_harness_grid() -> None:
    text = _accuracy_text()
    lo, hi = in_text(text, r"a dense grid on\s+\$\[{n}, {n}\]\$")
    grid = make_grid("float32", 101, 50)
    inside = grid[np.abs(grid) <= value(hi)]
    # 101 points on [lo, hi], plus the log-spaced magnitudes that fall inside it.
    assert inside.min() == value(lo) and inside.max() == value(hi)
    assert np.isin(np.linspace(value(lo), value(hi), 101).astype(np.float32), grid).all()
    assert grid.max() == float(np.finfo(np.float32).max)
    assert grid[grid > 0].min() == float(np.finfo(np.float32).tiny)


def test_subnormal_section_states_the_smallest_normal_numbers() -> None:
    text = "\n".join(pages.subnormal_section())
    for dtype, bits in (("float32", 126), ("float64", 1022)):
        (mantissa, exponent) = in_text(
            text, rf"\$2\^{{-{bits}}} \\approx (\d\.\d)\\cdot 10\^{{(-\d+)}}\$ in {dtype}"
        )
        tiny = float(np.finfo(dtype).tiny)
        assert tiny == 2.0**-bits
        assert rounds_to(mantissa, tiny / 10.0 ** int(exponent))


def test_speed_page_limit_is_the_drawn_limit() -> None:
    # The outlier section's "more than N % slower" is SPEED_LIMIT, the dashed line of the chart.
    section = "\n".join(pages.speed_outlier_section(pages.load_results("speed")))
    (percent,) = re.findall(r"More than (\d+) % slower than jax\.nn", section)
    assert int(percent) == round((pages.SPEED_LIMIT - 1) * 100)
