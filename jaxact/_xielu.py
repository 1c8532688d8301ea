"""xIELU: the expanded integral of the ELU (Huang & Schlag, 2024).

    f(x) = alpha_p x² + beta x                        (x > 0)
    f(x) = alpha_n (expm1(x) - x) + beta x            (x <= 0)

expm1(x) - x = x²/2 + x³/6 + ... cancels near 0: there it is a series (x >= -1); below it is
e^x + (-1 - x), a sum of positive terms with -1 - x exact. The reference implementation
(swiss-ai's Apertus models, transformers' ``XIELUActivation``) evaluates the negative branch at
min(x, eps), eps = -1e-6, to avoid that cancellation in low precision; jaxact evaluates the
formula itself, which differs from it by at most alpha_n 1e-6 on (eps, 0].
"""

from __future__ import annotations

import functools
import math
from typing import Any

import jax
import jax.numpy as jnp
from jax.typing import ArrayLike

from ._kernels.expm1 import _expm1_nonpositive
from ._kernels.floating_point import _dtype_name, _horner, _two_prod, _two_sum
from ._kernels.signs import positive as _positive
from ._numerics import as_inexact, check_real_param, in_float32, instantiate
from ._param_range import check_finite_in_dtype
from ._registry import Interval, Param, Reference, activation

_NON_NEGATIVE = Interval(0.0, math.inf, lo_open=False)

# (expm1(x) - x) / x² = sum x^k / (k + 2)! on [-1, 0]: terms below 2^-60 from k = 17 on.
_TERMS = {"float32": 10, "float64": 18}
_G_SERIES = {name: tuple(1 / math.factorial(k + 2) for k in range(n)) for name, n in _TERMS.items()}
# Below this x, e^x (and the whole of alpha_n e^x) is far below the accuracy floor against
# alpha_n (-1 - x): -1 - x alone is exact to the last bit.
_EXP_FLOOR = {"float32": -110.0, "float64": -760.0}


_TINY = {"float32": (2.0**-40, 2.0**40), "float64": (2.0**-400, 2.0**400)}
"""(below, scale): |x| below it is multiplied by the scale before the exact products."""


def _expm1_minus_x(x: jax.Array) -> jax.Array:
    """``expm1(x) - x`` for x <= 0, of relative accuracy (never a difference that cancels)."""
    name = _dtype_name(x)
    near = x >= -1
    xs = jnp.where(near, x, 0)  # the series' input: harmless where not selected
    series = (xs * xs) * _horner(_G_SERIES[name], xs)
    xf = jnp.where(near, -1, jnp.maximum(x, _EXP_FLOOR[name]))
    far = jnp.exp(xf) + (-1 - x)
    return jnp.where(near, series, far)


def _products_plus(a, b, c, d, small):
    """``a b + c d + small`` with both products exact and their sum error-free (the two
    terms of xIELU's negative side cancel: only the last rounding and ``small``'s remain)."""
    p, pe = _two_prod(a, b)
    q, qe = _two_prod(c, d)
    s, se = _two_sum(p, q)
    # Where a product overflows its error term is NaN (inf - inf): the sum is inf anyway.
    low = jnp.where(jnp.isfinite(p) & jnp.isfinite(q), se + (pe + qe), 0)
    return s + (low + small)


def _negative_parts(xn, alpha_n):
    """For x <= 0: ``(u, c, v, dv)`` with f = beta x + alpha_n u + c and
    f' = beta + alpha_n v + dv: on [-1, 0] u = expm1(x) - x (series), v = x, c = 0,
    dv = alpha_n u; below, u = -1 - x and v = -1 (exact), c = dv = alpha_n e^x."""
    name = _dtype_name(xn)
    near = xn >= -1
    xs = jnp.where(near, xn, 0)  # the series' input: harmless where not selected
    g = (xs * xs) * _horner(_G_SERIES[name], xs)
    e = alpha_n * jnp.exp(jnp.where(near, -1, jnp.maximum(xn, _EXP_FLOOR[name])))
    u = jnp.where(near, g, -1 - xn)
    v = jnp.where(near, xn, -1)
    return u, jnp.where(near, 0, e), v, jnp.where(near, alpha_n * g, e)


