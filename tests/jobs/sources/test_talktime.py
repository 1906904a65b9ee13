"""talktime: parse_when on typical phrases, the page reader's API, robustness and speed."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from time import perf_counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jobs.sources.talktime import (
    When,
    has_clock,
    has_date,
    month_first,
    parse_when,
    read_clock,
    read_date,
)

NOW = datetime(2023, 8, 1, 12, 0, tzinfo=UTC)
SH = "Asia/Shanghai"  # UTC+8 all year


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(("text", "start", "end"), [
    ("2021-11-27   9:30-11:30", "2021-11-27 01:30", "2021-11-27 03:30"),
    ("2021-11-27 \u00a0 9:30-11:30", "2021-11-27 01:30", "2021-11-27 03:30"),
    ("2021-5-22,9:30-11:30", "2021-05-22 01:30", "2021-05-22 03:30"),
    ("2020-11-15, 10:00 - 12:00", "2020-11-15 02:00", "2020-11-15 04:00"),
    ("2023年8月25日 15:30-17:00", "2023-08-25 07:30", "2023-08-25 09:00"),
    ("2023年8月25日（星期五）15：30－17：00", "2023-08-25 07:30", "2023-08-25 09:00"),
    ("2023年8月25日（周五）下午3:00-4:30", "2023-08-25 07:00", "2023-08-25 08:30"),
    ("2023年8月25日 下午3点-4点半", "2023-08-25 07:00", "2023-08-25 08:30"),
    ("2023/08/25 14:00~15:30", "2023-08-25 06:00", "2023-08-25 07:30"),
    ("2023.8.25 14:00至15:30", "2023-08-25 06:00", "2023-08-25 07:30"),
    ("25 August 2023, 10:00 to 11:00", "2023-08-25 02:00", "2023-08-25 03:00"),
    ("2023-08-25 15:00 (UTC+1)", "2023-08-25 14:00", None),
])
def test_common_formats_in_shanghai(text, start, end):
    when = parse_when(text, SH, now=NOW)
    assert when is not None
    assert when.start == utc(start)
    assert when.end == (utc(end) if end else None)
    assert not when.all_day


@pytest.mark.parametrize(("text", "start", "end"), [
    # Twelve-hour clocks with "p.m." and en/em dashes (New York: EDT in August).
    ("Friday, Aug. 25, 2023 3:30 p.m. — 5:00 p.m.", "2023-08-25 19:30", "2023-08-25 21:00"),
    ("Friday, Aug. 25, 2023, 3:30 p.m. – 5:00 p.m.", "2023-08-25 19:30", "2023-08-25 21:00"),
    ("August 25, 2023 3:30–5:00 pm", "2023-08-25 19:30", "2023-08-25 21:00"),
    ("Aug 25 2023, 11 a.m. - 12:30 p.m.", "2023-08-25 15:00", "2023-08-25 16:30"),
    ("Sept. 8, 2023, 12 p.m.-1 p.m.", "2023-09-08 16:00", "2023-09-08 17:00"),
    ("Aug 25, 2023, 11:00-1:00 pm", "2023-08-25 15:00", "2023-08-25 17:00"),
    # Winter: EST is UTC-5.
    ("Dec. 1, 2023, 4 PM", "2023-12-01 21:00", None),
    # No meridiem at all: 3:30 is an afternoon talk, 11:30-1:00 ends after noon.
    ("2023-08-25 3:30-5:00", "2023-08-25 19:30", "2023-08-25 21:00"),
    ("2023-08-25 11:30-1:00", "2023-08-25 15:30", "2023-08-25 17:00"),
    # Running past midnight.
    ("2023-08-25 22:00-1:00", "2023-08-26 02:00", "2023-08-26 05:00"),
])
def test_twelve_hour_clocks_in_new_york(text, start, end):
    when = parse_when(text, "America/New_York", now=NOW)
    assert when is not None
    assert (when.start, when.end) == (utc(start), utc(end) if end else None)


def test_missing_end_time_gives_end_none():
    when = parse_when("2021-11-27 9:30", SH)
    assert when is not None and when.end is None
    assert when.start == utc("2021-11-27 01:30")


def test_date_only_is_an_all_day_talk_from_local_midnight():
    when = parse_when("2023年8月25日", SH)
    assert when is not None and when.all_day and when.end is None
    assert when.start == utc("2023-08-24 16:00")


@pytest.mark.parametrize(("text", "now", "start"), [
    ("8月25日 15:30", NOW, "2023-08-25 07:30"),
    ("Aug. 25, 3:30 p.m.", NOW, "2023-08-25 07:30"),
    # Near the turn of the year the nearer year wins, forwards or backwards.
    ("Jan 5, 10:00", datetime(2023, 12, 20, tzinfo=UTC), "2024-01-05 02:00"),
    ("12月28日 10:00", datetime(2024, 1, 3, tzinfo=UTC), "2023-12-28 02:00"),
])
def test_date_without_year_takes_the_year_nearest_to_now(text, now, start):
    when = parse_when(text, SH, now=now)
    assert when is not None and when.start == utc(start)


@pytest.mark.parametrize("text", [
    "TBA", "待定", "15:30-17:00", "2023-02-30 10:00", "Room 1114", "",
])
def test_unreadable_phrases_give_none(text):
    assert parse_when(text, SH, now=NOW) is None


def test_date_without_year_and_without_now_is_unreadable():
    assert parse_when("Aug. 25, 3:30 p.m.", SH) is None


def test_unknown_zone_is_a_value_error():
    with pytest.raises(ValueError, match="time zone"):
        parse_when("2023-08-25 10:00", "Nowhere/City")


# --- The API the page reader calls: read_date, read_clock, has_date, has_clock. ---

def test_read_date_completes_the_year_from_today_and_needs_today_to_do_so():
    assert read_date("Sept. 15th", today=date(2023, 8, 1)) == date(2023, 9, 15)
    assert read_date("Sept. 15th", today=None) is None
    assert read_date("15 Sep 2023", today=None) == date(2023, 9, 15)
    assert read_date("Room 1114, 3:30 pm", today=date(2023, 8, 1)) is None


def test_a_weekday_beside_a_yearless_date_chooses_its_year():
    # 12 December was a Friday in 2014 and 2025; "now" decides between near candidates only.
    assert read_date("12月12日星期五", today=date(2015, 3, 1)) == date(2014, 12, 12)
    assert read_date("12月12日", today=date(2015, 3, 1)) == date(2014, 12, 12)
    assert read_date("Friday, Dec 12", today=date(2025, 3, 1)) == date(2025, 12, 12)


@pytest.mark.parametrize(("text", "month_first", "expected"), [
    ("3/4/2023", None, None),  # March 4 or 3 April: nothing says which
    ("3/4/2023", True, date(2023, 3, 4)),
    ("3/4/2023", False, date(2023, 4, 3)),
    ("8/24/2023", None, date(2023, 8, 24)),  # 24 is no month
    ("24/8/2023", True, date(2023, 8, 24)),
    ("03.04.2023", True, date(2023, 4, 3)),  # dots are always day first
    ("2023/3/4", False, date(2023, 3, 4)),  # year first is always year-month-day
])
def test_numeric_dates_with_the_year_last(text, month_first, expected):
    assert read_date(text, today=None, month_first=month_first) == expected


def test_month_first_is_the_us_convention():
    assert month_first("America/New_York") and month_first("America/Indiana/Indianapolis")
    assert not month_first("Europe/London") and not month_first("America/Sao_Paulo")
    assert not month_first("Asia/Shanghai")


def test_read_clock_skips_the_date_and_shares_the_meridiem():
    assert read_clock("Aug. 25, 2023, 3 – 5 pm") == (time(15), time(17))
    assert read_clock("2021-5-22,9:30-11:30") == (time(9, 30), time(11, 30))
    assert read_clock("2023.8.25") is None
    assert read_clock("Room 3.14, 4 pm") == (time(16), None)


@pytest.mark.parametrize(("text", "is_date", "is_clock"), [
    ("Friday, Aug. 25, 2023", True, False),
    ("Time: 3:30 p.m. — 5:00 p.m.", False, True),
    ("12月12日星期五上午10：30", True, True),
    ("星期五", True, False),
    ("3/4/2023", True, False),
    ("Speaker: Guoning CHEN, PhD", False, False),
    ("Room 101", False, False),
])
def test_has_date_and_has_clock(text, is_date, is_clock):
    assert (has_date(text), has_clock(text)) == (is_date, is_clock)


@pytest.mark.parametrize("text", [
    "2h tutorial", "(with a 15 minute break in between)", "et al. 2023", "page 11-12", "1.5 hours",
    "3 to 4 speakers", "Version 3.14", "Room 1114",
])
def test_numbers_that_are_not_clocks(text):
    assert read_clock(text) is None


def test_a_weekday_alone_is_the_coming_one():
    now = datetime(2023, 8, 1, 12, 0, tzinfo=UTC)  # a Tuesday
    assert read_date("周二", today=now.date()) == date(2023, 8, 1)
    assert read_date("周一", today=now.date()) == date(2023, 8, 7)
    assert read_date("每周一次", today=now.date()) is None  # "once a week"
    assert read_date("the Sun", today=now.date()) is None  # abbreviations only beside a date


# --- Never a crash, never slow. ---

_PIECES = [*"0123456789:.-–—~ /,()apmtzh+", *"年月日号点時半分下午上午晚星期周五十二",
           "p.m.", "a.m.", "noon", "aug ", "sept. ", "utc", "est", "friday", "and", "between ",
           "to "]
_TIMEISH = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)
_ZONES = ["Asia/Shanghai", "America/New_York", "UTC", "Pacific/Kiritimati"]


@settings(max_examples=400, deadline=None)
@given(text=st.one_of(st.text(max_size=80), _TIMEISH),
       now=st.one_of(st.none(), st.datetimes(timezones=st.just(UTC))),
       zone_name=st.sampled_from(_ZONES))
def test_any_text_gives_none_or_a_when(text, now, zone_name):
    when = parse_when(text, zone_name, now=now)
    assert when is None or (isinstance(when, When) and when.start.tzinfo is not None)
    assert when is None or when.end is None or when.end > when.start
    read_clock(text)
    read_date(text, today=now.date() if now else None)


@pytest.mark.parametrize("unit, times", [
    ("1 ", 5000), ("1-", 5000), ("1 and ", 2000), ("1h", 5000), ("1st ", 2500),
    ("aug 1 ", 1700), ("12月3日下午", 1400), ("三", 10000), ("p.m. ", 2000),
    ("2023-08-24t14:00 ", 600),
])
def test_a_long_line_is_read_in_time_linear_in_its_length(unit, times):
    # Not a time limit (a loaded machine is slower at everything) but growth: four times
    # the line takes about four times as long; a pattern that backtracks over the line
    # takes sixteen times or more. Best of three of each, measured side by side.
    for read in (lambda line: parse_when(line, SH, now=NOW), read_clock):
        short = min(_seconds(read, unit * (times // 4)) for _ in range(3))
        long = min(_seconds(read, unit * times) for _ in range(3))
        assert long < 8 * short + 0.002, (short, long)


def _seconds(read, line: str) -> float:
    began = perf_counter()
    read(line)
    return perf_counter() - began


@pytest.mark.parametrize(("text", "start"), [
    ("Dec. 1, 2023, 4 PM (EST)", "2023-12-01 21:00"),
    ("Dec. 1, 2023, 16:00, CET", "2023-12-01 15:00"),
    ("2023年12月1日 14:00 北京时间", "2023-12-01 06:00"),
    ("Dec. 1, 2023, 4 PM ET", "2023-12-01 21:00"),
    # Abbreviations away from a clock are words: the source's zone (Shanghai) stands.
    ("Smith 2023 et al., Dec. 1, 2023, 4 PM", "2023-12-01 08:00"),
    ("Est. 1990. Dec. 1, 2023, 4 PM", "2023-12-01 08:00"),
])
def test_zone_words(text, start):
    when = parse_when(text, SH, now=NOW)
    assert when is not None and when.start == utc(start)
