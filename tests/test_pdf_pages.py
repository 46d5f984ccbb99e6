"""PDF tables across pages: a train report (tests/renderings.py's SOURCE, its tables on the
official 2021 template) printed at test time (reportlab) so that table 三 runs onto the next page
with its three header rows repeated there, a page number at each foot and a running head; and
printed with its rows free to split at the page break, the break falling on a different row each
time. A scan (pages that are pictures) is one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ie.document import Document
from ie.errors import Errors, InputError
from ie.pipeline import analyze
from ie.read import read
from ie.tag.rules import tag
from tests.helpers import ROOT, needs
from tests.renderings import rendered_source, source_table_gold, write_pdf

RUNNING_HEAD = "某局2023年政府信息公开工作年度报告"


@pytest.fixture(scope="module")
def source() -> Document:
    return rendered_source()


@pytest.fixture(scope="module")
def printed(source: Document, tmp_path_factory: pytest.TempPathFactory) -> Path:
    needs("reportlab")
    path = tmp_path_factory.mktemp("printed") / "report.pdf"
    write_pdf(source, path, running_head=RUNNING_HEAD)
    return path


def requests_grid(document: Document) -> tuple:
    [grid] = [g for g in document.grids if any(c.text.startswith("一、本年新收") for c in g)]
    return grid


def table_labels(document: Document) -> list[str]:
    return [c.text for c in requests_grid(document) if c.text and not c.text.isdigit()]


def test_table_three_is_one_table_across_the_page_break(source: Document, printed: Path) -> None:
    import pdfplumber

    with pdfplumber.open(printed) as pages:
        texts = [page.extract_text() for page in pages.pages]
    # table 三 starts on one page and repeats its header on the next
    assert len([i for i, text in enumerate(texts) if "申请人情况" in text]) >= 2
    assert len([i for i, text in enumerate(texts) if "（七）总计" in text]) == 1
    pdf = read(printed)
    grid = requests_grid(pdf)
    labels = table_labels(pdf)
    assert labels == table_labels(source)  # every label once, in order: the repeated header gone
    assert labels.index("1.本机关不掌握相关政府信息") < labels.index("2.没有现成信息需要另行制作")
    assert labels.index("（七）总计") < labels.index("四、结转下年度继续办理")
    unable = next(c for c in grid if c.text == "（四）无法提供")  # merged down its three rows
    assert (unable.col, unable.rowspan) == (1, 3)
    rows = {c.row for c in grid}
    assert rows == set(range(len(rows)))  # one grid, rows numbered on
    for cell in grid:
        assert pdf.text[cell.span.start : cell.span.end] == cell.text


def test_printed_with_repeated_header_rows_every_cell(printed: Path) -> None:
    document = read(printed)
    texts = [c.text for c in requests_grid(document)]
    assert texts.count("申请人情况") == 1  # the header rows repeated on the next page are gone
    assert "四、结转下年度继续办理" in texts  # one table across the pages, running head and all
    result = analyze(document, tag)
    assert result["vintage"] == "2021"
    expected = source_table_gold()
    predicted: dict[str, list] = {}
    for fact in result["facts"]:
        if fact["origin"] == "table":
            predicted.setdefault(fact["field_id"], []).append(fact["value"])
    wrong = {k: (predicted.get(k), v) for k, v in expected.items() if predicted.get(k) != [v]}
    assert wrong == {}
    assert set(predicted) == set(expected)
    assert [c["identity"] for c in result["checks"] if c["status"] == "fail"] == []
    assert not any(
        line.strip() in {"- 1 -", "- 2 -", "- 3 -"} for line in document.text.splitlines()
    )
    assert RUNNING_HEAD not in document.text


def scanned_pdf(path: Path) -> Path:
    """Two pages that are only pictures, as a scanner makes them."""
    needs("reportlab")
    from PIL import Image
    from reportlab.pdfgen import canvas

    image = tmp = path.with_suffix(".png")
    Image.new("L", (400, 560), 255).save(tmp)
    page = canvas.Canvas(str(path))
    for _ in range(2):
        page.drawImage(str(image), 40, 40, width=500, height=700)
        page.showPage()
    page.save()
    return path


@pytest.mark.slow  # OCR runs over both blank pages before it can say so (9 s)
def test_a_scan_is_one_clear_line(tmp_path: Path) -> None:
    path = scanned_pdf(tmp_path / "scan.pdf")
    with pytest.raises(InputError) as error:
        read(path)
    assert str(error.value) == Errors.E013.format(path=path)
    run = subprocess.run(
        [sys.executable, "-m", "ie.predict", str(path)],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.strip().splitlines() == [f"error: {Errors.E013.format(path=path)}"]


@pytest.mark.parametrize("spacer", [190, 230, 330, 410, 470, 510, 610])
def test_a_page_break_anywhere_in_table_three_never_gives_a_wrong_value(
    source: Document, tmp_path: Path, spacer: int
) -> None:
    """Table 三 printed so that the page break falls on a different row each time, its rows free
    to split across the break (reportlab then prints the label on one page and the values on the
    next, or draws the repeated header over the cut row). A cell read from such a row is right or
    missing, never another cell's value."""
    needs("reportlab")
    path = tmp_path / "report.pdf"
    write_pdf(source, path, split_rows=True, spacer=spacer)
    expected = source_table_gold()
    predicted: dict[str, list] = {}
    for fact in analyze(read(path), tag)["facts"]:
        if fact["origin"] == "table":
            predicted.setdefault(fact["field_id"], []).append(fact["value"])
    wrong = {k: v for k, v in predicted.items() if k not in expected or v != [expected[k]]}
    assert wrong == {}
    # of 24: where the repeated header is drawn over row 一, its 7 are missing
    assert len(predicted) >= 17
