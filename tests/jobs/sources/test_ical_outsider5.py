"""Calendars an outsider found on GitHub (round 5): each document here is cut down from a real
one, named above it, to the shape lectern misread."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.jobs.sources.ical_helpers import parse_bytes, utc

# collective/icalendar@851cb47 src/icalendar/tests/calendars/issue_165_missing_event.ics, an
# invitation from Microsoft CDO for Exchange: its rule lists the days with a space after each
# comma, folded before ';WKST'. The series was dropped whole ('UNTIL parameter has a bad
# format'): a daily stand-up on weekdays from 3 to 22 July 2015 gave no talk.
CDO_INVITATION = b"""BEGIN:VCALENDAR\r
METHOD:REQUEST\r
PRODID:Microsoft CDO for Microsoft Exchange\r
VERSION:2.0\r
BEGIN:VTIMEZONE\r
TZID:GMT +0100 (Standard) / GMT +0200 (Daylight)\r
BEGIN:STANDARD\r
DTSTART:16010101T030000\r
TZOFFSETFROM:+0200\r
TZOFFSETTO:+0100\r
RRULE:FREQ=YEARLY;WKST=MO;INTERVAL=1;BYMONTH=10;BYDAY=-1SU\r
END:STANDARD\r
BEGIN:DAYLIGHT\r
DTSTART:16010101T020000\r
TZOFFSETFROM:+0100\r
TZOFFSETTO:+0200\r
RRULE:FREQ=YEARLY;WKST=MO;INTERVAL=1;BYMONTH=3;BYDAY=-1SU\r
END:DAYLIGHT\r
END:VTIMEZONE\r
BEGIN:VEVENT\r
DTSTAMP:20150703T071009Z\r
DTSTART;TZID="GMT +0100 (Standard) / GMT +0200 (Daylight)":20150703T100000\r
SUMMARY:Sprint 25 Daily Standup\r
DTEND;TZID="GMT +0100 (Standard) / GMT +0200 (Daylight)":20150703T103000\r
RRULE:FREQ=DAILY;UNTIL=20150722T080000Z;INTERVAL=1;BYDAY=MO, TU, WE, TH, FR\r
 ;WKST=SU\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_a_rule_written_with_spaces_after_its_commas_is_read() -> None:
    result = parse_bytes(CDO_INVITATION, timezone="UTC", now=datetime(2015, 7, 1, tzinfo=UTC))
    starts = [talk.start for talk in result.talks]
    assert len(starts) == 14  # the weekdays from Friday 3 to Wednesday 22 July
    assert (starts[0], starts[1], starts[-1]) == (utc(2015, 7, 3, 8), utc(2015, 7, 6, 8),
                                                 utc(2015, 7, 22, 8))
    assert result.talks[0].end == utc(2015, 7, 3, 8, 30)
    assert result.warnings == []


# What researchseminars.org has exported since February 2021 (roed314/seminars@bed9d02
# seminars/talk.py, Talk.event): the title is a link to the talk's page ('Title: <a href=
# ...>Title</a>'), LOCATION is that page (or the livestream), and the room is only in
# 'Lecture held in ...' of the description. Every talk was titled 'Title (https://...)',
# placed at a web address, and its room lost. (Speakers and titles are made up.)
RESEARCHSEMINARS = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//researchseminars.org//seminars//EN\r
BEGIN:VEVENT\r
SUMMARY:Jane Doe (MIT)\r
DTSTART:20261208T210000Z\r
DTEND:20261208T220000Z\r
DTSTAMP:20261201T000000Z\r
UID:MITNT/42\r
DESCRIPTION:Title: <a href="https://researchseminars.org/talk/MITNT/42/">R\r
 ational points on curves</a>\\nby Jane Doe (MIT) as part of MIT number theo\r
 ry seminar\\n\\nLecture held in Room 2-449.\\n\\nAbstract\\nWe count rational p\r
 oints.\\n\r
