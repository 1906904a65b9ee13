"""What a channel's due rows become: the messages the dispatcher sends (jobs.dispatch).

Reminders collapse to the latest one missed and are skipped (recorded) when the talk has
started; a talk's news (announced, changed, cancelled) is skipped once the talk is over
(after a pause or a sleep of days), and several changes waiting for one talk go out as one
notice; digest rows become one digest; more than a few paper announcements at once
(after downtime) become one catch-up list, and more talk announcements than a list names
(a term's programme published at once) one list of upcoming talks. A message of several
rows is a batch, stored before its first attempt (storage.batches): rows already in a
batch go out as that batch, under its key, whatever else has fallen due since; a paper or
talk announcement already tried alone goes out alone again. So a message that may have
reached the platform is sent the same way under the same key, and the platform's repeat
check can recognise it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot import render
from bot.chat import Message
from bot.clock import parse_instant
from bot.models import TALK_CANCELLED, Channel, Talk
from bot.outbox import (
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
from jobs.digest import digest_message, ranked_batch
from jobs.health import source_notice
from storage.store import Store

LATE_AFTER = timedelta(minutes=2)  # a reminder sent later than this is marked late
CATCH_UP_AFTER = 5  # more paper announcements than this at once become one list
LISTED = 10  # papers or talks a list names; it counts the rest


@dataclass(slots=True)
class DispatchReport:
    sent: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"sent": self.sent, "skipped": self.skipped, "failed": self.failed}


@dataclass(slots=True)
class Outgoing:
    """One message and the rows it sends; `key` is set for a batch already stored (a
    message of several rows without one is stored as a batch before it is sent)."""

    rows: list[Delivery]
    message: Message
    late: bool = False
    key: str | None = None


def entry(row: Delivery, late: bool = False, why: str | None = None) -> dict:
    found = {"channel": row.channel_id, "purpose": row.purpose.KIND,
             "item_id": row.item_id, "late": late}
    if why:
        found["reason"] = why
    return found


def skip(store: Store, rows: list[Delivery], why: str, now: datetime,
         report: DispatchReport) -> None:
    store.finish_deliveries([r.id for r in rows], SKIPPED, now, note=why)
    report.skipped += [entry(r, why=why) for r in rows]


def messages(store: Store, channel: Channel, rows: list[Delivery], now: datetime, zone: str,
             report: DispatchReport) -> list[Outgoing]:
    """The messages of one channel's due rows, in the order to send them: stored batches
    first (they were tried before), then the rest."""
    out: list[Outgoing] = []
    loose: list[Delivery] = []
    batched: dict[int, list[Delivery]] = defaultdict(list)
    for row in rows:
        if row.batch_id is None:
            loose.append(row)
        else:
            batched[row.batch_id].append(row)
    for batch_id in batched:
        out += _batch(store, batch_id, now, zone, report)
    kinds: dict[type[Purpose], list[Delivery]] = defaultdict(list)
    for row in loose:  # an Unknown purpose (written by a newer lectern) is left alone
        kinds[type(row.purpose)].append(row)
    talks = [r for r in kinds[Announce] if r.item_kind == "talk" and not r.attempts]
    if len(talks) > LISTED:  # a term's programme published at once: one list
        out += _talk_list(store, talks, now, zone, report)
        listed = {r.id for r in talks}
        kinds[Announce] = [r for r in kinds[Announce] if r.id not in listed]
    kinds[Updated] = _latest_updates(store, kinds[Updated], now, report)
    for kind in (Updated, Cancelled):  # a whole programme moved or called off: one list
        fresh = [r for r in kinds[kind] if not r.attempts]
        if len(fresh) > LISTED:
            out += _talk_list(store, fresh, now, zone, report)
            kinds[kind] = [r for r in kinds[kind] if r.attempts]
    out += _talk_messages(store, kinds[Announce], kinds[Reminder], kinds[Updated],
                          kinds[Cancelled], now, zone, report)
    papers = [r for r in kinds[Announce] if r.item_kind == "paper"]
    for row in [r for r in papers if r.attempts]:  # tried alone before: alone again
        out += _paper_messages(store, [row], now, report)
    out += _paper_messages(store, [r for r in papers if not r.attempts], now, report)
    if kinds[Digest]:
        out += _digest(store, kinds[Digest], now, report)
    for row in kinds[HealthNotice]:  # a source's health notice (jobs.health)
        notice = source_notice(store, row)
        if notice is None:
            skip(store, [row], "source no longer exists", now, report)
        else:
            out.append(Outgoing([row], notice))
    return out


def _batch(store: Store, batch_id: int, now: datetime, zone: str,
           report: DispatchReport) -> list[Outgoing]:
    """A stored batch's message: all its pending rows, under its key."""
    rows, key = store.batch_members(batch_id), store.batch_key(batch_id)
    if not rows or key is None:
        return []
    if all(isinstance(row.purpose, Digest) for row in rows):
        out = _digest(store, rows, now, report)
    elif all(row.item_kind == "talk" for row in rows):
        out = _talk_list(store, rows, now, zone, report)
    else:
        out = _paper_messages(store, rows, now, report, listed=True)
    for outgoing in out:
        outgoing.key = key
    return out


