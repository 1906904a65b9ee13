"""/seminars upcoming [n], /seminars next, /seminars search <query>,
/seminars add <pasted announcement> (any member; the reader is a hook, it lives in jobs;
announced in the channel it was added in), /seminars share <id> (managers: announced
wherever it matches) and /seminars calendar [reset] (bot.commands.calendar_links)."""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta

from bot.chat import Invocation, Message, Reply
from bot.commands.calendar_links import feed_reply, reset_allowed
from bot.commands.context import BotContext
from bot.commands.declare import CHOICE, QUERY, TALK, TEXT, Group, Param, UsageError
from bot.commands.papers import COUNT
from bot.commands.registry import MAX_RESULTS, channel_key, who
from bot.commands.values import channel_zone
from bot.models import TALK_CANCELLED, QueryError, Talk, TalkChanges, talk_id
from bot.render import render_list, render_talk, when_line
from bot.services.talks import add_talks, added_by_others, chat_source, share_talk
from bot.topics import check_fields, parse_query
from storage.calendar_feeds import channel_owner
from storage.talks import count_added_by, stored_ids

log = logging.getLogger(__name__)
ADD_EXAMPLE = ("/seminars add Title: Diffusion as Transport Speaker: Jane Doe (Stanford) "
               "Time: 2026-12-03 15:00-16:00 Location: Room 1")
# On one line (the console, a Discord option) the labels run together: break before each
# `Label:` so the reader sees the lines it expects. `Meeting ID:` is one label. A break
# starts where a run of spaces does (?<!\s): tried inside the run too, 6,000 spaces took
# a second of the event loop.
_LABEL_BREAK = re.compile(r"(?<!Meeting)(?<!\s)\s+(?=(?:[A-Z][A-Za-z]{1,15}(?: ID)?\s*[:：]\s"
                          r"|[\u4e00-\u9fff]{2,6}\s*[：:]))")
# One paste adds a term's schedule at most: any member may paste, and each talk is an
# announcement and its reminders in the channel (a calendar feed is the way for more).
MAX_PASTED_TALKS = 25
# ... and a member adds at most three such terms a day, however many pastes it takes (a
# paste of talks already stored, to correct them, adds none).
MAX_MEMBER_TALKS_PER_DAY = 75
_CALENDAR_HINT = "ask a manager to add the series' calendar, e.g. /sources add ical " \
                 "https://example.org/talks.ics"
MAX_WARNINGS = 5  # "Not understood" lines a reply shows; the rest are counted
_VERBS = {"new": "added", "updated": "updated", "cancelled": "marked cancelled",
          "unchanged": "already known, nothing changed"}

seminars = Group("seminars", "upcoming seminar talks", default="upcoming")


@seminars.sub("upcoming", "the next talks, soonest first", COUNT)
async def upcoming(ctx: BotContext, invocation: Invocation, n: int = 5) -> Reply:
    zone = channel_zone(ctx, channel_key(invocation))
    talks = ctx.store.list_talks(ending_after=ctx.clock.now(), limit=n)
    return Reply(render_list("Upcoming talks", _listed(ctx, [i for i, _ in talks], zone),
                             "No upcoming talks are known; sources are polled on their "
                             "schedule."))


@seminars.sub("next", "the very next talk")
async def next_talk(ctx: BotContext, invocation: Invocation) -> Reply:
    zone = channel_zone(ctx, channel_key(invocation))
    talks = [(i, t) for i, t in ctx.store.list_talks(ending_after=ctx.clock.now(),
                                                      limit=MAX_RESULTS)
             if t.status != TALK_CANCELLED]
    return Reply(render_list("Next talk", _listed(ctx, [i for i, _ in talks[:1]], zone),
                             "No upcoming talks are known."))


@seminars.sub("search", "search talks", Param(
    "query", QUERY, "what to look for, e.g. diffusion -video, author:hinton",
    suggest="series", example="speaker:hinton",
    missing="say what to look for, e.g. /seminars search speaker:hinton"), slow=True)
async def search(ctx: BotContext, invocation: Invocation, query: str) -> Reply:
    try:
        parsed = parse_query(query)
        check_fields(parsed, "talks")
        hits = ctx.store.search(parsed, limit=5, kind="talks")
    except QueryError as error:
        raise UsageError(f"cannot search for that: {error}") from error
    zone = channel_zone(ctx, channel_key(invocation))
    return Reply(render_list(f"Talks matching {query}", _listed(ctx, [h.id for h in hits], zone),
                             f"No talks match {query}. Try fewer or broader words."))


