"""The report's text as HTML with every evidence span highlighted (for ``ie.review``).

Spans may nest (a zero statement around a number) or cross (rare): marks are nested where they
can be and split where they cross, each piece carrying its span in ``data-span``, so the page's
script (and a test) can put a highlight's pieces back together and compare them with the evidence.
displaCy's renderers take no overlapping spans and turn newlines into ``<br>`` (which breaks the
character offsets the check relies on), hence this small renderer.
"""

from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import dataclass

from ie.types import Span

# Which class a highlight takes when several kinds of item share one span: the most telling one.
KIND_ORDER = ("conflict", "table", "prose", "percentage", "unmapped")


@dataclass(frozen=True)
class Highlight:
    """One thing the page marks in the text: a fact (by origin), a conflict's prose side, a
    percentage or an unmapped statistic, with the words shown on hover."""

    kind: str  # table | prose | conflict | percentage | unmapped
    evidence: Span
    hover: str


def span_id(span: Span) -> str:
    return f"ev-{span.start}-{span.end}"


def escape_text(text: str) -> str:
    """HTML for text whose characters must survive parsing one for one: the parser would turn a
    carriage return into a newline (shifting nothing, but changing the text), so it is a reference."""
    return html.escape(text, quote=False).replace("\r", "&#13;")


def render_text(text: str, highlights: list[Highlight]) -> str:
    groups: dict[tuple[int, int], list[Highlight]] = defaultdict(list)
    for item in highlights:
        if item.evidence.end > item.evidence.start:
            groups[(item.evidence.start, item.evidence.end)].append(item)
    starts: dict[int, list[tuple[int, int]]] = defaultdict(list)
    ends: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for key in groups:
        starts[key[0]].append(key)
        ends[key[1]].append(key)
    boundaries = sorted({0, len(text), *starts, *ends})
    out: list[str] = []
    stack: list[tuple[int, int]] = []
    opened: set[tuple[int, int]] = set()

    def open_mark(key: tuple[int, int]) -> None:
        items = groups[key]
        kind = min((item.kind for item in items), key=KIND_ORDER.index)
        first = key not in opened
        opened.add(key)
        anchor = f' id="{span_id(items[0].evidence)}"' if first else ""
        hover = html.escape("\n".join(item.hover for item in items))
        out.append(f'<mark class="ev {kind}" data-span="{key[0]}-{key[1]}"{anchor} '
                   f'title="{hover}">')  # fmt: skip
        stack.append(key)

    for position, following in zip(boundaries, [*boundaries[1:], None], strict=True):
        closing = set(ends.get(position, ()))
        while closing & set(stack):
            # Close down to the deepest mark that ends here; reopen the ones above it after.
            reopen = []
            while stack[-1] not in closing:
                reopen.append(stack.pop())
                out.append("</mark>")
            closing.discard(stack.pop())
            out.append("</mark>")
            for key in reversed(reopen):
                open_mark(key)
        for key in sorted(starts.get(position, ()), key=lambda k: -k[1]):
            open_mark(key)
        if following is not None:
            out.append(escape_text(text[position:following]))
    return "".join(out)
