"""Registry: lookup by name/alias/callable, unknown names, exports match registrations."""

from __future__ import annotations

import inspect

import jax
import pytest
from _activation_cases import ALL

import jaxact

IDS = [s.name for s in ALL]


@pytest.mark.parametrize("spec", ALL, ids=IDS)
def test_get_by_name_alias_and_callable(spec):
    assert jaxact.get(spec.name) is spec
    assert jaxact.get(spec.fn) is spec
    for alias in spec.aliases:
        assert jaxact.get(alias) is spec


@pytest.mark.parametrize("spec", ALL, ids=IDS)
def test_exported_under_name_and_aliases(spec):
    assert getattr(jaxact, spec.name) is spec.fn
    for alias in spec.aliases:
        assert getattr(jaxact, alias) is spec.fn


def test_names_unique():
    n = jaxact.names(include_aliases=True)
    assert len(n) == len(set(n))
    assert len(jaxact.names()) == len(ALL)


def test_unknown_name_suggests_close_match():
    with pytest.raises(ValueError, match="sigmoid"):
        jaxact.get("sigmoidd")


def test_every_public_function_registered():
    registered = {s.fn for s in ALL}
    for name, obj in vars(jaxact).items():
        if name.startswith("_") or not inspect.isfunction(obj):
            continue
        if obj in (jaxact.get, jaxact.names, jaxact.specs):
            continue
        assert obj in registered, name


@pytest.mark.parametrize("spec", [s for s in ALL if s.equivalents.jax], ids=lambda s: s.name)
def test_jax_equivalent_exists(spec):
    name = spec.equivalents.jax.removeprefix("jax.nn.")
    assert callable(getattr(jax.nn, name))


def test_signature_defaults_are_the_registry_defaults():
    # The API page shows the signature (rrelu's `lower=1 / 8`), the function page the registry's
    # default: the two agree. One loop over the registry (cheap), not a test per function.
    checked = 0
    for spec in ALL:
        signature = inspect.signature(spec.fn).parameters
        for param in spec.params:
            shown = signature.get(param.name)
            if shown is None or shown.default is inspect.Parameter.empty:
                continue
            assert shown.default == param.default, (spec.name, param.name)
            checked += 1
    assert checked >= 30
