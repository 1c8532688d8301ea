"""Shared by ``test_properties`` and ``test_accuracy``: the registry's cases and their evaluation.

A *case* is an elementwise activation with one set of parameters: the defaults, and then each
parameter's ``plot_values`` in turn (the others at their defaults). Both test files iterate over
:func:`cases`, so a newly registered function is tested with no new test code.

:func:`evaluate` computes ``f``, ``f'`` and ``f''`` (``jax.grad`` and ``jax.grad`` of it) in one
compiled call. Real parameters are passed traced and the input in fixed-size chunks, so there is
one compilation per function, dtype and choice of its discrete parameters, shared by both test
files (compilation, not arithmetic, is what costs time on a small machine).
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
from pathlib import Path
from typing import Any

import jax
import jax.numpy as jnp
import mpmath
import numpy as np

import jaxact
from benchmarks import _ulp, accuracy  # noqa: F401  (re-exported for the tests)
from jaxact import ActivationSpec, Interval

ROOT = Path(__file__).resolve().parents[1]

DPS = 50
"""mpmath working precision (decimal digits), as ``benchmarks/accuracy.py``."""
CHUNK = 4096
"""Inputs are evaluated in chunks of this many points (one compiled shape)."""


@dataclasses.dataclass(frozen=True)
class Case:
    """One elementwise activation with one set of parameter values."""

    spec: ActivationSpec
    params: tuple[tuple[str, Any], ...]
    """All parameters with a default, in the spec's order (one of them maybe changed)."""
    changed: str | None = None
    """The parameter set to a non-default ``plot_values`` entry, or ``None``."""
    drawn: bool = False
    """Every real parameter drawn at random (:func:`random_cases`)."""

    @property
    def kwargs(self) -> dict[str, Any]:
        return dict(self.params)

    @property
    def is_default(self) -> bool:
        return self.changed is None

    @property
    def label(self) -> str:
        """``elu`` for the defaults, ``elu[alpha=0.5]`` for a plotted value."""
        if self.changed is None:
            return self.spec.name
        if self.drawn:
            values = ", ".join(f"{k}={v!r}" for k, v in self.params if isinstance(v, float))
            return f"{self.spec.name}[{values}]"
        return f"{self.spec.name}[{self.changed}={self.kwargs[self.changed]!r}]"

    def __str__(self) -> str:
        return self.label


def cases(specs: tuple[ActivationSpec, ...]) -> list[Case]:
    """The defaults of each spec, then each parameter's plotted values that are not its default."""
    out = []
    for spec in specs:
        defaults = spec.defaults()
        out.append(Case(spec, tuple(defaults.items())))
        for p in spec.params:
            for v in p.plot_values:
                if p.name in defaults and _same(v, defaults[p.name]):
                    continue
                out.append(Case(spec, tuple({**defaults, p.name: v}.items()), changed=p.name))
    return out


def _same(a: Any, b: Any) -> bool:
    """Equal values, a flag never equal to a number (b=4 and b=4.0 are the same)."""
    return isinstance(a, bool) == isinstance(b, bool) and a == b


def _is_static(spec: ActivationSpec, name: str, value: Any) -> bool:
    """Discrete parameters (choices, flags, integers without an interval) are compiled in."""
    param = next((p for p in spec.params if p.name == name), None)
    return isinstance(value, bool) or param is None or not isinstance(param.valid, Interval)


@functools.cache
def _compiled(name: str, static: tuple[tuple[str, Any], ...]) -> Any:
    fn = jaxact.get(name).fn

    def f(v: jax.Array, traced: dict[str, jax.Array]) -> jax.Array:
        return fn(v, **dict(static), **traced)

    def d1(v: jax.Array, traced: dict[str, jax.Array]) -> jax.Array:
        # Elementwise: the gradient of the sum is the derivative at every point.
        return jax.grad(lambda u: jnp.sum(f(u, traced)))(v)

    def d2(v: jax.Array, traced: dict[str, jax.Array]) -> jax.Array:
        return jax.grad(lambda u: jnp.sum(d1(u, traced)))(v)

    return jax.jit(lambda v, traced: (f(v, traced), d1(v, traced), d2(v, traced)))


