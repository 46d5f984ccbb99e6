"""read(): real reports in every encoding and format we meet, and each way an input can be wrong."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import docx
import pytest

from ie.document import Document
from ie.errors import Errors, InputError
from ie.read import read
from ie.read.textnorm import is_traditional
from tests.helpers import SHARED, missing, open_documents, printed_pdf, shared_file
from tests.helpers import needs as needs_module
from tests.renderings import source_table_gold, write_pdf

SEEDS = sorted((SHARED / "seeds").glob("*.txt"))
CORPUS = SHARED / "corpus"


def corpus_scripts() -> list[tuple[Path, str]]:
    """Every train and dev corpus text with the script its MANIFEST says it is written in."""
    files = []
    allowed = set(open_documents())
    for manifest in sorted(CORPUS.glob("v*/MANIFEST.tsv")):
        with manifest.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                if f"corpus/{manifest.parent.name}/{row['file']}" in allowed:
                    files.append((manifest.parent / row["file"], row["script"]))
    return files


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def needs(path: Path) -> None:
    if not path.exists():
        missing(f"{path} is not here (../shared is read at test time)")


# --- txt: encodings ---------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS, ids=lambda path: path.name)
def test_seed_reads_the_same_in_gbk_and_utf8_with_bom(seed: Path, tmp_path: Path) -> None:
    original = read(seed)
    assert original.format == "txt" and original.encoding == "utf-8"

    with_bom = read(write(tmp_path / "bom.txt", b"\xef\xbb\xbf" + seed.read_bytes()))
    assert with_bom.encoding == "utf-8-sig"
    assert with_bom.source_text == original.source_text  # the BOM is not text
    assert (with_bom.text, with_bom.offsets) == (original.text, original.offsets)

    # GBK has no NBSP; the text folds NBSP to a space anyway, so that is what GBK files carry.
    gbk_source = original.source_text.replace("\xa0", " ")
    gbk = read(write(tmp_path / "gbk.txt", gbk_source.encode("gbk")))
    assert gbk.encoding == "gb18030"
    assert gbk.source_text == gbk_source
    assert gbk.text == original.text


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("name", ["v2008/2009-03.txt", "v2021/2023-11.txt"])
def test_utf16_without_bom(tmp_path: Path, codec: str, name: str) -> None:
    """Windows tools save UTF-16 without a BOM; its zero bytes must not read as a binary file."""
    report = CORPUS / name
    needs(report)
    source = report.read_text(encoding="utf-8")
    document = read(write(tmp_path / "report.txt", source.encode(codec)))
    assert (document.encoding, document.source_text) == (codec, source)
    assert document.text == read(report).text


def test_meta_charset_names_the_codec(tmp_path: Path) -> None:
    """A GBK page that says so is decoded as GB18030 (its superset); one whose <meta> lies
    (utf-8 declared, GBK bytes) is still decoded, by detection."""
    page = REPORT_PAGE.replace("<head>", '<head><meta http-equiv="Content-Type" '
                               'content="text/html; charset=gb2312">')  # fmt: skip
    document = read(write(tmp_path / "gbk.html", page.encode("gb18030")))
    assert document.encoding == "gb18030"
    assert "一、本年新收政府信息公开申请数量 | 12 | 3 | 15" in document.text.splitlines()
    lying = REPORT_PAGE.replace("<head>", '<head><meta charset="utf-8">')
    document = read(write(tmp_path / "lying.html", lying.encode("gb18030")))
    assert document.encoding == "gb18030"
    assert "三、收到和处理政府信息公开申请情况" in document.text.splitlines()


def test_big5_report_is_decoded_and_converted(tmp_path: Path) -> None:
    report = CORPUS / "v2008" / "2009-03.txt"
    needs(report)
    source = report.read_text(encoding="utf-8")
    big5 = read(write(tmp_path / "big5.txt", source.encode("big5")))
    assert big5.encoding == "cp950"
    assert big5.source_text == source
    assert big5.traditional
    assert big5.text == read(report).text


@pytest.mark.parametrize(
    ("name", "line", "codec", "expected"),
    [
        ("short.txt", "本年度收到申请15件。", "gbk", "gb18030"),  # detector alone says UTF-16
        ("short.text", "申請申請申請", "gbk", "gb18030"),
        ("short", "申請申請申請", "big5", "cp950"),  # detector alone says CP949
    ],
)
def test_one_short_line_is_decoded_as_chinese(
    tmp_path: Path, name: str, line: str, codec: str, expected: str
) -> None:
    document = read(write(tmp_path / name, line.encode(codec)))
    assert (document.format, document.encoding, document.source_text) == ("txt", expected, line)


def test_crlf_is_dropped_and_offsets_still_point_at_the_source(tmp_path: Path) -> None:
    source = "一、总体情况\r\n本年度收到申请１５件，办结３．５％。\r\n"
    document = read(write(tmp_path / "crlf.txt", source.encode("gb18030")))
    assert document.text == "一、总体情况\n本年度收到申请15件，办结3.5%。\n"
    start = document.text.index("15件")
    assert document.source_span(start, start + 3).text == "１５件"
    assert len(document.offsets) == len(document.text) + 1
    assert document.offsets[-1] == len(document.source_text)


def test_full_width_folding_keeps_chinese_punctuation(tmp_path: Path) -> None:
    source = "（一）收到申请ＡＢ类１２件，占４５％；其中：“公开”３件、不予公开０件。\u3000\u3000完"
    document = read(write(tmp_path / "width.txt", source.encode("utf-8")))
    assert document.text == "（一）收到申请AB类12件，占45%；其中：“公开”3件、不予公开0件。  完"
    assert document.offsets == tuple(range(len(source) + 1))


# --- traditional → simplified -----------------------------------------------------------------


def test_traditional_detector_agrees_with_every_manifest() -> None:
    files = corpus_scripts()
    if not files:
        missing("no corpus in ../shared")
    assert {script for _, script in files} == {"simplified", "traditional"}
    wrong = [
        path.name
        for path, script in files
        if is_traditional(path.read_text(encoding="utf-8")) != (script == "traditional")
    ]
    assert wrong == []
    assert not any(is_traditional(seed.read_text(encoding="utf-8")) for seed in SEEDS)


def test_offsets_map_simplified_text_back_to_traditional_source() -> None:
    report = CORPUS / "v2008" / "2017-01.txt"
    needs(report)
    document = read(report)
    assert document.traditional
    assert "申請" in document.source_text and "申請" not in document.text
    start = document.text.index("申请")
    assert document.source_span(start, start + 2).text == "申請"
    assert document.source_text[document.offsets[start] : document.offsets[start] + 2] == "申請"
    # Conversion is one character for one, so every character maps to its own original.
    assert len(document.text) == len(document.source_text)


# --- HTML ---------------------------------------------------------------------------------------

REPORT_PAGE = """<!DOCTYPE html>
<html><head><title>某县2023年政府信息公开工作年度报告</title>
<style>p { color: red }</style><script>var statistic = 999;</script></head>
<body><table class="layout"><tr><td>
  <h2>三、收到和处理政府信息公开申请情况</h2>
  <table border="1">
    <tr><th rowspan="2" colspan="2">项　　目</th><th colspan="2">申请人情况</th>
        <th rowspan="2">总计</th></tr>
    <tr><th>自然人</th><th>商业<br>企业</th></tr>
    <tr><td colspan="2">一、本年新收政府信息公开申请数量</td><td>１２</td><td>3</td><td>15</td></tr>
    <tr><td rowspan="2">三、本年度<br>办理结果</td><td>（一）予以公开</td><td>8</td><td>2</td>
        <td>10</td></tr>
    <tr><td>（二）部分公开</td><td>1</td><td></td><td>1</td></tr>
  </table>
  <p>本年度共收到申请&nbsp;15&nbsp;件。<br>其中自然人<b>12</b>件。</p>
  <ul><li>网站</li><li>公报</li></ul>
