"""Figures made for the vector-valued functions (``docsgen.vector_figures``), keyed by the
registry's ``figure_kind``, and the family plots of every parametrised function."""

from __future__ import annotations

import inspect

import jax
import jax.numpy as jnp
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from _figures import legend_overlaps, served_fonts, unserved_fonts

import jaxact
from docsgen import benchmark_pages, plots, vector_figures
from docsgen.concept_figures import _BLUE, _GREEN, _ORANGE
from docsgen.function_pages import function_page

SPECS = list(jaxact.specs())
VECTOR = [s for s in SPECS if not s.elementwise]
TWO_CLASS = [s for s in SPECS if s.two_class]
FAMILIES = [s for s in SPECS if plots.family_param(s) is not None]
# Drawing every family twice is slow on the docs machine: the default run draws a few that
# cover the hard cases (a jump in f′, coinciding curves, a slope that looks like ReLU's); the
# rest run with -m slow.
QUICK = ("leaky_relu", "hard_shrink", "gelu")


# One function of each kind; the other vector functions' figures run with -m slow.
QUICK_VECTOR = ("softmax", "sparsemax", "maxout", "swiglu")


def _sweep(specs: list, quick: tuple[str, ...] = QUICK) -> list:
    return [
        pytest.param(s, id=s.name, marks=() if s.name in quick else pytest.mark.slow) for s in specs
    ]


MAX_SVG_BYTES = 150_000  # the gallery of all 37 functions is 364 KB; one figure needs far less


def _ids(specs: list) -> list[str]:
    return [s.name for s in specs]


@pytest.mark.parametrize("spec", _sweep(VECTOR, QUICK_VECTOR))
def test_every_vector_function_gets_figures_made_for_its_kind(spec) -> None:
    made = vector_figures.figures(spec)
    try:
        assert spec.figure_kind in jaxact._registry.FIGURE_KINDS
        assert len(made) >= 1
        assert vector_figures.caption(spec)
        for key, _, fig in made:
            assert legend_overlaps(fig) == [], spec.name
            svg = plots.to_svg(fig)
            assert unserved_fonts(svg, served_fonts()) == set()
            # Reasonable sizes: a mesh of coloured cells made the GLU plane 2.8 MB.
            assert len(svg) < MAX_SVG_BYTES, (key, len(svg))
    finally:
        for _, _, fig in made:
            plt.close(fig)


@pytest.mark.parametrize("spec", TWO_CLASS, ids=_ids(TWO_CLASS))
def test_two_classes_are_an_elementwise_function_of_the_difference(spec) -> None:
    # The page states it (softmax([a, b])[0] == sigmoid(a - b)) and draws both sides.
    name, scale = spec.two_class
    a, b = jax.random.normal(jax.random.key(3), (2, 1000), jnp.float32) * 4
    got = spec.fn(jnp.stack([a, b], axis=-1))[:, 0]
    want = jaxact.get(name).fn(scale * (a - b))
    np.testing.assert_allclose(got, want, rtol=2e-6, atol=2e-7)
    x, first, same = vector_figures.two_class_curves(spec)
    np.testing.assert_allclose(first, same, rtol=2e-6, atol=2e-7)
    # The slice plot draws both: the function's first output and the elementwise form.
    fig = plots.plot_activation(spec)
    try:
        labels = fig.axes[0].get_legend_handles_labels()[1]
        assert labels == [f"{spec.name}([x, 0])[0]", f"{name}({'−x' if scale < 0 else 'x'})"]
        assert legend_overlaps(fig) == []
    finally:
        plt.close(fig)
    statement = vector_figures.two_class_statement(spec)
    assert statement.startswith(f"{spec.name}([a, b])[0] == {name}(")


def test_softmax_two_class_statement_is_the_sigmoid_of_the_difference() -> None:
    assert jaxact.get("softmax").two_class == ("sigmoid", 1.0)
    statement = vector_figures.two_class_statement(jaxact.get("softmax"))
    assert statement == "softmax([a, b])[0] == sigmoid(a - b)"
    assert vector_figures.two_class_statement(jaxact.get("softmin")).endswith("sigmoid(b - a)")


