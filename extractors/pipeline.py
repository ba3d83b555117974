"""Per-article extraction: parse once, date the article, tag temporal expressions, find events.

`extract_articles` is what a flow task calls for a batch of articles. Each article is parsed
once (long bodies in bounded pieces, so a 50 MB line never reaches spaCy whole); the same
`Doc` serves the publication-date search, the temporal tagger and the event extractor.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from extractors.events import extract_events, sentences
from extractors.nlp import doc_text, load_nlp, remember_text
from extractors.pubdate import date_article_from_text, mark_bounded
from extractors.schema import Article, DocumentRecord, EventMention, Timex
from extractors.timex import FoundTimexes, find_timexes, resolve_timexes

# Bump when extraction output can change for the same input: it is part of the cache key.
EXTRACTOR_VERSION = "1"
# spaCy's parser needs about 1 GB per 100,000 characters at worst; pieces this size stay well
# under that and under its max_length, and paragraphs rarely straddle them.
MAX_PIECE_CHARS = 50_000
# Characters parsed in one `nlp.pipe` batch: spaCy's working memory grows with the batch's tokens,
# so sixteen 50,000-character pieces at once cost gigabytes where sixteen news articles cost little.
MAX_BATCH_CHARS = 100_000


@dataclass(frozen=True)
class ArticleExtraction:
    """What one article yields. `article` carries a publication date found in its text, if any."""

    article: Article
    timexes: tuple[Timex, ...]
    mentions: tuple[EventMention, ...]


def split_into_pieces(text: str, limit: int = MAX_PIECE_CHARS) -> list[tuple[int, str]]:
    """(offset, piece) pairs covering `text`, cut at paragraph, line or sentence ends when possible."""
    if len(text) <= limit:
        return [(0, text)]
    pieces: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        end = min(start + limit, len(text))
        if end < len(text):
            window = text[start:end]
            cut = max(window.rfind("\n\n"), window.rfind("\n"))
            if cut < limit // 2:
                sentence_end = max((m.end() for m in re.finditer(r"[.!?][\"'”’)]?\s", window)), default=-1)
                cut = sentence_end if sentence_end > limit // 2 else -1
            if cut < limit // 2:
                space = window.rfind(" ")
                cut = space if space > limit // 2 else limit
            end = start + cut
        pieces.append((start, text[start:end]))
        start = end
    return pieces


def _shift_timex(timex: Timex, offset: int) -> Timex:
    return dataclasses.replace(timex, start=timex.start + offset, end=timex.end + offset) if offset else timex


def _shift_mention(mention: EventMention, offset: int, sentence_offset: int) -> EventMention:
    if not offset and not sentence_offset:
        return mention
    return dataclasses.replace(
        mention,
        sentence_index=mention.sentence_index + sentence_offset,
        trigger_start=mention.trigger_start + offset,
        trigger_end=mention.trigger_end + offset,
        clause_start=mention.clause_start + offset,
        clause_end=mention.clause_end + offset,
    )


def _docs_by_article(articles: Sequence[Article], nlp: Language, batch_size: int,
                     n_process: int) -> Iterator[tuple[Article, list[tuple[int, Doc]]]]:
    """Stream (article, [(offset, doc) per piece]) in input order with one `nlp.pipe`."""
    pieces = [(index, offset, piece) for index, article in enumerate(articles)
              for offset, piece in split_into_pieces(article.body)]
    longest = max((len(piece) for _, _, piece in pieces), default=1) or 1
    batch_size = max(1, min(batch_size, MAX_BATCH_CHARS // longest))
    docs = nlp.pipe((piece for _, _, piece in pieces), batch_size=batch_size, n_process=n_process)
    current: list[tuple[int, Doc]] = []
    current_index = 0
    for (index, offset, piece), doc in zip(pieces, docs, strict=True):
        remember_text(doc, piece)
        if index != current_index:
            yield articles[current_index], current
            current, current_index = [], index
        current.append((offset, doc))
    if pieces:
        yield articles[current_index], current


def extract_parsed(article: Article, parsed: Sequence[tuple[int, Doc]]) -> ArticleExtraction:
    """Extraction of one article whose body is already parsed as (offset, Doc) pieces.

    Temporal expressions are found once per piece; an undated article's are resolved first
    without a date (to find its dateline) and then against the date found, without finding again."""
    found = [find_timexes(doc_text(doc), doc) for _, doc in parsed]
    undated: list[list[Timex]] | None = None
    if article.publication_date is None:
        undated = [resolve_timexes(f, None) for f in found]
        article = date_article_from_text(
            article, [_shift_timex(t, offset) for (offset, _), ts in zip(parsed, undated, strict=True) for t in ts])
        if _reference_date(article) is not None:
            # Resolved again against the date (or the earliest date) found; a bounded article's own
            # timexes stay as its text gives them (no day invented from the earliest date).
            return _extract_pieces(article, parsed, single=len(parsed) == 1, found=found,
                                   shown=undated if article.publication_date is None else None)
    return _extract_pieces(article, parsed, single=len(parsed) == 1, found=found, tagged=undated)


def _extract_pieces(article: Article, parsed: Iterable[tuple[int, Doc]], single: bool,
                    found: Sequence[FoundTimexes] = (),
                    tagged: Sequence[list[Timex]] | None = None,
                    shown: Sequence[list[Timex]] | None = None) -> ArticleExtraction:
    """Tag and find events piece by piece; a piece's Doc is not needed once its turn is over.
    `found`: the timexes found in the first pieces, when already found;
    `tagged`: each piece's timexes when already resolved against the article's publication date;
    `shown`: each piece's timexes to return instead of those the events were dated with."""
    timexes: list[Timex] = []
    mentions: list[EventMention] = []
    sentence_offset = 0
    # An article known only to be published on or after a day is read as if published that day
    # (the earliest its relative dates can be), and its event dates are then widened to "on or after".
    reference = _reference_date(article)
    bounded = article.publication_date is None and reference is not None
    reading = dataclasses.replace(article, publication_date=reference) if bounded else article
    for index, (offset, doc) in enumerate(parsed):
        if tagged is not None:
            piece_timexes = tagged[index]
        else:
            piece_found = found[index] if index < len(found) else find_timexes(doc_text(doc), doc)
            piece_timexes = resolve_timexes(piece_found, reference)
        piece_article = reading if single else dataclasses.replace(reading, body=doc_text(doc))
        timexes.extend(_shift_timex(t, offset) for t in (shown[index] if shown is not None else piece_timexes))
        mentions.extend(
            _shift_mention(m, offset, sentence_offset) for m in extract_events(piece_article, doc, piece_timexes)
        )
        if not single:
            sentence_offset += len(sentences(doc))
    return ArticleExtraction(article=article, timexes=tuple(timexes),
                             mentions=tuple(mark_bounded(mentions) if bounded else mentions))


