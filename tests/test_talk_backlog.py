"""A channel that subscribes after a term's talks were published hears of them: one list of
the upcoming talks, then its reminders, change notices and `.ics` export, through the
operator CLI on an injected clock (`--now`). Papers keep the no-backlog rule."""

from __future__ import annotations

import json
from pathlib import Path

from bot.app.cli import main
from storage.store import Store

CHANNEL = "console:lab"
# A department calendar publishing a term of weekly lectures at once, shaped like the
# researchseminars.org export in tests/data/ical (UID per talk, SEQUENCE raised on change).
EVENT = """BEGIN:VEVENT
UID:lovelace-{n}@maths.example.ac.uk
SEQUENCE:{seq}
DTSTAMP:20260101T000000Z
DTSTART:202603{day:02d}T150000Z
DTEND:202603{day:02d}T160000Z
SUMMARY:Lovelace Lecture: {title}
DESCRIPTION:Speaker: Ada Example (Cambridge)
LOCATION:Room {room}
STATUS:{status}
END:VEVENT
"""
TITLES = ["Sheaves and stacks", "Counting curves", "Random matrices", "Knots in 4D"]


def calendar(tmp_path: Path, moved: bool = False, cancelled: bool = False) -> str:
    events = []
    for n, title in enumerate(TITLES):
        day, room, seq, status = 5 + 7 * n, "1", 0, "CONFIRMED"
        if moved and n == 1:
            day, room, seq = day + 1, "2", 1
        if cancelled and n == 2:
            seq, status = 1, "CANCELLED"
        events.append(EVENT.format(n=n, seq=seq, day=day, title=title, room=room,
                                   status=status))
    path = tmp_path / "term.ics"
    path.write_text("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//maths//EN\n"
                    + "".join(events) + "END:VCALENDAR\n")
    return str(path)


def cli(capsys, tmp_path: Path, now: str, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(tmp_path / "l.db"), "--now", now, *args])
    out, err = capsys.readouterr()
    return code, out, err


def dispatch(capsys, tmp_path: Path, now: str) -> tuple[dict, str]:
    _, out, err = cli(capsys, tmp_path, now, "dispatch", "--json")
    return json.loads(out), err


def subscribe(capsys, tmp_path: Path, now: str, query: str) -> str:
    code, out, _ = cli(capsys, tmp_path, now, "command", "--channel", CHANNEL, "--user", "U1",
                       "--manager", query)
    assert code == 0, out
    return out


def test_a_late_subscriber_gets_one_list_then_reminders_changes_and_export(tmp_path, capsys):
    term = calendar(tmp_path)
    cli(capsys, tmp_path, "2026-03-01T09:00:00Z", "ingest", "ical", term)
    # Subscribing after the term was read, with the first lecture already past.
    now = "2026-03-10T09:00:00Z"
    reply = subscribe(capsys, tmp_path, now, "/subscribe talks lovelace")
    assert "3 upcoming talks match: they follow in one list, with reminders" in reply

    report, posted = dispatch(capsys, tmp_path, now)
    announced = [e for e in report["sent"] if e["purpose"] == "announce"]
    assert len(announced) == 3 and posted.count("3 upcoming talks match") == 1
    assert "Counting curves" in posted and "Sheaves and stacks" not in posted
    assert dispatch(capsys, tmp_path, now)[0]["sent"] == []  # nothing twice

    # The day before and 15 minutes before each talk, at the channel's default offsets.
    report, posted = dispatch(capsys, tmp_path, "2026-03-11T15:00:00Z")
    assert [e["purpose"] for e in report["sent"]] == ["reminder"] and "Counting" in posted
    report, _ = dispatch(capsys, tmp_path, "2026-03-12T14:45:00Z")
    assert [e["purpose"] for e in report["sent"]] == ["reminder"]

    # The term changes: the third lecture is cancelled.
    now = "2026-03-13T09:00:00Z"
    cli(capsys, tmp_path, now, "ingest", "ical", calendar(tmp_path, cancelled=True))
    report, posted = dispatch(capsys, tmp_path, now)
    assert [e["purpose"] for e in report["sent"]] == ["cancelled"]
    assert "Random matrices" in posted

    code, ics, _ = cli(capsys, tmp_path, now, "export-ics", "--channel", CHANNEL)
    assert code == 0 and ics.count("BEGIN:VEVENT") == 3 and "Knots in 4D" in ics
    assert "TRIGGER:-P1D" in ics


def test_a_moved_talk_tells_the_late_subscriber(tmp_path, capsys):
    cli(capsys, tmp_path, "2026-03-01T09:00:00Z", "ingest", "ical", calendar(tmp_path))
    subscribe(capsys, tmp_path, "2026-03-02T09:00:00Z", "/subscribe talks lovelace")
    dispatch(capsys, tmp_path, "2026-03-02T09:00:00Z")
    cli(capsys, tmp_path, "2026-03-03T09:00:00Z", "ingest", "ical",
        calendar(tmp_path, moved=True))
    report, posted = dispatch(capsys, tmp_path, "2026-03-03T09:00:00Z")
    assert [e["purpose"] for e in report["sent"]] == ["updated"]
    assert "Counting curves" in posted


