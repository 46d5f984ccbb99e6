"""Document → flattened tables: template tables whose cell separators a crawler lost.

``一、本年新收政府信息公开申请数量300153006143119二、上年结转…`` is a row label and a run of digits,
rows run together. Such text is found by its row labels: a run of digits (single spaces allowed
inside) whose preceding text ends with a template row's label is a row. Two or more such rows with
no sentence between them make a table of layout ``flat``: label cells, an optional unit cell, and
one cell per run. The run is split into cells later, by ``ie.facts.flattened_digits``, once the row is known.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ie.document import Document
from ie.schema import load_schema
from ie.text.conventions import (
    COUNT_UNITS,
    LABEL_UNITS,
    SENTENCE_MARKS,
    mark_class,
    unit_alternation,
)
from ie.text.row_labels import MIN_SCORE, joined_rows, label_score, normalize_label, runs_past
from ie.types import Cell, Table

_TOKEN = r"(?:[+\-]?\d[\d.,]*|[_—／/\\])"
RUN = re.compile(rf"{_TOKEN}(?:[ \u3000\xa0]*{_TOKEN})*")
_BLANKS = re.compile(r"^[_—／/\\\s]+$")
# A number followed by a unit (any count unit's first character: 受理申请222宗, 查阅场所5处), a date
# part or a page mark is prose or page chrome, not a cell run.
_PROSE_AFTER = re.compile(
    rf"\s*[{''.join(sorted({unit[0] for unit in COUNT_UNITS}))}％年月日号时余多页岁倍]"
)
# …unless a table cell printed its unit and the next row's label follows ("976.81万元三、收到…")
_CELL_UNIT_AFTER = re.compile(r"(?:万元|元|件|条|项|个)(?=$|\s|[一二三四五六七八九十]+、|[（(]|第)")
_URL_CHAR = re.compile(r"[A-Za-z:/\\_@\-#]")
_NUMBERING_AFTER = re.compile(r"[.．、](?!\d)")
_PIECE_START = re.compile(
    r"(?=[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|(?<![\d（(])\d{1,2}[.．、](?!\d))"
)
_UNIT_END = re.compile(f"(?:{unit_alternation(LABEL_UNITS)})$")
_SENTENCE = re.compile(mark_class(SENTENCE_MARKS))
MAX_GAP = 400  # characters of header text between two rows of one table
MIN_ROWS = 2
_CJK = re.compile(r"[\u4e00-\u9fff]{2}")
MAX_HEADER_LINE = 80
MAX_LABEL = 80  # the longest template row label, with its numbering and notes


@lru_cache(maxsize=1)
def _row_labels() -> tuple[str, ...]:
    """Every row label of every vintage's tables, and the province variants' labels."""
    labels: set[str] = set()
    for vintage in load_schema().vintages.values():
        for grid in vintage.grids:
            for row in grid.rows:
                labels.update(row.label.split("/"))
        if not vintage.grids:
            labels.update(f.label for f in vintage.fields.values() if not f.extension)
        for aliases in vintage.aliases.values():
            labels.update(aliases)
    return tuple(sorted(label for label in labels if normalize_label(label)))


@lru_cache(maxsize=1024)
def _labels_ending(tail: str) -> tuple[str, ...]:
    return tuple(label for label in _row_labels() if normalize_label(label).endswith(tail))


@lru_cache(maxsize=4096)
def _score(text: str) -> float:
    """The best score of a printed label against the row labels it does not run on past."""
    return max(
        (label_score(text, label) for label in _row_labels() if not runs_past(text, label)),
        default=0.0,
    )


@lru_cache(maxsize=4096)
def _label_suffix(piece: str) -> tuple[int, float]:
    """Where the row label starts inside the text before a run, and its score: the whole piece when
    it reads as a row label, else the best-scoring suffix ("…现行有效件数规章" → "规章")."""
    if len(piece) > MAX_LABEL:  # prose or a header before the label: only its end can be one
        offset = len(piece) - MAX_LABEL
        where, score = _label_suffix(piece[offset:])
        return (where + offset if where >= 0 else -1), score
    whole = _score(piece)
    if whole >= 1.0 or joined_rows(piece, _row_labels()):
        return 0, whole  # exact, or one row for two (信函、传真申请数): never cut inside
    # a suffix is tried only against labels that end in the same two characters
    candidates = _labels_ending(normalize_label(piece)[-2:])
    best, where = whole, 0  # a suffix that reads better wins over header text run into the label
    for start in range(len(piece) - 1, -1, -1) if candidates else ():
        suffix = piece[start:]
        if len(normalize_label(suffix)) < 2:
            continue
        score = max(label_score(suffix, label) for label in candidates)
        if score > best:
            best, where = score, start
    return (where, best) if best >= MIN_SCORE else (-1, best)


def _last_piece(label: str) -> str:
    pieces = [p for p in _PIECE_START.split(label) if p.strip()]
    return pieces[-1] if pieces else ""


def _unit_start(chunk: str) -> int:
    """Where a unit printed between the label and its run starts ("…信息数条5533"), -1 if none:
    a label ending in a unit's character ("行政规范性文件") keeps it when it reads better so."""
    label = chunk.rstrip()
    unit = _UNIT_END.search(label)
    if not unit:
        return -1
    kept = _label_suffix(_last_piece(label))[1]
    dropped = _label_suffix(_last_piece(label[: unit.start()].rstrip()))[1]
    spaced = label[unit.start() - 1 : unit.start()].isspace()
    return unit.start() if dropped > kept or (spaced and dropped >= kept) else -1


