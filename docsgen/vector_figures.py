"""Figures made for the vector-valued functions, chosen by the registry's ``figure_kind``.

A vector-valued function has no single graph: a curve of one output along one input shows a
sigmoid for softmax and a ReLU for maxout, and teaches neither. Each kind gets figures of what
the function does to a vector, all computed by calling jaxact:

- ``"normaliser"`` (softmax, log_softmax, softmin, sparsemax): a score vector turned into a
  distribution at several temperatures, next to the other normalisers (sparsemax's exact
  zeros beside softmax). Their two-class case, an elementwise function of the difference
  (``spec.two_class``: softmax([a, b])[0] = sigmoid(a − b)), is drawn on the slice plot
  (``docsgen.plots.plot_activation``).
- ``"maxout"``: the upper envelope of k affine pieces; ReLU, leaky ReLU and |x| as the special
  cases k = 2; a convex curve approximated with k = 2, 3, 5 tangents.
- ``"gate"`` (the GLU family): the gates of the family side by side, and the output
  a ⊗ g(b) over the plane of the value a and the gate input b.

    >>> import jaxact
    >>> [key for key, _, _ in figures(jaxact.get("softmax"))]
    ['scores']
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import jaxact  # noqa: E402
from docsgen.plots import FAMILY_COLOURS, STYLE  # noqa: E402

SIZE = (5.0, 3.4)  # inches: two figures side by side fill the text column
SCORES = (1.5, 1.0, 0.2, -0.5, -1.5)  # sparsemax keeps two entries at T = 1
TEMPERATURES = (0.5, 1.0, 3.0)
K_VALUES = (2, 3, 5)
GRID = 401


def _style(draw: Callable[..., Figure]) -> Callable[..., Figure]:
    """``draw`` run inside the site's plot style (transparent, grey ink: both palettes)."""

    @functools.wraps(draw)
    def wrapped(*args: Any, **kwargs: Any) -> Figure:
        with plt.style.context(STYLE):
            return draw(*args, **kwargs)

    return wrapped


def _axes(fig: Figure, *args: Any) -> Any:
    ax = fig.add_subplot(*args)
    ax.axhline(0.0, linewidth=0.8, color="#8888887f", zorder=0)
    return ax


def _kind_specs(kind: str) -> list[Any]:
    return [s for s in jaxact.specs() if s.figure_kind == kind]


# -- normalisers ---------------------------------------------------------------------------


def temperature_outputs(spec: Any) -> dict[float, np.ndarray]:
    """``{T: fn(z / T)}`` for the score vector ``SCORES``."""
    z = jnp.asarray(SCORES, jnp.float32)
    return {t: np.asarray(spec.fn(z / t)) for t in TEMPERATURES}


def is_distribution(values: np.ndarray) -> bool:
    """Non-negative entries summing to 1: probabilities (log_softmax's are not)."""
    return bool(np.all(values >= 0) and abs(float(values.sum()) - 1) < 1e-5)


def _mark_zeros(ax: Any, x: np.ndarray, y: np.ndarray) -> None:
    """An exact zero has no bar to see: print a 0 where it would stand."""
    for xi, yi in zip(x, y, strict=True):
        if yi == 0:
            ax.text(xi, 0.01, "0", ha="center", va="bottom", fontsize=7, color="#888888")


def _peer_label(spec: Any) -> str:
    """A normaliser's name with the defaults it is drawn at, other than the temperature (the
    panel's title gives T): "entmax (alpha = 1.5)", which is why its bars equal entmax15's."""
    shown = [p for p in spec.params if p.name != "temperature" and not p.required]
    values = ", ".join(f"{p.name} = {p.default:g}" for p in shown)
    return f"{spec.name} ({values})" if values else spec.name


