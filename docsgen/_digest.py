"""One digest of source files, for the cache keys of the generators, notebooks and search names."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path


def digest_files(paths: Iterable[Path], root: Path) -> hashlib._Hash:
    """SHA-256 over each existing file's path (relative to ``root``) and bytes, in the order given;
    the caller may add more (versions, settings) before reading it."""
    digest = hashlib.sha256()
    for path in paths:
        if path.is_file():
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest
