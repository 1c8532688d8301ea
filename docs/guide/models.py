# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Using jaxact in models
#
# Most activations have no parameters: pass the function itself wherever a model expects a
# callable. Four kinds of activation learn something, and need a place in the model to keep it:
#
# | layer | learns | computed by |
# |---|---|---|
# | `PReLU` | the negative slope $\alpha$, shared or one per channel | [prelu][prelu] |
# | `Swish` | $\beta$ in $x\,\sigma(\beta x)$ | [silu][silu] |
# | `Maxout` | $k$ affine maps whose maximum is the output | [maxout][maxout] |
# | `GLU` | the projections of a gated feed-forward block | [swiglu][swiglu] and family |
# | `RReLU` | nothing, but draws a random slope per element in training | [rrelu][rrelu] |
# | `Activation` | nothing: any jaxact function, with fixed parameters, as a layer | any |
#
# [prelu]: ../../functions/prelu/
# [silu]: ../../functions/silu/
# [maxout]: ../../functions/maxout/
# [swiglu]: ../../functions/swiglu/
# [rrelu]: ../../functions/rrelu/
#
# Each comes for [Flax NNX](../../api/flax/) (`jaxact.flax`), for
# [Flax Linen](../../api/flax_linen/) (`jaxact.flax.linen`) and for
# [Equinox](../../api/equinox/) (`jaxact.equinox`). The layers hold parameters the way their
# library does and leave the arithmetic to the jaxact function, so a layer computes exactly what
# the function's page documents. Install the library you use with its extra:
# `pip install "jaxact[flax]"` or `pip install "jaxact[equinox]"`.
#
# This page trains small classifiers on two interleaved spirals, first with Flax, then with
# Equinox.

# %%
import tempfile
from pathlib import Path

import equinox as eqx
import flax.linen as nn
import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt
import numpy as np
import optax
from flax import nnx

import jaxact
import jaxact.equinox as je
import jaxact.flax as jf
import jaxact.flax.linen as jl

rng = np.random.default_rng(0)
t = np.sqrt(rng.uniform(0.0, 1.0, 256)) * 3.0 * np.pi
arm = np.stack([t * np.cos(t), t * np.sin(t)], axis=1) / (3.0 * np.pi)
noise = 0.04 * rng.standard_normal((512, 2))
x = jnp.asarray(np.concatenate([arm, -arm]) + noise, jnp.float32)
y = jnp.asarray(np.repeat([0.0, 1.0], 256), jnp.float32)

fig, ax = plt.subplots(figsize=(3.5, 3.5))
ax.scatter(*x.T, c=y, s=6, cmap="coolwarm")
ax.set_aspect("equal")
ax.set_title("two spirals")
plt.show()

# %% [markdown]
# ## Flax NNX
#
# ### PReLU with one learnt slope per channel
#
# `jf.PReLU(num_parameters)` stores its slopes as an `nnx.Param` of shape `(num_parameters,)`,
# all starting at 0.25 as in PyTorch and Equinox. Flax is channels-last, so the slopes apply
# along the last axis (`channel_axis=-1`); with one parameter a single slope is shared, stored
# as a scalar (shape `()`) as `nnx.PReLU` stores it.

# %%
model = nnx.Sequential(
    nnx.Linear(2, 32, rngs=nnx.Rngs(0)),
    jf.PReLU(32),
    nnx.Linear(32, 32, rngs=nnx.Rngs(1)),
    jf.PReLU(32),
    nnx.Linear(32, 1, rngs=nnx.Rngs(2)),
)
print(model.layers[1].alpha.shape, model.layers[1].alpha[...][:4])


# %% [markdown]
# A standard NNX training loop: `nnx.Optimizer` over the `nnx.Param`s, one jitted step.


# %%
def loss_fn(model, x, y):
    logits = model(x)[:, 0]
    return optax.sigmoid_binary_cross_entropy(logits, y).mean()


@nnx.jit
def train_step(model, optimizer, x, y):
    loss, grads = nnx.value_and_grad(loss_fn)(model, x, y)
    optimizer.update(model, grads)
    return loss


