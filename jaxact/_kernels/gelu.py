"""GELU in its tanh and exact forms, value and derivatives as ``custom_jvp`` functions.

Each derivative is written from the input and is itself a ``custom_jvp`` (so ``jax.hessian``
is exact too). Inputs are clipped where an intermediate (``x**2``, ``x**3``, ``e**x``) would
overflow, at points where the gate is already exactly 0 or 1. The exponentials and the
double-word arguments come from ``exp`` and ``floating_point``; *fitted rationals* (mpmath,
near-minimax relative error) of the scaled complementary normal function
``R(t) = e**(t**2/2) Phi(-t)`` replace XLA's ``erfc`` (~50 ULP in the float32 tail).

Each formula is also written as a single XLA loop fusion on CPU: an expensive op (exp,
division) whose result has two users makes XLA write it to memory and read it back. Used by
gelu and geglu.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from .derivatives import _with_slope_and_curvature
from .exp import _EXP2_Q, _exp2_scaled, _exp_parts
from .floating_point import _dtype_name, _horner, _pow2, _split

_INV_SQRT_2PI = 0.3989422804014327


# tanh form: f = x sigma(w), w = 2 sqrt(2/pi) (x + 0.044715 x^3). e^(+-w) is evaluated as
# 2^(+-v), v = w log2(e) = x (Kv + Cv x^2), in double-word arithmetic: x = xh + xl (masked
# halves), x^2 = A + a (A = xh^2 exact), A = A1 + A2 with A1 on a 2^-g grid fine enough that
# Kv_hi + Cv_hi A1 is exact, and the product x P, P = Kv + Cv x^2, from the masked halves of x
# and P. The same scheme gives x w'(x) = x (K + 3 C x^2) for the derivative, where 1 + x w'
# cancels. Per dtype: (c_hi, c_lo, k_hi, k_lo, c) for v and for x w', the grid 2^g, the clip
# of x for f' (the gate is 0 resp. 1 beyond, and 2^v stays in range), the offset 2^shift of
# e^w in f', and the lower clip of x for f.
#
# Speed: XLA's CPU loop runs one vector of x at a time, so the chain of dependent operations
# per element costs about as much as their number: hence the Estrin-like 2^r (shorter than
# Horner's chain; ``python -m benchmarks.speed --functions gelu`` measures the ratio to
# jax.nn). f = x / (1 + e^-w) ends in one division right after the exponential (no product
# after it, no offset: x needs none to stay normal), and A1 does not wait for A. (The order
# of the double-word sums is XLA's: it reorders them.)
_GELU_TANH = {
    "float32": {
        "v": (0.102935791015625, 7.4485642471699975e-06, 2.3022079467773438,
              2.513669699055754e-07, 0.10294324159622192),
        "xdw": (0.25, -0.035935550928115845, 1.59375, 0.0020191215444356203,
                0.21406444907188416),
        "grid": 32.0, "lo": -10.75, "hi": 5.75, "shift": 28, "f_lo": -10.0546875,
    },
    "float64": {
        "v": (0.10294323787093163, 1.7090918620514112e-09, 2.3022081981443137,
              1.1233558506659262e-14, 0.1029432395800235),
        "xdw": (0.25, -0.03593555118219925, 1.595768928527832, 1.930778986805098e-07,
                0.21406444881780073),
        "grid": 65536.0, "lo": -21.55, "hi": 7.6, "shift": 64, "f_lo": -21.158203125,
    },
}  # fmt: skip
_K = 1.5957691216057308  # 2 sqrt(2/pi)
_KA6 = 0.42812889763560147  # 6 * 2 sqrt(2/pi) * 0.044715


class _TanhParts:
    """The double-word pieces of the tanh form at ``x`` clipped to ``[lo, hi]`` (``lo``: the
    clip for f')."""

    def __init__(self, x: jax.Array, lo: float | None = None):
        k = _GELU_TANH[_dtype_name(x)]
        dt = x.dtype.type
        self.k = k
        self.xn = jnp.maximum(x, dt(k["lo"] if lo is None else lo))  # NaN stays NaN
        self.xc = xc = jnp.minimum(self.xn, dt(k["hi"]))
        self.xh, self.xl = xh, xl = _split(xc)
        self.A = xh * xh  # exact
        self.a = xl * (xc + xh)  # x^2 - A
        # A1 on the grid within one grid step of A: from xc directly, not waiting for A.
        self.A1 = jnp.floor(xc * (xc * dt(k["grid"])))
        self.A2 = self.A - self.A1 * dt(1 / k["grid"])  # exact (A and A1 / grid are close)

    def times_x(self, c: tuple, sign: float = 1.0) -> tuple[jax.Array, jax.Array]:
        """``sign x (k + c x^2)`` as hi + lo, for ``c = (c_hi, c_lo, k_hi, k_lo, c)``."""
        c_hi, c_lo, k_hi, k_lo, c_full = (self.xc.dtype.type(sign * v) for v in c)
        grid = self.xc.dtype.type(1 / self.k["grid"])
        ph = k_hi + (c_hi * grid) * self.A1  # exact
        pl = c_hi * self.A2 + (c_full * self.a + (c_lo * self.A + k_lo))
        p1, p2 = _split(ph)
        return self.xh * p1, self.xc * pl + (self.xh * p2 + self.xl * ph)

    def times_x_rel(self, c: tuple) -> tuple[jax.Array, jax.Array]:
        """``x (k + c x^2)`` as hi + lo to a relative (not absolute) 2^-26 / 2^-55: ``k_hi`` and
        ``c_hi / grid`` on a grid coarse enough that the high part of ``k + c x^2`` has half
        the bits and needs no split; its low part is larger, but only relative to the result."""
        c_hi, c_lo, k_hi, k_lo, c_full = (self.xc.dtype.type(v) for v in c)
        grid = self.xc.dtype.type(1 / self.k["grid"])
        ph = k_hi + (c_hi * grid) * self.A1  # exact, half the bits
        pl = c_hi * self.A2 + (c_full * self.a + (c_lo * self.A + k_lo))
        return self.xh * ph, self.xl * ph + self.xc * pl

    def reduced(self, sign: float) -> tuple[jax.Array, jax.Array]:
        """``(n, r)`` with ``sign v = n + r``, ``n`` integer-valued and ``|r| <= 0.7``."""
        vh, vl = self.times_x(self.k["v"], sign)
        n = jnp.round(vh)
        return n, (vh - n) + vl  # vh - n is exact

    def gate(self) -> tuple[jax.Array, jax.Array]:
        """``(E, one)``: ``E = 2^shift e^w`` and ``one = 2^shift``."""
        n, r = self.reduced(1.0)
        shift = self.k["shift"]
        return _exp2_scaled(n, r, shift), self.xc.dtype.type(2.0**shift)


def _gelu_tanh_value(x: jax.Array) -> jax.Array:
    # x sigma(w) = x / (1 + 2^n 2^r), -v = n + r: one division right after the exponential. At
    # f_lo, n is the first exponent past the largest finite one (128 / 1024; -v = 127.79 /
    # 1023.78 there, so r < 0) and 2^n built from its bits is +inf: x / inf = -0 from there
    # to -inf (f < 2^-124 / 2^-1000 there), f(-inf) = 0 with no offset on x. 2^r = 1 + Q0 r +
    # r^2 R(r) is split so that the polynomial and the product by 2^n overlap; every term
    # stays positive (r^2 > 0 where 2^n = inf), so inf never meets 0 or -inf.
    k = _GELU_TANH[_dtype_name(x)]
    p = _TanhParts(x, k["f_lo"])
    n, r = p.reduced(-1.0)
    q = _EXP2_Q[_dtype_name(r)]
    r2 = r * r
    if len(q) == 6:  # float32: R by pairs (Estrin), shorter than Horner
        rest = (q[1] + q[2] * r) + r2 * ((q[3] + q[4] * r) + r2 * q[5])
    else:
        rest = _horner(q[1:], r)
    scale = _pow2(n)
    return p.xn / ((1 + scale * (1 + q[0] * r)) + (scale * r2) * rest)


def _gelu_tanh_slope(x: jax.Array) -> jax.Array:
    # f' = sigma(w) (1 + x w' sigma(-w)) = e^w (1 + x w' + e^w) / (1 + e^w)^2, with 1 + x w'
    # (which cancels for x < -0.75) from x w' in double-word, scaled by 2^shift with e^w.
    p = _TanhParts(x)
    E, one = p.gate()
    th, tl = p.times_x_rel(p.k["xdw"])
    t = ((1 + th) + tl) * one  # 2^shift (1 + x w')
    return (E * (t + E)) / (one * one + E * (2 * one + E))


def _gelu_tanh_curvature(x: jax.Array) -> jax.Array:
    # f'' = s'(w) (2 w' + x w'') + x s''(w) w'^2, s' = sigma sigma(-), s'' = s' (sigma(-) - sigma).
    p = _TanhParts(x)
    E, one = p.gate()
    d = one + E
    sp = (E * one) / (d * d)
    diff = (one - E) / d
    xc = p.xc
    dw = _K * (1 + (3 * 0.044715) * (xc * xc))
    return sp * (2 * dw + xc * (_KA6 * xc) + xc * dw * dw * diff)


_gelu_tanh, _gelu_tanh_prime = _with_slope_and_curvature(
    _gelu_tanh_value, _gelu_tanh_slope, _gelu_tanh_curvature
)


# Exact form: Phi(x) = E R(t) for x < 0 and 1 - E R(t) for x >= 0, t = |x|, E = e^(-t^2/2)
# (t^2 in double-word), R(t) = e^(t^2/2) Phi(-t) = erfcx(t / sqrt 2) / 2; f' = Phi + x phi =
# E S resp. 1 - E S with S = R - t / sqrt(2 pi). R is a rational fit on [0, t_max] (mpmath:
# Loeb's linearised least squares with Lawson weights, near-minimax relative error 2^-27 for
# float32, degrees 4/5, and 2^-60 for float64, degrees 10/11). The float32 coefficients are
# scaled by 1.5 before rounding, so that p(0) = 0.75 and q(0) = 1.5 are not just above a power
# of two, where one rounding is relatively twice as coarse (R(0) = 1/2 is just below one).
# Beyond t_max, E is below the smallest subnormal: f and f' are exactly 0 resp. x and 1.
# With the coefficients rounded, R is within 2^-25.6 / 2^-54.5. Regenerate with
# `python -m tools.fit_gelu_exact` (about a minute).
_GELU_EXACT = {
    "float32": {
        "R": ((0.75, 0.6574557423591614, 0.2748613655567169, 0.06095238775014877,
               0.006174726877361536),
              (1.5, 2.5117390155792236, 1.8037933111190796, 0.704228401184082,
               0.15279464423656464, 0.015477565117180347)),
        "inv_sqrt_2pi": (0.39892578125, 1.6499150660820305e-05),
        "t_max": 14.5, "shift": 28,
    },
    "float64": {
        "R": ((0.5, 0.8277663334769002, 0.6793630670292127, 0.3571560056175822,
               0.1319539983588757, 0.03563658452659407, 0.007115293423903984,
               0.001038393987391851, 0.00010641275458612343, 6.963671062473439e-06,
               2.2371838553746084e-07),
              (1.0, 2.453417227756666, 2.8162698612932284, 2.0006231590048604,
               0.9795539723698423, 0.34806714495921753, 0.09189562774115717,
               0.018101011331249854, 0.0026203230639915993, 0.00026729799825445783,
               1.7455334780456197e-05, 5.607788307428664e-07)),
        "inv_sqrt_2pi": (0.3989422768354416, 3.5659910885844774e-09),
        "t_max": 38.7, "shift": 64,
    },
}  # fmt: skip


def _gelu_exact_parts(x: jax.Array) -> tuple[dict, jax.Array, jax.Array, jax.Array, jax.Array]:
    """``(constants, t, th, scale, s)``: ``2^shift e^(-t^2/2) = scale (1 + s)``,
    ``t = min(|x|, t_max)``, ``th`` its masked high half."""
    k = _GELU_EXACT[_dtype_name(x)]
    t = jnp.minimum(jnp.abs(x), x.dtype.type(k["t_max"]))
    th, tl = _split(t)
    half = x.dtype.type(-0.5)
    scale, s = _exp_parts(half * (th * th), half * (tl * (t + th)), k["shift"])
    return k, t, th, scale, s


def _estrin(coefficients: tuple[float, ...], y: jax.Array) -> jax.Array:
    """``sum(c[k] * y**k)`` (lowest degree first) by Estrin's scheme: log2(n) dependent steps
    instead of Horner's n, whose rounding errors add up where the high terms dominate."""
    c = coefficients
    terms = [c[i] + c[i + 1] * y for i in range(0, len(c) - 1, 2)]
    if len(c) % 2:
        terms.append(jnp.full_like(y, c[-1]))
    power = y * y
    while len(terms) > 1:
        paired = [terms[i] + terms[i + 1] * power for i in range(0, len(terms) - 1, 2)]
        terms = paired + ([terms[-1]] if len(terms) % 2 else [])
        power = power * power
    return terms[0]


def _scaled_rational(pq: tuple, t: jax.Array, shift: int) -> jax.Array:
    """``p(t) / q(t) * 2^-shift`` for degrees differing by one. The longer polynomial is
    ``c0 + t (...)`` so that both remaining ones have the same length and are evaluated by
    the same Estrin scheme: where t is large their leading terms share one rounded power of
    t, whose rounding cancels in the quotient (Horner's errors add up there)."""
    p, q = pq
    up = 2.0**-shift
    p = tuple(c * up for c in p)
    if len(q) > len(p):
        return _estrin(p, t) / (q[0] + t * _estrin(q[1:], t))
    return (p[0] + t * _estrin(p[1:], t)) / _estrin(q, t)


def _erfc_like(x: jax.Array, derivative: bool) -> tuple[jax.Array, jax.Array]:
    """``(g, x < 0)`` with ``g = E R(t) = Phi(-t)``, or ``E S(t)`` for the derivative.

    ``S = R - t / sqrt(2 pi)`` cancels for t ~ 1-3, so ``t / sqrt(2 pi)`` is subtracted in two
    parts, the first exact (masked halves): S is then as accurate as R.
    """
    k, t, th, scale, s = _gelu_exact_parts(x)
    r = _scaled_rational(k["R"], t, k["shift"])
    if derivative:
        c_hi, c_lo = (x.dtype.type(c * 2.0 ** -k["shift"]) for c in k["inv_sqrt_2pi"])
        r = (r - c_hi * th) - (c_hi * (t - th) + c_lo * t)
    u = scale * r  # exact: scale is a power of two
    return u + u * s, x < 0


def _gelu_exact_curvature(x: jax.Array) -> jax.Array:
    k, t, _, scale, s = _gelu_exact_parts(x)
    c = x.dtype.type(_INV_SQRT_2PI * 2.0 ** -k["shift"])
    return (c * (scale + scale * s)) * (2 - t * t)  # phi(x) (2 - x^2)


def _gelu_exact_slope(x: jax.Array) -> jax.Array:
    g, neg = _erfc_like(x, derivative=True)
    # E S for x < 0, else 1 - E S; written with g used once (XLA keeps it in one fusion).
    return jnp.where(neg, 1, -1) * g + jnp.where(neg, 0, 1)


def _gelu_exact_value(x: jax.Array) -> jax.Array:
    g, neg = _erfc_like(x, derivative=False)
    # x E R for x < 0, else x - x E R (one rounding where XLA contracts it into an FMA; 1 - E R
    # rounded first costs a ULP of f near 0). Beyond t_max, E R = 0 and the clip keeps
    # +-inf * 0 from becoming NaN.
    t_max = x.dtype.type(_GELU_EXACT[_dtype_name(x)]["t_max"])
    return jnp.clip(x, -t_max, t_max) * (jnp.where(neg, 1, -1) * g) + jnp.where(neg, 0, x)


_gelu_exact, _gelu_exact_prime = _with_slope_and_curvature(
    _gelu_exact_value, _gelu_exact_slope, _gelu_exact_curvature
)
