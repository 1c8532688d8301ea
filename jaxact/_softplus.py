"""Softplus and its algebraic cousins: sparse_plus (piecewise quadratic), squareplus.

Softplus is ``max(x, 0) + log1p(e^-|x|)`` with the sigmoid as its derivative (both kernels in
``_kernels.logistic``); squareplus avoids the overflow of x² and the cancellation of x + h.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import jax
import jax.numpy as jnp
from jax.custom_derivatives import SymbolicZero
from jax.typing import ArrayLike

from ._kernels.logistic import _sigmoid, _sigmoid_prime, _softplus, _tanh
from ._kernels.signs import less_equal, negative, positive
from ._numerics import (
    as_inexact,
    check_real_param,
    in_float32,
    instantiate,
    jit_in_float32,
    nan_derivative,
    promote,
)
from ._param_range import check_finite_in_dtype
from ._registry import REALS, Equivalents, Interval, Param, Reference, activation
from ._silu import _beta_arg, _tail

_NON_NEGATIVE = Interval(0.0, math.inf, lo_open=False)
_POSITIVE = Interval(0.0, math.inf)


# -- softplus ------------------------------------------------------------------------------


@activation(
    name="softplus",
    display_name="Softplus",
    family="exponential",
    summary=r"$\log(1 + e^x)$: a smooth ReLU whose derivative is the sigmoid.",
    formula=r"f(x) = \frac{1}{\beta}\log\left(1 + e^{\beta x}\right)",
    derivative=r"f'(x) = \sigma(\beta x)",
    output_range=Interval(0.0),
    params=(
        Param(
            "beta",
            1.0,
            r"$\beta > 0$ (keyword-only; PyTorch's name and meaning): the sharpness, "
            r"$\frac{1}{\beta}\log(1 + e^{\beta x})$.",
            _POSITIVE,
            latex=r"\beta",
            plot_values=(0.5, 1.0, 2.0),
        ),
        Param(
            "threshold",
            None,
            "None (the default): exact everywhere. A number $t$: PyTorch's switch, $x$ itself "
            r"where $\beta x > t$ (torch's default is 20; pass `threshold=20` for its values).",
            REALS,
            latex="t",
        ),
    ),
    monotonic=True,
    monotonic_ulps=2,
    smoothness="Cinf",
    zero_at_zero=False,
    zero_centred=False,
    left_saturating=True,
    right_saturating=False,
    year=2001,
    introduced_in=(
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
        "By default no switch to the identity for large $x$ (PyTorch's `threshold=20` is off by "
        r"$1.25 \times 10^{-9}$ at $x = 20.5$ in float64): "
        r"$\max(x, 0) + \operatorname{log1p}(e^{-\lvert x\rvert})$ "
        "is exact everywhere.",
        r"`threshold=t` asks for PyTorch's function instead: $x$ where the rounded product "
        r"$\beta x$ "
        "exceeds $t$ (its derivative 1 there), as torch.nn.Softplus(beta, threshold) computes; "
        "that is a different function, and the accuracy tests compare it with that one.",
        r"$\beta x$ is formed as an exact double word ($e^{-\beta|x|}$ would amplify its "
        r"rounding), and the linear part is $\max(x, 0)$ itself: no $\beta x / \beta$ round "
        r"trip, no overflow of $\beta x$ for large $\beta$.",
    ),
    reference=lambda mp, x, beta=1.0, threshold=None: _reference(mp, x, beta, threshold),
    reference_derivative=lambda mp, x, beta=1.0, threshold=None: _reference_slope(
        mp, x, beta, threshold
    ),
)
def softplus(
    x: ArrayLike, *, beta: ArrayLike = 1.0, threshold: ArrayLike | None = None
) -> jax.Array:
    r"""Softplus, with PyTorch's ``beta`` and (optional) ``threshold``.

    $$f(x) = \frac{1}{\beta}\log\left(1 + e^{\beta x}\right)$$

    computed as $\max(x, 0) + \frac{1}{\beta}\log(1 + e^{-\beta|x|})$; the derivative is
    $\sigma(\beta x)$. The defaults give jax.nn's softplus.

    Args:
        x: input array.
        beta: $\beta > 0$, keyword-only (``torch.nn.Softplus``'s ``beta``).
        threshold: ``None`` (default): exact for every input. A number $t$: PyTorch's
            switch to the identity where $\beta x > t$ (its default is 20), for code that
            must reproduce torch's values.

    Returns:
        An array of the (floating) dtype of ``x``, with values in $[0, \infty]$.

    Examples:
        >>> jaxact.softplus(jnp.array([-2.0, 0.0, 2.0]))
        Array([0.126928 , 0.6931472, 2.126928 ], dtype=float32)
    """
    x = as_inexact(x, "softplus")
    if threshold is None and _is_one(beta):
        return _softplus_impl(x)
    check_real_param("softplus", "beta", beta, _POSITIVE, x)
    check_finite_in_dtype("softplus", "beta", beta, x)
    if threshold is not None:
        check_real_param("softplus", "threshold", threshold, REALS, x)
        check_finite_in_dtype("softplus", "threshold", threshold, x)
    x = promote(x, beta, *([] if threshold is None else [threshold]))
    return _softplus_beta_impl(x, beta, threshold)


def _is_one(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == 1


@jax.jit
@in_float32
def _softplus_impl(x: jax.Array) -> jax.Array:
    return _softplus(x)


@jax.jit
@in_float32
def _softplus_beta_impl(x: jax.Array, beta: Any, threshold: Any) -> jax.Array:
    beta = jnp.asarray(beta, x.dtype)
    y = _softplus_beta(x, beta)
    if threshold is None:
        return y
    # PyTorch's test, on the rounded product: x * beta > threshold. Compared by bits
    # (less_equal): XLA on CPU reads a subnormal operand as 0 in a comparison.
    # A subnormal x makes beta x read as 0 as well: then its sign decides (beta > 0).
    z, _ = _beta_arg(x, beta)
    t = jnp.asarray(threshold, z.dtype)
    above = ~less_equal(z, t) & ~jnp.isnan(z)
    tiny_above = (t < 0) | (positive(x) & (t == 0))
    above = jnp.where((z == 0) & ~jnp.isnan(x), tiny_above, above)
    return nan_derivative(x, jnp.where(above, x, y))


def _beta_parts(x: jax.Array, beta: jax.Array) -> tuple[jax.Array, jax.Array, jax.Array]:
    """``z = beta x`` as ``hi + lo``, and ``e**(-|z|)`` from both (``lo`` corrects it)."""
    z, lo = _beta_arg(x, beta)
    e = jnp.exp(-jnp.abs(z))
    return z, lo, e - e * jnp.where(z < 0, -lo, lo)


@jax.custom_jvp
def _softplus_beta(x: jax.Array, beta: jax.Array) -> jax.Array:
    # max(x, 0) exactly (not beta x / beta), plus 1/beta log1p(e^{-beta |x|}) >= 0: a sum of
    # two non-negative terms, no cancellation. x = -inf: z = -inf, e = 0, the limit 0.
    z, lo, e = _beta_parts(x, beta)
    return jnp.maximum(x, 0) + jnp.where(z < -_tail(z), _far_left(z, lo, beta), jnp.log1p(e) / beta)


def _far_left(z: jax.Array, lo: jax.Array, beta: jax.Array) -> jax.Array:
    """``e**(z + lo) / beta`` for ``z < -T``, as ``(h / beta) h`` with ``h = e**((z + lo)/2)``:
    ``e**z`` is subnormal there (flushed to 0 on CPU), ``e**z / beta`` need not be (a small
    beta: 3e-36 at beta = 1e-3, x = -88730 in float32)."""
    h = jnp.exp(z / 2)
    h = h + h * (lo / 2)
    return (h / beta) * h


@_softplus_beta.defjvp
def _softplus_beta_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x, beta), (tx, tb) = primals, tangents
    z, _, e = _beta_parts(x, beta)
    # d/dbeta = -(|x| sigma(-beta |x|) + log1p(e^{-beta |x|}) / beta) / beta: two terms of one
    # sign (no cancellation); |x| sigma(-beta |x|) -> 0 at x = +-inf.
    xf = jnp.where(jnp.isfinite(x), jnp.abs(x), 0)
    d_beta = -(xf * (e / (1 + e)) + jnp.log1p(e) / beta) / beta
    return _softplus_beta(x, beta), tx * _softplus_beta_prime(x, beta) + tb * d_beta


@jax.custom_jvp
def _softplus_beta_prime(x: jax.Array, beta: jax.Array) -> jax.Array:
    # sigma(hi + lo) = sigma(hi) + lo sigma'(hi): the low part matters in the left tail, where
    # sigma(z) ~ e^z turns it into a relative error.
    z, lo = _beta_arg(x, beta)
    return _sigmoid(z) + lo * _sigmoid_prime(z)


@_softplus_beta_prime.defjvp
def _softplus_beta_prime_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x, beta), (tx, tb) = primals, tangents
    z, lo = _beta_arg(x, beta)
    # sigma'(hi + lo) = sigma'(hi) (1 - lo tanh(hi / 2)).
    d = _sigmoid_prime(z) * (1 - lo * _tanh(z / 2))
    xf = jnp.where(jnp.isfinite(x), x, 0)
    return _softplus_beta_prime(x, beta), tx * (beta * d) + tb * (xf * d)


def _reference(mp: Any, x: Any, beta: float, threshold: float | None) -> Any:
    b = mp.mpf(beta)
    if threshold is not None and b * x > threshold:
        return x
    return mp.log1p(mp.exp(b * x)) / b


def _reference_slope(mp: Any, x: Any, beta: float, threshold: float | None) -> Any:
    b = mp.mpf(beta)
    if threshold is not None and b * x > threshold:
        return mp.mpf(1)
    return 1 / (1 + mp.exp(-b * x))


# -- sparse_plus ---------------------------------------------------------------------------


@activation(
    name="sparse_plus",
    display_name="Sparse plus",
    family="exponential",
    summary=(
        r"$0$, $(x+1)^2/4$, $x$ on $(-\infty, -1]$, $(-1, 1)$, $[1, \infty)$: softplus's "
        "piecewise-quadratic twin."
    ),
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
def sparse_plus(x: ArrayLike) -> jax.Array:
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
    return _sparse_plus_impl(as_inexact(x, "sparse_plus"))


@jax.jit
@in_float32
def _sparse_plus_impl(x: jax.Array) -> jax.Array:
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
    h, m, _ = _squareplus_parts(x, b)
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
    # 2hm overflows from |x| ~ 1.3e19 (float32), where b/(4hm) is still above the floor for a
    # large b (2.9e-34 at b = 2.6e5, x = -1.5e19; it gave 0): both scaled by s = 2^-64 there,
    # exactly. (Not ((b/4)/m)/h: XLA rewrites it as (b/4)/(m h), which overflows again.)
    s = {jnp.dtype(jnp.float64): 2.0**-512}.get(x.dtype, 2.0**-64)
    scaled = ((b / 2) * s) / (2 * ((h * s) * m))
    q = jnp.where(jnp.isinf(two_hm) & ~near, scaled, q)
    d = jnp.where(near, (1 + q) / 2, q)
    # b = 0 is ReLU; a subnormal x reads as 0 on CPU (x/h gave 0/0 -> 1/2): its sign's slope.
    signed = positive(x) | negative(x)
    return jnp.where((b == 0) & signed, positive(x).astype(d.dtype), d)


@jax.custom_jvp
def _squareplus(x: jax.Array, b: jax.Array) -> jax.Array:
    # For x < 0, (x + h)/2 cancels (squareplus(-1e4) would be 0, truth 1e-4); there
    # (x + h)(h - x) = b gives b / (2 (h - x)) = (b/4) / m, a quotient of positive numbers.
    _, m, _ = _squareplus_parts(x, b)
    # m = 0 only for b = 0 (ReLU) with x subnormal (read as 0 on CPU): 0, not 0/0.
    return jnp.where(negative(x), (b / 4) / jnp.where(m == 0, 1, m), m)


@functools.partial(_squareplus.defjvp, symbolic_zeros=True)
def _squareplus_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x, b), (tx, tb) = primals, tangents
    # Zero tangents arrive as SymbolicZero and their terms are skipped: otherwise 0 * (a term
    # that is inf / inf at x = +-inf) poisons the second derivative in x.
    tangent = _squareplus_prime(x, b) * instantiate(tx, x)
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
    tangent = (b / 2) * (r * r * r) * instantiate(tx, x)  # f'' = b / (2h^3)
    if not isinstance(tb, SymbolicZero):
        # d f'/db = -x / (4h^3), with x/h = +-1 at x = +-inf.
        ratio = jnp.where(jnp.isinf(x), jnp.sign(x), x * r)
        tangent = tangent - ratio * (r * r) / 4 * tb
    return _squareplus_prime(x, b), tangent


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
    summary=r"$(x + \sqrt{x^2 + b})/2$: an algebraic softplus, with no exp or log.",
    formula=r"f(x) = \frac{x + \sqrt{x^2 + b}}{2}",
    derivative=r"f'(x) = \frac{1}{2}\left(1 + \frac{x}{\sqrt{x^2 + b}}\right)",
    output_range=Interval(0.0),
    params=(
        Param(
            "b",
            4,
            r"Curvature near 0: $f(0) = \sqrt{b}/2$; $b = 0$ gives ReLU.",
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
    introduced_in=(
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
        r"With $h = \operatorname{hypot}(x, \sqrt{b})$: $(x + h)/2$ for $x \ge 0$ and "
        r"$b/(2(h - x))$ for $x < 0$, so that $x^2$ never overflows and nothing cancels (jax.nn "
        r"gives $\infty$ at $x = -10^{20}$ in float32, truth $10^{-20}$). The division is work "
        r"jax.nn's $(x + \sqrt{x^2 + b})/2$ does not do: it is what the forward pass's extra time "
        "on CPU pays for (the Speed page gives the ratio).",
        r"$b$ must lie in $[0, \infty)$. For $b = 0$ (ReLU) f'(0) is taken as $1/2$, its value "
        r"for every $b > 0$.",
    ),
    reference=lambda mp, x, b=4: _squareplus_reference(mp, x, b)[0],
    reference_derivative=lambda mp, x, b=4: _squareplus_reference(mp, x, b)[1],
)
def squareplus(x: ArrayLike, b: ArrayLike = 4) -> jax.Array:
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
    check_real_param("squareplus", "b", b, _NON_NEGATIVE, x)
    check_finite_in_dtype("squareplus", "b", b, x)
    return _squareplus_impl(x, b)


_squareplus_impl = jit_in_float32(_squareplus)
