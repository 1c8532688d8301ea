"""The generated pages of every registered activation: one page each, the overview, the API.

Reads only jaxact's public registry (``jaxact.specs()``). Run as a script it writes every
generated file under an output folder plus ``manifest.json``; ``docsgen.hooks`` runs it in a
subprocess so that ``mkdocs serve`` always sees the current library, never a stale import::

    python -m docsgen.function_pages OUT_DIR
"""

from __future__ import annotations

import importlib
import inspect
import json
import math
import re
import sys
import time
from pathlib import Path
from typing import Any

import jax.numpy as jnp
import numpy as np

import jaxact
from docsgen import plots, vector_figures
from docsgen._layout import NOTEBOOK_GLOBS, PROPERTY_COLUMNS
from docsgen.convention_math import render_convention
from docsgen.floating_point import floating_point_section
from jaxact._registry import FAMILY_TITLES

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
NOTES = DOCS / "_notes"
SPEED_RESULTS = ROOT / "benchmarks" / "results" / "speed.json"


def speed_ratios(results: dict[str, Any]) -> tuple[dict[str, float], int]:
    """``({name: forward time / relu's forward time}, size)`` from the speed benchmark.

    The smallest array size is used: at the larger ones memory traffic dominates and every
    ratio tends to 1. Times are jaxact's medians on the benchmark's machine; a function jax.nn
    lacks was timed against relu in the same repetitions (``ratio_vs_relu``), and that paired
    ratio is used, not times from two runs under different load. The extra cases with other
    parameters (``entmax[alpha=1.25]``, benchmarks/_cases.py) are left out: the pages give the
    defaults' time.
    """
    size = min(results["settings"]["sizes"])
    forward = [
        r
        for r in results["results"]
        if r["mode"] == "forward" and r["size"] == size and "[" not in r["function"]
    ]
    relu = next(r["times_s"]["jaxact"]["median"] for r in forward if r["function"] == "relu")
    return {
        r["function"]: r["ratio_vs_relu"]["median"]
        if "ratio_vs_relu" in r
        else r["times_s"]["jaxact"]["median"] / relu
        for r in forward
    }, size


def time_cell(ratio: float | None) -> str:
    """``4.2×`` (forward time relative to relu), or ``–`` when the function was not timed."""
    return "–" if ratio is None else f"{ratio:.1f}×"


def yes_no(value: bool | None) -> str:
    return "–" if value is None else ("yes" if value else "no")


def smoothness_cell(value: str | None) -> str:
    """``C0`` -> $C^0$, ``Cinf`` -> $C^\\infty$ (KaTeX), other values as they are."""
    if value is None:
        return "–"
    match = re.fullmatch(r"C(\d+|inf)", value)
    if match is None:
        return value
    order = "\\infty" if match.group(1) == "inf" else match.group(1)
    return f"$C^{order}$"


def property_cells(spec: Any, timing: str) -> list[str]:
    """The comparison-table cells of ``spec``, in ``PROPERTY_COLUMNS`` order."""
    rng = spec.output_range
    bounded = yes_no(rng.bounded_below and rng.bounded_above)
    return [
        f"${rng.to_latex()}$",
        yes_no(spec.monotonic),
        smoothness_cell(spec.smoothness),
        bounded,
        yes_no(spec.zero_at_zero),
        yes_no(spec.zero_centred),
        yes_no(spec.left_saturating),
        yes_no(spec.right_saturating),
        timing,
    ]


def _number(v: Any) -> str:
    if isinstance(v, float) and math.isinf(v):
        return "∞" if v > 0 else "−∞"
    return str(v)


def _valid(p: Any) -> str:
    if p.valid is None:
        return "any"
    if isinstance(p.valid, str):
        return p.valid
    if isinstance(p.valid, tuple):
        return ", ".join(f"`{v!r}`" for v in p.valid)
    return f"${p.valid.to_latex()}$"


_LONG_ARGUMENT = 40
"""Characters: a default longer than this is left out of the usage example's call."""


