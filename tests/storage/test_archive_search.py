"""Search across the whole archive (storage.search, storage.paper_index): the index is
ordered by publication day, not by storage order, so a backfill hides nothing; `best`
takes title matches from every year, `new` is strictly the newest published."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.models import Paper, QueryError
from bot.topics import parse_query, split_sort
from storage.paper_index import SEQ_BITS, day_number, migrate_index_by_date
from tests.conftest import NOW


def paper(n: int, title: str, published: datetime, abstract: str = "We study it.") -> Paper:
    return Paper(id=f"arxiv:{n}", title=title, source="arxiv", abstract=abstract,
                 authors=["Ada Lovelace"], published=published)


def recent(count: int, start: int = 0) -> list[Paper]:
    """`count` papers of the last days, each a long title that mentions diffusion."""
    return [paper(start + n, f"A very long and detailed title about diffusion number {n} "
                             "with many other words in it", NOW - timedelta(hours=n))
            for n in range(count)]


def years(store, text: str, sort: str = "best") -> list[int]:
    return [hit.published.year for hit in store.search(parse_query(text), 10, sort=sort)]


def test_a_backfill_of_old_papers_does_not_hide_current_ones(store):
    store.upsert_papers(recent(50), NOW)
    old = [paper(1000 + n, f"A very long and detailed title about diffusion in 2015, {n}, "
                           "with many other words in it",
                 datetime(2015, 3, 1, tzinfo=UTC) + timedelta(days=n)) for n in range(400)]
    store.upsert_papers(old, NOW)  # stored last, published long ago
    assert set(years(store, "diffusion", "new")) == {2026}
    assert years(store, "diffusion")[:5] == [2026] * 5  # as good a match, and newer


def test_best_finds_title_matches_of_other_years_behind_a_full_day(store):
    """Hundreds of today's papers mention the word in a long title; a short title of
    2021 that is all about it still ranks in the top 10 (only `new` hides it)."""
    store.upsert_papers(recent(400), NOW)
    store.upsert_papers([paper(9001, "Diffusion", datetime(2021, 5, 1, tzinfo=UTC)),
                         paper(9002, "Diffusion models", datetime(2019, 5, 1, tzinfo=UTC)),
                         paper(9003, "Unrelated", datetime(2018, 1, 1, tzinfo=UTC),
                               abstract="diffusion is mentioned here only")], NOW)
    best = years(store, "diffusion")
    assert 2021 in best and 2019 in best and 2018 not in best
    assert set(years(store, "diffusion", "new")) == {2026}


def test_title_matches_come_before_abstract_matches_of_any_age(store):
    store.upsert_papers([paper(1, "Something else", NOW, abstract="diffusion here"),
                         paper(2, "Diffusion there", datetime(2016, 1, 1, tzinfo=UTC))], NOW)
    assert [hit.id for hit in store.search(parse_query("diffusion"), 10)] == \
        ["arxiv:2", "arxiv:1"]


def test_a_new_publication_date_moves_the_entry(store):
    store.upsert_papers([paper(1, "Diffusion", datetime(2026, 11, 20, tzinfo=UTC))], NOW)
    store.upsert_papers([paper(1, "Diffusion", datetime(2014, 1, 1, tzinfo=UTC))], NOW)
    keys = [row[0] for row in store.db.execute(
        "SELECT rowid FROM papers_fts WHERE papers_fts MATCH 'diffusion'")]
    assert [key >> SEQ_BITS for key in keys] == [day_number(date(2014, 1, 1))]
    assert [hit.id for hit in store.search(parse_query("diffusion"), 10)] == ["arxiv:1"]


def test_the_migration_keys_an_index_made_in_storage_order(store):
    store.upsert_papers([paper(1, "Diffusion new", datetime(2026, 1, 1, tzinfo=UTC)),
                         paper(2, "Diffusion old", datetime(2012, 1, 1, tzinfo=UTC))], NOW)
    conn = store.db.conn
    conn.execute("INSERT INTO papers_fts (papers_fts) VALUES ('delete-all')")
    conn.execute("INSERT INTO papers_fts (rowid, title) SELECT seq, title FROM papers")
    conn.execute("DROP TABLE papers_titles")  # as before migration 12
    migrate_index_by_date(store.db)
    keys = sorted(row[0] >> SEQ_BITS for row in conn.execute(
        "SELECT rowid FROM papers_fts WHERE papers_fts MATCH 'diffusion'"))
    assert keys == [day_number(date(2012, 1, 1)), day_number(date(2026, 1, 1))]
    assert [h.id for h in store.search(parse_query("diffusion"), 10, sort="new")] == \
        ["arxiv:1", "arxiv:2"]


@pytest.mark.parametrize(("text", "expected"), [
    ("diffusion sort:new", ("diffusion", "new")),
    ("sort:best a b", ("a b", "best")),
    ('"sort:new is a phrase"', ('"sort:new is a phrase"', "best")),
    ("a SORT:NEW", ("a", "new")),
])
def test_the_sort_is_taken_out_of_the_query(text, expected):
    assert split_sort(text) == expected


def test_an_unknown_sort_says_which_there_are(store):
    with pytest.raises(QueryError, match="sort:best .* or sort:new"):
        split_sort("diffusion sort:oldest")
    with pytest.raises(QueryError, match="sort:best or sort:new"):
        store.search(parse_query("diffusion"), 10, sort="random")


def test_the_cli_and_the_command_take_the_order(tmp_path, capsys):
    """`lectern search --sort new`, `sort:new` in the query and `/papers search ...
    sort:new` all give the newest first; the default gives the best match first."""
    import json

    from bot.app.cli import main
    from storage.store import Store

    store = Store.open(tmp_path / "l.db")
    store.upsert_papers([paper(1, "Diffusion", datetime(2024, 1, 1, tzinfo=UTC)),
                         paper(2, "A long title that also says diffusion somewhere", NOW)],
                        NOW)
    store.close()

    def first(*args: str) -> str:
        main(["--db", str(tmp_path / "l.db"), *args])
        out = capsys.readouterr().out
        return json.loads(out)["results"][0]["id"] if out.startswith("{") else out

    assert first("search", "diffusion", "--kind", "papers", "--json") == "arxiv:1"
    assert first("search", "diffusion", "--kind", "papers", "--sort", "new",
                 "--json") == "arxiv:2"
    assert first("search", "diffusion sort:new", "--kind", "papers", "--json") == "arxiv:2"
    reply = first("command", "--channel", "console:lab", "--user", "U1",
                  "/papers search diffusion sort:new")
    assert "newest first" in reply
    assert reply.index("A long title") < reply.index("Diffusion", reply.index("A long"))
