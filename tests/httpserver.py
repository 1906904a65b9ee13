"""A real HTTP server on 127.0.0.1 for tests: serve an aiohttp app and record what it was asked."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class SeenRequest:
    method: str
    path: str  # with the query string
    headers: Mapping[str, str]  # case-insensitive, as received


@dataclass
class LocalServer:
    base_url: str  # http://127.0.0.1:PORT, no trailing slash
    requests: list[SeenRequest] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base_url + path

    def seen(self, path: str) -> list[SeenRequest]:
        """The requests for one path (query string included), oldest first."""
        return [request for request in self.requests if request.path == path]


@asynccontextmanager
async def serve(app: web.Application) -> AsyncIterator[LocalServer]:
    """Serve `app` on a free port until the block ends; every request is recorded."""
    server = LocalServer(base_url="")

    @web.middleware
    async def record(request: web.Request, handler: Handler) -> web.StreamResponse:
        server.requests.append(SeenRequest(request.method, request.path_qs, request.headers.copy()))
        return await handler(request)

    app.middlewares.insert(0, record)
    runner = web.AppRunner(app, shutdown_timeout=1.0)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        host, port = runner.addresses[0][:2]
        server.base_url = f"http://{host}:{port}"
        yield server
    finally:
        await runner.cleanup()


def routes(handlers: Mapping[str, Handler]) -> web.Application:
    """An app answering GET on each path with its handler."""
    app = web.Application()
    for path, handler in handlers.items():
        app.router.add_get(path, handler)
    return app


def trickle(length: int, every: float, byte: bytes = b".") -> Handler:
    """A handler that declares `length` bytes and sends one every `every` seconds (the
    server's pace, in real time): no read timeout ever fires, the body never ends soon."""

    async def handler(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Length": str(length)})
        await response.prepare(request)
        for _ in range(length):
            await response.write(byte)
            await asyncio.sleep(every)
        return response

    return handler


def static(body: bytes, content_type: str = "application/octet-stream", status: int = 200,
           headers: Mapping[str, str] | None = None) -> Handler:
    """A handler that always answers with the same body, e.g. a feed from tests/data."""

    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=body, status=status,
                            headers={"Content-Type": content_type, **(headers or {})})

    return handler
