"""The Discord adapter: a discord.py client on the gateway (no privileged intents), the
app-command tree built from the registry, and `send`, the one way out, through
discord.py's HTTP client (its rate-limit buckets, our per-channel pacing, a stable nonce),
to a channel or, for `discord:@<member id>`, as a direct message (see direct.py). A
message that may have been posted before a restart is first looked for (recall.py).

`DISCORD_API_URL` points discord.py's REST routes elsewhere (tests use a fake server).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import uuid
from collections.abc import Awaitable, Callable

import aiohttp
import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route, handle_message_parameters
from discord.utils import escape_markdown, escape_mentions

from adapters.discord.commands import Suggest, build_tree
from adapters.discord.direct import UNKNOWN_CHANNEL, DirectChannels, direct_error, recipient
from adapters.discord.embeds import CONTENT
from adapters.discord.events import DiscordEvents
from adapters.discord.interactions import NO_MENTIONS, RemindButton, Responder
from adapters.discord.interactions import message_parts as parts_for
from adapters.discord.marks import stamp
from adapters.discord.pacing import Pacer
from adapters.discord.recall import Recall
from adapters.discord.votes import VoteButton, VoteMenu
from bot.chat import ChannelRef, DeliveryError, Message, SentRef
from bot.clock import Clock, SystemClock
from bot.commands.registry import Registry
from bot.retry import RetryPolicy

log = logging.getLogger(__name__)
DEFAULT_API_URL = "https://discord.com/api/v10"
# A first gateway connection that fails is tried again this far apart (bot.retry).
GATEWAY_RETRY = RetryPolicy(attempts=1_000_000, base=1.0, cap=300.0)
# Interactions arrive whatever the intents: lectern reads no messages, members or presences.
# Only `guilds` (not privileged) is on, which discord.py needs for a consistent cache.
INTENTS = discord.Intents(guilds=True)
# discord.py retries 5xx and waits out 429s itself; a Retry-After longer than this is handed
# to the dispatcher (DeliveryError.retry_after), which tries the message again then.
RATE_LIMITS = RetryPolicy(max_retry_after=30.0)
LOGIN_RETRY_AFTER = 60.0  # `lectern dispatch` could not log in: the dispatcher's next try
INVALID_FORM_BODY = 50035  # Discord's code for a message it will not take as sent


class DiscordError(RuntimeError):
    """Discord could not be reached or refused; `credentials` when the token is at fault."""

    def __init__(self, message: str, *, credentials: bool = False) -> None:
        super().__init__(message)
        self.credentials = credentials


class LecternClient(discord.Client):
    """discord.py's client, with the interaction responder for buttons and forms."""

    def __init__(self, responder: Responder) -> None:
        super().__init__(intents=INTENTS, allowed_mentions=NO_MENTIONS,
                         max_ratelimit_timeout=RATE_LIMITS.max_retry_after)
        self.responder = responder

    async def setup_hook(self) -> None:
        self.add_dynamic_items(RemindButton, VoteButton, VoteMenu)

    async def on_ready(self) -> None:
        log.info("connected to Discord as %s, in %d servers", self.user, len(self.guilds))


