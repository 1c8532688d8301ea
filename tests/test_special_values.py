"""Infinities, NaN, huge arguments and every float dtype, for every registered activation.

The expected values come from each spec's mpmath oracle (``reference`` and
``reference_derivative``), evaluated at the input and rounded to its dtype; the limits at
±inf are the oracle at ±1e1000, beyond every float format. Nothing is typed in per function.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import mpmath
import numpy as np
import pytest
from _activation_cases import (
    ALL,
    HUGE,
    ROW,
    VECTOR,
    call,
    case_id,
    cotangent,
    derivative_is_constant,
    elementwise_cases,
    finite_values,
    ids,
    reference,
    rounded,
    sample,
    scalar_loss,
)

import jaxact

CASES = elementwise_cases()
CASE_IDS = [case_id(c) for c in CASES]
FLOATS = [jnp.float16, jnp.bfloat16, jnp.float32, jnp.float64]
HALF = [jnp.float16, jnp.bfloat16]


@pytest.fixture
def x64():
    """float64 arrays for one test; the global default (x64 off) is restored after it."""
    with jax.enable_x64(True):
        yield
    assert jnp.asarray(1.0).dtype == jnp.float32


def _ulps(got: float, want: float, dtype, floor: float = 0.0) -> float:
    """|got - want| in units of the dtype's spacing at max(|want|, floor)."""
    if math.isnan(want):
        return 0.0 if math.isnan(got) else math.inf
    if math.isinf(want) or math.isinf(got):
        return 0.0 if got == want else math.inf
    info = jnp.finfo(dtype)
    if max(abs(want), floor) < float(info.tiny):
        # Subnormal truth: XLA on CPU flushes float32 subnormals to zero (CONTRIBUTING.md,
        # pitfall 11).
        return abs(got - want) / float(info.tiny)
    scale = max(abs(want), floor)
    return abs(got - want) / 2.0 ** (math.floor(math.log2(scale)) - info.nmant)


def _derivatives(f, second: bool = True):
    """f, f' and f'' elementwise, jitted together (one compilation per dtype); f'' is zeros
    when ``second`` is False."""

    @jax.jit
    def run(x):
        h = jax.vmap(jax.hessian(f))(x) if second else jnp.zeros_like(x)
        return f(x), jax.vmap(jax.grad(f))(x), h

    return run


_EVALUATED: dict = {}


def _evaluate(case, dtype):
    """``(x, f, f', f'')`` as float64 NumPy arrays at ±inf, NaN, the huge values and, for half
    precision, the 1-ULP grid: one compilation per function and dtype for all the tests here.
    """
    spec, kw = case
    key = (case_id(case), jnp.dtype(dtype).name)
    if key not in _EVALUATED:
        grid = _half_grid(dtype) if dtype in HALF else []
        with jax.enable_x64(dtype == jnp.float64):
            x = jnp.array([-jnp.inf, jnp.inf, jnp.nan, *finite_values(dtype), *grid], dtype)
            # (Half precision is computed in float32: f'' is checked there.)
            out = _derivatives(call(spec, **kw), second=dtype not in HALF)(x)
            assert all(a.dtype == dtype for a in out), [a.dtype for a in out]
        _EVALUATED[key] = tuple(np.asarray(a, np.float64) for a in (x, *out))
    return _EVALUATED[key]


# -- ±inf, NaN and huge finite arguments, in every float dtype ---------------------------------


