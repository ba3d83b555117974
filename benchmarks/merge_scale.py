"""Time `merge_mentions` on synthetic collections of up to 100,000 event mentions.

The mentions are synthesized deterministically (fixed seed) to look like a news collection:
stories (a cast of people, places, words of their own, a few days to months) told by a
Zipf-distributed number of articles (most by one, some by dozens), each article reporting a few of
its story's events, the story's main event in most of them; events of one story share its people
and words and often a trigger (the look-alikes to keep apart), each reported in varied wording
(dropped and reordered words, synonyms), with name variants ("Kim Jong-un" / "Kim Jong Un" / "Kim"
/ "President Kim Jong Un"), hot actors that appear everywhere ("Russia"), dates of every kind
(explicit days, relative days a few of which are off by a day or two, months, years, tense-only,
none), some planned/negated modality, and wording drawn Zipf-wise from a 2,000-word vocabulary
(real words plus made-up ones). One speaker's statements in one story fall on different days (what
one speaker says on one day is one statement, as the merge defines it).
Because every mention knows the event it came from, the table also reports B-cubed precision,
recall and F1 of the merge against that truth, and the merge's peak resident memory above its input.

Run: .venv/bin/python benchmarks/merge_scale.py [--sizes 1000 10000 100000] [--seed 7]
Target: 100,000 mentions in under 30 s on the project machine.
"""

from __future__ import annotations

import argparse
import bisect
import calendar
import dataclasses
import datetime as dt
import itertools
import os
import random
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractors.merge import merge_mentions  # noqa: E402
from extractors.schema import EventDate, EventMention  # noqa: E402

TYPES = {  # type: (weight, trigger lemmas)
    "statement": (30, ["say", "tell", "announce", "state", "claim"]),
    "warning": (8, ["warn", "urge", "threaten"]),
    "meeting": (10, ["meet", "summit", "host"]),
    "visit": (7, ["visit", "travel", "arrive"]),
    "sanction": (4, ["impose", "sanction"]),
    "negotiation": (5, ["negotiate", "discuss"]),
    "agreement": (5, ["sign", "agree"]),
    "transfer": (6, ["supply", "deliver", "sell"]),
    "military_action": (10, ["attack", "strike", "fire"]),
    "test_launch": (4, ["launch", "test"]),
    "appointment": (3, ["appoint", "name"]),
    "retirement": (2, ["retire", "resign"]),
    "legal": (6, ["sue", "charge", "rule"]),
}
STATEMENT_TYPES = {"statement", "warning"}  # merge.yaml's statement family: who said it on which day
SYNONYMS = {"weapons": "arms", "missile": "rocket", "talks": "negotiations", "deal": "agreement", "troops": "forces",
            "attack": "strike", "supplying": "providing", "mistake": "error", "capital": "city", "border": "frontier"}
WORDS = ("weapons missile talks deal troops attack supplying mistake capital border sanctions nuclear program "
         "ammunition satellite technology submarine artillery shells food aid factory summit leaders ministers "
         "parliament election court ruling company shares market oil gas pipeline port harbour airport bridge "
         "refugees aid convoy hospital school drone tank fighter jets navy coast guard island strait treaty "
         "embassy ambassador spy hacker network bank loan debt inflation budget tax reform protest police "
         "strike workers union vaccine outbreak flood storm earthquake wildfire drought harvest grain exports").split()
FIRST = ["Kim", "Vladimir", "Kamala", "Jake", "Sergei", "Sydney", "John", "Anwar", "Narendra", "Xi", "Fumio", "Yoon",
         "Antony", "Lloyd", "Olaf", "Emmanuel", "Rishi", "Volodymyr", "Dmitry", "Maria", "Wang", "Lee", "Park", "Choi",
         "Ana", "Luis", "Pedro", "Ali", "Omar", "Fatima", "Hans", "Ingrid", "Pierre", "Giorgia", "Pedro", "Recep",
         "Benjamin", "Joe", "Donald", "Nancy", "Mitch", "Chuck", "Kevin", "Ursula", "Charles", "Jens", "Ban", "Tedros"]
MIDDLE = ["", "", "", "Jong", "Yo", "Min", "Jae", "Hyun"]
LAST = ["Putin", "Harris", "Sullivan", "Shoigu", "Seiler", "Kirby", "Ibrahim", "Modi", "Jinping", "Kishida", "Suk",
        "Blinken", "Austin", "Scholz", "Macron", "Sunak", "Zelensky", "Peskov", "Zakharova", "Yi", "Un", "Hoon",
        "Silva", "Garcia", "Lopez", "Hassan", "Rahman", "Muller", "Larsen", "Dubois", "Meloni", "Erdogan",
        "Netanyahu", "Biden", "Trump", "Pelosi", "McConnell", "Schumer", "McCarthy", "Leyen", "Stoltenberg", "Ki"]
