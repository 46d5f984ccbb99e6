"""The whole-report scoreboard: layouts made from real reports keep the gold they can hold, the
generator finds tables from the gold and never from the reader, labels vary as reports print them,
and the scoreboard counts table cells right, wrong, missing and extra per split and layout.

Only train documents are generated here (the test split is sealed; evaluation code alone reads it).
"""

from __future__ import annotations

import ast
import copy
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import opencc
import pytest

from benchmarks.layouts import forms, long_tail
from benchmarks.layouts.generate import FORMS, variants
from benchmarks.layouts.labels import WORDINGS, LabelStyle
from benchmarks.layouts.sources import corpus_sources
from benchmarks.layouts.template import template_tables
from ie.eval import whole_reports as scoreboard
from ie.pipeline import analyze
from ie.read import read
from ie.schema import load_schema
from ie.tag.rules import tag
from tests.helpers import ROOT, shared_file

TRAIN = ("train",)
READER = ("ie.tables", "ie.pipeline", "ie.prepared", "ie.facts")


@pytest.fixture(scope="module")
def sources() -> list:
    shared_file("corpus/v2019")
    return corpus_sources(TRAIN)


@pytest.fixture(scope="module")
def generated(sources) -> dict[str, object]:
    return {v.name: v for v in variants(converter=False, splits=TRAIN)}


def test_every_layout_is_made_from_train_reports_only(generated: dict, sources: list) -> None:
    layouts = Counter(v.layout for v in generated.values())
    assert {"flat-joined", "flat-spaced", "flat-oneline", "md-repeat", "md-empty", "md-html",
            "html-blank"} <= set(layouts)  # fmt: skip
    assert layouts["flat-oneline"] == len(sources) >= 15
    assert {v.split for v in generated.values()} == {"train"}
    assert {s.split for s in sources} == {"train"}


def test_no_module_of_the_generator_imports_the_reader() -> None:
    """Tables and cells come from the gold: no module imports ie.tables, ie.pipeline, ie.prepared
    or ie.facts, not even through another module."""
    modules = sorted((ROOT / "benchmarks" / "layouts").glob("*.py"))
    assert len(modules) >= 6
    for module in modules:
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])  # fmt: skip
            for name in names:
                assert not name.startswith(READER), f"{module.name} imports {name}"
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, benchmarks.layouts.__main__; print(*sorted(sys.modules))"],
        capture_output=True, text=True, check=True, cwd=ROOT,
    ).stdout.split()  # fmt: skip
    assert "benchmarks.layouts.generate" in loaded
    assert [m for m in loaded if m.startswith(READER)] == []


def test_tables_are_where_the_gold_puts_them(sources: list) -> None:
    """Every gold table value is a cell of a region, alone; no prose fact falls inside one."""
    for source in sources:
        values = [c for r in source.regions for _, c in r.cells() if c.value]
        table = [f for f in source.facts if f["origin"] == "table"]
        assert sorted(c.start for c in values) == sorted({f["evidence"]["start"] for f in table})
        for cell in values:
            assert re.match(r"[\d.]+", cell.text), (source.document, cell)
        for fact in (f for f in source.facts if f["origin"] != "table"):
            assert not any(r.start <= fact["evidence"]["start"] < r.end for r in source.regions)


def test_no_gold_prose_fact_is_dropped(generated: dict, sources: list) -> None:
    """Every form keeps every prose fact of its source, and the line it stands on."""
    by_document = {s.document: s for s in sources}
    checked = 0
    for variant in generated.values():
        source = by_document[variant.source]
        prose = [f for f in source.facts if f["origin"] != "table"]
        assert len([f for f in variant.facts if f["origin"] != "table"]) == len(prose)
        for fact in prose:
            start = fact["evidence"]["start"]
            line = source.text[
                source.text.rfind("\n", 0, start) + 1 : source.text.find("\n", start)
            ]
            if variant.layout in ("s2twp", "s2hk"):  # the whole page converted, phrases too
                line = long_tail._convert(line, variant.layout)
            elif variant.layout.startswith(("md-", "html-")) and variant.layout != "md-fragmented":
                # a template page drawn in traditional script is traditional throughout
                line = LabelStyle.drawn(source.document).script(line)
            assert line.strip() in variant.text, (variant.name, line)
            checked += 1
    assert checked > 150


