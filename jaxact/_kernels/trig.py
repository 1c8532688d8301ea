"""sin and cos of a product ``w x`` carried as a double word (the periodic activations).

``sin(fl(w x))`` is not ``sin(w x)``: rounding ``w x`` moves the argument by up to half an ULP
of ``w x``, which near a zero of the sine (and for large ``w x``) is a large relative error of
the result. The product is split into ``hi + lo`` (``floating_point._two_prod``: exact in
float32, within 2^-106 of the product in float64) and
``sin(hi + lo) = sin(hi) cos(lo) + cos(hi) sin(lo)``; XLA's ``sin``/``cos`` reduce their
argument exactly (measured within 0.6 ULP in float32 up to 3e38). Where ``|lo| < 1`` (products
below 2^24 in float32, 2^53 in float64) this is relatively accurate, also near the zeros of the
sine; beyond, it is an angle sum, accurate to a few ULP of 1. They import no function module.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np

from .floating_point import _dtype_name, _two_prod, _two_sum

# Below these magnitudes the partial products of the split underflow (XLA on CPU flushes them
# to 0), and the split is no longer exact; there fl(w x) alone is within half an ULP of w x, and
# sin, tanh, ... of an argument below 1 amplify its rounding by at most 1.
_TINY_PRODUCT = {"float32": 2.0**-60, "float64": 2.0**-900}


def _product(w: jax.Array, x: jax.Array) -> tuple[jax.Array, jax.Array]:
    """``w x = hi + lo`` exactly (``lo = 0`` where the product is tiny or not finite)."""
    hi, lo = _two_prod(w, x)
    plain = w * x
    exact = jnp.isfinite(hi) & (jnp.abs(plain) >= _TINY_PRODUCT[_dtype_name(plain)])
    return jnp.where(exact, hi, plain), jnp.where(exact, lo, 0)


def _sin_cos(hi: jax.Array, lo: jax.Array) -> tuple[jax.Array, jax.Array]:
    """``(sin(hi + lo), cos(hi + lo))`` for a double word ``hi + lo`` (``|lo| <= ulp(hi)/2``)."""
    s, c = jnp.sin(hi), jnp.cos(hi)
    sl, cl = jnp.sin(lo), jnp.cos(lo)
    return s * cl + c * sl, c * cl - s * sl


# π/4 as three words per dtype, each the rounding of what the previous ones leave: float64's
# tail is π's (1.2246467991473532e-16) over 4; for float32 the remainders are formed in float64
# (exactly: each word of float32 holds 24 bits of a 53-bit float64).
_PI4_TAIL64 = 1.2246467991473532e-16 / 4


def _three_words(hi64: float, lo64: float) -> tuple[float, float, float]:
    w1 = float(np.float32(hi64))
    r = hi64 - w1  # exact: w1 is hi64's leading 24 bits
    w2 = float(np.float32(r))
    w3 = float(np.float32((r - w2) + lo64))
    return w1, w2, w3


_QUARTER_PI = {
    "float32": _three_words(math.pi / 4, _PI4_TAIL64),
    "float64": (math.pi / 4, _PI4_TAIL64, 0.0),
}


def _sin_plus_quarter_pi(hi: jax.Array, lo: jax.Array) -> tuple[jax.Array, jax.Array]:
    """``(sin(t + π/4), cos(t + π/4))`` for ``t = hi + lo``, with ``t + π/4`` a double word.

    ``1 + sin(2t) = 2 sin²(t + π/4)``: a square with no cancellation at its zeros. ``lo + π/4``
    is summed first (exactly), then added to ``hi``: ``lo`` may exceed π/4 where ``|t|`` is large.
    """
    q1, q2, q3 = _QUARTER_PI[_dtype_name(hi)]
    g, g_err = _two_sum(lo, jnp.asarray(q1, hi.dtype))
    w, e = _two_sum(hi, g)
    return _sin_cos(w, e + ((g_err + q2) + q3))
