"""Every registered activation under jit, vmap, grad, jacfwd/jacrev, hessian; any shape; sharding.

Parametrized over the registry (``_activation_cases.ALL``): inputs, parameters and output
shapes come from each spec (``defaults()``, ``example_input``), so a new function is covered
without new test code. Vector-valued functions act on the last axis, of length ``ROW``.
"""

from __future__ import annotations

import atexit
import json
import math
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from _activation_cases import (
    ALL,
    ELEMENTWISE,
    ROW,
    VECTOR,
    call,
    case_id,
    elementwise_cases,
    ids,
    out_shape,
    reference,
    rounded,
    sample,
    scalar_loss,
)

CASES = elementwise_cases()


def _assert_close(got, want, maxulp: int = 2) -> None:
    """Equal up to ``maxulp`` units in the last place (XLA may fuse differently under jit)."""
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_array_max_ulp(got, want, maxulp=maxulp)


# -- jit / vmap -------------------------------------------------------------------------------


@pytest.mark.parametrize("spec", ALL, ids=ids(ALL))
def test_jit_and_vmap_match_eager(spec):
    f = call(spec)
    x = sample((2, 3, ROW), seed=len(spec.name))
    eager = f(x)
    _assert_close(jax.jit(f)(x), eager)
    # vmap (twice) == a Python loop over the rows.
    looped = jnp.stack([jnp.stack([f(x[i, j]) for j in range(3)]) for i in range(2)])
    _assert_close(jax.vmap(jax.vmap(f))(x), looped)
    _assert_close(looped, eager)


# -- derivatives ------------------------------------------------------------------------------


def _derivative_points(spec) -> jax.Array:
    """The worked example shifted off the kinks, ordinary samples and large arguments."""
    base = np.asarray(spec.example_input, np.float64) + 0.37
    extra = [-4.3, 2.9, 6.1, -30.0, 30.0, -1e3, 1e3]
    return jnp.asarray(np.concatenate([base, extra]), jnp.float32)


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_elementwise_jacobians_grad_and_hessian(case):
    spec, kw = case
    f = call(spec, **kw)
    x = _derivative_points(spec)

    @jax.jit
    def derivatives(x):
        return (
            jax.jacfwd(f)(x),
            jax.jacrev(f)(x),
            jax.vmap(jax.grad(f))(x),
            jax.vmap(jax.hessian(f))(x),
        )

    jf, jr, grads, hess = derivatives(x)
    _assert_close(jf, jr, maxulp=1)
    # Elementwise: the Jacobian is diagonal and its diagonal is the gradient.
    _assert_close(jnp.diagonal(jf), grads, maxulp=1)
    assert np.all(np.asarray(jf)[~np.eye(x.size, dtype=bool)] == 0)
    # Eager grad == jitted grad.
    _assert_close(jax.grad(f)(x[0]), grads[0])
    # Second derivatives are finite here (every function is smooth or piecewise polynomial
    # away from its kinks, and ±1e3 must not overflow an unselected branch).
    assert hess.dtype == x.dtype
    # (Where the truth itself overflows float32, as the exponential's e^x at 1e3, so may f''.)
    finite = [math.isfinite(rounded(reference(spec, v, True, **kw), x.dtype)) for v in x.tolist()]
    assert np.all(np.isfinite(np.asarray(hess))[np.asarray(finite)]), (x, hess)


@pytest.mark.parametrize("spec", VECTOR, ids=ids(VECTOR))
def test_vector_jacobians_grads_and_hessian(spec):
    f = call(spec)
    loss = scalar_loss(spec, (ROW,))
    rows = out_shape(spec, (ROW,))[0]

    @jax.jit
    def derivatives(x):
        grads = jnp.stack([jax.grad(lambda v, i=i: f(v)[i])(x) for i in range(rows)])
        return jax.jacfwd(f)(x), jax.jacrev(f)(x), grads, jax.hessian(loss)(x)

    # The worked example's first ROW entries (ties included: maxout) and ordinary samples.
    for x in (jnp.asarray(spec.example_input[:ROW], jnp.float32), sample((ROW,), seed=5)):
        jf, jr, grads, hess = derivatives(x)
        assert jf.shape == (rows, ROW)
        np.testing.assert_allclose(np.asarray(jf), np.asarray(jr), rtol=1e-6, atol=1e-7)
        np.testing.assert_allclose(np.asarray(jr), np.asarray(grads), rtol=1e-6, atol=1e-7)
        assert hess.shape == (ROW, ROW)
        assert np.all(np.isfinite(np.asarray(hess)))


