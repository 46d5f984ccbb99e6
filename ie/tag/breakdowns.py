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

from ie.text.conventions import MAX_SENTENCE_BEFORE, PARAGRAPH_ENDS
from ie.text.positions import ByEnd, segment_end, segment_start
from ie.types import Entity, Relation, Span

# A breakdown's full stop: ；and ，separate its items, not breakdowns.
# 其中 (其中包括 once), 包括 right after a count's clause ("21件，包括信函申请2件") or before a
# colon ("主要类别包括："), a count split by who applied or how ("按申请人分，公民17件",
# "从申请方式看：网上申请…"), and parts listed in parentheses after their count.
_DIMENSION = r"(?:申请人|申请主体|申请方式|申请渠道|提交方式)(?:类型|类别|情况)?"
_MARKER = re.compile(
    r"其中(?:包括)?|(?<=[，,：:])\s*(?:主要)?包括|包括[:：]"
    rf"|按{_DIMENSION}(?:划分|区分|分类|统计|分)[，,：:]|从{_DIMENSION}(?:来)?看[，,：:]"
    r"|(?:申请人|上述申请)中[，,：:]"
    # right inside a parenthesis that opens after a count and lists parts: "328件（自然人297件、
    # 商业企业19件）" (a breakdown of that count only, as a 其中 in parentheses is)
    r"|(?<=[件条个项次篇份宗名][（(])(?=[^（()）\d，,。；;]{1,12}\d)"
)
# "在主动公开政府信息中，…": the whole named before the list.
_AMONG = re.compile(r"在([^，,。；;：:、\d（()）]{2,24}?)中[，,：:]")
_AMONG_FRAME = re.compile(r"^(?:本年度?|今年|全年|[我本][局委办区县市镇乡院])+")
_OPEN, _CLOSE = "（(", "）)"


def _paragraph_start(text: str, position: int) -> int:
    return segment_start(text, position, PARAGRAPH_ENDS)


def _previous_start(text: str, paragraph: int) -> int:
    """Where the sentence before the one starting at ``paragraph`` starts ("。\n" ends one)."""
    end = paragraph
    while end > 0 and text[end - 1] in PARAGRAPH_ENDS:
        end -= 1
    return _paragraph_start(text, end)




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
    scan = _Scan(text) if ordered.metrics else None
    for metric in ordered.metrics:
        paragraph = _paragraph_start(text, metric.start)
        assert scan is not None
        head = _head(scan, metric, paragraph, ordered)
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

    def last_within(self, low: int, limit: int, below: int | None = None) -> Entity | None:
        """The last of ``within(low, limit)`` (starting before ``below`` too, when given),
        looked for from the end: only metrics that straddle ``limit`` are passed over."""
        high = limit if below is None else min(limit, below - 1)
        first = bisect_left(self.starts, low)
        for index in range(bisect_right(self.starts, high) - 1, first - 1, -1):
            if self.metrics[index].end <= limit:
                return self.metrics[index]
        return None


