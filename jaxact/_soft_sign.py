"""Softsign, x / (1 + |x|): a sigmoid with polynomial tails, its derivatives from the input."""

from __future__ import annotations

import jax
import jax.numpy as jnp
from jax.typing import ArrayLike

from ._numerics import as_inexact, in_float32
from ._registry import Equivalents, Interval, Reference, activation


@jax.custom_jvp
def _soft_sign(x: jax.Array) -> jax.Array:
    # x / (1 + |x|) is inf / inf at +-inf; the limit there is sign(x).
    return jnp.where(jnp.isinf(x), jnp.sign(x), x / (1 + jnp.abs(x)))


@_soft_sign.defjvp
def _soft_sign_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x,), (t,) = primals, tangents
    # 1 / (1 + |x|)^2 from the input; autodiff of the quotient subtracts (1 + |x|) - |x|,
    # which is 2.3 % off at 1e6 in float32. The square overflows only where the true value is
    # below the smallest normal anyway.
    return _soft_sign(x), t * _soft_sign_prime(x)


@jax.custom_jvp
def _soft_sign_prime(x: jax.Array) -> jax.Array:
    a = 1 + jnp.abs(x)
    return 1 / (a * a)


@_soft_sign_prime.defjvp
def _soft_sign_prime_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x,), (t,) = primals, tangents
    # -2 sign(x) / (1 + |x|)^3 as a product of reciprocals: underflows to 0 instead of
    # inf / inf at large |x|. sign(0) = 0 splits the jump from 2 to -2 at the kink.
    r = 1 / (1 + jnp.abs(x))
    return _soft_sign_prime(x), t * (-2 * jnp.sign(x) * (r * r * r))


@activation(
    name="soft_sign",
    display_name="Softsign",
    family="sigmoidal",
    summary=r"$x/(1 + |x|)$: a sigmoid with polynomial rather than exponential tails.",
    formula=r"f(x) = \frac{x}{1 + |x|}",
    derivative=r"f'(x) = \frac{1}{(1 + |x|)^2}",
    output_range=Interval(-1.0, 1.0),
    monotonic=True,
    monotonic_ulps=2,
    smoothness="C1",
    zero_at_zero=True,
    zero_centred=True,
    left_saturating=True,
    right_saturating=True,
    year=2009,
    references=(
        Reference(
            "J. Turian, J. Bergstra, Y. Bengio",
            "Quadratic Features and Deep Architectures for Chunking",
            2009,
            "NAACL-HLT (short papers)",
            "https://aclanthology.org/N09-2062/",
        ),
    ),
    equivalents=Equivalents("jax.nn.soft_sign", "torch.nn.Softsign", "keras.activations.softsign"),
    conventions=(
        "soft_sign(±inf) = ±1, the limit (jax.nn, PyTorch and Keras give NaN).",
        r"The second derivative $-2\operatorname{sign}(x)/(1 + |x|)^3$ jumps at 0, where it is "
        "taken as 0.",
    ),
    reference=lambda mp, x: x / (1 + abs(x)),
    reference_derivative=lambda mp, x: 1 / (1 + abs(x)) ** 2,
    plot_range=(-10.0, 10.0),  # its tails approach ±1 only polynomially
)
def soft_sign(x: ArrayLike) -> jax.Array:
    r"""Softsign.

    $$f(x) = \frac{x}{1 + |x|}, \qquad f'(x) = \frac{1}{(1 + |x|)^2}$$

    Args:
        x: input array.

    Returns:
        An array of the (floating) dtype of ``x``, with values in $[-1, 1]$ ($\pm 1$ at
        $\pm\infty$, and by rounding where $|x|$ is large: ``soft_sign(1e8)`` is 1.0 in float32).

    Examples:
        >>> jaxact.soft_sign(jnp.array([-3.0, 0.0, 1.0, jnp.inf]))
        Array([-0.75,  0.  ,  0.5 ,  1.  ], dtype=float32)
    """
    return _soft_sign_impl(as_inexact(x, "soft_sign"))


@jax.jit
@in_float32
def _soft_sign_impl(x: jax.Array) -> jax.Array:
    return _soft_sign(x)
