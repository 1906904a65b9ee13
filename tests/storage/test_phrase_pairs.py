"""The pairs index (storage.phrases) answers phrase queries exactly as FTS5 alone does,
checked on real arXiv papers: same papers, same order, for phrases of common words, with
other words, exclusions and fields; and a changed paper leaves no stale pair behind."""

from __future__ import annotations

import itertools
import json
import lzma
from datetime import UTC, datetime

import pytest

from bot.models import Paper
from bot.topics import parse_query
from storage import phrases
from tests.conftest import NOW, shared_file

QUERIES = ['"neural network"', '"large language models"', '"to the best of our knowledge"',
           '"data model"', '"neural models learning"', '"in this paper"', '"state of the art"',
           '"dark matter" galaxy', '"black hole" NOT merger', 'title:"language models"',
           '"language model" author:wang', '"we propose" -"neural network"',
           '"of the"', '"score matching"', '"reinforcement learning" "reward model"',
           '"Vision-Language"', '"x-ray binaries"', '"e.g."']


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    from storage.store import Store

    path = shared_file("corpus", "arxiv-metadata", "papers.jsonl.xz")
    store = Store.open(tmp_path_factory.mktemp("pairs") / "real.db")
    with lzma.open(path, "rt", encoding="utf-8") as lines:
        store.upsert_papers([_paper(json.loads(line))
                             for line in itertools.islice(lines, 0, 108_854, 12)], NOW)
    yield store
    store.close()


def _paper(record: dict) -> Paper:
    return Paper(id=f"arxiv:{record['id']}", title=record["title"], source="arxiv",
                 abstract=record["abstract"], authors=record["authors"],
                 categories=record["categories"],
                 published=datetime.fromisoformat(record["date"]).replace(tzinfo=UTC))


@pytest.mark.parametrize("sort", ["new", "best"])
def test_the_pairs_path_finds_what_fts5_alone_finds(real, monkeypatch, sort):
    assert real.count_papers() > 9_000
    planned = 0
    for text in QUERIES:
        query = parse_query(text)
        planned += phrases.plan(query) is not None
        fast = [hit.id for hit in real.search(query, 40, sort=sort)]
        with monkeypatch.context() as patched:
            patched.setattr(phrases, "plan", lambda query: None)
            plain = [hit.id for hit in real.search(query, 40, sort=sort)]
        assert fast == plain, text
    assert planned >= len(QUERIES) - 2  # the pairs path was taken


def test_a_changed_text_leaves_no_stale_pair(store):
    def found(text: str) -> list[str]:
        return [hit.id for hit in store.search(parse_query(text), 10)]

    store.upsert_papers([Paper(id="x:1", title="Neural models learning", source="x",
                               published=NOW, version=1)], NOW)
    assert found('"neural models learning"') == ["x:1"]
    store.upsert_papers([Paper(id="x:1", title="Symbolic models reasoning", source="x",
                               published=NOW, version=2)], NOW)
    assert found('"neural models learning"') == [] and found('"models reasoning"') == ["x:1"]
    pairs = store.db.execute("SELECT count(*) FROM papers_pairs WHERE papers_pairs MATCH "
                             "'\"neural_model\"'").fetchone()[0]
    assert pairs == 0


def test_an_or_or_a_cjk_phrase_is_left_to_fts5():
    assert phrases.plan(parse_query('"score matching" OR "energy based"')) is None
    assert phrases.plan(parse_query("冷冻电镜")) is None
    assert phrases.plan(parse_query("diffusion")) is None
    assert phrases.plan(parse_query('"score matching"')) is not None
