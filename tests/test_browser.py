"""The timeline page as a person sees it: rendered in headless Chromium, looked at, clicked.

Needs Debian's `chromium` (scripts install it with apt) driven by Playwright's Python package
through `executable_path`; no browser is downloaded. Skips with a message when either is
missing. Screenshots are kept under test-artifacts/ (gitignored; CI uploads them).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from test_html_view import DOC_A, DOC_B, sample_timeline, synthetic_timeline

from extractors.html_view import date_label, day_number, render_timeline_html

pytestmark = pytest.mark.browser

PROJECT_ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = _chromium()
    if executable is None:
        pytest.skip("Chromium is not installed (Debian: `apt-get install chromium`, as scripts/ do; "
                    "or set CHROMIUM=/path/to/chromium): browser tests skipped")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright's Python package is not installed "
                                   "(pip install -e '.[dev]'): browser tests skipped")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def expect(locator: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


class OpenPage:
    """A loaded timeline page and everything that went wrong while it was open."""

    def __init__(self, page: Any, errors: list[str], requests: list[str]) -> None:
        self.page = page
        self.errors = errors
        self.requests = requests

    def x_of(self, day: float) -> float:
        """The page-coordinate x of a day number on the chart's current scale."""
        view = self.page.eval_on_selector("#chart", "n => ({...n.dataset, x: n.getBoundingClientRect().x})")
        start, end = float(view["viewStart"]), float(view["viewEnd"])
        return view["x"] + float(view["plotLeft"]) + (day - start) / (end - start) * float(view["plotWidth"])

    def mark_box(self, event_id: str) -> dict[str, float]:
        mark = self.page.locator(f'#chart .mark[data-id="{event_id}"]')
        assert mark.count() == 1, f"{event_id} has {mark.count()} marks on the chart"
        return mark.bounding_box()

    def row(self, event_id: str) -> Any:
        return self.page.locator(f'tr[data-id="{event_id}"]')

    def assert_clean(self) -> None:
        assert self.errors == [], self.errors
        assert self.requests == [], f"the page tried to fetch {self.requests}"


@pytest.fixture
def open_timeline(browser, tmp_path) -> Iterator[Callable[..., OpenPage]]:
    contexts = []

    def open_(timeline: dict[str, Any] | None = None, *, html_file: Path | None = None,
              viewport: tuple[int, int] = (1400, 1000), fragment: str = "") -> OpenPage:
        if html_file is None:
            html_file = tmp_path / "timeline.html"
            html_file.write_text(render_timeline_html(timeline), encoding="utf-8")
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        requests: list[str] = []
        page.on("console", lambda m: errors.append(f"console.{m.type}: {m.text}") if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
        target = html_file.resolve().as_uri()

        def route(r: Any) -> None:
            if r.request.url.split("#")[0] == target:
                r.continue_()
            else:
                requests.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.goto(target + (f"#{fragment}" if fragment else ""))
        page.wait_for_selector("body[data-ready=true]", timeout=30_000)
        return OpenPage(page, errors, requests)

    yield open_
    for context in contexts:
        context.close()


def _screenshot(page: Any, name: str, full_page: bool = True) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=full_page)
    return path


def _days(start: str, end: str) -> tuple[int, int]:
    return day_number(start), day_number(end) + 1  # marks cover whole days: [start, end + 1)


# ---- the hand-built sample ---------------------------------------------------------------------

@pytest.fixture
def sample(open_timeline) -> OpenPage:
    return open_timeline(sample_timeline())


def test_browser_sample_events_listed_with_their_dates(sample):
    for event in sample_timeline()["events"]:
        row = sample.row(event["id"])
        assert row.count() == 1, event["id"]
        expected = date_label(event["date"], event["date_mod"], event["date_start"], event["date_end"])
        assert row.locator("td.date").inner_text() == expected
        assert event["summary"] in row.inner_text()
        table = "undated-table" if event["date_start"] is None else "events-table"
        assert sample.page.locator(f'#{table} tr[data-id="{event["id"]}"]').count() == 1
    sample.assert_clean()
    _screenshot(sample.page, "timeline-sample.png")