def _digest(store: Store, rows: list[Delivery], now: datetime,
            report: DispatchReport) -> list[Outgoing]:
    message = digest_message(store, rows, now)
    if message is None:
        skip(store, rows, "nothing matched today", now, report)
        return []
    return [Outgoing(rows, message)]


def _paper_messages(store: Store, rows: list[Delivery], now: datetime,
                    report: DispatchReport, listed: bool = False) -> list[Outgoing]:
    stored = store.stored_paper_ids([row.item_id for row in rows])
    gone = [row for row in rows if row.item_id not in stored]
    if gone:
        skip(store, gone, "paper no longer stored", now, report)
    rows = [row for row in rows if row.item_id in stored]
    if rows and (listed or len(rows) > CATCH_UP_AFTER):  # after downtime: not a flood
        message = ranked_batch(store, rows,
                               f"{len(rows)} new papers match this channel's topics", now)
        return [Outgoing(rows, message)] if message is not None else []
    return [Outgoing([row], render.render_paper_announcement(
        store.get_paper(row.item_id)[0], row.matched, recommended=row.recommended))
            for row in rows]


def _talk_list(store: Store, rows: list[Delivery], now: datetime, zone: str,
               report: DispatchReport) -> list[Outgoing]:
    """Talk announcements decided as one batch (a new subscriber's upcoming talks,
    jobs.planner.plan_upcoming): one list, soonest first, of those still to come."""
    found = [(row, store.get_talk(row.item_id)) for row in rows]
    for row, talk in found:
        why = _stale(talk[0] if talk else None, row, now)
        if why:
            skip(store, [row], why, now, report)
    found = [(row, talk) for row, talk in found if talk and not _stale(talk[0], row, now)]
    news = all(isinstance(row.purpose, (Updated, Cancelled)) for row in rows)
    shown = sorted(((row.item_id, talk[0], None if news else row.matched)
                    for row, talk in found),
                   key=lambda item: (item[1].start or now, item[0]))
    if not shown:
        return []
    message = render.render_talk_batch(shown[:LISTED], _list_heading(rows, len(shown)), zone,
                                       more=len(shown) - LISTED)
    return [Outgoing([row for row, _ in found], message)]


def _list_heading(rows: list[Delivery], count: int) -> str:
    if all(isinstance(row.purpose, Updated) for row in rows):
        return f"{count} talks this channel follows have changed"
    if all(isinstance(row.purpose, Cancelled) for row in rows):
        return f"{count} talks this channel follows are cancelled"
    return (f"{count} upcoming talks match this channel's topics" if count > 1
            else "An upcoming talk matches this channel's topics")


