"""Reading stored papers back: a row as the merged Paper, by id, the newest, how many."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import sqlite_utils

from bot.clock import parse_instant, to_iso
from bot.models import Paper
from storage.papers import lists_from_json


def paper_from_row(row: dict[str, Any]) -> Paper:
    """A stored row (as read from SQLite) -> the merged Paper."""
    row = lists_from_json(dict(row))
    sources = row["sources"]
    return Paper(
        id=row["id"], title=row["title"], source=sources[0] if sources else "",
        url=row["url"] or "", abstract=row["abstract"] or "", authors=row["authors"],
        categories=row["categories"],
        published=parse_instant(row["published"]) if row["published"] else None,
        updated=parse_instant(row["updated"]) if row["updated"] else None,
        arxiv_id=row["arxiv_id"], version=row["version"], doi=row["doi"],
        pdf_url=row["pdf_url"], announce_type=row["announce_type"], comment=row["comment"],
        journal_ref=row["journal_ref"], upvotes=row["upvotes"],
        num_comments=row["num_comments"], github_url=row["github_url"],
        project_url=row["project_url"],
        listed_on=date.fromisoformat(row["listed_on"]) if row["listed_on"] else None,
    )


def get_paper(db: sqlite_utils.Database, paper_id: str) -> tuple[Paper, list[str]] | None:
    """The merged paper and every source that has seen it."""
    rows = list(db.query("SELECT * FROM papers WHERE id = ?", [paper_id]))
    if not rows:
        return None
    return paper_from_row(rows[0]), json.loads(rows[0]["sources"] or "[]")


def stored_ids(db: sqlite_utils.Database, paper_ids: list[str]) -> set[str]:
    """Which of these papers are stored, without loading them (a catch-up list names a few
    of hundreds)."""
    found: set[str] = set()
    for start in range(0, len(paper_ids), 500):
        chunk = paper_ids[start:start + 500]
        marks = ", ".join("?" * len(chunk))
        found.update(row[0] for row in db.execute(
            f"SELECT id FROM papers WHERE id IN ({marks})", chunk))  # noqa: S608
    return found


def latest_papers(db: sqlite_utils.Database, limit: int = 10) -> list[Paper]:
    """Newest first by publication time, then by arrival."""
    rows = db.query("SELECT * FROM papers ORDER BY published DESC, seq DESC LIMIT ?",
                    [max(1, limit)])
    return [paper_from_row(row) for row in rows]


def count_papers(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT count(*) FROM papers").fetchone()[0]


def count_arxiv_papers_since(db: sqlite_utils.Database, since: datetime) -> int:
    """Papers with an arXiv id first seen since then: did arXiv announce anything?"""
    return db.execute("SELECT count(*) FROM papers WHERE arxiv_id IS NOT NULL "
                      "AND first_seen >= ?", [to_iso(since)]).fetchone()[0]
