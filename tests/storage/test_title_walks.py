"""The titles index (storage.titles) finds what FTS5 alone finds, checked on real arXiv
papers: same papers, same order, for words, phrases, OR, exclusions and fields in titles;
and a changed title leaves no stale entry behind."""

from __future__ import annotations

import itertools
import json
import lzma
from datetime import UTC, datetime

import pytest

from bot.models import Paper
from bot.topics import parse_query
from storage import titles
from tests.conftest import NOW, shared_file

QUERIES = ['"neural network"', '"large language models"', '"to the best of our knowledge"',
           '"data model"', '"neural models learning"', '"in this paper"', '"state of the art"',
           '"dark matter" galaxy', '"black hole" NOT merger', 'title:"language models"',
           '"language model" author:wang', '"we propose" -"neural network"',
           '"of the"', '"score matching"', '"reinforcement learning" "reward model"',
           '"Vision-Language"', '"x-ray binaries"', '"e.g."', '暗物质', '"deep learning" 模型',
           "diffusion", "learning", "neural network", "diffusion OR flow",
           "transformer -language", "cat:cs.CV learning", "author:wang", "galaxy cluster",
           "title:survey", "(robot OR robotic) manipulation", "x-ray"]


def real_store(directory, start: int = 0):
    """A store of every 12th real arXiv paper from `start` (about 9,000), and the papers."""
    from storage.store import Store

    path = shared_file("corpus", "arxiv-metadata", "papers.jsonl.xz")
    store = Store.open(directory / "real.db")
    with lzma.open(path, "rt", encoding="utf-8") as lines:
        papers = [_paper(json.loads(line))
                  for line in itertools.islice(lines, start, 108_854, 12)]
    store.upsert_papers(papers, NOW)
    return store, papers


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    store, _ = real_store(tmp_path_factory.mktemp("titles"))
    yield store
    store.close()


def _paper(record: dict) -> Paper:
    return Paper(id=f"arxiv:{record['id']}", title=record["title"], source="arxiv",
                 abstract=record["abstract"], authors=record["authors"],
                 categories=record["categories"],
                 published=datetime.fromisoformat(record["date"]).replace(tzinfo=UTC))


@pytest.mark.parametrize("sort", ["best"])
def test_the_titles_index_finds_what_fts5_alone_finds(real, monkeypatch, sort):
    assert real.count_papers() > 9_000
    walked = 0
    for text in QUERIES:
        query = parse_query(text)
        walked += titles.title_expression(query) is not None
        fast = [hit.id for hit in real.search(query, 40, sort=sort)]
        with monkeypatch.context() as patched:
            patched.setattr(titles, "title_expression", lambda query: None)
            plain = [hit.id for hit in real.search(query, 40, sort=sort)]
        assert fast == plain, text
    assert walked >= len(QUERIES) - 1  # the titles index was used


def test_a_changed_title_leaves_no_stale_entry(store):
    def found(text: str) -> list[str]:
        return [hit.id for hit in store.search(parse_query(text), 10)]

    store.upsert_papers([Paper(id="x:1", title="Neural models learning", source="x",
                               published=NOW, version=1)], NOW)
    assert found('"neural models learning"') == ["x:1"]
    store.upsert_papers([Paper(id="x:1", title="Symbolic models reasoning", source="x",
                               published=NOW, version=2)], NOW)
    assert found('"neural models learning"') == [] and found('"models reasoning"') == ["x:1"]
    for text in ('"neural models learning"', "neural"):
        expression = titles.title_expression(parse_query(text))
        assert store.db.execute("SELECT count(*) FROM papers_titles WHERE papers_titles "
                                "MATCH ?", [expression]).fetchone()[0] == 0


def test_a_lone_non_ascii_word_or_an_or_with_a_field_is_left_to_fts5():
    assert titles.title_expression(parse_query("电")) is None
    assert titles.title_expression(parse_query("diffusion OR author:wang")) is None
    assert titles.title_expression(parse_query("author:wang")) is None
    assert titles.title_expression(parse_query("冷冻电镜")) is not None  # pairs of 4 tokens
