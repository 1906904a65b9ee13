"""The dispatcher: sends the deliveries that are due, through each channel's adapter.

Per channel, due rows become messages: reminders collapse to the latest one missed and are
skipped (recorded) when the talk has started; digest rows become one digest; more than a
few paper announcements at once (after downtime) become one catch-up list. Each message's
rows are claimed, sent, then marked sent. Rows a crash left claimed come back marked
MAYBE_SENT; their message carries `maybe_sent_since`, so an adapter without a nonce can
look for it on the platform before posting it again.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable, Collection, Coroutine, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot import render
from bot.chat import Adapter, ChannelRef, DeliveryError, Message
from bot.models import Channel
from bot.outbox import (
    ANNOUNCE,
    FAILED,
    MAYBE_SENT,
    SENT,
    SKIPPED,
    Announce,
    Cancelled,
    Delivery,
    Digest,
    HealthNotice,
    Purpose,
    Reminder,
    Updated,
)
from bot.retry import RetryPolicy
from jobs.digest import digest_message, plan_digest_days
from jobs.health import source_notice
from storage.store import Store

log = logging.getLogger(__name__)
LATE_AFTER = timedelta(minutes=2)  # a reminder sent later than this is marked late
CATCH_UP_AFTER = 5  # more paper announcements than this at once become one list
LISTED = 10  # papers a catch-up list names; it counts the rest
MAX_ATTEMPTS = 5
# A failed message is tried again 2, 4, 8, 16 minutes later, or when the platform's
# Retry-After says (waited for up to a day), then marked failed.
RETRY = RetryPolicy(attempts=MAX_ATTEMPTS, base=120.0, cap=3600.0, max_retry_after=86400.0)
DUE_PER_SWEEP = 20_000  # rows one sweep takes; a short sweep would leave channels idle


@dataclass(slots=True)
class DispatchReport:
    sent: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"sent": self.sent, "skipped": self.skipped, "failed": self.failed}


@dataclass(slots=True)
class _Outgoing:
    rows: list[Delivery]
    message: Message
    late: bool = False


def _entry(row: Delivery, late: bool = False, why: str | None = None) -> dict:
    entry = {"channel": row.channel_id, "purpose": row.purpose.KIND,
             "item_id": row.item_id, "late": late}
    if why:
        entry["reason"] = why
    return entry


async def dispatch_due(store: Store, adapters: Mapping[str, Adapter], now: datetime,
                       default_zone: str) -> DispatchReport:
    """Send everything due by `now` once."""
    report = DispatchReport()
    senders = channel_senders(store, adapters, now, default_zone, report)
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
                     ) -> dict[str, Coroutine[None, None, None]]:
    """For each channel with something due by `now` (and not `busy` sending), a coroutine
    that sends its messages in order; rows are claimed and marked at `clock()` (the moment
    of sending, when a paced channel takes a while), else at `now`."""
    stamp = clock or (lambda: now)
    plan_digest_days(store, now, default_zone)
    by_channel: dict[str, list[Delivery]] = defaultdict(list)
    for row in store.due_deliveries(now, limit=DUE_PER_SWEEP, skip_channels=busy):
        by_channel[row.channel_id].append(row)
    senders = {}
    for channel_id, rows in by_channel.items():
        channel = store.get_channel(channel_id) or Channel(channel_id)
        adapter = adapters.get(channel.platform)
        if adapter is None or channel.paused_reason:
            continue  # kept pending until the platform is configured or the channel fixed
        zone = channel.timezone or default_zone
        senders[channel_id] = _send_in_order(store, adapter, channel, rows, now, zone,
                                             stamp, report)
    return senders


async def _send_in_order(store: Store, adapter: Adapter, channel: Channel,
                         rows: list[Delivery], now: datetime, zone: str,
                         clock: Callable[[], datetime], report: DispatchReport) -> None:
    """One channel's messages, one after another, so the channel sees them in order.
    They are made here, in the channel's own task, not by the sweep: after a day's
    ingest, 200 channels' messages made at once held the event loop for a second."""
    for message in _messages(store, channel, rows, now, zone, report):
        await _send(store, adapter, channel, message, clock, report)


def _skip(store: Store, rows: list[Delivery], why: str, now: datetime,
          report: DispatchReport) -> None:
    store.finish_deliveries([r.id for r in rows], SKIPPED, now, note=why)
    report.skipped += [_entry(r, why=why) for r in rows]


def _messages(store: Store, channel: Channel, rows: list[Delivery], now: datetime, zone: str,
              report: DispatchReport) -> list[_Outgoing]:
    out: list[_Outgoing] = []
    kinds: dict[type[Purpose], list[Delivery]] = defaultdict(list)
    for row in rows:  # an Unknown purpose (written by a newer lectern) is left alone
        kinds[type(row.purpose)].append(row)
    out += _talk_messages(store, kinds[Announce], kinds[Reminder], kinds[Updated],
                          kinds[Cancelled], now, zone, report)
    papers = [r for r in kinds[Announce] if r.item_kind == "paper"]
    out += _paper_messages(store, papers, now, report)
    if kinds[Digest]:
        message = digest_message(store, kinds[Digest], now)
        if message is None:
            _skip(store, kinds[Digest], "nothing matched today", now, report)
        else:
            out.append(_Outgoing(kinds[Digest], message))
    for row in kinds[HealthNotice]:  # a source's health notice (jobs.health)
        notice = source_notice(store, row)
        if notice is None:
            _skip(store, [row], "source no longer exists", now, report)
        else:
            out.append(_Outgoing([row], notice))
    return out


