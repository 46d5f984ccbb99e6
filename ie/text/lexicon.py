"""configs/metrics.yaml → the METRIC phrases of report prose and the fields they name."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from ie.paths import CONFIGS
from ie.text.row_labels import label_score, may_score_normalized, normalize_label

# How close wording the lexicon lacks must be to one of its phrases to name that phrase's field.
CLOSE_ENOUGH = 0.85

METRICS_PATH = CONFIGS / "metrics.yaml"


@dataclass(frozen=True)
class MetricEntry:
    phrases: tuple[str, ...]
    fields: dict[str, str]  # vintage → field id
    context: dict[str, str]  # family → field id, for phrases whose field depends on context
    family: str = ""
    # vintage → the field of this row's year-on-year change (2019's 表二 本年增/减): a count of
    # 行政许可事项 has no field of its own there, its change against the year before has
    changes: dict[str, str] = field(default_factory=dict)

    def field_for(self, vintage: str, family: str | None) -> str | None:
        if self.context:
            return self.context.get(family or "")
        return self.fields.get(vintage)


@dataclass(frozen=True)
class ZeroRule:
    keywords: tuple[str, ...]
    fields: dict[str, tuple[str, ...]]  # vintage → field ids
    only_alone: bool = False
    # words that, in the window, say the keyword is about something else: 收费 in
    # 行政事业性收费 counts fee items (2019's 表二), not the fees of requests
    unless: tuple[str, ...] = ()
    # words of which one must stand right before the negation, where they say what the zero is of:
    # 上年 in "上年无结转申请"
    before: tuple[str, ...] = ()
    # also said to be none after the keyword: "行政诉讼也没有发生" (normalize._zero_said_after)
    said_after: bool = False


# Phrases that name a year where the lexicon's phrase says "the next year": "结转2021年继续办理",
# "转入2020年继续办理", "结转至2021年" are the requests carried forward (a year after 结转, 转入 or
# 转至; "2022年结转的3件", the year first, is what was carried over from it).
YEAR_NAMED = re.compile(r"(?:结转|转入|转至|转到)(?:至|到)?\s*(?:19|20)\d{2}\s*年度?(?:继续)?(?:办理)?")
_YEAR_NAMED_AS = "结转下年度继续办理"


def year_named(phrase: str) -> str | None:
    """The lexicon phrase a phrase with a year in it stands for, or None."""
    return _YEAR_NAMED_AS if YEAR_NAMED.fullmatch(phrase) else None


@dataclass(frozen=True)
class Lexicon:
    metrics: tuple[MetricEntry, ...]
    by_phrase: dict[str, MetricEntry]
    zero_window: int
    zero_rules: tuple[ZeroRule, ...]
    # entry() of wording the lexicon lacks compares it with every phrase: once per wording
    _closest: dict[str, MetricEntry | None] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    # each phrase normalized and its characters counted, once: what may_score needs of it
    _counted: list[tuple[str, MetricEntry, str, Counter[str], _Naming]] = field(
        default_factory=list, init=False, repr=False, compare=False
    )
    # the phrases that open a family, and one pattern for all of them (longest first), once
    _family_phrases: dict[str, str] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _family_pattern: list[re.Pattern[str]] = field(
        default_factory=list, init=False, repr=False, compare=False
    )

    def entry(self, phrase: str) -> MetricEntry | None:
        """The entry a METRIC phrase names: its own, else the closest phrase's when close enough
        (a tagger may mark wording the lexicon lacks: "门户网站公开政府信息数")."""
        phrase = year_named(phrase) or phrase
        exact = self.by_phrase.get(phrase)
        if exact is not None:
            return exact
        if phrase not in self._closest:
            self._closest[phrase] = self._closest_entry(phrase)
        return self._closest[phrase]

    def _closest_entry(self, phrase: str) -> MetricEntry | None:
        # among equals the longer phrase, then the one printed first: "门户网站公开政府信息数" is
        # the portal's count (门户网站公开), not the total (公开政府信息)
        # (a phrase that cannot reach CLOSE_ENOUGH cannot be chosen: it is not scored)
        if not self._counted:
            self._counted.extend(
                (p, e, normalize_label(p), Counter(normalize_label(p)), _Naming.of(p, e))
                for p, e in self.by_phrase.items()
            )
        wording = normalize_label(phrase)
        counts = Counter(wording)
        polarity, channel = _polarity(wording), bool(_CHANNEL_WORD.search(wording))
        scored = [
            ((label_score(phrase, p), len(p), -_position(phrase, p)), e)
            for p, e, normalized, phrase_counts, naming in self._counted
            if naming.allows(wording, polarity, channel)
            and may_score_normalized(wording, counts, normalized, phrase_counts, CLOSE_ENOUGH)
        ]
        best = max(scored, key=lambda item: item[0], default=((0.0,), None))
        return best[1] if best[0][0] >= CLOSE_ENOUGH else None

    def family_mentions(self, text: str) -> list[tuple[int, str]]:
        """Where ``text`` prints a phrase that opens a family, and the family: (start, family)."""
        if not self._family_phrases:
            self._family_phrases.update(
                (p, e.family) for p, e in self.by_phrase.items() if e.family
            )
            longest_first = sorted(self._family_phrases, key=len, reverse=True)
            self._family_pattern.append(re.compile("|".join(map(re.escape, longest_first))))
        return [
            (match.start(), self._family_phrases[match.group()])
            for match in self._family_pattern[0].finditer(text)
        ]

    def phrase_end(self, phrase: str) -> int:
        """Where the last lexicon phrase inside ``phrase`` ends (its length when it is one, 0
        when it holds none, so that all its words are judged): "门户网站公开政府信息数" → 6,
        after 门户网站公开; "“西山发布”微信和微博分别受理咨询" → 0."""
        if phrase in self.by_phrase:
            return len(phrase)
        ends = [phrase.rfind(p) + len(p) for p in self.by_phrase if p in phrase]
        return max(ends, default=0)


# Characters that turn a phrase into its opposite: 结转上年度 is not 结转下年度, 不予公开 not
# 予以公开, however close the rest. Wording close to a phrase names its field only with the same ones.
_POLAR = frozenset("上下不未无非")


# A channel's count is named by its channel: wording that names none ("涉及政府信息公开的41件") is
# never close enough to a channel's phrase ("政府信息公开网站"), however many characters they share.
_CHANNEL_WORD = re.compile(r"网站|门户|网页|专栏|栏目|微博|微信|公众号|公报|其[他它]")


# What a phrase counts is its last word (Chinese puts the head noun last): wording that lacks it
# ("政府信息公开" against "政府信息公开申请") does not say what it counts, however close otherwise.
_COUNT_SUFFIX = re.compile(r"(?:数量|条数|件数|总数|数)$")


def _head(phrase: str) -> str:
    return _COUNT_SUFFIX.sub("", phrase)[-2:]


def _names_a_channel(entry: MetricEntry) -> bool:
    fields = set(entry.fields.values())
    return bool(fields) and all(f.startswith("active.channel.") for f in fields)


def may_name(wording: str, phrase: str, entry: MetricEntry) -> bool:
    """Whether ``wording`` (as ``normalize_label`` gives it) may take ``phrase``'s field at all,
    however close it scores: the same polarity, the phrase's head noun, and a channel where the
    phrase counts a channel's items."""
    return _Naming.of(phrase, entry).allows(
        wording, _polarity(wording), bool(_CHANNEL_WORD.search(wording))
    )


