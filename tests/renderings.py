"""A train report re-rendered at test time in the forms reports are published and converted in:
markdown pipe tables (merged cells repeated or left empty), markdown with embedded HTML tables, web
pages (blank cells, header spans that disagree with the data rows, tables nested in editors' <div>s
and layout tables), DOCX with merged cells and PDFs whose tables run across pages.

The report is ``SOURCE``, a train-split 2021 report (annotations/splits.json: no test-split
document is read here): its prose as printed, and its tables printed on the official template
(table 二, 三 and 四 with their merged cells, ``benchmarks.layouts.template``) holding the values
its gold facts give; a cell gold has no value for is printed blank. Nothing is written into the
project: the text comes from ../shared each time, and the expected values are the report's gold
facts (``source_gold``)."""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ie.document import Document
from ie.read import read, read_bytes
from ie.schema import load_schema
from ie.tables import find_tables
from ie.types import Cell

# Train split, vintage 2021: prose with a request count, table 二 complete, table 三's rows 一 and
# 二 (3 new requests from 自然人, 总计 3): the only train/dev 2021 report whose table 三 holds a
# figure other than 0.
SOURCE = "corpus/v2021/2023-10.txt"


def source_gold(document: str = SOURCE) -> dict:
    from ie.eval.gold import gold_path

    return json.loads(gold_path(document).read_text(encoding="utf-8"))


def source_table_gold(document: str = SOURCE) -> dict[str, float]:
    """field id → value of every gold table cell: what each rendering must read back."""
    return {
        f["field_id"]: f["value"]
        for f in source_gold(document)["facts"]
        if f["origin"] == "table" and not f.get("qualifier")
    }


def source_page(path: Path, document: str = SOURCE) -> str:
    """The report as a web page: its prose as paragraphs (the text outside its tables, headings
    inside a table's run dropped), and at the place of its first table the template's three tables,
    each under its title, holding the gold table values."""
    from benchmarks.layouts.template import template_tables

    report = read(path)
    gold = source_gold(document)
    vintage = load_schema()[gold["vintage"]]
    tables = find_tables(report)
    spans = sorted((t.span.start, t.span.end) for t in tables)
    pieces, position = [], 0
    for start, end in spans:
        pieces.append(report.text[position:start])
        pieces.append("\0")  # where a table stood
        position = end
    pieces.append(report.text[position:])
    body, placed = [], False
    for piece in pieces:
        if piece == "\0":
            if not placed:
                for table in template_tables(vintage, source_table_gold(document)):
                    body.append(f"<p>{html.escape(table.title)}</p>")
                    body.append(_template_table(table.rows))
                placed = True
            continue
        body += [f"<p>{html.escape(line)}</p>" for line in piece.splitlines() if line.strip()]
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>'
        + "\n".join(body)
        + "</body></html>"
    )


