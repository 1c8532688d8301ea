"""α-entmax (entmax15, entmax): against an mpmath bisection, its limits (sparsemax at α = 2,
softmax as α → 1), the paper's Jacobian, the derivative in α, and bad input."""

from __future__ import annotations

import functools
from fractions import Fraction
from pathlib import Path

import jax
import jax.numpy as jnp
import mpmath
import numpy as np
import pytest
from _activation_cases import x64
from _oracle import _ulp
from jax.test_util import check_grads

import jaxact
from benchmarks._vector_reference import solve_anchored as _solve_anchored

NOTES = Path(__file__).resolve().parents[1] / "docs" / "_notes"
DTYPES = (np.float32, np.float64)


def entmax_exact(row, alpha, dps: int = 50) -> list:
    """α-entmax of one row in mpmath: τ by bisection on [max z − 1, max z], z = (α − 1) x."""
    with mpmath.workdps(dps):
        a = mpmath.mpf(alpha)
        z = [(a - 1) * mpmath.mpf(v) for v in row]
        lo, hi = max(z) - 1, max(z)
        for _ in range(int(dps * 3.4) + 10):
            mid = (lo + hi) / 2
            total = mpmath.fsum(max(v - mid, 0) ** (1 / (a - 1)) for v in z)
            lo, hi = (mid, hi) if total >= 1 else (lo, mid)
        tau = (lo + hi) / 2
        return [max(v - tau, 0) ** (1 / (a - 1)) for v in z]


def jacobian_exact(row, alpha) -> np.ndarray:
    """d entmax / dx of the mpmath reference, by central differences at 50 digits."""
    h = mpmath.mpf("1e-20")
    cols = []
    with mpmath.workdps(50):
        for j in range(len(row)):
            up = [mpmath.mpf(v) + (h if i == j else 0) for i, v in enumerate(row)]
            down = [mpmath.mpf(v) - (h if i == j else 0) for i, v in enumerate(row)]
            pairs = zip(entmax_exact(up, alpha, 40), entmax_exact(down, alpha, 40), strict=True)
            cols.append([(u - d) / (2 * h) for u, d in pairs])
    return np.array([[float(c[i]) for c in cols] for i in range(len(row))])


def _rows(dtype, n: int = 12, d: int = 6, seed: int = 2) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(n, d)) * rng.choice([0.3, 1.0, 3.0, 10.0], (n, 1))).astype(dtype)


def _fn(name: str, alpha: float):
    """The function under test. entmax gets α as an array, so that it takes the general path
    at every α (a plain number 1.5, the default, is computed as entmax15: see
    test_a_plain_one_and_a_half_is_entmax15)."""
    if name == "entmax15":
        return jaxact.entmax15
    return lambda v, **kw: jaxact.entmax(v, alpha=jnp.asarray(alpha, jnp.result_type(v)), **kw)


@functools.cache
def _bar_programs(name: str) -> tuple:
    """Jitted f and row-wise Jacobian (jacrev) with α a traced argument: one compilation per
    dtype and shape serves every α (the general path is one program; α a number would bake it
    in and compile again for each)."""

    def f(v, alpha):
        return jaxact.entmax15(v) if name == "entmax15" else jaxact.entmax(v, alpha=alpha)

    return jax.jit(f), jax.jit(jax.vmap(jax.jacrev(f), in_axes=(0, None)))


CASES = [("entmax15", 1.5), ("entmax", 1.5), ("entmax", 1.25), ("entmax", 2.0), ("entmax", 3.0)]
CASE_IDS = [f"{n}-{a}" for n, a in CASES]


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_values_within_a_few_ulp_of_the_scaled_inputs(case, dtype) -> None:
    # As for sparsemax: u_i = (α − 1) x_i − τ is a difference of input-sized numbers, so its
    # error is a few ULP of the row's largest (α − 1)|x|; p = u^{1/(α−1)} multiplies the
    # relative error of u by 1/(α − 1). Bound: 4 eps max(1, (α − 1) max|x|) in u, and the support
    # is the exact one.
    name, alpha = case
    x = _rows(dtype)
    with jax.enable_x64(dtype == np.float64):
        got = np.asarray(_fn(name, alpha)(jnp.asarray(x)), np.float64)
    eps = float(np.finfo(dtype).eps)
    for row, out in zip(x, got, strict=True):
        want = np.array([float(v) for v in entmax_exact(row.astype(float), alpha, 30)])
        scale = (alpha - 1) * np.abs(row.astype(np.float64)).max()
        u_got = out ** (alpha - 1)
        u_want = want ** (alpha - 1)
        assert np.all(np.abs(u_got - u_want) <= 4 * eps * max(scale, 1)), (row, out, want)
        assert np.array_equal(out > 0, want > 0), (row, out, want)


def _ulps(got, exact, dtype) -> np.ndarray:
    hi, lo = _ulp.split_reference(exact)
    return _ulp.ulp_error(np.asarray(got), hi, lo, dtype, _ulp.FLOORS[dtype])


def _jacobian(s: list, total_s) -> list:
    """J = diag(s) − s sᵀ/Σs, row-major; the diagonal as s_i Σ_{j≠i} s_j / Σs, which does not
    cancel where s_i is nearly all of Σs (then J_ii is far below s_i, below 50 digits of it)."""
    n = len(s)
    rest = [mpmath.fsum(s[:i] + s[i + 1 :]) for i in range(n)]
    return [
        s[i] * rest[i] / total_s if i == j else -s[i] * s[j] / total_s
        for i in range(n)
        for j in range(n)
    ]


