"""Reports as they really come (issue 14): 2-of-3 表二 rows, negative changes, blank cells, and rows
of values whose labels came apart from them. Tables are laid out from the schema and filled with a
train report's gold values (benchmarks/layouts), never with report text."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.layouts.long_tail import (
    cell_lines,
    negated_changes,
    skip_empty_rows,
    two_of_three,
)
from benchmarks.layouts.template import expand, template_tables
from ie.pipeline import analyze
from ie.prepared import prepare
from ie.read import read, read_bytes
from ie.schema import load_schema
from ie.tag import get_tagger
from tests.helpers import FACTS, shared_file

TRAIN_2019 = "corpus__v2019__2020-13.json"  # train split; 表二 with non-zero cells
TRAIN_2021 = "corpus__v2021__2023-10.json"  # train split; 表三 with non-zero cells


def _gold_cells(name: str) -> dict[str, float]:
    gold = json.loads((FACTS / name).read_text(encoding="utf-8"))
    return {f["field_id"]: f["value"] for f in gold["facts"] if f["origin"] == "table"}


def _pipe(table) -> str:
    lines = []
    for index, row in enumerate(expand(table.rows)):
        lines.append("|" + "|".join(b.text for b, _ in row) + "|")
        if index == 0:
            lines.append("|" + "|".join("---" for _ in row) + "|")
    return "\n".join(lines)


def _facts(text: str, suffix: str = ".md") -> dict[str, float]:
    prepared = prepare(read_bytes(text.encode("utf-8"), Path("report" + suffix)))
    return {f.field_id: f.value for f in prepared.table_facts}, prepared


def test_a_two_column_section_is_placed_by_its_header() -> None:
    values = _gold_cells(TRAIN_2019)
    table = template_tables(load_schema()["2019"], values)[0]
    text = "二、主动公开政府信息情况\n\n" + _pipe(two_of_three(table))
    facts, _ = _facts(text)
    for row in ("license", "other_services", "penalty", "coercion"):
        assert f"disclosure.{row}.change" not in facts  # the column is not printed
        for column in ("prev_items", "decisions"):
            field_id = f"disclosure.{row}.{column}"
            assert facts.get(field_id) == values.get(field_id), field_id


def test_a_decrease_in_the_change_column_is_negative() -> None:
    values = _gold_cells(TRAIN_2019)
    negative = negated_changes(values)
    assert negative and all(v < 0 for v in negative.values())
    table = template_tables(load_schema()["2019"], {**values, **negative})[0]
    text = "二、主动公开政府信息情况\n\n" + _pipe(table)
    first = next(iter(negative))
    text = text.replace(f"|{int(negative[first])}|", f"|－{-int(negative[first])}|", 1)
    facts, _ = _facts(text)
    for field_id, value in negative.items():
        assert facts[field_id] == value


def test_an_underscore_is_a_blank_cell() -> None:
    report = shared_file("corpus/v2019/2020-02.txt")  # train: 规范性文件 _ 3 3, one cell per line
    facts = {f.field_id: f.value for f in prepare(read(report)).table_facts}
    assert facts["disclosure.normative.published"] == 3
    assert facts["disclosure.normative.in_force"] == 3
    assert "disclosure.normative.made" not in facts


def _full_table_three() -> dict[str, float]:
    """表三 with the train report's rows 一 and 二 (its excerpt stops there) and, made up so that
    the template's arithmetic holds, every application granted; other cells 0."""
    vintage = load_schema()["2021"]
    values = {k: 0 for k, f in vintage.fields.items() if k.startswith("requests.") and f.grid >= 0}
    values.update({k: v for k, v in _gold_cells(TRAIN_2021).items() if k.startswith("requests.")})
    for field_id in [k for k in values if k.startswith("requests.new_received.")]:
        column = field_id.rsplit(".", 1)[1]
        total = values[field_id] + values[f"requests.carried_over.{column}"]
        values[f"requests.granted.{column}"] = values[f"requests.results_total.{column}"] = total
    return values


