"""arXiv RSS/Atom listings: ids, announce types, versions, prefix stripping, authors."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.models import ParseError
from jobs.sources import arxiv_rss
from jobs.sources.arxiv_rss import detex, detex_name
from tests.conftest import shared_file

DATA = Path(__file__).resolve().parents[2] / "data"
SHARED = Path(__file__).resolve().parents[3] / ".." / "shared"
CAPTURE = SHARED / "corpus" / "feeds" / "arxiv-atom-cs.AI-2025-08-20.xml"


@pytest.fixture(scope="module")
def listing():
    return arxiv_rss.parse((DATA / "arxiv-rss-cs.LG.xml").read_bytes(), "arxiv-cs.LG")


def test_every_announce_type_is_kept_with_its_version(listing):
    got = [(p.id, p.arxiv_id, p.version, p.announce_type, p.is_replacement)
           for p in listing.papers]
    assert got == [
        ("arxiv:2502.12345", "2502.12345", 1, "new", False),
        ("arxiv:2502.12678", "2502.12678", 1, "cross", False),
        ("arxiv:2411.04321", "2411.04321", 3, "replace", True),
        ("arxiv:2310.00077", "2310.00077", 2, "replace-cross", True),
    ]
    assert listing.warnings == []


def test_the_announce_prefix_is_stripped_from_the_abstract(listing):
    first = listing.papers[0]
    assert first.abstract == (
        "We study continual fine-tuning of large models under a fixed memory budget. We "
        "propose a sparse mixture of low-rank experts whose routing is learned with a budget "
        "penalty, and show that it forgets 40% less than dense adapters when the loss is "
        "$L < 2$ on five task streams.")
    assert all("Announce Type" not in p.abstract and not p.abstract.startswith("arXiv:")
               for p in listing.papers)


def test_dc_creator_lists_become_one_name_each(listing):
    assert [p.authors for p in listing.papers] == [
        ["Mira Okonkwo", "Tomasz Wiśniewski", "Li Na", "Jorge Peña"],
        ["Hannah Fischer"],
        ["Ana Souza", "Kenji Watanabe", "Priya Raman"],
        ["Olivier Durand", "Sam Whitfield Jr.", "Eva Lindqvist"],
    ]


def test_links_categories_dates_and_publication_data(listing):
    new, cross, replace, replace_cross = listing.papers
    assert cross.title == ("Calibrated Uncertainty for Graph Neural Networks via Conformal "
                           "Message Passing")
    assert new.url == "https://arxiv.org/abs/2502.12345"
    assert [p.pdf_url for p in listing.papers] == [
        "https://arxiv.org/pdf/2502.12345v1", "https://arxiv.org/pdf/2502.12678v1",
        "https://arxiv.org/pdf/2411.04321v3", "https://arxiv.org/pdf/2310.00077v2"]
    assert replace_cross.categories == ["math.AT", "cs.CG", "cs.LG"]
    assert new.published == datetime(2025, 2, 20, 5, 0, tzinfo=UTC)
    assert replace.doi == "10.1234/jmlr.2025.0042"
    assert replace.journal_ref == "Journal of Machine Learning Research 26 (2025) 1-38"
    assert new.doi is None and new.journal_ref is None
    assert {p.source for p in listing.papers} == {"arxiv-cs.LG"}


def _rss(items: str, title: str = "cs.LG updates on arXiv.org") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            f'xmlns:arxiv="http://arxiv.org/schemas/atom" '
            f'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>{title}</title>'
            f"<link>http://rss.arxiv.org/rss/cs.LG</link>{items}</channel></rss>").encode()


def test_announce_type_falls_back_to_the_description_prefix():
    item = ("<item><title>T</title><link>https://arxiv.org/abs/2502.00001</link>"
            "<description>arXiv:2502.00001v4 Announce Type: replace \nAbstract: Body."
            "</description><guid>oai:arXiv.org:2502.00001v4</guid></item>")
    (paper,) = arxiv_rss.parse(_rss(item), "arxiv").papers
    assert (paper.announce_type, paper.version, paper.abstract) == ("replace", 4, "Body.")


def test_an_entry_without_an_arxiv_id_is_skipped_with_a_warning():
    items = ("<item><title>Site notice</title><link>https://info.arxiv.org/help</link>"
             "<description>Maintenance on Saturday.</description></item>"
             "<item><title>Kept</title><link>https://arxiv.org/abs/2502.00002</link>"
             "<description>arXiv:2502.00002v1 Announce Type: new \nAbstract: x</description>"
             "<guid>oai:arXiv.org:2502.00002v1</guid>"
             "<arxiv:announce_type>new</arxiv:announce_type></item>")
    result = arxiv_rss.parse(_rss(items), "arxiv")
    assert [p.id for p in result.papers] == ["arxiv:2502.00002"]
    assert result.warnings == ["entry 1 ('Site notice') has no arXiv id in its guid, link or "
                               "description; it was skipped"]


def test_an_empty_listing_is_an_empty_result():
    result = arxiv_rss.parse(_rss(""), "arxiv")
    assert result.papers == [] and result.warnings == []


def test_arxiv_feed_error_for_an_unknown_category_is_a_parse_error():
    with pytest.raises(ParseError, match=r"^arXiv could not build this listing \(Feed error "
                                         r"for query: cs\.XX\); check the category names"):
        arxiv_rss.parse(_rss("", title="Feed error for query: cs.XX"), "arxiv")


def test_a_truncated_listing_is_a_parse_error_with_nothing_returned():
    data = (DATA / "arxiv-rss-cs.LG.xml").read_bytes()
    cut = data[:data.index(b"<title>Scaling Laws")]
    with pytest.raises(ParseError, match="looks truncated"):
        arxiv_rss.parse(cut, "arxiv")


def test_the_real_atom_capture_yields_seven_papers_with_announce_types():
    if not CAPTURE.is_file():
        pytest.skip(f"../shared is absent: the real arXiv capture {CAPTURE.name} is not here")
    result = arxiv_rss.parse(CAPTURE.read_bytes(), "arxiv-cs.AI")

    assert [p.id for p in result.papers] == [
        "arxiv:2508.13426", "arxiv:2508.13428", "arxiv:2508.13429", "arxiv:2508.13434",
        "arxiv:2508.13435", "arxiv:2508.14001", "arxiv:2508.14002"]
    assert Counter(p.announce_type for p in result.papers) == {"new": 2, "cross": 5}
    assert result.warnings == []
    by_id = {p.id: p for p in result.papers}
    castro = by_id["arxiv:2508.13429"]
    assert castro.authors == ["Paulo André Lima de Castro"]  # TeX `Andr\'e` decoded
    assert castro.categories == ["q-fin.CP", "cs.AI"]
    assert castro.abstract.startswith("Autonomous trading strategies have been")
    assert by_id["arxiv:2508.13434"].authors[-1] == "Shirui Pan"
    assert len(by_id["arxiv:2508.13434"].authors) == 7
    assert by_id["arxiv:2508.14001"].published == datetime(2025, 8, 20, 4, 0, tzinfo=UTC)
    assert by_id["arxiv:2508.14001"].pdf_url == "https://arxiv.org/pdf/2508.14001v1"


def test_detex_turns_tex_accents_into_unicode_and_leaves_math_alone():
    assert detex_name(r"Paulo Andr\'e Lima de Castro") == "Paulo André Lima de Castro"
    assert detex_name(r'{\"O}zg{\"u}r \c{C}elik and \L{}ukasz Bj\o rn') == \
        "Özgür Çelik and Łukasz Bjørn"
    assert detex(r"Schr\"odinger bridges in $\mathcal{O}(n \cdot \log n)$") == \
        r"Schrödinger bridges in $\mathcal{O}(n \cdot \log n)$"


def _old_listing(name: str):
    data = shared_file("corpus", "realworld", "arxiv-rss", name).read_bytes()
    return {p.id: p for p in arxiv_rss.parse(data, "hep-ex").papers}


def test_the_old_rss_1_0_title_note_becomes_version_category_and_announce_type():
    papers = _old_listing("hep-ex-rss1-2018-05-23.xml")
    got = {i: (p.title, p.version, p.categories, p.announce_type) for i, p in papers.items()}
    assert got == {
        "arxiv:1805.08875": ("Measurement of Transverse Single Spin Asymmetries", 1,
                             ["hep-ex"], "new"),
        "arxiv:1805.09166": ("Recent Top quark results from the Tevatron", 1, ["hep-ex"],
                             "cross"),
        "arxiv:1805.06430": ("New Perspective on Hybrid Mesons", 2, ["nucl-th"], "replace"),
    }
    assert papers["arxiv:1805.06430"].is_replacement
    assert papers["arxiv:1805.06430"].pdf_url == "https://arxiv.org/pdf/1805.06430v2"
    # The listing's dc:date (2018-05-23T20:30:00-05:00) dates its papers.
    assert {p.published for p in papers.values()} == {datetime(2018, 5, 24, 1, 30, tzinfo=UTC)}


def test_the_old_rss_1_0_creators_are_link_texts_without_tags_or_tails():
    papers = _old_listing("hep-ex-rss1-2018-05-23.xml")
    assert papers["arxiv:1805.08875"].authors == ["Christopher Dilks"]  # (STAR Collaboration)
    assert papers["arxiv:1805.06430"].authors == [
        "Shu-Sheng Xu", "Zhu-Fang Cui", "Lei Chang", "Joannis Papavassiliou",
        "Craig D. Roberts", "Hong-Shi Zong"]
    lhcb = _old_listing("hep-ex-rss1-2021-07-08a.xml")["arxiv:2107.03419"]
    assert lhcb.authors == ["LHCb collaboration", "R. Aaij"]
    assert lhcb.title.endswith("decays") and "arXiv:" not in lhcb.title


def test_the_old_rss_1_0_description_is_html():
    paper = _old_listing("hep-ex-rss1-2018-05-23.xml")["arxiv:1805.08875"]
    assert paper.abstract.startswith("In 2015 the first collisions between polarized protons")
    assert "range of $2.6<\\eta<4$. Within" in paper.abstract
    assert paper.abstract.endswith("production.") and "<p>" not in paper.abstract


def test_affiliations_in_2024_creators_keep_their_commas():
    # A 2024+ listing item shaped like the capture's (feeds/arxiv-atom-cs.AI-2025-08-20.xml),
    # its dc:creator carrying affiliations as quoted in issue 11.
    item = ("<item><title>Crystal growth</title><link>https://arxiv.org/abs/2502.00003</link>"
            "<description>arXiv:2502.00003v1 Announce Type: new \nAbstract: x</description>"
            "<guid>oai:arXiv.org:2502.00003v1</guid>"
            "<dc:creator>M. R. Nirmal (Department of Chemistry, X, Chennai, India), "
            "S. Kumar (Department of Physics and Astronomy, Y, India), and "
            "Andr\\'e Silva</dc:creator></item>")
    (paper,) = arxiv_rss.parse(_rss(item), "arxiv").papers
    assert paper.authors == ["M. R. Nirmal", "S. Kumar", "André Silva"]