</td></tr></table></body></html>
"""


def test_html_table_becomes_a_grid_with_spans(tmp_path: Path) -> None:
    document = read(write(tmp_path / "report.html", REPORT_PAGE.encode("utf-8")))
    assert document.format == "html"
    assert "statistic" not in document.text and "color" not in document.text
    lines = document.text.splitlines()
    assert "三、收到和处理政府信息公开申请情况" in lines
    assert "项目 | 申请人情况 | 总计" in lines  # padding between CJK characters is layout
    assert "一、本年新收政府信息公开申请数量 | 12 | 3 | 15" in lines
    result_row = lines.index("三、本年度办理结果 | （一）予以公开 | 8 | 2 | 10")
    assert lines[result_row + 1] == " | （二）部分公开 | 1 |  | 1"  # the rowspan leaves a blank
    assert ["本年度共收到申请 15 件。", "其中自然人12件。", "网站", "公报"] == lines[-4:]

    [grid] = document.grids  # the layout table around it is not a grid
    cells = {(cell.row, cell.col): cell for cell in grid}
    expected = {
        (0, 0): ("项目", 2, 2),
        (0, 2): ("申请人情况", 1, 2),
        (0, 4): ("总计", 2, 1),
        (1, 2): ("自然人", 1, 1),
        (1, 3): ("商业企业", 1, 1),
        (2, 0): ("一、本年新收政府信息公开申请数量", 1, 2),
        (2, 2): ("12", 1, 1),
        (2, 4): ("15", 1, 1),
        (3, 0): ("三、本年度办理结果", 2, 1),
        (3, 1): ("（一）予以公开", 1, 1),
        (4, 1): ("（二）部分公开", 1, 1),  # pushed right by the rowspan above
        (4, 2): ("1", 1, 1),
        (4, 3): ("", 1, 1),
        (4, 4): ("1", 1, 1),
    }
    for position, (text, rowspan, colspan) in expected.items():
        cell = cells[position]
        assert (cell.text, cell.rowspan, cell.colspan) == (text, rowspan, colspan), position
    assert len(grid) == 18
    for cell in grid:
        assert document.text[cell.span.start : cell.span.end] == cell.text == cell.span.text
    # Cell spans index the normalized text; the source holds the full-width original.
    twelve = cells[(2, 2)].span
    assert document.source_span(twelve.start, twelve.end).text == "１２"


def test_txt_holding_a_web_page_is_read_as_html(tmp_path: Path) -> None:
    document = read(write(tmp_path / "saved.txt", REPORT_PAGE.encode("gb18030")))
    assert document.format == "html"
    assert document.encoding == "gb18030"
    assert len(document.grids) == 1
    assert "<td>" not in document.source_text


# --- DOCX ---------------------------------------------------------------------------------------


def test_docx_keeps_tables_in_place_and_collapses_merged_cells(tmp_path: Path) -> None:
    report = docx.Document()
    report.add_paragraph("二、主动公开政府信息情况")
    table = report.add_table(rows=4, cols=4)
    table.cell(0, 0).merge(table.cell(0, 3)).text = "第二十条第（一）项"
    for col, header in enumerate(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]):
        table.cell(1, col).text = header
    table.cell(2, 0).merge(table.cell(3, 0)).text = "规章\n及规范性文件"
    for col, value in enumerate(["1", "0", "11"], start=1):
        table.cell(2, col).text = value
    table.cell(3, 1).text = "８"
    report.add_paragraph("三、收到和处理政府信息公开申请情况")
    path = tmp_path / "report.docx"
    report.save(str(path))

    document = read(path)
    assert document.format == "docx"
    lines = document.text.splitlines()
    assert lines[0] == "二、主动公开政府信息情况"
    assert lines[1] == "第二十条第（一）项"
    assert lines[3] == "规章及规范性文件 | 1 | 0 | 11"
    assert lines[4] == " | 8 |  | "
    assert lines[-1] == "三、收到和处理政府信息公开申请情况"

    [grid] = document.grids
    assert len(grid) == 1 + 4 + 4 + 3  # one cell per merge, not one per grid position
    title, *_ = grid
    assert (title.text, title.row, title.col, title.rowspan, title.colspan) == (
        "第二十条第（一）项", 0, 0, 1, 4,
    )  # fmt: skip
    label = next(cell for cell in grid if cell.text == "规章及规范性文件")
    assert (label.row, label.col, label.rowspan, label.colspan) == (2, 0, 2, 1)
    eight = next(cell for cell in grid if cell.text == "8")
    assert (eight.row, eight.col) == (3, 1)
    for cell in grid:
        assert document.text[cell.span.start : cell.span.end] == cell.text


# --- PDF ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def printed_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A train report printed as a PDF at test time (tests/renderings.py), table 三 across pages."""
    return printed_pdf(tmp_path_factory.mktemp("pdf") / "report.pdf")


