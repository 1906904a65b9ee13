"""A fake Slack on localhost for tests: the Web API methods lectern calls, response_url
endpoints and a Socket Mode WebSocket. It records every call, checks each message against
Block Kit's limits (answering `invalid_blocks` like Slack and noting the problem), and
answers 429, 5xx or an error code on demand, or drops the connection, before or after
doing the work. With `limits` set (off by default) it also
enforces chat.postMessage's per-channel rate, answering 429 `ratelimited` with Retry-After
as Slack does; `limits.refused` counts those. Posts keep their metadata, and the history
methods (fake_slack_history.py) read them back; ts come from `clock` (the wall clock unless
a test gives its own), strictly increasing. Direct messages: fake_slack_direct.py."""

from __future__ import annotations

import asyncio
import json
import math
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import WSMsgType, web

from tests.fake_slack_direct import DirectMixin
from tests.fake_slack_history import HistoryMixin
from tests.ratelimits import SlackLimits
from tests.slack_rules import block_kit_problems


@dataclass
class Call:
    method: str
    params: dict


@dataclass
class Scripted:
    status: int = 200
    error: str | None = None
    retry_after: float | None = None
    accepted: bool = False  # the work is done (a post kept) before the failure


@dataclass
class FakeSlack(HistoryMixin, DirectMixin):
    base_url: str = ""  # set once served: http://127.0.0.1:PORT
    calls: list[Call] = field(default_factory=list)
    responses: list[dict] = field(default_factory=list)  # posts to response_url
    problems: list[str] = field(default_factory=list)
    users: dict[str, dict] = field(default_factory=dict)
    channel_errors: dict[str, str] = field(default_factory=dict)  # channel -> error code
    script: dict[str, list[Scripted]] = field(default_factory=lambda: defaultdict(list))
    socket_acks: list[dict] = field(default_factory=list)
    connections: int = 0
    api_peers: set = field(default_factory=set)  # (host, port) of each Web API connection
    limits: SlackLimits | None = None  # opt-in: enforce ~1 post a second per channel
    history_scope: bool = True  # False: the history methods answer missing_scope
    dms: dict[str, str] = field(default_factory=dict)  # user -> D... (conversations.open)
    dm_errors: dict[str, str] = field(default_factory=dict)  # user -> conversations.open error
    im_write: bool = True  # False: conversations.open answers missing_scope
    im_history: bool = True  # False: a DM's history answers missing_scope
    messages_tab: bool = True  # False: posts to a DM answer messages_tab_disabled
    clock: Callable[[], float] = time.time  # seconds since the epoch, for ts
    post_seconds: float = 0.0  # how long chat.postMessage takes to answer (a slow Slack)
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _changed: asyncio.Event = field(default_factory=asyncio.Event)
    _ts: int = 0

    @property
    def api_url(self) -> str:
        return self.base_url + "/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"{self.base_url}/respond/{name}"

    def answer(self, method: str, *, times: int = 1, status: int = 200,
               error: str | None = None, retry_after: float | None = None,
               accepted: bool = False) -> None:
        """The next `times` calls of `method` fail this way; status 0 drops the connection
        without an answer. `accepted`: the call is carried out first, as Slack sometimes
        does before failing (a post is kept and shows in the history)."""
        self.script[method] += [Scripted(status, error, retry_after, accepted)] * times

    def called(self, method: str) -> list[dict]:
        return [call.params for call in self.calls if call.method == method]

    @property
    def posted(self) -> list[dict]:
        """The messages chat.postMessage accepted, oldest first."""
        return [call.params for call in self.calls
                if call.method == "chat.postMessage" and call.params.get("_ts")]

    async def wait_for(self, condition: Callable[[], bool], timeout: float = 5.0) -> None:
        """Until `condition()` holds after something arrives (I/O, not time, is awaited)."""
        async with asyncio.timeout(timeout):
            while not condition():
                self._changed.clear()
                await self._changed.wait()

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/respond/{name}", self._respond)
        app.router.add_get("/socket", self._socket)
        return app

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await _params(request)
        call = Call(method, params)
        self.calls.append(call)
        if request.transport is not None:
            self.api_peers.add(request.transport.get_extra_info("peername"))
        self._changed.set()
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        if method == "chat.postMessage" and self.post_seconds:
            await asyncio.sleep(self.post_seconds)  # the platform is slow, not the test
        if self.script[method]:
            scripted = self.script[method].pop(0)
            if scripted.accepted and handler is not None:
                handler(params)
            if scripted.status == 0:  # the client sees the server disconnect
                if request.transport is not None:
                    request.transport.close()
                return web.Response()
            headers = {"Retry-After": f"{scripted.retry_after:g}"} if scripted.retry_after else {}
            if scripted.status >= 500:
                return web.Response(status=scripted.status, text="upstream trouble")
            return web.json_response({"ok": False, "error": scripted.error or "ratelimited"},
                                     status=scripted.status, headers=headers)
        if method == "chat.postMessage" and self.limits is not None:
            wait = self.limits.check(str(params.get("channel", "")))
            if wait:
                return web.json_response({"ok": False, "error": "ratelimited"}, status=429,
                                         headers={"Retry-After": str(math.ceil(wait))})
        if handler is None:
            return web.json_response({"ok": False, "error": "unknown_method"})
        return web.json_response(handler(params))

    def _auth_test(self, params: dict) -> dict:
        return {"ok": True, "team": "Lab", "team_id": "T1", "user": "lectern",
                "user_id": "UBOT", "bot_id": "BBOT", "url": "https://lab.slack.com/"}

    def _users_info(self, params: dict) -> dict:
        user = self.users.get(params.get("user", ""))
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": {"id": params["user"], **user}}

    def _apps_connections_open(self, params: dict) -> dict:
        return {"ok": True, "url": self.base_url.replace("http", "ws") + "/socket"}

    def _chat_postMessage(self, params: dict) -> dict:
        channel = params.get("channel", "")
        refused = self.channel_errors.get(channel) or self.dm_post_refused(channel)
        if refused:
            return {"ok": False, "error": refused}
        problems = block_kit_problems(params)
        if problems:
            self.problems += problems
            return {"ok": False, "error": "invalid_blocks", "errors": problems}
        self._ts = max(self._ts + 1, int(self.clock() * 1_000_000))  # in microseconds
        params["_ts"] = ts = f"{self._ts // 1_000_000}.{self._ts % 1_000_000:06d}"
        return {"ok": True, "channel": channel, "ts": ts, "message": {"ts": ts}}

    async def _respond(self, request: web.Request) -> web.Response:
        payload = await request.json()
        payload["_url"] = request.match_info["name"]
        self.problems += block_kit_problems(payload)
        self.responses.append(payload)
        self._changed.set()
        return web.Response(text="ok")

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self.connections += 1
        self._sockets.append(socket)
        await socket.send_json({"type": "hello", "num_connections": 1})
        self._changed.set()
        async for message in socket:
            if message.type == WSMsgType.TEXT:
                self.socket_acks.append(json.loads(message.data))
                self._changed.set()
        return socket

    async def socket_send(self, envelope: dict) -> None:
        """Send an envelope (e.g. a slash command) down the newest Socket Mode connection."""
        await self._sockets[-1].send_json(envelope)

    async def socket_disconnect(self) -> None:
        """Ask the client to reconnect, as Slack does every few hours."""
        await self._sockets[-1].send_json({"type": "disconnect", "reason": "refresh_requested"})

    async def socket_drop(self) -> None:
        """Close the newest connection from Slack's side, as a network blip would."""
        await self._sockets[-1].close()


async def _params(request: web.Request) -> dict:
    if request.content_type == "application/json":
        return await request.json()
    params = dict(request.query)
    if request.can_read_body:
        params.update(await request.post())
    for name in ("blocks", "attachments", "metadata"):  # form posts carry JSON as text
        if isinstance(params.get(name), str):
            params[name] = json.loads(params[name])
    return {name: str(value) if not isinstance(value, list | dict | bool | int) else value
            for name, value in params.items()}
