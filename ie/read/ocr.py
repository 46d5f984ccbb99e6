"""Pages without a text layer → recognised lines and grids, with RapidOCR (the ``ocr`` extra).

RapidOCR runs PaddleOCR's Chinese detection and recognition models on onnxruntime; its wheel ships
the models, so nothing is fetched at run time. A page is rendered by pdfplumber (pypdfium2) at
``DPI``; every recognised box keeps its position in points from the page's top left, as
pdfplumber gives characters, so the PDF reader places recognised lines as it places printed ones.

A ruled table is found from its rules: OpenCV keeps the long straight strokes of the page image
(``rules``), and pdfplumber's own table finder builds the cells from them as it does from a
printed PDF's lines (explicit lines), merged cells included; each box goes to the cell holding its
centre. The other boxes become rows by the height of their centres (a label wrapped over several
lines beside a row of numbers joined into one box of that row); a run of rows that splits into
the same columns (``blocks``) is a table, any other row a line of text, its boxes joined left to
right (a wide gap as a space, so a table row that is no grid still reads as a flattened row).

The mode travels in the environment (``IE_OCR``), as the reading limits do (``ie.read.limits``):
``auto`` recognises pages without a text layer, ``always`` every page, ``never`` none.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
from dataclasses import dataclass

MODES = ("auto", "never", "always")
DEFAULT_MODE = "auto"
MODE_VARIABLE = "IE_OCR"
DPI = 200  # the recogniser's boxes on 11-point print are ~40 px high: no character lost below
ROW_TOLERANCE = 0.6  # box heights: centres closer than this share a row
GAP = 1.2  # box heights: a wider gap between two boxes of a row separates two cells
COLUMN_SLACK = 0.5  # box heights: a box belongs to a column its x-range reaches within this
STACKED = 0.5  # two boxes sharing more than this of the narrower's width, and less of their
# height, are two lines of one cell
LINE_GAP = 0.3  # box heights: the lines of one wrapped cell lie closer than this to each other
CENTRED = 0.3  # box heights: a wrapped label's lines centre on its row's numbers within this
MIN_GRID_ROWS = 3
MIN_GRID_COLUMNS = 2
NUMBER = re.compile(r"^[-－]?\d[\d,，.]*$")
MIN_RULE = 0.2  # inches: a horizontal stroke this long may be a rule (an 11-point character is 0.15)
MIN_RULE_VERTICAL = 0.12  # inches: a vertical one, if both its ends meet horizontal rules
RULE_JOIN = 3  # pixels: a vertical rule's end this close to a horizontal rule meets it


@dataclass(frozen=True)
class Box:
    """One recognised piece of text: where it stands (points) and the recogniser's score."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    score: float

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x0 + self.x1) / 2, self.middle


def configure(mode: str) -> None:
    os.environ[MODE_VARIABLE] = mode


def mode() -> str:
    value = os.environ.get(MODE_VARIABLE, DEFAULT_MODE)
    return value if value in MODES else DEFAULT_MODE


def available() -> bool:
    """The ``ocr`` extra is installed: RapidOCR and the onnxruntime it runs on."""
    return all(importlib.util.find_spec(name) is not None for name in ("rapidocr", "onnxruntime"))


@functools.lru_cache(maxsize=1)
def _engine():  # noqa: ANN202 - rapidocr is an optional import
    from rapidocr import RapidOCR

    return RapidOCR(params={"Global.log_level": "error"})


def recognise(image) -> list[Box]:  # noqa: ANN001 - a PIL image of a page rendered at DPI
    """The boxes RapidOCR finds on a page image, in points."""
    import numpy

    result = _engine()(numpy.asarray(image.convert("RGB")))
    if result.boxes is None:
        return []
    scale = 72 / DPI
    boxes = []
    for corners, text, score in zip(result.boxes, result.txts, result.scores, strict=True):
        text = text.strip()
        if not text:
            continue
        xs = [float(x) * scale for x, _ in corners]
        ys = [float(y) * scale for _, y in corners]
        boxes.append(Box(text, min(xs), min(ys), max(xs), max(ys), float(score)))
    return boxes


