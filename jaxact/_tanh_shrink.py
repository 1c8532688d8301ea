"""Tanhshrink, x - tanh(x), without the cancellation near 0 (Lambert's continued fraction)."""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
from jax.typing import ArrayLike

from ._kernels.floating_point import _horner
from ._kernels.logistic import _sech2, _tanh
from ._numerics import as_inexact, in_float32
from ._registry import REALS, Equivalents, activation

# x - tanh(x) cancels for small |x| (it is x^3/3 near 0). Below |x| = 2 we use Lambert's
# continued fraction tanh(x) = x / (1 + K), K = x^2 / (3 + x^2 / (5 + ...)), which gives
# x - tanh(x) = x K / (1 + K) = x y P(y) / Q(y), y = x^2, with P and Q of positive coefficients
# (no cancellation anywhere). Truncated after 7 (float32) / 11 (float64) levels it is exact to
# 2e-10 / 1e-18 relative at |x| = 2. From |x| = 2 on, x - tanh(x) >= 1 > tanh(x): no cancellation.
# Regenerate with `python -m tools.fit_tanh_shrink`.
_TANH_SHRINK_SWITCH = 2.0
_TANH_SHRINK_PQ = {
    "float32": (
        (1, 1 / 15, 2 / 2275, 1 / 675675),
        (3, 7 / 5, 1 / 13, 2 / 2145, 1 / 675675),
    ),
    "float64": (
        (1, 9 / 115, 4 / 2415, 1 / 82593, 1 / 36038079, 1 / 105411381075),
        (3, 33 / 23, 15 / 161, 4 / 2185, 2 / 156009, 1 / 35102025, 1 / 105411381075),
    ),
}


def _coefficients(table: dict, x: jax.Array) -> tuple[float, ...]:
    return table["float64" if x.dtype == jnp.float64 else "float32"]


def _tanh_shrink_reference(mp: Any, x: Any) -> Any:
    # x - tanh(x) ~ x^3/3 loses 2 |log2 |x|| bits to cancellation: add them to the precision.
    extra = 2 * max(0, -int(mp.mag(x))) + 10 if x else 0
    with mp.extraprec(extra):
        return +(x - mp.tanh(x))


@jax.custom_jvp
def _tanh_shrink(x: jax.Array) -> jax.Array:
    p, q = _coefficients(_TANH_SHRINK_PQ, x)
    small = jnp.abs(x) < _TANH_SHRINK_SWITCH
    xs = jnp.where(small, x, 0)  # keeps y^k finite in the unselected branch
    y = xs * xs
    series = xs * (y * (_horner(p, y) / _horner(q, y)))
    return jnp.where(small, series, x - _tanh(x))


@_tanh_shrink.defjvp
def _tanh_shrink_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x,), (t,) = primals, tangents
    return _tanh_shrink(x), t * _tanh_shrink_prime(x)


# tanh^2(x) / x^2 = (R(y) / Q(y))^2 from the same continued fraction (tanh x = x R / Q), with
# R^2 and Q^2 expanded: positive coefficients again, and no squaring of a rounded tanh, which
# would double its error (5.4 ULP). Truncation error 2^-45.8 / 2^-80.8 relative on |x| < 1.
# Regenerate with `python -m tools.fit_tanh_shrink`.
_TANH_SQUARED_PQ = {
    "float32": (
        (
            1.0,
            0.26666666666666666,
            0.024615384615384615,
            0.0009472009472009472,
            1.642422155242668e-05,
            1.214360188719163e-07,
            3.154182308361463e-10,
        ),
        (
            1.0,
            0.9333333333333333,
            0.26905982905982906,
            0.024553224553224555,
            0.0009485291536573588,
            1.6398922381828365e-05,
            1.2189600379188568e-07,
            3.0665661331292e-10,
            2.4337826453406346e-13,
        ),
    ),
    "float64": (
        (
            1.0,
            0.2898550724637681,
            0.03094187895700183,
            0.0015565062625056655,
            4.201051774951497e-05,
            6.468591735086487e-07,
            5.808285004601002e-09,
            3.00452013712995e-11,
            8.502936832541288e-14,
            1.1711227646224485e-16,
            6.083754621415317e-20,
        ),
        (
            1.0,
            0.9565217391304348,
            0.29084526059951393,
            0.03092608648274751,
            0.0015567053273071905,
            4.200839439163204e-05,
            6.468792322200934e-07,
            5.808111336103646e-09,
            3.0046620231572026e-11,
            8.50181075295992e-14,
            1.1720236282875426e-16,
            6.005757767294608e-20,
            9.999596682142205e-24,
        ),
    ),
}


def _tanh_shrink_prime(x: jax.Array) -> jax.Array:
    # tanh^2(x): the rational form for |x| < 1, 1 - tanh'(x) beyond, where tanh' <= 0.42 and
    # the subtraction is exact enough.
    r, q = _coefficients(_TANH_SQUARED_PQ, x)
    small = jnp.abs(x) < 1
    xs = jnp.where(small, x, 0)
    y = xs * xs
    return jnp.where(small, y * (_horner(r, y) / _horner(q, y)), 1 - _sech2(x))


@activation(
    name="tanh_shrink",
    display_name="Tanhshrink",
    family="sigmoidal",
    summary=(
        r"$x - \tanh(x)$: near zero for small inputs ($\approx x^3/3$), $\approx x \mp 1$ for "
        "large ones."
    ),
    formula=r"f(x) = x - \tanh(x)",
    derivative=r"f'(x) = \tanh^2(x)",
    output_range=REALS,
    monotonic=True,
    monotonic_ulps=2,
    smoothness="Cinf",
    zero_at_zero=True,
    zero_centred=True,
    left_saturating=False,
    right_saturating=False,
    equivalents=Equivalents(None, "torch.nn.Tanhshrink", "keras.activations.tanh_shrink"),
    conventions=(
        "For $|x| < 2$ the value comes from Lambert's continued fraction for tanh, not from "
        r"$x - \tanh(x)$, which loses every digit near 0.",
        r"The derivative $\tanh^2(x)$ comes from the same continued fraction for $|x| < 1$ "
        r"($1 - \tanh'(x)$ cancels there) and from $1 - \tanh'(x)$ beyond.",
    ),
    reference=lambda mp, x: _tanh_shrink_reference(mp, x),
    reference_derivative=lambda mp, x: mp.tanh(x) ** 2,
    critical_points=(0.0,),
)
def tanh_shrink(x: ArrayLike) -> jax.Array:
    r"""Tanhshrink.

    $$f(x) = x - \tanh(x), \qquad f'(x) = \tanh^2(x)$$

    Args:
        x: input array.

    Returns:
        An array of the (floating) dtype of ``x``.

    Examples:
        >>> jaxact.tanh_shrink(jnp.array([-3.0, 0.5, 1.0]))
        Array([-2.0049453 ,  0.03788284,  0.23840587], dtype=float32)
    """
    return _tanh_shrink_impl(as_inexact(x, "tanh_shrink"))


@jax.jit
@in_float32
def _tanh_shrink_impl(x: jax.Array) -> jax.Array:
    return _tanh_shrink(x)
