"""Squared ReLU, relu(x)²."""

from __future__ import annotations

import jax
from jax.typing import ArrayLike

from ._kernels.relu import _relu
from ._numerics import as_inexact
from ._registry import Equivalents, Interval, Reference, activation


@activation(
    name="squared_relu",
    display_name="Squared ReLU",
    family="piecewise",
    summary=(
        r"$\operatorname{relu}(x)^2$: found by architecture search for Transformer feed-forward "
        "layers."
    ),
    formula=r"f(x) = \max(0, x)^2",
    derivative=r"f'(x) = 2\max(0, x)",
    output_range=Interval(0.0, lo_open=False),
    monotonic=True,
    smoothness="C1",
    zero_at_zero=True,
    zero_centred=False,
    left_saturating=True,
    right_saturating=False,
    year=2021,
    references=(
        Reference(
            "D. R. So, W. Mańke, H. Liu, Z. Dai, N. Shazeer, Q. V. Le",
            "Primer: Searching for Efficient Transformers for Language Modeling",
            2021,
            "NeurIPS",
            "https://arxiv.org/abs/2109.08668",
        ),
    ),
    equivalents=Equivalents(None, None, None),
    reference=lambda mp, x: max(mp.mpf(0), x) ** 2,
    reference_derivative=lambda mp, x: 2 * max(mp.mpf(0), x),
    plot_range=(-3.0, 3.0),
)
def squared_relu(x: ArrayLike) -> jax.Array:
    r"""Squared ReLU.

    $$f(x) = \max(0, x)^2$$

    Args:
        x: input array.

    Returns:
        An array of the (floating) dtype of ``x``.

    Examples:
        >>> jaxact.squared_relu(jnp.array([-2.0, 0.0, 3.0]))
        Array([0., 0., 9.], dtype=float32)
    """
    return _squared_relu_impl(as_inexact(x, "squared_relu"))


@jax.jit
def _squared_relu_impl(x: jax.Array) -> jax.Array:
    r = _relu(x)
    return r * r
