"""One talk read from two sources reaches a channel once (attack round 6): the department's
calendar and the seminar's own announcement of the same talk, through the operator CLI on
an injected clock."""

from __future__ import annotations

from pathlib import Path

import pytest

from jobs.talk_twins import same_talk
from tests.jobs.test_promises_round6 import Lectern

# A real seminar record (Jekyll front matter: speaker, title, date, time, venue), from
# github:siddhartha-gadgil/DeptWeb@b5d2cf38ae11a9077ddad17bd341bf41a8f4a97c
# _seminars/2026/2026-08-24-md-irfan-habib.md (MIT licence), abstract trimmed.
ANNOUNCEMENT = """---
speaker: Md. Irfan Habib (Technical University of Munich, Germany)
title: "The combinatorics of the graded embeddings for Lie (super)algebras"
date: 24 Aug, 2026
time: 11 am
venue:  LH-1, Mathematics Department
series: "Algebra & Combinatorics Seminar"
website: https://math.iisc.ac.in/~khare/algcomb26-27.html
---

In this talk, I will discuss the combinatorial aspects of graded embedding problems for
Lie (super)algebras.
"""
# The department's calendar of the same week, as an Indico category export gives it: the
# same talk (its speaker written without "Md."), and another seminar at the same hour.
CALENDAR = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//CERN//INDICO//EN
BEGIN:VEVENT
SUMMARY:Graded embeddings for Lie superalgebras
DTSTART:20260824T053000Z
DTEND:20260824T063000Z
DTSTAMP:20260801T000000Z
UID:indico-event-1123@math.iisc.ac.in
DESCRIPTION:Speakers: Irfan Habib (TU Munich)\\n\\nAlgebra & Combinatorics Seminar
LOCATION:LH-1
END:VEVENT
BEGIN:VEVENT
SUMMARY:Lie algebras of vector fields on curves
DTSTART:20260824T053000Z
DTEND:20260824T063000Z
DTSTAMP:20260801T000000Z
UID:indico-event-1124@math.iisc.ac.in
DESCRIPTION:Speakers: Ana Souza (IMPA)\\n\\nGeometry Seminar
LOCATION:LH-3
END:VEVENT
END:VCALENDAR
"""
NOW = "2026-08-01T09:00:00Z"


def read_both(lectern: Lectern) -> None:
    lectern.ingest(NOW, "ical", CALENDAR, "--source", "dept-calendar")
    lectern.ingest("2026-08-01T10:00:00Z", "announcement", ANNOUNCEMENT,
                   "--source", "algcomb", "--tz", "Asia/Kolkata")


def test_the_same_talk_from_a_calendar_and_an_announcement_is_announced_once(
        tmp_path: Path, capsys):
    """Before: two announcements of Habib's talk and two of each reminder."""
    lectern = Lectern(tmp_path, capsys)
    lectern.subscribe(NOW, "/subscribe talks lie")
    read_both(lectern)
    sent = lectern.received("2026-08-01T10:00:00Z")
    assert [p for p, _ in sent] == ["announce", "announce"]  # Habib's, and Souza's
    assert lectern.received("2026-08-01T11:00:00Z") == []


def test_reminders_of_a_talk_read_twice_come_once(tmp_path: Path, capsys):
    lectern = Lectern(tmp_path, capsys)
    lectern.subscribe(NOW, "/subscribe talks lie")
    read_both(lectern)
    lectern.received("2026-08-01T10:00:00Z")
    assert [p for p, _ in lectern.received("2026-08-23T06:00:00Z")] == ["reminder"] * 2
    assert [p for p, _ in lectern.received("2026-08-24T05:20:00Z")] == ["reminder"] * 2


def test_a_late_subscriber_hears_of_a_talk_read_twice_once(tmp_path: Path, capsys):
    lectern = Lectern(tmp_path, capsys)
    read_both(lectern)
    lectern.subscribe("2026-08-02T09:00:00Z", "/subscribe talks lie")
    sent = lectern.received("2026-08-02T09:00:00Z")
    assert [p for p, _ in sent] == ["announce", "announce"]


@pytest.mark.parametrize(("one", "other", "same"), [
    (["Md. Irfan Habib"], ["Irfan Habib"], True),
    (["Prof. Ada Lovelace"], ["Lovelace, Ada"], True),
    (["A. Lovelace"], ["Ada Lovelace"], True),
    (["王浦"], ["王浦"], True),
    (["Ada Lovelace"], ["Alan Lovelace"], True),  # an initial is all we compare
    (["Ada Lovelace"], ["Bo Lovelace"], False),
    (["Ada Lovelace"], ["Ana Souza"], False),
])
def test_speakers_in_common(one, other, same):
    assert same_talk("Title one", one, "Another title", other) is same


def test_a_title_alone_needs_three_words():
    assert same_talk("Random matrices and free probability", [],
                     "Random Matrices and Free Probability", ["Terence Example"])
    assert not same_talk("TBA", [], "TBA", [])
    assert not same_talk("Group meeting", [], "Group meeting", [])
