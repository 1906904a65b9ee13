"""jobs.sources.ical: recurrence, time zones and publishers' habits (the limits, broken
calendars and the corpus are in test_ical_limits.py)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import icalendar
import pytest

from bot.models import TALK_CANCELLED, TALK_SCHEDULED, ParseError, ParseResult
from tests.conftest import shared_file
from tests.jobs.sources.ical_helpers import (
    DATA,
    LONDON,
    SERIES_UID,
    by_key,
    calendar,
    parse_bytes,
    read,
    utc,
)

# --- a weekly Europe/London series: DST, EXDATE, moved and cancelled occurrences -------------

def weekly(**window) -> ParseResult:
    return read("weekly_london.ics", days_back=window.get("days_back", 365),
                days_ahead=window.get("days_ahead", 365))


def test_weekly_talk_stays_at_15_local_across_both_dst_changes():
    starts = {t.start for t in weekly().talks}
    assert utc(2026, 3, 26, 15) in starts  # GMT, before 29 March
    assert utc(2026, 4, 2, 14) in starts  # BST after the change
    assert utc(2026, 10, 22, 14) in starts  # BST, before 25 October
    assert utc(2026, 10, 29, 15) in starts  # GMT again
    regular = [t for t in weekly().talks if t.title == "Applied Analysis Seminar"]
    assert {t.start.astimezone(LONDON).strftime("%a %H:%M") for t in regular} == {"Thu 15:00"}
    assert {t.timezone for t in weekly().talks} == {"Europe/London"}


def test_series_occurrences_are_keyed_by_uid_and_original_utc_start():
    result = weekly()
    assert len(result.talks) == 38  # 39 Thursdays from 5 March to 26 November, less one EXDATE
    assert len(by_key(result)) == 38
    first = result.talks[0]
    assert first.key == f"{SERIES_UID}@2026-03-05T15:00:00Z"
    assert first.start == utc(2026, 3, 5, 15) and first.end == utc(2026, 3, 5, 16)
    assert first.series == "Applied Analysis Seminar"
    assert first.location == "Room B21, Huxley Building"
    assert all(t.start.tzinfo is UTC for t in result.talks)
    assert [t.start for t in result.talks] == sorted(t.start for t in result.talks)


def test_exdate_occurrence_vanishes():
    result = weekly()
    assert f"{SERIES_UID}@2026-04-09T14:00:00Z" not in by_key(result)
    assert not [t for t in result.talks if t.start.date() == datetime(2026, 4, 9).date()]


def test_moved_occurrence_keeps_the_key_it_had_before_it_moved():
    data = (DATA / "weekly_london.ics").read_bytes()
    before_move = icalendar.Calendar.from_ical(data)
    before_move.subcomponents = [c for c in before_move.subcomponents
                                 if not str(c.get("SUMMARY", "")).startswith("Free boundaries")]
    key = f"{SERIES_UID}@2026-04-16T14:00:00Z"
    before = by_key(parse_bytes(before_move.to_ical(), days_back=365, days_ahead=365))[key]
    after = by_key(weekly())[key]
    assert before.start == utc(2026, 4, 16, 14)
    assert after.start == utc(2026, 4, 17, 10)  # Friday 11:00 BST
    assert after.end == utc(2026, 4, 17, 11)
    assert after.title == "Free boundaries in thin films"
    assert after.speakers == ["Amara Okafor"] and after.affiliation == "University of Leeds"
    assert after.abstract.startswith("Moved to Friday morning")
    assert "We study thin liquid films" in after.abstract


def test_moved_occurrence_without_dtend_lasts_as_long_as_its_series():
    # Google Calendar's override shape in rie-issue_62_moved_event.ics: RECURRENCE-ID and a
    # new DTSTART, no DTEND; here the series' event lasts an hour.
    data = calendar(
        "UID:g@google.com\nDTSTART;TZID=Europe/London:20260506T150000\n"
        "DTEND;TZID=Europe/London:20260506T160000\nRRULE:FREQ=WEEKLY;COUNT=3\nSUMMARY:Seminar",
        "UID:g@google.com\nRECURRENCE-ID;TZID=Europe/London:20260513T150000\n"
        "DTSTART;TZID=Europe/London:20260514T110000\nSEQUENCE:1\nSUMMARY:Seminar (moved)")
    moved = by_key(parse_bytes(data))["g@google.com@2026-05-13T14:00:00Z"]
    assert (moved.start, moved.end) == (utc(2026, 5, 14, 10), utc(2026, 5, 14, 11))
    allday = calendar(
        "UID:d@x\nDTSTART;VALUE=DATE:20260506\nRRULE:FREQ=WEEKLY;COUNT=2\nSUMMARY:Retreat",
        "UID:d@x\nRECURRENCE-ID;VALUE=DATE:20260513\nDTSTART:20260514T090000Z\nSUMMARY:Talk")
    assert by_key(parse_bytes(allday))["d@x@2026-05-12T23:00:00Z"].end is None  # no mixing


def test_moved_occurrence_of_the_real_google_calendar_keeps_an_end():
    data = shared_file("corpus", "realworld", "ical", "rie-issue_62_moved_event.ics")
    talks = parse_bytes(data.read_bytes(), now=datetime(2021, 11, 20, tzinfo=UTC)).talks
    assert [t.start.date().isoformat() for t in talks] == [
        "2021-11-26", "2021-12-17", "2022-01-28", "2022-02-25", "2022-03-25", "2022-04-29"]
    # DTEND = DTSTART in the series, so the moved occurrence ends as it starts, like the rest.
    assert all(t.end == t.start for t in talks)


def test_cancelled_override_is_kept_with_cancelled_status():
    talks = by_key(weekly())
    cancelled = talks[f"{SERIES_UID}@2026-05-07T14:00:00Z"]
    assert cancelled.status == TALK_CANCELLED
    assert cancelled.start == utc(2026, 5, 7, 14)
    assert [t for t in talks.values() if t.status == TALK_CANCELLED] == [cancelled]


def test_range_thisandfuture_moves_later_occurrences_but_not_their_keys():
    talks = read("thisandfuture.ics").talks
    keys = [t.key.rsplit("@", 1)[1] for t in talks]
    assert keys == [f"2026-{d}T10:00:00Z" for d in
                    ("05-05", "05-12", "05-19", "05-26", "06-02", "06-09")]
    assert [t.start.hour for t in talks] == [10, 10, 11, 11, 11, 11]
    assert talks[-1].title == "Journal club (new time)"


def test_dtstamp_alone_changes_nothing():
    for path in sorted(DATA.glob("*.ics")):
        data = path.read_bytes()
        restamped = re.sub(rb"DTSTAMP(;VALUE=DATE-TIME)?:\d{8}T\d{6}Z",
                           b"DTSTAMP:20270102T030405Z", data)
        assert restamped != data, path.name
        options = {"days_back": 365, "days_ahead": 365}
        assert parse_bytes(restamped, **options) == parse_bytes(data, **options), path.name


# --- time zones --------------------------------------------------------------------------------

def test_floating_and_all_day_times_are_in_the_source_zone():
    talks = {t.key.split("@")[0]: t for t in read("floating_allday.ics",
                                                  timezone="America/New_York").talks}
    reading = talks["reading-group-0610"]
    assert reading.start == utc(2026, 6, 10, 20) and reading.timezone == "America/New_York"
    workshop = talks["ot-workshop-2026"]
    assert workshop.all_day and workshop.start == utc(2026, 6, 12, 4)
    assert workshop.end == utc(2026, 6, 13, 4)
    assert workshop.key == "ot-workshop-2026@lab.example.org"  # one-off: UID alone


def test_x_wr_timezone_takes_precedence_over_the_source_zone():
    data = (DATA / "floating_allday.ics").read_bytes().replace(
        b"VERSION:2.0\n", b"VERSION:2.0\nX-WR-TIMEZONE:Asia/Shanghai\n")
    talks = {t.key.split("@")[0]: t for t in parse_bytes(data, timezone="America/New_York").talks}
    assert talks["reading-group-0610"].start == utc(2026, 6, 10, 8)
    assert talks["reading-group-0610"].timezone == "Asia/Shanghai"
    assert talks["ot-workshop-2026"].start == utc(2026, 6, 11, 16)
    assert talks["open-ended"].start == utc(2026, 6, 15, 14)  # UTC stays the same instant


def test_tzid_zone_is_the_talk_zone_and_duration_gives_the_end():
    talks = {t.key.split("@")[0]: t for t in read("floating_allday.ics",
                                                  timezone="Asia/Tokyo").talks}
    rehearsal = talks["duration-talk"]
    assert rehearsal.timezone == "America/New_York"
    assert rehearsal.start == utc(2026, 6, 11, 14) and rehearsal.end == utc(2026, 6, 11, 15, 30)
    assert rehearsal.speakers == ["Sam Lee"]
    assert rehearsal.abstract == "Room 3-370. Everyone welcome."
    assert talks["open-ended"].end is None and talks["open-ended"].timezone == "Asia/Tokyo"


OUTLOOK_LONDON = """
BEGIN:VTIMEZONE
TZID:GMT Standard Time
BEGIN:STANDARD
DTSTART:16010101T020000
TZOFFSETFROM:+0100
TZOFFSETTO:+0000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T010000
TZOFFSETFROM:+0000
TZOFFSETTO:+0100
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE
"""


def test_windows_tzid_is_reported_as_its_iana_zone():
    data = calendar("UID:w@x\nDTSTART;TZID=GMT Standard Time:20260512T150000\nSUMMARY:Talk",
                    head=OUTLOOK_LONDON)
    [talk] = parse_bytes(data, timezone="Asia/Tokyo").talks
    assert talk.start == utc(2026, 5, 12, 14)
    assert talk.timezone == "Europe/London"


def test_quoted_windows_tzid_without_vtimezone_is_still_its_zone():
    # Outlook quotes the name (hupple-combinatorics-outlook.ics); a calendar cut from such
    # an export may lose its VTIMEZONE.
    data = calendar('UID:c@x\nDTSTART;TZID="China Standard Time":20201026T220000\n'
                    'DTEND;TZID="China Standard Time":20201026T230000\nSUMMARY:Talk')
    [talk] = parse_bytes(data, now=utc(2020, 10, 20)).talks
    assert (talk.start, talk.end) == (utc(2020, 10, 26, 14), utc(2020, 10, 26, 15))
    assert talk.timezone == "Asia/Shanghai"


def test_unknown_x_wr_timezone_falls_back_with_a_warning():
    data = calendar("UID:a@x\nDTSTART:20260512T150000\nSUMMARY:Talk",
                    head="X-WR-TIMEZONE:Mars/Olympus_Mons")
    result = parse_bytes(data, timezone="Europe/Paris")
    assert result.talks[0].start == utc(2026, 5, 12, 13)
    assert any("Mars/Olympus_Mons" in w for w in result.warnings)


def test_unknown_source_zone_and_naive_now_are_refused():
    with pytest.raises(ParseError, match="unknown time zone"):
        parse_bytes(calendar(), timezone="Nowhere/Special")
    with pytest.raises(ValueError, match="naive"):
        parse_bytes(calendar(), now=datetime(2026, 5, 1))


# --- publishers' habits ----------------------------------------------------------------------

def test_researchseminars_speaker_in_summary_title_in_description():
    talks = by_key(read("researchseminars.ics"))
    first = talks["geodyn/41"]
    assert first.title == "Spectral gaps of random hyperbolic surfaces"
    assert first.speakers == ["Ana Quiroga"] and first.affiliation == "Universidad de Chile"
    assert first.series == "Geometry and Dynamics Online Seminar"
    assert first.meeting_url.startswith("https://us02web.zoom.us/j/81234567890?pwd=")
    assert first.url is None  # researchseminars.org puts the livestream in URL
    assert first.abstract.startswith("We show that a random hyperbolic surface")
    assert first.abstract.endswith("joint work with R. Lindqvist.")
    assert "Password hint" not in first.abstract and "Title:" not in first.abstract
    assert first.timezone == "Europe/London"  # UTC times: the source's zone is for display


def test_researchseminars_two_speakers_stream_room_and_tba():
    talks = by_key(read("researchseminars.ics"))
    pair = talks["geodyn/42"]
    assert pair.speakers == ["Kenji Watanabe", "Lena Fischer"]
    assert pair.affiliation == "University of Tokyo; University of California, Berkeley"
    assert pair.livestream_url == "https://www.youtube.com/watch?v=Xq3vK9dLp0A"
    assert pair.meeting_url is None and pair.location == "Room 2.14"
    assert pair.abstract.startswith("Anosov representations generalise")
    assert pair.abstract.endswith("Coffee will be served after the talk.")
    tba = talks["geodyn/43"]
    assert tba.title == "TBA" and tba.speakers == ["Marta Ruiz"] and tba.abstract is None


def test_indico_speakers_line_and_trailing_url():
    talks = by_key(read("indico.ics"))
    one = talks["indico-event-15243@indico.example.org"]
    assert one.title == "Learning symmetries from data"
    assert one.speakers == ["Priya Raman"] and one.affiliation == "ETH Zürich"
    assert one.location == "4-3-006 (Main Building)"
    assert one.url == "https://indico.example.org/event/15243/"
    assert one.abstract.startswith("Equivariant networks") and "https://" not in one.abstract
    many = talks["indico-event-15250@indico.example.org"]
    assert many.speakers == ["Tomás Herrera", "Julia Novák", "Wei Zhang"]
    assert many.affiliation == "CERN; Jožef Stefan Institute"
    assert many.meeting_url == "https://cern.zoom.us/j/61234567890?pwd=dGhpcyBpcyBub3QgcmVhbA.1"
    assert (many.meeting_id, many.meeting_password) == ("612 3456 7890", "421337")
    workshop = talks["indico-event-15101@indico.example.org"]
    assert workshop.speakers == [] and workshop.end == utc(2026, 6, 3, 15, 30)


def test_generic_feed_html_description_and_conference_link():
    data = calendar(
        "UID:g@x\nDTSTART:20260512T150000Z\nSUMMARY:Colloquium\nCATEGORIES:Colloquium\n"
        "DESCRIPTION:<b>Speaker:</b> Jane Doe (MIT)<br><br>Robust estimation &amp; "
        "friends.<br>Slides: <a href=\"https://example.org/s.pdf\">here</a>\n"
        "CONFERENCE;VALUE=URI;FEATURE=VIDEO:https://teams.microsoft.com/l/meetup-join/19%3a1")
    [talk] = parse_bytes(data).talks
    assert talk.speakers == ["Jane Doe"] and talk.affiliation == "MIT"
    assert talk.title == "Colloquium" and talk.series == "Colloquium"
    assert talk.abstract == "Robust estimation & friends.\nSlides: here (https://example.org/s.pdf)"
    assert talk.meeting_url == "https://teams.microsoft.com/l/meetup-join/19%3a1"


def test_cancelled_status_or_title_prefix():
    data = calendar("UID:a@x\nDTSTART:20260512T150000Z\nSUMMARY:CANCELLED: Colloquium",
                    "UID:b@x\nDTSTART:20260513T150000Z\nSUMMARY:Colloquium\nSTATUS:CANCELLED",
                    "UID:c@x\nDTSTART:20260514T150000Z\nSUMMARY:Cancelled talks and why")
    talks = parse_bytes(data).talks
    assert [t.status for t in talks] == [TALK_CANCELLED, TALK_CANCELLED, TALK_SCHEDULED]
    assert talks[0].title == "Colloquium" and talks[2].title == "Cancelled talks and why"
