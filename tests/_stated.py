"""The numbers the notes pages and the registry's conventions state, read off the text, so that
a test measures what a page says instead of repeating the figure in a second place."""

from __future__ import annotations

import re
from pathlib import Path

import jaxact

NOTES = Path(__file__).resolve().parents[1] / "docs" / "_notes"

NUMBER = r"([-−]?(?:\d+(?:\.\d+)?(?: \\times 10\^\{?-?\d+\}?)?|10\^\{?-?\d+\}?))"
"""A number as the notes write it: ``47``, ``-0.2785``, ``−2.18`` or, inside math,
``1.6 \\times 10^7``, ``2 \\times 10^{-7}`` and ``10^{-6}``."""


def convention(name: str, marker: str) -> str:
    """The one convention of ``name``'s registry entry (shown on its page) containing
    ``marker``."""
    found = [c for c in jaxact.get(name).conventions if marker in c]
    assert len(found) == 1, f"{name}: {len(found)} conventions contain {marker!r}"
    return found[0]


def in_text(text: str, pattern: str) -> tuple[str, ...]:
    """:func:`stated` on any text."""
    found = re.findall(pattern.replace("{n}", NUMBER), text)
    assert len(found) == 1, f"{pattern!r} matched {len(found)} times in {text[:80]!r}"
    return found[0] if isinstance(found[0], tuple) else (found[0],)


def note(name: str) -> str:
    """The English notes of function ``name``."""
    return (NOTES / f"{name}.md").read_text(encoding="utf-8")


def value(text: str) -> float:
    """The value of a number matched by :data:`NUMBER`."""
    text = text.replace("−", "-")
    if text.startswith("10^"):
        return 10.0 ** int(text[3:].strip("{}"))
    mantissa, _, exponent = text.partition(r" \times 10^")
    return float(mantissa) * 10.0 ** int(exponent.strip("{}") or 0)


def stated(name: str, pattern: str) -> tuple[str, ...]:
    """The numbers (as written) where ``pattern``, a regular expression with ``{n}`` for each
    number, matches the notes of ``name``: exactly once, or the test fails."""
    return in_text(note(name), pattern)


def figures(name: str, pattern: str) -> tuple[float, ...]:
    """:func:`stated`, as values."""
    return tuple(value(t) for t in stated(name, pattern))


def rounds_to(text: str, exact: float) -> bool:
    """Whether ``exact`` rounded to the decimals that ``text`` shows is ``text``'s value."""
    decimals = len(text.split(".")[1]) if "." in text else 0
    return abs(exact - value(text)) <= 0.5 * 10.0**-decimals * (1 + 1e-9)
