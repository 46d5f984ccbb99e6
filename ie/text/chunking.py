"""Where a report's text is cut: chunks of whole lines, and sliding windows over a chunk.

One place for both, because three callers must cut the same way: ``ie.studio push`` makes a Label
Studio task of each chunk, training reads those annotated chunks back, and the model tagger reads a
report chunk by chunk, so the model sees at inference the pieces it was trained on. A chunk longer
than the model's input is read in overlapping windows (``windows``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ie.text.conventions import CHUNK_ENDS, mark_class

DEFAULT_MAX_CHARS = 500
SENTENCE_END = re.compile(mark_class(CHUNK_ENDS) + r"+[”’」』）)]*")


@dataclass(frozen=True)
class Chunk:
    start: int
    end: int
    text: str


def chunks(text: str, max_chars: int = DEFAULT_MAX_CHARS) -> list[Chunk]:
    """Whole lines packed into chunks of at most ``max_chars``; blank lines and the whitespace at a
    chunk's edges are left out, so a chunk starts and ends on printed characters."""
    pieces = [
        piece for start, end in _lines(text) for piece in _pieces(text, start, end, max_chars)
    ]
    found: list[Chunk] = []
    group_start = group_end = None
    for start, end in pieces:
        if group_start is not None and end - group_start > max_chars:
            found.append(Chunk(group_start, group_end, text[group_start:group_end]))
            group_start = None
        if group_start is None:
            group_start = start
        group_end = end
    if group_start is not None:
        found.append(Chunk(group_start, group_end, text[group_start:group_end]))
    return found


def _lines(text: str) -> Iterable[tuple[int, int]]:
    """(start, end) of each line's printed characters, without its indentation and line break."""
    position = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped:
            start = position + line.index(stripped[0])
            yield start, start + len(stripped)
        position += len(line)


def _pieces(text: str, start: int, end: int, max_chars: int) -> Iterable[tuple[int, int]]:
    """A line, or a long line cut after sentence ends into pieces of at most ``max_chars``."""
    if end - start <= max_chars:
        yield start, end
        return
    cuts = [m.end() for m in SENTENCE_END.finditer(text, start, end)]
    piece_start = previous = start
    for cut in [*cuts, end]:
        if cut - piece_start > max_chars and previous > piece_start:
            yield from _stripped(text, piece_start, previous)
            piece_start = previous
        previous = cut
    yield from _stripped(text, piece_start, end)


def _stripped(text: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end


def windows(length: int, size: int, stride: int) -> list[tuple[int, int]]:
    """(start, end) windows of at most ``size`` characters over ``length``, each starting ``stride``
    after the one before, the last one ending at ``length``: every character is in at least one."""
    if size <= 0 or stride <= 0:
        raise ValueError("window size and stride must be positive")
    if length <= size:
        return [(0, length)]
    found = [(start, start + size) for start in range(0, length - size, stride)]
    found.append((length - size, length))
    return found
