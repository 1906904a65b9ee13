"""What a channel receives across many polls of one changing talk source (attack round 6):
the operator CLI on an injected clock (`--now`), documents mutated between polls as real
sources change them. Never floods, never misses, never posts twice."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bot.app.cli import main

CHANNEL = "console:lab"
DATA = Path(__file__).parent.parent / "data"
# researchseminars.org's export of one seminar (tests/data/ical/researchseminars.ics): three
# talks, 12, 19 and 26 May 2026, UIDs `geodyn/41`..`geodyn/43`.
SEMINARS = (DATA / "ical" / "researchseminars.ics").read_text()
EVENT = re.compile(r"BEGIN:VEVENT.*?END:VEVENT\n", re.DOTALL)


class Lectern:
    """One database, driven as an operator drives it: ingest, command, dispatch."""

    def __init__(self, tmp_path: Path, capsys) -> None:
        self.tmp_path, self.capsys = tmp_path, capsys

    def run(self, now: str, *args: str) -> tuple[int, str]:
        code = main(["--db", str(self.tmp_path / "l.db"), "--now", now, *args])
        out, _ = self.capsys.readouterr()
        return code, out

    def subscribe(self, now: str, query: str) -> None:
        code, out = self.run(now, "command", "--channel", CHANNEL, "--user", "U1",
                             "--manager", query)
        assert code == 0, out

    def ingest(self, now: str, kind: str, text: str, *extra: str) -> dict:
        path = self.tmp_path / f"doc-{kind}"
        path.write_text(text)
        code, out = self.run(now, "ingest", kind, str(path), "--json", *extra)
        assert code == 0, out
        return json.loads(out)

    def received(self, now: str) -> list[tuple[str, str]]:
        """What the channel was sent at `now`: (purpose, talk or paper id), in order."""
        code, out = self.run(now, "dispatch", "--json")
        assert code == 0, out
        return [(e["purpose"], e["item_id"]) for e in json.loads(out)["sent"]]


def events(calendar: str) -> list[str]:
    return EVENT.findall(calendar)


def with_events(calendar: str, kept: list[str]) -> str:
    """The calendar with only `kept` of its events (in that order)."""
    head, tail = calendar.split("BEGIN:VEVENT", 1)[0], "END:VCALENDAR\n"
    return head + "".join(kept) + tail


def test_a_calendar_that_lists_only_its_next_events_cancels_none_of_the_later_ones(
        tmp_path, capsys):
    """Many calendar exports give the next N events: a talk after the last one listed has
    dropped out of the window, not out of the programme. Before: the May 26 talk was
    cancelled (a "Cancelled" notice, its reminders dropped) when the feed shrank to 2."""
    lectern = Lectern(tmp_path, capsys)
    lectern.subscribe("2026-05-01T09:00:00Z", "/subscribe talks source:geodyn")
    lectern.ingest("2026-05-01T10:00:00Z", "ical", SEMINARS, "--source", "geodyn")
    assert [p for p, _ in lectern.received("2026-05-01T10:00:00Z")] == ["announce"] * 3

    shrunk = with_events(SEMINARS, events(SEMINARS)[:2])
    report = lectern.ingest("2026-05-02T10:00:00Z", "ical", shrunk, "--source", "geodyn")
    assert report["talks"]["cancelled"] == 0
    assert lectern.received("2026-05-02T10:00:00Z") == []
    # ... and its reminders still come: the day before and 15 minutes before.
    assert [p for p, _ in lectern.received("2026-05-25T15:00:00Z")] == ["reminder"]

    # A talk between two the document still lists is gone from the programme.
    holed = with_events(SEMINARS, [events(SEMINARS)[0], events(SEMINARS)[2]])
    report = lectern.ingest("2026-05-03T10:00:00Z", "ical", holed, "--source", "geodyn")
    assert report["talks"]["cancelled"] == 1
    assert [p for p, _ in lectern.received("2026-05-03T13:00:00Z")] == ["cancelled"]


def test_a_stale_copy_listing_only_past_talks_cancels_nothing(tmp_path, capsys):
    """A cache serving last month's export lists only talks already given."""
    lectern = Lectern(tmp_path, capsys)
    lectern.subscribe("2026-05-13T09:00:00Z", "/subscribe talks source:geodyn")
    lectern.ingest("2026-05-13T10:00:00Z", "ical", SEMINARS, "--source", "geodyn")
    assert len(lectern.received("2026-05-13T10:00:00Z")) == 2  # the two still to come
    stale = with_events(SEMINARS, events(SEMINARS)[:1])
    report = lectern.ingest("2026-05-14T10:00:00Z", "ical", stale, "--source", "geodyn")
    assert report["talks"]["cancelled"] == 0
    assert lectern.received("2026-05-14T10:00:00Z") == []