@dataclass(frozen=True)
class _Naming:
    """What wording must have to take a phrase's field (``may_name``), worked out once a phrase."""

    polarity: frozenset[str]
    head: str
    channel: bool  # the phrase counts a channel's items

    @classmethod
    def of(cls, phrase: str, entry: MetricEntry) -> _Naming:
        return cls(_polarity(normalize_label(phrase)), _head(phrase), _names_a_channel(entry))

    def allows(self, wording: str, polarity: frozenset[str], channel: bool) -> bool:
        """``polarity`` and ``channel``: the wording's own, worked out once for all phrases."""
        return self.polarity == polarity and self.head in wording and (channel or not self.channel)


def _polarity(wording: str) -> frozenset[str]:
    return _POLAR.intersection(wording)


def _position(text: str, phrase: str) -> int:
    found = text.find(phrase)
    return found if found >= 0 else len(text)


def _punctuation_variants(phrase: str) -> set[str]:
    """Pages print the official wording with full- or half-width commas and quotes alike."""
    half = phrase.replace("，", ",").replace("“", '"').replace("”", '"')
    return {phrase, phrase.replace("，", ","), half}


def _per_vintage(item: dict) -> dict[str, str]:
    if "field" in item:
        return {v: item["field"] for v in ("2008", "2019", "2021")}
    return {str(k): v for k, v in item.get("fields", {}).items()}


@lru_cache(maxsize=2)
def read_metrics_config(path: Path = METRICS_PATH) -> dict:
    """configs/metrics.yaml as parsed, once per process: the lexicon and the breakdowns
    (ie.facts.breakdowns) both read it. Callers only read what it returns."""
    # libyaml's loader when PyYAML has it: the same result, five times faster than the pure one
    return yaml.load(
        path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    )


@lru_cache(maxsize=2)
def load_lexicon(path: Path = METRICS_PATH) -> Lexicon:
    raw = read_metrics_config(path)
    metrics = tuple(
        MetricEntry(tuple(item["phrases"]), _per_vintage(item), dict(item.get("context", {})),
                    item.get("family", ""), {str(k): v for k, v in item.get("changes", {}).items()})
        for item in raw["metrics"]
    )  # fmt: skip
    by_phrase: dict[str, MetricEntry] = {}
    for entry in metrics:
        for phrase in entry.phrases:
            for variant in _punctuation_variants(phrase):
                by_phrase.setdefault(variant, entry)
    zero = raw["zero_statements"]
    rules = []
    for item in zero["rules"]:
        fields = {v: (f,) for v, f in _per_vintage(item).items()}
        rules.append(ZeroRule(tuple(item["keywords"]), fields, bool(item.get("only_alone")),
                              tuple(item.get("unless", ())), tuple(item.get("before", ())),
                              bool(item.get("said_after"))))  # fmt: skip
    return Lexicon(metrics, by_phrase, int(zero["window"]), tuple(rules))
