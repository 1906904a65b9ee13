"""The paper store: one row per paper across sources, versions as updates, atomic batches."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.models import ANNOUNCE_NEW, ANNOUNCE_REPLACE, Paper
from storage.db import transaction
from tests.conftest import NOW


def arxiv(paper_id: str, **fields) -> Paper:
    base = dict(id=f"arxiv:{paper_id}", title="Sparse Attention", source="arxiv-cs-lg",
                url=f"https://arxiv.org/abs/{paper_id}", abstract="We study sparse attention.",
                authors=["Ada Lovelace", "Alan Turing"], categories=["cs.LG"], version=1,
                arxiv_id=paper_id, announce_type=ANNOUNCE_NEW,
                published=datetime(2026, 11, 20, tzinfo=UTC))
    base.update(fields)
    return Paper(**base)


def test_one_paper_from_three_sources_is_one_merged_row(store):
    first = store.upsert_papers([arxiv("2611.00001")], NOW)
    hf = Paper(id="arxiv:2611.00001", title="Sparse Attention", source="hf-daily",
               url="https://arxiv.org/abs/2611.00001", upvotes=42, num_comments=3,
               github_url="https://github.com/lab/sparse", listed_on=date(2026, 11, 21))
    blog = Paper(id="arxiv:2611.00001", title="Sparse Attention", source="lab-blog",
                 url="https://arxiv.org/abs/2611.00001", categories=["cs.AI"])
    later = store.upsert_papers([hf, blog], NOW + timedelta(hours=1))

    assert first.counts() == {"new": 1, "updated": 0, "unchanged": 0}
    assert later.updated == ["arxiv:2611.00001"] and later.new == []
    assert store.count_papers() == 1
    paper, sources = store.get_paper("arxiv:2611.00001")
    assert sources == ["arxiv-cs-lg", "hf-daily", "lab-blog"]
    assert paper.categories == ["cs.LG", "cs.AI"]
    assert (paper.upvotes, paper.num_comments) == (42, 3)
    assert paper.github_url == "https://github.com/lab/sparse"
    assert paper.authors == ["Ada Lovelace", "Alan Turing"]  # the blog's empty list kept them
    assert paper.listed_on == date(2026, 11, 21)


def test_new_version_updates_the_paper_and_an_old_version_does_not_undo_it(store):
    store.upsert_papers([arxiv("2611.00002")], NOW)
    v2 = arxiv("2611.00002", version=2, title="Sparse Attention, Revisited",
               announce_type=ANNOUNCE_REPLACE)
    result = store.upsert_papers([v2], NOW)
    assert result.updated == ["arxiv:2611.00002"]
    stale = store.upsert_papers([arxiv("2611.00002", version=1)], NOW)
    assert stale.unchanged == ["arxiv:2611.00002"]
    paper, _ = store.get_paper("arxiv:2611.00002")
    assert (paper.version, paper.title) == (2, "Sparse Attention, Revisited")
    assert paper.announce_type == ANNOUNCE_NEW  # how it first arrived is kept
    assert store.count_papers() == 1


def test_same_document_twice_is_unchanged(store):
    papers = [arxiv("2611.00003"), arxiv("2611.00004", title="Another")]
    store.upsert_papers(papers, NOW)
    again = store.upsert_papers(papers, NOW + timedelta(days=1))
    assert again.counts() == {"new": 0, "updated": 0, "unchanged": 2}


def test_a_failed_batch_stores_nothing(store):
    class Boom(Exception):
        pass

    def papers():
        yield arxiv("2611.00005")
        raise Boom

    with pytest.raises(Boom):
        store.upsert_papers(papers(), NOW)
    assert store.count_papers() == 0


def test_update_reindexes_the_new_text_and_forgets_the_old(store):
    from bot.topics import parse_query
    store.upsert_papers([arxiv("2611.00006", title="Quantum Widgets")], NOW)
    store.upsert_papers([arxiv("2611.00006", version=2, title="Classical Gadgets")], NOW)
    assert store.search(parse_query("widgets")) == []
    assert [h.id for h in store.search(parse_query("gadget"))] == ["arxiv:2611.00006"]


def test_transaction_rolls_back_on_error(store):
    with pytest.raises(RuntimeError), transaction(store.db) as conn:
        conn.execute("INSERT INTO sources (name, kind, location) VALUES ('x', 'rss', 'y')")
        raise RuntimeError
    assert store.list_sources() == []


def test_pragmas(store):
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_migrations_are_recorded_and_idempotent(store):
    assert store.migrate() == []
    versions = [r["version"] for r in store.db["schema_migrations"].rows]
    assert versions == sorted(versions) and versions[0] == 1
