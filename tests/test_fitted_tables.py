"""Every fitted coefficient table and derived constant in jaxact against the script in ``tools/``
that makes it.

Each table regenerates exactly (the GELU fit only in the slow test): the test asserts equality per
dtype; each table's measured max relative error (mpmath) is also checked against the figure its
library comment states, and the same check on a perturbed table must fail. The error figures below
are the library comments' (given to two digits or 0.1 in the exponent, hence the slack in
``_within``).
"""

from __future__ import annotations

import functools
import inspect
import pathlib

import mpmath
import pytest

from jaxact import _tanh_shrink
from jaxact._kernels import exp, expm1, floating_point, gelu
from tools import exp_reduction, fit_expm1, fit_gelu_exact, fit_tanh_shrink

ROOT = pathlib.Path(__file__).resolve().parents[1]

DTYPES = ("float32", "float64")

# The error figures the library's comments state, per dtype.
KERNEL_EXPM1_FIT = {"float32": 2.9e-9, "float64": 3.0e-18}  # q, unrounded fit
KERNEL_EXPM1_ROUNDED = {"float32": 9.1e-9, "float64": 4.9e-18}  # q, coefficients in the dtype
GATED_FIT_LOG2 = {"expm1": (-26.7, -61.4), "exp2m1": (-26.0, -60.1)}  # 1 + r q against e^r, 2^r
GATED_ROUNDED_LOG2 = {"expm1": (-25.7, -59.3), "exp2m1": (-25.1, -55.1)}
GELU_FIT_LOG2 = {"float32": -27.0, "float64": -60.0}  # "near-minimax relative error 2^-27 ..."
GELU_ROUNDED_LOG2 = {"float32": -25.6, "float64": -54.5}
TANH_SHRINK_TRUNCATION = {"float32": 2e-10, "float64": 1e-18}  # "exact to 2e-10 / 1e-18"
TANH_SQUARED_TRUNCATION_LOG2 = {"float32": -45.8, "float64": -80.8}
REDUCTION_R_ERROR_LOG2 = {"float32": -36.8, "float64": -76.1}  # error in r at the largest |n|


COARSE = 200
"""Grid size for the perturbed tables (an error above the bound on a coarse grid is one on any)."""


def _within(error, bound: float) -> bool:
    """``error <= bound`` up to the rounding of a two-digit figure."""
    return error <= bound * 1.02


def _within_log2(error, exponent: float) -> bool:
    """``log2(error) <= exponent`` up to the rounding of a figure to 0.1 in the exponent."""
    return float(mpmath.log(error, 2)) <= exponent + 0.05


def _source(module) -> str:
    return pathlib.Path(inspect.getsourcefile(module)).read_text()


def _perturbed(coefficients, index: int, relative: float) -> tuple:
    c = list(coefficients)
    c[index] = c[index] * (1 + relative)
    return tuple(c)


# The cheap fits, once per session.
_kernel_fit = functools.cache(fit_expm1.kernel_expm1_fit)
_gated_fit = functools.cache(fit_expm1.gated_fit)


def _dtype_index(dtype: str) -> int:
    return DTYPES.index(dtype)


# -- expm1 kernel (_kernels.expm1._EXPM1_Q) ---------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
def test_kernel_expm1_q_regenerates(dtype):
    assert expm1._EXPM1_Q[dtype] == fit_expm1.kernel_expm1_q()[dtype]


@pytest.mark.parametrize("dtype", DTYPES)
def test_kernel_expm1_q_error(dtype):
    assert _within(fit_expm1.kernel_expm1_error(_kernel_fit()[dtype]), KERNEL_EXPM1_FIT[dtype])
    table = expm1._EXPM1_Q[dtype]
    bound = KERNEL_EXPM1_ROUNDED[dtype]
    assert _within(fit_expm1.kernel_expm1_error(table, dtype), bound)
    # q(0) = 1/2 off by a relative 64 * bound (one ULP or more): the check must fail
    bad = _perturbed(table, 0, 64 * bound)
    assert not _within(fit_expm1.kernel_expm1_error(bad, dtype, points=COARSE), bound)


# -- _kernels.exp._EXP_Q, _kernels.exp._EXP2_Q -------------------------------------------------

GATED = {"expm1": "_EXP_Q", "exp2m1": "_EXP2_Q"}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", list(GATED))
def test_gated_exp_table_regenerates(name, dtype):
    committed = getattr(exp, GATED[name])[dtype]
    assert committed == fit_expm1.gated_table(name)[dtype]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", list(GATED))
def test_gated_exp_table_error(name, dtype):
    i = _dtype_index(dtype)
    fit = _gated_fit(name)[dtype]
    assert _within_log2(fit_expm1.gated_error(name, fit), GATED_FIT_LOG2[name][i])
    committed = getattr(exp, GATED[name])[dtype]
    exponent = GATED_ROUNDED_LOG2[name][i]
    assert _within_log2(fit_expm1.gated_error(name, committed, dtype), exponent)
    # the linear coefficient off by a relative 2^(exponent + 8): the check must fail
    bad = _perturbed(committed, 1, 2.0 ** (exponent + 8))
    assert not _within_log2(fit_expm1.gated_error(name, bad, dtype, points=COARSE), exponent)


def test_expm1_tables_printed_as_in_source():
    kernel, gated, gated2 = fit_expm1.render()
    assert kernel in _source(expm1)
    assert gated in _source(exp)
    assert gated2 in _source(exp)


