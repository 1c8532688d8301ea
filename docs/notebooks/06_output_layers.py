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
# # Output layers and stable losses
#
# A binary classifier ends in [sigmoid](../../functions/sigmoid/), a multi-class one in
# [softmax](../../functions/softmax/). The loss needs the *logarithm* of those probabilities,
# and computing it as `log(sigmoid(x))` fails once the logit is large: in float32, sigmoid(−200)
# underflows to 0 and its log is −inf (a NaN as soon as it meets a zero weight or a gradient).
# [log_sigmoid](../../functions/log_sigmoid/) and [log_softmax](../../functions/log_softmax/)
# compute the logarithm directly, and stay finite.
#
# Runs with `pip install jaxact matplotlib`.

# %% [markdown]
# ## The code
#
# The two formulas written the obvious way, to compare with jaxact's.

# %% tags=["helpers"]
import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt
import numpy as np

import jaxact


def naive_log_sigmoid(x):
    """log(sigmoid(x)) as written: sigmoid underflows to 0, log gives -inf."""
    return jnp.log(1.0 / (1.0 + jnp.exp(-x)))


def naive_log_softmax(x, axis=-1):
    """log(exp(x) / sum(exp(x))), no max subtracted: exp overflows."""
    e = jnp.exp(x)
    return jnp.log(e / e.sum(axis=axis, keepdims=True))


# %% [markdown]
# ## The experiment

# %%
x = jnp.array([-200.0, -100.0, -20.0, 0.0, 20.0], dtype=jnp.float32)
g_naive = jax.vmap(jax.grad(naive_log_sigmoid))(x)
g_stable = jax.vmap(jax.grad(jaxact.log_sigmoid))(x)
columns = {
    "x": x,
    "log σ, naive": naive_log_sigmoid(x),
    "log σ, jaxact": jaxact.log_sigmoid(x),
    "grad, naive": g_naive,
    "grad, jaxact": g_stable,
}
print(*(f"{name:>14s}" for name in columns))
for row in zip(*(np.asarray(c) for c in columns.values()), strict=True):
    print(*(f"{v:14.7g}" for v in row))
print()

logits = jnp.array([1000.0, 0.0, -1000.0], dtype=jnp.float32)
print("naive log(softmax)    ", np.asarray(naive_log_softmax(logits)))
print("jaxact.log_softmax    ", np.asarray(jaxact.log_softmax(logits)))

# %%
xs = jnp.linspace(-150.0, 10.0, 801, dtype=jnp.float32)
naive = np.asarray(naive_log_sigmoid(xs))
fig, ax = plt.subplots(figsize=(7, 4))
stable = np.asarray(jaxact.log_sigmoid(xs))
naive_drawn = np.where(np.isfinite(naive), naive, np.nan)
ax.plot(xs, stable, lw=3, label="jaxact.log_sigmoid")
ax.plot(xs, naive_drawn, "--", lw=2, label="log(sigmoid(x)), f32")
first_inf = float(xs[~np.isfinite(naive)].max())
ax.axvline(first_inf, color="grey", lw=0.8)
edge = f"{first_inf:.1f}".replace("-", "−")  # the minus sign of the ticks
ax.annotate(f"−inf for x ≤ {edge}", (first_inf, -120),
            xytext=(5, 0), textcoords="offset points")
ax.set_xlabel("logit x")
ax.set_ylabel("log-probability")
ax.set_title("log σ(x) in float32")
ax.legend()
ax.grid(alpha=0.3)

# %% [markdown]
# The naive form returns −inf, with a NaN or useless gradient, once sigmoid underflows: in
# float32 that happens near x = −87, where eˣ drops below the smallest normal float32 (XLA on
# a CPU flushes the even smaller subnormal numbers to zero).
# log_sigmoid returns x itself there, which is the correct value, with gradient 1. The same
# holds for softmax: `log(softmax)` of logits spread by 2000 gives NaN and −inf, log_softmax
# gives the exact −1000 and −2000. Losses should take logits and use these.
