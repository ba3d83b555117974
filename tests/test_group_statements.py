"""A group's statement is its official's (`extractors.merge.group_statements`): who speaks is read
from the parse (`descriptions.speaks_as_group`), and a group's statement joins the same statement
of the one official the article names in full."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from extractors.events import extract_events
from extractors.merge import merge_mentions
from extractors.merge.group_statements import GroupStatementsError, load_group_rules
from extractors.schema import Article, EventMention
from extractors.timex import tag_timexes
from tests.test_merge import from_example

PUBLISHED = dt.date(2023, 9, 8)


def _events(nlp, text: str) -> list[EventMention]:
    doc = nlp(text)
    article = Article("t", "t", text, publication_date=PUBLISHED, publication_date_source="metadata")
    return extract_events(article, doc, tag_timexes(text, article.publication_date, doc=doc))


@pytest.mark.parametrize("text,trigger,group", [
    ("US officials have warned in recent days that the talks are advancing.", "warned", True),
    ("White House officials hinted at a possible summit.", "hinted", True),
    # A light verb's noun: the subject of the support verb speaks.
    ("The Biden administration issued a warning that North Korea would pay a price.", "warning", True),
    ("The Biden administration issued a warning that North Korea would pay a price.", "issued", True),
    ("The National Security Council confirmed that the talks are progressing.", "confirmed", True),
    ("Washington warned Pyongyang on Monday against any arms deal.", "warned", True),
    # One person, named or described, is no group; analysts are many people, not a body.
    ("Jake Sullivan said on Tuesday that the talks were advancing.", "said", False),
    ("A former US intelligence official said on Thursday that the talks would fail.", "said", False),
    ("Analysts said on Monday that the talks would fail.", "said", False),
])
def test_group_statements_speaker_read_from_the_parse(nlp, text, trigger, group):
    found = [m for m in _events(nlp, text) if m.trigger == trigger]
    assert found, trigger
    assert found[0].group_speaker is group


def _of_one_article(raw: dict[str, Any], start: int, group: bool) -> EventMention:
    m = from_example("doc", raw)
    # Sentences of their own (mentions 100 characters apart are in different sentences).
    return dataclasses.replace(m, group_speaker=group, sentence_index=start // 100, trigger_start=start,
                               trigger_end=start + len(m.trigger), clause_start=start, clause_end=start + len(m.summary))


@pytest.mark.parametrize(("a", "b", "merged"), load_group_rules().examples,
                         ids=[f"example-{k}" for k in range(len(load_group_rules().examples))])
def test_group_statements_examples(a: dict[str, Any], b: dict[str, Any], merged: bool) -> None:
    entries = merge_mentions([_of_one_article(a, 0, True), _of_one_article(b, 200, False)])
    assert (len(entries) == 1) is merged, [(e.type, e.summary, len(e.sources)) for e in entries]
    if merged:
        assert entries[0].actors[0] == b["actors"][0]  # the official's entry leads
        assert entries[0].date.value == b["date"]


def test_group_statements_never_bridge_two_officials() -> None:
    group = {"summary": "US officials have warned that arms negotiations between Russia and North Korea are actively advancing",
             "actors": ["US"], "type": "warning", "date": "PAST_REF"}
    said = "{} said on Tuesday that arms negotiations between Russia and North Korea were actively advancing"
    people = [{"summary": said.format(name), "actors": [name], "type": "statement", "date": "2023-09-05"}
              for name in ("Jake Sullivan", "John Kirby")]
    entries = merge_mentions([_of_one_article(group, 0, True), *(_of_one_article(p, 200 + 200 * k, False)
                                                                 for k, p in enumerate(people))])
    assert not any({"US", "Jake Sullivan"} <= set(e.actors) or {"US", "John Kirby"} <= set(e.actors) for e in entries)


ARTICLE = (
    "US officials have warned in recent days that arms negotiations between Ruritania and Freedonia are "
    "actively advancing. The talks began in June.\n\n"
    "National security adviser Jane Holloway said on Tuesday that arms negotiations between Ruritania and "
    "Freedonia were actively advancing. This statement comes after the administration issued a warning that "
    "Freedonia would “pay a price” for any arms deal. Holloway also said in a briefing, “Freedonia will pay a "
    "price for this in the international community.”"
)


def test_group_statements_written_article_one_statement(nlp) -> None:
    mentions = _events(nlp, ARTICLE)
    warned = next(m for m in mentions if m.trigger == "warned")
    said = next(m for m in mentions if m.trigger == "said" and "Tuesday" in m.sentence)
    warning = next(m for m in mentions if m.trigger == "warning")
    assert warned.group_speaker and warning.group_speaker and not said.group_speaker
    entries = merge_mentions(mentions)
    (entry,) = [e for e in entries if any(src.start == said.trigger_start for src in e.sources)]
    starts = {src.start for src in entry.sources}
    assert {warned.trigger_start, warning.trigger_start} <= starts
    assert entry.actors[0] == "Jane Holloway"
    assert entry.date.value == "2023-09-05"


def test_group_statements_rules_validated(monkeypatch) -> None:
    import extractors.merge.group_statements as gs

    monkeypatch.setattr(gs, "load_yaml", lambda name: {"min_text": 1.5, "min_quote_words": 3})
    gs.load_group_rules.cache_clear()
    try:
        with pytest.raises(GroupStatementsError, match="min_text"):
            gs.load_group_rules()
    finally:
        gs.load_group_rules.cache_clear()
