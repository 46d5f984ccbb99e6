"""Checks across years: a real train report (宁陕县梅子镇人民政府 2024, corpus/v2021/2024-07.txt:
table 二 complete, table 三 cut after its first rows) between two synthetic reports of the same
agency built on the official template from the gold figures of that report."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from helpers import ROOT, gold, shared_file
from template_report import template_report

from ie import predict, years
from ie.read import read
from ie.schema import load_schema
from ie.tables import find_tables
from ie.tables.describe import agency_key, describe

AGENCY = "宁陕县梅子镇人民政府"
REAL = "corpus/v2021/2024-07.txt"
# What the real report's cut-off table 三 does not state: 2024's 结转下年度, so each 2024 → 2025
# link of 表三 (7 columns) is not assessable; 表二's 2 rows and 2023 → 2024's 9 links are.
LINKS = {"pass": 11, "fail": 0, "not_assessable": 7}


def _gold_values() -> dict[str, float]:
    return {f["field_id"]: f["value"] for f in gold(REAL)["facts"] if not f.get("qualifier")}


def _column(values: dict[str, float], row: str) -> tuple[int, ...]:
    keys = ("natural_person", "commercial", "research", "public_interest", "legal_service",
            "other_org")  # fmt: skip
    return tuple(int(values[f"requests.{row}.{key}"]) for key in keys)


def _before_and_after(folder: Path, in_force_2025: int | None = None) -> dict[int, Path]:
    """2023 and 2025 reports that agree with the real 2024 report's gold figures."""
    assert "requests.carried_forward.total" not in _gold_values()  # the table is cut before it
    real = _gold_values()
    carried_over_2024 = _column(real, "carried_over")
    paths = {2023: folder / "2023.txt", 2025: folder / "2025.txt"}
    # 2023: its 现行有效 is what 2024's 制发/废止 started from; its 结转 is 2024's 上年结转.
    paths[2023].write_text(template_report(
        AGENCY, 2023,
        rules=(2, 0, int(real["disclosure.rules.in_force"] - real["disclosure.rules.issued"]
                         + real["disclosure.rules.repealed"])),
        normative=(9, 4, int(real["disclosure.normative.in_force"]
                             - real["disclosure.normative.issued"]
                             + real["disclosure.normative.repealed"])),
        new_received=(500, 10, 0, 0, 2, 0), carried_over=(20, 0, 0, 0, 0, 0),
        granted=tuple(n + c - f for n, c, f in zip((500, 10, 0, 0, 2, 0), (20, 0, 0, 0, 0, 0),
                                                   carried_over_2024, strict=True)),
    ), encoding="utf-8")  # fmt: skip
    normative_2025 = int(real["disclosure.normative.in_force"]) + 5 - 3
    paths[2025].write_text(template_report(
        AGENCY, 2025,
        rules=(2, 0, int(real["disclosure.rules.in_force"]) + 2),
        normative=(5, 3, normative_2025 if in_force_2025 is None else in_force_2025),
        new_received=(300, 4, 0, 0, 0, 0), carried_over=(1, 0, 0, 0, 0, 0),
        granted=(250, 4, 0, 0, 0, 0),
    ), encoding="utf-8")  # fmt: skip
    return paths


SCHEMA = json.loads((ROOT / "configs" / "years.schema.json").read_text(encoding="utf-8"))


def _years(*paths: str | Path) -> dict:
    """``python -m ie.years PATHS --out FILE``, in this process (the CLI's own test is below)."""
    out = Path(paths[-1]).parent / "years.json"
    assert years.main([*map(str, paths), "--out", str(out)]) == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(result, SCHEMA)
    return result


def _agency(result: dict) -> dict:
    (agency,) = [a for a in result["agencies"] if a["key"] == agency_key(AGENCY)]
    return agency