def evaluate(case: Case, x: Any, dtype: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(f, f', f'')`` of ``case`` on the points ``x`` rounded to ``dtype`` (numpy arrays).

    float64 needs ``jax.enable_x64``; the caller decides (the test modules' fixtures).
    """
    dtype = np.dtype(dtype)
    static = tuple((k, v) for k, v in case.params if _is_static(case.spec, k, v))
    traced = {k: np.asarray(v, dtype) for k, v in case.params if not _is_static(case.spec, k, v)}
    return chunked(_compiled(case.spec.name, static), x, dtype, traced)


def chunked(run: Any, x: Any, dtype: Any, *args: Any) -> tuple[np.ndarray, ...]:
    """``run(x_chunk, *args)`` over ``x`` in chunks of :data:`CHUNK` (one compiled shape),
    each output as one numpy array of ``x``'s length."""
    dtype = np.dtype(dtype)
    if dtype == np.float64 and not jax.config.jax_enable_x64:
        raise RuntimeError("float64 needs jax.enable_x64(True)")
    x = np.asarray(x, dtype=np.float64).astype(dtype).ravel()
    n = x.size
    padded = np.zeros(-(-max(n, 1) // CHUNK) * CHUNK, dtype)
    padded[:n] = x
    parts: list[list[np.ndarray]] = []
    for start in range(0, padded.size, CHUNK):
        outs = run(jnp.asarray(padded[start : start + CHUNK]), *args)
        parts = parts or [[] for _ in outs]
        for part, out in zip(parts, outs, strict=True):
            assert out.dtype == dtype, f"{out.dtype} out for {dtype} in"
            part.append(np.asarray(out))
    return tuple(np.concatenate(p)[:n] for p in parts)


def _oracle_fn(spec: ActivationSpec, which: str) -> Any:
    fn = spec.reference if which == "f" else spec.reference_derivative
    if fn is None:
        raise ValueError(f"{spec.name}: no reference for {which}")
    return fn


def _accepted(fn: Any, params: dict[str, Any]) -> dict[str, Any]:
    """An oracle may leave out parameters that do not change its value (as accuracy.py)."""
    accepted = inspect.signature(fn).parameters
    if any(p.kind is p.VAR_KEYWORD for p in accepted.values()):
        return params
    return {k: v for k, v in params.items() if k in accepted}


def reference(case: Case, which: str, x: float) -> mpmath.mpf:
    """The exact ``f(x)`` (``which="f"``) or ``f'(x)`` (``"df"``) from the registry's oracle."""
    fn = _oracle_fn(case.spec, which)
    with mpmath.workdps(DPS):
        return fn(mpmath.mp, mpmath.mpf(x), **_accepted(fn, case.kwargs))


def beyond_bar(case: Case, which: str, x: np.ndarray, got: np.ndarray, dtype: Any) -> dict:
    """The points of ``x`` where ``got`` is more than 4 ULP from the oracle's ``which``
    (``"f"`` or ``"df"``), by the harness's rule (floor included): ``{x: (got, exact)}``."""
    with mpmath.workdps(DPS):
        hi, lo = _ulp.split_reference([reference(case, which, v) for v in x.tolist()])
    err = _ulp.ulp_error(got, hi, lo, dtype, _ulp.FLOORS[dtype])
    return {
        float(v): (float(g), float(h))
        for v, g, h, e in zip(x, got, hi, err, strict=True)
        if not e <= 4
    }


@functools.cache
def _critical_points(case: Case) -> tuple[float, ...]:
    fn = _oracle_fn(case.spec, "df")
    kw = _accepted(fn, case.kwargs)
    with mpmath.workdps(30):
        d = lambda t: fn(mpmath.mp, mpmath.mpf(t), **kw)  # noqa: E731
        grid = np.linspace(-40.0, 40.0, 801)
        signs = np.array([float(mpmath.sign(d(t))) for t in grid])
        nonzero = np.nonzero(signs)[0]
        out = []
        for i, j in zip(nonzero[:-1], nonzero[1:], strict=True):
            if signs[i] == signs[j] or j > i + 2:
                continue  # no sign change, or a flat stretch of zeros (relu-like), not a point
            a, b = mpmath.mpf(grid[i]), mpmath.mpf(grid[j])
            while b - a > mpmath.mpf(2) ** -60:  # bisection: kinks make Newton unreliable
                m = (a + b) / 2
                s = mpmath.sign(d(m))
                if s == 0:
                    a = b = m
                elif s == signs[i]:
                    a = m
                else:
                    b = m
            out.append(float((a + b) / 2))
    return tuple(out)


def critical_points(case: Case) -> tuple[float, ...]:
    """Interior sign changes of the exact ``f'`` on [-40, 40] (from the oracle, bisected).

    For the defaults, the registry's ``critical_points`` must list these (test_properties
    checks it); for other parameter values they move (silu's scales with 1/beta), so the
    accuracy floor uses the computed ones.
    """
    return _critical_points(case)


LOG2_SPAN = 20
"""Random parameters: magnitudes log-uniform over [2^-20, 2^20] for half of the draws."""
TYPICAL = 8.0
"""... and uniform over [0, 8] (beyond the interval's lower end) for the other half."""


def draw(valid: Interval, rng: np.random.Generator, dtype: Any) -> float:
    """One value of ``valid`` rounded to ``dtype``: uniform where both ends are finite, else
    half of the time a typical size and half of the time a magnitude anywhere in 2^±20 (a
    random sign where the interval is unbounded below). Open ends are never returned."""
    while True:
        if valid.bounded_below and valid.bounded_above:
            v = rng.uniform(valid.lo, valid.hi)
        else:
            if rng.random() < 0.5:
                size = rng.uniform(0.0, TYPICAL)
            else:
                size = 2.0 ** rng.uniform(-LOG2_SPAN, LOG2_SPAN)
            if valid.bounded_below:
                v = valid.lo + size
            elif valid.bounded_above:
                v = valid.hi - size
            else:
                v = size if rng.random() < 0.5 else -size
        v = float(np.asarray(v, dtype))
        if v in valid:
            return v


def random_cases(spec: ActivationSpec, n: int, dtype: Any, seed: int = 0) -> list[Case]:
    """``n`` cases of ``spec`` with every real parameter (an :class:`Interval`) drawn at once
    by :func:`draw`, seeded by the function's name, ``seed`` and the dtype."""
    real = [p for p in spec.params if isinstance(p.valid, Interval)]
    if not real:
        return []
    key = [seed, np.dtype(dtype).itemsize, *spec.name.encode()]
    rng = np.random.default_rng(key)
    out = []
    for _ in range(n):
        values = {p.name: draw(p.valid, rng, dtype) for p in real}
        params = tuple((k, values.get(k, v)) for k, v in spec.defaults().items())
        params += tuple((k, v) for k, v in values.items() if k not in spec.defaults())
        out.append(Case(spec, params, changed=real[0].name, drawn=True))
    return out
