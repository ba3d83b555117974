"""Turn the bytes of one input file into an `Article`, or a reason it cannot be one.

Pure functions: the caller reads the file (and its optional sidecar) and passes bytes.
Precedence for the publication date: sidecar metadata, then the ` date YYYY-MM-DD`
header line; dates found in the text are the extraction stage's business
(`extractors.pubdate`), because they need the temporal tagger.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from extractors.resources import load_yaml
from extractors.schema import Article

MAX_INPUT_BYTES = 10 * 1024 * 1024
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES
SIDECAR_SUFFIX = ".meta.json"

# The seeds' header: an optional leading space, "date", an ISO date, then the body on the same line.
_HEADER = re.compile(r"\A[ \t\ufeff]*date[ \t]+(\d{4}-\d{1,2}-\d{1,2})[ \t]*(?:\r?\n)?", re.IGNORECASE)
# C0/C1 controls other than tab and newline carry no text and break JSON/CSV consumers.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


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


def decode_bytes(data: bytes) -> str:
    """Decode text whatever its encoding: BOMs first, then strict UTF-8, then detection.

    Raises InputRejected for binary data.
    """
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
                       (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise InputRejected(f"not valid {codec.upper()} text: {exc.reason}", "failed") from exc
    head = data[:8192]
    if _looks_like_utf16_without_bom(head):
        codec = "utf-16-le" if head[1::2].count(0) > head[0::2].count(0) else "utf-16-be"
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            pass
    if b"\x00" in head:
        raise InputRejected("not text (binary)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Mostly-ASCII text that is not UTF-8 is, in Western news, nearly always cp1252; statistical
    # detection on a few non-ASCII bytes often guesses a cp125x cousin and garbles quotes and dashes.
    ascii_share = sum(b < 0x80 for b in data) / len(data)
    if ascii_share > 0.9:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputRejected("not text (binary)")
    return str(best)


def _looks_like_utf16_without_bom(head: bytes) -> bool:
    if len(head) < 4:
        return False
    zeros_even, zeros_odd = head[0::2].count(0), head[1::2].count(0)
    half = len(head) // 2
    return max(zeros_even, zeros_odd) > 0.4 * half and min(zeros_even, zeros_odd) < 0.05 * half


def clean_text(text: str) -> str:
    """Normalize line ends and drop control characters; everything else is kept as written."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    # NFC so that "é" written with a combining mark matches the precomposed form in lexicons.
    return unicodedata.normalize("NFC", text)


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


def parse_sidecar(data: bytes | None) -> Sidecar:
    """Read `<name>.meta.json`: {"title", "url", "publication_date" | "date" | "published"}."""
    if data is None:
        return Sidecar()
    try:
        meta = json.loads(decode_bytes(data))
    except (json.JSONDecodeError, InputRejected) as exc:
        return Sidecar(warnings=(f"sidecar is not valid JSON: {exc}",))
    if not isinstance(meta, dict):
        return Sidecar(warnings=("sidecar is not a JSON object; ignored",))
    warnings: list[str] = []
    published = None
    raw_date = next((meta[k] for k in ("publication_date", "published", "date") if meta.get(k)), None)
    if raw_date is not None:
        published = parse_metadata_date(str(raw_date))
        if published is None:
            warnings.append(f"invalid sidecar date {str(raw_date)[:40]!r} ignored")
    title = meta.get("title")
    url = meta.get("url")
    return Sidecar(
        title=str(title).strip() or None if title is not None else None,
        url=str(url).strip() or None if url is not None else None,
        publication_date=published,
        warnings=tuple(warnings),
    )


def parse_metadata_date(raw: str) -> dt.date | None:
    """A publication date from metadata: ISO first, then anything dateparser can read with a year."""
    raw = raw.strip()
    try:
        return dt.date.fromisoformat(raw[:10])
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(raw.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    from extractors.dates import parse_absolute_date

    return parse_absolute_date(raw)


@lru_cache(maxsize=1)
def _boilerplate_rules() -> tuple[tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]]:
    rules = load_yaml("boilerplate.yaml")
    compile_all = lambda key: tuple(re.compile(r["pattern"], re.IGNORECASE) for r in rules[key])  # noqa: E731
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
    first, _, rest = body.partition("\n")
    first = first.strip()
    if not first or not rest.strip() or len(first) > 200 or first[-1] in ".!?:;,":
        return None
    return first


def html_to_text(html: str) -> tuple[str, str | None, str | None, dt.date | None]:
    """Main text, title, url and published date of an HTML page (trafilatura)."""
    import trafilatura

    extracted = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                            include_tables=False, favor_precision=True)
    if extracted is None:
        raise InputRejected("HTML page has no extractable article text")
    data = extracted if isinstance(extracted, dict) else extracted.as_dict()
    text = data.get("text") or ""
    if not text.strip():
        raise InputRejected("HTML page has no extractable article text")
    raw_date = data.get("date")
    published = parse_metadata_date(str(raw_date)) if raw_date else None
    return text, data.get("title") or None, data.get("url") or None, published


def build_article(doc_id: str, path: str, suffix: str, data: bytes, sidecar_bytes: bytes | None = None) -> Article:
    """The `Article` of one input file's bytes. Raises InputRejected with a human reason."""
    if not data.strip():
        raise InputRejected("empty file")
    text = decode_bytes(data)
    sidecar = parse_sidecar(sidecar_bytes)
    warnings = list(sidecar.warnings)
    header_date = None
    html_title = html_url = None
    html_date = None
    if suffix in HTML_SUFFIXES:
        text, html_title, html_url, html_date = html_to_text(text)
    text = clean_text(text)
    body, header_date, header_warnings = parse_header(text)
    warnings.extend(header_warnings)
    body, _ = strip_boilerplate(body)
    if not body.strip():
        raise InputRejected("no article text (only whitespace or site boilerplate)")
    if sidecar.publication_date:
        published, source = sidecar.publication_date, "metadata"
    elif html_date:
        published, source = html_date, "metadata"
    elif header_date:
        published, source = header_date, "header"
    else:
        published, source = None, "none"
    return Article(
        doc_id=doc_id,
        path=path,
        body=body,
        title=sidecar.title or html_title or guess_title(body),
        url=sidecar.url or html_url,
        publication_date=published,
        publication_date_source=source,  # type: ignore[arg-type]
        sha256=hashlib.sha256(data + (sidecar_bytes or b"")).hexdigest(),
        warnings=tuple(warnings),
    )
