"""Figures for the home and concept pages, drawn from jaxact at build time.

Each entry of `FIGURES` is a function with no arguments that returns a matplotlib Figure.
The docs hook renders entry `key` to `assets/figures/concepts/<key>.svg`. Derivatives come
from `jax.grad` of the library's own functions, so a figure changes when a formula changes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

import jax
import jax.numpy as jnp
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import jaxact  # noqa: E402

_STYLE = Path(__file__).with_name("jaxact.mplstyle")
# Matplotlib's blue and green, and a darker orange (its own has 2.5:1 on white; this 3.8:1).
_BLUE, _ORANGE, _GREEN = "#1f77b4", "#d95f02", "#2ca02c"


def _axes(ncols: int = 1, width: float = 4.2) -> tuple[Figure, list]:
    # The shared style gives a transparent background and mid-grey ink (light and dark mode).
    with plt.style.context(str(_STYLE)) if _STYLE.exists() else plt.style.context("default"):
        # Constrained layout keeps titles and axis labels inside the figure (8 figures: cheap).
        fig, axes = plt.subplots(
            1, ncols, figsize=(width * ncols, 3.0), squeeze=False, layout="constrained"
        )
    return fig, list(axes[0])


def _grad(f: Callable, x: np.ndarray) -> np.ndarray:
    return np.asarray(jax.vmap(jax.grad(f))(jnp.asarray(x)))


def xor() -> Figure:
    """The four XOR points: no straight line puts the two classes on different sides."""
    fig, (ax,) = _axes(width=5.2)
    pts = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    lab = np.array([0, 1, 1, 0])
    for c, m, name in ((0, "o", "XOR = 0"), (1, "s", "XOR = 1")):
        ax.scatter(*pts[lab == c].T, s=120, marker=m, color=(_BLUE, _ORANGE)[c], label=name)
    t = np.linspace(-0.5, 1.5, 2)
    for slope, icpt in ((-1.0, 0.5), (-1.0, 1.5), (1.0, 0.0)):
        ax.plot(t, slope * t + icpt, ls="--", lw=1, color="#888888", alpha=0.6)
    ax.set(xlim=(-0.4, 1.4), ylim=(-0.4, 1.4), xlabel="$x_1$", ylabel="$x_2$")
    ax.set_title("XOR: no line separates the classes")
    # Beside the axes: inside, every spot is crossed by one of the dashed lines.
    ax.legend(loc="center left", bbox_to_anchor=(1.02, 0.5))
    return fig


def linear_collapse() -> Figure:
    """Two linear layers versus two layers with ReLU between them, on a 1-D input."""
    x = np.linspace(-3, 3, 401)
    w1, b1 = np.array([1.0, -1.0, 1.0]), np.array([0.0, 0.0, -1.0])
    w2, b2 = np.array([1.0, 1.0, -2.0]), 0.0
    pre = np.outer(x, w1) + b1
    linear = pre @ w2 + b2
    relu = np.asarray(jaxact.relu(jnp.asarray(pre))) @ w2 + b2
    fig, (a, b) = _axes(2, width=3.8)
    a.plot(x, linear, color=_BLUE)
    a.set_title("$W_2(W_1x+b_1)+b_2$: still a line")
    b.plot(x, relu, color=_ORANGE)
    b.set_title(r"$W_2\,\mathrm{relu}(W_1x+b_1)+b_2$: a bent curve")
    for ax in (a, b):
        ax.set_xlabel("$x$")
    return fig


def saturation() -> Figure:
    """sigmoid and its derivative, with the saturated regions (σ′ < 0.01) shaded."""
    x = np.linspace(-10, 10, 801)
    y = np.asarray(jaxact.sigmoid(jnp.asarray(x)))
    dy = _grad(jaxact.sigmoid, x)
    fig, (ax,) = _axes(width=5.0)
    ax.plot(x, y, color=_BLUE, label=r"$\sigma(x)$")
    ax.plot(x, dy, color=_ORANGE, label="σ′(x)")
    edge = float(x[np.argmax(dy >= 0.01)])
    ax.axvspan(-10, edge, color="#888888", alpha=0.2, label="saturated: σ′ < 0.01")
    ax.axvspan(-edge, 10, color="#888888", alpha=0.2)
    ax.set(xlabel="$x$", xlim=(-10, 10))
    ax.legend(loc="center left")
    return fig


def vanishing_product() -> Figure:
    """The largest possible product of n sigmoid derivatives, (1/4)^n, against depth n."""
    n = np.arange(1, 31)
    peak = float(jax.grad(jaxact.sigmoid)(0.0))
    fig, (ax,) = _axes(width=4.6)
    ax.semilogy(n, peak**n, "o-", ms=3, color=_BLUE, label=r"sigmoid: $\max\sigma'^{\,n}=4^{-n}$")
    tpeak = float(jax.grad(jaxact.tanh)(0.0))
    ax.semilogy(n, tpeak**n, "s-", ms=3, color=_GREEN, label=r"tanh / relu: $\max f'^{\,n}=1$")
    ax.set(xlabel="number of layers $n$", ylabel="gradient factor (upper bound)")
    ax.legend()
    return fig


def dead_relu() -> Figure:
    """ReLU's zero gradient for negative inputs, next to leaky ReLU and ELU."""
    x = np.linspace(-4, 3, 561)
    fig, (a, b) = _axes(2, width=3.8)
    for name, color in (("relu", _BLUE), ("leaky_relu", _GREEN), ("elu", _ORANGE)):
        f, label = jaxact.get(name).fn, name
        if name == "leaky_relu":  # not the default 0.01: a slope the eye can see
            f = lambda v: jaxact.leaky_relu(v, 0.1)  # noqa: E731
            label = "leaky_relu (α = 0.1)"
        a.plot(x, np.asarray(f(jnp.asarray(x))), color=color, label=label)
        b.plot(x, _grad(f, x), color=color, label=label)
    b.axvspan(-4, 0, color="#888888", alpha=0.2, label="relu′ = 0: no update")
    a.set_title("$f(x)$")
    b.set_title("$f'(x)$")
    # One legend for both panels, below them: inside, it covered the ELU curve.
    fig.legend(*b.get_legend_handles_labels(), loc="outside lower center", ncols=4)
    return fig


