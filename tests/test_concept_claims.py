"""Every number and checkable fact of the concept pages, the selection guide and the home page,
measured: each test reads the claim off the page (``tests/_stated.py``) and computes it from
jaxact or from the registry, so a figure is written in one place only.

Lists of functions with a property (monotonic, saturating, smoothness class, zero-centred) are
checked against the registry's metadata, which ``test_properties`` checks against the code.
"""

from __future__ import annotations

import contextlib
import io
import math
import re
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from _stated import in_text, rounds_to, value

import jaxact

DOCS = Path(__file__).resolve().parents[1] / "docs"
_LINK = re.compile(r"\[[^\]]+\]\(\.\./functions/(\w+)\.md\)")


def _page(path: str) -> str:
    return (DOCS / path).read_text(encoding="utf-8")


def _f64(fn, x, **kw) -> np.ndarray:
    with jax.enable_x64(True):
        return np.asarray(fn(jnp.asarray(x, jnp.float64), **kw), np.float64)


def _grad64(fn, x: float, **kw) -> float:
    with jax.enable_x64(True):
        return float(jax.grad(lambda v: fn(v, **kw))(jnp.float64(x)))


def _table_rows(text: str, first_header: str) -> list[list[str]]:
    """The body rows of the Markdown table whose header starts with ``| first_header |``."""
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith(f"| {first_header} |"))
    rows = []
    for ln in lines[start + 2 :]:
        if not ln.startswith("|"):
            break
        rows.append([cell.strip() for cell in ln.strip("|").split("|")])
    return rows


def _vector(text: str) -> list[str]:
    """The numbers of ``(0.638, 0.235, ...)`` as written."""
    return [t.strip() for t in text.split(",")]


# -- saturation.md -------------------------------------------------------------------------------

SATURATION = "concepts/saturation.md"


def test_saturation_table_is_the_registry() -> None:
    rows = _table_rows(_page(SATURATION), "function")
    seen = set()
    for cells in rows:
        left, right = (c == "yes" for c in cells[1:3])
        assert {c for c in cells[1:3]} <= {"yes", "no"}, cells
        for name in _LINK.findall(cells[0]):
            spec = jaxact.get(name)
            assert (spec.left_saturating, spec.right_saturating) == (left, right), name
            seen.add(name)
    assert len(seen) >= 7, seen


def test_sigmoid_derivative_figures() -> None:
    text = _page(SATURATION)
    d = lambda x: _grad64(jaxact.sigmoid, x)  # noqa: E731
    # At most 1/4, attained at 0.
    xs = np.linspace(-20.0, 20.0, 4001)
    with jax.enable_x64(True):
        grads = np.asarray(jax.grad(lambda v: jaxact.sigmoid(v).sum())(jnp.asarray(xs)))
    assert grads.max() <= 0.25 and d(0.0) == 0.25
    (at5,) = in_text(text, r"\\sigma'\(5\) \\approx {n}")
    assert rounds_to(at5, d(5.0))
    # sigma' < 0.01 beyond the stated point: it crosses 0.01 there (to the digits shown).
    level, edge = in_text(text, r"\\sigma'\(x\) < {n}\$ for \$\|x\| > {n}\$")
    edge_x = value(edge)
    step = 0.5 * 10.0 ** -len(edge.split(".")[1])
    assert d(edge_x + step) < value(level) < d(edge_x - step)
    (tanh3,) = in_text(text, r"\\tanh'\(3\) \\approx {n}")
    assert rounds_to(tanh3, _grad64(jaxact.tanh, 3.0))
    assert _grad64(jaxact.tanh, 0.0) == 1.0


def test_product_bound_figures() -> None:
    text = _page(SATURATION)
    five, ten = in_text(text, r"\${n}\$ after 5 layers and \${n}\$ after 10")
    assert math.isclose(value(five), 4.0**-5, rel_tol=0.01)
    assert math.isclose(value(ten), 4.0**-10, rel_tol=0.01)
    gain, layers, big = in_text(
        text,
        r"a gain of {n} over {n} layers multiplies the activations by"
        r"\s+\$[\d.]+\^\{30\} \\approx {n}\$",
    )
    gain, layers = value(gain), value(layers)
    assert layers == 30 and rounds_to(big.split(" ")[0], gain**layers / 1e5)
    # ReLU is positively homogeneous: the gain comes out of every layer.
    x = jnp.linspace(-3.0, 3.0, 13)
    np.testing.assert_allclose(jaxact.relu(gain * x), gain * jaxact.relu(x))
    (small,) = in_text(text, r"a gain of {n} divides them by")
    assert 1 / value(small) == 2
    (order,) = in_text(text, r"divides them by \$2\^\{30\} \\approx {n}\$")
    assert round(math.log10(2.0**layers)) == math.log10(value(order))


