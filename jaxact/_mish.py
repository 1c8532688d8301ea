"""Mish: x tanh(softplus(x)), as x n / (n + 2) with n = e^x (e^x + 2).

Value and derivative are written from the input with a ``custom_jvp`` whose derivative is itself
a ``custom_jvp`` (so ``jax.hessian`` is exact too); for f and f', e^x comes from
``_kernels.exp``'s exponential by hand, carried times a power of two so that it stays normal
where e^x is subnormal.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
from jax.typing import ArrayLike

from ._kernels.derivatives import _with_slope_and_curvature
from ._kernels.exp import _exp_parts
from ._kernels.floating_point import _dtype_name
from ._kernels.logistic_gate import _finite_or_zero, _logistic_pair
from ._numerics import as_inexact, jit_in_float32
from ._registry import Equivalents, Interval, Reference, activation

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


_MINIMUM = -0.30884341301725040
"""The minimum of mish (at x = -1.19243), rounded up to float64: the closed lower end."""


_mish, _mish_prime = _with_slope_and_curvature(_mish_value, _mish_slope, _mish_curvature)


@activation(
    name="mish",
    display_name="Mish",
    family="self-gated",
    summary=(
        r"$x \tanh(\operatorname{softplus}(x))$: a smooth, self-regularised non-monotonic "
        "activation."
    ),
    formula=r"f(x) = x\tanh\bigl(\ln(1 + e^{x})\bigr) = x\,\frac{n}{n + 2}, \\ n = e^x(e^x + 2)",
    derivative=(
        r"f'(x) = \tanh(\operatorname{sp}(x))"
        r" + x\,\sigma(x)\operatorname{sech}^2(\operatorname{sp}(x)),"
        r" \\ \operatorname{sp}(x) = \ln(1 + e^x)"
    ),
    output_range=Interval(_MINIMUM, math.inf, lo_open=False),
    monotonic=False,
    smoothness="Cinf",
    zero_at_zero=True,
    zero_centred=False,
    left_saturating=True,
    right_saturating=False,
    year=2019,
    introduced_in=(
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
        r"Computed as $x\,n/(n + 2)$ with $n = e^x(e^x + 2)$: one exp, no overflow; "
        "f(−inf) = 0, f'(+inf) = 1.",
    ),
    reference=lambda mp, x: x * mp.tanh(mp.log1p(mp.exp(x))),
    reference_derivative=lambda mp, x: (
        mp.tanh(mp.log1p(mp.exp(x))) + x * mp.sech(mp.log1p(mp.exp(x))) ** 2 / (1 + mp.exp(-x))
    ),
    critical_points=(-1.1924312145154952,),
    plot_range=(-6.0, 4.0),
)
def mish(x: ArrayLike) -> jax.Array:
    r"""Mish.

    $$f(x) = x\tanh\bigl(\ln(1 + e^{x})\bigr) = x\,\frac{n}{n + 2}, \qquad n = e^x(e^x + 2)$$

    Args:
        x: input array.

    Returns:
        An array of the (floating) dtype of ``x``.

    Examples:
        >>> jaxact.mish(jnp.array([-2.0, 0.0, 2.0]))
        Array([-0.2525015,  0.       ,  1.943959 ], dtype=float32)
    """
    return _mish_impl(as_inexact(x, "mish"))


# Rounding near the minimum would cross it (-0.30884343 in float32): kept at the end.
_mish_impl = jit_in_float32(_mish, minimum=_MINIMUM)
