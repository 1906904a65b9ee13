"""Series pages and event posts as an outsider found them on GitHub: each document here is
cut down from a real one, named above it, to the shape that was misread."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.jobs.sources.talk_helpers import local, read

# NAUMathStat/seminars colloquiumSpring2024.md: the date and time in a heading over the fields.
HEADED = """\
---
layout: page
title: Spring 2024 Department Colloquium
---

The talks will typically take place on Tuesdays at 4:00-5:00pm in Adel Room 164.

### Tuesday 1/23 at 4:00-4:50
**Speaker:** Jaechoul Lee
**Title:** An efficient least squares algorithm

<hr>

### Tuesday 1/30

Most likely no colloquium because of faculty candidate visits.

<hr>

### Tuesday 2/6 at 4:00-4:50
**Speaker:** Shafiu Jibrin
**Title:** On Second-Order Cone Functions
"""


def test_a_heading_with_a_date_and_a_time_times_the_talk_under_it() -> None:
    result = read(HEADED, "America/Phoenix", datetime(2024, 1, 10, tzinfo=UTC))
    assert [(local(t, "America/Phoenix"), t.speakers, t.location) for t in result.talks] == [
        ("2024-01-23 16:00-16:50", ["Jaechoul Lee"], "Adel Room 164"),
        ("2024-02-06 16:00-16:50", ["Shafiu Jibrin"], "Adel Room 164"),
    ]
    assert result.warnings == []


# NAUMathStat/seminars acgtFall2022.md: the time is said once, each talk gives only its day.
RECURRING = """\
---
title: ACGT Seminar
---

The ACGT Seminar meets on Tuesdays at 1:00-2:00PM in Room 164 of the Adel Mathematics Building.

### The Wooly Hat Problem Is Solved!

**Date:** October 25

**Speaker:** Steve Wilson (NAU retired)

### Invariant polynomials and discriminants

**Date:** October 18

