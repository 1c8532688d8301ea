"""Every property stated in the registry, checked numerically against the implementation.

Parametrized over the registry (``tests/_oracle.py`` turns each elementwise spec into cases:
its defaults, then each parameter's ``plot_values``), so a newly registered activation is
checked with no new test code. Each check can fail both ways: a ``True`` claim fails when the
property is violated, a ``False`` claim when it holds.

The metadata describes the function at its default parameters. Where a plotted parameter
value changes a property (ELU is C¹ only for alpha = 1), the case is listed in
:data:`PARAMETER_DEPENDENT` and expected to fail that check (``xfail(strict=True)``): if it
starts to hold, the entry must go.

Numerics are float64 unless stated; the output range is also checked in float32.
"""

from __future__ import annotations

import functools
import inspect
import math
import re
from collections.abc import Iterator
from pathlib import Path

import _oracle
import jax
import jax.numpy as jnp
import ml_dtypes
import mpmath
import numpy as np
import pytest
from _activation_cases import ALL, ELEMENTWISE, NO_LIMIT_AT_INFINITY
from _oracle import _ulp, accuracy
from numpy.polynomial.legendre import leggauss

import jaxact
from jaxact import Interval

CASES = _oracle.cases(ELEMENTWISE)
VECTOR = tuple(s for s in ALL if not s.elementwise)
F32, F64 = np.float32, np.float64
ULP_BOUND = 4.0
"""The library's accuracy bound: a value may sit on the wrong side of an end by rounding only."""

CHECKS = (
    "range_contains",
    "range_tight",
    "range_ends",
    "monotonic",
    "zero_at_zero",
    "zero_centred",
    "left_saturating",
    "right_saturating",
    "smoothness",
    "critical_points",
)
"""The per-case checks below, by name: the keys' second half in the two dicts."""

_ALPHA = "the range is (-alpha, inf)"
_BETA = "the minimum is -0.2785/beta"
_OMEGA = "the zeros of f' (and the extremes +-1) are at (k + 1/2) pi / omega_0"
_XIELU_UNBOUNDED = "alpha_n <= beta: f is increasing, (beta - alpha_n) x as x -> -inf"
_XIELU_MINIMUM = "the minimum moves to x = ln(1 - beta/alpha_n)"
PARAMETER_DEPENDENT: dict[tuple[str, str], str] = {
    # The metadata states the properties at the defaults; at these plotted values a property
    # is different (and the check fails, as it should).
    ("prelu[alpha=0.0]", "left_saturating"): "alpha = 0 is relu: f' = 0 for x < 0",
    ("prelu[alpha=0.0]", "range_tight"): "alpha = 0 is relu: the range is [0, inf)",
    ("elu[alpha=0.5]", "smoothness"): "C0: f' jumps from alpha to 1 at 0 (C1 only for alpha = 1)",
    ("elu[alpha=2.0]", "smoothness"): "C0: f' jumps from alpha to 1 at 0 (C1 only for alpha = 1)",
    ("elu[alpha=0.5]", "range_tight"): _ALPHA,
    ("elu[alpha=2.0]", "range_tight"): _ALPHA,
    ("elu[alpha=2.0]", "range_contains"): _ALPHA,
    ("celu[alpha=0.5]", "range_tight"): _ALPHA,
    ("celu[alpha=2.0]", "range_tight"): _ALPHA,
    ("celu[alpha=2.0]", "range_contains"): _ALPHA,
    ("silu[beta=0.5]", "range_contains"): _BETA,
    ("silu[beta=0.5]", "range_tight"): _BETA,
    ("silu[beta=0.5]", "range_ends"): _BETA,
    ("silu[beta=2.0]", "range_tight"): _BETA,
    ("silu[beta=2.0]", "range_ends"): _BETA,
    ("silu[beta=0.5]", "critical_points"): "the zero of f' is at -1.2785/beta",
    ("silu[beta=2.0]", "critical_points"): "the zero of f' is at -1.2785/beta",
    ("relu[negative_slope=0.2]", "range_contains"): "alpha x < 0 for x < 0",
    ("relu[negative_slope=0.2]", "left_saturating"): "f' = alpha for x < 0",
    ("relu[max_value=6.0]", "range_tight"): "capped: the range is [0, 6]",
    ("relu[max_value=2.0]", "range_tight"): "capped: the range is [0, 2]",
    ("relu[max_value=6.0]", "right_saturating"): "f' = 0 above the cap",
    ("relu[max_value=2.0]", "right_saturating"): "f' = 0 above the cap",
    ("relu[threshold=1.0]", "smoothness"): "f jumps from 0 to 1 at x = 1",
    ("binary_step[threshold=1.0]", "zero_at_zero"): "the step is at 1: f(0) = 0",
    ("hard_tanh[min_val=-2.0]", "range_contains"): "the range is [min_val, max_val]",
    ("hard_tanh[max_val=2.0]", "range_contains"): "the range is [min_val, max_val]",
    ("hard_tanh[min_val=-2.0]", "zero_centred"): "clipped to [-2, 1]: not odd",
    ("hard_tanh[max_val=2.0]", "zero_centred"): "clipped to [-1, 2]: not odd",
    ("sine[omega_0=0.5]", "critical_points"): _OMEGA,
    ("sine[omega_0=0.5]", "range_ends"): _OMEGA,
    ("sine[omega_0=2.0]", "critical_points"): _OMEGA,
    ("sine[omega_0=2.0]", "range_ends"): _OMEGA,
    ("sine[omega_0=2.0]", "range_contains"): (
        "omega_0 x overflows beyond max/2: NaN there (the sine of a number beyond the dtype)"
    ),
    ("star_relu[scale=0.5]", "zero_centred"): "zero mean for the default s and b only",
    ("star_relu[scale=2.0]", "zero_centred"): "zero mean for the default s and b only",
    ("gelu[approximate=False]", "range_tight"): (
        "the exact form's minimum is -0.169971; the stated -0.170041 is the tanh form's"
    ),
    ("gelu[approximate=False]", "range_ends"): (
        "the exact form's minimum is -0.169971; the stated -0.170041 is the tanh form's"
    ),
    # xIELU: the minimum -beta - (alpha_n - beta) ln(1 - beta/alpha_n) exists for alpha_n > beta;
    # for alpha_n <= beta f is increasing and unbounded below.
    ("xielu[alpha_n=0.3]", "range_contains"): _XIELU_UNBOUNDED,
    ("xielu[alpha_n=0.3]", "range_tight"): _XIELU_UNBOUNDED,
    ("xielu[alpha_n=0.3]", "range_ends"): _XIELU_UNBOUNDED,
    ("xielu[alpha_n=0.3]", "monotonic"): _XIELU_UNBOUNDED,
    ("xielu[beta=1.0]", "range_contains"): _XIELU_UNBOUNDED,
    ("xielu[beta=1.0]", "range_tight"): _XIELU_UNBOUNDED,
    ("xielu[beta=1.0]", "range_ends"): _XIELU_UNBOUNDED,
    ("xielu[beta=1.0]", "monotonic"): _XIELU_UNBOUNDED,
    ("xielu[alpha_n=2.0]", "range_tight"): _XIELU_MINIMUM,
    ("xielu[alpha_n=2.0]", "range_ends"): _XIELU_MINIMUM,
    ("xielu[alpha_n=2.0]", "critical_points"): _XIELU_MINIMUM,
    ("xielu[beta=0.0]", "range_tight"): "beta = 0: the minimum is f(0) = 0",
    ("xielu[beta=0.0]", "range_ends"): "beta = 0: the minimum is f(0) = 0",
    ("xielu[beta=0.0]", "critical_points"): "beta = 0: f' = alpha_n expm1(x) is 0 at x = 0",
}
"""(case, check) -> why the default-parameter metadata does not hold at this plotted value."""