@nnx.jit
def predict(model, x):
    return model(x)


def summary(losses, logits):
    accuracy = float(jnp.mean((logits[:, 0] > 0) == (y > 0.5)))
    print(f"loss {losses[0]:.3f} -> {losses[-1]:.3f}, accuracy {accuracy:.1%}")


def fit(model, steps=250):
    optimizer = nnx.Optimizer(model, optax.adam(1e-2), wrt=nnx.Param)
    return [float(train_step(model, optimizer, x, y)) for _ in range(steps)]


prelu_losses = fit(model)
summary(prelu_losses, predict(model, x))

# %% [markdown]
# The slopes moved away from 0.25, each channel its own way:

# %%
fig, ax = plt.subplots(figsize=(5, 2.5))
for i, label in ((1, "layer 1"), (3, "layer 2")):
    slopes = np.asarray(model.layers[i].alpha[...])
    ax.hist(slopes, bins=16, alpha=0.7, label=label)
ax.axvline(0.25, color="grey", lw=1, ls="--", label="initial value")
ax.set_xlabel(r"learnt slope $\alpha$")
ax.legend()
plt.show()

# %% [markdown]
# ### Swish with a learnt beta and any function as a layer
#
# `jf.Swish()` learns $\beta$ (`learnable=False` freezes it). `jf.Activation` turns any
# registered function into a layer, by name, alias or the function itself, with its parameters
# fixed. (A plain function such as `jaxact.tanh` also works directly in `nnx.Sequential`;
# `eqx.nn.Sequential` passes a `key` to each layer, which `je.Activation` accepts.)

# %%
model = nnx.Sequential(
    nnx.Linear(2, 32, rngs=nnx.Rngs(0)),
    jf.Swish(beta_init=1.0),
    nnx.Linear(32, 32, rngs=nnx.Rngs(1)),
    jf.Activation("leaky_relu", negative_slope=0.1),
    nnx.Linear(32, 1, rngs=nnx.Rngs(2)),
)
swish_losses = fit(model)
summary(swish_losses, predict(model, x))
print(f"learnt beta: {float(model.layers[1].beta[...]):.3f}")

# %% [markdown]
# Unknown names fail early, with suggestions:

# %%
names = jaxact.names()
print(len(names), "registered activations, e.g.", ", ".join(names[:4]))
try:
    jf.Activation("leaky_rleu")
except ValueError as err:
    print(str(err).split(" Known names")[0])  # then the list of all names

# %% [markdown]
# ### A gated feed-forward block in bfloat16
#
# `jf.GLU(in_features, hidden_features, variant)` is the feed-forward block of Shazeer (2020):
# $\bigl(xV \odot g(xW)\bigr) W_\text{out}$ with $g$ = SiLU (`"swiglu"`), GELU (`"geglu"`),
# ReLU (`"reglu"`) or the sigmoid (`"glu"`), without biases; the gates are the functions
# [swiglu](../../functions/swiglu/), [geglu](../../functions/geglu/),
# [reglu](../../functions/reglu/) and [glu](../../functions/glu/). As in `nnx.Linear`, `dtype` sets
# the dtype of the computation and `param_dtype` that of the stored parameters: below the
# activations are bfloat16 while the optimiser updates float32 parameters.


# %%
class Block(nnx.Module):
    """A pre-norm residual feed-forward block, as in a Transformer layer."""

    def __init__(self, width, variant, *, rngs):
        self.norm = nnx.LayerNorm(width, dtype=jnp.bfloat16, rngs=rngs)
        self.ffn = jf.GLU(
            width,
            2 * width,
            variant=variant,
            dtype=jnp.bfloat16,
            rngs=rngs,
        )

    def __call__(self, h):
        return h + self.ffn(self.norm(h))


