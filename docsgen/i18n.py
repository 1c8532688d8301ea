"""The Chinese edition's translations: what must be translated, where each translation lives,
and whether it still matches its English source. ``python -m docsgen.i18n status``.

Every piece of English text the site shows is a *unit*: ``(translation file, key, English)``.
Each translation records ``source_sha``, the first 12 hex digits of the SHA-256 of the English
text it was made from (``sha``). A unit is *missing* when its file or key has no translation,
and *stale* when its English changed since (the recorded hash differs from the current one).

Units and their files (all beside the English sources)
    * a hand-written page ``docs/<path>.md``: ``docs/<path>.zh.md``, key ``page``; the whole
      page translated, with ``source_sha`` in its front matter;
    * a function's notes ``docs/_notes/<name>.md`` (pros, cons, when to use, ...):
      ``docs/_notes/zh/<name>.md``, key ``page``, the same format;
    * a function's registry strings (``summary``, ``param <name>`` for each parameter's
      meaning, ``convention <i>``): ``docs/_notes/zh/<name>.yml``;
    * a notebook's Markdown cells (``docs/notebooks/<nb>.py``, ``docs/guide/<nb>.py``):
      ``docs/<folder>/<nb>.zh.yml``, key ``cell <i>`` (the cell's index in the notebook);
    * the fixed strings of the generated pages and the nav (``UI_STRINGS``):
      ``docsgen/locale/zh.yml``, keyed by the English string itself.

A ``.yml`` file maps each key to ``{source_sha: <hash>, zh: <text>}``. ``python -m docsgen.i18n
stub FILE`` (or ``stub --all``) writes the missing and stale entries of a file with the current
hash and the English text as a ``zh`` to replace (a stub page starts with a ``TODO`` line),
so a translator edits text, never hashes. A stub still holding English counts as missing.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
NOTES = DOCS / "_notes"
LOCALE = ROOT / "docsgen" / "locale" / "zh.yml"
GLOSSARY = DOCS / "glossary.zh.md"  # only in Chinese: no English source
JIEBA_USER = ROOT / "docsgen" / "locale" / "zh" / "jieba_user.txt"  # search keeps these whole
NOTEBOOK_GLOBS = ("notebooks/[0-9]*.py", "guide/*.py")  # mkdocs.yml's mkdocs-jupyter include
TODO = "TODO translate"  # the first line of a stub page; a page still holding it is missing
PAGE = "page"

# The nav's section titles (docsgen/hooks.py) and the fixed strings of the generated function
# pages (docsgen/function_pages.py): each is replaced where it is a whole line, a table cell or
# a heading of a generated page, and a nav title. Tested: each occurs in the English site.
UI_STRINGS = (
    # nav
    "Home",
    "Concepts",
    "Choosing",
    "Functions",
    "Overview",
    "Notebooks",
    "Benchmarks",
    "API",
    "References",
    # the overview and the API page of the functions
    "All functions",
    "Comparison",
    "Formulas",
    "Registry",
    "Every registered activation, grouped by family.",
    # function pages: headings
    "Parameters",
    "Properties",
    "Conventions",
    "Example",
    "In a model",
    "Equivalents",
    "Introduced in",
    "Further reading",
    "See also",
    "Pros",
    "Cons",
    "When to use",
    "Common mistakes",
    # function pages: lines and table headers
    "Derivative:",
    "Output (computed when this page was built):",
    "| name | default | valid | meaning |",
    "| property | value |",
    "| library | name |",
    # function pages: sentences written by docsgen/function_pages.py and floating_point.py
    # (replaced where they are a whole line or list item)
    "In floating point",
    "**float16 and bfloat16** give the float32 result rounded once (then kept inside the "
    "closed ends of the range): half-precision arithmetic would round every step.",
    "**Integer input** (and boolean) is converted to floating point first, as jnp's own "
    "functions do: float32, or float64 for 64-bit integers with x64 enabled; the result is the "
    "function of that float.",
    "**Integer input** is computed in its own integer type, exactly (booleans: int32, as in "
    "jax.nn).",
    "**Integer input** is computed in its own integer type, exactly (booleans: returned "
    "unchanged).",
    "Checked over runs of consecutive floats of every dtype: every float16 and bfloat16 value, "
    "windows of float32 and float64 at every scale (the slow tests sweep all of float32); normal "
    "inputs and zero, as XLA on CPU reads subnormal inputs as zero.",
    "**Monotonic** in floating point too: the computed value never decreases from one float "
    "input to the next.",
    "Time vs relu: jaxact's forward pass on 2²⁰ float32 values, divided by relu's, on the "
    "machine of the [Speed](../benchmarks/speed.md) page (CPU).",
    "Time vs relu: jaxact's forward pass on 2²⁰ float32 values, divided by relu's, on the "
    "machine of the [Speed](../benchmarks/speed.md) page (CPU). The other – cells: the property "
    "does not apply to a vector-valued function.",
    "As a layer whose parameters are trained with the rest of the model:",
    "Every value of `threshold` gives the same f′ (the derivative plot above), so only f is "
    "drawn for several values.",  # binary_step, below its family plot
    "Worked examples: [Using jaxact in models](../guide/models.py).",
    "| library | layer |",
    "Notebook:",  # the start of a "See also" item; the notebook's title comes from its cell 0
    # table cells
    "yes",
    "no",
    "discontinuous",
    # property table rows
    "Range",
    "Monotonic",
    "Smoothness",
    "Bounded",
    "Zero at 0",
    "Zero-centred",
    "Left sat.",
    "Right sat.",
    "Time vs relu",
)


def sha(text: str) -> str:
    """The hash a translation records of its English source: 12 hex digits of SHA-256."""
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Unit:
    file: Path  # the translation file
    key: str
    english: str

    @property
    def where(self) -> str:
        """``file [key]``, the file relative to the repository."""
        return f"{_relative(self.file)} [{self.key}]"


def _relative(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


# ---------------------------------------------------------------------------------------------
# The English units


def _generated_paths() -> tuple[str, ...]:
    """The paths under docs/ that ``python -m docsgen`` writes (the ``docs/`` lines of
    ``.gitignore``): generated pages are translated through their strings, not as pages."""
    lines = (ROOT / ".gitignore").read_text().splitlines()
    return tuple(line.removeprefix("docs/") for line in lines if line.startswith("docs/"))


def hand_written_pages() -> list[Path]:
    """The English Markdown pages under docs/ written by hand (not notes, not translations)."""
    generated = _generated_paths()
    pages = []
    for path in sorted(DOCS.rglob("*.md")):
        rel = path.relative_to(DOCS).as_posix()
        if rel.startswith(("_", "assets/")) or rel.endswith(".zh.md"):
            continue
        if any(rel == g or rel.startswith(g) for g in generated):
            continue
        pages.append(path)
    return pages


def page_translation(page: Path) -> Path:
    return page.with_name(page.stem + ".zh.md")


def notebooks() -> list[Path]:
    return sorted(p for pattern in NOTEBOOK_GLOBS for p in DOCS.glob(pattern))


def notebook_translation(notebook: Path) -> Path:
    return notebook.with_name(notebook.stem + ".zh.yml")


def markdown_cells(notebook: Path) -> dict[int, str]:
    """``{cell index: source}`` of a notebook's Markdown cells (jupytext reads the ``.py``)."""
    import jupytext

    nb = jupytext.read(notebook)
    return {i: c.source for i, c in enumerate(nb.cells) if c.cell_type == "markdown"}


