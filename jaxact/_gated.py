"""Self-gated activations: x times a smooth gate of x (SiLU/Swish, GELU, Mish).

Each value and derivative is written from the input with a ``custom_jvp`` whose derivative is
itself a ``custom_jvp`` (so ``jax.hessian`` is exact too). Inputs are clipped where an
intermediate (``x**2``, ``x**3``, ``e**x``) would overflow, at points where the gate is already
exactly 0 or 1.

Three tools keep f and f' within a few ULP over all finite inputs, using only float32
arithmetic in float32 (TPU has no float64) and no FMA assumption (XLA may or may not contract):

- *Exponentials by hand* (:func:`_exp_parts`, :func:`_exp2_parts`): Cody-Waite reduction, a
  fitted polynomial and a power of two built from its bits. The argument may carry a low part
  (a double-word argument), and the result comes as ``scale * (1 + s)`` times a fixed power of
  two, so that it stays normal where ``e**x`` is subnormal (XLA flushes those to 0: silu'(-88)
  and mish(-88) are still 5 ULP above the accuracy floor there).
- *Double-word arguments*: ``e**w`` turns an absolute error of ``w`` into a relative error of
  the result (``w = -80`` rounded is 40 ULP off), so ``x**2/2`` (exact GELU) and the tanh form's
  ``w = 2 sqrt(2/pi) (x + 0.044715 x**3)`` are formed from masked splits, whose partial
  products are exact with or without FMA contraction. No error-free sum involves a literal
  constant: XLA folds ``(c + b) - c`` to ``b``.
- *Fitted rationals* (mpmath, near-minimax relative error) of the scaled complementary normal
  function ``R(t) = e**(t**2/2) Phi(-t)`` replace XLA's ``erfc`` (~50 ULP in the float32 tail).

Each formula is also written as a single XLA loop fusion on CPU: an expensive op (exp,
division) whose result has two users makes XLA write it to memory and read it back.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from ._kernels_expm1 import _INT, _LOG2E, _REDUCTION, _dtype_name, _horner
from ._numerics import as_inexact, check_choice, check_real_param, in_float32, is_concrete
from ._registry import Equivalents, Interval, Param, Reference, activation

# -- exponentials by hand ----------------------------------------------------------------------

# e^r - 1 = r q(r) on |r| <= 0.375 and 2^r - 1 = r q(r) on |r| <= 0.58 (Chebyshev fits with
# mpmath). Max relative error of 1 + r q against e^r: 2^-26.7 / 2^-61.4, against 2^r: 2^-26.0 /
# 2^-60.1; with the coefficients rounded to the dtype 2^-25.7 / 2^-59.3 and 2^-25.1 / 2^-55.1.
# Regenerate with `python -m tools.fit_expm1`.
_EXPM1_Q = {
    "float32": (1.0, 0.5, 0.16666445136070251, 0.041666388511657715, 0.008375277742743492,
                0.0013941297074779868),
    "float64": (1.0, 0.5, 0.166666666666667, 0.04166666666666669, 0.008333333333307524,
                0.0013888888888870458, 0.00019841269919567656, 2.480158735750137e-05,
                2.755721186454722e-06, 2.755724255459937e-07, 2.5119942607549523e-08,
                2.0925202398064674e-09),
}  # fmt: skip
_EXP2M1_Q = {
    "float32": (0.6931471824645996, 0.24022650718688965, 0.055503133684396744,
                0.009618044830858707, 0.0013410717947408557, 0.00015470350626856089),
    "float64": (0.6931471805599453, 0.24022650695910072, 0.055504108664821784,
                0.009618129107628487, 0.0013333558146356366, 0.00015403530393345933,
                1.5252733895467186e-05, 1.3215486835388517e-06, 1.0178033617127789e-07,
                7.054885687389604e-09, 4.459375679954227e-10, 2.5746933350652342e-11),
}  # fmt: skip


def _scale(n: jax.Array, shift: int) -> jax.Array:
    """``2**(n + shift)`` for an integer-valued float ``n`` (``n + shift`` in the normal range)."""
    name = _dtype_name(n)
    _, _, shifter, bits, one = _REDUCTION[name]
    signed, _ = _INT[name]
    k = lax.bitcast_convert_type(n + shifter, signed)  # n in the low bits
    return lax.bitcast_convert_type((k << bits) + signed(one + (shift << bits)), n.dtype)


def _exp_parts(hi: jax.Array, lo: jax.Array | None, shift: int) -> tuple[jax.Array, jax.Array]:
    """``(scale, s)`` with ``2**shift * e**(hi + lo) = scale * (1 + s)`` within ~0.6 ULP.

    ``hi`` is exact; ``|lo| <= 0.03``; ``hi / ln 2 + shift`` must stay in the normal exponent
    range. Keeping ``1 + s`` unrounded lets the caller fold it into its next product.
    """
    name = _dtype_name(hi)
    ln2_hi, ln2_lo, _, _, _ = _REDUCTION[name]
    n = jnp.round(hi * _LOG2E)
    r = (hi - n * ln2_hi) - n * ln2_lo  # n ln2_hi is exact, the difference too (Sterbenz)
    if lo is not None:
        r = r + lo
    return _scale(n, shift), r * _horner(_EXPM1_Q[name], r)


def _exp2_parts(hi: jax.Array, lo: jax.Array, shift: int) -> tuple[jax.Array, jax.Array]:
    """``(scale, s)`` with ``2**(hi + lo + shift) = scale * (1 + s)``; ``|lo| <= 0.08``."""
    n = jnp.round(hi)
    r = (hi - n) + lo
    return _scale(n, shift), r * _horner(_EXP2M1_Q[_dtype_name(hi)], r)


# -- double-word helpers -----------------------------------------------------------------------


def _split(a: jax.Array) -> tuple[jax.Array, jax.Array]:
    """``a = hi + lo`` with ``hi`` holding the leading 12 (float32) / 26 (float64) bits.

    Masking the low mantissa bits (not Veltkamp's (2^s + 1) a trick, which compilers break by
    contracting into FMAs under jit) leaves halves whose products are exact.
    """
    if a.dtype == jnp.float64:
        bits = lax.bitcast_convert_type(a, jnp.uint64) & np.uint64(0xFFFFFFFFF8000000)
        hi = lax.bitcast_convert_type(bits, jnp.float64)
    else:
        bits = lax.bitcast_convert_type(a, jnp.uint32) & np.uint32(0xFFFFF000)
        hi = lax.bitcast_convert_type(bits, jnp.float32)
    return hi, a - hi


def _two_prod(a: jax.Array, b: jax.Array) -> tuple[jax.Array, jax.Array]:
    """``a b = hi + lo`` from exact partial products only (``a * b`` itself is never formed:
    contracted into an FMA with a partial product it would no longer round the same)."""
    ah, al = _split(a)
    bh, bl = _split(b)
    t1, m = ah * bh, ah * bl + al * bh
    em = (ah * bl - (m - (m - ah * bl))) + (al * bh - (m - ah * bl))
    hi = t1 + m
    return hi, ((t1 - hi) + m) + (em + al * bl)


# -- SiLU / Swish ------------------------------------------------------------------------------

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


def _beta_arg(x: jax.Array, beta: jax.Array) -> tuple[jax.Array, jax.Array]:
    """``z = beta x`` as ``hi + lo`` (e^z amplifies the rounding of beta x: 40 ULP at -80)."""
    finite = jnp.isfinite(x)
    hi, lo = _two_prod(jnp.where(finite, x, 0), beta)
    z = jnp.where(finite, hi, beta * x)
    z = jnp.where(jnp.isnan(z) & ~jnp.isnan(x), 0, z)  # beta = 0, x = +-inf: the gate is 1/2
    return z, jnp.where(jnp.isfinite(hi), lo, 0)


def _neg_exp(z: jax.Array, lo: jax.Array) -> jax.Array:
    """``e**-(z + lo)``; plain e**-z where it overflows (lo is irrelevant there)."""
    e = jnp.exp(-z)
    return jnp.where(z < -80, e, e - e * lo)


@jax.custom_jvp
def _silu_prime(x: jax.Array, beta: jax.Array) -> jax.Array:
    z, lo = _beta_arg(x, beta)
    return _silu_slope(z, _neg_exp(z, lo))[0]


@_silu_prime.defjvp
def _silu_prime_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x, beta), (tx, tb) = primals, tangents
    z, _ = _beta_arg(x, beta)
    second = _silu_second(z)
    return _silu_prime(x, beta), tx * (beta * second) + tb * (_finite_or_zero(x) * second)


@jax.custom_jvp
def _silu(x: jax.Array, beta: jax.Array) -> jax.Array:
    z, lo = _beta_arg(x, beta)
    return jnp.where(jnp.isneginf(x) & (beta > 0), 0, x / (1 + _neg_exp(z, lo)))


@_silu.defjvp
def _silu_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x, beta), (tx, tb) = primals, tangents
    z, lo = _beta_arg(x, beta)
    _, ssm = _silu_slope(z, _neg_exp(z, lo))
    # d/dbeta = x^2 sigma'(z), as x (x sigma'(z)) so that x^2 never overflows to inf * 0.
    xf = _finite_or_zero(x)
    return _silu(x, beta), tx * _silu_prime(x, beta) + tb * (xf * (xf * ssm))


@activation(
    name="silu",
    aliases=("swish",),
    display_name="SiLU / Swish",
    family="self-gated",
    summary="x·σ(βx): a smooth, non-monotonic ReLU; Swish-1 is the SiLU.",
    formula=r"f(x) = x\,\sigma(\beta x) = \frac{x}{1 + e^{-\beta x}}",
    derivative=r"f'(x) = \sigma(\beta x)\,\bigl(1 + \beta x\,\sigma(-\beta x)\bigr)",
    output_range=Interval(-0.2784645427610738, math.inf, lo_open=False),
    params=(
        Param(
            "beta",
            1.0,
            "gate sharpness: 0 gives x/2, 1 the SiLU, large values approach ReLU",
            Interval(0.0, math.inf, lo_open=False),
            r"\beta",
            (0.5, 1.0, 2.0),
        ),
    ),
    monotonic=False,
    smoothness="Cinf",
    zero_at_zero=True,
    zero_centred=False,
    left_saturating=True,
    right_saturating=False,
    year=2016,
    references=(
        Reference(
            "D. Hendrycks, K. Gimpel",
            "Gaussian Error Linear Units (GELUs)",
            2016,
            "arXiv:1606.08415",
            "https://arxiv.org/abs/1606.08415",
        ),
        Reference(
            "S. Elfwing, E. Uchibe, K. Doya",
            "Sigmoid-weighted linear units for neural network function approximation in "
            "reinforcement learning",
            2018,
            "Neural Networks 107",
            "https://doi.org/10.1016/j.neunet.2017.12.012",
        ),
        Reference(
            "P. Ramachandran, B. Zoph, Q. V. Le",
            "Searching for Activation Functions",
            2017,
            "arXiv:1710.05941",
            "https://arxiv.org/abs/1710.05941",
        ),
    ),
    equivalents=Equivalents("jax.nn.silu", "torch.nn.SiLU", "keras.activations.silu"),
    conventions=(
        "beta = 1 is jax.nn.silu / jax.nn.swish; beta is differentiable (learnable Swish).",
        "f(−inf) = 0 and f'(+inf) = 1; the derivative is computed from the input, "
        "not from σ(x)(1 − σ(x)).",
    ),
    reference=lambda mp, x, beta=1.0: x / (1 + mp.exp(-mp.mpf(beta) * x)),
    reference_derivative=lambda mp, x, beta=1.0: (lambda s, z: s * (1 + z * (1 - s)))(
        1 / (1 + mp.exp(-mp.mpf(beta) * x)), mp.mpf(beta) * x
    ),
    critical_points=(-1.2784645427610738,),
    plot_range=(-6.0, 4.0),
)
def silu(x: Any, beta: Any = 1.0) -> jax.Array:
    r"""SiLU (sigmoid-weighted linear unit), or Swish-$\beta$.

    $$f(x) = x\,\sigma(\beta x), \qquad
      f'(x) = \sigma(\beta x)\bigl(1 + \beta x\,\sigma(-\beta x)\bigr)$$

    With ``beta=1`` this is ``jax.nn.silu`` (also called ``swish``), exact in the tails:
    ``silu(-20)`` is $-4.1\cdot 10^{-8}$ in float32, and float16/bfloat16 inputs are computed
    in float32 and rounded once.

    Args:
        x: input array.
        beta: gate sharpness $\beta \ge 0$ (a scalar or an array broadcastable to ``x``).

    Returns:
        An array of the (floating) dtype of ``x``.

    Examples:
        >>> jaxact.silu(jnp.array([-2.0, 0.0, 2.0]))
        Array([-0.23840584,  0.        ,  1.761594  ], dtype=float32)
        >>> jaxact.silu(jnp.array([-2.0, 0.0, 2.0]), beta=2.0)
        Array([-0.03597242,  0.        ,  1.9640275 ], dtype=float32)
    """
    check_real_param("silu", "beta", beta, Interval(0.0, math.inf, lo_open=False))
    x = as_inexact(x, "silu")
    if is_concrete(beta) and np.ndim(beta) == 0 and float(beta) == 1.0:
        return _silu1_any(x)  # beta x = x exactly: no double-word argument, as cheap as jax.nn
    return _silu_any(x, beta)


@jax.jit
@in_float32
def _silu_any(x: jax.Array, beta: Any) -> jax.Array:
    return _silu(x, jnp.asarray(beta, x.dtype))


@jax.jit
@in_float32
def _silu1_any(x: jax.Array) -> jax.Array:
    return _silu1(x)


# -- GELU --------------------------------------------------------------------------------------

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
# per element costs about as much as their number (measured, single core: Estrin-like 2^r
# took f from 1.17x to 1.03-1.06x jax.nn). f = x / (1 + e^-w) ends in one division right
# after the exponential (no product after it, no offset: x needs none to stay normal), and A1
# does not wait for A. (The order of the double-word sums is XLA's: it reorders them.)
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


def _exp2_scaled(n: jax.Array, r: jax.Array, shift: int) -> jax.Array:
    """``2**(n + shift) * 2**r``, ``n`` integer-valued, ``|r| <= 0.7``: ``2**r - 1 = r q(r)``,
    with q by pairs (Estrin) in float32, a shorter chain than Horner's."""
    q = _EXP2M1_Q[_dtype_name(r)]
    if len(q) == 6:
        r2 = r * r
        qr = (q[0] + q[1] * r) + r2 * ((q[2] + q[3] * r) + r2 * (q[4] + q[5] * r))
    else:
        qr = _horner(q, r)
    scale = _scale(n, shift)
    return scale + (scale * r) * qr


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
    q = _EXP2M1_Q[_dtype_name(r)]
    r2 = r * r
    if len(q) == 6:  # float32: R by pairs (Estrin), shorter than Horner
        rest = (q[1] + q[2] * r) + r2 * ((q[3] + q[4] * r) + r2 * q[5])
    else:
        rest = _horner(q[1:], r)
    scale = _scale(n, 0)
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


