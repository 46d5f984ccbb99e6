"""PDF tables across pages: the real full report (../shared/corpus/full/01.pdf), whose table 三
breaks between pages 4 and 5 in the middle of the label （四）无法提供, and the same report printed
again at test time (reportlab) so that table 三 runs onto the next page with its three header rows
repeated there, a page number at each foot and a running head. A scan (pages that are pictures)
is one line."""

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
from tests.helpers import ROOT, gold, needs, shared_file
from tests.renderings import write_pdf

DOCUMENT = "corpus/full/01.pdf"


@pytest.fixture(scope="module")
def pdf() -> Document:
    return read(shared_file(DOCUMENT))


def requests_grid(document: Document) -> tuple:
    [grid] = [g for g in document.grids if any(c.text.startswith("一、本年新收") for c in g)]
    return grid


def test_table_three_is_one_table_across_the_page_break(pdf: Document) -> None:
    grid = requests_grid(pdf)
    labels = [c.text for c in grid if c.col in (0, 1, 2) and c.text]
    assert labels.index("1.本机关不掌握相关政府信息") < labels.index("2.没有现成信息需要另行制作")
    assert labels.index("（七）总计") < labels.index("四、结转下年度继续办理")
    unable = next(c for c in grid if c.text == "（四）无法提供")  # "（四）无" | page 5 | "法提供"
    assert (unable.col, unable.rowspan) == (1, 3)
    assert "法提供" not in labels
    rows = {c.row for c in grid}
    assert rows == set(range(len(rows)))  # one grid, rows numbered on
    for cell in grid:
        assert pdf.text[cell.span.start : cell.span.end] == cell.text


def test_printed_again_with_repeated_header_rows(pdf: Document, tmp_path: Path) -> None:
    needs("reportlab")
    path = tmp_path / "report.pdf"
    write_pdf(pdf, path, running_head="淮安市人民政府2024年政府信息公开工作年度报告")
    import pdfplumber

    with pdfplumber.open(path) as printed:
        pages = [page.extract_text() for page in printed.pages]
    repeated = [i for i, text in enumerate(pages) if "申请人情况" in text]
    assert len(repeated) >= 2  # table 三 starts on one page and repeats its header on the next
    document = read(path)
    grid = requests_grid(document)
    texts = [c.text for c in grid]
    assert texts.count("申请人情况") == 1  # the header rows repeated on the next page are gone
    assert "四、结转下年度继续办理" in texts  # one table across the pages, running head and all
    result = analyze(document, tag)
    expected = {
        f["field_id"]: f["value"] for f in gold(DOCUMENT)["facts"] if f["origin"] == "table"
    }
    predicted: dict[str, list] = {}
    for fact in result["facts"]:
        if fact["origin"] == "table":
            predicted.setdefault(fact["field_id"], []).append(fact["value"])
    wrong = {k: (predicted.get(k), v) for k, v in expected.items() if predicted.get(k) != [v]}
    assert wrong == {}
    assert set(predicted) == set(expected)
    assert not any(line.strip() in {"- 2 -", "- 3 -"} for line in document.text.splitlines())
    assert "淮安市人民政府2024年政府信息公开工作年度报告" not in document.text  # the running head


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


@pytest.mark.parametrize("spacer", [230, 330, 410, 470, 610])
def test_a_page_break_anywhere_in_table_three_never_gives_a_wrong_value(
    pdf: Document, tmp_path: Path, spacer: int
) -> None:
    """Table 三 printed so that the page break falls on a different row each time, its rows free
    to split across the break (reportlab then prints the label on one page and the values on the
    next, or draws the repeated header over the cut row). A cell read from such a row is right or
    missing, never another cell's value."""
    needs("reportlab")
    path = tmp_path / "report.pdf"
    write_pdf(pdf, path, split_rows=True, spacer=spacer)
    expected = {
        f["field_id"]: f["value"] for f in gold(DOCUMENT)["facts"] if f["origin"] == "table"
    }
    predicted: dict[str, list] = {}
    for fact in analyze(read(path), tag)["facts"]:
        if fact["origin"] == "table":
            predicted.setdefault(fact["field_id"], []).append(fact["value"])
    wrong = {k: v for k, v in predicted.items() if k not in expected or v != [expected[k]]}
    assert wrong == {}
    assert len(predicted) >= 193
