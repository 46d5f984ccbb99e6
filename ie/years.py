"""python -m ie.years: the identities that link one agency's consecutive reports.

A report's own arithmetic (ie.check.identities) stops at its edges; two of its tables continue next year:

- 表二: 现行有效件数 this year = last year's 现行有效件数 + this year's 本年制发件数 − 本年废止件数,
  for each document type row (规章, 行政规范性文件). Needs this year on the 2021 template (the
  2019 template prints no 制发/废止 columns); last year may print either (the 2019 template's
  对外公开总数量 is read as its 现行有效件数, and the result says so).
- 表三: 上年结转政府信息公开申请数量 this year = last year's 结转下年度继续办理, per applicant column.

Reports are grouped by the agency's normalized name (``ie.tables.describe.agency_key``); a year with no
report, or with two reports of one agency, makes its links ``not_assessable``, never ``fail``.
Input is reports (run through the pipeline once each) or the JSON/JSONL that ``ie.predict`` wrote.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from tqdm import tqdm

from ie.check.identities import report_values
from ie.cli import Parser, add_force, add_reading, add_tagger, apply_limits
from ie.errors import EXIT_FAILURES, EXIT_OK, Errors, InputError, run_command
from ie.output.files import check_output
from ie.pipeline import extract
from ie.read import find_reports, read
from ie.schema import Vintage, load_schema, vintage_for_year
from ie.tables.describe import agency_key
from ie.tag import Tagger, get_tagger
from ie.text.conventions import identity_holds
from ie.text.numbers import tidy
from ie.types import Fact

PREDICTION_SUFFIXES = (".json", ".jsonl")


@dataclass(frozen=True)
class YearReport:
    """What the links need of one report: who, when, which template, its own figure per field."""

    document: str
    agency: str
    year: int | None
    vintage: str
    kind: str
    values: dict[str, Fact]


@dataclass(frozen=True)
class Term:
    field_id: str
    year: int
    sign: int = 1


@dataclass(frozen=True)
class YearIdentity:
    table: str
    lhs: Term
    rhs: tuple[Term, ...]
    note: str = ""

    def __str__(self) -> str:
        parts = [f"{self.lhs.field_id}@{self.lhs.year} ="]
        for index, term in enumerate(self.rhs):
            sign = "-" if term.sign < 0 else ("+" if index else "")
            parts.append(f"{sign} {term.field_id}@{term.year}".strip())
        return " ".join(parts)


def identities(year: int, now: Vintage, before: Vintage) -> list[YearIdentity]:
    """The identities linking ``year - 1`` (printed on ``before``) to ``year`` (on ``now``)."""
    found: list[YearIdentity] = []
    last = year - 1
    for grid in now.grids:
        columns = {column.key for column in grid.columns}
        if grid.prefix == "disclosure" and {"issued", "repealed", "in_force"} <= columns:
            for row in grid.rows:
                stock = grid.field_id(row.key, "in_force")
                if stock not in before.fields:
                    continue
                note = (
                    f"{last}'s report prints the {before.name} template: its 对外公开总数量 is "
                    "read as 现行有效件数"
                    if "issued" not in {c.key for g in before.grids for c in g.columns}
                    else ""
                )
                found.append(YearIdentity(
                    "表二", Term(stock, year),
                    (Term(stock, last), Term(grid.field_id(row.key, "issued"), year),
                     Term(grid.field_id(row.key, "repealed"), year, -1)),
                    note,
                ))  # fmt: skip
        if grid.prefix == "requests" and "carried_over" in {r.key for r in grid.rows}:
            for column in grid.columns:
                carried_over = grid.field_id("carried_over", column.key)
                carried_forward = grid.field_id("carried_forward", column.key)
                if carried_forward in before.fields:
                    found.append(YearIdentity(
                        "表三", Term(carried_over, year), (Term(carried_forward, last),)
                    ))  # fmt: skip
    return found


def link_agency(reports: list[YearReport]) -> list[dict[str, object]]:
    """Every link between consecutive years from the agency's first report to its last."""
    schema = load_schema()
    by_year: dict[int, list[YearReport]] = defaultdict(list)
    for report in reports:
        by_year[report.year].append(report)  # type: ignore[index]
    results: list[dict[str, object]] = []
    for year in range(min(by_year) + 1, max(by_year) + 1):
        pair = {y: by_year.get(y, []) for y in (year - 1, year)}
        vintages = {
            y: schema[found[0].vintage if found else vintage_for_year(y) or "2008"]
            for y, found in pair.items()
        }
        reason = _unusable(pair)
        for identity in identities(year, vintages[year], vintages[year - 1]):
            chosen = {y: found[0] for y, found in pair.items() if len(found) == 1}
            result = _evaluate(identity, chosen, reason)
            if result is not None:
                results.append(result)
    return results


