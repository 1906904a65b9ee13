"""A fake Discord on localhost: the REST routes lectern uses (Discord's limits and nonce
rules, scripted 429/403/404 answers, members who refuse direct messages, messages read
back: fake_discord_history.py, scheduled events: fake_discord_events.py) and a gateway
websocket (HELLO, READY, pushed events, a first connection refused on request), all
recorded. With `limits` set it enforces 5 messages per 5 s per channel and 50 requests a
second (X-RateLimit-* headers; 429s counted in `limits.refused`). As on Discord,
`enforce_nonce` refuses a repeat only for NONCE_WINDOW of the fake's injectable `clock`,
message ids are snowflakes of that clock, and messages read back carry no nonce."""

from __future__ import annotations

import asyncio
import inspect
import itertools
import json
import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.discord_rules import command_problems, problems
from tests.fake_discord_events import FakeEvents, event_routes
from tests.fake_discord_history import DISCORD_EPOCH_MS, NONCE_WINDOW, age, history, made_at
from tests.fake_discord_history import json_response as _json
from tests.httpserver import serve
from tests.ratelimits import DiscordLimits

APP_ID, BOT_ID = "1300000000000000001", "1300000000000000002"
BOT_USER = {"id": BOT_ID, "username": "lectern", "discriminator": "0", "global_name": None,
            "avatar": None, "bot": True, "flags": 0}


@dataclass
class Call:
    method: str
    path: str  # without the /api/v10 prefix
    query: dict[str, str]
    body: Any
    headers: dict[str, str]


@dataclass
class FakeDiscord:
    base_url: str = ""
    calls: list[Call] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)  # why a payload was refused (400)
    refuse_gateway: int = 0  # gateway connections to refuse with a 503 before one is let in
    created: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    scripts: dict[str, deque] = field(default_factory=lambda: defaultdict(deque))
    identify: dict | None = None
    token: str | None = None  # when set, any other bot token gets 401
    limits: DiscordLimits | None = None  # opt-in: Discord's per-channel and global limits
    dms: dict[str, str] = field(default_factory=dict)  # member id -> their DM channel id
    refusing: set[str] = field(default_factory=set)  # members who take no DMs from the bot
    unknown_users: set[str] = field(default_factory=set)  # ids Discord has no user for
    unreadable: set[str] = field(default_factory=set)  # channels lectern may not read
    clock: Callable[[], float] = time.time  # the fake's "now", in epoch seconds
    events: FakeEvents = field(default_factory=FakeEvents)  # fake_discord_events.py
    changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    _last_snowflake: int = 0
    _ids: Any = field(default_factory=lambda: itertools.count(1400000000000000001))
    _socket: web.WebSocketResponse | None = None
    _seq: int = 0

    @property
    def api_url(self) -> str:
        return self.base_url + "/api/v10"

    @property
    def gateway_url(self) -> str:
        return self.base_url.replace("http://", "ws://") + "/gateway"

    def answer(self, channel_id: str, status: int, body: dict, headers: dict | None = None,
               times: int = 1) -> None:
        """The next `times` posts to the channel get this answer instead of a message."""
        for _ in range(times):
            self.scripts[channel_id].append((status, body, headers or {}))

    def rate_limit(self, channel_id: str, retry_after: float, times: int = 1) -> None:
        headers = {"Retry-After": str(max(1, round(retry_after))), "Via": "1.1 google",
                   "X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "0",
                   "X-RateLimit-Reset-After": f"{retry_after:.3f}",
                   "X-RateLimit-Bucket": "fakebucket", "X-RateLimit-Scope": "user"}
        self.answer(channel_id, 429, {"message": "You are being rate limited.",
                                      "retry_after": retry_after, "global": False}, headers,
                    times)

    def refuse_dms(self, member: str) -> None:
        """The member turned off DMs from server members (or blocked the bot): opening the
        DM still works, posting there gets Discord's 403 with code 50007."""
        self.refusing.add(member)

    def calls_to(self, method: str, prefix: str) -> list[Call]:
        return [c for c in self.calls if c.method == method and c.path.startswith(prefix)]

    async def wait_for(self, predicate, timeout: float = 5.0) -> None:
        """Wait until `predicate()` holds (checked at every request): no fixed sleeps."""
        async with self.changed:
            await asyncio.wait_for(self.changed.wait_for(predicate), timeout)

    async def push(self, event: str, data: dict) -> None:
        """Send a gateway DISPATCH event (e.g. INTERACTION_CREATE) to the connected bot."""
        assert self._socket is not None, "no gateway connection"
        self._seq += 1
        await self._socket.send_str(json.dumps({"op": 0, "t": event, "s": self._seq,
                                                "d": data}))

    def snowflake(self) -> int:
        """A new id made of the fake clock's time, as Discord's are (always increasing)."""
        made = (int(self.clock() * 1000) - DISCORD_EPOCH_MS) << 22
        self._last_snowflake = max(made, self._last_snowflake + 1)
        return self._last_snowflake

    def message(self, channel_id: str, body: dict, **extra: Any) -> dict:
        snowflake = self.snowflake()
        return {"id": str(snowflake), "channel_id": channel_id, "author": BOT_USER,
                "content": body.get("content") or "",
                "timestamp": made_at(snowflake).isoformat(),
                "edited_timestamp": None, "tts": False, "mention_everyone": False,
                "mentions": [], "mention_roles": [], "attachments": [],
                "embeds": body.get("embeds") or [], "components": body.get("components") or [],
                "pinned": False, "type": 19 if body.get("message_reference") else 0,
                "flags": body.get("flags", 0), **extra}


