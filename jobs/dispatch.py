"""The dispatcher: sends the deliveries that are due, through each channel's adapter.

Per channel, due rows become messages (jobs.outgoing). Each message's rows are claimed,
sent, then marked sent; a message of several rows is first stored as a batch with its own
key, in the same transaction as the claim, so every later attempt sends the same message
under the same key. Rows a crash left claimed come back marked MAYBE_SENT, and rows tried
before are retried after a failure the platform may have posted despite (a 5xx, an answer
lost); their message carries `maybe_sent_since`, so an adapter can look for it on the
platform before posting it again.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Callable, Collection, Coroutine, Mapping
from datetime import datetime, timedelta

from bot.chat import Adapter, ChannelRef, DeliveryError
from bot.foreground import Foreground
from bot.gcal import with_calendar_hint, with_download
from bot.models import Channel
from bot.outbox import ANNOUNCE, FAILED, MAYBE_SENT, SENT, Delivery, message_key
from bot.retry import RetryPolicy
from jobs.digest import plan_digest_days
from jobs.outgoing import DispatchReport, Outgoing, entry, messages
from storage.calendar_feeds import talk_link, talk_owner
from storage.store import Store

__all__ = ["RETRY", "DispatchReport", "channel_senders", "dispatch_due"]
log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
# A failed message is tried again 2, 4, 8, 16 minutes later, or when the platform's
# Retry-After says (waited for up to a day), then marked failed.
RETRY = RetryPolicy(attempts=MAX_ATTEMPTS, base=120.0, cap=3600.0, max_retry_after=86400.0)
DUE_PER_SWEEP = 20_000  # rows one sweep takes; a short sweep would leave channels idle


async def dispatch_due(store: Store, adapters: Mapping[str, Adapter], now: datetime,
                       default_zone: str, public_url: str | None = None) -> DispatchReport:
    """Send everything due by `now` once; `public_url` (LECTERN_PUBLIC_URL) gives talk
    announcements their .ics download link."""
    report = DispatchReport()
    senders = channel_senders(store, adapters, now, default_zone, report,
                              public_url=public_url)
    # Channels are paced separately (about one message a second each), so they are sent
    # to side by side; one at a time, 200 channels would wait on each other's pacing.
    results = await asyncio.gather(*senders.values(), return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return report


def channel_senders(store: Store, adapters: Mapping[str, Adapter], now: datetime,
                     default_zone: str, report: DispatchReport, busy: Collection[str] = (),
                     clock: Callable[[], datetime] | None = None,
                     public_url: str | None = None, foreground: Foreground | None = None,
                     refused: dict[str, str] | None = None, plan: bool = True,
                     ) -> dict[str, Coroutine[None, None, None]]:
    """For each channel with something due by `now` (and not `busy` sending), a coroutine
    that sends its messages in order; rows are claimed and marked at `clock()` (the moment
    of sending, when a paced channel takes a while), else at `now`. Before making its
    messages and before each, it gives way to the commands being answered (`foreground`).
    `refused` (platform -> why) names the platforms whose bot token was refused since the
    process started: their channels are not sent to, and what is due for them waits.
    `plan`: make the digests' rows first (the running loop does that itself, awaiting the
    write lock)."""
    refused = {} if refused is None else refused
    foreground = foreground or Foreground()
    stamp = clock or (lambda: now)
    if plan:
        plan_digest_days(store, now, default_zone)
    by_channel: dict[str, list[Delivery]] = defaultdict(list)
    for row in store.due_deliveries(now, limit=DUE_PER_SWEEP, skip_channels=busy):
        by_channel[row.channel_id].append(row)
    senders = {}
    for channel_id, rows in by_channel.items():
        channel = store.get_channel(channel_id) or Channel(channel_id)
        adapter = adapters.get(channel.platform)
        if adapter is None or channel.paused_reason or channel.platform in refused:
            continue  # kept pending until the platform is configured or the channel fixed
        zone = channel.timezone or default_zone
        senders[channel_id] = _send_in_order(store, adapter, channel, rows, now, zone,
                                             stamp, report, public_url,
                                             foreground, refused)
    return senders


async def _send_in_order(store: Store, adapter: Adapter, channel: Channel,
                         rows: list[Delivery], now: datetime, zone: str,
                         clock: Callable[[], datetime], report: DispatchReport,
                         public_url: str | None, foreground: Foreground,
                         refused: dict[str, str]) -> None:
    """One channel's messages, one after another, so the channel sees them in order.
    They are made here, in the channel's own task, not by the sweep: after a day's
    ingest, 200 channels' messages made at once held the event loop for a second."""
    await foreground.clear()
    queue = messages(store, channel, rows, now, zone, report)
    for n, message in enumerate(queue):
        if n:
            await foreground.clear()
        if public_url:
            _with_download(store, message, public_url, now)
        failure = await _send(store, adapter, channel, message, clock, report)
        if failure is not None and failure.credentials:
            _refuse_platform(refused, channel.platform, failure)
            return  # the rest stay pending, unclaimed, for a run with a good token
        if failure is not None and (failure.permanent or failure.retry_after is not None):
            _hold(store, queue[n + 1:], failure, clock())
            return


def _refuse_platform(refused: dict[str, str], platform: str, failure: DeliveryError) -> None:
    """The platform refused the bot's token: no channel of it is sent to again by this
    process, and none is paused for it, so all go on once the token is fixed."""
    if platform not in refused:
        log.error("%s refused lectern's bot token (%s): nothing more is sent to %s until "
                  "the operator fixes the token and restarts lectern; what is due waits",
                  platform, failure, platform)
    refused[platform] = str(failure)


