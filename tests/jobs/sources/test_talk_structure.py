"""How a talk page's structure is read: day -> session -> talk, slots, tables, posts, prose.

Each document here is shaped like one seen in the wild, named above it; the real ones are in
../shared/corpus/realworld (tests/test_realworld.py runs the acceptance check over them).
"""

from __future__ import annotations

from datetime import UTC, datetime

from jobs.sources import announcement, seminar_page

NOW = datetime(2026, 11, 30, tzinfo=UTC)


def page(text: str, *, tz: str = "Asia/Shanghai", now: datetime = NOW,
         content_type: str | None = None):
    return seminar_page.parse(text.encode(), "src", timezone=tz, now=now,
                              content_type=content_type)


def local(talk, tz: str = "Asia/Shanghai") -> str:
    from zoneinfo import ZoneInfo
    start = talk.start.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")
    end = talk.end.astimezone(ZoneInfo(tz)).strftime("%H:%M") if talk.end else None
    return f"{start}-{end}"


# A Hugo session page of a statistics workshop (ML-Stat 2023's content/Schedule/sessions):
# the day on its own line, a session block, then speaker rows with no "Speaker:" label.
CONFERENCE = """\
---
title: "Complex Data Analysis"
summary: "1:30 p.m. — 3:00 p.m., Saturday, Aug. 26, 2023"
tags: "s4-2"
---

Saturday, Aug. 26, 2023
------

<div class="tip">
    Session: <span class="font-bold">Complex Data Analysis</span>
</div>
<div class="tip">
    Time: 1:30 p.m. — 3:00 p.m.
</div>
<div class="tip">
    Location: 华东师范大学普陀校区 文史楼203
</div>
<div class="tip">
    Session Chair: Shurong Zheng, Northeast Normal University
</div>

________________________________________

<html><head><title>A template's leftover title</title></head><body>
    <div class="row"><div class="container">
        <div class="name-bar">Xiwen Qin</div>
        <div class="institute">Changchun University of Technology</div>
        <div class="title">Title: Time Series Classification Based on Deep Forest</div>
        <div class="abstract"><strong>Abstract:</strong> We construct a new method.</div>
    </div></div>
    <div class="row"><div class="container">
        <div class="name-bar">Jingru Zhang</div>
        <div class="institute">Fudan University</div>
        <div class="title">Title: Graph-Based Two-Sample Tests</div>
        <div class="abstract"><strong>Abstract:</strong> Repeated observations abound.</div>
    </div></div>
</body></html>
"""


def test_a_conference_session_gives_its_day_time_and_room_to_each_talk() -> None:
    result = page(CONFERENCE, now=datetime(2023, 8, 1, tzinfo=UTC))
    assert [(t.speakers, t.affiliation, t.title) for t in result.talks] == [
        (["Xiwen Qin"], "Changchun University of Technology",
         "Time Series Classification Based on Deep Forest"),
        (["Jingru Zhang"], "Fudan University", "Graph-Based Two-Sample Tests"),
    ]
    for talk in result.talks:
        assert local(talk) == "2023-08-26 13:30-15:00"
        assert talk.location == "华东师范大学普陀校区 文史楼203"
        assert talk.chair == "Shurong Zheng"
        assert talk.abstract and talk.abstract.startswith(("We", "Repeated"))
    assert result.warnings == []  # the day and the session are headings, not skipped talks


# A university forum's programme: the whole day is given once (9:00-17:30), then each talk
# has its own slot line, a bold title and the speaker (the shape the issue saw on a forum page).
FORUM = """\
<html><body>
<h2>第三届可视分析论坛</h2>
<p>时间：2026年12月18日 9:00–17:30</p>
<p>地点：紫金港校区蒙民伟楼 402</p>
<h3>日程</h3>
<p>10:20-10:50 开幕致辞</p>
<p>10:50-11:20 <b>Visual Analytics of Urban Mobility</b><br>Jane Doe (MIT)</p>
<p>11:20-11:50 <b>图神经网络的可解释性</b><br>王小明，浙江大学</p>
</body></html>
"""


def test_slot_lines_beat_the_whole_day_given_above_them() -> None:
    talks = page(FORUM).talks
    assert [t.title for t in talks] == ["Visual Analytics of Urban Mobility",
                                        "图神经网络的可解释性"]  # no whole-day talk, no opening
    by_title = {t.title: t for t in talks}
    mobility = by_title["Visual Analytics of Urban Mobility"]
    assert local(mobility) == "2026-12-18 10:50-11:20"
    assert mobility.speakers == ["Jane Doe"] and mobility.affiliation == "MIT"
    assert mobility.location == "紫金港校区蒙民伟楼 402"
    graph = by_title["图神经网络的可解释性"]
    assert local(graph) == "2026-12-18 11:20-11:50"
    assert graph.speakers == ["王小明"] and graph.affiliation == "浙江大学"
    assert not any("9:00" in local(t) for t in talks)