class _Scan:
    """The breakdown markers and parentheses of a text, found once: ``markers(start, end)`` is
    ``list(_MARKER.finditer(text, start, end))`` and ``open_parenthesis``/``closed_between``
    answer what a walk over the characters answered, each without scanning the paragraph again
    for every metric (a long paragraph made that quadratic)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._scans: dict[tuple[int, int], tuple[list[re.Match[str]], list[int]]] = {}
        # depth[i]: opening minus closing parentheses in text[:i]
        depth = [0]
        # top[i]: the innermost parenthesis still open before i (a walk from the start of the
        # text that ignores a closing one with none open), -1 if none
        top, stack = [-1], []
        for index, char in enumerate(text):
            if char in _OPEN:
                stack.append(index)
                depth.append(depth[-1] + 1)
            elif char in _CLOSE:
                if stack:
                    stack.pop()
                depth.append(depth[-1] - 1)
            else:
                depth.append(depth[-1])
            top.append(stack[-1] if stack else -1)
        self.top = top
        # lower[i]: the first k > i with depth[k] < depth[i] (len(depth) if none)
        lower, pending = [len(depth)] * len(depth), []
        for index, value in enumerate(depth):
            while pending and depth[pending[-1]] > value:
                lower[pending.pop()] = index
            pending.append(index)
        self.lower = lower

    def closed_between(self, start: int, end: int) -> bool:
        """A closing parenthesis in text[start:end] that closes one opened before ``start``."""
        return self.lower[start] <= end

    def open_parenthesis(self, start: int, position: int) -> int:
        """Where the parenthesis still open at ``position`` opened (after ``start``), else -1:
        a walk from ``start`` keeps the same stack as one from the text's start, less what was
        opened before ``start``."""
        opened = self.top[position]
        return opened if opened >= start else -1

    def _reference(self, start: int, stop: int) -> tuple[list[re.Match[str]], list[int]]:
        key = (start, stop)
        if key not in self._scans:
            found = list(_MARKER.finditer(self.text, start, stop))
            self._scans[key] = (found, [m.end() for m in found])
        return self._scans[key]

    def markers(self, start: int, end: int, stop: int) -> list[re.Match[str]]:
        """``list(_MARKER.finditer(text, start, end))`` for ``end <= stop``, from the scan of
        ``text[start:stop]`` (made once): the same matches up to the first that runs past
        ``end``; from where that one starts, the scan cut at ``end`` is made again (a few
        characters). A match of the cut scan needs one of the whole scan at the same place."""
        found, ends = self._reference(start, stop)
        kept = bisect_right(ends, end)  # matches in order, not overlapping: ends ascend
        result = found[:kept]
        if kept < len(found) and found[kept].start() < end:
            result += list(_MARKER.finditer(self.text, found[kept].start(), end))
        return result

    def first_marker_end(self, start: int, end: int, stop: int) -> int | None:
        """Where the first match of ``_MARKER.finditer(text, start, end)`` ends."""
        found, ends = self._reference(start, stop)
        if found and ends[0] <= end:
            return ends[0]
        if found and found[0].start() < end:
            cut = _MARKER.search(self.text, found[0].start(), end)
            return cut.end() if cut else None
        return None


def _head(scan: _Scan, metric: Entity, paragraph: int, ordered: _Ordered) -> Entity | None:
    text = scan.text
    stop = segment_end(text, metric.start, PARAGRAPH_ENDS)  # scans run to the paragraph's end
    markers = scan.markers(paragraph, metric.start, stop)
    # a 其中 inside a parenthesis closed before the metric broke down only that parenthesis
    marker = next(
        (m for m in reversed(markers) if not scan.closed_between(m.start(), metric.start)), None
    )
    if marker is None:
        return None
    opened = scan.open_parenthesis(paragraph, marker.start())
    if opened >= 0:  # "471条（其中…135条）": the count right before the parenthesis
        return ordered.last_within(paragraph, opened)
    limit = marker.start()
    start = paragraph
    if ordered.last_within(paragraph, limit) is None and paragraph > 0:
        # "…4925人。其中，专职人员965人", "…348条。主要类别包括：…": the count before
        start = _previous_start(text, paragraph)
    # parts already listed in this breakdown are not its whole: the last one that is not (a
    # metric is after a marker when it starts at or after the end of the first marker)
    first = scan.first_marker_end(start, limit, stop)
    if _BY_APPLICANT.search(marker.group()):
        # "从申请人类型看，自然人16件" breaks down the requests received, which may lie sentences
        # back (after the results, say): the last count of them in the words before
        low = max(0, limit - MAX_SENTENCE_BEFORE)
        requests = [m for m in ordered.within(low, limit) if _REQUESTS.search(m.text)]
        return requests[-1] if requests else None
    head = ordered.last_within(start, limit, below=first)
    while head is not None and _COMPARISON.match(head.text):
        # "…申请13件，比上年减少4件，其中自然人10件": the comparison is not what is broken down
        head = ordered.last_within(start, head.start)
    return head


# A marker that names who applied: its parts break down the requests received.
_BY_APPLICANT = re.compile(r"申请人|上述申请")
_REQUESTS = re.compile(r"(?:收到|受理|新收|接收|接到).*申请|信息公开申请|申请总数")
# A comparison with another year, named as a METRIC by its words ("比上年减少"): never a whole.
_COMPARISON = re.compile(r"(?:比|较|同比|与)")






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
