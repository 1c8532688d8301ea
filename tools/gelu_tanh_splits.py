"""The constant splits of the GELU tanh form (``_GELU_TANH`` in ``jaxact/_kernels/gelu.py``).

Nothing is fitted: each constant ``k`` or ``c`` of ``x (k + c x^2)`` is cut into a high part
on a fixed binary grid and the exact remainder rounded to the dtype, so that the high part of
``k + c x^2`` (with ``x^2`` on the grid ``2^-g`` of the library's ``A1``) is a float with few
enough bits:

- ``"v"``: ``v = w log2(e) = x (Kv + Cv x^2)`` to an *absolute* error ~2^-25 (``e^w`` turns it
  into a relative one). The high part has <= 24 / 49 bits (exact), and is split again.
- ``"xdw"``: ``x w' = x (K + 3 K C x^2)`` to a *relative* error ~2^-26 / 2^-55 only (it is not
  exponentiated): the high part has <= 12 / 27 bits, so ``xh`` times it is exact without a
  second split; the larger low part costs nothing relative to the result.

K = 2 sqrt(2/pi), C = 0.044715, Kv = K / ln 2, Cv = Kv C. Run ``python -m tools.gelu_tanh_splits``
from the repository root: it prints the tuples ``(c_hi, c_lo, k_hi, k_lo, c)`` as the source
writes them and checks them against the library.
"""

from __future__ import annotations

import mpmath
import numpy as np

# (bits of c_hi's grid, bits of k_hi's grid): c_hi = floor(c 2^a) / 2^a, k_hi = floor(k 2^b) / 2^b
# (v) and nearest (xdw, where c_hi = 1/4 keeps c_hi / grid on k_hi's grid).
GRIDS = {
    "float32": {"v": (15, 17), "xdw": (2, 7)},
    "float64": {"v": (28, 45), "xdw": (2, 20)},
}


def splits(dtype: str) -> dict[str, tuple[float, ...]]:
    with mpmath.workdps(50):
        k = 2 * mpmath.sqrt(2 / mpmath.pi)
        c = k * mpmath.mpf("0.044715")
        ln2 = mpmath.log(2)
        rnd = np.dtype(dtype).type
        out = {}
        for name, kk, cc, cut in (
            ("v", k / ln2, c / ln2, mpmath.floor),
            ("xdw", k, 3 * c, mpmath.nint),
        ):
            a, b = GRIDS[dtype][name]
            c_hi = cut(cc * 2**a) / 2**a
            k_hi = cut(kk * 2**b) / 2**b
            vals = (c_hi, cc - c_hi, k_hi, kk - k_hi, cc)
            out[name] = tuple(float(rnd(float(v))) for v in vals)
            assert out[name][0] == float(c_hi) and out[name][2] == float(k_hi)  # exact
    return out


def main() -> None:
    from jaxact._kernels.gelu import _GELU_TANH

    for dtype in ("float32", "float64"):
        got = splits(dtype)
        print(f"# {dtype}")
        for name, vals in got.items():
            print(f'"{name}": ({", ".join(repr(v) for v in vals)}),')
            assert vals == tuple(_GELU_TANH[dtype][name]), (dtype, name, _GELU_TANH[dtype][name])
    print("# matches jaxact._kernels.gelu._GELU_TANH")


if __name__ == "__main__":
    main()