def _listed(ctx: BotContext, talk_ids: list[str], zone: str) -> list[Message]:
    """Talks as a listing shows them: time in the channel's zone, cancelled and moved
    marked, speaker, how to join and id (bot.render.render_talk)."""
    found = ((talk_id, ctx.store.get_talk(talk_id)) for talk_id in talk_ids)
    return [render_talk(talk_id, talk, zone, changes) for talk_id, (talk, changes) in
            ((talk_id, got) for talk_id, got in found if got is not None)]


@seminars.sub("add", "add a talk from an announcement (title, speaker, time, place)", Param(
    "announcement", TEXT, "the announcement text (leave out to paste it with its lines in a "
    "form)", placeholder="pasted announcement", multiline=True, max_length=6000,
    example="Title: Flows Speaker: Ada",
    missing=f"paste the announcement after the command, e.g. {ADD_EXAMPLE}"), slow=True)
async def add(ctx: BotContext, invocation: Invocation, announcement: str) -> Reply:
    zone, now = channel_zone(ctx, channel_key(invocation)), ctx.clock.now()
    source = chat_source(invocation.channel.platform, invocation.channel.id)
    text = announcement if "\n" in announcement else "\n".join(
        _LABEL_BREAK.split(announcement))
    result = ctx.hooks.read_announcement(text, source=source, timezone=zone, now=now)
    if not result.talks:
        raise UsageError(f"could not add a talk: {_missing(result.warnings)}. Give at "
                         f"least a title or speaker and a time, e.g. {ADD_EXAMPLE}")
    if len(result.talks) > MAX_PASTED_TALKS:  # refused whole: nothing stored or announced
        raise UsageError(f"that announcement holds {len(result.talks)} talks; paste at most "
                         f"{MAX_PASTED_TALKS} at a time, or {_CALENDAR_HINT}")

    def keep() -> tuple[TalkChanges, list[str]]:
        """Checked where they are stored: another paste may wait for the lock too."""
        _check_daily_cap(ctx, invocation, source, result.talks, now)
        _check_owner(ctx, invocation, source, result.talks)
        return add_talks(ctx.store, ctx.hooks, source, result.talks, now,
                         channel=channel_key(invocation), user=invocation.user.id)

    changes, ids = await ctx.store.transaction_when_free(keep)
    log.info("%s added by %s (%s) in %s: %s", source, invocation.user.id, who(invocation),
             channel_key(invocation), changes.counts())
    return _added(ids, result.talks, changes, result.warnings, zone, who(invocation), now)


def _check_daily_cap(ctx: BotContext, invocation: Invocation, source: str,
                     talks: list[Talk], now: datetime) -> None:
    """Refuse, whole, a paste that would take a member past MAX_MEMBER_TALKS_PER_DAY new
    talks in the last 24 hours."""
    ids = {talk_id(source, talk.key) for talk in talks}
    new = len(ids - stored_ids(ctx.store.db, list(ids)))
    if not new:
        return
    platform, user = invocation.channel.platform, invocation.user.id
    done = count_added_by(ctx.store.db, platform, user, now - timedelta(days=1))
    if done + new > MAX_MEMBER_TALKS_PER_DAY:
        raise UsageError(f"you have added {done} talks in the last 24 hours and this paste "
                         f"holds {new} new ones; a member adds at most "
                         f"{MAX_MEMBER_TALKS_PER_DAY} a day: paste it tomorrow, or "
                         f"{_CALENDAR_HINT}")


def _check_owner(ctx: BotContext, invocation: Invocation, source: str,
                 talks: list[Talk]) -> None:
    """Refuse, whole, a member's paste that would change or cancel a talk another member
    added: only they or a manager of the channel may (a paste is a correction there). The
    same announcement pasted again changes nothing and is answered as known."""
    if invocation.is_manager:
        return
    pasted = {talk_id(source, talk.key): talk for talk in talks}
    for theirs in added_by_others(ctx.store, list(pasted), invocation.user.id):
        stored = ctx.store.get_talk(theirs)
        if stored is not None and stored[0] == pasted[theirs]:
            continue
        title = stored[0].title if stored else "a talk"
        raise UsageError(f"{theirs} ({title}) was added by another member: only they or "
                         "a manager of this channel can change or cancel it; nothing was "
                         "stored")


