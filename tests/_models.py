"""Shared pieces of the Flax and Equinox layer tests: data, loss and a jitted training loop.

The training loop is written once over a pytree of parameters, so both libraries' tests train
their models the same way: the whole run is one `jax.lax.scan` inside one `jax.jit`, which
keeps a few hundred steps well under a second once compiled.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import optax

STEPS = 300
LEARNING_RATE = 1e-2
HIDDEN = 16
GLU_VARIANTS = ("swiglu", "geglu", "reglu", "glu")


def two_spirals(n: int = 256, seed: int = 0, noise: float = 0.05) -> tuple[jax.Array, jax.Array]:
    """Two interleaved spirals in the plane, ``n`` points in all, labels 0 and 1."""
    rng = np.random.default_rng(seed)
    half = n // 2
    t = np.sqrt(rng.uniform(0.0, 1.0, half)) * 3.0 * np.pi
    arm = np.stack([t * np.cos(t), t * np.sin(t)], axis=1) / (3.0 * np.pi)
    x = np.concatenate([arm, -arm]) + noise * rng.standard_normal((2 * half, 2))
    y = np.concatenate([np.zeros(half), np.ones(half)])
    return jnp.asarray(x, jnp.float32), jnp.asarray(y, jnp.float32)


def bce(logits: jax.Array, labels: jax.Array) -> jax.Array:
    """Mean binary cross-entropy of one logit per example."""
    return optax.sigmoid_binary_cross_entropy(logits.reshape(labels.shape), labels).mean()


def train(
    loss: Callable[[Any], jax.Array],
    params: Any,
    watched: Callable[[Any], tuple[jax.Array, ...]],
    steps: int = STEPS,
) -> tuple[Any, np.ndarray, np.ndarray]:
    """Adam on ``loss(params)`` for ``steps`` steps.

    Returns the final parameters, the loss before each step, and the gradient norms of the
    arrays ``watched(params)`` picks out, shape ``(steps, len(watched(params)))`` (to show that
    each learnable parameter is trained).
    """
    optimizer = optax.adam(LEARNING_RATE)

    @jax.jit
    def run(params: Any) -> tuple[Any, jax.Array, jax.Array]:
        def step(carry: Any, _: None) -> tuple[Any, tuple[jax.Array, jax.Array]]:
            params, state = carry
            value, grads = jax.value_and_grad(loss)(params)
            updates, state = optimizer.update(grads, state, params)
            return (optax.apply_updates(params, updates), state), (
                value,
                jnp.stack([jnp.linalg.norm(g) for g in watched(grads)]),
            )

        (params, _), (losses, norms) = jax.lax.scan(
            step, (params, optimizer.init(params)), None, length=steps
        )
        return params, losses, norms

    params, losses, norms = run(params)
    return params, np.asarray(losses), np.asarray(norms)


def assert_trained(
    losses: np.ndarray,
    norms: np.ndarray,
    before: tuple[jax.Array, ...],
    after: tuple[jax.Array, ...],
) -> None:
    """The loss fell clearly; each watched parameter had a gradient at the start and moved."""
    assert np.all(np.isfinite(losses))
    assert losses[-10:].mean() < 0.6 * losses[0], (losses[0], losses[-10:].mean())
    assert np.all(norms[0] > 0.0), norms[0]
    for b, a in zip(before, after, strict=True):
        moved = np.max(np.abs(np.asarray(a, np.float64) - np.asarray(b, np.float64)))
        assert moved > 1e-3, moved


def perturbed(params: Any, seed: int) -> Any:
    """``params`` plus unit Gaussian noise, drawn with numpy (no XLA compilations)."""
    rng = np.random.default_rng(seed)
    return jax.tree.map(
        lambda p: jnp.asarray(np.asarray(p) + rng.standard_normal(np.shape(p)), p.dtype), params
    )
