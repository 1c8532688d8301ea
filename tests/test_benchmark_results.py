"""The committed benchmark results are complete and well formed, and the harnesses still run.

A function registered without its benchmark rows fails here: every registered elementwise
activation must appear in ``benchmarks/results/accuracy.json`` and every registered activation
in ``speed.json`` (``python -m benchmarks.accuracy --functions <name> --update``, and the same
with ``benchmarks.speed``, add them), and so must every extra case of ``benchmarks/_cases.py``
(the same function with other parameters, ``entmax[alpha=1.25]``).
"""

from __future__ import annotations

import datetime
import json
import math
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import jaxact
from benchmarks import _cases, _common, _ulp
from docsgen import benchmark_pages

ROOT = Path(__file__).resolve().parents[1]

RESULTS = ROOT / "benchmarks" / "results"
MODES = {"forward", "forward+backward"}
CASES = {c.name: c for c in _cases.cases()}


def _jax_nn_peer(name: str) -> bool:
    """Whether the record ``name`` is compared with jax.nn: jax.nn has the function and takes
    every parameter the case sets."""
    case = CASES[name]
    jax_nn = _common.jax_equivalent(case.spec)
    return jax_nn is not None and _common.takes_all(jax_nn, case.overrides)


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
    assert results["libraries"][0] == "jaxact"
    assert set(results["libraries"]) <= {"jaxact", "jax.nn", "torch"}
    if "torch" in results["libraries"]:
        runs = results.get("runs", [results])
        assert any(isinstance(run["versions"]["torch"], str) for run in runs)
    assert isinstance(results["notes"], str) and results["notes"]
    for run in results.get("runs", []):
        datetime.datetime.strptime(run["date"], "%Y-%m-%dT%H:%M:%SZ")
        assert run["functions"] and set(run["libraries"]) <= set(results["libraries"])
        assert isinstance(run["versions"]["jaxact"], str)


def _update_command(kind: str, names: Any) -> str:
    return f"python -m benchmarks.{kind} --functions {' '.join(map(repr, sorted(names)))} --update"


def _ulp_value(v: Any) -> None:
    assert v is None or (isinstance(v, float | int) and v >= 0 and math.isfinite(v))


def check_accuracy(results: dict[str, Any], names: list[str]) -> None:
    check_common(results, "accuracy")
    missing = set(names) - set(results["functions"])
    assert not missing, f"no accuracy rows: run `{_update_command('accuracy', missing)}`"
    for dtype in ("float32", "float64"):
        grid = results["grid"][dtype]
        assert grid["points"] > 0
        n_bins = len(grid["bin_centres"])
        assert grid["bin_centres"] == sorted(grid["bin_centres"])
        for name in names:
            by_lib = results["functions"][name]["dtypes"][dtype]
            assert set(results["libraries"]) >= set(by_lib) >= {"jaxact"}
            # jax.nn's column exactly where jax.nn has the function (torch: where importable).
            assert ("jax.nn" in by_lib) == _jax_nn_peer(name), name
            if "torch" in by_lib:
                assert CASES[name].spec.equivalents.torch, name
            if CASES[name].overrides:  # an extra case: measured with the parameters it names
                assert results["functions"][name]["params"] == CASES[name].params
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
    missing = set(names) - set(results["functions"])
    assert not missing, f"no speed rows: run `{_update_command('speed', missing)}`"
    seen = {(r["function"], r["size"], r["mode"]) for r in results["results"]}
    for name in names:
        for size in sizes:
            for mode in MODES:
                assert (name, size, mode) in seen, (name, size, mode)
    for r in results["results"]:
        # The peer is jax.nn where jax.nn has the function (and takes a case's parameters),
        # else jaxact.relu.
        has_jax = _jax_nn_peer(r["function"])
        peer, key = ("jax.nn", "ratio_vs_jax") if has_jax else ("jaxact.relu", "ratio_vs_relu")
        assert r["peer"] == peer and key in r, (r["function"], r.get("peer"))
        for param, value in CASES[r["function"]].overrides.items():  # timed as the case says
            assert r["params"][param] == getattr(value, "value", value), (r["function"], param)
        for q in [r[key], *r["times_s"].values(), *r["ratio_vs_reference"].values()]:
            assert 0 < q["q25"] <= q["median"] <= q["q75"] < math.inf
        assert {"jaxact", peer, "reference"} <= set(r["times_s"])
    for by_size in results["summary"]["median_ratio_vs_jax"].values():
        assert all(v > 0 for v in by_size.values())


