"""logsumexp: a drop-in for jax.nn.logsumexp (every argument), exact where jax.nn rounds the
largest term away, its gradient the softmax, and the edge cases of its page (±inf, fully masked
rows, zero and negative weights, half precision)."""

from __future__ import annotations

import itertools
from pathlib import Path

import jax
import jax.numpy as jnp
import mpmath
import numpy as np
import pytest
from _activation_cases import x64
from test_vector_accuracy import ROWS_TEXT, _exact, _rows, _ulp

import jaxact

DTYPES = (np.float32, np.float64)


def _mp_lse(row, b=None) -> float:
    """log|Σ b e^a| of a row (mpmath, 40 digits)."""
    with mpmath.workdps(40):
        b = np.ones(len(row)) if b is None else b
        total = mpmath.fsum(
            mpmath.mpf(float(w)) * mpmath.exp(float(t)) for t, w in zip(row, b, strict=True)
        )
        return float(mpmath.log(abs(total)))


# -- drop-in: every argument of jax.nn.logsumexp ------------------------------------------------

X = np.random.default_rng(0).normal(size=(3, 4, 5)) * 3
B = np.random.default_rng(1).normal(size=(4, 5))
CALLS = [
    {"axis": axis, "keepdims": keepdims}
    for axis, keepdims in itertools.product([None, 0, 1, -1, (0, 2), (1, 2)], [False, True])
] + [
    {"axis": -1, "b": B, "return_sign": True},
    {"axis": (0, 1), "b": B, "return_sign": True, "keepdims": True},
    {"axis": 1, "b": np.abs(B)},
    {"axis": -1, "b": B},  # negative sums: NaN, as jax.nn
    {"axis": -1, "where": X > 0},
    {"axis": None, "where": X > 2},
    {"axis": -1, "b": np.where(B > 0, B, 0.0), "where": X > -1, "return_sign": True},
]


@x64
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("kwargs", CALLS, ids=lambda kw: ",".join(f"{k}" for k in kw))
def test_logsumexp_matches_jax_nn_on_every_argument(kwargs, dtype) -> None:
    x = jnp.asarray(X, dtype)
    kw = {k: jnp.asarray(v, dtype) if k == "b" else v for k, v in kwargs.items()}
    ours, theirs = jaxact.logsumexp(x, **kw), jax.nn.logsumexp(x, **kw)
    eps = 4 * np.finfo(dtype).eps
    atol = eps
    if "b" in kw:  # signed terms cancel: both are as accurate as the terms relative to the sum
        unsigned = jax.nn.logsumexp(x, **{**kw, "b": jnp.abs(kw["b"]), "return_sign": False})
        lse = jax.tree.leaves(theirs)[0]
        atol = eps * (1 + np.exp(np.nan_to_num(np.asarray(unsigned - lse), nan=0.0)))
    for got, want in zip(jax.tree.leaves(ours), jax.tree.leaves(theirs), strict=True):
        assert got.shape == want.shape and got.dtype == want.dtype
        got, want = np.asarray(got, np.float64), np.asarray(want, np.float64)
        same = (got == want) | (np.isnan(got) & np.isnan(want))
        with np.errstate(invalid="ignore"):  # inf - inf where both are the same infinity
            close = np.abs(got - want) <= eps * np.abs(want) + atol
        assert np.all(same | close), (got, want)


@pytest.mark.parametrize(
    "row, want",
    [
        ([0.0, -20.0], 2.0611536900435515e-09),  # the largest term kept: jax.nn gives 0
        ([jnp.inf, 0.0], jnp.inf),
        ([jnp.inf, jnp.inf], jnp.inf),
        ([-jnp.inf, -jnp.inf], -jnp.inf),
        ([jnp.inf, -jnp.inf], jnp.inf),
        ([jnp.nan, 0.0], jnp.nan),
        ([], -jnp.inf),
    ],
)
def test_logsumexp_special_rows(row, want) -> None:
    got = float(jaxact.logsumexp(jnp.asarray(row, jnp.float32)))
    np.testing.assert_allclose(got, want, rtol=1e-6)
    if row == [0.0, -20.0]:
        assert float(jax.nn.logsumexp(jnp.asarray(row, jnp.float32))) == 0.0  # why it exists


def test_logsumexp_masked_and_zero_weight_entries_are_left_out() -> None:
    x = jnp.array([[1.0, jnp.inf, 2.0], [3.0, 4.0, 5.0]])
    mask = jnp.array([[True, False, True], [False, False, False]])
    got = jaxact.logsumexp(x, axis=-1, where=mask)
    np.testing.assert_allclose(got, [np.logaddexp(1.0, 2.0), -np.inf], rtol=1e-6)
    # b = 0 drops its term even at a = +inf (jax.nn's rule), and the gradient there is 0.
    b = jnp.array([1.0, 0.0, 1.0])
    np.testing.assert_allclose(jaxact.logsumexp(x[0], b=b), np.logaddexp(1.0, 2.0), rtol=1e-6)
    g = jax.grad(lambda v: jaxact.logsumexp(v, axis=-1, where=mask).sum())(x)
    assert np.all(np.isfinite(g)) and np.all(np.asarray(g)[1] == 0)  # fully masked row: 0
    np.testing.assert_allclose(np.asarray(g)[0].sum(), 1.0, rtol=1e-6)


