"""Plots of an activation and its derivative, drawn from the implementation.

Every curve is computed by calling the registered function; the derivative comes from
``jax.grad`` (vmapped over the grid), never from a hand-typed formula. Vector-valued
functions are drawn along ``spec.plot_slice``: the first output as one input entry varies.

    >>> import jaxact
    >>> fig = plot_activation(jaxact.get("relu"))
    >>> len(fig.axes[0].lines)
    1
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import jax
import jax.numpy as jnp
import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

STYLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "jaxact.mplstyle")
# One figure serves both palettes (transparent background), so every line colour has at least
# WCAG's 3:1 for graphics against white and against Material's slate, i.e. a relative luminance
# between about 0.15 and 0.30: mid blue, orange, emerald, rose, purple and dark yellow. The
# lighter orange, emerald and yellow of before had 2.8:1, 2.5:1 and 1.9:1 on white
# (tests/test_vector_figures.py checks the contrasts and that the hues stay apart).
F_COLOUR = "#3b82f6"
DF_COLOUR = "#ea580c"
FAMILY_COLOURS = ("#3b82f6", "#ea580c", "#059669", "#e11d48", "#a855f7", "#a16207")
GRID_POINTS = 801


def call_arguments(spec: Any, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The keyword arguments used to draw ``spec``: defaults, then ``params``.

    A required argument (``Param.required``) is given its registered ``default``: the value
    the registry names for the plots and the worked example.
    """
    return {**spec.defaults(), **(params or {})}


def _callable(spec: Any, params: Mapping[str, Any] | None) -> Callable[[Any], Any]:
    """``x -> f(x)`` for a scalar ``x``, with the given (or default) parameters."""
    kwargs = call_arguments(spec, params)
    if spec.elementwise:
        return lambda t: spec.fn(t, **kwargs)
    # Vector-valued: the first output along the slice through the input space.
    return lambda t: spec.fn(spec.plot_slice(jnp.reshape(t, (1,))), **kwargs)[0, 0]