def test_product_bound_is_a_derivative_bound() -> None:
    # "With the sigmoid each factor f' is at most 1/4"; tanh's at most 1; relu' is 1 for x > 0.
    # Elementwise functions: the gradient of the sum is the derivative at each point.
    xs = jnp.linspace(-30.0, 30.0, 6001)
    assert float(jax.grad(lambda v: jaxact.tanh(v).sum())(xs).max()) <= 1.0
    positive = jnp.linspace(1e-6, 1e6, 1001)
    assert (np.asarray(jax.grad(lambda v: jaxact.relu(v).sum())(positive)) == 1.0).all()
    assert float(jax.grad(jaxact.relu)(0.0)) == 0.0  # relu'(0) = 0, as the pages say


def test_float32_sigmoid_derivative_note() -> None:
    text = _page(SATURATION)
    (stated,) = in_text(
        text, r"\\sigma'\(17\) \\approx {n}\$, but jax.nn's `sigmoid\(17\.0\)` is exactly 1"
    )
    assert float(jax.nn.sigmoid(jnp.float32(17.0))) == 1.0
    assert float(jax.grad(jax.nn.sigmoid)(jnp.float32(17.0))) == 0.0
    true = float(jax.grad(jaxact.sigmoid)(jnp.float32(17.0)))
    assert true > 0 and math.isclose(value(stated), true, rel_tol=0.02)


# -- smoothness-monotonicity.md ------------------------------------------------------------------

SMOOTHNESS = "concepts/smoothness-monotonicity.md"
_CLASS = {"discontinuous": "discontinuous", "$C^0$": "C0", "$C^1$": "C1", "$C^\\infty$": "Cinf"}


def test_smoothness_table_is_the_registry() -> None:
    rows = _table_rows(_page(SMOOTHNESS), "class")
    assert [r[0] for r in rows] == list(_CLASS)
    for cls, _, examples in rows:
        for name in _LINK.findall(examples):
            assert str(jaxact.get(name).smoothness) == _CLASS[cls], (name, cls)


def test_monotonic_lists_are_the_registry() -> None:
    text = _page(SMOOTHNESS)
    (classic,) = in_text(text, r"Most\s+classic activations are: ([^.]+)\.")
    names = [n.strip().lower() for n in classic.split(",")]
    assert len(names) == 5 and all(jaxact.get(n).monotonic for n in names), names
    (dipping,) = in_text(text, r"The newer smooth functions ([\s\S]+?) are \*\*not\*\* monotonic")
    for name in _LINK.findall(dipping) + ["hard_silu"]:
        spec = jaxact.get(name)
        assert spec.monotonic is False and spec.output_range.lo < 0, name
    hard_shrink = jaxact.get("hard_shrink")
    assert hard_shrink.monotonic and str(hard_shrink.smoothness) == "discontinuous"


_MINIMUM_OF = {"SiLU": ("silu", {}), "GELU (exact)": ("gelu", {"approximate": False})}
_MINIMUM_OF["Mish"] = ("mish", {})


@pytest.mark.parametrize("label", sorted(_MINIMUM_OF))
def test_minima_table_is_measured(label: str) -> None:
    rows = {re.sub(r" \$.*", "", r[0]): r[1:] for r in _table_rows(_page(SMOOTHNESS), "function")}
    low, at = (c.strip("$") for c in rows[label])
    name, kw = _MINIMUM_OF[label]
    xs = np.linspace(-3.0, 0.0, 3_000_001)  # step 1e-6
    ys = _f64(getattr(jaxact, name), xs, **kw)
    i = int(np.argmin(ys))
    assert rounds_to(low, ys[i]) and rounds_to(at, xs[i]), (label, ys[i], xs[i])


