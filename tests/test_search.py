"""Search and alias URLs (docsgen/site_search.py, docsgen/latex_text.py), without a build.

The built site is checked in test_site_search.py (index, alias pages) and test_browser.py
(Material's own search code ranking every name's page first).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

import jaxact
from docsgen.latex_text import latex_to_text
from docsgen.names import alias_page, registry_names
from docsgen.site_search import (
    PREFIX_BOOST,
    math_as_text,
    prefix_levels,
    search_tags,
    tune_index,
)


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"\sigma(x) = \frac{1}{1 + e^{-x}}", "σ(x) = 1/(1 + e⁻ˣ)"),
        (
            r"f'(x) = \begin{cases} 1 & x \ge 0 \\ \alpha & x < 0 \end{cases}",
            "f′(x) = { 1 if x ≥ 0; α if x < 0 }",
        ),
        (r"f(x) = \frac{\operatorname{relu6}(x + 3)}{6}", "f(x) = relu6(x + 3)/6"),
        (r"\tfrac{x}{2}\operatorname{erfc}\!\bigl(-\tfrac{x}{\sqrt 2}\bigr)", "x/2 erfc(−x/√2)"),
        (r"W_2(W_1x + b_1)", "W₂(W₁x + b₁)"),
        (r"\max(0, x)", "max(0, x)"),
        (r"C^\infty", "C^∞"),
        (r"\lambda\alpha", "λα"),
        (r"\text{if } x \in [a, b]", "if x ∈ [a, b]"),
        (r"\unknowncommand{x}", "unknowncommand x"),
    ],
)
def test_latex_reads_as_text(latex: str, text: str) -> None:
    assert latex_to_text(latex) == text


def test_math_as_text_leaves_code_alone() -> None:
    html_text = (
        r"<p>The sigmoid \(\sigma(x)\) and $\beta x$ with \[ x &lt; 0 \]</p>"
        r"<pre><code>print(r'\(x\)')</code></pre>"
    )
    out = math_as_text(html_text)
    assert (
        out
        == r"<p>The sigmoid σ(x) and β x with x &lt; 0</p><pre><code>print(r'\(x\)')</code></pre>"
    )


NAMES = {"relu": ["relu"], "relu6": ["relu6"], "relu6x": ["relu6x"], "silu": ["silu", "swish"]}
NAMES |= {"leaky_relu": ["leaky_relu"], "tanh_shrink": ["tanh_shrink"], "tanh": ["tanh"]}
NAMES |= {"sigmoid": ["sigmoid", "logistic"], "log_sigmoid": ["log_sigmoid"]}
EVERY_NAME = {n for names in NAMES.values() for n in names}


def test_search_tags_are_the_names_and_their_words() -> None:
    tags = search_tags(["leaky_relu"], "Leaky ReLU", EVERY_NAME, {"relu"})
    assert tags == ["leaky_relu", "leakyrelu", "leaky", "relu"]
    assert search_tags(["silu", "swish"], "SiLU / Swish", EVERY_NAME) == ["silu", "swish"]
    # "tanhshrink" begins the name tanh without being one: "tanh" would find it.
    assert search_tags(["tanh_shrink"], "Tanhshrink", EVERY_NAME, {"tanh"}) == [
        "tanh_shrink",
        "tanh",
        "shrink",
    ]


def test_search_tags_leave_out_an_unboosted_function_name() -> None:
    # "sigmoid" would tie log_sigmoid with sigmoid on "sigmoid"; the boost that breaks the tie
    # would rank sigmoid first for "log sigmoid".
    tags = search_tags(["log_sigmoid"], "Log-sigmoid", EVERY_NAME)
    assert tags == ["log_sigmoid", "logsigmoid", "log"]


def test_prefix_levels_count_the_chain_of_rival_tags() -> None:
    tags = {f: search_tags(n, "", EVERY_NAME, {"relu", "relu6", "tanh"}) for f, n in NAMES.items()}
    levels = prefix_levels(NAMES, tags)
    # relu6x's tag begins relu6, whose begins relu; leaky_relu's word "relu" begins relu too.
    assert levels == {
        "relu": 2,
        "relu6": 1,
        "relu6x": 0,
        "silu": 0,
        "leaky_relu": 0,
        "tanh_shrink": 0,
        "tanh": 1,
        "sigmoid": 0,
        "log_sigmoid": 0,
    }


def test_tune_index_tags_function_pages_and_boosts_prefixes() -> None:
    index = {
        "docs": [
            {"location": "functions/relu/", "title": "ReLU", "text": r"\(\max(0, x)\)"},
            {"location": "functions/relu/#properties", "title": "Properties", "text": ""},
            {"location": "functions/silu/", "title": "SiLU / Swish", "text": ""},
            {"location": "functions/leaky_relu/", "title": "Leaky ReLU", "text": ""},
            {"location": "functions/log_sigmoid/", "title": "Log-sigmoid", "text": ""},
            {"location": "concepts/dead-relu/", "title": "Dead ReLU", "text": ""},
        ]
    }
    words = {"concepts/dead-relu/": ["dead", "relu", "logits"], "functions/silu/": ["sigmoid"]}
    docs = tune_index(index, NAMES, words)["docs"]
    assert docs[0]["tags"] == ["relu"] and docs[0]["boost"] == PREFIX_BOOST**2
    assert docs[0]["text"] == "max(0, x)"
    assert "tags" not in docs[1]  # only a page's main entry
    assert docs[2]["tags"] == ["silu", "swish", "sigmoid"] and "boost" not in docs[2]
    # relu is boosted (relu6 extends it): it stays a word of leaky_relu; sigmoid is not.
    assert docs[3]["tags"] == ["leaky_relu", "leakyrelu", "leaky", "relu"]
    assert docs[4]["tags"] == ["log_sigmoid", "logsigmoid", "log"]
    # A topic page: its own words, without a function's name ("relu") or one's word ("log"),
    # and the largest boost of a function page.
    assert docs[5]["tags"] == ["dead"] and docs[5]["boost"] == PREFIX_BOOST**2


def test_registry_names_are_read_from_this_tree() -> None:
    names = registry_names()
    assert names == {s.name: list(s.all_names) for s in jaxact.specs()}
    assert names["silu"] == ["silu", "swish"]


def test_alias_page_sends_the_reader_to_the_function() -> None:
    page = alias_page("swish", "silu")
    assert '<meta http-equiv="refresh" content="0; url=../silu/">' in page
    assert '<link rel="canonical" href="../silu/">' in page
    assert re.search(r'<a href="\.\./silu/">jaxact\.silu</a>', page)


def test_alias_pages_are_generated_files_that_git_ignores() -> None:
    from docsgen import generate
    from docsgen.names import alias_pages

    assert generate.alias_pages in generate.GENERATORS  # written by `python -m docsgen`
    aliases = {a: s.name for s in jaxact.specs() for a in s.all_names if a != s.name}
    pages = alias_pages()
    assert set(pages) == {f"functions/{a}/index.html" for a in aliases}
    for alias, name in aliases.items():
        assert pages[f"functions/{alias}/index.html"] == alias_page(alias, name)
    root = Path(__file__).resolve().parent.parent
    ignored = subprocess.run(
        ["git", "check-ignore", *(f"docs/{p}" for p in pages)],
        cwd=root,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert sorted(ignored) == sorted(f"docs/{p}" for p in pages)
