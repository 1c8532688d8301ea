"""Doctest namespace for the examples in jaxact's docstrings; the garbage collector's settings
for the run; the site build started in the background once the tests are collected; when the
run uses pytest-xdist's workers."""

import gc
import os
import sys
import uuid
from collections.abc import Iterator

import jax
import jax.numpy as jnp
import pytest

import jaxact


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    # pyproject's addopts run the tests on every core with pytest-xdist (-n auto, each test
    # file whole on one worker). A run that names its files or tests (`pytest tests/test_x.py`)
    # runs in one process unless its command line asks for workers: the two workers' start
    # (jax imported and every named file collected twice) cost more than such a run gains.
    if hasattr(config, "workerinput") or not hasattr(config.option, "numprocesses"):
        return  # a worker, or pytest-xdist not loaded
    if config.args_source == pytest.Config.ArgsSource.ARGS and not _asks_for_workers(config):
        config.option.numprocesses = 0
    elif config.option.testrunuid is None:
        # The workers' shared folders are named after it (tests/_site.py): chosen here, where
        # the controller can read it back when the run ends.
        config.option.testrunuid = uuid.uuid4().hex


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    # -n auto: a worker per core that the run may use, at most 8 (each grows to some 2-3 GB and
    # compiles its own copy of the programs that test files share). pytest-xdist's own count
    # where PYTEST_XDIST_AUTO_NUM_WORKERS says it.
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None
    return min(len(os.sched_getaffinity(0)), 8)


def _asks_for_workers(config: pytest.Config) -> bool:
    return any(
        arg.startswith(("-n", "--numprocesses", "--dist", "--tx"))
        for arg in config.invocation_params.args
    )


@pytest.fixture(autouse=True)
def _doctest_namespace(doctest_namespace: dict) -> None:
    doctest_namespace["jaxact"] = jaxact
    doctest_namespace["jnp"] = jnp


@pytest.fixture(autouse=True)
def _float64_setting_restored() -> Iterator[None]:
    # The benchmark harnesses' main() turns float64 on for its whole process (jax.config.update),
    # as a command should; a test that calls one in-process must not leave it on for the tests
    # after it in the same process (test_benchmark_vector's left 150 tests of its pytest-xdist
    # worker computing in float64: test_layer_frameworks, test_transformations, the doctests).
    before = jax.config.jax_enable_x64
    yield
    if jax.config.jax_enable_x64 != before:
        jax.config.update("jax_enable_x64", before)


def pytest_collection_finish(session: pytest.Session) -> None:
    # jax's tracing makes objects by the million, and Python's default collector (a young
    # collection every 700 allocations) spent about a tenth of the run walking them. A larger
    # first threshold lets the short-lived ones die by reference counting first. What
    # collection built (some 8,000 test items, every test module, jax, the registry) lives to
    # the end of the run: frozen, the full collections no longer walk it. Only the cyclic
    # collector is affected; no test depends on when it runs.
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)
    _start_site_build(session)
    _start_in_background(session)


def _uses_the_site(item: pytest.Item) -> bool:
    import _site

    return getattr(getattr(item, "module", None), "build_site", None) is _site.build_site


def _runs_late(item: pytest.Item) -> bool:
    return _uses_the_site(item) or item.get_closest_marker("after_site_build") is not None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # In one process, the tests of the built site run last (in their own order), so that its
    # build, started in the background once collection is over, runs beside all the other
    # tests instead of the three modules that sort before test_browser. So do the tests that
    # must wait for it (marked ``after_site_build``): early, one held the run idle for the rest
    # of the build. Under pytest-xdist the files keep their order: a worker that waits for the
    # build leaves the cores to the others and the build, and test_browser (the longest file)
    # last made a tail with one worker busy (225 s of 1,530 in a loaded run of 2 workers).
    if not hasattr(config, "workerinput"):
        items.sort(key=_runs_late)


def _start_site_build(session: pytest.Session) -> None:
    # The site build (tests/_site.py) runs in the background from here when a collected test
    # uses it: a subprocess beside the other tests, on the other core.
    if not session.config.option.collectonly and any(map(_uses_the_site, session.items)):
        import _site

        _site.start_build()


def _start_in_background(session: pytest.Session) -> None:
    # A test module's slow subprocess (test_transformations' sharding run) starts here when a
    # test of that module is selected, to run beside the tests before it. Not in pytest-xdist's
    # workers: each collects every module, but runs only some, and the other workers keep the
    # cores busy anyway (the module's fixture starts it where it runs).
    if session.config.option.collectonly or hasattr(session.config, "workerinput"):
        return
    for module in {getattr(item, "module", None) for item in session.items}:
        start = getattr(module, "start_in_background", None)
        if callable(start):
            start()


def pytest_sessionfinish(session: pytest.Session) -> None:
    site = sys.modules.get("_site")
    if site is not None:
        site.stop_build()
    if _is_controller(session.config):
        import _site

        _site.stop_shared_build(session.config.option.testrunuid)


def _is_controller(config: pytest.Config) -> bool:
    """Whether this process hands the tests to pytest-xdist's workers (and runs none)."""
    return not hasattr(config, "workerinput") and getattr(config.option, "dist", "no") != "no"
