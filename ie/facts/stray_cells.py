"""A row's last cell that a weak converter printed on a line of its own, after the row's pipe line.

The row comes out one cell short, or padded with a blank last cell, and the value stands alone a
few lines below (only blank and ``|---|`` lines between). A page number can stand there too, so
the value is joined only where something rules that out: in 表三 and 表四 the row's own sums must
hold with it (each group's 总计 the sum of the cells before it); a 表二 row has no sums, and its
blank last cell takes the value only where the document prints no lone number anywhere outside
its tables (a converter that keeps page numbers prints one on every page, prose pages included).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ie.facts.cell_values import cell_value
from ie.tables import is_value
from ie.text.conventions import identity_holds
from ie.types import Cell, Span

if TYPE_CHECKING:
    from ie.facts.fragments import Orphan

TABLE_THREE = 7  # 表三's columns: six applicant kinds and 总计
APPEALS = 15  # 表四's cells: three groups of five
LONE_VALUE = re.compile(r"[ \t]*(-?\d[\d,]*(?:\.\d+)?)[ \t]*")
RULE = re.compile(r"^\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*$")


def lines_around(text: str, position: int, step: int) -> Iterator[tuple[int, int, str]]:
    """(start, end, line) of each line before (step -1) or after (step 1) the one at position."""
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    end = len(text) if end < 0 else end
    while True:
        if step < 0:
            if start == 0:
                return
            end = start - 1
            start = text.rfind("\n", 0, end) + 1
        else:
            if end >= len(text):
                return
            start = end + 1
            end = text.find("\n", start)
            end = len(text) if end < 0 else end
        yield start, end, text[start:end]


def join_stray_cells(orphans: list[Orphan], text: str) -> None:
    """Each orphan row whose last cell stands alone on the line after it gets that cell, where
    the row's sums (表三, 表四) or the document's lack of page numbers (表二) allow it."""
    page_numbers: bool | None = None  # worked out for the first 表二 row that needs it
    for orphan in orphans:
        width = len(orphan.cells)
        short = width + 1 in (TABLE_THREE, APPEALS)
        summed = width + short in (TABLE_THREE, APPEALS)
        padded = orphan.cells[-1] is None
        if not (short or padded) or not (summed or any(c is not None for c in orphan.cells)):
            continue  # a 表二 row printed blank throughout is a row the report left empty
        cell = _lone_value_after(orphan.end, text)
        if cell is None:
            continue
        cells = [*orphan.cells, cell] if short else [*orphan.cells[:-1], cell]
        if summed:
            if _sums_hold(cells):
                orphan.cells = cells
            continue
        if page_numbers is None:
            page_numbers = _prints_lone_numbers(text)
        if not page_numbers:
            orphan.cells = cells


def _lone_value_after(position: int, text: str) -> Cell | None:
    """The value alone on the first line after ``position`` that is neither blank nor a rule."""
    for start, _, line in lines_around(text, position, 1):
        if not line.strip() or RULE.match(line):
            continue
        match = LONE_VALUE.fullmatch(line)
        if match is None:
            return None
        begin = start + match.start(1)
        value = match.group(1)
        return Cell(value, Span(begin, begin + len(value), value), -1, -1)
    return None


def _prints_lone_numbers(text: str) -> bool:
    """A line holding a number alone whose nearest line above (past blank ones) is no table row:
    a page number of the converter, which could then stand after a table row as well."""
    above = ""
    for line in text.split("\n"):
        if not line.strip():
            continue
        if LONE_VALUE.fullmatch(line) and "|" not in above:
            return True
        above = line
    return False


def _sums_hold(cells: list[Cell | None]) -> bool:
    """Each group's last cell (总计) is the sum of the cells before it: one group of seven (表三)
    or three of five (表四); blanks count as 0."""
    numbers = []
    for cell in cells:
        parsed = (
            cell_value(cell.text, "") if cell is not None and is_value(cell.text) else (0, False)
        )
        if parsed is None:
            return False
        numbers.append(parsed[0])
    size = TABLE_THREE if len(numbers) == TABLE_THREE else 5
    groups = [numbers[i : i + size] for i in range(0, len(numbers), size)]
    return all(identity_holds(sum(g[:-1]), g[-1]) for g in groups)