def _negative_value(xn, alpha_n, beta):
    """f for x <= 0 (x = -inf included), the cancelling terms summed without error.

    On [-1, 0]: beta x + alpha_n g with both products exact. Below: -alpha_n + (beta -
    alpha_n) x + alpha_n e^x with beta - alpha_n a double word, so no product overflows unless
    f does (alpha_n = beta = 1000 at x = -1e37 is -1000 in float32)."""
    u, c, _, _ = _negative_parts(xn, alpha_n)
    # Tiny x is scaled up by a power of 2 first: the low halves of its split would be
    # subnormal, which XLA on CPU flushes (beta x lost 2^-27 of itself at x = -1.4e-300).
    tiny, up = _TINY[_dtype_name(xn)]
    scale = jnp.where(jnp.abs(xn) < tiny, up, 1).astype(xn.dtype)
    near_value = _products_plus(beta, xn * scale, alpha_n, u * scale, c * scale) / scale
    xs = jnp.where(jnp.isinf(xn), -2, xn)  # the far side's input: finite
    d, de = _two_sum(beta, -alpha_n)
    p, pe = _two_prod(d, xs)
    s, se = _two_sum(p, -alpha_n)
    low = jnp.where(jnp.isfinite(p), (se + pe) + de * xs, 0)
    far_value = s + (low + c)
    limit = jnp.where(d == 0, -alpha_n, d * xn)  # x = -inf: (beta - alpha_n) x, or -alpha_n
    return jnp.where(xn >= -1, near_value, jnp.where(jnp.isinf(xn), limit, far_value))


def _sides(x: jax.Array) -> tuple[jax.Array, jax.Array, jax.Array]:
    """``(x > 0, xp, xn)``: ``x`` on its own side and 0 on the other, so that neither branch
    of a ``where`` (nor its derivative) sees the other side's values."""
    pos = _positive(x)
    return pos, jnp.where(pos, x, 0), jnp.where(pos, 0, x)


def _xielu_value(x, alpha_p, alpha_n, beta):
    pos, xp, xn = _sides(x)
    # x > 0: x (alpha_p x + beta), both terms of one sign.
    return jnp.where(pos, xp * (alpha_p * xp + beta), _negative_value(xn, alpha_n, beta))


def _xielu_slope(x, alpha_p, alpha_n, beta):
    pos, xp, xn = _sides(x)
    _, _, v, dv = _negative_parts(xn, alpha_n)
    neg = _products_plus(beta, jnp.ones_like(xn), alpha_n, v, dv)
    return jnp.where(pos, 2 * alpha_p * xp + beta, neg)


def _tangents(tangents: tuple, primals: tuple) -> tuple:
    return tuple(instantiate(t, p) for t, p in zip(tangents, primals, strict=True))


@jax.custom_jvp
def _xielu_prime(x, alpha_p, alpha_n, beta):
    return _xielu_slope(x, alpha_p, alpha_n, beta)


@functools.partial(_xielu_prime.defjvp, symbolic_zeros=True)
def _xielu_prime_jvp(primals: tuple, tangents: tuple) -> tuple:
    x, alpha_p, alpha_n, beta = primals
    tx, tp, tn, tb = _tangents(tangents, primals)
    pos, xp, xn = _sides(x)
    em1 = _expm1_nonpositive(xn)
    # f'' = 2 alpha_p (x > 0), alpha_n e^x (x <= 0); df'/d alpha_p = 2x, d alpha_n = expm1(x).
    curvature = jnp.where(pos, 2 * alpha_p, alpha_n * (em1 + 1))
    d_params = tp * (2 * xp) + tn * em1 + tb
    return _xielu_prime(x, alpha_p, alpha_n, beta), tx * curvature + d_params


@jax.custom_jvp
def _xielu(x, alpha_p, alpha_n, beta):
    return _xielu_value(x, alpha_p, alpha_n, beta)


@functools.partial(_xielu.defjvp, symbolic_zeros=True)
def _xielu_jvp(primals: tuple, tangents: tuple) -> tuple:
    x, alpha_p, alpha_n, beta = primals
    tx, tp, tn, tb = _tangents(tangents, primals)
    _, xp, xn = _sides(x)
    # df/d alpha_p = x² (x > 0), df/d alpha_n = expm1(x) - x (x <= 0), df/d beta = x.
    d_params = tp * (xp * xp) + tn * _expm1_minus_x(xn) + tb * x
    return _xielu(x, alpha_p, alpha_n, beta), tx * _xielu_prime(
        x, alpha_p, alpha_n, beta
    ) + d_params


