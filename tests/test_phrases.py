"""The METRIC phrase finder (pyahocorasick) finds what spaCy's PhraseMatcher over spacy.blank("zh")
found before it, on real reports and on the same reports with the spacing pages have: a space
inside a phrase ("依申请 公开"), two spaces, a line break."""

from __future__ import annotations

from ie.read import find_reports, read
from ie.tag.phrases import PhraseFinder, longest
from ie.tag.rules import lexicon_matches
from ie.text.lexicon import load_lexicon
from tests.helpers import CORPUS, SEEDS, SHARED, needs, open_documents, shared_file

SPACINGS = [
    lambda text: text,
    lambda text: text.replace("申请", "申 请").replace("公开", "公开 "),
    lambda text: text.replace("政府", "政  府 "),
    lambda text: text.replace("信息", "信\n息"),
    lambda text: text.replace("行政", " 行\u3000政"),
]


def test_phrases_match_spacy_phrase_matcher() -> None:
    spacy = needs("spacy")
    from spacy.matcher import PhraseMatcher
    from spacy.util import filter_spans

    nlp = spacy.blank("zh")
    matcher = PhraseMatcher(nlp.vocab)
    matcher.add("METRIC", [nlp.make_doc(p) for p in sorted(load_lexicon().by_phrase)])
    shared_file("corpus/v2008/2008-01.txt")
    allowed = {str(SHARED / document) for document in open_documents()}  # train and dev
    documents = [
        read(path)
        for path in find_reports([str(CORPUS / "v2008"), str(CORPUS / "v2021"), str(SEEDS)])
        if str(path) in allowed
    ]
    assert len(documents) >= 50
    compared = 0
    for document in documents:
        for spacing in SPACINGS:
            text = spacing(document.text)
            doc = nlp.make_doc(text)
            spans = filter_spans([doc[start:end] for _, start, end in matcher(doc)])
            expected = [(s.start_char, s.end_char) for s in spans]
            assert lexicon_matches(text) == expected
            compared += len(expected)
    assert compared > 1000


def test_longest_phrases_win_then_the_earlier() -> None:
    finder = PhraseFinder(["申请", "公开申请", "申请数", "依申请公开"])
    text = "收到依申请公开申请数"
    # 依申请公开 (2-7) is longest; 公开申请 (5-9) overlaps it; 申请数 (7-10) fits after it.
    assert finder(text) == [(2, 7), (7, 10)]
    assert longest([(0, 2), (1, 3)]) == [(0, 2)]


def test_wording_close_to_a_phrase_must_name_what_it_counts() -> None:
    # Wording the lexicon lacks takes the closest phrase's field only where it keeps that phrase's
    # head noun (what is counted) and, for a channel's count, names a channel: "政府信息公开" (the
    # topic of 41 review cases) is not "政府信息公开网站"
    lexicon = load_lexicon()
    entry = lexicon.entry("政府信息公开")
    assert entry is None or not any(f.startswith("active.channel.") for f in entry.fields.values())
    portal = lexicon.entry("门户网站公开政府信息数")  # close to 门户网站公开, with its channel
    assert portal is not None and portal.fields["2019"] == "active.channel.website"
