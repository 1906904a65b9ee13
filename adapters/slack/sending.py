"""Posting to Slack politely: about one message a second per channel with short bursts,
waiting out 429s (Retry-After), retrying 5xx and network errors with backoff (first asking
the caller whether Slack posted the message anyway when it may have), and turning Slack's
answers into DeliveryError (permanent where retrying cannot help).

Time is injected: `now` reads the adapter's clock and `sleep` waits, so tests never sleep.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.chat import DeliveryError
from bot.pacing import Pacer
from bot.retry import RetryPolicy, parse_retry_after

log = logging.getLogger(__name__)
Sleep = Callable[[float], Awaitable[None]]
# Given the payload as last tried: the ts of its post if Slack has it after all, else None.
Posted = Callable[[dict], Awaitable[str | None]]

RATE = 1.0  # messages a second per channel (Slack's chat.postMessage guidance)
BURST = 3  # messages a channel may get at once before pacing starts
MAX_FAILURES = 4  # tries of one message through 5xx and network errors
MAX_RATE_WAITS = 10  # 429s waited out for one message before the core retries it later
MAX_WAIT = 60.0  # a longer Retry-After is handed to the core instead of blocking sends
# 5xx and network errors: 1, 2, 4 s between the tries.
SERVER_ERRORS = RetryPolicy(attempts=MAX_FAILURES, base=1.0, cap=8.0)
# 429s: Slack's Retry-After (1 s when it gave none), up to MAX_WAIT.
RATE_LIMITS = RetryPolicy(attempts=MAX_RATE_WAITS + 1, base=1.0, cap=1.0,
                          max_retry_after=MAX_WAIT)
# Retrying cannot help: the channel is paused and the reason shown in /subscriptions.
PERMANENT = {
    "not_in_channel": "the lectern app is not in this channel; invite it with /invite",
    "channel_not_found": "the channel no longer exists or the app cannot see it",
    "is_archived": "the channel is archived",
    "invalid_auth": "Slack refused the bot token; the operator must check SLACK_BOT_TOKEN",
    "not_authed": "no bot token was sent; the operator must set SLACK_BOT_TOKEN",
    "account_inactive": "the app's bot user was deactivated or the app uninstalled",
    "token_revoked": "the bot token was revoked; the app must be reinstalled",
    "team_access_not_granted": "the app is not granted access to this workspace",
    "missing_scope": "the app lacks the chat:write scope; reinstall it from the manifest",
    "restricted_action": "a workspace setting stops the app from posting here",
    "ekm_access_denied": "the workspace's key management denies access",
}
# Of those, the ones that refuse the bot's token itself: no channel can be posted to.
TOKEN_REFUSED = {"invalid_auth", "not_authed", "account_inactive", "token_revoked"}
TRANSIENT = {"internal_error", "fatal_error", "service_unavailable", "request_timeout"}
# Slack's words for these: "it's possible some aspect of the operation succeeded".
MAYBE_DONE = {"internal_error", "fatal_error"}
BAD_THREAD = {"thread_not_found", "invalid_thread_ts"}
BAD_BLOCKS = {"invalid_blocks", "invalid_blocks_format", "too_many_blocks", "msg_too_long"}


def channel_pacer(now: Callable[[], float], sleep: Sleep) -> Pacer:
    """About RATE messages a second per channel after a burst of BURST; a 429 holds all."""
    return Pacer(RATE, BURST, now=now, sleep=sleep)


FAILURES = (SlackApiError, aiohttp.ClientError, TimeoutError)  # what a Web API call raises


@dataclass(frozen=True, slots=True)
class Failure:
    """One failed Web API call, as a retry loop needs it."""

    status: int  # HTTP status; 0 when no answer came
    code: str  # Slack's error code, else what went wrong
    headers: Mapping
    maybe_done: bool  # Slack may have done the work all the same

    @property
    def rate_limited(self) -> bool:
        return self.status == 429

    @property
    def transient(self) -> bool:
        return self.status >= 500 or self.status == 0 or self.code in TRANSIENT

    @classmethod
    def of(cls, error: Exception) -> Failure:
        if isinstance(error, SlackApiError):
            status = error.response.status_code
            code = error_code(error) or f"HTTP {status}"
            return cls(status, code, error.response.headers or {},
                       status >= 500 or code in MAYBE_DONE)
        # A failed connect sent nothing; a later failure may follow a request.
        return cls(0, f"{type(error).__name__}: {error}", {},
                   not isinstance(error, aiohttp.ClientConnectorError))


class Poster:
    """chat.postMessage with pacing and retries; one message at a time per channel."""

    def __init__(self, client: AsyncWebClient, pacer: Pacer) -> None:
        self.client, self.pacer = client, pacer
        self._locks: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def post(self, payload: dict, posted: Posted | None = None,
                   refusals: Mapping[str, str] = PERMANENT) -> str:
        """Post and return the message's ts, or raise DeliveryError. After a failure that
        Slack may have posted the message despite (a 5xx, an answer lost or timed out),
        `posted` is asked before trying again, so that the retry does not post it twice.
        `refusals`: the error codes no retry can help, each with what to do about it."""
        payload = dict(payload)
        async with self._locks[payload["channel"]]:
            failures = rate_waits = 0
            while True:
                await self.pacer.wait(payload["channel"])
                try:
                    response = await self.client.chat_postMessage(**payload)
                    return str(response["ts"])
                except FAILURES as error:
                    failure = Failure.of(error)
                if failure.rate_limited:
                    rate_waits += 1
                    self._rate_limited(failure.headers, rate_waits)
                    continue
                if failure.transient:
                    failures += 1
                    found = await self._transient(payload, failure.code, failures,
                                                  posted if failure.maybe_done else None)
                    if found:
                        return found
                    continue
                self._adjust(payload, failure.code, refusals)

    def _rate_limited(self, headers, waits: int) -> None:
        seconds = rate_wait(headers, waits, "lectern")
        log.info("Slack answered 429; waiting %gs", seconds)
        self.pacer.hold(seconds)

    async def _transient(self, payload: dict, code: str, failures: int,
                         posted: Posted | None) -> str | None:
        """Back off, then return the ts `posted` finds, or None to try again; raise when
        the tries are used up."""
        last = SERVER_ERRORS.exhausted(failures)
        if not last:
            log.warning("posting to Slack failed (%s); retrying", code)
        if not last or posted:  # the pause also gives Slack time to show what it took
            await self.pacer.pause(SERVER_ERRORS.backoff(failures))
        found = await posted(payload) if posted else None
        if found:
            log.info("Slack failed to answer (%s) but had posted the message as %s; not "
                     "posting it again", code, found)
            return found
        if last:
            raise DeliveryError(f"Slack kept failing ({code}) after {failures} tries")
        return None

    def _adjust(self, payload: dict, code: str, refusals: Mapping[str, str]) -> None:
        """Change the payload so a retry can succeed, or raise when none can."""
        if code in refusals:
            raise DeliveryError(f"{refusals[code]} ({code})", permanent=True,
                                credentials=code in TOKEN_REFUSED)
        if code in BAD_THREAD and payload.pop("thread_ts", None):
            payload.pop("reply_broadcast", None)  # the announcement is gone: post on its own
            return
        if code in BAD_BLOCKS and payload.pop("blocks", None):
            log.error("Slack refused lectern's blocks (%s); posting the plain text", code)
            return
        raise DeliveryError(f"Slack refused the message ({code})")


def rate_wait(headers, waits: int, whom: str) -> float:
    """How long a 429's Retry-After asks to wait; DeliveryError (to retry later) when that
    is too long or the `waits`-th time for one request."""
    asked = retry_after_seconds(headers)
    seconds = RATE_LIMITS.delay(waits, asked)
    if RATE_LIMITS.too_long(asked) or RATE_LIMITS.exhausted(waits):
        seconds = seconds if asked is None else asked
        raise DeliveryError(f"Slack is rate limiting {whom} (retry after {seconds:g}s)",
                            retry_after=seconds)
    return seconds


def error_code(error: SlackApiError) -> str | None:
    """Slack's error code (`not_in_channel`, ...); None when the body was not Slack's JSON."""
    data = getattr(error.response, "data", None)
    return str(data["error"]) if isinstance(data, dict) and data.get("error") else None


def retry_after_seconds(headers) -> float | None:
    """The Retry-After of a 429, in seconds; None when Slack gave none."""
    for name, value in dict(headers).items():
        if str(name).lower() == "retry-after":
            return parse_retry_after(str(value))
    return None
