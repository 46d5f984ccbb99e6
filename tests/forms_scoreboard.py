"""Cells right / wrong / missing for a train report in every form reports are published and
converted in: ``python -m tests.forms_scoreboard`` (from the repository root, ../shared beside it).
Each form is printed again from tests/renderings.py's SOURCE (its prose, and its tables on the
official 2021 template) into a temporary folder; the gold is the report's gold table cells and
prose facts. A blank cell's field counts as missing."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from ie.document import Document
from ie.pipeline import analyze
from ie.read import read
from ie.tag.rules import tag
from ie.types import Cell
from tests.helpers import gold, keyed
from tests.renderings import (
    SOURCE,
    html_table,
    markdown,
    rendered_source,
    source_table_gold,
    web_page,
    write_docx,
    write_pdf,
)


def _never(cell: Cell) -> bool:
    return False


def _zero(cell: Cell) -> bool:
    return cell.text == "0"


def _total(cell: Cell) -> bool:
    return cell.col == 9 and cell.text.isdigit()


def _narrow(cell: Cell) -> int:
    narrower = cell.text.startswith(("一、本年新收", "四、结转下年度"))
    return cell.colspan - 1 if narrower else cell.colspan


def _split(grid: tuple[Cell, ...]) -> str:
    rows = sorted({c.row for c in grid})
    if any(c.text == "行政复议" for c in grid):
        cut = rows[-1]
    elif len(rows) > 20:
        cut = rows[len(rows) // 2]
    else:
        return html_table(grid, blank=_never)
    top = tuple(c for c in grid if c.row < cut)
    return html_table(top, _never) + html_table(tuple(c for c in grid if c.row >= cut), _never)


def forms(pdf: Document, folder: Path) -> dict[str, Path]:
    texts: dict[str, tuple[str, str]] = {
        "markdown, merged cells repeated": ("a.md", markdown(pdf, repeat=True)),
        "markdown, merged cells empty": ("b.md", markdown(pdf, repeat=False)),
        "markdown saved as .txt": ("c.txt", markdown(pdf, repeat=False)),
        "markdown with HTML tables": ("d.md", markdown(pdf, repeat=False, html_tables=True)),
        "HTML": ("e.html", web_page(pdf, lambda g: html_table(g, _never))),
        "HTML, zeros blank": ("f.html", web_page(pdf, lambda g: html_table(g, _zero))),
        "HTML, 总计 column blank": ("g.html", web_page(pdf, lambda g: html_table(g, _total))),
        "HTML, label spans narrower, zeros blank": (
            "h.html", web_page(pdf, lambda g: html_table(g, _zero, colspan=_narrow))),
        "HTML, tables split, 3000 <div>s deep": ("i.html", web_page(pdf, _split, depth=3000)),
    }  # fmt: skip
    paths = {"PDF printed": folder / "printed.pdf"}
    write_pdf(pdf, paths["PDF printed"])
    try:
        import pymupdf4llm

        texts["markdown by pymupdf4llm"] = (
            "j.md",
            pymupdf4llm.to_markdown(str(folder / "printed.pdf")),
        )
    except ImportError:
        pass
    for name, (file_name, text) in texts.items():
        paths[name] = folder / file_name
        paths[name].write_text(text, encoding="utf-8")
    paths["DOCX, merged cells"] = folder / "k.docx"
    write_docx(pdf, paths["DOCX, merged cells"])
    paths["PDF reprinted, header repeated"] = folder / "l.pdf"
    write_pdf(pdf, paths["PDF reprinted, header repeated"], running_head="年度报告")
    paths["PDF reprinted, a row cut by the break"] = folder / "m.pdf"
    write_pdf(pdf, paths["PDF reprinted, a row cut by the break"], split_rows=True, spacer=410)
    return paths


def score(path: Path, expected: dict[str, float], gold_prose: set) -> tuple[int, ...]:
    result = analyze(read(path), tag)
    predicted: dict[str, list[float]] = {}
    for fact in result["facts"]:
        if fact["origin"] == "table":
            predicted.setdefault(fact["field_id"], []).append(fact["value"])
    right = sum(predicted.get(k) == [v] for k, v in expected.items())
    wrong = sum(k in predicted and predicted[k] != [v] for k, v in expected.items())
    wrong += sum(k not in expected for k in predicted)
    missing = sum(k not in predicted for k in expected)
    prose = keyed([f for f in result["facts"] if f["origin"] == "prose"])
    return right, wrong, missing, len(prose & gold_prose)


def main(report: Callable[[str], None] = print) -> None:
    facts = gold(SOURCE)["facts"]
    expected = source_table_gold()
    gold_prose = keyed([f for f in facts if f["origin"] == "prose"])
    pdf = rendered_source()
    report(f"{'form':44} right wrong missing  prose right/{len(gold_prose)}  seconds")
    with tempfile.TemporaryDirectory() as folder:
        for name, path in forms(pdf, Path(folder)).items():
            start = time.perf_counter()
            right, wrong, missing, prose = score(path, expected, gold_prose)
            seconds = time.perf_counter() - start
            report(f"{name:44} {right:5} {wrong:5} {missing:7}  {prose:16}  {seconds:7.2f}")


if __name__ == "__main__":
    main()
