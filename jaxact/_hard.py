"""The hard_* functions and sparse_sigmoid: piecewise-linear stand-ins for tanh, sigmoid, silu."""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax.typing import ArrayLike

from ._kernels.relu import _relu6, _select_slope
from ._kernels.signs import less_equal
from ._numerics import (
    as_array,
    as_inexact,
    check_real_param,
    in_float32,
    is_concrete,
    jit_in_float32,
    nan_derivative,
    promote,
)
from ._param_range import check_finite_in_dtype
from ._registry import REALS, Equivalents, Interval, Param, Reference, activation


@activation(
    name="hard_tanh",
    display_name="Hard tanh",
    family="piecewise",
    summary=r"tanh's piecewise-linear cousin: $x$ clipped to $[-1, 1]$ (or $[a, b]$).",
    formula=r"f(x) = \max(a, \min(b, x))",
    derivative=(
        r"f'(x) = \begin{cases} 1 & a \le x \le b \\ 0 & x < a \text{ or } x > b \end{cases}"
    ),
    output_range=Interval(-1.0, 1.0, lo_open=False, hi_open=False),
    params=(
        Param(
            "min_val",
            -1.0,
            "a: the lower end of the clip (keyword-only; PyTorch's name). Must be below max_val.",
            REALS,
            latex="a",
            plot_values=(-1.0, -2.0),
        ),
        Param(
            "max_val",
            1.0,
            "b: the upper end of the clip (keyword-only; PyTorch's name). Must exceed min_val.",
            REALS,
            latex="b",
            plot_values=(1.0, 2.0),
        ),
    ),
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
    conventions=(
        "hard_tanh'(a) = hard_tanh'(b) = 1, so hard_tanh'(±1) = 1 by default (as jax.nn; "
        "PyTorch gives 0).",
        "min_val < max_val is required, as torch.nn.Hardtanh asserts; other bounds than the "
        "defaults compute in floating point (integer input is converted, as jnp.clip with float "
        "bounds does). The stated range and symmetry are those of the defaults.",
    ),
    reference=lambda mp, x, min_val=-1.0, max_val=1.0: max(
        mp.mpf(min_val), min(mp.mpf(max_val), x)
    ),
    reference_derivative=lambda mp, x, min_val=-1.0, max_val=1.0: (
        mp.mpf(1) if min_val <= x <= max_val else mp.mpf(0)
    ),
    plot_range=(-3.0, 3.0),
)
def hard_tanh(x: ArrayLike, *, min_val: ArrayLike = -1.0, max_val: ArrayLike = 1.0) -> jax.Array:
    r"""Hard tanh: the identity clipped to $[a, b]$, by default $[-1, 1]$.

    $$f(x) = \max(a, \min(b, x))$$

    The derivative is 1 on the closed interval $[a, b]$ (``jax.nn``'s convention at ±1).

    Args:
        x: input array.
        min_val: $a$, the lower end (keyword-only; ``torch.nn.Hardtanh``'s name).
        max_val: $b$, the upper end (keyword-only); ``min_val < max_val`` is required.

    Returns:
        An array of the dtype of ``x`` (for the defaults; floating otherwise).

    Examples:
        >>> jaxact.hard_tanh(jnp.array([-3.0, 0.5, 2.0]))
        Array([-1. ,  0.5,  1. ], dtype=float32)
        >>> jaxact.hard_tanh(jnp.array([-3.0, 0.5, 2.0]), min_val=0.0, max_val=1.5)
        Array([0. , 0.5, 1.5], dtype=float32)
    """
    if _is_default_clip(min_val, max_val):
        return _hard_tanh_impl(as_array(x, "hard_tanh"))
    x = as_inexact(x, "hard_tanh")
    for arg, value in (("min_val", min_val), ("max_val", max_val)):
        check_real_param("hard_tanh", arg, value, REALS, x)
        check_finite_in_dtype("hard_tanh", arg, value, x)
    if is_concrete((min_val, max_val)) and not bool(
        np.all(np.asarray(min_val, np.float64) < np.asarray(max_val, np.float64))
    ):
        raise ValueError(
            f"hard_tanh: min_val must be less than max_val (as torch.nn.Hardtanh), got "
            f"min_val={min_val!r}, max_val={max_val!r}"
        )
    return _hard_tanh_between(promote(x, min_val, max_val), min_val, max_val)


def _is_default_clip(min_val: Any, max_val: Any) -> bool:
    """Python scalars -1 and 1: jax.nn's hard_tanh, integer input kept in its type."""
    python = (int, float)
    return (
        isinstance(min_val, python)
        and isinstance(max_val, python)
        and not isinstance(min_val, bool)
        and not isinstance(max_val, bool)
        and min_val == -1
        and max_val == 1
    )


@jax.jit
@in_float32
def _hard_tanh_between(x: jax.Array, lo: Any, hi: Any) -> jax.Array:
    # max(lo, min(hi, x)) as two selects, not jnp.clip: the derivative is 1 on the closed
    # [lo, hi] (a clip's at a tie is jax's choice, not a convention we state). In this order
    # a traced lo > hi (not range-checked) gives lo, the formula's value. Comparisons with
    # NaN are false: NaN stays NaN. Compared by bits (less_equal): XLA on CPU reads a
    # subnormal operand as 0, so a bound at 0 would miss a subnormal x.
    lo, hi = jnp.asarray(lo, x.dtype), jnp.asarray(hi, x.dtype)
    number = ~jnp.isnan(x)
    below_hi = jnp.where(~less_equal(x, hi) & number, hi, x)
    return nan_derivative(x, jnp.where(~less_equal(lo, below_hi) & number, lo, below_hi))


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
        r"Defined as $\operatorname{relu6}(x + 3)/6$ (jax.nn, PyTorch, Keras 3); Keras 2 and "
        r"TensorFlow used $0.2x + 0.5$, clipped — a different function.",
        "The derivative is 0 at the kinks ±3 (from relu6).",
    ),
    reference=lambda mp, x: min(max(mp.mpf(0), x + 3), mp.mpf(6)) / 6,
    reference_derivative=lambda mp, x: mp.mpf(1) / 6 if -3 < x < 3 else mp.mpf(0),
    plot_range=(-6.0, 6.0),
)
def hard_sigmoid(x: ArrayLike) -> jax.Array:
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
def hard_silu(x: ArrayLike) -> jax.Array:
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


# x * (x + 3) / 6 rounds below the minimum -0.375 near x = -1.5 (-0.37500003 in float32).
_hard_silu_impl = jit_in_float32(_hard_silu_core, minimum=-0.375)


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
def sparse_sigmoid(x: ArrayLike) -> jax.Array:
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
