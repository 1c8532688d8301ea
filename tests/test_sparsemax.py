"""sparsemax: sums to one, sparse, and its Jacobian is Martins and Astudillo's."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from _activation_cases import x64

import jaxact

F64 = jnp.float64


@x64
def test_sparsemax_sums_to_one_and_is_sparse():
    x = jax.random.normal(jax.random.key(0), (50, 7), F64) * 3
    p = jaxact.sparsemax(x)
    np.testing.assert_allclose(jnp.sum(p, axis=-1), 1, rtol=1e-12)
    assert np.all(p >= 0) and np.any(p == 0)
    np.testing.assert_allclose(jaxact.sparsemax(x.T, axis=0), p.T)


@x64
def test_sparsemax_jacobian_is_martins_astudillo():
    x = jnp.array([-1.0, 0.0, 0.5, 1.0, 0.9], F64)
    p = jaxact.sparsemax(x)
    s = (np.asarray(p) > 0).astype(float)
    want = np.diag(s) - np.outer(s, s) / s.sum()
    np.testing.assert_allclose(jax.jacobian(jaxact.sparsemax)(x), want, atol=1e-15)
