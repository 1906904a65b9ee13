"""The sources table keeps what each source's last reading held (real SQLite): a new
document replaces it, a 304 keeps it, and an empty spell starts once and ends with items."""

from __future__ import annotations

from datetime import timedelta

from bot.models import Source
from storage.migrations import MIGRATIONS
from tests.conftest import NOW

HOUR = timedelta(hours=1)


def test_a_reading_is_recorded_kept_on_304_and_ends_an_empty_spell(store):
    store.save_source(Source("page", "seminar-page", "https://example.org/s"), NOW)
    assert store.get_source("page").last_items is None  # not read yet
    store.record_success("page", NOW, etag=None, last_modified=None, content_hash="a",
                         items=0, warnings=["block at line 8: unreadable time 'TBA'",
                                            "block at line 13: no time"])
    store.record_success("page", NOW + HOUR, etag=None, last_modified=None,
                         content_hash="a", items=0, warnings=["block at line 8: no time"])
    source = store.get_source("page")
    assert (source.last_items, source.last_warnings, source.last_warning) == (
        0, 1, "block at line 8: no time")
    assert source.empty_since == NOW  # the first of the empty readings in a row

    store.record_success("page", NOW + 2 * HOUR, etag='"v"', last_modified=None)  # a 304
    source = store.get_source("page")
    assert (source.last_items, source.last_warnings, source.empty_since) == (0, 1, NOW)

    store.record_failure("page", NOW + 3 * HOUR, "503 Service Unavailable")
    assert store.get_source("page").last_items == 0  # a failure reads nothing

    store.record_success("page", NOW + 4 * HOUR, etag=None, last_modified=None,
                         content_hash="b", items=4)
    source = store.get_source("page")
    assert (source.last_items, source.last_warnings, source.last_warning,
            source.empty_since) == (4, 0, None, None)


def test_the_readings_come_with_their_own_migration(store):
    (version,) = [n for n, _, step in MIGRATIONS if step.__name__ == "_m007_source_readings"]
    columns = {row[1] for row in store.db.execute("PRAGMA table_info(sources)")}
    assert {"last_items", "last_warnings", "last_warning", "empty_since"} <= columns
    assert version in {row["version"] for row in store.db["schema_migrations"].rows}
    assert "last_items" not in _columns_before(version)


def _columns_before(version: int) -> set[str]:
    import sqlite_utils

    db = sqlite_utils.Database(memory=True)
    for number, _, step in MIGRATIONS:
        if number < version:
            step(db)
    return {row[1] for row in db.execute("PRAGMA table_info(sources)")}
