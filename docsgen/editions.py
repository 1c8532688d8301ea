"""MkDocs hooks: the Chinese edition at ``/zh/``, built by the same ``mkdocs build``/``serve``.

Two configs, one docs folder
    ``mkdocs.yml`` builds the English site; ``mkdocs.zh.yml`` inherits it (``INHERIT``) with
    ``theme.language: zh``, Chinese search and these hooks' Chinese mode. After the English
    build, ``on_post_build`` builds the Chinese edition into ``<site_dir>/zh`` in a child
    ``mkdocs build -f mkdocs.zh.yml`` (under ``mkdocs serve`` in the background, after every
    rebuild, so that the English site answers first: ``serve_in_background``). Both
    read the same ``docs/`` and the same generated files and executed notebooks
    (``.cache/notebooks/``): nothing is generated or executed twice. ``JAXACT_DOCS_SKIP_ZH=1``
    builds the English edition only.

Chinese pages (``docsgen.i18n`` says where each translation lives)
    A hand-written page is replaced by its translation (``<page>.zh.md``); a generated function
    page gets its registry strings, its notes, the fixed strings and the generators' sentences
    (``translate_templates``) translated, and so do the overview and the Accuracy and Speed
    pages; a notebook's Markdown cells and printed sentences are replaced in the executed copy
    before it is rendered (``translate_notebook``); the nav's titles are translated. What has
    no current translation shows in English (an untranslated page says so at its top), the
    coverage test (``tests/test_i18n.py``) lists it, and ``tests/test_site_zh.py`` finds any
    English sentence left on a built Chinese page. ``docs/glossary.zh.md`` exists only in
    Chinese.

Language switcher
    Material's ``extra.alternate`` menu links to each edition's home; ``on_post_page`` points
    it at the same page in the other edition instead (a relative link: works offline).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # mkdocs loads this file by path: `docsgen` must be importable
    sys.path.insert(0, str(ROOT))
from docsgen import i18n  # noqa: E402

log = logging.getLogger("mkdocs.hooks.editions")
ZH_CONFIG = ROOT / "mkdocs.zh.yml"
ZH_DIR = "zh"  # the Chinese edition's folder in the English site
SKIP_ZH = "JAXACT_DOCS_SKIP_ZH"
CHILD = "JAXACT_DOCS_EDITION_CHILD"  # set for the child build (serve: notebooks stay pending)
GLOSSARY = i18n.GLOSSARY
NOTEBOOKS = ROOT / ".cache" / "zh" / "notebooks"  # the Chinese copies, rewritten each build
UNTRANSLATED = '!!! note "本页尚未翻译"\n    以下为英文原文。中文译文完成后将替换本页。\n'

_state: dict[str, Any] = {"zh": False}


def on_config(config: Any) -> Any:
    _state["zh"] = config.theme.get("language") == "zh"
    if is_zh():
        install_notebook_toc()
        try:  # Material's search segments with jieba, which logs its dictionary loading
            import jieba

            jieba.setLogLevel(logging.WARNING)
        except ImportError:
            pass
    return config


def on_startup(command: str, dirty: bool) -> None:
    _state["serve"] = command == "serve"


def is_zh() -> bool:
    return bool(_state.get("zh"))


# ---------------------------------------------------------------------------------------------
# The Chinese pages


def translation_source(src_uri: str) -> str | None:
    """The file under docs/ that holds the Chinese of the page ``src_uri`` (its "edit" link in
    the Chinese edition), or None where there is none."""
    path = i18n.DOCS / src_uri
    if src_uri == "glossary.md":
        found = GLOSSARY
    elif src_uri.startswith("functions/"):
        found = i18n.NOTES / "zh" / f"{path.stem}.md"
    elif path.suffix == ".md":
        found = i18n.page_translation(path)
    elif path in i18n.notebooks():
        found = i18n.notebook_translation(path)
    else:
        return None
    return found.relative_to(i18n.DOCS).as_posix() if found.exists() else None


def on_files(files: Files, config: Any) -> Files:
    if not is_zh():
        return files
    for file in files.documentation_pages():
        source = translation_source(file.src_uri)
        if source is not None:
            file.edit_uri = source
    if not GLOSSARY.exists():
        return files
    _, body = i18n.split_front_matter(GLOSSARY.read_text(encoding="utf-8"))
    glossary = File.generated(config, "glossary.md", content=body)
    glossary.edit_uri = translation_source("glossary.md")
    files.append(glossary)
    if isinstance(config.nav, list):
        config.nav.append({"术语表": "glossary.md"})
    return files


def _catalogue() -> dict[str, str]:
    """English UI string -> its current Chinese (``docsgen/locale/zh.yml``)."""
    return {u.key: zh for u in i18n.units_of(i18n.LOCALE) if (zh := i18n.lookup(u)) is not None}


def on_nav(nav: Any, config: Any, files: Files) -> Any:
    if not is_zh():
        return nav
    words = _catalogue()

    def walk(items: list[Any]) -> None:
        for item in items:
            title = getattr(item, "title", None)
            if isinstance(title, str) and title in words:
                item.title = words[title]
            if getattr(item, "children", None):
                walk(item.children)

    walk(nav.items)
    return nav


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    if not is_zh():
        return markdown
    src = page.file.src_uri
    english = i18n.DOCS / src
    if src == "glossary.md":
        return markdown
    if src.startswith("functions/") and src != "functions/index.md":
        return translate_function_page(markdown, Path(src).stem)
    if english.suffix == ".md" and english in set(i18n.hand_written_pages()):
        unit = i18n.page_unit(english, i18n.page_translation(english))
        zh = i18n.lookup(unit)
        if zh is None:
            return _mark_untranslated(markdown)
        meta, _ = i18n.split_front_matter(i18n.page_translation(english).read_text("utf-8"))
        page.meta.update({k: v for k, v in meta.items() if k != "source_sha"})
        return keep_anchors(unit.english, zh)
    return keep_anchors(markdown, translate_fixed_strings(markdown))


def on_page_content(html: str, page: Any, config: Any, files: Files) -> str:
    # A notebook page's download line and its figures' alt text are written after Markdown.
    if not is_zh() or not page.file.src_uri.endswith(".py"):
        return html
    words = _catalogue()
    for english in i18n.NOTEBOOK_HTML:
        if english in words:
            html = html.replace(english, words[english])
    return html


def _mark_untranslated(markdown: str) -> str:
    head, sep, rest = markdown.partition("\n")
    if head.startswith("# "):
        return f"{head}\n\n{UNTRANSLATED}\n{rest}"
    return f"{UNTRANSLATED}\n{markdown}"


def translate_function_page(markdown: str, name: str) -> str:
    """A generated function page with its registry strings, notes and fixed strings in Chinese."""
    return keep_anchors(markdown, _translate_function_page(markdown, name))


def _translate_function_page(markdown: str, name: str) -> str:
    import jaxact
    from docsgen.convention_math import render_convention
    from docsgen.function_pages import table_text

    names = jaxact.get(name).all_names if name in jaxact.names() else (name,)
    for unit in i18n.units_of(i18n.NOTES / "zh" / f"{name}.md"):
        zh = i18n.lookup(unit)
        if zh is not None:
            markdown = markdown.replace(unit.english.strip(), zh.strip())
    lines = markdown.split("\n")
    for unit in sorted(
        i18n.units_of(i18n.NOTES / "zh" / f"{name}.yml"), key=lambda u: -len(u.english)
    ):
        zh = i18n.lookup(unit)
        if zh is None:
            continue
        for i, line in enumerate(lines):
            if unit.key == "summary" and line == unit.english:
                lines[i] = zh.strip()
            elif unit.key.startswith("param ") and line.startswith("| `"):
                english, chinese = (table_text(t) for t in (unit.english, zh.strip()))
                lines[i] = line.replace(f"| {english}", f"| {chinese}")
            elif unit.key.startswith("convention ") and line in (
                f"- {unit.english}",
                f"- {render_convention(unit.english, names)}",
            ):
                lines[i] = f"- {render_convention(zh.strip(), names)}"
    return translate_fixed_strings("\n".join(lines))


_HEADING = re.compile(r"^(#{1,6}) (.+?)(?:\s+\{([^}]*)\})?\s*$")


def headings(markdown: str) -> list[tuple[int, int, str, str]]:
    """``(line index, level, text, attribute list)`` of each ATX heading outside code fences."""
    found, fenced = [], False
    for i, line in enumerate(markdown.split("\n")):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and (match := _HEADING.match(line)):
            found.append((i, len(match.group(1)), match.group(2), match.group(3) or ""))
    return found


def keep_anchors(english: str, translated: str) -> str:
    """``translated`` with each heading given the id its English heading has (same order).

    Links between pages (``page.md#anchor``) and from one edition's page to the other's name
    English anchors; a Chinese heading would get another (or an empty) slug. A heading that
    sets its own ``{#id}``, or whose level differs from the English one, is left alone.
    """
    from markdown.extensions.toc import slugify

    lines = translated.split("\n")
    for (_, level, text, attrs), (i, zh_level, zh_text, zh_attrs) in zip(
        headings(english), headings(translated), strict=False
    ):
        if zh_attrs or level != zh_level:
            continue
        explicit = re.search(r"#([\w-]+)", attrs)
        anchor = explicit.group(1) if explicit else slugify(text, "-")
        lines[i] = f"{'#' * zh_level} {zh_text} {{#{anchor}}}"
    return "\n".join(lines)


_SEE_NOTEBOOK = re.compile(r"^- Notebook: \[(.+?)\]\(((?:\.\./)*)(.+?\.py)\)$")


def translate_templates(text: str, words: dict[str, str] | None = None) -> str:
    """``text`` with every sentence of ``i18n.TEMPLATES`` in Chinese, its varying parts kept
    (longest template first: a shorter one may be part of a longer one); ``words``: the
    catalogue, when the caller has read it already."""
    words = _catalogue() if words is None else words
    for english in sorted(i18n.TEMPLATES, key=len, reverse=True):
        zh = words.get(english)
        if zh is not None:
            text = i18n.template_regex(english).sub(
                lambda m, zh=zh: i18n.fill_template(zh, m), text
            )
    return text


def translate_fixed_strings(markdown: str) -> str:
    """Headings, whole lines, list items and table cells that are UI strings, and the
    templates' sentences wherever they are, in Chinese."""
    words = _catalogue()
    markdown = translate_templates(markdown, words)
    out = []
    for line in markdown.split("\n"):
        heading = re.match(r"^(#{1,6} )(.+)$", line)
        item = re.match(r"^(\s*- )(.+)$", line)
        notebook = _SEE_NOTEBOOK.match(line)
        if line in words:
            line = words[line]
        elif heading and heading.group(2) in words:
            line = heading.group(1) + words[heading.group(2)]
        elif notebook and "Notebook:" in words:
            title = notebook_title(i18n.DOCS / notebook.group(3)) or notebook.group(1)
            link = f"[{title}]({notebook.group(2)}{notebook.group(3)})"
            line = f"- {words['Notebook:']}{link}"
        elif item and item.group(2) in words:
            line = item.group(1) + words[item.group(2)]
        elif line.lstrip().startswith("|") and line.rstrip().endswith("|"):
            # A table row, also indented (the Accuracy page's tables sit in tabs).
            indent = line[: len(line) - len(line.lstrip())]
            cells = line.strip()[1:-1].split("|")
            line = indent + "|" + "|".join(_cell(c, words) for c in cells) + "|"
        out.append(line)
    return "\n".join(out)


def _cell(cell: str, words: dict[str, str]) -> str:
    text = cell.strip()
    return f" {words[text]} " if text in words else cell


def notebook_title(notebook: Path) -> str | None:
    """The Chinese title of a notebook (the heading of its translated first cell)."""
    for unit in i18n.units_of(i18n.notebook_translation(notebook)):
        zh = i18n.lookup(unit)
        if zh is not None and (match := re.match(r"^# (.+)$", zh, re.M)):
            return match.group(1).strip()
    return None


def translate_notebook(notebook: Path, executed: Path | None) -> Path:
    """A copy of the notebook (executed if given) whose Markdown cells are in Chinese.

    Code and outputs are the executed copy's: the notebook runs once for both editions.
    """
    import jupytext
    import nbformat
    from markdown.extensions.toc import slugify

    nb = nbformat.read(executed, as_version=4) if executed else jupytext.read(notebook)
    titles: list[tuple[int, str]] = []
    units = {u.key: u for u in i18n.units_of(i18n.notebook_translation(notebook))}
    for cell in nb.cells:
        unit = units.get(i18n.cell_key(cell.source)) if cell.cell_type == "markdown" else None
        zh = i18n.lookup(unit) if unit is not None else None
        if unit is not None and zh is not None:
            # Each heading keeps its English id: the page's TOC, the links and the search
            # index name it (a Chinese heading would get an empty or a repeated one).
            lines = zh.rstrip("\n").split("\n")
            for (_, level, text, _), (i, zh_level, zh_text, _) in zip(
                headings(unit.english), headings(zh), strict=False
            ):
                if level == zh_level:
                    inner = re.sub(r"`([^`]+)`", r"<code>\1</code>", zh_text)
                    lines[i] = f'<h{level} id="{slugify(text, "-")}">{inner}</h{level}>'
                    titles.append((level, zh_text))
            cell.source = "\n".join(lines)
    _TITLES[notebook] = titles
    translate_outputs(nb, list(units.values()))
    NOTEBOOKS.mkdir(parents=True, exist_ok=True)
    target = NOTEBOOKS / f"{notebook.parent.name}-{notebook.stem}.ipynb"
    nbformat.write(nb, target)
    return target


def translate_outputs(nb: Any, units: list[i18n.Unit]) -> None:
    """The sentences a notebook prints (``i18n.NOTEBOOK_OUTPUTS``) in Chinese, in place; a
    line made longer than the code block (``OUTPUT_COLUMNS``, a Chinese character two
    columns) is wrapped."""
    found = [
        (i18n.output_regex(u.english), zh)
        for u in sorted(units, key=lambda u: -len(u.english))
        if u.key.startswith(i18n.OUTPUT) and (zh := i18n.lookup(u)) is not None
    ]
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") != "stream" or not found:
                continue
            text = original = output["text"]
            for regex, zh in found:
                text = regex.sub(lambda m, zh=zh: i18n.fill_template(zh, m), text)
            if text != original:
                output["text"] = "\n".join(wrap_wide(line) for line in text.split("\n"))


OUTPUT_COLUMNS = 79  # tests/_site.py CODE_WIDTH: what a notebook's code block shows on a line


def _columns(char: str) -> int:
    return 2 if "\u2e80" <= char <= "\u9fff" or "\uff00" <= char <= "\uffef" else 1


def wrap_wide(line: str, width: int = OUTPUT_COLUMNS) -> str:
    """``line`` broken into lines of at most ``width`` columns (a CJK character is two)."""
    lines, current, used = [], "", 0
    for char in line:
        if used + _columns(char) > width:
            lines.append(current.rstrip())
            current, used = "", 0
            if char == " ":
                continue
        current += char
        used += _columns(char)
    return "\n".join([*lines, current])


def chinese_toc(tokens: list[dict], titles: list[tuple[int, str]]) -> None:
    """Give a notebook's English TOC tokens (whose anchors the page keeps) the Chinese names
    of the translated headings, paired in document order where the levels agree."""
    flat: list[dict] = []

    def walk(items: list[dict]) -> None:
        for item in items:
            flat.append(item)
            walk(item.get("children", []))

    walk(tokens)
    for token, (level, name) in zip(flat, titles, strict=False):
        if token.get("level") == level:
            token["name"] = name


_TITLES: dict[Path, list[tuple[int, str]]] = {}  # notebook -> its Chinese headings


def install_notebook_toc() -> None:
    """Make mkdocs-jupyter take a notebook page's title and TOC names from its Chinese copy."""
    from mkdocs_jupyter import plugin

    if getattr(plugin._get_nb_toc_tokens, "zh", False):
        return
    original = plugin._get_nb_toc_tokens

    def toc_tokens(fpath: str, toc_depth: int) -> Any:
        tokens, title = original(fpath, toc_depth)
        source = Path(fpath)
        if source.suffix != ".py":
            return tokens, title
        from docsgen import notebooks

        translate_notebook(source, notebooks.cached(source))
        titles = _TITLES.get(source, [])
        chinese_toc(tokens, titles)
        zh_title = next((name for level, name in titles if level == 1), None)
        return tokens, zh_title or title

    toc_tokens.zh = True  # type: ignore[attr-defined]
    plugin._get_nb_toc_tokens = toc_tokens


# ---------------------------------------------------------------------------------------------
# The language switcher and the second build

_ALTERNATE = re.compile(r'(<a href=")[^"]*(" hreflang="(en|zh)" class="md-select__link">)')


def other_edition_link(url: str, zh: bool, target: str) -> str:
    """The relative link from the page at ``url`` (its URL in its edition) to the same page in
    edition ``target`` (``en`` or ``zh``)."""
    up = "../" * url.count("/")
    if (target == "zh") == zh:
        return up + url if up + url else "./"
    return up + (f"{ZH_DIR}/" if target == "zh" else "../") + url


def on_post_page(output: str, page: Any, config: Any) -> str:
    glossary = is_zh() and page.file.src_uri == "glossary.md"

    def link(match: re.Match[str]) -> str:
        target = match.group(3)
        up = "../" * page.url.count("/")
        if glossary and target == "en":  # no English glossary: the English home
            href = up + "../"
        else:
            href = other_edition_link(page.url, is_zh(), target)
        return match.group(1) + href + match.group(2)

    return _ALTERNATE.sub(link, output)


def on_post_build(config: Any) -> None:
    if is_zh() or os.environ.get(SKIP_ZH) == "1":
        return
    target = Path(config.site_dir) / ZH_DIR
    if _state.get("serve"):
        serve_in_background(target)
        return
    start = time.perf_counter()
    proc = subprocess.run(_child_build(target), cwd=ROOT, env={**os.environ, CHILD: "1"})
    if proc.returncode != 0:
        raise PluginError("the Chinese edition's build (mkdocs.zh.yml) failed: see above")
    seconds = time.perf_counter() - start
    log.info("editions: the Chinese edition built into %s in %.1f s", target, seconds)


def _child_build(target: Path) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "-f", str(ZH_CONFIG), "-d", str(target)]


# Under `mkdocs serve` the English site answers first and the Chinese edition follows: its child
# build runs in the background (a newer rebuild stops an older one) into a folder of its own,
# then is copied into the served site. Meanwhile the last finished Chinese build, kept here, is
# served (one rebuild behind at most).
SERVED_ZH = ROOT / ".cache" / "zh" / "site"
_serving: dict[str, Any] = {"proc": None}
_serving_lock = threading.Lock()


def serve_in_background(target: Path) -> subprocess.Popen[bytes]:
    """Start the Chinese edition's build for the served site at ``target``; its process."""
    if SERVED_ZH.is_dir():
        _copy_into(SERVED_ZH, target)
    SERVED_ZH.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix="site-", dir=SERVED_ZH.parent))
    env = {**os.environ, CHILD: "1", "JAXACT_DOCS_SERVING": "1"}
    with _serving_lock:
        older = _serving["proc"]
        if older is not None and older.poll() is None:
            older.terminate()
        proc = subprocess.Popen(_child_build(building), cwd=ROOT, env=env)
        _serving["proc"] = proc
    log.info("editions: the Chinese edition is being built in the background")
    args = (proc, building, target, time.perf_counter())
    threading.Thread(target=_finish_serving, args=args, daemon=True).start()
    return proc


def _finish_serving(proc: subprocess.Popen[bytes], building: Path, target: Path, start: float):
    failed = proc.wait() != 0
    with _serving_lock:
        current = _serving["proc"] is proc
        if current and not failed:
            shutil.rmtree(SERVED_ZH, ignore_errors=True)
            building.rename(SERVED_ZH)
    if failed or not current:
        shutil.rmtree(building, ignore_errors=True)
        if failed and current:
            log.error("editions: the Chinese edition's build (mkdocs.zh.yml) failed: see above")
        return
    _copy_into(SERVED_ZH, target)
    seconds = time.perf_counter() - start
    log.info("editions: the Chinese edition is served at zh/ (built in %.1f s)", seconds)


def _copy_into(source: Path, target: Path) -> None:
    try:
        shutil.copytree(source, target, dirs_exist_ok=True)
    except OSError as error:  # the served site was cleaned for a rebuild meanwhile
        log.warning("editions: the Chinese edition was not copied into %s: %s", target, error)
