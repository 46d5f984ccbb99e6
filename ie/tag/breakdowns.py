"""part_of links: the parts a report lists after 其中 / 包括 (or "在…中，"), each to the whole it
breaks down (annotations/GUIDELINES.md, "part_of").

A breakdown runs to the end of its sentence, across ；: "主动公开政府信息312条。其中，机构概况类信息
5条，占1.6%；政策文件类信息24条，…" makes every category a part of 主动公开政府信息. A 其中 in
parentheses ("公开信息共471条（其中专栏公开信息135条）") is a breakdown of the count right before
the parenthesis only.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from ie.text.positions import ByEnd
from ie.types import Entity, Relation, Span

# A breakdown's full stop: ；and ，separate its items, not breakdowns.
PARAGRAPH_END = "。！？!?\n"
# 其中 (其中包括 once), 包括 right after a count's clause ("21件，包括信函申请2件") or before a
# colon ("主要类别包括：").
_MARKER = re.compile(r"其中(?:包括)?|(?<=[，,：:])\s*(?:主要)?包括|包括[:：]")
# "在主动公开政府信息中，…": the whole named before the list.
_AMONG = re.compile(r"在([^，,。；;：:、\d（()）]{2,24}?)中[，,：:]")
_AMONG_FRAME = re.compile(r"^(?:本年度?|今年|全年|[我本][局委办区县市镇乡院])+")
_OPEN, _CLOSE = "（(", "）)"


def _paragraph_start(text: str, position: int) -> int:
    start = position
    while start > 0 and text[start - 1] not in PARAGRAPH_END:
        start -= 1
    return start


def _previous_start(text: str, paragraph: int) -> int:
    """Where the sentence before the one starting at ``paragraph`` starts ("。\n" ends one)."""
    end = paragraph
    while end > 0 and text[end - 1] in PARAGRAPH_END:
        end -= 1
    return _paragraph_start(text, end)


def _open_parenthesis(text: str, start: int, position: int) -> int:
    """Where the parenthesis still open at ``position`` opened (after ``start``), else -1."""
    depth, opened = 0, []
    for index in range(start, position):
        if text[index] in _OPEN:
            opened.append(index)
            depth += 1
        elif text[index] in _CLOSE and opened:
            opened.pop()
    return opened[-1] if opened else -1


def among_wholes(text: str, metrics: list[Entity]) -> list[Entity]:
    """The words X of "在X中，…" as a METRIC (the metric found there when it covers them)."""
    wholes = []
    found: dict[tuple[int, int], Entity] = {}
    for metric in metrics:
        found.setdefault((metric.start, metric.end), metric)
    for match in _AMONG.finditer(text):
        start, end = match.span(1)
        lead = _AMONG_FRAME.match(text, start)
        start = lead.end() if lead else start
        if end - start < 2:
            continue
        same = found.get((start, end))
        wholes.append(same or Entity(Span(start, end, text[start:end]), "METRIC", 0.5))
    return wholes


def link_parts(text: str, counted: list[Entity], wholes: list[Entity]) -> list[Relation]:
    """Each counted METRIC after a breakdown marker to the whole it is a part of: the last counted
    metric before the marker in its sentence (the sentence before when the marker opens one), or
    the one before the parenthesis a 其中 opens; or the whole of "在…中，" before it."""
    ordered = _Ordered(sorted(counted))
    whole_starts = ByEnd(wholes, "start")
    relations = []
    for metric in ordered.metrics:
        paragraph = _paragraph_start(text, metric.start)
        head = _head(text, metric, paragraph, ordered)
        if head is None:
            head = _among_head(text, metric, paragraph, wholes, whole_starts, ordered)
        if head is not None and head != metric:
            relations.append(Relation(metric, head, "part_of"))
    return relations


class _Ordered:
    """Metrics sorted by where they start, looked up by a range of starts (bisect), so finding a
    whole takes the metrics of its paragraph, not of the report."""

    def __init__(self, metrics: list[Entity]) -> None:
        self.metrics = metrics
        self.starts = [m.start for m in metrics]

    def starting(self, low: int, high: int) -> list[Entity]:
        """The metrics starting in ``[low, high]``, in order."""
        return self.metrics[bisect_left(self.starts, low) : bisect_right(self.starts, high)]

    def within(self, low: int, limit: int) -> list[Entity]:
        """The metrics with ``low <= start`` and ``end <= limit``, in order."""
        return [m for m in self.starting(low, limit) if m.end <= limit]


def _head(text: str, metric: Entity, paragraph: int, ordered: _Ordered) -> Entity | None:
    markers = [m for m in _MARKER.finditer(text, paragraph, metric.start)
               if m.end() <= metric.start]  # fmt: skip
    # a 其中 inside a parenthesis closed before the metric broke down only that parenthesis
    markers = [m for m in markers if not _closed_between(text, m.start(), metric.start)]
    if not markers:
        return None
    marker = markers[-1]
    opened = _open_parenthesis(text, paragraph, marker.start())
    if opened >= 0:  # "471条（其中…135条）": the count right before the parenthesis
        heads = ordered.within(paragraph, opened)
        return heads[-1] if heads else None
    limit = marker.start()
    heads = ordered.within(paragraph, limit)
    start = paragraph
    if not heads and paragraph > 0:
        # "…4925人。其中，专职人员965人", "…348条。主要类别包括：…": the count before
        start = _previous_start(text, paragraph)
        heads = ordered.within(start, limit)
    # parts already listed in this breakdown are not its whole: the last one that is not
    return next((m for m in reversed(heads) if not _after_marker(text, m, start, limit)), None)


def _after_marker(text: str, metric: Entity, start: int, limit: int) -> bool:
    return any(m.end() <= metric.start for m in _MARKER.finditer(text, start, limit))


def _closed_between(text: str, start: int, end: int) -> bool:
    depth = 0
    for char in text[start:end]:
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth -= 1
            if depth < 0:
                return True
    return False


def _among_head(
    text: str,
    metric: Entity,
    paragraph: int,
    wholes: list[Entity],
    whole_starts: ByEnd,
    ordered: _Ordered,
) -> Entity | None:
    """The whole of "在X中，"; when the sentence before counted X in the same words, that count
    ("主动公开政府信息1786条。在主动公开政府信息中，…")."""
    before = [i for i in whole_starts.indices(paragraph, metric.start)
              if wholes[i].end < metric.start]  # fmt: skip
    if not before:
        return None
    whole = wholes[before[-1]]
    previous = _previous_start(text, paragraph)
    same = [m for m in ordered.within(previous, paragraph) if m.text == whole.text]
    # the gold marks a part of "在主动公开的信息中" as often as not: only a count named in the
    # same words is taken as the whole
    return same[0] if same else None