def test_browser_opens_on_key_events_and_one_click_shows_all(open_timeline):
    timeline = sample_timeline()
    key_ids = {timeline["events"][0]["id"], timeline["events"][2]["id"]}
    for event in timeline["events"]:
        event["key"] = event["id"] in key_ids
    opened = open_timeline(timeline)
    page = opened.page
    page.uncheck("#list-in-view")
    expect(page.locator("#events-table tbody tr[data-id], #undated-table tbody tr[data-id]")).to_have_count(len(key_ids))
    shown = set(page.eval_on_selector_all("#events-table tbody tr[data-id], #undated-table tbody tr[data-id]",
                                          "rows => rows.map(r => r.dataset.id)"))
    assert shown == key_ids
    assert set(page.eval_on_selector_all("#chart .mark[data-id]", "m => m.map(n => n.dataset.id)")) <= key_ids
    assert "2 of" in page.locator("#key-only-label").inner_text()
    for event_id in key_ids:
        headline = next(e["headline"] for e in timeline["events"] if e["id"] == event_id)
        assert headline in opened.row(event_id).inner_text()
    page.uncheck("#key-only")  # one click: everything
    rows = "#events-table tbody tr[data-id], #undated-table tbody tr[data-id]"
    expect(page.locator(rows)).to_have_count(len(timeline["events"]))
    shown = set(page.eval_on_selector_all("#events-table tbody tr[data-id], #undated-table tbody tr[data-id]",
                                          "rows => rows.map(r => r.dataset.id)"))
    assert shown == {e["id"] for e in timeline["events"]}
    opened.assert_clean()
    _screenshot(page, "timeline-sample-all.png")


def test_browser_without_key_events_shows_everything_and_no_key_control(sample):
    assert sample.page.locator("#key-only-label").is_hidden()
    assert sample.row(sample_timeline()["events"][1]["id"]).count() == 1


@pytest.mark.parametrize(("event_id", "shape", "start", "end"), [
    ("evt-shoigu-trip", "rect", "2023-07-21", "2023-07-31"),   # late July: the last third of the month
    ("evt-sanctions", "rect", "2023-08-01", "2023-08-31"),
    ("evt-summit", "rect", "2023-09-01", "2023-09-30"),
    ("evt-harris", "circle", "2023-09-07", "2023-09-07"),     # a day: a point in the middle of it
    ("evt-sullivan", "circle", "2023-09-05", "2023-09-05"),
])
def test_browser_sample_marks_at_their_granularity(sample, event_id, shape, start, end):
    box = sample.mark_box(event_id)
    tag = sample.page.eval_on_selector(f'#chart .mark[data-id="{event_id}"]', "n => n.tagName")
    assert tag == shape
    first, after = _days(start, end)
    if shape == "circle":
        assert abs(box["x"] + box["width"] / 2 - sample.x_of(first + 0.5)) < 1.5
    else:
        assert abs(box["x"] - sample.x_of(first)) < 1.5
        assert abs(box["x"] + box["width"] - sample.x_of(after)) < 1.5
    sample.assert_clean()


def test_browser_sample_axis_aligned_with_marks(sample):
    # The axis is a separate SVG above the scrolling lanes; its dates must sit over the same pixels.
    published = sample.page.locator(f'#axis .pub[data-doc="{DOC_A}"]').bounding_box()
    assert abs(published["x"] + published["width"] / 2 - sample.x_of(day_number("2023-09-07") + 0.5)) < 1
    harris = sample.mark_box("evt-harris")
    assert abs(harris["x"] + harris["width"] / 2 - (published["x"] + published["width"] / 2)) < 1
    september = sample.page.locator("#axis text.axis-label", has_text="Sep").bounding_box()
    assert abs(september["x"] - 3 - sample.x_of(day_number("2023-09-01"))) < 1.5
    sample.assert_clean()


def test_browser_sample_planned_and_conflict_marked(sample):
    page = sample.page
    assert page.get_attribute('#chart .mark[data-id="evt-summit"]', "fill").startswith("url(#hatch-")
    assert page.get_attribute('#chart .mark[data-id="evt-sanctions"]', "fill").startswith("#")
    assert "planned" in page.get_attribute('#chart .mark[data-id="evt-summit"]', "class").split()
    assert sample.row("evt-summit").locator(".badge.planned").count() == 1
    assert sample.row("evt-harris").locator(".badge.conflict").count() == 1
    assert sample.row("evt-sullivan").locator(".badge").count() == 0
    assert page.locator("#chart .conflict-flag").count() == 1
    sample.assert_clean()


def test_browser_sample_click_shows_sources(sample):
    page = sample.page
    page.hover('#chart .mark[data-id="evt-harris"]')
    tooltip = page.locator("#tooltip")
    assert tooltip.is_visible()
    assert "Kamala Harris said military support would be a huge mistake" in tooltip.inner_text()
    page.click('#chart .mark[data-id="evt-harris"]')
    details = page.locator("#details").inner_text()
    for expected in ("Kamala Harris said military support would be a huge mistake", "7 September 2023",
                     "statement", "asserted", "80%", "Kamala Harris",
                     "Kamala Harris said on Thursday it would be a 'huge mistake'.",
                     "Harris told CBS News it would be a huge mistake.", DOC_A, DOC_B,
                     f"6 September 2023 according to {DOC_B}", "2 sources"):
        assert expected in details, expected
    assert page.locator("#details mark.timex").first.inner_text() == "Thursday"
    # The alternative date is drawn next to the selected event.
    assert page.locator("#chart .conflict-span").count() == 1
    assert "selected" in sample.row("evt-harris").get_attribute("class")
    # Below the chart the side panel is out of sight, so the list opens the same details in place.
    inline = page.locator("#events-table tr.detail-row")
    expect(inline).to_have_count(1)
    assert "Harris told CBS News it would be a huge mistake." in inline.inner_text()
    sample.assert_clean()
    _screenshot(page, "timeline-sample-details.png")


