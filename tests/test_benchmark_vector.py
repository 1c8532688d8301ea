"""The vector-valued functions' accuracy: every one has an mpmath oracle and committed rows
(``benchmarks/results/accuracy_vector.json``), the Accuracy page shows them, the committed
figures keep the bars the notes pages state, and a few of them are recomputed live.

A vector-valued function registered without an oracle fails here naming it (add it to
``benchmarks/_vector_reference.py`` ``ORACLES``); one without rows names the command that adds
them (``python -m benchmarks.vector_accuracy --functions <name> --update``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jax
import jax.numpy as jnp
import mpmath
import numpy as np
import pytest
from _stated import note

import jaxact
from benchmarks import _cases, _common, _ulp, _vector_reference, vector_accuracy
from docsgen import benchmark_pages

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
CASES = {c.name: c for c in vector_accuracy.vector_cases()}
WHICH = ("f", "jac", "vjp")


def _load(path: Path = RESULTS / "accuracy_vector.json") -> dict[str, Any]:
    with open(path) as f:
        return json.load(f)


def _jax_nn_peer(case: _cases.Case) -> bool:
    jax_nn = _common.jax_equivalent(case.spec)
    return jax_nn is not None and _common.takes_all(jax_nn, case.overrides)


def test_every_vector_function_has_an_mpmath_oracle() -> None:
    vector = {s.name for s in jaxact.specs() if not s.elementwise}
    missing = sorted(vector - set(_vector_reference.ORACLES))
    assert not missing, f"no oracle in benchmarks/_vector_reference.py ORACLES: {missing}"
    assert set(_vector_reference.ORACLES) == vector  # none for a function no longer registered


def test_the_cases_are_the_registrys_vector_functions_and_their_extra_cases() -> None:
    names = list(CASES)
    for spec in jaxact.specs():
        assert (spec.name in names) == (not spec.elementwise), spec.name
    for name, overrides in _cases.EXTRA_CASES.items():
        if not jaxact.get(name).elementwise:
            assert all(_cases.Case(jaxact.get(name), o).name in names for o in overrides)
    assert "entmax[alpha=array(1.25)]" in names and "softmax[temperature=0.5]" in names


def check_vector(results: dict[str, Any], names: list[str]) -> None:
    """Every record of ``names`` present and well formed, jax.nn's column where jax.nn has
    the function and takes the case's parameters."""
    assert results["kind"] == "accuracy_vector" and results["libraries"][0] == "jaxact"
    missing = sorted(set(names) - set(results["functions"]))
    command = f"python -m benchmarks.vector_accuracy --functions {' '.join(missing)} --update"
    assert not missing, f"no vector accuracy rows: run `{command}`"
    for name in names:
        record = results["functions"][name]
        case = CASES[name]
        assert record["params"] == case.params, name
        assert record["families"] == list(vector_accuracy.families(case)), name
        for dtype in ("float32", "float64"):
            by_lib = record["dtypes"][dtype]
            assert ("jax.nn" in by_lib) == _jax_nn_peer(case), (name, dtype)
            assert "jaxact" in by_lib and set(by_lib) <= set(results["libraries"])
            for entry in by_lib.values():
                for which in WHICH:
                    e = entry[which]
                    assert e["max_ulp"] is not None and 0 <= e["max_ulp"] < float("inf")
                    assert e["worst"]["family"] in record["families"]
                    assert e["worst"]["width"] in results["settings"]["widths"]
                    assert isinstance(e["nonfinite"], int) and e["nonfinite"] >= 0
                    assert set(e["families"]) == set(record["families"])
                    assert max(v for v in e["families"].values() if v is not None) == e["max_ulp"]


def test_committed_results_cover_every_vector_function_and_case() -> None:
    results = _load()
    check_vector(results, list(CASES))
    settings = results["settings"]
    assert settings["widths"] == list(vector_accuracy.WIDTHS)
    assert settings["families"] == list(vector_accuracy.FAMILIES)
    for run in results["runs"]:
        assert set(run["functions"]) <= set(results["functions"])


def test_committed_rows_are_the_harness_rows() -> None:
    # What the page says of the rows is what the harness draws.
    x = vector_accuracy.rows("offset", 8, "float32")
    assert np.allclose(np.median(x, axis=1), np.resize([1e4, 1e20], len(x)), rtol=0.05)
    dominant = vector_accuracy.rows("dominant", 64, "float64")
    top = np.sort(dominant, axis=1)
    assert np.all((top[:, -1] - top[:, -2] >= 20) & (top[:, -1] - top[:, -2] <= 700 + 300))
    assert np.all(vector_accuracy.rows("ties", 8, "float64")[0] == vector_accuracy.rows(
        "ties", 8, "float64")[0, 0])  # fmt: skip
    masked = vector_accuracy.rows("masked", 1024, "float32", -np.inf)
    share = np.isinf(masked).mean()
    assert 0.2 < share < 0.3 and np.all(np.isfinite(masked[:, 0]))
    assert "masked" not in vector_accuracy.families(CASES["glu"])
    assert "masked" in vector_accuracy.families(CASES["softmin"])