def test_consecutive_years_around_a_real_report_link_up(tmp_path: Path) -> None:
    pdf = shared_file(REAL)
    synthetic = _before_and_after(tmp_path)
    # another agency of the same county and year: never linked to 宁陕县梅子镇人民政府
    (tmp_path / "other.txt").write_text(template_report(
        "宁陕县教育局", 2025, normative=(0, 0, 7), new_received=(3, 0, 0, 0, 0, 0),
        carried_over=(999, 0, 0, 0, 0, 0), granted=(1000, 0, 0, 0, 0, 0),
    ), encoding="utf-8")  # fmt: skip
    result = _years(pdf, tmp_path)
    agency = _agency(result)
    assert [r["year"] for r in agency["reports"]] == [2023, 2024, 2025]
    links = agency["links"]
    # 2 document rows (表二) and 7 applicant columns (表三) per pair of years
    assert agency["summary"] == LINKS
    unstated = [link for link in links if link["status"] == "not_assessable"]
    assert all(link["identity"].startswith("requests.carried_over.") for link in unstated)
    assert all("@2025" in link["identity"] for link in unstated)
    real = _gold_values()
    texts = {2023: synthetic[2023].read_text(encoding="utf-8"),
             2025: synthetic[2025].read_text(encoding="utf-8")}  # fmt: skip
    for link in links:
        for term in link["terms"]:
            if term["year"] == 2024:
                # the real report's side: the gold value, evidence into the report's text
                assert term["document"] == str(pdf)
                if term["field_id"] not in real:  # 结转下年度: not stated, nothing read
                    assert term["value"] is None and term["field_id"].startswith(
                        "requests.carried_forward."
                    )
                    continue
                assert term["value"] == real[term["field_id"]], term
                evidence = term["evidence"]
                source = pdf.read_text(encoding="utf-8")
                assert source[evidence["start"] : evidence["end"]] == evidence["text"]
            else:
                evidence = term["evidence"]
                assert texts[term["year"]][evidence["start"] : evidence["end"]] == evidence["text"]
                assert float(evidence["text"]) == term["value"]
    stock = next(link for link in links if link["identity"].startswith(
        "disclosure.normative.in_force@2025"))  # fmt: skip
    assert (stock["lhs"], stock["rhs"]) == (real["disclosure.normative.in_force"] + 2,) * 2
    other = next(a for a in result["agencies"] if a["agency"] == "宁陕县教育局")
    assert other["links"] == []


def test_a_broken_link_fails_with_both_years_values(tmp_path: Path) -> None:
    pdf = shared_file(REAL)
    _before_and_after(tmp_path, in_force_2025=70)
    links = _agency(_years(pdf, tmp_path))["links"]
    failed = [link for link in links if link["status"] == "fail"]
    assert [link["identity"] for link in failed] == [
        "disclosure.normative.in_force@2025 = disclosure.normative.in_force@2024 "
        "+ disclosure.normative.issued@2025 - disclosure.normative.repealed@2025"
    ]
    in_force = _gold_values()["disclosure.normative.in_force"]  # 2024's, as printed
    assert (failed[0]["lhs"], failed[0]["rhs"]) == (70, in_force + 5 - 3)
    assert [t["value"] for t in failed[0]["terms"]] == [70, in_force, 5, 3]


def test_a_missing_year_is_not_assessable(tmp_path: Path) -> None:
    synthetic = _before_and_after(tmp_path)  # 2023 and 2025, no 2024
    agency = _agency(_years(*synthetic.values()))
    assert agency["summary"]["fail"] == agency["summary"]["pass"] == 0
    assert agency["summary"]["not_assessable"] == 18  # 9 links a year, both around 2024
    assert {link["reason"] for link in agency["links"]} == {"no report for 2024"}


def test_predict_output_gives_the_same_links_without_re_extracting(tmp_path: Path) -> None:
    pdf = shared_file(REAL)
    _before_and_after(tmp_path, in_force_2025=70)
    predictions = tmp_path / "facts.jsonl"
    assert predict.main([str(pdf), str(tmp_path), "--format", "jsonl", "--out",
                         str(predictions)]) == 0  # fmt: skip
    assert _years(predictions) == _years(pdf, tmp_path)


