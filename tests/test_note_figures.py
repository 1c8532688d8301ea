"""Every number the notes pages state, measured: each test reads the figure off the page
(``tests/_stated.py``) and computes it from jaxact (or from the float format it describes).

A stated figure is held to the digits it shows; an approximate one ("about", "≈") to the
digits it shows as well, since that is what a reader takes from it.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import mpmath
import numpy as np
import pytest
from _oracle import _ulp
from _stated import convention, figures, in_text, note, rounds_to, stated, value

import jaxact
from jaxact._pau import PAU_DENOMINATOR, PAU_NUMERATOR

CPU = jax.default_backend() == "cpu"


def _f64(fn, x, **kw) -> np.ndarray:
    with jax.enable_x64(True):
        return np.asarray(fn(jnp.asarray(x, jnp.float64), **kw), np.float64)


# -- minima and zeros of the derivative ----------------------------------------------------------

MINIMA = (
    ("silu", r"minimum \${n}\$ at \$x \\approx {n}\$"),
    ("mish", r"minimum \${n}\$ at \$x \\approx {n}\$"),
    ("serf", r"minimum \${n}\$ at \$x \\approx {n}\$"),
    ("telu", r"minimum \${n}\$ at \$x \\approx {n}\$"),
    ("hard_silu", r"minimum \${n}\$ at \$x = {n}\$"),
)


@pytest.mark.parametrize(("name", "pattern"), MINIMA, ids=[m[0] for m in MINIMA])
def test_stated_minimum_is_the_function_at_its_critical_point(name: str, pattern: str) -> None:
    # The registry's critical point is tested to be a zero of f' (test_properties).
    low, at = stated(name, pattern)
    (x,) = jaxact.get(name).critical_points
    assert rounds_to(at, x), (at, x)
    assert rounds_to(low, float(_f64(getattr(jaxact, name), x))), low


def test_pau_states_the_zeros_of_its_derivative_and_numerator() -> None:
    zeros = stated("pau", r"four zeros of the derivative, at {n}, {n}, {n} and {n}\)")
    critical = jaxact.get("pau").critical_points
    assert all(rounds_to(t, x) for t, x in zip(zeros, critical, strict=True))
    roots = np.roots(PAU_NUMERATOR[::-1])
    real = np.sort(roots[np.abs(roots.imag) < 1e-12].real)
    p_zeros = stated("pau", r"\(the initialisation has three, at about {n}, {n} and {n}\)")
    assert len(real) == 3 and all(rounds_to(t, x) for t, x in zip(p_zeros, real, strict=True))


def test_pau_states_its_coefficients_and_their_consequences() -> None:
    a, b = PAU_NUMERATOR, PAU_DENOMINATOR
    (count,) = figures("pau", r"few parameters \({n} at orders 5 and 4\)")
    assert count == len(a) + len(b) and (len(a) - 1, len(b)) == (5, 4)
    (slope,) = stated("pau", r"\\approx {n}\\,x\$ on both sides")
    assert rounds_to(slope, a[5] / abs(b[3]))
    far = 1e6
    assert _f64(jaxact.pau, far) / far == pytest.approx(a[5] / abs(b[3]), rel=1e-5)
    (a0,) = stated("pau", r"\(\$a_0 \\approx {n}\$\)")
    assert rounds_to(a0, a[0]) and rounds_to(a0, float(_f64(jaxact.pau, 0.0)))
    (b1,) = figures("pau", r"\$b_1 \\approx {n}\$")
    assert b1 == pytest.approx(b[0], rel=0.05)
    (jump,) = figures("pau", r"\(about \${n}\$ at the initialisation\)")
    # The one-sided slopes at 0 are a_1 -+ a_0 |b_1| (test_pau checks jaxact's, and its a_1 at 0).
    assert jump == pytest.approx(2 * a[0] * abs(b[0]), rel=0.15)


# -- where a float format overflows, underflows or rounds to a constant ---------------------------


def _largest_finite(fn, dtype, lo: float, hi: float) -> float:
    """The largest float of ``dtype`` in [lo, hi] where ``fn`` is finite (every float there)."""
    xs = np.linspace(lo, hi, 200_001).astype(dtype)
    xs = np.unique(xs)
    ys = np.asarray(fn(jnp.asarray(xs)))
    return float(xs[np.isfinite(ys)].max())


def test_exponential_overflows_where_its_page_says() -> None:
    top32, top16 = stated(
        "exponential", r"beyond \$x \\approx {n}\$ \(in float16 already beyond \${n}\$\)"
    )
    assert rounds_to(top32, _largest_finite(jaxact.exponential, np.float32, 88.6, 88.8))
    assert rounds_to(top16, _largest_finite(jaxact.exponential, np.float16, 10.5, 11.5))


def test_exponential_and_glu_turn_subnormal_where_their_pages_say() -> None:
    # The pages give the input below which the exact value is subnormal; on CPU XLA flushes it.
    (exp32,) = stated("exponential", r"below \${n}\$ \(float32\) the value is subnormal")
    glu32, glu64 = stated("glu", r"subnormal \(\$b < {n}\$ in float32, \$b < {n}\$ in float64\)")
    for text, dtype in ((exp32, np.float32), (glu32, np.float32), (glu64, np.float64)):
        assert rounds_to(text, float(np.log(np.finfo(dtype).tiny))), text
    below = np.float32(np.log(np.finfo(np.float32).tiny) - 0.01)
    assert float(jaxact.exponential(jnp.float32(value := float(exp32)))) > 0, value
    if CPU:
        assert float(jaxact.exponential(jnp.asarray(below))) == 0.0
        assert float(jaxact.glu(jnp.array([1.0, below], jnp.float32))[0]) == 0.0
        with jax.enable_x64(True):
            tiny64 = float(np.log(np.finfo(np.float64).tiny))
            assert float(jaxact.glu(jnp.array([1.0, tiny64 - 0.01]))[0]) == 0.0
            assert float(jaxact.glu(jnp.array([1.0, tiny64 + 0.01]))[0]) > 0.0


def test_naive_logsumexp_overflows_where_its_page_says() -> None:
    (top,) = stated("logsumexp", r"overflows for \$a > {n}\$ \(float32\)")

    def naive(a):
        return jnp.log(jnp.sum(jnp.exp(jnp.stack([a, jnp.zeros_like(a)], -1)), -1))

    assert rounds_to(top, _largest_finite(naive, np.float32, 88.6, 88.8))


def test_naive_tanh_derivative_vanishes_where_dyt_and_tanh_say() -> None:
    # 1 - tanh^2 is 0 once tanh rounds to 1: from ~9.01 correctly rounded, and from 8.0 with
    # XLA's float32 tanh on CPU (which returns 1 there while the truth is 1 - 2.3e-7).
    pattern = r"from \$\|{x}\| \\approx {n}\$ correctly\s+rounded,? and from {n} with XLA"
    texts = (
        in_text(note("dyt"), pattern.replace("{x}", r"\\alpha x")),
        in_text(convention("tanh", "correctly rounded"), pattern.replace("{x}", "x")),
    )
    xs = np.unique(np.linspace(7.0, 10.0, 30_001).astype(np.float32))
    correctly = np.tanh(xs.astype(np.float64)).astype(np.float32)
    first_rounded = float(xs[correctly == 1.0].min())
    t = np.asarray(jnp.tanh(jnp.asarray(xs)))
    first_xla = float(xs[t == 1.0].min())
    for rounded, xla in texts:
        assert rounds_to(rounded, first_rounded), (rounded, first_rounded)
        if CPU:
            assert np.all(t[xs >= first_xla] == 1.0) and rounds_to(xla, first_xla), first_xla
    # jaxact's derivatives are still the truth there (dyt at alpha = 0.5, tanh).
    x = 2.0 * (first_rounded + 1.0)
    truth = 0.5 / np.cosh(0.5 * x) ** 2
    assert float(jax.grad(jaxact.dyt)(jnp.float32(x))) == pytest.approx(truth, rel=1e-5)
    x = first_rounded + 1.0
    assert float(jax.grad(jaxact.tanh)(jnp.float32(x))) == pytest.approx(np.cosh(x) ** -2, 1e-5)


@pytest.mark.parametrize(
    ("name", "pattern"),
    [
        ("telu", r"is \$x\$ to within float32 rounding from \$x \\approx {n}\$ on"),
        ("serf", r"it is \$x\$ to within rounding from \$x \\approx {n}\$ \(float32\) on"),
    ],
    ids=["telu", "serf"],
)
def test_function_is_x_in_float32_from_where_its_page_says(name: str, pattern: str) -> None:
    (edge,) = stated(name, pattern)
    xs = np.unique(np.linspace(0.0, 12.0, 120_001).astype(np.float32))
    ys = np.asarray(getattr(jaxact, name)(jnp.asarray(xs)))
    differs = xs[ys != xs]
    assert rounds_to(edge, float(np.nextafter(differs.max(), np.float32(np.inf)))), differs.max()


def test_telu_naive_derivative_loses_a_term_of_the_stated_size() -> None:
    (size,) = figures("telu", r"where that term is still \${n}\$\)")
    (edge,) = figures("telu", r"from \$x \\approx {n}\$ in float32, where")
    with mpmath.workdps(30):
        x = mpmath.mpf(edge)
        term = float(x * mpmath.exp(x) * mpmath.sech(mpmath.exp(x)) ** 2)
    assert round(np.log10(term)) == round(np.log10(size))
    assert float(jnp.tanh(jnp.exp(jnp.float32(edge)))) == 1.0


def test_xielu_and_star_relu_cross_zero_where_their_pages_say() -> None:
    (root,) = stated("xielu", r"where \$f\$ crosses 0 \(\$x \\approx {n}\$ at the defaults\)")
    lo, hi = -3.0, -2.0  # f(lo) > 0 > f(hi): bisect
    assert _f64(jaxact.xielu, lo) > 0 > _f64(jaxact.xielu, hi)
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if _f64(jaxact.xielu, mid) > 0 else (lo, mid)
    found = lo
    assert rounds_to(root, float(found))
    assert "crosses 0 at $\\sqrt{-b/s}$ ($1/\\sqrt 2$ by default)" in note("star_relu")
    x = np.array([np.nextafter(2**-0.5, 0), np.nextafter(2**-0.5, 1)])
    below, above = _f64(jaxact.star_relu, x)
    assert below < 0 < above


# -- values the pages print --------------------------------------------------------------------


def test_gelu_page_values() -> None:
    tanh_form, exact = stated("gelu", r"At \$x = 1\$: {n} vs {n}\.")
    assert rounds_to(tanh_form, float(_f64(jaxact.gelu, 1.0)))
    assert rounds_to(exact, float(_f64(jaxact.gelu, 1.0, approximate=False)))
    (gap,) = stated("gelu", r"a third, coarser approximation, off by up to about {n}\.")
    x = np.linspace(-10.0, 10.0, 200_001)
    worst = np.abs(x / (1 + np.exp(-1.702 * x)) - _f64(jaxact.gelu, x, approximate=False)).max()
    assert rounds_to(gap, worst), worst


def test_hard_sigmoid_page_values() -> None:
    (gap,) = stated("hard_sigmoid", r"Differs from the sigmoid by up to {n} in value")
    x = np.linspace(-10.0, 10.0, 200_001)
    assert rounds_to(gap, np.abs(_f64(jaxact.hard_sigmoid, x) - _f64(jaxact.sigmoid, x)).max())
    ours, keras2 = stated("hard_sigmoid", r"At \$x = 1\$ they give {n} and {n}\.")
    assert rounds_to(ours, float(_f64(jaxact.hard_sigmoid, 1.0)))
    assert rounds_to(keras2, max(0.0, min(1.0, 0.2 * 1.0 + 0.5)))  # the page's Keras 2 formula


def test_sigmoid_page_values() -> None:
    shown = stated("sigmoid", r"are {n}, {n}, {n}, {n}, {n}, {n}, {n}, {n}, {n}, {n}, {n}\.")
    got = _f64(jaxact.sigmoid, np.arange(-5.0, 6.0))
    assert all(rounds_to(t, v) for t, v in zip(shown, got, strict=True)), (shown, got)


def test_sparsemax_page_example() -> None:
    scores = np.array(figures("sparsemax", r"For scores \$\({n}, {n}, {n}, {n}\)\$"))
    sparse = figures("sparsemax", r"it gives \$\({n}, {n}, {n}, {n}\)\$")
    soft = stated("sparsemax", r"where softmax gives \$\({n}, {n}, {n}, {n}\)\$")
    np.testing.assert_array_equal(_f64(jaxact.sparsemax, scores), sparse)
    assert all(rounds_to(t, v) for t, v in zip(soft, _f64(jaxact.softmax, scores), strict=True))


def test_tanh_softplus_squareplus_page_values() -> None:
    (slope,) = stated("tanh", r"\$\\tanh'\(3\) \\approx {n}\$")
    assert rounds_to(slope, float(jax.grad(jaxact.tanh)(3.0)))
    assert "$\\tanh(-10) = -1$ in float32" in note("tanh")
    assert float(jaxact.tanh(jnp.float32(-10.0))) == -1.0
    (log2,) = stated("softplus", r"\\log 2 \\approx {n}\$")
    assert rounds_to(log2, float(_f64(jaxact.softplus, 0.0)))
    (at0,) = figures("squareplus", r"= \\sqrt b/2 = {n}\$ for \$b = 4\$")
    assert float(jaxact.squareplus(0.0, 4.0)) == at0


def test_squareplus_and_log_sigmoid_page_values() -> None:
    # The naive formulas' failures and jaxact's values, as the pages print them.
    assert "it gives $+\\infty$ at $-10^{20}$ in float32" in note("squareplus")
    assert "returns the correct $10^{-20}$" in note("squareplus")
    x = jnp.float32(-1e20)
    assert float((x + jnp.sqrt(x * x + 4)) / 2) == np.inf
    assert float(jaxact.squareplus(x)) == pytest.approx(1e-20, rel=1e-6)
    assert "`log(sigmoid(-100.0))` is $-\\infty$ in float32" in note("log_sigmoid")
    assert "`log_sigmoid(-100.0)` is $-100$" in note("log_sigmoid")
    with np.errstate(divide="ignore"):
        assert np.log(np.asarray(jaxact.sigmoid(jnp.float32(-100.0)))) == -np.inf
    assert float(jaxact.log_sigmoid(jnp.float32(-100.0))) == -100.0


def test_logsumexp_page_values() -> None:
    (truth,) = figures("logsumexp", r"is 0 in float32, the truth \${n}\$")
    assert "`jax.nn.logsumexp([0, -20])` is 0 in float32" in note("logsumexp")
    assert float(jax.nn.logsumexp(jnp.array([0.0, -20.0], jnp.float32))) == 0.0
    got = float(jaxact.logsumexp(jnp.array([0.0, -20.0], jnp.float32)))
    assert got == pytest.approx(truth, rel=0.01) and float(mpmath.log1p(mpmath.exp(-20))) == (
        pytest.approx(truth, rel=0.01)
    )


def test_selu_page_constants_and_their_product() -> None:
    lam, alpha, product = stated(
        "selu", r"\| `{n}` \|\n\| \$\\alpha\$ \| `{n}` \|\n\| \$\\lambda\\alpha\$[^`]*`{n}` \|"
    )
    with mpmath.workdps(40):
        exact = mpmath.mpf(lam) * mpmath.mpf(alpha)
        assert mpmath.nstr(exact, 32, strip_zeros=False) == product
    assert float(lam) == pytest.approx(1.0507009873554805, rel=1e-15)
    (short,) = stated("selu", r"slopes \$\\lambda\$ and \$\\lambda\\alpha \\approx {n}\$")
    assert rounds_to(short, float(exact))
    # The page's constants are the ones jaxact computes with: f'(0) is their product.
    assert float(_f64(jax.grad(jaxact.selu), 0.0)) == pytest.approx(float(exact), rel=1e-15)


# -- figures in the registry's conventions (each function page's Conventions list) -------------


def test_exponential_conventions_state_the_float_formats_edges() -> None:
    over = in_text(
        convention("exponential", "exceeds the largest float"),
        r"beyond \$x = {n}\$ in float32 \(\${n}\$ in float64, \${n}\$ in float16\)",
    )
    under = in_text(
        convention("exponential", "smallest normal"),
        r"for \$x < {n}\$ in float32 \(\${n}\$ in float64\)",
    )
    for text, dtype in zip(over, (np.float32, np.float64, np.float16), strict=True):
        assert rounds_to(text, float(np.log(np.float64(np.finfo(dtype).max)))), text
    for text, dtype in zip(under, (np.float32, np.float64), strict=True):
        assert rounds_to(text, float(np.log(np.float64(np.finfo(dtype).tiny)))), text
    assert np.isfinite(float(jaxact.exponential(jnp.float32(value(over[0])))))


def test_celu_convention_figures() -> None:
    text = convention("celu", "rounded quotient")
    (quotient_ulps,) = in_text(text, r"makes celu′ {n} ULP off in float32")
    (truth,) = in_text(text, r"the truth \${n}\$")
    x, alpha = np.float32(-19.0), np.float32(0.3)
    with mpmath.workdps(40):
        exact = mpmath.exp(mpmath.mpf(float(x)) / mpmath.mpf(float(alpha)))
    assert float(exact) == pytest.approx(value(truth), rel=0.02)
    rounded = float(jnp.exp(jnp.float32(x) / jnp.float32(alpha)))
    ulps = abs(rounded - float(exact)) / float(np.spacing(np.float32(exact)))
    assert ulps == pytest.approx(value(quotient_ulps), rel=0.1), ulps
    assert float(jax.grad(lambda v: jax.nn.celu(v, alpha))(x)) == 0.0
    ours = float(jax.grad(lambda v: jaxact.celu(v, alpha))(x))
    assert abs(ours - float(exact)) <= 4 * float(np.spacing(np.float32(exact)))


def test_gelu_convention_xla_erfc_error() -> None:
    worst, lo, hi = in_text(
        convention("gelu", "XLA's erfc"),
        r"up to {n} ULP off in the float32 tail, \${n} \\le x \\le {n}\$\)",
    )
    xs = np.linspace(value(lo), value(hi), 2001).astype(np.float32)
    z = np.asarray(-xs / np.float32(np.sqrt(2)), np.float32)  # Phi(x) = erfc(-x / sqrt 2) / 2
    got = np.asarray(jax.scipy.special.erfc(jnp.asarray(z)), np.float64)
    with mpmath.workdps(30):
        exact = np.array([float(mpmath.erfc(mpmath.mpf(float(v)))) for v in z])
    err = np.abs(got - exact) / np.spacing(exact.astype(np.float32)).astype(np.float64)
    assert err.max() == pytest.approx(value(worst), rel=0.1), err.max()


def test_softplus_squareplus_logsumexp_conventions_against_jax_nn_and_torch() -> None:
    (gap,) = in_text(
        convention("softplus", "threshold=20"), r"is off by \${n}\$ at \$x = 20.5\$ in float64"
    )
    with mpmath.workdps(30):  # PyTorch returns x itself above its threshold
        assert float(mpmath.log1p(mpmath.exp(-20.5))) == pytest.approx(value(gap), rel=0.01)
    assert "jax.nn gives $\\infty$ at $x = -10^{20}$ in float32, truth $10^{-20}$" in (
        convention("squareplus", "hypot")
    )
    assert float(jax.nn.squareplus(jnp.float32(-1e20))) == np.inf
    assert float(jaxact.squareplus(jnp.float32(-1e20))) == pytest.approx(1e-20, rel=1e-6)
    (kept,) = in_text(
        convention("logsumexp", "kept exactly"), r"`logsumexp\(\[0, -20\]\)` is {n}e−9"
    )
    x = jnp.array([0.0, -20.0], jnp.float32)
    assert rounds_to(kept, float(jaxact.logsumexp(x)) * 1e9)
    assert float(jax.nn.logsumexp(x)) == 0.0


# -- entmax15's accuracy figures (slow: mpmath bisection and two Jacobian programs) ---------------

ENTMAX_ROWS, ENTMAX_SCALES = 24, (0.3, 1.0, 3.0, 10.0)


def _entmax15_exact(row: np.ndarray) -> tuple[list, list]:
    """(p, J) of 1.5-entmax in mpmath: tau by bisection, J = diag(s) - s s^T / sum(s), s = √p."""
    with mpmath.workdps(50):
        z = [mpmath.mpf(float(v)) / 2 for v in row]
        lo, hi = max(z) - 1, max(z)
        for _ in range(180):
            mid = (lo + hi) / 2
            total = mpmath.fsum(max(v - mid, 0) ** 2 for v in z)
            lo, hi = (mid, hi) if total >= 1 else (lo, mid)
        p = [max(v - (lo + hi) / 2, 0) ** 2 for v in z]
        s = [mpmath.sqrt(q) for q in p]
        total_s = mpmath.fsum(s)
        n = len(p)
        return p, [s[i] * (i == j) - s[i] * s[j] / total_s for i in range(n) for j in range(n)]


@pytest.mark.slow
def test_entmax15_page_states_the_worst_errors_measured_on_its_rows() -> None:
    # The rows of test_entmax's bar test (its _rows(dtype, n=24, seed=0)), named on the page.
    text = note("entmax15")
    assert "24 random rows of 6 (standard normal times 0.3, 1, 3 or 10)" in text
    values = figures("entmax15", r"the worst is {n} ULP \(float32\) and {n} ULP \(float64\)")
    jacobian = figures("entmax15", r"on the same rows is {n} ULP \(float32\) and {n} ULP")
    for i, dtype in enumerate((np.float32, np.float64)):
        rng = np.random.default_rng(0)
        x = rng.normal(size=(ENTMAX_ROWS, 6)) * rng.choice(ENTMAX_SCALES, (ENTMAX_ROWS, 1))
        x = x.astype(dtype)
        with jax.enable_x64(dtype == np.float64):
            v = jnp.asarray(x)
            got = np.asarray(jax.jit(jaxact.entmax15)(v))
            jac = np.asarray(jax.jit(jax.vmap(jax.jacrev(jaxact.entmax15)))(v))
        name = np.dtype(dtype).name
        worst_f = worst_j = 0.0
        for row, p_row, j_row in zip(x, got, jac, strict=True):
            for want, have in zip(_entmax15_exact(row), (p_row, j_row.ravel()), strict=True):
                hi, lo = _ulp.split_reference(want)
                err = float(_ulp.ulp_error(have, hi, lo, name, _ulp.FLOORS[name]).max())
                if have is p_row:
                    worst_f = max(worst_f, err)
                else:
                    worst_j = max(worst_j, err)
        assert worst_f == pytest.approx(values[i], rel=0.1), (name, worst_f)
        assert worst_j == pytest.approx(jacobian[i], rel=0.1), (name, worst_j)


def test_xielu_differs_from_the_reference_code_by_at_most_the_stated_bound() -> None:
    # The reference code evaluates alpha_n (expm1(x') - x) + beta x at x' = min(x, -1e-6).
    assert "a difference of at most $\\alpha_n 10^{-6}$ from the reference code on" in (
        note("xielu")
    )
    assert "which differs by at most $\\alpha_n 10^{-6}$ there" in convention("xielu", "min(x")
    alpha_n, beta, eps = 0.8, 0.5, -1e-6
    x = np.linspace(-1e-6, 0.0, 1001)
    reference_code = alpha_n * (np.expm1(np.minimum(x, eps)) - x) + beta * x
    ours = _f64(jaxact.xielu, x, alpha_n=alpha_n, beta=beta)
    gap = np.abs(ours - reference_code).max()
    assert alpha_n * 1e-6 / 2 < gap <= alpha_n * 1e-6, gap
