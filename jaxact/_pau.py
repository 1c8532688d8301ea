"""Padé Activation Units: a learnable rational function (Molina, Schramowski & Kersting, 2020).

    pau(x) = P(x) / Q(x),   P(x) = a₀ + a₁x + … + a_m x^m,   Q(x) = 1 + |b₁||x| + … + |b_n||x|^n

with the "safe" denominator of the authors' implementation (Q ≥ 1: no poles), orders
(m, n) = (5, 4) and the authors' published initial coefficients, which approximate leaky ReLU.

A polynomial summed by Horner's rule loses every digit near its zeros (a relative error of the
order of ε·P̃(|x|)/|P(x)| with P̃ the polynomial of the |a_j|). Here P and Q are summed by the
compensated Horner scheme (Graillat, Langlois & Louvet, 2005): as if in twice the working
precision, then rounded once, so pau(x) keeps its digits except within a few ULP of a zero of
P. Large |x| is scaled by a power of two first (exact), so x^m never overflows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax.typing import ArrayLike

from ._kernels.floating_point import _two_prod, _two_sum
from ._kernels.signs import negative, positive
from ._numerics import as_inexact
from ._registry import REALS, Equivalents, Param, Reference, activation

# The published initial coefficients ("pade_optimized_leakyrelu" of the authors' code, a fit of
# leaky ReLU), rounded to float32 so that they are exact in every dtype from float32 up: the
# function of the stored coefficients is then the same in float32 and float64.
PAU_NUMERATOR: tuple[float, ...] = tuple(
    float(np.float32(v))
    for v in (
        3.35583603e-02,
        5.05000375e-01,
        1.65343934e00,
        2.01001052e00,
        9.31901999e-01,
        1.52424124e-01,
    )  # fmt: skip
)
PAU_DENOMINATOR: tuple[float, ...] = tuple(
    float(np.float32(v)) for v in (3.30847488e-06, 3.98021568e00, 5.12471206e-07, 3.01830109e-01)
)

_MOLINA = Reference(
    "A. Molina, P. Schramowski, K. Kersting",
    "Padé Activation Units: End-to-end Learning of Flexible Activation Functions in Deep Networks",
    2020,
    "ICLR 2020; arXiv:1907.06732",
    "https://arxiv.org/abs/1907.06732",
)
_GRAILLAT = Reference(
    "S. Graillat, P. Langlois, N. Louvet",
    "Compensated Horner Scheme",
    2005,
    "Algorithms and Complexity in Algebraic Geometry and Applications",
    "https://hal.science/hal-00107222",
)


def _horner2(coefficients: list, y: jax.Array) -> tuple[jax.Array, jax.Array]:
    """``Σ c_j y^j`` (lowest degree first) as ``s + c``: the compensated Horner scheme, as
    accurate as Horner's rule in twice the working precision. A coefficient may be a double
    word ``(hi, lo)`` (j·a_j is not exact in the working precision)."""
    pairs = [c if isinstance(c, tuple) else (c, jnp.zeros_like(c)) for c in coefficients]
    s = jnp.broadcast_to(pairs[-1][0], y.shape)
    c = jnp.broadcast_to(pairs[-1][1], y.shape)
    for hi, lo in pairs[-2::-1]:
        p, perr = _two_prod(s, y)
        s, serr = _two_sum(p, hi)
        c = c * y + (perr + serr + lo)
    return s, c


def _times(k: int, a: jax.Array, shift: jax.Array) -> tuple[jax.Array, jax.Array]:
    """``k·a·2^shift`` as an exact double word."""
    hi, lo = _two_prod(jnp.full_like(a, k) * jnp.ones_like(shift, a.dtype), a)
    return jnp.ldexp(hi, shift), jnp.ldexp(lo, shift)


def _scaled(x: jax.Array) -> tuple[jax.Array, jax.Array]:
    """``(y, e)``: x = y·2^e with |y| < 1 for |x| ≥ 1, e = 0 otherwise (exact)."""
    _, exponent = jnp.frexp(jnp.where(jnp.isfinite(x), x, 0))
    e = jnp.maximum(exponent, 0)
    return jnp.ldexp(x, -e), e


def _parts(x: jax.Array, a: jax.Array, b: jax.Array) -> tuple:
    """P, Q and their derivatives at x, each as 2^{-e·degree} times the true value and each a
    double word ``(s, c)`` (value s + c): ``(p, dp, q, dq, e)`` with x = y 2^e."""
    m, n = a.shape[0] - 1, b.shape[0]
    y, e = _scaled(x)
    ay = jnp.abs(y)
    ab = jnp.abs(b)
    # P(x) 2^{-e m} = Σ a_j 2^{-e (m - j)} y^j, and likewise for Q (b₀ = 1) and the derivatives.
    pc = [jnp.ldexp(a[j], -e * (m - j)) for j in range(m + 1)]
    qc = [jnp.ldexp(jnp.ones_like(y), -e * n)] + [
        jnp.ldexp(ab[k - 1], -e * (n - k)) for k in range(1, n + 1)
    ]
    dpc = [_times(j, a[j], -e * (m - j)) for j in range(1, m + 1)]
    dqc = [_times(k, ab[k - 1], -e * (n - k)) for k in range(1, n + 1)]
    zero = (jnp.zeros_like(y), jnp.zeros_like(y))
    p = _horner2(pc, y)
    q = _horner2(qc, ay)
    dp = _horner2(dpc, y) if m >= 1 else zero
    # The sign of x, also of a subnormal x on CPU (pitfall 11); 0 at ±0 (the kink convention).
    sign = positive(x).astype(y.dtype) - negative(x).astype(y.dtype)
    dq = tuple(sign * v for v in _horner2(dqc, ay))
    return p, dp, q, dq, e


def _value(x: jax.Array, a: jax.Array, b: jax.Array) -> jax.Array:
    m, n = a.shape[0] - 1, b.shape[0]
    p, _, q, _, e = _parts(x, a, b)
    f = jnp.ldexp(sum(p) / sum(q), e * (m - n))
    return jnp.where(jnp.isinf(x), _at_infinity(x, a, b), f)


def _at_infinity(x: jax.Array, a: jax.Array, b: jax.Array) -> jax.Array:
    """The limit at ±inf: a_m x^m / (|b_n| |x|^n)."""
    m, n = a.shape[0] - 1, b.shape[0]
    ratio = a[m] / jnp.abs(b[n - 1]) if n else a[m]
    sign = jnp.sign(x) ** m
    if m > n:
        return ratio * sign * jnp.inf
    return ratio * sign * (1.0 if m == n else 0.0)


def _pow2(k: jax.Array, like: jax.Array) -> jax.Array:
    """2^k as two factors' product, each a normal number (2^k alone can be subnormal, which
    CPU reads as 0, or overflow where the product it scales does not)."""
    return jnp.ldexp(jnp.ones_like(like), k // 2), jnp.ldexp(jnp.ones_like(like), k - k // 2)


def _plain_slope(x: jax.Array, a: jax.Array, b: jax.Array) -> jax.Array:
    """pau'(x) by plain Horner sums on the scaled input, differentiable by jax: only its
    derivative is used, for the second derivative (the first is the exact one of _slope)."""
    m, n = a.shape[0] - 1, b.shape[0]
    _, e = _scaled(jax.lax.stop_gradient(x))
    s1, s2 = _pow2(-e, x)
    y = x * s1 * s2
    ab = jnp.abs(b)
    sign = positive(x).astype(x.dtype) - negative(x).astype(x.dtype)
    p, dp, q, dq = (jnp.zeros_like(y) for _ in range(4))
    for j in range(m, -1, -1):
        p = p * y + jnp.ldexp(a[j], -e * (m - j))
        if j:
            dp = dp * y + jnp.ldexp(j * a[j], -e * (m - j))
    for k in range(n, 0, -1):
        q = q * jnp.abs(y) + jnp.ldexp(ab[k - 1], -e * (n - k))
        dq = dq * jnp.abs(y) + jnp.ldexp(k * ab[k - 1], -e * (n - k))
    q = q * jnp.abs(y) + jnp.ldexp(jnp.ones_like(y), -e * n)
    t1, t2 = _pow2(e * (m - 1 - n), x)
    return (dp - p / q * dq * sign) / q * t1 * t2


@jax.custom_jvp
def _slope(x: jax.Array, a: jax.Array, b: jax.Array) -> jax.Array:
    """pau'(x) = (P' − f Q') / Q, the numerator in double words: P' and f Q' nearly cancel
    wherever f' is small against them (19.7 ULP at x = −3 in float32 when it was rounded)."""
    m, n = a.shape[0] - 1, b.shape[0]
    (ps, pc), (dps, dpc), (qs, qc), (dqs, dqc), e = _parts(x, a, b)
    q = qs + qc
    # g = P/Q (scaled) as g + gl: the remainder of the division computed exactly.
    g = (ps + pc) / q
    hi, lo = _two_prod(g, qs)
    gl = (((ps - hi) - lo) + pc - g * qc) / q
    # P' − g Q' with g Q' as an exact product plus the small terms.
    hi, lo = _two_prod(g, dqs)
    num = ((dps - hi) - lo) + (dpc - g * dqc - gl * dqs)
    d = jnp.ldexp(num / q, e * (m - 1 - n))
    return jnp.where(jnp.isinf(x), _slope_at_infinity(x, a, b), d)


