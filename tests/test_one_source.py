"""Each fact about an activation is written once, or a test ties its copies together.

- order: ``jaxact._order.ORDER`` alone decides ``jaxact.names()``, not the import order;
- families: the ``Family`` literal, ``FAMILIES`` and the site's titles are one list;
- formulas: the docstring's displayed formula says what ``spec.formula`` says;
- citations: every reference in the registry is cited in ``docs/references.md``, alike;
- exports: ``jaxact/__init__.py``'s imports are written from the registry by a tool.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
from pathlib import Path
from typing import get_args

import pytest

import jaxact
from docsgen import function_pages
from jaxact import _registry
from jaxact._order import ORDER
from tools import exports

ROOT = Path(__file__).resolve().parent.parent
SPECS = tuple(jaxact.specs())


# -- order --------------------------------------------------------------------------------------


def test_order_lists_every_registered_function_once():
    assert len(set(ORDER)) == len(ORDER), "a name appears twice in ORDER"
    registered = {s.name for s in SPECS}
    unregistered = set(ORDER) - registered
    assert not unregistered, f"{unregistered} not registered: run `{exports.COMMAND}`?"
    assert set(ORDER) == registered, f"not in ORDER: {registered - set(ORDER)}"
    assert jaxact.names() == ORDER


def test_order_does_not_depend_on_registration_order(monkeypatch):
    # Registering the modules in the reverse order (as sorted imports might) changes nothing.
    reversed_registry = dict(reversed(_registry._REGISTRY.items()))
    monkeypatch.setattr(_registry, "_REGISTRY", reversed_registry)
    assert jaxact.names() == ORDER
    assert tuple(s.name for s in jaxact.specs()) == ORDER
    aliases = jaxact.names(include_aliases=True)
    assert [n for n in aliases if n in ORDER] == list(ORDER)
    assert aliases.index("linear") == aliases.index("identity") + 1


def test_order_groups_families_in_their_order():
    ranks = [_registry.FAMILIES.index(jaxact.get(n).family) for n in ORDER]
    assert ranks == sorted(ranks), "ORDER must list the families in the order of FAMILIES"


# -- families -----------------------------------------------------------------------------------


def test_families_are_one_list():
    assert _registry.FAMILIES == get_args(_registry.Family) == tuple(_registry.FAMILY_TITLES)
    assert function_pages.FAMILY_TITLES is _registry.FAMILY_TITLES
    assert {s.family for s in SPECS} == set(_registry.FAMILIES), "a family with no function"


# -- formulas -----------------------------------------------------------------------------------

_SPACING = re.compile(r"\\[,!;: ]|\\[bB]igg?[lr]|\\left|\\right|\s+")


def _normalised(latex: str) -> str:
    """The formula with spacing and delimiter sizes dropped, ``\\tfrac`` read as ``\\frac``;
    ``\\qquad`` and ``,\\ `` (which separate side definitions) both read as ``\\qquad``."""
    text = latex.replace("\\\\", "\0").replace(",\\ ", "\1").replace("\\qquad", "\1")
    text = _SPACING.sub("", text).replace(r"\tfrac", r"\frac").replace(r"\ln", r"\log")
    return text.replace("\0", "\\\\").replace("\1", r"\qquad")


def _equations(latex: str) -> list[list[str]]:
    """The ``=``-chains of a display, split at ``\\qquad`` and at top-level ``\\\\`` (a line
    break outside ``cases``); trailing commas dropped."""
    text = _normalised(latex)
    text = re.sub(r"\\begin\{cases\}.*?\\end\{cases\}", lambda m: m[0].replace("\\\\", "¶"), text)
    chains = re.split(r"\\qquad|\\\\", text)
    return [[p.strip(",.").replace("¶", "\\\\") for p in c.split("=")] for c in chains if c]


def _docstring_displays(spec) -> list[str]:
    return re.findall(r"\$\$(.*?)\$\$", inspect.getdoc(spec.fn) or "", re.S)


@pytest.mark.parametrize("spec", [s for s in SPECS if _docstring_displays(s)], ids=lambda s: s.name)
def test_docstring_formula_says_what_the_spec_says(spec):
    """Every ``=``-chain of the docstring that defines the function (same left-hand side as
    ``spec.formula``) uses only expressions that ``spec.formula`` also equates to it."""
    stated = [p for chain in _equations(spec.formula) for p in chain]
    lhs = _equations(spec.formula)[0][0]
    checked = 0
    for display in _docstring_displays(spec):
        for chain in _equations(display):
            if chain[0] == lhs:
                checked += 1
                assert set(chain) <= set(stated), (spec.name, chain, stated)
    assert checked, f"{spec.name}: no displayed formula of {lhs} in the docstring"


def test_formula_check_sees_a_difference():
    assert _equations(r"f(x) = x\tanh(\ln(1 + e^{x}))") != _equations(
        r"f(x) = x\tanh(\operatorname{softplus}(x))"
    )
    assert _equations(r"f(x) = \tfrac{x}{2}\!\bigl(x\bigr)") == _equations(r"f(x) = \frac{x}{2}(x)")


# -- citations ----------------------------------------------------------------------------------


def _words(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _cited_items() -> list[str]:
    """The bullet items of docs/references.md, each joined into one line."""
    text = (ROOT / "docs" / "references.md").read_text(encoding="utf-8")
    return [" ".join(item.split()) for item in re.split(r"\n(?=- )|\n(?=#)|\n\n", text)]


REFERENCES = sorted(
    {r for s in SPECS for r in (*s.introduced_in, *s.references)}, key=lambda r: (r.year, r.title)
)


@pytest.mark.parametrize("ref", REFERENCES, ids=lambda r: f"{r.authors.split(',')[0]} {r.year}")
def test_registry_reference_is_cited_alike_on_the_references_page(ref):
    """The page cites the same work: same title, year and link (found by link, or by title
    where the registry has none)."""
    items = _cited_items()
    if ref.url:
        found = [item for item in items if ref.url in item]
    else:
        found = [item for item in items if _words(ref.title) in _words(item)]
    assert found, f"docs/references.md does not cite {ref}"
    (item,) = found
    assert _words(ref.title) in _words(item), f"title differs: {ref.title!r} vs {item!r}"
    assert str(ref.year) in item, f"year differs: {ref.year} vs {item!r}"


# -- adding an activation: one module, one line in the order, one notes file -------------------


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_each_function_has_its_three_places(spec):
    """What CONTRIBUTING.md asks of a new activation, and nothing more: a module of its own
    package that registers it, its line in ORDER, its notes file; jaxact exports its names."""
    module = spec.fn.__module__
    assert re.fullmatch(r"jaxact\._[a-z0-9_]+", module), f"{spec.name} is defined in {module}"
    assert spec.name in ORDER
    for name in spec.all_names:
        assert getattr(jaxact, name) is spec.fn, f"jaxact.{name} is not exported"
        assert name in jaxact.__all__ and name in dir(jaxact), name
    assert (ROOT / "docs" / "_notes" / f"{spec.name}.md").is_file()


def test_no_notes_file_without_a_function():
    notes = {p.stem for p in (ROOT / "docs" / "_notes").glob("*.md")}
    assert notes == set(ORDER)


def test_exports_are_written_from_the_registry():
    """``jaxact/__init__.py`` imports every registered function and alias and nothing else by
    hand: its block is what ``python -m tools.exports`` writes today (stale after a module is
    added until that command runs)."""
    text = exports.INIT.read_text(encoding="utf-8")
    assert exports.rendered(text) == text, f"jaxact/__init__.py is stale: run `{exports.COMMAND}`"
    public = {*_registry.__all__, *jaxact.names(include_aliases=True)}
    assert set(jaxact.__all__) == public and len(jaxact.__all__) == len(public)
    assert [n for n in jaxact.__all__ if n in ORDER] == list(ORDER)


def test_exports_check_sees_a_missing_function(monkeypatch):
    # The check above could pass by reading nothing: a function registered without its line
    # in __init__.py makes the written block differ.
    text = exports.INIT.read_text(encoding="utf-8")
    fake = dataclasses.replace(jaxact.get("relu"), name="zz_new", aliases=("zz_alias",))
    monkeypatch.setitem(_registry._REGISTRY, "zz_new", fake)
    new = exports.rendered(text)
    assert "from ._rectifiers import relu as zz_new\n" in new
    assert "from ._rectifiers import relu as zz_alias\n" in new and new != text


def test_contributing_names_the_three_places_of_a_new_activation():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text.split("## Adding an activation", 1)[1].split("\n## ", 1)[0]
    steps = re.findall(r"^(\d+)\. ", section, re.M)
    assert steps == ["1", "2", "3"], steps
    commands = (exports.COMMAND, "python -m benchmarks --functions <name> --update")
    for place in ("jaxact/_order.py", "docs/_notes/<name>.md", "@activation", *commands):
        assert place in section, place
    assert (ROOT / "jaxact" / "_order.py").is_file() and (ROOT / "docs" / "_notes").is_dir()


def test_every_activation_is_registered_by_the_decorator():
    """``@activation(...)`` above the function, never a call after it: one way to read a module."""
    for module in (ROOT / "jaxact").glob("_*.py"):
        calls = re.findall(r"^activation\(|^\)\(\w+\)$", module.read_text(encoding="utf-8"), re.M)
        assert not calls, f"{module.name} registers a function by calling activation(...)(fn)"


@pytest.mark.parametrize("module_name", ["jaxact.flax", "jaxact.flax.linen", "jaxact.equinox"])
def test_layer_module_table_lists_every_layer_it_exports(module_name):
    # Each layer module opens with a table of its layers (the API page shows it first): a layer
    # added to the module is a row there too.
    module = pytest.importorskip(module_name)
    rows = set(re.findall(rf"\[`(\w+)`\]\[{re.escape(module_name)}\.\w+\]", module.__doc__))
    layers = {n for n in module.__all__ if inspect.isclass(getattr(module, n))}
    assert layers - rows == set(), f"{module_name}'s docstring table lacks these layers"
