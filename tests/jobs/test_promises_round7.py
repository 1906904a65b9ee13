"""What a channel hears of a talk whose time flaps between two versions from poll to poll
(round 7): the operator CLI on an injected clock, one document read poll after poll.
A talk's first change is said at once; a further change soon after is said once it has
settled (read twice alike, or held long enough), never back and forth; reminders always
follow the talk's current time."""

from __future__ import annotations

from tests.jobs.test_promises_round6 import PAGE, SEMINARS, Lectern

# researchseminars.org's export (tests/data/ical/researchseminars.ics): talk geodyn/42 is
# on 19 May 2026, 09:00-10:00 UTC. Version B is the same talk an hour later, as a second
# server behind the same address still serves it.
A = SEMINARS
B = SEMINARS.replace("DTSTART;VALUE=DATE-TIME:20260519T090000Z",
                     "DTSTART;VALUE=DATE-TIME:20260519T100000Z").replace(
    "DTEND;VALUE=DATE-TIME:20260519T100000Z", "DTEND;VALUE=DATE-TIME:20260519T110000Z")


def told(lectern: Lectern) -> str:
    lectern.subscribe("2026-05-01T09:00:00Z", "/subscribe talks source:geodyn")
    lectern.ingest("2026-05-01T10:00:00Z", "ical", A, "--source", "geodyn")
    first = lectern.received("2026-05-01T10:00:00Z")
    assert [p for p, _ in first] == ["announce"] * 3
    return first[1][1]  # geodyn/42


def poll(lectern: Lectern, now: str, document: str) -> list[tuple[str, str]]:
    """One poll of the calendar at `now`, then what the channel is sent at that moment."""
    lectern.ingest(now, "ical", document, "--source", "geodyn")
    return lectern.received(now)


def test_a_time_flapping_between_two_versions_is_never_said_back_and_forth(
        tmp_path, capsys):
    """Two servers out of step serve A and B by turns, one poll an hour. Before: an
    "Updated" notice on every poll (10 over 10 polls); now the first, then nothing."""
    lectern = Lectern(tmp_path, capsys)
    talk = told(lectern)
    sent = []
    for hour in range(10):  # B, A, B, A, ... from 11:00
        sent += poll(lectern, f"2026-05-02T{11 + hour:02d}:00:00Z", B if hour % 2 == 0 else A)
    assert sent == [("updated", talk)]  # at 11:00: a first change is said at once
    # Then only B is served, what the channel was told: nothing more to say.
    for hour in (21, 22, 23):
        assert poll(lectern, f"2026-05-02T{hour}:00:00Z", B) == []
    assert lectern.received("2026-05-04T12:00:00Z") == []  # long after any settle time
    # The reminders follow the time it kept: 15 minutes before 10:00, none before 09:00.
    assert lectern.received("2026-05-18T09:00:00Z") == []
    assert lectern.received("2026-05-18T10:00:00Z") == [("reminder", talk)]
    assert lectern.received("2026-05-19T08:45:00Z") == []
    assert lectern.received("2026-05-19T09:45:00Z") == [("reminder", talk)]


def test_a_move_is_said_at_once(tmp_path, capsys):
    """A real move must not wait for the next poll: a first change is news now."""
    lectern = Lectern(tmp_path, capsys)
    talk = told(lectern)
    assert poll(lectern, "2026-05-02T11:00:00Z", B) == [("updated", talk)]
    assert poll(lectern, "2026-05-02T12:00:00Z", B) == []


def test_a_move_taken_back_is_said_once_the_old_time_holds(tmp_path, capsys):
    """A, then B for one poll (said), then A for good: the channel was told B, so the
    return to A is news, said when A is read a second time."""
    lectern = Lectern(tmp_path, capsys)
    talk = told(lectern)
    assert poll(lectern, "2026-05-02T11:00:00Z", B) == [("updated", talk)]
    assert poll(lectern, "2026-05-02T12:00:00Z", A) == []
    assert poll(lectern, "2026-05-02T13:00:00Z", A) == [("updated", talk)]
    assert poll(lectern, "2026-05-02T14:00:00Z", A) == []


