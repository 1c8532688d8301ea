"""The options the peers have, with the semantics each peer documents (issue 14, section 1).

Each test names the peer and what it documents; the registry-wide tests (accuracy against the
oracle, properties, bad input, transformations) cover the options through their ``Param`` rows.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import mpmath
import numpy as np
import pytest

import jaxact

X = jnp.array([-3.0, -2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0], jnp.float32)


def _grad(f, x):
    return np.asarray(jax.vmap(jax.grad(f))(x))


# -- MLX: nn.step(x, threshold) ---------------------------------------------------------------


def test_binary_step_threshold_is_mlx_step_as_documented():
    # MLX documents step(x) = 1 for x >= threshold, 0 below (its code gives 0 at x = threshold;
    # we follow the documented rule, which is also step(0) = 1 at the default).
    for theta in (-1.5, 0.0, 0.7, 2.0):
        got = np.asarray(jaxact.binary_step(X, threshold=theta))
        np.testing.assert_array_equal(got, (np.asarray(X) >= theta).astype(np.float32))
    assert float(jaxact.binary_step(jnp.float32(1.0), threshold=1.0)) == 1.0
    assert (
        float(
            jaxact.binary_step(
                jnp.float32(np.nextafter(np.float32(1), np.float32(0))), threshold=1.0
            )
        )
        == 0.0
    )


def test_binary_step_threshold_default_is_todays_step():
    np.testing.assert_array_equal(
        np.asarray(jaxact.binary_step(X, threshold=0.0)), np.asarray(jaxact.binary_step(X))
    )
    # An array threshold broadcasts; a traced one works under jit.
    theta = jnp.array([[0.0], [1.0]], jnp.float32)
    got = np.asarray(jaxact.binary_step(X, threshold=theta))
    assert got.shape == (2, X.size)
    np.testing.assert_array_equal(got[1], np.asarray(X) >= 1.0)
    jitted = jax.jit(lambda x, t: jaxact.binary_step(x, threshold=t))
    np.testing.assert_array_equal(np.asarray(jitted(X, 1.0)), got[1])


def test_binary_step_threshold_gradient_and_special_values():
    assert not _grad(lambda v: jaxact.binary_step(v, threshold=1.0), X).any()
    np.testing.assert_array_equal(
        _grad(lambda v: jaxact.binary_step(v, True, threshold=1.0), X), np.ones(X.size)
    )
    assert np.isnan(float(jaxact.binary_step(jnp.float32(np.nan), threshold=1.0)))
    inf = jnp.array([-np.inf, np.inf], jnp.float32)
    np.testing.assert_array_equal(np.asarray(jaxact.binary_step(inf, threshold=-1e30)), [0, 1])
    # A positive subnormal is above a threshold of -0.0 and equal to none: XLA on CPU would
    # read it as 0 in a plain comparison.
    tiny = jnp.float32(1e-42)
    assert float(jaxact.binary_step(tiny, threshold=jnp.float32(2e-42))) == 0.0
    assert float(jaxact.binary_step(tiny, threshold=jnp.float32(1e-42))) == 1.0


def test_binary_step_threshold_is_keyword_only():
    with pytest.raises(TypeError):
        jaxact.binary_step(X, False, 1.0)  # type: ignore[misc]
    with pytest.raises(ValueError, match=r"binary_step: parameter 'threshold'.*\(-inf, inf\)"):
        jaxact.binary_step(X, threshold=np.inf)


# -- PyTorch: Hardtanh(min_val, max_val) ------------------------------------------------------


@pytest.mark.parametrize("lo,hi", [(-1.0, 1.0), (-2.0, 2.0), (0.0, 6.0), (-0.5, 0.25)])
def test_hard_tanh_bounds_are_torch_hardtanh(lo, hi):
    # torch.nn.Hardtanh: max_val if x > max_val, min_val if x < min_val, else x.
    xs = np.asarray(X, np.float64)
    want = np.where(xs > hi, hi, np.where(xs < lo, lo, xs))
    np.testing.assert_array_equal(np.asarray(jaxact.hard_tanh(X, min_val=lo, max_val=hi)), want)
    # The derivative is 1 on the closed interval (jax.nn's convention at +-1; torch gives 0).
    slope = _grad(lambda v: jaxact.hard_tanh(v, min_val=lo, max_val=hi), X)
    np.testing.assert_array_equal(slope, ((xs >= lo) & (xs <= hi)).astype(np.float32))


def test_hard_tanh_defaults_keep_jax_nn_and_integers():
    np.testing.assert_array_equal(
        np.asarray(jaxact.hard_tanh(X, min_val=-1.0, max_val=1.0)), np.asarray(jax.nn.hard_tanh(X))
    )
    ints = jnp.arange(-3, 4)
    assert jaxact.hard_tanh(ints).dtype == ints.dtype
    # Other bounds compute in floating point.
    got = jaxact.hard_tanh(ints, min_val=0, max_val=2)
    assert jnp.issubdtype(got.dtype, jnp.floating)
    np.testing.assert_array_equal(np.asarray(got), [0, 0, 0, 0, 1, 2, 2])


def test_hard_tanh_bounds_must_be_ordered():
    for lo, hi in ((1.0, 1.0), (2.0, -2.0)):
        with pytest.raises(ValueError, match=r"hard_tanh: min_val must be less than max_val"):
            jaxact.hard_tanh(X, min_val=lo, max_val=hi)
    with pytest.raises(ValueError, match=r"min_val must be less than max_val"):
        jaxact.hard_tanh(X[:2], min_val=jnp.array([0.0, 3.0]), max_val=2.0)
    with pytest.raises(TypeError):
        jaxact.hard_tanh(X, -2.0, 2.0)  # type: ignore[misc]


def test_hard_tanh_bounds_special_values():
    specials = jnp.array([-np.inf, np.nan, np.inf], jnp.float32)
    got = np.asarray(jaxact.hard_tanh(specials, min_val=-3.0, max_val=0.5))
    np.testing.assert_array_equal(got[[0, 2]], [-3.0, 0.5])
    assert np.isnan(got[1])
    assert np.isnan(_grad(lambda v: jaxact.hard_tanh(v, min_val=-3.0, max_val=0.5), specials)[1])
    # A bound at 0 sees a subnormal input (XLA on CPU reads it as 0 in a comparison).
    tiny = jnp.float32(1e-42)
    assert float(jax.grad(lambda v: jaxact.hard_tanh(v, min_val=-1.0, max_val=0.0))(tiny)) == 0


# -- PyTorch: Hardshrink(lambd), any real lambd ----------------------------------------------


def test_hard_shrink_negative_lambd_is_the_identity_as_in_torch():
    # torch.nn.Hardshrink: x if x > lambd or x < -lambd, else 0; it does not check lambd, and
    # a negative one leaves every x.
    for lambd in (-0.5, -2.0):
        np.testing.assert_array_equal(np.asarray(jaxact.hard_shrink(X, lambd=lambd)), X)
        np.testing.assert_array_equal(
            _grad(lambda v, lam=lambd: jaxact.hard_shrink(v, lambd=lam), X), np.ones(X.size)
        )
    # At +-lambd the input is zeroed and the derivative is 0, as torch's backward.
    xs = np.asarray(X, np.float64)
    np.testing.assert_array_equal(
        np.asarray(jaxact.hard_shrink(X, lambd=1.0)), np.where(np.abs(xs) > 1.0, xs, 0)
    )
    np.testing.assert_array_equal(
        _grad(lambda v: jaxact.hard_shrink(v, lambd=1.0), X), (np.abs(xs) > 1.0) * 1.0
    )
    # soft_shrink keeps lambd >= 0 (torch's Softshrink asks for it).
    with pytest.raises(ValueError, match=r"soft_shrink: parameter 'lambd' must lie in \[0, inf\)"):
        jaxact.soft_shrink(X, lambd=-0.5)


# -- PyTorch: threshold(x, threshold, value) -------------------------------------------------


def test_threshold_takes_torch_names_and_positions():
    # torch.nn.functional.threshold(input, threshold, value): x if x > threshold, else value.
    xs = np.asarray(X, np.float64)
    want = np.where(xs > 0.5, xs, 20.0)
    np.testing.assert_array_equal(np.asarray(jaxact.threshold(X, 0.5, 20.0)), want)
    np.testing.assert_array_equal(np.asarray(jaxact.threshold(X, threshold=0.5, value=20.0)), want)


# -- the softmax family on a 0-d input ---------------------------------------------------------


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "softmin", "sparsemax", "glu"])
def test_zero_d_input_says_it_is_zero_d(name):
    with pytest.raises(ValueError, match=rf"^{name}: x is 0-d \(a scalar, shape \(\)\)") as err:
        jaxact.get(name).fn(jnp.float32(2.0))
    assert "allowed" not in str(err.value) and "…" not in str(err.value)


# -- softmax / log_softmax with a temperature -------------------------------------------------


def _exact_rows(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(softmax, log_softmax) of each row of ``z`` (float64 values, exact) by mpmath."""
    soft, logs = [], []
    with mpmath.workdps(40):
        for row in z:
            v = [mpmath.mpf(float(t)) for t in row]
            m = max(v)
            top = v.index(m)
            # log1p of the others: log of 1 + 1e-62 at 40 digits would lose the sum.
            rest = mpmath.log1p(mpmath.fsum(mpmath.exp(t - m) for j, t in enumerate(v) if j != top))
            logs.append([float((t - m) - rest) for t in v])
            soft.append([float(mpmath.exp((t - m) - rest)) for t in v])
    return np.array(soft), np.array(logs)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("temperature", [0.25, 0.5, 2.0, 8.0])
