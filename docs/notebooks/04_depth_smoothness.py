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
# is computed from the numbers by `depth_verdict`, not written by hand.
#
# Runs with `pip install jaxact optax scikit-learn matplotlib`.

# %% [markdown]
# ## The code
#
# One compiled program per depth trains every activation and seed: the models are stacked
# along a batch axis for `jax.vmap`, `jax.lax.switch` picks each one's activation, and the
# hidden layers are one `jax.lax.scan` over a stack of weight matrices (a deep network
# written as a Python loop took tens of seconds to compile per depth). The stack has room
# for the deepest network; the layers beyond the current depth are skipped.

# %% tags=["helpers"]
import textwrap

import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt
import numpy as np
import optax
from sklearn.datasets import load_digits

import jaxact


def digits(seed=0, test_fraction=0.25):
    """scikit-learn's 8×8 digits, standardised, split (train, test)."""
    d = load_digits()
    x = (d.data / 16.0).astype(np.float32)
    x = (x - x.mean(0)) / (x.std(0) + 1e-3)
    idx = np.random.default_rng(seed).permutation(len(x))
    n_test = int(len(x) * test_fraction)
    te, tr = idx[:n_test], idx[n_test:]
    y = d.target.astype(np.int32)
    train = jnp.asarray(x[tr]), jnp.asarray(y[tr])
    return train, (jnp.asarray(x[te]), jnp.asarray(y[te]))


def init_deep(seed, n_in, width, depth, n_out, max_depth):
    """He-normal MLP with `depth` hidden layers; the square ones are
    stacked and padded with zero layers up to `max_depth`."""
    rng = np.random.default_rng(seed)

    def normal(shape, fan_in):
        w = rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)
        return w.astype(np.float32)

    w = np.zeros((max_depth - 1, width, width), np.float32)
    w[: depth - 1] = normal((depth - 1, width, width), width)
    return {
        "w_in": normal((n_in, width), n_in),
        "b_in": np.zeros((width,), np.float32),
        "w": w,
        "b": np.zeros((max_depth - 1, width), np.float32),
        "w_out": normal((width, n_out), width),
        "b_out": np.zeros((n_out,), np.float32),
    }


def apply_deep(p, x, act, depth):
    """Logits of the MLP of `init_deep` with `depth` hidden layers."""

    def layer(h, iwb):
        i, w, b = iwb
        # `depth` is the same for every model: a real branch under vmap,
        # so the padding layers cost nothing.
        keep = i < depth - 1
        h = jax.lax.cond(keep, lambda v: act(v @ w + b), lambda v: v, h)
        return h, None

    h = act(x @ p["w_in"] + p["b_in"])
    steps = (jnp.arange(p["w"].shape[0]), p["w"], p["b"])
    h, _ = jax.lax.scan(layer, h, steps)
    return h @ p["w_out"] + p["b_out"]


def depth_accuracy(acts, depths, seeds, data, width=32, steps=300, lr=1e-3):
    """Test accuracy {activation: array[depth, seed]}; full-batch Adam.

    At a given (depth, seed) every activation starts from the same weights.
    """
    (xtr, ytr), (xte, yte) = data
    opt = optax.adam(lr)
    fns = list(acts.values())

    def run(p, a, depth):
        act = lambda z: jax.lax.switch(a, fns, z)

        def loss(q):
            logits = apply_deep(q, xtr, act, depth)
            ce = optax.softmax_cross_entropy_with_integer_labels(logits, ytr)
            return ce.mean()

        def step(carry, _):
            p, s = carry
            upd, s = opt.update(jax.grad(loss)(p), s, p)
            return (optax.apply_updates(p, upd), s), None

        (p, _), _ = jax.lax.scan(step, (p, opt.init(p)), None, steps)
        return (apply_deep(p, xte, act, depth).argmax(-1) == yte).mean()

    program = jax.jit(jax.vmap(run, in_axes=(0, 0, None)))
    pairs = [(a, s) for a in range(len(fns)) for s in seeds]
    a_idx = jnp.array([a for a, _ in pairs])
    out = {name: np.zeros((len(depths), len(seeds))) for name in acts}
    for i, depth in enumerate(depths):
        inits = [
            init_deep(s, xtr.shape[1], width, depth, 10, max(depths))
            for _, s in pairs
        ]
        stacked = jax.tree.map(lambda *leaves: jnp.stack(leaves), *inits)
        acc = np.asarray(program(stacked, a_idx, jnp.int32(depth)))
        for name, row in zip(acts, acc.reshape(len(fns), -1), strict=True):
            out[name][i] = row
    return out


def depth_verdict(results, depths):
    """The comparison with the paper's claim, as one computed sentence.

    Claim (Misra 2019, Fig. 2): as depth grows, ReLU's accuracy falls
    faster than Mish's. A gap at the deepest setting counts only when it
    exceeds the spread (max − min over seeds) of both activations.
    """

    def stats(name):
        a = results[name][-1]
        return a.mean(), a.max() - a.min()

    (m_relu, s_relu), (m_mish, s_mish) = stats("relu"), stats("mish")
    drop = {k: v[0].mean() - v[-1].mean() for k, v in results.items()}
    margin = max(s_relu, s_mish)
    gap = m_mish - m_relu
    if gap > margin:
        verdict = (
            "AGREES with the paper: mish is ahead of relu at the deepest "
            "setting"
        )
    elif gap < -margin:
        verdict = (
            "DISAGREES with the paper: relu is ahead of mish at the deepest "
            "setting"
        )
    else:
        verdict = (
            "is INCONCLUSIVE: mish and relu are within the seed spread at "
            "the deepest setting"
        )
    drops = ", ".join(f"{k} {100 * v:+.1f}" for k, v in drop.items())
    return (
        f"At {depths[-1]} hidden layers, mish {100 * m_mish:.1f} % vs relu "
        f"{100 * m_relu:.1f} % (gap {100 * gap:+.1f} points, seed spread "
        f"up to {100 * margin:.1f}): this small-scale run {verdict}. "
        f"Accuracy lost from depth {depths[0]} to {depths[-1]} (points): "
        f"{drops}."
    )


# %% [markdown]
# ## The experiment

# %%
data = digits()
DEPTHS = [2, 6, 12]
SEEDS = [0, 1, 2]
ACTS = {a: getattr(jaxact, a) for a in ["relu", "silu", "mish"]}
results = depth_accuracy(ACTS, DEPTHS, SEEDS, data, steps=100, lr=3e-3)
for a, r in results.items():
    means = zip(DEPTHS, r.mean(1), strict=True)
    print(a, " ".join(f"depth {d}: {100 * m:.1f} %" for d, m in means))
print(textwrap.fill(depth_verdict(results, DEPTHS), 79))

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
