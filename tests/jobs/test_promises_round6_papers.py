"""One paper under two ids reaches a channel once (attack round 6): its arXiv preprint,
which carries the DOI the journal gave it, and its journal version from the journal's feed,
in either order, through the operator CLI on an injected clock."""

from __future__ import annotations

from pathlib import Path

from tests.jobs.test_promises_round6 import Lectern

# One entry of a live arXiv API answer (search_query=testing), recorded in
# github:lukasschwab/arxiv.py@93315e7ce9f48e0786317ac2c3d78bdf5bdb748f
# tests/fixtures/q_testing_s0_m10_bc5a6c384fe9.json (MIT licence), summary trimmed.
ARXIV = """<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/"
      xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
  <id>https://arxiv.org/api/+yL+2aOC2tMwSSbNUvwVflQZ4gc</id>
  <title>arXiv Query: search_query=all:testing&amp;id_list=&amp;start=0&amp;max_results=10</title>
  <updated>2026-04-12T22:09:27Z</updated>
  <entry>
    <id>http://arxiv.org/abs/2202.12139v1</id>
    <title>Testing Deep Learning Models: A First Comparative Study of Multiple Testing
      Techniques</title>
    <updated>2022-02-24T15:05:19Z</updated>
    <link href="https://arxiv.org/abs/2202.12139v1" rel="alternate" type="text/html"/>
    <link href="https://arxiv.org/pdf/2202.12139v1" rel="related" type="application/pdf"
          title="pdf"/>
    <summary>Deep Learning (DL) has revolutionized the capabilities of vision-based
      systems (VBS) in critical applications.</summary>
    <category term="cs.SE" scheme="http://arxiv.org/schemas/atom"/>
    <published>2022-02-24T15:05:19Z</published>
    <arxiv:primary_category term="cs.SE"/>
    <author><name>Mohit Kumar Ahuja</name></author>
    <author><name>Arnaud Gotlieb</name></author>
    <author><name>Helge Spieker</name></author>
    <arxiv:doi>10.1109/ICSTW55395.2022.00035</arxiv:doi>
    <link rel="related" href="https://doi.org/10.1109/ICSTW55395.2022.00035" title="doi"/>
  </entry>
</feed>
"""
# The proceedings' feed item of the same paper, shaped as a publisher's RSS gives it (guid
# http://dx.doi.org/<DOI>, as ACS's feeds: Yoshihiro-Ogura/feed-cache-3d45e392
# @b9e28fe8018f9603df65a1a1895ced9956031281 feeds/jacs.xml).
JOURNAL = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>2022 IEEE ICST Workshops (ICSTW)</title>
<link>https://ieeexplore.ieee.org/xpl/conhome/9787817/proceeding</link>
<description>New articles</description>
<item>
<title>Testing Deep Learning Models: A First Comparative Study of Multiple Testing
Techniques</title>
<link>https://ieeexplore.ieee.org/document/9787830</link>
<guid>http://dx.doi.org/10.1109/ICSTW55395.2022.00035</guid>
<pubDate>Mon, 30 May 2022 01:02:08 GMT</pubDate>
<description>Deep Learning (DL) has revolutionized the capabilities of vision-based
systems.</description>
</item>
</channel></rss>
"""
NOW = "2026-12-01T09:00:00Z"


def test_the_journal_version_of_a_preprint_the_channel_heard_of_is_not_news(
        tmp_path: Path, capsys):
    """Before: announced twice, as arxiv:2202.12139 and as doi:10.1109/icstw..."""
    lectern = Lectern(tmp_path, capsys)
    lectern.subscribe(NOW, "/subscribe papers testing")
    lectern.ingest(NOW, "arxiv-api", ARXIV, "--source", "arxiv")
    assert lectern.received(NOW) == [("announce", "arxiv:2202.12139")]
    lectern.ingest("2026-12-02T09:00:00Z", "rss", JOURNAL, "--source", "icstw")
    assert lectern.received("2026-12-02T09:00:00Z") == []


def test_the_preprint_of_a_journal_paper_the_channel_heard_of_is_not_news(
        tmp_path: Path, capsys):
    lectern = Lectern(tmp_path, capsys)
    lectern.subscribe(NOW, "/subscribe papers testing")
    lectern.ingest(NOW, "rss", JOURNAL, "--source", "icstw")
    assert [p for p, _ in lectern.received(NOW)] == ["announce"]
    lectern.ingest("2026-12-02T09:00:00Z", "arxiv-api", ARXIV, "--source", "arxiv")
    assert lectern.received("2026-12-02T09:00:00Z") == []


def test_a_channel_that_never_heard_of_the_preprint_hears_of_the_journal_version(
        tmp_path: Path, capsys):
    lectern = Lectern(tmp_path, capsys)
    lectern.ingest(NOW, "arxiv-api", ARXIV, "--source", "arxiv")
    lectern.subscribe("2026-12-01T10:00:00Z", "/subscribe papers testing")
    lectern.ingest("2026-12-02T09:00:00Z", "rss", JOURNAL, "--source", "icstw")
    assert [p for p, _ in lectern.received("2026-12-02T09:00:00Z")] == ["announce"]
