"""Position look-ups that keep tagging linear in the length of a report: where the clause or
sentence around a position starts (bisect over the stop characters, indexed once per text),
whether a span overlaps any of a set of spans, and which spans end or start in a window.

A scan from each entity over the whole text or over every other entity made a number-dense text
of 280k characters take minutes (benchmarks/dense_text.py).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Protocol


class Located(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


@lru_cache(maxsize=16)
def _stop_positions(text: str, stops: str) -> list[int]:
    pattern = "[" + "".join(re.escape(c) for c in stops) + "]"
    return [match.start() for match in re.finditer(pattern, text)]


def segment_start(text: str, position: int, stops: str) -> int:
    """Where the stretch of ``text`` holding ``position`` starts: right after the last character
    of ``stops`` before ``position``, else 0 (``position`` stepped back while the character before
    it is no stop)."""
    positions = _stop_positions(text, stops)
    before = bisect_left(positions, position)
    return positions[before - 1] + 1 if before else 0


def segment_end(text: str, position: int, stops: str) -> int:
    """Where the stretch holding ``position`` ends: the first character of ``stops`` at or after
    ``position``, else the end of ``text``."""
    positions = _stop_positions(text, stops)
    after = bisect_left(positions, position)
    return positions[after] if after < len(positions) else len(text)


class Overlaps:
    """Whether a span overlaps any of some fixed spans (``start < end_ and start_ < end``), in
    log time: the spans sorted by start, with the running maximum of their ends."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [start for start, _ in ordered]
        self.max_end: list[int] = []
        running = None
        for _, end in ordered:
            running = end if running is None else max(running, end)
            self.max_end.append(running)

    def __call__(self, start: int, end: int) -> bool:
        below = bisect_left(self.starts, end)  # the spans starting before ``end``
        return below > 0 and self.max_end[below - 1] > start


class DisjointSpans:
    """A growing set of spans that never overlap one another (each is added only after
    ``overlaps`` said no): sorted, so their ends are sorted too and one neighbour decides."""

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []

    def overlaps(self, start: int, end: int) -> bool:
        below = bisect_left(self.spans, (end,))  # the spans starting before ``end``
        return below > 0 and self.spans[below - 1][1] > start

    def add(self, start: int, end: int) -> None:
        insort(self.spans, (start, end))


class ByEnd:
    """Entities of a list by where they end (or start), for window look-ups that give the same
    answer as a scan of the list: the indices, in list order, of those in a range."""

    def __init__(self, entities: Sequence[Located], key: str = "end") -> None:
        self.entities = entities
        order = sorted(range(len(entities)), key=lambda i: getattr(entities[i], key))
        self.keys = [getattr(entities[i], key) for i in order]
        self.order = order

    def indices(self, low: int, high: int) -> list[int]:
        """Indices, in list order, of the entities whose key is in ``[low, high]``."""
        first, last = bisect_left(self.keys, low), bisect_right(self.keys, high)
        return sorted(self.order[first:last])
