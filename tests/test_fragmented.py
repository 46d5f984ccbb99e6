"""md-fragmented (issue 14): tables as a weak PDF-to-markdown converter prints them, built from train
reports by the generator (benchmarks/layouts/long_tail.py): row labels as loose lines apart from
their values, long labels broken, many small pipe tables, one label lost, a row's last cell on a
line of its own. Every gold cell is read, and what nothing confirms stays unmapped."""

from __future__ import annotations

import json
import random
from pathlib import Path

import opencc
import pytest

from benchmarks.layouts.generate import Options
from benchmarks.layouts.long_tail import converter_tables, fragmented_table
from benchmarks.layouts.sources import corpus_sources
from benchmarks.layouts.template import template_tables
from ie.prepared import prepare
from ie.read import read_bytes
from ie.schema import load_schema
from tests.helpers import FACTS, shared_file

TRAIN_2019 = "corpus__v2019__2020-13.json"  # train split; 表二 with non-zero cells
# With this seed the generator prints 规范性文件's 对外公开总数量 on a line of its own after its
# row and loses the label 行政许可 (the row 4 | 0 | 10), between two labelled rows.
SEED = 1


def _gold_cells(name: str) -> dict[str, float]:
    gold = json.loads((FACTS / name).read_text(encoding="utf-8"))
    return {f["field_id"]: f["value"] for f in gold["facts"] if f["origin"] == "table"}


def _read(text: str):
    prepared = prepare(read_bytes(text.encode("utf-8"), Path("report.md")))
    facts: dict[str, list[float]] = {}
    for fact in prepared.table_facts:
        if fact.qualifier is None:
            facts.setdefault(fact.field_id, []).append(fact.value)
    return facts, prepared


def _table_two(title: str = "2020年政府信息公开工作年度报告") -> tuple[str, dict[str, float]]:
    values = _gold_cells(TRAIN_2019)
    table = template_tables(load_schema()["2019"], values)[0]
    text = fragmented_table(table, random.Random(SEED))
    assert "行政许可" not in text and "\n\n0\n\n" in text  # the lost label and the stray cell
    return f"{title}\n\n{text}\n", values


@pytest.fixture(scope="module")
def fragmented_train_reports() -> list:
    shared_file("corpus/v2019")
    forms = []
    for source in corpus_sources(("train",)):
        forms += [v for v in converter_tables(source, Options(converter=False))
                  if v.layout == "md-fragmented"]  # fmt: skip
    return forms


def test_every_train_report_in_fragmented_form_gives_its_gold_cells(fragmented_train_reports):
    assert len(fragmented_train_reports) >= 15
    for variant in fragmented_train_reports:
        gold = {f["field_id"]: f["value"] for f in variant.facts if f["origin"] == "table"}
        facts, _ = _read(variant.text)
        read = {k: v for k, v in facts.items() if k.split(".")[0] in {"disclosure", "requests",
                                                                      "review", "litigation"}}  # fmt: skip
        assert {k: [v] for k, v in gold.items()} == read, variant.name


def test_a_lost_label_between_labelled_rows_and_a_stray_last_cell_are_placed() -> None:
    text, values = _table_two()
    facts, _ = _read(text)
    assert facts == {k: [v] for k, v in values.items()}
    assert facts["disclosure.license.decisions"] == [10]  # the row whose label was lost


def test_a_row_left_out_as_well_leaves_the_lost_labels_row_unmapped() -> None:
    """The report also prints no 其他对外管理服务事项 row: the label-less 4 | 0 | 10 could be 行政许可
    or 其他对外管理服务事项, so it is listed with both, never placed."""
    text, _ = _table_two()
    printed = "其他对外管理服务事项\n行政处罚\n\n|0|0|0|\n|---|---|---|\n||||\n"
    assert printed in text
    text = text.replace(printed, "行政处罚\n\n||||\n|---|---|---|\n")
    facts, prepared = _read(text)
    assert not any(
        k.startswith(("disclosure.license.", "disclosure.other_services.")) for k in facts
    )
    [row] = [u for u in prepared.table_unmapped if u.evidence.text == "4|0|10"]
    assert row.value is None
    assert {reading[0].field_id for reading in row.candidates} == {
        "disclosure.license.prev_items",
        "disclosure.other_services.prev_items",
    }


