"""PDF → Layout with pdfplumber: prose reflowed into paragraphs, ruled tables read as grids.

pdfplumber gives a table as rows of cells, ``None`` where a merged cell covers the position. We
place cells by their bounding boxes instead, so a merged cell becomes one cell whose rowspan and
colspan say what it covers: the vertical label 三、本年度办理结果 is one cell with rowspan 11,
and a row's full label is read off the cells whose row range covers that row.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pdfplumber
from pdfplumber.page import Page
from pdfplumber.table import Table

from ie.read_layout import Layout, RawCell
from ie.textnorm import cell_text, join_wrapped

# "- 4 -", "第 4 页", "第4页 共6页", "4/6": page furniture, not report text.
PAGE_FOOTER = re.compile(
    r"^(?:[-—–－]\s*\d+\s*[-—–－]|第\s*\d+\s*页(?:\s*[,，]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)$"
)
SENTENCE_END = tuple("。：:；;！!？?")
SNAP = 1.0  # points: table edges closer than this are the same grid line


@dataclass
class _Line:
    text: str
    top: float
    x1: float
    height: float


@dataclass
class _Grid:
    top: float
    cells: list[RawCell]


def read_pdf(source: Path | BinaryIO) -> Layout:
    """Extract a PDF's text; pdfminer's own exceptions propagate to the caller."""
    with pdfplumber.open(source) as pdf:
        pages = [_page_items(page) for page in pdf.pages]
    lines = [item for items in pages for item in items if isinstance(item, _Line)]
    margin = _right_margin(lines)
    layout = Layout()
    paragraph = ""
    previous: _Line | None = None
    # Pages run on: a paragraph cut by a page break continues on the next page.
    for items in pages:
        for item in items:
            if isinstance(item, _Grid):
                layout.line(paragraph)
                paragraph, previous = "", None
                layout.table(item.cells)
            elif previous is not None and _runs_on(previous, margin):
                paragraph = join_wrapped(paragraph, item.text)
                previous = item
            else:
                layout.line(paragraph)
                paragraph, previous = item.text, item
    layout.line(paragraph)
    return layout


def _page_items(page: Page) -> list[_Line | _Grid]:
    """A page's prose lines and tables, top to bottom, footers left out."""
    tables = [(table.bbox, cells) for table in page.find_tables() if (cells := _grid(table))]
    boxes = [box for box, _ in tables]
    grids: list[_Line | _Grid] = [_Grid(box[1], cells) for box, cells in tables]
    prose = page.filter(lambda obj: not any(_inside(obj, box) for box in boxes))
    lines: list[_Line | _Grid] = [
        _Line(line["text"].strip(), line["top"], line["x1"], line["bottom"] - line["top"])
        for line in prose.extract_text_lines()
        if line["text"].strip() and not PAGE_FOOTER.match(line["text"].strip())
    ]
    return sorted(lines + grids, key=lambda item: item.top)


def _inside(obj: dict, box: tuple[float, float, float, float]) -> bool:
    if "x0" not in obj or "top" not in obj:
        return False
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _right_margin(lines: list[_Line]) -> float:
    """Where full lines end: the most common right edge of the longer lines."""
    edges = Counter(round(line.x1) for line in lines if len(line.text) >= 10)
    if edges:
        return float(edges.most_common(1)[0][0])
    return max((line.x1 for line in lines), default=0.0)


def _runs_on(line: _Line, margin: float) -> bool:
    """A line that fills the width and ends mid-sentence was wrapped by layout."""
    return line.x1 >= margin - 1.5 * line.height and not line.text.endswith(SENTENCE_END)


def _grid(table: Table) -> list[RawCell]:
    """The table's cells on a grid from their boxes; [] for a frame around prose (one column)."""
    boxes = table.cells
    tops = _grid_lines(box[1] for box in boxes)
    lefts = _grid_lines(box[0] for box in boxes)
    if len(lefts) < 2:
        return []
    texts = {
        box: text or ""
        for row, extracted in zip(table.rows, table.extract(), strict=True)
        for box, text in zip(row.cells, extracted, strict=True)
        if box is not None
    }
    cells = []
    for box in sorted(boxes, key=lambda box: (box[1], box[0])):
        row, col = _index(tops, box[1]), _index(lefts, box[0])
        rowspan = max(1, sum(box[1] - SNAP < top < box[3] - SNAP for top in tops))
        colspan = max(1, sum(box[0] - SNAP < left < box[2] - SNAP for left in lefts))
        cells.append(RawCell(cell_text(texts.get(box, "")), row, col, rowspan, colspan))
    filled_per_row = Counter(cell.row for cell in cells if cell.text)
    if max(filled_per_row.values(), default=0) < 2:
        return []
    return cells


def _grid_lines(values: Iterable[float]) -> list[float]:
    """Distinct coordinates, ones within SNAP of each other counted once."""
    lines: list[float] = []
    for value in sorted(values):
        if not lines or value - lines[-1] > SNAP:
            lines.append(value)
    return lines


def _index(lines: list[float], value: float) -> int:
    return min(range(len(lines)), key=lambda index: abs(lines[index] - value))
