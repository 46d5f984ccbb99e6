"""DOCX → Layout: paragraphs and tables in body order, merged cells collapsed to one grid cell.

python-docx's ``Table.rows[i].cells`` repeats a merged cell once per grid position it covers;
we read the row XML instead (gridBefore, gridSpan, vMerge), which says directly where a cell
starts and how far it reaches.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import docx
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl
from docx.text.paragraph import Paragraph
from lxml.etree import _Element

from ie.read.layout import Layout, RawCell
from ie.read.limits import CellCounter
from ie.read.textnorm import cell_text


def read_docx(source: Path | BinaryIO) -> Layout:
    """Extract a DOCX's text; python-docx's exceptions propagate to the caller."""
    document = docx.Document(str(source) if isinstance(source, Path) else source)
    layout = Layout()
    for block in _blocks(document.element.body):
        if block.tag == qn("w:p"):
            layout.line(Paragraph(block, document).text)
        else:
            layout.table(_grid(block, document))
    return layout


def _blocks(container: _Element) -> Iterator[_Element]:
    """Paragraphs and tables in reading order, looking inside content controls (w:sdt)."""
    for child in container.iterchildren():
        if child.tag in (qn("w:p"), qn("w:tbl")):
            yield child
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _blocks(content)


def _grid(table: CT_Tbl, document: DocxDocument) -> list[RawCell]:
    cells: list[RawCell] = []
    # The cell that stands at each column in the rows so far, for vMerge="continue" to extend.
    above: dict[int, RawCell] = {}
    counter = CellCounter()  # a table of millions of cells is refused while it is read
    for row_index, row in enumerate(table.tr_lst):
        col = row.grid_before
        for tc in row.tc_lst:
            span = tc.grid_span
            counter.add(max(1, span))
            start = above.get(col)
            continues = start is not None and (start.col, start.row + start.rowspan) == (
                col,
                row_index,
            )
            if tc.vMerge == "continue" and start is not None and continues:
                start.rowspan += 1
            else:
                text = cell_text("\n".join(Paragraph(p, document).text for p in tc.p_lst))
                start = RawCell(text, row_index, col, colspan=span)
                cells.append(start)
            for covered in range(col, col + span):
                above[covered] = start
            col += span
    return cells
