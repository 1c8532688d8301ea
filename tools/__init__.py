"""Scripts that regenerate jaxact's fitted coefficient tables and derived constants.

Not part of the installed package (``pyproject.toml`` ships ``jaxact*`` only) and not a run-time
dependency: they need mpmath, a test dependency. Run one as ``python -m tools.fit_expm1`` from
the repository root; ``tests/test_fitted_tables.py`` checks the library's tables against them.
See ``tools/README.md``.
"""
