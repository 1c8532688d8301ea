// Code blocks wrap their long lines on narrow screens (extra.css: `white-space: pre-wrap`). A
// wrapped line's continuation then started at the left edge, where it read as a new statement
// ("threshold=0.0))" under "print(jaxact.relu(x, negative_slope=0.0,"). Here each line of a
// block becomes a span of its own, and extra.css gives it a hanging indent: its continuation
// lines start HANG characters to the right of the line's own indentation. The text of the block
// is unchanged (the copy button copies the same code). At the desktop width no line wraps
// (tests/test_browser.py), so nothing moves there.
var HANG = 4;
// A line with no space to break at (">>> jaxact.binary_step(jnp.array([-3.0, ...") was cut
// wherever it reached the edge, inside a number ("[-3." / "0, -1.0"). A break opportunity
// (<wbr>, no character: the copied text is the same) after each opening bracket and comma lets
// it wrap between tokens instead; a single token longer than the line still breaks anywhere.
var BREAK_AFTER = /[([{,]$/;

function splitLines(block) {
  if (block.dataset.jaxactLines) return;
  block.dataset.jaxactLines = "1";
  // Each top-level piece (a Pygments token or plain text) goes to the line it starts on; a
  // token that spans lines (a multi-line string) is cut into text at its line breaks.
  var pieces = [];
  Array.prototype.slice.call(block.childNodes).forEach(function (node) {
    if (node.nodeType === Node.ELEMENT_NODE && node.textContent.indexOf("\n") < 0) {
      pieces.push(node);
      return;
    }
    var parts = node.textContent.split("\n");
    parts.forEach(function (part, i) {
      if (part) {
        var copy = node.nodeType === Node.ELEMENT_NODE ? node.cloneNode(false) : null;
        if (copy) copy.textContent = part;
        pieces.push(copy || document.createTextNode(part));
      }
      if (i < parts.length - 1) pieces.push("\n");
    });
  });
  var lines = [[]];
  pieces.forEach(function (piece) {
    if (piece === "\n") lines.push([]);
    else lines[lines.length - 1].push(piece);
  });
  if (lines.length > 1 && lines[lines.length - 1].length === 0) lines.pop(); // final newline
  block.textContent = "";
  lines.forEach(function (nodes, i) {
    var line = document.createElement("span");
    line.className = "jaxact-line";
    nodes.forEach(function (n) {
      line.appendChild(n);
      if (n.nodeType === Node.ELEMENT_NODE && BREAK_AFTER.test(n.textContent))
        line.appendChild(document.createElement("wbr"));
    });
    var indent = line.textContent.match(/^ */)[0].length;
    line.style.setProperty("--jaxact-hang", indent + HANG + "ch");
    // The newline stays in the text (copying, and an empty line keeps its height).
    line.appendChild(document.createTextNode("\n"));
    block.appendChild(line);
  });
}

document$.subscribe(function () {
  var blocks = "article pre > code, article .jp-InputArea pre";
  document.querySelectorAll(blocks).forEach(splitLines);
});
