"""Worked examples and claims of the site's pages (function notes, home page), checked."""

from __future__ import annotations

import contextlib
import io
import re
import tomllib
from pathlib import Path

import jax
import jax.numpy as jnp
import mpmath
import numpy as np

import jaxact

XS = list(range(-5, 6))


def test_sigmoid_worked_example_matches_mpmath():
    got = np.round(np.asarray(jaxact.sigmoid(jnp.array(XS, jnp.float32)), np.float64), 3)
    want = [round(float(1 / (1 + mpmath.exp(-x))), 3) for x in XS]
    assert got.tolist() == want
    assert want[:4] == [0.007, 0.018, 0.047, 0.119] and want[5] == 0.5


def test_softmax_worked_example_tail():
    got = np.round(np.asarray(jaxact.softmax(jnp.array(XS, jnp.float32)), np.float64), 3)
    assert got[-3:].tolist() == [0.086, 0.233, 0.632]


def test_binary_step_worked_example():
    got = np.asarray(jaxact.binary_step(jnp.arange(-3.0, 4.0)))
    assert got.tolist() == [0, 0, 0, 1, 1, 1, 1]


HOME = Path(__file__).resolve().parents[1] / "docs" / "index.md"


def _home_blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", HOME.read_text(), re.S | re.M)


def test_home_quick_start_prints_what_the_page_says() -> None:
    # The first Python block of the home page, run as a reader would; its output is the text
    # block that follows it.
    code, shown = _home_blocks("python")[0], _home_blocks("text")[0]
    assert len([ln for ln in code.splitlines() if ln.strip()]) <= 5
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, str(HOME), "exec"), {})
    assert out.getvalue() == shown


def test_home_install_lines_name_real_extras() -> None:
    (install,) = _home_blocks("bash")
    extras = tomllib.loads((HOME.parents[1] / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    named = re.findall(r'pip install "jaxact\[(\w+)\]"', install)
    assert named == ["flax", "equinox", "docs"] and set(named) <= set(extras)
    assert re.search(r"^pip install jaxact\b", install, re.M)


def test_two_class_softmax_is_the_sigmoid_of_the_difference() -> None:
    # docs/concepts/output-layers.md, "Softmax generalises the sigmoid".
    z = np.random.default_rng(0).normal(scale=4.0, size=(1000, 2)).astype(np.float32)
    p = np.asarray(jaxact.softmax(jnp.asarray(z)), np.float64)
    diff = jnp.asarray(z[:, 0] - z[:, 1])
    np.testing.assert_allclose(p[:, 0], np.asarray(jaxact.sigmoid(diff)), rtol=2e-6, atol=0)
    np.testing.assert_allclose(p[:, 1], np.asarray(jaxact.sigmoid(-diff)), rtol=2e-6, atol=0)
    logp = np.asarray(jaxact.log_softmax(jnp.asarray(z)))
    np.testing.assert_allclose(logp[:, 0], np.asarray(jaxact.log_sigmoid(diff)), rtol=2e-6)
    # The page's example.
    first = float(jaxact.softmax(jnp.array([1.5, -0.5]))[0])
    assert round(first, 4) == round(float(jaxact.sigmoid(2.0)), 4) == 0.8808


def test_softmax_is_positive_but_rounds_far_entries_to_zero() -> None:
    # docs/_notes/softmax.md: strictly positive in exact arithmetic, 0 after underflow.
    assert np.asarray(jaxact.softmax(jnp.array([0.0, -200.0]))).tolist() == [1.0, 0.0]
    assert (np.asarray(jaxact.softmax(jnp.linspace(-10.0, 10.0, 50))) > 0).all()
    assert jaxact.get("softmax").output_range.describe() == "[0, 1]"


def test_maxout_always_passes_gradient_to_one_piece_per_unit() -> None:
    # docs/guide/selection.md: a Maxout unit cannot die, one of its k pieces is always active.
    x = jnp.asarray(np.random.default_rng(1).normal(size=(64, 12)), jnp.float32) - 3.0
    grads = np.asarray(jax.grad(lambda v: jaxact.maxout(v, 3).sum())(x)).reshape(64, 4, 3)
    np.testing.assert_allclose(grads.sum(-1), 1.0)
    assert (np.asarray(jaxact.maxout(x, 3)) < 0).any()  # even where every piece is negative


def test_two_class_sparsemax_is_the_sparse_sigmoid_of_the_difference() -> None:
    # docs/_notes/sparse_sigmoid.md: "the two-class case of sparsemax".
    z = np.random.default_rng(2).normal(scale=2.0, size=(1000, 2)).astype(np.float32)
    p = np.asarray(jaxact.sparsemax(jnp.asarray(z)))
    diff = jnp.asarray(z[:, 0] - z[:, 1])
    np.testing.assert_allclose(p[:, 0], np.asarray(jaxact.sparse_sigmoid(diff)), atol=1e-6)
    assert (p[:, 0] == 0).any() and (p[:, 0] == 1).any()  # exact 0 and 1 for confident inputs


# The API pages render each docstring's examples in a code block that holds 80 characters on one
# line at 1280 px (the browser test measures it); a longer line scrolls. Checked here without a
# browser, for every public object of the package and its layer modules.
def _public_docstrings():
    import importlib

    for module_name in ("jaxact", "jaxact.flax", "jaxact.flax.linen", "jaxact.equinox"):
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        for name in getattr(module, "__all__", []):
            doc = getattr(getattr(module, name), "__doc__", None) or ""
            yield f"{module_name}.{name}", doc


def test_docstring_example_lines_fit_the_api_pages_code_blocks() -> None:
    import inspect

    long = [
        (where, line)
        for where, doc in _public_docstrings()
        for line in inspect.cleandoc(doc).splitlines()
        if line.lstrip().startswith((">>>", "...")) and len(line.strip()) > 80
    ]
    assert long == []


# Arithmatex renders $$...$$ as a display formula only where it is a paragraph of its own; inside
# a sentence ("computed as $$...$$") the API page showed the formula inline between two stray $.
def test_docstring_display_math_is_a_paragraph_of_its_own() -> None:
    import inspect
    import re

    inline = [
        (where, paragraph.strip()[:60])
        for where, doc in _public_docstrings()
        for paragraph in re.split(r"\n\s*\n", inspect.cleandoc(doc))
        if "$$" in paragraph
        and not (paragraph.strip().startswith("$$") and paragraph.strip().endswith("$$"))
    ]
    assert inline == []
