"""The numeric kernels are the floor below the function modules: ``jaxact/_kernels/*`` imports
only from ``jaxact._kernels`` (read from the code's own imports by ``tools/import_graph``)."""

from __future__ import annotations

import pathlib

from tools import import_graph

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_kernels_import_only_kernels() -> None:
    graph = import_graph.import_graph()
    kernels = {name for name in graph if name.startswith("jaxact._kernels")}
    assert {"jaxact._kernels.floating_point", "jaxact._kernels.expm1"} <= kernels
    outside = {k: sorted(t for t in graph[k] if t not in kernels) for k in kernels}
    assert not any(outside.values()), outside


def test_function_modules_import_kernels_from_the_package() -> None:
    graph = import_graph.import_graph()
    assert not [name for name in graph if name.startswith("jaxact._kernels_")]
    users = {name for name, targets in graph.items() if "jaxact._kernels.floating_point" in targets}
    assert {"jaxact._elu", "jaxact._silu", "jaxact._kernels.exp"} <= users


def test_import_graph_sees_relative_imports() -> None:
    # The check above could pass by reading nothing: the graph must hold known edges.
    graph = import_graph.import_graph()
    assert "jaxact._registry" in graph["jaxact._numerics"]
    assert "jaxact._kernels.expm1" in graph["jaxact._kernels.logistic"]
    assert "jaxact._kernels.gelu" in graph["jaxact._gelu"]
