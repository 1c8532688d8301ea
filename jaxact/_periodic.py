"""The periodic activations: sine (SIREN's sin(omega_0 x)) and Snake (x + sin^2(alpha x)/alpha).

Both take the sine of a product of the input with a parameter. That product is carried as a
double word (``_kernels.trig``), so the result is ``sin`` of the exact product, not of its
rounding: near the zeros of the sine, and for large arguments, the rounding of ``omega_0 x``
alone would be many ULP of the result.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import jax
import jax.numpy as jnp
from jax.custom_derivatives import SymbolicZero
from jax.typing import ArrayLike

from ._kernels.logistic_gate import _finite_or_zero
from ._kernels.trig import (
    _product,
    _sin_cos,
    _sin_plus_quarter_pi,
    _sin_squared_plus_quarter_pi,
)
from ._numerics import as_inexact, check_real_param, instantiate, jit_in_float32
from ._param_range import check_finite_in_dtype
from ._registry import REALS, Equivalents, Interval, Param, Reference, activation

# The oracles score the sine of a product p in ULP where |p| < 2^24 (written out in each, as
# the accuracy cache keys on their source). Beyond, float32's p = hi + lo has |lo| >= 1 and
# sin(hi + lo) is an angle sum: accurate in absolute terms (tests/test_periodic.py), not
# relatively near its zeros.

# -- sine ----------------------------------------------------------------------------------


@jax.custom_jvp
def _sine(x: jax.Array, w: jax.Array) -> jax.Array:
    return _sin_cos(*_product(w, x))[0]


@jax.custom_jvp
def _cosine(x: jax.Array, w: jax.Array) -> jax.Array:
    return _sin_cos(*_product(w, x))[1]


@_sine.defjvp
def _sine_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x, w), (tx, tw) = primals, tangents
    return _sine(x, w), (tx * w + tw * x) * _cosine(x, w)


@_cosine.defjvp
def _cosine_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x, w), (tx, tw) = primals, tangents
    return _cosine(x, w), -(tx * w + tw * x) * _sine(x, w)


SITZMANN = Reference(
    "V. Sitzmann, J. N. P. Martel, A. W. Bergman, D. B. Lindell, G. Wetzstein",
    "Implicit Neural Representations with Periodic Activation Functions",
    2020,
    "NeurIPS",
    "https://arxiv.org/abs/2006.09661",
)


def _sine_reference(mp: Any, x: Any, omega_0: float = 1.0) -> Any:
    t = mp.mpf(omega_0) * x
    return mp.nan if abs(t) >= 2**24 else mp.sin(t)


def _sine_reference_derivative(mp: Any, x: Any, omega_0: float = 1.0) -> Any:
    t = mp.mpf(omega_0) * x
    return mp.nan if abs(t) >= 2**24 else mp.mpf(omega_0) * mp.cos(t)


@activation(
    name="sine",
    display_name="Sine (SIREN)",
    family="periodic",
    summary=(
        r"$\sin(\omega_0 x)$: the activation of SIREN, networks that fit signals and their "
        "derivatives."
    ),
    formula=r"f(x) = \sin(\omega_0 x)",
    derivative=r"f'(x) = \omega_0 \cos(\omega_0 x)",
    output_range=Interval(-1.0, 1.0, lo_open=False, hi_open=False),
    params=(
        Param(
            "omega_0",
            1.0,
            r"frequency $\omega_0$: 1 gives $\sin(x)$; SIREN uses 30 (with its initialisation, see "
            "the notes); any real value (a negative one mirrors the curve)",
            REALS,
            r"\omega_0",
            (0.5, 1.0, 2.0),
        ),
    ),
    monotonic=False,
    smoothness="Cinf",
    zero_at_zero=True,
    zero_centred=True,
    left_saturating=False,
    right_saturating=False,
    year=2020,
    introduced_in=(SITZMANN,),
    equivalents=Equivalents(None, None, None),
    conventions=(
        r"$\omega_0 = 1$ by default, so that $\operatorname{sine}(x)$ is $\sin(x)$; SIREN's "
        r"$\omega_0 = 30$ is passed explicitly (`omega_0=30.0`), as in the paper's layers.",
        r"$\omega_0 x$ is carried exactly (a double word), so the result is sin of the exact "
        r"product, not of its rounding: within the ULP bar for $|\omega_0 x| < 2^{24}$ (both "
        "dtypes scored there). Beyond, the product's low word can exceed 1 and the result is "
        r"accurate to a few ULP of 1 (absolute), not relatively near its zeros. Where $\omega_0 x$ "
        "overflows the dtype the result is NaN.",
    ),
    reference=_sine_reference,
    reference_derivative=_sine_reference_derivative,
    critical_points=tuple((k + 0.5) * math.pi for k in range(-13, 13)),
    plot_range=(-2 * math.pi, 2 * math.pi),
)
def sine(x: ArrayLike, omega_0: ArrayLike = 1.0) -> jax.Array:
    r"""Sine activation with frequency $\omega_0$ (SIREN).

    $$f(x) = \sin(\omega_0 x), \qquad f'(x) = \omega_0 \cos(\omega_0 x)$$

    SIREN (Sitzmann et al., 2020) uses $\omega_0 = 30$ in every layer together with its
    initialisation (first layer $U(-1/n, 1/n)$, the others
    $U(-\sqrt{6/n}/\omega_0, \sqrt{6/n}/\omega_0)$ for fan-in $n$).

    Args:
        x: input array.
        omega_0: frequency $\omega_0$, any real number (scalar or broadcastable array);
            differentiable.

    Returns:
        An array of the (floating) dtype of ``x``.

    Examples:
        >>> jaxact.sine(jnp.array([-1.0, 0.0, 0.5]))
        Array([-0.84147096,  0.        ,  0.47942555], dtype=float32)
        >>> jaxact.sine(jnp.array([-1.0, 0.0, 0.5]), omega_0=30.0)
        Array([0.9880316 , 0.        , 0.65028787], dtype=float32)
    """
    check_real_param("sine", "omega_0", omega_0, REALS, x)
    x = as_inexact(x, "sine")
    check_finite_in_dtype("sine", "omega_0", omega_0, x)
    return _sine_impl(x, omega_0)


_sine_impl = jit_in_float32(_sine)


# -- snake ---------------------------------------------------------------------------------


def _sinc_parts(x: jax.Array, alpha: jax.Array) -> tuple[jax.Array, ...]:
    """``(t, s, c, q)``: ``t = alpha x`` (rounded), ``s, c = sin, cos`` of the exact product and
    ``q = s / alpha = x sin(t)/t`` (``x`` where ``t = 0``), never divided by a zero alpha."""
    hi, lo = _product(alpha, x)
    s, c = _sin_cos(hi, lo)
    small = jnp.abs(hi) < 1
    # |t| < 1: x (s / t), with s / t in (0.84, 1]; else s / alpha (|alpha| >= 1/|x|, no blow-up).
    safe_t = jnp.where(hi == 0, 1, hi)
    safe_alpha = jnp.where(small, 1, alpha)
    q = jnp.where(small, x * jnp.where(hi == 0, 1, s / safe_t), s / safe_alpha)
    return hi, s, c, q


def _snake_value(x: jax.Array, alpha: jax.Array) -> jax.Array:
    t, s, _, q = _sinc_parts(x, alpha)
    # |alpha x| beyond the dtype: the periodic part is below 1/|alpha| < |x|/max, far below an
    # ULP of x; x = +-inf likewise.
    return jnp.where(jnp.isfinite(t), x + s * q, x)


def _snake_slope_parts(x: jax.Array, alpha: jax.Array) -> tuple[jax.Array, jax.Array]:
    """``(u, v) = (sin, cos)(alpha x + pi/4)``: f' = 2u², f'' = 4 alpha u v."""
    hi, lo = _product(alpha, x)
    return _sin_plus_quarter_pi(hi, lo)


