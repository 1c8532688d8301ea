"""The Chinese edition's translations: what must be translated, where each translation lives,
and whether it still matches its English source. ``python -m docsgen.i18n status``.

Every piece of English text the site shows is a *unit*: ``(translation file, key, English)``.
Each translation records ``source_sha``, the first 12 hex digits of the SHA-256 of the English
text it was made from (``sha``). A unit is *missing* when its file or key has no translation,
and *stale* when its English changed since (the recorded hash differs from the current one).

Units and their files (all beside the English sources)
    * a hand-written page ``docs/<path>.md``: ``docs/<path>.zh.md``, key ``page``; the whole
      page translated, with ``source_sha`` in its front matter;
    * a function's notes ``docs/_notes/<name>.md`` (pros, cons, when to use, ...):
      ``docs/_notes/zh/<name>.md``, key ``page``, the same format;
    * a function's registry strings (``summary``, ``param <name>`` for each parameter's
      meaning, ``convention <i>``): ``docs/_notes/zh/<name>.yml``;
    * a notebook's Markdown cells (``docs/notebooks/<nb>.py``, ``docs/guide/<nb>.py``):
      ``docs/<folder>/<nb>.zh.yml``, key ``cell <hash of the English cell>`` (not its index:
      a cell inserted or moved shifts no other cell's translation; an edited cell's translation
      is then *stale*, listed with the cell's first line);
    * what a notebook prints in words (``NOTEBOOK_OUTPUTS``): the same file, key
      ``output <English>``;
    * the fixed strings of the generated pages and the nav (``UI_STRINGS``), the sentences the
      generators write with varying parts (``TEMPLATES``) and a notebook page's HTML strings
      (``NOTEBOOK_HTML``): ``docsgen/locale/zh.yml``, keyed by the English string itself.

A ``.yml`` file maps each key to ``{source_sha: <hash>, zh: <text>}``. ``python -m docsgen.i18n
stub FILE`` (or ``stub --all``) writes the missing and stale entries of a file with the current
hash and the English text as a ``zh`` to replace (a stub page starts with a ``TODO`` line),
so a translator edits text, never hashes. A stub still holding English counts as missing.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from docsgen import benchmark_pages
from docsgen._layout import NOTEBOOK_GLOBS, PROPERTY_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
NOTES = DOCS / "_notes"
LOCALE = ROOT / "docsgen" / "locale" / "zh.yml"
GLOSSARY = DOCS / "glossary.zh.md"  # only in Chinese: no English source
JIEBA_USER = ROOT / "docsgen" / "locale" / "zh" / "jieba_user.txt"  # search keeps these whole
TODO = "TODO translate"  # the first line of a stub page; a page still holding it is missing
PAGE = "page"

# The nav's section titles (docsgen/hooks.py) and the fixed strings of the generated function
# pages (docsgen/function_pages.py): each is replaced where it is a whole line, a table cell or
# a heading of a generated page, and a nav title. Tested: each occurs in the English site.
UI_STRINGS = (
    # nav
    "Home",
    "Concepts",
    "Choosing",
    "Functions",
    "Overview",
    "Notebooks",
    "Benchmarks",
    "API",
    "References",
    # the overview and the API page of the functions
    "All functions",
    "Comparison",
    "Formulas",
    "Registry",
    "Every registered activation, grouped by family.",
    # function pages: headings
    "Parameters",
    "Properties",
    "Conventions",
    "Example",
    "In a model",
    "Equivalents",
    "Introduced in",
    "Further reading",
    "See also",
    "Pros",
    "Cons",
    "When to use",
    "Common mistakes",
    # function pages: lines and table headers
    "Derivative:",
    "Output (computed when this page was built):",
    "| name | default | valid | meaning |",
    "| property | value |",
    "| library | name |",
    # function pages: sentences written by docsgen/function_pages.py and floating_point.py
    # (replaced where they are a whole line or list item)
    "In floating point",
    "**float16 and bfloat16** give the float32 result rounded once (then kept inside the "
    "closed ends of the range): half-precision arithmetic would round every step.",
    "**Integer input** (and boolean) is converted to floating point first, as jnp's own "
    "functions do: float32, or float64 for 64-bit integers with x64 enabled; the result is the "
    "function of that float.",
    "**Integer input** is computed in its own integer type, exactly (booleans: int32, as in "
    "jax.nn).",
    "**Integer input** is computed in its own integer type, exactly (booleans: returned "
    "unchanged).",
    "Checked over runs of consecutive floats of every dtype: every float16 and bfloat16 value, "
    "windows of float32 and float64 at every scale (the slow tests sweep all of float32); normal "
    "inputs and zero, as XLA on CPU reads subnormal inputs as zero.",
    "**Monotonic** in floating point too: the computed value never decreases from one float "
    "input to the next.",
    "Time vs relu: jaxact's forward pass on 2²⁰ float32 values, divided by relu's, on the "
    "machine of the [Speed](../benchmarks/speed.md) page (CPU).",
    "Time vs relu: jaxact's forward pass on 2²⁰ float32 values, divided by relu's, on the "
    "machine of the [Speed](../benchmarks/speed.md) page (CPU). The other – cells: the property "
    "does not apply to a vector-valued function.",
    "As a layer whose parameters are trained with the rest of the model:",
    "Every value of `threshold` gives the same f′ (the derivative plot above), so only f is "
    "drawn for several values.",  # binary_step, below its family plot
    "The curves get thinner in the order of the legend: where they coincide, each earlier value "
    "shows as a band around the later ones.",  # below family plots
    "Worked examples: [Using jaxact in models](../guide/models.py).",
    "| library | layer |",
    "Notebook:",  # the start of a "See also" item; the notebook's title comes from its cell 0
    # table cells
    "yes",
    "no",
    "discontinuous",
    "required",
    "any",
    "no peer",
    # the overview's and the benchmark pages' table headers and cells, and their headings
    "function",
    "family",
    "formula",
    "derivative",
    "library",
    "dtype",
    "worst f (function)",
    "worst f′ (function)",
    "size",
    "mode",
    "forward",
    "forward+backward",
    "median jaxact / jax.nn",
    "worst (function)",
    "identity (noise)",
    "Accuracy",
    "Speed",
    "Summary",
    "Worst case per library",
    "Method",
    "Subnormal inputs",
    "Per function",
    "Error against x",
    "Functions jax.nn lacks",
    benchmark_pages.VECTOR_HEADING,
    # property table rows
    *PROPERTY_COLUMNS,
)


# Sentences the generators write with parts that vary: a name, a number, a formula, a list
# (docsgen/function_pages.py, floating_point.py, vector_figures.py, benchmark_pages.py,
# notebook_files.py). Each ``{part}`` matches any text of one line (``{n}``, ``{k}``: a number)
# and is carried into the Chinese as it is. Unlike ``UI_STRINGS`` they are replaced wherever
# they occur in a generated page (docsgen/editions.py ``translate_templates``), longest first;
# a template does not end with a part (Markdown's ``](`` closes an image's alt text). Tested:
# each matches the generated pages (tests/test_site_zh.py), and no English sentence of the
# generators is left on a built Chinese page.
TEMPLATES = (
    # function pages
    "Also known as: {names}",
    "![Graph of {f}](",
    "![Graph of the derivative of {f}](",
    "![Family of {f} curves](",
    "![Family of {f} derivatives](",
    "![{f} of a score vector at several temperatures](",
    "![α-entmax of a score vector at α = 1, 1.5 and 2](",
    "![ReLU, leaky ReLU and |x| as maxout](",
    "![a convex curve approximated by maxout](",
    "![the gates of the GLU family](",
    "![the output of {f} over the plane](",
    " The plots and the example below use {value}. |",
    "an integer ≥ 1 that divides the length of `axis`",
    "a 1-d sequence of at least one finite real number",
    "**Output range.** ",
    "No computed value lies beyond the closed end {end}, in any dtype: where rounding would "
    "cross an end, the result is the end rounded inward to the dtype.",
    "No computed value lies beyond the closed ends {lo} and {hi}, in any dtype: where rounding "
    "would cross an end, the result is the end rounded inward to the dtype.",
    "The properties above are those at the default parameters: {values}.",
    "The open end {end} can be reached by rounding, never passed.",
    "The open ends {lo} and {hi} can be reached by rounding, never passed.",
    "**Monotonic** in exact arithmetic; the computed value can decrease by up to {k} ULPs of the "
    "value from one float input to the next (rounding of a formula with several steps), never "
    "by more.",
    "Vector-valued: the two plots below follow one coordinate, the first output {call} as x "
    "varies, and its derivative in x (`jax.grad` of that curve).",
    " With two entries it is an elementwise function of their difference, {identity}: the first "
    "plot draws both (computed by both functions; the tests check the identity).",
    "Some of these curves lie on top of each other: over the plotted range, ",
    "{value} differs from {reference} by at most {df} in f and {ddf} in f′",
    ". The lower panels show the differences (f′ from `jax.grad`).",
    "Left: the score vector z = ({scores}) turned into {call} at temperatures T = {t} (a low "
    "temperature sharpens, a high one flattens). Right: the normalisers that return "
    "probabilities, at T = 1 (sparsemax gives exact zeros, marked 0).",
    " Last: the same scores through α-entmax at α = {alphas} (softmax, entmax15, sparsemax): the "
    "larger α, the more exact zeros.",
    "Maxout is the upper envelope of its k inputs: with affine inputs (w·x + b, learned), two "
    "pieces give ReLU, leaky ReLU or |x| (first figure; dashed: the pieces). With more pieces it "
    "approximates any convex function (second figure: x²/2 from k = {ks} of its tangents).",
    " splits its input into halves [a, b]: a is the value, b the gate input. Left: the gate "
    "g(b) of each variant of the family (what passes of a = 1). Right: the output a · g(b) over "
    "the plane; the grey line is where it is 0.",
    " Here the gate is 0 for every b < 0, so the output is 0 on the whole lower half-plane "
    "(whatever the value a), not only on the line.",
    "As a layer that draws its random slopes as the library's dropout does:",
    # the overview
    "Every activation jaxact registers, drawn and tabulated from the library itself: the curves "
    "are computed by calling each function (f solid, f′ dashed, from `jax.grad`) and every cell "
    "of the tables comes from the registry's metadata, which the test suite checks against the "
    "implementation, except the measured times (below). A vector-valued function (the "
    "Vector-valued family) is drawn along one line through its inputs: its first output as one "
    "input x moves, the others fixed (its page names the slice, and has figures made for what it "
    "does to a whole vector).",
    "![Gallery of all activation functions](",
    "*Time vs relu* is measured: jaxact's forward pass on {size} float32 values, divided by "
    "relu's, on the CPU machine of the [Speed](../benchmarks/speed.md) page (on larger arrays "
    "memory traffic dominates and every ratio comes closer to 1). A – in that column: not timed "
    "yet (`python -m benchmarks --functions <name> --update` adds its rows). A – in the other "
    "columns: the property does not apply to a vector-valued function, which maps a vector to a "
    "vector.",
    "Each function and its derivative, as on its page. Symbols beyond the input $x$ are defined "
    "beside the formula or are parameters (see the function's page); $\\sigma$ is the sigmoid, "
    "$\\Phi$ and $\\varphi$ the standard normal CDF and density, $\\delta_{{ij}}$ Kronecker's "
    "delta.",
    # the Accuracy and Speed pages
    " non-finite |",
    "Measured on {date} on {cpu} ({n} cores, {platform}, jax backend {backend}) with {versions}",
    " Merged from {n} runs: ",
    " functions; ",
    "; 1 round)",
    " rounds)",
    " Load of the shared machine (5-min average of the run queue, at the end of the run), where "
    "recorded: ",
    "Reproduce from the repository root with {command} (PyTorch is optional: `pip install torch` "
    "adds its column); the page is rebuilt from {file}.",
    "Accuracy must not cost speed. For every activation of jaxact, the jitted forward pass and "
    "the forward and backward pass (`jax.vjp`: the output and the gradient with respect to the "
    "input) are timed on {sizes} float32 values, against `jax.nn` (where it lacks the function, "
    "*no peer*: against `jaxact.relu`, in a table of their own below)",
    " and PyTorch on CPU",
    ", and against a memory-bound reference, the jitted `x * c` of the same size (*ref*): a ratio"
    " to it near 1 (forward) or 2 (forward and backward, twice the bytes) means the function runs"
    " at the memory-bandwidth limit; GB/s counts the bytes that must move at least once (input "
    "and output, plus cotangent and gradient). Ratios below 1 in the jaxact / jax.nn column mean "
    "jaxact is faster. Functions with parameters use their defaults.",
    " A row that names parameters after the function is an extra case: that function with those "
    "parameters (the others at their defaults), timed against `jax.nn` where it takes them all, "
    "otherwise against `jaxact.relu`. `array(v)` is a parameter passed to the compiled function "
    "as an array argument, as a learned parameter is, not a number the compiler folds in: entmax "
    "with the number 1.5 is entmax15's exact threshold, with any other α, or with α an array, "
    "the bisection.",
    " So are the extra cases with parameters that `jax.nn` does not take.",
    "Method: after a warm-up, every repetition times each library once, in a rotating order; each"
    " ratio is the median over repetitions of the paired per-repetition ratio, with its "
    "interquartile range (IQR). ",
    "Wall-clock times on a shared machine (other jobs were running): repetitions are interleaved "
    "and paired, and medians with interquartile ranges are reported, but absolute times are "
    "noisy; the ratios are the headline. forward+backward is jax.vjp returning the output and the"
    " input cotangent (torch: forward, then backward with the same cotangent). torch is timed in "
    "a separate interleaved group with jaxact and the reference (its spinning worker threads slow"
    " whatever runs next on a small machine), so ratio_vs_torch pairs jaxact and torch samples of"
    " that group. reference is the jitted x * c of the same size: ratio_vs_reference says how far"
    " each function is from the memory-bandwidth limit (forward+backward moves twice the bytes, "
    "so its floor is about 2).",
    "The ratios above the limit. `identity` compiles to the same program in both libraries, so "
    "its ratio at the same size and mode shows how far timing noise alone moves a ratio from 1. "
    "Where a function is slower by design, its page says under *Conventions* what the extra work "
    "buys.",
    "## More than {n} % slower than jax.nn",
    "These have *no peer* in the `jax.nn` columns. Each is timed instead against `jaxact.relu` in"
    " the same interleaved repetitions: the ratio says how much dearer than a ReLU of the same "
    "input it is (vector-valued ones with fewer outputs, such as glu's halves, can be cheaper).",
    "## {size} values",
    "![jaxact / jax.nn time ratio per function](",
    "The exact values are computed by mpmath with {n} significant digits, for every elementwise "
    "activation of jaxact (*no peer*: `jax.nn` or PyTorch has no such function; jaxact is then "
    "measured alone, against the same exact values), over {n2} float32 and {n3} float64 points: a"
    " dense grid on $[-40, 40]$ and log-spaced magnitudes from the smallest normal number to the "
    "largest finite one, both signs.",
    "The error is measured in units in the last place:",
    "with floor $2^{-100}$ in float32 and $2^{-960}$ in float64 (results that small are flushed "
    "to zero by XLA on CPU), and $0.25$ within $0.5$ of an interior zero of $f'$ or of $f$ (away "
    "from 0). A correctly rounded result has error at most 0.5. *Non-finite* counts results that "
    "are inf or NaN where the true value, rounded to the dtype, is finite. Inputs where the truth"
    " overflows the dtype are not scored, nor derivatives at kinks (relu at 0: a convention, "
    "stated on each function's page). $f'$ is `jax.grad` for jaxact and `jax.nn`, autograd for "
    "PyTorch; every library is called with jaxact's default parameters where it takes the same "
    "parameter (PyTorch modules keep their own otherwise, such as Softplus's threshold).",
    " A row that names parameters after the function is an extra case: that function with those "
    "parameters (the others at their defaults), compared with `jax.nn` or PyTorch only where it "
    "takes them all; its $f'$ is held to the relative bar near zeros of $f'$ too (the registry "
    "gives those of the defaults).",
    "Numbers below the smallest normal one ($2^{-126} \\approx 1.2\\cdot 10^{-38}$ in float32, "
    "$2^{-1022} \\approx 2.2\\cdot 10^{-308}$ in float64) are *subnormal*. XLA on CPU reads them "
    "as 0, in arithmetic and in comparisons, and flushes subnormal results to 0. For a subnormal "
    "input $x$ jaxact gives:",
    "**on CPU, the branch and slope of $x$'s own sign.** Every comparison that picks a branch or "
    "a kink convention compares bit patterns (integers are not flushed): relu$'(2^{-149}) = 1$, "
    "leaky_relu$'(-2^{-149})$ is the slope, selu$'(2^{-149}) = \\lambda$ (not $\\lambda\\alpha$, "
    "the slope at 0), binary_step$(-2^{-149}) = 0$, and hard_shrink and soft_shrink with "
    "$\\lambda = 0$ keep the slope 1. Tested for every function at the smallest and largest "
    "subnormal of each sign, float32 and float64, inside `jit`.",
    "**on CPU, values within the accuracy floor:** a result below the smallest normal number may "
    "come back as 0 (relu$(2^{-149}) = 0$) or as $x$ itself where a branch passes $x$ through "
    "(leaky_relu$(2^{-149}) = 2^{-149}$).",
    "**subnormal parameters** read as 0 on CPU too: celu's $\\alpha$ is taken as the smallest "
    "normal number (it divides $x$); squareplus with a subnormal $b$ is computed as ReLU ($b = "
    "0$), off by up to $\\sqrt{{b}}/2$ near 0.",
    "**on GPU** XLA keeps subnormal numbers by default (its `xla_gpu_ftz` option is off): values "
    "keep them, and the branches are the ones above. (Stated from XLA's defaults, not measured on"
    " a GPU for this page.)",
    "One figure per function: the largest error in each bin of inputs, f above and f′ below, "
    "float32 left and float64 right. Functions where every library stays within {k} ULP "
    "everywhere are listed last, their figures folded away.",
    "### Within {k} ULP everywhere",
    benchmark_pages.VECTOR_ROWS,
    benchmark_pages.VECTOR_METHOD,
    "For {names}, every library stays within {k} ULP in f and f′, in float32 and float64, with no"
    " inf or NaN: their figures show flat lines only.",
    '??? note "The figures of {names} (flat lines)"',
    "![ULP error of {f} and its derivative](",
    "How far each library's value $f(x)$ and derivative $f'(x)$ are from the exact values, in "
    "units in the last place (ULP; a correctly rounded result is within 0.5), over inputs "
    "spanning all finite numbers of each dtype. The method and the tables per function follow "
    "the summary.",
)


# What the notebooks print in words, as templates (``{part}`` as in ``TEMPLATES``; a space
# matches any run of whitespace, as a printed paragraph may be wrapped), by notebook (under
# docs/). Numbers, tables and code stay as printed; each sentence is replaced in the Chinese
# copy's outputs (docsgen/editions.py ``translate_notebook``). Translations: the notebook's
# ``.zh.yml``, key ``output <template>``. Tested: each matches the notebook's executed output.
NOTEBOOK_OUTPUTS = {
    "notebooks/01_why_nonlinearity.py": ("training accuracy ",),
    "notebooks/03_dead_relu.py": ("units negative for every input after {n} steps:",),
    "notebooks/04_depth_smoothness.py": (
        "At {n} hidden layers, mish {a} % vs relu {b} % (gap {gap} points, seed spread up to "
        "{spread}): this small-scale run {verdict}. Accuracy lost from depth {n2} to {n3} "
        "(points): {drops}.",
        "AGREES with the paper: mish is ahead of relu at the deepest setting",
        "DISAGREES with the paper: relu is ahead of mish at the deepest setting",
        "is INCONCLUSIVE: mish and relu are within the seed spread at the deepest setting",
    ),
    "notebooks/05_self_normalisation.py": (" layer {n}: mean {mean} variance {variance}\n",),
    "guide/models.py": (
        "{n} registered activations, e.g. {names}\n",
        "RReLU has no parameters: {value}\n",
        "learnt beta: {value}\n",
        "learnt beta {value}, slopes {slopes}\n",
        "loss {before} -> {after}, accuracy {accuracy}\n",
        "activations: {activations} parameters: {parameters}\n",
        "restored model gives the same output: {value}\n",
        "restored: {value}\n",
    ),
}
# The HTML of a notebook page, written after its Markdown (docsgen/notebook_files.py's download
# line; nbconvert's alt text of a figure): replaced as they are, whole (no parts: a notebook's
# HTML holds its figures as lines of base64 hundreds of kB long).
NOTEBOOK_HTML = (
    '<p class="jaxact-downloads">Download this notebook: ',
    " (a Python script; jupytext reads it as a notebook)</p>",
    'alt="No description has been provided for this image"',
)
OUTPUT = "output "  # the key prefix of a printed sentence's translation


def sha(text: str) -> str:
    """The hash a translation records of its English source: 12 hex digits of SHA-256."""
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:12]


_PART = re.compile(r"\{\{|\}\}|\{([a-z_]+\d*)\}")
_NUMBER_PARTS = re.compile(r"[nk]\d*")  # {n}, {k}, {n2}: a number


def is_template(english: str) -> bool:
    return english in TEMPLATES


def output_regex(template: str) -> re.Pattern[str]:
    """A printed sentence's template as a regular expression: as ``template_regex``, with a
    space matching any run of whitespace (a printed paragraph may be wrapped)."""
    pattern = template_regex(template).pattern.replace(r"\ ", r"\s+")
    return re.compile(pattern.replace(".{1,400}?", "[\\s\\S]{1,400}?"))


@functools.cache
def template_regex(template: str) -> re.Pattern[str]:
    """The regular expression of a template: each ``{part}`` a named group of one line's text
    (up to 400 characters; a number for ``{n}``, ``{k}``, ``{n2}``, ...; the rest of the line
    for a last part), ``{{`` and ``}}`` literal braces, the rest literal."""
    pieces, end, seen = [], 0, set()
    matches = list(_PART.finditer(template))
    for i, match in enumerate(matches):
        pieces.append(_literal(template[end : match.start()], after_part=bool(pieces)))
        end = match.end()
        name = match.group(1)
        if name is None:
            pieces.append(re.escape(match.group(0)[0]))
        elif name in seen:
            pieces.append(f"(?P={name})")
        else:
            seen.add(name)
            last = i == len(matches) - 1 and end == len(template)
            # At most a line's worth: a part that starts a template is tried at every
            # position of a line, and an unbounded one makes that quadratic.
            body = (
                r"\d+(?:\.\d+)?" if _NUMBER_PARTS.fullmatch(name) else ".+" if last else ".{1,400}?"
            )
            pieces.append(f"(?P<{name}>{body})")
    pieces.append(_literal(template[end:], after_part=bool(matches)))
    return re.compile("".join(pieces))


def _literal(text: str, after_part: bool) -> str:
    """A template's literal text as a regular expression; a full stop right after a part
    ends a sentence only (before a space or the line's end), not a file name's dot."""
    if after_part and (text == "." or text.startswith(". ")):
        return r"\.(?=\s|$)" + re.escape(text[1:])
    return re.escape(text)


def fill_template(translated: str, match: re.Match[str]) -> str:
    """The translation of a template with each ``{part}`` replaced by the matched text."""
    parts = match.groupdict()

    def part(found: re.Match[str]) -> str:
        name = found.group(1)
        if name is None:
            return found.group(0)[0]
        return parts[name] if name in parts else found.group(0)

    return _PART.sub(part, translated)


@dataclass(frozen=True)
class Unit:
    file: Path  # the translation file
    key: str
    english: str
    # A page's English front matter as written (``search_words``, ``hide``, comments): a new
    # page stub starts from it; the translation then keeps its own (Chinese search words).
    front: str = ""

    @property
    def where(self) -> str:
        """``file [key]``, the file relative to the repository (a notebook cell: and its
        first line, which a hash does not tell)."""
        if self.key.startswith("cell "):
            first = self.english.strip().split("\n")[0][:60]
            return f"{_relative(self.file)} [{self.key}] {first!r}"
        return f"{_relative(self.file)} [{self.key}]"


def _relative(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


# ---------------------------------------------------------------------------------------------
# The English units


def _generated_paths() -> tuple[str, ...]:
    """The paths under docs/ that ``python -m docsgen`` writes (the ``docs/`` lines of
    ``.gitignore``): generated pages are translated through their strings, not as pages."""
    lines = (ROOT / ".gitignore").read_text().splitlines()
    return tuple(line.removeprefix("docs/") for line in lines if line.startswith("docs/"))


def hand_written_pages() -> list[Path]:
    """The English Markdown pages under docs/ written by hand (not notes, not translations)."""
    generated = _generated_paths()
    pages = []
    for path in sorted(DOCS.rglob("*.md")):
        rel = path.relative_to(DOCS).as_posix()
        if rel.startswith(("_", "assets/")) or rel.endswith(".zh.md"):
            continue
        if any(rel == g or rel.startswith(g) for g in generated):
            continue
        pages.append(path)
    return pages


def page_translation(page: Path) -> Path:
    return page.with_name(page.stem + ".zh.md")


def notebooks() -> list[Path]:
    return sorted(p for pattern in NOTEBOOK_GLOBS for p in DOCS.glob(pattern))


def notebook_translation(notebook: Path) -> Path:
    return notebook.with_name(notebook.stem + ".zh.yml")


def markdown_cells(notebook: Path) -> dict[int, str]:
    """``{cell index: source}`` of a notebook's Markdown cells (jupytext reads the ``.py``)."""
    import jupytext

    nb = jupytext.read(notebook)
    return {i: c.source for i, c in enumerate(nb.cells) if c.cell_type == "markdown"}


def cell_key(source: str) -> str:
    """The key of a notebook's Markdown cell in its translation file: ``cell <hash>``."""
    return f"cell {sha(source)}"


def registry_strings() -> dict[str, dict[str, str]]:
    """``{function name: {key: English}}``: summary, parameter meanings and conventions."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import jaxact

    strings = {}
    for spec in jaxact.specs():
        entry = {"summary": spec.summary}
        entry.update({f"param {p.name}": p.meaning for p in spec.params})
        entry.update({f"convention {i}": c for i, c in enumerate(spec.conventions)})
        strings[spec.name] = entry
    return strings


def page_unit(page: Path, translation: Path) -> Unit:
    """A Markdown page as a unit: its text after the front matter (``search_words``, ``hide``
    and the like are not translated: the Chinese page keeps the English page's)."""
    text = page.read_text(encoding="utf-8")
    match = _FRONT.match(text)
    front = "" if match is None else match.group(1) + "\n"
    return Unit(translation, PAGE, split_front_matter(text)[1], front)


def units() -> Iterator[Unit]:
    """Every unit of English text the Chinese edition translates."""
    for page in hand_written_pages():
        yield page_unit(page, page_translation(page))
    for note in sorted(NOTES.glob("*.md")):
        yield page_unit(note, NOTES / "zh" / note.name)
    for name, entry in registry_strings().items():
        for key, english in entry.items():
            yield Unit(NOTES / "zh" / f"{name}.yml", key, english)
    for notebook in notebooks():
        for source in markdown_cells(notebook).values():
            yield Unit(notebook_translation(notebook), cell_key(source), source)
        for english in NOTEBOOK_OUTPUTS.get(notebook.relative_to(DOCS).as_posix(), ()):
            yield Unit(notebook_translation(notebook), OUTPUT + english, english)
    for english in ui_strings():
        yield Unit(LOCALE, english, english)


def ui_strings() -> tuple[str, ...]:
    """``UI_STRINGS``, ``TEMPLATES`` and the registry's family titles (the nav's groups)."""
    from jaxact._registry import FAMILY_TITLES

    return (*UI_STRINGS, *TEMPLATES, *NOTEBOOK_HTML, *FAMILY_TITLES.values())


@functools.cache
def _all_units() -> tuple[Unit, ...]:
    return tuple(units())


def units_of(file: Path) -> list[Unit]:
    """The units translated in ``file`` (read once per process: a build asks page by page)."""
    return [u for u in _all_units() if u.file == file]


# ---------------------------------------------------------------------------------------------
# The translations


@dataclass(frozen=True)
class Translation:
    source_sha: str
    zh: str


_FRONT = re.compile(r"\A---\n(.*?)\n---\n?", re.S)
_SOURCE_SHA = re.compile(r"^source_sha:.*\n", re.M)


def split_front_matter(text: str) -> tuple[dict, str]:
    """``(front matter, body)`` of a Markdown file (``{}`` when it has none)."""
    match = _FRONT.match(text)
    if match is None:
        return {}, text
    return yaml.safe_load(match.group(1)) or {}, text[match.end() :]


@functools.cache
def _read(file: Path, mtime: float) -> dict[str, Translation]:
    text = file.read_text(encoding="utf-8")
    if file.suffix == ".md":
        meta, body = split_front_matter(text)
        if body.lstrip().startswith(TODO):
            return {}
        return {PAGE: Translation(str(meta.get("source_sha", "")), body)}
    data = yaml.safe_load(text) or {}
    return {
        str(key): Translation(str(value.get("source_sha", "")), str(value.get("zh", "")))
        for key, value in data.items()
        if isinstance(value, dict)
    }


def translations(file: Path) -> dict[str, Translation]:
    """The translations in one file (``{}`` when it does not exist)."""
    if not file.exists():
        return {}
    return _read(file, file.stat().st_mtime)


def lookup(unit: Unit) -> str | None:
    """The current translation of a unit: ``None`` when missing or stale (English then shows)."""
    return translations(unit.file)[unit.key].zh if state(unit) == "ok" else None


@dataclass(frozen=True)
class Status:
    missing: list[Unit]
    stale: list[Unit]
    orphans: list[str]  # "file [key]" of translations no unit asks for


def edited_from(unit: Unit) -> str | None:
    """For a notebook cell with no translation under its key: the key of the file's entry
    that translates its earlier English, or None. That is the entry no cell asks for which
    follows, in the file, the translation of the nearest cell before it that has one (the
    file lists the cells in order): a cell whose English was edited gets a new key."""
    if not unit.key.startswith("cell ") or unit.key in translations(unit.file):
        return None
    keys = [u.key for u in units_of(unit.file)]
    entries = list(translations(unit.file))
    if unit.key not in keys:
        return None
    before = [k for k in keys[: keys.index(unit.key)] if k in entries]
    position = entries.index(before[-1]) + 1 if before else 0
    if position < len(entries) and entries[position] not in keys:
        return entries[position]
    return None


def state(unit: Unit) -> str:
    """``"ok"``, ``"missing"`` (no translation, or an untouched stub) or ``"stale"``."""
    found = translations(unit.file).get(unit.key)
    if found is None and edited_from(unit) is not None:
        return "stale"
    if found is None or not found.zh.strip():
        return "missing"
    if unit.file.suffix == ".yml" and found.zh.strip() == unit.english.strip():
        return "missing"  # a stub still holding the English
    return "ok" if found.source_sha == sha(unit.english) else "stale"


def status(every: list[Unit] | None = None) -> Status:
    """The missing and stale units (of ``every``, default all) and the orphan translations."""
    every = list(units()) if every is None else every
    missing = [u for u in every if state(u) == "missing"]
    stale = [u for u in every if state(u) == "stale"]
    wanted: dict[Path, set[str]] = {}
    for unit in every:
        wanted.setdefault(unit.file, set()).add(unit.key)
    orphans = []
    edited = {(u.file, edited_from(u)) for u in stale}
    for file in sorted(wanted):
        for key in translations(file):
            if key not in wanted[file] and (file, key) not in edited:
                orphans.append(f"{_relative(file)} [{key}]")
    found = {*DOCS.rglob("*.zh.md"), *DOCS.rglob("*.zh.yml"), *(NOTES / "zh").glob("*")}
    for file in sorted(found - set(wanted) - {GLOSSARY}):
        orphans.append(f"{file.relative_to(ROOT)} (no English source)")
    return Status(missing, stale, orphans)


# ---------------------------------------------------------------------------------------------
# Stubs for the translator


def _yaml_entry(key: str, source_sha: str, zh: str) -> str:
    body = yaml.safe_dump(
        {key: {"source_sha": source_sha, "zh": zh}},
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_style=None,
    )
    return body


def write_stubs(file: Path) -> int:
    """Add the missing and stale entries of ``file`` with the current hash; their count.

    A stale ``.yml`` entry keeps its old translation under ``zh`` (to be revised) and gets the
    new hash and the new English as a comment; a stale page gets the new hash and a ``TODO``
    line that names the change. Nothing else in the file changes.
    """
    todo = [u for u in units() if u.file == file]
    if not todo:
        raise SystemExit(f"{file}: no English source asks for this translation file")
    have = translations(file)
    if file.suffix == ".md":
        unit = todo[0]
        found = have.get(PAGE)
        if found is not None and found.source_sha == sha(unit.english):
            return 0
        digest = f"source_sha: {sha(unit.english)}\n"
        if found is None:  # the English page's front matter, with the hash first
            text = f"---\n{digest}{unit.front}---\n{TODO}\n\n{unit.english}"
        else:  # stale: keep the translation and every line of its front matter, flag it
            old = file.read_text(encoding="utf-8")
            match = _FRONT.match(old)
            kept = _SOURCE_SHA.sub("", match.group(1) + "\n") if match else ""
            body = old[match.end() :] if match else old
            flag = f"{TODO}: the English page changed (git diff it)"
            text = f"---\n{digest}{kept}---\n{flag}\n\n{body}"
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8")
        return 1
    data = yaml.safe_load(file.read_text(encoding="utf-8")) if file.exists() else None
    data = data or {}
    count = 0
    for unit in todo:
        found = have.get(unit.key)
        if found is not None and found.source_sha == sha(unit.english):
            continue
        count += 1
        old_key = edited_from(unit)
        if found is None and old_key is not None:  # an edited notebook cell: its old text
            found = have[old_key]
            data.pop(old_key, None)
        zh = unit.english if found is None else found.zh
        data[unit.key] = {"source_sha": sha(unit.english), "zh": zh}
    if count:
        order = [u.key for u in todo]  # a notebook's cells in order (edited_from reads it)
        data = dict(sorted(data.items(), key=lambda kv: _position(order, kv[0])))
        file.parent.mkdir(parents=True, exist_ok=True)
        dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
        file.write_text(dumped, encoding="utf-8")
    return count


def _position(order: list[str], key: str) -> int:
    return order.index(key) if key in order else len(order)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m docsgen.i18n", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("status", help="list the missing and stale translations")
    stub = sub.add_parser("stub", help="write stub entries (current hash) into a translation file")
    stub.add_argument("files", nargs="*", type=Path)
    stub.add_argument("--all", action="store_true", help="every translation file with gaps")
    args = parser.parse_args(argv)
    if args.command == "status":
        found = status()
        for unit in found.stale:
            print(f"stale    {unit.where}")
        for unit in found.missing:
            print(f"missing  {unit.where}")
        for where in found.orphans:
            print(f"orphan   {where}")
        total = len(list(units()))
        print(
            f"{total - len(found.missing) - len(found.stale)} of {total} translated; "
            f"{len(found.missing)} missing, {len(found.stale)} stale, {len(found.orphans)} orphan"
        )
        return 1 if found.stale or found.missing or found.orphans else 0
    files = [f.resolve() for f in args.files]
    if args.all:
        found = status()
        files += sorted({u.file for u in found.missing + found.stale})
    for file in files:
        print(f"{file.relative_to(ROOT)}: {write_stubs(file)} entries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
