"""The generated part of the site, written as real files under ``docs/``: ``python -m docsgen``.

Function pages, their plots, the overview table, the API page, the concept figures, the
Accuracy and Speed pages, the alias pages (``functions/<alias>/index.html``) and the nav are
generated from jaxact's registry and the benchmark results. ``python -m docsgen`` writes them
into ``docs/`` at paths that git ignores (see ``.gitignore``), so any site builder reads them
as ordinary pages: MkDocs' hooks run this command before each build (``docsgen/hooks.py``),
and a builder that runs no hooks (Zensical) needs it run first.

Adding a generated page
    Write a function that takes no argument and returns ``{path under docs/: content}``
    (``str`` for Markdown, ``bytes`` for figures), and append it to ``GENERATORS``. A generator
    should cache its own slow work on disk under ``.cache/`` (outside the watched folders). A
    ``_nav.json`` file from a generator is the nav of the function pages: kept in the manifest,
    not written as a page.

What is written
    Only files whose content changed are written (atomically), and files written by an earlier
    run that no generator produces any more are removed; ``docs/_generated.json`` lists the
    files and the nav. An unchanged tree is left untouched, so ``mkdocs serve``, which watches
    ``docs/``, does not rebuild in a loop.

Why a subprocess for the function pages
    They import jaxact. ``docsgen.function_pages`` runs in a fresh interpreter whose output is
    cached in ``.cache/docsgen/<hash>/``, keyed on the sources of jaxact, docsgen, the
    per-function notes, the notebooks (which the pages link to) and the speed results.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from docsgen._digest import digest_files

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CACHE = ROOT / ".cache" / "docsgen"
MANIFEST = "_generated.json"  # under docs/: {"files": [...], "nav": {...}}


def use_jax_compilation_cache() -> None:
    """Let jax keep compiled programs in ``.cache/jax/`` for this process and its children.

    The function pages and the notebooks compile hundreds of small programs; after an edit to
    one function most of them are unchanged and load from this cache instead (measured: the
    function pages' 24 s of CPU fall to 16 s). A setting the user made is kept.
    """
    os.environ.setdefault("JAX_COMPILATION_CACHE_DIR", str(ROOT / ".cache" / "jax"))
    os.environ.setdefault("JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS", "0")


def _say(message: str) -> None:
    print(f"docsgen: {message}", file=sys.stderr, flush=True)


_NOT_DRAWING = ("i18n.py", "editions.py")


def _source_hash() -> str:
    inputs = [
        *sorted((ROOT / "jaxact").rglob("*.py")),
        # Not the Chinese edition's modules: they change no English page or figure.
        *sorted(p for p in (ROOT / "docsgen").glob("*.py") if p.name not in _NOT_DRAWING),
        *sorted((ROOT / "docsgen").glob("*.mplstyle")),
        *sorted((ROOT / "docs" / "_notes").glob("*.md")),
        *sorted((ROOT / "docs" / "notebooks").glob("*.py")),
        *sorted((ROOT / "docs" / "guide").glob("*.py")),
        *sorted(
            p
            for p in (ROOT / "docs" / "api").glob("*.md")
            if p.name != "functions.md" and not p.name.endswith(".zh.md")
        ),
        ROOT / "benchmarks" / "results" / "speed.json",  # the measured "Time vs relu"
    ]
    return digest_files(inputs, ROOT).hexdigest()[:24]


def function_pages() -> dict[str, str | bytes]:
    """Pages, plots and API entries of every registered activation (cached, subprocess)."""
    out = CACHE / _source_hash()
    if (out / "manifest.json").exists():
        _say(f"function pages from the cache {out.relative_to(ROOT)}")
    else:
        _say("drawing the function pages (sources changed; cache miss)")
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
    """The Accuracy and Speed pages (``docsgen.benchmark_pages``, cached by that module)."""
    from docsgen.benchmark_pages import generate_pages

    return generate_pages()


def alias_pages() -> dict[str, str | bytes]:
    """A page at ``functions/<alias>/`` for each alias, sending to the function's page."""
    from docsgen.names import alias_pages as pages

    return pages()


GENERATORS: list[Callable[[], dict[str, str | bytes]]] = [
    function_pages,
    benchmark_pages,
    alias_pages,
]


def _timed(generate: Callable[[], dict[str, str | bytes]]) -> dict[str, str | bytes]:
    start = time.perf_counter()
    files = generate()
    _say(f"{generate.__name__}: {len(files)} files in {time.perf_counter() - start:.1f} s")
    return files


def generate() -> dict[str, str | bytes]:
    """Every generated file, keyed by its path under ``docs/`` (``_nav.json`` included)."""
    # Side by side: the function pages are drawn in a subprocess while the benchmark figures
    # are drawn here, so a cold run uses both cores of the docs machine.
    with ThreadPoolExecutor(max_workers=len(GENERATORS)) as pool:
        outputs = list(pool.map(_timed, GENERATORS))
    files: dict[str, str | bytes] = {}
    for generated in outputs:
        files.update(generated)
    return files


def _write_if_changed(path: Path, content: bytes) -> bool:
    if path.is_file() and path.read_bytes() == content:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    # Atomic: a build reading docs/ at the same moment sees the old file or the new one.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "wb") as f:
        f.write(content)
    os.chmod(tmp, 0o644)  # as an ordinary file (mkstemp creates it 0600)
    os.replace(tmp, path)
    return True


def write(files: dict[str, str | bytes], docs: Path = DOCS) -> tuple[list[str], list[str]]:
    """Write ``files`` under ``docs``; ``(written, removed)`` paths, both empty when unchanged."""
    nav = json.loads(files.get("_nav.json", "{}"))
    pages = {p: c for p, c in files.items() if p != "_nav.json"}
    manifest_path = docs / MANIFEST
    try:
        previous = json.loads(manifest_path.read_text())["files"]
    except (FileNotFoundError, KeyError, ValueError):
        previous = []
    written = [
        path
        for path, content in pages.items()
        if _write_if_changed(docs / path, content.encode() if isinstance(content, str) else content)
    ]
    removed = []
    for path in sorted(set(previous) - set(pages)):
        target = docs / path
        if target.is_file():
            target.unlink()
            removed.append(path)
        # Drop folders the removal emptied (never docs/ itself).
        parent = target.parent
        while parent != docs and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
    manifest = json.dumps({"files": sorted(pages), "nav": nav}, indent=1) + "\n"
    _write_if_changed(manifest_path, manifest.encode())
    return written, removed


def files(docs: Path = DOCS) -> list[str]:
    """The paths under ``docs`` that the last run wrote (generated, git-ignored); none before
    the first run. Whatever else is under ``docs`` is hand-written."""
    try:
        return json.loads((docs / MANIFEST).read_text())["files"]
    except FileNotFoundError:
        return []


def nav(docs: Path = DOCS) -> dict[str, list[str]]:
    """The function pages' nav groups written by the last run (``{title: [page, ...]}``)."""
    return json.loads((docs / MANIFEST).read_text())["nav"]


def main() -> None:
    start = time.perf_counter()
    use_jax_compilation_cache()
    files = generate()
    written, removed = write(files)
    _say(
        f"{len(files) - 1} generated files in {time.perf_counter() - start:.1f} s "
        f"({len(written)} written, {len(removed)} removed, the rest unchanged)"
    )
