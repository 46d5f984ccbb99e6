"""Issue 15: what ie does with hostile or damaged input and with outputs it must not harm.

Outputs never harm the input or a special file; folders report what they cannot read; a zip bomb
or a table of millions of cells is refused with one line naming the flag; a few bad bytes are
replaced, not fatal; small reader fixes; and a property-based fuzz of the readers (random bytes,
random tables, truncated real PDF and DOCX) that allows only a Document or a one-line InputError.
"""

from __future__ import annotations

import io
import json
import os
import random
import socket
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ie import predict, review, years
from ie.errors import Errors, InputError
from ie.read import find_reports, ocr, read, read_bytes
from ie.read import limits as read_limits
from ie.read.html import read_html
from tests.helpers import ROOT, printed_pdf, shared_file

SEED = "seeds/004_e0499503ab353c5a.txt"
OTHER_SEED = "seeds/003_5efb2117df0d3f03.txt"


@pytest.fixture(autouse=True)
def _default_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI hands limits to the readers through the environment: undo that after each test."""
    monkeypatch.setenv(read_limits.EXTRACTED_VARIABLE, str(read_limits.DEFAULT_MAX_EXTRACTED_MB))
    monkeypatch.setenv(read_limits.CELLS_VARIABLE, str(read_limits.DEFAULT_MAX_CELLS))
    monkeypatch.setenv(ocr.MODE_VARIABLE, ocr.DEFAULT_MODE)


def copy_seed(folder: Path, name: str = "report.txt", seed: str = SEED) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(shared_file(seed).read_bytes())
    return path


def one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: "), stderr
    return lines[0][len("error: ") :]


def predict_main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = predict.main([*args, "--jobs", "1"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def no_temporary_files(folder: Path) -> bool:
    return not [p for p in folder.rglob("*") if p.name.endswith(".tmp")]


# 1. Output never harms input or special files ------------------------------------------------


def test_out_that_is_the_input_is_refused_and_the_input_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = copy_seed(tmp_path)
    before = report.read_bytes()
    code, out, err = predict_main(capsys, str(report), "--dump-text", "--out", str(report))
    assert code == 2
    assert one_error_line(err) == Errors.E071.format(path=report, report=report)
    assert report.read_bytes() == before


@pytest.mark.parametrize("alias", ["symlink", "hardlink", "other_path"])
def test_out_that_is_the_input_by_another_name_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], alias: str
) -> None:
    report = copy_seed(tmp_path / "in")
    before = report.read_bytes()
    if alias == "symlink":
        out = tmp_path / "link.json"
        out.symlink_to(report)
    elif alias == "hardlink":
        out = tmp_path / "hard.json"
        os.link(report, out)
    else:
        out = tmp_path / "in" / ".." / "in" / "report.txt"
    code, _, err = predict_main(capsys, str(report), "--out", str(out))
    assert code == 2
    assert "is the input report" in one_error_line(err)
    assert report.read_bytes() == before


def test_out_among_an_input_folders_reports_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "reports"
    copy_seed(folder)
    out = folder / "sub" / "all.txt"
    out.parent.mkdir()
    code, _, err = predict_main(capsys, str(folder), "--dump-text", "--out", str(out))
    assert code == 2
    assert one_error_line(err) == Errors.E072.format(path=out, folder=folder, suffix=".txt")
    assert not out.exists()
    # an output no run over the folder would read as a report is fine there
    code, _, err = predict_main(capsys, str(folder), "--format", "jsonl", "--out",
                                str(folder / "facts.jsonl"))  # fmt: skip
    assert code == 0, err
    assert json.loads((folder / "facts.jsonl").read_text(encoding="utf-8"))["agency"] == "宝坻区"


def _device(path: Path) -> Path:
    """A character device of the test's own (the null device's numbers), never /dev/null itself:
    a writer that replaced the device would replace this node, not the machine's."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device node needs root (CAP_MKNOD)")
    return path


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _socket(path: Path) -> Path:
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))  # the socket file stays after the socket is closed
    return path


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("device", "a character device"),
        ("fifo", "a FIFO (named pipe)"),
        ("socket", "a socket"),
        ("folder", "a folder"),
        ("link_to_fifo", "a symbolic link to a FIFO (named pipe)"),
        ("dangling_link", "a symbolic link to nothing (broken or a loop)"),
    ],
)
def test_out_that_is_a_special_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, words: str
) -> None:
    report = copy_seed(tmp_path / "in")
    out = tmp_path / "out.json"
    if kind == "device":
        _device(out)
    elif kind == "fifo":
        _fifo(out)
    elif kind == "socket":
        out = tmp_path / "s.sock"
        _socket(out)
    elif kind == "folder":
        out.mkdir()
    elif kind == "link_to_fifo":
        out.symlink_to(_fifo(tmp_path / "pipe"))
    else:
        out.symlink_to(tmp_path / "missing")
    code, _, err = predict_main(capsys, str(report), "--out", str(out))
    assert code == 2
    assert one_error_line(err) == Errors.E070.format(path=out, what=words)


