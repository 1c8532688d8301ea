"""Log-sigmoid, -softplus(-x): the log-probability of a binary output."""

from __future__ import annotations

import jax
from jax.typing import ArrayLike

from ._kernels.logistic import _softplus
from ._numerics import as_inexact, in_float32
from ._registry import Equivalents, Interval, activation


@activation(
    name="log_sigmoid",
    display_name="Log-sigmoid",
    family="sigmoidal",
    summary=(
        r"$\log \sigma(x) = -\operatorname{softplus}(-x)$: the log-probability of a binary output."
    ),
    formula=r"f(x) = \log \sigma(x) = -\log\left(1 + e^{-x}\right)",
    derivative=r"f'(x) = \sigma(-x)",
    output_range=Interval(hi=0.0),
    monotonic=True,
    monotonic_ulps=2,
    smoothness="Cinf",
    zero_at_zero=False,
    zero_centred=False,
    left_saturating=False,
    right_saturating=True,
    equivalents=Equivalents(
        "jax.nn.log_sigmoid", "torch.nn.LogSigmoid", "keras.activations.log_sigmoid"
    ),
    conventions=(
        r"Computed as $-\bigl(\max(-x, 0) + \operatorname{log1p}(e^{-\lvert x\rvert})\bigr)$: "
        "no overflow and no threshold switch.",
    ),
    reference=lambda mp, x: -mp.log1p(mp.exp(-x)),
    reference_derivative=lambda mp, x: 1 / (1 + mp.exp(x)),
    plot_range=(-6.0, 6.0),
)
def log_sigmoid(x: ArrayLike) -> jax.Array:
    r"""Log-sigmoid.

    $$f(x) = \log \sigma(x) = -\log\left(1 + e^{-x}\right), \qquad f'(x) = \sigma(-x)$$

    Args:
        x: input array.

    Returns:
        An array of the (floating) dtype of ``x``, with values in $(-\infty, 0]$.

    Examples:
        >>> jaxact.log_sigmoid(jnp.array([-2.0, 0.0, 2.0]))
        Array([-2.126928 , -0.6931472, -0.126928 ], dtype=float32)
    """
    return _log_sigmoid_impl(as_inexact(x, "log_sigmoid"))


@jax.jit
@in_float32
def _log_sigmoid_impl(x: jax.Array) -> jax.Array:
    return -_softplus(-x)