def test_agency_names_are_matched_after_normalization() -> None:
    assert agency_key("淮安市 人民政府") == agency_key("淮安市政府") == "淮安市政府"
    assert agency_key("淮安市（人民政府）") == "淮安市政府"
    assert agency_key("江苏省淮安市人民政府") != agency_key("淮安市人民政府")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no/such/report.txt"], "no such file or directory"),
        (["{bad.jsonl}"], "cannot read ie.predict output"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    if args == ["{bad.jsonl}"]:
        bad = tmp_path / "bad.jsonl"
        bad.write_text("{not json\n", encoding="utf-8")
        args = [str(bad)]
    run = subprocess.run([sys.executable, "-m", "ie.years", *args], cwd=ROOT, capture_output=True,
                         text=True)  # fmt: skip
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.count("\n") == 1 and message in run.stderr


def test_help() -> None:
    run = subprocess.run([sys.executable, "-m", "ie.years", "--help"], cwd=ROOT,
                         capture_output=True, text=True, check=True)  # fmt: skip
    assert "现行有效件数" in run.stdout and "not_assessable" in run.stdout


def test_two_reports_of_one_year_are_not_assessable(tmp_path: Path) -> None:
    for name, year in (("a-2021.txt", 2021), ("a-2022.txt", 2022), ("b-2022.txt", 2022)):
        (tmp_path / name).write_text(template_report(
            "示例县民政局", year, normative=(1, 0, 5), new_received=(2, 0, 0, 0, 0, 0),
            carried_over=(0, 0, 0, 0, 0, 0), granted=(2, 0, 0, 0, 0, 0),
        ), encoding="utf-8")  # fmt: skip
    (agency,) = _years(tmp_path)["agencies"]
    assert agency["summary"] == {"pass": 0, "fail": 0, "not_assessable": 9}
    assert {link["reason"] for link in agency["links"]} == {
        f"2 reports for 2022 ({tmp_path / 'a-2022.txt'}, {tmp_path / 'b-2022.txt'})"
    }


def test_which_links_each_pair_of_templates_has() -> None:
    schema = load_schema()
    both_2021 = [str(i) for i in years.identities(2022, schema["2021"], schema["2021"])]
    assert both_2021[:2] == [
        f"disclosure.{row}.in_force@2022 = disclosure.{row}.in_force@2021 "
        f"+ disclosure.{row}.issued@2022 - disclosure.{row}.repealed@2022"
        for row in ("rules", "normative")
    ]
    assert both_2021[2:] == [
        f"requests.carried_over.{column}@2022 = requests.carried_forward.{column}@2021"
        for column in ("natural_person", "commercial", "research", "public_interest",
                       "legal_service", "other_org", "total")
    ]  # fmt: skip
    # 2020 on the 2019 template → 2021: 对外公开总数量 stands in for last year's 现行有效件数, noted
    across = years.identities(2021, schema["2021"], schema["2019"])
    assert len(across) == 9 and "对外公开总数量" in across[0].note and not across[2].note
    # the 2019 template prints no 制发/废止: only 表三 links; 2008 has neither table
    assert [i.table for i in years.identities(2020, schema["2019"], schema["2019"])] == ["表三"] * 7
    assert years.identities(2019, schema["2019"], schema["2008"]) == []


@pytest.mark.parametrize(
    ("document", "agency"),
    [
        ("corpus/v2021/2024-07.txt", "宁陕县梅子镇人民政府"),  # "…人民政府2024年度…年度报告"
        ("corpus/v2021/2021-04.txt", "盐边县新九镇人民政府"),  # "关于2021年度…" under the agency
        ("corpus/v2021/2023-07.txt", "区统计局"),  # "现公布区统计局2023年政府信息公开…"
        ("corpus/v2019/2020-03.txt", "重庆解放碑中央商务区管理委员会"),  # "本报告由…根据"
    ],
)
def test_the_agency_is_found_where_reports_print_it(document: str, agency: str) -> None:
    path = shared_file(document)
    assert gold(document)["agency"] == agency  # what a reader wrote down
    report = read(path)
    assert describe(report, find_tables(report)).agency == agency
