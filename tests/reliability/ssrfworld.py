"""What the address-guard tests (test_ssrf.py) share: a loopback listener that counts the
connections it accepts, a resolver mapped by hand, and a chat-added source to poll."""

from __future__ import annotations

import asyncio
import re
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from bot.models import Source
from jobs.poll import poll_named
from jobs.sources.fetch import USER_AGENT, Fetcher, FetchLimits
from jobs.sources.netguard import system_resolver
from tests.conftest import NOW

RSS = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item>'
       b'<title>A paper</title><link>https://example.org/p/1</link></item></channel></rss>')


@dataclass
class Listener:
    """A raw TCP listener that counts the connections it accepts (and answers a feed)."""

    host: str
    port: int = 0
    accepted: int = 0
    hosts_seen: list[str] = field(default_factory=list)
    sni: list[str | None] = field(default_factory=list)

    def url(self, path: str = "/feed", host: str | None = None) -> str:
        shown = host or (f"[{self.host}]" if ":" in self.host else self.host)
        return f"http://{shown}:{self.port}{path}"


@asynccontextmanager
async def listening(host: str = "127.0.0.1", redirect_to: str | None = None,
                    tls: ssl.SSLContext | None = None) -> AsyncIterator[Listener]:
    """Accept on `host`, count every accepted socket, answer one HTTP/1.1 GET per socket."""
    listener = Listener(host)

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        listener.accepted += 1
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError):
            writer.close()
            return
        for line in head.decode("latin-1").split("\r\n"):
            if line.lower().startswith("host:"):
                listener.hosts_seen.append(line[5:].strip())
        if redirect_to is not None:
            status, extra, body = "302 Found", f"Location: {redirect_to}\r\n", b""
        else:
            status, extra, body = "200 OK", "Content-Type: application/rss+xml\r\n", RSS
        writer.write(f"HTTP/1.1 {status}\r\n{extra}Content-Length: {len(body)}\r\n"
                     "Connection: close\r\n\r\n".encode() + body)
        await writer.drain()
        writer.close()

    if tls is not None:
        tls.sni_callback = lambda sock, name, context: listener.sni.append(name)
    server = await asyncio.start_server(answer, host, 0, ssl=tls)
    listener.port = server.sockets[0].getsockname()[1]
    try:
        yield listener
    finally:
        server.close()
        await server.wait_closed()


def mapped(table: dict[str, list[str]], calls: list[str] | None = None):
    """An injected resolver: host name -> the addresses of this test; numeric spellings
    (`2130706433`, `0x7f.1`) go to the system resolver, which reads them without DNS."""

    async def resolve(host: str, port: int) -> list[str]:
        if calls is not None:
            calls.append(host)
        if host in table:
            return table[host]
        if re.fullmatch(r"[0-9a-fx.]+", host):
            return await system_resolver(host, port)
        raise OSError(f"[Errno -2] Name or service not known: {host}")

    return resolve


def chat_source(store, url: str, name: str = "chat") -> str:
    store.save_source(Source(name, "rss", url, added_by="u7", added_in="discord:42"), NOW)
    return name


def fetcher(allow: tuple[str, ...] = (), table: dict[str, list[str]] | None = None,
            calls: list[str] | None = None) -> Fetcher:
    limits = FetchLimits(max_attempts=1, connect_timeout=2.0, host_intervals={})
    return Fetcher(limits, user_agent=USER_AGENT, allow_ranges=allow,
                   resolver=mapped(table or {}, calls))


async def poll(store, name: str, made: Fetcher) -> str | None:
    async with made:
        _, error = await poll_named(store, name, made, timezone="UTC", now=NOW)
    return error


