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
# # Vanishing and exploding gradients
#
# A 30-layer MLP (width 64) at initialisation, a mean-squared loss on random targets: how large
# is the gradient of each layer's weights? Each activation gets the initialisation it is meant
# for: Glorot for [sigmoid](../../functions/sigmoid/) and [tanh](../../functions/tanh/),
# He for [relu](../../functions/relu/) and [gelu](../../functions/gelu/), LeCun for
# [selu](../../functions/selu/). The second half multiplies those weights by a gain and shows
# the gradients (and relu's activations) exploding.
#
# Runs with `pip install jaxact matplotlib`.

# %% [markdown]
# ## The code
#
# The three initialisations differ only in the variance of the Gaussian weights: 2 / fan-in
# (He), 1 / fan-in (LeCun), 2 / (fan-in + fan-out) (Glorot).

# %% tags=["helpers"]
import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt
import numpy as np

import jaxact

VARIANCE = {
    "he": lambda n_in, n_out: 2.0 / n_in,
    "lecun": lambda n_in, n_out: 1.0 / n_in,
    "glorot": lambda n_in, n_out: 2.0 / (n_in + n_out),
}


def init_mlp(key, sizes, init):
    """Gaussian weights with the named variance, zero biases."""
    params = []
    keys = jax.random.split(key, len(sizes) - 1)
    for k, n_in, n_out in zip(keys, sizes[:-1], sizes[1:], strict=True):
        scale = np.float32(np.sqrt(VARIANCE[init](n_in, n_out)))
        w = jax.random.normal(k, (n_in, n_out)) * scale
        params.append((w, jnp.zeros((n_out,))))
    return params


def apply_mlp(params, x, act):
    """`act` after every layer except the last (a linear read-out)."""
    for w, b in params[:-1]:
        x = act(x @ w + b)
    w, b = params[-1]
    return x @ w + b


def deep_regression(init, gain, depth, width, n, seed):
    """A `depth`-layer MLP, its weights (the named initialisation) times
    `gain`; Gaussian inputs and random regression targets."""
    kp, kx, ky = jax.random.split(jax.random.key(seed), 3)
    params = init_mlp(kp, [width] * depth + [1], init)
    params = [(w * np.float32(gain), b) for w, b in params]
    x = jax.random.normal(kx, (n, width))
    return params, x, jax.random.normal(ky, (n, 1))


def gradient_norms(act, init, gain=1.0, depth=30, width=64, n=256, seed=0):
    """Norm of the loss gradient for each layer's weights, at
    initialisation (index 0: the input layer)."""
    params, x, t = deep_regression(init, gain, depth, width, n, seed)

    def loss(p):
        return jnp.mean((apply_mlp(p, x, act) - t) ** 2)

    grads = jax.grad(loss)(params)
    return np.array([float(jnp.linalg.norm(w)) for w, _ in grads])


def hidden_rms(act, init, gain=1.0, depth=30, width=64, n=256, seed=0):
    """Root mean square of each hidden layer's output, for the network
    of `gradient_norms`."""
    params, x, _ = deep_regression(init, gain, depth, width, n, seed)
    rms = []
    for w, b in params[:-1]:
        x = act(x @ w + b)
        rms.append(float(jnp.sqrt(jnp.mean(x**2))))
    return np.array(rms)


# %% [markdown]
# ## The experiment

# %%
SETUPS = [
    ("sigmoid", "glorot"),
    ("tanh", "glorot"),
    ("relu", "he"),
    ("gelu", "he"),
    ("selu", "lecun"),
]
norms = {
    a: gradient_norms(getattr(jaxact, a), init, depth=30)
    for a, init in SETUPS
}
print(f"{'':8s} {'first layer':>11s} {'last layer':>11s} {'ratio':>11s}")
for a, g in norms.items():
    print(f"{a:8s} {g[0]:11.3e} {g[-1]:11.3e} {g[0] / g[-1]:11.3e}")

