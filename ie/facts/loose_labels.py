"""What the loose lines printed before a block of label-less rows say (ie.facts.fragments).

A weak converter prints a table's row labels as lines of text before the values (a long label
broken over lines), and its header row as a line above them. ``labels_in`` finds the template rows
those lines name. ``foreign_words`` finds what they print that is no template row's label or
header, nor close to one: a row the report added (行政检查) standing where a template row it left
out would stand, which no order of the rows can tell from a row whose label the converter lost.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ie.read.textnorm import to_simplified
from ie.schema import Vintage
from ie.text.conventions import CHINESE_CHARACTER
from ie.text.row_labels import normalize_label

NOTE = re.compile(r"（[^（）]*）|\([^()]*\)")
_MARKS = re.compile(r"[“”\"'‘’「」、，,。：:；;\s《》]")
# Numbering between labels (一、 （三） 2. 第二十条 第（一）项), cut out before the marks go.
_NUMBERING = re.compile(
    r"[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．]|第[^条项\n]{0,4}[条项]"
)
# Header cells of the template that the schema names no field by.
HEADER_WORDS = ("信息内容", "申请人情况", "条例")
# A printed word whose pairs of neighbouring characters a template label prints this many of is
# that label's wording or a piece of it broken off (本年新收申请数量, 对外公开总量, 请数量), not a
# row of the report's own (行政检查 shares only 行政 with 行政处罚, 属于行政查询事项).
MIN_COVERED = 0.75
MAX_LABEL_LINE = 60  # a longer line before a block is prose, not a label


def bare(text: str) -> str:
    """Words without quotes and punctuation, as loose lines may print them or leave them out."""
    return _MARKS.sub("", text)


def label_tail(line: str, vintage: Vintage) -> str:
    """The first label of a block where the reader ran it onto the wide header line above it
    (ie.read.markdown joins a page-wide line that ends mid-sentence to the next one): the line's
    last word after a space, without the header cell it begins with (…其他 总计本年新收政府 →
    本年新收政府; a header line left alone ends in its own cell, 总计, and gives nothing)."""
    words = line.split()
    if len(words) < 2:
        return ""
    tail = to_simplified(words[-1])
    for header in _column_headers(vintage):
        if tail.startswith(header):
            tail = tail[len(header) :]
            break
    return tail if len(tail) <= MAX_LABEL_LINE else ""


def labels_in(gap: str, words: Sequence[str]) -> list[int]:
    """The indexes of the row ``words`` (in template order) that ``gap`` prints: each searched
    after the one found before it (a header's 其他 or 总计 before the first label is no row's)."""
    gap = bare(NOTE.sub("", gap))  # （区分处理的…不计其他情形） names no row
    found: list[int] = []
    position = 0
    for index, word in enumerate(words):
        word = bare(word)
        where = gap.find(word, position) if word else -1
        if where >= 0:
            found.append(index)
            position = where + len(word)
    return found


def foreign_words(gap: str, vintage: Vintage) -> list[str]:
    """Words of ``gap`` (its lines as printed) after the table's header lines that no label or
    header of the template covers (prose above the header is not looked at). Labels are taken out
    of the lines joined, as a long label is broken over lines; what is left is cut where a line
    begins, so a wording of one label (本年新收申请数量) and the next line are judged apart."""
    headers, labels = _vocabulary(vintage)
    lines = gap.split("\n")
    text = "".join(lines)
    starts, position = set(), 0
    for line in lines:
        starts.add(position)
        position += len(line)
    alive = [True] * len(text)
    for pattern in (NOTE, _NUMBERING, _MARKS):
        for match in pattern.finditer(text):
            alive[match.start() : match.end()] = [False] * (match.end() - match.start())
    view, where = _view(text, alive)
    # the header lines end at the last header word printed: the row labels follow them
    end = max((view.rfind(w) + len(w) for w in headers if w in view), default=0)
    for index in where[:end]:
        alive[index] = False
    for word in labels:
        view, where = _view(text, alive)
        at = view.find(word)
        while at >= 0:
            for index in where[at : at + len(word)]:
                alive[index] = False
            at = view.find(word, at + len(word))
    pieces, piece = [], ""
    for index, char in enumerate(text):
        if piece and (index in starts or not alive[index] or not CHINESE_CHARACTER.match(char)):
            pieces.append(piece)
            piece = ""
        if alive[index] and CHINESE_CHARACTER.match(char):
            piece += char
    pieces.append(piece)
    known = headers + labels
    return [piece for piece in pieces if len(piece) > 1 and not _explained(piece, known)]


def _explained(piece: str, known: tuple[str, ...]) -> bool:
    """The piece reads as one known word's wording, or as two or more such words run together
    where no line break was printed between them (a header's 对外公开总量 run onto the label
    行政规范性文件, of which 规范性文件 went as 2019's label): each part two characters or more."""

    judged: dict[str, bool] = {}

    def alone(part: str) -> bool:
        if part not in judged:
            judged[part] = any(_covered(part, word) >= MIN_COVERED for word in known)
        return judged[part]

    ends = {0}  # where a run of explained parts from the piece's start can end
    for end in range(2, len(piece) + 1):
        if any(start in ends and alone(piece[start:end]) for start in range(end - 1)):
            ends.add(end)
    return len(piece) in ends


def _view(text: str, alive: list[bool]) -> tuple[str, list[int]]:
    """The characters still alive, and the index in ``text`` of each."""
    where = [index for index, keep in enumerate(alive) if keep]
    return "".join(text[index] for index in where), where


def _covered(piece: str, known: str) -> float:
    """The share of ``piece``'s pairs of neighbouring characters that ``known`` prints too."""
    pairs = {piece[i : i + 2] for i in range(len(piece) - 1)}
    return sum(pair in known for pair in pairs) / len(pairs)


def _column_headers(vintage: Vintage) -> tuple[str, ...]:
    """The template's column headers (商业企业, 总计, 本年新制作数量), longest first."""
    words = {
        bare(normalize_label(part))
        for grid in vintage.grids
        for column in grid.columns
        for part in column.label.split("/")
    }
    return tuple(sorted((w for w in words if w), key=lambda w: (-len(w), w)))


def _vocabulary(vintage: Vintage) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The header words (table titles, column headers, sections) that name no row, and the row
    labels' parts (三、本年度办理结果 / （三）不予公开 / 1.属于国家秘密), longest first."""
    labels: set[str] = set()
    headers: set[str] = set(HEADER_WORDS)
    for grid in vintage.grids:
        headers.update(normalize_label(part) for part in grid.table.split("/"))
        for column in grid.columns:
            headers.update(normalize_label(part) for part in column.label.split("/"))
        for row in grid.rows:
            labels.update(normalize_label(part) for part in row.label.split("/"))
            headers.add(bare(_NUMBERING.sub("", NOTE.sub("", row.section))))
    labels = {bare(word) for word in labels if word}
    # a header word inside a label (其他 in 其他对外管理服务事项) says nowhere where the labels begin
    headers = {
        word
        for word in (bare(h) for h in headers)
        if len(word) > 1 and not any(word in label for label in labels)
    }

    def longest_first(words: set[str]) -> tuple[str, ...]:
        return tuple(sorted((w for w in words if w), key=lambda w: (-len(w), w)))

    return longest_first(headers), longest_first(labels)
