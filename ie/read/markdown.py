"""Markdown → the text we read and its tables as grids, every offset pointing into the file's text.

markdown-it-py finds the pipe tables and HTML blocks (``token.map`` gives their lines); cells are
cut out of those lines here, so each cell keeps the characters it came from. Embedded ``<table>``
blocks are parsed with lxml (the grid, spans included) and their cells found again in the source
by their start tags. Markup the rules should not see (``<br>``, ``**``, heading marks, tags,
entities, escapes) is left out of the text or replaced by one character, never more, so the map
from the text back to the file stays exact.

PDF-to-markdown converters print a merged cell repeated in every position it covers, or once and
then empty; a repeated label becomes one cell spanning those positions again, a repeated value
only where the header above it is merged the same way (``0 | 0`` is two cells, not one).
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

import lxml.html
from markdown_it import MarkdownIt

from ie.read.html import place_cells, row_cells, table_rows
from ie.read.layout import PlacedCell, RawCell
from ie.read.limits import CellCounter
from ie.read.textnorm import is_wide
from ie.tables import DELIMITER_LINE, is_no_value, is_value
from ie.text.conventions import UNFOLDED_LINE_ENDS

# A table's header then its delimiter row (| --- | :---: |): what makes pipe lines a GFM table.
DELIMITER_ROW = re.compile(f"^{DELIMITER_LINE.pattern}$", re.M)
# pymupdf4llm names an empty header cell "Col<n>": a placeholder, not a label.
PLACEHOLDER_HEADER = re.compile(r"^Col\d+$")
TAG = re.compile(r"<!--.*?-->|</?[A-Za-z][^<>]*>", re.DOTALL)
BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)
TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)")
CELL_TAG = re.compile(r"<(td|th)\b[^>]*>", re.IGNORECASE)
CELL_END = re.compile(r"</?(?:td|th|tr|thead|tbody|tfoot|table)\b", re.IGNORECASE)
ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
INLINE_MARKUP = re.compile(r"\*{2,3}|_{2,3}|\\(?=[!-/:-@\[-`{-~])")
HEADING_MARK = re.compile(r"^[ ]{0,3}#{1,6}[ \t]+", re.MULTILINE)
NUMBERED = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．])"
)
MIN_WRAP_WIDTH = 10  # lines narrower than this are headings, not wrapped prose
MIN_WRAPPED_LINES = 10  # a document with fewer such lines gives no page width to go by
FULL_LINE_QUANTILE = 0.75  # the page's full lines: as wide as three in four prose lines or more
FULL_LINE_SHARE = 0.9
BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 tr table thead tbody tfoot section article header "
    "footer blockquote pre hr dl dt dd caption".split()
)


@dataclass(frozen=True)
class Markdown:
    """What the rules read (``clean``), where each of its characters stands in the file
    (``clean_to_source``, one extra entry for the end), and the tables as placed grids whose
    offsets index the file's text."""

    clean: str
    clean_to_source: tuple[int, ...]
    grids: list[list[PlacedCell]]


def looks_like_markdown(text: str) -> bool:
    """A text file that holds a GFM pipe table (a delimiter row under a header row)."""
    return bool(DELIMITER_ROW.search(text)) and _parser_finds_table(text)


def _parser_finds_table(text: str) -> bool:
    return any(token.type == "table_open" for token in _parser().parse(text))


