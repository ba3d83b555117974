"""Load, validate and compile the temporal tagger's data files (extractors/resources/timex/).

`lexicon.yaml` maps surface forms to normalized values per placeholder class; `patterns.yaml`
holds extraction rules whose regexes reference those classes as `{class}` (or `{class_2}` for a
second occurrence) and whose value templates are the underspecified values `timex_resolve`
understands; `modifiers.yaml` holds the prefixes that add a TimeML `mod` ("late", "about");
`negatives.yaml` holds veto patterns. Everything is validated once, at first use; a malformed
file is a programming error and raises `TimexResourceError` with the file and rule name.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
import re._constants as sre_constants  # the parsed form of a pattern, to find what it requires
import re._parser as sre_parser
from dataclasses import dataclass
from typing import Any

import yaml

from extractors.timex_calendar import HOLIDAY_SPEC

RESOURCE_PACKAGE = "extractors.resources.timex"
TYPES = ("DATE", "TIME", "DURATION", "SET")
GUARDS = ("capitalized", "year_context", "not_verb", "not_person", "not_attributive", "attributive", "not_past",
          "future_tense", "not_ordinal_scope", "not_sports")

# Placeholder classes whose regex is built in code (numbers and digits), not from the lexicon.
_BUILTIN: dict[str, str] = {
    "day": r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d)",
    "dd": r"(?:3[01]|[12]\d|0[1-9])",
    "mm": r"(?:1[0-2]|0[1-9])",
    "m": r"(?:1[0-2]|0?[1-9])",
    "d": r"(?:3[01]|[12]\d|0?[1-9])",
    "year": r"(?<![\d$£€.,])(?:1[6-9]\d\d|20\d\d)(?![\d%]|,\d)",
    "yy": r"(?:\d\d)",
    "yyyy": r"(?<!\d)(?:19|20)\d\d",
    "decade": r"(?:(?:1[5-9]|20)\d0|'\d0)'?s\b",
    "century": r"(?:1\d|20|2[01])(?:st|nd|rd|th)",
    "clock": (r"(?:(?:1[0-2]|0?[1-9])(?:[:.][0-5]\d)?\s*(?:a\.\s?m\.|p\.\s?m\.|am\b|pm\b|a\.m\b|p\.m\b)"
              r"|(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?!\d)|noon\b|midday\b|midnight\b)"),
    "spelledyear": (r"(?:(?:eighteen|nineteen|twenty)[-\s]+(?:hundred(?:\s+and)?\s+)?"
                    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine))?"
                    r"|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|o[-\s](?:one|two|three|four|five|six|seven|eight|nine)))"
                    r"|(?<=the\syear\s)two\s+thousand(?:\s+(?:and\s+)?(?:one|two|three|four|five|six|seven|eight|nine|ten))?"),
    "numdigits": r"(?<![\d.,$])\d{1,3}(?:,\d{3})*(?:\.\d+)?(?![\d%])",
    # An hour of a 12-hour clock written without a.m./p.m. ("4 in the morning", "at 9 in the
    # evening"): hour_am normalizes to the morning's hour, hour_pm to the afternoon's.
    "hour_am": r"(?<![\d.,:$])(?:1[0-2]|0?[1-9])(?![\d:.,])",
    "hour_pm": r"(?<![\d.,:$])(?:1[0-2]|0?[1-9])(?![\d:.,])",
}
_NUM_COMPOUND = "{tens}(?:[-\\s](?:one|two|three|four|five|six|seven|eight|nine))?"


class TimexResourceError(ValueError):
    """A malformed timex data file (a programming error). `code` says which check failed:
    TX1xx are the context patterns of context.yaml (TX101 no `patterns` mapping, TX102 a name the
    code reads is missing or an unknown name is present, TX103 a bad regex or field, TX104 an
    example that does not behave as it says); TX000 the rules, lexicon, modifiers and negatives."""

    def __init__(self, message: str, code: str = "TX000") -> None:
        super().__init__(f"[{code}] {message}")
        self.code = code


@dataclass(frozen=True)
class Example:
    text: str
    dct: str | None
    span: str
    value: str | None  # None for a negative example: `span` must not be tagged
    mod: str | None = None
    type: str | None = None  # checked when given


@dataclass(frozen=True)
class Rule:
    name: str
    regex: re.Pattern[str]
    type: str
    value: str
    mod: str | None
    guards: tuple[str, ...]
    classes: dict[str, str]  # group name -> lexicon / builtin class
    examples: tuple[Example, ...]
    priority: int
    # Text every match contains (one of some words, a lexicon class, a digit), derived from the
    # pattern by `required_text`: a window without all of it cannot hold a match and is not scanned.
    requirements: tuple[frozenset[str], ...] = ()


@dataclass(frozen=True)
class Modifier:
    name: str
    # A prefix modifier is anchored at its end (it matches the text just before a timex); a
    # suffix modifier at its start (the text just after).
    regex: re.Pattern[str]
    mod: str | None
    applies_to: tuple[str, ...]
    examples: tuple[Example, ...]
    suffix: bool = False
    only_if: re.Pattern[str] | None = None  # the timex's own text must match this
    unless_followed_by: re.Pattern[str] | None = None  # the text just after the timex must not match this


@dataclass(frozen=True)
class Negative:
    name: str
    regex: re.Pattern[str]
    examples: tuple[Example, ...]
    requirements: tuple[frozenset[str], ...] = ()  # as Rule.requirements


@dataclass(frozen=True)
class Resources:
    lexicon: dict[str, dict[str, str]]
    lexicon_examples: dict[str, dict[str, str]]
    rules: tuple[Rule, ...]
    modifiers: tuple[Modifier, ...]
    negatives: tuple[Negative, ...]
    # Any digit or any word of ANCHOR_CLASSES: rules only run in windows around these.
    anchor: re.Pattern[str]


# Lexicon classes whose words can carry a timex on their own (unlike "the", "last", "a").
ANCHOR_CLASSES = ("month", "weekday", "weekdays_plural", "season", "unit", "daypart", "holiday", "calunit",
                  "dayword", "frequency", "refadj", "decadeword", "anchor_word")


def _read_yaml(name: str) -> Any:
    text = importlib.resources.files(RESOURCE_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def alternation(surfaces: list[str]) -> str:
    # Longest first so "september" wins over "sept" and "sep".
    parts = sorted(set(surfaces), key=lambda s: (-len(s), s))
    return "(?:" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in parts) + ")"


def _class_regex(cls: str, lexicon: dict[str, dict[str, str]]) -> str:
    if cls in _BUILTIN:
        return _BUILTIN[cls]
    if cls == "num":
        words = alternation(list(lexicon["number"]))
        tens = "(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
        compound = _NUM_COMPOUND.format(tens=tens)
        # "six hundred years ago", "two thousand years": a counted hundred or thousand (one
        # optional suffix, so that number words are tried once at each position).
        scales = alternation(list(lexicon["number_scale"]))
        return (f"(?:\\d{{1,3}}\\s+1/2|{_BUILTIN['numdigits']}"
                f"|(?:{compound}|{words})(?:[-\\s]+{scales})?(?![a-z]))")
    if cls in ("month", "weekday"):
        # Abbreviations may carry a period ("Sept.", "Tues."); the period is part of the match.
        full = [s for s in lexicon[cls] if len(s) > 4 or s in ("june", "july", "may")]
        abbr = [s for s in lexicon[cls] if s not in full]
        return f"(?:{alternation(full)}|{alternation(abbr)}\\.?)(?![a-z])"
    if cls in lexicon:
        return alternation(list(lexicon[cls])) + "(?![a-z])"
    raise KeyError(cls)


_PLACEHOLDER = re.compile(r"\{([a-z]+(?:_[a-z]+)*)(?:_(\d))?\}")


def _compile_pattern(source: str, lexicon: dict[str, dict[str, str]], where: str) -> tuple[re.Pattern[str], dict[str, str]]:
    classes: dict[str, str] = {}

    def sub(m: re.Match[str]) -> str:
        cls, idx = m.group(1), m.group(2)
        group = cls if idx is None else f"{cls}_{idx}"
        try:
            body = _class_regex(cls, lexicon)
        except KeyError:
            raise TimexResourceError(f"{where}: unknown placeholder class {{{cls}}}") from None
        if group in classes:
            raise TimexResourceError(f"{where}: placeholder {{{group}}} used twice; use {{{cls}_2}}")
        classes[group] = cls
        return f"(?P<{group}>{body})"

    expanded = _PLACEHOLDER.sub(sub, source)
    try:
        # Grouped, so that the word boundaries hold for every top-level alternative ("now" is
        # not the start of "nowhere").
        regex = re.compile(r"(?<![\w'])(?:" + expanded + r")(?![\w])", re.IGNORECASE)
    except re.error as e:
        raise TimexResourceError(f"{where}: bad regex: {e}") from None
    return regex, classes


_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT)
# A requirement is a set of lowercase strings one of which every match contains; DIGIT_MARK
# among them stands for any digit.
DIGIT_MARK = "<digit>"
DIGIT = frozenset({DIGIT_MARK})
# Words in nearly every window: requiring them selects nothing (only the order of checks uses this).
_UNSELECTIVE = frozenset({"the", "this", "that", "these", "last", "first", "two", "then", "past", "next", "year",
                          "day", "time", "one", "and", "for"})
# Requirements checked per rule: the most selective ones.
_MAX_REQUIREMENTS = 2


def _selectivity(alternatives: frozenset[str]) -> tuple[bool, bool, int]:
    return DIGIT_MARK in alternatives, bool(alternatives & _UNSELECTIVE), len(alternatives)


def _is_digit_set(items: list[tuple[Any, Any]]) -> bool:
    return all(op is sre_constants.CATEGORY and av is sre_constants.CATEGORY_DIGIT
               or op is sre_constants.RANGE and chr(av[0]).isdigit() and chr(av[1]).isdigit()
               for op, av in items)


def required_text(regex: re.Pattern[str], classes: dict[str, str],
                  lexicon: dict[str, dict[str, str]]) -> tuple[frozenset[str], ...]:
    """What every match of `regex` contains: sets of lowercase strings of which a match contains
    at least one (`DIGIT_MARK`: a digit). Empty when nothing is found.

    Read from the parsed pattern: a sequence requires what each of its mandatory items requires
    (a run of three or more ASCII letters or digits, a word of a lexicon class's group, a
    digit); alternatives require one of what each alternative requires; optional parts and
    lookarounds require nothing. Sound by construction (with `fold_case` for the comparison),
    so a window that lacks a requirement holds no match and need not be scanned. The most
    selective requirements are kept: words and classes before digits, which news text is full of.
    """
    names = {index: name for name, index in regex.groupindex.items()}

    def of_sequence(items: Any) -> list[frozenset[str]]:
        found: list[frozenset[str]] = []
        word = ""
        for op, av in [*items, (None, None)]:
            if op is sre_constants.LITERAL and chr(av).isascii() and (chr(av).isalnum() or word and chr(av) in "-'"):
                word += chr(av).lower()
                continue
            word = word.rstrip("-'")
            if len(word) >= 3 and not word.isdigit():
                found.append(frozenset({word}))
            elif word[:1].isdigit():
                found.append(DIGIT)
            word = ""
            if op is sre_constants.SUBPATTERN:
                cls = classes.get(names.get(av[0], ""))
                if cls is not None and cls not in _BUILTIN and cls != "num":
                    # A class group matches one of its surfaces, words separated by any space.
                    found.append(frozenset(surface.split()[0] for surface in lexicon[cls]))
                found.extend(of_sequence(av[3]))
            elif op in _REPEATS and av[0] >= 1 or op is sre_constants.ATOMIC_GROUP:
                found.extend(of_sequence(av[2] if op in _REPEATS else av))
            elif op is sre_constants.BRANCH:
                branches = [of_sequence(b) for b in av[1]]
                if branches and all(branches):
                    found.append(frozenset().union(*(min(b, key=_selectivity) for b in branches)))
            elif op is sre_constants.IN and _is_digit_set(av):
                found.append(DIGIT)
        return found

    # "apr" is in "april": a string that contains another alternative adds nothing to the check.
    required = sorted({frozenset(a for a in alternatives if not any(b != a and b in a for b in alternatives))
                       for alternatives in of_sequence(sre_parser.parse(regex.pattern, regex.flags))},
                      key=_selectivity)
    return tuple(required[:_MAX_REQUIREMENTS])


# The characters other than A-Z that a case-insensitive regex matches to an ASCII letter
# (checked over all of Unicode by a test): folded to that letter before comparing.
_ASCII_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def fold_case(text: str) -> str:
    """`text` lowercased so that a lowercase ASCII string is found in it wherever a
    case-insensitive regex of that string would match; same length as `text`."""
    return text.translate(_ASCII_FOLD).lower()


def _examples(raw: list[dict[str, Any]] | None, where: str, need_value: bool) -> tuple[Example, ...]:
    if not raw:
        raise TimexResourceError(f"{where}: every rule needs at least one example")
    out = []
    for ex in raw:
        if "text" not in ex or ("span" not in ex and "not" not in ex):
            raise TimexResourceError(f"{where}: example needs `text` and `span` (or `not`): {ex}")
        if need_value and "span" in ex and "value" not in ex:
            raise TimexResourceError(f"{where}: example needs `value`: {ex}")
        if ex.get("type") is not None and ex["type"] not in TYPES:
            raise TimexResourceError(f"{where}: example type must be one of {TYPES}: {ex}")
        dct = ex.get("dct")
        out.append(Example(text=ex["text"], dct=str(dct) if dct is not None else None,
                           span=ex.get("span", ex.get("not")),
                           value=None if "not" in ex else (str(ex["value"]) if "value" in ex else None),
                           mod=ex.get("mod"), type=ex.get("type")))
    return tuple(out)


@functools.lru_cache(maxsize=1)
def load_resources() -> Resources:
    raw_lex = _read_yaml("lexicon.yaml")
    lexicon = {cls: {str(k).lower(): str(v) for k, v in spec["entries"].items()} for cls, spec in raw_lex.items()}
    lex_examples = {cls: {str(k): str(v) for k, v in (spec.get("examples") or {}).items()}
                    for cls, spec in raw_lex.items()}
    for surface, spec in lexicon.get("holiday", {}).items():
        if not HOLIDAY_SPEC.fullmatch(spec):
            raise TimexResourceError(f"lexicon.yaml holiday {surface!r}: bad date spec {spec!r}")

    rules = []
    for i, r in enumerate(_read_yaml("patterns.yaml")["rules"]):
        where = f"patterns.yaml rule {r.get('name', i)!r}"
        for key in ("name", "pattern", "type", "value"):
            if key not in r:
                raise TimexResourceError(f"{where}: missing `{key}`")
        if r["type"] not in TYPES:
            raise TimexResourceError(f"{where}: type must be one of {TYPES}")
        guards = tuple(r.get("guards", ()))
        for g in guards:
            if g not in GUARDS:
                raise TimexResourceError(f"{where}: unknown guard {g!r}")
        regex, classes = _compile_pattern(r["pattern"], lexicon, where)
        for ref in re.findall(r"\{(\w+)\}", str(r["value"]) + str(r.get("mod") or "")):
            if ref not in classes:
                raise TimexResourceError(f"{where}: value references {{{ref}}} which the pattern lacks")
        rules.append(Rule(name=r["name"], regex=regex, type=r["type"], value=str(r["value"]), mod=r.get("mod"),
                          guards=guards, classes=classes, examples=_examples(r.get("examples"), where, True),
                          priority=i, requirements=required_text(regex, classes, lexicon)))

    raw_mod = _read_yaml("modifiers.yaml")["modifiers"]
    modifiers = []
    for m in raw_mod:
        where = f"modifiers.yaml {m.get('name')!r}"
        suffix = m.get("position", "prefix") == "suffix"
        if m.get("position", "prefix") not in ("prefix", "suffix"):
            raise TimexResourceError(f"{where}: position must be prefix or suffix")
        try:
            regex = re.compile(r"\A(?:" + m["pattern"] + r")(?![\w-])" if suffix
                               else r"(?<![\w-])(?:" + m["pattern"] + r")\Z", re.IGNORECASE)
            only_if = re.compile(m["only_if"], re.IGNORECASE) if m.get("only_if") else None
            unless_followed_by = (re.compile(m["unless_followed_by"], re.IGNORECASE)
                                  if m.get("unless_followed_by") else None)
        except re.error as e:
            raise TimexResourceError(f"{where}: bad regex: {e}") from None
        modifiers.append(Modifier(name=m["name"], regex=regex, mod=m.get("mod"),
                                  applies_to=tuple(m.get("applies_to", TYPES)),
                                  examples=_examples(m.get("examples"), where, True), suffix=suffix,
                                  only_if=only_if, unless_followed_by=unless_followed_by))

    negatives = []
    for n in _read_yaml("negatives.yaml")["negatives"]:
        where = f"negatives.yaml {n.get('name')!r}"
        regex, classes = _compile_pattern(n["pattern"], lexicon, where)
        negatives.append(Negative(name=n["name"], regex=regex, examples=_examples(n.get("examples"), where, False),
                                  requirements=required_text(regex, classes, lexicon)))

    words = [w for cls in ANCHOR_CLASSES for w in lexicon[cls]]
    anchor = re.compile(r"\d+|(?<![\w])" + alternation(words) + r"(?![\w])", re.IGNORECASE)
    return Resources(lexicon=lexicon, lexicon_examples=lex_examples, rules=tuple(rules),
                     modifiers=tuple(modifiers), negatives=tuple(negatives), anchor=anchor)


@functools.cache
def lexicon_words(cls: str) -> frozenset[str]:
    """The surfaces of a lexicon class used as a word list (its values unused)."""
    return frozenset(load_resources().lexicon.get(cls, {}))


# The context patterns the code reads (context.yaml must define exactly these).
CONTEXT_PATTERN_NAMES = (
    "anchored_before", "bare_weekday", "quarter_ended", "apposition_close", "quarter_anaphor", "this_quarters",
    "reference_point_before", "compared_before", "current_year", "longer_period", "quarter_word",
    "quarter_or_period_word", "counted_later", "attributive_article", "entity_date_lead",
)


@dataclass(frozen=True)
class ContextPattern:
    name: str
    regex: re.Pattern[str]
    examples: tuple[tuple[str, bool], ...]  # (text, whether the pattern is found in it)


@functools.lru_cache(maxsize=1)
def load_context_patterns() -> dict[str, ContextPattern]:
    """context.yaml's patterns, compiled and checked (codes TX101-TX104)."""
    raw = _read_yaml("context.yaml")
    specs = raw.get("patterns") if isinstance(raw, dict) else None
    if not isinstance(specs, dict):
        raise TimexResourceError("context.yaml: a `patterns` mapping is required", "TX101")
    missing = sorted(set(CONTEXT_PATTERN_NAMES) - set(specs))
    unknown = sorted(set(specs) - set(CONTEXT_PATTERN_NAMES))
    if missing or unknown:
        raise TimexResourceError(f"context.yaml: missing patterns {missing}, unknown patterns {unknown}", "TX102")
    out = {}
    for name, spec in specs.items():
        where = f"context.yaml {name!r}"
        if not isinstance(spec, dict) or not isinstance(spec.get("pattern"), str):
            raise TimexResourceError(f"{where}: `pattern` (a string) is required", "TX103")
        flags = 0 if spec.get("case_sensitive") is True else re.IGNORECASE
        try:
            regex = re.compile(spec["pattern"], flags)
        except re.error as e:
            raise TimexResourceError(f"{where}: bad regex: {e}", "TX103") from None
        examples = []
        for example in spec.get("examples") or ():
            if not isinstance(example, dict) or not isinstance(example.get("text"), str) \
                    or not isinstance(example.get("match"), bool):
                raise TimexResourceError(f"{where}: an example needs `text` and `match` (true/false)", "TX103")
            examples.append((example["text"], example["match"]))
        if not examples:
            raise TimexResourceError(f"{where}: at least one example is required", "TX103")
        out[name] = ContextPattern(name, regex, tuple(examples))
    return out


def context_pattern(name: str) -> re.Pattern[str]:
    """A compiled pattern of context.yaml (see `CONTEXT_PATTERN_NAMES`)."""
    return load_context_patterns()[name].regex