def test_out_through_a_symlink_replaces_the_target_and_keeps_the_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = copy_seed(tmp_path / "in")
    target = tmp_path / "real.json"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    link = tmp_path / "link.json"
    link.symlink_to(target)
    code, _, err = predict_main(capsys, str(report), "--out", str(link))
    assert code == 0, err
    assert link.is_symlink() and link.resolve() == target
    assert json.loads(target.read_text(encoding="utf-8"))["agency"] == "宝坻区"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert no_temporary_files(tmp_path)


def test_read_only_out_needs_force_and_keeps_its_mode(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = copy_seed(tmp_path / "in")
    out = tmp_path / "out.json"
    out.write_text("keep\n", encoding="utf-8")
    out.chmod(0o444)
    code, _, err = predict_main(capsys, str(report), "--out", str(out))
    assert code == 2
    assert one_error_line(err) == Errors.E073.format(path=out)
    assert out.read_text(encoding="utf-8") == "keep\n"
    code, _, err = predict_main(capsys, str(report), "--out", str(out), "--force")
    assert code == 0, err
    assert json.loads(out.read_text(encoding="utf-8"))["agency"] == "宝坻区"
    assert stat.S_IMODE(out.stat().st_mode) == 0o444


def test_new_out_gets_the_umask_and_a_replaced_one_keeps_its_mode(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = copy_seed(tmp_path / "in")
    new, old = tmp_path / "new.json", tmp_path / "old.json"
    old.write_text("x", encoding="utf-8")
    old.chmod(0o600)
    mask = os.umask(0o027)
    try:
        assert predict_main(capsys, str(report), "--out", str(new))[0] == 0
        assert predict_main(capsys, str(report), "--out", str(old))[0] == 0
    finally:
        os.umask(mask)
    assert stat.S_IMODE(new.stat().st_mode) == 0o640
    assert stat.S_IMODE(old.stat().st_mode) == 0o600


@pytest.mark.parametrize("failure", [KeyboardInterrupt, OSError])
def test_no_temporary_file_is_left_when_writing_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    failure: type[BaseException],
) -> None:  # fmt: skip
    """Ctrl-C during the write left the temporary file before; the OSError case is a guard."""
    report = copy_seed(tmp_path / "in")
    out = tmp_path / "out" / "facts.json"
    out.parent.mkdir()

    def replace(*_: object) -> None:
        raise failure(28, "No space left on device")

    monkeypatch.setattr(os, "replace", replace)
    code, _, err = predict_main(capsys, str(report), "--out", str(out))
    assert code in (2, 130), err
    assert list(out.parent.iterdir()) == []


def test_parquet_parts_that_are_special_files_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = copy_seed(tmp_path / "in")
    folder = tmp_path / "tables"
    (folder / "facts").mkdir(parents=True)
    part = folder / "facts" / "part-0.parquet"
    part.symlink_to(_device(tmp_path / "null"))
    code, _, err = predict_main(capsys, str(report), "--format", "parquet", "--out", str(folder))
    assert code == 2
    assert one_error_line(err) == Errors.E070.format(
        path=part, what="a symbolic link to a character device"
    )


def test_review_and_years_refuse_to_overwrite_their_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = copy_seed(tmp_path)
    before = report.read_bytes()
    assert review.main([str(report), "--out", str(report)]) == 2
    assert "is the input report" in one_error_line(capsys.readouterr().err)
    assert report.read_bytes() == before
    facts = tmp_path / "facts.jsonl"
    assert predict_main(capsys, str(report), "--format", "jsonl", "--out", str(facts))[0] == 0
    facts_before = facts.read_bytes()
    assert years.main([str(facts), "--out", str(facts)]) == 2
    assert "is the input report" in one_error_line(capsys.readouterr().err)
    assert facts.read_bytes() == facts_before
    readonly = tmp_path / "years.json"
    readonly.write_text("{}", encoding="utf-8")
    readonly.chmod(0o444)
    assert years.main([str(facts), "--out", str(readonly)]) == 2
    assert one_error_line(capsys.readouterr().err) == Errors.E073.format(path=readonly)
    assert years.main([str(facts), "--out", str(readonly), "--force"]) == 0
    assert "agencies" in json.loads(readonly.read_text(encoding="utf-8"))


# 3. Folders report what they skip ------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda folder: (folder / "gone.txt").symlink_to(folder / "missing.txt"),
         "a broken symbolic link (what it points to does not exist)"),
        (lambda folder: (folder / "loop.txt").symlink_to(folder / "loop.txt"),
         "a symbolic link loop (too many levels of symbolic links)"),
    ],
)  # fmt: skip
def test_a_folders_unreadable_entries_are_errors_and_the_rest_is_written(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    make,
    words: str,  # noqa: ANN001
) -> None:
    folder = tmp_path / "reports"
    copy_seed(folder)
    make(folder)
    out = tmp_path / "facts.jsonl"
    code, _, err = predict_main(capsys, str(folder), "--format", "jsonl", "--out", str(out))
    assert code == 1
    bad = next(p for p in folder.iterdir() if p.name != "report.txt")
    assert one_error_line(err) == Errors.E074.format(path=bad, what=words)
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1


