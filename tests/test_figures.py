"""Every figure shows in the browser what matplotlib drew, and hides nothing it means to show.

The figure generators (function plots, concept figures, benchmark figures) are called here
directly; test_site checks the SVGs of the built site the same way.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest
from _figures import annotations_outside, legend_overlaps, served_fonts, unserved_fonts

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
def test_concept_figure_names_only_served_fonts(key: str) -> None:
    assert unserved_fonts(plots.to_svg(FIGURES[key]()), SERVED) == set()


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


@pytest.mark.parametrize("key", sorted(FIGURES))
def test_concept_figure_legend_covers_no_data(key: str) -> None:
    fig = FIGURES[key]()
    try:
        assert legend_overlaps(fig) == []
    finally:
        plt.close(fig)


@pytest.mark.parametrize("key", sorted(FIGURES))
def test_concept_figure_arrows_stay_inside_their_axes(key: str) -> None:
    fig = FIGURES[key]()
    try:
        assert annotations_outside(fig) == []
    finally:
        plt.close(fig)


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
