"""The machinery of the site build: ``python -m docsgen`` writes real files only when they
change, and a notebook's outputs are computed once per version of it and of the library."""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import subprocess
from pathlib import Path

import _site
import pytest
from _site import ROOT

from docsgen import generate, hooks, notebooks
from docsgen._layout import NOTEBOOK_GLOBS


def _mtimes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*")}


def test_write_touches_only_changed_files_and_removes_stale_ones(tmp_path: Path) -> None:
    files = {
        "functions/relu.md": "# relu\n",
        "assets/figures/functions/relu.svg": b"<?xml?><svg/>",
        "_nav.json": json.dumps({"Piecewise linear": ["functions/relu.md"]}),
    }
    written, removed = generate.write(files, tmp_path)
    assert sorted(written) == ["assets/figures/functions/relu.svg", "functions/relu.md"]
    assert removed == []
    assert (tmp_path / "functions/relu.md").read_text() == "# relu\n"
    assert generate.nav(tmp_path) == {"Piecewise linear": ["functions/relu.md"]}
    assert not (tmp_path / "_nav.json").exists()  # the nav lives in the manifest
    # Unchanged: nothing is written, so `mkdocs serve` (watching docs/) does not loop.
    before = _mtimes(tmp_path)
    assert generate.write(files, tmp_path) == ([], [])
    assert _mtimes(tmp_path) == before
    # One page changed, one figure gone: only those two paths move.
    files["functions/relu.md"] = "# relu, edited\n"
    del files["assets/figures/functions/relu.svg"]
    assert generate.write(files, tmp_path) == (
        ["functions/relu.md"],
        ["assets/figures/functions/relu.svg"],
    )
    assert not (tmp_path / "assets").exists()  # emptied folders go too
    assert json.loads((tmp_path / generate.MANIFEST).read_text())["files"] == ["functions/relu.md"]


def test_write_leaves_files_it_did_not_write(tmp_path: Path) -> None:
    (tmp_path / "index.md").write_text("hand-written\n")
    generate.write({"functions/relu.md": "# relu\n"}, tmp_path)
    generate.write({}, tmp_path)
    assert (tmp_path / "index.md").read_text() == "hand-written\n"
    assert not (tmp_path / "functions").exists()


def test_generated_paths_are_ignored_by_git() -> None:
    # What `python -m docsgen` writes into docs/ must never show up as a change to commit.
    paths = [
        "docs/_generated.json",
        "docs/functions/relu.md",
        "docs/functions/index.md",
        "docs/api/functions.md",
        "docs/assets/figures/functions/relu.svg",
        "docs/assets/figures/concepts/saturation.svg",
        "docs/benchmarks/accuracy.md",
        "docs/benchmarks/figures/speed-ratios.svg",
    ]
    proc = subprocess.run(
        ["git", "check-ignore", "--no-index", *paths], cwd=ROOT, capture_output=True, text=True
    )
    assert proc.stdout.split() == paths
    # ... and nothing hand-written is: the pages beside them stay tracked.
    kept = ["docs/index.md", "docs/api/flax.md", "docs/assets/css/extra.css"]
    proc = subprocess.run(["git", "check-ignore", "--no-index", *kept], cwd=ROOT)
    assert proc.returncode == 1  # none of them ignored


def test_function_pages_cache_key_ignores_the_generated_api_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # docs/api/functions.md is an output: were it an input, each run would miss the cache.
    # Checked on a copy of the hashed sources: the site build, which may run beside this test
    # (under pytest-xdist, on another worker), writes and reads that page in the tree.
    for folder in ("jaxact", "docsgen", "docs/_notes", "docs/notebooks", "docs/guide", "docs/api"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("*.pyc"))
    speed = Path("benchmarks", "results", "speed.json")
    (tmp_path / speed).parent.mkdir(parents=True)
    shutil.copyfile(ROOT / speed, tmp_path / speed)
    monkeypatch.setattr(generate, "ROOT", tmp_path)
    target = tmp_path / "docs" / "api" / "functions.md"
    target.write_text("# functions\n")
    before = generate._source_hash()
    target.write_text(f"# changed {os.getpid()}\n")
    assert generate._source_hash() == before
    # ... while a hand-written page beside it is an input: the copy is what is hashed.
    (tmp_path / "docs" / "api" / "flax.md").write_text("# changed\n")
    assert generate._source_hash() != before


