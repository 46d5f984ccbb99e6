"""Pull: a project's annotations as Label Studio JSON, one file per document, diff-friendly.

Each file is the list of the document's tasks in Label Studio's JSON export format, tasks in text
order (``data.start``), every annotation's result sorted (regions by offset, then relations), JSON
with ``indent=2, sort_keys=True``, written to a temporary file and moved into place. A task is
stored by reference: ``data.document``, ``start`` and ``end`` without the report's text, which is
checked against the reader's text first (``ie.studio.stored``) and filled in again on loading.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ie.errors import Errors, InputError
from ie.eval.gold import document_file_name
from ie.output.files import write_text
from ie.studio.stored import DocumentTexts, without_text

# Shown by the UI only ("3 minutes"): it changes on every export and would make every pull a diff.
VOLATILE_KEYS = frozenset({"created_ago"})


def export_tasks(client, project_id: int, all_tasks: bool = False) -> list[dict]:
    """The project's JSON export (annotated tasks only unless ``all_tasks``)."""
    raw = b"".join(
        client.projects.exports.download_sync(
            project_id, export_type="JSON", download_all_tasks=all_tasks
        )
    )
    return json.loads(raw)


def file_names(documents: list[str]) -> dict[str, str]:
    """A file name per document; documents that would share one get a hash of their path added."""
    by_name: dict[str, list[str]] = defaultdict(list)
    for document in sorted(set(documents)):
        by_name[document_file_name(document)].append(document)
    names = {}
    for name, group in by_name.items():
        for document in group:
            digest = hashlib.sha1(document.encode("utf-8")).hexdigest()[:8]
            names[document] = name if len(group) == 1 else f"{name[: -len('.json')]}.{digest}.json"
    return names


def result_order(item: dict) -> tuple:
    """Regions by offset and label, then relations by their ends; ids break ties."""
    value = item.get("value") or {}
    if item.get("type") == "relation":
        return (1, 0, 0, "", str(item.get("from_id")), str(item.get("to_id")),
                json.dumps(item.get("labels"), sort_keys=True))  # fmt: skip
    start, end = value.get("start"), value.get("end")
    return (0, start if isinstance(start, int) else -1, end if isinstance(end, int) else -1,
            json.dumps(value.get("labels"), sort_keys=True), str(item.get("id")), "", "")  # fmt: skip


def tidy(task: dict) -> dict:
    """The task with its results sorted and the display-only fields left out."""
    task = _without_volatile(task)
    for kind in ("annotations", "predictions", "drafts"):
        entries = task.get(kind)
        if isinstance(entries, list):
            for entry in entries:
                if isinstance(entry, dict) and isinstance(entry.get("result"), list):
                    entry["result"] = sorted(entry["result"], key=result_order)
            task[kind] = sorted(entries, key=lambda e: e.get("id", 0) if isinstance(e, dict) else e)
    return task


def _without_volatile(value):
    if isinstance(value, dict):
        return {k: _without_volatile(v) for k, v in value.items() if k not in VOLATILE_KEYS}
    if isinstance(value, list):
        return [_without_volatile(v) for v in value]
    return value


def task_order(task: dict) -> tuple:
    data = task.get("data") or {}
    start = data.get("start")
    return (start if isinstance(start, int) else -1, task.get("id", 0))


def write_json_atomic(path: Path, payload: object) -> None:
    """Write to a temporary file in the same folder, then replace: no half-written exports."""
    text = json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(path, text)


@dataclass
class PullReport:
    project_id: int
    tasks: int = 0
    annotations: int = 0
    files: list[Path] = field(default_factory=list)
    without_document: int = 0


def write_exports(
    tasks: list[dict], out_dir: Path, project_id: int = 0, texts: DocumentTexts | None = None
) -> PullReport:
    """Group exported tasks by ``data.document`` and write one file per document, each task
    without its text (checked against the document's first; nothing is written if one differs)."""
    report = PullReport(project_id)
    by_document: dict[str, list[dict]] = defaultdict(list)
    for task in tasks:
        document = (task.get("data") or {}).get("document")
        if not isinstance(document, str) or not document:
            report.without_document += 1
            continue
        by_document[document].append(tidy(task))
    names = file_names(list(by_document))
    # every task checked against its document before any file is written
    texts = texts or DocumentTexts()
    stored = {
        document: without_text(sorted(by_document[document], key=task_order), texts)
        for document in sorted(by_document)
    }
    for document, group in stored.items():
        path = out_dir / names[document]
        try:
            write_json_atomic(path, group)
        except OSError as error:
            raise InputError(
                Errors.E009.format(path=path, reason=error.strerror or error)
            ) from None
        report.files.append(path)
        report.tasks += len(group)
        report.annotations += sum(len(task.get("annotations") or []) for task in group)
    return report


def pull(client, project_name: str, out_dir: Path, all_tasks: bool = False) -> PullReport:
    from ie.studio.client import get_project

    project = get_project(client, project_name)
    return write_exports(export_tasks(client, project.id, all_tasks), out_dir, project.id)
