"""Known pitfalls shared by the sigmoidal and exponential functions (CONTRIBUTING.md, pitfalls 1,
2, 9): tails of the derivatives, huge, infinite and NaN inputs, jax.nn parity, one loop under
jit. The named cases where jax.nn, PyTorch or Keras go wrong, each with its true value; the
cases of one function are in test_sigmoidal.py and test_exponential.py.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import mpmath
import numpy as np
import pytest
from _activation_cases import grad, hess
from _xla import fused_kernels

import jaxact
from jaxact._numerics import round_up

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946

OURS = tuple(s.name for s in jaxact.specs() if s.family in ("sigmoidal", "exponential"))
SHARED_WITH_JAX = tuple(n for n in OURS if hasattr(jax.nn, n))


# -- derivatives written from the input (pitfall 2) ----------------------------------------


@pytest.mark.parametrize(
    ("name", "x", "truth"),
    [
        ("sigmoid", 17.0, math.exp(-17) / (1 + math.exp(-17)) ** 2),
        ("tanh", 9.0, 1 / math.cosh(9) ** 2),
        ("tanh", -9.0, 1 / math.cosh(9) ** 2),
        ("elu", -20.0, math.exp(-20)),
        ("celu", -20.0, math.exp(-20)),
        ("selu", -20.0, SELU_SCALE * SELU_ALPHA * math.exp(-20)),
        ("softplus", -30.0, 1 / (1 + math.exp(30))),
        ("log_sigmoid", 30.0, 1 / (1 + math.exp(30))),
    ],
)
def test_derivative_exact_in_the_tail_float32(name: str, x: float, truth: float) -> None:
    got = grad(name)(jnp.float32(x))
    assert got.dtype == jnp.float32
    np.testing.assert_allclose(float(got), truth, rtol=5e-7)


def test_jax_nn_loses_those_tails() -> None:
    # The reason for the custom rules: jax.nn's derivatives from the output are 0 here.
    assert float(jax.grad(jax.nn.sigmoid)(jnp.float32(17.0))) == 0.0
    assert float(jax.grad(jax.nn.elu)(jnp.float32(-20.0))) == 0.0
    assert float(grad("sigmoid")(jnp.float32(17.0))) > 4e-8


@pytest.mark.parametrize(
    ("name", "x", "truth"),
    [
        # sigma'' = sigma' (sigma(-x) - sigma(x)); softplus'' = sigma'; tanh'' = -2 tanh sech^2
        ("sigmoid", 20.0, -math.exp(-20) * (1 - math.exp(-20)) / (1 + math.exp(-20)) ** 3),
        ("softplus", 30.0, math.exp(-30) / (1 + math.exp(-30)) ** 2),
        ("log_sigmoid", -30.0, -math.exp(-30) / (1 + math.exp(-30)) ** 2),
        ("tanh", 10.0, -2 * math.tanh(10) / math.cosh(10) ** 2),
        ("elu", -25.0, math.exp(-25)),
        ("tanh_shrink", 10.0, 2 * math.tanh(10) / math.cosh(10) ** 2),
    ],
)
def test_second_derivative_exact_in_the_tail(name: str, x: float, truth: float) -> None:
    np.testing.assert_allclose(float(hess(name)(jnp.float32(x))), truth, rtol=2e-6)


# -- values without cancellation -------------------------------------------------------------


# -- special inputs (pitfalls 1 and 9) ------------------------------------------------------


@pytest.mark.parametrize("dtype", [jnp.float16, jnp.bfloat16, jnp.float32])
@pytest.mark.parametrize("name", OURS)
def test_finite_derivatives_at_huge_inputs(name: str, dtype) -> None:
    big = float(jnp.finfo(dtype).max)
    x = jnp.array([-big, -1e30 if dtype == jnp.float32 else -300.0, -1e3, 1e3, big], dtype)
    if dtype != jnp.float32:
        x = x.at[1].set(-300.0)
    spec = jaxact.get(name)
    # One compiled program for both (eagerly, each op of the hessian compiled on its own).
    g, h = jax.jit(lambda v: (jax.vmap(jax.grad(spec.fn))(v), jax.vmap(jax.hessian(spec.fn))(v)))(x)
    assert g.dtype == dtype
    # inf only where the exact derivative overflows the dtype (xielu's 2 alpha_p x + beta).
    with mpmath.workdps(30):
        exact = [spec.reference_derivative(mpmath.mp, mpmath.mpf(float(v))) for v in x]
    overflows = np.array([abs(d) > big for d in exact])
    assert bool(np.all(np.isfinite(np.asarray(g, np.float64)) | overflows)), g
    assert bool(np.all(np.isfinite(np.asarray(h, np.float64)) | overflows)), h  # (e^x: e^x)


LIMITS = {
    # name: (f(-inf), f(inf), f'(-inf), f'(inf))
    "sigmoid": (0.0, 1.0, 0.0, 0.0),
    "tanh": (-1.0, 1.0, 0.0, 0.0),
    "soft_sign": (-1.0, 1.0, 0.0, 0.0),
    "log_sigmoid": (-math.inf, 0.0, 1.0, 0.0),
    "tanh_shrink": (-math.inf, math.inf, 1.0, 1.0),
    "elu": (-1.0, math.inf, 0.0, 1.0),
    "celu": (-1.0, math.inf, 0.0, 1.0),
    "selu": (-SELU_SCALE * SELU_ALPHA, math.inf, 0.0, SELU_SCALE),
    "softplus": (0.0, math.inf, 0.0, 1.0),
    "sparse_plus": (0.0, math.inf, 0.0, 1.0),
    "squareplus": (0.0, math.inf, 0.0, 1.0),
    "xielu": (math.inf, math.inf, 0.5 - 0.8, math.inf),  # (beta - alpha_n) x as x -> -inf
    "exponential": (0.0, math.inf, 0.0, math.inf),
    "dyt": (-1.0, 1.0, 0.0, 0.0),  # gamma tanh(alpha x) + beta at gamma = 1, beta = 0
}


@pytest.mark.parametrize("name", OURS)
def test_infinite_inputs_give_the_limits(name: str) -> None:
    fn = jaxact.get(name).fn
    x = jnp.array([-jnp.inf, jnp.inf], jnp.float32)
    f_lo, f_hi, d_lo, d_hi = LIMITS[name]
    np.testing.assert_allclose(np.asarray(fn(x)), [f_lo, f_hi], rtol=1e-7)
    np.testing.assert_allclose(np.asarray(jax.vmap(jax.grad(fn))(x)), [d_lo, d_hi], rtol=1e-7)


@pytest.mark.parametrize("name", OURS)
def test_nan_in_nan_out(name: str) -> None:
    fn = jaxact.get(name).fn
    x = jnp.array([jnp.nan], jnp.float32)
    assert bool(jnp.isnan(fn(x))[0])
    assert bool(jnp.isnan(jax.vmap(jax.grad(fn))(x))[0])


# -- drop-in for jax.nn ---------------------------------------------------------------------


@pytest.mark.parametrize("name", SHARED_WITH_JAX)
def test_matches_jax_nn_on_ordinary_inputs(name: str) -> None:
    x = jnp.linspace(-6.0, 6.0, 97, dtype=jnp.float32)
    ours, theirs = jaxact.get(name).fn, getattr(jax.nn, name)
    np.testing.assert_allclose(np.asarray(ours(x)), np.asarray(theirs(x)), rtol=2e-6, atol=1e-7)
    # atol 1e-6: jax.nn's tanh' = 1 - tanh^2 is only accurate to ~1 ULP of 1 (sech^2(6) is
    # 0.9 % off there); ours are the exact ones.
    np.testing.assert_allclose(
        np.asarray(jax.vmap(jax.grad(ours))(x)),
        np.asarray(jax.vmap(jax.grad(theirs))(x)),
        rtol=2e-5,
        atol=1e-6,
    )


@pytest.mark.parametrize(
    ("name", "x", "kwargs", "expected"),
    [
        ("elu", 0.0, {}, 1.0),
        ("elu", 0.0, {"alpha": 2.0}, 2.0),  # the negative branch, as jax.nn
        ("celu", 0.0, {"alpha": 2.0}, 1.0),
        ("selu", 0.0, {}, SELU_SCALE * SELU_ALPHA),
        ("sparse_plus", -1.0, {}, 0.0),
        ("sparse_plus", 1.0, {}, 1.0),
        ("squareplus", 0.0, {}, 0.5),
        ("squareplus", 0.0, {"b": 0.0}, 0.5),  # b = 0 is ReLU; f'(0) taken as 1/2
        ("soft_sign", 0.0, {}, 1.0),
        ("tanh_shrink", 0.0, {}, 0.0),
    ],
)
def test_derivative_conventions(name: str, x: float, kwargs: dict, expected: float) -> None:
    got = jax.grad(lambda v: jaxact.get(name).fn(v, **kwargs))(jnp.float32(x))
    np.testing.assert_allclose(float(got), expected, rtol=1e-6)


# -- parameters and input checks ------------------------------------------------------------


@pytest.mark.parametrize("name", OURS)
def test_non_numeric_input_raises_type_error(name: str) -> None:
    with pytest.raises(TypeError, match="'x'"):
        jaxact.get(name).fn("1.0")


# -- dtypes -----------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [jnp.float16, jnp.bfloat16])
@pytest.mark.parametrize("name", OURS)
def test_half_precision_is_float32_rounded_once(name: str, dtype) -> None:
    fn = jaxact.get(name).fn
    x = jnp.linspace(-12.0, 12.0, 49, dtype=jnp.float32).astype(dtype)
    y = fn(x)
    assert y.dtype == dtype
    expected = fn(x.astype(jnp.float32)).astype(dtype)
    interval = jaxact.get(name).output_range
    if not interval.lo_open:  # a closed minimum is kept in every dtype (xielu's)
        expected = jnp.maximum(expected, round_up(interval.lo, dtype))
    np.testing.assert_array_equal(np.asarray(y, np.float32), np.asarray(expected, np.float32))


# -- accuracy of the reformulations (tanh, sigmoid', celu) ------------------------------------


# -- one loop each under jit (speed: XLA on CPU writes shared expensive values to memory) ---


@pytest.mark.parametrize(
    ("name", "forward", "backward"),
    [(n, 1, 2) for n in ("tanh", "sigmoid", "elu", "celu", "selu", "softplus", "log_sigmoid")],
)
def test_forward_and_vjp_compile_to_one_loop_per_output(name: str, forward: int, backward: int):
    # The VJP's two outputs (y and the input cotangent) are two loops; nothing expensive is
    # shared between them, so no intermediate is written to memory (jaxact.tanh had 2 and 4).
    if jax.default_backend() != "cpu":
        pytest.skip("fusion structure is XLA CPU's")
    fn = jaxact.get(name).fn
    assert fused_kernels(fn, vjp=False) == forward
    assert fused_kernels(fn, vjp=True) == backward
