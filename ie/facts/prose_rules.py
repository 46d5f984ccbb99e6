"""The judgement calls of annotations/FACTS.md ("Prose: judgement calls") that depend on a number's
sentence, kept apart from the normalizer's mechanics so each rule reads next to its example.

- A count stated through one channel is that channel's figure, not the total:
  通过政府网站主动公开政府信息304条 → active.channel.website 304 only. A column (专栏, 栏目) is
  the website's: 通过政府信息公开专栏主动公开… is the website's count; a platform (平台) alone names
  no channel, so 通过网上服务平台主动公开…196条 is the total.
- Channels listed with their counts respectively (县政府门户网站、县政府公报和县政务微博全年公开政府
  信息分别为2480条、56条和720条) each take their own count.
- A count of accounts is not a count of items: 开通微信公众号3个 is not active.channel.wechat;
  nor is what a channel receives (通过局门户网站受理咨询投诉505件), nor a count over several
  channels together (微博、微信发布稿件1362条); one through a channel no field takes
  (政务新媒体公开政府信息8227条) is not the total.
- A category's count is not the total: 共主动公开政策性文件12份 is not active.total.
- A figure of an earlier year is not the year's: 上一年度主动公开…18条 (上年度结转 is this year's row).
- Items published on a platform are not decisions: 信用公示平台发布行政许可信息76条 is not
  disclosure.license.decisions (nor penalty/coercion decisions).
- Reviews an agency decides as the reviewing body (作为复议机关共收到行政复议申请96件) are not the
  appeals against its disclosure (review.*).
- A column word alone belongs to the document row named before it in its sentence:
  制发行政规范性文件9件，废止3件，现行有效45件 → …normative.repealed 3, …normative.in_force 45.
- A change against the year before is a fact only where the vintage has a change field for it
  (2019's 表二 本年增/减): 行政许可事项13项，比2019年减少3项 → disclosure.license.change −3; so is
  the year before's figure of such a row: 行政许可事项上一年为52项 → …license.prev_items 52.
"""

from __future__ import annotations

import re
from collections.abc import Container

from ie.text.conventions import (
    CLAUSE_ENDS,
    COMMAS,
    OPEN_PARENTHESIS,
    SENTENCE_MARKS,
    mark_class,
)

