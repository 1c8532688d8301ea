"""The built site's search index and alias URLs (docsgen/site_search.py).

Material's search itself ranks the pages in test_browser.py; this checks what it is given.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from _site import build_site

import jaxact

ALL_NAMES = {alias: spec.name for spec in jaxact.specs() for alias in spec.all_names}
# What a search snippet must not show: LaTeX commands or delimiters, or a heading's "¶".
RAW = re.compile(r"\\[A-Za-z]+|\\[()\[\]]|\$\$|\$[^$\s][^$]*\$|¶")
CODE = re.compile(r"<pre>.*?</pre>|<code>.*?</code>", re.S)


def _topic_pages() -> dict[str, list[str]]:
    """{location: search_words} of the hand-written pages whose front matter has them."""
    from docsgen import generate

    docs = Path(__file__).resolve().parent.parent / "docs"
    generated = set(generate.files(docs))  # a function page has its notes' front matter
    pages = {}
    for md in docs.rglob("*.md"):
        if md.relative_to(docs).as_posix() in generated or md.name.endswith(".zh.md"):
            continue  # a Chinese translation is a page of the Chinese edition's index
        words = re.match(r"---\n(?:.*\n)*?search_words: \[(.*)\]\n(?:.*\n)*?---\n", md.read_text())
        if words and "_notes" not in md.parts:
            location = md.relative_to(docs).with_suffix("").as_posix() + "/"
            pages[location] = words.group(1).split(", ")
    return pages


@pytest.fixture(scope="module")
def site() -> Path:
    built = build_site()
    assert built.returncode == 0, built.log[-4000:]
    return built.path


@pytest.fixture(scope="module")
def index(site: Path) -> list[dict]:
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


@pytest.mark.parametrize("name", list(ALL_NAMES))
def test_every_name_and_alias_has_a_url(site: Path, name: str) -> None:
    page = site / "functions" / name / "index.html"
    target = site / "functions" / ALL_NAMES[name] / "index.html"
    assert page.exists() and target.exists()
    if name != ALL_NAMES[name]:
        refresh = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', page.read_text())
        assert refresh is not None
        assert (page.parent / refresh.group(1) / "index.html").resolve() == target.resolve()


def test_alias_pages_stay_out_of_search_and_sitemap(site: Path, index: list[dict]) -> None:
    aliases = [a for a, name in ALL_NAMES.items() if a != name]
    locations = {d["location"].split("#")[0] for d in index}
    assert not {f"functions/{a}/" for a in aliases} & locations
    sitemap = (site / "sitemap.xml").read_text()
    assert not [a for a in aliases if f"/functions/{a}/" in sitemap]


def test_function_pages_carry_their_names_as_search_tags(index: list[dict]) -> None:
    tags = {d["location"]: d["tags"] for d in index if "tags" in d}
    functions = {f"functions/{s.name}/" for s in jaxact.specs()}
    assert functions <= set(tags)
    # ... and the other pages with tags are those whose front matter gives `search_words`.
    assert set(tags) - functions == set(_topic_pages())
    for spec in jaxact.specs():
        assert tags[f"functions/{spec.name}/"][: len(spec.all_names)] == list(spec.all_names)


def test_search_snippets_show_no_latex_and_no_pilcrow(index: list[dict]) -> None:
    raw = {d["location"]: RAW.findall(d["title"] + " " + CODE.sub("", d["text"])) for d in index}
    assert {location: found for location, found in raw.items() if found} == {}
    # ... and the formulas are still there, as text.
    sigmoid = next(d for d in index if d["location"] == "functions/sigmoid/")
    assert "σ(x) = 1/(1 + e⁻ˣ)" in sigmoid["text"]


def test_alias_pages_are_real_files_under_docs(site: Path) -> None:
    """`python -m docsgen` writes them into docs/ (a builder without hooks copies them too)."""
    from docsgen import generate

    docs = Path(__file__).resolve().parent.parent / "docs"
    written = set(generate.files(docs))
    for alias, name in ALL_NAMES.items():
        if alias == name:
            continue
        source = docs / "functions" / alias / "index.html"
        assert f"functions/{alias}/index.html" in written and source.is_file()
        assert source.read_bytes() == (site / "functions" / alias / "index.html").read_bytes()


def test_topic_pages_carry_their_search_words_as_tags(index: list[dict]) -> None:
    tags = {d["location"]: d["tags"] for d in index if "tags" in d}
    topics = _topic_pages()
    assert "concepts/dead-relu/" in topics
    for location, words in topics.items():
        assert tags[location] == words


@pytest.mark.parametrize("edition", ["", "zh/"])
def test_numbers_standing_alone_are_not_indexed(site: Path, edition: str) -> None:
    """Both editions' search separators (mkdocs.yml, mkdocs.zh.yml) leave numbers out of the
    index, so that fewer of lunr's words hold digits (mkdocs.yml says why: with the notebooks'
    printed numbers indexed, Material's worker threw on "glu"), and keep every name whole."""
    config = json.loads((site / edition / "search" / "search_index.json").read_text("utf-8"))
    separator = re.compile(config["config"]["separator"])  # the same in JavaScript's syntax

    def words(text: str) -> list[str]:
        return [w for w in separator.split(text.lower()) if w]

    printed = words("loss 0.700 -> 0.003, accuracy 99.4% at 2^20 (96, 2): 2.5 ULP")
    assert not [w for w in printed if re.search(r"\d", w)], printed
    assert {"loss", "accuracy", "at", "ulp"} <= set(printed)
    for name in ALL_NAMES:
        assert words(f"{name} ") == [name]
    assert words("relu6 log1p expm1 float32 x_1") == ["relu6", "log1p", "expm1", "float32", "x_1"]
