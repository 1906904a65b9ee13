"""The operator CLI end to end: real files, real SQLite, the exact JSON documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.app.cli import main
from tests.conftest import DATA

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
NOW = "2026-11-23T09:00:00Z"


def cli(capsys, db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), "--now", NOW, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_ingest_then_search_with_the_documented_json(tmp_path, capsys):
    db = tmp_path / "l.db"
    code, out, _ = cli(capsys, db, "ingest", "arxiv-rss",
                       str(EXAMPLES / "data" / "arxiv-cs.LG.xml"), "--json")
    assert code == 0
    report = json.loads(out)
    assert set(report) == {"kind", "location", "read", "papers", "warnings"}
    assert report["read"] == 8
    assert report["kind"] == "arxiv-rss"
    assert report["papers"] == {"new": 8, "updated": 0, "unchanged": 0}

    code, out, _ = cli(capsys, db, "ingest", "hf-daily",
                       str(EXAMPLES / "data" / "hf-daily.json"), "--json")
    assert json.loads(out)["papers"] == {"new": 1, "updated": 3, "unchanged": 0}

    code, out, _ = cli(capsys, db, "search", "pruning transformers", "--json")
    assert code == 0
    document = json.loads(out)
    assert document["query"] == "pruning transformers"
    [hit] = document["results"]
    assert set(hit) == {"kind", "id", "title", "url", "authors", "published", "score"}
    assert hit["kind"] == "paper" and hit["id"] == "arxiv:2611.14310"
    assert hit["authors"] == ["Lucía Ferreira", "Tomás Novak"]
    assert hit["published"].endswith("Z") and isinstance(hit["score"], float)


def test_papers_latest_is_newest_first(tmp_path, capsys):
    db = tmp_path / "l.db"
    cli(capsys, db, "ingest", "arxiv-rss", str(EXAMPLES / "data" / "arxiv-cs.LG.xml"))
    cli(capsys, db, "ingest", "rss", str(EXAMPLES / "data" / "lab-blog.atom"))
    code, out, _ = cli(capsys, db, "papers", "latest", "--limit", "3", "--json")
    results = json.loads(out)["results"]
    assert code == 0 and len(results) == 3
    published = [r["published"] for r in results]
    assert published == sorted(published, reverse=True)
    assert results[0]["title"] == "What we learned pruning transformers for calibration"


def test_ingest_from_stdin(tmp_path, capsys, monkeypatch):
    import io
    import sys
    data = (EXAMPLES / "data" / "lab-blog.atom").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, _ = cli(capsys, tmp_path / "l.db", "ingest", "rss", "-", "--json")
    assert code == 0 and json.loads(out)["papers"]["new"] == 2


def test_endless_stdin_is_refused_at_the_body_limit(tmp_path, capsys, monkeypatch):
    import io
    import sys

    class Endless(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:
            buffer[:] = b"<" * len(buffer)
            return len(buffer)

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(Endless())))
    code, _, err = cli(capsys, tmp_path / "l.db", "ingest", "rss", "-")
    assert code == 2 and "- is larger than the 10 MiB" in err


@pytest.mark.parametrize(("args", "code", "says"), [
    (["ingest", "rss", "/no/such/file.xml"], 2, "cannot read /no/such/file.xml"),
    (["ingest", "rss", "ftp://example.org/x"], 2, "only http:// and https://"),
    (["ingest", "arxiv-rss", str(DATA / "truncated-feed.xml")], 2, "truncated-feed.xml"),
    (["search", "(diffusion"], 2, "never closed"),
    (["search", "--", "-video"], 2, "at least one word"),
    (["--now", "yesterday", "search", "x"], 2, "ISO 8601"),
    (["papers", "latest", "--limit", "0"], 2, "positive whole number"),
    (["ingest", "nonsense", "x"], 2, "invalid choice"),
    # An endless file is refused at the body limit (before: 7.5 GB in 10 s).
    (["ingest", "rss", "/dev/zero"], 2, "larger than the 10 MiB lectern reads"),
])
def test_errors_are_one_actionable_line_with_the_right_exit_code(tmp_path, capsys, args,
                                                                 code, says):
    try:
        got = main(["--db", str(tmp_path / "l.db"), *args])
    except SystemExit as exit_:  # argparse's own usage errors
        got = exit_.code
    err = capsys.readouterr().err
    assert got == code
    assert says in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_bad_config_reports_every_problem_at_once(tmp_path, capsys):
    config = tmp_path / "bad.toml"
    config.write_text('timezone = "Mars/Olympus"\n[[sources]]\nname = "x"\nkind = "gopher"\n'
                      'url = "ftp://x"\nevery = "soon"\n')
    code = main(["--config", str(config), "--db", str(tmp_path / "l.db"), "sources", "list"])
    err = capsys.readouterr().err
    assert code == 2
    for problem in ("Mars/Olympus", "gopher", "http://", "30m"):
        assert problem in err


def test_sources_list_shows_config_sources_with_health(tmp_path, capsys):
    code = main(["--config", str(EXAMPLES / "demo.toml"), "--db", str(tmp_path / "l.db"),
                 "--now", NOW, "poll", "--json"])
    polls = json.loads(capsys.readouterr().out)["polls"]
    names = ["arxiv-cs-lg", "hf-daily", "joint-ml-seminar", "lab-blog", "ml-seminar"]
    assert code == 0 and sorted(p["source"] for p in polls) == names
    assert all(p["error"] is None for p in polls)
    main(["--config", str(EXAMPLES / "demo.toml"), "--db", str(tmp_path / "l.db"),
          "sources", "list", "--json"])
    sources = json.loads(capsys.readouterr().out)["sources"]
    assert [s["name"] for s in sources] == names
    assert all(s["healthy"] and s["last_success"] == NOW for s in sources)


def test_migrate(tmp_path, capsys):
    assert main(["--db", str(tmp_path / "l.db"), "migrate"]) == 0
    assert "applied migrations [1" in capsys.readouterr().out
    assert main(["--db", str(tmp_path / "l.db"), "migrate"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_ingest_refuses_the_source_name_pasted_talks_are_kept_under(tmp_path, capsys):
    # A document read into chat-slack-C1 would cancel the talks pasted in C1 that it
    # does not list; /sources add and the config file refuse the name too.
    with pytest.raises(SystemExit) as stopped:
        main(["--db", str(tmp_path / "l.db"), "ingest", "ical", "-", "--source",
              "Chat-slack-C1"])
    assert stopped.value.code == 2
    assert "kept for the talks members paste in chat" in capsys.readouterr().err