@_style
def plot_scores(spec: Any) -> Figure:
    """Bars of ``fn(z / T)`` at several temperatures; beside them, every registered normaliser
    that returns probabilities at T = 1 (exact zeros marked)."""
    outputs = temperature_outputs(spec)
    z = np.asarray(SCORES)
    peers = [s for s in _kind_specs("normaliser") if is_distribution(temperature_outputs(s)[1.0])]
    fig = Figure(figsize=(7.2, 3.4))
    left, right = _axes(fig, 1, 2, 1), _axes(fig, 1, 2, 2)
    width = 0.8 / len(TEMPERATURES)
    for i, (t, y) in enumerate(outputs.items()):
        offset = (i - (len(TEMPERATURES) - 1) / 2) * width
        x = np.arange(len(z)) + offset
        left.bar(x, y, width, color=FAMILY_COLOURS[i], label=f"T = {t:g}")
        _mark_zeros(left, x, y)
    probabilities = is_distribution(outputs[1.0])
    left.set_ylabel("probability" if probabilities else "output")
    # "0: exactly zero" only where a 0 is marked (log_softmax's outputs are all negative).
    zeros = any((y == 0).any() for y in outputs.values())
    left.set_title(f"{spec.name}(z / T)" + (" (0: exactly zero)" if zeros else ""), fontsize=10)
    left.legend(frameon=False, fontsize=8, loc="best")
    width = 0.8 / max(len(peers), 1)
    for i, peer in enumerate(peers):
        y = temperature_outputs(peer)[1.0]
        offset = (i - (len(peers) - 1) / 2) * width
        x = np.arange(len(z)) + offset
        bold = peer.name == spec.name
        right.bar(
            x, y, width, color=FAMILY_COLOURS[i], label=_peer_label(peer), alpha=1 if bold else 0.75
        )
        _mark_zeros(right, x, y)
    right.set_title("normalisers at T = 1 (0: exactly zero)", fontsize=10)
    right.legend(frameon=False, fontsize=8, loc="upper right")
    for ax in (left, right):
        ax.set_xticks(range(len(z)), [f"{v:g}" for v in z])
        ax.set_xlabel("score z")
    top = max(float(np.max(y)) for y in outputs.values())
    if probabilities:
        left.set_ylim(0, 1.15 * max(top, 0.5))
    right.set_ylim(0, 1.15)
    fig.subplots_adjust(left=0.09, right=0.98, bottom=0.16, top=0.9, wspace=0.25)
    return fig


ALPHAS = (1.0, 1.5, 2.0)  # softmax, entmax15, sparsemax
ENTMAX = ("entmax15", "entmax")


def alpha_outputs() -> dict[float, np.ndarray]:
    """``{α: entmax_α(z)}`` for the score vector ``SCORES``: α = 1 is softmax, 2 sparsemax."""
    z = jnp.asarray(SCORES, jnp.float32)
    out = {1.0: jaxact.softmax(z), 1.5: jaxact.entmax15(z)}
    out.update({a: jaxact.entmax(z, alpha=a) for a in ALPHAS if a not in out})
    return {a: np.asarray(out[a]) for a in ALPHAS}


@_style
def plot_alphas(spec: Any) -> Figure:
    """Bars of α-entmax of the score vector at α = 1 (softmax), 1.5 and 2 (sparsemax)."""
    z = np.asarray(SCORES)
    fig = Figure(figsize=SIZE)
    ax = _axes(fig)
    width = 0.8 / len(ALPHAS)
    for i, (a, y) in enumerate(alpha_outputs().items()):
        x = np.arange(len(z)) + (i - (len(ALPHAS) - 1) / 2) * width
        ax.bar(x, y, width, color=FAMILY_COLOURS[i], label=f"α = {a:g}")
        _mark_zeros(ax, x, y)
    ax.set_xticks(range(len(z)), [f"{v:g}" for v in z])
    ax.set_xlabel("score z")
    ax.set_ylabel("probability")
    ax.set_title("α-entmax(z): α = 1 softmax, 2 sparsemax (0: exactly zero)", fontsize=10)
    ax.legend(frameon=False, fontsize=8, loc="upper right")
    ax.set_ylim(0, 1.15)
    fig.subplots_adjust(left=0.12, right=0.97, bottom=0.15, top=0.9)
    return fig


