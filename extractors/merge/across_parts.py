"""The same predicate across type families and modality groups in one story, joined after merging.

Blocking never compares mentions of two type families or two modality groups, so the merge leaves
one event in several entries when its articles type the trigger differently ("shot" a
`military_action` in one article, "the shooting" `legal` in another; "captured" / "arrested") or
tell it as a plan and as a fact ("will host the Oscars" / "hosts the Oscars"). Here an entry joins
such an entry of another part (a type family and a modality group) when both tell the same predicate
(a trigger sense group of `event_senses.yaml`) in one story (`features._stories`), every mention of
both has one of the modalities `same_predicate.across_parts.modalities` lists (asserted and planned:
what "could" or "would" happen, or did not, is no telling of the event), they name a participant
(the story's backdrop aside) or a place in common, and nothing keeps them apart: their dates read from
the text can all hold, no full names disagree, no article reported the event as past before the
other's date began. Families the same-predicate rule leaves out
(statements, markets) are not joined here.

Chaining is what makes such a rule dangerous (one story tells many events with one predicate: two
meetings, two arrests), so three guards bound it:

- **one entry per part**: a joined group never holds two entries of one part, so the merge's own
  decision to keep two entries of a part apart always stands;
- **mutual best**: two groups join only when each is the other's best candidate (most mentions
  telling a shared predicate, then of a shared lemma), round after round;
- **small blocks**: only (sense, story) blocks of at most `across_parts.max_block` entries are
  compared, which also keeps the cost linear in the entries.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from extractors.merge.blocking import _block_keys_of
from extractors.merge.clustering import full_name_keys, full_names_clash, name_keys_of, reported_before_begun
from extractors.merge.dates import NEG_INF, POS_INF, _DateInfo
from extractors.merge.entries import _build_entry
from extractors.merge.prepare import _prepare, _Prepared
from extractors.merge.settings import MergeSettings
from extractors.schema import EventDate, EventMention, TimelineEntry


class _Group:
    """Entries joined so far: their mentions, parts, predicates and what keeps them apart."""

    __slots__ = ("entries", "members", "parts", "senses", "lemmas", "lo", "hi", "cap", "actors", "places", "full", "names")

    def __init__(self, k: int, members: list[int], prepared: Mapping[int, _Prepared]) -> None:
        self.entries = [k]
        self.members = members
        ps = [prepared[i] for i in members]
        self.parts = frozenset((p.family, p.group) for p in ps)
        self.senses = Counter(p.sense for p in ps if p.sense)
        self.lemmas = Counter(p.lemma for p in ps if p.sense)
        binding = [p.date for p in ps if p.date.binding and p.date.dated]
        self.lo = max((d.lo for d in binding), default=NEG_INF)
        self.hi = min((d.hi for d in binding), default=POS_INF)
        self.cap = min(p.date.reported_by for p in ps)
        # Participants (the story's backdrop aside) and places named.
        self.actors = frozenset(k for p in ps for k in _block_keys_of(p.names)[0])
        self.places = frozenset(k for p in ps for k in _block_keys_of(p.places)[0])
        self.full = frozenset().union(*(full_name_keys(p) for p in ps))
        self.names = frozenset().union(*(name_keys_of(p) for p in ps))

    def absorb(self, other: _Group) -> None:
        self.entries += other.entries
        self.members += other.members
        self.parts |= other.parts
        self.senses += other.senses
        self.lemmas += other.lemmas
        self.lo, self.hi, self.cap = max(self.lo, other.lo), min(self.hi, other.hi), min(self.cap, other.cap)
        self.actors |= other.actors
        self.places |= other.places
        self.full |= other.full
        self.names |= other.names


def _apart(a: _Group, b: _Group, window: int) -> bool:
    """Whether anything keeps the two groups apart: the clustering's own vetoes (`clustering.py`), with
    no date conflict allowed, and a participant or place required in common."""
    if not a.parts.isdisjoint(b.parts):
        return True
    lo, hi = max(a.lo, b.lo), min(a.hi, b.hi)
    if lo > hi or reported_before_begun(lo, min(a.cap, b.cap), window):
        return True
    # Who or where: in a story about one company ("Apple will offer a free case" / "Apple gives away free
    # cases"), the backdrop alone says nothing, and the story's other events share its predicates.
    if a.actors.isdisjoint(b.actors) and a.places.isdisjoint(b.places):
        return True
    return full_names_clash(a.full, a.names, b.full, b.names)


def _affinity(a: _Group, b: _Group) -> tuple[int, int]:
    """How strongly two groups tell one predicate: mentions of the shared senses, then of the shared lemmas."""
    return (sum(min(a.senses[x], b.senses[x]) for x in a.senses.keys() & b.senses.keys()),
            sum(min(a.lemmas[x], b.lemmas[x]) for x in a.lemmas.keys() & b.lemmas.keys()))


def join_across_parts(entries: Sequence[TimelineEntry], mentions: Sequence[EventMention], s: MergeSettings,
                      stories: dict[str, int], common: frozenset[tuple[str, ...]] = frozenset(),
                      days: dict[str, int] | None = None) -> list[TimelineEntry]:
    """`entries` (each of one part, of `mentions`) with the entries that tell one predicate in one story
    joined across parts (see the module docstring); a joined entry is built anew from all its mentions,
    so it takes the best-supported date of them all."""
    if not stories or not s.across_modalities:
        return list(entries)
    # Content order, so that ties are broken alike however the parts came back (serial or parallel).
    entries = sorted(entries, key=lambda e: (e.id, [(x.doc_id, x.start, x.end) for x in e.sources]))
    at: dict[tuple[str, int, int, int], list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        at[(m.doc_id, m.sentence_index, m.trigger_start, m.trigger_end)].append(i)
    taken: Counter[tuple[str, int, int, int]] = Counter()
    date_cache: dict[EventDate, tuple[_DateInfo, bool, int, int, int]] = {}
    prepared: dict[int, _Prepared] = {}
    groups: list[_Group] = []
    blocks: dict[tuple[str, int], list[int]] = defaultdict(list)
    for k, entry in enumerate(entries):
        # Each source is one mention (byte-identical duplicates are several sources, taken in turn).
        members = []
        for src in entry.sources:
            key = (src.doc_id, src.sentence_index, src.start, src.end)
            members.append(at[key][taken[key]])
            taken[key] += 1
        if not any(mentions[i].doc_id in stories for i in members) \
                or any(mentions[i].modality not in s.across_modalities for i in members):
            continue
        for i in members:
            if i not in prepared:
                # No wording is compared here, nor read by the entry built (`_build_entry`).
                prepared[i] = _prepare(mentions[i], s, common, date_cache, days, wording=False)
        group = _Group(k, list(members), prepared)
        if not group.senses or len(group.parts) != 1:
            continue
        groups.append(group)
        for sense in group.senses:
            for story in {stories[mentions[i].doc_id] for i in members if mentions[i].doc_id in stories}:
                blocks[(sense, story)].append(len(groups) - 1)
    neighbours: dict[int, set[int]] = defaultdict(set)
    for key in sorted(blocks):
        block = blocks[key]
        if len(block) < 2 or len(block) > s.across_max_block:
            continue
        for x, g in enumerate(block):
            for h in block[x + 1:]:
                if groups[g].parts != groups[h].parts:
                    neighbours[g].add(h)
                    neighbours[h].add(g)
    parent = list(range(len(groups)))

    def root(g: int) -> int:
        while parent[g] != g:
            parent[g] = parent[parent[g]]
            g = parent[g]
        return g

    window = s.conflict_window_days
    while True:
        best: dict[int, int] = {}
        for g in sorted(g for g in neighbours if parent[g] == g):
            candidates = {root(h) for h in neighbours[g]} - {g}
            ranked = [(_affinity(groups[g], groups[h]), -h, h) for h in candidates if not _apart(groups[g], groups[h], window)]
            if ranked:
                best[g] = max(ranked)[2]
        joins = [(g, h) for g, h in best.items() if g < h and best.get(h) == g]
        if not joins:
            break
        for g, h in joins:
            groups[g].absorb(groups[h])
            parent[h] = g
            neighbours[g] |= neighbours.pop(h)
    joined = {root(g) for g in range(len(groups)) if len(groups[root(g)].entries) > 1}
    if not joined:
        return list(entries)
    out = []
    done: set[int] = set()
    for g in sorted(joined):
        group = groups[g]
        done.update(group.entries)
        members = sorted(group.members)
        local = [mentions[i] for i in members]
        # The entry is what its best-dated source tells (its modality too: _build_entry).
        out.append(_build_entry(list(range(len(members))), local, [prepared[i] for i in members], s))
    out.extend(e for k, e in enumerate(entries) if k not in done)
    return out


