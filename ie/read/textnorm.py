"""Source text → ``Document.text``: one character in, at most one out, with the map back.

Rules downstream match ASCII digits and a small set of Chinese punctuation, so we fold the
full-width ASCII block, turn exotic spaces into ASCII ones, drop characters that only get in a
regex's way (\\r, zero-width marks), and convert traditional script to mainland simplified where
the text is traditional, phrase by phrase (a Taiwan page's 規範性檔案 is 规范性文件, its 資訊 信息).
A phrase conversion may change a line's length (記憶體 → 内存): each character of the result keeps
the source index of the character it came from, so ``offsets`` stays exact.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from functools import lru_cache

import opencc

# Full-width forms that carry meaning in these reports and that rules match as they are.
KEEP_FULL_WIDTH = frozenset("（），：；")
SPACES = frozenset("\u00a0\u3000\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f")
DROPPED = frozenset("\u200b\u200c\u200d\u2060\ufeff")

# Common characters that exist only in traditional script, each beside its simplified form.
# A traditional text shows dozens of the first kind; a simplified one shows the second kind.
SCRIPT_PAIRS = (
    "與与 發发 開开 請请 數数 條条 資资 務务 報报 會会 區区 縣县 們们 這这 個个 為为 處处 關关 "
    "說说 時时 國国 對对 業业 經经 門门 動动 過过 來来 後后 現现 長长 問问 進进 當当 學学 體体 "
    "實实 總总 機机 將将 義义 議议 間间 應应 辦办 種种 單单 項项 級级 統统 計计 構构 點点 確确 "
    "規规 範范 導导 變变 傳传 設设 題题 網网 聯联 黨党 給给 認认 員员 費费 據据 環环 產产 無无 "
    "監监 檢检 證证 執执 劃划 復复"
).split()
TRADITIONAL_ONLY = frozenset(pair[0] for pair in SCRIPT_PAIRS)
SIMPLIFIED_ONLY = frozenset(pair[1] for pair in SCRIPT_PAIRS)
# Mirror sites convert with leftovers and garble ("數(shù)據(jù)"), so ask for a clear majority,
# not purity; a handful of hits is too few to tell a quoted name from a traditional report.
MIN_TRADITIONAL = 5
TRADITIONAL_RATIO = 0.8


def is_traditional(text: str) -> bool:
    """True when the text is written in traditional characters."""
    traditional = sum(char in TRADITIONAL_ONLY for char in text)
    simplified = sum(char in SIMPLIFIED_ONLY for char in text)
    return traditional >= MIN_TRADITIONAL and traditional >= TRADITIONAL_RATIO * (
        traditional + simplified
    )


def fold_char(char: str) -> str:
    """One character as rules want to see it: half-width ASCII, ASCII spaces."""
    if char in SPACES:
        return " "
    code = ord(char)
    if 0xFF01 <= code <= 0xFF5E and char not in KEEP_FULL_WIDTH:
        return chr(code - 0xFEE0)
    return char


def normalize(source: str) -> tuple[str, tuple[int, ...], bool]:
    """``source`` → (text, source offset of each text character plus the end, traditional)."""
    chars: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(source):
        if char in DROPPED:
            continue
        if char == "\r":
            if source[index + 1 : index + 2] == "\n":
                continue
            char = "\n"
        chars.append(fold_char(char))
        offsets.append(index)
    offsets.append(len(source))
    text = "".join(chars)
    runs = [(0, len(text))] if is_traditional(text) else traditional_runs(text)
    if runs:
        text, back = _converted(text, runs)
        offsets = [offsets[index] for index in back] + [offsets[-1]]
    return text, tuple(offsets), bool(runs)


def traditional_runs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each run of whole lines written in traditional characters in a text that
    as a whole is not: a page that mixes scripts (a mirror that converted only the tables, a
    crawler's tables from a traditional copy under mainland prose). A line is traditional when
    its script-telling characters are (the page's ratio); lines that tell nothing (numbers,
    blank lines, pipes, characters SCRIPT_PAIRS does not list) join the run before them, up to
    the next mainland line; a run needs the page's MIN_TRADITIONAL."""
    runs: list[tuple[int, int]] = []
    start = end = -1  # the current run: from its first traditional line to its last line's end
    count = 0
    position = 0
    for line in text.split("\n"):
        traditional = sum(char in TRADITIONAL_ONLY for char in line)
        simplified = sum(char in SIMPLIFIED_ONLY for char in line)
        if traditional and traditional >= TRADITIONAL_RATIO * (traditional + simplified):
            start = position if start < 0 else start
            end = position + len(line)
            count += traditional
        elif simplified:  # a mainland line ends the run
            if count >= MIN_TRADITIONAL:
                runs.append((start, end))
            start, count = -1, 0
        elif start >= 0:  # 政府集中採購: traditional characters no pair lists
            end = position + len(line)
        position += len(line) + 1
    if start >= 0 and count >= MIN_TRADITIONAL:
        runs.append((start, end))
    return runs


def _converted(text: str, runs: list[tuple[int, int]]) -> tuple[str, list[int]]:
    """``text`` with each run brought to mainland script, and the index in ``text`` of each
    character of the result."""
    out: list[str] = []
    back: list[int] = []
    position = 0
    for start, end in runs:
        out.append(text[position:start])
        back += range(position, start)
        converted, run_back = to_mainland(text[start:end])
        out.append(converted)
        back += (start + index for index in run_back)
        position = end
    out.append(text[position:])
    back += range(position, len(text))
    return "".join(out), back


