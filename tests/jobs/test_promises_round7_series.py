"""A weekly series (RRULE) whose time changes for every occurrence (round 7): the channel
hears one list of the moved talks, not every occurrence cancelled and announced again,
and the reminders move. The operator CLI on an injected clock."""

from __future__ import annotations

import re

from tests.jobs.test_promises_round6 import DATA, Lectern, posts

# A Google Calendar export of a weekly seminar (tests/data/ical/weekly_london.ics):
# Thursdays 15:00-16:00 Europe/London until 26 Nov 2026, one UID. In October 2026 nine
# occurrences are still ahead (1 Oct - 26 Nov).
WEEKLY = (DATA / "ical" / "weekly_london.ics").read_text()
EVENT = re.compile(r"BEGIN:VEVENT.*?END:VEVENT\r?\n", re.DOTALL)


def master() -> str:
    return EVENT.findall(WEEKLY)[0]


def moved_all() -> str:
    """"All events" edited in Google Calendar: the series' DTSTART moves an hour later;
    its UID, rule and days stay (EXDATE and UNTIL follow the new time)."""
    event = master()
    return WEEKLY.replace(event, event.replace("T150000", "T160000").replace(
        "SEQUENCE:0", "SEQUENCE:1"))


def split_at(day: str) -> str:
    """"This and following events": Google ends the series the day before `day` and
    starts a new one (a new UID, `_R<day>` after the old one's) at the new time."""
    event = master()
    old = event.replace("UNTIL=20261126T150000Z", f"UNTIL={day}T000000Z")
    new = (event.replace("20260305T150000", f"{day}T160000")
           .replace("20260305T160000", f"{day}T170000").replace("T150000", "T160000")
           .replace("UID:5k2q8v0c3h1m7n4p6r9t@google.com",
                    f"UID:5k2q8v0c3h1m7n4p6r9t_R{day}T140000@google.com"))
    return WEEKLY.replace(event, old + new)


def following(lectern: Lectern) -> None:
    lectern.subscribe("2026-10-01T08:00:00Z", "/subscribe talks analysis")
    lectern.ingest("2026-10-01T09:00:00Z", "ical", WEEKLY, "--source", "analysis")
    assert [p for p, _ in lectern.received("2026-10-01T09:00:00Z")] == ["announce"] * 9


def test_a_series_moved_an_hour_is_one_list_of_moved_talks(tmp_path, capsys):
    """Before: 9 "Cancelled" notices and 9 announcements of new talks."""
    lectern = Lectern(tmp_path, capsys)
    following(lectern)
    report = lectern.ingest("2026-10-01T10:00:00Z", "ical", moved_all(), "--source",
                            "analysis")
    assert report["talks"]["cancelled"] == 0 and report["talks"]["new"] == 0
    lectern.ingest("2026-10-01T11:00:00Z", "ical", moved_all(), "--source", "analysis")
    [moved] = posts(lectern, "2026-10-01T11:00:00Z")
    assert "9 talks this channel follows have changed" in moved
    assert "Cancelled" not in moved and "New talk" not in moved
    # The reminders moved: 15 minutes before 16:00 BST (15:00 UTC), not before 15:00.
    assert lectern.received("2026-10-01T13:45:00Z") == []
    assert [p for p, _ in lectern.received("2026-10-01T14:45:00Z")] == ["reminder"]


def test_a_series_split_by_its_calendar_keeps_its_talks(tmp_path, capsys):
    """Google's "this and following" ends the old series and starts one under a new UID:
    the occurrences from 15 Oct are the same talks at the new hour."""
    lectern = Lectern(tmp_path, capsys)
    following(lectern)
    split = split_at("20261015")
    report = lectern.ingest("2026-10-01T10:00:00Z", "ical", split, "--source", "analysis")
    assert report["talks"]["cancelled"] == 0 and report["talks"]["new"] == 0
    assert report["talks"]["updated"] == 7
    lectern.ingest("2026-10-01T11:00:00Z", "ical", split, "--source", "analysis")
    [moved] = posts(lectern, "2026-10-01T11:00:00Z")
    assert "7 talks this channel follows have changed" in moved
