"""ReLU and its piecewise-linear relatives: relu, relu6, leaky_relu, prelu.

Their values (like those of the other piecewise modules: ``_identity``, ``_binary_step``,
``_hard``, ``_squared_relu``, ``_thresholding``) are a select, a multiply or a clip, so the
work is in the derivative conventions at the kinks, which follow ``jax.nn`` (see each
``conventions``), and in three details jax.nn leaves out:

- NaN in, NaN out, derivatives included: a NaN fails every comparison and would land in some
  branch whose slope (0, 1, α) hides it (``nan_derivative``).
- float16/bfloat16 are computed in float32 and rounded once where a formula has more than one
  rounding (hard_sigmoid, hard_silu) or a parameter that half precision cannot hold (0.01).
- The functions shared with jax.nn are written the way jax.nn writes them (Python-scalar
  constants, jnp promotion), so integer, boolean and weakly typed inputs give jax.nn's dtypes.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
from jax.typing import ArrayLike

from ._kernels.relu import _relu, _relu6
from ._kernels.signs import less_equal, negative
from ._numerics import as_array, as_inexact, check_real_param, in_float32, nan_derivative, promote
from ._param_range import check_finite_in_dtype
from ._registry import REALS, Equivalents, Interval, Param, Reference, activation

_KERAS_OPTION = Interval(0.0, lo_open=False)
"""Keras's ReLU layer refuses negative values of negative_slope, max_value and threshold."""

_FUKUSHIMA = Reference(
    "K. Fukushima",
    "Visual feature extraction by a multilayered network of analog threshold elements",
    1969,
    "IEEE Transactions on Systems Science and Cybernetics 5(4)",
)
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
    name="relu",
    display_name="ReLU",
    family="piecewise",
    summary=(
        r"$\max(0, x)$: cheap, non-saturating for $x > 0$, sparse; the default hidden activation."
    ),
    formula=r"f(x) = \max(0, x)",
    derivative=r"f'(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}",
    output_range=Interval(0.0, lo_open=False),
    params=(
        Param(
            "negative_slope",
            0.0,
            r"$\alpha \ge 0$, keyword-only (Keras): the slope at and below the threshold, "
            r"$\alpha(x - \theta)$.",
            _KERAS_OPTION,
            latex=r"\alpha",
            plot_values=(0.0, 0.2),
        ),
        Param(
            "max_value",
            None,
            r"$M \ge 0$, keyword-only (Keras): the output is capped at $M$ above the threshold. "
            "None (the default): no cap.",
            _KERAS_OPTION,
            latex="M",
            plot_values=(6.0, 2.0),
        ),
        Param(
            "threshold",
            0.0,
            r"$\theta \ge 0$, keyword-only (Keras): $x$ passes only where $x > \theta$.",
            _KERAS_OPTION,
            latex=r"\theta",
            plot_values=(0.0, 1.0),
        ),
    ),
    monotonic=True,
    integer_exact=True,
    smoothness="C0",
    zero_at_zero=True,
    zero_centred=False,
    left_saturating=True,
    right_saturating=False,
    year=1969,
    introduced_in=(_FUKUSHIMA,),
    references=(_NAIR_HINTON, _GLOROT, _BERTOIN),
    equivalents=Equivalents("jax.nn.relu", "torch.nn.ReLU", "keras.activations.relu"),
    conventions=(
        "relu'(0) = 0 (as jax.nn; Bertoin et al. 2021).",
        "Keras 3's options, in every combination as keras.activations.relu computes them: $f(x) = "
        r"\min(x, M)$ for $x > \theta$ and $\alpha(x - \theta)$ for $x \le \theta$ (so `relu(x, "
        "negative_slope=α)` is leaky_relu's values, and `max_value=6` is relu6).",
        r"At the kinks the derivative is the left side's at $\theta$ ($\alpha$; so relu'(0) = 0 at "
        "the defaults) and 0 at $x = M$ (as relu6'(6) = 0).",
        r"The three options must be $\ge 0$, as Keras's ReLU layer requires (its function does not "
        r"check; with a negative threshold its values in $(\theta, 0)$ would depend on "
        "`max_value`). Options other than the defaults compute in floating point; the stated "
        "range, continuity and saturation are those of the defaults.",
    ),
    reference=lambda mp, x, negative_slope=0.0, max_value=None, threshold=0.0: _keras_relu(
        mp, x, negative_slope, max_value, threshold
    ),
    reference_derivative=lambda mp, x, negative_slope=0.0, max_value=None, threshold=0.0: (
        _keras_relu_slope(mp, x, negative_slope, max_value, threshold)
    ),
)
def relu(
    x: ArrayLike,
    *,
    negative_slope: ArrayLike = 0.0,
    max_value: ArrayLike | None = None,
    threshold: ArrayLike = 0.0,
) -> jax.Array:
    r"""Rectified linear unit, with Keras 3's options.

    $$f(x) = \max(0, x)$$

    The derivative at 0 is taken as 0, as in ``jax.nn.relu`` (Bertoin et al., 2021). With
    Keras's options, $f(x) = \min(x, M)$ for $x > \theta$ and $\alpha (x - \theta)$ for
    $x \le \theta$; the derivative is $\alpha$ at $\theta$ and 0 at $M$.

    Args:
        x: input array.
        negative_slope: $\alpha \ge 0$ (keyword-only): the slope at and below the threshold.
        max_value: $M \ge 0$ or ``None`` (keyword-only): the cap above the threshold.
        threshold: $\theta \ge 0$ (keyword-only): x passes only above it.

    Returns:
        An array of the dtype of ``x`` (floating when an option is given).

    Examples:
        >>> jaxact.relu(jnp.array([-2.0, 0.0, 3.0]))
        Array([0., 0., 3.], dtype=float32)
        >>> jaxact.relu(jnp.array([-10.0, -5.0, 0.0, 5.0, 10.0]), negative_slope=0.5)
        Array([-5. , -2.5,  0. ,  5. , 10. ], dtype=float32)
    """
    if _keras_defaults(negative_slope, max_value, threshold):
        return _relu(as_array(x, "relu"))
    x = as_inexact(x, "relu")
    options = {"negative_slope": negative_slope, "threshold": threshold}
    if max_value is not None:
        options["max_value"] = max_value
    for arg, value in options.items():
        check_real_param("relu", arg, value, _KERAS_OPTION, x)
        check_finite_in_dtype("relu", arg, value, x)
    return _keras_relu_impl(promote(x, *options.values()), negative_slope, max_value, threshold)