PLACES = ["Russia", "North Korea", "South Korea", "United States", "Washington", "Moscow", "Pyongyang", "Seoul",
          "China", "Japan", "Ukraine", "Kyiv", "European Union", "NATO", "UN", "Iran", "Israel", "Gaza", "India",
          "Indonesia", "Jakarta", "Germany", "France", "Britain", "Turkey", "Brazil", "Mexico", "Canada"]
START, END = dt.date(2018, 1, 1), dt.date(2024, 12, 31)
MAX_STORY_ARTICLES = 60
ARTICLE_SENTENCES, SENTENCE_CHARS = 40, 400  # an article's sentences, characters a sentence spans
_SYLLABLES = ["ka", "ro", "mi", "ten", "sul", "var", "do", "pe", "lin", "ost", "bra", "ce", "nu", "gal", "ir", "to"]


def _vocabulary(rng: random.Random, size: int = 2000) -> list[str]:
    """WORDS plus made-up content words: summaries of a news collection draw on thousands of words."""
    extra = sorted({"".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(size * 2)})
    rng.shuffle(extra)
    return list(WORDS) + [w for w in extra if w not in WORDS][: size - len(WORDS)]


def _zipf_choice(rng: random.Random, items: list, s: float = 1.0):  # type: ignore[type-arg]
    """An item by Zipf rank: the first is the most frequent (about 1 / H(n, s) of draws)."""
    weights = _ZIPF.setdefault((len(items), s), list(itertools.accumulate(1.0 / (k + 1) ** s for k in range(len(items)))))
    return items[bisect.bisect(weights, rng.random() * weights[-1])]


_ZIPF: dict[tuple[int, float], list[float]] = {}


def _people(rng: random.Random, n: int) -> list[tuple[str, str, str]]:
    seen: set[tuple[str, str, str]] = set()
    out: list[tuple[str, str, str]] = []
    while len(out) < n:
        p = (rng.choice(FIRST), rng.choice(MIDDLE), rng.choice(LAST) + ("" if rng.random() < 0.5 else rng.choice("aeiou") + "v"))
        if p not in seen:
            seen.add(p)
            out.append(p)
    return out


def _variant(rng: random.Random, person: tuple[str, str, str]) -> str:
    first, middle, last = person
    full = " ".join(x for x in (first, middle, last) if x)
    r = rng.random()
    if r < 0.45:
        return full
    if r < 0.6 and middle:
        return f"{first} {middle}-{last.lower()}"
    if r < 0.75:
        return last if not middle else first  # surname: last for Western names, first for Korean ones
    if r < 0.9:
        return f"President {full}"
    return f"{full}'s"


def _date(rng: random.Random, day: dt.date) -> EventDate:
    r = rng.random()
    if r < 0.42:
        return EventDate(value=day.isoformat(), start=day, end=day, granularity="day", basis="explicit")
    if r < 0.62:
        if rng.random() < 0.04:  # a misresolved weekday: the source that disagrees
            day = day + dt.timedelta(days=rng.choice((-2, -1, 1, 2)))
        return EventDate(value=day.isoformat(), start=day, end=day, granularity="day", basis="relative")
    if r < 0.72:
        last = calendar.monthrange(day.year, day.month)[1]
        return EventDate(value=f"{day.year}-{day.month:02d}", start=day.replace(day=1), end=day.replace(day=last),
                         granularity="month", basis="relative")
    if r < 0.76:
        return EventDate(value=str(day.year), start=dt.date(day.year, 1, 1), end=dt.date(day.year, 12, 31),
                         granularity="year", basis="explicit")
    if r < 0.88:
        published = day + dt.timedelta(days=rng.randint(0, 60))
        return EventDate(value="PAST_REF", end=published, granularity="ref", basis="tense")
    return EventDate()


@dataclasses.dataclass(frozen=True)
class _Story:
    """What the articles of one story share: its cast, its places, its own words and its weeks."""

    cast: tuple[tuple[str, str, str], ...]
    places: tuple[str, ...]
    topic: tuple[str, ...]
    first_day: dt.date
    days: int


def _story(rng: random.Random, people: list[tuple[str, str, str]], vocabulary: list[str], span: int) -> _Story:
    cast = tuple(dict.fromkeys(_zipf_choice(rng, people, 0.9) for _ in range(rng.randint(1, 4))))
    places = tuple(dict.fromkeys(_zipf_choice(rng, PLACES, 0.8) for _ in range(rng.randint(1, 2))))
    # A story's own words (a name, a place, a thing only it is about) are what tells its articles
    # from the others': drawn uniformly, not Zipf-wise, so that they are rare in the collection.
    topic = tuple(rng.sample(vocabulary, rng.randint(3, 6)))
    days = min(int(rng.paretovariate(0.8) * 5), 365)  # most stories last days or weeks, a few months
    return _Story(cast, places, topic, START + dt.timedelta(days=rng.randrange(span)), days)