def registry_strings() -> dict[str, dict[str, str]]:
    """``{function name: {key: English}}``: summary, parameter meanings and conventions."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import jaxact

    strings = {}
    for spec in jaxact.specs():
        entry = {"summary": spec.summary}
        entry.update({f"param {p.name}": p.meaning for p in spec.params})
        entry.update({f"convention {i}": c for i, c in enumerate(spec.conventions)})
        strings[spec.name] = entry
    return strings


def page_unit(page: Path, translation: Path) -> Unit:
    """A Markdown page as a unit: its text after the front matter (``search_words``, ``hide``
    and the like are not translated: the Chinese page keeps the English page's)."""
    return Unit(translation, PAGE, split_front_matter(page.read_text(encoding="utf-8"))[1])


def units() -> Iterator[Unit]:
    """Every unit of English text the Chinese edition translates."""
    for page in hand_written_pages():
        yield page_unit(page, page_translation(page))
    for note in sorted(NOTES.glob("*.md")):
        yield page_unit(note, NOTES / "zh" / note.name)
    for name, entry in registry_strings().items():
        for key, english in entry.items():
            yield Unit(NOTES / "zh" / f"{name}.yml", key, english)
    for notebook in notebooks():
        for i, source in markdown_cells(notebook).items():
            yield Unit(notebook_translation(notebook), f"cell {i}", source)
    for english in ui_strings():
        yield Unit(LOCALE, english, english)


def ui_strings() -> tuple[str, ...]:
    """``UI_STRINGS`` and the registry's family titles (the nav's groups of functions)."""
    from jaxact._registry import FAMILY_TITLES

    return (*UI_STRINGS, *FAMILY_TITLES.values())


@functools.cache
def _all_units() -> tuple[Unit, ...]:
    return tuple(units())


def units_of(file: Path) -> list[Unit]:
    """The units translated in ``file`` (read once per process: a build asks page by page)."""
    return [u for u in _all_units() if u.file == file]


# ---------------------------------------------------------------------------------------------
# The translations


@dataclass(frozen=True)
class Translation:
    source_sha: str
    zh: str


_FRONT = re.compile(r"\A---\n(.*?)\n---\n?", re.S)


def split_front_matter(text: str) -> tuple[dict, str]:
    """``(front matter, body)`` of a Markdown file (``{}`` when it has none)."""
    match = _FRONT.match(text)
    if match is None:
        return {}, text
    return yaml.safe_load(match.group(1)) or {}, text[match.end() :]


@functools.cache
def _read(file: Path, mtime: float) -> dict[str, Translation]:
    text = file.read_text(encoding="utf-8")
    if file.suffix == ".md":
        meta, body = split_front_matter(text)
        if body.lstrip().startswith(TODO):
            return {}
        return {PAGE: Translation(str(meta.get("source_sha", "")), body)}
    data = yaml.safe_load(text) or {}
    return {
        str(key): Translation(str(value.get("source_sha", "")), str(value.get("zh", "")))
        for key, value in data.items()
        if isinstance(value, dict)
    }


def translations(file: Path) -> dict[str, Translation]:
    """The translations in one file (``{}`` when it does not exist)."""
    if not file.exists():
        return {}
    return _read(file, file.stat().st_mtime)


def lookup(unit: Unit) -> str | None:
    """The current translation of a unit: ``None`` when missing or stale (English then shows)."""
    return translations(unit.file)[unit.key].zh if state(unit) == "ok" else None


@dataclass(frozen=True)
class Status:
    missing: list[Unit]
    stale: list[Unit]
    orphans: list[str]  # "file [key]" of translations no unit asks for


def state(unit: Unit) -> str:
    """``"ok"``, ``"missing"`` (no translation, or an untouched stub) or ``"stale"``."""
    found = translations(unit.file).get(unit.key)
    if found is None or not found.zh.strip():
        return "missing"
    if unit.file.suffix == ".yml" and found.zh.strip() == unit.english.strip():
        return "missing"  # a stub still holding the English
    return "ok" if found.source_sha == sha(unit.english) else "stale"


def status(every: list[Unit] | None = None) -> Status:
    """The missing and stale units (of ``every``, default all) and the orphan translations."""
    every = list(units()) if every is None else every
    missing = [u for u in every if state(u) == "missing"]
    stale = [u for u in every if state(u) == "stale"]
    wanted: dict[Path, set[str]] = {}
    for unit in every:
        wanted.setdefault(unit.file, set()).add(unit.key)
    orphans = []
    for file in sorted(wanted):
        for key in translations(file):
            if key not in wanted[file]:
                orphans.append(f"{_relative(file)} [{key}]")
    found = {*DOCS.rglob("*.zh.md"), *DOCS.rglob("*.zh.yml"), *(NOTES / "zh").glob("*")}
    for file in sorted(found - set(wanted) - {GLOSSARY}):
        orphans.append(f"{file.relative_to(ROOT)} (no English source)")
    return Status(missing, stale, orphans)


# ---------------------------------------------------------------------------------------------
# Stubs for the translator


def _yaml_entry(key: str, source_sha: str, zh: str) -> str:
    body = yaml.safe_dump(
        {key: {"source_sha": source_sha, "zh": zh}},
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_style=None,
    )
    return body


def write_stubs(file: Path) -> int:
    """Add the missing and stale entries of ``file`` with the current hash; their count.

    A stale ``.yml`` entry keeps its old translation under ``zh`` (to be revised) and gets the
    new hash and the new English as a comment; a stale page gets the new hash and a ``TODO``
    line that names the change. Nothing else in the file changes.
    """
    todo = [u for u in units() if u.file == file]
    if not todo:
        raise SystemExit(f"{file}: no English source asks for this translation file")
    have = translations(file)
    if file.suffix == ".md":
        unit = todo[0]
        found = have.get(PAGE)
        if found is not None and found.source_sha == sha(unit.english):
            return 0
        body = unit.english
        meta = {"source_sha": sha(unit.english)}
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
        if found is None:
            text = f"---\n{front}---\n{TODO}\n\n{body}"
        else:  # stale: keep the translation, flag it
            old = split_front_matter(file.read_text(encoding="utf-8"))[1]
            text = f"---\n{front}---\n{TODO}: the English page changed (git diff it)\n\n{old}"
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8")
        return 1
    data = yaml.safe_load(file.read_text(encoding="utf-8")) if file.exists() else None
    data = data or {}
    count = 0
    for unit in todo:
        found = have.get(unit.key)
        if found is not None and found.source_sha == sha(unit.english):
            continue
        count += 1
        zh = unit.english if found is None else found.zh
        data[unit.key] = {"source_sha": sha(unit.english), "zh": zh}
    if count:
        file.parent.mkdir(parents=True, exist_ok=True)
        dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
        file.write_text(dumped, encoding="utf-8")
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m docsgen.i18n", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("status", help="list the missing and stale translations")
    stub = sub.add_parser("stub", help="write stub entries (current hash) into a translation file")
    stub.add_argument("files", nargs="*", type=Path)
    stub.add_argument("--all", action="store_true", help="every translation file with gaps")
    args = parser.parse_args(argv)
    if args.command == "status":
        found = status()
        for unit in found.stale:
            print(f"stale    {unit.where}")
        for unit in found.missing:
            print(f"missing  {unit.where}")
        for where in found.orphans:
            print(f"orphan   {where}")
        total = len(list(units()))
        print(
            f"{total - len(found.missing) - len(found.stale)} of {total} translated; "
            f"{len(found.missing)} missing, {len(found.stale)} stale, {len(found.orphans)} orphan"
        )
        return 1 if found.stale or found.missing or found.orphans else 0
    files = [f.resolve() for f in args.files]
    if args.all:
        found = status()
        files += sorted({u.file for u in found.missing + found.stale})
    for file in files:
        print(f"{file.relative_to(ROOT)}: {write_stubs(file)} entries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
