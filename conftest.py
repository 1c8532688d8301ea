"""Doctest namespace for the examples in jaxact's docstrings; the garbage collector's settings
for the run."""

import gc

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