def test_score_bars_are_the_function_at_each_temperature() -> None:
    spec = jaxact.get("softmax")
    fig = vector_figures.plot_scores(spec)
    try:
        left = fig.axes[0]
        heights = np.array([p.get_height() for p in left.patches])
        n = len(vector_figures.SCORES)
        z = jnp.asarray(vector_figures.SCORES, jnp.float32)
        for i, t in enumerate(vector_figures.TEMPERATURES):
            np.testing.assert_array_equal(heights[i * n : (i + 1) * n], np.asarray(spec.fn(z / t)))
        # The comparison panel puts sparsemax beside softmax; log_softmax is not a distribution.
        labels = fig.axes[1].get_legend_handles_labels()[1]
        assert {"softmax", "sparsemax"} <= set(labels) and "log_softmax" not in labels
    finally:
        plt.close(fig)


def test_sparsemax_exact_zeros_are_marked() -> None:
    spec = jaxact.get("sparsemax")
    z = jnp.asarray(vector_figures.SCORES, jnp.float32)
    zeros = int(jnp.sum(spec.fn(z) == 0))
    assert 0 < zeros < len(vector_figures.SCORES) - 1  # some kept, some exactly 0
    fig = vector_figures.plot_scores(spec)
    try:
        marks = [t for ax in fig.axes for t in ax.texts if t.get_text() == "0"]
        assert len(marks) >= zeros
    finally:
        plt.close(fig)


def test_maxout_of_two_pieces_is_relu_leaky_relu_and_abs() -> None:
    spec = jaxact.get("maxout")
    (_, x, _, relu), (_, _, _, leaky), (_, _, _, absolute) = vector_figures.special_case_curves(
        spec
    )
    np.testing.assert_array_equal(relu, jaxact.relu(x))
    np.testing.assert_allclose(leaky, jaxact.leaky_relu(x, 0.1), rtol=1e-7)
    np.testing.assert_array_equal(absolute, np.abs(x))


def test_maxout_of_more_tangents_fits_a_convex_curve_closer() -> None:
    spec = jaxact.get("maxout")
    x = np.linspace(-2, 2, 401, dtype=np.float32)
    curve = vector_figures.parabola(x)
    gaps = []
    for k in vector_figures.K_VALUES:
        top = vector_figures.envelope(spec, vector_figures.tangent_pieces(
            vector_figures.parabola, k, -2.0, 2.0, x))  # fmt: skip
        assert np.all(top <= curve + 1e-6)  # tangents of a convex curve lie below it
        gaps.append(float(np.max(curve - top)))
    assert gaps == sorted(gaps, reverse=True) and gaps[-1] < gaps[0] / 4


@pytest.mark.parametrize("name", ["glu", "swiglu", "geglu", "reglu"])
def test_gated_output_is_value_times_gate(name: str) -> None:
    spec = jaxact.get(name)
    a, b, y = vector_figures.output_plane(spec, n=41)
    _, gate = vector_figures.gate_curve(spec, n=41)
    # gate_curve samples b on [-4, 4]; the plane on [-3, 3]: compare through the function.
    g = np.asarray(spec.fn(jnp.stack([jnp.ones(b.shape), jnp.asarray(b)], -1))[..., 0])
    np.testing.assert_allclose(y, a * g, rtol=1e-6, atol=1e-6)
    assert gate.shape == (41,)


@pytest.mark.parametrize("name", ["glu", "swiglu", "geglu", "reglu"])
def test_plane_caption_says_where_the_output_is_a_region_of_zeros(name: str) -> None:
    # "the grey line is where it is 0" misled for ReGLU: its output is 0 on a whole half-plane.
    spec = jaxact.get(name)
    _, _, y = vector_figures.output_plane(spec, n=41)
    zero_region = float(np.mean(y == 0.0)) > 0.1  # a line of zeros is 1/41 of the grid
    assert ("whole lower half-plane" in vector_figures.caption(spec)) == zero_region


