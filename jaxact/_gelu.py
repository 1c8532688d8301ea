"""GELU: x Phi(x), in the tanh approximation (the default, as jax.nn) or the exact erfc form.

Both forms keep their relative accuracy in the left tail; their kernels (value and derivatives
as ``custom_jvp`` functions, so ``jax.hessian`` is exact too) are in ``_kernels.gelu``.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import jax
from jax.typing import ArrayLike

from ._kernels.gelu import _gelu_exact, _gelu_tanh
from ._numerics import as_inexact, at_least, check_choice, in_float32
from ._references import HENDRYCKS_GIMPEL
from ._registry import Equivalents, Interval, Param, activation

_TANH_MINIMUM = -0.17004075057125405
"""The minimum of the tanh form (at x = -0.75246), float64: the closed lower end."""


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
    summary=(
        r"$x\,\Phi(x)$: the input weighted by the standard normal CDF $\Phi$ (density "
        r"$\varphi$); the tanh approximation by default."
    ),
    formula=(
        r"f(x) = x\,\Phi(x) = \tfrac{x}{2}\operatorname{erfc}\!\bigl(-\tfrac{x}{\sqrt 2}\bigr)"
        r" \\ \text{approximate:} \\ f(x) = x\,\sigma(2u),"
        r" \\ u = \sqrt{2/\pi}\,(x + 0.044715\,x^3)"
    ),
    derivative=(
        r"f'(x) = \Phi(x) + x\,\varphi(x)"
        r" \\ \text{approximate:} \\ f'(x) = \sigma(2u)\bigl(1 + 2x\,u'\,\sigma(-2u)\bigr),"
        r" \\ u' = \sqrt{2/\pi}\,(1 + 0.134145\,x^2)"
    ),
    output_range=Interval(_TANH_MINIMUM, math.inf, lo_open=False),
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
    introduced_in=(HENDRYCKS_GIMPEL,),
    equivalents=Equivalents("jax.nn.gelu", "torch.nn.GELU", "keras.activations.gelu"),
    conventions=(
        "`approximate=True` by default, as jax.nn.gelu; PyTorch and Keras default to the exact "
        "form (torch's `approximate='tanh'`, Keras's `approximate=True` give the tanh form).",
        r"Exact form as $e^{-x^2/2} R(\lvert x\rvert)$, $R$ a rational fit of "
        r"$e^{t^2/2}\,\Phi(-t)$ (not $1 + \operatorname{erf}$, and not XLA's erfc, up to 60 ULP "
        r"off in the float32 tail, $-13 \le x \le -3$); tanh form as $x\,\sigma(2u)$ "
        r"(not $1 + \tanh u$) with $2u$ in "
        "double-word arithmetic: both keep their relative accuracy in the left tail.",
        "f(−inf) = 0, f'(+inf) = 1; $x^3$ never overflows into NaN gradients.",
    ),
    reference=_gelu_reference,
    reference_derivative=_gelu_reference_derivative,
    critical_points=(-0.7524614220710163, -0.7517915246935645),
    plot_range=(-5.0, 3.0),
)
def gelu(x: ArrayLike, approximate: bool = True) -> jax.Array:
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
    return _gelu_impl(as_inexact(x, "gelu"), bool(approximate))


@functools.partial(jax.jit, static_argnums=1)
def _gelu_impl(x: jax.Array, approximate: bool) -> jax.Array:
    y = _gelu_f32(x, approximate)
    # The stated range is the tanh form's: rounding near its minimum would cross it
    # (-0.17004077 in float32). The exact form's minimum, -0.169971, lies above it.
    return at_least(y, _TANH_MINIMUM) if approximate else y


@in_float32
def _gelu_f32(x: jax.Array, approximate: bool) -> jax.Array:
    return _gelu_tanh(x) if approximate else _gelu_exact(x)
