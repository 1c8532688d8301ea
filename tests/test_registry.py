"""Registry: lookup by name/alias/callable, unknown names, exports match registrations."""

from __future__ import annotations

import importlib
import inspect
import re

import jax
import numpy as np
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


def _public_signatures():
    """(where, signature) of every public function and of every layer's constructor and call."""
    import jaxact.equinox
    import jaxact.flax
    import jaxact.flax.linen

    for spec in ALL:
        yield spec.name, inspect.signature(spec.fn)
    for module in (jaxact.equinox, jaxact.flax, jaxact.flax.linen):
        for name in module.__all__:
            obj = getattr(module, name)
            where = f"{module.__name__}.{name}"
            if not inspect.isclass(obj):
                yield where, inspect.signature(obj)
                continue
            # A Linen layer's fields are its dataclass __init__'s parameters.
            yield where, inspect.signature(obj.__init__)
            yield f"{where}.__call__", inspect.signature(obj.__call__)


def test_public_parameters_have_precise_hints():
    # The API pages' "Type" column shows the hint: `x: Any` told a reader nothing (jax.nn writes
    # `x: ArrayLike` and returns `Array`). Forwarded **params may hold any activation's option.
    vague = []
    for where, signature in _public_signatures():
        for param in signature.parameters.values():
            if param.name == "self" or param.kind is param.VAR_POSITIONAL:
                continue
            hint = str(param.annotation)
            if param.annotation is param.empty or re.search(r"\bAny\b", hint):
                vague.append(f"{where}({param.name}: {hint})")
    assert vague == []


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


def test_layer_defaults_are_the_registry_defaults():
    # The layers write their initial values out too (DyT's `alpha_init=0.5`, StarReLU's
    # `scale_init=2 / math.sqrt(5)`) rather than naming a constant the page does not define.
    checked = 0
    for module in ("jaxact.equinox", "jaxact.flax", "jaxact.flax.linen"):
        module = importlib.import_module(module)
        for layer in (getattr(module, name) for name in module.__all__):
            signature = inspect.signature(layer).parameters
            for spec in map(jaxact.get, getattr(layer, "functions", ())):
                for param in spec.params:
                    for name in (param.name, f"{param.name}_init"):
                        shown = signature.get(name)
                        if shown is None or shown.default is inspect.Parameter.empty:
                            continue
                        got, want = np.atleast_1d(shown.default), np.atleast_1d(param.default)
                        assert got.tolist() == want.tolist(), (layer, name)
                        checked += 1
    assert checked >= 20
