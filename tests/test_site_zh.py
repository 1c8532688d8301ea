"""The Chinese edition in the built site (``zh/``, built by the same ``mkdocs build``): every
page has its counterpart, the language switcher lands on the same page, the translations are
the ones shown, the search index is segmented into Chinese words, and no figure needs a font."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from _english_text import english_on_pages
from _site import build_site

from docsgen import i18n

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


@pytest.fixture(scope="module")
def site() -> Path:
    built = build_site()
    assert built.returncode == 0, built.log[-4000:]
    return built.path


def _english_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.relative_to(site).parts[0] != "zh")


def test_every_english_page_has_a_chinese_counterpart(site: Path) -> None:
    pages = _english_pages(site)
    assert len(pages) > 50
    missing = [
        str(p.relative_to(site)) for p in pages if not (site / "zh" / p.relative_to(site)).exists()
    ]
    assert missing == []


def test_chinese_pages_declare_their_language(site: Path) -> None:
    assert '<html lang="zh"' in (site / "zh" / "index.html").read_text()
    assert '<html lang="en"' in (site / "index.html").read_text()


_SWITCH = re.compile(r'<a href="([^"]*)" hreflang="(en|zh)" class="md-select__link">')


@pytest.mark.parametrize(
    "page", ["index.html", "concepts/saturation/index.html", "functions/relu/index.html"]
)
def test_switcher_lands_on_the_same_page_in_the_other_edition(site: Path, page: str) -> None:
    en = dict((lang, href) for href, lang in _SWITCH.findall((site / page).read_text()))
    zh = dict((lang, href) for href, lang in _SWITCH.findall((site / "zh" / page).read_text()))
    folder = (site / page).parent
    assert (folder / en["zh"]).resolve() == (site / "zh" / page).parent.resolve()
    assert (folder / en["en"]).resolve() == folder.resolve()
    zh_folder = (site / "zh" / page).parent
    assert (zh_folder / zh["en"]).resolve() == folder.resolve()
    assert (zh_folder / zh["zh"]).resolve() == zh_folder.resolve()


def _text(path: Path) -> str:
    html = path.read_text()
    article = html[html.find("<article") : html.find("</article>")]
    return re.sub(r"<[^>]+>", " ", article)


def test_translated_page_shows_its_translation(site: Path) -> None:
    home = _text(site / "zh" / "index.html")
    assert "什么是激活函数" in home and "What is an activation function" not in home
    assert "本页尚未翻译" not in home


def test_function_page_strings_and_nav_are_translated(site: Path) -> None:
    relu = _text(site / "zh" / "functions" / "relu" / "index.html")
    for heading in ("导数", "性质", "其他库中的对应函数", "另请参阅"):
        assert heading in relu
    assert "Properties" not in relu and "See also" not in relu
    nav = (site / "zh" / "index.html").read_text()
    assert "概念" in nav and "术语表" in nav


def test_glossary_is_a_chinese_page_only(site: Path) -> None:
    assert "激活函数" in _text(site / "zh" / "glossary" / "index.html")
    assert not (site / "glossary").exists()


def test_chinese_search_index_is_segmented_into_words(site: Path) -> None:
    index = json.loads((site / "zh" / "search" / "search_index.json").read_text())
    text = " ".join(d["text"] for d in index["docs"])
    # jieba's words, separated by U+200B, the glossary's terms kept whole.
    for term in ("激活函数", "梯度消失", "饱和"):
        assert re.search(rf"(^|[\u200b\s]){term}($|[\u200b\s])", text), term
    english = json.loads((site / "search" / "search_index.json").read_text())
    assert english["config"]["lang"] == ["en"] and "\u200b" not in json.dumps(english["docs"])


def test_figures_carry_no_words_needing_a_chinese_font(site: Path) -> None:
    # Both editions show the same SVGs (math labels only); the words are in the captions.
    svgs = sorted(site.rglob("*.svg"))
    assert len(svgs) > 50
    assert [
        str(p.relative_to(site)) for p in svgs if CJK.search(p.read_text(errors="ignore"))
    ] == []
    page = (site / "zh" / "concepts" / "saturation" / "index.html").read_text()
    assert re.search(r'<img alt="[^"]*饱和|<img alt="sigmoid 及其导数', page)


def test_every_fixed_string_occurs_in_the_english_site(site: Path) -> None:
    # A fixed string whose English changed in the generator no longer matches anything: it
    # would leave the English on the Chinese pages silently. (The build wrote docs/ first.)
    pages = [*i18n.DOCS.glob("functions/*.md"), *i18n.DOCS.glob("benchmarks/*.md")]
    generated = "\n".join(
        p.read_text("utf-8") for p in sorted(pages) + [i18n.DOCS / "api" / "functions.md"]
    )
    notebook = (site / "notebooks" / "01_why_nonlinearity" / "index.html").read_text("utf-8")
    nav = (i18n.ROOT / "docsgen" / "hooks.py").read_text("utf-8")
    unused = [
        s
        for s in i18n.ui_strings()
        if s not in generated
        and f'"{s}"' not in nav
        and s.rstrip(":") not in generated
        and not (i18n.is_template(s) and i18n.template_regex(s).search(generated))
        and not (s in i18n.NOTEBOOK_HTML and s in notebook)
    ]
    assert unused == []


# Phrases a Chinese page keeps in English on purpose (none so far). Not read at all: the
# glossary, which gives each term's English, and the references, titles in their own language.
KEPT_IN_ENGLISH: tuple[str, ...] = ()


def test_no_english_sentence_is_left_on_a_chinese_page(site: Path) -> None:
    # The prose of every Chinese page (code, formulas, API docstrings and reference titles
    # aside: tests/_english_text.py) has no run of four English words: a sentence a generator
    # writes, or a translation that fell behind, would show here.
    found = english_on_pages(
        site / "zh", KEPT_IN_ENGLISH, skip=("glossary/", "references/", "404.html")
    )
    assert found == {}


@pytest.mark.parametrize("notebook", sorted(i18n.NOTEBOOK_OUTPUTS))
def test_printed_sentences_are_translated_on_the_chinese_notebook_page(
    site: Path, notebook: str
) -> None:
    # Each sentence a notebook prints in words (i18n.NOTEBOOK_OUTPUTS) is printed on the English
    # page (a changed print() would leave its translation unused) and not on the Chinese one.
    page = Path(notebook).with_suffix("") / "index.html"
    english, chinese = (_printed(root / page) for root in (site, site / "zh"))
    regexes = [i18n.output_regex(t) for t in i18n.NOTEBOOK_OUTPUTS[notebook]]
    # The verdicts of notebook 04 are alternatives: one of them is printed.
    printed = [r.pattern for r in regexes if r.search(english)]
    assert printed and not [r.pattern for r in regexes if r.search(chinese)]


def _printed(page: Path) -> str:
    """The text a notebook page's cells printed (nbconvert's rendered text outputs)."""
    outputs = re.findall(r"jp-RenderedText[^>]*>\s*<pre>(.*?)</pre>", page.read_text(), re.S)
    return "\n".join(html.unescape(re.sub(r"<[^>]+>", "", o)) for o in outputs)