def _reference(mp: Any, x: Any, alpha_p: float = 0.8, alpha_n: float = 0.8, beta: float = 0.5):
    if x > 0:
        return mp.mpf(alpha_p) * x * x + mp.mpf(beta) * x
    # expm1(x) - x = x²/2 1F1(1; 3; x): no cancellation at any working precision (expm1(x) - x
    # is 0 at 50 digits for x = -6.7e-59).
    return mp.mpf(alpha_n) * (x * x / 2 * mp.hyp1f1(1, 3, x)) + mp.mpf(beta) * x


def _reference_derivative(
    mp: Any, x: Any, alpha_p: float = 0.8, alpha_n: float = 0.8, beta: float = 0.5
):
    if x > 0:
        return 2 * mp.mpf(alpha_p) * x + mp.mpf(beta)
    return mp.mpf(alpha_n) * mp.expm1(x) + mp.mpf(beta)


_MINIMUM = -0.2057512240964821
"""The minimum at the defaults (at x = ln(1 - beta/alpha_n) = ln 0.375), rounded up to
float64: the closed lower end (the parameters move it: ``_minimum_of``)."""


@activation(
    name="xielu",
    display_name="xIELU",
    family="exponential",
    summary=(
        r"$\alpha_p x^2 + \beta x$ for $x > 0$, $\alpha_n(e^x - 1 - x) + \beta x$ below: the "
        "integral of an ELU-like gradient, with learnt curvatures on both sides."
    ),
    formula=(
        r"f(x) = \begin{cases} \alpha_p x^2 + \beta x & x > 0 \\ "
        r"\alpha_n\,(e^{x} - 1 - x) + \beta x & x \le 0 \end{cases}"
    ),
    derivative=(
        r"f'(x) = \begin{cases} 2\alpha_p x + \beta & x > 0 \\ "
        r"\alpha_n\,(e^{x} - 1) + \beta & x \le 0 \end{cases}"
    ),
    output_range=Interval(_MINIMUM, math.inf, lo_open=False),
    params=(
        Param(
            "alpha_p",
            0.8,
            r"Curvature of the positive side: $f$ grows like $\alpha_p x^2$ there (learnt; the "
            "paper keeps it positive as softplus of a raw parameter).",
            _NON_NEGATIVE,
            latex=r"\alpha_p",
            plot_values=(0.2, 0.8, 2.0),
        ),
        Param(
            "alpha_n",
            0.8,
            r"Scale of the negative side: $f'$ tends to $\beta - \alpha_n$ as $x \to -\infty$ "
            r"(learnt; the paper keeps $\alpha_n > \beta$ as $\beta$ + softplus of a raw "
            "parameter, so negative inputs get a negative slope).",
            _NON_NEGATIVE,
            latex=r"\alpha_n",
            plot_values=(0.3, 0.8, 2.0),
        ),
        Param(
            "beta",
            0.5,
            "The slope at 0 from both sides (fixed at 0.5 in the paper).",
            _NON_NEGATIVE,
            latex=r"\beta",
            plot_values=(0.0, 0.5, 1.0),
        ),
    ),
    monotonic=False,
    smoothness="C1",
    zero_at_zero=True,
    zero_centred=False,
    left_saturating=False,
    right_saturating=False,
    year=2024,
    introduced_in=(
        Reference(
            "A. H. Huang, I. Schlag",
            "Deriving Activation Functions Using Integration",
            2024,
            "arXiv:2411.13010",
            "https://arxiv.org/abs/2411.13010",
        ),
    ),
    conventions=(
        r"The formula itself on $x \le 0$: the reference code evaluates the negative branch at "
        r"$\min(x, \varepsilon)$, $\varepsilon = -10^{-6}$, which differs by at most "
        r"$\alpha_n 10^{-6}$ there; jaxact computes $e^x - 1 - x$ without cancellation.",
        r"$f'(0) = \beta$ from both sides (C¹); $f''$ jumps from $\alpha_n$ to $2\alpha_p$.",
        r"The function takes the effective $\alpha_p$, $\alpha_n$, $\beta$; the layers learn "
        "them as the paper does "
        r"($\alpha_p = \operatorname{softplus}(a_p)$, $\alpha_n = \beta + "
        r"\operatorname{softplus}(a_n)$).",
    ),
    reference=_reference,
    reference_derivative=_reference_derivative,
    critical_points=(-0.9808292530117262,),
    plot_range=(-6.0, 3.0),
)
def xielu(
    x: ArrayLike, alpha_p: ArrayLike = 0.8, alpha_n: ArrayLike = 0.8, beta: ArrayLike = 0.5
) -> jax.Array:
    r"""xIELU, the expanded integral of the ELU.

    $$f(x) = \begin{cases} \alpha_p x^2 + \beta x & x > 0 \\
    \alpha_n\,(e^{x} - 1 - x) + \beta x & x \le 0 \end{cases}$$

    Args:
        x: input array.
        alpha_p: $\alpha_p \ge 0$, the curvature for positive inputs (scalar or broadcastable).
        alpha_n: $\alpha_n \ge 0$, the scale of the negative side.
        beta: $\beta \ge 0$, the slope at 0.

    Returns:
        An array of the (floating) dtype of ``x``.

    Examples:
        >>> jaxact.xielu(jnp.array([-2.0, 0.0, 2.0]))
        Array([-0.09173176,  0.        ,  4.2       ], dtype=float32)
    """
    x = as_inexact(x, "xielu")
    for name, value in (("alpha_p", alpha_p), ("alpha_n", alpha_n), ("beta", beta)):
        check_real_param("xielu", name, value, _NON_NEGATIVE, x)
        check_finite_in_dtype("xielu", name, value, x)
    return _xielu_impl(x, alpha_p, alpha_n, beta)


