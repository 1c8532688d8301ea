"""The documentation site: a strict build, a page per registered function, a table that
matches the metadata, no request to another host, no broken link or anchor."""

from __future__ import annotations

import dataclasses
import html
import json
import os
import re
from pathlib import Path

import jax.numpy as jnp
import jupytext
import numpy as np
import pytest
from _figures import served_fonts, unserved_fonts
from _site import CODE_WIDTH, NOTEBOOKS, ROOT, broken_links, build_site, parse
from matplotlib.figure import Figure

import jaxact
from docsgen import plots
from docsgen.floating_point import floating_point_section
from docsgen.function_pages import family_caption, function_page, layers_wrapping

SPECS = tuple(jaxact.specs())
NAMES = [s.name for s in SPECS]
LAYERS = layers_wrapping()  # {function: [(library, layer, API page, variant)]}, from the classes


@pytest.fixture(scope="module")
def site() -> Path:
    built = build_site()
    assert built.returncode == 0, built.log[-4000:]
    return built.path


def test_strict_build_has_no_warnings(site: Path) -> None:
    log = build_site().log
    assert not [ln for ln in log.splitlines() if ln.startswith("WARNING")], log[-4000:]


def test_build_log_has_no_kernel_warnings(site: Path) -> None:
    # The notebook kernels log on their own stderr ("[IPKernelApp] WARNING | Kernel is running
    # over TCP without encryption..." until docsgen/hooks.py gave them CurveZMQ keys), which
    # --strict does not see.
    log = build_site().log
    noisy = [ln for ln in log.splitlines() if "WARNING" in ln or "encryption" in ln.lower()]
    assert noisy == [], "\n".join(noisy)
    # ... and the log still reports every notebook it executed.
    for notebook in NOTEBOOKS:
        rel = notebook.relative_to(ROOT / "docs").as_posix()
        assert re.search(rf"docsgen: notebook {re.escape(rel)} done in \d", log), rel


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_built_notebook_pages_show_outputs_never_pending(site: Path, path: Path) -> None:
    # `mkdocs build` executes every notebook (or reads its executed copy from the cache):
    # the "pending" note of `mkdocs serve` never reaches a built site.
    page = (site / path.parent.name / path.stem / "index.html").read_text()
    assert "jp-OutputArea-output" in page
    assert "jaxact-pending" not in page and "Outputs pending" not in page


# A printed output box followed at once by another: one cell's printing, which the kernel sent in
# pieces, shown as boxes a blank line apart (notebook 02's table of gains, a row per box).
_PRINTED_TWICE = re.compile(
    r'<div class="jp-RenderedText[^"]*" data-mime-type="text/plain"[^>]*>\s*<pre>'
    r"((?:(?!</pre>).)*)</pre>\s*</div>\s*</div>\s*<div class=\"jp-OutputArea-child\">\s*"
    r'<div class="jp-RenderedText[^"]*" data-mime-type="text/plain"',
    re.S,
)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_built_notebook_page_prints_each_cell_in_one_box(site: Path, path: Path) -> None:
    page = (site / path.parent.name / path.stem / "index.html").read_text()
    split = [html.unescape(m.group(1)).strip()[:60] for m in _PRINTED_TWICE.finditer(page)]
    assert split == [], f"printed output continues in a new box after: {split}"


def test_coalesce_streams_joins_each_run_of_one_stream() -> None:
    import nbformat

    from docsgen.notebooks import coalesce_streams

    def out(name: str, text: str) -> dict:
        return nbformat.v4.new_output("stream", name=name, text=text)

    image = nbformat.v4.new_output("display_data", data={"text/plain": "<Figure>"})
    pieces = [out("stdout", "a\n"), out("stdout", "b\n"), out("stderr", "w\n"), image]
    pieces += [out("stdout", "c\n"), out("stdout", "d\n")]
    cell = nbformat.v4.new_code_cell(outputs=pieces)
    merged = coalesce_streams(nbformat.v4.new_notebook(cells=[cell])).cells[0].outputs
    assert [(o["output_type"], o.get("text")) for o in merged] == [
        ("stream", "a\nb\n"),
        ("stream", "w\n"),
        ("display_data", None),
        ("stream", "c\nd\n"),
    ]


API_PAGES = ["api/functions", "api/flax", "api/flax_linen", "api/equinox"]


