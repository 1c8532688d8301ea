"""ULP error of the vector-valued activations (softmax, entmax, the GLU family, ...) and of their
derivatives, for jaxact, jax.nn and PyTorch (CPU, when importable), against mpmath, row by row.

The functions are the registry's vector-valued ones and their extra cases of
``benchmarks._cases`` (``entmax[alpha=1.25]``, ``softmax[temperature=0.5]``), each with the
oracle of :mod:`benchmarks._vector_reference`. The rows, float32 and float64, fixed seeds, of
widths ``WIDTHS``, come in the families of ``FAMILIES``:

* ``normal``: standard normal entries times 0.1, 1, 10 or 100;
* ``offset``: the same plus 10⁴ or 10²⁰ (and 10²⁰⁰ in float64);
* ``dominant``: one entry 20 to 85 (float32) or 20 to 700 (float64) above the others;
* ``ties``: entries repeated within the row (the first row of each set all equal);
* ``masked``: a quarter of the entries set to the value that leaves an entry out (−inf, +inf
  for softmin), where the function takes one.

Scored, with the rule of :mod:`benchmarks._ulp` (the same floors; non-finite where the truth
is finite counts):

* ``f``: every output entry;
* ``jac``: for rows of at most ``JACOBIAN_MAX_WIDTH`` entries, every entry of the full Jacobian
  (``jax.jacrev``; torch: one backward pass per output), with the floor 0.25 (times the value
  half's entry) within 0.5 of an interior zero of a GLU gate's derivative, as the elementwise
  harness scores that derivative;
* ``vjp``: ``cᵀJ`` for one fixed random cotangent ``c`` per row (``jax.vjp``; torch:
  ``backward(c)``), every entry in ULP of ``max(|exact|, Σ_k |c_k J_ki|)``: a cotangent can
  cancel an entry to any small value, and no library's rounded ``J`` keeps that difference's
  digits, so each entry is held to the size of the terms it sums. The cotangent is 0 on an
  output whose exact value is infinite (a masked entry of log_softmax), whose Jacobian rows are
  not scored either.

mpmath references are cached in ``.cache/accuracy/`` keyed on the rows, the cotangents, the
function, its parameters, the oracle's source and the working precision.

Run from the repository root::

    python -m benchmarks.vector_accuracy
    python -m benchmarks.vector_accuracy --functions entmax --update

It writes ``benchmarks/results/accuracy_vector.json``; with ``--update`` it re-measures only
the named functions (with their extra cases) and keeps the other entries (the same rows only).
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
import mpmath
import numpy as np

import jaxact
from benchmarks import _cases, _common, _ulp, _vector_reference
from benchmarks.accuracy import CACHE_DIR, DTYPES, JAXACT, JAXNN, TORCH, _source

WIDTHS = (2, 8, 64, 1024)
ROWS_PER_WIDTH = {2: 8, 8: 8, 64: 3, 1024: 2}
"""Rows per family and width: many short rows, a few long ones (mpmath's cost is per entry)."""
JACOBIAN_MAX_WIDTH = 8
FAMILIES = ("normal", "offset", "dominant", "ties", "masked")
SCALES = (0.1, 1.0, 10.0, 100.0)
OFFSETS = {"float32": (1e4, 1e20), "float64": (1e4, 1e20, 1e200)}
GAPS = {"float32": (20.0, 85.0), "float64": (20.0, 700.0)}
MASKED_SHARE = 0.25
WHICH = ("f", "jac", "vjp")
NOTES = (
    "Error in ULP by the elementwise harness's rule (floor 2^-100 float32 / 2^-960 float64) "
    "over every output entry (f), every entry of the full Jacobian for rows of at most "
    f"{JACOBIAN_MAX_WIDTH} (jac), and every entry of c^T J for a fixed random cotangent c (vjp), "
    "in ULP of max(|exact|, sum_k |c_k J_ki|). Non-finite: inf or NaN where the truth is finite."
)


def vector_cases() -> list[_cases.Case]:
    """Every vector-valued activation of the registry, each followed by its extra cases."""
    return [c for c in _cases.cases() if not c.spec.elementwise]


def rows(family: str, width: int, dtype: str, mask: float | None = None) -> np.ndarray:
    """The fixed rows of one family and width, ``(ROWS_PER_WIDTH[width], width)`` of ``dtype``
    (as float64). ``masked`` needs ``mask``, the value that leaves an entry out."""
    n = ROWS_PER_WIDTH[width]
    rng = np.random.default_rng([FAMILIES.index(family), width, np.dtype(dtype).itemsize])
    scale = np.array(SCALES)[np.arange(n) % len(SCALES)][:, None]
    x = rng.normal(size=(n, width)) * scale
    if family == "offset":
        offsets = OFFSETS[dtype]
        x = x + np.array(offsets)[np.arange(n) % len(offsets)][:, None]
    elif family == "dominant":
        top = rng.integers(0, width, size=n)
        x[np.arange(n), top] = x.max(axis=1) + rng.uniform(*GAPS[dtype], size=n)
    elif family == "ties":
        x[0] = x[0, 0]
        for r in range(1, n):
            copies = max(1, width // 4)
            x[r, rng.integers(0, width, copies)] = x[r, rng.integers(0, width, copies)]
    elif family == "masked":
        if mask is None:
            raise ValueError("masked rows need the mask value")
        hide = rng.random((n, width)) < MASKED_SHARE
        hide[:, 0] = False  # never the whole row
        x = np.where(hide, mask, x)
    return x.astype(dtype).astype(np.float64)


def families(case: _cases.Case) -> tuple[str, ...]:
    """The row families of ``case``: ``masked`` only where the function masks entries."""
    mask = _vector_reference.ORACLES[case.spec.name].mask
    return FAMILIES if mask is not None else FAMILIES[:-1]


def row_set(case: _cases.Case, width: int, dtype: str) -> tuple[np.ndarray, list[str]]:
    """All rows of ``case`` at ``width``, family after family, and each row's family."""
    mask = _vector_reference.ORACLES[case.spec.name].mask
    blocks = [rows(f, width, dtype, mask) for f in families(case)]
    labels = [f for f, b in zip(families(case), blocks, strict=True) for _ in b]
    return np.concatenate(blocks), labels


def cotangents(shape: tuple[int, int], dtype: str) -> np.ndarray:
    """The fixed random cotangents of a row set whose outputs have ``shape``."""
    rng = np.random.default_rng([7, *shape, np.dtype(dtype).itemsize])
    return rng.normal(size=shape).astype(dtype).astype(np.float64)


def _oracle_source(name: str) -> str:
    """What the exact values of ``name`` are computed by: the oracles' module, and for a GLU
    the registry's oracles of its gate."""
    gate = getattr(_vector_reference.ORACLES[name].exact, "gate", None)
    spec = None if gate is None else jaxact.get(gate)
    extra = "" if spec is None else _source(spec.reference) + _source(spec.reference_derivative)
    return inspect.getsource(_vector_reference) + extra


def references(
    case: _cases.Case, x: np.ndarray, c: np.ndarray, dps: int, cache_dir: str = CACHE_DIR
) -> dict[str, np.ndarray]:
    """Exact outputs, ``cᵀJ`` with its term sizes and (narrow rows) the full Jacobian of every
    row of ``x``, as double-doubles, from the cache or from mpmath, and the cotangents ``c``
    as used: 0 where the exact output is infinite."""
    name, params = case.spec.name, case.params
    key = hashlib.sha256(
        json.dumps([name, params, dps, _oracle_source(name)], default=str).encode()
        + x.tobytes()
        + c.tobytes()
    ).hexdigest()[:24]
    path = os.path.join(cache_dir, f"vector-{name}-{key}.npz")
    if os.path.exists(path):
        with np.load(path) as cached:
            return dict(cached)
    ys, vjps, sizes, jacs, jac_sizes, infinite = [], [], [], [], [], []
    width = x.shape[1]
    with mpmath.workdps(dps):
        for row, cot in zip(x.tolist(), c, strict=True):
            e = _vector_reference.exact(name, row, params)
            inf_out = [bool(mpmath.isinf(v)) for v in e.y]
            cot = [0 if inf else mpmath.mpf(float(t)) for t, inf in zip(cot, inf_out, strict=True)]
            value, size = e.vjp(cot)
            ys += e.y
            vjps += value
            sizes += [float(s) for s in size]
            infinite += inf_out
            if width <= JACOBIAN_MAX_WIDTH:
                m = len(e.y)
                for k in range(m):
                    value, size = e.vjp([mpmath.mpf(int(k == j)) for j in range(m)])
                    jacs += value
                    jac_sizes += [float(t) for t in size]
    out: dict[str, np.ndarray] = {"infinite_out": np.array(infinite)}
    for key_, values in (("f", ys), ("vjp", vjps), ("jac", jacs)):
        hi, lo = _ulp.split_reference(values)
        out[f"{key_}_hi"], out[f"{key_}_lo"] = hi, lo
    out["vjp_size"] = np.asarray(sizes, np.float64)
    out["jac_size"] = np.asarray(jac_sizes, np.float64)
    out["cotangent"] = np.where(out["infinite_out"].reshape(len(x), -1), 0.0, c)
    os.makedirs(cache_dir, exist_ok=True)
    np.savez(path, **out)
    return out


# -- the libraries --------------------------------------------------------------------------


def _jax_triple(fn: Callable, args: Callable[[Any], tuple] = lambda dtype: ()) -> tuple:
    """``(f, vjp, jac)`` on numpy arrays of rows; ``args(dtype)``: ``fn``'s array parameters."""
    value = jax.jit(fn)
    vjp = jax.jit(lambda x, c, *a: jax.vjp(lambda v: fn(v, *a), x)[1](c)[0])
    jac = jax.jit(lambda x, *a: jax.vmap(jax.jacrev(lambda v: fn(v, *a)))(x))
    return (
        lambda x: np.asarray(value(x, *args(x.dtype))),
        lambda x, c: np.asarray(vjp(x, c, *args(x.dtype))),
        lambda x: np.asarray(jac(x, *args(x.dtype))),
    )


def _torch_triple(torch: Any, fn: Callable) -> tuple:
    def value(x: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            return fn(torch.from_numpy(x)).numpy()

    def vjp(x: np.ndarray, c: np.ndarray) -> np.ndarray:
        t = torch.from_numpy(x).requires_grad_(True)
        fn(t).backward(torch.from_numpy(c))
        return t.grad.numpy()

    def jac(x: np.ndarray) -> np.ndarray:
        t = torch.from_numpy(x).requires_grad_(True)
        y = fn(t)
        cols = []
        for k in range(y.shape[1]):  # the rows are independent: one backward per output
            (g,) = torch.autograd.grad(y[:, k].sum(), t, retain_graph=True)
            cols.append(g.numpy())
        return np.stack(cols, axis=1)

    return value, vjp, jac


def _torch_function(case: _cases.Case, torch: Any | None) -> Callable | None:
    fn = _common.torch_equivalent(case.spec, torch, case.params, set(case.overrides))
    if fn is None or isinstance(fn, torch.nn.Module):
        return fn
    # A function, not a module (torch.logsumexp): the reduced axis is an argument.
    params = case.params
    return lambda t: fn(t, dim=params.get("axis", -1), keepdim=params.get("keepdims", False))


def libraries(case: _cases.Case, torch: Any | None) -> dict[str, tuple]:
    """``{library: (f, vjp, jac)}``: jaxact with the case's parameters, jax.nn and PyTorch
    where they have the function and take every parameter the case sets (as the elementwise
    harness, :func:`benchmarks.accuracy.libraries`)."""
    jax_nn = _common.jax_equivalent(case.spec)
    params = case.params
    peer = jax_nn is not None and _common.takes_all(jax_nn, case.overrides)
    if peer:
        params = _common.shared_params(case.spec, jax_nn, case.params)
    fn, _ = case.bind(params, np.float32)
    out = {JAXACT: _jax_triple(fn, lambda dtype: case.bind(params, dtype)[1])}
    if peer:
        out[JAXNN] = _jax_triple(lambda v: jax_nn(v, **params))
    torch_fn = _torch_function(case, torch)
    if torch_fn is not None:
        out[TORCH] = _torch_triple(torch, torch_fn)
    return out


# -- measuring ------------------------------------------------------------------------------


def _worst(err: np.ndarray, where: list[tuple[str, int, int, int]]) -> dict[str, Any]:
    finite = np.isfinite(err)
    out: dict[str, Any] = {
        "max_ulp": None,
        "worst": None,
        "nonfinite": int(np.isinf(err).sum()),
        "not_scored": int(np.isnan(err).sum()),
    }
    if finite.any():
        i = int(np.argmax(np.where(finite, err, -1.0)))
        family, width, row, entry = where[i]
        out["max_ulp"] = float(f"{err[i]:.4g}")
        out["worst"] = {"family": family, "width": width, "row": row, "entry": entry}
    return out


def _where(labels: list[str], width: int, per_row: int) -> list[tuple[str, int, int, int]]:
    """For each scored entry of a row set: its family, width, row within the family, entry."""
    out = []
    seen: dict[str, int] = {}
    for family in labels:
        r = seen.get(family, 0)
        seen[family] = r + 1
        out += [(family, width, r, e) for e in range(per_row)]
    return out


def errors(
    case: _cases.Case,
    dtype: str,
    torch: Any | None,
    settings: argparse.Namespace,
    widths: tuple[int, ...] = WIDTHS,
) -> dict[str, dict[str, tuple[np.ndarray, list]]]:
    """``{library: {which: (errors, where)}}`` over every row set of ``case`` in ``dtype``."""
    floor = _ulp.FLOORS[dtype]
    libs = libraries(case, torch)
    out: dict[str, dict[str, tuple[list, list]]] = {
        lib: {w: ([], []) for w in WHICH} for lib in libs
    }
    for width in widths:
        x, labels = row_set(case, width, dtype)
        xs = x.astype(dtype)
        fn, args = case.bind(case.params, xs.dtype)
        m = jax.eval_shape(fn, xs, *args).shape[-1]
        ref = references(case, x, cotangents((len(x), m), dtype), settings.dps, settings.cache_dir)
        c = ref["cotangent"].astype(dtype)
        infinite = ref["infinite_out"].reshape(len(x), m)
        for lib, (f, vjp, jac) in libs.items():
            got = f(xs).reshape(len(x), -1)
            err_f = _ulp.ulp_error(got.ravel(), ref["f_hi"], ref["f_lo"], dtype, floor)
            vfloor = np.maximum(ref["vjp_size"], floor)
            err_v = _ulp.ulp_error(vjp(xs, c).ravel(), ref["vjp_hi"], ref["vjp_lo"], dtype, vfloor)
            parts = {"f": (err_f, m), "vjp": (err_v, width)}
            if width <= JACOBIAN_MAX_WIDTH:
                j = jac(xs).reshape(len(x), m, width)
                jfloor = np.maximum(ref["jac_size"], floor)
                err_j = _ulp.ulp_error(j.ravel(), ref["jac_hi"], ref["jac_lo"], dtype, jfloor)
                err_j = np.where(np.repeat(infinite.ravel(), width), np.nan, err_j)
                parts["jac"] = (err_j, m * width)
            for which, (err, per_row) in parts.items():
                out[lib][which][0].append(err)
                out[lib][which][1].extend(_where(labels, width, per_row))
    return {
        lib: {w: (np.concatenate(e) if e else np.zeros(0), where) for w, (e, where) in d.items()}
        for lib, d in out.items()
    }


def row_error(
    case: _cases.Case, dtype: str, lib: str, which: str, where: dict[str, Any], dps: int = 50
) -> float:
    """The error of one scored entry (``where``: a record's ``worst``), recomputed: the library
    runs on the entry's whole row set (the program the harness ran), mpmath on its row only."""
    x, labels = row_set(case, where["width"], dtype)
    index = [i for i, f in enumerate(labels) if f == where["family"]][where["row"]]
    f, vjp, jac = libraries(case, None)[lib]
    xs = x.astype(dtype)
    got = f(xs).reshape(len(x), -1)
    c = cotangents(got.shape, dtype)
    with mpmath.workdps(dps):
        e = _vector_reference.exact(case.spec.name, x[index].tolist(), case.params)
        cot = [
            0 if mpmath.isinf(v) else mpmath.mpf(float(t))
            for t, v in zip(c[index], e.y, strict=True)
        ]
        m, width = len(e.y), x.shape[1]
        k, i = divmod(where["entry"], width) if which == "jac" else (0, where["entry"])
        if which == "f":
            exact, size, found = e.y[i], 0.0, got[index, i]
        elif which == "vjp":
            values, sizes = e.vjp(cot)
            exact, size = values[i], float(sizes[i])
            found = vjp(xs, np.array([[float(t) for t in cot]] * len(x), dtype))[index, i]
        else:
            values, sizes = e.vjp([mpmath.mpf(int(j == k)) for j in range(m)])
            exact, size = values[i], float(sizes[i])
            found = jac(xs).reshape(len(x), m, width)[index, k, i]
        hi, lo = _ulp.split_reference([exact])
    floor = max(_ulp.FLOORS[dtype], size)
    return float(_ulp.ulp_error(np.array([found]), hi, lo, dtype, floor)[0])


def measure(
    case: _cases.Case, dtype: str, torch: Any | None, settings: argparse.Namespace
) -> dict[str, Any]:
    """Per library: the worst error of f, the Jacobian and the VJP (where it is, how many
    non-finite), and the worst per row family."""
    out: dict[str, Any] = {}
    widths = tuple(settings.widths)
    for lib, by_which in errors(case, dtype, torch, settings, widths).items():
        entry: dict[str, Any] = {}
        for which, (err, where) in by_which.items():
            entry[which] = _worst(err, where)
            per_family = {}
            for family in families(case):
                picked = np.array([w[0] == family for w in where], dtype=bool)
                finite = err[picked & np.isfinite(err)] if picked.size else err[:0]
                per_family[family] = float(f"{finite.max():.4g}") if finite.size else None
            entry[which]["families"] = per_family
        out[lib] = entry
    return out


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dps", type=int, default=50, help="mpmath decimal digits")
    parser.add_argument(
        "--functions", nargs="+", help="only these jaxact names (with their extra cases) or cases"
    )
    parser.add_argument("--widths", type=int, nargs="+", default=list(WIDTHS), help=f"of {WIDTHS}")
    parser.add_argument("--no-torch", action="store_true", help="skip PyTorch even if present")
    parser.add_argument("--cache-dir", default=CACHE_DIR, help="mpmath reference cache")
    parser.add_argument(
        "--update", action="store_true", help="re-measure only --functions, keep the other entries"
    )
    parser.add_argument(
        "--out",
        default=os.path.join(_common.RESULTS_DIR, "accuracy_vector.json"),
        help="results file",
    )
    return parser.parse_args(argv)


def row_settings(widths: list[int]) -> dict[str, Any]:
    """What fixes the rows: a file measured with other rows cannot be merged into."""
    return {
        "widths": list(widths),
        "rows_per_width": {str(k): v for k, v in ROWS_PER_WIDTH.items()},
        "families": list(FAMILIES),
        "scales": list(SCALES),
        "offsets": OFFSETS,
        "gaps": GAPS,
        "masked_share": MASKED_SHARE,
        "jacobian_max_width": JACOBIAN_MAX_WIDTH,
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    settings = parse_args(argv)
    jax.config.update("jax_enable_x64", True)
    torch = None if settings.no_torch else _common.import_torch()
    cases = _cases.select(vector_cases(), settings.functions)
    date = _common.now_utc()
    functions: dict[str, Any] = {}
    for case in cases:
        start = time.perf_counter()
        functions[case.name] = {
            "params": case.params,
            "families": list(families(case)),
            "dtypes": {d: measure(case, d, torch, settings) for d in DTYPES},
            "date": date,
        }
        print(f"  {case.name}: {time.perf_counter() - start:.1f} s")
    libs = _common.library_union(*(f["dtypes"]["float32"] for f in functions.values()))
    results = {
        "schema": _common.SCHEMA_VERSION,
        "kind": "accuracy_vector",
        "date": date,
        "machine": _common.machine_info(),
        "versions": _common.versions(torch),
        "settings": {
            **row_settings(settings.widths),
            "dps": settings.dps,
            "floors": _ulp.FLOORS,
            "command": "python -m benchmarks.vector_accuracy",
        },
        "notes": NOTES,
        "libraries": libs,
        "functions": functions,
        "runs": [_common.run_record(date, list(functions), libs, torch)],
    }
    if settings.update and os.path.exists(settings.out):
        results = merge(results, settings.out)
    print(format_table(results))
    _common.write_results(results, settings.out)
    return results


def merge(new: dict[str, Any], path: str) -> dict[str, Any]:
    """``new`` plus the functions of ``path`` that ``new`` did not measure (same rows only)."""
    with open(path) as f:
        old = json.load(f)
    same = [*row_settings(new["settings"]["widths"]), "dps"]
    fresh = json.loads(json.dumps(new["settings"]))  # as the file holds them (lists, not tuples)
    differ = [k for k in same if old["settings"].get(k) != fresh[k]]
    if differ:
        raise SystemExit(f"--update: {', '.join(differ)} differ from {path}; re-run everything")
    merged = {**old["functions"], **new["functions"]}
    order = [c.name for c in vector_cases()]
    new["functions"] = {n: merged[n] for n in order if n in merged}
    new["runs"] = _common.merge_runs(old, new)
    new["libraries"] = _common.library_union(old["libraries"], new["libraries"])
    return new


def format_table(results: dict[str, Any]) -> str:
    libs = results["libraries"]
    lines = []
    for d in DTYPES:
        width = max(14, *(len(name) + 2 for name in results["functions"]))
        label = " f / jac / vjp / nonfinite"
        head = f"{d:<{width}}" + "".join(f"{lib + label:>40}" for lib in libs)
        lines += [head, "-" * len(head)]
        for name, f in results["functions"].items():
            row = f"{name:<{width}}"
            for lib in libs:
                e = f["dtypes"][d].get(lib)
                if e is None:
                    row += f"{'-':>40}"
                    continue
                cell = " / ".join(_common.ulp_text(e[w]["max_ulp"]) for w in WHICH)
                cell += f" / {sum(e[w]['nonfinite'] for w in WHICH)}"
                row += f"{cell:>40}"
            lines.append(row)
    return "\n".join(lines)


if __name__ == "__main__":
    main()
