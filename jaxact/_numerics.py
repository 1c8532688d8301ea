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
from jax import lax
from jax.custom_derivatives import SymbolicZero

from ._registry import Interval

_HALF = (jnp.dtype(jnp.float16), jnp.dtype(jnp.bfloat16))


def as_array(x: Any, fn: str, arg: str = "x") -> jax.Array:
    """``x`` as a jax array of its own dtype; a clear ``TypeError`` for non-numeric input."""
    if isinstance(x, jax.Array):
        dtype = x.dtype
    else:
        try:
            # (np.result_type(None) is float64: None must be caught before.)
            dtype = None if x is None else np.result_type(x)
        except (TypeError, ValueError):
            dtype = None
        if isinstance(x, int) and not isinstance(x, bool):
            _check_python_int(x, fn, arg)
        if isinstance(x, (str, bytes)) or dtype is None or dtype.kind not in "biufc":
            raise TypeError(
                f"{fn}: argument {arg!r} must be a numeric array or scalar "
                f"(bool, int or float), got {type(x).__name__} {_abbrev(x)}"
            )
    if jnp.issubdtype(dtype, jnp.complexfloating):
        raise TypeError(f"{fn}: argument {arg!r} must be real, got dtype {dtype}")
    return jnp.asarray(x)


def _check_python_int(x: int, fn: str, arg: str) -> None:
    """A ``TypeError`` naming ``arg`` for a Python int outside jax's integer type (int32, or
    int64 with x64), instead of NumPy's "must be ... int, got int" or an OverflowError."""
    bits = 64 if jax.config.jax_enable_x64 else 32
    if not -(2 ** (bits - 1)) <= x < 2 ** (bits - 1):
        raise TypeError(
            f"{fn}: argument {arg!r} is a Python int too large for int{bits}, jax's integer "
            f"type{' while x64 is disabled' * (bits == 32)}: {_abbrev(x)}; pass it as a float "
            f"({float(x):.6g})"
        )


def as_inexact(x: Any, fn: str, arg: str = "x") -> jax.Array:
    """``x`` as a floating-point array; integers and booleans converted as jnp's functions do.

    jnp.tanh(int32) is float32 even with x64 (int64 gives float64), and a Python int, which
    is weakly typed, gives a weakly typed float: the dtypes jax.nn returns for such input.
    """
    x = as_array(x, fn, arg)
    if not jnp.issubdtype(x.dtype, jnp.inexact):
        if x.weak_type:
            x = x + 0.0  # weak int + weak float: the weak default float
        else:
            x = x.astype(jnp.float64 if x.dtype.itemsize == 8 else jnp.float32)
    return x


def promote(x: jax.Array, *params: Any) -> jax.Array:
    """A floating ``x`` cast to the dtype jnp gives ``x`` combined with ``params``.

    Python-scalar parameters are weak and leave ``x``'s dtype alone; a float32 array
    parameter with a bfloat16 ``x`` gives float32, as ``jax.nn.leaky_relu`` does. Integer
    ``x`` and parameters that are not numbers (left to the parameter checks) are unchanged.
    """
    if not jnp.issubdtype(x.dtype, jnp.inexact):
        return x
    try:
        dtype = jnp.result_type(x, *params)
    except (TypeError, ValueError):
        return x
    return x if dtype == x.dtype else x.astype(dtype)


@jax.custom_jvp
def _nan_derivative(x: jax.Array, y: jax.Array) -> jax.Array:
    return y


@_nan_derivative.defjvp
def _nan_derivative_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x, y), (_, ty) = primals, tangents
    # A product with the tangent (linear, so reverse mode transposes it): 1, or NaN at NaN.
    return y, ty * jnp.where(jnp.isnan(x), x, 1).astype(ty.dtype)


def nan_derivative(x: jax.Array, y: jax.Array) -> jax.Array:
    """``y = f(x)`` unchanged, with the derivative NaN wherever ``x`` is NaN.

    Piecewise definitions select a branch by comparing ``x``; a NaN fails every comparison
    and lands in some branch whose slope (0, 1, α) would hide it. NaN in, NaN out holds
    for derivatives too. ``y`` must be computed from ``x`` (its tangent carries ``x``'s).
    """
    if not jnp.issubdtype(x.dtype, jnp.inexact):
        return y
    return _nan_derivative(x, y)


