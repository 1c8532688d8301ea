"""Print the import graph of jaxact's own modules, read from the code's imports (``ast``).

Run ``python -m tools.import_graph``: one line per module, ``module -> imported modules``
(jaxact's only, relative and absolute, at any depth of the code), modules in dependency order
(the floor first), so a kernel importing a function module shows as a line out of order.
"""

from __future__ import annotations

import ast
import pathlib

_PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "jaxact"


def _module_name(path: pathlib.Path) -> str:
    parts = list(path.relative_to(_PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> list[str]:
    base = module.split(".") if is_package else module.split(".")[:-1]
    if node.level:
        base = base[: len(base) - (node.level - 1)]
        stem = ".".join(base + ([node.module] if node.module else []))
    else:
        stem = node.module or ""
    # `from . import x` and `from .pkg import mod` import modules, not names.
    return [stem] + [f"{stem}.{alias.name}" for alias in node.names]


def import_graph() -> dict[str, set[str]]:
    """``{module: {jaxact modules it imports}}`` for every module under ``jaxact/``."""
    paths = sorted(_PACKAGE.rglob("*.py"))
    modules = {_module_name(p): p for p in paths}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                candidates = _resolve(name, path.name == "__init__.py", node)
            elif isinstance(node, ast.Import):
                candidates = [alias.name for alias in node.names]
            else:
                continue
            targets |= {c for c in candidates if c in modules and c != name}
        graph[name] = targets
    return graph


def _floors(graph: dict[str, set[str]]) -> dict[str, int]:
    """Floor 0: imports nothing of jaxact; floor k: imports down to floor k - 1."""
    floor: dict[str, int] = {}

    def visit(name: str) -> int:
        if name not in floor:
            floor[name] = -1  # cycles would show as floor 0
            floor[name] = 1 + max((visit(t) for t in graph[name]), default=-1)
        return floor[name]

    for name in graph:
        visit(name)
    return floor


def main() -> None:
    graph = import_graph()
    floor = _floors(graph)
    for name in sorted(graph, key=lambda n: (floor[n], n)):
        targets = ", ".join(sorted(t.removeprefix("jaxact.") for t in graph[name]))
        print(f"{floor[name]}  {name.removeprefix('jaxact.')} -> {targets}")


if __name__ == "__main__":
    main()