KNOWN_BUGS: dict[tuple[str, str], str] = {
    # Implementation bugs found by these checks, reported to the owners. Whoever fixes one
    # deletes its entry (the strict xfail turns the fix into a failure until then).
}


@pytest.fixture(autouse=True)
def _x64():
    # Only inside this module's tests; float32 inputs are always given an explicit dtype.
    with jax.enable_x64(True):
        yield


@pytest.fixture(autouse=True, scope="module")
def _free_grids():
    yield
    wide.cache_clear()  # ~30 MB of grids, not needed by later test files
    smoothness_jumps.cache_clear()


def cases_for(check: str, cases: list[_oracle.Case] = CASES) -> list:
    out = []
    for case in cases:
        key = (case.label, check)
        reason = PARAMETER_DEPENDENT.get(key) or KNOWN_BUGS.get(key)
        marks = [pytest.mark.xfail(strict=True, raises=AssertionError, reason=reason)] * bool(
            reason
        )
        out.append(pytest.param(case, id=case.label, marks=marks))
    return out


def test_expected_failures_name_real_cases_and_checks() -> None:
    labels = {c.label for c in CASES} | {s.name for s in VECTOR}
    for label, check in [*PARAMETER_DEPENDENT, *KNOWN_BUGS]:
        assert label in labels, f"{label}: no such case (a plot value changed?)"
        assert check in CHECKS, check
    for label, _ in PARAMETER_DEPENDENT:
        assert "[" in label, f"{label}: the defaults are what the metadata describes"


# -- grids and evaluations (cached per case) ---------------------------------------------------


@functools.cache
def wide(case: _oracle.Case, dtype: type) -> tuple[np.ndarray, ...]:
    """``(x, f, f', f'')`` on all finite inputs of ``dtype``: [-40, 40] by 0.01 plus log-spaced
    magnitudes to the largest finite value, both signs, plus the critical points (sorted)."""
    grid = accuracy.make_grid(np.dtype(dtype).name, 8001, 300)
    crit = np.array([*case.spec.critical_points, *_oracle.critical_points(case)], np.float64)
    x = np.unique(np.concatenate([grid, crit.astype(dtype).astype(np.float64)]))
    return (x, *_oracle.evaluate(case, x, dtype))


def at(case: _oracle.Case, x, dtype: type = F64) -> tuple[np.ndarray, ...]:
    return _oracle.evaluate(case, np.asarray(x, np.float64), dtype)


def ulps(got, truth, dtype: type) -> np.ndarray:
    """Error of ``got`` against exact values ``truth`` (mpmath numbers), in the library's ULP."""
    hi, lo = _ulp.split_reference(truth)
    name = np.dtype(dtype).name
    return _ulp.ulp_error(np.asarray(got), hi, lo, name, _ulp.FLOORS[name])


def ulps_from(got, value: float, dtype: type) -> np.ndarray:
    """Error of ``got`` against one float64 value (exact as it stands), in ULP."""
    got = np.asarray(got)
    hi, lo = np.full(got.shape, value, np.float64), np.zeros(got.shape)
    name = np.dtype(dtype).name
    return _ulp.ulp_error(got, hi, lo, name, _ulp.FLOORS[name])


def subsample(idx: np.ndarray, n: int = 120) -> np.ndarray:
    """At most ``n`` of the indices, evenly spread, first and last included."""
    if idx.size <= n:
        return idx
    return idx[np.unique(np.linspace(0, idx.size - 1, n).round().astype(int))]


# -- output range --------------------------------------------------------------------------------


def inside(interval: Interval, v: np.ndarray) -> np.ndarray:
    above = (v > interval.lo) | ((v == interval.lo) & (not interval.lo_open))
    below = (v < interval.hi) | ((v == interval.hi) & (not interval.hi_open))
    return above & below


def in_closure(interval: Interval, v: np.ndarray) -> np.ndarray:
    return (v >= interval.lo) & (v <= interval.hi)


@pytest.mark.parametrize("dtype", [F32, F64], ids=["float32", "float64"])
@pytest.mark.parametrize("case", cases_for("range_contains"))
def test_output_range_contains_every_value(case: _oracle.Case, dtype: type) -> None:
    interval = case.spec.output_range
    x, f, _, _ = wide(case, dtype)
    assert not np.isnan(f).any(), f"{case}: NaN at x = {x[np.isnan(f)][:5]}"
    # The limits: f(+-inf) lies in the closure (sigmoid(inf) = 1 is the supremum).
    limits = at(case, [-np.inf, np.inf], dtype)[0]
    if case.spec.name in NO_LIMIT_AT_INFINITY:  # sin(+-inf) is NaN: no limit to contain
        limits = limits[~np.isnan(limits)]
    assert in_closure(interval, limits).all(), f"{case}: f(-inf), f(inf) = {limits}"
    # No value lies outside the closure (a closed end is never crossed, not even by rounding:
    # hard_silu gave -0.37500003 against -0.375). A value on an open end is allowed only as
    # rounding: where the exact value is inside and the result is within the accuracy bound
    # of it (sigmoid(20) rounds to 1.0 in float32; the truth 1 - 2e-9 is inside (0, 1)).
    crossed = ~in_closure(interval, f)
    assert not crossed.any(), f"{case}: {f[crossed][:3]} at x = {x[crossed][:3]}"
    bad = np.nonzero(~inside(interval, f))[0]
    for i in subsample(bad):
        truth = _oracle.reference(case, "f", x[i])
        assert truth_inside(interval, truth), (
            f"{case}: the oracle leaves {interval.describe()} at x = {x[i]!r}: {truth}"
        )
        err = float(ulps([f[i]], [truth], dtype)[0])
        assert err <= ULP_BOUND, (
            f"{case}: f({x[i]!r}) = {f[i]!r} is outside {interval.describe()} "
            f"(the exact value {mpmath.nstr(truth, 8)} is inside; {err:.3g} ULP off)"
        )


