"""Whether a name designates an entity: one matching for `timeline entity`, the HTML page's actor
filter and `benchmarks/timeline_eval.py`.

`entity_keys(name)` are the comparison keys of a name (`extractors.actors.normalize_name` forms):
the name itself; without a company suffix ("Apple Inc." -> "apple"); every name of its alias group
(`resources/entities/aliases.yaml`: "the Dow", "DJIA", "blue chips" for the Dow Jones Industrial
Average; "GM" for General Motors); and the initials of a name of two or more words ("General
Motors" -> "gm"), which match only a name written in capitals ("GM", not "gm" the word), as does
an acronym taking more letters of a word ("ASEAN" / "Association of Southeast Asian Nations",
`names.abbreviates`).

`matches(query, actor)`: the keys meet, or one key of the actor is a form of one key of the query:
- a person's surname ("Jobs" for "Steve Jobs": the query is two capitalized words), and a
  query that is one capitalized word matches a name of two or three words ending with it
  ("Putin" finds "Vladimir Putin");
- a shorter form of two or more words that keeps the query's last words ("Apple Corps" for
  "Beatles Apple Corps"), never one common head word ("Apple" is not "Beatles Apple Corps");
- a longer form with the query's first and last words ("iTunes Music Store" for "iTunes Store");
- the query followed by model numbers ("iPhone 4" and "iPhone 3G" for "iPhone"; not "iPod nano"
  for "iPod", which is another product);
- the plural of the query, of an alias or of one of these forms ("iPods" for "iPod", "A380s" for
  "Airbus A380"): the actor's last word with an English plural ending (`singular_keys`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from extractors.actors import normalize_name
from extractors.names import abbreviates
from extractors.resources import load_yaml

# Legal-form words dropped from the end of a company name for comparison ("Apple Inc.", "Ford
# Motor Co."): they never tell two companies apart within one story.
_COMPANY_SUFFIXES = frozenset({"inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited",
                               "plc", "llc", "ag", "sa", "nv", "se", "holdings", "group"})
_INITIAL_SKIP = frozenset({"of", "and", "the", "for", "de"})
_HAS_DIGIT = re.compile(r"\d")


class EntityResourceError(ValueError):
    """A packaged entity resource is malformed."""


@dataclass(frozen=True)
class AliasGroup:
    name: str
    kind: str | None
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class AliasTable:
    groups: tuple[AliasGroup, ...]
    by_key: dict[str, AliasGroup]  # normalized name or alias -> its group
    # Last words of every name and alias: a phrase whose last word is not one is no alias, which
    # spares building and normalizing the phrase for almost every noun of a text.
    last_words: frozenset[str]

    def group_of(self, name: str) -> AliasGroup | None:
        key = normalize_name(name)
        return self.by_key.get(key) or self.by_key.get(_without_suffix(key))


@functools.lru_cache(maxsize=1)
def load_aliases() -> AliasTable:
    raw = load_yaml("entities/aliases.yaml")
    if not isinstance(raw, dict) or not isinstance(raw.get("groups"), list):
        raise EntityResourceError("entities/aliases.yaml: no `groups` list")
    groups: list[AliasGroup] = []
    by_key: dict[str, AliasGroup] = {}
    for entry in raw["groups"]:
        if not isinstance(entry, dict) or not entry.get("name") or not isinstance(entry.get("aliases"), list):
            raise EntityResourceError(f"entities/aliases.yaml: a group needs a name and aliases: {entry!r}")
        group = AliasGroup(str(entry["name"]), entry.get("kind"), tuple(str(a) for a in entry["aliases"]))
        for text in (group.name, *group.aliases):
            key = normalize_name(text)
            if not key:
                raise EntityResourceError(f"entities/aliases.yaml: empty name {text!r}")
            if key in by_key and by_key[key] is not group:
                raise EntityResourceError(
                    f"entities/aliases.yaml: {text!r} under {by_key[key].name!r} and {group.name!r}")
            by_key[key] = group
        groups.append(group)
    return AliasTable(tuple(groups), by_key, frozenset(key.split()[-1] for key in by_key))


def _without_suffix(key: str) -> str:
    words = key.split()
    while len(words) > 1 and words[-1] in _COMPANY_SUFFIXES:
        words = words[:-1]
    return " ".join(words)


def _initials(key: str) -> str | None:
    words = [w for w in key.split() if w not in _INITIAL_SKIP]
    if len(words) < 2 or any(not w[0].isalpha() for w in words):
        return None
    return "".join(w[0] for w in words)


@functools.lru_cache(maxsize=65536)
def entity_keys(name: str) -> frozenset[str]:
    """Comparison keys of a name: itself, without a company suffix, and its alias group's names."""
    key = normalize_name(name)
    if not key:
        return frozenset()
    keys = {key, _without_suffix(key)}
    group = load_aliases().group_of(name)
    if group is not None:
        for text in (group.name, *group.aliases):
            k = normalize_name(text)
            keys.update((k, _without_suffix(k)))
    return frozenset(keys)