SMOOTH = [c for c in CASES if c[0].smoothness == "Cinf"]


@pytest.mark.parametrize("case", SMOOTH, ids=[case_id(c) for c in SMOOTH])
def test_smooth_hessian_matches_finite_differences(case):
    # C-infinity functions: the second derivative is the derivative of the gradient.
    spec, kw = case
    with jax.enable_x64(True):
        f = call(spec, **kw)
        eps = 1e-6

        @jax.jit
        def both(x):
            d = jax.vmap(jax.grad(f))
            return jax.vmap(jax.hessian(f))(x), (d(x + eps) - d(x - eps)) / (2 * eps)

        h, fd = both(jnp.linspace(-6.0, 6.0, 25, dtype=jnp.float64) + 0.01)
        np.testing.assert_allclose(np.asarray(h), np.asarray(fd), rtol=1e-6, atol=1e-8)


# -- shapes and scalars -----------------------------------------------------------------------

ELEMENTWISE_SHAPES = [(), (0,), (2, 0, 3), (2, 3, 4)]
VECTOR_SHAPES = [(0,), (3, 0), (2, 0, ROW), (2, 3, ROW)]


@pytest.mark.parametrize("spec", ALL, ids=ids(ALL))
def test_any_shape_keeps_shape_and_dtype(spec):
    f = call(spec)
    for shape in ELEMENTWISE_SHAPES if spec.elementwise else VECTOR_SHAPES:
        x = sample(shape, seed=1)
        y = f(x)
        assert y.shape == out_shape(spec, shape), (shape, y.shape)
        assert y.dtype == jnp.float32
        if x.ndim > 1 and x.size:
            # The same values whatever the leading shape.
            flat = f(x.reshape(-1, shape[-1]))
            np.testing.assert_array_equal(np.asarray(y).reshape(flat.shape), np.asarray(flat))


@pytest.mark.parametrize("dtype", [jnp.float32, jnp.bfloat16], ids=["float32", "bfloat16"])
@pytest.mark.parametrize("spec", ALL, ids=ids(ALL))
def test_derivatives_keep_dtype_with_x64(spec, dtype):
    # With x64 on, no internal float64 may leak into a lower-precision value, gradient or
    # hessian-vector product (a custom_jvp rule that mixes dtypes fails to trace at all).
    # Tracing decides every dtype, so abstract evaluation checks them without compiling (an
    # eager call compiled each function anew under x64: ~0.5 s a case, 9 s for pau).
    shape = (2, ROW)
    with jax.enable_x64(True):
        x = jax.ShapeDtypeStruct(shape, dtype)
        loss = scalar_loss(spec, shape, dtype)

        def hvp(v):
            return jax.jvp(jax.grad(loss), (v,), (jnp.ones_like(v),))[1]

        for what, fn in (("f", call(spec)), ("grad", jax.grad(loss)), ("hvp", hvp)):
            assert jax.eval_shape(fn, x).dtype == dtype, (what, jax.eval_shape(fn, x).dtype)


@pytest.mark.parametrize("spec", ELEMENTWISE, ids=ids(ELEMENTWISE))
def test_scalars_python_and_zero_dimensional(spec):
    f = call(spec)
    v = -1.75
    want = np.asarray(f(jnp.array([v], jnp.float32)))[0]
    for x in (v, np.float32(v)):
        y = f(x)
        assert y.shape == () and y.dtype == jnp.float32, (type(x), y)
        assert np.asarray(y) == want, (type(x), y, want)


# -- sharding: one subprocess with 4 CPU devices for the whole registry, started early -------