def truth_inside(interval: Interval, truth: mpmath.mpf) -> bool:
    """``truth`` in ``interval``, up to the rounding of its ends.

    A stated finite end is a float64 (silu's minimum, rounded up, lies a hair below it), and
    the oracle rounds to 50 digits (sigmoid(1e6) = 1 - e^-1e6 comes out as exactly 1): within
    the accuracy bound of an end counts as inside.
    """
    if truth in interval:
        return True
    ends = [e for e in (interval.lo, interval.hi) if math.isfinite(e)]
    return any(float(ulps([e], [truth], F64)[0]) <= ULP_BOUND for e in ends)


@pytest.mark.parametrize("case", cases_for("range_tight"))
def test_output_range_is_tight(case: _oracle.Case) -> None:
    # Each finite end is approached to within the accuracy bound, each infinite end is left
    # behind (|f| > 1e100 on inputs out to 1.8e308).
    interval = case.spec.output_range
    x, f, _, _ = wide(case, F64)
    for end, sign in ((interval.lo, -1), (interval.hi, 1)):
        if math.isinf(end):
            extreme = sign * np.max(sign * f)
            assert sign * extreme > 1e100, f"{case}: f stays at {extreme:.4g}, not {end}"
        else:
            err = ulps_from(f, end, F64)
            assert np.nanmin(err) <= ULP_BOUND, (
                f"{case}: f never comes near the end {end!r} of {interval.describe()}: "
                f"closest value {f[np.nanargmin(err)]!r}"
            )


ATTAIN_WITHIN = 10.0
"""Closed ends are looked for where |x| <= 10: every kink and plateau of the registry lies
there, and an asymptotic approach (at worst like e^(-x^2), 1e-44 at 10) is still resolved
by the oracle's 50 digits, so equality there is exact, not rounding."""


@pytest.mark.parametrize("case", cases_for("range_ends"))
def test_output_range_ends_open_or_closed(case: _oracle.Case) -> None:
    # A closed end is attained: the exact value equals it at some input (relu(-1) = 0), or at
    # a listed critical point (silu's minimum) up to the rounding of the stated end. An open
    # end is not: sigmoid's 0 is only reached by underflow, never by the exact value. Only
    # inputs where the implementation is within the accuracy bound of the end can attain it,
    # so the oracle is consulted there and at the critical points.
    interval = case.spec.output_range
    x, f, _, _ = wide(case, F64)
    crit = np.array(case.spec.critical_points, np.float64)
    for end, is_open in ((interval.lo, interval.lo_open), (interval.hi, interval.hi_open)):
        if math.isinf(end):
            continue
        close = ulps_from(f, end, F64) <= ULP_BOUND
        near = np.nonzero(close & (np.abs(x) <= ATTAIN_WITHIN))[0]
        attained = False
        for i in subsample(near):
            truth = _oracle.reference(case, "f", x[i])
            if truth == end:
                attained = True
            elif np.any(crit == x[i]):
                attained |= float(ulps([end], [truth], F64)[0]) <= ULP_BOUND
        what = "open" if is_open else "closed"
        assert attained != is_open, (
            f"{case}: the end {end!r} of {interval.describe()} is stated {what}, but it is "
            f"{'attained' if attained else 'not attained'} ({near.size} inputs in [-10, 10] "
            f"within {ULP_BOUND:g} ULP of it)"
        )


# -- monotonicity --------------------------------------------------------------------------------


@pytest.mark.parametrize("case", cases_for("monotonic"))
def test_monotonic(case: _oracle.Case) -> None:
    x, f, _, _ = wide(case, F64)
    assert np.all(np.diff(x) > 0)
    with np.errstate(invalid="ignore"):
        df = np.where(f[:-1] == f[1:], 0.0, np.diff(f))  # inf - inf is no decrease
    scale = np.maximum(np.maximum(np.abs(f[:-1]), np.abs(f[1:])), _ulp.FLOORS["float64"])
    scale = np.minimum(scale, np.finfo(F64).max)  # f = inf next to a finite value (xielu)
    # Rounding (within the accuracy bound, floor included) may make a monotone function dip by
    # a few ULP: prelu(-2.2e-308, alpha=0) is -2.2e-308 on XLA's CPU, not -0.
    noise = 2 * ULP_BOUND * np.finfo(F64).eps * scale
    worst = int(np.argmin(df + noise))
    if case.spec.monotonic:
        assert df[worst] + noise[worst] >= 0, (
            f"{case}: stated non-decreasing, but f({x[worst]!r}) = {f[worst]!r} > "
            f"f({x[worst + 1]!r}) = {f[worst + 1]!r}"
        )
    else:
        real = df < -1e6 * noise - 1e-300
        assert real.any(), f"{case}: stated not monotonic, but f never decreases on the grid"


# -- zero at zero, zero-centred ------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [F32, F64], ids=["float32", "float64"])
@pytest.mark.parametrize("case", cases_for("zero_at_zero"))
def test_zero_at_zero(case: _oracle.Case, dtype: type) -> None:
    f0 = float(at(case, [0.0], dtype)[0][0])
    assert (f0 == 0) == case.spec.zero_at_zero, f"{case}: f(0) = {f0!r}"


KNOTS_PER_UNIT = 8
GAUSS_NODES = 16
HALF_WIDTH = 40.0


