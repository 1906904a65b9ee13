"""Conference programmes a fifth outsider found on GitHub: each document here is cut down
from a real one, named above it."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.jobs.sources.talk_helpers import local, read

# ilectra/durham docs/hpcdays/talks.md (commit 214b9d02): the HPC Days 2025 talks, a table
# headed "Time | Talk | Who" in <td><b> cells; "Talk" names the talks, "Who" their speakers.
TALK_AND_WHO = """\
# Talks schedule

## Tuesday, 3 June 2025, 16:30 to 17:50

<table border="0">
<tr>
<td><b>Time</b></td>
<td><b>Talk</b></td>
<td><b>Who</b></td>
<td></td>
</tr>

<tr>
<td>16:30 - 16:50</td>
<td>Isambard-AI and Isambard 3: Democratising the User Experience for AI and simulation HPC</td>
<td>Richard Gilham</td>
<td><a href="https://durham.readthedocs.io/en/latest/hpcdays/talks.html#isambard">details</a></td>
</tr>

<tr>
<td>16:50 - 17:10</td>
<td>The HPC Hardware Lab at Durham University</td>
<td>Alastair Basden</td>
<td><a href="https://durham.readthedocs.io/en/latest/hpcdays/talks.html#the-hpc">details</a></td>
</tr>

</table>
"""


def test_a_column_headed_talk_beside_one_of_speakers_gives_the_titles() -> None:
    now = datetime(2025, 5, 1, tzinfo=UTC)
    talks = read(TALK_AND_WHO, "Europe/London", now).talks
    assert [(local(t, "Europe/London"), t.speakers, t.title) for t in talks] == [
        ("2025-06-03 16:30-16:50", ["Richard Gilham"], "Isambard-AI and Isambard 3: "
         "Democratising the User Experience for AI and simulation HPC"),
        ("2025-06-03 16:50-17:10", ["Alastair Basden"],
         "The HPC Hardware Lab at Durham University")]


# The same page further down: after the timetables, an "Abstracts" part that names each talk
# again under a heading, with no day or clock of its own.
ABSTRACTS_AFTER = TALK_AND_WHO + """
## Abstracts
### Isambard-AI and Isambard 3: Democratising the User Experience for AI and simulation HPC
**Who:** Richard Gilham, Bristol Centre for Supercomputing

**Abstract:** Isambard-AI and Isambard 3 offer a unique opportunity to rethink how we build \
supercomputers, from the data centre to the User Experience.

### The HPC Hardware Lab at Durham University
**Who:** Alastair Basden, Durham University

**Abstract:** The Durham HPC Hardware Lab is hosted by the DiRAC COSMA HPC facility.
"""


def test_an_abstracts_part_after_the_timetable_gives_the_timed_talks_their_abstracts() -> None:
    now = datetime(2025, 5, 1, tzinfo=UTC)
    talks = read(ABSTRACTS_AFTER, "Europe/London", now).talks
    assert [local(t, "Europe/London") for t in talks] == ["2025-06-03 16:30-16:50",
                                                          "2025-06-03 16:50-17:10"]
    assert talks[0].abstract.startswith("Isambard-AI and Isambard 3 offer a unique")
    assert talks[1].abstract == "The Durham HPC Hardware Lab is hosted by the DiRAC COSMA " \
                                "HPC facility."


# ilectra/durham docs/hpcdays/keynotes.md (commit 214b9d02): one section per keynote, the
# speaker's heading over the title's, then the day and time, then "Abstract" and "Short bio"
# headings; the next keynote's section opens with a heading as high as the first.
SECTIONS = """\
## Cristin Merritt (Chief Marketing Officer - Alces Flight Ltd.)
<img width="200px" src="https://hanami-project.com/wp-content/uploads/2024/08/14.png" />

### Finding the Fulcrum: Rethinking Supercomputing at Scale

**Wednesday, 4th June 2025, 9:00 - 9:45**

### Abstract

When we talk about supercomputing "at scale," the conversation usually centers on raw
performance.

### Short bio

Cristin Merritt, Head of Communications at Alces Flight, brings over two decades of
experience in technology.

## Prof Dr Philipp Neumann

### Title: Molecular Simulation in Process Engineering

**Thursday, 5th June 2025, 9:00 - 9:45**

### Abstract

For more than a decade, a consortium formed by experts in scientific computing.

## Thomas Gruber (Regionales RechenZentrum Erlangen - RRZE)

### Unleash the control freak in yourself for fun and profit - and for science!

**Thursday, 5th June 2025, 15:30 - 16:15**

### Abstract