def test_an_unreadable_subfolder_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "reports"
    copy_seed(folder)
    locked = folder / "locked"
    copy_seed(locked, "hidden.txt")
    # the tests run as root, whom chmod 000 does not stop: the listing fails as it would
    scandir = os.scandir

    def refusing(path: object = ".") -> object:
        if Path(os.fspath(path)) == locked:  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", refusing)
    out = tmp_path / "facts.jsonl"
    code, _, err = predict_main(capsys, str(folder), "--format", "jsonl", "--out", str(out))
    assert code == 1
    assert one_error_line(err) == Errors.E074.format(path=locked, what="permission denied")
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1
    found = find_reports([str(folder)])
    assert list(found) == [str(folder / "report.txt")] and len(found.problems) == 1


def test_years_counts_a_folders_unreadable_entries_as_failures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "reports"
    copy_seed(folder)
    (folder / "gone.txt").symlink_to(folder / "missing.txt")
    assert years.main([str(folder)]) == 1
    err = capsys.readouterr().err
    words = "a broken symbolic link (what it points to does not exist)"
    assert f"error: {Errors.E074.format(path=folder / 'gone.txt', what=words)}" in err


# 5. Bounded resources ------------------------------------------------------------------------


def small_docx(path: Path, extra: bytes = b"", rows: int = 2, cols: int = 3) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("本年度收到政府信息公开申请26件。")
    table = document.add_table(rows=rows, cols=cols)
    for r in range(rows):
        for c in range(cols):
            table.cell(r, c).text = str(r * cols + c)
    buffer = io.BytesIO()
    document.save(buffer)
    if extra:
        with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as package:
            package.writestr("word/media/padding.bin", extra)
    path.write_bytes(buffer.getvalue())
    return path


