"""Pitfalls of the exponential family (elu, celu, selu, softplus, sparse_plus, squareplus): no
threshold, no overflow, parameters, celu's accuracy."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import mpmath
import numpy as np
import pytest
from _activation_cases import grad
from _xla import compiled_ops

import jaxact


def test_softplus_has_no_threshold_float64() -> None:
    # PyTorch switches to the identity above 20 and is 1.25e-9 off at 20.5.
    mpmath.mp.dps = 40
    truth = float(mpmath.log1p(mpmath.exp(mpmath.mpf(20.5))))
    with jax.enable_x64(True):
        got = jaxact.softplus(jnp.float64(20.5))
        assert got.dtype == jnp.float64
        assert float(got) == truth
        assert float(got) != 20.5


@pytest.mark.parametrize("x", [-1e20, -1e4, -1e30])
def test_squareplus_far_left_float32(x: float) -> None:
    # jax.nn gives inf at -1e20 (x^2 overflows) and 0 at -1e4 (x + sqrt(x^2 + b) cancels).
    got = float(jaxact.squareplus(jnp.float32(x)))
    np.testing.assert_allclose(got, -1 / x, rtol=1e-6)


def test_squareplus_forward_does_the_extra_work_its_conventions_state() -> None:
    # The conventions name the one operation jax.nn's forward pass does not do: the division
    # of the x < 0 branch (both have the square root). If a rewrite drops it, or XLA splits it
    # differently, the stated cost must change with it.
    if jax.default_backend() != "cpu":
        pytest.skip("the compiled program is XLA CPU's")
    (text,) = [c for c in jaxact.get("squareplus").conventions if "division" in c]
    assert "$b/(2(h - x))$" in text
    ops, full = ("divide", "sqrt"), (64, 1024)
    assert compiled_ops(jax.nn.squareplus, ops, full) == ["sqrt"]
    assert compiled_ops(jaxact.squareplus, ops, full) == ["divide", "sqrt"]


def test_squareplus_far_right_float32() -> None:
    x = 3e38
    assert float(jaxact.squareplus(jnp.float32(x))) == float(np.float32(x))
    assert float(grad("squareplus")(jnp.float32(x))) == 1.0


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("elu", {"alpha": 0.5}),
        ("elu", {"alpha": 2.0}),
        ("celu", {"alpha": 0.5}),
        ("celu", {"alpha": 3.0}),
        ("squareplus", {"b": 1.0}),
        ("squareplus", {"b": 16}),
    ],
)
def test_matches_jax_nn_with_parameters(name: str, kwargs: dict) -> None:
    x = jnp.linspace(-6.0, 6.0, 97, dtype=jnp.float32)
    ours = lambda x: jaxact.get(name).fn(x, **kwargs)
    theirs = lambda x: getattr(jax.nn, name)(x, **kwargs)
    np.testing.assert_allclose(np.asarray(ours(x)), np.asarray(theirs(x)), rtol=2e-6, atol=1e-7)
    np.testing.assert_allclose(
        np.asarray(jax.vmap(jax.grad(ours))(x)),
        np.asarray(jax.vmap(jax.grad(theirs))(x)),
        rtol=2e-5,
        atol=1e-7,
    )


def test_parameter_gradients_match_jax_nn() -> None:
    x = jnp.linspace(-3.0, 3.0, 13, dtype=jnp.float32)
    for ours, theirs, p in [
        (jaxact.elu, jax.nn.elu, 1.5),
        (jaxact.celu, jax.nn.celu, 1.5),
        (jaxact.squareplus, jax.nn.squareplus, 2.0),
    ]:
        g_ours = jax.grad(lambda a, f=ours: f(x, a).sum())(p)
        g_theirs = jax.grad(lambda a, f=theirs: f(x, a).sum())(p)
        np.testing.assert_allclose(float(g_ours), float(g_theirs), rtol=1e-5)


def test_parameter_may_be_an_array() -> None:
    x = jnp.array([[-1.0], [-2.0]], jnp.float32)
    alpha = jnp.array([0.5, 1.0, 2.0], jnp.float32)
    np.testing.assert_allclose(
        np.asarray(jaxact.elu(x, alpha)), np.asarray(jax.nn.elu(x, alpha)), rtol=1e-6
    )


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: jaxact.celu(1.0, alpha=0.0), "alpha"),
        (lambda: jaxact.celu(1.0, alpha=-1.0), "alpha"),
        (lambda: jaxact.elu(1.0, alpha=-0.5), "alpha"),
        (lambda: jaxact.elu(1.0, alpha=float("nan")), "alpha"),
        (lambda: jaxact.squareplus(1.0, b=-1.0), "'b'"),
        (lambda: jaxact.squareplus(1.0, b=float("inf")), "'b'"),
    ],
)
def test_bad_parameters_raise(call, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        call()


def test_traced_parameters_do_not_break_jit() -> None:
    x = jnp.array([-1.0, 2.0], jnp.float32)
    np.testing.assert_allclose(
        np.asarray(jax.jit(jaxact.celu)(x, 2.0)), np.asarray(jax.nn.celu(x, 2.0)), rtol=1e-6
    )
    np.testing.assert_allclose(
        np.asarray(jax.jit(jaxact.squareplus)(x, 9.0)),
        np.asarray(jax.nn.squareplus(x, 9.0)),
        rtol=1e-6,
    )


def test_integer_input_becomes_float() -> None:
    assert jaxact.softplus(jnp.arange(3)).dtype == jnp.float32
    assert jaxact.elu(3).dtype == jnp.float32


def test_squareplus_with_b_zero_is_relu_everywhere() -> None:
    # b = 0 folded as a constant under jit once made XLA overflow (|x| + |x|)/2 at 3e38.
    f = jax.jit(lambda x: jaxact.squareplus(x, 0.0))
    x = jnp.array([-3e38, -1e-30, 0.0, 1e-30, 3e38], jnp.float32)
    np.testing.assert_array_equal(np.asarray(f(x)), np.asarray(jnp.maximum(x, 0)))
    g = jax.vmap(jax.grad(lambda v: jaxact.squareplus(v, 0.0)))(x)
    np.testing.assert_array_equal(np.asarray(g), [0.0, 0.0, 0.5, 1.0, 1.0])


def _celu_truth(x: np.ndarray, alpha: float, dtype) -> tuple[np.ndarray, np.ndarray]:
    # alpha as the dtype holds it: that is the function's actual argument.
    mpmath.mp.dps = 40
    a = mpmath.mpf(float(np.dtype(dtype).type(alpha)))
    f = [float(a * mpmath.expm1(mpmath.mpf(float(v)) / a)) for v in x]
    d = [float(mpmath.exp(mpmath.mpf(float(v)) / a)) for v in x]
    return np.array(f), np.array(d)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("alpha", [0.3, 0.7, 3.0])
def test_celu_accurate_for_alpha_not_a_power_of_two(alpha: float, dtype) -> None:
    # x / alpha as a double word: celu' at x = -19, alpha = 0.3 was 64 ULP off in float32
    # (125 in float64) from the rounded quotient (jax.nn's celu' is 0 there, its exp underflows).
    x = np.concatenate([-(10 ** np.linspace(-6, np.log10(38.0), 150)), [-19.0, -19.76331]])
    x = x.astype(dtype)
    with jax.enable_x64(dtype == np.float64):
        xs = jnp.asarray(x)
        f = np.asarray(jaxact.celu(xs, alpha), np.float64)
        d = np.asarray(jax.vmap(jax.grad(lambda v: jaxact.celu(v, alpha)))(xs), np.float64)
    ref_f, ref_d = _celu_truth(x, alpha, dtype)
    # The accuracy rule's floor (2^-100 / 2^-960): e^q below it is flushed by XLA on CPU.
    floor, bits = (2.0**-100, 24) if dtype == np.float32 else (2.0**-960, 53)
    for got, ref in ((f, ref_f), (d, ref_d)):
        _, e = np.frexp(np.maximum(np.abs(ref), floor))
        err = np.abs(got - ref) / np.ldexp(1.0, e - bits)
        assert err.max() <= 3.0, (err.max(), x[np.argmax(err)])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("alpha", [0.3, 1.7])
def test_celu_accurate_for_tiny_normal_inputs(alpha: float, dtype) -> None:
    # Down to where q = x / alpha is still normal (celu(x) ~ x, a normal number): the exact
    # product q_hi * alpha must not lose its partial products to XLA's flush of subnormals
    # (without the rescaling celu(-2^-125) came out twice its value in float32).
    lo, hi = (-125, -80) if dtype == np.float32 else (-1021, -880)
    k = np.arange(lo, hi, 0.25)
    x = -np.concatenate([2.0**k, 2.0**k * 1.2345678]).astype(dtype)
    with jax.enable_x64(dtype == np.float64):
        f = np.asarray(jaxact.celu(jnp.asarray(x), alpha), np.float64)
    ref, _ = _celu_truth(x, alpha, dtype)
    err = np.abs(f - ref) / np.spacing(np.abs(ref).astype(dtype)).astype(np.float64)
    assert err.max() <= 1.5, (err.max(), x[np.argmax(err)])


def test_celu_alpha_gradient_and_hessian_match_jax_nn_for_alpha_0_3() -> None:
    x = jnp.linspace(-4.0, 2.0, 25, dtype=jnp.float32)
    g = jax.grad(lambda a: jaxact.celu(x, a).sum())(0.3)
    np.testing.assert_allclose(
        float(g), float(jax.grad(lambda a: jax.nn.celu(x, a).sum())(0.3)), 1e-5
    )
    h = jax.hessian(lambda v: jaxact.celu(v[0], v[1]))(jnp.array([-1.0, 0.3]))
    h_ref = jax.hessian(lambda v: jax.nn.celu(v[0], v[1]))(jnp.array([-1.0, 0.3]))
    np.testing.assert_allclose(np.asarray(h), np.asarray(h_ref), rtol=1e-5)


def test_celu_with_traced_alpha_and_infinite_inputs() -> None:
    x = jnp.array([-jnp.inf, -1e30, -2.0, 0.0, 3.0, jnp.inf], jnp.float32)
    f = jax.jit(lambda v, a: jaxact.celu(v, a))
    np.testing.assert_allclose(np.asarray(f(x, 0.3))[:2], [-0.3, -0.3], rtol=1e-7)
    d = jax.jit(jax.vmap(jax.grad(jaxact.celu), in_axes=(0, None)))(x, 0.3)
    np.testing.assert_array_equal(np.asarray(d)[[0, 1, 3, 4, 5]], [0, 0, 1, 1, 1])
    # d/dalpha at -inf is the limit expm1(-inf) = -1, and second derivatives are finite there.
    ga = jax.vmap(jax.grad(jaxact.celu, argnums=1), in_axes=(0, None))(x, 0.3)
    np.testing.assert_allclose(np.asarray(ga)[[0, 1, 4, 5]], [-1, -1, 0, 0], atol=1e-6)
    h = jax.vmap(jax.hessian(lambda v, a: jaxact.celu(v, a), argnums=(0, 1)), in_axes=(0, None))
    for block in jax.tree_util.tree_leaves(h(x, jnp.float32(0.3))):
        assert bool(jnp.all(jnp.isfinite(block))), block
