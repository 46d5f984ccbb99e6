"""The test split is sealed: no file under tests/ or benchmarks/ names a test-split document of
annotations/splits.json, by its path under ../shared, its path inside the corpus, its file name, or
the name of its gold facts or studio file. Rules, lexicon and gold are judged on train and dev;
test is evaluated once at the end of an issue (DEVELOPERS.md, "The test split is sealed").

Evaluation code alone reads test documents: ie/evaluate.py and ie/eval/ (not scanned here: they
live under ie/), .ci/run, and the folder exempted below."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ie.eval.gold import gold_path
from tests.helpers import ROOT

SCANNED = ("tests", "benchmarks")
EXEMPT = {
    # generates the whole-report scoreboard from every split's reports; the scoreboard reports the
    # test documents apart from train and dev (README "Whole reports")
    "benchmarks/layouts": "makes the whole-report evaluation data of every split",
}


def sealed_documents() -> list[str]:
    splits = json.loads((ROOT / "annotations" / "splits.json").read_text(encoding="utf-8"))
    return sorted(d for d, split in splits["documents"].items() if split == "test")


def names_of(document: str) -> list[str]:
    """Every way a file can name ``document`` (shown for a train document, corpus/v2019/2019-02.txt):
    the path under ../shared, v2019/2019-02.txt, v2019/2019-02, 2019-02.txt, and its gold or studio
    file name corpus__v2019__2019-02."""
    path = Path(document)
    inside_corpus = path.relative_to("corpus") if path.parts[0] == "corpus" else path
    return [
        document,
        inside_corpus.as_posix(),
        inside_corpus.with_suffix("").as_posix(),
        path.name,
        gold_path(document).stem,
    ]


def pattern_of(document: str) -> re.Pattern[str]:
    # the name, not part of a longer one: 2019-02.txt must not match 2019-021.txt or x2019-02.txt
    names = "|".join(re.escape(name) for name in names_of(document))
    folder = re.escape(Path(document).parent.name)
    # a path put together from its parts: SHARED / "corpus" / "v2019" / "2019-02.txt"
    parts = rf"{folder}\W{{1,8}}{re.escape(Path(document).name)}"
    return re.compile(rf"(?<![\w.-])(?:{names}|{parts})(?![\w-])")


def scanned_files() -> list[Path]:
    files = []
    for folder in SCANNED:
        for path in sorted((ROOT / folder).rglob("*")):
            relative = path.relative_to(ROOT).as_posix()
            if not path.is_file() or "__pycache__" in path.parts:
                continue
            if any(relative == e or relative.startswith(e + "/") for e in EXEMPT):
                continue
            files.append(path)
    return files


def test_no_test_or_benchmark_names_a_test_split_document() -> None:
    patterns = {document: pattern_of(document) for document in sealed_documents()}
    assert len(patterns) == 27  # 26 corpus pages and the full PDF
    named = []
    for path in scanned_files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            for document, pattern in patterns.items():
                if pattern.search(line):
                    named.append(f"{path.relative_to(ROOT)}:{number}: {document}")
    assert named == []


def test_the_check_finds_every_way_of_naming_a_document() -> None:
    """The check is not blind: each way a test could name a test document is caught (the names
    made here from the split file, so that this file names none itself), and a document of
    another split or a longer name is not."""
    splits = json.loads((ROOT / "annotations" / "splits.json").read_text(encoding="utf-8"))
    for document in sealed_documents():
        path = Path(document)
        pattern = pattern_of(document)
        for line in (f'shared_file("{document}")', f'CORPUS / "{path.parent.name}/{path.name}"',
                     f'SHARED / "corpus" / "{path.parent.name}" / "{path.name}"',
                     f'"{gold_path(document).name}"', f"name = '{path.name}'"):  # fmt: skip
            assert pattern.search(line), line
        for line in (f'"{path.parent}/{path.stem}1{path.suffix}"', f'"x{path.name}"'):
            assert not pattern.search(line), line
    for document, split in splits["documents"].items():
        if split != "test":
            assert not any(p.search(f'"{document}"') for p in map(pattern_of, sealed_documents()))


def test_the_exempt_folder_exists() -> None:
    for folder in EXEMPT:
        assert (ROOT / folder).is_dir(), f"{folder} is gone: drop it from EXEMPT"
