"""Events of topics the trigger models never saw (issue 16): nouns found by their WordNet classes
(`extractors/wordnet_classes.py`), verbs that fail their type's argument check typed by their
event object, and economic nouns graded as an amount typed as such."""

from __future__ import annotations

import pytest
from conftest import load_benchmark
from test_events import _events, _one

from extractors.wordnet_classes import WordNetClassesError, parse_wordnet_classes, word_classes


@pytest.mark.parametrize("sentence,trigger,type_", [
    # nouns of disasters, markets and business that the tuning documents never held
    ("The blackout left two million homes without power.", "blackout", "other"),
    ("The landslide buried a village in the province.", "landslide", "disaster"),
    ("The downgrade hit the bank's shares.", "downgrade", "business"),
    ("The carmaker's bankruptcy shocked investors.", "bankruptcy", "business"),
    ("The heist took place at night.", "heist", "other"),
])
def test_event_generalization_unseen_nouns_found(nlp, sentence, trigger, type_):
    assert _one(_events(nlp, sentence), trigger).type == type_


@pytest.mark.parametrize("sentence,trigger,type_", [
    # a verb that is no market move here takes the type of the event it acts on
    ("Airbus halted deliveries of the jet last month.", "halted", "transfer"),
    ("The exchange halted trading at noon.", "halted", "market"),
    # an economic noun graded as an amount is no warning or transfer
    ("There was great demand for the new phone.", "demand", "business"),
    ("Strong demand from China lifted copper prices.", "demand", "business"),
    ("The airline reported heavy investment in new jets.", "investment", "business"),
    # owned, or saying what is asked: the taxonomy's type stays
    ("Iran rejected the demand that it halt enrichment.", "demand", "warning"),
    ("China's demand was rejected.", "demand", "warning"),
])
def test_event_generalization_types_from_arguments(nlp, sentence, trigger, type_):
    assert _one(_events(nlp, sentence), trigger).type == type_


@pytest.mark.parametrize("lemma,pos,classes", [
    ("derailment", "noun", ("event",)),
    ("decision", "noun", ("act", "cognition", "event")),
    ("plunge", "verb", ("contact", "motion")),
    ("reuters", "noun", ()),
])
def test_event_generalization_wordnet_classes(lemma, pos, classes):
    assert word_classes(lemma, pos) == classes


@pytest.mark.parametrize("text", [
    "noun\tact\n",  # no lemmas column
    "noun\tmeal\tdinner\n",  # not a lexicographer class
    "adverb\tact\tquickly\n",  # not a part of speech the table holds
])
def test_event_generalization_wordnet_table_validated(text):
    with pytest.raises(WordNetClassesError):
        parse_wordnet_classes(text)


@pytest.mark.parametrize("names,corpus,same_fold", [
    (("12_3ecb", "12_7ecbplus"), "ecbplus", True),  # one topic stays in one fold
    (("12_3ecb", "13_3ecb"), "ecbplus", False),
])
def test_event_generalization_folds_by_topic(names, corpus, same_fold):
    fold_of = load_benchmark("trigger_cv").fold_of
    assert (fold_of(names[0], corpus, 5) == fold_of(names[1], corpus, 5)) is same_fold


def test_event_generalization_wordnet_builder_reads_princeton_files(tmp_path):
    """`benchmarks/build_wordnet_classes.py` on a two-synset database in the Princeton format."""
    (tmp_path / "data.noun").write_text(
        "  1 licence line\n"
        "00000001 11 n 01 derailment 0 000 | an accident in which a train runs off its track\n"
        "00000002 06 n 01 engine 0 000 | a motor\n", encoding="utf-8")
    (tmp_path / "index.noun").write_text(
        "  1 licence line\nderailment n 1 0 1 0 00000001\nengine n 1 0 1 0 00000002\n", encoding="utf-8")
    (tmp_path / "data.verb").write_text("00000003 38 v 01 derail 0 000 | run off the rails\n", encoding="utf-8")
    (tmp_path / "index.verb").write_text("derail v 1 0 1 0 00000003\n", encoding="utf-8")
    out = tmp_path / "classes.tsv"
    load_benchmark("build_wordnet_classes").main(["--wordnet", str(tmp_path), "--out", str(out)])
    table = parse_wordnet_classes(out.read_text(encoding="utf-8"))
    assert table == {"noun": {"derailment": ("event",), "engine": ("artifact",)}, "verb": {"derail": ("motion",)}}