@jax.custom_jvp
def _gelu_tanh_prime(x: jax.Array) -> jax.Array:
    return _gelu_tanh_slope(x)


_gelu_tanh_prime.defjvps(lambda t, ans, x: t * _gelu_tanh_curvature(x))


@jax.custom_jvp
def _gelu_tanh(x: jax.Array) -> jax.Array:
    return _gelu_tanh_value(x)


_gelu_tanh.defjvps(lambda t, ans, x: t * _gelu_tanh_prime(x))


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


@jax.custom_jvp
def _gelu_exact_prime(x: jax.Array) -> jax.Array:
    g, neg = _erfc_like(x, derivative=True)
    # E S for x < 0, else 1 - E S; written with g used once (XLA keeps it in one fusion).
    return jnp.where(neg, 1, -1) * g + jnp.where(neg, 0, 1)


_gelu_exact_prime.defjvps(lambda t, ans, x: t * _gelu_exact_curvature(x))


@jax.custom_jvp
def _gelu_exact(x: jax.Array) -> jax.Array:
    g, neg = _erfc_like(x, derivative=False)
    # x E R for x < 0, else x - x E R (one rounding where XLA contracts it into an FMA; 1 - E R
    # rounded first costs a ULP of f near 0). Beyond t_max, E R = 0 and the clip keeps
    # +-inf * 0 from becoming NaN.
    t_max = x.dtype.type(_GELU_EXACT[_dtype_name(x)]["t_max"])
    return jnp.clip(x, -t_max, t_max) * (jnp.where(neg, 1, -1) * g) + jnp.where(neg, 0, x)


