"""jaxact.flax.linen: the Linen forms of the layers. PReLU is compared with flax.linen.PReLU
itself; every layer inits, applies, differentiates under jit and survives a serialisation
round trip."""

from __future__ import annotations

import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from flax import serialization

import jaxact
import jaxact.flax.linen as jl
from jaxact import flax as jf
from jaxact.flax import PReLU as NnxPReLU  # the package keeps its NNX names

KEY = jax.random.key(0)
X = jnp.asarray(np.random.default_rng(0).standard_normal((4, 6)), jnp.float32)


def _shapes(tree):
    return jax.tree.map(lambda a: (a.shape, a.dtype), tree)


def test_import_forms_work():
    import jaxact.flax.linen as by_path

    assert by_path is jl and NnxPReLU is jaxact.flax.PReLU
    assert issubclass(jl.PReLU, nn.Module)


def test_prelu_parameters_are_flax_linen_prelus():
    ours = jl.PReLU().init(KEY, X)
    theirs = nn.PReLU().init(KEY, X)
    assert jax.tree.structure(ours) == jax.tree.structure(theirs)
    assert _shapes(ours) == _shapes(theirs) == {"params": {"negative_slope": ((), jnp.float32)}}
    np.testing.assert_array_equal(
        np.asarray(ours["params"]["negative_slope"]), np.asarray(theirs["params"]["negative_slope"])
    )
    assert float(ours["params"]["negative_slope"]) == pytest.approx(0.01)
    bf16 = jl.PReLU(param_dtype=jnp.bfloat16).init(KEY, X)
    assert bf16["params"]["negative_slope"].dtype == jnp.bfloat16


def test_prelu_apply_and_gradients_equal_flax_linen_prelu_for_the_same_variables():
    variables = {"params": {"negative_slope": jnp.float32(-0.7)}}

    @jax.jit
    def both(v, x):
        ours = jax.value_and_grad(lambda v: jl.PReLU().apply(v, x).sum())(v)
        theirs = jax.value_and_grad(lambda v: nn.PReLU().apply(v, x).sum())(v)
        return ours, theirs

    (a, ga), (b, gb) = both(variables, X)
    np.testing.assert_allclose(float(a), float(b), rtol=1e-6)
    np.testing.assert_allclose(
        np.asarray(ga["params"]["negative_slope"]), np.asarray(gb["params"]["negative_slope"])
    )
    np.testing.assert_array_equal(
        np.asarray(jl.PReLU().apply(variables, X)), np.asarray(nn.PReLU().apply(variables, X))
    )


def test_prelu_one_slope_per_channel():
    layer = jl.PReLU(num_parameters=6, negative_slope_init=0.25)
    variables = layer.init(KEY, X)
    assert variables["params"]["negative_slope"].shape == (6,)
    slopes = jnp.linspace(0.0, 1.0, 6)
    y = layer.apply({"params": {"negative_slope": slopes}}, X)
    np.testing.assert_allclose(np.asarray(y), np.asarray(jaxact.prelu(X, slopes)))
    with pytest.raises(ValueError, match="num_parameters=6"):
        layer.apply(variables, jnp.ones((2, 5)))


def test_swish_parameter_and_values():
    variables = jl.Swish(beta_init=1.5).init(KEY, X)
    assert _shapes(variables) == {"params": {"beta": ((), jnp.float32)}}
    np.testing.assert_allclose(
        np.asarray(jl.Swish().apply({"params": {"beta": jnp.float32(1.5)}}, X)),
        np.asarray(jaxact.silu(X, beta=1.5)),
    )
    frozen = jl.Swish(beta_init=2.0, learnable=False)
    assert frozen.init(KEY, X) == {}
    np.testing.assert_allclose(
        np.asarray(frozen.apply({}, X)), np.asarray(jaxact.silu(X, beta=2.0))
    )


def test_dyt_snake_star_relu_parameters_and_values():
    variables = jl.DyT(alpha_init=0.7).init(KEY, X)
    assert _shapes(variables) == {
        "params": {
            "alpha": ((), jnp.float32),
            "weight": ((6,), jnp.float32),
            "bias": ((6,), jnp.float32),
        }
    }
    w, b = jnp.linspace(0.5, 2.0, 6), jnp.linspace(-1.0, 1.0, 6)
    params = {"alpha": jnp.float32(0.7), "weight": w, "bias": b}
    np.testing.assert_array_equal(
        np.asarray(jl.DyT().apply({"params": params}, X)), np.asarray(jaxact.dyt(X, 0.7, w, b))
    )
    alpha = jnp.linspace(0.0, 2.0, 6)
    snake = jl.Snake(num_parameters=6)
    assert _shapes(snake.init(KEY, X)) == {"params": {"alpha": ((6,), jnp.float32)}}
    np.testing.assert_array_equal(
        np.asarray(snake.apply({"params": {"alpha": alpha}}, X)),
        np.asarray(jaxact.snake(X, alpha)),
    )
    star = jl.StarReLU()
    assert _shapes(star.init(KEY, X)) == {
        "params": {"scale": ((), jnp.float32), "bias": ((), jnp.float32)}
    }
    frozen = jl.StarReLU(2.0, 1.0, learnable=False)
    assert frozen.init(KEY, X) == {}
    np.testing.assert_array_equal(
        np.asarray(frozen.apply({}, X)), np.asarray(jaxact.star_relu(X, 2.0, 1.0))
    )


