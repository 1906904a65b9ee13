"""Journal feeds an outsider found on GitHub (round 5), cut down to the shapes lectern misread."""

from __future__ import annotations

from jobs.sources import rss

# github:rdmpage/biorss@571eb34 examples/taxon.xml (Wiley's TAXON table of contents): the
# authors in one dc:creator, a comma and a line break after each; one of them, Sahromi (an
# Indonesian botanist), has one name. The whole list was stored as one author.
TAXON = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>Wiley: TAXON: Table of Contents</title><link>https://onlinelibrary.wiley.com/</link>
<item>
<link>https://onlinelibrary.wiley.com/doi/10.1002/tax.12526?af=R</link>
<guid isPermaLink="false">10.1002/tax.12526</guid>
<title>Repeated parallel losses of inflexed stamens in Moraceae: Phylogenomics and generic
 revision of the tribe Moreae and the reinstatement of the tribe Olmedieae (Moraceae)</title>
<description>TAXON, Volume 70, Issue 5, Page 946-988, October 2021. </description>
<dc:creator>
Elliot M. Gardner,
Mira Garner,
Robyn Cowan,
Steven Dodsworth,
Niroshini Epitawalage,
Deby Arifiani,
 Sahromi,
William J. Baker,
Felix Forest,
Olivier Maurin,
Nyree J.C. Zerega,
Alexandre K. Monro,
Andrew L. Hipp
</dc:creator>
<dc:identifier>10.1002/tax.12526</dc:identifier>
</item></channel></rss>"""


def test_a_list_of_whole_names_with_one_single_name_person_is_a_list() -> None:
    [paper] = rss.parse(TAXON, "taxon").papers
    assert paper.authors[5:8] == ["Deby Arifiani", "Sahromi", "William J. Baker"]
    assert len(paper.authors) == 13 and paper.id == "doi:10.1002/tax.12526"


def test_surname_first_names_stay_one_person() -> None:
    feed = TAXON.replace(TAXON[TAXON.index(b"<dc:creator>"):TAXON.index(b"</dc:creator>")],
                         b"<dc:creator>Gardner, Elliot")
    assert rss.parse(feed, "taxon").papers[0].authors == ["Gardner, Elliot"]


# github:rdmpage/biorss@571eb34 cache/2021-11-24/3bd4ee2e7045ead791e322c2f0fc7c76.xml
# (ScienceDirect: Molecular Phylogenetics and Evolution): an item's only date is in its
# description, a day ('Available online 15 November 2021') or an issue's month ('February
# 2022', no day: left unread). 12 of the feed's 48 items had no date.
SCIENCEDIRECT = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>
<title><![CDATA[ScienceDirect Publication: Molecular Phylogenetics and Evolution]]></title>
<link>https://www.sciencedirect.com/journal/molecular-phylogenetics-and-evolution</link>
<item><title><![CDATA[The evolutionary history of the Caribbean magnolias (Magnoliaceae)]]>
</title><description><![CDATA[<p>Publication date: {date}</p><p><b>Source:</b> Molecular
 Phylogenetics and Evolution</p><p>Author(s): Emily Veltjen, Ernesto Testé</p>]]>
</description><link>https://www.sciencedirect.com/science/article/pii/S105579032100292X?dgcid=
rss_sd_all</link><guid isPermaLink="false">https://www.sciencedirect.com/science/article/pii/
S105579032100292X</guid></item></channel></rss>"""


def test_sciencedirects_day_in_the_description_dates_the_item() -> None:
    def published(date: str) -> str | None:
        [paper] = rss.parse(SCIENCEDIRECT.format(date=date).encode(), "mpe").papers
        return paper.published and paper.published.isoformat()

    assert published("Available online 15 November 2021") == "2021-11-15T00:00:00+00:00"
    assert published("15 January 2022") == "2022-01-15T00:00:00+00:00"
    assert published("February 2022") is None
