"""Live calendar feeds (bot.app.calendars): a channel's talks as an iCalendar feed that
real clients read (icalendar, recurring-ical-events), following every change (SEQUENCE,
STATUS:CANCELLED), with alarms at the channel's offsets, ETag and 304; links given in chat
(/seminars calendar, /remind calendar); a wrong, rotated or crafted address gets 404."""

from __future__ import annotations

import asyncio
import gzip
import json
from datetime import UTC, datetime, timedelta

import aiohttp
import icalendar
import pytest
import recurring_ical_events
from aiohttp import web

from bot.app.calendars import routes
from bot.app.cli import main
from bot.clock import FixedClock
from storage.store import Store
from tests.httpserver import serve
from tests.test_talk_backlog import calendar

CHANNEL, OTHER = "console:lab", "console:other"
PUBLIC = "https://lectern.example.org"


def cli(capsys, tmp_path, now: str, *args: str) -> tuple[int, str]:
    code = main(["--db", str(tmp_path / "l.db"), "--now", now, *args])
    return code, capsys.readouterr().out


def command(capsys, tmp_path, now: str, line: str, channel: str = CHANNEL,
            manager: bool = True) -> dict:
    _, out = cli(capsys, tmp_path, now, "command", "--channel", channel, "--user", "U1",
                 *(["--manager"] if manager else []), "--json", line)
    return json.loads(out)


def link(reply: dict) -> str:
    [https] = [word for word in reply["text"].split() if word.startswith(PUBLIC)]
    return https[len(PUBLIC):]


@pytest.fixture
def lab(tmp_path, capsys, monkeypatch):
    """A term of four lectures, ingested before the channel subscribed."""
    monkeypatch.setenv("LECTERN_PUBLIC_URL", PUBLIC + "/")
    cli(capsys, tmp_path, "2026-03-01T09:00:00Z", "ingest", "ical", calendar(tmp_path))
    command(capsys, tmp_path, "2026-03-01T09:00:00Z", "/subscribe talks lovelace")
    command(capsys, tmp_path, "2026-03-01T09:00:00Z", "/settings reminders 1d,1h")
    return tmp_path


async def _fetch(store: Store, now: datetime, path: str, headers: dict | None = None):
    app = web.Application()
    app.add_routes(routes(store, FixedClock(now)))
    async with serve(app) as server, aiohttp.ClientSession() as session, \
            session.get(server.base_url + path, headers=headers or {}) as response:
        return response.status, response.headers.copy(), await response.read()


def fetch(store: Store, now: datetime, path: str, headers: dict | None = None):
    """GET the path from the feed routes on a local server (real HTTP)."""
    return asyncio.run(_fetch(store, now, path, headers))


def events(body: bytes, start: datetime, stop: datetime) -> list:
    return recurring_ical_events.of(icalendar.Calendar.from_ical(body)).between(start, stop)


