"""silu / Swish for every real beta: the float64 tail, tiny, zero and negative beta, the layers.

x sigma(beta x) is defined for every real beta, so a learnt beta may cross 0 in training without
the layer ever raising; the value and derivative stay within the 4-ULP bar for beta drawn at
random (not only powers of two, which hide the rounding of beta x).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import mpmath
import numpy as np
import pytest

import jaxact

F32, F64 = np.float32, np.float64
SPEC = jaxact.get("silu")
_Z_CRITICAL = SPEC.critical_points[0]


@pytest.fixture(autouse=True)
def _x64():
    with jax.enable_x64(True):
        yield


def _ulp_errors(xs, beta, dtype, derivative):
    """Errors in ULPs of max(|exact|, floor) (the harness's rule) of silu or silu' at ``xs``."""
    x = np.asarray(xs, dtype)
    b = jnp.asarray(beta, dtype)
    if derivative:
        got = jax.vmap(jax.grad(lambda v: jaxact.silu(v, beta=b)))(jnp.asarray(x))
        ref = SPEC.reference_derivative
    else:
        got = jax.jit(jaxact.silu)(jnp.asarray(x), b)
        ref = SPEC.reference
    floor, bits = (2.0**-100, 24) if dtype == F32 else (2.0**-960, 53)
    beta = float(np.asarray(beta, dtype))
    out = []
    with mpmath.workdps(50):
        for xi, gi in zip(x.tolist(), np.asarray(got, F64).tolist(), strict=True):
            exact = ref(mpmath.mp, mpmath.mpf(xi), beta=beta)
            # silu' is a function of z = beta x, zero at z_c = -1.278: relative error is
            # meaningless within 0.5 of it in z (the harness's exemption, in x scaled by 1/beta).
            near_zero = derivative and abs(beta * xi - _Z_CRITICAL) < 0.5
            scale = max(abs(exact), 0.25 if near_zero else floor)
            ulp = mpmath.mpf(2) ** (mpmath.floor(mpmath.log(scale, 2)) - bits + 1)
            out.append(float(abs(mpmath.mpf(gi) - exact) / ulp))
    return np.asarray(out)


def _assert_exact(xs, beta, dtype):
    for derivative in (False, True):
        err = _ulp_errors(xs, beta, dtype, derivative)
        worst = int(np.argmax(err))
        assert err[worst] <= 4, (beta, "df" if derivative else "f", xs[worst], err[worst])


def test_float64_tail_with_beta_not_a_power_of_two():
    # The point: beta x = -412.2; a fixed -80 threshold dropped beta x's low part in
    # float64 (966 ULP for the value here).
    _assert_exact([-369.92384251193664], 1.1143409491553924, F64)


@pytest.mark.parametrize(("dtype", "tail"), [(F64, (80.0, 709.0)), (F32, (40.0, 88.0))])
def test_tail_within_4_ulp_for_random_beta(dtype, tail):
    rng = np.random.default_rng(15)
    for beta in np.exp(rng.uniform(np.log(0.05), np.log(20.0), 4)).astype(dtype):
        z = -np.exp(rng.uniform(np.log(tail[0]), np.log(tail[1]), 12))
        _assert_exact((z / beta).astype(dtype), beta, dtype)


@pytest.mark.parametrize(("dtype", "beta"), [(F32, 2.0**-24), (F32, 3e-7), (F64, 1e-18)])
def test_tiny_beta_far_left_is_not_flushed(dtype, beta):
    # |x| = |beta x| / beta is huge, so x e^(beta x) is far above the accuracy floor where
    # e^-(beta x) overflows (it gave -0).
    tail = 88.0 if dtype == F32 else 709.0
    z = -np.linspace(tail - 3, tail + 40, 9)
    _assert_exact((z / dtype(beta)).astype(dtype), beta, dtype)


@pytest.mark.parametrize("dtype", [F32, F64])
def test_negative_beta_within_4_ulp_and_mirrors_positive(dtype):
    rng = np.random.default_rng(10)
    x = np.concatenate([rng.normal(0, 5, 40), -np.geomspace(1e-3, 1e3, 10)]).astype(dtype)
    for beta in (-1.0, *(-np.exp(rng.uniform(-3, 3, 3)))):
        beta = dtype(beta)
        _assert_exact(x, beta, dtype)
        got = jaxact.silu(jnp.asarray(x), beta=beta)
        mirrored = -jaxact.silu(jnp.asarray(-x), beta=-beta)
        np.testing.assert_array_equal(np.asarray(got), np.asarray(mirrored))


def test_beta_zero_is_half_x():
    x = jnp.asarray([-jnp.inf, -3.0, -1e-30, 0.0, 2.5, 1e30, jnp.inf], F32)
    np.testing.assert_array_equal(np.asarray(jaxact.silu(x, beta=0.0)), np.asarray(x) / 2)
    grads = jax.vmap(jax.grad(lambda v: jaxact.silu(v, beta=0.0)))(x)
    np.testing.assert_array_equal(np.asarray(grads), 0.5)


def test_limits_at_infinity_for_every_sign_of_beta():
    x = jnp.asarray([-jnp.inf, jnp.inf], F32)
    np.testing.assert_array_equal(np.asarray(jaxact.silu(x, beta=2.0)), [0, np.inf])
    np.testing.assert_array_equal(np.asarray(jaxact.silu(x, beta=-2.0)), [-np.inf, 0])
    grads = jax.vmap(jax.grad(lambda v: jaxact.silu(v, beta=-2.0)))(x)
    np.testing.assert_array_equal(np.asarray(grads), [1, 0])


@pytest.mark.parametrize("beta", [-1.5, -1e-3, 0.0, 0.7])
def test_same_result_in_and_out_of_jit(beta):
    x = jnp.linspace(-8, 8, 33, dtype=F32)
    b = jnp.asarray(beta, F32)
    eager = jaxact.silu(x, beta=beta)
    np.testing.assert_array_equal(np.asarray(jax.jit(jaxact.silu)(x, b)), np.asarray(eager))


@pytest.mark.parametrize("beta", [np.nan, np.inf, -np.inf])
def test_only_nan_and_infinite_beta_are_refused(beta):
    with pytest.raises(ValueError, match="beta"):
        jaxact.silu(jnp.ones(3), beta=beta)


def _train_beta_below_zero(layer_beta, call):
    """Steps of gradient descent on beta that push it below 0, jitted, then an eager call."""
    x = jnp.linspace(-3, 3, 16, dtype=F32)

    def loss(beta):
        return jnp.sum(call(beta, x))  # d/dbeta > 0 here: descent lowers beta

    step = jax.jit(lambda b: b - 2.0 * jax.grad(loss)(b))
    beta = layer_beta
    for _ in range(5):
        beta = step(beta)
    assert float(beta) < 0
    eager, jitted = call(beta, x), jax.jit(call)(beta, x)
    np.testing.assert_array_equal(np.asarray(eager), np.asarray(jitted))
    np.testing.assert_array_equal(np.asarray(eager), np.asarray(jaxact.silu(x, beta=beta)))
    assert np.all(np.isfinite(np.asarray(eager)))


def test_flax_swish_trains_beta_through_zero():
    nnx = pytest.importorskip("flax.nnx")
    from jaxact.flax import Swish

    layer = Swish(beta_init=-1.0)
    x = jnp.asarray([-2.0, 2.0], F32)
    np.testing.assert_array_equal(np.asarray(layer(x)), np.asarray(jaxact.silu(x, beta=-1.0)))

    def call(beta, v):
        m = Swish(beta_init=0.5)
        m.beta = nnx.Param(beta)
        return m(v)

    _train_beta_below_zero(jnp.asarray(0.5, F32), call)


def test_equinox_swish_trains_beta_through_zero():
    eqx = pytest.importorskip("equinox")
    from jaxact.equinox import Swish

    layer = Swish(beta_init=-1, dtype=F32)
    x = jnp.asarray([-2.0, 2.0], F32)
    np.testing.assert_array_equal(np.asarray(layer(x)), np.asarray(jaxact.silu(x, beta=-1.0)))

    def call(beta, v):
        return eqx.tree_at(lambda m: m.beta, Swish(beta_init=0.5), beta)(v)

    _train_beta_below_zero(jnp.asarray(0.5, F32), call)