def read_markdown(source: str) -> Markdown:
    # tables are found in the source with broken rows joined (same length: offsets hold)
    rejoined = rows_rejoined(source)
    lines = rejoined.splitlines(keepends=True)
    line_starts = [0]
    for line in lines:
        line_starts.append(line_starts[-1] + len(line))
    grids: list[list[PlacedCell]] = []
    html_regions: list[tuple[int, int]] = []
    paragraphs: list[tuple[int, int]] = []  # each line of a paragraph: (start, end) of its text
    for token in _parser().parse(rejoined):
        if token.map is None or token.level != 0 and token.type != "table_open":
            continue
        first, last = token.map
        region = (line_starts[first], line_starts[min(last, len(lines))])
        if token.type == "paragraph_open":
            # A converter prints a page's lines one paragraph each, or several to a paragraph: a
            # line break inside a paragraph is a wrapped line too ("各镇(" / "街)主动公开…575条").
            for index in range(first, min(last, len(lines))):
                line = lines[index]
                start = line_starts[index] + len(line) - len(line.lstrip())
                paragraphs.append((start, line_starts[index] + len(line.rstrip())))
        elif token.type == "table_open":
            grid = _pipe_grid(source, lines[first:last], line_starts[first:last])
            if grid:
                grids.append(grid)
        elif token.type == "html_block":
            html_regions.append(region)
    html_regions = _merge_adjacent(html_regions, source)
    for start, end in html_regions:
        grids += _html_grids(source, start, end)
    grids.sort(key=lambda grid: grid[0].start)
    cells = sorted((cell.start, cell.end) for grid in grids for cell in grid)
    edits = _edits(source, cells) + _wrapped_lines(source, paragraphs)
    edits.sort()
    clean, clean_to_source = _apply(source, edits)
    return Markdown(clean, clean_to_source, grids)


def rows_rejoined(source: str) -> str:
    """``source`` with each pipe row a hard line break cut in two joined again by a space in place
    of the break: a weak converter prints a label's line break inside its cell ("|二、上年结转政府信息"
    then "公开申请|0|0|..."). A line continues the row above when that row opened with ``|`` and
    did not close with one, under a pipe row that did, and the line itself does not open with
    ``|`` but holds one."""
    lines = source.split("\n")
    out = [lines[0]]
    closed = False  # the last complete row above opened and closed with |
    row_open = False  # the current line is a pipe row still open at its end
    for line in lines[1:]:
        stripped = line.strip()
        if row_open and closed and "|" in stripped and not stripped.startswith("|"):
            out[-1] += " " + line
        else:
            out.append(line)
        current = out[-1].strip()
        row_open = current.startswith("|") and not current.endswith("|")
        if current.startswith("|") and current.endswith("|") and len(current) > 1:
            closed = True
        elif not current.startswith("|"):
            closed = False
    return "\n".join(out)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


# --- pipe tables ----------------------------------------------------------------------------------


def _split_row(line: str) -> list[tuple[int, int]]:
    """(start, end) of each cell's content in one table line, spaces stripped; ``\\|`` is text."""
    body_end = len(line.rstrip("\r\n"))
    bounds: list[int] = []
    index = 0
    while index < body_end:
        if line[index] == "\\":
            index += 2
            continue
        if line[index] == "|":
            bounds.append(index)
        index += 1
    stripped_start = len(line) - len(line.lstrip())
    if not bounds or bounds[0] != stripped_start:
        bounds.insert(0, stripped_start - 1)  # no leading pipe: the first cell starts the line
    if line[:body_end].rstrip() and line[:body_end].rstrip()[-1] != "|":
        bounds.append(body_end)
    cells = []
    for left, right in zip(bounds, bounds[1:]):
        start, end = left + 1, right
        while start < end and line[start] in " \t":
            start += 1
        while end > start and line[end - 1] in " \t":
            end -= 1
        cells.append((start, end))
    return cells


def _pipe_grid(source: str, lines: list[str], starts: list[int]) -> list[PlacedCell]:
    rows: list[list[PlacedCell]] = []
    counter = CellCounter()  # a table of millions of cells is refused while it is read
    for number, (line, line_start) in enumerate(zip(lines, starts)):
        if number == 1:  # the delimiter row
            continue
        row: list[PlacedCell] = []
        for col, (start, end) in enumerate(_split_row(line)):
            counter.add(1)
            text = _cell_text(source[line_start + start : line_start + end])
            if number == 0 and PLACEHOLDER_HEADER.match(text):
                text = ""
            row.append(PlacedCell(RawCell(text, len(rows), col), line_start + start,
                                  line_start + end))  # fmt: skip
        rows.append(row)
    _merge_repeats(rows)
    return [cell for row in rows for cell in row if cell is not None]


def _cell_text(raw: str) -> str:
    """A cell's text as the rules will see it: markup out, used only to compare cells."""
    text = BREAK_TAG.sub("", raw)
    text = TAG.sub("", text)
    text = INLINE_MARKUP.sub("", html.unescape(text))
    return "".join(text.split())


