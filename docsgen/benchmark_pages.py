"""The "Accuracy" and "Speed" pages, generated from the committed benchmark results.

Nothing is measured at build time: the pages are drawn from ``benchmarks/results/*.json``,
which ``python -m benchmarks.accuracy`` and ``python -m benchmarks.speed`` write. Each page
generator returns its Markdown and its figures, keyed by their path under ``docs/``::

    files = generate_pages()      # {"benchmarks/accuracy.md": "...", "benchmarks/....svg": b"..."}
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import math
import os
import re
from pathlib import Path
from typing import Any

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _plt() -> Any:
    """pyplot, imported on first use: a build that finds the pages cached never loads it."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


RESULTS_DIR = os.path.join(ROOT, "benchmarks", "results")
VECTOR_KIND = "accuracy_vector"  # benchmarks/vector_accuracy.py's results, beside accuracy.json
CACHE_DIR = os.path.join(ROOT, ".cache", "benchmark_pages")
PAGE_DIR = "benchmarks"
FIGURE_DIR = "benchmarks/figures"
# At least 3:1 against both page palettes (matplotlib's orange, 2.5:1 on white, darkened).
COLORS = {"jaxact": "#1f77b4", "jax.nn": "#d62728", "torch": "#d95f02", "reference": "#7f7f7f"}
DTYPES = ("float32", "float64")
PRIME = "′"
# The site's plot style (transparent, grey ink for the light and dark palettes), when present.
STYLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "jaxact.mplstyle")


def _style() -> Any:
    return _plt().style.context(STYLE) if os.path.exists(STYLE) else contextlib.nullcontext()


def load_results(kind: str, results_dir: str = RESULTS_DIR) -> dict[str, Any]:
    """The results file ``<kind>.json`` (``accuracy`` or ``speed``)."""
    with open(os.path.join(results_dir, f"{kind}.json")) as f:
        return json.load(f)


def _svg(fig: Any) -> bytes:
    buf = io.BytesIO()
    # Fixed ids and no date: an unchanged figure gives identical bytes (mkdocs serve won't loop).
    plt = _plt()
    with plt.rc_context({"svg.hashsalt": "jaxact", "svg.fonttype": "path"}):
        # No bbox_inches="tight": the figures are laid out already (tight_layout), and the
        # extra draw it needs made the cold build seconds slower.
        fig.savefig(buf, format="svg", metadata={"Date": None})
    plt.close(fig)
    return buf.getvalue()


def _ulp(v: float | None) -> str:
    if v is None:
        return "–"
    if v == 0:
        return "0"
    if v < 0.005:
        return "< 0.01"
    if v < 100:
        return f"{v:.2f}"
    exponent = math.floor(math.log10(v))
    return f"{v / 10**exponent:.1f}e{exponent}"


def _provenance(results: dict[str, Any], command: str) -> str:
    m, v = results["machine"], results["versions"]
    libs = ", ".join(f"{k} {val}" for k, val in v.items() if val is not None)
    runs = results.get("runs", [])
    # Not installed in any run (torch missing from an --update run may be in an earlier one).
    missing = [
        k for k, val in v.items() if val is None and not any(r["versions"].get(k) for r in runs)
    ]
    absent = f" Not installed: {', '.join(missing)}." if missing else ""
    absent += _runs_sentence(results) + _load_sentence(runs)
    return (
        f"Measured on {results['date']} on {m['cpu_model']} ({m['cores']} cores, "
        f"{m['platform']}, jax backend `{m['jax_backend']}`) with {libs}.{absent}\n\n"
        f"Reproduce from the repository root with `{command}` (PyTorch is optional: "
        "`pip install torch` adds its column); the page is rebuilt from "
        f"`benchmarks/results/{results['kind']}.json`."
    )


def _runs_sentence(results: dict[str, Any]) -> str:
    """Where the file merges several runs (``--update``): when each ran, what, with what."""
    runs = results.get("runs", [])
    if len(runs) < 2:
        return ""
    parts = []
    for run in runs:
        names = [n if _case_params(n) is None else f"`{n}`" for n in run["functions"]]
        what = ", ".join(names) if len(names) <= 8 else f"{len(names)} functions"
        rounds = run.get("settings", {}).get("rounds")
        sampled = f"; {rounds} round{'s' * (rounds != 1)}" if rounds else ""
        parts.append(f"{run['date']} ({what}; {', '.join(run['libraries'])}{sampled})")
    return f" Merged from {len(runs)} runs: {'; '.join(parts)}."


LOAD = (
    " Load of the shared machine (5-min average of the run queue, at the end of the run), where "
    "recorded: "
)
"""How the Speed page states each run's load (``load_average`` of the speed harness's runs)."""


def _load_sentence(runs: list[dict[str, Any]]) -> str:
    loaded = [f"{r['date']} {r['load_average'][1]:.1f}" for r in runs if "load_average" in r]
    return f"{LOAD}{', '.join(loaded)}." if loaded else ""


NO_PEER = "no peer"
"""The cell of a library that has no such function (registry: ``spec.equivalents``)."""


