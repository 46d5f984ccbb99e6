"""PDF → Layout with pdfplumber: prose reflowed into paragraphs, ruled tables read as grids.

pdfplumber gives a table as rows of cells, ``None`` where a merged cell covers the position. We
place cells by their bounding boxes instead, so a merged cell becomes one cell whose rowspan and
colspan say what it covers: the vertical label 三、本年度办理结果 is one cell with rowspan 11,
and a row's full label is read off the cells whose row range covers that row.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pdfplumber
from pdfplumber.page import Page
from pdfplumber.table import Table

from ie.read import ocr
from ie.read.layout import Layout, RawCell
from ie.read.limits import CellCounter, TooManyCells, max_cells
from ie.read.textnorm import cell_text, join_wrapped
from ie.text.conventions import UNFOLDED_LINE_ENDS

# "- 4 -", "第 4 页", "第4页 共6页", "4/6": page furniture, not report text.
PAGE_FOOTER = re.compile(
    r"^(?:[-—–－]\s*\d+\s*[-—–－]|第\s*\d+\s*页(?:\s*[,，]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)$"
)
SNAP = 1.0  # points: table edges closer than this are the same grid line
COLUMN_TOLERANCE = 4.0  # points: a table continued on the next page keeps its columns
SCAN_MAX_CHARS = 20  # per page: fewer characters than this on pages with images is a scan
NUMBERED = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．)）])"
)
DIGITS = re.compile(r"\d+")
MIN_PAGES_FOR_RUNNING = 3
NUMBER = re.compile(r"^-?[\d,.]+$")


@dataclass
class _Line:
    text: str
    top: float
    x1: float
    height: float
    score: float | None = None  # the recogniser's, for a line read by OCR
    apart: bool = False  # recognised boxes with wide gaps between: a table's row, never run on


@dataclass
class _Grid:
    top: float
    cells: list[RawCell]
    lefts: list[float] = field(default_factory=list)  # x of each column's left edge
    right: float = 0.0


def read_pdf(source: Path | BinaryIO, ocr_mode: str = "never") -> Layout:
    """Extract a PDF's text; pdfminer's own exceptions propagate to the caller. ``ocr_mode``
    (``ie.read.ocr``): which pages are recognised instead (``auto``: pages without a text layer).
    A scan (pages that are pictures) not recognised gives an empty layout: the caller says
    there is no text layer."""
    with pdfplumber.open(source) as pdf:
        pages = [_page_items(page) for page in pdf.pages]
        wanted = [
            index
            for index, page in enumerate(pdf.pages)
            if ocr_mode == "always" or (ocr_mode == "auto" and _picture(page))
        ]
        if wanted and ocr.available():
            for index in wanted:
                pages[index] = _recognised_items(pdf.pages[index])
        elif _scanned(pdf.pages):
            return Layout()
    _drop_running_lines(pages)
    _join_across_pages(pages)
    lines = [item for items in pages for item in items if isinstance(item, _Line)]
    margin = _right_margin(lines)
    layout = Layout()
    paragraph = ""
    recognised: list[tuple[int, int, float]] = []  # pieces of the paragraph read by OCR
    previous: _Line | None = None
    # Pages run on: a paragraph cut by a page break continues on the next page.
    for items in pages:
        for item in items:
            if isinstance(item, _Grid):
                layout.line(paragraph, recognised)
                paragraph, recognised, previous = "", [], None
                layout.table(item.cells)
                continue
            if previous is not None and _runs_on(previous, margin) and not (
                previous.apart or item.apart
            ):
                paragraph = join_wrapped(paragraph, item.text)
            else:
                layout.line(paragraph, recognised)
                paragraph, recognised = item.text, []
            if item.score is not None:
                recognised.append((len(paragraph) - len(item.text), len(paragraph), item.score))
            previous = item
    layout.line(paragraph, recognised)
    return layout


def _page_items(page: Page) -> list[_Line | _Grid]:
    """A page's prose lines and tables, top to bottom, footers left out."""
    tables = [(table, cells) for table in page.find_tables() if (cells := _grid(table))]
    boxes = [table.bbox for table, _ in tables]
    grids: list[_Line | _Grid] = [
        _Grid(table.bbox[1], cells, _grid_lines(box[0] for box in table.cells), table.bbox[2])
        for table, cells in tables
    ]
    prose = page.filter(lambda obj: not any(_inside(obj, box) for box in boxes))
    lines: list[_Line | _Grid] = [
        _Line(line["text"].strip(), line["top"], line["x1"], line["bottom"] - line["top"])
        for line in prose.extract_text_lines()
        if line["text"].strip() and not PAGE_FOOTER.match(line["text"].strip())
    ]
    return sorted(lines + grids, key=lambda item: item.top)


