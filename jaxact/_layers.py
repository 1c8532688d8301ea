"""The layers of ``jaxact.flax``, ``jaxact.flax.linen`` and ``jaxact.equinox``, described once.

Each learnable layer is here as a pair of pure functions, in the manner of ``stax``:
``<layer>_init`` checks the settings and gives the initial value of every parameter (a float64
NumPy array whose shape is the parameter's), and ``<layer>_apply`` computes the layer from the
input and the parameters. The three framework modules only store the parameters their
library's way (an ``nnx.Param``, ``self.param`` in ``@nn.compact``, an array field of an
``eqx.Module``) in the dtype the user chose, and call ``apply``. What they share besides:
argument checks with messages that name the argument, the broadcast of a per-channel parameter,
the computation dtype, and the lookup of activations for ``Activation``.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Mapping
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from . import _numerics
from ._dyt import dyt
from ._maxout import maxout
from ._pau import pau
from ._periodic import snake
from ._rectifiers import prelu
from ._registry import ActivationSpec, Interval, get
from ._rrelu import rrelu
from ._silu import silu
from ._softplus import softplus
from ._star_relu import star_relu
from ._xielu import xielu

GLU_VARIANTS: tuple[str, ...] = ("swiglu", "geglu", "reglu", "glu")
"""The gated linear units a ``GLU`` layer can use; each is the jaxact function of that name."""


def check_positive_int(layer: str, arg: str, value: Any) -> int:
    """``value`` as an ``int`` if it is a positive integer, else a ``ValueError``/``TypeError``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{layer}: {arg} must be a positive int, got {type(value).__name__}")
    if value < 1:
        raise ValueError(f"{layer}: {arg} must be >= 1, got {value}")
    return int(value)


def check_initial_value(layer: str, arg: str, value: Any) -> None:
    """A finite real number (or an array of them) as an initial parameter value, else a
    ``TypeError``/``ValueError`` that names ``arg`` (not a raw error from ``jnp.full``)."""
    try:
        if value is None or isinstance(value, (str, bytes)):
            raise TypeError
        values = np.asarray(value)
        if values.dtype.kind not in "biuf":
            raise TypeError
        values = values.astype(np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            f"{layer}: {arg} must be a real number, got {type(value).__name__} "
            f"{_numerics._abbrev(value)}"
        ) from None
    if not np.all(np.isfinite(values)):
        raise ValueError(f"{layer}: {arg} must be finite, got {_numerics._abbrev(value)}")


def channel_slope(
    layer: str, alpha: jax.Array, x: jax.Array, channel_axis: int, size_arg: str = "num_parameters"
) -> jax.Array:
    """Reshape a slope of shape ``(C,)`` so that it broadcasts along ``channel_axis`` of ``x``.

    A single slope (shape ``()``, or ``C == 1``) is shared by every element, as in
    ``torch.nn.PReLU`` with ``num_parameters=1``; it then becomes a scalar so that it
    broadcasts against any input.
    A floating input's dtype is the slope's too (rounded once, here), so that the layer
    computes in the input's dtype although ``jaxact.prelu`` promotes ``x`` with ``alpha``.
    """
    if jnp.issubdtype(x.dtype, jnp.floating):
        alpha = alpha.astype(x.dtype)
    if alpha.ndim == 0 or alpha.shape[0] == 1:
        return alpha.reshape(())
    if not -x.ndim <= channel_axis < x.ndim:
        raise ValueError(
            f"{layer}: channel_axis={channel_axis} is out of range for an input of shape {x.shape}"
        )
    axis = channel_axis % x.ndim
    if x.shape[axis] != alpha.shape[0]:
        raise ValueError(
            f"{layer}: {size_arg}={alpha.shape[0]} does not match the size "
            f"{x.shape[axis]} of channel_axis={channel_axis} of an input of shape {x.shape}"
        )
    shape = [1] * x.ndim
    shape[axis] = alpha.shape[0]
    return alpha.reshape(shape)


