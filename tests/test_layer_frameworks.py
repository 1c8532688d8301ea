"""The NNX, Linen and Equinox forms of each layer are one layer.

For every layer in ``LAYERS``: the three frameworks create parameters of the same names (up to
Linen's ``negative_slope``), shapes and initial values, and given the same parameter values
they compute the same outputs, in the same dtype, for float32, bfloat16 and integer input.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from flax import nnx

from jaxact import equinox as je
from jaxact import flax as jf
from jaxact.flax import linen as jl

FRAMEWORKS = ("nnx", "linen", "equinox")


@dataclasses.dataclass(frozen=True)
class Case:
    """One layer: its constructor arguments in each framework and where its parameters live.

    ``params`` maps a parameter to its path in each framework (NNX attribute path, Linen
    ``params`` path, Equinox field path); Equinox's ``Linear`` stores the transpose of Flax's
    kernel, so those paths end in ``weight.T``. ``call`` gives each framework's call arguments.
    """

    id: str
    layer: str
    nnx: dict[str, Any]
    linen: dict[str, Any]
    equinox: dict[str, Any]
    params: dict[str, tuple[str, str, str]]
    shape: tuple[int, ...] = (4,)
    call: tuple[dict[str, Any], dict[str, Any], dict[str, Any]] = ({}, {}, {})


def _same(*path: str) -> tuple[str, str, str]:
    return (path[0], path[0], path[0]) if len(path) == 1 else (path[0], path[1], path[2])


def _linear(name: str) -> dict[str, tuple[str, str, str]]:
    return {
        f"{name}.kernel": (f"{name}.kernel", f"{name}.kernel", f"{name}.weight.T"),
        f"{name}.bias": (f"{name}.bias", f"{name}.bias", f"{name}.bias"),
    }


_KEY = jax.random.key(7)

LAYERS = [
    Case("prelu-shared", "PReLU", {}, {"negative_slope_init": 0.25}, {},
         {"alpha": ("alpha", "negative_slope", "alpha")}),
    Case("prelu-channels", "PReLU", {"num_parameters": 4, "init": 0.1},
         {"num_parameters": 4, "negative_slope_init": 0.1}, {"num_parameters": 4, "init": 0.1},
         {"alpha": ("alpha", "negative_slope", "alpha")}),
    Case("prelu-axis0", "PReLU", {"num_parameters": 3, "channel_axis": 0},
         {"num_parameters": 3, "channel_axis": 0, "negative_slope_init": 0.25},
         {"num_parameters": 3, "channel_axis": 0}, {"alpha": ("alpha", "negative_slope", "alpha")},
         shape=(3, 5)),
    Case("swish", "Swish", {"beta_init": 1.5}, {"beta_init": 1.5}, {"beta_init": 1.5},
         {"beta": _same("beta")}),
    Case("swish-fixed", "Swish", {"beta_init": 1.5, "learnable": False},
         {"beta_init": 1.5, "learnable": False}, {"beta_init": 1.5, "learnable": False}, {}),
    Case("xielu", "XIELU", {"alpha_p_init": 0.6, "beta": 0.25},
         {"alpha_p_init": 0.6, "beta": 0.25}, {"alpha_p_init": 0.6, "beta": 0.25},
         {"alpha_p": _same("alpha_p"), "alpha_n": _same("alpha_n")}),
    Case("rrelu-eval", "RReLU", {"lower": 0.1, "deterministic": True},
         {"lower": 0.1, "deterministic": True}, {"lower": 0.1, "inference": True}, {}),
    Case("rrelu-train", "RReLU", {"upper": 0.5}, {"upper": 0.5, "deterministic": False},
         {"upper": 0.5}, {}, call=({"rngs": _KEY}, {"rng": _KEY}, {"key": _KEY})),
    Case("maxout", "Maxout", {"in_features": 4, "out_features": 3, "num_pieces": 2},
         {"features": 3, "num_pieces": 2}, {"in_features": 4, "out_features": 3, "num_pieces": 2},
         _linear("linear")),
    *(
        Case(f"glu-{variant}", "GLU",
             {"in_features": 4, "hidden_features": 6, "variant": variant, "use_bias": True},
             {"hidden_features": 6, "variant": variant, "use_bias": True},
             {"in_features": 4, "hidden_features": 6, "variant": variant, "use_bias": True},
             {**_linear("proj_in"), **_linear("proj_out")})
        for variant in ("swiglu", "geglu", "reglu", "glu")
    ),
    Case("dyt", "DyT", {"num_features": 4, "alpha_init": 0.7}, {"alpha_init": 0.7},
         {"num_features": 4, "alpha_init": 0.7},
         {"alpha": _same("alpha"), "weight": _same("weight"), "bias": _same("bias")}),
    Case("dyt-axis0", "DyT", {"num_features": 3, "channel_axis": 0}, {"channel_axis": 0},
         {"num_features": 3, "channel_axis": 0},
         {"alpha": _same("alpha"), "weight": _same("weight"), "bias": _same("bias")},
         shape=(3, 2)),
    Case("snake", "Snake", {"num_parameters": 4, "alpha_init": 0.5},
         {"num_parameters": 4, "alpha_init": 0.5}, {"num_parameters": 4, "alpha_init": 0.5},
         {"alpha": _same("alpha")}),
    Case("snake-shared", "Snake", {}, {}, {}, {"alpha": _same("alpha")}),
    Case("star_relu", "StarReLU", {}, {}, {}, {"scale": _same("scale"), "bias": _same("bias")}),
    Case("star_relu-fixed", "StarReLU", {"learnable": False}, {"learnable": False},
         {"learnable": False}, {}),
    Case("pau", "PAU", {"numerator": (0.1, 1.0, 0.3), "denominator": (0.5,)},
         {"numerator_init": (0.1, 1.0, 0.3), "denominator_init": (0.5,)},
         {"numerator": (0.1, 1.0, 0.3), "denominator": (0.5,)},
         {"numerator": _same("numerator"), "denominator": _same("denominator")}),
]  # fmt: skip

# Maxout and GLU use their framework's linear layer: the same kernel in Flax's (in, out) layout
# and Equinox's (out, in) may round the same sums in another order, hence a tolerance there.
_MATMUL = {"Maxout", "GLU"}


def test_every_layer_of_the_three_modules_is_compared() -> None:
    layers = {case.layer for case in LAYERS}
    for module in (jf, jl, je):
        exported = {n for n in module.__all__ if isinstance(getattr(module, n), type)}
        assert exported - {"Activation"} == layers, module.__name__


def _build(case: Case, framework: str) -> Any:
    """The layer, and for Linen its initialised variables."""
    kwargs = getattr(case, framework)
    if framework == "nnx":
        if case.layer in _MATMUL:
            kwargs = {**kwargs, "rngs": nnx.Rngs(0)}
        return getattr(jf, case.layer)(**kwargs)
    if framework == "linen":
        module = getattr(jl, case.layer)(**kwargs)
        variables = module.init(jax.random.key(0), jnp.ones(case.shape))
        return module, variables
    if case.layer in _MATMUL:
        kwargs = {**kwargs, "key": jax.random.key(0)}
    return getattr(je, case.layer)(**kwargs)


def _get(built: Any, framework: str, path: str) -> np.ndarray:
    if framework == "linen":
        node = built[1].get("params", {})
        for part in path.split("."):
            node = node[part]
        return np.asarray(node)
    node = built
    for part in path.split("."):
        node = node.T if part == "T" else getattr(node, part)
    return np.asarray(node[...] if framework == "nnx" else node)


def _set(built: Any, framework: str, path: str, value: jax.Array) -> Any:
    parts = path.split(".")
    if framework == "nnx":
        node = built
        for part in parts[:-1]:
            node = getattr(node, part)
        getattr(node, parts[-1])[...] = value
        return built
    if framework == "linen":
        module, variables = built
        params = jax.tree.map(lambda a: a, variables["params"])  # a copy to write into
        node = params
        for part in parts[:-1]:
            node = node[part]
        node[parts[-1]] = value
        return module, {**variables, "params": params}
    if parts[-1] == "T":
        parts, value = parts[:-1], value.T

    def where(layer: Any) -> Any:
        for part in parts:
            layer = getattr(layer, part)
        return layer

    return eqx.tree_at(where, built, value)


def _call(built: Any, framework: str, x: jax.Array, kwargs: dict[str, Any]) -> jax.Array:
    if framework == "linen":
        module, variables = built
        return module.apply(variables, x, **kwargs)
    return built(x, **kwargs)


@pytest.mark.parametrize("case", LAYERS, ids=lambda c: c.id)
def test_the_frameworks_create_the_same_parameters(case: Case) -> None:
    built = {f: _build(case, f) for f in FRAMEWORKS}
    if case.layer in _MATMUL:  # random kernels (each framework's own init): shapes only
        for name, paths in case.params.items():
            shapes = {f: _get(built[f], f, p).shape for f, p in zip(FRAMEWORKS, paths, strict=True)}
            assert len(set(shapes.values())) == 1, (name, shapes)
        return
    for name, paths in case.params.items():
        values = [_get(built[f], f, p) for f, p in zip(FRAMEWORKS, paths, strict=True)]
        for framework, value in zip(FRAMEWORKS[1:], values[1:], strict=True):
            assert value.dtype == values[0].dtype, (name, framework)
            np.testing.assert_array_equal(value, values[0], err_msg=f"{name}: {framework}")
    linen_params = jax.tree_util.tree_leaves(built["linen"][1].get("params", {}))
    assert len(linen_params) == len(case.params)  # no parameter left out of the mapping
    eqx_params = jax.tree_util.tree_leaves(eqx.filter(built["equinox"], eqx.is_inexact_array))
    assert len(eqx_params) == len(case.params)


# Integer input only where jaxact promotes it: Flax's Dense and Equinox's Linear differ there.
_OUTPUT_CASES = [
    pytest.param(case, dtype, id=f"{case.id}-{dtype}")
    for case in LAYERS
    for dtype in ("float32", "bfloat16", "int32")
    if not (dtype == "int32" and case.layer in _MATMUL)
]


@pytest.mark.parametrize(("case", "dtype"), _OUTPUT_CASES)
def test_the_same_parameters_give_the_same_outputs(case: Case, dtype: str) -> None:
    key_x, *keys = jax.random.split(jax.random.key(3), 1 + len(case.params))
    x = 3 * jax.random.normal(key_x, case.shape)
    x = jnp.round(x).astype(dtype) if dtype == "int32" else x.astype(dtype)
    built = {f: _build(case, f) for f in FRAMEWORKS}
    for key, paths in zip(keys, case.params.values(), strict=True):
        shape = _get(built["nnx"], "nnx", paths[0]).shape
        value = 0.5 + 0.25 * jax.random.normal(key, shape)  # positive: a valid xIELU raw, too
        for f, path in zip(FRAMEWORKS, paths, strict=True):
            built[f] = _set(built[f], f, path, value)
    outputs = [_call(built[f], f, x, kw) for f, kw in zip(FRAMEWORKS, case.call, strict=True)]
    for framework, y in zip(FRAMEWORKS[1:], outputs[1:], strict=True):
        assert y.dtype == outputs[0].dtype, (framework, y.dtype, outputs[0].dtype)
        if case.layer in _MATMUL:
            tol = 1e-6 if dtype == "float32" else 1e-2
            got, want = (np.asarray(v, np.float32) for v in (y, outputs[0]))
            np.testing.assert_allclose(got, want, rtol=tol, atol=tol, err_msg=framework)
        else:
            np.testing.assert_array_equal(np.asarray(y), np.asarray(outputs[0]), err_msg=framework)
