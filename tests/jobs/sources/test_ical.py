"""jobs.sources.ical: time zones, recurrence, publishers' habits, broken calendars, the corpus."""

from __future__ import annotations

import re
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from bot.models import TALK_CANCELLED, TALK_SCHEDULED, ParseError, ParseResult, Talk
from jobs.sources import ical, icalguard
from jobs.sources.ical_fields import people

DATA = Path(__file__).resolve().parents[2] / "data" / "ical"
CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus" / "ics"
NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
LONDON = ZoneInfo("Europe/London")
SERIES_UID = "5k2q8v0c3h1m7n4p6r9t@google.com"


def read(name: str, **options) -> ParseResult:
    return parse_bytes((DATA / name).read_bytes(), **options)


def parse_bytes(data: bytes, *, timezone: str = "Europe/London", now: datetime = NOW,
                **window) -> ParseResult:
    return ical.parse(data, "test-source", timezone=timezone, now=now, **window)


def by_key(result: ParseResult) -> dict[str, Talk]:
    return {talk.key: talk for talk in result.talks}


def calendar(*events: str, head: str = "") -> bytes:
    """A small VCALENDAR around VEVENT bodies given as lines."""
    parts = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//lectern tests//EN",
             *head.strip().splitlines()]
    for event in events:
        parts += ["BEGIN:VEVENT", "DTSTAMP:20260501T000000Z", *event.strip().splitlines(),
                  "END:VEVENT"]
    return ("\r\n".join([*parts, "END:VCALENDAR"]) + "\r\n").encode()


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


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


# --- the window --------------------------------------------------------------------------------

def test_default_window_is_30_days_back_and_180_ahead():
    keys = {t.key.split("@")[0] for t in read("window.ics").talks}
    assert "29-days-back" in keys and "179-days-ahead" in keys
    assert "31-days-back" not in keys and "181-days-ahead" not in keys


def test_endless_rule_is_expanded_only_inside_the_window():
    talks = [t for t in read("window.ics").talks if t.title == "Group meeting"]
    mondays = [NOW.date() + timedelta(days=d) for d in range(-30, 181)]
    assert len(talks) == sum(1 for day in mondays if day.weekday() == 0)
    assert all(NOW - timedelta(days=30) <= t.start <= NOW + timedelta(days=180) for t in talks)
    assert {t.start.astimezone(ZoneInfo("Europe/Berlin")).hour for t in talks} == {10}
    assert talks[0].timezone == "Europe/Berlin" and talks[0].series == "Window test"


def test_occurrences_per_event_are_capped_with_a_warning():
    data = calendar("UID:daily@x\nDTSTART:20190101T090000Z\nRRULE:FREQ=DAILY\nSUMMARY:Daily")
    result = parse_bytes(data, days_back=36500, days_ahead=36500)
    assert len(result.talks) == ical.MAX_OCCURRENCES
    assert any("'daily@x'" in w and "occurrences" in w for w in result.warnings)


def test_rules_more_frequent_than_daily_are_refused():
    data = calendar("UID:m@x\nDTSTART:20260101T000000Z\nRRULE:FREQ=MINUTELY\nSUMMARY:Tick",
                    "UID:h@x\nDTSTART:19000101T000000Z\nRRULE:FREQ=HOURLY\nSUMMARY:Hourly",
                    "UID:ok@x\nDTSTART:20260512T150000Z\nSUMMARY:Talk")
    started = time.process_time()
    result = parse_bytes(data)
    assert time.process_time() - started < 1.0  # an hourly rule from 1900 took 41 s
    assert [t.title for t in result.talks] == ["Talk"]
    for uid in ("m@x", "h@x"):
        assert any(f"'{uid}' skipped" in w and "more often than daily" in w
                   for w in result.warnings)


