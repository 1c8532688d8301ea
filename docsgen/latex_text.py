"""LaTeX formulas as plain Unicode text, for the places that cannot render math.

The site's formulas are LaTeX that KaTeX renders in the page. The search index keeps the page's
text, and Material shows it as plain text in the result snippets, where ``\\frac{1}{1 + e^{-x}}``
would be noise. ``latex_to_text`` turns the subset of LaTeX the site writes into readable text:
``1/(1 + e⁻ˣ)``, ``σ(x)·σ(−x)``, ``{ 1 if x > 0; 0 if x ≤ 0 }``. Unknown commands lose their
backslash (``\\relu`` reads ``relu``); nothing raises.
"""

from __future__ import annotations

import re


def _table(pairs: str) -> dict[str, str]:
    return dict(p.split("=", 1) for p in pairs.split())


SYMBOLS = _table(
    "alpha=α beta=β gamma=γ delta=δ Delta=Δ epsilon=ε varepsilon=ε eta=η theta=θ "
    "kappa=κ lambda=λ mu=μ pi=π rho=ρ sigma=σ Sigma=Σ tau=τ phi=φ varphi=φ Phi=Φ "
    "psi=ψ omega=ω Omega=Ω infty=∞ partial=∂ nabla=∇ le=≤ leq=≤ ge=≥ geq=≥ ne=≠ "
    "neq=≠ approx=≈ sim=∼ equiv=≡ pm=± mp=∓ times=× cdot=· odot=⊙ circ=∘ to=→ "
    "rightarrow=→ mapsto=↦ in=∈ top=⊤ dots=… ldots=… cdots=⋯ sum=Σ prod=Π int=∫ "
    "lVert=‖ rVert=‖ |=‖ lvert=| rvert=| langle=⟨ rangle=⟩ lfloor=⌊ rfloor=⌋ lceil=⌈ "
    "rceil=⌉ _=_ #=# %=% &=& {={ }=} $=$ "
)
# \, \; \quad ...: spacing; \! a negative space.
SPACES = {",": " ", "!": "", ";": " ", ":": " ", " ": " ", "quad": "  ", "qquad": "  "}
# Sizing and spacing commands that only shape the typesetting.
DROPPED = set(
    "left right bigl bigr Bigl Bigr biggl biggr big Big displaystyle textstyle limits "
    "nolimits".split()
)
# Commands whose one argument is kept as it is written.
TEXT_ARGUMENT = set(
    "operatorname mathrm text textrm mathit mathbf mathcal mathsf boldsymbol mathbb".split()
)
FRACTIONS = {"frac", "tfrac", "dfrac"}
SUPERSCRIPT = dict(zip("0123456789+-−=()niax", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱᵃˣ", strict=True))
SUBSCRIPT = dict(zip("0123456789+-−=()aeijknx", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑᵢⱼₖₙₓ", strict=True))

_COMMAND = re.compile(r"\\([A-Za-z]+|.)")


def _group(src: str, i: int) -> tuple[str, int]:
    """The argument starting at ``src[i]`` (a braced group or one token) and the index after it."""
    while i < len(src) and src[i] == " ":
        i += 1
    if i >= len(src):
        return "", i
    if src[i] == "{":
        depth = 0
        for j in range(i, len(src)):
            depth += {"{": 1, "}": -1}.get(src[j], 0)
            if depth == 0:
                return src[i + 1 : j], j + 1
        return src[i + 1 :], len(src)
    command = _COMMAND.match(src, i)
    if command:
        return command.group(0), command.end()
    return src[i], i + 1


def _wrap(text: str) -> str:
    """Parenthesise a fraction's part unless it is a symbol, a number or a call like ``f(x)``."""
    head = re.match(r"[\w.′√]*", text).group(0)
    rest = text[len(head) :]
    if not rest or (rest.startswith("(") and _closing(rest) == len(rest) - 1):
        return text
    return f"({text})"


def _closing(text: str) -> int:
    """Index of the parenthesis that closes ``text[0]``, or -1."""
    depth = 0
    for j, c in enumerate(text):
        depth += {"(": 1, ")": -1}.get(c, 0)
        if depth == 0:
            return j
    return -1


def _script(text: str, table: dict[str, str], marker: str) -> str:
    if text and all(c in table for c in text):
        return "".join(table[c] for c in text)
    return f"{marker}{text}" if len(text) == 1 else f"{marker}({text})"


def _cases(body: str) -> str:
    rows = [r.strip() for r in re.split(r"\\\\", body) if r.strip()]
    parts = []
    for row in rows:
        value, _, condition = row.partition("&")
        value, condition = latex_to_text(value), latex_to_text(condition)
        parts.append(f"{value} if {condition}" if condition else value)
    return "{ " + "; ".join(parts) + " }"


def latex_to_text(src: str) -> str:
    """Readable Unicode text for a LaTeX formula (the subset the site writes)."""
    out: list[str] = []
    i = 0
    while i < len(src):
        c = src[i]
        if src.startswith("\\begin{cases}", i):
            end = src.find("\\end{cases}", i)
            end = len(src) if end < 0 else end
            out.append(_cases(src[i + len("\\begin{cases}") : end]))
            i = end + len("\\end{cases}")
        elif c == "\\":
            command = _COMMAND.match(src, i)
            name = command.group(1) if command else ""
            i = command.end() if command else i + 1
            if name in FRACTIONS:
                top, i = _group(src, i)
                bottom, i = _group(src, i)
                out.append(f"{_wrap(latex_to_text(top))}/{_wrap(latex_to_text(bottom))}")
                if re.match(r"\s*[\\\w]", src[i:]):  # "x/2 erfc", not "x/2erfc"
                    out.append(" ")
            elif name == "sqrt":
                arg, i = _group(src, i)
                out.append("√" + _wrap(latex_to_text(arg)))
            elif name in TEXT_ARGUMENT:
                arg, i = _group(src, i)
                out.append(latex_to_text(arg))
            elif name in SYMBOLS:
                out.append(SYMBOLS[name])
            elif name in SPACES:
                out.append(SPACES[name])
            elif name == "\\":
                out.append("; ")
            elif name not in DROPPED:
                out.append(name)  # \max, \log, \tanh, \exp and the unknown: the word itself
                if src[i : i + 1].isalnum() or src[i : i + 1] == "{":
                    out.append(" ")
        elif c in "^_":
            arg, i = _group(src, i + 1)
            text = latex_to_text(arg)
            out.append(_script(text, SUPERSCRIPT if c == "^" else SUBSCRIPT, c))
        elif c in "{}":
            i += 1
        elif c == "'":
            out.append("′")
            i += 1
        elif c == "-":
            out.append("−")
            i += 1
        elif c == "&":
            out.append(" ")
            i += 1
        else:
            out.append(c)
            i += 1
    text = re.sub(r"\s+", " ", "".join(out)).strip()
    return re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", text))