def test_softmax_temperature_against_mpmath(temperature, dtype):
    # A power-of-two temperature divides exactly: the result is within the T = 1 bounds of
    # the exact softmax of x / T (an entry loses up to its gap to the maximum in ULP).
    rng = np.random.default_rng(3)
    x = (rng.normal(size=(12, 5)) * rng.choice([0.3, 3.0, 20.0], (12, 1))).astype(dtype)
    z = x.astype(np.float64) / temperature
    want_s, want_l = _exact_rows(z)
    with jax.enable_x64(dtype == np.float64):
        s = np.asarray(jaxact.softmax(jnp.asarray(x), temperature=temperature), np.float64)
        ls = np.asarray(jaxact.log_softmax(jnp.asarray(x), temperature=temperature), np.float64)
    # The bounds the pages state for T = 1 (tests/test_vector_accuracy.py), on z = x / T:
    # softmax loses up to the gap to the maximum in ULP; log_softmax's largest entry up to
    # the smallest gap of the others, its other entries 1.5 ULP.
    floor = 2.0**-100 if dtype == np.float32 else 2.0**-960

    def ulp(v):
        return np.spacing(np.maximum(np.abs(v), floor).astype(dtype)).astype(np.float64)

    gap = np.abs(z - z.max(axis=1, keepdims=True))
    top = gap == 0
    assert np.all(np.abs(s - want_s) <= (gap + 2) * ulp(want_s)), (temperature, s, want_s)
    err_l = np.abs(ls - want_l) / ulp(want_l)
    for row_err, row_gap, row_top in zip(err_l, gap, top, strict=True):
        assert np.all(row_err[row_top] <= row_gap[~row_top].min() + 2), (temperature, row_err)
        assert np.all(row_err[~row_top] <= 1.5), (temperature, row_err)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_temperature_is_the_function_of_x_over_t_rounded_once(name):
    fn = jaxact.get(name).fn
    x = jnp.asarray(np.random.default_rng(4).normal(size=(6, 7)) * 5, jnp.float32)
    for t in (0.7, 3.0, 1e-3):
        quotient = x / jnp.float32(t)
        np.testing.assert_array_equal(np.asarray(fn(x, temperature=t)), np.asarray(fn(quotient)))
        fused = jax.jit(lambda v, t=t: fn(v * 0.7, temperature=t))(x)
        apart = fn(jax.device_get(x * 0.7), temperature=t)
        np.testing.assert_allclose(np.asarray(fused), np.asarray(apart), rtol=1e-5, atol=1e-30)
    # T = 1 is jax.nn's function, bit for bit the default path.
    np.testing.assert_array_equal(np.asarray(fn(x, temperature=1.0)), np.asarray(fn(x)))
    # Half precision divides in float32 and rounds once, at the end.
    h = x.astype(jnp.float16)
    want = fn(h.astype(jnp.float32) / 0.7).astype(jnp.float16)
    np.testing.assert_array_equal(np.asarray(fn(h, temperature=0.7)), np.asarray(want))
    # The temperature is differentiable: d/dT of softmax(x / T) by finite differences.
    g = jax.grad(lambda t: jnp.sum(fn(x, temperature=t)[:, 0]))(2.0)
    h_ = 1e-2
    fd = jnp.sum(fn(x, temperature=2.0 + h_)[:, 0]) - jnp.sum(fn(x, temperature=2.0 - h_)[:, 0])
    np.testing.assert_allclose(float(g), float(fd) / (2 * h_), rtol=1e-3)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_temperature_must_be_positive_and_keyword_only(name):
    fn = jaxact.get(name).fn
    x = jnp.ones((2, 3))
    for bad in (0.0, -1.0, np.inf, np.nan):
        with pytest.raises(ValueError, match=rf"{name}: parameter 'temperature'.*\(0, inf\)"):
            fn(x, temperature=bad)
    with pytest.raises(TypeError):
        fn(x, -1, None, 2.0)