def gaussian_mean(fn, breakpoints=()) -> float:
    """``E[fn(Z)]``, ``Z ~ N(0, 1)``: Gauss-Legendre on panels of width 1/8 over [-40, 40].

    Kinks and jumps make Gauss-Hermite converge like 1/n (relu's mean is still 8e-4 off with
    200 nodes). On panels whose ends include every kink the integrand is smooth, and 16 nodes
    on a 1/8-wide panel are exact to rounding; every kink in the registry sits on a multiple of
    1/8, and the jumps found by the smoothness detector are added as panel ends (for new
    functions). Beyond +-40 the density is below 1e-347.
    """
    knots = np.arange(-HALF_WIDTH, HALF_WIDTH + 1e-9, 1 / KNOTS_PER_UNIT)
    extra = [b for b in breakpoints if -HALF_WIDTH < b < HALF_WIDTH]
    knots = np.unique(np.concatenate([knots, extra]))
    t, w = leggauss(GAUSS_NODES)
    a, b = knots[:-1, None], knots[1:, None]
    x = ((a + b) / 2 + (b - a) / 2 * t).ravel()
    weights = ((b - a) / 2 * w).ravel() * np.exp(-(x**2) / 2) / math.sqrt(2 * math.pi)
    return float(np.sum(weights * fn(x)))


def test_gaussian_mean_is_exact_on_known_integrals() -> None:
    # The quadrature itself: kinks and jumps on and off the 1/8 knots (with a breakpoint).
    relu, step = (lambda x: np.maximum(x, 0)), (lambda x: (x >= 0.3).astype(float))
    assert abs(gaussian_mean(relu) - 1 / math.sqrt(2 * math.pi)) < 1e-15
    assert abs(gaussian_mean(lambda x: x**2) - 1) < 1e-14
    assert abs(gaussian_mean(step, [0.3]) - math.erfc(0.3 / math.sqrt(2)) / 2) < 1e-15
    assert abs(gaussian_mean(lambda x: np.exp(x)) - math.exp(0.5)) < 1e-14
    # Without the breakpoint the off-knot jump costs digits: the breakpoints matter.
    assert abs(gaussian_mean(step) - math.erfc(0.3 / math.sqrt(2)) / 2) > 1e-6


ZERO_MEAN = 1e-12
"""|E f(Z)| below this is zero: the quadrature is exact to ~1e-16 (test above) and a float64
implementation within 4 ULP changes the mean by < 1e-15; SELU's constants hold to 1e-16."""
NONZERO_MEAN = 1e-4
"""A stated non-zero-centred function must have |E f(Z)| above this (the smallest in the
registry is ~0.1); in between, the test cannot decide and fails."""


@pytest.mark.parametrize("case", cases_for("zero_centred"))
def test_zero_centred(case: _oracle.Case) -> None:
    jumps = [loc for g in range(2) for loc, _ in smoothness_jumps(case)[g]]
    mean = gaussian_mean(lambda x: at(case, x)[0], jumps)
    if case.spec.zero_centred:
        assert abs(mean) <= ZERO_MEAN, f"{case}: stated zero-centred, E f(Z) = {mean:.6g}"
    else:
        assert abs(mean) >= NONZERO_MEAN, f"{case}: stated not zero-centred, E f(Z) = {mean:.3g}"


NOTES = Path(__file__).resolve().parent.parent / "docs" / "_notes"
STATED_GAUSSIAN_NUMBERS = (
    ("selu", r"Mean (\S+) and std (\S+) on standard normal", ("mean", "std")),
    ("relu", r"mean (\S+) for standard normal", ("mean",)),
    ("elu", r"its mean is (\S+), lower than ReLU's", ("mean",)),
)


@pytest.mark.parametrize(("name", "pattern", "moments"), STATED_GAUSSIAN_NUMBERS)
def test_gaussian_numbers_in_notes_are_the_integrals(name: str, pattern: str, moments) -> None:
    # The notes print E f(Z) and the std of f(Z) for Z ~ N(0, 1) to three decimals: they must
    # be the integrals rounded (SELU's std is exactly 1, not 0.999).
    found = re.search(pattern, (NOTES / f"{name}.md").read_text(encoding="utf-8"))
    assert found, f"{name}.md no longer states {pattern!r}: update this test"
    case = next(c for c in CASES if c.label == name)
    mean = gaussian_mean(lambda x: at(case, x)[0])
    exact = {"mean": mean, "std": math.sqrt(gaussian_mean(lambda x: at(case, x)[0] ** 2) - mean**2)}
    for moment, stated in zip(moments, found.groups(), strict=True):
        assert stated.rstrip(".,") == f"{exact[moment] + 0.0:.3f}".replace("-0.000", "0.000"), (
            f"{name}: the notes say {moment} {stated}, the integral is {exact[moment]:.6f}"
        )


ZERO_CENTRED_PAGE = NOTES.parent / "concepts" / "zero-centred.md"


def test_zero_centred_table_is_the_integrals() -> None:
    # The concept page's table of E f(Z) and std f(Z): exact to the three decimals it prints
    # (it once held one-million-sample estimates: SELU's std read 0.999, ELU's mean 0.160).
    rows = re.findall(
        r"^\| \[[^\]]+\]\(\.\./functions/(\w+)\.md\)[^|]*\| ([\d.]+) \| ([\d.]+) \|$",
        ZERO_CENTRED_PAGE.read_text(encoding="utf-8"),
        re.MULTILINE,
    )
    assert len(rows) >= 7, rows
    for name, stated_mean, stated_std in rows:
        case = next(c for c in CASES if c.label == name)
        mean = gaussian_mean(lambda x, c=case: at(c, x)[0])
        std = math.sqrt(gaussian_mean(lambda x, c=case: at(c, x)[0] ** 2) - mean**2)
        assert (stated_mean, stated_std) == (f"{abs(mean):.3f}", f"{std:.3f}"), name


# -- saturation ----------------------------------------------------------------------------------

FAR = (1e1, 1e2, 1e3, 1e4, 1e6, 1e10, 1e30, 1e100, 1e300)


def saturation_cases() -> list:
    out = []
    for side in ("left", "right"):
        for p in cases_for(f"{side}_saturating"):
            out.append(pytest.param(*p.values, side, id=f"{p.id}-{side}", marks=p.marks))
    return out


