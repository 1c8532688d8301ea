"""The Chinese edition's translations and machinery (docsgen/i18n.py, docsgen/editions.py),
without a build: every translation current, none orphaned, the coverage that is still missing,
and the pieces that apply them. The built editions: test_site_zh.py and test_browser.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

import jaxact
from docsgen import editions, i18n

ROOT = Path(__file__).resolve().parent.parent
STATUS = i18n.status()


def _listing(units: list[i18n.Unit]) -> str:
    return "\n".join(u.where for u in units)


def test_no_translation_is_stale() -> None:
    # An English source edited after its translation: the translation names the old hash.
    # `python -m docsgen.i18n stub FILE` writes the new hash and flags the text to revise.
    assert STATUS.stale == [], "stale translations (English changed since):\n" + _listing(
        STATUS.stale
    )


def test_no_translation_is_orphaned() -> None:
    assert STATUS.orphans == []


# Every page and string the machinery knows of (docsgen/i18n.units). A function, parameter,
# notebook cell or page added in English fails here until its Chinese is added
# (`python -m docsgen.i18n stub --all`, then translate; CONTRIBUTING.md "Translating").
def test_every_page_and_string_is_translated() -> None:
    assert STATUS.missing == [], "untranslated:\n" + _listing(STATUS.missing)


def test_a_translation_is_of_its_own_english() -> None:
    """Two registry strings of a function (its ``docs/_notes/zh/<name>.yml``) with the same
    Chinese have the same English: log_softmax's temperature convention carried the translation
    of its ``where`` convention, which the Chinese page then showed twice (the hash was right,
    so nothing was stale). Not the UI catalogue, where "Functions" and "function" share 函数."""
    english = {(u.file, u.key): u.english for u in i18n.units()}
    clashes = []
    for file in sorted((i18n.NOTES / "zh").glob("*.yml")):
        seen: dict[str, str] = {}
        for key, found in i18n.translations(file).items():
            first = seen.setdefault(found.zh, key)
            if first != key and english.get((file, first)) != english.get((file, key)):
                clashes.append(f"{file.name}: {first} and {key}")
    assert clashes == []


def test_units_cover_every_kind_of_text() -> None:
    files = {u.file for u in i18n.units()}
    assert i18n.DOCS / "index.zh.md" in files
    assert i18n.DOCS / "concepts" / "saturation.zh.md" in files
    assert i18n.NOTES / "zh" / "relu.md" in files  # pros, cons, when to use
    assert i18n.LOCALE in files
    keys = {(u.file.name, u.key) for u in i18n.units()}
    assert ("gelu.yml", "summary") in keys and ("elu.yml", "param alpha") in keys
    title = i18n.markdown_cells(i18n.DOCS / "notebooks" / "01_why_nonlinearity.py")[0]
    assert ("01_why_nonlinearity.zh.yml", i18n.cell_key(title)) in keys
    # Generated pages are translated through their strings, never as pages.
    assert not any("functions/" in str(f) or "benchmarks/" in str(f) for f in files)


def _unit(tmp_path: Path, english: str, suffix: str = ".yml") -> i18n.Unit:
    return i18n.Unit(tmp_path / f"t{suffix}", "summary" if suffix == ".yml" else "page", english)


def _write_yml(unit: i18n.Unit, source: str, zh: str) -> None:
    entry = {unit.key: {"source_sha": i18n.sha(source), "zh": zh}}
    unit.file.write_text(yaml.safe_dump(entry, allow_unicode=True))


def test_an_edited_english_string_makes_its_translation_stale(tmp_path: Path) -> None:
    unit = _unit(tmp_path, "The sigmoid saturates.")
    assert i18n.state(unit) == "missing"
    _write_yml(unit, "The sigmoid saturates.", "sigmoid 会饱和。")
    assert i18n.state(unit) == "ok" and i18n.lookup(unit) == "sigmoid 会饱和。"
    edited = i18n.Unit(unit.file, unit.key, "The sigmoid saturates on both sides.")
    assert i18n.state(edited) == "stale" and i18n.lookup(edited) is None
    found = i18n.status([edited])
    assert [u.where for u in found.stale] == [edited.where]
    assert edited.where == f"{unit.file} [summary]"  # names the file and the key


def test_an_edited_english_page_makes_its_translation_stale(tmp_path: Path) -> None:
    english = "# Saturation\n\nA function saturates.\n"
    unit = _unit(tmp_path, english, ".md")
    unit.file.write_text(f"---\nsource_sha: {i18n.sha(english)}\n---\n# 饱和\n")
    assert i18n.state(unit) == "ok"
    assert i18n.state(i18n.Unit(unit.file, "page", english + "More.\n")) == "stale"


def test_a_stub_counts_as_missing_until_translated(tmp_path: Path) -> None:
    unit = _unit(tmp_path, "Slope of the negative part.")
    _write_yml(unit, unit.english, unit.english)  # the stub: English under `zh`
    assert i18n.state(unit) == "missing"
    page = _unit(tmp_path, "# Home\n", ".md")
    page.file.write_text(f"---\nsource_sha: {i18n.sha(page.english)}\n---\n{i18n.TODO}\n\n# Home\n")
    assert i18n.state(page) == "missing"


def test_stub_writes_the_current_hash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    yml = i18n.Unit(tmp_path / "relu.yml", "summary", "Rectified linear unit.")
    page = i18n.Unit(tmp_path / "index.zh.md", "page", "---\nhide:\n  - toc\n---\n# Home\n")
    monkeypatch.setattr(i18n, "units", lambda: iter([yml, page]))
    assert i18n.write_stubs(yml.file) == 1
    assert i18n.translations(yml.file)["summary"].source_sha == i18n.sha(yml.english)
    assert i18n.write_stubs(page.file) == 1
    meta, body = i18n.split_front_matter(page.file.read_text())
    assert meta == {"source_sha": i18n.sha(page.english)}  # the English front matter stays
    assert body.startswith(i18n.TODO)
    # Translated, then the English changes: the stub keeps the translation and takes the hash.
    _write_yml(yml, yml.english, "线性整流函数。")
    changed = i18n.Unit(yml.file, "summary", "The rectified linear unit.")
    monkeypatch.setattr(i18n, "units", lambda: iter([changed]))
    assert i18n.write_stubs(yml.file) == 1
    entry = i18n.translations(yml.file)["summary"]
    assert entry.zh == "线性整流函数。" and entry.source_sha == i18n.sha(changed.english)


def test_a_page_stub_keeps_every_front_matter_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A new page's stub starts from the English front matter; a stale page keeps the lines of
    # its own (a comment, Chinese search words) and only its hash changes.
    english_front = "search_words: [zero, centred]\nhide:\n  - toc\n"
    page = i18n.Unit(tmp_path / "zero.zh.md", "page", "# Zero-centred\n", english_front)
    monkeypatch.setattr(i18n, "units", lambda: iter([page]))
    assert i18n.write_stubs(page.file) == 1
    meta, body = i18n.split_front_matter(page.file.read_text())
    assert meta == {
        "source_sha": i18n.sha(page.english),
        "search_words": ["zero", "centred"],
        "hide": ["toc"],
    }
    assert body == f"{i18n.TODO}\n\n# Zero-centred\n"
    page.file.write_text(
        "---\nsource_sha: 0123456789ab\n# a comment the stub keeps\n"
        "search_words: [zero, 零中心]\n---\n# 零中心输出\n"
    )
    changed = i18n.Unit(page.file, "page", "# Zero-centred outputs\n", english_front)
    monkeypatch.setattr(i18n, "units", lambda: iter([changed]))
    assert i18n.write_stubs(page.file) == 1
    text = page.file.read_text()
    assert "# a comment the stub keeps\n" in text
    meta, body = i18n.split_front_matter(text)
    assert meta == {"source_sha": i18n.sha(changed.english), "search_words": ["zero", "零中心"]}
    assert body.startswith(f"{i18n.TODO}: the English page changed") and "# 零中心输出" in body


def _notebook(tmp_path: Path, *sources: str) -> list[i18n.Unit]:
    """The Markdown cells of a notebook as units of its translation file."""
    return [i18n.Unit(tmp_path / "nb.zh.yml", i18n.cell_key(s), s) for s in sources]


def _translate_cells(cells: list[i18n.Unit], *chinese: str) -> None:
    entries = {
        u.key: {"source_sha": i18n.sha(u.english), "zh": zh}
        for u, zh in zip(cells, chinese, strict=True)
    }
    cells[0].file.write_text(yaml.safe_dump(entries, allow_unicode=True, sort_keys=False))


def test_a_cell_inserted_in_a_notebook_shifts_no_translation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _translate_cells(_notebook(tmp_path, "# Title", "## The code"), "# 标题", "## 代码")
    inserted = _notebook(tmp_path, "# Title", "A new cell.", "## The code")
    monkeypatch.setattr(i18n, "units_of", lambda file: inserted)
    assert [i18n.state(u) for u in inserted] == ["ok", "missing", "ok"]
    assert i18n.lookup(inserted[2]) == "## 代码"


def test_an_edited_notebook_cell_is_stale_and_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _translate_cells(
        _notebook(tmp_path, "# Title", "## The code", "## Result"), "# 标题", "## 代码", "## 结果"
    )
    edited = _notebook(tmp_path, "# Title", "## The code, edited\n\nMore.", "## Result")
    monkeypatch.setattr(i18n, "units_of", lambda file: edited)
    assert [i18n.state(u) for u in edited] == ["ok", "stale", "ok"]
    assert i18n.lookup(edited[1]) is None
    found = i18n.status(edited)
    assert [u.where for u in found.stale] == [
        f"{edited[1].file} [cell {i18n.sha(edited[1].english)}] '## The code, edited'"
    ]
    assert not any(str(tmp_path) in o for o in found.orphans)  # the old entry is the stale one
    # The stub moves the old translation to the new key, in the cells' order.
    monkeypatch.setattr(i18n, "units", lambda: iter(edited))
    assert i18n.write_stubs(edited[0].file) == 1
    entries = i18n.translations(edited[0].file)
    assert list(entries) == [u.key for u in edited] and entries[edited[1].key].zh == "## 代码"


def test_sha_ignores_surrounding_whitespace_only() -> None:
    assert i18n.sha("x\n") == i18n.sha("x") != i18n.sha("y")
    assert re.fullmatch(r"[0-9a-f]{12}", i18n.sha("x"))


def test_fixed_strings_are_translated_as_headings_lines_and_first_cells() -> None:
    english = "\n".join(
        [
            "## Parameters",
            "| name | default | valid | meaning |",
            "| Range | $(0, 1)$ |",
            "Derivative:",
            "The Range of a function.",  # inside a sentence: left alone
            "    | prelu | 0.12 / 0 | no peer | – |",  # a row in a tab (the Accuracy page)
        ]
    )
    zh = editions.translate_fixed_strings(english).split("\n")
    assert zh[0] == "## 参数"
    assert zh[1] == "| 名称 | 默认值 | 取值范围 | 含义 |"
    assert zh[2] == "| 值域 | $(0, 1)$ |"
    assert zh[3] == "导数："
    assert zh[4] == "The Range of a function."
    assert zh[5] == "    | prelu | 0.12 / 0 | 无对应 | – |"


def test_templates_translate_generated_sentences_keeping_their_parts() -> None:
    english = "\n".join(
        [
            "Also known as: `jaxact.logistic`",
            "![Graph of the derivative of sigmoid](../x/sigmoid-derivative.svg)",
            "- **Output range.** The open ends $0$ and $1$ can be reached by rounding, never "
            "passed.",
            "Reproduce from the repository root with `python -m benchmarks.speed` (PyTorch is "
            "optional: `pip install torch` adds its column); the page is rebuilt from "
            "`benchmarks/results/speed.json`.",
            "## More than 15 % slower than jax.nn",
        ]
    )
    zh = editions.translate_fixed_strings(english).split("\n")
    assert zh[0] == "别名：`jaxact.logistic`"
    assert zh[1] == "![sigmoid 的导数图像](../x/sigmoid-derivative.svg)"
    assert zh[2] == "- **输出范围。**开端点 $0$ 和 $1$ 可能因舍入而取到，但绝不会被越过。"
    assert zh[3].endswith("本页由 `benchmarks/results/speed.json` 重新生成。")  # not at ".json"
    assert zh[4] == "## 比 jax.nn 慢 15 % 以上"


def test_template_parts_braces_and_numbers() -> None:
    regex = i18n.template_regex("up to {k} ULPs, $\\sqrt{{b}}$ of {f}.")
    assert regex.search("up to 2 ULPs, $\\sqrt{b}$ of relu.").groupdict() == {"k": "2", "f": "relu"}
    assert regex.search("up to two ULPs, $\\sqrt{b}$ of relu.") is None  # {k}: a number
    match = regex.search("up to 3 ULPs, $\\sqrt{b}$ of relu.")
    assert (
        i18n.fill_template("{f}：至多 {k} 个 ULP，$\\sqrt{{b}}$", match)
        == "relu：至多 3 个 ULP，$\\sqrt{b}$"
    )


def test_every_template_translation_keeps_the_parts_of_its_english() -> None:
    parts = re.compile(r"(?<!\{)\{([a-z_]+\d*)\}(?!\})")
    words = editions._catalogue()
    templates = list(i18n.TEMPLATES) + [t for ts in i18n.NOTEBOOK_OUTPUTS.values() for t in ts]
    assert set(i18n.TEMPLATES) <= set(words)
    differ = {}
    for english in i18n.TEMPLATES:
        if sorted(parts.findall(english)) != sorted(parts.findall(words[english])):
            differ[english] = words[english]
    for notebook, outputs in i18n.NOTEBOOK_OUTPUTS.items():
        file = i18n.notebook_translation(i18n.DOCS / notebook)
        for english in outputs:
            zh = i18n.translations(file)[i18n.OUTPUT + english].zh
            if sorted(parts.findall(english)) != sorted(parts.findall(zh)):
                differ[english] = zh
    assert templates and differ == {}


def test_printed_sentences_are_translated_and_wrapped() -> None:
    import nbformat

    printed = (
        "At 12 hidden layers, mish 93.1 % vs relu 92.1 % (gap +1.0 points, seed spread\n"
        "up to 2.7): this small-scale run is INCONCLUSIVE: mish and relu are within the\n"
        "seed spread at the deepest setting. Accuracy lost from depth 2 to 12 (points):\n"
        "relu +4.1, silu +3.0, mish +3.3.\n"
    )
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output("stream", text=printed)])]
    file = i18n.notebook_translation(i18n.DOCS / "notebooks" / "04_depth_smoothness.py")
    editions.translate_outputs(nb, i18n.units_of(file))
    text = nb.cells[0].outputs[0]["text"]
    assert "没有定论" in text and "relu +4.1" in text and "INCONCLUSIVE" not in text
    assert "mish 为 93.1 %" in text and "relu 为 92.1 %" in text
    assert max(sum(2 if ord(c) > 0x2E80 else 1 for c in line) for line in text.split("\n")) <= 79


@pytest.mark.parametrize(
    ("url", "zh", "target", "link"),
    [
        ("", False, "zh", "zh/"),
        ("", False, "en", "./"),
        ("concepts/saturation/", False, "zh", "../../zh/concepts/saturation/"),
        ("concepts/saturation/", True, "en", "../../../concepts/saturation/"),
        ("functions/relu/", True, "zh", "../../functions/relu/"),
        ("", True, "en", "../"),
        ("404.html", False, "zh", "zh/404.html"),
    ],
)
def test_switcher_links_to_the_same_page_in_the_other_edition(
    url: str, zh: bool, target: str, link: str
) -> None:
    assert editions.other_edition_link(url, zh, target) == link


def _config(path: Path) -> dict:
    loader = yaml.SafeLoader
    return yaml.load(path.read_text(), Loader=loader)


def test_chinese_config_repeats_the_english_hooks_and_plugins() -> None:
    # The child's lists replace the parent's: they must stay copies, but for the search options.
    en, zh = _config(ROOT / "mkdocs.yml"), _config(ROOT / "mkdocs.zh.yml")
    assert zh["INHERIT"] == "mkdocs.yml" and zh["theme"]["language"] == "zh"
    assert zh["hooks"] == en["hooks"] and "docsgen/editions.py" in en["hooks"]

    def without_search(plugins: list) -> list:
        return [p for p in plugins if p != "search" and "search" not in p]

    assert without_search(zh["plugins"]) == without_search(en["plugins"])
    search = next(p["search"] for p in zh["plugins"] if isinstance(p, dict) and "search" in p)
    assert (ROOT / search["jieba_dict_user"]).is_file()
    assert "\\u200b" in search["separator"]  # where Material puts jieba's word boundaries
    # The English search keeps Material's options but for its separator, which leaves numbers
    # standing alone out of the index, as the Chinese one does (tests/test_site_search.py).
    en_search = next(p["search"] for p in en["plugins"] if isinstance(p, dict) and "search" in p)
    assert set(en_search) == {"separator"}
    number = "|(?<![\\w.])[\\d.,]+(?!\\w)"
    assert en_search["separator"].endswith(number) and search["separator"].endswith(number)
    links = {a["lang"]: a["link"] for a in en["extra"]["alternate"]}
    assert links == {"en": "./", "zh": "zh/"}


GLOSSARY = i18n.GLOSSARY.read_text(encoding="utf-8")
# The terms the issue names, as the Chinese deep-learning literature writes them.
TERMS = {
    "激活函数": "activation function",
    "梯度消失": "vanishing gradient",
    "饱和": "saturation",
    "零中心": "zero-centred",
    "稀疏性": "sparsity",
    "可学习参数": "learnable parameter",
}


@pytest.mark.parametrize(("zh", "en"), TERMS.items())
def test_glossary_gives_each_term_with_its_english(zh: str, en: str) -> None:
    assert re.search(rf"^\| {zh} \| {re.escape(en)}[ |/]", GLOSSARY, re.M), zh
    # ... and search keeps it one word (Material segments with jieba and this dictionary).
    words = {line.split()[0] for line in i18n.JIEBA_USER.read_text("utf-8").splitlines() if line}
    assert zh in words


def test_glossary_does_not_repeat_the_source_articles_mistakes() -> None:
    rows = {line.split("|")[1].strip(): line for line in GLOSSARY.splitlines() if "|" in line}
    # Leaky ReLU is not PReLU: a fixed slope against a learnable one.
    assert "不是** PReLU" in rows["Leaky ReLU"] and "可学习参数" in rows["PReLU"]
    # tanh of a large negative input is about −1.
    assert "约为 $-1$" in rows["tanh"]
    # The sigmoid's values are what its code prints: σ(−5) = 0.0067, σ(−4) = 0.0180.
    quoted = [float(v) for v in re.findall(r"\\approx (0\.\d+)", rows["sigmoid"])]
    values = [float(jaxact.sigmoid(x)) for x in (-5.0, -4.0)]
    assert quoted == [round(v, 3) for v in values] == [0.007, 0.018]


def test_translated_headings_keep_the_english_anchors() -> None:
    english = (
        '# Dead ReLU\n\n## What "dead" means\n\n```python\n# not a heading\n```\n\n## Remedies\n'
    )
    zh = (
        "# 死亡 ReLU\n\n## “死亡”是什么意思\n\n```python\n# not a heading\n```\n\n"
        "## 补救 {#fixes}\n"
    )
    out = editions.keep_anchors(english, zh).split("\n")
    assert out[0] == "# 死亡 ReLU {#dead-relu}"
    assert out[2] == "## “死亡”是什么意思 {#what-dead-means}"
    assert out[5] == "# not a heading"  # code is not touched
    assert out[8] == "## 补救 {#fixes}"  # an id of its own is kept


def _translated_pages() -> list[tuple[str, str]]:
    """``(English, Chinese)`` of each hand-written page with a current translation."""
    pairs = []
    for page in i18n.hand_written_pages():
        unit = i18n.page_unit(page, i18n.page_translation(page))
        if (zh := i18n.lookup(unit)) is not None:
            pairs.append((unit.english, zh))
    return pairs


def test_translated_pages_have_the_english_headings() -> None:
    # Paired in order, the headings carry the English anchors that links point to.
    pairs = _translated_pages()
    assert len(pairs) >= 8  # home, the concepts, the selection guide
    for english, zh in pairs:
        levels = [level for _, level, _, _ in editions.headings(english)]
        assert [level for _, level, _, _ in editions.headings(zh)] == levels, english[:40]


def test_an_untranslated_page_says_so_under_its_title() -> None:
    marked = editions._mark_untranslated("# Saturation\n\nA function saturates.\n")
    assert marked.startswith('# Saturation\n\n!!! note "本页尚未翻译"')
    assert marked.endswith("A function saturates.\n")


def test_serve_answers_before_the_chinese_edition_is_built(tmp_path, monkeypatch) -> None:
    # Under `mkdocs serve` the Chinese child build runs in the background; a newer rebuild stops
    # an older one, the finished one is copied into the served site and kept for the next start.
    # A stand-in child writes one page after a pause instead of running mkdocs.
    import sys
    import time

    monkeypatch.setattr(editions, "SERVED_ZH", tmp_path / "cache" / "site")

    def child(target):
        code = f"import time, pathlib; time.sleep(1); p = pathlib.Path({str(target)!r})"
        code += "; p.mkdir(exist_ok=True); (p / 'index.html').write_text('zh')"
        return [sys.executable, "-c", code]

    monkeypatch.setattr(editions, "_child_build", child)
    served = tmp_path / "served" / "zh"
    start = time.perf_counter()
    older = editions.serve_in_background(served)
    newer = editions.serve_in_background(served)
    assert time.perf_counter() - start < 1  # neither call waited for its build
    assert newer.wait(timeout=60) == 0 and older.wait(timeout=60) != 0  # the older was stopped

    def leftovers():
        return sorted(p.name for p in editions.SERVED_ZH.parent.iterdir())

    for _ in range(200):  # the copy and the clean-up follow each process's end, in threads
        if (served / "index.html").exists() and leftovers() == ["site"]:
            break
        time.sleep(0.05)
    assert (served / "index.html").read_text() == "zh"
    assert leftovers() == ["site"]  # the stopped build's folder is gone
    # The next serve start shows the last Chinese build at once, before its own build ends.
    again = tmp_path / "again" / "zh"
    proc = editions.serve_in_background(again)
    assert (again / "index.html").exists() and proc.poll() is None
    proc.wait(timeout=60)
