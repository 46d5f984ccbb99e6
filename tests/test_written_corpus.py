"""training.written_corpus: the inline notation of annotations/written parsed exactly, every check
catching its error, the copy check against ../shared, conversion through ie.studio's converter."""

from __future__ import annotations

import io
import json
import os
import random
from pathlib import Path

import pytest

from ie.read import read
from ie.read.textnorm import is_wide
from ie.studio.convert import ConvertReport, load_examples, task_example
from ie.studio.stored import load_tasks
from tests.helpers import ROOT, SHARED, shared_file
from training.written_corpus import (
    Corpus,
    check_corpus,
    main,
    paragraph_task,
    parse_corpus,
    parse_text,
    shared_index,
    template_labels,
    without_labels,
    written_examples,
)

WRITTEN = ROOT / "annotations" / "written"
HEADER_2008 = "=== t-0003 | vintage=2008 | level=township | section=复议诉讼 | forms=、,零 | script=simplified"

HEADER_2019 = "=== t-0001 | vintage=2019 | level=county | section=依申请 | forms=分别为,、 | script=simplified"
PARAGRAPH_2019 = (
    "本年度共[收到政府信息公开申请]{M m1 sum}[21]{N m1 requests.new_received.total}[件]{U}，"
    "按申请人分，[公民]{M m2 <m1}[17]{N m2 requests.new_received.natural_person}[件]{U}、"
    "[企业]{M m3 <m1}[4]{N m3 requests.new_received.commercial}[件]{U}，分别为多数和少数。"
)


HEADER = "=== t-0001 | vintage=2019 | level=county | section=依申请 | script=simplified"


def block(paragraph: str, header: str = HEADER) -> str:
    return f"{header}\n{paragraph}\n"


def problems_of(*files: str, tmp_path: Path) -> list[str]:
    """Check files with the given contents (no copy check); the problems' messages."""
    for number, content in enumerate(files):
        (tmp_path / f"t-test-{number:02d}.txt").write_text(content, encoding="utf-8")
    corpus = parse_corpus(tmp_path)
    return [str(problem) for problem in check_corpus(corpus, None, copy_check=False)]


def one(content: str):
    paragraphs, problems = parse_text(content, "t.txt", "t.txt")
    assert len(paragraphs) == 1
    return paragraphs[0], [str(p) for p in problems]


# ------------------------------------------------------------------------------------------------
# Parsing


def test_a_block_parses_into_text_spans_relations_and_facts() -> None:
    paragraph, problems = one(block(PARAGRAPH_2019, HEADER_2019))
    assert problems == []
    assert paragraph.id == "t-0001"
    assert paragraph.header["forms"] == "分别为,、" and paragraph.forms == ["分别为", "、"]
    assert paragraph.text == (
        "本年度共收到政府信息公开申请21件，按申请人分，公民17件、企业4件，分别为多数和少数。"
    )
    for span in paragraph.spans:  # offsets exact
        assert paragraph.text[span.start : span.end] == span.surface
    assert [(s.label, s.surface) for s in paragraph.spans] == [
        ("METRIC", "收到政府信息公开申请"), ("NUMBER", "21"), ("UNIT", "件"),
        ("METRIC", "公民"), ("NUMBER", "17"), ("UNIT", "件"),
        ("METRIC", "企业"), ("NUMBER", "4"), ("UNIT", "件"),
    ]  # fmt: skip
    assert sorted(paragraph.relations) == sorted([
        ("n1", "m1", "value"), ("u1", "n1", "unit"), ("m2", "m1", "part_of"),
        ("n2", "m2", "value"), ("u2", "n2", "unit"), ("m3", "m1", "part_of"),
        ("n3", "m3", "value"), ("u3", "n3", "unit"),
    ])  # fmt: skip
    facts = {f["field_id"]: f for f in paragraph.facts}
    assert facts["requests.new_received.total"] == {
        "field_id": "requests.new_received.total", "value": 21, "unit": "件", "approx": False,
        "qualifier": None, "origin": "prose", "evidence": {"start": 14, "end": 16, "text": "21"},
    }  # fmt: skip
    assert facts["requests.new_received.commercial"]["value"] == 4


