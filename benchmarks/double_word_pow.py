"""Cost and accuracy of the double-word power ``_kernels.double_word_pow.pow_dw`` (α-entmax's
every Newton step forms one per entry), with ``jnp.power`` in working precision for scale.

For float32 and float64 (each in its own dtype) this measures

- the time per element of the jitted ``pow_dw`` and ``jnp.power`` on ``2^log2-size`` values
  (``block_until_ready``, the median of interleaved repetitions), and their ratio;
- the compiled program: the number of HLO instructions after XLA's optimisation (fusions
  counted by their contents) and the time to lower and compile it;
- the worst relative error against mpmath of ``pow_dw`` (all of it, and ``pow_entmax``: γ in
  [1/3, 100] only), ``log2_dw`` (absolute, over
  ``1 + |log₂ u|``) and ``exp2_dw`` on random double words across the ranges entmax meets:
  ``u`` log-uniform from just above the smallest normal to 2^100, near 1 (``|u − 1|`` from an
  ULP to 2^-4) and in [0, 1] with results down to the accuracy floor (2^-100 / 2^-960); ``γ``
  log-uniform on [1/3, 100] (``1/(α − 1)``, α = 1.01 … 4) and on [2^-10, 2^10].

Run from the repository root::

    python -m benchmarks.double_word_pow                 # 2^20 values, 2 x 10^5 points
    python -m benchmarks.double_word_pow --points 20000 --dtypes float32

It prints the numbers; nothing is written (the kernel is private: no page shows them).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import jax
import jax.numpy as jnp
import mpmath
import numpy as np

from jaxact._kernels.double_word_pow import exp2_dw, log2_dw, pow_dw

FLOOR = {"float32": 2.0**-100, "float64": 2.0**-960}
TINY = {"float32": 2.0**-126, "float64": 2.0**-1022}


def _dw(rng: np.random.Generator, values: np.ndarray, dtype: str) -> tuple[np.ndarray, ...]:
    """``values`` as double words of ``dtype``: the rounded value and a random low word."""
    hi = values.astype(dtype)
    lo = hi.astype(np.float64) * rng.uniform(-0.5, 0.5, hi.shape) * np.finfo(dtype).eps
    lo = np.where(abs(lo) < np.finfo(dtype).tiny, 0, lo)  # XLA on CPU flushes subnormals
    return hi, lo.astype(dtype)


def sample(dtype: str, n: int, seed: int = 0) -> dict[str, tuple[np.ndarray, ...]]:
    """Random double words ``u``, ``γ`` (for pow and log₂) and ``w`` (for 2^w)."""
    rng = np.random.default_rng(seed)
    info = np.finfo(dtype)
    q = n // 4
    near_one = 1 + rng.choice([-1, 1], q) * np.exp2(rng.uniform(np.log2(info.eps), -4, q))
    u = np.concatenate(
        [
            np.exp2(rng.uniform(info.minexp + 0.01, 100, q)),  # subnormal-adjacent to huge
            near_one,
            rng.uniform(0, 1, n - 3 * q) ** 4,  # entmax's u = (α − 1) x − T, u <= 1
            np.exp2(rng.uniform(-30, 0, q)),
        ]
    )
    u = np.maximum(u, info.tiny)
    g = np.where(rng.uniform(size=n) < 0.75,
                 np.exp(rng.uniform(np.log(1 / 3), np.log(100), n)),
                 np.exp2(rng.uniform(-10, 10, n)))  # fmt: skip
    w = rng.uniform(np.log2(FLOOR[dtype]), info.maxexp - 1, n)
    return {"u": _dw(rng, u, dtype), "g": _dw(rng, g, dtype), "w": _dw(rng, w, dtype)}


def _mp(hi: np.ndarray, lo: np.ndarray, i: int) -> mpmath.mpf:
    return mpmath.mpf(float(hi[i])) + mpmath.mpf(float(lo[i]))


def errors(dtype: str, n: int) -> dict[str, float]:
    """log₂ of the worst relative error of pow and 2^w, and of log₂'s error / (1 + |log₂ u|)."""
    data = sample(dtype, n)
    with jax.enable_x64(dtype == "float64"):
        args = {k: tuple(jnp.asarray(a) for a in v) for k, v in data.items()}
        p = [np.asarray(a, np.float64) for a in jax.jit(pow_dw)(*args["u"], *args["g"])]
        lg = [np.asarray(a, np.float64) for a in jax.jit(log2_dw)(*args["u"])]
        e = [np.asarray(a, np.float64) for a in jax.jit(exp2_dw)(*args["w"])]
    u, g, w = data["u"], data["g"], data["w"]
    worst = {"pow": 0.0, "pow_entmax": 0.0, "log2": 0.0, "exp2": 0.0}
    with mpmath.workprec(240):
        for i in range(n):
            uu = _mp(*u, i)
            log2u = mpmath.log(uu, 2)
            checks = [("log2", log2u, lg, 1 + abs(log2u))]
            want = mpmath.power(2, _mp(*g, i) * log2u)
            if FLOOR[dtype] <= want < mpmath.ldexp(1, int(np.finfo(dtype).maxexp)):
                checks.append(("pow", want, p, want))
                if 1 / 3 <= g[0][i] <= 100:  # γ = 1/(α − 1), α = 1.01 … 4
                    checks.append(("pow_entmax", want, p, want))
            want = mpmath.power(2, _mp(*w, i))
            checks.append(("exp2", want, e, want))
            for name, want, got, scale in checks:
                # As tests/test_double_word_pow.py: the low word may be flushed below TINY.
                slack = 0 if name == "log2" else TINY[dtype]
                err = float(max(abs(_mp(*got, i) - want) - slack, 0) / scale)
                worst[name] = max(worst[name], err)
    return {f"{k}_log2_err": float(np.log2(v)) if v else -np.inf for k, v in worst.items()}


