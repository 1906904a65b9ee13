"""Planning deliveries: what the channels should hear about newly stored or changed items.

New papers and talks are matched against every subscription; a match becomes an outbox
row (announce now, or wait for the channel's digest). A talk also gets its reminders; a
talk a channel was told about that moves gets new reminders and an "updated" notice (at
once for a first change, once settled for a further one soon after); one that is
cancelled a "cancelled" notice and no reminders. Papers stored before a subscription was
made are never matched to it (old news); a new subscription's upcoming
talks are (plan_upcoming), as one list. The outbox's unique key makes every
(channel, item, purpose) happen once however often it is planned; a talk read from
several sources reaches a channel once (jobs.talk_twins).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.matching import MatchDoc
from bot.models import (
    TALK_CANCELLED,
    Channel,
    Paper,
    QueryError,
    Subscription,
    Talk,
    TalkChanges,
    UpsertResult,
)
from bot.outbox import (
    ANNOUNCE,
    CHANGED_AGAIN,
    DIGEST,
    REMINDERS_CHANGED,
    TALK_CALLED_OFF,
    TALK_MOVED,
    Cancelled,
    Delivery,
    Reminder,
    Updated,
)
from bot.reminders import reminders, wall_instant
from bot.taste import Tastes, recommendations
from jobs.paper_twins import drop_told
from jobs.subscribers import Subscribers, current_subscribers, topic_of
from jobs.talk_lists import list_announcements, list_changes
from jobs.talk_twins import told_of_any, twins
from storage.store import Store
from storage.talk_changes import unsettled, withdraw

# A change to one of these is news for a channel that was told about the talk.
NEWSWORTHY = ("start", "end", "location", "meeting_url", "title", "speakers", "status")
# A change to one of these can make the talk match a subscription it did not match before.
REMATCHED = ("title", "speakers", "abstract", "series", "affiliation", "status")
UNLISTED_GRACE = timedelta(hours=3)  # how long a talk gone from its document may come back


def plan_new_items(store: Store, papers: UpsertResult, talks: TalkChanges, now: datetime,
                   default_zone: str) -> int:
    """Plan every delivery the stored changes call for; return how many rows are new."""
    if not (papers.new or talks.new or talks.updated or talks.cancelled):
        return 0
    subscribers = current_subscribers(store)
    planned: list[Delivery] = []
    if subscribers.subscriptions or any(c.recommend_per_day
                                        for c in subscribers.channels.values()):
        planned += _paper_deliveries(store, subscribers, papers.new, now, default_zone)
    if subscribers.subscriptions:
        planned += _talk_announcements(store, subscribers, talks.new, now, default_zone)
    for talk_id in talks.updated:
        planned += _talk_updates(store, subscribers, talk_id, now, default_zone)
    for talk_id in talks.cancelled:
        planned += _talk_cancellation(store, talk_id, now)
    count = store.plan_deliveries(planned, now)
    list_changes(store, planned, now)  # a series moved: one list, not a notice each
    return count


def _paper_deliveries(store: Store, subscribers: Subscribers, paper_ids: Iterable[str],
                      now: datetime, default_zone: str) -> list[Delivery]:
    """Keyword matches of the new papers, then what each channel's taste model adds."""
    planned, papers = [], []
    for paper_id in paper_ids:
        found = store.get_paper(paper_id)
        if found is None or found[0].is_replacement:  # a new version is not news
            continue
        paper, sources = found
        papers.append(paper)
        for channel_id, (sub_id, matched) in subscribers.matches(
                MatchDoc.from_paper(paper, sources), "paper").items():
            channel = subscribers.channels[channel_id]
            planned.append(_paper_delivery(channel, paper_id, ", ".join(matched), sub_id,
                                           now, default_zone))
    planned += _recommended(store, subscribers, papers, planned, now, default_zone)
    return drop_told(store, planned, {p.id: p.doi for p in papers if p.doi})


def _paper_delivery(channel: Channel, paper_id: str, matched: str, sub_id: int | None,
                    now: datetime, default_zone: str) -> Delivery:
    """At once, or at the channel's next digest."""
    if channel.digest_time:
        due, purpose = next_digest_at(channel, now, default_zone), DIGEST
    else:
        due, purpose = now, ANNOUNCE
    return Delivery(channel.id, "paper", paper_id, purpose, due, matched=matched,
                    subscription_id=sub_id)


