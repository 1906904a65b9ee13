"""Seminar records and talk announcements an outsider found on GitHub after the corpus was
fixed: each document here is cut down from a real one, named above it, to the misread shape."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.jobs.sources.talk_helpers import local, read

# siddhartha-gadgil/DeptWeb _seminars/2012/2012-09-06-prof-ewa-damek-university-of-wroclaw.md
# (and the other records of 2007-2014): the name runs into the institution, no comma.
RUN_ON = """\
---
date: 2012-9-6
speaker: "Prof Ewa Damek University of Wroclaw, Wroclaw, Poland"
title: "Asymptotic behavior of Poisson kernels on NA groups -Fifth of her lecture series"
time: "4:00 p.m.- 5:00 pm"
venue: "Department of Mathematics, LH-I"
---
"""

# _seminars/2014/2014-07-14-ms-kamana-porwal-iisc.md: the institution is a mixed-case acronym.
RUN_ON_ACRONYM = RUN_ON.replace("Prof Ewa Damek University of Wroclaw, Wroclaw, Poland",
                                "Ms. Kamana Porwal IISc")

# _seminars/2014/2014-07-17-rahul-roy-isi.md: the institute in capitals after the whole name.
RUN_ON_CAPITALS = RUN_ON.replace("Prof Ewa Damek University of Wroclaw, Wroclaw, Poland",
                                 "Rahul Roy ISI, Delhi")


def test_a_name_run_into_its_institution_is_split_from_it() -> None:
    now = datetime(2012, 9, 1, tzinfo=UTC)
    [talk] = read(RUN_ON, "Asia/Kolkata", now, kind="announcement").talks
    assert (talk.speakers, talk.affiliation) == (["Ewa Damek"],
                                                 "University of Wroclaw, Wroclaw, Poland")
    assert local(talk, "Asia/Kolkata") == "2012-09-06 16:00-17:00"
    [talk] = read(RUN_ON_ACRONYM, "Asia/Kolkata", now, kind="announcement").talks
    assert (talk.speakers, talk.affiliation) == (["Kamana Porwal"], "IISc")
    [talk] = read(RUN_ON_CAPITALS, "Asia/Kolkata", now, kind="announcement").talks
    assert (talk.speakers, talk.affiliation) == (["Rahul Roy"], "ISI, Delhi")


# siddhartha-gadgil/DeptWeb _events/2026-07-21-michel-waldschmidt.md: a visitor's lectures,
# each a list item "Lecture N: <day> -- <title>" with its time in a sub-item; the speaker is
# named only in the post's title; "Wednesday, Jul 23" is a Thursday in 2026.
LECTURES = """\
---
title: Lectures by Michel Waldschmidt (IMJ-PRG, France) from Tuesday, July 21, 2026
---

During his stay, he intends to give a series of four lectures in LH-1.