def test_accuracy_results_cover_every_elementwise_function_and_case() -> None:
    names = [s.name for s in jaxact.specs() if s.elementwise]
    assert "tanh_shrink" in names and "relu" in names  # one that jax.nn lacks, one it has
    assert names == [s.name for s in _common.benchmarked_specs(elementwise_only=True)]
    cases = [c.name for c in _cases.cases(elementwise_only=True)]
    assert [n for n in cases if "[" not in n] == names
    assert "softplus[beta=2,threshold=20]" in cases  # an extra case, after its function
    check_accuracy(_load(RESULTS / "accuracy.json"), cases)


def test_speed_results_cover_every_registered_function_and_case() -> None:
    assert [s.name for s in _common.benchmarked_specs()] == list(jaxact.names())
    cases = [c.name for c in _cases.cases()]
    assert [n for n in cases if "[" not in n] == list(jaxact.names())
    # entmax's general alpha: a number other than 1.5, and alpha as an array argument.
    assert {"entmax[alpha=1.25]", "entmax[alpha=array(1.25)]"} <= set(cases)
    check_speed(_load(RESULTS / "speed.json"), cases)


def test_shared_functions_are_read_from_the_registry() -> None:
    names = {s.name for s in _common.shared_specs()}
    assert {"relu", "sigmoid", "softplus"} <= names
    assert "binary_step" not in names  # jax.nn has no step function
    for spec in _common.shared_specs():
        assert callable(_common.jax_equivalent(spec))


# -- extra cases: a function again, with other parameters ----------------------------------


def test_extra_cases_are_named_by_their_parameters_and_follow_their_function() -> None:
    names = [c.name for c in _cases.cases()]
    assert len(set(names)) == len(names)
    i = names.index("entmax")
    assert names[i : i + 3] == ["entmax", "entmax[alpha=1.25]", "entmax[alpha=array(1.25)]"]
    assert _cases.base_name("entmax[alpha=array(1.25)]") == "entmax"
    for case in _cases.cases():  # parameters of the function, within their valid ranges
        params = {p.name: p for p in case.spec.params}
        for name, value in case.overrides.items():
            assert getattr(value, "value", value) in params[name].valid, (case.name, name)
    elementwise = [c.name for c in _cases.cases(elementwise_only=True)]
    assert RELU_CASE in elementwise and "entmax[alpha=1.25]" not in elementwise


def test_functions_option_selects_a_function_with_its_cases_or_one_case() -> None:
    every = _cases.cases()
    chosen = _cases.select(every, ["entmax", "relu6"])
    assert [c.name for c in chosen] == [
        "relu6",
        "entmax",
        "entmax[alpha=1.25]",
        "entmax[alpha=array(1.25)]",
    ]
    assert [c.name for c in _cases.select(every, [ARRAY_CASE])] == [ARRAY_CASE]
    with pytest.raises(SystemExit, match=r"entmax\[alpha=9\]"):
        _cases.select(every, ["entmax[alpha=9]"])


def test_an_array_parameter_is_an_argument_of_the_compiled_program() -> None:
    import jax
    import jax.numpy as jnp

    x = jnp.array([[-1.0, 0.0, 0.5, 1.0], [3.0, 0.1, -2.0, 0.0]])
    array_case, number_case = CASES[ARRAY_CASE], CASES["entmax[alpha=1.25]"]
    fn, args = array_case.bind(array_case.params, jnp.float32)
    assert len(args) == 1 and args[0].dtype == jnp.float32 and float(args[0]) == 1.25
    assert len(jax.make_jaxpr(fn)(x, *args).jaxpr.invars) == 2  # x and alpha
    number, none = number_case.bind(number_case.params, jnp.float32)
    assert none == () and len(jax.make_jaxpr(number)(x).jaxpr.invars) == 1


