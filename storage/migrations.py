"""Numbered schema migrations. A landed migration is never edited; changes come as new ones."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from urllib.parse import urlsplit

import sqlite_utils

from bot.clock import SystemClock, to_iso
from bot.paperids import (
    doi_in_publisher_link,
    doi_paper_id,
    guid_paper_id,
    identity_url,
    title_identity,
)
from storage.batches import migrate_batches
from storage.calendar_feeds import migrate_calendar_feeds
from storage.db import transaction
from storage.discord_events import migrate_scheduled_events
from storage.fts import PAPERS_FTS_COLUMNS, TALKS_FTS_COLUMNS
from storage.lease import migrate_sender_lease
from storage.pairs import create_pairs_index
from storage.paper_index import migrate_index_by_date
from storage.subscribers_version import migrate_subscribers_version
from storage.talk_origin import migrate_added_by_index, migrate_talk_origin
from storage.votes import migrate_votes

FTS_TOKENIZER = "porter unicode61 remove_diacritics 2"
FTS_HASH_BYTES = 64 * 1024 * 1024


def _m001_papers_and_sources(db: sqlite_utils.Database) -> None:
    db["sources"].create({
        "name": str, "kind": str, "location": str, "interval_minutes": int,
        "timezone": str, "added_by": str, "etag": str, "last_modified": str,
        "last_polled": str, "last_success": str, "last_error": str, "failures": int,
        "created": str,
    }, pk="name", not_null={"kind", "location"}, defaults={"failures": 0,
                                                           "interval_minutes": 60})
    db["papers"].create({
        "seq": int, "id": str, "title": str, "abstract": str, "authors": str,
        "categories": str, "url": str, "pdf_url": str, "arxiv_id": str, "version": int,
        "doi": str, "published": str, "updated": str, "announce_type": str,
        "comment": str, "journal_ref": str, "upvotes": int, "num_comments": int,
        "github_url": str, "project_url": str, "listed_on": str, "sources": str,
        "first_seen": str, "last_changed": str,
    }, pk="seq", not_null={"id", "title", "first_seen"})
    db["papers"].create_index(["id"], unique=True)
    db["papers"].create_index(["published"])
    db["papers"].create_index(["first_seen"])
    # Contentless: the searchable text is a normalised copy (NFKC, CJK characters split
    # into one token each), so storing it twice would only double the file. No column
    # sizes: search ranks without bm25 (storage.search says why), and they cost a row each.
    columns = ", ".join(PAPERS_FTS_COLUMNS)
    db.execute(f"CREATE VIRTUAL TABLE papers_fts USING fts5({columns}, content='', "
               f"columnsize=0, tokenize='{FTS_TOKENIZER}')")
    # Persistent FTS5 settings. Index entries wait in memory until this many bytes (or the
    # commit), then go to disk as one segment: the 1 MB default cuts a 20,000-paper backfill
    # chunk into ~25 small segments that must be merged again and again.
    db.execute("INSERT INTO papers_fts (papers_fts, rank) VALUES ('hashsize', ?)",
               [FTS_HASH_BYTES])
    # Merge a level of the index once it holds 16 segments rather than 4: each entry is
    # rewritten about half as often during a backfill, for a few more segments per lookup.
    # And merge a little after every write instead of all at once when a level fills up
    # (crisismerge defaults to 16): a million-paper index would otherwise stall one
    # upsert for ~10 s every 320,000 papers, and in time a daily batch for minutes.
    db.execute("INSERT INTO papers_fts (papers_fts, rank) VALUES ('automerge', 16)")
    db.execute("INSERT INTO papers_fts (papers_fts, rank) VALUES ('crisismerge', 64)")


def _m002_talks(db: sqlite_utils.Database) -> None:
    db["talks"].create({
        "seq": int, "id": str, "source": str, "key": str, "title": str, "series": str,
        "affiliation": str, "abstract": str, "bio": str, "location": str, "meeting_url": str,
        "meeting_id": str, "meeting_password": str, "livestream_url": str, "replay_url": str,
        "slides_url": str, "homepage": str, "url": str, "language": str, "chair": str,
        "timezone": str, "status": str, "speakers": str, "start": str, "end": str,
        "all_day": int, "changes": str, "first_seen": str, "last_changed": str,
    }, pk="seq", not_null={"id", "source", "key", "title", "status", "first_seen"})
    db["talks"].create_index(["id"], unique=True)
    db["talks"].create_index(["source", "key"], unique=True)
    db["talks"].create_index(["start"])
    columns = ", ".join(TALKS_FTS_COLUMNS)
    db.execute(f"CREATE VIRTUAL TABLE talks_fts USING fts5({columns}, content='', "
               f"tokenize='{FTS_TOKENIZER}')")


def _m003_channels_subscriptions_deliveries(db: sqlite_utils.Database) -> None:
    db["channels"].create({
        "id": str, "platform": str, "external_id": str, "name": str, "timezone": str,
        "reminder_offsets": str, "digest_time": str, "paused_reason": str, "paused_at": str,
        "created": str,
    }, pk="id", not_null={"platform", "external_id", "created"})
    db["subscriptions"].create({
        "id": int, "channel_id": str, "query": str, "kinds": str, "created": str,
        "created_by": str,
    }, pk="id", not_null={"channel_id", "query", "kinds", "created"},
        foreign_keys=[("channel_id", "channels", "id")])
    db["subscriptions"].create_index(["channel_id"])
    # The outbox. One row per (channel, item, purpose), so planning the same delivery twice
    # is harmless; a row is claimed, sent and marked in transactions (never lost, never
    # sent twice but for the one message in flight at a crash).
    db["deliveries"].create({
        "id": int, "channel_id": str, "item_kind": str, "item_id": str, "purpose": str,
        "due_at": str, "status": str, "late": int, "matched": str, "subscription_id": int,
        "attempts": int, "created": str, "claimed_at": str, "sent_at": str, "sent_ref": str,
        "error": str, "note": str,
    }, pk="id", not_null={"channel_id", "item_kind", "item_id", "purpose", "due_at",
                          "status", "created"},
        defaults={"status": "pending", "late": 0, "attempts": 0},
        foreign_keys=[("channel_id", "channels", "id")])
    db["deliveries"].create_index(["channel_id", "item_kind", "item_id", "purpose"],
                                  unique=True)
    db["deliveries"].create_index(["status", "due_at"])


def _m004_source_origin_and_freshness(db: sqlite_utils.Database) -> None:
    # added_in: the channel (`PLATFORM:ID`) a source was added from in chat, NULL for the
    # operator's (config file, command line); chat-added sources are fetched behind the
    # address guard and their health notices go to that channel.
    # last_new: when a poll last found something new (a new item or a changed document);
    # a source whose last_new falls too far behind is stale.
    # content_hash: the last stored document's digest, to tell a re-served batch from news.
    db["sources"].add_column("added_in", str)
    db["sources"].add_column("last_new", str)
    db["sources"].add_column("content_hash", str)


def _m005_feed_item_identity(db: sqlite_utils.Database) -> None:
    # Plain feed items (neither arXiv nor DOI: ids `<source>:<hash>`) were known by their
    # guid, then their link, then their title; now by their link reduced by
    # bot.paperids.identity_url, then guid, then title (case and spacing aside), so feeds
    # that rotate guids or vary links cause no reposts. Stored items get the id the new
    # rule gives them, and their deliveries follow, so an upgrade announces nothing again.
    # Left as they are: items whose link is a site's root or is shared by several items
    # (a feed linking everything to its home page: the guid, which is not stored, stays
    # their identity), and items whose new id is taken already.
    # Deliveries are found by their item (here, and when a talk moves or a source's health
    # notices are looked up), not only by the outbox's unique (channel, item, purpose).
    db["deliveries"].create_index(["item_kind", "item_id"], if_not_exists=True)
    _rekey_plain_items(db)


def _rekey_plain_items(db: sqlite_utils.Database) -> None:
    """Plain feed items get the id the current identity rule gives their stored link."""
    rows = db.execute("SELECT seq, id, url, title FROM papers WHERE arxiv_id IS NULL "
                      "AND doi IS NULL AND id NOT LIKE 'arxiv:%' AND id NOT LIKE 'doi:%'"
                      ).fetchall()
    pages: dict[tuple[str, str], int] = {}
    for _, old, url, _ in rows:
        if url:
            key = (old.split(":", 1)[0], identity_url(url))
            pages[key] = pages.get(key, 0) + 1
    for seq, old, url, title in rows:
        source = old.split(":", 1)[0]
        if url:
            page = identity_url(url)
            if pages[(source, page)] > 1 or not urlsplit(url).path.strip("/"):
                continue
            new = guid_paper_id(source, page)
        elif old == guid_paper_id(source, f"title:{title}"):
            new = guid_paper_id(source, title_identity(title))
        else:
            continue  # known by a guid, which the new rule also uses
        _rekey(db, seq, old, new)


def _rekey(db: sqlite_utils.Database, seq: int, old: str, new: str) -> bool:
    """Paper `seq` is known as `new` from now on, with its deliveries; unless `new` is taken."""
    if new == old or db.execute("SELECT 1 FROM papers WHERE id = ?", [new]).fetchone():
        return False
    db.execute("UPDATE papers SET id = ? WHERE seq = ?", [new, seq])
    db.execute("UPDATE deliveries SET item_id = ? WHERE item_kind = 'paper' "
               "AND item_id = ?", [new, old])
    return True


def _m006_reminder_requests(db: sqlite_utils.Database) -> None:
    # A member's own reminders (`/remind`, storage.requests): the talk and the minutes
    # before it, per personal target (`slack:@U0123`, a channel row of its own).
    db["reminder_requests"].create({
        "target": str, "talk_id": str, "minutes": str, "created": str,
    }, pk=("target", "talk_id"), not_null={"minutes", "created"},
        foreign_keys=[("target", "channels", "id")])
    db["reminder_requests"].create_index(["talk_id"])


def _m007_source_readings(db: sqlite_utils.Database) -> None:
    # What the last document read from a source held (a 304 keeps them): how many items,
    # how many warnings and the first one; a source whose document held nothing is
    # unhealthy (bot.health), since empty_since (the first of such readings in a row,
    # which names the episode its managers are told of once; kept apart from last_new so
    # that it does not hang on how documents are digested). NULL: not read since.
    db["sources"].add_column("last_items", int)
    db["sources"].add_column("last_warnings", int)
    db["sources"].add_column("last_warning", str)
    db["sources"].add_column("empty_since", str)


def _m008_ids_under_this_rounds_rules(db: sqlite_utils.Database) -> None:
    # Two id rules changed: tracking parameters such as ScienceDirect's `dgcid` no longer
    # count in a plain item's link, and a DOI read from a publisher's link stops at the DOI
    # (ACS linked `.../doi/10.1021/jacs.6c12595/5291658/<slug>`, stored as that whole DOI).
    # Stored items get their new ids, with their deliveries, so the upgrade announces
    # nothing again.
    _rekey_plain_items(db)
    rows = db.execute("SELECT seq, id, url, doi FROM papers WHERE id LIKE 'doi:%' "
                      "AND arxiv_id IS NULL").fetchall()
    for seq, old, url, doi in rows:
        short = doi_in_publisher_link(url)
        if short and doi and doi.startswith(short + "/") \
                and _rekey(db, seq, old, doi_paper_id(short)):
            db.execute("UPDATE papers SET doi = ? WHERE seq = ?", [short, seq])


MIGRATIONS: list[tuple[int, str, Callable[[sqlite_utils.Database], None]]] = [
    (1, "papers and sources", _m001_papers_and_sources),
    (2, "talks", _m002_talks),
    (3, "channels, subscriptions and the delivery outbox",
     _m003_channels_subscriptions_deliveries),
    (4, "source origin and freshness", _m004_source_origin_and_freshness),
    (5, "feed items known by their links", _m005_feed_item_identity),
    (6, "members' own reminders", _m006_reminder_requests),
    (7, "what each source's last reading held", _m007_source_readings),
    (8, "ids under the DOI and tracking rules of issue 11", _m008_ids_under_this_rounds_rules),
    (9, "batches: a message of several deliveries decided before it is sent", migrate_batches),
    (10, "the sender lease: one process sends, whatever path it opened the file by",
     migrate_sender_lease),
    (11, "where a talk given in chat was added, and whether it was shared",
     migrate_talk_origin),
    (12, "the papers' index ordered by publication day, not by storage order",
     migrate_index_by_date),
    (13, "the subscribers' version, which triggers change with any channel or subscription",
     migrate_subscribers_version),
    (14, "calendar feed secrets: the random part of each live calendar's address",
     migrate_calendar_feeds),
    (15, "votes on papers, each channel's taste model, digest size and recommendations",
     migrate_votes),
    (16, "scheduled events: the setting per channel, the events made, the refusals",
     migrate_scheduled_events),
    (17, "an index of the talks each member added in chat", migrate_added_by_index),
    (18, "an index of the papers' adjacent common words, for phrases", create_pairs_index),
]


def applied_versions(db: sqlite_utils.Database) -> set[int]:
    if not db["schema_migrations"].exists():
        return set()
    return {row["version"] for row in db["schema_migrations"].rows}


def migrate(db: sqlite_utils.Database, now: datetime | None = None) -> list[int]:
    """Apply every pending migration, each in its own transaction; return those applied."""
    if not db["schema_migrations"].exists():
        db["schema_migrations"].create({"version": int, "name": str, "applied_at": str},
                                       pk="version")
    done = applied_versions(db)
    applied = []
    for version, name, step in MIGRATIONS:
        if version in done:
            continue
        with transaction(db) as conn:
            step(db)
            conn.execute("INSERT INTO schema_migrations (version, name, applied_at) "
                         "VALUES (?, ?, ?)", (version, name, to_iso(now or SystemClock().now())))
        applied.append(version)
    return applied
