"""The real-world corpus (../shared/corpus): every calendar and the arXiv capture through the
CLI into one database, with no crash and a clear word for what cannot be read."""

from __future__ import annotations

import json
import re

import pytest

from bot.app.cli import main
from tests.conftest import SHARED, shared_file

CALENDARS = sorted((SHARED / "corpus" / "ics").glob("*.ics")) if SHARED.exists() else []


@pytest.mark.slow
def test_every_corpus_calendar_is_stored_or_explained(tmp_path, capsys):
    shared_file("corpus", "ics")
    assert len(CALENDARS) >= 90
    db = str(tmp_path / "corpus.db")
    stored = 0
    for calendar in CALENDARS:
        code = main(["--db", db, "--now", "2019-03-01T00:00:00Z", "ingest", "ical",
                     str(calendar), "--json"])
        out, err = capsys.readouterr()
        assert code in (0, 2), calendar.name
        assert "Traceback" not in err, calendar.name
        if code == 0:
            stored += json.loads(out)["talks"]["new"]
        else:
            assert err.startswith("lectern: ") and calendar.name in err
    assert stored > 100
    # The database holds what it said it stored, and nothing is half-written.
    assert main(["--db", db, "seminars", "--all", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["talks"]) == stored


def test_the_arxiv_capture_keeps_ids_and_announce_types(tmp_path, capsys):
    capture = shared_file("corpus", "feeds", "arxiv-atom-cs.AI-2025-08-20.xml")
    db = str(tmp_path / "l.db")
    assert main(["--db", db, "ingest", "arxiv-rss", str(capture), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["papers"]["new"] == 7
    assert main(["--db", db, "papers", "latest", "--limit", "10", "--json"]) == 0
    ids = [r["id"] for r in json.loads(capsys.readouterr().out)["results"]]
    assert len(ids) == 7 and all(re.fullmatch(r"arxiv:\d{4}\.\d{4,5}", i) for i in ids)
