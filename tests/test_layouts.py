"""The same facts whatever the encoding or layout: GBK, UTF-8 with BOM, HTML, pipe text, one cell
per line; and 2019/2021 template tables as the official templates print them (merged header cells
included), every cell's field id and value right and the identities evaluated."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from ie.pipeline import analyze
from ie.read import read
from ie.schema import load_schema
from ie.tag.rules import tag
from tests.helpers import keyed, shared_file

SEED_004 = "seeds/004_e0499503ab353c5a.txt"


def _facts(path: Path) -> set:
    return keyed(analyze(read(path), tag)["facts"])


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "gb18030"])
@pytest.mark.parametrize(
    "seed", [SEED_004, "seeds/003_5efb2117df0d3f03.txt", "seeds/001_203cc56d6059fb6b.txt"]
)
def test_reencoded_seed_gives_the_same_facts(tmp_path: Path, seed: str, encoding: str) -> None:
    text = shared_file(seed).read_text(encoding="utf-8")
    if encoding == "gbk":
        text = text.replace("\xa0", " ")  # GBK has no NBSP; a GBK page prints a space there
    original = tmp_path / "report-utf8.txt"
    original.write_text(text, encoding="utf-8")
    copy = tmp_path / f"report-{encoding}.txt"
    copy.write_bytes(text.encode(encoding, errors="strict"))
    assert _facts(copy) == _facts(original)
    assert len(_facts(copy)) >= 25


def test_html_rendering_of_seed_004_table(tmp_path: Path) -> None:
    """Seed 004's statistics table as an HTML <table>: label | unit | value rows."""
    text = shared_file(SEED_004).read_text(encoding="utf-8")
    table_text = text[text.index("统计指标") :]
    rows, label, unit = [], None, ""
    for cell in (c.strip() for c in table_text.split("\n")):
        if cell == "-----":  # a section header row: no value, the next cell starts a new label
            label = None
        if not cell or cell == "-----":
            continue
        if re.fullmatch(r"\d+", cell) and label:
            rows.append((label, unit, cell))
            label = None
        elif cell in {"条", "件", "次", "篇", "个", "人", "人次", "万元", "单位", "统计数"}:
            unit = cell
        else:  # a label printed over two cells ("…政府信息数" + "（不同渠道…计1条）") is one label
            label, unit = (label + cell if label else cell), ""
    body = "".join(
        f"<tr><td>{html.escape(a)}</td><td>{html.escape(b)}</td><td>{c}</td></tr>"
        for a, b, c in rows
    )
    page = tmp_path / "seed004.html"
    page.write_text(
        "<html><head><title>宝坻区2016年政府信息公开工作年度报告</title></head><body>"
        "<h1>宝坻区2016年政府信息公开工作年度报告</h1><table>"
        '<tr><td rowspan="1">统计指标</td><td>单位</td><td>统计数</td></tr>'
        f"{body}</table></body></html>",
        encoding="utf-8",
    )
    from_html = {k for k in _table_facts(page)}
    from_text = {k for k in _table_facts(shared_file(SEED_004))}
    assert len(from_text) == 58
    assert from_html == from_text


def _table_facts(path: Path) -> set:
    return keyed([f for f in analyze(read(path), tag)["facts"] if f["origin"] == "table"])


# ---------------------------------------------------------------- 2019 / 2021 template tables


def _requests_values(vintage: str) -> dict[tuple[str, str], int]:
    """A consistent table 三: every identity of the template holds."""
    grid = next(g for g in load_schema()[vintage].grids if g.prefix == "requests")
    rows = [r.key for r in grid.rows]
    applicants = [c.key for c in grid.columns][:-1]
    results = rows[rows.index("granted") : rows.index("results_total")]
    values: dict[tuple[str, str], int] = {}
    for i, row in enumerate(results):
        for j, column in enumerate(applicants):
            values[(row, column)] = (i * 3 + j) % 5
    for column in applicants:
        values[("results_total", column)] = sum(values[(r, column)] for r in results)
        values[("carried_over", column)] = 1
        values[("carried_forward", column)] = 2
        values[("new_received", column)] = values[("results_total", column)] + 2 - 1
    for row in rows:
        values[(row, "total")] = sum(values[(row, c)] for c in applicants)
    return values


def _template_report(vintage: str) -> tuple[list[list[str]], dict[str, int]]:
    """Rows of cells as the official template prints them, and the value of every field."""
    schema = load_schema()[vintage]
    expected: dict[str, int] = {}
    rows: list[list[str]] = [[f"某某县人民政府{'2020' if vintage == '2019' else '2022'}年政府信息公开工作年度报告"],
                             ["二、主动公开政府信息情况"]]  # fmt: skip
    counter = 1
    for grid in schema.grids:
        if grid.prefix != "disclosure":
            continue
        rows.append([grid.rows[0].section])
        rows.append(["信息内容"] + [c.label for c in grid.columns])
        for row in grid.rows:
            cells = [row.label]
            for column in grid.columns:
                counter += 1
                expected[grid.field_id(row.key, column.key)] = counter
                cells.append(str(counter))
            rows.append(cells)
    rows.append(["三、收到和处理政府信息公开申请情况"])
    rows.append(
        ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"]
    )
    rows.append(["自然人", "法人或其他组织", "总计"])
    rows.append(["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"])
    requests = next(g for g in schema.grids if g.prefix == "requests")
    values = _requests_values(vintage)
    printed_groups: set[str] = set()
    for row in requests.rows:
        *groups, label = row.label.split("/")
        cells = [g for g in groups if g not in printed_groups] + [label]
        printed_groups.update(groups)
        for column in requests.columns:
            expected[requests.field_id(row.key, column.key)] = values[(row.key, column.key)]
            cells.append(str(values[(row.key, column.key)]))
        rows.append(cells)
    rows.append(["四、政府信息公开行政复议、行政诉讼情况"])
    rows.append(["行政复议", "行政诉讼"])
    rows.append(
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"]
    )
    rows.append(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2)
    appeals = [1, 2, 3, 4, 10, 1, 1, 1, 1, 4, 2, 0, 1, 0, 3]
    names = [f"review.{o}" for o in ("upheld", "corrected", "other", "pending", "total")]
    names += [f"litigation.{k}.{o}" for k in ("direct", "after_review")
              for o in ("upheld", "corrected", "other", "pending", "total")]  # fmt: skip
    expected.update(dict(zip(names, appeals, strict=True)))
    rows.append([str(v) for v in appeals])
    rows.append(["五、存在的主要问题及改进情况"])
    return rows, expected


