"""What XLA makes of a function: shared by the tests that pin its compiled structure."""

from __future__ import annotations

import jax
import jax.numpy as jnp


def fused_kernels(fn, vjp: bool, shape: tuple[int, ...] = (64, 1024)) -> int:
    """The number of fusions (loops over the data) XLA compiles ``fn`` (or its VJP) into."""
    x = jnp.ones(shape, jnp.float32)
    if vjp:

        def run(v, g):
            y, pull = jax.vjp(fn, v)
            return y, pull(g)[0]

        text = jax.jit(run).lower(x, x).compile().as_text()
    else:
        text = jax.jit(fn).lower(x).compile().as_text()
    return text[text.index("ENTRY") :].count(" fusion(")
