"""MkDocs hooks: add the pages generated from jaxact's registry and from the benchmark results.

Adding a generated page
    Write a function that takes no argument and returns ``{path under docs/: content}``
    (``str`` for Markdown, ``bytes`` for figures), and append it to ``GENERATORS`` below. Its
    files become virtual pages (``File.generated``): nothing is written into ``docs/``, so
    ``mkdocs serve`` does not loop. A generator should cache its own slow work on disk under
    ``.cache/`` (outside the watched folders). Pages under ``benchmarks/`` join the nav on their
    own; a ``_nav.json`` file from a generator is read, not published.

Why a subprocess
    The function pages import jaxact. Under ``mkdocs serve`` an import in this process would
    stay stale after an edit, so ``docsgen.function_pages`` runs in a fresh interpreter, and its
    output is cached in ``.cache/docsgen/<hash>/`` keyed on the sources of jaxact, docsgen, the
    per-function notes and the notebooks (which the pages link to).
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "docsgen"
SKIP_NOTEBOOKS = "JAXACT_DOCS_SKIP_NOTEBOOKS"


def _source_hash() -> str:
    digest = hashlib.sha256()
    inputs = [
        *sorted((ROOT / "jaxact").glob("*.py")),
        *sorted((ROOT / "docsgen").glob("*.py")),
        *sorted((ROOT / "docsgen").glob("*.mplstyle")),
        *sorted((ROOT / "docs" / "_notes").glob("*.md")),
        *sorted((ROOT / "docs" / "notebooks").glob("*.py")),
        *sorted((ROOT / "docs" / "guide").glob("*.py")),
    ]
    for path in inputs:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:24]


def function_pages() -> dict[str, str | bytes]:
    """Pages, plots and API entries of every registered activation (cached, subprocess)."""
    out = CACHE / _source_hash()
    if not (out / "manifest.json").exists():
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


def on_config(config: Any) -> Any:
    # `mkdocs serve` while authoring: skip executing the notebooks (rendered as source).
    if os.environ.get(SKIP_NOTEBOOKS) == "1":
        for name, plugin in config.plugins.items():
            if name == "mkdocs-jupyter":
                plugin.config["execute"] = False
    return config


def on_files(files: Files, config: Any) -> Files:
    start = time.perf_counter()
    _nav_groups.clear()
    count = 0
    for generate in GENERATORS:
        for path, content in generate().items():
            if path == "_nav.json":
                _nav_groups.update(json.loads(content))
                continue
            files.append(File.generated(config, path, content=content))
            count += 1
    print(f"docsgen: {count} generated files in {time.perf_counter() - start:.1f} s")
    config.nav = _navigation(files)
    return files


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