def test_the_feed_follows_every_change(lab, capsys):
    reply = command(capsys, lab, "2026-03-01T09:00:00Z", "/seminars calendar",
                    manager=False)
    assert reply["private"] and "webcal://lectern.example.org/cal/" in reply["text"]
    path, now = link(reply), datetime(2026, 3, 2, tzinfo=UTC)
    store = Store.open(lab / "l.db")
    try:
        status, headers, body = fetch(store, now, path)
        assert status == 200 and headers["Content-Type"].startswith("text/calendar")
        found = events(body, now, now + timedelta(days=60))
        assert [str(e["SUMMARY"]) for e in found][:2] == ["Lovelace Lecture: Sheaves and "
                                                          "stacks", "Lovelace Lecture: "
                                                          "Counting curves"]
        first = found[1]
        assert [a["TRIGGER"].dt for a in first.walk("VALARM")] == [
            timedelta(days=-1), timedelta(hours=-1)]
        assert icalendar.Calendar.from_ical(body)["X-WR-CALNAME"] == "console:lab talks"
        status, _, _ = fetch(store, now, path, {"If-None-Match": headers["ETag"]})
        assert status == 304
    finally:
        store.close()
    # The second lecture moves, the third is cancelled: the feed says so, as newer.
    cli(capsys, lab, "2026-03-03T09:00:00Z", "ingest", "ical",
        calendar(lab, moved=True, cancelled=True))
    store = Store.open(lab / "l.db")
    try:
        status, later, body = fetch(store, now, path, {"If-None-Match": headers["ETag"]})
        assert status == 200 and later["ETag"] != headers["ETag"]
        by_title = {str(e["SUMMARY"]): e for e in events(body, now, now + timedelta(days=60))}
        moved = by_title["Lovelace Lecture: Counting curves"]
        assert moved["DTSTART"].dt == datetime(2026, 3, 13, 15, tzinfo=UTC)
        assert moved["SEQUENCE"] > first["SEQUENCE"]
        assert by_title["Lovelace Lecture: Random matrices"]["STATUS"] == "CANCELLED"
    finally:
        store.close()


def test_wrong_rotated_and_crafted_addresses_get_404(lab, capsys):
    mine = link(command(capsys, lab, "2026-03-01T09:00:00Z", "/seminars calendar"))
    theirs = link(command(capsys, lab, "2026-03-01T09:00:00Z", "/seminars calendar",
                          channel=OTHER))
    assert mine != theirs
    refused = command(capsys, lab, "2026-03-01T09:00:00Z", "/seminars calendar reset",
                      manager=False)
    assert not refused["ok"] and "only channel managers" in refused["text"]
    new = link(command(capsys, lab, "2026-03-01T09:00:00Z", "/seminars calendar reset"))
    store = Store.open(lab / "l.db")
    now = datetime(2026, 3, 2, tzinfo=UTC)
    try:
        assert (fetch(store, now, new))[0] == 200
        status, _, body = fetch(store, now, theirs)  # the other channel's: no talks
        assert status == 200 and b"Lovelace" not in body
        for path in (mine, "/cal/" + "A" * 32 + ".ics", "/cal/../l.db", "/cal/%2e%2e.ics",
                     new.replace(".ics", ".txt"), "/cal/" + "a" * 200 + ".ics"):
            assert (fetch(store, now, path))[0] == 404, path
    finally:
        store.close()


def test_a_member_gets_a_feed_of_their_own_reminders(lab, capsys):
    listed = command(capsys, lab, "2026-03-01T09:00:00Z", "/seminars upcoming 4")
    talk_id = listed["text"].split("talk-")[2].split()[0].rstrip(")")
    command(capsys, lab, "2026-03-01T09:00:00Z", f"/remind talk-{talk_id} 2h")
    path = link(command(capsys, lab, "2026-03-01T09:00:00Z", "/remind calendar"))
    store = Store.open(lab / "l.db")
    try:
        _, _, body = fetch(store, datetime(2026, 3, 2, tzinfo=UTC), path)
    finally:
        store.close()
    [event] = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert [a["TRIGGER"].dt for a in event.walk("VALARM")] == [timedelta(hours=-2)]


def test_without_a_public_address_the_command_says_what_to_set(tmp_path, capsys,
                                                                monkeypatch):
    monkeypatch.delenv("LECTERN_PUBLIC_URL", raising=False)
    reply = command(capsys, tmp_path, "2026-03-01T09:00:00Z", "/seminars calendar")
    assert not reply["ok"] and "LECTERN_PUBLIC_URL" in reply["text"]
    assert "\n" not in reply["text"].strip()


