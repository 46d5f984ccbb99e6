"""Document → Prepared: what every later stage needs of a report, computed once.

The tables (``ie.tables.find_tables``), the report's description (agency, year, vintage:
``ie.tables.describe``), the vintage's schema, and the facts the table mapper reads from the cells
(``ie.facts.table_cells.table_facts``) with the rows it could not map. A tagger, the normalizer, the
evaluator and Label Studio take a ``Prepared`` and never compute any of these again: the table
mapper is the most expensive step after reading, and two copies of it could disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ie.document import Document
from ie.facts.table_cells import table_facts
from ie.schema import Vintage, load_schema
from ie.tables import find_tables
from ie.tables.describe import ReportInfo, describe
from ie.types import Entity, Fact, Relation, Statistic, Table, Tagging


@dataclass(frozen=True)
class Prepared:
    document: Document
    tables: tuple[Table, ...]
    info: ReportInfo
    vintage: Vintage
    table_facts: tuple[Fact, ...]
    table_unmapped: tuple[Statistic, ...]  # rows of the tables the mapper could not place

    @cached_property
    def table_rows(self) -> tuple[tuple[Entity, ...], tuple[Relation, ...]]:
        """The mapped table rows as entities and links (``table_entities``), built once per
        report: both taggers and ``with_tables`` need them, the model tagger three times."""
        entities: list[Entity] = []
        relations: list[Relation] = []
        for fact in self.table_facts:
            number = Entity(fact.evidence, "NUMBER", fact.confidence)
            entities.append(number)
            if fact.metric is not None:
                metric = Entity(fact.metric, "METRIC", fact.confidence)
                entities.append(metric)
                relations.append(Relation(number, metric, "value"))
        return tuple(entities), tuple(relations)


def prepare(document: Document) -> Prepared:
    tables = find_tables(document)
    info = describe(document, tables)
    vintage = load_schema()[info.vintage]
    facts, unmapped = table_facts(list(tables), vintage, document.text) if tables else ([], [])
    return Prepared(document, tuple(tables), info, vintage, tuple(facts), tuple(unmapped))


def table_entities(prepared: Prepared) -> tuple[list[Entity], list[Relation]]:
    """Table rows as entities: each mapped value's NUMBER and its row label's METRIC, linked. A
    tagger tags prose only; Label Studio's tasks and span scoring add these (``with_tables``)."""
    entities, relations = prepared.table_rows
    return list(entities), list(relations)


def with_tables(prepared: Prepared, tagging: Tagging) -> Tagging:
    """A tagger's prose tagging with the table rows' entities and links: the whole report's."""
    entities, relations = table_entities(prepared)
    return Tagging(
        tuple(sorted(set(tagging.entities) | set(entities))),
        tuple(sorted(set(tagging.relations) | set(relations))),
        tagging.meta,
    )
