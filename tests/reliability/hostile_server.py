"""The hostile server of test_hostile_bodies: documents and answers meant to hurt a poller
(billion laughs, external entities, a gzip bomb, huge, endless and trickling bodies, invalid
UTF-8, 100,000-deep nesting, valid calendars of 40,000 talks and of 500 daily ones)."""

from __future__ import annotations

import asyncio
import zlib
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

from bot.clock import SystemClock
from tests.httpserver import trickle
from tests.reliability.hostile import many_talks_ics

DEEP = 100_000
RSS = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Lab</title><item><title>'
       b'A paper</title><link>https://example.org/p/1</link></item></channel></rss>')


def gzip_bomb(size: int = 1 << 30) -> bytes:
    """`size` zero bytes gzipped: about 1 MB on the wire."""
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = bytes(1 << 20)
    return b"".join([*(packer.compress(block) for _ in range(size >> 20)), packer.flush()])


def laughs() -> bytes:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    return (f'<?xml version="1.0"?><!DOCTYPE rss [{"".join(entities)}]><rss version="2.0">'
            '<channel><title>&lol9;</title><item><title>&lol9;</title>'
            '<link>https://example.org/p/1</link></item></channel></rss>').encode()


def xxe(declaration: str) -> bytes:
    return (f'<?xml version="1.0"?>{declaration}<rss version="2.0"><channel><title>x</title>'
            '<item><title>t &xxe;</title><description>&xxe;</description>'
            '<link>https://example.org/p/1</link></item></channel></rss>').encode()


def documents(canary: Path, probe: str) -> dict[str, bytes]:
    return {
        "/benign": RSS,
        "/laughs": laughs(),
        "/xxe-file": xxe(f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{canary}">]>'),
        "/xxe-http": xxe(f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{probe}">]>'),
        "/xxe-param": xxe(f'<!DOCTYPE rss [<!ENTITY % p SYSTEM "file://{canary}"> %p;]>'),
        "/xxe-dtd": xxe(f'<!DOCTYPE rss SYSTEM "file://{canary}">'),
        "/bad-utf8": RSS.replace(b"A paper", b"\xff\xc0\x80\xed\xa0\x80" * 800_000),
        "/bad-utf8.json": b'[{"title": "' + b"\xff\xfe\xc0" * 1_000_000 + b'"}]',
        "/deep.xml": RSS.replace(b"<item>", b"<item>" + b"<a>" * DEEP + b"</a>" * DEEP),
        "/deep.json": b"[" * DEEP + b"]" * DEEP,
        "/deep.html": b"<html><body>" + b"<div>" * DEEP + b"Talk: 3 Dec 2026 10:00"
                      + b"</div>" * DEEP + b"</body></html>",
        "/deep.ics": b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + b"BEGIN:VEVENT\r\n" * DEEP
                     + b"END:VEVENT\r\n" * DEEP + b"END:VCALENDAR\r\n",
        "/many-talks.ics": many_talks_ics(40_000, SystemClock().now()),  # talks in the window
        "/daily.ics": many_talks_ics(500, SystemClock().now(), "FREQ=DAILY"),  # 500 x 180
    }


@dataclass
class Hostile:
    """The hostile server, run on its own thread so the test can block in os.wait4."""

    base: str = ""
    headers_url: str = ""  # the raw server whose headers never end
    probes: int = 0

    def url(self, path: str) -> str:
        return self.base + path


def hostile_app(server: Hostile, canary: Path) -> web.Application:
    app = web.Application()
    bomb = gzip_bomb()
    big = bytes(50 * 1024 * 1024)

    def fixed(body: bytes, **headers: str):
        async def handler(request: web.Request) -> web.Response:
            return web.Response(body=body, headers={"Content-Type": "text/xml", **headers})
        return handler

    async def probe(request: web.Request) -> web.Response:
        server.probes += 1
        return web.Response(text="PROBED")

    async def streamed(request: web.Request) -> web.StreamResponse:
        endless = request.path == "/endless"
        response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        block, sent = b"<a>" * 21_845, 0
        while endless or sent < len(big):
            await response.write(block)
            sent += len(block)
        return response

    for path, body in documents(canary, server.url("/probe")).items():
        app.router.add_get(path, fixed(body))
    app.router.add_get("/gzip-bomb", fixed(bomb, **{"Content-Encoding": "gzip"}))
    app.router.add_get("/big", fixed(big))
    app.router.add_get("/big-chunked", streamed)
    app.router.add_get("/endless", streamed)
    app.router.add_get("/trickle", trickle(100_000, 1.0, b"<"))  # a byte a second
    app.router.add_get("/probe", probe)
    return app


async def trickle_headers(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """A raw server that never finishes its headers: one byte a second."""
    try:
        for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"z" * 1000:
            writer.write(bytes([byte]))
            await writer.drain()
            await asyncio.sleep(1.0)
    except ConnectionError:
        pass
