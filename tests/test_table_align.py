"""The arithmetic guard on a real 2021 table: the 2024 city report's 表三 (corpus full/01.pdf, its
table cells as the PDF prints them) re-rendered as an HTML page at test time, with the defects HTML
pages have: a cell left out so the row's values shift, an empty cell in front of a row, and a
printed arithmetic error, which the guard must keep as printed."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

from ie.facts.flattened_rows import AMBIGUOUS_PLACEMENT
from ie.pipeline import analyze
from ie.read import read
from ie.tag.rules import tag
from tests.helpers import gold, shared_file

FULL_PDF = "corpus/full/01.pdf"
NEW = "一、本年新收政府信息公开申请数量"
CARRIED = "二、上年结转政府信息公开申请数量"
Row = list[str]


def _page(tmp_path: Path, edit: Callable[[list[Row]], None]) -> dict:
    """The PDF's tables as HTML rows, edited, then read back."""
    document = read(shared_file(FULL_PDF))
    tables = []
    for grid in document.grids:
        rows: dict[int, Row] = {}
        for cell in grid:
            rows.setdefault(cell.row, []).append(cell.text)
        tables.append(list(rows.values()))
    for table in tables:
        edit(table)
    body = "".join(
        "<table>" + "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in table
        ) + "</table>"
        for table in tables
    )  # fmt: skip
    path = tmp_path / "report.html"
    path.write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    return analyze(read(path), tag)


def _row(table: list[Row], label: str) -> Row | None:
    return next((row for row in table if row and row[0] == label), None)


def _cells(result: dict, row: str) -> dict[str, object]:
    prefix = f"requests.{row}."
    return {
        f["field_id"].removeprefix(prefix): f["value"]
        for f in result["facts"]
        if f["field_id"].startswith(prefix) and f["origin"] == "table"
    }


def _gold(row: str) -> dict[str, object]:
    prefix = f"requests.{row}."
    return {
        f["field_id"].removeprefix(prefix): f["value"]
        for f in gold(FULL_PDF)["facts"]
        if f["field_id"].startswith(prefix) and f["origin"] == "table"
    }


def test_a_left_out_cell_does_not_shift_the_values(tmp_path: Path) -> None:
    """`3001 53 0 0 61 4 3119` printed as `3001 53 0 61 4 3119`: read in order, 61 would land in
    社会公益组织. Every placement that keeps 总计 the sum puts 3001, 53, 61, 4 and 3119 in their own
    columns; which of 科研/公益 the one 0 belongs to is not established, so it is not a fact."""

    def drop_a_zero(table: list[Row]) -> None:
        row = _row(table, NEW)
        if row:
            row.remove("0")

    result = _page(tmp_path, drop_a_zero)
    expected = _gold("new_received")
    read_back = _cells(result, "new_received")
    assert read_back == {
        k: v for k, v in expected.items() if k not in ("research", "public_interest")
    }
    (listed,) = [u for u in result["unmapped"] if u["reason"] == AMBIGUOUS_PLACEMENT]
    readings = [{c["field_id"].split(".")[-1]: c["value"] for c in r} for r in listed["candidates"]]
    assert {r.get("research") for r in readings} == {0, None}  # the 0 is 科研's or 公益's


def test_an_empty_cell_in_front_of_a_row_is_skipped(tmp_path: Path) -> None:
    """A blank cell before `34 0 0 0 0 0 34` would push every value one column right; the only
    placement whose 总计 is the sum puts them back."""

    def blank_in_front(table: list[Row]) -> None:
        row = _row(table, CARRIED)
        if row:
            row.insert(1, "")

    result = _page(tmp_path, blank_in_front)
    assert _cells(result, "carried_over") == _gold("carried_over")
    assert _cells(result, "new_received") == _gold("new_received")


def test_a_printed_arithmetic_error_is_kept_as_printed(tmp_path: Path) -> None:
    """A 总计 one off (3118 for 3001+53+0+0+61+4) is what the page says: kept, and the failed
    identity is reported in checks."""

    def misprint(table: list[Row]) -> None:
        row = _row(table, NEW)
        if row:
            row[-1] = "3118"

    result = _page(tmp_path, misprint)
    assert _cells(result, "new_received") == _gold("new_received") | {"total": 3118}
    failed = [c for c in result["checks"] if c["status"] == "fail"]
    assert any(c["identity"].startswith("requests.new_received.total =") for c in failed)