def _exact_with_conditioning(row, alpha) -> tuple[list, list, np.ndarray]:
    """(p, J, κ) in mpmath: τ by bisection to 2⁻¹⁴⁰ (Newton alone is not safe: for α > 2 it
    overshoots past an entry just above the threshold), J = diag(s) − s sᵀ/Σs (s = p^{2−α}),
    and κ_i = 1/(p_i^{α−1} Σ_j p_j^{2−α}), the condition number of p_i with respect to
    relative perturbations of the other entries (with the sum held at 1)."""
    with mpmath.workdps(50):
        a = mpmath.mpf(alpha)
        g = 1 / (a - 1)
        z = [(a - 1) * mpmath.mpf(float(v)) for v in row]
        lo, hi = max(z) - 1, max(z)
        for _ in range(140):
            mid = (lo + hi) / 2
            total = mpmath.fsum(max(v - mid, 0) ** g for v in z)
            lo, hi = (mid, hi) if total >= 1 else (lo, mid)
        tau = (lo + hi) / 2
        p = [max(v - tau, 0) ** g for v in z]
        s = [q ** (2 - a) if q > 0 else mpmath.mpf(0) for q in p]
        total_s = mpmath.fsum(s)
        jac = _jacobian(s, total_s)
        kappa = np.array([float(1 / (q ** (a - 1) * total_s)) if q > 0 else 0.0 for q in p])
        return p, jac, kappa


# The pages' statements (docs/_notes/entmax*.md, "Accuracy"): 1.5-entmax and entmax at every α
# measured within the 4-ULP bar in f and J. Measured on these rows (float32 / float64): f within
# 0.5 / 0.5 ULP at every α, J within 2.7 / 1.9 ULP (2.7 / 3.5 while J was applied as DᵀJD).
# Before the double-word power (_kernels/double_word_pow.py) only the threshold was refined:
# f was within 0.71 (1 + κ_i) ULP
# (κ_i the condition number of p_i below), 15.5 / 23.9 ULP at α = 1.25 and 13 / 10 at α = 4, and
# J up to 19 ULP; on the ill-conditioned rows below, hundreds to thousands of ULP.
ALPHAS = (1.1, 1.25, 1.3, 1.5, 2.0, 2.7, 3.0, 4.0)
BAR_CASES = [("entmax15", 1.5), *(("entmax", a) for a in ALPHAS)]


def _padded(x: np.ndarray, rows: int = 24) -> np.ndarray:
    """``x`` with its first row repeated up to ``rows`` rows. The bar tests' sets of 24, 8 and 3
    rows of 6 then share one compiled f and J per dtype (each shape compiled both anew); each
    row's results are bitwise the same (checked at α = 1.1, 2, 4), the extra rows dropped. A
    longer set is left as it is (its own shape)."""
    return np.concatenate([x, np.repeat(x[:1], max(rows - len(x), 0), axis=0)])


def _assert_within_the_bar(
    name: str, alpha: float, x: np.ndarray, dtype, *, baked: bool = False
) -> np.ndarray:
    """f and J (jacrev) of each row of ``x`` within 4 ULP of mpmath; returns the rows' κ.

    α is a traced argument of the shared programs (what an eager call of entmax computes), or
    with ``baked`` a number inside the caller's ``jit`` (XLA folds it into the program)."""
    with jax.enable_x64(dtype == np.float64):
        v = jnp.asarray(x)
        if baked:
            f = functools.partial(jaxact.entmax, alpha=alpha)
            got = np.asarray(jax.jit(f)(v))
            jac = np.asarray(jax.jit(jax.vmap(jax.jacrev(f)))(v))
        else:
            value, jacobian = _bar_programs(name)
            a, padded = jnp.asarray(alpha, v.dtype), jnp.asarray(_padded(x))
            got = np.asarray(value(padded, a))[: len(x)]
            jac = np.asarray(jacobian(padded, a))[: len(x)]
    dt = np.dtype(dtype).name
    kappas = []
    for row, out, j in zip(x, got, jac, strict=True):
        p, jac_exact, kappa = _exact_with_conditioning(row.astype(np.float64), alpha)
        err = _ulps(out, p, dt)
        assert np.all(err <= 4), (row, err, kappa)
        err_j = _ulps(j.ravel(), jac_exact, dt)
        assert np.all(err_j <= 4), (row, err_j, kappa)
        kappas.append(kappa)
    return np.array(kappas)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
@pytest.mark.parametrize("case", BAR_CASES, ids=[f"{n}-{a}" for n, a in BAR_CASES])
def test_values_and_jacobian_within_the_bar(case, dtype) -> None:
    name, alpha = case
    _assert_within_the_bar(name, float(np.asarray(alpha, dtype)), _rows(dtype, n=24, seed=0), dtype)


def _threshold(z: list, gamma, target) -> mpmath.mpf:
    """τ with Σ [z_i − τ]_+^γ = target, by bisection (mpmath, at the caller's precision)."""
    lo, hi = max(z) - 1, max(z)
    for _ in range(140):
        mid = (lo + hi) / 2
        total = mpmath.fsum(max(v - mid, 0) ** gamma for v in z)
        lo, hi = (mid, hi) if total >= target else (lo, mid)
    return (lo + hi) / 2