def test_a_docx_that_unpacks_past_the_limit_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bomb = small_docx(tmp_path / "bomb.docx", extra=bytes(3 * 1024 * 1024))  # 3 MB of zeros
    assert bomb.stat().st_size < 100_000
    code, _, err = predict_main(capsys, str(bomb), "--max-extracted-mb", "2")
    assert code == 2
    message = one_error_line(err)
    assert message == Errors.E076.format(path=bomb, limit_mb=2.0)
    assert "--max-extracted-mb" in message
    code, out, err = predict_main(capsys, str(bomb), "--max-extracted-mb", "5")
    assert code == 0, err


def test_the_extracted_limit_holds_for_the_reader_and_its_workers(tmp_path: Path) -> None:
    """The limit travels in the environment: ie.read.read (and a pool's workers) obey it too."""
    bomb = small_docx(tmp_path / "bomb.docx", extra=bytes(3 * 1024 * 1024))
    with zipfile.ZipFile(bomb) as package:
        sizes = {info.filename: info.file_size for info in package.infolist()}
    assert sizes["word/media/padding.bin"] == 3 * 1024 * 1024
    read(bomb)  # within the default
    os.environ[read_limits.EXTRACTED_VARIABLE] = "1"
    with pytest.raises(InputError) as error:
        read(bomb)
    assert str(error.value) == Errors.E076.format(path=bomb, limit_mb=1.0)


def _html_table(rows: int, cols: int) -> str:
    body = "".join("<tr>" + "<td>1</td>" * cols + "</tr>" for _ in range(rows))
    return f"<html><body><p>本年度收到申请</p><table>{body}</table></body></html>"


def _markdown_table(rows: int, cols: int) -> str:
    header = "| " + " | ".join(f"列{c}" for c in range(cols)) + " |\n"
    rule = "|" + "---|" * cols + "\n"
    return "本年度收到申请\n\n" + header + rule + ("| " + " | ".join("1" * cols) + " |\n") * rows


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("big.html", lambda path: path.write_text(_html_table(30, 10), encoding="utf-8")),
        ("big.md", lambda path: path.write_text(_markdown_table(30, 10), encoding="utf-8")),
        ("big.docx", lambda path: small_docx(path, rows=30, cols=10)),
    ],
)
def test_a_table_past_the_cell_limit_is_refused(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    make,  # noqa: ANN001
) -> None:
    path = tmp_path / name
    make(path)
    code, _, err = predict_main(capsys, str(path), "--max-cells", "200")
    assert code == 2
    message = one_error_line(err)
    assert message == Errors.E077.format(path=path, limit=200)
    assert "--max-cells" in message
    assert predict_main(capsys, str(path), "--max-cells", "400")[0] == 0


def test_a_pdf_table_past_the_cell_limit_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pdf = printed_pdf(tmp_path / "report.pdf")  # table 三: 280 grid positions
    code, _, err = predict_main(capsys, str(pdf), "--max-cells", "100")
    assert code == 2
    assert one_error_line(err) == Errors.E077.format(path=pdf, limit=100)


