"""MkDocs hooks: the generated pages, and notebook outputs computed once and cached.

Generated pages
    Before each build, ``python -m docsgen`` (``docsgen/generate.py``) writes the pages,
    figures and nav generated from jaxact's registry and the benchmark results into ``docs/``
    at git-ignored paths, changing only what changed; the build then reads them as ordinary
    files. It runs in a fresh interpreter, so under ``mkdocs serve`` an edited formula is
    never drawn by a stale import.

Notebooks
    mkdocs-jupyter renders the notebooks but no longer executes them: ``docsgen.notebooks``
    does, once per version of the notebook and of the library, into ``.cache/notebooks/``, and
    the page is rendered from that executed copy. ``mkdocs build`` executes every notebook
    without a copy before rendering (two at a time) and fails on any error. ``mkdocs serve``
    answers at once: a notebook without a copy shows its code under a "pending" note while it
    runs in the background, and the page reloads when its outputs arrive.
    ``JAXACT_DOCS_SKIP_NOTEBOOKS=1`` renders the code only and executes nothing.

Progress and timing
    Long builds report as they go, at INFO level (a WARNING would fail ``--strict``): the
    generators' summary, a line before and after each notebook is executed or rendered, and
    a summary at the end.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import zmq
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files

log = logging.getLogger("mkdocs.hooks.docsgen")  # under "mkdocs": shown at INFO
ROOT = Path(__file__).resolve().parent.parent
SKIP_NOTEBOOKS = "JAXACT_DOCS_SKIP_NOTEBOOKS"
JUPYTER_CONFIG = ROOT / "docsgen" / "jupyter"  # jupyter_nbconvert_config.json for the notebooks
# mkdocs restores sys.path after loading this file: make `docsgen` importable for good.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from docsgen import generate, notebooks  # noqa: E402

_nav_groups: dict[str, list[str]] = {}


_timings: dict[str, float] = {}
_page_start: dict[str, float] = {}
_executing = True
_chinese = False  # building the Chinese edition (mkdocs.zh.yml)


def on_config(config: Any) -> Any:
    global _executing, _chinese
    _chinese = config is not None and config.theme.get("language") == "zh"
    _timings.clear()
    _timings["build"] = time.perf_counter()
    # The notebooks' kernels inherit this process's environment: their figures get the site's
    # plot style (transparent background, grey ink), readable on the light and dark palettes.
    os.environ["MATPLOTLIBRC"] = str(ROOT / "docsgen" / "jaxact.mplstyle")
    # ... and import this tree's jaxact (not another installed copy), wherever the build was
    # started: no path setup in the notebooks, which import nothing else from the repository.
    _prepend_path("PYTHONPATH", ROOT)
    # ... and reuse the programs jax compiled for an earlier run (.cache/jax/).
    generate.use_jax_compilation_cache()
    # The kernels talk to nbconvert over TCP on localhost. Without keys, ipykernel (7.4 here)
    # logs "Kernel is running over TCP without encryption" once per notebook. Our nbconvert
    # config (mkdocs-jupyter's NbConvertApp also reads the folders on JUPYTER_CONFIG_PATH) sets
    # jupyter_client's `KernelManager.transport_encryption = "auto"`: the manager hands CurveZMQ
    # keys to every kernel whose kernelspec offers them (ipykernel's: "supported_encryption":
    # ["curve"]), so the traffic is encrypted and the kernel has nothing to warn about.
    # Not the IPC transport: its socket files get fixed names in the kernel's working folder,
    # which concurrent builds of one tree would share.
    if zmq.has("curve"):
        _prepend_path("JUPYTER_CONFIG_PATH", JUPYTER_CONFIG)
    else:
        log.info("docsgen: this libzmq has no CurveZMQ: the notebook kernels run unencrypted")
    # mkdocs-jupyter only renders; docsgen.notebooks executes (cached). Its own cache would
    # serve a copy rendered before the outputs arrived: off.
    jupyter = None if config is None else config.plugins.get("mkdocs-jupyter")
    if jupyter is not None:
        jupyter.config["execute"] = False
        jupyter.config["cache"] = False
        _install_renderer()
    _executing = os.environ.get(SKIP_NOTEBOOKS) != "1"
    if not _executing:
        log.info("docsgen: %s=1, the notebooks are not executed", SKIP_NOTEBOOKS)
    return config


def on_startup(command: str, dirty: bool) -> None:
    # Called once per process (not again on serve's rebuilds): kept in docsgen.notebooks,
    # which is imported once, while this module is reloaded with every rebuild.
    # The Chinese edition's child build under serve (docsgen/editions.py) shows pending
    # notebooks too, and leaves their execution to the serving process.
    notebooks.SERVING = command == "serve" or os.environ.get("JAXACT_DOCS_SERVING") == "1"


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    # A notebook executed in the background lands here: rebuild, and the page reloads.
    notebooks.CACHE.mkdir(parents=True, exist_ok=True)
    server.watch(str(notebooks.CACHE))
    return server


def _prepend_path(variable: str, folder: Path) -> None:
    """Put ``folder`` first on the search path in environment ``variable`` (once)."""
    paths = os.environ.get(variable, "").split(os.pathsep)
    if str(folder) not in paths:
        os.environ[variable] = os.pathsep.join([str(folder), *filter(None, paths)])


def on_pre_build(config: Any) -> None:
    # Before MkDocs lists docs/: the generated files must be there to be read. The Chinese
    # edition's child build (docsgen/editions.py) reads what the English build just wrote.
    if os.environ.get("JAXACT_DOCS_EDITION_CHILD") == "1":
        return
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "docsgen"], cwd=ROOT)
    if proc.returncode != 0:
        raise PluginError("python -m docsgen failed (its traceback is above)")
    _timings["generators"] = time.perf_counter() - start
    log.info("docsgen: python -m docsgen: %.1f s", _timings["generators"])


def _edit_source(path: str) -> str | None:
    """The hand-written file (under docs/) behind a generated page, for its "edit" link.

    A function page's own words are its note, ``docs/_notes/<name>.md``; the other generated
    pages have no such file and get no link (mkdocs' default for a generated file).
    """
    folder, _, name = path.rpartition("/")
    note = f"_notes/{name}"
    if folder == "functions" and (ROOT / "docs" / note).exists():
        return note
    return None


def on_files(files: Files, config: Any) -> Files:
    _nav_groups.clear()
    _nav_groups.update(generate.nav(Path(config.docs_dir)))
    config.nav = _navigation(files)
    generated = set(generate.files(Path(config.docs_dir)))
    for file in files:
        if file.src_uri in generated:  # no source in the repository to edit: see _edit_source
            file.edit_uri = _edit_source(file.src_uri)
    _notebooks.clear()
    _executed.clear()
    jupyter = config.plugins.get("mkdocs-jupyter")
    _notebooks.extend(
        Path(f.abs_src_path)
        for f in files.documentation_pages()
        if jupyter is not None and jupyter.should_include(f)
    )
    if not _executing:
        return files
    if notebooks.SERVING:  # executed in the background once the site is written
        return files
    start = time.perf_counter()
    try:
        _executed.update(notebooks.execute_all(_notebooks))
    except RuntimeError as error:
        raise PluginError(f"docsgen: {error}") from error
    _timings["executing"] = time.perf_counter() - start
    return files


_notebooks: list[Path] = []
# `mkdocs build`: the executed copy of each notebook, fixed before any page is rendered.
_executed: dict[Path, Path] = {}
# mkdocs-jupyter appends the notebook theme's CSS when it renders an .ipynb file (not for the
# .py notebooks it reads through jupytext): cut it, so executed pages look like the others.
_INLINED_CSS = re.compile(r"\s*<style>(?:(?!<style>).)*</style>\s*\Z", re.S)


def _install_renderer() -> None:
    """Make mkdocs-jupyter render a notebook from its executed copy, or show it as pending."""
    from mkdocs_jupyter import convert

    if getattr(convert.nb2html, "docsgen", False):
        return
    original = convert.nb2html

    def nb2html(nb_path: str, **options: Any) -> str:
        source = Path(nb_path)
        if source.suffix == ".ipynb":
            return original(nb_path, **options)
        executed = _executed.get(source) or notebooks.cached(source)
        if _chinese and (executed is not None or os.environ.get(SKIP_NOTEBOOKS) == "1"):
            # The same executed copy, its Markdown cells in Chinese (docsgen/editions.py).
            from docsgen.editions import translate_notebook

            translated = translate_notebook(source, executed)
            html = original(str(translated), **{**options, "execute": False})
            return _INLINED_CSS.sub("", html)
        if os.environ.get(SKIP_NOTEBOOKS) == "1":
            return original(nb_path, **options)
        if executed is not None:
            html = original(str(executed), **{**options, "execute": False})
            return _INLINED_CSS.sub("", html)
        if not notebooks.SERVING:  # a build shows outputs or fails, never "pending"
            raise PluginError(f"docsgen: notebook {source.name} has no executed copy")
        return _pending_note(source) + original(nb_path, **options)

    nb2html.docsgen = True  # type: ignore[attr-defined]
    convert.nb2html = nb2html


def _pending_note(notebook: Path) -> str:
    """The note on a notebook page whose outputs are still being computed (serve only)."""
    if notebooks.failed(notebook):
        title, text = (
            "Execution failed",
            (
                "This notebook raised an error; the traceback is in the terminal that runs "
                "<code>mkdocs serve</code>. Its code is shown without outputs."
            ),
        )
    else:
        title, text = (
            "Outputs pending",
            (
                "This notebook is being executed in the background; its code is shown now, and "
                "this page reloads by itself when the outputs arrive (they are cached in "
                "<code>.cache/notebooks/</code>: an unchanged notebook is executed only once)."
            ),
        )
    return (
        f'<div class="admonition info jaxact-pending"><p class="admonition-title">{title}</p>'
        f"<p>{text}</p></div>\n"
    )


def _is_notebook(page: Any) -> bool:
    return page.file.src_uri.endswith((".py", ".ipynb"))


@event_priority(-100)  # last: just before the page is rendered (mkdocs-jupyter renders then)
def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    if _is_notebook(page):
        if not _executing:
            state = "not executed"
        elif notebooks.cached(Path(page.file.abs_src_path)) is not None:
            state = "outputs from .cache/notebooks"
        else:
            state = "outputs pending"
        log.info("docsgen: rendering notebook %s (%s) ...", page.file.src_uri, state)
    _page_start[page.file.src_uri] = time.perf_counter()
    return markdown


@event_priority(100)  # first: just after the page is rendered
def on_page_content(html: str, page: Any, config: Any, files: Files) -> str:
    seconds = time.perf_counter() - _page_start.pop(page.file.src_uri, time.perf_counter())
    if _is_notebook(page):
        _timings[page.file.src_uri] = seconds
        log.info("docsgen: notebook %s done in %.1f s", page.file.src_uri, seconds)
    elif seconds > 2:
        log.info("docsgen: page %s rendered in %.1f s", page.file.src_uri, seconds)
    return html


def on_post_build(config: Any) -> None:
    if _executing and notebooks.SERVING and os.environ.get("JAXACT_DOCS_EDITION_CHILD") != "1":
        # Only now: the first answer of `mkdocs serve` does not wait for CPU the kernels take.
        for notebook in _notebooks:
            if notebooks.cached(notebook) is None:
                notebooks.in_background(notebook)
    total = time.perf_counter() - _timings.get("build", time.perf_counter())
    rendered = {k: v for k, v in _timings.items() if k.endswith((".py", ".ipynb"))}
    log.info(
        "docsgen: build %.1f s: generators %.1f s, executing notebooks %.1f s, "
        "rendering %d notebooks %.1f s (%s)",
        total,
        _timings.get("generators", 0.0),
        _timings.get("executing", 0.0),
        len(rendered),
        sum(rendered.values()),
        _mode(),
    )


def _mode() -> str:
    if not _executing:
        return "not executed"
    return "executing in the background" if notebooks.SERVING else "executed"


def _navigation(files: Files) -> list[Any]:
    """The whole nav, from what exists: hand-written sections first, then generated ones."""
    pages = {f.src_uri for f in files.documentation_pages()}

    def present(*paths: str) -> list[str]:
        return [p for p in paths if p in pages]

    def under(folder: str) -> list[str]:
        return sorted(p for p in pages if p.startswith(folder + "/") and p.count("/") == 1)

    nav: list[Any] = [{"Home": p} for p in present("index.md")]
    sections = [
        ("Concepts", under("concepts")),
        ("Choosing", present("guide/selection.md")),
        (
            "Functions",
            [{"Overview": "functions/index.md"}]
            + [{title: group} for title, group in _nav_groups.items() if group],
        ),
        ("Notebooks", under("notebooks") + present("guide/models.py")),
        ("Benchmarks", under("benchmarks")),
        ("API", present("api/functions.md", "api/flax.md", "api/flax_linen.md", "api/equinox.md")),
    ]
    nav_tail = [{"References": p} for p in present("references.md")]
    nav += [{title: items} for title, items in sections if items]
    return nav + nav_tail
