"""MkDocs hooks: every function is found by its name, and reached by every name it has.

Alias pages
    ``/functions/<alias>/`` for each alias (``swish``, ``logistic``, ...) are real files written
    by ``python -m docsgen`` (``docsgen.names.alias_pages``), not made here: a builder that runs
    no hooks copies them too.

Search index
    Material's search (lunr) appends ``*`` to every query word and scores a term by its rarity,
    so "relu" ranked ReLU6, whose title word is rarer, above ReLU, and pages that mention a name
    often ranked above its own page. After Material writes ``search/search_index.json`` this
    module rewrites it:

    * the main entry of each function page gets the function's names, each name without its
      underscores (``logsigmoid``), and the words of its names and title, as ``tags``
      (Material's tags field weighs a match 10⁶ times a text match): a name or alias finds its
      page first, "leaky relu" finds Leaky ReLU (``search_tags`` says which words are left out,
      so that "log softmax" finds log_softmax and "softmax" softmax);
    * a function whose name begins another's tags (``relu``: ``relu6``, ``leaky_relu``'s word
      ``relu``) gets ``PREFIX_BOOST`` per such level, since "relu*" also matches those;
    * a page's ``search_words`` (front matter; a function page's come from its notes file)
      join its tags; a page that is not a function's then gets the largest function boost, so
      that "dead relu" finds the Dead ReLU page before ReLU's (``tune_index``);
    * formulas (``\\(…\\)``, ``\\[…\\]``, ``$…$``) become Unicode text
      (``docsgen.latex_text``): the result snippets are plain text, where LaTeX shows as source.
"""

from __future__ import annotations

import html
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # mkdocs loads this file by path: `docsgen` must be importable
    sys.path.insert(0, str(ROOT))
from docsgen.latex_text import latex_to_text  # noqa: E402
from docsgen.names import registry_names, start_reading_names  # noqa: E402

PREFIX_BOOST = 5.0  # per level (prefix_levels); measured margins in tests/test_browser.py
# arithmatex's \(…\) and \[…\]; $…$ and $$…$$ in notebooks' Markdown (KaTeX renders both).
_MATH = re.compile(r"\\\((.+?)\\\)|\\\[(.+?)\\\]|\$\$(.+?)\$\$|\$([^$\n]+?)\$", re.S)
_CODE = re.compile(r"(<pre>.*?</pre>|<code>.*?</code>)", re.S)
_names: dict[str, list[str]] = {}
_words: dict[str, list[str]] = {}  # {page location: its front matter's search_words}
_pending: list[Callable[[], dict[str, list[str]]]] = []


def search_tags(
    names: list[str], title: str, every_name: set[str], boosted: set[str] = frozenset()
) -> list[str]:
    """The search tags of a function page: its names, each name written without underscores
    (``logsigmoid``, as PyTorch spells ``LogSigmoid``), then the words its names and title are
    made of (``leaky_relu``, "Leaky ReLU" → ``leaky``, ``relu``), so that "leaky relu" finds it.

    Left out: a word that begins a registered name without being one ("Tanhshrink"), which
    would answer that name's query; and a word that is another function's name unless that
    name is in ``boosted`` (``softmax`` in ``log_softmax``: it would tie with the softmax page
    on "softmax", and the boost that breaks the tie would then rank softmax above log_softmax
    for "log softmax"; ``relu``, boosted anyway for ``relu6``, stays in ``leaky_relu``'s tags)."""
    tags = list(names)
    joined = [n.replace("_", "") for n in names[:1] if "_" in n]
    words = [w for n in names for w in n.split("_")] + re.split(r"[\s/()\-]+", title.lower())
    for word in joined + words:
        kept = word in boosted or not any(word.startswith(n) for n in every_name)
        if word and word not in tags and kept:
            tags.append(word)
    return tags


