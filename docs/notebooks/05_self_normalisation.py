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
# # Self-normalisation
#
# [selu](../../functions/selu/) (Klambauer et al., 2017) was built so that, with LeCun-normal
# weights (variance 1/fan-in), the activations of a deep network are pulled towards mean 0 and
# variance 1, layer after layer, without batch normalisation. We push standard-normal inputs
# through 50 layers of width 256 (no biases) and measure each layer's output mean and
# variance, for selu (LeCun), [relu](../../functions/relu/) (He) and
# [tanh](../../functions/tanh/) (LeCun).
#
# Runs with `pip install jaxact matplotlib`.

# %% [markdown]
# ## The code

# %% tags=["helpers"]
import jax
import matplotlib.pyplot as plt
import numpy as np

import jaxact

# Variance of the Gaussian weights, as a multiple of 1 / fan-in.
GAIN = {"he": 2.0, "lecun": 1.0}


def forward_stats(act, init, depth=50, width=256, n=1024, seed=0):
    """Mean and variance of each layer's activations for standard-normal
    inputs, in square layers with no biases."""
    kp, kx = jax.random.split(jax.random.key(seed))
    keys = jax.random.split(kp, depth)
    scale = np.float32(np.sqrt(GAIN[init] / width))
    h = jax.random.normal(kx, (n, width))
    means, variances = [], []
    for k in keys:
        h = act(h @ (jax.random.normal(k, (width, width)) * scale))
        means.append(float(h.mean()))
        variances.append(float(h.var()))
    return np.array(means), np.array(variances)


# %% [markdown]
# ## The experiment

# %%
SETUPS = [("selu", "lecun"), ("relu", "he"), ("tanh", "lecun")]
stats = {
    a: forward_stats(getattr(jaxact, a), init, depth=50)
    for a, init in SETUPS
}
for a, (m, v) in stats.items():
    print(f"{a:5s} layer 50: mean {m[-1]:+.3f}  variance {v[-1]:.3f}")

# %%
fig, axes = plt.subplots(1, 2, figsize=(8, 3.4))
layers = np.arange(1, 51)
for (a, init), ls in zip(SETUPS, ["-", "--", ":"], strict=False):
    m, v = stats[a]
    axes[0].plot(layers, m, ls, lw=2, label=f"{a} ({init})")
    axes[1].plot(layers, v, ls, lw=2, label=f"{a} ({init})")
axes[0].axhline(0, color="grey", lw=0.8)
axes[1].axhline(1, color="grey", lw=0.8)
axes[0].set_title("mean of the activations")
axes[1].set_title("variance of the activations")
for ax in axes:
    ax.set_xlabel("layer")
    ax.grid(alpha=0.3)
axes[1].legend(loc="upper left", bbox_to_anchor=(1.02, 1))
fig.tight_layout()

# %% [markdown]
# selu keeps the mean near 0 and the variance near 1 at layer 50 (the test asserts mean within
# ±0.1 and variance in [0.8, 1.25]). relu's outputs are never negative, so their mean stays well
# above 0 and, with a finite width, their variance wanders away from its starting value. tanh's
# mean stays at 0 too (its dotted line lies under selu's), but its variance shrinks steadily
# towards 0 — its signal fades with depth.
