"""Flattened tables: real reports' tables re-printed at test time the way crawled web text prints
them (cells joined with nothing or single spaces, rows run together, the page's prose kept), read
back cell by cell through the template's arithmetic."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from ie.facts.flattened_rows import AMBIGUOUS, confirm_by_prose
from ie.pipeline import analyze
from ie.read import read
from ie.tag.rules import tag
from ie.types import Fact, Span, Statistic
from tests.flatten import flatten_document
from tests.helpers import FACTS, ROOT, gold, shared_file

FULL_PDF = "corpus/full/01.pdf"


def _flattened(tmp_path: Path, document: str, join: str, together: bool = True) -> dict:
    text = flatten_document(read(shared_file(document)), join, together, seed=7)
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
def test_full_report_rows_are_split_by_arithmetic(tmp_path: Path, join: str) -> None:
    """The 2024 city report's 表三 printed as `一、本年新收政府信息公开申请数量300153006143119`:
    each row's digits go to its seven cells because the 总计 must be the sum of the other six."""
    result = _flattened(tmp_path, FULL_PDF, join)
    expected = _table_cells(gold(FULL_PDF)["facts"])
    read_back = _table_cells(result["facts"])
    wrong = {k: v for k, v in read_back.items() if not v <= expected.get(k, set())}
    assert wrong == {}
    assert read_back["requests.new_received.natural_person"] == {3001}
    assert read_back["requests.new_received.total"] == {3119}
    assert read_back["requests.unable.not_held.total"] == {769}
    right = sum(1 for k, v in expected.items() if read_back.get(k, set()) & v)
    assert right >= 175  # of 200: only 表二's 规章/规范性文件 and 表四's 诉讼 group stay ambiguous
    source = result["facts"][0]["evidence"]
    assert source["text"]  # evidence is the digits' own characters in the crawled text
    text = (tmp_path / "crawled.txt").read_text(encoding="utf-8")
    for fact in result["facts"]:
        if fact["origin"] == "table":
            evidence = fact["evidence"]
            assert text[evidence["start"] : evidence["end"]] == evidence["text"]
            assert float(evidence["text"]) == fact["value"]


def test_ambiguous_row_is_listed_with_its_candidates(tmp_path: Path) -> None:
    """`规章1011` is 1/0/11 or 10/1/1: no identity of 表二 decides, so no fact, and both readings
    are listed; the gold's reading is one of them."""
    result = _flattened(tmp_path, FULL_PDF, "concat")
    assert not any(f["field_id"].startswith("disclosure.rules.") for f in result["facts"])
    (row,) = [u for u in result["unmapped"] if u["reason"] == AMBIGUOUS and u["metric"] == "规章"]
    readings = [[(c["field_id"], c["value"]) for c in reading] for reading in row["candidates"]]
    assert sorted(readings) == [
        [("disclosure.rules.issued", 1), ("disclosure.rules.repealed", 0),
         ("disclosure.rules.in_force", 11)],
        [("disclosure.rules.issued", 10), ("disclosure.rules.repealed", 1),
         ("disclosure.rules.in_force", 1)],
    ]  # fmt: skip
    assert row["value"] is None and row["evidence"]["text"] == "1011"
    schema = json.loads((ROOT / "configs" / "output.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(result, schema)
    # 表四's 15 cells allow three readings, which differ only in 复议后起诉's first four cells:
    # the cells they share are facts, those four are not
    assert any(u["reason"] == AMBIGUOUS and len(u["candidates"]) == 3 for u in result["unmapped"])
    appeals = {f["field_id"]: f["value"] for f in result["facts"] if "litigation." in f["field_id"]}
    assert appeals["litigation.after_review.total"] == 20
    assert appeals["litigation.direct.upheld"] == 13
    assert "litigation.after_review.upheld" not in appeals


def test_prose_restating_a_cell_settles_the_row(tmp_path: Path) -> None:
    """The report's prose says 新增公开市政府规章 1 件 (the gold records it as prose): of the two
    readings of `规章1011` only 1/0/11 agrees, so its cells become facts."""
    text = flatten_document(read(shared_file(FULL_PDF)), "concat", True)
    path = tmp_path / "crawled.txt"
    path.write_text(text, encoding="utf-8")
    result = analyze(read(path), tag)
    (row,) = [u for u in result["unmapped"] if u["reason"] == AMBIGUOUS and u["metric"] == "规章"]
    candidates = tuple(
        tuple(
            Fact(c["field_id"], c["value"], "件", False, "table",
                 Span(c["evidence"]["start"], c["evidence"]["end"], c["evidence"]["text"]), 0.9)
            for c in reading
        )
        for reading in row["candidates"]
    )  # fmt: skip
    ambiguous = Statistic(
        None, "", False, "table", Span(0, 4, "1011"), "规章", AMBIGUOUS, candidates
    )
    (stated,) = [
        f for f in gold(FULL_PDF)["facts"]
        if f["origin"] == "prose" and f["field_id"] == "disclosure.rules.issued"
    ]  # fmt: skip
    prose = Fact(stated["field_id"], stated["value"], "件", False, "prose", Span(0, 1, "1"), 0.8)
    settled, left = confirm_by_prose([ambiguous], [prose])
    assert left == []
    assert {(f.field_id, f.value) for f in settled} == {
        ("disclosure.rules.issued", 1), ("disclosure.rules.repealed", 0),
        ("disclosure.rules.in_force", 11),
    }  # fmt: skip
    # a prose figure that no reading has decides nothing: the row stays listed
    other = Fact("disclosure.rules.in_force", 5, "件", False, "prose", Span(0, 1, "5"), 0.8)
    assert confirm_by_prose([ambiguous], [other]) == ([], [ambiguous])


def _corpus_with_tables() -> list[str]:
    documents = []
    for path in sorted(FACTS.glob("corpus__*.json")):
        facts = json.loads(path.read_text(encoding="utf-8"))
        if sum(1 for f in facts["facts"] if f["origin"] == "table") >= 9:
            documents.append(facts["document"])
    return documents


@pytest.mark.parametrize("join", ["concat", "mixed"])
def test_no_wrong_cell_in_any_flattened_corpus_report(tmp_path: Path, join: str) -> None:
    """Every corpus report with a table, flattened: not one table value differs from the gold,
    and most cells are read."""
    gold_cells = right = 0
    for document in _corpus_with_tables():
        expected = _table_cells(gold(document)["facts"])
        read_back = _table_cells(_flattened(tmp_path, document, join, together=False)["facts"])
        wrong = {k: v for k, v in read_back.items() if not v <= expected.get(k, set())}
        assert wrong == {}, document
        gold_cells += len(expected)
        right += sum(1 for k, v in expected.items() if read_back.get(k, set()) & v)
    assert right / gold_cells >= 0.9
