"""Talks in the servers' own event lists (Discord's scheduled events): a reconciliation
run after the dispatcher's sweeps. What should be there is read from the database: the
upcoming talks announced to channels of servers whose managers turned events on
(`/settings discord-events on`). What is there is the stored events table, with a digest
of what was last sent. Each difference becomes one request: create, update, cancel.

Idempotent: an event row is stored (CREATING) before the platform is asked to make it,
so after a crash between the two the event is looked for in the server's list before
it is asked for again. A server that refuses for want of permission is told once (its
managers, in the channel where events were turned on) and left alone for REFUSED_REST,
or until a manager turns events on again; a rate limit stops that server's work until
the next pass. Turning events off makes no new ones; those made are kept current (moved,
cancelled), so none misleads. A talk that has started is left to the platform.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.chat import Adapter, ChannelRef, DeliveryError, Message
from bot.models import TALK_CANCELLED, Talk
from bot.scheduled_events import EventError, EventPublisher, EventSpec, EventState, Refusal
from storage.discord_events import StoredEvent
from storage.store import Store

log = logging.getLogger(__name__)
DEFAULT_LENGTH = timedelta(hours=1)  # a talk that gives no end, as an event (which needs one)
REFUSED_REST = timedelta(hours=6)  # a server that refused is asked again this much later
PASS_EVERY = timedelta(minutes=5)  # a pass even when nothing was sent (talks edited quietly)


def spec_for(talk_id: str, talk: Talk) -> EventSpec | None:
    """The talk as an event; None without a start time."""
    if talk.start is None:
        return None
    assumed = talk.end is None or talk.end <= talk.start
    end = talk.end if not assumed else talk.start + (
        timedelta(days=1) if talk.all_day else DEFAULT_LENGTH)
    who = ", ".join(talk.speakers) + (f" ({talk.affiliation})" if talk.affiliation else "")
    lines = [f"Speaker: {who}" if talk.speakers else None,
             f"Series: {talk.series}" if talk.series else None,
             f"Join: {talk.meeting_url}" if talk.meeting_url else None,
             f"Meeting ID: {talk.meeting_id}" if talk.meeting_id else None,
             f"Passcode: {talk.meeting_password}" if talk.meeting_password else None,
             f"More: {talk.url}" if talk.url and talk.url != talk.meeting_url else None,
             "The end time was not given: shown as one hour." if assumed and not talk.all_day
             else None,
             talk.abstract and "\n" + " ".join(talk.abstract.split())]  # last: trimmed first
    return EventSpec(name=talk.title, details="\n".join(filter(None, lines)),
                     place=talk.location, link=talk.meeting_url or talk.livestream_url,
                     start=talk.start, end=end, marker=talk_id, assumed_end=assumed)


@dataclass
class EventReport:
    created: list[tuple[str, str]] = field(default_factory=list)  # (server, talk id)
    updated: list[tuple[str, str]] = field(default_factory=list)
    cancelled: list[tuple[str, str]] = field(default_factory=list)
    recovered: list[tuple[str, str]] = field(default_factory=list)  # found after a crash
    refused: list[str] = field(default_factory=list)  # servers, for want of permission
    retry_after: float | None = None  # a server asked to wait: the next pass then

    def requests(self) -> int:
        """Requests the platform took so far."""
        return sum(map(len, (self.created, self.updated, self.cancelled, self.recovered)))

    def wait(self, seconds: float | None) -> None:
        seconds = 60.0 if seconds is None else seconds
        self.retry_after = min(seconds, self.retry_after or seconds)


async def sync_events(store: Store, publisher: EventPublisher, chat: Adapter | None,
                      now: datetime) -> EventReport:
    """One reconciliation of `publisher`'s servers; `chat` tells managers of a refusal."""
    report = EventReport()
    on = await _servers_on(store, publisher)
    stored = store.events.stored(now)
    if not on and not stored:
        return report  # no server wants events (the usual case): nothing to read
    wanted = dict.fromkeys(await _wanted(store, publisher, on, now))
    done: set[str] = set()  # servers that refused or asked to wait: nothing more this pass
    resting: dict[str, bool] = {}
    cleared: set[str] = set()
    for key in [*wanted, *(k for k in stored if k not in wanted)]:
        server = key[0]
        told = on.get(server)
        if server not in resting:
            resting[server] = _resting(store, server, told, now)
        if server in done or resting[server]:
            continue
        try:
            asked = report.requests()
            await _reconcile(store, publisher, key, stored.get(key), key in wanted, now,
                             report)
            if report.requests() > asked and server not in cleared:
                store.events.allowed(server)  # a later refusal is told anew
                cleared.add(server)
        except EventError as error:
            if not _refused(store, error, key, now, report):
                continue
            done.add(server)
            channel = told[0] if told else None
            if error.refusal is Refusal.PERMISSION and store.events.refuse(server, channel,
                                                                           now):
                await _tell(chat, channel, server, str(error))
    return report


