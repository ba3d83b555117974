"""Turn the bytes of one input file into an `Article`, or a reason it cannot be one.

Pure functions: the caller reads the file (and its optional sidecar) and passes bytes, and
passes the run date when future publication dates should be flagged.
Precedence for the publication date: sidecar metadata, then the page's own metadata (HTML),
then the ` date YYYY-MM-DD` header line, then a full date in the page's URL
(`extractors.url_date`); dates found in the text are the extraction stage's
business (`extractors.pubdate`), because they need the temporal tagger.

Unreadable input is data, not an error: everything a file can be wrong with ends as an
`InputRejected` with a short human reason, or as a warning on the `Article`.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import json
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from extractors.front_matter import split_front_matter
from extractors.html_nesting import PARSER_MAX_DEPTH, nesting_depth, without_layout_tags
from extractors.language import not_english_warning
from extractors.non_article import not_an_article
from extractors.resources import load_yaml
from extractors.schema import Article, DocumentRecord
from extractors.url_date import date_from_url

MAX_INPUT_BYTES = 10 * 1024 * 1024
# Longest article body that is analysed. The longest news features run to about 100,000
# characters; extraction and merging of one text grow with its length (a 1 MB text gives some
# 18,000 mentions of the same few actors, and merging them needed 2 GB), so longer texts are
# refused with a reason instead of risking the run's memory.
MAX_ARTICLE_CHARS = 300_000
MAX_SIDECAR_BYTES = 1024 * 1024
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES
# JSON lines: one article per line, each a JSON object; no sidecar (the record holds its metadata).
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
# A feed holds many articles, so a file may be larger than a single article's limit; each line
# (one article) still has MAX_INPUT_BYTES.
MAX_JSONL_BYTES = 200 * 1024 * 1024
SIDECAR_SUFFIX = ".meta.json"
# Field names read from a JSON lines record or a sidecar, the first present one winning. They
# cover the usual exports: this project's own articles.jsonl ("body"), news-please ("maintext",
# "date_publish"), feed readers ("content", "link", "published").
RECORD_TEXT_FIELDS = ("body", "text", "content", "maintext", "article")
RECORD_HTML_FIELDS = ("html", "raw_html")
RECORD_ID_FIELDS = ("doc_id", "id", "uuid")
METADATA_DATE_FIELDS = ("publication_date", "published", "date", "date_publish", "published_at", "pubdate")
METADATA_TITLE_FIELDS = ("title", "headline")
METADATA_URL_FIELDS = ("url", "link")

# The seeds' header: an optional leading space, "date", an ISO date, then the body on the same line.
_HEADER = re.compile(r"\A[ \t\ufeff]*date[ \t]+(\d{4}-\d{1,2}-\d{1,2})[ \t]*(?:\r?\n)?", re.IGNORECASE)
# C0/C1 controls other than tab and newline carry no text and break JSON/CSV consumers.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Invisible format characters that split words for the tokenizer ("Pyong\u200byang") without
# being visible to a reader: zero-width space, word joiner, stray BOMs, soft hyphens, bidi
# embeddings and isolates. ZWJ/ZWNJ stay: they are meaningful in emoji and several scripts.
_INVISIBLE = re.compile(r"[\u00ad\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# Line breaks that are not "\n": NEL, vertical tab, form feed, Unicode line/paragraph separators.
_LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# Signatures of common binary formats that can start without a NUL byte in the first bytes.
# (Short or text-like signatures are left out: those formats have NUL bytes early anyway.)
_BINARY_MAGIC = (b"%PDF-", b"\x89PNG", b"GIF87a", b"GIF89a", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b",
                 b"\xfd7zXZ\x00", b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07", b"\x7fELF",
                 b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"SQLite format 3\x00")
_HTML_START = re.compile(r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>])",
                         re.IGNORECASE | re.DOTALL)
_NON_ASCII = bytes(range(0x80, 0x100))
# Share of non-text characters (controls, unassigned, private use, surrogates) above which
# decoded "text" is really binary data that happened to decode.
_MAX_JUNK_SHARE = 0.02


class InputRejected(Exception):
    """The file cannot become an article; `status` says whether it was skipped or failed."""

    def __init__(self, reason: str, status: str = "skipped") -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


@dataclass(frozen=True)
class Sidecar:
    title: str | None = None
    url: str | None = None
    publication_date: dt.date | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def decode_bytes(data: bytes) -> str:
    """Decode text whatever its encoding. Raises InputRejected for binary data."""
    return decode(data).text


def decode(data: bytes) -> Decoded:
    """Decode text: BOMs first, then BOM-less UTF-16, strict UTF-8, mostly-UTF-8, cp1252, detection.

    Raises InputRejected("not text (binary)") for data that is not text in any of those.
    """
    if data.startswith(_BINARY_MAGIC):
        raise InputRejected("not text (binary)")
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
                       (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _checked(data, codec)
    head = data[:8192]
    if _looks_like_utf16_without_bom(head):
        codec = "utf-16-le" if head[1::2].count(0) > head[0::2].count(0) else "utf-16-be"
        return _checked(data, codec)
    # Binary formats are full of NUL bytes; a text with a stray one (a bad copy, a paste from a
    # terminal) is still text: the NUL is dropped with the other control characters.
    if _too_many(head.count(0), len(head), 0.01):
        raise InputRejected("not text (binary)")
    try:
        return _not_binary(Decoded(data.decode("utf-8"), "utf-8"))
    except UnicodeDecodeError:
        pass
    replaced = data.decode("utf-8", errors="replace")
    bad = replaced.count("\ufffd") - data.count("\ufffd".encode())
    # UTF-8 with some bytes that are not (a cp1252 quote or dash pasted into it, a truncated
    # download): the valid sequences are read as UTF-8 and only the bad bytes are repaired. In a
    # cp1252 file valid multi-byte UTF-8 sequences are rare coincidences of an accented letter and
    # one or two symbol bytes ("àçœœ" holds the bytes of "眜"), far fewer than its stray high bytes.
    # Such a coincidence decodes to a character of another script, so those count as evidence
    # for UTF-8 only when there are enough of them to be the text's own script.
    if _utf8_evidence(replaced) * 8 >= bad > 0:
        return _not_binary(_utf8_repaired(data))
    # Mostly-ASCII text that is not UTF-8 is, in Western news, nearly always cp1252; statistical
    # detection on a few non-ASCII bytes often guesses a cp125x cousin and garbles quotes and dashes.
    non_ascii = len(data.translate(None, bytes(range(0x80))))
    if non_ascii <= 0.1 * len(data):
        try:
            return _not_binary(Decoded(data.decode("cp1252"), "cp1252"))
        except UnicodeDecodeError:
            return _not_binary(Decoded(data.decode("latin-1"), "latin-1"))
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputRejected("not text (binary)")
    return _not_binary(Decoded(str(best), best.encoding))


def _utf8_evidence(text: str) -> int:
    """How strongly the valid multi-byte sequences of `text` (decoded as UTF-8) say it is UTF-8:
    each Latin letter, Western punctuation or currency sign counts; characters of other scripts
    count only from the third on, since one or two are what cp1252 bytes spell by chance."""
    western = other = 0
    for char in text:
        if char.isascii() or char == "\ufffd":
            continue
        if char <= "\u024f" or "\u2000" <= char <= "\u20cf" or char == "\u2122":
            western += 1
        else:
            other += 1
    return western + (other if other >= 3 else 0)


_REPAIR_ERRORS = "timeline-cp1252-repair"
_repairs = threading.local()


def _repair_byte(error: UnicodeError) -> tuple[str, int]:
    """Error handler of the UTF-8 decoder: a bad byte in 0x80-0xFE is read as its cp1252 character;
    0xFF, the bytes cp1252 leaves undefined and a sequence cut off at the end become U+FFFD."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    byte = error.object[error.start]
    if error.end == len(error.object) and error.end - error.start > 1 or byte == 0xFF:
        _repairs.replaced += 1
        return "\ufffd", error.end
    try:
        char = bytes([byte]).decode("cp1252")
        _repairs.cp1252 += 1
    except UnicodeDecodeError:
        char = "\ufffd"
        _repairs.replaced += 1
    return char, error.start + 1


