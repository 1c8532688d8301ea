"""Shared fixtures: the registry, parametrized so a new activation is tested with no new code."""

from __future__ import annotations

import jaxact

ALL = tuple(jaxact.specs())
ELEMENTWISE = tuple(s for s in ALL if s.elementwise)