async def _servers_on(store: Store, publisher: EventPublisher
                      ) -> dict[str, tuple[str, datetime]]:
    """Servers whose latest decision is on: (the channel it was given in, when)."""
    latest: dict[str, tuple[str, datetime, bool]] = {}
    for decision in store.events.decisions(publisher.platform):  # oldest first
        server = await publisher.server_of(decision.channel_id.split(":", 1)[1])
        if server is not None:
            latest[server] = (decision.channel_id, decision.decided, decision.enabled)
    return {server: (channel, when) for server, (channel, when, on) in latest.items() if on}


async def _wanted(store: Store, publisher: EventPublisher,
                  on: dict[str, tuple[str, datetime]], now: datetime) -> list[tuple[str, str]]:
    """(server, talk id) of the upcoming talks announced in the channels of servers that
    want events, soonest first: one indexed read per such channel."""
    found: list[tuple[str, str, str]] = []
    for channel in store.list_channels():
        if channel.platform == publisher.platform and not channel.paused_reason \
                and (server := await publisher.server_of(channel.external_id)) in on:
            found += [(start, server, talk) for talk, start in
                      store.events.announced_in(channel.id, now)]
    return [(server, talk) for _, server, talk in sorted(found)]


def _resting(store: Store, server: str, decided: tuple[str, datetime] | None,
             now: datetime) -> bool:
    """Refused for want of permission, not long ago, and not turned on again since."""
    refusal = store.events.refusal(server)
    if refusal is None:
        return False
    turned_on_since = decided is not None and decided[1] > refusal[0]
    return not turned_on_since and now < refusal[0] + REFUSED_REST


async def _reconcile(store: Store, publisher: EventPublisher, key: tuple[str, str],
                     row: StoredEvent | None, may_create: bool, now: datetime,
                     report: EventReport) -> None:
    """Bring one (server, talk) event in line with the talk."""
    server, talk_id = key
    found = store.get_talk(talk_id)
    talk = found[0] if found else None
    spec = spec_for(talk_id, talk) if talk else None
    if spec is not None and spec.start <= now:
        return  # started: the platform runs it now
    cancelled = spec is None or talk is None or talk.status == TALK_CANCELLED
    if row is not None and row.state is EventState.CREATING:
        asked, row = row, await _recover(store, publisher, row, now, report)
        if row is None and (cancelled or not may_create):  # never made, and not wanted
            store.events.record(server, talk_id, EventState.CANCELLED, asked.digest, now)
            return
    live = row is not None and row.event_id is not None and row.state in (
        EventState.SCHEDULED, EventState.REJECTED)  # rejected: an update was refused
    if not live and (row is None or row.state in (EventState.CANCELLED, EventState.REJECTED)):
        fresh = row is None or row.state is EventState.CANCELLED or (
            spec is not None and spec.digest() != row.digest)  # rejected, then changed
        if spec is not None and not cancelled and may_create and fresh:
            await _create(store, publisher, key, spec, now, report)
    elif live and row is not None and row.event_id is not None:
        if cancelled:
            await publisher.cancel(server, row.event_id)
            store.events.record(server, talk_id, EventState.CANCELLED, row.digest, now)
            report.cancelled.append(key)
        elif spec is not None and spec.digest() != row.digest:
            await publisher.update(server, row.event_id, spec)
            store.events.record(server, talk_id, EventState.SCHEDULED, spec.digest(), now)
            report.updated.append(key)


async def _create(store: Store, publisher: EventPublisher, key: tuple[str, str],
                  spec: EventSpec, now: datetime, report: EventReport) -> None:
    server, talk_id = key
    store.events.record(server, talk_id, EventState.CREATING, spec.digest(), now)
    made = await publisher.create(server, spec)  # a crash here: _recover finds it
    store.events.record(server, talk_id, EventState.SCHEDULED, spec.digest(), now,
                        event_id=made)
    report.created.append(key)