# -- Keras 3: relu(x, negative_slope, max_value, threshold) ---------------------------------


def _keras_relu_steps(x: np.ndarray, negative_slope, max_value, threshold) -> np.ndarray:
    """keras.activations.relu's steps as its code takes them (ReLU.static_call), in NumPy:
    the part below the threshold, x kept above it, the clip to [0, max_value], the sum."""
    x = x.astype(np.float32)
    if negative_slope != 0 and max_value is None and threshold == 0:
        return np.where(x >= 0, x, np.float32(negative_slope) * x)  # its leaky_relu
    negative_part = np.maximum(-x + np.float32(threshold), 0) if negative_slope != 0 else 0
    if threshold != 0:
        y = x * (x > np.float32(threshold)).astype(np.float32)
    else:
        y = np.maximum(x, 0)
    if max_value is not None:
        y = np.clip(y, 0, np.float32(max_value))
    if negative_slope != 0:
        y = y - np.float32(negative_slope) * negative_part
    return y


def test_relu_options_are_keras_in_every_combination():
    x = jnp.asarray(np.concatenate([np.linspace(-8, 8, 161), [0.5, 1.0, 2.0, 6.0]]), jnp.float32)
    xs = np.asarray(x)
    for slope in (0.0, 0.1, 0.5, 1.0):
        for cap in (None, 0.0, 0.5, 2.0, 6.0):
            for theta in (0.0, 0.5, 1.0, 3.0):
                got = np.asarray(
                    jaxact.relu(x, negative_slope=slope, max_value=cap, threshold=theta)
                )
                want = _keras_relu_steps(xs, slope, cap, theta)
                np.testing.assert_allclose(
                    got, want, rtol=2e-7, atol=0, err_msg=(slope, cap, theta)
                )