def _orphan_rows(values: dict[str, float], skip: int | None = None) -> str:
    """表三's value rows as small pipe tables with no labels (the labels lost by the converter)."""
    table = template_tables(load_schema()["2021"], values)[1]
    rows = [[b.text for b, _ in row if b.field_id] for row in expand(table.rows)]
    rows = [r for r in rows if r]
    if skip is not None:
        del rows[skip]
    parts = []
    for start in range(0, len(rows), 3):
        lines = []
        for index, row in enumerate(rows[start : start + 3]):
            lines.append("|" + "|".join(row) + "|")
            if index == 0:
                lines.append("|" + "|".join("---" for _ in row) + "|")
        parts.append("\n".join(lines))
    return "三、收到和处理政府信息公开申请情况\n\n" + "\n\n".join(parts)


def test_value_rows_without_labels_are_placed_when_the_identities_confirm_it() -> None:
    values = _full_table_three()
    facts, _ = _facts("2023年政府信息公开工作年度报告\n\n" + _orphan_rows(values))
    assert any(values.values()) and {k: facts.get(k) for k in values} == values


def test_a_row_no_placement_confirms_is_unmapped_with_candidates() -> None:
    values = _full_table_three()
    text = "2023年政府信息公开工作年度报告\n\n" + _orphan_rows(values, skip=3)
    facts, prepared = _facts(text)  # one row of values lost as well
    assert not any(k.startswith("requests.") for k in facts)
    listed = [u for u in prepared.table_unmapped if "without its label" in u.reason]
    assert listed and all(u.value is None for u in listed)
    assert any(u.candidates for u in listed)


def test_a_row_with_fewer_cells_and_no_header_to_place_them_lists_its_candidates() -> None:
    report = shared_file(
        "corpus/v2019/2020-06.txt"
    )  # train: 行政事业性收费 prints one of two cells
    prepared = prepare(read(report))
    assert not any(f.field_id.startswith("disclosure.fees.") for f in prepared.table_facts)
    [row] = [u for u in prepared.table_unmapped if u.reason == "1 cells for 2 columns"]
    assert row.value is None
    readings = [[(f.field_id, f.value) for f in reading] for reading in row.candidates]
    assert readings == [[("disclosure.fees.prev_items", 0)], [("disclosure.fees.change", 0)]]


def _loose_labels_page(values: dict[str, float], lost: int) -> str:
    """An HTML page as a converter leaves it: each few rows' labels as paragraphs (one lost),
    then a table of their values only."""
    table = template_tables(load_schema()["2021"], values)[1]
    data = [[b for b, _ in row] for row in expand(table.rows) if any(b.field_id for b, _ in row)]
    html = [
        "<html><body><p>2023年政府信息公开工作年度报告</p><p>三、收到和处理政府信息公开申请情况</p>"
    ]
    for start in range(0, len(data), 4):
        chunk = data[start : start + 4]
        for index, row in enumerate(chunk, start=start):
            if index != lost:
                html.append(
                    "<p>" + "".join(dict.fromkeys(b.text for b in row if not b.field_id)) + "</p>"
                )
        cells = ("".join(f"<td>{b.text}</td>" for b in row if b.field_id) for row in chunk)
        html.append("<table>" + "".join(f"<tr>{c}</tr>" for c in cells) + "</table>")
    return "\n".join(html) + "</body></html>"


def test_html_rows_apart_from_their_labels_are_placed_a_lost_label_by_the_sums() -> None:
    values = _full_table_three()
    facts, prepared = _facts(_loose_labels_page(values, lost=2), ".html")
    assert {k: facts.get(k) for k in values} == values
    granted = [f for f in prepared.table_facts if f.field_id == "requests.granted.total"]
    assert granted and granted[0].label  # the row whose label was lost: placed by the sums


def test_a_table_four_group_left_out_of_cell_lines_is_never_shifted_into_another() -> None:
    """Made-up figures: no 行政复议 (its five cells left empty), one 未经复议直接起诉 upheld."""
    vintage = load_schema()["2021"]
    values = {k: 0 for k, f in vintage.fields.items() if f.grid >= 0}
    values.update({"litigation.direct.upheld": 1, "litigation.direct.total": 1})
    tables = [skip_empty_rows(t)[0] for t in template_tables(vintage, values)]
    text = "2023年政府信息公开工作年度报告\n\n" + "\n\n".join(cell_lines(t) for t in tables)
    facts, prepared = _facts(text, ".txt")
    assert not any(k.startswith(("review.", "litigation.")) for k in facts)
    [row] = [u for u in prepared.table_unmapped if "表四" in u.reason]
    assert row.value is None and "several placements" in row.reason
    firsts = {reading[0].field_id for reading in row.candidates}
    assert firsts == {"review.upheld", "litigation.direct.upheld", "litigation.after_review.upheld"}


