"""Workshop programmes as a second outsider found them on GitHub: a table of time and
description under day headings, and slots that name the speaker beside the title."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.jobs.sources.test_talk_pages import local, read

# bafa2017.github.io program.md: raw HTML tables in markdown, markdown left inside the cells.
PROGRAMME = """\
---
title: Program
---
## Thursday, 12 October
<table>
  <thead><tr><th>Time</th><th>Description</th></tr></thead>
  <tbody>
    <tr><td>09:00 - 09:15</td><td>Welcome with coffee and tea</td></tr>
    <tr><td>09:15 - 10:15</td>
        <td>**Keynote**<br/>[Dr. Roian Egnor -- Something old and something new](/egnor)</td></tr>
    <tr><td>12:00 - 13:00</td><td>Lunch break (included)</td></tr>
    <tr><td>16:00 - 16:30</td>
        <td>Lessons learned from 25 years behavior analysis
            (Elsbeth van Dam, [Noldus Information Technology](http://www.noldus.com))</td></tr>
  </tbody>
</table>
"""


def test_a_programmes_description_column_names_its_talks_and_not_its_breaks() -> None:
    talks = read(PROGRAMME, "Europe/Berlin", datetime(2017, 10, 1, tzinfo=UTC)).talks
    assert [(local(t, "Europe/Berlin"), t.speakers, t.affiliation, t.title) for t in talks] == [
        ("2017-10-12 09:15-10:15", ["Roian Egnor"], None, "Something old and something new"),
        ("2017-10-12 16:00-16:30", ["Elsbeth van Dam"], "Noldus Information Technology",
         "Lessons learned from 25 years behavior analysis"),
    ]


# UCSB-PSTAT/drupal-migration news-event-archive.md: each title links to its event page and
# stands above its date; a category line follows.
ARCHIVE = """\
# Seminar Archive

[Heterogeneous Treatment Effects under Network Interference](/news/event/1923)

1. February 5, 2025 - 3:30pm to 4:45pm

Department Seminar

[Discrete Autoregressive Switching Processes in Sparse Graphical Modeling.](/news/event/1913)

1. January 28, 2025 - 3:30pm to 4:45pm

Department Seminar
"""


def test_a_listings_linked_title_above_its_date_is_that_talks() -> None:
    talks = read(ARCHIVE, "America/Los_Angeles", datetime(2025, 1, 1, tzinfo=UTC)).talks
    assert [(local(t, "America/Los_Angeles"), t.title) for t in talks] == [
        ("2025-02-05 15:30-16:45", "Heterogeneous Treatment Effects under Network Interference"),
        ("2025-01-28 15:30-16:45",
         "Discrete Autoregressive Switching Processes in Sparse Graphical Modeling."),
    ]


def test_a_programme_with_times_but_no_dates_says_the_date_is_missing() -> None:
    # omsf/alchemistry schedule.md: "## Day 1" and times, the year's dates nowhere on the page.
    text = "## Day 1\n\n| Time | Session |\n|---|---|\n| 9:00 | Welcome + Opening Remarks |\n" \
           "| 9:15 | When Collective Variables Fail |\n"
    result = read(text, "America/New_York", datetime(2026, 1, 1, tzinfo=UTC))
    assert result.talks == []
    [warning] = result.warnings  # the welcome is no talk, so no warning of its own
    assert "'9:15' has no date" in warning and "When Collective Variables Fail" in warning