def example(spec: Any) -> tuple[str, str]:
    """The usage example's code and its printed output, computed now by running jaxact."""
    kwargs = plots.call_arguments(spec)
    # Each argument is written out (the reader sees the parameters), except a long default that
    # the function takes anyway (pau's coefficient tuples): the line must fit the code block.
    required = {p.name for p in spec.params if p.required}
    args = "".join(
        f", {k}={v!r}" for k, v in kwargs.items() if k in required or len(repr(v)) <= _LONG_ARGUMENT
    )
    values = ", ".join(repr(float(v)) for v in spec.example_input)
    code = (
        "import jax.numpy as jnp\nimport jaxact\n\n"
        f"x = jnp.array([{values}])\nprint(jaxact.{spec.name}(x{args}))"
    )
    out = spec.fn(jnp.asarray(spec.example_input, dtype=jnp.float32), **kwargs)
    return code, str(np.asarray(out))


def notebooks_using(spec: Any) -> list[tuple[str, str]]:
    """``(title, path under docs/)`` of the notebooks that call this function or link to it.

    Notebooks often pick activations by name (``getattr(jaxact, a)``) but always link to the
    pages of the functions they use, so either counts.
    """
    names = "|".join(map(re.escape, spec.all_names))
    pattern = re.compile(rf"jaxact\.({names})\b|functions/({names})/")
    found = []
    for glob in NOTEBOOK_GLOBS:
        for path in sorted(DOCS.glob(glob)):
            source = path.read_text()
            if pattern.search(source):
                title = re.search(r"^# # (.+)$", source, re.M)
                found.append((title.group(1) if title else path.stem, str(path.relative_to(DOCS))))
    return found


def layers_wrapping() -> dict[str, list[tuple[str, str, str, bool]]]:
    """``{function name: [(library, layer's dotted name, its API page under docs/, variant)]}``.

    Nothing is listed here: the hand-written API pages (``docs/api/*.md``) name the layer
    modules (``::: jaxact.flax``), and each layer class declares the registered functions it
    computes in its ``functions`` attribute. ``variant`` is true when the layer picks one of
    them through a ``variant`` argument (the GLU block).
    """
    found: dict[str, list[tuple[str, str, str, bool]]] = {}
    for page in sorted((DOCS / "api").glob("*.md")):
        if page.name == "functions.md" or page.name.endswith(".zh.md"):  # generated; Chinese
            continue
        for module_name in re.findall(r"^::: (jaxact(?:\.\w+)+)\s*$", page.read_text(), re.M):
            module = importlib.import_module(module_name)
            first = (module.__doc__ or "").strip().splitlines()[0]
            library = first.split(" layers")[0] if " layers" in first else module_name
            for attr in getattr(module, "__all__", ()):
                layer = getattr(module, attr)
                has_variant = "variant" in inspect.signature(layer.__init__).parameters
                for fn in getattr(layer, "functions", ()):
                    entry = (library, f"{module_name}.{attr}", str(page.relative_to(DOCS)))
                    found.setdefault(jaxact.get(fn).name, []).append((*entry, has_variant))
    return found


def model_section(spec: Any, layers: list[tuple[str, str, str, bool]]) -> list[str]:
    """The "In a model" section: the layers that learn this function's parameters."""
    if not layers:
        return []
    lines = [
        "## In a model",
        "",
        "As a layer that draws its random slopes as the library's dropout does:"
        if spec.stochastic
        else "As a layer whose parameters are trained with the rest of the model:",
        "",
        "| library | layer |",
        "|---|---|",
    ]
    for library, dotted, page, has_variant in layers:
        variant = f' with `variant="{spec.name}"`' if has_variant else ""
        lines.append(f"| {library} | [`{dotted}`](../{page}#{dotted}){variant} |")
    lines += ["", "Worked examples: [Using jaxact in models](../guide/models.py).", ""]
    return lines


def _power_of_ten(v: float) -> str:
    """``0.000473`` -> ``4.7·10⁻⁴`` (plain text: no math on the page for one number)."""
    if v == 0:
        return "0"
    power = math.floor(math.log10(abs(v)))
    return f"{v / 10.0**power:.2g}·10{plots.superscript(power)}"


