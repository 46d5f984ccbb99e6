"""python -m ie.review REPORT --out review.html: one self-contained page to check a report by eye.

The report's text (``Document.source_text``, the text the evidence offsets index) with every fact
highlighted (blue: table cell, green: prose, red: prose that contradicts a table, purple: a
percentage, grey: a number left unmapped; field id, value, unit and confidence on hover), the template's tables rebuilt from
the facts with each identity's pass/fail on its cells, and the identities, conflicts and unmapped
numbers listed with links to their place in the text. No network: CSS and script are inline.

The page checks itself when opened: its script walks the rendered text, puts each highlight's
pieces together and compares their text and character offset with the evidence it embeds, and
writes the verdict into ``#verification`` (``data-status`` ok or failed).
"""

from __future__ import annotations

import argparse
import html
import json
import sys
from pathlib import Path

from ie.cli import Parser, add_force, add_reading, add_tagger, apply_limits
from ie.errors import EXIT_OK, Errors, InputError, run_command
from ie.output.files import check_output, write_output
from ie.output.review_tables import render_tables
from ie.output.review_text import Highlight, render_text, span_id
from ie.pipeline import Analysis, extract
from ie.read import read
from ie.tag import get_tagger
from ie.types import Fact, Span, base_origin

STYLE = """
body{margin:0;font:14px/1.5 system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:#222}
header{padding:8px 16px;border-bottom:1px solid #ccc;background:#fafafa}
header h1{font-size:18px;margin:0 0 4px} header p{margin:2px 0}
main{display:flex;height:calc(100vh - 120px)}
#text-pane,#side{overflow:auto;padding:8px 16px} #text-pane{flex:1 1 48%;border-right:1px solid #ccc}
#side{flex:1 1 52%} h2{font-size:16px;margin:12px 0 6px} h3{font-size:14px;margin:10px 0 4px}
.text{white-space:pre-wrap;font-family:"Noto Serif CJK SC",serif;line-height:1.7}
mark.ev{border-radius:2px;padding:0 1px;cursor:help} mark.table{background:#cfe3ff}
mark.prose{background:#cdf2c8} mark.conflict{background:#ffc9c9;border-bottom:2px solid #d33}
mark.unmapped{background:#eee;outline:1px dashed #999} mark.percentage{background:#eadcff} mark.ev:target{outline:3px solid #f90}
.legend mark{margin-right:6px}
table.grid,table.list{border-collapse:collapse;margin:4px 0 10px;font-size:12px}
.grid th,.grid td,.list th,.list td{border:1px solid #ccc;padding:2px 5px;vertical-align:top}
.grid th{background:#f3f3f3;font-weight:normal} .grid th.row{text-align:left;max-width:260px}
td.cell{text-align:right;min-width:28px} td.pass{background:#e3f6e3} td.not_assessable{background:#fff4cc}
td.fail{background:#ffc9c9;font-weight:bold;outline:2px solid #d33} .missing{color:#bbb}
.status-pass{color:#170} .status-fail{color:#c00;font-weight:bold} .status-not_assessable{color:#a70}
#verification[data-status=ok]{color:#170} #verification[data-status=failed]{color:#c00}
code{font-size:11px}
"""

# Runs when the page opens: each highlight's pieces, put together in document order, must equal
# its evidence's text and start at its evidence's offset (counted in characters, i.e. code points,
# as Python counts them; JavaScript strings count UTF-16 units).
VERIFY = """
(function () {
  const root = document.getElementById("text");
  const pieces = new Map();
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let offset = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let el = node.parentElement; el && el !== root; el = el.parentElement) {
      if (!el.matches("mark.ev")) continue;
      const piece = pieces.get(el.dataset.span) || {start: offset, text: ""};
      piece.text += node.data;
      pieces.set(el.dataset.span, piece);
    }
    offset += [...node.data].length;
  }
  const items = JSON.parse(document.getElementById("ie-evidence").textContent);
  const failures = [];
  const expected = new Set();
  for (const item of items) {
    const key = item.start + "-" + item.end;
    expected.add(key);
    const piece = pieces.get(key);
    if (!piece || piece.start !== item.start || piece.text !== item.text) {
      failures.push(item.kind + " " + (item.field_id || "") + " " + key + ": expected "
        + JSON.stringify(item.text) + ", page shows " + JSON.stringify(piece ? piece.text : null));
    }
  }
  for (const key of pieces.keys()) {
    if (!expected.has(key)) failures.push("highlight " + key + " has no evidence");
  }
  const out = document.getElementById("verification");
  out.dataset.status = failures.length ? "failed" : "ok";
  out.dataset.checked = String(items.length);
  out.dataset.highlights = String(pieces.size);
  out.dataset.failures = JSON.stringify(failures);
  out.textContent = failures.length
    ? "✗ " + failures.length + " highlight(s) differ from their evidence: " + failures.join("; ")
    : "✓ all " + items.length + " evidence spans (" + pieces.size + " highlights) match the text";
})();
"""


