"""The identity (linear) activation."""

from __future__ import annotations

import jax
from jax.typing import ArrayLike

from ._numerics import as_array
from ._registry import REALS, Equivalents, activation


@activation(
    name="identity",
    aliases=("linear",),
    display_name="Identity",
    family="piecewise",
    summary="Passes its input through unchanged: the output layer for regression.",
    formula=r"f(x) = x",
    derivative=r"f'(x) = 1",
    output_range=REALS,
    monotonic=True,
    integer_exact=True,
    smoothness="Cinf",
    zero_at_zero=True,
    zero_centred=True,
    left_saturating=False,
    right_saturating=False,
    equivalents=Equivalents("jax.nn.identity", "torch.nn.Identity", "keras.activations.linear"),
    reference=lambda mp, x: x,
    reference_derivative=lambda mp, x: mp.mpf(1),
)
def identity(x: ArrayLike) -> jax.Array:
    r"""Identity activation.

    $$f(x) = x$$

    Args:
        x: input array.

    Returns:
        ``x`` as an array, unchanged.

    Examples:
        >>> jaxact.identity(jnp.array([-1.0, 0.0, 2.0]))
        Array([-1.,  0.,  2.], dtype=float32)
    """
    return as_array(x, "identity")