def _base(name: str) -> str:
    """The registered function of a record: ``entmax`` for the extra case
    ``entmax[alpha=1.25]`` (benchmarks/_cases.py), the name itself otherwise."""
    return name.split("[", 1)[0]


def _case_params(name: str) -> str | None:
    """``alpha=1.25`` for ``entmax[alpha=1.25]`` (several: ``, ``-separated); ``None`` for a
    function's own record."""
    if "[" not in name:
        return None
    return name.split("[", 1)[1].removesuffix("]").replace(",", ", ")


def _title(name: str) -> str:
    """How headings, figures and sentences name a record: ``entmax (alpha=1.25)``."""
    params = _case_params(name)
    return name if params is None else f"{_base(name)} ({params})"


def _cell(name: str) -> str:
    """How a table's first column names a record: a case's parameters on a second, small line
    (that column never wraps)."""
    params = _case_params(name)
    return name if params is None else f"{_base(name)}<br><small>{params}</small>"


def _slug(name: str) -> str:
    """A file name for a record's figure: ``relu-negative_slope-0.1-threshold-0.5``."""
    return re.sub(r"[^A-Za-z0-9_.]+", "-", name).strip("-")


def _has_cases(names: Any) -> bool:
    return any(_case_params(n) is not None for n in names)


ACCURACY_CASES = (
    " A row that names parameters after the function is an extra case: that function with "
    "those parameters (the others at their defaults), compared with `jax.nn` or PyTorch only "
    "where it takes them all; its $f'$ is held to the relative bar near zeros of $f'$ too (the "
    "registry gives those of the defaults)."
)
"""The Accuracy page's method, where the results hold extra cases (benchmarks/_cases.py)."""
SPEED_CASES = (
    " A row that names parameters after the function is an extra case: that function with "
    "those parameters (the others at their defaults), timed against `jax.nn` where it takes "
    "them all, otherwise against `jaxact.relu`. `array(v)` is a parameter passed to the "
    "compiled function as an array argument, as a learned parameter is, not a number the "
    "compiler folds in: entmax with the number 1.5 is entmax15's exact threshold, with any "
    "other α, or with α an array, the bisection."
)
"""The Speed page's introduction, where the results hold extra cases."""
SPEED_RELU_CASES = " So are the extra cases with parameters that `jax.nn` does not take."


def _has_peer(name: str, lib: str) -> bool:
    """Whether ``lib`` (jax.nn or torch) has the function ``name`` (of an extra case: its
    registered function), by the registry."""
    import jaxact

    equivalents = jaxact.get(_base(name)).equivalents
    return bool(equivalents.jax if lib == "jax.nn" else equivalents.torch)


# -- accuracy ------------------------------------------------------------------------------


# Compact cells that never break a number (docs/assets/css/extra.css): wide tables fit the page.
NUMBERS_DIV = '<div class="jaxact-compare jaxact-numbers" markdown>'


def accuracy_table(results: dict[str, Any], dtype: str) -> str:
    """Function × library: max ULP of f and f′ and the count of non-finite results; *no
    peer* where the library lacks the function, – where it was not measured."""
    return _worst_table(results, dtype, {"f": "f", "df": f"f{PRIME}"})


def _worst_table(results: dict[str, Any], dtype: str, measures: dict[str, str]) -> str:
    """Function × library: the worst ULP of each of ``measures`` ({result key: column label},
    joined by " / ") and the non-finite results summed over them; *no peer* where the library
    lacks the function, – where it was not measured."""
    libs = results["libraries"]
    label = " / ".join(measures.values())
    head = "| function | " + " | ".join(f"{lib} {label} | {lib} non-finite" for lib in libs)
    lines = [head + " |", "|---|" + "---:|" * (2 * len(libs))]
    for name, entry in results["functions"].items():
        cells = []
        for lib in libs:
            e = entry["dtypes"][dtype].get(lib)
            if e is None:
                cells += ["–" if lib == "jaxact" or _has_peer(name, lib) else NO_PEER, "–"]
                continue
            worst = " / ".join(_ulp(e[w]["max_ulp"]) for w in measures)
            cells += [worst, str(sum(e[w]["nonfinite"] for w in measures))]
        lines.append(f"| {_cell(name)} | " + " | ".join(cells) + " |")
    return f"{NUMBERS_DIV}\n\n" + "\n".join(lines) + "\n\n</div>"


def accuracy_summary_table(results: dict[str, Any]) -> str:
    """Worst error per library and dtype over all functions."""
    lines = [
        f"| library | dtype | worst f (function) | worst f{PRIME} (function) | non-finite |",
        "|---|---|---:|---:|---:|",
    ]
    for lib in results["libraries"]:
        for d in DTYPES:
            s = results["summary"][lib][d]
            lines.append(
                f"| {lib} | {d} | {_ulp(s['f']['max_ulp'])} ({s['f']['function']}) | "
                f"{_ulp(s['df']['max_ulp'])} ({s['df']['function']}) | "
                f"{s['f']['nonfinite'] + s['df']['nonfinite']} |"
            )
    return "\n".join(lines)