def two_class_curves(spec: Any, n: int = GRID) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``x``, ``fn([x, 0])[0]`` and the registered elementwise form ``g(s·x)`` of it."""
    name, scale = spec.two_class
    x = jnp.linspace(*spec.plot_range, n, dtype=jnp.float32)
    pair = jnp.stack([x, jnp.zeros_like(x)], axis=-1)
    first = np.asarray(spec.fn(pair)[:, 0])
    return np.asarray(x), first, np.asarray(jaxact.get(name).fn(scale * x))


def two_class_statement(spec: Any) -> str:
    """``softmax([a, b])[0] == sigmoid(a - b)``, from ``spec.two_class``."""
    name, scale = spec.two_class
    inner = "a - b" if scale == 1 else ("b - a" if scale == -1 else f"{scale:g} * (a - b)")
    return f"{spec.name}([a, b])[0] == {name}({inner})"


# -- maxout --------------------------------------------------------------------------------


def envelope(spec: Any, pieces: list[np.ndarray]) -> np.ndarray:
    """``maxout`` of the stacked pieces, one group of ``len(pieces)`` per grid point."""
    stacked = jnp.stack([jnp.asarray(p, jnp.float32) for p in pieces], axis=-1)
    return np.asarray(spec.fn(stacked, num_pieces=len(pieces)))[..., 0]


SPECIAL_CASES = (  # (title, the affine pieces as (slope, intercept), the function it equals)
    ("ReLU = max(x, 0)", ((1.0, 0.0), (0.0, 0.0)), "relu"),
    ("leaky ReLU = max(x, 0.1x)", ((1.0, 0.0), (0.1, 0.0)), "leaky_relu"),
    ("|x| = max(x, −x)", ((1.0, 0.0), (-1.0, 0.0)), None),
)


def special_case_curves(spec: Any) -> list[tuple[str, np.ndarray, list[np.ndarray], np.ndarray]]:
    """``(title, x, pieces, maxout of the pieces)`` for each of ``SPECIAL_CASES``."""
    x = np.linspace(-3, 3, GRID, dtype=np.float32)
    out = []
    for title, lines, _ in SPECIAL_CASES:
        pieces = [slope * x + icpt for slope, icpt in lines]
        out.append((title, x, pieces, envelope(spec, pieces)))
    return out


@_style
def plot_special_cases(spec: Any) -> Figure:
    """ReLU, leaky ReLU and |x| as maxout of two affine pieces."""
    fig = Figure(figsize=(7.2, 2.7))
    for i, (title, x, pieces, top) in enumerate(special_case_curves(spec)):
        ax = _axes(fig, 1, 3, i + 1)
        for p in pieces:
            ax.plot(x, p, "--", color="#888888", linewidth=1.0)
        ax.plot(x, top, color=FAMILY_COLOURS[0], linewidth=2.4)
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("x")
    fig.subplots_adjust(left=0.06, right=0.99, bottom=0.18, top=0.88, wspace=0.3)
    return fig


def tangent_pieces(
    curve: Callable[[Any], Any], k: int, lo: float, hi: float, x: np.ndarray
) -> list[np.ndarray]:
    """The ``k`` tangents of ``curve`` at evenly spaced points of ``[lo, hi]``, on ``x``."""
    points = np.linspace(lo, hi, k, dtype=np.float32)
    slopes = np.asarray(jax.vmap(jax.grad(curve))(jnp.asarray(points)))
    values = np.asarray(curve(jnp.asarray(points)))
    return [v + s * (x - t) for t, v, s in zip(points, values, slopes, strict=True)]


def parabola(x: Any) -> Any:
    """x²/2: a convex curve whose tangents are easy to see."""
    return 0.5 * x * x


@_style
def plot_convex(spec: Any) -> Figure:
    """A convex curve (x²/2) and its maxout approximations with k = 2, 3, 5 tangents."""
    x = np.linspace(-2.5, 2.5, GRID, dtype=np.float32)
    fig = Figure(figsize=SIZE)
    ax = _axes(fig)
    ax.plot(x, parabola(x), color="#888888", linewidth=4, alpha=0.5, label="x²/2 (convex)")
    for i, k in enumerate(K_VALUES):
        top = envelope(spec, tangent_pieces(parabola, k, -2.0, 2.0, x))
        ax.plot(x, top, color=FAMILY_COLOURS[i], linewidth=1.6, label=f"maxout of k = {k} tangents")
    ax.set_title("more pieces, a closer convex fit", fontsize=10)
    ax.set_xlabel("x")
    ax.set_ylim(-2.2, 3.4)
    ax.legend(frameon=False, fontsize=8, loc="upper center")
    fig.subplots_adjust(left=0.12, right=0.97, bottom=0.15, top=0.9)
    return fig


# -- gates (GLU family) --------------------------------------------------------------------


def gate_curve(spec: Any, n: int = GRID) -> tuple[np.ndarray, np.ndarray]:
    """``b`` and the output for the value ``a = 1``: the gate ``g(b)`` itself."""
    b = jnp.linspace(-4.0, 4.0, n, dtype=jnp.float32)
    pair = jnp.stack([jnp.ones_like(b), b], axis=-1)
    return np.asarray(b), np.asarray(spec.fn(pair)[:, 0])


def output_plane(spec: Any, n: int = 121) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``a``, ``b`` and ``fn([a, b])`` on an ``n × n`` grid of ``[-3, 3]²``."""
    a, b = np.meshgrid(np.linspace(-3, 3, n), np.linspace(-3, 3, n))
    pairs = jnp.asarray(np.stack([a, b], axis=-1), jnp.float32)
    return a, b, np.asarray(spec.fn(pairs))[..., 0]


