"""The text of the site: formulas rendered as math, every symbol of a derivative defined,
origins kept apart from further reading, measured times in the overview, the home page's
install line and quick start."""

from __future__ import annotations

import dataclasses
import html
import json
import math
import re
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxact
from docsgen import function_pages as fp
from docsgen import generate, plots
from docsgen.convention_math import render_convention

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"

SPECS = tuple(jaxact.specs())
NAMES = [s.name for s in SPECS]
HAND_WRITTEN = sorted(
    p
    for p in DOCS.rglob("*.md")
    if "api" not in p.parts
    and "assets" not in p.parts
    and p.relative_to(DOCS).as_posix() not in generate.files(DOCS)  # python -m docsgen's
)

# -- formulas in prose ---------------------------------------------------------------------------

_NOT_PROSE = [
    re.compile(r"^---\n.*?\n---\n", re.S),  # front matter
    re.compile(r"^(```|~~~).*?^\1", re.S | re.M),  # code blocks
    re.compile(r"\$\$.*?\$\$", re.S),  # display math
    re.compile(r"(?<![\\$])\$(?!\$).+?(?<!\\)\$", re.S),  # inline math
    re.compile(r"`[^`\n]*`"),  # inline code
    re.compile(r"<[^>\n]*>"),  # HTML tags and autolinks
    re.compile(r"\]\([^)\s]*\)"),  # link targets
    re.compile(r"\{#[\w-]+\}"),  # heading anchors
]
RAW_MATH = re.compile(r"[\^{}]|\be[ˣ⁻⁽]|\\[a-zA-Z]+")
"""Signs of a formula typed as text: ``e^−x``, ``e^{x/α}``, ``eˣ``, a LaTeX command."""


def raw_math(markdown: str) -> list[str]:
    """The prose lines of ``markdown`` (math, code and link targets removed) that still hold
    formula syntax."""
    for pattern in _NOT_PROSE:
        markdown = pattern.sub(" ", markdown)
    return [ln.strip() for ln in markdown.splitlines() if RAW_MATH.search(ln)]


def test_raw_math_detector_flags_text_formulas_and_passes_math() -> None:
    for text in ("The logistic function 1/(1 + e^−x).", "ELU as α(e^{x/α} − 1).", "log(1 + eˣ)"):
        assert raw_math(text) == [text]
    for text in (
        "The logistic function $1/(1 + e^{-x})$.",
        "Use `x ** 2`; see [here](a.md#b).",
        "$$\nf(x) = e^{x}\n$$",
        "## Heading {#anchor}",
        "A multi-line $\\lambda\\alpha\n\\approx 1.76$ formula.",
    ):
        assert raw_math(text) == [], text


@pytest.mark.parametrize("name", NAMES)
def test_function_page_prose_has_no_raw_formulas(name: str) -> None:
    page = fp.function_page(jaxact.get(name), "–", False)
    assert raw_math(page) == []


INTERNAL_REFERENCE = re.compile(r"\b(pitfall|trap) \d+\b|NUMERICS\.md|陷阱 ?\d+", re.I)
"""A pointer into the project's own notes (``NUMERICS.md``'s numbered pitfalls), which the site
does not publish: a reader cannot follow it."""


@pytest.mark.parametrize("name", NAMES)
def test_function_page_points_to_nothing_the_site_lacks(name: str) -> None:
    page = fp.function_page(jaxact.get(name), "–", False)
    zh = (DOCS / "_notes" / "zh" / f"{name}.yml").read_text(encoding="utf-8")
    assert not INTERNAL_REFERENCE.search(page + zh), INTERNAL_REFERENCE.search(page + zh)


UNICODE_FORMULA = re.compile(r"[²³ˣ√σφΦλαβθ≤≥∓≈·]|\w\(x\)|\bx\b")
"""A formula typed in Unicode (``x·σ(βx)``, ``relu(x)²``): fine in a code comment, but the
sentence at the top of each page renders its formulas as math."""