rngs = nnx.Rngs(0)
model = nnx.Sequential(
    nnx.Linear(2, 32, dtype=jnp.bfloat16, rngs=rngs),
    Block(32, "swiglu", rngs=rngs),
    nnx.Linear(32, 1, dtype=jnp.bfloat16, rngs=rngs),
)
glu_losses = fit(model)
print(
    "activations:",
    predict(model, x).dtype,
    " parameters:",
    model.layers[1].ffn.proj_in.kernel.dtype,
)
summary(glu_losses, predict(model, x))

# %% [markdown]
# ### Saving and restoring a Flax model
#
# The parameters are ordinary NNX state: `nnx.state` takes them out (here as NumPy arrays, what
# a checkpoint would hold) and `nnx.update` puts them into a freshly built model.

# %%
saved = jax.tree.map(np.asarray, nnx.state(model))
fresh = nnx.Sequential(
    nnx.Linear(2, 32, dtype=jnp.bfloat16, rngs=nnx.Rngs(9)),
    Block(32, "swiglu", rngs=nnx.Rngs(9)),
    nnx.Linear(32, 1, dtype=jnp.bfloat16, rngs=nnx.Rngs(9)),
)
nnx.update(fresh, saved)
print(
    "restored model gives the same output:",
    bool(jnp.array_equal(predict(fresh, x), predict(model, x))),
)

# %% [markdown]
# ### Flax Linen, with a randomised leaky ReLU
#
# Code written with `flax.linen` gets the same layers from `jaxact.flax.linen`: settings are
# dataclass fields, parameters live in the `params` collection that `init` returns. Its `PReLU`
# is a drop-in for `flax.linen.PReLU` (a scalar `negative_slope` starting at 0.01, unless told
# otherwise). `RReLU` draws a slope per element from the `"dropout"` rng in training, as
# `nn.Dropout` draws its mask, and uses the mean slope when `deterministic`.


# %%
class LinenMLP(nn.Module):
    @nn.compact
    def __call__(self, x, train: bool):
        prelu = jl.PReLU(num_parameters=32, negative_slope_init=0.25)
        x = prelu(nn.Dense(32)(x))
        x = jl.RReLU(deterministic=not train)(nn.Dense(32)(x))
        return nn.Dense(1)(x)


linen_model = LinenMLP()
params = linen_model.init(jax.random.key(0), x, train=False)["params"]
print(jax.tree.map(jnp.shape, params["PReLU_0"]))
print("RReLU has no parameters:", "RReLU_0" not in params)
adam = optax.adam(1e-2)


@jax.jit
def linen_step(params, opt_state, key):
    def loss(p):
        rngs = {"dropout": key}
        logits = linen_model.apply({"params": p}, x, train=True, rngs=rngs)
        return optax.sigmoid_binary_cross_entropy(logits[:, 0], y).mean()

    value, grads = jax.value_and_grad(loss)(params)
    updates, opt_state = adam.update(grads, opt_state)
    return optax.apply_updates(params, updates), opt_state, value


opt_state, linen_losses = adam.init(params), []
# fresh slopes at every step
for step_key in jax.random.split(jax.random.key(1), 250):
    params, opt_state, value = linen_step(params, opt_state, step_key)
    linen_losses.append(float(value))
summary(linen_losses, linen_model.apply({"params": params}, x, train=False))

# %% [markdown]
# ## Equinox
#
# The Equinox layers are `eqx.Module`s: their array fields are the parameters, they act on one
# example (`jax.vmap` makes a batch), and they accept the `key` that `eqx.nn.Sequential` passes.
#
# ### Maxout
#
# `je.Maxout(in_features, out_features, num_pieces)` is Goodfellow et al.'s layer: one
# `eqx.nn.Linear` computes `num_pieces` affine maps for every output and
# [maxout](../../functions/maxout/) keeps the largest. A maxout network learns its own
# piecewise-linear activation.

# %%
keys = jax.random.split(jax.random.key(0), 3)
model = eqx.nn.Sequential(
    [
        je.Maxout(2, 32, num_pieces=3, key=keys[0]),
        je.Maxout(32, 32, num_pieces=3, key=keys[1]),
        eqx.nn.Linear(32, 1, key=keys[2]),
    ]
)
# (out_features * num_pieces, in_features):
print(model.layers[0].linear.weight.shape)