def test_old_daily_and_weekly_rules_are_brought_forward_unchanged():
    """A rule from 1900 costs what one from last month does, and keeps every occurrence
    where it was: the weekday and wall time across DST, the fortnight's parity, an EXDATE
    and a moved occurrence (RECURRENCE-ID) in the window."""
    rule = ("UID:w@x\nDTSTART;TZID=Europe/Berlin:19000101T100000\n"
            "DTEND;TZID=Europe/Berlin:19000101T110000\n"
            "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO\nSUMMARY:Fortnightly\n"
            "EXDATE;TZID=Europe/Berlin:20260615T100000")
    moved = ("UID:w@x\nRECURRENCE-ID;TZID=Europe/Berlin:20260629T100000\n"
             "DTSTART;TZID=Europe/Berlin:20260630T140000\n"
             "DTEND;TZID=Europe/Berlin:20260630T150000\nSUMMARY:Fortnightly, moved")
    daily = [f"UID:d{n}@x\nDTSTART:19000101T0{n % 10}0000Z\nRRULE:FREQ=DAILY;INTERVAL=3\n"
             f"SUMMARY:Daily {n}" for n in range(20)]
    started = time.process_time()
    talks = parse_bytes(calendar(rule, moved, *daily)).talks
    assert time.process_time() - started < 1.0  # twenty daily rules from 1900 took 5 s
    berlin = ZoneInfo("Europe/Berlin")
    fortnightly = sorted(t.start.astimezone(berlin) for t in talks if t.key.startswith("w@"))
    on_rule = [s for s in fortnightly if s != datetime(2026, 6, 30, 14, tzinfo=berlin)]
    assert len(on_rule) == len(fortnightly) - 1  # the moved one, where it was moved to
    assert all((s.date() - date(1900, 1, 1)).days % 14 == 0 for s in on_rule)
    assert {(s.weekday(), s.hour) for s in on_rule} == {(0, 10)}  # summer and winter
    assert datetime(2026, 6, 1, 10, tzinfo=berlin) in on_rule
    assert datetime(2026, 6, 15, 10, tzinfo=berlin) not in on_rule  # the EXDATE
    days = sorted(t.start for t in talks if t.key.startswith("d0@"))
    assert all((d.date() - date(1900, 1, 1)).days % 3 == 0 and d.hour == 0 for d in days)


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


def test_people_keep_commas_and_parentheses_inside_affiliations():
    assert people("A. Bé (Univ. of X, Paris (IMJ)), C. Dee & E. Eff (ETH)") == [
        ("A. Bé", "Univ. of X, Paris (IMJ)"), ("C. Dee", None), ("E. Eff", "ETH")]
    assert people("A, B, and C") == [("A", None), ("B", None), ("C", None)]
    assert people("TBA") == []


# --- broken calendars and broken events ------------------------------------------------------

def test_a_broken_event_is_skipped_with_a_warning_naming_its_uid():
    result = read("broken_events.ics")
    assert [t.title for t in result.talks] == ["A talk that is fine"]
    for uid in ("bad-rrule@lab.example.org", "no-start@lab.example.org",
                "bad-start@lab.example.org"):
        assert any(f"event '{uid}' skipped" in w for w in result.warnings), uid
    assert any("UNTL" in w for w in result.warnings)
    assert any("missing DTSTART" in w for w in result.warnings)


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b"  \r\n", "empty"),
    (b"<!DOCTYPE html><html><body>Please log in</body></html>", "not iCalendar data"),
    (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20260512T150000Z\r\n", "cut short"),
    (b"BEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\n", "no complete VCALENDAR"),
    (b"BEGIN:VCALENDAR\r\nthis line has no colon\r\nEND:VCALENDAR\r\n", "could not be parsed"),
    (b"BEGIN:VCALENDAR\r\nCALSCALE:ETHIOPIC\r\nEND:VCALENDAR\r\n", "Gregorian"),
])
def test_a_broken_calendar_is_a_parse_error(data, reason):
    with pytest.raises(ParseError, match="^cannot read the calendar: .*" + reason):
        parse_bytes(data)


def test_missing_uid_gets_a_stable_key():
    event = "DTSTART:20260512T150000Z\nSUMMARY:No UID here"
    first = parse_bytes(calendar(event)).talks[0]
    again = parse_bytes(calendar(event).replace(b"20260501T000000Z", b"20260502T000000Z"))
    assert first.key.startswith("no-uid-") and again.talks[0].key == first.key


def test_windows_1252_bytes_are_read_with_a_warning():
    data = calendar("UID:a@x\nDTSTART:20260512T150000Z\nSUMMARY:Séminaire").replace(
        "é".encode(), b"\xe9")
    result = parse_bytes(data)
    assert result.talks[0].title == "Séminaire"
    assert any("Windows-1252" in w for w in result.warnings)


def test_every_vcalendar_of_a_document_is_read():
    one = calendar("UID:a@x\nDTSTART:20260512T150000Z\nSUMMARY:One")
    two = calendar("UID:b@x\nDTSTART:20260513T150000Z\nSUMMARY:Two")
    assert [t.title for t in parse_bytes(one + two).talks] == ["One", "Two"]


# --- calendars bigger than one poll may read (jobs.sources.icalguard) ------------------------

def one_offs(count: int) -> list[str]:
    return [f"UID:t{n}@x\nDTSTART:20260512T150000Z\nSUMMARY:Talk {n}" for n in range(count)]


