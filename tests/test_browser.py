"""The built site in headless Chromium (Debian's package, via Playwright): no request to
another host, no console or page error, no HTTP error, math rendered, images loaded, search."""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from _site import CODE_WIDTH, NOTEBOOKS, build_site

import jaxact

pytestmark = [
    pytest.mark.browser,
    # The throwaway local server may drop a keep-alive socket at teardown: not a site defect.
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _ensure_chromium() -> None:
    """Install Debian's chromium when missing (never a downloaded browser build)."""
    if os.path.exists(CHROMIUM):
        return
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        pytest.fail(f"{CHROMIUM} is missing: run `apt-get install -y chromium` as root")
    for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", "chromium"]):
        print("running:", " ".join(cmd))
        subprocess.run(cmd, check=True)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # keep the test output quiet
        pass


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    built = build_site()
    assert built.returncode == 0, built.log[-4000:]
    handler = functools.partial(_QuietHandler, directory=str(built.path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    _ensure_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


def _pages() -> list[str]:
    pages = [f"functions/{name}/" for name in jaxact.names()] + ["functions/"]
    docs = Path(__file__).resolve().parent.parent / "docs"
    for notebook in NOTEBOOKS:
        pages.append(f"{notebook.parent.name}/{notebook.stem}/")
    # The hand-written pages (home, concepts, guide, API, references) and the generated API
    # and benchmark pages.
    for md in sorted(docs.rglob("*.md")):
        rel = md.relative_to(docs).with_suffix("")
        if rel.parts[0] != "_notes" and not md.name.endswith(".zh.md"):
            pages.append("" if rel.name == "index" else f"{rel.as_posix()}/")
    # `python -m docsgen` writes the generated pages into docs/ too: each page once.
    pages = list(
        dict.fromkeys(pages + ["api/functions/", "benchmarks/accuracy/", "benchmarks/speed/"])
    )
    # The Chinese edition (docsgen/editions.py): every page again under zh/, and its glossary.
    return pages + [f"zh/{p}" for p in pages] + ["zh/glossary/"]


# KaTeX renders from Material's page-load hook, which may run after the network is idle.
MATH_RENDERED = """() => [...document.querySelectorAll('.arithmatex')]
  .every(e => e.querySelector('.katex, .katex-error'))"""

# The fonts the page's layout uses, loaded: a layout first, as it is what requests them (KaTeX's
# after the math renders), then the document's font set settles.
FONTS_LOADED = """async () => {
  document.body.getBoundingClientRect();
  await document.fonts.ready;
}"""


CHECK_PAGE = """() => {
  const bad = [];
  document.querySelectorAll('.katex-error').forEach(e => bad.push('katex error: ' + e.textContent));
  const walker = document.createTreeWalker(document.querySelector('article') || document.body,
                                           NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const n = walker.currentNode, p = n.parentElement;
    if (p.closest('.katex, pre, code, script, style, .clipboard-copy-txt')) continue;
    if (/\\$\\$|\\\\\\(|\\\\\\[|\\$[^$\\s][^$]*\\$/.test(n.textContent))
      bad.push('raw TeX: ' + n.textContent.slice(0, 80));
  }
  document.querySelectorAll('img').forEach(i => {
    if (!i.complete || i.naturalWidth === 0) bad.push('image not loaded: ' + i.src);
  });
  // Code and printed output: no line wider than its block (it would scroll or wrap).
  document.querySelectorAll('article pre').forEach(p => {
    const box = p.querySelector(':scope > code') || p;  // Material scrolls pre > code
    if (box.clientWidth === 0) return;  // not displayed (a closed tab or details)
    const widest = p.textContent.split('\\n').reduce((a, b) => (b.length > a.length ? b : a));
    const probe = document.createElement('span');
    probe.textContent = 'x'.repeat(200);
    probe.style.whiteSpace = 'pre';  // one line even where the block wraps
    probe.style.display = 'inline-block';
    box.appendChild(probe);
    const char = probe.getBoundingClientRect().width / 200;
    probe.remove();
    const style = getComputedStyle(box);
    const inner = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const fits = Math.floor(inner / char + 1e-6);
    if (box.scrollWidth > box.clientWidth + 1 || p.scrollWidth > p.clientWidth + 1
        || widest.length > fits)
      bad.push(`code line of ${widest.length} > ${fits} characters: ${widest}`);
  });
  // Tables and display math: no sideways scroll either.
  const wide = 'article .md-typeset__scrollwrap, article .katex-display';
  document.querySelectorAll(wide).forEach(e => {
    if (e.scrollWidth > e.clientWidth + 1)
      bad.push(`scrolls sideways (${e.scrollWidth} > ${e.clientWidth} px): `
               + e.textContent.trim().slice(0, 60));
  });
  return bad;
}"""

# Nothing sticks out past the screen's edge, and nothing scrolls sideways except tables, display
# formulas and printed notebook output, each inside its own box: code wraps (docs/assets/css).
FITS_SCREEN = """() => {
  const bad = new Set(), doc = document.documentElement, edge = doc.clientWidth;
  if (doc.scrollWidth > edge) bad.add(`the page scrolls sideways (${doc.scrollWidth} px)`);
  const article = document.querySelector('article');
  const own = '.md-typeset__scrollwrap, .arithmatex, .katex-display, .jp-OutputArea pre, '
    + '.jaxact-wide-figure';
  const name = e => `<${e.tagName.toLowerCase()} class="${e.getAttribute('class') || ''}">`;
  const inBox = e => {  // inside an ancestor that scrolls or clips (KaTeX clips its MathML copy)
    for (let a = e.parentElement; a && a !== article; a = a.parentElement)
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    return false;
  };
  article.querySelectorAll('*').forEach(e => {
    const scrolls = ['auto', 'scroll'].includes(getComputedStyle(e).overflowX);
    if (scrolls && e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1 && !e.matches(own))
      bad.add(`scrolls sideways: ${name(e)} ${e.textContent.trim().slice(0, 60)}`);
    const right = e.getBoundingClientRect().right;
    if (right > edge + 1 && !inBox(e))
      bad.add(`past the screen's edge (${Math.round(right)} > ${edge} px): ${name(e)}`);
  });
  return [...bad];
}"""

# A display formula wider than its column scrolls inside its box, and shows that it does: the
# scroll cue of extra.css (edge shadows, a visible scrollbar) on the class katex-init.js sets.
SCROLL_CUES = """() => [...document.querySelectorAll('article :is(div.arithmatex, .katex-display)')]
  .filter(e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
  .filter(e => e.scrollWidth > e.clientWidth + 1)
  .filter(e => !e.classList.contains('jaxact-scrolls')
               || !getComputedStyle(e).backgroundImage.includes('gradient'))
  .map(e => `formula scrolls without a cue (${e.scrollWidth} > ${e.clientWidth} px): `
            + e.textContent.trim().slice(0, 60))"""

# Printed notebook output keeps its lines and scrolls sideways in its box where it is wider
# (notebooks.css): it shows that it does, as the formulas do (a table cut at "grad fir" on a phone
# gave no sign of more).
PRINTED_OUTPUT_CUES = """() => [...document.querySelectorAll(
    'article .jp-RenderedText:not([data-mime-type$="stderr"]) pre')]
  .filter(e => e.scrollWidth > e.clientWidth + 1)
  .filter(e => !getComputedStyle(e).backgroundImage.includes('gradient'))
  .map(e => `printed output scrolls without a cue: ${e.textContent.trim().slice(0, 60)}`)"""

# A table wider than a phone scrolls in its box (Material's scrollwrap) and shows that it does
# (extra.css): the API pages' parameter tables were cut at "Defa" with no sign of more.
TABLE_SCROLL_CUES = """() => [...document.querySelectorAll('article .md-typeset__scrollwrap')]
  .filter(e => e.scrollWidth > e.clientWidth + 1)
  .filter(e => !getComputedStyle(e).backgroundImage.includes('gradient'))
  .map(e => `table scrolls without a cue: ${e.textContent.trim().slice(0, 60)}`)"""

# A number in a code block is never split across lines on a phone (binary_step's example broke
# "[-3.0," into "[-3." and "0,": code-lines.js lets such a line wrap after brackets and commas).
WHOLE_NUMBERS = """() => [...document.querySelectorAll('article pre code :is(.m, .mf, .mi, .mh)')]
  .filter(n => n.getClientRects().length > 1)
  .map(n => `number split across lines in code: ${n.textContent}`)"""

# A code word in a table cell is never split across lines (Material lets code break anywhere:
# gelu's "valid" column showed "Fals" / "e" on a phone).
WHOLE_CODE_WORDS = """() => [...document.querySelectorAll('article :is(td, th) code')]
  .filter(c => !/\\s/.test(c.textContent.trim()) && c.getClientRects().length > 1)
  .map(c => `code word split across lines: ${c.textContent}`)"""

# The site's figures on a phone, the notebooks' too: none shrunk below 0.7 of the size it was
# drawn at (several panels side by side, the gallery, notebook 01's grid of 16: their labels were
# 4 px tall), and one that is wider than the screen scrolls in its paragraph or output box with
# the formulas' scroll cue (katex-init.js, extra.css, notebooks.css).
READABLE_FIGURES = """() => [...document.querySelectorAll(
    'article img[src$=".svg"], article .jp-RenderedImage > img')]
  .filter(i => !i.closest('.jp-RenderedMarkdown') && i.getBoundingClientRect().width > 0)
  .flatMap(i => {
    const bad = [], scale = i.getBoundingClientRect().width / i.naturalWidth, box = i.parentElement;
    if (scale < 0.7) bad.push(`figure shown at ${scale.toFixed(2)} of its size: ${i.src}`);
    if (box.scrollWidth > box.clientWidth + 1
        && !getComputedStyle(box).backgroundImage.includes('gradient'))
      bad.push(`figure scrolls without a cue: ${i.src}`);
    return bad;
  })"""

# Code wraps on a phone: each line is a span (code-lines.js), and a wrapped line's continuation
# starts right of where the line starts (a hanging indent, extra.css). It started at the left
# edge, where "threshold=0.0))" read as a new line of code.
HANGING_INDENT = """() => {
  const bad = [];
  document.querySelectorAll('article pre > code, article .jp-InputArea pre').forEach(block => {
    if (block.getBoundingClientRect().width === 0) return;  // not displayed
    const lines = block.querySelectorAll(':scope > .jaxact-line');
    if (!lines.length) {
      bad.push('code without line spans: ' + block.textContent.slice(0, 40));
      return;
    }
    lines.forEach(line => {
      const range = document.createRange();
      range.selectNodeContents(line);
      const boxes = [...range.getClientRects()].filter(r => r.width > 0);
      if (!boxes.length) return;
      const top = Math.min(...boxes.map(r => r.top));
      const rest = boxes.filter(r => r.top > top + 2);
      if (!rest.length) return;  // not wrapped
      const start = Math.min(...boxes.filter(r => r.top <= top + 2).map(r => r.left));
      if (Math.min(...rest.map(r => r.left)) < start + 2)
        bad.push('wrapped code line without a hanging indent: ' + line.textContent.slice(0, 40));
    });
  });
  return bad;
}"""

# On a phone a parameter table is one block per parameter (extra.css): name, default, valid
# range and meaning each start at the same left edge, one under the other. As four columns,
# pau's meaning column was 82 px wide in a 358 px column and scrolled out of sight.
PARAMETER_BLOCKS = """() => [...document.querySelectorAll('article .jaxact-params tbody tr')]
  .filter(tr => new Set([...tr.children].map(td => Math.round(td.getBoundingClientRect().left)))
    .size > 1)
  .map(tr => 'parameter row in columns, not stacked: ' + tr.textContent.trim().slice(0, 40))"""

# Inline math keeps the brackets and punctuation next to it on its line (katex-init.js joins
# them): no line starts with a closing mark right after a formula (hard_silu's "f′(3) = 1" ended
# one line at 1280 px and its "." stood alone on the next) and none ends with an opening bracket
# right before one (identity's "unchanged (" then "f′(x) = 1)"); and a short formula is not split
# across lines (relu's "f(x) =" then "min(x, M)" at 1280 px). Every inline formula, the
# notebooks' too; its neighbours are the nearest text outside any formula, in document order.
MATH_PUNCTUATION = """() => {
  const opening = /[(\\[{“‘«（［「『【]$/;
  const closing = /^[.,;:!?)\\]}”’»\\-–—，。、：；！？）］」』】]/;
  const article = document.querySelector('article');
  if (!article) return [];
  const all = [];  // the text nodes and formulas (not entered) in document order
  const visit = n => {
    if (n.nodeType === Node.TEXT_NODE || n.matches?.('.katex')) all.push(n);
    else n.childNodes.forEach(visit);
  };
  visit(article);
  const charBox = (node, i) => {
    const range = document.createRange();
    range.setStart(node, i);
    range.setEnd(node, i + 1);
    return range.getClientRects()[0];
  };
  const bad = [];
  all.forEach((k, i) => {
    if (k.nodeType === Node.TEXT_NODE || k.closest('.katex-display')) return;
    const boxes = [...k.querySelector('.katex-html').getClientRects()].filter(r => r.width > 0);
    if (!boxes.length) return;
    const before = all[i - 1], after = all[i + 1];
    const text = k.textContent.slice(0, 30);
    const shown = k.querySelector('.katex-html').textContent;
    if (shown.length <= 16 && new Set(boxes.map(r => Math.round(r.top))).size > 1)
      bad.push(`short formula split across lines: ${shown}`);
    if (before && before.nodeType === Node.TEXT_NODE && opening.test(before.nodeValue)) {
      const mark = charBox(before, before.nodeValue.length - 1);
      if (mark && mark.width > 0 && boxes[0].top > mark.bottom - 2)
        bad.push(`"${before.nodeValue.slice(-1)}" alone before ${text}`);
    }
    if (after && after.nodeType === Node.TEXT_NODE && closing.test(after.nodeValue)) {
      const mark = charBox(after, 0);
      if (mark && mark.width > 0 && mark.top > boxes[boxes.length - 1].bottom - 2)
        bad.push(`"${after.nodeValue[0]}" alone after ${text}`);
    }
  });
  return bad;
}"""

# A figure keeps the proportions it was drawn with: in a pair of unequal heights (snake's f
# family beside its taller f′ family) the flex row stretched the shorter one to the taller's
# height (extra.css aligns the pair at the bottom instead).
FIGURE_PROPORTIONS = """() => [...document.querySelectorAll('article img[src$=".svg"]')]
  .filter(i => i.naturalWidth > 0 && i.getBoundingClientRect().height > 0)
  .filter(i => {
    const b = i.getBoundingClientRect();
    return Math.abs(b.width / b.height / (i.naturalWidth / i.naturalHeight) - 1) > 0.02;
  })
  .map(i => `figure stretched out of its proportions: ${i.src}`)"""

# The default desktop viewport (Playwright's default, stated): the code blocks must fit it.
VIEWPORT = {"width": 1280, "height": 720}
# A phone held upright (CSS pixels of a current 6.1-inch phone).
PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("path", _pages())
def test_page_renders_offline(browser, base_url: str, path: str) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    page = browser.new_page(viewport=VIEWPORT)
    problems: list[str] = []
    host = urlsplit(base_url).netloc
    page.on(
        "request",
        lambda r: (
            urlsplit(r.url).netloc not in ("", host)
            and not r.url.startswith("data:")
            and problems.append(f"request to another host: {r.url}")
        ),
    )
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"))
    # Checked once the page has loaded (its images included), its math is rendered and the
    # fonts that its layout asked for have arrived, not after half a second of network silence:
    # that wait (half a second on each of 147 pages) is left to the end, where it overlaps them.
    page.goto(f"{base_url}/{path}", wait_until="load")
    try:
        page.wait_for_function(MATH_RENDERED, timeout=15000)
    except PlaywrightTimeoutError:
        pass  # CHECK_PAGE reports what is left unrendered
    page.evaluate(FONTS_LOADED)
    problems += page.evaluate(CHECK_PAGE) + page.evaluate(FITS_SCREEN)
    problems += page.evaluate(MATH_PUNCTUATION) + page.evaluate(FIGURE_PROPORTIONS)
    if path.startswith("functions/") and path != "functions/":
        assert page.locator(".katex").count() >= 2, "formula and derivative rendered"
    # The same page on a phone: resized rather than loaded again (the CSS follows the viewport),
    # which keeps this check nearly free.
    page.set_viewport_size(PHONE)
    try:  # the cues and the figures' sizes follow the resize event (katex-init.js)
        settled = f"() => ({SCROLL_CUES})().length === 0 && ({READABLE_FIGURES})().length === 0"
        page.wait_for_function(settled, timeout=3000)
    except PlaywrightTimeoutError:
        pass  # reported below
    phone = page.evaluate(FITS_SCREEN) + page.evaluate(SCROLL_CUES)
    phone += page.evaluate(WHOLE_CODE_WORDS) + page.evaluate(READABLE_FIGURES)
    phone += page.evaluate(HANGING_INDENT) + page.evaluate(PARAMETER_BLOCKS)
    phone += page.evaluate(MATH_PUNCTUATION) + page.evaluate(PRINTED_OUTPUT_CUES)
    phone += page.evaluate(WHOLE_NUMBERS) + page.evaluate(TABLE_SCROLL_CUES)
    problems += [f"at {PHONE['width']} px: {p}" for p in phone]
    # Every request the page makes until it falls idle is recorded (another host, HTTP errors).
    page.wait_for_load_state("networkidle")
    page.close()
    assert problems == []


@pytest.mark.parametrize("path", ["functions/softmin/", "functions/softmax/", "functions/pau/"])
def test_formula_scroll_cue_when_the_page_opens_on_a_phone(
    browser, base_url: str, path: str
) -> None:
    """Opened at phone width (not resized to it, as above): a formula that scrolls is marked once
    KaTeX's fonts have loaded. Marked before, softmin's derivative measured narrower than its box
    in the fallback font and lost its cue on about every other load."""
    for _ in range(3):
        page = browser.new_page(viewport=PHONE)
        page.goto(f"{base_url}/{path}", wait_until="load")
        page.wait_for_function(MATH_RENDERED, timeout=15000)
        page.evaluate(FONTS_LOADED)
        page.wait_for_timeout(100)
        missing = page.evaluate(SCROLL_CUES)
        page.close()
        assert missing == []


def test_search_finds_a_function(browser, base_url: str) -> None:
    page = browser.new_page()
    page.goto(f"{base_url}/functions/", wait_until="networkidle")
    # At the default 1280 px viewport Material shows the search field in the header.
    page.click("input.md-search__input")
    page.keyboard.type("mish")
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    results = page.inner_text(".md-search-result")
    page.close()
    assert "Mish" in results


def test_edit_link_is_a_plain_link_never_fetched(browser, base_url: str) -> None:
    # mkdocs.yml's edit_uri without repo_url: a link to GitHub's editor that the page neither
    # fetches nor prefetches, even when the pointer rests on it (navigation.instant).
    page = browser.new_page(viewport=VIEWPORT)
    host = urlsplit(base_url).netloc
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{base_url}/functions/relu/", wait_until="networkidle")
    edit = page.locator("a[rel=edit]")
    href = edit.get_attribute("href")
    edit.hover()
    page.wait_for_timeout(500)
    page.close()
    assert href is not None and href.startswith("https://github.com/")
    assert [u for u in requests if urlsplit(u).netloc not in ("", host)] == []


# How many characters of the code font fit on one line of each notebook code block.
CODE_FIT = """() => [...document.querySelectorAll('article .jp-InputArea pre')].map(p => {
  const probe = document.createElement('span');
  probe.textContent = 'x'.repeat(200);
  probe.style.whiteSpace = 'pre';  // one line, though the block wraps
  probe.style.display = 'inline-block';
  p.appendChild(probe);
  const char = probe.getBoundingClientRect().width / 200;
  probe.remove();
  const style = getComputedStyle(p);
  const inner = p.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return Math.floor(inner / char + 1e-6);
})"""


def test_notebook_code_blocks_fit_code_width(browser, base_url: str) -> None:
    # Ties test_site's CODE_WIDTH (the notebooks' longest code line) to the rendered layout.
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(f"{base_url}/{NOTEBOOKS[0].parent.name}/{NOTEBOOKS[0].stem}/")
    fits = page.evaluate(CODE_FIT)
    page.close()
    assert fits and min(fits) >= CODE_WIDTH, fits


# How a code block looks: the box, and the colour and weight of some token classes.
CODE_STYLE = """(selector) => {
  const e = document.querySelector(selector), s = getComputedStyle(e), out = {};
  for (const k of ['fontFamily', 'fontSize', 'lineHeight', 'color', 'backgroundColor',
                   'paddingTop', 'paddingLeft', 'borderTopLeftRadius', 'borderTopWidth'])
    out[k] = s[k];
  out.width = e.getBoundingClientRect().width;
  for (const token of ['kn', 'c1', 'mi', 'o', 'p', 'n']) {
    const t = e.querySelector('.' + token);
    if (t) { const ts = getComputedStyle(t); out[token] = [ts.color, ts.fontWeight, ts.fontStyle]; }
  }
  return out;
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_notebook_cells_look_like_code_blocks(browser, base_url: str, scheme: str) -> None:
    # A Markdown page's code block (Material) against a notebook's code cell and printed output
    # (mkdocs-jupyter), in the palette the reader's system asks for.
    def styles(path: str, *selectors: str) -> list[dict[str, object]]:
        page = browser.new_page(viewport=VIEWPORT, color_scheme=scheme)
        page.goto(f"{base_url}/{path}", wait_until="networkidle")
        found = [page.evaluate(CODE_STYLE, selector) for selector in selectors]
        page.close()
        return found

    notebook = f"{NOTEBOOKS[0].parent.name}/{NOTEBOOKS[0].stem}/"
    [markdown] = styles("concepts/output-layers/", "article .highlight pre > code")
    code, output = styles(notebook, "article .jp-InputArea pre", "article .jp-RenderedText pre")
    tokens = ["kn", "c1", "mi", "o", "p", "n"]
    assert all(t in markdown and t in code for t in tokens), (markdown, code)
    assert code == markdown
    box = [k for k in markdown if k not in tokens]
    assert {k: output[k] for k in box} == {k: markdown[k] for k in box}
    palette = {"light": "rgb(245, 245, 245)", "dark": "rgb(39, 42, 53)"}  # Material's code blocks
    assert markdown["backgroundColor"] == palette[scheme]


# Material's own search code, run in the page: its worker gets the site's index, as when a
# reader opens the search box, and answers each query with result groups, best page first. It
# fetches the index itself: the page need only have loaded, not fallen idle.
RANK_WITH_MATERIAL = """async (queries) => {
  const config = JSON.parse(document.getElementById('__config').textContent);
  const root = new URL(config.base + '/', location.href);
  const index = await (await fetch(new URL('search/search_index.json', root))).json();
  const worker = new Worker(new URL(config.search, location.href));
  const ask = message => new Promise(resolve => {
    worker.onmessage = event => resolve(event.data);
    worker.postMessage(message);
  });
  // Message types of Material's worker: 0 set up, 2 query (answers 1 ready, 3 result).
  await ask({type: 0, data: {config: index.config, docs: index.docs, options: {suggest: false}}});
  const ranked = {};
  for (const query of queries) {
    const result = await ask({type: 2, data: query});
    ranked[query] = result.data.items.map(group => group[0].location.split('#')[0]);
  }
  worker.terminate();
  return ranked;
}"""

ALL_NAMES = {alias: spec.name for spec in jaxact.specs() for alias in spec.all_names}


def test_search_ranks_every_name_and_alias_on_its_page_first(browser, base_url: str) -> None:
    page = browser.new_page()
    page.goto(f"{base_url}/", wait_until="load")
    ranked = page.evaluate(RANK_WITH_MATERIAL, list(ALL_NAMES))
    page.close()
    first = {query: pages[0] if pages else None for query, pages in ranked.items()}
    assert first == {q: f"functions/{name}/" for q, name in ALL_NAMES.items()}


# Display names typed as words: one word is another function's name ("relu", "tanh").
WORDS = {
    "leaky relu": "leaky_relu",
    "squared relu": "squared_relu",
    "hard tanh": "hard_tanh",
    "hard sigmoid": "hard_sigmoid",
    "hard swish": "hard_silu",
    "sparse sigmoid": "sparse_sigmoid",
    "binary step": "binary_step",
}


def test_search_finds_a_function_by_the_words_of_its_name(browser, base_url: str) -> None:
    page = browser.new_page()
    page.goto(f"{base_url}/", wait_until="load")
    ranked = page.evaluate(RANK_WITH_MATERIAL, list(WORDS))
    page.close()
    first = {query: pages[0] if pages else None for query, pages in ranked.items()}
    assert first == {q: f"functions/{name}/" for q, name in WORDS.items()}


# What a reader types, and the page that answers it (docsgen/site_search.py: names, their words,
# and the pages' front matter `search_words`).
NATURAL = {
    "log softmax": "functions/log_softmax/",
    "log sigmoid": "functions/log_sigmoid/",
    "dead relu": "concepts/dead-relu/",
    "dying relu": "concepts/dead-relu/",
    "vanishing gradient": "concepts/saturation/",
    "exploding gradients": "concepts/saturation/",
    "swish": "functions/silu/",
    "leaky": "functions/leaky_relu/",
    "gelu tanh": "functions/gelu/",
    "softmax temperature": "functions/softmax/",
    "smooth": "concepts/smoothness-monotonicity/",
    "output layer": "concepts/output-layers/",
    "cross entropy": "concepts/output-layers/",
    "zero centred": "concepts/zero-centred/",
    "choosing": "guide/selection/",
}
# The first page's score over the next page's. 1.5: Material multiplies a page's score by
# 1 + (1 + f)² where f is the fraction of the query's words it matches, 5 for all of them and
# 3.25 for one of two (measured: "log softmax" 1.53 over log_sigmoid; most others > 2.5).
MARGIN = 1.5
SCORES_WITH_MATERIAL = RANK_WITH_MATERIAL.replace(
    "group => group[0].location.split('#')[0]",
    "group => [group[0].location.split('#')[0], group[0].score]",
)


def test_search_answers_natural_queries_first_by_a_clear_margin(browser, base_url: str) -> None:
    page = browser.new_page()
    page.goto(f"{base_url}/", wait_until="load")
    ranked = page.evaluate(SCORES_WITH_MATERIAL, list(NATURAL))
    page.close()
    first = {query: pages[0][0] if pages else None for query, pages in ranked.items()}
    assert first == NATURAL
    margins = {q: pages[0][1] / pages[1][1] for q, pages in ranked.items() if len(pages) > 1}
    assert {q: round(m, 2) for q, m in margins.items() if m < MARGIN} == {}


@pytest.mark.parametrize(("query", "name"), [("relu", "relu"), ("tanh", "tanh"), ("swish", "silu")])
def test_search_box_shows_the_function_first_with_plain_snippets(
    browser, base_url: str, query: str, name: str
) -> None:
    page = browser.new_page()
    page.goto(f"{base_url}/functions/", wait_until="networkidle")
    page.click("input.md-search__input")
    page.keyboard.type(query)
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    first = page.get_attribute(".md-search-result__item a", "href")
    snippets = page.inner_text(".md-search-result")
    chips = page.locator(".md-search-result .md-tags").first.is_visible()
    page.close()
    assert not chips  # the tags are search words, not labels (docs/assets/css/search.css)
    assert urlsplit(first).path.endswith(f"/functions/{name}/")
    assert not re.search(r"\\[A-Za-z]+|\\[(\[]|¶", snippets), snippets[:2000]


@pytest.mark.parametrize("alias", [a for a, name in ALL_NAMES.items() if a != name])
def test_alias_url_leads_to_the_function_page(browser, base_url: str, alias: str) -> None:
    page = browser.new_page()
    response = page.goto(f"{base_url}/functions/{alias}/")
    assert response is not None and response.status == 200
    page.wait_for_url(f"**/functions/{ALL_NAMES[alias]}/", timeout=15000)
    assert page.locator("h1").first.inner_text().strip()
    page.close()


# Tick labels of the accuracy figures as displayed at 1280 px: the size they are drawn at
# (docsgen.benchmark_pages.ACCURACY_TICK_PT, in SVG points of 4/3 px) times the image's scale.
IMAGE_SCALES = """() => [...document.querySelectorAll('article img[src*="accuracy-"]')]
  .filter(i => i.getBoundingClientRect().width > 0)
  .map(i => [i.getAttribute('src'), i.getBoundingClientRect().width / i.naturalWidth])"""


VECTOR_SECTION_HEIGHT = """() => {
  const top = document.getElementById('vector-valued-functions');
  const next = document.getElementById('error-against-x');
  return next.getBoundingClientRect().top - top.getBoundingClientRect().top;
}"""


def test_accuracy_figures_tick_labels_readable_at_desktop_width(browser, base_url: str) -> None:
    from docsgen.benchmark_pages import ACCURACY_TICK_PT

    page = browser.new_page(viewport=VIEWPORT)
    page.goto(f"{base_url}/benchmarks/accuracy/", wait_until="networkidle")
    scales = page.evaluate(IMAGE_SCALES)
    height = page.evaluate("document.documentElement.scrollHeight")
    # The vector-valued functions' section (tables, no figures) came after that bound was set.
    vector = page.evaluate(VECTOR_SECTION_HEIGHT)
    page.close()
    assert len(scales) >= 10  # the figures that are not folded away
    small = {
        src: ACCURACY_TICK_PT * 4 / 3 * k for src, k in scales if ACCURACY_TICK_PT * 4 / 3 * k < 10
    }
    assert small == {}
    assert 0 < vector < 3000
    assert height - vector < 12962  # the page before its flat figures were folded away


def _switch(page, lang: str) -> str:
    """Open the header's language menu and follow the link to edition ``lang``; the new URL."""
    page.hover(".md-header__option .md-select")
    page.click(f".md-select__link[hreflang={lang}]")
    page.wait_for_load_state("networkidle")
    return page.url


@pytest.mark.parametrize(
    "path", ["", "concepts/dead-relu/", "functions/gelu/", "notebooks/03_dead_relu/"]
)
def test_language_switcher_lands_on_the_same_page(browser, base_url: str, path: str) -> None:
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(f"{base_url}/{path}", wait_until="networkidle")
    assert _switch(page, "zh") == f"{base_url}/zh/{path}"
    assert page.locator("html").get_attribute("lang") == "zh"
    assert _switch(page, "en") == f"{base_url}/{path}"
    page.close()


# Chinese queries in the Chinese edition, and the page each must find first (Material's own
# search code; the index is segmented by jieba with docsgen/locale/zh/jieba_user.txt: without it
# 激活函数 would be two words, matching neither; a translation's front matter `search_words`
# give its page the terms as tags: 激活函数, the home page, "what is an activation function";
# 死亡 ReLU the Dead ReLU page, not ReLU's).
CHINESE_QUERIES = {
    "激活函数": "",
    "梯度消失": "concepts/saturation/",
    "饱和": "concepts/saturation/",
    "死亡": "concepts/dead-relu/",
    "死亡 ReLU": "concepts/dead-relu/",
    "梯度爆炸": "concepts/saturation/",
    "稀疏性": "concepts/sparsity/",
    "零中心": "concepts/zero-centred/",
    "交叉熵": "concepts/output-layers/",
    "光滑性": "concepts/smoothness-monotonicity/",
    "如何选择": "guide/selection/",
    "术语表": "glossary/",
}


def test_chinese_search_finds_the_page_of_each_term_and_name_first(browser, base_url: str) -> None:
    page = browser.new_page()
    page.goto(f"{base_url}/zh/", wait_until="load")
    ranked = page.evaluate(RANK_WITH_MATERIAL, [*CHINESE_QUERIES, *ALL_NAMES, *WORDS])
    page.close()
    first = {q: ranked[q][0] if ranked[q] else None for q in CHINESE_QUERIES}
    assert first == CHINESE_QUERIES
    words = {q: ranked[q][0] if ranked[q] else None for q in WORDS}
    assert words == {q: f"functions/{name}/" for q, name in WORDS.items()}
    # Every name and alias finds its function's page first, as in the English edition (the
    # separator of mkdocs.zh.yml keeps `_` inside a name: split there, "sigmoid" ranked
    # hard_sigmoid, sparse_sigmoid and log_sigmoid above sigmoid).
    names = {q: ranked[q][0] if ranked[q] else None for q in ALL_NAMES}
    assert names == {q: f"functions/{n}/" for q, n in ALL_NAMES.items()}


def test_chinese_search_box_answers_a_chinese_query(browser, base_url: str) -> None:
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(f"{base_url}/zh/functions/", wait_until="networkidle")
    page.click("input.md-search__input")
    page.keyboard.type("梯度消失")  # inserted as text, as an input method does: no key events
    page.keyboard.press("End")  # ... so one key, as the reader's last keystroke, starts the search
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    found = [
        urlsplit(a.get_attribute("href")).path
        for a in page.locator(".md-search-result__item > a").all()[:3]
    ]
    page.close()
    assert any(path.endswith("/zh/concepts/saturation/") for path in found), found
