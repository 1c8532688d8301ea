"""The exponential activation, Keras 3's ``keras.activations.exponential``: ``e**x``."""

from __future__ import annotations

import jax
import jax.numpy as jnp
from jax.typing import ArrayLike

from ._numerics import as_inexact, in_float32
from ._registry import Equivalents, Interval, activation


@activation(
    name="exponential",
    display_name="Exponential",
    family="exponential",
    summary=r"$e^x$: a positive output that grows without bound (Keras 3's `exponential`).",
    formula=r"f(x) = e^{x}",
    derivative=r"f'(x) = e^{x}",
    output_range=Interval(0.0),
    monotonic=True,
    smoothness="Cinf",
    zero_at_zero=False,
    zero_centred=False,
    left_saturating=True,
    right_saturating=False,
    equivalents=Equivalents(None, "torch.exp", "keras.activations.exponential"),
    monotonic_ulps=2,
    conventions=(
        r"Overflow is the true value rounded: $e^x$ exceeds the largest float beyond "
        r"$x = 88.72$ in float32 ($709.78$ in float64, $11.09$ in float16), and the result is "
        r"$+\infty$ there, as is the derivative.",
        r"$e^x$ is below the smallest normal number for $x < -87.34$ in float32 ($-708.40$ in "
        "float64); XLA on CPU flushes such results to 0.",
        "The exponential is XLA's: in float64 it is not monotonic to the last bit (up to two "
        "ULP down between some neighbouring inputs).",
    ),
    reference=lambda mp, x: mp.exp(x),
    reference_derivative=lambda mp, x: mp.exp(x),
    example_input=(-3.0, -1.0, 0.0, 1.0, 2.0),
    plot_range=(-4.0, 3.0),
)
def exponential(x: ArrayLike) -> jax.Array:
    r"""Exponential activation.

    $$f(x) = e^{x}$$

    The derivative is $e^x$ again, taken from the result. Beyond $x \approx 88.72$ in float32
    the true value exceeds the largest float and the result is $+\infty$ (the correctly
    rounded overflow, not an error).

    Args:
        x: input array.

    Returns:
        An array of the (floating) dtype of ``x``, with values in $[0, \infty]$.

    Examples:
        >>> jaxact.exponential(jnp.array([-1.0, 0.0, 1.0]))
        Array([0.36787945, 1.        , 2.7182817 ], dtype=float32)
    """
    return _exponential_impl(as_inexact(x, "exponential"))


@jax.jit
@in_float32
def _exponential_impl(x: jax.Array) -> jax.Array:
    return jnp.exp(x)