def rules(image) -> tuple[list[dict], list[dict]]:  # noqa: ANN001 - a PIL image at DPI
    """The page's table rules as pdfplumber line objects (points): horizontal strokes of at least
    ``MIN_RULE``, vertical ones of at least ``MIN_RULE_VERTICAL`` whose ends meet a horizontal one
    (a character's strokes meet none)."""
    import cv2
    import numpy

    gray = numpy.asarray(image.convert("L"))
    ink = (gray < 160).astype(numpy.uint8) * 255
    horizontal = _strokes(cv2, ink, (int(MIN_RULE * DPI), 1))
    vertical = _strokes(cv2, ink, (1, int(MIN_RULE_VERTICAL * DPI)))

    def meets(x: float, y: float) -> bool:
        return any(
            abs(y - top) <= RULE_JOIN + height and left - RULE_JOIN <= x <= right + RULE_JOIN
            for left, top, right, height in horizontal
        )

    vertical = [
        (left, top, width, height)
        for left, top, width, height in vertical
        if meets(left, top) and meets(left, top + height)
    ]
    scale = 72 / DPI
    lines_h = [_line(left * scale, right * scale, y * scale, y * scale)
               for left, y, right, _ in horizontal]  # fmt: skip
    lines_v = [_line(x * scale, x * scale, top * scale, (top + height) * scale)
               for x, top, _, height in vertical]  # fmt: skip
    return lines_h, lines_v


