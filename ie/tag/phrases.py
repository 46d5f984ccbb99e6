"""Where the lexicon's METRIC phrases occur in a text: every occurrence by Aho-Corasick
(pyahocorasick), then the longest non-overlapping ones.

This replaced spaCy's PhraseMatcher over ``spacy.blank("zh")`` (one token per character) with the
same matches: importing spaCy takes 1-2.5 s (thinc pulls in torch), ten times the time a short
report needs. Two rules of that tokenizer are kept so the matches stay the same: one space right
after a character belongs to that character's token, so a phrase matches across it ("依申请 公开");
any other whitespace is a token of its own and breaks a phrase.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import ahocorasick

# A space that ends a token rather than starting one (see the module docstring).
TRAILING_SPACE = re.compile(r"(?<=\S) ")


class PhraseFinder:
    def __init__(self, phrases: Iterable[str]) -> None:
        self._automaton = ahocorasick.Automaton()
        for phrase in phrases:
            self._automaton.add_word(phrase, len(phrase))
        self._automaton.make_automaton()

    def __call__(self, text: str) -> list[tuple[int, int]]:
        """(start, end) offsets into ``text`` of the phrases found, in text order."""
        dropped = {match.start() for match in TRAILING_SPACE.finditer(text)}
        where = [i for i in range(len(text)) if i not in dropped] if dropped else None
        squeezed = TRAILING_SPACE.sub("", text) if dropped else text
        found = [(end + 1 - length, end + 1) for end, length in self._automaton.iter(squeezed)]
        return [(where[s], where[e - 1] + 1) if where else (s, e) for s, e in longest(found)]


def longest(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest spans that do not overlap, earlier first among equals (spaCy's filter_spans)."""
    kept: list[tuple[int, int]] = []
    taken: set[int] = set()
    for start, end in sorted(spans, key=lambda span: (span[0] - span[1], span[0])):
        if taken.isdisjoint(range(start, end)):
            kept.append((start, end))
            taken.update(range(start, end))
    return sorted(kept)
