"""Convert: pulled Label Studio JSON → a ``datasets.DatasetDict`` of character-level BIO tags.

One example per annotated task (chunk): ``tokens`` are its characters, ``ner_tags`` strings such as
``B-METRIC``, ``relations`` ``{head_start, head_end, tail_start, tail_end, label}``. Offsets stay
relative to the chunk; ``start``/``end`` say where the chunk stands in its document's text.

Splits are by document, never by chunk: a split file (``annotations/splits.json``) decides for the
documents it names, a seeded shuffle for the rest. A task that cannot be converted exactly is
reported on stderr with its id and left out; nothing is repaired by guessing. Stored files hold no
report text: ``ie.studio.stored.load_tasks`` fills each task's text from its document and stops
with an error if the reader's text no longer matches the annotated spans.
"""

from __future__ import annotations

import json
import random
import sys
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import TextIO

from ie.errors import Errors, InputError
from ie.studio.stored import DocumentTexts, load_tasks
from ie.types import ENTITY_LABELS, RELATION_LABELS

SPLITS = ("train", "dev", "test")


class Malformed(ValueError):
    """A task whose annotation cannot be converted exactly: the message says what is wrong."""


@dataclass(frozen=True)
class Example:
    id: str
    document: str
    start: int
    end: int
    tokens: list[str]
    ner_tags: list[str]
    relations: list[dict[str, int | str]]


# ----------------------------------------------------------------------------------------------
# One task → one example


def chosen_annotation(task: dict) -> dict | None:
    """The annotation to learn from: a ground truth one, else the latest; cancelled ones never."""
    annotations = [
        a
        for a in task.get("annotations") or []
        if isinstance(a, dict) and not a.get("was_cancelled")
    ]
    if not annotations:
        return None
    return max(
        annotations,
        key=lambda a: (
            bool(a.get("ground_truth")),
            str(a.get("updated_at") or ""),
            a.get("id") or 0,
        ),
    )


def task_example(task: dict) -> Example | None:
    """The example of an annotated task; None when it has no (uncancelled) annotation.

    Raises ``Malformed`` for anything that would not convert exactly."""
    data = task.get("data")
    if not isinstance(data, dict):
        raise Malformed("no task data")
    text, document, start = data.get("text"), data.get("document"), data.get("start")
    if not isinstance(text, str):
        raise Malformed("task data has no text")
    if not isinstance(document, str) or not document:
        raise Malformed("task data has no document")
    if not _is_int(start) or start < 0:
        raise Malformed(f"task data start {start!r} is not an offset")
    end = data.get("end", start + len(text))
    if not _is_int(end) or end - start != len(text):
        raise Malformed(
            f"task data end {end!r} does not match start {start} + {len(text)} characters"
        )
    annotation = chosen_annotation(task)
    if annotation is None:
        return None
    result = annotation.get("result")
    if not isinstance(result, list):
        raise Malformed(f"annotation {annotation.get('id')} has no result list")
    regions, relations = parse_result(result, text)
    return Example(
        id=f"{document}:{start}-{end}",
        document=document,
        start=start,
        end=end,
        tokens=list(text),
        ner_tags=bio_tags(len(text), regions.values()),
        relations=relations,
    )


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def parse_result(
    result: list, text: str
) -> tuple[dict[str, tuple[int, int, str]], list[dict[str, int | str]]]:
    """Regions by id as (start, end, label) and relations by offsets, both checked against text."""
    regions: dict[str, tuple[int, int, str]] = {}
    links = []
    for item in result:
        if not isinstance(item, dict):
            raise Malformed(f"result item {item!r} is not an object")
        kind = item.get("type")
        if kind == "labels":
            region_id, region = _region(item, text)
            if region_id in regions:
                raise Malformed(f"two regions have the id {region_id!r}")
            regions[region_id] = region
        elif kind == "relation":
            links.append(item)
        else:
            raise Malformed(f"unexpected result type {kind!r}")
    _check_overlaps(regions.values())
    relations = {_relation(item, regions) for item in links}
    keys = ("head_start", "head_end", "tail_start", "tail_end", "label")
    return regions, [dict(zip(keys, relation, strict=True)) for relation in sorted(relations)]


