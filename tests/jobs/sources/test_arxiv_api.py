"""arXiv API answers: entries, the totals, the API's error entry and empty results."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.models import ParseError
from jobs.sources import arxiv_api, arxiv_rss

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def answer():
    return arxiv_api.parse_page((DATA / "arxiv-api-query.xml").read_bytes(), "arxiv-api")


def test_entries_become_papers_with_canonical_ids_and_versions(answer):
    result, total = answer
    assert [(p.id, p.arxiv_id, p.version) for p in result.papers] == [
        ("arxiv:2502.12345", "2502.12345", 1),
        ("arxiv:2411.04321", "2411.04321", 3),
        ("arxiv:math/0601001", "math/0601001", 2),
    ]
    assert total == 1342
    assert result.warnings == []


def test_titles_and_summaries_are_collapsed_to_one_line(answer):
    first = answer[0].papers[0]
    assert first.title == "Sparse Mixtures of Low-Rank Experts for Continual Fine-Tuning"
    assert first.abstract.startswith("We study continual fine-tuning of large models under a "
                                     "fixed memory budget. We propose")
    assert first.abstract.endswith("when the loss is $L < 2$ on five task streams.")


def test_authors_categories_and_links(answer):
    first, second, old = answer[0].papers
    assert first.authors == ["Mira Okonkwo", "Tomasz Wiśniewski", "Li Na", "Jorge Peña"]
    assert old.categories == ["math.CO", "cs.LG"]  # primary category first
    assert second.categories == ["cs.LG", "stat.ML"]
    assert first.url == "https://arxiv.org/abs/2502.12345"
    assert old.url == "https://arxiv.org/abs/math/0601001"
    assert old.pdf_url == "https://arxiv.org/pdf/math/0601001v2"
    assert second.pdf_url == "https://arxiv.org/pdf/2411.04321v3"


def test_dates_doi_comment_and_journal_ref(answer):
    first, second, _ = answer[0].papers
    assert second.published == datetime(2024, 11, 6, 15, 3, 11, tzinfo=UTC)
    assert second.updated == datetime(2025, 2, 19, 9, 12, 40, tzinfo=UTC)
    assert second.doi == "10.1234/jmlr.2025.0042"
    assert second.journal_ref == "Journal of Machine Learning Research 26 (2025) 1-38"
    assert second.comment == "v3: camera-ready version"
    assert first.comment == "14 pages, 6 figures; code at https://github.com/example-lab/smolre"
    assert first.doi is None and first.announce_type is None


def test_the_api_and_the_listing_agree_on_ids():
    listing = arxiv_rss.parse((DATA / "arxiv-rss-cs.LG.xml").read_bytes(), "arxiv-cs.LG")
    api = arxiv_api.parse((DATA / "arxiv-api-query.xml").read_bytes(), "arxiv-api")
    assert {p.id for p in listing.papers} & {p.id for p in api.papers} == {
        "arxiv:2502.12345", "arxiv:2411.04321"}


def test_the_api_error_entry_is_a_parse_error_not_a_paper():
    with pytest.raises(ParseError) as caught:
        arxiv_api.parse((DATA / "arxiv-api-error.xml").read_bytes(), "arxiv-api")
    assert str(caught.value) == ("the arXiv API rejected the query: incorrect id format for "
                                 "2502.1234x")


def test_no_entries_is_an_empty_result():
    data = (b'<?xml version="1.0" encoding="UTF-8"?>\n'
            b'<feed xmlns="http://www.w3.org/2005/Atom" '
            b'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">'
            b'<title type="html">ArXiv Query: search_query=all:zzzyzx</title>'
            b"<id>http://arxiv.org/api/abc</id><updated>2025-02-20T00:00:00-05:00</updated>"
            b"<opensearch:totalResults>0</opensearch:totalResults>"
            b"<opensearch:startIndex>0</opensearch:startIndex></feed>")
    result, total = arxiv_api.parse_page(data, "arxiv-api")
    assert (result.papers, result.warnings, total) == ([], [], 0)


def test_a_truncated_answer_is_a_parse_error():
    data = (DATA / "arxiv-api-query.xml").read_bytes()
    with pytest.raises(ParseError, match="looks truncated"):
        arxiv_api.parse(data[:data.index(b"<title>Scaling Laws")], "arxiv-api")
