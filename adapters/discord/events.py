"""Discord's own event list (Guild Scheduled Events) for jobs.discord_events, through
discord.py's HTTP client: its routes, its rate-limit buckets, its 429 handling. A talk
is an external event (entity_type 3) seen by the server's members (privacy GUILD_ONLY),
at its place or meeting link; the name, description and location are trimmed to Discord's
limits (100, 1,000 and 100 characters), never refused for their length. The talk's id
ends the description, so an event made just before a crash is found in the list again.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import discord

from bot.chat import inert
from bot.scheduled_events import EventError, EventSpec, Refusal

log = logging.getLogger(__name__)
EXTERNAL, GUILD_ONLY = 3, 2  # entity_type, privacy_level
SCHEDULED, ACTIVE, CANCELED = 1, 2, 4  # status
NAME, DESCRIPTION, LOCATION = 100, 1000, 100  # Discord's limits, in characters
MISSING_ACCESS, MISSING_PERMISSIONS = 50001, 50013
UNKNOWN_EVENT, MAX_EVENTS = 10070, 30038
UNSEEN_AGAIN = timedelta(hours=1)  # a channel lectern could not see is asked of again
PERMISSION_HINT = ("give lectern's role the Manage Events permission (Server Settings › "
                   "Roles)")


def marker_line(marker: str) -> str:
    return f"lectern id: {marker}"


def shorten(text: str, limit: int) -> str:
    text = inert(text).strip()
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def payload(spec: EventSpec) -> dict[str, Any]:
    """The event as Discord takes it, within its limits."""
    mark = marker_line(spec.marker)
    room = DESCRIPTION - len(mark) - 2
    description = (shorten(spec.details, room) + "\n\n" if spec.details else "") + mark
    return {"name": shorten(spec.name, NAME) or spec.marker, "privacy_level": GUILD_ONLY,
            "entity_type": EXTERNAL, "channel_id": None,
            "entity_metadata": {"location": location(spec)},
            "scheduled_start_time": spec.start.isoformat(),
            "scheduled_end_time": spec.end.isoformat(), "description": description}


def location(spec: EventSpec) -> str:
    """The place; else the meeting link when it fits, which Discord shows as a link."""
    if spec.place and spec.place.strip():
        return shorten(spec.place, LOCATION)
    if spec.link and len(spec.link) <= LOCATION:
        return spec.link
    return "Online: the link is in the description" if spec.link else "Place to be announced"


class DiscordEvents:
    """bot.scheduled_events.EventPublisher for Discord. `slot` waits for a request slot
    (the adapter's global pacing); `login` logs in when sending has not yet."""

    platform = "discord"

    def __init__(self, client: discord.Client, slot: Callable[[], Awaitable[object]],
                 login: Callable[[], Awaitable[None]],
                 now: Callable[[], datetime] | None = None) -> None:
        self.client, self.slot, self.login = client, slot, login
        self.now = now or (lambda: datetime.now(UTC))
        self._servers: dict[str, str] = {}  # channel id -> guild id (it never changes)
        self._unseen: dict[str, datetime] = {}  # channel id -> when it had no server

    async def server_of(self, channel_id: str) -> str | None:
        """The channel's server; None for one lectern cannot see (or not in a server),
        asked again after UNSEEN_AGAIN, since access can be given back."""
        if channel_id in self._servers:
            return self._servers[channel_id]
        unseen = self._unseen.get(channel_id)
        if unseen is not None and self.now() - unseen < UNSEEN_AGAIN:
            return None
        cached = self.client.get_channel(int(channel_id)) if channel_id.isdigit() else None
        guild = getattr(cached, "guild", None)
        if guild is not None:
            server: str | None = str(guild.id)
        elif not channel_id.isdigit():
            server = None
        else:
            try:
                data = await self._call(lambda: self.client.http.get_channel(int(channel_id)))
                server = str(data["guild_id"]) if data.get("guild_id") else None
            except EventError as error:
                if error.refusal is Refusal.LATER:
                    raise
                server = None  # a channel lectern cannot see has no events to make
        if server is None:
            self._unseen[channel_id] = self.now()
        else:
            self._servers[channel_id] = server
            self._unseen.pop(channel_id, None)
        return server

    async def find(self, server: str, marker: str) -> str | None:
        listed = await self._call(
            lambda: self.client.http.get_scheduled_events(int(server), False))
        me = str(self.client.user.id) if self.client.user else None
        for event in listed:
            mine = me is None or str(event.get("creator_id")) == me
            if mine and (event.get("description") or "").endswith(marker_line(marker)) \
                    and event.get("status") in (SCHEDULED, ACTIVE):
                return str(event["id"])
        return None

    async def create(self, server: str, spec: EventSpec) -> str:
        made = await self._call(lambda: self.client.http.create_guild_scheduled_event(
            int(server), reason="a talk announced in this server", **payload(spec)))
        return str(made["id"])

    async def update(self, server: str, event_id: str, spec: EventSpec) -> None:
        await self._call(lambda: self.client.http.edit_scheduled_event(
            int(server), int(event_id), reason="the talk changed", **payload(spec)))

    async def cancel(self, server: str, event_id: str) -> None:
        await self._call(lambda: self.client.http.edit_scheduled_event(
            int(server), int(event_id), reason="the talk was cancelled", status=CANCELED))

    async def _call(self, request: Callable[[], Awaitable[Any]]) -> Any:
        try:
            await self.login()
        except RuntimeError as error:  # DiscordError: cannot log in now
            raise EventError(str(error), Refusal.LATER, 60.0) from None
        await self.slot()
        try:
            return await request()
        except discord.RateLimited as error:
            raise EventError(f"Discord asked to wait {error.retry_after:.0f} s",
                             Refusal.LATER, error.retry_after) from None
        except discord.HTTPException as error:
            raise refusal_of(error) from None
        except (TimeoutError, aiohttp.ClientError, OSError) as error:
            raise EventError(f"could not reach Discord: {error!r}", Refusal.LATER) from None


def refusal_of(error: discord.HTTPException) -> EventError:
    detail = f"{error.status} {error.text or ''} (code {error.code})"
    if error.status == 403 or error.code in (MISSING_ACCESS, MISSING_PERMISSIONS):
        return EventError(f"Discord refused: {detail}; {PERMISSION_HINT}", Refusal.PERMISSION)
    if error.code == UNKNOWN_EVENT:
        return EventError(f"the event was deleted in Discord: {detail}", Refusal.GONE)
    if error.code == MAX_EVENTS:
        return EventError(f"the server has as many events as Discord allows: {detail}",
                          Refusal.FULL)
    if error.status == 429 or error.status >= 500:  # 429: a limit discord.py did not wait
        return EventError(f"Discord failed: {detail}", Refusal.LATER, _retry_after(error))
    return EventError(f"Discord refused the event: {detail}", Refusal.REJECTED)


def _retry_after(error: discord.HTTPException) -> float | None:
    try:
        return float(error.response.headers.get("Retry-After", ""))
    except (AttributeError, ValueError):
        return None
