"""`lectern command`: one slash command from the shell, with the registry `lectern run` builds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.app.cli import main
from storage.store import Store

NOW = "2026-11-23T09:00:00Z"
ANNOUNCEMENT = """/seminars add
Speaker: Jane Doe (Stanford)
Title: Diffusion as Transport
Time: 2026-12-03 15:00-16:00
Location: Room 1"""


def cli(capsys, db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), "--now", NOW, "command", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_manager_subscribes_and_anyone_lists(tmp_path, capsys):
    db = tmp_path / "l.db"
    code, out, _ = cli(capsys, db, "--channel", "slack:C0123ABC", "--user", "U1",
                       "--manager", "/subscribe talks speaker:hinton")
    assert code == 0 and out.startswith("Subscription 1 added by U1: new talks matching")
    code, out, _ = cli(capsys, db, "--channel", "slack:C0123ABC", "--json", "/subscriptions")
    document = json.loads(out)
    assert set(document) == {"text", "private", "ok"} and document["private"] is True
    assert document["ok"] is True
    assert "• 1 · talks · speaker:hinton" in document["text"]
    store = Store.open(db)
    try:
        [sub] = store.list_subscriptions("slack:C0123ABC")
        assert sub.created_by == "U1"
    finally:
        store.close()


def test_without_manager_a_change_is_refused(tmp_path, capsys):
    code, out, _ = cli(capsys, tmp_path / "l.db", "--channel", "console:ml", "--json",
                       "/settings timezone Europe/London")
    document = json.loads(out)
    assert code == 2 and document["private"] is True and document["ok"] is False
    assert document["text"].startswith("only channel managers can use /settings timezone")


def test_a_pasted_announcement_is_read(tmp_path, capsys):
    code, out, _ = cli(capsys, tmp_path / "l.db", "--channel", "discord:112233", "--json",
                       ANNOUNCEMENT)
    document = json.loads(out)
    assert code == 0 and document["private"] is False
    assert "(added): Diffusion as Transport" in document["text"]
    assert "when: Thu 3 Dec 2026, 15:00–16:00 UTC" in document["text"]


def test_a_wrong_command_is_a_one_line_reply(tmp_path, capsys):
    code, out, _ = cli(capsys, tmp_path / "l.db", "--channel", "console:ml", "/nope")
    assert code == 2 and out == "there is no /nope command; type /help to see them all\n"


@pytest.mark.parametrize(("args", "says"), [
    (["--channel", "ml", "/help"], "'ml' is not a channel; write PLATFORM:ID"),
    (["--channel", "irc:ml", "/help"], "'irc:ml' is not a channel"),
    (["--channel", "slack:", "/help"], "'slack:' is not a channel"),
    (["--channel", "console:ml", "help"], "'help' is not a slash command"),
    (["/help"], "the following arguments are required: --channel"),
])
def test_bad_usage_exits_2(tmp_path, capsys, args, says):
    with pytest.raises(SystemExit) as exit_:
        cli(capsys, tmp_path / "l.db", *args)
    assert exit_.value.code == 2
    assert says in capsys.readouterr().err