def _reference_date(article: Article) -> dt.date | None:
    """The date an article's relative expressions are read against: its publication date, else its earliest."""
    return article.publication_date or article.publication_date_earliest


def _extract_long(article: Article, nlp: Language) -> ArticleExtraction:
    """Extraction of a body longer than one piece, streaming its pieces through the parser.

    Memory stays that of one parser batch whatever the length. The publication date of an
    undated long text is looked for in its first piece only: datelines and "Published" lines
    sit at the top, and searching every piece would mean keeping or re-parsing all of them.
    """
    pieces = split_into_pieces(article.body)
    parsed_first: list[Doc] = []
    found: list[FoundTimexes] = []
    if article.publication_date is None:
        first = pieces[0][1]
        parsed_first.append(remember_text(nlp(first), first))  # parsed once: reused below
        found.append(find_timexes(first, parsed_first[0]))  # found once: resolved again below
        article = date_article_from_text(article, resolve_timexes(found[0], None))
    rest = nlp.pipe((piece for _, piece in pieces[len(parsed_first):]),
                    batch_size=max(1, MAX_BATCH_CHARS // MAX_PIECE_CHARS))
    docs = itertools.chain(parsed_first, (remember_text(doc, piece) for (_, piece), doc
                                          in zip(pieces[len(parsed_first):], rest, strict=True)))
    return _extract_pieces(article, ((offset, doc) for (offset, _), doc in zip(pieces, docs, strict=True)), False,
                           found=found)


def extract_articles(articles: Sequence[Article], nlp: Language, batch_size: int = 16,
                     n_process: int = 1) -> list[ArticleExtraction]:
    """Extraction of a batch of articles, in input order. Long bodies are streamed one by one."""
    long = {index for index, article in enumerate(articles) if len(article.body) > MAX_PIECE_CHARS}
    short = [article for index, article in enumerate(articles) if index not in long]
    done = (extract_parsed(article, parsed) for article, parsed in _docs_by_article(short, nlp, batch_size, n_process))
    return [_extract_long(article, nlp) if index in long else next(done) for index, article in enumerate(articles)]


def extract_batch_safely(articles: Sequence[Article], n_process: int = 1) -> list[ArticleExtraction | DocumentRecord]:
    """Extraction of a batch; an article that makes extraction fail is reported as failed, not fatal.

    Free of Prefect, so that extraction worker processes (`flows.parallel`) need not import it.
    """
    nlp = load_nlp()
    try:
        return list(extract_articles(articles, nlp, n_process=n_process))
    except Exception:  # noqa: BLE001 — isolate the article that fails below
        pass
    results: list[ArticleExtraction | DocumentRecord] = []
    for article in articles:
        try:
            results.extend(extract_articles([article], nlp))
        except Exception as exc:  # noqa: BLE001 — one bad article must not stop the run
            results.append(failed_record(article, f"extraction failed: {type(exc).__name__}: {str(exc)[:200]}"))
    return results


def failed_record(article: Article, reason: str) -> DocumentRecord:
    return DocumentRecord(
        doc_id=article.doc_id, path=article.path, status="failed", reason=reason, title=article.title,
        publication_date=article.publication_date, publication_date_source=article.publication_date_source,
        publication_date_earliest=article.publication_date_earliest,
        publication_date_evidence=article.publication_date_evidence,
        warnings=article.warnings,
    )