def _recommended(store: Store, subscribers: Subscribers, papers: list[Paper],
                 keyword: list[Delivery], now: datetime, default_zone: str) -> list[Delivery]:
    """The papers each channel with `/subscribe recommended` is told of beyond its
    keyword matches, because its votes say it would like them (bot.taste)."""
    channels = [c for c in subscribers.channels.values() if c.recommend_per_day]
    if not channels or not papers:
        return []
    tastes, planned = Tastes(store), []
    for channel in channels:
        matched = [d.item_id for d in keyword if d.channel_id == channel.id]
        for paper, why in recommendations(store, tastes, channel, papers, matched, now,
                                          default_zone):
            planned.append(_paper_delivery(channel, paper.id, why, None, now, default_zone))
    return planned


def _talk_announcements(store: Store, subscribers: Subscribers, talk_ids: Iterable[str],
                        now: datetime, default_zone: str) -> list[Delivery]:
    planned = []
    for talk_id in talk_ids:
        found = store.get_talk(talk_id)
        if found is not None:
            planned += _announce(store, subscribers, talk_id, found[0], now, default_zone)
    return planned


def _announce(store: Store, subscribers: Subscribers, talk_id: str, talk: Talk,
              now: datetime, default_zone: str | None,
              told: Collection[str] = ()) -> list[Delivery]:
    """The announcement and reminders of an upcoming talk for each matching channel not
    already `told` of it (only its own channel for an unshared talk a member added).
    Talks are never held back by a digest."""
    if talk.status == TALK_CANCELLED or talk.start is None or talk.start <= now:
        return []  # nothing to go to: not news
    local = store.talk_local_to(talk_id)
    planned, same = [], None
    for channel_id, (sub_id, matched) in subscribers.matches(
            MatchDoc.from_talk(talk), "talk").items():
        if channel_id in told or local not in (None, channel_id):
            continue
        same = twins(store, talk_id, talk) if same is None else same
        if same and told_of_any(store, channel_id, same):
            continue  # the same talk from another source: the channel knows it
        planned.append(Delivery(channel_id, "talk", talk_id, ANNOUNCE, now,
                                matched=", ".join(matched), subscription_id=sub_id))
        planned += reminders(subscribers.channels.get(channel_id) or Channel(channel_id),
                             talk_id, talk, now, default_zone)
    return planned


def _told(store: Store, talk_id: str, asked: Iterable[str] = ()) -> dict[str, bool]:
    """channel id -> whether its announcement of the talk was already sent; the members
    who `asked` for their own reminder of it count as told (they hear of changes too)."""
    told: dict[str, bool] = dict.fromkeys(asked, True)
    for delivery in store.deliveries_for("talk", talk_id):
        if delivery.purpose == ANNOUNCE:
            told[delivery.channel_id] = delivery.status == "sent"
    return told


def _talk_updates(store: Store, subscribers: Subscribers, talk_id: str,
                  now: datetime, default_zone: str | None = None) -> list[Delivery]:
    """A changed talk: the channels told of it hear what changed (and get new reminders
    when it moved); one that matches only now (a "TBA" that got its title) is told anew.
    A talk still cancelled is not news and gets no reminders, whatever else changes; one
    restored is said, its reminders come back, and a channel it was cancelled for before
    its announcement went out is told of it now."""
    found = store.get_talk(talk_id)
    if found is None or found[0].status == TALK_CANCELLED:
        return []
    talk, changes = found
    asked = store.reminder_requests(talk_id)
    told = _told(store, talk_id, asked)
    restored = changes.get("status", [None])[0] == TALK_CANCELLED
    unsaid = {c for c in told if restored and store.skip_pending(  # listed again in time
        c, "talk", talk_id, Cancelled, "the talk was listed again", now)}
    planned = []
    if set(changes) & set(REMATCHED):
        sent = {c for c, was_sent in told.items() if was_sent} if restored else told
        planned += _announce(store, subscribers, talk_id, talk, now, default_zone, sent)
    news = set(changes) & set(NEWSWORTHY)
    if not news:
        return planned
    renew = restored or "start" in changes
    said, due = _settled(store, talk_id, news, now)
    for channel_id, was_sent in told.items():
        if renew:  # reminders follow the talk's time at once, settled or not
            store.skip_pending(channel_id, "talk", talk_id, Reminder, TALK_MOVED, now)
            channel = subscribers.channels.get(channel_id) or Channel(channel_id)
            planned += reminders(channel, talk_id, talk, now, default_zone,
                                 asked.get(channel_id))
        if was_sent and due is not None:
            withdraw(store.db, channel_id, talk_id, CHANGED_AGAIN, now)
        if said and was_sent and not (channel_id in unsaid and said == {"status"}):
            planned.append(Delivery(channel_id, "talk", talk_id, Updated(now), due or now,
                                    matched=",".join(c for c in NEWSWORTHY if c in said)))
    return planned