Performance measurements and benchmarks are comparable to experiments in laboratories.
"""


def test_a_section_per_talk_opening_with_the_speakers_heading_is_one_talk_each() -> None:
    talks = read(SECTIONS, "Europe/London", datetime(2025, 5, 1, tzinfo=UTC)).talks
    assert [(local(t, "Europe/London"), t.speakers, t.affiliation, t.title) for t in talks] \
        == [("2025-06-04 09:00-09:45", ["Cristin Merritt"],
             "Chief Marketing Officer - Alces Flight Ltd.",
             "Finding the Fulcrum: Rethinking Supercomputing at Scale"),
            ("2025-06-05 09:00-09:45", ["Philipp Neumann"], None,
             "Molecular Simulation in Process Engineering"),
            ("2025-06-05 15:30-16:15", ["Thomas Gruber"],
             "Regionales RechenZentrum Erlangen - RRZE",
             "Unleash the control freak in yourself for fun and profit - and for science!")]
    assert talks[0].abstract.startswith("When we talk about supercomputing")
    assert talks[1].abstract.startswith("For more than a decade")


# The same page's opening: "Keynote Speakers" heads the page like a "Speakers:" label, so the
# first heading under it is read as the speaker; the heading after that is the title alone.
UNDER_SPEAKERS = """\
# Keynote Speakers


## Rich Knepper (CASC)
<img width="200px" src="https://news.cornell.edu/sites/default/files/knepper_head_shot.jpg" />

### The changing shape of science funding in the U.S.

**Tuesday, 3rd June 2025, 15:45 - 16:30**

## Abstract

Since the new U.S. leadership took office in January 2025, a number of sweeping changes
have been announced.
"""


def test_the_heading_the_speaker_was_read_from_is_not_part_of_the_title() -> None:
    [talk] = read(UNDER_SPEAKERS, "Europe/London", datetime(2025, 5, 1, tzinfo=UTC)).talks
    assert (local(talk, "Europe/London"), talk.speakers, talk.affiliation, talk.title) == (
        "2025-06-03 15:45-16:30", ["Rich Knepper"], "CASC",
        "The changing shape of science funding in the U.S.")


# ilectra/durham docs/hpcdays/workshops.md (commit 214b9d02): a workshop's slot line gives
# its time in two parts, the second after a coffee break or hours later.
TWO_PART_SLOTS = """\
## Tuesday, 3rd June 2025

### DiRAC RSEs
**Convener: Ilektra Christidi (UCL)**
- 13:30 - 15:00 and 16:30 - 18:00

Join us for 4 x 20-minute talks, speakers to be confirmed.

## Friday, 6 June 2025

### Computational Biosciences
**Conveners: Christopher Marcotte (Durham) and Gokberk Kabacaoglu (Durham)**
- 9:30 - 10:30 and 11:00 - 12:30

Join us for 5 x 25-minute talks from the following speakers:
- Maria Secrier (University College London)
"""


def test_a_slot_line_of_two_ranges_is_one_time_not_a_time_and_a_title() -> None:
    talks = read(TWO_PART_SLOTS, "Europe/London", datetime(2025, 5, 1, tzinfo=UTC)).talks
    assert [local(t, "Europe/London") for t in talks] == ["2025-06-03 13:30-15:00",
                                                          "2025-06-06 09:30-12:30"]
    assert not any(t.title.startswith("and ") for t in talks)  # was "and 16:30 - 18:00"


# ZJUVAI/blog source/_posts/2013-8-29-UC-Davis马匡六教授受聘浙大讲座教授仪式暨学术报告.md (commit
# 4e9afb07): labels padded to the width of three characters with an ideographic space.
PADDED_LABELS = """\
---
title: UC Davis马匡六教授受聘浙大讲座教授仪式暨学术报告
date: 2013-8-29
---

**题　目：** Advanced Visualization Techniques for Scientific Research and Education

**时　间：**2013 年 9 月 2 日上午 10:00

**地　点：**浙江大学紫金港校区蒙民伟楼国际会议中心 223 室

**报告人：** 马匡六 教授（Prof. Kwan-Liu Ma ）

**主持人：**陈为 博士
"""
# A notice of South China University of Technology (www2.scut.edu.cn info86452.htm) as a
# crawler stored it in a SQL dump on GitHub (search index file 10999244797): "报 告 人".
SPACED_LABELS = "报告题目：感知社会化数据的可视分析\r\n报 告 人：巫英才博士\r\n" \
    "报告时间：2013年11月11日（星期一）下午15:30-17:00 \r\n" \
    "报告地点：华南理工大学南校区（大学城）A4-204\r\n"


def test_labels_spaced_out_between_their_han_characters_are_read() -> None:
    [talk] = read(PADDED_LABELS, "Asia/Shanghai", datetime(2013, 8, 29, tzinfo=UTC)).talks
    assert (local(talk, "Asia/Shanghai"), talk.location, talk.chair) == (
        "2013-09-02 10:00", "浙江大学紫金港校区蒙民伟楼国际会议中心 223 室", "陈为")
    assert talk.title.startswith("Advanced Visualization Techniques")
    [talk] = read(SPACED_LABELS, "Asia/Shanghai", datetime(2013, 11, 1, tzinfo=UTC),
                  kind="announcement").talks
    assert (local(talk, "Asia/Shanghai"), talk.title, talk.speakers) == (
        "2013-11-11 15:30-17:00", "感知社会化数据的可视分析", ["巫英才"])
