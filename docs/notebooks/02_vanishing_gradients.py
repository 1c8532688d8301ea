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
# [selu](../../functions/selu/).

# %%
import matplotlib.pyplot as plt
import numpy as np

import jaxact
from docsgen import experiments as E

SETUPS = [
    ("sigmoid", "glorot"),
    ("tanh", "glorot"),
    ("relu", "he"),
    ("gelu", "he"),
    ("selu", "lecun"),
]
norms = {
    a: E.gradient_norms(getattr(jaxact, a), init, depth=30)
    for a, init in SETUPS
}
print(f"{'':8s} {'first layer':>11s} {'last layer':>11s} {'ratio':>11s}")
for a, g in norms.items():
    print(f"{a:8s} {g[0]:11.3e} {g[-1]:11.3e} {g[0] / g[-1]:11.3e}")

# %%
fig, ax = plt.subplots(figsize=(7, 4))
for (a, init), marker in zip(SETUPS, "osD^v", strict=False):
    # An underflowed 0 is drawn at the bottom, not dropped.
    g = np.maximum(norms[a], 1e-45)
    layers = np.arange(1, len(g) + 1)
    ax.semilogy(layers, g, marker=marker, ms=3, label=f"{a} ({init})")
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
