"""METRIC boundaries and part_of links of the rule tagger (ie/tag/metric_spans.py,
ie/tag/breakdowns.py) on real report sentences read from ../shared, as annotations/GUIDELINES.md
draws them: the shortest phrase that names the statistic, framing left out, 其中 parts linked to
their whole."""

from __future__ import annotations

import re
from functools import cache

import pytest

from ie.document import Document, identity_offsets
from ie.pipeline import extract
from ie.prepared import prepare, with_tables
from ie.read import read
from ie.tag import get_tagger
from ie.tag.metric_spans import context_phrase
from ie.tag.rules import tag
from ie.types import Tagging
from tests.helpers import shared_file


@cache
def tagged(relative: str) -> tuple[str, Tagging]:
    document = read(shared_file(relative))
    prepared = prepare(document)
    return document.text, with_tables(prepared, tag(prepared))


def window(text: str, printed: str) -> tuple[int, int]:
    """Offsets of the sentence (the first printing of ``printed``) a test looks at."""
    start = text.find(printed)
    assert start >= 0, printed
    return start, start + len(printed)


def metrics_in(relative: str, printed: str) -> list[str]:
    text, tagging = tagged(relative)
    low, high = window(text, printed)
    return [e.text for e in tagging.entities
            if e.label == "METRIC" and low <= e.start and e.end <= high]  # fmt: skip


def links_in(relative: str, printed: str, label: str) -> set[tuple[str, str]]:
    text, tagging = tagged(relative)
    low, high = window(text, printed)
    return {(r.head.text, r.tail.text) for r in tagging.relations
            if r.label == label and low <= r.head.start and r.head.end <= high}  # fmt: skip


def test_a_share_takes_the_metric_of_its_count_and_a_rate_names_itself() -> None:
    report = "corpus/v2008/2008-02.txt"
    printed = "其中全文电子化率达100%。\n在主动公开的信息中,机构职能类信息37条,占总体的比例为9%"
    metrics = metrics_in(report, printed)
    assert "全文电子化率" in metrics and "机构职能类信息" in metrics
    assert not any("比例" in metric for metric in metrics)
    values = links_in(report, printed, "value")
    assert ("9", "机构职能类信息") in values and ("37", "机构职能类信息") in values
    assert ("100", "全文电子化率") in values


def test_a_list_joined_by_dun_is_one_metric_and_frame_words_are_left_out() -> None:
    report = "corpus/v2008/2012-03.txt"
    printed = "涉及政策法规方面的信息38条,涉及各类规划、计划及其完成情况的信息17条"
    assert metrics_in(report, printed) == ["政策法规方面的信息", "各类规划、计划及其完成情况的信息"]
    # "在主动公开政府信息中，…": the parts of the count the sentence before names in those words
    wholes = {whole for _, whole in links_in(report, printed, "part_of")}
    assert wholes == {"主动公开政府信息"}


def test_a_lexicon_phrase_runs_on_over_what_it_counts_and_keeps_its_field() -> None:
    report = "corpus/v2019/2020-09.txt"
    printed = "其中,通过门户网站公开政府信息数907条,政务微博公开政府信息数2306条"
    assert metrics_in(report, printed) == ["门户网站公开政府信息数", "政务微博公开政府信息数"]
    assert links_in(report, printed, "part_of") == {
        ("门户网站公开政府信息数", "主动公开政府信息"),
        ("政务微博公开政府信息数", "主动公开政府信息"),
    }
    facts = extract(read(shared_file(report)), get_tagger("rules")).facts
    assert any(f.field_id == "active.channel.website" and f.value == 907 for f in facts)


def test_a_category_count_is_still_turned_away_when_its_metric_runs_on() -> None:
    """ "共主动公开文件20件": the METRIC takes 文件, and 20 is still no active.total."""
    report = "corpus/v2019/2019-05.txt"
    assert "主动公开文件" in metrics_in(report, "共主动公开文件20件")
    analysis = extract(read(shared_file(report)), get_tagger("rules"))
    assert not any(f.field_id == "active.total" and f.value == 20 for f in analysis.facts)
    assert any(u.value == 20 and "category" in u.reason for u in analysis.unmapped)


def test_the_subject_before_lei_ji_is_no_part_of_the_metric_and_parts_follow_qi_zhong() -> None:
    report = "corpus/v2021/2024-05.txt"
    printed = "县政府网站累计发布各类政务信息 10300条,其中发布概况类信息 32条,政务动态信息 3129条"
    assert metrics_in(report, printed)[0] == "发布各类政务信息"
    assert ("政务动态信息", "发布各类政务信息") in links_in(report, printed, "part_of")


def test_a_breakdown_runs_across_semicolons_and_xin_zeng_is_framing() -> None:
    report = "corpus/v2008/2008-01.txt"
    printed = "共新增主动公开政府信息312条。其中,机构概况类信息5条,占1.6%;政策文件类信息24条"
    assert metrics_in(report, printed) == ["主动公开政府信息", "机构概况类信息", "政策文件类信息"]
    assert links_in(report, printed, "part_of") == {
        ("机构概况类信息", "主动公开政府信息"),
        ("政策文件类信息", "主动公开政府信息"),
    }
    # a share waits for the count right before it to be named, then takes its METRIC
    assert ("1.6", "机构概况类信息") in links_in(report, printed, "value")


