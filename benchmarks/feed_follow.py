"""Following a feed of N items: a cold run, an unchanged re-run, a re-run where the server ignores
the ETag, and one where a few items are new.

    python benchmarks/feed_follow.py [--items 200] [--new 10] [--n-process 0] [--latency 0.0] [--data DIR]

A local site (tests/feed_server.py, 127.0.0.1, a free port) serves an RSS feed of N items, each an
HTML article page: the first N news-silver documents when ../shared/data/news-silver is there
(their DCT as the item's pubDate), else generated short articles. `--latency` makes the site
wait that long before each page answer, as a remote site would. Each row runs the whole
`build_timeline` flow with `sources=[feed]` into one output folder (its archive in
OUTPUT/archive) and prints the wall time, the follow stage (fetching and archiving), the
extraction stage, the HTTP requests the site received and the processed articles. The Prefect
API is started before timing, and its start is printed separately.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the local site the feed tests use

from feed_server import Item, Site, article_html, rfc822, serve_site  # noqa: E402

import flows  # noqa: E402,F401  (offline Prefect defaults)

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "news-silver"


def silver_articles(folder: Path, count: int) -> list[tuple[str, list[str], str | None]]:
    """(title, paragraphs, ISO date) of the first `count` news-silver documents with text."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("throughput", ROOT / "benchmarks" / "throughput.py")
    assert spec and spec.loader
    throughput = importlib.util.module_from_spec(spec)
    sys.modules["throughput"] = throughput
    spec.loader.exec_module(throughput)
    found = []
    for path in sorted(folder.glob("*.tml")):
        parsed = throughput.read_silver(path)
        if parsed is None:
            continue
        dct, text = parsed
        paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()] or [text]
        found.append((path.stem, paragraphs, dct or None))
        if len(found) == count:
            break
    return found


def generated_articles(count: int) -> list[tuple[str, list[str], str | None]]:
    """Short distinct articles from word lists (fixed seed)."""
    rng = random.Random(7)
    actors = ["the finance minister", "the opposition leader", "the central bank", "the city council", "the union",
              "the army", "the health agency", "the energy regulator", "the mayor", "the prime minister"]
    verbs = ["announced", "rejected", "approved", "postponed", "criticised", "signed", "proposed", "suspended"]
    objects = ["a budget plan", "a ceasefire", "new tariffs", "a rail strike", "a trade deal", "a vaccine rollout",
               "an inquiry", "a tax cut", "an emissions target", "a housing reform"]
    places = ["Lisbon", "Nairobi", "Lima", "Hanoi", "Oslo", "Quito", "Accra", "Tbilisi", "Perth", "Seville"]
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
    articles = []
    for index in range(count):
        actor, verb, obj, place = rng.choice(actors), rng.choice(verbs), rng.choice(objects), rng.choice(places)
        day = dt_day(index)
        paragraphs = [
            f"In {place}, {actor} {verb} {obj} on {rng.choice(days)}, officials said. Item {index} of the story.",
            f"Critics said the move, first discussed in {rng.choice(['March', 'April', 'May', 'June'])}, "
            f"would cost {rng.randint(2, 900)} million dollars.",
            f"A vote is expected {rng.choice(['next week', 'next month', 'in the autumn', 'before the end of the year'])}.",
        ]
        articles.append((f"{actor.capitalize()} {verb} {obj} ({index})", paragraphs, day))
    return articles


def dt_day(index: int) -> str:
    import datetime as dt

    return (dt.date(2023, 1, 1) + dt.timedelta(days=index % 300)).isoformat()


def publish(site: Site, articles: list[tuple[str, list[str], str | None]], start: int, stop: int) -> None:
    for index in range(start, stop):
        title, paragraphs, day = articles[index]
        path = f"/news/{index}.html"
        site.pages[path] = article_html(title, paragraphs)
        year, month, dom = (int(x) for x in day.split("-")) if day else (None, None, None)
        site.items.append(Item(path, title, rfc822(year, month, dom) if year else None))


def timed_run(site: Site, output: Path, n_process: int) -> dict[str, float]:
    from flows.build_timeline import build_timeline

    before = sum(site.requests.values())
    before_pages = site.page_requests()
    start = time.perf_counter()
    result = build_timeline(sources=[f"{site.base}/feed.xml"], output_dir=str(output), n_process=n_process)
    return {"wall": time.perf_counter() - start, "fetch": result.timings.get("fetch", 0.0),
            "extract": result.timings.get("extract", 0.0), "requests": sum(site.requests.values()) - before,
            "pages": site.page_requests() - before_pages,
            "processed": sum(1 for d in result.documents if d.status == "processed"),
            "extracted": len(result.extracted)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--new", type=int, default=10, help="items added for the last row")
    parser.add_argument("--n-process", type=int, default=0)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds the site waits before each page")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()

    total = args.items + args.new
    articles = silver_articles(args.data, total) if args.data.is_dir() else []
    corpus = "news-silver" if len(articles) == total else "generated"
    if corpus == "generated":
        articles = generated_articles(total)
    from flows.runners import start_local_api

    start = time.perf_counter()
    start_local_api()
    print(f"Prefect API start: {time.perf_counter() - start:.1f} s; corpus: {corpus}; latency {args.latency} s/page")
    work = Path(tempfile.mkdtemp(prefix="timeline-feed-follow-"))
    rows = []
    try:
        site = Site()
        for path in (f"/news/{i}.html" for i in range(total)):
            if args.latency:
                site.slow[path] = args.latency
        with serve_site(site):
            publish(site, articles, 0, args.items)
            output = work / "out"
            rows.append((f"cold: {args.items} items, empty archive", timed_run(site, output, args.n_process)))
            rows.append(("re-run, feed unchanged (304)", timed_run(site, output, args.n_process)))
            site.etag_support = False
            rows.append(("re-run, server ignores ETag (feed re-read)", timed_run(site, output, args.n_process)))
            site.etag_support = True
            publish(site, articles, args.items, total)
            rows.append((f"re-run, {args.new} new items", timed_run(site, output, args.n_process)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print()
    print("| run | wall s | follow stage s | extract s | requests | page requests | processed | extracted |")
    print("|---|---|---|---|---|---|---|---|")
    for name, row in rows:
        print(f"| {name} | {row['wall']:.1f} | {row['fetch']:.2f} | {row['extract']:.2f} | {row['requests']} | "
              f"{row['pages']} | {row['processed']} | {row['extracted']} |")


if __name__ == "__main__":
    main()
