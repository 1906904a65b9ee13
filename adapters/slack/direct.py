"""Direct messages from the app to one member (personal reminders): the DM channel (D...)
that conversations.open gives for a user, remembered per user since Slack keeps it stable,
and Slack's refusals to reach a member, as permanent DeliveryErrors that say what to do.

Opening is safe to repeat (Slack returns the same channel), so 5xx and network errors are
simply tried again, with the same backoff and injected sleep as posting (sending.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.sending import FAILURES, PERMANENT, SERVER_ERRORS, Failure, rate_wait
from bot.chat import DeliveryError
from bot.pacing import Pacer

log = logging.getLogger(__name__)
MANIFEST = "examples/slack-manifest.yml"
_GONE = ("this member cannot get direct messages from lectern (Slack does not know them; "
         "they may have left the workspace)")
# conversations.open refusing a member (its documented errors, and cannot_dm_bot, which
# Slack answers for a bot user): the member's reminders are paused, never retried.
OPEN_REFUSED = {
    **PERMANENT,
    "cannot_dm_bot": "this is a bot user and Slack lets apps send direct messages only to "
                     "people; personal reminders need a person's account",
    "user_not_found": _GONE,
    "users_not_found": _GONE,
    "user_disabled": "this member's Slack account is deactivated, so lectern cannot send "
                     "them direct messages; a workspace admin can reactivate it",
    "user_not_visible": "a workspace restriction hides this member from the lectern app, so "
                        "it cannot send them direct messages; a workspace admin can lift it",
    "invalid_user_combination": "this member is from another organisation and shares no "
                                "channel with the lectern app; once the app is invited to a "
                                "channel they are in, it may send them direct messages",
    "missing_scope": "the lectern app may not open direct messages (it lacks the im:write "
                     f"scope); a workspace admin must reinstall it from {MANIFEST}",
}
# chat.postMessage refusing a post to an opened DM: PERMANENT's words are about channels
# and /invite, which would mislead here.
POST_REFUSED = {
    **PERMANENT,
    "messages_tab_disabled": "the lectern app's Messages tab is turned off, so it cannot "
                             "send direct messages; a workspace admin must turn on App Home "
                             f"→ Messages Tab (messages_tab_enabled in {MANIFEST})",
    "channel_not_found": "Slack no longer finds lectern's direct messages with this member",
    "not_in_channel": "Slack no longer lets lectern into its direct messages with this "
                      "member",
    "is_archived": "lectern's direct messages with this member are closed",
    "user_disabled": OPEN_REFUSED["user_disabled"],
    "cannot_dm_bot": OPEN_REFUSED["cannot_dm_bot"],
    "restricted_action": "a workspace setting stops apps from sending direct messages to "
                         "this member; a workspace admin can change it",
}


class DirectMessages:
    """user id -> the id of the app's direct message channel with them."""

    def __init__(self, client: AsyncWebClient, pacer: Pacer) -> None:
        self.client, self.pacer = client, pacer
        self._channels: dict[str, str] = {}
        self._locks: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def channel_of(self, user: str) -> str:
        """The DM channel with `user`, opened on first use; raise DeliveryError."""
        async with self._locks[user]:  # two sends to one member open it once
            if user not in self._channels:
                self._channels[user] = await self._open(user)
            return self._channels[user]

    def forget(self, user: str) -> None:
        """After a permanent refusal, so that a later send asks Slack afresh."""
        self._channels.pop(user, None)

    async def _open(self, user: str) -> str:
        failures = rate_waits = 0
        while True:
            try:
                response = await self.client.conversations_open(users=user)
                return str(response["channel"]["id"])
            except FAILURES as error:
                failure = Failure.of(error)
            code = failure.code
            if failure.rate_limited:
                rate_waits += 1
                await self.pacer.pause(rate_wait(failure.headers, rate_waits,
                                                   "lectern's direct messages"))
                continue
            if code in OPEN_REFUSED:
                raise DeliveryError(f"{OPEN_REFUSED[code]} ({code})", permanent=True)
            failures += 1
            if SERVER_ERRORS.exhausted(failures) or not failure.transient:
                raise DeliveryError(f"Slack would not open a direct message with {user} "
                                    f"({code})")
            log.warning("opening a Slack DM with %s failed (%s); retrying", user, code)
            await self.pacer.pause(SERVER_ERRORS.backoff(failures))
