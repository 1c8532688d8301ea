"""The logistic function and its kin: sigmoid, tanh, sech² and softplus as ``custom_jvp``
functions (tanh(x) = 2 sigma(2x) - 1, sech²(x) = 4 sigma'(2x), softplus' = sigma).

Every derivative is written from the input, never from the output (jax's ``ans * (1 - ans)``
is 0 once ``ans`` rounds to 1), and is itself a ``custom_jvp`` function, so second derivatives
are exact in the tails too. Used by the sigmoidal functions, softplus and glu.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
from jax import lax

from .expm1 import _expm1_reduced
from .floating_point import _dtype_name, _with_sign_of


# Value and derivative are built from the same s = sigma(-|x|) <= 1/2, so that under jit the
# forward and backward passes share one logistic, as jax's own rule does.
def _sigmoid_small(x: jax.Array) -> jax.Array:
    return lax.logistic(-jnp.abs(x))


@jax.custom_jvp
def _sigmoid(x: jax.Array) -> jax.Array:
    s = _sigmoid_small(x)
    return jnp.where(x > 0, 1 - s, s)  # 1 - s >= 1/2: no cancellation


@_sigmoid.defjvp
def _sigmoid_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x,), (t,) = primals, tangents
    # From the input, not ans * (1 - ans): exact in both tails.
    return _sigmoid(x), t * _sigmoid_prime(x)


@jax.custom_jvp
def _sigmoid_prime(x: jax.Array) -> jax.Array:
    # sigma(x) sigma(-x) = s (1 - s) with s = sigma(-|x|) <= 1/2, so 1 - s >= 1/2 does not
    # cancel: within 2.9 ULP (float32), where ans * (1 - ans) is 0 once ans rounds to 1. The
    # logistic is XLA's, as in the value, but of min(x, -x): the same number as the value's
    # -|x| in a different expression, so XLA does not merge the two. Merged, the logistic
    # would be shared by the forward and backward loops, and XLA on CPU then writes it to
    # memory between them. (It replaced sech^2(x/2)/4 from our expm1, which was slower
    # forward+backward; ``python -m benchmarks.speed --functions sigmoid`` gives today's ratio.)
    s = lax.logistic(jnp.minimum(x, -x))
    return s * (1 - s)


@_sigmoid_prime.defjvp
def _sigmoid_prime_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x,), (t,) = primals, tangents
    # sigma'' = sigma' (sigma(-x) - sigma(x)) = -sigma' tanh(x/2); the difference of sigmoids
    # cancels near 0, tanh does not.
    d = _sigmoid_prime(x)
    return d, t * (-d * _tanh(x / 2))


# tanh|x| rounds to 1 from |x| = 9.02 (float32) / 19.1 (float64) on; the clamps lie beyond.
_TANH_CLAMP = {"float32": 20.0, "float64": 40.0}
# sech^2 is below the accuracy floor (2^-100 / 2^-960) long before 2^n would overflow; beyond
# the clamp it is taken as its limit 0.
_SECH2_CLAMP = {"float32": 88.0, "float64": 709.0}


def _tanh_value(x: jax.Array) -> jax.Array:
    # tanh|x| = m / (m + 2), m = expm1(2|x|): the quotient's sensitivity to m is at most 1, so
    # it is within 2.5 ULP (measured over every float32 in [2^-30, 12]: 2.42 ULP), where
    # 1 - 2/(e^{2|x|} + 1) cancels for small |x|.
    m = _expm1_reduced(2 * jnp.abs(x), None, _TANH_CLAMP[_dtype_name(x)])
    return _with_sign_of(m / (m + 2), x)


@jax.custom_jvp
def _sech2(x: jax.Array) -> jax.Array:
    """``tanh'(x) = 1 / cosh^2(x)``, never from 1 - tanh^2 (which is 0 once tanh rounds to 1)."""
    # w (2 - w) with w = 2 / (e^{2|x|} + 1) = 1 - tanh|x|: insensitive to the rounding of w
    # where w ~ 1 and of relative accuracy ~w's beyond (2.85 ULP over every float32 up to 44).
    # Its own clamp, so under jit it shares no expensive intermediate with the value (XLA on
    # CPU would otherwise write that intermediate to memory between two loops). 4 s (1 - s)
    # with XLA's logistic s = sigma(-2|x|), as accurate, was slower when measured (run
    # ``python -m benchmarks.speed --functions tanh`` to compare the forward+backward ratios).
    z, clamp = 2 * jnp.abs(x), _SECH2_CLAMP[_dtype_name(x)]
    w = 2 / (_expm1_reduced(z, None, clamp) + 2)
    return jnp.where(z > clamp, 0, w * (2 - w))  # the limit 0, not the clamp's value


@_sech2.defjvp
def _sech2_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x,), (t,) = primals, tangents
    d = _sech2(x)
    return d, t * (-2 * d * _tanh(x))


@jax.custom_jvp
def _tanh(x: jax.Array) -> jax.Array:
    return _tanh_value(x)


@_tanh.defjvp
def _tanh_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x,), (t,) = primals, tangents
    return _tanh(x), t * _sech2(x)


@jax.custom_jvp
def _softplus(x: jax.Array) -> jax.Array:
    # No threshold switch to the identity (PyTorch's is wrong by 1.25e-9 at 20.5 in float64):
    # log1p(exp(-|x|)) never overflows and keeps every digit on both sides.
    return jnp.maximum(x, 0) + jnp.log1p(jnp.exp(-jnp.abs(x)))


@_softplus.defjvp
def _softplus_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x,), (t,) = primals, tangents
    return _softplus(x), t * _sigmoid(x)