def test_flattened_rows_lose_their_separators_and_keep_every_number(sources: list) -> None:
    rows_checked = 0
    for source in sources:
        joined = forms.flatten(source.text, source.regions, "", "\n")
        spaced = forms.flatten(source.text, source.regions, " ", " ")
        oneline = forms.flatten(source.text, source.regions, "", "")
        for region in source.regions:
            rows = [[c.text for c in row] if any(c.value for c in row)
                    and not any(forms.is_heading(c.text) for c in row) else None
                    for row in region.rows]  # fmt: skip
            for cells, following in zip(rows, rows[1:]):
                if cells is None:
                    continue
                assert "".join(cells) in joined.splitlines()
                assert " ".join(cells) in spaced
                if following is not None:  # crawled text runs a table's rows together on one line
                    assert "".join(cells) + "".join(following) in oneline
                rows_checked += 1
        digits = lambda text: re.sub(r"\D", "", text)  # noqa: E731
        for text in (joined, spaced, oneline):
            assert digits(source.text) in digits(text)  # chrome adds numbers, never drops one
    assert rows_checked > 200


def test_row_labels_vary_as_reports_print_them(generated: dict, sources: list) -> None:
    """Each report draws its labels' style from a generator seeded with its name: the same report
    always prints the same labels, and reports differ in numbering, width, script, wording, breaks
    and section labels."""
    styles = [LabelStyle.drawn(s.document) for s in sources]
    assert styles == [LabelStyle.drawn(s.document) for s in sources]
    assert len({s.numbering for s in styles}) >= 3 and len({s.section for s in styles}) >= 3
    assert {s.half_width for s in styles} == {True, False}
    texts = {n: v.text for n, v in generated.items() if v.layout == "md-repeat"}
    again = {
        v.name: v.text for v in variants(converter=False, splits=TRAIN) if v.layout == "md-repeat"
    }
    assert again == texts
    vintage = load_schema()["2021"]
    official = {b.text for t in template_tables(vintage, {}) for row in t.rows for b in row}
    printed = [{b.text for t in template_tables(vintage, {}, style) for row in t.rows for b in row}
               for style in styles]  # fmt: skip
    differing = [p - official for p in printed]
    assert sum(1 for d in differing if d) >= len(styles) * 2 // 3
    found = set().union(*differing)
    assert any("\n" in label for label in found)  # a label broken over two lines
    half = str.maketrans("（）：，“”", '():,""')
    variants_ = {v for vs in WORDINGS.values() for v in vs} | {
        v.translate(half) for vs in WORDINGS.values() for v in vs
    }
    assert any(
        label.replace("\n", "").endswith(tuple(variants_)) for label in found
    )  # another wording
    assert any(
        re.match(r"第二十条第[1-9]项|第二十条第\([一二三四五六七八九]\)项", label)
        for label in found
    )
    traditional = LabelStyle(traditional=True, seed="x")
    assert traditional.labels("三", ["三、本年度办理结果"]) == [
        opencc.OpenCC("s2t").convert("三、本年度办理结果")
    ]
    assert LabelStyle(numbering="none").labels("三", ["（三）不予公开", "1.属于国家秘密"]) == [
        "不予公开",
        "属于国家秘密",
    ]
    assert LabelStyle(numbering="half").labels("三", ["（三）不予公开", "1.属于国家秘密"]) == [
        "(三)不予公开",
        "1.属于国家秘密",
    ]


