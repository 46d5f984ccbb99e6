"""One report through every stage: Document → tables → tagging → facts → checks → a JSON-ready dict.

Stages are plain functions; this module only chains them and maps evidence offsets back to the
text the user gave us (``Document.source_text``), the last step before output.
"""

from __future__ import annotations

from dataclasses import replace

from ie.check import find_conflicts, harmonize, run_checks
from ie.document import Document
from ie.normalize import Percentage, normalize
from ie.schema import load_schema
from ie.tag import ReportTables, Tagger, report_tables
from ie.vocabulary import CheckResult, Conflict, Fact, Span, Statistic, Tagging

OFFSETS_REFER_TO = {
    "txt": "the file's text as decoded (see encoding): Python string indices",
    "html": "the text extracted from the HTML, as --dump-text prints it",
    "pdf": "the text extracted from the PDF, as --dump-text prints it",
    "docx": "the text extracted from the DOCX, as --dump-text prints it",
}


def analyze(document: Document, tagger: Tagger) -> dict[str, object]:
    tables = report_tables(document)  # tables and description, once, for every stage below
    return assemble(document, tables, tagger(document, tables))


def assemble(document: Document, tables: ReportTables, tagging: Tagging) -> dict[str, object]:
    """The stages after tagging: facts, checks and the JSON-ready result."""
    info = tables.info
    vintage = load_schema()[info.vintage]
    normalized = normalize(document, list(tables), tagging, vintage)
    facts = sorted(normalized.facts, key=lambda f: (f.evidence.start, f.field_id))
    facts, conflicts = find_conflicts(facts)
    unmapped = list(normalized.unmapped)
    if info.kind != "annual_report":
        # Numbers of a notice or a self-inspection are not a report's statistics: listed, not facts.
        unmapped += [Statistic(f.value, f.unit, f.approx, f.origin, f.evidence, f.label,
                               f"{info.kind_reason}: {f.field_id}") for f in facts]  # fmt: skip
        facts, conflicts = [], []
    checks = run_checks(facts, vintage)
    to_source = _SourceMapper(document)
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
        "facts": [to_source.fact(f).to_json() for f in facts],
        "harmonized": harmonize(facts, vintage),
        "percentages": [to_source.percentage(p).to_json() for p in normalized.percentages],
        "unmapped": [to_source.statistic(s).to_json() for s in unmapped],
        "checks": [to_source.check(c).to_json() for c in checks],
        "conflicts": [to_source.conflict(c).to_json() for c in conflicts],
    }


class _SourceMapper:
    """Evidence spans from ``Document.text`` offsets to ``Document.source_text`` offsets."""

    def __init__(self, document: Document) -> None:
        self.document = document

    def span(self, span: Span) -> Span:
        return self.document.source_span(span.start, span.end)

    def fact(self, fact: Fact) -> Fact:
        return replace(fact, evidence=self.span(fact.evidence))

    def statistic(self, statistic: Statistic) -> Statistic:
        return replace(statistic, evidence=self.span(statistic.evidence))

    def percentage(self, percentage: Percentage) -> Percentage:
        return replace(percentage, evidence=self.span(percentage.evidence))

    def check(self, check: CheckResult) -> CheckResult:
        return replace(check, evidence=tuple(self.span(s) for s in check.evidence))

    def conflict(self, conflict: Conflict) -> Conflict:
        return replace(conflict, table=self.fact(conflict.table), prose=self.fact(conflict.prose))
