"""表四 printed short: which of its three groups of five cells a text table printed.

表四 prints 15 cells: 行政复议, then 行政诉讼 未经复议直接起诉 and 复议后起诉, each as 结果维持, 结果纠正,
其他结果, 尚未审结, 总计. A text table that skips empty cells prints fewer, in whole groups of five
where a group had nothing to report. Each order-keeping choice of groups is checked against the
groups' sums (总计 = the four outcomes); one choice left is read, several (or none) are listed with
every choice as a candidate reading, never shifted into 行政复议 by default.
"""

from __future__ import annotations

import itertools

from ie.facts.cell_values import cell_value, value_span
from ie.facts.flattened_digits import holds
from ie.schema import Field, Vintage
from ie.tables import is_no_value
from ie.types import Cell, Fact, Span, Statistic

OUTCOMES = ("upheld", "corrected", "other", "pending", "total")
APPEAL_FIELDS = (
    [f"review.{o}" for o in OUTCOMES]
    + [f"litigation.direct.{o}" for o in OUTCOMES]
    + [f"litigation.after_review.{o}" for o in OUTCOMES]
)
LABEL = "行政复议、行政诉讼"
GROUP = len(OUTCOMES)


def place_groups(
    printed: list[Cell], vintage: Vintage, text: str, offset: int, confidence: float
) -> tuple[list[tuple[Field, Cell]], Statistic | None]:
    """The cells' fields when one choice of groups fits, else the cells listed with candidates.
    ``text``/``offset``: the table's text and where it starts, for the listed span."""
    values = [(0, False) if is_no_value(c.text) else cell_value(c.text, "件") for c in printed]
    if any(v is None for v in values):
        return [], _listed(printed, text, offset, "value in another unit", ())
    numbers = [v[0] for v in values if v is not None]
    ways = []
    for chosen in itertools.combinations(range(len(APPEAL_FIELDS) // GROUP), len(numbers) // GROUP):
        row = {APPEAL_FIELDS[start * GROUP + k]: numbers[slot * GROUP + k]
               for slot, start in enumerate(chosen) for k in range(GROUP)}  # fmt: skip
        if all(holds(identity, row) is not False for identity in vintage.identities):
            ways.append(chosen)
    if len(ways) == 1:
        return [
            (vintage.fields[APPEAL_FIELDS[start * GROUP + k]], printed[slot * GROUP + k])
            for slot, start in enumerate(ways[0])
            for k in range(GROUP)
            if APPEAL_FIELDS[start * GROUP + k] in vintage.fields
        ], None
    readings = []
    for chosen in ways:
        reading = []
        for slot, start in enumerate(chosen):
            for k in range(GROUP):
                field_ = vintage.fields[APPEAL_FIELDS[start * GROUP + k]]
                cell = printed[slot * GROUP + k]
                if not is_no_value(cell.text):
                    reading.append(Fact(field_.id, numbers[slot * GROUP + k], field_.unit, False,
                                        "table", value_span(cell), confidence, None, LABEL))  # fmt: skip
        readings.append(tuple(reading))
    several = "several placements of its groups fit" if ways else "no placement of its groups fits"
    reason = f"{len(numbers)} of 表四's 15 cells: {several}"
    return [], _listed(printed, text, offset, reason, tuple(readings))


def _listed(
    printed: list[Cell], text: str, offset: int, reason: str, readings: tuple
) -> Statistic:
    start, end = printed[0].span.start, printed[-1].span.end
    span = Span(start, end, text[start - offset : end - offset])
    return Statistic(None, "件", False, "table", span, LABEL, reason, readings)
