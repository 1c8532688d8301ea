"""Piecewise-linear (and piecewise-polynomial) activations.

Their values are a select, a multiply or a clip, so the work here is in the derivative
conventions at the kinks, which follow ``jax.nn`` (see each ``conventions``), and in three
details jax.nn leaves out:

- NaN in, NaN out, derivatives included: a NaN fails every comparison and would land in some
  branch whose slope (0, 1, α) hides it (``nan_derivative``).
- float16/bfloat16 are computed in float32 and rounded once where a formula has more than one
  rounding (hard_sigmoid, hard_silu) or a parameter that half precision cannot hold (0.01).
- The functions shared with jax.nn are written the way jax.nn writes them (Python-scalar
  constants, jnp promotion), so integer, boolean and weakly typed inputs give jax.nn's dtypes.
"""

from __future__ import annotations

import functools
from typing import Any

import jax
import jax.numpy as jnp
from jax import lax

from ._numerics import (
    as_array,
    as_inexact,
    check_choice,
    check_real_param,
    in_float32,
    nan_derivative,
    promote,
)
from ._registry import REALS, Equivalents, Interval, Param, Reference, activation

_NAIR_HINTON = Reference(
    "V. Nair, G. E. Hinton",
    "Rectified Linear Units Improve Restricted Boltzmann Machines",
    2010,
    "ICML",
    "https://www.cs.toronto.edu/~hinton/absps/reluICML.pdf",
)
_GLOROT = Reference(
    "X. Glorot, A. Bordes, Y. Bengio",
    "Deep Sparse Rectifier Neural Networks",
    2011,
    "AISTATS",
    "https://proceedings.mlr.press/v15/glorot11a.html",
)
_BERTOIN = Reference(
    "D. Bertoin, J. Bolte, S. Gerchinovitz, E. Pauwels",
    "Numerical influence of ReLU'(0) on backpropagation",
    2021,
    "NeurIPS",
    "https://arxiv.org/abs/2106.12915",
)


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
    smoothness="Cinf",
    zero_at_zero=True,
    zero_centred=True,
    left_saturating=False,
    right_saturating=False,
    equivalents=Equivalents("jax.nn.identity", "torch.nn.Identity", "keras.activations.linear"),
    reference=lambda mp, x: x,
    reference_derivative=lambda mp, x: mp.mpf(1),
)
def identity(x: Any) -> jax.Array:
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


@functools.partial(jax.custom_jvp, nondiff_argnums=(1,))
def _step(x: jax.Array, straight_through: bool) -> jax.Array:
    return jnp.where(jnp.isnan(x), x, (x >= 0).astype(x.dtype))


@_step.defjvp
def _step_jvp_st(straight_through: bool, primals: tuple, tangents: tuple) -> tuple:
    (x,), (t,) = primals, tangents
    return _step(x, straight_through), t if straight_through else jnp.zeros_like(t)