def instantiate(t: Any, like: jax.Array) -> jax.Array:
    """A tangent ``t`` of a ``symbolic_zeros=True`` JVP rule as an array (zeros like ``like``)."""
    return jnp.zeros_like(like) if isinstance(t, SymbolicZero) else t


def _abbrev(x: Any) -> str:
    text = repr(x)
    return text if len(text) <= 40 else text[:37] + "..."


def in_float32(fn: Callable[..., jax.Array]) -> Callable[..., jax.Array]:
    """Evaluate ``fn`` in float32 for float16/bfloat16 inputs and round the result once.

    Half-precision arithmetic loses digits in every intermediate step (silu(f16(-12)) is -0 in
    f16 arithmetic, -7.373e-5 when computed in f32 and rounded). Gradients flow through the
    casts, so ``jax.grad`` of a half-precision input is also computed in float32.

    The dtype rules are jnp's (and so jax.nn's): floating array parameters promote ``x`` (a
    float32 ``alpha`` with a bfloat16 ``x`` gives float32; a Python float leaves ``x``'s dtype
    alone), and a weakly typed ``x`` (a Python float, or an array made from one) with weakly
    typed parameters gives a weakly typed result (internal constants and casts would
    otherwise make it strong, changing how it promotes afterwards).
    """

    @functools.wraps(fn)
    def wrapped(x: jax.Array, *args: Any, **kwargs: Any) -> jax.Array:
        params = [p for p in (*args, *kwargs.values()) if _is_float_array(p)]
        if params:
            x = promote(x, *params)
        if x.dtype in _HALF:
            return fn(x.astype(jnp.float32), *args, **kwargs).astype(x.dtype)
        y = fn(x, *args, **kwargs)
        if _all_weak(x, *args, *kwargs.values()) and isinstance(y, jax.Array):
            y = _weak(y) if y.dtype == x.dtype else y
        return y

    return wrapped


def _is_float_array(p: Any) -> bool:
    return isinstance(p, (jax.Array, np.ndarray, np.generic)) and jnp.issubdtype(
        p.dtype, jnp.inexact
    )


def _all_weak(x: jax.Array, *params: Any) -> bool:
    """``x`` is weakly typed, and so is every floating array among ``params``."""
    # (NumPy values are always strongly typed.)
    return x.weak_type and all(getattr(p, "weak_type", False) for p in params if _is_float_array(p))


def _weak(y: jax.Array) -> jax.Array:
    """``y`` as a weakly typed array of its dtype (jnp.asarray(1.5) is weakly typed)."""
    if y.weak_type:
        return y
    return lax.convert_element_type_p.bind(y, new_dtype=y.dtype, weak_type=True, sharding=None)


def at_least(y: jax.Array, lo: float) -> jax.Array:
    """``max(y, lo)`` with ``y``'s derivative unchanged: a closed lower end of the output range
    that rounding must not cross (hard_silu's -0.375 came out as -0.37500003 in float32).

    ``lo`` (a float64, the registry's stated end) is rounded up to ``y``'s dtype, so no value
    is below it; where the formula rounds below, the result is that rounded-up end (within one
    ULP of the exact minimum, which the stated end rounds). One max, fused into the loop that
    computes ``y``; NaN stays NaN.
    """
    return _at_least(y, lo)


@functools.partial(jax.custom_jvp, nondiff_argnums=(1,))
def _at_least(y: jax.Array, lo: float) -> jax.Array:
    # max, not a select on y < c: y used once, so XLA fuses the clamp into the loop that
    # computes y (a select reads y twice, and XLA will not duplicate an expensive producer).
    # XLA's max propagates NaN.
    return lax.max(y, lax.full_like(y, round_up(lo, y.dtype)))


@_at_least.defjvp
def _at_least_jvp(lo: float, primals: tuple, tangents: tuple) -> tuple:
    # The clamp corrects rounding only (by an ULP, at a minimum where f' = 0): the derivative
    # is the formula's.
    return _at_least(primals[0], lo), tangents[0]


