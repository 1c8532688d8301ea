"""Every name of every function: read from this tree's jaxact, and the alias pages they give.

``registry_names()`` is ``{function name: [name, *aliases]}``, read in a fresh interpreter (an
import here would stay stale under ``mkdocs serve``) and cached on disk, keyed on jaxact's
sources. ``alias_pages()`` is a generator of ``docsgen.generate``: for each alias
(``swish``, ``logistic``, ...) a static page ``functions/<alias>/index.html`` that sends the
reader to the function's page. Written as a real (git-ignored) file by ``python -m docsgen``,
any site builder copies it, hooks or none; as a static file it is not in the nav, the sitemap
or the search index.
"""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from docsgen._digest import digest_files

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "docsgen"  # outside the watched folders
_NAMES = (
    "import json, jaxact; print(json.dumps({s.name: list(s.all_names) for s in jaxact.specs()}))"
)


def _jaxact_hash() -> str:
    return digest_files(sorted((ROOT / "jaxact").rglob("*.py")), ROOT).hexdigest()[:24]


def start_reading_names() -> Callable[[], dict[str, list[str]]]:
    """Start reading ``{function name: [name, *aliases]}`` from this tree's jaxact in a fresh
    interpreter; the returned function waits for the answer. A warm run reads a cached file."""
    cached = CACHE / f"names-{_jaxact_hash()}.json"
    if cached.exists():
        names = json.loads(cached.read_text())
        return lambda: names
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    proc = subprocess.Popen(
        [sys.executable, "-c", _NAMES],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": path},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )

    def wait() -> dict[str, list[str]]:
        out, err = proc.communicate()
        if proc.returncode:
            raise RuntimeError(f"docsgen.names: reading jaxact's registry failed:\n{err}")
        CACHE.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(out)
        tmp.replace(cached)  # whole or absent, for concurrent builds
        return json.loads(out)

    return wait


def registry_names() -> dict[str, list[str]]:
    """``{function name: [name, *aliases]}`` from this tree's jaxact (``start_reading_names``)."""
    return start_reading_names()()


def alias_page(alias: str, name: str) -> str:
    """A static page at ``functions/<alias>/`` that sends the reader to ``functions/<name>/``
    (meta refresh, canonical link, and a plain link for when refresh is off)."""
    target = f"../{html.escape(name)}/"
    a, n = html.escape(alias), html.escape(name)
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{a}: see {n}</title>\n"
        f'<link rel="canonical" href="{target}">\n'
        '<meta name="robots" content="noindex">\n'
        f'<meta http-equiv="refresh" content="0; url={target}">\n'
        "</head>\n<body>\n"
        f'<p><code>jaxact.{a}</code> is another name for <a href="{target}">jaxact.{n}</a>.</p>\n'
        "</body>\n</html>\n"
    )


def alias_pages() -> dict[str, str | bytes]:
    """``{"functions/<alias>/index.html": page}`` for every alias in jaxact's registry."""
    return {
        f"functions/{alias}/index.html": alias_page(alias, name)
        for name, all_names in registry_names().items()
        for alias in all_names[1:]
    }
