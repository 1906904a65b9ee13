"""Calendars an outsider found on GitHub (round 6): each document here is cut down from a real
one, named above it, to the shape lectern misread."""

from __future__ import annotations

from datetime import UTC, datetime

from jobs.sources import ical
from tests.jobs.sources.ical_helpers import parse_bytes, utc

# ical-org/ical.net@f924bd6 Ical.Net.Tests/Calendars/Recurrence/Bug2912657.ics, saved by
# Windows Calendar (Vista): UTF-16 little-endian with a byte-order mark. It was read as
# Windows-1252 and refused as 'not iCalendar data' ('\xff\xfeB\x00E\x00...'): 0 talks of 10.
WINDOWS_CALENDAR = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Microsoft Corporation//Windows Calendar 1.0//EN\r
CALSCALE:GREGORIAN\r
METHOD:PUBLISH\r
BEGIN:VEVENT\r
DTSTAMP:20091211T104653Z\r
DTSTART;TZID=Europe/Paris:20091204T020000\r
DTEND;TZID=Europe/Paris:20091204T023000\r
RRULE:FREQ=DAILY;UNTIL=20091210T170000Z\r
SUMMARY:Daily Debug\r
UID:22CA5A73-E504-42ED-BB57-A72883983397\r
END:VEVENT\r
BEGIN:VEVENT\r
DTSTAMP:20091211T105420Z\r
DTSTART;TZID=Europe/Paris:20091204T020000\r
DTEND;TZID=Europe/Paris:20091204T023000\r
RRULE:FREQ=WEEKLY;COUNT=2\r
SUMMARY:Séminaire hebdomadaire\r
UID:F179EAE5-7427-4508-B2A8-484E8C17100F\r
END:VEVENT\r
END:VCALENDAR\r
"""
DECEMBER_2009 = datetime(2009, 12, 5, tzinfo=UTC)


def test_a_calendar_in_utf16_with_a_byte_order_mark_is_read() -> None:
    for encoding in ("utf-16", "utf-16-be"):  # 'utf-16' writes the mark: LE here
        data = WINDOWS_CALENDAR.encode(encoding)
        if encoding == "utf-16-be":
            data = b"\xfe\xff" + data
        result = parse_bytes(data, timezone="UTC", now=DECEMBER_2009)
        titles = [talk.title for talk in result.talks]
        assert titles.count("Daily Debug") == 7 and titles.count("Séminaire hebdomadaire") == 2
        assert result.talks[0].start == utc(2009, 12, 4, 1)  # 02:00 in Paris
        assert result.warnings == []


def test_a_byte_order_mark_outranks_the_served_charset() -> None:
    result = ical.parse(WINDOWS_CALENDAR.encode("utf-16"), "test-source", timezone="UTC",
                        now=DECEMBER_2009, content_type="text/calendar; charset=utf-8")
    assert len(result.talks) == 9
