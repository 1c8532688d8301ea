"""jaxact.equinox: every layer trains inside an Equinox model, matches the reference PReLUs, and
fails clearly on bad arguments."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from pathlib import Path

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from _models import GLU_VARIANTS, HIDDEN, assert_trained, bce, perturbed, train, two_spirals

import jaxact
from jaxact import equinox as je

H = HIDDEN


def _keys(seed: int, n: int) -> list[jax.Array]:
    return list(jax.random.split(jax.random.key(seed), n))


def _prelu_model(seed: int) -> eqx.nn.Sequential:
    k = _keys(seed, 3)
    return eqx.nn.Sequential(
        [
            eqx.nn.Linear(2, H, key=k[0]),
            je.PReLU(H),
            eqx.nn.Linear(H, H, key=k[1]),
            je.PReLU(H),
            eqx.nn.Linear(H, 1, key=k[2]),
        ]
    )


def _swish_model(seed: int) -> eqx.nn.Sequential:
    k = _keys(seed, 3)
    return eqx.nn.Sequential(
        [
            eqx.nn.Linear(2, H, key=k[0]),
            je.Swish(),
            eqx.nn.Linear(H, H, key=k[1]),
            je.Swish(),
            eqx.nn.Linear(H, 1, key=k[2]),
        ]
    )


def _maxout_model(seed: int) -> eqx.nn.Sequential:
    k = _keys(seed, 3)
    return eqx.nn.Sequential(
        [
            je.Maxout(2, H, num_pieces=3, key=k[0]),
            je.Maxout(H, H, num_pieces=3, key=k[1]),
            eqx.nn.Linear(H, 1, key=k[2]),
        ]
    )


class Residual(eqx.Module):
    """``x + block(x)``, the way a Transformer wraps its feed-forward block."""

    block: eqx.Module

    def __call__(self, x: jax.Array, *, key: jax.Array | None = None) -> jax.Array:
        return x + self.block(x)


def _glu_model(seed: int) -> eqx.nn.Sequential:
    # One block of each variant in one model: a single compilation trains all four gates.
    k = _keys(seed, 2 + len(GLU_VARIANTS))
    blocks = [
        Residual(je.GLU(H, 2 * H, variant=v, key=kv))
        for v, kv in zip(GLU_VARIANTS, k[2:], strict=True)
    ]
    return eqx.nn.Sequential(
        [eqx.nn.Linear(2, H, key=k[0]), *blocks, eqx.nn.Linear(H, 1, key=k[1])]
    )


def _modern_model(seed: int) -> eqx.nn.Sequential:
    # DyT, Snake and StarReLU in one model: a single compilation trains all three.
    k = _keys(seed, 4)
    return eqx.nn.Sequential(
        [
            eqx.nn.Linear(2, H, key=k[0]),
            je.DyT(H),
            eqx.nn.Linear(H, H, key=k[1]),
            je.Snake(H),
            eqx.nn.Linear(H, H, key=k[2]),
            je.StarReLU(),
            eqx.nn.Linear(H, 1, key=k[3]),
        ]
    )


def _activation_model(seed: int) -> eqx.nn.Sequential:
    k = _keys(seed, 3)
    return eqx.nn.Sequential(
        [
            eqx.nn.Linear(2, H, key=k[0]),
            je.Activation("leaky_relu", negative_slope=0.1),
            eqx.nn.Linear(H, H, key=k[1]),
            je.Activation(jaxact.tanh),
            eqx.nn.Linear(H, 1, key=k[2]),
        ]
    )


Builder = Callable[[int], eqx.nn.Sequential]
Watched = Callable[[eqx.nn.Sequential], tuple[jax.Array, ...]]

# (builder, the learnable parameters to watch). Activation has none of its own: the first
# weight's gradient flows through both activations.
CASES: dict[str, tuple[Builder, Watched]] = {
    "PReLU": (_prelu_model, lambda m: (m.layers[1].alpha, m.layers[3].alpha)),
    "Swish": (_swish_model, lambda m: (m.layers[1].beta, m.layers[3].beta)),
    "Maxout": (_maxout_model, lambda m: (m.layers[0].linear.weight,)),
    "GLU": (_glu_model, lambda m: tuple(r.block.proj_in.weight for r in m.layers[1:-1])),
    "Activation": (_activation_model, lambda m: (m.layers[0].weight,)),
    "DyT+Snake+StarReLU": (
        _modern_model,
        lambda m: (m.layers[1].alpha, m.layers[3].alpha, m.layers[5].scale),
    ),
}


@eqx.filter_jit
def _forward(model: eqx.Module, x: jax.Array) -> jax.Array:
    # Equinox layers act on one example; the batch is a vmap.
    return jax.vmap(model)(x)


@pytest.fixture(scope="module")
def spirals() -> tuple[jax.Array, jax.Array]:
    return two_spirals()


@pytest.mark.parametrize("case", list(CASES))
def test_layer_trains_in_an_equinox_model(case: str, spirals: tuple[jax.Array, jax.Array]) -> None:
    build, watched = CASES[case]
    x, y = spirals
    model = build(0)
    params, static = eqx.partition(model, eqx.is_inexact_array)

    def loss(params: eqx.Module) -> jax.Array:
        return bce(jax.vmap(eqx.combine(params, static))(x), y)

    params, losses, norms = train(loss, params, watched)
    trained = eqx.combine(params, static)
    assert_trained(losses, norms, watched(model), watched(trained))


@pytest.mark.parametrize("case", list(CASES))
def test_jit_equals_eager(case: str, spirals: tuple[jax.Array, jax.Array]) -> None:
    model = CASES[case][0](1)
    x = spirals[0]
    np.testing.assert_allclose(
        np.asarray(_forward(model, x)), np.asarray(jax.vmap(model)(x)), rtol=1e-6, atol=1e-6
    )


@pytest.mark.parametrize("case", list(CASES))
def test_serialisation_round_trips(
    case: str, spirals: tuple[jax.Array, jax.Array], tmp_path: Path
) -> None:
    build = CASES[case][0]
    params, static = eqx.partition(build(2), eqx.is_inexact_array)
    # Move every parameter off its initial value, so that a restore that did nothing would fail.
    model = eqx.combine(perturbed(params, seed=3), static)
    path = tmp_path / "model.eqx"
    eqx.tree_serialise_leaves(path, model)

    like = build(4)
    x = spirals[0]
    assert not np.allclose(_forward(like, x), _forward(model, x))
    restored = eqx.tree_deserialise_leaves(path, like)
    np.testing.assert_array_equal(np.asarray(_forward(restored, x)), np.asarray(_forward(model, x)))
    for a, b in zip(jax.tree.leaves(restored), jax.tree.leaves(model), strict=True):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


# -- PReLU semantics -------------------------------------------------------------------------


def _normal(shape: tuple[int, ...], seed: int) -> jax.Array:
    return jnp.asarray(np.random.default_rng(seed).standard_normal(shape), jnp.float32)


def _with_alpha(layer: je.PReLU, alpha: np.ndarray) -> je.PReLU:
    return eqx.tree_at(lambda m: m.alpha, layer, jnp.asarray(alpha))


def test_prelu_matches_equinox_prelu() -> None:
    x = _normal((5, 7, 4), seed=0)
    alpha = np.linspace(-0.5, 1.5, 4).astype(np.float32)
    layer = _with_alpha(je.PReLU(4), alpha)
    reference = eqx.nn.PReLU(init_alpha=jnp.asarray(alpha))

    @eqx.filter_jit
    def both(layer: je.PReLU, reference: eqx.nn.PReLU, x: jax.Array) -> tuple[jax.Array, ...]:
        ours, d_ours = eqx.filter_value_and_grad(lambda m: m(x).sum())(layer)
        theirs, d_theirs = eqx.filter_value_and_grad(lambda m: m(x).sum())(reference)
        return layer(x), reference(x), d_ours.alpha, d_theirs.negative_slope

    out, expected, grad, expected_grad = both(layer, reference, x)
    np.testing.assert_array_equal(np.asarray(out), np.asarray(expected))
    np.testing.assert_allclose(np.asarray(grad), np.asarray(expected_grad), rtol=1e-6)


def test_prelu_default_is_one_shared_slope_of_a_quarter_like_equinox() -> None:
    layer = je.PReLU()
    assert layer.alpha.shape == eqx.nn.PReLU().negative_slope.shape == ()
    assert float(layer.alpha) == 0.25
    x = jnp.array([-4.0, 2.0, -1.0])
    np.testing.assert_array_equal(np.asarray(layer(x)), [-1.0, 2.0, -0.25])
    np.testing.assert_array_equal(np.asarray(layer(x)), np.asarray(eqx.nn.PReLU()(x)))


def test_prelu_in_an_mlp_has_equinox_parameter_shapes() -> None:
    """eqx.nn.MLP makes one activation per hidden neuron by stacking the layer's arrays (a new
    leading axis per layer and per neuron): a shared slope stored as (1,) became (2, 8, 1)
    where eqx.nn.PReLU's scalar becomes (2, 8)."""
    key = jax.random.key(0)
    ours = eqx.nn.MLP(3, 2, 8, 2, activation=je.PReLU(), key=key)
    theirs = eqx.nn.MLP(3, 2, 8, 2, activation=eqx.nn.PReLU(), key=key)
    assert ours.activation.alpha.shape == theirs.activation.negative_slope.shape == (2, 8)
    x = jnp.array([0.3, -2.0, 1.5])
    np.testing.assert_array_equal(np.asarray(ours(x)), np.asarray(theirs(x)))
    grads = eqx.filter_grad(lambda m: m(x).sum())(ours)
    expected = eqx.filter_grad(lambda m: m(x).sum())(theirs)
    np.testing.assert_allclose(
        np.asarray(grads.activation.alpha), np.asarray(expected.activation.negative_slope)
    )