@pytest.mark.parametrize("name", NAMES)
def test_summary_writes_its_formulas_as_math(name: str) -> None:
    summary = jaxact.get(name).summary
    assert not UNICODE_FORMULA.search(_NOT_PROSE[3].sub(" ", summary)), summary


def _unicode_formulas(text: str) -> list[str]:
    """The Unicode formula signs in ``text`` outside ``$…$`` math and backticks."""
    return UNICODE_FORMULA.findall(_NOT_PROSE[4].sub(" ", _NOT_PROSE[3].sub(" ", text)))


def _prose_strings(spec: jaxact.ActivationSpec) -> list[str]:
    """The conventions as the page renders them (point values such as ``relu'(0) = 0``
    typeset by ``render_convention``) and the parameter meanings."""
    conventions = [render_convention(c, spec.all_names) for c in spec.conventions]
    return conventions + [p.meaning for p in spec.params]


@pytest.mark.parametrize("name", NAMES)
def test_conventions_and_parameter_meanings_write_their_formulas_as_math(name: str) -> None:
    typed = {s: found for s in _prose_strings(jaxact.get(name)) if (found := _unicode_formulas(s))}
    assert typed == {}


def test_prose_strings_detector_passes_point_values_and_flags_text_formulas() -> None:
    relu = jaxact.get("relu")
    assert _unicode_formulas(render_convention("γ·tanh(αx) + β adds a multiply.", relu.all_names))
    assert _unicode_formulas("The derivative is computed as σ(x)σ(−x).")
    assert _unicode_formulas("Slope for x < 0.")
    assert not _unicode_formulas(render_convention("relu'(0) = 0, selu'(0) = λα.", relu.all_names))
    assert not _unicode_formulas(r"Slope for $x < 0$; `where(x > 0, x, 0)`.")


def test_unicode_formula_detector() -> None:
    for text in ("x·σ(βx): a smooth ReLU.", "relu(x)²: found by search.", "1 for x ≥ 0"):
        assert UNICODE_FORMULA.search(text), text
    assert not UNICODE_FORMULA.search("ReLU clipped at 6: bounded output.")


def test_overview_prose_has_no_raw_formulas() -> None:
    assert raw_math(fp.overview_page(list(SPECS), dict.fromkeys(NAMES, "–"), 1 << 20)) == []


@pytest.mark.parametrize("path", HAND_WRITTEN, ids=lambda p: str(p.relative_to(DOCS)))
def test_hand_written_prose_has_no_raw_formulas(path: Path) -> None:
    assert raw_math(path.read_text()) == []


_MARKDOWN = sorted(
    p for p in DOCS.rglob("*.md") if "api" not in p.parts and "assets" not in p.parts
)


@pytest.mark.parametrize("path", _MARKDOWN, ids=lambda p: str(p.relative_to(DOCS)))
def test_headings_carry_no_math(path: Path) -> None:
    # The table of contents shows a heading's text raw: sine's "The default $\omega_0 = 1$"
    # read "The default \(\omega_0 = 1\)" there (1280 px read, issue 12).
    text = re.sub(r"^(```|~~~).*?^\1", "", path.read_text(encoding="utf-8"), flags=re.S | re.M)
    assert [h for h in re.findall(r"^#{1,6} .*$", text, re.M) if "$" in h] == []


# -- symbols of the derivatives ------------------------------------------------------------------

KNOWN = {
    "x": "the input",
    "f": "the function",
    "e": "Euler's number",
    "i": "an index",
    "j": "an index",
    r"\sigma": "the sigmoid (its own page)",
    r"\delta": "Kronecker's delta",
    r"\pi": "pi",
}
"""Symbols every page may use without defining them."""
_COMMANDS = {
    r"\frac", r"\sqrt", r"\tanh", r"\log", r"\ln", r"\max", r"\min", r"\exp", r"\operatorname",
    r"\sin", r"\cos",
    r"\begin", r"\end", r"\text", r"\quad", r"\qquad", r"\partial", r"\left", r"\right",
    r"\bigl", r"\bigr", r"\tfrac", r"\dfrac", r"\le", r"\ge", r"\ne", r"\lvert", r"\rvert",
    r"\cdot", r"\odot", r"\infty", r"\approx", r"\lVert", r"\rVert", r"\in", r"\arg",
    r"\dots",
}  # fmt: skip
_STANDARD_OPERATORS = {"sign", "sech", "erf", "erfc", "relu6", "log1p"}


