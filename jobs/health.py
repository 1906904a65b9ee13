"""Telling managers about unhealthy sources: once per episode, through the outbox.

After each poll the source is judged (bot.health). When it turns failing, stale or empty
(its document held nothing), one notice goes to the channel it was added from (a source
added in chat) or to `health.alerts_channel` (the config file's sources); with neither,
the log says it. The notice is an outbox row whose purpose (a bot.outbox.HealthNotice)
names the episode (failing since the last success, stale since the last change, empty
since the first empty reading), so the outbox's unique key keeps it to one however often
the source is polled and however often lectern restarts. When the source is healthy
again, a short "back to normal" follows a notice that was sent; one still waiting is
dropped instead.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import replace
from datetime import datetime

from bot import render
from bot.chat import Message
from bot.health import HealthPolicy, assess
from bot.models import Source, SourceHealth
from bot.outbox import CLAIMED, PENDING, SENT, Delivery, HealthNotice
from storage.store import Store

log = logging.getLogger(__name__)
ITEM_KIND = "source"


def content_digest(report) -> str:
    """What a stored document held, as a digest of its item ids (an IngestReport): a
    re-served batch digests the same however its bytes or dates differ."""
    ids = sorted({*report.papers.new, *report.papers.updated, *report.papers.unchanged,
                  *report.talks.new, *report.talks.updated, *report.talks.cancelled,
                  *report.talks.unchanged})
    return hashlib.sha256("\n".join(ids).encode("utf-8")).hexdigest()


def episode(health: SourceHealth) -> HealthNotice:
    """The notice of one unhealthy spell of a source (its state, and since when)."""
    return HealthNotice(health.state, health.since)


def notice_channel(source: Source, alerts_channel: str | None) -> str | None:
    """Who hears about the source: the channel it was added from, else the alerts channel."""
    return source.added_in or alerts_channel


def check_source(store: Store, before: Source, now: datetime, policy: HealthPolicy,
                 alerts_channel: str | None) -> int:
    """Judge a source after a poll (`before`: its row before the poll); plan the notice a
    change of health calls for. Returns how many outbox rows are new."""
    after = store.get_source(before.name)
    if after is None:
        return 0
    was, health = assess(before, policy), assess(after, policy)
    target = notice_channel(after, alerts_channel)
    if health.unhealthy:
        if episode(was) != episode(health):
            log.warning("source %s is %s: %s%s", after.name, health.state, health.reason,
                        "" if target else " (no health.alerts_channel: the log only)")
        if target is None:
            return 0
        store.ensure_channel(target, now)
        return store.plan_deliveries([Delivery(target, ITEM_KIND, after.name,
                                               episode(health), now,
                                               matched=health.reason)], now)
    if not was.unhealthy:
        return 0
    log.info("source %s is back to normal (it was %s)", after.name, was.state)
    return _recovered(store, target, after.name, episode(was), now) if target else 0


def _recovered(store: Store, channel_id: str, name: str, spell: HealthNotice,
               now: datetime) -> int:
    told = [row for row in store.deliveries_for(ITEM_KIND, name)
            if row.channel_id == channel_id and row.purpose == spell]
    if not told:
        return 0
    if told[0].status == PENDING:  # never said: nothing to take back
        store.skip_pending(channel_id, ITEM_KIND, name, spell, "source recovered", now)
        return 0
    if told[0].status not in (SENT, CLAIMED):
        return 0
    return store.plan_deliveries([Delivery(channel_id, ITEM_KIND, name,
                                           replace(spell, recovered=True), now)], now)


def source_notice(store: Store, row: Delivery) -> Message | None:
    """The message of a health row; None when the source is gone."""
    source, notice = store.get_source(row.item_id), row.purpose
    if source is None or not isinstance(notice, HealthNotice):
        return None
    if notice.recovered:
        return render.render_source_recovered(source, notice.state)
    return render.render_source_notice(source, SourceHealth(notice.state, row.matched or ""))
