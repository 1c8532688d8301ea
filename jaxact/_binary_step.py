"""The binary step (Heaviside) unit, with an optional straight-through gradient."""

from __future__ import annotations

import functools
from typing import Any

import jax
import jax.numpy as jnp
from jax.typing import ArrayLike

from ._kernels.signs import less_equal, negative
from ._numerics import as_inexact, check_choice, check_real_param, is_concrete, promote
from ._registry import REALS, DiscreteSet, Equivalents, Param, Reference, activation


@functools.partial(jax.custom_jvp, nondiff_argnums=(1,))
def _step(x: jax.Array, straight_through: bool) -> jax.Array:
    # ~negative(x), not x >= 0: XLA on CPU reads a subnormal x as 0 in a comparison.
    return jnp.where(jnp.isnan(x), x, (~negative(x)).astype(x.dtype))


@_step.defjvp
def _step_jvp_st(straight_through: bool, primals: tuple, tangents: tuple) -> tuple:
    (x,), (t,) = primals, tangents
    return _step(x, straight_through), t if straight_through else jnp.zeros_like(t)


@functools.partial(jax.custom_jvp, nondiff_argnums=(2,))
def _step_at(x: jax.Array, threshold: jax.Array, straight_through: bool) -> jax.Array:
    # less_equal, not threshold <= x: XLA on CPU reads subnormal operands as 0 in a comparison.
    return jnp.where(jnp.isnan(x), x, less_equal(threshold, x).astype(x.dtype))


@_step_at.defjvp
def _step_at_jvp(straight_through: bool, primals: tuple, tangents: tuple) -> tuple:
    # The derivative in the threshold is 0 too (a Dirac at x = threshold, as in x).
    (x, threshold), (t, _) = primals, tangents
    y = _step_at(x, threshold, straight_through)
    return y, t if straight_through else jnp.zeros_like(y)


@activation(
    name="binary_step",
    aliases=("heaviside",),
    display_name="Binary step",
    family="piecewise",
    summary=(
        r"$1$ for $x \ge \theta$ (default 0), else $0$: the perceptron's threshold unit; its "
        "gradient is zero."
    ),
    formula=r"f(x) = \begin{cases} 1 & x \ge \theta \\ 0 & x < \theta \end{cases}",
    derivative=r"f'(x) = 0 \quad (x \ne \theta;\ \text{taken as } 0 \text{ at } x = \theta)",
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
            "If true, the gradient is that of the identity (straight-through estimator, Bengio et "
            "al. 2013) instead of the true derivative 0.",
            (False, True),
        ),
        Param(
            "threshold",
            0.0,
            r"$\theta$: the step is at $x = \theta$ (keyword-only; MLX's nn.step names it so).",
            REALS,
            latex=r"\theta",
            plot_values=(-1.0, 0.0, 1.0),
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
            "Estimating or Propagating Gradients Through Stochastic Neurons for Conditional "
            "Computation",
            2013,
            "arXiv:1308.3432",
            "https://arxiv.org/abs/1308.3432",
        ),
    ),
    equivalents=Equivalents(None, "torch.heaviside(x, 1)", None),
    conventions=(
        r"binary_step(θ) = 1 (the value for $x \ge \theta$), as MLX's nn.step documents it (its "
        r"code, `where(x > threshold, 1, 0)`, gives 0 at $x = \theta$) and as "
        "`torch.heaviside(x - threshold, 1)` computes it.",
        r"The derivative is 0 everywhere, at the step $x = \theta$ too; `straight_through=True` "
        "passes the incoming gradient through unchanged instead.",
        "binary_step(NaN) = NaN.",
    ),
    reference=lambda mp, x, straight_through=False, threshold=0.0: (
        mp.mpf(1) if x >= threshold else mp.mpf(0)
    ),
    reference_derivative=lambda mp, x, straight_through=False, threshold=0.0: mp.mpf(
        int(straight_through)
    ),
    example_input=(-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0),
)
def binary_step(
    x: ArrayLike, straight_through: bool = False, *, threshold: ArrayLike = 0.0
) -> jax.Array:
    r"""Binary step (Heaviside) activation.

    $$f(x) = \begin{cases} 1 & x \ge \theta \\ 0 & x < \theta \end{cases}$$

    The derivative is 0 everywhere, so nothing can be learnt through it by gradient
    descent. ``straight_through=True`` replaces the gradient by that of the identity.

    Args:
        x: input array.
        straight_through: use the straight-through estimator for the gradient.
        threshold: $\theta$, where the step is (keyword-only; MLX's ``nn.step(x, threshold)``):
            a real number or an array broadcastable to ``x``. ``step(θ) = 1``.

    Returns:
        An array of 0s and 1s of the (floating) dtype of ``x``.

    Examples:
        >>> jaxact.binary_step(jnp.array([-3.0, -1.0, 0.0, 2.0]))
        Array([0., 0., 1., 1.], dtype=float32)
    """
    check_choice("binary_step", "straight_through", straight_through, (False, True))
    x = as_inexact(x, "binary_step")
    if is_concrete(threshold) and not isinstance(threshold, bool) and _is_zero(threshold):
        return _step(x, bool(straight_through))
    check_real_param("binary_step", "threshold", threshold, REALS, x)
    x = promote(x, threshold)
    theta = jnp.asarray(threshold, x.dtype)
    return _step_at(x, theta, bool(straight_through))


def _is_zero(value: Any) -> bool:
    """A scalar 0 (a Python or NumPy number, or a 0-d array): today's step at 0."""
    return isinstance(value, (int, float)) and value == 0
