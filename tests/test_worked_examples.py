"""Worked examples from the seed articles, checked against mpmath."""

from __future__ import annotations

import jax.numpy as jnp
import mpmath
import numpy as np

import jaxact

XS = list(range(-5, 6))


def test_sigmoid_worked_example_matches_mpmath():
    got = np.round(np.asarray(jaxact.sigmoid(jnp.array(XS, jnp.float32)), np.float64), 3)
    want = [round(float(1 / (1 + mpmath.exp(-x))), 3) for x in XS]
    assert got.tolist() == want
    assert want[:4] == [0.007, 0.018, 0.047, 0.119] and want[5] == 0.5


def test_softmax_worked_example_tail():
    got = np.round(np.asarray(jaxact.softmax(jnp.array(XS, jnp.float32)), np.float64), 3)
    assert got[-3:].tolist() == [0.086, 0.233, 0.632]


def test_binary_step_worked_example():
    got = np.asarray(jaxact.binary_step(jnp.arange(-3.0, 4.0)))
    assert got.tolist() == [0, 0, 0, 1, 1, 1, 1]
