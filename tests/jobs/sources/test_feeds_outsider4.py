"""Journal feeds an outsider found on GitHub (round 4), cut down to the shapes lectern misread.
Most are from rdmpage/biorss@571eb34, which caches the feeds of taxonomy journals:
cache/2021-12-21/<feed address>.xml."""

from __future__ import annotations

from jobs.sources import rss

BIORSS = "github:rdmpage/biorss@571eb34 cache/2021-12-21/"


def _rss(items: str, head: str = "") -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            f'xmlns:prism="http://prismstandard.org/namespaces/basic/2.0/">{head}<channel>'
            "<title>Journal</title><link>https://journal.example.org/</link>"
            f"{items}</channel></rss>").encode()


# BIORSS + tandfonline.com-feed-rss-tzme20.xml (RSS 1.0; every Taylor & Francis feed): the
# article's title is given as prism:publicationName, the journal's name as dc:source.
TANDF = b"""<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
  xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:prism="http://prismstandard.org/namespaces/basic/2.0/">
<channel rdf:about="https://www.tandfonline.com/loi/tzme20?af=R">
<title>tandf: Zoology in the Middle East: Table of Contents</title>
<link>https://www.tandfonline.com/loi/tzme20?af=R</link></channel>
<item rdf:about="https://www.tandfonline.com/doi/full/10.1080/09397140.2021.1992835?af=R">
<title>Taxonomic status of Dahl\xe2\x80\x99s Jird, Meriones dahli (Mammalia: Rodentia)</title>
<link>https://www.tandfonline.com/doi/full/10.1080/09397140.2021.1992835?af=R</link>
<description>Volume 67, Issue 4, December 2021, Page 283-289&lt;br/&gt;. &lt;br/&gt;</description>
<dc:identifier>10.1080/09397140.2021.1992835</dc:identifier>
<dc:source>Zoology in the Middle East</dc:source>
<dc:date>2021-10-20T06:04:37Z</dc:date>
<dc:creator>\xc5\x9eafak Bulut</dc:creator>
<prism:publicationName>Taxonomic status of Dahl\xe2\x80\x99s Jird, Meriones dahli (Mammalia:
 Rodentia)</prism:publicationName>
<prism:volume>67</prism:volume>
</item></rdf:RDF>"""


def test_a_publication_name_that_is_the_articles_title_gives_way_to_dc_source() -> None:
    [paper] = rss.parse(TANDF, "tandf").papers
    assert paper.journal_ref == "Zoology in the Middle East 67"


# BIORSS + onlinelibrary.wiley.com-feed-19968175-most-recent.xml (every Wiley journal): the
# description is a citation stub, the abstract is in dc:description under an 'Abstract' line.
WILEY = _rss("""<item>
<link>https://onlinelibrary.wiley.com/doi/10.1002/tax.12650?af=R</link>
<guid isPermaLink="false">10.1002/tax.12650</guid>
<title>Phylogenomic analysis confirms polyphyly of Leptospermum</title>
<description>TAXON, EarlyView. </description>
<dc:description>
Abstract
Leptospermum is an ecologically and economically important genus with a long unresolved
taxonomic issue concerning polyphyly.
</dc:description>
<dc:creator>Rachel M. Binks,
Margaret Heslewood</dc:creator>
<prism:publicationName>TAXON</prism:publicationName>
</item>""")


def test_a_stub_description_gives_way_to_the_abstract_in_dc_description() -> None:
    [paper] = rss.parse(WILEY, "taxon").papers
    assert paper.abstract == ("Leptospermum is an ecologically and economically important "
                              "genus with a long unresolved taxonomic issue concerning "
                              "polyphyly.")
    assert paper.authors == ["Rachel M. Binks", "Margaret Heslewood"]


