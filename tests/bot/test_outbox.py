"""Purposes: typed values in the code, text in the outbox, and back without loss."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.outbox import (
    ANNOUNCE,
    CANCELLED,
    DIGEST,
    Delivery,
    HealthNotice,
    Reminder,
    Unknown,
    Updated,
    parse_purpose,
)
from storage.store import Store

NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
START = datetime(2026, 11, 23, 14, 30, tzinfo=UTC)

# The texts as earlier versions wrote them: a database from before the type reads the same.
STORED = [
    ("announce", ANNOUNCE),
    ("digest", DIGEST),
    ("cancelled", CANCELLED),
    ("updated:2026-11-20T08:00:00Z", Updated(NOW)),
    ("reminder:15@2026-11-23T14:30:00Z", Reminder(15, START)),
    ("reminder:1440@2026-11-23T14:30:00Z", Reminder(1440, START)),
    ("reminder:60", Reminder(60, None)),  # before the start was part of it
    ("health:failing@2026-11-20T08:00:00Z", HealthNotice("failing", NOW)),
    ("health:empty@never", HealthNotice("empty", None)),
    ("health:recovered@stale@2026-11-20T08:00:00Z", HealthNotice("stale", NOW, True)),
]


@pytest.mark.parametrize(("text", "purpose"), STORED)
def test_stored_text_reads_as_the_purpose_and_writes_back_the_same(text, purpose):
    assert parse_purpose(text) == purpose
    assert purpose.text == text


@pytest.mark.parametrize("text", ["", "announce:x", "reminder:soon@2026-11-23T14:30:00Z",
                                  "reminder:", "updated:yesterday", "health:failing",
                                  "rescheduled", "health:"])
def test_unreadable_text_is_kept_as_it_was(text):
    purpose = parse_purpose(text)
    assert purpose == Unknown(text)
    assert purpose.text == text


instants = st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(2999, 1, 1),
                        timezones=st.just(UTC)).map(lambda d: d.replace(microsecond=0))


@given(st.integers(min_value=0, max_value=10**6), st.none() | instants)
def test_any_reminder_round_trips(minutes, start):
    assert parse_purpose(Reminder(minutes, start).text) == Reminder(minutes, start)


@given(st.sampled_from(["failing", "stale", "empty"]), st.none() | instants, st.booleans())
def test_any_health_notice_round_trips(state, since, recovered):
    notice = HealthNotice(state, since, recovered)
    assert parse_purpose(notice.text) == notice


def test_the_outbox_keeps_purposes_typed(tmp_path):
    store = Store.open(tmp_path / "l.db")
    store.ensure_channel("console:lab", NOW)
    planned = [Delivery("console:lab", "talk", "t1", purpose, NOW)
               for _, purpose in STORED if isinstance(purpose, Reminder | Updated)]
    planned.append(Delivery("console:lab", "talk", "t1", ANNOUNCE, NOW))
    assert store.plan_deliveries(planned, NOW) == len(planned)
    assert [d.purpose for d in store.delivery_history()] == [d.purpose for d in planned]
    store.finish_deliveries([store.delivery_history()[-1].id], "sent", NOW, sent_ref="m1")
    assert store.sent_ref("console:lab", "talk", "t1", ANNOUNCE) == "m1"
    assert store.sent_ref("console:lab", "talk", "t1", CANCELLED) is None


def test_skipping_one_purpose_a_kind_or_all(tmp_path):
    store = Store.open(tmp_path / "l.db")
    store.ensure_channel("console:lab", NOW)
    rows = [ANNOUNCE, Reminder(15, START), Reminder(60, START), Reminder(60, None),
            Updated(NOW)]
    store.plan_deliveries([Delivery("console:lab", "talk", "t1", p, NOW) for p in rows], NOW)

    def pending() -> list:
        return [d.purpose for d in store.delivery_history(status="pending")]

    assert store.skip_pending("console:lab", "talk", "t1", Reminder(60, START), "x", NOW) == 1
    assert pending() == [ANNOUNCE, Reminder(15, START), Reminder(60, None), Updated(NOW)]
    assert store.skip_pending("console:lab", "talk", "t1", Reminder, "x", NOW) == 2
    assert pending() == [ANNOUNCE, Updated(NOW)]
    assert store.skip_pending("console:lab", "talk", "t1", None, "x", NOW) == 2
    assert pending() == []