def jit_in_float32(
    core: Callable[..., jax.Array], minimum: float | None = None
) -> Callable[..., jax.Array]:
    """The jitted ``_<name>_impl`` of an activation whose arithmetic is ``core(x, *params)``.

    ``x`` is floating (``as_inexact``) and the parameters are checked by the public function.
    Each parameter is cast to ``x``'s dtype, ``core`` runs in float32 for half-precision input
    (:func:`in_float32`), and where the registry states a closed lower end ``minimum`` of the
    output range, the result is kept at or above it (:func:`at_least`), so that rounding near
    the minimum does not cross it.
    """

    @in_float32
    def in_dtype(x: jax.Array, *params: Any) -> jax.Array:
        return core(x, *(jnp.asarray(p, x.dtype) for p in params))

    def impl(x: jax.Array, *params: Any) -> jax.Array:
        y = in_dtype(x, *params)
        return y if minimum is None else at_least(y, minimum)

    # Named as the hand-written ones were, for profiles and HLO dumps: jit(_serf_impl).
    impl.__name__ = impl.__qualname__ = f"{core.__name__.removesuffix('_core')}_impl"
    return jax.jit(impl)


def round_up(value: float, dtype: Any) -> float:
    """The smallest number of ``dtype`` that is >= ``value`` (a Python float), as a float."""
    dtype = np.dtype(dtype)
    c = np.asarray(value, np.float64).astype(dtype)  # the nearest: at most one step below
    return float(_next_up(c) if float(c) < value else c)


def _next_up(c: np.ndarray) -> np.ndarray:
    """The next value of ``c``'s own (finite, non-zero) type towards +inf, by its bits."""
    bits = c.view(np.dtype(f"uint{8 * c.itemsize}"))
    step = bits + 1 if float(c) > 0 else bits - 1
    return np.asarray(step, bits.dtype).view(c.dtype)


def is_concrete(value: Any) -> bool:
    """True when ``value`` has a value now (not a tracer under ``jit``/``grad``/``vmap``)."""
    return not any(isinstance(leaf, jax.core.Tracer) for leaf in jax.tree_util.tree_leaves(value))


