"""Seminar pages and programmes a sixth outsider found on GitHub: each document here is cut
down from a real one, named above it."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.jobs.sources.talk_helpers import local, read

# efficiencyplustrials/efficiencyplustrials.github.io Reading_group/schedule/reading_schedule.md
# (commit 7367dbdf): a reading group's table headed "Topic/Paper"; two rows still hold the
# template's placeholders. Cells unpadded, notes and a link's attributes cut.
TOPIC_OR_PAPER = """\
# SWG-Wide Reading Group Schedule

## **Reading Schedule**

| **Date** | **Time** | **Topic/Paper** | **Presenter** | **Notes** |
| --- | --- | --- | --- | --- |
| 2025-11-10 | 10-11 AM | Enrollment Prediction | Vlad Anisimov | Modern Technologies ... |
| 2025-11-21 | 10-11 AM | Clinical Supply Chain | Christi Kleoudis | Brief description. |
| YYYY-MM-DD | HH:MM AM/PM | <a href="#">Paper Title 3</a> | Name 3 | Brief description. |
"""


def test_a_column_headed_topic_or_paper_gives_the_titles() -> None:
    now = datetime(2025, 10, 1, tzinfo=UTC)
    result = read(TOPIC_OR_PAPER, "America/New_York", now)
    assert [(local(t, "America/New_York"), t.speakers, t.title) for t in result.talks] == [
        ("2025-11-10 10:00-11:00", ["Vlad Anisimov"], "Enrollment Prediction"),
        ("2025-11-21 10:00-11:00", ["Christi Kleoudis"], "Clinical Supply Chain")]
    assert any("YYYY-MM-DD" in warning for warning in result.warnings)


# Huber-group-EMBL/CSAMA_website content/programme.md (commit 624b511): a course's days as
# headings, each a table of rows "time | kind of slot | what and who" with no header.
COURSE_DAYS = """\
## Sunday, 11 June

<table class="programme">
\t<tbody>
\t\t<tr>
\t\t\t<td width="100ex">18:00–20:00</td>
\t\t\t<td>Registration &amp; Installation help desk</td>
\t\t</tr>
\t\t<tr>
\t\t\t<td>18:00–20:00</td>
\t\t\t<td>Get Together with drinks and nibbles</td>
\t\t</tr>
\t</tbody>
</table>

## Monday, 12 June

