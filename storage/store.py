"""The Store: the one object the rest of lectern uses to reach the database."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from itertools import zip_longest
from pathlib import Path

import sqlite_utils

from bot.models import Paper, Query, SearchHit, Source, Talk, TalkChanges, UpsertResult
from storage import papers, search, sources, talks
from storage.db import open_db
from storage.migrations import migrate


class Store:
    """Papers, sources and search over one SQLite file. Not thread-safe: one per task."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    @classmethod
    def open(cls, path: str | Path, *, apply_migrations: bool = True) -> Store:
        db = open_db(path)
        if apply_migrations:
            migrate(db)
        return cls(db)

    def migrate(self) -> list[int]:
        return migrate(self.db)

    def close(self) -> None:
        self.db.conn.close()

    # papers
    def upsert_papers(self, items: Iterable[Paper], now: datetime,
                      progress: Callable[[int], None] | None = None) -> UpsertResult:
        return papers.upsert_papers(self.db, items, now, progress)

    def get_paper(self, paper_id: str) -> tuple[Paper, list[str]] | None:
        return papers.get_paper(self.db, paper_id)

    def latest_papers(self, limit: int = 10) -> list[Paper]:
        return papers.latest_papers(self.db, limit)

    def count_papers(self) -> int:
        return papers.count_papers(self.db)

    def search(self, query: Query, limit: int = 10, kind: str = "papers") -> list[SearchHit]:
        """Best first; `kind` is papers, talks or all (both, taken in turn, best first:
        papers and talks are scored differently, so their scores are not compared)."""
        if kind == "papers":
            return search.search_papers(self.db, query, limit)
        if kind == "talks":
            return talks.search_talks(self.db, query, limit)
        paper_hits = search.search_papers(self.db, query, limit)
        talk_hits = talks.search_talks(self.db, query, limit)
        merged = [hit for pair in zip_longest(paper_hits, talk_hits) for hit in pair if hit]
        return merged[:limit]

    # talks
    def upsert_talks(self, source: str, items: list[Talk], now: datetime,
                     covers: tuple[datetime, datetime] | None = None) -> TalkChanges:
        return talks.upsert_talks(self.db, source, items, now, covers)

    def list_talks(self, *, ending_after: datetime | None = None,
                   starting_before: datetime | None = None, series: str | None = None,
                   limit: int | None = None) -> list[tuple[str, Talk]]:
        return talks.list_talks(self.db, ending_after=ending_after,
                                starting_before=starting_before, series=series, limit=limit)

    def get_talk(self, talk_id: str) -> tuple[Talk, dict] | None:
        return talks.get_talk(self.db, talk_id)

    # sources
    def list_sources(self) -> list[Source]:
        return sources.list_sources(self.db)

    def get_source(self, name: str) -> Source | None:
        return sources.get_source(self.db, name)

    def save_source(self, source: Source, now: datetime) -> None:
        sources.save_source(self.db, source, now)

    def remove_source(self, name: str) -> bool:
        return sources.remove_source(self.db, name)

    def record_success(self, name: str, now: datetime, *, etag: str | None = None,
                       last_modified: str | None = None) -> None:
        sources.record_success(self.db, name, now, etag=etag, last_modified=last_modified)

    def record_failure(self, name: str, now: datetime, error: str) -> None:
        sources.record_failure(self.db, name, now, error)