def test_browser_sample_filters(sample):
    page = sample.page
    page.click('#type-filters .chip[data-type="statement"]')
    expect(page.locator('#chart .mark[data-id="evt-harris"]')).to_have_count(0)
    expect(sample.row("evt-harris")).to_have_count(0)
    page.click('#type-filters .chip[data-type="statement"]')
    page.fill("#actor-filter", "sullivan")
    expect(page.locator("#events-table tr[data-id]")).to_have_count(1)
    assert page.locator("#events-table tr[data-id]").get_attribute("data-id") == "evt-sullivan"
    expect(page.locator("#chart .mark")).to_have_count(1)
    page.fill("#actor-filter", "")
    page.check("#conflicts-only")
    expect(page.locator("#events-table tr[data-id]")).to_have_count(1)
    assert page.locator("#events-table tr[data-id]").get_attribute("data-id") == "evt-harris"
    sample.assert_clean()


def test_browser_sample_zoom_narrows_the_list(sample):
    page = sample.page
    box = sample.mark_box("evt-harris")
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for _ in range(8):
        page.mouse.wheel(0, -300)
        page.wait_for_timeout(30)
    expect(sample.row("evt-shoigu-trip")).to_have_count(0)
    assert sample.row("evt-harris").count() == 1
    page.click("#fit-all")
    expect(sample.row("evt-shoigu-trip")).to_have_count(1)
    sample.assert_clean()


def test_browser_sample_link_and_keys_select_events(open_timeline):
    opened = open_timeline(sample_timeline(), fragment="evt-summit")
    page = opened.page
    assert "Kim Jong Un to meet Vladimir Putin in Russia" in page.locator("#details h3").inner_text()
    assert "planned" in page.locator("#details").inner_text()
    page.keyboard.press("ArrowRight")  # chronological order: the summit (1 Sep) is followed by Sullivan (5 Sep)
    # The details open on the event's headline (here its summary as a sentence).
    expect(page.locator("#details h3")).to_have_text("Jake Sullivan warned Pyongyang would pay a price.")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#details h3")).to_have_text("Washington imposed sanctions on entities tied to arms deals.")
    page.keyboard.press("Escape")
    expect(page.locator("#details h3")).to_have_count(0)
    opened.assert_clean()


def test_browser_hostile_text_is_shown_not_run(open_timeline):
    timeline = sample_timeline()
    hostile = ('</script><script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
               "<b>bold</b>")
    event = timeline["events"][3]
    event["summary"] = hostile
    event["actors"] = [hostile]
    event["sources"][0]["sentence"] = hostile
    timeline["documents"][1]["title"] = hostile
    opened = open_timeline(timeline)
    page = opened.page
    page.click(f'tr[data-id="{event["id"]}"]')
    assert page.evaluate("window.__pwned") is None
    assert page.locator("img").count() == 0
    assert not page.evaluate("[...document.querySelectorAll('b')].some(b => b.textContent === 'bold')")
    assert hostile in opened.row(event["id"]).inner_text()
    assert hostile in page.locator("#details").inner_text()
    opened.assert_clean()


def test_browser_5000_events_stay_readable(open_timeline):
    opened = open_timeline(synthetic_timeline(5000))
    page = opened.page
    heading = page.locator("#events-heading").inner_text()
    assert heading.startswith("Events in the range shown (")
    assert page.locator("#events-table tr[data-id]").count() == 200  # paged, not 4,500 rows at once
    # Zoomed out, crowded lanes show counts; zoomed in, single events can be clicked.
    assert page.locator("#chart .bin").count() > 0
    _screenshot(page, "timeline-5000.png", full_page=False)
    box = page.locator("#chart").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.55, box["y"] + 60)
    for _ in range(7):
        page.mouse.wheel(0, -400)
        page.wait_for_timeout(30)
    expect(page.locator("#chart .mark").first).to_be_attached()
    page.locator("#chart .mark").first.click(force=True)
    assert "source" in page.locator("#details").inner_text()
    opened.assert_clean()
    _screenshot(page, "timeline-5000-zoomed.png", full_page=False)


# ---- the seed articles, through the real flow -------------------------------------------------------

