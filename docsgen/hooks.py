"""MkDocs hooks: add the pages generated from jaxact's registry and from the benchmark results.

Adding a generated page
    Write a function that takes no argument and returns ``{path under docs/: content}``
    (``str`` for Markdown, ``bytes`` for figures), and append it to ``GENERATORS`` below. Its
    files become virtual pages (``File.generated``): nothing is written into ``docs/``, so
    ``mkdocs serve`` does not loop. A generator should cache its own slow work on disk under
    ``.cache/`` (outside the watched folders). Pages under ``benchmarks/`` join the nav on their
    own; a ``_nav.json`` file from a generator is read, not published.

Progress and timing
    Long builds report as they go, at INFO level (a WARNING would fail ``--strict``): one line
    per generator, a line before and after each notebook is executed, and a summary at the end.

Why a subprocess
    The function pages import jaxact. Under ``mkdocs serve`` an import in this process would
    stay stale after an edit, so ``docsgen.function_pages`` runs in a fresh interpreter, and its
    output is cached in ``.cache/docsgen/<hash>/`` keyed on the sources of jaxact, docsgen, the
    per-function notes, the notebooks (which the pages link to) and the speed results.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import zmq
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.hooks.docsgen")  # under "mkdocs": shown at INFO
ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "docsgen"
SKIP_NOTEBOOKS = "JAXACT_DOCS_SKIP_NOTEBOOKS"
JUPYTER_CONFIG = ROOT / "docsgen" / "jupyter"  # jupyter_nbconvert_config.json for the notebooks


def _source_hash() -> str:
    digest = hashlib.sha256()
    inputs = [
        *sorted((ROOT / "jaxact").glob("*.py")),
        *sorted((ROOT / "docsgen").glob("*.py")),
        *sorted((ROOT / "docsgen").glob("*.mplstyle")),
        *sorted((ROOT / "docs" / "_notes").glob("*.md")),
        *sorted((ROOT / "docs" / "notebooks").glob("*.py")),
        *sorted((ROOT / "docs" / "guide").glob("*.py")),
        *sorted((ROOT / "docs" / "api").glob("*.md")),  # name the layer modules
        ROOT / "benchmarks" / "results" / "speed.json",  # the measured "Time vs relu"
    ]
    for path in inputs:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:24]


def function_pages() -> dict[str, str | bytes]:
    """Pages, plots and API entries of every registered activation (cached, subprocess)."""
    out = CACHE / _source_hash()
    if (out / "manifest.json").exists():
        log.info("docsgen: function pages from the cache %s", out.relative_to(ROOT))
    else:
        log.info("docsgen: drawing the function pages (sources changed; cache miss)")
        # A private temporary folder, renamed at the end: concurrent builds never see half a cache.
        CACHE.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=CACHE, suffix=".tmp"))
        subprocess.run(
            [sys.executable, "-m", "docsgen.function_pages", str(tmp)], cwd=ROOT, check=True
        )
        if out.exists():
            shutil.rmtree(tmp)
        else:
            tmp.rename(out)
    manifest = json.loads((out / "manifest.json").read_text())
    return {
        path: (out / str(i)).read_bytes() if binary else (out / str(i)).read_text()
        for i, (path, binary) in enumerate(manifest)
    }


def benchmark_pages() -> dict[str, str | bytes]:
    """The Accuracy and Speed pages (``docsgen.benchmark_pages``, reloaded: serve edits)."""
    # mkdocs restores sys.path after loading this file: make `docsgen` importable now.
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    module = importlib.import_module("docsgen.benchmark_pages")
    return importlib.reload(module).generate_pages()


GENERATORS: list[Callable[[], dict[str, str | bytes]]] = [function_pages, benchmark_pages]

_nav_groups: dict[str, list[str]] = {}


_timings: dict[str, float] = {}
_page_start: dict[str, float] = {}
_executing = True


def on_config(config: Any) -> Any:
    global _executing
    _timings.clear()
    _timings["build"] = time.perf_counter()
    # The notebooks' kernels inherit this process's environment: their figures get the site's
    # plot style (transparent background, grey ink), readable on the light and dark palettes.
    os.environ["MATPLOTLIBRC"] = str(ROOT / "docsgen" / "jaxact.mplstyle")
    # ... and import this tree's jaxact (not another installed copy), wherever the build was
    # started: no path setup in the notebooks, which import nothing else from the repository.
    _prepend_path("PYTHONPATH", ROOT)
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
    # `mkdocs serve` while authoring: skip executing the notebooks (rendered as source).
    _executing = os.environ.get(SKIP_NOTEBOOKS) != "1"
    if not _executing:
        log.info("docsgen: %s=1, the notebooks are not executed", SKIP_NOTEBOOKS)
        for name, plugin in config.plugins.items():
            if name == "mkdocs-jupyter":
                plugin.config["execute"] = False
                # Unexecuted pages depend on the notebook's text only, which mkdocs-jupyter's
                # cache key covers: safe to cache (executed ones also depend on jaxact).
                plugin.config["cache"] = True
    return config


def _prepend_path(variable: str, folder: Path) -> None:
    """Put ``folder`` first on the search path in environment ``variable`` (once)."""
    paths = os.environ.get(variable, "").split(os.pathsep)
    if str(folder) not in paths:
        os.environ[variable] = os.pathsep.join([str(folder), *filter(None, paths)])


def _timed(generate: Callable[[], dict[str, str | bytes]]) -> dict[str, str | bytes]:
    start = time.perf_counter()
    files = generate()
    seconds = time.perf_counter() - start
    log.info("docsgen: %s: %d files in %.1f s", generate.__name__, len(files), seconds)
    return files


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
    start = time.perf_counter()
    _nav_groups.clear()
    # The generators run side by side: the function pages are drawn in a subprocess while the
    # benchmark figures are drawn here, so a cold build uses both cores of the docs machine.
    with ThreadPoolExecutor(max_workers=len(GENERATORS)) as pool:
        outputs = list(pool.map(_timed, GENERATORS))
    count = 0
    for generated in outputs:
        for path, content in generated.items():
            if path == "_nav.json":
                _nav_groups.update(json.loads(content))
                continue
            file = File.generated(config, path, content=content)
            file.edit_uri = _edit_source(path)
            files.append(file)
            count += 1
    _timings["generators"] = time.perf_counter() - start
    log.info("docsgen: %d generated files in %.1f s", count, _timings["generators"])
    config.nav = _navigation(files)
    return files


def _is_notebook(page: Any) -> bool:
    return page.file.src_uri.endswith((".py", ".ipynb"))


@event_priority(-100)  # last: just before the page is rendered (mkdocs-jupyter executes then)
def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    if _is_notebook(page):
        verb = "executing" if _executing else "rendering (not executed)"
        log.info("docsgen: %s notebook %s ...", verb, page.file.src_uri)
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
    total = time.perf_counter() - _timings.get("build", time.perf_counter())
    notebooks = {k: v for k, v in _timings.items() if k.endswith((".py", ".ipynb"))}
    log.info(
        "docsgen: build %.1f s: generators %.1f s, %d notebooks %.1f s (%s)",
        total,
        _timings.get("generators", 0.0),
        len(notebooks),
        sum(notebooks.values()),
        "executed" if _executing else "not executed",
    )


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
        ("API", present("api/functions.md", "api/flax.md", "api/equinox.md")),
    ]
    nav_tail = [{"References": p} for p in present("references.md")]
    nav += [{title: items} for title, items in sections if items]
    return nav + nav_tail