**Speaker:** Michael Falk (NAU)
"""


def test_a_series_time_said_once_times_every_talk_listed_by_day() -> None:
    talks = read(RECURRING, "America/Phoenix", datetime(2022, 8, 20, tzinfo=UTC)).talks
    assert [(local(t, "America/Phoenix"), t.title, t.speakers, t.affiliation, t.location)
            for t in talks] == [
        ("2022-10-25 13:00-14:00", "The Wooly Hat Problem Is Solved!", ["Steve Wilson"],
         "NAU retired", "Room 164"),
        ("2022-10-18 13:00-14:00", "Invariant polynomials and discriminants",
         ["Michael Falk"], "NAU", "Room 164"),
    ]


# lenis2000/homepage vipss2024/schedule.md: a day heading, then sessions as list items.
DAYS = """\
<h4>Monday, July 8, 2024</h4>
<ul>
<li>9:00 - 9:30 &bull; Breakfast and coffee</li>
<li>9:30 - 11:00 &bull; <strong>Lecture 1.a: Random matrices</strong> (Ann Lee)</li>
<li>3:30 - 5:00 &bull; <strong>Problem Session 2.a</strong> (Bo Zhang)</li>
</ul>
<h4>Tuesday, July 9, 2024</h4>
<ul>
<li>9:30 - 11:00 &bull; <strong>Lecture 1.b: More random matrices</strong> (Ann Lee)</li>
</ul>
"""


def test_a_day_heading_closes_the_last_session_of_the_day_before() -> None:
    talks = read(DAYS, "America/New_York", datetime(2024, 7, 1, tzinfo=UTC)).talks
    assert [(local(t, "America/New_York"), t.title, t.speakers) for t in talks] == [
        ("2024-07-08 09:30-11:00", "Lecture 1.a: Random matrices", ["Ann Lee"]),
        ("2024-07-08 15:30-17:00", "Problem Session 2.a", ["Bo Zhang"]),
        ("2024-07-09 09:30-11:00", "Lecture 1.b: More random matrices", ["Ann Lee"]),
    ]  # and breakfast is not a talk


# miaowuduck/keke-physics-conference past-events.md: headings as labels, an agenda table.
AGENDA = """\
<h4>Date</h4>
<p>2024-12-07 (Sat) 19:00</p>
<h4>Location</h4>
<p>Room 204, Zhiyuan College</p>
<table>
<thead><tr><th>时间</th><th>报告名称</th><th>报告人</th></tr></thead>
<tbody>
<tr><td>19:00–19:10</td><td>开场</td><td>-</td></tr>
<tr><td>19:10–19:20</td><td>星系的恒星形成</td><td>陈致博</td></tr>
<tr><td>20:40–21:00</td><td>中场休息</td><td>-</td></tr>
<tr><td>21:00–21:10</td><td>相变与分形</td><td>陈致真</td></tr>
</tbody>
</table>
"""


def test_an_agenda_under_labelled_headings_gives_one_talk_a_row_and_no_breaks() -> None:
    result = read(AGENDA, "Asia/Shanghai", datetime(2024, 12, 1, tzinfo=UTC))
    assert [(local(t, "Asia/Shanghai"), t.title, t.speakers, t.location)
            for t in result.talks] == [
        ("2024-12-07 19:10-19:20", "星系的恒星形成", ["陈致博"], "Room 204, Zhiyuan College"),
        ("2024-12-07 21:00-21:10", "相变与分形", ["陈致真"], "Room 204, Zhiyuan College"),
    ]
    assert result.warnings == []


# marcolenci/dai-dinamici.github.io dai-seminars/*.md: Hugo TOML front matter with the
# post's own date, the talk's start and end, and a body that labels speaker and title.
HUGO_EVENT = """\
+++
affiliation = "Queen's University, Canada"
date = "2020-05-04 12:22:09"
end = "2020-05-28 18:00:00"
seminar = "Rational Horocycle lifts"
speaker = "Francesco Cellarosi"
start = "2020-05-28 17:00:00"
title = "Francesco Cellarosi  (Queen's University, Canada)"
+++
*Speaker:* **Francesco Cellarosi**  (Queen's University, Canada)

*Title:* ***Rational Horocycle lifts and the tails of Quadratic Weyl sums***

*Abstract:* Equidistribution of horocycles has been used to answer questions.
"""


def test_an_event_posts_start_and_end_beat_its_date_and_its_body_tells_the_talk() -> None:
    [talk] = read(HUGO_EVENT, "Europe/Rome", datetime(2020, 5, 1, tzinfo=UTC),
                  kind="announcement").talks
    assert local(talk, "Europe/Rome") == "2020-05-28 17:00-18:00"
    assert talk.title == "Rational Horocycle lifts and the tails of Quadratic Weyl sums"
    assert (talk.speakers, talk.affiliation) == (["Francesco Cellarosi"],
                                                 "Queen's University, Canada")
    assert talk.abstract.startswith("Equidistribution of horocycles")


# NAUMathStat/seminars colloquiumFall2016.md: a table in markdown, split by blank lines.
SPLIT_TABLE = """\
---
title: Department Colloquium
---

The colloquium takes place on Tuesdays at 4:00-5:00pm in Room 164.

<table>
<tr>
<td><b>Date</b></td>

<td><b>Speaker</b></td>

<td><b>Affiliation</b></td>

<td><b>Title&nbsp;</b> (click title to see abstract)</td>
</tr>

<tr>
<td>November 29th</td>
<td>Dr. Kyle Peterson</td>
<td>DePaul University</td>
<td><a href="https://e.org/a.pdf">Eulerian Numbers</a></td>
</tr>

<tr>
<td>December 6th</td>
<td>Reading Week</td>
<td></td>
<td></td>
</tr>
</table>
"""


def test_a_table_split_by_blank_lines_in_markdown_is_still_one_table() -> None:
    result = read(SPLIT_TABLE, "America/Phoenix", datetime(2016, 8, 20, tzinfo=UTC))
    [talk] = result.talks
    assert (local(talk, "America/Phoenix"), talk.speakers, talk.affiliation, talk.title,
            talk.url) == ("2016-11-29 16:00-17:00", ["Kyle Peterson"], "DePaul University",
                          "Eulerian Numbers", "https://e.org/a.pdf")
    assert result.warnings == []


# marcolenci/dai-dinamici.github.io content/dai-seminar.md: one talk a list item, wrapped at
# 72 columns by pandoc, its date a Hugo shortcode link.
LISTED = """\
+++
title = "DAI Seminar"
+++

a series of online seminars on Dynamical Systems and their applications.

-   [Nov 12, 2020, 4pm
    CET]({{< ref "stefano-maro-university-of-pisa-italy.md" >}}):
    **Stefano Marò** (Università di Pisa, Italy), ***Chaotic motion in
    the breathing circle billiard***
-   [Nov 16, 2020, 2pm
    CET]({{< ref "isaia-nisoli.md" >}}):
    **Isaia Nisoli** (Universidade Federal do Rio de Janeiro, Brazil),
    ******A simple system presenting Noise Induced Order******
"""


def test_a_talk_a_list_item_wrapped_over_lines_reads_whole() -> None:
    result = read(LISTED, "Europe/Rome", datetime(2020, 11, 1, tzinfo=UTC))
    assert [(local(t, "Europe/Rome"), t.speakers, t.affiliation, t.title)
            for t in result.talks] == [
        ("2020-11-12 16:00", ["Stefano Marò"], "Università di Pisa, Italy",
         "Chaotic motion in the breathing circle billiard"),
        ("2020-11-16 14:00", ["Isaia Nisoli"], "Universidade Federal do Rio de Janeiro, Brazil",
         "A simple system presenting Noise Induced Order"),
    ]
    assert result.warnings == []


# the-au-forml-lab colloquium-Fall-2021.md: "day/month/year : Title by Speaker", the time
# in a nested item, given again in brackets for UTC; one date with a day over 12 tells the
# page writes the day first although its zone's custom is month first.
DAY_FIRST = """\
---
layout: page
title: CCS Colloquium
---
- 03/09/2021 : [Session Logical Relations](../talks/Balzer.html)
by [Stephanie Balzer](https://www.cs.cmu.edu/~balzers/)
  - Time: 1pm-2pm EDT (5pm-6pm UTC)
<br><br>
- 17/09/2021 : [SCCS Lightning Talks](../talks/Lightning.html)
  - Time: 12pm-12:30pm EDT (4pm-4:30pm UTC)
"""


def test_a_list_of_dated_titles_by_speakers_reads_the_pages_own_date_order() -> None:
    talks = read(DAY_FIRST, "America/New_York", datetime(2021, 8, 20, tzinfo=UTC),
                 kind="announcement").talks
    assert [(local(t, "America/New_York"), t.title, t.speakers) for t in talks] == [
        ("2021-09-03 13:00-14:00", "Session Logical Relations", ["Stephanie Balzer"]),
        ("2021-09-17 12:00-12:30", "SCCS Lightning Talks", []),
    ]