@pytest.fixture(scope="module")
def seeds_output(seeds_run) -> tuple[dict[str, Any], Path]:
    _, output = seeds_run
    timeline = json.loads((output / "timeline.json").read_text(encoding="utf-8"))
    page = output / "timeline.html"
    if not page.exists():  # a flow that does not write the page yet: render it the way the flow would
        page = output / "timeline.view.html"
        page.write_text(render_timeline_html(timeline), encoding="utf-8")
    return timeline, page


@pytest.mark.slow
def test_browser_seeds_every_event_shown_with_its_date(open_timeline, seeds_output):
    timeline, html_file = seeds_output
    opened = open_timeline(html_file=html_file)
    page = opened.page
    page.uncheck("#list-in-view")
    # The page opens on the key events, listed with their headlines...
    key = [e for e in timeline["events"] if e["key"]]
    assert key, "the seeds' timeline has no key events"
    expect(page.locator("#events-table tbody tr[data-id], #undated-table tbody tr[data-id]")).to_have_count(len(key))
    for event in timeline["events"]:
        assert opened.row(event["id"]).count() == (1 if event["key"] else 0), event["id"]
    for event in key:
        assert event["headline"] in opened.row(event["id"]).inner_text()
    _screenshot(page, "timeline-seeds-key.png")
    page.uncheck("#key-only")  # ...and one click shows them all.
    # The lists are redrawn on the next frame: wait for every row before reading them (a loaded
    # machine drew them after the first count had been read).
    expect(page.locator("#events-table tbody tr[data-id], #undated-table tbody tr[data-id]")).to_have_count(
        len(timeline["events"]))
    for event in timeline["events"]:
        row = opened.row(event["id"])
        assert row.count() == 1, event["id"]
        expected = date_label(event["date"], event["date_mod"], event["date_start"], event["date_end"])
        assert row.locator("td.date").inner_text() == expected
        for doc_id in {s["doc_id"] for s in event["sources"]}:
            assert doc_id in row.locator("td.docs").inner_text()
    opened.assert_clean()
    _screenshot(page, "timeline-seeds.png")


def _seed_event(timeline: dict[str, Any], types: set[str], actors: tuple[str, ...], date_prefix: str) -> dict:
    found = [e for e in timeline["events"]
             if e["type"] in types and all(a in " | ".join(e["actors"]) for a in actors)
             and (e["date"] or "").startswith(date_prefix)]
    assert found, f"no {types} event with {actors} dated {date_prefix}* (see tests/test_seeds_acceptance.py)"
    return max(found, key=lambda e: len({s["doc_id"] for s in e["sources"]}))


@pytest.mark.slow
@pytest.mark.parametrize(("what", "types", "actors", "date", "first", "last", "modalities"), [
    ("Shoigu's trip, end of July", {"visit", "meeting"}, ("Shoigu",), "2023-07", "2023-07-21", "2023-07-31", {"asserted"}),
    ("sanctions, across August", {"sanction"}, (), "2023-08", "2023-08-01", "2023-08-31", {"asserted"}),
    ("the planned summit, September", {"meeting", "visit", "negotiation"}, ("Kim", "Putin"), "2023-09", "2023-09-01",
     "2023-09-30", {"planned", "possible"}),
    ("Harris's statement", {"statement", "warning"}, ("Kamala Harris",), "2023-09-07", "2023-09-07", "2023-09-07",
     {"asserted"}),
    ("Sullivan's warning", {"warning", "statement"}, ("Jake Sullivan",), "2023-09-05", "2023-09-05", "2023-09-05",
     {"asserted"}),
])
def test_browser_seeds_story_on_the_axis(open_timeline, seeds_output, what, types, actors, date, first, last,
                                         modalities):
    timeline, html_file = seeds_output
    event = _seed_event(timeline, types, actors, date)
    assert event["modality"] in modalities, (what, event["modality"])
    opened = open_timeline(html_file=html_file)
    page = opened.page
    if not event["key"]:
        page.uncheck("#key-only")
    page.click(f'tr[data-id="{event["id"]}"]')
    box = opened.mark_box(event["id"])
    start, after = _days(first, last)
    if first == last:
        assert abs(box["x"] + box["width"] / 2 - opened.x_of(start + 0.5)) < 1.5, what
    else:
        assert abs(box["x"] - opened.x_of(start)) < 1.5 and abs(box["x"] + box["width"] - opened.x_of(after)) < 1.5, what
    if event["modality"] != "asserted":
        assert opened.row(event["id"]).locator(f".badge.{event['modality']}").count() == 1
    details = page.locator("#details").inner_text()
    for doc_id in {s["doc_id"] for s in event["sources"]}:
        assert doc_id in details, (what, doc_id)
    opened.assert_clean()
    page.locator(f'#chart .mark[data-id="{event["id"]}"]').scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, 0)")
    slug = "".join(c if c.isalnum() else "-" for c in what.split(",")[0].lower()).strip("-")
    _screenshot(page, f"timeline-seeds-{slug}.png", full_page=False)

