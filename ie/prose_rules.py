"""The judgement calls of annotations/FACTS.md ("Prose: judgement calls") that depend on a number's
sentence, kept apart from the normalizer's mechanics so each rule reads next to its example.

- A count stated through one channel is that channel's figure, not the total:
  通过政府网站主动公开政府信息304条 → active.channel.website 304 only.
- A count of accounts is not a count of items: 开通微信公众号3个 is not active.channel.wechat.
- A category's count is not the total: 共主动公开政策性文件12份 is not active.total.
- A figure of an earlier year is not the year's: 上一年度主动公开…18条 (上年度结转 is this year's row).
- Items published on a platform are not decisions: 信用公示平台发布行政许可信息76条 is not
  disclosure.license.decisions (nor penalty/coercion decisions).
"""

from __future__ import annotations

import re

# Channel words, by the field they name; 网站 covers 门户网站, 政府网站, 信息公开网站, 入口网站.
CHANNELS: dict[str, re.Pattern[str]] = {
    "active.channel.website": re.compile(r"网站|门户|网页"),
    "active.channel.weibo": re.compile(r"微博"),
    "active.channel.wechat": re.compile(r"微信|公众号"),
    "active.channel.gazette": re.compile(r"政府公报|公报"),
}
_OTHER_CHANNELS = re.compile(
    r"报刊|杂志|报纸|新媒体|媒体|电视|广播|客户端|APP|公开栏(?!目)|公示栏(?!目)|等方式|等渠道|多种|多渠道"
)
_BREAKDOWN = re.compile(r"其中|包括|分别")
# Stated through a channel: 通过/依托/在/利用 … the channel, or the channel as the subject that
# publishes (市政府网站主动公开…), in the number's clause or the one before.
_THROUGH = re.compile(
    r"(?:通过|依托|在|利用|借助|经由)[^。；;，,]{0,20}?(?:网站|门户|微博|微信|公众号|公报)"
    r"|(?:网站|门户|微博|微信|公众号)上?\s*(?:共|累计)?\s*(?:主动)?(?:公开|发布|公布|推送|刊发|更新)"
)
# The thing counted, right before the number, when it is a kind of document rather than 信息.
_CATEGORY = re.compile(r"(?:文件|通知|公告|简报|稿件|图解|视频)[共计为有达\s]*$")
_ACCOUNT_UNITS = {"个", "家"}
_PLATFORM = re.compile(r"平台|公示|网站|系统")
# An earlier year named anywhere before the number in its sentence; 上年(度)结转 is this report's row.
_EARLIER_YEAR = re.compile(r"去年|上一?年度?(?!度|结转)")
_DECISION_FIELDS = re.compile(r"^disclosure\.(?:license|penalty|coercion)\.decisions$")


def channel_of_total(before: str) -> str | None:
    """The one channel a total-looking count is stated through, from the sentence before the
    number (up to a 其中, which starts a breakdown); None when no channel or several are named."""
    breakdown = list(_BREAKDOWN.finditer(before))
    if breakdown:
        before = before[breakdown[-1].end() :]
    before = "，".join(re.split(r"[，,]", before)[-2:])
    through = [m.group() for m in _THROUGH.finditer(before)]
    if not through:
        return None
    named = [field for field, pattern in CHANNELS.items() if pattern.search(before)]
    if _OTHER_CHANNELS.search(before):
        return None  # 通过部门网站、报刊杂志、新媒体等方式: several channels, the total
    return named[0] if len(named) == 1 else None


def rejection(field_id: str, unit: str, between: str, sentence: str) -> str:
    """Why the number after ``between`` (the words from its METRIC phrase to it) in ``sentence``
    is not ``field_id``'s figure; "" when it is."""
    if _EARLIER_YEAR.search(sentence):
        return "a figure of an earlier year"
    if field_id.startswith("active.channel.") and unit in _ACCOUNT_UNITS:
        return "a count of accounts or columns, not of items published"
    if field_id == "active.total" and _CATEGORY.search(between):
        return "a category's count, not the total"
    if (
        _DECISION_FIELDS.match(field_id)
        and _PLATFORM.search(sentence)
        and "信息" in between + sentence[-12:]
    ):
        return "items published on a platform, not decisions"
    return ""
