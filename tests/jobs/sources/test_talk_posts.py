"""Seminar posts as a second outsider found them on GitHub: a Hugo post whose front matter
title is the talk's and whose "Speaker" section is a biography."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.jobs.sources.test_talk_pages import local, read

# mcgillstat/seminar_blogdown content/post/2025-09-12.md (the abstract cut short).
HUGO_SEMINAR_POST = """\
---
title: "Proper Correlation Coefficients for Nominal Random Variables"
author: "Lukas Wermuth"
date: 2025-09-12
categories: ["McGill Statistics Seminar"]
---

#### Date: 2025-09-12
#### Time: 15:30-16:30 (Montreal time)
#### Location: In person, Burnside 1104
#### [https://mcgill.zoom.us/j/88021402798](https://mcgill.zoom.us/j/88021402798)

## Abstract:

This work develops an intuitive concept of perfect dependence.

## Speaker

Lukas Wermuth studied Economics and Mathematics at Goethe University Frankfurt, where he is
currently pursuing a PhD in Statistics and Econometrics.
"""


def test_a_posts_title_names_its_one_talk_and_a_biography_its_speaker() -> None:
    result = read(HUGO_SEMINAR_POST, "America/Toronto", datetime(2025, 9, 1, tzinfo=UTC),
                  kind="announcement")
    [talk] = result.talks
    assert local(talk, "America/Toronto") == "2025-09-12 15:30-16:30"
    assert talk.title == "Proper Correlation Coefficients for Nominal Random Variables"
    assert talk.speakers == ["Lukas Wermuth"] and talk.affiliation is None
    assert talk.meeting_url == "https://mcgill.zoom.us/j/88021402798"
    assert talk.location == "In person, Burnside 1104"
    assert result.warnings == []


def test_a_page_served_as_html_is_read_as_html_whatever_it_shows() -> None:
    # A page may show markdown-looking text ("[slides](https://...)"); its Content-Type says
    # what it is, and indented HTML must not turn into a markdown code block.
    from jobs.sources import seminar_page

    page = ("<html><body><p>See [slides](https://example.org/s.pdf)</p>\n\n"
            "    <p>Speaker: Jane <b>Doe</b></p>\n    <p>Title: Sparse Transformers</p>\n"
            "    <p>Time: 2026-12-03 15:00-16:00</p></body></html>")
    [talk] = seminar_page.parse(page.encode(), "s", timezone="UTC",
                                now=datetime(2026, 11, 1, tzinfo=UTC),
                                content_type="text/html; charset=utf-8").talks
    assert (talk.speakers, talk.title) == (["Jane Doe"], "Sparse Transformers")
