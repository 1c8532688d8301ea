"""TeLU: x tanh(e^x), the hyperbolic tangent exponential linear unit.

Value and derivative are written from the input with a ``custom_jvp`` whose derivative is itself
a ``custom_jvp`` (so ``jax.hessian`` is exact too). tanh and sech² come from
``_kernels.logistic``, both of relative accuracy for small arguments: for x -> -inf the gate is
tanh(e^x) ~ e^x and f ~ x e^x keeps its digits, for x -> +inf tanh(e^x) is 1 and f = x exactly.
"""

from __future__ import annotations

import math
from typing import Any

import jax
import jax.numpy as jnp
from jax.typing import ArrayLike

from ._kernels.derivatives import _with_slope_and_curvature
from ._kernels.exp import _exp_parts
from ._kernels.floating_point import _dtype_name, _horner
from ._kernels.logistic import _sech2, _tanh_value
from ._numerics import as_inexact, jit_in_float32
from ._registry import Interval, Reference, activation

# x is clipped to [lo, hi] before e^x: beyond hi = 10 (e^10 = 22026) tanh(e^x) is 1 and
# sech²(e^x) 0 in both dtypes, so f = x and f' = 1; below lo, f and f' are far below the
# accuracy floor while e^lo is still normal (the clip keeps -inf * 0 from giving NaN). For
# x <= 0, e^x comes from ``_kernels.exp`` as scale (1 + s), folded into the last product (XLA's
# exp was 4.7 ULP off in f' at x = -5.7 in float64).
_TELU_CLIP = {"float32": (-104.0, 10.0), "float64": (-700.0, 10.0)}
# e^x is carried times 2^shift so that it stays normal below -87 in float32 (f = x e^x there
# is still 4.6 ULP of the accuracy floor at x = -88.2).
_SHIFT = {"float32": 32, "float64": 0}


def _telu_parts(x: jax.Array) -> tuple[jax.Array, jax.Array, jax.Array, jax.Array]:
    """``(xc, u, over, under)``: x clipped, u = e^xc, and where x is beyond either clip."""
    lo, hi = _TELU_CLIP[_dtype_name(x)]
    dt = x.dtype.type
    # x second in min/max: a NaN input stays NaN on every backend.
    xc = jnp.minimum(dt(hi), jnp.maximum(dt(lo), x))
    return xc, jnp.exp(xc), x > hi, x < lo


def _taylor(k0: int, scale: float, terms: int) -> tuple[float, ...]:
    """Coefficients of sum_k scale^k v^k / (2k + k0)!, k = 0 .. terms - 1 (in v = u^2)."""
    return tuple(scale**k / math.factorial(2 * k + k0) for k in range(terms))


# For x <= 0 (u = e^x <= 1), series in v = u^2 of only positive terms, each within an ULP:
# sinh(u)/u, cosh(u) and (sinh(2u)/(2u) - 1)/v; enough terms for v <= 1 in each dtype.
_TERMS = {"float32": 8, "float64": 13}
_SERIES = {
    name: (_taylor(1, 1.0, n), _taylor(0, 1.0, n), tuple(4 * c for c in _taylor(3, 4.0, n)))
    for name, n in _TERMS.items()
}


def _telu_value(x: jax.Array) -> jax.Array:
    # x <= 0: f = (x u) sinh(u)/u / cosh(u), relative accuracy down to the floor;
    # x > 0: x tanh(u) with the kernel's tanh (no cancellation on either side).
    xc, u, over, under = _telu_parts(x)
    sinhc, cosh, _ = _SERIES[_dtype_name(x)]
    v = u * u
    shift = _SHIFT[_dtype_name(x)]
    scale, s = _exp_parts(xc, None, shift)  # 2^shift u = scale (1 + s), scale a power of 2
    sh = _horner(sinhc, v)
    neg = ((xc * scale) * ((sh + sh * s) / _horner(cosh, v))) * (2.0**-shift)
    return jnp.where(over, x, jnp.where(x > 0, xc * _tanh_value(u), jnp.where(under, 0, neg)))