@_slope.defjvp
def _slope_jvp(primals: tuple, tangents: tuple) -> tuple:
    return _slope(*primals), jax.jvp(_plain_slope, primals, tangents)[1]


def _slope_at_infinity(x: jax.Array, a: jax.Array, b: jax.Array) -> jax.Array:
    m, n = a.shape[0] - 1, b.shape[0]
    ratio = a[m] / jnp.abs(b[n - 1]) if n else a[m]
    if m - n - 1 > 0:
        return ratio * (m - n) * jnp.sign(x) ** (m - n - 1) * jnp.inf
    return ratio * (1.0 if m - n == 1 else 0.0) * jnp.ones_like(x)


@jax.custom_jvp
def _pau(x: jax.Array, a: jax.Array, b: jax.Array) -> jax.Array:
    return _value(x, a, b)


@_pau.defjvp
def _pau_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x, a, b), (tx, ta, tb) = primals, tangents
    m, n = a.shape[0] - 1, b.shape[0]
    f = _pau(x, a, b)
    out = _slope(x, a, b) * tx
    finite = jnp.isfinite(x)
    y, e = _scaled(x)
    q = sum(_parts(x, a, b)[2])
    # ∂f/∂a_j = x^j / Q, ∂f/∂b_k = −f sign(b_k) |x|^k / Q, with the powers of two taken out.
    for j in range(m + 1):
        out = out + jnp.where(finite, jnp.ldexp(y**j / q, e * (j - n)), 0) * ta[j]
    for k in range(1, n + 1):
        dk = -f * jnp.sign(b[k - 1]) * jnp.ldexp(jnp.abs(y) ** k / q, e * (k - n))
        out = out + jnp.where(finite, dk, 0) * tb[k - 1]
    return f, out


