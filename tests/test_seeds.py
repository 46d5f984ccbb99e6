"""The seed reports: every statistic of their tables and of the prose sections the foundation
issue names comes out with the right field id and value. Expected values are the gold facts in
annotations/facts/, written by reading the reports, not from the tool's output."""

from __future__ import annotations

import pytest

from ie.pipeline import analyze
from ie.read import read
from ie.tag.rules import tag
from tests.helpers import gold, keyed, shared_file

SEED_003 = "seeds/003_5efb2117df0d3f03.txt"
SEED_004 = "seeds/004_e0499503ab353c5a.txt"
SEED_000 = "seeds/000_567aec5c99771f27.txt"
SEED_001 = "seeds/001_203cc56d6059fb6b.txt"


def _run(document: str) -> dict:
    return analyze(read(shared_file(document)), tag)


def _value(result: dict, field_id: str, origin: str | None = None) -> float | None:
    for fact in result["facts"]:
        if fact["field_id"] == field_id and fact["qualifier"] is None:
            if origin is None or fact["origin"] == origin:
                return fact["value"]
    return None


@pytest.mark.parametrize("document", [SEED_003, SEED_004])
def test_every_table_cell_of_the_2008_statistics_table(document: str) -> None:
    result = _run(document)
    expected = keyed([f for f in gold(document)["facts"] if f["origin"] == "table"])
    predicted = keyed([f for f in result["facts"] if f["origin"] == "table"])
    assert len(expected) >= 58
    assert expected - predicted == set()
    assert predicted - expected == set()


def test_seed_004_values_and_evidence_point_at_the_characters() -> None:
    result = _run(SEED_004)
    text = read(shared_file(SEED_004)).source_text
    assert _value(result, "active.total", "table") == 5533
    assert _value(result, "requests.received") == 26
    assert _value(result, "litigation.total") == 12
    assert _value(result, "training.classes") == 6  # printed 举办各类新训班数
    assert _value(result, "requests.answered.not_this_agency") == 8  # printed 5.不属于本行政机关
    for fact in result["facts"]:
        evidence = fact["evidence"]
        assert text[evidence["start"] : evidence["end"]] == evidence["text"]


def test_seed_004_prose_and_table_disagree_on_mail_requests() -> None:
    result = _run(SEED_004)
    assert _value(result, "requests.received.mail") == 11
    conflict = next(c for c in result["conflicts"] if c["field_id"] == "requests.received.mail")
    assert (conflict["table_value"], conflict["prose_value"]) == (11, 13)
    assert conflict["prose_evidence"]["text"] == "13"


def test_seed_004_identities_are_checked() -> None:
    checks = {c["identity"]: c for c in _run(SEED_004)["checks"]}
    received = checks["requests.received = requests.received.in_person + requests.received.fax"
                      " + requests.received.online + requests.received.mail"]  # fmt: skip
    assert (received["status"], received["lhs"], received["rhs"]) == ("pass", 26, 26)
    assert checks["org.staff = org.staff.full_time + org.staff.part_time"]["status"] == "pass"


def _section(document: str, start_marker: str, end_marker: str) -> tuple[int, int]:
    text = shared_file(document).read_text(encoding="utf-8")
    start = text.index(start_marker)
    return start, text.index(end_marker, start)


@pytest.mark.parametrize(
    ("document", "start_marker", "end_marker"),
    [
        (SEED_000, "三、信息公开数据", "四、"),
        (SEED_001, "(一)主动公开情况", "(十)政府信息公开工作存在的主要问题"),
    ],
)
def test_prose_sections_come_out_completely(
    document: str, start_marker: str, end_marker: str
) -> None:
    start, end = _section(document, start_marker, end_marker)
    expected = [f for f in gold(document)["facts"] if start <= f["evidence"]["start"] < end]
    assert len(expected) >= 25
    result = _run(document)
    predicted = [
        f
        for f in result["facts"] + _conflict_facts(result)
        if start <= f["evidence"]["start"] < end
    ]
    missing = keyed(expected) - keyed(predicted)
    # Seed 001's "收到网络依申请公开申请1件" states the total and the channel in one number; the
    # rules read the channel only (listed in the issue note).
    assert len(missing) <= (1 if document == SEED_001 else 0), missing


def _conflict_facts(result: dict) -> list[dict]:
    return [{"field_id": c["field_id"], "value": c["prose_value"], "qualifier": None,
             "evidence": c["prose_evidence"]} for c in result["conflicts"]]  # fmt: skip


def test_agency_breakdown_is_qualified_never_the_total() -> None:
    result = _run(SEED_000)
    assert _value(result, "requests.received") == 1958
    breakdown = {f["qualifier"]["agency"]: f["value"] for f in result["facts"]
                 if f["field_id"] == "requests.received" and f["qualifier"]}  # fmt: skip
    assert breakdown == {"区政府": 523, "区属单位": 1435}


def test_zero_statements_and_context_dependent_metrics() -> None:
    result = _run(SEED_001)
    zero = next(f for f in result["facts"] if f["field_id"] == "review.total")
    assert zero["value"] == 0 and "行政复议" in zero["evidence"]["text"]
    assert _value(result, "litigation.corrected") == 4  # 被依法纠错 after 行政诉讼
    assert _value(result, "fees.total") == 0


def test_work_plan_is_not_a_report() -> None:
    result = _run("seeds/002_8949045a9b26abd1.txt")
    assert len(result["facts"]) <= 2
