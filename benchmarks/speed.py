"""Throughput of jaxact against jax.nn (and PyTorch on CPU when importable).

For every registered activation (and each extra case of ``benchmarks._cases``: the same function
with other parameters, such as ``entmax[alpha=1.25]``), at each size (float32 values), this
times the jitted forward pass and the forward+backward pass (``jax.vjp``: the output and the
input cotangent, as in training) of jaxact, of its peer (jax.nn's function where jax.nn has it;
otherwise ``jaxact.relu``, the cheapest activation, so the ratio says how much dearer the
function is), of PyTorch's where it has one, and of a memory-bound reference, the jitted
``x * c`` of the same size. Repetitions are interleaved (each repetition times every library
once, in a rotating order), so slow drifts of a shared machine hit all of them alike, and the
whole sweep over functions is repeated (``--rounds``) with the samples pooled, so a burst of
load lands on a stretch of every function rather than on one; the headline is the median over
all repetitions of the paired ratio jaxact / jax.nn.

Run from the repository root::

    python -m benchmarks.speed                      # 2^20, 2^22, 2^24 values
    python -m benchmarks.speed --log2-sizes 20 --functions relu gelu
    python -m benchmarks.speed --functions tanh_shrink sparsemax --update
    python -m benchmarks.speed --functions 'entmax[alpha=1.25]' --update  # one extra case

It prints a table and writes ``benchmarks/results/speed.json``; with ``--update`` it times only
the named functions and keeps the other records of the file (the settings must be the same).
Each record carries its date, and the file lists its runs (date, functions, libraries, versions).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import time
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

import jaxact
from benchmarks import _cases, _common

MODES = ("forward", "forward+backward")
JAXACT, JAXNN, TORCH, REFERENCE = "jaxact", "jax.nn", "torch", "reference"
RELU = "jaxact.relu"
"""The peer of a function jax.nn lacks: its time relative to the cheapest activation."""
RATIO_KEY = {JAXNN: "ratio_vs_jax", RELU: "ratio_vs_relu"}
NOTES = (
    "Wall-clock times on a shared machine (other jobs were running): repetitions are "
    "interleaved and paired, and medians with interquartile ranges are reported, but absolute "
    "times are noisy; the ratios are the headline. forward+backward is jax.vjp returning the "
    "output and the input cotangent (torch: forward, then backward with the same cotangent). "
    "torch is timed in a separate interleaved group with jaxact and the reference (its spinning "
    "worker threads slow whatever runs next on a small machine), so ratio_vs_torch pairs "
    "jaxact and torch samples of that group. "
    "reference is the jitted x * c of the same size: ratio_vs_reference says how far each "
    "function is from the memory-bandwidth limit (forward+backward moves twice the bytes, so "
    "its floor is about 2)."
)


def _quartiles(values: list[float]) -> dict[str, float]:
    q25, q50, q75 = np.percentile(np.asarray(values, dtype=np.float64), [25, 50, 75])
    return {"median": float(q50), "q25": float(q25), "q75": float(q75)}


def _cotangent(g: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """``g`` if the output has the input's shape, else a fresh one (glu halves an axis)."""
    if tuple(shape) == g.shape:
        return g
    return np.random.default_rng(1).standard_normal(shape).astype(g.dtype)


def _jax_runners(
    fn: Callable[..., Any], x: jax.Array, g_np: np.ndarray, args: tuple = ()
) -> dict[str, Callable]:
    """``fn(x, *args)`` jitted, forward and forward+backward (the cotangent of ``x`` only):
    ``args`` are array parameters, arguments of the program rather than constants in it."""
    forward = jax.jit(fn)
    g = jnp.asarray(_cotangent(g_np, jax.eval_shape(fn, x, *args).shape))

    @jax.jit
    def forward_backward(x: jax.Array, g: jax.Array, *args: jax.Array) -> tuple:
        y, pull = jax.vjp(lambda v: fn(v, *args), x)
        return y, pull(g)[0]

    return {
        "forward": lambda: forward(x, *args).block_until_ready(),
        "forward+backward": lambda: jax.block_until_ready(forward_backward(x, g, *args)),
    }


