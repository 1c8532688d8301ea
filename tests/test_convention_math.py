"""Function pages typeset the point values their conventions state (``relu'(0) = 0`` becomes
``$f'(0) = 0$``) while the registry keeps its plain-text wording."""

from __future__ import annotations

import re

import pytest

import jaxact
from docsgen import function_pages as fp
from docsgen.convention_math import render_convention

_MATH_OR_CODE = re.compile(r"`[^`]*`|\$[^$]*\$")
_TEXT_DERIVATIVE = re.compile(r"[a-z0-9_]'\(")
"""A derivative at a point typed as text, e.g. ``relu'(0)``."""


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        ("relu'(0) = 0 (as jax.nn).", ("relu",), "$f'(0) = 0$ (as jax.nn)."),
        ("relu6'(0) = relu6'(6) = 0.", ("relu6",), "$f'(0) = f'(6) = 0$."),
        (
            "hard_tanh'(a) = 1, so hard_tanh'(±1) = 1",
            ("hard_tanh",),
            r"$f'(a) = 1$, so $f'(\pm1) = 1$",
        ),
        ("hard_silu'(−3) = 0 and", ("hard_silu",), "$f'(-3) = 0$ and"),
        ("selu'(0) = λα, the", ("selu",), r"$f'(0) = \lambda\alpha$, the"),
        ("f(−inf) = 0, f'(+inf) = 1;", ("gelu",), r"$f(-\infty) = 0$, $f'(+\infty) = 1$;"),
        ("soft_sign(±inf) = ±1, the", ("soft_sign",), r"$f(\pm\infty) = \pm1$, the"),
        ("(as relu6'(6) = 0).", ("relu",), r"(as $\operatorname{relu6}'(6) = 0$)."),
        ("relu'(0) = 0, as", ("reglu",), r"$\operatorname{relu}'(0) = 0$, as"),
        ("heaviside(0) = 1", ("binary_step", "heaviside"), "$f(0) = 1$"),
        ("For b = 0 f'(0) is 1/2", ("squareplus",), "For b = 0 $f'(0)$ is 1/2"),
    ],
)
def test_point_values_become_math(text: str, names: tuple[str, ...], expected: str) -> None:
    assert render_convention(text, names) == expected


@pytest.mark.parametrize(
    "text",
    [
        "so that sine(x) is sin(x); SIREN's",  # calls in a sentence, no value stated
        "`logsumexp([0, -20])` is 2.06e−9",  # code
        r"Computed as $x\,n/(n + 2)$ with $n = e^x(e^x + 2)$: one exp",  # math already
        "threshold(x, threshold, value) is torch's",  # more than one argument
    ],
)
def test_text_without_a_point_value_is_unchanged(text: str) -> None:
    assert render_convention(text, ("sine",)) == text


@pytest.mark.parametrize("name", [n for n in jaxact.names() if jaxact.get(n).conventions])
def test_no_page_states_a_derivative_at_a_point_as_text(name: str) -> None:
    spec = jaxact.get(name)
    for text in spec.conventions:
        rendered = render_convention(text, spec.all_names)
        assert rendered.count("$") % 2 == 0, rendered
        prose = _MATH_OR_CODE.sub(" ", rendered)
        assert not _TEXT_DERIVATIVE.search(prose), rendered


def test_the_relu_page_shows_the_convention_as_math_and_the_registry_keeps_its_words() -> None:
    spec = jaxact.get("relu")
    assert spec.conventions[0] == "relu'(0) = 0 (as jax.nn; Bertoin et al. 2021)."
    page = fp.function_page(spec, "–", False)
    section = page.split("## Conventions", 1)[1].split("\n## ", 1)[0]
    assert "- $f'(0) = 0$ (as jax.nn; Bertoin et al. 2021)." in section
    assert "relu'(0)" not in section
