"""Calendars from Exchange and Outlook a seventh outsider found on GitHub, whose TZIDs are
Windows display names: each document here is cut down from a real one, named above it."""

from __future__ import annotations

from datetime import UTC, datetime

from jobs.sources.ical_zones import display_zone
from tests.jobs.sources.ical_helpers import parse_bytes, utc

# jens-maus/node-ical test/fixtures/Office-2012-owa.ics (commit 5a7e1c7): Exchange Server
# 2010's export, each TZID the zone's display name and no VTIMEZONE at all. Both talks were
# read as floating, in the source's zone (13:30 London): 11 h late for Sydney, 4 h early for
# New York. The X-MICROSOFT-CDO properties are cut.
EXCHANGE_2010 = """BEGIN:VCALENDAR\r
METHOD:PUBLISH\r
PRODID:Microsoft Exchange Server 2010\r
VERSION:2.0\r
X-WR-CALNAME:Fake Calendar\r
BEGIN:VEVENT\r
SUMMARY: TEST Syd\r
DTSTART;TZID="(GMT+10:00) Canberra, Melbourne, Sydney":20201028T133000\r
DTEND;TZID="(GMT+10:00) Canberra, Melbourne, Sydney":20201028T150000\r
CLASS:PUBLIC\r
DTSTAMP:20201015T165939Z\r
STATUS:CONFIRMED\r
END:VEVENT\r
BEGIN:VEVENT\r
SUMMARY: TEST\r
DTSTART;TZID="(UTC-05:00) Eastern Time (US & Canada)":20201028T133000\r
DTEND;TZID="(UTC-05:00) Eastern Time (US & Canada)":20201028T150000\r
CLASS:PUBLIC\r
DTSTAMP:20201015T165939Z\r
STATUS:CONFIRMED\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_a_display_name_without_a_vtimezone_is_its_zone() -> None:
    result = parse_bytes(EXCHANGE_2010.encode(), now=datetime(2020, 10, 20, tzinfo=UTC))
    assert sorted((t.start, t.end, t.timezone) for t in result.talks) == [
        (utc(2020, 10, 28, 2, 30), utc(2020, 10, 28, 4, 0), "Australia/Canberra"),  # AEDT
        (utc(2020, 10, 28, 17, 30), utc(2020, 10, 28, 19, 0), "America/New_York")]  # EDT


# jens-maus/node-ical test/fixtures/exchange-custom-tz.ics (commit 5a7e1c7): Exchange 2010
# again, this time with the VTIMEZONE its display-name TZID names. The time was right; the
# talk's zone was the source's fallback, not Bangkok's.
EXCHANGE_WITH_VTIMEZONE = """BEGIN:VCALENDAR\r
METHOD:PUBLISH\r
PRODID:Microsoft Exchange Server 2010\r
VERSION:2.0\r
X-WR-CALNAME:Calendar name\r
BEGIN:VTIMEZONE\r
TZID:(UTC+07:00) Bangkok\\, Hanoi\\, Jakarta\r
BEGIN:STANDARD\r
DTSTART:16010101T000000\r
TZOFFSETFROM:+0700\r
TZOFFSETTO:+0700\r
END:STANDARD\r
BEGIN:DAYLIGHT\r
DTSTART:16010101T000000\r
TZOFFSETFROM:+0700\r
TZOFFSETTO:+0700\r
END:DAYLIGHT\r
END:VTIMEZONE\r
BEGIN:VEVENT\r
DESCRIPTION:\\n\r
UID:040000008200E00074C5B7101A82E00800000000C9AB6E5A6AFED401000000000000000\r
 010000000C55132227F0F0948A7D58F6190A3AEF9\r
SUMMARY:Test event\r
DTSTART;TZID="(UTC+07:00) Bangkok, Hanoi, Jakarta":20190430T090000\r
DTEND;TZID="(UTC+07:00) Bangkok, Hanoi, Jakarta":20190430T120000\r
DTSTAMP:20190507T034351Z\r
STATUS:CONFIRMED\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_a_display_name_defined_by_a_vtimezone_names_the_talks_zone() -> None:
    result = parse_bytes(EXCHANGE_WITH_VTIMEZONE.encode(),
                         now=datetime(2019, 4, 20, tzinfo=UTC))
    assert [(t.start, t.timezone) for t in result.talks] == [
        (utc(2019, 4, 30, 2, 0), "Asia/Bangkok")]


def test_display_names_read_as_people_write_them() -> None:
    # The display names of the calendars above and of icalendar's issue_237 fixture
    # ('(UTC-03:00) Brasília', a city the zone database does not name: its offset stands).
    assert display_zone("(UTC+01:00) Sarajevo\\, Skopje\\, Warsaw\\, Zagreb") == \
        "Europe/Sarajevo"
    assert display_zone("(UTC-05:00) Eastern Time (US and Canada)") == "America/New_York"
    assert display_zone("(UTC-03:00) Brasília") == "Etc/GMT+3"
    assert display_zone("(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi") == "Asia/Kolkata"
    assert display_zone("China Standard Time") is None  # a Windows ID: icalendar's table


# xianfei/hkust_cse_seminar_bot seminars.ics (commit ac451f4): HKUST CSE's seminars, scraped
# into a calendar whose DESCRIPTION labels speaker, affiliation and host. The host, who
# chairs the talk, was left in the abstract (5 of 5 talks; emory-seminars.ics in the shared
# corpus writes 'Host: Hong Li, MD, PhD' the same way, 15 talks).
HKUST_CSE = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//HKUST CSE Seminars//scraper//EN\r
X-WR-CALNAME:HKUST CSE Seminars\r
X-WR-TIMEZONE:Asia/Hong_Kong\r
BEGIN:VEVENT\r
SUMMARY:On the Opportunities of Exploiting LLM Agents for ML System Design\r
  and Implementation\r
DTSTART;TZID=Asia/Hong_Kong:20260921T160000\r
DTEND;TZID=Asia/Hong_Kong:20260921T170000\r
DTSTAMP:20260822T182644Z\r
UID:20260921T160000-ontheopportunitiesofexploiting@cse.hkust.edu.hk\r
DESCRIPTION:Speaker: Dr. Binhang Yuan\\nAffiliation: CSE\\nHost: Q. Chen\\nSo\r
 urce: https://cse.hkust.edu.hk/pg/seminars/\r
LOCATION:LTF\\, HKUST\\, Hong Kong\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_the_host_in_a_description_chairs_the_talk() -> None:
    talk, = parse_bytes(HKUST_CSE.encode(), now=datetime(2026, 8, 25, tzinfo=UTC)).talks
    assert (talk.speakers, talk.affiliation, talk.chair, talk.abstract) == (
        ["Binhang Yuan"], "CSE", "Q. Chen", "Source: https://cse.hkust.edu.hk/pg/seminars/")