def _region(item: dict, text: str) -> tuple[str, tuple[int, int, str]]:
    region_id = item.get("id")
    value = item.get("value")
    if not isinstance(region_id, str) or not region_id:
        raise Malformed("a region has no id")
    if not isinstance(value, dict):
        raise Malformed(f"region {region_id}: no value")
    labels = value.get("labels")
    if not isinstance(labels, list) or not labels:
        raise Malformed(f"region {region_id}: no label")
    if len(labels) > 1:
        raise Malformed(f"region {region_id}: several labels {labels}")
    label = labels[0]
    if label not in ENTITY_LABELS:
        raise Malformed(f"region {region_id}: unknown label {label!r}")
    start, end = value.get("start"), value.get("end")
    if not (_is_int(start) and _is_int(end) and 0 <= start < end <= len(text)):
        raise Malformed(
            f"region {region_id}: offsets {start!r}-{end!r} are not inside the text "
            f"({len(text)} characters)"
        )
    if value.get("text") != text[start:end]:
        raise Malformed(
            f"region {region_id}: text {value.get('text')!r} is not text[{start}:{end}] "
            f"{text[start:end]!r}"
        )
    return region_id, (start, end, label)


def _check_overlaps(regions) -> None:
    previous = None
    for region in sorted(regions):
        if previous is not None and region[0] < previous[1]:
            raise Malformed(
                f"regions {previous[0]}-{previous[1]} {previous[2]} and "
                f"{region[0]}-{region[1]} {region[2]} overlap"
            )
        previous = region


def _relation(
    item: dict, regions: dict[str, tuple[int, int, str]]
) -> tuple[int, int, int, int, str]:
    from_id, to_id = item.get("from_id"), item.get("to_id")
    for end_id in (from_id, to_id):
        if end_id not in regions:
            raise Malformed(f"relation {from_id}→{to_id}: no region {end_id!r}")
    labels = item.get("labels")
    if not isinstance(labels, list) or not labels:
        raise Malformed(f"relation {from_id}→{to_id}: no label")
    if len(labels) > 1:
        raise Malformed(f"relation {from_id}→{to_id}: several labels {labels}")
    if labels[0] not in RELATION_LABELS:
        raise Malformed(f"relation {from_id}→{to_id}: unknown label {labels[0]!r}")
    direction = item.get("direction", "right")
    if direction == "left":  # drawn from tail to head
        from_id, to_id = to_id, from_id
    elif direction != "right":
        raise Malformed(f"relation {from_id}→{to_id}: direction {direction!r} is not right or left")
    head, tail = regions[from_id], regions[to_id]
    return head[0], head[1], tail[0], tail[1], labels[0]


def bio_tags(length: int, regions) -> list[str]:
    tags = ["O"] * length
    for start, end, label in regions:
        tags[start] = f"B-{label}"
        for position in range(start + 1, end):
            tags[position] = f"I-{label}"
    return tags


# ----------------------------------------------------------------------------------------------
# Exports → examples


@dataclass
class ConvertReport:
    files: int = 0
    tasks: int = 0
    examples: int = 0
    unannotated: int = 0
    skipped: int = 0
    duplicates: int = 0
    per_split: dict[str, int] = field(default_factory=dict)
    documents_per_split: dict[str, int] = field(default_factory=dict)
    entities: Counter = field(default_factory=Counter)
    relations: Counter = field(default_factory=Counter)


def export_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise InputError(Errors.E001.format(path=path))
    files = sorted(p for p in path.glob("*.json") if not p.name.startswith("."))
    if not files:
        raise InputError(Errors.E026.format(path=path))
    return files


def load_examples(path: Path, report: ConvertReport, stderr: TextIO) -> list[Example]:
    """Every convertible example of the exports under ``path``; the rest reported on ``stderr``."""
    examples: dict[str, Example] = {}
    texts = DocumentTexts()  # each document read once, however many files name it
    for file in export_files(path):
        tasks = load_tasks(file, texts)
        report.files += 1
        for task in tasks:
            report.tasks += 1
            task_id = task.get("id", "?") if isinstance(task, dict) else "?"
            try:
                if not isinstance(task, dict):
                    raise Malformed("not a task object")
                example = task_example(task)
            except Malformed as problem:
                document = (
                    (task.get("data") or {}).get("document", "?") if isinstance(task, dict) else "?"
                )
                print(
                    Errors.E025.format(task=task_id, document=document, problem=problem),
                    file=stderr,
                )
                report.skipped += 1
                continue
            if example is None:
                report.unannotated += 1
            elif example.id in examples:  # the same chunk pushed to two projects: keep the first
                report.duplicates += 1
            else:
                examples[example.id] = example
    return sorted(examples.values(), key=lambda e: (e.document, e.start))


# ----------------------------------------------------------------------------------------------
# Splits by document