def test_lectern_runs_the_feed_server_only_when_it_has_a_public_address(tmp_path):
    """`lectern run` serves the feeds on a server of its own once LECTERN_PUBLIC_URL is
    set (port 0 here: any free one), and not at all without it."""
    from bot.app.build import build
    from bot.app.serve import _feed_server
    from bot.platform_settings import HttpSettings
    from bot.settings import Settings

    clock = FixedClock(datetime(2026, 3, 2, tzinfo=UTC))
    quiet = build(Settings(database=str(tmp_path / "a.db")), clock)
    try:
        assert _feed_server(quiet) is None
    finally:
        quiet.close()
    app = build(Settings(database=str(tmp_path / "b.db"),
                         http=HttpSettings(port=0, public_url=PUBLIC)), clock)
    secret = app.store.feed_secret("channel:console:lab", clock.now())

    async def served() -> tuple[int, int]:
        server = _feed_server(app)
        port = await server.start()
        try:
            async with aiohttp.ClientSession() as session:
                base = f"http://127.0.0.1:{port}/cal/"
                async with session.get(f"{base}{secret}.ics") as known, \
                        session.get(f"{base}{'x' * 32}.ics") as unknown:
                    return known.status, unknown.status
        finally:
            await server.stop()

    try:
        assert asyncio.run(served()) == (200, 404)
    finally:
        app.close()


def test_a_feed_is_made_again_exactly_when_it_changed(lab, capsys, monkeypatch):
    """The server keeps each feed it made (FeedCache) until its version changes: a talk
    moving, the channel's reminder times, the day."""
    from bot.app import calendars

    made = []
    real = calendars.feed_document
    monkeypatch.setattr(calendars, "feed_document",
                        lambda *args: made.append(args[1]) or real(*args))
    cache, owner = calendars.FeedCache(), "channel:" + CHANNEL
    now = datetime(2026, 3, 2, tzinfo=UTC)
    store = Store.open(lab / "l.db")
    try:
        first = cache.feed(store, owner, now)
        assert cache.feed(store, owner, now) == first and len(made) == 1
        store.update_channel(CHANNEL, reminder_offsets=(30,))
        assert cache.feed(store, owner, now)[1] != first[1] and len(made) == 2
        cache.feed(store, owner, now + timedelta(days=1))  # the window moved on
        assert len(made) == 3
    finally:
        store.close()
    cli(capsys, lab, "2026-03-03T09:00:00Z", "ingest", "ical", calendar(lab, moved=True))
    store = Store.open(lab / "l.db")
    try:
        assert cache.feed(store, owner, now + timedelta(days=1))[1] != first[1]
        assert len(made) == 4
    finally:
        store.close()


async def test_a_feed_is_made_off_the_event_loop(lab):
    """Making a feed (a quarter of a second for a channel's year) runs in the feeds'
    own thread: the loop keeps turning meanwhile."""
    from bot.app.calendars import FeedCache, FeedMaker
    from tests.loopturns import turns_during

    store = Store.open(lab / "l.db")
    try:
        maker = FeedMaker(store, FeedCache())
        (packed, etag, _), turns = await turns_during(
            maker.feed("channel:" + CHANNEL, datetime(2026, 3, 2, tzinfo=UTC)))
    finally:
        store.close()
    assert etag and b"Lovelace" in gzip.decompress(packed) and turns > 0


def test_a_feed_over_its_size_keeps_the_soonest_talks(lab, monkeypatch):
    from bot.app import calendars

    store = Store.open(lab / "l.db")
    try:
        whole, _ = calendars.feed_document(store, "channel:" + CHANNEL,
                                           datetime(2026, 3, 2, tzinfo=UTC))
        monkeypatch.setattr(calendars, "MAX_BYTES", len(whole) // 2)
        cut, _ = calendars.feed_document(store, "channel:" + CHANNEL,
                                         datetime(2026, 3, 2, tzinfo=UTC))
    finally:
        store.close()
    summaries = [str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(cut).walk("VEVENT")]
    assert len(cut) <= len(whole) // 2 and summaries
    assert summaries[0] == "Lovelace Lecture: Sheaves and stacks"  # the soonest stays
