"""Every figure shows in the browser what matplotlib drew, and hides nothing it means to show.

The figure generators (function plots, concept figures, benchmark figures) are called here
directly; test_site checks the SVGs of the built site the same way.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest
from _figures import (
    annotations_outside,
    hidden_shares,
    legend_overlaps,
    served_fonts,
    unserved_fonts,
)

import jaxact
from docsgen import benchmark_pages, plots
from docsgen.concept_figures import FIGURES

SERVED = served_fonts()


def test_served_fonts_are_the_katex_fonts() -> None:
    assert "KaTeX_Main" in SERVED and "DejaVu Sans" not in SERVED and "cmsy10" not in SERVED


def test_font_check_catches_text_in_a_tex_font() -> None:
    # What matplotlib wrote before: glyphs as text, the prime in cmsy10 ("f0(x)" in a browser).
    fig = FIGURES["dead-relu"]()
    svg = __import__("io").BytesIO()
    with plt.rc_context({"svg.fonttype": "none"}):
        fig.savefig(svg, format="svg")
    plt.close(fig)
    assert {"cmsy10", "DejaVu Sans"} <= unserved_fonts(svg.getvalue(), SERVED)


@pytest.mark.parametrize("key", sorted(FIGURES))
def test_concept_figure_shows_what_it_draws(key: str) -> None:
    # Served fonts only, no legend over the data, no arrow pointing outside its axes.
    fig = FIGURES[key]()
    try:
        assert legend_overlaps(fig) == []
        assert annotations_outside(fig) == []
        assert unserved_fonts(plots.to_svg(fig), SERVED) == set()
    finally:
        plt.close(fig)


@pytest.mark.parametrize("name", ["relu", "sigmoid", "elu", "gelu", "softmax", "maxout"])
def test_function_plots_name_only_served_fonts(name: str) -> None:
    spec = jaxact.get(name)
    figures = [plots.plot_activation(spec), plots.plot_derivative(spec)]
    if plots.family_param(spec) is not None:
        figures.append(plots.plot_family(spec))
    for fig in figures:
        assert unserved_fonts(plots.to_svg(fig), SERVED) == set()


def test_benchmark_figures_name_only_served_fonts() -> None:
    accuracy = benchmark_pages.load_results("accuracy")
    name = next(iter(accuracy["functions"]))
    svgs = [
        benchmark_pages.accuracy_figure(accuracy, name),
        benchmark_pages.speed_figure(benchmark_pages.load_results("speed")),
    ]
    for svg in svgs:
        assert unserved_fonts(svg, SERVED) == set()


def test_overlap_checks_catch_a_covered_line_and_a_clipped_arrow() -> None:
    fig = plt.figure()
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], label="diagonal")
    ax.plot([0, 1], [0.5, 0.5], label="middle")
    ax.annotate("", xy=(3, 3), xytext=(0.5, 0.5), arrowprops={"arrowstyle": "->"})
    ax.set(xlim=(0, 1), ylim=(0, 1))
    ax.legend(loc="center")
    try:
        assert any("middle" in p for p in legend_overlaps(fig))
        assert annotations_outside(fig) != []
    finally:
        plt.close(fig)


# A crossing hides a few per cent of a curve (sine's: under 5 %); curves on the same data hid
# 50 % (relu for x > 0) to 90 % (binary_step below its smallest threshold) before the earlier
# ones were drawn wider (plots.family_widths).
MAX_HIDDEN_SHARE = 0.1
FAMILIES = [s.name for s in jaxact.specs() if plots.family_param(s) is not None]


def _hidden_curves(names: list[str]) -> dict[str, float]:
    """``{"name f′ label": share}`` for each family curve hidden beyond ``MAX_HIDDEN_SHARE``."""
    hidden = {}
    for name in names:
        spec = jaxact.get(name)
        figures = {"f": plots.plot_family(spec)}
        if not plots.same_derivative(spec):
            figures["f′"] = plots.plot_derivative_family(spec)
        for kind, fig in figures.items():
            for label, share in hidden_shares(fig.axes[0]).items():
                if share > MAX_HIDDEN_SHARE:
                    hidden[f"{name} {kind} {label}"] = round(share, 2)
    return hidden


def test_every_curve_of_the_step_and_shrink_families_shows() -> None:
    """Their curves agree over long stretches (each threshold's 0 below the smallest one)."""
    assert _hidden_curves(["binary_step", "hard_shrink", "threshold"]) == {}


def test_family_curves_that_only_cross_keep_one_width() -> None:
    """Bands only where curves lie on top of each other: sine's cross, relu's share x > 0."""
    assert plots.family_widths(jaxact.get("sine")) == [plots.FAMILY_LINE] * 3
    widths = plots.family_widths(jaxact.get("relu"))
    assert widths == sorted(widths, reverse=True) and widths[-1] == plots.FAMILY_LINE
    assert widths[0] - widths[1] == pytest.approx(2 * plots.FAMILY_RIM)


@pytest.mark.slow  # about a minute (three on a loaded machine): every family, f and f′
def test_every_curve_of_every_family_plot_shows() -> None:
    """Every family plot, f and f′: no curve lies under the curves drawn after it."""
    assert _hidden_curves(FAMILIES) == {}


def test_hidden_share_sees_a_curve_under_another() -> None:
    fig = plt.figure()
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 0], linewidth=2, label="under")
    ax.plot([0, 1], [0, 0], linewidth=2, label="same width, on top")
    ax.plot([0, 1], [1, 1], linewidth=4, label="wider, drawn first")
    ax.plot([0, 1], [1, 1], linewidth=2, label="narrower, on top")
    ax.plot([0.5, 0.5], [-1, 2], linewidth=2, label="crossing")
    try:
        shares = hidden_shares(ax)
    finally:
        plt.close(fig)
    assert shares["under"] == 1.0 and shares["wider, drawn first"] < 0.05
    assert shares["same width, on top"] < 0.05


