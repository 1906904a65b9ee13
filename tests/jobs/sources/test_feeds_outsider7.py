"""Journal feeds an outsider found on GitHub (round 7), cut down to the shapes lectern misread."""

from __future__ import annotations

from jobs.sources import arxiv_api, arxiv_rss, rss
from jobs.sources.paperauthors import leading_people

# github:zotero/zotero@3176516 test/tests/data/feedArticleMetadata.rss (MDPI's Fluids feed,
# www.mdpi.com/rss/journal/fluids, as Zotero keeps it for its feed reader's tests): every
# MDPI <title> cites the issue before the title ('Fluids, Vol. 9, Pages 120: ...') and
# dc:title gives the title alone, which feedparser dropped. The citation was the title.
MDPI = b"""<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:prism="http://prismstandard.org/namespaces/basic/2.0/"
 xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns:content="http://purl.org/rss/1.0/modules/content/">
    <channel rdf:about="https://www.mdpi.com/rss/journal/fluids">
\t\t<title>Fluids</title>
\t\t<link>https://www.mdpi.com/journal/fluids</link>
\t</channel>
        <item rdf:about="https://www.mdpi.com/2311-5521/9/6/120">
\t<title>Fluids, Vol. 9, Pages 120: Environmental Hydraulics, Turbulence, and Sediment Transport,
 Second Edition</title>
\t<link>https://www.mdpi.com/2311-5521/9/6/120</link>
\t<description>Within river systems, the process of bed-forming is intricate, dynamic and is
 shaped by different factors [...]</description>
\t<pubDate>2024-05-22</pubDate>
\t<content:encoded><![CDATA[
\tAbstract
\t]]></content:encoded>
\t<dc:title>Environmental Hydraulics, Turbulence, and Sediment Transport, Second Edition</dc:title>
\t\t\t<dc:creator>Jaan H. Pu</dc:creator>
\t\t\t<dc:creator>Manish Pandey</dc:creator>
\t\t\t<dc:creator>Prashanth Reddy Hanmaiahgari</dc:creator>
\t\t<dc:identifier>doi: 10.3390/fluids9060120</dc:identifier>
\t<prism:publicationName>Fluids</prism:publicationName>
\t<prism:volume>9</prism:volume>
\t\t<prism:doi>10.3390/fluids9060120</prism:doi>
</item>
</rdf:RDF>"""


def test_a_citation_before_the_title_gives_way_to_dc_title() -> None:
    [paper] = rss.parse(MDPI, "fluids").papers
    assert paper.title == ("Environmental Hydraulics, Turbulence, and Sediment Transport, "
                           "Second Edition")
    assert paper.id == "doi:10.3390/fluids9060120"
    assert paper.journal_ref == "Fluids 9"
    assert paper.abstract.startswith("Within river systems")


def test_a_dc_title_that_is_not_the_end_of_the_title_changes_nothing() -> None:
    # Science's current-issue feed (zotero/zotero@6e8d7a6 test/tests/data/feedCDATA.rss)
    # repeats the title in dc:title; an item with dc:title alone keeps it as its title.
    same = MDPI.replace(b"Fluids, Vol. 9, Pages 120: ", b"")
    assert rss.parse(same, "fluids").papers[0].title.startswith("Environmental Hydraulics")
    other = MDPI.replace(b"<dc:title>Environmental", b"<dc:title>Hydraulic")
    assert rss.parse(other, "fluids").papers[0].title.startswith("Fluids, Vol. 9, Pages 120:")
    alone = MDPI.replace(b"\t<title>Fluids, Vol. 9", b"\t<dc:subject>Fluids, Vol. 9").replace(
        b"Second Edition</title>", b"Second Edition</dc:subject>", 1)
    assert rss.parse(alone, "fluids").papers[0].title.startswith("Environmental Hydraulics")