def test_speed_harness_times_an_array_parameter_as_an_argument() -> None:
    from benchmarks import speed

    # Not a case of the table: leaky_relu's slope as an array, compared with jax.nn's number.
    case = _cases.Case(jaxact.get("leaky_relu"), {"negative_slope": _cases.AsArray(0.2)})
    assert case.name == "leaky_relu[negative_slope=array(0.2)]"
    quick = ["--min-reps", "2", "--max-reps", "2", "--target-seconds", "0"]
    settings = speed.parse_args([*quick, "--min-sample-seconds", "0"])
    params, timed = speed.time_function(case, 1024, None, settings)
    assert params == {"negative_slope": 0.2}  # jax.nn takes the slope: the peer gets the number
    for mode in speed.MODES:
        assert set(timed[mode]) == {"jaxact", "jax.nn", "reference"}
        assert all(len(samples) == 2 for samples in timed[mode].values())


def test_a_case_has_a_peer_only_where_the_peer_takes_its_parameters() -> None:
    assert _jax_nn_peer("softmax") and not _jax_nn_peer("softmax[temperature=0.5]")
    assert _jax_nn_peer("relu") and not _jax_nn_peer(RELU_CASE)
    assert not _jax_nn_peer("entmax[alpha=1.25]")  # jax.nn has no entmax at all

    class Softplus:  # a torch-like module that takes beta but not threshold
        def __init__(self, beta: float = 1.0) -> None:
            self.beta = beta

    torch = type("torch", (), {"nn": type("nn", (), {"Softplus": Softplus, "Module": object})})
    spec = jaxact.get("softplus")
    assert isinstance(_common.torch_equivalent(spec, torch), Softplus)
    case = {"beta": 2.0, "threshold": 20.0}
    assert _common.torch_equivalent(spec, torch, case, {"threshold"}) is None


def test_committed_pages_show_every_extra_case() -> None:
    """The rows of each extra case on the Speed and Accuracy pages (their tables are drawn
    from the committed results): a case missing from the results or the page fails here."""
    speed, accuracy = _load(RESULTS / "speed.json"), _load(RESULTS / "accuracy.json")
    for case in _cases.cases():
        if not case.overrides:
            continue
        cell = benchmark_pages._cell(case.name)
        assert cell.startswith(f"{case.spec.name}<br><small>") and "[" not in cell
        for size in speed["settings"]["sizes"]:
            table = benchmark_pages.speed_table(speed, size)
            for mode in MODES:
                assert f"| {cell} | {mode} | " in table, (case.name, size, mode)
        if case.spec.elementwise:
            for dtype in ("float32", "float64"):
                assert f"| {cell} | " in benchmark_pages.accuracy_table(accuracy, dtype)
    lacks = "\n".join(benchmark_pages.speed_relu_section(speed))
    assert "| entmax<br><small>alpha=1.25</small> | $2^{20}$ | forward |" in lacks
    assert benchmark_pages.SPEED_RELU_CASES in lacks  # softmax's temperature is there too
    assert benchmark_pages.ACCURACY_CASES in benchmark_pages.accuracy_markdown(accuracy)
    # The entmax cases were timed in one round on the shared machine: the page says how loaded.
    provenance = benchmark_pages._provenance(speed, "python -m benchmarks.speed")
    (run,) = [r for r in speed["runs"] if "entmax[alpha=1.25]" in r["functions"]]
    assert re.search(r"`entmax\[alpha=1\.25\]`(?:[^()]|\([^()]*\))*?; 1 round\)", provenance)
    load = f"{run['date']} {run['load_average'][1]:.1f}"  # among the runs' loads, in order
    assert re.search(
        re.escape(benchmark_pages.LOAD) + r"[^\n]*?" + re.escape(load) + "[,.]", provenance
    )


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


RELU_CASE = "relu[negative_slope=0.1,max_value=6,threshold=0.5]"
"""An extra case whose parameters jax.nn does not take (benchmarks/_cases.py)."""
ARRAY_CASE = "entmax[alpha=array(1.25)]"