def test_zero_statements_nest_their_metric_and_give_a_zero_fact() -> None:
    paragraph, problems = one(block(
        "本年度[全年未发生[行政复议]{M m1}案件]{Z review.total}，[区政府]{A a1}[办结]{M m2 @a1}"
        "[两]{N m2 requests.results_total.total}[件]{U}。"
    ))  # fmt: skip
    assert problems == []
    assert paragraph.text == "本年度全年未发生行政复议案件，区政府办结两件。"
    metric = next(s for s in paragraph.spans if s.id == "m1")
    assert paragraph.text[metric.start : metric.end] == "行政复议"
    zero, count = paragraph.facts
    assert zero["field_id"] == "review.total" and zero["value"] == 0
    assert zero["evidence"] == {"start": 3, "end": 14, "text": "全年未发生行政复议案件"}
    assert count["value"] == 2  # Chinese numeral read by ie.text.numbers
    assert ("m2", "a1", "reported_by") in paragraph.relations
    task = paragraph_task(paragraph)
    labels = [r["value"]["labels"][0] for r in task["annotations"][0]["result"] if "value" in r]
    assert "ZERO" not in labels and labels.count("METRIC") == 2  # Z is a fact, not a span


def test_one_zero_statement_denies_several_things_one_fact_each() -> None:
    # "未发生行政复议、行政诉讼和举报投诉" (2008) states three zeros in one clause: one Z, one field per
    # METRIC it holds, in order; each fact has the whole statement as its evidence
    paragraph, problems = one(block(
        "[全年未发生涉及政府信息公开的[行政复议]{M m1}、[行政诉讼]{M m2}和[举报投诉]{M m3}]"
        "{Z review.total litigation.total complaints.total}。", HEADER_2008
    ))  # fmt: skip
    assert problems == []
    assert [(f["field_id"], f["value"]) for f in paragraph.facts] == [
        ("review.total", 0), ("litigation.total", 0), ("complaints.total", 0)]  # fmt: skip
    assert {f["evidence"]["text"] for f in paragraph.facts} == {
        "全年未发生涉及政府信息公开的行政复议、行政诉讼和举报投诉"}  # fmt: skip
    _, problems = one(block(
        "[全年未发生[行政复议]{M m1}和行政诉讼]{Z review.total litigation.total}。"
    ))  # fmt: skip
    assert any("names 2 fields but holds 1 METRICs" in str(p) for p in problems)
    # a METRIC no field takes may stand beside them (申诉)
    paragraph, problems = one(block(
        "[未发生[行政复议]{M m1}、[行政诉讼]{M m2}和[申诉]{M m3}]{Z review.total litigation.total}。"
    ))  # fmt: skip
    assert problems == [] and len(paragraph.facts) == 2


def test_money_approximation_qualifiers_and_multipliers() -> None:
    paragraph, problems = one(block(
        "全年[收取费用]{M m1}[3940]{N m1 fees.total}[元]{U}，[主动公开政府信息]{M m2}"
        "[2.5万]{N m2 active.total}余[条]{U}，其中[区政府]{A a1}约[1,200]{N m2 active.total q=a1}"
        "[条]{U}，[政府网站]{M m3}公开[300]{N m3 active.channel.website}[条]{U}左右。",
    ))  # fmt: skip
    assert problems == []
    facts = [(f["field_id"], f["value"], f["unit"], f["approx"], f["qualifier"])
             for f in paragraph.facts]  # fmt: skip
    assert facts == [
        ("fees.total", 0.394, "万元", False, None),
        ("active.total", 25000, "条", True, None),
        ("active.total", 1200, "条", True, {"agency": "区政府"}),
        ("active.channel.website", 300, "条", True, None),
    ]


def test_traditional_paragraphs_are_read_as_the_reader_reads_them() -> None:
    header = "=== t-0002 | vintage=2008 | forms=繁體,括號 | script=traditional"
    paragraph, problems = one(block(
        "全年[主動公開政府信息]{M m1}[１２]{N m1 active.total}[條]{U}，[收到申請]{M m2}"
        "（[3]{N m2 requests.received}[件]{U}）。", header,
    ))  # fmt: skip
    assert problems == []
    assert paragraph.text == "全年主动公开政府信息12条，收到申请（3件）。"
    assert paragraph.forms == ["繁体", "括号"]  # forms spelt in traditional characters too
    assert len(paragraph.text) == len(paragraph.plain)
    assert paragraph.facts[0]["value"] == 12 and paragraph.facts[0]["evidence"]["text"] == "12"