def _unusable(pair: dict[int, list[YearReport]]) -> str:
    reasons = []
    for year, found in pair.items():
        if not found:
            reasons.append(f"no report for {year}")
        elif len(found) > 1:
            documents = ", ".join(r.document for r in found)
            reasons.append(f"{len(found)} reports for {year} ({documents})")
    return "; ".join(reasons)


def _evaluate(
    identity: YearIdentity, reports: dict[int, YearReport], reason: str
) -> dict[str, object] | None:
    terms, missing, values = [], [], []
    for term in (identity.lhs, *identity.rhs):
        report = reports.get(term.year)
        fact = report.values.get(term.field_id) if report else None
        entry: dict[str, object] = {"field_id": term.field_id, "year": term.year,
                                    "sign": term.sign, "value": None,
                                    "document": report.document if report else None,
                                    "evidence": None}  # fmt: skip
        if fact is None:
            missing.append(f"{term.field_id}@{term.year}")
        else:
            entry["value"] = fact.value
            entry["evidence"] = fact.evidence.to_json()
            values.append(term.sign * fact.value)
        terms.append(entry)
    if not reason and len(missing) == len(terms):
        return None  # neither report states any of it: not worth a line, as in ie.check.identities
    lhs = rhs = None
    if reason or missing:
        status = "not_assessable"
        reason = reason or "not stated: " + ", ".join(missing)
    else:
        lhs, rhs = tidy(values[0]), tidy(sum(values[1:]))
        status = "pass" if identity_holds(lhs, rhs) else "fail"
    return {
        "identity": str(identity),
        "table": identity.table,
        "years": [identity.lhs.year - 1, identity.lhs.year],
        "status": status,
        "lhs": lhs,
        "rhs": rhs,
        "reason": reason,
        "note": identity.note,
        "terms": terms,
    }


def link_reports(reports: list[YearReport]) -> dict[str, object]:
    """Reports of any agencies → links per agency, plus the reports no agency/year could take."""
    groups: dict[str, list[YearReport]] = defaultdict(list)
    unmatched = []
    for report in reports:
        key = agency_key(report.agency)
        if report.kind != "annual_report":
            unmatched.append({"document": report.document, "reason": "not an annual report"})
        elif not key or report.year is None:
            missing = "agency" if not key else "year"
            unmatched.append({"document": report.document, "reason": f"no {missing} found"})
        else:
            groups[key].append(report)
    agencies = []
    for key in sorted(groups):
        members = sorted(groups[key], key=lambda r: (r.year, r.document))
        links = link_agency(members)
        agencies.append({
            "agency": members[0].agency,
            "key": key,
            "reports": [{"year": r.year, "document": r.document, "vintage": r.vintage,
                         "agency": r.agency} for r in members],
            "summary": {status: sum(1 for link in links if link["status"] == status)
                        for status in ("pass", "fail", "not_assessable")},
            "links": links,
        })  # fmt: skip
    return {"agencies": agencies, "unmatched": unmatched}


@lru_cache(maxsize=1)
def linked_fields() -> frozenset[str]:
    """Every field some link reads: all a report needs to keep (a national year is 10^5 reports)."""
    vintages = load_schema().vintages.values()
    return frozenset(
        term.field_id
        for now in vintages
        for before in vintages
        for identity in identities(2001, now, before)
        for term in (identity.lhs, *identity.rhs)
    )


def _linked_values(facts: list[Fact]) -> dict[str, Fact]:
    keep = linked_fields()
    return {k: v for k, v in report_values(facts).items() if k in keep}


def from_prediction(result: dict) -> YearReport:
    """A report as ``ie.predict`` wrote it (one JSON object)."""
    keep = linked_fields()
    facts = [Fact.from_json(f) for f in result["facts"] if f["field_id"] in keep]
    return YearReport(result["document"], result["agency"], result["year"], result["vintage"],
                      result.get("kind", "annual_report"), _linked_values(facts))  # fmt: skip


