"""Dynamic Tanh, gamma tanh(alpha x) + beta: the normalisation-free Transformer's replacement
for LayerNorm (Zhu et al., 2025).

``alpha x`` is carried as a double word: tanh' = sech^2 falls like e^{-2|u|}, so the rounding of
``u = alpha x`` alone (|u| 2^-24) would be a relative error of 2|u| 2^-24 in the derivative,
80 ULP at u = 40 in float32.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
from jax.typing import ArrayLike

from ._kernels.logistic import _sech2, _tanh
from ._kernels.logistic_gate import _finite_or_zero
from ._kernels.trig import _product
from ._numerics import as_inexact, check_real_param, in_float32
from ._param_range import check_finite_in_dtype
from ._registry import REALS, Equivalents, Interval, Param, Reference, activation

DYT_ALPHA = 0.5
"""The paper's default initial alpha (alpha_0 = 0.5; its LLMs use other values, see the notes)."""


@jax.custom_jvp
def _tanh_of_product(x: jax.Array, alpha: jax.Array) -> jax.Array:
    hi, lo = _product(alpha, x)
    return _tanh(hi) + _sech2(hi) * lo


@jax.custom_jvp
def _sech2_of_product(x: jax.Array, alpha: jax.Array) -> jax.Array:
    hi, lo = _product(alpha, x)
    d = _sech2(hi)
    return d - 2 * (d * _tanh(hi)) * lo


def _du(primals: tuple, tangents: tuple) -> jax.Array:
    """The tangent of u = alpha x (x = +-inf contributes 0 to d/dalpha: sech^2 is 0 there)."""
    (x, alpha), (tx, ta) = primals, tangents
    return tx * alpha + ta * _finite_or_zero(x)


@_tanh_of_product.defjvp
def _tanh_of_product_jvp(primals: tuple, tangents: tuple) -> tuple:
    return _tanh_of_product(*primals), _du(primals, tangents) * _sech2_of_product(*primals)


@_sech2_of_product.defjvp
def _sech2_of_product_jvp(primals: tuple, tangents: tuple) -> tuple:
    d = _sech2_of_product(*primals)
    return d, _du(primals, tangents) * (-2 * d * _tanh_of_product(*primals))


@activation(
    name="dyt",
    aliases=("dynamic_tanh",),
    display_name="Dynamic Tanh (DyT)",
    family="sigmoidal",
    summary=(
        r"$\gamma \tanh(\alpha x) + \beta$ with a learnt $\alpha$: the elementwise layer that "
        "replaces LayerNorm in Transformers without normalisation."
    ),
    formula=r"f(x) = \gamma \tanh(\alpha x) + \beta",
    derivative=r"f'(x) = \gamma\,\alpha\,\operatorname{sech}^2(\alpha x)",
    output_range=Interval(-1.0, 1.0),
    params=(
        Param(
            "alpha",
            DYT_ALPHA,
            r"input scale $\alpha$ (learnable, one scalar per layer; 0.5 is the paper's default "
            "initial value); any real value",
            REALS,
            r"\alpha",
            (0.5, 1.0, 2.0),
        ),
        Param(
            "weight",
            None,
            r"$\gamma$, the per-channel scale after the tanh (broadcast against $x$; None: 1)",
            None,
            r"\gamma",
        ),
        Param(
            "bias",
            None,
            r"$\beta$, the per-channel shift after the tanh (broadcast against $x$; None: 0)",
            None,
            r"\beta",
        ),
    ),
    monotonic=True,
    monotonic_ulps=2,
    smoothness="Cinf",
    zero_at_zero=True,
    zero_centred=True,
    left_saturating=True,
    right_saturating=True,
    year=2025,
    introduced_in=(
        Reference(
            "J. Zhu, X. Chen, K. He, Y. LeCun, Z. Liu",
            "Transformers without Normalization",
            2025,
            "CVPR",
            "https://arxiv.org/abs/2503.10622",
        ),
    ),
    equivalents=Equivalents(None, None, None),
    conventions=(
        r"The range, properties and accuracy are those of $\tanh(\alpha x)$ (weight and bias "
        r"absent); $\gamma \tanh(\alpha x) + \beta$ adds a multiply and an add, each rounded once.",
        r"$\alpha x$ is carried exactly (a double word), so tanh and its derivative $\alpha "
        r"\operatorname{sech}^2(\alpha x)$ are those of the exact product: the derivative stays "
        "accurate in the tails.",
        r"$\alpha$ may be any real number (0 gives $\beta$, a negative $\alpha$ mirrors the "
        r"curve); $\alpha$, $\gamma$ and $\beta$ are differentiable.",
    ),
    reference=lambda mp, x, alpha=DYT_ALPHA: mp.tanh(mp.mpf(alpha) * x),
    reference_derivative=lambda mp, x, alpha=DYT_ALPHA: (
        mp.mpf(alpha) * mp.sech(mp.mpf(alpha) * x) ** 2
    ),
    plot_range=(-6.0, 6.0),
)
def dyt(
    x: ArrayLike,
    alpha: ArrayLike = 0.5,
    weight: ArrayLike | None = None,
    bias: ArrayLike | None = None,
) -> jax.Array:
    r"""Dynamic Tanh (Zhu et al., 2025).

    $$f(x) = \gamma \tanh(\alpha x) + \beta, \qquad
      f'(x) = \gamma\,\alpha\,\operatorname{sech}^2(\alpha x)$$

    The layer of the paper learns one scalar $\alpha$ and per-channel $\gamma$, $\beta$
    (``jaxact.flax.DyT``, ``jaxact.equinox.DyT``); this function takes them as arguments.

    Args:
        x: input array.
        alpha: $\alpha$, any real number (scalar or broadcastable array); differentiable. The
            default 0.5 is the paper's.
        weight: $\gamma$ (broadcastable to ``x``, e.g. of shape ``(channels,)``), or ``None``
            for 1.
        bias: $\beta$ (broadcastable to ``x``), or ``None`` for 0.

    Returns:
        An array of the (floating) dtype of ``x``.

    Examples:
        >>> jaxact.dyt(jnp.array([-2.0, 0.0, 2.0]))
        Array([-0.7615942,  0.       ,  0.7615942], dtype=float32)
        >>> gamma, beta = jnp.array([1.0, 2.0, 3.0]), jnp.array([0.0, 0.5, 1.0])
        >>> x = jnp.array([[-2.0, 0.0, 2.0]])
        >>> jaxact.dyt(x, alpha=1.0, weight=gamma, bias=beta)
        Array([[-0.9640276,  0.5      ,  3.8920827]], dtype=float32)
    """
    check_real_param("dyt", "alpha", alpha, REALS, x)
    for name, value in (("weight", weight), ("bias", bias)):
        if value is not None:
            check_real_param("dyt", name, value, REALS, x)
    x = as_inexact(x, "dyt")
    check_finite_in_dtype("dyt", "alpha", alpha, x)
    return _dyt_impl(x, alpha, weight, bias)


@jax.jit
@in_float32
def _dyt_impl(x: jax.Array, alpha: Any, weight: Any, bias: Any) -> jax.Array:
    y = _tanh_of_product(x, jnp.asarray(alpha, x.dtype))
    if weight is not None:
        y = y * jnp.asarray(weight, x.dtype)
    if bias is not None:
        y = y + jnp.asarray(bias, x.dtype)
    return y
