r"""Flax Linen layers for the activations with learnable (or random) parameters.

The Linen forms of the layers in [`jaxact.flax`](flax.md), for code still written with
`flax.linen`: each is an `nn.Module` dataclass whose fields are its settings, creates its
parameters with `self.param` inside `@nn.compact`, and calls the pure function of the same
name in `jaxact` for the arithmetic. As in `flax.linen`, `param_dtype` is the dtype of the
parameters (float32) and an optional `dtype` that of the computation (`None`: the input's).

| layer | parameters | function |
|---|---|---|
| [`PReLU`][jaxact.flax.linen.PReLU] | `negative_slope` (as `nn.PReLU`) | `jaxact.prelu` |
| [`Swish`][jaxact.flax.linen.Swish] | `beta` (optionally frozen) | `jaxact.silu(x, beta=...)` |
| [`XIELU`][jaxact.flax.linen.XIELU] | `alpha_p`, `alpha_n` (via softplus) | `jaxact.xielu` |
| [`RReLU`][jaxact.flax.linen.RReLU] | none: random slopes (the `"dropout"` rng) | `jaxact.rrelu` |
| [`Maxout`][jaxact.flax.linen.Maxout] | `nn.Dense` `linear`: all pieces | `jaxact.maxout` |
| [`GLU`][jaxact.flax.linen.GLU] | `nn.Dense` `proj_in` and `proj_out` | `jaxact.swiglu`, ... |
| [`DyT`][jaxact.flax.linen.DyT] | `alpha` `()`, `weight` and `bias` per channel | `jaxact.dyt` |
| [`Snake`][jaxact.flax.linen.Snake] | `alpha` `(num_parameters,)` | `jaxact.snake` |
| [`StarReLU`][jaxact.flax.linen.StarReLU] | `scale`, `bias` (or frozen) | `jaxact.star_relu` |
| [`PAU`][jaxact.flax.linen.PAU] | `numerator` `(m + 1,)`, `denominator` `(n,)` | `jaxact.pau` |

Fixed activations need no layer in Linen: call the function (`jaxact.gelu(x)`) inside
`@nn.compact`. Importing this module needs Flax: `pip install "jaxact[flax]"`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, ClassVar

import flax.linen as nn
import jax
import jax.numpy as jnp
from jax.nn.initializers import Initializer
from jax.typing import DTypeLike

from .. import _layers
from .._pau import PAU_DENOMINATOR, PAU_NUMERATOR

__all__ = ["PReLU", "Swish", "XIELU", "RReLU", "Maxout", "GLU", "DyT", "Snake", "StarReLU", "PAU"]


def _constant(value: Any, param_dtype: Any) -> Callable[[jax.Array], jax.Array]:
    """An initialiser for `self.param` that gives `value` (it needs no random key)."""
    return lambda _key: jnp.asarray(value, dtype=param_dtype)


class PReLU(nn.Module):
    r"""Parametric ReLU with a learnt slope (He et al., 2015): a drop-in for `flax.linen.PReLU`.

    $$f(x) = \max(0, x) + \alpha_c \min(0, x)$$

    With the defaults the parameter is `flax.linen.PReLU`'s: named `negative_slope`, shape
    `()`, initial value 0.01 (PyTorch and the NNX layer start from 0.25: pass
    `negative_slope_init=0.25`), so checkpoints of either load into the other.
    `num_parameters=C` learns one slope per channel along `channel_axis` (shape `(C,)`, as
    `torch.nn.PReLU`). Computed by [`jaxact.prelu`](../functions/prelu.md).

    Attributes:
        param_dtype: dtype of the stored slope (float32).
        negative_slope_init: initial value of every slope (0.01, as `flax.linen.PReLU`).
        num_parameters: number of slopes: 1 (a scalar parameter), or the number of channels.
        channel_axis: the axis of the input that holds the channels (`num_parameters > 1`).
        dtype: dtype of the computation; `None` keeps the input's dtype.

    Examples:
        >>> import jax
        >>> import jax.numpy as jnp
        >>> from jaxact.flax.linen import PReLU
        >>> layer = PReLU(num_parameters=3)
        >>> variables = layer.init(jax.random.key(0), jnp.ones((2, 3)))
        >>> variables["params"]["negative_slope"].shape
        (3,)
        >>> layer.apply(variables, jnp.array([[-1.0, -2.0, 3.0]]))
        Array([[-0.01, -0.02,  3.  ]], dtype=float32)
    """

    functions: ClassVar[tuple[str, ...]] = ("prelu",)
    """The registered jaxact functions this layer computes; their pages link here."""

    param_dtype: DTypeLike = jnp.float32
    negative_slope_init: float = 0.01
    num_parameters: int = 1
    channel_axis: int = -1
    dtype: DTypeLike | None = None

    @nn.compact
    def __call__(self, x: jax.Array) -> jax.Array:
        """Apply the activation; any shape whose `channel_axis` has `num_parameters` entries."""
        init = _layers.prelu_init(
            self.num_parameters, self.negative_slope_init, "negative_slope_init"
        )
        slope = self.param("negative_slope", _constant(init["alpha"], self.param_dtype))
        return _layers.prelu_apply(x, slope, self.channel_axis, self.dtype)


class Swish(nn.Module):
    r"""Swish with a learnt (or fixed) $\beta$ (Ramachandran et al., 2017).

    $$f(x) = x\,\sigma(\beta x)$$

    $\beta = 1$ is SiLU. Every real $\beta$ is allowed, as in the NNX layer. With
    `learnable=True` $\beta$ is the parameter `beta` of shape `()`; with `False` it is the
    constant `beta_init` and the layer has no parameters. Computed by
    [`jaxact.silu`](../functions/silu.md) with `beta=...`.

    Attributes:
        beta_init: initial (or fixed) value of $\beta$.
        learnable: store $\beta$ as a parameter.
        param_dtype: dtype of the stored $\beta$.
        dtype: dtype of the computation; `None` keeps the input's dtype.

    Examples:
        >>> import jax
        >>> import jax.numpy as jnp
        >>> from jaxact.flax.linen import Swish
        >>> variables = Swish().init(jax.random.key(0), jnp.ones(2))
        >>> Swish().apply(variables, jnp.array([0.0, 2.0]))
        Array([0. , 1.76159...], dtype=float32)
    """

    functions: ClassVar[tuple[str, ...]] = ("silu",)
    """The registered jaxact functions this layer computes; their pages link here."""

    beta_init: float = 1.0
    learnable: bool = True
    param_dtype: DTypeLike = jnp.float32
    dtype: DTypeLike | None = None

    @nn.compact
    def __call__(self, x: jax.Array) -> jax.Array:
        """Apply the activation elementwise."""
        beta = _layers.swish_init(self.beta_init)["beta"]
        if self.learnable:
            beta = self.param("beta", _constant(beta, self.param_dtype))
        else:
            beta = float(beta)
        return _layers.swish_apply(x, beta, self.dtype)


class XIELU(nn.Module):
    r"""xIELU with learnt $\alpha_p$ and $\alpha_n$ (Huang & Schlag, 2024), as the NNX layer.

    The parameters `alpha_p` and `alpha_n` (shape `()`) are the raw $a_p$, $a_n$:
    $\alpha_p = \operatorname{softplus}(a_p)$, $\alpha_n = \beta + \operatorname{softplus}(a_n)$;
    $\beta$ is fixed. Computed by [`jaxact.xielu`](../functions/xielu.md).

    Attributes:
        alpha_p_init: initial $\alpha_p > 0$.
        alpha_n_init: initial $\alpha_n > \beta$.
        beta: the fixed slope at 0, $\beta \ge 0$.
        param_dtype: dtype of the stored raw parameters.
        dtype: dtype of the computation; `None` keeps the input's dtype.

    Examples:
        >>> import jax
        >>> import jax.numpy as jnp
        >>> from jaxact.flax.linen import XIELU
        >>> variables = XIELU().init(jax.random.key(0), jnp.ones(2))
        >>> XIELU().apply(variables, jnp.array([-2.0, 0.0, 2.0]))
        Array([-0.0917..., 0.       , 4.2...], dtype=float32)
    """

    functions: ClassVar[tuple[str, ...]] = ("xielu",)
    """The registered jaxact functions this layer computes; their pages link here."""

    alpha_p_init: float = 0.8
    alpha_n_init: float = 0.8
    beta: float = 0.5
    param_dtype: DTypeLike = jnp.float32
    dtype: DTypeLike | None = None

    @nn.compact
    def __call__(self, x: jax.Array) -> jax.Array:
        """Apply the activation elementwise."""
        raw = _layers.xielu_init(self.alpha_p_init, self.alpha_n_init, self.beta)
        a_p = self.param("alpha_p", _constant(raw["alpha_p"], self.param_dtype))
        a_n = self.param("alpha_n", _constant(raw["alpha_n"], self.param_dtype))
        return _layers.xielu_apply(x, a_p, a_n, float(self.beta), self.dtype)


class RReLU(nn.Module):
    r"""Randomised leaky ReLU (Xu et al., 2015), random the way `flax.linen.Dropout` is.

    $$f(x) = \begin{cases} x & x \ge 0 \\ a x & x < 0 \end{cases}$$

    In training (`deterministic=False`) each element gets its own slope $a \sim U(l, u)$,
    drawn with a key from `self.make_rng(rng_collection)` (pass
    `rngs={"dropout": key}` to `apply`) or the `rng` given at call time; with
    `deterministic=True` the slope is the mean $(l + u)/2$. As for `nn.Dropout`,
    `deterministic` is a field or a call argument (`nn.merge_param`: exactly one of them).
    Computed by [`jaxact.rrelu`](../functions/rrelu.md); the layer has no parameters.

    Attributes:
        lower: $l$, the least slope drawn (1/8, as `torch.nn.RReLU`).
        upper: $u$, the greatest slope drawn (1/3); `lower <= upper`.
        deterministic: use the mean slope instead of drawing slopes.
        rng_collection: the rng stream the keys come from (`"dropout"`).

    Examples:
        >>> import jax
        >>> import jax.numpy as jnp
        >>> from jaxact.flax.linen import RReLU
        >>> layer = RReLU(deterministic=False)
        >>> y = layer.apply({}, -jnp.ones(4), rngs={"dropout": jax.random.key(0)})
        >>> bool(jnp.all((-1 / 3 <= y) & (y <= -1 / 8)))
        True
        >>> RReLU(deterministic=True).apply({}, -jnp.ones(2))
        Array([-0.22916667, -0.22916667], dtype=float32)
    """

    functions: ClassVar[tuple[str, ...]] = ("rrelu",)
    """The registered jaxact functions this layer computes; their pages link here."""

    lower: float = 1.0 / 8.0
    upper: float = 1.0 / 3.0
    deterministic: bool | None = None
    rng_collection: str = "dropout"

    @nn.compact
    def __call__(
        self, x: jax.Array, deterministic: bool | None = None, rng: jax.Array | None = None
    ) -> jax.Array:
        """Apply the activation: random slopes unless `deterministic`."""
        lower, upper = _layers.rrelu_bounds(self.lower, self.upper)
        deterministic = nn.merge_param("deterministic", self.deterministic, deterministic)
        if deterministic:
            return _layers.rrelu_apply(x, None, lower, upper)
        if rng is None:
            rng = self.make_rng(self.rng_collection)
        return _layers.rrelu_apply(x, rng, lower, upper)


class Maxout(nn.Module):
    r"""Maxout layer: the maximum of `num_pieces` affine maps (Goodfellow et al., 2013).

    $$f(x)_j = \max_{k = 1}^{K} \left(x W_{jk} + b_{jk}\right)$$

    One `nn.Dense` named `linear` computes all $K$ maps of every output (kernel shape
    `(in_features, features * num_pieces)`, the input size inferred as Linen does) and
    [`jaxact.maxout`](../functions/maxout.md) takes the maximum over each group of
    `num_pieces`.

    Attributes:
        features: size of the output's last axis.
        num_pieces: $K$, the number of affine pieces per output.
        use_bias: add the biases $b_{jk}$.
        dtype: dtype of the computation; `None` infers it from input and parameters.
        param_dtype: dtype of the kernel and bias.
        kernel_init: initializer of the kernel (LeCun normal, as `nn.Dense`).
        bias_init: initializer of the bias (zeros).

    Examples:
        >>> import jax
        >>> import jax.numpy as jnp
        >>> from jaxact.flax.linen import Maxout
        >>> layer = Maxout(features=3, num_pieces=5)
        >>> variables = layer.init(jax.random.key(0), jnp.ones((8, 4)))
        >>> variables["params"]["linear"]["kernel"].shape
        (4, 15)
    """

    functions: ClassVar[tuple[str, ...]] = ("maxout",)
    """The registered jaxact functions this layer computes; their pages link here."""

    features: int
    num_pieces: int
    use_bias: bool = True
    dtype: DTypeLike | None = None
    param_dtype: DTypeLike = jnp.float32
    kernel_init: Initializer = nn.initializers.lecun_normal()
    bias_init: Initializer = nn.initializers.zeros_init()

    @nn.compact
    def __call__(self, x: jax.Array) -> jax.Array:
        """Map `(..., in_features)` to `(..., features)`."""
        _, width = _layers.maxout_sizes(
            jnp.shape(x)[-1], self.features, self.num_pieces, "features"
        )
        linear = nn.Dense(
            width,
            use_bias=self.use_bias,
            dtype=self.dtype,
            param_dtype=self.param_dtype,
            kernel_init=self.kernel_init,
            bias_init=self.bias_init,
            name="linear",
        )
        return _layers.maxout_apply(linear, x, int(self.num_pieces))


class GLU(nn.Module):
    r"""Gated feed-forward block of a Transformer (Shazeer, 2020).

    $$\operatorname{FFN}(x) = \bigl(x V \odot g(x W)\bigr)\, W_\text{out}$$

    with the gate nonlinearity $g$ chosen by `variant`: `"swiglu"`, `"geglu"`, `"reglu"` or
    `"glu"`. The `nn.Dense` named `proj_in` computes $[xV, xW]$ (size
    `2 * hidden_features`), the jaxact function of the same name (e.g.
    [`jaxact.swiglu`](../functions/swiglu.md)) gates it, and `proj_out` maps back to
    `out_features` (default: the input's size). No biases unless `use_bias=True`.

    Attributes:
        hidden_features: width of the gated hidden layer.
        variant: one of `"swiglu"`, `"geglu"`, `"reglu"`, `"glu"`.
        out_features: size of the output's last axis (`None`: the input's).
        use_bias: add biases to both projections.
        dtype: dtype of the computation; `None` infers it from input and parameters.
        param_dtype: dtype of the kernels and biases.
        kernel_init: initializer of both kernels (LeCun normal).
        bias_init: initializer of both biases (zeros).

    Examples:
        >>> import jax
        >>> import jax.numpy as jnp
        >>> from jaxact.flax.linen import GLU
        >>> block = GLU(hidden_features=32, variant="geglu")
        >>> variables = block.init(jax.random.key(0), jnp.ones((2, 8)))
        >>> variables["params"]["proj_in"]["kernel"].shape
        (8, 64)
        >>> block.apply(variables, jnp.ones((2, 8))).shape
        (2, 8)
    """

    functions: ClassVar[tuple[str, ...]] = _layers.GLU_VARIANTS
    """The registered jaxact functions this layer computes; their pages link here."""

    hidden_features: int
    variant: str = "swiglu"
    out_features: int | None = None
    use_bias: bool = False
    dtype: DTypeLike | None = None
    param_dtype: DTypeLike = jnp.float32
    kernel_init: Initializer = nn.initializers.lecun_normal()
    bias_init: Initializer = nn.initializers.zeros_init()

    @nn.compact
    def __call__(self, x: jax.Array) -> jax.Array:
        """Map `(..., in_features)` to `(..., out_features)`."""
        (_, width_in), (_, out) = _layers.glu_sizes(
            self.variant, jnp.shape(x)[-1], self.hidden_features, self.out_features
        )
        common = dict(
            use_bias=self.use_bias,
            dtype=self.dtype,
            param_dtype=self.param_dtype,
            kernel_init=self.kernel_init,
            bias_init=self.bias_init,
        )
        proj_in = nn.Dense(width_in, name="proj_in", **common)
        proj_out = nn.Dense(out, name="proj_out", **common)
        return _layers.glu_apply(proj_in, proj_out, x, self.variant)


class DyT(nn.Module):
    r"""Dynamic Tanh (Zhu et al., 2025), in place of `nn.LayerNorm`.

    $$f(x) = \gamma_c \tanh(\alpha x) + \beta_c$$

    Parameters `alpha` (shape `()`, initial `alpha_init`), `weight` $\gamma$ (ones) and `bias`
    $\beta$ (zeros), the last two of the size of the input's `channel_axis` (inferred at
    `init`, as `nn.LayerNorm` infers its features). Computed by
    [`jaxact.dyt`](../functions/dyt.md).

    Attributes:
        alpha_init: initial $\alpha$ (0.5, the paper's default for non-language models).
        channel_axis: the axis of the input that holds the channels (`-1`).
        param_dtype: dtype of the stored parameters (float32).
        dtype: dtype of the computation; `None` keeps the input's dtype.

    Examples:
        >>> import jax
        >>> import jax.numpy as jnp
        >>> from jaxact.flax.linen import DyT
        >>> variables = DyT().init(jax.random.key(0), jnp.ones((2, 3)))
        >>> jax.tree.map(jnp.shape, variables["params"])
        {'alpha': (), 'bias': (3,), 'weight': (3,)}
        >>> DyT().apply(variables, jnp.array([[-2.0, 0.0, 2.0]]))
        Array([[-0.7615942,  0.       ,  0.7615942]], dtype=float32)
    """

    functions: ClassVar[tuple[str, ...]] = ("dyt",)
    """The registered jaxact functions this layer computes; their pages link here."""

    alpha_init: float = 0.5
    channel_axis: int = -1
    param_dtype: DTypeLike = jnp.float32
    dtype: DTypeLike | None = None

    @nn.compact
    def __call__(self, x: jax.Array) -> jax.Array:
        """Apply the layer; the channel axis has the size it had at `init`."""
        init = _layers.dyt_init(jnp.shape(x)[self.channel_axis], self.alpha_init)
        alpha = self.param("alpha", _constant(init["alpha"], self.param_dtype))
        weight = self.param("weight", _constant(init["weight"], self.param_dtype))
        bias = self.param("bias", _constant(init["bias"], self.param_dtype))
        return _layers.dyt_apply(x, alpha, weight, bias, self.channel_axis, self.dtype)


class Snake(nn.Module):
    r"""Snake with a learnt frequency, shared or one per channel (Ziyin et al., 2020), as
    BigVGAN uses it.

    $$f(x) = x + \frac{\sin^2(\alpha_c x)}{\alpha_c}$$

    The parameter `alpha` has shape `(num_parameters,)`: one frequency for the whole input, or
    one per channel along `channel_axis`. Any real $\alpha$ is allowed, 0 included (the limit
    $x$). Computed by [`jaxact.snake`](../functions/snake.md).

    Attributes:
        num_parameters: number of frequencies: 1, or the number of channels.
        alpha_init: initial value of every $\alpha$ (1.0, as BigVGAN).
        channel_axis: the axis of the input that holds the channels (`-1`).
        param_dtype: dtype of the stored $\alpha$ (float32).
        dtype: dtype of the computation; `None` keeps the input's dtype.

    Examples:
        >>> import jax
        >>> import jax.numpy as jnp
        >>> from jaxact.flax.linen import Snake
        >>> layer = Snake(num_parameters=2)
        >>> variables = layer.init(jax.random.key(0), jnp.ones((1, 2)))
        >>> layer.apply(variables, jnp.array([[0.0, 1.0]]))
        Array([[0.       , 1.7080734]], dtype=float32)
    """

    functions: ClassVar[tuple[str, ...]] = ("snake",)
    """The registered jaxact functions this layer computes; their pages link here."""

    num_parameters: int = 1
    alpha_init: float = 1.0
    channel_axis: int = -1
    param_dtype: DTypeLike = jnp.float32
    dtype: DTypeLike | None = None

    @nn.compact
    def __call__(self, x: jax.Array) -> jax.Array:
        """Apply the activation; any shape whose `channel_axis` has `num_parameters` entries."""
        init = _layers.snake_init(self.num_parameters, self.alpha_init)
        alpha = self.param("alpha", _constant(init["alpha"], self.param_dtype))
        return _layers.snake_apply(x, alpha, self.channel_axis, self.dtype)


class StarReLU(nn.Module):
    r"""StarReLU with a learnt scale and shift (Yu et al., 2023).

    $$f(x) = s \max(0, x)^2 + b$$

    With `learnable=True` the parameters `scale` and `bias` (shape `()`, initialised to the
    paper's 0.8944 and −0.4472); with `False` the constants `scale_init`, `bias_init` and no
    parameters. Computed by [`jaxact.star_relu`](../functions/star_relu.md).

    Attributes:
        scale_init: initial (or fixed) $s$.
        bias_init: initial (or fixed) $b$.
        learnable: store $s$ and $b$ as parameters.
        param_dtype: dtype of the stored parameters (float32).
        dtype: dtype of the computation; `None` keeps the input's dtype.

    Examples:
        >>> import jax
        >>> import jax.numpy as jnp
        >>> from jaxact.flax.linen import StarReLU
        >>> variables = StarReLU().init(jax.random.key(0), jnp.ones(2))
        >>> StarReLU().apply(variables, jnp.array([-1.0, 1.0]))
        Array([-0.4472136,  0.4472136], dtype=float32)
    """

    functions: ClassVar[tuple[str, ...]] = ("star_relu",)
    """The registered jaxact functions this layer computes; their pages link here."""

    scale_init: float = 2 / math.sqrt(5)
    bias_init: float = -1 / math.sqrt(5)
    learnable: bool = True
    param_dtype: DTypeLike = jnp.float32
    dtype: DTypeLike | None = None

    @nn.compact
    def __call__(self, x: jax.Array) -> jax.Array:
        """Apply the activation elementwise."""
        init = _layers.star_relu_init(self.scale_init, self.bias_init)
        if self.learnable:
            scale = self.param("scale", _constant(init["scale"], self.param_dtype))
            bias = self.param("bias", _constant(init["bias"], self.param_dtype))
        else:
            scale, bias = float(init["scale"]), float(init["bias"])
        return _layers.star_relu_apply(x, scale, bias, self.dtype)


class PAU(nn.Module):
    r"""Padé Activation Unit: a rational function with learnt coefficients (Molina et al., 2020).

    $$f(x) = \frac{a_0 + a_1 x + \dots + a_m x^m}{1 + |b_1|\,|x| + \dots + |b_n|\,|x|^n}$$

    The parameters `numerator` (shape `(m + 1,)`) and `denominator` (shape `(n,)`) are one set
    for the whole input, as in the paper. Computed by [`jaxact.pau`](../functions/pau.md).

    Attributes:
        numerator_init: initial $a_0, \dots, a_m$ (default `PAU_NUMERATOR`: the authors'
            leaky-ReLU fit, listed under [`jaxact.pau`][jaxact.pau]).
        denominator_init: initial $b_1, \dots, b_n$ (default `PAU_DENOMINATOR`: the same
            fit).
        param_dtype: dtype of the stored coefficients.
        dtype: dtype of the computation; `None` keeps the input's dtype.

    Examples:
        >>> import jax
        >>> import jax.numpy as jnp
        >>> from jaxact.flax.linen import PAU
        >>> variables = PAU().init(jax.random.key(0), jnp.ones(2))
        >>> [round(float(v), 3) for v in PAU().apply(variables, jnp.array([-2.0, 2.0]))]
        [-0.019, 2.001]
    """

    functions: ClassVar[tuple[str, ...]] = ("pau",)
    """The registered jaxact functions this layer computes; their pages link here."""

    numerator_init: tuple[float, ...] = PAU_NUMERATOR
    denominator_init: tuple[float, ...] = PAU_DENOMINATOR
    param_dtype: DTypeLike = jnp.float32
    dtype: DTypeLike | None = None

    @nn.compact
    def __call__(self, x: jax.Array) -> jax.Array:
        """Apply the activation elementwise."""
        init = _layers.pau_init(self.numerator_init, self.denominator_init)
        a = self.param("numerator", _constant(init["numerator"], self.param_dtype))
        b = self.param("denominator", _constant(init["denominator"], self.param_dtype))
        return _layers.pau_apply(x, a, b, self.dtype)