def test_a_second_change_not_read_again_is_said_when_it_has_held_a_day(tmp_path, capsys):
    """A source polled once a day (or failing after the change) still gets it said."""
    lectern = Lectern(tmp_path, capsys)
    talk = told(lectern)
    assert poll(lectern, "2026-05-02T11:00:00Z", B) == [("updated", talk)]
    assert poll(lectern, "2026-05-02T12:00:00Z", A) == []
    assert lectern.received("2026-05-03T11:59:00Z") == []
    assert lectern.received("2026-05-03T12:00:00Z") == [("updated", talk)]


def test_a_move_an_hour_before_the_talk_is_said_at_once(tmp_path, capsys):
    """The reminder 15 minutes before the old time is not sent; the new one is."""
    lectern = Lectern(tmp_path, capsys)
    talk = told(lectern)
    assert [p for p, _ in lectern.received("2026-05-18T09:00:00Z")] == ["reminder"]
    later = A.replace("DTSTART;VALUE=DATE-TIME:20260519T090000Z",
                      "DTSTART;VALUE=DATE-TIME:20260519T093000Z")
    assert poll(lectern, "2026-05-19T08:00:00Z", later) == [("updated", talk)]
    assert lectern.received("2026-05-19T08:45:00Z") == []
    assert lectern.received("2026-05-19T09:15:00Z") == [("reminder", talk)]


def test_a_second_change_close_to_the_talk_waits_half_the_time_left_at_most(
        tmp_path, capsys):
    """A change soon after another waits to settle, but close to the start not for long."""
    lectern = Lectern(tmp_path, capsys)
    talk = told(lectern)
    later = A.replace("DTSTART;VALUE=DATE-TIME:20260519T090000Z",
                      "DTSTART;VALUE=DATE-TIME:20260519T093000Z")
    assert poll(lectern, "2026-05-19T07:00:00Z", B) == [("updated", talk)]
    assert poll(lectern, "2026-05-19T08:00:00Z", later) == []
    assert lectern.received("2026-05-19T08:44:00Z") == []
    assert lectern.received("2026-05-19T08:45:00Z") == [("updated", talk)]


def test_a_room_edited_back_and_forth_on_a_page_is_said_once(tmp_path, capsys):
    """A seminar page (tests/data/seminar/colloquium.html) whose room is edited back and
    forth: before, an "Updated" notice on every poll (6 over 6 polls); now the first."""
    lectern = Lectern(tmp_path, capsys)
    lectern.subscribe("2023-08-01T09:00:00Z", "/subscribe talks speaker:doe")
    other = PAGE.replace("Evans Hall 1015", "Evans Hall 740")
    assert other != PAGE

    def page(now: str, text: str) -> list[tuple[str, str]]:
        lectern.ingest(now, "seminar-page", text, "--source", "colloq",
                       "--tz", "America/Los_Angeles")
        return lectern.received(now)

    [(purpose, talk)] = page("2023-08-01T10:00:00Z", PAGE)
    sent = []
    for hour in range(6):
        sent += page(f"2023-08-02T{10 + hour:02d}:00:00Z", other if hour % 2 == 0 else PAGE)
    assert sent == [("updated", talk)]
    assert page("2023-08-02T16:00:00Z", other) == []
    assert page("2023-08-02T17:00:00Z", other) == []


PASTE = ("/seminars add Title: Diffusion as Transport\nSpeaker: Jane Doe (Stanford)\n"
         "Date: 10 December 2026, 15:00\nPlace: Room 101")


def test_a_talk_corrected_in_chat_is_said_at_once(tmp_path, capsys):
    """A member pasting a correction means it: no second reading to wait for."""
    lectern = Lectern(tmp_path, capsys)
    lectern.subscribe("2026-12-01T09:00:00Z", "/subscribe talks diffusion")
    lectern.subscribe("2026-12-01T09:00:00Z", PASTE)
    [(purpose, talk)] = lectern.received("2026-12-01T09:00:00Z")
    assert purpose == "announce"
    lectern.subscribe("2026-12-02T09:00:00Z", PASTE.replace("Room 101", "Room 220"))
    assert lectern.received("2026-12-02T09:00:00Z") == [("updated", talk)]