def _hold(store: Store, rest: list[Outgoing], failure: DeliveryError,
          now: datetime) -> None:
    """After a refusal that is the channel's (it is paused) or a platform's ask to wait,
    the channel's other messages are not tried one by one: they wait, pending, for
    `/settings resume`, or together for as long as the platform asked."""
    ids = [row.id for outgoing in rest for row in outgoing.rows]
    if ids and not failure.permanent:
        wait = RETRY.delay(1, failure.retry_after)
        store.retry_deliveries(ids, now + timedelta(seconds=wait), str(failure))


def _with_download(store: Store, outgoing: Outgoing, public_url: str,
                   now: datetime) -> None:
    """A talk's announcement links to its own .ics (bot.app.calendars), beside Google's
    button; the talk's secret is made at its first announcement and kept. A list of new
    talks names the channel's feed instead."""
    talks = [r for r in outgoing.rows if r.item_kind == "talk" and r.purpose == ANNOUNCE]
    if len(outgoing.rows) == 1 and talks:
        secret = store.feed_secret(talk_owner(talks[0].item_id), now)
        with_download(outgoing.message, talk_link(public_url, secret))
    elif len(talks) > 1:
        with_calendar_hint(outgoing.message)


async def _send(store: Store, adapter: Adapter, channel: Channel, outgoing: Outgoing,
                clock: Callable[[], datetime], report: DispatchReport) -> DeliveryError | None:
    """Send one message; the failure, if it failed."""
    ids = await _claim(store, channel, outgoing, clock())
    if ids is None:  # another sender has them
        return None
    ref = ChannelRef(channel.platform, channel.external_id)
    outgoing.message.key = outgoing.key
    outgoing.message.maybe_sent_since = _maybe_sent_since(outgoing.rows)
    first = outgoing.rows[0]
    if first.item_kind == "talk" and first.purpose != ANNOUNCE:
        outgoing.message.reply_to = _announcement_ref(store, channel.id, first.item_id)
    try:
        sent = await adapter.send(ref, outgoing.message)
    except DeliveryError as error:
        failure = error
    except Exception as error:  # an adapter bug must not stop the other channels
        log.exception("sending to %s failed", channel.id)
        failure = DeliveryError(f"{type(error).__name__}: {error}")
    else:
        await store.transaction_when_free(lambda: store.finish_deliveries(
            ids, SENT, clock(), sent_ref=sent.id, late=outgoing.late))
        report.sent += [entry(row, outgoing.late) for row in outgoing.rows]
        return None
    await store.transaction_when_free(
        lambda: _failed(store, channel, outgoing, failure, clock(), report))
    return failure


def _maybe_sent_since(rows: list[Delivery]) -> datetime | None:
    """Since when the platform may hold this message already: the claim a crash left, or
    (a message tried before, whose failure may have come after the platform took it) back
    to its first try: the last claim less the backoffs between the tries."""
    found = []
    for row in rows:
        if row.claimed_at is None:
            continue
        if row.note == MAYBE_SENT:
            found.append(row.claimed_at)
        elif row.attempts:
            waits = sum(RETRY.backoff(n) for n in range(1, row.attempts))
            found.append(row.claimed_at - timedelta(seconds=waits))
    return min(found, default=None)


async def _claim(store: Store, channel: Channel, outgoing: Outgoing,
                 now: datetime) -> list[int] | None:
    """Claim the message's rows, and set its key. A new message of several rows becomes a
    batch in the same transaction, so its grouping is stored before the first attempt
    and never decided again. None when another sender has any of the rows."""
    ids = [row.id for row in outgoing.rows]

    def claim() -> tuple[str | None, list[int]]:
        key = outgoing.key
        if key is None:
            key = message_key(ids) if len(ids) == 1 else store.create_batch(channel.id, ids, now)
        won = store.claim_deliveries(ids, now) if key else []
        if len(won) != len(ids):
            raise _Taken  # the batch and the claims are rolled back
        return key, won

    try:
        outgoing.key, won = await store.transaction_when_free(claim)
    except _Taken:
        return None
    return won


class _Taken(Exception):
    """Another sender holds some of a message's rows."""


def _announcement_ref(store: Store, channel_id: str, talk_id: str) -> str | None:
    """Where the channel was first told about the talk, to thread follow-ups under it."""
    return store.sent_ref(channel_id, "talk", talk_id, ANNOUNCE) or None


def _failed(store: Store, channel: Channel, outgoing: Outgoing, failure: DeliveryError,
            now: datetime, report: DispatchReport) -> None:
    """A permanent failure pauses the channel; another is retried by RETRY (honouring the
    adapter's Retry-After) until its tries are used up."""
    ids, error = [row.id for row in outgoing.rows], str(failure)
    attempts = max(row.attempts for row in outgoing.rows) + 1
    if failure.credentials:  # due again at once, for the next run (bot token refused)
        store.retry_deliveries(ids, now, error)
    elif failure.permanent or RETRY.exhausted(attempts):
        store.finish_deliveries(ids, FAILED, now, note=error)
        if failure.permanent:
            store.update_channel(channel.id, paused_reason=error, now=now)
        report.failed += [entry(row, why=error) for row in outgoing.rows]
    else:
        wait = RETRY.delay(attempts, failure.retry_after)
        store.retry_deliveries(ids, now + timedelta(seconds=wait), error)
