"""The model tagger: a trained network (``ie.tag.network``) tags the prose of a report.

The report is cut as ``ie.studio push`` cuts it (``ie.text.chunking``), each chunk read in windows; a
character takes its tag from the window where it stands farthest from an edge. Candidate pairs of
the found entities are scored by the relation head; each head keeps its best-scoring tail per
relation. Table cells stay with the structural reader: its entities and links are kept as the rule
tagger keeps them, and a model entity overlapping one of them is dropped.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import torch

from ie.errors import Errors, InputError
from ie.paths import DEFAULT_MODEL_DIR
from ie.prepared import Prepared
from ie.tag.features import (
    LinkKey,
    SpanKey,
    bio,
    candidate_pairs,
    char_labels,
    char_tokens,
    link_key,
    pair_row,
    rule_tag_ids,
    spans_from_tags,
    tokenize,
)
from ie.tag.heads import BIO_LABELS, MODEL_TYPE, TaggerHeads
from ie.text.chunking import DEFAULT_MAX_CHARS, chunks, windows
from ie.types import Entity, Relation, Span, Tagging


class ModelTagger:
    name = "model"

    def __init__(
        self, model: TaggerHeads, tokenizer, batch_size: int = 16, threads: int = 1
    ) -> None:
        self.model = model.eval()
        self.threads = threads
        self.tokenizer = tokenizer
        # IeTaggerConfig, or the same settings read from config.json (ie.tag.inference)
        self.config = model.config
        self.batch_size = batch_size
        self.window = int(getattr(self.config, "window_chars", 510))
        self.stride = int(getattr(self.config, "window_stride", 384))

    def __call__(self, prepared: Prepared) -> Tagging:
        from ie.prepared import table_entities as tables_as_entities

        document = prepared.document
        # the table cells as the table mapper read them once: prose entities never overlap them
        table_entities, _ = tables_as_entities(prepared)
        rule_spans: list[SpanKey] | None = None
        rule_links: set[LinkKey] = set()
        if self.config.rule_features:
            rule_spans, rule_links = rule_tagging(prepared)
        spans, links = self.tag_text(document.text, rule_spans, rule_links)
        if getattr(self.config, "rule_links_first", False):
            links = _rule_links_first(
                links, rule_links, {(s, e, label) for s, e, label, _ in spans}
            )
        taken = [(e.start, e.end) for e in table_entities]
        entities: dict[SpanKey, Entity] = {}
        for start, end, label, score in spans:
            if not any(start < e and s < end for s, e in taken):
                entities[(start, end, label)] = Entity(
                    Span(start, end, document.text[start:end]), label, round(score, 4)
                )
        relations = [
            Relation(entities[head], entities[tail], label)
            for head, tail, label in links
            if head in entities and tail in entities
        ]
        meta = {"tagger": "model", "model_version": str(self.config.model_version or "")}
        return Tagging(tuple(sorted(entities.values())), tuple(sorted(set(relations))), meta)

    # ------------------------------------------------------------------------------------------

    def tag_text(
        self,
        text: str,
        rule_spans: Sequence[SpanKey] | None = None,
        rule_links: set[LinkKey] | frozenset = frozenset(),
    ) -> tuple[list[tuple[int, int, str, float]], list[tuple[SpanKey, SpanKey, str]]]:
        """Entities (start, end, label, score) and links (head, tail, relation) of ``text``.

        On one thread, the encoder and the pair scoring alike: a small encoder's matrices are too
        small to share out, and on a busy machine a second thread only waits (the pair scoring's
        prefix sums ran 30 times slower on two threads of the shared 2-core machine)."""
        threads = torch.get_num_threads()
        torch.set_num_threads(self.threads)
        try:
            with torch.inference_mode():
                return self._tag_text(text, rule_spans, rule_links)
        finally:
            torch.set_num_threads(threads)

    def _tag_text(self, text, rule_spans, rule_links):
        rule_tags = bio(len(text), rule_spans) if rule_spans is not None else None
        pieces = []  # (chunk, window start, window end) in text offsets
        for chunk in chunks(text, DEFAULT_MAX_CHARS):
            for start, end in windows(chunk.end - chunk.start, self.window, self.stride):
                pieces.append((chunk, chunk.start + start, chunk.start + end))
        encoded = [self._encode(text[s:e], rule_tags[s:e] if rule_tags else None)
                   for _, s, e in pieces]  # fmt: skip
        hidden, probabilities = self._run(encoded)
        found_spans: list[tuple[int, int, str, float]] = []
        found_links: list[tuple[SpanKey, SpanKey, str]] = []
        by_chunk: dict[int, list[int]] = {}
        for index, (chunk, _, _) in enumerate(pieces):
            by_chunk.setdefault(chunk.start, []).append(index)
        for members in by_chunk.values():
            chunk = pieces[members[0]][0]
            spans, scores = self._chunk_spans(text, chunk, members, pieces, encoded, probabilities)
            found_spans += [(s + chunk.start, e + chunk.start, label, scores[(s, e, label)])
                            for s, e, label in spans]  # fmt: skip
            found_links += self._chunk_links(
                chunk.start, spans, members, pieces, encoded, hidden, rule_links
            )
        return found_spans, found_links

    def _encode(self, window_text: str, rule_tags: list[str] | None) -> dict[str, list]:
        encoded = tokenize(self.tokenizer, window_text, self.window + 2)
        if rule_tags is not None:
            encoded["rule_tags"] = rule_tag_ids(encoded["offsets"], rule_tags)
        encoded["owner"] = char_tokens(encoded["offsets"], len(window_text))
        return encoded

    @torch.inference_mode()
    def _run(self, encoded: list[dict[str, list]]) -> tuple[list, list]:
        """Hidden states and label probabilities of every window, in batches of similar length."""
        order = sorted(range(len(encoded)), key=lambda i: len(encoded[i]["input_ids"]))
        hidden: list = [None] * len(encoded)
        probabilities: list = [None] * len(encoded)
        pad = self.tokenizer.pad_token_id or 0
        for first in range(0, len(order), self.batch_size):
            batch = order[first : first + self.batch_size]
            width = max(len(encoded[i]["input_ids"]) for i in batch)
            ids = torch.full((len(batch), width), pad, dtype=torch.long)
            mask = torch.zeros((len(batch), width), dtype=torch.long)
            rules = torch.zeros((len(batch), width), dtype=torch.long)
            for row, i in enumerate(batch):
                n = len(encoded[i]["input_ids"])
                ids[row, :n] = torch.tensor(encoded[i]["input_ids"])
                mask[row, :n] = 1
                if "rule_tags" in encoded[i]:
                    rules[row, :n] = torch.tensor(encoded[i]["rule_tags"])
            rules = rules if self.config.rule_features else None
            states = self.model.encode(ids, mask, rules)
            probs = self.model.label_logits(states, rules).softmax(-1)
            for row, i in enumerate(batch):
                n = len(encoded[i]["input_ids"])
                hidden[i] = states[row, :n]
                probabilities[i] = probs[row, :n]
        return hidden, probabilities

    def _chunk_spans(self, text, chunk, members, pieces, encoded, probabilities):
        """A chunk's entities (chunk offsets) and their scores (the least sure character's)."""
        length = chunk.end - chunk.start
        tags = ["O"] * length
        confidence = [1.0] * length
        margin = [-1] * length
        for index in members:
            _, start, end = pieces[index]
            best, label_ids = probabilities[index].max(-1)
            label_ids = self._gated(label_ids, best, encoded[index].get("rule_tags"))
            labels = [BIO_LABELS[int(i)] for i in label_ids]
            window_tags = char_labels(encoded[index]["offsets"], labels, end - start)
            owner = encoded[index]["owner"]
            for position in range(end - start):
                here = min(position, end - start - 1 - position)
                at = start - chunk.start + position
                if here > margin[at]:
                    margin[at] = here
                    tags[at] = window_tags[position]
                    token = owner[position]
                    confidence[at] = float(best[token]) if token >= 0 else 1.0
        spans = spans_from_tags(chunk.text, tags)
        scores = {span: min(confidence[span[0] : span[1]]) for span in spans}
        return spans, scores

    def _gated(self, label_ids, best, rule_tags):
        """Where the model overrules the rule tagger less surely than ``rule_override_threshold``
        (chosen on dev), the rule tag stands: the model corrects the rules only where it is sure."""
        threshold = float(getattr(self.config, "rule_override_threshold", 0.0) or 0.0)
        if not threshold or rule_tags is None:
            return label_ids
        rules = torch.tensor(rule_tags) - 1
        unsure = (rules >= 0) & (label_ids != rules) & (best < threshold)
        return torch.where(unsure, rules, label_ids)

    def _chunk_links(self, offset, spans, members, pieces, encoded, hidden, rule_links):
        candidates = candidate_pairs(spans, self.config.max_pair_distance)
        rows: dict[int, list[tuple[list[int], tuple]]] = {}
        for h, t, relation in candidates:
            head, tail = spans[h], spans[t]
            for index in members:
                _, start, end = pieces[index]
                low, high = start - offset, end - offset
                if low <= min(head[0], tail[0]) and max(head[1], tail[1]) <= high:
                    shift = lambda s: (s[0] - low, s[1] - low, s[2])  # noqa: B023
                    document_key = link_key(
                        _shifted(head, offset), _shifted(tail, offset), relation
                    )
                    flag = (1 + (document_key in rule_links)) if self.config.rule_features else 0
                    row = pair_row(
                        shift(head), shift(tail), relation, encoded[index]["owner"], flag
                    )
                    if row is not None:
                        rows.setdefault(index, []).append((row, (h, t, relation)))
                    break
        best: dict[tuple[int, str], tuple[float, int]] = {}
        threshold = self.config.link_threshold  # the config's default (0.5) for older models
        with torch.inference_mode():
            for index, items in rows.items():
                pairs = torch.tensor([row for row, _ in items], dtype=torch.long)[None]
                scores = self.model.score_pairs(hidden[index][None], pairs)[0].sigmoid()
                for (_, (h, t, relation)), score in zip(items, scores.tolist()):
                    if score >= threshold and score > best.get((h, relation), (0.0, -1))[0]:
                        best[(h, relation)] = (score, t)
        return [(_shifted(spans[h], offset), _shifted(spans[t], offset), relation)
                for (h, relation), (_, t) in sorted(best.items())]  # fmt: skip


def _rule_links_first(
    links: list[tuple[SpanKey, SpanKey, str]], rule_links: set[LinkKey], spans: set[SpanKey]
) -> list[tuple[SpanKey, SpanKey, str]]:
    """The hybrid: a head the rule tagger links (between entities the model also found) keeps the
    rule's link; the model links the heads the rules leave alone."""
    by_position = {(s, e): (s, e, label) for s, e, label in spans}
    chosen: dict[tuple[SpanKey, str], SpanKey] = {}
    for hs, he, ts, te, relation in sorted(rule_links):
        head, tail = by_position.get((hs, he)), by_position.get((ts, te))
        if head is not None and tail is not None:
            chosen.setdefault((head, relation), tail)
    for head, tail, relation in links:
        chosen.setdefault((head, relation), tail)
    return [(head, tail, relation) for (head, relation), tail in sorted(chosen.items())]


