"""Author strings as people (jobs.sources.paperauthors): brackets keep their commas,
affiliations stay apart from names, list tails name nobody, LAST, F. lists are people."""

from __future__ import annotations

import pytest

from jobs.sources import rss
from jobs.sources.paperauthors import (
    Person,
    description_authors,
    entry_authors,
    people_names,
    split_author_list,
    split_people,
)
from tests.conftest import shared_file


@pytest.mark.parametrize(("text", "names"), [
    ("Ana Souza, Kenji Watanabe, and Priya Raman", ["Ana Souza", "Kenji Watanabe", "Priya Raman"]),
    ("Li Na and Jorge Peña", ["Li Na", "Jorge Peña"]),
    ("Sam Whitfield, Jr., Eva Lindqvist", ["Sam Whitfield Jr.", "Eva Lindqvist"]),
    ("Alexandra Andersen", ["Alexandra Andersen"]),
    ("", []),
    # Old arXiv RSS 1.0 creators once their links are read (arxiv-rss/hep-ex-rss1-*.xml).
    ("LHCb collaboration: R. Aaij, et al. (909 additional authors not shown)",
     ["LHCb collaboration", "R. Aaij"]),
    ("Christopher Dilks (STAR Collaboration)", ["Christopher Dilks"]),
    # arXiv's 2024+ listings, the shape quoted in issue 11.
    ("M. R. Nirmal (Department of Chemistry, X, Chennai, India), K. Devi (Department of "
     "Physics and Astronomy, Y, India), and P. Rao", ["M. R. Nirmal", "K. Devi", "P. Rao"]),
    # arXiv's numbered affiliations, legend last.
    ("A. Smith (1), B. Jones (1 and 2) ((1) MIT, (2) Harvard)", ["A. Smith", "B. Jones"]),
    # bioRxiv's LAST, F. lists (the shape quoted in issue 11).
    ("LAPALU, N., SIMON, A., Lu, A.", ["LAPALU, N.", "SIMON, A.", "Lu, A."]),
    ("Moshe, A., Gordon, S. N., LI, X., Martin, J.-P.",
     ["Moshe, A.", "Gordon, S. N.", "LI, X.", "Martin, J.-P."]),
    ("King, M. L., Jr., Lu, A.", ["King, M. L. Jr.", "Lu, A."]),
    ("Author(s): Ann Lee, Bo Chen", ["Ann Lee", "Bo Chen"]),
    ("by Ann Lee & Bo Chen", ["Ann Lee", "Bo Chen"]),
    ("Byron Smith", ["Byron Smith"]),
    ("张三、李四", ["张三", "李四"]),
    ("R. Aaij et al.", ["R. Aaij"]),
])
def test_people_names(text: str, names: list[str]):
    assert people_names(text) == names


def test_affiliations_are_kept_apart_from_names():
    assert split_people("M. R. Nirmal (Department of Chemistry, X, Chennai, India), "
                        "C. Dilks (STAR Collaboration), A. Smith (1)") == [
        Person("M. R. Nirmal", "Department of Chemistry, X, Chennai, India"),
        Person("C. Dilks", "STAR Collaboration"),
        Person("A. Smith", None),  # a footnote mark is no affiliation
    ]


def test_an_unclosed_bracket_does_not_swallow_the_list():
    assert people_names("A. Lee (Univ X, B. Chen, C. Diaz") == [
        "A. Lee (Univ X", "B. Chen", "C. Diaz"]


@pytest.mark.parametrize(("text", "names"), [
    ("Smith, Jane", ["Smith, Jane"]),
    ("Grace Whitmore, Oluwaseun Adeyemi", ["Grace Whitmore", "Oluwaseun Adeyemi"]),
    ("Lee, A.; Chen, B.", ["Lee, A.", "Chen, B."]),
    ("LAPALU, N., SIMON, A., Lu, A.", ["LAPALU, N.", "SIMON, A.", "Lu, A."]),
    ("Smith, Jane and Doe, John", ["Smith, Jane", "Doe, John"]),
    ("Ann Lee, Bo Chen, and Sam Whitfield, Jr.", ["Ann Lee", "Bo Chen", "Sam Whitfield Jr."]),
    # A name followed by its affiliation is a person of its own.
    ("Nirmal (Dept. of Chemistry, Chennai), Devi", ["Nirmal", "Devi"]),
])
def test_a_generic_author_string_is_split_only_where_surely_a_list(text: str, names):
    assert split_author_list(text) == names


@pytest.mark.parametrize(("entry", "names"), [
    ({"authors": [{"name": "Yuki Tanaka"}, {"name": "Aisha Bello"}]},
     ["Yuki Tanaka", "Aisha Bello"]),
    ({"authors": [{"name": "Smith, Jane"}]}, ["Smith, Jane"]),
    ({"authors": [{"name": "Grace Whitmore, Oluwaseun Adeyemi"}]},
     ["Grace Whitmore", "Oluwaseun Adeyemi"]),
    ({"authors": [{"name": "Lee, A.; Chen, B."}]}, ["Lee, A.", "Chen, B."]),
    ({"authors": [{"name": "Smith, Jane and Doe, John"}]}, ["Smith, Jane", "Doe, John"]),
    ({"authors": [{"name": "Ann Lee, Bo Chen, and Sam Whitfield, Jr."}]},
     ["Ann Lee", "Bo Chen", "Sam Whitfield Jr."]),
    ({"authors": [{"name": "Jane Doe (MIT)"}, {"name": "Wu, Li"}]}, ["Jane Doe", "Wu, Li"]),
    ({"author": "Solo Writer"}, ["Solo Writer"]),
    ({}, []),
])
def test_entry_authors(entry: dict, names: list[str]):
    assert entry_authors(entry) == names