def test_the_default_limits_read_every_real_report(tmp_path: Path) -> None:
    """A guard: the largest table of the official templates (2021 表三, 28 rows × 10 columns, as
    a PDF prints it) covers 280 grid positions; the defaults are far above."""
    assert read_limits.DEFAULT_MAX_CELLS >= 100 * 280
    document = read(printed_pdf(tmp_path / "report.pdf"))
    assert max(sum(c.rowspan * c.colspan for c in grid) for grid in document.grids) == 280


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "0", "-1", "abc"])
def test_max_mb_takes_only_a_positive_finite_number(tmp_path: Path, value: str) -> None:
    report = copy_seed(tmp_path)
    result = subprocess.run([sys.executable, "-m", "ie.predict", str(report), f"--max-mb={value}"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)  # fmt: skip
    assert result.returncode == 2
    message = one_error_line(result.stderr)
    assert Errors.E078.format(text=value) in message and "--max-mb" in message
    assert result.stdout == ""


# 7. Lossless decoding ------------------------------------------------------------------------


def test_a_few_bad_bytes_are_replaced_with_a_warning_and_offsets_stay_exact(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = shared_file(SEED).read_text(encoding="utf-8")
    raw = text.encode("utf-8")
    cut = raw.index("。".encode()) + 3  # after the first sentence: a stray byte there
    damaged = raw[:cut] + b"\xff" + raw[cut:] + b"\xe4\xb8"  # and a sequence cut at the end
    path = tmp_path / "damaged.txt"
    path.write_bytes(damaged)
    code, out, err = predict_main(capsys, str(path))
    assert code == 0, err
    assert err.strip() == Errors.W001.format(path=path, count=3, encoding="utf-8",
                                             offsets=f"{cut}, {len(damaged) - 2}")  # fmt: skip
    result = json.loads(out)
    document = read(path)
    assert document.source_text.count("\ufffd") == 2
    assert document.source_text.replace("\ufffd", "") == text
    clean = json.loads(predict_main(capsys, str(copy_seed(tmp_path / "c")))[1])
    assert len(result["facts"]) == len(clean["facts"])
    for fact in result["facts"]:
        evidence = fact["evidence"]
        assert document.source_text[evidence["start"] : evidence["end"]] == evidence["text"]


@pytest.mark.parametrize("utf8_first", [True, False])
def test_a_mixed_utf8_and_gb18030_file_reads_both_parts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], utf8_first: bool
) -> None:
    """A paragraph pasted from a GB18030 page into a UTF-8 report, or the other way round:
    each line is read in its own encoding, whichever part is the larger."""
    text = shared_file(SEED).read_text(encoding="utf-8")
    pasted = "附：本机关全年共受理行政复议案件3件，纠错1件。\n"
    if utf8_first:
        raw, expected = text.encode("utf-8") + pasted.encode("gb18030"), text + pasted
    else:
        raw, expected = text.encode("gb18030") + pasted.encode("utf-8"), text + pasted
    path = tmp_path / "mixed.txt"
    path.write_bytes(raw)
    document = read(path)
    assert document.source_text == expected
    assert document.encoding == "utf-8+gb18030"
    lines = 1 if utf8_first else sum(not line.isascii() for line in text.splitlines())
    assert capsys.readouterr().err.strip() == Errors.W002.format(
        path=path, lines=lines, codec="gb18030"
    )


def test_a_gb18030_file_with_a_bad_byte_reads(tmp_path: Path) -> None:
    text = shared_file(SEED).read_text(encoding="utf-8")
    raw = text.encode("gb18030")
    path = tmp_path / "gb.txt"
    path.write_bytes(raw[:100] + b"\xff" + raw[100:])
    document = read(path)
    assert document.encoding == "gb18030"
    assert document.source_text.replace("\ufffd", "") == text


def test_a_file_no_encoding_fits_is_still_refused(tmp_path: Path) -> None:
    """A guard: being lenient with a few bad bytes must not make noise readable."""
    # printable bytes at random: no detector's match, and UTF-8 and GB18030 lose a third of them
    chooser = random.Random(7)
    printable = [*range(0x20, 0x7F), *range(0x80, 0x100)]
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(chooser.choice(printable) for _ in range(4000)))
    with pytest.raises(InputError) as error:
        read(path)
    assert str(error.value) == Errors.E005.format(path=path)