def _shifted(span: SpanKey, offset: int) -> SpanKey:
    return span[0] + offset, span[1] + offset, span[2]


def rule_tagging(prepared: Prepared) -> tuple[list[SpanKey], set[LinkKey]]:
    """The rule tagger's spans and links over the whole report, table rows included: the model's
    extra input when it was trained with them."""
    from ie.prepared import with_tables
    from ie.tag.rules import tag

    tagging = with_tables(prepared, tag(prepared))
    spans = _non_overlapping([(e.start, e.end, e.label) for e in tagging.entities])
    links = {
        link_key((r.head.start, r.head.end, r.head.label), (r.tail.start, r.tail.end, r.tail.label),
                 r.label)
        for r in tagging.relations
    }  # fmt: skip
    return spans, links


def _non_overlapping(spans: list[SpanKey]) -> list[SpanKey]:
    kept: list[SpanKey] = []
    for span in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def load_tagger(model_dir: str | Path | None = None) -> ModelTagger:
    """The model in ``model_dir`` (default: the shipped one); an error of one line when the folder
    is missing or holds no ie model."""
    path = Path(model_dir) if model_dir else DEFAULT_MODEL_DIR
    if not path.exists():
        raise InputError(Errors.E011.format(path=path))
    config_file = path / "config.json"
    if not path.is_dir() or not config_file.is_file():
        raise InputError(Errors.E040.format(path=path, reason="no config.json"))
    try:
        config = json.loads(config_file.read_text(encoding="utf-8"))
        model_type = config.get("model_type")
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, AttributeError) as error:
        raise InputError(Errors.E040.format(path=path, reason=f"config.json: {error}")) from None
    if model_type != MODEL_TYPE:
        raise InputError(
            Errors.E040.format(path=path, reason=f"model_type {model_type!r}, not ie-tagger")
        )
    try:
        model, tokenizer = _load_network(path, config)
    except (OSError, ValueError, RuntimeError, KeyError, TypeError) as error:
        raise InputError(Errors.E040.format(path=path, reason=_first_line(error))) from None
    # A damaged weights or tokenizer file (safetensors' SafetensorError, torch's unpickling and
    # zip errors, the tokenizers' own Exception): the folder is an ie model that cannot load.
    except Exception as error:  # noqa: BLE001
        reason = f"{type(error).__name__}: {_first_line(error)}"
        raise InputError(Errors.E087.format(path=path, reason=reason)) from None
    return ModelTagger(model, tokenizer)


def _load_network(path: Path, config: dict) -> tuple[TaggerHeads, object]:
    """A plain BERT encoder loads without transformers (``ie.tag.inference``: the start-up of a
    one-report run); any other encoder through transformers' classes."""
    from ie.tag import inference

    encoder = config.get("encoder")
    if isinstance(encoder, dict) and inference.supports(encoder):
        return inference.load(path, config)
    from transformers import AutoTokenizer
    from transformers.utils import logging as hf_logging

    from ie.tag.network import IeTaggerModel

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    return IeTaggerModel.from_pretrained(path), AutoTokenizer.from_pretrained(path)


def _first_line(error: BaseException) -> str:
    """The error's whole message on one line: transformers' messages run over several lines ("…
    from one of: \n- …"), and the first alone is cut mid-sentence."""
    text = " ".join(str(error).split())
    return text or type(error).__name__
