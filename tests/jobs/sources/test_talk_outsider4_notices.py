"""Talk times and pasted announcements a fourth outsider found on GitHub (the pages are in
test_talk_outsider4.py): each document here is cut down from a real one, named above it."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.jobs.sources.talk_helpers import local, read

# siddhartha-gadgil/DeptWeb _seminars/2019/2019-11-13-harald-upmeier.md (commit b5d2cf38): one
# lecture ("I plan to divide these lectures into four parts") in two sessions with a break;
# _seminars/2019/2019-09-25-martin-kreuzer.md: two lectures hours apart in two rooms.
TWO_PARTS = """\
---
speaker: Harald Upmeier (Universität Marburg, Germany; InfoSys Chair Professor, IISc)
title: Automorphic Forms in Several Complex Variables
date: 13 November 2019
time: 2:30-3:30 pm and 4-5 pm
venue: LH-1, Mathematics Department
series: "APRG Seminar"
---

I plan to divide these lectures into four parts:
"""
TWO_LECTURES = TWO_PARTS.replace("2:30-3:30 pm and 4-5 pm",
                                 "11 am – 12 pm (LH-5) and 3:30 – 4:30 pm (LH-1)")


def test_a_talk_in_two_parts_with_a_break_ends_with_its_second_part() -> None:
    now = datetime(2019, 11, 1, tzinfo=UTC)
    [talk] = read(TWO_PARTS, "Asia/Kolkata", now, kind="announcement").talks
    assert local(talk, "Asia/Kolkata") == "2019-11-13 14:30-17:00"
    [talk] = read(TWO_LECTURES, "Asia/Kolkata", now, kind="announcement").talks
    assert local(talk, "Asia/Kolkata") == "2019-11-13 11:00-12:00"


# siddhartha-gadgil/DeptWeb sources/m-seminar/2007/12/14/116d72aeed92a2fd.eml (commit
# b5d2cf38), pasted as a mail client shows it: the day under "Day & Date", a label 188 of the
# archive's announcements use.
DAY_AND_DATE = """\
From: gadgil@math.iisc.ernet.in
Date: Fri, 14 Dec 2007 10:55:17 +0000
Subject: Reminder : Maths : Today : Seminar - "The Newton Polygon"
To: broadcast@ece.iisc.ernet.in

                              DEPARTMENT  OF  MATHEMATICS
                                I.I.Sc.,  BANGALORE - 12

                                  SEMINAR  ANNOUNCEMENT

      Speaker              : Prof. Sriram Abhyankar,
 \t\t\t\tPurdue Universtiy

      Title \t\t  : The Newton Polygon

      Day & Date           : Friday, December 14.

      Time                 : 4.00 p.m.

      Venue                :  Lecture  Hall -  I
                              Dept. of  Mathematics

                      All  interested  are  Welcome
