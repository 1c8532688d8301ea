"""Extreme but valid parameters: computed right, or refused with the argument and its limit.

Found by drawing parameters at random (test_accuracy's random cases): a Python float too large
for float32 became inf in the cast; a subnormal celu alpha gave NaN; celu gave 0 wherever
x / alpha is subnormal; elu' = alpha e^x and squareplus' far left were flushed to 0 where the
truth is far above the accuracy floor for a large alpha or b.
"""

from __future__ import annotations

import _oracle
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxact


@pytest.fixture(autouse=True)
def _x64():
    with jax.enable_x64(True):
        yield


def assert_exact(name: str, params: dict, xs, dtype: str, which=("f", "df")) -> None:
    """f and f' (jax.grad, inside jit) within 4 ULP by the harness's rule."""
    spec = jaxact.get(name)
    params = {k: float(np.asarray(v, dtype)) for k, v in params.items()}
    case = _oracle.Case(spec, tuple({**spec.defaults(), **params}.items()), changed="x")
    x = np.asarray(xs, dtype)
    f, d1, _ = _oracle.evaluate(case, x, dtype)
    for w in which:
        got = f if w == "f" else d1
        bad = _oracle.beyond_bar(case, w, x, got, dtype)
        assert not bad, f"{name} {params} {dtype} {w}: x -> (got, exact) {bad}"


@pytest.mark.parametrize(
    ("call", "arg"),
    [
        (lambda x: jaxact.elu(x, alpha=1e39), "alpha"),
        (lambda x: jaxact.celu(x, alpha=1e39), "alpha"),
        (lambda x: jaxact.squareplus(x, b=1e39), "b"),
        (lambda x: jaxact.silu(x, beta=-1e39), "beta"),
        (lambda x: jaxact.elu(x.astype(jnp.bfloat16), alpha=1e39), "alpha"),
    ],
)
def test_parameter_too_large_for_float32_is_refused_with_its_limit(call, arg) -> None:
    with pytest.raises(ValueError, match=rf"{arg}.*float32.*3\.4028235e\+38"):
        call(jnp.zeros(3, jnp.float32))


def test_the_same_values_are_fine_in_float64() -> None:
    x = np.asarray([-3.0, -1.0, 0.0, 2.0])
    assert np.asarray(jaxact.elu(x, alpha=1e39))[2] == 0
    assert_exact("squareplus", {"b": 1e39}, [-1e30, -3.0, 0.0, 5.0], "float64")
    assert_exact("celu", {"alpha": 1e39}, [-1e30, -3.0, 0.0], "float64")


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_celu_with_a_subnormal_alpha_is_relu_not_nan(dtype) -> None:
    alpha = float(np.finfo(dtype).smallest_subnormal)
    x = jnp.asarray([-1e3, -1.0, -0.0, 0.0, 2.0], dtype)
    y = jaxact.celu(x, alpha=alpha)
    g = jax.vmap(jax.grad(lambda v: jaxact.celu(v, alpha=alpha)))(x)
    assert np.all(np.isfinite(np.asarray(y))) and np.all(np.isfinite(np.asarray(g)))
    np.testing.assert_allclose(np.asarray(y), [0, 0, 0, 0, 2], atol=2 * np.finfo(dtype).tiny)
    np.testing.assert_array_equal(np.asarray(g), [0, 0, 1, 1, 1])


@pytest.mark.parametrize(
    ("dtype", "alpha", "xs"),
    [
        ("float32", 12130.4765625, [-8.743693175457104e-35, -1e-33, -2e-38, -1e-30]),
        ("float64", 1e10, [-1e-300, -3e-305, -1e-290]),
    ],
)
def test_celu_is_x_where_x_over_alpha_is_subnormal(dtype, alpha, xs) -> None:
    # x / alpha is subnormal (read as 0): celu gave 0, truth x (1 + x / (2 alpha) + ...).
    assert_exact("celu", {"alpha": alpha}, xs, dtype)


@pytest.mark.parametrize(
    ("dtype", "alpha", "xs"),
    [
        ("float32", 586274.25, np.linspace(-100.0, -85.0, 16)),
        ("float64", 5e4, np.linspace(-716.0, -700.0, 17)),
    ],
)
def test_elu_slope_with_a_large_alpha_where_e_to_the_x_is_subnormal(dtype, alpha, xs) -> None:
    # alpha e^x is far above the floor where e^x itself is flushed (1382 ULP at x = -91.3).
    assert_exact("elu", {"alpha": alpha}, xs, dtype, which=("df",))


@pytest.mark.parametrize(
    ("dtype", "b", "xs"),
    [
        ("float32", 263609.03125, [*-np.geomspace(1.3e19, 6e19, 8), -1e30, -3e38]),
        ("float64", 1e12, -np.geomspace(1e154, 1e308, 12)),
    ],
)
def test_squareplus_slope_far_left_with_a_large_b(dtype, b, xs) -> None:
    # 2hm overflows where b / (4 h m) is still above the floor (3138 ULP at x = -1.5e19).
    assert_exact("squareplus", {"b": b}, xs, dtype, which=("df",))
