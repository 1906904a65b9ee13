"""Shared feed reading: safe feedparser use, encoding repair, well-formedness, text helpers."""

from __future__ import annotations

import io
import time
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest

from bot.models import ParseError
from jobs.sources import feeds
from jobs.sources.feeds import (
    detail_text,
    read_feed,
    repair_encoding,
    utc_datetime,
)
from jobs.sources.htmlblocks import html_blocks, html_to_text

DATA = Path(__file__).resolve().parents[2] / "data"

RSS = (b'<?xml version="1.0" encoding="UTF-8"?>\n'
       b'<rss version="2.0">\n<channel><title>T</title>\n'
       b"<item><title>First</title><link>https://example.org/1</link></item>\n"
       b"<item><title>Second</title><link>https://example.org/2</link></item>\n"
       b"</channel>\n</rss>\n")


def test_bad_bytes_are_replaced_with_a_warning_and_every_entry_is_kept():
    doc = read_feed((DATA / "bad-byte-feed.xml").read_bytes(), sanitize_html=True)

    assert doc.warnings == [
        "2 bytes that are not valid UTF-8 were replaced (first at byte 717)"]
    titles = [entry.title for entry in doc.entries]
    assert titles == ["Ordinal Regression with Monotone Neural Networks",
                      "Counterfactual Explanations (r\ufffdsum\ufffd) for Survival Models",
                      "Learning to Rank Seminar Abstracts"]
    # The valid UTF-8 elsewhere is not re-read as windows-1252 ("PeÃ±a").
    assert doc.entries[0].author == "Jorge Peña"


def test_repair_encoding_leaves_good_documents_alone():
    assert repair_encoding(RSS) == (RSS, RSS.decode(), [])


def test_repair_encoding_honours_a_declared_single_byte_encoding():
    data = ('<?xml version="1.0" encoding="windows-1252"?><rss version="2.0"><channel>'
            "<item><title>caf\u00e9 \u20ac</title></item></channel></rss>").encode("cp1252")
    bad = data.replace(b"\x80", b"\x81")  # 0x81 is undefined in windows-1252

    assert repair_encoding(data)[2] == []
    repaired, _, warnings = repair_encoding(bad)
    assert warnings == ["1 byte that is not valid windows-1252 was replaced (first at byte 91)"]
    assert read_feed(repaired, sanitize_html=True).entries[0].title == "caf\u00e9 \ufffd"


def test_a_truncated_feed_is_a_parse_error_although_feedparser_would_return_entries():
    data = (DATA / "truncated-feed.xml").read_bytes()
    lenient = feedparser.parse(io.BytesIO(data))
    assert lenient.bozo and len(lenient.entries) == 3  # what a partial read would give

    with pytest.raises(ParseError) as caught:
        read_feed(data, sanitize_html=True)
    assert str(caught.value) == ("not well-formed XML at line 27: no element found; the document "
                                 "looks truncated (it ends before its elements close)")


def test_a_mismatched_tag_is_a_parse_error_with_its_line():
    data = RSS.replace(b"<title>Second</title>", b"<title>Second</titel>")

    with pytest.raises(ParseError, match=r"^not well-formed XML at line 5: mismatched tag; "):
        read_feed(data, sanitize_html=True)


@pytest.mark.parametrize(("data", "message"), [
    (b"", "the document is empty; the source sent no feed"),
    (b"  \n\t", "the document is empty; the source sent no feed"),
    (b'{"version": "https://jsonfeed.org/version/1.1", "items": []}',
     "the document is JSON, not an RSS or Atom feed"),
    (b"[1, 2]", "the document is JSON, not an RSS or Atom feed"),
    (b"<!DOCTYPE html><html><head><title>Blog</title></head><body><p>Hi</body></html>",
     "the document is an HTML page, not an RSS or Atom feed; check that the address points "
     "at the feed itself"),
    (b"<?xml version='1.0'?><opml version='2.0'><head/><body/></opml>",
     "the document is not an RSS or Atom feed: its root element is <opml>, not <rss>, <feed> "
     "or <rdf:RDF>"),
    (b"Service Unavailable", "the document is not XML at all, so it cannot be an RSS or Atom "
     "feed"),
    # an RSS 0.90 root with nothing in it was "its root element is <rdf:RDF>, not ... <rdf:RDF>"
    (b"<?xml version='1.0'?><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
     b"</rdf:RDF>", "the feed (<rdf:RDF>) holds no channel or entries that feedparser can "
     "read; check that the address gives the whole feed"),
])
def test_documents_that_are_not_feeds_are_parse_errors(data: bytes, message: str):
    with pytest.raises(ParseError) as caught:
        read_feed(data, sanitize_html=True)
    assert str(caught.value) == message


