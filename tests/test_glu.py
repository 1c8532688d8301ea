"""The GLU family (glu, swiglu, geglu, reglu): halves of the axis, parity with jax.nn."""

from __future__ import annotations

import jax
import numpy as np
from _activation_cases import x64

import jaxact


@x64
def test_glu_family_halves_and_jax_parity():
    x = jax.random.normal(jax.random.key(1), (3, 8))
    a, b = x[:, :4], x[:, 4:]
    np.testing.assert_allclose(jaxact.glu(x), jax.nn.glu(x), rtol=1e-6)
    np.testing.assert_allclose(jaxact.swiglu(x), a * jax.nn.silu(b), rtol=1e-6)
    np.testing.assert_allclose(jaxact.geglu(x), a * jax.nn.gelu(b), rtol=1e-5)
    np.testing.assert_allclose(
        jaxact.geglu(x, approximate=False), a * jax.nn.gelu(b, False), rtol=1e-5
    )
    np.testing.assert_allclose(jaxact.reglu(x), a * jax.nn.relu(b), rtol=1e-6)
    np.testing.assert_allclose(jaxact.glu(x.T, axis=0), jax.nn.glu(x, axis=-1).T, rtol=1e-6)
