r"""Point values written as text in the registry's conventions, rendered as math on the page.

The registry states its conventions in plain text (``relu'(0) = 0``, ``f(−inf) = 0``,
``hard_tanh'(a) = hard_tanh'(b) = 1``), which reads well in a docstring or a terminal and is
the English source the translations key on. The page typesets each such statement:
``$f'(0) = 0$``, ``$f(-\infty) = 0$``, ``$f'(a) = f'(b) = 1$``. The page's own function
(its name or an alias) is written $f$, as in its formula; another function keeps its name,
as an operator (``$\operatorname{relu6}'(6) = 0$``).

A statement is a function name applied to one simple argument (a number, ``±1``, ``inf``,
a Greek letter or a single Latin letter) that has a prime or is followed by ``= value``;
the values may chain (``a = b = 1``). Text already in ``$…$`` or in backticks is left alone.
"""

from __future__ import annotations

import re

_GREEK = {
    "α": r"\alpha",
    "β": r"\beta",
    "γ": r"\gamma",
    "θ": r"\theta",
    "λ": r"\lambda",
    "σ": r"\sigma",
    "ω": r"\omega",
}
_SIGN = r"[±+−-]?"
_ATOM = r"(?:\d+(?:\.\d+)?(?:/\d+)?|inf|NaN|[αβγθλσω]+|[a-z])"
_NAME = r"[a-z][a-z0-9_]*"
_CALL = rf"{_NAME}'?\({_SIGN}{_ATOM}\)"
_VALUE = rf"(?:{_CALL}|{_SIGN}{_ATOM})"
_STATEMENT = re.compile(rf"(?<![\w.'])(?P<call>{_CALL})(?P<rest>(?: = {_VALUE}(?![\w(]))*)")
_CALL_PARTS = re.compile(rf"(?P<name>{_NAME})(?P<prime>'?)\((?P<arg>[^)]*)\)")
_PROTECTED = re.compile(r"(`[^`]*`|(?<!\\)\$[^$]*(?<!\\)\$)")


def _atom_tex(text: str) -> str:
    text = text.replace("−", "-").replace("±", r"\pm ")
    text = re.sub(r"inf\b", r"\\infty", text)
    text = text.replace("NaN", r"\mathrm{NaN}")
    for letter, tex in _GREEK.items():
        text = text.replace(letter, tex + " ")
    return re.sub(r" +(?=[^a-zA-Z]|$)", "", text)


def _call_tex(match: re.Match[str], names: tuple[str, ...]) -> str:
    name = match["name"]
    escaped = name.replace("_", r"\_")
    head = "f" if name in (*names, "f") else rf"\operatorname{{{escaped}}}"
    return f"{head}{match['prime']}({_atom_tex(match['arg'])})"


def _statement_tex(text: str, names: tuple[str, ...]) -> str:
    parts = []
    for side in text.split(" = "):
        call = _CALL_PARTS.fullmatch(side)
        parts.append(_call_tex(call, names) if call else _atom_tex(side))
    return " = ".join(parts)


def _render_prose(text: str, names: tuple[str, ...]) -> str:
    def replace(match: re.Match[str]) -> str:
        whole = match[0]
        if not match["rest"] and "'" not in match["call"]:
            return whole  # ``sin(x)`` in a sentence: a call, not a stated value
        return f"${_statement_tex(whole, names)}$"

    return _STATEMENT.sub(replace, text)


def render_convention(text: str, names: tuple[str, ...]) -> str:
    """``text``, one convention of the function called ``names`` (its name and aliases), with
    its point values as inline math."""
    pieces = _PROTECTED.split(text)
    return "".join(p if i % 2 else _render_prose(p, names) for i, p in enumerate(pieces))
