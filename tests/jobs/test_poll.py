"""Polling over real HTTP on localhost: conditional GET, health, failures that stay local."""

from __future__ import annotations

from aiohttp import web

from bot.models import Source
from jobs.poll import poll_named
from jobs.sources.fetch import USER_AGENT, Fetcher, FetchLimits
from tests.conftest import DATA, NOW
from tests.httpserver import routes, serve

FEED = (DATA / "arxiv-rss-cs.LG.xml").read_bytes()
TRUNCATED = (DATA / "truncated-feed.xml").read_bytes()


def conditional(body: bytes, etag: str):
    async def handler(request: web.Request) -> web.Response:
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        return web.Response(body=body, headers={"ETag": etag,
                                                "Content-Type": "application/rss+xml"})
    return handler


async def test_second_poll_sends_the_etag_and_changes_nothing(store):
    async with serve(routes({"/rss/cs.LG": conditional(FEED, '"v1"')})) as server, \
            Fetcher(user_agent=USER_AGENT) as fetcher:
        store.save_source(Source("cs-lg", "arxiv-rss", server.url("/rss/cs.LG")), NOW)
        first, error = await poll_named(store, "cs-lg", fetcher, timezone="UTC", now=NOW)
        assert error is None and first.papers.new
        second, error = await poll_named(store, "cs-lg", fetcher, timezone="UTC", now=NOW)
        assert error is None and second.not_modified
        assert [r.headers.get("If-None-Match") for r in server.requests] == [None, '"v1"']
        assert server.requests[0].headers["User-Agent"] == USER_AGENT
    source = store.get_source("cs-lg")
    assert (source.etag, source.failures, source.last_success) == ('"v1"', 0, NOW)


async def test_a_broken_source_is_recorded_and_stores_nothing(store):
    async with serve(routes({"/bad": conditional(TRUNCATED, '"x"'),
                             "/good": conditional(FEED, '"y"')})) as server, \
            Fetcher(user_agent=USER_AGENT) as fetcher:
        store.save_source(Source("bad", "rss", server.url("/bad")), NOW)
        store.save_source(Source("good", "arxiv-rss", server.url("/good")), NOW)
        report, error = await poll_named(store, "bad", fetcher, timezone="UTC", now=NOW)
        assert report is None and "truncated" in error
        assert store.count_papers() == 0
        report, error = await poll_named(store, "good", fetcher, timezone="UTC", now=NOW)
        assert error is None and store.count_papers() == len(report.papers.new) > 0
    bad = store.get_source("bad")
    assert bad.failures == 1 and "truncated" in bad.last_error


async def test_an_unreachable_source_counts_failures_in_a_row(store):
    limits = FetchLimits(max_attempts=1, connect_timeout=1.0)
    async with Fetcher(limits, user_agent=USER_AGENT) as fetcher:
        # Port 9 on loopback refuses connections: no internet is involved.
        store.save_source(Source("down", "rss", "http://127.0.0.1:9/feed"), NOW)
        for _ in range(2):
            _, error = await poll_named(store, "down", fetcher, timezone="UTC", now=NOW)
            assert error
    assert store.get_source("down").failures == 2


async def test_a_failing_source_rests_in_backoff_between_scheduled_polls(store):
    from datetime import timedelta

    from jobs.poll import backoff

    limits = FetchLimits(max_attempts=1, connect_timeout=1.0)
    store.save_source(Source("down", "rss", "http://127.0.0.1:9/feed", interval_minutes=30),
                      NOW)
    async with Fetcher(limits, user_agent=USER_AGENT) as fetcher:
        await poll_named(store, "down", fetcher, timezone="UTC", now=NOW, scheduled=True)
        assert store.get_source("down").failures == 1
        # 30 min later its job fires, but one failure means resting for 2 intervals.
        later = NOW + timedelta(minutes=30)
        assert await poll_named(store, "down", fetcher, timezone="UTC", now=later,
                                scheduled=True) == (None, None)
        assert store.get_source("down").failures == 1
        _, error = await poll_named(store, "down", fetcher, timezone="UTC",
                                    now=NOW + timedelta(minutes=61), scheduled=True)
        assert error and store.get_source("down").failures == 2
    assert backoff(3, 30) == timedelta(hours=4) and backoff(20, 30) == timedelta(days=1)


async def test_a_polled_feed_and_calendar_are_read_in_the_charset_they_are_served_with(store):
    # Neither declares an encoding; the server's Content-Type does (jobs.sources.charset).
    title = "Новости кафедры ПОАС"  # github:Letractively/vstu-poas-site@1b9f369 rss_view.php
    feed = (f"<rss version='2.0'><channel><title>t</title><link>http://example.ru/</link>"
            f"<item><title>{title}</title><link>http://example.ru/news/1</link></item>"
            f"</channel></rss>").encode("windows-1251")
    calendar = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\nBEGIN:VEVENT\r\n"
                "UID:1@example.ru\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:20261130T120000Z\r\n"
                f"SUMMARY:{title}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n").encode("koi8-r")

    def served(body: bytes, content_type: str):
        async def handler(request: web.Request) -> web.Response:
            return web.Response(body=body, headers={"Content-Type": content_type})
        return handler

    async with serve(routes({
            "/rss": served(feed, "application/rss+xml; charset=windows-1251"),
            "/ics": served(calendar, "text/calendar; charset=KOI8-R")})) as server, \
            Fetcher(user_agent=USER_AGENT) as fetcher:
        store.save_source(Source("news", "rss", server.url("/rss")), NOW)
        store.save_source(Source("talks", "ical", server.url("/ics")), NOW)
        for name in ("news", "talks"):
            report, error = await poll_named(store, name, fetcher, timezone="UTC", now=NOW)
            assert error is None, error
    assert [p.title for p in store.latest_papers()] == [title]
    assert [t.title for _, t in store.list_talks()] == [title]
