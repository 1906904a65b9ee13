"""The one retry policy: backoff doubling within its cap, Retry-After honoured within its
limit, tries counted; and the Retry-After header read the same everywhere."""

from datetime import UTC, datetime

import pytest

from bot.retry import RetryPolicy, parse_retry_after

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def test_backoff_doubles_from_base_and_stays_within_its_cap():
    policy = RetryPolicy(attempts=5, base=2.0, cap=5.0)
    assert [policy.backoff(n) for n in range(6)] == [0.0, 2.0, 4.0, 5.0, 5.0, 5.0]
    assert policy.backoff(10**9) == 5.0  # no overflow, however long the streak


def test_retry_after_replaces_the_backoff_up_to_its_limit():
    policy = RetryPolicy(base=2.0, cap=300.0, max_retry_after=600.0)
    assert policy.delay(1, 7.0) == 7.0 and policy.delay(3, 0.5) == 0.5
    assert policy.delay(2, None) == 4.0
    assert policy.delay(1, float("nan")) == 2.0 and policy.delay(1, -3.0) == 0.0
    assert not policy.too_long(600.0) and policy.too_long(601.0)
    assert policy.delay(1, float("inf")) == 600.0 and policy.too_long(float("inf"))
    assert not policy.too_long(None)


def test_tries_are_counted_against_attempts():
    policy = RetryPolicy(attempts=3)
    assert [policy.exhausted(n) for n in (1, 2, 3, 4)] == [False, False, True, True]
    with pytest.raises(ValueError):
        RetryPolicy(attempts=0)
    with pytest.raises(ValueError):
        RetryPolicy(base=-1.0)


@pytest.mark.parametrize(("value", "seconds"), [
    ("120", 120.0), (" 0 ", 0.0), ("1.5", 1.5), ("Mon, 23 Nov 2026 08:01:30 GMT", 90.0),
    ("Mon, 23 Nov 2026 07:00:00 GMT", 0.0), ("soon", None), ("-5", None), ("inf", None),
    ("nan", None), ("", None), (None, None)])
def test_retry_after_headers(value, seconds):
    assert parse_retry_after(value, NOW) == seconds


def test_an_http_date_needs_the_servers_now():
    assert parse_retry_after("Mon, 23 Nov 2026 08:01:30 GMT") is None