def family_caption(spec: Any, gaps: dict[Any, tuple[float, float]]) -> str:
    """The sentence under a family plot whose curves coincide (``plots.family_differences``)."""
    param = plots.family_param(spec)
    ref = f"`{param.name} = {param.plot_values[0]!r}`"
    parts = [
        f"`{param.name} = {value!r}` differs from {ref} by at most {_power_of_ten(df)} in f "
        f"and {_power_of_ten(ddf)} in f′"
        for value, (df, ddf) in gaps.items()
    ]
    return (
        "Some of these curves lie on top of each other: over the plotted range, "
        + "; ".join(parts)
        + ". The lower panels show the differences (f′ from `jax.grad`)."
    )


DEFAULTS_NOTE = "The properties above are those at the default parameters: {values}."


def _properties_note(spec: Any, timing: str, size: int) -> str:
    """The sentence under a page's property table: what the time is, what each "–" means."""
    parts = []
    if timing == "–":
        parts.append(f"Time vs relu: – means {NOT_TIMED}.")
    else:
        parts.append(
            f"Time vs relu: jaxact's forward pass on {_size_text(size)} float32 values, divided "
            "by relu's, on the machine of the [Speed](../benchmarks/speed.md) page (CPU)."
        )
    if not spec.elementwise:
        parts.append(f"The other – cells: the property {NOT_APPLICABLE}.")
    return " ".join(parts)


def _size_text(size: int) -> str:
    """``2²⁰`` for powers of two, else the number."""
    power = size.bit_length() - 1
    return f"2{plots.superscript(power)}" if size == 1 << power else f"{size:,}"


def _reference_list(title: str, references: tuple[Any, ...]) -> list[str]:
    if not references:
        return []
    lines = [f"## {title}", ""]
    for r in references:
        link = f" <{r.url}>" if r.url else ""
        lines.append(f"- {r}{link}")
    return [*lines, ""]


SAME_DERIVATIVE = (
    "Every value of {param} gives the same f′ (the derivative plot above), so only f is drawn "
    "for several values."
)
# Under a family plot drawn with nested widths (``plots.family_widths``).
FAMILY_BANDS = (
    "The curves get thinner in the order of the legend: where they coincide, each earlier value "
    "shows as a band around the later ones."
)
NOT_TIMED = "not timed yet (`python -m benchmarks --functions <name> --update` adds its rows)"
NOT_APPLICABLE = "does not apply to a vector-valued function"


