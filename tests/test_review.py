"""The review page, opened in a real headless Chromium: every highlight shows its fact's evidence.

The page's own script checks the rendered text (``#verification``); the test also checks the DOM
Chromium dumps against ``ie.predict``'s JSON of the same report, and keeps a screenshot: in
``$IE_REVIEW_SCREENSHOTS`` when set, else in pytest's tmp folder (the path is printed).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
from helpers import ROOT, printed_pdf, shared_file
from template_report import template_report

from ie.output.review_text import Highlight, render_text
from ie.pipeline import analyze
from ie.read import read
from ie.tag import get_tagger
from ie.types import Span

pytestmark = pytest.mark.slow  # Label Studio, Ray, a browser or training: `pytest -m "not slow"` skips it

BROWSER_TIMEOUT = 120  # seconds; a cold start on a busy 2-core machine takes a few


def _chromium() -> str:
    for name in (
        os.environ.get("IE_CHROMIUM", ""),
        "chromium",
        "chromium-browser",
        "google-chrome",
    ):
        if name and shutil.which(name):
            return shutil.which(name)  # type: ignore[return-value]
    if os.environ.get("CI"):
        pytest.fail("no chromium: .ci/run installs it (apt-get install chromium)")
    pytest.skip("no chromium (apt-get install chromium)")


def _browser(page: Path, profile: Path, *flags: str) -> str:
    run = subprocess.run(
        [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--no-first-run", f"--user-data-dir={profile}", "--window-size=1400,900", *flags,
         page.resolve().as_uri()],
        capture_output=True, text=True, timeout=BROWSER_TIMEOUT,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout


def _review(report: Path, out: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "ie.review", str(report), "--out", str(out)],
                         cwd=ROOT, capture_output=True, text=True)  # fmt: skip
    assert run.returncode == 0, run.stderr


def _screenshot_folder(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("IE_REVIEW_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _open(report: Path, tmp_path: Path) -> tuple[lxml.html.HtmlElement, dict]:
    page = tmp_path / f"{report.stem}.html"
    _review(report, page)
    # lxml, not BeautifulSoup: bs4 4.15 drops whitespace-only strings, and every character counts
    dom = lxml.html.fromstring(_browser(page, tmp_path / "profile", "--dump-dom"))
    screenshot = _screenshot_folder(tmp_path) / f"review-{report.stem}.png"
    _browser(page, tmp_path / "profile", f"--screenshot={screenshot}")
    assert screenshot.stat().st_size > 10_000
    print(f"screenshot of the review page: {screenshot}")
    return dom, analyze(read(report), get_tagger("rules"))


@pytest.mark.parametrize(
    "report", ["samples/baodi-2016.txt", "seeds/000_567aec5c99771f27.txt", "printed.pdf"]
)
def test_every_highlight_shows_its_facts_evidence(report: str, tmp_path: Path) -> None:
    if report == "printed.pdf":  # a train report printed by reportlab: a PDF's extracted text
        path = printed_pdf(tmp_path / report)
    else:
        path = ROOT / report if report.startswith("samples/") else shared_file(report)
    dom, result = _open(path, tmp_path)
    verification = dom.get_element_by_id("verification")
    assert verification.get("data-status") == "ok", verification.text_content()
    spans = [f["evidence"] for f in result["facts"]]
    spans += [c["prose_evidence"] for c in result["conflicts"]]
    spans += [p["evidence"] for p in result["percentages"]]
    spans += [u["evidence"] for u in result["unmapped"]]
    assert int(verification.get("data-checked")) == len(spans) > 20
    # independently of the page's script: the text shown is the text the offsets index, and each
    # span's highlight pieces, put together, are the evidence text at those offsets
    text = dom.get_element_by_id("text")
    source = read(path).source_text
    assert text.text_content() == source
    strings = list(_strings(text))
    for span in spans:
        key = f"{span['start']}-{span['end']}"
        shown = "".join(string for string, keys in strings if key in keys)
        assert shown == span["text"] == source[span["start"] : span["end"]]
    # breakdowns by agency are listed (they have no template cell)
    breakdowns = [f for f in result["facts"] if f["qualifier"]]
    heading = dom.get_element_by_id("breakdowns", None)
    assert (heading is not None) == bool(breakdowns)
    if breakdowns:  # a header row, then one row per breakdown (the parser adds a tbody)
        assert len(list(heading.getnext().iter("tr"))) == len(breakdowns) + 1
    # every table fact's value sits in its template cell, linked to its evidence
    cells = {td.get("data-field"): td for td in dom.iter("td") if td.get("data-field")}
    for fact in result["facts"]:
        if fact["origin"] == "table" and fact["qualifier"] is None and fact["field_id"] in cells:
            links = cells[fact["field_id"]].findall("a")
            assert links and links[0].get("href").startswith("#ev-")


def _strings(element, keys: tuple[str, ...] = ()) -> Iterator[tuple[str, tuple[str, ...]]]:
    """The text under ``element`` in document order, each string with the highlights it is in."""
    if element.tag == "mark":
        keys = (*keys, element.get("data-span"))
    if element.text:
        yield element.text, keys
    for child in element:
        yield from _strings(child, keys)
        if child.tail:
            yield child.tail, keys


def test_a_broken_identity_is_marked_on_its_cells(tmp_path: Path) -> None:
    report = tmp_path / "synthetic-2022.txt"
    text = template_report("示例县民政局", 2022, normative=(3, 2, 16),
                           new_received=(5, 0, 0, 0, 0, 0), carried_over=(2, 0, 0, 0, 1, 0),
                           granted=(3, 0, 0, 0, 1, 0), not_held=(1, 0, 0, 0, 0, 0))  # fmt: skip
    # the 总计 of 本年新收 says 6 where its six columns add up to 5; CRLF line ends and characters
    # outside the BMP (two UTF-16 units in the browser, one character in Python) before the tables
    text = text.replace("| 5 | 0 | 0 | 0 | 0 | 0 | 5 |", "| 5 | 0 | 0 | 0 | 0 | 0 | 6 |")
    text = text.replace("认真贯彻落实", "（𠮷𠮷）认真贯彻落实").replace("\n", "\r\n")
    report.write_bytes(text.encode("utf-8"))
    dom, result = _open(report, tmp_path)
    assert dom.get_element_by_id("verification").get("data-status") == "ok"
    failed = [c for c in result["checks"] if c["status"] == "fail"]
    assert failed, "the broken total should fail an identity"
    cells = {td.get("data-field"): td for td in dom.iter("td") if td.get("data-field")}
    total = cells["requests.new_received.total"]
    assert "fail" in total.get("class").split() and total.text_content() == "6"
    assert "fail: requests.new_received.total = " in total.get("title")
    assert "pass" in cells["requests.carried_forward.legal_service"].get("class").split()
    assert "unchecked" in cells["disclosure.normative.in_force"].get("class").split()
    statuses = [td.text_content() for td in dom.find_class("status-fail")]
    assert statuses == ["fail"] * len(failed)


@pytest.mark.parametrize("problem", ["missing report", "missing folder", "a folder"])
def test_bad_input_is_one_line_exit_2_and_no_file(problem: str, tmp_path: Path) -> None:
    report, out = ROOT / "samples" / "baodi-2016.txt", tmp_path / "review.html"
    if problem == "missing report":
        report = tmp_path / "nothing.txt"
    elif problem == "missing folder":
        out = tmp_path / "no" / "review.html"
    else:
        report = ROOT / "samples"
    run = subprocess.run([sys.executable, "-m", "ie.review", str(report), "--out", str(out)],
                         cwd=ROOT, capture_output=True, text=True)  # fmt: skip
    assert run.returncode == 2
    assert run.stderr.startswith("error: ") and run.stderr.count("\n") == 1
    assert not out.exists()
    if out.parent.exists():
        assert list(out.parent.iterdir()) == []  # no temporary file left behind either


def test_crossing_and_nested_highlights_keep_every_character() -> None:
    text = "甲乙丙丁戊己庚\r\n辛"
    spans = [Span(1, 4, "乙丙丁"), Span(2, 3, "丙"), Span(3, 6, "丁戊己"), Span(7, 9, "\r\n")]
    page = render_text(text, [Highlight("table", span, span.text) for span in spans])
    root = lxml.html.fragment_fromstring(page, create_parent="div")
    assert root.text_content() == text
    strings = list(_strings(root))
    for span in spans:
        key = f"{span.start}-{span.end}"
        assert "".join(string for string, keys in strings if key in keys) == span.text
    # one anchor per highlight, on its first piece
    assert sorted(m.get("id") for m in root.iter("mark") if m.get("id")) == sorted(
        f"ev-{s.start}-{s.end}" for s in spans
    )