_gelu_exact.defjvps(lambda t, ans, x: t * _gelu_exact_prime(x))


def _gelu_reference(mp: Any, x: Any, approximate: bool = True) -> Any:
    if abs(x) > 1e4:  # beyond, x Phi(x) is x or 0 to far below any float's resolution
        return x if x > 0 else mp.mpf(0)
    if approximate:
        u = mp.sqrt(2 / mp.pi) * (x + mp.mpf("0.044715") * x**3)
        return x / (1 + mp.exp(-2 * u))
    return x * mp.erfc(-x / mp.sqrt(2)) / 2


def _gelu_reference_derivative(mp: Any, x: Any, approximate: bool = True) -> Any:
    if abs(x) > 1e4:
        return mp.mpf(1) if x > 0 else mp.mpf(0)
    if approximate:
        a = mp.mpf("0.044715")
        c = mp.sqrt(2 / mp.pi)
        w = 2 * c * (x + a * x**3)
        s = 1 / (1 + mp.exp(-w))
        return s + x * s * (1 - s) * 2 * c * (1 + 3 * a * x**2)
    return mp.erfc(-x / mp.sqrt(2)) / 2 + x * mp.npdf(x)


@activation(
    name="gelu",
    display_name="GELU",
    family="self-gated",
    summary="x·Φ(x), weighting the input by the Gaussian CDF; tanh approximation by default.",
    formula=(
        r"f(x) = x\,\Phi(x) = \tfrac{x}{2}\operatorname{erfc}\!\bigl(-\tfrac{x}{\sqrt 2}\bigr)"
        r"\quad\text{or, approximate: } x\,\sigma\!\bigl(2\sqrt{2/\pi}\,(x + 0.044715\,x^3)\bigr)"
    ),
    derivative=(
        r"f'(x) = \Phi(x) + x\,\varphi(x)\quad\text{or, approximate: } "
        r"\sigma(2u) + 2x\,u'(x)\,\sigma(2u)\,\sigma(-2u)"
    ),
    output_range=Interval(-0.17004075057125405, math.inf, lo_open=False),
    params=(
        Param(
            "approximate",
            True,
            "use the tanh approximation (as jax.nn.gelu's default); False: the exact erfc form",
            (True, False),
            plot_values=(False, True),
        ),
    ),
    monotonic=False,
    smoothness="Cinf",
    zero_at_zero=True,
    zero_centred=False,
    left_saturating=True,
    right_saturating=False,
    year=2016,
    references=(
        Reference(
            "D. Hendrycks, K. Gimpel",
            "Gaussian Error Linear Units (GELUs)",
            2016,
            "arXiv:1606.08415",
            "https://arxiv.org/abs/1606.08415",
        ),
    ),
    equivalents=Equivalents("jax.nn.gelu", "torch.nn.GELU", "keras.activations.gelu"),
    conventions=(
        "approximate=True by default, as jax.nn.gelu; PyTorch and Keras default to the exact form "
        "(torch approximate='tanh', Keras approximate=True give the tanh form).",
        "Exact form as e^(−x²/2)·R(|x|), R a rational fit of e^(t²/2)·Φ(−t) (not 1 + erf, and "
        "not XLA's erfc, ~50 ULP off in the float32 tail); tanh form as x·σ(2u) (not 1 + tanh u) "
        "with 2u in double-word arithmetic: both keep their relative accuracy in the left tail.",
        "f(−inf) = 0, f'(+inf) = 1; x³ never overflows into NaN gradients.",
    ),
    reference=_gelu_reference,
    reference_derivative=_gelu_reference_derivative,
    critical_points=(-0.7524614220710163, -0.7517915246935645),
    plot_range=(-5.0, 3.0),
)
def gelu(x: Any, approximate: bool = True) -> jax.Array:
    r"""Gaussian error linear unit.

    $$f(x) = x\,\Phi(x) = \frac{x}{2}\operatorname{erfc}\Bigl(-\frac{x}{\sqrt 2}\Bigr)$$

    or, with ``approximate=True`` (the default, as ``jax.nn.gelu``),

    $$f(x) = x\,\sigma(2u), \qquad u = \sqrt{2/\pi}\,(x + 0.044715\,x^3),$$

    which equals $\tfrac{x}{2}(1 + \tanh u)$ without its cancellation for $x < 0$.

    Args:
        x: input array.
        approximate: tanh approximation (``True``) or exact erfc form (``False``).

    Returns:
        An array of the (floating) dtype of ``x``.

    Examples:
        >>> jaxact.gelu(jnp.array([-1.0, 0.0, 1.0]))
        Array([-0.15880802,  0.        ,  0.841192  ], dtype=float32)
        >>> float(jaxact.gelu(jnp.float32(-5.0)))  # jax.nn.gelu gives -0.0
        -2.29...e-07
    """
    check_choice("gelu", "approximate", approximate, (True, False))
    return _gelu_any(as_inexact(x, "gelu"), bool(approximate))


