"""Framework-independent parts of the layer adapters in ``jaxact.flax`` and ``jaxact.equinox``.

Both adapters hold parameters the way their library expects, then hand the arithmetic to the
pure functions in jaxact. What is left over is shared here once: argument checks with messages
that name the argument, the broadcast of a per-channel slope, and the lookup of activations.
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
from ._registry import ActivationSpec, Interval, get
from ._softplus import softplus

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


def xielu_raw_parameters(
    layer: str, alpha_p_init: Any, alpha_n_init: Any, beta: Any
) -> tuple[float, float]:
    """The raw parameters ``(a_p, a_n)`` an xIELU layer learns, for the initial values of
    alpha_p and alpha_n: Huang & Schlag keep alpha_p = softplus(a_p) > 0 and
    alpha_n = beta + softplus(a_n) > beta, so a = log(expm1(value)) (softplus's inverse)."""
    for arg, value in (("alpha_p_init", alpha_p_init), ("alpha_n_init", alpha_n_init)):
        check_initial_value(layer, arg, value)
    check_initial_value(layer, "beta", beta)
    alpha_p, alpha_n, beta = float(alpha_p_init), float(alpha_n_init), float(beta)
    if beta < 0:
        raise ValueError(f"{layer}: beta must be >= 0, got {beta}")
    if alpha_p <= 0:
        raise ValueError(f"{layer}: alpha_p_init must be > 0 (alpha_p = softplus), got {alpha_p}")
    if alpha_n <= beta:
        raise ValueError(
            f"{layer}: alpha_n_init must be > beta = {beta} (alpha_n = beta + softplus), "
            f"got {alpha_n}"
        )
    return _inverse_softplus(alpha_p), _inverse_softplus(alpha_n - beta)


def _inverse_softplus(v: float) -> float:
    # log(e^v - 1) = v + log(1 - e^-v): no overflow for large v, no cancellation for small.
    return v + math.log(-math.expm1(-v))


def xielu_alphas(raw_p: jax.Array, raw_n: jax.Array, beta: float) -> tuple[jax.Array, ...]:
    """``(alpha_p, alpha_n)`` from the raw parameters: softplus(a_p), beta + softplus(a_n)."""
    return softplus(raw_p), beta + softplus(raw_n)


def check_rrelu_bounds(layer: str, lower: Any, upper: Any) -> tuple[float, float]:
    """``(lower, upper)`` as floats if they are finite reals with ``lower <= upper``, else the
    error ``jaxact.rrelu`` gives, naming the layer."""
    for arg, value in (("lower", lower), ("upper", upper)):
        check_initial_value(layer, arg, value)
        if np.ndim(value) != 0:
            raise TypeError(f"{layer}: {arg} must be a real number, got shape {np.shape(value)}")
    if float(lower) > float(upper):
        raise ValueError(
            f"{layer}: 'lower' must not exceed 'upper', got lower={float(lower)!r} and "
            f"upper={float(upper)!r}"
        )
    return float(lower), float(upper)


def check_variant(layer: str, variant: Any) -> str:
    """``variant`` if it names one of :data:`GLU_VARIANTS`, else a ``ValueError`` listing them."""
    if variant not in GLU_VARIANTS:
        allowed = ", ".join(repr(v) for v in GLU_VARIANTS)
        raise ValueError(f"{layer}: variant must be one of {allowed}; got {variant!r}")
    return variant


def gate_function(variant: str) -> Callable[..., jax.Array]:
    """The jaxact function of a GLU variant, looked up in the registry when it is needed."""
    return get(variant).fn


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
