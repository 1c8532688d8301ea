"""Doctest namespace for the examples in jaxact's docstrings; the garbage collector's settings
for the run; the site build started in the background once the tests are collected."""

import gc
import sys

import jax.numpy as jnp
import pytest

import jaxact


@pytest.fixture(autouse=True)
def _doctest_namespace(doctest_namespace: dict) -> None:
    doctest_namespace["jaxact"] = jaxact
    doctest_namespace["jnp"] = jnp


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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The tests of the built site run last (in their own order), so that its build, started in
    # the background once collection is over, runs beside all the other tests instead of the
    # three modules that sort before test_browser. So do the tests that must wait for it
    # (marked ``after_site_build``): early, one held the run idle for the rest of the build.
    items.sort(key=_runs_late)


def _start_site_build(session: pytest.Session) -> None:
    # The site build (tests/_site.py) runs in the background from here when a collected test
    # uses it: a subprocess beside the other tests, on the other core.
    if not session.config.option.collectonly and any(map(_uses_the_site, session.items)):
        import _site

        _site.start_build()


def _start_in_background(session: pytest.Session) -> None:
    # A test module's slow subprocess (test_transformations' sharding run) starts here when a
    # test of that module is selected, to run beside the tests before it.
    if session.config.option.collectonly:
        return
    for module in {getattr(item, "module", None) for item in session.items}:
        start = getattr(module, "start_in_background", None)
        if callable(start):
            start()


def pytest_sessionfinish(session: pytest.Session) -> None:
    site = sys.modules.get("_site")
    if site is not None:
        site.stop_build()