def _merge_repeats(rows: list[list[PlacedCell]]) -> None:
    """A converter's repeated merged cell becomes one spanning cell again (in place; a merged-away
    position is set to None). Repeated values merge only under a header merged over exactly those
    columns, which no header row above splits (pymupdf4llm also fills a position a cell from
    above covers with its left neighbour's text: ``其他 | 其他`` under ``法人或其他组织 | 总计``)."""
    header: list[list[PlacedCell]] = []  # the header rows above the current data rows
    after_data = False
    for row in rows:
        has_value = any(_is_value(cell) for cell in row)
        col = 0
        while col < len(row):
            cell = row[col]
            end = col + 1
            while cell.cell.text and end < len(row) and row[end].cell.text == cell.cell.text:
                end += 1
            if end - col > 1 and (not _is_value(cell) or _merged_header(header, col, end)):
                cell.cell.colspan = end - col
                for covered in range(col + 1, end):
                    row[covered] = None  # type: ignore[call-overload]
            col = end
        if not has_value:
            header = [] if after_data else header
            header.append([c for c in row if c is not None])
        after_data = has_value
    _merge_down(rows)


def _merged_header(header: list[list[PlacedCell]], start: int, end: int) -> bool:
    """The closest header row has one cell over columns start..end, and no header row has a cell
    starting inside them."""
    if not header:
        return False
    closest = {(c.cell.col, c.cell.col + c.cell.colspan) for c in header[-1]}
    split = any(start < c.cell.col < end for row in header for c in row if c.cell.text)
    return (start, end) in closest and not split


def _merge_down(rows: list[list[PlacedCell | None]]) -> None:
    """A group label repeated down a column (``三、本年度办理结果`` on each of its rows) is one cell
    spanning those rows, as the PDF prints it; only where the lower row has its own label beside
    it, or is a header row, so a data row's own label is never taken away."""
    above: dict[int, PlacedCell] = {}
    for row in rows:
        current: dict[int, PlacedCell] = {}
        has_value = any(c is not None and _is_value(c) for c in row)
        for index, cell in enumerate(row):
            if cell is None:
                continue
            top = above.get(cell.cell.col)
            labels_right = any(
                c is not None and c.cell.text and not _is_value(c) for c in row[index + 1 :]
            )
            if (
                top is not None
                and cell.cell.text
                and not _is_value(cell)
                and top.cell.text == cell.cell.text
                and top.cell.colspan == cell.cell.colspan
                and top.cell.row + top.cell.rowspan == cell.cell.row
                and (labels_right or not has_value)
            ):
                top.cell.rowspan += 1
                row[index] = None
                current[cell.cell.col] = top
            else:
                current[cell.cell.col] = cell
        above = current


def _is_value(cell: PlacedCell) -> bool:
    return is_value(cell.cell.text) or is_no_value(cell.cell.text)


# --- HTML tables embedded in the markdown --------------------------------------------------------


def _merge_adjacent(regions: list[tuple[int, int]], source: str) -> list[tuple[int, int]]:
    """HTML blocks separated only by blank lines are one block (CommonMark ends a block at a
    blank line, a table written with blank lines between its rows does not end there)."""
    merged: list[tuple[int, int]] = []
    for start, end in regions:
        if merged and not source[merged[-1][1] : start].strip():
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _html_grids(source: str, start: int, end: int) -> list[list[PlacedCell]]:
    block = source[start:end]
    if "<table" not in block.lower():
        return []
    root = lxml.html.fragment_fromstring(block, create_parent="div")
    elements = list(root.iter("td", "th"))
    tags = list(CELL_TAG.finditer(block))
    if len(tags) != len(elements):  # cells in comments or broken markup: no safe map back
        return []
    position = {id(element): tag for element, tag in zip(elements, tags)}
    grids = []
    for table in root.iter("table"):
        if table.find(".//table") is not None:  # a layout table around another one
            continue
        rows = table_rows(table)
        cells = place_cells(rows)
        ordered = [element for row in rows for element in row_cells(row)]
        placed = []
        for element, raw in zip(ordered, cells):
            tag = position[id(element)]
            content_end = CELL_END.search(block, tag.end())
            stop = content_end.start() if content_end else len(block)
            placed.append(PlacedCell(raw, start + tag.end(), start + stop))
        if len({cell.cell.col for cell in placed}) > 1:
            grids.append(placed)
    return grids


