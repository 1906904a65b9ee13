"""One talk's .ics (issue 17, point 4): an announcement carries, beside its Add to Google
Calendar button, a link that downloads the talk's own calendar file, served at
`/cal/talk/<secret>.ics` (bot.app.calendars) once LECTERN_PUBLIC_URL is set. The secret
is random per talk, kept from its first announcement; a malformed name is refused before
the database is touched, a well-formed one costs one indexed lookup, and a channel's
feed secret and a talk's do not open each other's routes."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import aiohttp
import icalendar
from aiohttp import web

from bot.app.calendars import routes
from bot.clock import FixedClock
from bot.gcal import ALL_TALKS, DOWNLOAD, TEMPLATE, with_download
from bot.models import TALK_CANCELLED, Talk, UpsertResult
from bot.render import render_talk_announcement
from jobs.dispatch import dispatch_due
from jobs.planner import plan_new_items, plan_upcoming
from storage.calendar_feeds import channel_owner, talk_owner
from tests.fakes import FakeAdapter
from tests.httpserver import serve

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
PUBLIC = "https://lectern.example.org"
HERE = "console:lab"


def talk(**fields) -> Talk:
    made = {"key": "k1", "title": "Sheaves and stacks", "source": "dept",
            "start": NOW + timedelta(days=2), "end": NOW + timedelta(days=2, hours=1),
            "speakers": ["Ada Lovelace"], "series": "Colloquium", "location": "Room 1"}
    return Talk(**{**made, **fields})


def announce(store, *talks: Talk, public_url: str | None = PUBLIC) -> list:
    """Store, plan and send: the announcements' buttons."""
    store.ensure_channel(HERE, NOW)
    if not store.list_subscriptions(HERE):
        store.add_subscription(HERE, "series:colloquium", "talks", "U1", NOW)
    plan_new_items(store, UpsertResult(), store.upsert_talks("dept", list(talks), NOW), NOW,
                   "UTC")
    chat = FakeAdapter()
    asyncio.run(dispatch_due(store, {"console": chat}, NOW, "UTC", public_url))
    return [message.buttons for _, message in chat.sent]


async def _get(store, path: str):
    app = web.Application()
    app.add_routes(routes(store, FixedClock(NOW)))
    async with serve(app) as server, aiohttp.ClientSession() as session, \
            session.get(server.base_url + path) as response:
        return response.status, response.headers.copy(), await response.read()


def get(store, path: str):
    return asyncio.run(_get(store, path))


def test_an_announcement_downloads_the_one_talk(store):
    [buttons] = announce(store, talk())
    assert buttons[0].url.startswith(TEMPLATE) and buttons[1].label == DOWNLOAD
    link = buttons[1].url
    assert link.startswith(PUBLIC + "/cal/talk/") and link.endswith(".ics")
    status, headers, body = get(store, link[len(PUBLIC):])
    assert status == 200 and headers["Content-Type"].startswith("text/calendar")
    assert "attachment" in headers["Content-Disposition"]
    [event] = icalendar.Calendar.from_ical(body).walk("VEVENT")
    [(talk_id,)] = store.db.execute("SELECT id FROM talks").fetchall()
    assert str(event["UID"]) == f"{talk_id}@lectern"
    assert str(event["SUMMARY"]) == "Sheaves and stacks"
    assert event["DTSTART"].dt == NOW + timedelta(days=2)
    assert store.feed_secret(talk_owner(talk_id), NOW) in link  # kept, not made anew


def test_no_public_address_no_download_and_a_cancelled_talk_none(store):
    [buttons] = announce(store, talk(), public_url=None)
    assert [b.label for b in buttons] == ["Add to Google Calendar"]
    cancelled = render_talk_announcement("talk-1", talk(status=TALK_CANCELLED), "UTC", None)
    assert with_download(cancelled, PUBLIC + "/cal/talk/x.ics").buttons == []


def test_secrets_open_only_their_own_route_and_malformed_names_touch_nothing(store):
    [buttons] = announce(store, talk())
    talk_path = buttons[1].url[len(PUBLIC):]
    feed_secret = store.feed_secret(channel_owner(HERE), NOW)
    talk_secret = talk_path.split("/")[-1]
    assert get(store, f"/cal/{feed_secret}.ics")[0] == 200
    assert get(store, f"/cal/{talk_secret}")[0] == 404  # a talk's secret is not a feed
    assert get(store, f"/cal/talk/{feed_secret}.ics")[0] == 404  # nor a feed's a talk
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    try:
        for path in ("/cal/talk/../l.db", "/cal/talk/%2e%2e.ics", "/cal/talk/x.ics",
                     "/cal/talk/" + "a" * 200 + ".ics", talk_path.replace(".ics", ".txt")):
            assert get(store, path)[0] == 404, path
        assert statements == []  # never looked up
        assert get(store, "/cal/talk/" + "A" * 32 + ".ics")[0] == 404
        [lookup] = statements
        assert lookup.startswith("SELECT owner FROM calendar_feeds WHERE secret = ")
    finally:
        store.db.conn.set_trace_callback(None)


def test_a_list_of_new_talks_names_the_channels_feed_not_one_download(store):
    """A subscriber's backlog (a term at once) is one list: no button per talk, but the
    channel's live feed, which holds them all, named at its end."""
    store.ensure_channel(HERE, NOW)
    store.upsert_talks("dept", [talk(key=f"k{n}", start=NOW + timedelta(days=n + 1),
                                     end=NOW + timedelta(days=n + 1, hours=1))
                                for n in range(3)], NOW)
    sub = store.add_subscription(HERE, "series:colloquium", "talks", "U1", NOW)
    assert plan_upcoming(store, sub, NOW, "UTC") == 3
    chat = FakeAdapter()
    asyncio.run(dispatch_due(store, {"console": chat}, NOW, "UTC", PUBLIC))
    [(_, listed)] = chat.sent
    assert listed.text.startswith("3 upcoming talks") and listed.buttons == []
    assert listed.text.endswith(ALL_TALKS) and listed.items[-1].text == ALL_TALKS
    chat = FakeAdapter()  # without a served feed, no feed to name
    store.ensure_channel("console:other", NOW)
    other = store.add_subscription("console:other", "series:colloquium", "talks", "U1", NOW)
    plan_upcoming(store, other, NOW, "UTC")
    asyncio.run(dispatch_due(store, {"console": chat}, NOW, "UTC", None))
    assert [m.text for _, m in chat.sent] and ALL_TALKS not in chat.sent[0][1].text