def resolve_activation(
    layer: str, name_or_fn: str | Callable[..., Any], params: Mapping[str, Any]
) -> ActivationSpec:
    """The registry entry of ``name_or_fn``, after checking that it takes ``params``.

    Unknown names raise ``jaxact.get``'s ``ValueError`` (which suggests close names); a keyword
    the function does not take raises ``TypeError`` listing the ones it does, and so does an
    array given as a parameter value.
    """
    spec = get(name_or_fn)
    # The signature, not spec.params, is the truth: structural arguments such as `axis` are
    # keywords of the function without being documented parameters of the activation.
    signature = inspect.signature(spec.fn)
    known = tuple(list(signature.parameters)[1:])
    unknown = sorted(set(params) - set(known))
    if unknown:
        takes = ", ".join(repr(k) for k in known) if known else "no parameters"
        raise TypeError(
            f"{layer}: activation {spec.name!r} got unexpected parameter(s) "
            f"{', '.join(repr(k) for k in unknown)}; it takes {takes}"
        )
    for key, value in params.items():
        # Parameters are configuration, stored as static attributes: an array there would be
        # silently frozen in Equinox and is refused by NNX, so say what to do instead.
        if isinstance(value, (jax.Array, np.ndarray)):
            raise TypeError(
                f"{layer}: parameter {key!r} of {spec.name!r} must be a Python value (it is "
                "fixed); for a learnt parameter use PReLU or Swish, or keep the array in your "
                "own module and call the function"
            )
    # Fail here, not at the first call (Activation('elu', alpha=-1) used to construct).
    needed = [k for k, p in list(signature.parameters.items())[1:] if p.default is p.empty]
    missing = [k for k in needed if k not in params]
    if missing:
        raise TypeError(
            f"{layer}: activation {spec.name!r} needs the parameter(s) "
            f"{', '.join(repr(k) for k in missing)}, e.g. {layer}({spec.name!r}, "
            f"{missing[0]}={spec.defaults().get(missing[0], '...')!r})"
            + (" (for a learnt slope, use the PReLU layer)" * (spec.name == "prelu"))
        )
    where = f"{layer}({spec.name!r})"
    for p in spec.params:
        if p.name not in params:
            continue
        if isinstance(p.valid, Interval):
            _numerics.check_real_param(where, p.name, params[p.name], p.valid)
        elif isinstance(p.valid, tuple):
            _numerics.check_choice(where, p.name, params[p.name], p.valid)
    return spec


def computed_in(dtype: Any, x: Any, *params: Any) -> tuple[Any, ...]:
    """``(x, *params)`` in the computation dtype ``dtype`` (Flax's ``dtype`` argument).

    ``None`` keeps the input's dtype, as ``nnx.PReLU`` does: ``x`` becomes an array and the
    parameters are left as they are (the layer rounds them to ``x``'s dtype where it must), so a
    bfloat16 activation stays bfloat16 while its float32 parameter is rounded once, on the way in.
    """
    if dtype is None:
        return (jnp.asarray(x), *params)
    return tuple(jnp.asarray(a, dtype) for a in (x, *params))


def _in_dtype_of(x: jax.Array, param: Any) -> Any:
    # A parameter array in a floating x's dtype; a Python float (a frozen parameter) is weakly
    # typed and takes x's dtype by itself, rounded once.
    if isinstance(param, jax.Array) and jnp.issubdtype(x.dtype, jnp.floating):
        return param.astype(x.dtype)
    return param


# -- The layers: initial parameters and the function each applies ------------------------------


def prelu_init(num_parameters: Any, init: Any, init_arg: str = "init") -> dict[str, np.ndarray]:
    """PReLU's slope ``alpha``: shape ``()`` for one slope shared by the whole input (as in
    ``torch.nn.PReLU``, ``nnx.PReLU`` and ``eqx.nn.PReLU``), else ``(num_parameters,)``, one per
    channel; every slope starts at ``init``."""
    count = check_positive_int("PReLU", "num_parameters", num_parameters)
    check_initial_value("PReLU", init_arg, init)
    return {"alpha": np.full(() if count == 1 else (count,), init, np.float64)}


def prelu_apply(x: Any, alpha: Any, channel_axis: int, dtype: Any = None) -> jax.Array:
    r"""$f(x) = \max(0, x) + \alpha_c \min(0, x)$, the slope $\alpha_c$ of ``x``'s channel."""
    x, alpha = computed_in(dtype, x, alpha)
    return prelu(x, channel_slope("PReLU", alpha, x, channel_axis))


def swish_init(beta_init: Any) -> dict[str, np.ndarray]:
    """Swish's ``beta`` (shape ``()``): ``beta_init``, any real number."""
    check_initial_value("Swish", "beta_init", beta_init)
    return {"beta": np.asarray(beta_init, np.float64)}


def swish_apply(x: Any, beta: Any, dtype: Any = None) -> jax.Array:
    r"""$f(x) = x\,\sigma(\beta x)$."""
    x, beta = computed_in(dtype, x, beta)
    return silu(x, beta=beta)