def _read_predictions(path: str) -> Iterator[YearReport]:
    where = ""
    try:
        with open(path, encoding="utf-8") as stream:
            if path.endswith(".jsonl"):
                # one report per line, read as it comes: a year's JSONL need not fit in memory
                for number, line in enumerate(stream, 1):
                    if line.strip():
                        where = f" (line {number})"
                        yield _prediction(json.loads(line), where, path)
                return
            loaded = json.load(stream)
        for number, result in enumerate(loaded if isinstance(loaded, list) else [loaded]):
            where = f" (item {number})" if isinstance(loaded, list) else ""
            yield _prediction(result, where, path)
    except (OSError, ValueError) as error:
        reason = error.strerror or error if isinstance(error, OSError) else error
        raise InputError(Errors.E032.format(path=path, reason=reason)) from None


def _prediction(result: object, where: str, path: str) -> YearReport:
    """``from_prediction``, with what is wrong said in words (a bare KeyError reads 'facts')."""
    if not isinstance(result, dict):
        reason = f"a JSON {type(result).__name__}, not an object"
        raise InputError(Errors.E079.format(path=path, where=where, reason=reason))
    missing = [key for key in PREDICTION_KEYS if key not in result]
    if missing:
        reason = "no " + ", ".join(repr(key) for key in missing)
        raise InputError(Errors.E079.format(path=path, where=where, reason=reason))
    try:
        return from_prediction(result)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        reason = f"a fact without {error}" if isinstance(error, KeyError) else str(error)
        raise InputError(Errors.E079.format(path=path, where=where, reason=reason)) from None


PREDICTION_KEYS = ("document", "agency", "year", "vintage", "facts")


def _analyze(path: str, tagger: Tagger, max_mb: float) -> YearReport:
    analysis = extract(read(path, max_mb=max_mb), tagger)
    info = analysis.info
    return YearReport(analysis.document.path, info.agency, info.year, info.vintage, info.kind,
                      _linked_values(list(analysis.facts)))  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="python -m ie.years",
        description="Check the identities that link one agency's consecutive annual reports: "
        "表二 现行有效件数 = last year's 现行有效件数 + 本年制发件数 − 本年废止件数 (per document type), "
        "表三 上年结转 = last year's 结转下年度继续办理 (per applicant column). Reports are grouped by "
        "the agency's normalized name; a missing year is not_assessable, never a failure.",
        epilog="Prints JSON: per agency its reports and links (status pass, fail or "
        "not_assessable; both years' values, documents and evidence offsets). Exit codes: 0 all "
        "read, 1 some reports failed (the rest were used), 2 usage or input error.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="reports, folders of reports, or the .json/.jsonl output of "
                        "ie.predict (then nothing is re-extracted)")  # fmt: skip
    parser.add_argument("--out", metavar="FILE", help="write here (atomically) instead of stdout")
    add_tagger(parser, help="prose tagger for reports (default: %(default)s)")
    add_reading(parser, what="reports")
    add_force(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return run_command(lambda: _years(args))


def _years(args: argparse.Namespace) -> int:
    from ie.output.formats import emit

    apply_limits(args)
    if args.out:
        check_output(args.out, args.paths, args.force)  # before any work, never over an input
    predictions = [p for p in args.paths if p.endswith(PREDICTION_SUFFIXES)]
    reports = [r for p in predictions for r in _read_predictions(p)]
    paths = [p for p in args.paths if p not in predictions]
    failures = 0
    if paths:
        found = find_reports(paths)
        for problem in found.problems:
            failures += 1
            print(f"error: {problem}", file=sys.stderr)
        tagger = get_tagger(args.tagger, args.model)
        for path in tqdm(found, desc="reports", unit="report", disable=len(found) < 2,
                         file=sys.stderr):  # fmt: skip
            try:
                reports.append(_analyze(path, tagger, args.max_mb))
            except InputError as error:
                failures += 1
                print(f"error: {error}", file=sys.stderr)
    emit(json.dumps(link_reports(reports), ensure_ascii=False, indent=2) + "\n", args.out)
    return EXIT_FAILURES if failures else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