def _paper_messages(store: Store, rows: list[Delivery], now: datetime,
                    report: DispatchReport) -> list[_Outgoing]:
    stored = store.stored_paper_ids([row.item_id for row in rows])
    gone = [row for row in rows if row.item_id not in stored]
    if gone:
        _skip(store, gone, "paper no longer stored", now, report)
    rows = [row for row in rows if row.item_id in stored]
    if len(rows) > CATCH_UP_AFTER:  # after downtime: one message, not a flood
        shown = [(store.get_paper(row.item_id)[0], row.matched) for row in rows[:LISTED]]
        message = render.render_paper_batch(
            shown, f"{len(rows)} new papers match this channel's topics",
            more=len(rows) - len(shown))
        return [_Outgoing(rows, message)]
    return [_Outgoing([row], render.render_paper_announcement(store.get_paper(row.item_id)[0],
                                                              row.matched))
            for row in rows]


def _talk_messages(store: Store, announces: list[Delivery], reminders: list[Delivery],
                   updates: list[Delivery], cancels: list[Delivery], now: datetime, zone: str,
                   report: DispatchReport) -> list[_Outgoing]:
    out = []
    for row in [r for r in announces if r.item_kind == "talk"] + updates + cancels:
        found = store.get_talk(row.item_id)
        if found is None:
            _skip(store, [row], "talk no longer stored", now, report)
            continue
        talk, changes = found
        if isinstance(row.purpose, Announce):
            message = render.render_talk_announcement(row.item_id, talk, zone, row.matched)
        elif isinstance(row.purpose, Updated):
            message = render.render_talk_update(row.item_id, talk, zone,
                                                (row.matched or "").split(","))
        else:
            message = render.render_talk_cancelled(row.item_id, talk, zone)
        out.append(_Outgoing([row], message))
    by_talk: dict[str, list[Delivery]] = defaultdict(list)
    for row in reminders:
        by_talk[row.item_id].append(row)
    for talk_id, rows in by_talk.items():
        out += _reminder(store, talk_id, rows, now, zone, report)
    return out


def _reminder(store: Store, talk_id: str, rows: list[Delivery], now: datetime, zone: str,
              report: DispatchReport) -> list[_Outgoing]:
    """Several reminders missed in one downtime collapse into the latest; none once the
    talk has started."""
    found = store.get_talk(talk_id)
    if found is None or found[0].start is None or found[0].start <= now:
        _skip(store, rows, "the talk had started", now, report)
        return []
    rows = sorted(rows, key=lambda r: r.due_at)
    if len(rows) > 1:
        _skip(store, rows[:-1], "collapsed into a later reminder", now, report)
    latest = rows[-1]
    late = now - latest.due_at > LATE_AFTER
    message = render.render_reminder(talk_id, found[0], zone, now, late)
    return [_Outgoing([latest], message, late=late)]


async def _send(store: Store, adapter: Adapter, channel: Channel, outgoing: _Outgoing,
                clock: Callable[[], datetime], report: DispatchReport) -> None:
    ids = store.claim_deliveries([row.id for row in outgoing.rows], clock())
    if len(ids) != len(outgoing.rows):  # another sender has them
        return
    ref = ChannelRef(channel.platform, channel.external_id)
    outgoing.message.key = _key(ids)
    outgoing.message.maybe_sent_since = min(
        (row.claimed_at for row in outgoing.rows if row.note == MAYBE_SENT and row.claimed_at),
        default=None)
    first = outgoing.rows[0]
    if first.item_kind == "talk" and first.purpose != ANNOUNCE:
        outgoing.message.reply_to = _announcement_ref(store, channel.id, first.item_id)
    try:
        sent = await adapter.send(ref, outgoing.message)
    except DeliveryError as error:
        _failed(store, channel, outgoing, error, clock(), report)
        return
    except Exception as error:  # an adapter bug must not stop the other channels
        log.exception("sending to %s failed", channel.id)
        _failed(store, channel, outgoing,
                DeliveryError(f"{type(error).__name__}: {error}"), clock(), report)
        return
    store.finish_deliveries(ids, SENT, clock(), sent_ref=sent.id, late=outgoing.late)
    report.sent += [_entry(row, outgoing.late) for row in outgoing.rows]


def _key(ids: list[int]) -> str:
    """A message's stable key; one of several rows also names them all (hashed), so a
    message regrouped after a restart is not taken for the one already posted."""
    if len(ids) == 1:
        return f"lectern-{ids[0]}"
    digest = hashlib.sha256(",".join(map(str, sorted(ids))).encode()).hexdigest()[:8]
    return f"lectern-{min(ids)}-{digest}"


def _announcement_ref(store: Store, channel_id: str, talk_id: str) -> str | None:
    """Where the channel was first told about the talk, to thread follow-ups under it."""
    return store.sent_ref(channel_id, "talk", talk_id, ANNOUNCE) or None


def _failed(store: Store, channel: Channel, outgoing: _Outgoing, failure: DeliveryError,
            now: datetime, report: DispatchReport) -> None:
    """A permanent failure pauses the channel; another is retried by RETRY (honouring the
    adapter's Retry-After) until its tries are used up."""
    ids, error = [row.id for row in outgoing.rows], str(failure)
    attempts = max(row.attempts for row in outgoing.rows) + 1
    if failure.permanent or RETRY.exhausted(attempts):
        store.finish_deliveries(ids, FAILED, now, note=error)
        if failure.permanent:
            store.update_channel(channel.id, paused_reason=error, now=now)
        report.failed += [_entry(row, why=error) for row in outgoing.rows]
    else:
        wait = RETRY.delay(attempts, failure.retry_after)
        store.retry_deliveries(ids, now + timedelta(seconds=wait), error)