@pytest.fixture(scope="module")
def pdf_report(printed_report: Path) -> Document:
    return read(printed_report)


def numbers(row: list[str]) -> list[int]:
    return [int(text) for text in row if text.isdigit()]


def grid_rows(grid: tuple) -> dict[int, list]:
    rows: dict[int, list] = {}
    for cell in grid:
        rows.setdefault(cell.row, []).append(cell)
    return rows


def test_pdf_new_requests_row_holds_every_applicant_column(pdf_report: Document) -> None:
    found = [
        row
        for grid in pdf_report.grids
        for row in grid_rows(grid).values()
        if "本年新收政府信息公开申请数量" in row[0].text
    ]
    assert len(found) == 1
    [row] = found
    assert [cell.col for cell in row[1:]] == list(range(3, 10))
    gold = source_table_gold()
    columns = ("natural_person", "commercial", "research", "public_interest", "legal_service",
               "other_org", "total")  # fmt: skip
    assert numbers([cell.text for cell in row[1:]]) == [
        gold[f"requests.new_received.{column}"] for column in columns
    ]
    line = " | ".join(cell.text for cell in row)
    assert line in pdf_report.text.splitlines()


def test_pdf_merged_and_wrapped_labels_are_one_cell_each(pdf_report: Document) -> None:
    cells = [cell for grid in pdf_report.grids for cell in grid]
    by_text = {cell.text: cell for cell in cells}
    result = by_text["三、本年度办理结果"]  # merged down the 22 result rows
    assert (result.col, result.rowspan) == (0, 22)
    withheld = by_text["（三）不予公开"]
    assert (withheld.col, withheld.rowspan) == (1, 8)
    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" in by_text
    assert "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请" in by_text
    for cell in cells:
        assert pdf_report.text[cell.span.start : cell.span.end] == cell.text