@pytest.mark.parametrize(("case", "side"), saturation_cases())
def test_saturation(case: _oracle.Case, side: str) -> None:
    # f' -> 0 as x -> -inf (left) or +inf (right): |f'| <= 1e-12 at 1e100 and 1e300 and
    # f'(+-inf) = 0 exactly; otherwise |f'| >= 1e-6 from 1e4 out and at inf.
    prop = f"{side}_saturating"
    claim = getattr(case.spec, prop)
    sign = -1.0 if side == "left" else 1.0
    xs = sign * np.array([*FAR, np.inf])
    d = at(case, xs)[1]
    far, limit = np.abs(d[-3:-1]), d[-1]
    if case.spec.name in NO_LIMIT_AT_INFINITY:
        # f' oscillates (between 0 and 2 for Snake): not saturating, and NaN at inf.
        assert not claim and np.isnan(limit), f"{case}: f'({xs[-1]}) = {limit!r}"
        assert np.ptp(d[3:-1]) > 0.1, f"{case}: f' = {d} does not oscillate"
        return
    assert not np.isnan(d).any(), f"{case}: f' = {d} at {xs}"
    if claim:
        assert np.all(far <= 1e-12), f"{case}: stated {prop}, f'({xs[-3:-1]}) = {d[-3:-1]}"
        # The limit 0, by the accuracy rule (its floor: 4.9e-308 is as good as 0).
        err = float(ulps([limit], [mpmath.mpf(0)], F64)[0])
        assert err <= ULP_BOUND, f"{case}: f'({xs[-1]}) = {limit!r}, the limit is 0"
    else:
        big = np.abs(d[3:-1])
        assert np.all(big >= 1e-6), f"{case}: stated not {prop}, f'({xs[3:-1]}) = {d[3:-1]}"
        assert abs(limit) >= 1e-6, f"{case}: f'({xs[-1]}) = {limit!r}"


# -- smoothness ----------------------------------------------------------------------------------

SMOOTH_LO, SMOOTH_HI, SMOOTH_N = -12.0, 12.0, 8001
ZOOM, ZOOM_LEVELS, CANDIDATES = 100, 2, 12
SHIFT = 1e-4 * (math.sqrt(5) - 1)
"""The grid is shifted off the round numbers where kinks sit (a kink at a grid point is fine
too; this keeps the convention value at the kink out of the neighbour differences)."""


def find_jumps(evaluate, lo: float, hi: float) -> list[list[tuple[float, float]]]:
    """Jumps of ``g_k = evaluate(x)[k]`` for each k: ``[(location, size), ...]`` per k.

    Candidates are the intervals of a grid (spacing ~0.003) whose difference stands out from
    its smaller neighbour's, by the largest excess and by the largest ratio (a small jump beside
    a steep stretch has a small excess but a large ratio). Each is refined twice,
    100 times finer each time, following the largest difference: a continuous g's difference
    shrinks by ~100 per level, a jump's does not. A jump is confirmed when the difference
    keeps at least half its size through both refinements.
    """
    x = np.linspace(lo, hi, SMOOTH_N) + SHIFT
    gs = evaluate(x)
    found: list[list[tuple[float, float]]] = []
    todo = []  # (k, size, a, b)
    for k, g in enumerate(gs):
        d = np.abs(np.diff(g))
        scale = 1.0 + np.max(np.abs(g))
        padded = np.concatenate([[np.inf], d, [np.inf]])
        neighbour = np.minimum(padded[:-2], padded[2:])
        with np.errstate(invalid="ignore", divide="ignore"):
            excess = np.nan_to_num(d - neighbour, nan=0.0, neginf=0.0)
            ratio = np.nan_to_num(d / neighbour, nan=0.0, posinf=np.inf)
        best = {*np.argsort(-excess)[:CANDIDATES], *np.argsort(-ratio)[:CANDIDATES]}
        todo += [(k, d[i], x[i], x[i + 1]) for i in sorted(best) if d[i] > 1e-9 * scale]
        found.append([])
    for _ in range(ZOOM_LEVELS):
        if not todo:
            break
        fine = np.concatenate([np.linspace(a, b, ZOOM + 1) for _, _, a, b in todo])
        gs = evaluate(fine)
        nxt = []
        for j, (k, size, _, _) in enumerate(todo):
            seg = slice(j * (ZOOM + 1), (j + 1) * (ZOOM + 1))
            xs, d = fine[seg], np.abs(np.diff(gs[k][seg]))
            i = int(np.argmax(d))
            if d[i] >= 0.5 * size:
                nxt.append((k, size, xs[i], xs[i + 1]))
        todo = nxt
    for k, size, a, b in todo:
        if not any(abs(loc - (a + b) / 2) < 1e-6 for loc, _ in found[k]):
            found[k].append(((a + b) / 2, size))
    return found


def smooth_range(spec) -> tuple[float, float]:
    lo, hi = spec.plot_range
    return min(SMOOTH_LO, lo), max(SMOOTH_HI, hi)


@functools.cache
def smoothness_jumps(case: _oracle.Case) -> list[list[tuple[float, float]]]:
    """Jumps of f, f', f'' of an elementwise case on [-12, 12] (and its plot range)."""
    return find_jumps(lambda x: at(case, x), *smooth_range(case.spec))


# How many of (f, f', f'') must be free of jumps, and which one must jump.
ORDER = {"discontinuous": 0, "C0": 1, "C1": 2, "Cinf": 3}


def check_smoothness(name: str, smoothness: str, jumps) -> None:
    order = ORDER[smoothness]
    labels = ("f", "f'", "f''")
    for k in range(order):
        assert not jumps[k], f"{name}: stated {smoothness}, but {labels[k]} jumps at {jumps[k]}"
    if order < 3:
        assert jumps[order], (
            f"{name}: stated {smoothness}, but {labels[order]} has no jump on the grid"
        )


def _slope_jump_at_zero(case: _oracle.Case) -> list[tuple[float, float]]:
    """The oracle's jump of f' at 0, where it is too small for the grid to see (pau's |x|
    terms: 2.2e-7 at its initialisation); [] where the one-sided slopes agree."""
    with mpmath.workdps(_oracle.DPS):
        eps = mpmath.mpf(2) ** -120
        size = abs(_oracle.reference(case, "df", eps) - _oracle.reference(case, "df", -eps))
    return [(0.0, float(size))] if size > mpmath.mpf(2) ** -40 else []


@pytest.mark.parametrize("case", cases_for("smoothness"))
def test_smoothness(case: _oracle.Case) -> None:
    jumps = smoothness_jumps(case)
    if not jumps[1]:
        jumps = [jumps[0], _slope_jump_at_zero(case), *jumps[2:]]
    check_smoothness(case.label, case.spec.smoothness, jumps)


def test_jump_detector_tells_kinks_from_steep_curves() -> None:
    # Steep but smooth (tanh(50 x)), a small jump beside a steep region, a kink off the grid.
    def ev(x):
        steep = np.tanh(50 * x)
        jump = steep + 1e-3 * (x > 2.0)
        kink = np.abs(x - math.pi)
        return steep, jump, kink

    steep, jump, kink = find_jumps(ev, -12.0, 12.0)
    assert steep == []
    assert len(jump) == 1 and abs(jump[0][0] - 2.0) < 1e-6 and abs(jump[0][1] - 1e-3) < 1e-4
    assert kink == []  # continuous; its derivative's jump is found one level up:
    (dkink,) = find_jumps(lambda x: (np.sign(x - math.pi),), -12.0, 12.0)
    assert len(dkink) == 1 and abs(dkink[0][0] - math.pi) < 1e-6