def test_logsumexp_sign_of_negative_weighted_sums() -> None:
    x = jnp.array([0.0, 0.0, 1.0])
    b = jnp.array([1.0, -2.0, 0.5])
    total = 1 - 2 + 0.5 * np.e
    out, sign = jaxact.logsumexp(x, b=b, return_sign=True)
    assert float(sign) == np.sign(total)
    np.testing.assert_allclose(float(out), np.log(abs(total)), rtol=1e-6)
    out, sign = jaxact.logsumexp(jnp.array([0.0, 0.0]), b=jnp.array([1.0, -1.0]), return_sign=True)
    assert float(out) == -np.inf and float(sign) == 0.0  # the terms cancel: log 0
    assert np.isnan(float(jaxact.logsumexp(x, b=-b)))  # negative sum without return_sign


@x64
@pytest.mark.parametrize("dtype", DTYPES)
def test_logsumexp_gradient_is_the_softmax(dtype) -> None:
    x = jnp.asarray(_rows(dtype))
    g = jax.grad(lambda v: jaxact.logsumexp(v, axis=-1).sum())(x)
    s = jaxact.softmax(x)
    np.testing.assert_array_max_ulp(np.asarray(g), np.asarray(s), maxulp=2)
    # With weights: d/da_j = b_j e^a_j / Σ, d/db_j = e^a_j / Σ (the same as jax.nn's, here
    # where jax.nn's sum has no cancellation).
    b = jnp.asarray(np.abs(B[:1]) + 0.5, dtype)
    xs = jnp.asarray(X[0, :1], dtype)
    ours = jax.grad(lambda v, w: jaxact.logsumexp(v, b=w), argnums=(0, 1))(xs, b)
    theirs = jax.grad(lambda v, w: jax.nn.logsumexp(v, b=w), argnums=(0, 1))(xs, b)
    for got, want in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(got, want, rtol=8 * np.finfo(dtype).eps)


@x64
def test_logsumexp_hessian_is_the_softmax_jacobian() -> None:
    x = jnp.array([0.3, -1.0, 2.0, 2.0])
    s = jaxact.softmax(x)
    want = jnp.diag(s) - jnp.outer(s, s)
    np.testing.assert_allclose(jax.hessian(jaxact.logsumexp)(x), want, rtol=1e-14, atol=1e-16)


@x64
@pytest.mark.parametrize("dtype", DTYPES)
def test_logsumexp_keeps_the_largest_term_exactly(dtype) -> None:
    # m + log1p(r): log1p(r) is log_softmax's largest entry (which loses up to the gap of the
    # nearest other entry in ULP, see its page), then one addition of m.
    notes = Path(__file__).resolve().parents[1] / "docs" / "_notes" / "logsumexp.md"
    assert f"Tested against mpmath on log_softmax's rows: {ROWS_TEXT}." in notes.read_text()
    x = _rows(dtype)
    got = np.asarray(jaxact.logsumexp(jnp.asarray(x), axis=-1), np.float64)
    gap = np.abs(x.astype(np.float64) - x.max(axis=1, keepdims=True))
    worst_jax = 0.0
    for row, value, grow in zip(x, got, gap, strict=True):
        want = _mp_lse(row)
        _, logs = _exact(row)
        tail = -logs[np.argmax(row)]  # log1p(r), exact
        others = grow[grow > 0].min() if (grow > 0).any() else 0.0
        m = float(row.max())
        bound = (others + 2) * _ulp(tail, dtype) + _ulp(m, dtype) + _ulp(want, dtype)
        assert abs(value - want) <= bound, (row, value, want)
        jax_value = float(jax.nn.logsumexp(jnp.asarray(row)))
        worst_jax = max(worst_jax, abs(jax_value - want) / float(_ulp(want, dtype)))
    # The rows where the maximum dominates are where jax.nn loses the rest.
    rows = np.array([[0.0, -20.0, -21.5, -30.0]], dtype)
    want = _mp_lse(rows[0])
    assert abs(float(jaxact.logsumexp(jnp.asarray(rows))) - want) <= 2 * _ulp(want, dtype)
    assert abs(float(jax.nn.logsumexp(jnp.asarray(rows))) - want) > 1e3 * _ulp(want, dtype)


@x64
@pytest.mark.parametrize("dtype", DTYPES)
def test_logsumexp_with_signed_weights_is_close_to_mpmath(dtype) -> None:
    rng = np.random.default_rng(5)
    x = (rng.normal(size=(32, 5)) * 4).astype(dtype)
    b = rng.normal(size=(32, 5)).astype(dtype)
    out, sign = jaxact.logsumexp(jnp.asarray(x), axis=-1, b=jnp.asarray(b), return_sign=True)
    for row, w, value, s in zip(x, b, np.asarray(out), np.asarray(sign), strict=True):
        with mpmath.workdps(40):
            terms = [
                mpmath.mpf(float(v)) * mpmath.exp(float(t)) for t, v in zip(row, w, strict=True)
            ]
            total = mpmath.fsum(terms)
        assert s == np.sign(float(total))
        want = _mp_lse(row, w)
        # The sum of signed terms cancels: the error is that of the terms, |c_j|/|Σ| ULP.
        with mpmath.workdps(40):
            scale = float(mpmath.fsum(abs(t) for t in terms) / abs(total))
        assert abs(value - want) <= 4 * scale * np.finfo(dtype).eps + 2 * _ulp(want, dtype)


def test_logsumexp_half_precision_rows_are_summed_in_float32() -> None:
    x = jnp.zeros(70_000, jnp.float16)
    got = jaxact.logsumexp(x)
    assert got.dtype == jnp.float16
    np.testing.assert_allclose(float(got), np.log(70_000), rtol=1e-3)