def _stale(talk: Talk | None, row: Delivery, now: datetime,
           changes: dict | None = None) -> str | None:
    """Why a talk's news is no longer worth a message, or None. A change is news while the
    time the channel was told (the start before the change) is still ahead, so a talk
    moved into the past is still said."""
    if talk is None:
        return "talk no longer stored"
    over = talk.end or talk.start
    if over is not None and over <= now and not _told_ahead(row, changes or {}, now):
        return "the talk is over"
    cancelled = talk.status == TALK_CANCELLED
    if isinstance(row.purpose, Cancelled) and not cancelled:
        return "the talk was restored"
    if not isinstance(row.purpose, Cancelled) and cancelled:
        return "the talk was cancelled"
    return None


def _told_ahead(row: Delivery, changes: dict, now: datetime) -> bool:
    """Whether an update's talk was, before it moved, still to come."""
    before = changes.get("start", [None])[0] if isinstance(row.purpose, Updated) else None
    try:
        return before is not None and parse_instant(before) > now
    except ValueError:
        return False


def _latest_updates(store: Store, rows: list[Delivery], now: datetime,
                    report: DispatchReport) -> list[Delivery]:
    """One change notice a talk: several waiting (moved twice between sweeps, or while the
    channel was paused) collapse into the latest, naming every field that changed."""
    by_talk: dict[str, list[Delivery]] = defaultdict(list)
    for row in rows:
        by_talk[row.item_id].append(row)
    kept = []
    for same in by_talk.values():
        same.sort(key=lambda r: (r.purpose.at, r.id or 0))
        latest = same[-1]
        if len(same) > 1:
            skip(store, same[:-1], "collapsed into a later update", now, report)
            fields = [f for r in same for f in (r.matched or "").split(",") if f]
            latest.matched = ",".join(dict.fromkeys(fields))
        kept.append(latest)
    return kept


def _talk_messages(store: Store, announces: list[Delivery], reminders: list[Delivery],
                   updates: list[Delivery], cancels: list[Delivery], now: datetime, zone: str,
                   report: DispatchReport) -> list[Outgoing]:
    out = []
    news = [r for r in announces if r.item_kind == "talk"] + updates + cancels
    for row in news:
        found = store.get_talk(row.item_id)
        why = _stale(found[0] if found else None, row, now, found[1] if found else None)
        if why or found is None:
            skip(store, [row], why or "talk no longer stored", now, report)
            continue
        talk, changes = found
        if isinstance(row.purpose, Announce):
            message = render.render_talk_announcement(row.item_id, talk, zone, row.matched)
        elif isinstance(row.purpose, Updated):
            message = render.render_talk_update(row.item_id, talk, zone,
                                                (row.matched or "").split(","), changes)
        else:
            message = render.render_talk_cancelled(row.item_id, talk, zone)
        out.append(Outgoing([row], message))
    by_talk: dict[str, list[Delivery]] = defaultdict(list)
    for row in reminders:
        by_talk[row.item_id].append(row)
    for talk_id, rows in by_talk.items():
        out += _reminder(store, talk_id, rows, now, zone, report)
    return out


def _reminder(store: Store, talk_id: str, rows: list[Delivery], now: datetime, zone: str,
              report: DispatchReport) -> list[Outgoing]:
    """Several reminders missed in one downtime collapse into the latest; none once the
    talk has started."""
    found = store.get_talk(talk_id)
    if found is None or found[0].start is None or found[0].start <= now:
        skip(store, rows, "the talk had started", now, report)
        return []
    if found[0].status == TALK_CANCELLED:  # planned by a version that reminded of those
        skip(store, rows, "the talk was cancelled", now, report)
        return []
    rows = sorted(rows, key=lambda r: r.due_at)
    if len(rows) > 1:
        skip(store, rows[:-1], "collapsed into a later reminder", now, report)
    latest = rows[-1]
    late = now - latest.due_at > LATE_AFTER
    message = render.render_reminder(talk_id, found[0], zone, now, late)
    return [Outgoing([latest], message, late=late)]