def curves(
    spec: Any, params: Mapping[str, Any] | None = None, n: int = GRID_POINTS
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The grid ``x`` over ``spec.plot_range`` and ``f(x)``, ``f'(x)`` on it (float32)."""
    key = (spec.name, id(spec.fn), tuple(sorted((params or {}).items())), n)
    if key not in _CURVES:
        f = _callable(spec, params)
        x = jnp.linspace(*spec.plot_range, n, dtype=jnp.float32)
        # One jitted program for both curves: compiling once beats op-by-op dispatch.
        y, dy = jax.jit(lambda v: (jax.vmap(f)(v), jax.vmap(jax.grad(f))(v)))(x)
        _CURVES[key] = (np.asarray(x), np.asarray(y), np.asarray(dy))
    return _CURVES[key]


# f and f' of one spec feed its page plots and the gallery: compute them once per process.
_CURVES: dict[Any, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}


def _ylim(ax: Any, ys: Iterable[np.ndarray]) -> None:
    """Y-limits from the data with a margin; flat curves get a visible band around them."""
    finite = np.concatenate([y[np.isfinite(y)] for y in ys])
    lo, hi = float(finite.min()), float(finite.max())
    pad = 0.08 * (hi - lo) if hi > lo else 0.5
    ax.set_ylim(lo - pad, hi + pad)


def _margins(
    fig: Figure, left: float, right: float, bottom: float, top: float, gap: tuple = (0, 0)
) -> None:
    """Fixed margins in inches (and gaps between panels, as ``(width, height)`` in inches).

    Chosen once for the tick labels and titles these plots have. A layout engine
    (constrained or tight) costs a full extra draw of every figure, about half the time of
    drawing the ~100 figures of a cold build.
    """
    width, height = fig.get_size_inches()
    rows, cols = fig.axes[0].get_subplotspec().get_gridspec().get_geometry()
    axis_w = (width - left - right - (cols - 1) * gap[0]) / cols
    axis_h = (height - bottom - top - (rows - 1) * gap[1]) / rows
    fig.subplots_adjust(
        left=left / width,
        right=1 - right / width,
        bottom=bottom / height,
        top=1 - top / height,
        wspace=gap[0] / axis_w,
        hspace=gap[1] / axis_h,
    )


def _axes(title: str, figsize: tuple[float, float] = (4.2, 3.0)) -> tuple[Figure, Any]:
    with plt.style.context(STYLE):
        fig = Figure(figsize=figsize)
        ax = fig.add_subplot()
    _margins(fig, left=0.62, right=0.15, bottom=0.48, top=0.32)
    ax.axhline(0.0, linewidth=0.8, color="#8888887f", zorder=0)
    ax.axvline(0.0, linewidth=0.8, color="#8888887f", zorder=0)
    ax.set_title(title)
    ax.set_xlabel("x")
    return fig, ax


def _style(fn: Callable[..., Figure]) -> Callable[..., Figure]:
    def wrapped(*args: Any, **kwargs: Any) -> Figure:
        with plt.style.context(STYLE):
            return fn(*args, **kwargs)

    wrapped.__doc__ = fn.__doc__
    wrapped.__name__ = fn.__name__
    return wrapped


# A step between neighbouring grid points larger than this share of the curve's y-span is a
# jump (the grid is 1/80 of the range: a continuous piece of these functions moves far less).
JUMP_SHARE = 0.05


def jumps(spec: Any, derivative: bool = False) -> bool:
    """Whether ``f`` (or ``f'``) of ``spec`` has jumps, from its declared smoothness."""
    kinks = ("discontinuous", "C0") if derivative else ("discontinuous",)
    return spec.smoothness in kinks


def with_gaps(x: np.ndarray, y: np.ndarray, jumpy: bool) -> tuple[np.ndarray, np.ndarray]:
    """``x, y`` with a NaN point inside each jump of a discontinuous curve, so that the jump
    is not drawn as a vertical segment (which would claim the values in between)."""
    finite = y[np.isfinite(y)]
    if not jumpy or finite.size == 0 or finite.max() == finite.min():
        return x, y
    cut = np.flatnonzero(np.abs(np.diff(y)) > JUMP_SHARE * (finite.max() - finite.min()))
    middle = (x[cut] + x[cut + 1]) / 2
    return np.insert(x, cut + 1, middle), np.insert(y, cut + 1, np.nan)


def slice_label(spec: Any) -> str:
    """The input of a vector function's plotted slice, in words: ``[x, 0]``, ``[1, x]``."""
    probe = 7.25  # no entry of a slice equals it by chance
    row = np.asarray(spec.plot_slice(jnp.asarray([probe], jnp.float32)))[0]
    return "[" + ", ".join("x" if v == probe else f"{v:g}" for v in row) + "]"


def _titles(spec: Any) -> tuple[str, str]:
    """Titles of the f and f′ plots; a vector function's name the coordinate they follow."""
    if spec.elementwise:
        return f"{spec.display_name}: f(x)", f"{spec.display_name}: f′(x)"
    first = f"{spec.name}({slice_label(spec)})[0]"
    return f"{first} against x", f"d/dx {first}"


@_style
def plot_activation(spec: Any, params: Mapping[str, Any] | None = None) -> Figure:
    """The graph of ``f`` over ``spec.plot_range`` (default parameters unless given)."""
    x, y, _ = curves(spec, params)
    fig, ax = _axes(_titles(spec)[0])
    if spec.two_class and spec.plot_slice is not None and slice_label(spec) == "[x, 0]":
        # Two entries [x, 0]: the registered elementwise form of the difference, drawn over it.
        name, scale = spec.two_class
        same = np.asarray(jax.jit(lambda v: _lookup(name)(scale * v))(jnp.asarray(x)))
        ax.plot(x, y, color=F_COLOUR, linewidth=3.2, label=f"{spec.name}([x, 0])[0]")
        argument = {1.0: "x", -1.0: "−x"}.get(float(scale), f"{scale:g}x")
        ax.plot(x, same, "--", color=DF_COLOUR, linewidth=1.6, label=f"{name}({argument})")
        _ylim(ax, [y])
        place_legend(fig, ax)
        return fig
    if spec.stochastic:
        return _with_training_band(fig, ax, spec, params, x, y)
    ax.plot(*with_gaps(x, y, jumps(spec)), color=F_COLOUR, linewidth=2.0)
    _ylim(ax, [y])
    return fig


def _with_training_band(
    fig: Figure, ax: Any, spec: Any, params: Mapping[str, Any] | None, x: np.ndarray, y: Any
) -> Figure:
    """A stochastic function (rrelu): the band of the values it can take in training
    (``spec.training_range``) under its evaluation curve."""
    lo, hi = (np.asarray(v) for v in spec.training_range(x, **call_arguments(spec, params)))
    ax.fill_between(
        x, lo, hi, color=F_COLOUR, alpha=0.25, linewidth=0, label="training: slope in [l, u]"
    )
    ax.plot(
        *with_gaps(x, y, jumps(spec)),
        color=F_COLOUR,
        linewidth=2.0,
        label="evaluation: slope (l + u)/2",
    )
    _ylim(ax, [y, lo, hi])
    place_legend(fig, ax)
    return fig


def _lookup(name: str) -> Callable[..., Any]:
    import jaxact  # the registry, imported where it is needed (this module reads specs)

    return jaxact.get(name).fn


@_style
def plot_derivative(spec: Any, params: Mapping[str, Any] | None = None) -> Figure:
    """The graph of ``f'`` from ``jax.grad`` of the implementation."""
    x, _, dy = curves(spec, params)
    fig, ax = _axes(_titles(spec)[1])
    ax.plot(*with_gaps(x, dy, jumps(spec, derivative=True)), color=DF_COLOUR, linewidth=2.0)
    _ylim(ax, [dy])
    return fig


def family_param(spec: Any) -> Any | None:
    """The first parameter with ``plot_values``, or ``None``."""
    return next((p for p in spec.params if p.plot_values), None)


FAMILY_SIZE = (5.0, 3.4)  # inches; the f panel is 2.6 in tall inside its margins
FAMILY_LINE = 1.8  # points: the last curve drawn, on top
# Points of each earlier curve left showing on either side of the one drawn after it.
FAMILY_RIM = 1.0
# Two curves whose largest gap is under this many line widths print as one line.
COINCIDE_LINE_WIDTHS = 2.0


def superscript(n: int) -> str:
    """``-4`` -> ``⁻⁴`` (for powers of ten in labels)."""
    return str(n).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))


