"""MkDocs hooks: each notebook page offers its notebook for download, as ``.ipynb`` and ``.py``.

The notebooks are written as jupytext percent scripts (``docs/notebooks/*.py``,
``docs/guide/*.py``). At build time this module writes, next to each notebook page's
``index.html``, the script itself and the ``.ipynb`` jupytext makes of it (not executed: the
reader runs it), and puts a line with both links under the page's title. Nothing is written
into ``docs/``.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import jupytext

# The notebook pages: mkdocs-jupyter renders these (mkdocs.yml, its `include`).
NOTEBOOK_SUFFIX = ".py"
_TITLE_END = re.compile(r"</h1>")


def is_notebook(page: Any) -> bool:
    return page.file.src_uri.endswith(NOTEBOOK_SUFFIX)


def ipynb_text(source: Path) -> str:
    """The ``.ipynb`` (nbformat 4 JSON) of a jupytext notebook, without outputs."""
    return jupytext.writes(jupytext.read(source), fmt="ipynb")


def download_names(source: Path) -> tuple[str, str]:
    return f"{source.stem}.ipynb", source.name


def download_line(source: Path) -> str:
    """The HTML line that links the two downloads (relative to the page's folder)."""
    ipynb, script = (html.escape(n) for n in download_names(source))
    return (
        '<p class="jaxact-downloads">Download this notebook: '
        f'<a href="{ipynb}" download>{ipynb}</a> (Jupyter) · '
        f'<a href="{script}" download>{script}</a> (a Python script; jupytext reads it as a '
        "notebook)</p>"
    )


def on_page_content(html_text: str, page: Any, config: Any, files: Any) -> str:
    if not is_notebook(page):
        return html_text
    # nbconvert's heading permalinks ("¶"): Material's search indexes them as title text (it
    # skips only its own `headerlink`s), and its results then read "Dead ReLU¶".
    html_text = html_text.replace(
        '<a class="anchor-link"', '<a data-search-exclude class="anchor-link"'
    )
    line = download_line(Path(page.file.abs_src_path))
    # Under the title when there is one (the notebook's first Markdown cell), else first.
    if _TITLE_END.search(html_text):
        return _TITLE_END.sub(lambda m: m.group(0) + line, html_text, count=1)
    return line + html_text


def on_post_page(output: str, page: Any, config: Any) -> str:
    if is_notebook(page):
        source = Path(page.file.abs_src_path)
        folder = Path(page.file.abs_dest_path).parent
        folder.mkdir(parents=True, exist_ok=True)
        ipynb, script = download_names(source)
        (folder / ipynb).write_text(ipynb_text(source), encoding="utf-8")
        (folder / script).write_bytes(source.read_bytes())
    return output
