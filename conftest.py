"""Doctest namespace for the examples in jaxact's docstrings."""

import jax.numpy as jnp
import pytest

import jaxact


@pytest.fixture(autouse=True)
def _doctest_namespace(doctest_namespace: dict) -> None:
    doctest_namespace["jaxact"] = jaxact
    doctest_namespace["jnp"] = jnp
