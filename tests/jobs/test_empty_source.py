"""A source whose document held nothing is not "ok": /sources says "read 0 talks" with the
first warning, its managers are told once per empty spell (through the source-health
notices), and every warning of a reading reaches the log. Documents come from a local HTTP
server; the clock is a FixedClock moved by hand; notices are counted on a FakeAdapter."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta

import pytest
from aiohttp import web

from bot.health import HealthPolicy, assess
from bot.models import Source
from bot.settings import Settings
from bot.sourcekinds import KINDS, SOURCE_KINDS
from jobs.sources.fetch import USER_AGENT, Fetcher
from tests.conftest import DATA
from tests.httpserver import routes, serve
from tests.sourceworld import World

COLLOQUIUM = (DATA / "seminar" / "colloquium.html").read_bytes()
# Every block skipped (with a warning naming its line): the page holds no talk.
UNDATED = (DATA / "seminar" / "colloquium-undated.html").read_bytes()
WEEKLY = (DATA / "ical" / "weekly_london.ics").read_bytes()
NO_EVENTS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//lab//seminars//EN\r\nEND:VCALENDAR\r\n"
ARXIV = (DATA / "arxiv-rss-cs.LG.xml").read_bytes()
# arXiv's listing on a day without an announcement: the channel, no item.
ARXIV_WEEKEND = re.sub(rb"\s*<item>.*?</item>", b"", ARXIV, flags=re.DOTALL)
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday, inside weekly_london's run


@pytest.fixture
async def world(store):
    served = {"body": COLLOQUIUM, "type": "text/html"}

    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=served["body"], content_type=served["type"])

    async with serve(routes({"/doc": handler})) as server, \
            Fetcher(user_agent=USER_AGENT, allow_ranges=["127.0.0.1/32"]) as fetcher:
        made = World(store, Settings(), server, fetcher, start=START)
        made.served = served
        yield made


def add_source(world: World, kind: str) -> None:
    world.store.save_source(Source("src", kind, world.server.url("/doc"), added_by="u1",
                                   added_in="console:lab"), world.clock.now())


async def test_a_page_that_yields_no_talk_is_told_once_then_back_to_normal(world, caplog):
    add_source(world, "seminar-page")
    await world.poll()
    assert re.search(r"• src \[seminar-page, added by u1 in chat\]: ok, read 4 talks"
                     r"( \(\d+ warnings?\))?, last success 2026-03-02 10:00 UTC",
                     await world.sources_reply())
    world.served["body"] = UNDATED
    with caplog.at_level(logging.WARNING, logger="jobs.poll"):
        for _ in range(4):
            await world.poll()
    # Every block skipped is a warning naming its line (the reader's wording), in the log
    # at each reading and first in what the source's managers see.
    first = world.store.get_source("src").last_warning
    assert "line 10" in first and "TBA" in first
    logged = [r.getMessage() for r in caplog.records if r.name == "jobs.poll"]
    assert logged.count(f"src: {first}") == 4
    assert sum("line 15" in line for line in logged) == 4
    (notice,) = world.notices()
    assert notice.startswith(
        "Source src yielded nothing [seminar-page]: read 0 talks from its last document "
        f"(2 warnings, the first: {first}).")
    assert "• src [seminar-page, added by u1 in chat]: UNHEALTHY, read 0 talks from its " \
           f"last document (2 warnings, the first: {first}); last success 2026-03-02 " \
           "14:00 UTC" in await world.sources_reply()

    world.served["body"] = COLLOQUIUM
    await world.poll()
    assert world.notices()[1:] == [
        "Source src is back to normal [seminar-page] (it was empty)."]
    assert "UNHEALTHY" not in await world.sources_reply()
    world.served["body"] = UNDATED  # a new empty spell is news again, once
    for _ in range(2):
        await world.poll()
    assert len(world.notices()) == 3 and "yielded nothing" in world.notices()[2]


async def test_an_emptied_calendar_keeps_its_talks_and_is_told_once(world):
    """A calendar with no event cancels none of the stored talks (an empty document is
    suspect, not news); its managers hear that it read nothing, once."""
    world.served.update(body=WEEKLY, type="text/calendar")
    add_source(world, "ical")
    await world.poll()
    stored = world.store.list_talks()
    world.served["body"] = NO_EVENTS
    for _ in range(4):
        await world.poll()
    (notice,) = world.notices()
    assert notice.startswith("Source src yielded nothing [ical]: read 0 talks from its last "
                             "document.")
    assert world.store.list_talks() == stored
    assert world.store.get_source("src").empty_since == START + timedelta(hours=2)


async def test_an_arxiv_listing_on_a_day_without_announcement_is_not_empty(world):
    world.served.update(body=ARXIV, type="application/rss+xml")
    add_source(world, "arxiv-rss")
    await world.poll()
    world.served["body"] = ARXIV_WEEKEND
    await world.poll()
    source = world.store.get_source("src")
    assert (source.last_items, assess(source, HealthPolicy()).state) == (0, "ok")
    assert "ok, read 0 papers, last success" in await world.sources_reply()
    assert world.notices() == []


def test_which_kinds_may_hold_nothing():
    polled = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    may_hold_nothing = {name for name in SOURCE_KINDS if KINDS[name].may_hold_nothing}
    for kind in SOURCE_KINDS:
        source = Source("x", kind, "u", last_success=polled, last_new=polled, last_items=0,
                        empty_since=polled)
        health = assess(source, HealthPolicy())
        assert health.state == ("ok" if kind in may_hold_nothing else "empty"), kind
    assert may_hold_nothing == {"arxiv-rss", "hf-daily"}
    empty = Source("x", "rss", "u", last_success=polled, last_new=polled, last_items=0,
                   empty_since=polled)
    health = assess(empty, HealthPolicy())
    assert (health.unhealthy, health.since, health.reason) == (
        True, polled, "read 0 papers from its last document")
    empty.failures = 3  # failing says more than what the last success read
    assert assess(empty, HealthPolicy()).state == "failing"
    with_items = Source("x", "rss", "u", last_success=polled, last_new=polled, last_items=3,
                        last_warnings=1, last_warning="entry 2 has neither a title nor a link")
    assert assess(with_items, HealthPolicy()).reason == "read 3 papers (1 warning)"