# Channel words, by the field they name; 网站 covers 门户网站, 政府网站, 信息公开网站, 入口网站.
CHANNELS: dict[str, re.Pattern[str]] = {
    # a column (专栏, 栏目) named with no other medium is the website's (FACTS.md)
    "active.channel.website": re.compile(r"网站|门户|网页|专栏|栏目"),
    "active.channel.weibo": re.compile(r"微博"),
    "active.channel.wechat": re.compile(r"微信|公众号"),
    "active.channel.gazette": re.compile(r"政府公报|公报"),
    "active.channel.other": re.compile(r"其[他它](?:渠道|方式|平台|途径)"),
    # channels no field takes: a count stated through one of them alone is no field's figure
    "": re.compile(r"新媒体|客户端|APP|报刊|杂志|报纸|电视|广播|公开栏(?!目)|公示栏(?!目)"),
}
_SEVERAL = re.compile(r"等方式|等渠道|等平台|多种|多渠道")
_BREAKDOWN = re.compile(r"其中|包括|分别")
# Stated through a channel: 通过/依托/在/利用 … the channel, or the channel as the subject that
# publishes (市政府网站主动公开…), in the number's clause or the one before.
# within one clause of the sentence (a line break does not end it here)
_NO_CLAUSE_END = mark_class(SENTENCE_MARKS + COMMAS, negated=True)
_CHANNEL_WORD = (
    r"(?:网站|门户|网页|专栏|栏目|微博|微信|公众号|公报|新媒体|客户端|APP|其[他它](?:渠道|方式|平台|途径))"
)
_THROUGH = re.compile(
    rf"(?:通过|依托|在|利用|借助|经由){_NO_CLAUSE_END}{{0,20}}?{_CHANNEL_WORD}"
    rf"|{_CHANNEL_WORD}(?:[“\"][^”\"]{{1,12}}[”\"])?上?\s*(?:共|累计)?\s*(?:主动)?"
    r"(?:公开|发布|公布|推送|刊发|更新)"
)
# A count already stated: what comes after it in the sentence is about something else.
_COUNT = re.compile(r"\d[\d.,，]*\s*(?:万|余|多)?\s*(?:条|件|个|篇|项|次|期|份|人|场|万元|元)")
# The thing counted, right before the number, when it is a kind of document rather than 信息.
_CATEGORY = re.compile(r"(?:文件|规章|事项|通知|公告|简报|稿件|图解|视频)[共计为有达\s]*$")
ACCOUNT_UNITS = {"个", "家"}  # a count in these counts accounts or columns, not items
# What a channel does besides publishing: 通过局门户网站受理咨询投诉505件 counts no items published,
# 通过县政府门户网站依申请公开栏目提交45件 counts requests made through it.
_NOT_PUBLISHING = re.compile(
    r"受理|咨询|投诉|留言|访问|浏览|点击|回复|答复|办件|办理|订阅|粉丝|关注|提交|提出|(?<!依)申请"
)
_PLATFORM = re.compile(r"平台|公示|网站|系统")
# An earlier year named anywhere before the number in its sentence; 上年(度)结转 and 结转上年度 are
# this report's carried-over row.
_EARLIER_YEAR = re.compile(r"去年|(?<!结转)上一?年度?(?!度|结转)")
# A comparison with the earlier year (比上年增长28.8%, 较上年, 与上年相比) or its figure stated in
# passing (行政处罚事项上一年为312项, （上年为3件）) speaks of that year in its own clause only.
_IN_PASSING = re.compile(r"(?:比|较|与|同)$")
_STATED_IN_PASSING = re.compile(r"^[^，,；;。]*?为")
_CLAUSE_END = re.compile(mark_class(CLAUSE_ENDS))
_CUMULATIVE = re.compile(r"累计|累积")
# A change against another year, ending right before its number: 比2019年减少3项, 较上年度增加,
# 同比减少. Which year (group "year") decides whether it is the report's own change.
_LAST_YEAR = r"上一?年度?|去年"
_YEAR_ON_YEAR = re.compile(
    rf"(?:(?:比|较)(?P<year>{_LAST_YEAR}|(?:19|20)\d{{2}}\s*年度?)(?:同期)?|同比|本年度?)\s*"
    r"(?P<verb>增加|增长|新增|增|多|减少|下降|减|少)了?\s*$"
)
# The year before's figure of a row, right before its number: 行政许可事项上一年为52项.
_PREVIOUS_FIGURE = re.compile(rf"(?:{_LAST_YEAR})(?:为|是|有|共有?|共计)?\s*$")
_FEWER = ("减少", "下降", "减", "少")
# An agency that decides reviews (作为复议机关共收到行政复议申请96件, 受理以县人民政府为复议机关的…,
# 受理各类行政复议申请48件) counts others' appeals.
_AS_REVIEWER = re.compile(r"(?:作为|以[^，,。；;]{0,12}为)(?:行政)?复议机关|受理各类行政复议")
_DECISION_FIELDS = re.compile(r"^disclosure\.(?:license|penalty|coercion)\.decisions$")


# Words that name one column of 表二's document rows (规章, 规范性文件) without naming the row, with
# the column's key in each vintage that has it (2019 made, 2021 issued).
_DOCUMENT_COLUMNS = {
    "废止": ("repealed",),
    "现行有效": ("in_force",),
    "新制定": ("made", "issued"),
    "制定": ("made", "issued"),
    "制发": ("made", "issued"),
    "新制发": ("made", "issued"),
    "印发": ("made", "issued"),
    "新制作": ("made", "issued"),
    "新公开": ("published",),
    "对外公开总数": ("in_force",),
}
# The row is the document kind the sentence named last before the column word.
_DOCUMENT_KIND = re.compile(r"规范性文件|规章")


def document_columns(wording: str) -> tuple[str, ...]:
    """The column keys a bare column word may name ("废止", "含新制定", "现行有效的"), else ()."""
    word = wording.removeprefix("含").removesuffix("的").removesuffix("件数").strip()
    return _DOCUMENT_COLUMNS.get(word, ())


