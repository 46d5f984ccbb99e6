"""The real reports the layouts are made from: their text, gold facts, split and where their tables stand.

Where a table stands is read from the gold, never from the reader (ie.tables, ie.pipeline): its values
are the gold facts with origin table (their evidence offsets), its rows begin at the row labels
annotated as METRIC in the table-row tasks of annotations/studio, and its cells are what the
source's own markup separates (lines, pipes). So a prose fact is never lost to where the reader
would have put a table, and a layout cannot flatter the reader by cutting where it cuts.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from pathlib import Path

from ie.eval.gold import document_splits
from ie.paths import ANNOTATIONS, ROOT, SHARED
from ie.read import read
from ie.studio.stored import load_tasks

FACTS = ANNOTATIONS / "facts"
STUDIO = ANNOTATIONS / "studio"
FULL_PDF = "corpus/full/01.pdf"

# A line of prose, not of a table: a sentence's full stop, or longer than any printed table cell.
_SENTENCE = re.compile(r"[。！？]")
LONGEST_CELL = 80
# Where a table's run stops when walking back from its first value: a section heading, the page's
# title, an attachment's caption.
_STOP = re.compile(r"^(?:[一二三四五六七八九十]+、\D*(?:情况|问题)|.*年度报告$|附件)")
# A group label printed before the row's own label in the same row: （三）不予公开 | 1.属于国家秘密
_GROUP = re.compile(r"^\s*[（(]?[一二三四五六七八九十]+[）)、]")
_CELL_SEPARATORS = re.compile(r"[|｜]")


@dataclass(frozen=True)
class SourceCell:
    start: int
    end: int
    text: str
    value: bool = False  # the cell is a gold table value


@dataclass(frozen=True)
class TableRegion:
    """A table of the source as characters of its text, its cells grouped into printed rows."""

    start: int
    end: int
    rows: tuple[tuple[SourceCell, ...], ...]

    def cells(self) -> list[tuple[int, SourceCell]]:
        """(row, cell) in the order the text prints them."""
        return sorted(
            ((r, c) for r, row in enumerate(self.rows) for c in row), key=lambda rc: rc[1].start
        )


@dataclass(frozen=True)
class Source:
    document: str  # path under ../shared, as gold names it
    gold_file: str  # path of the gold under the repository
    text: str  # the file's text as decoded: gold offsets index it ("" for the PDF)
    vintage: str
    facts: tuple[dict, ...]
    regions: tuple[TableRegion, ...]  # the tables that hold gold table cells
    split: str = "test"
    agency: str = ""
    year: int | None = None


def corpus_sources(splits: tuple[str, ...]) -> list[Source]:
    """Every text report (corpus and seeds) of ``splits`` whose gold has table cells, in a stable
    order. No default: a caller names the splits it reads, and only the scoreboard's generator
    names test (the test split is sealed)."""
    split_of = document_splits()
    sources = []
    for gold_path in sorted([*FACTS.glob("corpus__v*.json"), *FACTS.glob("seeds__*.json")]):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        table_facts = [f for f in gold["facts"] if f.get("origin") == "table"]
        split = split_of.get(gold["document"], "test")
        if gold.get("negative") or not table_facts or split not in splits:
            continue
        document = read(SHARED / gold["document"])
        labels = _row_labels(STUDIO / gold_path.name, document)
        sources.append(Source(
            gold["document"], gold_path.relative_to(ROOT).as_posix(), document.source_text,
            gold["vintage"], tuple(gold["facts"]),
            gold_regions(document.source_text, gold["facts"], labels), split,
            gold.get("agency") or "", gold.get("year"),
        ))  # fmt: skip
    return sources


def full_pdf_source() -> Source:
    """The whole published PDF: its gold facts (offsets are pages there, so no text to place them
    in: the forms print its tables, and the converter the PDF itself)."""
    gold_file = FACTS / "corpus__full__01.json"
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    return Source(FULL_PDF, gold_file.relative_to(ROOT).as_posix(), "", gold["vintage"],
                  tuple(gold["facts"]), (), document_splits().get(FULL_PDF, "test"),
                  gold.get("agency") or "", gold.get("year"))  # fmt: skip


def _row_labels(studio_file: Path, document) -> list[tuple[int, int]]:
    """Source offsets of the METRIC spans of the document's annotated tasks (the gold spans;
    none where the document has no annotation file)."""
    if not studio_file.exists():
        return []
    spans = []
    for task in load_tasks(studio_file):
        data = task["data"]
        annotations = task.get("annotations") or []
        for item in (annotations[-1].get("result") or []) if annotations else []:
            value = item.get("value") or {}
            if value.get("labels") == ["METRIC"]:
                span = document.source_span(
                    data["start"] + value["start"], data["start"] + value["end"]
                )
                spans.append((span.start, span.end))
    return sorted(spans)


def gold_regions(
    text: str, facts: list[dict] | tuple[dict, ...], labels: list[tuple[int, int]]
) -> tuple[TableRegion, ...]:
    """The source's tables as the gold places them: runs of gold table values with no line of
    prose between them, each run widened back over the header lines before its first value."""
    values = sorted({(f["evidence"]["start"], f["evidence"]["end"]) for f in facts
                     if f.get("origin") == "table"})  # fmt: skip
    prose = sorted(f["evidence"]["start"] for f in facts if f.get("origin") != "table")
    lines = _lines(text)
    starts = [start for start, _ in lines]

    def line_of(position: int) -> int:
        return bisect.bisect_right(starts, position) - 1

    def is_prose(index: int) -> bool:
        start, end = lines[index]
        line = text[start:end].strip()
        has_fact = bisect.bisect_left(prose, start) < bisect.bisect_left(prose, end)
        return (
            has_fact
            or bool(_SENTENCE.search(line))
            or len(_CELL_SEPARATORS.sub("", line)) > LONGEST_CELL
        )

    runs: list[list[tuple[int, int]]] = []
    for value in values:
        if runs:
            previous = line_of(runs[-1][-1][0])
            if not any(is_prose(i) for i in range(previous + 1, line_of(value[0]))):
                runs[-1].append(value)
                continue
        runs.append([value])

    def is_stop(index: int) -> bool:  # a heading of the page, not a cell of the table
        line = text[slice(*lines[index])].strip()
        return not _CELL_SEPARATORS.search(line) and bool(_STOP.match(line))

    def is_piped(index: int) -> bool:
        return bool(_CELL_SEPARATORS.search(text[slice(*lines[index])]))

    regions: list[TableRegion] = []
    for number, run in enumerate(runs):
        first, last = line_of(run[0][0]), line_of(run[-1][0])
        floor = regions[-1].end if regions else 0
        while first > 0 and lines[first - 1][0] >= floor and not is_prose(first - 1):
            if is_stop(first - 1):
                break
            first -= 1
        # the rest of a pipe table, its cells without gold values (a row left blank, a cut-off end)
        ceiling = line_of(runs[number + 1][0][0]) if number + 1 < len(runs) else len(lines)
        while last + 1 < ceiling and is_piped(last + 1) and not is_prose(last + 1):
            last += 1
        start, end = lines[first][0], lines[last][1]
        regions.append(TableRegion(start, end, _rows(text, start, end, run, labels)))
    return tuple(regions)


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, its line break left out."""
    lines, position = [], 0
    for line in text.split("\n"):
        lines.append((position, position + len(line)))
        position += len(line) + 1
    return lines