"""


def test_a_day_and_date_label_gives_the_talks_day() -> None:
    now = datetime(2007, 12, 14, 11, tzinfo=UTC)
    [talk] = read(DAY_AND_DATE, "Asia/Kolkata", now, kind="announcement").talks
    assert (talk.title, talk.speakers) == ("The Newton Polygon", ["Sriram Abhyankar"])
    assert local(talk, "Asia/Kolkata") == "2007-12-14 16:00"
    assert talk.location == "Lecture Hall - I, Dept. of Mathematics"  # no layout spaces


def test_no_break_spaces_padding_a_mail_are_not_part_of_its_values() -> None:
    # sources/m-seminar/2009/12/28/125d52884069daf2.eml: the same form, padded with U+00A0.
    text = DAY_AND_DATE.replace("      Venue                :  Lecture  Hall -  I",
                                "\u00a0 \u00a0 Venue \u00a0 \u00a0 : \u00a0Lecture"
                                " \u00a0Hall - \u00a0I")
    [talk] = read(text, "Asia/Kolkata", datetime(2007, 12, 14, tzinfo=UTC),
                  kind="announcement").talks
    assert talk.location == "Lecture Hall - I, Dept. of Mathematics"


# nik-nul/Nanna_News---LTS md/2024-10-16.md (commit 914000aa), its "讲座" section: a numbered
# list of talks, each item's heading on the line after the last field of the one before it
# (markdown hard breaks, dropped here; no blank lines); item 2 names its teacher with no
# known label.
NUMBERED = """\
1.孙本文社会学论坛（第288）期
题目：第二现代性与儒学的现代化
主讲人：韩相震
时间：10月21日（周一）下午15:00-16:30
地点：仙林社会学院河仁楼324
2.《创业期税务筹划与热点问题解读》
授课导师：李杰，美国注册管理会计师、中国税务师、建行大学华东学院讲师
时间：2024.10.20（周日）9：00-11：50
地点：众创空间422教室
内容简介：基于最新税收法规和国内目前实际情况，解读创业期需重点关注的个税、企业所得税、增值税相关税收政策。
3、《生成式AI行业应用及创新的讲座》
主讲人：缪玉峰，微软（亚洲）互联网工程院工业元宇宙应用中心负责人，微软亚太研发集团首席产品总监。
时间：2024.10.20（周日）13：20-17：00
地点：众创空间422教室
内容简介：深入探讨生成式AI的行业应用及其创新实践
4、斯密论坛 第518期
主题：大国竞争与世界秩序重构
报告人：鞠建东，清华大学五道口金融学院讲席教授
时间：2024年10月18日（周五）15:00
地点：安中楼312 腾讯会议900-755-556
"""


def test_each_item_of_a_numbered_list_is_its_own_talk() -> None:
    now = datetime(2024, 10, 16, tzinfo=UTC)
    talks = read(NUMBERED, "Asia/Shanghai", now, kind="announcement").talks
    assert [(talk.title, talk.speakers, talk.location, local(talk, "Asia/Shanghai"))
            for talk in talks] == [
        ("第二现代性与儒学的现代化", ["韩相震"], "仙林社会学院河仁楼324", "2024-10-21 15:00-16:30"),
        ("创业期税务筹划与热点问题解读", [], "众创空间422教室", "2024-10-20 09:00-11:50"),
        ("生成式AI行业应用及创新的讲座", ["缪玉峰"], "众创空间422教室", "2024-10-20 13:20-17:00"),
        ("大国竞争与世界秩序重构", ["鞠建东"], "安中楼312 腾讯会议900-755-556", "2024-10-18 15:00")]


# int-prob/int-prob-code vipss2019/schedule.md (commit 5dddfe05): a summer school's
# programme; the year only in the heading of its dates, the days under it without one.
PROGRAMME = """\
---
layout: default
title: Virginia Integrable Probability Summer School 2019
---

# Virginia Integrable Probability Summer School 2019

### Monday, May 27 to Saturday, June 8, 2019

## Week 1, May 27-31, 2019 (Monday - Friday)

##### Thursday, May 30

- 9:00 - 10:30 Lecture (W3)
- 2:00 - 3:00 Research talk: Marianna Russkikh (University of Geneva) - Dimers and embeddings
"""


def test_the_year_of_a_programme_is_the_one_its_heading_of_dates_gives() -> None:
    talks = read(PROGRAMME, "America/New_York", datetime(2026, 12, 4, tzinfo=UTC)).talks
    assert [local(talk, "America/New_York") for talk in talks] == [
        "2019-05-30 09:00-10:30", "2019-05-30 14:00-15:00"]


# int-prob/int-prob-code conference2018/schedule.md (commit 5dddfe05): slots "11.30 - 12.30
# &bull; <strong>Name</strong>", the title folded in a <summary> over its abstract.
BULLETED_SLOTS = """\
<html><body>
<h3>Integrable Probability Boston 2018</h3>
<h4>Monday, May 14, 2018</h4>
<ol>
  <li>11.30 - 12.30 &bull; <strong>Patrik Ferrari</strong>
  <details>
  <summary>On the time-time correlations close to the characteristic line</summary>
  <div>We consider the time correlations for KPZ growth models in 1+1 dimensions.</div>
  </details>
  </li>
  <li>2.30 - 3.30 &bull; <strong>Atsuo Kuniba</strong>
  <details>
  <summary>Aspects of stationary states in multispecies exclusion</summary>
  <div>TBA</div>
  </details>
  </li>
</ol>
</body></html>
"""


def test_a_slot_parted_from_its_speaker_by_a_bullet() -> None:
    talks = read(BULLETED_SLOTS, "America/New_York", datetime(2018, 5, 1, tzinfo=UTC)).talks
    assert [(talk.title, talk.speakers, local(talk, "America/New_York")) for talk in talks] == [
        ("On the time-time correlations close to the characteristic line", ["Patrik Ferrari"],
         "2018-05-14 11:30-12:30"),
        ("Aspects of stationary states in multispecies exclusion", ["Atsuo Kuniba"],
         "2018-05-14 14:30-15:30")]
