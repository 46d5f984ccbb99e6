"""Document: the text we read, where it came from, and the map back to the user's text.

Stages work on ``Document.text``: the source text with full-width forms folded and traditional
characters converted to simplified. ``Document.source_text`` is the text the user gave us (a txt
file decoded) or the text we extracted (HTML, PDF, DOCX: what ``--dump-text`` prints); every offset
in the output is an offset into ``source_text``, mapped through ``offsets``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ie.types import Cell, Span


@dataclass(frozen=True)
class Document:
    path: str
    text: str
    source_text: str
    # offsets[i] is the index in source_text of text[i]; one extra entry maps the end of the text.
    offsets: tuple[int, ...]
    format: str  # txt | markdown | html | pdf | docx
    encoding: str | None = None
    traditional: bool = False
    # Tables read structurally (markdown/HTML/PDF/DOCX): rows of cells whose spans index ``text``.
    grids: tuple[tuple[Cell, ...], ...] = field(default=())
    # Characters read by OCR from pages without a text layer: (start, end, the recogniser's score)
    recognised: tuple[tuple[int, int, float], ...] = field(default=())

    def source_span(self, start: int, end: int) -> Span:
        """The span of ``source_text`` that ``text[start:end]`` was made from."""
        if not self.text:
            return Span(0, 0, "")
        src_start = self.offsets[start]
        src_end = self.offsets[end - 1] + 1 if end > start else src_start
        return Span(src_start, src_end, self.source_text[src_start:src_end])

    def span(self, start: int, end: int) -> Span:
        """A span of ``text`` (internal offsets)."""
        return Span(start, end, self.text[start:end])


def identity_offsets(text: str) -> tuple[int, ...]:
    return tuple(range(len(text) + 1))
