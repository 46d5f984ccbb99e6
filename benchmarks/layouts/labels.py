"""Row labels as real reports print them, not as configs/schema.yaml spells them.

The schema holds the official template's wording, which is also what the reader matches; a layout
printed with exactly those labels measures nothing about the labels users' reports carry. A
``LabelStyle`` prints each label the way one agency would: the template's wording or a common
variant (shortened, the note in parentheses left out, 、 between listed laws), numbering kept,
dropped or written another way (一、 （一） 1. 1、 (1)), full-width or half-width brackets and
digits, traditional script (OpenCC s2t; a report printed in it is traditional throughout, prose too:
``LabelStyle.script``), a long label broken over two lines, and the section labels (第二十条第（一）项)
in several spellings. One style per report, drawn by a random generator seeded with the report's
name, so the same run always prints the same labels.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import cache

# Variants of the template's wording: shortened, or a word changed (结转下年继续办理, 部分公开 without
# its note and 第二十条  第(一)项 are printed so in the corpus). Keyed by the label without numbering.
WORDINGS: dict[str, tuple[str, ...]] = {
    "本年新收政府信息公开申请数量": ("本年新收申请数量", "本年新收政府信息公开申请"),
    "上年结转政府信息公开申请数量": ("上年结转申请数量", "上年结转政府信息公开申请"),
    "本年度办理结果": ("办理结果", "本年度办理结果情况"),
    "部分公开（区分处理的，只计这一情形，不计其他情形）": ("部分公开",),
    "属于国家秘密": ("国家秘密",),
    "其他法律行政法规禁止公开": ("其他法律、行政法规禁止公开",),
    "危及“三安全一稳定”": ("危及三安全一稳定", '危及"三安全一稳定"'),
    "保护第三方合法权益": ("保护第三方合法权益的",),
    "本机关不掌握相关政府信息": ("本机关不掌握相关信息",),
    "没有现成信息需要另行制作": ("没有现成信息，需要另行制作",),
    "要求行政机关确认或重新出具已获取信息": ("要求行政机关确认或重新出具已获取的信息",),
    "结转下年度继续办理": ("结转下年继续办理", "结转下年度继续办理的"),
    "规范性文件": ("行政规范性文件",),
    "对外公开总数量": ("对外公开总量",),
    "本年增/减": ("本年增减", "本年增/减数量"),
    "本年收费金额（单位：万元）": ("本年收费金额（万元）", "本年收费金额"),
}

# How a report numbers its levels: 一、 for the rows of table 三, （一） inside them, 1. below.
_NUMBERED = re.compile(
    r"^(?P<mark>[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.)(?P<rest>.*)$"
)
NUMBERINGS = ("template", "none", "half", "arabic", "paren-arabic")
SECTIONS = (
    "第二十条第（{n}）项",
    "第二十条第({n})项",
    "第二十条第{n}项",
    "第二十条第{d}项",
    "《条例》第二十条第（{n}）项",
    "第二十条  第（{n}）项",
)
_CHINESE_DIGITS = "一二三四五六七八九十"
_HALF = str.maketrans("（）：，“”；", '():,"";')
_FULL_DIGITS = str.maketrans("0123456789.", "０１２３４５６７８９．")


@cache
def _to_traditional():
    import opencc

    return opencc.OpenCC("s2t").convert


@dataclass(frozen=True)
class LabelStyle:
    """How one report prints its labels; ``template()`` prints them as the schema has them."""

    numbering: str = "template"
    half_width: bool = False
    full_width_digits: bool = False
    traditional: bool = False
    variants: float = 0.0  # the chance that a label takes a variant wording
    breaks: float = 0.0  # the chance that a long label is broken over two lines
    section: str = SECTIONS[0]
    seed: str = ""

    @classmethod
    def template(cls) -> LabelStyle:
        return cls()

    @classmethod
    def drawn(cls, name: str) -> LabelStyle:
        """The style of the report ``name``: every choice drawn from a generator seeded with it."""
        draw = random.Random(f"labels:{name}")
        return cls(
            numbering=draw.choice(NUMBERINGS),
            half_width=draw.random() < 0.4,
            full_width_digits=draw.random() < 0.15,
            traditional=draw.random() < 0.15,
            variants=draw.choice((0.0, 0.2, 0.4)),
            breaks=draw.choice((0.0, 0.1, 0.25)),
            section=draw.choice(SECTIONS),
            seed=name,
        )

    def labels(self, kind: str, texts: list[str]) -> list[str]:
        """``texts`` printed in this style; ``kind`` (a table's name) keeps the draws of one table
        apart from another's, so the labels do not depend on the order tables are printed in."""
        draw = random.Random(f"{self.seed}:{kind}")
        return [self._label(text, draw) for text in texts]

    def _label(self, text: str, draw: random.Random) -> str:
        if not text:
            return text
        match = _NUMBERED.match(text)
        mark, rest = (match["mark"], match["rest"]) if match else ("", text)
        variants = WORDINGS.get(rest, ())
        if variants and draw.random() < self.variants:
            rest = draw.choice(variants)
        printed = self._mark(mark) + rest
        if self.half_width:
            printed = printed.translate(_HALF)
        if self.full_width_digits:
            printed = printed.translate(_FULL_DIGITS)
        if self.traditional:
            printed = _to_traditional()(printed)
        if len(rest) >= 8 and draw.random() < self.breaks:
            cut = len(printed) - len(rest) + draw.randint(3, len(rest) - 3)
            printed = printed[:cut] + "\n" + printed[cut:]
        return printed

    def _mark(self, mark: str) -> str:
        if not mark or self.numbering == "template":
            return mark
        if self.numbering == "none":
            return ""
        digits = mark.strip("（）、.")
        number = _CHINESE_DIGITS.index(digits) + 1 if digits in _CHINESE_DIGITS else int(digits)
        if mark.endswith("、"):  # the top level stays in Chinese numerals
            return mark
        if self.numbering == "half":
            return f"({digits})" if mark.startswith("（") else f"{number}."
        if self.numbering == "arabic":
            return f"{number}、" if not mark.startswith("（") else f"（{digits}）"
        return f"（{number}）" if not mark.startswith("（") else mark  # paren-arabic

    def script(self, text: str) -> str:
        """A whole page in the report's script: traditional pages are traditional throughout."""
        return _to_traditional()(text) if self.traditional else text

    def section_label(self, section: str) -> str:
        """第二十条第（一）项 in this report's spelling."""
        match = re.search(r"（([一二三四五六七八九十]+)）", section)
        if not match:
            return section
        numeral = match[1]
        printed = self.section.format(n=numeral, d=_CHINESE_DIGITS.index(numeral) + 1)
        return _to_traditional()(printed) if self.traditional else printed
