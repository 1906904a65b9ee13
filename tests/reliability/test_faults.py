"""Faults answered with one line and an exit code, never a traceback: a damaged, full or
read-only database, configuration files that are not configuration, and command text no
parser expected (issue 13's list, each seen failing with a traceback or "something went
wrong" before)."""

from __future__ import annotations

import sqlite3

import pytest

from bot.app.cli import main
from storage.store import Store


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_damaged_database_file_is_one_line(tmp_path, capsys):
    db = tmp_path / "lectern.db"
    db.write_bytes(b"this is not SQLite at all" * 200)
    code, _, err = run(capsys, "--db", str(db), "search", "x")
    assert code == 1 and "is not a lectern database or is damaged" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(("raised", "says"), [
    ("database or disk is full", "is full (database or disk is full); nothing was half"),
    ("attempt to write a readonly database", "cannot write"),
    ("unable to open database file", "check the file's and its folder's permissions"),
])
def test_a_full_disk_or_read_only_database_is_one_line(tmp_path, capsys, monkeypatch, raised,
                                                        says):
    """SQLite's own errors, raised where it raises them (opening and writing)."""
    def failing(*args, **kwargs):
        raise sqlite3.OperationalError(raised)

    monkeypatch.setattr(Store, "open", classmethod(lambda cls, *a, **k: failing()))
    code, _, err = run(capsys, "--db", str(tmp_path / "l.db"), "search", "x")
    assert code == 1 and says in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


NESTED = "x = " + "[" * 3000 + "]" * 3000 + "\n"


@pytest.mark.parametrize(("config", "says"), [
    (None, "cannot be read (Is a directory); give the path of a .toml file"),
    (b"\x89PNG\r\n\x1a\n\x00\xff\xfe binary", "is not valid TOML (UTF-8 text)"),
    (NESTED.encode(), "is not valid TOML (UTF-8 text): nests too deep"),
    (b'[[sources]]\nname = "a"\nkind = "rss"\nurl = "https://x.org/f"\n'
     b'every = "99999999999999999999999d"\n', "every must look like 30m, 6h or 1d, at most"),
    (b'[slack]\nmanagers = "U1"\n', 'slack.managers must be a list of user ids'),
    (b'[[sources]]\nname = 5\nkind = "rss"\nurl = "https://x.org/f"\n', "needs a name of"),
    (b"[fetch]\nmax_body_mb = 1e308\n", "fetch.max_body_mb must be a positive number up to"),
    # the source pasted talks are stored under: its polls would cancel them (7d34abb)
    (b'[[sources]]\nname = "Chat-slack-C1"\nkind = "ical"\nurl = "https://x.org/c.ics"\n',
     "names starting with 'chat-' are kept for the talks members paste"),
])
def test_a_configuration_that_is_not_one_is_said_in_a_line(tmp_path, capsys, config, says):
    path = tmp_path / "conf.toml"
    if config is None:
        path.mkdir()
    else:
        path.write_bytes(config)
    code, _, err = run(capsys, "--config", str(path), "--db", str(tmp_path / "l.db"),
                       "search", "x")
    assert code == 2 and says in err and "Traceback" not in err


@pytest.mark.parametrize(("line", "says"), [
    ("/papers latest ²", "give a number from 1 to 20"),
    ("/unsubscribe ²", "is not a subscription number"),
    ("/papers latest " + "9" * 5000, "give a number from 1 to 20"),
    ("/sources add rss http://[127.0.0.1]/", "is not a valid web address"),
    ("/subscribe diff\udc00usion", "not valid text"),
    ("/seminars search a\ud800b", "not valid text"),
    ("/sources add rss https://x.org/\ud800", "not valid text"),
])
def test_command_text_no_parser_expected_gets_one_line(tmp_path, capsys, line, says):
    code, out, err = run(capsys, "--db", str(tmp_path / "l.db"), "command", "--channel",
                         "console:lab", "--manager", line)
    assert code == 2 and says in out and "something went wrong" not in out
    assert len(out.strip().splitlines()) == 1 and "Traceback" not in err