def function_page(
    spec: Any,
    timing: str,
    has_family: bool,
    layers: list[tuple[str, str, str, bool]] = (),
    family_gaps: dict[Any, tuple[float, float]] | None = None,
    timed_size: int = 1 << 20,
    kind_figures: list[tuple[str, str, bool]] = (),
    derivative_family: bool = True,
) -> str:
    """The Markdown of ``functions/<name>.md``; ``timing`` is its `time_cell`; ``kind_figures``
    lists ``(key, alt text, wide)`` of the figures drawn for a vector function's kind
    (``docsgen.vector_figures``); ``derivative_family`` is false where every value of the
    family parameter gives the same f′ (``plots.same_derivative``): no f′ family plot then."""
    n = spec.name
    notes_file = NOTES / f"{n}.md"
    front, notes = _front_matter(notes_file.read_text() if notes_file.exists() else "")
    lines = [*front, f"# {spec.display_name}", ""]
    if spec.aliases:
        lines += ["Also known as: " + ", ".join(f"`jaxact.{a}`" for a in spec.aliases), ""]
    lines += [spec.summary, "", f"$$\n{spec.formula}\n$$", "", "Derivative:", ""]
    lines += [f"$$\n{spec.derivative}\n$$", ""]
    if kind_figures:
        # A wide figure (several panels) gets a line of its own; the others pair up.
        pairs = [(k, a) for k, a, wide in kind_figures if not wide]
        for key, alt, _ in (f for f in kind_figures if f[2]):
            lines += [f"![{alt}](../assets/figures/functions/{n}-{key}.svg)", ""]
        if len(pairs) == 1:  # alone: its own size, not stretched to the column
            lines += [f"![{pairs[0][1]}](../assets/figures/functions/{n}-{pairs[0][0]}.svg)", ""]
        elif pairs:
            lines += ['<div class="jaxact-plots" markdown>']
            lines += [f"![{alt}](../assets/figures/functions/{n}-{key}.svg)" for key, alt in pairs]
            lines += ["</div>", ""]
        lines += [vector_figures.caption(spec), ""]
    if not spec.elementwise:
        same = ""
        if spec.two_class:
            same = (
                f" With two entries it is an elementwise function of their difference, "
                f"`{vector_figures.two_class_statement(spec)}`: the first plot draws both "
                "(computed by both functions; the tests check the identity)."
            )
        lines += [
            f"Vector-valued: the two plots below follow one coordinate, the first output "
            f"`{n}({plots.slice_label(spec)})[0]` as x varies, and its derivative in x "
            f"(`jax.grad` of that curve).{same}",
            "",
        ]
    lines += [
        '<div class="jaxact-plots" markdown>',
        f"![Graph of {n}](../assets/figures/functions/{n}.svg)",
        f"![Graph of the derivative of {n}](../assets/figures/functions/{n}-derivative.svg)",
        "</div>",
        "",
    ]
    if spec.params:
        # In a div whose first column never wraps (extra.css): on a phone "`alpha` (α)" broke
        # between the name and its symbol, and even inside "(α)".
        lines += ["## Parameters", "", '<div class="jaxact-params" markdown>', ""]
        lines += ["| name | default | valid | meaning |", "|---|---|---|---|"]
        for p in spec.params:
            symbol = f" (${p.latex}$)" if p.latex else ""
            default = "required" if p.required else f"`{_number(p.default)}`"
            meaning = p.meaning
            if p.required:  # a sentence of its own: meanings may end in a parenthesis
                meaning = meaning if meaning.endswith(".") else meaning + "."
                meaning += f" The plots and the example below use `{_number(p.default)}`."
            cell = table_text(meaning)
            lines.append(f"| `{p.name}`{symbol} | {default} | {_valid(p)} | {cell} |")
        lines += ["", "</div>", ""]
    if has_family and not derivative_family:
        # Its f′ plot would be one line: one figure, and a sentence saying why.
        param = plots.family_param(spec).name
        lines += [f"![Family of {n} curves](../assets/figures/functions/{n}-family.svg)", ""]
        lines += [SAME_DERIVATIVE.format(param=f"`{param}`"), ""]
    elif has_family:
        lines += [
            '<div class="jaxact-plots" markdown>',
            f"![Family of {n} curves](../assets/figures/functions/{n}-family.svg)",
            f"![Family of {n} derivatives](../assets/figures/functions/{n}-family-derivative.svg)",
            "</div>",
            "",
        ]
        if family_gaps:
            lines += [family_caption(spec, family_gaps), ""]
    if has_family and plots.family_banded(spec):
        lines += [FAMILY_BANDS, ""]
    lines += ["## Properties", "", "| property | value |", "|---|---|"]
    for column, cell in zip(PROPERTY_COLUMNS, property_cells(spec, timing), strict=True):
        lines.append(f"| {column} | {cell} |")
    lines += ["", _properties_note(spec, timing, timed_size), ""]
    defaults = [p for p in spec.params if not p.required]
    if defaults:  # the registry's properties are those of the defaults (relu's range is not
        # [0, inf) with a negative slope): the page says so
        values = ", ".join(f"`{p.name} = {_number(p.default)}`" for p in defaults)
        lines += [DEFAULTS_NOTE.format(values=values), ""]
    if spec.conventions:
        rendered = [render_convention(c, spec.all_names) for c in spec.conventions]
        lines += ["## Conventions", ""] + [f"- {c}" for c in rendered] + [""]
    lines += floating_point_section(spec)
    code, out = example(spec)
    lines += [
        "## Example",
        "",
        "```python",
        code,
        "```",
        "",
        "Output (computed when this page was built):",
        "",
    ]
    # The printed output wraps between numbers, never inside one (a phone broke softmax's
    # "2.1205636e-04" after "e-"): extra.css, `.jaxact-output`.
    lines += ["``` { .text .jaxact-output }", out, "```", ""]
    lines += model_section(spec, list(layers))
    eq = spec.equivalents
    lines += ["## Equivalents", "", "| library | name |", "|---|---|"]
    for lib, value in (("jax", eq.jax), ("PyTorch", eq.torch), ("Keras", eq.keras)):
        lines.append(f"| {lib} | {f'`{value}`' if value else '–'} |")
    lines.append("")
    if notes.strip():
        lines += [notes.strip(), ""]
    lines += _reference_list("Introduced in", spec.introduced_in)
    lines += _reference_list("Further reading", spec.references)
    lines += ["## See also", ""]
    for title, path in notebooks_using(spec):
        lines.append(f"- Notebook: [{title}](../{path})")
    lines.append(f"- API: [`jaxact.{n}`](../api/functions.md#jaxact.{n})")
    lines.append("")
    return "\n".join(lines)