def document_row(before: str) -> str | None:
    """The document row the words before a column word name last: "disclosure.normative" for
    "…制发行政规范性文件9件，", "disclosure.rules" for "主动公开市政府规章13件(", else None."""
    kinds = _DOCUMENT_KIND.findall(before)
    if not kinds:
        return None
    return "disclosure.normative" if kinds[-1] == "规范性文件" else "disclosure.rules"


def previous_year_figure(before: str) -> bool:
    """Whether ``before`` (a number's clause up to it) says the number is the year before's."""
    return bool(_PREVIOUS_FIGURE.search(before))


def year_on_year(before: str, report_year: int | None) -> int | None:
    """+1 or -1 where ``before`` (a number's clause up to it) ends in a change against the year
    before the report's (比上年减少, 较2019年增加 in a 2020 report, 同比增长, 本年增加), else None: a change
    against another year, or in a report of unknown year, is no change of the report's."""
    found = _YEAR_ON_YEAR.search(before)
    if found is None:
        return None
    year = found.group("year") or ""
    named = re.match(r"(?:19|20)\d{2}", year)
    if named and (report_year is None or int(named.group()) != report_year - 1):
        return None
    return -1 if found.group("verb") in _FEWER else 1


def _earlier_year_governs(sentence: str) -> bool:
    """Whether an earlier year named in ``sentence`` (up to a number) is the number's year: named
    in the number's own clause, or named outside a comparison and a parenthesis ("上一年度，我局
    …主动公开…18条")."""
    clauses = list(_CLAUSE_END.finditer(sentence))
    own_clause = clauses[-1].end() if clauses else 0
    for match in _EARLIER_YEAR.finditer(sentence):
        if match.start() >= own_clause:
            return True
        if _IN_PASSING.search(sentence[: match.start()]):
            continue  # 比上年增长28.8%，其中…
        if _STATED_IN_PASSING.match(sentence[match.end() :]):
            continue  # 行政处罚事项上一年为312项，全年作出…
        opened = sentence.rfind("（", 0, match.start()), sentence.rfind("(", 0, match.start())
        closed = sentence.rfind("）", 0, len(sentence)), sentence.rfind(")", 0, len(sentence))
        if max(opened) >= 0 and max(closed) > max(opened):
            continue  # （上年为3件）
        return True
    return False


def _since_last_count(sentence: str) -> str:
    """The words that belong to the number ending ``sentence``: after the last count or 其中."""
    ends = [m.end() for pattern in (_COUNT, _BREAKDOWN) for m in pattern.finditer(sentence)]
    return sentence[max(ends) :] if ends else sentence


def channels_named(text: str) -> list[str]:
    return [field for field, pattern in CHANNELS.items() if pattern.search(text)]


def channel_of_total(before: str) -> str | None:
    """The one channel a total-looking count is stated through, from the sentence before the
    number (up to a 其中, which starts a breakdown): its field, "" for a channel no field takes,
    None when no channel or several are named (then the count is the total)."""
    return _one_channel(_channel_words(before))


def _one_channel(words: str) -> str | None:
    if not _THROUGH.search(words) or _SEVERAL.search(words):
        return None
    named = channels_named(words)
    return named[0] if len(named) == 1 else None


def _channel_words(before: str) -> str:
    """The words that may name the channel of the count ending ``before``: its clause, and the
    clause before while that states no count of its own, after the last 其中."""
    breakdown = list(_BREAKDOWN.finditer(before))
    if breakdown:
        before = before[breakdown[-1].end() :]
    clauses = re.split(r"[，,]", before)
    # the clause before counts only while it states no count of its own
    return (
        "，".join(clauses[-2:])
        if len(clauses) > 1 and not _COUNT.search(clauses[-2])
        else clauses[-1]
    )


# A count in an open parenthesis (conventions.OPEN_PARENTHESIS), or after another count in its
# clause (an item of a list), is a part of another figure: "公开信息共471条(其中“两化”专题专栏公开
# 信息135条)", "门户网站政务发布新闻34907条、…、公开栏目公开信息1103条".


# Wording too bare to name the year's total: 发布信息, 公开信息 with no 主动, 政府 or 各类, 推送信息,
# or the verb alone after its channel ("镇政府网页公开150条", "政务微信推送82条") (FACTS.md).
_BARE_WORDING = re.compile(r"(?:(?:公开|发布|公布)了?|推送(?:政务|政府)?)信息$|推送$|公开$|发布$")


