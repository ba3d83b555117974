"""References without a name (`extractors.references`) in market and business news: the index or
market a movement is about, "they"/"their" for organizations named together, class nouns with
cue words. The sentences are written for these tests (no corpus text)."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.events import extract_events
from extractors.references import ReferenceResourceError
from extractors.schema import Article
from extractors.timex import tag_timexes


def _event(nlp, text: str, trigger: str):
    doc = nlp(text)
    article = Article("t", "t", text, publication_date=dt.date(2021, 3, 4), publication_date_source="metadata")
    events = [e for e in extract_events(article, doc, tag_timexes(text, article.publication_date, doc=doc))
              if e.trigger == trigger]
    assert events, trigger
    return events[0]


@pytest.mark.parametrize("text,trigger,actor", [
    # The market as a whole is the last index named, else the next one in the same sentence.
    ("The Hang Seng index fell 2 percent on Tuesday. Stocks rebounded on Wednesday.", "rebounded", "Hang Seng"),
    ("Stocks rebounded on Wednesday after a three-day slide, and the Nasdaq Composite closed at a record.",
     "rebounded", "Nasdaq Composite"),
    ("The Nikkei 225 slipped on Monday. Shares closed at a record high on Friday.", "closed", "Nikkei 225"),
    ("The Nikkei 225 slipped on Monday. Trading was halted on Tuesday after a power cut.", "halted", "Nikkei 225"),
    # An index the recognizer reads as a number ("225") or as an organization before "index".
    ("The Nikkei 225 rose 1.5 percent on Thursday.", "rose", "Nikkei 225"),
    ("The FTSE 100 index edged higher on Monday. The index gained 0.4 percent on Tuesday.", "gained", "FTSE 100"),
    # "they"/"their": organizations that were the subject together.
    ("Ford and General Motors said on Monday they would recall 300,000 vehicles.", "recall", "General Motors"),
    ("Ford and General Motors reported losses on Monday. Their shares fell in early trading.", "fell", "Ford"),
    # A class noun prefers the name with its cue word.
    ("Delta Air Lines ordered 30 jets from Boeing on Monday. The airline said it would hire 500 pilots.",
     "hire", "Delta Air Lines"),
    # A definite description naming the last word of an organization named before.
    ("Acme Records opened the Acme Music Store in May. The store sells songs by the track.", "sells",
     "Acme Music Store"),
    # A gerund's subject is that of the clause its preposition attaches to.
    ("Acme Records ended its show by unveiling a new player on Monday.", "unveiling", "Acme Records"),
    # The nearest named subject before "it" is its antecedent.
    ("Judge Anna Berg agreed that, while the Acme Music Store is branded, the music it sells is not.", "sells",
     "Acme Music Store"),
    # A state held: "is on leave", "is in talks".
    ("Delta Air Lines said on Monday that the airline was in talks with Boeing.", "talks", "Delta Air Lines"),
    # An index named by an alias with other characters than letters ("S&P").
    ("The S&P 500 rose on Monday. The index has climbed 12 percent this year.", "climbed", "Standard & Poor's 500"),
    # A one-word alias written as a common noun; "it" is the reporter, not the reported subject.
    ("Airbus delayed the A380 again. The planemaker said the superjumbo would enter service in October, "
     "and it expects to deliver 13 planes next year.", "enter", "Airbus A380"),
    ("Airbus delayed the A380 again. The planemaker said the superjumbo would enter service in October, "
     "and it expects to deliver 13 planes next year.", "deliver", "Airbus"),
    # "its" after a subject named by a class noun.
    ("Nissan's sales fell 20 percent in March, the automaker said, and its profit dropped by half.", "dropped",
     "Nissan"),
    # A description's own word in a name: "the computer company" is not the label named since.
    ("Acme Computer opened a store in May. Beta Records sued, saying the computer company violated an agreement.",
     "violated", "Acme Computer"),
    # A chain of subjects: "the index" then "it".
    ("The Hang Seng index fell on Monday. The index closed at 24,310 on Tuesday. It gained 1.4 percent on Wednesday.",
     "gained", "Hang Seng"),
    # An intention's holder: the subject of the verb whose object it is.
    ("General Motors announced plans on Monday to cut 5,000 jobs and close three plants.", "cut", "General Motors"),
    # "its" after an index named by its alias in the same sentence.
    ("The Dow Jones industrial average dropped 300 points on Monday, its biggest fall in a month.", "fall",
     "Dow Jones Industrial Average"),
    # A plural of a product the article names is that product, and "they" after it too.
    ("Acme launched the Zephyr music player in 2001. The Zephyrs were released in white, and they were "
     "shipped to Japan in May.", "shipped", "Zephyr"),
    ("Acme launched the Zephyr music player in 2001. The Zephyrs were released in white. They were shipped "
     "to Japan in May.", "shipped", "Zephyr"),
    ("Acme launched the Zephyr music player in 2001. The Zephyrs were released in white.", "released", "Zephyr"),
    # A plural of a one-word alias.
    ("Qantas grounded its fleet on Thursday. The superjumbos were inspected on Friday.", "inspected",
     "Airbus A380"),
    # "I"/"we" in a quote are its speaker's; "we" the organization the speaker speaks for.
    ("\"We will cut 1,000 jobs this year,\" said Alan Mulally, Ford's chief executive.", "cut", "Ford"),
    ("\"I expect deliveries to start in October,\" Airbus chief executive Tom Enders said on Monday.", "expect",
     "Tom Enders"),
    ("Tom Enders spoke first. \"I expect the plant to close,\" said Maria Lopez.", "expect", "Maria Lopez"),
    # A quote without a reporting verb continues the speaker of the quote before it.
    ("\"We will cut 1,000 jobs,\" said Alan Mulally, Ford's chief executive. \"I hope to return to profit in 2011.\"",
     "return", "Alan Mulally"),
    ("\"Next year we will close two plants,\" a Renault spokesman said on Monday.", "close", "Renault"),
    # A memo given in full after a colon, over the paragraphs written in the first person, is its author's.
    ("Acme Motors published the text of Maria Lopez's email, which reads: Team, I have decided to retire."
     "\n\nI have asked Tom Berg to lead the company.", "asked", "Maria Lopez"),
    ("Acme Motors published the text of Maria Lopez's email, which reads: Team, I have decided to retire.",
     "decided", "Maria Lopez"),
    # A common noun the text uses for a name (apposition, predicate noun, a product's own noun)
    # refers back to it, with no alias list.
    ("Tata Motors unveiled the Nano, a tiny car, on Thursday. The car will be sold in India from October.",
     "sold", "Nano"),
    ("Embraer delivered its first E195 jetliner to Lufthansa on Monday. The jetliner entered service on Friday.",
     "entered", "E195"),
])
def test_references_market_and_business_participants(nlp, text, trigger, actor):
    assert actor in _event(nlp, text, trigger).actors


@pytest.mark.parametrize("text,trigger,not_actor", [
    # Shares of a company are the company's, not the index's.
    ("The Hang Seng index fell on Tuesday. Shares of Lenovo rose 3 percent.", "rose", "Hang Seng"),
    ("The Hang Seng index fell on Tuesday. Toyota's shares rose 3 percent.", "rose", "Hang Seng"),
    # The market of a place named with it is not the last index.
    ("The Hang Seng index fell on Monday. Trading in Tokyo was suspended for an hour.", "suspended", "Hang Seng"),
    # "they" after one company is not that company (the pronoun is plural).
    ("Toyota posted a loss on Monday. They blamed the weak yen.", "blamed", "Toyota"),
    # A nationality describing a company or the market is not a participant.
    ("Ryanair posted a profit on Monday. The Irish carrier also announced an order for 100 jets.", "order", "Irish"),
    ("The FTSE 100 fell on Monday. European stocks closed lower on Friday.", "closed", "European"),
    # A name inside an apposition describes the name it follows.
    ("Sensex, the benchmark index of the Bombay Stock Exchange, rose 200 points on Friday.", "rose",
     "Bombay Stock Exchange"),
    # An expletive "it" stands for the clause after it.
    ("Acme Records settled with Beta Music on Monday. It feels great to resolve this dispute, Beta Music said.",
     "resolve", "Acme Records"),
    # "the exchange" names an exchange, never merely the last company.
    ("Apple reported record sales on Monday. Trading on the exchange was halted.", "halted", "Apple"),
    # "I" is the quote's speaker, not the person named last.
    ("Tom Enders spoke first. \"I expect the plant to close,\" said Maria Lopez.", "expect", "Tom Enders"),
    # A colon passage ends at a paragraph not written in the first person.
    ("Acme Motors published the text of Maria Lopez's email, which reads: Team, I have decided to retire."
     "\n\nThe board met on Monday.\n\nI think the board acted wisely, said Tom Berg.", "think", "Maria Lopez"),
    # An organization modifying a noun is not what the noun names.
    ("Toyota opened the Georgetown plant in 1988. The plant was expanded in 2004.", "expanded", "Toyota"),
])
def test_references_unclear_or_owned_stay_apart(nlp, text, trigger, not_actor):
    assert not_actor not in _event(nlp, text, trigger).actors


@pytest.mark.parametrize("text,trigger", [
    ("The FTSE 100 index ended the session lower on Monday.", "ended"),
    ("The Hang Seng index fell on Tuesday, and the market lost 3 percent over the week.", "lost"),
])
def test_references_movement_of_a_market_is_a_market_event(nlp, text, trigger):
    assert _event(nlp, text, trigger).type == "market"


def test_references_reject_cue_required_without_cues(monkeypatch):
    import extractors.references as rf

    bad = {"classes": {"company": ["exchange"]}, "cue_required": ["exchange"]}
    monkeypatch.setattr(rf, "load_yaml", lambda name: bad)
    rf.load_references.cache_clear()
    try:
        with pytest.raises(ReferenceResourceError, match="cue_required"):
            rf.load_references()
    finally:
        rf.load_references.cache_clear()
