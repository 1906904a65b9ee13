"""Full-text search: inflection, Chinese substrings, fields, ranking, hostile queries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.models import Paper, QueryError
from bot.topics import parse_query
from tests.conftest import NOW

DAY = timedelta(days=1)
PAPERS = [
    Paper(id="arxiv:2611.10001", title="Prune Early, Prune Often", source="arxiv",
          abstract="Structured sparsity for language models.", authors=["Mei Chen"],
          categories=["cs.LG"], published=datetime(2026, 11, 1, tzinfo=UTC)),
    Paper(id="arxiv:2611.10002", title="A Transformer for Proteins", source="arxiv",
          abstract="Attention over residues.", authors=["Omar Haddad", "Geoffrey Hinton"],
          categories=["q-bio.BM", "cs.LG"], published=datetime(2026, 11, 2, tzinfo=UTC)),
    Paper(id="doi:10.1000/cryo", title="冷冻电镜原理及相关算法", source="journal",
          abstract="单颗粒冷冻电镜分析技术的原理与应用", authors=["王宇航"],
          published=datetime(2026, 11, 3, tzinfo=UTC)),
    Paper(id="arxiv:2611.10004", title="Diffusion for Video", source="hf-daily",
          abstract="Video diffusion models with learned transformers.", authors=["Li Wei"],
          categories=["cs.CV"], published=datetime(2026, 11, 4, tzinfo=UTC)),
]


@pytest.fixture
def filled(store):
    store.upsert_papers(PAPERS, NOW)
    return store


def ids(store, text: str) -> list[str]:
    return [hit.id for hit in store.search(parse_query(text), limit=10)]


@pytest.mark.parametrize(("query", "expected"), [
    ("pruning", ["arxiv:2611.10001"]),
    ("PRUNED", ["arxiv:2611.10001"]),
    ("transformers", ["arxiv:2611.10002", "arxiv:2611.10004"]),
    ("冷冻电镜", ["doi:10.1000/cryo"]),
    ("电镜", ["doi:10.1000/cryo"]),
    ("颗粒", ["doi:10.1000/cryo"]),
    ("author:hinton", ["arxiv:2611.10002"]),
    ('author:"Mei Chen"', ["arxiv:2611.10001"]),
    ("cat:cs.CV", ["arxiv:2611.10004"]),
    ("source:journal", ["doi:10.1000/cryo"]),
    ("diffusion -video", []),
    ("transformer -video", ["arxiv:2611.10002"]),
    ("prune OR proteins", ["arxiv:2611.10001", "arxiv:2611.10002"]),
    ('"language models"', ["arxiv:2611.10001"]),
    ('"models language"', []),
])
def test_search(filled, query, expected):
    assert sorted(ids(filled, query)) == sorted(expected)


def test_title_matches_rank_above_abstract_matches(filled):
    # "transformer" is in 10002's title and only in 10004's abstract.
    assert ids(filled, "transformer") == ["arxiv:2611.10002", "arxiv:2611.10004"]


def test_ties_are_broken_newest_first(store):
    same = [Paper(id=f"x:{n}", title="Graph Networks", source="x",
                  published=datetime(2026, 1, 1, tzinfo=UTC) + n * DAY) for n in range(3)]
    store.upsert_papers(same, NOW)
    assert ids(store, "graph") == ["x:2", "x:1", "x:0"]


# Hostile queries (FTS5 syntax, NUL, deep nesting, fuzzed unicode) are in
# tests/reliability/test_query_fuzz.py.


def test_only_exclusions_is_explained(filled):
    with pytest.raises(QueryError, match="at least one word"):
        filled.search(parse_query("-video"))
