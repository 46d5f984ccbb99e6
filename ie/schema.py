"""configs/schema.yaml → Vintage, Field, Grid, Identity: loaded once, cached.

Grids are expanded here into one Field per (row, column) with id ``<prefix>.<row>.<column>``, and
the identities' ``each`` templates into plain sums, so later stages see only fields and sums.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from ie.paths import CONFIGS

SCHEMA_PATH = CONFIGS / "schema.yaml"
VINTAGES: tuple[str, ...] = ("2008", "2019", "2021")


@dataclass(frozen=True)
class Field:
    id: str
    label: str
    unit: str
    vintage: str
    table: str = ""  # the official table it belongs to ("" for prose-only extensions)
    grid: int = -1  # index of its grid in the vintage, -1 for list fields
    row: str = ""
    column: str = ""
    extension: bool = False


@dataclass(frozen=True)
class GridRow:
    key: str
    label: str
    section: str = ""


@dataclass(frozen=True)
class GridColumn:
    key: str
    label: str
    unit: str


@dataclass(frozen=True)
class Grid:
    prefix: str
    table: str
    rows: tuple[GridRow, ...]
    columns: tuple[GridColumn, ...]

    def field_id(self, row: str, column: str) -> str:
        return ".".join(part for part in (self.prefix, row, column) if part)


@dataclass(frozen=True)
class Identity:
    """``lhs op sum(rhs)``, op being ``=`` or ``>=``."""

    lhs: tuple[str, ...]
    op: str
    rhs: tuple[str, ...]

    def __str__(self) -> str:
        return f"{' + '.join(self.lhs)} {self.op} {' + '.join(self.rhs)}"


@dataclass(frozen=True)
class Vintage:
    name: str
    title: str
    fields: dict[str, Field]
    grids: tuple[Grid, ...]
    identities: tuple[Identity, ...]
    harmonized: dict[str, tuple[str, ...]]  # harmonized id → the vintage fields that sum to it
    # field id → other row labels provinces print for it in their table variants
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def field(self, field_id: str) -> Field | None:
        return self.fields.get(field_id)


@dataclass(frozen=True)
class Schema:
    vintages: dict[str, Vintage]

    def __getitem__(self, name: str) -> Vintage:
        return self.vintages[name]


def vintage_for_year(year: int | None) -> str | None:
    if year is None:
        return None
    if year >= 2021:
        return "2021"
    if year >= 2019:
        return "2019"
    if year >= 2008:
        return "2008"
    return None


@lru_cache(maxsize=4)
def load_schema(path: Path = SCHEMA_PATH) -> Schema:
    # libyaml's loader when PyYAML has it: the same result, five times faster than the pure one
    raw = yaml.load(
        path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    )
    vintages: dict[str, Vintage] = {}
    for name, spec in raw["vintages"].items():
        fields: dict[str, Field] = {}
        for item in spec.get("fields", []):
            fields[item["id"]] = Field(
                item["id"], item["label"], item["unit"], name, table=spec["title"]
            )
        grids = tuple(_grid(g) for g in spec.get("grids", []))
        for index, grid in enumerate(grids):
            for row in grid.rows:
                for column in grid.columns:
                    field_id = grid.field_id(row.key, column.key)
                    label = f"{row.label}/{column.label}"
                    fields[field_id] = Field(
                        field_id, label, column.unit, name, grid.table, index, row.key, column.key
                    )
        for item in raw.get("extensions", {}).get(name, []):
            fields.setdefault(
                item["id"], Field(item["id"], item["label"], item["unit"], name, extension=True)
            )
        identities = tuple(
            identity
            for spec_item in raw.get("identities", {}).get(name, [])
            for identity in _expand_identity(spec_item, grids)
        )
        harmonized = {
            item["id"]: tuple(part.strip() for part in str(item[name]).split("+"))
            for item in raw.get("harmonized", [])
            if name in item
        }
        aliases = {
            field_id: tuple(labels)
            for field_id, labels in raw.get("table_labels", {}).get(name, {}).items()
            if field_id in fields
        }
        vintages[name] = Vintage(
            name, spec["title"], fields, grids, identities, harmonized, aliases
        )
    return Schema(vintages)


def _grid(spec: dict) -> Grid:
    rows = tuple(
        GridRow(str(r["key"]), r["label"], r.get("section", ""))
        for r in spec["rows"]
    )
    columns = tuple(GridColumn(c["key"], c["label"], c["unit"]) for c in spec["columns"])
    return Grid(spec["prefix"], spec["table"], rows, columns)


_LIST = re.compile(r"(columns|rows) of (\w+)(?: from (\S+) to before (\S+))?")


def _keys(expression: str, grids: tuple[Grid, ...]) -> list[str]:
    match = _LIST.fullmatch(expression.strip())
    if not match:
        raise ValueError(f"cannot read list {expression!r} in schema identities")
    kind, prefix, first, stop = match.groups()
    grid = next(g for g in grids if g.prefix == prefix and len(g.columns) > 1)
    keys = [c.key for c in grid.columns] if kind == "columns" else [r.key for r in grid.rows]
    if first:
        keys = keys[keys.index(first) : keys.index(stop)]
    return keys


def _parse_sum(text: str, grids: tuple[Grid, ...]) -> tuple[str, ...]:
    terms: list[str] = []
    for term in text.split("+"):
        term = term.strip()
        inner = re.fullmatch(r"(\w+)\.sum\((.+)\)\.(\w+)", term)
        if inner:
            prefix, rows, column = inner.groups()
            terms += [f"{prefix}.{row}.{column}" for row in _keys(rows, grids)]
        else:
            terms.append(term)
    return tuple(terms)


def _expand_identity(spec: str | dict, grids: tuple[Grid, ...]) -> list[Identity]:
    if isinstance(spec, str):
        template, bindings = spec, [{}]
    else:
        ((name, expression),) = spec["each"].items()
        template = spec["check"]
        bindings = [{name: key} for key in _keys(expression, grids)]
    identities = []
    for binding in bindings:
        text = template
        for name, key in binding.items():
            text = text.replace("{" + name + "}", key)
        op = ">=" if ">=" in text else "="
        lhs, rhs = (part.strip() for part in text.split(op, 1))
        identities.append(Identity(_parse_sum(lhs, grids), op, _parse_sum(rhs, grids)))
    return identities
