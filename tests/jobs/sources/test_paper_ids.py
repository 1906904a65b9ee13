"""Paper identity from what feed items carry (bot.paperids): arXiv ids in arXiv, Hugging
Face and alphaXiv links and in arXiv DOIs, exact DOIs against publishers' /doi/ links, and
stored links without tracking parameters; checked on the shared corpus's real feeds."""

from __future__ import annotations

import json

import pytest

from bot.paperids import (
    doi_in_publisher_link,
    exact_doi,
    find_arxiv_id,
    identity_url,
    without_tracking,
)
from jobs.sources import hf_daily, rss
from tests.conftest import shared_file


@pytest.mark.parametrize(("text", "found"), [
    ("https://huggingface.co/papers/2405.15738", ("2405.15738", None)),
    ("https://hf.co/papers/2510.12586v2", ("2510.12586", 2)),
    ("https://www.alphaxiv.org/abs/2401.01234", ("2401.01234", None)),
    ("doi:10.48550/arXiv.2401.01234", ("2401.01234", None)),
    ("https://doi.org/10.48550/arxiv.hep-th/9901001", ("hep-th/9901001", None)),
    ("http://arxiv.org/abs/1805.06430", ("1805.06430", None)),
    ("arXiv:1805.06430v2", ("1805.06430", 2)),
    ("https://huggingface.co/papers/2405.157381", None),  # not an arXiv id: too long
    ("https://huggingface.co/papers?date=2024-05-27", None),
    ("https://huggingface.co/blog/2405.15738", None),
])
def test_arxiv_ids_in_links_and_dois(text: str, found):
    assert find_arxiv_id(text) == found


def test_an_exact_doi_is_a_doi_and_nothing_more():
    # ACS's guid (rss/acs-jacs-asap-mirror.xml) is a dx.doi.org link.
    assert exact_doi("http://dx.doi.org/10.1021/jacs.6c12595") == "10.1021/jacs.6c12595"
    assert exact_doi("doi:10.1101/2024.09.04.611255") == "10.1101/2024.09.04.611255"
    assert exact_doi("info:doi/10.7777/J.1") == "10.7777/j.1"
    assert exact_doi("https://pubs.acs.org/doi/10.1021/jacs.6c12595") is None
    assert exact_doi("https://blog.example.org/2025/10.1000/notes") is None


@pytest.mark.parametrize(("link", "doi"), [
    # ACS (rss/acs-jacs-asap-mirror.xml) and OUP both host on Silverchair:
    # /article/doi/<DOI>/<article number>/<slug>.
    ("https://pubs.acs.org/jacsat/article/doi/10.1021/jacs.6c12595/5291658/"
     "Direct-Decarboxylative-Borylation-via-Radical", "10.1021/jacs.6c12595"),
    ("https://academic.oup.com/mnras/article/doi/10.1093/mnras/stae123/7612345",
     "10.1093/mnras/stae123"),
    ("https://onlinelibrary.wiley.com/doi/abs/10.1002/anie.202412345?af=R",
     "10.1002/anie.202412345"),
    # Outside /article/doi/ a DOI may well end in a long number (A&A's do).
    ("https://example.org/doi/10.1051/0004-6361/202245678", "10.1051/0004-6361/202245678"),
    ("https://blog.example.org/2025/10.1000/notes", None),
])
def test_dois_in_publisher_links(link: str, doi: str | None):
    assert doi_in_publisher_link(link) == doi


@pytest.mark.parametrize(("url", "clean"), [
    ("https://www.sciencedirect.com/science/article/pii/S0223523426006896?dgcid=rss_sd_all",
     "https://www.sciencedirect.com/science/article/pii/S0223523426006896"),
    ("http://biorxiv.org/cgi/content/short/2024.09.04.611255v1?rss=1",
     "http://biorxiv.org/cgi/content/short/2024.09.04.611255v1"),
    ("https://onlinelibrary.wiley.com/doi/10.1002/anie.202412345?af=R",
     "https://onlinelibrary.wiley.com/doi/10.1002/anie.202412345"),
    ("https://e.org/p?b=2&utm_source=rss&a=%20x&utm_medium=feed#part",
     "https://e.org/p?b=2&a=%20x#part"),
    ("https://e.org/p?rss=full&af=B", "https://e.org/p?rss=full&af=B"),
    # PubMed stamps each feed build into every item's link (a reader's copy: biorss).
    ("https://pubmed.ncbi.nlm.nih.gov/34662467/?utm_source=Other&utm_medium=rss"
     "&utm_campaign=pubmed-2&utm_content=1abc&fc=20211019130814&ff=20211019130828&v=2.15.0",
     "https://pubmed.ncbi.nlm.nih.gov/34662467/"),
    ("https://www.cambridge.org/core/product/X1?rft_dat=source%3Ddrss",
     "https://www.cambridge.org/core/product/X1"),
    # Only what looks like a stamp: a page named by such a parameter keeps it.
    ("https://e.org/watch?v=dQw4w9WgXcQ&fc=7", "https://e.org/watch?v=dQw4w9WgXcQ&fc=7"),
    ("https://e.org/p", "https://e.org/p"),
])
def test_tracking_parameters_leave_stored_links(url: str, clean: str):
    assert without_tracking(url) == clean