def test_a_calendar_exported_again_with_new_uids_posts_nothing(tmp_path, capsys):
    """An organiser who moves the seminar to another calendar (or a site that renumbers
    its events) exports the same talks under new UIDs. Before: 3 "Cancelled" notices and
    3 announcements of the same talks, and each talk's id changed under members' feet."""
    lectern = Lectern(tmp_path, capsys)
    lectern.subscribe("2026-05-01T09:00:00Z", "/subscribe talks source:geodyn")
    lectern.ingest("2026-05-01T10:00:00Z", "ical", SEMINARS, "--source", "geodyn")
    first = lectern.received("2026-05-01T10:00:00Z")
    assert len(first) == 3

    renumbered = re.sub(r"UID:geodyn/(\d+)", r"UID:\1@calendar.example.org", SEMINARS)
    report = lectern.ingest("2026-05-02T10:00:00Z", "ical", renumbered,
                            "--source", "geodyn")
    assert report["talks"] == {"new": 0, "updated": 0, "cancelled": 0, "unchanged": 3}
    assert lectern.received("2026-05-02T10:00:00Z") == []
    code, out = lectern.run("2026-05-02T10:00:00Z", "seminars", "--json")
    assert sorted(t["id"] for t in json.loads(out)["talks"]) == sorted(i for _, i in first)

    # Re-exported again, one talk moved by a day: it is "updated", under its old id.
    moved = renumbered.replace("20260519T09", "20260520T09").replace("20260519T10",
                                                                      "20260520T10")
    moved = moved.replace("42@calendar", "99@calendar")
    lectern.ingest("2026-05-03T10:00:00Z", "ical", moved, "--source", "geodyn")
    assert lectern.received("2026-05-03T10:00:00Z") == [("updated", first[1][1])]


PAGE = (DATA / "seminar" / "colloquium.html").read_text()


def test_a_talk_moved_to_another_day_on_a_page_is_rescheduled_not_cancelled(
        tmp_path, capsys):
    """A seminar page keys its talks by speaker and day: moving Jane Doe's talk from
    Sept. 8 to Sept. 22 gave a "Cancelled" notice and a new announcement of the same
    talk; members expect one "Rescheduled" notice and the reminders moved."""
    lectern = Lectern(tmp_path, capsys)
    lectern.subscribe("2023-08-01T09:00:00Z", "/subscribe talks speaker:doe")
    lectern.ingest("2023-08-01T10:00:00Z", "seminar-page", PAGE, "--source", "colloq",
                   "--tz", "America/Los_Angeles")
    [(purpose, talk)] = lectern.received("2023-08-01T10:00:00Z")
    assert purpose == "announce"

    moved = PAGE.replace("Friday, Sept. 8, 2023", "Friday, Sept. 22, 2023")
    report = lectern.ingest("2023-08-02T10:00:00Z", "seminar-page", moved,
                            "--source", "colloq", "--tz", "America/Los_Angeles")
    assert report["talks"]["cancelled"] == 0 and report["talks"]["updated"] == 1
    assert lectern.received("2023-08-02T10:00:00Z") == [("updated", talk)]
    # The reminder the day before comes before the new day, none before the old one.
    assert lectern.received("2023-09-07T23:00:00Z") == []
    assert lectern.received("2023-09-21T23:00:00Z") == [("reminder", talk)]


# A department calendar with a term of weekly lectures (the shape of researchseminars.org's
# export: UID per talk, SEQUENCE raised on change).
LECTURE = """BEGIN:VEVENT
UID:lecture-{n}@maths.example.ac.uk
SEQUENCE:{seq}
DTSTAMP:20260101T000000Z
DTSTART:{day}T150000Z
DTEND:{day}T160000Z
SUMMARY:Lovelace Lecture {n}
DESCRIPTION:Speaker: Speaker {n} (Cambridge)
LOCATION:{room}
STATUS:{status}
END:VEVENT
"""


def term(room: str = "Room 1", status: str = "CONFIRMED", seq: int = 0) -> str:
    days = [f"2026{month:02d}{day:02d}" for month in (10, 11, 12) for day in (6, 13, 20, 27)]
    return ("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//maths//EN\n"
            + "".join(LECTURE.format(n=n, day=day, room=room, status=status, seq=seq)
                      for n, day in enumerate(days))
            + "END:VCALENDAR\n")


def posts(lectern: Lectern, now: str) -> list[str]:
    """The messages posted at `now`, one text each."""
    code, out = lectern.run(now, "dispatch")
    assert code == 0, out
    return out.split("── #lab")[1:]