def _rows(
    text: str, start: int, end: int, values: list[tuple[int, int]], labels: list[tuple[int, int]]
) -> tuple[tuple[SourceCell, ...], ...]:
    """The region's cells (cut by its own markup: lines and pipes; a value is always a cell of its
    own) grouped into rows: a row ends after its values, or where a row label (a gold METRIC)
    begins a new one, or, in a table that prints a row per line, at the line's end."""
    cells: list[tuple[int, SourceCell]] = []  # (line number, cell)
    for number, match in enumerate(re.finditer(r"[^\n]+", text[start:end])):
        line_start = start + match.start()
        for piece in re.finditer(r"[^|｜]+", match.group()):
            for cell in _cut_values(
                text, line_start + piece.start(), line_start + piece.end(), values
            ):
                cells.append((number, cell))
    value_lines = {n for n, c in cells if c.value}
    row_per_line = (
        sum(1 for n in value_lines if sum(1 for m, c in cells if m == n) > 1) > len(value_lines) / 2
    )
    rows: list[list[SourceCell]] = []
    previous: tuple[int, SourceCell] | None = None
    for number, cell in cells:
        labelled = any(cell.start <= s < cell.end for s, _ in labels)
        new_row = previous is None or (
            (previous[1].value and not cell.value)
            or (labelled and not previous[1].value and not _GROUP.match(previous[1].text))
            or (labelled and previous[1].value)
            or (row_per_line and number != previous[0])
        )
        if new_row:
            rows.append([])
        rows[-1].append(cell)
        previous = (number, cell)
    return tuple(tuple(row) for row in rows)


def _cut_values(text: str, start: int, end: int, values: list[tuple[int, int]]) -> list[SourceCell]:
    """The cell text[start:end], stripped, with every gold value inside it a cell of its own (values
    printed on one line with spaces between them are separate cells)."""
    inside = [v for v in values if start <= v[0] and v[1] <= end]
    pieces, position = [], start
    for value_start, value_end in inside:
        pieces += [(position, value_start, False), (value_start, value_end, True)]
        position = value_end
    pieces.append((position, end, False))
    cells = []
    for piece_start, piece_end, is_value in pieces:
        piece = text[piece_start:piece_end]
        if is_value:
            cells.append(SourceCell(piece_start, piece_end, piece, True))
            continue
        stripped = piece.strip(" \t\r\u3000\xa0")
        if stripped:
            offset = piece_start + piece.index(stripped)
            cells.append(SourceCell(offset, offset + len(stripped), stripped))
    return _join_units(cells)


def _join_units(cells: list[SourceCell]) -> list[SourceCell]:
    """A unit printed right after its value (976.81万元) stays in the value's cell."""
    joined: list[SourceCell] = []
    for cell in cells:
        if joined and joined[-1].value and not cell.value and cell.start == joined[-1].end:
            last = joined.pop()
            joined.append(SourceCell(last.start, cell.end, last.text + cell.text, True))
        else:
            joined.append(cell)
    return joined