@pytest.mark.parametrize("page", API_PAGES)
def test_api_page_renders_its_docstrings_whole(site: Path, page: str) -> None:
    text = (site / page / "index.html").read_text()
    # A Returns paragraph is one value: mkdocstrings made each of its lines a row of its own
    # (prelu's "... promoted with" / "alpha."; mkdocs.yml's returns_multiple_items).
    returns = re.findall(r'doc-section-title">Returns:</span>.*?<tbody>(.*?)</tbody>', text, re.S)
    assert all(body.count("<tr") == 1 for body in returns), page
    words = html.unescape(re.sub(r"<[^>]+>", "", text))
    # reST roles print as they are in Markdown docstrings (entmax's ":func:`entmax15`").
    assert not re.findall(r":(?:func|class|meth|attr|mod|obj|exc|data):", words), page
    # A private name means nothing to a reader: not in the text ("jaxact._order"), not as a
    # default in a signature (rrelu's "lower=_LOWER").
    assert "jaxact._" not in words, page
    assert not re.findall(r"\w=_[A-Za-z]", words), page


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def _parameter_rows(text: str) -> list[tuple[str, str, str]]:
    """(name, type, default) of every row of an API page's Parameters and Attributes tables
    (an Attributes table has no Default column: "")."""
    rows = []
    for head, body in re.findall(r"<thead>(.*?)</thead>\s*<tbody>(.*?)</tbody>", text, re.S):
        columns = [_text(c) for c in re.findall(r"<th>(.*?)</th>", head, re.S)]
        if not {"Name", "Type"} <= set(columns):
            continue
        for row in re.findall(r'<tr class="doc-section-item">(.*?)</tr>', body, re.S):
            values = map(_text, re.findall(r"<td>(.*?)</td>", row, re.S))
            cells = dict(zip(columns, values, strict=True))
            rows.append((cells["Name"], cells["Type"], cells.get("Default", "")))
    return rows