codecs.register_error(_REPAIR_ERRORS, _repair_byte)


def _utf8_repaired(data: bytes) -> Decoded:
    """UTF-8 where it is valid, each bad byte repaired (`_repair_byte`), with a warning saying how many."""
    _repairs.cp1252 = _repairs.replaced = 0
    text = data.decode("utf-8", errors=_REPAIR_ERRORS)
    warnings = []
    if _repairs.cp1252:
        warnings.append(f"{_repairs.cp1252} byte(s) that are not UTF-8 read as cp1252")
    if _repairs.replaced:
        warnings.append(f"{_repairs.replaced} invalid UTF-8 byte sequence(s) replaced")
    return Decoded(text, "utf-8", tuple(warnings))


def _checked(data: bytes, codec: str) -> Decoded:
    text = data.decode(codec, errors="replace")
    bad = text.count("\ufffd")
    if bad > max(8, len(text) // 100):
        raise InputRejected("not text (binary)")
    warnings = (f"{bad} invalid {codec.upper()} sequence(s) replaced",) if bad else ()
    return _not_binary(Decoded(text, codec, warnings))


_JUNK_CATEGORIES = ("Cc", "Cn", "Co", "Cs")


def _not_binary(decoded: Decoded) -> Decoded:
    sample = decoded.text[:65536]
    # Categories per distinct character (counted in C), not per character: a per-character
    # Python loop was 40 % of loading a large collection.
    junk = sum(count for ch, count in Counter(sample).items()
               if ch not in "\t\n\r\f\v" and unicodedata.category(ch) in _JUNK_CATEGORIES)
    if sample and _too_many(junk, len(sample), _MAX_JUNK_SHARE):
        raise InputRejected("not text (binary)")
    return decoded


def _too_many(bad: int, total: int, share: float) -> bool:
    """More than `share` of `total` are `bad` (NUL bytes, control characters): binary data. A few in
    a short text are stray (three NULs in a 200-byte article are 1.5 %), unless they are a tenth of it."""
    return bad > share * total and (bad > 8 or bad > 0.1 * total)


def _looks_like_utf16_without_bom(head: bytes) -> bool:
    if len(head) < 4:
        return False
    zeros_even, zeros_odd = head[0::2].count(0), head[1::2].count(0)
    half = len(head) // 2
    # Latin text in UTF-16 has a zero in (nearly) every high byte and few in the low ones: those of
    # characters such as U+0100, U+4E00 or a surrogate half (U+D800), which in a short text can be
    # a sizeable share. Binary data with zeros has them in both halves alike.
    return max(zeros_even, zeros_odd) > 0.4 * half and min(zeros_even, zeros_odd) < 0.25 * max(zeros_even, zeros_odd)


def clean_text(text: str) -> str:
    """Normalize line ends, drop control and invisible format characters; keep everything else."""
    text = _LINE_BREAKS.sub("\n", text)
    text = _CONTROL.sub("", text)
    text = _INVISIBLE.sub("", text)
    # NFC so that "é" written with a combining mark matches the precomposed form in lexicons.
    return unicodedata.normalize("NFC", text)


def looks_like_html(text: str) -> bool:
    """A scraped page saved under a text extension: starts like an HTML document."""
    return bool(_HTML_START.match(text[:4096]))


def parse_header(text: str) -> tuple[str, dt.date | None, tuple[str, ...]]:
    """Split off a leading ` date YYYY-MM-DD` header. Returns (body, date, warnings)."""
    match = _HEADER.match(text)
    if not match:
        return text, None, ()
    raw = match.group(1)
    body = text[match.end():]
    try:
        return body, dt.date.fromisoformat(_zero_pad(raw)), ()
    except ValueError:
        return body, None, (f"invalid header date '{raw}' ignored",)


def _zero_pad(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{year}-{int(month):02d}-{int(day):02d}"


def parse_sidecar(data: bytes | None, name: str | None = None) -> Sidecar:
    """Read `<name>.meta.json`: {"title", "url", "publication_date" | "published" | "date"}.

    Warnings name the sidecar file (`name`), so the report accounts for it.
    """
    if data is None:
        return Sidecar()
    label = f"sidecar {name}" if name else "sidecar"
    if len(data) > MAX_SIDECAR_BYTES:
        return Sidecar(warnings=(f"{label} larger than the {MAX_SIDECAR_BYTES // 1024} KB limit; ignored",))
    try:
        meta = json.loads(decode(data).text)
    except InputRejected:
        return Sidecar(warnings=(f"{label} is not valid JSON: not text (binary)",))
    except (ValueError, RecursionError) as exc:  # ValueError: also a number of over 4,300 digits
        detail = (str(exc) if isinstance(exc, json.JSONDecodeError)
                  else "nested too deeply" if isinstance(exc, RecursionError) else "a number too long to read")
        return Sidecar(warnings=(f"{label} is not valid JSON: {detail}",))
    if not isinstance(meta, dict):
        return Sidecar(warnings=(f"{label} is not a JSON object ({type(meta).__name__}); ignored",))
    return metadata_of(meta, label)


def metadata_of(meta: dict[str, Any], source: str) -> Sidecar:
    """Title, URL and publication date of a sidecar or JSON lines record; `source` names it in warnings."""
    warnings: list[str] = []
    published = None
    date_field = next((k for k in METADATA_DATE_FIELDS if meta.get(k)), None)
    if date_field is not None:
        raw_date = meta[date_field]
        if isinstance(raw_date, dict) and set(raw_date) == {"$date"}:
            # MongoDB's export of a date: {"$date": "2023-10-31T08:00:00Z"} (or milliseconds since 1970).
            raw_date = raw_date["$date"]
            if isinstance(raw_date, dict) and set(raw_date) == {"$numberLong"}:
                raw_date = raw_date["$numberLong"]
        published = parse_metadata_date(str(raw_date)) if isinstance(raw_date, (str, int, float)) else None
        if published is None:
            warnings.append(f"invalid {source} date {_short(raw_date)} ignored")
    title = _meta_string(meta, METADATA_TITLE_FIELDS, source, warnings)
    url = _meta_string(meta, METADATA_URL_FIELDS, source, warnings)
    return Sidecar(title=title, url=url, publication_date=published, warnings=tuple(warnings))


def _meta_string(meta: dict[str, Any], keys: tuple[str, ...], source: str, warnings: list[str]) -> str | None:
    key = next((k for k in keys if meta.get(k) is not None), None)
    if key is None:
        return None
    value = meta[key]
    if not isinstance(value, str):
        warnings.append(f"{source} {key} is not a string; ignored")
        return None
    value = " ".join(clean_text(value).split())
    return value[:1000] or None


def _short(value: object) -> str:
    text = repr(value) if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:39] + "…"


def parse_metadata_date(raw: str) -> dt.date | None:
    """A publication date from metadata: ISO first, then anything dateparser can read with a year."""
    raw = raw.strip()
    if not raw or len(raw) > 100:
        return None
    try:
        return dt.date.fromisoformat(raw[:10])
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(raw.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    # A string that starts like an ISO date but is not one ("2023-13-45") is a broken date, not
    # free text for dateparser to reinterpret (it would read it as some other day).
    if re.match(r"\d{4}-\d{1,2}-\d{1,2}", raw):
        return None
    from extractors.dates import parse_absolute_date

    # A day, or nothing: "October 2023" or "2023" as the publication day would misdate every
    # relative expression of the article by up to a year.
    return parse_absolute_date(raw, day_only=True)


# No news was printed before the first newspapers (1605); an earlier "publication date" is a
# placeholder ("0001-01-01" is the zero date of Go, .NET and many databases) or a typing error.
EARLIEST_PUBLICATION_DATE = dt.date(1605, 1, 1)
# Clocks and time zones explain a date a little in the future, and an embargoed or scheduled
# article one some months ahead; ten years ahead is a placeholder ("9999-12-31") or a typing error.
LATEST_PUBLICATION_YEARS_AHEAD = 10


def plausible_publication_date(published: dt.date | None, today: dt.date | None,
                               warnings: list[str]) -> dt.date | None:
    """`published`, or None with a warning added when no article can have been published then:
    before EARLIEST_PUBLICATION_DATE, or more than LATEST_PUBLICATION_YEARS_AHEAD years after the
    run date `today`. Relative dates read against such a day would fill the timeline with events
    in year 1 or 9999; without it the article is dated from its text or the other articles."""
    if published is None:
        return None
    if published < EARLIEST_PUBLICATION_DATE:
        warnings.append(f"publication date {published.isoformat()} is before the first newspapers "
                        f"({EARLIEST_PUBLICATION_DATE.year}): a placeholder, not a date; ignored")
        return None
    if today is not None and published.year > today.year + LATEST_PUBLICATION_YEARS_AHEAD:
        warnings.append(f"publication date {published.isoformat()} is more than "
                        f"{LATEST_PUBLICATION_YEARS_AHEAD} years in the future: a placeholder or a typing error; ignored")
        return None
    return published


def future_date_warning(published: dt.date | None, today: dt.date | None) -> tuple[str, ...]:
    """A warning for a publication date after the run date (a day of slack for time zones)."""
    if published is None or today is None or published <= today + dt.timedelta(days=1):
        return ()
    # The run date stays out of the text: warnings are part of the extraction cache key.
    return (f"publication date {published.isoformat()} is in the future; kept",)


@lru_cache(maxsize=1)
def _boilerplate_rules() -> tuple[tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]]:
    rules = load_yaml("boilerplate.yaml")
    if not isinstance(rules, dict) or set(rules) != {"cut", "drop"}:
        raise ValueError("boilerplate.yaml must have exactly the keys 'cut' and 'drop'")

    def compile_all(key: str) -> tuple[re.Pattern[str], ...]:
        compiled = []
        for rule in rules[key]:
            if not rule.get("examples"):
                raise ValueError(f"boilerplate.yaml {key} rule {rule.get('pattern')!r} has no examples")
            compiled.append(re.compile(rule["pattern"], re.IGNORECASE))
        return tuple(compiled)

    return compile_all("cut"), compile_all("drop")


def strip_boilerplate(body: str) -> tuple[str, int]:
    """Remove site furniture lines and trailing page furniture. Returns (body, lines removed)."""
    cut_rules, drop_rules = _boilerplate_rules()
    lines = body.split("\n")
    total_chars = len(body)
    kept: list[str] = []
    removed = 0
    position = 0
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped and len(stripped) <= 160 and position > total_chars / 3 and any(
            rule.fullmatch(stripped) for rule in cut_rules
        ):
            removed += len(lines) - index
            break
        position += len(line) + 1
        if stripped and len(stripped) <= 300 and any(rule.fullmatch(stripped) for rule in drop_rules):
            removed += 1
            continue
        kept.append(line)
    text = "\n".join(kept).strip()
    return re.sub(r"\n{3,}", "\n\n", text), removed


def guess_title(body: str) -> str | None:
    """A headline: a short first line without final sentence punctuation, followed by more text."""
    first, _, rest = body[:1000].partition("\n")
    first = first.strip()
    if not first or not rest.strip() or len(first) > 200 or first[-1] in ".!?:;,":
        return None
    return first


def html_to_text(html: str) -> tuple[str, str | None, str | None, dt.date | None]:
    """Main text, title, url and published date (from the page's metadata only) of an HTML page.

    A page nested deeper than the parser goes is read again without its layout tags
    (`extractors.html_nesting`), or refused with its depth as the reason.
    """
    try:
        return _html_to_text(html)
    except InputRejected as exc:
        if exc.reason != NO_HTML_TEXT or (depth := nesting_depth(html)) <= PARSER_MAX_DEPTH:
            raise
    flat = without_layout_tags(html)
    if nesting_depth(flat) <= PARSER_MAX_DEPTH:
        return _html_to_text(flat)
    raise InputRejected(f"HTML page nested too deeply to read ({depth:,} levels; the parser stops at {PARSER_MAX_DEPTH})")


NO_HTML_TEXT = "HTML page has no extractable article text"


def _html_to_text(html: str) -> tuple[str, str | None, str | None, dt.date | None]:
    import trafilatura

    try:
        extracted = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True,
            # Only the page's own date metadata: guessing from the body text is the date
            # extractor's job, and future dates are flagged by us, not silently dropped.
            date_extraction_params={"extensive_search": False, "original_date": True, "max_date": "2999-12-31"},
        )
    except Exception as exc:  # noqa: BLE001 — lxml/htmldate raise many types on broken pages
        raise InputRejected(f"HTML page could not be parsed: {type(exc).__name__}") from exc
    if extracted is None:
        raise InputRejected(NO_HTML_TEXT)
    data = extracted if isinstance(extracted, dict) else extracted.as_dict()
    text = data.get("text") or ""
    if not text.strip():
        raise InputRejected(NO_HTML_TEXT)
    raw_date = data.get("date")
    published = parse_metadata_date(str(raw_date)) if raw_date else None
    title = data.get("title")
    return text, (" ".join(title.split()) or None) if title else None, data.get("url") or None, published


