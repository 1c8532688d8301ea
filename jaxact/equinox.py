r"""Equinox layers for the activations with learnable parameters.

Each layer is an `eqx.Module` whose array fields are its parameters, and calls the pure
function of the same name in `jaxact` for the arithmetic. As in `equinox.nn`, layers act on a
single example (wrap them in `jax.vmap` for a batch), `dtype` is the dtype of the parameters
(float32, or float64 with `jax_enable_x64`, by default), and every `__call__` accepts and
ignores a `key`, so the layers fit in `eqx.nn.Sequential`.

| layer | parameters | function |
|---|---|---|
| [`PReLU`][jaxact.equinox.PReLU] | slope $\alpha$, one or one per channel | `jaxact.prelu` |
| [`Swish`][jaxact.equinox.Swish] | $\beta$ (optionally frozen) | `jaxact.silu(x, beta=...)` |
| [`XIELU`][jaxact.equinox.XIELU] | $\alpha_p$, $\alpha_n$ (through softplus) | `jaxact.xielu` |
| [`RReLU`][jaxact.equinox.RReLU] | none: random slopes from the call's `key` | `jaxact.rrelu` |
| [`Maxout`][jaxact.equinox.Maxout] | `num_pieces` affine maps | `jaxact.maxout` |
| [`GLU`][jaxact.equinox.GLU] | gate, value and output projections | `jaxact.swiglu`, ... |
| [`DyT`][jaxact.equinox.DyT] | scalar $\alpha$, per-channel $\gamma$, $\beta$ | `jaxact.dyt` |
| [`Snake`][jaxact.equinox.Snake] | frequency $\alpha$, one or one per channel | `jaxact.snake` |
| [`StarReLU`][jaxact.equinox.StarReLU] | scalars $s$, $b$ | `jaxact.star_relu` |
| [`PAU`][jaxact.equinox.PAU] | coefficients $a_0 \dots a_m$, $b_1 \dots b_n$ | `jaxact.pau` |
| [`Activation`][jaxact.equinox.Activation] | none | any registered activation |

Importing this module needs Equinox: `pip install "jaxact[equinox]"`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

import jax
import jax.numpy as jnp
from jax.typing import ArrayLike, DTypeLike

try:
    import equinox as eqx
except ImportError as err:  # pragma: no cover - exercised by a test that hides equinox
    raise ImportError(
        'jaxact.equinox needs Equinox, which is not installed: pip install "jaxact[equinox]"'
    ) from err

from . import _layers
from ._pau import PAU_DENOMINATOR, PAU_NUMERATOR

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
]


def _param(value: Any, dtype: Any) -> jax.Array:
    # In `dtype`, by default equinox.nn's: float32, or float64 when jax_enable_x64 is on.
    return jnp.asarray(value, dtype=jnp.result_type(float) if dtype is None else dtype)


class PReLU(eqx.Module):
    r"""Parametric ReLU with a learnt slope, shared or one per channel (He et al., 2015).

    $$f(x) = \max(0, x) + \alpha_c \min(0, x)$$

    The semantics are those of `equinox.nn.PReLU` and `torch.nn.PReLU`: `num_parameters=1`
    learns one slope for the whole input, `num_parameters=C` one slope per channel along
    `channel_axis` (default `-1`, the feature axis of a vector; pass `channel_axis=0` for the
    channels-first `(C, H, W)` arrays of `eqx.nn.Conv2d`). Computed by
    [`jaxact.prelu`](../functions/prelu.md); the result has the input's dtype.

    Args:
        num_parameters: number of slopes: 1, or the number of channels.
        init: initial value of every slope (0.25, as in Equinox and PyTorch).
        channel_axis: the axis of the input that holds the channels (used when
            `num_parameters > 1`).
        dtype: dtype of the stored slope.

    Raises:
        ValueError: `num_parameters < 1`, or at call time, a channel axis whose size differs
            from `num_parameters`.

    Examples:
        >>> import jax.numpy as jnp
        >>> from jaxact.equinox import PReLU
        >>> layer = PReLU(num_parameters=3, init=0.1)
        >>> layer.alpha.shape
        (3,)
        >>> layer(jnp.array([-1.0, -2.0, 3.0]))
        Array([-0.1, -0.2,  3. ], dtype=float32)
    """

    functions: ClassVar[tuple[str, ...]] = ("prelu",)
    """The registered jaxact functions this layer computes; their pages link here."""

    alpha: jax.Array
    """The slopes: shape `()` for one shared slope (as `eqx.nn.PReLU`), else
    `(num_parameters,)`. A scalar keeps Equinox's shapes where a layer is stacked, e.g. one
    activation per neuron in `eqx.nn.MLP`: `(depth, width)`, not `(depth, width, 1)`."""
    channel_axis: int = eqx.field(static=True)

    def __init__(
        self,
        num_parameters: int = 1,
        init: float = 0.25,
        *,
        channel_axis: int = -1,
        dtype: DTypeLike | None = None,
    ) -> None:
        self.alpha = _param(_layers.prelu_init(num_parameters, init)["alpha"], dtype)
        self.channel_axis = channel_axis

    def __call__(self, x: jax.Array, *, key: jax.Array | None = None) -> jax.Array:
        """Apply the activation; `key` is ignored."""
        return _layers.prelu_apply(x, self.alpha, self.channel_axis)


class Swish(eqx.Module):
    r"""Swish with a learnt (or fixed) $\beta$ (Ramachandran et al., 2017).

    $$f(x) = x\,\sigma(\beta x)$$

    $\beta = 1$ is SiLU; as $\beta \to \infty$ the function tends to ReLU. Every real
    $\beta$ is allowed, 0 and negative values included, so a training step that drives a
    learnt $\beta$ below 0 never stops the run, and the layer gives the same result in and
    out of `jit`. Computed by [`jaxact.silu`](../functions/silu.md) with `beta=...`.

    Args:
        beta_init: initial (or fixed) value of $\beta$, any real number.
        learnable: `True` stores $\beta$ as a JAX array (a parameter that
            `eqx.filter(model, eqx.is_inexact_array)` selects); `False` stores a Python float,
            which Equinox's filters leave out of training.
        dtype: dtype of the stored $\beta$ when learnable.

    Examples:
        >>> import jax.numpy as jnp
        >>> from jaxact.equinox import Swish
        >>> layer = Swish(beta_init=1.0)
        >>> layer(jnp.array([0.0, 2.0]))
        Array([0. , 1.76159...], dtype=float32)
    """

    functions: ClassVar[tuple[str, ...]] = ("silu",)
    """The registered jaxact functions this layer computes; their pages link here."""

    beta: jax.Array | float
    """$\\beta$: an array of shape `()` when learnable, else a float."""

    def __init__(
        self, beta_init: float = 1.0, learnable: bool = True, *, dtype: DTypeLike | None = None
    ) -> None:
        beta = _layers.swish_init(beta_init)["beta"]
        self.beta = _param(beta, dtype) if learnable else float(beta)

    def __call__(self, x: jax.Array, *, key: jax.Array | None = None) -> jax.Array:
        """Apply the activation elementwise; `key` is ignored."""
        return _layers.swish_apply(x, self.beta)


class XIELU(eqx.Module):
    r"""xIELU with learnt $\alpha_p$ and $\alpha_n$ (Huang & Schlag, 2024).

    $$f(x) = \begin{cases} \alpha_p x^2 + \beta x & x > 0 \\
    \alpha_n\,(e^{x} - 1 - x) + \beta x & x \le 0 \end{cases}$$

    The arrays `alpha_p` and `alpha_n` (shape `()`) are the raw $a_p$, $a_n$ the paper learns:
    $\alpha_p = \operatorname{softplus}(a_p)$, $\alpha_n = \beta + \operatorname{softplus}(a_n)$;
    $\beta$ is a fixed float. Computed by [`jaxact.xielu`](../functions/xielu.md).

    Args:
        alpha_p_init: initial $\alpha_p > 0$ (0.8, as the paper).
        alpha_n_init: initial $\alpha_n > \beta$ (0.8).
        beta: the fixed slope at 0, $\beta \ge 0$ (0.5).
        dtype: dtype of the stored raw parameters.

    Examples:
        >>> import jax.numpy as jnp
        >>> from jaxact.equinox import XIELU
        >>> XIELU()(jnp.array([-2.0, 0.0, 2.0]))
        Array([-0.0917..., 0.       , 4.2...], dtype=float32)
    """

    functions: ClassVar[tuple[str, ...]] = ("xielu",)
    """The registered jaxact functions this layer computes; their pages link here."""

    alpha_p: jax.Array
    """The raw $a_p$, shape `()`."""
    alpha_n: jax.Array
    """The raw $a_n$, shape `()`."""
    beta: float = eqx.field(static=True)

    def __init__(
        self,
        alpha_p_init: float = 0.8,
        alpha_n_init: float = 0.8,
        beta: float = 0.5,
        *,
        dtype: DTypeLike | None = None,
    ) -> None:
        raw = _layers.xielu_init(alpha_p_init, alpha_n_init, beta)
        self.alpha_p = _param(raw["alpha_p"], dtype)
        self.alpha_n = _param(raw["alpha_n"], dtype)
        self.beta = float(beta)

    def __call__(self, x: jax.Array, *, key: jax.Array | None = None) -> jax.Array:
        """Apply the activation elementwise; `key` is ignored."""
        return _layers.xielu_apply(x, self.alpha_p, self.alpha_n, self.beta)


class RReLU(eqx.Module):
    r"""Randomised leaky ReLU (Xu et al., 2015), random the way `eqx.nn.Dropout` is.

    $$f(x) = \begin{cases} x & x \ge 0 \\ a x & x < 0 \end{cases}$$

    In training each element gets its own slope $a \sim U(l, u)$, drawn with the `key` passed
    at call time; with `inference=True` the slope is the mean $(l + u)/2$ and no key is
    needed. As for `eqx.nn.Dropout`, `inference` is a field that `eqx.nn.inference_mode`
    switches, and an `inference` passed at call time takes precedence. Computed by
    [`jaxact.rrelu`](../functions/rrelu.md); no parameters are learnt.

    Args:
        lower: $l$, the least slope drawn (1/8, as `torch.nn.RReLU`).
        upper: $u$, the greatest slope drawn (1/3); `lower <= upper`.
        inference: use the mean slope instead of drawing slopes.

    Raises:
        ValueError: `lower > upper` or a non-finite bound; at call time in training, no `key`.

    Examples:
        >>> import equinox as eqx
        >>> import jax
        >>> from jaxact.equinox import RReLU
        >>> layer = RReLU()
        >>> y = layer(-jax.numpy.ones(4), key=jax.random.key(0))  # slopes in [1/8, 1/3)
        >>> bool(jax.numpy.all((-1 / 3 <= y) & (y <= -1 / 8)))
        True
        >>> eqx.nn.inference_mode(layer)(-jax.numpy.ones(2))
        Array([-0.22916667, -0.22916667], dtype=float32)
    """

    functions: ClassVar[tuple[str, ...]] = ("rrelu",)
    """The registered jaxact functions this layer computes; their pages link here."""

    lower: float = eqx.field(static=True)
    upper: float = eqx.field(static=True)
    inference: bool

    def __init__(
        self, lower: float = 1.0 / 8.0, upper: float = 1.0 / 3.0, inference: bool = False
    ) -> None:
        self.lower, self.upper = _layers.rrelu_bounds(lower, upper)
        self.inference = inference

    def __call__(
        self, x: jax.Array, *, key: jax.Array | None = None, inference: bool | None = None
    ) -> jax.Array:
        """Apply the activation: random slopes drawn with `key` unless `inference`."""
        if inference is None:
            inference = self.inference
        if inference:
            return _layers.rrelu_apply(x, None, self.lower, self.upper)
        if key is None:
            raise ValueError(
                "RReLU: in training (inference=False) the slopes are random and need a key: "
                "layer(x, key=jax.random.key(0)); or pass inference=True"
            )
        return _layers.rrelu_apply(x, key, self.lower, self.upper)


class Maxout(eqx.Module):
    r"""Maxout layer: the maximum of `num_pieces` affine maps (Goodfellow et al., 2013).

    $$f(x)_j = \max_{k = 1}^{K} \left(x W_{jk} + b_{jk}\right)$$

    One `eqx.nn.Linear` computes all $K$ affine maps of every output at once (its weight has
    shape `(out_features * num_pieces, in_features)`) and
    [`jaxact.maxout`](../functions/maxout.md) takes the maximum over each group of
    `num_pieces` consecutive rows.

    Args:
        in_features: size of the input vector.
        out_features: size of the output vector.
        num_pieces: $K$, the number of affine pieces per output (1 gives a plain linear layer).
        use_bias: add the biases $b_{jk}$.
        dtype: dtype of the weight and bias.
        key: `jax.random` key for the initial parameters (as `eqx.nn.Linear`).

    Raises:
        ValueError: `num_pieces`, `in_features` or `out_features` below 1.

    Examples:
        >>> import jax
        >>> from jaxact.equinox import Maxout
        >>> layer = Maxout(4, 3, num_pieces=5, key=jax.random.key(0))
        >>> layer.linear.weight.shape
        (15, 4)
        >>> layer(jax.numpy.ones(4)).shape
        (3,)
    """

    functions: ClassVar[tuple[str, ...]] = ("maxout",)
    """The registered jaxact functions this layer computes; their pages link here."""

    linear: eqx.nn.Linear
    """All pieces: `eqx.nn.Linear(in_features, out_features * num_pieces)`."""
    num_pieces: int = eqx.field(static=True)

    def __init__(
        self,
        in_features: int,
        out_features: int,
        num_pieces: int,
        *,
        use_bias: bool = True,
        dtype: DTypeLike | None = None,
        key: jax.Array,
    ) -> None:
        sizes = _layers.maxout_sizes(in_features, out_features, num_pieces)
        self.linear = eqx.nn.Linear(*sizes, use_bias=use_bias, dtype=dtype, key=key)
        self.num_pieces = int(num_pieces)

    def __call__(self, x: jax.Array, *, key: jax.Array | None = None) -> jax.Array:
        """Map `(in_features,)` to `(out_features,)`; `key` is ignored."""
        return _layers.maxout_apply(self.linear, x, self.num_pieces)


class GLU(eqx.Module):
    r"""Gated feed-forward block of a Transformer (Shazeer, 2020).

    $$\operatorname{FFN}(x) = \bigl(x V \odot g(x W)\bigr)\, W_\text{out}$$

    with the gate nonlinearity $g$ chosen by `variant`: `"swiglu"` (SiLU), `"geglu"` (GELU),
    `"reglu"` (ReLU) or `"glu"` (sigmoid, Dauphin et al., 2017). One `eqx.nn.Linear` computes
    $[xV, xW]$ (size `2 * hidden_features`) and the jaxact function of the same name
    (e.g. [`jaxact.swiglu`](../functions/swiglu.md)) multiplies its first half by the gated
    second half; `proj_out` maps back to `out_features`. Following Shazeer (2020), the
    projections have no bias unless `use_bias=True`.

    Args:
        in_features: size of the input vector.
        hidden_features: width of the gated hidden layer.
        variant: one of `"swiglu"`, `"geglu"`, `"reglu"`, `"glu"`.
        out_features: size of the output vector (default: `in_features`).
        use_bias: add biases to both projections.
        dtype: dtype of the weights and biases.
        key: `jax.random` key for the initial parameters.

    Raises:
        ValueError: an unknown `variant` (the message lists the allowed ones), or a size
            below 1.

    Examples:
        >>> import jax
        >>> from jaxact.equinox import GLU
        >>> block = GLU(8, 32, variant="geglu", key=jax.random.key(0))
        >>> block.proj_in.weight.shape, block.proj_out.weight.shape
        ((64, 8), (8, 32))
        >>> block(jax.numpy.ones(8)).shape
        (8,)
    """

    functions: ClassVar[tuple[str, ...]] = _layers.GLU_VARIANTS
    """The registered jaxact functions this layer computes; their pages link here."""

    proj_in: eqx.nn.Linear
    """`eqx.nn.Linear(in_features, 2 * hidden_features)`: value and gate."""
    proj_out: eqx.nn.Linear
    """`eqx.nn.Linear(hidden_features, out_features)`."""
    variant: str = eqx.field(static=True)

    def __init__(
        self,
        in_features: int,
        hidden_features: int,
        variant: str = "swiglu",
        *,
        out_features: int | None = None,
        use_bias: bool = False,
        dtype: DTypeLike | None = None,
        key: jax.Array,
    ) -> None:
        sizes_in, sizes_out = _layers.glu_sizes(variant, in_features, hidden_features, out_features)
        key_in, key_out = jax.random.split(key)
        self.proj_in = eqx.nn.Linear(*sizes_in, use_bias=use_bias, dtype=dtype, key=key_in)
        self.proj_out = eqx.nn.Linear(*sizes_out, use_bias=use_bias, dtype=dtype, key=key_out)
        self.variant = variant

    def __call__(self, x: jax.Array, *, key: jax.Array | None = None) -> jax.Array:
        """Map `(in_features,)` to `(out_features,)`; `key` is ignored."""
        return _layers.glu_apply(self.proj_in, self.proj_out, x, self.variant)


class DyT(eqx.Module):
    r"""Dynamic Tanh, the normalisation-free Transformer's replacement for LayerNorm
    (Zhu et al., 2025).

    $$f(x) = \gamma_c \tanh(\alpha x) + \beta_c$$

    One learnt scalar $\alpha$ (initialised to `alpha_init`, the paper's $\alpha_0$) and a
    per-channel scale $\gamma$ (ones) and shift $\beta$ (zeros) along `channel_axis` (default
    `-1`, the feature axis of a single token's vector), as the paper's layer. Computed by
    [`jaxact.dyt`](../functions/dyt.md); the result has the input's dtype.

    Args:
        num_features: number of channels (the size of `channel_axis`).
        alpha_init: initial $\alpha$ (0.5, the paper's default for non-language models).
        channel_axis: the axis of the input that holds the channels.
        dtype: dtype of the stored parameters.

    Examples:
        >>> import jax.numpy as jnp
        >>> from jaxact.equinox import DyT
        >>> layer = DyT(3)
        >>> layer.alpha.shape, layer.weight.shape
        ((), (3,))
        >>> layer(jnp.array([-2.0, 0.0, 2.0]))
        Array([-0.7615942,  0.       ,  0.7615942], dtype=float32)
    """

    functions: ClassVar[tuple[str, ...]] = ("dyt",)
    """The registered jaxact functions this layer computes; their pages link here."""

    alpha: jax.Array
    """$\\alpha$, shape `()`."""
    weight: jax.Array
    """$\\gamma$, shape `(num_features,)`."""
    bias: jax.Array
    """$\\beta$, shape `(num_features,)`."""
    channel_axis: int = eqx.field(static=True)

    def __init__(
        self,
        num_features: int,
        alpha_init: float = 0.5,
        *,
        channel_axis: int = -1,
        dtype: DTypeLike | None = None,
    ) -> None:
        init = _layers.dyt_init(num_features, alpha_init)
        self.alpha = _param(init["alpha"], dtype)
        self.weight = _param(init["weight"], dtype)
        self.bias = _param(init["bias"], dtype)
        self.channel_axis = channel_axis

    def __call__(self, x: jax.Array, *, key: jax.Array | None = None) -> jax.Array:
        """Apply the layer; `key` is ignored."""
        return _layers.dyt_apply(x, self.alpha, self.weight, self.bias, self.channel_axis)


class Snake(eqx.Module):
    r"""Snake with a learnt frequency, shared or one per channel (Ziyin et al., 2020), as
    BigVGAN uses it.

    $$f(x) = x + \frac{\sin^2(\alpha_c x)}{\alpha_c}$$

    `num_parameters=1` learns one $\alpha$ for the whole input, `num_parameters=C` one per
    channel along `channel_axis` (default `-1`; pass `channel_axis=0` for the channels-first
    `(C, T)` arrays of `eqx.nn.Conv1d`, BigVGAN's layout). Any real $\alpha$ is allowed, 0
    included (the limit $x$). Computed by [`jaxact.snake`](../functions/snake.md).

    Args:
        num_parameters: number of frequencies: 1, or the number of channels.
        alpha_init: initial value of every $\alpha$ (1.0, as BigVGAN).
        channel_axis: the axis of the input that holds the channels.
        dtype: dtype of the stored $\alpha$.

    Examples:
        >>> import jax.numpy as jnp
        >>> from jaxact.equinox import Snake
        >>> Snake(2, channel_axis=0)(jnp.array([[0.0, 1.0], [1.0, 0.0]]))
        Array([[0.       , 1.7080734],
               [1.7080734, 0.       ]], dtype=float32)
    """

    functions: ClassVar[tuple[str, ...]] = ("snake",)
    """The registered jaxact functions this layer computes; their pages link here."""

    alpha: jax.Array
    """The frequencies, shape `(num_parameters,)`."""
    channel_axis: int = eqx.field(static=True)

    def __init__(
        self,
        num_parameters: int = 1,
        alpha_init: float = 1.0,
        *,
        channel_axis: int = -1,
        dtype: DTypeLike | None = None,
    ) -> None:
        self.alpha = _param(_layers.snake_init(num_parameters, alpha_init)["alpha"], dtype)
        self.channel_axis = channel_axis

    def __call__(self, x: jax.Array, *, key: jax.Array | None = None) -> jax.Array:
        """Apply the activation; `key` is ignored."""
        return _layers.snake_apply(x, self.alpha, self.channel_axis)


class StarReLU(eqx.Module):
    r"""StarReLU with a learnt scale and shift (Yu et al., 2023).

    $$f(x) = s \max(0, x)^2 + b$$

    Two scalars, initialised to the paper's $s = 0.8944$ and $b = -0.4472$ ($2/\sqrt 5$ and
    $-1/\sqrt 5$). Computed by [`jaxact.star_relu`](../functions/star_relu.md).

    Args:
        scale_init: initial $s$.
        bias_init: initial $b$.
        learnable: `True` stores $s$ and $b$ as JAX arrays (parameters); `False` as Python
            floats, which Equinox's filters leave out of training.
        dtype: dtype of the stored parameters when learnable.

    Examples:
        >>> import jax.numpy as jnp
        >>> from jaxact.equinox import StarReLU
        >>> StarReLU()(jnp.array([-1.0, 1.0]))
        Array([-0.4472136,  0.4472136], dtype=float32)
    """

    functions: ClassVar[tuple[str, ...]] = ("star_relu",)
    """The registered jaxact functions this layer computes; their pages link here."""

    scale: jax.Array | float
    """$s$: an array of shape `()` when learnable, else a float."""
    bias: jax.Array | float
    """$b$: an array of shape `()` when learnable, else a float."""

    def __init__(
        self,
        scale_init: float = 2 / math.sqrt(5),
        bias_init: float = -1 / math.sqrt(5),
        learnable: bool = True,
        *,
        dtype: DTypeLike | None = None,
    ) -> None:
        init = _layers.star_relu_init(scale_init, bias_init)
        if learnable:
            self.scale, self.bias = _param(init["scale"], dtype), _param(init["bias"], dtype)
        else:
            self.scale, self.bias = float(init["scale"]), float(init["bias"])

    def __call__(self, x: jax.Array, *, key: jax.Array | None = None) -> jax.Array:
        """Apply the activation elementwise; `key` is ignored."""
        return _layers.star_relu_apply(x, self.scale, self.bias)


class PAU(eqx.Module):
    r"""Padé Activation Unit: a rational function with learnt coefficients (Molina et al., 2020).

    $$f(x) = \frac{a_0 + a_1 x + \dots + a_m x^m}{1 + |b_1|\,|x| + \dots + |b_n|\,|x|^n}$$

    One set of coefficients for the whole input, as in the paper. Computed by
    [`jaxact.pau`](../functions/pau.md).

    Args:
        numerator: initial $a_0, \dots, a_m$ (default `PAU_NUMERATOR`: the authors'
            leaky-ReLU fit, m = 5, listed under [`jaxact.pau`][jaxact.pau]).
        denominator: initial $b_1, \dots, b_n$ (default `PAU_DENOMINATOR`: the same
            fit, n = 4).
        dtype: dtype of the stored coefficients.

    Examples:
        >>> import jax.numpy as jnp
        >>> from jaxact.equinox import PAU
        >>> [round(float(v), 3) for v in PAU()(jnp.array([-2.0, 2.0]))]
        [-0.019, 2.001]
    """

    functions: ClassVar[tuple[str, ...]] = ("pau",)
    """The registered jaxact functions this layer computes; their pages link here."""

    numerator: jax.Array
    """$a_0, \\dots, a_m$: an array of shape `(m + 1,)`."""
    denominator: jax.Array
    """$b_1, \\dots, b_n$: an array of shape `(n,)`."""

    def __init__(
        self,
        numerator: ArrayLike | Sequence[float] = PAU_NUMERATOR,
        denominator: ArrayLike | Sequence[float] = PAU_DENOMINATOR,
        *,
        dtype: DTypeLike | None = None,
    ) -> None:
        init = _layers.pau_init(numerator, denominator)
        self.numerator = _param(init["numerator"], dtype)
        self.denominator = _param(init["denominator"], dtype)

    def __call__(self, x: jax.Array, *, key: jax.Array | None = None) -> jax.Array:
        """Apply the activation elementwise; `key` is ignored."""
        return _layers.pau_apply(x, self.numerator, self.denominator)


class Activation(eqx.Module):
    """Any registered jaxact activation as a layer, e.g. inside `eqx.nn.Sequential`.

    The activation's parameters are fixed at construction (use
    [`PReLU`][jaxact.equinox.PReLU] or [`Swish`][jaxact.equinox.Swish] to learn them); the
    layer has no array fields.

    Args:
        name_or_fn: a registered name or alias (`"gelu"`, `"hard_swish"`) or a jaxact
            function (`jaxact.elu`); see `jaxact.names()`.
        **params: keyword parameters of the activation (`negative_slope=0.1`, `axis=-1`):
            hashable Python values, stored as static fields.

    Raises:
        ValueError: an unknown name (the message suggests close registered names).
        TypeError: a keyword the activation does not take (the message lists those it does),
            or an array as a parameter value.

    Examples:
        >>> import equinox as eqx
        >>> import jax
        >>> from jaxact.equinox import Activation
        >>> model = eqx.nn.Sequential([
        ...     eqx.nn.Linear(2, 4, key=jax.random.key(0)),
        ...     Activation("leaky_relu", negative_slope=0.1),
        ... ])
        >>> model(jax.numpy.ones(2)).shape
        (4,)
        >>> Activation("relu")(jax.numpy.array([-1.0, 2.0]))
        Array([0., 2.], dtype=float32)
    """

    name: str = eqx.field(static=True)
    fn: Callable[..., jax.Array] = eqx.field(static=True)
    # Static so that `jax.jit` (not only `eqx.filter_jit`) sees Python values such as `axis`.
    params: tuple[tuple[str, Any], ...] = eqx.field(static=True)

    def __init__(
        self,
        name_or_fn: str | Callable[..., jax.Array],
        **params: ArrayLike | Sequence[float] | None,
    ) -> None:
        spec = _layers.resolve_activation("Activation", name_or_fn, params)
        self.name = spec.name
        self.fn = spec.fn
        self.params = tuple(sorted(params.items()))

    def __call__(self, x: jax.Array, *, key: jax.Array | None = None) -> jax.Array:
        """Apply the activation with its fixed parameters; `key` is ignored."""
        return self.fn(x, **dict(self.params))