def _coefficients(fn: str, arg: str, value: Any, least: int) -> jax.Array:
    """A 1-d array of at least ``least`` real coefficients, or a clear error naming ``arg``."""
    try:
        arr = jnp.asarray(value)
    except (TypeError, ValueError):
        arr = None
    if arr is None or arr.ndim != 1 or not jnp.issubdtype(arr.dtype, jnp.number):
        raise TypeError(
            f"{fn}: {arg!r} must be a 1-d sequence of real coefficients (lowest degree first), "
            f"got {type(value).__name__}"
        )
    if arr.shape[0] < least:
        raise ValueError(f"{fn}: {arg!r} needs at least {least} coefficient(s), got {arr.shape[0]}")
    if not isinstance(arr, jax.core.Tracer) and not bool(jnp.all(jnp.isfinite(arr))):
        raise ValueError(f"{fn}: {arg!r} must be finite, got {np.asarray(arr)}")
    return arr


def _mp(mp: Any, c: Any) -> Any:
    """A coefficient as an mpf: an mpf as it is (a perturbed one keeps its digits), else the
    value of the float."""
    return c if isinstance(c, mp.mpf) else mp.mpf(float(c))


def _reference(
    mp: Any, x: Any, numerator: Any = PAU_NUMERATOR, denominator: Any = PAU_DENOMINATOR
) -> Any:
    p = mp.fsum(_mp(mp, c) * x**j for j, c in enumerate(numerator))
    q = 1 + mp.fsum(abs(_mp(mp, c)) * abs(x) ** k for k, c in enumerate(denominator, 1))
    return p / q


def _reference_derivative(
    mp: Any, x: Any, numerator: Any = PAU_NUMERATOR, denominator: Any = PAU_DENOMINATOR
) -> Any:
    p = mp.fsum(_mp(mp, c) * x**j for j, c in enumerate(numerator))
    dp = mp.fsum(j * _mp(mp, c) * x ** (j - 1) for j, c in enumerate(numerator) if j)
    q = 1 + mp.fsum(abs(_mp(mp, c)) * abs(x) ** k for k, c in enumerate(denominator, 1))
    dq = mp.sign(x) * mp.fsum(
        k * abs(_mp(mp, c)) * abs(x) ** (k - 1) for k, c in enumerate(denominator, 1)
    )
    return (dp * q - p * dq) / q**2