def build_article(doc_id: str, path: str, suffix: str, data: bytes, sidecar_bytes: bytes | None = None,
                  today: dt.date | None = None, sidecar_name: str | None = None) -> Article:
    """The `Article` of one input file's bytes. Raises InputRejected with a human reason.

    `today` is the run date; a publication date after it is kept with a warning. `sidecar_name`
    names the sidecar in warnings about it.
    """
    if not data.strip():
        raise InputRejected("empty file")
    decoded = decode(data)
    if decoded.text.lstrip("\ufeff \t\r\n").startswith("{\\rtf"):
        # A word processor's file saved or renamed as .txt: its text is buried in control words
        # ("\\ansicpg1252\\cocoartf2639") that would be read as the article.
        raise InputRejected("not text (an RTF document; save it as plain text)")
    sidecar = parse_sidecar(sidecar_bytes, sidecar_name)
    text, front_warnings = decoded.text, ()
    if suffix in TEXT_SUFFIXES:
        front, text, front_warnings = split_front_matter(text)
        if front is not None:
            # The sidecar, written for this run, wins over what the file says of itself.
            own = metadata_of(front, "front matter")
            sidecar = Sidecar(title=sidecar.title or own.title, url=sidecar.url or own.url,
                              publication_date=sidecar.publication_date or own.publication_date,
                              warnings=(*sidecar.warnings, *own.warnings))
    return _article(doc_id, path, text, suffix in HTML_SUFFIXES, sidecar,
                    [*decoded.warnings, *front_warnings, *sidecar.warnings],
                    hashlib.sha256(data + (sidecar_bytes or b"")).hexdigest(), today)