def _ill_conditioned_rows(alpha: float, dtype) -> np.ndarray:
    """Rows whose small entries are ill-conditioned: an entry just above the threshold
    ((α − 1) x_i − τ = δ, placed exactly: τ solves the other entries' sum for 1 − δ^γ), near
    ties, a wide dynamic range, scores far from 0."""
    rng = np.random.default_rng(11)
    rows = []
    with mpmath.workdps(40):
        a = mpmath.mpf(alpha)
        for delta in (1e-2, 1e-3, 1e-4, 1e-5):
            base = list(rng.normal(size=5) * 2)
            z = [(a - 1) * mpmath.mpf(float(v)) for v in base]
            d = mpmath.mpf(delta)
            tau = _threshold(z, 1 / (a - 1), 1 - d ** (1 / (a - 1)))
            rows.append([*base, float((tau + d) / (a - 1))])
    rows += [
        [1.0, 1.0 + 1e-6, 1.0 - 2e-6, 0.3, -0.5, 0.99],
        [1000.0, 999.9, 999.5, 990.0, 0.0, -1000.0],
        [3e-3, 1e-3, -2e-3, 2.9e-3, 0.0, 5e-4],
        [30.0, 29.0, 25.0, -4.0, 29.9, 28.5],
    ]
    return np.array(rows, dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
@pytest.mark.parametrize("alpha", ALPHAS)
def test_ill_conditioned_rows_within_the_bar(alpha, dtype) -> None:
    # Before the double-word power these were off by κ_i ULP and more: κ reaches 10⁴–10⁵ here
    # for α ≤ 2 (and about 35 at α = 4, where the entry near the threshold dominates Σs).
    a = float(np.asarray(alpha, dtype))
    kappa = _assert_within_the_bar("entmax", a, _ill_conditioned_rows(a, dtype), dtype)
    assert kappa.max() > (1e4 if alpha <= 2 else 30), kappa.max()


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
def test_entry_within_epsilon_of_the_threshold_at_large_alpha(dtype) -> None:
    # For α > 2 an entry within about ε |T| of the threshold (u = 1e-8 … 1e-12 here, before
    # the rounding of x) has a large probability (u^(1/3)) and F an infinite slope there: a
    # working-precision search cannot tell on which side of it T lies, and Newton's method in
    # T overshoots. Before the threshold was anchored at the support's smallest entry (Newton
    # in q = p_r), float32 rows were off by up to 0.12 in their entries.
    alpha = 4.0
    rng = np.random.default_rng(5)
    rows = []
    with mpmath.workdps(40):
        a = mpmath.mpf(alpha)
        for delta in (1e-8, 1e-10, 1e-12):
            base = list(rng.normal(size=5) * 2)
            z = [(a - 1) * mpmath.mpf(float(v)) for v in base]
            d = mpmath.mpf(delta)
            tau = _threshold(z, 1 / (a - 1), 1 - d ** (1 / (a - 1)))
            rows.append([*base, float((tau + d) / (a - 1))])
    x = np.array(rows, dtype)
    _assert_within_the_bar("entmax", alpha, x, dtype)
    _assert_within_the_bar("entmax", alpha, x, dtype, baked=True)


def _rows_at_the_threshold(alpha: float, dtype, count: int, seed: int) -> np.ndarray:
    """Rows of 8 with an entry r exactly at the threshold, sometimes tied: the scaled
    differences d_j = (α − 1)(x_j − x_r) of the support are exact and Σ_j d_j^γ = 1 exactly, so
    that T = (α − 1) x_r and p_r = 0; the other entries below. At α = 2 the x_j are any floats
    (the last one solved for the sum, kept where it is a float): the rows that α = 2 gave about
    ε³ at r (float32 5e-17, float64 8e-35) were of this kind. At α = 3 and 5 (α − 1 a power of
    two) d_j = s_j^(α−1), the s_j = d_j^γ multiples of 1/16 summing to 1."""
    rng = np.random.default_rng(seed)
    am1 = alpha - 1
    rows = []
    while len(rows) < count:
        k = int(rng.integers(1, 5))
        if alpha == 2:
            r = dtype(rng.normal() * float(rng.choice([0.5, 3.0])) + float(rng.choice([0, -7])))
            support = [dtype(r + abs(rng.normal()) / k) for _ in range(k - 1)]
            gap = 1 - sum(Fraction(float(v)) - Fraction(float(r)) for v in support)
            support.append(dtype(float(Fraction(float(r)) + gap)))
            if Fraction(float(support[-1])) - Fraction(float(r)) != gap or gap <= 0:
                continue
        else:
            cuts = np.sort(rng.choice(np.arange(1, 16), k - 1, replace=False))
            s = np.diff(np.concatenate([[0], cuts, [16]])) / 16
            r = dtype(np.round(rng.normal() * 2**12) / 2**10)
            support = [dtype(r + v**am1 / am1) for v in s]
            gaps = (am1 * (Fraction(float(v)) - Fraction(float(r))) for v in support)
            if any(d != Fraction(float(w)) ** int(am1) for d, w in zip(gaps, s, strict=True)):
                continue
        ties = [r] * int(rng.integers(0, 2))
        below = [dtype(r - abs(rng.normal()) - 2.0**-10) for _ in range(7 - k - len(ties))]
        row = np.array([r, *ties, *support, *below], dtype)
        rng.shuffle(row)
        rows.append(row)
    return np.array(rows)


def _rows_a_little_above(dtype) -> np.ndarray:
    """α = 2: entries s_j summing to exactly 1 and one at δ = 2^-m (1.5 2^-m) above 0, so that
    the threshold is δ/(k + 1), the entry δ k/(k + 1): far below ε² of the row, and exact."""
    rows = []
    for m in (30, 60, 90):
        for s in ([0.125, 0.875], [0.25, 0.25, 0.5]):
            for delta in (2.0**-m, 1.5 * 2.0**-m):
                below = [-0.5 - 0.25 * i for i in range(7 - len(s))]
                rows.append([*s, delta, *below])
    return np.array(rows, dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
@pytest.mark.parametrize("alpha", (2.0, 3.0, 5.0))
def test_entry_exactly_at_the_threshold_gives_exactly_zero(alpha, dtype) -> None:
    # Such an entry has u_r = 0, p_r = 0, but F is known only to its rounding (about ε²):
    # Newton's steps put T anywhere within that of a_r and never settle, and the entry got a
    # p_r of that size (α = 2: about ε³, α = 3: about ε in float32). Now such a row takes one
    # step from T = a_r exactly (_kernels.entmax_threshold): p_r = 0, and J's row and column.
    x = _rows_at_the_threshold(alpha, dtype, 8, seed=int(alpha))
    if alpha == 2:
        x = np.concatenate([x, _rows_a_little_above(dtype)])  # which keep their value
    dt = np.dtype(dtype).name
    with jax.enable_x64(dtype == np.float64):
        value, jacobian = _bar_programs("entmax")
        v, a = jnp.asarray(x), jnp.asarray(alpha, dtype)
        got, jac = np.asarray(value(v, a)), np.asarray(jacobian(v, a))
    for row, out, j in zip(x, got, jac, strict=True):
        p, jac_exact, _ = _exact_anchored(row.astype(np.float64), alpha, _ulp.FLOORS[dt])
        assert np.array_equal(out > 0, np.array([q > 0 for q in p])), (row, out)
        assert np.all(_ulps(out, p, dt) <= 4), (row, out)
        assert np.all(_ulps(j.ravel(), jac_exact, dt) <= 4), (row, j)


def _exact_anchored(row, alpha, floor: float) -> tuple[list, list, float]:
    """(p, J, κ) of one row by ``_solve_anchored`` at 70 digits: κ the largest κ_i of the
    entries whose s_i = p_i^(2−α) is above ``floor`` (the accuracy floor: the entries of J
    are held to their ULP down to it, and s_i has p_i's conditioning, times (γ − 1)/γ)."""
    with mpmath.workdps(70):
        a = mpmath.mpf(float(alpha))
        p = _solve_anchored([(a - 1) * mpmath.mpf(float(v)) for v in row], 1 / (a - 1))
        s = [q ** (2 - a) if q > 0 else mpmath.mpf(0) for q in p]
        total_s = mpmath.fsum(s)
        pairs = zip(p, s, strict=True)
        kappa = max(float(1 / (q ** (a - 1) * total_s)) for q, w in pairs if w > floor)
        return p, _jacobian(s, total_s), kappa


WIDTH = 8


def _adversarial_rows(alpha: float, dtype, count: int, seed: int) -> np.ndarray:
    """Rows of 8 built against the threshold search, drawn at random: entries planted at
    T (1 + k ε) (k uniform in ±4, one to three of them, sometimes tied, the row's other
    entries solved for the rest of the mass, so that T stays there), repeated entries,
    scores around 10⁶ and 10²⁰ (and 10²⁰⁰ in float64) and scores of 10⁻³⁰ to 10⁻⁶."""
    rng = np.random.default_rng(seed)
    eps = float(np.finfo(dtype).eps)
    huge = (1e6, 1e20) if dtype == np.float32 else (1e6, 1e20, 1e200)
    rows = []
    with mpmath.workdps(70):
        a = mpmath.mpf(alpha)
        gamma = 1 / (a - 1)
        while len(rows) < count:
            kind = rng.choice(["plant", "plant", "plant", "ties", "tiny", "huge"])
            planted = int(rng.integers(1, 4)) if kind == "plant" else 0
            scale = float(rng.choice([0.1, 0.5, 1.0, 3.0, 10.0]))
            offset = float(rng.choice([0.0, 0.0, 1.0, -7.0, 300.0]))
            base = rng.normal(size=WIDTH - planted) * scale + offset
            if kind == "tiny":
                base = rng.normal(size=WIDTH) * float(rng.choice([1e-30, 1e-12, 1e-6]))
            elif kind == "huge":
                base = rng.normal(size=WIDTH) * scale + float(rng.choice(huge))
            elif kind == "ties":
                copies = int(rng.integers(1, 4))
                base[WIDTH - copies :] = base[rng.integers(0, WIDTH - copies, size=copies)]
            base = base.astype(dtype)
            if planted:
                z = [(a - 1) * mpmath.mpf(float(v)) for v in base]
                ks = rng.uniform(-4, 4, size=planted)
                if planted > 1 and rng.random() < 0.3:
                    ks[1:] = ks[0]
                tau = _threshold(z, gamma, 1)
                delta = [mpmath.mpf(float(k)) * eps * abs(tau) for k in ks]
                mass = mpmath.fsum(d**gamma for d in delta if d > 0)
                if mass >= 1:
                    continue
                tau = _threshold(z, gamma, 1 - mass)
                extra = [float((tau + d) / (a - 1)) for d in delta]
                base = np.concatenate([base, np.array(extra, dtype)])
                rng.shuffle(base)
            rows.append(base)
    return np.array(rows, dtype)


def _assert_within_kappa_eps_squared(got: np.ndarray, exact: list, kappa: float, dt: str) -> None:
    """Each p_i above the accuracy floor within κ ε² of the reference, relative."""
    ref = np.array([float(q) for q in exact])
    above = ref > _ulp.FLOORS[dt]
    rel = np.abs(got.astype(np.float64)[above] - ref[above]) / ref[above]
    assert np.all(rel <= kappa * float(np.finfo(dt).eps) ** 2), (got, ref, kappa)


def _assert_adversarial_rows_within_the_bar(alpha: float, dtype, count: int, seed: int) -> int:
    """The bar on ``count`` adversarial rows where the problem is within double words: p_i's
    condition number κ_i (its relative change per relative change of the other terms; over
    the entries whose s_i is above the accuracy floor) times the terms' error (about ε²) is
    within ε, that is κ <= 1/ε. Returns the number of rows left out (beyond double words: a
    rounding of the terms' sum moves such a p_i by κ ε² and more, which only a third word
    would avoid). For α > 2 those rows' p_i are held to κ ε² relative (measured: 0.47 κ ε²
    at most, docs/_notes/entmax.md)."""
    a = float(np.asarray(alpha, dtype))
    x = _adversarial_rows(a, dtype, count, seed)
    with jax.enable_x64(dtype == np.float64):
        v = jnp.asarray(x)
        value, jacobian = _bar_programs("entmax")
        alpha_ = jnp.asarray(a, v.dtype)
        got, jac = np.asarray(value(v, alpha_)), np.asarray(jacobian(v, alpha_))
    dt = np.dtype(dtype).name
    eps = float(np.finfo(dtype).eps)
    left_out = 0
    for row, out, j in zip(x, got, jac, strict=True):
        p, jac_exact, kappa = _exact_anchored(row.astype(np.float64), a, _ulp.FLOORS[dt])
        if kappa * eps > 1:
            left_out += 1
            if a > 2:
                _assert_within_kappa_eps_squared(out, p, kappa, dt)
            continue
        err = _ulps(out, p, dt)
        assert np.all(err <= 4), (row, err, kappa)
        err_j = _ulps(j.ravel(), jac_exact, dt)
        assert np.all(err_j <= 4), (row, err_j, kappa)
    return left_out


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
@pytest.mark.parametrize("alpha", (1.01, *ALPHAS))
def test_rows_built_against_the_threshold_search_within_the_bar(alpha, dtype) -> None:
    left_out = _assert_adversarial_rows_within_the_bar(alpha, dtype, 12, seed=int(alpha * 100))
    assert left_out <= 6, left_out


# Measured beyond the bar on these 400 rows (docs/_notes/entmax.md): none open now. (J was 4.1
# to 4.7 ULP at α = 1.01, 1.1, 1.3 in float32 and 1.3, 4 in float64 while it was applied as
# DᵀJD; now within 2.4 / 2.8 in float32 / float64. At α = 2 an entry exactly at the threshold
# was given about ε³ instead of 0: test_entry_exactly_at_the_threshold_gives_exactly_zero.)
_OPEN: set[tuple[float, str]] = set()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("alpha", "dtype"),
    [
        pytest.param(
            a,
            d,
            id=f"{a}-{np.dtype(d).name}",
            marks=[pytest.mark.xfail(strict=True, reason="open, see _OPEN")]
            * ((a, np.dtype(d).name) in _OPEN),
        )
        for a in (1.01, *ALPHAS)
        for d in DTYPES
    ],
)
def test_many_rows_built_against_the_threshold_search_within_the_bar(alpha, dtype) -> None:
    left_out = _assert_adversarial_rows_within_the_bar(alpha, dtype, 400, seed=7)
    assert left_out <= 200, left_out


# α = 4 in float64: 11 of 2000 rows built against the search (seed 8; the 400 rows of seed 7
# have none), with one to three (near-)tied entries planted within 4ε|T| of the threshold and κ
# within 1/ε (so the bar applies), were beyond it, 10 of them summing to 1 + 5e-6 up to 1.024:
# the steps cycled until the step limit. A step in q from above that shrank v below ε of itself
# (true p of 1e-16 to 1e-13 against a start near 1e-5) rounded c to −1 and put T at a_r, where
# F(a_r) < 0; the next step, anchored at the next entry up, did not count the tied entries'
# infinite slope in its q as they entered and overshot to u ≈ β|F| (p ≈ 1e-5); and back.
# Where t/β >= 1, the step in T past the anchor (F is concave in T for α > 2) overshot past
# near-tied entries that are in (the row summing to 1.024). Now a step in q does not pass an
# entry (it goes to T = a_j, then from q = 0), and a large shrink is formed as a product
# (_kernels/entmax_threshold._in_q): these rows are within 0.44 ULP in p and 1.5 in J.
_ALPHA_FOUR_FLOAT64_CYCLED = (
    (
        "0x1.2a05c170a57b3p+8",
        "0x1.2d55bf465c717p+8",
        "0x1.2d55bf465c715p+8",
        "0x1.2dab149bb1c6cp+8",
        "0x1.2c912e08e257ap+8",
        "0x1.2c45da5839f24p+8",
        "0x1.2d55bf465c712p+8",
        "0x1.2c8eda53d1393p+8",
    ),
    (
        "0x1.1d9e497304735p+8",
        "0x1.2c75979bc9f40p+8",
        "0x1.3075e6fe10c47p+8",
        "0x1.28a4dee5828dfp+8",
        "0x1.36b771edc147dp+8",
        "0x1.2c026159eb68fp+8",
        "0x1.36621c986bf28p+8",
        "0x1.2f4ed6eaebdfcp+8",
    ),
    (
        "0x1.bc20e2e10c90cp-8",
        "-0x1.3566533f0c5a0p-7",
        "0x1.f12a4803554f4p-6",
        "0x1.60d8775b4763cp-4",
        "0x1.59964e55dbd41p-7",
        "0x1.59964e55dbd49p-7",
        "0x1.59964e55dbd44p-7",
        "-0x1.bc768f25476f2p-4",
    ),
    (
        "0x1.2c1c89f7675f4p+8",
        "0x1.2c1c89f7675f4p+8",
        "0x1.2c14ec208998cp+8",
        "0x1.2c1c89f7675f4p+8",
        "0x1.2c04d577e1cf2p+8",
        "0x1.2c2aa49f1c3dap+8",
        "0x1.2c1cb562dca20p+8",
        "0x1.2c1f7b2b70e01p+8",
    ),
    (
        "0x1.ef1150f051022p-1",
        "0x1.95c635c8505cdp-1",
        "0x1.8b4ad8fcd1eb8p+0",
        "0x1.8b4b7f68dd551p+0",
        "0x1.2bf8c56163568p+0",
        "0x1.27fa33707ccdfp+0",
        "0x1.d8ef962202ae0p+0",
        "0x1.0d8642429c014p+0",
    ),
    (
        "0x1.2be4b492bacb3p+8",
        "0x1.2c0c3d5b174a3p+8",
        "0x1.2bf41c4a4fbd7p+8",
        "0x1.2bee2085b22edp+8",
        "0x1.2c1578dc7e85bp+8",
        "0x1.2c0c3d5b174a0p+8",
        "0x1.2c066b0d77877p+8",
        "0x1.2c187b5d9437cp+8",
    ),
    (
        "-0x1.60851f8d8e951p+2",
        "-0x1.800a349448f7cp+3",
        "-0x1.c87441fbce01cp+2",
        "-0x1.60851f8d8e951p+2",
        "-0x1.4b2fca38393fcp+2",
        "-0x1.60851f8d8e951p+2",
        "-0x1.38b9b084bccd6p+3",
        "-0x1.586ea7ee807bap+3",
    ),
    (
        "-0x1.2ac3999e34670p-3",
        "0x1.5e3ae64a688eap+0",
        "0x1.6c9744577ca78p+0",
        "0x1.6272bc93a1a78p-1",
        "0x1.6cc6136808280p+0",
        "0x1.a4fe1516ae646p+0",
        "0x1.2d335b4376280p-1",
        "0x1.4a26953f3ef8ap-1",
    ),
    (
        "0x1.2c02883c8c2b2p+8",
        "0x1.2c13a2aedf9aep+8",
        "0x1.2c00b3724f71fp+8",
        "0x1.2bfb3e0edbec2p+8",
        "0x1.2be9d66572711p+8",
        "0x1.2c04514c63e2cp+8",
        "0x1.2c0b629140324p+8",
        "0x1.2c04514c63e2bp+8",
    ),
    (
        "-0x1.8a531a45f59cdp+1",
        "0x1.0e09775553a21p+4",
        "-0x1.7c42490c95490p+3",
        "0x1.0e09775553a21p+4",
        "0x1.135eccaaa8f76p+4",
        "-0x1.255ed4e76aedcp+5",
        "-0x1.0999a413831fcp+3",
        "0x1.28a445e2bcf68p+2",
    ),
    (
        "0x1.89369894fdc9cp-4",
        "-0x1.3c13f912c5243p-5",
        "-0x1.264650d6643b3p-10",
        "-0x1.77e3c412ecae2p-7",
        "-0x1.77e3c412ecae4p-7",
        "-0x1.77e3c412ecadep-7",
        "-0x1.e1d958ed1e73dp-6",
        "-0x1.38fce77a20641p-4",
    ),
)


@x64
def test_alpha_four_float64_rows_with_tied_entries_at_the_threshold_within_the_bar() -> None:
    x = np.array([[float.fromhex(h) for h in row] for row in _ALPHA_FOUR_FLOAT64_CYCLED])
    value, jacobian = _bar_programs("entmax")  # the (12, 8) programs of the adversarial test
    padded, alpha = jnp.asarray(_padded(x, 12)), jnp.asarray(4.0)
    got = np.asarray(value(padded, alpha))[: len(x)]
    jac = np.asarray(jacobian(padded, alpha))[: len(x)]
    eps = float(np.finfo(np.float64).eps)
    np.testing.assert_array_less(np.abs(got.sum(axis=-1) - 1), 8 * eps)
    for row, out, j in zip(x, got, jac, strict=True):
        p, jac_exact, kappa = _exact_anchored(row, 4.0, _ulp.FLOORS["float64"])
        assert kappa * eps <= 1, kappa
        assert np.all(_ulps(out, p, "float64") <= 4), (row, out)
        assert np.all(_ulps(j.ravel(), jac_exact, "float64") <= 4), (row, j)


# A random row (normal, 8 entries) with the same cycle at α = 5 in float32, found by comparing
# 3000 such rows per α before and after: the step in q from above shrank v of the entry near
# the threshold from 6e-8 to 7e-14, below the root; T = a_r (the test at the threshold) found
# it in, the step from below in q of the largest entry overshot (F = 0.21), and back: the loop
# ended at T = a_r, p = 0 for an entry of 5.2e-4 (κ ε = 2e-4), the row summing to 1 − 5.2e-4.
_ALPHA_FIVE_FLOAT32_ROW = (
    "0x1.dd0366p-2 -0x1.ec20aep-4 -0x1.6f0f98p-3 -0x1.205e7ep-1 -0x1.2babc6p-5 -0x1.fb02a2p-3"
    " 0x1.86db44p-3 0x1.bb167ep-3"
)


def test_random_row_at_alpha_five_float32_within_the_bar() -> None:
    x = np.array([[float.fromhex(h) for h in _ALPHA_FIVE_FLOAT32_ROW.split()]], np.float32)
    value, jacobian = _bar_programs("entmax")
    padded, alpha = jnp.asarray(_padded(x, 12)), jnp.asarray(5.0, jnp.float32)
    got, jac = np.asarray(value(padded, alpha))[0], np.asarray(jacobian(padded, alpha))[0]
    p, jac_exact, kappa = _exact_anchored(x[0].astype(np.float64), 5.0, _ulp.FLOORS["float32"])
    assert kappa * float(np.finfo(np.float32).eps) <= 1, kappa
    assert np.all(_ulps(got, p, "float32") <= 4), got
    assert np.all(_ulps(jac.ravel(), jac_exact, "float32") <= 4), jac


@pytest.mark.slow
@pytest.mark.parametrize("seed", (8, 9))
@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
@pytest.mark.parametrize("alpha", (2.7, 3.0, 4.0, 5.0))
def test_rows_with_ties_at_the_threshold_at_large_alpha_within_the_bar(alpha, dtype, seed) -> None:
    # docs/_notes/entmax.md: on these 2000 rows per case, 35 were beyond the bar before a step
    # in q stopped passing entries (none at α = 2.7); now p within 0.55 ULP, J within 2.6, and
    # 0 to 9 rows per case left out as κ > 1/ε. About a minute per case.
    left_out = _assert_adversarial_rows_within_the_bar(alpha, dtype, 2000, seed)
    assert left_out <= 20, left_out


# Rows of the 400 above (seed 7) whose Jacobian was beyond the bar (4.1 to 4.7 ULP, in jacrev)
# while it was applied as DᵀJD (D = I − 1e_mᵀ, around the largest s_m): the entries of the
# column and row of m came out as J_im less the row's sum, a sum that is 0 in exact arithmetic
# but whose roundings (of s_i-sized terms) were an ULP or two of J_im. Now each entry is one
# product of s and its shares t = s/Σs, the shares from double words.
_WERE_BEYOND = {
    (1.01, "float32"): [
        "-0x1.d0ca24p+1 0x1.5fc8ecp+1 -0x1.06583ep+1 -0x1.b71e74p-3 0x1.e32560p+0 0x1.38472ep+1"
        " -0x1.02d4dap+0 -0x1.02d4dap+0"
    ],
    (1.1, "float32"): [
        "-0x1.0524d6p-6 -0x1.1271cap-2 -0x1.f7f5a0p-3 0x1.1292c0p-5 0x1.e91e9ap-7 -0x1.2187e6p-2"
        " -0x1.2187e6p-2 -0x1.1271cap-2",
        "0x1.2336d2p-1 -0x1.47684cp-2 0x1.c198f4p+0 0x1.fd5fd0p-4 -0x1.ebdde0p+2 0x1.8ec234p-3"
        " -0x1.ebddd2p+2 -0x1.e9fc80p-5",
    ],
    (1.3, "float32"): [
        "0x1.6ec4e0p-3 0x1.d7c640p-1 -0x1.c7d09ep-1 0x1.3c413ep-1 -0x1.a90e04p+0 -0x1.03ffc0p-3"
        " -0x1.d7b4cep-3 -0x1.8d3e3cp-1"
    ],
    (1.3, "float64"): [
        "-0x1.e2f9c7109efddp-1 -0x1.6b8d271f08fb3p+0 0x1.9ea7fbc8270fap-4 0x1.d01df6f944f12p-2"
        " -0x1.22e5ce55f00b9p+1 -0x1.22e5ce55f00b6p+1 -0x1.a0661e109d24cp-1 -0x1.ea4e9a9280b81p-1",
        "-0x1.b1475b1fda50ep-42 0x1.7e74b56d1c36ep-40 -0x1.bdb30d60a7196p-42"
        " -0x1.4235675d96899p-43 -0x1.55a2a13cbea7cp-41 -0x1.10d2daaf12efdp-41"
        " 0x1.3c619d33601d0p-40 -0x1.2dd685eaaf9f6p-42",
    ],
    (4.0, "float64"): [
        "0x1.f81e16176ab32p-21 -0x1.8b77759498b31p-22 -0x1.ebb30fca4f92bp-20 -0x1.2f9574fc306d9p-22"
        " -0x1.2da4bb6012cefp-20 0x1.86df20c87ffe1p-21 -0x1.9f67c8ebc868fp-21 0x1.f2aa6e0c9fd78p-20"
    ],
}


@pytest.mark.parametrize(("alpha", "dtype"), list(_WERE_BEYOND), ids=lambda v: str(v))
def test_jacobian_within_the_bar_on_rows_that_were_beyond_it(alpha, dtype) -> None:
    x = np.array([[float.fromhex(v) for v in row.split()] for row in _WERE_BEYOND[alpha, dtype]])
    x, a = x.astype(dtype), float(np.asarray(alpha, dtype))
    with jax.enable_x64(dtype == "float64"):
        # Repeated to the 12 rows of test_rows_built_against_the_threshold_search_within_the_bar:
        # the same compiled program (jacrev, the form that was beyond the bar).
        _, jacobian = _bar_programs("entmax")
        jac = np.asarray(jacobian(jnp.asarray(np.resize(x, (12, WIDTH))), jnp.asarray(a, dtype)))
    for row, j in zip(x, jac, strict=False):
        _, jac_exact, _ = _exact_anchored(row.astype(np.float64), a, _ulp.FLOORS[dtype])
        assert np.max(_ulps(j.ravel(), jac_exact, dtype)) <= 4, row


@x64
@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_jacobian_is_the_derivative_of_the_high_precision_reference(case) -> None:
    name, alpha = case
    f = _fn(name, alpha)
    for row in _rows(np.float64, n=2, d=4, seed=4):
        want = jacobian_exact(row, alpha)
        got = np.asarray(jax.jacrev(f)(jnp.asarray(row)))
        np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(np.asarray(jax.jacfwd(f)(jnp.asarray(row))), want, atol=1e-12)


@x64
def test_jacobian_is_the_papers_closed_form() -> None:
    x = jnp.array([-1.0, 0.0, 0.5, 1.0, 0.9])
    for alpha in (1.25, 1.5, 2.0, 3.0):
        p = np.asarray(jaxact.entmax(x, alpha=alpha))
        s = np.where(p > 0, p, 1) ** (2 - alpha) * (p > 0)
        want = np.diag(s) - np.outer(s, s) / s.sum()
        got = jax.jacobian(jaxact.entmax)(x, alpha=alpha)
        np.testing.assert_allclose(got, want, atol=1e-13)


@x64
@pytest.mark.parametrize(
    ("name", "order"),
    [
        ("entmax15", 2),
        ("entmax", 1),
        # The general path's second order compiles six large programs (≈ 40 s); its first
        # derivative is also held to 4 ULP by the bar tests above.
        pytest.param("entmax", 2, marks=pytest.mark.slow),
    ],
)
def test_gradients_match_finite_differences(name, order) -> None:
    x = jnp.asarray(_rows(np.float64, n=3, d=5, seed=6))
    # Away from the support's edges (a kink of f'), finite differences of order 2 hold.
    check_grads(_fn(name, 1.5), (x,), order=order, modes=("fwd", "rev"), eps=1e-6)


@x64
@pytest.mark.parametrize("alpha", [1.25, 1.5, 2.0, 3.0])
def test_derivative_in_alpha_matches_the_reference(alpha) -> None:
    # Correia et al. (2019) learn α: dp/dα in closed form, against central differences of
    # the mpmath reference.
    row = np.array([-1.0, 0.0, 0.5, 1.0, 0.9])
    got = np.asarray(jax.jacfwd(lambda a: jaxact.entmax(jnp.asarray(row), alpha=a))(alpha))
    h = mpmath.mpf("1e-20")
    with mpmath.workdps(50):
        up = entmax_exact(row, mpmath.mpf(alpha) + h)
        down = entmax_exact(row, mpmath.mpf(alpha) - h)
        want = np.array([float((u - d) / (2 * h)) for u, d in zip(up, down, strict=True)])
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-13)
    rev = jax.grad(lambda a: jaxact.entmax(jnp.asarray(row), alpha=a) @ jnp.arange(5.0))(alpha)
    np.testing.assert_allclose(float(rev), want @ np.arange(5.0), rtol=1e-9)


