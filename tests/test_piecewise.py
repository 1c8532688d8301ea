"""Pitfalls of the piecewise functions (``_rectifiers``, ``_hard``, ``_thresholding``,
``_binary_step``, ``_squared_relu``): the choices at their breakpoints that other libraries make
differently, each with its exact value.

The registry-wide tests cover the rest: the derivative conventions shared with jax.nn
(``test_jax_nn_dropin.py``), the floats beside each kink and subnormal inputs
(``test_kinks.py``), integer input (``test_integer_input.py``).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxact


def test_hard_sigmoid_is_relu6_based_not_keras2s_linear_clip() -> None:
    # Keras 2 / TensorFlow: clip(0.2 x + 0.5, 0, 1), which reaches 1 at 2.5 and is 0.7 at 1.
    x = jnp.array([1.0, 2.5], jnp.float32)
    np.testing.assert_allclose(np.asarray(jaxact.hard_sigmoid(x)), [4 / 6, 5.5 / 6], rtol=1e-7)


@pytest.mark.parametrize("name", ["hard_shrink", "soft_shrink"])
def test_shrink_zeroes_the_breakpoints_and_their_slope(name: str) -> None:
    f = jaxact.get(name).fn
    x = jnp.array([-0.5, 0.5], jnp.float32)  # ±λ for the default λ = 0.5
    np.testing.assert_array_equal(np.asarray(f(x)), [0.0, 0.0])
    np.testing.assert_array_equal(np.asarray(jax.vmap(jax.grad(f))(x)), [0.0, 0.0])


def test_threshold_keeps_only_inputs_strictly_above_it() -> None:
    x = jnp.array([1.0, np.nextafter(np.float32(1), np.float32(2))], jnp.float32)
    y = jaxact.threshold(x, threshold=1.0, value=-7.0)
    np.testing.assert_array_equal(np.asarray(y), [-7.0, x[1]])
    np.testing.assert_array_equal(np.asarray(jax.vmap(jax.grad(jaxact.threshold))(x)), [0, 1])


def test_prelu_slope_gradient_is_zero_at_zero_and_x_on_the_left() -> None:
    def d_alpha(x: float) -> float:
        return float(jax.grad(jaxact.prelu, argnums=1)(jnp.float32(x), jnp.float32(0.25)))

    assert d_alpha(0.0) == 0.0
    assert d_alpha(-3.0) == -3.0
    assert d_alpha(2.0) == 0.0


def test_binary_step_at_zero_and_its_gradients() -> None:
    assert float(jaxact.binary_step(jnp.float32(0.0))) == 1.0
    assert float(jaxact.binary_step(jnp.float32(-0.0))) == 1.0
    assert float(jax.grad(jaxact.binary_step)(jnp.float32(0.0))) == 0.0
    st = jax.grad(lambda x: jaxact.binary_step(x, straight_through=True))
    assert float(st(jnp.float32(-3.0))) == 1.0


def test_squared_relu_derivative_is_continuous_at_zero() -> None:
    # 2 max(0, x): no kink convention is needed, the two sides agree.
    d = jax.vmap(jax.grad(jaxact.squared_relu))(jnp.array([-1e-30, 0.0, 1e-30], jnp.float32))
    np.testing.assert_array_equal(np.asarray(d), [0.0, 0.0, np.float32(2e-30)])
