"""Build the documentation site once per test run (shared by test_site and test_browser).

Also a small static checker of links and anchors over the built HTML.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import os
import re
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from docsgen._layout import NOTEBOOK_GLOBS

ROOT = Path(__file__).resolve().parent.parent
# The notebooks rendered on the site (mkdocs.yml's mkdocs-jupyter `include`).
NOTEBOOKS = [p for glob in NOTEBOOK_GLOBS for p in sorted((ROOT / "docs").glob(glob))]
# The longest notebook code line that fits its code block on one line at the browser test's
# default desktop viewport (1280 x 720): measured there, 80 characters of Material's 13.6 px code
# font in its 688 px block (docs/assets/css/notebooks.css; mkdocs-jupyter's `no_prompt`). 79 keeps
# a character to spare. On narrower screens the lines wrap.
CODE_WIDTH = 79


# mkdocs.yml's site_url: where the site is hosted, and the path under which it is served there.
SITE_URL = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(), re.M).group(1)
SITE_PATH = urlsplit(SITE_URL).path

# The site build, as `python -m <BUILD_ARGS>`: the docs workflow (.github/workflows/docs.yml) runs
# the same command (tests/test_workflows.py compares them); the tests add `-d` a temporary folder.
BUILD_ARGS = ("mkdocs", "build", "--strict")
# The environment that the build gets on top of the caller's (the notebooks are always executed).
BUILD_ENV = {"NO_MKDOCS_2_WARNING": "1"}


@dataclass(frozen=True)
class BuiltSite:
    path: Path
    returncode: int
    log: str


_started: tuple[Path, subprocess.Popen] | None = None
"""The build that :func:`start_build` began in the background: its folder and its process."""
_started_shared: list[subprocess.Popen] = []
"""The shared build's process, in the pytest-xdist worker that started it (kept to the end)."""


def start_build() -> None:
    """Begin the build in the background; :func:`build_site` then waits for it.

    The conftest calls this once collection is over, when a collected test uses the site, and
    runs the site's tests last, so that the build (a subprocess, 95 s on a quiet 2-core
    machine) runs beside the other tests instead of holding up the first site test's setup
    alone. The site is the same; only when its build starts changes. Under pytest-xdist every
    worker calls this: the first one starts the build, in a folder all of them read."""
    global _started
    shared = _shared_folder()
    if shared is not None:
        _start_shared(shared)
    elif _started is None:
        folder = Path(tempfile.mkdtemp(prefix="jaxact-site-"))
        _started = (folder, _start(folder))


def settle() -> None:
    """Wait for a background build, if one runs: for a test that edits a file it reads."""
    if _started is not None:
        _started[1].wait()
    shared = _shared_folder()
    if shared is not None and (shared / "pid").exists():
        with _locked(shared):
            pass


def stop_build() -> None:
    """End a background build that no test waited for (a run stopped early).

    Under pytest-xdist a worker leaves the shared build alone (another worker may still need
    it): the controller ends it with :func:`stop_shared_build` once the whole run is over."""
    if _started is not None and _started[1].poll() is None:
        os.killpg(_started[1].pid, signal.SIGKILL)  # with the notebooks it is executing
        _started[1].wait()
    for proc in _started_shared:
        proc.poll()  # its exit status collected if it ended, as a finished build has


def shared_folder(run: str) -> Path:
    """The folder of the build that the pytest-xdist workers of test run ``run`` share."""
    return Path(tempfile.gettempdir()) / f"jaxact-site-{run}"


def stop_shared_build(run: str) -> None:
    """End the shared build of test run ``run`` if it still runs (a run stopped early)."""
    folder = shared_folder(run)
    if (folder / "pid").exists() and not (folder / "returncode").exists():
        with contextlib.suppress(ProcessLookupError):
            os.killpg(int((folder / "pid").read_text()), signal.SIGKILL)