def test_accuracy_page_shows_every_vector_function_in_both_dtypes() -> None:
    vector = _load()
    page = benchmark_pages.accuracy_markdown(_load(RESULTS / "accuracy.json"), vector)
    section = page.split(f"## {benchmark_pages.VECTOR_HEADING}", 1)[1].split("\n## ", 1)[0]
    for name, record in vector["functions"].items():
        rows = [line.strip() for line in section.splitlines()]
        found = [r for r in rows if r.startswith(f"| {benchmark_pages._cell(name)} |")]
        assert len(found) == 2, name  # one per dtype tab
        for row, dtype in zip(found, ("float32", "float64"), strict=True):
            e = record["dtypes"][dtype]["jaxact"]
            cell = " / ".join(benchmark_pages._ulp(e[w]["max_ulp"]) for w in WHICH)
            assert row.startswith(f"| {benchmark_pages._cell(name)} | {cell} |"), (row, cell)
            if "jax.nn" not in record["dtypes"][dtype]:  # a case jax.nn lacks a parameter of: –
                lacks = not benchmark_pages._has_peer(name, "jax.nn")
                assert row.endswith("| no peer | – |" if lacks else "| – | – |"), row
    s = vector["settings"]
    assert "1024 entries" in section and "$10^{200}$" in section and "20–700 (float64)" in section
    assert f"up to {s['jacobian_max_width']} entries" in section
    assert "python -m benchmarks.vector_accuracy" in section and vector["date"] in section


# The bars the notes pages state for the vector-valued functions (docs/_notes/<name>.md).
STATED_BARS = {
    # p and J within 4 ULP (entmax: at every α it names, where κ_i <= 1/ε; random rows are)
    "entmax15": ("checks 4 ULP", 4.0),
    "entmax": ("(checked: 4 ULP at α =", 4.0),
}


@pytest.mark.parametrize("name", sorted(STATED_BARS))
def test_committed_entmax_figures_are_within_the_bar_its_page_states(name: str) -> None:
    text, bar = STATED_BARS[name]
    assert text in note(name)
    results = _load()
    for record_name, record in results["functions"].items():
        if _cases.base_name(record_name) != name:
            continue
        for dtype in ("float32", "float64"):
            e = record["dtypes"][dtype]["jaxact"]
            assert e["f"]["max_ulp"] <= bar, (record_name, dtype, e["f"])
            assert e["jac"]["max_ulp"] <= bar, (record_name, dtype, e["jac"])
            assert e["f"]["nonfinite"] == e["jac"]["nonfinite"] == e["vjp"]["nonfinite"] == 0


def test_committed_sparsemax_and_entmax_records_score_every_entry() -> None:
    # The oracle is finite on every row, masked rows whose support is every finite entry
    # included (test_oracle_on_a_masked_row_whose_support_is_every_finite_entry), so no entry
    # of f, J or cᵀJ is left unscored.
    for record_name, record in _load()["functions"].items():
        if _cases.base_name(record_name) not in ("sparsemax", "entmax15", "entmax"):
            continue
        for dtype in ("float32", "float64"):
            e = record["dtypes"][dtype]["jaxact"]
            assert [e[w]["not_scored"] for w in WHICH] == [0, 0, 0], (record_name, dtype)


def test_committed_maxout_is_exact() -> None:
    # A maximum is an entry of the row; its derivative selects (ties: shared equally).
    for dtype in ("float32", "float64"):
        e = _load()["functions"]["maxout"]["dtypes"][dtype]["jaxact"]
        assert [e[w]["max_ulp"] for w in WHICH] == [0, 0, 0], dtype


def test_committed_figures_show_the_pitfalls_jax_nn_has_and_jaxact_avoids() -> None:
    # NUMERICS.md 2 and 3: jax.nn's glu derivative ans * (1 - ans) and log_softmax's largest
    # entry (and its Jacobian's 1 - p_m) lose every digit where the truth is tiny; jaxact's
    # keep them.
    functions = _load()["functions"]
    for dtype, lost in (("float32", 1e6), ("float64", 1e14)):
        glu = functions["glu"]["dtypes"][dtype]
        assert glu["jax.nn"]["vjp"]["max_ulp"] > lost and glu["jaxact"]["vjp"]["max_ulp"] < 4
        log_softmax = functions["log_softmax"]["dtypes"][dtype]
        assert log_softmax["jax.nn"]["f"]["max_ulp"] > lost
        assert log_softmax["jaxact"]["f"]["max_ulp"] < 1e3
        assert log_softmax["jax.nn"]["jac"]["max_ulp"] > lost
        assert log_softmax["jaxact"]["jac"]["max_ulp"] < 1e3


