"""The binary step (Heaviside) unit, with an optional straight-through gradient."""

from __future__ import annotations

import functools
from typing import Any

import jax
import jax.numpy as jnp

from ._kernels.signs import negative
from ._numerics import as_inexact, check_choice
from ._registry import DiscreteSet, Equivalents, Param, Reference, activation


@functools.partial(jax.custom_jvp, nondiff_argnums=(1,))
def _step(x: jax.Array, straight_through: bool) -> jax.Array:
    # ~negative(x), not x >= 0: XLA on CPU reads a subnormal x as 0 in a comparison.
    return jnp.where(jnp.isnan(x), x, (~negative(x)).astype(x.dtype))


@_step.defjvp
def _step_jvp_st(straight_through: bool, primals: tuple, tangents: tuple) -> tuple:
    (x,), (t,) = primals, tangents
    return _step(x, straight_through), t if straight_through else jnp.zeros_like(t)


@activation(
    name="binary_step",
    aliases=("heaviside",),
    display_name="Binary step",
    family="piecewise",
    summary=r"$1$ for $x \ge 0$, else $0$: the perceptron's threshold unit; its gradient is zero.",
    formula=r"f(x) = \begin{cases} 1 & x \ge 0 \\ 0 & x < 0 \end{cases}",
    derivative=r"f'(x) = 0 \quad (x \ne 0;\ \text{taken as } 0 \text{ at } x = 0)",
    output_range=DiscreteSet((0.0, 1.0)),
    monotonic=True,
    smoothness="discontinuous",
    zero_at_zero=False,
    zero_centred=False,
    left_saturating=True,
    right_saturating=True,
    params=(
        Param(
            "straight_through",
            False,
            "If true, the gradient is that of the identity (straight-through estimator, "
            "Bengio et al. 2013) instead of the true derivative 0.",
            (False, True),
        ),
    ),
    year=1943,
    introduced_in=(
        Reference(
            "W. S. McCulloch, W. Pitts",
            "A logical calculus of the ideas immanent in nervous activity",
            1943,
            "Bulletin of Mathematical Biophysics 5",
            "https://doi.org/10.1007/BF02478259",
        ),
    ),
    references=(
        Reference(
            "Y. Bengio, N. Léonard, A. Courville",
            "Estimating or Propagating Gradients Through Stochastic Neurons for "
            "Conditional Computation",
            2013,
            "arXiv:1308.3432",
            "https://arxiv.org/abs/1308.3432",
        ),
    ),
    equivalents=Equivalents(None, "torch.heaviside(x, 1)", None),
    conventions=(
        "step(0) = 1.",
        "The derivative is 0 everywhere (including at 0); `straight_through=True` passes "
        "the incoming gradient through unchanged instead.",
        "step(NaN) = NaN.",
    ),
    reference=lambda mp, x, straight_through=False: mp.mpf(1) if x >= 0 else mp.mpf(0),
    reference_derivative=lambda mp, x, straight_through=False: mp.mpf(int(straight_through)),
    example_input=(-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0),
)
def binary_step(x: Any, straight_through: bool = False) -> jax.Array:
    r"""Binary step (Heaviside) activation.

    $$f(x) = \begin{cases} 1 & x \ge 0 \\ 0 & x < 0 \end{cases}$$

    The derivative is 0 everywhere, so nothing can be learnt through it by gradient
    descent. ``straight_through=True`` replaces the gradient by that of the identity.

    Args:
        x: input array.
        straight_through: use the straight-through estimator for the gradient.

    Returns:
        An array of 0s and 1s of the (floating) dtype of ``x``.

    Examples:
        >>> jaxact.binary_step(jnp.array([-3.0, -1.0, 0.0, 2.0]))
        Array([0., 0., 1., 1.], dtype=float32)
    """
    check_choice("binary_step", "straight_through", straight_through, (False, True))
    return _step(as_inexact(x, "binary_step"), bool(straight_through))
