// Render the math that pymdownx.arithmatex (generic mode) leaves in .arithmatex elements,
// with the vendored KaTeX. Material's instant navigation swaps pages without a reload, so
// render on every page load via its document$ observable, not once on DOMContentLoaded.

// Notebook pages: nbconvert leaves $...$ and $$...$$ as text in the Markdown cells (JupyterLab
// would typeset them with MathJax, which is not on this site). Replace each with KaTeX output.
var MATH = /\$\$([^$]+)\$\$|\$([^$\s](?:[^$]*[^$\s])?)\$/g;

function renderTextMath(node) {
  var text = node.nodeValue;
  MATH.lastIndex = 0;
  if (!MATH.test(text)) return;
  var frag = document.createDocumentFragment();
  var spans = [];
  var last = 0;
  MATH.lastIndex = 0;
  text.replace(MATH, function (match, display, inline, offset) {
    frag.appendChild(document.createTextNode(text.slice(last, offset)));
    var span = document.createElement("span");
    katex.render(display || inline, span, { displayMode: !!display, throwOnError: false });
    frag.appendChild(span);
    if (!display) spans.push(span);
    last = offset + match.length;
  });
  frag.appendChild(document.createTextNode(text.slice(last)));
  node.parentNode.replaceChild(frag, node);
  spans.forEach(keepTogether);
}

// Display formulas wider than their column scroll sideways (extra.css): mark those that do, so
// that they show a scroll cue. Again whenever the width changes (a phone turned, a resize).
// The box that scrolls is Material's div.arithmatex (on phones it spans the screen and sizes
// the formula to its content) or, in notebooks, KaTeX's .katex-display.
function markScrolling() {
  document.querySelectorAll("div.arithmatex, .katex-display").forEach(function (el) {
    var scrolls = ["auto", "scroll"].indexOf(getComputedStyle(el).overflowX) >= 0;
    el.classList.toggle("jaxact-scrolls", scrolls && el.scrollWidth > el.clientWidth + 1);
  });
}
window.addEventListener("resize", markScrolling);
// And once KaTeX's fonts have loaded: a formula measured in the fallback font can be narrower
// than its box, then wider once the font arrives (on a phone, softmin's derivative scrolled
// without its cue on about every other load).
if (document.fonts) document.fonts.addEventListener("loadingdone", markScrolling);

// Phones: a figure drawn wider than the screen (several panels side by side, the gallery) would
// shrink until its labels are a few pixels tall. Shown at FIGURE_MIN_SCALE of its drawn size
// or more, it scrolls sideways in its paragraph instead, with the formulas' scroll cue (extra.css).
// Only a figure alone in its paragraph: the f and f' pairs wrap onto lines of their own. A
// notebook's figure alike, in its output box (a 4 x 4 grid of panels had 4 px titles).
var PHONE = window.matchMedia("(max-width: 44.984375em)");
var FIGURE_MIN_SCALE = 0.75;
var FIGURES = "article p > img:only-child, article .jp-RenderedImage > img:only-child";

function sizeFigures() {
  document.querySelectorAll(FIGURES).forEach(function (img) {
    if (!img.complete || !img.naturalWidth) {
      img.addEventListener("load", sizeFigures, { once: true });
      return;
    }
    var box = img.parentElement;
    var width = img.naturalWidth * FIGURE_MIN_SCALE;
    var wide = PHONE.matches && width > box.clientWidth + 1;
    box.classList.toggle("jaxact-wide-figure", wide);
    box.classList.toggle("jaxact-scrolls", wide);
    img.style.width = wide ? width + "px" : "";
  });
}
window.addEventListener("resize", sizeFigures);

// Inline math keeps the punctuation around it on its own line: the browser could break between
// the two (KaTeX's output is a row of inline blocks, each a break opportunity on both sides) and
// start a line with the "." alone (hard_silu's "f′(3) = 1" then "."; a word joiner did not stop
// Chromium), or end one with a bare "(" (identity's "unchanged (" then "f′(x) = 1)"). The marks
// and the formula go in a span that does not wrap (extra.css). A short formula does not wrap
// either, marks or not (relu's "f(x) =" ended a line at 1280 px, "min(x, M)" began the next);
// a long one (over MAX_CHARS rendered characters, which could be wider than a phone's column)
// keeps its own places to break: its blocks but the last one that a closing mark follows go in
// a span that wraps again.
// Chromium lets the element before a break opportunity decide it; with all of .katex-html
// wrapping instead, a Chinese "，" still fell to the next line after about 1 formula in 20.
var OPENING = /[(\[{“‘«（［「『【]$/;
var CLOSING = /^[.,;:!?)\]}”’»\-–—，。、：；！？）］」』】]/;
var MAX_CHARS = 16;

function keepTogether(el) {
  var before = el.previousSibling, after = el.nextSibling;
  var opens = before && before.nodeType === Node.TEXT_NODE && OPENING.test(before.nodeValue);
  var closes = after && after.nodeType === Node.TEXT_NODE && CLOSING.test(after.nodeValue);
  var html = el.querySelector(".katex-html");
  if (!html) return;
  var long = html.textContent.length > MAX_CHARS;
  if (!opens && !closes) {
    el.classList.toggle("jaxact-nobreak", !long);
    return;
  }
  var joined = document.createElement("span");
  joined.className = "jaxact-nobreak";
  el.parentNode.insertBefore(joined, el);
  if (opens) {
    joined.appendChild(document.createTextNode(before.nodeValue.slice(-1)));
    before.nodeValue = before.nodeValue.slice(0, -1);
  }
  joined.appendChild(el);
  if (closes) {
    joined.appendChild(document.createTextNode(after.nodeValue[0]));
    after.nodeValue = after.nodeValue.slice(1);
  }
  if (long) {
    var blocks = Array.prototype.slice.call(html.children, 0, closes ? -1 : undefined);
    var wraps = document.createElement("span");
    wraps.className = "jaxact-wrap";
    html.insertBefore(wraps, html.firstChild);
    blocks.forEach(function (block) {
      wraps.appendChild(block);
    });
  }
}

document$.subscribe(function () {
  document.querySelectorAll(".arithmatex").forEach(function (el) {
    var tex = el.textContent.trim();
    var display = el.tagName === "DIV";
    // Generic mode wraps inline math in \( \) and display math in \[ \].
    if (tex.startsWith("\\(") || tex.startsWith("\\[")) tex = tex.slice(2, -2);
    katex.render(tex, el, { displayMode: display, throwOnError: false });
    if (!display) keepTogether(el);
  });
  document.querySelectorAll(".jupyter-wrapper .jp-RenderedMarkdown").forEach(function (cell) {
    var walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT, {
      acceptNode: function (n) {
        return n.parentElement.closest("code, pre, .katex")
          ? NodeFilter.FILTER_REJECT
          : NodeFilter.FILTER_ACCEPT;
      },
    });
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    nodes.forEach(renderTextMath);
  });
  markScrolling();
  if (document.fonts) document.fonts.ready.then(markScrolling);
  sizeFigures();
});