@seminars.sub("share", "announce a talk added here in every channel it matches", Param(
    "talk", TALK, "the talk's id (in /seminars add's reply or /seminars upcoming)",
    placeholder="talk id", max_length=100, example="talk-0123456789ab",
    missing="say which talk, e.g. /seminars share talk-0123456789ab"), manager_only=True)
async def share(ctx: BotContext, invocation: Invocation, talk: str) -> Reply:
    now = ctx.clock.now()

    def work() -> Talk:
        found = ctx.store.get_talk(talk)
        if found is None:
            raise UsageError(f"there is no talk {talk}; /seminars upcoming lists talks with "
                             "their ids")
        share_talk(ctx.store, ctx.hooks, talk, invocation.user.id, now)
        return found[0]

    shared = await ctx.store.transaction_when_free(work)
    heard = ("every channel that follows its topic hears of it" if shared.start is None
             or shared.start > now else "it has begun, so no channel is told of it now")
    return Reply(Message(text=f"{shared.title} ({talk}) is shared by {who(invocation)}: "
                              f"{heard}."), ephemeral=False)


@seminars.sub("calendar", "this channel's talks as a live calendar feed (reset: managers "
              "give it a new address)", Param(
                  "reset", CHOICE, "reset: a new address, the old one stops working",
                  required=False, choices=("reset",), example="reset"))
async def calendar(ctx: BotContext, invocation: Invocation, reset: str | None = None
                   ) -> Reply:
    rotate = reset_allowed(invocation, reset)
    return await feed_reply(ctx, channel_owner(channel_key(invocation)),
                            "This channel's talks", rotate=rotate)


def _added(ids: list[str], talks: list[Talk], changes: TalkChanges, warnings: list[str],
           zone: str, by: str, now: datetime) -> Reply:
    """What the reader understood, one block per talk, each with its id; a talk that has
    begun is not announced (jobs.planner), and a past date is often a mistyped year."""
    outcome = {tid: verb for verb in _VERBS for tid in getattr(changes, verb)}
    counts = ", ".join(f"{n} {_VERBS[verb]}" for verb, n in changes.counts().items() if n)
    lines = [f"Read {by}'s announcement: {counts}"]
    fields: list[tuple[str, str]] = []
    begun = {key for talk, key in zip(talks, ids, strict=True)
             if talk.start is not None and talk.start <= now}
    for talk, key in zip(talks, ids, strict=True):
        block = _understood(talk, zone)
        late = " (begun or over, so not announced: check the date)" if key in begun else ""
        lines.append(f"{key} ({_VERBS[outcome.get(key, 'unchanged')]}): {talk.title}{late}")
        lines += [f"  {name.lower()}: {value}" for name, value in block]
        fields += [("Talk", f"{key}: {talk.title}"), *block]
    lines += [f"Not understood: {warning}" for warning in warnings[:MAX_WARNINGS]]
    if len(warnings) > MAX_WARNINGS:
        lines.append(f"… and {len(warnings) - MAX_WARNINGS} more lines not understood")
    lines.append(f"(times without a zone were read as {zone}; /seminars upcoming lists them)")
    if upcoming := [key for key in ids if key in changes.new and key not in begun]:
        lines.append(f"Announced in this channel only; a manager's /seminars share "
                     f"{upcoming[0]} announces it in every channel that follows its topic.")
    changed = bool(changes.new or changes.updated or changes.cancelled)
    return Reply(Message(text="\n".join(lines), title="Talk added" if changed else
                         "Talk already known", fields=fields), ephemeral=not changed)


def _missing(warnings: list[str]) -> str:
    """The reader's warnings as one clause: `'Diffusion' has no time`."""
    said = []
    for warning in warnings:
        warning = " ".join(warning.split())
        found = re.match(r"block at line \d+, talk (.+): no (\w+)", warning)
        said.append(f"{found[1]} has no {found[2]}" if found
                    else warning.split(":")[0] if warning.startswith("no talk found")
                    else warning)
    return "; ".join(said) or "no talk found"


def _understood(talk: Talk, zone: str) -> list[tuple[str, str]]:
    speaker = ", ".join(talk.speakers) or "not given"
    block = [("Speaker", speaker + (f" ({talk.affiliation})" if talk.affiliation else "")),
             ("When", when_line(talk, zone))]
    if talk.location:
        block.append(("Where", talk.location))
    link = talk.meeting_url or talk.livestream_url or talk.url
    if link:
        block.append(("Link", link))
    return block
