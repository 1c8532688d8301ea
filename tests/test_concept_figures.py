"""The concept figures draw real content, and docs/ links exactly the figures that exist."""

import re
from pathlib import Path

import matplotlib.pyplot as plt
import pytest
from matplotlib.figure import Figure

from docsgen.concept_figures import FIGURES

DOCS = Path(__file__).resolve().parents[1] / "docs"
_LINK = re.compile(r"assets/figures/concepts/([A-Za-z0-9_-]+)\.svg")


@pytest.mark.parametrize("key", sorted(FIGURES))
def test_figure_has_drawn_content(key: str) -> None:
    fig = FIGURES[key]()
    try:
        assert isinstance(fig, Figure)
        assert fig.axes, key
        drawn = sum(len(ax.lines) + len(ax.collections) + len(ax.patches) for ax in fig.axes)
        assert drawn > 0, f"{key} draws nothing"
    finally:
        plt.close(fig)


def test_docs_reference_exactly_the_figures_that_exist() -> None:
    linked = {m for p in DOCS.rglob("*.md") for m in _LINK.findall(p.read_text(encoding="utf-8"))}
    assert linked - set(FIGURES) == set(), "links to figures that FIGURES does not draw"
    assert set(FIGURES) - linked == set(), "figures that no page shows"
