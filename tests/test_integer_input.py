"""Integer and boolean input: one rule for the whole registry (stated on every page).

Integer and boolean values are read as the numbers they hold. A function whose spec says
``integer_exact`` (identity, relu, hard_tanh: they select ``x`` or a constant) computes in the
input's own integer type, exactly, as jax.nn does; booleans give int32 there (identity returns
them unchanged). Every other function converts the input to floating point first, as jnp's own
functions do (float32; float64 for 64-bit integers with x64) and returns the function of that
float. jax.nn's hard_tanh(uint8 0) is 255 (it compares with -1 wrapped to 255); ours is 0.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from _activation_cases import ALL, ROW, call, ids

INTEGER_INPUTS = {
    "int8": np.arange(-128, 128, dtype=np.int8),
    "uint8": np.arange(256, dtype=np.uint8),
    "int32": np.array(
        [-(2**31), -(2**24) - 1, -7, -3, -2, -1, 0, 1, 2, 3, 5, 2**24 + 1, 2**31 - 1], np.int32
    ),
    "bool": np.array([True, False, False, True]),
}


SIZE = 256
"""Every input is repeated to this many entries (the int8 and uint8 ranges have it): eagerly,
each operation compiles once per shape and dtype, so one shape for all the inputs lets the
float32 calls of every kind share their compilations."""


def _shaped(spec, x: np.ndarray, size: int = SIZE) -> np.ndarray:
    """``x`` repeated to ``size`` entries; rows of ``ROW`` for the vector-valued functions."""
    x = np.resize(x, size)
    return x if spec.elementwise else x.reshape(-1, ROW)


def _fn(spec):
    if spec.name == "prelu":
        return call(spec, alpha=0.25)
    return call(spec)


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return bool(np.all((a == b) | (np.isnan(a) & np.isnan(b))))


@pytest.mark.parametrize("kind", INTEGER_INPUTS, ids=list(INTEGER_INPUTS))
@pytest.mark.parametrize("spec", ALL, ids=ids(ALL))
def test_integer_input_follows_the_stated_rule(spec, kind):
    x = _shaped(spec, INTEGER_INPUTS[kind])
    fn = _fn(spec)
    y = fn(jnp.asarray(x))
    if spec.integer_exact:
        # The input's type (bool: int32, identity: bool), and the exact value: what the
        # function gives for the same numbers in float64 (they are integers in range).
        want = {"bool": jnp.int32}.get(kind, x.dtype)
        if spec.name == "identity":
            want = x.dtype
        assert y.dtype == want, (spec.name, kind, y.dtype)
        with jax.enable_x64(True):
            exact = np.asarray(fn(jnp.asarray(x, jnp.float64)))
        assert _same(y, exact), (spec.name, kind, x[~np.isclose(y, exact)][:5])
    else:
        assert y.dtype == jnp.float32, (spec.name, kind, y.dtype)
        assert _same(y, fn(jnp.asarray(x, jnp.float32))), (spec.name, kind)


@pytest.mark.parametrize("spec", ALL, ids=ids(ALL))
def test_64_bit_integers_become_float64_with_x64(spec):
    with jax.enable_x64(True):
        for dtype, want in ((jnp.int64, jnp.float64), (jnp.int32, jnp.float32)):
            x = jnp.asarray(_shaped(spec, np.array([-3, -1, 0, 2, 5, 7, 1, 4]), 8), dtype)
            y = _fn(spec)(x)
            assert y.dtype == (dtype if spec.integer_exact else want), (spec.name, y.dtype)
            if not spec.integer_exact:
                assert _same(y, _fn(spec)(x.astype(want))), spec.name
