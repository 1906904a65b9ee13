"""Journal feeds an outsider found on GitHub (round 6), cut down to the shapes lectern misread."""

from __future__ import annotations

from jobs.sources import rss

# theoldreader/feedjira-atypon@f9df9d8 spec/sample_feeds/AtyponRSSFeed.xml (Atypon Literatum,
# the American Journal of Public Health's table of contents; Taylor & Francis, SAGE and
# ACM's feeds come from the same platform): the description only cites the issue. It was
# stored as every paper's abstract (20 of 20).
ATYPON = b"""<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:dc="http://purl.org/dc/elements/1.1/"
         xmlns:content="http://purl.org/rss/1.0/modules/content/"
         xmlns:rss="http://purl.org/rss/1.0/"
         xmlns:prism="http://prismstandard.org/namespaces/basic/2.0/">
   <rss:channel rdf:about="http://ajph.aphapublications.org/loi/ajph?af=R">
      <rss:title>American Public Health Association: American Journal of Public Health: Table
 of Contents</rss:title>
      <rss:link>http://ajph.aphapublications.org/loi/ajph?af=R</rss:link>
   </rss:channel>
   <rss:item rdf:about="http://ajph.aphapublications.org/doi/abs/10.2105/AJPH.2014.302274?af=R">
      <rss:title>Effect of Systems Change and Use of Electronic Health Records on Quit Rates
 Among Tobacco Users in a Public Hospital System</rss:title>
      <rss:link>http://ajph.aphapublications.org/doi/abs/10.2105/AJPH.2014.302274?af=R</rss:link>
      <content:encoded>American Journal of Public Health, &lt;a href="/toc/ajph/105/S2"&gt;Volume
 105, Issue S2&lt;/a&gt;, Page e1-e7, April 2015. &lt;br/&gt;</content:encoded>
      <rss:description>American Journal of Public Health, Volume 105, Issue S2, Page e1-e7,
 April 2015. &lt;br/&gt;</rss:description>
      <dc:identifier>doi:10.2105/AJPH.2014.302274</dc:identifier>
      <dc:source>American Journal of Public Health</dc:source>
      <dc:date>Fri, 06 Mar 2015 21:09:13 GMT</dc:date>
      <dc:creator>Sarah Moody-Thomas</dc:creator>
      <dc:creator>Laura Nasuti</dc:creator>
      <prism:publicationName>Effect of Systems Change and Use of Electronic Health Records on
 Quit Rates Among Tobacco Users in a Public Hospital System</prism:publicationName>
      <prism:volume>105</prism:volume>
      <prism:doi>10.2105/AJPH.2014.302274</prism:doi>
   </rss:item>
</rdf:RDF>"""


def test_a_description_that_only_cites_the_issue_is_no_abstract() -> None:
    [paper] = rss.parse(ATYPON, "ajph").papers
    assert paper.abstract == ""
    assert paper.journal_ref == "American Journal of Public Health 105"
    assert paper.id == "doi:10.2105/ajph.2014.302274"
    assert paper.authors == ["Sarah Moody-Thomas", "Laura Nasuti"]


# The same for Wiley (github:rdmpage/biorss@571eb34 examples/taxon.xml, 20 of 20 items: 'TAXON,
# Volume 70, Issue 5, Page 1148-1152, October 2021.', and 'TAXON, EarlyView.' before an issue)
# and Taylor & Francis (cache/2021-12-14/tandfonline.com-feed-rss-tzme20.xml, 11 of 11:
# 'Volume 67, Issue 4, December 2021, Page 283-289<br/>. <br/>').
def _rss(description: str) -> bytes:
    return ("<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>"
            "<link>https://onlinelibrary.wiley.com/</link><item>"
            "<link>https://onlinelibrary.wiley.com/doi/10.1002/tax.12526?af=R</link>"
            f"<title>Moreae</title><description>{description}</description>"
            "</item></channel></rss>").encode()


def test_wiley_and_taylor_and_francis_citations_are_no_abstract() -> None:
    for description in ("TAXON, Volume 70, Issue 5, Page 1148-1152, October 2021. ",
                        "TAXON, EarlyView. ",
                        "Volume 67, Issue 4, December 2021, Page 283-289&lt;br/&gt;. "
                        "&lt;br/&gt;"):
        assert rss.parse(_rss(description), "taxon").papers[0].abstract == "", description


def test_an_abstract_that_mentions_a_volume_stays() -> None:
    for text in ("We estimate the tumour's volume 12, the largest yet, in April 2015.",
                 "Volume 3, Issue 2 of this series, April 2015, reported the method; here we "
                 "extend it to ten new species."):
        assert rss.parse(_rss(text), "taxon").papers[0].abstract == text


# github:rbren/rss-parser@b0d3b48 test/input/rss-1.rss (Science's 'This Week in Science', a
# HighWire RSS 1.0 feed): each item names its DOI in a first dc:identifier and HighWire's
# own id in a second. feedparser keeps the last, so all 69 papers lost their DOI and were
# known by a hash of their link.
SCIENCE = b"""<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:prism="http://purl.org/rss/1.0/modules/prism/">
<channel rdf:about="http://science.sciencemag.org">
<title>Science twis</title>
<link>http://science.sciencemag.org</link>
<description>Science RSS feed -- recent twis articles</description>
<prism:publicationName>Science</prism:publicationName>
</channel>
<item rdf:about="http://science.sciencemag.org/cgi/content/short/356/6343/1134-a?rss=1">
<title><![CDATA[Food for fungi]]></title>
<link>http://science.sciencemag.org/cgi/content/short/356/6343/1134-a?rss=1</link>
<description><![CDATA[]]></description>
<dc:creator><![CDATA[Hines, P. J.]]></dc:creator>
<dc:date>2017-06-15T10:29:47-07:00</dc:date>
<dc:identifier>info:doi/10.1126/science.356.6343.1134-a</dc:identifier>
<dc:identifier>hwp:resource-id:sci;356/6343/1134-a</dc:identifier>
<dc:subject><![CDATA[Botany, Microbiology]]></dc:subject>
<prism:volume>356</prism:volume>
</item>
</rdf:RDF>"""


def test_a_doi_in_any_of_an_items_dc_identifiers_names_the_paper() -> None:
    [paper] = rss.parse(SCIENCE, "science").papers
    assert paper.id == "doi:10.1126/science.356.6343.1134-a"
    assert paper.doi == "10.1126/science.356.6343.1134-a"
    assert paper.authors == ["Hines, P. J."]


def test_the_order_of_the_identifiers_does_not_matter() -> None:
    doi = b"<dc:identifier>info:doi/10.1126/science.356.6343.1134-a</dc:identifier>\n"
    swapped = SCIENCE.replace(doi, b"").replace(b"</dc:identifier>\n<dc:subject>",
                                                 b"</dc:identifier>\n" + doi + b"<dc:subject>")
    assert swapped != SCIENCE
    assert rss.parse(swapped, "science").papers[0].id == "doi:10.1126/science.356.6343.1134-a"