def _is_initialism(name: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", name)
    return 2 <= len(letters) <= 6 and letters.isupper()


@functools.lru_cache(maxsize=65536)
def matches(query: str, actor: str) -> bool:
    """Whether `actor` (a name as an article gives it) designates the entity `query` names."""
    q_keys, a_keys = entity_keys(query), entity_keys(actor)
    if not q_keys or not a_keys:
        return False
    if q_keys & a_keys or singular_keys(normalize_name(actor)) & q_keys:
        return True  # the same name, an alias, or the plural of one ("A380s", "iPods")
    if _is_initialism(actor):
        initials = {_initials(k) for k in q_keys} - {None}
        if normalize_name(actor).replace(" ", "") in initials:
            return True
    # An acronym in capitals that takes more than initials ("ASEAN" for "Association of Southeast
    # Asian Nations"), either way round.
    if _acronym_of(actor, query) or _acronym_of(query, actor):
        return True
    words = query.split()
    person_like = len(words) == 2 and all(w.isalpha() for w in words) and query.istitle()
    surname = len(words) == 1 and words[0].isalpha() and words[0].istitle()
    # Shortened and extended forms of the names as written, not of every alias: "Republic of
    # Korea" (South Korea) ends the official name of North Korea.
    q_own, a_own = _own_keys(query), _own_keys(actor, plural=True)
    return any(_form_of(q.split(), a.split(), person_like, surname) for q in q_own for a in a_own)


def _acronym_of(short: str, long_: str) -> bool:
    return " " not in short.strip() and _is_initialism(short) and len(long_.split()) >= 2 and abbreviates(short, long_)


def _own_keys(name: str, plural: bool = False) -> set[str]:
    """The name's key and its key without a company suffix; with `plural`, also the keys the name
    may be the plural of ("iPods" is a form of "iPod")."""
    key = normalize_name(name)
    keys = {key, _without_suffix(key)}
    return keys | singular_keys(key) if plural else keys


# English plural endings of a name's last word, longest first: "batteries" -> "battery",
# "Porsches" -> "porsche" or "porsch", "iPods" -> "ipod", "A380s" -> "a380". A word of three
# letters or fewer, or one ending in "ss" or "us" ("Airbus", "Lexus"), is taken as singular.
_PLURAL_ENDINGS = (("ies", "y"), ("es", "e"), ("es", ""), ("s", ""))


@functools.lru_cache(maxsize=65536)
def singular_keys(key: str) -> frozenset[str]:
    """The keys a plural key may be the plural of ("ipods" -> {"ipod"}); empty for a key whose last
    word has no plural ending. A general rule of English morphology, not a word list: what it
    yields is only ever compared with names the text or the query gives."""
    words = key.split()
    if not words:
        return frozenset()
    last = words[-1]
    if len(last) <= 3 or last.endswith(("ss", "us", "is")) or not last[-1] == "s":
        return frozenset()
    out = set()
    for ending, replacement in _PLURAL_ENDINGS:
        if last.endswith(ending) and len(last) - len(ending) >= 2:
            out.add(" ".join([*words[:-1], last[:-len(ending)] + replacement]))
    return frozenset(out)


def _form_of(q: list[str], a: list[str], person_like: bool, surname: bool) -> bool:
    if not q or not a:
        return False
    if a == q:  # the actor is a plural of the query (see `_own_keys`)
        return True
    if surname and 2 <= len(a) <= 3 and a[-1] == q[0]:  # "Putin" asks for "Vladimir Putin"
        return True
    if len(a) == len(q) >= 2 and sorted(a) == sorted(q):  # "3G iPhone" is the "iPhone 3G"
        return True
    n = len(a)
    if n < len(q) and q[-n:] == a:
        return n >= 2 or person_like
    if len(a) > len(q) >= 2 and a[0] == q[0] and a[-1] == q[-1]:
        return True
    # "iPhone 4" for "iPhone": the query's words followed by model numbers only.
    return len(a) > len(q) and a[:len(q)] == q and all(_HAS_DIGIT.search(w) for w in a[len(q):])


def entity_kind(name: str) -> str | None:
    """The reference class of a known entity ("index" for "the Dow"), or None."""
    group = load_aliases().group_of(name)
    return group.kind if group is not None else None


def alias_name(text: str) -> str | None:
    """The display name of the entity a phrase is an alias of ("blue chips" -> "Dow Jones
    Industrial Average"), or None."""
    group = load_aliases().group_of(text)
    return group.name if group is not None else None


# Blocking key prefix of a name of two or more words by a first letter of its words, for acronyms.
_ACRONYM_BLOCK = "#acronym:"


def _words_of(name: str) -> set[str]:
    return {w for key in entity_keys(name) | singular_keys(normalize_name(name)) for w in key.split()}


def matching_names(queries: Sequence[str], names: Sequence[str]) -> dict[str, list[str]]:
    """For each query, the names among `names` that designate it (`matches`), in the order of
    `names`. Only names sharing a word or an initialism with the query are compared, so a page
    with thousands of actors costs a few comparisons per query rather than all pairs."""
    by_word: dict[str, list[int]] = {}
    for i, name in enumerate(names):
        for word in _words_of(name) | ({normalize_name(name).replace(" ", "")} if _is_initialism(name) else set()):
            by_word.setdefault(word, []).append(i)
        for word in {_ACRONYM_BLOCK + w[0] for w in _words_of(name)} if len(name.split()) >= 2 else ():
            by_word.setdefault(word, []).append(i)  # an acronym query finds it by its first letter
    out: dict[str, list[str]] = {}
    for query in queries:
        probe = _words_of(query) | {i for k in entity_keys(query) if (i := _initials(k))}
        if _is_initialism(query) and " " not in query.strip():
            probe.add(_ACRONYM_BLOCK + query.strip()[0].lower())
        candidates = sorted({i for w in probe for i in by_word.get(w, ())})
        out[query] = [names[i] for i in candidates if matches(query, names[i])]
    return out
