"""A group's statement is its official's: an entry of statements whose subject is a group or an
institution ("US officials have warned ...", "the Biden administration issued a warning ...") joins
the entry of the same statement by a person the same article names in full ("National security
adviser Jake Sullivan said on Tuesday ..."), after merging. Rules and examples:
`resources/group_statements.yaml`."""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from extractors.merge.dates import _compatible, _date_info
from extractors.merge.participants import name_tokens
from extractors.merge.prepare import _prepare, _Prepared
from extractors.merge.same_sentence import joined_entry
from extractors.merge.settings import MergeSettings
from extractors.resources import load_yaml
from extractors.schema import EventMention, TimelineEntry

_WORD = re.compile(r"\w+")
# Quotation marks that open and close a quotation; a lone ’ is an apostrophe ("North Korea’s").
_QUOTE = re.compile(r"“([^”]+)”|\"([^\"]+)\"")


class GroupStatementsError(ValueError):
    """resources/group_statements.yaml is malformed."""


@dataclass(frozen=True)
class GroupStatementRules:
    min_text: float
    min_quote_words: int
    examples: tuple[tuple[dict[str, Any], dict[str, Any], bool], ...]  # (group's mention, person's, joined)


@functools.lru_cache(maxsize=1)
def load_group_rules() -> GroupStatementRules:
    raw = load_yaml("group_statements.yaml")
    if not isinstance(raw, dict) or set(raw) - {"min_text", "min_quote_words", "examples"}:
        raise GroupStatementsError("group_statements.yaml: keys are min_text, min_quote_words, examples")
    min_text, min_words = raw.get("min_text"), raw.get("min_quote_words")
    if not isinstance(min_text, (int, float)) or not 0.0 < min_text <= 1.0:
        raise GroupStatementsError(f"group_statements.yaml: min_text {min_text!r} is not in (0, 1]")
    if not isinstance(min_words, int) or min_words < 1:
        raise GroupStatementsError(f"group_statements.yaml: min_quote_words {min_words!r} is not a positive integer")
    examples = []
    for ex in raw.get("examples") or ():
        if not isinstance(ex, dict) or not {"a", "b", "merged"} <= set(ex) or not all(
                isinstance(ex[k], dict) and isinstance(ex[k].get("summary"), str) for k in ("a", "b")):
            raise GroupStatementsError(f"group_statements.yaml: bad example {ex!r}")
        examples.append((ex["a"], ex["b"], bool(ex["merged"])))
    return GroupStatementRules(float(min_text), min_words, tuple(examples))


def join_group_statements(entries: Sequence[TimelineEntry], mentions: Sequence[EventMention], s: MergeSettings,
                          rules: GroupStatementRules | None = None) -> list[TimelineEntry]:
    """`entries` (of `mentions`) with each group's statement joined to the one entry of its official's
    statement it agrees with (see the module docstring); linear in the statements of the articles
    that hold a group's statement."""
    if not any(m.group_speaker for m in mentions):
        return list(entries)
    r = rules or load_group_rules()
    ordered = sorted(entries, key=lambda e: e.id)
    mention_at: dict[tuple[str, int, int, int], list[EventMention]] = defaultdict(list)
    for m in mentions:
        mention_at[(m.doc_id, m.sentence_index, m.trigger_start, m.trigger_end)].append(m)

    def statements_of(entry: TimelineEntry) -> list[EventMention]:
        found = [m for src in entry.sources for m in mention_at[(src.doc_id, src.sentence_index, src.start, src.end)]]
        return [m for m in found if s.families.get(m.type, m.type) in s.speaker_families]

    group_entries: list[tuple[int, list[EventMention]]] = []
    people_by_doc: dict[str, list[tuple[int, EventMention]]] = defaultdict(list)
    for k, entry in enumerate(ordered):
        if s.families.get(entry.type, entry.type) not in s.speaker_families:
            continue
        said = statements_of(entry)
        if said and all(m.group_speaker for m in said):
            group_entries.append((k, said))
        for m in said:
            if _person_speaker(m, s):
                people_by_doc[m.doc_id].append((k, m))
    if not group_entries:
        return list(entries)
    prepared: dict[int, _Prepared] = {}

    def prepare(m: EventMention) -> _Prepared:
        p = prepared.get(id(m))
        if p is None:
            p = prepared[id(m)] = _prepare(m, s)
        return p

    lead_of: dict[int, int] = {}
    for k, said in group_entries:
        group_date = _date_info(ordered[k].date, s.basis_weights)
        matched = {j for g in said for j, n in people_by_doc.get(g.doc_id, ())
                   if j != k and _compatible(group_date, _date_info(ordered[j].date, s.basis_weights))
                   and _same_statement(g, n, prepare(g), prepare(n), r, s)}
        if len(matched) == 1:
            lead_of[k] = matched.pop()
    if not lead_of:
        return list(entries)
    joined: dict[int, list[int]] = defaultdict(list)
    for k, j in lead_of.items():  # j holds a person's statement, so it is never a group's entry itself
        joined[j].append(k)
    out = [e for k, e in enumerate(ordered) if k not in lead_of and k not in joined]
    out.extend(joined_entry(ordered[j], [ordered[j], *(ordered[k] for k in sorted(members))], s)
               for j, members in joined.items())
    return out


def _person_speaker(m: EventMention, s: MergeSettings) -> bool:
    """Whether one person named in full speaks ("Jake Sullivan"; not "US", not a body)."""
    if m.group_speaker or not m.actors:
        return False
    tokens = name_tokens(m.actors[0], s.name_titles)
    return len(tokens) >= 2 and not tokens[0].startswith("#")


def _same_statement(g: EventMention, n: EventMention, pg: _Prepared, pn: _Prepared, r: GroupStatementRules,
                    s: MergeSettings) -> bool:
    """Whether a group's mention `g` and a person's mention `n` of one article tell one statement."""
    if not _compatible(pg.date, pn.date):
        return False
    if g.sentence_index == n.sentence_index and n.clause_start <= g.trigger_start < n.clause_end:
        return False  # what the official said the group did ("Sullivan reiterated that the US has urged")
    if pg.text and pn.text and fuzz.ratio(pg.text, pn.text) / 100.0 >= r.min_text:
        return True
    return _quoted_in(g.summary, n.sentence, r.min_quote_words) or _quoted_in(n.summary, g.sentence, r.min_quote_words)


def _quoted_in(clause: str, sentence: str, min_words: int) -> bool:
    """Whether a quotation of at least `min_words` words in `clause` is found, word for word, in `sentence`."""
    said = f" {' '.join(_WORD.findall(sentence.casefold()))} "
    for match in _QUOTE.finditer(clause):
        words = _WORD.findall((match.group(1) or match.group(2)).casefold())
        if len(words) >= min_words and f" {' '.join(words)} " in said:
            return True
    return False

