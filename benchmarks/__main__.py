"""Both benchmarks in one command: accuracy (elementwise, then vector-valued), then speed, with
their default settings.

Run from the repository root::

    python -m benchmarks                                   # everything (the full run)
    python -m benchmarks --functions tanh_shrink --update  # a new function's rows only

With ``--functions``, ``benchmarks.accuracy`` measures the elementwise ones among them,
``benchmarks.vector_accuracy`` the vector-valued ones, and speed times all of them; ``--update``
keeps the other entries of ``benchmarks/results/*.json``. For other settings run
``python -m benchmarks.accuracy``, ``python -m benchmarks.vector_accuracy`` or
``python -m benchmarks.speed`` (``--help``).
"""

from __future__ import annotations

import argparse
import time

import jaxact
from benchmarks import _cases, accuracy, speed, vector_accuracy


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--functions", nargs="+", help="only these jaxact names")
    parser.add_argument("--update", action="store_true", help="keep the other entries")
    parser.add_argument("--no-torch", action="store_true", help="skip PyTorch even if present")
    args = parser.parse_args(argv)
    common = ["--update"] * args.update + ["--no-torch"] * args.no_torch
    names = args.functions or list(jaxact.names())
    elementwise = [n for n in names if jaxact.get(_cases.base_name(n)).elementwise]
    vector = [n for n in names if n not in elementwise]
    start = time.perf_counter()
    if elementwise:
        accuracy.main([*common, *(["--functions", *elementwise] if args.functions else [])])
    if vector:
        vector_accuracy.main([*common, *(["--functions", *vector] if args.functions else [])])
    middle = time.perf_counter()
    speed.main([*common, *(["--functions", *names] if args.functions else [])])
    end = time.perf_counter()
    print(f"accuracy {middle - start:.0f} s, speed {end - middle:.0f} s")


if __name__ == "__main__":
    main()
