"""The notebooks in docs/notebooks/, as tests see them.

Each notebook is self-contained: its helper code (data sets, models, training loops) lives in
its own code cells tagged ``helpers``, so that a reader sees and runs every line. Tests load
those cells, and only those, to call the very functions the page runs. The first Markdown cell
names what to install (``Runs with `pip install jaxact ...```); ``required_packages`` reads it.
"""

from __future__ import annotations

import functools
import re
import types
from pathlib import Path

import jupytext

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "docs" / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9]*.py"))
HELPERS_TAG = "helpers"
_INSTALL = re.compile(r"Runs with `pip install ([^`]+)`")


def cells(path: Path) -> list:
    return jupytext.read(path).cells


def required_packages(path: Path) -> list[str]:
    """The distributions named by the install line of the notebook's first Markdown cell."""
    first = next(c for c in cells(path) if c.cell_type == "markdown")
    found = _INSTALL.search(first.source.replace("\n", " "))
    if found is None:
        raise ValueError(f"{path.name}: no 'Runs with `pip install ...`' line in its first cell")
    return found.group(1).split()


@functools.cache
def helpers(stem: str) -> types.SimpleNamespace:
    """The names defined by the ``helpers`` cells of ``docs/notebooks/<stem>.py``."""
    path = NOTEBOOK_DIR / f"{stem}.py"
    namespace: dict[str, object] = {"__name__": f"notebook_{stem}"}
    tagged = [c for c in cells(path) if HELPERS_TAG in c.metadata.get("tags", [])]
    if not tagged:
        raise ValueError(f"{path.name} has no code cell tagged {HELPERS_TAG!r}")
    for cell in tagged:
        exec(compile(cell.source, str(path), "exec"), namespace)
    return types.SimpleNamespace(**namespace)