def test_loose_header_and_label_lines_state_no_zero() -> None:
    """A converter's loose lines of 表四's header and 表三's labels (the template's own words) are
    no statement that a count is zero: 尚未审结, 未经复议, 逾期未按收费通知 name categories."""
    vintage = load_schema()["2021"]
    other = next(g for g in vintage.grids if g.prefix == "requests")
    unpaid = next(r.label for r in other.rows if r.key == "other.unpaid").split("/")[-1]
    outcomes = " ".join(c.label for c in vintage.grids[-1].columns)
    text = (f"2023年政府信息公开工作年度报告\n\n四、政府信息公开行政复议、行政诉讼情况\n\n"
            f"行政复议 行政诉讼\n{outcomes} 未经复议直接起诉 复议后起诉\n\n{unpaid}\n")  # fmt: skip
    result = analyze(read_bytes(text.encode("utf-8"), Path("report.txt")), get_tagger("rules"))
    assert [f for f in result["facts"] if f["origin"] == "prose"] == []


def _stray_last_cell(line_after: str) -> dict[str, float]:
    """表三's rows without labels; the 予以公开 row's 总计 printed on a line of its own after
    its small table (or a page number there instead)."""
    text = "2023年政府信息公开工作年度报告\n\n" + _orphan_rows(_full_table_three())
    first, rest = text.split("\n\n|", 2)[1:]
    lines = first.split("\n")
    assert lines[-1].endswith("|3|")  # the third row of the first small table: 予以公开
    lines[-1] = lines[-1][: -len("3|")] + "|"
    text = text.replace(first, "\n".join(lines) + f"\n\n{line_after}\n", 1)
    facts, _ = _facts(text)
    return facts


def test_a_rows_last_cell_on_a_line_of_its_own_is_joined_when_the_row_sums_hold() -> None:
    assert _stray_last_cell("3")["requests.granted.total"] == 3


def test_a_page_number_after_a_row_is_not_its_last_cell() -> None:
    facts = _stray_last_cell("12")
    assert "requests.granted.total" not in facts
    assert 12 not in facts.values()


def test_values_under_a_sub_row_label_are_not_the_row_above() -> None:
    """Train 2019-15 splits 其他对外管理服务事项 into 行政检查 and 行政确认, each with its own three
    cells: neither row's values are 其他对外管理服务事项's (gold leaves it blank)."""
    report = shared_file("corpus/v2019/2019-15.txt")
    prepared = prepare(read(report))
    facts = {f.field_id: f.value for f in prepared.table_facts}
    assert facts["disclosure.license.decisions"] == 0  # the row above, its own label: read
    assert not any(k.startswith("disclosure.other_services.") for k in facts)
    assert [u.metric for u in prepared.table_unmapped if u.metric in ("行政检查", "行政确认")] == [
        "行政检查"
    ] * 3 + ["行政确认"] * 3


def test_a_label_broken_over_two_cells_still_names_its_row() -> None:
    """The second half of a label broken over two lines finishes it: the row is still read."""
    text = ("2020年政府信息公开工作年度报告\n\n三、收到和处理政府信息公开申请情况\n\n"
            "（三）不予公开\n\n7.属于行政执\n\n法案卷\n\n1\n\n0\n\n0\n\n0\n\n0\n\n0\n\n1\n")  # fmt: skip
    facts, _ = _facts(text, ".txt")
    assert facts["requests.denied.case_file.natural_person"] == 1
    assert facts["requests.denied.case_file.total"] == 1


