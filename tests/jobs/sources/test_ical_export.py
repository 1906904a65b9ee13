"""The calendar lectern serves carries no control characters: a feed's title with ESC, NUL
or BEL (a round-3 attack stored them) must not reach a calendar app, which RFC 5545 lets
refuse the whole file for one."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import icalendar

from bot.models import Talk
from jobs.sources.ical_export import export_ics

NOW = datetime(2026, 12, 4, tzinfo=UTC)


def test_control_characters_in_a_talk_never_reach_the_calendar_file():
    talk = Talk(key="k", title="Evil\x1b[31m title\x00\u202e", source="s",
                start=datetime(2026, 12, 10, 15, tzinfo=UTC), speakers=["Ada\x07 Lovelace"],
                location="Room\x08 1", series="ML\x7f seminar", abstract="Line one\nline two")
    out = export_ics([("talk-1", talk)], NOW, alarms=(15,))
    assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", out)  # CRLF only ends lines
    assert "\u202e".encode() not in out
    [event] = icalendar.Calendar.from_ical(out).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Evil[31m title"
    assert str(event["LOCATION"]) == "Room 1"
    assert "Speaker: Ada Lovelace" in str(event["DESCRIPTION"])
    assert "Line one\nline two" in str(event["DESCRIPTION"])  # newlines are the text's own
