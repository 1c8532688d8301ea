"""The GLU family: glu, swiglu, geglu and reglu, a value half gated by a function of the
other half.

They act on a whole axis, so the elementwise properties of the registry (monotonic, …) are
``None``; each spec gives a ``plot_slice`` (``[1, x]``: the curve is the gate itself). The
gates are the shared kernels of the elementwise functions (``_kernels``).
"""

from __future__ import annotations

import functools
from typing import Any

import jax
import jax.numpy as jnp
from jax.typing import ArrayLike

from ._kernels.gelu import _gelu_exact, _gelu_tanh
from ._kernels.logistic import _sigmoid
from ._kernels.logistic_gate import _silu1
from ._kernels.relu import _relu
from ._numerics import as_inexact, check_axis, check_choice, in_float32
from ._registry import REALS, Equivalents, Param, Reference, activation


def _halves(fn: str, x: Any, axis: int) -> tuple[jax.Array, jax.Array]:
    x = as_inexact(x, fn)
    axis = check_axis(fn, x, axis)
    if x.shape[axis] % 2:
        raise ValueError(
            f"{fn}: the length of axis {axis} ({x.shape[axis]}) must be even: it is split into "
            f"a value half and a gate half (input shape {x.shape})"
        )
    a, b = jnp.split(x, 2, axis=axis)
    return a, b


_SHAZEER = Reference(
    "N. Shazeer",
    "GLU Variants Improve Transformer",
    2020,
    "arXiv:2002.05202",
    "https://arxiv.org/abs/2002.05202",
)
_DAUPHIN = Reference(
    "Y. N. Dauphin, A. Fan, M. Auli, D. Grangier",
    "Language Modeling with Gated Convolutional Networks",
    2017,
    "ICML 2017; arXiv:1612.08083",
    "https://arxiv.org/abs/1612.08083",
)
_HALVES = (
    "$x$ is split in half along `axis` into $[a, b]$; the first half $a$ is the value, $b$ the "
    "gate."
)


def _glu_spec(
    name: str,
    display: str,
    gate: str,
    summary: str,
    year: int,
    refs: tuple,
    equivalents: Equivalents,
    extra: tuple[str, ...] = (),
) -> dict[str, Any]:
    return dict(
        name=name,
        display_name=display,
        family="vector",
        summary=summary,
        formula=rf"f([a, b]) = a \odot {gate}(b)",
        derivative=(
            rf"\partial f/\partial a = {gate}(b), \quad \partial f/\partial b = a\,{gate}'(b)"
        ),
        output_range=REALS,
        elementwise=False,
        year=year,
        introduced_in=refs,
        equivalents=equivalents,
        conventions=(_HALVES, *extra),
        example_input=(1.0, 2.0, -1.0, 1.0),
        # [1, x]: the curve is the gate function itself.
        plot_slice=lambda x: jnp.stack([jnp.ones_like(x), x], axis=-1),
        figure_kind="gate",
    )


@activation(
    **_glu_spec(
        "glu",
        "GLU",
        r"\sigma",
        "Gated linear unit: one half of the input gated by the sigmoid of the other.",
        2017,
        (_DAUPHIN,),
        Equivalents("jax.nn.glu", "torch.nn.GLU", "keras.activations.glu"),
    ),
    smoothness="Cinf",
)
def glu(x: ArrayLike, axis: int = -1) -> jax.Array:
    r"""Gated linear unit: $a \odot \sigma(b)$ for the halves $[a, b]$ of ``x`` along ``axis``.

    Args:
        x: input array; its ``axis`` length must be even.
        axis: the axis that is split.

    Returns:
        An array with ``axis`` halved.

    Examples:
        >>> jaxact.glu(jnp.array([1.0, 2.0, 0.0, 100.0]))
        Array([0.5, 2. ], dtype=float32)
    """
    a, b = _halves("glu", x, axis)
    return _gate_product(a, b, "sigmoid")


@activation(
    **_glu_spec(
        "swiglu",
        "SwiGLU",
        r"\operatorname{silu}",
        "GLU with a SiLU gate: the feed-forward activation of PaLM and LLaMA.",
        2020,
        (_SHAZEER,),
        Equivalents(None, None, None),
    ),
    smoothness="Cinf",
)
def swiglu(x: ArrayLike, axis: int = -1) -> jax.Array:
    r"""SwiGLU: $a \odot \operatorname{silu}(b)$ for the halves $[a, b]$ (Shazeer, 2020).

    Args:
        x: input array; its ``axis`` length must be even.
        axis: the axis that is split.

    Returns:
        An array with ``axis`` halved.

    Examples:
        >>> jaxact.swiglu(jnp.array([2.0, 1.0]))
        Array([1.4621172], dtype=float32)
    """
    a, b = _halves("swiglu", x, axis)
    return _gate_product(a, b, "silu")


@activation(
    **_glu_spec(
        "geglu",
        "GEGLU",
        r"\operatorname{gelu}",
        "GLU with a GELU gate (tanh approximation by default).",
        2020,
        (_SHAZEER,),
        Equivalents(None, None, None),
        (
            "gelu is the tanh approximation by default (as jax.nn.gelu and the T5/Shazeer code); "
            "`approximate=False` gives the exact erfc form.",
        ),
    ),
    smoothness="Cinf",
    params=(
        Param(
            "approximate",
            True,
            "tanh-approximate GELU gate (False: exact)",
            (True, False),
            plot_values=(False, True),
        ),
    ),
)
def geglu(x: ArrayLike, axis: int = -1, approximate: bool = True) -> jax.Array:
    r"""GEGLU: $a \odot \operatorname{gelu}(b)$ for the halves $[a, b]$ (Shazeer, 2020).

    Args:
        x: input array; its ``axis`` length must be even.
        axis: the axis that is split.
        approximate: tanh-approximate GELU (default, as ``jax.nn.gelu``) or exact.

    Returns:
        An array with ``axis`` halved.

    Examples:
        >>> jaxact.geglu(jnp.array([2.0, 1.0]))
        Array([1.682384], dtype=float32)
    """
    check_choice("geglu", "approximate", approximate, (True, False))
    a, b = _halves("geglu", x, axis)
    return _gate_product(a, b, "gelu_tanh" if approximate else "gelu")


@activation(
    **_glu_spec(
        "reglu",
        "ReGLU",
        r"\operatorname{relu}",
        "GLU with a ReLU gate.",
        2020,
        (_SHAZEER,),
        Equivalents(None, None, None),
        ("relu'(0) = 0, as jax.nn.relu.",),
    ),
    smoothness="C0",
)
def reglu(x: ArrayLike, axis: int = -1) -> jax.Array:
    r"""ReGLU: $a \odot \operatorname{relu}(b)$ for the halves $[a, b]$ (Shazeer, 2020).

    Args:
        x: input array; its ``axis`` length must be even.
        axis: the axis that is split.

    Returns:
        An array with ``axis`` halved.

    Examples:
        >>> jaxact.reglu(jnp.array([2.0, 3.0, -1.0, 0.5]))
        Array([0. , 1.5], dtype=float32)
    """
    a, b = _halves("reglu", x, axis)
    return _gate_product(a, b, "relu")


_GATES = {
    "sigmoid": _sigmoid,
    "silu": _silu1,  # the beta = 1 path: no double-word beta * x
    "gelu_tanh": _gelu_tanh,
    "gelu": _gelu_exact,
    "relu": _relu,
}


@functools.partial(jax.jit, static_argnums=2)
@in_float32
def _gate_product(a: jax.Array, b: jax.Array, gate: str) -> jax.Array:
    return a * _GATES[gate](b.astype(a.dtype))