# -- range reduction constants (_kernels.floating_point._REDUCTION, _LOG2E) ---------------------


@pytest.mark.parametrize("dtype", DTYPES)
def test_reduction_regenerates(dtype):
    hi, lo, shifter, p, one = exp_reduction.reduction(dtype)
    c_hi, c_lo, c_shifter, c_p, c_one = floating_point._REDUCTION[dtype]
    assert (c_hi, c_lo, c_shifter, c_p, c_one) == (hi, lo, shifter, p, one)
    assert exp_reduction._hi_bits_ok(c_hi, dtype)
    assert floating_point._LOG2E == exp_reduction.log2e()


def test_reduction_printed_as_in_source():
    assert exp_reduction.render()[0] in _source(floating_point)


@pytest.mark.parametrize("dtype", DTYPES)
def test_reduction_split_error(dtype):
    hi, lo, *_ = floating_point._REDUCTION[dtype]
    exponent = REDUCTION_R_ERROR_LOG2[dtype]
    assert _within_log2(exp_reduction.reduction_error(hi, lo, dtype), exponent)
    bad = lo * (1 + 2.0**-20)  # survives the rounding of ln2_lo to float32
    assert not _within_log2(exp_reduction.reduction_error(hi, bad, dtype), exponent)


def test_log2e_printed_as_in_source():
    assert exp_reduction.render()[1] in _source(floating_point)


# -- tanh_shrink (_tanh_shrink._TANH_SHRINK_PQ, _TANH_SQUARED_PQ) ------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
def test_tanh_tables_regenerate(dtype):
    assert _tanh_shrink._TANH_SHRINK_PQ[dtype] == fit_tanh_shrink.shrink_table()[dtype]
    assert _tanh_shrink._TANH_SQUARED_PQ[dtype] == fit_tanh_shrink.squared_table()[dtype]


@pytest.mark.parametrize("dtype", DTYPES)
def test_tanh_shrink_truncation_error(dtype):
    fractions = fit_tanh_shrink.shrink_fractions(dtype)
    bound = TANH_SHRINK_TRUNCATION[dtype]
    assert _within(fit_tanh_shrink.shrink_error(fractions), bound * 1.5)  # 1 digit: 1.5e-18
    # the fraction truncated one level earlier is far worse
    shorter = fit_tanh_shrink.shrink_fractions(dtype, fit_tanh_shrink.LEVELS[dtype] - 1)
    assert not _within(fit_tanh_shrink.shrink_error(shorter), bound * 1.5)


@pytest.mark.parametrize("dtype", DTYPES)
def test_tanh_squared_truncation_error(dtype):
    r2, q2 = fit_tanh_shrink.squared_fractions(dtype)
    exponent = TANH_SQUARED_TRUNCATION_LOG2[dtype]
    assert _within_log2(fit_tanh_shrink.squared_error((r2, q2)), exponent)
    bad = (r2, _perturbed(q2, 1, 2.0 ** (exponent + 4)))
    assert not _within_log2(fit_tanh_shrink.squared_error(bad), exponent)


def test_tanh_tables_printed_as_in_source():
    shrink, squared = fit_tanh_shrink.render()
    assert shrink in _source(_tanh_shrink)
    assert squared in _source(_tanh_shrink)


# -- exact GELU (_kernels.gelu._GELU_EXACT, _INV_SQRT_2PI) -------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
def test_gelu_exact_constants_regenerate(dtype):
    k = gelu._GELU_EXACT[dtype]
    assert k["inv_sqrt_2pi"] == fit_gelu_exact.inv_sqrt_2pi_split(dtype)
    spec = fit_gelu_exact.SPECS[dtype]
    assert (k["t_max"], k["shift"]) == (spec["t_max"], fit_gelu_exact.SHIFT[dtype])
    assert gelu._INV_SQRT_2PI == fit_gelu_exact.inv_sqrt_2pi()


@pytest.mark.parametrize("dtype", DTYPES)
def test_gelu_exact_range(dtype):
    k = gelu._GELU_EXACT[dtype]
    assert all(fit_gelu_exact.range_checks(dtype, k["t_max"], k["shift"]).values())
    assert not fit_gelu_exact.range_checks(dtype, k["t_max"] - 1, k["shift"])["zero beyond"]
    assert not fit_gelu_exact.range_checks(dtype, k["t_max"], k["shift"] - 8)["normal scale"]


@pytest.mark.parametrize("dtype", DTYPES)
def test_gelu_exact_table_error(dtype):
    p, q = gelu._GELU_EXACT[dtype]["R"]
    exponent = GELU_ROUNDED_LOG2[dtype]
    assert _within_log2(fit_gelu_exact.table_error((p, q), dtype), exponent)
    bad = (_perturbed(p, 2, 2.0 ** (exponent + 4)), q)
    assert not _within_log2(fit_gelu_exact.table_error(bad, dtype, points=COARSE), exponent)


@pytest.mark.slow
def test_gelu_exact_regenerates():
    """The full fit (about a minute of mpmath least squares on one core)."""
    fits = {dtype: fit_gelu_exact.fit(dtype) for dtype in DTYPES}
    table = fit_gelu_exact.table(fits)
    for dtype in DTYPES:
        assert table[dtype] == gelu._GELU_EXACT[dtype], dtype
        assert _within_log2(fits[dtype][0], GELU_FIT_LOG2[dtype] + 0.5)  # "2^-27", "2^-60"
    assert fit_gelu_exact._render(table) in _source(gelu)
