"""A table outside the template whose header row names statistics over one row of their values
(ie.facts.header_tables), on real dev and train reports."""

from __future__ import annotations

from ie.facts.header_tables import header_table_facts
from ie.prepared import prepare
from ie.read import read
from ie.types import Span
from tests.helpers import shared_file

# dev: "政策解读情况 / 新闻发布会 | 电视采访 | 数字图文 | 微信 | / 3次 | 2次 | 21条 | 400余条 |"
POLICY_TABLE = "corpus/v2019/2020-17.txt"
# train: the 2019 template printed as a pipe table, with header rows over labelled rows
TEMPLATE_TABLE = "corpus/v2019/2020-22.txt"


def test_a_header_the_lexicon_knows_names_the_value_under_it() -> None:
    prepared = prepare(read(shared_file(POLICY_TABLE)))
    text = prepared.document.text
    facts = [f for f in prepared.table_facts if f.origin == "table"]
    assert [(f.field_id, f.value, f.approx, f.evidence) for f in facts] == [
        ("response.press_conferences", 3, False, Span(403, 404, "3"))
    ]
    assert facts[0].metric == Span(376, 381, "新闻发布会")
    assert text[403:404] == "3" and text[376:381] == "新闻发布会"


def test_headers_the_lexicon_does_not_know_give_no_fact_and_stay_listed() -> None:
    prepared = prepare(read(shared_file(POLICY_TABLE)))
    mapped = {f.evidence for f in prepared.table_facts}
    listed = {(s.metric, s.value, s.approx, s.evidence) for s in prepared.table_unmapped}
    # 电视采访 and 数字图文 name no field; bare 微信 is no lexicon phrase (微信公众号 is), so 400
    # is not guessed to be active.channel.wechat
    assert listed == {
        ("电视采访", 2, False, Span(408, 409, "2")),
        ("数字图文", 21, False, Span(413, 415, "21")),
        ("微信", 400, True, Span(419, 422, "400")),
    }
    assert not mapped & {evidence for *_, evidence in listed}


def test_a_template_table_with_header_rows_is_no_header_table() -> None:
    prepared = prepare(read(shared_file(TEMPLATE_TABLE)))
    assert prepared.tables
    for table in prepared.tables:
        # its header rows (信息内容 | 本年新 | …) stand over rows of a label and its values
        assert header_table_facts(table, prepared.vintage, 0.95) is None
    assert prepared.table_facts
    assert all(f.label not in ("本年新", "对外公开总数量") for f in prepared.table_facts)