def test_subscribing_again_repeats_no_talk_and_papers_keep_no_backlog(tmp_path, capsys):
    now = "2026-03-02T09:00:00Z"
    cli(capsys, tmp_path, "2026-03-01T09:00:00Z", "ingest", "ical", calendar(tmp_path))
    subscribe(capsys, tmp_path, now, "/subscribe talks lovelace")
    assert len(dispatch(capsys, tmp_path, now)[0]["sent"]) == 4
    reply = subscribe(capsys, tmp_path, now, "/subscribe talks curves OR knots")
    assert "No upcoming talk matches yet" in reply  # both were told already
    assert dispatch(capsys, tmp_path, now)[0]["sent"] == []
    reply = subscribe(capsys, tmp_path, now, "/subscribe papers lovelace")
    assert "Only papers lectern first sees from now on are announced" in reply


def test_one_upcoming_talk_is_announced_alone(tmp_path, capsys):
    cli(capsys, tmp_path, "2026-03-01T09:00:00Z", "ingest", "ical", calendar(tmp_path))
    now = "2026-03-20T09:00:00Z"
    assert "1 upcoming talk matches" in subscribe(capsys, tmp_path, now,
                                                   "/subscribe talks lovelace")
    report, posted = dispatch(capsys, tmp_path, now)
    assert [e["item_id"] for e in report["sent"] if e["purpose"] == "announce"]
    assert "Knots in 4D" in posted and "upcoming talks match" not in posted


def test_a_tba_that_gets_its_title_reaches_the_channel_that_now_matches(tmp_path, capsys):
    """Updates are matched again: a channel subscribed to `diffusion` hears of the talk
    once its title says so; the channel told of it before hears old → new."""
    calendar_file = tmp_path / "ml.ics"  # one source, read twice
    body = ("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//maths//EN\nBEGIN:VEVENT\n"
            "UID:ml-1@maths.example.ac.uk\nSEQUENCE:{seq}\nDTSTAMP:20260101T000000Z\n"
            "DTSTART:20260320T150000Z\nDTEND:20260320T160000Z\n"
            "SUMMARY:ML Seminar: {title}\nEND:VEVENT\nEND:VCALENDAR\n")
    now = "2026-03-01T09:00:00Z"
    subscribe(capsys, tmp_path, now, "/subscribe talks ml seminar")
    code, out, _ = cli(capsys, tmp_path, now, "command", "--channel", "console:gen",
                       "--user", "U1", "--manager", "/subscribe talks diffusion")
    assert code == 0
    calendar_file.write_text(body.format(seq=0, title="TBA"))
    cli(capsys, tmp_path, now, "ingest", "ical", str(calendar_file))
    report, _ = dispatch(capsys, tmp_path, now)
    assert {e["channel"] for e in report["sent"]} == {CHANNEL}

    calendar_file.write_text(body.format(seq=1, title="Score matching meets diffusion"))
    cli(capsys, tmp_path, "2026-03-02T09:00:00Z", "ingest", "ical", str(calendar_file))
    report, posted = dispatch(capsys, tmp_path, "2026-03-02T09:00:00Z")
    sent = {(e["channel"], e["purpose"]) for e in report["sent"]}
    assert sent == {(CHANNEL, "updated"), ("console:gen", "announce")}
    assert "title: ML Seminar: TBA → ML Seminar: Score matching meets diffusion" in posted


ADDED = ("/seminars add Title: Diffusion as Transport Speaker: Jane Doe Time: 2026-03-20 "
         "15:00-16:00 Location: Room 1")


def test_a_members_talk_stays_in_its_channel_until_a_manager_shares_it(tmp_path, capsys):
    now = "2026-03-01T09:00:00Z"
    for channel in ("console:ml", "console:late"):
        cli(capsys, tmp_path, now, "command", "--channel", channel, "--user", "U1",
            "--manager", "/subscribe talks diffusion")
    code, out, _ = cli(capsys, tmp_path, now, "command", "--channel", "console:ml",
                       "--user", "U7", "--json", ADDED)
    reply = json.loads(out)["text"]
    assert code == 0 and "Announced in this channel only" in reply
    [talk] = [word for word in reply.split() if word.startswith("talk-")][:1]
    report, _ = dispatch(capsys, tmp_path, now)
    assert {(e["channel"], e["purpose"]) for e in report["sent"]} == {
        ("console:ml", "announce")}

    code, out, _ = cli(capsys, tmp_path, now, "command", "--channel", "console:ml",
                       "--user", "U7", f"/seminars share {talk}")
    assert code == 2 and "only channel managers" in out
    code, out, _ = cli(capsys, tmp_path, now, "command", "--channel", "console:ml",
                       "--user", "U1", "--manager", f"/seminars share {talk}")
    assert code == 0 and "shared by U1" in out
    report, _ = dispatch(capsys, tmp_path, now)
    assert {(e["channel"], e["purpose"]) for e in report["sent"]} == {
        ("console:late", "announce")}
    store = Store.open(tmp_path / "l.db")
    try:
        assert store.db.execute("SELECT added_in, added_by, shared_by FROM talks").fetchall() \
            == [("console:ml", "U7", "U1")]
    finally:
        store.close()
