"""One sense per collection: a predicate the extractor left untyped takes the type its sense has elsewhere.

Whether a trigger gets a type depends on its sentence: "checked into rehab" is `health`, "she checked
in on Thursday" names no facility and stays `other`; "the arrest" is `legal` in one article and
untyped in another. Blocking compares mentions only within a type family, so such an untyped mention
never meets the typed tellings of its own event. Across the collection a predicate keeps one sense
(the "one sense per discourse" of word-sense disambiguation), so an untyped mention takes the type
most of the typed mentions of its sense group have, when at least `untyped_min_typed` of them are
typed and that type holds more than `untyped_min_share` of them (a tie proves nothing). Only verbal
predicates (a mention with a tense) are retyped: a verb's type depends on its arguments ("checked in"
/ "checked into rehab"), while a noun is left untyped on purpose when it modifies another ("the
iPhone 4 *return* rate" is no trip). Typed mentions keep their type: "kill" is `force` in a raid and
`legal` in a verdict, and those stay apart.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Iterable

from extractors.event_lexicon import OTHER_TYPE
from extractors.merge.settings import MergeSettings
from extractors.schema import EventMention


def typed_by_sense(mentions: Iterable[EventMention], s: MergeSettings) -> list[EventMention]:
    """`mentions`, the untyped ones given the type their sense group has in the collection (see module)."""
    mentions = list(mentions)
    if s.untyped_min_typed <= 0:
        return mentions
    def sense(m: EventMention) -> str:
        return s.sense_key(m.trigger_lemma.casefold())

    types: dict[str, Counter[str]] = defaultdict(Counter)
    for m in mentions:
        if m.type != OTHER_TYPE:
            types[sense(m)][m.type] += 1
    chosen: dict[str, str] = {}
    for key, counts in types.items():
        total = sum(counts.values())
        best, n = min(counts.items(), key=lambda item: (-item[1], item[0]))
        if total >= s.untyped_min_typed and n > s.untyped_min_share * total:
            chosen[key] = best
    return [dataclasses.replace(m, type=chosen[key])
            if m.type == OTHER_TYPE and m.tense is not None and (key := sense(m)) in chosen else m
            for m in mentions]