def test_prelu_channel_axis_zero_for_channels_first() -> None:
    layer = _with_alpha(je.PReLU(3, channel_axis=0), np.array([1.0, 2.0, 3.0], np.float32))
    out = np.asarray(layer(-jnp.ones((3, 4, 4))))
    np.testing.assert_array_equal(out[:, 0, 0], [-1.0, -2.0, -3.0])


def test_prelu_matches_torch_prelu() -> None:
    torch = pytest.importorskip("torch")
    alpha = np.linspace(-0.5, 1.5, 3).astype(np.float32)
    x = np.random.default_rng(0).standard_normal((4, 3, 6)).astype(np.float32)
    reference = torch.nn.PReLU(num_parameters=3)
    with torch.no_grad():
        reference.weight.copy_(torch.from_numpy(alpha))
    expected = reference(torch.from_numpy(x))
    expected.sum().backward()

    layer = _with_alpha(je.PReLU(3, channel_axis=1), alpha)  # PyTorch's layout is (N, C, ...)
    np.testing.assert_allclose(np.asarray(layer(x)), expected.detach().numpy(), rtol=1e-6)
    grads = eqx.filter_grad(lambda m: m(jnp.asarray(x)).sum())(layer)
    np.testing.assert_allclose(np.asarray(grads.alpha), reference.weight.grad.numpy(), rtol=1e-5)


