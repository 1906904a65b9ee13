"""Journal feeds an outsider found on GitHub (round 7), cut down to the shapes lectern misread."""

from __future__ import annotations

from jobs.sources import rss
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


def test_an_empty_title_gives_way_to_dc_title() -> None:
    empty = MDPI.replace(b"Fluids, Vol. 9, Pages 120: Environmental Hydraulics, Turbulence, and "
                         b"Sediment Transport,\n Second Edition</title>", b"</title>")
    assert rss.parse(empty, "fluids").papers[0].title.startswith("Environmental Hydraulics")


# github:Yoshihiro-Ogura/feed-cache-3d45e392@b9e28fe8018f9603df65a1a1895ced9956031281:
# feeds/chem_comm.xml (RSC's Chem. Commun., as the mirror serves it; Chem. Sci., Chem. Soc.
# Rev., Digital Discovery, Nat. Prod. Rep. and RSC Med. Chem. alike): the description is a
# header (article type and date, the authors, the DOI) and no abstract. The header was
# stored as the abstract (352 papers in the six feeds).
RSC_HEADER = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Chem.Commun. latest articles</title>
<link>https://pubs.rsc.org/en/journals/journalissues/cc</link>
<item>
<title>Built-in Electric Field Regulating Intermediates Behavior for Efficient Hydrogen Production
 in Urea-Assisted Seawater Electrolysis</title>
<link>https://pubs.rsc.org/cc/article/doi/10.1039/D6CC04027F/1291900/Built-in-Electric-Field</link>
<guid>urn:rsc-latest:d6cc04027f</guid>
<pubDate>Tue, 18 Aug 2026 00:00:00 GMT</pubDate>
<description>&lt;p&gt;&lt;strong&gt;Communication&lt;/strong&gt; \xe2\x80\x94 18 August 2026
&lt;/p&gt;&lt;p&gt;Yongxin Liu; Chaofeng Liu; Jing Li; Yuanyuan Liu; Meiri Wang;
Hongtao Cui; Tong Liu; Kaihua Liu
&lt;/p&gt;&lt;p&gt;&lt;a href="https://doi.org/10.1039/D6CC04027F"&gt;
DOI: 10.1039/D6CC04027F&lt;/a&gt;&lt;/p&gt;</description>
</item></channel></rss>"""


def test_the_header_up_to_the_authors_is_no_abstract() -> None:
    [paper] = rss.parse(RSC_HEADER, "chem-comm").papers
    assert paper.abstract == ""
    assert paper.authors[:2] == ["Yongxin Liu", "Chaofeng Liu"]
    assert paper.id == "doi:10.1039/d6cc04027f"
    # An abstract after the authors stays, as in feeds whose first block lists them.
    with_text = RSC_HEADER.replace(b"&lt;p&gt;&lt;a href", b"&lt;p&gt;We report a built-in "
                                   b"electric field.&lt;/p&gt;&lt;p&gt;&lt;a href")
    assert rss.parse(with_text, "chem-comm").papers[0].abstract == (
        "We report a built-in electric field.")


# github:rdmpage/biorss@571eb34 examples/googlescholar.xml (a Google Scholar alert as Atom):
# Springer and PLOS name an article's page by its DOI without a /doi/ segment
# ('/article/10.1007/...', 'article?id=10.1371/...'). The items had no DOI, so the same
# paper from the journal's own feed was a second paper.
SCHOLAR = b"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Fwd: new  intitle:"new species" - new results</title>
  <link href="https://scholar.google.com"/>
  <id>https://scholar.google.com</id>
  <entry>
    <title>Our unknown neighbor: A new species of rain frog of the genus Pristimantis (Amphibia:
 Anura: Strabomantidae) from the city of Loja, southern Ecuador</title>
    <content type="html">&lt;p&gt;We describe a new species of rain frog of the genus
 Pristimantis from the city of Loja, Southern Ecuador.&lt;/p&gt;</content>
    <id>https://scholar.google.com/scholar?cluster=11928194027814941781</id>
    <link rel="alternate" type="text/html"
 href="https://journals.plos.org/plosone/article?id=10.1371/journal.pone.0258454"/>
    <published>2021-11-06T14:27:51+00:00</published>
  </entry>
  <entry>
    <title>Two new species of Colobomatus Hesse, 1873 (Crustacea: Philichthyidae)</title>
    <id>https://scholar.google.com/scholar?cluster=1</id>
    <link rel="alternate" type="text/html"
 href="https://link.springer.com/article/10.1007/s11230-021-10009-1"/>
  </entry>
  <entry>
    <title>Nephtyidae (Annelida: Polychaeta) from the Sea of Marmara and Black Sea</title>
    <id>https://scholar.google.com/scholar?cluster=2</id>
    <link rel="alternate" type="text/html"
 href="https://www.mapress.com/zt/article/view/zootaxa.5060.2.2"/>
  </entry>
</feed>"""


def test_a_page_named_by_its_doi_gives_the_doi() -> None:
    plos, springer, zootaxa = rss.parse(SCHOLAR, "scholar").papers
    assert (plos.id, plos.doi) == ("doi:10.1371/journal.pone.0258454",
                                   "10.1371/journal.pone.0258454")
    assert springer.id == "doi:10.1007/s11230-021-10009-1"
    assert zootaxa.doi is None and zootaxa.id.startswith("scholar:")  # no DOI in its address
