"""Dynamic Tanh, Snake, sine (SIREN) and StarReLU: the points where a naive formula fails.

The registry-driven tests (accuracy, properties, special values, ...) cover these functions
like every other; here are the cases particular to each: Snake's alpha -> 0 limit, the sine
of the exact product omega_0 x, the derivatives near their zeros and in their tails.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import mpmath
import numpy as np
import pytest
from _oracle import _ulp
from _stated import figures

import jaxact


@pytest.fixture(autouse=True)
def _x64():
    # mpmath's precision is set here, not at import: other test modules set mpmath.mp.dps too,
    # and near snake's zeros 1 + sin(...) needs the 50 digits (the full run failed without).
    with jax.enable_x64(True), mpmath.workdps(50):
        yield


def _ulps(got, exact, dtype) -> np.ndarray:
    """ULP error of ``got`` against the mpmath values ``exact``."""
    hi, lo = _ulp.split_reference(exact)
    return _ulp.ulp_error(np.asarray(got), hi, lo, dtype, _ulp.FLOORS[dtype])


def _derivative(fn, x, **params):
    return np.asarray(jax.vmap(jax.grad(lambda v: fn(v, **params)))(x))


# -- Snake ---------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_snake_alpha_zero_is_x_with_the_limit_gradients(dtype) -> None:
    x = jnp.asarray([-1e30, -3.0, -1e-20, 0.0, 0.5, 7.0, 1e30], dtype)
    np.testing.assert_array_equal(np.asarray(jaxact.snake(x, 0.0)), np.asarray(x))
    np.testing.assert_array_equal(_derivative(jaxact.snake, x, alpha=0.0), np.ones(7))
    # d/dalpha sin^2(alpha x)/alpha -> x^2 as alpha -> 0 (the naive quotient gives NaN).
    v = jnp.asarray([-3.0, -0.25, 0.0, 0.5, 7.0], dtype)
    d_alpha = jax.vmap(jax.grad(lambda a, v: jaxact.snake(v, a)))(jnp.zeros(5, dtype), v)
    np.testing.assert_allclose(np.asarray(d_alpha), np.asarray(v) ** 2, rtol=1e-6)


@pytest.mark.parametrize(
    ("dtype", "alpha"), [("float32", 1e-30), ("float32", 3e-8), ("float64", 1e-300)]
)
def test_snake_tiny_alpha_neither_divides_by_zero_nor_cancels(dtype, alpha) -> None:
    x = np.array([-1e4, -2.5, -1e-3, 1e-3, 1.25, 3e5], dtype)
    a = float(np.asarray(alpha, dtype))
    exact = [v + mpmath.sin(a * mpmath.mpf(float(v))) ** 2 / a for v in x]
    got = jaxact.snake(jnp.asarray(x), a)
    assert np.all(_ulps(got, exact, dtype) <= 1), (np.asarray(got), exact)


def test_snake_subnormal_alpha_is_finite() -> None:
    # XLA on CPU reads a subnormal alpha as 0 (the result is x); the truth differs from x by
    # alpha x^2, below an ULP of x here. Either way: no division by a flushed zero.
    x = jnp.asarray([-1e3, -1.0, 2.0, 1e3], jnp.float32)
    got = np.asarray(jaxact.snake(x, np.float32(1e-40)))
    np.testing.assert_array_equal(got, np.asarray(x))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_snake_derivative_keeps_its_digits_near_its_zeros(dtype) -> None:
    # f' = 1 + sin(2 alpha x) is 0 at alpha x = -pi/4 + k pi; 1 + sin(...) has no correct digit
    # there. The float nearest each zero and its two neighbours, for five alphas and k from
    # -40 to 40 and up to the page's range (|alpha x| < 2^22 in float32, 2^40 in float64):
    # within 4 ULP, the worst as the page states it (before the argument was reduced by k pi
    # from exact partial products, 1073 / 1366 ULP).
    column = 0 if dtype == "float32" else 1
    reach = figures(
        "snake", r"for\n  \$\|\\alpha x\| < 2\^\{{n}\}\$ \(float32\) and \$2\^\{{n}\}\$"
    )
    worst = figures("snake", r"\({n} ULP in float32, {n} in float64 measured\)")[column]
    (naive_worst,) = figures("snake", r"\({n} ULP and more at the floats")
    far = {"float32": (2**20,), "float64": (2**20, 2**30, -(2**34), 2**38)}[dtype]
    cases = []
    for alpha in (1.0, 0.37, 3.3, 0.05, 17.0):
        a = float(np.asarray(alpha, dtype))
        for k in (*range(-40, 41), 1000, -5000, 123456, *far):
            z = float((-mpmath.pi / 4 + k * mpmath.pi) / a)
            if abs(a * z) < 2 ** reach[column]:
                nearest = np.asarray(z, dtype)
                up_down = np.nextafter(nearest, np.asarray([-np.inf, np.inf], dtype))
                cases += [(a, v) for v in (nearest, *up_down)]
    alphas = np.array([a for a, _ in cases], dtype)
    x = np.array([v for _, v in cases], dtype)
    assert np.abs(alphas * x).max() > 2 ** (reach[column] - 1)  # the range is covered
    with mpmath.workdps(80):  # f' down to 1e-37 in float64: 1 + sin(...) needs 54 digits
        exact = [1 + mpmath.sin(2 * mpmath.mpf(float(a)) * float(v)) for a, v in cases]
    got = jax.jit(jax.vmap(jax.grad(jaxact.snake)))(jnp.asarray(x), jnp.asarray(alphas))
    err = _ulps(got, exact, dtype)
    assert np.all(err <= 4), (err.max(), x[err.argmax()], alphas[err.argmax()])
    assert err.max() == pytest.approx(worst, rel=0.1), err.max()
    naive = 1 + np.sin(2 * alphas * x)
    assert _ulps(naive, exact, dtype).max() >= naive_worst  # the check can fail


def test_snake_huge_argument_gives_x() -> None:
    x = jnp.asarray([-3e38, -1e36, 1e36, 3e38], jnp.float32)
    np.testing.assert_array_equal(np.asarray(jaxact.snake(x, 10.0)), np.asarray(x))
    np.testing.assert_array_equal(np.asarray(jaxact.snake(jnp.inf, 2.0)), np.inf)


# -- sine ----------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_sine_is_the_sine_of_the_exact_product(dtype) -> None:
    # Near the zeros k pi / omega_0, fl(omega_0 x) is off by an ULP of a number near k pi,
    # a large relative error of the sine: jnp.sin(omega_0 * x) is many ULP off, jaxact is not.
    omega = float(np.asarray(30.0 / 7.0, dtype))
    x = np.array([float(k * mpmath.pi / omega) for k in (1, 3, 17, 101, 1001)], dtype)
    exact = [mpmath.sin(mpmath.mpf(omega) * float(v)) for v in x]
    exact_d = [omega * mpmath.cos(mpmath.mpf(omega) * float(v)) for v in x]
    got = jaxact.sine(jnp.asarray(x), omega)
    assert np.all(_ulps(got, exact, dtype) <= 4), (np.asarray(got), exact)
    d = _derivative(jaxact.sine, jnp.asarray(x), omega_0=omega)
    assert np.all(_ulps(d, exact_d, dtype) <= 4), (d, exact_d)
    naive = np.sin(np.asarray(omega, dtype) * x)
    assert np.max(_ulps(naive, exact, dtype)) > 100


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_sine_beyond_two_to_the_24_is_accurate_in_absolute_terms(dtype) -> None:
    # float32: up to 1e30 (3.3e30 < max). float64: up to 2^53, beyond which the split product
    # is exact only to 2^-106 of itself (its last partial product is rounded).
    rng = np.random.default_rng(0)
    top = 30 if dtype == "float32" else 15
    x = (10.0 ** rng.uniform(7, top, 200)).astype(dtype)
    omega = float(np.asarray(3.3, dtype))
    exact = np.array([float(mpmath.sin(mpmath.mpf(omega) * float(v))) for v in x])
    got = np.asarray(jaxact.sine(jnp.asarray(x), omega), np.float64)
    assert np.max(np.abs(got - exact)) <= 4 * np.finfo(dtype).eps


def test_default_omega_is_one_and_siren_passes_thirty() -> None:
    x = jnp.linspace(-3.0, 3.0, 13)
    np.testing.assert_allclose(np.asarray(jaxact.sine(x)), np.sin(np.asarray(x)), atol=1e-7)
    np.testing.assert_allclose(
        np.asarray(jaxact.sine(x, omega_0=30.0)), np.sin(30 * np.asarray(x, np.float64)), atol=3e-6
    )


# -- DyT -------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_dyt_derivative_is_exact_in_the_tails(dtype) -> None:
    # alpha (1 - tanh^2(alpha x)) is 0 once tanh rounds to 1; alpha sech^2 is ~4 alpha e^{-2u}.
    alpha = float(np.asarray(0.3, dtype))
    far = 90.0 if dtype == "float32" else 1000.0  # sech^2 stays above the accuracy floor
    x = np.array([-far, -60.0, -31.0, 29.0, 77.0, far], dtype)
    exact = [alpha * mpmath.sech(mpmath.mpf(alpha) * float(v)) ** 2 for v in x]
    got = _derivative(jaxact.dyt, jnp.asarray(x), alpha=alpha)
    assert np.all(_ulps(got, exact, dtype) <= 4), (got, exact)
    assert np.all(got > 0)


def test_dyt_weight_and_bias_scale_and_shift_per_channel() -> None:
    x = jnp.asarray([[-1.0, 0.0, 2.0], [3.0, -4.0, 0.5]], jnp.float32)
    w, b = jnp.asarray([1.0, 2.0, -1.0]), jnp.asarray([0.0, 0.5, 1.0])
    expected = np.asarray(w) * np.tanh(0.5 * np.asarray(x, np.float64)) + np.asarray(b)
    np.testing.assert_allclose(np.asarray(jaxact.dyt(x, 0.5, w, b)), expected, rtol=2e-7)
    gw = jax.grad(lambda w: jnp.sum(jaxact.dyt(x, 0.5, w, b)))(w)
    np.testing.assert_allclose(np.asarray(gw), np.tanh(0.5 * np.asarray(x)).sum(0), rtol=1e-6)


# -- StarReLU --------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_star_relu_keeps_its_digits_at_its_zero(dtype) -> None:
    # s relu(x)^2 + b = 0 at x = sqrt(-b/s) = 1/sqrt(2) for the defaults: s x^2 and b cancel.
    s, b = (float(np.asarray(v, dtype)) for v in (2 / np.sqrt(5), -1 / np.sqrt(5)))
    root = np.asarray(float(mpmath.sqrt(-mpmath.mpf(b) / s)), dtype)
    x = np.array([root, *np.nextafter(root, [-np.inf, np.inf]), root * (1 + 1e-5)], dtype)
    exact = [mpmath.mpf(s) * mpmath.mpf(float(v)) ** 2 + b for v in x]
    assert np.all(_ulps(jaxact.star_relu(jnp.asarray(x), s, b), exact, dtype) <= 1)
    naive = np.asarray(s, dtype) * x * x + np.asarray(b, dtype)
    assert np.max(_ulps(naive, exact, dtype)) > 100


def test_star_relu_defaults_are_the_papers() -> None:
    # The paper's 0.8944 and -0.4472: 1/sqrt(Var relu(Z)^2) and -E[relu(Z)^2] times it, for a
    # standard normal Z (E = 1/2, E[relu(Z)^4] = 3/2, Var = 5/4): f(Z) has mean 0, variance 1.
    s, b = jaxact.star_relu(jnp.asarray(1.0)) - jaxact.star_relu(jnp.asarray(0.0)), None
    b = float(jaxact.star_relu(jnp.asarray(0.0)))
    assert round(float(s), 4) == 0.8944 and round(b, 4) == -0.4472
    mean = s * 0.5 + b
    second = s**2 * 1.5 + 2 * s * b * 0.5 + b**2
    assert abs(mean) < 1e-7 and abs(second - 1) < 1e-6