def _article(doc_id: str, path: str, text: str, html: bool, meta: Sidecar, warnings: list[str], sha256: str,
             today: dt.date | None) -> Article:
    """An Article from decoded text (an HTML page when `html` or when it looks like one) and its metadata."""
    html_title = html_url = None
    html_date = None
    evidence: str | None = None
    is_html = html or looks_like_html(text)
    if is_html:
        text, html_title, html_url, html_date = html_to_text(text)
    text = clean_text(text)
    if not text.strip():
        raise InputRejected("empty file")
    body, header_date, header_warnings = parse_header(text)
    warnings.extend(header_warnings)
    body, _ = strip_boilerplate(body)
    if not body.strip():
        raise InputRejected("HTML page has no extractable article text" if is_html
                            else "no article text (only a header or site boilerplate)")
    if len(body) > MAX_ARTICLE_CHARS:
        raise InputRejected(f"text longer than the {MAX_ARTICLE_CHARS:,}-character limit "
                            f"({len(body):,} characters)")
    title = meta.title or html_title or guess_title(body)
    if page_kind := not_an_article(title, body):
        raise InputRejected(f"not an article ({page_kind})")
    if language := not_english_warning(body):
        warnings.append(language)
    meta_date = plausible_publication_date(meta.publication_date, today, warnings)
    html_date = plausible_publication_date(html_date, today, warnings)
    header_date = plausible_publication_date(header_date, today, warnings)
    if meta_date:
        published, source = meta_date, "metadata"
    elif html_date:
        published, source = html_date, "metadata"
    elif header_date:
        published, source = header_date, "header"
    elif url_day := plausible_publication_date(date_from_url(meta.url or html_url, today), today, warnings):
        published, source, evidence = url_day, "url", meta.url or html_url
    else:
        published, source = None, "none"
    warnings.extend(future_date_warning(published, today))
    return Article(
        doc_id=doc_id,
        path=path,
        body=body,
        title=title,
        url=meta.url or html_url,
        publication_date=published,
        publication_date_source=source,  # type: ignore[arg-type]
        publication_date_evidence=evidence,
        sha256=sha256,
        warnings=tuple(warnings),
    )


