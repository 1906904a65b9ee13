"""Hugging Face Daily Papers JSON: arXiv ids, counts, links, the listed day, bad answers."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.models import ParseError
from jobs.sources import arxiv_rss, hf_daily

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def daily():
    return hf_daily.parse((DATA / "hf-daily.json").read_bytes(), "hf-daily")


def test_items_become_papers_keyed_by_arxiv_id(daily):
    assert [p.id for p in daily.papers] == [
        "arxiv:2502.12345", "arxiv:2502.13001", "arxiv:2502.13555"]
    assert [p.url for p in daily.papers] == [
        "https://arxiv.org/abs/2502.12345", "https://arxiv.org/abs/2502.13001",
        "https://arxiv.org/abs/2502.13555"]


def test_an_item_without_a_paper_id_is_skipped_with_a_warning(daily):
    assert daily.warnings == [
        "item 3 ('An Item Without an Id') has no paper id; it was skipped"]


def test_hf_fields_are_kept(daily):
    first, second, sparse = daily.papers
    assert (first.upvotes, first.num_comments) == (42, 3)
    assert first.github_url == "https://github.com/example-lab/smolre"
    assert first.project_url is None
    assert second.project_url == "https://example.org/remembering-worlds"
    assert first.listed_on == date(2025, 2, 20)
    assert first.published == datetime(2025, 2, 18, 17, 59, 58, tzinfo=UTC)
    assert first.authors == ["Mira Okonkwo", "Tomasz Wiśniewski", "Li Na", "Jorge Peña"]
    assert second.title == ("Video World Models That Remember: Long-Horizon Consistency from "
                            "Sparse Memory")
    assert second.abstract == ("Video world models drift over long horizons. We add a sparse "
                               "episodic memory and keep scenes consistent for ten minutes of "
                               "rollout.")
    # Missing fields are simply absent, not errors.
    assert (sparse.title, sparse.authors, sparse.abstract) == ("Few Fields Here", [], "")
    assert (sparse.upvotes, sparse.num_comments, sparse.listed_on) == (5, None, None)


def test_a_paper_on_hf_and_in_the_arxiv_listing_has_one_canonical_id(daily):
    listing = arxiv_rss.parse((DATA / "arxiv-rss-cs.LG.xml").read_bytes(), "arxiv-cs.LG")
    shared = {p.id for p in daily.papers} & {p.id for p in listing.papers}
    assert shared == {"arxiv:2502.12345"}
    hf = next(p for p in daily.papers if p.id == "arxiv:2502.12345")
    arxiv = next(p for p in listing.papers if p.id == "arxiv:2502.12345")
    assert (hf.url, hf.title, hf.authors) == (arxiv.url, arxiv.title, arxiv.authors)


def _item(**paper) -> dict:
    return {"paper": {"id": "2502.20000", "title": "T", **paper},
            "publishedAt": "2025-02-21T23:30:00.000Z"}


def test_an_explicit_date_wins_over_the_listing_time():
    items = [{**_item(), "date": "2025-02-22"}, _item(id="2502.20001")]
    papers = hf_daily.parse(json.dumps(items).encode(), "hf").papers
    # 23:30 UTC on the 21st is the listing time of the second item: its UTC day counts.
    assert [p.listed_on for p in papers] == [date(2025, 2, 22), date(2025, 2, 21)]


def test_withdrawn_and_non_arxiv_items_are_skipped_with_warnings():
    items = [_item(withdrawnAt="2025-02-21T10:00:00.000Z"), _item(id="not-an-id"),
             _item(id="2502.20001")]
    result = hf_daily.parse(json.dumps(items).encode(), "hf")
    assert [p.id for p in result.papers] == ["arxiv:2502.20001"]
    assert result.warnings == [
        "item 1 (2502.20000) was withdrawn from Daily Papers; skipped",
        "item 2 ('T') has the id 'not-an-id', which is not an arXiv id; it was skipped"]


def test_an_empty_list_is_an_empty_result():
    assert hf_daily.parse(b"[]", "hf").papers == []


@pytest.mark.parametrize(("data", "message"), [
    (b"", "the answer is empty; Hugging Face sent no list of papers"),
    (b'[{"paper": {"id": "2502.1', "not valid JSON at line 1, column 19: Unterminated string; "
     "the answer looks truncated"),
    (b'{"error": "Invalid date: 2025-13-01"}', "Hugging Face answered with an error instead "
     "of papers: Invalid date: 2025-13-01"),
    (b'{"papers": []}', "expected a JSON list of papers, got a JSON object; check that the "
     "address is .../api/daily_papers"),
    (b"<!doctype html><html></html>", "the answer is an HTML or XML page, not Daily Papers "
     "JSON; check that the address is .../api/daily_papers"),
])
def test_unreadable_answers_are_parse_errors(data: bytes, message: str):
    with pytest.raises(ParseError) as caught:
        hf_daily.parse(data, "hf")
    assert str(caught.value) == message
