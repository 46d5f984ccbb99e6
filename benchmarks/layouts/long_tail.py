"""Reports as they really come (issue 14): the long tail of forms, made from train and dev reports.

- **md-fragmented**: a weaker PDF-to-markdown converter. Row labels come out as loose text lines
  before their values (a long label broken over two or three lines), the values as many small pipe
  tables with their own ``|---|`` lines, one row's label lost, the last cell of a row on a line
  of its own.
- **lines-skip-empty**: one cell per line, and a row (or a 表四 group) the report left empty
  prints no cell at all (its zeros are blanks: 0 there is not wrong).
- **two-of-three**: 2019 表二's 第二十条第（五）（六）项 sections print two columns, 上一年项目数量 and
  处理决定数量, under a header that names them; 本年增/减 is not printed.
- **negative-change**: 2019 表二's 本年增/减 printed with minus signs (``-11``, ``－3``): the gold
  change of each row negated, or minus the previous year's items where the gold change is 0.
- **s2twp** / **s2hk**: the whole page converted to Taiwan (phrases: 規範性檔案, 資訊, 軟體) or
  Hong Kong script by OpenCC, as mirror sites serve mainland reports.

Only documents of the train and dev splits are used: the test split stays sealed.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.layouts.sources import Source
from benchmarks.layouts.template import Block, RenderedTable, expand, number, template_tables
from ie.schema import load_schema

if TYPE_CHECKING:
    from benchmarks.layouts.generate import Options, Variant

LAYOUTS = ("md-fragmented", "lines-skip-empty", "two-of-three", "negative-change", "s2twp", "s2hk")
OPEN_SPLITS = ("train", "dev")  # never test: these forms were built looking at their results


def script_converted(source: Source, options: Options) -> Iterator[Variant]:
    """The report's own text converted to Taiwan (s2twp) or Hong Kong (s2hk) script with phrases,
    as some sites print mainland reports: every number kept."""
    from benchmarks.layouts import generate

    if source.split not in OPEN_SPLITS or not source.text:
        return
    facts = [generate._key_fields(f) for f in source.facts]
    whole = f"{source.gold_file}, all facts (a script conversion keeps every number)"
    for config in ("s2twp", "s2hk"):
        yield generate._variant(source, config, "txt", _convert(source.text, config), facts, whole)


def converter_tables(source: Source, options: Options) -> Iterator[Variant]:
    """The template page as weaker converters and crawlers print its tables: labels apart from
    their values in many small tables (md-fragmented), cell-per-line with empty rows left out
    (lines-skip-empty), 2019 表二 rows with two of three cells (two-of-three), negative changes
    (negative-change)."""
    from benchmarks.layouts import generate

    if source.split not in OPEN_SPLITS or not source.text:
        return
    page = generate._template_page(source)
    if page is None:
        return
    before, after, tables, kept = page.before, page.after, page.tables, page.facts
    prose = [f for f in kept if f["origin"] != "table"]
    values = {f["field_id"]: f["value"] for f in source.facts
              if f["origin"] == "table" and not f.get("qualifier")}  # fmt: skip
    vintage = load_schema()[source.vintage]
    stem = Path(source.gold_file).stem
    gold = page.gold
    rng = random.Random(stem)
    body = "\n\n".join(fragmented_table(t, rng) for t in tables)
    yield generate._variant(source, "md-fragmented", "md", f"{before}\n\n{body}\n\n{after}", kept,
                            gold + "; tables printed by a weaker converter")  # fmt: skip
    empty_tables, blanked = zip(*(skip_empty_rows(t) for t in tables))
    blank = set().union(*blanked)
    body = "\n\n".join(cell_lines(t) for t in empty_tables)
    yield generate._variant(source, "lines-skip-empty", "txt", f"{before}\n\n{body}\n\n{after}",
                            [f for f in kept if f["origin"] != "table" or f["field_id"] not in blank],
                            gold + "; rows and 表四 groups whose cells are all 0 printed empty "
                            "(no cell at all), listed in blank_cells",
                            {field_id: [0] for field_id in sorted(blank)})  # fmt: skip
    if source.vintage != "2019":
        return
    two = [two_of_three(t) if t.title.startswith("二") else t for t in tables]
    shown = _printed(two)
    body = "\n\n".join(f"**{t.title}**\n\n" + _markdown(t) for t in two)
    yield generate._variant(source, "two-of-three", "md", f"{before}\n\n{body}\n\n{after}",
                            prose + _cells(source, shown),
                            gold + "; 表二 (五)(六) without the 本年增/减 column")  # fmt: skip
    negative = negated_changes(values)
    tables = template_tables(vintage, {**values, **negative})
    body = "\n\n".join(f"**{t.title}**\n\n" + _markdown(t, minus=True) for t in tables)
    facts = [dict(f, value=negative.get(f["field_id"], f["value"])) if f["origin"] == "table"
             else f for f in prose + _cells(source, _printed(tables))]  # fmt: skip
    yield generate._variant(source, "negative-change", "md", f"{before}\n\n{body}\n\n{after}",
                            facts, gold + "; 本年增/减 values negated (or minus 上一年项目数量 where 0)")  # fmt: skip


def _printed(tables: list[RenderedTable]) -> set[str]:
    return {b.field_id for t in tables for row in t.rows for b in row if b.field_id and b.text}


def _cells(source: Source, printed: set[str]) -> list[dict]:
    from benchmarks.layouts.generate import _key_fields

    return [_key_fields(f) for f in source.facts
            if f["origin"] == "table" and not f.get("qualifier") and f["field_id"] in printed]  # fmt: skip


def _convert(text: str, config: str) -> str:
    import opencc

    return opencc.OpenCC(config).convert(text)


def _markdown(table: RenderedTable, minus: bool = False) -> str:
    """A pipe table, merged cells repeated; with ``minus`` every other negative value is printed
    with the full-width minus sign （－）, as Chinese word processors do."""
    grid = expand(table.rows)
    lines, negatives = [], 0
    for index, row in enumerate(grid):
        texts = []
        for block, _ in row:
            text = block.text
            if minus and text.startswith("-"):
                negatives += 1
                text = "－" + text[1:] if negatives % 2 == 0 else text
            texts.append(text)
        lines.append("|" + "|".join(texts) + "|")
        if index == 0:
            lines.append("|" + "|".join("---" for _ in row) + "|")
    return "\n".join(lines)


def fragmented_table(table: RenderedTable, rng: random.Random) -> str:
    """The table as a weak converter prints it: header text as loose lines, then each few data
    rows as their labels (one per line, long ones broken) followed by a small pipe table of
    their values; one label of the table lost; one row's last value on a line of its own."""
    grid = expand(table.rows)
    out = [table.title]
    data = [r for r in grid if any(b.field_id for b, _ in r)]
    header = [r for r in grid[: grid.index(data[0])]]
    for row in header:
        out.append(" ".join(dict.fromkeys(b.text for b, _ in row if b.text)))
    lost = rng.randrange(len(data)) if len(data) > 3 else -1
    stray = rng.randrange(len(data))
    index = 0
    while index < len(data):
        size = rng.randint(2, 4)
        chunk = data[index : index + size]
        labels, rows = [], []
        for offset, row in enumerate(chunk):
            label = "".join(dict.fromkeys(b.text for b, first in row if not b.field_id and b.text))
            if label and index + offset != lost:
                labels += _broken(label, rng)
            rows.append([b.text for b, first in row if b.field_id and first])
        out.append("\n".join(labels))
        lines = []
        first = True  # the next row opens a small table of its own
        for offset, values in enumerate(rows):
            last = index + offset == stray and len(values) > 1 and values[-1] != ""
            shown = values[:-1] + [""] if last else values
            lines.append("|" + "|".join(shown) + "|")
            if first:
                lines.append("|" + "|".join("---" for _ in values) + "|")
            first = False
            if last:  # the row's last cell on a line of its own; the rows below open a new table
                lines.append(f"\n{values[-1]}\n")
                first = True
        out.append("\n".join(lines))
        index += size
    return "\n\n".join(part for part in out if part)