def test_two_builds_of_a_pubmed_feed_give_the_same_papers():
    item = ("<item><title>Gut microbes and mucins</title><link>https://pubmed.ncbi.nlm.nih"
            ".gov/34662467/?utm_source=Other&amp;utm_medium=rss&amp;utm_campaign=pubmed-2"
            "&amp;fc={fc}&amp;ff={fc}&amp;v={v}</link><description>Abstract.</description>"
            "<guid isPermaLink=\"false\">pubmed:34662467</guid></item>")
    feeds = [f"<rss version=\"2.0\"><channel><title>PubMed</title>{item.format(fc=fc, v=v)}"
             "</channel></rss>".encode() for fc, v in [("20211019130814", "2.15.0"),
                                                      ("20211020091502", "2.15.1")]]
    first, second = (rss.parse(feed, "pubmed").papers for feed in feeds)
    assert [p.id for p in first] == [p.id for p in second]
    assert first[0].url == "https://pubmed.ncbi.nlm.nih.gov/34662467/"


def test_tracking_parameters_do_not_tell_items_apart():
    assert identity_url("https://e.org/a/b?dgcid=rss_sd_all") == identity_url("https://e.org/a/b")
    assert identity_url("https://e.org/a/b?rss=1") == identity_url("https://e.org/a/b/")


def test_the_acs_doi_comes_from_the_guid_not_the_longer_link():
    result = rss.parse(shared_file("corpus", "realworld", "rss", "acs-jacs-asap-mirror.xml")
                       .read_bytes(), "jacs")
    assert len(result.papers) == 150
    by_title = {p.title: p for p in result.papers}
    paper = by_title["Direct Decarboxylative Borylation via Radical-Organometallic Relay"]
    assert (paper.id, paper.doi) == ("doi:10.1021/jacs.6c12595", "10.1021/jacs.6c12595")
    assert paper.url.startswith("https://pubs.acs.org/jacsat/article/doi/10.1021/jacs.6c12595/")
    # Every id is a bare JACS DOI: no article number or slug after it.
    assert all(p.id.count("/") == 1 and p.id.startswith("doi:10.1021/") for p in result.papers)


def test_sciencedirect_links_are_stored_without_dgcid():
    result = rss.parse(shared_file("corpus", "realworld", "rss", "elsevier-ejmc-mirror.xml")
                       .read_bytes(), "ejmc")
    assert len(result.papers) == 100
    assert not any("dgcid" in p.url for p in result.papers)
    assert result.papers[0].url == (
        "https://www.sciencedirect.com/science/article/pii/S0223523426006896")


def test_nature_ids_come_from_prism_doi():
    result = rss.parse(shared_file("corpus", "realworld", "rss", "nature-2024-07-18.rss")
                       .read_bytes(), "nature")
    assert len(result.papers) == 75
    assert all(p.id == f"doi:{p.doi}" and p.doi.startswith("10.1038/") for p in result.papers)


def _hf_paper_pages(ids: list[str]) -> bytes:
    # A feed of Hugging Face paper pages (issue 11: items link and guid
    # https://huggingface.co/papers/<arXiv id>), in RSS 2.0 as such feeds are published.
    items = "".join(f"<item><title>Paper {i}</title><link>https://huggingface.co/papers/{i}"
                    f"</link><guid isPermaLink=\"true\">https://huggingface.co/papers/{i}</guid>"
                    "<pubDate>Mon, 27 May 2024 08:00:00 GMT</pubDate></item>" for i in ids)
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>Daily Papers</title><link>https://huggingface.co/papers</link>{items}"
            "</channel></rss>").encode()


def test_a_feed_of_hf_paper_pages_names_the_papers_hf_daily_names():
    daily = shared_file("corpus", "realworld", "hf-daily", "hf-daily-2024-05-27.json")
    ids = [item["paper"]["id"] for item in json.loads(daily.read_bytes())]
    from_daily = [p.id for p in hf_daily.parse(daily.read_bytes(), "hf").papers]
    from_feed = rss.parse(_hf_paper_pages(ids), "hf-feed").papers
    assert [p.id for p in from_feed] == from_daily
    assert all(p.url == f"https://arxiv.org/abs/{p.arxiv_id}" for p in from_feed)


def test_an_exact_doi_wins_over_a_publisher_link_with_more_path():
    # ACS supporting-information links (/doi/suppl/<DOI>/suppl_file/<file>) beside a
    # dx.doi.org guid as in rss/acs-jacs-asap-mirror.xml: the guid is the DOI.
    data = (b'<rss version="2.0"><channel><title>J</title><link>https://pubs.acs.org</link>'
            b"<item><title>SI</title><link>https://pubs.acs.org/doi/suppl/10.1021/"
            b"jacs.6c12595/suppl_file/ja6c12595_si_001.pdf</link>"
            b"<guid>http://dx.doi.org/10.1021/jacs.6c12595</guid></item></channel></rss>")
    (paper,) = rss.parse(data, "jacs").papers
    assert paper.id == "doi:10.1021/jacs.6c12595"
