"""The data classes every stage shares: spans of report text, entities, relations, table cells, facts.

Offsets are always into ``Document.text`` (see ``ie.document``); the document alone maps them back
to the text the user gave us.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

EntityLabel = Literal["METRIC", "NUMBER", "UNIT", "AGENCY"]
RelationLabel = Literal["value", "unit", "reported_by", "part_of"]
Origin = Literal["table", "prose", "ocr-table", "ocr-prose"]
OCR_ORIGIN = "ocr-"  # a fact read from a page without a text layer: "ocr-table", "ocr-prose"
CheckStatus = Literal["pass", "fail", "not_assessable"]

ENTITY_LABELS: tuple[str, ...] = ("METRIC", "NUMBER", "UNIT", "AGENCY")
RELATION_LABELS: tuple[str, ...] = ("value", "unit", "reported_by", "part_of")


def base_origin(origin: str) -> str:
    """"table" or "prose": where a fact stood, however its characters were read (OCR or not).
    Checks, conflicts and evaluation treat an OCR'd table cell as a table cell."""
    return origin.removeprefix(OCR_ORIGIN)


@dataclass(frozen=True, order=True)
class Span:
    """Characters ``text[start:end]`` of a document."""

    start: int
    end: int
    text: str

    def to_json(self) -> dict[str, int | str]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True, order=True)
class Entity:
    """A labelled span: a METRIC phrase, a NUMBER, a UNIT or an AGENCY."""

    span: Span
    label: str
    score: float = 1.0

    @property
    def start(self) -> int:
        return self.span.start

    @property
    def end(self) -> int:
        return self.span.end

    @property
    def text(self) -> str:
        return self.span.text


@dataclass(frozen=True, order=True)
class Relation:
    """A directed link between two entities: NUMBER→METRIC (value), UNIT→NUMBER (unit),
    METRIC→AGENCY (reported_by), METRIC→METRIC (part_of: the head is a part of the tail)."""

    head: Entity
    tail: Entity
    label: str


@dataclass(frozen=True)
class Cell:
    """One table cell: its text, where it stands in the document, and its grid position."""

    text: str
    span: Span
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class Table:
    """A table rebuilt from the document: cells in reading order.

    ``layout`` says how it was printed (html, pdf, docx, pipe, lines); rows and columns are exact for
    structural layouts and best-effort for text ones, where cells are read in order.
    """

    cells: tuple[Cell, ...]
    layout: str
    span: Span


@dataclass(frozen=True)
class Fact:
    """One statistic a report states, mapped onto the schema, with the characters it came from."""

    field_id: str
    value: float | int
    unit: str
    approx: bool
    origin: str
    evidence: Span
    confidence: float
    qualifier: dict[str, str] | None = None
    label: str = ""  # the row label or METRIC phrase the value was read under
    metric: Span | None = None  # where that label stands, when one cell or phrase holds it
    # a breakdown's part (公民 of 收到申请): the whole's field id; only such facts carry it
    parent: str | None = None

    def to_json(self) -> dict[str, object]:
        fact = {
            "field_id": self.field_id,
            "value": self.value,
            "unit": self.unit,
            "approx": self.approx,
            "origin": self.origin,
            "evidence": self.evidence.to_json(),
            "confidence": round(self.confidence, 3),
            "qualifier": self.qualifier,
            "label": self.label,
        }
        if self.parent is not None:
            fact["parent"] = self.parent
        return fact

    @classmethod
    def from_json(cls, fact: dict) -> Fact:
        """A fact as ``to_json`` wrote it (``ie.predict``'s output), back as a Fact."""
        return cls(fact["field_id"], fact["value"], fact["unit"], fact["approx"], fact["origin"],
                   Span(**fact["evidence"]), fact["confidence"], fact.get("qualifier"),
                   fact.get("label", ""), parent=fact.get("parent"))  # fmt: skip


@dataclass(frozen=True)
class Statistic:
    """A number the report states that no schema field could take: listed, never dropped
    (``value`` is None for a tagged NUMBER whose characters are no number we can read, and for a
    flattened table row whose digits allow several readings: ``candidates`` holds each reading as
    the facts it would give)."""

    value: float | int | None
    unit: str
    approx: bool
    origin: str
    evidence: Span
    metric: str = ""
    reason: str = ""
    candidates: tuple[tuple[Fact, ...], ...] = ()

    def to_json(self) -> dict[str, object]:
        item: dict[str, object] = {
            "value": self.value,
            "unit": self.unit,
            "approx": self.approx,
            "origin": self.origin,
            "evidence": self.evidence.to_json(),
            "metric": self.metric,
            "reason": self.reason,
        }
        if self.candidates:
            item["candidates"] = [
                [{"field_id": f.field_id, "value": f.value, "evidence": f.evidence.to_json()}
                 for f in reading]
                for reading in self.candidates
            ]  # fmt: skip
        return item


@dataclass(frozen=True)
class CheckResult:
    """One identity (勾稽关系) evaluated on the facts: both sides' values and the evidence."""

    identity: str
    status: str
    lhs: float | None
    rhs: float | None
    fields: tuple[str, ...]
    missing: tuple[str, ...] = ()
    evidence: tuple[Span, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "identity": self.identity,
            "status": self.status,
            "lhs": self.lhs,
            "rhs": self.rhs,
            "missing": list(self.missing),
            "evidence": [span.to_json() for span in self.evidence],
        }


@dataclass(frozen=True)
class Conflict:
    """A field the prose and a table state differently: the table value is the fact."""

    field_id: str
    table: Fact
    prose: Fact

    def to_json(self) -> dict[str, object]:
        return {
            "field_id": self.field_id,
            "table_value": self.table.value,
            "prose_value": self.prose.value,
            "table_evidence": self.table.evidence.to_json(),
            "prose_evidence": self.prose.evidence.to_json(),
        }


@dataclass(frozen=True)
class Tagging:
    """What a tagger finds in a document's prose."""

    entities: tuple[Entity, ...] = ()
    relations: tuple[Relation, ...] = ()
    meta: dict[str, str] = field(default_factory=dict)