# 8. Smaller items ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["-1", "0", "abc", " -3 "])
def test_an_invalid_rowspan_is_one_row_as_in_browsers(value: str) -> None:
    """-1 and 0 spanned to the end of the table before ("abc" was already 1: a guard)."""
    layout = read_html(
        f"<table><tr><td rowspan='{value}'>甲</td><td>1</td></tr><tr><td>乙</td><td>2</td></tr>"
        "<tr><td>丙</td><td>3</td></tr></table>"
    )
    cells = {(cell.cell.row, cell.cell.col): cell.cell for cell in layout.grids[0]}
    assert cells[(0, 0)].rowspan == 1
    assert (cells[(1, 0)].text, cells[(2, 0)].text) == ("乙", "丙")
    assert layout.lines[1:] == ["乙 | 2", "丙 | 3"]


def test_a_leading_number_is_the_span_as_in_browsers() -> None:
    layout = read_html(
        "<table><tr><td colspan='2px'>甲</td></tr><tr><td>1</td><td>2</td></tr></table>"
    )
    assert layout.grids[0][0].cell.colspan == 2


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda path: path.symlink_to(path), lambda path: Errors.E074.format(
            path=path, what="a symbolic link loop (too many levels of symbolic links)")),
        (lambda path: os.mkfifo(path), lambda path: Errors.E075.format(
            path=path, what="a FIFO (named pipe)")),
        (lambda path: path.symlink_to(path.parent / "nowhere.txt"), lambda path: Errors.E074.format(
            path=path, what="a broken symbolic link (what it points to does not exist)")),
    ],
)  # fmt: skip
def test_a_link_loop_or_fifo_given_directly_gets_a_precise_message(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    make,
    message,  # noqa: ANN001
) -> None:
    path = tmp_path / "report.txt"
    make(path)
    code, _, err = predict_main(capsys, str(path))
    assert code == 2
    assert one_error_line(err) == message(path)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ('{"a": 1}', "no 'document', 'agency', 'year', 'vintage', 'facts'"),
        ("[1]", "a JSON int, not an object"),
    ],
)
def test_years_on_a_json_that_is_not_ie_predict_output_says_what_is_wrong(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, reason: str
) -> None:
    path = tmp_path / "other.json"
    path.write_text(content, encoding="utf-8")
    assert years.main([str(path)]) == 2
    message = one_error_line(capsys.readouterr().err)
    where = " (item 0)" if content.startswith("[") else ""
    assert message == Errors.E079.format(path=path, where=where, reason=reason)
    assert message != Errors.E032.format(path=path, reason="'facts'")


# 9. Fuzzing the readers ----------------------------------------------------------------------


def assert_clean(raw: bytes, name: str) -> None:
    """A Document whose cells index its text, or one line of InputError; nothing else."""
    try:
        document = read_bytes(raw, name)
    except InputError as error:
        assert "\n" not in str(error) and str(error)
        return
    assert document.text.strip()
    assert len(document.offsets) == len(document.text) + 1
    for grid in document.grids:
        for cell in grid:
            assert document.text[cell.span.start : cell.span.end] == cell.text


FUZZ = settings(max_examples=300, deadline=2000, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])  # fmt: skip


@FUZZ
@given(raw=st.binary(max_size=2000), suffix=st.sampled_from([".txt", ".html", ".md"]))
def test_fuzz_random_bytes(raw: bytes, suffix: str) -> None:
    assert_clean(raw, "fuzz" + suffix)


@FUZZ
@given(text=st.text(alphabet=st.sampled_from("申请件数1203 |-<>/tdr\n\t\u3000\ufffd"),
                    max_size=400), suffix=st.sampled_from([".txt", ".html", ".md"]))  # fmt: skip
def test_fuzz_random_text(text: str, suffix: str) -> None:
    assert_clean(text.encode("utf-8"), "fuzz" + suffix)


SPANS = st.one_of(st.none(), st.sampled_from(["-1", "0", "1", "2", "3", "abc", "9999", "2px", ""]))
HTML_CELLS = st.tuples(st.sampled_from(["td", "th"]), st.sampled_from(["", "申请", "12", "&nbsp;",
                       "<br>", "<p>3</p>", "<table><tr><td>9</td></tr></table>"]), SPANS, SPANS)  # fmt: skip