def _torch_runners(torch: Any, fn: Callable, x: np.ndarray, g: np.ndarray) -> dict[str, Callable]:
    xt = torch.from_numpy(x)
    with torch.no_grad():
        gt = torch.from_numpy(_cotangent(g, tuple(fn(xt).shape)))
    xg = xt.clone().requires_grad_(True)

    def forward() -> Any:
        with torch.no_grad():
            return fn(xt)

    def forward_backward() -> Any:
        xg.grad = None
        y = fn(xg)
        y.backward(gt)
        return y, xg.grad

    return {"forward": forward, "forward+backward": forward_backward}


def _estimate(run: Callable[[], Any]) -> float:
    run()  # compile / allocate
    start = time.perf_counter()
    run()
    return max(time.perf_counter() - start, 1e-7)


def time_interleaved(
    runners: dict[str, Callable[[], Any]],
    *,
    min_reps: int,
    max_reps: int,
    target_s: float,
    min_sample_s: float,
) -> dict[str, list[float]]:
    """Seconds per call of each runner, one sample per repetition, libraries interleaved.

    Each sample averages ``inner`` back-to-back calls so that it lasts at least
    ``min_sample_s`` (timer resolution and call overhead stay negligible); the number of
    repetitions fits ``target_s`` within ``[min_reps, max_reps]``.
    """
    names = list(runners)
    estimates = {n: _estimate(runners[n]) for n in names}
    inner = {n: max(1, math.ceil(min_sample_s / estimates[n])) for n in names}
    per_rep = sum(inner[n] * estimates[n] for n in names)
    reps = int(min(max_reps, max(min_reps, target_s / per_rep)))
    samples: dict[str, list[float]] = {n: [] for n in names}
    for rep in range(reps):
        # Rotate the order so no library always runs right after the same neighbour.
        order = names[rep % len(names) :] + names[: rep % len(names)]
        for n in order:
            run = runners[n]
            start = time.perf_counter()
            for _ in range(inner[n]):
                run()
            samples[n].append((time.perf_counter() - start) / inner[n])
    return samples


def _returns_its_input(torch: Any, fn: Callable) -> bool:
    """Whether ``fn`` returns the very tensor it was given (no new output, so no work)."""
    probe = torch.zeros(4)
    with torch.no_grad():
        return fn(probe) is probe


_TORCH_GROUP = " (torch group)"
"""Suffix of the sample keys of the second group, where jaxact and the reference run with torch."""


