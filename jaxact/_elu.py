"""The ELU family: ELU, CELU and SELU.

The negative branch is ``alpha * expm1(x)``; jax's default derivative of ``expm1``
is ``ans + 1``, which is exactly 0 once ``expm1(x)`` rounds to -1 (x < -17 in float32). Here
``expm1``'s derivative is ``exp(x)``, computed from the input, and the branch input is clamped
(the "double where") so the unselected branch never overflows into a NaN gradient.
"""

from __future__ import annotations

import functools
import math

import jax
import jax.numpy as jnp
from jax.custom_derivatives import SymbolicZero
from jax.typing import ArrayLike

from ._kernels.expm1 import _EXPM1_FLOOR, _expm1_nonpositive, _expm1_reduced
from ._kernels.floating_point import _dtype_name, _two_prod
from ._kernels.signs import positive as _positive
from ._numerics import as_inexact, check_real_param, in_float32, instantiate, jit_in_float32
from ._param_range import check_finite_in_dtype
from ._registry import Equivalents, Interval, Param, Reference, activation

_NON_NEGATIVE = Interval(0.0, math.inf, lo_open=False)
_POSITIVE = Interval(0.0, math.inf)

# Klambauer et al. (2017), eq. 14: the fixed point (mean 0, variance 1) of a SELU layer.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def _elu_core(x: jax.Array, alpha: jax.Array) -> jax.Array:
    # _positive(x), not x > 0: XLA on CPU reads a subnormal x as 0 in a comparison, and the
    # slope at 0 (alpha, or lambda alpha for selu) would apply to every positive subnormal.
    positive = _positive(x)
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
    summary=r"$x$ for $x > 0$, $\alpha(e^x - 1)$ below: a smooth negative saturation at $-\alpha$.",
    formula=r"f(x) = \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases}",
    derivative=r"f'(x) = \begin{cases} 1 & x > 0 \\ \alpha\,e^{x} & x \le 0 \end{cases}",
    output_range=Interval(-1.0),
    params=(
        Param(
            "alpha",
            1.0,
            r"The negative saturation value is $-\alpha$; $\alpha = 1$ makes the derivative "
            "continuous.",
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
    introduced_in=(_ELU_REF,),
    equivalents=Equivalents("jax.nn.elu", "torch.nn.ELU", "keras.activations.elu"),
    conventions=(
        r"elu'(0) = α, the negative branch (as jax.nn); with the default $\alpha = 1$ both sides "
        "agree and ELU is $C^1$, otherwise only $C^0$.",
        r"$\alpha$ must lie in $[0, \infty)$ ($\alpha = 0$ is ReLU); the derivative on "
        r"$x \le 0$ is $\alpha e^x$, computed from the input.",
    ),
    reference=lambda mp, x, alpha=1.0: x if x > 0 else mp.mpf(alpha) * mp.expm1(x),
    reference_derivative=lambda mp, x, alpha=1.0: mp.mpf(1) if x > 0 else mp.mpf(alpha) * mp.exp(x),
)
def elu(x: ArrayLike, alpha: ArrayLike = 1.0) -> jax.Array:
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
    check_real_param("elu", "alpha", alpha, _NON_NEGATIVE, x)
    check_finite_in_dtype("elu", "alpha", alpha, x)
    return _elu_impl(x, alpha)


_elu_impl = jit_in_float32(_elu_core)


# -- celu ----------------------------------------------------------------------------------


@activation(
    name="celu",
    display_name="CELU",
    family="exponential",
    summary=r"ELU reparametrised as $\alpha(e^{x/\alpha} - 1)$: $C^1$ for every $\alpha$.",
    formula=(r"f(x) = \begin{cases} x & x > 0 \\ \alpha\,(e^{x/\alpha} - 1) & x \le 0 \end{cases}"),
    derivative=r"f'(x) = \begin{cases} 1 & x > 0 \\ e^{x/\alpha} & x \le 0 \end{cases}",
    output_range=Interval(-1.0),
    params=(
        Param(
            "alpha",
            1.0,
            r"The negative saturation value is $-\alpha$ and the scale of the exponential.",
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
    introduced_in=(
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
        r"$\alpha$ must be $> 0$ (it divides $x$). $x/\alpha$ is carried in double-word "
        r"arithmetic, so its rounding does not spoil $e^{x/\alpha}$ in the negative tail (at "
        r"$x = -19$, $\alpha = 0.3$ the rounded quotient makes celu′ 16 ULP off in float32; "
        r"jax.nn's celu′ there is 0, the truth $3.1 \times 10^{-28}$).",
    ),
    reference=lambda mp, x, alpha=1.0: x if x > 0 else mp.mpf(alpha) * mp.expm1(x / mp.mpf(alpha)),
    reference_derivative=lambda mp, x, alpha=1.0: mp.mpf(1) if x > 0 else mp.exp(x / mp.mpf(alpha)),
)
def celu(x: ArrayLike, alpha: ArrayLike = 1.0) -> jax.Array:
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
    check_real_param("celu", "alpha", alpha, _POSITIVE, x)
    check_finite_in_dtype("celu", "alpha", alpha, x)
    return _celu_impl(x, alpha)


# celu(x) = alpha expm1(q), celu'(x) = e^q with q = x / alpha. Rounding q costs |q| 2^-24
# absolutely, which e^q turns into a relative error: 16 ULP in celu' at x = -19, alpha = 0.3
# in float32 (jax.nn's celu' is 0 there: expm1's derivative as its output plus 1 cancels).
# So q is carried as a double word q_hi + q_lo: q_hi = x (1/alpha) (no division), and
# q_lo = (x - q_hi alpha) / alpha from the exact remainder, with q_hi alpha
# formed error-free from exact partial products (``_two_prod``, which never forms q_hi * alpha
# itself, so XLA contracting a * b + c into an FMA under jit cannot change it).
# x - q_hi alpha is exact by Sterbenz. Then expm1(q) = expm1(q_hi) + e^{q_hi} q_lo and
# e^q = e^{q_hi} (1 + q_lo) to first order (q_lo^2 < 2^-40). alpha is an array like x, so a
# traced alpha needs no Python-side branch.
# Below q = x / alpha = -100 (float32) / -740 (float64) e^q is 0 and expm1(q) is -1.
_CELU_FLOOR = {"float32": -100.0, "float64": -740.0}
# Below |x| = 2^-60 (float32) / 2^-900 (float64) the partial products of q_hi alpha would be
# subnormal, which XLA flushes to 0 (then q_lo comes out as large as q_hi: celu(-2^-126) was
# twice its value). There the remainder is formed times 2^64 / 2^512: a power of two, exact.
_CELU_TINY = {"float32": (2.0**-60, 2.0**64), "float64": (2.0**-900, 2.0**512)}


def _celu_quotient(x: jax.Array, alpha: jax.Array) -> tuple[jax.Array, jax.Array]:
    """``q = x / alpha = q_hi + q_lo`` for x <= 0, clipped where e^q is 0 anyway."""
    name = _dtype_name(x)
    alpha = _normal_alpha(alpha)
    inv = 1 / alpha
    x = jnp.maximum(x, _CELU_FLOOR[name] * alpha)
    q_hi = x * inv
    tiny, up = _CELU_TINY[name]
    small = x > -tiny
    s, s_inv = jnp.where(small, up, 1), jnp.where(small, 1 / up, 1)
    p_hi, p_lo = _two_prod(q_hi * s, alpha)
    return q_hi, (((x * s - p_hi) - p_lo) * inv) * s_inv


def _normal_alpha(alpha: jax.Array) -> jax.Array:
    # A subnormal alpha reads as 0 on CPU (1/alpha = inf, then NaN): the smallest normal
    # number instead, which changes f by less than it (and f' only at subnormal x).
    return jnp.maximum(alpha, jnp.finfo(alpha.dtype).tiny)


# Below |q| = 2^-30 (float32) / 2^-60 (float64), alpha expm1(q) = x (1 + q/2 + ...) rounds to
# x; q itself may be subnormal there (flushed: celu gave 0 for x = -8.7e-35, alpha = 12130).
_CELU_LINEAR = {"float32": 2.0**30, "float64": 2.0**60}


def _celu_negative(x: jax.Array, alpha: jax.Array) -> jax.Array:
    q_hi, q_lo = _celu_quotient(x, alpha)
    name = _dtype_name(x)
    em1 = _expm1_reduced(q_hi, _EXPM1_FLOOR[name], 0.0)
    linear = jnp.abs(x) * _CELU_LINEAR[name] < alpha
    return jnp.where(linear, x, _normal_alpha(alpha) * (em1 + (em1 + 1) * q_lo))


@jax.custom_jvp
def _celu_core(x: jax.Array, alpha: jax.Array) -> jax.Array:
    positive = _positive(x)
    xs = jnp.where(positive, 0, x)  # the double where: the negative branch never sees x > 0
    return jnp.where(positive, x, _celu_negative(xs, alpha))


@functools.partial(_celu_core.defjvp, symbolic_zeros=True)
def _celu_core_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x, alpha), (tx, ta) = primals, tangents
    y = _celu_core(x, alpha)
    tangent = _celu_prime(x, alpha) * instantiate(tx, x)
    if not isinstance(ta, SymbolicZero):
        # d/dalpha [alpha expm1(x/alpha)] = expm1(q) - q e^q (0 for x > 0), with q clipped so
        # that x = -inf gives the limit -1, not -inf * 0.
        positive = _positive(x)
        q, _ = _celu_quotient(jnp.where(positive, 0, x), alpha)
        tangent = tangent + jnp.where(positive, 0, jnp.expm1(q) - q * jnp.exp(q)) * ta
    return y, tangent


@jax.custom_jvp
def _celu_prime(x: jax.Array, alpha: jax.Array) -> jax.Array:
    positive = _positive(x)
    q_hi, q_lo = _celu_quotient(jnp.where(positive, 0, x), alpha)
    return jnp.where(positive, 1, jnp.exp(q_hi) * (1 + q_lo))


@functools.partial(_celu_prime.defjvp, symbolic_zeros=True)
def _celu_prime_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x, alpha), (tx, ta) = primals, tangents
    d = _celu_prime(x, alpha)
    # d e^{x/alpha} = e^{x/alpha} (tx - (x/alpha) ta) / alpha on x <= 0; 0 for x > 0.
    positive = _positive(x)
    neg = jnp.where(positive, 0, d) / _normal_alpha(alpha)
    tangent = neg * instantiate(tx, x)
    if not isinstance(ta, SymbolicZero):
        q, _ = _celu_quotient(jnp.where(positive, 0, x), alpha)  # finite at x = -inf
        tangent = tangent - neg * q * ta
    return d, tangent


_celu_impl = jit_in_float32(_celu_core)


# -- selu ----------------------------------------------------------------------------------


@activation(
    name="selu",
    display_name="SELU",
    family="exponential",
    summary=(
        r"$\lambda \cdot \operatorname{ELU}_\alpha$ with constants that keep activations at mean "
        "0, variance 1."
    ),
    formula=(
        r"f(x) = \lambda \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases},"
        r" \\ \lambda \approx 1.0507,\ \alpha \approx 1.6733"
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
    introduced_in=(
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
        r"$\lambda \approx 1.0507$ and $\alpha \approx 1.6733$ (to 32 digits under "
        r"[The constants](#the-constants)) make $\operatorname{E}[\operatorname{selu}(Z)] = 0$ "
        r"and $\operatorname{E}[\operatorname{selu}(Z)^2] = 1$ for a standard normal $Z$.",
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
def selu(x: ArrayLike) -> jax.Array:
    r"""Scaled exponential linear unit.

    $$f(x) = \lambda \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases}$$

    with $\lambda \approx 1.0507$ and $\alpha \approx 1.6733$; to 32 digits,

    $$\begin{aligned} \lambda &= 1.0507009873554804934193349852946, \\
      \alpha &= 1.6732632423543772848170429916717. \end{aligned}$$

    Args:
        x: input array.

    Returns:
        An array of the (floating) dtype of ``x``.

    Examples:
        >>> jaxact.selu(jnp.array([-2.0, 0.0, 1.5]))
        Array([-1.5201665,  0.       ,  1.5760515], dtype=float32)
    """
    return _selu_impl(as_inexact(x, "selu"))


@jax.jit
@in_float32
def _selu_impl(x: jax.Array) -> jax.Array:
    # lambda * alpha rounded once, so the negative branch costs one multiply, as jax.nn's.
    positive = _positive(x)
    xs = jnp.where(positive, 0, x)
    return jnp.where(positive, SELU_SCALE * x, (SELU_SCALE * SELU_ALPHA) * _expm1_nonpositive(xs))
