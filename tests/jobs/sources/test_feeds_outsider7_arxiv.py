"""arXiv listings an outsider found on GitHub (round 7): arXiv's own example item of its
RSS listings and a pre-2024 listing, read as arXiv and as plain feeds."""

from __future__ import annotations

from jobs.sources import arxiv_api, arxiv_rss, rss

# github:arXiv/arxiv-docs@2ed48f9 source/help/rss_specifications.md: arXiv's own example
# item of its RSS listings (2203.01250v3, replace-cross, published in JEP), in a channel.
# Added as a plain feed ('rss'), the announce type, the DOI and the journal were lost, the
# 'arXiv:... Announce Type: ... Abstract:' prefix opened the abstract and the HTML
# sanitizer ate TeX between '<' and '>'. Read by the arXiv reader, the journal kept its
# TeX accents.
ARXIV_ITEM = br"""<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/"
 version="2.0"><channel><title>math.OC updates on arXiv.org</title>
<link>http://rss.arxiv.org/rss/math.OC</link>
<pubDate>Fri, 23 Feb 2024 00:00:00 -0500</pubDate>
<item>
<title>Mass concentration in rescaled first order integral functionals</title>
<link>https://arxiv.org/abs/2203.01250</link>
<description>arXiv:2203.01250v3 Announce Type: replace-cross
Abstract: We consider first order local minimization problems of the form
$\min \int_{\mathbb{R}^N}f(u,\nabla u)$ for $\alpha&lt;1$ and $N&gt;2$.</description>
<guid isPermaLink="false">oai:arXiv.org:2203.01250v3</guid>
<category>math.AP</category>
<category>math.OC</category>
<pubDate>Fri, 23 Aug 2024 00:00:00 -0400</pubDate>
<arxiv:announce_type>replace-cross</arxiv:announce_type>
<arxiv:DOI>10.5802/jep.257</arxiv:DOI>
<arxiv:journal_reference>Journal de l'\'Ecole polytechnique - Math\'ematiques, Tome 11 (2024),
 pp. 431-472</arxiv:journal_reference>
<dc:creator>Antonin Monteil, Paul Pegon</dc:creator>
</item></channel></rss>"""


def test_an_arxiv_listing_added_as_a_plain_feed_is_read_as_an_arxiv_listing() -> None:
    [paper] = rss.parse(ARXIV_ITEM, "math-oc").papers
    assert (paper.id, paper.version, paper.announce_type) == (
        "arxiv:2203.01250", 3, "replace-cross")
    assert paper.is_replacement  # a new version is no news
    assert paper.abstract == (r"We consider first order local minimization problems of the form "
                              r"$\min \int_{\mathbb{R}^N}f(u,\nabla u)$ for $\alpha<1$ and $N>2$.")
    assert paper.doi == "10.5802/jep.257"
    assert paper.authors == ["Antonin Monteil", "Paul Pegon"]


def test_tex_accents_in_an_arxiv_journal_reference_are_letters() -> None:
    [paper] = arxiv_rss.parse(ARXIV_ITEM, "math-oc").papers
    assert paper.journal_ref == ("Journal de l'École polytechnique - Mathématiques, Tome 11 "
                                 "(2024), pp. 431-472")
    # The API answers the same field as arxiv:journal_ref.
    api = (b'<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/'
           b'atom"><entry><id>http://arxiv.org/abs/2203.01250v3</id><title>Mass</title>'
           b"<arxiv:journal_ref>Journal de l'\\'Ecole polytechnique</arxiv:journal_ref>"
           b"<arxiv:comment>Accept\\'e</arxiv:comment></entry></feed>")
    [entry] = arxiv_api.parse(api, "api").papers
    assert (entry.journal_ref, entry.comment) == ("Journal de l'École polytechnique", "Accepté")


# github:steog88/PhysBiblio@887f3c0 physbiblio/webimport/tests/test_webimport.py (arXiv's
# hep-ex listing of 2018-05-23, before 2024): added as a plain feed, each title kept its
# '(arXiv:... [hep-ex])' note and the escaped author links became authors ('<a href="http').
OLD_LISTING = b"""<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="http://arxiv.org/"><title>hep-ex updates on arXiv.org</title>
<link>http://arxiv.org/</link><dc:date>2018-05-23T20:30:00-05:00</dc:date></channel>
<item rdf:about="http://arxiv.org/abs/1805.09166">
<title>Recent Top quark results from the Tevatron. (arXiv:1805.09166v1 [hep-ex] CROSS LISTED)
</title>
<link>http://arxiv.org/abs/1805.09166</link>
<description rdf:parseType="Literal">&lt;p&gt;Recent results on top quark physics.&lt;/p&gt;
</description>
<dc:creator> &lt;a href="http://arxiv.org/find/hep-ex/1/au:+Tuchming_B/0/1/0/all/0/1"&gt;Boris
 Tuchming&lt;/a&gt;</dc:creator>
</item>
</rdf:RDF>"""


def test_an_old_arxiv_listing_added_as_a_plain_feed_loses_its_notes() -> None:
    [paper] = rss.parse(OLD_LISTING, "hep-ex").papers
    assert paper.title == "Recent Top quark results from the Tevatron"
    assert paper.authors == ["Boris Tuchming"]
    assert (paper.id, paper.announce_type) == ("arxiv:1805.09166", "cross")


def test_a_feed_with_one_arxiv_item_among_others_stays_a_plain_feed() -> None:
    mixed = ARXIV_ITEM.replace(b"</item>", b"</item><item><title>Lab news</title>"
                               b"<link>https://lab.example.org/news/1</link></item>")
    papers = rss.parse(mixed, "lab").papers
    assert [paper.title for paper in papers][1] == "Lab news"
    assert papers[0].announce_type is None
