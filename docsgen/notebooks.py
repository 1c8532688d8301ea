"""Executed notebooks, computed once and cached: the outputs the site shows on notebook pages.

A notebook's outputs depend on its text and on the code it runs (jaxact; the notebooks import
nothing else from this repository), so an executed copy is stored under a key over exactly those
inputs::

    key = sha256(notebook text, sources of jaxact/, this module, the plot style, the nbconvert
                 config, the versions of Python and of the libraries the notebooks import)
    .cache/notebooks/<name>-<key[:20]>.ipynb

An unchanged notebook of an unchanged library is never executed twice; only a run that finished
without an error is stored (a failed cell raises, with its traceback on stderr). Each execution
runs in a fresh interpreter (``python -m docsgen.notebooks NOTEBOOK``): a fresh import of the
library, and two notebooks run side by side without sharing a kernel manager.

``docsgen/hooks.py`` uses it in both modes:

- ``mkdocs build``: every notebook without a cached copy is executed before the pages are
  rendered (two at a time); any failure fails the build.
- ``mkdocs serve``: the site is served at once; a notebook without a cached copy shows its code
  and a "pending" note, is executed in the background, and the page reloads when the copy lands
  in ``.cache/notebooks/`` (a folder the server watches).

This module is imported once per process, so the background queue survives the rebuilds of
``mkdocs serve`` (which reload ``hooks.py`` each time).
"""

from __future__ import annotations

import hashlib
import logging
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from importlib import metadata
from pathlib import Path
from typing import Any

from docsgen._digest import digest_files

log = logging.getLogger("mkdocs.hooks.docsgen")
ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "notebooks"
# Two kernels at once: the docs machine has two cores, and one notebook rarely keeps both busy.
WORKERS = 2
# What the notebooks import besides jaxact (they import nothing else from this repository).
_VERSIONED = (
    "jax jaxlib numpy matplotlib optax scikit-learn flax equinox ipykernel nbconvert".split()
)
SERVING = False  # set by the hooks under `mkdocs serve`: execute in the background


def library_digest(root: Path = ROOT) -> bytes:
    """The part of every key shared by all notebooks: the code they run and its versions."""
    inputs = [
        *sorted((root / "jaxact").rglob("*.py")),
        root / "docsgen" / "notebooks.py",  # how they are executed
        root / "docsgen" / "jaxact.mplstyle",
        *sorted((root / "docsgen" / "jupyter").glob("*.json")),
    ]
    digest = digest_files(inputs, root)
    digest.update(sys.version.encode())
    for name in _VERSIONED:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            pass
    return digest.digest()


def cache_path(notebook: Path, library: bytes | None = None) -> Path:
    """Where the executed copy of ``notebook`` is (or will be) kept for today's sources."""
    digest = hashlib.sha256(library if library is not None else library_digest())
    digest.update(notebook.read_bytes())
    return CACHE / f"{notebook.stem}-{digest.hexdigest()[:20]}.ipynb"


def cached(notebook: Path) -> Path | None:
    """The executed copy of ``notebook`` for today's sources, or None."""
    path = cache_path(notebook)
    return path if path.exists() else None


def execute(notebook: Path, target: Path | None = None) -> Path:
    """Execute ``notebook`` in a fresh interpreter and cache its outputs (unless cached).

    ``target`` is the cache path (by default, the one for today's sources). Raises
    ``RuntimeError`` when a cell fails; the kernel's traceback is on stderr.
    """
    target = target or cache_path(notebook)
    if target.exists():
        return target
    command = [sys.executable, "-m", "docsgen.notebooks", str(notebook), str(target)]
    proc = subprocess.run(command, cwd=ROOT)
    if proc.returncode != 0 or not target.exists():
        raise RuntimeError(f"notebook {notebook.name} failed (its traceback is above)")
    return target


