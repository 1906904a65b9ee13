"""The talk store: re-reading a source finds what is new, moved, cancelled or unchanged."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.models import TALK_CANCELLED, Talk, talk_id
from bot.topics import parse_query
from tests.conftest import NOW

HOUR = timedelta(hours=1)
WEEK = timedelta(days=7)
COVERS = (NOW - 30 * WEEK / 7, NOW + 26 * WEEK)


def talk(key: str, start: datetime, **fields) -> Talk:
    base = dict(key=key, title="Learning to Fold", source="dept", start=start,
                end=start + HOUR, timezone="Europe/London", series="ML Seminar",
                speakers=["Ada Lovelace"], affiliation="Analytical Engines Ltd",
                location="Room 101", meeting_url="https://zoom.example.org/j/1")
    base.update(fields)
    return Talk(**base)


def test_new_then_unchanged(store):
    talks = [talk("a", NOW + WEEK), talk("b", NOW + 2 * WEEK, title="TBA")]
    assert store.upsert_talks("dept", talks, NOW, COVERS).counts() == {
        "new": 2, "updated": 0, "cancelled": 0, "unchanged": 0}
    again = store.upsert_talks("dept", talks, NOW + HOUR, COVERS)
    assert again.counts() == {"new": 0, "updated": 0, "cancelled": 0, "unchanged": 2}


def test_a_moved_talk_is_an_update_that_records_what_changed(store):
    store.upsert_talks("dept", [talk("a", NOW + WEEK)], NOW, COVERS)
    moved = talk("a", NOW + WEEK + 2 * HOUR, location="Room 202")
    changes = store.upsert_talks("dept", [moved], NOW, COVERS)
    assert changes.updated == [talk_id("dept", "a")]
    stored, changed = store.get_talk(talk_id("dept", "a"))
    assert stored.start == NOW + WEEK + 2 * HOUR and stored.location == "Room 202"
    assert changed["location"] == ["Room 101", "Room 202"]
    assert set(changed) == {"start", "end", "location"}


def test_tba_title_getting_a_real_title_is_an_update(store):
    store.upsert_talks("dept", [talk("a", NOW + WEEK, title="TBA")], NOW, COVERS)
    changes = store.upsert_talks("dept", [talk("a", NOW + WEEK, title="Protein Folding")],
                                 NOW, COVERS)
    assert changes.updated == [talk_id("dept", "a")]
    assert [h.id for h in store.search(parse_query("protein"), kind="talks")] == [
        talk_id("dept", "a")]
    assert store.search(parse_query("TBA"), kind="talks") == []


def test_marked_cancelled_counts_as_cancelled(store):
    store.upsert_talks("dept", [talk("a", NOW + WEEK)], NOW, COVERS)
    changes = store.upsert_talks("dept", [talk("a", NOW + WEEK, status=TALK_CANCELLED)],
                                 NOW, COVERS)
    assert changes.cancelled == [talk_id("dept", "a")] and changes.updated == []


def test_a_talk_missing_from_a_document_that_covers_its_date_is_cancelled(store):
    store.upsert_talks("dept", [talk("a", NOW + WEEK), talk("b", NOW + 2 * WEEK),
                                talk("c", NOW + 3 * WEEK), talk("past", NOW - WEEK)],
                       NOW, COVERS)
    # The document vouches for no talk after the last it lists (an export of the next N
    # events): b and c are kept until a later talk is listed.
    assert store.upsert_talks("dept", [talk("a", NOW + WEEK)], NOW, COVERS).cancelled == []
    changes = store.upsert_talks("dept", [talk("a", NOW + WEEK), talk("c", NOW + 3 * WEEK)],
                                 NOW, COVERS)
    assert changes.cancelled == [talk_id("dept", "b")]  # the past talk is history, not news
    stored, _ = store.get_talk(talk_id("dept", "b"))
    assert stored.status == TALK_CANCELLED


def test_without_coverage_or_from_another_source_nothing_is_cancelled(store):
    store.upsert_talks("dept", [talk("a", NOW + WEEK), talk("b", NOW + 2 * WEEK)], NOW,
                       COVERS)
    assert store.upsert_talks("dept", [talk("a", NOW + WEEK)], NOW, None).cancelled == []
    other = store.upsert_talks("other", [talk("z", NOW + WEEK)], NOW, COVERS)
    assert other.cancelled == [] and store.get_talk(talk_id("dept", "b"))[0].status != (
        TALK_CANCELLED)


def test_an_empty_document_cancels_nothing(store):
    store.upsert_talks("dept", [talk("a", NOW + WEEK)], NOW, COVERS)
    assert store.upsert_talks("dept", [], NOW, COVERS).cancelled == []


def test_listing_is_soonest_first_and_upcoming_means_not_over(store):
    store.upsert_talks("dept", [talk("late", NOW + 2 * WEEK), talk("soon", NOW + WEEK),
                                talk("now", NOW - HOUR / 2), talk("over", NOW - 2 * HOUR)],
                       NOW, COVERS)
    upcoming = [t.key for _, t in store.list_talks(ending_after=NOW)]
    assert upcoming == ["now", "soon", "late"]
    assert len(store.list_talks()) == 4


def test_series_filter_and_speaker_field(store):
    store.upsert_talks("dept", [talk("a", NOW + WEEK),
                                talk("b", NOW + WEEK, series="Colloquium",
                                     speakers=["Grace Hopper"])], NOW, COVERS)
    assert [t.key for _, t in store.list_talks(series="colloquium")] == ["b"]
    hits = store.search(parse_query("speaker:hopper"), kind="talks")
    assert [h.id for h in hits] == [talk_id("dept", "b")]
    assert hits[0].kind == "talk"


def test_search_all_mixes_papers_and_talks(store):
    from bot.models import Paper
    store.upsert_papers([Paper(id="x:1", title="Folding proteins", source="x")], NOW)
    store.upsert_talks("dept", [talk("a", NOW + WEEK)], NOW, COVERS)
    kinds = sorted(h.kind for h in store.search(parse_query("fold"), kind="all"))
    assert kinds == ["paper", "talk"]


def test_a_members_talks_of_the_last_day_are_counted_by_an_index(store):
    from storage.talk_origin import mark_added
    from storage.talks import count_added_by
    yesterday = NOW - timedelta(days=2)
    store.upsert_talks("chat", [talk("old", NOW + WEEK)], yesterday)
    store.upsert_talks("chat", [talk("a", NOW + WEEK), talk("b", NOW + WEEK)], NOW)
    store.upsert_talks("lab", [talk("feed", NOW + WEEK)], NOW)  # from a source: nobody's
    ids = [talk_id("chat", key) for key in ("old", "a", "b")]
    mark_added(store.db, ids, "slack:C1", "U1")
    mark_added(store.db, [talk_id("chat", "b")], "discord:1", "U1")  # the first adder keeps it
    since, asked = NOW - timedelta(days=1), []
    store.db.conn.set_trace_callback(asked.append)  # the SQL as run, values in place
    assert count_added_by(store.db, "slack", "U1", since) == 2
    store.db.conn.set_trace_callback(None)
    assert count_added_by(store.db, "discord", "U1", since) == 0
    plan = " ".join(row[3] for row in store.db.execute("EXPLAIN QUERY PLAN " + asked[-1]))
    assert "INDEX talks_added_by" in plan  # not a read of every talk
