"""SiLU / Swish: x sigma(beta x), with a differentiable beta.

Value and derivative are written from the input with a ``custom_jvp`` whose derivative is itself
a ``custom_jvp`` (so ``jax.hessian`` is exact too); ``beta x`` is a double word (``e**z``
amplifies its rounding). The beta = 1 path and the shared logistic pieces are in
``_kernels.logistic_gate``.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np
from jax.typing import ArrayLike

from ._kernels.floating_point import _two_prod
from ._kernels.logistic_gate import _finite_or_zero, _silu1, _silu_second, _silu_slope
from ._numerics import as_inexact, check_real_param, is_concrete, jit_in_float32
from ._param_range import check_finite_in_dtype
from ._references import HENDRYCKS_GIMPEL
from ._registry import REALS, Equivalents, Interval, Param, Reference, activation


def _beta_arg(x: jax.Array, beta: jax.Array) -> tuple[jax.Array, jax.Array]:
    """``z = beta x`` as ``hi + lo`` (e^z amplifies the rounding of beta x: 40 ULP at -80)."""
    finite = jnp.isfinite(x)
    hi, lo = _two_prod(jnp.where(finite, x, 0), beta)
    z = jnp.where(finite, hi, beta * x)
    z = jnp.where(jnp.isnan(z) & ~jnp.isnan(x), 0, z)  # beta = 0, x = +-inf: the gate is 1/2
    return z, jnp.where(jnp.isfinite(hi), lo, 0)


# Beyond z = -T, e**-z (nearly) overflows, and 1 / (1 + e**-z) is e**z to within e**-T, far
# below an ULP. The threshold depends on the dtype: a fixed -80 that suits float32 dropped the
# low part of beta x in float64 (1,300 ULP at beta x = -412).
_TAIL = {"float32": 87.0, "float64": 708.0}


def _tail(z: jax.Array) -> float:
    return _TAIL[jnp.dtype(z.dtype).name]


def _neg_exp(z: jax.Array, lo: jax.Array) -> jax.Array:
    """``e**-(z + lo)``, finite for ``z >= -T`` (inf beyond, where only its size matters)."""
    e = jnp.exp(-z)
    return jnp.where(z < -_tail(z), e, e - e * lo)


def _silu_far_left(x: jax.Array, z: jax.Array, lo: jax.Array) -> jax.Array:
    """``x e**(z + lo)`` for ``z < -T``: ``(x h) h`` with ``h = e**((z + lo)/2)`` normal.

    There ``e**z`` is subnormal or nearly (flushed to 0 on CPU) and ``e**-z`` overflows, yet
    ``x e**z`` is well above the accuracy floor when beta is small (``|x| = |z| / beta``).
    """
    h = jnp.exp(z / 2)
    h = h + h * (lo / 2)
    return (x * h) * h


@jax.custom_jvp
def _silu_prime(x: jax.Array, beta: jax.Array) -> jax.Array:
    z, lo = _beta_arg(x, beta)
    # The factor z of 1 + z sigma(-z) as hi + lo: the split product's hi alone can be several
    # ULP from beta x (5.5 ULP at beta x = -37.1, float64, which 1 + z does not damp).
    return _silu_slope(z + lo, _neg_exp(z, lo))[0]


@_silu_prime.defjvp
def _silu_prime_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x, beta), (tx, tb) = primals, tangents
    z, lo = _beta_arg(x, beta)
    second = _silu_second(z + lo)
    return _silu_prime(x, beta), tx * (beta * second) + tb * (_finite_or_zero(x) * second)


@jax.custom_jvp
def _silu(x: jax.Array, beta: jax.Array) -> jax.Array:
    z, lo = _beta_arg(x, beta)
    y = jnp.where(z < -_tail(z), _silu_far_left(x, z, lo), x / (1 + _neg_exp(z, lo)))
    # z = -inf: the limit 0 (x = -inf with beta > 0, or x = +inf with beta < 0).
    return jnp.where(jnp.isneginf(z), 0, y)


@_silu.defjvp
def _silu_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x, beta), (tx, tb) = primals, tangents
    z, lo = _beta_arg(x, beta)
    _, ssm = _silu_slope(z + lo, _neg_exp(z, lo))
    # d/dbeta = x^2 sigma'(z), as x (x sigma'(z)) so that x^2 never overflows to inf * 0.
    xf = _finite_or_zero(x)
    return _silu(x, beta), tx * _silu_prime(x, beta) + tb * (xf * (xf * ssm))


_MINIMUM = -0.2784645427610738
"""The minimum of x sigma(x) (at x = -1.27846), float64: the closed lower end for beta = 1."""


@activation(
    name="silu",
    aliases=("swish",),
    display_name="SiLU / Swish",
    family="self-gated",
    summary=r"$x\,\sigma(\beta x)$: a smooth, non-monotonic ReLU; Swish-1 is the SiLU.",
    formula=r"f(x) = x\,\sigma(\beta x) = \frac{x}{1 + e^{-\beta x}}",
    derivative=r"f'(x) = \sigma(\beta x)\,\bigl(1 + \beta x\,\sigma(-\beta x)\bigr)",
    output_range=Interval(_MINIMUM, math.inf, lo_open=False),
    params=(
        Param(
            "beta",
            1.0,
            "gate sharpness: 0 gives $x/2$, 1 the SiLU, large values approach ReLU; any real "
            r"value (a negative $\beta$ mirrors the curve: $x \sigma(\beta x) = "
            r"-\operatorname{silu}(-x; -\beta)$)",
            REALS,
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
    introduced_in=(HENDRYCKS_GIMPEL,),
    references=(
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
        r"$\beta = 1$ is `jax.nn.silu` / `jax.nn.swish`; $\beta$ is differentiable (learnable "
        "Swish).",
        r"f(−inf) = 0 and f'(+inf) = 1 (for $\beta > 0$; for $\beta < 0$ mirrored, f(+inf) = 0); "
        r"the derivative is computed from the input, not from $\sigma(x)(1 - \sigma(x))$.",
        r"$\beta$ may be any real number, negative and 0 included (a learnt $\beta$ can cross 0 "
        "during training), with the same result in and out of jit; only NaN and ±inf are refused.",
    ),
    reference=lambda mp, x, beta=1.0: x / (1 + mp.exp(-mp.mpf(beta) * x)),
    reference_derivative=lambda mp, x, beta=1.0: (lambda s, z: s * (1 + z * (1 - s)))(
        1 / (1 + mp.exp(-mp.mpf(beta) * x)), mp.mpf(beta) * x
    ),
    critical_points=(-1.2784645427610738,),
    plot_range=(-6.0, 4.0),
)
def silu(x: ArrayLike, beta: ArrayLike = 1.0) -> jax.Array:
    r"""SiLU (sigmoid-weighted linear unit), or Swish-$\beta$.

    $$f(x) = x\,\sigma(\beta x), \qquad
      f'(x) = \sigma(\beta x)\bigl(1 + \beta x\,\sigma(-\beta x)\bigr)$$

    With ``beta=1`` this is ``jax.nn.silu`` (also called ``swish``), exact in the tails:
    ``silu(-20)`` is $-4.1\cdot 10^{-8}$ in float32, and float16/bfloat16 inputs are computed
    in float32 and rounded once.

    Args:
        x: input array.
        beta: gate sharpness $\beta$, any real number (a scalar or an array broadcastable
            to ``x``); $\beta = 0$ gives $x/2$, and $\beta < 0$ the mirrored curve
            $-\mathrm{silu}(-x; -\beta)$.

    Returns:
        An array of the (floating) dtype of ``x``.

    Examples:
        >>> jaxact.silu(jnp.array([-2.0, 0.0, 2.0]))
        Array([-0.23840584,  0.        ,  1.761594  ], dtype=float32)
        >>> jaxact.silu(jnp.array([-2.0, 0.0, 2.0]), beta=2.0)
        Array([-0.03597242,  0.        ,  1.9640275 ], dtype=float32)
    """
    check_real_param("silu", "beta", beta, REALS, x)
    x = as_inexact(x, "silu")
    check_finite_in_dtype("silu", "beta", beta, x)
    if is_concrete(beta) and np.ndim(beta) == 0 and float(beta) == 1.0:
        return _silu1_impl(x)  # beta x = x exactly: no double-word argument, as cheap as jax.nn
    return _silu_impl(x, beta)


_silu_impl = jit_in_float32(_silu)
# Rounding near the minimum would cross it (float64: -0.27846454276107385): kept at the stated
# end. (Other beta: the range is _MINIMUM / beta, not stated on the page.)
_silu1_impl = jit_in_float32(_silu1, minimum=_MINIMUM)
