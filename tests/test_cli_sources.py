"""The CLI says what was not read: `lectern ingest --json` carries every warning (each
skipped block names its line), `lectern poll` prints the first, and `lectern sources list`
shows a source whose document held nothing as UNHEALTHY, "read 0 talks"."""

from __future__ import annotations

import json
from pathlib import Path

from bot.app.cli import main
from tests.conftest import DATA

COLLOQUIUM = DATA / "seminar" / "colloquium.html"
UNDATED = (DATA / "seminar" / "colloquium-undated.html").read_bytes()


def cli(capsys, tmp_path: Path, *args: str, now: str = "2026-11-23T09:00:00Z"):
    code = main(["--config", str(tmp_path / "l.toml"), "--db", str(tmp_path / "l.db"),
                 "--now", now, *args])
    out, err = capsys.readouterr()
    return code, out, err


def configure(tmp_path: Path) -> None:
    (tmp_path / "undated.html").write_bytes(UNDATED)
    (tmp_path / "l.toml").write_text(
        '[[sources]]\nname = "colloquium"\nkind = "seminar-page"\n'
        f'path = "{COLLOQUIUM}"\n'
        '[[sources]]\nname = "spring"\nkind = "seminar-page"\npath = "undated.html"\n')


def test_ingest_json_carries_each_skipped_block(tmp_path, capsys):
    configure(tmp_path)
    code, out, _ = cli(capsys, tmp_path, "ingest", "seminar-page",
                       str(tmp_path / "undated.html"), "--json")
    report = json.loads(out)
    assert code == 0 and report["read"] == 0 and report["talks"]["new"] == 0
    assert len(report["warnings"]) == 2
    assert "line 10" in report["warnings"][0] and "line 15" in report["warnings"][1]
    code, out, err = cli(capsys, tmp_path, "ingest", "seminar-page",
                         str(tmp_path / "undated.html"))
    assert out.strip().endswith(": read 0 talks")
    assert [line for line in err.splitlines() if line.startswith("warning: ")] == [
        f"warning: {warning}" for warning in report["warnings"]]


def test_poll_and_sources_list_say_what_was_not_read(tmp_path, capsys):
    configure(tmp_path)
    code, out, _ = cli(capsys, tmp_path, "poll", "--json")
    polls = {poll["source"]: poll for poll in json.loads(out)["polls"]}
    assert code == 0 and polls["spring"]["read"] == 0 and polls["colloquium"]["read"] == 4
    first = polls["spring"]["warnings"][0]
    code, out, _ = cli(capsys, tmp_path, "poll", "--source", "spring",
                       now="2026-11-23T10:00:00Z")
    assert out == f"spring: read 0 talks; 2 warnings, the first: {first}\n"

    code, out, _ = cli(capsys, tmp_path, "sources", "list")
    assert code == 0
    lines = out.splitlines()
    spring = lines[lines.index(f"spring [seminar-page] {tmp_path / 'undated.html'}") + 1]
    assert spring == (f"    UNHEALTHY, read 0 talks from its last document (2 warnings, the "
                      f"first: {first}); last success 2026-11-23 10:00 UTC")
    assert lines[1].startswith("    ok, read 4 talks")

    code, out, _ = cli(capsys, tmp_path, "sources", "list", "--json")
    listed = {source["name"]: source for source in json.loads(out)["sources"]}
    assert (listed["spring"]["healthy"], listed["spring"]["health"]) == (False, "empty")
    assert listed["spring"]["reason"].startswith("read 0 talks from its last document")
    assert listed["spring"]["last_reading"] == {
        "items": 0, "warnings": 2, "first_warning": first,
        "empty_since": "2026-11-23T09:00:00Z"}
    assert (listed["colloquium"]["health"], listed["colloquium"]["last_reading"]["items"]) \
        == ("ok", 4)