class DiscordAdapter:
    platform = "discord"

    def __init__(self, registry: Registry, *, token: str, api_url: str = DEFAULT_API_URL,
                 clock: Clock | None = None, suggest: Suggest | None = None,
                 pacer: Pacer | None = None, gateway_url: str | None = None,
                 gateway_sleep: Callable[[float], Awaitable[object]] = asyncio.sleep) -> None:
        # discord.py keeps both addresses on classes, so they hold for the whole process.
        Route.BASE = api_url.rstrip("/")
        if gateway_url:
            DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
        self.api_url = Route.BASE
        self.clock = clock or SystemClock()
        self.pacer = pacer or Pacer()
        self.gateway_sleep = gateway_sleep
        self.responder = Responder(registry, self.clock.now)
        self.client = LecternClient(self.responder)
        self.tree = build_tree(self.client, registry, self.responder, suggest)
        self._token = token
        self._gateway: asyncio.Task | None = None
        self.direct = DirectChannels(self.client, self.pacer)
        self.recall = Recall(self.client, self.pacer.wait_global)
        self.events = DiscordEvents(self.client, self.pacer.wait_global, self.login,
                                    self.clock.now)
        self._logged_in = False
        self._login_lock = asyncio.Lock()  # concurrent first sends log in once

    async def login(self) -> None:
        """Check the token over REST (no gateway yet); enough for `send` and `sync`."""
        async with self._login_lock:
            if self._logged_in:
                return
            try:
                await self.client.login(self._token)
            except discord.LoginFailure:
                raise DiscordError("Discord refused DISCORD_BOT_TOKEN (401 Unauthorized): "
                                   "copy the bot token again from the Developer Portal's "
                                   "Bot page", credentials=True) from None
            except (discord.HTTPException, aiohttp.ClientError, OSError) as error:
                raise DiscordError(f"could not reach Discord at {self.api_url}: "
                                   f"{error}") from None
            self._logged_in = True

    async def start(self) -> None:
        """Log in, then keep a gateway connection in the background (reconnecting)."""
        await self.login()
        self._gateway = asyncio.create_task(self._connect(), name="discord-gateway")

    async def _connect(self) -> None:
        """Keep the gateway connected. discord.py reconnects a connection it once had, but
        not a first one that fails (it then reads the session of a connection that never
        was): that is tried again here, 1, 2, 4 ... up to 300 s apart, until it holds."""
        failures = 0
        while not self.client.is_closed():
            try:
                await self.client.connect(reconnect=True)
                return
            except asyncio.CancelledError:
                raise
            except discord.PrivilegedIntentsRequired:
                log.error("Discord refused the gateway intents; slash commands are off")
                return
            except Exception as error:
                failures += 1
                wait = GATEWAY_RETRY.delay(failures)
                log.warning("the Discord gateway connection failed (%s); slash commands are "
                            "off until it is back, tried again in %.0f s (sending works)",
                            type(error).__name__, wait)
                await self.gateway_sleep(wait)

    async def stop(self) -> None:
        await self.client.close()
        if self._gateway is not None:
            self._gateway.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._gateway
        self._logged_in = False

    async def send(self, channel: ChannelRef, message: Message) -> SentRef:
        """Post one message; 403/404 are permanent (the core pauses the channel, or the
        member's personal reminders when they take no direct messages from lectern)."""
        member = self._recipient(channel)
        if not self._logged_in:  # `lectern dispatch` sends without a gateway connection
            try:
                await self.login()
            except DiscordError as error:  # retried later; `lectern run` stops at start
                if error.credentials:  # no channel can be sent to (jobs.dispatch)
                    raise DeliveryError(str(error), credentials=True) from None
                raise DeliveryError(str(error), retry_after=LOGIN_RETRY_AFTER) from None
        try:
            channel_id = channel.id if member is None else await self.direct.open(member)
            found = await self.recall.find(channel_id, message)
            if found is not None:  # posted before a restart: not again
                log.info("discord:%s already has %s as message %s; not posting it again",
                         channel_id, message.key, found)
                return SentRef(channel, found)
            data = await self._post(channel_id, message, direct=member is not None)
        except discord.HTTPException as error:
            if member is None:
                raise delivery_error(error, channel) from None
            if error.code == UNKNOWN_CHANNEL:  # the DM channel kept is gone: reopen it
                self.direct.forget(member)
            raise (direct_error(error, channel, member)
                   or delivery_error(error, channel)) from None
        except discord.RateLimited as error:
            raise DeliveryError(f"Discord asked to wait {error.retry_after:.0f} s",
                                retry_after=error.retry_after) from None
        except (TimeoutError, aiohttp.ClientError, OSError) as error:
            raise DeliveryError(f"could not reach Discord: {error!r}") from None
        return SentRef(channel, str(data["id"]))

    async def _post(self, channel_id: str, message: Message, *, direct: bool) -> dict:
        """Post the message; if Discord refuses its form (50035: an embed it will not take,
        whatever made it), post its plain text instead, as the Slack adapter does with
        refused blocks: the same embed would be refused at every retry, and the channel
        would miss the news."""
        await self.pacer.wait(channel_id)
        try:
            return await self.client.http.send_message(
                int(channel_id), params=self._params(channel_id, message, direct=direct))
        except discord.HTTPException as error:
            if error.code != INVALID_FORM_BODY or not message.text.strip():
                raise
            log.error("Discord refused lectern's message to %s (%s); posting its plain text",
                      channel_id, error.text[:200])
        await self.pacer.wait(channel_id)
        return await self.client.http.send_message(
            int(channel_id), params=self._params(channel_id, message, direct=direct, plain=True))

    def _params(self, channel_id: str, message: Message, *, direct: bool, plain: bool = False):
        parts = (parts_for(message, self.clock.now(), direct=direct) if not plain else
                 {"content": escape_mentions(escape_markdown(message.text))[:CONTENT]})
        if message.key:  # so that recall.py can find the post again, whatever its age
            parts = stamp(parts, message.key)
        reference = None
        if message.reply_to and message.reply_to.isdigit():
            reference = {"message_id": message.reply_to, "channel_id": channel_id,
                         "fail_if_not_exists": False}  # a deleted announcement: post anyway
        return handle_message_parameters(
            content=parts.get("content", discord.utils.MISSING),
            embed=parts.get("embed", discord.utils.MISSING),
            view=parts.get("view", discord.utils.MISSING), allowed_mentions=NO_MENTIONS,
            nonce=nonce_for(message.key),
            message_reference=reference or discord.utils.MISSING)

    def _recipient(self, channel: ChannelRef) -> str | None:
        """The member of a direct message, None for a channel; a bad address is permanent."""
        if channel.platform != self.platform:
            raise DeliveryError(f"{channel.platform}:{channel.id} is not a Discord channel",
                                permanent=True)
        member = recipient(channel)
        if member is None and not channel.id.isdigit():
            raise DeliveryError(f"discord:{channel.id} is not a channel id (digits) or "
                                "@<member id>", permanent=True)
        return member