def test_selu_slopes_at_zero() -> None:
    text = _page(SMOOTHNESS)
    (left,) = in_text(text, r"\\lambda\\alpha\s+\\approx {n}\$ on the left")
    below, above = _grad64(jaxact.selu, -1e-9), _grad64(jaxact.selu, 1e-9)
    assert rounds_to(left, below) and _grad64(jaxact.selu, 0.0) == pytest.approx(below)
    assert above == pytest.approx(1.0507009873554805) and below > above


# -- sparsity.md ---------------------------------------------------------------------------------

SPARSITY = "concepts/sparsity.md"


def test_sparsity_table_is_measured() -> None:
    text = _page(SPARSITY)
    (samples,) = in_text(text, r"on ([\d ]+) standard normal samples")
    # The samples of the figure beside the table (docsgen/concept_figures.sparsity).
    x = jax.random.normal(jax.random.key(0), (int(samples.replace(" ", "")),))
    (lam,) = in_text(text, r"soft_shrink\.md\) \(\$\\lambda = {n}\$\)")
    kwargs = {"soft_shrink": {"lambd": value(lam)}}
    rows = _table_rows(text, "function")
    assert len(rows) == 3
    for cells in rows:
        percent = cells[1].rstrip(" %")
        for name in _LINK.findall(cells[0]):
            zeros = float(jnp.mean(getattr(jaxact, name)(x, **kwargs.get(name, {})) == 0))
            assert rounds_to(percent, 100 * zeros), (name, percent, zeros)
    (p,) = in_text(text, r"P\(\|x\| \\le 0\.5\) \\approx {n}")
    assert rounds_to(p, math.erf(0.5 / math.sqrt(2)))


def test_sparsity_vector_example() -> None:
    text = _page(SPARSITY)
    scores, soft, sparse = in_text(
        text,
        r"scores \$\(([^)]*)\)\$,\s+softmax gives \$\(([^)]*)\)\$"
        r" and sparsemax gives \$\(([^)]*)\)\$",
    )
    z = jnp.asarray([value(t) for t in _vector(scores)])
    probabilities = np.asarray(jaxact.softmax(z))
    assert all(rounds_to(t, v) for t, v in zip(_vector(soft), probabilities, strict=True))
    got = np.asarray(jaxact.sparsemax(z)).tolist()
    assert got == [value(t) for t in _vector(sparse)]


# -- output-layers.md ----------------------------------------------------------------------------

OUTPUT = "concepts/output-layers.md"


def test_output_layers_logit_example() -> None:
    text = _page(OUTPUT)
    logits, soft = in_text(text, r"logits \$\(([^)]*)\)\$, softmax gives \$\(([^)]*)\)\$")
    (sig,) = in_text(text, r"Sigmoid on each logit gives \$\(([^)]*)\)\$")
    z = jnp.asarray([value(t) for t in _vector(logits)])
    for stated, got in ((soft, jaxact.softmax(z)), (sig, jaxact.sigmoid(z))):
        assert all(rounds_to(t, float(v)) for t, v in zip(_vector(stated), got, strict=True))
    assert float(jnp.sum(jaxact.softmax(z))) == pytest.approx(1.0)


def test_log_after_activation_loses_what_the_log_form_keeps() -> None:
    text = _page(OUTPUT)
    (tiny,) = in_text(text, r"\\sigma\(-100\)\$ is about \${n}\$, below the smallest normal")
    assert rounds_to(tiny.split(" ")[0], 1 / (1 + math.exp(100)) / 1e-44)
    assert 1 / (1 + math.exp(100)) < float(jnp.finfo(jnp.float32).tiny)
    assert float(jaxact.sigmoid(-100.0)) == 0.0
    assert float(jnp.log(jaxact.sigmoid(-100.0))) == -math.inf
    assert math.isnan(float(jax.grad(lambda z: jnp.log(jaxact.sigmoid(z)))(-100.0)))
    assert float(jaxact.log_sigmoid(-100.0)) == -100.0
    assert float(jax.grad(jaxact.log_sigmoid)(-100.0)) == 1.0
    (row,) = in_text(text, r"`log\(softmax\(\[([^\]]*)\]\)\)` gives \$\(([^)]*)\)\$")[:1]
    _, logged, kept = in_text(
        text,
        r"`log\(softmax\(\[([^\]]*)\]\)\)` gives \$\(([^)]*)\)\$, while "
        r"`log_softmax\(\[[^\]]*\]\)` gives\s+\$\(([^)]*)\)\$",
    )
    z = jnp.asarray([value(t) for t in _vector(row)])
    as_text = lambda v: [{-math.inf: r"-\infty"}.get(float(e), f"{float(e):g}") for e in v]  # noqa: E731
    assert as_text(jnp.log(jaxact.softmax(z))) == _vector(logged)
    assert as_text(jaxact.log_softmax(z)) == _vector(kept)