def _telu_slope(x: jax.Array) -> jax.Array:
    # f' = tanh(u) + x u sech²(u) = u ((1 + x) + (S - 1)) / cosh²(u), S = sinh(2u)/(2u).
    # For x <= 0 the sum cancels near the minimum (and f' ~ u (1 + x) for x -> -inf): 1 + x is
    # exact where it cancels (Sterbenz) and S - 1 is a series of positive terms, so the
    # difference keeps its digits (the two-term sum was 5 ULP off at x = -1.6). For x > 0
    # both terms are positive; sech² is never formed as 1 - tanh² (0 once tanh rounds to 1,
    # where x u sech²(u) still shows: 1.2e-6 at x = 2.2 in float32).
    xc, u, over, under = _telu_parts(x)
    _, cosh, sinh2c = _SERIES[_dtype_name(x)]
    v = u * u
    c1 = v * _horner(cosh[1:], v)  # cosh(u) - 1
    shift = _SHIFT[_dtype_name(x)]
    scale, s = _exp_parts(xc, None, shift)
    n = (1 + xc) + v * _horner(sinh2c, v)
    # (one rounding each for 1 + s and cosh²)
    neg = (scale * ((n + n * s) / (1 + c1 * (2 + c1)))) * (2.0**-shift)
    pos = _tanh_value(u) + (xc * u) * _sech2(u)
    return jnp.where(over, 1, jnp.where(x > 0, pos, jnp.where(under, 0, neg)))


def _telu_curvature(x: jax.Array) -> jax.Array:
    # f'' = u sech²(u) (2 + x - 2 x u tanh(u)).
    xc, u, over, _ = _telu_parts(x)
    return jnp.where(over, 0, (u * _sech2(u)) * (2 + xc - 2 * (xc * u) * _tanh_value(u)))


def _gate(mp: Any, x: Any) -> Any:
    # From x = 6 on, tanh(e^x) = 1 - 2e^(-806) or closer: 1 beyond any 106-bit reference
    # (and mpmath cannot hold tanh(e^(1e300))).
    return mp.tanh(mp.exp(x)) if x < 6 else mp.mpf(1)


def _gate_slope(mp: Any, x: Any) -> Any:
    """d tanh(e^x) / dx = e^x sech^2(e^x); below 2^-1000 from x = 6 on."""
    return mp.exp(x) * mp.sech(mp.exp(x)) ** 2 if x < 6 else mp.mpf(0)


_MINIMUM = -0.35328577784821125
"""The minimum of TeLU (at x = -1.07886), rounded up to float64: the closed lower end."""


_telu, _telu_prime = _with_slope_and_curvature(_telu_value, _telu_slope, _telu_curvature)


@activation(
    name="telu",
    display_name="TeLU",
    family="self-gated",
    summary=(
        r"$x \tanh(e^x)$: the identity for positive inputs within a few units, a smooth "
        "non-monotonic dip and a slowly vanishing gradient below."
    ),
    formula=r"f(x) = x\tanh\left(e^{x}\right)",
    derivative=r"f'(x) = \tanh\left(e^{x}\right) + x\,e^{x}\operatorname{sech}^2\left(e^{x}\right)",
    output_range=Interval(_MINIMUM, float("inf"), lo_open=False),
    monotonic=False,
    smoothness="Cinf",
    zero_at_zero=True,
    zero_centred=False,
    left_saturating=True,
    right_saturating=False,
    year=2024,
    introduced_in=(
        Reference(
            "A. Fernandez, A. Mali",
            "TeLU Activation Function for Fast and Stable Deep Learning",
            2024,
            "arXiv:2412.20269",
            "https://arxiv.org/abs/2412.20269",
        ),
    ),
    conventions=(
        r"The derivative uses $\operatorname{sech}^2(e^x)$ from the input, never "
        r"$1 - \tanh^2(e^x)$; f(−inf) = 0, f'(−inf) = 0, f'(+inf) = 1.",
    ),
    reference=lambda mp, x: x * _gate(mp, x),
    reference_derivative=lambda mp, x: _gate(mp, x) + x * _gate_slope(mp, x),
    critical_points=(-1.0788600584646241,),
    plot_range=(-6.0, 4.0),
)
def telu(x: ArrayLike) -> jax.Array:
    r"""TeLU, the hyperbolic tangent exponential linear unit.

    $$f(x) = x\tanh\left(e^{x}\right)$$

    Args:
        x: input array.

    Returns:
        An array of the (floating) dtype of ``x``.

    Examples:
        >>> jaxact.telu(jnp.array([-2.0, 0.0, 2.0]))
        Array([-0.26903006,  0.        ,  1.9999985 ], dtype=float32)
    """
    return _telu_impl(as_inexact(x, "telu"))


_telu_impl = jit_in_float32(_telu, minimum=_MINIMUM)