# ------------------------------------------------------------------------------------------------
# Each check catches its error


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("共[收到申请", "never closed"),
        ("共[收到申请{M m1}", "outside a tag"),
        ("共[收到申请]M m1}", "not followed by"),
        ("共收到申请]{M m1}", "closes no '['"),
        ("共[收到申请]{X m1}", "is not one of M, N, U, A, Z"),
        ("共[收到申请]{M x1}", "needs an id m1"),
        ("[收到]{M m1}[申请]{M m1}", "used twice"),
        ("[收到[申请]{M m2}]{M m1}", "only a Z statement may"),
        ("[公民]{M m1 <m2}[3]{N m1 -}[件]{U}", "'m2' is no span"),
        ("[区政府]{A a1}[公民]{M m1 <a1}", "is a AGENCY, not a METRIC"),
        ("[公民]{M m1 @m1}", "is a METRIC, not a AGENCY"),
        ("[公民]{M m1}[3]{N a1 -}", "is not a METRIC id"),
        ("[公民]{M m1}[3]{N m1 - q=m1}", "is a METRIC, not a AGENCY"),
        ("[公民]{M m1 <m1}", "not a part of itself"),
        ("[件]{U}[公民]{M m1}", "does not follow a NUMBER"),
        ("[公民]{M m1}[3]{N m1 -}个[件]{U}", "is not right after its NUMBER"),
        ("[收到申请]{M m1}[3]{N m1 requests.received}[件]{U}", "not a field of vintage 2019"),
        ("[收到申请]{M m1}[若干]{N m1 -}[件]{U}", "cannot read this number"),
        ("[收到申请]{M m1}[约3]{N m1 requests.new_received.total}[件]{U}", "holds more than"),
        ("[收到申请]{M m1}[3]{N m1 requests.new_received.total}件", "is not marked [件]{U}"),
        ("[收取费用]{M m1}[3]{N m1 fees.total}[件]{U}", "is money"),
        ("[收取费用]{M m1}[3]{N m1 fees.total}", "is money"),
        ("[工作人员]{M m1}[3]{N m1 org.staff}[条]{U}", "people and things"),
        ("[收到申请]{M m1}[3]{N m1 requests.new_received.total}[户]{U}", "not a known count unit"),
        ("[网上申请]{M m1}占[50]{N m1 requests.received.online}[%]{U}", "a percentage is no fact"),
        ("[培训]{M m1}第[3]{N m1 -}[期]{U}", "ordinal"),
        (
            "[收到申请]{M m1}[3]{N m1 requests.new_received.total}[件]{U}，又[3]{N m1 "
            "requests.new_received.total}[件]{U}",
            "stated twice",
        ),
        (
            "[收到申请]{M m1 sum}[21]{N m1 requests.new_received.total}[件]{U}，[公民]{M m2 <m1}[17]"
            "{N m2 requests.new_received.natural_person}[件]{U}、[企业]{M m3 <m1}[3]{N m3 "
            "requests.new_received.commercial}[件]{U}",
            "add up to 17.0 + 3.0 = 20.0, not 21.0",
        ),
        (
            "[收到申请]{M m1}[21]{N m1 requests.new_received.total}[件]{U}，[公民]{M m2 <m1}[27]"
            "{N m2 requests.new_received.natural_person}[件]{U}",
            "exceeds its whole",
        ),
        (
            "[收到申请]{M m1 sum}[21]{N m1 requests.new_received.total}[件]{U}",
            "no METRIC is a part",
        ),
        ("[全年未发生[3]{N _ -}次]{Z review.total}", "inside a zero statement"),
        ("本年度收到申请\u200b3件", "changes the text's length"),
        ("全年主動公開政府信息數據，請與開發區聯繫辦理。", "reads as traditional"),
    ],
)
def test_each_check_catches_its_error(paragraph: str, expected: str, tmp_path: Path) -> None:
    problems = problems_of(block(paragraph), tmp_path=tmp_path)
    assert any(expected in problem for problem in problems), problems
    # FILE:LINE: PARAGRAPH: message, the line being the header's or the paragraph's
    assert all(
        f"t-test-00.txt:{line}: t-0001: " in problem
        for problem in problems
        for line in ["1" if ":1: " in problem else "2"]
    )


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("=== t-0001 | level=county", "header has no vintage"),
        ("=== t-0001 | vintage=2020", "vintage '2020' is not one of"),
        ("=== t-0001 | vintage=2019 | level=village", "level 'village' is not one of"),
        ("=== t-0001 | vintage=2019 | section=依申请公开", "section '依申请公开' is not one of"),
        ("=== t-0001 | vintage=2019 | forms=其中,同比", "form '同比' is not one of"),
        ("=== t-0001 | vintage=2019 | script=繁体", "script '繁体' is not one of"),
        ("=== t-0001 | vintage=2019 | colour=red", "unknown header key 'colour'"),
        ("=== t-0001 | vintage=2019 | vintage=2019", "given twice"),
        ("=== t-0001 | vintage=2019 | forms=包括", "forms lists '包括' but"),
        ("=== t-0001 | vintage=2019 | script=traditional", "no character is traditional"),
        ("=== t 0001 | vintage=2019", "not an id like"),
    ],
)
def test_header_checks(header: str, expected: str, tmp_path: Path) -> None:
    problems = problems_of(block("本年度[收到申请]{M m1}[3]{N m1 -}[件]{U}。", header),
                           tmp_path=tmp_path)  # fmt: skip
    assert any(expected in problem for problem in problems), problems


