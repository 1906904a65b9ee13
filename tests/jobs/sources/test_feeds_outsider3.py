"""Journal feeds from a feed-cache mirror, cut down to the shapes lectern misread."""

from __future__ import annotations

from jobs.sources import rss
from jobs.sources.paperauthors import people_names


def _feed(items: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            "<title>Journal</title><link>https://pubs.example.org/</link>"
            f"{items}</channel></rss>").encode()


# github:Yoshihiro-Ogura/feed-cache-3d45e392@b9e28fe8018f9603df65a1a1895ced9956031281:
# feeds/acs_omega.xml (ACS puts the heading 'Abstract' in its own <div> before the text).
ACS = _feed("""<item>
<title>A Theoretical Approach to the Effect of Substrate
Engineering on Hydrogen–Metal Surface Coverage</title>
<link>https://pubs.acs.org/acsodf/article/doi/10.1021/acsomega.6c05827/5291958/A-Theo</link>
<guid>http://dx.doi.org/10.1021/acsomega.6c05827</guid>
<pubDate>Sat, 22 Aug 2026 01:02:08 GMT</pubDate>
<description>&lt;span class="paragraphSection"&gt;&lt;div class="boxTitle"&gt;Abstract&lt;/div&gt;A
novel analytical expression for the surface coverage of metal hydrogen has been derived.
&lt;/span&gt;
</description></item>""")


def test_acs_abstract_heading_is_not_the_abstracts_first_word():
    paper = rss.parse(ACS, "acs-omega").papers[0]
    assert paper.abstract.startswith("A novel analytical expression")


# github:Yoshihiro-Ogura/feed-cache-3d45e392@b9e28fe8018f9603df65a1a1895ced9956031281:
# feeds/chem_comm.xml (RSC via the mirror: a '[Graphical abstract added]' copy of an item
# comes first; authors are a 'A; B; C' paragraph after the article type and date).
RSC = _feed("""<item>
<title>[Graphical abstract added] A H&#8322;S-activatable NIR-II aza-BODIPY probe</title>
<link>https://pubs.rsc.org/cc/article/doi/10.1039/D6CC04618E/1291899/A-H2S?rsc_ga=1</link>
<guid>urn:rsc-graphical-abstract:d6cc04618e</guid>
<pubDate>Fri, 21 Aug 2026 15:05:14 GMT</pubDate>
<description>&lt;p&gt;&lt;a href="https://pubs.rsc.org/x"&gt;&lt;img src="https://rscj.example/ga.png"
alt="Graphical abstract" /&gt;&lt;/a&gt;&lt;/p&gt;
&lt;p&gt;&lt;strong&gt;Communication&lt;/strong&gt; — 20 August 2026&lt;/p&gt;
&lt;p&gt;Tian Chen #; Juli Duan #; Ran Ding; chengyun zhou; LEI WANG
&lt;/p&gt;&lt;p&gt;&lt;a href="https://doi.org/10.1039/D6CC04618E"&gt;DOI: 10.1039/D6CC04618E
&lt;/a&gt;&lt;/p&gt;</description></item>
<item>
<title>A H&#8322;S-activatable NIR-II aza-BODIPY probe</title>
<link>https://pubs.rsc.org/cc/article/doi/10.1039/D6CC04618E/1291899/A-H2S?rsc_ga=1</link>
<guid>urn:rsc:d6cc04618e</guid>
<pubDate>Thu, 20 Aug 2026 00:00:00 GMT</pubDate>
<description>&lt;p&gt;Communication&lt;/p&gt;</description></item>""")


def test_rsc_authors_paragraph_after_the_article_type_is_read():
    paper = rss.parse(RSC, "chem-comm").papers[0]
    assert paper.authors == ["Tian Chen", "Juli Duan", "Ran Ding", "chengyun zhou",
                             "LEI WANG"]


def test_a_generators_bracketed_marker_is_not_part_of_the_title():
    papers = rss.parse(RSC, "chem-comm").papers
    assert [p.title for p in papers] == ["A H₂S-activatable NIR-II aza-BODIPY probe"]


# github:Yoshihiro-Ogura/feed-cache-3d45e392@b9e28fe8018f9603df65a1a1895ced9956031281:
# feeds/org_lett.xml: '[ASAP]' is the marker, '[5+5]' belongs to the title.
ASAP = _feed("""<item>
<title>[ASAP] [5+5] Cross-Annulation Based on Site-Selective Bonding-Formed Dual
Intermediates</title>
<link>http://dx.doi.org/10.1021/acs.orglett.6c02608</link>
<guid>http://dx.doi.org/10.1021/acs.orglett.6c02608</guid></item>
<item><title>[NiFe] hydrogenase maturation</title>
<link>http://dx.doi.org/10.1021/acs.orglett.6c02609</link></item>""")


def test_chemistry_brackets_opening_a_title_are_kept():
    titles = [p.title for p in rss.parse(ASAP, "org-lett").papers]
    assert titles == ["[5+5] Cross-Annulation Based on Site-Selective Bonding-Formed Dual "
                      "Intermediates", "[NiFe] hydrogenase maturation"]


def test_footnote_marks_after_names_are_not_part_of_them():
    assert people_names("Tian Chen*; Juli Duan†‡; Ran Ding #") == [
        "Tian Chen", "Juli Duan", "Ran Ding"]


# github:feed-rs/feed-rs@b64d2aa08d377778b0978aa63f05d56bcedb279e:
# feed-rs/fixture/atom/atom_example_4.xml: a newline before the XML declaration.
NEWLINE_FIRST = b"""
<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Example Feed</title>
<link href="http://example.org/"/><id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
<updated>2003-12-13T18:30:02Z</updated>
<entry><title>Atom-Powered Robots Run Amok</title>
<link href="http://example.org/2003/12/13/atom03"/>
<id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id><updated>2003-12-13T18:30:02Z</updated>
<summary>Some text.</summary></entry></feed>"""


def test_blank_line_before_the_xml_declaration_is_skipped():
    papers = rss.parse(NEWLINE_FIRST, "example").papers
    assert [p.title for p in papers] == ["Atom-Powered Robots Run Amok"]


# The same feeds mark what became of a paper the same way ('[RETRACTED] ...' in PubMed and
# journal feeds): that marker is news to the group, not the generator's workflow.
STATUS = _feed("""<item><title>[RETRACTED] A probe for H2S</title>
<link>http://dx.doi.org/10.1021/acs.orglett.6c02610</link></item>
<item><title>[Expression of Concern] Dual intermediates</title>
<link>http://dx.doi.org/10.1021/acs.orglett.6c02611</link></item>""")


def test_a_marker_saying_the_paper_was_retracted_stays_in_the_title():
    titles = [p.title for p in rss.parse(STATUS, "org-lett").papers]
    assert titles == ["[RETRACTED] A probe for H2S", "[Expression of Concern] Dual intermediates"]
