"""The template's tables rebuilt from a report's facts, each cell marked by the identities it is in
(for ``ie.review``): the schema's grids as rows × columns, the vintage's other fields as a list."""

from __future__ import annotations

import html
from collections import defaultdict

from ie.check.identities import report_values
from ie.output.review_text import span_id
from ie.schema import Grid, Vintage
from ie.types import CheckResult, Fact

STATUS_ORDER = ("fail", "pass", "not_assessable")


def cell_checks(checks: tuple[CheckResult, ...]) -> dict[str, list[CheckResult]]:
    by_field: dict[str, list[CheckResult]] = defaultdict(list)
    for check in checks:
        for field_id in check.fields:
            by_field[field_id].append(check)
    return by_field


def render_tables(
    vintage: Vintage, facts: tuple[Fact, ...], checks: tuple[CheckResult, ...]
) -> str:
    values = report_values(list(facts))
    by_field = cell_checks(checks)
    out: list[str] = []
    tables: dict[str, list[Grid]] = defaultdict(list)
    for grid in vintage.grids:
        tables[grid.table].append(grid)
    for title, grids in tables.items():
        out.append(f"<h3>{html.escape(title)}</h3>")
        out += [_grid(grid, values, by_field) for grid in grids]
    listed = [
        f for f in vintage.fields.values() if f.grid < 0 and (not f.extension or f.id in values)
    ]
    if listed:
        # 2008's official table is a list of fields; later vintages list only what lies outside
        heading = "表外字段 (fields outside the grids)" if vintage.grids else vintage.title
        out.append(f"<h3>{html.escape(heading)}</h3>")
        out.append('<table class="grid"><tr><th>field</th><th>label</th><th>value</th></tr>')
        for field in listed:
            out.append(
                f"<tr><td><code>{html.escape(field.id)}</code></td><td>{html.escape(field.label)}"
                f"</td>{_cell(field.id, values, by_field)}</tr>"
            )
        out.append("</table>")
    return "\n".join(out)


def _grid(grid: Grid, values: dict[str, Fact], by_field: dict[str, list[CheckResult]]) -> str:
    head = "".join(f"<th>{html.escape(column.label)}</th>" for column in grid.columns)
    rows = [f'<table class="grid"><tr><th>{html.escape(grid.prefix)}</th>{head}</tr>']
    for row in grid.rows:
        label = html.escape(row.label + (f" ({row.section})" if row.section else ""))
        cells = "".join(
            _cell(grid.field_id(row.key, column.key), values, by_field) for column in grid.columns
        )
        rows.append(f'<tr><th class="row">{label}</th>{cells}</tr>')
    rows.append("</table>")
    return "\n".join(rows)


def _cell(field_id: str, values: dict[str, Fact], by_field: dict[str, list[CheckResult]]) -> str:
    checks = by_field.get(field_id, [])
    statuses = {check.status for check in checks}
    status = next((s for s in STATUS_ORDER if s in statuses), "unchecked")
    hover = "\n".join([field_id] + [f"{c.status}: {c.identity}" for c in checks])
    fact = values.get(field_id)
    if fact is None:
        content = '<span class="missing">·</span>'
    else:
        value = ("≈" if fact.approx else "") + str(fact.value)
        content = f'<a href="#{span_id(fact.evidence)}">{html.escape(value)}</a>'
    return (f'<td class="cell {status}" data-field="{html.escape(field_id)}" '
            f'title="{html.escape(hover)}">{content}</td>')  # fmt: skip
