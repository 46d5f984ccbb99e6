"""Web pages and Word files made at test time from a train report (tests/renderings.py's SOURCE,
its tables on the official 2021 template): blank cells where a zero is meant, a 总计 column left blank, header spans that disagree
with the data rows', tables nested in editors' <div>s inside a layout table, a table split in two,
nesting deeper than libxml2 parses, a GBK page that says so in <meta charset>, and a DOCX whose
merged cells are real merges (gridSpan, vMerge). Gold: the report's gold facts. A blank is never a value:
its field is missing, and no other value moves into its column."""

from __future__ import annotations

from pathlib import Path

import pytest

from ie.document import Document
from ie.facts.table_cells import table_facts
from ie.pipeline import analyze
from ie.read import read
from ie.schema import load_schema
from ie.tables import find_tables
from ie.tag.rules import tag
from ie.types import Cell
from tests.renderings import html_table, rendered_source, source_table_gold, web_page, write_docx


@pytest.fixture(scope="module")
def pdf() -> Document:
    """The train report with its tables as grids (the name kept from when it was a PDF)."""
    return rendered_source()


def table_values(path: Path) -> dict[str, list[float]]:
    values: dict[str, list[float]] = {}
    for fact in analyze(read(path), tag)["facts"]:
        if fact["origin"] == "table":
            values.setdefault(fact["field_id"], []).append(fact["value"])
    return values


def compare(predicted: dict[str, list[float]], blank: set[str] = frozenset()) -> dict:
    """Every gold cell right, the blank ones absent; the differences, keyed by field."""
    expected = source_table_gold()
    assert len(expected) == 24
    differences = {}
    for field_id, value in expected.items():
        want = None if field_id in blank else [value]
        if predicted.get(field_id) != want:
            differences[field_id] = (predicted.get(field_id), want)
    differences.update({k: (v, None) for k, v in predicted.items() if k not in expected})
    return differences


def blanked_fields(pdf: Document, blank) -> set[str]:  # noqa: ANN001 - a cell predicate
    """The fields whose cells ``blank`` empties: the report's table facts read from those cells."""
    cells = [c.span for grid in pdf.grids for c in grid if blank(c)]
    facts, _ = table_facts(find_tables(pdf), load_schema()["2021"])
    return {
        fact.field_id
        for fact in facts
        if any(span.start <= fact.evidence.start < span.end for span in cells)
    }


def write_page(path: Path, page: str, encoding: str = "gbk") -> Path:
    path.write_bytes(page.encode(encoding))
    return path


def zero(cell: Cell) -> bool:
    return cell.text == "0"


def total_column(cell: Cell) -> bool:
    """表三's 总计 column (the last of ten) and every other tenth column left blank."""
    return cell.col == 9 and cell.text.isdigit()


def test_web_page_every_cell(pdf: Document, tmp_path: Path) -> None:
    page = web_page(pdf, lambda grid: html_table(grid, blank=lambda cell: False))
    document = read(write_page(tmp_path / "report.html", page))
    assert document.encoding == "gb18030"  # <meta charset="gbk">
    assert len(document.grids) == len(pdf.grids)  # the layout table around them is no grid
    assert compare(table_values(tmp_path / "report.html")) == {}


@pytest.mark.parametrize("blank", [zero, total_column], ids=["zeros-blank", "total-column-blank"])
def test_blank_cells_stay_blank(pdf: Document, tmp_path: Path, blank) -> None:  # noqa: ANN001
    fields = blanked_fields(pdf, blank)
    gold = source_table_gold()
    if blank is zero:
        assert fields == {k for k, v in gold.items() if v == 0} and len(fields) == 22
    else:  # table 三's rows 一 and 二 are the ones printed
        assert fields == {"requests.new_received.total", "requests.carried_over.total"}
    page = web_page(pdf, lambda grid: html_table(grid, blank=blank))
    path = write_page(tmp_path / "report.html", page)
    assert compare(table_values(path), blank=fields) == {}


@pytest.mark.parametrize("narrowed", ["header", "row-label"])
def test_header_and_label_spans_that_disagree_with_the_data(
    pdf: Document, tmp_path: Path, narrowed: str
) -> None:
    """The first header cell one column narrower (the header row one cell wider to the right),
    or one row's label narrower than the others' so its values start a column early."""

    def colspan(cell: Cell) -> int:
        if narrowed == "header" and cell.row == 0 and cell.col == 0 and cell.colspan == 3:
            return 2
        if narrowed == "row-label" and cell.text.startswith(("一、本年新收", "四、结转下年度")):
            return cell.colspan - 1
        return cell.colspan

    page = web_page(pdf, lambda grid: html_table(grid, blank=zero, colspan=colspan))
    path = write_page(tmp_path / "report.html", page)
    assert compare(table_values(path), blank=blanked_fields(pdf, zero)) == {}


def test_a_table_split_in_two_and_deep_nesting(pdf: Document, tmp_path: Path) -> None:
    """表三 as two <table>s (an editor's page break), 表四's header rows and its values in two
    <table>s, the article nested 3000 <div>s deep: past libxml2's limit, so the page is read
    again without its wrappers."""

    def split(grid: tuple[Cell, ...]) -> str:
        rows = sorted({c.row for c in grid})
        if any(c.text == "行政复议" for c in grid):
            cut = rows[-1]  # 表四's header in one <table>, its values in the next
        elif len(rows) > 20:
            cut = rows[len(rows) // 2]
        else:
            return html_table(grid, blank=lambda cell: False)
        top = tuple(c for c in grid if c.row < cut)
        bottom = tuple(c for c in grid if c.row >= cut)
        return html_table(top, blank=lambda c: False) + html_table(bottom, blank=lambda c: False)

    path = write_page(tmp_path / "deep.html", web_page(pdf, split, depth=3000), "utf-8")
    document = read(path)
    assert len(document.grids) == len(pdf.grids) + 2
    assert compare(table_values(path)) == {}


def test_docx_with_merged_cells_every_cell(pdf: Document, tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    write_docx(pdf, path)
    document = read(path)
    by_text = {c.text: c for grid in document.grids for c in grid}
    assert by_text["三、本年度办理结果"].rowspan == 22  # vMerge
    assert by_text["行政诉讼"].colspan == 10  # gridSpan
    assert compare(table_values(path)) == {}


def test_docx_with_zeros_left_blank(pdf: Document, tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    write_docx(pdf, path, blank=zero)
    assert compare(table_values(path), blank=blanked_fields(pdf, zero)) == {}