@pytest.fixture
def stand_in_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """tests/_site.py as a pytest-xdist worker of a run of its own sees it, the site build
    replaced by ``python -m <module> -d <folder>`` (a module this fixture's caller names)."""
    monkeypatch.setenv("PYTEST_XDIST_TESTRUNUID", f"stand-in-{tmp_path.name}-{os.getpid()}")
    monkeypatch.setenv("PYTHONPATH", f"{tmp_path}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    monkeypatch.setattr(_site, "_started", None)  # this process's own background build, if any
    monkeypatch.setattr(_site, "_started_shared", [])
    (tmp_path / "stand_in_sleep.py").write_text("import time\ntime.sleep(120)\n")

    def use(module: str) -> None:
        monkeypatch.setattr(_site, "BUILD_ARGS", (module,))

    yield use
    _site.stop_shared_build(os.environ["PYTEST_XDIST_TESTRUNUID"])
    for proc in _site._started_shared:
        proc.wait(timeout=10)


def test_xdist_workers_share_one_background_build(stand_in_build) -> None:
    stand_in_build("platform")  # prints the platform, exit status 0
    _site.start_build()
    _site.start_build()  # a second worker finds it started
    assert len(_site._started_shared) == 1
    built = _site.build_site.__wrapped__()  # waits for it (uncached: a worker of this run)
    assert built.returncode == 0 and platform.system() in built.log
    _site.start_build()  # a worker that comes late starts no second one
    assert len(_site._started_shared) == 1


def test_xdist_workers_read_a_failed_or_stopped_build(stand_in_build) -> None:
    stand_in_build("jaxact_no_such_module")
    _site.start_build()
    built = _site.build_site.__wrapped__()
    assert built.returncode == 1 and "No module named jaxact_no_such_module" in built.log
    _site.stop_shared_build(os.environ["PYTEST_XDIST_TESTRUNUID"])  # ended: nothing to stop
    assert _site._started_shared[0].wait(timeout=5) == 0  # its own process: statused, then out

    stand_in_build("stand_in_sleep")
    os.environ["PYTEST_XDIST_TESTRUNUID"] += "-stopped"
    _site.start_build()
    _site.stop_shared_build(os.environ["PYTEST_XDIST_TESTRUNUID"])  # a run stopped early
    built = _site.build_site.__wrapped__()
    assert built.returncode == -1 and "ended without a status" in built.log


def _library(root: Path) -> None:
    for rel, text in {
        "jaxact/__init__.py": "X = 1\n",
        "jaxact/_kernels/relu.py": "Y = 1\n",
        "docsgen/notebooks.py": "Z = 1\n",
        "docsgen/plots.py": "W = 1\n",
        "docsgen/jaxact.mplstyle": "lines.linewidth: 1\n",
    }.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)


@pytest.mark.parametrize(
    "edit",
    ["jaxact/__init__.py", "jaxact/_kernels/relu.py", "docsgen/notebooks.py", "docsgen/x.mplstyle"],
)
def test_notebook_key_covers_the_library_sources(tmp_path: Path, edit: str) -> None:
    _library(tmp_path)
    notebook = tmp_path / "nb.py"
    notebook.write_text("# %%\n1\n")
    before = notebooks.cache_path(notebook, notebooks.library_digest(tmp_path))
    assert notebooks.cache_path(notebook, notebooks.library_digest(tmp_path)) == before
    (tmp_path / edit.replace("x.mplstyle", "jaxact.mplstyle")).write_text("changed = True\n")
    assert notebooks.cache_path(notebook, notebooks.library_digest(tmp_path)) != before


def test_notebook_key_ignores_code_the_notebooks_do_not_run(tmp_path: Path) -> None:
    # Editing a plot of the function pages does not execute the notebooks again.
    _library(tmp_path)
    notebook = tmp_path / "nb.py"
    notebook.write_text("# %%\n1\n")
    before = notebooks.cache_path(notebook, notebooks.library_digest(tmp_path))
    (tmp_path / "docsgen" / "plots.py").write_text("W = 2\n")
    assert notebooks.cache_path(notebook, notebooks.library_digest(tmp_path)) == before