- Lecture 1: Tuesday, Jul 21 -- The method of Gel'fond--Schneider
    - Time: 9-10 am
    - Join online: [Microsoft Teams meeting](https://teams.microsoft.com/meet/452479363117421)
- Lecture 2: Wednesday, Jul 22 -- Several variables
    - Time: 10-11 am
- Lecture 3: Wednesday, Jul 23 -- Algebraic independence. Modular functions. Mahler's method
    - Time: 10-11 am
"""


def test_numbered_lectures_each_dated_in_its_item_are_read_with_the_posts_speaker() -> None:
    result = read(LECTURES, "Asia/Kolkata", datetime(2026, 7, 1, tzinfo=UTC), kind="announcement")
    assert [(local(t, "Asia/Kolkata"), t.title) for t in result.talks] == [
        ("2026-07-21 09:00-10:00", "The method of Gel'fond--Schneider"),
        ("2026-07-22 10:00-11:00", "Several variables"),
        ("2026-07-23 10:00-11:00", "Algebraic independence. Modular functions. Mahler's method"),
    ]
    assert {(tuple(t.speakers), t.affiliation) for t in result.talks} == {
        (("Michel Waldschmidt",), "IMJ-PRG, France")}


# lzyang257/lzyang257.github.io seminar_fall_23.md and seminar_spring_26.md: the time is said
# once ("When: Fridays ..." under an <h4>), each row gives its day; the "Title & Abstract"
# column folds the abstract under the title (<details><summary>); an unfilled row says
# "Title" in the title column.
FOLDED = """\
---
layout: page
title: Fall 2023 Topology seminar
---
<h4>Where:</h4> 622 Mathematics
<h4>When:</h4> Fridays 10-11am

<table>
<tr><td>Date</td>
\t<td>Speaker (affiliation)</td>
\t<td style="width:60%">Title & Abstract</td>
\t</tr>
<tr><td>September 15</td>
\t<td><a href="https://sorengalatius.com/">Søren Galatius</a> (Copenhagen University) </td>
\t<td><details>
\t<summary>Graph complexes in topology and algebraic geometry</summary>
\t<p class="abstract">In the 1990s, Kontsevich introduced certain rational chain complexes.</p>
\t</details></td>
\t</tr>
<tr><td>September 22</td>
\t<td><a href="https://web.mit.edu/~jhahn01/www/">Jeremy Hahn</a> (MIT)</td>
\t<td><details>
\t<summary>Telescopes, prismatization, and exotic spheres</summary>
\t<p class="abstract"><i>Abstract:</i> I will explain how to compute.</p>
\t</details></td>
\t</tr>
<tr><td>September 29</td>
\t<td>Speaker</td>
\t<td><details><summary>Title</summary></details></td>
\t</tr>
</table>
"""


def test_a_table_folding_abstracts_under_titles_takes_the_series_time_said_once() -> None:
    result = read(FOLDED, "America/New_York", datetime(2023, 8, 20, tzinfo=UTC), kind="page")
    assert [(local(t, "America/New_York"), t.title, t.speakers, t.location)
            for t in result.talks] == [
        ("2023-09-15 10:00-11:00", "Graph complexes in topology and algebraic geometry",
         ["Søren Galatius"], "622 Mathematics"),
        ("2023-09-22 10:00-11:00", "Telescopes, prismatization, and exotic spheres",
         ["Jeremy Hahn"], "622 Mathematics"),
    ]
    assert result.talks[0].abstract == (
        "In the 1990s, Kontsevich introduced certain rational chain complexes.")


# ZJUT CSSC Lab news item 76 (a lab site's TypeScript news data, its HTML content field;
# found by the code index, repository not named): "演讲人：" gives a Han name, a space, then
# the institution and titles with no comma between.
HAN_RUN_ON = """\
<p><big><span class="highlight-text">演讲人：</span></big>刘嘉莹 大连理工大学经济管理学院创新与创业\
研究所准聘助理教授、硕士生导师 </p>
<p><big><span class="highlight-text">报告时间：</span></big>2025年8月4日（周一）9:00-11:00</p>
<p><big><span class="highlight-text">报告地点：</span></big>铂悦城B座915（校企合作产业基地）</p>
"""


def test_a_han_name_then_a_space_then_its_institution_is_split() -> None:
    [talk] = read(HAN_RUN_ON, "Asia/Shanghai", datetime(2025, 8, 1, tzinfo=UTC),
                  kind="announcement").talks
    assert talk.speakers == ["刘嘉莹"]
    assert talk.affiliation == "大连理工大学经济管理学院创新与创业研究所准聘助理教授、硕士生导师"
    assert local(talk, "Asia/Shanghai") == "2025-08-04 09:00-11:00"


# NAUMathStat/seminars acgtFall2017.md: the time is said once in the opening; each talk gives
# its days with two-digit years, several for a talk given in parts ("Dates: 10/17/17, ...").
DAYS = """\
---
layout: page
title: ACGT Seminar
---

The ACGT Seminar meets on Tuesdays at 12:45-2:00pm in Room 164 of the Adel Mathematics Building.

### Constructions for Self-dual codes: From Fields to Rings to Group Rings

**Speaker:** Bahattin Yildiz (NAU)

**Dates:** 10/17/17, 10/24/17, 10/31/17

### New Pathways and Pedagogies in Mathematics (Special Department Seminar)

**Speaker:** William Jaco (Oklahoma State University)

**Date:** 10/10/17
"""


def test_two_digit_years_and_a_list_of_days_give_a_talk_each_day() -> None:
    result = read(DAYS, "America/Phoenix", datetime(2017, 8, 15, tzinfo=UTC), kind="page")
    assert [(local(t, "America/Phoenix"), t.speakers) for t in result.talks] == [
        ("2017-10-17 12:45-14:00", ["Bahattin Yildiz"]),
        ("2017-10-24 12:45-14:00", ["Bahattin Yildiz"]),
        ("2017-10-31 12:45-14:00", ["Bahattin Yildiz"]),
        ("2017-10-10 12:45-14:00", ["William Jaco"]),
    ]


# NAUMathStat/seminars acgtFall2015.md: "Date: 12/8", no year, on a US page.
NO_YEAR = DAYS.replace("**Dates:** 10/17/17, 10/24/17, 10/31/17", "**Dates:** 11/17, 12/1")


def test_month_and_day_alone_are_read_month_first_on_a_us_page() -> None:
    result = read(NO_YEAR, "America/Phoenix", datetime(2017, 8, 15, tzinfo=UTC), kind="page")
    assert [local(t, "America/Phoenix") for t in result.talks] == [
        "2017-11-17 12:45-14:00", "2017-12-01 12:45-14:00", "2017-10-10 12:45-14:00"]
    result = read(NO_YEAR, "Europe/London", datetime(2017, 8, 15, tzinfo=UTC), kind="page")
    # In Britain "12/1" may be 12 January: not read; "11/17" can only be November.
    assert [local(t, "Europe/London") for t in result.talks] == [
        "2017-11-17 12:45-14:00", "2017-10-10 12:45-14:00"]


# NAUMathStat/seminars acgtFall2021.md: a heading gives a talk's several days and its time.
HEADED_DAYS = """\
---
layout: page
title: ACGT Seminar
---

# Schedule Fall 2021 #

### Tuesdays 9/14, 9/21, 9/28 at 2:20-3:10

**Speaker:** Nandor Sieben

**Title:** Introduction to graph pebbling
"""


def test_a_heading_listing_several_days_gives_the_talk_each_day() -> None:
    result = read(HEADED_DAYS, "America/Phoenix", datetime(2021, 8, 15, tzinfo=UTC), kind="page")
    assert [(local(t, "America/Phoenix"), t.title) for t in result.talks] == [
        (f"2021-09-{day} 14:20-15:10", "Introduction to graph pebbling")
        for day in ("14", "21", "28")]