# -- dtypes, Swish and Activation ------------------------------------------------------------


def test_dtype_sets_the_parameter_dtype() -> None:
    key = jax.random.key(0)
    builders: list[Callable[[], eqx.Module]] = [
        lambda: je.PReLU(4, dtype=jnp.bfloat16),
        lambda: je.Swish(dtype=jnp.bfloat16),
        lambda: je.Maxout(4, 3, 2, dtype=jnp.bfloat16, key=key),
        lambda: je.GLU(4, 8, dtype=jnp.bfloat16, key=key),
    ]
    for build in builders:
        # eqx.filter_eval_shape builds abstractly: dtypes and shapes, no initialiser is run.
        leaves = jax.tree.leaves(eqx.filter_eval_shape(build))
        dtypes = {leaf.dtype for leaf in leaves if isinstance(leaf, jax.ShapeDtypeStruct)}
        assert dtypes == {jnp.dtype(jnp.bfloat16)}
        out = jax.eval_shape(lambda x, build=build: build()(x), jnp.ones(4, jnp.bfloat16))
        assert out.dtype == jnp.bfloat16
    assert je.PReLU().alpha.dtype == jnp.float32  # the default, as equinox.nn
    # PReLU and Swish compute in the input's dtype whatever the parameter's.
    assert jax.eval_shape(je.PReLU(4).__call__, jnp.ones(4, jnp.bfloat16)).dtype == jnp.bfloat16


def test_frozen_swish_is_not_a_parameter_and_equals_silu_with_beta() -> None:
    layer = je.Swish(beta_init=1.7, learnable=False)
    assert jax.tree.leaves(eqx.filter(layer, eqx.is_inexact_array)) == []
    x = jnp.linspace(-4.0, 4.0, 9)
    np.testing.assert_array_equal(np.asarray(layer(x)), np.asarray(jaxact.silu(x, beta=1.7)))
    learnt = je.Swish(beta_init=1.7)
    np.testing.assert_array_equal(np.asarray(learnt(x)), np.asarray(layer(x)))


def test_glu_uses_the_jaxact_gate() -> None:
    block = je.GLU(3, 5, variant="geglu", key=jax.random.key(0))
    x = _normal((3,), seed=1)
    got, expected = eqx.filter_jit(
        lambda b, x: (b(x), b.proj_out(jaxact.geglu(b.proj_in(x), axis=-1)))
    )(block, x)
    np.testing.assert_array_equal(np.asarray(got), np.asarray(expected))
    assert block.proj_in.bias is None  # no biases, as in Shazeer (2020)


def test_maxout_is_the_max_over_pieces_of_its_affine_maps() -> None:
    layer = je.Maxout(3, 4, num_pieces=2, key=jax.random.key(0))
    x = _normal((3,), seed=1)
    out = np.asarray(layer(x))
    pieces = np.asarray(layer.linear(x))
    assert out.shape == (4,) and np.all(np.isin(out, pieces))
    np.testing.assert_array_equal(out, np.asarray(jaxact.maxout(pieces, 2, axis=-1)))
    single = je.Maxout(3, 4, num_pieces=1, key=jax.random.key(0))
    np.testing.assert_allclose(np.asarray(single(x)), np.asarray(single.linear(x)))