def prefix_levels(names: dict[str, list[str]], tags: dict[str, list[str]]) -> dict[str, int]:
    """For each function, how many levels of other functions have a tag that begins with one of
    its names (``relu``: ``relu6``, and ``leaky_relu`` through its word ``relu``) → 1; none → 0.

    Material's query "relu*" matches all of those tags, and the rarer ``relu6`` counts for more
    than ``relu``: each level gets ``PREFIX_BOOST``."""

    def rivals(f: str) -> list[str]:
        return [
            g for g in names if g != f and any(t.startswith(n) for n in names[f] for t in tags[g])
        ]

    def level(f: str, seen: frozenset[str]) -> int:
        later = [g for g in rivals(f) if g not in seen]
        return max((1 + level(g, seen | {g}) for g in later), default=0)

    return {f: level(f, frozenset({f})) for f in names}


def math_as_text(text: str) -> str:
    """Index text with every formula outside code turned into plain text (HTML-escaped)."""

    def convert(match: re.Match[str]) -> str:
        latex = html.unescape(next(g for g in match.groups() if g is not None))
        return html.escape(latex_to_text(latex), quote=False)

    parts = _CODE.split(text)
    return "".join(p if _CODE.fullmatch(p) else _MATH.sub(convert, p) for p in parts)


def tune_index(
    index: dict[str, Any], names: dict[str, list[str]], words: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    """Material's search index with the function names as tags, boosts and formulas as text.

    ``words`` are a page's own search words (``{location: [word, ...]}``, from its front matter
    ``search_words``): they join its tags. A page that is not a function's gets the largest
    boost a function page has, so that its topic outranks a function named in the query
    ("dead relu": the Dead ReLU page, not ReLU's)."""
    words = words or {}
    every_name = {n for all_names in names.values() for n in all_names}
    titles = {d["location"]: d["title"] for d in index["docs"]}
    # First without any other function's name among the words: which names need a boost for
    # a rival tag that extends them (relu: relu6)? Their names may then be words of others.
    bare = {
        f: search_tags(n, titles.get(f"functions/{f}/", ""), every_name) for f, n in names.items()
    }
    boosted = {n for f, level in prefix_levels(names, bare).items() if level for n in names[f]}
    tags = {
        f: search_tags(n, titles.get(f"functions/{f}/", ""), every_name, boosted)
        + [w for w in words.get(f"functions/{f}/", []) if w not in n]
        for f, n in names.items()
    }
    levels = prefix_levels(names, tags)
    topic_boost = PREFIX_BOOST ** max(levels.values(), default=0)
    name_words = tuple({w for n in every_name for w in [n, *n.split("_")]})
    for doc in index["docs"]:
        doc["title"] = math_as_text(doc["title"])
        doc["text"] = math_as_text(doc["text"])
        name = re.fullmatch(r"functions/([^/#]+)/", doc["location"])
        if name and name.group(1) in names:
            f = name.group(1)
            doc["tags"] = tags[f]
            if levels[f]:
                doc["boost"] = doc.get("boost", 1.0) * PREFIX_BOOST ** levels[f]
        elif doc["location"] in words:
            # Not a function's name or a word of one: "relu" or "logits" ("log*") among a
            # topic's words would outrank ReLU's page or log_softmax's.
            topic = [w for w in words[doc["location"]] if not w.startswith(name_words)]
            doc["tags"] = topic
            doc["boost"] = doc.get("boost", 1.0) * topic_boost
    return index


def on_config(config: Any) -> Any:
    # Started now, read in on_files: the interpreter starts while the other hooks work.
    _pending[:] = [start_reading_names()]
    return config


def on_files(files: Files, config: Any) -> Files:
    _names.clear()
    _names.update(_pending.pop()() if _pending else registry_names())
    _words.clear()
    return files


def on_page_content(html_text: str, page: Any, config: Any, files: Files) -> str:
    # A page's own search words: `search_words: [dead, dying]` in its front matter (a function
    # page gets its notes file's front matter, docsgen.function_pages; a Chinese page its
    # translation's, set by docsgen/editions.py in on_page_markdown, hence read after it).
    words = page.meta.get("search_words")
    if words:
        _words[page.url] = [str(w).lower() for w in words]
    return html_text


@event_priority(-100)  # after Material's search plugin has written the index
def on_post_build(config: Any) -> None:
    path = Path(config.site_dir) / "search" / "search_index.json"
    if not path.exists() or not _names:
        return
    index = tune_index(json.loads(path.read_text(encoding="utf-8")), _names, _words)
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), "utf-8")
