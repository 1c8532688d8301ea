"""The hard_* functions and sparse_sigmoid: piecewise-linear stand-ins for tanh, sigmoid, silu."""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from ._kernels.relu import _relu6, _select_slope
from ._numerics import as_array, as_inexact, at_least, in_float32, nan_derivative
from ._registry import Equivalents, Interval, Reference, activation


@activation(
    name="hard_tanh",
    display_name="Hard tanh",
    family="piecewise",
    summary=r"tanh's piecewise-linear cousin: $x$ clipped to $[-1, 1]$.",
    formula=r"f(x) = \max(-1, \min(1, x))",
    derivative=r"f'(x) = \begin{cases} 1 & -1 \le x \le 1 \\ 0 & |x| > 1 \end{cases}",
    output_range=Interval(-1.0, 1.0, lo_open=False, hi_open=False),
    monotonic=True,
    integer_exact=True,
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
    return _hard_tanh_impl(as_array(x, "hard_tanh"))


@jax.jit
def _hard_tanh_impl(x: jax.Array) -> jax.Array:
    # As jax.nn writes it (integers stay integers); the derivative is 1 on [-1, 1]. An
    # unsigned type has no -1: comparing with it would wrap -1 to 2^n - 1 (jax.nn's
    # hard_tanh(uint8 0) is 255), and no value lies below -1 anyway.
    if jnp.issubdtype(x.dtype, jnp.unsignedinteger):
        return jnp.where(x > 1, 1, x)
    return nan_derivative(x, jnp.where(x > 1, 1, jnp.where(x < -1, -1, x)))


@activation(
    name="hard_sigmoid",
    display_name="Hard sigmoid",
    family="piecewise",
    summary=(
        r"A piecewise-linear sigmoid, $\operatorname{relu6}(x + 3)/6$: cheap on mobile hardware."
    ),
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
    introduced_in=(
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
    return _hard_sigmoid_impl(as_inexact(x, "hard_sigmoid"))


@jax.custom_jvp
def _hard_sigmoid_core(x: jax.Array) -> jax.Array:
    return _relu6(x + 3.0) / 6.0


# The slope from x itself, not from relu6 at the rounded x + 3: 3 - 2^-22 + 3 rounds to 6 in
# float32, where relu6's kink convention gave 0 (truth 1/6). 0 at the kinks +-3, as before.
_hard_sigmoid_core.defjvps(lambda g, ans, x: _select_slope((x > -3) & (x < 3), x, g) / 6)


@jax.jit
@in_float32
def _hard_sigmoid_impl(x: jax.Array) -> jax.Array:
    return _hard_sigmoid_core(x)


@activation(
    name="hard_silu",
    aliases=("hard_swish",),
    display_name="Hard SiLU (hard swish)",
    family="piecewise",
    summary=(
        r"$x \cdot \operatorname{hard\_sigmoid}(x)$: SiLU's shape without an exponential "
        "(MobileNetV3)."
    ),
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
    introduced_in=(
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
    return _hard_silu_impl(as_inexact(x, "hard_silu"))


@jax.jit
def _hard_silu_impl(x: jax.Array) -> jax.Array:
    # x * (x + 3) / 6 rounds below the minimum -0.375 near x = -1.5 (-0.37500003 in float32).
    return at_least(_hard_silu_f32(x), -0.375)


@in_float32
def _hard_silu_f32(x: jax.Array) -> jax.Array:
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
    return _sparse_sigmoid_impl(as_inexact(x, "sparse_sigmoid"))


@jax.jit
def _sparse_sigmoid_impl(x: jax.Array) -> jax.Array:
    return _sparse_sigmoid_core(x)


@jax.custom_jvp
def _sparse_sigmoid_core(x: jax.Array) -> jax.Array:
    # One rounding (x + 1): correctly rounded in every dtype.
    return 0.5 * jnp.clip(x + 1.0, 0.0, 2.0)


@_sparse_sigmoid_core.defjvp
def _sparse_sigmoid_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x,), (t,) = primals, tangents
    # The slope from |x|, not from clip at the rounded x + 1 (1 + 2^-23 + 1 rounds to 2 in
    # float32, where clip's tie rule gave 1/4; truth 0). f'(+-1) = 1/4, the mean of the
    # one-sided slopes, as jax.nn; selects, so an infinite tangent times 0 is not NaN.
    a = jnp.abs(x)
    edge = _select_slope(a == 1, x, t * 0.25)  # NaN where x is NaN
    return _sparse_sigmoid_core(x), jnp.where(a < 1, t * 0.5, edge)
