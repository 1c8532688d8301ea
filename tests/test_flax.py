"""jaxact.flax: every layer trains inside an NNX model, matches the reference PReLUs, and fails
clearly on bad arguments."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from _models import GLU_VARIANTS, HIDDEN, assert_trained, bce, perturbed, train, two_spirals
from flax import nnx

import jaxact
from jaxact import flax as jf

H = HIDDEN


def _prelu_model(rngs: nnx.Rngs) -> nnx.Sequential:
    return nnx.Sequential(
        nnx.Linear(2, H, rngs=rngs),
        jf.PReLU(H),
        nnx.Linear(H, H, rngs=rngs),
        jf.PReLU(H),
        nnx.Linear(H, 1, rngs=rngs),
    )


def _swish_model(rngs: nnx.Rngs) -> nnx.Sequential:
    return nnx.Sequential(
        nnx.Linear(2, H, rngs=rngs),
        jf.Swish(),
        nnx.Linear(H, H, rngs=rngs),
        jf.Swish(),
        nnx.Linear(H, 1, rngs=rngs),
    )


def _maxout_model(rngs: nnx.Rngs) -> nnx.Sequential:
    return nnx.Sequential(
        jf.Maxout(2, H, num_pieces=3, rngs=rngs),
        jf.Maxout(H, H, num_pieces=3, rngs=rngs),
        nnx.Linear(H, 1, rngs=rngs),
    )


class Residual(nnx.Module):
    """``x + block(x)``, the way a Transformer wraps its feed-forward block."""

    def __init__(self, block: nnx.Module) -> None:
        self.block = block

    def __call__(self, x: jax.Array) -> jax.Array:
        return x + self.block(x)


def _glu_model(rngs: nnx.Rngs) -> nnx.Sequential:
    # One block of each variant in one model: a single compilation trains all four gates.
    return nnx.Sequential(
        nnx.Linear(2, H, rngs=rngs),
        *(Residual(jf.GLU(H, 2 * H, variant=v, rngs=rngs)) for v in GLU_VARIANTS),
        nnx.Linear(H, 1, rngs=rngs),
    )


def _modern_model(rngs: nnx.Rngs) -> nnx.Sequential:
    # DyT, Snake and StarReLU in one model: a single compilation trains all three.
    return nnx.Sequential(
        nnx.Linear(2, H, rngs=rngs),
        jf.DyT(H),
        nnx.Linear(H, H, rngs=rngs),
        jf.Snake(H),
        nnx.Linear(H, H, rngs=rngs),
        jf.StarReLU(),
        nnx.Linear(H, 1, rngs=rngs),
    )


def _activation_model(rngs: nnx.Rngs) -> nnx.Sequential:
    return nnx.Sequential(
        nnx.Linear(2, H, rngs=rngs),
        jf.Activation("leaky_relu", negative_slope=0.1),
        nnx.Linear(H, H, rngs=rngs),
        jf.Activation(jaxact.tanh),
        nnx.Linear(H, 1, rngs=rngs),
    )


Builder = Callable[[nnx.Rngs], nnx.Sequential]
Watched = Callable[[nnx.Sequential], tuple[jax.Array, ...]]

# (builder, the learnable parameters to watch). Activation has none of its own: the first
# kernel's gradient flows through both activations.
CASES: dict[str, tuple[Builder, Watched]] = {
    "PReLU": (_prelu_model, lambda m: (m.layers[1].alpha[...], m.layers[3].alpha[...])),
    "Swish": (_swish_model, lambda m: (m.layers[1].beta[...], m.layers[3].beta[...])),
    "Maxout": (_maxout_model, lambda m: (m.layers[0].linear.kernel[...],)),
    "GLU": (_glu_model, lambda m: tuple(r.block.proj_in.kernel[...] for r in m.layers[1:-1])),
    "Activation": (_activation_model, lambda m: (m.layers[0].kernel[...],)),
    "DyT+Snake+StarReLU": (
        _modern_model,
        lambda m: (m.layers[1].alpha[...], m.layers[3].alpha[...], m.layers[5].scale[...]),
    ),
}

# One jitted forward pass shared by the tests: models from the same builder share a graphdef,
# so each architecture compiles once.
_forward = nnx.jit(lambda model, x: model(x))


@pytest.fixture(scope="module")
def spirals() -> tuple[jax.Array, jax.Array]:
    return two_spirals()


@pytest.mark.parametrize("case", list(CASES))
def test_layer_trains_in_an_nnx_model(case: str, spirals: tuple[jax.Array, jax.Array]) -> None:
    build, watched = CASES[case]
    x, y = spirals
    model = build(nnx.Rngs(0))
    graphdef, params, rest = nnx.split(model, nnx.Param, ...)
    before = watched(model)

    def loss(params: nnx.State) -> jax.Array:
        return bce(nnx.merge(graphdef, params, rest)(x), y)

    def watched_leaves(params: nnx.State) -> tuple[jax.Array, ...]:
        return watched(nnx.merge(graphdef, params, rest))

    params, losses, norms = train(loss, params, watched_leaves)
    nnx.update(model, params)
    assert_trained(losses, norms, before, watched(model))


@pytest.mark.parametrize("case", list(CASES))
def test_jit_equals_eager(case: str, spirals: tuple[jax.Array, jax.Array]) -> None:
    model = CASES[case][0](nnx.Rngs(1))
    x = spirals[0]
    np.testing.assert_allclose(
        np.asarray(_forward(model, x)), np.asarray(model(x)), rtol=1e-6, atol=1e-6
    )


@pytest.mark.parametrize("case", list(CASES))
def test_state_round_trips(case: str, spirals: tuple[jax.Array, jax.Array]) -> None:
    build = CASES[case][0]
    model = build(nnx.Rngs(2))
    # Move every parameter off its initial value, so that a restore that did nothing would fail.
    nnx.update(model, perturbed(nnx.state(model, nnx.Param), seed=3))
    saved = jax.tree.map(np.asarray, nnx.state(model))  # what a checkpoint holds

    restored = build(nnx.Rngs(4))
    x = spirals[0]
    assert not np.allclose(_forward(restored, x), _forward(model, x))
    nnx.update(restored, saved)
    np.testing.assert_array_equal(np.asarray(_forward(restored, x)), np.asarray(_forward(model, x)))
    for a, b in zip(jax.tree.leaves(nnx.state(restored)), jax.tree.leaves(saved), strict=True):
        np.testing.assert_array_equal(np.asarray(a), b)


# -- PReLU semantics -------------------------------------------------------------------------


def _normal(shape: tuple[int, ...], seed: int) -> jax.Array:
    return jnp.asarray(np.random.default_rng(seed).standard_normal(shape), jnp.float32)


def _slopes(c: int) -> np.ndarray:
    return np.linspace(-0.5, 1.5, c).astype(np.float32)


def test_prelu_matches_equinox_prelu() -> None:
    x = _normal((5, 7, 4), seed=0)
    alpha = _slopes(4)
    layer = jf.PReLU(4)
    layer.alpha[...] = jnp.asarray(alpha)
    reference = eqx.nn.PReLU(init_alpha=jnp.asarray(alpha))
    np.testing.assert_array_equal(np.asarray(layer(x)), np.asarray(reference(x)))

    ours = jax.grad(lambda a, x: jaxact.prelu(x, a).sum())  # the function the layer calls
    theirs = jax.grad(lambda m, x: m(x).sum())(reference, x).negative_slope
    grad_layer = nnx.grad(lambda m, x: m(x).sum())(layer, x)["alpha"][...]
    np.testing.assert_allclose(np.asarray(grad_layer), np.asarray(theirs), rtol=1e-6)
    np.testing.assert_allclose(
        np.asarray(ours(jnp.asarray(alpha).reshape(1, 1, 4), x).reshape(4)), theirs, rtol=1e-6
    )


def test_prelu_single_slope_is_shared_and_default_is_a_quarter() -> None:
    layer = jf.PReLU()
    assert layer.alpha.shape == () and float(layer.alpha[...]) == 0.25
    x = jnp.array([[-4.0, 2.0, -1.0]])
    np.testing.assert_array_equal(np.asarray(layer(x)), [[-1.0, 2.0, -0.25]])
    np.testing.assert_array_equal(
        np.asarray(layer(x)), np.asarray(eqx.nn.PReLU()(x))
    )  # Equinox's default slope is the same
    assert layer(jnp.float32(-2.0)).shape == ()


@pytest.mark.parametrize("param_dtype", [jnp.float32, jnp.bfloat16])
def test_prelu_shared_slope_is_stored_as_nnx_prelu_stores_it(param_dtype: jnp.dtype) -> None:
    """One shared slope: a scalar nnx.Param in param_dtype, as flax.nnx.PReLU's (a (1,) slope
    gave checkpoints and nnx.vmap-stacked layers an extra axis). The initial value differs on
    purpose (0.25, PyTorch's); with Flax's 0.01 outputs and slope gradients are nnx.PReLU's."""
    ours = jf.PReLU(init=0.01, param_dtype=param_dtype)
    theirs = nnx.PReLU(param_dtype=param_dtype)
    assert type(ours.alpha) is type(theirs.negative_slope) is nnx.Param
    assert ours.alpha.shape == theirs.negative_slope.shape == ()
    assert ours.alpha.dtype == theirs.negative_slope.dtype == jnp.dtype(param_dtype)
    assert ours.alpha[...] == theirs.negative_slope[...]
    x = _normal((3, 5), seed=1)
    for xin in (x, x.astype(jnp.bfloat16)):
        out, ref = ours(xin), theirs(xin)
        assert out.dtype == ref.dtype == xin.dtype
        np.testing.assert_array_equal(np.asarray(out), np.asarray(ref))
    grad = nnx.grad(lambda m: m(x).sum())(ours)["alpha"][...]
    expected = nnx.grad(lambda m: m(x).sum())(theirs)["negative_slope"][...]
    assert grad.shape == expected.shape == ()
    np.testing.assert_allclose(np.asarray(grad), np.asarray(expected), rtol=1e-6)


def test_prelu_shared_slope_stacks_like_nnx_prelu() -> None:
    """Layers built under nnx.vmap gain one leading axis: (4,) as nnx.PReLU's, not (4, 1)."""

    @nnx.vmap(in_axes=0, out_axes=0)
    def build(init: jax.Array) -> nnx.Module:
        return jf.PReLU()

    @nnx.vmap(in_axes=0, out_axes=0)
    def build_flax(init: jax.Array) -> nnx.Module:
        return nnx.PReLU()

    inits = jnp.zeros(4)
    assert build(inits).alpha.shape == build_flax(inits).negative_slope.shape == (4,)


def test_prelu_channel_axis_selects_the_axis() -> None:
    x = -jnp.ones((2, 3, 5))
    layer = jf.PReLU(3, channel_axis=1)
    layer.alpha[...] = jnp.array([1.0, 2.0, 3.0])
    out = np.asarray(layer(x))
    np.testing.assert_array_equal(out[:, :, 0], -np.array([[1.0, 2.0, 3.0]] * 2))


def test_prelu_matches_torch_prelu() -> None:
    torch = pytest.importorskip("torch")
    alpha = _slopes(3)
    x = np.random.default_rng(0).standard_normal((4, 3, 6)).astype(np.float32)
    reference = torch.nn.PReLU(num_parameters=3)
    with torch.no_grad():
        reference.weight.copy_(torch.from_numpy(alpha))
    tx = torch.from_numpy(x).requires_grad_(True)
    expected = reference(tx)
    expected.sum().backward()

    layer = jf.PReLU(3, channel_axis=1)  # PyTorch's layout is (N, C, ...)
    layer.alpha[...] = jnp.asarray(alpha)
    np.testing.assert_allclose(np.asarray(layer(x)), expected.detach().numpy(), rtol=1e-6)
    grads = nnx.grad(lambda m: m(jnp.asarray(x)).sum())(layer)
    np.testing.assert_allclose(
        np.asarray(grads["alpha"][...]), reference.weight.grad.numpy(), rtol=1e-5
    )


# -- dtypes, Swish and Activation ------------------------------------------------------------


def _half_precision_layers(**dtypes: object) -> list[Callable[[], nnx.Module]]:
    return [
        lambda: jf.PReLU(4, **dtypes),
        lambda: jf.Swish(**dtypes),
        lambda: jf.Maxout(4, 3, 2, **dtypes, rngs=nnx.Rngs(0)),
        lambda: jf.GLU(4, 8, **dtypes, rngs=nnx.Rngs(0)),
    ]


def _param_dtypes(build: Callable[[], nnx.Module]) -> set[jnp.dtype]:
    # nnx.eval_shape builds the layer abstractly: dtypes and shapes, no initialiser is run.
    return {p.dtype for p in jax.tree.leaves(nnx.state(nnx.eval_shape(build), nnx.Param))}


def test_bfloat16_computation_with_float32_parameters() -> None:
    x = jnp.ones((2, 4), jnp.float32)
    for build in _half_precision_layers(dtype=jnp.bfloat16):
        assert jax.eval_shape(lambda x, build=build: build()(x), x).dtype == jnp.bfloat16
        assert _param_dtypes(build) == {jnp.dtype(jnp.float32)}


def test_param_dtype_sets_the_stored_dtype() -> None:
    for build in _half_precision_layers(param_dtype=jnp.bfloat16):
        assert _param_dtypes(build) == {jnp.dtype(jnp.bfloat16)}
    # Without dtype, PReLU computes in the input's dtype, like nnx.PReLU.
    assert jax.eval_shape(jf.PReLU(4).__call__, jnp.ones(4, jnp.bfloat16)).dtype == jnp.bfloat16


def test_frozen_swish_has_no_param_and_equals_silu_with_beta() -> None:
    layer = jf.Swish(beta_init=1.7, learnable=False)
    assert jax.tree.leaves(nnx.state(layer, nnx.Param)) == []
    x = jnp.linspace(-4.0, 4.0, 9)
    np.testing.assert_array_equal(np.asarray(layer(x)), np.asarray(jaxact.silu(x, beta=1.7)))
    learnt = jf.Swish(beta_init=1.7)
    np.testing.assert_array_equal(np.asarray(learnt(x)), np.asarray(layer(x)))


def test_glu_uses_the_jaxact_gate() -> None:
    block = jf.GLU(3, 5, variant="reglu", rngs=nnx.Rngs(0))
    x = _normal((4, 3), seed=1)
    got, expected = nnx.jit(lambda b, x: (b(x), b.proj_out(jaxact.reglu(b.proj_in(x), axis=-1))))(
        block, x
    )
    np.testing.assert_array_equal(np.asarray(got), np.asarray(expected))
    assert block.proj_in.bias is None  # no biases, as in Shazeer (2020)


def test_maxout_with_one_piece_is_linear() -> None:
    layer = jf.Maxout(3, 4, num_pieces=1, rngs=nnx.Rngs(0))
    x = _normal((5, 3), seed=1)
    np.testing.assert_allclose(np.asarray(layer(x)), np.asarray(layer.linear(x)))


def test_maxout_is_the_max_over_pieces_of_its_affine_maps() -> None:
    layer = jf.Maxout(3, 4, num_pieces=2, rngs=nnx.Rngs(0))
    x = _normal((5, 3), seed=1)
    out = np.asarray(layer(x))
    pieces = np.asarray(layer.linear(x))
    # Each output is one of the affine maps, and no output is below the smallest of them all.
    assert np.all(np.isin(out, pieces))
    assert np.all(out >= pieces.min(axis=-1, keepdims=True))
    np.testing.assert_array_equal(out, np.asarray(jaxact.maxout(pieces, 2, axis=-1)))


def test_activation_accepts_names_aliases_and_functions() -> None:
    x = jnp.linspace(-3.0, 3.0, 7)
    np.testing.assert_array_equal(
        np.asarray(jf.Activation("hard_swish")(x)), np.asarray(jaxact.hard_silu(x))
    )
    np.testing.assert_array_equal(
        np.asarray(jf.Activation(jaxact.elu, alpha=0.5)(x)), np.asarray(jaxact.elu(x, alpha=0.5))
    )
    assert jax.tree.leaves(nnx.state(jf.Activation("relu"))) == []


# -- errors ----------------------------------------------------------------------------------


def test_prelu_channel_mismatch_names_num_parameters() -> None:
    with pytest.raises(ValueError, match=r"num_parameters=3 .* size 4 of channel_axis=-1"):
        jf.PReLU(3)(jnp.ones((2, 4)))
    with pytest.raises(ValueError, match="channel_axis=2 is out of range"):
        jf.PReLU(3, channel_axis=2)(jnp.ones((2, 3)))
    with pytest.raises(ValueError, match="num_parameters must be >= 1"):
        jf.PReLU(0)


def test_maxout_rejects_fewer_than_one_piece() -> None:
    with pytest.raises(ValueError, match="num_pieces must be >= 1, got 0"):
        jf.Maxout(2, 3, num_pieces=0, rngs=nnx.Rngs(0))
    with pytest.raises(TypeError, match="num_pieces must be a positive int"):
        jf.Maxout(2, 3, num_pieces=2.5, rngs=nnx.Rngs(0))


def test_glu_rejects_unknown_variant_listing_the_allowed() -> None:
    with pytest.raises(
        ValueError, match="variant must be one of 'swiglu', 'geglu', 'reglu', 'glu'"
    ):
        jf.GLU(2, 4, variant="swish", rngs=nnx.Rngs(0))


def test_activation_takes_the_function_keywords() -> None:
    # `axis` and `approximate` are keywords of the functions, not registry parameters.
    x = jnp.arange(8.0).reshape(2, 4) - 4.0
    np.testing.assert_array_equal(
        np.asarray(jf.Activation("softmax", axis=0)(x)), np.asarray(jaxact.softmax(x, axis=0))
    )
    np.testing.assert_array_equal(
        np.asarray(jf.Activation("geglu", approximate=False)(x)),
        np.asarray(jaxact.geglu(x, approximate=False)),
    )


def test_activation_rejects_unknown_names_and_parameters() -> None:
    with pytest.raises(ValueError, match="Did you mean 'relu'"):
        jf.Activation("reluu")
    # (relu takes negative_slope now, Keras's option: alpha is leaky_relu's name, not relu's)
    with pytest.raises(TypeError, match="'relu' got unexpected parameter\\(s\\) 'alpha'"):
        jf.Activation("relu", alpha=0.1)
    with pytest.raises(TypeError, match="parameter 'alpha' of 'prelu' must be a Python value"):
        jf.Activation("prelu", alpha=np.full(3, 0.2))


def test_import_without_flax_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "flax", None)  # makes `import flax` raise ImportError
    monkeypatch.delitem(sys.modules, "jaxact.flax")
    with pytest.raises(ImportError, match=r'pip install "jaxact\[flax\]"'):
        importlib.import_module("jaxact.flax")


