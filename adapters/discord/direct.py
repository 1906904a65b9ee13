"""Direct messages to one member (personal reminders): which member a ChannelRef names
(`discord:@<member id>`), the DM channel Discord opens for them (opened at the first
message, then reused), and what Discord's refusals of such a message mean.
"""

from __future__ import annotations

import discord

from adapters.discord.pacing import Pacer
from bot.chat import ChannelRef, DeliveryError

LEGACY_PREFIX = "user-"  # `discord:user-<member id>`, the spelling before ChannelRef.to_user
CANNOT_MESSAGE_USER = 50007  # the member does not take DMs from lectern (or blocked it)
UNKNOWN_USER = 10013
UNKNOWN_CHANNEL = 10003
ALLOW_DMS = ("the member can allow direct messages from server members (right-click a "
             "server lectern is in → Privacy Settings, or User Settings → Privacy & "
             "Safety), unblock lectern if they blocked it, then ask for the reminder again")


def recipient(channel: ChannelRef) -> str | None:
    """The member a message to `channel` goes to directly; None for a channel."""
    member = channel.user
    if member is None and channel.id.startswith(LEGACY_PREFIX):
        member = channel.id.removeprefix(LEGACY_PREFIX)
    if member is not None and not member.isdigit():
        raise DeliveryError(f"discord:{channel.id} does not name a member: a direct message "
                            "goes to @<member id> (digits)", permanent=True)
    return member


class DirectChannels:
    """Each member's DM channel id. Opening one is a request like a post, so it takes a
    global slot from the pacer; Discord answers with the same channel for the same member,
    so the id is kept for the process (and forgotten after a failure, to be reopened)."""

    def __init__(self, client: discord.Client, pacer: Pacer) -> None:
        self._client = client
        self._pacer = pacer
        self._channels: dict[str, str] = {}

    async def open(self, member: str) -> str:
        if member not in self._channels:
            await self._pacer.wait_global()
            data = await self._client.http.start_private_message(int(member))
            self._channels[member] = str(data["id"])
        return self._channels[member]

    def forget(self, member: str) -> None:
        self._channels.pop(member, None)


def direct_error(error: discord.HTTPException, channel: ChannelRef,
                 member: str) -> DeliveryError | None:
    """What Discord's refusal of a direct message means, or None when it means what it
    would for a channel (a bad token, a payload refused, Discord having trouble)."""
    where = f"member {member} (discord:{channel.id})"
    detail = f"{error.status} {error.text or error.response.reason} (code {error.code})"
    if error.code == CANNOT_MESSAGE_USER or isinstance(error, discord.Forbidden):
        return DeliveryError(f"Discord will not deliver lectern's direct messages to "
                             f"{where}: {detail}; {ALLOW_DMS}", permanent=True)
    if error.code == UNKNOWN_USER:
        return DeliveryError(f"Discord does not know {where}: {detail}; the account was "
                             "deleted or the id is wrong", permanent=True)
    if error.code == UNKNOWN_CHANNEL:  # the DM channel kept from earlier: reopen it
        return DeliveryError(f"Discord no longer knows the direct-message channel of "
                             f"{where}: {detail}; it is opened again on the next try")
    if isinstance(error, discord.NotFound):
        return DeliveryError(f"Discord does not know {where}: {detail}", permanent=True)
    return None
