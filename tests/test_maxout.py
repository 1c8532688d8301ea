"""maxout: groups of the last axis, ties share the gradient."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from _activation_cases import x64

import jaxact


@x64
def test_maxout_groups_and_tie_gradient_split():
    x = jnp.array([1.0, 1.0, 0.0, 2.0, 2.0, 2.0])
    np.testing.assert_array_equal(jaxact.maxout(x, 3), [1.0, 2.0])
    g = jax.grad(lambda v: jnp.sum(jaxact.maxout(v, 3)))(x)
    np.testing.assert_allclose(g, [0.5, 0.5, 0, 1 / 3, 1 / 3, 1 / 3])
    y = jnp.arange(24.0).reshape(2, 6, 2)
    np.testing.assert_array_equal(jaxact.maxout(y, 2, axis=1), y[:, 1::2, :])
