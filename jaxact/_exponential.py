"""The exponential / softplus family: ELU, CELU, SELU, softplus and their algebraic cousins.

The ELU family's negative branch is ``alpha * expm1(x)``; jax's default derivative of ``expm1``
is ``ans + 1``, which is exactly 0 once ``expm1(x)`` rounds to -1 (x < -17 in float32). Here
``expm1``'s derivative is ``exp(x)``, computed from the input, and the branch input is clamped
(the "double where") so the unselected branch never overflows into a NaN gradient.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import jax
import jax.numpy as jnp
from jax import lax
from jax.custom_derivatives import SymbolicZero

from ._kernels_expm1 import (
    _EXPM1_FLOOR,
    _INT,
    _dtype_name,
    _expm1_nonpositive,
    _expm1_reduced,
)
from ._kernels_sigmoid import _softplus
from ._numerics import as_inexact, check_real_param, in_float32
from ._registry import Equivalents, Interval, Param, Reference, activation

_NON_NEGATIVE = Interval(0.0, math.inf, lo_open=False)
_POSITIVE = Interval(0.0, math.inf)

# Klambauer et al. (2017), eq. 14: the fixed point (mean 0, variance 1) of a SELU layer.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def _elu_core(x: jax.Array, alpha: jax.Array) -> jax.Array:
    positive = x > 0
    # The double where: the exp branch sees 0 where it is not selected, so neither its value
    # nor its gradient can overflow. `where`, not minimum, so d(xs)/dx = 1 at x = 0.
    xs = jnp.where(positive, 0, x)
    return jnp.where(positive, x, alpha * _expm1_nonpositive(xs))


# -- elu -----------------------------------------------------------------------------------

_ELU_REF = Reference(
    "D.-A. Clevert, T. Unterthiner, S. Hochreiter",
    "Fast and Accurate Deep Network Learning by Exponential Linear Units (ELUs)",
    2016,
    "ICLR",
    "https://arxiv.org/abs/1511.07289",
)


@activation(
    name="elu",
    display_name="ELU",
    family="exponential",
    summary="x for x > 0, α(eˣ − 1) below: a smooth negative saturation at −α.",
    formula=r"f(x) = \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases}",
    derivative=r"f'(x) = \begin{cases} 1 & x > 0 \\ \alpha\,e^{x} & x \le 0 \end{cases}",
    output_range=Interval(-1.0),
    params=(
        Param(
            "alpha",
            1.0,
            "The negative saturation value is −α; α = 1 makes the derivative continuous.",
            _NON_NEGATIVE,
            latex=r"\alpha",
            plot_values=(0.5, 1.0, 2.0),
        ),
    ),
    monotonic=True,
    smoothness="C1",
    zero_at_zero=True,
    zero_centred=False,
    left_saturating=True,
    right_saturating=False,
    year=2016,
    references=(_ELU_REF,),
    equivalents=Equivalents("jax.nn.elu", "torch.nn.ELU", "keras.activations.elu"),
    conventions=(
        "elu'(0) = α, the negative branch (as jax.nn); with the default α = 1 both sides agree "
        "and ELU is C¹, otherwise only C⁰.",
        "α must lie in [0, ∞) (α = 0 is ReLU); the derivative on x ≤ 0 is α·eˣ from the input.",
    ),
    reference=lambda mp, x, alpha=1.0: x if x > 0 else mp.mpf(alpha) * mp.expm1(x),
    reference_derivative=lambda mp, x, alpha=1.0: mp.mpf(1) if x > 0 else mp.mpf(alpha) * mp.exp(x),
)
def elu(x: Any, alpha: Any = 1.0) -> jax.Array:
    r"""Exponential linear unit.

    $$f(x) = \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases}$$

    Args:
        x: input array.
        alpha: $\alpha \ge 0$ (scalar or broadcastable array), the negative saturation value
            is $-\alpha$.

    Returns:
        An array of the (floating) dtype of ``x``.

    Examples:
        >>> jaxact.elu(jnp.array([-2.0, 0.0, 1.5]))
        Array([-0.86466473,  0.        ,  1.5       ], dtype=float32)
    """
    x = as_inexact(x, "elu")
    check_real_param("elu", "alpha", alpha, _NON_NEGATIVE)
    return _elu(x, alpha)


@jax.jit
@in_float32
def _elu(x: jax.Array, alpha: Any) -> jax.Array:
    return _elu_core(x, jnp.asarray(alpha, x.dtype))


# -- celu ----------------------------------------------------------------------------------


@activation(
    name="celu",
    display_name="CELU",
    family="exponential",
    summary="ELU reparametrised as α(e^{x/α} − 1): C¹ for every α.",
    formula=(r"f(x) = \begin{cases} x & x > 0 \\ \alpha\,(e^{x/\alpha} - 1) & x \le 0 \end{cases}"),
    derivative=r"f'(x) = \begin{cases} 1 & x > 0 \\ e^{x/\alpha} & x \le 0 \end{cases}",
    output_range=Interval(-1.0),
    params=(
        Param(
            "alpha",
            1.0,
            "The negative saturation value is −α and the scale of the exponential.",
            _POSITIVE,
            latex=r"\alpha",
            plot_values=(0.5, 1.0, 2.0),
        ),
    ),
    monotonic=True,
    smoothness="C1",
    zero_at_zero=True,
    zero_centred=False,
    left_saturating=True,
    right_saturating=False,
    year=2017,
    references=(
        Reference(
            "J. T. Barron",
            "Continuously Differentiable Exponential Linear Units",
            2017,
            "arXiv",
            "https://arxiv.org/abs/1704.07483",
        ),
    ),
    equivalents=Equivalents("jax.nn.celu", "torch.nn.CELU", "keras.activations.celu"),
    conventions=(
        "celu'(0) = 1 from both sides.",
        "α must be > 0 (it divides x). x/α is carried in double-word arithmetic, so its rounding "
        "does not spoil e^{x/α} in the negative tail (jax.nn is 85 ULP off in celu′ at x = −19, "
        "α = 0.3).",
    ),
    reference=lambda mp, x, alpha=1.0: x if x > 0 else mp.mpf(alpha) * mp.expm1(x / mp.mpf(alpha)),
    reference_derivative=lambda mp, x, alpha=1.0: mp.mpf(1) if x > 0 else mp.exp(x / mp.mpf(alpha)),
)
def celu(x: Any, alpha: Any = 1.0) -> jax.Array:
    r"""Continuously differentiable exponential linear unit.

    $$f(x) = \begin{cases} x & x > 0 \\ \alpha\,(e^{x/\alpha} - 1) & x \le 0 \end{cases}$$

    Args:
        x: input array.
        alpha: $\alpha > 0$ (scalar or broadcastable array).

    Returns:
        An array of the (floating) dtype of ``x``.

    Examples:
        >>> jaxact.celu(jnp.array([-2.0, 0.0, 1.5]), alpha=2.0)
        Array([-1.2642411,  0.       ,  1.5      ], dtype=float32)
    """
    x = as_inexact(x, "celu")
    check_real_param("celu", "alpha", alpha, _POSITIVE)
    return _celu(x, alpha)


@jax.jit
@in_float32
def _celu(x: jax.Array, alpha: Any) -> jax.Array:
    return _celu_core(x, jnp.asarray(alpha, x.dtype))


# celu(x) = alpha expm1(q), celu'(x) = e^q with q = x / alpha. Rounding q costs |q| 2^-24
# absolutely, which e^q turns into a relative error: 85 ULP in celu' at x = -19, alpha = 0.3
# (jax.nn alike). So q is carried as a double word q_hi + q_lo: q_hi = x (1/alpha) (no
# division), and q_lo = (x - q_hi alpha) / alpha from the exact remainder, with q_hi alpha
# formed error-free by splitting both factors into 12-bit (float32) / 26-bit (float64) halves
# by masking low significand bits (their partial products are exact, so XLA contracting
# a * b + c into an FMA under jit cannot change them; Veltkamp's (2^s + 1) a trick can be).
# x - q_hi alpha is exact by Sterbenz. Then expm1(q) = expm1(q_hi) + e^{q_hi} q_lo and
# e^q = e^{q_hi} (1 + q_lo) to first order (q_lo^2 < 2^-40). alpha is an array like x, so a
# traced alpha needs no Python-side branch.
_SPLIT_MASK = {"float32": 0xFFFFF000, "float64": 0xFFFFFFFFF8000000}
# Below q = x / alpha = -100 (float32) / -740 (float64) e^q is 0 and expm1(q) is -1.
_CELU_FLOOR = {"float32": -100.0, "float64": -740.0}


def _split(a: jax.Array) -> tuple[jax.Array, jax.Array]:
    name = _dtype_name(a)
    _, unsigned = _INT[name]
    hi = lax.bitcast_convert_type(
        lax.bitcast_convert_type(a, unsigned) & unsigned(_SPLIT_MASK[name]), a.dtype
    )
    return hi, a - hi


def _two_prod(a: jax.Array, b: jax.Array) -> tuple[jax.Array, jax.Array]:
    """``a b = hi + lo`` exactly (barring over/underflow), from exact partial products."""
    (ah, al), (bh, bl) = _split(a), _split(b)
    hi = a * b
    return hi, (((ah * bh - hi) + ah * bl) + al * bh) + al * bl


def _celu_quotient(x: jax.Array, alpha: jax.Array) -> tuple[jax.Array, jax.Array]:
    """``q = x / alpha = q_hi + q_lo`` for x <= 0, clipped where e^q is 0 anyway."""
    inv = 1 / alpha
    x = jnp.maximum(x, _CELU_FLOOR[_dtype_name(x)] * alpha)
    q_hi = x * inv
    p_hi, p_lo = _two_prod(q_hi, alpha)
    return q_hi, ((x - p_hi) - p_lo) * inv


def _celu_negative(x: jax.Array, alpha: jax.Array) -> jax.Array:
    q_hi, q_lo = _celu_quotient(x, alpha)
    name = _dtype_name(x)
    em1 = _expm1_reduced(q_hi, _EXPM1_FLOOR[name], 0.0)
    return alpha * (em1 + (em1 + 1) * q_lo)


@jax.custom_jvp
def _celu_core(x: jax.Array, alpha: jax.Array) -> jax.Array:
    positive = x > 0
    xs = jnp.where(positive, 0, x)  # the double where: the negative branch never sees x > 0
    return jnp.where(positive, x, _celu_negative(xs, alpha))


@functools.partial(_celu_core.defjvp, symbolic_zeros=True)
def _celu_core_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x, alpha), (tx, ta) = primals, tangents
    y = _celu_core(x, alpha)
    tangent = _celu_prime(x, alpha) * _instantiate(tx, x)
    if not isinstance(ta, SymbolicZero):
        # d/dalpha [alpha expm1(x/alpha)] = expm1(q) - q e^q (0 for x > 0), with q clipped so
        # that x = -inf gives the limit -1, not -inf * 0.
        positive = x > 0
        q, _ = _celu_quotient(jnp.where(positive, 0, x), alpha)
        tangent = tangent + jnp.where(positive, 0, jnp.expm1(q) - q * jnp.exp(q)) * ta
    return y, tangent


@jax.custom_jvp
def _celu_prime(x: jax.Array, alpha: jax.Array) -> jax.Array:
    positive = x > 0
    q_hi, q_lo = _celu_quotient(jnp.where(positive, 0, x), alpha)
    return jnp.where(positive, 1, jnp.exp(q_hi) * (1 + q_lo))


@functools.partial(_celu_prime.defjvp, symbolic_zeros=True)
def _celu_prime_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x, alpha), (tx, ta) = primals, tangents
    d = _celu_prime(x, alpha)
    # d e^{x/alpha} = e^{x/alpha} (tx - (x/alpha) ta) / alpha on x <= 0; 0 for x > 0.
    positive = x > 0
    neg = jnp.where(positive, 0, d) / alpha
    tangent = neg * _instantiate(tx, x)
    if not isinstance(ta, SymbolicZero):
        q, _ = _celu_quotient(jnp.where(positive, 0, x), alpha)  # finite at x = -inf
        tangent = tangent - neg * q * ta
    return d, tangent


# -- selu ----------------------------------------------------------------------------------


@activation(
    name="selu",
    display_name="SELU",
    family="exponential",
    summary="λ·ELU_α with constants that keep activations at mean 0, variance 1.",
    formula=(
        r"f(x) = \lambda \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases},"
        r"\ \lambda \approx 1.0507,\ \alpha \approx 1.6733"
    ),
    derivative=(r"f'(x) = \lambda \begin{cases} 1 & x > 0 \\ \alpha\,e^{x} & x \le 0 \end{cases}"),
    output_range=Interval(-SELU_SCALE * SELU_ALPHA),
    monotonic=True,
    smoothness="C0",
    zero_at_zero=True,
    zero_centred=True,
    left_saturating=True,
    right_saturating=False,
    year=2017,
    references=(
        Reference(
            "G. Klambauer, T. Unterthiner, A. Mayr, S. Hochreiter",
            "Self-Normalizing Neural Networks",
            2017,
            "NeurIPS",
            "https://arxiv.org/abs/1706.02515",
        ),
    ),
    equivalents=Equivalents("jax.nn.selu", "torch.nn.SELU", "keras.activations.selu"),
    conventions=(
        "selu'(0) = λα, the negative branch (as jax.nn and PyTorch).",
        "λ = 1.0507009873554804934193349852946, α = 1.6732632423543772848170429916717: "
        "E[selu(Z)] = 0 and E[selu(Z)²] = 1 for a standard normal Z.",
    ),
    reference=lambda mp, x: (
        mp.mpf("1.0507009873554804934193349852946")
        * (x if x > 0 else mp.mpf("1.6732632423543772848170429916717") * mp.expm1(x))
    ),
    reference_derivative=lambda mp, x: (
        mp.mpf("1.0507009873554804934193349852946")
        * (mp.mpf(1) if x > 0 else mp.mpf("1.6732632423543772848170429916717") * mp.exp(x))
    ),
)
def selu(x: Any) -> jax.Array:
    r"""Scaled exponential linear unit.

    $$f(x) = \lambda \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases}$$

    with $\lambda = 1.0507009873554804934193349852946$ and
    $\alpha = 1.6732632423543772848170429916717$.

    Args:
        x: input array.

    Returns:
        An array of the (floating) dtype of ``x``.

    Examples:
        >>> jaxact.selu(jnp.array([-2.0, 0.0, 1.5]))
        Array([-1.5201665,  0.       ,  1.5760515], dtype=float32)
    """
    return _selu(as_inexact(x, "selu"))


@jax.jit
@in_float32
def _selu(x: jax.Array) -> jax.Array:
    # lambda * alpha rounded once, so the negative branch costs one multiply, as jax.nn's.
    positive = x > 0
    xs = jnp.where(positive, 0, x)
    return jnp.where(positive, SELU_SCALE * x, (SELU_SCALE * SELU_ALPHA) * _expm1_nonpositive(xs))


# -- softplus ------------------------------------------------------------------------------


@activation(
    name="softplus",
    display_name="Softplus",
    family="exponential",
    summary="log(1 + eˣ): a smooth ReLU whose derivative is the sigmoid.",
    formula=r"f(x) = \log\left(1 + e^{x}\right) = \max(x, 0) + \log\left(1 + e^{-|x|}\right)",
    derivative=r"f'(x) = \sigma(x)",
    output_range=Interval(0.0),
    monotonic=True,
    smoothness="Cinf",
    zero_at_zero=False,
    zero_centred=False,
    left_saturating=True,
    right_saturating=False,
    year=2001,
    references=(
        Reference(
            "C. Dugas, Y. Bengio, F. Bélisle, C. Nadeau, R. Garcia",
            "Incorporating Second-Order Functional Knowledge for Better Option Pricing",
            2001,
            "NeurIPS 13",
            "https://papers.nips.cc/paper/1920-incorporating-second-order-functional-knowledge"
            "-for-better-option-pricing",
        ),
    ),
    equivalents=Equivalents("jax.nn.softplus", "torch.nn.Softplus", "keras.activations.softplus"),
    conventions=(
        "No switch to the identity for large x (PyTorch's threshold=20 is off by 1.25e-9 at "
        "20.5 in float64): max(x, 0) + log1p(e^−|x|) is exact everywhere.",
    ),
    reference=lambda mp, x: mp.log1p(mp.exp(x)),
    reference_derivative=lambda mp, x: 1 / (1 + mp.exp(-x)),
)
def softplus(x: Any) -> jax.Array:
    r"""Softplus.

    $$f(x) = \log\left(1 + e^{x}\right), \qquad f'(x) = \sigma(x)$$

    Args:
        x: input array.

    Returns:
        An array of the (floating) dtype of ``x``, with values in $[0, \infty]$.

    Examples:
        >>> jaxact.softplus(jnp.array([-2.0, 0.0, 2.0]))
        Array([0.126928 , 0.6931472, 2.126928 ], dtype=float32)
    """
    return _softplus_impl(as_inexact(x, "softplus"))


@jax.jit
@in_float32
def _softplus_impl(x: jax.Array) -> jax.Array:
    return _softplus(x)


# -- sparse_plus ---------------------------------------------------------------------------


@activation(
    name="sparse_plus",
    display_name="Sparse plus",
    family="exponential",
    summary="0, (x+1)²/4, x on (−∞,−1], (−1,1), [1,∞): softplus's piecewise-quadratic twin.",
    formula=(
        r"f(x) = \begin{cases} 0 & x \le -1 \\ \tfrac14 (x + 1)^2 & -1 < x < 1 \\ "
        r"x & x \ge 1 \end{cases}"
    ),
    derivative=(
        r"f'(x) = \begin{cases} 0 & x \le -1 \\ \tfrac12 (x + 1) & -1 < x < 1 \\ "
        r"1 & x \ge 1 \end{cases}"
    ),
    output_range=Interval(0.0, lo_open=False),
    monotonic=True,
    smoothness="C1",
    zero_at_zero=False,
    zero_centred=False,
    left_saturating=True,
    right_saturating=False,
    year=2020,
    references=(
        Reference(
            "M. Blondel, A. F. T. Martins, V. Niculae",
            "Learning with Fenchel-Young Losses",
            2020,
            "JMLR 21",
            "https://arxiv.org/abs/1901.02324",
        ),
    ),
    equivalents=Equivalents("jax.nn.sparse_plus", None, "keras.activations.sparse_plus"),
    conventions=("The derivative is sparse_sigmoid; it is continuous, so no kink convention.",),
    reference=lambda mp, x: mp.mpf(0) if x <= -1 else (x if x >= 1 else (x + 1) ** 2 / 4),
    reference_derivative=lambda mp, x: (
        mp.mpf(0) if x <= -1 else (mp.mpf(1) if x >= 1 else (x + 1) / 2)
    ),
    plot_range=(-3.0, 3.0),
)
def sparse_plus(x: Any) -> jax.Array:
    r"""Sparse plus.

    $$f(x) = \begin{cases} 0 & x \le -1 \\ \tfrac14 (x + 1)^2 & -1 < x < 1 \\
    x & x \ge 1 \end{cases}$$

    Args:
        x: input array.

    Returns:
        An array of the (floating) dtype of ``x``, with values in $[0, \infty]$.

    Examples:
        >>> jaxact.sparse_plus(jnp.array([-2.0, 0.0, 0.5, 2.0]))
        Array([0.    , 0.25  , 0.5625, 2.    ], dtype=float32)
    """
    return _sparse_plus(as_inexact(x, "sparse_plus"))


@jax.jit
@in_float32
def _sparse_plus(x: jax.Array) -> jax.Array:
    return _sparse_plus_core(x)


@jax.custom_jvp
def _sparse_plus_core(x: jax.Array) -> jax.Array:
    # The clip gives 0 for x <= -1 and keeps (x + 1)^2 finite where x >= 1 selects x.
    u = jnp.clip(x + 1, 0, 2)
    return jnp.where(x >= 1, x, u * u / 4)


@_sparse_plus_core.defjvp
def _sparse_plus_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x,), (t,) = primals, tangents
    # f' = clip((x + 1)/2, 0, 1) (sparse_sigmoid): one clip, and autodiff of the where would
    # meet 0 * inf from (x + 1)^2 at the largest floats.
    return _sparse_plus_core(x), t * jnp.clip((x + 1) / 2, 0, 1)


# -- squareplus ----------------------------------------------------------------------------


def _squareplus_parts(x: jax.Array, b: jax.Array) -> tuple[jax.Array, jax.Array, jax.Array]:
    """``(h, m, h m / 2)`` with h = sqrt(x^2 + b) and m = (|x| + h)/2."""
    a = jnp.abs(x)
    # sqrt(x^2 + b) rounds twice before the (correctly rounded) sqrt; x^2 overflows from
    # |x| ~ 1.8e19 in float32, so large |x| are scaled by an exact power of two first (jnp.hypot
    # would cost a division and lose 2 ULP).
    big_exponent, shift = {jnp.dtype(jnp.float64): (500, 520)}.get(a.dtype, (60, 70))
    big = a > 2.0**big_exponent
    down = jnp.where(big, 2.0**-shift, 1).astype(a.dtype)
    up = jnp.where(big, 2.0 ** (shift - 1), 0.5).astype(a.dtype)
    a_scaled = a * down
    half_a = 0.5 * a
    half_h = jnp.sqrt(a_scaled * a_scaled + b * (down * down)) * up  # h / 2
    # b = 0 (ReLU): h = |x| exactly, also where x^2 underflows.
    half_h = jnp.where(b == 0, half_a, half_h)
    h = 2 * half_h
    # (|x| + h) / 2 with halves first so it cannot overflow; for b = 0 it is |x|, selected
    # explicitly because XLA folds 0.5|x| + 0.5|x| into 0.5(|x| + |x|), which overflows.
    m = jnp.where(b == 0, a, half_h + half_a)
    hm = half_h * m  # (h m) / 2; overflows only where s underflows anyway
    return h, m, hm


def _squareplus_derivative(x: jax.Array, b: jax.Array) -> jax.Array:
    h, _, _ = _squareplus_parts(x, b)
    # (1 + x/h)/2 wherever x/h >= -1/2 (3x^2 <= b): no cancellation, and no product of four
    # rounded terms near f' = 1/2. Further left it cancels; there (1 + x/h)/2 = b/(4hm) with
    # m = (|x| + h)/2 (multiply by h - x = 2m). x/h is inf/inf at x = +inf, where it is 1;
    # b = 0 (ReLU) at x = 0 gives 0/0, where f' is taken as 1/2, its value for every b > 0.
    near = (x >= 0) | (3 * (x * x) <= b)
    a = jnp.abs(x)
    # 2hm = h^2 + |x| h = x^2 + b + |x| h: h's rounding enters at half weight. Where x^2
    # overflows the true value is below the smallest normal, and 0 is returned.
    two_hm = (a * a + b) + a * h
    # One division for both branches: select numerator and denominator first.
    den = jnp.where(near, h, two_hm)
    q = jnp.where(near, x, b / 2) / jnp.where(den == 0, 1, den)
    q = jnp.where(x == jnp.inf, 1, q)  # x/h = inf/inf; at -inf the far branch gives 0
    return jnp.where(near, (1 + q) / 2, q)


@jax.custom_jvp
def _squareplus(x: jax.Array, b: jax.Array) -> jax.Array:
    # For x < 0, (x + h)/2 cancels (squareplus(-1e4) would be 0, truth 1e-4); there
    # (x + h)(h - x) = b gives b / (2 (h - x)) = (b/4) / m, a quotient of positive numbers.
    _, m, _ = _squareplus_parts(x, b)
    return jnp.where(x >= 0, m, (b / 4) / m)


@functools.partial(_squareplus.defjvp, symbolic_zeros=True)
def _squareplus_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x, b), (tx, tb) = primals, tangents
    # Zero tangents arrive as SymbolicZero and their terms are skipped: otherwise 0 * (a term
    # that is inf / inf at x = +-inf) poisons the second derivative in x.
    tangent = _squareplus_prime(x, b) * _instantiate(tx, x)
    if not isinstance(tb, SymbolicZero):
        h, _, _ = _squareplus_parts(x, b)
        tangent = tangent + tb / (4 * h)  # df/db = 1 / (4h)
    return _squareplus(x, b), tangent


@jax.custom_jvp
def _squareplus_prime(x: jax.Array, b: jax.Array) -> jax.Array:
    return _squareplus_derivative(x, b)


@functools.partial(_squareplus_prime.defjvp, symbolic_zeros=True)
def _squareplus_prime_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x, b), (tx, tb) = primals, tangents
    h, _, _ = _squareplus_parts(x, b)
    r = jnp.where(h == 0, 0, 1 / jnp.where(h == 0, 1, h))  # b = 0 at x = 0: f'' taken as 0
    tangent = (b / 2) * (r * r * r) * _instantiate(tx, x)  # f'' = b / (2h^3)
    if not isinstance(tb, SymbolicZero):
        # d f'/db = -x / (4h^3), with x/h = +-1 at x = +-inf.
        ratio = jnp.where(jnp.isinf(x), jnp.sign(x), x * r)
        tangent = tangent - ratio * (r * r) / 4 * tb
    return _squareplus_prime(x, b), tangent


def _instantiate(t: Any, like: jax.Array) -> jax.Array:
    return jnp.zeros_like(like) if isinstance(t, SymbolicZero) else t


def _squareplus_reference(mp: Any, x: Any, b: Any) -> tuple[Any, Any]:
    # (x + h)/2 cancels in any precision for x << -sqrt(b); (x + h)(h - x) = b avoids it.
    b = mp.mpf(b)
    h = mp.sqrt(x * x + b)
    if h == 0:  # b = 0 at x = 0: ReLU, with f'(0) = 1/2 by convention
        return mp.mpf(0), mp.mpf(0.5)
    if x >= 0:
        return (x + h) / 2, (1 + x / h) / 2
    return b / (2 * (h - x)), b / (2 * h * (h - x))


@activation(
    name="squareplus",
    display_name="Squareplus",
    family="exponential",
    summary="(x + √(x² + b))/2: an algebraic softplus, with no exp or log.",
    formula=r"f(x) = \frac{x + \sqrt{x^2 + b}}{2}",
    derivative=r"f'(x) = \frac{1}{2}\left(1 + \frac{x}{\sqrt{x^2 + b}}\right)",
    output_range=Interval(0.0),
    params=(
        Param(
            "b",
            4,
            "Curvature near 0: f(0) = √b/2; b = 0 gives ReLU.",
            _NON_NEGATIVE,
            latex="b",
            plot_values=(1.0, 4.0, 16.0),
        ),
    ),
    monotonic=True,
    smoothness="Cinf",
    zero_at_zero=False,
    zero_centred=False,
    left_saturating=True,
    right_saturating=False,
    year=2021,
    references=(
        Reference(
            "J. T. Barron",
            "Squareplus: A Softplus-Like Algebraic Rectifier",
            2021,
            "arXiv",
            "https://arxiv.org/abs/2112.11687",
        ),
    ),
    equivalents=Equivalents("jax.nn.squareplus", None, "keras.activations.squareplus"),
    conventions=(
        "With h = hypot(x, √b): (x + h)/2 for x ≥ 0 and b/(2(h − x)) for x < 0, so that "
        "x² never overflows and nothing cancels (jax.nn gives inf at −1e20 in float32, "
        "truth 1e-20).",
        "b must lie in [0, ∞). For b = 0 (ReLU) f'(0) is taken as 1/2, its value for every b > 0.",
    ),
    reference=lambda mp, x, b=4: _squareplus_reference(mp, x, b)[0],
    reference_derivative=lambda mp, x, b=4: _squareplus_reference(mp, x, b)[1],
)
def squareplus(x: Any, b: Any = 4) -> jax.Array:
    r"""Squareplus.

    $$f(x) = \frac{x + \sqrt{x^2 + b}}{2}, \qquad
    f'(x) = \frac{1}{2}\left(1 + \frac{x}{\sqrt{x^2 + b}}\right)$$

    Args:
        x: input array.
        b: $b \ge 0$ (scalar or broadcastable array), the curvature near 0.

    Returns:
        An array of the (floating) dtype of ``x``, with values in $[0, \infty]$.

    Examples:
        >>> jaxact.squareplus(jnp.array([-2.0, 0.0, 2.0]))
        Array([0.41421354, 1.        , 2.4142137 ], dtype=float32)
    """
    x = as_inexact(x, "squareplus")
    check_real_param("squareplus", "b", b, _NON_NEGATIVE)
    return _squareplus_impl(x, b)


@jax.jit
@in_float32
def _squareplus_impl(x: jax.Array, b: Any) -> jax.Array:
    return _squareplus(x, jnp.asarray(b, x.dtype))
