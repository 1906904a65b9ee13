"""Calendars an outsider found on GitHub (round 4): each document here is cut down from a real
one, named above it, to the shape lectern misread."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.jobs.sources.ical_helpers import parse_bytes, utc

# jens-maus/node-ical@5a7e1c7 test/fixtures/ms_timezones.ics (Microsoft Exchange Server 2010):
# one event's TZID is quoted around its value too, so its DTSTART is empty; the rule of
# that event was brought forward before its series was built, and the whole calendar failed.
EXCHANGE = b"""\
BEGIN:VCALENDAR\r
METHOD:PUBLISH\r
PRODID:Microsoft Exchange Server 2010\r
VERSION:2.0\r
X-WR-CALNAME:Calendar\r
BEGIN:VTIMEZONE\r
TZID:W. Europe Standard Time\r
BEGIN:STANDARD\r
DTSTART:16010101T030000\r
TZOFFSETFROM:+0200\r
TZOFFSETTO:+0100\r
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10\r
END:STANDARD\r
BEGIN:DAYLIGHT\r
DTSTART:16010101T020000\r
TZOFFSETFROM:+0100\r
TZOFFSETTO:+0200\r
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3\r
END:DAYLIGHT\r
END:VTIMEZONE\r
BEGIN:VEVENT\r
DESCRIPTION:test new event 1\r
UID:040000008200E00074C5B7101A82E0080000000070DE40F38786D601000000000000000\r
 010000000D2A9BA8A3668CA4ABB2CC6838268179F\r
SUMMARY:test\r
DTSTART;TZID=W. Europe Standard Time:20200910T090000\r
DTEND;TZID=W. Europe Standard Time:20200910T093000\r
STATUS:CONFIRMED\r
END:VEVENT\r
BEGIN:VEVENT\r
DESCRIPTION:text new evert 2\r
RRULE:FREQ=WEEKLY;UNTIL=20210309T080000Z;INTERVAL=1;BYDAY=MO,TU,WE,TH,FR,SA;WK\r
 ST=MO\r
UID:040000008200E00074C5B7101A82E008000000008001F1896B63D301000000000000000\r
 0100000005D0552D848712746896D6C8E2E066560\r
SUMMARY:Log Yesterday's Jira time\r
DTSTART;TZID="W. Europe Standard Time:20200609T090000"\r
DTEND;TZID=W. Europe Standard Time:20200609T093000\r
STATUS:CONFIRMED\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_a_recurring_event_with_an_unreadable_start_costs_only_itself() -> None:
    result = parse_bytes(EXCHANGE, timezone="UTC", now=datetime(2020, 9, 1, tzinfo=UTC))
    [talk] = result.talks
    assert (talk.title, talk.start, talk.timezone) == ("test", utc(2020, 9, 10, 7),
                                                        "Europe/Berlin")
    [warning] = result.warnings
    assert "5D0552D848712746896D6C8E2E066560' skipped" in warning and "DTSTART" in warning


# jens-maus/node-ical@5a7e1c7 test/fixtures/test_with_multiple_tzids_in_vtimezone.ics (a school
# calendar from WordPress' The Events Calendar, ECPv6.3.3): one VTIMEZONE lists two zones, and
# icalendar failed on it ('list' object has no attribute 'strip'), refusing every event.
EVENTS_CALENDAR = b"""\
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Hathaway Elementary School - ECPv6.3.3//NONSGML v1.0//EN
CALSCALE:GREGORIAN
METHOD:PUBLISH
X-WR-CALNAME:Hathaway Elementary School
BEGIN:VTIMEZONE
TZID:Africa/Abidjan
BEGIN:STANDARD
TZOFFSETFROM:+0000
TZOFFSETTO:+0000
TZNAME:GMT
DTSTART:20240101T000000
END:STANDARD
TZID:America/Los_Angeles
BEGIN:DAYLIGHT
TZOFFSETFROM:-0800
TZOFFSETTO:-0700
TZNAME:PDT
DTSTART:20240310T100000
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:-0700
TZOFFSETTO:-0800
TZNAME:PST
DTSTART:20241103T090000
END:STANDARD
END:VTIMEZONE
BEGIN:VEVENT
DTSTART;TZID=America/Los_Angeles:20240627T160000
DTEND;TZID=America/Los_Angeles:20240627T170000
DTSTAMP:20240222T162327
UID:1891-1709856000-1709942399@www.washougal.k12.wa.us
SUMMARY:Possible Snow Makeup Day
URL:https://www.washougal.k12.wa.us/hathaway/event/possible-snow-makeup-day/
END:VEVENT
END:VCALENDAR
"""


