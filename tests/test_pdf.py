"""The real published PDF (../shared/corpus/full/01.pdf, 淮安市人民政府 2024): tables 二, 三 and 四
come out cell by cell with the right field ids, despite vertical merged row labels, wrapped labels,
page breaks and page footers inside the tables. Expected values: annotations/facts/corpus__full__01.json,
read off the printed pages."""

from __future__ import annotations

from ie.pipeline import analyze
from ie.read import read
from ie.tag.rules import tag
from tests.helpers import gold, shared_file

DOCUMENT = "corpus/full/01.pdf"


def test_tables_two_three_four_cell_by_cell() -> None:
    result = analyze(read(shared_file(DOCUMENT)), tag)
    assert result["vintage"] == "2021"
    predicted = {f["field_id"]: f["value"] for f in result["facts"] if f["origin"] == "table"}
    expected = {
        f["field_id"]: f["value"] for f in gold(DOCUMENT)["facts"] if f["origin"] == "table"
    }
    assert len(expected) == 200
    wrong = {k: (predicted.get(k), v) for k, v in expected.items() if predicted.get(k) != v}
    assert wrong == {}
    assert predicted["requests.new_received.total"] == 3119
    assert predicted["requests.unable.not_held.total"] == 769
    assert predicted["litigation.after_review.total"] == 20
    failed = [c["identity"] for c in result["checks"] if c["status"] == "fail"]
    assert failed == []