# Words only Taiwan's phrasing uses for the mainland's 信息, 软件, 文件, 网络, 程序, 数字, 数据库:
# a page that prints them was converted with Taiwan phrases (OpenCC s2twp) and goes back with
# tw2sp; any other traditional page with hk2s (tw2sp would turn its 文件 into 文档).
TAIWAN_PHRASES = ("資訊", "軟體", "網路", "數位", "硬體", "資料庫", "伺服器")
# tw2sp reads a Taiwan page as Taiwan's own text: its computing words go back to the mainland's
# (執行 → 运行, 新增 → 添加). A mainland report converted to Taiwan phrasing meant the plain words:
# where the character conversion gives the first word and tw2sp the second, the first stays.
PLAIN_WORDS = (
    ("执行", "运行"), ("新增", "添加"), ("建立", "创建"), ("工作列", "任务栏"), ("互动", "交互"),
    ("查询", "查找"), ("指标", "指针"), ("智慧", "智能"), ("资料", "数据"),
)  # fmt: skip


def regional_config(text: str) -> str:
    """The OpenCC configuration that brings this traditional text back to mainland phrasing."""
    return "tw2sp" if any(phrase in text for phrase in TAIWAN_PHRASES) else "hk2s"


@lru_cache(maxsize=4)
def _converter(config: str = "t2s") -> opencc.OpenCC:
    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """Traditional → simplified with the same length (OpenCC t2s by line, else by character)."""
    converter = _converter("t2s")
    lines = []
    for line in text.split("\n"):
        converted = converter.convert(line)
        if len(converted) != len(line):
            converted = "".join(_one_char(converter, char) for char in line)
        lines.append(converted)
    return "\n".join(lines)


def to_mainland(text: str) -> tuple[str, list[int]]:
    """Traditional → mainland simplified, phrase by phrase, with the index in ``text`` of each
    character of the result.

    Lines go through OpenCC whole (phrases convert as phrases: 乾隆 stays 乾隆, 軟體 is 软件). A line
    whose length changes is aligned with its character-by-character conversion (same length as the
    line): unchanged stretches map one to one, a phrase that changed length maps its characters
    across the phrase it replaced, its last character to the phrase's last.
    """
    phrases = _converter(regional_config(text))
    chars = _converter("t2s")
    out: list[str] = []
    back: list[int] = []
    start = 0
    for line in text.split("\n"):
        converted = phrases.convert(line)
        if len(converted) == len(line):
            line_back = list(range(len(line)))
        else:
            line_back = _aligned(chars, line, converted)
        base = chars.convert(line)
        if len(base) == len(line):
            converted = _plain_words(base, converted, line_back)
        back += (start + index for index in line_back)
        out.append(converted)
        back.append(start + len(line))  # the newline
        start += len(line) + 1
    back.pop()  # no newline after the last line
    return "\n".join(out), back


def _plain_words(base: str, converted: str, back: list[int]) -> str:
    """``converted`` with each PLAIN_WORDS rewrite undone where ``base`` (the character conversion,
    as long as the source line) prints the plain word at the same source characters."""
    for plain, rewritten in PLAIN_WORDS:
        if len(plain) != len(rewritten):
            continue
        position = converted.find(rewritten)
        while position >= 0:
            origin = back[position]
            consecutive = back[position : position + len(plain)] == list(
                range(origin, origin + len(plain))
            )
            if consecutive and base[origin : origin + len(plain)] == plain:
                converted = converted[:position] + plain + converted[position + len(plain) :]
            position = converted.find(rewritten, position + 1)
    return converted


def _aligned(chars: opencc.OpenCC, line: str, converted: str) -> list[int]:
    """For each character of ``converted``, the index in ``line`` it came from."""
    base = "".join(_one_char(chars, char) for char in line)
    back: list[int] = []
    matcher = SequenceMatcher(None, base, converted, autojunk=False)
    for _, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        width = b_end - b_start
        for index in range(width):
            if a_end == a_start:  # inserted: it belongs to the character before
                back.append(max(a_start - 1, 0))
            elif index == width - 1:
                back.append(a_end - 1)
            else:
                back.append(a_start + index * (a_end - a_start) // width)
    return back


def _one_char(converter: opencc.OpenCC, char: str) -> str:
    converted = converter.convert(char)
    return converted if len(converted) == 1 else char


def is_wide(char: str) -> bool:
    """CJK ideographs and CJK/full-width punctuation: no space belongs beside them."""
    code = ord(char)
    return (
        0x3000 <= code <= 0x303F  # CJK punctuation: 、。《》「」
        or 0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF
        or char in "“”‘’…—"
    )


def join_wrapped(left: str, right: str) -> str:
    """Join a line wrapped by layout: no space between CJK, one between Latin words."""
    if not left or not right:
        return left + right
    if is_wide(left[-1]) or is_wide(right[0]):
        return left + right
    return left + " " + right


def cell_text(raw: str) -> str:
    """A table cell's text on one line: wrapped lines joined, whitespace collapsed.

    PDF and HTML pad header cells ("结 果", "项　　目"): a space between two CJK characters is
    layout, not content, so it goes.
    """
    text = ""
    for line in raw.splitlines():
        words = line.split()
        if not words:
            continue
        collapsed = words[0]
        for word in words[1:]:
            both_wide = is_wide(collapsed[-1]) and is_wide(word[0])
            collapsed += word if both_wide else " " + word
        text = join_wrapped(text, collapsed)
    return text