def _snake_slope(x: jax.Array, alpha: jax.Array) -> jax.Array:
    """``1 + sin(2 alpha x)``: as written where it is at least 1/2 (exactly 1 at alpha = 0),
    else as ``2 sin^2(alpha x + pi/4)``, exact near its (double) zeros where the sum cancels
    (the argument reduced by k pi from exact partial products: ``_sin_squared_plus_quarter_pi``,
    which gives 1/2 beyond its range, so that the sum as written is used there)."""
    s, c = _sin_cos(*_product(alpha, x))
    square = 2 * _sin_squared_plus_quarter_pi(alpha, x)
    return jnp.where(square >= 0.5, 1 + 2 * (s * c), square)


@jax.custom_jvp
def _snake_prime(x: jax.Array, alpha: jax.Array) -> jax.Array:
    return _snake_slope(x, alpha)


@functools.partial(_snake_prime.defjvp, symbolic_zeros=True)
def _snake_prime_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x, alpha), (tx, ta) = primals, tangents
    u, v = _snake_slope_parts(x, alpha)
    uv4 = 4 * (u * v)  # 2 cos(2 alpha x)
    tangent = instantiate(tx, x) * (alpha * uv4)
    if not isinstance(ta, SymbolicZero):  # alpha differentiated (a learnt alpha)
        tangent = tangent + ta * (_finite_or_zero(x) * uv4)
    return _snake_slope(x, alpha), tangent