<table class="programme" width="850px">
\t<tbody>
\t\t<tr>
\t\t\t<td width="100ex">08:30–09:15</td>
\t\t\t<td width="90ex"><strong>Lecture 01</strong></td>
\t\t\t<td>Introduction to <a href="https://www.bioconductor.org">Bioconductor</a> (Lori Kern)</td>
\t\t</tr>
\t\t<tr bgcolor="#eeeeee">
\t\t\t<td>10:00–10:30</td>
\t\t\t<td colspan="2"><em>Coffee</em></td>
\t\t</tr>
\t\t<tr>
\t\t\t<td>13:30–14:00</td>
\t\t\t<td>&nbsp;</td>
\t\t\t<td>Installation help desk</td>
\t\t</tr>
\t\t<tr>
\t\t\t<td>14:00–17:00</td>
\t\t\t<td><strong>Lab</strong></td>
\t\t\t<td>R and Bioconductor Basics</td>
\t\t</tr>
\t\t<tr>
\t\t\t<td>20:10–22:00</td>
\t\t\t<td><strong>Evening session</strong></td>
\t\t\t<td>Drinks will be provided</td>
\t\t</tr>
\t\t<tr>
\t\t\t<td>21:15–22:00</td>
\t\t\t<td><strong>Follow-up discussions on the lawn</strong></td>
\t\t\t<td><ul>
\t\t\t</ul></td>
\t\t</tr>
\t</tbody>
</table>
"""


def test_a_cell_naming_the_kind_of_slot_is_no_part_of_the_title() -> None:
    now = datetime(2023, 5, 1, tzinfo=UTC)
    talks = read(COURSE_DAYS, "Europe/Rome", now).talks
    assert [(local(t, "Europe/Rome"), t.title, t.speakers) for t in talks] == [
        ("2023-06-12 08:30-09:15", "Introduction to Bioconductor", ["Lori Kern"]),
        ("2023-06-12 14:00-17:00", "R and Bioconductor Basics", [])]


def test_drinks_a_get_together_a_help_desk_and_discussions_are_no_talks() -> None:
    now = datetime(2023, 5, 1, tzinfo=UTC)
    titles = [t.title for t in read(COURSE_DAYS, "Europe/Rome", now).talks]
    assert not [title for title in titles if any(
        word in title for word in ("Get Together", "help desk", "Drinks", "discussions"))]


# lcc19941214/SJC-EnVersion academlist/1.php and 2.php (commit bbb43f5c): Wuhan University
# journalism school's English lecture notices, a breadcrumb link over the notice's heading,
# then "Expert:"/"Time"/"Location:" headings or "Main speaker：Prof.Name, Affiliation" lines.
BREADCRUMB = """\
<div class="m-content">
<p class="u-location">
<a href="/content/intro/welcome.php">Academics &amp; Research</a>
</p>
<h2>WHU, Media academic salon in autumn</h2>
<div class="u-text">
<h3>Expert:</h3>
<p> <strong>Wu Xinxun</strong>
, Dean of the Industrial Research Institute of Chinese Art, Shanghai University.
</p>
<h3>Host:</h3>
<p><strong>Prof. Lv Shangbin</strong></p>
<h3>Time</h3>
<p>7:30 p.m.-9：30 p.m. 30th,Oct.</p>
<h3>Location:</h3>
<p>Room 114</p>
</div>
</div>
"""
GLUED_TITLE = """\
<ul class="forum">
<p>Time: 3:00 p.m.-5:00 p.m.25th ,Sept.</p>
<p>Location: Auditorium 233</p>
<p>Theme: Digital Personality: human and non-human research on Internet</p>
<p>Main speaker：Prof.ZhengZhenming, Taiwan Culture University</p>
</ul>
"""


def test_a_breadcrumb_link_over_the_heading_is_not_the_title() -> None:
    talk, = read(BREADCRUMB, "Asia/Shanghai", datetime(2015, 9, 1, tzinfo=UTC)).talks
    assert (local(talk, "Asia/Shanghai"), talk.title, talk.location) == (
        "2015-10-30 19:30-21:30", "WHU, Media academic salon in autumn", "Room 114")


def test_a_title_glued_to_the_name_is_no_part_of_it() -> None:
    talk, = read(GLUED_TITLE, "Asia/Shanghai", datetime(2015, 9, 1, tzinfo=UTC)).talks
    assert (talk.speakers, talk.affiliation) == (["ZhengZhenming"], "Taiwan Culture University")


# Oh-MyBug/Credit_Lecture_System lecture/web/pages/lecture/lecture_msg.jsp (commit aa25cf6b,
# its first version, a filled-in lecture notice): its table copied from a browser and pasted,
# each row "label<tab>value"; the bio cut short, an audience row ("参加人员") added.
PASTED_ROWS = """\
数学与统计学院大学数学系列讲座

