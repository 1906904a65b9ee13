"""Calendars an outsider found on GitHub (round 6): each document here is cut down from a real
one, named above it, to the shape lectern misread."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.models import TALK_CANCELLED, TALK_SCHEDULED
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


# linuxsoftware/ls.joyous@7c408d5 ls/joyous/tests/test_ical.py, testOutlook: a booking's
# reminder exported by 'Outlook 11.0 MIMEDIR' (Outlook 2003), its SUMMARY and DESCRIPTION
# written ENCODING=QUOTED-PRINTABLE as vCalendar 1.0 did. The abstract kept the codes:
# 'Booking number 9876543=0D=0A=0D=0AYour outgoing route is ...'.
OUTLOOK_2003 = b"""BEGIN:VCALENDAR
PRODID:-//Microsoft Corporation//Outlook 11.0 MIMEDIR//EN
VERSION:2.0
METHOD:PUBLISH
BEGIN:VEVENT
DTSTART:20180730T092500
DTEND:20180730T101500
UID:7N7Y7V6J4N2U4I3U7H0N7W5O4V2U0K3H2E4Q4O7A2H0W1A5M6N
DTSTAMP:20180728T035656
DESCRIPTION;ENCODING=QUOTED-PRINTABLE:Booking number 9876543=0D=0A=0D=0AYour outgoing \
route is Westport > Wellington.=0D=0AThis route departs Westport on 30/Jul/2018 09:25 and \
arrives at Wellington at 10:15. The check-in time is 08:55.=0A
SUMMARY;ENCODING=QUOTED-PRINTABLE:Sounds Air - Flight Reminder
PRIORITY:3
END:VEVENT
END:VCALENDAR
"""
JULY_2018 = datetime(2018, 7, 28, tzinfo=UTC)


def test_a_quoted_printable_description_is_decoded() -> None:
    [talk] = parse_bytes(OUTLOOK_2003, timezone="Pacific/Auckland", now=JULY_2018).talks
    assert talk.abstract == (
        "Booking number 9876543\n\nYour outgoing route is Westport > Wellington.\nThis route "
        "departs Westport on 30/Jul/2018 09:25 and arrives at Wellington at 10:15. The "
        "check-in time is 08:55.")
    assert talk.start == utc(2018, 7, 29, 21, 25)  # floating: 09:25 in the source's zone


# ical-org/ical.net@f924bd6 Ical.Net.Tests/Calendars/Serialization/Parse1.ics, a library's
# events from the 'Drupal iCal API' (strange bird labs): quoted-printable with a soft line
# break ('Mic=' then 'rosoft...' on a line of its own, not an iCalendar fold). The abstract
# stopped at 'Mic=' and the rest of the description was lost. (Its text, pasted from Word
# as 'Normal 0 false false false MicrosoftInternetExplorer4', is replaced by a sentence.)
DRUPAL = b"""BEGIN:VCALENDAR
VERSION:2.0
X-WR-CALNAME:Frost Free Library | January 05, 2009 - February 04, 2009
PRODID:-//strange bird labs//Drupal iCal API//EN
BEGIN:VEVENT
DTSTART;VALUE=DATE-TIME:20090106T203000Z
DTEND;VALUE=DATE-TIME:20090106T213000Z
SUMMARY;ENCODING=QUOTED-PRINTABLE:Library Tea
DESCRIPTION;ENCODING=QUOTED-PRINTABLE:<p>Tea and talk in the reading room=3B all are =
welcome.</p>=0D=0A<br class=3D"clear" />
URL;VALUE=URI:http://www.frostfree.org/node/505
UID:http://www.frostfree.org/node/505
END:VEVENT
END:VCALENDAR
"""


def test_a_quoted_printable_soft_line_break_continues_the_value() -> None:
    [talk] = parse_bytes(DRUPAL, timezone="UTC", now=datetime(2009, 1, 5, tzinfo=UTC)).talks
    assert talk.title == "Library Tea"
    assert talk.abstract == "Tea and talk in the reading room; all are welcome."
    assert talk.url == "http://www.frostfree.org/node/505"


# ical4j/ical4j@73e8192b1 src/test/resources/samples/valid/php-flp.ics (a PHP tracker's
# export): '=3D' in a link ('act_id=3DACTID') and a CHARSET before the encoding, as vCalendar
# 1.0 writers put it (the accented title is made up).
def test_quoted_printable_follows_its_charset() -> None:
    data = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:qp-1\r\n"
            b"DTSTART:20030620T220000Z\r\n"
            b"SUMMARY;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:S=E9minaire, salle 2\r\n"
            b"DESCRIPTION;LANGUAGE=en;ENCODING=QUOTED-PRINTABLE:View the status of this "
            b"ACT ID:=0Ahttp://xxxx.xxxx.xxxx.com/public/view_detailed_status.php?act_id=3D"
            b"ACTID&stream=3DSTREAM=0A\r\n"
            b"END:VEVENT\r\nEND:VCALENDAR\r\n")
    [talk] = parse_bytes(data, timezone="UTC", now=datetime(2003, 6, 1, tzinfo=UTC)).talks
    assert talk.title == "Séminaire, salle 2"
    assert talk.abstract == ("View the status of this ACT ID:\nhttp://xxxx.xxxx.xxxx.com/public/"
                             "view_detailed_status.php?act_id=ACTID&stream=STREAM")


# indico/indico@b8f1fde8b8 indico/modules/events/ical.py, generate_basic_component: an
# event's label follows its title in SUMMARY ("title += f' [{label.title}]'", since 291bf9d
# in 2021), and a label may mark an event that 'does not happen (e.g. cancelled or
# postponed)'. Such an event was announced as scheduled, titled '... [Cancelled]'. The
# event is as Indico writes it (DESCRIPTION 'Speakers: Name (Affiliation)', LOCATION
# 'Room (Venue)'); its names are made up.
INDICO = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//CERN//INDICO//EN\r
BEGIN:VEVENT\r
SUMMARY:Dark matter searches with the ATLAS detector [Cancelled]\r
DTSTART:20261210T150000Z\r
DTEND:20261210T160000Z\r
DTSTAMP:20261201T000000Z\r
UID:indico-event-1234567@indico.cern.ch\r
DESCRIPTION:Speakers: Maria Rossi (INFN Milano)\\n\\nWe review recent results.\\n\r
 \\nhttps://indico.cern.ch/event/1234567/\r
LOCATION:4/3-006 - TH Conference Room (CERN)\r
URL:https://indico.cern.ch/event/1234567/\r
END:VEVENT\r
END:VCALENDAR\r
"""
DECEMBER_2026 = datetime(2026, 12, 4, 9, tzinfo=UTC)


