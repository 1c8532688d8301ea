"""SERF: x erf(ln(1 + e^x)), the log-softplus error activation.

Value and derivative are written from the input with a ``custom_jvp`` whose derivative is itself
a ``custom_jvp``. For x > 0 they are x erf(sp) and erf(sp) + x (2/sqrt(pi)) e^(-sp²) sigma(x)
(sp = softplus(x); no cancellation). For x <= 0, where erf(sp) ~ (2/sqrt(pi)) e^x and the two
terms of f' cancel near the minimum, everything is a series in t = u / (2 + u), u = e^x:

    sp = 2 atanh(t) = 2t L,  L = sum t^2k / (2k + 1),
    A = erf(sp) / ((2/sqrt(pi)) sigma(x)) = (1 + R)(1 + E1),
    R = sp / sigma - 1 = t + (1 + t)(L - 1),  E1 = erf(sp) / ((2/sqrt(pi)) sp) - 1,
    f  = (2/sqrt(pi)) x sigma(x) A,
    f' = (2/sqrt(pi)) sigma(x) ((1 + x) + (A - 1) + x expm1(-sp²)),

with R, L - 1 and E1 series that each keep relative accuracy, and 1 + x exact where it cancels.
"""

from __future__ import annotations

import math
from typing import Any

import jax
import jax.numpy as jnp
from jax import lax
from jax.typing import ArrayLike

from ._kernels.derivatives import _with_slope_and_curvature
from ._kernels.exp import _exp_parts
from ._kernels.floating_point import _dtype_name, _horner
from ._kernels.logistic import _softplus
from ._kernels.logistic_gate import _logistic_pair
from ._numerics import as_inexact, jit_in_float32
from ._registry import Interval, Reference, activation

_TWO_OVER_SQRT_PI = 1.1283791670955126

# x is clipped to [lo, hi]: beyond hi erf(softplus(x)) is 1 and x e^(-sp²) is 0 in both dtypes
# (f = x, f' = 1); below lo f and f' are far below the accuracy floor, while e^lo is normal.
_SERF_CLIP = {"float32": (-104.0, 20.0), "float64": (-700.0, 20.0)}
# e^x is carried times 2^shift so that it stays normal below -87 in float32.
_SHIFT = {"float32": 32, "float64": 0}

# Terms for x <= 0 (t <= 1/3, sp² <= ln(2)²): (L - 1)/t² and E1/sp², lowest degree first.
_TERMS = {"float32": (8, 8), "float64": (17, 15)}
_SERIES = {
    name: (
        tuple(1 / (2 * k + 3) for k in range(nl)),
        tuple((-1) ** (k + 1) / (math.factorial(k + 1) * (2 * k + 3)) for k in range(ne)),
    )
    for name, (nl, ne) in _TERMS.items()
}


def _serf_parts(x: jax.Array) -> tuple[jax.Array, jax.Array, jax.Array]:
    """``(xc, over, under)``: x clipped, and where x is beyond either clip."""
    lo, hi = _SERF_CLIP[_dtype_name(x)]
    dt = x.dtype.type
    # x second in min/max: a NaN input stays NaN on every backend.
    xc = jnp.minimum(dt(hi), jnp.maximum(dt(lo), x))
    return xc, x > hi, x < lo


def _serf_negative(xc: jax.Array) -> tuple[jax.Array, jax.Array, jax.Array, jax.Array]:
    """For xc <= 0: ``(scale, s, am1, sp)`` with e^xc = scale (1 + s), A - 1 and sp."""
    lser, eser = _SERIES[_dtype_name(xc)]
    shift = _SHIFT[_dtype_name(xc)]
    scale, s = _exp_parts(jnp.minimum(xc, 0), None, shift)  # 2^shift e^x = scale (1 + s)
    u = (scale + scale * s) * (2.0**-shift)
    t = u / (2 + u)
    lm1 = (t * t) * _horner(lser, t * t)
    sp = (2 * t) + (2 * t) * lm1
    r = t + (1 + t) * lm1
    z = sp * sp
    e1 = z * _horner(eser, z)
    return scale, s, r + (1 + r) * e1, sp


def _serf_value(x: jax.Array) -> jax.Array:
    xc, over, under = _serf_parts(x)
    scale, s, am1, _ = _serf_negative(xc)
    # (2/sqrt(pi)) x sigma(x) A, with sigma(x) = scale (1 + s) / (1 + u); the constant folded
    # into A (one rounding fewer: 3.8 ULP at x = -11.6 in float32 before).
    ca = _TWO_OVER_SQRT_PI + _TWO_OVER_SQRT_PI * am1
    u = (scale + scale * s) * (2.0 ** -_SHIFT[_dtype_name(x)])
    neg = ((xc * scale) * ((ca + ca * s) / (1 + u))) * (2.0 ** -_SHIFT[_dtype_name(x)])
    pos = xc * lax.erf(_softplus(jnp.maximum(xc, 0)))
    return jnp.where(over, x, jnp.where(x > 0, pos, jnp.where(under, 0, neg)))