def test_activation_in_sequential_with_a_key() -> None:
    model = eqx.nn.Sequential([je.Activation("hard_swish"), je.Activation(jaxact.elu, alpha=0.5)])
    x = jnp.linspace(-3.0, 3.0, 7)
    np.testing.assert_array_equal(
        np.asarray(model(x, key=jax.random.key(0))),
        np.asarray(jaxact.elu(jaxact.hard_silu(x), alpha=0.5)),
    )
    assert jax.tree.leaves(eqx.filter(model, eqx.is_array)) == []


# -- errors ----------------------------------------------------------------------------------


def test_prelu_channel_mismatch_names_num_parameters() -> None:
    with pytest.raises(ValueError, match=r"num_parameters=3 .* size 4 of channel_axis=-1"):
        je.PReLU(3)(jnp.ones((2, 4)))
    with pytest.raises(ValueError, match="num_parameters must be >= 1"):
        je.PReLU(0)


def test_maxout_rejects_fewer_than_one_piece() -> None:
    with pytest.raises(ValueError, match="num_pieces must be >= 1, got 0"):
        je.Maxout(2, 3, num_pieces=0, key=jax.random.key(0))


def test_glu_rejects_unknown_variant_listing_the_allowed() -> None:
    with pytest.raises(
        ValueError, match="variant must be one of 'swiglu', 'geglu', 'reglu', 'glu'"
    ):
        je.GLU(2, 4, variant="SwiGLU", key=jax.random.key(0))


def test_activation_takes_the_function_keywords() -> None:
    # `axis` and `approximate` are keywords of the functions, not registry parameters.
    x = jnp.arange(8.0).reshape(2, 4) - 4.0
    np.testing.assert_array_equal(
        np.asarray(je.Activation("softmax", axis=0)(x)), np.asarray(jaxact.softmax(x, axis=0))
    )
    np.testing.assert_array_equal(
        np.asarray(je.Activation("geglu", approximate=False)(x)),
        np.asarray(jaxact.geglu(x, approximate=False)),
    )


def test_activation_rejects_unknown_names_and_parameters() -> None:
    with pytest.raises(ValueError, match="Unknown activation name 'leaky_rellu'.*'leaky_relu'"):
        je.Activation("leaky_rellu")
    with pytest.raises(TypeError, match="'relu' got unexpected parameter\\(s\\) 'alpha'"):
        je.Activation("relu", alpha=0.1)
    with pytest.raises(TypeError, match="parameter 'alpha' of 'prelu' must be a Python value"):
        je.Activation("prelu", alpha=np.full(3, 0.2))


def test_import_without_equinox_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "equinox", None)  # makes `import equinox` raise ImportError
    monkeypatch.delitem(sys.modules, "jaxact.equinox")
    with pytest.raises(ImportError, match=r'pip install "jaxact\[equinox\]"'):
        importlib.import_module("jaxact.equinox")


# -- DyT, Snake, StarReLU ----------------------------------------------------------------------


def test_dyt_holds_a_scalar_alpha_and_per_channel_weight_and_bias() -> None:
    layer = je.DyT(3, alpha_init=0.7, channel_axis=0)
    assert layer.alpha.shape == () and layer.weight.shape == layer.bias.shape == (3,)
    layer = eqx.tree_at(lambda m: (m.weight, m.bias), layer, (jnp.array([1.0, 2, 3]), jnp.ones(3)))
    x = _normal((3, 4), 0)
    expected = jaxact.dyt(x, 0.7, jnp.array([[1.0], [2.0], [3.0]]), 1.0)
    np.testing.assert_array_equal(np.asarray(layer(x)), np.asarray(expected))


def test_snake_alpha_zero_is_the_identity_and_trains_through_zero() -> None:
    layer = eqx.tree_at(lambda m: m.alpha, je.Snake(1), jnp.zeros(1))
    x = _normal((5,), 1)
    np.testing.assert_array_equal(np.asarray(layer(x)), np.asarray(x))
    # d/dalpha of sum(f) at alpha = 0 is sum(x^2), the limit: finite, so training can cross 0.
    grad = jax.grad(lambda m: jnp.sum(m(x)))(layer)
    np.testing.assert_allclose(np.asarray(grad.alpha), [float(jnp.sum(x * x))], rtol=1e-6)


def test_star_relu_frozen_is_not_a_parameter() -> None:
    frozen = je.StarReLU(2.0, 1.0, learnable=False)
    assert not jax.tree.leaves(eqx.filter(frozen, eqx.is_inexact_array))
    np.testing.assert_array_equal(np.asarray(frozen(jnp.array([-1.0, 3.0]))), [1.0, 19.0])
