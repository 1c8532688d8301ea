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
# # Depth and smoothness
#
# The Mish paper (Misra, 2019, "Mish: A Self Regularized Non-Monotonic Activation Function")
# reports that as a fully connected network gets deeper, accuracy with ReLU falls quickly
# while Swish and Mish keep it for longer. Here is the same experiment at a small scale:
# scikit-learn's bundled digits (8×8 images, 10 classes), MLPs of width 32 with 2 to 12 hidden
# layers, He initialisation, Adam, three seeds, for [relu](../../functions/relu/),
# [silu](../../functions/silu/) (Swish) and [mish](../../functions/mish/). The verdict below
# is computed from the numbers by `docsgen.experiments.depth_verdict`, not written by hand.

# %%
import textwrap

import matplotlib.pyplot as plt

import jaxact
from docsgen import experiments as E

data = E.digits()
DEPTHS = [2, 6, 12]
SEEDS = [0, 1, 2]
ACTS = {a: getattr(jaxact, a) for a in ["relu", "silu", "mish"]}
# One compiled program per depth trains the three activations and the
# three seeds together.
results = E.depth_accuracy(ACTS, DEPTHS, SEEDS, data, steps=100, lr=3e-3)
for a, r in results.items():
    means = zip(DEPTHS, r.mean(1), strict=True)
    print(a, " ".join(f"depth {d}: {100 * m:.1f} %" for d, m in means))
print(textwrap.fill(E.depth_verdict(results, DEPTHS), 79))

# %%
fig, ax = plt.subplots(figsize=(7, 4))
for (a, r), marker in zip(results.items(), "osD", strict=False):
    ax.errorbar(
        DEPTHS,
        100 * r.mean(1),
        yerr=[100 * (r.mean(1) - r.min(1)), 100 * (r.max(1) - r.mean(1))],
        marker=marker,
        capsize=3,
        label=a,
    )
ax.set_xlabel("hidden layers")
ax.set_ylabel("test accuracy (%)  mean, min–max over seeds")
ax.set_title("Digits: accuracy vs depth")
ax.legend()
ax.grid(alpha=0.3)

# %% [markdown]
# The printed verdict says whether this small run agrees with the paper, with the gap and the
# seed spread it was judged against. What to keep in mind: this is a tiny data set, short
# training and only three seeds, so a few points of difference can be noise; the paper's
# networks, data and training budget were larger. Whatever the verdict, all three activations
# lose accuracy as plain (no normalisation, no residual connections) networks get deeper —
# the smooth activations do not remove the depth problem, at most they delay it.
