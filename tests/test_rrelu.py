"""rrelu: PyTorch's documented semantics of the randomised leaky ReLU, with jax.random keys.

torch.nn.RReLU: in training each element's negative slope is drawn from U(lower, upper)
(defaults 1/8 and 1/3); in evaluation the slope is (lower + upper) / 2. The functional form's
``training`` defaults to False, as torch.nn.functional.rrelu's does.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt
import numpy as np
import pytest
from _figures import legend_overlaps

import jaxact
from docsgen import plots

LOWER, UPPER = 1 / 8, 1 / 3
KEY = jax.random.key(7)


def _slopes(x, y):
    """The slope each negative element got: y / x."""
    return np.asarray(y, np.float64) / np.asarray(x, np.float64)


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "bfloat16"])
def test_evaluation_is_leaky_relu_with_the_mean_slope(dtype):
    with jax.enable_x64(dtype == "float64"):
        x = jnp.linspace(-4, 4, 33, dtype=dtype)
        mean = (LOWER + UPPER) / 2
        expected = jaxact.leaky_relu(x, negative_slope=mean)
        for y in (jaxact.rrelu(x), jaxact.rrelu(x, KEY), jaxact.rrelu(x, training=False)):
            assert y.dtype == x.dtype
            np.testing.assert_array_equal(np.asarray(y), np.asarray(expected))
        y = jaxact.rrelu(x, lower=0.0, upper=0.5)
        np.testing.assert_array_equal(np.asarray(y), np.asarray(jaxact.leaky_relu(x, 0.25)))


def test_training_slopes_lie_in_lower_upper_and_positive_inputs_pass_through():
    x = jnp.concatenate([-jnp.geomspace(1e-3, 1e3, 500), jnp.geomspace(1e-3, 1e3, 500)])
    y = jaxact.rrelu(x, KEY, training=True)
    negative = np.asarray(x) < 0
    slopes = _slopes(x, y)[negative]
    tol = 2e-7  # the product slope * x rounded to float32
    assert np.all(slopes >= LOWER - tol) and np.all(slopes <= UPPER + tol)
    np.testing.assert_array_equal(np.asarray(y)[~negative], np.asarray(x)[~negative])
    assert len(np.unique(slopes)) > 490, "one slope per element, not one per call"


def test_same_key_same_output_and_other_keys_differ():
    x = -jnp.arange(1.0, 65.0)
    first = jaxact.rrelu(x, KEY, training=True)
    again = jaxact.rrelu(x, KEY, training=True)
    np.testing.assert_array_equal(np.asarray(first), np.asarray(again))
    jitted = jax.jit(lambda v, k: jaxact.rrelu(v, k, training=True))(x, KEY)
    np.testing.assert_array_equal(np.asarray(first), np.asarray(jitted))
    legacy = jaxact.rrelu(x, jax.random.PRNGKey(7), training=True)
    np.testing.assert_array_equal(np.asarray(first), np.asarray(legacy))
    other = jaxact.rrelu(x, jax.random.key(8), training=True)
    assert not np.array_equal(np.asarray(first), np.asarray(other))


@pytest.mark.parametrize(("lower", "upper"), [(LOWER, UPPER), (0.0, 1.0), (0.2, 0.25)])
def test_slopes_are_uniform_on_lower_upper(lower, upper):
    """Kolmogorov–Smirnov against U(lower, upper): 200,000 slopes drawn with one fixed key.

    The statistic of a correct sampler exceeds 1.95 / sqrt(n) with probability 0.001; one
    key fixes the sample, so the test is deterministic.
    """
    n = 200_000
    with jax.enable_x64(True):
        x = -jnp.ones(n, jnp.float64)
        slopes = np.sort(_slopes(x, jaxact.rrelu(x, KEY, lower=lower, upper=upper, training=True)))
    cdf = (slopes - lower) / (upper - lower)
    steps = np.arange(1, n + 1) / n
    statistic = max(np.max(steps - cdf), np.max(cdf - (steps - 1 / n)))
    assert statistic < 1.95 / math.sqrt(n), statistic
    assert abs(slopes.mean() - (lower + upper) / 2) < 4 * (upper - lower) / math.sqrt(12 * n)


def test_ks_statistic_sees_a_wrong_distribution():
    """The same check rejects slopes from U(lower, upper) squared into a skewed law."""
    n = 200_000
    u = np.sort(np.asarray(jax.random.uniform(KEY, (n,), jnp.float32)))
    skewed = u**1.05
    steps = np.arange(1, n + 1) / n
    statistic = max(np.max(steps - skewed), np.max(skewed - (steps - 1 / n)))
    assert statistic > 1.95 / math.sqrt(n)


def test_equal_bounds_give_exactly_that_slope_in_training():
    x = -jnp.arange(1.0, 9.0)
    y = jaxact.rrelu(x, KEY, lower=0.25, upper=0.25, training=True)
    np.testing.assert_array_equal(np.asarray(y), np.asarray(0.25 * x))


def test_derivative_is_the_drawn_slope_below_zero_and_one_elsewhere():
    x = jnp.array([-3.0, -2.0, -1.0, -1e-20, 0.0, 1e-20, 2.0])
    f = lambda v: jaxact.rrelu(v, KEY, training=True)  # noqa: E731
    y = f(x)
    grad = np.asarray(jax.grad(lambda v: jnp.sum(f(v)))(x))
    np.testing.assert_allclose(grad[:4], _slopes(x[:4], y[:4]), rtol=1e-6)
    np.testing.assert_array_equal(grad[4:], 1.0)
    # The evaluation derivative: the mean slope.
    eval_grad = np.asarray(jax.grad(lambda v: jnp.sum(jaxact.rrelu(v)))(x))
    np.testing.assert_allclose(eval_grad[:4], (LOWER + UPPER) / 2, rtol=1e-7)
    np.testing.assert_array_equal(eval_grad[4:], 1.0)


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_half_precision_training_rounds_slope_times_x_once(dtype):
    x = jnp.linspace(-8, -0.5, 64, dtype=dtype)
    y = jaxact.rrelu(x, KEY, training=True)
    assert y.dtype == x.dtype
    slope = jax.random.uniform(KEY, x.shape, jnp.float32, minval=LOWER, maxval=UPPER)
    expected = (x.astype(jnp.float32) * slope).astype(dtype)
    np.testing.assert_array_equal(np.asarray(y, np.float32), np.asarray(expected, np.float32))


def test_nan_and_infinities():
    x = jnp.array([jnp.nan, -jnp.inf, jnp.inf])
    y = np.asarray(jaxact.rrelu(x, KEY, training=True))
    assert np.isnan(y[0]) and y[1] == -np.inf and y[2] == np.inf
    zero = np.asarray(jaxact.rrelu(x, KEY, lower=0.0, upper=0.0, training=True))
    assert zero[1] == 0.0  # the limit of 0 * x, not NaN


def test_array_bounds_broadcast_against_x():
    x = -jnp.ones((4, 3))
    lower = jnp.array([0.0, 0.5, 0.9])
    y = jaxact.rrelu(x, KEY, lower=lower, upper=lower + 0.05, training=True)
    slopes = _slopes(x, y)
    assert np.all((slopes >= np.asarray(lower) - 1e-7) & (slopes <= np.asarray(lower) + 0.05))


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"lower": 0.5, "upper": 0.2}, ValueError, r"'lower' must not exceed 'upper'.*0\.5.*0\.2"),
        ({"lower": jnp.array([0.1, 0.4]), "upper": 0.3}, ValueError, "'lower' must not exceed"),
        ({"lower": math.nan}, ValueError, "'lower'"),
        ({"upper": math.inf}, ValueError, "'upper'"),
        ({"training": True}, ValueError, "needs a jax.random key"),
        ({"training": 1}, TypeError, "'training' must be a Python bool"),
        ({"key": 0, "training": True}, TypeError, "'key' must be a single jax.random key"),
        ({"key": jax.random.split(KEY), "training": True}, TypeError, "'key'"),
    ],
)
def test_bad_arguments_name_themselves(kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        jaxact.rrelu(jnp.ones(2), **kwargs)


def test_bounds_are_checked_in_evaluation_too():
    """lower > upper is refused in either mode, not only when slopes are drawn."""
    with pytest.raises(ValueError, match="'lower' must not exceed 'upper'"):
        jaxact.rrelu(jnp.ones(3), lower=0.4, upper=0.3)


def test_registry_marks_rrelu_stochastic_and_only_it():
    assert [s.name for s in jaxact.specs() if s.stochastic] == ["rrelu"]
    assert jaxact.get("rrelu").fn is jaxact.rrelu


@pytest.mark.parametrize("spec", [s for s in jaxact.specs() if s.stochastic], ids=lambda s: s.name)
def test_training_values_lie_in_the_stated_training_range(spec):
    """Every stochastic function: training draws stay in ``training_range``, the band its
    page draws, and fill it (the extremes of many draws reach both ends)."""
    x = jnp.linspace(-5, 5, 41)
    lo, hi = (np.asarray(v) for v in spec.training_range(x, **spec.defaults()))
    keys = jax.random.split(KEY, 400)
    draws = np.asarray(jax.vmap(lambda k: spec.fn(x, k, training=True))(keys))
    tol = 1e-6 * np.maximum(1.0, np.abs(np.asarray(x)))
    assert np.all(draws >= lo - tol) and np.all(draws <= hi + tol)
    width = hi - lo
    assert np.all(draws.min(axis=0) <= lo + 0.05 * width + tol)
    assert np.all(draws.max(axis=0) >= hi - 0.05 * width - tol)


def test_page_plot_shows_the_training_band():
    spec = jaxact.get("rrelu")
    fig = plots.plot_activation(spec)
    try:
        ax = fig.axes[0]
        (band,) = ax.collections
        vertices = band.get_paths()[0].vertices
        x = vertices[:, 0]
        left = vertices[x < -1]
        # Between lower * x and upper * x for x < 0.
        assert np.all(left[:, 1] <= LOWER * left[:, 0] + 1e-6)
        assert np.all(left[:, 1] >= UPPER * left[:, 0] - 1e-6)
        assert np.isclose(left[:, 1].min(), UPPER * plots.curves(spec)[0][0], rtol=1e-6)
        labels = [t.get_text() for t in ax.get_legend().get_texts()]
        assert labels == ["training: slope in [l, u]", "evaluation: slope (l + u)/2"]
        assert legend_overlaps(fig) == []
    finally:
        plt.close(fig)
