"""The CLI for talks: ingest of calendars, pages and announcements, listing, export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.app.cli import main
from tests.conftest import DATA, shared_file

NOW = "2026-03-01T09:00:00Z"
# Among the keys of a listed talk (test_cli_listings checks that every stored field is).
TALK_KEYS = {"id", "series", "title", "speaker", "affiliation", "start", "end", "timezone",
             "location", "meeting_url", "replay_url", "status", "abstract"}


def cli(capsys, db: Path, *args: str, now: str = NOW) -> tuple[int, str, str]:
    code = main(["--db", str(db), "--now", now, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_ical_ingest_is_idempotent_and_listed_soonest_first(tmp_path, capsys):
    db = tmp_path / "l.db"
    code, out, _ = cli(capsys, db, "ingest", "ical", str(DATA / "ical" / "weekly_london.ics"),
                       "--json")
    first = json.loads(out)
    assert code == 0 and first["talks"]["new"] > 10 and first["talks"]["cancelled"] == 0
    _, out, _ = cli(capsys, db, "ingest", "ical", str(DATA / "ical" / "weekly_london.ics"),
                    "--json")
    again = json.loads(out)["talks"]
    assert again == {"new": 0, "updated": 0, "cancelled": 0,
                     "unchanged": first["talks"]["new"]}
    _, out, _ = cli(capsys, db, "seminars", "--json")
    talks = json.loads(out)["talks"]
    assert talks and TALK_KEYS <= set(talks[0])
    starts = [t["start"] for t in talks]
    assert starts == sorted(starts) and all(s.endswith("Z") and s > NOW for s in starts)
    # The weekly 15:00 London talk is 15:00Z in winter and 14:00Z in summer.
    assert "2026-03-05T15:00:00Z" in starts and "2026-04-02T14:00:00Z" in starts


def test_seminars_filters(tmp_path, capsys):
    db = tmp_path / "l.db"
    cli(capsys, db, "ingest", "ical", str(DATA / "ical" / "weekly_london.ics"))
    _, out, _ = cli(capsys, db, "seminars", "--all", "--to", "2026-03-20T00:00:00Z", "--json")
    assert [t["start"] for t in json.loads(out)["talks"]][-1] < "2026-03-20"
    _, out, _ = cli(capsys, db, "seminars", "--series", "no such series", "--json")
    assert json.loads(out)["talks"] == []


def test_export_then_reimport_gives_the_same_talks(tmp_path, capsys):
    db, copy = tmp_path / "l.db", tmp_path / "copy.db"
    cli(capsys, db, "ingest", "ical", str(DATA / "ical" / "researchseminars.ics"))
    cli(capsys, db, "ingest", "ical", str(DATA / "ical" / "indico.ics"))
    exported = tmp_path / "talks.ics"
    assert cli(capsys, db, "export-ics", "--output", str(exported))[0] == 0
    cli(capsys, copy, "ingest", "ical", str(exported), "--json")
    _, before, _ = cli(capsys, db, "seminars", "--all", "--json")
    _, after, _ = cli(capsys, copy, "seminars", "--all", "--json")
    fields = ("title", "speaker", "affiliation", "start", "end", "status", "location")

    def view(document):
        return sorted(tuple(t[f] for f in fields) for t in json.loads(document)["talks"])
    assert view(before) == view(after) and len(view(before)) > 3


def test_pasted_announcement(tmp_path, capsys):
    text = tmp_path / "mail.txt"
    text.write_text("Dear all,\n\nSpeaker: Grace Hopper (Harvard University)\n"
                    "Title: Compilers for Everyone\nTime: 2026-12-03 15:00-16:00\n"
                    "Zoom: https://zoom.example.org/j/123\n", encoding="utf-8")
    code, out, _ = cli(capsys, tmp_path / "l.db", "ingest", "announcement", str(text),
                       "--tz", "Europe/London", "--series", "CS Colloquium", "--json")
    assert code == 0 and json.loads(out)["talks"]["new"] == 1
    _, out, _ = cli(capsys, tmp_path / "l.db", "seminars", "--json")
    [talk] = json.loads(out)["talks"]
    assert (talk["title"], talk["speaker"], talk["affiliation"]) == (
        "Compilers for Everyone", "Grace Hopper", "Harvard University")
    assert (talk["start"], talk["end"]) == ("2026-12-03T15:00:00Z", "2026-12-03T16:00:00Z")
    assert talk["series"] == "CS Colloquium"
    assert talk["meeting_url"] == "https://zoom.example.org/j/123"


def test_gbk_page_through_the_cli(tmp_path, capsys):
    code, out, _ = cli(capsys, tmp_path / "l.db", "ingest", "seminar-page",
                       str(DATA / "seminar" / "math-institute-gb2312.html"), "--tz",
                       "Asia/Shanghai", "--json")
    assert code == 0 and json.loads(out)["talks"]["new"] >= 1
    _, out, _ = cli(capsys, tmp_path / "l.db", "search", "报告", "--kind", "talks", "--json")
    assert all(r["kind"] == "talk" for r in json.loads(out)["results"])


def test_the_real_seminar_page(tmp_path, capsys):
    page = shared_file("seeds", "joint-ml-seminar-page.txt")
    code, out, _ = cli(capsys, tmp_path / "l.db", "ingest", "seminar-page", str(page),
                       "--tz", "Asia/Shanghai", "--json", now="2021-06-01T00:00:00Z")
    assert code == 0 and json.loads(out)["talks"]["new"] == 33
    _, out, _ = cli(capsys, tmp_path / "l.db", "search", "冷冻电镜", "--json")
    [hit] = json.loads(out)["results"]
    assert hit["title"] == "冷冻电镜原理及相关算法" and hit["published"] == "2021-11-27T01:30:00Z"


@pytest.mark.parametrize("args", [
    ["seminars", "--from", "soon"],
    ["ingest", "ical", str(DATA / "seminar" / "colloquium.html")],
    ["ingest", "seminar-page", str(DATA / "seminar" / "colloquium.html"), "--tz", "Mars/Base"],
])
def test_talk_errors_are_usage_errors(tmp_path, capsys, args):
    try:
        code = main(["--db", str(tmp_path / "l.db"), *args])
    except SystemExit as exit_:
        code = exit_.code
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("lectern: ") and "Traceback" not in err