@x64
@pytest.mark.parametrize("name", ["entmax15", "entmax"])
def test_sums_to_one_with_exact_zeros(name) -> None:
    x = jax.random.normal(jax.random.key(0), (200, 9), jnp.float64) * 3
    p = _fn(name, 1.5)(x)
    np.testing.assert_allclose(jnp.sum(p, axis=-1), 1, rtol=1e-14)
    assert np.all(p >= 0) and np.mean(np.asarray(p) == 0) > 0.2
    np.testing.assert_array_equal(_fn(name, 1.5)(x.T, axis=0), p.T)


@x64
def test_alpha_two_is_sparsemax() -> None:
    x = jax.random.normal(jax.random.key(1), (200, 7), jnp.float64) * 3
    np.testing.assert_allclose(jaxact.entmax(x, alpha=2.0), jaxact.sparsemax(x), atol=4e-15)
    x32 = x.astype(jnp.float32)
    np.testing.assert_allclose(jaxact.entmax(x32, alpha=2.0), jaxact.sparsemax(x32), atol=4e-6)


@x64
def test_entmax15_is_entmax_at_one_and_a_half() -> None:
    x = jax.random.normal(jax.random.key(2), (200, 7), jnp.float64) * 3
    general = _fn("entmax", 1.5)  # the bisection and Newton path, not entmax15's sort
    np.testing.assert_allclose(jaxact.entmax15(x), general(x), atol=4e-15)
    g15 = jax.grad(lambda v: jnp.sum(jaxact.entmax15(v) * jnp.arange(7.0)))(x)
    g = jax.grad(lambda v: jnp.sum(general(v) * jnp.arange(7.0)))(x)
    np.testing.assert_allclose(g15, g, atol=1e-13)


