r"""Flax NNX layers for the activations with learnable parameters.

Each layer stores its parameters as `nnx.Param` (in `param_dtype`, float32 by default) and calls
the pure function of the same name in `jaxact` for the arithmetic, so a layer computes exactly
what the function computes. As in `flax.nnx`, an optional `dtype` sets the dtype of the
computation (e.g. `jnp.bfloat16` activations with float32 parameters); by default the
computation keeps the dtype of the input.

| layer | parameters | function |
|---|---|---|
| [`PReLU`][jaxact.flax.PReLU] | slope $\alpha$, one or one per channel | `jaxact.prelu` |
| [`Swish`][jaxact.flax.Swish] | $\beta$ (optionally frozen) | `jaxact.silu(x, beta=...)` |
| [`XIELU`][jaxact.flax.XIELU] | $\alpha_p$, $\alpha_n$ (through softplus) | `jaxact.xielu` |
| [`RReLU`][jaxact.flax.RReLU] | none: random slopes from an `nnx.Rngs` stream | `jaxact.rrelu` |
| [`Maxout`][jaxact.flax.Maxout] | `num_pieces` affine maps | `jaxact.maxout` |
| [`GLU`][jaxact.flax.GLU] | gate, value and output projections | `jaxact.swiglu`, ... |
| [`DyT`][jaxact.flax.DyT] | scalar $\alpha$, per-channel $\gamma$, $\beta$ | `jaxact.dyt` |
| [`Snake`][jaxact.flax.Snake] | frequency $\alpha$, one or one per channel | `jaxact.snake` |
| [`StarReLU`][jaxact.flax.StarReLU] | scalars $s$, $b$ | `jaxact.star_relu` |
| [`PAU`][jaxact.flax.PAU] | numerator $a_0 \dots a_m$, denominator $b_1 \dots b_n$ | `jaxact.pau` |
| [`Activation`][jaxact.flax.Activation] | none | any registered activation |

[`siren_init`][jaxact.flax.siren_init] is SIREN's kernel initialiser, for the layers
before [`jaxact.sine`](../functions/sine.md).

Importing this module needs Flax: `pip install "jaxact[flax]"`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

import jax
import jax.numpy as jnp
from jax.nn.initializers import Initializer
from jax.typing import ArrayLike, DTypeLike

try:
    from flax import nnx
except ImportError as err:  # pragma: no cover - exercised by a test that hides flax
    raise ImportError(
        'jaxact.flax needs Flax NNX, which is not installed: pip install "jaxact[flax]"'
    ) from err

from .. import _layers
from .._pau import PAU_DENOMINATOR, PAU_NUMERATOR

__all__ = [
    "PReLU",
    "Swish",
    "XIELU",
    "RReLU",
    "Maxout",
    "GLU",
    "DyT",
    "Snake",
    "StarReLU",
    "PAU",
    "Activation",
    "siren_init",
]


def _param(value: Any, param_dtype: Any) -> nnx.Param:
    return nnx.Param(jnp.asarray(value, dtype=param_dtype))


def siren_init(omega_0: float = 30.0, *, first_layer: bool = False) -> Callable[..., jax.Array]:
    r"""SIREN's kernel initialiser (Sitzmann et al., 2020), for `kernel_init` of `nnx.Linear`
    or `flax.linen.Dense` followed by [`jaxact.sine`](../functions/sine.md) with the same
    $\omega_0$.

    With fan-in $n$ (the kernel's first axis, Flax's `(in, out)` layout), the weights are
    uniform on $(-1/n, 1/n)$ for the first layer and on
    $(-\sqrt{6/n}/\omega_0, \sqrt{6/n}/\omega_0)$ for the others, so that every layer's
    pre-activation $\omega_0 W x$ keeps the same distribution.

    Args:
        omega_0: the frequency the layer's sine uses (30 in the paper).
        first_layer: the input layer's initialisation, which does not depend on $\omega_0$.

    Returns:
        An initialiser `init(key, shape, dtype=jnp.float32)`.

    Examples:
        >>> import jax.numpy as jnp
        >>> from flax import nnx
        >>> from jaxact.flax import siren_init
        >>> init = siren_init(first_layer=True)
        >>> layer = nnx.Linear(2, 64, kernel_init=init, rngs=nnx.Rngs(0))
        >>> bool(jnp.abs(layer.kernel[...]).max() <= 1 / 2)
        True
    """
    _layers.check_initial_value("siren_init", "omega_0", omega_0)
    if not first_layer and omega_0 == 0:
        raise ValueError("siren_init: omega_0 must be non-zero (the bound is sqrt(6/n)/omega_0)")

    def init(key: jax.Array, shape: tuple[int, ...], dtype: Any = jnp.float32) -> jax.Array:
        n = shape[0]
        bound = 1 / n if first_layer else (6 / n) ** 0.5 / abs(omega_0)
        return jax.random.uniform(key, shape, dtype, -bound, bound)

    return init


class PReLU(nnx.Module):
    r"""Parametric ReLU with a learnt slope, shared or one per channel (He et al., 2015).

    $$f(x) = \max(0, x) + \alpha_c \min(0, x)$$

    The semantics are those of `torch.nn.PReLU` and `equinox.nn.PReLU`: `num_parameters=1`
    learns one slope for the whole input, `num_parameters=C` one slope per channel along
    `channel_axis`. Flax is channels-last, so `channel_axis=-1` by default; pass
    `channel_axis=1` for PyTorch's `(N, C, ...)` layout. Computed by
    [`jaxact.prelu`](../functions/prelu.md).

    One shared slope is stored as `flax.nnx.PReLU` stores it: an `nnx.Param` of shape `()` in
    `param_dtype` (float32), computed in the input's dtype when `dtype` is `None`. Two
    differences are deliberate: the parameter is named `alpha` (not `negative_slope`), and the
    default initial slope is 0.25 (PyTorch's and Equinox's) where `nnx.PReLU` starts at 0.01;
    pass `init=0.01` for Flax's.

    Args:
        num_parameters: number of slopes: 1, or the number of channels.
        init: initial value of every slope (0.25, as in PyTorch and Equinox).
        channel_axis: the axis of the input that holds the channels (used when
            `num_parameters > 1`).
        dtype: dtype of the computation; `None` keeps the input's dtype.
        param_dtype: dtype of the stored slope.

    Attributes:
        alpha: `nnx.Param` of shape `()` for one shared slope (as `nnx.PReLU`), else
            `(num_parameters,)`.

    Raises:
        ValueError: `num_parameters < 1`, or at call time, a channel axis whose size differs
            from `num_parameters`.

    Examples:
        >>> import jax.numpy as jnp
        >>> from jaxact.flax import PReLU
        >>> layer = PReLU(num_parameters=3, init=0.1)
        >>> layer.alpha.shape
        (3,)
        >>> layer(jnp.array([[-1.0, -2.0, 3.0]]))
        Array([[-0.1, -0.2,  3. ]], dtype=float32)
    """

    functions: ClassVar[tuple[str, ...]] = ("prelu",)
    """The registered jaxact functions this layer computes; their pages link here."""

    def __init__(
        self,
        num_parameters: int = 1,
        init: float = 0.25,
        *,
        channel_axis: int = -1,
        dtype: DTypeLike | None = None,
        param_dtype: DTypeLike = jnp.float32,
    ) -> None:
        self.alpha = _param(_layers.prelu_init(num_parameters, init)["alpha"], param_dtype)
        self.num_parameters = int(num_parameters)
        self.channel_axis = channel_axis
        self.dtype = dtype
        self.param_dtype = param_dtype

    def __call__(self, x: jax.Array) -> jax.Array:
        """Apply the activation; any shape whose `channel_axis` has `num_parameters` entries."""
        return _layers.prelu_apply(x, self.alpha[...], self.channel_axis, self.dtype)


class Swish(nnx.Module):
    r"""Swish with a learnt (or fixed) $\beta$ (Ramachandran et al., 2017).

    $$f(x) = x\,\sigma(\beta x)$$

    $\beta = 1$ is SiLU; as $\beta \to \infty$ the function tends to ReLU. Every real
    $\beta$ is allowed, 0 and negative values included, so a training step that drives a
    learnt $\beta$ below 0 never stops the run, and the layer gives the same result in and
    out of `jit`. Computed by [`jaxact.silu`](../functions/silu.md) with `beta=...`.

    Args:
        beta_init: initial (or fixed) value of $\beta$, any real number.
        learnable: `True` stores $\beta$ as an `nnx.Param` (trained by an optimiser over
            `nnx.Param`); `False` keeps it a constant.
        dtype: dtype of the computation; `None` keeps the input's dtype.
        param_dtype: dtype of the stored $\beta$.

    Attributes:
        beta: `nnx.Param` of shape `()` when learnable, else a Python float.

    Examples:
        >>> import jax.numpy as jnp
        >>> from jaxact.flax import Swish
        >>> layer = Swish(beta_init=1.0)
        >>> layer(jnp.array([0.0, 2.0]))
        Array([0. , 1.76159...], dtype=float32)
    """

    functions: ClassVar[tuple[str, ...]] = ("silu",)
    """The registered jaxact functions this layer computes; their pages link here."""

    def __init__(
        self,
        beta_init: float = 1.0,
        learnable: bool = True,
        *,
        dtype: DTypeLike | None = None,
        param_dtype: DTypeLike = jnp.float32,
    ) -> None:
        beta = _layers.swish_init(beta_init)["beta"]
        self.beta: nnx.Param | float = _param(beta, param_dtype) if learnable else float(beta)
        self.learnable = learnable
        self.dtype = dtype
        self.param_dtype = param_dtype

    def __call__(self, x: jax.Array) -> jax.Array:
        """Apply the activation elementwise."""
        beta = self.beta[...] if self.learnable else self.beta
        return _layers.swish_apply(x, beta, self.dtype)


class Maxout(nnx.Module):
    r"""Maxout layer: the maximum of `num_pieces` affine maps (Goodfellow et al., 2013).

    $$f(x)_j = \max_{k = 1}^{K} \left(x W_{jk} + b_{jk}\right)$$

    One `nnx.Linear` computes all $K$ affine maps of every output at once (its kernel has shape
    `(in_features, out_features * num_pieces)`) and [`jaxact.maxout`](../functions/maxout.md)
    takes the maximum over each group of `num_pieces`.

    Args:
        in_features: size of the last axis of the input.
        out_features: size of the last axis of the output.
        num_pieces: $K$, the number of affine pieces per output (1 gives a plain linear layer).
        use_bias: add the biases $b_{jk}$.
        dtype: dtype of the computation; `None` infers it from input and parameters.
        param_dtype: dtype of the kernel and bias.
        kernel_init: initializer of the kernel (LeCun normal, as `nnx.Linear`).
        bias_init: initializer of the bias (zeros).
        rngs: the `nnx.Rngs` that draw the initial parameters.

    Attributes:
        linear: the `nnx.Linear` holding all pieces.

    Raises:
        ValueError: `num_pieces`, `in_features` or `out_features` below 1.

    Examples:
        >>> import jax.numpy as jnp
        >>> from flax import nnx
        >>> from jaxact.flax import Maxout
        >>> layer = Maxout(4, 3, num_pieces=5, rngs=nnx.Rngs(0))
        >>> layer.linear.kernel.shape
        (4, 15)
        >>> layer(jnp.ones((8, 4))).shape
        (8, 3)
    """

    functions: ClassVar[tuple[str, ...]] = ("maxout",)
    """The registered jaxact functions this layer computes; their pages link here."""

    def __init__(
        self,
        in_features: int,
        out_features: int,
        num_pieces: int,
        *,
        use_bias: bool = True,
        dtype: DTypeLike | None = None,
        param_dtype: DTypeLike = jnp.float32,
        kernel_init: Initializer = nnx.initializers.lecun_normal(),
        bias_init: Initializer = nnx.initializers.zeros_init(),
        rngs: nnx.Rngs,
    ) -> None:
        self.linear = nnx.Linear(
            *_layers.maxout_sizes(in_features, out_features, num_pieces),
            use_bias=use_bias,
            dtype=dtype,
            param_dtype=param_dtype,
            kernel_init=kernel_init,
            bias_init=bias_init,
            rngs=rngs,
        )
        self.in_features = int(in_features)
        self.out_features = int(out_features)
        self.num_pieces = int(num_pieces)

    def __call__(self, x: jax.Array) -> jax.Array:
        """Map `(..., in_features)` to `(..., out_features)`."""
        return _layers.maxout_apply(self.linear, x, self.num_pieces)


class GLU(nnx.Module):
    r"""Gated feed-forward block of a Transformer (Shazeer, 2020).

    $$\operatorname{FFN}(x) = \bigl(x V \odot g(x W)\bigr)\, W_\text{out}$$

    with the gate nonlinearity $g$ chosen by `variant`: `"swiglu"` (SiLU), `"geglu"` (GELU),
    `"reglu"` (ReLU) or `"glu"` (sigmoid, Dauphin et al., 2017). One `nnx.Linear` computes
    $[xV, xW]$ (shape `(..., 2 * hidden_features)`) and the jaxact function of the same name
    (e.g. [`jaxact.swiglu`](../functions/swiglu.md)) multiplies its first half by the gated
    second half; `proj_out` maps back to `out_features`. Following Shazeer (2020), the
    projections have no bias unless `use_bias=True`.

    Args:
        in_features: size of the last axis of the input.
        hidden_features: width of the gated hidden layer.
        variant: one of `"swiglu"`, `"geglu"`, `"reglu"`, `"glu"`.
        out_features: size of the output's last axis (default: `in_features`).
        use_bias: add biases to both projections.
        dtype: dtype of the computation; `None` infers it from input and parameters.
        param_dtype: dtype of the kernels and biases.
        kernel_init: initializer of both kernels (LeCun normal, as `nnx.Linear`).
        bias_init: initializer of both biases (zeros), used when `use_bias=True`.
        rngs: the `nnx.Rngs` that draw the initial parameters.

    Attributes:
        proj_in: `nnx.Linear(in_features, 2 * hidden_features)`: value and gate.
        proj_out: `nnx.Linear(hidden_features, out_features)`.

    Raises:
        ValueError: an unknown `variant` (the message lists the allowed ones), or a size
            below 1.

    Examples:
        >>> import jax.numpy as jnp
        >>> from flax import nnx
        >>> from jaxact.flax import GLU
        >>> block = GLU(8, 32, variant="swiglu", rngs=nnx.Rngs(0))
        >>> block.proj_in.kernel.shape, block.proj_out.kernel.shape
        ((8, 64), (32, 8))
        >>> block(jnp.ones((2, 5, 8))).shape
        (2, 5, 8)
    """

    functions: ClassVar[tuple[str, ...]] = _layers.GLU_VARIANTS
    """The registered jaxact functions this layer computes; their pages link here."""

    def __init__(
        self,
        in_features: int,
        hidden_features: int,
        variant: str = "swiglu",
        *,
        out_features: int | None = None,
        use_bias: bool = False,
        dtype: DTypeLike | None = None,
        param_dtype: DTypeLike = jnp.float32,
        kernel_init: Initializer = nnx.initializers.lecun_normal(),
        bias_init: Initializer = nnx.initializers.zeros_init(),
        rngs: nnx.Rngs,
    ) -> None:
        sizes_in, sizes_out = _layers.glu_sizes(variant, in_features, hidden_features, out_features)
        common = dict(
            use_bias=use_bias,
            dtype=dtype,
            param_dtype=param_dtype,
            kernel_init=kernel_init,
            bias_init=bias_init,
            rngs=rngs,
        )
        self.proj_in = nnx.Linear(*sizes_in, **common)
        self.proj_out = nnx.Linear(*sizes_out, **common)
        self.variant = variant
        self.in_features = sizes_in[0]
        self.hidden_features = sizes_out[0]
        self.out_features = sizes_out[1]

    def __call__(self, x: jax.Array) -> jax.Array:
        """Map `(..., in_features)` to `(..., out_features)`."""
        return _layers.glu_apply(self.proj_in, self.proj_out, x, self.variant)


class XIELU(nnx.Module):
    r"""xIELU with learnt $\alpha_p$ and $\alpha_n$ (Huang & Schlag, 2024).

    $$f(x) = \begin{cases} \alpha_p x^2 + \beta x & x > 0 \\
    \alpha_n\,(e^{x} - 1 - x) + \beta x & x \le 0 \end{cases}$$

    As in the paper and its reference code, the layer learns raw scalars $a_p$, $a_n$ with
    $\alpha_p = \operatorname{softplus}(a_p) > 0$ and
    $\alpha_n = \beta + \operatorname{softplus}(a_n) > \beta$; $\beta$ is fixed. Computed by
    [`jaxact.xielu`](../functions/xielu.md).

    Args:
        alpha_p_init: initial $\alpha_p > 0$ (0.8, as the paper).
        alpha_n_init: initial $\alpha_n > \beta$ (0.8).
        beta: the fixed slope at 0, $\beta \ge 0$ (0.5).
        dtype: dtype of the computation; `None` keeps the input's dtype.
        param_dtype: dtype of the stored raw parameters.

    Attributes:
        alpha_p: `nnx.Param` of shape `()`, the raw $a_p$.
        alpha_n: `nnx.Param` of shape `()`, the raw $a_n$.

    Examples:
        >>> import jax.numpy as jnp
        >>> from jaxact.flax import XIELU
        >>> XIELU()(jnp.array([-2.0, 0.0, 2.0]))
        Array([-0.0917..., 0.       , 4.2...], dtype=float32)
    """

    functions: ClassVar[tuple[str, ...]] = ("xielu",)
    """The registered jaxact functions this layer computes; their pages link here."""

    def __init__(
        self,
        alpha_p_init: float = 0.8,
        alpha_n_init: float = 0.8,
        beta: float = 0.5,
        *,
        dtype: DTypeLike | None = None,
        param_dtype: DTypeLike = jnp.float32,
    ) -> None:
        raw = _layers.xielu_init(alpha_p_init, alpha_n_init, beta)
        self.alpha_p = _param(raw["alpha_p"], param_dtype)
        self.alpha_n = _param(raw["alpha_n"], param_dtype)
        self.beta = float(beta)
        self.dtype = dtype
        self.param_dtype = param_dtype

    def __call__(self, x: jax.Array) -> jax.Array:
        """Apply the activation elementwise."""
        a_p, a_n = self.alpha_p[...], self.alpha_n[...]
        return _layers.xielu_apply(x, a_p, a_n, self.beta, self.dtype)


class RReLU(nnx.Module):
    r"""Randomised leaky ReLU (Xu et al., 2015), random the way `nnx.Dropout` is.

    $$f(x) = \begin{cases} x & x \ge 0 \\ a x & x < 0 \end{cases}$$

    In training each element gets its own slope $a \sim U(l, u)$, drawn with a key from the
    layer's `nnx.Rngs` stream `rng_collection` (`"dropout"`, as `nnx.Dropout`; an `nnx.Rngs`
    without that stream uses its default one); with `deterministic=True` the slope is the
    mean $(l + u)/2$. As for `nnx.Dropout`, `model.eval()` and `model.train()` set
    `deterministic`, and a `deterministic` or `rngs` passed at call time takes precedence.
    Computed by [`jaxact.rrelu`](../functions/rrelu.md); no parameters are learnt.

    Args:
        lower: $l$, the least slope drawn (1/8, as `torch.nn.RReLU`).
        upper: $u$, the greatest slope drawn (1/3); `lower <= upper`.
        deterministic: use the mean slope (evaluation) instead of drawing slopes.
        rng_collection: the name of the `nnx.Rngs` stream the keys come from.
        rngs: an `nnx.Rngs` (or one stream of it) kept by the layer for training calls.

    Raises:
        ValueError: `lower > upper` or a non-finite bound; at call time in training, no
            `rngs` given here or at the call.

    Examples:
        >>> import jax.numpy as jnp
        >>> from flax import nnx
        >>> from jaxact.flax import RReLU
        >>> layer = RReLU(rngs=nnx.Rngs(0))
        >>> y = layer(-jnp.ones(4))  # training: four slopes in [1/8, 1/3)
        >>> bool(jnp.all((-1 / 3 <= y) & (y <= -1 / 8)))
        True
        >>> layer.eval()
        >>> layer(-jnp.ones(2))
        Array([-0.22916667, -0.22916667], dtype=float32)
    """

    functions: ClassVar[tuple[str, ...]] = ("rrelu",)
    """The registered jaxact functions this layer computes; their pages link here."""

    def __init__(
        self,
        lower: float = 1.0 / 8.0,
        upper: float = 1.0 / 3.0,
        *,
        deterministic: bool = False,
        rng_collection: str = "dropout",
        rngs: nnx.Rngs | nnx.RngStream | None = None,
    ) -> None:
        self.lower, self.upper = _layers.rrelu_bounds(lower, upper)
        self.deterministic = deterministic
        self.rng_collection = rng_collection
        if isinstance(rngs, nnx.Rngs):
            self.rngs = rngs[rng_collection].fork()
        elif isinstance(rngs, nnx.RngStream):
            self.rngs = rngs.fork()
        elif rngs is None:
            self.rngs = nnx.data(None)
        else:
            raise TypeError(
                f"RReLU: rngs must be an nnx.Rngs, an nnx.RngStream or None, got "
                f"{type(rngs).__name__}"
            )

    def __call__(
        self,
        x: jax.Array,
        *,
        deterministic: bool | None = None,
        rngs: nnx.Rngs | nnx.RngStream | jax.Array | None = None,
    ) -> jax.Array:
        """Apply the activation: random slopes unless `deterministic` (here or in the layer)."""
        if deterministic is None:
            deterministic = self.deterministic
        if deterministic:
            return _layers.rrelu_apply(x, None, self.lower, self.upper)
        if rngs is None:
            rngs = self.rngs
        if isinstance(rngs, nnx.Rngs):
            key = rngs[self.rng_collection]()
        elif isinstance(rngs, nnx.RngStream):
            key = rngs()
        elif rngs is None:
            raise ValueError(
                "RReLU: deterministic=False draws random slopes and needs rngs, given to the "
                "layer (RReLU(rngs=nnx.Rngs(0))) or to the call (layer(x, rngs=...)); "
                "or pass deterministic=True"
            )
        else:
            key = rngs
        return _layers.rrelu_apply(x, key, self.lower, self.upper)

    def set_view(self, deterministic: bool | None = None) -> None:
        """Used by `nnx.view(model, deterministic=...)`, as for `nnx.Dropout`."""
        if deterministic is not None:
            self.deterministic = deterministic


class DyT(nnx.Module):
    r"""Dynamic Tanh, the normalisation-free Transformer's replacement for LayerNorm
    (Zhu et al., 2025).

    $$f(x) = \gamma_c \tanh(\alpha x) + \beta_c$$

    One learnt scalar $\alpha$ (initialised to `alpha_init`, the paper's $\alpha_0$) and a
    per-channel scale $\gamma$ (ones) and shift $\beta$ (zeros) along `channel_axis`, as the
    paper's layer. Computed by [`jaxact.dyt`](../functions/dyt.md).

    Args:
        num_features: number of channels (the size of `channel_axis`).
        alpha_init: initial $\alpha$ (0.5, the paper's default for non-language models).
        channel_axis: the axis of the input that holds the channels (`-1`, channels-last).
        dtype: dtype of the computation; `None` keeps the input's dtype.
        param_dtype: dtype of the stored parameters.

    Attributes:
        alpha: `nnx.Param` of shape `()`.
        weight: `nnx.Param` $\gamma$ of shape `(num_features,)`.
        bias: `nnx.Param` $\beta$ of shape `(num_features,)`.

    Examples:
        >>> import jax.numpy as jnp
        >>> from jaxact.flax import DyT
        >>> layer = DyT(3)
        >>> layer.alpha.shape, layer.weight.shape
        ((), (3,))
        >>> layer(jnp.array([[-2.0, 0.0, 2.0]]))
        Array([[-0.7615942,  0.       ,  0.7615942]], dtype=float32)
    """

    functions: ClassVar[tuple[str, ...]] = ("dyt",)
    """The registered jaxact functions this layer computes; their pages link here."""

    def __init__(
        self,
        num_features: int,
        alpha_init: float = 0.5,
        *,
        channel_axis: int = -1,
        dtype: DTypeLike | None = None,
        param_dtype: DTypeLike = jnp.float32,
    ) -> None:
        init = _layers.dyt_init(num_features, alpha_init)
        self.alpha = _param(init["alpha"], param_dtype)
        self.weight = _param(init["weight"], param_dtype)
        self.bias = _param(init["bias"], param_dtype)
        self.num_features = int(num_features)
        self.channel_axis = channel_axis
        self.dtype = dtype
        self.param_dtype = param_dtype

    def __call__(self, x: jax.Array) -> jax.Array:
        """Apply the layer; any shape whose `channel_axis` has `num_features` entries."""
        alpha, weight, bias = self.alpha[...], self.weight[...], self.bias[...]
        return _layers.dyt_apply(x, alpha, weight, bias, self.channel_axis, self.dtype)


class Snake(nnx.Module):
    r"""Snake with a learnt frequency, shared or one per channel (Ziyin et al., 2020), as
    BigVGAN uses it.

    $$f(x) = x + \frac{\sin^2(\alpha_c x)}{\alpha_c}$$

    `num_parameters=1` learns one $\alpha$ for the whole input, `num_parameters=C` one per
    channel along `channel_axis` (Flax is channels-last: `-1`; BigVGAN's PyTorch layout
    `(N, C, T)` is `channel_axis=1`). Any real $\alpha$ is allowed, 0 included (the limit
    $x$). Computed by [`jaxact.snake`](../functions/snake.md).

    Args:
        num_parameters: number of frequencies: 1, or the number of channels.
        alpha_init: initial value of every $\alpha$ (1.0, as BigVGAN).
        channel_axis: the axis of the input that holds the channels.
        dtype: dtype of the computation; `None` keeps the input's dtype.
        param_dtype: dtype of the stored $\alpha$.

    Attributes:
        alpha: `nnx.Param` of shape `(num_parameters,)`.

    Examples:
        >>> import jax.numpy as jnp
        >>> from jaxact.flax import Snake
        >>> layer = Snake(2, alpha_init=1.0)
        >>> layer(jnp.array([[0.0, 1.0]]))
        Array([[0.       , 1.7080734]], dtype=float32)
    """

    functions: ClassVar[tuple[str, ...]] = ("snake",)
    """The registered jaxact functions this layer computes; their pages link here."""

    def __init__(
        self,
        num_parameters: int = 1,
        alpha_init: float = 1.0,
        *,
        channel_axis: int = -1,
        dtype: DTypeLike | None = None,
        param_dtype: DTypeLike = jnp.float32,
    ) -> None:
        self.alpha = _param(_layers.snake_init(num_parameters, alpha_init)["alpha"], param_dtype)
        self.num_parameters = int(num_parameters)
        self.channel_axis = channel_axis
        self.dtype = dtype
        self.param_dtype = param_dtype

    def __call__(self, x: jax.Array) -> jax.Array:
        """Apply the activation; any shape whose `channel_axis` has `num_parameters` entries."""
        return _layers.snake_apply(x, self.alpha[...], self.channel_axis, self.dtype)


class StarReLU(nnx.Module):
    r"""StarReLU with a learnt scale and shift (Yu et al., 2023).

    $$f(x) = s \max(0, x)^2 + b$$

    Two scalars, initialised to the paper's $s = 0.8944$ and $b = -0.4472$ ($2/\sqrt 5$ and
    $-1/\sqrt 5$: zero mean and unit variance for a standard normal input). Computed by
    [`jaxact.star_relu`](../functions/star_relu.md).

    Args:
        scale_init: initial $s$.
        bias_init: initial $b$.
        learnable: `True` stores $s$ and $b$ as `nnx.Param`; `False` keeps them constants.
        dtype: dtype of the computation; `None` keeps the input's dtype.
        param_dtype: dtype of the stored parameters.

    Attributes:
        scale: `nnx.Param` of shape `()` when learnable, else a Python float.
        bias: `nnx.Param` of shape `()` when learnable, else a Python float.

    Examples:
        >>> import jax.numpy as jnp
        >>> from jaxact.flax import StarReLU
        >>> StarReLU()(jnp.array([-1.0, 1.0]))
        Array([-0.4472136,  0.4472136], dtype=float32)
    """

    functions: ClassVar[tuple[str, ...]] = ("star_relu",)
    """The registered jaxact functions this layer computes; their pages link here."""

    def __init__(
        self,
        scale_init: float = 2 / math.sqrt(5),
        bias_init: float = -1 / math.sqrt(5),
        learnable: bool = True,
        *,
        dtype: DTypeLike | None = None,
        param_dtype: DTypeLike = jnp.float32,
    ) -> None:
        init = _layers.star_relu_init(scale_init, bias_init)
        self.scale: nnx.Param | float
        self.bias: nnx.Param | float
        if learnable:
            self.scale = _param(init["scale"], param_dtype)
            self.bias = _param(init["bias"], param_dtype)
        else:
            self.scale, self.bias = float(init["scale"]), float(init["bias"])
        self.learnable = learnable
        self.dtype = dtype
        self.param_dtype = param_dtype

    def __call__(self, x: jax.Array) -> jax.Array:
        """Apply the activation elementwise."""
        if self.learnable:
            scale, bias = self.scale[...], self.bias[...]
        else:
            scale, bias = self.scale, self.bias
        return _layers.star_relu_apply(x, scale, bias, self.dtype)


class PAU(nnx.Module):
    r"""Padé Activation Unit: a rational function with learnt coefficients (Molina et al., 2020).

    $$f(x) = \frac{a_0 + a_1 x + \dots + a_m x^m}{1 + |b_1|\,|x| + \dots + |b_n|\,|x|^n}$$

    One set of coefficients for the whole input, as in the paper (one unit per layer).
    Computed by [`jaxact.pau`](../functions/pau.md).

    Args:
        numerator: initial $a_0, \dots, a_m$ (default `PAU_NUMERATOR`: the authors'
            leaky-ReLU fit, m = 5, listed under [`jaxact.pau`][jaxact.pau]).
        denominator: initial $b_1, \dots, b_n$ (default `PAU_DENOMINATOR`: the same
            fit, n = 4).
        dtype: dtype of the computation; `None` keeps the input's dtype.
        param_dtype: dtype of the stored coefficients.

    Attributes:
        numerator: `nnx.Param` of shape `(m + 1,)`.
        denominator: `nnx.Param` of shape `(n,)`.

    Examples:
        >>> import jax.numpy as jnp
        >>> from jaxact.flax import PAU
        >>> [round(float(v), 3) for v in PAU()(jnp.array([-2.0, 2.0]))]
        [-0.019, 2.001]
    """

    functions: ClassVar[tuple[str, ...]] = ("pau",)
    """The registered jaxact functions this layer computes; their pages link here."""

    def __init__(
        self,
        numerator: ArrayLike | Sequence[float] = PAU_NUMERATOR,
        denominator: ArrayLike | Sequence[float] = PAU_DENOMINATOR,
        *,
        dtype: DTypeLike | None = None,
        param_dtype: DTypeLike = jnp.float32,
    ) -> None:
        init = _layers.pau_init(numerator, denominator)
        self.numerator = _param(init["numerator"], param_dtype)
        self.denominator = _param(init["denominator"], param_dtype)
        self.dtype = dtype
        self.param_dtype = param_dtype

    def __call__(self, x: jax.Array) -> jax.Array:
        """Apply the activation elementwise."""
        return _layers.pau_apply(x, self.numerator[...], self.denominator[...], self.dtype)


class Activation(nnx.Module):
    """Any registered jaxact activation as a layer, e.g. inside `nnx.Sequential`.

    The activation's parameters are fixed at construction (use [`PReLU`][jaxact.flax.PReLU] or
    [`Swish`][jaxact.flax.Swish] to learn them); the layer has no `nnx.Param`.

    Args:
        name_or_fn: a registered name or alias (`"gelu"`, `"hard_swish"`) or a jaxact
            function (`jaxact.elu`); see `jaxact.names()`.
        **params: keyword parameters of the activation (`negative_slope=0.1`, `axis=-1`):
            Python values, stored as static attributes.

    Raises:
        ValueError: an unknown name (the message suggests close registered names).
        TypeError: a keyword the activation does not take (the message lists those it does),
            or an array as a parameter value.

    Examples:
        >>> import jax.numpy as jnp
        >>> from flax import nnx
        >>> from jaxact.flax import Activation
        >>> model = nnx.Sequential(
        ...     nnx.Linear(2, 4, rngs=nnx.Rngs(0)),
        ...     Activation("leaky_relu", negative_slope=0.1),
        ... )
        >>> model(jnp.ones((3, 2))).shape
        (3, 4)
        >>> Activation("relu")(jnp.array([-1.0, 2.0]))
        Array([0., 2.], dtype=float32)
    """

    def __init__(
        self,
        name_or_fn: str | Callable[..., jax.Array],
        **params: ArrayLike | Sequence[float] | None,
    ) -> None:
        spec = _layers.resolve_activation("Activation", name_or_fn, params)
        self.name = spec.name
        self.fn = spec.fn
        self.params = dict(params)

    def __call__(self, x: jax.Array) -> jax.Array:
        """Apply the activation with its fixed parameters."""
        return self.fn(x, **self.params)
