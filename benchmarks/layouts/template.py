"""The official 2019/2021 tables (二, 三, 四) laid out as the templates print them, filled with gold values.

A table is a list of rows of ``Block``s: one printed cell with its row and column span, as an HTML
table holds it. Writers expand blocks into grids (markdown) or keep them (HTML). The grid comes
from configs/schema.yaml; the labels are printed in a ``LabelStyle`` (benchmarks/layouts/labels.py):
the schema's wording only with ``LabelStyle.template()``, else the variants a report draws.
"""

from __future__ import annotations

from dataclasses import dataclass

from benchmarks.layouts.labels import LabelStyle
from ie.schema import Grid, Vintage

TABLE_THREE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
RESULTS = "三、本年度办理结果"


@dataclass(frozen=True)
class Block:
    text: str
    rowspan: int = 1
    colspan: int = 1
    field_id: str = ""  # the gold field a value block prints ("" for labels)
    header: bool = False


@dataclass(frozen=True)
class RenderedTable:
    title: str
    rows: tuple[tuple[Block, ...], ...]


def number(value: float | int) -> str:
    """A gold value as a report prints it: no trailing .0 on whole numbers."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def template_tables(
    vintage: Vintage, values: dict[str, float], style: LabelStyle | None = None
) -> list[RenderedTable]:
    """表二, 表三 and 表四 of a 2019/2021 vintage with the values gold has (other cells blank),
    labels printed in ``style`` (the schema's own wording by default)."""
    style = style or LabelStyle.template()
    disclosure = [g for g in vintage.grids if g.prefix == "disclosure"]
    requests = next(g for g in vintage.grids if g.prefix == "requests")
    appeals = [g for g in vintage.grids if g.prefix in {"review", "litigation"}]
    return [
        RenderedTable(disclosure[0].table, tuple(_table_two(disclosure, values, style))),
        RenderedTable(requests.table, tuple(_table_three(requests, values, style))),
        RenderedTable(appeals[0].table.split("/")[0], tuple(_table_four(appeals, values, style))),
    ]


def _value(field_id: str, values: dict[str, float]) -> Block:
    return Block(number(values[field_id]) if field_id in values else "", field_id=field_id)


def _table_two(
    grids: list[Grid], values: dict[str, float], style: LabelStyle
) -> list[tuple[Block, ...]]:
    width = 1 + max(len(g.columns) for g in grids)
    rows: list[tuple[Block, ...]] = []
    for grid in grids:
        sections = dict.fromkeys(r.section for r in grid.rows)
        for section in sections:
            rows.append((Block(style.section_label(section), colspan=width, header=True),))
            labels = style.labels(f"二{section}", ["信息内容", *(c.label for c in grid.columns)])
            header = [Block(label, header=True) for label in labels]
            rows.append(tuple(_stretch(header, width)))
            grid_rows = [r for r in grid.rows if r.section == section]
            for row, label in zip(
                grid_rows, style.labels(f"二{section}行", [r.label for r in grid_rows]), strict=True
            ):
                cells = [Block(label)]
                cells += [_value(grid.field_id(row.key, c.key), values) for c in grid.columns]
                rows.append(tuple(_stretch(cells, width)))
    return rows


def _stretch(cells: list[Block], width: int) -> list[Block]:
    """The last cell spans what the row lacks (a one-column section under a three-column table)."""
    missing = width - sum(c.colspan for c in cells)
    if missing > 0:
        last = cells[-1]
        cells[-1] = Block(
            last.text, last.rowspan, last.colspan + missing, last.field_id, last.header
        )
    return cells


def _table_three(
    grid: Grid, values: dict[str, float], style: LabelStyle
) -> list[tuple[Block, ...]]:
    applicants = [c for c in grid.columns if "/" in c.label]
    note, asked, person, organisation, total, *kinds = style.labels("三列", [
        TABLE_THREE_NOTE, "申请人情况", grid.columns[0].label, applicants[0].label.split("/")[0],
        grid.columns[-1].label, *(c.label.split("/")[1] for c in applicants)])  # fmt: skip
    rows: list[tuple[Block, ...]] = [
        (Block(note, rowspan=3, colspan=3, header=True),
         Block(asked, colspan=len(grid.columns), header=True)),
        (Block(person, rowspan=2, header=True),
         Block(organisation, colspan=len(applicants), header=True),
         Block(total, rowspan=2, header=True)),
        tuple(Block(kind, header=True) for kind in kinds),
    ]  # fmt: skip
    paths = [_label_path(grid, index) for index in range(len(grid.rows))]
    # one printing per distinct label, so a merged group label reads the same on every row
    distinct = list(dict.fromkeys(label for path in paths for label in path))
    printed = dict(zip(distinct, style.labels("三行", distinct), strict=True))
    for index, row in enumerate(grid.rows):
        path = paths[index]
        cells = []
        for level, label in enumerate(path):
            if (
                index
                and len(paths[index - 1]) > level
                and paths[index - 1][: level + 1] == path[: level + 1]
                and level < len(path) - 1
            ):
                continue  # inside a merged group label printed above
            rowspan = 1
            if level < len(path) - 1:
                rowspan = sum(1 for p in paths[index:] if p[: level + 1] == path[: level + 1])
            colspan = 3 - len(path) + 1 if level == len(path) - 1 else 1
            cells.append(Block(printed[label], rowspan=rowspan, colspan=colspan))
        cells += [_value(grid.field_id(row.key, c.key), values) for c in grid.columns]
        rows.append(tuple(cells))
    return rows


def _label_path(grid: Grid, index: int) -> tuple[str, ...]:
    """A row's label as (group, subgroup, label): 三、本年度办理结果 / （三）不予公开 / 1.属于国家秘密."""
    keys = [r.key for r in grid.rows]
    parts = tuple(grid.rows[index].label.split("/"))
    in_results = keys.index("granted") <= index <= keys.index("results_total")
    if in_results and parts[0] != RESULTS:
        parts = (RESULTS, *parts)
    return parts


def _table_four(
    grids: list[Grid], values: dict[str, float], style: LabelStyle
) -> list[tuple[Block, ...]]:
    review, litigation = grids
    outcomes = style.labels("四列", [c.label for c in review.columns])
    width = len(outcomes)
    reviewed, litigated, *kinds = style.labels(
        "四", ["行政复议", "行政诉讼", *(r.label for r in litigation.rows)]
    )
    header_one = (Block(reviewed, colspan=width, header=True),
                  Block(litigated, colspan=width * len(litigation.rows), header=True))  # fmt: skip
    header_two = tuple(Block(label, rowspan=2, header=True) for label in outcomes) + tuple(
        Block(kind, colspan=width, header=True) for kind in kinds
    )
    header_three = tuple(Block(label, header=True) for _ in litigation.rows for label in outcomes)
    data = [_value(review.field_id("", c.key), values) for c in review.columns]
    data += [_value(litigation.field_id(r.key, c.key), values) for r in litigation.rows for c in litigation.columns]  # fmt: skip
    return [header_one, header_two, header_three, tuple(data)]


def expand(rows: tuple[tuple[Block, ...], ...]) -> list[list[tuple[Block, bool]]]:
    """Blocks placed on a grid: each position holds (block, is the block's first position)."""
    grid: dict[tuple[int, int], tuple[Block, bool]] = {}
    for r, row in enumerate(rows):
        c = 0
        for block in row:
            while (r, c) in grid:
                c += 1
            for dr in range(block.rowspan):
                for dc in range(block.colspan):
                    grid[(r + dr, c + dc)] = (block, dr == 0 and dc == 0)
            c += block.colspan
    height = max(r for r, _ in grid) + 1
    width = max(c for _, c in grid) + 1
    return [[grid.get((r, c), (Block(""), True)) for c in range(width)] for r in range(height)]
