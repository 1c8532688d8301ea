"""One float beside a kink: f' there is the slope of that side, not the kink's convention.

A formula that decides the branch after a rounding (relu6 of the rounded ``x + 3``, a clip of
the rounded ``x + 1``) applies the kink's convention to the floats next to it:
``sparse_sigmoid'(1 + 2^-23)`` was 1/4 (truth 0), ``hard_sigmoid'(3 - 2^-22)`` was 0 (truth
1/6). For every elementwise case of the registry, the kinks are found from the oracle (the
one-sided derivatives differ) among the half-integers in [-10, 10] and the parameter values,
and f and f' are checked at the two nearest floats on each side, float32 and float64.
"""

from __future__ import annotations

import functools

import _oracle
import jax
import jax.numpy as jnp
import mpmath
import numpy as np
import pytest
from _activation_cases import ELEMENTWISE

import jaxact
from jaxact import Interval

CASES = [c for c in _oracle.cases(ELEMENTWISE) if c.spec.reference_derivative is not None]


@pytest.fixture(autouse=True)
def _x64():
    with jax.enable_x64(True):
        yield


@functools.cache
def kinks(case: _oracle.Case) -> tuple[float, ...]:
    """Candidates where the oracle's one-sided derivatives disagree."""
    numbers = [v for _, v in case.params if isinstance(v, (int, float)) and not isinstance(v, bool)]
    candidates = {k / 2 for k in range(-20, 21)} | {s * v for v in numbers for s in (1, -1)}
    out = []
    with mpmath.workdps(_oracle.DPS):
        eps = mpmath.mpf(2) ** -120
        for c in sorted(candidates):
            left = _oracle.reference(case, "df", mpmath.mpf(c) - eps)
            right = _oracle.reference(case, "df", mpmath.mpf(c) + eps)
            if abs(left - right) > mpmath.mpf(2) ** -40:
                out.append(float(c))
    return tuple(out)


def assert_within_bar(case, x, dtype, f, d1) -> None:
    """f and f' at ``x`` within 4 ULP of the oracle, by the harness's rule (floor included)."""
    for which, got in (("f", f), ("df", d1)):
        if which == "f" and case.spec.reference is None:
            continue
        bad = _oracle.beyond_bar(case, which, x, got, dtype)
        assert not bad, f"{case} {dtype} {which}: x -> (got, exact) {bad}"


def beside(points: tuple[float, ...], dtype: str) -> np.ndarray:
    """The two nearest floats of ``dtype`` on each side of each point."""
    out = []
    for p in np.asarray(points, dtype):
        for direction in (-np.inf, np.inf):
            q = p
            for _ in range(2):
                q = np.nextafter(q, np.asarray(direction, dtype))
                out.append(q)
    return np.asarray(out, dtype)


def test_the_search_finds_the_kinks_it_should() -> None:
    by_label = {c.label: c for c in CASES}
    assert kinks(by_label["relu6"]) == (0.0, 6.0)
    assert kinks(by_label["sparse_sigmoid"]) == (-1.0, 1.0)
    assert kinks(by_label["hard_sigmoid"]) == (-3.0, 3.0)
    assert kinks(by_label["soft_shrink[lambd=2.0]"]) == (-2.0, 2.0)
    assert kinks(by_label["silu"]) == ()


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", [c for c in CASES if kinks(c)], ids=str)
def test_value_and_slope_one_float_beside_each_kink(case, dtype) -> None:
    x = beside(kinks(case), dtype)
    f, d1, _ = _oracle.evaluate(case, x, dtype)
    assert_within_bar(case, x, dtype, f, d1)


def _edge_cases() -> list[_oracle.Case]:
    """Each parameter also at 0 where 0 is valid: a kink then moves to 0 (soft_shrink with
    lambd = 0 is the identity, threshold with threshold = 0 a step, squareplus with b = 0 relu)."""
    out = []
    for case in CASES:
        if not case.is_default:
            continue
        for p in case.spec.params:
            if isinstance(p.valid, Interval) and 0.0 in p.valid and p.default != 0:
                # (A parameter off by default, relu's max_value = None, is not in params.)
                params = tuple({**dict(case.params), p.name: 0.0}.items())
                out.append(_oracle.Case(case.spec, params, changed=p.name))
    return out


SUBNORMAL_CASES = CASES + _edge_cases()


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", SUBNORMAL_CASES, ids=str)
def test_subnormal_inputs_take_their_own_sign_branch(case, dtype) -> None:
    # XLA on CPU reads subnormal operands as 0 in comparisons: selu'(+tiny) was lambda alpha,
    # the slope at 0, instead of lambda. Inside jit, the smallest and largest subnormals of
    # each sign; a value may be flushed to 0 (it is below the accuracy floor), a slope not.
    tiny = np.finfo(dtype).smallest_subnormal
    big = np.nextafter(np.finfo(dtype).tiny, np.asarray(0, dtype))
    x = np.asarray([tiny, -tiny, big, -big], dtype)
    f, d1, _ = _oracle.evaluate(case, x, dtype)
    assert_within_bar(case, x, dtype, f, d1)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_maxout_maximum_is_not_tied_with_a_subnormal_neighbour(dtype) -> None:
    # y == max(y) read [2^-149, 0] as a tie and split the gradient; the keys of the bit
    # patterns do not. Real ties (0 and -0 included) still share it.
    tiny = np.finfo(dtype).smallest_subnormal
    x = jnp.asarray([[tiny, 0], [-tiny, 0], [tiny, -tiny], [0.0, -0.0], [2, 2]], dtype)
    grad = jax.jit(jax.grad(lambda v: jnp.sum(jaxact.maxout(v, 2))))(x)
    np.testing.assert_array_equal(np.asarray(grad), [[1, 0], [0, 1], [1, 0], [0.5, 0.5], [0.5] * 2])


@pytest.mark.skipif(jax.default_backend() != "cpu", reason="states what CPU gives")
def test_the_accuracy_page_says_what_subnormal_inputs_give() -> None:
    from docsgen.benchmark_pages import subnormal_section

    text = "\n".join(subnormal_section())
    assert "## Subnormal inputs" in text and "on GPU" in text
    tiny = jnp.float32(2.0**-149)
    relu_slope = jax.grad(jaxact.relu)(tiny)
    selu_slope = jax.grad(jaxact.selu)(tiny)
    assert "relu$'(2^{-149}) = 1$" in text and relu_slope == 1
    assert "selu$'(2^{-149}) =" in text and selu_slope == np.float32(1.0507009873554805)
    assert "binary_step$(-2^{-149}) = 0$" in text and jaxact.binary_step(-tiny) == 0
    assert "relu$(2^{-149}) = 0$" in text and jax.jit(jaxact.relu)(tiny) == 0
    assert "leaky_relu$(2^{-149}) = 2^{-149}$" in text and jaxact.leaky_relu(tiny) == tiny
    slope = jax.grad(lambda v: jaxact.leaky_relu(v, negative_slope=0.2))(-tiny)
    assert slope == np.float32(0.2)