def check_real_param(fn: str, arg: str, value: Any, valid: Interval, x: Any = None) -> None:
    """Raise ``ValueError`` if a concrete real parameter lies outside ``valid``.

    A parameter is a real number or an array; with ``x`` given, the array must broadcast
    against ``x``'s shape. A list or tuple is refused (jnp refuses them too, with a message
    that names neither the function nor the argument). Traced values are checked for their
    shape only: a Python-side check of a value must never break ``jit`` tracing.
    """
    if isinstance(value, (list, tuple)):
        raise TypeError(
            f"{fn}: parameter {arg!r} must be a real number in {valid.describe()} or an array "
            f"of them, got {type(value).__name__} {_abbrev(value)} (pass jnp.asarray(...) "
            "for an array)"
        )
    if not is_concrete(value):
        _check_broadcast(fn, arg, value, x)
        return
    try:
        if value is None or isinstance(value, (str, bytes)):
            raise TypeError
        values = np.asarray(value, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        raise TypeError(
            f"{fn}: parameter {arg!r} must be a real number (in {valid.describe()}) or an "
            f"array of them, got {type(value).__name__} {_abbrev(value)}"
        ) from None
    for v in values:
        if math.isnan(v) or v not in valid:
            raise ValueError(
                f"{fn}: parameter {arg!r} must lie in {valid.describe()}, got {float(v)!r}"
            )
    _check_broadcast(fn, arg, value, x)


def _check_broadcast(fn: str, arg: str, value: Any, x: Any) -> None:
    """A ``ValueError`` naming ``arg`` if an array parameter does not broadcast against ``x``."""
    if x is not None and np.ndim(value) > 0:
        try:
            np.broadcast_shapes(np.shape(x), np.shape(value))
        except ValueError:
            raise ValueError(
                f"{fn}: parameter {arg!r} of shape {np.shape(value)} does not broadcast "
                f"against x of shape {np.shape(x)}; use a scalar or a broadcastable array"
            ) from None


def check_choice(fn: str, arg: str, value: Any, allowed: tuple[Any, ...]) -> None:
    """Raise ``ValueError`` unless ``value`` is one of ``allowed`` (a static Python value)."""
    if not is_concrete(value):
        raise TypeError(
            f"{fn}: parameter {arg!r} selects the formula and must be a static Python value, "
            f"one of {', '.join(map(repr, allowed))}; got a traced value (mark it static "
            "under jit)"
        )
    try:
        ok = bool(value in allowed)
    except (TypeError, ValueError):  # an array of several values
        ok = False
    if not ok:
        raise ValueError(
            f"{fn}: parameter {arg!r} must be one of {', '.join(map(repr, allowed))}; got {value!r}"
        )


def check_where(fn: str, x: jax.Array, where: Any) -> Any:
    """``where`` (``None``, or a boolean array that broadcasts against ``x``) as an array.

    The mask of the softmax family, as jax.nn takes it; anything else gets a message that
    names the argument, not a raw JAX error from deep inside the function.
    """
    if where is None:
        return None
    allowed = f"None or a boolean array broadcastable to x's shape {x.shape}"
    if isinstance(where, (list, tuple, str, bytes)) or not hasattr(where, "dtype"):
        if not isinstance(where, (bool, np.bool_)):
            raise TypeError(
                f"{fn}: 'where' must be {allowed}, got {type(where).__name__} {_abbrev(where)}"
            )
    dtype = np.dtype(getattr(where, "dtype", bool))
    if dtype != np.bool_:
        raise TypeError(f"{fn}: 'where' must be {allowed}, got an array of dtype {dtype}")
    try:
        np.broadcast_shapes(np.shape(where), x.shape)
    except ValueError:
        raise ValueError(
            f"{fn}: 'where' of shape {np.shape(where)} does not broadcast against x of shape "
            f"{x.shape}; it must be {allowed}"
        ) from None
    if np.broadcast_shapes(np.shape(where), x.shape) != x.shape:
        raise ValueError(
            f"{fn}: 'where' of shape {np.shape(where)} would enlarge x of shape {x.shape}; "
            f"it must be {allowed}"
        )
    return where


def check_axes(fn: str, x: jax.Array, axis: Any, arg: str = "axis") -> int | tuple[int, ...]:
    """Like :func:`check_axis`, also accepting a tuple of axes or ``None`` (all axes), as
    jnp reductions (and so jax.nn.softmax) do. Returns an int or a sorted tuple."""
    if axis is None:
        return tuple(range(x.ndim))
    if isinstance(axis, tuple):
        axes = tuple(sorted(check_axis(fn, x, a, arg) for a in axis))
        if len(set(axes)) != len(axes):
            raise ValueError(f"{fn}: {arg}={tuple(axis)} repeats an axis (input shape {x.shape})")
        return axes
    return check_axis(fn, x, axis, arg)


def on_axes(
    fn: Callable[[jax.Array, int, Any], jax.Array],
    x: jax.Array,
    axes: int | tuple[int, ...],
    where: Any = None,
) -> jax.Array:
    """``fn(x, axis, where)``, written for one axis, applied over several (from
    :func:`check_axes`): they are moved to the end and flattened into one. ``fn`` must keep
    the length of that axis (the softmax family)."""
    if isinstance(axes, int):
        return fn(x, axes, where)
    k = len(axes)
    last = tuple(range(x.ndim - k, x.ndim))
    moved = jnp.moveaxis(x, axes, last)
    flat_shape = (*moved.shape[: x.ndim - k], math.prod(moved.shape[x.ndim - k :]))
    if where is not None:
        where = jnp.moveaxis(jnp.broadcast_to(where, x.shape), axes, last).reshape(flat_shape)
    y = fn(moved.reshape(flat_shape), len(flat_shape) - 1, where)
    return jnp.moveaxis(y.reshape(moved.shape), last, axes)


def check_axis(fn: str, x: jax.Array, axis: int, arg: str = "axis") -> int:
    """Normalise ``axis`` for ``x`` (negative axes count from the end) or raise ``ValueError``."""
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
        raise TypeError(f"{fn}: {arg!r} must be an int, got {type(axis).__name__}")
    if x.ndim == 0:
        raise ValueError(
            f"{fn}: x is 0-d (a scalar, shape ()), so it has no axis {axis} to work along; "
            f"{fn} needs an array of at least one dimension (jnp.atleast_1d(x), or x[None])"
        )
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(
            f"{fn}: {arg}={axis} is out of range for an input of shape {x.shape}; "
            f"allowed: {-x.ndim} … {x.ndim - 1}"
        )
    return int(axis) % x.ndim