def test_harnesses_and_pages_end_to_end(tmp_path: Path) -> None:
    functions = ["relu", "sigmoid"]  # relu brings its extra case
    alone = {"speed": "maxout", "accuracy": "tanh_shrink"}  # jax.nn has neither
    _run(
        "benchmarks.speed",
        *("--log2-sizes", "10", "--functions", *functions, alone["speed"]),
        "--no-torch",
        *("--min-reps", "3", "--max-reps", "3", "--target-seconds", "0", "--rounds", "2"),
        *("--min-sample-seconds", "0", "--out", str(tmp_path / "speed.json")),
    )
    _run(
        "benchmarks.accuracy",
        *("--dense", "41", "--log-points", "24", "--bins", "10"),
        *("--functions", *functions, alone["accuracy"]),
        *("--no-torch", "--cache-dir", str(tmp_path / "cache")),
        *("--out", str(tmp_path / "accuracy.json")),
    )
    # The update mode: one more function, the others kept (the summary covers them all).
    _run(
        "benchmarks.accuracy",
        *("--dense", "41", "--log-points", "24", "--bins", "10", "--functions", "threshold"),
        *("--no-torch", "--cache-dir", str(tmp_path / "cache"), "--update"),
        *("--out", str(tmp_path / "accuracy.json")),
    )
    speed, accuracy = _load(tmp_path / "speed.json"), _load(tmp_path / "accuracy.json")
    assert list(accuracy["functions"]) == ["relu", RELU_CASE, "threshold", "sigmoid", "tanh_shrink"]
    assert [run["functions"] for run in accuracy["runs"]] == [
        ["relu", RELU_CASE, "sigmoid", alone["accuracy"]],
        ["threshold"],
    ]
    assert speed["functions"] == ["relu", RELU_CASE, "sigmoid", "maxout"]
    check_speed(speed, [*functions, alone["speed"], RELU_CASE])
    # Two rounds of 3 repetitions each, pooled.
    assert {r["reps"] for r in speed["results"]} == {6}
    check_accuracy(accuracy, [*functions, alone["accuracy"], RELU_CASE])
    # The case is scored alone (jax.nn's relu has no such options), and exactly: relu's
    # Keras options are one multiplication and a clamp.
    assert set(accuracy["functions"][RELU_CASE]["dtypes"]["float32"]) == {"jaxact"}
    assert accuracy["functions"][RELU_CASE]["dtypes"]["float64"]["jaxact"]["df"]["max_ulp"] == 0
    assert speed["libraries"] == accuracy["libraries"] == ["jaxact", "jax.nn"]
    assert set(accuracy["functions"]["tanh_shrink"]["dtypes"]["float64"]) == {"jaxact"}
    # The grid (step 2 on [-40, 40]) reaches sigmoid's tail, where jax.nn's derivative
    # ans * (1 - ans) is 0 long before the truth: the harness must see it.
    sigmoid = accuracy["functions"]["sigmoid"]["dtypes"]["float32"]
    assert sigmoid["jax.nn"]["df"]["max_ulp"] > 1e6
    assert sigmoid["jaxact"]["df"]["max_ulp"] < 4
    assert accuracy["functions"]["relu"]["dtypes"]["float64"]["jaxact"]["f"]["max_ulp"] < 0.01
    assert accuracy["functions"]["tanh_shrink"]["dtypes"]["float32"]["jaxact"]["f"]["max_ulp"] < 4

    files = benchmark_pages.generate_pages(str(tmp_path), cache_dir=str(tmp_path / "pages"))
    assert benchmark_pages.generate_pages(str(tmp_path), cache_dir=str(tmp_path / "pages")) == files
    assert set(files) >= {"benchmarks/accuracy.md", "benchmarks/speed.md"}
    for name in functions:
        assert f"| {name} |" in files["benchmarks/accuracy.md"]
        assert f"| {name} | forward |" in files["benchmarks/speed.md"]
        assert files[f"benchmarks/figures/accuracy-{name}.svg"].startswith(b"<?xml")
    # The functions jax.nn lacks: rows with the marker, and their ratio to jaxact.relu.
    rows = [line.strip() for line in files["benchmarks/accuracy.md"].splitlines()]
    found = [r for r in rows if r.startswith("| tanh_shrink |")]  # one per dtype tab
    assert len(found) == 2 and all(r.endswith("| no peer | – |") for r in found), found
    assert "| maxout | forward | no peer | – |" in files["benchmarks/speed.md"]
    # The extra cases: their rows name the parameters, their figure has a plain file name.
    case_cell = "relu<br><small>negative_slope=0.1, max_value=6, threshold=0.5</small>"
    assert f"| {case_cell} |" in files["benchmarks/accuracy.md"]
    assert f"| {case_cell} | forward | no peer | – |" in files["benchmarks/speed.md"]
    figure = "benchmarks/figures/accuracy-relu-negative_slope-0.1-max_value-6-threshold-0.5.svg"
    assert files[figure].startswith(b"<?xml")
    assert benchmark_pages.ACCURACY_CASES in files["benchmarks/accuracy.md"]
    assert benchmark_pages.SPEED_CASES in files["benchmarks/speed.md"]
    lacks = files["benchmarks/speed.md"].split("## Functions jax.nn lacks", 1)[1]
    lacks = lacks.split("\n## ", 1)[0]
    assert "| maxout | $2^{10}$ | forward+backward |" in lacks and "| relu |" not in lacks
    assert files["benchmarks/figures/accuracy-tanh_shrink.svg"].startswith(b"<?xml")
    assert files["benchmarks/figures/speed-ratios.svg"].startswith(b"<?xml")
    assert "python -m benchmarks.accuracy" in files["benchmarks/accuracy.md"]
    assert speed["date"] in files["benchmarks/speed.md"]