def test_a_cancelled_label_after_the_title_cancels_the_talk() -> None:
    for label in ("[Cancelled]", "[POSTPONED]", "(canceled)", "- CANCELLED"):
        data = INDICO.replace(b"[Cancelled]", label.encode())
        [talk] = parse_bytes(data, timezone="Europe/Zurich", now=DECEMBER_2026).talks
        assert talk.status == TALK_CANCELLED, label
        assert talk.title == "Dark matter searches with the ATLAS detector"
        assert talk.speakers == ["Maria Rossi"] and talk.affiliation == "INFN Milano"


def test_a_title_that_ends_in_the_word_is_not_cancelled() -> None:
    for title in (b"Why Some Flights Get Cancelled", b"Tuesday Mornings Postponed",
                  b"Dark matter searches [Invited]"):
        data = INDICO.replace(b"Dark matter searches with the ATLAS detector [Cancelled]", title)
        [talk] = parse_bytes(data, timezone="Europe/Zurich", now=DECEMBER_2026).talks
        assert talk.status == TALK_SCHEDULED and talk.title == title.decode()


# mariobojos/java-playground@4d8c7d2 src/main/java/org/example/calendarparsing/
# CalendarStudent.java: a college's Student Life calendar from Trumba (25Live Publisher).
# Trumba copies the event's custom fields (X-TRUMBA-CUSTOMFIELD;NAME="Event Name", ...) into
# the top of DESCRIPTION as 'Name: value<br>' lines, and this description's own HTML was
# escaped once more ('&lt;p data-key=...&gt;'). Both were kept in the abstract: of the
# calendar's 105 events, 103 abstracts opened with the field copies and 4 showed tags.
# (The escaped paragraphs are cut to two; the slate-fragment attributes are left out.)
TRUMBA = b"""BEGIN:VCALENDAR\r
PRODID:-//Trumba Corporation//Trumba Calendar Services 0.11.21309//EN\r
VERSION:2.0\r
X-WR-CALNAME:Calendar - Student Life\r
X-WR-TIMEZONE:America/Los_Angeles\r
BEGIN:VEVENT\r
SUMMARY:Super Mario Trivia\r
DTSTART;TZID=America/Los_Angeles:20230316T170000\r
DTEND;TZID=America/Los_Angeles:20230316T180000\r
X-TRUMBA-CUSTOMFIELD;NAME="Event Type";ID=12;TYPE=number:Club Activity\r
X-TRUMBA-CUSTOMFIELD;NAME="Event Name";ID=12008;TYPE=SingleLine:Super Ma\r
 rio Trivia\r
X-TRUMBA-CUSTOMFIELD;NAME="Organization";ID=12010;TYPE=SingleLine:CAMPUS\r
  ACTIVITIES BOARD\\, STUDENT LIFE\r
X-TRUMBA-CUSTOMFIELD;NAME="Event Locator";ID=25502;TYPE=SingleLine:2023-\r
 AALDTX\r
DTSTAMP:20230310T112000Z\r
DESCRIPTION:Event Name: Super Mario Trivia<br>Organization: CAMPUS ACTIV\r
 ITIES BOARD\\, STUDENT LIFE<br>Event Locator: 2023-AALDTX<br><br>&lt\\;p d\r
 ata-key=&quot\\;40&quot\\;&gt\\;&lt\\;span data-key=&quot\\;39&quot\\;&gt\\;Wha\r
 t is Mario&#39\\;s favorite type of fabric? Denim\\, denim\\, denim! <br>&l\r
 t\\;p data-key=&quot\\;68&quot\\;&gt\\;&lt\\;span data-key=&quot\\;67&quot\\;&g\r
 t\\;In honor of National Mario Day on March 10\\, Student Life invites you\r
  to Super Mario Trivia! <br>\r
UID:http://uid.trumba.com/event/841952434\r
X-TRUMBA-LINK:https://spscc.edu/student-life?trumbaEmbed=view%3devent%26\r
 eventid%3d841952434\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_trumbas_copies_of_its_custom_fields_and_escaped_markup_leave_the_abstract() -> None:
    [talk] = parse_bytes(TRUMBA, timezone="UTC", now=datetime(2023, 3, 1, tzinfo=UTC)).talks
    assert talk.abstract == ("What is Mario's favorite type of fabric? Denim, denim, denim!"
                             "\n\nIn honor of National Mario Day on March 10, Student Life "
                             "invites you to Super Mario Trivia!")
    assert talk.title == "Super Mario Trivia"
    assert talk.start == utc(2023, 3, 17, 0)  # 17:00 in Los Angeles


def test_trumbas_link_is_the_events_page() -> None:
    [talk] = parse_bytes(TRUMBA, timezone="UTC", now=datetime(2023, 3, 1, tzinfo=UTC)).talks
    assert talk.url == ("https://spscc.edu/student-life?trumbaEmbed=view%3devent%26eventid"
                        "%3d841952434")


def test_a_name_value_line_that_is_no_custom_field_stays() -> None:
    data = TRUMBA.replace(b"Event Locator: 2023-AALDTX", b"Note: bring a friend")
    [talk] = parse_bytes(data, timezone="UTC", now=datetime(2023, 3, 1, tzinfo=UTC)).talks
    assert talk.abstract.startswith("Note: bring a friend\n\nWhat is Mario's")


# ical4j/ical4j@73e8192b1 src/test/resources/samples/valid/incoming.ics (iTIP examples): a
# request '#I1' and its update '#I2. Updates C1' carry the same UID and SEQUENCE 2; the
# update is the one stamped later. RFC 5546 section 2.1.5: with equal SEQUENCE the later
# DTSTAMP wins. In one calendar the first copy was kept, in either order.
ITIP = """BEGIN:VEVENT\r
DTSTAMP:{stamp}\r
DTSTART:{start}\r
DTEND:{end}\r
SUMMARY:{summary}\r
UID:calsrv.example.com-873970198738777@example.com\r
SEQUENCE:2\r
STATUS:CONFIRMED\r
END:VEVENT\r
"""
REQUEST = ITIP.format(stamp="19970611T190000Z", start="19970701T200000Z",
                      end="19970701T200000Z", summary="Conference")
UPDATE = ITIP.format(stamp="19970611T193000Z", start="19970701T190000Z",
                     end="19970701T193000Z", summary="Pool party")


def test_of_two_copies_with_one_sequence_the_later_stamped_wins() -> None:
    for events in (REQUEST + UPDATE, UPDATE + REQUEST):
        data = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{events}END:VCALENDAR\r\n".encode()
        [talk] = parse_bytes(data, timezone="UTC", now=datetime(1997, 6, 20, tzinfo=UTC)).talks
        assert (talk.title, talk.start) == ("Pool party", utc(1997, 7, 1, 19))
