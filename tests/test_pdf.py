"""A PDF report: a train report (tests/renderings.py's SOURCE) printed at test time with its tables
二, 三 and 四 on the official 2021 template: vertically merged row labels, labels wrapped inside
their cells, table 三 running onto the next page and page numbers at each foot. Every table cell
comes out with the right field id; expected values: the report's gold facts
(annotations/facts/, written by reading the report)."""

from __future__ import annotations

from pathlib import Path

from ie.pipeline import analyze
from ie.read import read
from ie.tag.rules import tag
from tests.helpers import printed_pdf
from tests.renderings import source_table_gold


def test_tables_two_three_four_cell_by_cell(tmp_path: Path) -> None:
    document = read(printed_pdf(tmp_path / "report.pdf"))
    assert document.format == "pdf"
    # table 三's group labels stand once, over the rows they head
    by_text = {c.text: c for grid in document.grids for c in grid}
    assert (by_text["三、本年度办理结果"].col, by_text["三、本年度办理结果"].rowspan) == (0, 22)
    assert by_text["（三）不予公开"].rowspan == 8
    # wrapped over several lines of its cell, read as one label
    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" in by_text
    result = analyze(document, tag)
    assert result["vintage"] == "2021"
    predicted = {f["field_id"]: f["value"] for f in result["facts"] if f["origin"] == "table"}
    expected = source_table_gold()
    assert len(expected) == 24
    wrong = {k: (predicted.get(k), v) for k, v in expected.items() if predicted.get(k) != v}
    assert wrong == {}
    assert predicted["requests.new_received.natural_person"] == 3
    assert predicted["requests.new_received.total"] == 3
    assert predicted.keys() == expected.keys()
    failed = [c["identity"] for c in result["checks"] if c["status"] == "fail"]
    assert failed == []
