"""The release: metadata in pyproject.toml, the contents of the sdist and the wheel, and the
wheel's docstring examples run in a fresh virtual environment against the installed files."""

from __future__ import annotations

import doctest
import importlib
import os
import pkgutil
import re
import subprocess
import sys
import tarfile
import tomllib
import venv
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from _site import ROOT

import jaxact

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PROJECT = PYPROJECT["project"]
SMOKE = ROOT / "tools" / "doctest_installed.py"


def _tracked(folder: str) -> set[str]:
    out = subprocess.run(
        ["git", "ls-files", folder], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(out.stdout.split())


def test_license_is_an_spdx_expression_with_its_file() -> None:
    assert PROJECT["license"] == "Apache-2.0"
    assert PROJECT["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text()
    assert text.split()[:4] == ["Apache", "License", "Version", "2.0,"]
    assert "END OF TERMS AND CONDITIONS" in text
    # The SPDX string and license-files need setuptools >= 77 (PEP 639).
    [setuptools] = [r for r in PYPROJECT["build-system"]["requires"] if "setuptools" in r]
    assert re.fullmatch(r"setuptools>=(\d+)", setuptools) and int(setuptools[12:]) >= 77


def test_version_is_written_once() -> None:
    assert "version" not in PROJECT and "version" in PROJECT["dynamic"]
    dynamic = PYPROJECT["tool"]["setuptools"]["dynamic"]["version"]
    assert dynamic == {"attr": "jaxact.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", jaxact.__version__)


def test_package_ships_its_type_information() -> None:
    assert (ROOT / "jaxact" / "py.typed").exists()
    assert "py.typed" in PYPROJECT["tool"]["setuptools"]["package-data"]["jaxact"]
    assert "Typing :: Typed" in PROJECT["classifiers"]


def test_metadata_names_authors_urls_and_classifiers() -> None:
    assert PROJECT["authors"]
    assert {"Homepage", "Documentation", "Source", "Issues"} <= set(PROJECT["urls"])
    assert all(url.startswith("https://") for url in PROJECT["urls"].values())
    floor = re.fullmatch(r">=3\.(\d+)", PROJECT["requires-python"]).group(1)
    assert f"Programming Language :: Python :: 3.{floor}" in PROJECT["classifiers"]
    site_url = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(), re.M)
    assert PROJECT["urls"]["Documentation"] == site_url.group(1)


def test_readme_gives_the_install_command_and_the_extras() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "pip install jaxact" in readme
    for extra in ("flax", "equinox"):
        assert extra in PROJECT["optional-dependencies"]
        assert f'pip install "jaxact[{extra}]"' in readme


def _example_count() -> int:
    """The docstring examples of the checkout's jaxact, counted as doctest counts them."""
    finder = doctest.DocTestFinder()
    names = ["jaxact"] + [m.name for m in pkgutil.walk_packages(jaxact.__path__, "jaxact.")]
    return sum(
        len(test.examples) for name in names for test in finder.find(importlib.import_module(name))
    )


@dataclass(frozen=True)
class Dists:
    sdist: Path
    wheel: Path


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> Dists:
    """``python -m build``: the sdist, then the wheel built from that sdist (as released)."""
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    [sdist], [wheel] = sorted(out.glob("*.tar.gz")), sorted(out.glob("*.whl"))
    return Dists(sdist, wheel)


@pytest.mark.slow  # builds in an isolated environment that pip fills from the registry (~20 s)
def test_sdist_carries_the_package_and_no_tests(dists: Dists) -> None:
    with tarfile.open(dists.sdist) as sdist:
        names = {n.split("/", 1)[1] for n in sdist.getnames() if "/" in n}
    assert {"LICENSE", "README.md", "pyproject.toml", "PKG-INFO", "jaxact/py.typed"} <= names
    assert {p for p in _tracked("jaxact") if p.endswith(".py")} <= names
    # The tests need the docs, the generators and the benchmark results: not in a release.
    assert not [n for n in names if n.startswith(("tests/", "docs/", "docsgen/", "conftest"))]


@pytest.mark.slow
def test_wheel_carries_license_types_and_version(dists: Dists) -> None:
    info = f"jaxact-{jaxact.__version__}.dist-info"
    assert dists.wheel.name == f"jaxact-{jaxact.__version__}-py3-none-any.whl"
    with zipfile.ZipFile(dists.wheel) as wheel:
        names = set(wheel.namelist())
        metadata = wheel.read(f"{info}/METADATA").decode()
    assert {"jaxact/py.typed", f"{info}/licenses/LICENSE"} <= names
    assert {p for p in _tracked("jaxact") if p.endswith(".py")} <= names
    assert not [n for n in names if not n.startswith(("jaxact/", info))]
    assert "License-Expression: Apache-2.0" in metadata.splitlines()
    assert f"Version: {jaxact.__version__}" in metadata.splitlines()


@pytest.mark.slow
def test_twine_accepts_both_distributions(dists: Dists) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", str(dists.sdist), str(dists.wheel)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow  # a fresh virtual environment: pip installs jax, flax, equinox (minutes cold)
def test_wheel_passes_its_docstring_examples_in_a_fresh_virtualenv(
    dists: Dists, tmp_path: Path
) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)  # no system site-packages, no access to this checkout
    python = env_dir / "bin" / "python"
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", f"{dists.wheel}[flax,equinox]"],
        capture_output=True,
        text=True,
        env=clean,
    )
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]
    # -I: neither the working folder nor PYTHONPATH on sys.path, and the run starts outside the
    # checkout: the examples can only import the installed wheel.
    result = subprocess.run(
        [str(python), "-I", str(SMOKE)], cwd=tmp_path, capture_output=True, text=True, env=clean
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert f"from {env_dir.resolve()}/lib/" in result.stdout
    assert result.stdout.splitlines()[-1] == f"{_example_count()} passed, 0 failed"
