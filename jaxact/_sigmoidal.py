"""Sigmoidal activations: bounded, S-shaped, saturating on both sides.

Their derivatives are written from the input, never from the output: jax's default rule
``sigma'(x) = ans * (1 - ans)`` is exactly 0 once ``ans`` rounds to 1 (x > 17 in float32),
long before the true value ``sigma(x) * sigma(-x)`` underflows. Each derivative is itself a
``custom_jvp`` function, so second derivatives (``jax.hessian``) are exact in the tails too.
The private pieces here (``_sigmoid``, ``_sigmoid_prime``, ``_tanh``, ``_softplus``) are shared
with the exponential family.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
from jax import lax

from ._numerics import as_inexact, in_float32
from ._registry import REALS, Equivalents, Interval, Reference, activation

# -- shared pieces -------------------------------------------------------------------------


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
    # sigma(x) sigma(-x) = sech^2(x/2) / 4 = s (1 - s) with s = 1 / (e^|x| + 1): within 2.9 ULP
    # (every float32 checked), where e^-|x| / (1 + e^-|x|)^2 squares the rounding of 1 + e^-|x|
    # (4.7 ULP) and ans * (1 - ans) is 0 once ans rounds to 1. Not from the value's logistic:
    # under jit that one would be shared by the forward and backward loops, and XLA on CPU
    # then writes it to memory between them.
    return _sech2(x / 2) / 4


@_sigmoid_prime.defjvp
def _sigmoid_prime_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x,), (t,) = primals, tangents
    # sigma'' = sigma' (sigma(-x) - sigma(x)) = -sigma' tanh(x/2); the difference of sigmoids
    # cancels near 0, tanh does not.
    d = _sigmoid_prime(x)
    return d, t * (-d * _tanh(x / 2))


def _horner(coefficients: tuple[float, ...], y: jax.Array) -> jax.Array:
    """``sum(c[k] * y**k)``, lowest degree first."""
    acc = jnp.full_like(y, coefficients[-1])
    for c in reversed(coefficients[:-1]):
        acc = acc * y + c
    return acc


def _coefficients(table: dict, x: jax.Array) -> tuple[float, ...]:
    return table["float64" if x.dtype == jnp.float64 else "float32"]


# -- expm1 by range reduction, and tanh from it ----------------------------------------------
#
# XLA's own tanh is a rational approximation: measured over every float32 in [2^-20, 9.5] it is
# up to 4.9 ULP off (2582 inputs above 4 ULP), and 4.9 ULP in float64; its expm1 is 5 ULP off in
# float32 near |x| ~ 0.1. Here expm1(z) is evaluated as exp is in libm: z = n ln2 + r with
# n = round(z / ln2) and |r| <= ln2/2, so
#
#     expm1(z) = 2^n expm1(r) + (2^n - 1),  expm1(r) = r + r^2 q(r),
#
# with q a near-minimax polynomial for (expm1(r) - r) / r^2 on [-ln2/2, ln2/2] (Chebyshev
# interpolation in mpmath; max relative error 2.9e-9 in float32, 3.0e-18 in float64). ln2 is
# split Cody-Waite style with a short high part, so n ln2_hi and z - n ln2_hi are exact with or
# without FMA contraction; 2^n is built from the bits of n + 1.5 * 2^p (the float sum puts n in
# the low significand bits, so no float-to-int conversion with its saturation checks is needed).
# For n = 0 there is no cancellation at all and for n != 0 the two terms never cancel by more
# than a factor 1.4. No select and no special case: one polynomial, one division in tanh. The
# input is clamped (``clamp``) where 2^n would overflow; callers clamp where the result no
# longer changes.
_EXPM1_Q = {
    "float32": (
        0.500000001346581,
        0.16666666681623232,
        0.041666464925285904,
        0.0083333109254809,
        0.0013933649996309251,
        0.00019890990824673654,
    ),
    "float64": (
        0.5,
        0.1666666666666667,
        0.04166666666666667,
        0.008333333333326136,
        0.0013888888888883748,
        0.00019841269874820627,
        2.4801587325547743e-05,
        2.7557255400206422e-06,
        2.75572736431103e-07,
        2.5105217004720745e-08,
        2.0914686968086876e-09,
    ),
}
# (ln2_hi, ln2_lo, 1.5 * 2^p, significand bits p, bit pattern of 1.0): ln2_hi has 16 (float32)
# / 32 (float64) significant bits, so n ln2_hi is exact for every n used here.
_REDUCTION = {
    "float32": (0.693145751953125, 1.4286068203094173e-06, 12582912.0, 23, 0x3F800000),
    "float64": (
        0.6931471803691238,
        1.9082149292723212e-10,
        6755399441055744.0,
        52,
        0x3FF0000000000000,
    ),
}
_LOG2E = 1.4426950408889634
_INT = {"float32": (jnp.int32, jnp.uint32), "float64": (jnp.int64, jnp.uint64)}


def _dtype_name(x: jax.Array) -> str:
    return "float64" if x.dtype == jnp.float64 else "float32"


def _expm1_reduced(z: jax.Array, lo: float | None, hi: float) -> jax.Array:
    """``expm1(clip(z, lo, hi))`` within ~1.5 ULP (``lo=None``: z >= 0 already); NaN stays NaN.

    After the clip z/ln2 must lie in [-126, 127] (float32) / [-1022, 1023] (float64).
    """
    name = _dtype_name(z)
    ln2_hi, ln2_lo, shifter, bits, one = _REDUCTION[name]
    signed, _ = _INT[name]
    z = jnp.minimum(z, hi) if lo is None else jnp.clip(z, lo, hi)  # NaN propagates
    n = jnp.round(z * _LOG2E)
    r = (z - n * ln2_hi) - n * ln2_lo
    em1_r = r + (r * r) * _horner(_EXPM1_Q[name], r)
    k = lax.bitcast_convert_type(n + shifter, signed)  # n in the low bits
    two_n = lax.bitcast_convert_type((k << bits) + signed(one), z.dtype)
    return two_n * em1_r + (two_n - 1)


def _with_sign_of(v: jax.Array, x: jax.Array) -> jax.Array:
    """``v >= 0`` with the sign bit of ``x`` (two integer ops; jnp.copysign costs a select)."""
    _, unsigned = _INT[_dtype_name(x)]
    sign = lax.bitcast_convert_type(x, unsigned) & unsigned(1 << (jnp.finfo(x.dtype).bits - 1))
    return lax.bitcast_convert_type(lax.bitcast_convert_type(v, unsigned) | sign, x.dtype)


# expm1 below 0 (the ELU family's negative branch) by the same range reduction; below the
# floor expm1 is -1 in the dtype and 2^n stays a normal number.
_EXPM1_FLOOR = {"float32": -87.0, "float64": -700.0}


@jax.custom_jvp
def _expm1_nonpositive(x: jax.Array) -> jax.Array:
    """``expm1(x)`` for ``x <= 0`` (and NaN), within ~1.5 ULP."""
    return _expm1_reduced(x, _EXPM1_FLOOR[_dtype_name(x)], 0.0)


@_expm1_nonpositive.defjvp
def _expm1_nonpositive_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x,), (t,) = primals, tangents
    # exp(x), not jax's ans + 1, which is 0 once expm1(x) rounds to -1 (x < -17 in float32);
    # XLA's exp, so that under jit it shares nothing expensive with the value.
    return _expm1_nonpositive(x), t * jnp.exp(x)


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
    # CPU would otherwise write that intermediate to memory between two loops).
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


# -- sigmoid -------------------------------------------------------------------------------


@activation(
    name="sigmoid",
    aliases=("logistic",),
    display_name="Sigmoid",
    family="sigmoidal",
    summary="The logistic function 1/(1 + e^−x): a probability for binary outputs.",
    formula=r"\sigma(x) = \frac{1}{1 + e^{-x}}",
    derivative=r"\sigma'(x) = \sigma(x)\,\sigma(-x)",
    output_range=Interval(0.0, 1.0),
    monotonic=True,
    smoothness="Cinf",
    zero_at_zero=False,
    zero_centred=False,
    left_saturating=True,
    right_saturating=True,
    year=1995,
    references=(
        Reference(
            "J. Han, C. Moraga",
            "The influence of the sigmoid function parameters on the speed of backpropagation "
            "learning",
            1995,
            "IWANN, LNCS 930",
            "https://doi.org/10.1007/3-540-59497-3_175",
        ),
    ),
    equivalents=Equivalents("jax.nn.sigmoid", "torch.nn.Sigmoid", "keras.activations.sigmoid"),
    conventions=("The derivative is computed as σ(x)σ(−x), exact where σ(x) rounds to 1.",),
    reference=lambda mp, x: 1 / (1 + mp.exp(-x)),
    reference_derivative=lambda mp, x: 1 / ((1 + mp.exp(-x)) * (1 + mp.exp(x))),
    plot_range=(-8.0, 8.0),
    example_input=(-5.0, -4.0, -3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0),
)
def sigmoid(x: Any) -> jax.Array:
    r"""Logistic sigmoid.

    $$\sigma(x) = \frac{1}{1 + e^{-x}}, \qquad \sigma'(x) = \sigma(x)\,\sigma(-x)$$

    Args:
        x: input array.

    Returns:
        An array of the (floating) dtype of ``x``, with values in $(0, 1)$.

    Examples:
        >>> jaxact.sigmoid(jnp.array([-5.0, 0.0, 5.0]))
        Array([0.00669285, 0.5       , 0.9933072 ], dtype=float32)
    """
    return _sigmoid_impl(as_inexact(x, "sigmoid"))


@jax.jit
@in_float32
def _sigmoid_impl(x: jax.Array) -> jax.Array:
    return _sigmoid(x)


# -- tanh ----------------------------------------------------------------------------------


@activation(
    name="tanh",
    display_name="Tanh",
    family="sigmoidal",
    summary="Hyperbolic tangent: a zero-centred sigmoid with values in (−1, 1).",
    formula=r"\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}} = 2\sigma(2x) - 1",
    derivative=r"\tanh'(x) = 1 - \tanh^2(x) = 4\,\sigma(2x)\,\sigma(-2x)",
    output_range=Interval(-1.0, 1.0),
    monotonic=True,
    smoothness="Cinf",
    zero_at_zero=True,
    zero_centred=True,
    left_saturating=True,
    right_saturating=True,
    year=1998,
    references=(
        Reference(
            "Y. LeCun, L. Bottou, G. B. Orr, K.-R. Müller",
            "Efficient BackProp",
            1998,
            "Neural Networks: Tricks of the Trade, LNCS 1524",
            "https://doi.org/10.1007/3-540-49430-8_2",
        ),
    ),
    equivalents=Equivalents("jax.nn.tanh", "torch.nn.Tanh", "keras.activations.tanh"),
    conventions=(
        "The derivative is computed as 4σ(2x)σ(−2x), not 1 − tanh²(x), which is 0 once "
        "tanh(x) rounds to ±1 (|x| > 9 in float32).",
    ),
    reference=lambda mp, x: mp.tanh(x),
    reference_derivative=lambda mp, x: 1 / mp.cosh(x) ** 2,
    plot_range=(-4.0, 4.0),
)
def tanh(x: Any) -> jax.Array:
    r"""Hyperbolic tangent.

    $$\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}, \qquad
    \tanh'(x) = 4\,\sigma(2x)\,\sigma(-2x)$$

    Args:
        x: input array.

    Returns:
        An array of the (floating) dtype of ``x``, with values in $[-1, 1]$.

    Examples:
        >>> jaxact.tanh(jnp.array([-2.0, 0.0, 0.5]))
        Array([-0.9640276 ,  0.        ,  0.46211714], dtype=float32)
    """
    return _tanh_impl(as_inexact(x, "tanh"))


@jax.jit
@in_float32
def _tanh_impl(x: jax.Array) -> jax.Array:
    return _tanh(x)


# -- soft_sign -----------------------------------------------------------------------------


@jax.custom_jvp
def _soft_sign(x: jax.Array) -> jax.Array:
    # x / (1 + |x|) is inf / inf at +-inf; the limit there is sign(x).
    return jnp.where(jnp.isinf(x), jnp.sign(x), x / (1 + jnp.abs(x)))


@_soft_sign.defjvp
def _soft_sign_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x,), (t,) = primals, tangents
    # 1 / (1 + |x|)^2 from the input; autodiff of the quotient subtracts (1 + |x|) - |x|,
    # which is 2.3 % off at 1e6 in float32. The square overflows only where the true value is
    # below the smallest normal anyway.
    return _soft_sign(x), t * _soft_sign_prime(x)


@jax.custom_jvp
def _soft_sign_prime(x: jax.Array) -> jax.Array:
    a = 1 + jnp.abs(x)
    return 1 / (a * a)


@_soft_sign_prime.defjvp
def _soft_sign_prime_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x,), (t,) = primals, tangents
    # -2 sign(x) / (1 + |x|)^3 as a product of reciprocals: underflows to 0 instead of
    # inf / inf at large |x|. sign(0) = 0 splits the jump from 2 to -2 at the kink.
    r = 1 / (1 + jnp.abs(x))
    return _soft_sign_prime(x), t * (-2 * jnp.sign(x) * (r * r * r))


@activation(
    name="soft_sign",
    display_name="Softsign",
    family="sigmoidal",
    summary="x/(1 + |x|): a sigmoid with polynomial rather than exponential tails.",
    formula=r"f(x) = \frac{x}{1 + |x|}",
    derivative=r"f'(x) = \frac{1}{(1 + |x|)^2}",
    output_range=Interval(-1.0, 1.0),
    monotonic=True,
    smoothness="C1",
    zero_at_zero=True,
    zero_centred=True,
    left_saturating=True,
    right_saturating=True,
    year=2009,
    references=(
        Reference(
            "J. Turian, J. Bergstra, Y. Bengio",
            "Quadratic Features and Deep Architectures for Chunking",
            2009,
            "NAACL-HLT (short papers)",
            "https://aclanthology.org/N09-2062/",
        ),
    ),
    equivalents=Equivalents("jax.nn.soft_sign", "torch.nn.Softsign", "keras.activations.softsign"),
    conventions=(
        "soft_sign(±inf) = ±1, the limit (jax.nn, PyTorch and Keras give NaN).",
        "The second derivative −2 sign(x)/(1 + |x|)³ jumps at 0, where it is taken as 0.",
    ),
    reference=lambda mp, x: x / (1 + abs(x)),
    reference_derivative=lambda mp, x: 1 / (1 + abs(x)) ** 2,
    plot_range=(-10.0, 10.0),  # its tails approach ±1 only polynomially
)
def soft_sign(x: Any) -> jax.Array:
    r"""Softsign.

    $$f(x) = \frac{x}{1 + |x|}, \qquad f'(x) = \frac{1}{(1 + |x|)^2}$$

    Args:
        x: input array.

    Returns:
        An array of the (floating) dtype of ``x``, with values in $[-1, 1]$ ($\pm 1$ only at
        $\pm\infty$).

    Examples:
        >>> jaxact.soft_sign(jnp.array([-3.0, 0.0, 1.0, jnp.inf]))
        Array([-0.75,  0.  ,  0.5 ,  1.  ], dtype=float32)
    """
    return _soft_sign_impl(as_inexact(x, "soft_sign"))


@jax.jit
@in_float32
def _soft_sign_impl(x: jax.Array) -> jax.Array:
    return _soft_sign(x)


# -- log_sigmoid ---------------------------------------------------------------------------


@activation(
    name="log_sigmoid",
    display_name="Log-sigmoid",
    family="sigmoidal",
    summary="log σ(x) = −softplus(−x): the log-probability of a binary output.",
    formula=r"f(x) = \log \sigma(x) = -\log\left(1 + e^{-x}\right)",
    derivative=r"f'(x) = \sigma(-x)",
    output_range=Interval(hi=0.0),
    monotonic=True,
    smoothness="Cinf",
    zero_at_zero=False,
    zero_centred=False,
    left_saturating=False,
    right_saturating=True,
    equivalents=Equivalents(
        "jax.nn.log_sigmoid", "torch.nn.LogSigmoid", "keras.activations.log_sigmoid"
    ),
    conventions=(
        "Computed as −(max(−x, 0) + log1p(e^−|x|)): no overflow and no threshold switch.",
    ),
    reference=lambda mp, x: -mp.log1p(mp.exp(-x)),
    reference_derivative=lambda mp, x: 1 / (1 + mp.exp(x)),
    plot_range=(-6.0, 6.0),
)
def log_sigmoid(x: Any) -> jax.Array:
    r"""Log-sigmoid.

    $$f(x) = \log \sigma(x) = -\log\left(1 + e^{-x}\right), \qquad f'(x) = \sigma(-x)$$

    Args:
        x: input array.

    Returns:
        An array of the (floating) dtype of ``x``, with values in $(-\infty, 0]$.

    Examples:
        >>> jaxact.log_sigmoid(jnp.array([-2.0, 0.0, 2.0]))
        Array([-2.126928 , -0.6931472, -0.126928 ], dtype=float32)
    """
    return _log_sigmoid_impl(as_inexact(x, "log_sigmoid"))


@jax.jit
@in_float32
def _log_sigmoid_impl(x: jax.Array) -> jax.Array:
    return -_softplus(-x)


# -- tanh_shrink ---------------------------------------------------------------------------

# x - tanh(x) cancels for small |x| (it is x^3/3 near 0). Below |x| = 2 we use Lambert's
# continued fraction tanh(x) = x / (1 + K), K = x^2 / (3 + x^2 / (5 + ...)), which gives
# x - tanh(x) = x K / (1 + K) = x y P(y) / Q(y), y = x^2, with P and Q of positive coefficients
# (no cancellation anywhere). Truncated after 7 (float32) / 11 (float64) levels it is exact to
# 2e-10 / 1e-18 relative at |x| = 2. From |x| = 2 on, x - tanh(x) >= 1 > tanh(x): no cancellation.
_TANH_SHRINK_SWITCH = 2.0
_TANH_SHRINK_PQ = {
    "float32": (
        (1, 1 / 15, 2 / 2275, 1 / 675675),
        (3, 7 / 5, 1 / 13, 2 / 2145, 1 / 675675),
    ),
    "float64": (
        (1, 9 / 115, 4 / 2415, 1 / 82593, 1 / 36038079, 1 / 105411381075),
        (3, 33 / 23, 15 / 161, 4 / 2185, 2 / 156009, 1 / 35102025, 1 / 105411381075),
    ),
}


def _tanh_shrink_reference(mp: Any, x: Any) -> Any:
    # x - tanh(x) ~ x^3/3 loses 2 |log2 |x|| bits to cancellation: add them to the precision.
    extra = 2 * max(0, -int(mp.mag(x))) + 10 if x else 0
    with mp.extraprec(extra):
        return +(x - mp.tanh(x))


@jax.custom_jvp
def _tanh_shrink(x: jax.Array) -> jax.Array:
    p, q = _coefficients(_TANH_SHRINK_PQ, x)
    small = jnp.abs(x) < _TANH_SHRINK_SWITCH
    xs = jnp.where(small, x, 0)  # keeps y^k finite in the unselected branch
    y = xs * xs
    series = xs * (y * (_horner(p, y) / _horner(q, y)))
    return jnp.where(small, series, x - _tanh(x))


@_tanh_shrink.defjvp
def _tanh_shrink_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x,), (t,) = primals, tangents
    return _tanh_shrink(x), t * _tanh_shrink_prime(x)


# tanh^2(x) / x^2 = (R(y) / Q(y))^2 from the same continued fraction (tanh x = x R / Q), with
# R^2 and Q^2 expanded: positive coefficients again, and no squaring of a rounded tanh, which
# would double its error (5.4 ULP).
_TANH_SQUARED_PQ = {
    "float32": (
        (
            1.0,
            0.26666666666666666,
            0.024615384615384615,
            0.0009472009472009472,
            1.642422155242668e-05,
            1.214360188719163e-07,
            3.154182308361463e-10,
        ),
        (
            1.0,
            0.9333333333333333,
            0.26905982905982906,
            0.024553224553224555,
            0.0009485291536573588,
            1.6398922381828365e-05,
            1.2189600379188568e-07,
            3.0665661331292e-10,
            2.4337826453406346e-13,
        ),
    ),
    "float64": (
        (
            1.0,
            0.2898550724637681,
            0.03094187895700183,
            0.0015565062625056655,
            4.201051774951497e-05,
            6.468591735086487e-07,
            5.808285004601002e-09,
            3.00452013712995e-11,
            8.502936832541288e-14,
            1.1711227646224485e-16,
            6.083754621415317e-20,
        ),
        (
            1.0,
            0.9565217391304348,
            0.29084526059951393,
            0.03092608648274751,
            0.0015567053273071905,
            4.200839439163204e-05,
            6.468792322200934e-07,
            5.808111336103646e-09,
            3.0046620231572026e-11,
            8.50181075295992e-14,
            1.1720236282875426e-16,
            6.005757767294608e-20,
            9.999596682142205e-24,
        ),
    ),
}


def _tanh_shrink_prime(x: jax.Array) -> jax.Array:
    # tanh^2(x): the rational form for |x| < 1, 1 - tanh'(x) beyond, where tanh' <= 0.42 and
    # the subtraction is exact enough.
    r, q = _coefficients(_TANH_SQUARED_PQ, x)
    small = jnp.abs(x) < 1
    xs = jnp.where(small, x, 0)
    y = xs * xs
    return jnp.where(small, y * (_horner(r, y) / _horner(q, y)), 1 - _sech2(x))


@activation(
    name="tanh_shrink",
    display_name="Tanhshrink",
    family="sigmoidal",
    summary="x − tanh(x): near zero for small inputs (≈ x³/3), ≈ x ∓ 1 for large ones.",
    formula=r"f(x) = x - \tanh(x)",
    derivative=r"f'(x) = \tanh^2(x)",
    output_range=REALS,
    monotonic=True,
    smoothness="Cinf",
    zero_at_zero=True,
    zero_centred=True,
    left_saturating=False,
    right_saturating=False,
    equivalents=Equivalents(None, "torch.nn.Tanhshrink", "keras.activations.tanh_shrink"),
    conventions=(
        "For |x| < 2 the value comes from Lambert's continued fraction for tanh, not from "
        "x − tanh(x), which loses every digit near 0.",
        "The derivative tanh²(x) comes from the same continued fraction for |x| < 1 "
        "(1 − tanh′(x) cancels there) and from 1 − tanh′(x) beyond.",
    ),
    reference=lambda mp, x: _tanh_shrink_reference(mp, x),
    reference_derivative=lambda mp, x: mp.tanh(x) ** 2,
    critical_points=(0.0,),
)
def tanh_shrink(x: Any) -> jax.Array:
    r"""Tanhshrink.

    $$f(x) = x - \tanh(x), \qquad f'(x) = \tanh^2(x)$$

    Args:
        x: input array.

    Returns:
        An array of the (floating) dtype of ``x``.

    Examples:
        >>> jaxact.tanh_shrink(jnp.array([-3.0, 0.5, 1.0]))
        Array([-2.0049453 ,  0.03788284,  0.23840587], dtype=float32)
    """
    return _tanh_shrink_impl(as_inexact(x, "tanh_shrink"))


@jax.jit
@in_float32
def _tanh_shrink_impl(x: jax.Array) -> jax.Array:
    return _tanh_shrink(x)