def gate_closes(spec: Any) -> bool:
    """Whether the gate is exactly 0 for every ``b < 0`` (ReGLU): then the output is 0 on the
    whole lower half-plane, not only on a line."""
    _, b, y = output_plane(spec)
    return bool(np.all(y[b < 0] == 0.0))


@_style
def plot_gates(spec: Any) -> Figure:
    """The gate of every GLU variant (output for ``a = 1``), this one drawn bold. The others
    are opaque: at 70 % opacity the rose and blue lines fell to 2.2:1 and 2.8:1 against the
    dark page (3.4:1 and 4.4:1 opaque) and to 3.2:1 and 2.4:1 against the light one."""
    fig = Figure(figsize=SIZE)
    ax = _axes(fig)
    ax.axvline(0.0, linewidth=0.8, color="#8888887f", zorder=0)
    for i, other in enumerate(_kind_specs("gate")):
        b, g = gate_curve(other)
        bold = other.name == spec.name
        ax.plot(b, g, color=FAMILY_COLOURS[i], linewidth=3.2 if bold else 1.6,
                label=other.name, zorder=3 if bold else 2)  # fmt: skip
    ax.set_title("the gate g(b): output for the value a = 1", fontsize=10)
    ax.set_xlabel("gate input b")
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    fig.subplots_adjust(left=0.12, right=0.97, bottom=0.15, top=0.9)
    return fig