def _front_matter(notes: str) -> tuple[list[str], str]:
    """A notes file's front matter (``---`` lines, e.g. its ``search_words``, read by
    ``docsgen.site_search``) as the first lines of the page, and the rest of the notes."""
    match = re.match(r"---\n.*?\n---\n", notes, re.S)
    if match is None:
        return [], notes
    return match.group(0).splitlines(), notes[match.end() :]


def table_text(text: str) -> str:
    """``text`` safe in a Markdown table cell: each ``|`` escaped, as ``\\|`` in prose and
    ``\\vert`` inside ``$...$`` math (an unescaped one ends the cell: hard shrink's meaning
    "inputs with |x| ≤ λ ..." was cut to "inputs with")."""
    parts = re.split(r"(\$[^$]*\$)", text)
    # No space before a closing `$` (arithmatex then leaves the math as text: pau's "only
    # $\vert b_k\vert $ matters").
    return "".join(
        part.replace("|", r"\vert ").replace(r"\vert $", r"\vert$")
        if part.startswith("$")
        else part.replace("|", r"\|")
        for part in parts
    )


def _inline(tex: str) -> str:
    """A display formula as one line of inline math for a table cell (``|`` escaped)."""
    return "$" + " ".join(tex.split()).replace("|", r"\vert ") + "$"


def overview_page(specs: list[Any], timings: dict[str, str], timed_size: int) -> str:
    """``functions/index.md``: the gallery, the comparison table and the formula table."""
    lines = [
        "---",
        "hide:",
        "  - toc  # the comparison table needs the width",
        "---",
        "",
        "# All functions",
        "",
        "Every activation jaxact registers, drawn and tabulated from the library itself: "
        "the curves are computed by calling each function (f solid, f′ dashed, from `jax.grad`) "
        "and every cell of the tables comes from the registry's metadata, which the test suite "
        "checks against the implementation, except the measured times (below). A "
        "vector-valued function (the Vector-valued family) is drawn along one line through "
        "its inputs: its first output as one input x moves, the others fixed (its page names "
        "the slice, and has figures made for what it does to a whole vector).",
        "",
        "![Gallery of all activation functions](../assets/figures/functions/gallery.svg)",
        "",
        "## Comparison",
        "",
        f"*Time vs relu* is measured: jaxact's forward pass on {_size_text(timed_size)} float32 "
        "values, divided by relu's, on the CPU machine of the [Speed](../benchmarks/speed.md) "
        "page (on larger arrays memory traffic dominates and every ratio comes closer to 1). "
        f"A – in that column: {NOT_TIMED}. A – in the other columns: the property "
        f"{NOT_APPLICABLE}, which maps a vector to a vector.",
        "",
        '<div class="jaxact-compare" markdown>',
        "",
        "| function | family | " + " | ".join(PROPERTY_COLUMNS) + " |",
        "|---" * (len(PROPERTY_COLUMNS) + 2) + "|",
    ]
    for s in specs:
        cells = property_cells(s, timings[s.name])
        lines.append(
            f"| [{s.display_name}]({s.name}.md) | {s.family} | " + " | ".join(cells) + " |"
        )
    lines += [
        "",
        "</div>",
        "",
        "## Formulas",
        "",
        "Each function and its derivative, as on its page. Symbols beyond the input $x$ are "
        "defined beside the formula or are parameters (see the function's page); $\\sigma$ is "
        "the sigmoid, $\\Phi$ and $\\varphi$ the standard normal CDF and density, "
        "$\\delta_{ij}$ Kronecker's delta.",
        "",
        '<div class="jaxact-formulas" markdown>',
        "",
        "| function | formula | derivative |",
        "|---|---|---|",
    ]
    for s in specs:
        lines.append(
            f"| [{s.display_name}]({s.name}.md) | {_inline(s.formula)} | {_inline(s.derivative)} |"
        )
    lines += ["", "</div>", ""]
    return "\n".join(lines)


