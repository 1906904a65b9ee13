"""The channels' taste: members' 👍/👎 votes on papers, and each channel's trained model.

A vote is one row per (channel, paper, member), changed in place, so a member has one vote
per paper in a channel. A channel's model (bot.relevance, trained by jobs.taste) is stored
as the bytes the model writes, beside the moment of the last vote it learned from, so a
restart neither retrains nor loses it. Votes and models never leave this database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlite_utils

from bot.clock import parse_instant, to_iso
from bot.models import Paper
from storage.db import transaction
from storage.paper_reads import paper_from_row

UP, DOWN = 1, -1


@dataclass(frozen=True, slots=True)
class Tally:
    """A paper's votes in one channel."""

    paper_id: str
    up: int
    down: int

    @property
    def net(self) -> int:
        return self.up - self.down


@dataclass(frozen=True, slots=True)
class StoredModel:
    blob: bytes
    trained_at: datetime
    votes_through: datetime | None  # the last vote it learned from
    liked: int
    disliked: int
    failed_at: datetime | None = None  # its last training failed then (the model stays)


def migrate_votes(db: sqlite_utils.Database) -> None:
    """Migration 15: votes, channel models, and the two settings they feed."""
    db.execute("CREATE TABLE votes (channel_id TEXT NOT NULL, paper_id TEXT NOT NULL, "
               "user_id TEXT NOT NULL, value INTEGER NOT NULL CHECK (value IN (-1, 1)), "
               "voted_at TEXT NOT NULL, PRIMARY KEY (channel_id, paper_id, user_id))")
    db.execute("CREATE INDEX votes_by_time ON votes (channel_id, voted_at)")
    db.execute("CREATE TABLE taste_models (channel_id TEXT PRIMARY KEY, model BLOB NOT NULL, "
               "trained_at TEXT NOT NULL, votes_through TEXT, liked INTEGER NOT NULL, "
               "disliked INTEGER NOT NULL, failed_at TEXT)")
    db.execute("ALTER TABLE channels ADD COLUMN digest_size INTEGER")
    db.execute("ALTER TABLE channels ADD COLUMN recommend_per_day INTEGER")


