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
  var last = 0;
  MATH.lastIndex = 0;
  text.replace(MATH, function (match, display, inline, offset) {
    frag.appendChild(document.createTextNode(text.slice(last, offset)));
    var span = document.createElement("span");
    katex.render(display || inline, span, { displayMode: !!display, throwOnError: false });
    frag.appendChild(span);
    last = offset + match.length;
  });
  frag.appendChild(document.createTextNode(text.slice(last)));
  node.parentNode.replaceChild(frag, node);
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
// Only a figure alone in its paragraph: the f and f' pairs wrap onto lines of their own.
var PHONE = window.matchMedia("(max-width: 44.984375em)");
var FIGURE_MIN_SCALE = 0.75;

function sizeFigures() {
  document.querySelectorAll("article p > img:only-child").forEach(function (img) {
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

// Punctuation right after inline math stays on the formula's line: the browser could break
// between the two and start a line with the "." alone (hard_silu's "f′(3) = 1" then "."; a word
// joiner did not stop Chromium). A short formula and its mark go in a span that does not wrap
// (extra.css); a longer one (over MAX_CHARS rendered characters, which could be wider than a
// phone's column) keeps its own places to break.
var TRAILING_PUNCTUATION = /^[.,;:!?)\]]/;
var MAX_CHARS = 16;

function keepPunctuation(el) {
  var next = el.nextSibling;
  if (!next || next.nodeType !== Node.TEXT_NODE || !TRAILING_PUNCTUATION.test(next.nodeValue))
    return;
  var shown = el.querySelector(".katex-html");
  if (!shown || shown.textContent.length > MAX_CHARS) return;
  var joined = document.createElement("span");
  joined.className = "jaxact-nobreak";
  el.parentNode.insertBefore(joined, el);
  joined.appendChild(el);
  joined.appendChild(document.createTextNode(next.nodeValue[0]));
  next.nodeValue = next.nodeValue.slice(1);
}

document$.subscribe(function () {
  document.querySelectorAll(".arithmatex").forEach(function (el) {
    var tex = el.textContent.trim();
    var display = el.tagName === "DIV";
    // Generic mode wraps inline math in \( \) and display math in \[ \].
    if (tex.startsWith("\\(") || tex.startsWith("\\[")) tex = tex.slice(2, -2);
    katex.render(tex, el, { displayMode: display, throwOnError: false });
    if (!display) keepPunctuation(el);
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