@functools.cache
def _vector_curve(name: str):
    spec = next(s for s in VECTOR if s.name == name)
    kwargs = spec.defaults()

    def g(t):
        return spec.fn(spec.plot_slice(t), **kwargs)[..., 0]

    d1 = jax.grad(lambda t: jnp.sum(g(t)))
    d2 = jax.grad(lambda t: jnp.sum(d1(t)))
    return jax.jit(lambda t: (g(t), d1(t), d2(t)))


@pytest.mark.parametrize("spec", VECTOR, ids=[s.name for s in VECTOR])
def test_smoothness_vector_along_plot_slice(spec) -> None:
    # One slice through the input space (the page's curve): a necessary condition only.
    run = _vector_curve(spec.name)

    def ev(x):
        return _oracle.chunked(run, x, F64)

    check_smoothness(spec.name, spec.smoothness, find_jumps(ev, *smooth_range(spec)))


# -- critical points -----------------------------------------------------------------------------


@pytest.mark.parametrize("case", cases_for("critical_points"))
def test_every_interior_zero_of_the_derivative_is_listed(case: _oracle.Case) -> None:
    listed = np.array(case.spec.critical_points)
    for c in _oracle.critical_points(case):
        assert listed.size and np.min(np.abs(listed - c)) < 1e-12, (
            f"{case}: f' changes sign at {c!r}, not in critical_points {tuple(listed)}"
        )
    # The implementation's f' changes sign only there too (dense part of the grid).
    x, _, d, _ = wide(case, F64)
    keep = (np.abs(x) <= 40) & (d != 0)
    xs, ds = x[keep], np.sign(d[keep])
    flips = np.nonzero(ds[:-1] != ds[1:])[0]
    for i in flips:
        near = listed[(listed >= xs[i]) & (listed <= xs[i + 1])]
        assert near.size, f"{case}: jax.grad changes sign in [{xs[i]!r}, {xs[i + 1]!r}]"
    # Zeros without a sign change (tanh_shrink' = tanh^2 at 0): an exact zero of f' on the
    # grid between non-zero neighbours (a flat stretch, relu's x < 0, is not a point).
    x = np.linspace(-40.0, 40.0, 8001)  # spacing 0.01: no underflowing neighbours
    d = at(case, x)[1]
    i = np.arange(1, x.size - 1)
    isolated = i[(d[i] == 0) & (d[i - 1] != 0) & (d[i + 1] != 0)]
    for i in isolated:
        assert np.any(listed == x[i]), f"{case}: f'({x[i]!r}) = 0, not in critical_points"


@pytest.mark.parametrize("spec", ELEMENTWISE, ids=[s.name for s in ELEMENTWISE])
def test_critical_points_are_zeros_of_the_derivative(spec) -> None:
    # Each listed point is a zero of f' for the defaults or a plotted parameter value (gelu
    # lists the tanh form's and the exact form's).
    own = [c for c in CASES if c.spec is spec]
    for c in spec.critical_points:
        found = []
        for case in own:
            exact = _oracle.reference(case, "df", c)
            got = float(at(case, [c])[1][0])
            # A float64 point is within an ULP of the zero: f' there is ~|c| 1e-16 (sine's).
            scale = max(1.0, abs(c))
            if abs(exact) <= 1e-15 * scale and abs(got) <= 1e-14 * scale:
                found.append(case.label)
        assert found, f"{spec.name}: f'({c!r}) is not 0 for any of {[k.label for k in own]}"


# -- the derivative oracle -----------------------------------------------------------------------

GOLDEN = (math.sqrt(5) - 1) / 2
ORACLE_POINTS = [-8 + 16 * ((k * GOLDEN) % 1) for k in range(1, 33)] + [-30.3, -15.1, 15.1, 30.3]
"""Irrational-looking points in [-8, 8] and a few beyond: none on a kink at a round number."""


@pytest.mark.parametrize("case", CASES, ids=[c.label for c in CASES])
def test_reference_derivative_is_the_derivative_of_reference(case: _oracle.Case) -> None:
    kwargs = case.kwargs
    fn = case.spec.reference
    accepted = _oracle._accepted(fn, kwargs)
    with mpmath.workdps(_oracle.DPS):
        for x in ORACLE_POINTS:
            v = mpmath.mpf(x)
            numeric = mpmath.diff(lambda t: fn(mpmath.mp, t, **accepted), v)
            exact = _oracle.reference(case, "df", x)
            assert abs(numeric - exact) <= mpmath.mpf(10) ** -30 * (1 + abs(exact)), (
                f"{case}: reference_derivative({x}) = {exact}, d/dx reference = {numeric}"
            )


# -- parameters ----------------------------------------------------------------------------------


def valid(param, value, spec) -> bool:
    if param.valid is None or (value is None and param.default is None):
        return True  # None: an option that is off by default (relu's max_value)
    if isinstance(param.valid, str):
        # A rule in words (maxout's "divides the length of axis"): the function itself checks
        # it, so the value is valid when the function accepts it on its example input.
        try:
            spec.fn(jnp.asarray(spec.example_input), **{param.name: value})
        except (TypeError, ValueError):
            return False
        return True
    if isinstance(param.valid, Interval):
        return (
            isinstance(value, (int, float))
            and not isinstance(value, bool)
            and (float(value) in param.valid)
        )
    return any(_oracle._same(value, v) for v in param.valid)


@pytest.mark.parametrize("spec", ALL, ids=[s.name for s in ALL])
def test_parameter_defaults_and_plot_values_are_valid(spec) -> None:
    signature = inspect.signature(spec.fn).parameters
    for p in spec.params:
        assert p.name in signature, f"{spec.name}: {p.name} is not an argument"
        assert valid(p, p.default, spec), (
            f"{spec.name}: default {p.name}={p.default!r} not in {p.valid}"
        )
        for v in p.plot_values:
            assert valid(p, v, spec), f"{spec.name}: plot value {p.name}={v!r} not in {p.valid}"
        default = signature[p.name].default
        if default is not inspect.Parameter.empty:
            assert _oracle._same(default, p.default) or default == p.default, (
                f"{spec.name}: {p.name} defaults to {default!r}, the registry says {p.default!r}"
            )


# -- vector-valued: output range -----------------------------------------------------------------


