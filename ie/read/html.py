"""HTML → Layout: block elements become lines, data tables become grids.

Government sites often wrap a whole page in layout tables; a table that holds another table, or
has a single column, is read as blocks of prose, not as a grid.
"""

from __future__ import annotations

import html
import re

import lxml.html

from ie.read.layout import Layout, RawCell
from ie.read.limits import CellCounter
from ie.read.textnorm import cell_text

BLOCK_TAGS = frozenset(
    "address article aside blockquote caption center dd div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section td th tr ul".split()
)
SKIPPED_TAGS = frozenset("script style noscript template head iframe object svg".split())
HTML_SPACE = re.compile(r"[ \t\r\n\f]+")  # what HTML collapses; NBSP is content, kept
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
MAX_SPAN = 1000  # a colspan="9999" typo must not print ten thousand separators
SPAN_NUMBER = re.compile(r"[ \t\n\f\r]*\+?([0-9]+)")
# huge_tree lifts libxml2's nesting limit from 256 to about 2000 levels.
_PARSER = lxml.html.HTMLParser(huge_tree=True)
# What a page prints, roughly: markup and the elements we skip (SKIPPED_TAGS) taken out.
TAG = re.compile(
    r"<!--.*?-->|<(script|style|noscript|template|head|iframe|object|svg)\b.*?</\1\s*>|<[^<>]*>",
    re.S | re.I,
)
WRAPPER_TAG = re.compile(
    r"</?(div|span|font|section|article|center|b|strong|em|i|u)\b[^<>]*>", re.I
)
# A reading that keeps less than this share of the page's characters lost the page.
LOST_TEXT = 0.5


def read_html(markup: str) -> Layout:
    """Extract an HTML page's text; ``lxml.etree.LxmlError`` where lxml can't parse it.

    Web editors nest wrappers thousands deep (an unclosed <font> or <div> per paragraph); past
    libxml2's depth limit the parse keeps almost nothing, and walking such a tree would exhaust
    Python's stack. Where the first reading lost most of the page's text, the page is read again
    with its wrapper tags (div, span, font …) taken out, a <div> kept as a line break.
    """
    # lxml refuses str input that declares its own encoding; we have decoded it already.
    markup = XML_DECLARATION.sub("", markup)
    expected = len("".join(html.unescape(TAG.sub(" ", markup)).split()))
    try:
        layout = _read(markup)
    except RecursionError:
        layout = Layout()
    if len("".join(layout.text().split())) >= LOST_TEXT * expected:
        return layout
    flat = _read(WRAPPER_TAG.sub(lambda m: "<br>" if m.group(1).lower() == "div" else "", markup))
    return flat if len(flat.text()) > len(layout.text()) else layout


def _read(markup: str) -> Layout:
    root = lxml.html.document_fromstring(markup, parser=_PARSER)
    walker = _Walker(Layout())
    title = root.find(".//title")
    if title is not None:
        walker.layout.line(cell_text(title.text_content()))
    body = root.find(".//body")
    walker.walk(body if body is not None else root)
    walker.flush()
    return walker.layout


class _Walker:
    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.buffer: list[str] = []
        self.in_pre = 0

    def walk(self, element: lxml.html.HtmlElement) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""  # comments have no tag name
        if not tag or tag in SKIPPED_TAGS:
            return
        if tag == "br":
            self.flush()
            return
        if tag == "table":
            self.flush()
            self.table(element)
            return
        block = tag in BLOCK_TAGS
        self.in_pre += tag == "pre"
        if block:
            self.flush()
        self.inline(element.text)
        for child in element:
            self.walk(child)
            self.inline(child.tail)
        if block:
            self.flush()
        self.in_pre -= tag == "pre"

    def inline(self, text: str | None) -> None:
        if not text:
            return
        if not self.in_pre:
            self.buffer.append(HTML_SPACE.sub(" ", text))
            return
        first, *rest = text.split("\n")
        self.buffer.append(first)
        for line in rest:
            self.flush()
            self.buffer.append(line)

    def flush(self) -> None:
        if self.buffer:
            self.layout.line("".join(self.buffer))
            self.buffer = []

    def table(self, table: lxml.html.HtmlElement) -> None:
        rows = table_rows(table)
        cells = place_cells(rows)
        width = max((cell.col + cell.colspan for cell in cells), default=0)
        if width <= 1 or table.find(".//table") is not None:
            for row in rows:
                for element in row_cells(row):
                    self.walk(element)
            return
        caption = table.find("caption")
        if caption is not None:
            self.layout.line(cell_text(_block_text(caption)))
        self.layout.table(cells)


def table_rows(table: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The table's own rows, in order, not those of tables nested inside it."""
    rows = []
    for child in table:
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows.extend(row for row in child if row.tag == "tr")
    return rows


def row_cells(row: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    return [cell for cell in row if cell.tag in ("td", "th")]


def place_cells(rows: list[lxml.html.HtmlElement]) -> list[RawCell]:
    """Place cells on the grid: positions a rowspan from above takes push later cells right."""
    taken: set[tuple[int, int]] = set()
    cells: list[RawCell] = []
    counter = CellCounter()  # a table of millions of cells is refused while it is placed
    for row_index, row in enumerate(rows):
        col = 0
        rows_left = len(rows) - row_index
        for element in row_cells(row):
            while (row_index, col) in taken:
                col += 1
            # A span past the end of the table is cut there.
            rowspan = min(_span(element, "rowspan"), rows_left)
            colspan = _span(element, "colspan")
            counter.add(rowspan * colspan)
            text = cell_text(_block_text(element))
            cells.append(RawCell(text, row_index, col, rowspan, colspan))
            taken.update(
                (row_index + down, col + right)
                for down in range(rowspan)
                for right in range(colspan)
            )
            col += colspan
    return cells


def _span(element: lxml.html.HtmlElement, name: str) -> int:
    """A rowspan or colspan as browsers read it: the leading digits ("2px" is 2); a value that
    is missing, not a number, 0 or negative is 1 (Chrome, and what editors mean by it)."""
    match = SPAN_NUMBER.match(element.get(name) or "")
    return min(MAX_SPAN, max(1, int(match.group(1)))) if match else 1


def _block_text(element: lxml.html.HtmlElement) -> str:
    """Text of an element with a newline wherever a block or <br> breaks it."""
    parts: list[str] = []

    def collect(node: lxml.html.HtmlElement) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag and tag not in SKIPPED_TAGS:
            if tag == "br" or tag in BLOCK_TAGS:
                parts.append("\n")
            parts.append(HTML_SPACE.sub(" ", node.text or ""))
            for child in node:
                collect(child)
            if tag in BLOCK_TAGS:
                parts.append("\n")
        parts.append(HTML_SPACE.sub(" ", node.tail or "") if node is not element else "")

    collect(element)
    return "".join(parts)