# A Hexo blog post (ZJU VAG's source/_posts): the front matter is the post's, the talk is in
# the body, with full-width colons and a date that leaves the year out.
HEXO_POST = """\
---
title: "关于中南大学王璞教授学术报告的通知"
tags: ["其他"]
date: 2014-12-02
author: admin
---

**时间：**12月12日星期五上午10：30
**地点：**浙大紫金港校区CAD&CG国家重点实验室402室
**报告人：**王璞　教授
**主持人：**陈为　教授
**报告题目**：基于手机数据的拥堵车源定位
"""


def test_a_posts_front_matter_is_not_a_talk_and_its_date_settles_the_year() -> None:
    # Read twelve years later: the year comes from the post's date, not from now.
    result = announcement.parse(HEXO_POST, "src", timezone="Asia/Shanghai", now=NOW)
    [talk] = result.talks
    assert local(talk) == "2014-12-12 10:30-None"
    assert talk.title == "基于手机数据的拥堵车源定位"
    assert talk.speakers == ["王璞"] and talk.chair == "陈为"
    assert talk.location == "浙大紫金港校区CAD&CG国家重点实验室402室"


# A Jekyll seminar collection (IISc Mathematics' _seminars): the front matter is the talk.
JEKYLL_TALK = """\
---
speaker: Md. Irfan Habib (Technical University of Munich, Germany)
title: "The combinatorics of the graded embeddings for Lie (super)algebras"
date: 24 Aug, 2026
time:  3 – 5 pm (with a 15 minute break in between)
start_time: 15:00
venue: LH-1, Mathematics Department
series: "Algebra & Combinatorics Seminar"
---
We study the graded embeddings of Lie algebras.

Keywords: Lie superalgebras, gradings
"""


def test_front_matter_that_names_a_speaker_is_the_talk_and_its_body_the_abstract() -> None:
    [talk] = announcement.parse(JEKYLL_TALK, "src", timezone="Asia/Kolkata", now=NOW).talks
    assert local(talk, "Asia/Kolkata") == "2026-08-24 15:00-17:00"
    assert talk.speakers == ["Md. Irfan Habib"]
    assert talk.affiliation == "Technical University of Munich, Germany"
    assert talk.title == "The combinatorics of the graded embeddings for Lie (super)algebras"
    assert talk.location == "LH-1, Mathematics Department"
    assert talk.series == "Algebra & Combinatorics Seminar"
    assert talk.abstract.startswith("We study the graded embeddings")
    assert talk.abstract.endswith("Keywords: Lie superalgebras, gradings")


def test_front_matter_aliases_are_not_expanded() -> None:
    bomb = "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a]\n" \
           "speaker: *b\n---\nTime: 2026-12-03 15:00\nSpeaker: Jane Doe\nTitle: Real\n"
    [talk] = announcement.parse(bomb, "src", timezone="UTC", now=NOW).talks
    assert talk.title == "Real" and talk.speakers == ["Jane Doe"]


# The SUSTech DB group's seminar list and many department pages: a table of talks.
TABLE = """\
<table>
<tr><th>Date</th><th>Time</th><th>Speaker</th><th>Title</th><th>#</th></tr>
<tr><td>2026-12-03</td><td>15:00-16:00</td><td>Jane Doe (MIT)</td>
    <td><a href="https://example.org/t1">Sparse Transformers</a></td><td>1</td></tr>
<tr><td>2026-12-10</td><td>15:00-16:00</td><td>李雷</td><td>图上的学习</td><td>2</td></tr>
</table>
"""


def test_a_table_of_talks_reads_row_by_row_under_its_header() -> None:
    talks = page(TABLE, tz="UTC").talks
    assert [(local(t, "UTC"), t.speakers, t.title) for t in talks] == [
        ("2026-12-03 15:00-16:00", ["Jane Doe"], "Sparse Transformers"),
        ("2026-12-10 15:00-16:00", ["李雷"], "图上的学习"),
    ]
    assert talks[0].url == "https://example.org/t1"


def test_a_talk_with_a_day_but_no_time_is_skipped_with_its_line_named() -> None:
    text = "Seminars\n\nDate: 2026-12-03\nSpeaker: Jane Doe\nTitle: Sparse Transformers\n"
    result = page(text, tz="UTC", content_type="text/plain")
    assert result.talks == []
    assert any("line 3" in w and "no time of day" in w for w in result.warnings)


