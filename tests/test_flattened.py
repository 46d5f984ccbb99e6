"""Flattened tables: real reports' tables re-printed at test time the way crawled web text prints
them (cells joined with nothing or single spaces, rows run together, the page's prose kept), read
back cell by cell through the template's arithmetic."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from ie.facts.flattened_digits import split_row
from ie.facts.flattened_rows import AMBIGUOUS, confirm_by_prose
from ie.pipeline import analyze
from ie.read import read
from ie.tag.rules import tag
from ie.types import Fact, Span, Statistic
from tests.flatten import flatten_document
from tests.helpers import ROOT, gold, open_documents, shared_file
from tests.renderings import SOURCE, rendered_source

# A train report whose 表二 row 行政许可 prints 4 / 0 / 10: flattened, `4010` reads two ways.
LICENCES = "corpus/v2019/2020-13.txt"


def _flattened(tmp_path: Path, document: str, join: str, together: bool = True) -> dict:
    source = rendered_source() if document == SOURCE else read(shared_file(document))
    text = flatten_document(source, join, together, seed=7)
    path = tmp_path / "crawled.txt"
    path.write_text(text, encoding="utf-8")
    return analyze(read(path), tag)


def _table_cells(facts: list[dict]) -> dict[str, set]:
    cells: dict[str, set] = {}
    for fact in facts:
        if fact["origin"] == "table" and fact.get("qualifier") is None:
            cells.setdefault(fact["field_id"], set()).add(fact["value"])
    return cells


@pytest.mark.parametrize("join", ["concat", "space", "mixed"])
def test_template_tables_rows_are_split_by_arithmetic(tmp_path: Path, join: str) -> None:
    """A train report's tables on the official template, printed as a crawler prints them
    (`一、本年新收政府信息公开申请数量3000003`): each row's digits go to its seven cells because the
    总计 must be the sum of the other six."""
    result = _flattened(tmp_path, SOURCE, join)
    expected = _table_cells(gold(SOURCE)["facts"])
    read_back = _table_cells(result["facts"])
    wrong = {k: v for k, v in read_back.items() if not v <= expected.get(k, set())}
    assert wrong == {}
    assert read_back["requests.new_received.natural_person"] == {3}
    assert read_back["requests.new_received.commercial"] == {0}
    assert read_back["requests.new_received.total"] == {3}
    right = sum(1 for k, v in expected.items() if read_back.get(k, set()) & v)
    assert right == len(expected) == 24
    text = (tmp_path / "crawled.txt").read_text(encoding="utf-8")
    assert "一、本年新收政府信息公开申请数量300" in text.replace(" ", "")  # flattened indeed
    for fact in result["facts"]:
        if fact["origin"] == "table":
            evidence = fact["evidence"]  # the digits' own characters in the crawled text
            assert text[evidence["start"] : evidence["end"]] == evidence["text"]
            assert float(evidence["text"]) == fact["value"]


def test_ambiguous_row_is_listed_with_its_candidates(tmp_path: Path) -> None:
    """`行政许可4010` is 4/0/10 or 40/1/0: no identity of 表二 decides, so no fact, and both
    readings are listed; the gold's reading is one of them."""
    result = _flattened(tmp_path, LICENCES, "concat")
    assert not any(f["field_id"].startswith("disclosure.license.") for f in result["facts"])
    (row,) = [
        u for u in result["unmapped"] if u["reason"] == AMBIGUOUS and u["metric"] == "行政许可"
    ]
    readings = [[(c["field_id"], c["value"]) for c in reading] for reading in row["candidates"]]
    assert sorted(readings) == [
        [("disclosure.license.prev_items", 4), ("disclosure.license.change", 0),
         ("disclosure.license.decisions", 10)],
        [("disclosure.license.prev_items", 40), ("disclosure.license.change", 1),
         ("disclosure.license.decisions", 0)],
    ]  # fmt: skip
    gold_reading = sorted(
        (f["field_id"], f["value"])
        for f in gold(LICENCES)["facts"]
        if f["field_id"].startswith("disclosure.license.")
    )
    assert gold_reading in [sorted(reading) for reading in readings]
    assert row["value"] is None and row["evidence"]["text"] == "4010"
    schema = json.loads((ROOT / "configs" / "output.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(result, schema)


def test_prose_restating_a_cell_settles_the_row(tmp_path: Path) -> None:
    """A prose figure restating one cell of the row (made here from the gold's 行政许可 decisions,
    10) settles it: of the two readings of `4010` only 4/0/10 agrees, so its cells become facts."""
    result = _flattened(tmp_path, LICENCES, "concat")
    (row,) = [
        u for u in result["unmapped"] if u["reason"] == AMBIGUOUS and u["metric"] == "行政许可"
    ]
    candidates = tuple(
        tuple(
            Fact(c["field_id"], c["value"], "项", False, "table",
                 Span(c["evidence"]["start"], c["evidence"]["end"], c["evidence"]["text"]), 0.9)
            for c in reading
        )
        for reading in row["candidates"]
    )  # fmt: skip
    ambiguous = Statistic(
        None, "", False, "table", Span(0, 4, "4010"), "行政许可", AMBIGUOUS, candidates
    )
    (stated,) = [
        f for f in gold(LICENCES)["facts"] if f["field_id"] == "disclosure.license.decisions"
    ]
    prose = Fact(stated["field_id"], stated["value"], "件", False, "prose", Span(0, 2, "10"), 0.8)
    settled, left = confirm_by_prose([ambiguous], [prose])
    assert left == []
    assert {(f.field_id, f.value) for f in settled} == {
        ("disclosure.license.prev_items", 4), ("disclosure.license.change", 0),
        ("disclosure.license.decisions", 10),
    }  # fmt: skip
    # a prose figure that no reading has decides nothing: the row stays listed
    other = Fact("disclosure.license.decisions", 5, "件", False, "prose", Span(0, 1, "5"), 0.8)
    assert confirm_by_prose([ambiguous], [other]) == ([], [ambiguous])


def _corpus_with_tables() -> list[str]:
    """The train and dev corpus reports with a table of at least 9 gold cells."""
    documents = []
    for document in open_documents():
        facts = gold(document)["facts"]
        if document.startswith("corpus/") and sum(f["origin"] == "table" for f in facts) >= 9:
            documents.append(document)
    return documents


@pytest.mark.parametrize("join", ["concat", "mixed"])
def test_no_wrong_cell_in_any_flattened_corpus_report(tmp_path: Path, join: str) -> None:
    """Every train and dev corpus report with a table, flattened: not one table value differs
    from the gold, and most cells are read."""
    gold_cells = right = 0
    for document in _corpus_with_tables():
        expected = _table_cells(gold(document)["facts"])
        read_back = _table_cells(_flattened(tmp_path, document, join, together=False)["facts"])
        wrong = {k: v for k, v in read_back.items() if not v <= expected.get(k, set())}
        assert wrong == {}, document
        gold_cells += len(expected)
        right += sum(1 for k, v in expected.items() if read_back.get(k, set()) & v)
    assert right / gold_cells >= 0.9


# A train report whose 表二 prints 规章 with three empty cells and 规范性文件 as "_ 3 3".
EMPTY_CELLS = "corpus/v2019/2020-02.txt"
# A dev report whose prose says 废止行政规范性文件6个 and whose 行政规范性文件 row prints 6 / 6 / 49.
REPEALED = "corpus/v2021/2025-06.txt"


def test_empty_cell_marks_are_cells_without_spaces(tmp_path: Path) -> None:
    """Joined, `规章___规范性文件_33` is three empty cells, then one empty cell and two digits:
    a mark never prints inside a number, so `_33` has one reading for three columns."""
    result = _flattened(tmp_path, EMPTY_CELLS, "concat")
    assert "_33" in (tmp_path / "crawled.txt").read_text(encoding="utf-8")
    read_back = _table_cells(result["facts"])
    assert read_back["disclosure.normative.published"] == {3}
    assert read_back["disclosure.normative.in_force"] == {3}
    expected = _table_cells(gold(EMPTY_CELLS)["facts"])
    assert all(v <= expected.get(k, set()) for k, v in read_back.items())


def test_marks_that_may_be_one_cell_or_two_are_not_guessed() -> None:
    """`——33` for three columns is one empty cell and 3 / 3, or two empty cells and 33: both
    readings are kept, for the row to be listed rather than guessed."""
    fields = ("a", "b", "c")
    assert [r.values for r in split_row("_33", fields, ()).readings] == [(None, 3, 3)]
    assert {r.values for r in split_row("——33", fields, ()).readings} == {
        (None, None, 33), (None, 3, 3)
    }  # fmt: skip
    assert [r.values for r in split_row("___", fields, ()).readings] == [(None, None, None)]


def test_prose_naming_the_repealed_documents_settles_the_row(tmp_path: Path) -> None:
    """`行政规范性文件6649` reads 6/6/49, 6/64/9 or 66/4/9; the prose's 制发…6个 and 废止…6个
    leave only 6/6/49."""
    result = _flattened(tmp_path, REPEALED, "concat")
    assert "行政规范性文件6649" in (tmp_path / "crawled.txt").read_text(encoding="utf-8")
    read_back = _table_cells(result["facts"])
    assert read_back["disclosure.normative.repealed"] == {6}
    assert read_back["disclosure.normative.in_force"] == {49}
    assert not [u for u in result["unmapped"] if u["reason"] == AMBIGUOUS]
