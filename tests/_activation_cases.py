"""Inputs and calls that fit every registered activation, for the registry-wide tests.

Elementwise functions take any shape; vector-valued ones act on the last axis, which must fit
them (maxout groups it by ``num_pieces``, the GLU family halves it): ``ROW`` entries always do.
Everything here is derived from the specs, so a newly registered function needs no new code.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import mpmath
import numpy as np

import jaxact

ALL = tuple(jaxact.specs())
"""Every registered activation: the registry-wide tests are parametrized over it, so a new
activation is tested with no new code."""
ELEMENTWISE = tuple(s for s in ALL if s.elementwise)
VECTOR = tuple(s for s in ALL if not s.elementwise)
ROW = 4
"""Length of the reduced axis for vector-valued functions: even and a multiple of 2 pieces."""


def ids(specs) -> list[str]:
    return [s.name for s in specs]


def call(spec, **overrides: Any) -> Callable[..., Any]:
    """``x -> spec.fn(x, **defaults, **overrides)``."""
    kwargs = {**spec.defaults(), **overrides}
    return functools.partial(spec.fn, **kwargs)


def out_row(spec) -> int:
    """Length of the reduced axis of the output for an input row of length ``ROW``."""
    n_in = len(spec.example_input)
    n_out = int(np.shape(call(spec)(jnp.asarray(spec.example_input, jnp.float32)))[-1])
    assert (ROW * n_out) % n_in == 0, spec.name
    return ROW * n_out // n_in


def out_shape(spec, shape: tuple[int, ...]) -> tuple[int, ...]:
    if spec.elementwise:
        return shape
    if dict(spec.call_defaults).get("keepdims"):  # a reduction (logsumexp): one entry a row
        return (*shape[:-1], 1)
    return (*shape[:-1], shape[-1] * out_row(spec) // ROW)


def sample(shape: tuple[int, ...], dtype=jnp.float32, seed: int = 0, scale: float = 3.0):
    """Reproducible ordinary inputs (no exact kinks: normal samples, rounded to ``dtype``)."""
    rng = np.random.default_rng(seed)
    return jnp.asarray(rng.normal(size=shape) * scale, dtype)


def cotangent(spec, shape: tuple[int, ...], dtype=jnp.float32):
    """A fixed weight of the output's shape, so vector functions reduce to a scalar loss."""
    return sample(out_shape(spec, shape), dtype, seed=99, scale=1.0)


def scalar_loss(spec, shape: tuple[int, ...], dtype=jnp.float32, **overrides):
    f = call(spec, **overrides)
    w = cotangent(spec, shape, dtype)
    return lambda x: jnp.sum(f(x) * w)


# -- reference values -------------------------------------------------------------------------

NO_LIMIT_AT_INFINITY = frozenset(s.name for s in ALL if s.family == "periodic")
"""Functions whose derivative oscillates forever (sine, Snake): f' has no limit at ±inf and is
NaN there, as ``jnp.sin(inf)``; so is the sine's value. Their oracles give NaN at ``HUGE``."""

HUGE = mpmath.mpf("1e1000")
"""An argument beyond every float dtype: the oracle there is the limit, once rounded."""


def choice_variants(spec) -> list[dict[str, Any]]:
    """Defaults, plus each other allowed value of every choice parameter."""
    out = [{}]
    for p in spec.params:
        if isinstance(p.valid, tuple):
            out += [{p.name: v} for v in p.valid if v != p.default]
    return out


def variant_id(kwargs: dict[str, Any]) -> str:
    return ",".join(f"{k}={v}" for k, v in kwargs.items()) or "defaults"


def elementwise_cases() -> list[tuple[Any, dict[str, Any]]]:
    return [(s, kw) for s in ELEMENTWISE for kw in choice_variants(s)]


def case_id(case) -> str:
    spec, kw = case
    return spec.name if not kw else f"{spec.name}[{variant_id(kw)}]"


def reference(spec, x: float, derivative: bool = False, **overrides: Any) -> float:
    """The oracle at ``x`` (a float or ``HUGE``/``-HUGE``) as a Python float (inf if too big)."""
    oracle = spec.reference_derivative if derivative else spec.reference
    kwargs = {**spec.defaults(), **overrides}
    with mpmath.workdps(40):
        v = oracle(mpmath, mpmath.mpf(x), **kwargs)
        if mpmath.isnan(v):  # no limit (the sine at +-inf)
            return math.nan
        return float(v) if mpmath.isfinite(v) else (math.inf if v > 0 else -math.inf)


def rounded(value: float, dtype) -> float:
    """``value`` rounded to ``dtype`` (overflow gives ±inf), back as a float."""
    with np.errstate(over="ignore"):
        return float(np.asarray(value, np.float64).astype(jnp.dtype(dtype)))


def derivative_is_constant(spec, **overrides: Any) -> bool:
    """True when the oracle's derivative does not depend on x (identity, binary step)."""
    points = (-7.5, -1.25, 0.0, 0.75, 3.5, 9.0)
    return len({reference(spec, p, True, **overrides) for p in points}) == 1


def finite_values(dtype) -> list[float]:
    """±1e3, ±1e30 and ±max where the dtype holds them."""
    big = float(jnp.finfo(dtype).max)
    xs = [v for v in (1e3, 1e30) if v < big] + [big]
    return sorted([-v for v in xs] + xs)


JAX_NAMES = {s.name: s.equivalents.jax.removeprefix("jax.nn.") for s in ALL if s.equivalents.jax}


def x64(test: Callable[..., Any]) -> Callable[..., Any]:
    """Run ``test`` with 64-bit types on (float64 inputs stay float64), like a module whose
    every test needs them; pytest still sees the test's own parameters."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> Any:
        with jax.enable_x64(True):
            return test(*args, **kwargs)

    return run


def grad(name: str):
    """f' of the registered function ``name``."""
    return jax.grad(jaxact.get(name).fn)


def hess(name: str):
    """f'' of the registered function ``name``."""
    return jax.grad(jax.grad(jaxact.get(name).fn))