SPOT_CHECKS = (
    ("softmax", "float32", "jax.nn", "f"),
    ("glu", "float64", "jaxact", "vjp"),
    ("log_softmax", "float64", "jaxact", "jac"),
    ("swiglu", "float32", "jaxact", "vjp"),
    # entmax's general path takes ~15 s to compile its three programs here.
    pytest.param(("entmax[alpha=1.25]", "float32", "jaxact", "jac"), marks=pytest.mark.slow),
)


@pytest.mark.parametrize("check", SPOT_CHECKS, ids=lambda c: "-".join(c))
def test_recomputed_worst_entry_is_the_committed_figure(check: tuple[str, ...]) -> None:
    name, dtype, lib, which = check
    entry = _load()["functions"][name]["dtypes"][dtype][lib][which]
    with jax.enable_x64(dtype == "float64"):
        err = vector_accuracy.row_error(CASES[name], dtype, lib, which, entry["worst"])
    assert err == pytest.approx(entry["max_ulp"], rel=1e-3, abs=1e-3), entry


def test_oracle_keeps_the_digits_of_a_nearly_certain_entry() -> None:
    # softmax([0, -800])'s Jacobian diagonal p(1 - p) ~ e^-800: 1 - p is not formed.
    with mpmath.workdps(50):
        e = _vector_reference.exact("softmax", [0.0, -800.0], {"temperature": 1.0})
        diagonal = e.vjp([mpmath.mpf(1), mpmath.mpf(0)])[0][0]
        assert diagonal == pytest.approx(mpmath.exp(-800), rel=1e-40)
        # cᵀJ cancels to ~e^-800 too, and its term sizes are of that size, not 1.
        value, size = e.vjp([mpmath.mpf(1), mpmath.mpf(1)])
        assert abs(value[0]) < mpmath.mpf(10) ** -300 and size[0] < mpmath.mpf(10) ** -300


# A masked row whose support is every finite entry (at α = 4 too: at the smallest finite
# score the others' terms (3 Δx)^(1/3) sum to 0.69): the next sorted score below the support is
# −inf. The oracle once took that infinite gap as Newton's first step, gave +inf to every
# finite entry, and the harness left them unscored.
FULL_SUPPORT_MASKED_ROW = [2.0**-7, -np.inf, 0.0, 2.0**-8, -np.inf, 2.0**-9]
ENTMAX_ORACLES = (
    ("sparsemax", {}),
    ("entmax15", {}),
    ("entmax", {"alpha": 1.25}),
    ("entmax", {"alpha": 4.0}),
)


@jax.jit
def _entmax_at(v: jax.Array, alpha: jax.Array) -> jax.Array:
    return jaxact.entmax(v, alpha=alpha)  # α traced: one program for both α


@pytest.mark.parametrize(
    ("name", "params"), ENTMAX_ORACLES, ids=[f"{n}{p.get('alpha', '')}" for n, p in ENTMAX_ORACLES]
)
def test_oracle_on_a_masked_row_whose_support_is_every_finite_entry(name, params) -> None:
    row = FULL_SUPPORT_MASKED_ROW
    kept = [bool(np.isfinite(v)) for v in row]
    with mpmath.workdps(50):
        e = _vector_reference.exact(name, row, params)
        assert all(mpmath.isfinite(p) for p in e.y), e.y
        assert [p > 0 for p in e.y] == kept, e.y  # masked entries 0, every finite one in
        assert abs(mpmath.fsum(e.y) - 1) < mpmath.mpf(10) ** -45
        value, size = e.vjp([mpmath.mpf(k + 1) for k in range(len(row))])
        assert all(mpmath.isfinite(t) for t in value + size), value
        hi, lo = _ulp.split_reference(e.y)
    for dtype in ("float32", "float64"):
        with jax.enable_x64(dtype == "float64"):
            v = jnp.asarray(row, dtype)
            if name == "entmax":
                got = _entmax_at(v, jnp.asarray(params["alpha"], dtype))
            else:
                got = getattr(jaxact, name)(v)
            err = _ulp.ulp_error(np.asarray(got), hi, lo, dtype, _ulp.FLOORS[dtype])
        assert np.all(err <= 4), (dtype, err)  # the bar of the entmax pages


def test_update_keeps_other_functions_and_refuses_other_rows(tmp_path: Path) -> None:
    out, cache = str(tmp_path / "v.json"), str(tmp_path / "cache")
    common = ["--widths", "2", "--no-torch", "--cache-dir", cache, "--out", out]
    vector_accuracy.main(["--functions", "maxout", *common])
    vector_accuracy.main(["--functions", "reglu", "--update", *common])
    results = _load(Path(out))
    assert list(results["functions"]) == ["maxout", "reglu"]  # the registry's order
    assert [run["functions"] for run in results["runs"]] == [["maxout"], ["reglu"]]
    check_vector(results, ["maxout", "reglu"])
    with pytest.raises(SystemExit, match="widths"):
        vector_accuracy.main(["--functions", "glu", "--update", *common[:1], "8", *common[2:]])


def test_unknown_function_is_refused() -> None:
    with pytest.raises(SystemExit, match="relu"):
        _cases.select(vector_accuracy.vector_cases(), ["relu"])