@FUZZ
@given(rows=st.lists(st.lists(HTML_CELLS, max_size=6), max_size=8))
def test_fuzz_html_tables(rows: list[list[tuple[str, str, str | None, str | None]]]) -> None:
    def cell(tag: str, text: str, rowspan: str | None, colspan: str | None) -> str:
        spans = "".join(f' {name}="{value}"' for name, value in (("rowspan", rowspan),
                        ("colspan", colspan)) if value is not None)  # fmt: skip
        return f"<{tag}{spans}>{text}</{tag}>"

    body = "".join("<tr>" + "".join(cell(*c) for c in row) + "</tr>" for row in rows)
    page = f"<html><body><p>本年度收到申请26件。</p><table>{body}</table></body></html>"
    assert_clean(page.encode("utf-8"), "fuzz.html")


@FUZZ
@given(rows=st.lists(st.lists(st.sampled_from(["", "申请", "12", " 0 ", "**3**", "<br>", "\\|"]),
                              min_size=1, max_size=6), min_size=1, max_size=8),
       rule=st.booleans())  # fmt: skip
def test_fuzz_markdown_tables(rows: list[list[str]], rule: bool) -> None:
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    if rule:
        lines.insert(1, "|" + "---|" * len(rows[0]))
    assert_clean(("本年度收到申请26件。\n\n" + "\n".join(lines) + "\n").encode("utf-8"), "fuzz.md")


@pytest.fixture(scope="module")
def docx_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return small_docx(tmp_path_factory.mktemp("docx") / "r.docx", rows=4, cols=4).read_bytes()


@settings(max_examples=100, deadline=5000, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(fraction=st.floats(min_value=0, max_value=1), junk=st.binary(min_size=1, max_size=64),
       keep_end=st.booleans())  # fmt: skip
def test_fuzz_truncated_docx(
    docx_bytes: bytes, fraction: float, junk: bytes, keep_end: bool
) -> None:
    """Cut short, or (keep_end) a stretch overwritten with the zip's directory still there."""
    at = int(len(docx_bytes) * fraction)
    if keep_end:
        assert_clean(docx_bytes[:at] + junk + docx_bytes[at + len(junk) :], "fuzz.docx")
    else:
        assert_clean(docx_bytes[:at], "fuzz.docx")


@pytest.fixture(scope="module")
def pdf_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A train report printed as a PDF (tests/renderings.py)."""
    return printed_pdf(tmp_path_factory.mktemp("pdf") / "report.pdf").read_bytes()


@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(fraction=st.floats(min_value=0, max_value=0.999), keep_end=st.booleans())
def test_fuzz_truncated_pdf(pdf_bytes: bytes, fraction: float, keep_end: bool) -> None:
    """Cut short, or (keep_end) cut in the middle with the trailer and xref table kept, so the
    parser finds the objects' offsets but not all of the objects."""
    at = int(len(pdf_bytes) * fraction)
    tail = pdf_bytes[-4096:] if keep_end else b""
    assert_clean(pdf_bytes[:at] + tail, "fuzz.pdf")


def test_a_model_folder_without_its_tokenizer_gets_the_whole_reason_on_one_line(tmp_path: Path) -> None:
    import shutil

    from ie.paths import DEFAULT_MODEL_DIR

    folder = tmp_path / "model"
    shutil.copytree(DEFAULT_MODEL_DIR, folder)
    for name in ("tokenizer.json", "tokenizer_config.json"):
        (folder / name).unlink()
    result = subprocess.run([sys.executable, "-m", "ie.predict", str(ROOT / "samples" / "baodi-2016.txt"),
                             "--tagger", "model", "--model", str(folder)],
                            capture_output=True, text=True, cwd=ROOT)  # fmt: skip
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "is not an ie model" in lines[0]
    assert "no tokenizer.json" in lines[0]