def test_a_plain_one_and_a_half_is_entmax15() -> None:
    # α given as the number 1.5 (the default) has no derivative to carry: entmax15's program.
    x = jax.random.normal(jax.random.key(2), (20, 7)) * 3
    np.testing.assert_array_equal(jaxact.entmax(x), jaxact.entmax15(x))
    np.testing.assert_array_equal(jaxact.entmax(x, alpha=1.5), jaxact.entmax15(x))


@x64
def test_tends_to_softmax_as_alpha_tends_to_one() -> None:
    # (1 + (α − 1) t)^{1/(α−1)} → eᵗ: the distance to softmax falls in proportion to α − 1.
    x = jax.random.normal(jax.random.key(3), (50, 6), jnp.float64)
    soft = np.asarray(jaxact.softmax(x))
    gaps = [
        float(np.max(np.abs(np.asarray(jaxact.entmax(x, alpha=1 + d)) - soft)))
        for d in (1e-2, 1e-3, 1e-4)
    ]
    assert gaps[0] < 0.02
    for wide, narrow in zip(gaps, gaps[1:], strict=False):
        assert 7 < wide / narrow < 13, gaps


@pytest.mark.parametrize("name", ["entmax15", "entmax"])
def test_masks_infinities_and_nan(name) -> None:
    f = _fn(name, 1.5)
    x = jnp.array([-1.0, 0.0, 0.5, 1.0])
    keep = jnp.array([True, False, True, False])
    np.testing.assert_allclose(f(x, where=keep)[np.array([0, 2])], f(x[np.array([0, 2])]))
    assert np.all(np.asarray(f(x, where=keep))[np.array([1, 3])] == 0)
    np.testing.assert_array_equal(f(x, where=jnp.zeros(4, bool)), 0)
    rows = jnp.array([[0.0, jnp.inf, jnp.inf, 1.0], [-jnp.inf, 0.0, 1.0, 2.0]])
    y = np.asarray(f(rows))
    np.testing.assert_allclose(y[0], [0, 0.5, 0.5, 0], atol=1e-7)
    np.testing.assert_allclose(y[1], [0, *np.asarray(f(rows[1, 1:]))], rtol=1e-6)
    assert np.isnan(np.asarray(f(jnp.array([0.0, jnp.nan, 1.0])))).all()
    g = jax.grad(lambda v: jnp.sum(f(v, where=keep) * jnp.arange(4.0)))(x)
    assert np.all(np.isfinite(g)) and g[1] == 0 and g[3] == 0