def test_paragraph_ids_are_unique_across_files_and_blocks_are_two_lines(tmp_path: Path) -> None:
    good = block("本年度[收到申请]{M m1}[3]{N m1 -}[件]{U}。")
    problems = problems_of(good, good + "\n" + block("又一段。").replace("t-0001", "t-0002")
                           + "多出的一行\n", tmp_path=tmp_path)  # fmt: skip
    assert any("t-test-01.txt:1: t-0001: paragraph id used before (" in p
               and "t-test-00.txt:1)" in p for p in problems), problems  # fmt: skip
    assert any("t-test-01.txt:6: t-0002: a block holds one paragraph line" in p
               for p in problems), problems  # fmt: skip
    assert len(parse_corpus(tmp_path).paragraphs) == 3


def test_a_clean_corpus_has_no_problems(tmp_path: Path) -> None:
    zero = ("=== t-0002 | vintage=2008 | level=township | section=复议诉讼 | forms=零 | "
            "script=simplified\n[全年没有发生[行政诉讼]{M m1}]{Z litigation.total}。\n")  # fmt: skip
    assert problems_of(block(PARAGRAPH_2019, HEADER_2019) + "\n" + zero, tmp_path=tmp_path) == []


# ------------------------------------------------------------------------------------------------
# Copy check against ../shared


def _copied_run(text: str, length: int = 24) -> str:
    """A run of report prose (CJK only) that holds no template label."""
    labels = [label for label in template_labels() if len(label) >= 4]
    for line in text.splitlines():
        line = line.strip()
        for start in range(0, max(0, len(line) - length), 7):
            run = line[start : start + length]
            if (
                len(run) == length
                and all(is_wide(c) for c in run)
                and not any(label in run or run in label for label in labels)
            ):
                return run
    raise AssertionError("no run of prose found")


def test_the_copy_check_catches_a_run_taken_from_a_shared_report(tmp_path: Path) -> None:
    source = shared_file("corpus/v2019/2019-02.txt")
    run = _copied_run(read(source).text)
    content = block(f"本年度[收到申请]{{M m1}}[3]{{N m1 -}}[件]{{U}}。{run}。")
    (tmp_path / "t-copy-01.txt").write_text(content, encoding="utf-8")
    problems = [str(p) for p in check_corpus(parse_corpus(tmp_path), SHARED)]
    assert len(problems) == 1, problems
    assert "../shared/corpus/v2019/2019-02.txt" in problems[0]
    assert (
        f"({len(run)} characters)" in problems[0] or f"({len(run) + 1} characters)" in problems[0]
    )
    # nineteen characters of it are fine
    content = block(f"本年度[收到申请]{{M m1}}[3]{{N m1 -}}[件]{{U}}。{run[:19]}。")
    (tmp_path / "t-copy-01.txt").write_text(content, encoding="utf-8")
    assert check_corpus(parse_corpus(tmp_path), SHARED) == []


