"""jobs.sources.ical and icalguard against what a poll must survive: broken calendars and
events, the window, and calendars too big or too busy for one poll; and the real-world
corpus (../shared/corpus/ics)."""

from __future__ import annotations

import re
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.models import ParseError, ParseResult
from jobs.sources import ical, icalguard
from tests.conftest import shared_file
from tests.jobs.sources.ical_helpers import CORPUS, NOW, calendar, parse_bytes, read

# --- the window --------------------------------------------------------------------------------

def test_default_window_is_30_days_back_and_180_ahead_for_recurrences():
    result = read("window.ics")
    keys = {t.key.split("@")[0] for t in result.talks}
    assert "29-days-back" in keys and "179-days-ahead" in keys
    assert "31-days-back" not in keys
    meetings = [t.start for t in result.talks if t.title == "Group meeting"]
    assert max(meetings) <= NOW + timedelta(days=180) < max(meetings) + timedelta(days=7)
    assert result.warnings == []  # the past and the rest of a rule are nothing left out


def test_one_off_events_are_read_two_years_ahead_and_later_ones_are_warned_of():
    """emory-seminars.ics announces one-off talks 13 months ahead; the 180-day window is
    for expanding rules, which a later poll reads further, not for dropping talks."""
    def one_off(uid: str, days: int) -> str:
        start = (NOW + timedelta(days=days)).strftime("%Y%m%dT%H%M%SZ")
        return f"UID:{uid}\nDTSTART:{start}\nSUMMARY:{uid}"

    result = parse_bytes(calendar(one_off("181-days-ahead", 181), one_off("729", 729),
                                  one_off("731", 731), one_off("900", 900)))
    assert [t.key for t in result.talks] == ["181-days-ahead", "729"]
    assert result.covers == (NOW - timedelta(days=30), NOW + timedelta(days=730))
    [warning] = result.warnings
    assert warning.startswith("2 one-off events more than 730 days ahead (the first on "
                              f"{(NOW + timedelta(days=731)).date().isoformat()})")
    wider = parse_bytes(calendar(one_off("900", 900)), one_off_days_ahead=1000)
    assert [t.key for t in wider.talks] == ["900"] and wider.warnings == []


def test_the_emory_aggregate_keeps_every_announced_talk():
    data = shared_file("corpus", "realworld", "ical", "emory-seminars.ics").read_bytes()
    result = parse_bytes(data, timezone="UTC", now=datetime(2026, 8, 22, tzinfo=UTC))
    assert len(result.talks) == 103 and result.warnings == []
    last = result.talks[-1]
    assert (last.start, last.end) == (datetime(2027, 9, 23, 20, tzinfo=UTC),
                                      datetime(2027, 9, 23, 21, tzinfo=UTC))
    early = parse_bytes(data, timezone="UTC", now=datetime(2025, 8, 22, tzinfo=UTC))
    assert len(early.talks) == 101  # 2027-08-26 and 2027-09-23 are beyond 2027-08-22
    assert early.warnings[0].startswith("2 one-off events more than 730 days ahead")


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


@pytest.mark.parametrize(("rule", "says"), [
    # Found by an attack: 616 bytes took 31 s and 1 GB and stored 1,000 "talks".
    ("DTSTART:20261201T000000Z\nRRULE:FREQ=DAILY;BYHOUR=" + ",".join(map(str, range(24)))
     + ";BYMINUTE=" + ",".join(map(str, range(60))), "more often than daily"),
    ("DTSTART:20261201T000000Z\nRRULE:FREQ=WEEKLY;BYDAY=MO;BYSECOND=1,2", "more often than"),
    # A yearly rule from 1900 with lists of months and days: 71 s and 3 GB.
    ("DTSTART:19000101T100000Z\nRRULE:FREQ=YEARLY;BYMONTH=" + ",".join(map(str, range(1, 13)))
     + ";BYMONTHDAY=" + ",".join(map(str, range(1, 32))), "occurrences before today"),
    ("DTSTART:19000101T100000Z\nRRULE:FREQ=MONTHLY;BYMONTHDAY=" + ",".join(
        map(str, range(1, 32))), "occurrences before today"),
    # A COUNT rule: 77 s.
    ("DTSTART:19000101T100000Z\nRRULE:FREQ=DAILY;COUNT=100000000", "100000000 occurrences"),
])
def test_rules_that_are_no_series_or_cost_minutes_are_refused_per_event(rule, says):
    data = calendar(f"UID:h@x\n{rule}\nSUMMARY:Hostile",
                    "UID:ok@x\nDTSTART:20260512T150000Z\nSUMMARY:Talk")
    started = time.process_time()
    result = parse_bytes(data)
    assert time.process_time() - started < 1.0
    assert [t.title for t in result.talks] == ["Talk"]
    assert any("'h@x' skipped" in w and says in w for w in result.warnings), result.warnings


def test_a_long_weekly_series_with_a_count_still_reads():
    data = calendar("UID:w@x\nDTSTART:19900104T150000Z\nRRULE:FREQ=WEEKLY;COUNT=2000\n"
                    "SUMMARY:Colloquium")
    assert any(t.title == "Colloquium" for t in parse_bytes(data).talks)


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
    assert days and all((d.date() - date(1900, 1, 1)).days % 3 == 0 and d.hour == 0
                        for d in days)


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
OCCURRENCE_KEY = re.compile(r"@\d{4}-\d\d-\d\dT[\d:]+Z$")  # UID@original start: a rule's


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
            one_off = not OCCURRENCE_KEY.search(talk.key)
            stop = max(ahead, timedelta(days=ical.ONE_OFF_DAYS_AHEAD)) if one_off else ahead
            assert CORPUS_NOW - back <= talk.start <= CORPUS_NOW + stop
            assert talk.title and talk.timezone


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS_FILES, reason=f"the shared corpus is absent ({CORPUS})")
def test_whole_corpus_parses_in_seconds():
    began = time.perf_counter()
    outcomes = [_parse_corpus_file(path) for path in CORPUS_FILES]
    elapsed = time.perf_counter() - began
    talks = sum(len(o.talks) for o in outcomes if isinstance(o, ParseResult))
    assert len(CORPUS_FILES) >= 90 and talks > 0
    assert [o for o in outcomes if isinstance(o, ParseError)] == []
    assert elapsed < 60, f"{len(CORPUS_FILES)} calendars took {elapsed:.1f} s"