def _story_event(rng: random.Random, story: _Story, people: list[tuple[str, str, str]], vocabulary: list[str],
                 occasions: set[tuple[tuple[str, str, str], dt.date]]
                 ) -> tuple[str, str, list[tuple[str, str, str]], list[str], list[str], dt.date, str]:
    """(type, trigger lemma, cast, places, words, day, modality) of one event of `story`: its
    participants mostly the story's, a word or two of the story's own among its words.

    `occasions`: the (speaker, day) of the story's statements so far. What one speaker says on one
    day is one statement (an interview, a briefing: issue 15's "one event per real event"), so a
    new statement of a speaker falls on another day of the story, or, when the speaker has spoken on
    every day of it, is another speaker's."""
    type_ = rng.choices(list(TYPES), [weight for weight, _ in TYPES.values()])[0]
    lemma = rng.choice(TYPES[type_][1])

    def participant() -> tuple[str, str, str]:
        return rng.choice(story.cast) if rng.random() < 0.8 else _zipf_choice(rng, people, 0.9)

    cast = list(dict.fromkeys([participant()] + ([participant()] if rng.random() < 0.3 else [])))
    places = [rng.choice(story.places)] if rng.random() < 0.7 else []
    words = rng.sample(story.topic, rng.randint(1, 3)) + [_zipf_choice(rng, vocabulary, 0.8)
                                                          for _ in range(rng.randint(3, 6))]
    day = story.first_day + dt.timedelta(days=rng.randrange(story.days + 1))
    if type_ in STATEMENT_TYPES:
        for _ in range(story.days + 1):
            if (cast[0], day) not in occasions:
                break
            day = story.first_day + dt.timedelta(days=rng.randrange(story.days + 1))
        while (cast[0], day) in occasions or cast[0] in cast[1:]:  # spoken on every day: another speaks
            cast[0] = _zipf_choice(rng, people, 0.9)
        occasions.add((cast[0], day))
    modality = rng.choices(["asserted", "planned", "possible", "negated"], [85, 6, 5, 4])[0]
    return type_, lemma, cast, places, list(dict.fromkeys(words)), day, modality


def synthesize(n: int, seed: int) -> list[tuple[EventMention, int]]:
    """n mentions, each with the id of the synthetic event it reports.

    The collection is made of stories (a cast, places, words of its own, a few days to months). A
    story is told by a Zipf-distributed number of articles (most by one, some by dozens), and each of
    its articles reports a few of its events, drawn Zipf-wise (the story's main event in most of its
    articles, lesser ones in a few). An article tells one story, as in news, so the merge's story
    clustering (`features._stories`) finds stories here as it does in a news collection. Events of
    one story share its participants and some of its words, and often a trigger: the look-alikes
    the merge must keep apart by names and dates."""
    rng = random.Random(seed)
    people = _people(rng, 3000)
    vocabulary = _vocabulary(rng)
    span = (END - START).days
    out: list[tuple[EventMention, int]] = []
    first_event = 0
    for story_number in itertools.count():
        if len(out) >= n:
            break
        story = _story(rng, people, vocabulary, span)
        articles = min(int(rng.paretovariate(1.0)), MAX_STORY_ARTICLES)
        occasions: set[tuple[tuple[str, str, str], dt.date]] = set()
        events = [_story_event(rng, story, people, vocabulary, occasions) for _ in range(rng.randint(1, 2 + articles))]
        for article in range(articles):
            doc = f"doc{story_number:06d}-{article:03d}"
            told = _zipf_sample(rng, len(events), min(len(events), rng.randint(2, 8)))
            # Each in a sentence of its own: mentions of one sentence are one sentence's text, and
            # what one sentence tells is the same-sentence join's to decide (same_sentence.py).
            for k, sentence in zip(told, rng.sample(range(ARTICLE_SENTENCES), len(told)), strict=True):
                if len(out) < n:
                    out.append((_mention(rng, doc, sentence, *events[k]), first_event + k))
        first_event += len(events)
    return out


def _zipf_sample(rng: random.Random, n: int, k: int) -> list[int]:
    """k distinct indices of range(n), the first the likeliest (weights 1 / rank; Efraimidis-Spirakis)."""
    keys = [rng.random() ** (rank + 1) for rank in range(n)]  # u ** (1 / weight)
    return sorted(range(n), key=keys.__getitem__, reverse=True)[:k]