LOCATION:https://researchseminars.org/talk/MITNT/42/\r
END:VEVENT\r
BEGIN:VEVENT\r
SUMMARY:John Smith (Harvard University)\\, Ann Lee (Brown University)\r
DTSTART:20261215T210000Z\r
DTEND:20261215T220000Z\r
DTSTAMP:20261201T000000Z\r
UID:MITNT/43\r
DESCRIPTION:Title: <a href="https://researchseminars.org/talk/MITNT/43/">M\r
 odular forms and L-functions</a>\\nby John Smith (Harvard University)\\, Ann\r
  Lee (Brown University) as part of MIT number theory seminar\\n\\nInteractiv\r
 e livestream: https://mit.zoom.us/j/123\\nAbstract: TBA\\n\r
LOCATION:https://mit.zoom.us/j/123\r
URL:https://mit.zoom.us/j/123\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_a_linked_title_is_the_title_and_its_link_the_page_not_the_place() -> None:
    result = parse_bytes(RESEARCHSEMINARS, timezone="America/New_York",
                         now=datetime(2026, 12, 4, tzinfo=UTC))
    room, online = result.talks
    assert (room.title, room.location) == ("Rational points on curves", "Room 2-449")
    assert room.url == "https://researchseminars.org/talk/MITNT/42/"
    assert (room.speakers, room.affiliation) == (["Jane Doe"], "MIT")
    assert room.abstract == "We count rational points."
    assert (online.title, online.location) == ("Modular forms and L-functions", None)
    assert online.meeting_url == "https://mit.zoom.us/j/123"
    assert online.url == "https://researchseminars.org/talk/MITNT/43/"
    assert online.speakers == ["John Smith", "Ann Lee"]


# tutao/tutanota@0dcdfcf test/tests/calendar/CalendarImporterTest.ts, 'descriptions exported
# from outlook': Outlook puts the Teams meeting's block under a rule of 80 underscores. It
# was the event's abstract; a talk's abstract above such a block kept the block too.
RULE = "_" * 80
OUTLOOK_TEAMS = (f"DESCRIPTION:\\n{RULE}\\nMicrosoft Teams meeting\\nJoin on your computer\\, "
                 "mobile app or room device\\nUnited States\\, Minneapolis\\nPhone Conference "
                 "ID: 000 000 000")
# The block as Outlook writes it in full (a UN agency's invitation on GitHub, ids changed).
TEAMS_BLOCK = (f"\\n\\n{RULE}\\nMicrosoft Teams meeting\\nJoin on your computer\\, mobile app or "
               "room device\\nClick here to join the meeting<https://teams.microsoft.com/l/meet"
               "up-join/19%3ameeting_NmM3%40thread.v2/0?context=%7b%22Tid%22%7d>\\n\\nMeeting ID"
               ": 393 410 478 838\\nPasscode: dT6Sf7\\nDownload Teams<https://www.microsoft.com/"
               "en-us/microsoft-teams/download-app> | Join on the web<https://www.microsoft.com/"
               f"microsoft-teams/join-a-meeting>\\nLearn More<https://aka.ms/JoinTeamsMeeting>\\n"
               f"{RULE}\\n")


def _outlook(summary: str, description: str) -> bytes:
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\n"
            "DTSTART:20221026T210000Z\r\nDTEND:20221026T220000Z\r\nUID:040000008200E0007\r\n"
            f"SUMMARY:{summary}\r\n{description}\r\nLOCATION:Microsoft Teams Meeting\r\n"
            "END:VEVENT\r\nEND:VCALENDAR\r\n").encode()