def _speed_run(functions: list[str], date: str, **settings: Any) -> dict[str, Any]:
    """A minimal speed.json of ``functions`` (one record per size and mode)."""
    base = {"sizes": [1024], "rounds": 3, "min_reps": 5, "command": "python -m benchmarks.speed"}
    records = [
        {"function": f, "size": 1024, "mode": m, "date": date, "peer": "jax.nn"}
        for f in functions
        for m in MODES
    ]
    libraries = ["jaxact", "jax.nn"]
    return {
        "date": date,
        "settings": {**base, **settings},
        "libraries": libraries,
        "functions": functions,
        "results": records,
        "runs": [
            {"date": date, "functions": functions, "libraries": libraries}
            | {"settings": {**base, **settings}}
        ],
    }


def test_speed_update_keeps_untimed_functions_and_refuses_other_settings(tmp_path: Path) -> None:
    from benchmarks import speed

    path = tmp_path / "speed.json"
    path.write_text(json.dumps(_speed_run(["relu", "tanh"], "old")))
    merged = speed.merge(_speed_run(["tanh"], "new"), str(path))
    assert merged["functions"] == ["relu", "tanh"]
    assert {(r["function"], r["date"]) for r in merged["results"]} == {
        ("relu", "old"),
        ("tanh", "new"),
    }
    # Each run says what it still holds: the old one relu only, tanh is the new one's.
    assert [(run["date"], run["functions"]) for run in merged["runs"]] == [
        ("old", ["relu"]),
        ("new", ["tanh"]),
    ]
    # The page has one table per size: a run at other sizes cannot join the file; one with
    # other rounds can, its run recording them.
    with pytest.raises(SystemExit, match="sizes differ"):
        speed.merge(_speed_run(["tanh"], "new", sizes=[2048]), str(path))
    quick = speed.merge(_speed_run(["tanh"], "new", rounds=1), str(path))
    assert [run["settings"]["rounds"] for run in quick["runs"]] == [3, 1]
    # Libraries may differ between runs (torch importable in one only): the file has both.
    other = _speed_run(["tanh"], "new")
    other["libraries"] = other["runs"][0]["libraries"] = ["jaxact", "jax.nn", "torch"]
    assert speed.merge(other, str(path))["libraries"] == ["jaxact", "jax.nn", "torch"]