def _recognised_items(page: Page) -> list[_Line | _Grid]:
    """A page without a text layer, recognised: its lines and tables as ``_page_items`` gives
    a printed page's (``ie.read.ocr``)."""
    image = page.to_image(resolution=ocr.DPI).original
    boxes = ocr.recognise(image)
    items: list[_Line | _Grid] = []
    horizontal, vertical = ocr.rules(image)
    if len(horizontal) >= 2 and len(vertical) >= 2:
        settings = {"vertical_strategy": "explicit", "horizontal_strategy": "explicit",
                    "explicit_vertical_lines": vertical, "explicit_horizontal_lines": horizontal}  # fmt: skip
        for table in page.find_tables(settings):
            inside = [box for box in boxes if _holds(table.bbox, box.centre)]
            cells = _grid(table, lambda cell, inside=inside: [b for b in inside if _holds(cell, b.centre)])
            if cells:
                lefts = _grid_lines(box[0] for box in table.cells)
                items.append(_Grid(table.bbox[1], cells, lefts, table.bbox[2]))
                boxes = [box for box in boxes if box not in inside]
    for block in ocr.blocks(boxes):
        if block.columns:
            items.append(_recognised_grid(block))
            continue
        row = block.rows[0]
        boxes = [box for cell in row for box in cell]
        text = " ".join(ocr.text_of(cell) for cell in row)
        if PAGE_FOOTER.match(text):
            continue
        top = min(box.top for box in boxes)
        height = max(box.bottom for box in boxes) - top
        items.append(_Line(text, top, max(box.x1 for box in boxes), height,
                           min(box.score for box in boxes), apart=len(row) > 1))  # fmt: skip
    return sorted(items, key=lambda item: item.top)


def _holds(bbox: tuple[float, float, float, float], point: tuple[float, float]) -> bool:
    return bbox[0] <= point[0] <= bbox[2] and bbox[1] <= point[1] <= bbox[3]


def _recognised_grid(block: ocr.Block) -> _Grid:
    """A recognised table: each cell in the column it overlaps most, spanning the columns it
    reaches into (a merged header)."""
    CellCounter().add(len(block.rows) * len(block.columns))
    cells = []
    for row_index, row in enumerate(block.rows):
        placed: dict[int, RawCell] = {}
        for cell in row:
            first = ocr.column_of(cell[:1], block.columns)
            last = ocr.column_of(cell[-1:], block.columns)
            col = ocr.column_of(cell, block.columns) if first == last else first
            text, score = cell_text(ocr.text_of(cell)), min(box.score for box in cell)
            if col in placed:  # two pieces of one cell's text, apart
                placed[col].text = join_wrapped(placed[col].text, text)
                placed[col].score = min(score, placed[col].score or 1.0)
                continue
            placed[col] = RawCell(text, row_index, col, 1, max(1, last - col + 1), score)
            cells.append(placed[col])
    lefts = [left for left, _ in block.columns]
    return _Grid(block.top, cells, lefts, block.columns[-1][1])


def _picture(page: Page) -> bool:
    """A page without a text layer: an image on it and next to no characters."""
    return bool(page.images) and len(page.chars) < SCAN_MAX_CHARS


def _scanned(pages: list[Page]) -> bool:
    """Pages that are pictures: images on them and next to no characters (a scan, or a page
    number stamped on one)."""
    chars = sum(len(page.chars) for page in pages)
    return any(page.images for page in pages) and chars < SCAN_MAX_CHARS * len(pages)