def test_a_whole_term_moved_or_called_off_is_one_message(tmp_path, capsys):
    """The building of a term's 12 lectures is renamed, then the term is called off.
    Before: 12 "Updated" posts, then 12 "Cancelled" posts, one a second."""
    lectern = Lectern(tmp_path, capsys)
    lectern.subscribe("2026-10-01T09:00:00Z", "/subscribe talks lovelace")
    lectern.ingest("2026-10-01T10:00:00Z", "ical", term(), "--source", "dept")
    assert len(posts(lectern, "2026-10-01T10:00:00Z")) == 1  # one list of the term
    lectern.ingest("2026-10-02T10:00:00Z", "ical", term("Huxley 140", seq=1),
                   "--source", "dept")
    [moved] = posts(lectern, "2026-10-02T10:00:00Z")
    assert "12 talks this channel follows have changed" in moved and "Huxley 140" in moved
    lectern.ingest("2026-10-03T10:00:00Z", "ical", term("Huxley 140", "CANCELLED", 2),
                   "--source", "dept")
    [cancelled] = posts(lectern, "2026-10-03T10:00:00Z")
    assert "12 talks this channel follows are cancelled" in cancelled
    assert "CANCELLED: Lovelace Lecture 0" in cancelled
    assert lectern.received("2026-10-05T15:00:00Z") == []  # no reminder of any


def test_a_few_changes_are_still_told_one_by_one(tmp_path, capsys):
    lectern = Lectern(tmp_path, capsys)
    lectern.subscribe("2026-10-01T09:00:00Z", "/subscribe talks lovelace")
    lectern.ingest("2026-10-01T10:00:00Z", "ical", term(), "--source", "dept")
    lectern.received("2026-10-01T10:00:00Z")
    moved = term().replace("LOCATION:Room 1\nSTATUS:CONFIRMED\nEND:VEVENT\n",
                           "LOCATION:Room 9\nSTATUS:CONFIRMED\nEND:VEVENT\n", 2)
    lectern.ingest("2026-10-02T10:00:00Z", "ical", moved, "--source", "dept")
    assert [p for p, _ in lectern.received("2026-10-02T10:00:00Z")] == ["updated"] * 2


def test_a_source_serving_two_versions_by_turns_says_nothing_until_one_holds(
        tmp_path, capsys):
    """Behind a load balancer, one server has the May 19 talk and the other not yet: the
    hourly polls list it, drop it, list it again. Before: "Cancelled", "Updated"
    (restored), "Cancelled", ... one notice an hour. Now nothing; once it stays gone for
    the grace, one "Cancelled"."""
    lectern = Lectern(tmp_path, capsys)
    lectern.subscribe("2026-05-01T09:00:00Z", "/subscribe talks source:geodyn")
    without = with_events(SEMINARS, [events(SEMINARS)[0], events(SEMINARS)[2]])
    lectern.ingest("2026-05-01T09:00:00Z", "ical", SEMINARS, "--source", "geodyn")
    talk = lectern.received("2026-05-01T09:00:00Z")[1][1]
    for hour in range(10, 16):
        now = f"2026-05-01T{hour}:00:00Z"
        lectern.ingest(now, "ical", SEMINARS if hour % 2 else without, "--source", "geodyn")
        assert lectern.received(now) == []
    assert lectern.received("2026-05-01T18:00:00Z") == []  # listed again at 15:00
    lectern.ingest("2026-05-01T19:00:00Z", "ical", without, "--source", "geodyn")
    assert lectern.received("2026-05-01T21:00:00Z") == []
    assert lectern.received("2026-05-01T22:00:00Z") == [("cancelled", talk)]
    # Its reminders stopped at once, and none comes back.
    assert lectern.received("2026-05-18T09:00:00Z") == []


def test_a_talk_said_cancelled_in_its_document_is_told_at_once(tmp_path, capsys):
    lectern = Lectern(tmp_path, capsys)
    lectern.subscribe("2026-05-01T09:00:00Z", "/subscribe talks source:geodyn")
    lectern.ingest("2026-05-01T09:00:00Z", "ical", SEMINARS, "--source", "geodyn")
    talk = lectern.received("2026-05-01T09:00:00Z")[1][1]
    called_off = SEMINARS.replace("UID:geodyn/42\n", "UID:geodyn/42\nSTATUS:CANCELLED\n")
    lectern.ingest("2026-05-02T09:00:00Z", "ical", called_off, "--source", "geodyn")
    assert lectern.received("2026-05-02T09:00:00Z") == [("cancelled", talk)]