def _ops(fn: Callable, *args: jax.Array) -> tuple[int, float]:
    """HLO instructions of the optimised program and seconds to lower and compile it."""
    start = time.perf_counter()
    text = jax.jit(lambda *a: fn(*a)).lower(*args).compile().as_text()
    seconds = time.perf_counter() - start
    skip = ("ROOT %tuple", "%param")
    count = sum(
        1 for line in text.splitlines() if " = " in line and not line.lstrip().startswith(skip)
    )
    return count, seconds


def timing(dtype: str, log2_size: int, reps: int) -> dict[str, float]:
    """ns per element of pow_dw and jnp.power, their ratio, pow_dw's op count and compile time."""
    rng = np.random.default_rng(1)
    size = 1 << log2_size
    with jax.enable_x64(dtype == "float64"):
        u_hi, u_lo = (jnp.asarray(a) for a in _dw(rng, rng.uniform(1e-3, 1, size), dtype))
        g_hi, g_lo = (jnp.asarray(a) for a in _dw(rng, rng.uniform(1 / 3, 100, size), dtype))
        ops, compile_s = _ops(pow_dw, u_hi, u_lo, g_hi, g_lo)
        runners = {
            "pow_dw": (jax.jit(pow_dw), (u_hi, u_lo, g_hi, g_lo)),
            "jnp.power": (jax.jit(jnp.power), (u_hi, g_hi)),
        }
        samples: dict[str, list[float]] = {k: [] for k in runners}
        for fn, a in runners.values():
            jax.block_until_ready(fn(*a))
        for _ in range(reps):
            for name, (fn, a) in runners.items():
                start = time.perf_counter()
                jax.block_until_ready(fn(*a))
                samples[name].append(time.perf_counter() - start)
    ns = {k: float(np.median(v)) / size * 1e9 for k, v in samples.items()}
    ratios = [a / b for a, b in zip(samples["pow_dw"], samples["jnp.power"], strict=True)]
    return {"pow_dw_ns": ns["pow_dw"], "power_ns": ns["jnp.power"],
            "ratio": float(np.median(ratios)), "hlo_ops": ops, "compile_s": compile_s}  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dtypes", nargs="+", default=["float32", "float64"])
    parser.add_argument("--log2-size", type=int, default=20)
    parser.add_argument("--reps", type=int, default=15)
    parser.add_argument("--points", type=int, default=200_000, help="accuracy sample (0: none)")
    args = parser.parse_args(argv)
    print(f"jax {jax.__version__}, {jax.devices()[0].device_kind}")
    for dtype in args.dtypes:
        result = timing(dtype, args.log2_size, args.reps)
        if args.points:
            result |= errors(dtype, args.points)
        print(dtype, "  ".join(f"{k} {v:.3g}" for k, v in result.items()), flush=True)


if __name__ == "__main__":
    main()