def vector_inputs(spec) -> np.ndarray:
    """Rows of 6 entries (fits maxout's pieces and the GLU split) at many scales, plus the
    page's slice over all finite float64 magnitudes (repeated to 6 entries)."""
    rng = np.random.default_rng(0)
    rows = [rng.normal(size=(256, 6)) * s for s in (1.0, 10.0, 1e3, 1e30, 1e200)]
    grid = accuracy.make_grid("float64", 2001, 300)
    sliced = np.asarray(spec.plot_slice(jnp.asarray(grid)))
    sliced = np.tile(sliced, (1, 6 // sliced.shape[1]))
    return np.concatenate([*rows, sliced])


def vector_specs_for(check: str) -> list:
    out = []
    for spec in VECTOR:
        reason = KNOWN_BUGS.get((spec.name, check))
        marks = [pytest.mark.xfail(strict=True, raises=AssertionError, reason=reason)] * bool(
            reason
        )
        out.append(pytest.param(spec, id=spec.name, marks=marks))
    return out


@pytest.mark.parametrize("spec", vector_specs_for("range_contains"))
def test_output_range_vector(spec) -> None:
    # No oracle for vector functions: values must lie in the closure of the range (an open
    # end may be reached by rounding), and the range must be approached at both ends.
    interval = spec.output_range
    values = np.asarray(spec.fn(jnp.asarray(vector_inputs(spec)), **spec.defaults())).ravel()
    assert not np.isnan(values).any(), spec.name
    assert in_closure(interval, values).all(), (
        f"{spec.name}: {values[~in_closure(interval, values)][:5]} outside {interval.describe()}"
    )
    for end, sign in ((interval.lo, -1), (interval.hi, 1)):
        extreme = sign * np.max(sign * values)
        if math.isinf(end):
            assert sign * extreme > 1e100, f"{spec.name}: stays at {extreme:.4g}"
        else:
            assert abs(extreme - end) <= 1e-12 * (1 + abs(end)), f"{spec.name}: {extreme!r}"


# -- floating point: consecutive floats ----------------------------------------------------------
#
# The checks above are about the function; these are about what it computes. Over runs of
# consecutive floats of each dtype (every finite float16 and bfloat16; windows of float32 and
# float64 at every scale, around the critical points and at the kinks; all of float32 under
# ``-m slow``): no value leaves the closure of the stated range (a closed end is never crossed,
# an open end may be reached by rounding only), and a monotonic function never decreases by
# more than its stated ``monotonic_ulps`` between neighbours. Functions at their defaults (the
# parameters the metadata describes).

DEFAULTS = [c for c in CASES if c.is_default]
FLOAT_TYPES = {
    "float16": np.dtype(np.float16),
    "bfloat16": np.dtype(ml_dtypes.bfloat16),
    "float32": np.dtype(np.float32),
    "float64": np.dtype(np.float64),
}
WINDOW = 2**12
"""Consecutive floats per window."""


def consecutive(start: float, n: int, dtype: np.dtype) -> np.ndarray:
    """``n`` consecutive floats of ``dtype`` going up from ``start`` (rounded to ``dtype``),
    crossing zero (-0 then +0) when they get there."""
    dtype = np.dtype(dtype)
    unsigned = np.dtype(f"uint{8 * dtype.itemsize}")
    sign = 1 << (8 * dtype.itemsize - 1)
    u = int(np.asarray(start, np.float64).astype(dtype).view(unsigned))
    # Sign-magnitude bits -> one increasing line of integers (-0 is -1, +0 is 0).
    key = -(u & (sign - 1)) - 1 if u & sign else u
    keys = key + np.arange(n, dtype=np.int64)
    keys = keys[keys < sign]  # (past +max: the infinities and NaNs, then nothing)
    mag = np.where(keys >= 0, keys, -keys - 1).astype(np.uint64)
    raw = np.where(keys >= 0, mag, mag | np.uint64(sign))
    x = raw.astype(unsigned).view(dtype)
    with np.errstate(invalid="ignore"):  # (NaN bit patterns of bfloat16)
        return x[np.isfinite(x.astype(np.float64))]


def normal_or_zero(x: np.ndarray) -> np.ndarray:
    """``x`` without the subnormals that XLA's CPU backend reads as zero (float32, float64
    and bfloat16, whose subnormals are float32's): there relu-like branches take the x >= 0
    side (leaky_relu(-1.2e-38) is -0 but leaky_relu(-1.1e-38) is -1.1e-38). float16 is
    computed in float32, where its subnormals are normal."""
    if x.dtype == np.float16:
        return x
    tiny = float(ml_dtypes.finfo(x.dtype).smallest_normal)
    mag = np.abs(x.astype(np.float64))
    return x[(mag == 0) | (mag >= tiny)]


def windows(case: _oracle.Case, dtype: np.dtype) -> list[np.ndarray]:
    """Runs of consecutive floats: all finite values of a 16-bit type (one run); otherwise
    windows starting at ±2^e over the whole exponent range, centred on the critical points and
    on the integers of [-8, 8] (where the kinks of the piecewise functions are), and across 0.
    Subnormal inputs are left out where the CPU flushes them (:func:`normal_or_zero`)."""
    if dtype.itemsize == 2:
        return [normal_or_zero(consecutive(-float(ml_dtypes.finfo(dtype).max), 2**16, dtype))]
    fi = np.finfo(dtype)
    exps = np.linspace(np.log2(fi.smallest_normal), np.log2(fi.max) - 1, 48).round()
    starts = [s * 2.0**e for e in exps for s in (1.0, -1.0)]
    starts += [*case.spec.critical_points, *range(-8, 9), -0.0]
    runs = []
    for s in starts:
        x = consecutive(s, WINDOW, dtype)
        back = -consecutive(-s, WINDOW // 2, dtype)[::-1]  # the floats just below s
        runs.append(normal_or_zero(np.concatenate([back[:-1], x])))
    # Longer runs where the curved functions bend (their rounding wobbles there).
    for s in np.random.default_rng(0).uniform(-4.0, 4.0, 32):
        runs.append(consecutive(s, 4 * WINDOW, dtype))
    return runs


def ulp_of(v: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """The spacing of ``dtype`` at each |v| (the least subnormal at 0), as float64."""
    if dtype in (np.float32, np.float64):
        mag = np.abs(v.astype(dtype))
        with np.errstate(over="ignore"):  # (the spacing at max is inf: no descent there)
            return np.spacing(np.where(np.isfinite(mag), mag, np.finfo(dtype).max)).astype(
                np.float64
            )
    fi = ml_dtypes.finfo(dtype)
    mag = np.maximum(np.abs(v.astype(np.float64)), float(fi.smallest_normal))
    with np.errstate(divide="ignore", invalid="ignore"):
        e = np.floor(np.log2(np.where(np.isfinite(mag), mag, float(fi.max))))
    return np.exp2(e - fi.nmant)


@functools.cache
def _plain(name: str, params: tuple) -> object:
    spec = jaxact.get(name)
    return jax.jit(lambda v: spec.fn(v, **dict(params)))


def fp_values(case: _oracle.Case, x: np.ndarray) -> np.ndarray:
    return np.asarray(_plain(case.spec.name, case.params)(jnp.asarray(x)))


def descents(x: np.ndarray, y: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """How far ``y`` decreases between consecutive inputs, in ULP of the left value (0 where it
    does not; NaN and infinities excluded)."""
    a, b = y[:-1].astype(np.float64), y[1:].astype(np.float64)
    ok = np.isfinite(a) & np.isfinite(b)
    with np.errstate(invalid="ignore"):
        drop = np.where(ok & (b < a), a - b, 0.0)
    return drop / ulp_of(y[:-1], dtype)


def check_floating_point(case: _oracle.Case, dtype: np.dtype, runs) -> float:
    """Range closure and monotonicity over ``runs``; returns the largest descent (ULP)."""
    interval, spec = case.spec.output_range, case.spec
    worst = 0.0
    ys = np.split(fp_values(case, np.concatenate(runs)), np.cumsum([r.size for r in runs])[:-1])
    for x, y in zip(runs, ys, strict=True):
        assert y.dtype == dtype, (case.label, y.dtype)
        yf = y.astype(np.float64)
        nan = np.isnan(yf)
        assert not nan.any(), f"{case} ({dtype}): NaN at x = {x[nan][:3]}"
        out = (yf < interval.lo) | (yf > interval.hi)
        assert not out.any(), (
            f"{case} ({dtype}): {y[out][:3]} outside the closure of {interval.describe()} "
            f"at x = {x[out][:3]}"
        )
        if spec.monotonic and x.size > 1:
            d = descents(x, y, dtype)
            i = int(np.argmax(d))
            assert d[i] <= spec.monotonic_ulps, (
                f"{case} ({dtype}): stated to decrease by at most {spec.monotonic_ulps} ULP "
                f"between neighbours, but f({x[i]!r}) = {y[i]!r} > f({x[i + 1]!r}) = "
                f"{y[i + 1]!r} ({d[i]:.3g} ULP)"
            )
            worst = max(worst, float(d[i]))
    return worst


@pytest.mark.parametrize("dtype", list(FLOAT_TYPES), ids=list(FLOAT_TYPES))
@pytest.mark.parametrize("case", DEFAULTS, ids=[c.label for c in DEFAULTS])
def test_floating_point_range_and_monotonicity(case: _oracle.Case, dtype: str) -> None:
    dt = FLOAT_TYPES[dtype]
    worst = check_floating_point(case, dt, windows(case, dt))
    if case.spec.monotonic and case.spec.monotonic_ulps == 0:
        assert worst == 0.0


@pytest.mark.parametrize("case", [c for c in DEFAULTS if c.spec.monotonic_ulps], ids=str)
def test_stated_monotonic_ulps_are_needed(case: _oracle.Case) -> None:
    # A stated wobble is real: the sweeps find a decrease (the largest stated was measured
    # over sweeps of 40 million consecutive float32 and float64 inputs).
    worst = max(
        check_floating_point(case, FLOAT_TYPES[d], windows(case, FLOAT_TYPES[d]))
        for d in ("float32", "float64")
    )
    assert 0 < worst <= case.spec.monotonic_ulps, (case.label, worst)


def test_consecutive_floats_are_consecutive() -> None:
    for dtype in FLOAT_TYPES.values():
        x = consecutive(-3.0, 1000, dtype).astype(np.float64)
        assert np.all(np.diff(x) > 0) and x[0] == -3.0
        z = consecutive(-float(ml_dtypes.finfo(dtype).smallest_subnormal), 4, dtype)
        assert list(np.signbit(z)) == [True, True, False, False] and np.all(z[1:3] == 0)
    assert consecutive(-float(ml_dtypes.finfo(np.float16).max), 2**16, np.float16).size == 63488


SLOW_CHUNK = 2**24


def every_float32(top: float | None = None, chunk: int = SLOW_CHUNK) -> Iterator[np.ndarray]:
    """All float32 values in [-top, top] (all finite ones by default) in increasing order, in
    chunks that overlap by one (so that every pair of neighbours is in some chunk): -top ...
    -0, then +0 ... top."""
    top = np.finfo(np.float32).max if top is None else top
    top = int(np.float32(top).view(np.uint32))
    negative = np.uint32(1 << 31)
    for start in range(top, -1, -(chunk - 1)):  # magnitudes going down: -top up to -0
        bits = np.arange(start, max(start - chunk, -1), -1, dtype=np.int64)
        yield (bits.astype(np.uint32) | negative).view(np.float32)
    yield np.array([-0.0, 0.0], np.float32)
    for start in range(0, top + 1, chunk - 1):
        bits = np.arange(start, min(start + chunk, top + 1), dtype=np.int64)
        yield bits.astype(np.uint32).view(np.float32)


@pytest.mark.slow
@pytest.mark.parametrize("case", DEFAULTS, ids=[c.label for c in DEFAULTS])
def test_every_float32_range_and_monotonicity(case: _oracle.Case) -> None:
    # All 4.3e9 float32 inputs in increasing order: 256 chunks of 2^24, about 2 s each on a
    # loaded 2-core machine (some 8 minutes a function).
    dt = FLOAT_TYPES["float32"]
    for x in every_float32():
        check_floating_point(case, dt, [normal_or_zero(x)])


def test_every_float32_enumerates_each_once() -> None:
    # The 2 * 250,001 floats of smallest magnitude in chunks of 10^4 (the slow test: all of
    # float32 in chunks of 2^24).
    top = np.uint32(250_000).view(np.float32)
    chunks = list(every_float32(float(top), 10**4))
    x = np.concatenate(chunks)
    assert x[0] == -top and x[-1] == top
    assert np.all(np.diff(x.astype(np.float64)) >= 0)  # (-0 == +0: the one equal pair kept)
    assert x.size - (len(chunks) - 1) == 2 * 250_001  # each value once, ±0 both
    for a, b in zip(chunks, chunks[1:], strict=False):
        assert a[-1] == b[0] and np.signbit(a[-1]) == np.signbit(b[0])
