"""Thresholding: hard_shrink, soft_shrink (the lasso's prox) and threshold."""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
from jax.typing import ArrayLike

from ._kernels.signs import less_equal
from ._numerics import as_inexact, check_real_param, in_float32, nan_derivative, promote
from ._registry import REALS, Equivalents, Interval, Param, Reference, activation

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
    summary=r"Zeroes inputs with $|x| \le \lambda$ and passes the rest: hard thresholding.",
    formula=r"f(x) = \begin{cases} x & |x| > \lambda \\ 0 & |x| \le \lambda \end{cases}",
    derivative=r"f'(x) = \begin{cases} 1 & |x| > \lambda \\ 0 & |x| \le \lambda \end{cases}",
    output_range=REALS,
    params=(
        Param(
            "lambd",
            0.5,
            r"Threshold $\lambda$: inputs with $\lvert x\rvert \le \lambda$ are zeroed. Any real "
            r"$\lambda$, as in PyTorch: a negative $\lambda$ zeroes nothing (the identity).",
            REALS,
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
    conventions=(
        r"The derivative at $\pm\lambda$ is 0 (the inputs there are zeroed), as PyTorch's.",
        r"$\lambda$ may be any real number, as torch.nn.Hardshrink takes it (its Softshrink asks "
        r"$\lambda \ge 0$): for $\lambda < 0$ no $|x|$ is $\le \lambda$, and the function is the "
        "identity.",
    ),
    reference=lambda mp, x, lambd=0.5: x if abs(x) > lambd else mp.mpf(0),
    reference_derivative=lambda mp, x, lambd=0.5: mp.mpf(1) if abs(x) > lambd else mp.mpf(0),
    plot_range=(-3.0, 3.0),
)
def hard_shrink(x: ArrayLike, lambd: ArrayLike = 0.5) -> jax.Array:
    r"""Hard shrinkage.

    $$f(x) = \begin{cases} x & |x| > \lambda \\ 0 & |x| \le \lambda \end{cases}$$

    Args:
        x: input array.
        lambd: threshold $\lambda$ (named as in PyTorch; ``lambda`` is a keyword): any real
            number, as PyTorch's; $\lambda < 0$ gives the identity.

    Returns:
        An array of the (floating) dtype of ``x``.

    Examples:
        >>> jaxact.hard_shrink(jnp.array([-1.0, 0.3, 0.7]))
        Array([-1. ,  0. ,  0.7], dtype=float32)
    """
    x = as_inexact(x, "hard_shrink")
    check_real_param("hard_shrink", "lambd", lambd, REALS, x)
    return _hard_shrink_impl(promote(x, lambd), lambd)


@jax.jit
@in_float32
def _hard_shrink_impl(x: jax.Array, lambd: Any) -> jax.Array:
    # |x| <= λ selects 0, so a NaN (which fails every comparison) stays NaN.
    # less_equal, not <=: XLA on CPU reads subnormal operands as 0 in a comparison (with
    # lambd = 0, a subnormal x would be shrunk to 0 and its slope 1 lost).
    return nan_derivative(x, jnp.where(less_equal(jnp.abs(x), lambd), jnp.zeros_like(x), x))


@activation(
    name="soft_shrink",
    display_name="Soft shrink",
    family="piecewise",
    summary=(
        r"Moves inputs by $\lambda$ towards 0 and zeroes $|x| \le \lambda$: soft thresholding (the "
        "lasso's prox)."
    ),
    formula=r"f(x) = \operatorname{sign}(x)\max(|x| - \lambda, 0)",
    derivative=r"f'(x) = \begin{cases} 1 & |x| > \lambda \\ 0 & |x| \le \lambda \end{cases}",
    output_range=REALS,
    params=(
        Param(
            "lambd",
            0.5,
            r"Threshold $\lambda \ge 0$ by which inputs are shrunk towards 0.",
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
    conventions=(r"The derivative at $\pm\lambda$ is 0.",),
    reference=lambda mp, x, lambd=0.5: mp.sign(x) * max(abs(x) - lambd, mp.mpf(0)),
    reference_derivative=lambda mp, x, lambd=0.5: mp.mpf(1) if abs(x) > lambd else mp.mpf(0),
    plot_range=(-3.0, 3.0),
)
def soft_shrink(x: ArrayLike, lambd: ArrayLike = 0.5) -> jax.Array:
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
    check_real_param("soft_shrink", "lambd", lambd, _LAMBD, x)
    return _soft_shrink_impl(promote(x, lambd), lambd)


@jax.jit
@in_float32
def _soft_shrink_impl(x: jax.Array, lambd: Any) -> jax.Array:
    shrunk = jnp.where(x < 0, x + lambd, x - lambd)  # the same at x = 0: a plain comparison
    inside = less_equal(jnp.abs(x), lambd)  # with lambd = 0, a subnormal x is outside
    return nan_derivative(x, jnp.where(inside, jnp.zeros_like(shrunk), shrunk))


@activation(
    name="threshold",
    display_name="Threshold",
    family="piecewise",
    summary=(
        r"$x$ above a threshold $\theta$, a constant $v$ below it (Keras's ThresholdedReLU by "
        "default)."
    ),
    formula=r"f(x) = \begin{cases} x & x > \theta \\ v & x \le \theta \end{cases}",
    derivative=r"f'(x) = \begin{cases} 1 & x > \theta \\ 0 & x \le \theta \end{cases}",
    output_range=Interval(0.0, lo_open=False),
    params=(
        Param(
            "threshold",
            1.0,
            r"$\theta$: inputs at or below it are replaced by `value`.",
            REALS,
            latex=r"\theta",
            plot_values=(0.5, 1.0, 2.0),
        ),
        Param("value", 0.0, r"$v$: the output for $x \le \theta$.", REALS, latex="v"),
    ),
    monotonic=True,
    smoothness="discontinuous",
    zero_at_zero=True,
    zero_centred=False,
    left_saturating=True,
    right_saturating=False,
    year=2014,
    introduced_in=(
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
        r"Defaults $\theta = 1$, $v = 0$ (Keras's ThresholdedReLU); PyTorch has no defaults.",
        "The arguments are PyTorch's, by name and position: `threshold(x, threshold, value)` is "
        r"`torch.nn.functional.threshold(x, threshold, value)`: $x$ where $x > \theta$, else $v$.",
        "The stated range, monotonicity and f(0) = 0 hold for the defaults.",
    ),
    reference=lambda mp, x, threshold=1.0, value=0.0: x if x > threshold else mp.mpf(value),
    reference_derivative=lambda mp, x, threshold=1.0, value=0.0: (
        mp.mpf(1) if x > threshold else mp.mpf(0)
    ),
    plot_range=(-3.0, 3.0),
)
def threshold(x: ArrayLike, threshold: ArrayLike = 1.0, value: ArrayLike = 0.0) -> jax.Array:
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
    check_real_param("threshold", "threshold", threshold, REALS, x)
    check_real_param("threshold", "value", value, REALS, x)
    return _threshold_impl(promote(x, threshold, value), threshold, value)


@jax.jit
@in_float32
def _threshold_impl(x: jax.Array, threshold: Any, value: Any) -> jax.Array:
    # x <= θ selects v, so a NaN (which fails every comparison) stays NaN.
    return nan_derivative(x, jnp.where(less_equal(x, threshold), value, x))
