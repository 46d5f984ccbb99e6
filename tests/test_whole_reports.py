"""The whole-report scoreboard: layouts made from real reports keep the gold they can hold, and the
scoreboard counts table cells right, wrong, missing and extra against it."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest

from benchmarks.layouts import forms
from benchmarks.layouts.generate import variants
from benchmarks.layouts.sources import corpus_sources
from ie.eval import whole_reports as scoreboard
from ie.eval.gold import gold_path
from ie.pipeline import analyze
from ie.tag.rules import tag
from tests.helpers import missing, open_documents, shared_file
from tests.renderings import SOURCE, rendered_source

# The train report of tests/renderings.py: table 三's row 一 prints 3 (自然人) and 3 (总计).
BLANK_PAGE = "html-blank/corpus__v2021__2023-10.html"


@pytest.fixture(scope="module")
def generated() -> dict[str, object]:
    """The variants of train and dev reports (the generator makes those of test reports too, for
    the scoreboard; the tests look at none of them)."""
    shared_file(SOURCE)
    allowed = set(open_documents())
    return {v.name: v for v in variants(converter=False) if v.source in allowed}


def test_every_layout_is_made_from_real_reports(generated: dict) -> None:
    layouts = {v.layout for v in generated.values()}
    assert {
        "flat-joined",
        "flat-spaced",
        "md-repeat",
        "md-empty",
        "md-html",
        "html-blank",
    } <= layouts
    assert sum(v.layout == "flat-joined" for v in generated.values()) >= 24


def test_a_pdf_to_markdown_converter_prints_the_tables_as_pipe_tables(generated: dict) -> None:
    from benchmarks.layouts import convert

    if not convert.available():
        missing("pymupdf4llm (the eval extra) is not installed")
    page = generated[BLANK_PAGE].text.replace("&nbsp;", "0")
    markdown = convert.html_to_markdown(page)
    rows = [line for line in markdown.splitlines() if line.startswith("|")]
    assert any("行政处罚" in row and re.search(r"\|\s*0\s*\|", row) for row in rows)
    assert any(re.findall(r"\|\s*3\s*\|", row) and "本年新收" in row for row in rows)


def test_flattened_rows_lose_their_separators_and_keep_every_number() -> None:
    source = next(s for s in corpus_sources() if s.document == "corpus/v2019/2019-02.txt")
    joined = forms.flatten(source.text, source.regions, "", "\n")
    spaced = forms.flatten(source.text, source.regions, " ", " ")
    value_rows = [[c.text for c in r] for r in source.regions[0].rows]
    value_rows = [r for r in value_rows if len(r) > 2 and all(c.isdigit() for c in r[1:])]
    assert len(value_rows) >= 3
    for cells in value_rows:
        assert "".join(cells) in joined
        assert " ".join(cells) in spaced
    digits = lambda text: re.sub(r"\D", "", text)  # noqa: E731
    assert digits(source.text) in digits(joined)  # chrome adds numbers, never drops one


def test_html_with_blank_cells_leaves_blank_cells_out_of_its_gold(generated: dict) -> None:
    page = generated[BLANK_PAGE]
    assert "&nbsp;" in page.text and 'colspan="4">法人或其他组织' in page.text
    table = [f for f in page.facts if f["origin"] == "table"]
    assert table and all(f["value"] != 0 for f in table)
    assert not [f for f in table if re.fullmatch(r"requests\..*\.total", f["field_id"])]
    assert {"field_id": "requests.new_received.natural_person", "value": 3} in [
        {"field_id": f["field_id"], "value": f["value"]} for f in table
    ]
    assert page.blank_cells["requests.new_received.total"] == [0, 3]
    assert page.blank_cells["requests.new_received.research"] == [0]
    # a blank read as 0 is not wrong; a neighbour's value pulled into it is
    research = {"field_id": "requests.new_received.research", "qualifier": None, "origin": "table"}
    zero = {"facts": [{**research, "value": 0}], "conflicts": []}
    pulled = {"facts": [{**research, "value": 3}], "conflicts": []}
    assert scoreboard.score_report(tuple(page.facts), zero, page.blank_cells).extra == 0
    assert scoreboard.score_report(tuple(page.facts), pulled, page.blank_cells).extra == 1


def test_scoreboard_counts_cells_right_wrong_missing_and_extra() -> None:
    gold = scoreboard._facts(gold_path(SOURCE))
    result = analyze(rendered_source(), tag)
    score = scoreboard.score_report(gold, result)
    assert (score.gold_cells, score.right, score.wrong, score.extra) == (24, 24, 0, 0)
    shifted = copy.deepcopy(result)
    for fact in shifted["facts"]:
        if fact["field_id"] == "requests.new_received.natural_person":
            fact["value"] = 0  # the neighbouring column's value, as a misread span gives
    shifted["facts"] = [f for f in shifted["facts"] if f["field_id"] != "disclosure.fees.amount"]
    shifted["facts"].append({**shifted["facts"][0], "field_id": "requests.new_received.research",
                             "value": 3, "origin": "table"})  # fmt: skip
    score = scoreboard.score_report(gold, shifted)
    # research read twice, 0 (right) and 3 (wrong): it counts on both sides
    assert (score.right, score.wrong, score.missing, score.extra) == (22, 2, 1, 0)
    assert "requests.new_received.natural_person: gold 3, read [0.0]" in score.errors
    assert score.figures()["cells"] == round(22 / 24, 4)


def test_gate_fails_below_the_recorded_figures() -> None:
    board = scoreboard.Scoreboard()
    board.overall.add(scoreboard.Score(gold_cells=10, right=9, missing=1))
    board.layouts["html-blank"].add(scoreboard.Score(gold_cells=10, right=9, missing=1))
    assert scoreboard.gate(board, scoreboard.measured_floors(board)) == []
    assert scoreboard.gate(board, {"layouts": {"html-blank": {"cells": 0.95}}}) == [
        "html-blank cells 0.9000 < recorded 0.9500"
    ]


def test_missing_or_unwritable_data_is_one_line_and_exit_2(tmp_path: Path, capsys) -> None:
    from benchmarks.layouts.__main__ import main as generate_main
    from ie.evaluate import main as evaluate_main

    assert evaluate_main(["--split", "full", "--whole", str(tmp_path / "none")]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("error: no whole-report data in") and "\n" not in error
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    assert generate_main(["--out", str(blocker / "whole")]) == 2
    assert capsys.readouterr().err.strip().startswith(f"error: cannot write {blocker / 'whole'}")
    assert generate_main(["--out", str(tmp_path)]) == 2  # a folder it did not write stays
    assert "not replacing" in capsys.readouterr().err and blocker.exists()
