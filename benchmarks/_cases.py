"""What the harnesses measure: every registered function with its registry defaults, and the
extra cases of ``EXTRA_CASES``, each the same function with other named parameters.

A function's own record is named after it (``entmax``); an extra case is named after its
parameters, ``entmax[alpha=1.25]``, and is measured, stored and drawn like a function of that
name. ``--functions entmax`` measures the function and its cases, ``--functions
'entmax[alpha=1.25]'`` that case alone. Adding a case is one line of ``EXTRA_CASES``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

import jax.numpy as jnp

import jaxact
from jaxact import ActivationSpec


@dataclasses.dataclass(frozen=True)
class AsArray:
    """A parameter passed to the jitted function as an array argument, as a learned parameter
    is, instead of a number the compiler folds into the program (entmax's ``alpha``: a number
    1.5 takes entmax15's exact path; an array takes the bisection, whatever its value)."""

    value: float


EXTRA_CASES: dict[str, tuple[dict[str, Any], ...]] = {
    # Keras's options together: leaky below the threshold, capped above max_value.
    "relu": ({"negative_slope": 0.1, "max_value": 6.0, "threshold": 0.5},),
    # PyTorch's beta and threshold (the identity above beta * x > threshold).
    "softplus": ({"beta": 2.0, "threshold": 20.0},),
    "hard_tanh": ({"min_val": -2.0, "max_val": 3.0},),
    "softmax": ({"temperature": 0.5},),
    # Any alpha but a number 1.5 is the bisection; alpha as an array is another program again.
    "entmax": ({"alpha": 1.25}, {"alpha": AsArray(1.25)}),
}
"""Per registered name, the extra cases: the parameters that differ from the defaults."""


def _number(v: Any) -> str:
    if isinstance(v, AsArray):
        return f"array({_number(v.value)})"
    return f"{v:g}" if isinstance(v, float) else str(v)


@dataclasses.dataclass(frozen=True)
class Case:
    """One function measured with one set of parameters: the registry's defaults updated by
    ``overrides`` (none for the function's own record)."""

    spec: ActivationSpec
    overrides: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def name(self) -> str:
        """``entmax`` for the defaults, ``entmax[alpha=1.25]`` for a case."""
        if not self.overrides:
            return self.spec.name
        inner = ",".join(f"{k}={_number(v)}" for k, v in self.overrides.items())
        return f"{self.spec.name}[{inner}]"

    @property
    def params(self) -> dict[str, Any]:
        """Every parameter's value (an array parameter by its value): the record's ``params``."""
        merged = {**self.spec.defaults(), **self.overrides}
        return {k: v.value if isinstance(v, AsArray) else v for k, v in merged.items()}

    @property
    def arrays(self) -> tuple[str, ...]:
        """The parameters passed as array arguments."""
        return tuple(k for k, v in self.overrides.items() if isinstance(v, AsArray))

    @property
    def critical_points(self) -> tuple[float, ...]:
        """The registry's critical points (interior zeros of f′, where the derivative is not
        held to a relative bar) are those of the defaults: a case, whose zeros may move, has
        none, so its derivative is scored relative everywhere."""
        return () if self.overrides else tuple(self.spec.critical_points)

    def bind(self, params: Mapping[str, Any], dtype: Any) -> tuple[Callable[..., Any], tuple]:
        """``(fn, args)``: ``fn(x, *args)`` is the function with ``params``, the array
        parameters among them taken from ``args`` (arrays of ``dtype``)."""
        arrays = [k for k in self.arrays if k in params]
        fixed = {k: v for k, v in params.items() if k not in arrays}
        spec = self.spec

        def fn(x: Any, *values: Any) -> Any:
            return spec.fn(x, **fixed, **dict(zip(arrays, values, strict=True)))

        return fn, tuple(jnp.asarray(params[k], dtype) for k in arrays)


def base_name(name: str) -> str:
    """The registered function of a record: ``entmax`` for ``entmax[alpha=1.25]``."""
    return name.split("[", 1)[0]


def cases(*, elementwise_only: bool = False) -> list[Case]:
    """Every registered activation (only the elementwise ones, with ``elementwise_only``) in
    the order of ``jaxact.names()``, each followed by its extra cases."""
    out = []
    for spec in jaxact.specs():
        if spec.elementwise or not elementwise_only:
            out.append(Case(spec))
            out += [Case(spec, overrides) for overrides in EXTRA_CASES.get(spec.name, ())]
    return out


def select(all_cases: list[Case], names: list[str] | None) -> list[Case]:
    """The cases named in ``names`` (a function's name selects it and its extra cases; all
    without ``names``); a name that is neither is an error."""
    if not names:
        return all_cases
    known = {c.name for c in all_cases} | {c.spec.name for c in all_cases}
    unknown = sorted(set(names) - known)
    if unknown:
        raise SystemExit(f"--functions: not benchmarked here: {', '.join(unknown)}")
    return [c for c in all_cases if c.name in names or c.spec.name in names]