@pytest.mark.parametrize("dtype", FLOATS, ids=lambda d: jnp.dtype(d).name)
@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_limits_nan_and_huge_arguments(case, dtype):
    spec, kw = case
    big = finite_values(dtype)
    _, y, g, h = _evaluate(case, dtype)

    # f(±inf) and f'(±inf) are the limits: the oracle far beyond the dtype's range, rounded.
    for i, sign in enumerate((-1, 1)):
        want_f = rounded(reference(spec, sign * HUGE, **kw), dtype)
        want_d = rounded(reference(spec, sign * HUGE, True, **kw), dtype)
        assert _ulps(y[i], want_f, dtype) <= 1, ("f", sign * math.inf, y[i], want_f)
        assert _ulps(g[i], want_d, dtype) <= 1, ("f'", sign * math.inf, g[i], want_d)

    # NaN in, NaN out; the derivative too, unless it is a constant (identity, binary step).
    assert np.isnan(y[2]), y[2]
    if not derivative_is_constant(spec, **kw):
        assert np.isnan(g[2]), g[2]

    # Huge finite arguments: never NaN, and finite wherever the truth is (the where-gradient
    # trap: an unselected branch that overflows must not poison the gradient).
    n = len(big)
    for xi, yi, gi, hi in zip(big, y[3 : 3 + n], g[3 : 3 + n], h[3 : 3 + n], strict=True):
        xd = float(np.asarray(xi, jnp.dtype(dtype)).astype(np.float64))
        for got, want, what in (
            (yi, rounded(reference(spec, xd, **kw), dtype), "f"),
            (gi, rounded(reference(spec, xd, True, **kw), dtype), "f'"),
        ):
            assert not np.isnan(got), (what, xd)
            if math.isfinite(want):
                assert np.isfinite(got), (what, xd, got, want)
        assert np.isfinite(hi) or not math.isfinite(_second_derivative(spec, xd, dtype, kw)), (
            "f''",
            xd,
            hi,
        )


@pytest.mark.parametrize(
    "dtype",
    [jnp.float32, pytest.param(jnp.float64, marks=pytest.mark.slow)],
    ids=["float32", "float64"],
)
@pytest.mark.parametrize("spec", VECTOR, ids=ids(VECTOR))
def test_vector_nan_and_huge_arguments(spec, dtype):
    with jax.enable_x64(dtype == jnp.float64):
        big = float(jnp.finfo(dtype).max)
        rows = []
        for v in (1e3, 1e30, big):
            for s in (-1.0, 1.0):
                row = [s * v, s * v / 2, 1.0, 0.0]
                rows += [row, row[::-1]]
        # Two ordinary rows last; the first of them gets a NaN below. One shape for every
        # call, so one compilation of f and one of its gradient (an eager call compiles each
        # operation for each new shape: three shapes before).
        x = jnp.concatenate([jnp.asarray(rows, dtype), sample((2, ROW), dtype)])
        f = jax.jit(call(spec))
        grad = jax.jit(jax.grad(scalar_loss(spec, x.shape, dtype)))
        y, g = np.asarray(f(x)), np.asarray(grad(x))
        assert y.dtype == dtype and g.dtype == dtype
        # Every truth here is finite: the GLU halves are (big, big/2) gating (1, 0) or
        # (1, 0) gating (big, big/2), the rest are probabilities or log-probabilities > -big.
        assert np.all(np.isfinite(y)), (x, y)
        assert np.all(np.isfinite(g)), (x, g)

        # A NaN in one row: NaN out in that row (value and gradient), the other rows unharmed.
        yn, gn = np.asarray(f(x.at[-2, 1].set(jnp.nan))), np.asarray(grad(x.at[-2, 1].set(jnp.nan)))
        assert np.isnan(yn[-2]).any() and np.isnan(gn[-2]).any(), (yn, gn)
        keep = np.arange(len(x)) != len(x) - 2
        np.testing.assert_array_equal(yn[keep], y[keep])
        np.testing.assert_array_equal(gn[keep], g[keep])


# -- half precision: same dtype out, within 1 ULP of the correctly rounded value ---------------


def _half_grid(dtype) -> np.ndarray:
    big = float(jnp.finfo(dtype).max)
    dense = np.linspace(-10.0, 10.0, 161)
    tail = np.geomspace(1e-3, big, 48)
    x = np.concatenate([dense, tail, -tail])
    x = np.unique(np.asarray(jnp.asarray(x, dtype), np.float64))
    return x[np.isfinite(x)]


def _floor(spec, x: float) -> float:
    # Near an interior zero of f' the relative error of f' is meaningless: a floor of 0.25.
    return 0.25 if any(abs(x - c) <= 0.5 for c in spec.critical_points) else 0.0