def _keras_defaults(negative_slope: Any, max_value: Any, threshold: Any) -> bool:
    """Python zeros and no cap: jax.nn's relu (integer input kept in its type)."""
    python = (int, float)
    return (
        max_value is None
        and all(
            isinstance(v, python) and not isinstance(v, bool) for v in (negative_slope, threshold)
        )
        and negative_slope == 0
        and threshold == 0
    )


@jax.jit
@in_float32
def _keras_relu_impl(x: jax.Array, slope: Any, cap: Any, threshold: Any) -> jax.Array:
    # Selects on x (compared by bits: XLA on CPU reads a subnormal operand as 0), so the
    # derivative is alpha at x = theta and 0 at x = M, whatever jnp.minimum does at a tie.
    # The left branch alpha (x - theta) is one subtraction and one product, both rounded
    # once; a zero slope at x = -inf gives the limit 0, not 0 * -inf.
    threshold = jnp.asarray(threshold, x.dtype)
    number = ~jnp.isnan(x)
    above = ~less_equal(x, threshold) & number
    right = x
    if cap is not None:
        cap = jnp.asarray(cap, x.dtype)
        right = jnp.where(~less_equal(cap, x) | ~number, x, cap)
    left = slope * (_zero_slope_safe(x, slope) - threshold)
    return nan_derivative(x, jnp.where(above, right, left))


def _keras_relu(mp: Any, x: Any, slope: float, cap: float | None, threshold: float) -> Any:
    if x > threshold:
        return x if cap is None else min(x, mp.mpf(cap))
    return mp.mpf(slope) * (x - threshold)


def _keras_relu_slope(mp: Any, x: Any, slope: float, cap: float | None, threshold: float) -> Any:
    if x > threshold:
        return mp.mpf(1) if cap is None or x < cap else mp.mpf(0)
    return mp.mpf(slope)


