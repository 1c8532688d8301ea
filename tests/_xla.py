"""What XLA makes of a function: shared by the tests that pin its compiled structure."""

from __future__ import annotations

import re

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


def compiled_ops(
    fn, ops: tuple[str, ...], result: tuple[int, ...], shape: tuple[int, ...] = (64, 1024)
) -> list[str]:
    """The instructions among ``ops`` (e.g. ``("divide", "sqrt")``) with a float32 result of
    shape ``result`` in the compiled forward pass of ``fn`` on ``shape`` values, sorted."""
    text = jax.jit(fn).lower(jnp.ones(shape, jnp.float32)).compile().as_text()
    dims = ",".join(map(str, result))
    pattern = rf"= f32\[{dims}\]\{{[0-9,]*\}} ({'|'.join(ops)})\("
    return sorted(re.findall(pattern, text))