# Two curves within one line width of each other over this share of the grid lie on top of
# each other there; a crossing is far shorter (sine's curves cross over 1 % of the grid).
OVERLAP_SHARE = 0.03


def family_widths(spec: Any) -> list[float]:
    """Line widths of the family plots of ``spec``, in drawing order (the legend's).

    Where two curves lie on top of each other over a stretch (``family_banded``: binary_step
    for every threshold below the smallest, relu and elu for x > 0), each curve is
    ``2 FAMILY_RIM`` wider than the next, so that each earlier one shows as a band around the
    later ones, all drawn on the same data; equal widths hid every curve but the last there.
    Otherwise all are ``FAMILY_LINE`` wide."""
    count = len(family_param(spec).plot_values)
    rims = range(count - 1, -1, -1) if family_banded(spec) else [0] * count
    return [FAMILY_LINE + 2 * FAMILY_RIM * r for r in rims]


def family_banded(spec: Any) -> bool:
    """Whether two curves of the f family, or of the f′ family where it is drawn, lie on top of
    each other (``family_overlaps``). The f and f′ figures of a page are banded alike, so that
    their legends read the same (snake's f curves meet for x < 0, its f′ curves only cross)."""
    drawn = (2,) if same_derivative(spec) else (2, 3)
    return any(family_overlaps(spec, k) for k in drawn)


def _line_in_data(ys: Iterable[np.ndarray]) -> float:
    """``FAMILY_LINE`` in the data units of a family panel showing ``ys`` (``FAMILY_SIZE``)."""
    panel_points = 72.0 * (FAMILY_SIZE[1] - 0.48 - 0.32)
    return FAMILY_LINE / panel_points * _padded_span(ys)


