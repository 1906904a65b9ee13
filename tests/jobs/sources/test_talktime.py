"""talktime.parse_when: the date and time phrases people type on seminar pages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from jobs.sources.talktime import parse_when

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