async def _recover(store: Store, publisher: EventPublisher, row: StoredEvent,
                   now: datetime, report: EventReport) -> StoredEvent | None:
    """A create whose answer was not stored: the event if the platform has it (as it
    was asked for: the row's digest), else None (it is asked for again)."""
    made = await publisher.find(row.server, row.talk_id)
    if made is None:
        return None
    store.events.record(row.server, row.talk_id, EventState.SCHEDULED, row.digest, now,
                        event_id=made)
    report.recovered.append((row.server, row.talk_id))
    return StoredEvent(row.server, row.talk_id, made, row.digest, EventState.SCHEDULED)


def _digest_now(store: Store, talk_id: str) -> str:
    found = store.get_talk(talk_id)
    spec = spec_for(talk_id, found[0]) if found else None
    return spec.digest() if spec else ""


def _cancelled(store: Store, talk_id: str) -> bool:
    """Whether the talk's event should be gone (as `_reconcile` judges it)."""
    found = store.get_talk(talk_id)
    return (found is None or found[0].status == TALK_CANCELLED
            or spec_for(talk_id, found[0]) is None)


def _refused(store: Store, error: EventError, key: tuple[str, str], now: datetime,
             report: EventReport) -> bool:
    """Note why one event was not taken; True when the whole server is done for now."""
    server, talk_id = key
    log.warning("scheduled event for %s in server %s: %s", talk_id, server, error)
    digest = _digest_now(store, talk_id)
    if error.refusal is Refusal.GONE:
        store.events.record(server, talk_id, EventState.GONE, digest, now, note=str(error))
        return False
    if error.refusal is Refusal.REJECTED:  # a cancel refused: the event is over anyway
        state = EventState.CANCELLED if _cancelled(store, talk_id) else EventState.REJECTED
        store.events.record(server, talk_id, state, digest, now, note=str(error))
        return False
    if error.refusal is Refusal.PERMISSION:
        report.refused.append(server)
    elif error.refusal is Refusal.LATER:  # the next pass after the wait asked for
        report.wait(error.retry_after)
    return True  # FULL: the next pass tries again, the soonest talks first


async def _tell(chat: Adapter | None, channel_id: str | None, server: str,
                why: str) -> None:
    """Once per refusal: the managers, where they turned events on."""
    if chat is None or channel_id is None:
        log.warning("server %s refused scheduled events and no channel can be told: %s",
                    server, why)
        return
    text = ("lectern cannot add this server's talks to its Events: Discord refused "
            f"({why}). Give lectern's role the Manage Events permission (Server Settings › "
            "Roles), then type /settings discord-events on here; until then lectern "
            f"asks again every {REFUSED_REST.seconds // 3600} hours and says nothing more.")
    message = Message(text=text, title="Talks cannot be added to this server's Events",
                      key=f"events-refused-{server}")
    try:
        await chat.send(ChannelRef(chat.platform, channel_id.split(":", 1)[1]), message)
    except DeliveryError as error:
        log.warning("could not tell %s that events were refused: %s", channel_id, error)


class EventSync:
    """When the running dispatcher reconciles: after it sent something (`poke`), when a
    decision changed, when a wait asked for is over, and every PASS_EVERY."""

    def __init__(self, store: Store, publishers: Callable[[], Mapping[str, EventPublisher]],
                 chat: Mapping[str, Adapter]) -> None:
        self.store, self.publishers, self.chat = store, publishers, chat
        self._poked, self._version = True, None
        self._next: datetime | None = None

    def poke(self) -> None:
        self._poked = True

    def due(self, now: datetime) -> bool:
        return (self._poked or self._next is None or now >= self._next
                or self.store.events.settings_version() != self._version)

    async def run(self, now: datetime) -> None:
        self._poked, self._version = False, self.store.events.settings_version()
        wait = PASS_EVERY.total_seconds()
        for platform, publisher in self.publishers().items():
            try:
                report = await sync_events(self.store, publisher, self.chat.get(platform),
                                           now)
            except EventError as error:  # could not even tell which servers: later
                log.warning("scheduled events on %s: %s", platform, error)
                continue
            except Exception:  # a bug or a busy database must not stop the dispatcher
                log.exception("scheduled events on %s failed", platform)
                continue
            wait = min(wait, report.retry_after or wait)
            if report.created or report.updated or report.cancelled:
                log.info("scheduled events on %s: %d made, %d updated, %d cancelled",
                         platform, len(report.created), len(report.updated),
                         len(report.cancelled))
        self._next = now + timedelta(seconds=wait)