def test_relu_options_keras_docstring_examples():
    # keras.activations.relu's own examples.
    x = jnp.array([-10.0, -5.0, 0.0, 5.0, 10.0])
    cases = [
        ({}, [0.0, 0.0, 0.0, 5.0, 10.0]),
        ({"negative_slope": 0.5}, [-5.0, -2.5, 0.0, 5.0, 10.0]),
        ({"max_value": 5.0}, [0.0, 0.0, 0.0, 5.0, 5.0]),
        ({"threshold": 5.0}, [-0.0, -0.0, 0.0, 0.0, 10.0]),
        ({"max_value": 10.0, "negative_slope": 0.5, "threshold": 0.0}, [-5, -2.5, 0, 5, 10]),
    ]
    for kwargs, want in cases:
        np.testing.assert_array_equal(np.asarray(jaxact.relu(x, **kwargs)), want, err_msg=kwargs)


def test_relu_option_conventions_at_the_kinks():
    f = lambda v, **kw: jax.grad(lambda u: jaxact.relu(u, **kw))(jnp.float32(v))  # noqa: E731
    assert float(f(0.0)) == 0.0  # relu'(0) = 0 at the defaults
    assert float(f(1.0, negative_slope=0.3, threshold=1.0)) == pytest.approx(0.3)  # alpha at theta
    assert float(f(6.0, max_value=6.0)) == 0.0  # 0 at the cap, as relu6'(6)
    assert float(f(5.999, max_value=6.0)) == 1.0
    assert float(f(0.0, negative_slope=0.2)) == pytest.approx(0.2)
    # max_value=6 alone is relu6, derivative included.
    x = jnp.linspace(-3, 9, 121, dtype=jnp.float32)
    np.testing.assert_array_equal(
        np.asarray(jaxact.relu(x, max_value=6.0)), np.asarray(jaxact.relu6(x))
    )
    np.testing.assert_array_equal(
        _grad(lambda v: jaxact.relu(v, max_value=6.0), x), _grad(jaxact.relu6, x)
    )


