"""Discord's repeat check that does not expire: before re-sending a message that may have
been posted already (a run died while it was claimed), look for it among the channel's
recent messages by the mark of its key (marks.py), as the Slack adapter looks in history.

Discord's nonce refuses a repeat only within a few minutes; this check works after an
outage of any length. If the messages cannot be read (no Read Message History permission,
any error) or more than PAGE * PAGES arrived since, the message is posted again: delivery
stays at least once, and the operator is told once per channel.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

import aiohttp
import discord

from adapters.discord.marks import carries
from bot.chat import Message

log = logging.getLogger(__name__)
MARGIN = timedelta(minutes=10)  # this host's clock may be behind Discord's
PAGE = 100  # messages asked for at a time (Discord's most)
PAGES = 2  # pages read at most: newer chatter beyond that and the message is posted again
PERMISSION_HINT = "give lectern Read Message History in that channel"


class Unreadable(Exception):
    """The channel's messages could not be read; the message is posted anyway."""


class Recall:
    """Looks for lectern's post of a message by its key; warns once per channel it cannot
    read. `slot` waits for a request slot (the global pacing)."""

    def __init__(self, client: discord.Client, slot: Callable[[], Awaitable[object]]) -> None:
        self.client, self.slot = client, slot
        self._warned: set[str] = set()

    async def find(self, channel_id: str, message: Message) -> str | None:
        """The id of the post of `message` if it is already in the channel; None when it
        is not, when nothing suggests it might be, or when Discord cannot tell us."""
        if not message.key or message.maybe_sent_since is None:
            return None
        after = discord.utils.time_snowflake(message.maybe_sent_since - MARGIN)
        try:
            return await self._search(channel_id, message.key, after)
        except Unreadable as error:
            self._warn(channel_id, str(error))
            return None

    async def _search(self, channel_id: str, key: str, after: int) -> str | None:
        me = str(self.client.user.id) if self.client.user else None
        for _ in range(PAGES):
            await self.slot()
            try:
                page = await self.client.http.logs_from(int(channel_id), PAGE, after=after)
            except discord.HTTPException as error:
                raise Unreadable(f"{error.status} {error.text or ''} (code {error.code})"
                                 ) from None
            except (TimeoutError, aiohttp.ClientError, OSError) as error:
                raise Unreadable(repr(error)) from None
            for item in page:
                if (me is None or str((item.get("author") or {}).get("id")) == me) \
                        and carries(item, key):
                    return str(item["id"])
            if len(page) < PAGE:
                return None
            after = max(int(item["id"]) for item in page)
        raise Unreadable(f"more than {PAGE * PAGES} messages since it may have been posted")

    def _warn(self, channel_id: str, why: str) -> None:
        level = logging.DEBUG if channel_id in self._warned else logging.WARNING
        self._warned.add(channel_id)
        hint = f"; {PERMISSION_HINT}" if why.startswith(("403", "50001")) else ""
        log.log(level, "cannot read the recent messages of discord:%s (%s) to check "
                "whether a message was already posted before a restart: posting it again, "
                "so it may show twice%s", channel_id, why, hint)