# -- DyT, Snake, StarReLU ----------------------------------------------------------------------


def test_dyt_holds_a_scalar_alpha_and_per_channel_weight_and_bias() -> None:
    layer = jf.DyT(3, alpha_init=0.7, channel_axis=0)
    assert layer.alpha[...].shape == () and float(layer.alpha[...]) == pytest.approx(0.7)
    layer.weight[...] = jnp.array([1.0, 2.0, 3.0])
    layer.bias[...] = jnp.array([0.0, -1.0, 1.0])
    x = _normal((3, 4), 0)
    expected = jaxact.dyt(x, 0.7, jnp.array([[1.0], [2.0], [3.0]]), jnp.array([[0.0], [-1], [1]]))
    np.testing.assert_array_equal(np.asarray(layer(x)), np.asarray(expected))
    with pytest.raises(ValueError, match="num_features=3"):
        layer(_normal((4, 3), 0))


def test_snake_per_channel_alpha_follows_the_channel_axis() -> None:
    layer = jf.Snake(2, channel_axis=1)
    layer.alpha[...] = jnp.array([0.5, 0.0])
    x = _normal((4, 2, 5), 1)
    got = np.asarray(layer(x))
    np.testing.assert_array_equal(got[:, 0], np.asarray(jaxact.snake(x[:, 0], 0.5)))
    np.testing.assert_array_equal(got[:, 1], np.asarray(x[:, 1]))  # alpha = 0: the identity