def test_relu_option_edge_values():
    specials = jnp.array([-np.inf, np.inf, np.nan, 1e-42], jnp.float32)
    got = np.asarray(jaxact.relu(specials, max_value=2.0))
    np.testing.assert_array_equal(got[[0, 1]], [0.0, 2.0])
    assert np.isnan(got[2])
    got = np.asarray(jaxact.relu(specials, negative_slope=0.1, threshold=1.0))
    assert got[0] == -np.inf and got[1] == np.inf and np.isnan(got[2])
    g = _grad(lambda v: jaxact.relu(v, negative_slope=0.1, max_value=3.0), specials)
    assert np.isnan(g[2])
    # A subnormal input is above a threshold of 0 (XLA on CPU reads it as 0 in a comparison).
    assert float(jax.grad(lambda v: jaxact.relu(v, negative_slope=0.5))(specials[3])) == 1.0
    # max_value = 0: nothing above the threshold passes.
    np.testing.assert_array_equal(np.asarray(jaxact.relu(X, max_value=0.0)), np.zeros(X.size))
    # Integers: the defaults keep the type (jax.nn), an option computes in floating point.
    ints = jnp.arange(-3, 4)
    assert jaxact.relu(ints).dtype == ints.dtype
    assert jnp.issubdtype(jaxact.relu(ints, max_value=2).dtype, jnp.floating)


def test_relu_options_must_be_non_negative_and_keyword_only():
    for name in ("negative_slope", "max_value", "threshold"):
        for bad in (-0.5, np.inf, np.nan):
            with pytest.raises(ValueError, match=rf"relu: parameter '{name}'.*\[0, inf\)"):
                jaxact.relu(X, **{name: bad})
    with pytest.raises(TypeError):
        jaxact.relu(X, 0.1)  # type: ignore[misc]


# -- PyTorch: softplus(x, beta, threshold) ---------------------------------------------------


def _torch_softplus(x: float, beta: float, threshold: float | None) -> float:
    """torch.nn.Softplus as documented: x where beta x > threshold, else log(1 + e^(beta x))/beta
    (here exact, by mpmath)."""
    with mpmath.workdps(50):
        b, v = mpmath.mpf(beta), mpmath.mpf(x)
        if threshold is not None and b * v > threshold:
            return float(v)
        return float(mpmath.log1p(mpmath.exp(b * v)) / b)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softplus_beta_is_torch_beta_within_the_ulp_bar(dtype):
    rng = np.random.default_rng(9)
    for beta in (0.1, 0.5, 0.7, 2.0, 3.3, 50.0):
        x = np.concatenate([rng.uniform(-80, 80, 200) / beta, [0.0, 1.0, -1.0]]).astype(dtype)
        with jax.enable_x64(dtype == np.float64):
            b = dtype(beta)
            got = np.asarray(jaxact.softplus(jnp.asarray(x), beta=b), np.float64)
            slope = np.asarray(jax.vmap(jax.grad(lambda v, b=b: jaxact.softplus(v, beta=b)))(x))
        want = np.array([_torch_softplus(float(v), float(b), None) for v in x])
        with mpmath.workdps(50):
            want_d = np.array(
                [float(1 / (1 + mpmath.exp(-mpmath.mpf(float(b)) * float(v)))) for v in x]
            )
        for g, w in ((got, want), (slope.astype(np.float64), want_d)):
            ulp = np.spacing(np.maximum(np.abs(w), 2.0**-100).astype(dtype)).astype(np.float64)
            assert np.all(np.abs(g - w) <= 4 * ulp), (beta, np.max(np.abs(g - w) / ulp))


