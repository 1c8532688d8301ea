"""The code passes ruff lint and format checks (configuration in pyproject.toml)."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
DIRS = [d for d in ("jaxact", "tests", "benchmarks", "docsgen", "tools") if (ROOT / d).is_dir()]


@pytest.mark.parametrize("args", [["check"], ["format", "--check"]], ids=["check", "format"])
def test_ruff_passes(args):
    ruff = pathlib.Path(sys.executable).with_name("ruff")
    proc = subprocess.run([str(ruff), *args, *DIRS], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
