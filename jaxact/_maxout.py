"""Maxout: the maximum over groups of consecutive entries (Goodfellow et al., 2013).

It acts on a whole axis, so the elementwise properties of the registry (monotonic, …) are
``None``; its ``plot_slice`` turns a scalar into a vector whose first output is the plotted
curve. Tied maxima share the gradient equally.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from jax.typing import ArrayLike

from ._kernels.signs import order_key
from ._numerics import _abbrev, as_inexact, check_axis
from ._registry import REALS, Equivalents, Param, Reference, activation


@jax.custom_jvp
def _max_last(y: jax.Array) -> jax.Array:
    return jnp.max(y, axis=-1)


@_max_last.defjvp
def _max_last_jvp(primals: tuple, tangents: tuple) -> tuple:
    (y,), (t,) = primals, tangents
    m = jnp.max(y, axis=-1)
    # Ties among the integer keys of y, not y == m: XLA on CPU reads subnormals as 0 in a
    # comparison, so [2^-149, 0] was a tie (gradient split) and its maximum is the first.
    key = order_key(y)
    tie = key == jnp.max(key, axis=-1, keepdims=True)
    # Tied maxima share the gradient equally, so it sums to 1 (CONTRIBUTING.md, conventions).
    count = jnp.sum(tie, axis=-1, keepdims=True, dtype=y.dtype)
    w = tie.astype(y.dtype) / jnp.maximum(count, 1)  # in y's dtype, also under x64
    # A NaN in a group: no entry ties with the NaN maximum; its derivative is NaN too.
    w = jnp.where(jnp.isnan(m)[..., None], m[..., None], w)
    return m, jnp.sum(w * t, axis=-1)


@activation(
    name="maxout",
    display_name="Maxout",
    family="vector",
    summary="Maximum over groups of consecutive units: a learnable piecewise-linear activation.",
    formula=r"\operatorname{maxout}(x)_i = \max_{0 \le j < k} x_{ik + j}",
    derivative=(
        r"\frac{\partial\,\operatorname{maxout}_i}{\partial x_{ik+j}} = "
        r"\frac{[x_{ik+j} = \max]}{\#\{\text{maxima}\}}"
    ),
    output_range=REALS,
    elementwise=False,
    params=(
        Param(
            "num_pieces",
            2,
            "group size k: the number of consecutive entries each output is the maximum of.",
            valid="an integer ≥ 1 that divides the length of `axis`",
            latex="k",
            required=True,
        ),
    ),
    smoothness="C0",
    year=2013,
    introduced_in=(
        Reference(
            "I. J. Goodfellow, D. Warde-Farley, M. Mirza, A. Courville, Y. Bengio",
            "Maxout Networks",
            2013,
            "ICML 2013; arXiv:1302.4389",
            "https://arxiv.org/abs/1302.4389",
        ),
    ),
    equivalents=Equivalents(None, None, None),
    conventions=(
        "Groups are num_pieces consecutive entries along axis (axis length n gives n/num_pieces "
        "outputs).",
        "Tied maxima share the gradient equally, so it sums to 1.",
    ),
    example_input=(-2.0, 1.0, 3.0, 0.0, 0.5, 0.5),
    plot_slice=lambda x: jnp.stack([x, jnp.zeros_like(x)], axis=-1),
    figure_kind="maxout",
    plot_range=(-3.0, 3.0),
)
def maxout(x: ArrayLike, num_pieces: int, axis: int = -1) -> jax.Array:
    r"""Maxout: the maximum over groups of ``num_pieces`` consecutive entries along ``axis``.

    $$\operatorname{maxout}(x)_i = \max_{0 \le j < k} x_{ik + j}, \qquad k = \text{num\_pieces}$$

    Args:
        x: input array; its ``axis`` length must be a multiple of ``num_pieces``.
        num_pieces: group size $k \ge 1$.
        axis: the axis that is grouped.

    Returns:
        An array with ``axis`` shortened by the factor ``num_pieces``.

    Examples:
        >>> jaxact.maxout(jnp.array([-2.0, 1.0, 3.0, 0.0, 0.5, 0.5]), num_pieces=2)
        Array([1. , 3. , 0.5], dtype=float32)
    """
    x = as_inexact(x, "maxout")
    integer = isinstance(num_pieces, (int, np.integer)) and not isinstance(num_pieces, bool)
    if not integer or num_pieces < 1:
        raise ValueError(
            "maxout: 'num_pieces' must be an integer >= 1 (a Python or NumPy int), got "
            f"{_abbrev(num_pieces)}"
        )
    num_pieces = int(num_pieces)
    axis = check_axis("maxout", x, axis)
    n = x.shape[axis]
    if n % num_pieces:
        raise ValueError(
            f"maxout: the length of axis {axis} ({n}) must be divisible by "
            f"num_pieces={num_pieces} (input shape {x.shape})"
        )
    y = jnp.moveaxis(x, axis, -1)
    y = y.reshape(*y.shape[:-1], n // num_pieces, num_pieces)
    return jnp.moveaxis(_max_last(y), -1, axis)
