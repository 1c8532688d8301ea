"""Every notebook runs outside the repository: ``pip install jaxact`` plus the packages it names.

The notebooks keep all the code they run in their own cells (no import from ``docsgen`` or the
tests), name what to install in their first Markdown cell, and are offered for download as
``.ipynb`` and ``.py`` (docsgen/notebook_files.py). The fast tests check that statically; the
slow one builds a fresh virtual environment (no system site-packages) with the jaxact package
built from this tree and the named packages from the registry, and runs each notebook from a
temporary folder, so nothing of the repository is on ``sys.path``.
"""

from __future__ import annotations

import ast
import functools
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

import pytest
from _notebooks import HELPERS_TAG, NOTEBOOKS, ROOT, cells, helpers, required_packages

from docsgen.notebook_files import download_line, download_names, ipynb_text

IDS = [p.stem for p in NOTEBOOKS]


def _imported_modules(path: Path) -> set[str]:
    """Top-level names of every module the notebook's code imports."""
    found = set()
    for cell in cells(path):
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Import):
                found |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found


def _jaxact_dependencies() -> set[str]:
    """What ``pip install jaxact`` brings (pyproject.toml), as distribution names."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = {"jaxact"}
    for requirement in project["dependencies"]:
        names.add(requirement.split(">")[0].split("<")[0].split("=")[0].split("[")[0].strip())
    return {n.lower() for n in names} | {"jaxlib"}  # jax pulls jaxlib


@functools.cache
def _providers() -> dict[str, list[str]]:
    return importlib.metadata.packages_distributions()


def _distribution(module: str) -> str | None:
    """The distribution that provides a top-level module; None for the standard library."""
    if module in sys.stdlib_module_names:
        return None
    if module == "jaxact":
        return "jaxact"
    providers = _providers().get(module)
    assert providers, f"no installed distribution provides {module!r}"
    return providers[0].lower()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_names_every_package_it_imports(path: Path) -> None:
    named = {n.lower() for n in required_packages(path)}
    assert "jaxact" in named
    needed = {_distribution(m) for m in _imported_modules(path)} - {None}
    # What the notebook imports: jaxact and its dependencies, or a package it names.
    assert needed - named - _jaxact_dependencies() == set()
    # ... and it names nothing it does not import.
    assert named - needed == set()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_imports_nothing_from_the_repository(path: Path) -> None:
    local = {p.name for p in ROOT.iterdir() if p.is_dir()} | {p.stem for p in ROOT.glob("*.py")}
    assert _imported_modules(path) & (local - {"jaxact"}) == set()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_helpers_are_on_the_page_and_define_functions(path: Path) -> None:
    tagged = [c for c in cells(path) if HELPERS_TAG in c.metadata.get("tags", [])]
    assert tagged and all(c.cell_type == "code" for c in tagged)
    namespace = vars(helpers(path.stem))
    assert [name for name, v in namespace.items() if callable(v) and not name.startswith("_")]


def test_install_line_is_required() -> None:
    with pytest.raises(ValueError, match="pip install"):
        required_packages(ROOT / "docs" / "guide" / "selection.md")  # no such line


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_ipynb_download_holds_the_same_code(path: Path) -> None:
    notebook = json.loads(ipynb_text(path))
    assert notebook["nbformat"] == 4
    code = ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]
    assert code == [c.source for c in cells(path) if c.cell_type == "code"]
    assert all(c.get("outputs", []) == [] for c in notebook["cells"])
    ipynb, script = download_names(path)
    assert (ipynb, script) == (f"{path.stem}.ipynb", path.name)
    assert f'href="{ipynb}"' in download_line(path) and f'href="{script}"' in download_line(path)


# ---------------------------------------------------------------- the fresh environment


@pytest.fixture(scope="session")
def fresh_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment with jaxact (built from a copy of the package's sources, not
    an editable install) and every package the notebooks name, from the registry."""
    base = tmp_path_factory.mktemp("fresh-venv")
    # What the wheel is built from: the package and the top-level files (pyproject.toml, README,
    # LICENSE, ...); no build/ or egg-info leftovers of an earlier build in the tree.
    source = base / "jaxact-src"
    source.mkdir()
    for path in ROOT.iterdir():
        if path.is_file() and not path.name.startswith("."):
            shutil.copy(path, source / path.name)
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "jaxact", source / "jaxact", ignore=ignore)
    venv.create(base / "venv", with_pip=True, system_site_packages=False, symlinks=True)
    python = base / "venv" / "bin" / "python"
    packages = sorted({n for p in NOTEBOOKS for n in required_packages(p)} - {"jaxact"})
    subprocess.run(
        [python, "-m", "pip", "install", "-q", "--disable-pip-version-check", source, *packages],
        check=True,
        env=_clean_env(),
        cwd=base,
        timeout=900,
    )
    return python


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.pop("MATPLOTLIBRC", None)
    env["MPLBACKEND"] = "Agg"  # no display; the figures are drawn all the same
    return env


@pytest.mark.slow
def test_fresh_environment_has_no_repository_on_the_path(fresh_python: Path, tmp_path: Path):
    probe = (
        "import importlib.util, sys, jaxact; print(jaxact.__file__); "
        "print(importlib.util.find_spec('docsgen')); print(sys.prefix != sys.base_prefix)"
    )
    out = subprocess.run(
        [fresh_python, "-c", probe],
        env=_clean_env(),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out[0].startswith(str(fresh_python.parent.parent)), out  # the installed copy
    assert out[1:] == ["None", "True"]


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_runs_in_a_fresh_environment(fresh_python: Path, tmp_path: Path, path: Path):
    # The script the page offers for download, run where the reader would: an empty folder.
    script = tmp_path / download_names(path)[1]
    shutil.copy(path, script)
    proc = subprocess.run(
        [fresh_python, script.name],
        env=_clean_env(),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert proc.stdout.strip()  # every notebook prints its headline numbers