def zero_centred() -> Figure:
    """Gradient steps when every component must share a sign: a zig-zag towards the optimum."""
    fig, (ax,) = _axes(width=4.0)
    # Allowed steps are (+,+) or (−,−): alternate them to move in the (+,−) direction.
    p, path = np.zeros(2), [np.zeros(2)]
    for k in range(6):
        p = p + (np.array([1.0, 0.2]) if k % 2 == 0 else np.array([-0.2, -1.0]))
        path.append(p.copy())
    path = np.array(path)
    target = path[-1]  # the direct step goes where the zig-zag ends
    ax.plot(*path.T, "o-", ms=3, color=_ORANGE, label="all-same-sign steps")
    # The line is drawn as data (autoscaling sees it); the annotation only adds the head.
    ax.plot(*np.stack([np.zeros(2), target]).T, color=_BLUE, label="direct step")
    ax.annotate("", xy=target, xytext=0.9 * target, arrowprops={"arrowstyle": "->", "color": _BLUE})
    ax.set(xlabel="$w_1$", ylabel="$w_2$", aspect="equal")
    ax.margins(0.08)
    fig.legend(loc="outside lower center", ncols=2)
    return fig


def sparsity() -> Figure:
    """Fraction of exact zeros in the outputs of a few activations on standard normal inputs."""
    x = jax.random.normal(jax.random.key(0), (100_000,))
    names = ["relu", "relu6", "squared_relu", "soft_shrink", "leaky_relu", "gelu", "silu", "tanh"]
    frac = [float(jnp.mean(jaxact.get(n).fn(x) == 0)) for n in names]
    fig, (ax,) = _axes(width=5.0)
    ax.barh(names[::-1], frac[::-1], color=_BLUE)
    ax.set(xlabel="fraction of outputs exactly 0  (x ~ N(0, 1))", xlim=(0, 1))
    return fig


def output_layers() -> Figure:
    """sigmoid for one probability; softmax for a distribution over classes."""
    fig, (a, b) = _axes(2, width=3.8)
    x = np.linspace(-6, 6, 401)
    a.plot(x, np.asarray(jaxact.sigmoid(jnp.asarray(x))), color=_BLUE)
    a.set(xlabel="logit $z$", title=r"binary: $p=\sigma(z)$")
    logits = jnp.array([2.0, 1.0, 0.1, -1.0])
    b.bar(range(4), np.asarray(jaxact.softmax(logits)), color=_ORANGE, label="softmax")
    b.plot(range(4), np.asarray(jaxact.sigmoid(logits)), "o", color=_BLUE, label="sigmoid each")
    b.set(
        xticks=range(4), xlabel="class (logits 2, 1, 0.1, −1)", title="multi-class vs multi-label"
    )
    b.legend()
    return fig


def _styled(make: Callable[[], Figure]) -> Callable[[], Figure]:
    """``make`` run entirely inside the site style: legends and texts added after the axes
    exist (grey ink, transparent legend box) read on the dark palette too."""

    @functools.wraps(make)
    def wrapped() -> Figure:
        with plt.style.context(str(_STYLE)):
            return make()

    return wrapped


_MAKERS: dict[str, Callable[[], Figure]] = {
    "xor": xor,
    "linear-collapse": linear_collapse,
    "saturation": saturation,
    "vanishing-product": vanishing_product,
    "dead-relu": dead_relu,
    "zero-centred": zero_centred,
    "sparsity": sparsity,
    "output-layers": output_layers,
}
FIGURES: dict[str, Callable[[], Figure]] = {k: _styled(f) for k, f in _MAKERS.items()}
