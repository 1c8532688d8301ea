// Render the math that pymdownx.arithmatex (generic mode) leaves in .arithmatex elements,
// with the vendored KaTeX. Material's instant navigation swaps pages without a reload, so
// render on every page load via its document$ observable, not once on DOMContentLoaded.
document$.subscribe(function () {
  document.querySelectorAll(".arithmatex").forEach(function (el) {
    var tex = el.textContent.trim();
    var display = el.tagName === "DIV";
    // Generic mode wraps inline math in \( \) and display math in \[ \].
    if (tex.startsWith("\\(") || tex.startsWith("\\[")) tex = tex.slice(2, -2);
    katex.render(tex, el, { displayMode: display, throwOnError: false });
  });
});