def execute_all(notebooks: Iterable[Path]) -> dict[Path, Path]:
    """The executed copy of every notebook, executing those not cached, ``WORKERS`` at a time.

    The keys are computed once, before anything runs: the copies returned belong to the
    sources as they were when the call began. Raises ``RuntimeError`` on any failure.
    """
    library = library_digest()
    copies = {nb: cache_path(nb, library) for nb in notebooks}

    def timed(notebook: Path) -> None:
        start = time.perf_counter()
        log.info("docsgen: executing notebook %s ...", notebook.name)
        execute(notebook, copies[notebook])
        seconds = time.perf_counter() - start
        log.info("docsgen: executed notebook %s in %.1f s", notebook.name, seconds)

    todo = [nb for nb, copy in copies.items() if not copy.exists()]
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        failures = [f.exception() for f in [pool.submit(timed, nb) for nb in todo]]
    errors = [str(e) for e in failures if e is not None]
    if errors:
        raise RuntimeError("; ".join(errors))
    return copies


# The background queue of `mkdocs serve`: one future per notebook copy being computed.
_background: dict[Path, Future[Path]] = {}
_pool: ThreadPoolExecutor | None = None
_lock = threading.Lock()


def in_background(notebook: Path) -> Future[Path]:
    """Start executing ``notebook`` in the background (once per cache key); its future."""
    global _pool
    target = cache_path(notebook)
    with _lock:
        if target not in _background:
            if _pool is None:
                _pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="notebook")
            log.info("docsgen: executing notebook %s in the background", notebook.name)
            _background[target] = _pool.submit(_logged_execute, notebook)
        return _background[target]


def failed(notebook: Path) -> bool:
    """Whether the background run of ``notebook`` (today's sources) ended in an error."""
    future = _background.get(cache_path(notebook))
    return future is not None and future.done() and future.exception() is not None


def _logged_execute(notebook: Path) -> Path:
    start = time.perf_counter()
    try:
        path = execute(notebook)
    except Exception as error:
        log.error("docsgen: %s", error)
        raise
    log.info("docsgen: notebook %s executed in %.1f s", notebook.name, time.perf_counter() - start)
    return path


def coalesce_streams(nb: Any) -> Any:
    """``nb`` with each run of printed text on the same stream made one output (nbconvert's
    ``CoalesceStreamsPreprocessor``).

    The kernel sends what a cell prints in pieces, as it comes: a loop that computes between its
    ``print`` calls gave one output per line, and the page showed each as a box of its own (the
    rows of a table a blank line apart). Joined, they read as the cell printed them.
    """
    from nbconvert.preprocessors import CoalesceStreamsPreprocessor

    return CoalesceStreamsPreprocessor().preprocess(nb, {})[0]


def _run(notebook: Path, target: Path) -> None:
    """Execute ``notebook`` here (its kernel gets this process's environment); store it."""
    import jupytext
    import nbformat
    from nbconvert.nbconvertapp import NbConvertApp
    from nbconvert.preprocessors import ExecutePreprocessor

    nb = jupytext.read(notebook)
    # The same configuration mkdocs-jupyter's executor loads (JUPYTER_CONFIG_PATH, set by the
    # hooks: CurveZMQ keys for the kernel), so the kernel behaves as it did under the plugin.
    app = NbConvertApp()
    app.load_config_file()
    executor = ExecutePreprocessor(config=app.config, timeout=None, allow_errors=False)
    executor.preprocess(nb, {"metadata": {"path": str(ROOT)}})
    nb = coalesce_streams(nb)
    # Written beside the cache folder, then renamed into it: the server watching the folder
    # sees one event per finished notebook, never a half-written file.
    partial = target.parent.with_name(target.parent.name + "-partial")
    partial.mkdir(parents=True, exist_ok=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=partial, suffix=".ipynb")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        nbformat.write(nb, f)
    os.chmod(tmp, 0o644)  # mkstemp's 0600 would keep the copy from other users of the tree
    os.replace(tmp, target)


if __name__ == "__main__":
    _run(Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve())