@_style
def plot_output_plane(spec: Any) -> Figure:
    """``a ⊗ g(b)`` over the plane: the gate input decides how much of the value passes."""
    a, b, y = output_plane(spec)
    fig = Figure(figsize=SIZE)
    ax = fig.add_subplot()
    limit = float(np.max(np.abs(y)))
    # One embedded image, not a mesh of 14,641 cells (the SVG showed seams between them).
    image = ax.imshow(y, cmap="coolwarm", vmin=-limit, vmax=limit, origin="lower",
                      extent=(a.min(), a.max(), b.min(), b.max()), aspect="auto")  # fmt: skip
    ax.contour(a, b, y, levels=[0.0], colors="#888888", linewidths=0.8)
    fig.colorbar(image, ax=ax, label=f"{spec.name}([a, b])")
    ax.set_xlabel("value a")
    ax.set_ylabel("gate input b")
    ax.set_title(f"{spec.name}([a, b]) = a · g(b)", fontsize=10)
    ax.grid(False)
    fig.subplots_adjust(left=0.13, right=0.9, bottom=0.15, top=0.9)
    return fig


# -- the registry's kinds ------------------------------------------------------------------

FigureList = list[tuple[str, str, Figure]]


def _normaliser(spec: Any) -> FigureList:
    made = [
        ("scores", f"{spec.name} of a score vector at several temperatures", plot_scores(spec)),
    ]
    if spec.name in ENTMAX:
        made.append(("alphas", "α-entmax of a score vector at α = 1, 1.5 and 2", plot_alphas(spec)))
    return made


def _maxout(spec: Any) -> FigureList:
    return [
        ("special-cases", "ReLU, leaky ReLU and |x| as maxout", plot_special_cases(spec)),
        ("convex", "a convex curve approximated by maxout", plot_convex(spec)),
    ]


def _gate(spec: Any) -> FigureList:
    return [
        ("gates", "the gates of the GLU family", plot_gates(spec)),
        ("plane", f"the output of {spec.name} over the plane", plot_output_plane(spec)),
    ]


KINDS: dict[str, Callable[[Any], FigureList]] = {
    "normaliser": _normaliser,
    "maxout": _maxout,
    "gate": _gate,
}


def figures(spec: Any) -> FigureList:
    """``(key, alt text, Figure)`` of the figures made for ``spec``'s kind (none: ``[]``)."""
    return KINDS[spec.figure_kind](spec) if spec.figure_kind else []


GATE_CLOSED = (
    " Here the gate is 0 for every b < 0, so the output is 0 on the whole lower half-plane "
    "(whatever the value a), not only on the line."
)


def caption(spec: Any) -> str:
    """The sentence under the figures of ``spec``'s kind (Markdown)."""
    if spec.figure_kind == "normaliser":
        t = ", ".join(f"{v:g}" for v in TEMPERATURES)
        return (
            f"Left: the score vector z = ({', '.join(f'{v:g}' for v in SCORES)}) turned into "
            f"`{spec.name}(z / T)` at temperatures T = {t} (a low temperature sharpens, a high "
            "one flattens). Right: the normalisers that return probabilities, at T = 1 "
            "(sparsemax gives exact zeros, marked 0)."
        ) + (
            " Last: the same scores through α-entmax at α = "
            + ", ".join(f"{a:g}" for a in ALPHAS)
            + " (softmax, entmax15, sparsemax): the larger α, the more exact zeros."
            if spec.name in ENTMAX
            else ""
        )
    if spec.figure_kind == "maxout":
        return (
            "Maxout is the upper envelope of its k inputs: with affine inputs "
            "(w·x + b, learned), two pieces give ReLU, leaky ReLU or |x| (first figure; dashed: "
            "the pieces). With more pieces it approximates any convex function (second figure: "
            "x²/2 from k = " + ", ".join(map(str, K_VALUES)) + " of its tangents)."
        )
    if spec.figure_kind == "gate":
        return (
            f"`{spec.name}` splits its input into halves [a, b]: a is the value, b the gate "
            "input. Left: the gate g(b) of each variant of the family (what passes of a = 1). "
            f"Right: the output a · g(b) over the plane; the grey line is where it is 0."
        ) + (GATE_CLOSED if gate_closes(spec) else "")
    return ""