# BIORSS + pubmed.ncbi.nlm.nih.gov-rss-search-1rE397IRBYU0-....xml: the description is the
# structured abstract's last paragraph; content:encoded has the citation line, an 'ABSTRACT'
# heading, every paragraph, then 'PMID: ... | DOI: ...'.
PUBMED = _rss("""<item>
<title>Isolation and agricultural potential of penicillic acid against citrus canker</title>
<link>https://pubmed.ncbi.nlm.nih.gov/34927315/?utm_medium=rss&amp;fc=20211108074834</link>
<description>CONCLUSION: Penicillic acid can be an alternative against citrus canker.</description>
<content:encoded><![CDATA[<div><p style="color: #4aa564;">J Appl Microbiol. 2021 Dec 20.
doi: 10.1111/jam.15413. Online ahead of print.</p><p><b>ABSTRACT</b></p><p>AIMS: The
control of Xanthomonas citri relies heavily on copper-based chemicals.</p><p>CONCLUSION:
Penicillic acid can be an alternative against citrus canker.</p><p style="color:
lightgray">PMID:<a href="https://pubmed.ncbi.nlm.nih.gov/34927315/">34927315</a> |
DOI:<a href=https://doi.org/10.1111/jam.15413>10.1111/jam.15413</a></p></div>]]>
</content:encoded>
<guid isPermaLink="false">pubmed:34927315</guid>
<dc:identifier>doi:10.1111/jam.15413</dc:identifier>
</item>""")


def test_a_description_that_is_a_piece_of_the_content_gives_way_to_it() -> None:
    [paper] = rss.parse(PUBMED, "pubmed").papers
    assert paper.abstract == ("AIMS: The control of Xanthomonas citri relies heavily on "
                              "copper-based chemicals. CONCLUSION: Penicillic acid can be an "
                              "alternative against citrus canker.")


# BIORSS + zookeys.pensoft.net-rss.php.xml (RSS 0.91; every Pensoft/ARPHA journal): the
# title opens with U+FEFF; citation, DOI and authors are paragraphs above 'Abstract:', and
# links to the other formats follow it.
PENSOFT = """
<rss version="0.91"><channel><title>Latest Articles from ZooKeys</title>
<link>https://zookeys.pensoft.net/</link><item>
<title>\ufeffChecklist and keys to Deltocephalinae leafhoppers from Pakistan</title>
<link>https://zookeys.pensoft.net/article/47616/</link>
<description><![CDATA[
<p>ZooKeys 1078: 135-188</p>
<p>DOI: 10.3897/zookeys.1078.47616</p>
<p>Authors: Hassan Naveed, Bismillah Shah, Yalin Zhang</p>
<p>Abstract: Keys to all levels of the subfamily Deltocephalinae of Pakistan are provided.</p>
<p><a href="https://zookeys.pensoft.net/article/47616/">HTML</a></p>
<p><a href="https://zookeys.pensoft.net/article/47616/download/xml/">XML</a></p>
<p><a href="https://zookeys.pensoft.net/article/47616/download/pdf/">PDF</a></p>
]]></description>
<category>Research Article</category>
<pubDate>Tue, 21 Dec 2021 12:46:42 +0200</pubDate>
</item></channel></rss>""".encode()


def test_a_labelled_doi_names_the_paper_and_the_header_is_not_the_abstract() -> None:
    [paper] = rss.parse(PENSOFT, "zookeys").papers
    assert (paper.id, paper.doi) == ("doi:10.3897/zookeys.1078.47616",
                                     "10.3897/zookeys.1078.47616")
    assert paper.title == "Checklist and keys to Deltocephalinae leafhoppers from Pakistan"
    assert paper.abstract == ("Keys to all levels of the subfamily Deltocephalinae of "
                              "Pakistan are provided.")
    assert paper.authors == ["Hassan Naveed", "Bismillah Shah", "Yalin Zhang"]


# BIORSS + rss.sciencedirect.com-publication-science-10557903.xml: the description holds
# only labelled fields; there is no abstract in ScienceDirect's feeds.
SCIENCEDIRECT = _rss("""<item><title><![CDATA[Propagating clade and model uncertainty to
confidence intervals of divergence times]]></title><description><![CDATA[<p>Publication date:
February 2022</p><p><b>Source:</b> Molecular Phylogenetics and Evolution, Volume 167</p>
<p>Author(s): David R. Bickel</p>]]></description>
<link>https://www.sciencedirect.com/science/article/pii/S1055790321002906?dgcid=rss_sd_all</link>
<guid isPermaLink="false">https://www.sciencedirect.com/science/article/pii/S1055790321002906</guid>
</item>""")


