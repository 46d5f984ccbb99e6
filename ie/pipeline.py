"""One report through every stage: Document → Prepared (tables, description, table facts: once)
→ tagging of the prose → facts → checks → Analysis.

Stages are plain functions; this module only chains them and maps evidence offsets back to the
text the user gave us (``Document.source_text``), the last step before output.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ie.check.identities import find_conflicts, harmonize, run_checks
from ie.document import Document
from ie.facts.normalize import Percentage, normalize
from ie.facts.recognised import mark_facts, mark_statistics
from ie.prepared import Prepared, prepare
from ie.schema import Vintage
from ie.tables.describe import ReportInfo
from ie.tag import Tagger
from ie.types import CheckResult, Conflict, Fact, Span, Statistic, Tagging

OFFSETS_REFER_TO = {
    "txt": "the file's text as decoded (see encoding): Python string indices",
    "markdown": "the file's text as decoded (see encoding): Python string indices",
    "html": "the text extracted from the HTML, as --dump-text prints it",
    "pdf": "the text extracted from the PDF, as --dump-text prints it",
    "docx": "the text extracted from the DOCX, as --dump-text prints it",
}


@dataclass(frozen=True)
class Analysis:
    """One report's result, typed: every span already maps into ``document.source_text``.

    ``to_json`` is what ``ie.predict`` writes; the review page and the checks across years read
    the typed fields (a check's field ids, the vintage's grids) instead of parsing that JSON.
    """

    document: Document
    info: ReportInfo
    vintage: Vintage
    facts: tuple[Fact, ...]
    harmonized: dict[str, float | int | None]
    percentages: tuple[Percentage, ...]
    unmapped: tuple[Statistic, ...]
    checks: tuple[CheckResult, ...]
    conflicts: tuple[Conflict, ...]

    def to_json(self) -> dict[str, object]:
        document, info = self.document, self.info
        return {
            "document": document.path,
            "source": {
                "format": document.format,
                "encoding": document.encoding,
                "traditional": document.traditional,
                "offsets_refer_to": OFFSETS_REFER_TO[document.format],
            },
            "agency": info.agency,
            "year": info.year,
            "vintage": info.vintage,
            "vintage_reason": info.vintage_reason,
            "kind": info.kind,
            "kind_reason": info.kind_reason,
            "facts": [f.to_json() for f in self.facts],
            "harmonized": self.harmonized,
            "percentages": [p.to_json() for p in self.percentages],
            "unmapped": [s.to_json() for s in self.unmapped],
            "checks": [c.to_json() for c in self.checks],
            "conflicts": [c.to_json() for c in self.conflicts],
        }


def analyze(document: Document, tagger: Tagger) -> dict[str, object]:
    """The JSON-ready result ``ie.predict`` writes."""
    return extract(document, tagger).to_json()


def extract(document: Document, tagger: Tagger) -> Analysis:
    prepared = prepare(document)  # tables, description, table facts: once, for every stage below
    return assemble(prepared, tagger(prepared))


def assemble(prepared: Prepared, tagging: Tagging) -> Analysis:
    """The stages after tagging: facts, checks and the typed result."""
    document, info, vintage = prepared.document, prepared.info, prepared.vintage
    normalized = normalize(prepared, tagging)
    facts = sorted(normalized.facts, key=lambda f: (f.evidence.start, f.field_id))
    facts, conflicts = find_conflicts(mark_facts(document, facts))  # OCR: ocr-table, ocr-prose
    unmapped = mark_statistics(document, list(normalized.unmapped))
    if info.kind != "annual_report":
        # Numbers of a notice or a self-inspection are not a report's statistics: listed, not facts.
        unmapped += [Statistic(f.value, f.unit, f.approx, f.origin, f.evidence, f.label,
                               f"{info.kind_reason}: {f.field_id}") for f in facts]  # fmt: skip
        facts, conflicts = [], []
    checks = run_checks(facts, vintage)
    to_source = _SourceMapper(document)
    return Analysis(
        document=document,
        info=info,
        vintage=vintage,
        facts=tuple(to_source.fact(f) for f in facts),
        harmonized=harmonize(facts, vintage),
        percentages=tuple(to_source.percentage(p) for p in normalized.percentages),
        unmapped=tuple(to_source.statistic(s) for s in unmapped),
        checks=tuple(to_source.check(c) for c in checks),
        conflicts=tuple(to_source.conflict(c) for c in conflicts),
    )


class _SourceMapper:
    """Evidence spans from ``Document.text`` offsets to ``Document.source_text`` offsets."""

    def __init__(self, document: Document) -> None:
        self.document = document

    def span(self, span: Span) -> Span:
        return self.document.source_span(span.start, span.end)

    def fact(self, fact: Fact) -> Fact:
        metric = self.span(fact.metric) if fact.metric is not None else None
        return replace(fact, evidence=self.span(fact.evidence), metric=metric)

    def statistic(self, statistic: Statistic) -> Statistic:
        candidates = tuple(tuple(self.fact(f) for f in reading) for reading in statistic.candidates)
        return replace(statistic, evidence=self.span(statistic.evidence), candidates=candidates)

    def percentage(self, percentage: Percentage) -> Percentage:
        return replace(percentage, evidence=self.span(percentage.evidence))

    def check(self, check: CheckResult) -> CheckResult:
        return replace(check, evidence=tuple(self.span(s) for s in check.evidence))

    def conflict(self, conflict: Conflict) -> Conflict:
        return replace(conflict, table=self.fact(conflict.table), prose=self.fact(conflict.prose))
