"""Fetcher against a real HTTP server on 127.0.0.1: validators, caps, redirects, retries, pacing."""

from __future__ import annotations

import asyncio
import gzip
import socket
import zlib
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from aiohttp import web

from jobs.sources.fetch import (
    USER_AGENT,
    Fetcher,
    FetchError,
    FetchLimits,
    _pacing_slot,
    parse_retry_after,
)
from tests.httpserver import routes, serve, static, trickle

NO_PACING = {}  # 127.0.0.1 is not paced unless a test says so


class FakeTime:
    """A monotonic clock that moves only when the fetcher sleeps; records every wait."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)  # still let other tasks run, as a real sleep would


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
async def make_fetcher(fake_time: FakeTime) -> AsyncIterator[Callable[..., Fetcher]]:
    made: list[Fetcher] = []

    def make(**limits: object) -> Fetcher:
        limits.setdefault("host_intervals", NO_PACING)
        fetcher = Fetcher(FetchLimits(**limits), user_agent=USER_AGENT,
                          sleep=fake_time.sleep, monotonic=fake_time.monotonic)
        made.append(fetcher)
        return fetcher

    yield make
    for fetcher in made:
        await fetcher.aclose()


def counting(*responses: Callable[[], web.StreamResponse]) -> Callable:
    """A handler giving each response in turn, then repeating the last one."""
    calls = iter(range(10**6))

    async def handler(request: web.Request) -> web.StreamResponse:
        return responses[min(next(calls), len(responses) - 1)]()

    return handler


async def test_200_returns_body_validators_and_content_type(make_fetcher) -> None:
    headers = {"ETag": '"v1"', "Last-Modified": "Mon, 23 Nov 2026 08:00:00 GMT"}
    app = routes({"/feed": static(b"<rss/>", "application/rss+xml; charset=utf-8", 200, headers)})
    async with serve(app) as server:
        result = await make_fetcher().fetch(server.url("/feed"))
    assert result.status == 200 and result.body == b"<rss/>" and not result.not_modified
    assert result.url == server.url("/feed")
    assert result.etag == '"v1"'
    assert result.last_modified == "Mon, 23 Nov 2026 08:00:00 GMT"
    assert result.content_type == "application/rss+xml; charset=utf-8"
    assert server.requests[0].headers["User-Agent"] == USER_AGENT


async def test_conditional_get_sends_validators_and_gets_not_modified(make_fetcher) -> None:
    async def feed(request: web.Request) -> web.Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return web.Response(status=304, headers={"ETag": '"v1"'})
        return web.Response(body=b"fresh")

    async with serve(routes({"/feed": feed})) as server:
        result = await make_fetcher().fetch(
            server.url("/feed"), etag='"v1"', last_modified="Mon, 23 Nov 2026 08:00:00 GMT")
    sent = server.requests[0].headers
    assert sent["If-None-Match"] == '"v1"'
    assert sent["If-Modified-Since"] == "Mon, 23 Nov 2026 08:00:00 GMT"
    assert result.not_modified and result.status == 304 and result.body == b""
    assert result.etag == '"v1"'
    assert result.last_modified == "Mon, 23 Nov 2026 08:00:00 GMT"  # kept: the 304 omitted it


async def test_body_declared_too_large_is_refused(make_fetcher) -> None:
    async with serve(routes({"/big": static(b"x" * 2000)})) as server:
        with pytest.raises(FetchError, match="1000-byte limit") as caught:
            await make_fetcher(max_bytes=1000).fetch(server.url("/big"))
    assert "declares 2000 bytes" in str(caught.value)
    assert len(server.requests) == 1  # a size problem is not retried


async def test_chunked_body_past_the_cap_is_aborted(make_fetcher) -> None:
    async def endless(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        response.enable_chunked_encoding()
        await response.prepare(request)
        for _ in range(10_000):  # 10 MB if nobody hung up
            await response.write(b"y" * 1000)
        return response

    async with serve(routes({"/endless": endless})) as server:
        with pytest.raises(FetchError, match="1000-byte limit") as caught:
            await make_fetcher(max_bytes=1000).fetch(server.url("/endless"))
    assert str(server.url("/endless")) in str(caught.value)


async def test_cap_applies_to_decompressed_bytes(make_fetcher) -> None:
    bomb = gzip.compress(b"\0" * 100_000)
    headers = {"Content-Encoding": "gzip"}
    async with serve(routes({"/gz": static(bomb, "text/plain", 200, headers)})) as server:
        assert len(bomb) < 1000
        with pytest.raises(FetchError, match="10000-byte limit"):
            await make_fetcher(max_bytes=10_000).fetch(server.url("/gz"))
        result = await make_fetcher(max_bytes=100_000).fetch(server.url("/gz"))
    assert result.body == b"\0" * 100_000


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
               "Retry-After": format_datetime(server_now + timedelta(seconds=30), usegmt=True)}
    handler = counting(lambda: web.Response(status=503, headers=headers),
                       lambda: web.Response(body=b"ok"))
    async with serve(routes({"/r": handler})) as server:
        await make_fetcher().fetch(server.url("/r"))
    assert fake_time.sleeps == [30.0]


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


def redirect_chain() -> web.Application:
    async def hop(request: web.Request) -> web.Response:
        left = int(request.match_info["left"])
        if left == 0:
            return web.Response(body=b"arrived")
        return web.Response(status=302, headers={"Location": f"/hop/{left - 1}"})

    app = web.Application()
    app.router.add_get("/hop/{left}", hop)
    return app


async def test_redirects_are_followed_to_the_final_url(make_fetcher) -> None:
    async with serve(redirect_chain()) as server:
        result = await make_fetcher(max_redirects=5).fetch(server.url("/hop/2"))
    assert result.body == b"arrived" and result.url == server.url("/hop/0")
    assert [seen.path for seen in server.requests] == ["/hop/2", "/hop/1", "/hop/0"]


async def test_too_many_redirects_is_an_error(make_fetcher) -> None:
    async with serve(redirect_chain()) as server:
        with pytest.raises(FetchError, match="Too many redirects"):
            await make_fetcher(max_redirects=5).fetch(server.url("/hop/6"))
        await make_fetcher(max_redirects=5).fetch(server.url("/hop/5"))  # exactly 5 is fine
    assert len(server.seen("/hop/6")) == 1  # not retried


async def test_redirect_to_another_scheme_is_refused(make_fetcher) -> None:
    away = static(b"", status=301, headers={"Location": "ftp://files.example.org/feed"})
    async with serve(routes({"/away": away})) as server:
        with pytest.raises(FetchError, match="only http:// and https://"):
            await make_fetcher().fetch(server.url("/away"))


async def test_redirect_without_location_is_an_error(make_fetcher) -> None:
    async with serve(routes({"/lost": static(b"", status=302)})) as server:
        with pytest.raises(FetchError, match="302 Found from .* no usable Location") as caught:
            await make_fetcher().fetch(server.url("/lost"))
    assert caught.value.status == 302


async def test_404_is_not_retried(make_fetcher, fake_time) -> None:
    async with serve(routes({})) as server:
        url = server.url("/missing")
        with pytest.raises(FetchError) as caught:
            await make_fetcher().fetch(url)
    assert str(caught.value) == f"404 Not Found from {url}: check the URL."
    assert caught.value.status == 404
    assert len(server.requests) == 1 and fake_time.sleeps == []


@pytest.mark.parametrize("url", ["ftp://example.org/feed", "file:///etc/passwd",
                                 "javascript:alert(1)", "example.org/feed", "http:///nohost"])
async def test_non_http_urls_are_refused(make_fetcher, url: str) -> None:
    with pytest.raises(FetchError, match="only http:// and https://|not a valid URL"):
        await make_fetcher().fetch(url)


async def test_requests_to_a_paced_host_are_spaced(make_fetcher, fake_time) -> None:
    async with serve(routes({"/p": static(b"ok")})) as server:
        fetcher = make_fetcher(host_intervals={"127.0.0.1": 3.0})
        await fetcher.fetch(server.url("/p"))
        await fetcher.fetch(server.url("/p"))
        assert fake_time.sleeps == [pytest.approx(3.0)]
        fake_time.now += 10  # long enough ago: no wait
        await fetcher.fetch(server.url("/p"))
        assert len(fake_time.sleeps) == 1
        fake_time.now += 10
        await asyncio.gather(*(fetcher.fetch(server.url("/p")) for _ in range(3)))
    assert fake_time.sleeps[1:] == [pytest.approx(3.0), pytest.approx(3.0)]  # they queued
    assert len(server.requests) == 6


async def test_unpaced_hosts_do_not_wait(make_fetcher, fake_time) -> None:
    async with serve(routes({"/p": static(b"ok")})) as server:
        fetcher = make_fetcher()  # default intervals: arXiv only
        await asyncio.gather(fetcher.fetch(server.url("/p")), fetcher.fetch(server.url("/p")))
    assert fake_time.sleeps == []


def test_pacing_matches_the_host_or_a_subdomain() -> None:
    intervals = FetchLimits().host_intervals
    assert _pacing_slot("arxiv.org", intervals) == ("arxiv.org", 3.0)
    assert _pacing_slot("WWW.arXiv.org.", intervals) == ("arxiv.org", 3.0)
    assert _pacing_slot("export.arxiv.org", intervals) == ("export.arxiv.org", 3.0)
    assert _pacing_slot("notarxiv.org", intervals) is None
    assert _pacing_slot("huggingface.co", intervals) is None


async def test_trickling_server_hits_the_per_attempt_deadline(make_fetcher, fake_time) -> None:
    # one byte every 50 ms: never a read timeout, never done; the test waits for nothing
    async with serve(routes({"/slow": trickle(200, 0.05)})) as server:
        fetcher = make_fetcher(total_timeout=0.3, read_timeout=5.0, max_attempts=2)
        with pytest.raises(FetchError, match=r"did not finish within 0.3 s \(tried 2 times\)"):
            await fetcher.fetch(server.url("/slow"))
    assert len(server.requests) == 2 and fake_time.sleeps == [2.0]


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


def test_limits_are_checked() -> None:
    with pytest.raises(ValueError):
        FetchLimits(max_attempts=0)


async def test_async_with_closes_the_client() -> None:
    async with Fetcher(user_agent=USER_AGENT) as fetcher:
        pass
    assert fetcher._client.is_closed
    with pytest.raises(ValueError):
        Fetcher(user_agent=" ")


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS])  # zlib-wrapped or raw
async def test_deflate_bodies_are_inflated(make_fetcher, wbits: int) -> None:
    packer = zlib.compressobj(6, zlib.DEFLATED, wbits)
    body = packer.compress(b"<rss/>" * 1000) + packer.flush()
    headers = {"Content-Encoding": "deflate"}
    async with serve(routes({"/d": static(body, "text/xml", 200, headers)})) as server:
        result = await make_fetcher().fetch(server.url("/d"))
    assert result.body == b"<rss/>" * 1000
    assert server.requests[0].headers["Accept-Encoding"] == "gzip, deflate"


@pytest.mark.parametrize(("coding", "says"), [("br", "Content-Encoding 'br'"),
                                               ("gzip, gzip", "Content-Encoding 'gzip, gzip'")])
async def test_unknown_or_stacked_encodings_are_refused(make_fetcher, coding, says) -> None:
    headers = {"Content-Encoding": coding}
    async with serve(routes({"/e": static(b"\x00\x01", "text/xml", 200, headers)})) as server:
        with pytest.raises(FetchError, match=says):
            await make_fetcher().fetch(server.url("/e"))


async def test_a_corrupt_gzip_body_is_an_error(make_fetcher) -> None:
    headers = {"Content-Encoding": "gzip"}
    async with serve(routes({"/z": static(b"not gzip at all", "text/xml", 200, headers)})) \
            as server:
        with pytest.raises(FetchError, match="compressed data is corrupt"):
            await make_fetcher().fetch(server.url("/z"))


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
