"""What both harnesses share: the functions to compare, how each library is called, and the
record of the machine and versions that every results file carries.

The set of functions is the registry (every registered activation; ``spec.equivalents`` says
which libraries it is compared with), never listed by hand, so a newly registered activation is
benchmarked without touching this code: ``--functions <name> --update`` adds its rows.
"""

from __future__ import annotations

import datetime
import inspect
import json
import os
import platform
import sys
from collections.abc import Callable
from typing import Any

import jax
import numpy as np

import jaxact
from jaxact import ActivationSpec

RESULTS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")
SCHEMA_VERSION = 1

# jax spells some jaxact parameters differently, or not at all; torch's module constructors
# take their own names. Only parameters that exist on both sides are passed on.
_TORCH_PARAM_NAMES = {"lambd": "lambd", "negative_slope": "negative_slope", "alpha": "alpha"}


def benchmarked_specs(*, elementwise_only: bool = False) -> list[ActivationSpec]:
    """Every registered activation (only the elementwise ones, with ``elementwise_only``), in
    the order of ``jaxact.names()``: those jax.nn lacks too, measured without its column."""
    return [s for s in jaxact.specs() if s.elementwise or not elementwise_only]


def shared_specs(*, elementwise_only: bool = False) -> list[ActivationSpec]:
    """The benchmarked activations that jax.nn also has."""
    return [s for s in benchmarked_specs(elementwise_only=elementwise_only) if jax_equivalent(s)]


def jax_equivalent(spec: ActivationSpec) -> Callable[..., Any] | None:
    """The jax.nn function named in ``spec.equivalents.jax``, or ``None``."""
    name = spec.equivalents.jax
    if not name or not name.startswith("jax.nn.") or "(" in name:
        return None
    return getattr(jax.nn, name.removeprefix("jax.nn."), None)


def _accepted(other: Callable[..., Any]) -> Any:
    try:
        return inspect.signature(other).parameters
    except (TypeError, ValueError):
        return {}


def shared_params(
    spec: ActivationSpec, other: Callable[..., Any], params: dict[str, Any] | None = None
) -> dict[str, Any]:
    """jaxact's parameters (``params``, the registry's defaults without it) that ``other``
    also accepts, by name.

    Both libraries are then called with the same values: jax.nn.gelu defaults to the tanh
    form, jaxact's gelu may not, and comparing two different functions would be meaningless.
    """
    accepted = _accepted(other)
    values = spec.defaults() if params is None else params
    return {k: v for k, v in values.items() if k in accepted}


def takes_all(other: Callable[..., Any], names: Any) -> bool:
    """Whether ``other`` accepts every parameter in ``names`` (an extra case's own ones): a
    peer that lacks one of them computes another function, and is not compared."""
    accepted = _accepted(other)
    return all(name in accepted for name in names)


def import_torch() -> Any | None:
    """PyTorch if importable, else ``None`` (it is optional: a message says it was skipped)."""
    try:
        import torch
    except ImportError:
        print("torch is not importable: PyTorch columns skipped (pip install torch to add them)")
        return None
    return torch


def torch_equivalent(
    spec: ActivationSpec,
    torch: Any,
    params: dict[str, Any] | None = None,
    required: set[str] | frozenset[str] = frozenset(),
) -> Callable[[Any], Any] | None:
    """A callable ``x -> y`` on torch tensors for ``spec.equivalents.torch``, or ``None``.

    The registry names either a module class (``torch.nn.ELU``), built here with jaxact's
    parameters (``params``, the defaults without it) where the names agree, or an expression
    in ``x`` (``torch.heaviside(x, 1)``). ``None`` too where a parameter in ``required`` (an
    extra case's own) cannot be passed on: torch would compute another function.
    """
    text = spec.equivalents.torch
    values = spec.defaults() if params is None else params
    if torch is None or not text:
        return None
    if "(" in text:
        if required:
            return None
        return eval("lambda x: " + text, {"torch": torch})  # noqa: S307 - registry metadata
    obj: Any = torch
    for part in text.split(".")[1:]:
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    if isinstance(obj, type) and issubclass(obj, torch.nn.Module):
        accepted = inspect.signature(obj).parameters
        kwargs = {}
        for k, v in values.items():
            if k == "approximate" and "approximate" in accepted:
                kwargs[k] = "tanh" if v else "none"
            elif _TORCH_PARAM_NAMES.get(k) in accepted and isinstance(v, int | float):
                kwargs[_TORCH_PARAM_NAMES[k]] = v
        if "dim" in accepted and not spec.elementwise:
            # Softmax(dim=None) guesses the axis (and warns); jaxact acts on the last one.
            kwargs["dim"] = values.get("axis", -1)
        passed = set(kwargs) | {k for k in values if _TORCH_PARAM_NAMES.get(k) in kwargs}
        return obj(**kwargs) if set(required) <= passed else None
    return None if required else obj


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_info() -> dict[str, Any]:
    """Where the numbers were measured."""
    return {
        "platform": platform.platform(),
        "cpu_model": _cpu_model(),
        "cores": os.cpu_count(),
        "jax_backend": jax.default_backend(),
        "jax_devices": [str(d) for d in jax.devices()],
    }


def versions(torch: Any | None) -> dict[str, str | None]:
    import jaxlib

    try:
        import mpmath

        mpmath_version = mpmath.__version__
    except ImportError:
        mpmath_version = None
    return {
        "python": sys.version.split()[0],
        "jaxact": jaxact.__version__,
        "jax": jax.__version__,
        "jaxlib": jaxlib.__version__,
        "numpy": np.__version__,
        "mpmath": mpmath_version,
        "torch": None if torch is None else torch.__version__,
    }


def run_record(date: str, functions: list[str], libraries: list[str], torch: Any | None):
    """One run of a harness, as a results file lists its runs: when, what, with what."""
    return {
        "date": date,
        "functions": functions,
        "libraries": libraries,
        "cpu_model": _cpu_model(),
        "versions": versions(torch),
    }


def merge_runs(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """The runs of ``old`` (a file written before runs were listed counts as one run) that
    still hold a function ``new`` does not re-measure, then ``new``'s run."""
    if "runs" in old:
        runs = old["runs"]
    else:
        libraries, functions = old["libraries"], old["functions"]
        machine = old["machine"]["cpu_model"]
        runs = [{"date": old["date"], "functions": list(functions), "libraries": libraries,
                 "cpu_model": machine, "versions": old["versions"],
                 "settings": old["settings"]}]  # fmt: skip
    fresh = set(new["runs"][-1]["functions"])
    kept = []
    for run in runs:
        left = [f for f in run["functions"] if f not in fresh]
        if left:
            kept.append({**run, "functions": left})
    return kept + new["runs"]


def library_union(*lists: list[str]) -> list[str]:
    """The libraries of several runs, in the order jaxact, its peers, then torch."""
    seen = {lib for libs in lists for lib in libs}
    return [lib for lib in ("jaxact", "jax.nn", "torch") if lib in seen]


def now_utc() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_results(results: dict[str, Any], path: str, *, compact: bool = False) -> None:
    """Write a harness's results file (its folder made if missing), with a final newline:
    indented, or ``compact`` (no spaces: the accuracy file's curves are long)."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        json.dump(results, f, **({"separators": (",", ":")} if compact else {"indent": 1}))
        f.write("\n")
    print(f"wrote {path}")


def ulp_text(v: float | None) -> str:
    """A worst ULP figure for the harnesses' printed summaries (``-``: none measured)."""
    return "-" if v is None else f"{v:.3g}"
