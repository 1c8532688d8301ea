"""Facts of the site's layout that several generators need (kept here, written once).

Light on purpose (no jax): ``docsgen.i18n`` imports it for its checks and commands.
"""

from __future__ import annotations

# The notebooks rendered on the site: mkdocs.yml's mkdocs-jupyter ``include``, relative to docs/.
NOTEBOOK_GLOBS = ("notebooks/[0-9]*.py", "guide/*.py")

# The columns of the overview's comparison table, and the rows of each function page's
# property table (their Chinese is in docsgen/locale/zh.yml).
PROPERTY_COLUMNS = (
    "Range",
    "Monotonic",
    "Smoothness",
    "Bounded",
    "Zero at 0",
    "Zero-centred",
    "Left sat.",
    "Right sat.",
    "Time vs relu",
)
