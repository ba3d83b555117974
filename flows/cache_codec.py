"""Cache entries as JSON: a format that holds data only, so reading an entry can never run code.

The cache lives in the output folder by default, a folder other programs and people write to;
a pickle placed there would run its code on the next read. Here an entry is JSON (orjson) of
plain values, and records are rebuilt only as the classes of an allow-list (`record_classes`):
anything else in an entry makes it unreadable (`EntryUnreadable`), which the store treats as a miss.

Encoding, chosen so that a decoded value compares equal to the original:
- a dataclass record: {"@": class name, "f": [its field values, in field order]}
- a `datetime.date`: {"@date": "YYYY-MM-DD"}
- a tuple: a JSON list (records hold tuples; lists are decoded as tuples)
- str, int, float, bool, None: themselves; a dict with string keys: itself (keys "@" and
  "@date" are reserved for the tags above).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import operator
from typing import Any

import orjson

_RECORD_TAG = "@"
_DATE_TAG = "@date"


class EntryUnreadable(ValueError):
    """The bytes are not an entry this codec wrote (damaged, foreign or tampered with)."""


@functools.lru_cache(maxsize=1)
def record_classes() -> dict[str, type]:
    """The only classes an entry can rebuild: the records of `extractors.schema` and the
    extraction results that are cached per article (what extraction finds before a publication
    date is bound, and the dated result)."""
    from extractors import schema
    from extractors.date_binding import ArticleExtraction, DateFreeExtraction, PieceFound
    from extractors.event_dates import AnchorStep, EventsFound, Governs
    from extractors.narrative_dates import NarrativeFacts
    from extractors.timex import FoundTimexes
    from extractors.timex_candidate import Candidate
    from extractors.timex_context import ContextFacts

    classes = [v for v in vars(schema).values()
               if dataclasses.is_dataclass(v) and isinstance(v, type) and v.__module__ == schema.__name__]
    return {c.__qualname__: c for c in (*classes, ArticleExtraction, DateFreeExtraction, PieceFound, FoundTimexes,
                                        Candidate, ContextFacts, EventsFound, Governs, AnchorStep,
                                        NarrativeFacts)}


# Values JSON holds as themselves. Exact types: a subclass (an enum over str) takes the general path.
_SCALARS = frozenset({str, int, float, bool, type(None)})


@functools.lru_cache(maxsize=1)
def _record_getters() -> dict[type, tuple[str, Any]]:
    """{record class: (its name in entries, a getter of all its field values in field order)}."""
    getters = {}
    for name, cls in record_classes().items():
        fields = [f.name for f in dataclasses.fields(cls)]
        # attrgetter of several names returns a tuple, of one name the value itself.
        getter = operator.attrgetter(*fields) if len(fields) > 1 else (lambda record, names=tuple(fields): tuple(
            getattr(record, n) for n in names))
        getters[cls] = (name, getter)
    return getters


def _plain(value: Any) -> Any:
    # The common cases first, by exact type: a cached extraction holds millions of scalars, and
    # the general checks below cost more than the values (a cached merge took seconds to encode).
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is tuple or kind is list:
        return [v if type(v) in _SCALARS else _plain(v) for v in value]
    record = _record_getters().get(kind)
    if record is not None:
        return {_RECORD_TAG: record[0], "f": [v if type(v) in _SCALARS else _plain(v) for v in record[1](value)]}
    if kind is dt.date:
        return {_DATE_TAG: value.isoformat()}
    return _plain_general(value)


def _plain_general(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if type(value).__qualname__ not in record_classes():
            raise TypeError(f"cannot cache a {type(value).__qualname__}")
        return {_RECORD_TAG: type(value).__qualname__,
                "f": [_plain(getattr(value, f.name)) for f in dataclasses.fields(value)]}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dt.datetime):
        raise TypeError("cannot cache a datetime")  # a date subclass: it must not decode as a date
    if isinstance(value, dt.date):
        return {_DATE_TAG: value.isoformat()}
    if isinstance(value, dict):
        if _RECORD_TAG in value or _DATE_TAG in value:
            raise TypeError("cannot cache a dict with a reserved key")
        return {str(k): _plain(v) for k, v in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot cache a {type(value).__name__}")


def encode(value: Any) -> bytes:
    """JSON bytes of `value` (records, dates, tuples, dicts and scalars). TypeError for anything else."""
    return orjson.dumps(_plain(value))


def _rebuilt(value: Any, classes: dict[str, type]) -> Any:
    kind = type(value)
    # orjson gives exact types; scalars are kept inline rather than passed to a call each
    # (an entry holds thousands of them).
    if kind is list:
        return tuple([v if type(v) in _SCALARS else _rebuilt(v, classes) for v in value])
    if kind is not dict:
        return value
    if _RECORD_TAG in value:
        cls = classes.get(value[_RECORD_TAG]) if type(value[_RECORD_TAG]) is str else None
        fields = value.get("f")
        if cls is None or type(fields) is not list or len(value) != 2:
            raise EntryUnreadable(f"not a cached record: {str(value[_RECORD_TAG])[:60]!r}")
        if len(fields) != _field_count(cls):
            raise EntryUnreadable(f"{cls.__qualname__} with {len(fields)} fields, not {_field_count(cls)}")
        # Positional: the fields were written in declaration order, which is __init__'s order.
        return cls(*[v if type(v) in _SCALARS else _rebuilt(v, classes) for v in fields])
    if _DATE_TAG in value:
        try:
            return dt.date.fromisoformat(value[_DATE_TAG])
        except (TypeError, ValueError) as exc:
            raise EntryUnreadable(f"not a date: {str(value[_DATE_TAG])[:40]!r}") from exc
    return {k: _rebuilt(v, classes) for k, v in value.items()}


@functools.cache
def _field_count(cls: type) -> int:
    return len(dataclasses.fields(cls))


def decode(data: bytes) -> Any:
    """The value `encode` wrote. Raises EntryUnreadable for anything else; never runs code from `data`."""
    try:
        plain = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise EntryUnreadable(f"not JSON ({exc})") from None
    try:
        return _rebuilt(plain, record_classes())
    except RecursionError:
        raise EntryUnreadable("nested too deeply") from None