def size_text(limit: int) -> str:
    """A byte limit as people read it: "10 MB", "4,096 byte"."""
    return f"{limit // (1024 * 1024)} MB" if limit % (1024 * 1024) == 0 else f"{limit:,} byte"


# Lines read, when the first ones are not JSON objects, before deciding that a file is not
# JSON lines at all (a CSV named .jsonl gives one reason, not one per line).
JSONL_PROBE_LINES = 20


def jsonl_articles(file_id: str, path: str, lines: Iterable[bytes], today: dt.date | None = None,
                   max_line: int = MAX_INPUT_BYTES) -> Iterator[Article | DocumentRecord]:
    """The articles of a JSON lines file: one per non-blank line, or the record of why not.

    Each line is a JSON object with the article text (`body`, `text`, `content`, `maintext` or
    `article`; or HTML in `html`/`raw_html`) and optional metadata (see `metadata_of`). A
    line's id is `<file_id>:<record id>` when the record has one (`doc_id`, `id`, `uuid`), else
    `<file_id>:<line number>`; its path is `<path>:<line number>`, so the run report points at
    the line. A bad line is skipped with its reason and never stops the others, the first lines
    included: a file whose first line is broken keeps its valid records.

    Raises InputRejected for the file as a whole when it holds no record, or when none of its
    first `JSONL_PROBE_LINES` non-blank lines is a JSON object (a file of something else named
    .jsonl: one reason, not one per line).
    """
    taken: Counter[str] = Counter()
    found = False
    # Bad lines before the first JSON object: reported once the file proves to be JSON lines.
    pending: list[tuple[int, DocumentRecord, str]] = []
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        line_path = f"{path}:{number}"
        line_id = f"{file_id}:{number}"
        try:
            if len(raw.rstrip(b"\r\n")) > max_line:
                raise InputRejected(f"line larger than the {size_text(max_line)} limit")
            record = _json_record(raw)
        except _BadJson as exc:
            rejected = DocumentRecord(doc_id=line_id, path=line_path, status="skipped", reason=exc.line_reason)
            if found:
                yield rejected
                continue
            pending.append((number, rejected, exc.detail))
            if len(pending) >= JSONL_PROBE_LINES:
                break
            continue
        except InputRejected as exc:
            found = True
            yield from (r for _, r, _ in pending)
            pending = []
            yield DocumentRecord(doc_id=line_id, path=line_path, status=exc.status,  # type: ignore[arg-type]
                                 reason=exc.reason)
            continue
        if not found:
            found = True
            yield from (r for _, r, _ in pending)
            pending = []
        line_id = _record_id(file_id, record, number, taken)
        try:
            yield _record_article(line_id, line_path, record, raw, today)
        except InputRejected as exc:
            yield DocumentRecord(doc_id=line_id, path=line_path, status=exc.status,  # type: ignore[arg-type]
                                 reason=exc.reason)
    if not found:
        if pending:
            number, _, detail = pending[0]
            raise InputRejected(f"not JSON lines (line {number}: {detail})")
        raise InputRejected("empty file")