def test_loss_code_block_gradient_is_p_minus_y() -> None:
    # The page's loss functions, run as written; their gradient is (p - y) / batch.
    (code,) = re.findall(r"^```python\n(.*?)^```", _page(OUTPUT), re.S | re.M)
    scope: dict = {}
    exec(compile(code, OUTPUT, "exec"), scope)
    rng = np.random.default_rng(0)
    logits = jnp.asarray(rng.normal(scale=5.0, size=8), jnp.float32)
    labels = jnp.asarray(rng.integers(0, 2, size=8), jnp.float32)
    g = jax.grad(scope["binary_cross_entropy"])(logits, labels)
    np.testing.assert_allclose(g, (jaxact.sigmoid(logits) - labels) / 8, atol=1e-7)
    logits = jnp.asarray(rng.normal(scale=5.0, size=(8, 5)), jnp.float32)
    ids = jnp.asarray(rng.integers(0, 5, size=8))
    g = jax.grad(scope["cross_entropy"])(logits, ids)
    want = (jaxact.softmax(logits) - jax.nn.one_hot(ids, 5)) / 8
    np.testing.assert_allclose(g, want, atol=1e-7)
    # Confidently wrong: the gradient is near -1 (times 1/batch), it does not stall.
    wrong = jax.grad(scope["binary_cross_entropy"])(jnp.array([-30.0]), jnp.array([1.0]))
    assert float(wrong[0]) == -1.0


def test_output_table_ranges_are_the_registry() -> None:
    rows = {r[0]: r for r in _table_rows(_page(OUTPUT), "task")}
    assert jaxact.get("sigmoid").output_range.describe() == "(0, 1)"
    assert "(0, 1)" in rows["binary classification"][2]
    assert jaxact.get("softplus").output_range.describe() == "(0, inf)"
    assert "> 0" in rows["positive regression (scale, rate)"][2]
    assert jaxact.get("identity").output_range.describe() == "(-inf, inf)"


# -- zero-centred.md and dead-relu.md ------------------------------------------------------------


def test_zero_centred_examples_are_the_registry() -> None:
    # tanh is zero-centred, sigmoid and ReLU are not, ELU is not (its mean is positive); the
    # table's figures are the integrals (test_properties.test_zero_centred_table_is_the_integrals).
    text = _page("concepts/zero-centred.md")
    assert "[tanh](../functions/tanh.md) is zero-centred" in text
    assert "**not** zero-centred: its mean is still positive" in text
    assert jaxact.get("tanh").zero_centred
    assert not any(jaxact.get(n).zero_centred for n in ("sigmoid", "relu", "elu", "gelu", "silu"))
    assert jaxact.get("selu").zero_centred
    assert jaxact.get("relu").output_range.lo == 0 and jaxact.get("sigmoid").output_range.lo == 0


def test_dead_relu_remedies_keep_a_gradient() -> None:
    text = _page("concepts/dead-relu.md")
    (slope,) = in_text(text, r"fixed \$\\alpha\$ \(default {n}\)")
    assert jaxact.get("leaky_relu").params[0].default == value(slope)
    assert float(jax.grad(jaxact.relu)(0.0)) == 0.0
    assert float(jax.grad(jaxact.relu)(-1.0)) == 0.0
    for name in ("leaky_relu", "elu", "gelu", "silu"):
        assert float(jax.grad(getattr(jaxact, name))(-1.0)) != 0.0, name
    # ELU tends to -alpha.
    assert float(_f64(jaxact.elu, -60.0, alpha=0.7)) == pytest.approx(-0.7)


