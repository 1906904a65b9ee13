"""bot.clock's text form of an instant: the one every table stores and compares as text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.clock import parse_instant, to_iso


@pytest.mark.parametrize(("moment", "text"), [
    (datetime(2026, 11, 23, 8, 0, 0, 999_999, tzinfo=UTC), "2026-11-23T08:00:00Z"),
    (datetime(2026, 3, 29, 1, 30, tzinfo=timezone(timedelta(hours=5, minutes=30))),
     "2026-03-28T20:00:00Z"),
    (datetime(1, 1, 1, tzinfo=UTC), "0001-01-01T00:00:00Z"),  # four digits: sorts as text
    (datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC), "9999-12-31T23:59:59Z"),
])
def test_an_instant_is_written_as_utc_to_the_second(moment, text):
    assert to_iso(moment) == text
    assert parse_instant(text) == moment.replace(microsecond=0)


def test_text_order_is_time_order():
    moments = [datetime(year, 6, 1, tzinfo=UTC) for year in (1, 999, 1000, 2026)]
    assert sorted(map(to_iso, moments)) == list(map(to_iso, moments))


def test_a_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="no time zone"):
        to_iso(datetime(2026, 1, 1))  # noqa: DTZ001 (the point of the test)