def _longest_run(mask: np.ndarray) -> int:
    """The length of the longest run of ``True`` in ``mask``."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(int), [0]])))
    return int((edges[1::2] - edges[::2]).max(initial=0))


def family_overlaps(spec: Any, k: int = 2) -> bool:
    """Whether two curves of the family of f (``k = 2``) or f′ (``k = 3``) lie within one line
    width of each other over at least ``OVERLAP_SHARE`` of the grid in a row."""
    ys = [curve[k] for curve in family_curves(spec)]
    line = _line_in_data(ys)
    return any(
        _longest_run(np.abs(a - b) < line) >= OVERLAP_SHARE * a.size
        for i, a in enumerate(ys)
        for b in ys[i + 1 :]
    )


def family_curves(spec: Any) -> list[tuple[Any, np.ndarray, np.ndarray, np.ndarray]]:
    """``(value, x, f, f')`` for each value in the family parameter's ``plot_values``."""
    param = family_param(spec)
    if param is None:
        raise ValueError(f"{spec.name} has no parameter with plot_values")
    return [(v, *curves(spec, {param.name: v})) for v in param.plot_values]


def _padded_span(ys: Iterable[np.ndarray]) -> float:
    finite = np.concatenate([y[np.isfinite(y)] for y in ys])
    span = float(finite.max() - finite.min())
    return 1.16 * span if span > 0 else 1.0  # the y-range ``_ylim`` gives these curves


def family_differences(spec: Any) -> dict[Any, tuple[float, float]]:
    """``{value: (max |Δf|, max |Δf′|)}`` against the first plotted value, when the family
    plot would show two curves on top of each other; ``{}`` when every curve is visible.

    Decided from the data: on the f panel (``FAMILY_SIZE``, the y-range of the curves) a
    line is ``FAMILY_LINE`` points wide, and two curves whose largest gap is under
    ``COINCIDE_LINE_WIDTHS`` of those widths cannot be told apart. Then the figure gets
    panels of the differences (see ``plot_family``).
    """
    family = family_curves(spec)
    line = _line_in_data(y for _, _, y, _ in family)

    def gap(a: np.ndarray, b: np.ndarray) -> float:
        d = np.abs(a - b)
        return float(d[np.isfinite(d)].max(initial=0.0))

    coincide = any(
        gap(a[2], b[2]) < COINCIDE_LINE_WIDTHS * line
        for i, a in enumerate(family)
        for b in family[i + 1 :]
    )
    if not coincide:
        return {}
    _, _, y0, dy0 = family[0]
    return {v: (gap(y, y0), gap(dy, dy0)) for v, _, y, dy in family[1:]}


LEGEND_PLACES = ("upper left", "upper right", "lower right", "lower left", "center left",
                 "center right", "upper center", "lower center")  # fmt: skip


def place_legend(fig: Figure, ax: Any) -> None:
    """A legend inside ``ax`` where it covers no curve (the first such of ``LEGEND_PLACES``),
    else above the axes. matplotlib's ``"best"`` only minimises the overlap: on a family of
    derivatives it laid the legend over a curve."""
    legend = ax.legend(frameon=False)
    renderer = FigureCanvasAgg(fig).get_renderer()  # text sizes, without drawing anything
    points = []
    for line in ax.lines:
        xy = np.column_stack(line.get_data()).astype(float)
        xy = xy[np.isfinite(xy).all(axis=1)]
        if len(xy) and line.get_zorder() > 0:
            points.append(line.get_transform().transform(xy))
    pts = np.concatenate(points) if points else np.empty((0, 2))
    for place in LEGEND_PLACES:
        legend.set_loc(place)
        (x0, y0), (x1, y1) = legend.get_window_extent(renderer).padded(2).get_points()
        inside = (pts[:, 0] >= x0) & (pts[:, 0] <= x1) & (pts[:, 1] >= y0) & (pts[:, 1] <= y1)
        if not inside.any():
            return
    # Nowhere free inside: above the plot, the title above it, in as few rows as keep the
    # legend within the axes' width (sine's three "omega_0 = ..." in one row ran past the
    # figure's edge and were cut). The rows are added to the figure's height, so the axes keep
    # their size in inches (a legend moved after the figure was laid out covered the title:
    # set_ncols does not re-lay an existing legend).
    legend.remove()
    handles, labels = ax.get_legend_handles_labels()
    count = len(labels)
    room = ax.get_window_extent(renderer).width
    for ncols in range(count, 0, -1):
        # matplotlib fills a legend's columns first; in this order its rows read left to right
        # in the order of the values (sine's read "0.5, 2.0" then "1.0").
        order = [i for col in range(ncols) for i in range(col, count, ncols)]
        legend = ax.legend(
            [handles[i] for i in order],
            [labels[i] for i in order],
            frameon=False,
            loc="lower center",
            bbox_to_anchor=(0.5, 1.0),
            ncols=ncols,
            borderaxespad=0.2,
            columnspacing=1.2,
            handlelength=1.6,
            handletextpad=0.5,
        )
        if ncols == 1 or legend.get_window_extent(renderer).width <= room:
            break
        legend.remove()
    row = 0.3 * -(-count // ncols)  # inches: 0.3 per row of entries
    width, height = fig.get_size_inches()
    fig.set_size_inches(width, height + row)
    for a in fig.axes:
        x0, y0, w, h = a.get_position().bounds
        a.set_position((x0, y0 * height / (height + row), w, h * height / (height + row)))
    ax.set_title(ax.get_title(), pad=72 * row + 6)
    _FALLBACK_LEGENDS.append(ax.get_title())


_FALLBACK_LEGENDS: list[str] = []  # titles of the plots whose legend went above (tests read it)


def _difference_panel(fig: Figure, cell: Any, ax: Any, spec: Any, k: int) -> Any:
    """Below ``ax``: each family curve's difference from the first value's, in f (``k = 2``)
    or in f′ (``k = 3``, from ``jax.grad``), scaled by one power of ten named in the label."""
    param = family_param(spec)
    family = family_curves(spec)
    colours = dict(zip(param.plot_values, FAMILY_COLOURS * 4, strict=False))
    symbol = "f" if k == 2 else "f′"
    ref = f"{param.name} = {param.plot_values[0]}"
    others = param.plot_values[1:]
    other = f"{param.name} = {others[0]}" if len(others) == 1 else param.name
    sub = fig.add_subplot(cell, sharex=ax)
    deltas = [(value, x, c[k - 2] - family[0][k]) for value, x, *c in family[1:]]
    # One power of ten in the label keeps the tick labels short.
    largest = max(float(np.nanmax(np.abs(d))) for _, _, d in deltas)
    power = int(np.floor(np.log10(largest))) if largest > 0 else 0
    for value, x, d in deltas:
        sub.plot(x, d / 10.0**power, color=colours[value], linewidth=1.4)
    _ylim(sub, [d / 10.0**power for _, _, d in deltas])
    scale = f" (×10{superscript(power)})" if power else ""
    sub.set_ylabel(f"Δ{symbol}{scale}")
    sub.set_title(f"{symbol}(x; {other}) − {symbol}(x; {ref})", fontsize=10)
    return sub


def _family_figure(spec: Any, k: int) -> Figure:
    """The family of f (``k = 2``) or of f′ (``k = 3``): one curve per plotted value of the
    parameter, each wider than the next where curves lie on top of each other
    (``family_widths``). Where the curves would print as one line (``family_differences``), a
    panel below shows their differences, in the same quantity: the f and f′ figures, drawn side
    by side, then have the same height and their panels line up."""
    param = family_param(spec)
    family = family_curves(spec)
    differences = bool(family_differences(spec))
    colours = dict(zip(param.plot_values, FAMILY_COLOURS * 4, strict=False))
    width, height = FAMILY_SIZE
    panel = height - 0.48 - 0.32  # the curves' panel height in inches
    fig = Figure(figsize=(width, height + (1.5 + 0.55 if differences else 0)))
    rows = 2 if differences else 1
    grid = fig.add_gridspec(rows, 1, height_ratios=[panel, 1.5][:rows])
    ax = fig.add_subplot(grid[0])
    symbol = "f(x)" if k == 2 else "f′(x)"
    for curve, width in zip(family, family_widths(spec), strict=True):
        value, x, y = curve[0], curve[1], curve[k]
        # f′ of a family may jump where the default's does not (elu's at 0 for α ≠ 1, entmax's
        # at α ≥ 2): its jumps are found in the data, so that none is drawn as a vertical line.
        drawn = with_gaps(x, y, k == 3 or jumps(spec))
        label = f"{param.name} = {_legend_value(value)}"
        # Butt ends: a wide round cap would reach past a jump (binary_step's at its threshold).
        ax.plot(*drawn, color=colours[value], linewidth=width, label=label,
                solid_capstyle="butt")  # fmt: skip
    _ylim(ax, [curve[k] for curve in family])
    ax.set_title(f"{spec.display_name}: {symbol} for several values of {param.name}")
    ax.set_ylabel(symbol)
    axes = [ax]
    if differences:
        axes.append(_difference_panel(fig, grid[1], ax, spec, k))
    for a in axes:
        a.axhline(0.0, linewidth=0.8, color="#8888887f", zorder=0)
        a.axvline(0.0, linewidth=0.8, color="#8888887f", zorder=0)
    for a in axes[:-1]:
        a.tick_params(labelbottom=False)
    axes[-1].set_xlabel("x")
    _margins(fig, left=0.75, right=0.15, bottom=0.48, top=0.32, gap=(0, 0.55))
    place_legend(fig, ax)
    return fig


def _legend_value(value: Any) -> str:
    """A plotted value as the legend prints it: a float with more digits than a reader can use
    (star_relu's default scale 2/√5 printed "0.8944271909999159", overrunning a phone-width
    legend) is cut to four significant digits; short values stay as written (``1.0``)."""
    text = str(value)
    return f"{value:.4g}" if isinstance(value, float) and len(text) > 8 else text


@_style
def plot_family(spec: Any) -> Figure:
    """One curve of ``f`` per value in the first parameter's ``plot_values``; where two would
    print as one line (``family_differences``), a panel below shows their differences in f."""
    return _family_figure(spec, 2)


@_style
def plot_derivative_family(spec: Any) -> Figure:
    """One curve of ``f′`` (``jax.grad``) per value in the first parameter's ``plot_values``:
    drawn beside :func:`plot_family`, where a small parameter change of f shows more clearly
    (leaky ReLU's slope 0.01 looks like ReLU in f, not in f′). Where the f curves coincide, a
    panel below shows the differences in f′, level with the f figure's panel of differences."""
    return _family_figure(spec, 3)


def same_derivative(spec: Any) -> bool:
    """Every plotted value of the family parameter gives the same f′ over the plotted range
    (binary_step: 0 for every threshold): a family plot of f′ would show one line."""
    family = family_curves(spec)
    first = family[0][3]
    return all(np.array_equal(dy, first, equal_nan=True) for *_, dy in family[1:])


@_style
def plot_gallery(specs: Iterable[Any], columns: int = 4) -> Figure:
    """Small multiples: ``f`` (solid) and ``f'`` (dashed) of every spec, one panel each."""
    specs = list(specs)
    rows = -(-len(specs) // columns)
    fig = Figure(figsize=(2.6 * columns, 2.0 * rows))
    for i, spec in enumerate(specs):
        ax = fig.add_subplot(rows, columns, i + 1)
        x, y, dy = curves(spec)
        ax.axhline(0.0, linewidth=0.6, color="#8888887f", zorder=0)
        ax.plot(*with_gaps(x, y, jumps(spec)), color=F_COLOUR, linewidth=1.6)
        df = with_gaps(x, dy, jumps(spec, derivative=True))
        ax.plot(*df, color=DF_COLOUR, linewidth=1.2, linestyle="--")
        _ylim(ax, [y, dy])
        ax.set_title(spec.display_name, fontsize=11)
        ax.tick_params(labelsize=8)
    _margins(fig, left=0.4, right=0.1, bottom=0.3, top=0.3, gap=(0.45, 0.55))
    return fig


def to_svg(fig: Figure) -> bytes:
    """SVG bytes; fixed hash salt and no date, so an unchanged figure gives identical bytes."""
    buf = io.BytesIO()
    with plt.rc_context({"svg.hashsalt": "jaxact", "svg.fonttype": "path"}):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()