def test_star_relu_defaults_are_the_papers_and_frozen_has_no_param() -> None:
    layer = jf.StarReLU()
    assert float(layer.scale[...]) == pytest.approx(0.8944, abs=1e-4)
    assert float(layer.bias[...]) == pytest.approx(-0.4472, abs=1e-4)
    frozen = jf.StarReLU(2.0, 1.0, learnable=False)
    assert not jax.tree.leaves(nnx.state(frozen, nnx.Param))
    np.testing.assert_array_equal(np.asarray(frozen(jnp.array([-1.0, 3.0]))), [1.0, 19.0])


def test_siren_init_bounds_are_the_papers() -> None:
    key = jax.random.key(0)
    first = jf.siren_init(first_layer=True)(key, (4, 2000))
    hidden = jf.siren_init(30.0)(key, (96, 2000))
    # U(-1/n, 1/n) and U(-sqrt(6/n)/30, sqrt(6/n)/30): the extremes come within 1 % of them.
    for w, bound in ((first, 1 / 4), (hidden, (6 / 96) ** 0.5 / 30)):
        top = float(jnp.abs(w).max())
        assert bound * 0.99 < top <= bound
    # A SIREN's hidden pre-activations omega_0 W x, x ~ arcsine on [-1, 1]: standard deviation
    # 1 (the paper's Lemma 1.6 gives N(0, 1) in the limit of a wide layer).
    x = jnp.sin(jax.random.uniform(jax.random.key(1), (512, 96), minval=-jnp.pi, maxval=jnp.pi))
    z = 30.0 * x @ hidden
    assert abs(float(jnp.std(z)) - 1.0) < 0.05
    with pytest.raises(ValueError, match="omega_0"):
        jf.siren_init(0.0)
