"""The Slack adapter: connects in Socket Mode (with an app token) or serves HTTP mode
(with a signing secret), routes slash commands to the registry, and sends neutral Messages
as Block Kit through the Web API, paced and retried, to a channel or (a ChannelRef to a
user) as a direct message from the app (direct.py); a message that may have been posted
before a crash, or by a try Slack failed to answer, is looked for first (recall.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterable

import aiohttp
from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import render
from adapters.slack.commands import Managers, register
from adapters.slack.direct import POST_REFUSED, DirectMessages
from adapters.slack.events import EventsServer
from adapters.slack.recall import Recall, metadata
from adapters.slack.sending import (
    PERMANENT,
    TOKEN_REFUSED,
    Posted,
    Poster,
    channel_pacer,
    error_code,
)
from bot.chat import ChannelRef, DeliveryError, Message, SentRef
from bot.clock import Clock, SystemClock
from bot.commands.registry import Registry

log = logging.getLogger(__name__)
# Follow-ups of a talk go in its thread and, being news, to the channel too.
BROADCAST = ("reminder", "updated", "cancelled")


class SlackSetupError(RuntimeError):
    """Slack refused lectern's tokens or settings at start; the message says which."""


class SlackAdapter:
    platform = "slack"

    def __init__(self, registry: Registry, *, bot_token: str, app_token: str | None,
                 signing_secret: str | None, api_url: str = "https://slack.com/api/",
                 http_host: str = "127.0.0.1", http_port: int = 3000,
                 managers: Iterable[str] = (), clock: Clock | None = None,
                 sleep: Callable[[float], Awaitable[None]] | None = None) -> None:
        if not app_token and not signing_secret:
            raise SlackSetupError("Slack needs SLACK_APP_TOKEN (Socket Mode) or "
                                  "SLACK_SIGNING_SECRET (HTTP mode)")
        self.app_token, self.signing_secret = app_token, signing_secret
        self.http_host, self.http_port = http_host, http_port
        self.clock = clock or SystemClock()
        # Retries are ours (sending.py), so that waiting goes through the injected sleep.
        self.client = AsyncWebClient(token=bot_token, base_url=_slash(api_url),
                                     retry_handlers=[])
        self.app = AsyncApp(client=self.client, signing_secret=signing_secret or "",
                            request_verification_enabled=False,  # events.py verifies
                            raise_error_for_unhandled_request=False)
        self.pacer = channel_pacer(lambda: self.clock.now().timestamp(),
                                   sleep or asyncio.sleep)
        self.poster = Poster(self.client, self.pacer)
        self.recall = Recall(self.client)
        self.direct = DirectMessages(self.client, self.pacer)
        self.managers = Managers(self.client, managers, self.clock.now)
        self.registry = registry
        register(self.app, registry, self.managers)
        self._socket: AsyncSocketModeHandler | None = None
        self._server: EventsServer | None = None
        self._session_loop: asyncio.AbstractEventLoop | None = None
        self.routes: list[web.RouteDef] = []  # the bot's own, served beside /slack/events

    @property
    def mode(self) -> str:
        return "socket" if self.app_token else "http"

    async def send(self, channel: ChannelRef, message: Message) -> SentRef:
        """Post one message (threaded under `reply_to` when given); raise DeliveryError.
        To a user (`channel.user`) it goes to the app's DM with them, opened on first use.
        One that may already be posted (`maybe_sent_since`, or a try that Slack failed to
        answer) and is found is not posted again."""
        self._keep_session()
        user = channel.user
        target = await self.direct.channel_of(user) if user else channel.id
        found = await self.recall.find(target, message)
        if found:
            log.info("%s was posted to %s before a restart; not posting it again",
                     message.key, target)
            return SentRef(channel, found)
        text, blocks = render(message, remind=not user)  # a DM: the member asked already
        payload = {"channel": target, "text": text, "blocks": blocks,
                   "unfurl_links": False, "unfurl_media": False}
        if message.key:  # what recall.py looks for
            payload["metadata"] = metadata(message.key)
        if message.reply_to:
            payload["thread_ts"] = message.reply_to
            if message.kind in BROADCAST:
                payload["reply_broadcast"] = True
        posted = self._posted_since_now(target, message.key)
        try:
            ts = await self.poster.post(payload, posted, POST_REFUSED if user else PERMANENT)
        except DeliveryError as error:
            if user and error.permanent:
                self.direct.forget(user)
            raise
        return SentRef(channel, ts)

    def _posted_since_now(self, channel: str, key: str | None) -> Posted | None:
        """What the poster asks after a failed try: is the post with `key` in the channel
        (or the thread tried) from now on? Without a key there is nothing to look for."""
        if not key:
            return None
        since = self.clock.now()  # before the first try

        async def posted(tried: dict) -> str | None:
            return await self.recall.lookup(channel, key, since, tried.get("thread_ts"))

        return posted

    async def start(self) -> None:
        """Check the tokens, then connect (Socket Mode) or listen (HTTP mode)."""
        self._keep_session()
        await self._check_bot_token()
        if self.app_token:
            self._socket = AsyncSocketModeHandler(self.app, self.app_token,
                                                  web_client=self.client)
            self._socket.client.wss_uri = await self._open_socket_url()
            await self._socket.connect_async()  # the SDK reconnects by itself from here
            log.info("Slack Socket Mode connected")
        else:
            self._server = EventsServer(self.app, self.signing_secret or "", self.clock.now,
                                        self.http_host, self.http_port, routes=self.routes)
            self.http_port = await self._server.start()

    async def stop(self) -> None:
        if self._socket is not None:
            with contextlib.suppress(Exception):  # closing a dead socket may complain
                await self._socket.close_async()
            self._socket = None
        if self._server is not None:
            await self._server.stop()
            self._server = None
        if self.client.session is not None:
            await self.client.session.close()
            self.client.session, self._session_loop = None, None

    def _keep_session(self) -> None:
        """One HTTP session, so one pool of kept-alive connections, for every Web API call
        of this adapter in the running loop. Without it the SDK opens a session, and a
        new TCP connection, for each call: posting at Slack's rate, that was most of the
        bot's CPU per message."""
        loop = asyncio.get_running_loop()
        session = self.client.session
        if session is None or session.closed or self._session_loop is not loop:
            self.client.session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self.client.timeout))
            self._session_loop = loop

    async def _check_bot_token(self) -> None:
        try:
            identity = await self.client.auth_test()
        except SlackApiError as error:
            code = error_code(error)
            if code in TOKEN_REFUSED:
                raise SlackSetupError(f"Slack refused SLACK_BOT_TOKEN ({code}); copy the "
                                      "Bot User OAuth Token (xoxb-...) again") from None
            log.warning("Slack auth.test failed (%s); carrying on", code)
            return
        except (aiohttp.ClientError, TimeoutError) as error:
            log.warning("cannot reach Slack yet (%s); carrying on", error)
            return
        self.recall.bot_id = identity.get("bot_id")
        log.info("Slack: connected to %s as %s (%s mode)", identity.get("team"),
                 identity.get("user"), self.mode)

    async def _open_socket_url(self) -> str | None:
        """A first WebSocket URL, so a bad app token fails loudly instead of retrying."""
        try:
            response = await self.client.apps_connections_open(app_token=self.app_token)
        except SlackApiError as error:
            code = error_code(error)
            if code in TOKEN_REFUSED or code == "not_allowed_token_type":
                raise SlackSetupError(f"Slack refused SLACK_APP_TOKEN ({code}); create an "
                                      "app-level token (xapp-...) with the "
                                      "connections:write scope") from None
            log.warning("apps.connections.open failed (%s); the SDK will retry", code)
            return None
        except (aiohttp.ClientError, TimeoutError) as error:
            log.warning("cannot reach Slack yet (%s); the SDK will retry", error)
            return None
        return str(response["url"])


def _slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"
