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

    * the main entry of each function page gets the function's names, and the words of its
      names and title, as ``tags`` (Material's tags field weighs a match 10⁶ times a text
      match): a name or alias finds its page first, "leaky relu" finds Leaky ReLU;
    * a function whose name begins another's tags (``relu``: ``relu6``, ``leaky_relu``'s word
      ``relu``) gets ``PREFIX_BOOST`` per such level, since "relu*" also matches those;
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
_pending: list[Callable[[], dict[str, list[str]]]] = []


def search_tags(names: list[str], title: str, every_name: set[str]) -> list[str]:
    """The search tags of a function page: its names, then the words they and its title are made
    of (``leaky_relu``, "Leaky ReLU" → ``leaky``, ``relu``), so that "leaky relu" finds it too.
    A word that begins a registered name without being one ("Tanhshrink") is left out: it would
    answer that name's query."""
    tags = list(names)
    words = [w for n in names for w in n.split("_")] + re.split(r"[\s/()\-]+", title.lower())
    for word in words:
        extends = word not in every_name and any(word.startswith(n) for n in every_name)
        if word and word not in tags and not extends:
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


def tune_index(index: dict[str, Any], names: dict[str, list[str]]) -> dict[str, Any]:
    """Material's search index with the function names as tags, boosts and formulas as text."""
    every_name = {n for all_names in names.values() for n in all_names}
    titles = {d["location"]: d["title"] for d in index["docs"]}
    tags = {
        f: search_tags(n, titles.get(f"functions/{f}/", ""), every_name) for f, n in names.items()
    }
    levels = prefix_levels(names, tags)
    for doc in index["docs"]:
        doc["title"] = math_as_text(doc["title"])
        doc["text"] = math_as_text(doc["text"])
        name = re.fullmatch(r"functions/([^/#]+)/", doc["location"])
        if name and name.group(1) in names:
            f = name.group(1)
            doc["tags"] = tags[f]
            if levels[f]:
                doc["boost"] = doc.get("boost", 1.0) * PREFIX_BOOST ** levels[f]
    return index


def on_config(config: Any) -> Any:
    # Started now, read in on_files: the interpreter starts while the other hooks work.
    _pending[:] = [start_reading_names()]
    return config


def on_files(files: Files, config: Any) -> Files:
    _names.clear()
    _names.update(_pending.pop()() if _pending else registry_names())
    return files


@event_priority(-100)  # after Material's search plugin has written the index
def on_post_build(config: Any) -> None:
    path = Path(config.site_dir) / "search" / "search_index.json"
    if not path.exists() or not _names:
        return
    index = tune_index(json.loads(path.read_text(encoding="utf-8")), _names)
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), "utf-8")
