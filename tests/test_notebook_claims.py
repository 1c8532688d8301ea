"""The claims the notebooks in docs/notebooks/ demonstrate, asserted through the same code.

Each test loads the helper cells of its notebook (``tests/_notebooks.py``) and calls them as the
notebook does, at the notebook's size or smaller, so a change to jaxact that breaks a
demonstrated behaviour fails here, not only in a figure.
"""

from __future__ import annotations

import re
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from _notebooks import helpers
from _stated import in_text, value

import jaxact

NONLINEARITY = helpers("01_why_nonlinearity")
GRADIENTS = helpers("02_vanishing_gradients")
DEAD = helpers("03_dead_relu")
DEPTH = helpers("04_depth_smoothness")
SELU = helpers("05_self_normalisation")
OUTPUT = helpers("06_output_layers")


def test_xor_linear_models_fail_nonlinear_mlps_succeed():
    nb = NONLINEARITY
    xor = {"XOR": nb.xor_data()}
    linear = nb.fit_classifiers(xor, {"linear": jaxact.identity}, hidden=(), steps=300)
    assert linear["XOR", "linear"][1] <= 0.75
    acts = {"identity": jaxact.identity, "tanh": jaxact.tanh, "relu": jaxact.relu}
    fits = nb.fit_classifiers(xor, acts, hidden=(16, 16), steps=300)
    assert fits["XOR", "identity"][1] <= 0.75
    assert fits["XOR", "tanh"][1] == fits["XOR", "relu"][1] == 1.0


def test_batched_fits_equal_one_at_a_time():
    # The notebooks train several activations in one program (lax.switch under vmap): each
    # model must still be trained with its own activation only.
    nb = NONLINEARITY
    data = {"s": nb.spirals(n_per_class=50)}
    both = nb.fit_classifiers(data, {"relu": jaxact.relu, "tanh": jaxact.tanh}, (8,), steps=50)
    alone = nb.fit_classifiers(data, {"tanh": jaxact.tanh}, (8,), steps=50)  # second branch
    assert both["s", "tanh"][1] == alone["s", "tanh"][1]
    for (w, b), (w2, b2) in zip(alone["s", "tanh"][0], both["s", "tanh"][0], strict=True):
        np.testing.assert_allclose(w, w2, rtol=1e-4, atol=1e-5)
        np.testing.assert_allclose(b, b2, rtol=1e-4, atol=1e-5)


def test_sigmoid_gradient_vanishes_relu_he_does_not():
    sig = GRADIENTS.gradient_norms(jaxact.sigmoid, "glorot", depth=30)
    relu = GRADIENTS.gradient_norms(jaxact.relu, "he", depth=30)
    assert sig[0] <= relu[0] / 1e3
    assert sig[0] == 0.0  # "in float32 the first-layer gradient even underflows to exactly 0"
    # relu with He keeps the first layer within a small factor of the last.
    assert relu[0] >= relu[-1] / 10


def test_large_learning_rate_kills_more_relu_units_than_leaky_relu():
    (x, y), _ = DEAD.digits()
    acts = {"relu": jaxact.relu, "leaky_relu": jaxact.leaky_relu}
    runs = DEAD.dead_units_over_training(acts, x, y, lrs=(0.1,), steps=200)
    relu, leaky = runs["relu", 0.1], runs["leaky_relu", 0.1]
    assert relu[0] == 0.0
    assert relu[-1] > leaky[-1]
    assert relu[-1] >= 0.1


@pytest.mark.slow
def test_tanh_and_selu_keep_their_gradients_gelu_with_he_does_not():
    # Notebook 02's other sentences (several seconds): tanh with Glorot and selu with LeCun keep the
    # first-layer gradient within a small factor of the last layer's; gelu with He has
    # gradients far smaller than relu's at every layer.
    for act, init in ((jaxact.tanh, "glorot"), (jaxact.selu, "lecun")):
        grads = GRADIENTS.gradient_norms(act, init, depth=30)
        assert grads[-1] / 10 <= grads[0] <= 10 * grads[-1], act
    gelu = GRADIENTS.gradient_norms(jaxact.gelu, "he", depth=30)
    relu = GRADIENTS.gradient_norms(jaxact.relu, "he", depth=30)
    assert np.all(gelu < relu / 10), gelu / relu


@pytest.mark.slow
def test_dead_relu_notebook_at_both_learning_rates():
    # Notebook 03 at its own learning rates (~15 s): no unit dies at 0.001; at 0.1 relu's dead
    # fraction exceeds leaky_relu's and elu's units stay at zero.
    (x, y), _ = DEAD.digits()
    acts = {"relu": jaxact.relu, "leaky_relu": jaxact.leaky_relu, "elu": jaxact.elu}
    runs = DEAD.dead_units_over_training(acts, x, y, lrs=(0.001, 0.1), steps=200)
    assert all(runs[name, 0.001][-1] == 0.0 for name in acts)
    assert runs["relu", 0.1][-1] > runs["leaky_relu", 0.1][-1]
    assert runs["elu", 0.1][-1] == 0.0


def test_selu_lecun_self_normalises_relu_tanh_drift():
    m, v = SELU.forward_stats(jaxact.selu, "lecun", depth=50)
    assert abs(m[-1]) <= 0.1
    assert 0.8 <= v[-1] <= 1.25
    m_relu, _ = SELU.forward_stats(jaxact.relu, "he", depth=50)
    m_tanh, v_tanh = SELU.forward_stats(jaxact.tanh, "lecun", depth=50)
    assert m_relu[-1] > 0.1
    assert v_tanh[-1] < 0.5
    assert abs(m_tanh[-1]) <= 0.1  # "tanh's mean stays at 0 too"