@activation(
    name="pau",
    display_name="Padé Activation Unit",
    family="rational",
    summary=(
        "A learnable rational function $P(x)/Q(x)$ with a denominator that never vanishes; "
        "initialised to approximate leaky ReLU."
    ),
    formula=(
        r"\operatorname{pau}(x) = \frac{a_0 + a_1 x + \dots + a_m x^m}"
        r"{1 + |b_1|\,|x| + \dots + |b_n|\,|x|^n}"
    ),
    derivative=(
        r"\operatorname{pau}'(x) = \frac{P'(x) - \operatorname{pau}(x)\,Q'(x)}{Q(x)},"
        r" \\ P(x) = a_0 + \dots + a_m x^m,\ m = 5,"
        r" \\ Q(x) = 1 + |b_1|\,|x| + \dots + |b_n|\,|x|^n,\ n = 4"
    ),
    output_range=REALS,
    params=(
        Param(
            "numerator",
            PAU_NUMERATOR,
            r"$a_0, \dots, a_m$, lowest degree first (learnt); the default is the authors' "
            "leaky-ReLU initialisation ($m = 5$).",
            "a 1-d sequence of at least one finite real number",
            latex="a",
        ),
        Param(
            "denominator",
            PAU_DENOMINATOR,
            r"$b_1, \dots, b_n$, lowest degree first (learnt; only $|b_k|$ matters); the default "
            "is the authors' leaky-ReLU initialisation ($n = 4$).",
            "a 1-d sequence of at least one finite real number",
            latex="b",
        ),
    ),
    monotonic=False,
    smoothness="C0",
    zero_at_zero=False,
    zero_centred=False,
    left_saturating=False,
    right_saturating=False,
    year=2020,
    introduced_in=(_MOLINA,),
    references=(_GRAILLAT,),
    equivalents=Equivalents(None, None, None),
    conventions=(
        r"$|x|$ in $Q$ has a kink at 0 when $b_1 \ne 0$ (or any odd $b_k$): there "
        r"$\operatorname{pau}'(0) = a_1$, the mean of the one-sided slopes $a_1 \mp a_0 |b_1|$.",
        "The denominator is the authors' implementation's $1 + \\sum_k |b_k|\\,|x|^k$ "
        "(at least 1, so no poles).",
    ),
    reference=_reference,
    reference_derivative=_reference_derivative,
    critical_points=(
        -2.1817566763619772,
        -1.6393088819280191,
        -0.6226593305216454,
        -0.2252113435884747,
    ),
    plot_range=(-3.0, 3.0),
)
def pau(
    x: ArrayLike,
    numerator: ArrayLike | Sequence[float] = PAU_NUMERATOR,
    denominator: ArrayLike | Sequence[float] = PAU_DENOMINATOR,
) -> jax.Array:
    r"""Padé Activation Unit (Molina, Schramowski & Kersting, 2020): a "safe" rational function.

    $$\operatorname{pau}(x) = \frac{a_0 + a_1 x + \dots + a_m x^m}
      {1 + |b_1|\,|x| + \dots + |b_n|\,|x|^n}$$

    The denominator is at least 1, so there are no poles. P and Q are summed by the
    compensated Horner scheme (as if in twice the working precision) after scaling $x$ by a
    power of two, so the result keeps its digits except next to a zero of P, and $x^m$ never
    overflows. The defaults are the authors' initial coefficients (orders 5 and 4), a fit of
    leaky ReLU on $[-3, 3]$, rounded to float32 (the same function in float32 and float64);
    learn them with `jaxact.flax.PAU` or `jaxact.equinox.PAU`:

    - `PAU_NUMERATOR = (0.03355836, 0.50500035, 1.6534393, 2.0100105, 0.931902, 0.15242413)`
    - `PAU_DENOMINATOR = (3.3084748e-06, 3.9802158, 5.124712e-07, 0.3018301)`

    Args:
        x: input array.
        numerator: $a_0, \dots, a_m$, lowest degree first.
        denominator: $b_1, \dots, b_n$, lowest degree first.

    Returns:
        An array of the (floating) dtype of ``x``.

    Examples:
        >>> [round(float(v), 3) for v in jaxact.pau(jnp.array([-2.0, 0.0, 2.0]))]
        [-0.019, 0.034, 2.001]
    """
    x = as_inexact(x, "pau")
    a = _coefficients("pau", "numerator", numerator, 1)
    b = _coefficients("pau", "denominator", denominator, 1)
    return _pau_impl(x, a, b)


@jax.jit
def _pau_impl(x: jax.Array, a: jax.Array, b: jax.Array) -> jax.Array:
    # The coefficients take x's dtype (they do not promote it, as a layer's float32 parameters
    # must not turn bfloat16 activations into float32); half precision is computed in float32
    # and rounded once.
    work = jnp.float32 if x.dtype in (jnp.float16, jnp.bfloat16) else x.dtype
    return _pau(x.astype(work), a.astype(work), b.astype(work)).astype(x.dtype)
