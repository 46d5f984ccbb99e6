"""The normalizer trusts the spans a tagger gives it: each NUMBER is read from its own characters
("约12万", "九百六十三", "963条"), and a NUMBER it cannot read or cannot attach to a metric is listed
under unmapped with the reason, never dropped. Real report text from ../shared (a model's spans are
built by hand here, as a model could draw them)."""

from __future__ import annotations

from ie.document import Document, identity_offsets
from ie.facts.normalize import normalize
from ie.prepared import prepare
from ie.read import read
from ie.types import Entity, Relation, Span, Tagging
from tests.helpers import shared_file

REPORT = "corpus/v2008/2018-01.txt"  # 渭南市人社局 2018: "…政府信息963条…约12万个"
STATED = "全年共主动公开政府信息963条"


def entity(text: str, phrase: str, label: str, after: int = 0) -> Entity:
    start = text.index(phrase, after)
    return Entity(Span(start, start + len(phrase), phrase), label, 0.9)


def run(document: Document, entities: list[Entity], relations: list[Relation]):
    tagging = Tagging(tuple(entities), tuple(relations))
    return normalize(prepare(document), tagging)


def as_document(text: str) -> Document:
    return Document("<built>", text, text, identity_offsets(text), "txt")


def test_a_number_span_is_read_from_its_own_text() -> None:
    text = read(shared_file(REPORT)).text
    sentence = text.index(STATED)
    metric = entity(text, "主动公开政府信息", "METRIC", sentence)
    # a span with the unit inside it, and one with an approximation mark before the digits
    number = entity(text, "963条", "NUMBER", sentence)
    calls = entity(text, "咨询电话", "METRIC", sentence)
    approx = entity(text, "约12万", "NUMBER", sentence)
    result = run(as_document(text), [metric, number, calls, approx],
                 [Relation(number, metric, "value"), Relation(approx, calls, "value")])  # fmt: skip
    facts = {(f.field_id, f.value, f.unit, f.evidence.text) for f in result.facts}
    assert ("active.total", 963, "条", "963条") in facts
    # the phone calls have no field: listed with their value, read from "约12万", never dropped
    calls_listed = [s for s in result.unmapped if s.evidence.text == "约12万"]
    assert len(calls_listed) == 1
    listed = calls_listed[0]
    assert (listed.value, listed.unit, listed.approx, listed.metric) == (
        120000,
        "个",
        True,
        "咨询电话",
    )
    assert "no 2008 field" in listed.reason


def test_a_chinese_numeral_span_is_parsed() -> None:
    text = read(shared_file(REPORT)).text.replace("政府信息963条", "政府信息九百六十三条", 1)
    sentence = text.index("全年共主动公开政府信息九百六十三条")
    metric = entity(text, "主动公开政府信息", "METRIC", sentence)
    number = entity(text, "九百六十三", "NUMBER", sentence)
    result = run(as_document(text), [metric, number], [Relation(number, metric, "value")])
    assert [(f.field_id, f.value, f.unit) for f in result.facts if f.evidence == number.span] == [
        ("active.total", 963, "条")
    ]


def test_numbers_it_cannot_read_or_attach_are_unmapped_with_the_reason() -> None:
    text = read(shared_file(REPORT)).text
    sentence = text.index(STATED)
    metric = entity(text, "主动公开政府信息", "METRIC", sentence)
    not_a_number = entity(text, "全年", "NUMBER", sentence)  # a model's wrong span
    unlinked = entity(text, "580", "NUMBER", sentence)
    result = run(as_document(text), [metric, not_a_number, unlinked],
                 [Relation(not_a_number, metric, "value")])  # fmt: skip
    assert not [f for f in result.facts if f.evidence in (not_a_number.span, unlinked.span)]
    reasons = {s.evidence.text: (s.value, s.reason) for s in result.unmapped}
    assert reasons["全年"] == (None, "cannot read '全年' as a number")
    assert reasons["580"] == (580, "no metric")