def _mention(rng: random.Random, doc: str, sentence: int, type_: str, lemma: str, cast: list[tuple[str, str, str]],
             places: list[str], words: list[str], day: dt.date, modality: str) -> EventMention:
    """One article's report of an event: its words partly reworded, dropped or reordered, its
    participants by name variants, its date at some granularity (or none)."""
    ws = [SYNONYMS.get(w, w) if rng.random() < 0.3 else w for w in words]
    if len(ws) > 3 and rng.random() < 0.5:
        ws.pop(rng.randrange(len(ws)))
    if rng.random() < 0.3:
        rng.shuffle(ws)
    actors = tuple(_variant(rng, p) for p in cast) + (tuple(places) if rng.random() < 0.5 else ())
    if rng.random() < 0.08:
        actors = ()
    names = " and ".join(actors[:1])
    summary = f"{names} {lemma} {' '.join(ws)}".strip()
    pos = sentence * SENTENCE_CHARS + rng.randrange(SENTENCE_CHARS - len(summary) - 1)
    return EventMention(
        doc_id=doc, sentence_index=sentence, sentence=summary + ".", trigger=lemma, trigger_lemma=lemma,
        trigger_start=pos, trigger_end=pos + len(lemma), clause_start=pos, clause_end=pos + len(summary),
        type=type_, summary=summary, actors=actors, locations=tuple(places), modality=modality,  # type: ignore[arg-type]
        date=_date(rng, day), confidence=round(rng.uniform(0.4, 0.9), 2),
    )


def b_cubed(truth: list[int], predicted: list[int]) -> tuple[float, float, float]:
    pair = Counter(zip(truth, predicted, strict=True))
    gold_size, pred_size = Counter(truth), Counter(predicted)
    p = sum(c * c / pred_size[pr] for (_, pr), c in pair.items()) / len(truth)
    r = sum(c * c / gold_size[g] for (g, _), c in pair.items()) / len(truth)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def run(n: int, seed: int, learned: bool = False
        ) -> tuple[int, int, int, float, float, float | None, tuple[float, float, float]]:
    """(mentions, events, entries, wall s, CPU s, peak MB of the merge above its input, B-cubed P/R/F1)."""
    from extractors.merge import load_settings

    data = synthesize(n, seed)
    mentions = [m for m, _ in data]
    settings = dataclasses.replace(load_settings(), learned_scorer=True) if learned else None
    with _PeakResidentMemory() as memory:
        started, cpu_started = time.perf_counter(), time.process_time()
        entries = merge_mentions(mentions, settings=settings)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    entry_of = {(s.doc_id, s.start, s.sentence_index, s.sentence): k for k, e in enumerate(entries) for s in e.sources}
    predicted = [entry_of[(m.doc_id, m.trigger_start, m.sentence_index, m.sentence)] for m in mentions]
    truth = [e for _, e in data]
    return n, len(set(truth)), len(entries), elapsed, cpu, memory.peak_mb, b_cubed(truth, predicted)


class _PeakResidentMemory:
    """The process's peak resident memory inside the `with` block above what it held on entry, in MB,
    sampled every 50 ms by a thread (Linux /proc; None elsewhere). The merge's arrays are numpy's and
    its tables Python's: tracemalloc would see only part of them and slow the merge down."""

    def __enter__(self) -> _PeakResidentMemory:
        self.peak_mb: float | None = None
        self._start = self._peak = _resident_bytes()
        self._done = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()
        return self

    def _sample(self) -> None:
        while not self._done.wait(0.05):
            now = _resident_bytes()
            if now is not None and self._peak is not None:
                self._peak = max(self._peak, now)

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._sampler.join()
        end = _resident_bytes()
        if self._start is not None and self._peak is not None and end is not None:
            self.peak_mb = (max(self._peak, end) - self._start) / 2**20


def _resident_bytes() -> int | None:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--learned", action="store_true", help="merge with the learned scorer (merge.yaml learned_scorer: true)")
    args = parser.parse_args()
    # Wall time is what the target is about; CPU time shows how much of it was waiting for a
    # shared machine.
    print(f"{'mentions':>9} {'events':>7} {'entries':>8} {'wall s':>7} {'cpu s':>6} {'peak MB':>8} {'B3 P':>6} {'B3 R':>6} "
          f"{'B3 F1':>6}")
    for n in args.sizes:
        n, events, entries, elapsed, cpu, peak, (p, r, f) = run(n, args.seed, args.learned)
        memory = f"{peak:>8,.0f}" if peak is not None else f"{'-':>8}"
        print(f"{n:>9,} {events:>7,} {entries:>8,} {elapsed:>7.2f} {cpu:>6.2f} {memory} {p:>6.3f} {r:>6.3f} {f:>6.3f}")
    print("target: 100,000 mentions < 30 s wall")


if __name__ == "__main__":
    main()
