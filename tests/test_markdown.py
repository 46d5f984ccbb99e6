"""Markdown reports: a train report (tests/renderings.py's SOURCE, its tables on the official 2021
template) as PDF-to-markdown converters write it (pymupdf4llm itself, pipe tables with merged cells
repeated or left empty, HTML tables embedded in the markdown), read cell by cell against the
report's gold facts, with every offset pointing into the markdown file's own text; and the prose of
a train report printed to PDF and converted by pymupdf4llm, judged against its gold prose facts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ie.document import Document
from ie.pipeline import analyze
from ie.read import read
from ie.tag.rules import tag
from tests.helpers import ROOT, gold, keyed, needs, shared_file
from tests.renderings import SOURCE, markdown, rendered_source, source_table_gold, write_pdf

# A train report rich in prose (30 gold prose facts, no table), printed to PDF for the converter.
PROSE_REPORT = "seeds/001_203cc56d6059fb6b.txt"
# The gold prose facts the tool misses on these reports, in any form (the README lists each one
# under "Every form a report comes in"): nothing else may be missed, nothing outside gold read.
KNOWN_PROSE_MISSES = {
    # "收到网络依申请公开申请1件": read as the online channel's figure only (requests.received.online)
    PROSE_REPORT: {("requests.received", "null", 1.0)},
    # "共受理政府信息公开申请2件" where table 三 says 3: the table's value is the fact (a conflict)
    SOURCE: {("requests.new_received.total", "null", 2.0)},
}


@pytest.fixture(scope="module")
def source() -> Document:
    return rendered_source()


def table_values(result: dict) -> dict[str, list[float]]:
    values: dict[str, list[float]] = {}
    for fact in result["facts"]:
        if fact["origin"] == "table":
            values.setdefault(fact["field_id"], []).append(fact["value"])
    return values


def assert_every_cell(result: dict) -> None:
    expected = source_table_gold()
    assert len(expected) == 24
    predicted = table_values(result)
    wrong = {k: (predicted.get(k), v) for k, v in expected.items() if predicted.get(k) != [v]}
    assert wrong == {}
    assert set(predicted) == set(expected)
    assert [c["identity"] for c in result["checks"] if c["status"] == "fail"] == []


def assert_prose_as_gold(result: dict, document: str) -> None:
    """The prose facts are gold's, less only the misses the README lists."""
    expected = keyed([f for f in gold(document)["facts"] if f["origin"] == "prose"])
    predicted = keyed([f for f in result["facts"] if f["origin"] == "prose"])
    assert predicted - expected == set()
    assert expected - predicted == KNOWN_PROSE_MISSES[document]


def assert_offsets_point_into_the_file(result: dict, path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    for fact in result["facts"]:
        evidence = fact["evidence"]
        assert source[evidence["start"] : evidence["end"]] == evidence["text"]


def test_the_known_prose_misses_are_the_readmes() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for misses in KNOWN_PROSE_MISSES.values():
        for field_id, _, value in misses:
            assert f"`{field_id}` {value:g}" in readme


@pytest.mark.parametrize("repeat", [True, False], ids=["merged-repeated", "merged-empty"])
@pytest.mark.parametrize("suffix", [".md", ".txt"])
def test_pipe_tables_every_cell(
    source: Document, tmp_path: Path, repeat: bool, suffix: str
) -> None:
    path = tmp_path / f"report{suffix}"
    path.write_text(markdown(source, repeat=repeat), encoding="utf-8")
    document = read(path)
    assert document.format == "markdown"  # a .txt holding pipe tables is markdown too
    assert document.source_text == path.read_text(encoding="utf-8")
    # markup is out of the text the rules read: headings, bold, the table's own pipes' padding
    assert "二、主动公开政府信息情况" in document.text.splitlines()
    assert "**" not in document.text and "## " not in document.text
    result = analyze(document, tag)
    assert_every_cell(result)
    assert_offsets_point_into_the_file(result, path)
    assert_prose_as_gold(result, SOURCE)


def test_merged_cells_become_spanning_cells_again(source: Document, tmp_path: Path) -> None:
    path = tmp_path / "report.md"
    path.write_text(markdown(source, repeat=True), encoding="utf-8")
    document = read(path)
    by_text = {cell.text: cell for grid in document.grids for cell in grid}
    result = by_text["三、本年度办理结果"]  # the group label over (一)予以公开 … (七)总计
    assert (result.rowspan, result.colspan) == (22, 1)  # 1 + 1 + 8 + 3 + 5 + 3 + 1 rows
    assert by_text["（三）不予公开"].rowspan == 8
    assert by_text["行政复议"].colspan == 5 and by_text["行政诉讼"].colspan == 10
    assert by_text["一、本年新收政府信息公开申请数量"].colspan == 3
    # table 三's repeated 0s are cells each: values merge only under a header merged the same way
    [requests] = [g for g in document.grids if any(c.text.startswith("一、本年新收") for c in g)]
    zeros = [c for c in requests if c.text == "0"]
    assert len(zeros) == 12 and all(c.colspan == 1 for c in zeros)
    for grid in document.grids:
        for cell in grid:
            assert document.text[cell.span.start : cell.span.end] == cell.text


def test_html_tables_inside_markdown(source: Document, tmp_path: Path) -> None:
    path = tmp_path / "report.md"
    path.write_text(markdown(source, repeat=False, html_tables=True), encoding="utf-8")
    document = read(path)
    assert len(document.grids) == len(source.grids) == 3
    assert "<td" not in document.text and "&nbsp;" not in document.text
    result = analyze(document, tag)
    assert_every_cell(result)
    assert_offsets_point_into_the_file(result, path)


def test_pymupdf4llm_markdown_of_a_printed_report(source: Document, tmp_path: Path) -> None:
    """What a researcher gets from a real converter: ``Col2`` placeholders in empty header cells,
    ``<br>`` in wrapped cells, a table cut in two at each page break, every line of the page a
    paragraph of its own. Tables: every gold cell; prose: gold's, less the README's misses."""
    pymupdf4llm = needs("pymupdf4llm")
    needs("reportlab")
    printed = tmp_path / "report.pdf"
    write_pdf(source, printed)
    path = tmp_path / "report.md"
    path.write_text(pymupdf4llm.to_markdown(str(printed)), encoding="utf-8")
    assert re.search(r"\|\s*Col\d+\s*\|", path.read_text(encoding="utf-8"))  # the converter's own
    result = analyze(read(path), tag)
    assert_every_cell(result)
    assert_offsets_point_into_the_file(result, path)
    assert_prose_as_gold(result, SOURCE)


def test_pymupdf4llm_markdown_of_printed_prose(tmp_path: Path) -> None:
    """A train report's prose printed to PDF (lines wrapped at the page's width, page numbers at
    each foot) and converted: every wrapped line runs on, so its prose facts are its gold's."""
    pymupdf4llm = needs("pymupdf4llm")
    needs("reportlab")
    printed = tmp_path / "report.pdf"
    write_pdf(read(shared_file(PROSE_REPORT)), printed)
    path = tmp_path / "report.md"
    path.write_text(pymupdf4llm.to_markdown(str(printed)), encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    assert len([line for line in text.splitlines() if line.strip()]) > 100  # one per printed line
    result = analyze(read(path), tag)
    assert_offsets_point_into_the_file(result, path)
    assert_prose_as_gold(result, PROSE_REPORT)
