"""Draft: the tagger's predictions written as Label Studio JSON annotations, without a server.

Annotators who correct offline (or helpers bootstrapping gold spans) start from these files: the
same format ``pull`` writes (no report text: tasks refer to it by path and offsets), one file per
document, each task's prediction copied into a draft annotation that the annotator then checks span
by span. Only chunks that state a statistic (a NUMBER, or a METRIC in a negated clause such as
全年无行政复议发生) become tasks.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

from ie.document import Document
from ie.studio.export import PullReport, write_exports
from ie.studio.stored import DocumentTexts
from ie.studio.tasks import document_tasks, read_document, tag_document
from ie.tag import Tagger
from ie.text.conventions import NEGATIONS

# any negation word, 无法 and 无偿 included: a task to look at, not a zero to state
ANY_NEGATION = re.compile("|".join(NEGATIONS))


def states_a_statistic(task: dict) -> bool:
    result = task["predictions"][0]["result"]
    labels = {
        label for item in result if item["type"] == "labels" for label in item["value"]["labels"]
    }
    return "NUMBER" in labels or (
        "METRIC" in labels and bool(ANY_NEGATION.search(task["data"]["text"]))
    )


def draft_tasks(
    path: str, tagger: Tagger, max_chars: int, version: str, document: Document | None = None
) -> list[dict]:
    """The drafted tasks of the report at ``path`` (``document``: the report, if already read)."""
    document = document or read_document(path)
    tasks = document_tasks(path, document, tag_document(tagger, document), max_chars, version)
    drafted = []
    for number, task in enumerate(t for t in tasks if states_a_statistic(t)):
        prediction = task["predictions"][0]  # type: ignore[index]
        task["annotations"] = [{
            "id": number + 1,
            "result": copy.deepcopy(prediction["result"]),
            "was_cancelled": False,
            "ground_truth": False,
            "completed_by": {"email": "draft@ie"},
            "meta": {"draft_of": version},
        }]  # fmt: skip
        drafted.append(task)
    return drafted


def draft(
    paths: list[str], out_dir: Path, tagger: Tagger, max_chars: int, version: str
) -> PullReport:
    texts = DocumentTexts()  # the reports as read here: what the stored tasks are checked against
    tasks = []
    for path in paths:
        document = read_document(path)
        texts.remember(document)
        tasks += draft_tasks(path, tagger, max_chars, version, document)
    out_dir.mkdir(parents=True, exist_ok=True)
    return write_exports(tasks, out_dir, texts=texts)