def time_function(
    case: _cases.Case, size: int, torch: Any | None, settings: argparse.Namespace
) -> tuple[dict[str, Any], dict[str, dict[str, list[float]]]]:
    """Time one function (or extra case) at one size in both modes: ``(params, {mode:
    {library: samples}})``. A case is timed against jax.nn only if jax.nn takes every
    parameter it sets, else against relu, as a function jax.nn lacks."""
    rng = np.random.default_rng(0)
    # Rows of 1024 so vector-valued functions (softmax, glu, ...) act along a real axis.
    shape = (max(1, size // 1024), min(size, 1024))
    x_np = (3 * rng.standard_normal(shape)).astype(np.float32)
    g_np = rng.standard_normal(shape).astype(np.float32)
    x = jnp.asarray(x_np)

    spec = case.spec
    jax_nn = _common.jax_equivalent(spec)
    if jax_nn is not None and _common.takes_all(jax_nn, case.overrides):
        params = _common.shared_params(spec, jax_nn, case.params)
        peer, theirs = JAXNN, lambda v: jax_nn(v, **params)
    else:  # jaxact alone, with its parameters, against its own relu
        params, peer, theirs = case.params, RELU, jaxact.relu
    ours, args = case.bind(params, jnp.float32)
    c = jnp.float32(1.0001)
    libs = {
        JAXACT: _jax_runners(ours, x, g_np, args),
        peer: _jax_runners(theirs, x, g_np),
        REFERENCE: _jax_runners(lambda v: v * c, x, g_np),
    }
    torch_fn = _common.torch_equivalent(spec, torch, case.params, set(case.overrides))
    if torch_fn is not None and _returns_its_input(torch, torch_fn):
        torch_fn = None  # torch.nn.Identity hands back its input: nothing to time against
    if torch_fn is not None:
        libs[TORCH] = _torch_runners(torch, torch_fn, x_np, g_np)

    # torch is timed in a group of its own: its worker threads keep spinning after each call, and
    # on a machine with few cores whatever runs right after torch in the rotation (always the
    # same library, since the rotation keeps the cyclic order) is slowed by them. Measured here:
    # gelu forward read 1.31x jax.nn with torch in the group and 1.13x without.
    groups = [[JAXACT, peer, REFERENCE]] + ([[JAXACT, TORCH, REFERENCE]] if TORCH in libs else [])
    timed: dict[str, dict[str, list[float]]] = {}
    for mode in MODES:
        timed[mode] = {}
        for group in groups:
            samples = time_interleaved(
                {lib: libs[lib][mode] for lib in group},
                min_reps=settings.min_reps,
                max_reps=settings.max_reps,
                target_s=settings.target_seconds,
                min_sample_s=settings.min_sample_seconds,
            )
            suffix = "" if TORCH not in group else _TORCH_GROUP
            timed[mode].update({lib + suffix: v for lib, v in samples.items()})
    return params, timed


def make_record(
    name: str, size: int, mode: str, params: dict[str, Any], timed: dict[str, list[float]]
) -> dict[str, Any]:
    """The result record of one function, size and mode from its (paired) samples; ``peer``
    names what jaxact is compared with (jax.nn, or jaxact.relu where jax.nn lacks it), and
    ``ratio_vs_jax`` or ``ratio_vs_relu`` holds the ratio."""
    samples = {lib: v for lib, v in timed.items() if not lib.endswith(_TORCH_GROUP)}
    peer = JAXNN if JAXNN in samples else RELU
    paired = {
        lib: [a / b for a, b in zip(samples[lib], samples[REFERENCE], strict=True)]
        for lib in samples
        if lib != REFERENCE
    }
    torch_group = {lib: v for lib, v in timed.items() if lib.endswith(_TORCH_GROUP)}
    if torch_group:
        ours_t, ref_t = torch_group[JAXACT + _TORCH_GROUP], torch_group[REFERENCE + _TORCH_GROUP]
        samples[TORCH] = torch_group[TORCH + _TORCH_GROUP]
        paired[TORCH] = [a / b for a, b in zip(samples[TORCH], ref_t, strict=True)]
    # Bytes that must cross memory at least once: x in and y out, plus the cotangent in
    # and the input gradient out for forward+backward.
    moved = (2 if mode == "forward" else 4) * 4 * size
    record: dict[str, Any] = {
        "function": name,
        "size": size,
        "mode": mode,
        "params": dict(params),
        "reps": len(samples[JAXACT]),
        "times_s": {lib: _quartiles(s) for lib, s in samples.items()},
        "bytes_moved": moved,
        "gb_per_s": {lib: moved / 1e9 / float(np.median(s)) for lib, s in samples.items()},
        "peer": peer,
        RATIO_KEY[peer]: _quartiles(
            [a / b for a, b in zip(samples[JAXACT], samples[peer], strict=True)]
        ),
        "ratio_vs_reference": {lib: _quartiles(p) for lib, p in paired.items()},
    }
    if torch_group:
        record["ratio_vs_torch"] = _quartiles(
            [a / b for a, b in zip(ours_t, samples[TORCH], strict=True)]
        )
    return record


def summarize(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Median and worst jaxact / jax.nn ratio over functions, per mode and size and overall."""
    out: dict[str, Any] = {"median_ratio_vs_jax": {}, "max_ratio_vs_jax": {}}
    for mode in MODES:
        out["median_ratio_vs_jax"][mode] = {}
        out["max_ratio_vs_jax"][mode] = {}
        for size in sorted({r["size"] for r in records}):
            ratios = {
                r["function"]: r["ratio_vs_jax"]["median"]
                for r in records
                if r["mode"] == mode and r["size"] == size and "ratio_vs_jax" in r
            }
            if not ratios:
                continue
            worst = max(ratios, key=ratios.__getitem__)
            out["median_ratio_vs_jax"][mode][str(size)] = float(np.median(list(ratios.values())))
            out["max_ratio_vs_jax"][mode][str(size)] = {
                "function": worst,
                "ratio": ratios[worst],
            }
    all_ratios = [r["ratio_vs_jax"]["median"] for r in records if "ratio_vs_jax" in r]
    out["overall_median_ratio_vs_jax"] = float(np.median(all_ratios)) if all_ratios else None
    return out


_SAME = ("dtype", "sizes")
"""The settings every run merged into one file shares."""


def merge(new: dict[str, Any], path: str) -> dict[str, Any]:
    """``new`` plus the records of ``path`` for functions that ``new`` did not time.

    The sizes (and dtype) must agree, since the page has one table per size; the repetitions
    and rounds may differ (a quick ``--rounds 1`` for a new function), and so may the
    libraries (torch importable in one run, not in another): each run of the merged file lists
    its date, functions, libraries, versions and settings, since the machine's load and the
    sampling differed between them.
    """
    with open(path) as f:
        old = json.load(f)
    differ = [k for k in _SAME if old["settings"].get(k) != new["settings"].get(k)]
    if differ:
        raise SystemExit(
            f"--update: {', '.join(differ)} differ from {path}: time with the same settings, "
            "or re-run everything"
        )
    timed = set(new["functions"])
    kept = [r for r in old["results"] if r["function"] not in timed]
    for r in kept:  # records from before peers and dates were recorded
        r.setdefault("peer", JAXNN)
        r.setdefault("date", old["date"])
    order = [c.name for c in _cases.cases()]
    names = set(timed) | {r["function"] for r in kept}
    new["functions"] = [n for n in order if n in names]
    rank = {n: i for i, n in enumerate(new["functions"])}
    new["results"] = sorted(
        kept + new["results"], key=lambda r: (r["size"], rank[r["function"]], r["mode"])
    )
    new["runs"] = _common.merge_runs(old, new)
    new["libraries"] = _common.library_union(old["libraries"], new["libraries"])
    return new


def format_table(records: list[dict[str, Any]]) -> str:
    """The per-function table printed at the end: ratios, then the median times."""
    width = max([20, *(len(r["function"]) + 8 for r in records)])
    head = (
        f"{'function':<{width}}{'size':>6} {'mode':<17}{'ours/peer':>10}{'IQR':>15}"
        f"{'ours/ref':>9}{'peer/ref':>9}{'ours/torch':>11}{'jaxact ms':>11}"
    )
    lines = [head, "-" * len(head)]
    for r in records:
        ratio = r[RATIO_KEY[r["peer"]]]
        mark = "" if r["peer"] == JAXNN else " (relu)"
        iqr = f"[{ratio['q25']:.2f}, {ratio['q75']:.2f}]"
        torch_ratio = r.get("ratio_vs_torch", {}).get("median")
        lines.append(
            f"{r['function'] + mark:<{width}}{'2^' + str(int(math.log2(r['size']))):>6} "
            f"{r['mode']:<17}{ratio['median']:>10.3f}{iqr:>15}"
            f"{r['ratio_vs_reference'][JAXACT]['median']:>9.2f}"
            f"{r['ratio_vs_reference'][r['peer']]['median']:>9.2f}"
            f"{'-' if torch_ratio is None else f'{torch_ratio:.3f}':>11}"
            f"{1e3 * r['times_s'][JAXACT]['median']:>11.3f}"
        )
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--log2-sizes",
        type=int,
        nargs="+",
        default=[20, 22, 24],
        help="sizes as powers of two (default: 20 22 24)",
    )
    parser.add_argument(
        "--functions",
        nargs="+",
        help="only these jaxact names (with their extra cases) or cases, e.g. 'entmax[alpha=1.25]'",
    )
    parser.add_argument("--min-reps", type=int, default=5, help="per round")
    parser.add_argument("--max-reps", type=int, default=15, help="per round")
    parser.add_argument(
        "--target-seconds",
        type=float,
        default=1.0,
        help="time budget per function, size, mode and round",
    )
    parser.add_argument("--min-sample-seconds", type=float, default=0.02)
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="sweeps over all functions whose samples are pooled (default: 3)",
    )
    parser.add_argument("--no-torch", action="store_true", help="skip PyTorch even if present")
    parser.add_argument(
        "--update",
        "--merge",
        dest="update",
        action="store_true",
        help="time only --functions, keep the other records of --out",
    )
    parser.add_argument(
        "--out", default=os.path.join(_common.RESULTS_DIR, "speed.json"), help="results file"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    settings = parse_args(argv)
    torch = None if settings.no_torch else _common.import_torch()
    cases = _cases.select(_cases.cases(), settings.functions)
    date = _common.now_utc()
    sizes = [2**k for k in settings.log2_sizes]
    # Each round sweeps every function once; the samples of all rounds are pooled, so a burst
    # of load from elsewhere hits one stretch of every function's samples, not one function.
    pooled: dict[tuple[int, str], tuple[dict[str, Any], dict[str, dict[str, list[float]]]]] = {}
    for round_ in range(settings.rounds):
        for size in sizes:
            for case in cases:
                start = time.perf_counter()
                params, timed = time_function(case, size, torch, settings)
                key = (size, case.name)
                if key not in pooled:
                    pooled[key] = (params, timed)
                else:
                    for mode in MODES:
                        for lib, samples in timed[mode].items():
                            pooled[key][1][mode][lib].extend(samples)
                print(
                    f"  round {round_ + 1}/{settings.rounds} {case.name} "
                    f"2^{int(math.log2(size))}: {time.perf_counter() - start:.1f} s",
                    flush=True,
                )
    records = [
        make_record(name, size, mode, params, timed[mode]) | {"date": date}
        for (size, name), (params, timed) in pooled.items()
        for mode in MODES
    ]
    libraries = [JAXACT, JAXNN] + ([TORCH] if torch is not None else [])
    results = {
        "schema": _common.SCHEMA_VERSION,
        "kind": "speed",
        "date": date,
        "machine": _common.machine_info()
        | {"torch_threads": None if torch is None else torch.get_num_threads()},
        "versions": _common.versions(torch),
        "settings": {
            "dtype": "float32",
            "sizes": sizes,
            "min_reps": settings.min_reps,
            "max_reps": settings.max_reps,
            "target_seconds": settings.target_seconds,
            "min_sample_seconds": settings.min_sample_seconds,
            "rounds": settings.rounds,
            "command": "python -m benchmarks.speed",
        },
        "notes": NOTES,
        "libraries": libraries,
        "functions": [c.name for c in cases],
        "results": records,
        "runs": [_common.run_record(date, [c.name for c in cases], libraries, torch)],
    }
    results["runs"][0]["settings"] = results["settings"]
    # How loaded the shared machine was over the run's last minutes (1, 5, 15 min averages of
    # the run queue; the machine's cores are beside it): the page states it with the run.
    results["runs"][0]["load_average"] = [round(v, 2) for v in os.getloadavg()]
    if settings.update and os.path.exists(settings.out):
        results = merge(results, settings.out)
    results["summary"] = summarize(results["results"])
    print(format_table(records))
    summary = results["summary"]
    print("(relu): no jax.nn peer, ratio to jaxact.relu")
    print("median jaxact/jax.nn ratio:", json.dumps(summary["median_ratio_vs_jax"]))
    print("worst:", json.dumps(summary["max_ratio_vs_jax"]))
    _common.write_results(results, settings.out)
    return results


if __name__ == "__main__":
    main()
