"""softmax, log_softmax and softmin: masks, half precision, gradients, and the fused paths.

Without a mask softmax and log_softmax are written for one XLA/YNNPACK fusion (no compare
or select), so their special cases come from arithmetic instead; these tests pin each of
them, in batches large enough that XLA takes that path, against the masked (select-based)
path and jax.nn.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jax
import jax.numpy as jnp
import mpmath
import numpy as np
import pytest
from _activation_cases import x64
from _stated import figures, note
from _xla import compiled_ops, fused_kernels

import jaxact
from benchmarks import _vector_reference
from benchmarks._vector_reference import softmax_row

F32, F64, F16 = jnp.float32, jnp.float64, jnp.float16
BIG32 = float(np.finfo(np.float32).max)
INF, NAN = np.inf, np.nan


def _rows(dtype) -> tuple[np.ndarray, np.ndarray]:
    """(rows, expected log_softmax) for the special cases, padded to 8 entries with -inf."""
    cases = [
        ([0.0, -20.0], [-np.log1p(np.exp(-20)), -20 - np.log1p(np.exp(-20))]),  # exact
        ([3.0, 3.0, -40.0], [-np.log(2), -np.log(2), -43.0 - np.log(2)]),  # a tie
        ([1.0, 1.0, 1.0, 1.0], [-np.log(4)] * 4),
        ([INF, 1.0, INF], [-np.log(2), -INF, -np.log(2)]),  # +inf logits share
        ([INF, -INF, 0.0], [0.0, -INF, -INF]),
        ([-INF, -INF], [-INF, -INF]),  # all -inf: fully masked
        ([-INF, 1.0, 2.0], [-INF, -1 - np.log1p(np.exp(-1)), -np.log1p(np.exp(-1))]),
        ([NAN, 1.0, 2.0], [NAN, NAN, NAN]),  # NaN anywhere: the row is NaN
        ([2.0, NAN], [NAN, NAN]),
    ]
    x = np.full((len(cases), 8), -INF)
    want = np.full((len(cases), 8), -INF)
    for i, (row, expected) in enumerate(cases):
        x[i, : len(row)] = row
        want[i, : len(row)] = expected
        if np.isnan(row).any():
            want[i] = NAN  # the padding too
    return x.astype(dtype), want


@pytest.mark.parametrize("name", ["log_softmax", "softmax"])
@pytest.mark.parametrize("dtype", [F32, F64])
def test_special_rows_on_the_fused_path(dtype, name) -> None:
    x, want = _rows(dtype)
    if name == "softmax":
        with np.errstate(invalid="ignore"):
            want = np.exp(want)
    fn = getattr(jaxact, name)
    with jax.enable_x64(dtype == F64):
        # 512 copies (4608 rows; XLA makes one YNNPACK kernel from 4096 rows on, several
        # loops below), single rows, and the masked path.
        batch = jnp.tile(jnp.asarray(x), (512, 1))
        got = np.asarray(jax.jit(fn)(batch))
        one = np.stack([np.asarray(fn(jnp.asarray(r))) for r in x])
        masked = np.asarray(fn(jnp.asarray(x), where=jnp.ones(x.shape, bool)))
    rtol = 1e-6 if dtype == F32 else 1e-14
    for out in (*np.split(got, 512), one, masked):
        np.testing.assert_allclose(out, want, rtol=rtol, atol=0)
        assert np.array_equal(np.isnan(out), np.isnan(want))


@pytest.mark.parametrize("name", ["log_softmax", "softmax"])
def test_max_float_ties_with_inf_without_a_mask(name) -> None:
    # The documented convention of the fused path: +inf is clipped to max_float, so a finite
    # max_float entry shares with the +inf entries (the masked path keeps them apart).
    x = np.array([[BIG32, INF, 0.0, INF]], np.float32)
    fn = getattr(jaxact, name)
    half = 1 / 3 if name == "softmax" else -np.log(3)
    rest = 0.0 if name == "softmax" else -INF
    want = np.array([[half, half, rest, half]])
    for out in (fn(jnp.asarray(x)), jax.jit(fn)(jnp.tile(jnp.asarray(x), (4096, 1)))[:1]):
        np.testing.assert_allclose(np.asarray(out), want, rtol=1e-6)
    masked = np.asarray(fn(jnp.asarray(x), where=jnp.ones(x.shape, bool)))
    np.testing.assert_allclose(
        masked,
        [[rest, 0.5, rest, 0.5] if name == "softmax" else [rest, -np.log(2), rest, -np.log(2)]],
        rtol=1e-6,
    )


def test_largest_entry_keeps_tiny_values_float64() -> None:
    # -log1p(sum of the others), however small they are (jax.nn gives 0 for all of these).
    with jax.enable_x64(True):
        for gap in (20.0, 40.0, 300.0):
            got = float(jaxact.log_softmax(jnp.array([0.0, -gap, -gap - 1], F64))[0])
            want = -float(mpmath.log1p(mpmath.exp(-gap) + mpmath.exp(-gap - 1)))
            assert got == pytest.approx(want, rel=4e-16), gap


@pytest.mark.parametrize("dtype", [F32, F64])
def test_random_rows_against_mpmath(dtype) -> None:
    mpmath.mp.dps = 40
    rng = np.random.default_rng(11)
    x = (rng.standard_normal((40, 16)) * rng.choice([0.1, 3.0, 30.0], (40, 1))).astype(dtype)
    with jax.enable_x64(dtype == F64):
        got = np.asarray(jax.jit(jaxact.log_softmax)(jnp.asarray(x)), np.float64)
    eps = float(np.finfo(dtype).eps)
    for row, out in zip(x, got, strict=True):
        v = [mpmath.mpf(float(t)) for t in row]
        lse = mpmath.log(mpmath.fsum(mpmath.exp(t) for t in v))
        ref = np.array([float(t - lse) for t in v])
        # (x_i - m) - lse rounds at the scale of its larger operand: 2 ULP of that.
        scale = np.maximum(np.abs(ref), float(lse - max(v)))
        assert np.all(np.abs(out - ref) <= 2 * eps * np.maximum(scale, np.abs(row - max(row))))


def test_gradient_and_hessian_match_the_formula_float64() -> None:
    # d L_i / d x_j = delta_ij - s_j and d^2 L_i / dx_j dx_k = s_j s_k - delta_jk s_j.
    rng = np.random.default_rng(5)
    with jax.enable_x64(True):
        x = jnp.asarray(rng.standard_normal(6) * 3)
        s = np.asarray(jax.nn.softmax(x))
        jac = np.asarray(jax.jacrev(jaxact.log_softmax)(x))
        np.testing.assert_allclose(jac, np.eye(6) - s[None, :], rtol=1e-13, atol=1e-15)
        hess = np.asarray(jax.hessian(lambda v: jaxact.log_softmax(v)[2])(x))
        np.testing.assert_allclose(hess, np.outer(s, s) - np.diag(s), rtol=1e-12, atol=1e-15)


def test_masked_gradient_is_zero_on_excluded_entries_and_matches_jax_nn() -> None:
    x = jnp.array([[1.0, 2.0, 3.0, 4.0], [0.5, -1.0, 2.0, 0.0]], F32)
    mask = jnp.array([[True, False, True, True], [False, False, False, False]])
    g = jnp.array([[0.3, -1.0, 2.0, 0.5], [1.0, 1.0, 1.0, 1.0]], F32)

    def vjp(fn):
        y, pull = jax.vjp(lambda v: fn(v, where=mask), x)
        return np.asarray(pull(g)[0])

    ours = vjp(jaxact.log_softmax)
    np.testing.assert_array_equal(ours[~np.asarray(mask)], 0.0)
    np.testing.assert_allclose(ours[0], vjp(jax.nn.log_softmax)[0], rtol=1e-6, atol=1e-7)


def test_infinite_logits_give_finite_gradients() -> None:
    x = jnp.array([[jnp.inf, 1.0, jnp.inf], [-jnp.inf, -jnp.inf, -jnp.inf]], F32)
    g = jax.grad(lambda v: jnp.sum(jnp.where(jnp.isfinite(y := jaxact.log_softmax(v)), y, 0)))(x)
    assert bool(jnp.all(jnp.isfinite(g))), g


BENCH = (4096, 1024)  # the benchmark's 2^22 values (compiled, not run)


def test_log_softmax_compiles_to_no_more_kernels_than_jax_nn() -> None:
    # At 2^22 values both are one kernel forward; the VJP is two here (jax.nn's six). The
    # previous form (selects, plain and exact forms both evaluated) was 8 and 12, with
    # full-size intermediates written to memory between them. (For smaller arrays XLA splits
    # both differently.)
    if jax.default_backend() != "cpu":
        pytest.skip("fusion structure is XLA CPU's")
    assert fused_kernels(jaxact.log_softmax, vjp=False, shape=BENCH) == 1
    assert fused_kernels(jaxact.log_softmax, vjp=True, shape=BENCH) == 2
    assert fused_kernels(jax.nn.log_softmax, vjp=True, shape=BENCH) >= 2


def test_log_softmax_does_the_extra_work_its_conventions_state() -> None:
    # The conventions say what the exact largest entry and the +inf rule cost: one more sum
    # over the row than jax.nn (which has a max and a sum) and one multiply per entry (+inf
    # scaling; the sign weighting of the sum is a second). If XLA or a rewrite changes this,
    # the stated cost, and the Speed page's pointer to it, must change with it.
    if jax.default_backend() != "cpu":
        pytest.skip("fusion structure is XLA CPU's")
    (text,) = [c for c in jaxact.get("log_softmax").conventions if "cost work" in c]
    assert "a second sum over the row" in text and "one multiply per entry" in text
    rows = BENCH[:1]
    assert len(compiled_ops(jax.nn.log_softmax, ("reduce",), rows, BENCH)) == 2  # max, sum
    # max, the others, the tie count
    assert len(compiled_ops(jaxact.log_softmax, ("reduce",), rows, BENCH)) == 3
    assert len(compiled_ops(jax.nn.log_softmax, ("multiply",), BENCH, BENCH)) == 0
    assert len(compiled_ops(jaxact.log_softmax, ("multiply",), BENCH, BENCH)) == 2


def test_softmax_compiles_to_no_more_kernels_than_jax_nn() -> None:
    # One kernel forward, as jax.nn; the VJP is two (jax.nn's seven). The select-based form
    # (the masked path) was 5 and 9, with e written to memory between them.
    if jax.default_backend() != "cpu":
        pytest.skip("fusion structure is XLA CPU's")
    assert fused_kernels(jaxact.softmax, vjp=False, shape=BENCH) == 1
    assert fused_kernels(jax.nn.softmax, vjp=False, shape=BENCH) == 1
    assert fused_kernels(jaxact.softmax, vjp=True, shape=BENCH) == 2
    assert fused_kernels(jax.nn.softmax, vjp=True, shape=BENCH) >= 2


def test_softmax_gradient_and_hessian_match_the_formula_float64() -> None:
    # d s_i / d x_j = s_i (delta_ij - s_j); d^2 s_2 / dx_j dx_k from the same rule twice.
    rng = np.random.default_rng(6)
    with jax.enable_x64(True):
        x = jnp.asarray(rng.standard_normal(6) * 3)
        s = np.asarray(jax.nn.softmax(x))
        jac = np.asarray(jax.jacrev(jaxact.softmax)(x))
        np.testing.assert_allclose(jac, np.diag(s) - np.outer(s, s), rtol=1e-13, atol=1e-16)
        hess = np.asarray(jax.hessian(lambda v: jaxact.softmax(v)[2])(x))
        e2 = np.eye(6)[2]
        want = s[2] * (np.outer(e2 - s, e2 - s) - np.diag(s) + np.outer(s, s))
        np.testing.assert_allclose(hess, want, rtol=1e-12, atol=1e-16)


# -- fused producers, length-1 rows, the dominant entry's gradient ----------------------------


@pytest.mark.parametrize("scale", [0.7, 1 / 1.3])
def test_log_softmax_fed_by_a_multiply_under_jit(scale) -> None:
    # XLA contracts x * c into the subtraction of the row maximum (an FMA): the largest
    # entry's difference was its rounding error, not 0, and rows' logsumexp came out 1.08.
    x = jnp.asarray(np.random.default_rng(0).normal(size=(64, 10)) * 3, F32)
    fused = np.asarray(jax.jit(lambda v: jaxact.log_softmax(v * scale))(x))
    plain = np.asarray(jaxact.log_softmax(np.asarray(x * scale)))
    np.testing.assert_allclose(fused, plain, rtol=2e-6, atol=2e-6)
    lse = np.log(np.sum(np.exp(fused.astype(np.float64)), axis=-1))
    assert np.max(np.abs(lse)) < 1e-6


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "softmin"])
@pytest.mark.parametrize("axis", [-1, None])
def test_length_one_masked_row_gives_no_nan(name, axis) -> None:
    # A length-1 row of -inf (+inf for softmin) is fully masked: 0 (softmax) or -inf
    # (log_softmax), finite gradients. XLA drops the initial value of a reduction over a
    # length-1 axis, and the row's maximum was -inf: NaN.
    fn = getattr(jaxact, name)
    x = jnp.array([jnp.inf if name == "softmin" else -jnp.inf], F32)
    want = -np.inf if name == "log_softmax" else 0.0
    for v in (x, x[None], jnp.tile(x[None], (4096, 1))):
        for out in (fn(v, axis=axis), jax.jit(lambda u: fn(u, axis=axis))(v)):
            assert np.all(np.asarray(out) == want), (v.shape, out)
        grad = jax.grad(lambda u: jnp.sum(jnp.where(jnp.isfinite(y := fn(u, axis=axis)), y, 0)))
        assert np.all(np.isfinite(np.asarray(grad(v))))
        jac = jax.jacrev(lambda u: fn(u, axis=axis))(v[..., :1].reshape(-1)[:1])
        assert np.all(np.isfinite(np.asarray(jac)))


def _softmax_vjp_exact(x: np.ndarray, g: np.ndarray) -> np.ndarray:
    mpmath.mp.dps = 50
    e = [mpmath.exp(mpmath.mpf(float(t))) for t in x]
    s = [v / mpmath.fsum(e) for v in e]
    sg = mpmath.fsum(a * mpmath.mpf(float(b)) for a, b in zip(s, g, strict=True))
    return np.array([float(a * (mpmath.mpf(float(b)) - sg)) for a, b in zip(s, g, strict=True)])


DOMINANT = np.array([-0.168, 16.157], np.float32)
VJP_RTOL_ULP = 16
"""exp of x - m rounded is off by |x - m| / 2 ULP (8 here): 16 ULP relative in all."""


def _dominant_cotangents() -> np.ndarray:
    """Standard normal cotangents with |g1 - g2| > 0.05 (closer ones make the truth itself
    ill-conditioned in g)."""
    gs = np.random.default_rng(3).normal(size=(64, 2)).astype(np.float32)
    return gs[np.abs(gs[:, 0] - gs[:, 1]) > 0.05]


def _dominant_vjps(fn) -> tuple[np.ndarray, np.ndarray]:
    """(fn's VJPs at DOMINANT for each cotangent, the exact ones)."""
    gs = _dominant_cotangents()
    run = jax.jit(jax.vmap(lambda g: jax.vjp(fn, DOMINANT)[1](g)[0]))
    want = np.stack([_softmax_vjp_exact(DOMINANT, g) for g in gs])
    return np.asarray(run(jnp.asarray(gs)), np.float64), want


@pytest.mark.parametrize("masked", [False, True])
def test_softmax_vjp_of_a_dominant_entry_against_mpmath(masked) -> None:
    # jax.nn's y (g - sum(y g)) cancels at the dominant entry: x = [-0.168, 16.157] gave
    # -6.43e-8 where the truth is -2.58e-8, and the VJP no longer summed to 0.
    kw = {"where": jnp.array([True, True])} if masked else {}
    got, want = _dominant_vjps(lambda v: jaxact.softmax(v, **kw))
    np.testing.assert_allclose(got, want, rtol=VJP_RTOL_ULP * 2.0**-24, atol=0)
    # The two entries cancel to rounding (jax.nn's rule left 4e-8 against entries of 1e-8).
    assert np.all(np.abs(got.sum(axis=1)) <= 2.0**-22 * np.abs(got).max(axis=1))


def test_softmax_page_states_the_dominant_entry_vjp_errors_measured_here() -> None:
    # The page: "For x = (-0.168, 16.157) and N ... cotangents ..., the worst error is E ULP
    # (float32, within the tested 16; `jax.nn`: J ULP, and its two entries no longer sum to 0)".
    notes = (Path(__file__).parents[1] / "docs" / "_notes" / "softmax.md").read_text()
    found = re.search(
        r"\$x = \(-0\.168, 16\.157\)\$ and (\d+) standard normal cotangents \(those with "
        r"\$\|g_1 - g_2\| > 0\.05\$\), the worst error is ([\d.]+) ULP \(float32, within the "
        r"tested (\d+); `jax.nn`: \$([\d.]+) \\times 10\^(\d+)\$ ULP",
        notes,
    )
    assert found, "softmax's page no longer states the dominant-entry VJP figures"
    count, ours, bound, mantissa, exponent = found.groups()
    assert int(count) == len(_dominant_cotangents()) and int(bound) == VJP_RTOL_ULP
    ulp = np.spacing(np.abs(_dominant_vjps(jaxact.softmax)[1]).astype(np.float32))
    for fn, stated in (
        (jaxact.softmax, float(ours)),
        (jax.nn.softmax, float(mantissa) * 10.0 ** int(exponent)),
    ):
        got, want = _dominant_vjps(fn)
        assert (np.abs(got - want) / ulp).max() == pytest.approx(stated, rel=0.1), fn
    got, _ = _dominant_vjps(jax.nn.softmax)
    assert np.any(np.abs(got.sum(axis=1)) > 2.0**-22 * np.abs(got).max(axis=1))


@x64
def test_softmax_worked_example():
    p = jaxact.softmax(jnp.arange(-5.0, 6.0))
    assert [round(float(v), 3) for v in p[-3:]] == [0.086, 0.233, 0.632]
    assert float(jnp.sum(p)) == pytest.approx(1.0, abs=1e-6)


@x64
def test_log_softmax_largest_entry_exact():
    got = jaxact.log_softmax(jnp.array([0.0, -20.0], F32))
    np.testing.assert_allclose(got[0], -np.log1p(np.exp(-20.0)), rtol=1e-6)
    got = jaxact.log_softmax(jnp.array([3.0, 3.0, -40.0], F64))
    np.testing.assert_allclose(got[:2], -np.log(2) - np.log1p(np.exp(-43.0) / 2), rtol=1e-15)


def test_log_softmax_page_numbers_come_from_the_library():
    # The page's example of the largest entry: the code it shows, the value it states (to the
    # digits shown) and jax.nn's 0.
    convention = next(
        c for c in jaxact.get("log_softmax").conventions if "jnp.array([0.0, -20.0])" in c
    )
    mantissa, exponent = re.search(r"is \$(-[\d.]+) \\times 10\^\{(-\d+)\}\$", convention).groups()
    x = jnp.array([0.0, -20.0])
    shown = float(mantissa) * 10.0 ** int(exponent)
    assert f"{float(jaxact.log_softmax(x)[0]):.2e}" == f"{shown:.2e}"
    assert "jax.nn gives 0." in convention and float(jax.nn.log_softmax(x)[0]) == 0.0
    # The notes' common mistake, in float32.
    notes = (Path(__file__).parents[1] / "docs" / "_notes" / "log_softmax.md").read_text()
    assert "`log(softmax([0, -200]))` is $(0, -\\infty)$ in float32" in notes
    assert "`log_softmax([0, -200])` is $(0, -200)$" in notes
    x = jnp.array([0.0, -200.0], F32)
    with np.errstate(divide="ignore"):  # the underflowed 0 is the point
        assert np.log(np.asarray(jaxact.softmax(x))).tolist() == [0.0, -np.inf]
    assert np.asarray(jaxact.log_softmax(x)).tolist() == [0.0, -200.0]


@x64
def test_half_precision_long_rows_accumulate_in_float32():
    x = jnp.zeros(70000, F16)
    assert float(jaxact.softmax(x)[0]) == pytest.approx(1 / 70000, rel=5e-3)
    assert float(jaxact.log_softmax(x)[0]) == pytest.approx(-np.log(70000), rel=1e-3)
    assert jaxact.softmax(x).dtype == F16


@x64
def test_softmax_masking_matches_jax_nn():
    x = jnp.array([[1.0, 2.0, 3.0], [0.5, -1.0, 4.0]])
    where = jnp.array([[True, False, True], [True, True, False]])
    for ours, theirs in [
        (jaxact.softmax, jax.nn.softmax),
        (jaxact.log_softmax, jax.nn.log_softmax),
    ]:
        np.testing.assert_allclose(ours(x, where=where), theirs(x, where=where), rtol=1e-6)


@x64
def test_fully_masked_rows_and_infinite_logits_give_no_nan():
    x = jnp.array([1.0, jnp.inf, 3.0, jnp.inf])
    none = jnp.zeros(4, bool)
    np.testing.assert_array_equal(jaxact.softmax(x, where=none), [0, 0, 0, 0])
    np.testing.assert_array_equal(jaxact.log_softmax(x, where=none), [-np.inf] * 4)
    np.testing.assert_array_equal(jaxact.softmax(x), [0, 0.5, 0, 0.5])
    np.testing.assert_allclose(jaxact.log_softmax(x), [-np.inf, -np.log(2), -np.inf, -np.log(2)])
    np.testing.assert_array_equal(jaxact.softmax(jnp.full(3, -jnp.inf)), [0, 0, 0])
    for fn in (jaxact.softmax, jaxact.log_softmax):
        g = jax.grad(lambda v, fn=fn: jnp.sum(fn(v, where=jnp.array([1, 1, 1, 0], bool))[:1]))(x)
        assert np.all(np.isfinite(g))


@x64
def test_softmax_gradient_matches_jax_nn():
    x = jnp.array([0.3, -1.2, 2.0, 0.0], F64)
    for ours, theirs in [
        (jaxact.softmax, jax.nn.softmax),
        (jaxact.log_softmax, jax.nn.log_softmax),
    ]:
        np.testing.assert_allclose(jax.jacobian(ours)(x), jax.jacobian(theirs)(x), rtol=1e-12)
        tied = jnp.array([2.0, 2.0, -1.0, 0.5], F64)
        np.testing.assert_allclose(
            jax.hessian(lambda v, f=ours: f(v)[0])(tied),
            jax.hessian(lambda v, f=theirs: f(v)[0])(tied),
            rtol=1e-12,
            atol=1e-15,
        )


@x64
def test_softmin_is_softmax_of_negative():
    x = jnp.array([[0.0, 1.0, -2.0]])
    np.testing.assert_allclose(jaxact.softmin(x, axis=1), jax.nn.softmax(-x, axis=1), rtol=1e-6)


# -- log_softmax's derivative at a dominant entry -----------------------------------------------


def _log_softmax_jacobian_exact(row: np.ndarray) -> np.ndarray:
    """J[k, i] = δ_ki − p_i of one row (−inf entries masked), from the mpmath oracle of the
    vector accuracy harness (each entry keeps its digits where p_i is nearly 1)."""
    with mpmath.workdps(50):
        e = _vector_reference.exact("log_softmax", [float(v) for v in row], {})
        n = len(row)
        basis = [[mpmath.mpf(int(k == j)) for j in range(n)] for k in range(n)]
        return np.array([[float(v) for v in e.vjp(c)[0]] for c in basis])


def _ulp_error(got: np.ndarray, want: np.ndarray, dtype) -> np.ndarray:
    floor = 2.0**-100 if dtype == F32 else 2.0**-960
    ulp = np.spacing(np.maximum(np.abs(want), floor).astype(dtype)).astype(np.float64)
    return np.abs(np.asarray(got, np.float64) - want) / ulp


JACOBIAN_SLACK_ULP = 3
"""The Jacobian's column i (p_i, 1 − p_i) is within |x_i − m| + 3 ULP, the largest entry's
column (1 − p_m = Σ_{j≠m} p_j) within |x_k − m| + 3, x_k the largest other entry: the rounded
differences to m that the value carries, plus exp's and the sum's roundings."""


def _jacobian_bar(row: np.ndarray) -> np.ndarray:
    """Per column of the Jacobian of ``row``: the ULP bar of ``JACOBIAN_SLACK_ULP``."""
    x = row.astype(np.float64)
    gap = np.abs(x - x.max())
    gap = np.where(np.isfinite(gap), gap, 0)
    nearest = np.where(gap == 0, np.inf, gap).min(initial=np.inf)
    return np.where(gap == 0, nearest if np.isfinite(nearest) else 0, gap) + JACOBIAN_SLACK_ULP


CONFIDENT = (
    (F32, [0.0, 30.0]),
    (F64, [0.0, 60.0]),
    (F32, [1.0, -2.0, 25.0, 0.5, -3.0, 2.0, 0.0, 1.5]),
    (F64, [1.0, -2.0, 0.5, -3.0, 52.0, 2.0, 0.0, 1.5]),
)
"""Rows whose largest entry holds all but e^-25 or less of the probability."""


@pytest.mark.parametrize(
    ("dtype", "row"), CONFIDENT, ids=[f"{np.dtype(d).name}-{len(r)}" for d, r in CONFIDENT]
)
def test_cross_entropy_gradient_of_a_confident_class_against_mpmath(dtype, row) -> None:
    # The gradient of -log p_y at the class y the row is confident of: x̄_y = p_y - 1, tiny.
    # g - p sum(g) (jax.nn's rule, and ours before) rounds p_y to 1 and gives 0.
    x = np.array(row, dtype)
    y = int(np.argmax(x))
    with jax.enable_x64(dtype == F64):
        got = np.asarray(jax.grad(lambda v: -jaxact.log_softmax(v)[y])(jnp.asarray(x)))
    want = -_log_softmax_jacobian_exact(x)[y]
    assert want[y] < 0 and got[y] < 0, got
    assert np.all(_ulp_error(got, want, dtype) <= _jacobian_bar(x)), (got, want)


@pytest.mark.parametrize("dtype", [F32, F64])
def test_log_softmax_jacobian_against_mpmath(dtype) -> None:
    # Both modes, on rows with a dominant entry (where 1 - p_m cancelled) and without one.
    rng = np.random.default_rng(21)
    rows = [np.array(r, dtype) for _, r in CONFIDENT if _ == dtype]
    for width, scale in ((3, 0.1), (4, 3.0), (6, 30.0), (8, 1.0)):
        rows.append((rng.normal(size=width) * scale).astype(dtype))
    with jax.enable_x64(dtype == F64):
        for x in rows:
            want = _log_softmax_jacobian_exact(x)
            for mode in (jax.jacrev, jax.jacfwd):
                got = np.asarray(mode(jaxact.log_softmax)(jnp.asarray(x)))
                err = _ulp_error(got, want, dtype)
                assert np.all(err <= _jacobian_bar(x)[None, :]), (x, mode.__name__, err.max())


@pytest.mark.parametrize("dtype", [F32, F64])
def test_log_softmax_gradient_fed_by_a_multiply_under_jit(dtype) -> None:
    # x * 0.75 is exact for these x, so fused into the function or not, the input is x * 0.75:
    # the gradient is 0.75 times the Jacobian's row there.
    x = np.array([1.5, -3.0, 40.0, 0.75, 2.0, -1.0], dtype) * (1 if dtype == F32 else 2)
    y = int(np.argmax(x))
    with jax.enable_x64(dtype == F64):
        run = jax.jit(jax.grad(lambda v: -jaxact.log_softmax(v * 0.75)[y]))
        got = np.asarray(run(jnp.asarray(x))) / 0.75
    z = x * 0.75
    err = _ulp_error(got, -_log_softmax_jacobian_exact(z)[y], dtype)
    assert np.all(err <= _jacobian_bar(z)), err


@pytest.mark.parametrize("dtype", [F32, F64])
def test_log_softmax_masked_gradient_of_a_confident_class(dtype) -> None:
    x = np.array([0.0, 30.0, 45.0, -1.0, 2.0], dtype) * (1 if dtype == F32 else 2)
    where = np.array([True, True, False, True, True])
    y = 1
    with jax.enable_x64(dtype == F64):
        w = jnp.asarray(where)
        got = np.asarray(jax.grad(lambda v: -jaxact.log_softmax(v, where=w)[y])(jnp.asarray(x)))
    masked = np.where(where, x, -np.inf).astype(dtype)
    want = -_log_softmax_jacobian_exact(masked)[y]
    assert np.all(got[~where] == 0)
    assert np.all(_ulp_error(got[where], want[where], dtype) <= _jacobian_bar(x[where]))


def test_log_softmax_hessian_at_a_confident_row_float64() -> None:
    # d² log p_y = p pᵀ - diag(p): at the dominant y its diagonal entry is -p_y (1 - p_y),
    # e^-60 here, which the rule gets through 1 - p_y = -expm1(log p_y) again.
    x = np.array([0.0, 60.0, -1.0])
    with mpmath.workdps(50):
        p, _, _ = softmax_row(x.tolist())
        want = np.array([[float(a * b - (a if i == j else 0)) for j, b in enumerate(p)]
                         for i, a in enumerate(p)])  # fmt: skip
    with jax.enable_x64(True):
        got = np.asarray(jax.hessian(lambda v: jaxact.log_softmax(v)[1])(jnp.asarray(x)))
    assert np.all(_ulp_error(got, want, F64) <= 64), _ulp_error(got, want, F64)


def test_log_softmax_page_states_its_derivative_at_a_dominant_entry() -> None:
    # The example (measured, with mpmath's value and jax.nn's 0), the harness's Jacobian
    # figures (the committed results, which test_benchmark_vector recomputes) and the bar.
    text = note("log_softmax")
    (example,) = figures("log_softmax", r"\$p_y - 1\$, is \${n}\$ at \$x = \(0, 30\)\$ in float32")
    x = jnp.array([0.0, 30.0], F32)
    for lib, want in ((jaxact, example), (jax.nn, 0.0)):
        got = float(jax.grad(lambda v, lib=lib: -lib.log_softmax(v)[1])(x)[1])
        assert f"{got:.2e}" == f"{want:.2e}", lib
    assert f"{-_log_softmax_jacobian_exact(np.asarray(x))[1, 1]:.2e}" == f"{example:.2e}"
    assert "(`jax.nn`: 0)" in text
    ours32, ours64, theirs32, theirs64 = figures(
        "log_softmax",
        r"Jacobian's worst error is {n} ULP \(float32\) and {n} ULP \(float64\) \(`jax.nn`: "
        r"\${n}\$ in float32, \${n}\$ in float64\)",
    )
    results = Path(__file__).parents[1] / "benchmarks" / "results" / "accuracy_vector.json"
    record = json.loads(results.read_text())["functions"]["log_softmax"]["dtypes"]
    for dtype, ours, theirs in (("float32", ours32, theirs32), ("float64", ours64, theirs64)):
        assert record[dtype]["jaxact"]["jac"]["max_ulp"] == pytest.approx(ours, rel=0.05)
        assert record[dtype]["jax.nn"]["jac"]["max_ulp"] == pytest.approx(theirs, rel=0.05)
    assert f"column $i$ is within $|x_i - m| + {JACOBIAN_SLACK_ULP}$ ULP" in text
    assert f"column within $|x_k - m| + {JACOBIAN_SLACK_ULP}$." in text
