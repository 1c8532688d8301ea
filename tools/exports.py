"""Write the public names of ``jaxact/__init__.py`` from the registry.

Run ``python -m tools.exports`` after adding, renaming or removing an activation; with
``--check`` it only says whether the file is up to date (``tests/test_one_source.py`` fails,
naming this command, while it is not).

The names are the registry's API (``jaxact._registry.__all__``) and every registered function
with its aliases, each imported from the module that defines it. The modules are found on disk
(every ``jaxact/_*.py``), so a new activation needs no hand-written line here or in
``__init__.py``. The block is plain imports, not a loop over the registry at import time, so
static tools (mkdocstrings' griffe, type checkers, editors) see every name.
"""

from __future__ import annotations

import argparse
import importlib
import pathlib
import pkgutil
import sys
import textwrap

_PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "jaxact"
INIT = _PACKAGE / "__init__.py"
COMMAND = "python -m tools.exports"
BEGIN = f"# The public names, written by `{COMMAND}` from the registry: do not edit by hand.\n"
END = "# End of the written names.\n"


def function_modules() -> list[str]:
    """The private top-level modules of jaxact on disk (``jaxact._x``), packages left out."""
    return sorted(
        f"jaxact.{info.name}"
        for info in pkgutil.iter_modules([str(_PACKAGE)])
        if info.name.startswith("_") and not info.ispkg
    )


def _member_key(line: tuple[str, str, str]) -> tuple[str, int, str, str]:
    """ruff's import order: by module, then constants, classes, functions, then alias."""
    module, name, alias = line
    kind = 0 if name.isupper() else 1 if name[0].isupper() else 2
    return (module, kind, name, alias)


def block() -> str:
    """The generated block: one ``from ._m import f as name`` line per public name, and
    ``__all__`` (the registry's API, then each function's names in the order of ``ORDER``)."""
    for module in function_modules():
        importlib.import_module(module)
    registry = importlib.import_module("jaxact._registry")
    lines = [("_registry", name, name) for name in registry.__all__]
    for spec in registry.specs():
        module = sys.modules[spec.fn.__module__]
        if getattr(module, spec.fn.__name__, None) is not spec.fn:
            raise ValueError(f"{spec.name}: {spec.fn.__module__}.{spec.fn.__name__} is not it")
        module_name = spec.fn.__module__.removeprefix("jaxact.")
        lines += [(module_name, spec.fn.__name__, name) for name in spec.all_names]
    imports = [f"from .{m} import {n} as {a}\n" for m, n, a in sorted(lines, key=_member_key)]
    public = [*registry.__all__, *registry.names(include_aliases=True)]
    # Several names a line (a list of one name a line would repeat ORDER line for line).
    listed = textwrap.fill(" ".join(f'"{name}",' for name in public), 96, break_on_hyphens=False)
    listed = textwrap.indent(listed, "    ")
    return BEGIN + "".join(imports) + f"\n__all__ = [\n{listed}\n]  # fmt: skip\n" + END


def rendered(text: str) -> str:
    """``text`` (of ``__init__.py``) with its generated block replaced by today's."""
    start, stop = text.index(BEGIN), text.index(END) + len(END)
    return text[:start] + block() + text[stop:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether it is stale")
    args = parser.parse_args(argv)
    text = INIT.read_text(encoding="utf-8")
    new = rendered(text)
    if args.check:
        print("up to date" if new == text else f"stale: run `{COMMAND}`")
        return int(new != text)
    if new != text:
        INIT.write_text(new, encoding="utf-8")
    print(f"wrote {INIT.relative_to(_PACKAGE.parent)}" if new != text else "up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
