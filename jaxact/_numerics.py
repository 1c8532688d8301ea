"""Shared input handling: dtype promotion, half precision in float32, parameter checks.

Every public activation goes through these helpers so that bad input fails the same way
everywhere, with a message that names the function, the argument and what is allowed.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from ._registry import Interval

_HALF = (jnp.dtype(jnp.float16), jnp.dtype(jnp.bfloat16))


def as_array(x: Any, fn: str, arg: str = "x") -> jax.Array:
    """``x`` as a jax array of its own dtype; a clear ``TypeError`` for non-numeric input."""
    if isinstance(x, jax.Array):
        dtype = x.dtype
    else:
        try:
            dtype = np.result_type(x)
        except (TypeError, ValueError):
            dtype = None
        if isinstance(x, (str, bytes)) or dtype is None or dtype.kind not in "biufc":
            raise TypeError(
                f"{fn}: argument {arg!r} must be a numeric array or scalar "
                f"(bool, int or float), got {type(x).__name__} {_abbrev(x)}"
            )
    if jnp.issubdtype(dtype, jnp.complexfloating):
        raise TypeError(f"{fn}: argument {arg!r} must be real, got dtype {dtype}")
    return jnp.asarray(x)


def as_inexact(x: Any, fn: str, arg: str = "x") -> jax.Array:
    """``x`` as a floating-point array: integers and booleans become the default float type."""
    x = as_array(x, fn, arg)
    if not jnp.issubdtype(x.dtype, jnp.inexact):
        x = x.astype(jnp.result_type(float))
    return x


def _abbrev(x: Any) -> str:
    text = repr(x)
    return text if len(text) <= 40 else text[:37] + "..."


def in_float32(fn: Callable[..., jax.Array]) -> Callable[..., jax.Array]:
    """Evaluate ``fn`` in float32 for float16/bfloat16 inputs and round the result once.

    Half-precision arithmetic loses digits in every intermediate step (silu(f16(-12)) is -0 in
    f16 arithmetic, -7.373e-5 when computed in f32 and rounded). Gradients flow through the
    casts, so ``jax.grad`` of a half-precision input is also computed in float32.
    """

    @functools.wraps(fn)
    def wrapped(x: jax.Array, *args: Any, **kwargs: Any) -> jax.Array:
        if x.dtype in _HALF:
            return fn(x.astype(jnp.float32), *args, **kwargs).astype(x.dtype)
        return fn(x, *args, **kwargs)

    return wrapped


def is_concrete(value: Any) -> bool:
    """True when ``value`` has a value now (not a tracer under ``jit``/``grad``/``vmap``)."""
    return not any(isinstance(leaf, jax.core.Tracer) for leaf in jax.tree_util.tree_leaves(value))


def check_real_param(fn: str, arg: str, value: Any, valid: Interval) -> None:
    """Raise ``ValueError`` if a concrete real parameter lies outside ``valid``.

    Traced values are not checked: a Python-side check must never break ``jit`` tracing.
    """
    if not is_concrete(value):
        return
    try:
        values = np.asarray(value, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        raise TypeError(
            f"{fn}: parameter {arg!r} must be a real number, got {type(value).__name__} "
            f"{_abbrev(value)}"
        ) from None
    for v in values:
        if math.isnan(v) or v not in valid:
            raise ValueError(
                f"{fn}: parameter {arg!r} must lie in {valid.describe()}, got {float(v)!r}"
            )


def check_choice(fn: str, arg: str, value: Any, allowed: tuple[Any, ...]) -> None:
    """Raise ``ValueError`` unless ``value`` is one of ``allowed``."""
    if value not in allowed:
        raise ValueError(
            f"{fn}: parameter {arg!r} must be one of {', '.join(map(repr, allowed))}; got {value!r}"
        )


def check_axis(fn: str, x: jax.Array, axis: int, arg: str = "axis") -> int:
    """Normalise ``axis`` for ``x`` (negative axes count from the end) or raise ``ValueError``."""
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
        raise TypeError(f"{fn}: {arg!r} must be an int, got {type(axis).__name__}")
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(
            f"{fn}: {arg}={axis} is out of range for an input of shape {x.shape}; "
            f"allowed: {-x.ndim} … {x.ndim - 1}"
        )
    return int(axis) % x.ndim
