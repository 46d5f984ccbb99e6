"""Mainland reports served in Taiwan or Hong Kong script: the same facts as the original.

Mirror sites convert a mainland page with OpenCC's phrase tables (s2twp: 规范性文件 → 規範性檔案,
信息 → 資訊, 软件 → 軟體); the reader converts it back phrase by phrase (tw2sp / hk2s), and every
offset still points at the characters the user's file prints.
"""

from __future__ import annotations

import json
from pathlib import Path

import opencc
import pytest

from ie.pipeline import analyze
from ie.read import read, read_bytes
from ie.read.textnorm import normalize, regional_config, to_mainland
from ie.tag import get_tagger
from tests.helpers import ROOT, shared_file

SPLITS = json.loads((ROOT / "annotations" / "splits.json").read_text(encoding="utf-8"))


def open_documents(vintage: str) -> list[str]:
    """Train and dev corpus pages of one vintage (the test split stays sealed)."""
    return sorted(
        name
        for name, split in SPLITS["documents"].items()
        if split in ("train", "dev") and name.startswith(f"corpus/v{vintage}/")
    )


def _facts(result: dict) -> list[tuple]:
    return sorted((f["field_id"], f["value"], f["origin"], f["label"]) for f in result["facts"])


@pytest.mark.parametrize("config", ["s2twp", "s2hk"])
@pytest.mark.parametrize("vintage", ["2008", "2019", "2021"])
def test_pages_converted_to_taiwan_or_hong_kong_script_give_the_same_facts(
    vintage: str, config: str
) -> None:
    tagger = get_tagger("rules")
    converter = opencc.OpenCC(config)
    compared = 0
    for name in open_documents(vintage):
        original = read(shared_file(name))
        if original.traditional:
            continue  # already traditional: converting it again says nothing new
        converted_text = converter.convert(original.source_text)
        converted = read_bytes(converted_text.encode("utf-8"), Path(name).name)
        assert converted.traditional, name
        result = analyze(converted, tagger)
        assert _facts(result) == _facts(analyze(original, tagger)), name
        for fact in result["facts"]:  # evidence is the converted file's own characters
            evidence = fact["evidence"]
            assert converted_text[evidence["start"] : evidence["end"]] == evidence["text"]
        compared += 1
    assert compared >= 10


def test_taiwan_phrases_come_back_as_the_mainland_row_labels() -> None:
    source = opencc.OpenCC("s2twp").convert(
        "第二十条第（一）项\n规范性文件 | 3 | 5 | 12\n网络申请软件信息"
    )
    assert "規範性檔案" in source and "資訊" in source and "軟體" in source
    assert regional_config(source) == "tw2sp"
    text, offsets, traditional = normalize(source)
    assert traditional
    assert "规范性文件" in text and "网络申请软件信息" in text
    start = text.index("12")
    assert source[offsets[start] : offsets[start + 1] + 1] == "12"


def test_a_phrase_that_changes_length_keeps_every_offset_inside_the_source() -> None:
    line = "電腦記憶體擴充資訊公開申請12件"
    text, back = to_mainland(line)
    assert "内存" in text and len(text) == len(line) - 1
    assert len(back) == len(text)
    assert back == sorted(back) and back[-1] == len(line) - 1
    number = text.index("12")
    assert line[back[number] : back[number + 1] + 1] == "12"


def test_hong_kong_script_keeps_its_wenjian() -> None:
    source = opencc.OpenCC("s2hk").convert("主动公开规范性文件12件，政府信息公开申请3件，严格执行")
    assert regional_config(source) == "hk2s"
    text, _, _ = normalize(source)
    assert "规范性文件" in text and "执行" in text


def test_a_table_in_traditional_script_under_mainland_prose_is_read() -> None:
    """A page that mixes scripts (a crawler's tables from a traditional copy under the mainland
    prose): the traditional lines are converted on their own, the mainland ones left as they are,
    and evidence still points at the file's characters."""
    original = read(shared_file("corpus/v2019/2020-13.txt"))  # train
    assert not original.traditional
    lines = original.source_text.split("\n")
    table = [i for i, line in enumerate(lines) if line.count("|") >= 3]
    first, last = table[0], table[-1] + 1
    converter = opencc.OpenCC("s2t")
    mixed = "\n".join(
        lines[:first] + [converter.convert(x) for x in lines[first:last]] + lines[last:]
    )
    assert "規範性文件" in mixed and "规范性文件" not in mixed
    document = read_bytes(mixed.encode("utf-8"), "report.txt")
    assert document.traditional
    tagger = get_tagger("rules")
    result = analyze(document, tagger)
    assert _facts(result) == _facts(analyze(original, tagger))
    for fact in result["facts"]:
        evidence = fact["evidence"]
        assert mixed[evidence["start"] : evidence["end"]] == evidence["text"]


def test_a_few_traditional_characters_in_a_mainland_line_are_left_as_printed() -> None:
    """A quoted name or a mirror's leftover (fewer than five telling characters, or a line that is
    mostly mainland script) converts nothing."""
    text = "我局收到《關於規範工作的通知》后，共主动公开政府信息数据12条。\n规章 | 0 | 0 | 0 |\n"
    assert normalize(text)[0] == text and not normalize(text)[2]