def _open_dm(fake: FakeDiscord, body: dict) -> web.Response:
    """POST /users/@me/channels: the member's DM channel (type 1), the same one each time."""
    member = str((body or {}).get("recipient_id", ""))
    if not member.isdigit():
        fake.rejected.append(f"bad recipient_id {member!r}")
        return _json({"code": 50035, "message": "Invalid Form Body"}, status=400)
    if member in fake.unknown_users:
        return _json({"message": "Unknown User", "code": 10013}, status=404)
    channel_id = fake.dms.setdefault(member, str(next(fake._ids)))
    return _json({"id": channel_id, "type": 1, "last_message_id": None, "flags": 0,
                  "recipients": [{**BOT_USER, "id": member, "username": f"member{member}",
                                  "bot": False}]})


async def _messages(fake: FakeDiscord, request: web.Request, body: dict) -> web.Response:
    channel_id = request.match_info["channel"]
    if fake.scripts[channel_id]:
        status, answer, headers = fake.scripts[channel_id].popleft()
        return _json(answer, status=status, headers=headers)
    if any(fake.dms.get(member) == channel_id for member in fake.refusing):
        return _json({"message": "Cannot send messages to this user", "code": 50007}, 403)
    limited: dict[str, str] = {}
    if fake.limits is not None:
        refused, limited = fake.limits.check_channel(channel_id)
        if refused is not None:
            return _json(refused, status=429, headers=limited)
    found = problems(body, create=True)
    if not body.get("nonce") or len(str(body["nonce"])) > 25 or not body.get("enforce_nonce"):
        found.append("no nonce with enforce_nonce")
    if found:
        fake.rejected += found
        return _json({"code": 50035, "message": "Invalid Form Body", "errors": found}, 400)
    for earlier in fake.created[channel_id]:  # enforce_nonce: the same message again,
        if earlier.get("nonce") == body["nonce"] and age(fake.clock(), earlier) <= NONCE_WINDOW:
            return _json(earlier)  # within the few minutes Discord remembers a nonce
    message = fake.message(channel_id, body, nonce=body["nonce"])
    fake.created[channel_id].append(message)
    return _json(message, headers=limited)


async def _callback(fake: FakeDiscord, request: web.Request, body: dict) -> web.Response:
    kind, data = body["type"], body.get("data") or {}
    found = problems(data, create=True) if kind in (4, 7) else []
    if kind == 8 and (len(data["choices"]) > 25 or any(
            not 1 <= len(c["name"]) <= 100 for c in data["choices"])):
        found.append("bad autocomplete choices")
    if found:
        fake.rejected += found
        return _json({"code": 50035, "message": "Invalid Form Body"}, status=400)
    interaction = {"id": request.match_info["id"], "type": 2,
                   "response_message_loading": kind == 5,
                   "response_message_ephemeral": bool(data.get("flags", 0) & 64)}
    resource: dict = {"type": kind}
    if kind in (4, 5):
        resource["message"] = fake.message("0", data)
        interaction["response_message_id"] = resource["message"]["id"]
    return _json({"interaction": interaction, "resource": resource})


async def _webhook(fake: FakeDiscord, request: web.Request, body: dict) -> web.Response:
    if request.method == "DELETE":
        return web.Response(status=204)
    found = problems(body, create=False)
    if found:
        fake.rejected += found
        return _json({"code": 50035, "message": "Invalid Form Body"}, status=400)
    return _json(fake.message("0", body, webhook_id=APP_ID, application_id=APP_ID))


