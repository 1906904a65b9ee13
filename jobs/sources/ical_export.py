"""Stored talks -> an iCalendar document calendar apps can subscribe to (the ical reader's
inverse: stable UIDs, CANCELLED kept, speakers as a `Speaker:` line it reads back). Text
from feeds and members goes out without control characters, which RFC 5545 forbids in a
value (a NUL or ESC in one title could make a calendar app drop the whole feed)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

from bot.chat import inert
from bot.clock import parse_instant
from bot.models import TALK_CANCELLED, Talk

PRODID = "-//lectern//seminar talks//EN"


def export_ics(talks: list[tuple[str, Talk]], now: datetime, name: str = "lectern talks",
               alarms: tuple[int, ...] | Mapping[str, tuple[int, ...]] = (),
               revisions: Mapping[str, tuple[str, str]] | None = None) -> bytes:
    """The talks as one calendar; `alarms` are minutes before each talk (VALARMs), the
    same for all or per talk id.
    `revisions` (talk id -> first seen, last changed) give each event a SEQUENCE that
    grows with every change (the seconds between the two) and its LAST-MODIFIED, so a
    calendar app that subscribed takes a moved or cancelled talk as the newer version."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", inert(name))
    for talk_id, talk in talks:
        if talk.start is not None:
            event = _event(talk_id, talk, now)
            if revisions and talk_id in revisions:
                first, last = map(parse_instant, revisions[talk_id])
                event.add("sequence", max(0, int((last - first).total_seconds())))
                event.add("last-modified", last)
            if talk.status != TALK_CANCELLED:
                for minutes in (alarms.get(talk_id, ()) if isinstance(alarms, Mapping)
                                else alarms):
                    event.add_component(_alarm(talk.title, minutes))
            calendar.add_component(event)
    return calendar.to_ical()


def _event(talk_id: str, talk: Talk, now: datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{talk_id}@lectern")
    event.add("dtstamp", now)
    event.add("summary", inert(talk.title))
    if talk.all_day and talk.timezone:
        day = talk.start.astimezone(ZoneInfo(talk.timezone)).date()
        event.add("dtstart", day)
        end = talk.end.astimezone(ZoneInfo(talk.timezone)).date() if talk.end else None
        event.add("dtend", end or day + timedelta(days=1))
    else:
        event.add("dtstart", talk.start)
        if talk.end:
            event.add("dtend", talk.end)
    event.add("description", inert(_description(talk)))
    if talk.location:
        event.add("location", inert(talk.location))
    link = talk.meeting_url or talk.url
    if link:
        event.add("url", inert(link))
    if talk.series:
        event.add("categories", [inert(talk.series)])
    event.add("status", "CANCELLED" if talk.status == TALK_CANCELLED else "CONFIRMED")
    return event


def _alarm(title: str, minutes: int) -> icalendar.Alarm:
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", inert(title))
    alarm.add("trigger", timedelta(minutes=-minutes))
    return alarm


def _description(talk: Talk) -> str:
    lines = []
    if talk.speakers:
        speaker = ", ".join(talk.speakers)
        lines.append(f"Speaker: {speaker}" + (f" ({talk.affiliation})" if talk.affiliation
                                               else ""))
    if talk.meeting_url:
        lines.append(f"Meeting: {talk.meeting_url}")
    if talk.replay_url:
        lines.append(f"Replay: {talk.replay_url}")
    if talk.abstract:
        lines += ["", talk.abstract]
    return "\n".join(lines)
