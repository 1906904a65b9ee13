"""The loop through the operator CLI: config subscriptions, ingest, dispatch, export."""

from __future__ import annotations

import json
from pathlib import Path

from bot.app.cli import main
from tests.conftest import DATA

CONFIG = """
timezone = "Europe/London"
[[subscriptions]]
channel = "console:lab"
query = "sheaf OR anosov"
kinds = "talks"
"""


def cli(capsys, tmp_path: Path, now: str, *args: str) -> tuple[int, str, str]:
    config = tmp_path / "lectern.toml"
    config.write_text(CONFIG)
    code = main(["--config", str(config), "--db", str(tmp_path / "l.db"), "--now", now,
                 *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_ingest_dispatch_then_reminders_and_export(tmp_path, capsys):
    now = "2026-05-01T09:00:00Z"
    cli(capsys, tmp_path, now, "ingest", "ical", str(DATA / "ical" / "researchseminars.ics"))
    code, out, err = cli(capsys, tmp_path, now, "dispatch", "--json")
    report = json.loads(out)
    assert code == 0 and set(report) == {"sent", "skipped", "failed"}
    assert report["sent"] and {e["purpose"] for e in report["sent"]} == {"announce"}
    assert set(report["sent"][0]) == {"channel", "purpose", "item_id", "late"}
    assert "New talk" in err  # the console channel's messages go to stderr with --json
    # Dispatching again at the same instant sends nothing: every row was marked sent.
    assert json.loads(cli(capsys, tmp_path, now, "dispatch", "--json")[1])["sent"] == []

    code, out, _ = cli(capsys, tmp_path, now, "export-ics", "--channel", "console:lab")
    followed = out.count("BEGIN:VEVENT")
    assert code == 0 and followed == len(report["sent"])
    assert "TRIGGER:-PT15M" in out and "TRIGGER:-P1D" in out

    _, everything, _ = cli(capsys, tmp_path, now, "export-ics")
    assert everything.count("BEGIN:VEVENT") > followed  # the unfollowed talks too


def test_poll_of_an_unknown_source_is_a_usage_error(tmp_path, capsys):
    code, _, err = cli(capsys, tmp_path, "2026-05-01T09:00:00Z", "poll", "--source", "nope")
    assert code == 2 and "no source named 'nope'" in err