def test_accuracy_update_keeps_other_functions_of_a_file_without_runs(tmp_path: Path) -> None:
    from benchmarks import accuracy

    settings = {"dense": 41, "log_points": 24, "bins": 10, "dps": 50}
    old = {
        "date": "old",
        "settings": settings,
        "libraries": ["jaxact", "jax.nn", "torch"],
        "functions": {"tanh": {"dtypes": {}}, "relu": {"dtypes": {}}},
        "machine": {"cpu_model": "cpu"},
        "versions": {"jaxact": "0.1.0"},
    }
    path = tmp_path / "accuracy.json"
    path.write_text(json.dumps(old))
    new = {
        "date": "new",
        "settings": settings,
        "libraries": ["jaxact"],
        "functions": {"tanh_shrink": {"dtypes": {}, "date": "new"}},
        "runs": [{"date": "new", "functions": ["tanh_shrink"], "libraries": ["jaxact"]}],
    }
    merged = accuracy.merge(new, str(path))
    assert list(merged["functions"]) == ["relu", "tanh", "tanh_shrink"]  # the registry's order
    assert {n: e["date"] for n, e in merged["functions"].items()} == {
        "relu": "old",
        "tanh": "old",
        "tanh_shrink": "new",
    }
    assert [run["date"] for run in merged["runs"]] == ["old", "new"]
    assert merged["libraries"] == ["jaxact", "jax.nn", "torch"]
    with pytest.raises(SystemExit, match="bins differ"):
        accuracy.merge({**new, "settings": {**settings, "bins": 20}}, str(path))


def test_one_command_runs_both_harnesses(monkeypatch: pytest.MonkeyPatch) -> None:
    """``python -m benchmarks``: accuracy (elementwise functions, then vector-valued ones),
    then speed."""
    from benchmarks import __main__ as both
    from benchmarks import accuracy, speed, vector_accuracy

    calls: list[tuple[str, list[str]]] = []
    monkeypatch.setattr(accuracy, "main", lambda argv: calls.append(("accuracy", argv)))
    monkeypatch.setattr(vector_accuracy, "main", lambda argv: calls.append(("vector", argv)))
    monkeypatch.setattr(speed, "main", lambda argv: calls.append(("speed", argv)))
    both.main(["--functions", "maxout", "relu", "--update"])
    assert calls == [
        ("accuracy", ["--update", "--functions", "relu"]),
        ("vector", ["--update", "--functions", "maxout"]),
        ("speed", ["--update", "--functions", "maxout", "relu"]),
    ]
    calls.clear()
    both.main(["--functions", "relu"])  # no vector-valued function: that harness is not run
    assert [c[0] for c in calls] == ["accuracy", "speed"]
    calls.clear()
    both.main([])  # the full run: every function, each harness's default settings
    assert calls == [("accuracy", []), ("vector", []), ("speed", [])]


def test_provenance_of_a_merged_file_names_its_runs() -> None:
    machine = {"cpu_model": "cpu", "cores": 2, "platform": "linux", "jax_backend": "cpu"}
    run = {"date": "d1", "functions": ["relu"], "libraries": ["jaxact", "jax.nn", "torch"]}
    results = {
        "kind": "accuracy",
        "date": "d2",
        "machine": machine,
        "versions": {"jaxact": "0.1.0", "torch": None},  # the latest run had no torch
        "runs": [
            {**run, "versions": {"jaxact": "0.1.0", "torch": "2.5"}},
            {**run, "date": "d2", "functions": ["tanh_shrink"], "libraries": ["jaxact"]}
            | {"versions": {"jaxact": "0.1.0", "torch": None}},
        ],
    }
    text = benchmark_pages._provenance(results, "python -m benchmarks.accuracy")
    assert "Not installed" not in text  # torch measured the rows of the first run
    assert "Merged from 2 runs: d1 (relu; jaxact, jax.nn, torch); d2 (tanh_shrink; jaxact)" in text
    results["runs"] = results["runs"][1:]
    assert "Not installed: torch." in benchmark_pages._provenance(results, "command")