# -- guide/selection.md --------------------------------------------------------------------------

GUIDE = "guide/selection.md"


def test_guide_hard_sigmoid_example() -> None:
    at, ours, keras2 = in_text(_page(GUIDE), r"e\.g\. at \$x = {n}\$: {n} vs {n}\.")
    x = value(at)
    assert rounds_to(ours, float(jaxact.hard_sigmoid(x)))
    assert rounds_to(ours, float(jax.nn.hard_sigmoid(x)))
    assert rounds_to(keras2, min(max(0.2 * x + 0.5, 0.0), 1.0))


def test_guide_selu_negative_limit() -> None:
    (limit,) = in_text(_page(GUIDE), r"\$-\\lambda\\alpha \\approx {n}\$")
    assert rounds_to(limit, float(_f64(jaxact.selu, -100.0)))
    assert rounds_to(limit, jaxact.get("selu").output_range.lo)


def test_guide_aliases_and_defaults() -> None:
    assert jaxact.get("swish").name == "silu"
    x = jnp.linspace(-3.0, 3.0, 7)
    np.testing.assert_array_equal(jaxact.gelu(x), jaxact.gelu(x, approximate=True))
    import inspect

    for fn in (jaxact.gelu, jax.nn.gelu):
        assert inspect.signature(fn).parameters["approximate"].default is True
    # GLU variants split their input in two: the output is half as wide.
    for name in ("glu", "swiglu", "geglu", "reglu"):
        assert getattr(jaxact, name)(jnp.ones((3, 8))).shape == (3, 4), name