@pytest.mark.parametrize("dtype", HALF, ids=["float16", "bfloat16"])
@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_half_precision_within_one_ulp(case, dtype):
    spec, kw = case
    xs, y, g, _ = (a[3 + len(finite_values(dtype)) :] for a in _evaluate(case, dtype))
    assert xs.size > 200
    bad = []
    for xi, yi, gi in zip(xs, y, g, strict=True):
        want_f = rounded(reference(spec, xi, **kw), dtype)
        want_d = rounded(reference(spec, xi, True, **kw), dtype)
        # An oracle's NaN at a finite argument: a point it does not score (the sine beyond
        # 2^24, accurate in absolute terms only), as in the accuracy harness.
        want_f = yi if math.isnan(want_f) else want_f
        want_d = gi if math.isnan(want_d) else want_d
        if _ulps(yi, want_f, dtype) > 1:
            bad.append(("f", xi, yi, want_f))
        if _ulps(gi, want_d, dtype, _floor(spec, xi)) > 1:
            bad.append(("f'", xi, gi, want_d))
    assert not bad, bad[:8]


@pytest.mark.parametrize("dtype", HALF, ids=["float16", "bfloat16"])
@pytest.mark.parametrize("spec", VECTOR, ids=ids(VECTOR))
def test_vector_half_precision_is_float32_rounded_once(spec, dtype):
    f = call(spec)
    x = sample((3, ROW), dtype)
    y = f(x)
    assert y.dtype == dtype
    # Computed in float32 and rounded once: within 1 ULP of the float32 result rounded.
    want = np.asarray(f(x.astype(jnp.float32)), np.float64)
    for got, w in zip(np.asarray(y, np.float64).ravel(), want.ravel(), strict=True):
        assert _ulps(got, rounded(w, dtype), dtype) <= 1, (got, w)


# -- float64 ------------------------------------------------------------------------------------


@pytest.mark.parametrize("spec", ALL, ids=ids(ALL))
def test_float64_in_float64_out(spec, x64):
    f = call(spec)
    x = jnp.asarray(spec.example_input, jnp.float64) + 0.37
    loss = scalar_loss(spec, x.shape, jnp.float64)
    w = cotangent(spec, x.shape, jnp.float64)

    @jax.jit
    def value_and_grad(x):
        # f and the gradient of sum(f(x) w) in one compilation (an eager f compiled each of
        # its operations on its own).
        y, pull = jax.vjp(f, x)
        return y, pull(w)[0]

    y, grad = value_and_grad(x)
    hess = jax.eval_shape(jax.hessian(loss), x)
    assert y.dtype == grad.dtype == hess.dtype == jnp.float64
    if spec.elementwise:
        # Computed in float64, not in float32 and widened: within a few float64 ULP. With
        # an elementwise f, the gradient of sum(f(x) w) is f'(x) w.
        w = np.asarray(w)
        for xi, yi, gi in zip(np.asarray(x), np.asarray(y), np.asarray(grad) / w, strict=True):
            assert _ulps(float(yi), reference(spec, xi), jnp.float64) <= 4, (xi, yi)
            want_d = reference(spec, xi, True)
            # (the division by w adds at most one rounding)
            assert _ulps(float(gi), want_d, jnp.float64, _floor(spec, xi)) <= 5, (xi, gi)


@pytest.mark.parametrize("fn", [jaxact.prelu, jaxact.leaky_relu], ids=["prelu", "leaky_relu"])
def test_zero_slope_at_minus_infinity_is_the_limit_zero(fn) -> None:
    # A zero slope is relu: f(-inf) = 0, not 0 * -inf = NaN; the slope's gradient stays finite.
    x = jnp.array([-jnp.inf, -2.0, 3.0])
    assert fn(x, 0.0).tolist() == [0.0, 0.0, 3.0]
    assert float(jax.grad(lambda a: fn(x, a).sum())(0.0)) == -2.0


def _second_derivative(spec, x: float, dtype, kw) -> float:
    """The oracle's f''(x) by a central difference of its exact f' (mpmath), rounded to
    ``dtype``: infinite only where the truth overflows (the exponential's e^x at 1e3)."""
    with mpmath.workdps(60):
        big = mpmath.mpf(x)
        h = abs(big) * mpmath.mpf(10) ** -25 or mpmath.mpf(10) ** -25
        oracle = spec.reference_derivative
        value = (
            oracle(mpmath, big + h, **{**spec.defaults(), **kw})
            - oracle(mpmath, big - h, **{**spec.defaults(), **kw})
        ) / (2 * h)
    return rounded(float(value) if mpmath.isfinite(value) else math.inf, dtype)
