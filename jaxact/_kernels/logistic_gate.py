"""The logistic gate of the self-gated functions: SiLU's x sigma(x) at beta = 1 (value and
derivatives as ``custom_jvp`` functions) and the logistic pieces silu and mish share.

Each derivative is written from the input and is itself a ``custom_jvp`` (so ``jax.hessian`` is
exact too). Used by silu, mish (``_logistic_pair``, ``_finite_or_zero``) and swiglu
(``_silu1``).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
from jax import lax

# Beyond |z| = 1e4 the gate is exactly 0 or 1 in every dtype and z sigma(-z) is 0.
_GATE_CLIP = 1e4
# sigma(z) is carried times 2^24 (never subnormal before the last product: sigma(-88) is).
_SIG_SCALE = 2.0**24


def _logistic_pair(z: jax.Array) -> tuple[jax.Array, jax.Array]:
    """``(sigma(z), sigma(-z))`` from one logistic of ``-|z|`` (no cancellation either side)."""
    q = lax.logistic(-jnp.abs(z))
    pos = z > 0
    return jnp.where(pos, 1 - q, q), jnp.where(pos, q, 1 - q)


def _finite_or_zero(z: jax.Array) -> jax.Array:
    # z * sigma(-z) -> 0 as z -> +inf; keeps inf * 0 from becoming NaN.
    return jnp.where(jnp.isinf(z), 0, z)


def _silu_slope(z: jax.Array, en: jax.Array) -> tuple[jax.Array, jax.Array]:
    """``(g, sigma sigma(-))`` at ``z`` from ``en = e**-z``: ``g = sigma(z) (1 + z sigma(-z))``.

    One division, by ``1 + en`` (huge for z << 0, so nothing between is subnormal).
    """
    dt = z.dtype.type
    qs = dt(_SIG_SCALE) / (1 + en)  # 2^24 sigma(z)
    pos = z > 0
    q = qs * dt(1 / _SIG_SCALE)
    sm = jnp.where(pos, en, -1) * q + jnp.where(pos, 0, 1)  # sigma(-z): e^-z sigma(z) or 1 - sigma
    zc = jnp.clip(z, -_GATE_CLIP, _GATE_CLIP)
    return ((1 + zc * sm) * qs) * dt(1 / _SIG_SCALE), q * sm


def _silu_second(z: jax.Array) -> jax.Array:
    """``g'(z) = sigma sigma(-z) (2 - z tanh(z/2))``, tanh(z/2) = sigma(z) - sigma(-z)."""
    s, sm = _logistic_pair(z)
    return s * sm * (2 - _finite_or_zero(z) * (s - sm))


@jax.custom_jvp
def _silu1_prime(x: jax.Array) -> jax.Array:
    return _silu_slope(x, jnp.exp(-x))[0]


_silu1_prime.defjvps(lambda t, ans, x: t * _silu_second(x))


@jax.custom_jvp
def _silu1(x: jax.Array) -> jax.Array:
    # x / (1 + e^-x), not x sigma(x): sigma(-88) is subnormal (flushed to 0), the quotient is
    # not. Beyond the clip the quotient is -x / inf = -0, also for x = -inf.
    return jnp.maximum(x, -_GATE_CLIP) / (1 + jnp.exp(-x))


_silu1.defjvps(lambda t, ans, x: t * _silu1_prime(x))
