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


def _start_site_build(session: pytest.Session) -> None:
    # The site build (tests/_site.py) runs in the background from here when a collected test
    # uses it: a subprocess beside the tests before the first site test, on the other core.
    if session.config.option.collectonly:
        return
    import _site

    modules = {getattr(item, "module", None) for item in session.items}  # (doctests: none)
    if any(getattr(m, "build_site", None) is _site.build_site for m in modules):
        _site.start_build()


def pytest_sessionfinish(session: pytest.Session) -> None:
    site = sys.modules.get("_site")
    if site is not None:
        site.stop_build()