# Tick labels at least this many CSS pixels tall when the page is read at 1280 px.
MIN_TICK_PX = 10.0
# Material's text column at a 1280 px viewport (with both sidebars), in CSS pixels; the
# browser test measures the accuracy figures' displayed width against it.
TEXT_COLUMN_PX = 688.0


def _tick_labels(fig: object) -> list[object]:
    fig.draw_without_rendering()
    return [t for ax in fig.axes for t in (*ax.get_xticklabels(), *ax.get_yticklabels())]


def test_accuracy_tick_labels_are_readable_at_1280_px() -> None:
    results = benchmark_pages.load_results("accuracy")
    fig = benchmark_pages.accuracy_figure_object(results, "sigmoid")
    try:
        shown = min(1.0, TEXT_COLUMN_PX / (fig.get_figwidth() * 96))  # an SVG inch is 96 px
        labels = [t for t in _tick_labels(fig) if t.get_text()]
        assert labels
        for t in labels:
            assert t.get_fontsize() * 96 / 72 * shown >= MIN_TICK_PX, t.get_text()
            assert t.get_rotation() == 0, t.get_text()
        # No two neighbouring x tick labels overlap.
        for ax in fig.axes:
            boxes = [t.get_window_extent() for t in ax.get_xticklabels() if t.get_text()]
            boxes.sort(key=lambda b: b.x0)
            assert all(a.x1 < b.x0 for a, b in zip(boxes, boxes[1:], strict=False))
    finally:
        plt.close(fig)


def test_accuracy_page_leads_with_the_summary_and_folds_flat_figures() -> None:
    results = benchmark_pages.load_results("accuracy")
    markdown = benchmark_pages.accuracy_markdown(results)
    headings = [line for line in markdown.splitlines() if line.startswith("## ")]
    assert headings[0] == "## Worst case per library"
    assert '=== "float32"' in markdown and '=== "float64"' in markdown  # tables as tabs
    flat = [n for n in results["functions"] if benchmark_pages.is_flat(results, n)]
    shown = [n for n in results["functions"] if n not in flat]
    assert "relu" in flat and "sigmoid" in shown
    folded = markdown.split("??? note")[1]
    title = benchmark_pages._title  # an extra case by its parameters: relu (threshold=0.5)
    for name in flat:
        assert f"    ![ULP error of {title(name)} and its derivative]" in folded
    for name in shown:
        assert f"\n![ULP error of {title(name)} and its derivative]" in markdown


def test_flat_means_every_library_within_the_bound_and_finite() -> None:
    results = benchmark_pages.load_results("accuracy")
    assert benchmark_pages.is_flat(results, "identity")
    # jax.nn's sigmoid derivative is 0 in the tails: 1.7e7 ULP in float32.
    assert not benchmark_pages.is_flat(results, "sigmoid")