def _symbols(tex: str) -> set[str]:
    """Letters, Greek letters and named operators used in ``tex`` (text and commands that
    are notation, not symbols, removed)."""
    tex = re.sub(r"\\text\{[^}]*\}", " ", tex)
    names = set(re.findall(r"\\operatorname\{([^}]*)\}", tex))
    tex = re.sub(r"\\operatorname\{[^}]*\}", " ", tex)
    commands = set(re.findall(r"\\[a-zA-Z]+", tex)) - _COMMANDS
    tex = re.sub(r"\\[a-zA-Z]+", " ", tex)
    tex = re.sub(r"\{(cases|aligned)\}", " ", tex)
    letters = set(re.findall(r"[A-Za-z]", tex))
    return letters | commands | {f"op:{n}" for n in names}


def _defined(spec: jaxact.ActivationSpec) -> set[str]:
    """What ``spec``'s page defines: parameters, the names its formulas give a value
    (``u = …``, ``\\operatorname{sp}(x) = …``), the summary's math, registered functions."""
    defined = set(KNOWN) | {f"op:{n}" for n in _STANDARD_OPERATORS}
    names = jaxact.names(include_aliases=True)
    defined |= {"op:" + n for n in names} | {"op:" + n.replace("_", "\\_") for n in names}
    for p in spec.params:
        defined |= _symbols(p.latex or p.name) if p.latex else set()
    for tex in (spec.formula, spec.derivative):
        for lhs in re.findall(r"(?:^|,|\\quad|\\ )\s*([^=,]+?)\s*(?:=|\\approx)", tex):
            lhs = re.sub(r"\((x|[a-z])\)$|_[a-z]$|'$", "", lhs.strip())
            defined |= _symbols(lhs)
        # The argument names of f([a, b]) and the pieces of f(x) are defined by the formula.
        if match := re.match(r"f\(\[([^\]]*)\]\)", tex):
            defined |= _symbols(match.group(1))
    for tex in re.findall(r"\$([^$]+)\$", spec.summary):
        defined |= _symbols(tex)
    return defined


# A list item's continuation line that begins "1991. " starts a numbered list inside the item:
# the year became a list marker and the link after it a bullet of its own (references: "PDF").
_NUMBER_STARTS_CONTINUATION = re.compile(r"^(?:[-*] | {2,}\S).*\n {2,}\d+\. ", re.M)


def test_number_marker_detector() -> None:
    assert _NUMBER_STARTS_CONTINUATION.search("- S. H. Thesis, TU München,\n  1991. [PDF](x)")
    assert not _NUMBER_STARTS_CONTINUATION.search("- S. H. Thesis,\n  TU München, 1991. [PDF](x)")


@pytest.mark.parametrize(
    "path", [*HAND_WRITTEN, *sorted((DOCS / "_notes").glob("*.md"))], ids=lambda p: p.name
)
def test_no_list_item_continues_with_a_number_marker(path: Path) -> None:
    text = path.read_text()
    assert [m.group(0) for m in _NUMBER_STARTS_CONTINUATION.finditer(text)] == []


@pytest.mark.parametrize("name", NAMES)
def test_every_symbol_of_the_derivative_is_defined(name: str) -> None:
    spec = jaxact.get(name)
    undefined = _symbols(spec.derivative) - _defined(spec)
    assert not undefined, f"{name}: {sorted(undefined)} used in f' but defined nowhere"


_FORMULA_NOTATION = {"\\sum", "\\sim", "U"}
"""Notation in a formula that is not a symbol to define: a sum, "is distributed as", and U for
the uniform distribution (rrelu's slope)."""


