"""Parameters too large for the dtype they are computed in.

A Python float passes the interval check of its parameter and is then cast to the input's
dtype: ``elu(x, alpha=1e39)`` on float32 input became ``alpha = inf`` and NaN at 0, and
``squareplus(x, b=1e39)`` NaN for x < 0. Such a value is refused with the limit, here, where
the input's dtype is known.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from ._numerics import is_concrete

_HALF = (jnp.dtype(jnp.float16), jnp.dtype(jnp.bfloat16))


def compute_dtype(x: jax.Array, value: Any) -> np.dtype:
    """The dtype ``fn(x, param=value)`` computes in: x's promoted with an array ``value``
    (a Python number is weak and leaves it alone), float32 for half precision."""
    dtype = x.dtype
    if isinstance(value, (jax.Array, np.ndarray, np.generic)):
        dtype = jnp.result_type(x, value)
    return np.dtype(jnp.float32) if dtype in _HALF else np.dtype(dtype)


def check_finite_in_dtype(fn: str, arg: str, value: Any, x: jax.Array) -> None:
    """Raise ``ValueError`` if a concrete ``value`` overflows the dtype it is computed in."""
    if not is_concrete(value) or not jnp.issubdtype(x.dtype, jnp.floating):
        return
    dtype = compute_dtype(x, value)
    limit = float(np.finfo(dtype).max)
    for v in np.abs(np.asarray(value, np.float64)).ravel():
        if v > limit:
            raise ValueError(
                f"{fn}: parameter {arg!r} must be finite in {dtype.name}, the dtype it is "
                f"computed in (|{arg}| <= {limit:.8g}), got {float(v)!r}; pass float64 input "
                "for a larger value"
            )