@functools.partial(jax.jit, static_argnums=1)
@in_float32
def _gelu_any(x: jax.Array, approximate: bool) -> jax.Array:
    return _gelu_tanh(x) if approximate else _gelu_exact(x)


# -- Mish --------------------------------------------------------------------------------------

# With e = e^x and n = e (e + 2): tanh(softplus(x)) = n / (n + 2). x is clipped to [lo, hi]:
# beyond hi the gate is 1 and f' = 1 exactly, below lo e^x (and f, f') is below the smallest
# subnormal; e is computed as 2^-shift E with E normal down to lo.
_MISH = {"float32": (-109.0, 12.0, 32), "float64": (-752.0, 22.0, 64)}

# e^x is evaluated on x clipped from above where n = e^x (e^x + 2) still fits (e^44 in
# float32, e^354 in float64); beyond it tanh(softplus(x)) is exactly 1 and its derivative 0.
_MISH_CLIP = {"float32": 44.0, "float64": 354.0}


def _mish_exp(x: jax.Array) -> tuple[jax.Array, jax.Array, jax.Array, jax.Array, float]:
    """``(xc, scale, s, e, 2^-shift)``: ``e^xc = 2^-shift scale (1 + s)``, e rounded."""
    lo, hi, shift = _MISH[_dtype_name(x)]
    dt = x.dtype.type
    xc = jnp.clip(x, dt(lo), dt(hi))
    scale, s = _exp_parts(xc, None, shift)
    down = dt(2.0**-shift)
    return xc, scale, s, (scale + scale * s) * down, down