def test_a_description_of_labelled_fields_only_is_no_abstract() -> None:
    [paper] = rss.parse(SCIENCEDIRECT, "mpe").papers
    assert (paper.abstract, paper.authors) == ("", ["David R. Bickel"])


# BIORSS + schweizerbart.de-services-feeds-papers-nova_hedwigia-de-rss.xml: the title again,
# the authors 'Family, Given; Family, Given' in bold, the citation, an 'Abstract' heading.
SCHWEIZERBART = _rss("""<item>
<title>On the genus Alisphaera (Alisphaeraceae, Haptophyta)</title>
<description>&lt;h1&gt;&lt;a href="http://www.schweizerbart.de//papers/nova_hedwigia/d?af=feed"
&gt;On the genus Alisphaera (Alisphaeraceae, Haptophyta)&lt;/a&gt;&lt;/h1&gt;
&lt;b&gt;Doan-Nhu, Hai; Nguyen-Ngoc, Lam&lt;/b&gt;&lt;br/&gt;
&lt;a href="http://www.schweizerbart.de//papers/nova_hedwigia/list/113"&gt;Nova Hedwigia,
 (2021)&lt;/a&gt;, p. 281 - 290
&lt;h2&gt;Abstract&lt;/h2&gt;
&lt;p&gt;Genus Alisphaera including 9 species and was not often reported.&lt;/p&gt;
</description>
<link>http://www.schweizerbart.de//papers/nova_hedwigia/detail/113/100635/On</link>
</item>""")


def test_family_first_names_between_semicolons_are_one_person_each() -> None:
    [paper] = rss.parse(SCHWEIZERBART, "nova-hedwigia").papers
    assert paper.authors == ["Doan-Nhu, Hai", "Nguyen-Ngoc, Lam"]
    assert paper.abstract == "Genus Alisphaera including 9 species and was not often reported."


# github:mmcdole/gofeed@e010ca0 testdata/parser/rss/rss_channel_item_illegal_char.xml: a
# backspace in a title; XML forbids it, and the whole feed was refused.
CONTROL = _rss("<item><title>ab\x08cd</title><link>https://journal.example.org/a/1</link>"
               "<description>x &#8;y</description></item>")


def test_a_control_character_is_dropped_instead_of_refusing_the_feed() -> None:
    result = rss.parse(CONTROL, "journal")
    [paper] = result.papers
    assert (paper.title, paper.abstract) == ("abcd", "x y")
    assert result.warnings == ["2 control characters (not allowed in XML) were dropped"]


# ChemRxiv gives each version of a preprint its own DOI: the work's with a version suffix
# ('-v2' since 2021: molML's JMM preprint is 10.26434/chemrxiv-2025-qj4k3-v3, v1 has no
# suffix; '.v2' before, github:chemrxiv-dashboard/chemrxiv-dashboard.github.io@0068348
# data/allchemrxiv.json pairs item 5309668 with 10.26434/chemrxiv.5309668.v3; '/v1' since
# 2026). Its versions were two papers; they are one paper, updated, as arXiv's are.
def _chemrxiv(doi: str) -> bytes:
    return _rss(f"""<item><title>The Joint Molecular Model</title>
<link>https://chemrxiv.org/doi/full/{doi}</link><dc:identifier>doi:{doi}</dc:identifier>
</item>""")


def test_the_versions_of_a_preprint_with_versioned_dois_are_one_paper() -> None:
    first, = rss.parse(_chemrxiv("10.26434/chemrxiv-2025-qj4k3"), "chemrxiv").papers
    third, = rss.parse(_chemrxiv("10.26434/chemrxiv-2025-qj4k3-v3"), "chemrxiv").papers
    assert first.id == third.id == "doi:10.26434/chemrxiv-2025-qj4k3"
    assert (first.version, third.version) == (None, 3)
    assert third.doi == "10.26434/chemrxiv-2025-qj4k3-v3"
    old, = rss.parse(_chemrxiv("10.26434/chemrxiv.5309668.v3"), "chemrxiv").papers
    assert (old.id, old.version) == ("doi:10.26434/chemrxiv.5309668", 3)
    new, = rss.parse(_chemrxiv("10.26434/chemrxiv.15005231/v1"), "chemrxiv").papers
    assert (new.id, new.version) == ("doi:10.26434/chemrxiv.15005231", 1)


