"""The pairs index (storage.pairs) finds what FTS5 alone finds, on real arXiv papers: the
same newest matches of phrases of common words, before and after the pending papers are
indexed; and a paper whose text changes leaves no stale pair behind."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.fulltext import tokens
from bot.topics import parse_query
from storage import pairs, search
from storage.common_tokens import COMMON
from storage.fts import PAPER_FIELDS, compile_match
from tests.conftest import NOW
from tests.storage.test_title_walks import _paper, real_store

SHAPES = ['"data model"', '"neural models learning"', '"to the best of our knowledge"',
          '"in this paper"', '"state of the art"', '"large language models"',
          '"we propose" -"neural network"', 'title:"language models"',
          '"language model" author:wang', '"reinforcement learning" "reward model"',
          '"model learning" diffusion', '"of the" -the', '"learning model" OR galaxy']


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    store, papers = real_store(tmp_path_factory.mktemp("pairs"), start=5)
    yield store, papers
    store.close()


def phrases(papers, size: int, every: int) -> list[str]:
    """Phrases of `size` common words as the papers' titles hold them, some rare, some not."""
    found = []
    for paper in papers[::every]:
        words = paper.title.lower().split()
        for i in range(len(words) - size + 1):
            chunk = " ".join(words[i:i + size])
            run = tokens(chunk)
            if len(run) == size and COMMON.issuperset(run):
                found.append(f'"{chunk}"')
    return list(dict.fromkeys(found))


def newest_both_ways(store, text, monkeypatch):
    query = parse_query(text)
    match = compile_match(query, PAPER_FIELDS)
    fast = search._newest(store.db, query, match)
    with monkeypatch.context() as patched:
        patched.setattr(pairs, "newest", lambda *args: None)
        plain = search._newest(store.db, query, match)
    return pairs.newest(store.db, query, search.NEWEST) is not None, fast, plain


def test_phrases_of_common_words_find_what_fts5_finds(real, monkeypatch):
    store, papers = real
    queries = SHAPES + phrases(papers, 2, 40)[:60] + phrases(papers, 3, 20)[:40]
    assert len(queries) > 80
    monkeypatch.setattr(pairs, "PENDING_CAP", 150)  # 100 papers stored last still wait
    pairs.catch_up(store.db, pairs.pending_count(store.db) - 100)
    for text in queries:
        used, fast, plain = newest_both_ways(store, text, monkeypatch)
        assert fast == plain, text
    assert pairs.catch_up(store.db) == 100
    answered = 0
    for text in queries:
        used, fast, plain = newest_both_ways(store, text, monkeypatch)
        answered += used
        assert fast == plain, text
    assert answered > 60  # the index answered most of them (rarer ones go to FTS5)


def test_a_changed_abstract_leaves_no_stale_pair(tmp_path, monkeypatch):
    from storage.store import Store

    store = Store.open(tmp_path / "x.db")
    paper = _paper({"id": "2601.00001", "title": "A study", "abstract": "We fit a data model.",
                    "authors": ["A. Author"], "categories": ["cs.LG"], "date": "2026-01-02"})
    store.upsert_papers([paper], NOW)
    pairs.catch_up(store.db)
    assert [hit.id for hit in store.search(parse_query('"data model"'))] == [paper.id]
    store.upsert_papers([replace(paper, abstract="We fit a model of the data.")], NOW)
    for caught_up in (False, True):  # pending, then indexed again
        if caught_up:
            assert pairs.catch_up(store.db) == 1
        assert store.search(parse_query('"data model"')) == []
        assert [hit.id for hit in store.search(parse_query('"the data"'))] == [paper.id]
        assert pairs.newest(store.db, parse_query('"the data"'), 10) is not None
    store.close()


def test_what_lectern_ingest_and_the_reader_child_store_is_indexed_after(tmp_path, capsys):
    from bot.app.cli import main
    from jobs.ingest import store_at
    from jobs.sources.fetchrules import FetchResult
    from storage.store import Store
    from tests.conftest import DATA

    db = tmp_path / "x.db"
    assert main(["--db", str(db), "ingest", "arxiv-api", str(DATA / "arxiv-api-query.xml")]) == 0
    feed = (DATA / "arxiv-rss-cs.LG.xml").read_bytes()
    fetched = FetchResult(url="https://rss.arxiv.org/rss/cs.LG", status=200, body=feed,
                          etag=None, last_modified=None, content_type=None, not_modified=False)
    store_at(str(db), "arxiv-rss", fetched, source="arxiv-rss", timezone="UTC", now=NOW)
    store = Store.open(db)
    assert store.count_papers() == 5
    assert pairs.pending_count(store.db) == 0
    store.close()


def test_papers_indexed_while_a_search_runs_are_found_once(real, monkeypatch):
    # The child commits a catch-up between the search's read of the pending papers and its
    # walk of the index: those papers are in both, and must count once.
    store, _ = real
    query = parse_query('"neural models learning"')  # three words: walked, then checked
    monkeypatch.setattr(pairs, "PENDING_CAP", 10_000)
    store.upsert_papers([replace(_paper({
        "id": f"2612.0000{n}", "title": f"Neural models learning {n}", "abstract": "",
        "authors": ["A. Author"], "categories": ["cs.LG"], "date": "2026-12-01"}))
        for n in range(3)], NOW)
    walk = pairs._walk

    def child_commits_first(*args):
        pairs.catch_up(store.db, 10_000)
        return walk(*args)

    monkeypatch.setattr(pairs, "_walk", child_commits_first)
    seqs, complete = pairs.newest(store.db, query, 300)
    assert len(seqs) == len(set(seqs)) and complete
    monkeypatch.setattr(pairs, "newest", lambda *args: None)
    assert search._newest(store.db, query, compile_match(query, PAPER_FIELDS)) == (
        seqs, complete)


def test_a_catch_up_that_fails_half_way_leaves_everything_pending(tmp_path, monkeypatch):
    from storage.store import Store

    store = Store.open(tmp_path / "x.db")
    store.upsert_papers([_paper({"id": f"2601.0000{n}", "title": f"A data model {n}",
                                 "abstract": "", "authors": [], "categories": [],
                                 "date": "2026-01-02"}) for n in range(5)], NOW)
    text, calls = pairs.pair_text, []

    def dies_on_the_third(row):
        calls.append(row)
        if len(calls) == 3:
            raise MemoryError("the child dies at the worst moment")
        return text(row)

    monkeypatch.setattr(pairs, "pair_text", dies_on_the_third)
    with pytest.raises(MemoryError):
        pairs.catch_up(store.db)
    assert pairs.pending_count(store.db) == 5
    pair = f'"{pairs.CODE["data"]}{pairs.CODE["model"]}"'
    assert store.db.execute("SELECT count(*) FROM papers_pairs WHERE papers_pairs MATCH ?",
                            [pair]).fetchone() == (0,)
    monkeypatch.setattr(pairs, "pair_text", text)
    assert pairs.catch_up(store.db) == 5
    assert len(store.search(parse_query('"data model"'))) == 5
    store.close()