@pytest.mark.parametrize("alpha", [1.0, 0.5, -2.0, np.nan, np.inf])
def test_alpha_must_exceed_one(alpha) -> None:
    with pytest.raises(ValueError, match=r"entmax: parameter 'alpha' must lie in \(1, inf\)"):
        jaxact.entmax(jnp.ones(3), alpha=alpha)


@pytest.mark.parametrize("name", ["entmax15", "entmax"])
def test_zero_dimensional_input_says_what_is_wrong(name) -> None:
    with pytest.raises(ValueError, match=rf"^{name}: x must have at least one dimension"):
        getattr(jaxact, name)(jnp.float32(1.0))


def test_the_pages_state_the_tested_bound() -> None:
    # The bounds that test_values_and_jacobian_within_the_bar and
    # test_ill_conditioned_rows_within_the_bar check.
    text = (NOTES / "entmax15.md").read_text()
    assert "Peters" in text and "(`tests/test_entmax.py` checks 4 ULP)" in text
    assert "(checked: 4 ULP)" in text
    text = (NOTES / "entmax.md").read_text()
    assert (
        "Peters" in text and "(checked: 4 ULP at α = 1.1, 1.25, 1.3, 1.5, 2, 2.7, 3 and 4" in text
    )


def test_alpha_figure_draws_softmax_entmax15_and_sparsemax() -> None:
    import matplotlib.pyplot as plt

    from docsgen import vector_figures

    z = jnp.asarray(vector_figures.SCORES, jnp.float32)
    outputs = vector_figures.alpha_outputs()
    np.testing.assert_array_equal(outputs[1.0], jaxact.softmax(z))
    np.testing.assert_array_equal(outputs[1.5], jaxact.entmax15(z))
    np.testing.assert_allclose(outputs[2.0], jaxact.sparsemax(z), atol=1e-6)
    zeros = [int(np.sum(outputs[a] == 0)) for a in vector_figures.ALPHAS]
    assert zeros[0] == 0 and zeros[0] < zeros[1] <= zeros[2], zeros
    made = vector_figures.figures(jaxact.get("entmax15"))
    assert [key for key, _, _ in made] == ["scores", "alphas"]
    for _, _, made_fig in made:
        plt.close(made_fig)
    fig = vector_figures.plot_alphas(jaxact.get("entmax"))
    try:
        heights = np.array([p.get_height() for p in fig.axes[0].patches])
        np.testing.assert_array_equal(heights, np.concatenate(list(outputs.values())))
    finally:
        plt.close(fig)
