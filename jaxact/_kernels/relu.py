"""relu and relu6 with jax.nn's derivative conventions at the kinks.

A select, not ``g * slope``, and NaN in, NaN out for the derivative too; used by the
rectifiers, hard_sigmoid/hard_silu, squared_relu and reglu.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
from jax import lax

from .signs import positive


def _select_slope(on: jax.Array, x: jax.Array, g: jax.Array) -> jax.Array:
    """The tangent ``g`` where ``on``, else 0, and NaN where ``x`` is NaN.

    A select, not ``g * slope``, as jax.nn (an infinite cotangent times 0 is not NaN). The
    NaN case lives in the rule itself: a mask multiplied outside would be selected away in
    reverse mode. Its factor is 0 off NaN (not ``x``: 0 * inf in the transposed select).
    """
    nan = lax.stop_gradient(jnp.where(jnp.isnan(x), x, 0))
    return lax.select(on, g, jnp.where(jnp.isnan(x), g * nan, lax.full_like(g, 0)))


@jax.custom_jvp
@jax.jit
def _relu(x: jax.Array) -> jax.Array:
    return jnp.maximum(x, 0)


# relu'(0) = 0, as jax.nn: Bertoin et al., "Numerical influence of ReLU'(0) on backpropagation".
# positive(x), not x > 0: XLA on CPU reads a subnormal x as 0 in a comparison.
_relu.defjvps(lambda g, ans, x: _select_slope(positive(x), x, g))


@jax.custom_jvp
@jax.jit
def _relu6(x: jax.Array) -> jax.Array:
    return jnp.minimum(jnp.maximum(x, 0), 6.0)


_relu6.defjvps(lambda g, ans, x: _select_slope(positive(x) & (x < 6), x, g))