# %% [markdown]
# The usual Equinox loop: `eqx.filter_value_and_grad` differentiates with respect to the
# floating-point arrays of the model, optax updates them.


# %%
@eqx.filter_jit
def eqx_predict(model, x):
    return jax.vmap(model)(x)


def eqx_loss(model, x, y):
    logits = jax.vmap(model)(x)[:, 0]
    return optax.sigmoid_binary_cross_entropy(logits, y).mean()


def eqx_fit(model, steps=250):
    optimizer = optax.adam(1e-2)
    state = optimizer.init(eqx.filter(model, eqx.is_inexact_array))

    @eqx.filter_jit
    def step(model, state):
        loss, grads = eqx.filter_value_and_grad(eqx_loss)(model, x, y)
        params = eqx.filter(model, eqx.is_inexact_array)
        updates, state = optimizer.update(grads, state, params)
        return eqx.apply_updates(model, updates), state, loss

    losses = []
    for _ in range(steps):
        model, state, loss = step(model, state)
        losses.append(float(loss))
    return model, losses


model, maxout_losses = eqx_fit(model)
logits = eqx_predict(model, x)
summary(maxout_losses, logits)

# %% [markdown]
# ### Layers in an Equinox Sequential
#
# `je.PReLU` follows `eqx.nn.PReLU` (and gives the same numbers for the same slopes), with a
# `num_parameters` that fixes the number of slopes, as `torch.nn.PReLU` does. Its
# `channel_axis` defaults to the last axis; use `channel_axis=0` for the channels-first arrays
# of `eqx.nn.Conv2d`.

# %%
keys = jax.random.split(jax.random.key(1), 3)
model = eqx.nn.Sequential(
    [
        eqx.nn.Linear(2, 32, key=keys[0]),
        je.PReLU(32),
        eqx.nn.Linear(32, 32, key=keys[1]),
        je.Swish(),
        je.Activation("hard_tanh"),
        eqx.nn.Linear(32, 1, key=keys[2]),
    ]
)
model, eqx_losses = eqx_fit(model)
logits = eqx_predict(model, x)
summary(eqx_losses, logits)
beta = float(model.layers[3].beta)
slopes = ", ".join(f"{a:.3f}" for a in model.layers[1].alpha[:4])
print(f"learnt beta {beta:.3f}, slopes {slopes}")

# %% [markdown]
# ### Saving and restoring an Equinox model
#
# `eqx.tree_serialise_leaves` writes the arrays; `eqx.tree_deserialise_leaves` reads them into
# a model of the same structure.

# %%
with tempfile.TemporaryDirectory() as tmp:
    path = Path(tmp) / "model.eqx"
    eqx.tree_serialise_leaves(path, model)
    like = eqx.nn.Sequential(
        [
            eqx.nn.Linear(2, 32, key=keys[2]),
            je.PReLU(32),
            eqx.nn.Linear(32, 32, key=keys[0]),
            je.Swish(),
            je.Activation("hard_tanh"),
            eqx.nn.Linear(32, 1, key=keys[1]),
        ]
    )
    restored = eqx.tree_deserialise_leaves(path, like)
print("restored:", bool(jnp.array_equal(eqx_predict(restored, x), logits)))

# %% [markdown]
# ## Training curves

# %%
fig, ax = plt.subplots(figsize=(6, 3))
for label, losses in [
    ("Flax: PReLU", prelu_losses),
    ("Flax: Swish + leaky ReLU", swish_losses),
    ("Flax: SwiGLU block (bf16)", glu_losses),
    ("Flax Linen: PReLU + RReLU", linen_losses),
    ("Equinox: Maxout", maxout_losses),
    ("Equinox: PReLU + Swish", eqx_losses),
]:
    ax.plot(losses, label=label, lw=1.2)
ax.set_xlabel("step")
ax.set_ylabel("cross-entropy")
ax.set_yscale("log")
ax.legend(fontsize=8)
plt.show()
