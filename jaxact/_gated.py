"""Self-gated activations: x times a smooth gate of x (SiLU/Swish, GELU, Mish).

Each value and derivative is written from the input with a ``custom_jvp`` whose derivative is
itself a ``custom_jvp`` (so ``jax.hessian`` is exact too). Every gate is evaluated on a clipped
copy of ``x`` where an overflowing intermediate (``x**2``, ``x**3``, ``e**x``) would otherwise
turn ``0 * inf`` into NaN; the clip points lie where the gate is already exactly 0 or 1.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from ._numerics import as_inexact, check_choice, check_real_param, in_float32
from ._registry import Equivalents, Interval, Param, Reference, activation


def _logistic_pair(z: jax.Array) -> tuple[jax.Array, jax.Array]:
    """``(sigma(z), sigma(-z))`` from one logistic of ``-|z|`` (no cancellation either side)."""
    q = lax.logistic(-jnp.abs(z))
    pos = z > 0
    return jnp.where(pos, 1 - q, q), jnp.where(pos, q, 1 - q)


def _finite_or_zero(z: jax.Array) -> jax.Array:
    # z * sigma(-z) -> 0 as z -> +inf; keeps inf * 0 from becoming NaN.
    return jnp.where(jnp.isinf(z), 0, z)


# -- SiLU / Swish ----------------------------------------------------------------------------


@jax.custom_jvp
def _silu_gate_prime(z: jax.Array) -> jax.Array:
    """``g(z) = d/dz [z sigma(z)] = sigma(z) (1 + z sigma(-z))``."""
    s, sm = _logistic_pair(z)
    return s * (1 + _finite_or_zero(z) * sm)


@_silu_gate_prime.defjvp
def _silu_gate_prime_jvp(primals: tuple, tangents: tuple) -> tuple:
    (z,), (t,) = primals, tangents
    s, sm = _logistic_pair(z)
    # g'(z) = sigma sigma(-z) (2 - z tanh(z/2)), tanh(z/2) = sigma(z) - sigma(-z).
    second = s * sm * (2 - _finite_or_zero(z) * (s - sm))
    return _silu_gate_prime(z), t * second


@jax.custom_jvp
def _silu(x: jax.Array, beta: jax.Array) -> jax.Array:
    z = beta * x
    z = jnp.where(jnp.isnan(z) & ~jnp.isnan(x), 0, z)  # beta = 0, x = +-inf: the gate is 1/2
    s, _ = _logistic_pair(z)
    return jnp.where(jnp.isneginf(x) & (beta > 0), 0, x * s)


@_silu.defjvp
def _silu_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x, beta), (tx, tb) = primals, tangents
    z = beta * x
    z = jnp.where(jnp.isnan(z) & ~jnp.isnan(x), 0, z)
    s, sm = _logistic_pair(z)
    y = jnp.where(jnp.isneginf(x) & (beta > 0), 0, x * s)
    dx = _silu_gate_prime(z)
    # d/dbeta = x^2 sigma'(z), as x (x sigma'(z)) so that x^2 never overflows to inf * 0.
    xf = jnp.where(jnp.isinf(x), 0, x)
    db = xf * (xf * (s * sm))
    return y, tx * dx + tb * db


@activation(
    name="silu",
    aliases=("swish",),
    display_name="SiLU / Swish",
    family="self-gated",
    summary="x·σ(βx): a smooth, non-monotonic ReLU; Swish-1 is the SiLU.",
    formula=r"f(x) = x\,\sigma(\beta x) = \frac{x}{1 + e^{-\beta x}}",
    derivative=r"f'(x) = \sigma(\beta x)\,\bigl(1 + \beta x\,\sigma(-\beta x)\bigr)",
    output_range=Interval(-0.2784645427610738, math.inf, lo_open=False),
    params=(
        Param(
            "beta",
            1.0,
            "gate sharpness: 0 gives x/2, 1 the SiLU, large values approach ReLU",
            Interval(0.0, math.inf, lo_open=False),
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
    references=(
        Reference(
            "D. Hendrycks, K. Gimpel",
            "Gaussian Error Linear Units (GELUs)",
            2016,
            "arXiv:1606.08415",
            "https://arxiv.org/abs/1606.08415",
        ),
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
        "beta = 1 is jax.nn.silu / jax.nn.swish; beta is differentiable (learnable Swish).",
        "f(−inf) = 0 and f'(+inf) = 1; the derivative is computed from the input, "
        "not from σ(x)(1 − σ(x)).",
    ),
    reference=lambda mp, x, beta=1.0: x / (1 + mp.exp(-mp.mpf(beta) * x)),
    reference_derivative=lambda mp, x, beta=1.0: (lambda s, z: s * (1 + z * (1 - s)))(
        1 / (1 + mp.exp(-mp.mpf(beta) * x)), mp.mpf(beta) * x
    ),
    critical_points=(-1.2784645427610738,),
    plot_range=(-6.0, 4.0),
)
def silu(x: Any, beta: Any = 1.0) -> jax.Array:
    r"""SiLU (sigmoid-weighted linear unit), or Swish-$\beta$.

    $$f(x) = x\,\sigma(\beta x), \qquad
      f'(x) = \sigma(\beta x)\bigl(1 + \beta x\,\sigma(-\beta x)\bigr)$$

    With ``beta=1`` this is ``jax.nn.silu`` (also called ``swish``), exact in the tails:
    ``silu(-20)`` is $-4.1\cdot 10^{-8}$ in float32, and float16/bfloat16 inputs are computed
    in float32 and rounded once.

    Args:
        x: input array.
        beta: gate sharpness $\beta \ge 0$ (a scalar or an array broadcastable to ``x``).

    Returns:
        An array of the (floating) dtype of ``x``.

    Examples:
        >>> jaxact.silu(jnp.array([-2.0, 0.0, 2.0]))
        Array([-0.23840584,  0.        ,  1.7615942 ], dtype=float32)
        >>> jaxact.silu(jnp.array([-2.0, 0.0, 2.0]), beta=2.0)
        Array([-0.03597242,  0.        ,  1.9640275 ], dtype=float32)
    """
    check_real_param("silu", "beta", beta, Interval(0.0, math.inf, lo_open=False))
    return _silu_any(as_inexact(x, "silu"), beta)


@jax.jit
@in_float32
def _silu_any(x: jax.Array, beta: Any) -> jax.Array:
    return _silu(x, jnp.asarray(beta, x.dtype))


# -- GELU ------------------------------------------------------------------------------------

_SQRT_2_OVER_PI = 0.7978845608028654
_GELU_A = 0.044715
_INV_SQRT_2 = 0.7071067811865476
_INV_SQRT_2PI = 0.3989422804014327
# Beyond |x| = 1e4 both gates are exactly 0 or 1 and their derivatives 0 in every dtype, and
# x**3 (1e12) cannot overflow: evaluating the gate on the clipped x changes nothing there.
_GATE_CLIP = 1e4


# In the left tail sigma(w) ~ e^w, so an absolute error in w is a relative error of the
# result: w = -80 rounded to 2 ULP is already 40 ULP off. w is therefore formed in
# double-word arithmetic (w = hi + lo, error-free products by Veltkamp splitting, no FMA
# needed) and the logistic corrected to first order in lo.
def _split(a: jax.Array) -> tuple[jax.Array, jax.Array]:
    # Masking the low mantissa bits (not Veltkamp's (2^s + 1) a trick, which compilers break by
    # contracting into FMAs under jit) leaves halves whose products are exact.
    if a.dtype == jnp.float64:
        bits = lax.bitcast_convert_type(a, jnp.uint64) & np.uint64(0xFFFFFFFFF8000000)
        hi = lax.bitcast_convert_type(bits, jnp.float64)
    else:
        bits = lax.bitcast_convert_type(a, jnp.uint32) & np.uint32(0xFFFFF000)
        hi = lax.bitcast_convert_type(bits, jnp.float32)
    return hi, a - hi


def _two_prod_split(ah: Any, al: Any, bh: Any, bl: Any) -> tuple[jax.Array, jax.Array]:
    """``a b = hi + lo`` from split factors, using only exact partial products (so FMA
    contraction under jit cannot change the result)."""
    t1, m = ah * bh, ah * bl + al * bh
    em = (ah * bl - (m - (m - ah * bl))) + (al * bh - (m - ah * bl))
    hi = t1 + m
    return hi, ((t1 - hi) + m) + (em + al * bl)


def _two_prod(a: jax.Array, b: jax.Array) -> tuple[jax.Array, jax.Array]:
    return _two_prod_split(*_split(a), *_split(b))


# The constants as double-double (hi, lo) from mpmath: their float64 rounding alone moves w
# by 2e-14 at x = -20 (0.2 ULP of w, 40 ULP of the result).
_K_DD = (1.5957691216057308, -9.96930880911092e-17)  # 2 sqrt(2/pi)
_KA_DD = (0.07135481627260025, -6.175149918155315e-19)  # 2 sqrt(2/pi) 0.044715


def _const_split(dd: tuple[float, float], dtype: Any) -> tuple[float, float, float]:
    """A double-double constant in ``dtype``: (high half, low half, remainder)."""
    to = np.dtype(dtype).type
    c = to(dd[0])
    if np.dtype(dtype) == np.float64:
        ch = (np.array(c).view(np.uint64) & np.uint64(0xFFFFFFFFF8000000)).view(np.float64)
    else:
        ch = (np.array(c).view(np.uint32) & np.uint32(0xFFFFF000)).view(np.float32)
    return float(ch), float(c - ch), float(to((dd[0] - float(c)) + dd[1]))


def _tanh_gate_arg_dw(x: jax.Array) -> tuple[jax.Array, jax.Array]:
    """``w = 2 sqrt(2/pi) x + 2 sqrt(2/pi) 0.044715 x^3`` as ``hi + lo`` for ``|x| <= 1e4``.

    No error-free sum involves a literal constant: XLA folds ``(1 + b) - 1`` to ``b``.
    """
    kh, km, kl = _const_split(_K_DD, x.dtype)
    qh, qm, ql = _const_split(_KA_DD, x.dtype)
    xh, xm = _split(x)  # x is split once, the constants ahead of time
    x2h, x2l = _two_prod_split(xh, xm, xh, xm)
    x3h, x3l = _two_prod_split(*_split(x2h), xh, xm)
    x3l = x3l + x2l * x
    ph, pl = _two_prod_split(qh, qm, *_split(x3h))
    pl = pl + ((qh + qm) * x3l + ql * x3h)
    rh, rl = _two_prod_split(kh, km, xh, xm)
    rl = rl + kl * x
    s = rh + ph
    bb = s - rh
    lo = ((rh - (s - bb)) + (ph - bb)) + (rl + pl)
    hi = s + lo
    return hi, lo - (hi - s)


def _tanh_gate(x: jax.Array) -> tuple[jax.Array, jax.Array, jax.Array]:
    """``(sigma(w), sigma(-w), sigma(w) sigma(-w))`` accurate in both tails."""
    wh, wl = _tanh_gate_arg_dw(x)
    s, sm = _logistic_pair(wh)
    sp = s * sm
    return s + wl * sp, sm - wl * sp, sp * (1 + wl * (sm - s))


@jax.custom_jvp
def _gelu_tanh_prime(x: jax.Array) -> jax.Array:
    xc = jnp.clip(x, -_GATE_CLIP, _GATE_CLIP)
    s, _, sp = _tanh_gate(xc)
    # d/dx [x sigma(w)] = sigma(w) + x sigma(w) sigma(-w) w'(x)
    dw = (2 * _SQRT_2_OVER_PI) * (1 + (3 * _GELU_A) * (xc * xc))
    return s + xc * dw * sp


@_gelu_tanh_prime.defjvp
def _gelu_tanh_prime_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x,), (t,) = primals, tangents
    xc = jnp.clip(x, -_GATE_CLIP, _GATE_CLIP)
    s, sm, sp = _tanh_gate(xc)
    dw = (2 * _SQRT_2_OVER_PI) * (1 + (3 * _GELU_A) * (xc * xc))
    d2w = (2 * _SQRT_2_OVER_PI) * (6 * _GELU_A) * xc
    # f = x s(w): f'' = s'(w) (2 w' + x w'') + x s''(w) w'^2, s' = s sm, s'' = s sm (sm - s).
    second = sp * (2 * dw + xc * d2w + xc * dw * dw * (sm - s))
    return _gelu_tanh_prime(x), t * second


@jax.custom_jvp
def _gelu_tanh(x: jax.Array) -> jax.Array:
    xc = jnp.clip(x, -_GATE_CLIP, _GATE_CLIP)
    s, _, _ = _tanh_gate(xc)
    return jnp.where(jnp.isneginf(x), 0, x * s)


_gelu_tanh.defjvps(lambda t, ans, x: t * _gelu_tanh_prime(x))


def _phi(x: jax.Array) -> jax.Array:
    """Standard normal density on the clipped ``x`` (0 beyond the clip, as the truth)."""
    return _INV_SQRT_2PI * jnp.exp(-0.5 * (x * x))


def _big_phi(x: jax.Array) -> jax.Array:
    # erfc, not 1 + erf: keeps its relative accuracy in the left tail (Phi(-6) = 9.9e-10).
    return 0.5 * jax.scipy.special.erfc(-_INV_SQRT_2 * x)


@jax.custom_jvp
def _gelu_exact_prime(x: jax.Array) -> jax.Array:
    xc = jnp.clip(x, -_GATE_CLIP, _GATE_CLIP)
    return _big_phi(x) + xc * _phi(xc)


@_gelu_exact_prime.defjvp
def _gelu_exact_prime_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x,), (t,) = primals, tangents
    xc = jnp.clip(x, -_GATE_CLIP, _GATE_CLIP)
    return _gelu_exact_prime(x), t * (_phi(xc) * (2 - xc * xc))


@jax.custom_jvp
def _gelu_exact(x: jax.Array) -> jax.Array:
    return jnp.where(jnp.isneginf(x), 0, x * _big_phi(x))


_gelu_exact.defjvps(lambda t, ans, x: t * _gelu_exact_prime(x))


def _gelu_reference(mp: Any, x: Any, approximate: bool = True) -> Any:
    if abs(x) > 1e4:  # beyond, x Phi(x) is x or 0 to far below any float's resolution
        return x if x > 0 else mp.mpf(0)
    if approximate:
        u = mp.sqrt(2 / mp.pi) * (x + mp.mpf("0.044715") * x**3)
        return x / (1 + mp.exp(-2 * u))
    return x * mp.erfc(-x / mp.sqrt(2)) / 2


def _gelu_reference_derivative(mp: Any, x: Any, approximate: bool = True) -> Any:
    if abs(x) > 1e4:
        return mp.mpf(1) if x > 0 else mp.mpf(0)
    if approximate:
        a = mp.mpf("0.044715")
        c = mp.sqrt(2 / mp.pi)
        w = 2 * c * (x + a * x**3)
        s = 1 / (1 + mp.exp(-w))
        return s + x * s * (1 - s) * 2 * c * (1 + 3 * a * x**2)
    return mp.erfc(-x / mp.sqrt(2)) / 2 + x * mp.npdf(x)


@activation(
    name="gelu",
    display_name="GELU",
    family="self-gated",
    summary="x·Φ(x), weighting the input by the Gaussian CDF; tanh approximation by default.",
    formula=(
        r"f(x) = x\,\Phi(x) = \tfrac{x}{2}\operatorname{erfc}\!\bigl(-\tfrac{x}{\sqrt 2}\bigr)"
        r"\quad\text{or, approximate: } x\,\sigma\!\bigl(2\sqrt{2/\pi}\,(x + 0.044715\,x^3)\bigr)"
    ),
    derivative=(
        r"f'(x) = \Phi(x) + x\,\varphi(x)\quad\text{or, approximate: } "
        r"\sigma(2u) + 2x\,u'(x)\,\sigma(2u)\,\sigma(-2u)"
    ),
    output_range=Interval(-0.17004075057125405, math.inf, lo_open=False),
    params=(
        Param(
            "approximate",
            True,
            "use the tanh approximation (as jax.nn.gelu's default); False: the exact erfc form",
            (True, False),
            plot_values=(False, True),
        ),
    ),
    monotonic=False,
    smoothness="Cinf",
    zero_at_zero=True,
    zero_centred=False,
    left_saturating=True,
    right_saturating=False,
    year=2016,
    references=(
        Reference(
            "D. Hendrycks, K. Gimpel",
            "Gaussian Error Linear Units (GELUs)",
            2016,
            "arXiv:1606.08415",
            "https://arxiv.org/abs/1606.08415",
        ),
    ),
    equivalents=Equivalents("jax.nn.gelu", "torch.nn.GELU", "keras.activations.gelu"),
    conventions=(
        "approximate=True by default, as jax.nn.gelu; PyTorch and Keras default to the exact form "
        "(torch approximate='tanh', Keras approximate=True give the tanh form).",
        "Exact form through erfc (not 1 + erf), tanh form as x·σ(2u) (not 1 + tanh u): both keep "
        "their relative accuracy in the left tail.",
        "f(−inf) = 0, f'(+inf) = 1; x³ never overflows into NaN gradients.",
    ),
    reference=_gelu_reference,
    reference_derivative=_gelu_reference_derivative,
    critical_points=(-0.7524614220710163, -0.7517915246935645),
    plot_range=(-5.0, 3.0),
)
def gelu(x: Any, approximate: bool = True) -> jax.Array:
    r"""Gaussian error linear unit.

    $$f(x) = x\,\Phi(x) = \frac{x}{2}\operatorname{erfc}\Bigl(-\frac{x}{\sqrt 2}\Bigr)$$

    or, with ``approximate=True`` (the default, as ``jax.nn.gelu``),

    $$f(x) = x\,\sigma(2u), \qquad u = \sqrt{2/\pi}\,(x + 0.044715\,x^3),$$

    which equals $\tfrac{x}{2}(1 + \tanh u)$ without its cancellation for $x < 0$.

    Args:
        x: input array.
        approximate: tanh approximation (``True``) or exact erfc form (``False``).

    Returns:
        An array of the (floating) dtype of ``x``.

    Examples:
        >>> jaxact.gelu(jnp.array([-1.0, 0.0, 1.0]))
        Array([-0.15880802,  0.        ,  0.841192  ], dtype=float32)
        >>> float(jaxact.gelu(jnp.float32(-5.0)))  # jax.nn.gelu gives -0.0
        -2.29...e-07
    """
    check_choice("gelu", "approximate", approximate, (True, False))
    return _gelu_any(as_inexact(x, "gelu"), bool(approximate))


@functools.partial(jax.jit, static_argnums=1)
@in_float32
def _gelu_any(x: jax.Array, approximate: bool) -> jax.Array:
    return _gelu_tanh(x) if approximate else _gelu_exact(x)


# -- Mish ------------------------------------------------------------------------------------

# e^x is evaluated on x clipped from above where n = e^x (e^x + 2) still fits (e^44 in
# float32, e^354 in float64); beyond it tanh(softplus(x)) is exactly 1 and its derivative 0.
_MISH_CLIP = {"float32": 44.0, "float64": 354.0}


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


@jax.custom_jvp
def _mish_prime(x: jax.Array) -> jax.Array:
    t, s, _, _ = _mish_parts(x)
    return t + _finite_or_zero(x) * s


@_mish_prime.defjvp
def _mish_prime_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x,), (t_,) = primals, tangents
    t, s, e, over = _mish_parts(x)
    sig, sigm = _logistic_pair(x)
    # f'' = s (2 + x (sigma(-x) - 2 t sigma(x))); beyond the clip s = 0 and x (...) may
    # overflow (x = 3e38 in float32: 0 * -inf), so it is 0 there.
    second = jnp.where(over, 0, s * (2 + _finite_or_zero(x) * (sigm - 2 * t * sig)))
    return _mish_prime(x), t_ * second


@jax.custom_jvp
def _mish(x: jax.Array) -> jax.Array:
    t, _, _, _ = _mish_parts(x)
    return jnp.where(jnp.isneginf(x), 0, x * t)


_mish.defjvps(lambda t, ans, x: t * _mish_prime(x))


@activation(
    name="mish",
    display_name="Mish",
    family="self-gated",
    summary="x·tanh(softplus(x)): a smooth, self-regularised non-monotonic activation.",
    formula=r"f(x) = x\tanh\bigl(\ln(1 + e^{x})\bigr) = x\,\frac{n}{n + 2},\quad n = e^x(e^x + 2)",
    derivative=(
        r"f'(x) = \tanh(\operatorname{sp}(x))"
        r" + x\,\sigma(x)\operatorname{sech}^2(\operatorname{sp}(x))"
    ),
    output_range=Interval(-0.30884341301725040, math.inf, lo_open=False),
    monotonic=False,
    smoothness="Cinf",
    zero_at_zero=True,
    zero_centred=False,
    left_saturating=True,
    right_saturating=False,
    year=2019,
    references=(
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
        "Computed as x·n/(n + 2), n = eˣ(eˣ + 2): one exp, no overflow; f(−inf) = 0, f'(+inf) = 1.",
    ),
    reference=lambda mp, x: x * mp.tanh(mp.log1p(mp.exp(x))),
    reference_derivative=lambda mp, x: (
        mp.tanh(mp.log1p(mp.exp(x))) + x * mp.sech(mp.log1p(mp.exp(x))) ** 2 / (1 + mp.exp(-x))
    ),
    critical_points=(-1.1924312145154952,),
    plot_range=(-6.0, 4.0),
)
def mish(x: Any) -> jax.Array:
    r"""Mish.

    $$f(x) = x\tanh(\operatorname{softplus}(x)) = x\,\frac{n}{n + 2}, \qquad n = e^x(e^x + 2)$$

    Args:
        x: input array.

    Returns:
        An array of the (floating) dtype of ``x``.

    Examples:
        >>> jaxact.mish(jnp.array([-2.0, 0.0, 2.0]))
        Array([-0.2525015,  0.       ,  1.943959 ], dtype=float32)
    """
    return _mish_any(as_inexact(x, "mish"))


@jax.jit
@in_float32
def _mish_any(x: jax.Array) -> jax.Array:
    return _mish(x)