# github:rdmpage/biorss@571eb34 examples/cnki.xml (CNKI's feed of Asian Herpetological
# Research) and examples/aby.xml (植物分类与资源学报): CNKI writes the authors at the head of
# the description, each closed by a semicolon, the abstract after the last one (the
# '</br>' between them is dropped by every HTML reader). 39 of 40 papers had no authors and
# the names opening their abstracts.
CNKI = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
  <channel>
    <title>Asian Herpetological Research-CNKI</title>
    <link>https://t.cnki.net/knavi/journals/YZLQ/detail?uniplatform=NZKPT</link>
    <item>
      <title>Diet of Juvenile Crocodylus porosus at Kuching Wetlands National Park, Sarawak,East
 Malaysia</title>
      <link>https://T.cnki.net/kcms/detail?v=f99WHsIHPNn2sIcP4yYid3wVj3HnRN6kpUBQ9</link>
      <description>Engkamat LADING;Indraneil DAS;&lt;/br&gt;The diet of juvenile, including
 hatchlings and presumed yearlings of the Saltwater Crocodile,Crocodylus porosus, was
 studied at the Kuching Wetlands National Park...</description>
      <pubDate>Fri, 24 Sep 2021 16:00:00 GMT</pubDate>
    </item>
    <item>
      <title>珙桐种子休眠解除和萌发过程中主要抗氧化酶活性和代谢产物含量的变化</title>
      <link>https://T.cnki.net/kcms/detail?v=f99WHsIHPNn2moXsTD3Vloy7hKhB2G4bTEwzkBKp5</link>
      <description>杨艳;黎云祥;胥晓;&lt;/br&gt;珙桐(Davidia involucrata Baill.)种子
在休眠解除和萌发过程中,主要的抗氧化酶和代谢产物在有效清除活性氧和保证种子活力方面具有重要作用。</description>
      <pubDate>Mon, 23 Nov 2015 16:00:00 GMT</pubDate>
    </item>
    <item>
      <title>秃疮花属植物的染色体数目</title>
      <link>https://T.cnki.net/kcms/detail?v=f99WHsIHPNn2moXsTD3Vloy7hKhB2G4bTEwzkBKp6</link>
      <description>向春雷;董洪进;胡国雄;纳迪亚·扎赫拉;船本常男;&lt;/br&gt;报道了秃疮花属3种。</description>
    </item>
  </channel>
</rss>""".encode()


def test_names_closed_by_semicolons_before_the_abstract_are_its_authors() -> None:
    first, second, third = rss.parse(CNKI, "cnki").papers
    assert first.authors == ["Engkamat LADING", "Indraneil DAS"]
    assert first.abstract.startswith("The diet of juvenile, including hatchlings")
    assert second.authors == ["杨艳", "黎云祥", "胥晓"]
    assert second.abstract.startswith("珙桐(Davidia involucrata Baill.)种子")
    assert third.authors == ["向春雷", "董洪进", "胡国雄", "纳迪亚·扎赫拉", "船本常男"]
    assert third.abstract == "报道了秃疮花属3种。"


def test_sentences_with_semicolons_are_not_names() -> None:
    for text in ("We report two species; both are new; see the key.",
                 "Results: growth; survival; and yield were measured in 2020.",
                 "Ocean warming; a review of the evidence",
                 "Wang; the rest of this abstract"):  # one Latin word is no list of people
        assert leading_people(text) == ([], text)
    assert leading_people("Jian WANG;Zhiyong YUAN;Geckos are diverse.") == (
        ["Jian WANG", "Zhiyong YUAN"], "Geckos are diverse.")


# github:rdmpage/biorss@571eb34 examples/ajh.xml (Taylor & Francis, African Journal of
# Herpetology): an item ahead of print has no issue to cite, and its description is what is
# left, '. <br/>'. The full stop was stored as the abstract (258 papers of 707 feeds).
TANDF = b"""<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/">
   <channel rdf:about="https://www.tandfonline.com/loi/ther20?af=R">
      <title>Taylor &amp; Francis: African Journal of Herpetology: Table of Contents</title>
      <link>https://www.tandfonline.com/loi/ther20?af=R</link>
   </channel>
   <item rdf:about="https://www.tandfonline.com/doi/full/10.1080/21564574.2021.1973582?af=R">
      <title>Biodiversity hotspot revisited: reptile and amphibian assemblages of the Uluguru
 Mountain Forest Reserves, south-eastern Tanzania</title>
      <link>https://www.tandfonline.com/doi/full/10.1080/21564574.2021.1973582?af=R</link>
      <content:encoded>. &lt;br/&gt;</content:encoded>
      <description>. &lt;br/&gt;</description>
      <dc:identifier>10.1080/21564574.2021.1973582</dc:identifier>
      <dc:date>2021-10-15T02:43:24Z</dc:date>
      <dc:creator>Felix J Mkonyi</dc:creator>
   </item>