def test_gate_figure_draws_every_gate_of_the_family() -> None:
    fig = vector_figures.plot_gates(jaxact.get("glu"))
    try:
        labels = fig.axes[0].get_legend_handles_labels()[1]
        assert labels == [s.name for s in SPECS if s.figure_kind == "gate"]
    finally:
        plt.close(fig)


# The page backgrounds the transparent figures are shown on: Material's default scheme (white)
# and its slate scheme, hsl(225°, 15 %, 14 %).
PAGE_BACKGROUNDS = {"light": (255, 255, 255), "dark": (30, 33, 41)}


def _relative_luminance(rgb: tuple[float, ...]) -> float:
    """WCAG 2 relative luminance of an sRGB colour given in 0-255."""
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in
              (v / 255 for v in rgb)]  # fmt: skip
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    high, low = sorted((_relative_luminance(a), _relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_gate_figure_lines_read_on_both_page_backgrounds() -> None:
    """Each gate's line as the page shows it (its colour blended over the background by its
    opacity): the other gates, drawn at 70 % opacity, fell to 2.2:1 against the dark page
    (reglu's rose) and under 2:1 against the light one (geglu's green)."""
    fig = vector_figures.plot_gates(jaxact.get("geglu"))
    try:
        lines = [ln for ln in fig.axes[0].lines if not ln.get_label().startswith("_")]
        for line in lines:
            r, g, b, a = matplotlib.colors.to_rgba(line.get_color(), line.get_alpha())
            opaque = tuple(255 * c for c in (r, g, b))
            for scheme, page in PAGE_BACKGROUNDS.items():
                shown = tuple(a * c + (1 - a) * p for c, p in zip(opaque, page, strict=True))
                # WCAG's 3:1 for graphics (every palette colour has it: the test below).
                assert _contrast(shown, page) >= 3.0, (line.get_label(), scheme)
            assert line.get_linewidth() >= 1.5, line.get_label()
    finally:
        plt.close(fig)


# Every colour a figure draws lines or bars in: the function and derivative curves, the family
# palette (also the vector figures' bars and the gates), the concept figures' three and the
# benchmark figures' four.
CONCEPT_COLOURS = (_BLUE, _ORANGE, _GREEN)
SITE_COLOURS = {
    "f": plots.F_COLOUR,
    "f'": plots.DF_COLOUR,
    **{f"family {i}": c for i, c in enumerate(plots.FAMILY_COLOURS)},
    **dict(zip(("concept blue", "concept orange", "concept green"), CONCEPT_COLOURS, strict=True)),
    **{f"benchmark {k}": c for k, c in benchmark_pages.COLORS.items()},
}

# Colour-vision deficiencies as linear-RGB matrices (Machado, Oliveira & Fernandes 2009, severity
# 1): what a protanope and a deuteranope see of a colour.
_DICHROMAT = {
    "protan": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                        [-0.003882, -0.048116, 1.051998]]),
    "deutan": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                        [-0.011820, 0.042940, 0.968881]]),
}  # fmt: skip


def _linear(colour: str) -> np.ndarray:
    c = np.array(matplotlib.colors.to_rgb(colour))
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab(linear: np.ndarray) -> np.ndarray:
    """CIE L*a*b* (D65) of a linear sRGB colour."""
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    t = xyz @ np.clip(linear, 0, 1) / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > 216 / 24389, np.cbrt(t), t * 24389 / 27 / 116 + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


@pytest.mark.parametrize("name", SITE_COLOURS)
def test_every_figure_colour_reads_on_both_page_backgrounds(name: str) -> None:
    # WCAG's 3:1 for graphics, on white and on slate: one transparent figure serves both.
    # The old orange, emerald and yellow had 2.8:1, 2.5:1 and 1.9:1 on white.
    opaque = tuple(255 * c for c in matplotlib.colors.to_rgb(SITE_COLOURS[name]))
    for scheme, page in PAGE_BACKGROUNDS.items():
        assert _contrast(opaque, page) >= 3.0, (name, scheme, round(_contrast(opaque, page), 2))