def _mish_value(x: jax.Array) -> jax.Array:
    # f = x n / (n + 2) for x < 0 (with x e never subnormal before the last product), else
    # x - 2x / (n + 2), which is x exactly once 2 / (n + 2) is below half an ULP. One division.
    xc, scale, s, e, down = _mish_exp(x)
    u = e + 2
    neg = x < 0
    num = jnp.where(neg, (xc * scale) * ((u + u * s) * down), -2 * xc)
    return jnp.where(neg, 0, x) + num / (e * u + 2)


def _mish_slope(x: jax.Array) -> jax.Array:
    # f' = t + x t' = e N / (n + 2)^2 with N = 4 (1 + x) + e (2 (3 + 2x) + e (4 + e)) for
    # x < 0 (the cancelling part of N, near x = -1.19, is formed from exact terms), else
    # 1 - M / (n + 2)^2 with M = 4 + e (4 (1 - x) + 2e (1 - 2x)), which is 1 exactly for large
    # x; (n + 2)^2 = 4 + e (8 + e (8 + e (4 + e))) by Horner (all terms positive).
    xc, scale, s, e, down = _mish_exp(x)
    neg = x < 0
    n4 = 4 * (1 + xc) + e * (2 * (3 + 2 * xc) + e * (4 + e))
    m = 4 + e * (4 * (1 - xc) + (2 * e) * (1 - 2 * xc))
    num = jnp.where(neg, (scale * (n4 + n4 * s)) * down, -m)
    return jnp.where(neg, 0, 1) + num / (4 + e * (8 + e * (8 + e * (4 + e))))