# A request's outcome said with its reason before it ("因街道不掌握相关信息无法提供3件", "因涉及
# 第三方合法权益不予公开一件", "申请人逾期不补正、街道不再处理1件"): the reason's own row where the
# vintage prints one (2019/2021 表三's sub-rows), as the reason's words said alone would be.
_REASONS: dict[str, tuple[tuple[re.Pattern[str], str], ...]] = {
    "requests.unable.total": (
        (re.compile(r"不掌握|不属于[^，,。；;]{0,8}掌握|不由[^，,。；;]{0,8}掌握|非本机关掌握"
                    r"|由[^，,。；;]{2,14}(?:掌握|保管|保存)"),
         "requests.unable.not_held.total"),
        (re.compile(r"另行制作|没有现成"), "requests.unable.need_create.total"),
        (re.compile(r"内容不明确|仍不明确"), "requests.unable.unclear.total"),
    ),
    "requests.denied.total": (
        (re.compile(r"第三方合法权益"), "requests.denied.third_party.total"),
        (re.compile(r"国家秘密"), "requests.denied.state_secret.total"),
        (re.compile(r"过程性信息"), "requests.denied.process.total"),
        (re.compile(r"内部事务"), "requests.denied.internal.total"),
        (re.compile(r"行政执法案卷"), "requests.denied.case_file.total"),
        (re.compile(r"行政查询"), "requests.denied.query.total"),
    ),
    "requests.rejected.total": (
        (re.compile(r"信访|举报投诉|投诉举报"), "requests.rejected.petition.total"),
        (re.compile(r"重复申请"), "requests.rejected.repeat.total"),
        (re.compile(r"公开出版物"), "requests.rejected.publication.total"),
        (re.compile(r"大量[、和]?反复"), "requests.rejected.massive.total"),
        (re.compile(r"重新出具"), "requests.rejected.confirm.total"),
    ),
    "requests.other.total": (
        (re.compile(r"不补正|未补正"), "requests.other.no_amend.total"),
        (re.compile(r"未缴纳|未按收费通知|逾期未缴"), "requests.other.unpaid.total"),
    ),
}


def outcome_by_reason(field_id: str, own_words: str, fields: Container[str]) -> str:
    """``field_id`` refined to the row of the one reason its own words give (the words of the
    number's clause since the count before it), where the vintage has that row; else unchanged."""
    found = {row for pattern, row in _REASONS.get(field_id, ()) if pattern.search(own_words)}
    row = found.pop() if len(found) == 1 else None
    return row if row is not None and row in fields else field_id


# "其中市政府主要负责同志参加在线访谈2次": what the leaders took part in, which 2008 counts in rows
# of its own and later vintages not at all.
_BY_LEADERS = re.compile(r"负责同志|主要负责人|主要领导")
_LEADER_ROWS = ("response.press_conferences", "response.online_interviews")


def by_leaders(field_id: str, sentence: str, fields: Container[str]) -> str | None:
    """``field_id``'s row of what the leaders took part in, where the number's clause in
    ``sentence`` says they did: that row where the vintage has it, else None (no field's figure);
    ``field_id`` where the clause names no leaders."""
    if field_id not in _LEADER_ROWS or not _BY_LEADERS.search(_last_clause(sentence)):
        return field_id
    row = f"{field_id}.by_leaders"
    return row if row in fields else None


def own_words(sentence: str) -> str:
    """The words that belong to the number ending ``sentence`` within its clause (a list's item,
    not the list): ``_since_last_count`` of the clause."""
    return _since_last_count(_last_clause(sentence))


def _last_clause(sentence: str) -> str:
    return _CLAUSE_END.split(sentence)[-1]


def bare_wording(metric: str) -> bool:
    """Whether a METRIC's words end in wording too bare to name the total ("…专栏发布信息")."""
    return bool(_BARE_WORDING.search(metric))


