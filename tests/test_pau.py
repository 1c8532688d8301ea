"""pau (Padé Activation Units): digits kept next to the zeros of P (compensated Horner), no
overflow of x^m, the authors' initialisation, derivatives in the coefficients, the layers."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import mpmath
import numpy as np
import pytest
from _activation_cases import x64
from _stated import figures, note

import jaxact
from jaxact._pau import PAU_DENOMINATOR, PAU_NUMERATOR, _reference

DTYPES = (np.float32, np.float64)


def _ulps(got: float, want, dtype) -> float:
    return abs(got - float(want)) / float(np.spacing(np.asarray(abs(float(want)), dtype)))


def _zeros_of_p() -> list:
    """The real zeros of the default numerator, by mpmath."""
    with mpmath.workdps(40):
        roots = mpmath.polyroots(list(PAU_NUMERATOR), maxsteps=200, extraprec=200, asc=True)
        return [mpmath.re(r) for r in roots if abs(mpmath.im(r)) < 1e-30]


def _plain_horner(x: np.ndarray) -> np.ndarray:
    p = np.zeros_like(x)
    for a in reversed(PAU_NUMERATOR):
        p = p * x + x.dtype.type(a)
    q = np.zeros_like(x)
    for b in reversed(PAU_DENOMINATOR):
        q = q * np.abs(x) + x.dtype.type(b)
    return p / (q * np.abs(x) + 1)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
def test_keeps_its_digits_next_to_the_zeros_of_the_numerator(dtype) -> None:
    # The 64 floats on each side of each zero of P: within 4 ULP of the truth, except the two
    # nearest the zero on each side, where twice the working precision is not quite enough
    # (the page: up to 24 ULP in float32 and 31 in float64 measured there). Horner's rule in
    # the same precision is off by far more (the reason for the compensated sums).
    zeros = _zeros_of_p()
    assert len(zeros) == 3
    count, bar = figures(
        "pau", r"Measured at the {n} floats around each zero of \$P\$ [^:]*: within {n} ULP"
    )
    stated_near = figures("pau", r"\(up to {n} ULP in float32 and {n} ULP in float64 there\)")
    assert count == 2 * 64 + 1 and "Horner's rule alone is off by thousands of ULP" in note("pau")
    worst, near, worst_plain = 0.0, 0.0, 0.0
    for r in zeros:
        x = np.asarray(float(r), dtype)
        xs = np.array([x], dtype)
        for _ in range(64):
            xs = np.concatenate(
                [[np.nextafter(xs[0], dtype(-1))], xs, [np.nextafter(xs[-1], dtype(1))]]
            )
        with jax.enable_x64(dtype == np.float64):
            got = np.asarray(jaxact.pau(jnp.asarray(xs)), np.float64)
        plain = _plain_horner(xs).astype(np.float64)
        with mpmath.workdps(60):
            wants = [_reference(mpmath, mpmath.mpf(float(xi))) for xi in xs]
        nearest = np.argsort(np.abs(xs.astype(np.float64) - float(r)))[:4]
        for i, (gi, pi, want) in enumerate(zip(got, plain, wants, strict=True)):
            err = _ulps(gi, want, dtype)
            if i in nearest:
                near = max(near, err)
            else:
                worst = max(worst, err)
            worst_plain = max(worst_plain, _ulps(pi, want, dtype))
    assert worst <= bar, worst
    assert near == pytest.approx(stated_near[0 if dtype == np.float32 else 1], rel=0.1), near
    assert worst_plain >= 2000, worst_plain  # the page: thousands


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
def test_huge_inputs_do_not_overflow_x_to_the_fifth(dtype) -> None:
    big = float(np.finfo(dtype).max)
    xs = np.array([1e6, 1e30, big / 4, -big / 4, -1e30], dtype)
    with jax.enable_x64(dtype == np.float64):
        got = np.asarray(jaxact.pau(jnp.asarray(xs)), np.float64)
        slope = np.asarray(jax.vmap(jax.grad(jaxact.pau))(jnp.asarray(xs)), np.float64)
        ends = np.asarray(jaxact.pau(jnp.asarray([np.inf, -np.inf, np.nan], dtype)))
    with mpmath.workdps(60):
        for xi, gi in zip(xs, got, strict=True):
            assert _ulps(gi, _reference(mpmath, mpmath.mpf(float(xi))), dtype) <= 4, xi
    ratio = PAU_NUMERATOR[-1] / PAU_DENOMINATOR[-1]  # pau(x) ~ (a_5 / |b_4|) x
    np.testing.assert_allclose(slope, ratio, rtol=1e-5)
    assert ends[0] == np.inf and ends[1] == -np.inf and np.isnan(ends[2])


def test_default_coefficients_are_the_published_leaky_relu_fit() -> None:
    # The authors' code: pade_optimized_leakyrelu, rounded to float32 (exact in float64 too).
    published_a = (3.35583603e-02, 5.05000375e-01, 1.65343934, 2.01001052, 9.31901999e-01,
                   1.52424124e-01)  # fmt: skip
    published_b = (3.30847488e-06, 3.98021568, 5.12471206e-07, 3.01830109e-01)
    np.testing.assert_allclose(PAU_NUMERATOR, published_a, rtol=6e-8)
    np.testing.assert_allclose(PAU_DENOMINATOR, published_b, rtol=6e-8)
    assert all(float(np.float32(v)) == v for v in (*PAU_NUMERATOR, *PAU_DENOMINATOR))
    # Leaky ReLU (slope 0.01) on [-3, 3] to within a0 = 0.034, the largest gap, at 0.
    x = jnp.linspace(-3.0, 3.0, 6001)
    gap = jnp.abs(jaxact.pau(x) - jaxact.leaky_relu(x, 0.01))
    assert float(jnp.max(gap)) < 0.034 and abs(float(x[jnp.argmax(gap)])) < 1e-3


@x64
def test_derivatives_in_the_coefficients_match_the_reference() -> None:
    x = jnp.array([-2.5, -0.6, -0.09, 0.3, 1.7, 40.0])
    a, b = jnp.asarray(PAU_NUMERATOR), jnp.asarray(PAU_DENOMINATOR)
    ja, jb = jax.jacrev(jaxact.pau, argnums=(1, 2))(x, a, b)
    h = mpmath.mpf("1e-25")
    with mpmath.workdps(60):
        for i, xi in enumerate(np.asarray(x)):
            xm = mpmath.mpf(float(xi))
            for j in range(len(PAU_NUMERATOR)):
                up = list(PAU_NUMERATOR)
                up[j] = mpmath.mpf(up[j]) + h
                down = list(PAU_NUMERATOR)
                down[j] = mpmath.mpf(down[j]) - h
                want = (_reference(mpmath, xm, up) - _reference(mpmath, xm, down)) / (2 * h)
                assert float(ja[i, j]) == pytest.approx(float(want), rel=1e-12, abs=1e-300)
            for k in range(len(PAU_DENOMINATOR)):
                up = list(PAU_DENOMINATOR)
                up[k] = mpmath.mpf(up[k]) + h
                down = list(PAU_DENOMINATOR)
                down[k] = mpmath.mpf(down[k]) - h
                want = (
                    _reference(mpmath, xm, PAU_NUMERATOR, up)
                    - _reference(mpmath, xm, PAU_NUMERATOR, down)
                ) / (2 * h)
                assert float(jb[i, k]) == pytest.approx(float(want), rel=1e-10, abs=1e-300)


@x64
def test_other_orders_and_the_slope_at_the_kink() -> None:
    # (m, n) = (3, 2): any orders; pau'(0) = a1, the mean of the one-sided slopes a1 ∓ a0|b1|.
    a, b = jnp.array([0.5, 2.0, -1.0, 0.25]), jnp.array([-0.75, 0.5])
    x = jnp.array([-3.0, -0.4, 0.7, 5.0])
    with mpmath.workdps(40):
        want = [float(_reference(mpmath, mpmath.mpf(float(v)), a.tolist(), b.tolist())) for v in x]
    np.testing.assert_allclose(jaxact.pau(x, a, b), want, rtol=4e-16)
    assert float(jax.grad(jaxact.pau)(0.0, a, b)) == 2.0


@pytest.mark.parametrize(
    ("numerator", "denominator", "error", "match"),
    [
        ([[1.0, 2.0]], PAU_DENOMINATOR, TypeError, "'numerator' must be a 1-d sequence"),
        (PAU_NUMERATOR, [], ValueError, "'denominator' needs at least 1"),
        ([1.0, np.nan], PAU_DENOMINATOR, ValueError, "'numerator' must be finite"),
        ("abc", PAU_DENOMINATOR, TypeError, "'numerator' must be a 1-d sequence"),
    ],
)
def test_bad_coefficients_name_the_argument(numerator, denominator, error, match) -> None:
    with pytest.raises(error, match=rf"^pau: {match}"):
        jaxact.pau(jnp.ones(3), numerator, denominator)


def _train(apply, params, steps: int = 30):
    """A few gradient steps fitting |x| on [-2, 2]: the loss must fall."""
    x = jnp.linspace(-2.0, 2.0, 64)
    loss = lambda p: jnp.mean((apply(p, x) - jnp.abs(x)) ** 2)  # noqa: E731
    grad = jax.jit(jax.value_and_grad(loss))
    first, _ = grad(params)
    for _ in range(steps):
        value, g = grad(params)
        params = jax.tree.map(lambda p, d: p - 0.05 * d, params, g)
    return float(first), float(value)


def test_flax_nnx_layer_learns_its_coefficients() -> None:
    from flax import nnx

    from jaxact.flax import PAU

    layer = PAU()
    assert layer.numerator[...].shape == (6,) and layer.denominator[...].shape == (4,)
    x = jnp.linspace(-3.0, 3.0, 7)
    np.testing.assert_array_equal(layer(x), jaxact.pau(x))
    graphdef, state = nnx.split(layer)
    first, last = _train(lambda s, v: nnx.merge(graphdef, s)(v), state)
    assert last < 0.5 * first


def test_flax_linen_layer_learns_its_coefficients() -> None:
    from jaxact.flax.linen import PAU

    x = jnp.linspace(-3.0, 3.0, 7)
    variables = PAU().init(jax.random.key(0), x)
    shapes = jax.tree.map(jnp.shape, variables["params"])
    assert shapes == {"numerator": (6,), "denominator": (4,)}
    np.testing.assert_array_equal(PAU().apply(variables, x), jaxact.pau(x))
    first, last = _train(PAU().apply, variables)
    assert last < 0.5 * first


def test_equinox_layer_learns_its_coefficients() -> None:
    import equinox as eqx

    from jaxact.equinox import PAU

    layer = PAU()
    x = jnp.linspace(-3.0, 3.0, 7)
    np.testing.assert_array_equal(layer(x), jaxact.pau(x))
    params, static = eqx.partition(layer, eqx.is_inexact_array)
    first, last = _train(lambda p, v: eqx.combine(p, static)(v), params)
    assert last < 0.5 * first
