"""The site as GitHub Pages hosts it: canonical links and a sitemap under mkdocs.yml's
``site_url``, our own favicon and logo, and "edit this page" links into this repository.

The browser test (tests/test_browser.py) checks that none of these makes a page fetch anything
from another host."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest
from _site import NOTEBOOKS, ROOT, SITE_URL, build_site, parse

import jaxact
from docsgen import editions, generate

DOCS = ROOT / "docs"
IMAGES = DOCS / "assets" / "images"
EDIT_URI = re.search(r"^edit_uri:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(), re.M).group(1)
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def site() -> Path:
    built = build_site()
    assert built.returncode == 0, built.log[-4000:]
    return built.path


class _Marks(HTMLParser):
    """The favicon links, the header logo's images and the "edit this page" links of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.icons: list[str] = []
        self.logos: list[str] = []
        self.edits: list[str] = []
        self._in_logo = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "link" and a.get("rel") == "icon":
            self.icons.append(a["href"])
        elif tag == "a" and "md-logo" in a.get("class", "").split():
            self._in_logo = True
        elif tag == "img" and self._in_logo:
            self.logos.append(a["src"])
        if tag == "a" and a.get("rel") == "edit":
            self.edits.append(a["href"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._in_logo = False


def _marks(page: Path) -> _Marks:
    marks = _Marks()
    marks.feed(page.read_text(encoding="utf-8"))
    return marks


def _is_redirect(page: Path) -> bool:
    """A static page that only sends the reader on (an alias's URL, docsgen/names.py)."""
    return 'http-equiv="refresh"' in page.read_text(encoding="utf-8")


def _pages(site: Path) -> list[Path]:
    """Every page of the site (404.html, served for any missing URL, has no address)."""
    return sorted(p for p in site.rglob("index.html") if not _is_redirect(p))


def _hosted_url(site: Path, page: Path) -> str:
    folder = page.parent.relative_to(site).as_posix()
    return SITE_URL if folder == "." else f"{SITE_URL}{folder}/"


def _page_of(source: Path, site: Path) -> Path:
    """The built page of a hand-written source under docs/ (Markdown page or notebook)."""
    rel = source.relative_to(DOCS).with_suffix("")
    folder = rel.parent if rel.name == "index" else rel
    return site / folder / "index.html"


def _expected_edit_sources(site: Path) -> dict[Path, str]:
    """Page -> the file under docs/ that its edit link opens: hand-written pages and notebooks
    open themselves, a generated function page its note; other generated pages have none."""
    generated = set(generate.files(DOCS))  # written by python -m docsgen: not sources
    sources = [
        md
        for md in DOCS.rglob("*.md")
        if "_notes" not in md.parts
        and md.relative_to(DOCS).as_posix() not in generated
        and not md.name.endswith(".zh.md")  # translations (docsgen/i18n.py)
    ] + NOTEBOOKS
    expected = {_page_of(s, site): s.relative_to(DOCS).as_posix() for s in sources}
    for name in jaxact.names():
        expected[site / "functions" / name / "index.html"] = f"_notes/{name}.md"
    # The Chinese edition (zh/): each page opens its translation (docsgen/editions.py), the
    # English source while it has none.
    for page, source in list(expected.items()):
        chinese = site / "zh" / page.relative_to(site)
        expected[chinese] = editions.translation_source(_source_of(page, site)) or source
    expected[site / "zh" / "glossary" / "index.html"] = "glossary.zh.md"
    return expected


def _source_of(page: Path, site: Path) -> str:
    """The src_uri of an English page (its path under docs/, as the site's folder names it)."""
    folder = page.parent.relative_to(site).as_posix()
    if folder == ".":
        return "index.md"
    for candidate in (f"{folder}.md", f"{folder}/index.md", f"{folder}.py"):
        if (DOCS / candidate).exists():
            return candidate
    return f"{folder}.md"


def test_site_url_is_an_https_folder_of_github_pages() -> None:
    assert re.fullmatch(r"https://[a-z0-9-]+\.github\.io/[\w.-]+/", SITE_URL), SITE_URL


def test_every_page_names_its_hosted_url(site: Path) -> None:
    wrong = {
        str(page.relative_to(site)): parse(page).canonical
        for page in _pages(site)
        if parse(page).canonical != _hosted_url(site, page)
    }
    assert wrong == {}
    assert parse(site / "404.html").canonical is None


@pytest.mark.parametrize("edition", ["", "zh"])
def test_sitemap_lists_every_page_at_its_hosted_url(site: Path, edition: str) -> None:
    # Each edition has its own sitemap (the Chinese one at zh/sitemap.xml).
    tree = ET.parse(site / edition / "sitemap.xml")
    locs = [loc.text for loc in tree.getroot().iter(f"{SITEMAP}loc")]
    assert len(locs) == len(set(locs))
    pages = [p for p in _pages(site) if (p.relative_to(site).parts[0] == "zh") == bool(edition)]
    assert set(locs) == {_hosted_url(site, page) for page in pages}


def test_redirects_name_the_hosted_url_of_their_target(site: Path) -> None:
    pages = {_hosted_url(site, page) for page in _pages(site)}
    redirects = [p for p in site.rglob("index.html") if _is_redirect(p)]
    for page in redirects:
        canonical = parse(page).canonical
        assert canonical is not None and urljoin(_hosted_url(site, page), canonical) in pages


def test_every_page_shows_our_favicon_and_logo(site: Path) -> None:
    favicon, logo = (IMAGES / "favicon.svg").read_bytes(), (IMAGES / "logo.svg").read_bytes()
    for page in _pages(site):
        marks = _marks(page)
        assert len(marks.icons) == 1 and marks.logos, page
        assert (page.parent / marks.icons[0]).read_bytes() == favicon, page
        assert {(page.parent / src).read_bytes() for src in marks.logos} == {logo}, page


@pytest.mark.parametrize("name", ["favicon.svg", "logo.svg"])
def test_marks_are_self_contained_svg(name: str) -> None:
    svg = ET.parse(IMAGES / name).getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert svg.get("viewBox") is not None
    text = (IMAGES / name).read_text()
    assert not re.search(r"href|url\(|<image|<script", text), "nothing to fetch, nothing to run"


def test_edit_links_open_files_of_this_repository(site: Path) -> None:
    tracked = set(
        subprocess.run(
            ["git", "ls-files", "docs"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.split()
    )
    expected = _expected_edit_sources(site)
    found = {}
    for page in _pages(site):
        edits = _marks(page).edits
        assert len(edits) <= 1, page
        if edits:
            assert edits[0].startswith(EDIT_URI), edits[0]
            found[page] = edits[0].removeprefix(EDIT_URI)
    assert found == expected
    assert {f"docs/{source}" for source in found.values()} <= tracked