class Votes:
    """Votes and models, for the store's facade (`store.votes`)."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def cast(self, channel_id: str, paper_id: str, user_id: str, value: int,
             now: datetime) -> Tally:
        """Record (or change) a member's vote; the paper's tally in the channel after it."""
        if value not in (UP, DOWN):
            raise ValueError(f"a vote is {UP} or {DOWN}, not {value!r}")
        with transaction(self.db) as conn:
            conn.execute("INSERT INTO votes (channel_id, paper_id, user_id, value, voted_at) "
                         "VALUES (?, ?, ?, ?, ?) ON CONFLICT (channel_id, paper_id, user_id) "
                         "DO UPDATE SET value = excluded.value, voted_at = excluded.voted_at "
                         "WHERE value != excluded.value",
                         [channel_id, paper_id, user_id, value, to_iso(now)])
        return self.tally(channel_id, [paper_id]).get(paper_id, Tally(paper_id, 0, 0))

    def tally(self, channel_id: str, paper_ids: list[str] | None = None) -> dict[str, Tally]:
        """paper id -> its votes in the channel (every voted paper, or those given), in the
        order they were last voted on, oldest first."""
        sql = ("SELECT paper_id, SUM(value = 1) AS up, SUM(value = -1) AS down FROM votes "
               "WHERE channel_id = ?")
        params: list = [channel_id]
        if paper_ids is not None:
            sql += f" AND paper_id IN ({', '.join('?' for _ in paper_ids)})"
            params += paper_ids
        rows = self.db.execute(sql + " GROUP BY paper_id ORDER BY MAX(voted_at), paper_id",
                               params).fetchall()
        return {paper: Tally(paper, up, down) for paper, up, down in rows}

    def last_vote_at(self, channel_id: str) -> datetime | None:
        row = self.db.execute("SELECT MAX(voted_at) FROM votes WHERE channel_id = ?",
                              [channel_id]).fetchone()
        return parse_instant(row[0]) if row and row[0] else None

    def channels_voting(self) -> list[str]:
        """The channels with at least one vote."""
        return [row[0] for row in self.db.execute(
            "SELECT DISTINCT channel_id FROM votes ORDER BY channel_id")]

    def save_model(self, channel_id: str, blob: bytes, now: datetime,
                   votes_through: datetime | None, liked: int, disliked: int) -> None:
        with transaction(self.db) as conn:
            conn.execute("INSERT OR REPLACE INTO taste_models (channel_id, model, trained_at, "
                         "votes_through, liked, disliked) VALUES (?, ?, ?, ?, ?, ?)",
                         [channel_id, blob, to_iso(now),
                          to_iso(votes_through) if votes_through else None, liked, disliked])

    def model(self, channel_id: str) -> StoredModel | None:
        row = self.db.execute("SELECT model, trained_at, votes_through, liked, disliked, "
                              "failed_at FROM taste_models WHERE channel_id = ?",
                              [channel_id]).fetchone()
        if row is None:
            return None
        return StoredModel(bytes(row[0]), parse_instant(row[1]),
                           parse_instant(row[2]) if row[2] else None, row[3], row[4],
                           parse_instant(row[5]) if row[5] else None)

    def training_failed(self, channel_id: str, now: datetime) -> None:
        """Remember that a training failed now; the model it had (if any) stays."""
        with transaction(self.db) as conn:
            conn.execute("INSERT INTO taste_models (channel_id, model, trained_at, liked, "
                         "disliked, failed_at) VALUES (?, x'', ?, 0, 0, ?) ON CONFLICT "
                         "(channel_id) DO UPDATE SET failed_at = excluded.failed_at",
                         [channel_id, to_iso(now), to_iso(now)])

    def model_trained_at(self, channel_id: str) -> datetime | None:
        row = self.db.execute("SELECT trained_at FROM taste_models WHERE channel_id = ?",
                              [channel_id]).fetchone()
        return parse_instant(row[0]) if row else None

    def shown_papers(self, channel_id: str, since: datetime, limit: int) -> list[str]:
        """Papers its keyword subscriptions matched that were sent to the channel since
        then, newest first (not those its model added: it learns from the topics)."""
        return [row[0] for row in self.db.execute(
            "SELECT item_id FROM deliveries WHERE channel_id = ? AND item_kind = 'paper' "
            "AND status = 'sent' AND sent_at >= ? AND subscription_id IS NOT NULL "
            "ORDER BY sent_at DESC LIMIT ?",
            [channel_id, to_iso(since), limit])]

    def recommended_since(self, channel_id: str, since: datetime) -> int:
        """How many papers the channel's model added to it since then."""
        return self.db.execute(
            "SELECT COUNT(*) FROM deliveries WHERE channel_id = ? AND item_kind = 'paper' "
            "AND subscription_id IS NULL AND created >= ?",  # (outbox.Delivery.recommended)
            [channel_id, to_iso(since)]).fetchone()[0]

    def papers(self, paper_ids: list[str]) -> list[Paper]:
        """The stored papers of these ids, in their order, read 500 at a time."""
        found: dict[str, Paper] = {}
        for start in range(0, len(paper_ids), 500):
            chunk = paper_ids[start:start + 500]
            marks = ", ".join("?" * len(chunk))
            found.update((row["id"], paper_from_row(row)) for row in self.db.query(
                f"SELECT * FROM papers WHERE id IN ({marks})", chunk))  # noqa: S608
        return [found[i] for i in paper_ids if i in found]

    def recent_papers(self, since: datetime, limit: int) -> list[Paper]:
        """Papers first seen since then, newest first, in one query: what a taste is
        chosen from (a recommendation, a likeness)."""
        return [paper_from_row(row) for row in self.db.query(
            "SELECT * FROM papers WHERE first_seen >= ? ORDER BY first_seen DESC LIMIT ?",
            [to_iso(since), limit])]

    def unseen_papers(self, channel_id: str, since: datetime, limit: int) -> list[Paper]:
        """Papers first seen since then that were never planned for the channel in any way
        (sent or waiting, matched or recommended), newest first: the negatives it learns
        from. One indexed lookup per paper (deliveries by channel, kind and item)."""
        return [paper_from_row(row) for row in self.db.query(
            "SELECT * FROM papers WHERE first_seen >= ? AND NOT EXISTS (SELECT 1 FROM "
            "deliveries WHERE channel_id = ? AND item_kind = 'paper' AND item_id = papers.id) "
            "ORDER BY first_seen DESC LIMIT ?", [to_iso(since), channel_id, limit])]