# --- lines a converter wrapped ------------------------------------------------------------------


def _wrapped_lines(source: str, paragraphs: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """PDF-to-markdown converters print each line of the page as a paragraph of its own, so a
    sentence the page wrapped ("…政府信息公开行政复议 351" / "件，其中结果维持 72 件") is cut in
    two. As ``ie.read.pdf`` does for the PDF itself: a line as wide as the page's full lines that
    ends mid-sentence runs on into the next paragraph (the blank lines between are dropped)."""
    widths = sorted(_width(source[start:end]) for start, end in paragraphs)
    widths = [width for width in widths if width >= MIN_WRAP_WIDTH]
    if len(widths) < MIN_WRAPPED_LINES:
        return []
    full = widths[int(len(widths) * FULL_LINE_QUANTILE)]
    edits = []
    for (start, end), (next_start, _) in zip(paragraphs, paragraphs[1:]):
        line = source[start:end]
        gap = source[end:next_start]
        if (
            _width(line) >= FULL_LINE_SHARE * full
            and not line.endswith(UNFOLDED_LINE_ENDS)
            and not gap.strip()
            and not NUMBERED.match(source[next_start : next_start + 6])
        ):
            latin = not (is_wide(line[-1]) or is_wide(source[next_start]))
            edits.append((end, next_start, " " if latin else ""))
    return edits


def _width(text: str) -> float:
    """Printed width in CJK characters: ASCII takes half a character's width."""
    return sum(0.5 if char.isascii() else 1.0 for char in text)


# --- the clean text --------------------------------------------------------------------------------


def _edits(source: str, cells: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """(start, end, replacement) for each piece of markup, replacement at most one character."""
    edits: list[tuple[int, int, str]] = []
    cell_starts = [start for start, _ in cells]
    for match in TAG.finditer(source):
        index = bisect_right(cell_starts, match.start()) - 1
        in_cell = index >= 0 and match.start() < cells[index][1]
        edits.append((*match.span(), _tag_replacement(source, match, in_cell)))
    for match in ENTITY.finditer(source):
        decoded = html.unescape(match.group())
        if len(decoded) == 1:
            edits.append((*match.span(), decoded))
    for pattern in (INLINE_MARKUP, HEADING_MARK):
        edits += [(*match.span(), "") for match in pattern.finditer(source)]
    edits.sort()
    kept: list[tuple[int, int, str]] = []
    for edit in edits:  # a tag's text never holds an entity or markup of its own
        if not kept or edit[0] >= kept[-1][1]:
            kept.append(edit)
    return kept


def _tag_replacement(source: str, match: re.Match[str], in_cell: bool) -> str:
    """Inside a cell a <br> is a space between Latin words and nothing between CJK, other tags are
    nothing; between cells a cell tag is a space and a row or block tag a line break."""
    name_match = TAG_NAME.match(match.group())
    name = name_match.group(1).lower() if name_match else ""
    if in_cell:
        before = source[match.start() - 1] if match.start() else " "
        after = source[match.end()] if match.end() < len(source) else " "
        latin_gap = name == "br" and not (is_wide(before) or is_wide(after))
        return " " if latin_gap else ""
    if name in ("td", "th") and not match.group().startswith("</"):
        return " "
    return "\n" if name in BLOCK_TAGS else ""


def _apply(source: str, edits: list[tuple[int, int, str]]) -> tuple[str, tuple[int, ...]]:
    chars: list[str] = []
    to_source: list[int] = []
    position = 0
    for start, end, replacement in edits:
        chars.append(source[position:start])
        to_source.extend(range(position, start))
        if replacement:
            chars.append(replacement)
            to_source.append(start)
        position = end
    chars.append(source[position:])
    to_source.extend(range(position, len(source)))
    to_source.append(len(source))
    return "".join(chars), tuple(to_source)
