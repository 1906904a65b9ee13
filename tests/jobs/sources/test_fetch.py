"""Fetcher against a real HTTP server on 127.0.0.1: validators, caps, redirects, retries, pacing."""

from __future__ import annotations

import asyncio
import gzip
import zlib

import pytest
from aiohttp import web

from jobs.sources.fetch import (
    USER_AGENT,
    Fetcher,
    FetchError,
    FetchLimits,
    _pacing_slot,
)
from tests.httpserver import routes, serve, static


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