def test_the_copy_check_lets_template_labels_through_and_is_fast(tmp_path: Path) -> None:
    shared_file("seeds")
    index = shared_index(SHARED.resolve())
    assert index.files > 100 and index.seconds < 10
    label = "主动公开政府信息数（不同渠道和方式公开相同信息计1条）"
    assert label in template_labels()
    content = block(f"本年度统计表中“{label}”一栏填报[5]{{N _ -}}[条]{{U}}。")
    (tmp_path / "t-label-01.txt").write_text(content, encoding="utf-8")
    assert check_corpus(parse_corpus(tmp_path), SHARED) == []


def test_a_missing_shared_folder_is_a_problem_not_a_pass(tmp_path: Path) -> None:
    (tmp_path / "t.txt").write_text(block(PARAGRAPH_2019, HEADER_2019), encoding="utf-8")
    problems = check_corpus(parse_corpus(tmp_path), tmp_path / "no-such-shared")
    assert any("copy check" in str(p) for p in problems)


# ------------------------------------------------------------------------------------------------
# Conversion


def test_convert_writes_tasks_the_studio_converter_reads_and_facts(tmp_path: Path, capsys) -> None:
    corpus_dir = tmp_path / "written"
    corpus_dir.mkdir()
    (corpus_dir / "t-requests-01.txt").write_text(
        block(PARAGRAPH_2019, HEADER_2019), encoding="utf-8"
    )
    out = tmp_path / "out"
    assert main(["convert", str(corpus_dir), "--out", str(out), "--no-copy-check"]) == 0
    tasks = load_tasks(out / "studio" / "t-requests-01.json")
    (task,) = tasks
    assert task["data"]["document"] == "annotations/written/t-requests-01.txt#t-0001"
    assert task["annotations"][0]["meta"]["reviewed"] is True
    assert task["annotations"][0]["meta"]["source"] == "written"
    report = ConvertReport()
    (example,) = load_examples(out / "studio", report, io.StringIO())
    assert report.skipped == 0
    text = "".join(example.tokens)
    assert text.startswith("本年度共收到政府信息公开申请21件")
    assert example.ner_tags[4:6] == ["B-METRIC", "I-METRIC"] and example.ner_tags[14] == "B-NUMBER"
    facts = json.loads((out / "facts" / "annotations__written__t-requests-01__t-0001.json")
                       .read_text(encoding="utf-8"))  # fmt: skip
    assert facts["document"] == task["data"]["document"] and facts["vintage"] == "2019"
    for fact in facts["facts"]:
        evidence = fact["evidence"]
        assert text[evidence["start"] : evidence["end"]] == evidence["text"]


def test_convert_refuses_a_corpus_with_problems(tmp_path: Path, capsys) -> None:
    (tmp_path / "t.txt").write_text(block("[收到申请]{M m1}[3]{N m1 nope}[件]{U}"), "utf-8")
    assert main(["convert", str(tmp_path), "--out", str(tmp_path / "out"), "--no-copy-check"]) == 1
    assert not (tmp_path / "out").exists()
    assert "t.txt:2: t-0001:" in capsys.readouterr().out


def test_written_examples_are_the_converters_examples(tmp_path: Path) -> None:
    (tmp_path / "t-requests-01.txt").write_text(
        block(PARAGRAPH_2019, HEADER_2019), encoding="utf-8"
    )
    (example,) = written_examples(tmp_path, copy_check=False)
    assert set(example) == {"id", "document", "start", "end", "tokens", "ner_tags", "relations"}
    corpus: Corpus = parse_corpus(tmp_path)
    assert example == task_example(paragraph_task(corpus.paragraphs[0])).__dict__
    assert example["start"] == 0 and example["end"] == len(example["tokens"])
    assert {"head_start": 14, "head_end": 16, "tail_start": 4, "tail_end": 14,
            "label": "value"} in example["relations"]  # fmt: skip
    (tmp_path / "t-requests-01.txt").write_text(block("[收到]{M m1 <m9}"), encoding="utf-8")
    with pytest.raises(ValueError, match="does not check"):
        written_examples(tmp_path, copy_check=False)


