"""English prose left on the built Chinese pages: the check of tests/test_site_zh.py.

A page's ``<article>`` is read as text, without what stays English by design: code (``<code>``,
``<pre>``, notebook cells), formulas (arithmatex, KaTeX), the API docstrings of mkdocstrings
(``div.doc``), tables of numbers' first cells aside. What is left is cut into blocks (a
paragraph, a list item, a table cell, a heading, a caption, a figure's alt text), and a block
counts as English where it has a run of ``RUN`` or more English words in a row (words of two or
more letters, separated by spaces or by a comma, a colon or a semicolon and a space).
Reference entries (``Authors (year). Title ...``) keep their titles in the original language.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

RUN = 4  # "Also known as: ..." is three words; a sentence of prose has more
_WORD = r"[A-Za-z][a-z]*[A-Za-z]'?s?"
_RUN = re.compile(rf"(?<![\w-])(?:{_WORD}[;:]? ){{{RUN - 1}}}{_WORD}(?![\w-])")
# "K. He, X. Zhang (2015). Delving ...": a reference, its title in the original language.
_REFERENCE = re.compile(r"^(?:[A-Z][\w.'’ -]*,? )*[\w.'’-]+ \((?:\d{4}|n\.d\.)[a-z]?\)\. ")
_SKIPPED = ("code", "pre", "script", "style", "svg", "math")
_SKIPPED_CLASSES = ("arithmatex", "katex", "doc doc-", "jp-InputArea", "highlight", "headerlink")
_BLOCKS = ("p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "summary")
_VOID = {"br", "img", "hr", "input", "meta", "link", "source", "wbr", "col", "area"}


class _Blocks(HTMLParser):
    """The prose blocks of a page's article (and its images' alt text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._open: list[tuple[str, bool]] = []  # (tag, skipped)
        self._text: list[list[str]] = []
        self._article = 0

    def _skipping(self) -> bool:
        return any(skipped for _, skipped in self._open)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "article":
            self._article += 1
        if not self._article:
            return
        if tag == "img" and found.get("alt") and not self._skipping():
            self.blocks.append(found["alt"])
        if tag in _VOID:
            return
        classes = found.get("class", "")
        skipped = tag in _SKIPPED or any(c in classes for c in _SKIPPED_CLASSES)
        self._open.append((tag, skipped))
        if tag in _BLOCKS:
            self._text.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self._article -= 1
        if tag in _VOID or not self._open:
            return
        while self._open:  # close what was left open inside (HTML forgives that)
            open_tag, _ = self._open.pop()
            if open_tag in _BLOCKS and self._text:
                text = " ".join("".join(self._text.pop()).split())
                if text:
                    self.blocks.append(text)
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._article and self._text and not self._skipping():
            self._text[-1].append(data)


def prose_blocks(html: str) -> list[str]:
    """The blocks of text of a page's article outside code, formulas and API docstrings."""
    parser = _Blocks()
    parser.feed(html)
    return parser.blocks


def english_runs(block: str) -> list[str]:
    """The runs of ``RUN`` or more English words in a block ([] for a reference entry)."""
    if _REFERENCE.match(block):
        return []
    return [m.group(0) for m in _RUN.finditer(block)]


def english_on_pages(
    site: Path, allowed: tuple[str, ...] = (), skip: tuple[str, ...] = ()
) -> dict[str, list[str]]:
    """``{page: [block, ...]}`` of the built pages under ``site`` whose prose has an English
    run not inside one of ``allowed`` (a phrase kept in English on purpose); pages whose path
    (relative to ``site``) starts with one of ``skip`` are not read."""
    found: dict[str, list[str]] = {}
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        if rel.startswith(skip):
            continue
        for block in prose_blocks(page.read_text(encoding="utf-8")):
            rest = block
            for phrase in allowed:
                rest = rest.replace(phrase, " ")
            if english_runs(rest):
                found.setdefault(rel, []).append(block[:200])
    return found
