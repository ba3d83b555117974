"""Write `extractors/resources/events/wordnet_classes.tsv` from a WordNet 3.0 database directory.

    python benchmarks/build_wordnet_classes.py --wordnet DIR [--senses 3]

DIR holds the Princeton files `index.noun`, `index.verb`, `data.noun` and `data.verb`, for example
`/usr/share/wordnet` of Debian's `wordnet-base` package (`apt-get install wordnet-base`, or
`apt-get download wordnet-base && dpkg-deb -x wordnet-base_*.deb DEST`) or an NLTK `corpora/wordnet`. For every one-word noun and verb lemma it writes
the lexicographer classes ("act", "event", "artifact", "motion", ...) of its first `--senses`
senses, most frequent first, without repeats, one line per part of speech and class list:
`noun<TAB>act,cognition,event<TAB>decision ...` (the lemmas sharing those classes, space-separated).
The trigger models use them as features that do not memorize a lemma, so a noun of a topic never
seen in training ("the derailment": noun.event) is scored by its kind. WordNet 3.0 is
Copyright 2006 by Princeton University; its licence permits redistribution with the notice, which
the file's header carries.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "extractors" / "resources" / "events" / "wordnet_classes.tsv"
_WORD = re.compile(r"[a-z][a-z-]*[a-z]")
HEADER = (
    "# Lexicographer classes of the first senses of one-word nouns and verbs, from WordNet 3.0.\n"
    "# Written by benchmarks/build_wordnet_classes.py; columns: pos, classes (most frequent sense first), lemmas.\n"
    "# WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved. Permission to use, copy,\n"
    "# modify and distribute this database for any purpose and without fee or royalty is granted provided\n"
    "# this notice appears on all copies. THE DATABASE IS PROVIDED \"AS IS\" AND PRINCETON UNIVERSITY MAKES NO\n"
    "# REPRESENTATIONS OR WARRANTIES, EXPRESS OR IMPLIED. The name of Princeton University may not be used in\n"
    "# advertising or publicity pertaining to distribution of the database.\n"
)


# The lexicographer files of WordNet 3.0 by number, as lexnames(5WN) lists them (Debian's
# wordnet-base does not ship the `lexnames` file itself).
LEXNAMES = (
    "adj.all adj.pert adv.all noun.Tops noun.act noun.animal noun.artifact noun.attribute noun.body "
    "noun.cognition noun.communication noun.event noun.feeling noun.food noun.group noun.location "
    "noun.motive noun.object noun.person noun.phenomenon noun.plant noun.possession noun.process "
    "noun.quantity noun.relation noun.shape noun.state noun.substance noun.time verb.body verb.change "
    "verb.cognition verb.communication verb.competition verb.consumption verb.contact verb.creation "
    "verb.emotion verb.motion verb.perception verb.possession verb.social verb.stative verb.weather "
    "adj.ppl").split()


def lexnames() -> dict[str, str]:
    """Lexicographer file number ("04") -> class without its part of speech ("act")."""
    return {f"{number:02d}": name.split(".", 1)[1] for number, name in enumerate(LEXNAMES)}


def synset_classes(wordnet: Path, pos: str, names: dict[str, str]) -> dict[str, str]:
    """Synset offset -> class, from `data.POS` (its second field is the lexicographer file)."""
    out = {}
    with (wordnet / f"data.{pos}").open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith(" "):
                continue  # the licence header
            offset, lex_file, _ = line.split(" ", 2)
            out[offset] = names[lex_file]
    return out


def lemma_classes(wordnet: Path, pos: str, senses: int) -> list[tuple[str, list[str]]]:
    classes = synset_classes(wordnet, pos, lexnames())
    rows = []
    with (wordnet / f"index.{pos}").open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith(" "):
                continue
            fields = line.split()
            lemma = fields[0]
            if not _WORD.fullmatch(lemma):
                continue
            synset_count = int(fields[2])
            offsets = fields[-synset_count:]  # in order of sense frequency
            seen: list[str] = []
            for offset in offsets[:senses]:
                if classes[offset] not in seen:
                    seen.append(classes[offset])
            rows.append((lemma, seen))
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wordnet", type=Path, required=True)
    parser.add_argument("--senses", type=int, default=3)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    lines = [HEADER]
    count = 0
    for pos in ("noun", "verb"):
        groups: dict[str, list[str]] = {}
        for lemma, cls in lemma_classes(args.wordnet, pos, args.senses):
            groups.setdefault(",".join(cls), []).append(lemma)
            count += 1
        lines.extend(f"{pos}\t{cls}\t{' '.join(words)}\n" for cls, words in sorted(groups.items()))
    args.out.write_text("".join(lines), encoding="utf-8")
    print(f"wrote {args.out} ({count} lemmas, {args.out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