def _mish_parts(x: jax.Array) -> tuple[jax.Array, jax.Array, jax.Array, jax.Array]:
    """``(t, s, e, over)``: t = tanh(softplus(x)), s = t'(x) = sigma(x) sech^2(softplus(x))."""
    clip = _MISH_CLIP["float64" if x.dtype == jnp.float64 else "float32"]
    over = x > clip
    xc = jnp.minimum(x, clip)
    e = jnp.exp(xc)
    n = e * (e + 2)
    t = n / (n + 2)
    # sech^2(softplus) sigma = 4 e (e + 1) / (n + 2)^2, divided in two steps to stay finite.
    s = jnp.where(over, 0, 4 * (e * (e + 1) / (n + 2)) / (n + 2))
    return t, s, e, over


def _mish_curvature(x: jax.Array) -> jax.Array:
    t, s, _, over = _mish_parts(x)
    sig, sigm = _logistic_pair(x)
    # f'' = s (2 + x (sigma(-x) - 2 t sigma(x))); beyond the clip s = 0 and x (...) may
    # overflow (x = 3e38 in float32: 0 * -inf), so it is 0 there.
    return jnp.where(over, 0, s * (2 + _finite_or_zero(x) * (sigm - 2 * t * sig)))


@jax.custom_jvp
def _mish_prime(x: jax.Array) -> jax.Array:
    return _mish_slope(x)