@activation(
    name="binary_step",
    aliases=("heaviside",),
    display_name="Binary step",
    family="piecewise",
    summary="1 for x ≥ 0, else 0: the perceptron's threshold unit; its gradient is zero.",
    formula=r"f(x) = \begin{cases} 1 & x \ge 0 \\ 0 & x < 0 \end{cases}",
    derivative=r"f'(x) = 0 \quad (x \ne 0;\ \text{taken as } 0 \text{ at } x = 0)",
    output_range=Interval(0.0, 1.0, lo_open=False, hi_open=False),
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
    references=(
        Reference(
            "W. S. McCulloch, W. Pitts",
            "A logical calculus of the ideas immanent in nervous activity",
            1943,
            "Bulletin of Mathematical Biophysics 5",
            "https://doi.org/10.1007/BF02478259",
        ),
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


def relu(x: Any) -> jax.Array:
    r"""Rectified linear unit.

    $$f(x) = \max(0, x)$$

    The derivative at 0 is taken as 0, as in ``jax.nn.relu`` (Bertoin et al., 2021).

    Args:
        x: input array.

    Returns:
        An array of the dtype of ``x``.

    Examples:
        >>> jaxact.relu(jnp.array([-2.0, 0.0, 3.0]))
        Array([0., 0., 3.], dtype=float32)
    """
    return _relu(as_array(x, "relu"))


def _select_slope(on: jax.Array, x: jax.Array, g: jax.Array) -> jax.Array:
    """The tangent ``g`` where ``on``, else 0, and NaN where ``x`` is NaN.

    A select, not ``g * slope``, as jax.nn (an infinite cotangent times 0 is not NaN). The
    NaN case lives in the rule itself: a mask multiplied outside would be selected away in
    reverse mode. Its factor is 0 off NaN (not ``x``: 0 * inf in the transposed select).
    """
    nan = lax.stop_gradient(jnp.where(jnp.isnan(x), x, 0))
    return lax.select(on, g, jnp.where(jnp.isnan(x), g * nan, lax.full_like(g, 0)))


@jax.custom_jvp
@jax.jit
def _relu(x: jax.Array) -> jax.Array:
    return jnp.maximum(x, 0)


# relu'(0) = 0, as jax.nn: Bertoin et al., "Numerical influence of ReLU'(0) on backpropagation".
_relu.defjvps(lambda g, ans, x: _select_slope(x > 0, x, g))


activation(
    name="relu",
    display_name="ReLU",
    family="piecewise",
    summary="max(0, x): cheap, non-saturating for x > 0, sparse; the default hidden activation.",
    formula=r"f(x) = \max(0, x)",
    derivative=r"f'(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}",
    output_range=Interval(0.0, lo_open=False),
    monotonic=True,
    smoothness="C0",
    zero_at_zero=True,
    zero_centred=False,
    left_saturating=True,
    right_saturating=False,
    year=2010,
    references=(_NAIR_HINTON, _GLOROT, _BERTOIN),
    equivalents=Equivalents("jax.nn.relu", "torch.nn.ReLU", "keras.activations.relu"),
    conventions=("relu'(0) = 0 (as jax.nn; Bertoin et al. 2021).",),
    reference=lambda mp, x: max(mp.mpf(0), x),
    reference_derivative=lambda mp, x: mp.mpf(1) if x > 0 else mp.mpf(0),
)(relu)


def relu6(x: Any) -> jax.Array:
    r"""ReLU capped at 6.

    $$f(x) = \min(\max(0, x), 6)$$

    The derivative is taken as 0 at both kinks, 0 and 6 (as ``jax.nn.relu6``).

    Args:
        x: input array.

    Returns:
        An array of the dtype of ``x``.

    Examples:
        >>> jaxact.relu6(jnp.array([-1.0, 3.0, 8.0]))
        Array([0., 3., 6.], dtype=float32)
    """
    return _relu6(as_array(x, "relu6"))


@jax.custom_jvp
@jax.jit
def _relu6(x: jax.Array) -> jax.Array:
    return jnp.minimum(jnp.maximum(x, 0), 6.0)


_relu6.defjvps(lambda g, ans, x: _select_slope((x > 0) & (x < 6), x, g))


activation(
    name="relu6",
    display_name="ReLU6",
    family="piecewise",
    summary="ReLU clipped at 6: bounded output that survives low-precision inference.",
    formula=r"f(x) = \min(\max(0, x), 6)",
    derivative=r"f'(x) = \begin{cases} 1 & 0 < x < 6 \\ 0 & \text{otherwise} \end{cases}",
    output_range=Interval(0.0, 6.0, lo_open=False, hi_open=False),
    monotonic=True,
    smoothness="C0",
    zero_at_zero=True,
    zero_centred=False,
    left_saturating=True,
    right_saturating=True,
    year=2010,
    references=(
        Reference(
            "A. Krizhevsky",
            "Convolutional Deep Belief Networks on CIFAR-10",
            2010,
            "Technical report, University of Toronto",
            "https://www.cs.toronto.edu/~kriz/conv-cifar10-aug2010.pdf",
        ),
        Reference(
            "A. G. Howard et al.",
            "MobileNets: Efficient Convolutional Neural Networks for Mobile Vision Applications",
            2017,
            "arXiv:1704.04861",
            "https://arxiv.org/abs/1704.04861",
        ),
    ),
    equivalents=Equivalents("jax.nn.relu6", "torch.nn.ReLU6", "keras.activations.relu6"),
    conventions=("relu6'(0) = relu6'(6) = 0 (as jax.nn).",),
    reference=lambda mp, x: min(max(mp.mpf(0), x), mp.mpf(6)),
    reference_derivative=lambda mp, x: mp.mpf(1) if 0 < x < 6 else mp.mpf(0),
    plot_range=(-3.0, 9.0),
)(relu6)

_NEGATIVE_SLOPE = REALS


@activation(
    name="leaky_relu",
    display_name="Leaky ReLU",
    family="piecewise",
    summary="ReLU with a small fixed slope for x < 0, so negative units still get a gradient.",
    formula=r"f(x) = \begin{cases} x & x \ge 0 \\ \alpha x & x < 0 \end{cases}",
    derivative=r"f'(x) = \begin{cases} 1 & x \ge 0 \\ \alpha & x < 0 \end{cases}",
    output_range=REALS,
    params=(
        Param(
            "negative_slope",
            0.01,
            "Slope for x < 0 (fixed, not learnt: that is PReLU).",
            _NEGATIVE_SLOPE,
            latex=r"\alpha",
            plot_values=(0.01, 0.1, 0.3),
        ),
    ),
    monotonic=True,
    smoothness="C0",
    zero_at_zero=True,
    zero_centred=False,
    left_saturating=False,
    right_saturating=False,
    year=2013,
    references=(
        Reference(
            "A. L. Maas, A. Y. Hannun, A. Y. Ng",
            "Rectifier Nonlinearities Improve Neural Network Acoustic Models",
            2013,
            "ICML Workshop on Deep Learning for Audio, Speech and Language Processing",
            "https://ai.stanford.edu/~amaas/papers/relu_hybrid_icml2013_final.pdf",
        ),
    ),
    equivalents=Equivalents(
        "jax.nn.leaky_relu", "torch.nn.LeakyReLU", "keras.activations.leaky_relu"
    ),
    conventions=(
        "leaky_relu'(0) = 1 (as jax.nn; PyTorch gives the slope).",
        "Any finite slope is accepted, as in jax.nn and PyTorch; the stated properties "
        "(monotonic, a rectifier) need 0 ≤ α < 1.",
    ),
    reference=lambda mp, x, negative_slope=0.01: x if x >= 0 else mp.mpf(negative_slope) * x,
    reference_derivative=lambda mp, x, negative_slope=0.01: (
        mp.mpf(1) if x >= 0 else mp.mpf(negative_slope)
    ),
)
def leaky_relu(x: Any, negative_slope: Any = 0.01) -> jax.Array:
    r"""Leaky rectified linear unit.

    $$f(x) = \begin{cases} x & x \ge 0 \\ \alpha x & x < 0 \end{cases}$$

    Args:
        x: input array.
        negative_slope: $\alpha$, the slope for negative inputs (usually in $[0, 1)$), a
            scalar or an array broadcastable to ``x``.

    Returns:
        A floating array of the dtype of ``x`` promoted with ``negative_slope`` (as jax.nn).

    Examples:
        >>> jaxact.leaky_relu(jnp.array([-2.0, 0.0, 3.0]))
        Array([-0.02,  0.  ,  3.  ], dtype=float32)
    """
    x = as_array(x, "leaky_relu")
    check_real_param("leaky_relu", "negative_slope", negative_slope, _NEGATIVE_SLOPE)
    return _leaky_relu(promote(x, negative_slope), negative_slope)


@jax.jit
@in_float32
def _zero_slope_safe(x: jax.Array, slope: Any) -> jax.Array:
    """``x``, with -inf replaced by 0 where the slope is 0 (so ``slope * x`` is 0 there)."""
    return jnp.where(jnp.isneginf(x) & (slope == 0), 0, x)


def _leaky_relu(x: jax.Array, slope: Any) -> jax.Array:
    # A zero slope at x = -inf: the limit 0, not 0 * -inf = NaN.
    return nan_derivative(x, jnp.where(x >= 0, x, slope * _zero_slope_safe(x, slope)))


@activation(
    name="prelu",
    display_name="PReLU",
    family="piecewise",
    summary="Leaky ReLU whose negative slope α is a learnt parameter (per channel).",
    formula=r"f(x) = \begin{cases} x & x \ge 0 \\ \alpha x & x < 0 \end{cases}",
    derivative=(
        r"\frac{\partial f}{\partial x} = \begin{cases} 1 & x \ge 0 \\ \alpha & x < 0 "
        r"\end{cases}, \quad \frac{\partial f}{\partial \alpha} = \min(0, x)"
    ),
    output_range=REALS,
    params=(
        Param(
            "alpha",
            0.25,
            "Learnt slope for x < 0, broadcast against x (0.25 is He et al.'s initial value).",
            REALS,
            latex=r"\alpha",
            plot_values=(0.0, 0.25, 0.5),
        ),
    ),
    monotonic=True,
    smoothness="C0",
    zero_at_zero=True,
    zero_centred=False,
    left_saturating=False,
    right_saturating=False,
    year=2015,
    references=(
        Reference(
            "K. He, X. Zhang, S. Ren, J. Sun",
            "Delving Deep into Rectifiers: Surpassing Human-Level Performance on ImageNet "
            "Classification",
            2015,
            "ICCV",
            "https://arxiv.org/abs/1502.01852",
        ),
    ),
    equivalents=Equivalents(None, "torch.nn.PReLU", "keras.layers.PReLU"),
    conventions=(
        "prelu'(0) = 1 with respect to x, and ∂f/∂α = 0 at x = 0.",
        "α is not range-checked: a learnt slope may leave [0, 1).",
    ),
    reference=lambda mp, x, alpha=0.25: x if x >= 0 else mp.mpf(alpha) * x,
    reference_derivative=lambda mp, x, alpha=0.25: mp.mpf(1) if x >= 0 else mp.mpf(alpha),
)
def prelu(x: Any, alpha: Any) -> jax.Array:
    r"""Parametric ReLU: a leaky ReLU with a learnable slope.

    $$f(x) = \begin{cases} x & x \ge 0 \\ \alpha x & x < 0 \end{cases}$$

    Differentiable with respect to both ``x`` and ``alpha``. For a per-channel slope pass an
    ``alpha`` that broadcasts against ``x`` (shape ``(C,)`` for channels-last input).

    Args:
        x: input array.
        alpha: slope for negative inputs, broadcastable to ``x``.

    Returns:
        An array of the broadcast shape and of the floating dtype of ``x`` promoted with
        ``alpha``.

    Examples:
        >>> jaxact.prelu(jnp.array([-2.0, 0.0, 3.0]), 0.25)
        Array([-0.5,  0. ,  3. ], dtype=float32)
    """
    x = as_inexact(x, "prelu")
    alpha = as_array(alpha, "prelu", "alpha")
    check_real_param("prelu", "alpha", alpha, REALS)
    return _prelu(promote(x, alpha), alpha)


@jax.jit
@in_float32
def _prelu(x: jax.Array, alpha: jax.Array) -> jax.Array:
    return nan_derivative(x, jnp.where(x >= 0, x, alpha * _zero_slope_safe(x, alpha)))


@activation(
    name="hard_tanh",
    display_name="Hard tanh",
    family="piecewise",
    summary="tanh's piecewise-linear cousin: x clipped to [−1, 1].",
    formula=r"f(x) = \max(-1, \min(1, x))",
    derivative=r"f'(x) = \begin{cases} 1 & -1 \le x \le 1 \\ 0 & |x| > 1 \end{cases}",
    output_range=Interval(-1.0, 1.0, lo_open=False, hi_open=False),
    monotonic=True,
    smoothness="C0",
    zero_at_zero=True,
    zero_centred=True,
    left_saturating=True,
    right_saturating=True,
    year=2011,
    references=(
        Reference(
            "R. Collobert, J. Weston, L. Bottou, M. Karlen, K. Kavukcuoglu, P. Kuksa",
            "Natural Language Processing (Almost) from Scratch",
            2011,
            "JMLR 12",
            "https://arxiv.org/abs/1103.0398",
        ),
    ),
    equivalents=Equivalents("jax.nn.hard_tanh", "torch.nn.Hardtanh", "keras.activations.hard_tanh"),
    conventions=("hard_tanh'(±1) = 1 (as jax.nn; PyTorch gives 0).",),
    reference=lambda mp, x: max(mp.mpf(-1), min(mp.mpf(1), x)),
    reference_derivative=lambda mp, x: mp.mpf(1) if -1 <= x <= 1 else mp.mpf(0),
    plot_range=(-3.0, 3.0),
)
def hard_tanh(x: Any) -> jax.Array:
    r"""Hard tanh: the identity clipped to $[-1, 1]$.

    $$f(x) = \max(-1, \min(1, x))$$

    Args:
        x: input array.

    Returns:
        An array of the dtype of ``x``.

    Examples:
        >>> jaxact.hard_tanh(jnp.array([-3.0, 0.5, 2.0]))
        Array([-1. ,  0.5,  1. ], dtype=float32)
    """
    return _hard_tanh(as_array(x, "hard_tanh"))


@jax.jit
def _hard_tanh(x: jax.Array) -> jax.Array:
    # As jax.nn writes it (integers stay integers); the derivative is 1 on [-1, 1].
    return nan_derivative(x, jnp.where(x > 1, 1, jnp.where(x < -1, -1, x)))


@activation(
    name="hard_sigmoid",
    display_name="Hard sigmoid",
    family="piecewise",
    summary="A piecewise-linear sigmoid, relu6(x + 3)/6: cheap on mobile hardware.",
    formula=r"f(x) = \frac{\operatorname{relu6}(x + 3)}{6}",
    derivative=r"f'(x) = \begin{cases} \tfrac16 & -3 < x < 3 \\ 0 & \text{otherwise} \end{cases}",
    output_range=Interval(0.0, 1.0, lo_open=False, hi_open=False),
    monotonic=True,
    smoothness="C0",
    zero_at_zero=False,
    zero_centred=False,
    left_saturating=True,
    right_saturating=True,
    year=2019,
    references=(
        Reference(
            "A. Howard et al.",
            "Searching for MobileNetV3",
            2019,
            "ICCV",
            "https://arxiv.org/abs/1905.02244",
        ),
    ),
    equivalents=Equivalents(
        "jax.nn.hard_sigmoid", "torch.nn.Hardsigmoid", "keras.activations.hard_sigmoid"
    ),
    conventions=(
        "Defined as relu6(x + 3)/6 (jax.nn, PyTorch, Keras 3); Keras 2 and TensorFlow used "
        "0.2x + 0.5, clipped — a different function.",
        "The derivative is 0 at the kinks ±3 (from relu6).",
    ),
    reference=lambda mp, x: min(max(mp.mpf(0), x + 3), mp.mpf(6)) / 6,
    reference_derivative=lambda mp, x: mp.mpf(1) / 6 if -3 < x < 3 else mp.mpf(0),
    plot_range=(-6.0, 6.0),
)
def hard_sigmoid(x: Any) -> jax.Array:
    r"""Hard sigmoid.

    $$f(x) = \frac{\operatorname{relu6}(x + 3)}{6}$$

    Args:
        x: input array.

    Returns:
        An array of the (floating) dtype of ``x``.

    Examples:
        >>> jaxact.hard_sigmoid(jnp.array([-4.0, 0.0, 1.5]))
        Array([0.  , 0.5 , 0.75], dtype=float32)
    """
    return _hard_sigmoid(as_array(x, "hard_sigmoid"))


def _hard_sigmoid_core(x: jax.Array) -> jax.Array:
    return _relu6(x + 3.0) / 6.0


@jax.jit
@in_float32
def _hard_sigmoid(x: jax.Array) -> jax.Array:
    return _hard_sigmoid_core(x)


@activation(
    name="hard_silu",
    aliases=("hard_swish",),
    display_name="Hard SiLU (hard swish)",
    family="piecewise",
    summary="x · hard_sigmoid(x): SiLU's shape without an exponential (MobileNetV3).",
    formula=r"f(x) = x\,\frac{\operatorname{relu6}(x + 3)}{6}",
    derivative=(
        r"f'(x) = \begin{cases} 0 & x \le -3 \\ \frac{2x + 3}{6} & -3 < x < 3 \\ 1 & x \ge 3"
        r"\end{cases}"
    ),
    output_range=Interval(-0.375, lo_open=False),
    monotonic=False,
    smoothness="C0",
    zero_at_zero=True,
    zero_centred=False,
    left_saturating=True,
    right_saturating=False,
    year=2019,
    references=(
        Reference(
            "A. Howard et al.",
            "Searching for MobileNetV3",
            2019,
            "ICCV",
            "https://arxiv.org/abs/1905.02244",
        ),
    ),
    equivalents=Equivalents(
        "jax.nn.hard_silu", "torch.nn.Hardswish", "keras.activations.hard_silu"
    ),
    conventions=("hard_silu'(−3) = 0 and hard_silu'(3) = 1.",),
    reference=lambda mp, x: x * min(max(mp.mpf(0), x + 3), mp.mpf(6)) / 6,
    reference_derivative=lambda mp, x: (
        mp.mpf(0) if x <= -3 else (mp.mpf(1) if x >= 3 else (2 * x + 3) / 6)
    ),
    critical_points=(-1.5,),
    plot_range=(-6.0, 6.0),
)
def hard_silu(x: Any) -> jax.Array:
    r"""Hard SiLU, also called hard swish.

    $$f(x) = x\,\frac{\operatorname{relu6}(x + 3)}{6}$$

    Args:
        x: input array.

    Returns:
        An array of the (floating) dtype of ``x``.

    Examples:
        >>> jaxact.hard_silu(jnp.array([-4.0, 0.0, 1.0, 4.0]))
        Array([-0.       ,  0.       ,  0.6666667,  4.       ], dtype=float32)
    """
    return _hard_silu(as_array(x, "hard_silu"))


@jax.jit
@in_float32
def _hard_silu(x: jax.Array) -> jax.Array:
    return _hard_silu_core(x)


@jax.custom_jvp
def _hard_silu_core(x: jax.Array) -> jax.Array:
    # -inf * 0 would be NaN; the limit is 0.
    return jnp.where(jnp.isneginf(x), 0, x * _hard_sigmoid_core(x))


@_hard_silu_core.defjvp
def _hard_silu_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x,), (t,) = primals, tangents
    # From the input, not the product rule (x * hard_sigmoid'(x) is inf * 0 at x = inf in
    # forward mode). 0 at -3 and 1 at 3, the kinks of relu6 (as jax.nn); NaN stays NaN.
    d = jnp.where(x <= -3, 0, jnp.where(x >= 3, 1, (2 * x + 3) / 6))
    return _hard_silu_core(x), t * d


@activation(
    name="sparse_sigmoid",
    display_name="Sparse sigmoid",
    family="piecewise",
    summary="The derivative of sparse_plus: a sigmoid that reaches exactly 0 and 1.",
    formula=r"f(x) = \tfrac12 \min(\max(x + 1, 0), 2)",
    derivative=r"f'(x) = \begin{cases} \tfrac12 & |x| < 1 \\ 0 & |x| > 1 \end{cases}",
    output_range=Interval(0.0, 1.0, lo_open=False, hi_open=False),
    monotonic=True,
    smoothness="C0",
    zero_at_zero=False,
    zero_centred=False,
    left_saturating=True,
    right_saturating=True,
    year=2024,
    references=(
        Reference(
            "M. Blondel, V. Roulet",
            "The Elements of Differentiable Programming",
            2024,
            "arXiv:2403.14606",
            "https://arxiv.org/abs/2403.14606",
        ),
    ),
    equivalents=Equivalents("jax.nn.sparse_sigmoid", None, "keras.activations.sparse_sigmoid"),
    conventions=("sparse_sigmoid'(±1) = 1/4, the mean of the one-sided slopes (as jax.nn).",),
    reference=lambda mp, x: min(max(x + 1, mp.mpf(0)), mp.mpf(2)) / 2,
    reference_derivative=lambda mp, x: (
        mp.mpf(0.5) if abs(x) < 1 else (mp.mpf(0.25) if abs(x) == 1 else mp.mpf(0))
    ),
    plot_range=(-3.0, 3.0),
)
def sparse_sigmoid(x: Any) -> jax.Array:
    r"""Sparse sigmoid.

    $$f(x) = \tfrac12 \min(\max(x + 1, 0), 2)$$

    Args:
        x: input array.

    Returns:
        An array of the (floating) dtype of ``x``.

    Examples:
        >>> jaxact.sparse_sigmoid(jnp.array([-2.0, 0.0, 0.5, 2.0]))
        Array([0.  , 0.5 , 0.75, 1.  ], dtype=float32)
    """
    return _sparse_sigmoid(as_array(x, "sparse_sigmoid"))


@jax.jit
def _sparse_sigmoid(x: jax.Array) -> jax.Array:
    # One rounding (x + 1): correctly rounded in every dtype. clip's derivative at its ends is
    # 1/2 (max/min split ties), so f'(±1) = 1/4, as jax.nn.
    return nan_derivative(x, 0.5 * jnp.clip(x + 1.0, 0.0, 2.0))


@activation(
    name="squared_relu",
    display_name="Squared ReLU",
    family="piecewise",
    summary="relu(x)²: found by architecture search for Transformer feed-forward layers.",
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
def squared_relu(x: Any) -> jax.Array:
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
    return _squared_relu(as_inexact(x, "squared_relu"))


@jax.jit
def _squared_relu(x: jax.Array) -> jax.Array:
    r = _relu(x)
    return r * r


_LAMBD = Interval(0.0, lo_open=False)
_SHRINK_REFERENCE = Reference(
    "D. L. Donoho, I. M. Johnstone",
    "Ideal spatial adaptation by wavelet shrinkage",
    1994,
    "Biometrika 81(3)",
    "https://doi.org/10.1093/biomet/81.3.425",
)


@activation(
    name="hard_shrink",
    display_name="Hard shrink",
    family="piecewise",
    summary="Zeroes inputs with |x| ≤ λ and passes the rest: hard thresholding.",
    formula=r"f(x) = \begin{cases} x & |x| > \lambda \\ 0 & |x| \le \lambda \end{cases}",
    derivative=r"f'(x) = \begin{cases} 1 & |x| > \lambda \\ 0 & |x| \le \lambda \end{cases}",
    output_range=REALS,
    params=(
        Param(
            "lambd",
            0.5,
            "Threshold λ ≥ 0 below which inputs are zeroed.",
            _LAMBD,
            latex=r"\lambda",
            plot_values=(0.5, 1.0, 2.0),
        ),
    ),
    monotonic=True,
    smoothness="discontinuous",
    zero_at_zero=True,
    zero_centred=True,
    left_saturating=False,
    right_saturating=False,
    year=1994,
    references=(_SHRINK_REFERENCE,),
    equivalents=Equivalents(None, "torch.nn.Hardshrink", "keras.activations.hard_shrink"),
    conventions=("The derivative at ±λ is 0 (the inputs there are zeroed).",),
    reference=lambda mp, x, lambd=0.5: x if abs(x) > lambd else mp.mpf(0),
    reference_derivative=lambda mp, x, lambd=0.5: mp.mpf(1) if abs(x) > lambd else mp.mpf(0),
    plot_range=(-3.0, 3.0),
)
def hard_shrink(x: Any, lambd: Any = 0.5) -> jax.Array:
    r"""Hard shrinkage.

    $$f(x) = \begin{cases} x & |x| > \lambda \\ 0 & |x| \le \lambda \end{cases}$$

    Args:
        x: input array.
        lambd: threshold $\lambda \ge 0$ (named as in PyTorch; ``lambda`` is a keyword).

    Returns:
        An array of the (floating) dtype of ``x``.

    Examples:
        >>> jaxact.hard_shrink(jnp.array([-1.0, 0.3, 0.7]))
        Array([-1. ,  0. ,  0.7], dtype=float32)
    """
    x = as_inexact(x, "hard_shrink")
    check_real_param("hard_shrink", "lambd", lambd, _LAMBD)
    return _hard_shrink(promote(x, lambd), lambd)


@jax.jit
@in_float32
def _hard_shrink(x: jax.Array, lambd: Any) -> jax.Array:
    # |x| <= λ selects 0, so a NaN (which fails every comparison) stays NaN.
    return nan_derivative(x, jnp.where(jnp.abs(x) <= lambd, jnp.zeros_like(x), x))


@activation(
    name="soft_shrink",
    display_name="Soft shrink",
    family="piecewise",
    summary="Moves inputs λ towards 0 and zeroes |x| ≤ λ: soft thresholding (the lasso's prox).",
    formula=r"f(x) = \operatorname{sign}(x)\max(|x| - \lambda, 0)",
    derivative=r"f'(x) = \begin{cases} 1 & |x| > \lambda \\ 0 & |x| \le \lambda \end{cases}",
    output_range=REALS,
    params=(
        Param(
            "lambd",
            0.5,
            "Threshold λ ≥ 0 by which inputs are shrunk towards 0.",
            _LAMBD,
            latex=r"\lambda",
            plot_values=(0.5, 1.0, 2.0),
        ),
    ),
    monotonic=True,
    smoothness="C0",
    zero_at_zero=True,
    zero_centred=True,
    left_saturating=False,
    right_saturating=False,
    year=1994,
    references=(_SHRINK_REFERENCE,),
    equivalents=Equivalents(None, "torch.nn.Softshrink", "keras.activations.soft_shrink"),
    conventions=("The derivative at ±λ is 0.",),
    reference=lambda mp, x, lambd=0.5: mp.sign(x) * max(abs(x) - lambd, mp.mpf(0)),
    reference_derivative=lambda mp, x, lambd=0.5: mp.mpf(1) if abs(x) > lambd else mp.mpf(0),
    plot_range=(-3.0, 3.0),
)
def soft_shrink(x: Any, lambd: Any = 0.5) -> jax.Array:
    r"""Soft shrinkage.

    $$f(x) = \operatorname{sign}(x)\max(|x| - \lambda, 0)$$

    Args:
        x: input array.
        lambd: threshold $\lambda \ge 0$.

    Returns:
        An array of the (floating) dtype of ``x``.

    Examples:
        >>> jaxact.soft_shrink(jnp.array([-1.0, 0.3, 0.75]))
        Array([-0.5 ,  0.  ,  0.25], dtype=float32)
    """
    x = as_inexact(x, "soft_shrink")
    check_real_param("soft_shrink", "lambd", lambd, _LAMBD)
    return _soft_shrink(promote(x, lambd), lambd)


@jax.jit
@in_float32
def _soft_shrink(x: jax.Array, lambd: Any) -> jax.Array:
    shrunk = jnp.where(x < 0, x + lambd, x - lambd)
    return nan_derivative(x, jnp.where(jnp.abs(x) <= lambd, jnp.zeros_like(shrunk), shrunk))


@activation(
    name="threshold",
    display_name="Threshold",
    family="piecewise",
    summary="x above a threshold θ, a constant below it (Keras's ThresholdedReLU by default).",
    formula=r"f(x) = \begin{cases} x & x > \theta \\ v & x \le \theta \end{cases}",
    derivative=r"f'(x) = \begin{cases} 1 & x > \theta \\ 0 & x \le \theta \end{cases}",
    output_range=Interval(0.0, lo_open=False),
    params=(
        Param(
            "threshold",
            1.0,
            "θ: inputs at or below it are replaced by `value`.",
            REALS,
            latex=r"\theta",
            plot_values=(0.5, 1.0, 2.0),
        ),
        Param("value", 0.0, "v: the output for x ≤ θ.", REALS, latex="v"),
    ),
    monotonic=True,
    smoothness="discontinuous",
    zero_at_zero=True,
    zero_centred=False,
    left_saturating=True,
    right_saturating=False,
    year=2014,
    references=(
        Reference(
            "K. Konda, R. Memisevic, D. Krueger",
            "Zero-bias autoencoders and the benefits of co-adapting features",
            2014,
            "arXiv:1402.3337 (ICLR 2015)",
            "https://arxiv.org/abs/1402.3337",
        ),
    ),
    equivalents=Equivalents(None, "torch.nn.Threshold", "keras.layers.ThresholdedReLU"),
    conventions=(
        "Defaults θ = 1, v = 0 (Keras's ThresholdedReLU); PyTorch has no defaults.",
        "The stated range, monotonicity and f(0) = 0 hold for the defaults.",
    ),
    reference=lambda mp, x, threshold=1.0, value=0.0: x if x > threshold else mp.mpf(value),
    reference_derivative=lambda mp, x, threshold=1.0, value=0.0: (
        mp.mpf(1) if x > threshold else mp.mpf(0)
    ),
    plot_range=(-3.0, 3.0),
)
def threshold(x: Any, threshold: Any = 1.0, value: Any = 0.0) -> jax.Array:
    r"""Threshold: keep inputs above $\theta$, replace the others by a constant.

    $$f(x) = \begin{cases} x & x > \theta \\ v & x \le \theta \end{cases}$$

    Args:
        x: input array.
        threshold: $\theta$.
        value: $v$, the output at or below the threshold.

    Returns:
        An array of the (floating) dtype of ``x``.

    Examples:
        >>> jaxact.threshold(jnp.array([0.5, 1.0, 2.0]))
        Array([0., 0., 2.], dtype=float32)
    """
    x = as_inexact(x, "threshold")
    check_real_param("threshold", "threshold", threshold, REALS)
    check_real_param("threshold", "value", value, REALS)
    return _threshold(promote(x, threshold, value), threshold, value)


@jax.jit
@in_float32
def _threshold(x: jax.Array, threshold: Any, value: Any) -> jax.Array:
    # x <= θ selects v, so a NaN (which fails every comparison) stays NaN.
    return nan_derivative(x, jnp.where(x <= threshold, value, x))
