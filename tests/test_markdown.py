"""Markdown reports: the real full report (../shared/corpus/full/01.pdf) as PDF-to-markdown
converters write it (pymupdf4llm itself, and pipe tables with merged cells repeated or left empty,
and HTML tables embedded in the markdown), read cell by cell against the PDF's gold facts, with
every offset pointing into the markdown file's own text."""

from __future__ import annotations

from pathlib import Path

import pytest

from ie.document import Document
from ie.pipeline import analyze
from ie.read import read
from ie.tag.rules import tag
from tests.helpers import gold, keyed, shared_file
from tests.renderings import markdown

DOCUMENT = "corpus/full/01.pdf"


@pytest.fixture(scope="module")
def pdf() -> Document:
    return read(shared_file(DOCUMENT))


@pytest.fixture(scope="module")
def pdf_result(pdf: Document) -> dict:
    return analyze(pdf, tag)


def gold_table() -> dict[str, float]:
    return {f["field_id"]: f["value"] for f in gold(DOCUMENT)["facts"] if f["origin"] == "table"}


def table_values(result: dict) -> dict[str, list[float]]:
    values: dict[str, list[float]] = {}
    for fact in result["facts"]:
        if fact["origin"] == "table":
            values.setdefault(fact["field_id"], []).append(fact["value"])
    return values


def assert_every_cell(result: dict) -> None:
    expected = gold_table()
    assert len(expected) == 200
    predicted = table_values(result)
    wrong = {k: (predicted.get(k), v) for k, v in expected.items() if predicted.get(k) != [v]}
    assert wrong == {}
    assert set(predicted) == set(expected)
    assert [c["identity"] for c in result["checks"] if c["status"] == "fail"] == []


def assert_offsets_point_into_the_file(result: dict, path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    for fact in result["facts"]:
        evidence = fact["evidence"]
        assert source[evidence["start"] : evidence["end"]] == evidence["text"]


@pytest.mark.parametrize("repeat", [True, False], ids=["merged-repeated", "merged-empty"])
@pytest.mark.parametrize("suffix", [".md", ".txt"])
def test_pipe_tables_every_cell(
    pdf: Document, pdf_result: dict, tmp_path: Path, repeat: bool, suffix: str
) -> None:
    path = tmp_path / f"report{suffix}"
    path.write_text(markdown(pdf, repeat=repeat), encoding="utf-8")
    document = read(path)
    assert document.format == "markdown"  # a .txt holding pipe tables is markdown too
    assert document.source_text == path.read_text(encoding="utf-8")
    # markup is out of the text the rules read: headings, bold, the table's own pipes' padding
    assert "二、主动公开政府信息情况" in document.text.splitlines()
    assert "**" not in document.text and "## " not in document.text
    result = analyze(document, tag)
    assert_every_cell(result)
    assert_offsets_point_into_the_file(result, path)
    # the prose reads as in the PDF: same facts from the same sentences
    prose = keyed([f for f in result["facts"] if f["origin"] == "prose"])
    assert prose == keyed([f for f in pdf_result["facts"] if f["origin"] == "prose"])


def test_merged_cells_become_spanning_cells_again(pdf: Document, tmp_path: Path) -> None:
    path = tmp_path / "report.md"
    path.write_text(markdown(pdf, repeat=True), encoding="utf-8")
    document = read(path)
    by_text = {cell.text: cell for grid in document.grids for cell in grid}
    result = by_text["三、本年度办理结果"]  # repeated down 11 rows of the first page's part
    assert (result.rowspan, result.colspan) == (11, 1)
    assert by_text["行政复议"].colspan == 5 and by_text["行政诉讼"].colspan == 10
    assert by_text["一、本年新收政府信息公开申请数量"].colspan == 3
    # a repeated 0 is two cells: values merge only under a header merged the same way
    zeros = [c for grid in document.grids for c in grid if c.text == "0"]
    assert all(c.colspan == 1 for c in zeros)
    for grid in document.grids:
        for cell in grid:
            assert document.text[cell.span.start : cell.span.end] == cell.text


def test_html_tables_inside_markdown(pdf: Document, tmp_path: Path) -> None:
    path = tmp_path / "report.md"
    path.write_text(markdown(pdf, repeat=False, html_tables=True), encoding="utf-8")
    document = read(path)
    assert len(document.grids) == len(pdf.grids)
    assert "<td" not in document.text and "&nbsp;" not in document.text
    result = analyze(document, tag)
    assert_every_cell(result)
    assert_offsets_point_into_the_file(result, path)


def test_pymupdf4llm_markdown_of_the_real_pdf(pdf_result: dict, tmp_path: Path) -> None:
    """What a researcher gets from a real converter: ``Col2`` placeholders in empty header cells,
    merged cells repeated (values too: ``行政许可|447228|447228|447228``), ``<br>`` in cells, a
    table cut in two at each page break, every line of the page a paragraph of its own."""
    pymupdf4llm = pytest.importorskip("pymupdf4llm")
    path = tmp_path / "report.md"
    path.write_text(pymupdf4llm.to_markdown(str(shared_file(DOCUMENT))), encoding="utf-8")
    result = analyze(read(path), tag)
    assert_every_cell(result)
    assert_offsets_point_into_the_file(result, path)
    licences = [u for u in result["unmapped"] if u["value"] == 447228]
    assert licences == []  # the repeated value under a merged header is one cell
    # wrapped lines run on, as in the PDF: "…行政复议 351" / "件，其中结果维持 72 件…尚未审结 37 件"
    prose = keyed([f for f in result["facts"] if f["origin"] == "prose"])
    assert prose == keyed([f for f in pdf_result["facts"] if f["origin"] == "prose"])
    assert ("review.pending", "null", 37.0) in prose