class _BadJson(Exception):
    """A line that is not a JSON object: `line_reason` for the line, `detail` for the file."""

    def __init__(self, line_reason: str, detail: str) -> None:
        super().__init__(line_reason)
        self.line_reason = line_reason
        self.detail = detail


def _json_record(raw: bytes) -> dict[str, Any]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # JSON lines are UTF-8; a line in another encoding is still read rather than lost.
        text = decode(raw).text
    try:
        # Without its line end: a string cut off at the end of the line is "Unterminated string",
        # not an "Invalid control character" (the newline).
        record = json.loads(text.rstrip("\r\n"), object_pairs_hook=_object_noting_repeated_keys)
    except json.JSONDecodeError as exc:
        detail = f"{exc.msg.removesuffix(' at')} at column {exc.colno}"
        raise _BadJson(f"not valid JSON ({detail})", detail) from None
    except RecursionError:
        raise _BadJson("not valid JSON (nested too deeply)", "nested too deeply") from None
    except ValueError as exc:
        # json raises a bare ValueError for an integer of more than 4,300 digits (Python's guard
        # against quadratic int parsing): one line's problem, not the whole file's.
        detail = "a number too long to read" if "digits" in str(exc) else str(exc)[:100]
        raise _BadJson(f"not valid JSON ({detail})", detail) from None
    if not isinstance(record, dict):
        kind = _JSON_KINDS.get(type(record), type(record).__name__)
        raise _BadJson(f"not a JSON object ({kind})", f"a JSON {kind}, not an object")
    return record