def test_a_qi_zhong_in_parentheses_breaks_down_the_count_before_it() -> None:
    report = "corpus/v2021/2021-06.txt"
    printed = "其中通过政府信息公开网站公开信息共471条(其中“两化”专题专栏公开信息135条),发布政策解读稿件11篇"
    parts = links_in(report, printed, "part_of")
    assert ("“两化”专题专栏公开信息", "政府信息公开网站公开信息") in parts
    assert ("政策解读稿件", "主动公开政府信息") in parts
    assert ("政策解读稿件", "政府信息公开网站公开信息") not in parts


@pytest.mark.parametrize(
    ("clause", "metric"),
    [
        # list numbering and 其中 are not the metric's words
        ("其中1.组织机构类信息0条", "组织机构类信息"),
        # a trailing 的 and framing verbs are not either
        ("全市纳入政府信息公开系统的78个", "纳入政府信息公开系统"),
        ("落实率和满意率都实现了100%", "落实率和满意率"),
        # the agency or channel before 共 is the subject, not the statistic
        ("全年上海市人民政府网站共发布各类信息46106条", "发布各类信息"),
        # after 等 the head noun names what is counted; "等类信息" keeps the list
        ("专项资金、信息公开年报、工作动态等政府信息106条", "政府信息"),
        ("征收或征用土地、房屋拆迁及其补助等类信息0条", "征收或征用土地、房屋拆迁及其补助等类信息"),
        # publishing is no part of a category's name, but names a count of generic items
        ("其中:发布统计信息2条", "统计信息"),
        ("更新办事指南31条", "办事指南"),
        ("微博全年发布信息1025条", "发布信息"),
        # 计 that ends a word is no frame; a phrase all in quotes is the words inside
        ("重点工作1条,数据统计1条", "数据统计"),
        ("全区政务服务事项“一门率”实现100%", "一门率"),
        # 数量 is the label's own word unless 数量为 frames the number
        ("新收政府信息公开申请数量0件", "新收政府信息公开申请数量"),
        ("行政许可处理决定数量为7556件", "行政许可处理决定"),
    ],
)
def test_the_words_before_a_count_name_it(clause: str, metric: str) -> None:
    count = list(re.finditer(r"\d+", clause))[-1]  # the number the clause ends with
    found = context_phrase(clause, count.start())
    assert found is not None
    assert clause[found[0] : found[1]] == metric


def tag_text(text: str) -> Tagging:
    document = Document("<built>", text, text, identity_offsets(text), "txt")
    prepared = prepare(document)
    return with_tables(prepared, tag(prepared))


@pytest.mark.parametrize(
    ("sentence", "metric", "number"),
    [
        # the noun a number counts follows it after 将/对/的/等/出
        ("一是将110个市直部门的部门预算向市人大代表公开。", "市直部门", "110"),
        ("配备了3名兼职工作人员,设立了1个专门的信息申请受理点。", "信息申请受理点", "1"),
        # "N件属X": the kind the number is of follows 属
        ("我局共收到政府信息公开申请2件(1件属自然人申请,1件属法人申请)。", "自然人申请", "1"),
        # a bare verb before the number: what it acts on follows
        ("2020年,市公安局共收到1件依申请公开,均已答复。", "依申请公开", "1"),
        ("完成了列入清理范围的56家区级部门的梳理工作。", "区级部门", "56"),
        ("发布了今日关注、政务动态等887条推送信息，受众近8000人。", "推送信息", "887"),
        ("今年征集筛选出8个PPP项目，并定期维护。", "PPP项目", "8"),
        # an event verb before a lexicon phrase is no part of it, which still names its field
        ("全区设置政府信息公开查阅点67个。", "政府信息公开查阅点", "67"),
        # no noun after the unit: the words before name the count
        ("其中，通过信函提交申请的171件。", "信函提交申请", "171"),
    ],
)
def test_a_noun_after_the_number_is_what_it_counts(sentence: str, metric: str, number: str) -> None:
    tagging = tag_text(sentence)
    assert metric in [e.text for e in tagging.entities if e.label == "METRIC"]
    values = {(r.head.text, r.tail.text) for r in tagging.relations if r.label == "value"}
    assert (number, metric) in values


@pytest.mark.parametrize(
    "sentence",
    [
        "本报告由概述、主动公开政府信息情况、其他需要报告的事项等六个部分组成。",
        "全面启动第6次行政审批项目清理工作。",
    ],
)
def test_an_ordinal_or_the_parts_of_the_report_name_no_metric(sentence: str) -> None:
    tagging = tag_text(sentence)
    assert not [e for e in tagging.entities if e.label == "METRIC"]
    if "部分" in sentence:  # nor is their number a statistic
        assert not [e for e in tagging.entities if e.label == "NUMBER"]


@pytest.mark.parametrize(
    "text",
    [
        "2018年度累计主动公开政府信息348条。主要类别包括:工作动态类信息144条,通知通告5条。",
        "全年主动公开政府信息348条。\n其中,工作动态类信息144条;通知通告5条。",
    ],
)
def test_a_breakdown_opening_its_own_sentence_is_of_the_count_before(text: str) -> None:
    parts = {(r.head.text, r.tail.text) for r in tag_text(text).relations if r.label == "part_of"}
    assert parts == {("工作动态类信息", "主动公开政府信息"), ("通知通告", "主动公开政府信息")}