@pytest.fixture(scope="module")
def corpus_examples() -> list[dict]:
    """The whole written corpus as training examples, converted once for the tests that read it."""
    return written_examples(WRITTEN, copy_check=False)


def test_training_without_a_label_untags_its_spans_and_drops_their_relations(
    corpus_examples: list[dict],
) -> None:
    # the corpus's own paragraphs, whose writers tag the sentence's subject as an AGENCY
    examples = corpus_examples
    with_agency = [e for e in examples if any(t.endswith("-AGENCY") for t in e["ner_tags"])]
    assert len(with_agency) > 500
    for example in with_agency[:50]:
        trained = without_labels(example, {"AGENCY"})
        assert not any(t.endswith("-AGENCY") for t in trained["ner_tags"])
        kept = [(a, b) for a, b in zip(example["ner_tags"], trained["ner_tags"]) if a != b]
        assert kept and all(a.endswith("-AGENCY") and b == "O" for a, b in kept)
        dropped = [r for r in example["relations"] if r not in trained["relations"]]
        assert all(r["label"] == "reported_by" for r in dropped)
        assert len(trained["relations"]) == len(example["relations"]) - len(dropped)
    assert any(r["label"] == "reported_by" for e in with_agency[:50] for r in e["relations"])
    assert without_labels(with_agency[0], set()) == with_agency[0]


def test_check_and_stats_cli(tmp_path: Path, capsys) -> None:
    (tmp_path / "t.txt").write_text(block(PARAGRAPH_2019, HEADER_2019), encoding="utf-8")
    assert main(["check", str(tmp_path), "--no-copy-check"]) == 0
    assert main(["stats", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "| paragraphs | 1 |" in out and "| METRIC | 3 | value | 3 |" in out
    assert "| `requests.new_received.total` | 0 | 1 | 0 | 1 |" in out
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    assert "copy check" in capsys.readouterr().out


# ------------------------------------------------------------------------------------------------
# The real corpus


def test_the_written_corpus_checks() -> None:
    """Every file the writers have written checks clean, the copy check included."""
    if not any(WRITTEN.glob("*.txt")):
        message = f"{WRITTEN} holds no *.txt files yet"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    shared_file("seeds")
    corpus = parse_corpus(WRITTEN)
    problems = check_corpus(corpus, SHARED)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(map(str, problems))


def test_disputed_metric_boundaries_carry_no_label_loss(corpus_examples: list[dict]) -> None:
    # written METRICs whose boundaries the rule tagger draws otherwise (发布政策解读 / 政策解读):
    # those characters are left out of the loss; METRICs only one side has keep their labels
    from ie.tag.heads import SETTING_DEFAULTS
    from training.char_tokenizer import build_tokenizer
    from training.data import (
        add_rule_features,
        chunk_of,
        leave_disputed_metrics_unlabeled,
        window_features,
    )

    chunks = [add_rule_features(chunk_of(e)) for e in corpus_examples[:40]]
    disputed = kept = 0
    for chunk in chunks:
        gold = {(s, e) for s, e, label in chunk.spans if label == "METRIC"}
        rules = {(s, e) for s, e, label in chunk.rule_spans if label == "METRIC"}
        leave_disputed_metrics_unlabeled(chunk)
        for start, end in gold - rules:
            overlapped = any(s < end and start < e for s, e in rules - gold)
            covered = all(any(s <= i < e for s, e in chunk.unlabeled) for i in range(start, end))
            assert covered == overlapped, (chunk.text[start:end], chunk.unlabeled)
            disputed += overlapped
            kept += not overlapped
        assert not any(s <= i < e for s, e in chunk.unlabeled for i, _ in gold & rules)
    assert disputed > 10 and kept > 0
    chunk = next(c for c in chunks if c.unlabeled)
    tokenizer = build_tokenizer([c.text for c in chunks])
    distances = SETTING_DEFAULTS["max_pair_distance"]
    [window] = window_features(chunk, tokenizer, 510, 384, distances, 0, random.Random(0), True)
    # one token per character after [CLS]: exactly the disputed characters' labels are IGNORE
    ignored = [i for i, label in enumerate(window["labels"][1:-1]) if label == -100]
    assert ignored == sorted({i for s, e in chunk.unlabeled for i in range(s, e)})