# %%
fig, ax = plt.subplots(figsize=(7, 4))
for (a, init), marker in zip(SETUPS, "osD^v", strict=False):
    # An underflowed 0 is drawn at the bottom, not dropped, and says so.
    g = np.maximum(norms[a], 1e-45)
    layers = np.arange(1, len(g) + 1)
    ax.semilogy(layers, g, marker=marker, ms=3, label=f"{a} ({init})")
    for layer in layers[norms[a] == 0]:
        ax.annotate("0 (underflow)", (layer, 1e-45), xytext=(6, 0),
                    textcoords="offset points", va="center", fontsize=9)
ax.set_xlabel("layer (1 = input side)")
ax.set_ylabel("gradient norm of the layer's weights")
ax.set_title("Gradient norm per layer at initialisation, depth 30")
ax.legend()
ax.grid(alpha=0.3)

# %% [markdown]
# Read the printed norms. With sigmoid the gradient shrinks by a large factor at every layer
# (σ′ ≤ 1/4 and its outputs are not centred), so the first layers receive nothing useful — in
# float32 the first-layer gradient even underflows to exactly 0. relu with He, tanh with Glorot
# and selu with LeCun keep the first-layer gradient within a small factor of the last layer's
# across all 30 layers. gelu with He initialisation (the scale derived for relu) has gradients
# far smaller than relu's everywhere, because its forward signal shrinks layer by layer: the
# initialisation a smooth activation needs is not exactly relu's. The test asserts that
# sigmoid's first-layer gradient is at least 10³ times smaller than relu's.

# %% [markdown]
# ## Exploding: the same networks with larger initial weights
#
# Nothing above explodes, because every activation got the scale it is meant for. Multiply
# those weights by a `gain` and the picture changes. [relu](../../functions/relu/) is
# unbounded and positively homogeneous (relu(g·z) = g·relu(z) for g > 0), so with zero biases
# every layer multiplies the signal by about the gain: 30 layers turn a gain of 1.5 into a
# factor of about 1.5³⁰ ≈ 2·10⁵ on the activations, and the gradients grow with them. A gain
# of 0.5 shrinks both, by about 2³⁰ ≈ 10⁹. A bounded activation cannot blow up its
# outputs: [tanh](../../functions/tanh/) with 4 times the Glorot weights keeps every hidden
# output in (−1, 1), yet its gradients still grow layer by layer towards the input.

# %%
BLOWUP = [
    ("relu", "he", 0.5),
    ("relu", "he", 1.0),
    ("relu", "he", 1.5),
    ("tanh", "glorot", 4.0),
]
print(f"{'last hidden rms':>33} {'grad first':>10} {'grad last':>10}")
grads = {}
for a, init, gain in BLOWUP:
    act = getattr(jaxact, a)
    g = grads[a, gain] = gradient_norms(act, init, gain=gain, depth=30)
    rms = hidden_rms(act, init, gain=gain, depth=30)[-1]
    print(f"{a} {init:6s} x {gain:<4} {rms:15.3e} {g[0]:10.3e} {g[-1]:10.3e}")

# %%
fig, ax = plt.subplots(figsize=(7, 4))
for (a, gain), marker in zip(grads, "osD^", strict=False):
    g = np.maximum(grads[a, gain], 1e-45)
    layers = np.arange(1, len(g) + 1)
    ax.semilogy(layers, g, marker=marker, ms=3, label=f"{a}, gain {gain}")
ax.set_xlabel("layer (1 = input side)")
ax.set_ylabel("gradient norm of the layer's weights")
ax.set_title("Initial weights times a gain, depth 30")
ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1))  # beside the curves
ax.grid(alpha=0.3)

# %% [markdown]
# With relu the gain alone decides: below 1 the signal and the gradients vanish, above 1 they
# explode (a gradient step of that size throws the weights far away; in float32 a larger gain
# or more layers overflows to inf). tanh's outputs stay bounded, but its gradient still grows
# towards the input: at each layer the large weights multiply the gradient by more than
# tanh′ ≤ 1 takes away. The remedies are the ones above (the initial scale the activation is
# meant for), normalisation layers, residual connections and gradient clipping. The tests
# assert these directions: relu's gradient and activations up by ≥ 10⁴ at gain 1.5 and down by
# ≥ 10⁴ at gain 0.5; tanh's first-layer gradient ≥ 10³ times its last layer's at gain 4.
