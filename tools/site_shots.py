"""Screenshots of every page of a built site, at 1280 and 390 px, light and dark: for reading.

    python -m tools.site_shots SITE_DIR [OUT_DIR] [--views 390-dark,1280-light] [--only PREFIX]
                               [--whole]

Serves ``SITE_DIR`` on 127.0.0.1 and writes ``OUT_DIR/<page>--<width>-<scheme>.png`` (default
``/tmp/site-shots``): the whole page, or its first ``MAX_SCREENS`` screens when it is longer.
With ``--whole`` it writes the whole page instead, as consecutive viewport-sized screens
``OUT_DIR/<page>--<width>-<scheme>-NN.png`` (one image per screen a reader scrolls through).
The palette follows the browser's colour scheme (mkdocs.yml's ``media`` queries). A reading aid,
not a test: it asserts nothing and prints, for each shot, the page height and any element that is
wider than the page (what would make a phone reader scroll sideways).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import threading
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
VIEWS = {"1280-light": (1280, 800, "light"), "1280-dark": (1280, 800, "dark")}
VIEWS |= {"390-light": (390, 844, "light"), "390-dark": (390, 844, "dark")}
MAX_SCREENS = 3

# Elements in the article whose right edge passes the viewport (and are not inside a box that
# scrolls sideways on purpose): what a reader would have to scroll the whole page to see.
_OVERFLOW = """() => {
  const w = document.documentElement.clientWidth, out = [];
  for (const e of document.querySelectorAll('article *')) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.right <= w + 1) continue;
    let p = e.parentElement, scrolls = false;
    while (p && p !== document.body) {
      const s = getComputedStyle(p);
      if (/(auto|scroll|hidden)/.test(s.overflowX) && p.getBoundingClientRect().right <= w + 1) {
        scrolls = true; break;
      }
      p = p.parentElement;
    }
    if (!scrolls) out.push(e.tagName.toLowerCase() + '.' + e.className + ' ' + Math.round(r.right));
  }
  return out.slice(0, 5);
}"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def _pages(site: Path) -> list[str]:
    pages = []
    for html in sorted(site.rglob("index.html")):
        rel = html.parent.relative_to(site).as_posix()
        if "refresh" in html.read_text(encoding="utf-8")[:600]:
            continue  # an alias page: it only sends the reader on
        pages.append("" if rel == "." else rel + "/")
    return pages


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("site", type=Path)
    parser.add_argument("out", type=Path, nargs="?", default=Path("/tmp/site-shots"))
    parser.add_argument("--views", default=",".join(VIEWS))
    parser.add_argument("--only", default="", help="comma-separated page path prefixes")
    parser.add_argument("--whole", action="store_true", help="every screen, one image each")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(_Quiet, directory=str(args.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    pages = _pages(args.site)
    if args.only:
        prefixes = args.only.split(",")
        pages = [p for p in pages if any(p.startswith(x) for x in prefixes if x) or p in prefixes]

    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for view in args.views.split(","):
            width, height, scheme = VIEWS[view]
            context = browser.new_context(
                viewport={"width": width, "height": height}, color_scheme=scheme
            )
            tab = context.new_page()
            for page in pages:
                tab.goto(base + page, wait_until="networkidle")
                tab.wait_for_timeout(150)
                full = tab.evaluate("document.documentElement.scrollHeight")
                name = (page.strip("/").replace("/", "_") or "home") + f"--{view}.png"
                shown = full if args.whole else min(full, MAX_SCREENS * height)
                _screens(tab, args.out / name, width, height if args.whole else shown, shown)
                print(f"{name}: {full} px tall; wider than the page: {tab.evaluate(_OVERFLOW)}")
            context.close()
        browser.close()
    server.shutdown()


def _screens(tab: object, path: Path, width: int, height: int, full: int) -> None:
    """Write the page's first ``full`` px as consecutive images of ``height`` px.

    One image keeps ``path``; several are ``<stem>-00.png``, ``<stem>-01.png``, ...
    """
    tops = range(0, full, height)
    for number, top in enumerate(tops):
        clip = {"x": 0, "y": top, "width": width, "height": min(height, full - top)}
        out = path if len(tops) == 1 else path.with_name(f"{path.stem}-{number:02d}.png")
        tab.screenshot(path=str(out), full_page=True, clip=clip)  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