def _number(value: float | int | None) -> str:
    return "" if value is None else str(value)


def _fact_hover(fact: Fact, kind: str) -> str:
    qualifier = f" {fact.qualifier}" if fact.qualifier else ""
    approx = "≈" if fact.approx else ""
    prefix = "CONFLICT, prose says " if kind == "conflict" else ""
    return (f"{prefix}{fact.field_id}{qualifier} = {approx}{fact.value} {fact.unit} "
            f"(confidence {fact.confidence:.3f}, {fact.origin}; {fact.label})")  # fmt: skip


def highlights(analysis: Analysis) -> list[Highlight]:
    found = [Highlight(base_origin(f.origin), f.evidence, _fact_hover(f, f.origin))
             for f in analysis.facts]  # fmt: skip
    found += [Highlight("conflict", c.prose.evidence, _fact_hover(c.prose, "conflict"))
              for c in analysis.conflicts]  # fmt: skip
    found += [Highlight("percentage", p.evidence, f"{p.value}% (a share of {p.field_id or '?'}, "
                        "not a count)") for p in analysis.percentages]  # fmt: skip
    found += [Highlight("unmapped", s.evidence, f"unmapped {s.value} {s.unit}: {s.reason}"
                        + (f" ({s.metric})" if s.metric else "")) for s in analysis.unmapped]  # fmt: skip
    return found


def _evidence_items(analysis: Analysis) -> list[dict[str, object]]:
    """What the page's script checks: every highlighted span with the text it must show."""
    items = [("fact", f.field_id, f.evidence) for f in analysis.facts]
    items += [("conflict", c.field_id, c.prose.evidence) for c in analysis.conflicts]
    items += [("percentage", p.field_id, p.evidence) for p in analysis.percentages]
    items += [("unmapped", None, s.evidence) for s in analysis.unmapped]
    return [{"kind": kind, "field_id": field_id, "start": span.start, "end": span.end,
             "text": span.text} for kind, field_id, span in items if span.end > span.start]  # fmt: skip


def _link(span: Span, text: str | None = None) -> str:
    return f'<a href="#{span_id(span)}">{html.escape(text if text is not None else span.text)}</a>'


def _lists(analysis: Analysis) -> str:
    out = ['<h2 id="checks">勾稽关系 (identities)</h2><table class="list">',
           "<tr><th>status</th><th>identity</th><th>lhs</th><th>rhs</th><th>evidence</th></tr>"]  # fmt: skip
    for check in analysis.checks:
        evidence = " ".join(_link(span) for span in check.evidence)
        missing = f"<br>missing: {html.escape(', '.join(check.missing))}" if check.missing else ""
        out.append(f'<tr><td class="status-{check.status}">{check.status}</td><td><code>'
                   f"{html.escape(check.identity)}</code>{missing}</td><td>{_number(check.lhs)}</td>"
                   f"<td>{_number(check.rhs)}</td><td>{evidence}</td></tr>")  # fmt: skip
    out.append("</table>")
    breakdowns = [f for f in analysis.facts if f.qualifier]
    if breakdowns:
        # a breakdown by agency is a fact of the same field: not in the grids, which hold the
        # report's own figures
        out.append(f'<h2 id="breakdowns">分项 (breakdowns): {len(breakdowns)}</h2>')
        out.append('<table class="list"><tr><th>field</th><th>of</th><th>value</th></tr>')
        for fact in breakdowns:
            of = ", ".join(f"{k}: {v}" for k, v in (fact.qualifier or {}).items())
            out.append(f"<tr><td><code>{html.escape(fact.field_id)}</code></td>"
                       f"<td>{html.escape(of)}</td><td>{_link(fact.evidence)}</td></tr>")  # fmt: skip
        out.append("</table>")
    out.append(f'<h2 id="conflicts">冲突 (prose vs table): {len(analysis.conflicts)}</h2>')
    if analysis.conflicts:
        out.append(
            '<table class="list"><tr><th>field</th><th>table (the fact)</th><th>prose</th></tr>'
        )
        for conflict in analysis.conflicts:
            out.append(f"<tr><td><code>{html.escape(conflict.field_id)}</code></td>"
                       f"<td>{_link(conflict.table.evidence)}</td>"
                       f"<td>{_link(conflict.prose.evidence)}</td></tr>")  # fmt: skip
        out.append("</table>")
    out.append(f'<h2 id="unmapped">未映射 (unmapped): {len(analysis.unmapped)}</h2>')
    if analysis.unmapped:
        out.append('<table class="list"><tr><th>value</th><th>unit</th><th>metric</th>'
                   "<th>reason</th></tr>")  # fmt: skip
        for statistic in analysis.unmapped:
            out.append(f"<tr><td>{_link(statistic.evidence)}</td><td>{html.escape(statistic.unit)}"
                       f"</td><td>{html.escape(statistic.metric)}</td>"
                       f"<td>{html.escape(statistic.reason)}</td></tr>")  # fmt: skip
        out.append("</table>")
    return "\n".join(out)