def test_forms_are_listed_in_one_place(monkeypatch: pytest.MonkeyPatch) -> None:
    """generate.FORMS is where forms are hooked in: the generator makes what it lists, nothing else."""
    from benchmarks.layouts import generate

    assert len(FORMS) >= 5 and generate.flat_text in FORMS
    monkeypatch.setattr(generate, "FORMS", (generate.flat_text,))
    layouts = Counter(v.layout for v in generate.variants(converter=False, splits=TRAIN))
    assert set(layouts) == {"flat-joined", "flat-spaced", "flat-oneline"}


def test_html_with_blank_cells_leaves_blank_cells_out_of_its_gold(generated: dict) -> None:
    pages = [v for v in generated.values() if v.layout == "html-blank"]
    assert len(pages) >= 10
    for page in pages:
        table = [f for f in page.facts if f["origin"] == "table"]
        assert all(f["value"] != 0 for f in table)
        assert not [f for f in table if re.fullmatch(r"requests\..*\.total", f["field_id"])]
        assert all(0 in values for values in page.blank_cells.values())
    page = max(pages, key=lambda p: len(p.blank_cells))
    assert "&nbsp;" in page.text
    cell = next(f for f, values in page.blank_cells.items() if values == [0])
    # a blank read as 0 is not wrong; a neighbour's value pulled into it is
    blank = {"field_id": cell, "qualifier": None, "origin": "table"}
    zero = {"facts": [{**blank, "value": 0}], "conflicts": []}
    pulled = {"facts": [{**blank, "value": 61}], "conflicts": []}
    assert scoreboard.score_report(tuple(page.facts), zero, page.blank_cells).extra == 0
    assert scoreboard.score_report(tuple(page.facts), pulled, page.blank_cells).extra == 1


def test_a_pdf_to_markdown_converter_prints_the_tables_as_pipe_tables(generated: dict) -> None:
    from benchmarks.layouts import convert

    if not convert.available():
        pytest.skip("pymupdf4llm (the eval extra) is not installed")
    page = max((v for v in generated.values() if v.layout == "html-blank"),
               key=lambda v: sum(f["origin"] == "table" for f in v.facts))  # fmt: skip
    markdown = convert.html_to_markdown(page.text.replace("&nbsp;", "0"))  # blanks printed as 0
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in markdown.splitlines()
            if line.startswith("|")]  # fmt: skip
    # 表三: a row per result, its label and the seven applicant columns
    assert sum(1 for row in rows if sum(c.isdigit() for c in row) >= 7) >= 20
    cells = {c for row in rows for c in row}
    values = [f for f in page.facts if f["origin"] == "table"]
    assert values and all(str(f["value"]).removesuffix(".0") in cells for f in values)


def _table_rich_page(generated: dict):
    """The train markdown page with the most gold table cells."""
    pages = [v for v in generated.values() if v.layout == "md-repeat"]
    return max(pages, key=lambda v: sum(f["origin"] == "table" for f in v.facts))


def test_scoreboard_counts_cells_right_wrong_missing_and_extra(
    generated: dict, tmp_path: Path
) -> None:
    page = _table_rich_page(generated)
    path = tmp_path / "report.md"
    path.write_text(page.text, encoding="utf-8")
    gold = tuple(page.facts)
    result = analyze(read(path), tag)
    score = scoreboard.score_report(gold, result)
    cells = sum(f["origin"] == "table" for f in gold)
    assert cells >= 40 and score.gold_cells == cells
    assert (score.wrong, score.extra) == (0, 0) and score.right + score.missing == cells
    assert score.right >= 0.8 * cells
    right = {(f["field_id"], f["value"]) for f in gold if f["origin"] == "table"}
    shifted = copy.deepcopy(result)
    table = [
        f
        for f in shifted["facts"]
        if f["origin"] == "table" and (f["field_id"], f["value"]) in right
    ]
    moved, dropped = table[0], table[1]
    moved["value"] += 7  # another column's value, as a misread span gives
    shifted["facts"] = [f for f in shifted["facts"] if f is not dropped]
    shifted["facts"].append({**moved, "field_id": "requests.granted.no_such_column", "value": 3})
    changed = scoreboard.score_report(gold, shifted)
    assert (changed.right, changed.wrong, changed.missing, changed.extra) == (
        score.right - 2, 1, score.missing + 1, 1)  # fmt: skip
    assert any(e.startswith(f"{moved['field_id']}: gold ") for e in changed.errors)
    assert changed.figures()["cells"] == round((score.right - 2) / cells, 4)


