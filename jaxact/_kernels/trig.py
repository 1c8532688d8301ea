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

from .floating_point import _dtype_name, _split, _two_prod, _two_sum

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


# π as three words per dtype (float32: as π/4 above; float64: π's leading double, its tail
# and the tail's tail), for the reduction of t + π/4 by a multiple of π.
_PI = {
    "float32": _three_words(math.pi, 4 * _PI4_TAIL64),
    "float64": (math.pi, 1.2246467991473532e-16, -2.9947698097183397e-33),
}
_QUARTER_PI_REDUCTION = {
    "float32": _QUARTER_PI["float32"],
    "float64": (math.pi / 4, _PI4_TAIL64, -7.486924524295849e-34),
}
# Below these |w x| the multiple k of π has at most 22 (float32) / 40 (float64) bits: k π is
# then carried to 2^-48 (float32) / 2^-120 (float64). The float32 bound covers the range where
# the accuracy grids score snake' (|2 w x| < 2^24).
_REDUCED_BELOW = {"float32": 2.0**23, "float64": 2.0**40}


def _split_products(a: jax.Array, b: jax.Array) -> list[jax.Array]:
    """``a b`` as the four exact partial products of :func:`_split` (largest first)."""
    ah, al = _split(a)
    bh, bl = _split(b)
    return [ah * bh, ah * bl, al * bh, al * bl]


def _sin_squared_plus_quarter_pi(w: jax.Array, x: jax.Array) -> jax.Array:
    """``sin²(w x + π/4)``, its argument reduced by ``k π`` from exact partial products, for
    ``|w x|`` below ``_REDUCED_BELOW`` (1/2 beyond, and where ``w x`` is not finite: there
    ``1 + sin(2t)`` as written is as exact as promised, a few ULP of 1).

    ``1 + sin(2t) = 2 sin²(t + π/4)`` is 0 where ``t + π/4 = k π``. Near there the double word
    ``t + π/4`` of :func:`_sin_plus_quarter_pi` holds the argument to about 2^-46 relative to
    ``t`` only (its words are rounded sums, and ``sin`` of a float near ``k π`` reduces it to
    about that), which at the floats nearest a zero was up to 10^3 ULP of the square, in
    float32 and float64. Here ``r = w x + π/4 − k π`` is summed from exact terms: the four
    partial products of ``w x`` and of ``k π₁`` (``_split``), ``k π₂`` (``_two_prod``) and
    ``k π₃``, and π/4 in three words. The two largest products cancel exactly (Sterbenz), π/4
    comes next, so that the partial sums stay near ``2^-11 |w x|``, and the rounding errors
    of the sum are kept (two-sum): ``r`` is within about 2^-60 |w x| (float32) of the truth.
    """
    name = _dtype_name(w * x)
    t = w * x
    near = jnp.abs(t) < _REDUCED_BELOW[name]
    w, x = jnp.where(near, w, 0), jnp.where(near, x, 0)
    p1, p2, p3 = _PI[name]
    q1, q2, q3 = _QUARTER_PI_REDUCTION[name]
    k = jnp.round((jnp.where(near, t, 0) + q1) * (1 / math.pi))
    big, *medium, small = _split_products(w, x)
    kbig, *kmedium, ksmall = _split_products(k, jnp.asarray(p1, t.dtype))
    k2_hi, k2_lo = _two_prod(k, jnp.asarray(p2, t.dtype))
    total, err = _two_sum(big - kbig, jnp.asarray(q1, t.dtype))  # big - kbig: exact (Sterbenz)
    for term in (*medium, *(-v for v in kmedium), small, -ksmall, -k2_hi, q2):
        total, e = _two_sum(total, term)
        err = err + e
    r, r_lo = _two_sum(total, err + ((q3 - k2_lo) - k * p3))
    v = jnp.sin(r) + jnp.cos(r) * r_lo  # 1/2 where not near (w = x = 0: r = π/4)
    return v * v