def test_outlooks_teams_block_is_no_abstract() -> None:
    now = datetime(2022, 10, 20, tzinfo=UTC)
    [event] = parse_bytes(_outlook("App Feedback Session", OUTLOOK_TEAMS), timezone="UTC",
                          now=now).talks
    assert (event.title, event.abstract) == ("App Feedback Session", None)
    talk_text = ("DESCRIPTION:Speaker: Maria Rossi (University of Bologna)\\nAbstract: We stu"
                 f"dy random walks on groups.{TEAMS_BLOCK}")
    [talk] = parse_bytes(_outlook("Random walks", talk_text), timezone="UTC", now=now).talks
    assert talk.abstract == "We study random walks on groups."
    assert talk.meeting_url.startswith("https://teams.microsoft.com/l/meetup-join/19%3ameeting")
    assert (talk.meeting_id, talk.meeting_password) == ("393 410 478 838", "dT6Sf7")


# SwitchbackTech/compass@4b3d70b packages/core/src/__mocks__/events/events.misc.ts, an event
# imported from Google Calendar: Zoom's add-in writes its invitation between two U+2500
# rules; the same invitation is also pasted bare (then it ends at 'Find your local number').
ZOOM = "\\n".join([
    "Tim Schuster is inviting you to a scheduled Zoom meeting.", "", "Join Zoom Meeting",
    "https://us02web.zoom.us/j/87324397243?pwd=ZmpuYitCelZYVll0aDdiVUNXejdzdz09", "",
    "Meeting ID: 873 2439 7243", "Passcode: 305275", "One tap mobile",
    "+16465588656\\,\\,87324397243#\\,\\,\\,\\,*305275# US (New York)",
    "+13017158592\\,\\,87324397243#\\,\\,\\,\\,*305275# US (Washington DC)", "",
    "Dial by your location", "        +1 646 558 8656 US (New York)",
    "        +1 301 715 8592 US (Washington DC)", "Meeting ID: 873 2439 7243",
    "Passcode: 305275", "Find your local number: https://us02web.zoom.us/u/kdbALZcOSa", ""])


def test_a_zoom_invitation_is_no_abstract_fenced_or_bare() -> None:
    now = datetime(2022, 2, 20, tzinfo=UTC)
    abstract = "Speaker: Maria Rossi\\nAbstract: We study random walks on groups.\\n\\n"
    fenced = f"DESCRIPTION:{abstract}{'─' * 10}\\n\\n{ZOOM}\\n\\n{'─' * 10}"
    for description in (fenced, f"DESCRIPTION:{abstract}{ZOOM}"):
        [talk] = parse_bytes(_outlook("Ty & Tim", description).replace(
            b"LOCATION:Microsoft Teams Meeting\r\n", b""), timezone="UTC", now=now).talks
        assert talk.abstract == "We study random walks on groups."
        assert talk.meeting_url.startswith("https://us02web.zoom.us/j/87324397243?pwd=")
        assert (talk.meeting_id, talk.meeting_password) == ("873 2439 7243", "305275")


# Google Calendar's own block for Meet, fenced by '-::~:~::~...::-' lines, as a meeting-link
# detector's test on GitHub copied it 'from Google Calendar data on 2026-08-02' (found in the
# code index; its dial-in line and 'Learn more' stayed in the abstract).
GOOGLE_FENCE = "-::~:~::~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~::~:~::-"
MEET = "\\n".join([
    GOOGLE_FENCE, "Join with Google Meet: https://meet.google.com/qms-wgjc-ygk",
    "Or dial: (US) +1 402-989-0231 PIN: 757713660#",
    "More phone numbers: https://tel.meet/qms-wgjc-ygk?pin=7644906875876&hs=7", "",
    "Learn more about Meet at: https://support.google.com/a/users/answer/9282720", "",
    "Please do not edit this section.", GOOGLE_FENCE])


def test_google_calendars_meet_block_is_no_abstract() -> None:
    description = f"DESCRIPTION:Abstract: We study random walks on groups.\\n\\n{MEET}"
    [talk] = parse_bytes(_outlook("Probability seminar", description).replace(
        b"LOCATION:Microsoft Teams Meeting\r\n", b""), timezone="UTC",
        now=datetime(2022, 10, 20, tzinfo=UTC)).talks
    assert talk.abstract == "We study random walks on groups."
    assert talk.meeting_url == "https://meet.google.com/qms-wgjc-ygk"