@activation(
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
    introduced_in=(
        Reference(
            "A. Krizhevsky",
            "Convolutional Deep Belief Networks on CIFAR-10",
            2010,
            "Technical report, University of Toronto",
            "https://www.cs.toronto.edu/~kriz/conv-cifar10-aug2010.pdf",
        ),
    ),
    references=(
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
)
def relu6(x: ArrayLike) -> jax.Array:
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
    return _relu6(as_inexact(x, "relu6"))


_NEGATIVE_SLOPE = REALS


@activation(
    name="leaky_relu",
    display_name="Leaky ReLU",
    family="piecewise",
    summary=r"ReLU with a small fixed slope for $x < 0$, so negative units still get a gradient.",
    formula=r"f(x) = \begin{cases} x & x \ge 0 \\ \alpha x & x < 0 \end{cases}",
    derivative=r"f'(x) = \begin{cases} 1 & x \ge 0 \\ \alpha & x < 0 \end{cases}",
    output_range=REALS,
    params=(
        Param(
            "negative_slope",
            0.01,
            "Slope for $x < 0$ (fixed, not learnt: that is PReLU).",
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
    introduced_in=(
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
        r"(monotonic, a rectifier) need $0 \le \alpha < 1$.",
    ),
    reference=lambda mp, x, negative_slope=0.01: x if x >= 0 else mp.mpf(negative_slope) * x,
    reference_derivative=lambda mp, x, negative_slope=0.01: (
        mp.mpf(1) if x >= 0 else mp.mpf(negative_slope)
    ),
)
def leaky_relu(x: ArrayLike, negative_slope: ArrayLike = 0.01) -> jax.Array:
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
    x = as_inexact(x, "leaky_relu")
    check_real_param("leaky_relu", "negative_slope", negative_slope, _NEGATIVE_SLOPE, x)
    return _leaky_relu_impl(promote(x, negative_slope), negative_slope)


@jax.jit
@in_float32
def _zero_slope_safe(x: jax.Array, slope: Any) -> jax.Array:
    """``x``, with -inf replaced by 0 where the slope is 0 (so ``slope * x`` is 0 there)."""
    return jnp.where(jnp.isneginf(x) & (slope == 0), 0, x)


@jax.jit
@in_float32
def _leaky_relu_impl(x: jax.Array, slope: Any) -> jax.Array:
    # In float32 for half precision: slope * x in float16 rounds the slope (0.01) and then
    # the product, two roundings; one product in float32 rounded once is the correct result.
    # A zero slope at x = -inf: the limit 0, not 0 * -inf = NaN.
    # negative(x), not x < 0: XLA on CPU reads a subnormal x as 0 in a comparison.
    return nan_derivative(x, jnp.where(negative(x), slope * _zero_slope_safe(x, slope), x))


@activation(
    name="prelu",
    display_name="PReLU",
    family="piecewise",
    summary=r"Leaky ReLU whose negative slope $\alpha$ is a learnt parameter (per channel).",
    formula=r"f(x) = \begin{cases} x & x \ge 0 \\ \alpha x & x < 0 \end{cases}",
    derivative=(
        r"\frac{\partial f}{\partial x} = \begin{cases} 1 & x \ge 0 \\ \alpha & x < 0 \end{cases}, "
        r"\quad \frac{\partial f}{\partial \alpha} = \min(0, x)"
    ),
    output_range=REALS,
    params=(
        Param(
            "alpha",
            0.25,
            "Learnt slope for $x < 0$, broadcast against $x$ (0.25 is He et al.'s initial value).",
            REALS,
            latex=r"\alpha",
            plot_values=(0.0, 0.25, 0.5),
            required=True,
        ),
    ),
    monotonic=True,
    smoothness="C0",
    zero_at_zero=True,
    zero_centred=False,
    left_saturating=False,
    right_saturating=False,
    year=2015,
    introduced_in=(
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
        r"prelu'(0) = 1 with respect to $x$, and $\partial f/\partial\alpha = 0$ at $x = 0$.",
        r"$\alpha$ is not range-checked: a learnt slope may leave $[0, 1)$.",
    ),
    reference=lambda mp, x, alpha=0.25: x if x >= 0 else mp.mpf(alpha) * x,
    reference_derivative=lambda mp, x, alpha=0.25: mp.mpf(1) if x >= 0 else mp.mpf(alpha),
)
def prelu(x: ArrayLike, alpha: ArrayLike) -> jax.Array:
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
    check_real_param("prelu", "alpha", alpha, REALS, x)
    alpha = as_array(alpha, "prelu", "alpha")
    return _prelu_impl(promote(x, alpha), alpha)


@jax.jit
@in_float32
def _prelu_impl(x: jax.Array, alpha: jax.Array) -> jax.Array:
    return nan_derivative(x, jnp.where(negative(x), alpha * _zero_slope_safe(x, alpha), x))