def xielu_init(alpha_p_init: Any, alpha_n_init: Any, beta: Any) -> dict[str, np.ndarray]:
    """xIELU's raw parameters ``alpha_p`` and ``alpha_n`` (shape ``()``), for the initial values
    of alpha_p and alpha_n: Huang & Schlag keep alpha_p = softplus(a_p) > 0 and
    alpha_n = beta + softplus(a_n) > beta, so a = log(expm1(value)) (softplus's inverse)."""
    for arg, value in (("alpha_p_init", alpha_p_init), ("alpha_n_init", alpha_n_init)):
        check_initial_value("XIELU", arg, value)
    check_initial_value("XIELU", "beta", beta)
    alpha_p, alpha_n, beta = float(alpha_p_init), float(alpha_n_init), float(beta)
    if beta < 0:
        raise ValueError(f"XIELU: beta must be >= 0, got {beta}")
    if alpha_p <= 0:
        raise ValueError(f"XIELU: alpha_p_init must be > 0 (alpha_p = softplus), got {alpha_p}")
    if alpha_n <= beta:
        raise ValueError(
            f"XIELU: alpha_n_init must be > beta = {beta} (alpha_n = beta + softplus), "
            f"got {alpha_n}"
        )
    raw_p, raw_n = _inverse_softplus(alpha_p), _inverse_softplus(alpha_n - beta)
    return {"alpha_p": np.asarray(raw_p), "alpha_n": np.asarray(raw_n)}


def _inverse_softplus(v: float) -> float:
    # log(e^v - 1) = v + log(1 - e^-v): no overflow for large v, no cancellation for small.
    return v + math.log(-math.expm1(-v))


def xielu_apply(
    x: Any, alpha_p: jax.Array, alpha_n: jax.Array, beta: float, dtype: Any = None
) -> jax.Array:
    r"""xIELU with $\alpha_p = \operatorname{softplus}(a_p)$ and
    $\alpha_n = \beta + \operatorname{softplus}(a_n)$ from the raw parameters (in their dtype)."""
    alpha_p, alpha_n = softplus(alpha_p), beta + softplus(alpha_n)
    x, alpha_p, alpha_n = computed_in(dtype, x, alpha_p, alpha_n)
    return xielu(x, alpha_p, alpha_n, beta)


def rrelu_bounds(lower: Any, upper: Any) -> tuple[float, float]:
    """RReLU's ``(lower, upper)`` as floats if they are finite reals with ``lower <= upper``,
    else the error ``jaxact.rrelu`` gives, naming the layer. The layer has no parameters."""
    for arg, value in (("lower", lower), ("upper", upper)):
        check_initial_value("RReLU", arg, value)
        if np.ndim(value) != 0:
            raise TypeError(f"RReLU: {arg} must be a real number, got shape {np.shape(value)}")
    if float(lower) > float(upper):
        raise ValueError(
            f"RReLU: 'lower' must not exceed 'upper', got lower={float(lower)!r} and "
            f"upper={float(upper)!r}"
        )
    return float(lower), float(upper)


def rrelu_apply(x: Any, key: jax.Array | None, lower: float, upper: float) -> jax.Array:
    """Slopes drawn from U(lower, upper) with ``key`` (training), or the mean slope (no key)."""
    if key is None:
        return rrelu(x, lower=lower, upper=upper)
    return rrelu(x, key, lower=lower, upper=upper, training=True)


def maxout_sizes(
    in_features: Any, out_features: Any, num_pieces: Any, out_arg: str = "out_features"
) -> tuple[int, int]:
    """The input and output sizes of the one linear map that computes every piece of every
    output: ``(in_features, out_features * num_pieces)``, after checking all three."""
    in_features = check_positive_int("Maxout", "in_features", in_features)
    out_features = check_positive_int("Maxout", out_arg, out_features)
    return in_features, out_features * check_positive_int("Maxout", "num_pieces", num_pieces)


def maxout_apply(linear: Callable[[Any], jax.Array], x: Any, num_pieces: int) -> jax.Array:
    r"""$f(x)_j = \max_k (x W_{jk} + b_{jk})$: the maximum over each group of ``num_pieces``
    consecutive outputs of ``linear``."""
    return maxout(linear(x), num_pieces, axis=-1)


def glu_sizes(
    variant: Any, in_features: Any, hidden_features: Any, out_features: Any = None
) -> tuple[tuple[int, int], tuple[int, int]]:
    """The ``(input, output)`` sizes of the two projections, after checking them and
    ``variant``: ``(in_features, 2 * hidden_features)`` for the value and the gate, then
    ``(hidden_features, out_features)``; ``out_features`` is ``in_features`` by default."""
    if variant not in GLU_VARIANTS:
        allowed = ", ".join(repr(v) for v in GLU_VARIANTS)
        raise ValueError(f"GLU: variant must be one of {allowed}; got {variant!r}")
    in_features = check_positive_int("GLU", "in_features", in_features)
    hidden = check_positive_int("GLU", "hidden_features", hidden_features)
    out_features = in_features if out_features is None else out_features
    out = check_positive_int("GLU", "out_features", out_features)
    return (in_features, 2 * hidden), (hidden, out)


