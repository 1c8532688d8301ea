"""The committed benchmark results are complete and well formed, and the harnesses still run.

A function registered without re-running the benchmarks fails here: every elementwise
activation shared with jax.nn must appear in ``benchmarks/results/accuracy.json`` and every
shared activation in ``speed.json``.
"""

from __future__ import annotations

import datetime
import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from benchmarks import _common, _ulp
from docsgen import benchmark_pages

ROOT = Path(__file__).resolve().parents[1]

RESULTS = ROOT / "benchmarks" / "results"
MODES = {"forward", "forward+backward"}


def _load(path: Path) -> dict[str, Any]:
    with open(path) as f:
        return json.load(f)


def check_common(results: dict[str, Any], kind: str) -> None:
    assert results["schema"] == _common.SCHEMA_VERSION
    assert results["kind"] == kind
    datetime.datetime.strptime(results["date"], "%Y-%m-%dT%H:%M:%SZ")
    machine = results["machine"]
    assert isinstance(machine["platform"], str) and machine["platform"]
    assert isinstance(machine["cpu_model"], str) and machine["cpu_model"]
    assert isinstance(machine["cores"], int) and machine["cores"] >= 1
    for lib in ("python", "jaxact", "jax", "jaxlib", "numpy"):
        assert isinstance(results["versions"][lib], str), lib
    assert results["libraries"][:2] == ["jaxact", "jax.nn"]
    if "torch" in results["libraries"]:
        assert isinstance(results["versions"]["torch"], str)
    assert isinstance(results["notes"], str) and results["notes"]


def _ulp_value(v: Any) -> None:
    assert v is None or (isinstance(v, float | int) and v >= 0 and math.isfinite(v))


def check_accuracy(results: dict[str, Any], names: list[str]) -> None:
    check_common(results, "accuracy")
    assert set(names) <= set(results["functions"]), "re-run python -m benchmarks.accuracy"
    for dtype in ("float32", "float64"):
        grid = results["grid"][dtype]
        assert grid["points"] > 0
        n_bins = len(grid["bin_centres"])
        assert grid["bin_centres"] == sorted(grid["bin_centres"])
        for name in names:
            by_lib = results["functions"][name]["dtypes"][dtype]
            assert set(results["libraries"]) >= set(by_lib) >= {"jaxact", "jax.nn"}
            for entry in by_lib.values():
                for which in ("f", "df"):
                    summary = entry[which]
                    _ulp_value(summary["max_ulp"])
                    assert isinstance(summary["nonfinite"], int) and summary["nonfinite"] >= 0
                    assert len(entry[f"curve_{which}"]) == n_bins
                    for v in entry[f"curve_{which}"]:
                        _ulp_value(v)
    for lib in results["libraries"]:
        for dtype in ("float32", "float64"):
            for which in ("f", "df"):
                _ulp_value(results["summary"][lib][dtype][which]["max_ulp"])


def check_speed(results: dict[str, Any], names: list[str]) -> None:
    check_common(results, "speed")
    sizes = results["settings"]["sizes"]
    assert sizes and all(isinstance(n, int) and n > 0 for n in sizes)
    assert set(names) <= set(results["functions"]), "re-run python -m benchmarks.speed"
    seen = {(r["function"], r["size"], r["mode"]) for r in results["results"]}
    for name in names:
        for size in sizes:
            for mode in MODES:
                assert (name, size, mode) in seen, (name, size, mode)
    for r in results["results"]:
        for q in [r["ratio_vs_jax"], *r["times_s"].values(), *r["ratio_vs_reference"].values()]:
            assert 0 < q["q25"] <= q["median"] <= q["q75"] < math.inf
        assert {"jaxact", "jax.nn", "reference"} <= set(r["times_s"])
    for by_size in results["summary"]["median_ratio_vs_jax"].values():
        assert all(v > 0 for v in by_size.values())


def test_accuracy_results_cover_every_shared_elementwise_function() -> None:
    names = [s.name for s in _common.shared_specs(elementwise_only=True)]
    assert names, "jaxact shares no elementwise function with jax.nn?"
    check_accuracy(_load(RESULTS / "accuracy.json"), names)


def test_speed_results_cover_every_shared_function() -> None:
    check_speed(_load(RESULTS / "speed.json"), [s.name for s in _common.shared_specs()])


def test_shared_functions_are_read_from_the_registry() -> None:
    names = {s.name for s in _common.shared_specs()}
    assert {"relu", "sigmoid", "softplus"} <= names
    assert "binary_step" not in names  # jax.nn has no step function
    for spec in _common.shared_specs():
        assert callable(_common.jax_equivalent(spec))


# -- the ULP rule ---------------------------------------------------------------------------


def test_ulp_error_counts_units_in_the_last_place() -> None:
    ref = np.array([1.0, 1.0, 2.0**-130, 0.0, 1e30])
    got = np.array([1.0, 1 + 3 * 2.0**-23, 0.0, 2.0**-120, 1e30], np.float32)
    err = _ulp.ulp_error(got, ref, np.zeros_like(ref), "float32", _ulp.FLOORS["float32"])
    # Flushed tiny results are measured against the floor 2^-100: negligible, not 2^23 ULP.
    assert err[0] == 0 and err[1] == 3 and err[2] == 2.0**-130 / 2.0**-123
    assert err[3] == pytest.approx(2.0**-120 / 2.0**-123)
    assert err[4] == pytest.approx(abs(float(np.float32(1e30)) - 1e30) / 2.0**76)