@jax.jit
def _xielu_impl(x: jax.Array, alpha_p: Any, alpha_n: Any, beta: Any) -> jax.Array:
    y = _xielu_f32(x, alpha_p, alpha_n, beta)
    return _raise_to(y, _minimum_of(alpha_n, beta, y.dtype))


@in_float32
def _xielu_f32(x: jax.Array, alpha_p: Any, alpha_n: Any, beta: Any) -> jax.Array:
    dt = x.dtype
    return _xielu(x, jnp.asarray(alpha_p, dt), jnp.asarray(alpha_n, dt), jnp.asarray(beta, dt))


def _minimum_of(alpha_n: Any, beta: Any, dtype: Any) -> jax.Array:
    """A closed lower end that rounding must not cross (as ``at_least`` for the functions
    without parameters): for alpha_n > beta, f's minimum -beta - (alpha_n - beta) x* at
    x* = log(1 - beta/alpha_n), computed as f(x*) (insensitive to the error of x* there),
    raised by 2 ULP (its own error is below that) and rounded up to ``dtype``; -inf else."""
    w = jnp.float64 if dtype == jnp.float64 else jnp.float32
    # (Not differentiated: the clamp corrects rounding, its end carries no derivative.)
    an = jax.lax.stop_gradient(jnp.asarray(alpha_n, w))
    b = jax.lax.stop_gradient(jnp.asarray(beta, w))
    bounded = an > b
    x_min = jnp.log1p(-b / jnp.where(bounded, an, 1))
    m = _negative_value(jnp.where(bounded, x_min, 0), an, b)
    m = m + 2 * jnp.abs(m) * jnp.finfo(w).eps
    lo = m.astype(dtype)
    lo = jnp.where(lo.astype(w) < m, jnp.nextafter(lo, jnp.asarray(jnp.inf, dtype)), lo)
    return jnp.where(bounded, lo, -jnp.inf).astype(dtype)


@jax.custom_jvp
def _raise_to(y: jax.Array, lo: jax.Array) -> jax.Array:
    return jax.lax.max(y, jnp.broadcast_to(lo, y.shape))  # max propagates NaN


@_raise_to.defjvp
def _raise_to_jvp(primals: tuple, tangents: tuple) -> tuple:
    # The clamp corrects rounding only (by a few ULP, at a minimum where f' = 0).
    return _raise_to(*primals), tangents[0]