</rdf:RDF>"""


def test_a_description_of_punctuation_alone_is_no_abstract() -> None:
    [paper] = rss.parse(TANDF, "ajh").papers
    assert paper.abstract == ""
    assert paper.id == "doi:10.1080/21564574.2021.1973582"
    assert paper.authors == ["Felix J Mkonyi"]


# github:wduverger/feeds@4185881 biorxiv.xml (an Atom feed of a bioRxiv search, made with
# jpmonette/feed): its items name the preprint only by its page, whose address is the DOI
# with the version after it. The items were known by a hash of the address, so each new
# version was a new paper (75 of 75 without their DOI).
BIORXIV_SEARCH = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
    <id>https://www.biorxiv.org/search/amyloid%20jcode%3Abiorxiv%20numresults%3A75</id>
    <title>bioRxiv - amyloid</title>
    <updated>2026-01-20T05:51:13.000Z</updated>
    <entry>
        <title type="html"><![CDATA[Increased sensitivity to myopia and altered retinal ON/OFF
 balance in a mouse model lacking Dusp4]]></title>
        <id>https://www.biorxiv.org/content/10.1101/2025.09.29.678242v2</id>
        <link href="https://www.biorxiv.org/content/10.1101/2025.09.29.678242v2"/>
        <updated>2026-01-20T05:51:13.000Z</updated>
    </entry>
    <entry>
        <title type="html"><![CDATA[Cathepsin-dependent amyloid formation drives mechanical
 rupture of lysosomal membranes]]></title>
        <id>https://www.biorxiv.org/content/10.64898/2026.01.17.700056v1</id>
        <link href="https://www.biorxiv.org/content/10.64898/2026.01.17.700056v1"/>
        <updated>2026-01-20T05:51:13.000Z</updated>
    </entry>
</feed>"""


def test_a_preprint_page_with_its_version_after_the_doi_names_the_doi_and_version() -> None:
    first, second = rss.parse(BIORXIV_SEARCH, "biorxiv").papers
    assert (first.id, first.doi, first.version) == (
        "doi:10.1101/2025.09.29.678242", "10.1101/2025.09.29.678242", 2)
    assert (second.id, second.version) == ("doi:10.64898/2026.01.17.700056", 1)
    assert first.url == "https://www.biorxiv.org/content/10.1101/2025.09.29.678242v2"
    # The next version of the preprint is the same paper.
    later = BIORXIV_SEARCH.replace(b"678242v2", b"678242v3.full")
    assert rss.parse(later, "biorxiv").papers[0].id == first.id
    # A page under /content/ that is not a DOI names no paper that way.
    other = BIORXIV_SEARCH.replace(b"content/10.1101/2025.09.29.678242v2", b"content/117/1/1v2")
    assert rss.parse(other, "biorxiv").papers[0].doi is None


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


def test_an_empty_title_gives_way_to_dc_title() -> None:
    empty = MDPI.replace(b"Fluids, Vol. 9, Pages 120: Environmental Hydraulics, Turbulence, and "
                         b"Sediment Transport,\n Second Edition</title>", b"</title>")
    assert rss.parse(empty, "fluids").papers[0].title.startswith("Environmental Hydraulics")