def _drop_running_lines(pages: list[list[_Line | _Grid]]) -> None:
    """Running heads and feet the footer pattern does not know (the report's title, "第3页 共6页"
    in a frame of its own): a line printed at the same height on several pages, page numbers
    aside, is page furniture. Left in, it would also stand between two parts of a table."""
    if len(pages) < MIN_PAGES_FOR_RUNNING:
        return
    seen: Counter[tuple[int, str]] = Counter()
    for items in pages:
        seen.update({_furniture_key(item) for item in items if isinstance(item, _Line)})
    running = {key for key, count in seen.items() if count >= max(2, len(pages) // 2)}
    for items in pages:
        items[:] = [
            item
            for item in items
            if not (isinstance(item, _Line) and _furniture_key(item) in running)
        ]


def _furniture_key(line: _Line) -> tuple[int, str]:
    return round(line.top), DIGITS.sub("#", line.text)


def _join_across_pages(pages: list[list[_Line | _Grid]]) -> None:
    """A table that ends one page and starts the next with the same columns is one table (in
    place): its repeated header rows go, and a row or a group label the page break cut in two is
    joined again."""
    previous: _Grid | None = None
    for items in pages:
        if previous is not None and items and isinstance(items[0], _Grid):
            if _same_columns(previous, items[0]):
                _append_rows(previous, items.pop(0).cells)
                if not items:
                    continue  # the table fills the page and may run on to the next one
        previous = items[-1] if items and isinstance(items[-1], _Grid) else None


def _same_columns(upper: _Grid, lower: _Grid) -> bool:
    """The same frame, and one part's column lines all among the other's (a part whose rows all
    span the label columns draws fewer of them); both parts are put on the finer set of columns."""
    if not upper.lefts or not lower.lefts:
        return False
    if abs(upper.lefts[0] - lower.lefts[0]) > COLUMN_TOLERANCE:
        return False
    if abs(upper.right - lower.right) > COLUMN_TOLERANCE:
        return False
    coarse, fine = sorted((upper, lower), key=lambda grid: len(grid.lefts))
    if not all(min(abs(x - y) for y in fine.lefts) <= COLUMN_TOLERANCE for x in coarse.lefts):
        return False
    for grid in (upper, lower):
        _regrid(grid, fine.lefts)
    return True


def _regrid(grid: _Grid, lefts: list[float]) -> None:
    """Column indices of ``grid`` renumbered on the column lines ``lefts`` (a superset)."""
    edges = grid.lefts + [grid.right]
    for cell in grid.cells:
        start = _index(lefts, edges[cell.col])
        end = edges[cell.col + cell.colspan]
        stop = len(lefts) if end >= grid.right - COLUMN_TOLERANCE else _index(lefts, end)
        cell.col, cell.colspan = start, max(1, stop - start)
    grid.lefts = list(lefts)


def _append_rows(grid: _Grid, cells: list[RawCell]) -> None:
    rows = 1 + max(cell.row + cell.rowspan - 1 for cell in grid.cells)
    cells = _without_repeated_header(grid.cells, cells)
    if not cells:
        return
    first_row = min(cell.row for cell in cells)
    upper = [cell for cell in grid.cells if cell.row + cell.rowspan == rows]
    lower = [cell for cell in cells if cell.row == first_row]
    covering = {cell.col: cell for cell in upper}
    row_cut = _row_cut(upper, lower, covering)
    joined: set[int] = set()
    for cell in lower:
        above = covering.get(cell.col)
        if above is None or above.colspan != cell.colspan:
            continue
        if row_cut and (not above.text or not cell.text):
            above.text = above.text or cell.text
        elif (row_cut or _group_label(above, upper) and _group_label(cell, lower)) and _continues(
            above, cell
        ):
            above.text += cell.text
        else:
            continue
        above.rowspan += cell.rowspan - 1 if row_cut else cell.rowspan
        joined.add(id(cell))
    shift = rows - first_row - (1 if row_cut else 0)
    for cell in cells:
        if id(cell) not in joined:
            cell.row += shift
            grid.cells.append(cell)
    if len(grid.cells) > max_cells():  # a table continued over many pages is one table
        raise TooManyCells(max_cells())


def _row_cut(upper: list[RawCell], lower: list[RawCell], covering: dict[int, RawCell]) -> bool:
    """The page break cut a row in two: one part holds no number, the lower part's labels carry
    no numbering of their own, and each of its cells joins the cell above it or fills a blank."""
    if any(_is_number(c.text) for c in upper) and any(_is_number(c.text) for c in lower):
        return False
    if not any(c.text for c in lower) or any(NUMBERED.match(c.text) for c in lower):
        return False
    for cell in lower:
        above = covering.get(cell.col)
        if above is None or above.colspan != cell.colspan:
            return False
        if above.text and cell.text and not _continues(above, cell):
            return False
    return True


def _group_label(cell: RawCell, row: list[RawCell]) -> bool:
    """A label with another label to its right in its row: it names a group of rows."""
    return (
        bool(cell.text)
        and not _is_number(cell.text)
        and any(other.col > cell.col and other.text and not _is_number(other.text) for other in row)
    )


def _without_repeated_header(upper: list[RawCell], lower: list[RawCell]) -> list[RawCell]:
    """The lower part without the first rows that repeat the table's first rows."""

    def row_texts(cells: list[RawCell], row: int) -> list[tuple[int, str]]:
        return sorted((cell.col, cell.text) for cell in cells if cell.row == row)

    row = min(cell.row for cell in lower)
    top = min(cell.row for cell in upper)
    while row_texts(lower, row) and row_texts(lower, row) == row_texts(upper, top):
        if any(_is_number(cell.text) for cell in lower if cell.row == row):
            break  # a data row equal to the first one is data
        row, top = row + 1, top + 1
    return [cell for cell in lower if cell.row >= row]


def _continues(above: RawCell, cell: RawCell) -> bool:
    """A label cut by the page break: the part below has no numbering of its own (（四）无 /
    法提供), and neither part is a number."""
    if _is_number(above.text) or _is_number(cell.text) or not cell.text:
        return False
    return not NUMBERED.match(cell.text)


def _is_number(text: str) -> bool:
    return bool(NUMBER.match(text.strip()))


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
    return line.x1 >= margin - 1.5 * line.height and not line.text.endswith(UNFOLDED_LINE_ENDS)


def _grid(
    table: Table, recognised: Callable[[tuple], list[ocr.Box]] | None = None
) -> list[RawCell]:
    """The table's cells on a grid from their boxes; [] for a frame around prose (one column).
    ``recognised``: the OCR boxes of a cell, for a table found on a page image."""
    boxes = table.cells
    CellCounter().add(len(boxes))  # before the text of millions of cells is extracted
    tops = _grid_lines(box[1] for box in boxes)
    lefts = _grid_lines(box[0] for box in boxes)
    if len(lefts) < 2:
        return []
    texts: dict = {}
    scores: dict = {}
    if recognised is None:
        texts = {
            box: text or ""
            for row, extracted in zip(table.rows, table.extract(), strict=True)
            for box, text in zip(row.cells, extracted, strict=True)
            if box is not None
        }
    else:
        for box in boxes:
            found = recognised(box)
            if found:
                texts[box] = ocr.text_of(ocr.in_reading_order(found))
                scores[box] = min(piece.score for piece in found)
    cells = []
    for box in sorted(boxes, key=lambda box: (box[1], box[0])):
        row, col = _index(tops, box[1]), _index(lefts, box[0])
        rowspan = max(1, sum(box[1] - SNAP < top < box[3] - SNAP for top in tops))
        colspan = max(1, sum(box[0] - SNAP < left < box[2] - SNAP for left in lefts))
        cells.append(RawCell(cell_text(texts.get(box, "")), row, col, rowspan, colspan,
                             scores.get(box)))  # fmt: skip
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
