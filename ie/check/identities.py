"""Facts → the report's own arithmetic (勾稽关系) checked, and prose/table disagreements listed.

A check never changes a value: a failed identity is reported with both sides and the evidence.
"""

from __future__ import annotations

from ie.schema import Vintage
from ie.text.conventions import identity_holds
from ie.text.numbers import tidy
from ie.types import CheckResult, Conflict, Fact, base_origin


def report_values(facts: list[Fact]) -> dict[str, Fact]:
    """The report's own figure per field: a table cell wins over prose, the first mention wins."""
    chosen: dict[str, Fact] = {}
    for fact in sorted(facts, key=lambda f: (base_origin(f.origin) != "table", f.evidence.start)):
        if fact.qualifier is None and fact.field_id not in chosen:
            chosen[fact.field_id] = fact
    return chosen


def find_conflicts(facts: list[Fact]) -> tuple[list[Fact], list[Conflict]]:
    """Prose figures that contradict a table cell of the same field: the table value stays the
    fact, the prose one is listed as a conflict."""
    tables = {f.field_id: f for f in facts if base_origin(f.origin) == "table" and f.qualifier is None}
    kept, conflicts = [], []
    for fact in facts:
        table = tables.get(fact.field_id)
        if (
            base_origin(fact.origin) == "prose"
            and fact.qualifier is None
            and table
            and table.value != fact.value
        ):
            conflicts.append(Conflict(fact.field_id, table, fact))
        else:
            kept.append(fact)
    return kept, conflicts


def run_checks(facts: list[Fact], vintage: Vintage) -> list[CheckResult]:
    values = report_values(facts)
    results = []
    for identity in vintage.identities:
        names = identity.lhs + identity.rhs
        present = [values[name] for name in names if name in values]
        missing = tuple(name for name in names if name not in values)
        if missing:
            # Nothing of the identity stated: not worth a line in the output.
            if len(missing) == len(names):
                continue
            results.append(CheckResult(str(identity), "not_assessable", None, None, names, missing,
                                       tuple(f.evidence for f in present)))  # fmt: skip
            continue
        lhs = tidy(sum(values[name].value for name in identity.lhs))
        rhs = tidy(sum(values[name].value for name in identity.rhs))
        ok = identity_holds(lhs, rhs, identity.op)
        results.append(CheckResult(str(identity), "pass" if ok else "fail", lhs, rhs, names, (),
                                   tuple(f.evidence for f in present)))  # fmt: skip
    return results


def harmonize(facts: list[Fact], vintage: Vintage) -> dict[str, float | int | None]:
    """The cross-vintage metrics a researcher charts, summed from this vintage's fields."""
    values = report_values(facts)
    harmonized: dict[str, float | int | None] = {}
    for metric, parts in vintage.harmonized.items():
        if all(part in values for part in parts):
            harmonized[metric] = tidy(sum(values[part].value for part in parts))
        else:
            harmonized[metric] = None
    return harmonized