def test_family_palette_hues_stay_apart() -> None:
    # Darkening toward 3:1 must not merge hues: every pair of the family palette differs by
    # ΔE*ab >= 25, and the first three (a family's usual count) stay apart (>= 15) for protan and
    # deutan readers. (Blue and purple, 4th-5th, are alike for them, as in the old palette.)
    palette = plots.FAMILY_COLOURS
    for i, a in enumerate(palette):
        for b in palette[i + 1 :]:
            assert np.linalg.norm(_lab(_linear(a)) - _lab(_linear(b))) >= 25, (a, b)
    for vision, m in _DICHROMAT.items():
        for i, a in enumerate(palette[:3]):
            for b in palette[i + 1 : 3]:
                apart = np.linalg.norm(_lab(m @ _linear(a)) - _lab(m @ _linear(b)))
                assert apart >= 15, (vision, a, b, apart)


@pytest.mark.parametrize("spec", VECTOR, ids=_ids(VECTOR))
def test_vector_plots_name_the_coordinate_they_follow(spec) -> None:
    title = plots.plot_activation(spec).axes[0].get_title()
    assert f"{spec.name}({plots.slice_label(spec)})[0]" in title
    assert "x" in plots.slice_label(spec)


@pytest.mark.parametrize("spec", _sweep(FAMILIES))
def test_family_legend_covers_no_curve(spec) -> None:
    fig = plots.plot_family(spec)
    try:
        assert legend_overlaps(fig) == []
    finally:
        plt.close(fig)


@pytest.mark.parametrize("spec", _sweep(FAMILIES, quick=("sine", "snake", "elu")))
def test_family_legend_stays_inside_the_figure(spec) -> None:
    """sine's three "omega_0 = ..." entries in one row above the axes ran 11 px past the
    figure's right edge and were cut; the legend above takes as many rows as it needs."""
    for draw in (plots.plot_family, plots.plot_derivative_family):
        fig = draw(spec)
        try:
            fig.draw_without_rendering()
            box, page = fig.axes[0].get_legend().get_window_extent(), fig.bbox
            assert page.x0 <= box.x0 and box.x1 <= page.x1, (draw.__name__, box.bounds)
        finally:
            plt.close(fig)


def test_every_family_parameter_has_several_plot_values() -> None:
    single = [(s.name, p.name) for s in SPECS for p in s.params if len(set(p.plot_values)) == 1]
    assert single == []


@pytest.mark.parametrize("spec", _sweep(FAMILIES, (*QUICK, "binary_step")))
def test_no_family_plot_with_a_single_curve(spec) -> None:
    """One line per plotted value, and not all the same line: binary_step's f′ is 0 for every
    threshold, and its f′ family plot showed one line; its page draws no f′ family."""
    param = plots.family_param(spec)
    shown = [plots.plot_family]
    if not plots.same_derivative(spec):
        shown.append(plots.plot_derivative_family)
    for draw in shown:
        fig = draw(spec)
        try:
            curves = [ln for ln in fig.axes[0].lines if ln.get_label().startswith(param.name)]
            assert len(curves) == len(param.plot_values) >= 2
            ys = [np.asarray(ln.get_ydata(), float) for ln in curves]
            assert any(not np.array_equal(ys[0], y, equal_nan=True) for y in ys[1:]), draw
        finally:
            plt.close(fig)


def test_a_family_with_one_derivative_gets_no_derivative_family_plot() -> None:
    spec = jaxact.get("binary_step")
    assert plots.same_derivative(spec)
    assert not plots.same_derivative(jaxact.get("leaky_relu"))
    page = function_page(spec, "–", has_family=True, derivative_family=False)
    assert "binary_step-family.svg" in page and "family-derivative" not in page
    assert "Every value of `threshold` gives the same f′" in page