def test_naive_log_sigmoid_overflows_jaxact_does_not():
    x = jnp.float32(-200.0)
    assert float(OUTPUT.naive_log_sigmoid(x)) == -np.inf
    assert float(jaxact.log_sigmoid(x)) == -200.0
    logits = jnp.array([1000.0, 0.0, -1000.0], dtype=jnp.float32)
    naive = np.asarray(OUTPUT.naive_log_softmax(logits))
    assert np.isnan(naive).any() and (naive == -np.inf).any()  # "gives NaN and −inf"
    np.testing.assert_array_equal(np.asarray(jaxact.log_softmax(logits)), [0.0, -1000.0, -2000.0])


def test_naive_log_sigmoid_turns_minus_inf_near_minus_87():
    # The text: "in float32 that happens near x = −87", on the grid of the notebook's figure.
    with jax.default_device(jax.devices("cpu")[0]):  # the text speaks of XLA on a CPU
        xs = jnp.linspace(-150.0, 10.0, 801, dtype=jnp.float32)
        naive = np.asarray(OUTPUT.naive_log_sigmoid(xs))
    assert -88.0 < float(xs[~np.isfinite(naive)].max()) < -87.0


@pytest.mark.parametrize(
    ("mish_deep", "word"), [(0.90, "AGREES"), (0.60, "DISAGREES"), (0.76, "INCONCLUSIVE")]
)
def test_depth_verdict_follows_the_numbers(mish_deep, word):
    depths = [2, 16]
    relu = np.array([[0.95, 0.96, 0.95], [0.74, 0.76, 0.75]])
    mish = np.array([[0.95, 0.96, 0.95], [mish_deep - 0.01, mish_deep, mish_deep + 0.01]])
    text = DEPTH.depth_verdict({"relu": relu, "mish": mish}, depths)
    assert re.search(rf"\b{word}\b", text)
    assert "16 hidden layers" in text


def test_depth_accuracy_runs_and_trains():
    data = DEPTH.digits()
    acc = DEPTH.depth_accuracy({"mish": jaxact.mish}, [2, 3], [0, 1], data, steps=60, lr=3e-3)
    assert acc["mish"].shape == (2, 2)
    assert (acc["mish"] > 0.5).all()  # chance is 0.1


@pytest.mark.slow
def test_depth_notebook_all_activations_lose_accuracy_with_depth():
    # Notebook 4 at its own size (~20 s): the text says every activation loses accuracy from
    # 2 to 12 hidden layers; the verdict sentence is computed, not asserted.
    acts = {a: getattr(jaxact, a) for a in ("relu", "silu", "mish")}
    results = DEPTH.depth_accuracy(acts, [2, 6, 12], [0, 1, 2], DEPTH.digits(), steps=100, lr=3e-3)
    for name, acc in results.items():
        assert acc[0].mean() > acc[-1].mean(), name
    assert "hidden layers" in DEPTH.depth_verdict(results, [2, 6, 12])


SATURATION_PAGE = Path(__file__).resolve().parents[1] / "docs" / "concepts" / "saturation.md"


def _saturation_claims() -> tuple[float, ...]:
    """What docs/concepts/saturation.md says these tests check: depth, ReLU's growth factor,
    its two gains, tanh's gradient ratio and its gain."""
    found = in_text(
        SATURATION_PAGE.read_text(encoding="utf-8"),
        r"measures\s+both at depth {n} \(the tests check its numbers: ReLU's first-layer gradient"
        r"\s+and last-layer\s+activations grow by more than \${n}\$ at gain {n} and shrink by"
        r"\s+more than \${n}\$ at gain {n};\s+tanh's first-layer gradient is more than"
        r"\s+\${n}\$ times its last layer's at gain {n}\)",
    )
    return tuple(value(t) for t in found)


def test_relu_gain_above_one_explodes_below_one_vanishes():
    # Notebook 02, "Exploding": He weights times a gain, 30 layers.
    depth, up, gain_up, down, gain_down, _, _ = _saturation_claims()
    depth = int(depth)

    def run(gain):
        grads = GRADIENTS.gradient_norms(jaxact.relu, "he", gain=gain, depth=depth)
        return grads[0], GRADIENTS.hidden_rms(jaxact.relu, "he", gain=gain, depth=depth)[-1]

    (g1, h1), (g_up, h_up), (g_down, h_down) = run(1.0), run(gain_up), run(gain_down)
    assert g_up >= up * g1 and h_up >= up * h1
    assert g_down <= g1 / down and h_down <= h1 / down
    # relu is positively homogeneous: the activations grow by about the gain per layer.
    assert 0.1 * gain_up**depth <= h_up / h1 <= 10 * gain_up**depth


def test_tanh_with_large_weights_stays_bounded_but_its_gradient_explodes():
    depth, *_, ratio, gain = _saturation_claims()
    grads = GRADIENTS.gradient_norms(jaxact.tanh, "glorot", gain=gain, depth=int(depth))
    assert grads[0] >= ratio * grads[-1]
    assert np.all(GRADIENTS.hidden_rms(jaxact.tanh, "glorot", gain=gain, depth=int(depth)) < 1.0)
