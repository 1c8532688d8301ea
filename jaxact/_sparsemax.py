"""Sparsemax: the Euclidean projection onto the simplex (Martins & Astudillo, 2016).

It acts on a whole axis, so the elementwise properties of the registry (monotonic, …) are
``None``; its ``plot_slice`` turns a scalar into a vector whose first output is the plotted
curve.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
from jax.typing import ArrayLike

from ._numerics import as_inexact, check_axis, in_float32
from ._registry import Equivalents, Interval, Reference, activation


@activation(
    name="sparsemax",
    display_name="Sparsemax",
    family="vector",
    summary="Euclidean projection onto the simplex: like softmax, but with exact zeros.",
    formula=r"\operatorname{sparsemax}(x) = \arg\min_{p \in \Delta} \lVert p - x \rVert^2"
    r" \\ = [x - \tau(x)]_+,"
    # Lines that define the simplex and the threshold (short: the formula must fit a phone).
    r" \\ \Delta = \{p : p_i \ge 0,\ \textstyle\sum_i p_i = 1\},"
    r" \\ \tau(x):\ \textstyle\sum_i [x_i - \tau(x)]_+ = 1",
    derivative=(
        r"\frac{\partial\,\operatorname{sparsemax}_i}{\partial x_j} = "
        r"s_i\delta_{ij} - \frac{s_i s_j}{|S(x)|},"
        # A second line: on one, the formula was 736 px wide in a 688 px column at 1280 px.
        r" \\ s_i = [p_i > 0],\ S(x) = \{i : p_i > 0\}, \\ p = \operatorname{sparsemax}(x)"
    ),
    output_range=Interval(0.0, 1.0, lo_open=False, hi_open=False),
    elementwise=False,
    smoothness="C0",
    year=2016,
    introduced_in=(
        Reference(
            "A. F. T. Martins, R. F. Astudillo",
            "From Softmax to Sparsemax: A Sparse Model of Attention and Multi-Label Classification",
            2016,
            "ICML 2016; arXiv:1602.02068",
            "https://arxiv.org/abs/1602.02068",
        ),
    ),
    equivalents=Equivalents(None, None, None),
    conventions=(
        "The Jacobian is the one of Martins & Astudillo (2016) on the support "
        r"$S = \{i : p_i > 0\}$; at a kink (an entry exactly at the threshold) it counts that "
        "entry as outside $S$.",
        "Inputs must be finite; NaN propagates.",
    ),
    example_input=(-1.0, 0.0, 0.5, 1.0),
    plot_slice=lambda x: jnp.stack([x, jnp.zeros_like(x)], axis=-1),
    figure_kind="normaliser",
    two_class=("sparse_sigmoid", 1.0),
    plot_range=(-2.0, 2.0),
)
def sparsemax(x: ArrayLike, axis: int = -1) -> jax.Array:
    r"""Sparsemax along ``axis`` (Martins & Astudillo, 2016).

    $$\operatorname{sparsemax}(x) = \arg\min_{p \in \Delta} \lVert p - x \rVert^2
      = [x - \tau(x)]_+,$$

    the Euclidean projection onto the simplex $\Delta$: entry $i$ is $\max(x_i - \tau, 0)$ with

    $$\tau = \frac{\sum_{j \in S} x_j - 1}{|S|},$$

    where $S$ holds the $k$ largest entries for the largest $k$ with
    $1 + k\,x_{(k)} > \sum_{j \le k} x_{(j)}$.

    Args:
        x: input array.
        axis: the axis that is projected onto the simplex.

    Returns:
        An array of the (floating) dtype of ``x``, non-negative, summing to 1 along ``axis``.

    Examples:
        >>> jaxact.sparsemax(jnp.array([-1.0, 0.0, 0.5, 1.0]))
        Array([0.  , 0.  , 0.25, 0.75], dtype=float32)
    """
    x = as_inexact(x, "sparsemax")
    axis = check_axis("sparsemax", x, axis)
    return jnp.moveaxis(_sparsemax_impl(jnp.moveaxis(x, axis, -1)), -1, axis)


@jax.jit
@in_float32
def _sparsemax_impl(x: jax.Array) -> jax.Array:
    # Shift-invariant: work relative to the row maximum, or 1 is lost against large entries
    # (sparsemax([1e8, 0]) gave [0, 0] in float32).
    m = jax.lax.stop_gradient(jnp.max(x, axis=-1, keepdims=True, initial=-jnp.inf))
    x = x - m
    xs = jax.lax.stop_gradient(x)
    srt = -jnp.sort(-xs, axis=-1)
    k = jnp.arange(1, x.shape[-1] + 1, dtype=x.dtype)
    csum = jnp.cumsum(srt, axis=-1)
    in_support = 1 + k * srt > csum
    kz = jnp.sum(in_support, axis=-1, keepdims=True)
    tau0 = (jnp.take_along_axis(csum, kz - 1, axis=-1) - 1) / kz.astype(x.dtype)
    support = xs > tau0
    # tau recomputed from the differentiable x on the (fixed) support: its gradient gives
    # exactly the Jacobian diag(s) - s s^T / |S| of the paper.
    count = jnp.sum(support, axis=-1, keepdims=True).astype(x.dtype)
    tau = (jnp.sum(jnp.where(support, x, 0), axis=-1, keepdims=True) - 1) / count
    # A row with a NaN has an empty support: NaN out there, value and derivative (x m).
    return jnp.where(jnp.isnan(m), x * m, jnp.where(support, x - tau, 0))