def test_a_row_of_the_reports_own_where_it_left_a_template_row_out_is_never_placed() -> None:
    """The report prints 行政检查 (a row the template lacks) where 其他对外管理服务事项 would stand:
    no row between the labelled 规范性文件 and 行政处罚 is placed, the label-less 4 | 0 | 10 neither."""
    text, _ = _table_two()
    printed = "其他对外管理服务事项\n行政处罚\n\n|0|0|0|\n"
    assert printed in text
    facts, prepared = _read(text.replace(printed, "行政检查\n行政处罚\n\n|2|5|7|\n"))
    assert not any(
        k.startswith(("disclosure.license.", "disclosure.other_services.")) for k in facts
    )
    assert facts["disclosure.normative.in_force"] == [0]  # rows their labels name are read
    listed = {u.evidence.text: u for u in prepared.table_unmapped}
    assert listed["4|0|10"].value is None and listed["2|5|7"].value is None


def test_a_stray_cell_of_table_two_is_not_joined_where_the_page_prints_page_numbers() -> None:
    text, values = _table_two()
    title, rest = text.split("\n\n", 1)
    facts, _ = _read(f"{title}\n\n一、总体情况\n\n本年度工作有序开展。\n\n1\n\n{rest}")
    assert "disclosure.normative.in_force" not in facts  # the lone 0 may be a page number
    assert facts["disclosure.normative.made"] == [values["disclosure.normative.made"]]
    assert facts["disclosure.license.decisions"] == [10]


def test_labels_in_traditional_script_in_a_simplified_page_name_their_rows() -> None:
    text, values = _table_two()
    title, rest = text.split("\n\n", 1)
    rest = opencc.OpenCC("s2t").convert(rest)
    assert "規範性文件" in rest
    facts, _ = _read(f"{title}\n\n一、总体情况\n\n本年度工作有序开展。\n\n{rest}")
    assert facts == {k: [v] for k, v in values.items()}


def test_a_later_report_on_the_2019_template_is_read_by_its_loose_header_lines() -> None:
    text, values = _table_two(title="2023年政府信息公开工作年度报告")
    facts, prepared = _read(text)
    assert prepared.info.vintage == "2019" and "2019 template" in prepared.info.vintage_reason
    assert facts == {k: [v] for k, v in values.items()}


def test_a_small_table_of_its_header_row_only_ends_at_its_rule_line() -> None:
    """The first row of 表三 (2 1 0 0 0 0 3) is a small table of its own whose 总计 stands on the line
    after its |---| line: the loose lines around it (a 表二 row's stray cell, the headers, the
    labels, this 总计) are no cell-per-line table that would take the row's label away from it."""
    columns = "|---|---|---|---|---|---|---|"
    text = (
        "2023年政府信息公开工作年度报告\n\n二、主动公开政府信息情况\n\n规章\n行政规范性文件\n\n"
        "|0|0||\n|---|---|---|\n\n0\n\n三、收到和处理政府信息公开申请情况\n\n"
        "自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计\n\n"
        f"一、本年新收政府信息公开申请数量\n\n|2|1|0|0|0|0||\n{columns}\n\n3\n\n"
        "二、上年结转政府信息公开申请数量\n三、本年度办理结果（一）予以公开\n\n"
        f"|0|0|0|0|0|0|0|\n{columns}\n|2|1|0|0|0|0|3|\n"
    )
    facts, _ = _read(text)
    row = [2, 1, 0, 0, 0, 0, 3]
    for key in ("new_received", "granted"):
        fields = [f"requests.{key}.{c}" for c in ("natural_person", "commercial", "research",
                  "public_interest", "legal_service", "other_org", "total")]  # fmt: skip
        assert [facts.get(f) for f in fields] == [[v] for v in row], key
