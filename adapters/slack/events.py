"""HTTP mode: serve POST /slack/events, verifying every request's signature and timestamp
before bolt sees it. A bad, stale or missing signature is a 401 and a malformed body a 400:
never a 500, whatever is sent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from urllib.parse import parse_qs

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
MAX_BODY = 1024 * 1024  # Slack's payloads are far smaller
# A connection that sends nothing for this long is closed: aiohttp keeps one for an hour by
# default, and 300 half-open connections were still held after 16 s. Slack opens a new
# connection for each delivery it retries, so nothing is lost.
IDLE_SECONDS = 15.0


class _SdkClock:
    """The adapter's clock in the shape slack_sdk's verifier wants (seconds)."""

    def __init__(self, now: Callable[[], datetime]) -> None:
        self._now = now

    def now(self) -> float:
        return self._now().timestamp()


class EventsServer:
    """An aiohttp server in front of the bolt app, also serving the `routes` the bot gives
    it (its calendar feeds: one server, one port)."""

    def __init__(self, app: AsyncApp, signing_secret: str, now: Callable[[], datetime],
                 host: str, port: int, idle_seconds: float = IDLE_SECONDS,
                 routes: Sequence[web.RouteDef] = ()) -> None:
        self.app, self.host, self.port, self.idle_seconds = app, host, port, idle_seconds
        self.routes = routes
        self.verifier = SignatureVerifier(signing_secret, clock=_SdkClock(now))
        self._runner: web.AppRunner | None = None

    def web_app(self) -> web.Application:
        web_app = web.Application(client_max_size=MAX_BODY)
        web_app.router.add_post(EVENTS_PATH, self.handle)
        web_app.add_routes(self.routes)
        return web_app

    async def start(self) -> int:
        """Listen on host:port (port 0: any free port); return the port bound."""
        self._runner = web.AppRunner(self.web_app(), access_log=None, shutdown_timeout=2.0,
                                     keepalive_timeout=self.idle_seconds)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        log.info("Slack HTTP mode: listening on http://%s:%d%s", self.host, self.port,
                 EVENTS_PATH)
        return self.port

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def handle(self, request: web.Request) -> web.StreamResponse:
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return web.json_response({"error": "request too large"}, status=413)
        if not self.verified(body, request.headers):
            if _is_ssl_check(body):  # Slack's certificate probe carries nothing to act on
                return web.Response(status=200)
            return web.json_response({"error": "invalid request"}, status=401)
        try:
            bolt_request = AsyncBoltRequest(body=body.decode("utf-8"),
                                            query=request.query_string,
                                            headers=dict(request.headers))
            bolt_response = await self.app.async_dispatch(bolt_request)
        except Exception:  # signed, yet unreadable: say so rather than fail
            log.exception("a signed Slack request could not be handled")
            return web.json_response({"error": "malformed request"}, status=400)
        if bolt_response.status >= 500:  # bolt could not read it (`"actions": []`); the
            # listeners ack before they work, so this is the request's shape, not ours
            log.warning("bolt could not read a signed Slack request (%s)",
                        bolt_response.body[:200])
            return web.json_response({"error": "malformed request"}, status=400)
        return await to_aiohttp_response(bolt_response)

    def verified(self, body: bytes, headers) -> bool:
        """Slack's v0 HMAC-SHA256 over `v0:{timestamp}:{body}`, within five minutes."""
        timestamp = headers.get("X-Slack-Request-Timestamp", "")
        signature = headers.get("X-Slack-Signature", "")
        if not timestamp.strip().isdigit() or not signature:
            return False
        try:
            return self.verifier.is_valid(body, timestamp.strip(), signature)
        except (ValueError, TypeError):  # e.g. a body that is not UTF-8
            return False


def _is_ssl_check(body: bytes) -> bool:
    try:
        return parse_qs(body.decode("utf-8")).get("ssl_check") == ["1"]
    except ValueError:
        return False