@pytest.mark.parametrize("name", NAMES)
def test_every_symbol_of_the_formula_is_defined(name: str) -> None:
    # sparsemax and the entmaxes used a threshold tau(x) (and sparsemax a simplex Delta) that
    # their pages never defined.
    spec = jaxact.get(name)
    undefined = _symbols(spec.formula) - _defined(spec) - _FORMULA_NOTATION
    assert not undefined, f"{name}: {sorted(undefined)} used in f but defined nowhere"


def test_symbol_check_catches_the_old_gelu_and_mish_derivatives() -> None:
    gelu, mish = jaxact.get("gelu"), jaxact.get("mish")
    old_gelu = r"f'(x) = \sigma(2u) + 2x\,u'(x)\,\sigma(2u)\,\sigma(-2u)"
    old_mish = r"f'(x) = \tanh(\operatorname{sp}(x)) + x\,\sigma(x)\operatorname{sech}^2(\operatorname{sp}(x))"  # noqa: E501
    old_formula = r"f(x) = x\,\Phi(x) \quad\text{or, approximate: } x\,\sigma(2\sqrt{2/\pi}\,x)"
    old = dataclasses.replace(gelu, formula=old_formula, derivative=old_gelu)
    assert {"u"} <= _symbols(old_gelu) - _defined(old)
    assert {"op:sp"} <= _symbols(old_mish) - _defined(
        dataclasses.replace(mish, derivative=old_mish)
    )


# -- discrete output ranges ----------------------------------------------------------------------


def test_binary_step_range_is_the_set_zero_one() -> None:
    rng = jaxact.get("binary_step").output_range
    assert isinstance(rng, jaxact.DiscreteSet)
    assert rng.to_latex() == r"\{0, 1\}" and rng.describe() == "{0, 1}"
    x = jnp.array([-jnp.inf, -1e30, -1.0, -1e-30, 0.0, 1e-30, 0.5, 1e30, jnp.inf])
    values = np.asarray(jaxact.binary_step(x)).tolist()
    assert set(values) == {0.0, 1.0} and all(v in rng for v in values)
    assert 0.5 not in rng  # in [0, 1], not in {0, 1}
    assert (rng.lo, rng.hi, rng.bounded_below, rng.bounded_above) == (0.0, 1.0, True, True)


def test_discrete_set_sorts_and_rejects_empty_or_infinite() -> None:
    assert jaxact.DiscreteSet((1.0, 0.0, 1.0)).values == (0.0, 1.0)
    for bad in ((), (0.0, math.inf), (math.nan,)):
        with pytest.raises(ValueError):
            jaxact.DiscreteSet(bad)


def test_table_cells_show_the_discrete_range() -> None:
    cells = fp.property_cells(jaxact.get("binary_step"), "–")
    assert cells[0] == r"$\{0, 1\}$"


def test_parameter_tables_are_in_the_box_whose_first_column_never_wraps() -> None:
    # "`alpha` (α)" broke inside "(α)" in dyt's narrow first column at 390 px.
    css = (DOCS / "assets/css/extra.css").read_text()
    assert ".jaxact-params td:first-child { white-space: nowrap; }" in css
    specs = [s for s in SPECS if s.params]
    assert len(specs) > 10
    for spec in specs:
        page = fp.function_page(spec, "–", False)
        table = page.split("## Parameters", 1)[1].split("\n## ", 1)[0]
        box = table.split('<div class="jaxact-params" markdown>', 1)[1].split("</div>", 1)[0]
        assert box.count("\n| `") == len(spec.params), spec.name


