"""Citations shared by more than one module's activations (the rest sit next to their function)."""

from __future__ import annotations

from ._registry import Reference

HENDRYCKS_GIMPEL = Reference(
    "D. Hendrycks, K. Gimpel",
    "Gaussian Error Linear Units (GELUs)",
    2016,
    "arXiv:1606.08415",
    "https://arxiv.org/abs/1606.08415",
)
"""The GELU paper, which also introduced the SiLU."""