@jax.custom_jvp
def _snake(x: jax.Array, alpha: jax.Array) -> jax.Array:
    return _snake_value(x, alpha)


@functools.partial(_snake.defjvp, symbolic_zeros=True)
def _snake_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x, alpha), (tx, ta) = primals, tangents
    tangent = instantiate(tx, x) * _snake_prime(x, alpha)
    if not isinstance(ta, SymbolicZero):  # alpha differentiated (a learnt alpha)
        t, _, c, q = _sinc_parts(x, alpha)
        # d/dalpha sin^2(alpha x)/alpha = x sin(2t)/alpha - sin^2(t)/alpha^2
        # = x (2 q cos t) - q^2 with q = x sin(t)/t = sin(t)/alpha: finite at alpha = 0 (the
        # limit x^2), and 2 x is never formed (it overflows at the largest x).
        tangent = tangent + ta * jnp.where(jnp.isfinite(t), x * (2 * q * c) - q * q, 0)
    return _snake_value(x, alpha), tangent


def _snake_reference(mp: Any, x: Any, alpha: float = 1.0) -> Any:
    a = mp.mpf(alpha)
    return x if a == 0 else x + mp.sin(a * x) ** 2 / a


def _snake_reference_derivative(mp: Any, x: Any, alpha: float = 1.0) -> Any:
    t = 2 * mp.mpf(alpha) * x
    return mp.nan if abs(t) >= 2**24 else 1 + mp.sin(t)