def test_warnings_name_the_line_of_the_markdown_post() -> None:
    text = "---\ntitle: Post\ndate: 2026-11-01\n---\n\n# Seminar\n\nSpeaker: Jane Doe\n" \
           "Title: A talk with no time\n"
    result = announcement.parse(text, "src", timezone="UTC", now=NOW)
    assert result.talks == []
    assert any("line 8" in w for w in result.warnings), result.warnings


def test_an_unknown_label_ends_the_field_before_it_and_quotes_leave_titles() -> None:
    text = ("Time: 2026-12-03 15:00-16:00\nSpeaker: Jane Doe\nTitle: “Sparse Transformers”\n"
            "Sponsor: The Lab\nVenue: Room 101\n\nAbstract: We sparsify.\n"
            "Keywords: attention, sparsity\n")
    [talk] = page(text, tz="UTC", content_type="text/plain").talks
    assert talk.title == "Sparse Transformers"
    assert talk.location == "Room 101"
    assert "Keywords: attention" in talk.abstract  # keywords belong to the abstract


def test_labels_read_in_both_languages() -> None:
    text = ("演讲题目：稀疏注意力\n时间：2026年12月3日 下午3:00-4:30\n演讲者：李雷\n"
            "Institution: 北京大学\n演讲摘要：我们研究稀疏注意力。\n系列：机器学习讲座\n")
    [talk] = page(text, content_type="text/plain").talks
    assert local(talk) == "2026-12-03 15:00-16:30"
    assert talk.affiliation == "北京大学"
    assert talk.abstract == "我们研究稀疏注意力。"
    assert talk.series == "机器学习讲座"


def test_a_talk_told_in_one_sentence_is_read_when_nothing_is_labelled() -> None:
    # The ZJU VAG blog's public lecture post, and an English department notice.
    chinese = ("## 张系国教授的公开演讲\n\n美国计算机专家、张系国教授将于 2026 年 12 月 17 日"
               "下午 2 点在浙江大学紫金港校区图书馆报告厅做一场有关“慢智能系统”的报告：\n")
    [talk] = announcement.parse(chinese, "src", timezone="Asia/Shanghai", now=NOW).talks
    assert local(talk) == "2026-12-17 14:00-None"
    assert talk.speakers == ["张系国"]
    assert talk.location == "浙江大学紫金港校区图书馆报告厅"
    english = ("Prof. Jane Doe will give a talk entitled \"Sparse Transformers\" at 4 pm on "
               "Monday, 14 December 2026 in Room 101 of the Maths Building.")
    [talk] = announcement.parse(english, "src", timezone="UTC", now=NOW).talks
    assert (local(talk, "UTC"), talk.speakers, talk.title, talk.location) == (
        "2026-12-14 16:00-None", ["Jane Doe"], "Sparse Transformers", "Room 101")


def test_front_matter_yaml_refuses_is_read_line_by_line() -> None:
    # IISc's 2025-04-22 seminar: a tab inside the speaker's value, which YAML refuses.
    text = ("---\nspeaker: Ricardo Brasca, Université Paris Cité and Filippo Nuccio,\t"
            "Université Jean Monnet\ntitle: \"Formalising Class Groups\"\ndate: 22 Apr, 2025\n"
            "time: 2:30 pm\nvenue: LH-3\n---\nIn this joint talk we formalise class groups.\n")
    [talk] = announcement.parse(text, "src", timezone="Asia/Kolkata", now=NOW).talks
    assert local(talk, "Asia/Kolkata") == "2025-04-22 14:30-None"
    assert talk.title == "Formalising Class Groups"
    assert talk.speakers[:2] == ["Ricardo Brasca", "Filippo Nuccio"]
    assert talk.abstract == "In this joint talk we formalise class groups."


def test_a_table_of_talks_without_a_header_is_read_or_reported() -> None:
    # Lab seminar lists often have no header row: date | speaker | title.
    text = ("<table><tr><td>2026-12-03 15:00</td><td>Jane Doe (MIT)</td>"
            "<td><a href='https://e.org/1'>Sparse Transformers for Everyone</a></td></tr>"
            "<tr><td>Dec 10, 2026</td><td>李雷</td><td>图上的学习方法</td></tr>\n"
            "<tr><td>2026-12-17</td><td>4:00 pm</td><td>Ann Lee, Stanford</td><td>Graphs</td>"
            "</tr></table>")
    result = page(text, tz="UTC")
    assert [(local(t, "UTC"), t.speakers, t.affiliation, t.title) for t in result.talks] == [
        ("2026-12-03 15:00-None", ["Jane Doe"], "MIT", "Sparse Transformers for Everyone"),
        ("2026-12-17 16:00-None", ["Ann Lee"], "Stanford", "Graphs"),
    ]
    assert result.talks[0].url == "https://e.org/1"
    [skipped] = result.warnings
    assert "图上的学习方法" in skipped and "no time of day" in skipped
