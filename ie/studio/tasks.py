"""Push: reports → Label Studio tasks of whole paragraphs or table rows, pre-annotated by a tagger.

A task is a chunk of ``Document.text``: one or more whole lines (a paragraph, a table row), at most
``max_chars`` long where the lines allow it (a longer line is cut after a sentence end, never
inside a sentence). Its data is ``{text, document, start, end}``: ``text == document.text[start:end]``
and every span offset inside the task is relative to ``start``.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ie.document import Document, identity_offsets
from ie.errors import InputError
from ie.prepared import prepare, with_tables
from ie.studio.client import SPAN_CONTROL, TEXT_OBJECT
from ie.tag import DEFAULT_TAGGER, Tagger, get_tagger
from ie.text.chunking import DEFAULT_MAX_CHARS, Chunk, chunks
from ie.types import Entity, Relation, Tagging


def model_version(tagger_name: str = "rules") -> str:
    """What Label Studio shows as the prediction's model: the tagger and the package version."""
    try:
        version = importlib.metadata.version("ie")
    except importlib.metadata.PackageNotFoundError:
        version = "dev"
    return f"ie-{tagger_name}-{version}"


def read_document(path: str | Path) -> Document:
    """``ie.read.read`` when it is there; a UTF-8 text file as it is otherwise."""
    try:
        from ie.read import read
    except ImportError:
        text = Path(path).read_text(encoding="utf-8")
        return Document(str(path), text, text, identity_offsets(text), "txt")
    return read(path)


def tag_document(tagger: Tagger, document: Document) -> Tagging:
    """A whole report tagged as Label Studio shows it: the tagger's prose and the table rows."""
    prepared = prepare(document)
    return with_tables(prepared, tagger(prepared))


# ----------------------------------------------------------------------------------------------
# Predictions in Label Studio's JSON


def region_id(entity: Entity) -> str:
    """A stable id for a predicted region: its label and document offsets."""
    return f"{entity.label.lower()}_{entity.start}_{entity.end}"


def prediction(tagging: Tagging, chunk: Chunk, version: str) -> dict[str, object]:
    """The tagger's entities inside ``chunk`` and the relations between them, offsets relative to the
    chunk, as one Label Studio prediction. Its score is the least confident entity's (1.0 if none)."""
    inside = [e for e in tagging.entities if chunk.start <= e.start and e.end <= chunk.end]
    kept = {(e.start, e.end, e.label) for e in inside}
    result: list[dict[str, object]] = [_region(entity, chunk.start) for entity in inside]
    for relation in tagging.relations:
        if _key(relation.head) in kept and _key(relation.tail) in kept:
            result.append(_relation(relation))
    score = min((e.score for e in inside), default=1.0)
    return {"model_version": version, "score": round(float(score), 4), "result": result}


def _key(entity: Entity) -> tuple[int, int, str]:
    return entity.start, entity.end, entity.label


def _region(entity: Entity, offset: int) -> dict[str, object]:
    start, end = entity.start - offset, entity.end - offset
    return {
        "id": region_id(entity),
        "from_name": SPAN_CONTROL,
        "to_name": TEXT_OBJECT,
        "type": "labels",
        "value": {"start": start, "end": end, "text": entity.text, "labels": [entity.label]},
        "score": round(float(entity.score), 4),
    }


def _relation(relation: Relation) -> dict[str, object]:
    return {
        "type": "relation",
        "from_id": region_id(relation.head),
        "to_id": region_id(relation.tail),
        "direction": "right",
        "labels": [relation.label],
    }


def document_tasks(
    path: str, document: Document, tagging: Tagging | None, max_chars: int, version: str
) -> list[dict[str, object]]:
    """The tasks of one document, in text order, with a prediction each when a tagging is given."""
    tasks = []
    for chunk in chunks(document.text, max_chars):
        task: dict[str, object] = {
            "data": {"text": chunk.text, "document": path, "start": chunk.start, "end": chunk.end}
        }
        if tagging is not None:
            task["predictions"] = [prediction(tagging, chunk, version)]
        tasks.append(task)
    return tasks


# ----------------------------------------------------------------------------------------------
# Push


@dataclass
class PushReport:
    project_id: int
    created_project: bool
    documents: int = 0
    tasks: int = 0
    predictions: int = 0
    already_there: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)


def push(
    client,
    project_name: str,
    paths: Sequence[str],
    max_chars: int = DEFAULT_MAX_CHARS,
    tagger: Tagger | None = None,
    predict: bool = True,
    version: str | None = None,
) -> PushReport:
    """Import the chunks of ``paths`` into the project (created with our config if missing).

    Chunks already in the project (same document, start and end) are not imported twice, so a push
    can be repeated after adding reports.
    """
    from ie.studio.client import get_or_create_project

    project, created = get_or_create_project(client, project_name)
    report = PushReport(project.id, created)
    if predict and tagger is None:
        tagger = get_tagger(DEFAULT_TAGGER)
    version = version or model_version(tagger.name if tagger is not None else DEFAULT_TAGGER)
    existing = set() if created else _existing_chunks(client, project.id)
    for path in paths:
        try:
            document = read_document(path)
        except InputError as error:  # an unreadable report is reported; the others still go
            report.failed.append((path, str(error)))
            continue
        tagging = tag_document(tagger, document) if predict and tagger is not None else None
        every_task = document_tasks(path, document, tagging, max_chars, version)
        tasks = [task for task in every_task if _chunk_key(task["data"]) not in existing]
        report.documents += 1
        report.already_there += len(every_task) - len(tasks)
        if not tasks:
            continue
        client.projects.import_tasks(project.id, request=tasks, return_task_ids=True)
        report.tasks += len(tasks)
        report.predictions += sum(len(task.get("predictions", [])) for task in tasks)
    return report


def _chunk_key(data: dict) -> tuple[str, object, object]:
    return str(data.get("document")), data.get("start"), data.get("end")


def _existing_chunks(client, project_id: int) -> set[tuple[str, int, int]]:
    return {
        _chunk_key(task.data or {})
        for task in client.tasks.list(project=project_id, fields="task_only", page_size=500)
    }