def read_split_file(path: Path) -> dict[str, str]:
    """``{"documents": {doc: split}}`` (annotations/splits.json) or a flat ``{doc: split}``."""
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(Errors.E001.format(path=path)) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(Errors.E028.format(path=path, reason=error)) from None
    mapping = content.get("documents", content) if isinstance(content, dict) else None
    if not isinstance(mapping, dict):
        raise InputError(Errors.E028.format(path=path, reason="expected {document: split}"))
    splits = {}
    for document, split in mapping.items():
        if split not in SPLITS:
            raise InputError(Errors.E030.format(split=split))
        splits[_normal(document)] = split
    return splits


def _normal(document: str) -> str:
    return PurePosixPath(document.replace("\\", "/")).as_posix()


def assigned_split(document: str, split_file: dict[str, str]) -> str | None:
    """The split file's split for a document given as any path ending in a listed path
    (``../shared/corpus/v2019/2019-01.txt`` matches ``corpus/v2019/2019-01.txt``)."""
    path = _normal(document)
    best = None
    for listed, split in split_file.items():
        if path == listed or path.endswith("/" + listed.lstrip("/")):
            if best is None or len(listed) > len(best[0]):
                best = (listed, split)
    return best[1] if best else None


def split_documents(
    documents: list[str],
    seed: int,
    split_file: dict[str, str] | None = None,
    dev: float = 0.1,
    test: float = 0.1,
) -> dict[str, str]:
    """Each document's split: the split file's where it names one, else a seeded shuffle of the
    rest into test, dev and train (with three or more such documents, dev and test get one each)."""
    splits: dict[str, str] = {}
    rest = []
    for document in sorted(set(documents)):
        listed = assigned_split(document, split_file or {})
        if listed:
            splits[document] = listed
        else:
            rest.append(document)
    random.Random(seed).shuffle(rest)
    n_test, n_dev = round(len(rest) * test), round(len(rest) * dev)
    if len(rest) >= 3:
        n_test, n_dev = max(n_test, 1), max(n_dev, 1)
    for index, document in enumerate(rest):
        splits[document] = (
            "test" if index < n_test else "dev" if index < n_test + n_dev else "train"
        )
    return splits


# ----------------------------------------------------------------------------------------------
# The dataset


def features():
    from datasets import Features, Sequence, Value

    relation = {
        "head_start": Value("int32"), "head_end": Value("int32"),
        "tail_start": Value("int32"), "tail_end": Value("int32"), "label": Value("string"),
    }  # fmt: skip
    return Features({
        "id": Value("string"), "document": Value("string"),
        "start": Value("int32"), "end": Value("int32"),
        "tokens": Sequence(Value("string")), "ner_tags": Sequence(Value("string")),
        "relations": [relation],
    })  # fmt: skip


def dataset_dict(examples: list[Example], splits: dict[str, str]):
    from datasets import Dataset, DatasetDict

    schema = features()
    columns = {split: {name: [] for name in schema} for split in SPLITS}
    for example in examples:
        for name, value in asdict(example).items():
            columns[splits[example.document]][name].append(value)
    # from_dict, not from_list: an empty split keeps its columns (and loads back from disk)
    return DatasetDict(
        {split: Dataset.from_dict(columns[split], features=schema) for split in SPLITS}
    )


def convert(
    path: Path,
    out_dir: Path | None,
    seed: int = 13,
    split_file: Path | None = None,
    stderr: TextIO | None = None,
):
    """Exports under ``path`` → DatasetDict (saved to ``out_dir`` when given) and a report."""
    stderr = stderr or sys.stderr
    report = ConvertReport()
    examples = load_examples(path, report, stderr)
    mapping = read_split_file(split_file) if split_file else None
    splits = split_documents([e.document for e in examples], seed, mapping)
    dataset = dataset_dict(examples, splits)
    report.examples = len(examples)
    for split in SPLITS:
        report.per_split[split] = dataset[split].num_rows
        report.documents_per_split[split] = sum(1 for s in splits.values() if s == split)
    for example in examples:
        report.entities.update(t[2:] for t in example.ner_tags if t.startswith("B-"))
        report.relations.update(str(r["label"]) for r in example.relations)
    if out_dir is not None:
        try:
            # an empty split needs one (empty) shard, or load_from_disk fails on it
            shards = {split: 1 if dataset[split].num_rows == 0 else None for split in SPLITS}
            dataset.save_to_disk(str(out_dir), num_shards=shards)
        except OSError as error:
            raise InputError(
                Errors.E009.format(path=out_dir, reason=error.strerror or error)
            ) from None
    return dataset, report
