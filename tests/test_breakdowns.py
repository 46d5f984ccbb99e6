"""Breakdowns through relations: a part whose own words name no field takes the column of its
whole's breakdown (who applied, how a request came in);
a part that names no column, or several, is listed in ``unmapped`` with the reason."""

from __future__ import annotations

import pytest

from ie.facts.breakdowns import place_part
from ie.pipeline import extract
from ie.read import read
from ie.schema import load_schema
from ie.tag import get_tagger
from tests.helpers import gold, shared_file

FIELDS = {name: vintage.fields for name, vintage in load_schema().vintages.items()}


@pytest.mark.parametrize(
    ("part", "whole", "vintage", "field"),
    [
        ("公民", "requests.new_received.total", "2019", "requests.new_received.natural_person"),
        ("商业企业", "requests.new_received.total", "2021", "requests.new_received.commercial"),
        ("律师事务所", "requests.carried_over.total", "2021", "requests.carried_over.legal_service"),
        ("自然人申请", None, "2021", "requests.new_received.natural_person"),  # names its whole
        ("信函提交申请", "requests.new_received.total", "2021", "requests.received.mail"),
        ("当面申请", "requests.received", "2008", "requests.received.in_person"),
    ],
)
def test_a_part_takes_its_wholes_breakdown_column(part, whole, vintage, field) -> None:
    placement = place_part(part, whole, vintage, FIELDS[vintage])
    assert placement is not None and placement.field == field
    assert placement.parent == (whole or "requests.new_received.total")


def test_a_part_that_names_no_column_or_several_is_refused_with_the_reason() -> None:
    several = place_part("法人或其他组织", "requests.new_received.total", "2021", FIELDS["2021"])
    assert several is not None and several.field is None and "several columns" in several.reason
    none = place_part("民生事项信息", "requests.new_received.total", "2021", FIELDS["2021"])
    assert none is not None and none.field is None
    assert "applicant" in none.reason and "channel of application" in none.reason
    # 2008 has no applicant columns: only the channels of application break its requests down
    by_citizens = place_part("公民", "requests.received", "2008", FIELDS["2008"])
    assert by_citizens is not None and by_citizens.field is None
    assert "channel of application" in by_citizens.reason and "applicant" not in by_citizens.reason
    # a whole with no breakdown, or a phrase that names the whole itself: nothing to place
    assert place_part("收到申请", None, "2021", FIELDS["2021"]) is None
    assert place_part("公民", "active.total", "2021", FIELDS["2021"]) is None


@pytest.mark.parametrize("tagger", ["rules", "model"])
def test_applicant_and_channel_breakdowns_of_a_real_report(tagger: str) -> None:
    # train: "公民个人提出申请1030件…法人或其他组织提出申请16件", and the channels before it
    document = "corpus/v2021/2024-01.txt"
    analysis = extract(read(shared_file(document)), get_tagger(tagger))
    prose = {(f.field_id, f.value): f for f in analysis.facts if f.origin == "prose"}
    expected = {(f["field_id"], f["value"]) for f in gold(document)["facts"]
                if f["origin"] == "prose" and f["field_id"].startswith("requests.")}  # fmt: skip
    assert ("requests.new_received.natural_person", 1030) in expected
    assert expected <= prose.keys()
    assert prose[("requests.new_received.natural_person", 1030)].parent == "requests.new_received.total"
    refused = [u for u in analysis.unmapped if u.value == 16]
    assert refused and "several columns" in refused[0].reason and "法人或其他组织" in refused[0].reason


@pytest.mark.parametrize("tagger", ["rules", "model"])
def test_a_breakdown_in_parentheses_of_a_traditional_page(tagger: str) -> None:
    # dev: "共收到政府信息公開申請…2件(1件屬自然人申請,1件屬商業企業申請)"
    document = "corpus/v2021/2023-06.txt"
    analysis = extract(read(shared_file(document)), get_tagger(tagger))
    facts = {(f.field_id, f.value) for f in analysis.facts}
    assert ("requests.new_received.natural_person", 1) in facts
    assert {("requests.new_received.natural_person", 1)} <= {
        (f["field_id"], f["value"]) for f in gold(document)["facts"]
    }