@functools.cache
def build_site() -> BuiltSite:
    """``mkdocs build --strict`` once per test run, notebooks executed.

    The build executes only notebooks whose executed copy is not in ``.cache/notebooks/`` yet
    (``docsgen/notebooks.py``): a second run of an unchanged tree executes none. Under
    pytest-xdist the workers share one build, started in the background by the first worker
    to finish collecting (:func:`start_build`); the others wait for it and read its result.
    """
    if _started is not None:
        return _finish(*_started)
    shared = _shared_folder()
    if shared is None:
        return _build(Path(tempfile.mkdtemp(prefix="jaxact-site-")))
    shared.mkdir(exist_ok=True)
    with _locked(shared):  # held by the build's process while it runs
        if not (shared / "pid").exists():  # nobody started it: build here, holding the lock
            built = _build(shared)
            (shared / "returncode").write_text(str(built.returncode))
            return built
        log = (shared / "stdout").read_text() + (shared / "stderr").read_text()
        if not (shared / "returncode").exists():  # the build's process was killed
            return BuiltSite(shared / "site", -1, log + "\n(the build ended without a status)")
        return BuiltSite(shared / "site", int((shared / "returncode").read_text()), log)


def _shared_folder() -> Path | None:
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")  # set in pytest-xdist's workers
    return None if run is None else shared_folder(run)


@contextlib.contextmanager
def _locked(shared: Path) -> Iterator[None]:
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        yield


# The shared build's process: runs the build (argv[2:]), then writes its exit status to argv[1]
# while it still holds the lock (an inherited file descriptor), which its exit releases.
_RECORD_STATUS = """\
import os, subprocess, sys
status = subprocess.call(sys.argv[2:])
with open(sys.argv[1] + ".tmp", "w") as out:
    out.write(str(status))
os.replace(sys.argv[1] + ".tmp", sys.argv[1])
"""


def _start_shared(shared: Path) -> None:
    shared.mkdir(exist_ok=True)
    with open(shared / "lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return  # another worker starts it, or its build runs
        if (shared / "pid").exists():
            return  # started by another worker, and finished
        prefix = [sys.executable, "-c", _RECORD_STATUS, str(shared / "returncode")]
        _started_shared.append(_start(shared, prefix=prefix, keep=(lock.fileno(),)))
        (shared / "pid").write_text(str(_started_shared[-1].pid))


def _build(folder: Path) -> BuiltSite:
    return _finish(folder, _start(folder))


def _start(
    folder: Path, prefix: Sequence[str] = (), keep: tuple[int, ...] = ()
) -> subprocess.Popen:
    env = {**os.environ, **BUILD_ENV}
    env.pop("JAXACT_DOCS_SKIP_NOTEBOOKS", None)
    # The output goes to files, not pipes: nobody reads a background build's pipes, and a
    # full pipe would stall it.
    with open(folder / "stdout", "w") as out, open(folder / "stderr", "w") as err:
        return subprocess.Popen(
            [*prefix, sys.executable, "-m", *BUILD_ARGS, "-d", str(folder / "site")],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=err,
            text=True,
            start_new_session=True,  # its own process group, which stop_build ends
            pass_fds=keep,
        )


def _finish(folder: Path, proc: subprocess.Popen) -> BuiltSite:
    returncode = proc.wait()
    log = (folder / "stdout").read_text() + (folder / "stderr").read_text()
    (folder / "build.log").write_text(log)  # kept next to the site, for a failed build
    return BuiltSite(folder / "site", returncode, log)


class _Collector(HTMLParser):
    """Element ids and the (tag, attribute, url) of every reference in one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str, str]] = []
        self.canonical: str | None = None  # <link rel="canonical">: a name, not a resource

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "link" and dict(attrs).get("rel") == "canonical":
            self.canonical = dict(attrs).get("href")
            return
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name"):
                self.ids.add(value)
            elif name in ("href", "src"):
                self.refs.append((tag, name, value))


@functools.cache
def parse(page: Path) -> _Collector:
    collector = _Collector()
    collector.feed(page.read_text(encoding="utf-8"))
    return collector


def broken_links(site: Path) -> list[str]:
    """Internal ``href``/``src`` that point at a missing file or a missing anchor."""
    problems = []
    for page in sorted(site.rglob("*.html")):
        for tag, _, url in parse(page).refs:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or url.startswith(("mailto:", "data:", "javascript:")):
                continue
            path = unquote(parts.path)
            if not path:
                target = page
            elif path.startswith("/"):  # 404.html links from the root of the hosted site
                target = (site / path.removeprefix(SITE_PATH).lstrip("/")).resolve()
            else:
                target = (page.parent / path).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                problems.append(f"{page.relative_to(site)}: <{tag}> {url} (no such file)")
            elif parts.fragment and target.suffix == ".html":
                if unquote(parts.fragment) not in parse(target).ids:
                    problems.append(f"{page.relative_to(site)}: {url} (no such anchor)")
    return problems
