"""ULP error of f and f' for jaxact, jax.nn and PyTorch (CPU, when importable) against mpmath.

For every registered elementwise activation and each elementwise extra case of
``benchmarks._cases`` (the same function with other parameters, such as
``softplus[beta=2,threshold=20]``), with jax.nn and PyTorch where they have it and take the
case's parameters (jaxact alone where neither does, against its mpmath oracle
``spec.reference``), over a grid that spans all finite inputs of float32 and float64 (a dense
grid on [-40, 40] plus log-spaced magnitudes from the smallest normal number to the largest
finite one, both signs), this measures the error of each library's value and derivative with the
rule in :mod:`benchmarks._ulp`. All libraries are called with jaxact's default parameters where
they take the same parameter (torch modules keep their own defaults otherwise, e.g. Softplus's
threshold). The derivative at a kink (relu at 0) is a convention, not a value, and is not
scored.

mpmath is slow, so reference values are cached in ``.cache/accuracy/`` keyed on the grid, the
function, its parameters, the reference's source and the working precision.

Run from the repository root::

    python -m benchmarks.accuracy
    python -m benchmarks.accuracy --dense 2001 --log-points 500 --functions sigmoid
    python -m benchmarks.accuracy --functions tanh_shrink threshold --update
    python -m benchmarks.accuracy --functions 'softplus[beta=2,threshold=20]' --update

It writes ``benchmarks/results/accuracy.json``; with ``--update`` it re-measures only the named
functions and keeps the other entries of the file (the grid must be the same). Each entry
records its date, and the file lists its runs (date, functions, libraries, versions).
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import json
import os
import time
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import mpmath
import numpy as np

from benchmarks import _cases, _common, _ulp

DTYPES = ("float32", "float64")
JAXACT, JAXNN, TORCH = "jaxact", "jax.nn", "torch"
CACHE_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), ".cache",
                         "accuracy")  # fmt: skip
NOTES = (
    "Error in ULP: |got - ref| / ulp(max(|ref|, floor)), floor 2^-100 (float32) / 2^-960 "
    "(float64), 0.25 within 0.5 of an interior zero of f' or of f (away from 0). Non-finite: "
    "results that are inf or "
    "NaN where the true value, rounded to the dtype, is finite. Inputs where the truth overflows "
    "the dtype are not scored, nor derivatives at kinks (a documented convention). f' is "
    "jax.grad for jaxact and jax.nn and autograd for torch. Curves hold the largest error in "
    "each bin of log10|x| (null: a non-finite result in the bin)."
)


def make_grid(dtype: str, n_dense: int, n_log: int) -> np.ndarray:
    """Sorted distinct inputs of ``dtype`` (as float64): dense on [-40, 40], log-spaced beyond."""
    info = np.finfo(dtype)
    dense = np.linspace(-40.0, 40.0, n_dense)
    with np.errstate(over="ignore"):  # the last magnitude may round past max: dropped below
        mags = np.logspace(np.log10(float(info.tiny)), np.log10(float(info.max)), n_log)
        grid = np.concatenate([dense, mags, -mags, [0.0, float(info.max), -float(info.max)]])
        grid = grid.astype(dtype)
    return np.unique(grid[np.isfinite(grid)]).astype(np.float64)


def _source(fn: Callable | None) -> str:
    if fn is None:
        return ""
    try:
        return inspect.getsource(fn)
    except (OSError, TypeError):
        return repr(fn)


def reference_values(
    spec: Any,
    x: np.ndarray,
    which: str,
    params: dict[str, Any],
    dps: int,
    cache_dir: str = CACHE_DIR,
) -> dict[str, np.ndarray]:
    """Exact ``f`` (or ``f'``) on ``x`` as double-doubles, from the cache or from mpmath.

    For ``f'`` also a mask of kinks: points where the one-sided derivatives disagree.
    """
    fn = spec.reference if which == "f" else spec.reference_derivative
    key = hashlib.sha256(
        json.dumps([spec.name, which, params, dps, _source(fn)], default=str).encode() + x.tobytes()
    ).hexdigest()[:24]
    path = os.path.join(cache_dir, f"{spec.name}-{which}-{key}.npz")
    if os.path.exists(path):
        with np.load(path) as cached:
            return dict(cached)
    if fn is None:  # no closed-form derivative in the registry: differentiate the value
        fn = lambda mp, v, **kw: mp.diff(lambda t: spec.reference(mp, t, **kw), v)  # noqa: E731
    else:  # an oracle may leave out parameters that do not change this value
        accepted = inspect.signature(fn).parameters
        if not any(p.kind is p.VAR_KEYWORD for p in accepted.values()):
            params = {k: v for k, v in params.items() if k in accepted}
    with mpmath.workdps(dps):
        values = [fn(mpmath.mp, mpmath.mpf(v), **params) for v in x]
        hi, lo = _ulp.split_reference(values)
        kink = np.zeros(x.shape, dtype=bool)
        if which == "df":
            # One-sided limits a hair away; only where kinks can be (the dense range).
            eps = mpmath.mpf(2) ** (-dps * 3)
            for i in np.nonzero(np.abs(x) <= 40)[0]:
                v = mpmath.mpf(x[i])
                left = fn(mpmath.mp, v - eps * max(1, abs(v)), **params)
                right = fn(mpmath.mp, v + eps * max(1, abs(v)), **params)
                kink[i] = abs(left - right) > mpmath.mpf(2) ** -40 * (1 + abs(values[i]))
    os.makedirs(cache_dir, exist_ok=True)
    np.savez(path, hi=hi, lo=lo, kink=kink)
    return {"hi": hi, "lo": lo, "kink": kink}


def _value_zero_floor(x: np.ndarray, exact: np.ndarray, floor: np.ndarray) -> np.ndarray:
    """``floor`` raised to 0.25 within 0.5 of an interior zero of f away from the origin
    (xIELU's, where its two terms cancel): as at a zero of f', a relative error means nothing
    there. A zero is a sign change of the exact value between neighbours of the dense range
    whose values are both small (a jump across 0 is not a zero); a zero at x = 0 keeps the
    relative bar, since f ~ f'(0) x there."""
    order = np.argsort(x)
    xs, fs = x[order], exact[order]
    a, b = xs[:-1], xs[1:]
    change = (np.sign(fs[:-1]) * np.sign(fs[1:]) < 0) & (np.abs(a) <= 40) & (np.abs(b) <= 40)
    change &= (a > 0) | (b < 0)  # not across the origin
    change &= np.abs(fs[:-1]) + np.abs(fs[1:]) < 0.1
    out = np.array(floor, dtype=np.float64)
    for z in (a[change] + b[change]) / 2:
        out = np.where(np.abs(x - z) < _ulp.CRITICAL_RADIUS, _ulp.CRITICAL_FLOOR, out)
    return out


def _jax_pair(fn: Callable, bind: Callable[[Any], tuple] = lambda dtype: ()) -> tuple:
    """``(f, f')`` on numpy arrays; ``bind(dtype)`` gives the array parameters of ``fn``."""
    value = jax.jit(fn)
    # Elementwise: the gradient of the sum is the derivative at every point.
    derivative = jax.jit(jax.grad(lambda v, *args: jnp.sum(fn(v, *args))))
    return (
        lambda x: np.asarray(value(x, *bind(x.dtype))),
        lambda x: np.asarray(derivative(x, *bind(x.dtype))),
    )


def _torch_pair(torch: Any, fn: Callable) -> tuple[Callable, Callable]:
    def value(x: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            return fn(torch.from_numpy(x)).numpy()

    def derivative(x: np.ndarray) -> np.ndarray:
        t = torch.from_numpy(x).requires_grad_(True)
        fn(t).sum().backward()
        return t.grad.numpy()

    return value, derivative


def _jaxact_pair(case: _cases.Case, params: dict[str, Any]) -> tuple[Callable, Callable]:
    fn, _ = case.bind(params, np.float32)
    return _jax_pair(fn, lambda dtype: case.bind(params, dtype)[1])


def libraries(case: _cases.Case, torch: Any | None) -> dict[str, tuple[Callable, Callable]]:
    """``{library: (f, f')}`` on numpy arrays, for the libraries that have this function
    and take the parameters an extra case sets (jaxact always, with the case's parameters;
    jax.nn with the parameters both take)."""
    spec = case.spec
    jax_nn = _common.jax_equivalent(spec)
    out = {JAXACT: _jaxact_pair(case, case.params)}
    if jax_nn is not None and _common.takes_all(jax_nn, case.overrides):
        params = _common.shared_params(spec, jax_nn, case.params)
        out = {
            JAXACT: _jaxact_pair(case, params),
            JAXNN: _jax_pair(lambda v: jax_nn(v, **params)),
        }
    torch_fn = _common.torch_equivalent(spec, torch, case.params, set(case.overrides))
    if torch_fn is not None:
        out[TORCH] = _torch_pair(torch, torch_fn)
    return out


def bin_edges(dtype: str, n_bins: int) -> np.ndarray:
    """Edges in log10|x|: a fifth of the bins on each far side, the rest on [1e-3, 1e3].

    The errors that matter most (tails of sigmoid', cancellation near 0) live in a few decades
    around 1, so those get fine bins and the hundreds of decades beyond get coarse ones.
    """
    info = np.finfo(dtype)
    outer = max(1, n_bins // 5)
    inner = max(1, n_bins - 2 * outer)
    lo, hi = np.log10(float(info.tiny)), np.log10(float(info.max))
    return np.concatenate(
        [
            np.linspace(lo, -3, outer + 1)[:-1],
            np.linspace(-3, 3, inner + 1),
            np.linspace(3, hi, outer + 1)[1:],
        ]
    )


def _bins(x: np.ndarray, dtype: str, n_bins: int) -> tuple[np.ndarray, np.ndarray]:
    """Bin index of every point (by sign and log10|x|) and the signed bin centres."""
    edges = bin_edges(dtype, n_bins)
    n_bins = len(edges) - 1
    centres = 10 ** ((edges[:-1] + edges[1:]) / 2)
    with np.errstate(divide="ignore"):
        mag = np.log10(np.abs(x))
    idx = np.clip(np.searchsorted(edges, mag, side="right") - 1, 0, n_bins - 1)
    idx = np.where(x < 0, n_bins - 1 - idx, n_bins + idx)  # negatives first, ascending x
    return idx, np.concatenate([-centres[::-1], centres])


def curve(err: np.ndarray, idx: np.ndarray, n: int) -> list[float | None]:
    """Largest error per bin, 3 significant digits; ``None`` for a non-finite result."""
    out: list[float | None] = []
    for b in range(n):
        e = err[(idx == b) & ~np.isnan(err)]
        if e.size == 0:
            out.append(0.0)
        elif np.isinf(e).any():
            out.append(None)
        else:
            out.append(float(f"{e.max():.3g}"))
    return out


def _summary(err: np.ndarray, x: np.ndarray) -> dict[str, Any]:
    finite = np.isfinite(err)
    worst = int(np.argmax(np.where(finite, err, -1.0))) if finite.any() else None
    return {
        "max_ulp": float(err[worst]) if worst is not None else None,
        "worst_x": float(x[worst]) if worst is not None else None,
        "nonfinite": int(np.isinf(err).sum()),
        "not_scored": int(np.isnan(err).sum()),
    }


def measure(
    case: _cases.Case, dtype: str, x: np.ndarray, torch: Any | None, settings: argparse.Namespace
) -> dict[str, Any]:
    """Errors of every library for one function or extra case and dtype: summaries and binned
    curves."""
    spec, params = case.spec, case.params
    idx, centres = _bins(x, dtype, settings.bins)
    refs = {
        w: reference_values(spec, x, w, params, settings.dps, settings.cache_dir)
        for w in ("f", "df")
    }
    floor = {
        "f": _value_zero_floor(x, refs["f"]["hi"], _ulp.floors(x, dtype, derivative=False)),
        "df": _ulp.floors(x, dtype, case.critical_points, derivative=True),
    }
    xs = x.astype(dtype)
    out: dict[str, Any] = {}
    for lib, pair in libraries(case, torch).items():
        entry: dict[str, Any] = {}
        for which, evaluate in zip(("f", "df"), pair, strict=True):
            got = evaluate(xs)
            ref = refs[which]
            err = _ulp.ulp_error(got, ref["hi"], ref["lo"], dtype, floor[which])
            err = np.where(ref["kink"], np.nan, err)
            entry[which] = _summary(err, x)
            entry[f"curve_{which}"] = curve(err, idx, len(centres))
        out[lib] = entry
    return out


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dense", type=int, default=16001, help="points on [-40, 40]")
    parser.add_argument("--log-points", type=int, default=3000, help="log-spaced |x| per sign")
    parser.add_argument("--bins", type=int, default=150, help="curve bins per sign")
    parser.add_argument("--dps", type=int, default=50, help="mpmath decimal digits")
    parser.add_argument(
        "--functions",
        nargs="+",
        help="only these jaxact names (with their extra cases) or cases, e.g. 'softplus[beta=2,"
        "threshold=20]'",
    )
    parser.add_argument("--no-torch", action="store_true", help="skip PyTorch even if present")
    parser.add_argument("--cache-dir", default=CACHE_DIR, help="mpmath reference cache")
    parser.add_argument(
        "--update",
        "--merge",
        dest="update",
        action="store_true",
        help="re-measure only --functions, keep the other entries of --out",
    )
    parser.add_argument(
        "--out", default=os.path.join(_common.RESULTS_DIR, "accuracy.json"), help="results file"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    settings = parse_args(argv)
    jax.config.update("jax_enable_x64", True)
    torch = None if settings.no_torch else _common.import_torch()
    cases = _cases.select(_cases.cases(elementwise_only=True), settings.functions)
    date = _common.now_utc()
    grids = {d: make_grid(d, settings.dense, settings.log_points) for d in DTYPES}
    functions: dict[str, Any] = {}
    for case in cases:
        start = time.perf_counter()
        functions[case.name] = {
            "params": case.params,
            "critical_points": list(case.critical_points),
            "dtypes": {d: measure(case, d, grids[d], torch, settings) for d in DTYPES},
            "date": date,
        }
        print(f"  {case.name}: {time.perf_counter() - start:.1f} s")
    libs = _common.library_union(*(f["dtypes"]["float32"] for f in functions.values()))
    results = {
        "schema": _common.SCHEMA_VERSION,
        "kind": "accuracy",
        "date": date,
        "machine": _common.machine_info(),
        "versions": _common.versions(torch),
        "settings": {
            "dense": settings.dense,
            "log_points": settings.log_points,
            "bins": settings.bins,
            "dps": settings.dps,
            "floors": _ulp.FLOORS,
            "critical_floor": _ulp.CRITICAL_FLOOR,
            "critical_radius": _ulp.CRITICAL_RADIUS,
            "command": "python -m benchmarks.accuracy",
        },
        "notes": NOTES,
        "libraries": libs,
        "grid": {
            d: {
                "points": int(grids[d].size),
                "bin_centres": _bins(grids[d], d, settings.bins)[1].tolist(),
            }  # fmt: skip
            for d in DTYPES
        },
        "functions": functions,
        "runs": [_common.run_record(date, list(functions), libs, torch)],
    }
    if settings.update and os.path.exists(settings.out):
        results = merge(results, settings.out)
    results["summary"] = summarize(results["functions"], results["libraries"])
    print(format_table(results))
    _common.write_results(results, settings.out, compact=True)
    return results


def merge(new: dict[str, Any], path: str) -> dict[str, Any]:
    """``new`` plus the functions of ``path`` that ``new`` did not measure (same grid only: the
    curves share the file's bins). Libraries may differ between runs (torch importable in one,
    not in another): each entry holds the ones it was measured with."""
    with open(path) as f:
        old = json.load(f)
    same = ("dense", "log_points", "bins", "dps")
    differ = [k for k in same if old["settings"][k] != new["settings"][k]]
    if differ:
        raise SystemExit(f"--update: {', '.join(differ)} differ from {path}; re-run everything")
    merged = {**old["functions"], **new["functions"]}
    order = [c.name for c in _cases.cases(elementwise_only=True)]
    new["functions"] = {n: merged[n] for n in order if n in merged}
    for entry in new["functions"].values():  # entries from before dates were recorded
        entry.setdefault("date", old["date"])
    new["runs"] = _common.merge_runs(old, new)
    new["libraries"] = _common.library_union(old["libraries"], new["libraries"])
    return new


def summarize(functions: dict[str, Any], libs: list[str]) -> dict[str, Any]:
    """Worst error per library and dtype over all functions (value and derivative)."""
    out: dict[str, Any] = {}
    for lib in libs:
        out[lib] = {}
        for d in DTYPES:
            cell: dict[str, Any] = {}
            for which in ("f", "df"):
                rows = [
                    (name, f["dtypes"][d][lib][which])
                    for name, f in functions.items()
                    if lib in f["dtypes"][d]
                ]
                scored = [(n, r) for n, r in rows if r["max_ulp"] is not None]
                worst = max(scored, key=lambda nr: nr[1]["max_ulp"], default=None)
                cell[which] = {
                    "max_ulp": None if worst is None else worst[1]["max_ulp"],
                    "function": None if worst is None else worst[0],
                    "nonfinite": sum(r["nonfinite"] for _, r in rows),
                }
            out[lib][d] = cell
    return out


def format_table(results: dict[str, Any]) -> str:
    libs = results["libraries"]
    lines = []
    for d in DTYPES:
        width = max(14, *(len(name) + 2 for name in results["functions"]))
        head = f"{d:<{width}}" + "".join(f"{lib + ' f / df / nonfinite':>34}" for lib in libs)
        lines += [head, "-" * len(head)]
        for name, f in results["functions"].items():
            row = f"{name:<{width}}"
            for lib in libs:
                e = f["dtypes"][d].get(lib)
                if e is None:
                    row += f"{'-':>34}"
                    continue
                worst = " / ".join(_common.ulp_text(e[w]["max_ulp"]) for w in ("f", "df"))
                cell = f"{worst} / {e['f']['nonfinite'] + e['df']['nonfinite']}"
                row += f"{cell:>34}"
            lines.append(row)
    return "\n".join(lines)


if __name__ == "__main__":
    main()
