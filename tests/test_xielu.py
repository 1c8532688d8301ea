"""xIELU: the formula near 0 where expm1(x) - x cancels, the reference code's form, the
parameter derivatives, and the layers (Flax NNX, Linen, Equinox) with the paper's
softplus parametrisation."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import mpmath
import numpy as np
import pytest
from _activation_cases import x64

import jaxact


def _exact(x: float, alpha_p=0.8, alpha_n=0.8, beta=0.5) -> float:
    with mpmath.workdps(40):
        f = jaxact.get("xielu").reference
        return float(f(mpmath.mp, mpmath.mpf(x), alpha_p, alpha_n, beta))


@x64
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_xielu_keeps_its_digits_where_expm1_minus_x_cancels(dtype) -> None:
    # With beta = 0 the negative side is alpha_n (expm1(x) - x) ~ alpha_n x²/2: the difference
    # of expm1 and x (as the reference code forms it) has no correct digit left at 1e-5 in
    # float32; the series keeps them.
    x = np.array([-1e-5, -3e-3, -0.2, -0.9, -1.0, -1.1], dtype)
    got = np.asarray(jaxact.xielu(jnp.asarray(x), 0.8, 1.0, 0.0), np.float64)
    want = np.array([_exact(float(v), 0.8, 1.0, 0.0) for v in x])
    ulp = np.spacing(np.abs(want).astype(dtype)).astype(np.float64)
    assert np.all(np.abs(got - want) <= 3 * ulp), (got - want) / ulp
    naive = np.asarray(jnp.expm1(jnp.asarray(x)) - jnp.asarray(x), np.float64)
    assert abs(naive[0] - want[0]) > 100 * ulp[0]  # what the series avoids


def test_xielu_is_the_reference_codes_formula_away_from_eps() -> None:
    # The reference code: where(x > 0, a_p x² + b x, (expm1(min(x, eps)) - x) a_n + b x).
    x = jnp.linspace(-8.0, 4.0, 97, dtype=jnp.float32)
    eps = -1e-6
    ref = jnp.where(
        x > 0, 0.8 * x * x + 0.5 * x, (jnp.expm1(jnp.minimum(x, eps)) - x) * 0.8 + 0.5 * x
    )
    np.testing.assert_allclose(jaxact.xielu(x), ref, rtol=1e-5, atol=1e-6)


@x64
def test_xielu_parameter_derivatives() -> None:
    # df/d alpha_p = x² (x > 0), df/d alpha_n = expm1(x) - x (x <= 0), df/d beta = x.
    x = jnp.array([-3.0, -0.5, 0.0, 0.7, 2.0])
    grads = jax.vmap(jax.grad(jaxact.xielu, argnums=(1, 2, 3)), in_axes=(0, None, None, None))(
        x, 0.8, 0.8, 0.5
    )
    xn = np.minimum(np.asarray(x), 0)
    np.testing.assert_allclose(grads[0], np.where(x > 0, x * x, 0), rtol=1e-14)
    np.testing.assert_allclose(grads[1], np.where(x > 0, 0, np.expm1(xn) - xn), rtol=1e-14)
    np.testing.assert_allclose(grads[2], x, rtol=1e-14)
    # f' is continuous at 0 (beta from both sides), f'' jumps from alpha_n to 2 alpha_p.
    d2 = jax.vmap(jax.grad(jax.grad(jaxact.xielu)))(jnp.array([-1e-9, 1e-9]))
    np.testing.assert_allclose(d2, [0.8, 1.6], rtol=1e-6)


def _layers():
    from flax import linen, nnx

    from jaxact import equinox as je
    from jaxact.flax import XIELU as NnxXIELU
    from jaxact.flax import linen as jl

    x = jnp.linspace(-4.0, 3.0, 15)
    nnx_layer = NnxXIELU()
    linen_layer = jl.XIELU()
    variables = linen_layer.init(jax.random.key(0), x)
    eqx_layer = je.XIELU()
    return x, nnx, linen, nnx_layer, (linen_layer, variables), eqx_layer


def test_xielu_layers_start_at_the_papers_values_and_compute_the_function() -> None:
    x, nnx, _, nnx_layer, (linen_layer, variables), eqx_layer = _layers()
    want = jaxact.xielu(x, 0.8, 0.8, 0.5)
    for got in (nnx_layer(x), linen_layer.apply(variables, x), eqx_layer(x)):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7)
    # The stored parameters are the raw a_p, a_n: softplus(a_p) = 0.8, 0.5 + softplus(a_n) = 0.8.
    np.testing.assert_allclose(jaxact.softplus(nnx_layer.alpha_p[...]), 0.8, rtol=1e-6)
    np.testing.assert_allclose(0.5 + jaxact.softplus(eqx_layer.alpha_n), 0.8, rtol=1e-6)
    params = variables["params"]
    assert set(params) == {"alpha_p", "alpha_n"} and params["alpha_p"].shape == ()
    assert nnx.state(nnx_layer, nnx.Param)  # trainable by an nnx optimiser


def test_xielu_layers_learn_both_alphas() -> None:
    x, nnx, _, nnx_layer, (linen_layer, variables), eqx_layer = _layers()

    def nnx_loss(layer):
        return jnp.sum(layer(x) ** 2)

    g = nnx.grad(nnx_loss)(nnx_layer)
    assert float(g["alpha_p"][...]) != 0 and float(g["alpha_n"][...]) != 0
    gl = jax.grad(lambda v: jnp.sum(linen_layer.apply(v, x) ** 2))(variables)["params"]
    np.testing.assert_allclose(gl["alpha_p"], g["alpha_p"][...], rtol=1e-5)
    np.testing.assert_allclose(gl["alpha_n"], g["alpha_n"][...], rtol=1e-5)
    ge = jax.grad(lambda m: jnp.sum(m(x) ** 2))(eqx_layer)
    np.testing.assert_allclose(ge.alpha_n, g["alpha_n"][...], rtol=1e-5)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"alpha_p_init": 0.0}, "alpha_p_init must be > 0"),
        ({"alpha_n_init": 0.5}, "alpha_n_init must be > beta"),
        ({"beta": -1.0}, "beta must be >= 0"),
        ({"alpha_p_init": float("nan")}, "alpha_p_init must be finite"),
    ],
)
def test_xielu_layers_reject_initial_values_outside_the_parametrisation(kwargs, message) -> None:
    from jaxact import equinox as je
    from jaxact.flax import XIELU

    for layer in (XIELU, je.XIELU):
        with pytest.raises(ValueError, match=message):
            layer(**kwargs)
