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
    assert [p for p, _ in lectern.received("2026-05-03T10:00:00Z")] == ["cancelled"]


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
