"""Stored annotations refer to the report by path and offsets: they never hold its text.

A task in a file under ``annotations/studio`` keeps ``data.document``, ``data.start`` and
``data.end``; the chunk's text is the reader's text of that document at those offsets
(``ie.read.read(document).text[start:end]``), filled in when the file is loaded. The span texts
inside the results (``value.text``) stay: they are the gold evidence, and loading checks each of them
against the filled text, so a reader whose text has drifted since the annotation is an error naming
the document and the task, never silently shifted training data.

A task that carries its own ``data.text`` (an export straight from Label Studio) keeps it: its
offsets are relative to that text. Writing (``pull``, ``draft``) goes the other way: each text is
checked against the reader's before it is left out.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable
from pathlib import Path

from ie.document import Document
from ie.errors import Errors, InputError
from ie.paths import ROOT, shared_dir


def read_export(file: Path) -> list:
    """The tasks of one Label Studio export file as stored; a file that is not one is an input
    error. Readers want ``load_tasks``, which fills in the text."""
    try:
        tasks = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(Errors.E027.format(path=file, reason=error)) from None
    if not isinstance(tasks, list):
        raise InputError(Errors.E027.format(path=file, reason="not a list of tasks"))
    return tasks


def document_path(document: str) -> Path:
    """Where a task's ``data.document`` is: absolute as it is; relative to the working folder
    when it is there, else to the project root. The stored files name ``../shared/...``: that
    folder is ``$IE_SHARED`` where it is set (``ie.paths.shared_dir``)."""
    path = Path(document)
    if path.is_absolute() or path.exists():
        return path
    if path.parts[:2] == ("..", "shared"):
        return shared_dir().joinpath(*path.parts[2:])
    return ROOT / path


class DocumentTexts:
    """The reader's text of each document the tasks name, read once; ``known`` are documents the
    caller has already read (evaluation reads each report anyway)."""

    def __init__(self, known: Iterable[Document] = ()) -> None:
        self._texts: dict[str, str] = {}
        for document in known:
            self.remember(document)

    def remember(self, document: Document) -> None:
        self._texts[_key(Path(document.path))] = document.text

    def __call__(self, document: str, source: str) -> str:
        path = document_path(document)
        key = _key(path)
        if key not in self._texts:
            from ie.read import read

            try:
                self._texts[key] = read(path).text
            except InputError as error:
                raise InputError(
                    Errors.E061.format(source=source, document=document, reason=error)
                ) from None
        return self._texts[key]


def _key(path: Path) -> str:
    return str(path.resolve())


def load_tasks(file: Path, texts: DocumentTexts | None = None) -> list:
    """The tasks of one annotation file, each with ``data.text`` filled in and checked."""
    return fill_text(read_export(file), str(file), texts)


def fill_text(tasks: list, source: str, texts: DocumentTexts | None = None) -> list:
    """``tasks`` (from ``source``, for messages) with the text of each task that has none filled in
    from its document, and every result's span text checked against it (``E060`` if one differs).
    A task without a document or offsets is left as it is: conversion reports it as malformed."""
    texts = texts or DocumentTexts()
    filled = []
    for task in tasks:
        data = task.get("data") if isinstance(task, dict) else None
        if not isinstance(data, dict) or "text" in data or not _has_reference(data):
            filled.append(task)
            continue
        document, start, end = data["document"], data["start"], data["end"]
        text = texts(document, source)
        if end > len(text):
            raise InputError(Errors.E063.format(
                source=source, task=task_name(task), document=document, start=start, end=end,
                length=len(text),
            ))  # fmt: skip
        task = {**task, "data": {**data, "text": text[start:end]}}
        _check_span_texts(task, source)
        filled.append(task)
    return filled


def _has_reference(data: dict) -> bool:
    start, end = data.get("start"), data.get("end")
    return (
        isinstance(data.get("document"), str)
        and bool(data["document"])
        and _is_int(start)
        and _is_int(end)
        and 0 <= start <= end
    )


def _check_span_texts(task: dict, source: str) -> None:
    mismatch = span_mismatch(task)
    if mismatch is not None:
        item, found = mismatch
        value = item["value"]
        raise InputError(Errors.E060.format(
            source=source, task=task_name(task), document=task["data"]["document"],
            region=item.get("id"), expected=value["text"], start=value["start"], end=value["end"],
            found=found,
        ))  # fmt: skip


def span_mismatch(task: dict) -> tuple[dict, str] | None:
    """The first region (of any annotation or prediction) whose ``value.text`` is not the task's
    text at its offsets, with the text found there. Offsets outside the chunk are left to
    conversion, which reports them: a chunk filled from its document always has the length it
    was annotated with, so they are a broken annotation, never a reader's drift."""
    text = task["data"]["text"]
    for kind in ("annotations", "predictions"):
        for entry in task.get(kind) or []:
            for item in (entry.get("result") or []) if isinstance(entry, dict) else []:
                value = item.get("value") if isinstance(item, dict) else None
                if not isinstance(value, dict) or "text" not in value:
                    continue
                start, end = value.get("start"), value.get("end")
                if not (_is_int(start) and _is_int(end) and 0 <= start <= end <= len(text)):
                    continue
                if text[start:end] != value["text"]:
                    return item, text[start:end]
    return None


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def task_name(task: dict) -> str:
    """A task as messages name it: its Label Studio id, else its chunk's offsets."""
    data = task.get("data") or {}
    if task.get("id") is not None:
        return f"{task['id']} (characters {data.get('start')}-{data.get('end')})"
    return f"at characters {data.get('start')}-{data.get('end')}"


def without_text(tasks: list[dict], texts: DocumentTexts | None = None) -> list[dict]:
    """The tasks as they are stored: each ``data.text`` checked against the reader's text of the
    document at the task's offsets, and each span's text against it (``E062`` if one differs),
    then left out."""
    texts = texts or DocumentTexts()
    stored = []
    for task in tasks:
        data = task.get("data") or {}
        if "text" not in data:
            stored.append(task)
            continue
        if not _has_reference(data):
            raise InputError(Errors.E062.format(
                task=task_name(task), document=data.get("document"),
                reason="it names no document and offsets to find its text in",
            ))  # fmt: skip
        source = f"task {task_name(task)}"
        text = texts(data["document"], source)[data["start"] : data["end"]]
        if text != data["text"]:
            raise InputError(Errors.E062.format(
                task=task_name(task), document=data["document"],
                reason="its text is not the reader's text of the document at its offsets (the "
                "document or the reader changed since it was pushed)",
            ))  # fmt: skip
        mismatch = span_mismatch(task)
        if mismatch is not None:  # stored by reference, it would read as a reader's drift
            item, found = mismatch
            raise InputError(Errors.E062.format(
                task=task_name(task), document=data["document"],
                reason=f"region {item.get('id')} says {item['value']['text']!r} where its text is "
                f"{found!r}; correct the annotation, then pull again",
            ))  # fmt: skip
        task = copy.copy(task)
        task["data"] = {k: v for k, v in data.items() if k != "text"}
        stored.append(task)
    return stored