def find_flat_tables(document: Document, covered: list[tuple[int, int]]) -> list[Table]:
    text = document.text
    rows: list[tuple[int, int, int, bool]] = []  # (chunk start, run start, run end, anchored)
    boundary = 0
    for match in RUN.finditer(text):
        start, end = match.start(), match.end()
        while end > start and text[end - 1] in ".,":
            end -= 1
        if any(a <= start < b for a, b in covered):
            continue
        if _NUMBERING_AFTER.match(text, end):
            end = _before_numbering(text, start, end)
            if end <= start:
                continue
        before = text[start - 1] if start else ""
        if _URL_CHAR.match(before) or _URL_CHAR.match(text[end : end + 1]):
            continue
        if _PROSE_AFTER.match(text, end) and not _CELL_UNIT_AFTER.match(text, end):
            continue
        # "本年增/减": a slash inside a header, not an empty cell; but marks run on to a row's
        # label ("规章___") are its empty cells, so the label decides below
        in_word = bool(_BLANKS.match(text[start:end])) and not text[start - 1 : start].isspace()
        chunk_start = max(boundary, text.rfind("\n", 0, start) + 1)
        sentence = list(_SENTENCE.finditer(text, chunk_start, start))
        if sentence:
            chunk_start = sentence[-1].end()
        chunk = text[chunk_start:start]
        if chunk.count("（") + chunk.count("(") > chunk.count("）") + chunk.count(")"):
            continue  # "（…计1条）": a number inside a label's note
        unit = _unit_start(chunk)
        label = chunk[:unit].rstrip() if unit >= 0 else chunk
        anchored = _label_suffix(_last_piece(label))[0] >= 0
        if in_word and not anchored:
            continue
        rows.append((chunk_start, start, end, anchored))
        after = _CELL_UNIT_AFTER.match(text, end)
        boundary = after.end() if after else end
    return [_table(document, run) for run in _tables(text, rows)]


def _before_numbering(text: str, start: int, end: int) -> int:
    """Where a run ends when its last digit numbers the next row ("…00000002.其他…" or
    "…0 0 2.其他…"); the templates number rows 1 to 8."""
    return len(text[: end - 1].rstrip())


def _tables(text: str, rows: list[tuple[int, int, int, bool]]) -> list[list[tuple[int, int, int]]]:
    """Rows with only header text between them (no sentence, not too long) form one table."""
    tables: list[list[tuple[int, int, int, bool]]] = []
    for row in rows:
        gap = text[tables[-1][-1][2] : row[1]] if tables else ""
        if tables and len(gap) <= MAX_GAP and not _SENTENCE.search(gap):
            tables[-1].append(row)
        else:
            tables.append([row])
    kept = []
    for table in tables:
        while table and not table[-1][3] and not _CJK.search(text[table[-1][0] : table[-1][1]]):
            table.pop()  # trailing runs under no words: page numbers, dates
        if sum(1 for row in table if row[3]) >= MIN_ROWS:
            kept.append([(a, b, c) for a, b, c, _ in table])
    return kept


def _header_start(text: str, start: int) -> int:
    """The table's header lines above its first row ("指标名称 计量单位 2009年度 历年累计"): up
    to two short lines without a sentence end."""
    for _ in range(2):
        line_start = text.rfind("\n", 0, max(start - 1, 0)) + 1
        line = text[line_start : max(start - 1, 0)]
        if not line.strip() or len(line) > MAX_HEADER_LINE or _SENTENCE.search(line):
            break
        start = line_start
    return start


def _table(document: Document, rows: list[tuple[int, int, int]]) -> Table:
    text = document.text
    cells: list[Cell] = []
    first_chunk, first_run, first_end = rows[0]
    if first_chunk == text.rfind("\n", 0, first_run) + 1:
        rows = [(_header_start(text, first_chunk), first_run, first_end)] + rows[1:]
    for number, (chunk_start, run_start, run_end) in enumerate(rows):
        chunk = text[chunk_start:run_start]
        unit = _unit_start(chunk)
        label = chunk[:unit] if unit >= 0 else chunk.rstrip()
        starts = [0] + [m.start() for m in _PIECE_START.finditer(label) if m.start() > 0]
        pieces = [(a, b) for a, b in zip(starts, starts[1:] + [len(label)]) if label[a:b].strip()]
        if pieces:
            a, b = pieces[-1]
            suffix = _label_suffix(label[a:b])[0]
            if suffix > 0:
                pieces[-1:] = [(a, a + suffix), (a + suffix, b)]
        for a, b in pieces:
            piece = label[a:b]
            lead = len(piece) - len(piece.lstrip())
            stripped = piece.strip()
            span = document.span(chunk_start + a + lead, chunk_start + a + lead + len(stripped))
            cells.append(Cell(stripped, span, number, len(cells)))
        if unit >= 0:
            unit_text = chunk[unit:].strip()
            cells.append(Cell(unit_text, document.span(chunk_start + unit,
                                                       chunk_start + unit + len(unit_text)),
                              number, len(cells)))  # fmt: skip
        cells.append(Cell(text[run_start:run_end], document.span(run_start, run_end), number, -1))
        after = _CELL_UNIT_AFTER.match(text, run_end)
        if after:  # "976.81万元": the unit the run's last cell is printed in
            cells.append(Cell(after.group(), document.span(run_end, after.end()), number, -1))
    return Table(tuple(cells), "flat", document.span(rows[0][0], rows[-1][2]))