def test_pdf_review_and_litigation_header_spans_fifteen_columns(pdf_report: Document) -> None:
    [grid] = [grid for grid in pdf_report.grids if any(c.text == "行政复议" for c in grid)]
    headers = {cell.text: cell for cell in grid if cell.row == 0}
    assert (headers["行政复议"].colspan, headers["行政诉讼"].colspan) == (5, 10)
    outcomes = [cell for cell in grid if cell.row == 2]  # 结果维持 … 总计 under each 行政诉讼 group
    assert [cell.col for cell in outcomes] == list(range(5, 15))


def test_pdf_tables_continue_in_order_and_footers_are_gone(pdf_report: Document) -> None:
    labels = [cell.text for grid in pdf_report.grids for cell in grid if cell.col == 0]
    assert labels.index("行政许可") < labels.index("行政处罚")
    assert labels.index("三、本年度办理结果") < labels.index("四、结转下年度继续办理")
    lines = pdf_report.text.splitlines()
    assert "行政许可 | 0" in lines and "行政事业性收费 | 0" in lines
    assert not any(line.strip() in {"- 1 -", "- 2 -", "- 3 -"} for line in lines)


def test_pdf_a_paragraph_cut_by_a_page_break_reads_on(tmp_path: Path) -> None:
    """A train report's prose printed over several pages: where a page ends mid-sentence, the
    next page's first line runs on, with the page number between them gone."""
    import pdfplumber

    path = tmp_path / "prose.pdf"
    needs_module("reportlab")
    write_pdf(read(shared_file("seeds/001_203cc56d6059fb6b.txt")), path)
    with pdfplumber.open(path) as printed:
        pages = [page.extract_text().splitlines() for page in printed.pages]
    cut = [
        (page[-2], following[0])  # the last line above the page number, the next page's first
        for page, following in zip(pages, pages[1:])
        if not page[-2].endswith(("。", "：", ":", "；"))
    ]
    assert cut  # the report has such a break
    text = read(path).text
    for end, start in cut:
        assert end + start in text


