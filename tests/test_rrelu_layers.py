"""The RReLU layers: random the way each library's dropout is (Flax NNX: an ``nnx.Rngs`` stream
and ``deterministic``; Equinox: a ``key`` per call and ``inference``), and exactly
``jaxact.rrelu`` for the same key."""

from __future__ import annotations

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from flax import nnx

import jaxact
from jaxact import equinox as je
from jaxact import flax as jf

X = -jnp.arange(1.0, 9.0)
MEAN = (1 / 8 + 1 / 3) / 2


def _in_band(y, x, lower=1 / 8, upper=1 / 3) -> bool:
    slopes = np.asarray(y) / np.asarray(x)
    return bool(np.all((slopes >= lower - 1e-7) & (slopes <= upper + 1e-7)))


# -- Flax NNX -------------------------------------------------------------------------------


def test_nnx_rrelu_draws_from_its_stream_and_each_call_differs():
    layer = jf.RReLU(rngs=nnx.Rngs(dropout=3))
    first, second = layer(X), layer(X)
    assert _in_band(first, X) and _in_band(second, X)
    assert not np.array_equal(np.asarray(first), np.asarray(second))
    # The key the stream gives is the one jaxact.rrelu is called with.
    key = nnx.Rngs(dropout=3)["dropout"].fork()()
    expected = jaxact.rrelu(X, key, training=True)
    np.testing.assert_array_equal(np.asarray(first), np.asarray(expected))


def test_nnx_rrelu_eval_train_and_call_time_flags():
    model = nnx.Sequential(nnx.Linear(8, 8, rngs=nnx.Rngs(0)), jf.RReLU(rngs=nnx.Rngs(1)))
    layer = model.layers[1]
    model.eval()
    assert layer.deterministic is True
    np.testing.assert_array_equal(np.asarray(layer(X)), np.asarray(jaxact.rrelu(X)))
    assert _in_band(layer(X, deterministic=False), X)
    model.train()
    assert layer.deterministic is False
    np.testing.assert_allclose(np.asarray(layer(X, deterministic=True)), MEAN * np.asarray(X))
    key = jax.random.key(5)
    np.testing.assert_array_equal(
        np.asarray(layer(X, rngs=key)), np.asarray(jaxact.rrelu(X, key, training=True))
    )
    viewed = nnx.view(model, deterministic=True)
    np.testing.assert_allclose(np.asarray(viewed.layers[1](X)), MEAN * np.asarray(X))


def test_nnx_rrelu_under_jit_advances_the_stream():
    layer = jf.RReLU(lower=0.0, upper=1.0, rngs=nnx.Rngs(0))
    step = nnx.jit(lambda m, x: m(x))
    a, b = step(layer, X), step(layer, X)
    assert _in_band(a, X, 0.0, 1.0) and not np.array_equal(np.asarray(a), np.asarray(b))
    grads = nnx.grad(lambda m, x: jnp.sum(m(x, rngs=jax.random.key(1))), argnums=1)(layer, X)
    y = jaxact.rrelu(X, jax.random.key(1), lower=0.0, upper=1.0, training=True)
    np.testing.assert_allclose(np.asarray(grads), np.asarray(y) / np.asarray(X), rtol=1e-6)


def test_nnx_rrelu_errors_name_the_argument():
    with pytest.raises(ValueError, match="needs rngs"):
        jf.RReLU()(X)
    np.testing.assert_allclose(np.asarray(jf.RReLU(deterministic=True)(X)), MEAN * np.asarray(X))
    with pytest.raises(ValueError, match="'lower' must not exceed 'upper'"):
        jf.RReLU(0.5, 0.2)
    with pytest.raises(ValueError, match="lower must be finite"):
        jf.RReLU(float("nan"))
    with pytest.raises(TypeError, match="rngs must be"):
        jf.RReLU(rngs=0)


# -- Equinox --------------------------------------------------------------------------------


def test_equinox_rrelu_is_rrelu_with_the_call_key():
    key = jax.random.key(4)
    layer = je.RReLU(0.1, 0.2)
    np.testing.assert_array_equal(
        np.asarray(layer(X, key=key)),
        np.asarray(jaxact.rrelu(X, key, lower=0.1, upper=0.2, training=True)),
    )
    assert _in_band(layer(X, key=key), X, 0.1, 0.2)
    assert jax.tree.leaves(eqx.filter(layer, eqx.is_inexact_array)) == []


def test_equinox_rrelu_inference_mode_and_call_flag():
    layer = je.RReLU()
    with pytest.raises(ValueError, match="need a key"):
        layer(X)
    frozen = eqx.nn.inference_mode(layer)
    assert frozen.inference is True
    np.testing.assert_array_equal(np.asarray(frozen(X)), np.asarray(jaxact.rrelu(X)))
    np.testing.assert_allclose(np.asarray(layer(X, inference=True)), MEAN * np.asarray(X))
    assert _in_band(frozen(X, key=jax.random.key(0), inference=False), X)


def test_equinox_rrelu_in_sequential_under_filter_jit():
    model = eqx.nn.Sequential([eqx.nn.Linear(8, 8, key=jax.random.key(0)), je.RReLU()])
    run = eqx.filter_jit(lambda m, x, k: m(x, key=k))
    a, b = run(model, X, jax.random.key(1)), run(model, X, jax.random.key(2))
    assert not np.array_equal(np.asarray(a), np.asarray(b))
    again = run(model, X, jax.random.key(1))
    np.testing.assert_array_equal(np.asarray(a), np.asarray(again))
    with pytest.raises(ValueError, match="'lower' must not exceed 'upper'"):
        je.RReLU(0.5, 0.2)
