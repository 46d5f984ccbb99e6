"""How tables reach users: flattened by a crawler, printed as markdown by a converter, HTML with blanks.

Each writer takes the cells it is given and prints them the way the tool in the wild does; none of
them knows what the reader of ie does with the result.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace

from benchmarks.layouts.sources import TableRegion
from benchmarks.layouts.template import Block, RenderedTable, expand

# A crawler keeps headings and breadcrumbs on their own lines; only table cells lose separators.
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、\D*情况$|.*年度报告|首页|.*\s/\s)")

# What stands between cells in the source (pipes, tabs, rules of dashes) is not content.
_SEPARATORS = re.compile(r"[|｜\s\-—]+")

CHROME_TOP = "首页 > 政务公开 > 政府信息公开年报\n【字体：大 中 小】 【打印】 【关闭】\n"
CHROME_BOTTOM = (
    "\n【打印本页】 【关闭窗口】\n"
    "主办单位：人民政府办公室  网站标识码：3200000001  备案号：ICP备05000001号-1\n"
    "联系电话：0517-83600000  技术支持：大数据中心\n"
)


def is_heading(text: str) -> bool:
    """A heading or breadcrumb a crawler keeps on a line of its own."""
    return bool(_HEADING.match(text))


def flatten(text: str, regions: tuple[TableRegion, ...], cell_joiner: str, row_joiner: str) -> str:
    """The page text with each table's cells run together, as a crawler's text extraction does."""
    pieces, position = [], 0
    for region in regions:
        pieces += [
            text[position : region.start],
            _flat_table(text, region, cell_joiner, row_joiner),
        ]
        position = region.end
    pieces.append(text[position:])
    return CHROME_TOP + "".join(pieces) + CHROME_BOTTOM


def _flat_table(text: str, region: TableRegion, cell_joiner: str, row_joiner: str) -> str:
    """Cells of a row joined by ``cell_joiner``, rows by ``row_joiner``; headings and any prose
    that stood between the cells keep lines of their own."""
    out: list[str] = []
    previous_row, position = None, region.start
    for row, cell in region.cells():
        gap = text[position : cell.start].strip()
        if _SEPARATORS.sub("", gap):  # a wrapped note or a paragraph inside the table's run
            out.append(f"\n{gap}\n")
            previous_row = None
        if is_heading(cell.text):
            out.append(f"\n{cell.text}\n")
            previous_row = None
        else:
            if previous_row is not None:
                out.append(cell_joiner if row == previous_row else row_joiner)
            out.append(cell.text)
            previous_row = row
        position = cell.end
    if _SEPARATORS.sub("", text[position : region.end]):
        out.append(text[position : region.end])
    return re.sub(r"\n{2,}", "\n", "".join(out)).strip("\n")


def markdown_table(table: RenderedTable, merged: str) -> str:
    """A pipe table; a merged cell printed ``repeat``ed in every position or once, the rest ``empty``."""
    grid = expand(table.rows)
    lines = []
    for index, row in enumerate(grid):
        texts = [_lines(b.text, "<br>") if first or merged == "repeat" else "" for b, first in row]
        lines.append("|" + "|".join(texts) + "|")
        if index == 0:
            lines.append("|" + "|".join("---" for _ in row) + "|")
    return "\n".join(lines)


def html_table(table: RenderedTable, blank_zero: bool = False) -> str:
    """An HTML table with its spans; with ``blank_zero`` a zero prints as ``&nbsp;``."""
    rows = []
    for row in table.rows:
        cells = []
        for block in row:
            attrs = "".join(
                f' {name}="{span}"'
                for name, span in (("rowspan", block.rowspan), ("colspan", block.colspan))
                if span > 1
            )
            text = _lines(html.escape(block.text), "<br>")
            if block.field_id and (not text or (blank_zero and block.text == "0")):
                text = "&nbsp;"
            cells.append(f"<td{attrs}>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return '<table border="1" cellspacing="0">\n' + "\n".join(rows) + "\n</table>"


def _lines(text: str, line_break: str) -> str:
    """A label broken over two lines, as a cell prints it: ``<br>`` in markdown and HTML."""
    return text.replace("\n", line_break)


def blank_totals(table: RenderedTable) -> tuple[RenderedTable, set[str]]:
    """表三's 总计 column left blank, as some agencies print it; returns the fields it blanked."""
    blanked: set[str] = set()
    rows = []
    for row in table.rows:
        cells = []
        for block in row:
            if block.field_id.startswith("requests.") and block.field_id.endswith(".total"):
                blanked.add(block.field_id)
                block = replace(block, text="")
            cells.append(block)
        rows.append(tuple(cells))
    return RenderedTable(table.title, tuple(rows)), blanked


def mismatch_header_spans(table: RenderedTable) -> RenderedTable:
    """Header spans that disagree with the data rows', as web editors leave them: the first header
    cell one column narrower (表三's note cell over three label columns printed as two) and the
    group headers of 表四 one column short."""
    rows = list(table.rows)
    for index, row in enumerate(rows[:3]):
        cells = list(row)
        for position, block in enumerate(cells):
            if block.header and block.colspan > 2:
                cells[position] = replace(block, colspan=block.colspan - 1)
                break
        rows[index] = tuple(cells)
    return RenderedTable(table.title, tuple(rows))


def html_page(title: str, before: str, tables: list[str], after: str) -> str:
    """A web page as a CMS prints one: nested divs, one <p> per paragraph, tables in between."""

    def paragraphs(text: str) -> str:
        return "\n".join(
            f"<p>{html.escape(line.strip())}</p>" for line in text.splitlines() if line.strip()
        )

    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>'
        + html.escape(title)
        + '</title></head>\n<body><div class="main"><div class="article"><div class="TRS_Editor">\n'
        + paragraphs(before)
        + "\n"
        + "\n".join(tables)
        + "\n"
        + paragraphs(after)
        + "\n</div></div></div></body></html>\n"
    )


__all__ = ["Block", "flatten", "markdown_table", "html_table", "html_page"]