_mish_prime.defjvps(lambda t, ans, x: t * _mish_curvature(x))


@jax.custom_jvp
def _mish(x: jax.Array) -> jax.Array:
    return _mish_value(x)


_mish.defjvps(lambda t, ans, x: t * _mish_prime(x))


@activation(
    name="mish",
    display_name="Mish",
    family="self-gated",
    summary="x·tanh(softplus(x)): a smooth, self-regularised non-monotonic activation.",
    formula=r"f(x) = x\tanh\bigl(\ln(1 + e^{x})\bigr) = x\,\frac{n}{n + 2},\quad n = e^x(e^x + 2)",
    derivative=(
        r"f'(x) = \tanh(\operatorname{sp}(x))"
        r" + x\,\sigma(x)\operatorname{sech}^2(\operatorname{sp}(x))"
    ),
    output_range=Interval(-0.30884341301725040, math.inf, lo_open=False),
    monotonic=False,
    smoothness="Cinf",
    zero_at_zero=True,
    zero_centred=False,
    left_saturating=True,
    right_saturating=False,
    year=2019,
    references=(
        Reference(
            "D. Misra",
            "Mish: A Self Regularized Non-Monotonic Activation Function",
            2019,
            "BMVC 2020; arXiv:1908.08681",
            "https://arxiv.org/abs/1908.08681",
        ),
    ),
    equivalents=Equivalents("jax.nn.mish", "torch.nn.Mish", "keras.activations.mish"),
    conventions=(
        "Computed as x·n/(n + 2), n = eˣ(eˣ + 2): one exp, no overflow; f(−inf) = 0, f'(+inf) = 1.",
    ),
    reference=lambda mp, x: x * mp.tanh(mp.log1p(mp.exp(x))),
    reference_derivative=lambda mp, x: (
        mp.tanh(mp.log1p(mp.exp(x))) + x * mp.sech(mp.log1p(mp.exp(x))) ** 2 / (1 + mp.exp(-x))
    ),
    critical_points=(-1.1924312145154952,),
    plot_range=(-6.0, 4.0),
)
def mish(x: Any) -> jax.Array:
    r"""Mish.

    $$f(x) = x\tanh(\operatorname{softplus}(x)) = x\,\frac{n}{n + 2}, \qquad n = e^x(e^x + 2)$$

    Args:
        x: input array.

    Returns:
        An array of the (floating) dtype of ``x``.

    Examples:
        >>> jaxact.mish(jnp.array([-2.0, 0.0, 2.0]))
        Array([-0.2525015,  0.       ,  1.943959 ], dtype=float32)
    """
    return _mish_any(as_inexact(x, "mish"))


@jax.jit
@in_float32
def _mish_any(x: jax.Array) -> jax.Array:
    return _mish(x)
