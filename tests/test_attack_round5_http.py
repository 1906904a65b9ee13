"""Round 5 of attacks, the calendar feed server: what a calendar app or an outsider may
send with a well-formed request. A client that refuses gzip (`gzip;q=0`, RFC 9110 12.5.3)
is sent the calendar as it is; odd methods, query strings, ranges and bodies are answered
as HTTP says, never with a server error or another feed."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import icalendar
import pytest

from bot.app.calendars import accepts_gzip
from bot.app.cli import main
from bot.models import Talk
from storage.calendar_feeds import channel_owner, talk_owner
from storage.store import Store
from tests.test_calendar_feeds import _fetch, fetch

NOW = datetime(2026, 12, 4, 9, tzinfo=UTC)


@pytest.fixture
def feed():
    store = Store.open(":memory:")
    yield store, f"/cal/{store.feed_secret(channel_owner('slack:C1'), NOW)}.ics"
    store.close()


@pytest.mark.parametrize("header, gzipped", [
    ("gzip", True), ("gzip, deflate, br", True), ("br;q=1.0, gzip;q=0.8, *;q=0.1", True),
    ("*", True), ("GZIP", True), ("x-gzip", True),
    ("gzip;q=0, identity", False), ("gzip; q=0.000", False), ("identity", False),
    ("*;q=0", False), ("*, gzip;q=0", False), ("nogzip", False), ("gzip;q=abc", False),
    ("", False)])
def test_a_feed_is_gzipped_only_for_a_client_that_takes_gzip(feed, header, gzipped):
    store, path = feed
    status, headers, body = fetch(store, NOW, path, {"Accept-Encoding": header})
    assert status == 200 and body.startswith(b"BEGIN:VCALENDAR")  # the client decodes gzip
    assert (headers.get("Content-Encoding") == "gzip") is gzipped
    assert accepts_gzip(header) is gzipped


@pytest.mark.parametrize("suffix, headers", [
    ("?x=1&y=%00&" + "z" * 2000, {}), ("", {"Range": "bytes=0-10"}),
    ("", {"If-None-Match": '""'}), ("", {"If-Modified-Since": "not a date"}),
    ("", {"Accept-Encoding": "gzip;q=" + "9" * 5000})])
def test_odd_but_well_formed_requests_get_the_whole_feed(feed, suffix, headers):
    store, path = feed
    status, _, body = fetch(store, NOW, path + suffix, headers)
    assert status == 200 and body.startswith(b"BEGIN:VCALENDAR")


@pytest.mark.parametrize("name", ["%41" * 30 + ".ics", "talk/../x.ics", "a" * 64 + ".ics"])
def test_crafted_names_are_no_calendar(feed, name):
    store, _ = feed
    status, _, body = asyncio.run(_fetch(store, NOW, "/cal/" + name))
    assert status == 404 and b"Traceback" not in body


@pytest.mark.parametrize("title", ["Line one\nLine two", "Line one\r\nEND:VCALENDAR", "\n"])
def test_a_title_holding_a_line_break_downloads(feed, title):
    """The download names its calendar after the talk: X-WR-CALNAME is one line, and
    icalendar's writer refused the break (AssertionError: a 500)."""
    store, _ = feed
    start = NOW + timedelta(days=3)
    store.upsert_talks("s", [Talk(key="k", title=title, source="s", start=start)], NOW)
    [(talk_id,)] = store.db.execute("SELECT id FROM talks").fetchall()
    secret = store.feed_secret(talk_owner(talk_id), NOW)
    status, _, body = fetch(store, NOW, f"/cal/talk/{secret}.ics")
    assert status == 200, body[:200]
    calendar = icalendar.Calendar.from_ical(body)
    assert "\n" not in str(calendar["X-WR-CALNAME"])
    assert len(calendar.walk("VEVENT")) == 1


# An event whose URL holds an escaped line break (RFC 5545 3.3.11 escapes are for TEXT,
# not URI values; the ical reader keeps the break), beside one that is fine.
BROKEN_LINK = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//x//EN\r\n"
               b"BEGIN:VEVENT\r\nUID:1@x\r\nDTSTAMP:20261201T000000Z\r\n"
               b"DTSTART:20261210T150000Z\r\nSUMMARY:Broken link\r\n"
               b"URL:https://example.org/a\\nX-EVIL:1\r\nEND:VEVENT\r\n"
               b"BEGIN:VEVENT\r\nUID:2@x\r\nDTSTAMP:20261201T000000Z\r\n"
               b"DTSTART:20261211T150000Z\r\nSUMMARY:Fine link\r\n"
               b"URL:https://example.org/b\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


def test_a_feeds_link_holding_a_line_break_costs_only_that_link(tmp_path, capsys):
    """The talk was stored with it; icalendar refused it on the way out, so lectern
    export-ics was a traceback and every feed holding the talk a 500."""
    (tmp_path / "t.ics").write_bytes(BROKEN_LINK)
    db = ["--db", str(tmp_path / "l.db"), "--now", "2026-12-04T09:00:00Z"]
    assert main([*db, "ingest", "ical", str(tmp_path / "t.ics")]) == 0
    capsys.readouterr()
    assert main([*db, "export-ics"]) == 0, capsys.readouterr().err
    calendar = icalendar.Calendar.from_ical(capsys.readouterr().out.encode())
    links = {str(e["SUMMARY"]): str(e.get("URL")) for e in calendar.walk("VEVENT")}
    assert links == {"Broken link": "None", "Fine link": "https://example.org/b"}
    store = Store.open(tmp_path / "l.db")
    try:
        for (talk_id,) in store.db.execute("SELECT id FROM talks").fetchall():
            secret = store.feed_secret(talk_owner(talk_id), NOW)
            assert fetch(store, NOW, f"/cal/talk/{secret}.ics")[0] == 200
    finally:
        store.close()