def test_guide_swiglu_width_keeps_the_parameter_count() -> None:
    (fraction,) = in_text(_page(GUIDE), r"hidden width about \$\\tfrac(\d\d)\$ of the usual \$4d\$")
    num, den = int(fraction[0]), int(fraction[1])
    d = 768
    assert 3 * d * (4 * d * num // den) == 2 * d * (4 * d)


_GUIDE_PROPERTY = {
    "$C^\\infty$": lambda s: str(s.smoothness) == "Cinf",
    "bounded": lambda s: s.output_range.bounded_below and s.output_range.bounded_above,
    "smooth and $> 0$": lambda s: s.output_range.lo == 0 and str(s.smoothness) == "Cinf",
    "exact zeros": lambda s: s.output_range.describe() == "[0, 1]",
}


def test_guide_table_reasons_hold_for_the_functions_named() -> None:
    text = _page(GUIDE)
    checked = 0
    for header in ("task", "architecture"):
        for cells in _table_rows(text, header):
            reason = cells[-1]
            for key, holds in _GUIDE_PROPERTY.items():
                if reason.startswith(key):
                    for name in _LINK.findall(" ".join(cells[1:3])):
                        assert holds(jaxact.get(name)), (cells[0], name, key)
                        checked += 1
    assert checked >= 8, checked
    # "no saturation for x > 0" (ReLU); the mobile row's functions are piecewise (C0), and
    # those it calls bounded are.
    assert jaxact.get("relu").right_saturating is False
    (mobile,) = [c for c in _table_rows(text, "architecture") if c[0].startswith("mobile")]
    for name in _LINK.findall(" ".join(mobile[1:3])):
        assert str(jaxact.get(name).smoothness) == "C0", name
    (bounded,) = in_text(mobile[3], r"; (.+?) are bounded")
    names = [n.strip().lower().replace(" ", "_") for n in bounded.split(" and ")]
    assert len(names) == 2
    for name in names:
        r = jaxact.get(name).output_range
        assert r.bounded_below and r.bounded_above, name
    assert not jaxact.get("hard_silu").output_range.bounded_above


# -- index.md ------------------------------------------------------------------------------------

HOME = "index.md"


def test_home_states_the_printed_derivative() -> None:
    text = _page(HOME)
    (stated,) = in_text(text, r"jaxact gives the true value\s+\$\\sigma'\(17\) \\approx {n}\$")
    true = float(jax.grad(jaxact.sigmoid)(jnp.float32(17.0)))
    assert rounds_to(stated.split(" ")[0], true / 1e-8)
    assert float(jax.grad(jax.nn.sigmoid)(jnp.float32(17.0))) == 0.0


def test_home_xor_formula_gives_xor() -> None:
    text = _page(HOME)
    assert r"\mathrm{relu}(x_1 + x_2) - 2\,\mathrm{relu}(x_1 + x_2 - 1)" in text
    (stated,) = in_text(text, r"gives ([01], [01], [01], [01]) on the four corners")
    corners = jnp.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    s = corners.sum(-1)
    got = jaxact.relu(s) - 2 * jaxact.relu(s - 1)
    assert np.asarray(got).tolist() == [value(t) for t in _vector(stated)] == [0, 1, 1, 0]


def test_home_usage_blocks_run() -> None:
    blocks = re.findall(r"^```python\n(.*?)^```", _page(HOME), re.S | re.M)[1:]
    assert len(blocks) == 2
    scope: dict = {}  # one scope: the second block uses the first one's imports
    with contextlib.redirect_stdout(io.StringIO()) as out:
        for code in blocks:
            exec(compile(code, HOME, "exec"), scope)
    assert out.getvalue().count("\n") == len(list(jaxact.specs()))
    assert jaxact.get("swish").name == "silu"
    x = jnp.linspace(-3.0, 3.0, 7)
    for name, kw in (("relu", {}), ("gelu", {"approximate": False}), ("leaky_relu", {})):
        y = getattr(jaxact, name)(x, **kw)
        assert y.shape == x.shape and y.dtype == x.dtype


def test_home_names_every_function_that_changes_the_shape() -> None:
    from _activation_cases import ALL, ROW, out_shape  # checked against calls: test_transformations

    text = _page(HOME)
    split, reduction = in_text(
        text, r"except for\s+(.+?), which shorten the axis they split, and\s+(.+?), a reduction"
    )
    named = re.findall(r"`(\w+)`", split + " " + reduction)
    changed = [s.name for s in ALL if out_shape(s, (2, ROW)) != (2, ROW)]
    assert sorted(named) == sorted(changed)
    assert re.findall(r"`(\w+)`", reduction) == [
        s.name for s in ALL if dict(s.call_defaults).get("keepdims")
    ]


def test_home_base_install_needs_only_jax_and_numpy() -> None:
    import tomllib

    text = _page(HOME)
    assert "The first needs only jax and numpy." in text
    project = tomllib.loads((DOCS.parent / "pyproject.toml").read_text())["project"]
    names = {re.match(r"[A-Za-z0-9_.-]+", d).group(0) for d in project["dependencies"]}
    assert names == {"jax", "numpy"}


def test_maxout_costs_k_times_the_weights() -> None:
    # dead-relu.md and the guide: k pieces per unit, so the layer before has k times the outputs.
    assert "$k$ times the weights" in _page("concepts/dead-relu.md")
    for k in (2, 3, 4):
        assert jaxact.maxout(jnp.ones((5, 4 * k)), k).shape == (5, 4)


def test_guide_lecun_normal_variance() -> None:
    text = _page(GUIDE)
    (init,) = in_text(
        text, r"variance \$1/n_\\text\{in\}\$\s+\(`(jax\.nn\.initializers\.\w+)\(\)`\)"
    )
    fan_in = 400
    initializer = getattr(jax.nn.initializers, init.rsplit(".", 1)[1])()
    w = initializer(jax.random.key(0), (fan_in, 300), jnp.float32)
    assert float(jnp.var(w)) == pytest.approx(1 / fan_in, rel=0.02)


def test_kink_claims_of_the_smoothness_page() -> None:
    text = _page(SMOOTHNESS)
    # "ReLU has f'' = 0 everywhere it exists".
    assert "ReLU has $f'' = 0$ everywhere it exists" in text
    second = jax.grad(jax.grad(jaxact.relu))
    assert [float(second(x)) for x in (-2.0, -1e-3, 1e-3, 2.0)] == [0.0] * 4
    # "ELU is C^1 only when alpha = 1": f' jumps at 0 from alpha to 1 otherwise.
    assert "ELU is $C^1$ only when $\\alpha = 1$" in text
    for alpha in (0.5, 1.0, 2.0):
        left, right = (_grad64(jaxact.elu, x, alpha=alpha) for x in (-1e-12, 1e-12))
        assert left == pytest.approx(alpha) and right == 1.0
