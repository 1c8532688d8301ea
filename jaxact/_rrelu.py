"""RReLU: the randomised leaky ReLU, PyTorch's ``torch.nn.functional.rrelu``.

In training each element gets its own negative slope, drawn from U(lower, upper) with an
explicit ``jax.random`` key; in evaluation the slope is the mean ``(lower + upper) / 2`` and the
function is ``leaky_relu`` with that slope. Evaluation is the default (as in PyTorch's
functional form), so ``rrelu(x)`` is a deterministic function that the registry-driven tests
treat like any other; ``training=True`` needs the key, and nothing is random behind the
caller's back.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax.typing import ArrayLike

from ._numerics import as_inexact, check_real_param, is_concrete, promote
from ._rectifiers import _leaky_relu_impl
from ._registry import REALS, Equivalents, Param, Reference, activation

_LOWER = 1.0 / 8.0
_UPPER = 1.0 / 3.0


def _training_range(x: Any, lower: Any = _LOWER, upper: Any = _UPPER) -> tuple[Any, Any]:
    """The least and greatest values rrelu can take at ``x`` in training: ``x`` itself for
    ``x >= 0``, between ``lower * x`` and ``upper * x`` for ``x < 0``."""
    x = jnp.asarray(x)
    a, b = jnp.where(x < 0, lower * x, x), jnp.where(x < 0, upper * x, x)
    return jnp.minimum(a, b), jnp.maximum(a, b)


@activation(
    name="rrelu",
    display_name="RReLU",
    family="piecewise",
    summary=(
        "Leaky ReLU whose negative slope is drawn at random per element in training "
        "(a jax.random key), and is the mean slope in evaluation."
    ),
    formula=(
        # Three lines: on one it was 622 px wide, scrolling on a 390 px phone.
        r"f(x) = \begin{cases} x & x \ge 0 \\ a x & x < 0 \end{cases},"
        r" \\ a \sim U(l, u) \text{ in training}, \\ a = \tfrac{l + u}{2} \text{ in evaluation}"
    ),
    derivative=r"f'(x) = \begin{cases} 1 & x \ge 0 \\ a & x < 0 \end{cases}",
    output_range=REALS,
    params=(
        Param(
            "lower",
            _LOWER,
            r"Least negative slope drawn in training (PyTorch's default $1/8$); needs $l \le u$.",
            REALS,
            latex="l",
            plot_values=(0.0, _LOWER, 0.25),
        ),
        Param(
            "upper",
            _UPPER,
            "Greatest negative slope drawn in training (PyTorch's default $1/3$).",
            REALS,
            latex="u",
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
            "B. Xu, N. Wang, T. Chen, M. Li",
            "Empirical Evaluation of Rectified Activations in Convolutional Network",
            2015,
            "arXiv:1505.00853",
            "https://arxiv.org/abs/1505.00853",
        ),
    ),
    equivalents=Equivalents(None, "torch.nn.RReLU", None),
    conventions=(
        "`training=False` (the default, as `torch.nn.functional.rrelu`) is leaky_relu with the "
        "mean slope $(l + u)/2$; `training=True` draws one slope per element from $U(l, u)$ "
        "with the key passed in.",
        "rrelu'(0) = 1 in both modes (as leaky_relu and jax.nn; PyTorch gives the slope).",
        r"The stated properties (monotonic, a rectifier) need $0 \le l \le u < 1$; any finite "
        r"$l \le u$ is accepted, as in PyTorch.",
    ),
    reference=lambda mp, x, lower=_LOWER, upper=_UPPER: (
        x if x >= 0 else (mp.mpf(lower) + mp.mpf(upper)) / 2 * x
    ),
    reference_derivative=lambda mp, x, lower=_LOWER, upper=_UPPER: (
        mp.mpf(1) if x >= 0 else (mp.mpf(lower) + mp.mpf(upper)) / 2
    ),
    training_range=_training_range,
)
def rrelu(
    x: ArrayLike,
    key: jax.Array | None = None,
    *,
    lower: ArrayLike = 1 / 8,  # _LOWER and _UPPER, written out: the API page shows the signature
    upper: ArrayLike = 1 / 3,
    training: bool = False,
) -> jax.Array:
    r"""Randomised leaky ReLU (Xu et al., 2015), as PyTorch defines it.

    $$f(x) = \begin{cases} x & x \ge 0 \\ a x & x < 0 \end{cases},
    \\ a \sim U(l, u) \text{ in training}, \\ a = \tfrac{l + u}{2} \text{ in evaluation}$$

    In training (``training=True``) every element of ``x`` gets its own slope
    $a \sim U(l, u)$, drawn with ``key``; the same key gives the same slopes. In evaluation
    (``training=False``, the default, as in ``torch.nn.functional.rrelu``) $a = (l + u)/2$
    and ``key`` is not used. The derivative with respect to ``x`` is the slope $a$ for
    $x < 0$ and 1 for $x \ge 0$ (at 0 as ``leaky_relu``).

    Args:
        x: input array.
        key: a ``jax.random`` key (``jax.random.key(0)``, or a legacy ``PRNGKey``); required
            when ``training=True``.
        lower: $l$, the least slope drawn (default 1/8).
        upper: $u$, the greatest slope drawn (default 1/3); ``lower <= upper``.
        training: draw random slopes (``True``) or use the mean slope (``False``): a Python
            bool, fixed when tracing.

    Returns:
        A floating array of the dtype of ``x`` promoted with ``lower`` and ``upper`` (as
        ``leaky_relu``), of their broadcast shape.

    Raises:
        ValueError: ``lower > upper``, a non-finite bound, or ``training=True`` without a key.
        TypeError: ``key`` that is not a ``jax.random`` key, or ``training`` that is not a bool.

    Examples:
        >>> x = jnp.array([-3.0, -3.0, 2.0])
        >>> jaxact.rrelu(x)  # evaluation: slope (1/8 + 1/3) / 2 = 11/48
        Array([-0.6875, -0.6875,  2.    ], dtype=float32)
        >>> y = jaxact.rrelu(x, jax.random.key(0), training=True)
        >>> bool(jnp.all((-1.0 <= y[:2]) & (y[:2] <= -0.375)))  # slopes in [1/8, 1/3)
        True
    """
    x = as_inexact(x, "rrelu")
    check_real_param("rrelu", "lower", lower, REALS, x)
    check_real_param("rrelu", "upper", upper, REALS, x)
    _check_order(lower, upper)
    if not isinstance(training, (bool, np.bool_)):
        raise TypeError(
            f"rrelu: argument 'training' must be a Python bool (fixed when tracing), got "
            f"{type(training).__name__}"
        )
    x = promote(x, lower, upper)
    if not training:
        return _leaky_relu_impl(x, (lower + upper) / 2)
    _check_key(key)
    shape = jnp.broadcast_shapes(x.shape, jnp.shape(lower), jnp.shape(upper))
    # Half precision draws and multiplies in float32 and rounds once (as leaky_relu does).
    wide = jnp.promote_types(x.dtype, jnp.float32)
    slope = jax.random.uniform(key, shape, wide, minval=lower, maxval=upper)
    return _leaky_relu_impl(x.astype(wide), slope).astype(x.dtype)


def _check_order(lower: Any, upper: Any) -> None:
    if is_concrete(lower) and is_concrete(upper):
        low, up = np.asarray(lower, np.float64), np.asarray(upper, np.float64)
        if np.any(low > up):
            raise ValueError(
                f"rrelu: 'lower' must not exceed 'upper', got lower={_shown(low)} and "
                f"upper={_shown(up)}"
            )


def _shown(value: np.ndarray) -> str:
    return repr(float(value)) if value.ndim == 0 else np.array2string(value, threshold=6)


def _check_key(key: Any) -> None:
    if key is None:
        raise ValueError(
            "rrelu: training=True draws random slopes and needs a jax.random key: "
            "rrelu(x, jax.random.key(0), training=True)"
        )
    dtype = getattr(key, "dtype", None)
    typed = dtype is not None and jax.dtypes.issubdtype(dtype, jax.dtypes.prng_key)
    legacy = dtype == jnp.uint32 and jnp.shape(key) == (2,)
    if not (typed and jnp.shape(key) == () or legacy):
        raise TypeError(
            "rrelu: argument 'key' must be a single jax.random key (jax.random.key(0) or "
            f"jax.random.PRNGKey(0)), got {type(key).__name__} of shape {jnp.shape(key)}"
        )