def test_a_calendar_of_too_many_events_is_refused_before_parsing(monkeypatch):
    huge = calendar(*one_offs(40_000))  # icalendar alone would take about 15 s on it
    started = time.process_time()
    with pytest.raises(ParseError, match=r"^cannot read the calendar: it has 40000 events, "
                       r"more than the 10000 lectern reads in one calendar; export a narrower "
                       r"date range, or subscribe to one feed per series$"):
        parse_bytes(huge)
    assert time.process_time() - started < 1.0
    monkeypatch.setattr(icalguard, "MAX_EVENTS", 20)
    assert len(parse_bytes(calendar(*one_offs(20))).talks) == 20  # the limit itself is read
    with pytest.raises(ParseError, match="it has 21 events, more than the 20 "):
        parse_bytes(calendar(*one_offs(21)))


def test_folded_and_oddly_spelt_events_are_counted(monkeypatch):
    odd = [b"begin:vevent", b"BEGIN;X-A=1:VEVENT", b"BEGIN:VEV\r\n\r\n\tENT"]
    data = calendar(*one_offs(4))
    for spelling in odd:
        data = data.replace(b"BEGIN:VEVENT\r\nDTSTAMP", spelling + b"\r\nDTSTAMP", 1)
    assert len(parse_bytes(data).talks) == 4  # icalendar reads all four as events
    monkeypatch.setattr(icalguard, "MAX_EVENTS", 3)
    with pytest.raises(ParseError, match="it has 4 events, more than the 3 "):
        parse_bytes(data)


def test_a_calendar_of_too_many_lines_is_refused_but_folds_are_free():
    padded = calendar("UID:a@x\nDTSTART:20260512T150000Z\n"
                      + "\n".join(f"X-PAD:{n}" for n in range(icalguard.MAX_LINES)))
    with pytest.raises(ParseError, match=rf"it has {icalguard.MAX_LINES + 9} lines, more than "
                       rf"the {icalguard.MAX_LINES} "):
        parse_bytes(padded)
    folded = "DESCRIPTION:" + "\n ".join(["word"] * 20_000)  # RFC 5545 folds at 75 octets
    talk = parse_bytes(calendar("UID:a@x\nDTSTART:20260512T150000Z\n" + folded)).talks[0]
    assert talk.abstract == "word" * 20_000


def test_more_talks_in_the_window_than_the_limit_refuse_the_whole_calendar():
    daily = [f"UID:d{n}@x\nDTSTART:20260502T0{n}0000Z\nRRULE:FREQ=DAILY;COUNT=100"
             for n in range(4)]
    assert len(parse_bytes(calendar(*daily[:3]), max_talks=300).talks) == 300
    with pytest.raises(ParseError, match=r"it has 400 or more talks in the window, more "
                       r"than the 300 lectern reads from one calendar; export a narrower"):
        parse_bytes(calendar(*daily), max_talks=300)
    assert len(parse_bytes(calendar(*daily), max_talks=400).talks) == 400


# --- the real-world corpus (../shared/corpus/ics) ----------------------------------------------

CORPUS_FILES = sorted(CORPUS.glob("*.ics")) if CORPUS.is_dir() else []
CORPUS_NOW = datetime(2019, 3, 1, tzinfo=UTC)
# Two centuries ask for more talks than a poll's window may hold: up to 12,689 here.
WIDE = {"days_back": 36500, "days_ahead": 36500, "max_talks": 20_000}


def _parse_corpus_file(path: Path, **window) -> ParseResult | ParseError:
    try:
        return ical.parse(path.read_bytes(), path.name, timezone="Europe/Berlin", now=CORPUS_NOW,
                          **window)
    except ParseError as error:
        return error


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS_FILES, reason=f"the shared corpus is absent ({CORPUS})")
@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_corpus_calendar_parses_or_fails_clearly(path):
    for window in ({}, WIDE):
        outcome = _parse_corpus_file(path, **window)
        if isinstance(outcome, ParseError):
            assert str(outcome).startswith("cannot read the calendar: ")
            continue
        talks = outcome.talks
        assert len({t.key for t in talks}) == len(talks)
        back = timedelta(days=window.get("days_back", 30))
        ahead = timedelta(days=window.get("days_ahead", 180))
        for talk in talks:
            assert talk.start.tzinfo is UTC and (talk.end is None or talk.end.tzinfo is UTC)
            assert CORPUS_NOW - back <= talk.start <= CORPUS_NOW + ahead
            assert talk.title and talk.timezone


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS_FILES, reason=f"the shared corpus is absent ({CORPUS})")
def test_whole_corpus_parses_in_seconds():
    began = time.perf_counter()
    outcomes = [_parse_corpus_file(path) for path in CORPUS_FILES]
    elapsed = time.perf_counter() - began
    talks = sum(len(o.talks) for o in outcomes if isinstance(o, ParseResult))
    assert len(CORPUS_FILES) >= 90 and talks > 0
    assert elapsed < 60, f"{len(CORPUS_FILES)} calendars took {elapsed:.1f} s"
