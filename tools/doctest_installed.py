"""Run the docstring examples of the *installed* jaxact: the release smoke test.

Usage, from outside the repository, with the interpreter of a fresh virtual environment into
which the wheel was installed (``-I``: neither the current folder nor ``PYTHONPATH`` on
``sys.path``, so the examples run against the installed files, not the checkout)::

    python -I path/to/tools/doctest_installed.py

Every module of the package is imported and its examples run with the names the test suite's
``conftest.py`` gives them (``jaxact``, ``jnp``) and the suite's option flags. It prints one line
per module and a closing ``N passed, N failed`` line, and exits non-zero on any failure, on a
module that cannot be imported (an optional dependency missing: install the wheel with its
``[flax,equinox]`` extras), or when jaxact was imported from a source checkout.
``.github/workflows/release.yml`` and ``tests/test_packaging.py`` both run this file.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import sys
from pathlib import Path

# The option flags of pyproject.toml's [tool.pytest.ini_options] doctest_optionflags.
FLAGS = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS


def _installed_from_checkout(package_dir: Path) -> bool:
    """True when the package sits in a source tree (a pyproject.toml beside it)."""
    return (package_dir.parent / "pyproject.toml").exists()


def main() -> int:
    import jax.numpy as jnp

    import jaxact

    package_dir = Path(jaxact.__file__).resolve().parent
    print(f"jaxact {jaxact.__version__} from {package_dir}")
    if _installed_from_checkout(package_dir):
        print("error: jaxact was imported from a source checkout, not from the installed wheel")
        return 2
    names = ["jaxact"] + [m.name for m in pkgutil.walk_packages(jaxact.__path__, "jaxact.")]
    attempted = failed = 0
    for name in sorted(names):
        try:
            module = importlib.import_module(name)
        except ImportError as error:
            print(f"{name}: cannot be imported ({error})")
            failed += 1
            continue
        result = doctest.testmod(
            module, extraglobs={"jaxact": jaxact, "jnp": jnp}, optionflags=FLAGS, verbose=False
        )
        attempted += result.attempted
        failed += result.failed
        if result.attempted:
            print(f"{name}: {result.attempted} examples, {result.failed} failed")
    print(f"{attempted - failed} passed, {failed} failed")
    return 1 if failed or not attempted else 0


if __name__ == "__main__":
    sys.exit(main())