def _serf_slope(x: jax.Array) -> jax.Array:
    xc, over, under = _serf_parts(x)
    scale, s, am1, sp = _serf_negative(xc)
    b = _TWO_OVER_SQRT_PI * ((1 + xc) + (am1 + xc * jnp.expm1(-(sp * sp))))
    u = (scale + scale * s) * (2.0 ** -_SHIFT[_dtype_name(x)])
    neg = (scale * ((b + b * s) / (1 + u))) * (2.0 ** -_SHIFT[_dtype_name(x)])
    xp = jnp.maximum(xc, 0)
    spp = _softplus(xp)
    sig, _ = _logistic_pair(xp)
    pos = lax.erf(spp) + xp * (_TWO_OVER_SQRT_PI * jnp.exp(-(spp * spp)) * sig)
    return jnp.where(over, 1, jnp.where(x > 0, pos, jnp.where(under, 0, neg)))


def _serf_curvature(x: jax.Array) -> jax.Array:
    # With g = (2/sqrt(pi)) e^(-sp²) sigma(x): f'' = g (2 + x (sigma(-x) - 2 sp sigma(x))).
    xc, over, under = _serf_parts(x)
    sp = _softplus(xc)
    sig, sigm = _logistic_pair(xc)
    g = _TWO_OVER_SQRT_PI * jnp.exp(-(sp * sp)) * sig
    return jnp.where(over | under, 0, g * (2 + xc * (sigm - 2 * sp * sig)))


_MINIMUM = -0.3484374587596064
"""The minimum of SERF (at x = -1.19306), rounded up to float64: the closed lower end."""


_serf, _serf_prime = _with_slope_and_curvature(_serf_value, _serf_slope, _serf_curvature)


def _reference(mp: Any, x: Any) -> Any:
    return x * mp.erf(mp.log1p(mp.exp(x)))


def _reference_derivative(mp: Any, x: Any) -> Any:
    sp = mp.log1p(mp.exp(x))
    return mp.erf(sp) + x * 2 / mp.sqrt(mp.pi) * mp.exp(-(sp**2)) / (1 + mp.exp(-x))


@activation(
    name="serf",
    display_name="SERF",
    family="self-gated",
    summary=(
        r"$x \operatorname{erf}(\ln(1 + e^x))$: a smooth, non-monotonic self-gated activation "
        "close to Mish, with the error function as its gate."
    ),
    formula=r"f(x) = x\operatorname{erf}\bigl(\ln(1 + e^{x})\bigr)",
    derivative=(
        r"f'(x) = \operatorname{erf}(\operatorname{sp}(x))"
        r" + x\,\frac{2}{\sqrt{\pi}}\,e^{-\operatorname{sp}(x)^2}\sigma(x),"
        r" \\ \operatorname{sp}(x) = \ln(1 + e^x)"
    ),
    output_range=Interval(_MINIMUM, math.inf, lo_open=False),
    monotonic=False,
    smoothness="Cinf",
    zero_at_zero=True,
    zero_centred=False,
    left_saturating=True,
    right_saturating=False,
    year=2021,
    introduced_in=(
        Reference(
            "S. Nag, M. Bhattacharyya",
            "SERF: Towards better training of deep neural networks using log-Softplus ERror "
            "activation Function",
            2021,
            "WACV 2023; arXiv:2108.09598",
            "https://arxiv.org/abs/2108.09598",
        ),
    ),
    conventions=(
        r"For $x \le 0$ the gate is written as a series in $t = e^x/(2 + e^x)$, so "
        r"$f \sim \frac{2}{\sqrt\pi} x e^x$ keeps its digits as $x \to -\infty$ and $f'$ does "
        "not cancel; "
        "f(−inf) = 0, f'(−inf) = 0, f'(+inf) = 1.",
    ),
    reference=_reference,
    reference_derivative=_reference_derivative,
    critical_points=(-1.193059968928188,),
    plot_range=(-6.0, 4.0),
)
def serf(x: ArrayLike) -> jax.Array:
    r"""SERF, the log-softplus error activation.

    $$f(x) = x\operatorname{erf}\bigl(\ln(1 + e^{x})\bigr)$$

    Args:
        x: input array.

    Returns:
        An array of the (floating) dtype of ``x``.

    Examples:
        >>> jaxact.serf(jnp.array([-2.0, 0.0, 2.0]))
        Array([-0.28491497,  0.        ,  1.9947392 ], dtype=float32)
    """
    return _serf_impl(as_inexact(x, "serf"))


_serf_impl = jit_in_float32(_serf, minimum=_MINIMUM)