def _settled(store: Store, talk_id: str, news: set[str], now: datetime
             ) -> tuple[set[str], datetime | None]:
    """(what to say of a change, when: None is at once): a first change at once; one of a
    run of changes once the run settles (storage.talk_changes), and only what differs from
    what the channel was told (nothing, for a talk back to it)."""
    run = unsettled(store.db, talk_id)
    return (news, None) if run is None else (set(run[0]), max(run[1], now))


def plan_upcoming(store: Store, sub: Subscription, now: datetime,
                  default_zone: str | None = None) -> int:
    """A new subscription that covers talks: the upcoming talks it matches that its channel
    was not told about are announced (the dispatcher lists several in one message) with
    their reminders. Upcoming talks are not old news, unlike papers. Returns how many."""
    if not sub.wants("talk"):
        return 0
    try:
        topic = topic_of(sub.query)
    except QueryError:
        return 0
    channel = store.get_channel(sub.channel_id) or Channel(sub.channel_id)
    told = {talk_id for talk_id, _ in store.list_talks(ending_after=now,
                                                        followed_by=sub.channel_id)}
    planned, found = [], 0
    for talk_id, talk in store.list_talks(ending_after=now):
        if (talk_id in told or talk.status == TALK_CANCELLED or talk.start is None
                or talk.start <= now
                or store.talk_local_to(talk_id) not in (None, sub.channel_id)):
            continue
        matched = topic.match(MatchDoc.from_talk(talk))
        if matched is None or twins(store, talk_id, talk) & told:
            continue
        told.add(talk_id)  # its twins from other sources, later in the list, are known
        found += 1
        planned.append(Delivery(sub.channel_id, "talk", talk_id, ANNOUNCE, now,
                                matched=", ".join(matched), subscription_id=sub.id))
        planned += reminders(channel, talk_id, talk, now, default_zone)
    store.plan_deliveries(planned, now)
    list_announcements(store, sub.channel_id,
                       [d.item_id for d in planned if d.purpose == ANNOUNCE], now)
    return found


def replan_reminders(store: Store, channel_id: str, now: datetime,
                     default_zone: str | None = None) -> int:
    """After a channel's offsets change: its pending reminders give way to new ones for
    every upcoming talk it was told about."""
    channel = store.get_channel(channel_id) or Channel(channel_id)
    planned = []
    for talk_id, talk in store.list_talks(ending_after=now, followed_by=channel_id):
        store.skip_pending(channel_id, "talk", talk_id, Reminder, REMINDERS_CHANGED, now)
        if talk.status != TALK_CANCELLED:
            planned += reminders(channel, talk_id, talk, now, default_zone)
    return store.plan_deliveries(planned, now)


def _talk_cancellation(store: Store, talk_id: str, now: datetime) -> list[Delivery]:
    """Reminders stop at once; the notice waits a while when the talk is cancelled only
    because its document stopped listing it (`listed`): a source that serves two versions
    by turns lists it again, and a notice not yet sent is then dropped (_talk_updates)."""
    found = store.get_talk(talk_id)
    due = now
    if found is not None and "listed" in found[1] and found[0].start is not None:
        due = min(now + UNLISTED_GRACE, now + (found[0].start - now) / 2)
    planned = []
    for channel_id, was_sent in _told(store, talk_id,
                                      store.reminder_requests(talk_id)).items():
        store.skip_pending(channel_id, "talk", talk_id, None, TALK_CALLED_OFF, now)
        if was_sent:
            planned.append(Delivery(channel_id, "talk", talk_id, Cancelled(now), due))
    return planned


def next_digest_at(channel: Channel, now: datetime, default_zone: str) -> datetime:
    """The next moment (after now) the channel's daily digest goes out, as UTC: its wall
    time on each local day (bot.reminders.wall_instant: moved on by a gap the clocks skip,
    the first of a time they pass twice), compared as instants, so a night the clocks
    change neither skips that day's digest nor sends a second one."""
    zone = channel.timezone or default_zone
    hour, minute = (int(part) for part in (channel.digest_time or "09:00").split(":"))
    today = now.astimezone(ZoneInfo(zone)).date()
    for days in range(-1, 3):
        moment = wall_instant(datetime.combine(today + timedelta(days=days),
                                               time(hour, minute)), zone)
        if moment > now:
            return moment
    raise AssertionError("a local day always has its digest moment")  # pragma: no cover
