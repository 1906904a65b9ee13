"""Generic RSS/Atom feeds: id choice (arXiv, DOI, link/guid/title hash), dedup, text, bad
documents."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.models import ParseError
from bot.paperids import guid_paper_id, identity_url
from jobs.sources import rss

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def journal():
    return rss.parse((DATA / "journal-rss.xml").read_bytes(), "jils")


@pytest.fixture(scope="module")
def blog():
    return rss.parse((DATA / "blog-atom.xml").read_bytes(), "lab-blog")


def test_journal_ids_prefer_arxiv_then_doi_then_the_link(journal):
    assert [p.id for p in journal.papers] == [
        "doi:10.5555/jils.2025.0107",  # prism:doi / dc:identifier
        "doi:10.5555/jils.2025.0111",  # a doi.org guid
        "arxiv:2502.12345",  # an arXiv link
        guid_paper_id("jils", "//journals.example.org/jils/editorial/ten-years"),
        "doi:10.5555/jils.2025.0120",  # a publisher's /doi/ link
    ]
    assert journal.papers[3].id.startswith("jils:")


def test_duplicates_by_guid_then_by_canonical_link_keep_the_first(journal):
    titles = [p.title for p in journal.papers]
    assert "Curriculum Design for Robot Manipulation with Language Feedback" in titles
    assert not any("duplicate entry" in t or "(mirror)" in t for t in titles)
    assert len(journal.papers) == 5


def test_an_entry_without_title_and_link_is_skipped_with_a_warning(journal):
    assert journal.warnings == ["entry 7 has neither a title nor a link; it was skipped"]


def test_journal_fields(journal):
    first, second, preprint, editorial, wiley = journal.papers
    assert first.authors == ["Yuki Tanaka", "Rafael Moreno", "Aisha Bello"]
    assert second.authors == ["Grace Whitmore", "Oluwaseun Adeyemi"]
    assert editorial.authors == ["Smith, Jane"]
    assert wiley.authors == ["Lena Hoffmann", "Marco Bianchi"]
    assert first.abstract == ("Journal of Invented Learning Systems, Volume 12, Issue 2, "
                              "February 2025. We show that language feedback & a learned "
                              "curriculum halve the number of demonstrations needed.")
    assert second.abstract == "We track 40 benchmarks over ten years."
    assert first.doi == "10.5555/jils.2025.0107"
    assert first.journal_ref == "Journal of Invented Learning Systems 12"
    assert first.categories == ["Robotics"]
    assert first.published == datetime(2025, 2, 19, tzinfo=UTC)
    # The feed's link ends in ?utm_source=rss: tracking parameters are not stored.
    assert first.url == "https://journals.example.org/jils/article/10.5555/jils.2025.0107"
    assert (preprint.url, preprint.arxiv_id, preprint.version) == (
        "https://arxiv.org/abs/2502.12345", "2502.12345", 2)
    assert preprint.pdf_url == "https://arxiv.org/pdf/2502.12345v2"


def test_blog_entries(blog):
    post, reading, photos = blog.papers
    # Its page names it (guids rotate, links stay): https, www. and the slash do not count.
    assert post.id == guid_paper_id("lab-blog", "//lab.example.net/blog/2025/02/sparse-experts")
    assert post.title == "Why sparse experts forget less"
    assert post.abstract == "A walk through our new preprint. Short version: routing matters."
    assert post.authors == ["Mira Okonkwo", "Jorge Peña"]
    assert post.categories == ["continual-learning", "papers"]
    assert post.published == datetime(2025, 2, 21, 9, 0, tzinfo=UTC)
    assert post.url == "https://lab.example.net/blog/2025/02/sparse-experts/"
    assert reading.id == "arxiv:2310.00077"
    # No guid: the id hashes the link too; no <published>: <updated> stands in.
    assert photos.id == guid_paper_id(
        "lab-blog", identity_url("https://lab.example.net/blog/2025/02/retreat/"))
    assert photos.abstract == "Photos from the retreat."
    assert photos.published == datetime(2025, 2, 10, 9, 0, tzinfo=UTC)
    assert blog.warnings == []


def test_an_rss_1_0_feed_with_a_dc_identifier_doi():
    data = (b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
            b' xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            b'<channel rdf:about="https://j.example.com/rss"><title>J</title>'
            b"<link>https://j.example.com</link></channel>"
            b'<item rdf:about="https://j.example.com/a/1"><title>An RDF item</title>'
            b"<link>https://j.example.com/a/1</link><dc:identifier>info:doi/10.7777/J.1"
            b"</dc:identifier><dc:date>2025-02-20T08:00:00Z</dc:date></item></rdf:RDF>")
    (paper,) = rss.parse(data, "j").papers
    assert (paper.id, paper.doi, paper.url) == ("doi:10.7777/j.1", "10.7777/j.1",
                                                "https://j.example.com/a/1")
    assert paper.published == datetime(2025, 2, 20, 8, 0, tzinfo=UTC)


def test_a_doi_like_piece_of_an_ordinary_link_is_not_taken_for_a_doi():
    data = (b'<rss version="2.0"><channel><title>B</title><item><title>Post</title>'
            b"<link>https://blog.example.org/2025/10.1000/notes</link></item></channel></rss>")
    (paper,) = rss.parse(data, "b").papers
    assert paper.doi is None
    assert paper.id == guid_paper_id("b", "//blog.example.org/2025/10.1000/notes")


def test_a_bad_byte_is_replaced_and_every_entry_kept():
    result = rss.parse((DATA / "bad-byte-feed.xml").read_bytes(), "inst")
    assert [p.title for p in result.papers] == [
        "Ordinal Regression with Monotone Neural Networks",
        "Counterfactual Explanations (r\ufffdsum\ufffd) for Survival Models",
        "Learning to Rank Seminar Abstracts"]
    assert result.papers[0].authors == ["Jorge Peña"]
    assert result.warnings == [
        "2 bytes that are not valid UTF-8 were replaced (first at byte 717)"]


def test_a_truncated_feed_is_a_parse_error():
    with pytest.raises(ParseError, match=r"^not well-formed XML at line 27: no element found; "
                                         r"the document looks truncated"):
        rss.parse((DATA / "truncated-feed.xml").read_bytes(), "inst")


def test_entries_with_only_a_title_get_distinct_ids():
    data = (b'<rss version="2.0"><channel><title>N</title><item><title>Talk moved</title>'
            b"</item><item><title>Room change</title></item></channel></rss>")
    papers = rss.parse(data, "n").papers
    assert [p.id for p in papers] == [guid_paper_id("n", "title:talk moved"),
                                      guid_paper_id("n", "title:room change")]


@pytest.mark.parametrize("data", [b"", b"<html><body>Moved</body></html>", b'{"items": []}'])
def test_non_feeds_are_parse_errors(data: bytes):
    with pytest.raises(ParseError):
        rss.parse(data, "x")