def _template_table(rows: tuple) -> str:
    out = ['<table border="1">']
    for row in rows:
        tds = []
        for block in row:
            attrs = f' rowspan="{block.rowspan}"' if block.rowspan > 1 else ""
            attrs += f' colspan="{block.colspan}"' if block.colspan > 1 else ""
            tds.append(f"<td{attrs}>{html.escape(block.text)}</td>")
        out.append("<tr>" + "".join(tds) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


@cache
def _rendered(path: Path, document: str) -> Document:
    return read_bytes(source_page(path, document).encode("utf-8"), "report.html")


def rendered_source(document: str = SOURCE) -> Document:
    """The report with its tables as grids (read back from ``source_page``): what every other
    rendering here prints again. Skips (fails under CI) without ../shared."""
    from tests.helpers import shared_file

    return _rendered(shared_file(document), document)


@dataclass
class Block:
    """A prose line, or a table as a matrix of cells (a merged cell stands at its origin only)."""

    line: str = ""
    grid: tuple[Cell, ...] = ()


def blocks(document: Document) -> list[Block]:
    """The report as prose lines and tables, in order."""
    result: list[Block] = []
    position = 0
    for grid in document.grids:
        start = min(c.span.start for c in grid)
        end = max(c.span.end for c in grid)
        result += [Block(line=line) for line in document.text[position:start].splitlines() if line]
        result.append(Block(grid=grid))
        position = document.text.find("\n", end)
        position = len(document.text) if position < 0 else position
    result += [Block(line=line) for line in document.text[position:].splitlines() if line]
    return result


def matrix(grid: tuple[Cell, ...], repeat: bool) -> list[list[str]]:
    """Rows × columns of text; a merged cell repeated over what it covers, or printed once."""
    width = max(c.col + c.colspan for c in grid)
    height = max(c.row + c.rowspan for c in grid)
    rows = [["" for _ in range(width)] for _ in range(height)]
    for cell in grid:
        for row in range(cell.row, cell.row + cell.rowspan):
            for col in range(cell.col, cell.col + cell.colspan):
                if repeat or (row, col) == (cell.row, cell.col):
                    rows[row][col] = cell.text
    return rows


def markdown(document: Document, repeat: bool, html_tables: bool = False) -> str:
    """The report as a converter writes it: pipe tables, or HTML tables inside the markdown."""
    out = [f"# {document.text.splitlines()[0]}", ""]
    for block in blocks(document)[1:]:
        if block.grid and html_tables:
            out += [html_table(block.grid, blank=lambda cell: False), ""]
        elif block.grid:
            rows = matrix(block.grid, repeat)
            out.append("| " + " | ".join(rows[0]) + " |")
            out.append("|" + "---|" * len(rows[0]))
            out += ["| " + " | ".join(row) + " |" for row in rows[1:]]
            out.append("")
        elif block.line.startswith(("一、", "二、", "三、", "四、", "五、", "六、")):
            out += [f"## **{block.line}**", ""]
        else:
            out += [block.line, ""]
    return "\n".join(out)


def html_table(
    grid: tuple[Cell, ...],
    blank: Callable[[Cell], bool],
    colspan: Callable[[Cell], int] = lambda cell: cell.colspan,
) -> str:
    """One <table> with the grid's spans; ``blank`` cells print &nbsp; instead of their text."""
    rows: dict[int, list[Cell]] = {}
    for cell in grid:
        rows.setdefault(cell.row, []).append(cell)
    out = ['<table border="1" cellspacing="0">']
    for row in sorted(rows):
        tds = []
        for cell in sorted(rows[row], key=lambda c: c.col):
            attrs = ""
            if cell.rowspan > 1:
                attrs += f' rowspan="{cell.rowspan}"'
            if colspan(cell) > 1:
                attrs += f' colspan="{colspan(cell)}"'
            text = "&nbsp;" if blank(cell) else html.escape(cell.text)
            tds.append(f'<td{attrs}><p style="text-align:center"><span>{text}</span></p></td>')
        out.append("<tr>" + "".join(tds) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def web_page(document: Document, table: Callable[[tuple[Cell, ...]], str], depth: int = 3) -> str:
    """The report as a government site serves it: a layout table around the article, the article
    inside ``depth`` nested editor <div>s, one <p> per paragraph."""
    body = []
    for block in blocks(document):
        body.append(table(block.grid) if block.grid else f"<p>{html.escape(block.line)}</p>")
    article = "\n".join(body)
    for level in range(depth):
        article = f'<div class="TRS_Editor l{level}">{article}</div>'
    return (
        '<!DOCTYPE html><html><head><meta charset="gbk"><title>政府信息公开工作年度报告</title>'
        '</head><body><table width="100%"><tr><td>首页 &gt; 政务公开</td></tr>'
        f"<tr><td>{article}</td></tr><tr><td>主办单位：某某市人民政府办公室</td></tr></table>"
        "</body></html>"
    )


def write_docx(
    document: Document, path: Path, blank: Callable[[Cell], bool] = lambda cell: False
) -> None:
    """The report as a Word file: each table with its merged cells merged (gridSpan, vMerge),
    ``blank`` cells left empty."""
    import docx

    report = docx.Document()
    for block in blocks(document):
        if not block.grid:
            report.add_paragraph(block.line)
            continue
        width = max(c.col + c.colspan for c in block.grid)
        height = max(c.row + c.rowspan for c in block.grid)
        table = report.add_table(rows=height, cols=width)
        for cell in block.grid:
            target = table.cell(cell.row, cell.col)
            last = table.cell(cell.row + cell.rowspan - 1, cell.col + cell.colspan - 1)
            if last._tc is not target._tc:
                target = target.merge(last)
            target.text = "" if blank(cell) else cell.text
    report.save(str(path))


def write_pdf(
    document: Document,
    path: Path,
    repeat_header: bool = True,
    split_rows: bool = False,
    spacer: float = 380,
    running_head: str = "",
    ruled: bool = True,
) -> None:
    """The report as a printed PDF (reportlab, the CID font STSong-Light that every PDF reader
    has, so no font file is needed): ruled tables with their merged cells, running across pages
    with the header rows repeated on each page, a page number at the foot of every page and, if
    given, a running head at the top."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    prose = ParagraphStyle("prose", fontName="STSong-Light", fontSize=11, leading=16,
                           wordWrap="CJK")  # fmt: skip
    small = ParagraphStyle("cell", fontName="STSong-Light", fontSize=7, leading=9, wordWrap="CJK")
    story = []
    for block in blocks(document):
        if not block.grid:
            story.append(Paragraph(html.escape(block.line), prose))
            continue
        rows = matrix(block.grid, repeat=False)
        width = len(rows[0])
        header_rows = 0
        while header_rows < len(rows) and not any(t.isdigit() for t in rows[header_rows]):
            header_rows += 1
        data = [
            [Paragraph(html.escape(text), small) if text else "" for text in row] for row in rows
        ]
        style = [("FONTNAME", (0, 0), (-1, -1), "STSong-Light"),
                 ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]  # fmt: skip
        if ruled:
            style.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
        for cell in block.grid:
            if split_rows and cell.rowspan > 1:
                continue  # reportlab cannot split a row under a vertical merge: printed once
            if cell.rowspan > 1 or cell.colspan > 1:
                last = (cell.col + cell.colspan - 1, cell.row + cell.rowspan - 1)
                style.append(("SPAN", (cell.col, cell.row), last))
        if len(rows) > 20:  # start table 三 halfway down a page, so that it runs onto the next
            story.append(Spacer(1, spacer))
        label_width = 160 if width > 8 else 120
        col_widths = (
            [label_width / 3] * 3 + [(A4[0] - 100 - label_width) / (width - 3)] * (width - 3)
            if width > 8
            else None
        )
        table = LongTable(data, colWidths=col_widths, repeatRows=header_rows if repeat_header else 0,
                          splitInRow=int(split_rows))  # fmt: skip
        table.setStyle(TableStyle(style))
        story.append(table)

    def footer(canvas, doc) -> None:  # noqa: ANN001 - reportlab's callback signature
        canvas.setFont("STSong-Light", 9)
        canvas.drawCentredString(A4[0] / 2, 30, f"- {doc.page} -")
        if running_head:
            canvas.drawString(50, A4[1] - 35, running_head)

    SimpleDocTemplate(str(path), pagesize=A4, leftMargin=50, rightMargin=50, topMargin=50,
                      bottomMargin=50).build(story, onFirstPage=footer, onLaterPages=footer)  # fmt: skip


def write_image_pdf(pdf: Path, path: Path, dpi: int = 150) -> None:
    """``pdf`` as a scan: each page rasterised (pypdfium2) and written as a picture (Pillow), so
    the result has no text layer. The CJK glyphs need a system font for pypdfium2 to draw
    STSong-Light with (CI installs fonts-wqy-microhei)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        pages = [page.render(scale=dpi / 72, grayscale=True).to_pil() for page in document]
    finally:
        document.close()
    pages[0].save(path, save_all=True, append_images=pages[1:], resolution=dpi)