def test_the_scoreboard_keeps_splits_apart_and_gates_each(
    generated: dict, tmp_path: Path, capsys
) -> None:
    page = _table_rich_page(generated)
    path = tmp_path / "report.md"
    path.write_text(page.text, encoding="utf-8")
    reports = [scoreboard.WholeReport(path, "a", "md-repeat", tuple(page.facts), split="train"),
               scoreboard.WholeReport(path, "b", "md-repeat", tuple(page.facts[:3]), split="dev"),
               scoreboard.WholeReport(tmp_path / "gone.md", "c", "flat-oneline", tuple(page.facts), split="dev")]  # fmt: skip
    board = scoreboard.score_reports(reports, "rules", None)
    assert list(board.figures()) == ["train", "dev"]
    alone = scoreboard.score_report(tuple(page.facts), analyze(read(path), tag))
    assert board.splits["train"].layouts["md-repeat"].figures() == alone.figures()
    assert (
        board.splits["dev"].layouts["flat-oneline"].figures()["failed"] == 1
    )  # refused: all missing
    assert (
        board.splits["dev"].overall.gold_cells
        == board.splits["dev"].layouts["md-repeat"].gold_cells
        + board.splits["dev"].layouts["flat-oneline"].gold_cells
    )
    scoreboard.print_board(board, verbose=False)
    printed = capsys.readouterr().out
    assert printed.index("-- train") < printed.index("-- dev") and "flat-oneline" in printed
    floors = scoreboard.measured_floors(board)
    assert scoreboard.gate(board, floors) == []
    assert set(floors) == {"train", "dev"} and "flat-oneline" in floors["dev"]["layouts"]
    assert scoreboard.gate(board, {"test": {"overall": {"cells": 0.5}}}) == [
        "test overall cells absent < recorded 0.5000"
    ]
    assert scoreboard.gate(board, {"dev": {"layouts": {"flat-oneline": {"cells": 0.95}}}}) == [
        "dev flat-oneline cells 0.0000 < recorded 0.9500"
    ]
    assert scoreboard.gate(board, {"overall": {"cells": 0.9}})[0].startswith(
        "the recorded whole-report figures are not by split"
    )


def test_missing_or_unwritable_data_is_one_line_and_exit_2(tmp_path: Path, capsys) -> None:
    from benchmarks.layouts.__main__ import main as generate_main
    from ie.evaluate import main as evaluate_main

    assert evaluate_main(["--split", "full", "--whole", str(tmp_path / "none")]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("error: [E055] no whole-report data in") and "\n" not in error
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    assert generate_main(["--out", str(blocker / "whole"), "--splits", "train"]) == 2
    assert capsys.readouterr().err.strip().startswith(f"error: [E009] cannot write {blocker / 'whole'}")
    assert generate_main(["--out", str(tmp_path), "--splits", "train"]) == 2  # not ours: kept
    assert "not replacing" in capsys.readouterr().err and blocker.exists()
    assert generate_main(["--out", str(tmp_path / "new"), "--splits", "train,full"]) == 2
    assert capsys.readouterr().err.strip() == (
        "error: [E089] unknown split full in --splits: choose from train, dev, test (comma-separated)"
    )
    assert not (tmp_path / "new").exists()
