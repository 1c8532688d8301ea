"""The options the peers have, with the semantics each peer documents (issue 14, section 1).

Each test names the peer and what it documents; the registry-wide tests (accuracy against the
oracle, properties, bad input, transformations) cover the options through their ``Param`` rows.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
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