def test_a_vtimezone_listing_several_zones_is_read_as_one_per_zone() -> None:
    result = parse_bytes(EVENTS_CALENDAR, timezone="UTC", now=datetime(2024, 6, 1, tzinfo=UTC))
    [talk] = result.talks
    assert (talk.title, talk.start, talk.timezone) == ("Possible Snow Makeup Day",
                                                        utc(2024, 6, 27, 23),
                                                        "America/Los_Angeles")
    assert talk.series == "Hathaway Elementary School"


# pimutils/khal@ea00567a tests/ics/non_dst_error.ics (NS International's train tickets): the
# alarm's TRIGGER is 'PT-2H' (the sign inside), and icalendar failed on the whole calendar.
NS_TICKETS = b"""\
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//NS Internationaal B.V.//sales-v2//en
BEGIN:VEVENT
UID:ns-trip-1
DTSTAMP:20230101T000000Z
SUMMARY:Trip from Utrecht to Bruxelles Central/Brussel Centraal
LOCATION:Utrecht
DTSTART;TZID=Europe/Brussels:20230203T151500
DTEND;TZID=Europe/Brussels:20230203T180600
BEGIN:VALARM
ACTION:DISPLAY
TRIGGER;RELATED=START:PT-2H
DESCRIPTION:Reminder
END:VALARM
END:VEVENT
END:VCALENDAR
"""


def test_an_alarm_lectern_does_not_read_cannot_fail_the_calendar() -> None:
    result = parse_bytes(NS_TICKETS, timezone="UTC", now=datetime(2023, 2, 1, tzinfo=UTC))
    [talk] = result.talks
    assert (talk.start, talk.end, talk.timezone) == (utc(2023, 2, 3, 14, 15),
                                                      utc(2023, 2, 3, 17, 6), "Europe/Brussels")


# ical4j/ical4j@73e8192b1 src/test/resources/samples/valid/blankTzid.ics (an Outlook invitation
# to a Google event): the VTIMEZONE's TZID is empty and the times say TZID= with no name.
BLANK_TZID = b"""\
BEGIN:VCALENDAR
METHOD:REQUEST
PRODID:Microsoft Exchange Server 2010
VERSION:2.0
BEGIN:VTIMEZONE
TZID:
BEGIN:STANDARD
DTSTART:16010101T000000
TZOFFSETFROM:+0200
TZOFFSETTO:+0200
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T000000
TZOFFSETFROM:+0200
TZOFFSETTO:+0200
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT
DESCRIPTION;LANGUAGE=en-ZA:This event has been changed
UID:t21ocubdt9jagerldbkak7uhcg@google.com
DTSTART;TZID=:20150826T090000
DTEND;TZID=:20150826T100000
DTSTAMP:20150825T093708Z
STATUS:CONFIRMED
LOCATION;LANGUAGE=en-ZA:17 Commerce Crescent\\,Eastgate
END:VEVENT
END:VCALENDAR
"""


def test_an_unnamed_time_zone_leaves_its_times_floating() -> None:
    result = parse_bytes(BLANK_TZID, timezone="Africa/Johannesburg",
                         now=datetime(2015, 8, 20, tzinfo=UTC))
    [talk] = result.talks
    assert (talk.start, talk.timezone) == (utc(2015, 8, 26, 7), "Africa/Johannesburg")
    assert talk.location == "17 Commerce Crescent,Eastgate"