def test_ulp_error_uses_the_low_part_of_the_reference() -> None:
    hi, lo = np.array([1.0]), np.array([2.0**-53])  # exact value 1 + 2^-53: half an ULP away
    assert _ulp.ulp_error(np.array([1.0]), hi, lo, "float64", 2.0**-960)[0] == 0.5


def test_ulp_error_marks_non_finite_and_overflow() -> None:
    ref = np.array([1.0, 1e39, 1e39, -1e39])
    got = np.array([np.nan, np.inf, 3e38, -np.inf], np.float32)
    err = _ulp.ulp_error(got, ref, np.zeros_like(ref), "float32", 2.0**-100)
    assert np.isinf(err[0])  # NaN where the truth is finite
    assert err[1] == 0 and err[3] == 0  # the truth overflows float32: inf is right
    assert np.isnan(err[2])  # a finite value there is not scored


def test_critical_point_floor_applies_to_derivatives_only() -> None:
    x = np.array([-1.0, -0.6, 0.2])
    assert _ulp.floors(x, "float32", (-1.0,), derivative=True).tolist() == [0.25, 0.25, 2.0**-100]
    assert _ulp.floors(x, "float32", (-1.0,), derivative=False).tolist() == [2.0**-100] * 3


# -- the harnesses end to end, on tiny sizes -------------------------------------------------


def _run(module: str, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )


def test_harnesses_and_pages_end_to_end(tmp_path: Path) -> None:
    functions = ["relu", "sigmoid"]
    _run(
        "benchmarks.speed",
        *("--log2-sizes", "10", "--functions", *functions, "--no-torch"),
        *("--min-reps", "3", "--max-reps", "3", "--target-seconds", "0", "--rounds", "2"),
        *("--min-sample-seconds", "0", "--out", str(tmp_path / "speed.json")),
    )
    _run(
        "benchmarks.accuracy",
        *("--dense", "41", "--log-points", "24", "--bins", "10", "--functions", *functions),
        *("--no-torch", "--cache-dir", str(tmp_path / "cache")),
        *("--out", str(tmp_path / "accuracy.json")),
    )
    speed, accuracy = _load(tmp_path / "speed.json"), _load(tmp_path / "accuracy.json")
    check_speed(speed, functions)
    # Two rounds of 3 repetitions each, pooled.
    assert {r["reps"] for r in speed["results"]} == {6}
    check_accuracy(accuracy, functions)
    assert speed["libraries"] == accuracy["libraries"] == ["jaxact", "jax.nn"]
    # The grid (step 2 on [-40, 40]) reaches sigmoid's tail, where jax.nn's derivative
    # ans * (1 - ans) is 0 long before the truth: the harness must see it.
    sigmoid = accuracy["functions"]["sigmoid"]["dtypes"]["float32"]
    assert sigmoid["jax.nn"]["df"]["max_ulp"] > 1e6
    assert sigmoid["jaxact"]["df"]["max_ulp"] < 4
    assert accuracy["functions"]["relu"]["dtypes"]["float64"]["jaxact"]["f"]["max_ulp"] < 0.01

    files = benchmark_pages.generate_pages(str(tmp_path), cache_dir=str(tmp_path / "pages"))
    assert benchmark_pages.generate_pages(str(tmp_path), cache_dir=str(tmp_path / "pages")) == files
    assert set(files) >= {"benchmarks/accuracy.md", "benchmarks/speed.md"}
    for name in functions:
        assert f"| {name} |" in files["benchmarks/accuracy.md"]
        assert f"| {name} | forward |" in files["benchmarks/speed.md"]
        assert files[f"benchmarks/figures/accuracy-{name}.svg"].startswith(b"<?xml")
    assert files["benchmarks/figures/speed-ratios.svg"].startswith(b"<?xml")
    assert "python -m benchmarks.accuracy" in files["benchmarks/accuracy.md"]
    assert speed["date"] in files["benchmarks/speed.md"]


def _speed_run(functions: list[str], date: str, **settings: Any) -> dict[str, Any]:
    """A minimal speed.json of ``functions`` (one record per size and mode)."""
    base = {"sizes": [1024], "rounds": 3, "min_reps": 5, "command": "python -m benchmarks.speed"}
    records = [
        {"function": f, "size": 1024, "mode": m, "date": date} for f in functions for m in MODES
    ]
    return {
        "date": date,
        "settings": {**base, **settings},
        "libraries": ["jaxact", "jax.nn"],
        "functions": functions,
        "results": records,
    }


def test_speed_merge_keeps_untimed_functions_and_refuses_other_settings(tmp_path: Path) -> None:
    from benchmarks import speed

    path = tmp_path / "speed.json"
    path.write_text(json.dumps(_speed_run(["relu", "tanh"], "old")))
    merged = speed.merge(_speed_run(["tanh"], "new"), str(path))
    assert merged["functions"] == ["relu", "tanh"]
    assert {(r["function"], r["date"]) for r in merged["results"]} == {
        ("relu", "old"),
        ("tanh", "new"),
    }
    assert merged["merged_dates"] == ["new", "old"]
    # The file records one set of settings for all its results: a re-timing with other
    # settings (here 5 rounds instead of 3) would misdescribe the kept ones.
    with pytest.raises(SystemExit, match="rounds differ"):
        speed.merge(_speed_run(["tanh"], "new", rounds=5), str(path))
    other = _speed_run(["tanh"], "new")
    other["libraries"] = ["jaxact", "jax.nn", "torch"]
    with pytest.raises(SystemExit, match="libraries differ"):
        speed.merge(other, str(path))