# What a line that is not an object holds, in JSON's words ("list" as the reports always said).
_JSON_KINDS = {str: "string", int: "number", float: "number", bool: "boolean", type(None): "null"}
# Key under which `_object_noting_repeated_keys` lists the keys an object had more than once.
_REPEATED_KEYS = "\0repeated keys"


def _object_noting_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object as `json` builds it (the last of repeated keys wins), noting the repeated
    keys: a record with two "body" fields is read, but not silently."""
    record = dict(pairs)
    if len(record) < len(pairs):
        seen: set[str] = set()
        record[_REPEATED_KEYS] = sorted({k for k, _ in pairs if k in seen or seen.add(k)})  # type: ignore[func-returns-value]
    return record


def _record_id(file_id: str, record: dict[str, Any], number: int, taken: Counter[str]) -> str:
    raw_id = next((record[k] for k in RECORD_ID_FIELDS if isinstance(record.get(k), (str, int))
                   and not isinstance(record.get(k), bool)), None)
    own = " ".join(clean_text(str(raw_id)).split())[:200] if raw_id is not None else ""
    doc_id = f"{file_id}:{own or number}"
    taken[doc_id] += 1
    # The same id twice in one feed: the later line keeps its own id, told apart by its line.
    return doc_id if taken[doc_id] == 1 else f"{doc_id}~{number}"


def _record_article(doc_id: str, path: str, record: dict[str, Any], raw: bytes, today: dt.date | None) -> Article:
    repeated = record.pop(_REPEATED_KEYS, None)
    meta = metadata_of(record, "record")
    text_field = next((k for k in RECORD_TEXT_FIELDS if isinstance(record.get(k), str) and record[k].strip()), None)
    html_field = next((k for k in RECORD_HTML_FIELDS if isinstance(record.get(k), str) and record[k].strip()), None)
    if text_field is None and html_field is None:
        # null is no text; a number, list or object where the text belongs is a malformed record.
        wrong = next((k for k in (*RECORD_TEXT_FIELDS, *RECORD_HTML_FIELDS) if record.get(k) is not None), None)
        if wrong is not None and not isinstance(record[wrong], str):
            raise InputRejected(f"record {wrong} is not a string")
        raise InputRejected("no article text (no " + ", ".join(RECORD_TEXT_FIELDS + RECORD_HTML_FIELDS) + " field)")
    text = record[text_field] if text_field is not None else record[html_field]
    warnings = list(meta.warnings)
    if repeated:
        warnings.append(f"record has the key(s) {', '.join(map(repr, repeated[:5]))} more than once; the last one read")
    try:
        return _article(doc_id, path, text, text_field is None, meta, warnings,
                        hashlib.sha256(raw.strip()).hexdigest(), today)
    except InputRejected as exc:
        if exc.reason == "empty file":
            raise InputRejected("no article text (empty)") from None
        raise