def api_page(specs: list[Any]) -> str:
    """``api/functions.md``: one mkdocstrings entry per registered function (each once)."""
    lines = ["# Functions", "", "Every registered activation, grouped by family.", ""]
    for family, title in FAMILY_TITLES.items():
        members = [s for s in specs if s.family == family]
        if members:
            lines += [f"## {title}", ""] + [f"::: jaxact.{s.name}\n" for s in members]
    lines += ["## Registry", "", "::: jaxact.get\n", "::: jaxact.names\n", "::: jaxact.specs\n"]
    return "\n".join(lines)


def generate() -> dict[str, str | bytes]:
    """Every generated file, keyed by its path under ``docs/``."""
    specs = list(jaxact.specs())
    files: dict[str, str | bytes] = {}
    ratios, timed_size = speed_ratios(json.loads(SPEED_RESULTS.read_text()))
    timings = {s.name: time_cell(ratios.get(s.name)) for s in specs}
    layers = layers_wrapping()
    fig_dir = "assets/figures/functions"
    for s in specs:
        files[f"{fig_dir}/{s.name}.svg"] = plots.to_svg(plots.plot_activation(s))
        files[f"{fig_dir}/{s.name}-derivative.svg"] = plots.to_svg(plots.plot_derivative(s))
        has_family = plots.family_param(s) is not None
        gaps = plots.family_differences(s) if has_family else {}
        derivative_family = has_family and not plots.same_derivative(s)
        if has_family:
            files[f"{fig_dir}/{s.name}-family.svg"] = plots.to_svg(plots.plot_family(s))
        if derivative_family:
            derivatives = plots.plot_derivative_family(s)
            files[f"{fig_dir}/{s.name}-family-derivative.svg"] = plots.to_svg(derivatives)
        kind = []
        for key, alt, fig in vector_figures.figures(s):
            files[f"{fig_dir}/{s.name}-{key}.svg"] = plots.to_svg(fig)
            kind.append((key, alt, fig.get_figwidth() >= 6))
        files[f"functions/{s.name}.md"] = function_page(
            s,
            timings[s.name],
            has_family,
            layers.get(s.name, []),
            gaps,
            timed_size,
            kind,
            derivative_family,
        )
    files[f"{fig_dir}/gallery.svg"] = plots.to_svg(plots.plot_gallery(specs))
    files["functions/index.md"] = overview_page(specs, timings, timed_size)
    files["api/functions.md"] = api_page(specs)
    try:
        from docsgen.concept_figures import FIGURES
    except ImportError:  # the concept pages' figures are optional while they are written
        FIGURES = {}
    for key, make in FIGURES.items():
        files[f"assets/figures/concepts/{key}.svg"] = plots.to_svg(make())
    nav = {
        FAMILY_TITLES[f]: [f"functions/{s.name}.md" for s in specs if s.family == f]
        for f in FAMILY_TITLES
    }
    files["_nav.json"] = json.dumps(nav)
    return files


def main(out_dir: str) -> None:
    start = time.perf_counter()
    files = generate()
    out = Path(out_dir)
    manifest = []
    for i, (path, content) in enumerate(files.items()):
        target = out / str(i)
        target.parent.mkdir(parents=True, exist_ok=True)
        binary = isinstance(content, bytes)
        target.write_bytes(content) if binary else target.write_text(content)
        manifest.append([path, binary])
    (out / "manifest.json").write_text(json.dumps(manifest))
    print(f"docsgen: {len(files)} files in {time.perf_counter() - start:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1])