def bare_channel(before: str) -> str | None:
    """The field of a count in wording too bare to name the total by itself ("在县政府网站乡镇专栏
    发布信息219条"): the one channel named with it (``channel_of_total``), or the total where it
    names several (FACTS.md: several channels are the total), where the count is no part of
    another figure; else None (no field)."""
    if OPEN_PARENTHESIS.search(before):
        return None
    clause = _last_clause(before)
    if _COUNT.search(clause):
        return _listed_channel(clause)
    words = _channel_words(before)
    if not _THROUGH.search(words):
        return None
    named = channels_named(words)
    if named == ["active.channel.other", ""]:
        return "active.channel.other"  # 通过报刊、广播电视等其他方式: the other ways, by example
    if len(named) > 1:
        return "active.total"  # 通过镇政府网页、村级公开栏和镇政务微信公开信息305条: several
    # one channel named (``_one_channel``, its _THROUGH and its names already worked out here)
    return None if _SEVERAL.search(words) or not named else named[0] or None


def _listed_channel(clause: str) -> str | None:
    """ "其中街道政务微信发布118条、区政府网站街道栏目发布156条": an item of a breakdown by channel
    that names its own channel, one no item before it names, is that channel's count; items that
    name the same channel ("门户网站政务发布新闻34907条、…、公开栏目公开信息1103条") are parts of
    its count, no field's figure."""
    opened = clause.rfind("其中")
    if opened < 0:
        return None
    *earlier, own = _COUNT.split(clause[opened + 2 :])
    named = channels_named(own)
    before = {field for item in earlier for field in channels_named(item)}
    if len(named) != 1 or not named[0] or not before or named[0] in before:
        return None
    return named[0]


_LIST_ITEM = re.compile(r"[、和及与]|以及")
_PUBLISHED = re.compile(r"公开|发布|推送|刊发|更新|刊登")


def channel_list(listed: str, verb: str) -> list[tuple[str, str]] | None:
    """The channel fields of a list of channels that publish respectively ("县政府门户网站、县政府
    公报和县政务微博全年公开政府信息分别为…", "省政府微博和省政府微信分别发布…"): ``listed`` is its
    clause up to 分别, ``verb`` the words from 分别 to the first number. Each item's words and its
    field, where every item names exactly one channel a field takes and the words say items were
    published; else None."""
    words = listed + verb
    if not _PUBLISHED.search(words) or _NOT_PUBLISHING.search(words):
        return None
    items = [item for item in _LIST_ITEM.split(listed) if item.strip()]
    if len(items) < 2:
        return None
    fields = []
    for item in items:
        named = channels_named(item)
        if len(named) != 1 or not named[0]:
            return None
        fields.append((item.strip(), named[0]))
    return fields


SEVERAL_CHANNELS = "a count over several channels together"


def rejection(field_id: str, unit: str, between: str, sentence: str) -> str:
    """Why the number after ``between`` (the words from its METRIC phrase to it) in ``sentence``
    is not ``field_id``'s figure; "" when it is."""
    if _earlier_year_governs(sentence):
        return "a figure of an earlier year"
    own = _since_last_count(sentence)
    if _CUMULATIVE.search(own) and _COUNT.search(sentence[: len(sentence) - len(own)]):
        return "cumulative over years"  # 新增…4126条，…，累计公开9665条: the year's came first
    if field_id.startswith("active.channel."):
        if unit in ACCOUNT_UNITS:
            return "a count of accounts or columns, not of items published"
        if _NOT_PUBLISHING.search(between):
            return "not a count of items published"
        if len([c for c in channels_named(own) if c]) > 1:
            return SEVERAL_CHANNELS  # 微博、微信发布稿件1362条
    if field_id == "active.total":
        listing = list(re.finditer(r"包括", sentence))
        if listing and _COUNT.search(sentence[listing[-1].end() :]):
            return "a category's count, not the total"  # 主要包括部门动态477条、…、财政预算决算2条
        if _CATEGORY.search(between):
            return "a category's count, not the total"
        if channel_of_total(sentence) == "":
            return "stated through a channel no field takes"  # 政务新媒体公开政府信息8227条
    if field_id.startswith("review.") and _AS_REVIEWER.search(sentence):
        return "reviews the agency decided as the reviewing body, not appeals against it"
    if (
        _DECISION_FIELDS.match(field_id)
        and _PLATFORM.search(sentence)
        and "信息" in between + sentence[-12:]
    ):
        return "items published on a platform, not decisions"
    return ""
