"""StarReLU, s relu(x)^2 + b (MetaFormer), with learnable scalars s and b.

With b < 0 < s the value crosses 0 at x = sqrt(-b/s), where s relu(x)^2 and b cancel: the sum
is formed from the exact product relu(x)^2 s (double words), so it keeps its digits there.
"""

from __future__ import annotations

import math
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax.typing import ArrayLike

from ._kernels.floating_point import _two_prod, _two_sum
from ._kernels.relu import _relu
from ._numerics import as_inexact, at_least, check_real_param, is_concrete, jit_in_float32
from ._param_range import check_finite_in_dtype
from ._registry import REALS, Equivalents, Interval, Param, Reference, activation

STAR_SCALE = 2 / math.sqrt(5)
"""1/sqrt(Var relu(Z)^2) = 1/sqrt(1.25) for a standard normal Z: the paper's 0.8944."""
STAR_BIAS = -1 / math.sqrt(5)
"""-E[relu(Z)^2] / sqrt(Var relu(Z)^2) = -0.5/sqrt(1.25): the paper's -0.4472."""


def _star_value(x: jax.Array, scale: jax.Array, bias: jax.Array) -> jax.Array:
    r = _relu(x)
    p_hi, p_lo = _two_prod(r, r)
    q_hi, q_lo = _two_prod(scale, p_hi)
    total, err = _two_sum(q_hi, bias)
    exact = total + (err + (q_lo + scale * p_lo))
    # r^2 overflows where s r^2 may not (|s| < 1): s r r in the order that stays finite, where
    # b is far below an ULP of the product.
    big = jnp.where(jnp.abs(scale) < 1, (scale * r) * r, scale * (r * r)) + bias
    return jnp.where(jnp.isfinite(p_hi) & jnp.isfinite(q_hi), exact, big)


@jax.custom_jvp
def _star_relu(x: jax.Array, scale: jax.Array, bias: jax.Array) -> jax.Array:
    return _star_value(x, scale, bias)


@_star_relu.defjvp
def _star_relu_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x, scale, bias), (tx, ts, tb) = primals, tangents
    r = _relu(x)
    # f' = 2 s relu(x) (continuous: 0 from both sides at 0); d/ds = relu(x)^2, d/db = 1.
    return _star_value(x, scale, bias), tx * (2 * scale * r) + ts * (r * r) + tb


@activation(
    name="star_relu",
    display_name="StarReLU",
    family="piecewise",
    summary=(
        r"$s\,\operatorname{relu}(x)^2 + b$: squared ReLU scaled and shifted to zero mean and unit "
        "variance, MetaFormer's cheap replacement for GELU."
    ),
    formula=r"f(x) = s \max(0, x)^2 + b",
    derivative=r"f'(x) = 2 s \max(0, x)",
    output_range=Interval(STAR_BIAS, lo_open=False),
    params=(
        Param(
            "scale",
            STAR_SCALE,
            r"scale $s$ (learnable; the paper's $0.8944 = 2/\sqrt{5}$ by default); any real value",
            REALS,
            "s",
            (STAR_SCALE, 0.5, 2.0),
        ),
        Param(
            "bias",
            STAR_BIAS,
            r"shift $b$ (learnable; the paper's $-0.4472 = -1/\sqrt{5}$ by default); any real "
            "value",
            REALS,
            "b",
        ),
    ),
    monotonic=True,
    smoothness="C1",
    zero_at_zero=False,
    zero_centred=True,
    left_saturating=True,
    right_saturating=False,
    year=2023,
    introduced_in=(
        Reference(
            "W. Yu, C. Si, P. Zhou, M. Luo, Y. Zhou, J. Feng, S. Yan, X. Wang",
            "MetaFormer Baselines for Vision",
            2023,
            "IEEE TPAMI",
            "https://arxiv.org/abs/2210.13452",
        ),
    ),
    equivalents=Equivalents(None, None, None),
    conventions=(
        r"The defaults are the paper's $s = 1/\sqrt{1.25} = 0.8944$ and $b = -0.5/\sqrt{1.25} = "
        r"-0.4472$ (exactly $2/\sqrt{5}$ and $-1/\sqrt{5}$): for a standard normal input the "
        "output has mean 0 and variance 1. The authors' StarReLU module starts its learnable $s$, "
        "$b$ at 1 and 0.",
        r"f'(0) = 0 from both sides; $s$ and $b$ are differentiable ($\partial f/\partial s = "
        r"\operatorname{relu}(x)^2$, $\partial f/\partial b = 1$).",
        r"$s\,\operatorname{relu}(x)^2 + b$ is summed from the exact product (double words), so "
        r"the value keeps its digits at its zero $\sqrt{-b/s}$, where the two terms cancel.",
    ),
    reference=lambda mp, x, scale=STAR_SCALE, bias=STAR_BIAS: (
        mp.mpf(scale) * max(mp.mpf(0), x) ** 2 + mp.mpf(bias)
    ),
    reference_derivative=lambda mp, x, scale=STAR_SCALE, bias=STAR_BIAS: (
        2 * mp.mpf(scale) * max(mp.mpf(0), x)
    ),
    plot_range=(-3.0, 3.0),
)
def star_relu(
    x: ArrayLike,
    scale: ArrayLike = 2 / math.sqrt(5),  # STAR_SCALE and STAR_BIAS, written out: the API
    bias: ArrayLike = -1 / math.sqrt(5),  # page shows the signature
) -> jax.Array:
    r"""StarReLU (Yu et al., 2023).

    $$f(x) = s \max(0, x)^2 + b, \qquad f'(x) = 2 s \max(0, x)$$

    With the defaults $s = 2/\sqrt 5 \approx 0.8944$ and $b = -1/\sqrt 5 \approx -0.4472$
    the output of a standard normal input has mean 0 and variance 1.

    Args:
        x: input array.
        scale: $s$, any real number (scalar or broadcastable array); differentiable.
        bias: $b$, any real number (scalar or broadcastable array); differentiable.

    Returns:
        An array of the (floating) dtype of ``x``.

    Examples:
        >>> jaxact.star_relu(jnp.array([-1.0, 0.0, 1.0, 2.0]))
        Array([-0.4472136, -0.4472136,  0.4472136,  3.130495 ], dtype=float32)
    """
    check_real_param("star_relu", "scale", scale, REALS, x)
    check_real_param("star_relu", "bias", bias, REALS, x)
    x = as_inexact(x, "star_relu")
    check_finite_in_dtype("star_relu", "scale", scale, x)
    check_finite_in_dtype("star_relu", "bias", bias, x)
    y = _star_relu_impl(x, scale, bias)
    if _is_default(scale, STAR_SCALE) and _is_default(bias, STAR_BIAS):
        # The stated closed lower end b: rounding to the output dtype must not cross it
        # (-0.4472136 rounds to -0.4473 in float16).
        y = at_least(y, STAR_BIAS)
    return y


def _is_default(value: Any, default: float) -> bool:
    return is_concrete(value) and np.ndim(value) == 0 and float(value) == default


_star_relu_impl = jit_in_float32(_star_relu)