def _broken(label: str, rng: random.Random) -> list[str]:
    """A long label wrapped by the page: two or three lines."""
    if len(label) <= 12:
        return [label]
    parts = rng.choice((2, 3)) if len(label) > 24 else 2
    size = -(-len(label) // parts)
    return [label[i : i + size] for i in range(0, len(label), size)]


def skip_empty_rows(table: RenderedTable) -> tuple[RenderedTable, set[str]]:
    """Rows whose values are all 0 printed with no value cells; in 表四 each all-zero group of five
    (行政复议, 未经复议直接起诉, 复议后起诉) left empty. Returns the fields left out."""
    blanked: set[str] = set()
    rows = []
    for row in table.rows:
        values = [b for b in row if b.field_id]
        groups = [values] if len(values) < 15 else [values[i : i + 5] for i in range(0, 15, 5)]
        drop = {b.field_id for g in groups if g and all(b.text == "0" for b in g) for b in g}
        blanked |= drop
        rows.append(tuple(b for b in row if b.field_id not in drop))
    return RenderedTable(table.title, tuple(rows)), blanked


def cell_lines(table: RenderedTable) -> str:
    """One cell per line with a blank line between, as text copied from a web table."""
    cells = [table.title]
    seen: set[int] = set()
    for row in table.rows:
        for block in row:
            if id(block) in seen or (not block.text and not block.field_id):
                continue
            seen.add(id(block))
            cells.append(block.text)
    return "\n\n".join(c for c in cells if c)


def two_of_three(table: RenderedTable) -> RenderedTable:
    """表二 with its (五)/(六) sections printing 上一年项目数量 and 处理决定数量 only (the rows and
    their header one cell shorter than the table)."""
    rows = []
    for row in table.rows:
        if len(row) == 4 and (
            _CHANGE_HEADER.search(row[2].text) or row[2].field_id.endswith(".change")
        ):
            row = row[:2] + row[3:]
        rows.append(row)
    return RenderedTable(table.title, tuple(rows))


# The 本年增/减 header as a report's drawn style prints it (labels.WORDINGS: 本年增减, 本年增/减数量;
# traditional 本年增/減): matching only the template's spelling left that header cell in while
# the rows lost theirs, so the page put 处理决定数量's value under 本年增/减.
_CHANGE_HEADER = re.compile(r"^本年增/?[减減]")


def negated_changes(values: dict[str, float]) -> dict[str, float]:
    """本年增/减 as a decrease: the gold change negated, or minus the previous year's items."""
    out = {}
    for field_id, value in values.items():
        if field_id.endswith(".change"):
            previous = values.get(field_id.replace(".change", ".prev_items"), 0)
            out[field_id] = -value if value else -previous
    return {k: v for k, v in out.items() if v}


__all__ = ["LAYOUTS", "converter_tables", "script_converted", "Block", "number"]