@pytest.mark.parametrize("page", API_PAGES)
def test_api_page_types_and_defaults_say_something(site: Path, page: str) -> None:
    text = (site / page / "index.html").read_text()
    rows = _parameter_rows(text)
    assert len(rows) >= 40, page
    # The Type column: `Any` (the old `x: Any`) tells a reader nothing; jax.nn says ArrayLike.
    assert [r for r in rows if re.search(r"\bAny\b", r[1])] == [], page
    # A default is a value or a call the reader can read (`2 / math.sqrt(5)`,
    # `nnx.initializers.lecun_normal()`), not a private name (`_default_kernel_init`), and a
    # named constant only where the page says what it is.
    signatures = [
        _text(c) for c in re.findall(r'<code class="highlight language-python">(.*?)</code>', text)
    ]
    defaults = [r[2] for r in rows] + [
        d for sig in signatures for d in re.findall(r"\w=([^,()]+(?:\([^()]*\))?)", sig)
    ]
    assert [d for d in defaults if d.startswith("_") or "._" in d] == [], page
    words = _text(text)
    functions = _text((site / "api" / "functions" / "index.html").read_text())
    for name in {n for d in defaults for n in re.findall(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b", d)}:
        assert f"{name} = (" in functions, (page, name)  # its value, on jaxact.pau's entry
        # ... and the layer pages name it in the parameter's description as well.
        mentions = words.count(name) - sum(d.count(name) for d in defaults)
        assert mentions > 0, (page, name)


def test_generated_pages_are_real_files_under_docs(site: Path) -> None:
    # Written by `python -m docsgen` (the hooks run it): readable by a builder without hooks.
    manifest = json.loads((ROOT / "docs" / "_generated.json").read_text())
    assert "functions/relu.md" in manifest["files"] and manifest["nav"]
    for path in manifest["files"]:
        assert (ROOT / "docs" / path).is_file(), path


@pytest.mark.parametrize("name", NAMES)
def test_every_function_has_page_plots_and_api_entry(site: Path, name: str) -> None:
    page = site / "functions" / name / "index.html"
    assert page.exists()
    images = {url for tag, _, url in parse(page).refs if tag == "img"}
    for suffix in ("", "-derivative"):
        assert f"../../assets/figures/functions/{name}{suffix}.svg" in images
        svg = site / "assets" / "figures" / "functions" / f"{name}{suffix}.svg"
        assert svg.read_bytes().startswith(b"<?xml")
    spec = jaxact.get(name)
    if any(p.plot_values for p in spec.params):
        assert (site / "assets" / "figures" / "functions" / f"{name}-family.svg").exists()
    assert f"jaxact.{name}" in parse(site / "api" / "functions" / "index.html").ids
    assert 'class="arithmatex"' in page.read_text()  # the formulas (KaTeX renders them)


@pytest.mark.parametrize("name", NAMES)
def test_every_function_has_notes(name: str) -> None:
    notes = (ROOT / "docs" / "_notes" / f"{name}.md").read_text()
    for heading in ("## Pros", "## Cons", "## When to use"):
        assert heading in notes


def test_every_learnable_function_has_a_layer_in_both_libraries() -> None:
    # The functions whose parameters a network learns (slope, beta, weights of the pieces),
    # and rrelu, whose layers draw its random slopes.
    learnable = {"prelu", "rrelu", "silu", "maxout", "glu", "swiglu", "geglu", "reglu"}
    learnable |= {"dyt", "snake", "star_relu"}
    learnable |= {"pau", "xielu"}
    assert set(LAYERS) == learnable
    modules = ["jaxact.equinox", "jaxact.flax", "jaxact.flax.linen"]  # NNX, Linen, Equinox
    for name, layers in LAYERS.items():
        assert sorted(dotted.rsplit(".", 1)[0] for _, dotted, _, _ in layers) == modules, name
        assert all(dotted.rsplit(".", 1)[1] != "Activation" for _, dotted, _, _ in layers), name


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_learnable_function_page_links_to_its_layers(site: Path, name: str) -> None:
    page = site / "functions" / name / "index.html"
    links = {url for tag, _, url in parse(page).refs if tag == "a"}
    for _, dotted, api_page, _ in LAYERS[name]:
        url = f"../../{api_page.removesuffix('.md')}/#{dotted}"
        assert url in links, (name, url)
        assert dotted in parse(site / api_page.removesuffix(".md") / "index.html").ids


def _table_rows(site: Path) -> dict[str, list[str]]:
    text = (site / "functions" / "index.html").read_text()
    text = text.split('id="formulas"')[0]  # the comparison table, not the formula table below
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", text, re.S):
        cells = [
            html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        link = re.search(r'href="([a-z0-9_]+)/"', row)
        if cells and link:
            rows[link.group(1)] = cells
    return rows


def _yes_no(value: bool | None) -> str:
    return {None: "–", True: "yes", False: "no"}[value]


# As the table shows them: KaTeX source for the differentiability classes.
_SMOOTHNESS = {None: "–", "C0": r"\(C^0\)", "C1": r"\(C^1\)", "Cinf": r"\(C^\infty\)"}


def test_comparison_table_matches_metadata(site: Path) -> None:
    rows = _table_rows(site)
    assert sorted(rows) == sorted(NAMES)
    for spec in SPECS:
        cells = rows[spec.name]
        rng = spec.output_range
        expected = [
            spec.display_name,
            spec.family,
            rf"\({rng.to_latex()}\)",
            _yes_no(spec.monotonic),
            _SMOOTHNESS.get(spec.smoothness, spec.smoothness),
            _yes_no(rng.bounded_below and rng.bounded_above),
            _yes_no(spec.zero_at_zero),
            _yes_no(spec.zero_centred),
            _yes_no(spec.left_saturating),
            _yes_no(spec.right_saturating),
        ]
        assert cells[:-1] == expected, spec.name
        # Measured time relative to relu: the speed benchmark times every registered function
        # (test_benchmark_results checks that it does).
        assert re.fullmatch(r"\d+\.\d×", cells[-1]), (spec.name, cells[-1])
    assert rows["relu"][-1] == "1.0×"


_EXTERNAL = re.compile(r"^(https?:)?//", re.I)


def test_no_resource_from_another_host(site: Path) -> None:
    offenders = []
    for page in site.rglob("*.html"):
        for tag, attr, url in parse(page).refs:
            if tag != "a" and _EXTERNAL.match(url):
                offenders.append(f"{page.relative_to(site)}: <{tag} {attr}={url}>")
    for css in site.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text()):
            if _EXTERNAL.match(url):
                offenders.append(f"{css.relative_to(site)}: url({url})")
    for js in site.rglob("*.js"):
        if "fonts.googleapis" in js.read_text(errors="ignore"):
            offenders.append(f"{js.relative_to(site)}: Google Fonts")
    assert not offenders, offenders[:20]


def test_every_svg_names_only_fonts_the_site_serves(site: Path) -> None:
    # Every generator's figures (function plots, concept and benchmark figures, notebooks'):
    # text in a font the browser lacks prints other glyphs ("f0(x)" for f′(x) in cmsy10).
    served = served_fonts(site / "assets")
    svgs = sorted(site.rglob("*.svg"))
    bad = {str(p.relative_to(site)): unserved_fonts(p.read_bytes(), served) for p in svgs}
    assert len(svgs) > 50 and {k: v for k, v in bad.items() if v} == {}
    # ... and sizes stay reasonable (text as paths costs ~7 KB a figure; the gallery is largest).
    # The gallery has one panel per function: its budget grows with the catalogue.
    limit = {"gallery.svg": 12_000 * len(NAMES)}
    large = {
        str(p.relative_to(site)): p.stat().st_size
        for p in svgs
        if p.stat().st_size > limit.get(p.name, 500_000)
    }
    assert large == {}


def test_links_and_anchors_resolve(site: Path) -> None:
    assert broken_links(site) == []


def test_link_checker_finds_a_broken_anchor(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text('<a href="b.html#here">x</a><a href="c.html">y</a>')
    (tmp_path / "b.html").write_text('<h2 id="there">b</h2>')
    assert len(broken_links(tmp_path)) == 2


@pytest.mark.parametrize("name", ["relu", "softmax"])
def test_plot_functions_return_figures(name: str) -> None:
    spec = jaxact.get(name)
    f, df = plots.plot_activation(spec), plots.plot_derivative(spec)
    assert isinstance(f, Figure) and isinstance(df, Figure)
    (line,) = f.axes[0].lines[-1:]
    x, y = line.get_data()
    assert x.min() == spec.plot_range[0] and x.max() == spec.plot_range[1]
    lo, hi = f.axes[0].get_ylim()
    assert lo <= y.min() and hi >= y.max() and hi - lo < 3 * (y.max() - y.min() + 1)


def test_derivative_plot_is_jax_grad() -> None:
    x, y, dy = plots.curves(jaxact.get("sigmoid"))
    assert abs(dy - y * (1 - y)).max() < 1e-6


def test_family_plot_has_one_curve_per_value() -> None:
    spec = jaxact.get("leaky_relu")
    fig = plots.plot_family(spec)
    values = next(p for p in spec.params if p.plot_values).plot_values
    assert len(
        [ln for ln in fig.axes[0].lines if ln.get_label().startswith("negative_slope")]
    ) == len(values)


def test_svg_output_is_deterministic() -> None:
    spec = jaxact.get("tanh")
    assert plots.to_svg(plots.plot_activation(spec)) == plots.to_svg(plots.plot_activation(spec))


def test_gallery_has_two_curves_per_function() -> None:
    fig = plots.plot_gallery(SPECS[:3])
    assert [len(ax.lines) for ax in fig.axes] == [3, 3, 3]  # f, f' and the zero line


def test_readme_quick_start_serves_the_site_and_ci_runs_its_test_line() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Quick start\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```[a-z]*\n(.*?)```", section, re.S)
    assert block is not None
    serve, test = block.group(1).strip("\n").split("\n")  # exactly two lines
    assert '".[docs]"' in serve and serve.endswith("mkdocs serve -a 127.0.0.1:8000")
    assert '".[test]"' in test and test.endswith("-m pytest")
    ci = (ROOT / ".ci" / "run").read_text().strip().splitlines()
    assert ci[-1] == test


def _code_lines(path: Path) -> list[str]:
    cells = jupytext.read(path).cells
    return [ln for c in cells if c.cell_type == "code" for ln in c.source.splitlines()]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_code_lines_fit_the_code_block(path: Path) -> None:
    # Wider lines scroll sideways on the page (test_browser checks the rendered blocks).
    assert [ln for ln in _code_lines(path) if len(ln) > CODE_WIDTH] == []


# Import-path plumbing a reader should not see: the build puts the repository root on the
# kernels' PYTHONPATH (docsgen/hooks.py), and jaxact is installed in the environment.
PLUMBING = re.compile(
    r"\bsys\.path\b|\bos\.chdir\b|\bPYTHONPATH\b|\baddsitedir\b|^import sys$", re.M
)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_have_no_path_setup(path: Path) -> None:
    assert PLUMBING.findall("\n".join(_code_lines(path))) == []


def test_plumbing_pattern_catches_the_old_path_setup() -> None:
    old = 'import sys\nsys.path.insert(0, str(Path.cwd().parent))\nos.chdir("..")'
    assert PLUMBING.findall(old) == ["import sys", "sys.path", "os.chdir"]


def _page_text(page: Path) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_rendered_notebook_shows_no_path_setup(site: Path, path: Path) -> None:
    text = _page_text(site / path.parent.name / path.stem / "index.html")
    assert "import jaxact" in text  # the code cells are on the page
    assert PLUMBING.findall(text) == []
    assert not re.search(r"\bIn\s*\[\d*\]:", text)  # no prompts (their width is the code's)


def test_notebooks_import_the_helpers_without_path_setup(monkeypatch: pytest.MonkeyPatch) -> None:
    # The build's kernels find docsgen through the PYTHONPATH the hooks set (from any cwd), and
    # are given CurveZMQ keys by the nbconvert config the hooks put on JUPYTER_CONFIG_PATH.
    from docsgen import hooks

    for variable in ("PYTHONPATH", "JUPYTER_CONFIG_PATH", "MATPLOTLIBRC"):
        monkeypatch.setenv(variable, "/elsewhere")  # restored after the test
    monkeypatch.delenv(hooks.SKIP_NOTEBOOKS, raising=False)
    hooks.on_config(None)
    assert os.environ["PYTHONPATH"].split(os.pathsep) == [str(ROOT), "/elsewhere"]
    folders = os.environ["JUPYTER_CONFIG_PATH"].split(os.pathsep)
    assert folders == [str(hooks.JUPYTER_CONFIG), "/elsewhere"]
    config = json.loads((hooks.JUPYTER_CONFIG / "jupyter_nbconvert_config.json").read_text())
    assert config == {"KernelManager": {"transport_encryption": "auto"}}
    # ... and the notebooks import nothing from the repository but jaxact (tests/_notebooks.py).
    assert not [p.name for p in NOTEBOOKS if re.search(r"\bdocsgen\b", "\n".join(_code_lines(p)))]


def _family_spec(shift: float) -> object:
    """relu + c for c in (0, shift): a synthetic family whose curves are ``shift`` apart."""
    return dataclasses.replace(
        jaxact.get("relu"),
        name=f"shifted_relu_{shift}",
        fn=lambda x, c=0.0: jnp.maximum(x, 0.0) + c,
        params=(jaxact.Param("c", 0.0, "shift", plot_values=(0.0, shift)),),
    )


def _data_lines(ax: object) -> list[object]:
    return [ln for ln in ax.lines if len(ln.get_xdata()) >= plots.GRID_POINTS]


def test_family_difference_rule_follows_the_line_width() -> None:
    # The f panel is 2.6 in (187 pt) tall, relu + c spans about 5 * 1.16 there, a line is
    # 1.8 pt: two line widths are about 0.11 in data units.
    near, apart = _family_spec(0.05), _family_spec(0.5)
    gaps = plots.family_differences(near)
    assert list(gaps) == [0.05]
    assert abs(gaps[0.05][0] - 0.05) < 1e-6 and gaps[0.05][1] == 0.0
    assert plots.family_differences(apart) == {}
    assert len(plots.plot_family(near).axes) == 2
    assert len(plots.plot_derivative_family(near).axes) == 2
    assert len(plots.plot_family(apart).axes) == 1


def test_gelu_family_gets_difference_panels() -> None:
    # The tanh form and the exact erf form are within 1e-3: one line on the f panel.
    gelu = jaxact.get("gelu")
    gaps = plots.family_differences(gelu)
    assert list(gaps) == [True]  # against the first plotted value, approximate=False
    df, ddf = gaps[True]
    assert 1e-5 < df < 1e-3 and 1e-5 < ddf < 1e-2
    # Each difference panel under its own quantity: Δf under the f family, Δf′ under the f′
    # family (the Δf′ panel stood under f, and the f′ figure beside it was shorter).
    fig, dfig = plots.plot_family(gelu), plots.plot_derivative_family(gelu)
    assert [ax.get_ylabel() for ax in fig.axes] == ["f(x)", "Δf (×10⁻⁴)"]
    assert [ax.get_ylabel() for ax in dfig.axes] == ["f′(x)", "Δf′ (×10⁻⁴)"]
    assert [ax.get_title() for ax in (fig.axes[1], dfig.axes[1])] == [
        "f(x; approximate = True) − f(x; approximate = False)",
        "f′(x; approximate = True) − f′(x; approximate = False)",
    ]
    assert fig.get_size_inches()[1] == dfig.get_size_inches()[1]
    for a, b in zip(fig.axes, dfig.axes, strict=True):  # the panels line up side by side
        assert a.get_position().bounds[1::2] == pytest.approx(b.get_position().bounds[1::2])
    assert fig.axes[-1].get_xlabel() == dfig.axes[-1].get_xlabel() == "x"
    _, x, f_exact, df_exact = plots.family_curves(gelu)[0]
    _, _, f_tanh, df_tanh = plots.family_curves(gelu)[1]
    panels = (fig.axes[1], dfig.axes[1])
    for ax, expected in zip(panels, (f_tanh - f_exact, df_tanh - df_exact), strict=True):
        (line,) = _data_lines(ax)
        np.testing.assert_allclose(line.get_ydata() * 1e-4, expected, rtol=1e-6, atol=0)
    caption = family_caption(gelu, gaps)
    assert "`approximate = True` differs from `approximate = False`" in caption


@pytest.mark.parametrize("name", ["leaky_relu", "elu", "silu", "squareplus", "soft_shrink"])
def test_well_separated_family_has_no_difference_panel(name: str) -> None:
    spec = jaxact.get(name)
    assert plots.family_differences(spec) == {}
    fig = plots.plot_family(spec)
    assert len(fig.axes) == 1 and fig.axes[0].get_ylabel() == "f(x)"


def test_gelu_page_explains_the_coinciding_curves(site: Path) -> None:
    # gelu's two forms differ by < 10^-3: the page says so and plots the differences. elu's
    # family also coincides (for x > 0), but only the banding sentence every banded family
    # plot gets applies there, not gelu's.
    said = "Some of these curves lie on top of each other"
    text = _page_text(site / "functions" / "gelu" / "index.html")
    assert said in text and "differs from approximate = False" in text
    elu = _page_text(site / "functions" / "elu" / "index.html")
    assert said not in elu and "where they coincide" in elu


def _nan_count(fig: Figure) -> list[int]:
    return [int(np.isnan(ln.get_ydata()).sum()) for ln in _data_lines(fig.axes[0])]


def test_jumps_are_not_drawn_as_vertical_segments() -> None:
    relu, step, sigmoid = (jaxact.get(n) for n in ("relu", "binary_step", "sigmoid"))
    assert _nan_count(plots.plot_activation(relu)) == [0]  # C0: f is continuous
    assert _nan_count(plots.plot_derivative(relu)) == [1]  # f' jumps at 0
    (line,) = _data_lines(plots.plot_derivative(relu).axes[0])
    x, y = line.get_data()
    assert 0.0 < x[np.isnan(y)][0] < 0.0125 + 1e-6  # inside the jump after x = 0
    assert _nan_count(plots.plot_activation(step)) == [1]
    assert _nan_count(plots.plot_derivative(sigmoid)) == [0]
    assert _nan_count(plots.plot_family(jaxact.get("hard_shrink"))) == [2, 2, 2]


@pytest.mark.parametrize("name", NAMES)
def test_page_states_floating_point_behaviour_from_the_registry(name: str) -> None:
    # What each sentence claims is tested in test_properties (ranges, monotonic_ulps),
    # test_half_precision and test_integer_input; here: the page says what the registry says.
    spec = jaxact.get(name)
    text = "\n".join(floating_point_section(spec))
    assert ("its own integer type, exactly" in text) == spec.integer_exact
    assert ("converted to floating point first" in text) != spec.integer_exact
    assert "float32 result rounded once" in text
    if spec.elementwise:
        k = spec.monotonic_ulps
        assert (f"decrease by up to {k} ULP" in text) == bool(spec.monotonic and k)
        assert ("never decreases" in text) == bool(spec.monotonic and not k)
        rng = spec.output_range
        for end, is_open in ((rng.lo, rng.lo_open), (rng.hi, rng.hi_open)):
            if np.isfinite(end):
                word = "open end" if is_open else "closed end"
                number = repr(float(end)).removesuffix(".0")
                assert word in text and f"${number}$" in text, (word, number)
    page = function_page(spec, "1 op", has_family=False)
    assert "\n".join(floating_point_section(spec)) in page
