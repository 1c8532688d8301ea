"""The logistic sigmoid and tanh: bounded, S-shaped, saturating on both sides.

Their derivatives are written from the input, never from the output: jax's default rule
``sigma'(x) = ans * (1 - ans)`` is exactly 0 once ``ans`` rounds to 1 (x > 17 in float32),
long before the true value ``sigma(x) * sigma(-x)`` underflows. Each derivative is itself a
``custom_jvp`` function, so second derivatives (``jax.hessian``) are exact in the tails too.
The kernels (``_sigmoid``, ``_tanh`` and their derivatives) are in ``_kernels.logistic``.
"""

from __future__ import annotations

import jax
from jax.typing import ArrayLike

from ._kernels.logistic import _sigmoid, _tanh
from ._numerics import as_inexact, in_float32
from ._registry import Equivalents, Interval, Reference, activation

# -- sigmoid -------------------------------------------------------------------------------


@activation(
    name="sigmoid",
    aliases=("logistic",),
    display_name="Sigmoid",
    family="sigmoidal",
    summary=r"The logistic function $1/(1 + e^{-x})$: a probability for binary outputs.",
    formula=r"\sigma(x) = \frac{1}{1 + e^{-x}}",
    derivative=r"\sigma'(x) = \sigma(x)\,\sigma(-x)",
    output_range=Interval(0.0, 1.0),
    monotonic=True,
    monotonic_ulps=2,
    smoothness="Cinf",
    zero_at_zero=False,
    zero_centred=False,
    left_saturating=True,
    right_saturating=True,
    year=1838,
    introduced_in=(
        Reference(
            "P.-F. Verhulst",
            "Notice sur la loi que la population suit dans son accroissement",
            1838,
            "Correspondance mathématique et physique 10",
        ),
    ),
    references=(
        Reference(
            "D. E. Rumelhart, G. E. Hinton, R. J. Williams",
            "Learning representations by back-propagating errors",
            1986,
            "Nature 323",
            "https://doi.org/10.1038/323533a0",
        ),
        Reference(
            "J. Han, C. Moraga",
            "The influence of the sigmoid function parameters on the speed of backpropagation "
            "learning",
            1995,
            "IWANN, LNCS 930",
            "https://doi.org/10.1007/3-540-59497-3_175",
        ),
    ),
    equivalents=Equivalents("jax.nn.sigmoid", "torch.nn.Sigmoid", "keras.activations.sigmoid"),
    conventions=(
        r"The derivative is computed as $\sigma(x)\sigma(-x)$, exact where $\sigma(x)$ rounds to "
        "1.",
    ),
    reference=lambda mp, x: 1 / (1 + mp.exp(-x)),
    reference_derivative=lambda mp, x: 1 / ((1 + mp.exp(-x)) * (1 + mp.exp(x))),
    plot_range=(-8.0, 8.0),
    example_input=(-5.0, -4.0, -3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0),
)
def sigmoid(x: ArrayLike) -> jax.Array:
    r"""Logistic sigmoid.

    $$\sigma(x) = \frac{1}{1 + e^{-x}}, \qquad \sigma'(x) = \sigma(x)\,\sigma(-x)$$

    Args:
        x: input array.

    Returns:
        An array of the (floating) dtype of ``x``, with values in $(0, 1)$ (0 and 1
        themselves only by rounding, where $|x|$ is large: ``sigmoid(20.0)`` is 1.0 in float32).

    Examples:
        >>> jaxact.sigmoid(jnp.array([-5.0, 0.0, 5.0]))
        Array([0.00669285, 0.5       , 0.9933072 ], dtype=float32)
    """
    return _sigmoid_impl(as_inexact(x, "sigmoid"))


@jax.jit
@in_float32
def _sigmoid_impl(x: jax.Array) -> jax.Array:
    return _sigmoid(x)


# -- tanh ----------------------------------------------------------------------------------


@activation(
    name="tanh",
    display_name="Tanh",
    family="sigmoidal",
    summary=r"Hyperbolic tangent: a zero-centred sigmoid with values in $(-1, 1)$.",
    formula=r"\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}} = 2\sigma(2x) - 1",
    derivative=r"\tanh'(x) = 1 - \tanh^2(x) = 4\,\sigma(2x)\,\sigma(-2x)",
    output_range=Interval(-1.0, 1.0),
    monotonic=True,
    monotonic_ulps=2,
    smoothness="Cinf",
    zero_at_zero=True,
    zero_centred=True,
    left_saturating=True,
    right_saturating=True,
    year=1998,
    references=(
        Reference(
            "Y. LeCun, L. Bottou, G. B. Orr, K.-R. Müller",
            "Efficient BackProp",
            1998,
            "Neural Networks: Tricks of the Trade, LNCS 1524",
            "https://doi.org/10.1007/3-540-49430-8_2",
        ),
    ),
    equivalents=Equivalents("jax.nn.tanh", "torch.nn.Tanh", "keras.activations.tanh"),
    conventions=(
        r"The derivative is computed as $4\sigma(2x)\sigma(-2x)$, not $1 - \tanh^2(x)$, which is 0 "
        r"once $\tanh(x)$ rounds to $\pm 1$ (in float32 from $|x| \approx 9$ correctly rounded, "
        r"and from 8.0 with XLA's tanh on CPU).",
    ),
    reference=lambda mp, x: mp.tanh(x),
    reference_derivative=lambda mp, x: 1 / mp.cosh(x) ** 2,
    plot_range=(-4.0, 4.0),
)
def tanh(x: ArrayLike) -> jax.Array:
    r"""Hyperbolic tangent.

    $$\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}, \qquad
    \tanh'(x) = 4\,\sigma(2x)\,\sigma(-2x)$$

    Args:
        x: input array.

    Returns:
        An array of the (floating) dtype of ``x``, with values in $[-1, 1]$.

    Examples:
        >>> jaxact.tanh(jnp.array([-2.0, 0.0, 0.5]))
        Array([-0.9640276 ,  0.        ,  0.46211714], dtype=float32)
    """
    return _tanh_impl(as_inexact(x, "tanh"))


@jax.jit
@in_float32
def _tanh_impl(x: jax.Array) -> jax.Array:
    return _tanh(x)