async def _commands(fake: FakeDiscord, request: web.Request, body: list) -> web.Response:
    found = [p for command in body for p in command_problems(command)]
    if found:
        fake.rejected += found
        return _json({"code": 50035, "message": "Invalid Form Body", "errors": found}, 400)
    return _json([{**command, "id": str(next(fake._ids)), "application_id": APP_ID,
                   "version": "1"} for command in body])


def _rest(fake: FakeDiscord) -> dict:
    app = {"id": APP_ID, "name": "lectern", "icon": None, "description": "", "bot_public": True,
           "bot_require_code_grant": False, "verify_key": "0" * 64, "flags": 0,
           "owner": BOT_USER, "team": None, "summary": ""}
    return {
        ("GET", "/users/@me"): lambda r, b: _json(BOT_USER),
        ("GET", "/oauth2/applications/@me"): lambda r, b: _json(app),
        ("POST", "/channels/{channel}/messages"): lambda r, b: _messages(fake, r, b),
        ("GET", "/channels/{channel}/messages"): lambda r, b: history(fake, r),
        ("POST", "/interactions/{id}/{token}/callback"): lambda r, b: _callback(fake, r, b),
        ("PATCH", "/webhooks/{app}/{token}/messages/@original"):
            lambda r, b: _webhook(fake, r, b),
        ("DELETE", "/webhooks/{app}/{token}/messages/@original"):
            lambda r, b: _webhook(fake, r, b),
        ("POST", "/webhooks/{app}/{token}"): lambda r, b: _webhook(fake, r, b),
        ("PUT", "/applications/{app}/commands"): lambda r, b: _commands(fake, r, b),
        ("PUT", "/applications/{app}/guilds/{guild}/commands"):
            lambda r, b: _commands(fake, r, b),
        ("POST", "/users/@me/channels"): lambda r, b: _open_dm(fake, b), **event_routes(fake),
    }


async def _gateway(fake: FakeDiscord, request: web.Request) -> web.StreamResponse:
    if fake.refuse_gateway > 0:  # Discord having a bad moment: the upgrade fails
        fake.refuse_gateway -= 1
        return web.Response(status=503)
    socket = web.WebSocketResponse()
    await socket.prepare(request)
    fake._socket = socket
    await socket.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 45000}}))
    async for frame in socket:
        if frame.type != WSMsgType.TEXT:
            break
        payload = json.loads(frame.data)
        if payload["op"] == 1:
            await socket.send_str(json.dumps({"op": 11}))
        elif payload["op"] == 2:
            fake.identify = payload["d"]
            await fake.push("READY", {"v": 10, "user": BOT_USER, "guilds": [],
                                      "session_id": "fake-session", "shard": [0, 1],
                                      "resume_gateway_url": fake.gateway_url,
                                      "application": {"id": APP_ID, "flags": 0}})
        async with fake.changed:
            fake.changed.notify_all()
    return socket


def _app(fake: FakeDiscord) -> web.Application:
    app = web.Application()

    def route(method: str, handler):
        async def recorded(request: web.Request) -> web.StreamResponse:
            text = await request.text()
            body = json.loads(text) if text else None
            path = request.path.removeprefix("/api/v10")
            fake.calls.append(Call(request.method, path, dict(request.query), body,
                                   dict(request.headers)))
            limited = None
            if fake.limits is not None and not path.startswith(("/interactions/",
                                                                   "/webhooks/")):
                limited = fake.limits.check_global(path)  # answers to interactions are free
            if limited is not None:
                response = _json(limited["body"], 429, limited["headers"])
            elif fake.token and request.headers.get("Authorization") != f"Bot {fake.token}":
                response = _json({"message": "401: Unauthorized", "code": 0}, 401)
            else:
                response = handler(request, body)
            if inspect.isawaitable(response):
                response = await response
            async with fake.changed:
                fake.changed.notify_all()
            return response
        return recorded

    for (method, path), handler in _rest(fake).items():
        app.router.add_route(method, "/api/v10" + path, route(method, handler))

    async def gateway(request: web.Request) -> web.StreamResponse:
        return await _gateway(fake, request)

    app.router.add_get("/gateway", gateway)
    return app


@asynccontextmanager
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord()
    async with serve(_app(fake)) as server:
        fake.base_url = server.base_url
        yield fake
        if fake._socket is not None:
            await fake._socket.close()
