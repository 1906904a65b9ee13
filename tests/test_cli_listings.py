"""`lectern papers latest --json` and `lectern seminars --json` print every stored field:
records with every field filled are stored in a real SQLite file, listed through the CLI,
and compared field by field and against the tables' columns."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import fields
from datetime import UTC, date, datetime
from pathlib import Path

from bot.app.cli import main
from bot.models import Paper, Talk
from storage.store import Store

README = Path(__file__).resolve().parents[1] / "README.md"

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
START = datetime(2026, 11, 25, 15, 30, tzinfo=UTC)
# Columns that are the store's bookkeeping, not something a source said.
# Where a talk given in chat came from (storage.talk_origin) is not a field of the talk.
BOOKKEEPING = {"seq", "first_seen", "last_changed", "changes", "added_in", "added_by",
               "shared_by", "shared_at"}
# The keys ../shared/tools/realworld-check reads (and other tools may): kept as they were.
PAPER_KEYS = {"kind", "id", "title", "url", "authors", "published", "score"}
TALK_KEYS = {"id", "series", "title", "speaker", "affiliation", "start", "end", "timezone",
             "location", "meeting_url", "replay_url", "status", "abstract"}

PAPER = Paper(
    id="arxiv:2411.04321", title="Scaling Laws for Tabular Foundation Models",
    source="arxiv-cs-lg", url="https://arxiv.org/abs/2411.04321",
    abstract="We fit scaling laws.", authors=["Ana Souza", "Kenji Watanabe"],
    categories=["cs.LG", "stat.ML"], published=datetime(2026, 11, 20, 5, 0, tzinfo=UTC),
    updated=datetime(2026, 11, 21, 5, 0, tzinfo=UTC), arxiv_id="2411.04321", version=3,
    doi="10.1234/jmlr.2025.0042", pdf_url="https://arxiv.org/pdf/2411.04321v3",
    announce_type="replace", comment="12 pages", journal_ref="JMLR 26 (2025) 1-38",
    upvotes=7, num_comments=2, github_url="https://github.com/example/tabular",
    project_url="https://example.org/tabular", listed_on=date(2026, 11, 21))

TALK = Talk(
    key="colloquium@2026-11-25", title="Sheaves for data", source="math-colloquium",
    start=START, end=datetime(2026, 11, 25, 16, 30, tzinfo=UTC), timezone="Europe/London",
    all_day=False, series="Math Colloquium", speakers=["Guoning Chen", "Ana Souza"],
    affiliation="University of Houston", abstract="We glue local data.", bio="Works on it.",
    location="Huxley 140", meeting_url="https://zoom.us/j/123", meeting_id="123 456 789",
    meeting_password="314159", livestream_url="https://live.example.org/c",
    replay_url="https://video.example.org/c", slides_url="https://example.org/c.pdf",
    homepage="https://example.org/~chen", url="https://example.org/colloquium#c",
    language="en", chair="Eva Lindqvist")


def listed(tmp_path: Path, capsys, *args: str) -> dict:
    code = main(["--db", str(tmp_path / "l.db"), "--now", "2026-11-23T09:00:00Z", *args])
    assert code == 0
    return json.loads(capsys.readouterr().out)


def stored(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "l.db")
    store.upsert_papers([PAPER], NOW)
    store.upsert_talks(TALK.source, [TALK], NOW)
    return store


def columns(tmp_path: Path, table: str) -> set[str]:
    with sqlite3.connect(tmp_path / "l.db") as conn:
        return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}


def test_papers_latest_prints_every_field_of_the_stored_paper(tmp_path, capsys):
    stored(tmp_path).close()
    (paper,) = listed(tmp_path, capsys, "papers", "latest", "--json")["results"]
    assert paper["kind"] == "paper" and PAPER_KEYS <= set(paper)
    for field in fields(Paper):
        if field.name != "former_id":  # never stored
            assert field.name in paper, field.name
    assert paper["categories"] == ["cs.LG", "stat.ML"] and paper["version"] == 3
    assert (paper["announce_type"], paper["doi"]) == ("replace", "10.1234/jmlr.2025.0042")
    assert paper["published"] == "2026-11-20T05:00:00Z"
    assert paper["updated"] == "2026-11-21T05:00:00Z"
    assert paper["listed_on"] == "2026-11-21" and paper["source"] == "arxiv-cs-lg"
    assert {k: paper[k] for k in ("abstract", "authors", "pdf_url", "comment", "journal_ref",
                                  "upvotes", "num_comments", "github_url", "project_url")} \
        == {"abstract": PAPER.abstract, "authors": PAPER.authors, "pdf_url": PAPER.pdf_url,
            "comment": PAPER.comment, "journal_ref": PAPER.journal_ref, "upvotes": 7,
            "num_comments": 2, "github_url": PAPER.github_url,
            "project_url": PAPER.project_url}
    # Every column of the papers table is printed (its list of sources as the first one).
    assert columns(tmp_path, "papers") - BOOKKEEPING - {"sources"} <= set(paper)


def test_seminars_prints_every_field_of_the_stored_talk(tmp_path, capsys):
    store = stored(tmp_path)
    ((talk_id, _),) = store.list_talks()
    store.close()
    for upcoming_or_all in ([], ["--all"]):
        (talk,) = listed(tmp_path, capsys, "seminars", *upcoming_or_all, "--json")["talks"]
        assert TALK_KEYS <= set(talk)
        assert talk["id"] == talk_id and talk["speaker"] == "Guoning Chen, Ana Souza"
        for field in fields(Talk):
            value = getattr(TALK, field.name)
            expected = value.strftime("%Y-%m-%dT%H:%M:%SZ") if isinstance(value, datetime) \
                else value
            assert talk[field.name] == expected, field.name
        assert columns(tmp_path, "talks") - BOOKKEEPING <= set(talk)


def test_the_readme_names_every_listed_field():
    text = README.read_text(encoding="utf-8")
    for field in [*fields(Paper), *fields(Talk)]:
        if field.name != "former_id":
            assert f"`{field.name}`" in text, f"README does not name the field {field.name}"