@pytest.mark.parametrize("text", [b"/etc/passwd", b"http://127.0.0.1:9/feed.xml",
                                  str(DATA / "journal-rss.xml").encode()])
def test_a_path_or_url_is_read_as_text_never_opened(text: bytes):
    with pytest.raises(ParseError, match="not XML at all"):
        read_feed(text, sanitize_html=True)


def test_feedparser_is_given_a_byte_stream_and_explicit_options(monkeypatch):
    calls = []
    real = feedparser.parse

    def recording(source, **options):
        calls.append((source, options))
        return real(source, **options)

    monkeypatch.setattr(feeds.feedparser, "parse", recording)
    read_feed(RSS, sanitize_html=False)
    (source, options), = calls
    assert isinstance(source, io.BytesIO)
    assert options == {"sanitize_html": False, "resolve_relative_uris": False}


def test_html_entities_and_undeclared_prefixes_are_read_leniently_with_a_warning():
    data = RSS.replace(b"<title>First</title>",
                       b"<title>Caf&eacute; Q&amp;A</title><arxiv:announce_type>new"
                       b"</arxiv:announce_type>")

    doc = read_feed(data, sanitize_html=True)

    assert [entry.title for entry in doc.entries] == ["Café Q&A", "Second"]
    assert doc.warnings == [
        "the feed is not strict XML (line 4: undefined entity); it was read leniently"]


def test_leniency_does_not_hide_truncation():
    data = RSS.replace(b"<title>First</title>", b"<title>Caf&eacute;</title>")[:-30]

    with pytest.raises(ParseError, match="looks truncated"):
        read_feed(data, sanitize_html=True)


def test_html_to_text_strips_tags_scripts_and_entities():
    html = ("<p><b>Nature</b>, Volume 1.</p><script>alert('x')</script>"
            "<p>Fish&nbsp;&amp;&#160;chips &lt;3<br>end</p>")
    assert html_to_text(html) == "Nature, Volume 1. Fish & chips <3 end"


def test_detail_text_reads_html_only_when_the_type_says_so():
    assert detail_text({"type": "text/html", "value": "a <em>b</em>\n c"}) == "a b c"
    assert detail_text({"type": "text/plain", "value": "if $x<y$ then"}) == "if $x<y$ then"
    assert detail_text(None, "  fall\nback ") == "fall back"


def test_html_blocks_keep_paragraphs_and_lines_apart():
    # The shape of a ScienceDirect item description (rss/elsevier-ejmc-mirror.xml).
    html = ('<p><a href="https://example.org/a?dgcid=rss_sd_all"><img src="x.jpg" /></a></p>'
            "<p>Publication date: 5 December 2026</p><p><b>Source:</b> A Journal, Volume 3"
            "</p><p>Author(s): Ann Lee,\nBo Chen</p>Old<br/>style")
    assert html_blocks(html) == ["Publication date: 5 December 2026",
                                 "Source: A Journal, Volume 3", "Author(s): Ann Lee, Bo Chen",
                                 "Old", "style"]
    assert html_to_text(html) == ("Publication date: 5 December 2026 Source: A Journal, "
                                  "Volume 3 Author(s): Ann Lee, Bo Chen Old style")


def test_utc_datetime_from_feedparser_struct_time():
    parsed = time.struct_time((2025, 2, 20, 5, 0, 0, 3, 51, 0))
    assert utc_datetime(parsed) == datetime(2025, 2, 20, 5, 0, tzinfo=UTC)
    assert utc_datetime(None) is None
