"""Live calendar feeds: `GET /cal/<secret>.ics` answers with a channel's talks, or with a
member's own reminders, as an iCalendar document calendar apps subscribe to; and
`GET /cal/talk/<secret>.ics` downloads one announced talk (the link beside an
announcement's Google Calendar button), with the same rules for its secret.

The secret (storage.calendar_feeds) is the only thing that names a feed: a path that is
not `/cal/` and a secret's characters is refused before the database is touched, and a
well-formed one costs one indexed lookup. A feed holds the talks from 30 days ago to a
year ahead (at most 1 MB: the farthest are left out), each with a SEQUENCE that grows
with every change and alarms at the channel's reminder offsets (a member's own offsets in
a member's feed). ETag and Last-Modified let a client ask again cheaply: 304 when
nothing changed. A feed is made again only when its version changes (FeedCache).
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import re
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime, timedelta
from email.utils import format_datetime

from aiohttp import web

from bot.clock import Clock, parse_instant
from bot.models import Talk
from jobs.sources.ical_export import export_ics
from storage.calendar_feeds import CHANNEL, MEMBER, TALK
from storage.store import Store

PATH, TALK_PATH = "/cal/{name}", "/cal/talk/{name}"
WINDOW_BEFORE, WINDOW_AFTER = timedelta(days=30), timedelta(days=365)
MAX_BYTES = 1_000_000
_NAME = re.compile(r"([A-Za-z0-9_-]{20,64})\.ics")
_SPACE = re.compile(r"\s")


def feed_document(store: Store, owner: str, now: datetime) -> tuple[bytes, datetime | None]:
    """The feed of `owner` (channel_owner / member_owner), and when its newest talk last
    changed."""
    start, stop = now - WINDOW_BEFORE, now + WINDOW_AFTER
    if owner.startswith(CHANNEL):
        channel_id = owner[len(CHANNEL):]
        channel = store.get_channel(channel_id)
        talks = store.list_talks(followed_by=channel_id, ending_after=start,
                                 starting_before=stop)
        name = (channel.name if channel and channel.name else channel_id) + " talks"
        alarms: tuple[int, ...] | dict[str, tuple[int, ...]] = (
            channel.offsets() if channel else ())
    else:
        asked = store.reminders_asked_by(owner[len(MEMBER):])
        talks = [(talk_id, found[0]) for talk_id in asked
                 if (found := store.get_talk(talk_id)) is not None and found[0].start
                 and start <= found[0].start <= stop]
        talks.sort(key=lambda pair: pair[1].start)
        name, alarms = "My reminded talks", dict(asked)
    revisions = store.talk_revisions([talk_id for talk_id, _ in talks])
    talks = exportable(talks)
    body = export_ics(talks, now, name, alarms, revisions)
    while len(body) > MAX_BYTES and talks:  # leave out the farthest talks, in one go
        talks = talks[:min(len(talks) - 1, int(len(talks) * MAX_BYTES / len(body) * 0.95))]
        body = export_ics(talks, now, name, alarms, revisions)
    changed = [parse_instant(last) for _, last in revisions.values()]
    return body, max(changed, default=None)


def exportable(talks: list[tuple[str, Talk]]) -> list[tuple[str, Talk]]:
    """The talks with the links a calendar's URL line can carry: one holding a space or a
    line break (a feed's `URL:https://…\\nX-…`, kept by its reader) is left out, as
    icalendar refuses it and the whole feed was a 500 for that one talk."""
    return [(talk_id, replace(talk, url=_link(talk.url), meeting_url=_link(talk.meeting_url)))
            for talk_id, talk in talks]


def _link(url: str | None) -> str | None:
    return url if url is None or not _SPACE.search(url) else None


class FeedCache:
    """Feeds made before, gzip-compressed (a 400 KB feed is about 40 KB), by owner, while
    their version (storage.calendar_feeds.feed_version, and the day) holds: making a
    channel's year of talks costs about a quarter of a second, reading its version one
    indexed query. At most `max_bytes` are kept; the oldest made go first."""

    def __init__(self, max_bytes: int = 32 * 1024 * 1024) -> None:
        self.max_bytes, self.size = max_bytes, 0
        self.entries: OrderedDict[str, tuple[tuple, bytes, str, datetime | None]] = (
            OrderedDict())

    def feed(self, store: Store, owner: str, now: datetime
             ) -> tuple[bytes, str, datetime | None]:
        """(gzipped document, ETag, Last-Modified) of the owner's feed now."""
        version = (now.date(), *store.feed_version(owner))
        cached = self.entries.get(owner)
        if cached is not None and cached[0] == version:
            return cached[1:]
        body, changed = feed_document(store, owner, now)
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        packed = gzip.compress(body, compresslevel=6)
        self._keep(owner, (version, packed, etag, changed))
        return packed, etag, changed

    def _keep(self, owner: str, entry: tuple) -> None:
        old = self.entries.pop(owner, None)
        self.size -= len(old[1]) if old else 0
        self.entries[owner] = entry
        self.size += len(entry[1])
        while self.size > self.max_bytes and len(self.entries) > 1:
            _, dropped = self.entries.popitem(last=False)
            self.size -= len(dropped[1])


class FeedMaker:
    """Feeds are made in a thread of their own, with its own connection to the database:
    a feed not in the cache costs a quarter of a second of serialisation, which the event
    loop (answering commands, sending) must not wait for. One thread: the cache is only
    ever touched from it. An in-memory database (tests) is read where it is."""

    def __init__(self, store: Store, cache: FeedCache) -> None:
        self.store, self.cache = store, cache
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lectern-feeds")
        self._own: Store | None = None

    async def feed(self, owner: str, now: datetime) -> tuple[bytes, str, datetime | None]:
        if self.store.path is None:
            return self.cache.feed(self.store, owner, now)
        return await asyncio.get_running_loop().run_in_executor(
            self.pool, self._in_thread, owner, now)

    def _in_thread(self, owner: str, now: datetime) -> tuple[bytes, str, datetime | None]:
        if self._own is None:
            self._own = Store.open(self.store.path, apply_migrations=False)
        return self.cache.feed(self._own, owner, now)


def routes(store: Store, clock: Clock, cache: FeedCache | None = None) -> list[web.RouteDef]:
    """The feed route, to serve from lectern's HTTP server (Slack's HTTP mode, or one of
    its own)."""
    maker = FeedMaker(store, cache or FeedCache())

    async def feed(request: web.Request) -> web.StreamResponse:
        owner = _owner(store, request, (CHANNEL, MEMBER))
        packed, etag, changed = await maker.feed(owner, clock.now())
        headers = {"ETag": etag, "Cache-Control": "private, max-age=300",
                   "Vary": "Accept-Encoding"}
        if changed is not None:
            headers["Last-Modified"] = format_datetime(changed, usegmt=True)
        asked = request.headers.get("If-None-Match", "")
        if etag in asked or asked.strip() == "*":
            return web.Response(status=304, headers=headers)
        if accepts_gzip(request.headers.get("Accept-Encoding", "")):
            headers["Content-Encoding"] = "gzip"
            return web.Response(body=packed, headers=headers,
                                content_type="text/calendar", charset="utf-8")
        return web.Response(body=gzip.decompress(packed), headers=headers,
                            content_type="text/calendar", charset="utf-8")

    async def talk(request: web.Request) -> web.StreamResponse:
        talk_id = _owner(store, request, (TALK,))[len(TALK):]
        found = store.get_talk(talk_id)
        if found is None:
            raise web.HTTPNotFound(text="no such calendar\n")
        # The calendar's name is one iCalendar line: a title holding a line break (a
        # reader that kept one) failed icalendar's writer, a 500 for the download.
        name = " ".join(found[0].title.split()) or "talk"
        body = export_ics(exportable([(talk_id, found[0])]), clock.now(), name, (),
                          store.talk_revisions([talk_id]))
        return web.Response(body=body, content_type="text/calendar", charset="utf-8",
                            headers={"Content-Disposition": 'attachment; filename="talk.ics"',
                                     "Cache-Control": "private, max-age=300"})

    return [web.get(TALK_PATH, talk), web.get(PATH, feed)]


def accepts_gzip(header: str) -> bool:
    """Whether an Accept-Encoding header takes gzip (RFC 9110 12.5.3): named, or `*`, with
    a weight above 0. `gzip;q=0` refuses it; a bare substring test sent gzip anyway."""
    weights: dict[str, float] = {}
    for part in header.split(","):  # aiohttp holds a header to 8,190 bytes
        coding, _, params = part.partition(";")
        weight = 1.0
        for param in params.split(";"):
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value.strip())
                except ValueError:
                    weight = 0.0
        weights.setdefault(coding.strip().lower(), weight)
    named = weights.get("gzip", weights.get("x-gzip"))
    return (named if named is not None else weights.get("*", 0.0)) > 0


def _owner(store: Store, request: web.Request, kinds: tuple[str, ...]) -> str:
    """The owner the request's secret names, of one of `kinds`; else 404. A name that is
    not a secret's characters and `.ics` is refused before the database is touched."""
    named = _NAME.fullmatch(request.match_info["name"])
    owner = store.feed_owner(named.group(1)) if named else None
    if owner is None or not owner.startswith(kinds):
        raise web.HTTPNotFound(text="no such calendar\n")
    return owner


class FeedServer:
    """lectern's own HTTP server for the feeds, when Slack's HTTP mode does not run one."""

    def __init__(self, route_defs: list[web.RouteDef], host: str, port: int) -> None:
        self.route_defs, self.host, self.port = route_defs, host, port
        self._runner: web.AppRunner | None = None

    async def start(self) -> int:
        app = web.Application()
        app.add_routes(self.route_defs)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0,
                                     keepalive_timeout=15.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        self.port = int(self._runner.addresses[0][1])
        return self.port

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