def test_softplus_threshold_is_torchs_switch():
    with jax.enable_x64(True):
        x = jnp.array([-30.0, 0.0, 19.9, 20.0, 20.5, 40.0])
        got = np.asarray(jaxact.softplus(x, threshold=20.0))
        want = [_torch_softplus(v, 1.0, 20.0) for v in np.asarray(x)]
        np.testing.assert_array_equal(got, want)
        # Above the switch it is x itself (torch's value), where the exact default is not:
        assert float(got[4]) == 20.5
        assert float(jaxact.softplus(jnp.float64(20.5))) != 20.5  # 20.5 + 1.25e-9
        # beta x > threshold (the rounded product, as torch): beta = 2 switches at x > 10.
        y = np.asarray(jaxact.softplus(jnp.array([9.0, 10.0, 10.5]), beta=2.0, threshold=20.0))
        assert y[2] == 10.5 and y[1] == _torch_softplus(10.0, 2.0, 20.0)
        slope = _grad(lambda v: jaxact.softplus(v, beta=2.0, threshold=20.0), x)
        assert slope[-1] == 1.0 and slope[-2] == 1.0 and 0.5 == slope[1]


def test_softplus_options_defaults_and_edges():
    # The defaults (and beta=1, threshold=None spelt out) are jax.nn's softplus.
    np.testing.assert_array_equal(
        np.asarray(jaxact.softplus(X, beta=1.0, threshold=None)), np.asarray(jaxact.softplus(X))
    )
    specials = jnp.array([-np.inf, np.inf, np.nan], jnp.float32)
    got = np.asarray(jaxact.softplus(specials, beta=3.0))
    assert got[0] == 0.0 and got[1] == np.inf and np.isnan(got[2])
    g = _grad(lambda v: jaxact.softplus(v, beta=3.0), specials)
    assert g[0] == 0.0 and g[1] == 1.0 and np.isnan(g[2])
    # A large beta is a ReLU with a soft corner of width 1/beta, no overflow of beta x.
    big = np.asarray(jaxact.softplus(X, beta=1e30))
    np.testing.assert_array_equal(big[X != 0], np.maximum(np.asarray(X), 0)[X != 0])
    # A small beta: e^(beta x) / beta far below the smallest normal e^(beta x) (float32).
    tiny = float(jaxact.softplus(jnp.float32(-88730.0), beta=jnp.float32(1e-3)))
    assert tiny == pytest.approx(_torch_softplus(-88730.0, float(np.float32(1e-3)), None), 1e-6)
    for bad in (0.0, -1.0, np.inf, np.nan):
        with pytest.raises(ValueError, match=r"softplus: parameter 'beta'.*\(0, inf\)"):
            jaxact.softplus(X, beta=bad)
    with pytest.raises(ValueError, match=r"softplus: parameter 'threshold'.*\(-inf, inf\)"):
        jaxact.softplus(X, threshold=np.nan)
    with pytest.raises(TypeError):
        jaxact.softplus(X, 2.0)  # type: ignore[misc]


# -- Keras 3: exponential ------------------------------------------------------------------


def test_exponential_is_exp_and_overflows_where_the_truth_does():
    with jax.enable_x64(True):
        x = jnp.array([-700.0, -1.0, 0.0, 1.0, 709.0, 710.0])
        got = np.asarray(jaxact.exponential(x))
        np.testing.assert_allclose(got[:5], np.exp(np.asarray(x)[:5]), rtol=4e-16)
        assert got[5] == np.inf
    f32 = np.asarray(jaxact.exponential(jnp.array([88.72, 88.73], jnp.float32)))
    assert np.isfinite(f32[0]) and f32[1] == np.inf  # e^88.7228 is the largest float32
    assert float(jaxact.exponential(jnp.float16(11.08))) < np.inf
    assert float(jaxact.exponential(jnp.float16(11.1))) == np.inf
    x = jnp.array([-3.0, 0.5, 2.0])
    np.testing.assert_array_equal(_grad(jaxact.exponential, x), np.asarray(jaxact.exponential(x)))
    specials = np.asarray(jaxact.exponential(jnp.array([-np.inf, np.inf, np.nan])))
    assert specials[0] == 0.0 and specials[1] == np.inf and np.isnan(specials[2])
