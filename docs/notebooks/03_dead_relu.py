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
# # Dead ReLU
#
# A [relu](../../functions/relu/) unit whose pre-activation is negative for every input
# outputs 0 and receives zero gradient: nothing can bring it back. A too-large learning rate
# can push many units there. We train an MLP (two hidden layers of 64) on scikit-learn's
# bundled digits with Adam at a sensible (0.001) and a too-large (0.1) learning rate, and
# count the units that are negative for every training input, for relu,
# [leaky_relu](../../functions/leaky_relu/), [elu](../../functions/elu/) and
# [gelu](../../functions/gelu/). For the last three such a unit still passes a gradient
# (it is stuck, not dead).

# %%
import matplotlib.pyplot as plt

import jaxact
from docsgen import experiments as E

(x, y), _ = E.digits()
ACTS = ["relu", "leaky_relu", "elu", "gelu"]
# All eight runs (4 activations x 2 learning rates): one compiled program.
runs = E.dead_units_over_training(
    {a: getattr(jaxact, a) for a in ACTS}, x, y, lrs=(0.001, 0.1), steps=200
)
print("units negative for every input after 200 steps:")
for (a, lr), h in runs.items():
    print(f"  {a:10s} lr={lr:<6} {100 * h[-1]:4.1f} %")

# %%
fig, axes = plt.subplots(1, 2, figsize=(8, 3.6), sharey=True)
for ax, lr in zip(axes, (0.001, 0.1), strict=False):
    for a, ls in zip(ACTS, ["-", "--", "-.", ":"], strict=False):
        ax.plot(100 * runs[a, lr], ls, lw=2, label=a)
    ax.set_title(f"Adam, learning rate {lr}")
    ax.set_xlabel("training step")
    ax.grid(alpha=0.3)
axes[0].set_ylabel("% of hidden units negative for all inputs")
axes[0].legend(loc="center left")  # the left panel is empty above 0
fig.tight_layout()

# %% [markdown]
# At the sensible learning rate no unit dies. At the too-large one a sizeable fraction of relu
# units ends up negative for every input — and for relu that is final, since they get no
# gradient. leaky_relu shows fewer such units in this run and, unlike relu's, they still learn
# through the small negative slope; elu's stay at zero here. The printed percentages are the
# headline; the test asserts that relu's dead fraction at the large rate exceeds leaky_relu's.