def _as_pipe(rows: list[list[str]]) -> str:
    return "\n".join(" | ".join(cells) + " |" for cells in rows) + "\n"


def _as_lines(rows: list[list[str]]) -> str:
    return "\n\n".join("\n\n".join(cells) for cells in rows) + "\n"


def _as_html(rows: list[list[str]]) -> str:
    """Tables with the template's merged cells: group labels span their rows, headers their columns."""
    out = ["<html><body>"]
    in_table = False
    for cells in rows:
        if len(cells) == 1 and not cells[0].isdigit():
            if in_table:
                out.append("</table>")
                in_table = False
            out.append(f"<p>{html.escape(cells[0])}</p>")
            continue
        if not in_table:
            out.append("<table border=1>")
            in_table = True
        tds = []
        for cell in cells:
            span = ' colspan="5"' if cell in ("法人或其他组织", "行政复议") else ""
            span = ' colspan="10"' if cell == "行政诉讼" else span
            tds.append(f"<td{span}>{html.escape(cell)}</td>")
        out.append("<tr>" + "".join(tds) + "</tr>")
    if in_table:
        out.append("</table>")
    out.append("</body></html>")
    return "".join(out)


@pytest.mark.parametrize("vintage", ["2019", "2021"])
@pytest.mark.parametrize("layout", ["html", "pipe", "lines"])
def test_template_tables_every_cell(tmp_path: Path, vintage: str, layout: str) -> None:
    rows, expected = _template_report(vintage)
    if layout == "html":
        path = tmp_path / "report.html"
        path.write_text(_as_html(rows), encoding="utf-8")
    else:
        path = tmp_path / "report.txt"
        path.write_text(_as_pipe(rows) if layout == "pipe" else _as_lines(rows), encoding="utf-8")
    result = analyze(read(path), tag)
    assert result["vintage"] == vintage
    table = {f["field_id"]: f["value"] for f in result["facts"] if f["origin"] == "table"}
    wrong = {k: (table.get(k), v) for k, v in expected.items() if table.get(k) != v}
    assert wrong == {}
    assert set(table) == set(expected)
    statuses = {c["status"] for c in result["checks"]}
    assert statuses == {"pass"}
    assert len(result["checks"]) == len(load_schema()[vintage].identities)
    assert result["harmonized"]["litigation.total"] == 7


def test_broken_arithmetic_is_reported_not_corrected(tmp_path: Path) -> None:
    rows, expected = _template_report("2021")
    appeals = rows[-2]
    appeals[4] = "11"  # review total printed 11, parts sum to 10
    path = tmp_path / "report.txt"
    path.write_text(_as_pipe(rows), encoding="utf-8")
    result = analyze(read(path), tag)
    review = next(c for c in result["checks"] if c["identity"].startswith("review.total"))
    assert (review["status"], review["lhs"], review["rhs"]) == ("fail", 11, 10)
    assert next(f["value"] for f in result["facts"] if f["field_id"] == "review.total") == 11


def test_table_cut_off_mid_row_keeps_only_the_cells_it_has(tmp_path: Path) -> None:
    rows, _ = _template_report("2021")
    cut = next(i for i, r in enumerate(rows) if r[0].startswith("（二）部分公开"))
    rows = rows[: cut + 1]
    rows[-1] = rows[-1][:3]  # label and two values, then the page ends
    path = tmp_path / "report.txt"
    path.write_text(_as_pipe(rows)[:-2], encoding="utf-8")
    facts = {f["field_id"]: f["value"] for f in analyze(read(path), tag)["facts"]}
    partial = {k: v for k, v in facts.items() if k.startswith("requests.partial.")}
    assert partial == {"requests.partial.natural_person": int(rows[-1][1]),
                       "requests.partial.commercial": int(rows[-1][2])}  # fmt: skip


def test_merged_applicant_cells_give_the_total_even_where_the_page_ends(tmp_path: Path) -> None:
    """Rows printed with the six applicant cells merged carry only 总计; a row cut off at the end
    of the page in such a table is read the same way, not as the 自然人 column."""
    text = (
        "某乡2019年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
        "申请人情况 |\n自然人 |\n法人或其他组织 |\n总计 |\n"
        "一、本年新收政府信息公开申请数量 |\n|\n3 |\n|||||||\n"
        "二、上年结转政府信息公开申请数量 |\n|\n1 |\n|||||||\n"
        "三、本年度办理结果 |\n（一）予以公开 |\n|\n2 |\n|||||||\n"
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形） |\n|\n0 |"
    )
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    facts = {f["field_id"]: f["value"] for f in analyze(read(path), tag)["facts"]}
    assert facts == {
        "requests.new_received.total": 3,
        "requests.carried_over.total": 1,
        "requests.granted.total": 2,
        "requests.partial.total": 0,
    }
