"""The arithmetic guard on a real 2021 table: a train report's 表三 (tests/renderings.py's SOURCE,
its gold values on the official template) re-rendered as an HTML page at test time, with the defects HTML
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
from tests.renderings import rendered_source, source_table_gold

NEW = "一、本年新收政府信息公开申请数量"
CARRIED = "二、上年结转政府信息公开申请数量"
Row = list[str]


def _page(tmp_path: Path, edit: Callable[[list[Row]], None]) -> dict:
    """The report's tables as HTML rows, edited, then read back."""
    document = rendered_source()
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
        k.removeprefix(prefix): v for k, v in source_table_gold().items() if k.startswith(prefix)
    }


def test_a_left_out_cell_does_not_shift_the_values(tmp_path: Path) -> None:
    """`3 0 0 0 0 0 3` printed as `3 0 0 0 0 3`: read in order, the last 3 would land in 其他 and
    总计 would be blank. The placements that keep 总计 the sum of the six columns put the gap among
    the 0s (3 is 自然人's) or in front (3 is 商业企业's): only 总计 3 is established, no other cell
    is a fact, and the row is listed with its readings."""

    def drop_a_zero(table: list[Row]) -> None:
        row = _row(table, NEW)
        if row:
            row.remove("0")

    result = _page(tmp_path, drop_a_zero)
    expected = _gold("new_received")
    assert expected["natural_person"] == expected["total"] == 3
    assert _cells(result, "new_received") == {"total": 3}
    (listed,) = [u for u in result["unmapped"] if u["reason"] == AMBIGUOUS_PLACEMENT]
    readings = [{c["field_id"].split(".")[-1]: c["value"] for c in r} for r in listed["candidates"]]
    assert {r.get("natural_person") for r in readings} == {3, None}  # 自然人's, or 商业企业's
    assert all(r["total"] == 3 and sum(v for k, v in r.items() if k != "total") == 3
               for r in readings)  # fmt: skip


def test_an_empty_cell_in_front_of_a_row_is_skipped(tmp_path: Path) -> None:
    """A blank cell before `3 0 0 0 0 0 3` (and before row 二's seven 0s) would push every value
    one column right, 自然人's 3 into 商业企业; the only placement whose 总计 is the sum puts them
    back."""

    def blank_in_front(table: list[Row]) -> None:
        for label in (NEW, CARRIED):
            row = _row(table, label)
            if row:
                row.insert(1, "")

    result = _page(tmp_path, blank_in_front)
    assert _cells(result, "carried_over") == _gold("carried_over")
    assert _cells(result, "new_received") == _gold("new_received")


def test_a_printed_arithmetic_error_is_kept_as_printed(tmp_path: Path) -> None:
    """A 总计 one off (2 for 3+0+0+0+0+0) is what the page says: kept, and the failed identity is
    reported in checks."""

    def misprint(table: list[Row]) -> None:
        row = _row(table, NEW)
        if row:
            row[-1] = "2"

    result = _page(tmp_path, misprint)
    assert _cells(result, "new_received") == _gold("new_received") | {"total": 2}
    failed = [c for c in result["checks"] if c["status"] == "fail"]
    assert any(c["identity"].startswith("requests.new_received.total =") for c in failed)