def _cell_lines_table_three(label: str) -> str:
    """Train 2023-10's 表三 one cell per line, empty rows printing nothing (lines-skip-empty), its
    first row labelled ``label``: the column header right above it is 其他."""
    vintage = load_schema()["2021"]
    table = skip_empty_rows(template_tables(vintage, _gold_cells(TRAIN_2021))[1])[0]
    text = cell_lines(table)
    official = "一、本年新收政府信息公开申请数量"
    assert "\n\n其他\n\n" + official + "\n\n3\n\n" in text
    return "2023年政府信息公开工作年度报告\n\n" + text.replace(official, label)


def test_the_short_wording_of_the_first_row_of_table_three_is_read() -> None:
    facts, _ = _facts(_cell_lines_table_three("一、本年新收申请数量"), ".txt")
    gold = {k: v for k, v in _gold_cells(TRAIN_2021).items() if ".new_received." in k}
    assert gold["requests.new_received.total"] == 3
    assert {k: facts.get(k) for k in gold} == gold


def test_a_row_label_nothing_matches_does_not_give_its_values_to_the_header_above() -> None:
    """The column header 其他 matches the row 3.其他 of （六）其他处理; the values after a row
    label no official one matches are that label's, unmapped, not 其他's."""
    facts, prepared = _facts(_cell_lines_table_three("一、本年新受理的申请"), ".txt")
    assert not any(k.startswith(("requests.other.", "requests.new_received.")) for k in facts)
    listed = [u.value for u in prepared.table_unmapped if u.metric == "一、本年新受理的申请"]
    assert listed == [3, 0, 0, 0, 0, 0, 3]


def test_a_converters_placeholder_header_is_no_label_beside_the_row() -> None:
    """pymupdf4llm names an empty header cell Col<n>; a table cut at a page break starts with a
    data row as its header, the placeholder between the row's label and its values."""
    text = (
        "2020年政府信息公开工作年度报告\n\n三、收到和处理政府信息公开申请情况\n\n"
        "|三、本年度办理结果|（一）予以公开|Col3|2|0|0|0|0|0|2|\n"
        "|---|---|---|---|---|---|---|---|---|---|\n"
        "|三、本年度办理结果|（二）部分公开|（二）部分公开|1|0|0|0|0|0|1|\n"
    )
    facts, _ = _facts(text)
    assert facts["requests.granted.natural_person"] == 2
    assert facts["requests.granted.total"] == 2
    assert facts["requests.partial.total"] == 1


def test_a_pipe_row_a_line_break_cut_in_two_is_one_row() -> None:
    """A converter that prints a label's line break as it stands in the cell cuts the pipe row:
    "|二、上年结转政府信息" then "公开申请|0|...". The two lines are one row; evidence stays exact."""
    text = (
        "2020年政府信息公开工作年度报告\n\n三、收到和处理政府信息公开申请情况\n\n"
        "|（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）|申请人情况|||||||\n"
        "|---|---|---|---|---|---|---|---|\n"
        "|一、本年新收政府信息公开申请数量|2|0|0|0|0|0|2|\n"
        "|二、上年结转政府信息\n公开申请数量|1|0|0|0|0|0|1|\n"
        "|（一）予以公开|3|0|0|0|0|0|3|\n"
    )
    facts, prepared = _facts(text)
    assert facts["requests.carried_over.natural_person"] == 1
    assert facts["requests.carried_over.total"] == 1
    assert facts["requests.granted.total"] == 3
    source = prepared.document.source_text
    for fact in prepared.table_facts:
        start, end = (
            prepared.document.offsets[i] for i in (fact.evidence.start, fact.evidence.end)
        )
        assert source[start:end] == fact.evidence.text


def test_a_value_column_no_row_prints_a_value_in_still_holds_its_blanks() -> None:
    """Train 2020-02's 规范性文件 prints _ 3 3 (no 本年新制作数量); as a pipe table the blank cell
    holds that column though no row prints a value there."""
    text = (
        "2020年政府信息公开工作年度报告\n\n二、主动公开政府信息情况\n\n"
        "|第二十条第（一）项||||\n|---|---|---|---|\n"
        "|信息内容|本年新制作数量|本年新公开数量|对外公开总数量|\n"
        "|规章||||\n|规范性文件||3|3|\n"
    )
    facts, _ = _facts(text)
    assert facts["disclosure.normative.published"] == 3
    assert facts["disclosure.normative.in_force"] == 3
    assert "disclosure.normative.made" not in facts
