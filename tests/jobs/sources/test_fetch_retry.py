"""Fetcher retries against a real HTTP server on 127.0.0.1: Retry-After, backoff, giving up,
the per-attempt and overall deadlines (time moves only when the fetcher sleeps)."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from aiohttp import web

from jobs.sources.fetch import FetchError, FetchLimits, parse_retry_after
from tests.httpserver import routes, serve, static, trickle
from tests.jobs.sources.fetchworld import counting


async def test_429_with_retry_after_waits_that_long_then_succeeds(make_fetcher, fake_time) -> None:
    handler = counting(lambda: web.Response(status=429, headers={"Retry-After": "7"}),
                       lambda: web.Response(body=b"ok"))
    async with serve(routes({"/r": handler})) as server:
        result = await make_fetcher().fetch(server.url("/r"))
    assert result.body == b"ok"
    assert fake_time.sleeps == [7.0]
    assert len(server.requests) == 2


async def test_5xx_is_retried_with_exponential_backoff(make_fetcher, fake_time) -> None:
    handler = counting(lambda: web.Response(status=503), lambda: web.Response(status=502),
                       lambda: web.Response(body=b"ok"))
    async with serve(routes({"/r": handler})) as server:
        result = await make_fetcher(backoff_base=2.0).fetch(server.url("/r"))
    assert result.body == b"ok"
    assert fake_time.sleeps == [2.0, 4.0]


async def test_backoff_is_capped(make_fetcher, fake_time) -> None:
    async with serve(routes({"/r": static(b"", status=500)})) as server:
        with pytest.raises(FetchError):
            await make_fetcher(max_attempts=5, backoff_base=2.0, max_backoff=5.0).fetch(
                server.url("/r"))
    assert fake_time.sleeps == [2.0, 4.0, 5.0, 5.0]


async def test_retry_after_as_http_date_is_read_against_the_servers_date(
        make_fetcher, fake_time) -> None:
    server_now = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    headers = {"Date": format_datetime(server_now, usegmt=True),
               "Retry-After": format_datetime(server_now + timedelta(seconds=12), usegmt=True)}
    handler = counting(lambda: web.Response(status=503, headers=headers),
                       lambda: web.Response(body=b"ok"))
    async with serve(routes({"/r": handler})) as server:
        await make_fetcher().fetch(server.url("/r"))
    assert fake_time.sleeps == [12.0]


async def test_waits_a_server_asks_for_stay_within_the_fetchs_deadline(
        make_fetcher, fake_time) -> None:
    """Retry-After: 600 on every attempt once held one poll for half an hour (4 attempts,
    each waited out); now a wait the deadline cannot hold ends the fetch at once."""
    limited = static(b"slow down", status=503, headers={"Retry-After": "600"})
    async with serve(routes({"/r": limited})) as server:
        with pytest.raises(FetchError, match="503"):
            await make_fetcher(max_attempts=4).fetch(server.url("/r"))
    assert fake_time.sleeps == [] and len(server.requests) == 1
    waits = static(b"busy", status=503, headers={"Retry-After": "10"})
    async with serve(routes({"/r": waits})) as server:
        with pytest.raises(FetchError):
            await make_fetcher(max_attempts=10).fetch(server.url("/r"))
    assert sum(fake_time.sleeps) <= 25.0  # the default deadline


async def test_429_forever_gives_up_after_max_attempts(make_fetcher, fake_time) -> None:
    limited = static(b"slow down", status=429, headers={"Retry-After": "1"})
    async with serve(routes({"/r": limited})) as server:
        with pytest.raises(FetchError, match="429 Too Many Requests") as caught:
            await make_fetcher(max_attempts=4).fetch(server.url("/r"))
    assert len(server.requests) == 4
    assert fake_time.sleeps == [1.0, 1.0, 1.0]
    assert caught.value.status == 429 and caught.value.retry_after == 1.0
    assert "tried 4 times" in str(caught.value) and server.url("/r") in str(caught.value)


async def test_retry_after_beyond_the_limit_gives_up_at_once(make_fetcher, fake_time) -> None:
    limited = static(b"", status=503, headers={"Retry-After": "3600"})
    async with serve(routes({"/r": limited})) as server:
        with pytest.raises(FetchError, match="wait 3600 s") as caught:
            await make_fetcher(max_retry_after=600).fetch(server.url("/r"))
    assert caught.value.retry_after == 3600.0 and caught.value.status == 503
    assert len(server.requests) == 1 and fake_time.sleeps == []


async def test_404_is_not_retried(make_fetcher, fake_time) -> None:
    async with serve(routes({})) as server:
        url = server.url("/missing")
        with pytest.raises(FetchError) as caught:
            await make_fetcher().fetch(url)
    assert str(caught.value) == f"404 Not Found from {url}: check the URL."
    assert caught.value.status == 404
    assert len(server.requests) == 1 and fake_time.sleeps == []


async def test_connection_refused_is_retried_then_reported(make_fetcher, fake_time) -> None:
    with socket.socket() as sock:  # a port nobody listens on once closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchError, match="could not be reached") as caught:
        await make_fetcher(max_attempts=3).fetch(f"http://127.0.0.1:{port}/feed")
    assert caught.value.status is None and fake_time.sleeps == [2.0, 4.0]


def test_parse_retry_after() -> None:
    now = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    assert parse_retry_after("120", now) == 120.0
    assert parse_retry_after(" 0 ", now) == 0.0
    assert parse_retry_after("Mon, 23 Nov 2026 08:01:30 GMT", now) == 90.0
    assert parse_retry_after("Mon, 23 Nov 2026 07:00:00 GMT", now) == 0.0  # already passed
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after("-5", now) is None
    assert parse_retry_after(None, now) is None


async def test_the_deadline_covers_all_attempts_together(make_fetcher, fake_time) -> None:
    async with serve(routes({"/slow": trickle(200, 0.05)})) as server:
        fetcher = make_fetcher(deadline=0.3, total_timeout=5.0, max_attempts=4)
        with pytest.raises(FetchError, match=r"did not finish within the 0.3 s a fetch may "
                                             r"take \(all attempts together\)"):
            await fetcher.fetch(server.url("/slow"))
    assert len(server.requests) == 1 and fake_time.sleeps == []  # not retried


def test_the_default_deadline_fits_thirty_seconds() -> None:
    limits = FetchLimits()
    assert limits.deadline <= 25.0 and limits.connect_timeout < limits.deadline


async def test_trickling_server_hits_the_per_attempt_deadline(make_fetcher, fake_time) -> None:
    # one byte every 50 ms: never a read timeout, never done; the test waits for nothing
    async with serve(routes({"/slow": trickle(200, 0.05)})) as server:
        fetcher = make_fetcher(total_timeout=0.3, read_timeout=5.0, max_attempts=2)
        with pytest.raises(FetchError, match=r"did not finish within 0.3 s \(tried 2 times\)"):
            await fetcher.fetch(server.url("/slow"))
    assert len(server.requests) == 2 and fake_time.sleeps == [2.0]