_SHARDING_SCRIPT = textwrap.dedent(
    """
    import json
    import jax, jax.numpy as jnp, numpy as np
    from jax.sharding import Mesh, NamedSharding, PartitionSpec as P
    import jaxact

    assert jax.device_count() == 4, jax.devices()
    mesh = Mesh(np.array(jax.devices()), ("d",))
    rng = np.random.default_rng(0)
    out = {}
    for spec in jaxact.specs():
        f = jax.jit(lambda x, spec=spec: spec.fn(x, **spec.defaults()))
        x = jnp.asarray(rng.normal(size=(8, 4)) * 3, jnp.float32)
        plain = np.asarray(f(x))
        rec = {}
        # Along a non-reduced axis (any axis for elementwise functions).
        for name, pspec in (("rows", P("d", None)), ("cols", P(None, "d"))):
            if name == "cols" and spec.elementwise:
                continue  # (for an elementwise function every axis is a non-reduced one)
            xs = jax.device_put(x, NamedSharding(mesh, pspec))
            y = f(xs)
            reduced = name == "cols" and not spec.elementwise
            rec[name] = {
                "keeps": bool(y.sharding.is_equivalent_to(xs.sharding, y.ndim)),
                "spec": str(getattr(y.sharding, "spec", y.sharding)),
                "reduced": reduced,
                "values": np.asarray(y).tolist(),
                "plain": plain.tolist(),
                "maxdiff": float(np.max(np.abs(np.asarray(y) - plain), initial=0.0)),
                "scale": float(np.max(np.abs(plain), initial=0.0)),
            }
        out[spec.name] = rec
    print(json.dumps(out))
    """
)


_sharding: tuple[subprocess.Popen, Path] | None = None
"""The sharding subprocess and the folder of its output, once started."""


def start_in_background() -> None:
    """Start the sharding subprocess (about 9 s on a quiet machine) without waiting for it.

    The conftest calls this once collection is over when a test of this module is selected,
    so that it runs beside the tests before this module instead of in this module's setup."""
    global _sharding
    if _sharding is not None:
        return
    env = dict(os.environ)
    env["XLA_FLAGS"] = (
        env.get("XLA_FLAGS", "") + " --xla_force_host_platform_device_count=4"
    ).strip()
    env["JAX_PLATFORMS"] = "cpu"
    folder = Path(tempfile.mkdtemp(prefix="jaxact-sharding-"))
    # Output to files: nobody reads a background process's pipes, and a full pipe stalls it.
    with open(folder / "stdout", "w") as out, open(folder / "stderr", "w") as err:
        proc = subprocess.Popen(
            [sys.executable, "-c", _SHARDING_SCRIPT], env=env, stdout=out, stderr=err
        )
    atexit.register(proc.kill)  # a run that ends before using it
    _sharding = (proc, folder)


@pytest.fixture(scope="module")
def sharded_results():
    start_in_background()  # (when the conftest did not)
    proc, folder = _sharding
    assert proc.wait(timeout=600) == 0, (folder / "stderr").read_text()[-3000:]
    return json.loads((folder / "stdout").read_text().strip().splitlines()[-1])


@pytest.mark.parametrize("spec", ALL, ids=ids(ALL))
def test_sharded_input_keeps_sharding_and_values(spec, sharded_results):
    rec = sharded_results[spec.name]
    rows = rec["rows"]
    # Sharded along a non-reduced axis: same sharding out, and the same values up to what a
    # different compilation can change. The partitioned program is compiled anew, and XLA may
    # contract other multiply-adds there (mish differed by 1-2 ULP on an AVX-512 machine, with
    # both results within the accuracy bar): not bit-identical, but within 2 ULP.
    assert rows["keeps"], rows
    _assert_close(np.float32(rows["values"]), np.float32(rows["plain"]), maxulp=2)
    if not spec.elementwise:
        # Sharded along the reduced (or halved) axis: the partial sums may be added in another
        # order, so a few ULP; the values must still be right.
        cols = rec["cols"]
        assert cols["maxdiff"] <= 4 * np.finfo(np.float32).eps * max(cols["scale"], 1.0), cols
