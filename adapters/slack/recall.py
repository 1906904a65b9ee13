"""Slack's stand-in for a nonce: every post carries its delivery key in message metadata,
and a message that may already have gone out (a run died while it was claimed, or Slack
failed to answer a post it may have taken) is first looked for in the channel's recent
history, or its thread, so it is not posted twice.

If the history cannot be read (no channels:history / groups:history scope, or im:history
for a direct message's D... channel; any error) the message is posted again: delivery stays
at least once, and the operator is told once per channel.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.sending import FAILURES, Failure
from bot.chat import Message

log = logging.getLogger(__name__)
EVENT_TYPE = "lectern_delivery"
MARGIN = timedelta(minutes=10)  # this host's clock may be behind Slack's
PAGE = 100  # messages asked for at a time
PAGES = 2  # pages read at most: newer chatter beyond that and the message is posted again
SCOPE_HINT = ("give the app the channels:history and groups:history scopes "
              "(examples/slack-manifest.yml) and reinstall it")
DM_SCOPE_HINT = ("give the app the im:history scope (examples/slack-manifest.yml) and "
                 "reinstall it")


class Unreadable(Exception):
    """The history could not be read; the message is posted anyway."""


def metadata(key: str) -> dict[str, Any]:
    """The metadata lectern attaches to a post, naming its delivery."""
    return {"event_type": EVENT_TYPE, "event_payload": {"key": key}}


class Recall:
    """Looks for a post by its delivery key; warns once per channel it cannot read."""

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client
        self.bot_id: str | None = None  # ours, from auth.test: only our own posts count
        self._warned: set[str] = set()

    async def find(self, channel: str, message: Message) -> str | None:
        """The ts of the post of `message` if it is already in the channel; None when it is
        not, when nothing suggests it might be, or when Slack cannot tell us."""
        if not message.key or message.maybe_sent_since is None:
            return None
        return await self.lookup(channel, message.key, message.maybe_sent_since,
                                 message.reply_to)

    async def lookup(self, channel: str, key: str, since: datetime,
                     thread: str | None = None) -> str | None:
        """The ts of our post carrying `key`, posted after about `since` in the channel (in
        `thread` when given); None when there is none or the history cannot be read."""
        oldest = f"{(since - MARGIN).timestamp():.6f}"
        try:
            if thread:
                try:
                    return await self._search(self.client.conversations_replies, key,
                                              channel=channel, ts=thread, oldest=oldest)
                except Unreadable as error:
                    if str(error) != "thread_not_found":
                        raise
                    # The thread is gone, so the poster went to the channel itself.
            return await self._search(self.client.conversations_history, key,
                                      channel=channel, oldest=oldest)
        except Unreadable as error:
            self._warn(channel, str(error))
            return None

    async def _search(self, method: Callable[..., Awaitable[Any]], key: str,
                      **params: str) -> str | None:
        cursor = None
        for _ in range(PAGES):
            try:
                response = await method(**params, include_all_metadata=True, limit=PAGE,
                                        cursor=cursor)
            except FAILURES as error:
                raise Unreadable(Failure.of(error).code) from None
            for item in response.get("messages") or []:
                if self._ours(item, key):
                    return str(item["ts"])
            cursor = (response.get("response_metadata") or {}).get("next_cursor")
            if not response.get("has_more") or not cursor:
                return None
        raise Unreadable(f"more than {PAGE * PAGES} messages since it may have been posted")

    def _ours(self, item: dict, key: str) -> bool:
        meta = item.get("metadata") or {}
        return (meta.get("event_type") == EVENT_TYPE
                and (meta.get("event_payload") or {}).get("key") == key
                and (self.bot_id is None or item.get("bot_id") == self.bot_id))

    def _warn(self, channel: str, why: str) -> None:
        level = logging.DEBUG if channel in self._warned else logging.WARNING
        self._warned.add(channel)
        scopes = DM_SCOPE_HINT if channel.startswith("D") else SCOPE_HINT
        hint = f"; {scopes}" if why == "missing_scope" else ""
        log.log(level, "cannot read the Slack history of %s (%s) to check whether a "
                "message was already posted (before a restart or a failed answer): posting "
                "it again, so it may show twice%s", channel, why, hint)