# The accuracy figures are drawn at the width of the page's text column at 1280 px (Material:
# about 690 CSS px; an SVG's 1 in is 96 px), so they are shown unscaled there and their tick
# labels keep the size they are drawn at: 8 pt = 10.7 px. The tick labels are chosen so that
# none overlaps its neighbour at that size, and none is rotated.
ACCURACY_FIGSIZE = (7.2, 4.2)  # inches
ACCURACY_TICK_PT = 8.0
_ACCURACY_MARGINS = {"left": 0.9, "right": 0.3, "bottom": 0.78, "top": 0.3, "wspace": 0.75}
FLAT_ULP = 4.0
"""A panel whose every library stays within this error (and never gives inf or NaN) is a flat
band at the bottom of its 22-decade axis: such figures are collapsed on the page."""


def _bin_axis(
    centres: list[float], units_per_pt: float = 0.0, label_pt: float = ACCURACY_TICK_PT
) -> tuple[list[float], list[float], list[str]]:
    """Positions of the bins on the x axis, and decade ticks: one unit per bin.

    The harness makes its bins fine on 1e-3 <= |x| <= 1e3 and coarse beyond, so spacing the
    bins evenly magnifies the few decades where the errors differ without losing the far ones.
    Ticks are tried in order of interest (0, ±1, the largest decade, ±1e3, ±1e-3, the rest)
    and kept when their label, ``label_pt`` points tall and ``units_per_pt`` axis units per
    point wide, leaves a gap to every kept label.
    """
    n = len(centres) // 2
    positive = [math.log10(c) for c in centres[n:]]
    position = [i + 0.5 for i in range(n)]
    x = [-p for p in reversed(position)] + position

    def where(t: float) -> float:
        return math.copysign(float(np.interp(math.log10(abs(t)), positive, position)), t)

    top = positive[-1]
    step = 10 if top < 100 else 100
    far = [k for k in range(-int(-positive[0]) // step * step, int(top) + 1, step) if abs(k) > 3]
    decades = [0, max(far, default=3), 3, -3, *sorted(far, key=lambda k: -abs(k)), 1, -1, 2, -2]
    decades = [k for k in dict.fromkeys(decades) if positive[0] <= k <= top]

    def width(label: str) -> float:  # in axis units: DejaVu Sans digits are ~0.64 em wide
        return (0.64 * len(label) * label_pt) * units_per_pt

    ticks, labels = [0.0], ["0"]
    for k in decades:
        for sign in (1, -1):
            t = where(sign * 10.0**k)
            label = ("−" if sign < 0 else "") + ("1" if k == 0 else f"1e{k}")
            gap = 0.8 * label_pt * units_per_pt
            if all(
                abs(t - o) >= max(3.0, (width(label) + width(lo)) / 2 + gap)
                for o, lo in zip(ticks, labels, strict=True)
            ):
                ticks.append(t)
                labels.append(label)
    order = sorted(range(len(ticks)), key=ticks.__getitem__)
    return x, [ticks[i] for i in order], [labels[i] for i in order]


def is_flat(results: dict[str, Any], name: str, flat_ulp: float = FLAT_ULP) -> bool:
    """Whether every library stays within ``flat_ulp`` in f and f′, in every dtype, with no
    non-finite result: the figure of ``name`` would show flat lines only."""
    for entry in results["functions"][name]["dtypes"].values():
        for e in entry.values():
            for which in ("f", "df"):
                if e[which]["max_ulp"] > flat_ulp or e[which]["nonfinite"]:
                    return False
    return True


def accuracy_figure(results: dict[str, Any], name: str) -> bytes:
    """ULP error of f and f′ against x (log-scaled |x|, both signs), one line per library."""
    return _svg(accuracy_figure_object(results, name))


def accuracy_figure_object(results: dict[str, Any], name: str) -> Any:
    """The matplotlib Figure behind :func:`accuracy_figure` (tests read its tick sizes)."""
    with _style():
        return _accuracy_figure(results, name)


def _accuracy_figure(results: dict[str, Any], name: str) -> Any:
    entry = results["functions"][name]
    fig = _plt().figure(figsize=ACCURACY_FIGSIZE)
    axes = fig.subplots(2, 2, squeeze=False)
    width, height = ACCURACY_FIGSIZE
    m = _ACCURACY_MARGINS
    fig.subplots_adjust(
        left=m["left"] / width,
        right=1 - m["right"] / width,
        bottom=m["bottom"] / height,
        top=1 - m["top"] / height,
        wspace=m["wspace"] / ((width - m["left"] - m["right"] - m["wspace"]) / 2),
        hspace=0.45 / ((height - m["bottom"] - m["top"] - 0.45) / 2),
    )
    panel_pt = 72 * (width - m["left"] - m["right"] - m["wspace"]) / 2
    for col, dtype in enumerate(DTYPES):
        centres = results["grid"][dtype]["bin_centres"]
        u, ticks, labels = _bin_axis(centres, units_per_pt=len(centres) / panel_pt)
        for row, which in enumerate(("f", "df")):
            ax = axes[row][col]
            for lib in reversed(results["libraries"]):  # jaxact drawn last, on top
                e = entry["dtypes"][dtype].get(lib)
                if e is None:
                    continue
                ys = e[f"curve_{which}"]
                # Errors of 0 cannot be drawn on a log axis: show them at the bottom edge; huge
                # ones (overflowed derivatives, 1e304 ULP) are pinned at the top.
                ok = [
                    (ui, min(max(y, 1e-3), 1e18))
                    for ui, y in zip(u, ys, strict=True)
                    if y is not None
                ]
                bad = [ui for ui, y in zip(u, ys, strict=True) if y is None]
                ax.plot(*zip(*ok, strict=True), color=COLORS[lib], lw=1.0, label=lib)
                if bad:
                    ax.plot(bad, [3e17] * len(bad), "x", color=COLORS[lib], ms=5)
            ax.set_yscale("log")
            ax.set_ylim(5e-4, 1e19)
            ax.set_yticks([1e-3, 1, 1e6, 1e12, 1e18], ["≤0.001", "1", "1e6", "1e12", "1e18"])
            ax.minorticks_off()
            ax.set_xlim(u[0] - 1, u[-1] + 1)
            ax.set_xticks(ticks, labels)
            ax.tick_params(labelsize=ACCURACY_TICK_PT)
            ax.axhline(1.0, color="#888888", lw=0.5, ls=":")
            ax.grid(True, alpha=0.2)
            label = "f" if which == "f" else f"f{PRIME}"
            ax.set_title(f"{_base(name)}: {label}, {dtype}", fontsize=9)
            if col == 0:
                ax.set_ylabel("error (ULP)", fontsize=9)
    handles, names = axes[0][0].get_legend_handles_labels()
    fig.legend(handles[::-1], names[::-1], fontsize=9, loc="lower right", ncols=len(names))
    fig.text(
        m["left"] / width,
        0.1 / height,
        "x: log-scaled |x|, both signs\n× at the top: inf or NaN where the truth is finite",
        fontsize=8,
        va="bottom",
    )
    return fig


def _flat_block(results: dict[str, Any], names: list[str], rels: list[str]) -> list[str]:
    """Markdown of the flat figures: named, and folded into one collapsed block."""
    if not names:
        return []
    lines = [
        f"### Within {FLAT_ULP:g} ULP everywhere",
        "",
        f"For {', '.join(map(_title, names))}, every library stays within {FLAT_ULP:g} ULP in f "
        f"and f{PRIME}, in float32 and float64, with no inf or NaN: their figures show flat lines "
        "only.",
        "",
        f'??? note "The figures of {", ".join(map(_title, names))} (flat lines)"',
        "",
    ]
    for name, rel in zip(names, rels, strict=True):
        lines += [f"    ![ULP error of {_title(name)} and its derivative]({rel})", ""]
    return lines


def subnormal_section() -> list[str]:
    """What jaxact gives for subnormal inputs, on CPU and on GPU (tests/test_kinks.py)."""
    return [
        "## Subnormal inputs",
        "",
        "Numbers below the smallest normal one ($2^{-126} \\approx 1.2\\cdot 10^{-38}$ in "
        "float32, $2^{-1022} \\approx 2.2\\cdot 10^{-308}$ in float64) are *subnormal*. XLA on "
        "CPU reads them as 0, in arithmetic and in comparisons, and flushes subnormal results "
        "to 0. For a subnormal input $x$ jaxact gives:",
        "",
        "- **on CPU, the branch and slope of $x$'s own sign.** Every comparison that picks a "
        "branch or a kink convention compares bit patterns (integers are not flushed): "
        "relu$'(2^{-149}) = 1$, leaky_relu$'(-2^{-149})$ is the slope, selu$'(2^{-149}) = "
        "\\lambda$ (not $\\lambda\\alpha$, the slope at 0), binary_step$(-2^{-149}) = 0$, and "
        "hard_shrink and soft_shrink with $\\lambda = 0$ keep the slope 1. Tested for every "
        "function at the smallest and largest subnormal of each sign, float32 and float64, "
        "inside `jit`.",
        "- **on CPU, values within the accuracy floor:** a result below the smallest normal "
        "number may come back as 0 (relu$(2^{-149}) = 0$) or as $x$ itself where a branch "
        "passes $x$ through (leaky_relu$(2^{-149}) = 2^{-149}$).",
        "- **subnormal parameters** read as 0 on CPU too: celu's $\\alpha$ is taken as the "
        "smallest normal number (it divides $x$); squareplus with a subnormal $b$ is computed "
        "as ReLU ($b = 0$), off by up to $\\sqrt{b}/2$ near 0.",
        "- **on GPU** XLA keeps subnormal numbers by default (its `xla_gpu_ftz` option is "
        "off): values keep them, and the branches are the ones above. (Stated from XLA's "
        "defaults, not measured on a GPU for this page.)",
        "",
    ]


# -- accuracy of the vector-valued functions (benchmarks/vector_accuracy.py) -----------------

VECTOR_HEADING = "Vector-valued functions"
VECTOR_ROWS = (
    "The vector-valued functions (and their extra cases) map a row to a row, so they are "
    "measured on rows, float32 and float64, of {widths} entries, drawn with fixed seeds in five "
    "families: standard normal entries times one of {scales}; the same plus one of {offsets} "
    "(float32) or {offsets64} (float64); one entry {gap} (float32) or {gap64} (float64) above "
    "the others; "
    "entries repeated within the row; and {share} % of the entries masked (−inf, +inf for "
    "softmin) where the function takes masked entries."
)
"""The vector section's rows, filled from the results' settings (an English template)."""
VECTOR_METHOD = (
    "f is scored over every output entry. J: every entry of the full Jacobian (`jax.jacrev`; "
    "PyTorch: one backward pass per output) on the rows of up to {k} entries, by the rule above. "
    "VJP: every entry of $c^\\top J$ for a fixed random cotangent $c$ per row (`jax.vjp`; "
    "PyTorch: `backward`), in ULP of $\\max(|\\mathrm{{exact}}|, \\sum_k |c_k J_{{ki}}|)$, "
    "the size of the terms it sums: a cotangent can cancel an entry to any small value, and "
    "no library's rounded Jacobian keeps the digits of that difference. Within 0.5 of an "
    "interior zero of a GLU gate's derivative, an entry's floor is the 0.25 above times "
    "$|a_k|$ in J and $|c_k a_k|$ in the VJP ($a_k$: the entry of the value half). The "
    "cotangent is 0 on "
    "an output whose exact value is infinite (log_softmax of a masked entry), and those rows "
    "of J are not scored. Exact values and derivatives: mpmath with {n} significant digits."
)
"""How the vector section scores f, J and the VJP (an English template)."""


def _list(values: list[Any]) -> str:
    return ", ".join(f"{v:g}" for v in values)


def _powers(values: list[float]) -> str:
    return ", ".join(f"$10^{{{round(math.log10(v))}}}$" for v in values)


def vector_table(results: dict[str, Any], dtype: str) -> str:
    """Function × library: worst ULP of f, of the Jacobian and of the VJP, and the count of
    non-finite results; *no peer* where the library lacks the function."""
    return _worst_table(results, dtype, {"f": "f", "jac": "J", "vjp": "VJP"})


def vector_section(results: dict[str, Any]) -> list[str]:
    """The Accuracy page's section on the vector-valued functions: their rows, the method,
    where the numbers come from, and one table per dtype."""
    s = results["settings"]
    rows = VECTOR_ROWS.format(
        widths=_list(s["widths"]),
        scales=_list(s["scales"]),
        offsets=_powers(s["offsets"]["float32"]),
        offsets64=_powers(s["offsets"]["float64"]),
        gap="–".join(f"{v:g}" for v in s["gaps"]["float32"]),
        gap64="–".join(f"{v:g}" for v in s["gaps"]["float64"]),
        share=f"{100 * s['masked_share']:g}",
    )
    method = VECTOR_METHOD.format(k=s["jacobian_max_width"], n=s["dps"])
    parts = [f"## {VECTOR_HEADING}", "", rows, "", method, "", _provenance(results, s["command"])]
    parts.append("")
    for dtype in DTYPES:
        table = vector_table(results, dtype).replace("\n", "\n    ")
        parts += [f'=== "{dtype}"', "", f"    {table}", ""]
    return parts


def accuracy_page(
    results: dict[str, Any], vector: dict[str, Any] | None = None
) -> tuple[str, dict[str, bytes]]:
    """Markdown of the Accuracy page and its figures (paths under ``docs/``); ``vector``: the
    results of the vector-valued functions, if any."""
    figures = {
        f"{FIGURE_DIR}/accuracy-{_slug(name)}.svg": accuracy_figure(results, name)
        for name in results["functions"]
    }
    return accuracy_markdown(results, vector), figures


def accuracy_markdown(results: dict[str, Any], vector: dict[str, Any] | None = None) -> str:
    """The Accuracy page: the summary table first; the method follows it, then the tables per
    dtype, the vector-valued functions' tables and the figures (the flat ones folded away)."""
    settings = results["settings"]
    parts = [
        "# Accuracy",
        "",
        "How far each library's value $f(x)$ and derivative $f'(x)$ are from the exact values, "
        "in units in the last place (ULP; a correctly rounded result is within 0.5), over "
        "inputs spanning all finite numbers of each dtype. The method and the tables per "
        "function follow the summary.",
        "",
        "## Worst case per library",
        "",
        accuracy_summary_table(results),
        "",
        "## Method",
        "",
        "The exact values are computed by mpmath with "
        f"{settings['dps']} significant digits, for every elementwise activation of jaxact "
        f"(*{NO_PEER}*: `jax.nn` or PyTorch has no such function; jaxact is then measured "
        "alone, against the same exact values), over "
        f"{results['grid']['float32']['points']} float32 and "
        f"{results['grid']['float64']['points']} float64 points: a dense grid on "
        "$[-40, 40]$ and log-spaced magnitudes from the smallest normal number to the largest "
        "finite one, both signs.",
        "",
        "The error is measured in units in the last place:",
        "",
        "$$\\mathrm{err}(x) = \\frac{|\\mathrm{got} - \\mathrm{exact}|}"
        "{\\mathrm{ulp}(\\max(|\\mathrm{exact}|, \\mathrm{floor}))}$$",
        "",
        "with floor $2^{-100}$ in float32 and $2^{-960}$ in float64 (results that small are "
        "flushed to zero by XLA on CPU), and $0.25$ within $0.5$ of an interior zero of $f'$ "
        "or of $f$ (away from 0). "
        "A correctly rounded result has error at most 0.5. *Non-finite* counts results that "
        "are inf or NaN where the true value, rounded to the dtype, is finite. Inputs where "
        "the truth overflows the dtype are not scored, nor derivatives at kinks (relu at 0: "
        "a convention, stated on each function's page). $f'$ is `jax.grad` for jaxact and "
        "`jax.nn`, autograd for PyTorch; every library is called with jaxact's default "
        "parameters where it takes the same parameter (PyTorch modules keep their own "
        "otherwise, such as Softplus's threshold)."
        + (ACCURACY_CASES if _has_cases(results["functions"]) else ""),
        "",
        _provenance(results, settings["command"]),
        "",
        *subnormal_section(),
    ]
    parts += ["## Per function", ""]
    for dtype in DTYPES:  # one tab per dtype
        table = accuracy_table(results, dtype).replace("\n", "\n    ")
        parts += [f'=== "{dtype}"', "", f"    {table}", ""]
    if vector is not None:
        parts += vector_section(vector)
    parts += [
        "## Error against x",
        "",
        "One figure per function: the largest error in each bin of inputs, f above and "
        f"f{PRIME} below, float32 left and float64 right. Functions where every library stays "
        f"within {FLAT_ULP:g} ULP everywhere are listed last, their figures folded away.",
        "",
    ]
    flat: list[str] = []
    for name in results["functions"]:
        path = f"{FIGURE_DIR}/accuracy-{_slug(name)}.svg"
        if is_flat(results, name):
            flat.append(name)
        else:
            rel = os.path.relpath(path, PAGE_DIR)
            title = _title(name)
            parts += [f"### {title}", "", f"![ULP error of {title} and its derivative]({rel})", ""]
    rels = [os.path.relpath(f"{FIGURE_DIR}/accuracy-{_slug(n)}.svg", PAGE_DIR) for n in flat]
    parts += _flat_block(results, flat, rels)
    return "\n".join(parts)


# -- speed ---------------------------------------------------------------------------------


def _size_tex(n: int) -> str:
    return f"2^{{{int(math.log2(n))}}}"


def _size_md(n: int) -> str:
    return f"${_size_tex(n)}$"


_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def _size_heading(n: int) -> str:
    """``2²⁰``: a heading carries no math (the table of contents would show its TeX source)."""
    return "2" + str(int(math.log2(n))).translate(_SUPERSCRIPT)


def speed_summary_table(results: dict[str, Any]) -> str:
    """Median and worst ratio jaxact / jax.nn over functions, per size and mode."""
    s = results["summary"]
    lines = ["| size | mode | median jaxact / jax.nn | worst (function) |", "|---|---|---:|---:|"]
    for mode, by_size in s["median_ratio_vs_jax"].items():
        for size, median in by_size.items():
            worst = s["max_ratio_vs_jax"][mode][size]
            lines.append(
                f"| {_size_md(int(size))} | {mode} | {median:.2f}× | "
                f"{worst['ratio']:.2f}× ({worst['function']}) |"
            )
    return "\n".join(lines)


SPEED_LIMIT = 1.15
"""The most jaxact / jax.nn may be (the project's speed target is 1.0, its limit 1.15)."""


def speed_outliers(results: dict[str, Any], limit: float = SPEED_LIMIT) -> list[dict[str, Any]]:
    """The results (function, size, mode) whose median jaxact / jax.nn ratio exceeds ``limit``."""
    return [r for r in _vs_jax(results) if r["ratio_vs_jax"]["median"] > limit]


def _vs_jax(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The records of functions jax.nn has (timed against it)."""
    return [r for r in results["results"] if "ratio_vs_jax" in r]


def _vs_relu(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The records of functions jax.nn lacks (timed against jaxact.relu)."""
    return [r for r in results["results"] if "ratio_vs_relu" in r]


def _with_conventions() -> list[str]:
    """The activations whose page has a Conventions section."""
    import jaxact

    return [name for name in jaxact.names() if jaxact.get(name).conventions]


def speed_outlier_section(results: dict[str, Any], limit: float = SPEED_LIMIT) -> list[str]:
    """Markdown lines: every ratio above ``limit``, next to identity's at the same size and
    mode (the same compiled program in both libraries: its distance from 1 is the noise)."""
    percent = round(100 * (limit - 1))
    lines = [f"## More than {percent} % slower than jax.nn", ""]
    rows = speed_outliers(results, limit)
    if not rows:
        return lines + [f"No function is more than {percent} % slower than jax.nn.", ""]
    noise = {
        (r["size"], r["mode"]): r["ratio_vs_jax"]["median"]
        for r in results["results"]
        if r["function"] == "identity"
    }
    lines += [
        "The ratios above the limit. `identity` compiles to the same program in both "
        "libraries, so its ratio at the same size and mode shows how far timing noise alone "
        "moves a ratio from 1. Where a function is slower by design, its page says under "
        "*Conventions* what the extra work buys.",
        "",
        "| function | size | mode | jaxact / jax.nn | identity (noise) |",
        "|---|---|---|---:|---:|",
    ]
    with_conventions = _with_conventions()
    for r in rows:
        name, key = r["function"], (r["size"], r["mode"])
        ident = f"{noise[key]:.2f}×" if key in noise else "–"
        anchor = "#conventions" if _base(name) in with_conventions else ""
        lines.append(
            f"| [{_cell(name)}](../functions/{_base(name)}.md{anchor}) | {_size_md(r['size'])} | "
            f"{r['mode']} | {r['ratio_vs_jax']['median']:.2f}× | {ident} |"
        )
    return lines + [""]


def speed_table(results: dict[str, Any], size: int) -> str:
    """Per function at one size: ratios to jax.nn (with IQR; *no peer* where jax.nn lacks the
    function), to torch and to ``x * c``."""
    has_torch = "torch" in results["libraries"]
    head = "| function | mode | jaxact / jax.nn | IQR | jaxact GB/s | jaxact / ref | jax.nn / ref |"
    if has_torch:
        head += " torch / ref | jaxact / torch |"
    lines = [head, "|---|---|---:|---|---:|---:|---:|" + ("---:|---:|" if has_torch else "")]
    for r in results["results"]:
        if r["size"] != size:
            continue
        q = r.get("ratio_vs_jax")
        ref = r["ratio_vs_reference"]
        versus = f"{q['median']:.2f}× | {q['q25']:.2f}–{q['q75']:.2f}" if q else f"{NO_PEER} | –"
        theirs = f"{ref['jax.nn']['median']:.1f}" if q else NO_PEER
        row = (
            f"| {_cell(r['function'])} | {r['mode']} | {versus} | {r['gb_per_s']['jaxact']:.1f} | "
            f"{ref['jaxact']['median']:.1f} | {theirs} |"
        )
        if has_torch:
            t_ref = ref.get("torch", {}).get("median")
            t = r.get("ratio_vs_torch", {}).get("median")
            missing = "–" if _has_peer(r["function"], "torch") else NO_PEER
            row += f" {missing if t_ref is None else f'{t_ref:.1f}'} |"
            row += f" {missing if t is None else f'{t:.2f}×'} |"
        lines.append(row)
    return "\n".join(lines)


def speed_relu_section(results: dict[str, Any]) -> list[str]:
    """Markdown lines: the functions jax.nn lacks, timed against ``jaxact.relu`` (the cheapest
    activation) at every size: how much dearer each is than a ReLU."""
    rows = _vs_relu(results)
    if not rows:
        return []
    lines = [
        "## Functions jax.nn lacks",
        "",
        f"These have *{NO_PEER}* in the `jax.nn` columns. Each is timed instead against "
        "`jaxact.relu` in the same interleaved repetitions: the ratio says how much dearer "
        "than a ReLU of the same input it is (vector-valued ones with fewer outputs, such as "
        "glu's halves, can be cheaper)."
        + (SPEED_RELU_CASES if any(_has_peer(r["function"], "jax.nn") for r in rows) else ""),
        "",
        "| function | size | mode | jaxact / jaxact.relu | IQR | jaxact / ref |",
        "|---|---|---|---:|---|---:|",
    ]
    for r in rows:
        q = r["ratio_vs_relu"]
        lines.append(
            f"| {_cell(r['function'])} | {_size_md(r['size'])} | {r['mode']} | "
            f"{q['median']:.2f}× | {q['q25']:.2f}–{q['q75']:.2f} | "
            f"{r['ratio_vs_reference']['jaxact']['median']:.1f} |"
        )
    return lines + [""]


def speed_figure(results: dict[str, Any]) -> bytes:
    """Bar chart: jaxact / jax.nn per function, one bar per size, forward and forward+backward."""
    with _style():
        return _speed_figure(results)


def _speed_figure(results: dict[str, Any]) -> bytes:
    sizes = results["settings"]["sizes"]
    ratio = {(r["function"], r["size"], r["mode"]): r["ratio_vs_jax"] for r in _vs_jax(results)}
    functions = [f for f in results["functions"] if any(k[0] == f for k in ratio)]
    modes = ("forward", "forward+backward")
    height = 0.8 / len(sizes)
    fig, axes = _plt().subplots(1, 2, figsize=(10, 0.32 * len(functions) + 1.5), sharey=True)
    for ax, mode in zip(axes, modes, strict=True):
        for k, size in enumerate(sizes):
            ys = [i + (k - (len(sizes) - 1) / 2) * height for i in range(len(functions))]
            qs = [ratio.get((f, size, mode)) for f in functions]
            med = [q["median"] if q else 0 for q in qs]
            err = [
                [q["median"] - q["q25"] if q else 0 for q in qs],
                [q["q75"] - q["median"] if q else 0 for q in qs],
            ]
            shade = 0.35 + 0.65 * (k + 1) / len(sizes)
            ax.barh(ys, med, height=height, xerr=err, color=(0.12, 0.47, 0.71, shade),
                    error_kw={"lw": 0.6}, label=f"${_size_tex(size)}$ values")  # fmt: skip
        ax.axvline(1.0, color="#888888", lw=0.8)
        ax.axvline(1.15, color="#888888", lw=0.6, ls="--")
        ax.set_title(mode)
        ax.set_xlabel("time ratio jaxact / jax.nn (lower is faster)")
        ax.grid(True, axis="x", alpha=0.3)
    axes[0].set_yticks(range(len(functions)), [_title(f) for f in functions])
    axes[0].invert_yaxis()
    # Above the panels: inside one, it covered the ends of the bottom rows' bars.
    handles, labels = axes[1].get_legend_handles_labels()
    top = 1 - 0.45 / fig.get_size_inches()[1]  # room for one row of legend (inches → fraction)
    fig.legend(handles, labels, fontsize=9, loc="upper center", ncols=len(labels))
    fig.tight_layout(rect=(0, 0, 1, top))
    return _svg(fig)


def speed_page(results: dict[str, Any]) -> tuple[str, dict[str, bytes]]:
    """Markdown of the Speed page and its bar chart (paths under ``docs/``)."""
    sizes = results["settings"]["sizes"]
    path = f"{FIGURE_DIR}/speed-ratios.svg"
    figures = {path: speed_figure(results)}
    parts = [
        "---",
        "hide:",
        "  - toc  # the per-size tables need the width",
        "---",
        "",
        "# Speed",
        "",
        "Accuracy must not cost speed. For every activation of jaxact, "
        "the jitted forward pass and the forward and backward pass (`jax.vjp`: the output and "
        "the gradient with respect to the input) are timed on "
        + ", ".join(_size_md(n) for n in sizes)
        + " float32 values, against `jax.nn` (where it lacks the function, *no peer*: against "
        "`jaxact.relu`, in a table of their own below)"
        + (" and PyTorch on CPU" if "torch" in results["libraries"] else "")
        + ", and against a memory-bound reference, the jitted `x * c` of the same size "
        "(*ref*): a ratio to it near 1 (forward) or 2 (forward and backward, twice the bytes) "
        "means the function runs at the memory-bandwidth limit; GB/s counts the bytes that "
        "must move at least once (input and output, plus cotangent and gradient). "
        "Ratios below 1 in the "
        "jaxact / jax.nn column mean jaxact is faster. Functions with parameters use their "
        "defaults." + (SPEED_CASES if _has_cases(results["functions"]) else ""),
        "",
        "Method: after a warm-up, every repetition times each library once, in a rotating "
        "order; each ratio is the median over repetitions of the paired per-repetition ratio, "
        "with its interquartile range (IQR). " + results["notes"],
        "",
        _provenance(results, results["settings"]["command"]),
        "",
        "## Summary",
        "",
        speed_summary_table(results),
        "",
        f"![jaxact / jax.nn time ratio per function]({os.path.relpath(path, PAGE_DIR)})",
        "",
        *speed_outlier_section(results),
        *speed_relu_section(results),
    ]
    for size in sizes:
        table = speed_table(results, size)
        parts += [f"## {_size_heading(size)} values", "", NUMBERS_DIV, ""]
        parts += [table, "", "</div>", ""]
    return "\n".join(parts), figures


def generate_pages(
    results_dir: str = RESULTS_DIR, cache_dir: str | None = CACHE_DIR
) -> dict[str, str | bytes]:
    """Both pages and their figures: ``{path under docs/: content}``.

    Drawing ~40 figures takes tens of seconds, so the output is cached on disk, keyed on the
    results files and this module's source: ``mkdocs serve`` rebuilds stay fast, and a new
    results file or an edited generator redraws everything.
    """
    digest = hashlib.sha256(Path(__file__).read_bytes())
    vector_path = Path(results_dir, f"{VECTOR_KIND}.json")
    for kind in ("accuracy", "speed"):
        digest.update(Path(results_dir, f"{kind}.json").read_bytes())
    if vector_path.exists():
        digest.update(vector_path.read_bytes())
    digest.update(repr(_with_conventions()).encode())  # the Speed page links to those sections
    cached = None if cache_dir is None else Path(cache_dir, digest.hexdigest()[:24])
    if cached is not None and (cached / "manifest.json").exists():
        manifest = json.loads((cached / "manifest.json").read_text())
        return {
            path: (cached / str(i)).read_bytes() if binary else (cached / str(i)).read_text()
            for i, (path, binary) in enumerate(manifest)
        }
    files: dict[str, str | bytes] = {}
    vector = load_results(VECTOR_KIND, results_dir) if vector_path.exists() else None
    pages = (("accuracy", lambda r: accuracy_page(r, vector)), ("speed", speed_page))
    for kind, page in pages:
        markdown, figures = page(load_results(kind, results_dir))
        files[f"{PAGE_DIR}/{kind}.md"] = markdown
        files.update(figures)
    if cached is not None:
        cached.mkdir(parents=True, exist_ok=True)
        for i, content in enumerate(files.values()):
            target = cached / str(i)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content)
        manifest = [[path, isinstance(c, bytes)] for path, c in files.items()]
        (cached / "manifest.json").write_text(json.dumps(manifest))
    return files
