"""2008-era provincial statistics tables: rows beyond the national template and a 历年累计 column
beside the year's.

The table is built at test time from real text: the row labels and header of 莆田's 2009 附表
(corpus 2009-01, a notice that prints the table blank) filled with the 2016 figures of 宝坻's
report (seed 004, its gold facts) for the year, and the year's figure plus 东城区政务服务中心's
(seed 003) as a cumulative figure; the table replaces seed 004's own table at the end of its report.
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from ie.pipeline import analyze
from ie.read import read
from ie.tag.rules import tag
from tests.helpers import gold, shared_file

BLANK_TABLE = "corpus/v2008/2009-01.txt"
REPORT = "seeds/004_e0499503ab353c5a.txt"
EARLIER = "seeds/003_5efb2117df0d3f03.txt"
# the 附表's rows → the 2008 field whose figure fills them (None: a row no field takes)
ROWS = {
    "主动公开信息数": "active.total",
    "其中:1.政府网站": "active.channel.website",
    "2.政府公报": "active.channel.gazette",
    "受理依申请公开信息总数": "requests.received",
    "其中:1.当面申请数": "requests.received.in_person",
    "2.传真申请数": "requests.received.fax",
    "3.电子邮件申请数": None,
    "4.网上申请数": "requests.received.online",
    "5.信函申请数": "requests.received.mail",
    "6.其它形式申请数": None,
    "本年度对申请的答复总数": "requests.answered",
    "其中:1.同意公开答复数": "requests.answered.granted",
    "2.同意部分公开答复数": "requests.answered.partial",
    "3.否决公开答复总数": "requests.answered.denied",
    "行政复议数": "review.total",
    "行政诉讼数": "litigation.total",
    "行政申诉数": None,
}


def _table_rows() -> tuple[list[str], list[tuple[str, str, int, int]]]:
    """The blank 附表's header and rows, each row filled with (unit, year, cumulative)."""
    blank = shared_file(BLANK_TABLE).read_text(encoding="utf-8")
    lines = [" ".join(line.split()) for line in blank[blank.index("指   标") :].splitlines()]
    lines = [line for line in lines if line]
    header, labels = lines[:4], lines[4 : lines.index("行政申诉数") + 1]
    year = {f["field_id"]: f["value"] for f in gold(REPORT)["facts"] if f["origin"] == "table"}
    before = {f["field_id"]: f["value"] for f in gold(EARLIER)["facts"] if f["origin"] == "table"}
    assert [label.replace(" ", "") for label in labels] == list(ROWS)
    rows = []
    for label, field_id in zip(labels, ROWS.values()):
        unit = "条" if "公开信息" in label or "政府" in label else "件"
        this_year = year.get(field_id, 0) if field_id else 0
        rows.append(
            (label, unit, this_year, this_year + (before.get(field_id, 0) if field_id else 0))
        )
    return header, rows


def _report(tmp_path: Path, table: str, suffix: str = ".txt") -> dict:
    text = shared_file(REPORT).read_text(encoding="utf-8")
    body = text[: text.index("附件：政府信息公开情况统计表")]
    path = tmp_path / f"provincial{suffix}"
    path.write_text(body + "附件：政府信息公开情况统计表\n" + table, encoding="utf-8")
    return analyze(read(path), tag)


def _expected() -> dict[str, int]:
    _, rows = _table_rows()
    return {field: year for field, (_, _, year, _) in zip(ROWS.values(), rows) if field}


def _table_facts(result: dict) -> dict[str, set]:
    facts: dict[str, set] = {}
    for fact in result["facts"]:
        if fact["origin"] == "table":
            facts.setdefault(fact["field_id"], set()).add(fact["value"])
    return facts


@pytest.mark.parametrize("layout", ["space", "html"])
def test_year_column_is_the_fact_and_the_cumulative_never(tmp_path: Path, layout: str) -> None:
    header, rows = _table_rows()
    if layout == "space":  # crawled: `主动公开信息数 条 5533 5729`, one row per line
        table = " ".join(header) + "\n" + "\n".join(f"{a} {b} {c} {d}" for a, b, c, d in rows)
        result = _report(tmp_path, table)
    else:
        cells = [header] + [[a, b, str(c), str(d)] for a, b, c, d in rows]
        table = "<table>" + "".join(
            "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>"
            for row in cells
        ) + "</table>"  # fmt: skip
        result = _report(tmp_path, f"<html><body><p>{table}</p></body></html>", ".html")
    assert _table_facts(result) == {k: {v} for k, v in _expected().items()}
    cumulative = [u for u in result["unmapped"] if "历年累计" in u["reason"]]
    assert {u["value"] for u in cumulative} >= {5533 + 196, 4126 + 136}
    no_field = {u["metric"] for u in result["unmapped"] if u["origin"] == "table"}
    assert {"电子邮件申请数", "其它形式申请数", "行政申诉数"} <= {
        m.split(".")[-1] for m in no_field
    }


def test_concatenated_provincial_table_gives_no_cumulative_figure(tmp_path: Path) -> None:
    """`主动公开信息数条55335729`: 5533|5729 and 553|35729… all keep the year below the cumulative;
    a row whose reading is not unique is listed, and no cumulative figure ever becomes a fact."""
    header, rows = _table_rows()
    table = "".join(header) + "".join(f"{a}{b}{c}{d}" for a, b, c, d in rows)
    result = _report(tmp_path, table)
    expected = _expected()
    facts = _table_facts(result)
    assert all(values == {expected[field]} for field, values in facts.items())
    assert facts["review.total"] == {1}  # `行政复议数件12`: only 1|2 keeps the year below
    ambiguous = [u for u in result["unmapped"] if u["reason"] == "ambiguous flattened row"]
    assert any(u["metric"] == "主动公开信息数" for u in ambiguous)


def test_combined_row_is_not_forced_onto_either_field(tmp_path: Path) -> None:
    """A 信函、传真申请数 row combines two 2008 fields; no field holds their sum."""
    header, rows = _table_rows()
    rows = [r for r in rows if r[0] not in ("2.传真申请数", "5.信函申请数")]
    rows.insert(5, ("2.信函、传真申请数", "件", 11, 11))
    table = " ".join(header) + "\n" + "\n".join(f"{a} {b} {c} {d}" for a, b, c, d in rows)
    result = _report(tmp_path, table)
    facts = _table_facts(result)
    assert "requests.received.fax" not in facts and "requests.received.mail" not in facts
    combined = [u for u in result["unmapped"] if u["reason"].startswith("the row combines")]
    assert [u["value"] for u in combined] == [11, 11]  # the year's and the cumulative figure
    assert "信函申请数" in combined[0]["reason"] and "传真申请数" in combined[0]["reason"]