讲座题目\t新工科背景下的大学数学课程建设
主讲人\t李继成教授（西安交通大学）
讲座时间\t2019年7月26日15:00—16:00
讲座地点\t科技楼514
{row}
讲座内容\t欢迎感兴趣的师生参加！
"""


def test_pasted_table_rows_each_give_their_own_field() -> None:
    now = datetime(2019, 7, 1, tzinfo=UTC)
    for row in ("讲座人简介\t李继成，教授，博士生导师。", "参加人员\t全体师生"):
        talk, = read(PASTED_ROWS.format(row=row), "Asia/Shanghai", now, kind="ann").talks
        assert (local(talk, "Asia/Shanghai"), talk.title, talk.speakers, talk.location) == (
            "2019-07-26 15:00-16:00", "新工科背景下的大学数学课程建设", ["李继成"], "科技楼514")
    talk, = read(PASTED_ROWS.format(row="讲座人简介\t李继成，教授。"), "Asia/Shanghai", now,
                 kind="ann").talks
    assert talk.bio == "李继成，教授。"


# uk-oyss/uk-oyss.github.io pages/opening.md (commit 89f7b71d): a society's opening-day plan,
# its day said once, each item a numbered heading closing with its time in brackets. The
# style block cut.
TIME_IN_BRACKETS = """\
<h2 class="centered-title">活动流程计划</h2>

<p class="event-time">活动时间: 2023年11月27日</p>
<p class="event-location">活动地点: Shard，London</p>

<div class="event-section">
    <h3>01. 欢迎致辞与介绍 (13:00-13:30)</h3>
    <ul>
        <li class="event-item">绍协成立的背景和宗旨</li>
    </ul>
</div>

<div class="event-section">
    <h3>03. 研讨会与专题演讲 (13:50-14:30)</h3>
    <ul>
        <li class="event-item">邀请知名学者与青年学者进行互动研讨，分享最新研究成果和创新思想</li>
    </ul>
</div>

<div class="event-section">
    <h3>04. 社交交流与茶歇 (14:30-15:00)</h3>
</div>
"""


def test_a_heading_closing_with_its_time_in_brackets_is_a_slot() -> None:
    talks = read(TIME_IN_BRACKETS, "Europe/London", datetime(2023, 11, 1, tzinfo=UTC)).talks
    assert [(local(t, "Europe/London"), t.title, t.location) for t in talks] == [
        ("2023-11-27 13:50-14:30", "研讨会与专题演讲", "Shard，London")]


# The same programme's last rows and the heading after its table (a site template's list of
# lecturers under it is no text of the page).
AFTER_THE_TABLE = """\
## Friday, 16 June

<table class="programme" width="850px">
\t<tbody>
\t\t<tr>
\t\t\t<td>16:30-17:00</td>
\t\t\t<td><strong>Q&A</strong></td>
\t\t\t<td>Career panel (open questions for instructors)</td>
\t\t</tr>
        <tr>
\t\t\t<td>17:00</td>
\t\t\t<td>&nbsp;</td>
\t\t\t<td>Closing remarks</td>
\t\t</tr>
\t</tbody>
</table>


### Lecturers and Teaching Assistants

{{< lecturersList >}}
"""


def test_a_heading_after_the_table_is_not_the_last_rows_speaker() -> None:
    talks = read(AFTER_THE_TABLE, "Europe/Rome", datetime(2023, 5, 1, tzinfo=UTC)).talks
    assert [(local(t, "Europe/Rome"), t.title, t.speakers) for t in talks] == [
        ("2023-06-16 16:30-17:00", "Career panel (open questions for instructors)", [])]


# The gap the fifth round left in pasted announcements: a year out of range was dropped and
# the day read as the coming 31 December, with no warning. Four digits after a date that
# could be a clock ("31 December 1530") are left as they were.
def test_a_date_whose_year_is_out_of_range_is_not_read_as_this_year() -> None:
    now = datetime(2026, 12, 4, tzinfo=UTC)
    for when in ("31 December 9999 15:00", "December 31 3025, 15:00"):
        result = read(f"Title: Graph limits\nSpeaker: Jane Doe\nTime: {when}\n",
                      "Europe/London", now, kind="ann")
        assert not result.talks and result.warnings
    talk, = read("Title: Graph limits\nTime: 31 December 2026 15:00\n", "Europe/London", now,
                 kind="ann").talks
    assert local(talk, "Europe/London") == "2026-12-31 15:00"