def nonce_for(key: str | None) -> str:
    """Discord's nonce (at most 25 characters) for a delivery: the same delivery always
    gets the same one, so with `enforce_nonce` a resend after a crash is not a duplicate."""
    if key is None:
        return uuid.uuid4().hex[:25]
    return "l" + hashlib.sha256(key.encode()).hexdigest()[:24]


def delivery_error(error: discord.HTTPException, channel: ChannelRef) -> DeliveryError:
    where = f"discord:{channel.id}"
    detail = f"{error.status} {error.text or error.response.reason} (code {error.code})"
    if isinstance(error, discord.Forbidden):
        return DeliveryError(f"Discord refused to post in {where}: {detail}; give lectern "
                             "View Channel and Send Messages there", permanent=True)
    if isinstance(error, discord.NotFound):
        return DeliveryError(f"Discord does not know {where}: {detail}; the channel was "
                             "deleted or lectern was removed from the server", permanent=True)
    if error.status == 401:
        return DeliveryError(f"Discord refused the bot token: {detail}; the operator must "
                             "check DISCORD_BOT_TOKEN and restart lectern", credentials=True)
    return DeliveryError(f"Discord could not take the message for {where}: {detail}")


async def sync_commands(registry: Registry, *, token: str, api_url: str = DEFAULT_API_URL,
                        guild_id: str | None = None) -> list[str]:
    """`lectern discord sync`: register the slash commands, globally or in one guild
    (a guild sees changes at once; global ones can take up to an hour)."""
    adapter = DiscordAdapter(registry, token=token, api_url=api_url)
    try:
        await adapter.login()
        guild = discord.Object(id=int(guild_id)) if guild_id else None
        if guild is not None:
            adapter.tree.copy_global_to(guild=guild)
        synced = await adapter.tree.sync(guild=guild)
    except discord.HTTPException as error:
        raise DiscordError(f"Discord refused the commands: {error.status} {error.text}",
                           credentials=error.status in (401, 403)) from None
    except (aiohttp.ClientError, OSError) as error:
        raise DiscordError(f"could not reach Discord at {api_url}: {error}") from None
    finally:
        await adapter.client.close()
    return [command.name for command in synced]
