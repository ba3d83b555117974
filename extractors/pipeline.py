"""Per-article extraction: parse once, find temporal expressions and events; dates are bound later.

`extract_batch_safely` is what a flow task calls for a batch of articles. Each article is parsed
once (long bodies in bounded pieces, so a 50 MB line never reaches spaCy whole); the same `Doc`
serves the temporal tagger's finding and the event extractor. What they keep does not depend on
the publication date (`DateFreeExtraction`), so it is cached by the article's content, and
`date_binding.bind_publication_date` then dates the article (from its text when it has no
date), resolves its timexes and dates its events without the parse, again for an estimated date.
`extract_articles` does both.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator, Sequence

from spacy.language import Language
from spacy.tokens import Doc

from extractors.date_binding import ArticleExtraction, DateFreeExtraction, PieceFound, bind_publication_date
from extractors.events import find_events, sentences
from extractors.nlp import doc_text, load_nlp, remember_text
from extractors.schema import Article, DocumentRecord, EventMention
from extractors.timex import find_timexes
from extractors.timex_context import resolvable_extents

# Bump when extraction output can change for the same input: it is part of the cache key.
# 2: what is cached is the extraction before publication dates are bound, keyed by content.
# 4: sentences start at the line breaks that end a headline or a date line (extractors.line_breaks);
#    a full name's English given name tells a person's gender for "she" and "he" (person_gender).
# 5: title-case and all-capitals lines are parsed in sentence case (extractors.truecase).
# 6: a date reaches the events it scopes over (event_dates, narrative_dates); a movement verb whose
#    subject is shares, stocks or an index is a market move (references.is_market_move).
# 7: a verb of change keeps its market or business type only when a price, the market, an economic
#    quantity or a number changes (event_arguments: "arms negotiations are advancing" is no market move).
# 8: participants are the predicate's own (no names of another event nested in an argument, of a
#    topic or circumstance preposition, nor a nationality adjective); acronyms an article expands
#    resolve to the full name; an edition's ordinal is no part of a name (actors, names).
# 9: the noun-trigger model weighs a noun's WordNet classes (wordnet_classes), so nouns of topics
#    its training never saw are found; a verb failing its argument check takes its event object's
#    type ("halted deliveries"); an economic noun graded as an amount is business ("great demand").
EXTRACTOR_VERSION = "9"
# spaCy's parser needs about 1 GB per 100,000 characters at worst; pieces this size stay well
# under that and under its max_length, and paragraphs rarely straddle them.
MAX_PIECE_CHARS = 50_000
# Characters parsed in one `nlp.pipe` batch: spaCy's working memory grows with the batch's tokens,
# so sixteen 50,000-character pieces at once cost gigabytes where sixteen news articles cost little.
MAX_BATCH_CHARS = 100_000


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


def extract_parsed(article: Article, parsed: Iterable[tuple[int, Doc]]) -> DateFreeExtraction:
    """What an article whose body is parsed as (offset, Doc) pieces yields before any publication
    date is bound: each piece's timexes found once and its events found once. A piece's Doc is not
    needed once its turn is over (long bodies stream through here)."""
    pieces: list[PieceFound] = []
    sentence_offset = 0
    for offset, doc in parsed:
        found = find_timexes(doc_text(doc), doc)
        events = find_events(article.doc_id, doc, resolvable_extents(found.text, found.candidates))
        if offset or sentence_offset:
            events = dataclasses.replace(events, mentions=tuple(
                _shift_mention(m, offset, sentence_offset) for m in events.mentions))
        pieces.append(PieceFound(offset, found, events))
        if offset + len(found.text) < len(article.body):  # another piece follows
            sentence_offset += len(sentences(doc))
    return DateFreeExtraction(article.doc_id, tuple(pieces))


def _extract_long(article: Article, nlp: Language) -> DateFreeExtraction:
    """Extraction of a body longer than one piece, streaming its pieces through the parser:
    memory stays that of one parser batch whatever the length."""
    pieces = split_into_pieces(article.body)
    docs = nlp.pipe((piece for _, piece in pieces), batch_size=max(1, MAX_BATCH_CHARS // MAX_PIECE_CHARS))
    return extract_parsed(article, ((offset, remember_text(doc, piece))
                                    for (offset, piece), doc in zip(pieces, docs, strict=True)))


def extract_date_free(articles: Sequence[Article], nlp: Language, batch_size: int = 16,
                      n_process: int = 1) -> list[DateFreeExtraction]:
    """What a batch of articles yields before publication dates are bound, in input order (each
    article parsed once). Long bodies are streamed one by one."""
    long = {index for index, article in enumerate(articles) if len(article.body) > MAX_PIECE_CHARS}
    short = [article for index, article in enumerate(articles) if index not in long]
    done = (extract_parsed(article, parsed) for article, parsed in _docs_by_article(short, nlp, batch_size, n_process))
    return [_extract_long(article, nlp) if index in long else next(done) for index, article in enumerate(articles)]


def extract_articles(articles: Sequence[Article], nlp: Language, batch_size: int = 16,
                     n_process: int = 1) -> list[ArticleExtraction]:
    """Extraction of a batch of articles with their publication dates bound, in input order."""
    return [bind_publication_date(article, extraction) for article, extraction
            in zip(articles, extract_date_free(articles, nlp, batch_size, n_process), strict=True)]


def extract_batch_safely(articles: Sequence[Article], n_process: int = 1) -> list[DateFreeExtraction | DocumentRecord]:
    """Extraction of a batch before publication dates are bound (`bind_publication_date` binds
    them); an article that makes extraction fail is reported as failed, not fatal.

    Free of Prefect, so that extraction worker processes (`flows.parallel`) need not import it.
    """
    nlp = load_nlp()
    try:
        return list(extract_date_free(articles, nlp, n_process=n_process))
    except Exception:  # noqa: BLE001 — isolate the article that fails below
        pass
    results: list[DateFreeExtraction | DocumentRecord] = []
    for article in articles:
        try:
            results.extend(extract_date_free([article], nlp))
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