def test_a_doi_without_a_version_suffix_is_the_paper_as_it_is() -> None:
    paper, = rss.parse(_chemrxiv("10.11609/jott.6679.13.13.20066-20071"), "jott").papers
    assert (paper.id, paper.version) == ("doi:10.11609/jott.6679.13.13.20066-20071", None)


# github:miniflux/v2@106cdd09 internal/reader/parser/testdata/no_encoding_ISO-8859-1.xml (the
# feed of the magazine Le Cercle Psy): ISO-8859-1 bytes and no encoding named; every accented
# letter became U+FFFD. A by-chance UTF-8 sequence ('dou\xe9\xa0\xbb') stays one among many.
LEGACY = (b'<rss version="2.0">\n<channel>\n\t<title>Flux RSS du magazine de psychologie Le '
          b'Cercle Psy</title>\n\t<link>https://le-cercle-psy.scienceshumaines.com/rss</link>\n'
          b'\t\t<item>\n\t\t\t\t<title>La criminalit\xe9 li\xe9e surtout \xe0... l\'ennui ?'
          b'</title>\n\t\t\t\t<link>https://le-cercle-psy.scienceshumaines.com/la-criminalite-'
          b'liee-surtout-a-l-ennui_sh_39986</link>\n\t\t\t\t<description>\xab\xa0L\'oisivet\xe9 '
          b'est m\xe8re de tous les vices\xa0\xbb, dit le proverbe ; un enfant \xab\xa0dou\xe9'
          b'\xa0\xbb.</description>\n\t\t</item>\n</channel>\n</rss>\n')


def test_a_feed_naming_no_encoding_with_no_utf8_in_it_is_read_as_windows_1252() -> None:
    result = rss.parse(LEGACY, "cercle-psy")
    [paper] = result.papers
    assert paper.title == "La criminalité liée surtout à... l'ennui ?"
    assert paper.abstract == ("« L'oisiveté est mère de tous les vices », dit le proverbe ; "
                              "un enfant « doué ».")
    assert result.warnings == ["the feed names no encoding and is not UTF-8; it was read as "
                               "Windows-1252"]


# github:kurtmckee/feedparser@a22c5521 tests/encoding/utf-16be.xml: UTF-16 with no byte order
# mark. Its NUL bytes are no control characters to drop (dropping them refused the feed).
UTF16 = ('<?xml version="1.0" encoding="utf-16be"?>\n<rss version="2.0"><channel><item>'
         "<title>Caf\u00e9 \u2014 ok</title><link>https://journal.example.org/a/2</link>"
         "</item></channel></rss>").encode("utf-16-be")


def test_a_utf16_feed_without_a_byte_order_mark_keeps_its_nul_bytes() -> None:
    result = rss.parse(UTF16, "journal")
    assert [paper.title for paper in result.papers] == ["Café — ok"]
    assert result.warnings == []


# github:rdmpage/biorss@571eb34 examples/xbkcflxb.cnjournals.com-xbkcflxb-ch-reader-current.aspx
# .xml (Entomotaxonomia, an ASP.NET feed): all authors in one <author>, Han names between
# commas (one 'Smith, Jane' person before); pubDate '2021/10/16 9:23:28' (1 December before).
ALLJOURNAL = _rss("""<item>
<title><![CDATA[广州海珠斯萤叶甲属一新种（鞘翅目：叶甲科：萤叶甲亚科）]]></title>
<link><![CDATA[http://xbkcflxb.alljournal.net/xbkcflxb/ch/reader/view_abstract.aspx?file_no=2021030&flag=1]]></link>
<description><![CDATA[]]></description>
<pubDate>2021/10/16 9:23:28</pubDate>
<author><![CDATA[范存祥,林志斌,俞雅丽,李志强]]></author>
</item>""")


def test_han_names_between_commas_are_people_and_a_slashed_date_is_read() -> None:
    [paper] = rss.parse(ALLJOURNAL, "entomotaxonomia").papers
    assert paper.authors == ["范存祥", "林志斌", "俞雅丽", "李志强"]
    assert paper.published is not None
    assert paper.published.isoformat() == "2021-10-16T09:23:28+00:00"
