"""Checks of drawn figures that a reader would notice: fonts the browser lacks, marks hidden
under a legend, arrows pointing outside their axes. Shared by the figure and site tests."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Annotation

ASSETS = Path(__file__).resolve().parent.parent / "docs" / "assets"
_FACE = re.compile(r"@font-face\s*{[^}]*?font-family:\s*['\"]?([^;'\"}]+)", re.S)
_FAMILY = re.compile(r"font-family\s*[:=]\s*[\"']?([^;\"]+)")
_FONT = re.compile(r"font:\s*[^;\"]*?\d(?:px|pt)\s+([^;\"]+)")


def served_fonts(assets: Path = ASSETS) -> set[str]:
    """Font families that the site's own CSS declares with ``@font-face`` (KaTeX's)."""
    return {m.strip() for css in assets.rglob("*.css") for m in _FACE.findall(css.read_text())}


def svg_fonts(svg: bytes | str) -> set[str]:
    """Every font family an SVG names (``font-family`` or the ``font`` shorthand)."""
    text = svg.decode() if isinstance(svg, bytes) else svg
    found = set()
    for value in _FAMILY.findall(text) + _FONT.findall(text):
        found |= {f.strip().strip("'\"") for f in value.split(",") if f.strip()}
    return found


def unserved_fonts(svg: bytes | str, served: set[str]) -> set[str]:
    """The families an SVG names that the site does not serve; a ``<text>`` element with no
    family at all counts too (the browser would pick its own font)."""
    text = svg.decode() if isinstance(svg, bytes) else svg
    missing = svg_fonts(text) - served
    if "<text" in text and not svg_fonts(text):
        missing.add("<text> without a font")
    return missing


def _segments_in_pixels(line: Line2D, per_pixel: float = 0.5) -> np.ndarray:
    """The drawn polyline of ``line`` in display pixels, sampled every ~2 px along each segment
    (a straight line of two points crossing a legend has no vertex inside it)."""
    xy = np.column_stack(line.get_data()).astype(float)
    finite = np.isfinite(xy).all(axis=1)
    if not finite.any():
        return np.empty((0, 2))
    px = line.get_transform().transform(np.where(finite[:, None], xy, 0.0))
    points = [px[finite]]
    # Only neighbours that are both finite are joined: a NaN is a gap in the drawn line.
    for i in np.flatnonzero(finite[:-1] & finite[1:]):
        a, b = px[i], px[i + 1]
        n = max(2, int(np.hypot(*(b - a)) * per_pixel))
        points.append(a + (b - a) * np.linspace(0, 1, n)[1:, None])
    return np.concatenate(points)


def legend_overlaps(fig: Figure, inset: float = 1.0) -> list[str]:
    """Lines and markers of any axes that a legend of the figure covers (display pixels)."""
    fig.draw_without_rendering()
    legends = [*fig.legends, *(a.get_legend() for a in fig.axes if a.get_legend())]
    problems = []
    for legend in legends:
        box = legend.get_window_extent().padded(-inset)
        for ax in fig.axes:
            clip = ax.get_window_extent()
            for line in ax.lines:
                # Reference lines behind the data (the zero axes, zorder 0) may pass beneath.
                if not line.get_visible() or line.get_zorder() <= 0:
                    continue
                pts = _segments_in_pixels(line)
                pts = pts[_inside(clip, pts)] if len(pts) else pts
                if len(pts) and _inside(box, pts).any():
                    where = f"{line.get_label()!r} of {ax.get_title()!r}"
                    problems.append(f"legend covers line {where}")
            for coll in ax.collections:
                offsets = coll.get_offsets()
                if len(offsets) == 0 or coll.get_offset_transform() is None:
                    continue
                pts = coll.get_offset_transform().transform(np.asarray(offsets, dtype=float))
                if _inside(box, pts).any() and _is_marker(coll):
                    problems.append(f"legend covers markers {coll.get_label()!r}")
    return problems


def _inside(box: object, pts: np.ndarray) -> np.ndarray:
    (x0, y0), (x1, y1) = box.get_points()
    return (pts[:, 0] >= x0) & (pts[:, 0] <= x1) & (pts[:, 1] >= y0) & (pts[:, 1] <= y1)


def _is_marker(coll: object) -> bool:
    return type(coll).__name__ == "PathCollection"  # scatter; spans and fills may lie beneath


def annotations_outside(fig: Figure) -> list[str]:
    """Annotations (arrows) whose target or start lies outside their axes' limits: clipped."""
    problems = []
    for ax in fig.axes:
        (x0, x1), (y0, y1) = sorted(ax.get_xlim()), sorted(ax.get_ylim())
        for child in ax.texts:
            if not isinstance(child, Annotation) or child.xycoords != "data":
                continue
            points = [child.xy]
            if child.anncoords == "data" and child.xyann is not None:
                points.append(child.xyann)
            for x, y in points:
                if not (x0 <= x <= x1 and y0 <= y <= y1):
                    problems.append(f"annotation at ({x}, {y}) outside {ax.get_title()!r}")
    return problems


def _points_in_points(line: Line2D, step: float = 1.0) -> np.ndarray:
    """The drawn polyline of ``line`` in typographic points, sampled every ``step`` points."""
    return _segments_in_pixels(line, per_pixel=1.0 / step) * 72.0 / line.figure.dpi


def _distance_to_polyline(points: np.ndarray, line: Line2D) -> np.ndarray:
    """The distance (points) from each of ``points`` to the drawn segments of ``line``."""
    xy = np.column_stack(line.get_data()).astype(float)
    px = line.get_transform().transform(np.nan_to_num(xy)) * 72.0 / line.figure.dpi
    joined = np.isfinite(xy).all(axis=1)
    keep = joined[:-1] & joined[1:]  # a NaN is a gap in the drawn line
    a, b = px[:-1][keep], px[1:][keep]
    if len(a) == 0:
        return np.full(len(points), np.inf)
    d = b - a
    length2 = np.maximum((d**2).sum(axis=1), 1e-12)
    best = np.full(len(points), np.inf)
    for chunk in range(0, len(points), 256):  # a few MB at a time
        p = points[chunk : chunk + 256, None, :]
        t = np.clip(((p - a) * d).sum(axis=2) / length2, 0.0, 1.0)
        gap = np.hypot(*np.moveaxis(p - (a + t[..., None] * d), 2, 0)).min(axis=1)
        best[chunk : chunk + 256] = gap
    return best


def hidden_shares(ax: object, margin: float = 0.5) -> dict[str, float]:
    """For each labelled line of ``ax``: the share of its length that the lines drawn after it
    cover. A point of a line shows where its stroke reaches at least ``margin`` points beyond
    the stroke of every later line (widths as drawn, dashes counted as solid); equal widths
    on the same data hide the earlier line entirely, a crossing hides a short piece."""
    lines = [ln for ln in ax.lines if not ln.get_label().startswith("_")]
    shares = {}
    for i, line in enumerate(lines):
        points = _points_in_points(line)
        shows = np.ones(len(points), dtype=bool)
        for later in lines[i + 1 :]:
            reach = _distance_to_polyline(points, later) + line.get_linewidth() / 2
            shows &= reach >= later.get_linewidth() / 2 + margin
        shares[line.get_label()] = float(1.0 - shows.mean()) if len(points) else 0.0
    return shares