def test_notebook_key_covers_the_notebook(tmp_path: Path) -> None:
    notebook = tmp_path / "nb.py"
    notebook.write_text("# %%\n1\n")
    library = notebooks.library_digest()
    before = notebooks.cache_path(notebook, library)
    assert before.parent == ROOT / ".cache" / "notebooks"
    notebook.write_text("# %%\n2\n")
    assert notebooks.cache_path(notebook, library) != before


NOTEBOOK = """\
# %% [markdown]
# # A tiny notebook

# %%
from pathlib import Path

runs = Path({counter!r})
runs.write_text(runs.read_text() + "x")
print("computed", 6 * 7)
"""


@pytest.fixture
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.setattr(notebooks, "CACHE", cache)
    return cache


def _tiny_notebook(folder: Path, body: str = NOTEBOOK) -> tuple[Path, Path]:
    counter = folder / "runs.txt"
    counter.write_text("")
    notebook = folder / "tiny.py"
    notebook.write_text(body.format(counter=str(counter)))
    return notebook, counter


def test_serve_shows_code_then_outputs_computed_once(
    tmp_path: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mkdocs_jupyter import convert

    monkeypatch.delenv(hooks.SKIP_NOTEBOOKS, raising=False)
    monkeypatch.setattr(notebooks, "SERVING", True)
    monkeypatch.setattr(convert, "nb2html", convert.nb2html)  # undo the wrapper afterwards
    hooks._install_renderer()
    notebook, counter = _tiny_notebook(tmp_path)
    pending = convert.nb2html(str(notebook), no_prompt=True)
    assert "Outputs pending" in pending and "6 * 7" in pending
    assert "computed 42" not in pending
    # The hooks start the background run once the site is written; it lands in the cache,
    # and the next render shows its outputs.
    notebooks.in_background(notebook).result(timeout=300)
    assert counter.read_text() == "x"
    shown = convert.nb2html(str(notebook), no_prompt=True)
    assert "computed 42" in shown and "Outputs pending" not in shown
    assert not shown.rstrip().endswith("</style>")  # no notebook-theme CSS appended
    # Same code cells as the unexecuted rendering, plus the outputs.
    assert shown.count("jp-CodeCell") == pending.count("jp-CodeCell")
    # Unchanged notebook, unchanged library: never computed twice.
    assert notebooks.execute_all([notebook]) == {notebook: notebooks.cached(notebook)}
    assert notebooks.execute(notebook) == notebooks.cached(notebook)
    assert counter.read_text() == "x"


def test_build_never_renders_a_notebook_without_outputs(
    tmp_path: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mkdocs.exceptions import PluginError
    from mkdocs_jupyter import convert

    monkeypatch.delenv(hooks.SKIP_NOTEBOOKS, raising=False)
    monkeypatch.setattr(notebooks, "SERVING", False)
    monkeypatch.setattr(convert, "nb2html", convert.nb2html)
    hooks._install_renderer()
    notebook, _ = _tiny_notebook(tmp_path)
    with pytest.raises(PluginError, match="no executed copy"):
        convert.nb2html(str(notebook), no_prompt=True)


def test_failing_notebook_raises_and_is_not_cached(tmp_path: Path, private_cache: Path) -> None:
    notebook, _ = _tiny_notebook(tmp_path, NOTEBOOK + "\n# %%\nraise ValueError('boom')\n")
    with pytest.raises(RuntimeError, match="tiny.py failed"):
        notebooks.execute_all([notebook])
    assert notebooks.cached(notebook) is None
    assert not private_cache.exists() or list(private_cache.iterdir()) == []
    # Under serve the page says so instead of showing a stale or half-run notebook.
    future = notebooks.in_background(notebook)
    with pytest.raises(RuntimeError):
        future.result(timeout=300)
    assert notebooks.failed(notebook)
    assert "Execution failed" in hooks._pending_note(notebook)


def test_notebook_globs_are_the_ones_both_configs_render() -> None:
    # docsgen._layout.NOTEBOOK_GLOBS (function pages' "See also", translations, the tests) is
    # mkdocs-jupyter's `include` in both editions' configs.
    for config in ("mkdocs.yml", "mkdocs.zh.yml"):
        include = re.search(r"^\s*include:\s*(\[.*\])", (ROOT / config).read_text(), re.M)
        assert include, config
        assert tuple(json.loads(include.group(1))) == NOTEBOOK_GLOBS, config