def test_description_authors_read_only_a_labelled_paragraph():
    html = ("<p>Publication date: 5 December 2026</p><p><b>Source:</b> A Journal</p>"
            "<p>Author(s): Ann Lee, Bo Chen</p>")
    assert description_authors(html) == ["Ann Lee", "Bo Chen"]
    assert description_authors("<p>Authorship is a theme: Ann Lee, Bo Chen</p>") == []
    assert description_authors(None) == []


def test_sciencedirect_authors_come_from_the_description():
    data = shared_file("corpus", "realworld", "rss", "elsevier-ejmc-mirror.xml").read_bytes()
    papers = rss.parse(data, "ejmc").papers
    assert papers[1].authors == [
        "Hugo Kocek", "Michal Vaško", "Milan Dejmek", "Eliška Procházková", "Michal Šála",
        "Anna Janovská", "Marika Matoušová", "Alexandra Dvořáková", "Evzen Boura",
        "Radim Nencka"]
    assert all(p.authors for p in papers)
    assert not any("Author" in name or "<" in name for p in papers for name in p.authors)


def test_a_biorxiv_item_is_three_people_with_its_doi():
    # bioRxiv's feed (connect.biorxiv.org/biorxiv_xml.php, RSS 1.0): links end in ?rss=1,
    # dc:identifier holds doi:, dc:creator one "LAST, F." list (the creator quoted in
    # issue 11; links of this shape are quoted in public READMEs).
    data = ('<?xml version="1.0" encoding="UTF-8"?><rdf:RDF '
            'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            '<channel rdf:about="http://connect.biorxiv.org/"><title>bioRxiv Channel: '
            "Genomics</title><link>http://connect.biorxiv.org/</link></channel>"
            '<item rdf:about="http://biorxiv.org/cgi/content/short/2024.09.04.611255v1?rss=1">'
            "<title>A fungal pangenome</title>"
            "<link>http://biorxiv.org/cgi/content/short/2024.09.04.611255v1?rss=1</link>"
            "<description>We assemble.</description>"
            "<dc:creator>LAPALU, N., SIMON, A., Lu, A.</dc:creator><dc:date>2024-09-05</dc:date>"
            "<dc:identifier>doi:10.1101/2024.09.04.611255</dc:identifier></item></rdf:RDF>")
    (paper,) = rss.parse(data.encode(), "biorxiv").papers
    assert paper.authors == ["LAPALU, N.", "SIMON, A.", "Lu, A."]
    assert paper.id == "doi:10.1101/2024.09.04.611255"
    assert paper.url == "http://biorxiv.org/cgi/content/short/2024.09.04.611255v1"


def _one_item(item: str) -> bytes:
    return ('<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/'
            f'1.1/"><channel><title>t</title><item>{item}</item></channel></rss>').encode()


def test_generated_arxiv_feeds_give_their_authors_in_the_description() -> None:
    # funnydeng/dmrg-rss docs/condmat.xml: dc:creator "Unknown", the authors and a label
    # before the abstract; gbrammer/arxiv-to-rss: <author> names the first author only.
    dmrg = _one_item(
        "<title>Full grid solution</title><link>http://arxiv.org/abs/2601.00009</link>"
        "<description>&lt;b&gt;Author(s):&lt;/b&gt; Lucas Arenstein, Michael Kastoryano"
        "&lt;br&gt;&lt;br&gt;&lt;b&gt;Abstract:&lt;/b&gt; Pricing multi-asset options."
        "</description><dc:creator>Unknown</dc:creator>")
    [paper] = rss.parse(dmrg, "s").papers
    assert paper.authors == ["Lucas Arenstein", "Michael Kastoryano"]
    assert paper.abstract == "Pricing multi-asset options."
    jwst = _one_item(
        "<title>An Optical Illusion</title><link>https://arxiv.org/abs/2608.20339v1</link>"
        "<description>&lt;p&gt; Tiger Yu-Yang Hsiao, Danielle A. Berg, Steven L. Finkelstein"
        " &lt;/p&gt;&lt;p&gt;below 5&amp;amp;percnt; Z&lt;sub&gt;&amp;amp;odot;&lt;/sub&gt;"
        "&lt;/p&gt;</description><author>Tiger Yu-Yang Hsiao</author>")
    [paper] = rss.parse(jwst, "s").papers
    assert paper.authors == ["Tiger Yu-Yang Hsiao", "Danielle A. Berg", "Steven L. Finkelstein"]
    assert "5% Z⊙" in paper.abstract