@activation(
    name="snake",
    display_name="Snake",
    family="periodic",
    summary=(
        r"$x + \sin^2(\alpha x)/\alpha$: a monotonic ReLU-like trend with a learnable periodic "
        "ripple, for functions and audio that repeat (BigVGAN)."
    ),
    formula=r"f(x) = x + \frac{\sin^2(\alpha x)}{\alpha}",
    derivative=r"f'(x) = 1 + \sin(2\alpha x) = 2\sin^2\!\left(\alpha x + \tfrac{\pi}{4}\right)",
    output_range=Interval(),
    params=(
        Param(
            "alpha",
            1.0,
            r"frequency $\alpha$ of the ripple (period $\pi/\alpha$, height $1/\alpha$); $\alpha = "
            r"0$ is the limit $x$, and a negative $\alpha$ mirrors the ripple (a learnt $\alpha$ "
            "may cross 0)",
            REALS,
            r"\alpha",
            (0.5, 1.0, 2.0),
        ),
    ),
    monotonic=True,
    monotonic_ulps=3,
    smoothness="Cinf",
    zero_at_zero=True,
    zero_centred=False,
    left_saturating=False,
    right_saturating=False,
    year=2020,
    introduced_in=(
        Reference(
            "L. Ziyin, T. Hartwig, M. Ueda",
            "Neural Networks Fail to Learn Periodic Functions and How to Fix It",
            2020,
            "NeurIPS",
            "https://arxiv.org/abs/2006.08195",
        ),
    ),
    references=(
        Reference(
            "S.-g. Lee, W. Ping, B. Ginsburg, B. Catanzaro, S. Yoon",
            "BigVGAN: A Universal Neural Vocoder with Large-Scale Training",
            2023,
            "ICLR",
            "https://arxiv.org/abs/2206.04658",
        ),
    ),
    equivalents=Equivalents(None, None, None),
    conventions=(
        r"$\alpha = 0$ gives $x$ exactly (the limit), with $\partial f/\partial\alpha = x^2$ "
        r"there; $\sin^2(\alpha x)/\alpha$ is computed as $x \sin(t)\,(\sin(t)/t)$ for $|t| = "
        r"|\alpha x| < 1$, so a tiny $\alpha$ neither divides by 0 nor cancels. A subnormal "
        r"$\alpha$ is read as 0 by XLA on CPU (it flushes subnormals) and gives $x$.",
        r"$\alpha x$ is carried exactly (a double word). $f'$ is $1 + \sin(2\alpha x)$ where that "
        r"is at least 1/2 and $2\sin^2(\alpha x + \pi/4)$ below, where $1 + \sin(2\alpha x)$ "
        r"cancels; there $\alpha x + \pi/4 - k\pi$ is summed from exact partial products, so that "
        "$f'$ keeps its digits also at the floats nearest its zeros: within 4 ULP there for "
        r"$|\alpha x| < 2^{22}$ (float32) and $2^{40}$ (float64) (2.0 and 1.9 ULP measured, up to "
        r"$|\alpha x| \approx 3.3 \times 10^6$), and within the ULP bar on the accuracy grids for "
        r"$|2\alpha x| < 2^{24}$ (scored there in both dtypes); beyond $2^{24}$, $f'$ is accurate "
        r"to a few ULP of 1 (absolute). Where $\alpha x$ overflows the dtype, $f$ is $x$ (the "
        "ripple is below an ULP of $x$) and $f'$ is NaN.",
    ),
    reference=_snake_reference,
    reference_derivative=_snake_reference_derivative,
    plot_range=(-4.0, 4.0),
)
def snake(x: ArrayLike, alpha: ArrayLike = 1.0) -> jax.Array:
    r"""Snake activation (Ziyin et al., 2020).

    $$f(x) = x + \frac{\sin^2(\alpha x)}{\alpha}, \qquad
      f'(x) = 1 + \sin(2\alpha x)$$

    Monotonic ($f' \ge 0$), with $f(x) \to x$ as $\alpha \to 0$: ``alpha=0`` gives ``x``.
    BigVGAN learns one $\alpha$ per channel (``jaxact.flax.Snake``, ``jaxact.equinox.Snake``).

    Args:
        x: input array.
        alpha: frequency $\alpha$, any real number (scalar or broadcastable array, e.g. one
            per channel); differentiable.

    Returns:
        An array of the (floating) dtype of ``x``.

    Examples:
        >>> jaxact.snake(jnp.array([-1.0, 0.0, 1.0]))
        Array([-0.29192662,  0.        ,  1.7080734 ], dtype=float32)
        >>> jaxact.snake(jnp.array([-1.0, 0.0, 1.0]), alpha=0.0)
        Array([-1.,  0.,  1.], dtype=float32)
    """
    check_real_param("snake", "alpha", alpha, REALS, x)
    x = as_inexact(x, "snake")
    check_finite_in_dtype("snake", "alpha", alpha, x)
    return _snake_impl(x, alpha)


_snake_impl = jit_in_float32(_snake)