@pytest.mark.parametrize("spec", _sweep(FAMILIES))
def test_derivative_family_is_jax_grad_beside_the_f_family(spec) -> None:
    fig = plots.plot_derivative_family(spec)
    try:
        assert fig.axes[0].get_ylabel() == "f′(x)"
        assert legend_overlaps(fig) == []
        for (value, _, _, dy), line in zip(
            plots.family_curves(spec), fig.axes[0].lines, strict=False
        ):
            finite = np.isfinite(line.get_ydata())
            assert np.isin(line.get_ydata()[finite], dy).all(), value
    finally:
        plt.close(fig)


def test_required_argument_row_says_required_not_a_default() -> None:
    for spec in SPECS:
        signature = inspect.signature(spec.fn).parameters
        for p in spec.params:
            has_default = signature[p.name].default is not inspect.Parameter.empty
            assert p.required != has_default, (spec.name, p.name)
    maxout = jaxact.get("maxout")
    page = function_page(maxout, "–", has_family=False)
    row = next(ln for ln in page.splitlines() if ln.startswith("| `num_pieces`"))
    assert "| required |" in row and "integer ≥ 1" in row and "| any |" not in row
    assert "required argument" not in row


@pytest.mark.parametrize("name", ["log_softmax", "sparsemax"])
def test_exactly_zero_key_only_where_a_zero_is_marked(name: str) -> None:
    """log_softmax's bars are all negative: its title promised "(0: exactly zero)" for marks
    that are not there."""
    fig = vector_figures.plot_scores(jaxact.get(name))
    try:
        left = fig.axes[0]
        marked = any(t.get_text() == "0" for t in left.texts)
        assert marked == ("exactly zero" in left.get_title()), left.get_title()
    finally:
        plt.close(fig)


def test_legend_above_the_plot_reads_in_the_order_of_the_values() -> None:
    """sine's legend went above its plot in two columns, filled column by column: its rows read
    "omega_0 = 0.5, omega_0 = 2.0" and then "omega_0 = 1.0"."""
    spec = jaxact.get("sine")
    param = plots.family_param(spec)
    fig = plots.plot_family(spec)
    try:
        fig.draw_without_rendering()
        legend = fig.axes[0].get_legend()
        assert 1 < legend._ncols < len(param.plot_values)  # the case: more rows than one
        boxes = [(t.get_window_extent(), t.get_text()) for t in legend.get_texts()]
        reading = [text for box, text in sorted(boxes, key=lambda b: (-b[0].y0, b[0].x0))]
        assert reading == [f"{param.name} = {v}" for v in param.plot_values]
    finally:
        plt.close(fig)


@pytest.mark.parametrize(("name", "jumping"), [("elu", (0.5, 2.0)), ("entmax", (2.0, 4.0))])
def test_derivative_family_draws_no_jump_as_a_vertical_line(name: str, jumping: tuple) -> None:
    """elu's f′ jumps at 0 for α ≠ 1, entmax's where an entry enters the support for α ≥ 2:
    the f′ family drew each jump as a vertical segment, as if f′ took the values in between."""
    spec = jaxact.get(name)
    param = plots.family_param(spec)
    fig = plots.plot_derivative_family(spec)
    try:
        for line in fig.axes[0].lines:
            if not line.get_label().startswith(param.name):
                continue
            value = float(line.get_label().split(" = ")[1])
            gaps = int(np.isnan(np.asarray(line.get_ydata(), float)).sum())
            assert (gaps > 0) == (value in jumping), (value, gaps)
    finally:
        plt.close(fig)


def test_normaliser_panel_names_the_alpha_entmax_is_drawn_at() -> None:
    """entmax's bars at its default alpha = 1.5 equal entmax15's: the legend says so."""
    fig = vector_figures.plot_scores(jaxact.get("softmax"))
    try:
        labels = fig.axes[1].get_legend_handles_labels()[1]
        assert "entmax (alpha = 1.5)" in labels and "entmax15" in labels
        assert "softmax" in labels  # the temperature is the panel's title, not a label
    finally:
        plt.close(fig)