def render_page(analysis: Analysis) -> str:
    info, document = analysis.info, analysis.document
    statuses = [c.status for c in analysis.checks]
    origins = [base_origin(f.origin) for f in analysis.facts]  # an OCR'd cell counts as a cell
    title = f"{info.agency or '(agency not found)'} {info.year or ''} — ie review"
    # no "<" at all inside the script element: "</script" or "<!--" in a report cannot end it early
    evidence = json.dumps(_evidence_items(analysis), ensure_ascii=False).replace("<", "\\u003c")
    summary = (f"{len(origins)} facts ({origins.count('table')} table, {origins.count('prose')} "
               f"prose) · <a href=\"#checks\">identities</a>: {statuses.count('pass')} pass, "
               f"{statuses.count('fail')} "
               f"fail, {statuses.count('not_assessable')} not assessable · "
               f'<a href="#conflicts">{len(analysis.conflicts)} conflicts</a> · '
               f'<a href="#unmapped">{len(analysis.unmapped)} unmapped</a>')  # fmt: skip
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title><style>{STYLE}</style></head>
<body>
<header>
<h1>{html.escape(title)}</h1>
<p><code>{html.escape(document.path)}</code> · vintage {info.vintage} ({html.escape(info.vintage_reason)})
 · {html.escape(info.kind)}{(": " + html.escape(info.kind_reason)) if info.kind_reason else ""}</p>
<p>{summary}</p>
<p class="legend"><mark class="ev table">table cell</mark><mark class="ev prose">prose</mark><mark
class="ev conflict">prose ≠ table</mark><mark class="ev percentage">percentage</mark><mark
class="ev unmapped">unmapped</mark> ·
<span id="verification" data-status="pending">(the page's self-check runs when it opens)</span></p>
</header>
<main>
<section id="text-pane"><h2>原文 (the text the offsets index)</h2>
<div id="text" class="text">{render_text(document.source_text, highlights(analysis))}</div></section>
<section id="side"><h2>表格 (template tables rebuilt from the facts)</h2>
{render_tables(analysis.vintage, analysis.facts, analysis.checks)}
{_lists(analysis)}
</section>
</main>
<script type="application/json" id="ie-evidence">{evidence}</script>
<script>{VERIFY}</script>
</body></html>
"""


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="python -m ie.review",
        description="Write one self-contained HTML page to check a report's extraction by eye: "
        "the text with every fact's evidence highlighted, the template tables rebuilt from the "
        "facts with each identity's pass/fail, and the conflicts and unmapped numbers linked to "
        "their place in the text.",
        epilog="Exit codes: 0 written, 2 usage or input error (one line on stderr, nothing "
        "written).",
    )
    parser.add_argument("report", metavar="REPORT", help="one report (txt, html, pdf or docx)")
    parser.add_argument("--out", metavar="FILE", required=True,
                        help="the HTML page to write (atomically)")  # fmt: skip
    add_tagger(parser)
    add_reading(parser)
    add_force(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return run_command(lambda: _review(args))


def _review(args: argparse.Namespace) -> int:
    apply_limits(args)
    if Path(args.report).is_dir():
        raise InputError(Errors.E033.format(path=args.report, reason="a folder; give one report"))
    check_output(args.out, [args.report], args.force)  # before any work, never over the report
    tagger = get_tagger(args.tagger, args.model)
    analysis = extract(read(args.report, max_mb=args.max_mb), tagger)
    write_output(args.out, render_page(analysis))
    print(f"wrote {args.out}", file=sys.stderr)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