def glu_apply(
    proj_in: Callable[[Any], jax.Array],
    proj_out: Callable[[Any], jax.Array],
    x: Any,
    variant: str,
) -> jax.Array:
    r"""$\operatorname{FFN}(x) = (x V \odot g(x W))\, W_\text{out}$: ``proj_in`` gives
    $[xV, xW]$, the jaxact function ``variant`` gates it, ``proj_out`` maps back."""
    return proj_out(get(variant).fn(proj_in(x), axis=-1))


def dyt_init(num_features: Any, alpha_init: Any) -> dict[str, np.ndarray]:
    """DyT's scalar ``alpha`` (``alpha_init``), and its ``weight`` (ones) and ``bias`` (zeros)
    of shape ``(num_features,)``, one per channel."""
    num_features = check_positive_int("DyT", "num_features", num_features)
    check_initial_value("DyT", "alpha_init", alpha_init)
    return {
        "alpha": np.asarray(alpha_init, np.float64),
        "weight": np.ones((num_features,)),
        "bias": np.zeros((num_features,)),
    }


def dyt_apply(
    x: Any, alpha: Any, weight: Any, bias: Any, channel_axis: int, dtype: Any = None
) -> jax.Array:
    r"""$f(x) = \gamma_c \tanh(\alpha x) + \beta_c$, with $\gamma$ (``weight``) and $\beta$
    (``bias``) of ``x``'s channel."""
    x, alpha, weight, bias = computed_in(dtype, x, alpha, weight, bias)
    weight, bias = (
        channel_slope("DyT", v, x, channel_axis, "num_features") for v in (weight, bias)
    )
    return dyt(x, _in_dtype_of(x, alpha), weight, bias)


def snake_init(num_parameters: Any, alpha_init: Any) -> dict[str, np.ndarray]:
    """Snake's frequencies ``alpha``, shape ``(num_parameters,)``, each ``alpha_init``."""
    count = check_positive_int("Snake", "num_parameters", num_parameters)
    check_initial_value("Snake", "alpha_init", alpha_init)
    return {"alpha": np.full((count,), alpha_init, np.float64)}


def snake_apply(x: Any, alpha: Any, channel_axis: int, dtype: Any = None) -> jax.Array:
    r"""$f(x) = x + \sin^2(\alpha_c x) / \alpha_c$, the frequency $\alpha_c$ of ``x``'s channel."""
    x, alpha = computed_in(dtype, x, alpha)
    return snake(x, channel_slope("Snake", alpha, x, channel_axis))


def star_relu_init(scale_init: Any, bias_init: Any) -> dict[str, np.ndarray]:
    """StarReLU's scalars ``scale`` and ``bias`` (shape ``()``)."""
    check_initial_value("StarReLU", "scale_init", scale_init)
    check_initial_value("StarReLU", "bias_init", bias_init)
    return {"scale": np.asarray(scale_init, np.float64), "bias": np.asarray(bias_init, np.float64)}


def star_relu_apply(x: Any, scale: Any, bias: Any, dtype: Any = None) -> jax.Array:
    r"""$f(x) = s \max(0, x)^2 + b$, in ``x``'s dtype."""
    x, scale, bias = computed_in(dtype, x, scale, bias)
    return star_relu(x, _in_dtype_of(x, scale), _in_dtype_of(x, bias))


def pau_init(numerator: Any, denominator: Any) -> dict[str, Any]:
    """PAU's coefficients ``numerator`` $a_0 \\dots a_m$ (shape ``(m + 1,)``) and
    ``denominator`` $b_1 \\dots b_n$ (shape ``(n,)``), as given, after ``jaxact.pau``'s checks."""
    pau(jnp.zeros(()), numerator, denominator)
    return {"numerator": numerator, "denominator": denominator}


def pau_apply(x: Any, numerator: Any, denominator: Any, dtype: Any = None) -> jax.Array:
    r"""$f(x) = P(x) / Q(x)$ with $P(x) = \sum_i a_i x^i$, $Q(x) = 1 + \sum_j |b_j|\,|x|^j$."""
    (x,) = computed_in(dtype, x)
    return pau(x, numerator, denominator)
