"""What a phone reader met on the function pages (390 px): softmax's example output broken inside a
number ("2.1205636e-" on one line, "04" on the next), formulas typed as text, math left raw."""

from __future__ import annotations

import re
from pathlib import Path

import jaxact
from docsgen import function_pages as fp

_CSS = Path(__file__).resolve().parents[1] / "docs" / "assets" / "css" / "extra.css"


def test_the_printed_output_wraps_only_between_numbers() -> None:
    page = fp.function_page(jaxact.get("softmax"), "–", False)
    after = page.split("Output (computed when this page was built):", 1)[1]
    block = re.search(r"``` \{ \.text \.jaxact-output \}\n(.*?)\n```", after, re.S)
    assert block is not None, after[:300]
    assert "e-0" in block.group(1)  # the scientific notation that broke inside a number
    css = _CSS.read_text()
    rule = re.search(r"\.md-typeset \.jaxact-output pre > code \{([^}]*)\}", css)
    assert rule is not None and "overflow-wrap: normal;" in rule.group(1)


_MATH_OR_CODE = re.compile(r"`[^`]*`|\$[^$]*\$")
_TEXT_FORMULA = re.compile(
    r"(?<![\w.])[^\W\d_]_[a-z0-9]\b|\bf\(x\) = |\) ?/ ?[0-9]\b"
    r"|\[[0-9−-]+, [0-9∞]+\)"
    r"|(?<![\w/])1/[A-Za-z]\b"
    r"|(?<![\w'])[A-Za-zα-ω]{1,4} [=<>≤≥] [0-9−-]"
)
"""Formulas typed as text: a TeX subscript (``a_m``, ``α_p``; not a name like ``log_softmax``),
``f(x) = ...``, ``relu6(x + 3)/6``, ``(lower + upper) / 2``, a half-open interval (``[0, 1)``),
``1/T``, a short name compared with a number (``b = 0``, ``beta = 1``, ``T = 1``)."""
_WORD_IN_MATH = re.compile(r"\\mathit\{[A-Za-z]{2,}\}")
"""A parameter's name set in math (``$x > \\mathit{threshold}$``) where its symbol belongs."""


def test_conventions_and_parameter_meanings_write_formulas_as_math() -> None:
    found = []
    for name in jaxact.names():
        spec = jaxact.get(name)
        texts = list(spec.conventions) + [p.meaning for p in spec.params]
        found += [(name, t) for t in texts if _TEXT_FORMULA.search(_MATH_OR_CODE.sub(" ", t))]
        found += [(name, t) for t in texts if _WORD_IN_MATH.search(t)]
    assert not found, found


def test_math_in_a_table_cell_ends_without_a_space_before_its_dollar() -> None:
    # arithmatex leaves "$\vert b_k\vert $" as text: pau's denominator row showed it raw.
    cell = fp.table_text("learnt; only $|b_k|$ matters")
    assert cell == r"learnt; only $\vert b_k\vert$ matters"


def test_a_family_legend_prints_a_long_default_with_four_digits() -> None:
    from docsgen import plots

    fig = plots.plot_family(jaxact.get("star_relu"))
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "scale = 0.8944" in labels, labels
    assert "scale = 0.5" in labels, labels


def test_a_page_title_has_no_permalink_on_phones() -> None:
    # At 390 px the invisible "¶" after "Hard SiLU (hard swish)" took a second title line.
    css = _CSS.read_text()
    phone = r"@media screen and \(max-width: 44\.984375em\) \{\s*\.md-typeset h1 > \.headerlink"
    assert re.search(phone + r" \{ display: none; \}", css)


_NOTES = Path(__file__).resolve().parents[1] / "docs" / "_notes"
_LONG_NUMBER_IN_MATH = re.compile(r"\$[^$]*\d[\d.]{15,}[^$]*\$")
"""A formula holding a number of 16 or more digits: on a phone, KaTeX breaks the line after its
"=" (selu's "λ =" ended a line, the 32-digit constant began the next)."""


def test_long_constants_stand_in_a_table_not_in_a_sentence() -> None:
    found = []
    for name in jaxact.names():
        spec = jaxact.get(name)
        texts = [spec.summary, *spec.conventions, *(p.meaning for p in spec.params)]
        found += [(name, t) for t in texts if _LONG_NUMBER_IN_MATH.search(t)]
    for notes in sorted(_NOTES.glob("*.md")) + sorted(_NOTES.glob("zh/*.md")):
        lines = notes.read_text().splitlines()
        found += [(notes.name, ln) for ln in lines if _LONG_NUMBER_IN_MATH.search(ln)]
    assert not found, found


def test_selu_constants_table_is_jaxacts() -> None:
    import mpmath

    from jaxact._elu import SELU_ALPHA, SELU_SCALE

    for notes in (_NOTES / "selu.md", _NOTES / "zh" / "selu.md"):
        rows = dict(re.findall(r"^\| \$(\\lambda|\\alpha|\\lambda\\alpha)\$.*?\| `([\d.]+)` \|$",
                               notes.read_text(), re.M))  # fmt: skip
        assert float(rows[r"\lambda"]) == SELU_SCALE and float(rows[r"\alpha"]) == SELU_ALPHA
        with mpmath.workdps(40):
            product = mpmath.mpf(rows[r"\lambda"]) * mpmath.mpf(rows[r"\alpha"])
            assert mpmath.nstr(product, 32) == rows[r"\lambda\alpha"], notes