def test_same_input_gives_the_same_document(printed_report: Path, pdf_report: Document) -> None:
    assert read(printed_report) == pdf_report
    if SEEDS:
        assert read(SEEDS[0]) == read(SEEDS[0])


# --- errors -------------------------------------------------------------------------------------


def encrypted_pdf() -> bytes:
    """A one-page PDF locked by the standard security handler with a password we don't know."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -4 >>" % (b"11" * 32, b"22" * 32),
    ]
    body = bytearray(b"%PDF-1.4\n")
    starts = []
    for number, obj in enumerate(objects, start=1):
        starts.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, obj)
    xref = len(body)
    body += b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % s for s in starts)
    file_id = b"<" + b"33" * 16 + b">"
    body += b"trailer\n<< /Size 5 /Root 1 0 R /Encrypt 4 0 R /ID [%s %s] >>\n" % (file_id, file_id)
    body += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(body)


PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + bytes(64)
RANDOM_BYTES = random.Random(20240101).randbytes(4096)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", Errors.E003),
        ("blank.txt", " \n\t\r\n\u3000\n".encode(), Errors.E003),
        ("blank.html", b"<html><body><p> </p><script>x=1</script></body></html>", Errors.E003),
        ("image.txt", PNG, Errors.E004),
        ("noise", RANDOM_BYTES, Errors.E004),
    ],
)
def test_bad_text_input_is_one_line_error(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    path = write(tmp_path / name, data)
    with pytest.raises(InputError) as error:
        read(path)
    assert str(error.value) == message.format(path=path)


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.txt"
    with pytest.raises(InputError, match=r"^\[E001\] no such file or directory: ") as error:
        read(path)
    assert str(error.value) == Errors.E001.format(path=path)


def test_too_large_is_refused_before_reading(tmp_path: Path) -> None:
    path = write(tmp_path / "big.txt", RANDOM_BYTES * 300)  # binary: only the size check can pass
    with pytest.raises(InputError) as error:
        read(path, max_mb=1)
    assert str(error.value) == Errors.E006.format(path=path, size_mb=4096 * 300 / 2**20, limit_mb=1)


def test_unknown_suffix(tmp_path: Path) -> None:
    path = write(tmp_path / "report.xlsx", b"PK\x03\x04")
    with pytest.raises(InputError) as error:
        read(path)
    assert str(error.value) == Errors.E010.format(suffix=".xlsx", path=path)


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("locked.pdf", encrypted_pdf(), "the file is encrypted (password protected)"),
        ("cut.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catal", "Unexpected EOF"),
        ("cut.docx", b"PK\x03\x04 not really a zip", "not a zip file"),
    ],
)
def test_damaged_documents_name_the_reason(
    tmp_path: Path, name: str, data: bytes, expected: str
) -> None:
    path = write(tmp_path / name, data)
    with pytest.raises(InputError) as error:
        read(path)
    message = Errors.E007 if name.endswith(".pdf") else Errors.E008
    assert str(error.value).startswith(message.format(path=path, reason="").rstrip())
    assert expected in str(error.value)
    assert "\n" not in str(error.value)