@pytest.mark.parametrize(
    ("ours", "nnx_layer"),
    [
        (jl.DyT(alpha_init=0.7), lambda: jf.DyT(6, alpha_init=0.7)),
        (jl.Snake(num_parameters=6, alpha_init=0.3), lambda: jf.Snake(6, alpha_init=0.3)),
        (jl.StarReLU(), lambda: jf.StarReLU()),
    ],
    ids=["dyt", "snake", "star_relu"],
)
def test_new_layers_start_from_their_nnx_forms_parameters(ours, nnx_layer):
    """The same parameter names, shapes, dtypes, initial values and outputs as jaxact.flax."""
    reference = nnx_layer()
    params = ours.init(KEY, X)["params"]
    for name, value in params.items():
        expected = getattr(reference, name)[...]
        assert value.shape == expected.shape and value.dtype == expected.dtype, name
        np.testing.assert_array_equal(np.asarray(value), np.asarray(expected))
    np.testing.assert_array_equal(
        np.asarray(ours.apply({"params": params}, X)), np.asarray(reference(X))
    )


def test_maxout_and_glu_shapes_and_values():
    maxout = jl.Maxout(features=3, num_pieces=4)
    v = maxout.init(KEY, X)
    assert _shapes(v)["params"]["linear"] == {
        "kernel": ((6, 12), jnp.float32),
        "bias": ((12,), jnp.float32),
    }
    p = v["params"]["linear"]
    expected = jaxact.maxout(X @ p["kernel"] + p["bias"], 4, axis=-1)
    np.testing.assert_allclose(np.asarray(maxout.apply(v, X)), np.asarray(expected), rtol=1e-6)

    glu = jl.GLU(hidden_features=5, variant="reglu")
    v = glu.init(KEY, X)
    assert _shapes(v)["params"] == {
        "proj_in": {"kernel": ((6, 10), jnp.float32)},
        "proj_out": {"kernel": ((5, 6), jnp.float32)},
    }
    p = v["params"]
    expected = jaxact.reglu(X @ p["proj_in"]["kernel"], axis=-1) @ p["proj_out"]["kernel"]
    np.testing.assert_allclose(np.asarray(glu.apply(v, X)), np.asarray(expected), rtol=1e-5)
    with pytest.raises(ValueError, match="variant must be one of"):
        jl.GLU(hidden_features=5, variant="tanh").init(KEY, X)


def test_rrelu_follows_linen_dropout_conventions():
    layer = jl.RReLU(deterministic=False)
    assert layer.init({"params": KEY, "dropout": KEY}, X) == {}
    key = jax.random.key(3)
    np.testing.assert_array_equal(
        np.asarray(layer.apply({}, X, rng=key)),
        np.asarray(jaxact.rrelu(X, key, training=True)),
    )
    a = layer.apply({}, X, rngs={"dropout": jax.random.key(1)})
    b = layer.apply({}, X, rngs={"dropout": jax.random.key(1)})
    c = layer.apply({}, X, rngs={"dropout": jax.random.key(2)})
    np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    assert not np.array_equal(np.asarray(a), np.asarray(c))
    slopes = np.asarray(a)[np.asarray(X) < 0] / np.asarray(X)[np.asarray(X) < 0]
    assert np.all((slopes >= 1 / 8 - 1e-7) & (slopes <= 1 / 3 + 1e-7))
    np.testing.assert_array_equal(
        np.asarray(jl.RReLU().apply({}, X, deterministic=True)), np.asarray(jaxact.rrelu(X))
    )
    with pytest.raises(ValueError, match="deterministic"):
        jl.RReLU().apply({}, X)
    with pytest.raises(ValueError, match="'lower' must not exceed 'upper'"):
        jl.RReLU(0.5, 0.2, deterministic=True).apply({}, X)


class _Model(nn.Module):
    """Every learnable Linen layer in one model, as published Linen code composes them."""

    @nn.compact
    def __call__(self, x, train: bool = False):
        x = jl.PReLU(num_parameters=6, negative_slope_init=0.25)(x)
        x = jl.Maxout(features=8, num_pieces=3)(x)
        x = jl.Swish()(x)
        x = jl.RReLU(deterministic=not train)(x)
        x = jl.GLU(hidden_features=16, variant="swiglu")(x)
        x = jl.DyT()(x)
        x = jl.Snake(num_parameters=8)(x)
        x = jl.StarReLU()(x)
        return nn.Dense(1)(x)


def test_jit_grad_and_serialisation_round_trip():
    model = _Model()
    variables = model.init(KEY, X)

    @jax.jit
    def loss(v, x, key):
        return jnp.mean(model.apply(v, x, train=True, rngs={"dropout": key}) ** 2)

    value, grads = jax.value_and_grad(loss)(variables, X, jax.random.key(9))
    assert np.isfinite(float(value))
    assert jax.tree.structure(grads) == jax.tree.structure(variables)
    assert all(np.all(np.isfinite(np.asarray(g))) for g in jax.tree.leaves(grads))
    assert float(jnp.abs(grads["params"]["PReLU_0"]["negative_slope"]).sum()) > 0
    for layer, name in (("DyT_0", "alpha"), ("Snake_0", "alpha"), ("StarReLU_0", "scale")):
        assert float(jnp.abs(grads["params"][layer][name]).sum()) > 0, layer

    restored = serialization.from_bytes(variables, serialization.to_bytes(variables))
    jax.tree.map(np.testing.assert_array_equal, restored, variables)
    np.testing.assert_array_equal(
        np.asarray(model.apply(restored, X)), np.asarray(model.apply(variables, X))
    )
    state = serialization.to_state_dict(variables)
    assert state["params"]["Swish_0"]["beta"].shape == ()