def _strokes(cv2, ink, size: tuple[int, int]) -> list[tuple[int, int, int, int]]:  # noqa: ANN001
    """Straight strokes at least ``size`` long: (left, top or middle, right or width, extent)."""
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, size)
    opened = cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel)
    count, _, stats, _ = cv2.connectedComponentsWithStats(opened)
    strokes = []
    for left, top, width, height, _ in stats[1:count]:
        if size[1] == 1:  # horizontal: (left, middle, right, thickness)
            strokes.append((int(left), int(top + height // 2), int(left + width), int(height)))
        else:  # vertical: (middle, top, thickness, length)
            strokes.append((int(left + width // 2), int(top), int(width), int(height)))
    return strokes


def _line(x0: float, x1: float, top: float, bottom: float) -> dict:
    return {"object_type": "line", "x0": x0, "x1": x1, "top": top, "bottom": bottom,
            "width": x1 - x0, "height": bottom - top}  # fmt: skip


def rows(boxes: list[Box]) -> list[list[Box]]:
    """Boxes grouped into rows by the height of their centres, top to bottom, each left to right;
    a label wrapped over several lines beside a row of numbers is one box of that row
    (``_wrapped_labels``)."""
    import statistics  # here, not at the top: a text report never loads it
    if not boxes:
        return []
    height = statistics.median(box.height for box in boxes)
    tolerance = ROW_TOLERANCE * height
    result: list[list[Box]] = []
    for box in sorted(boxes, key=lambda box: box.middle):
        row = result[-1] if result else None
        if row and abs(box.middle - statistics.fmean(b.middle for b in row)) <= tolerance:
            row.append(box)
        else:
            result.append([box])
    return _wrapped_labels([_stacked(row) for row in result], height)


def _stacked(row: list[Box]) -> list[Box]:
    """A row left to right, boxes one above the other (two lines of one cell that fell in one
    row) joined top to bottom: sorted by x alone, "全一稳定”" came before "3.危及“三安"."""
    result: list[list[Box]] = []
    for box in sorted(row, key=lambda box: box.x0):
        stack = next((s for s in result if any(_above_each_other(b, box) for b in s)), None)
        if stack is None:
            result.append([box])
        else:
            stack.append(box)
    return [_joined(stack) for stack in result]


def _above_each_other(a: Box, b: Box) -> bool:
    """Two boxes in one column, one under the other: most of the narrower one's width shared,
    little of their height."""
    vertical = min(a.bottom, b.bottom) - max(a.top, b.top)
    narrower = min(a.x1 - a.x0, b.x1 - b.x0)
    return _overlap(a, b) > STACKED * narrower and vertical < (1 - STACKED) * min(a.height, b.height)


def _joined(stack: list[Box], middle: float | None = None) -> Box:
    """Lines of one cell as one box: their text top to bottom, one line high at ``middle`` (the
    lines' own middle by default), so the row's heights and gaps stay those of one line."""
    import statistics  # here, not at the top: a text report never loads it
    if len(stack) == 1 and middle is None:
        return stack[0]
    from ie.read.textnorm import join_wrapped

    lines = sorted(stack, key=lambda box: box.top)
    text = ""
    for line in lines:
        text = join_wrapped(text, line.text)
    if middle is None:
        middle = (lines[0].top + max(line.bottom for line in lines)) / 2
    half = statistics.median(line.height for line in lines) / 2
    return Box(text, min(b.x0 for b in lines), middle - half, max(b.x1 for b in lines),
               middle + half, min(b.score for b in lines))  # fmt: skip


def _wrapped_labels(page_rows: list[list[Box]], height: float) -> list[list[Box]]:
    """A label printed over several lines beside one row of numbers: the numbers stand at the
    middle of its lines, so grouping by centres keeps one line with them and leaves the others
    rows of their own (a wrapped label read as three rows, its middle line the label). The lines
    right above and below a label, within its column (between its row's neighbouring boxes) and
    each within ``LINE_GAP`` of the next, join it: as many as keep the label's middle at the
    numbers' middle (within ``CENTRED``); lines that move it away are other rows' lines."""
    import statistics  # here, not at the top: a text report never loads it
    rows_ = [list(row) for row in page_rows]
    for index, row in enumerate(rows_):
        numbers = [box for box in row if is_number(box.text)]
        if not numbers or len(numbers) == len(row):
            continue
        middle = statistics.fmean(box.middle for box in numbers)
        for place, label in enumerate(row):
            if is_number(label.text):
                continue
            left = row[place - 1].x1 if place else float("-inf")
            right = row[place + 1].x0 if place + 1 < len(row) else float("inf")
            above = _lines_of(rows_, index, -1, label, (left, right), numbers, height)
            below = _lines_of(rows_, index, 1, label, (left, right), numbers, height)
            # the most lines that centre on the numbers: a label's middle line alone is centred
            # too where it has three
            centred = [
                (a, b)
                for a in range(len(above) + 1)
                for b in range(len(below) + 1)
                if _off_centre([*above[:a], label, *below[:b]], middle) <= CENTRED * height
            ]
            best = max(centred, key=sum, default=(0, 0))
            if sum(best) == 0:
                continue
            lines = [*above[: best[0]], label, *below[: best[1]]]
            for other in (*above[: best[0]], *below[: best[1]]):
                for owner in rows_:
                    if other in owner:
                        owner.remove(other)
            row[place] = _joined(lines, middle)
    return [row for row in rows_ if row]


def _lines_of(
    rows_: list[list[Box]],
    index: int,
    step: int,
    label: Box,
    column: tuple[float, float],
    numbers: list[Box],
    height: float,
) -> list[Box]:
    """Boxes of the rows above (``step`` -1) or below (1) row ``index`` that continue ``label``
    up or down its ``column``, nearest first: one line in the column, each within ``LINE_GAP``
    of the line before. A row with a number, or with a box over the numbers' columns (a header),
    is a row of its own and ends the search."""
    found: list[Box] = []
    edge = label
    at = index + step
    while 0 <= at < len(rows_):
        row = rows_[at]
        if any(is_number(box.text) or any(_overlap(box, n) > 0 for n in numbers) for box in row):
            break
        inside = [box for box in row
                  if column[0] < box.x0 and box.x1 < column[1] and _overlap(box, label) > 0]  # fmt: skip
        if len(inside) != 1:
            break
        line = inside[0]
        gap = edge.top - line.bottom if step < 0 else line.top - edge.bottom
        if gap > LINE_GAP * height:
            break
        found.append(line)
        edge, at = line, at + step
    return found


def _overlap(a: Box, b: Box) -> float:
    """How far two boxes' x-ranges overlap (negative: the gap between them)."""
    return min(a.x1, b.x1) - max(a.x0, b.x0)


def _off_centre(lines: list[Box], middle: float) -> float:
    return abs((min(b.top for b in lines) + max(b.bottom for b in lines)) / 2 - middle)


def cells(row: list[Box]) -> list[list[Box]]:
    """A row's boxes in cells: neighbours closer than ``GAP`` box heights are one cell."""
    result: list[list[Box]] = []
    for box in row:
        if result and box.x0 - result[-1][-1].x1 <= GAP * box.height:
            result[-1].append(box)
        else:
            result.append([box])
    return result


def is_number(text: str) -> bool:
    return bool(NUMBER.match(text))


@dataclass
class Block:
    """Rows of a page read in order: a table's rows as cells on columns, or one line of text."""

    rows: list[list[list[Box]]]  # rows → cells → boxes
    columns: list[tuple[float, float]]  # a table's column extents (points); [] for a line

    @property
    def top(self) -> float:
        return min(box.top for row in self.rows for cell in row for box in cell)


def blocks(boxes: list[Box]) -> list[Block]:
    """A page's rows as tables (``grid_rows`` runs that form columns) and lines of text."""
    page_rows = [cells(row) for row in rows(boxes)]
    result: list[Block] = []
    index = 0
    while index < len(page_rows):
        end = index
        while end < len(page_rows) and len(page_rows[end]) >= MIN_GRID_COLUMNS:
            end += 1
        run = page_rows[index:end]
        columns = _columns(run) if len(run) >= MIN_GRID_ROWS else []
        if columns:
            result.append(Block(run, columns))
            index = end
        else:
            result.append(Block([page_rows[index]], []))
            index += 1
    return result


def _columns(run: list[list[list[Box]]]) -> list[tuple[float, float]]:
    """The columns of a run of rows: x-ranges of the cells of its rows with numbers, overlapping
    ones merged; [] where fewer than ``MIN_GRID_ROWS`` rows hold a number or fewer than
    ``MIN_GRID_COLUMNS`` columns appear, or a row puts two cells in one column."""
    import statistics  # here, not at the top: a text report never loads it
    numeric = [row for row in run if any(is_number(text_of(cell)) for cell in row)]
    if len(numeric) < MIN_GRID_ROWS:
        return []
    slack = COLUMN_SLACK * statistics.median(b.height for row in run for c in row for b in c)
    spans = sorted((cell[0].x0, cell[-1].x1) for row in numeric for cell in row)
    columns: list[list[float]] = []
    for x0, x1 in spans:
        if columns and x0 <= columns[-1][1] + slack:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])
    if len(columns) < MIN_GRID_COLUMNS:
        return []
    extents = [(x0, x1) for x0, x1 in columns]
    for row in numeric:
        placed = [column_of(cell, extents) for cell in row]
        if len(set(placed)) < len(placed):
            return []
    return extents


def column_of(cell: list[Box], columns: list[tuple[float, float]]) -> int:
    """The column a cell overlaps most (the nearest where it overlaps none)."""
    x0, x1 = cell[0].x0, cell[-1].x1

    def overlap(index: int) -> float:
        left, right = columns[index]
        return min(x1, right) - max(x0, left)

    return max(range(len(columns)), key=overlap)


def in_reading_order(boxes: list[Box]) -> list[Box]:
    """Boxes row by row, each row left to right."""
    return [box for row in rows(boxes) for box in row]


def text_of(cell: list[Box]) -> str:
    from ie.read.textnorm import join_wrapped

    text = ""
    for box in cell:
        text = join_wrapped(text, box.text)
    return text
