"""Functions whose derivatives are written by hand, as ``custom_jvp`` rules.

- ``_with_slope_and_curvature``: an elementwise f with f' and f'' each computed from x (gelu's
  two forms, mish): ``jax.grad`` and ``jax.hessian`` are as exact as the value.
- ``_jvp_from_output``: a function along an axis whose tangent is computed from its own output
  (softmax, log_softmax): differentiating that output goes through the same rule again.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

import jax

_Elementwise = Callable[[jax.Array], jax.Array]


def _with_slope_and_curvature(
    value: _Elementwise, slope: _Elementwise, curvature: _Elementwise
) -> tuple[_Elementwise, _Elementwise]:
    r"""``(f, f')``: ``value`` whose derivative is ``slope``, whose derivative is ``curvature``.

    $$\frac{d}{dx} f(x)\,[t] = t\,f'(x), \qquad \frac{d}{dx} f'(x)\,[t] = t\,f''(x):$$

    both are ``custom_jvp`` functions of x alone (never of the output ``ans``, which may have
    rounded to a constant where the derivative has not), so the first two derivatives are each
    a formula of its own; a third differentiates ``curvature`` as written.
    """
    prime = jax.custom_jvp(slope)
    prime.defjvps(lambda t, ans, x: t * curvature(x))
    fn = jax.custom_jvp(value)
    fn.defjvps(lambda t, ans, x: t * prime(x))
    return fn, prime


def _jvp_from_output(
    value: Callable[..., jax.Array], tangent: Callable[..., jax.Array]
) -> Callable[..., jax.Array]:
    r"""``value(x, *rest, axis)`` as a ``custom_jvp`` in x whose tangent is
    ``tangent(y, t, *rest, axis)``, with y = f(x, *rest, axis) computed by the function itself.

    $$\frac{\partial f}{\partial x}\,[t] = \operatorname{tangent}(f(x), t):$$

    ``axis`` (the last argument) is static; the ``rest`` (a mask) is not differentiated, its
    tangent is dropped. Since y is f again, a second derivative goes through the same rule
    (``jax.hessian`` exact).
    """
    axis_position = len(inspect.signature(value).parameters) - 1
    fn = jax.custom_jvp(value, nondiff_argnums=(axis_position,))

    def jvp(axis: int, primals: tuple, tangents: tuple) -> tuple:
        y = fn(*primals, axis)
        return y, tangent(y, tangents[0], *primals[1:], axis)

    fn.defjvp(jvp)
    return fn
