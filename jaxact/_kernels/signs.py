"""Comparisons that see subnormal numbers, for the branches and kink conventions.

XLA on CPU runs with subnormal operands read as zero (denormals-are-zero), comparisons
included: ``x > 0`` is false for a positive subnormal ``x``, so a convention chosen "at 0"
applied to all of them (``selu'(+tiny)`` gave λα instead of λ). Integer comparisons are not
affected, so these helpers compare the bit patterns. On GPU (subnormals kept) they give what
the float comparison gives. A NaN operand makes each of them false, like the float comparison.

Each costs one bitcast (free: a reinterpretation of the register) and one or two integer
operations per element; only comparisons whose two sides differ at 0 need them (a kink or a
jump of f or f'), not the switches between two formulas that agree there.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax


def _unsigned(x: jax.Array) -> tuple[jax.Array, type, int, int]:
    """``x``'s bits as an unsigned integer, that type, the sign bit and the bits of +inf."""
    bits = jnp.finfo(x.dtype).bits
    utype = {16: np.uint16, 32: np.uint32, 64: np.uint64}[bits]
    inf = int(np.asarray(np.inf, x.dtype).view(utype))
    return lax.bitcast_convert_type(x, utype), utype, 1 << (bits - 1), inf


def positive(x: jax.Array) -> jax.Array:
    """``x > 0``, also for a subnormal ``x`` on CPU: the bits lie in [1, bits(+inf)]."""
    if not jnp.issubdtype(x.dtype, jnp.floating):
        return x > 0
    u, utype, _, inf = _unsigned(x)
    return (u - utype(1)) < utype(inf)  # 0 wraps to the largest integer


def negative(x: jax.Array) -> jax.Array:
    """``x < 0``, also for a subnormal ``x`` on CPU: the bits lie in [sign + 1, sign + inf]."""
    if not jnp.issubdtype(x.dtype, jnp.floating):
        return x < 0
    u, utype, sign, inf = _unsigned(x)
    return (u - utype(sign + 1)) < utype(inf)


def order_key(x: jax.Array) -> jax.Array:
    """A signed integer ordered as the floats ``x`` (both zeros map to 0; NaN not handled)."""
    bits = jnp.finfo(x.dtype).bits
    itype = {16: np.int16, 32: np.int32, 64: np.int64}[bits]
    i = lax.bitcast_convert_type(x, itype)
    # A negative float's bits, read as a signed integer, grow with its magnitude: mirror them.
    return jnp.where(i < 0, itype(np.iinfo(itype).min) - i, i)


def less_equal(x: jax.Array, y: jax.Array) -> jax.Array:
    """``x <= y`` (arrays of one floating dtype), also for subnormal operands on CPU."""
    if not jnp.issubdtype(x.dtype, jnp.floating):
        return x <= y
    x, y = jnp.broadcast_arrays(x, jnp.asarray(y, x.dtype))
    ordered = order_key(x) <= order_key(y)
    return ordered & ~jnp.isnan(x) & ~jnp.isnan(y)