def _parameter_cells(page: str) -> list[list[str]]:
    """The cells of a page's parameter table, as Python-Markdown's tables extension splits them
    (HTML tags stripped)."""
    import markdown

    box = page.split('<div class="jaxact-params" markdown>', 1)[1].split("</div>", 1)[0]
    table = markdown.markdown(box, extensions=["tables"])
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    return [
        [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td>(.*?)</td>", r, re.S)] for r in rows
    ]


@pytest.mark.parametrize("name", [s.name for s in SPECS if s.params])
def test_parameter_meanings_are_whole_cells_in_both_editions(name: str) -> None:
    # hard shrink's "inputs with |x| ≤ λ are zeroed" ended its cell at the first "|" (both
    # editions): the page showed "Threshold λ: inputs with".
    from docsgen import editions, i18n

    spec = jaxact.get(name)
    page = fp.function_page(spec, "–", False)
    zh = {u.key: i18n.lookup(u) for u in i18n.units_of(i18n.NOTES / "zh" / f"{name}.yml")}
    for edition in ("en", "zh"):
        text = page if edition == "en" else editions.translate_function_page(page, name)
        rows = _parameter_cells(text)
        assert len(rows) == len(spec.params), (edition, name)
        for row, p in zip(rows, spec.params, strict=True):
            meaning = p.meaning if edition == "en" else (zh.get(f"param {p.name}") or p.meaning)
            assert len(row) == 4, (edition, name, row)
            tail = meaning.strip().replace("`", "")[-12:]
            assert tail in html.unescape(row[3]), (edition, name, row[3])


# -- where a function comes from -----------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_origin_and_further_reading_are_separate_lists(name: str) -> None:
    spec = jaxact.get(name)
    assert not set(spec.introduced_in) & set(spec.references)
    page = fp.function_page(spec, "–", False)
    assert ("## Introduced in" in page) == bool(spec.introduced_in)
    assert ("## Further reading" in page) == bool(spec.references)
    assert "## References" not in page


def test_sigmoid_and_tanh_do_not_claim_later_papers_as_their_origin() -> None:
    # The logistic function is Verhulst's (1838); tanh has no single origin in the registry.
    sigmoid, tanh = jaxact.get("sigmoid"), jaxact.get("tanh")
    assert [r.year for r in sigmoid.introduced_in] == [1838]
    assert {r.year for r in sigmoid.references} >= {1986, 1995}
    assert tanh.introduced_in == () and [r.year for r in tanh.references] == [1998]


def test_registry_rejects_a_reference_listed_twice() -> None:
    ref = jaxact.Reference("A. Author", "A title", 2000)
    spec = jaxact.get("identity")
    with pytest.raises(ValueError, match="both"):
        jaxact._registry._check_spec(
            dataclasses.replace(spec, introduced_in=(ref,), references=(ref,))
        )


# -- the overview table --------------------------------------------------------------------------

SPEED = json.loads(fp.SPEED_RESULTS.read_text())


def test_time_column_is_measured_relative_to_relu() -> None:
    ratios, size = fp.speed_ratios(SPEED)
    assert size == min(SPEED["settings"]["sizes"]) and ratios["relu"] == 1.0
    forward = {
        r["function"]: r["times_s"]["jaxact"]["median"]
        for r in SPEED["results"]
        if r["mode"] == "forward" and r["size"] == size
    }
    assert ratios["tanh"] == pytest.approx(forward["tanh"] / forward["relu"])
    # The old operation count said tanh costs 6x sigmoid; measured, they are within 2x.
    assert 0.5 < ratios["tanh"] / ratios["sigmoid"] < 2
    assert fp.time_cell(ratios["tanh"]) == f"{ratios['tanh']:.1f}×"
    # Every function is timed; one jax.nn lacks by its paired ratio to relu (same repetitions).
    assert set(ratios) == {spec.name for spec in SPECS}
    (row,) = [
        r
        for r in SPEED["results"]
        if (r["function"], r["mode"], r["size"]) == ("tanh_shrink", "forward", size)
    ]
    assert ratios["tanh_shrink"] == row["ratio_vs_relu"]["median"]


def test_overview_explains_every_dash_and_lists_formulas() -> None:
    ratios, size = fp.speed_ratios(SPEED)
    timings = {s.name: fp.time_cell(ratios.get(s.name)) for s in SPECS}
    page = fp.overview_page(list(SPECS), timings, size)
    assert "Cost" not in page and "ops" not in page
    assert fp.NOT_TIMED in page and fp.NOT_APPLICABLE in page and "2²⁰" in page
    formulas = page[page.index("## Formulas") :]
    for spec in SPECS:
        assert fp._inline(spec.formula) in formulas and fp._inline(spec.derivative) in formulas
    # A table cell cannot hold a raw "|": |x| is written with \vert.
    assert "|x|" not in formulas and r"\vert x\vert" in fp._inline(jaxact.get("soft_sign").formula)


def test_function_page_explains_its_time_and_dashes() -> None:
    relu = fp.function_page(jaxact.get("relu"), "1.0×", False)
    assert "| Time vs relu | 1.0× |" in relu and "forward pass on 2²⁰ float32 values" in relu
    maxout = fp.function_page(jaxact.get("maxout"), "–", False)
    assert fp.NOT_TIMED in maxout and fp.NOT_APPLICABLE in maxout


def test_gelu_and_mish_derivatives_as_written_match_jax_grad() -> None:
    # The formulas the pages print, with their u, u' and sp, evaluated directly.
    x = np.linspace(-6.0, 6.0, 121)
    c = np.sqrt(2.0 / np.pi)
    u, du = c * (x + 0.044715 * x**3), c * (1.0 + 0.134145 * x**2)
    sigma = lambda v: 1.0 / (1.0 + np.exp(-v))  # noqa: E731
    written = sigma(2 * u) * (1 + 2 * x * du * sigma(-2 * u))
    grad = jax.vmap(jax.grad(lambda v: jaxact.gelu(v, approximate=True)))(jnp.asarray(x))
    np.testing.assert_allclose(np.asarray(grad), written, rtol=1e-5, atol=1e-6)
    sp = np.log1p(np.exp(x))
    written = np.tanh(sp) + x * sigma(x) / np.cosh(sp) ** 2
    grad = jax.vmap(jax.grad(jaxact.mish))(jnp.asarray(x, jnp.float32))
    np.testing.assert_allclose(np.asarray(grad), written, rtol=1e-5, atol=1e-6)


WITH_REQUIRED = [n for n in NAMES if any(p.required for p in jaxact.get(n).params)]


@pytest.mark.parametrize("name", WITH_REQUIRED)
def test_required_parameter_row_says_the_plotted_value_in_a_sentence_of_its_own(name) -> None:
    # prelu's row read "... initial value). (the plots and the example below use 0.25)".
    page = fp.function_page(jaxact.get(name), "–", False)
    for p in (p for p in jaxact.get(name).params if p.required):
        (row,) = [ln for ln in page.splitlines() if ln.startswith(f"| `{p.name}`")]
        assert row.endswith(f". The plots and the example below use `{fp._number(p.default)}`. |")
        assert ") (" not in row and ".." not in row


@pytest.mark.parametrize("name", NAMES)
def test_property_table_says_it_describes_the_default_parameters(name) -> None:
    # elu's table gives the range (-1, inf): true at alpha = 1 only. The page says so.
    spec = jaxact.get(name)
    page = fp.function_page(spec, "–", False)
    said = [ln for ln in page.splitlines() if ln.startswith("The properties above are those")]
    optional = [p for p in spec.params if not p.required]
    assert len(said) == (1 if optional else 0)
    for p in optional:
        assert f"`{p.name} = {fp._number(p.default)}`" in said[0]


@pytest.mark.parametrize("name", ["hard_shrink", "binary_step", "sine"])
def test_family_plot_says_how_its_bands_read_where_it_has_them(name: str) -> None:
    """Under the family plots drawn with nested widths (``plots.family_widths``) only."""
    spec = jaxact.get(name)
    page = fp.function_page(spec, "–", True, derivative_family=not plots.same_derivative(spec))
    banded = plots.family_widths(spec) != [plots.FAMILY_LINE] * len(plots.family_curves(spec))
    assert banded == plots.family_banded(spec) == (name != "sine")
    assert (fp.FAMILY_BANDS in page.splitlines()) == banded
