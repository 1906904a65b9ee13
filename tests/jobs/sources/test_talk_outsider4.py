"""Seminar pages and talk posts a fourth outsider found on GitHub: each document here is cut
down from a real one, named above it, to the shape lectern misread."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.jobs.sources.talk_helpers import local, read

# vzvu3k6k/nlp-colloquium-jp.github.io _schedule/2022-10-05_keiji-shinzato.md (commit
# cd34efbd): a Jekyll talk collection whose front matter names the speaker `name`, the title
# `topic`, and the start as `date` with an offset run on to the seconds.
COLLECTION = """\
---
layout: talk
date: 2022-10-05 10:00:00+0900
name: 新里圭司
name_en: Keiji Shinzato
affiliation: "Rakuten Institute of Technology Americas"
topic: "Simple and Effective Knowledge-Driven Query Expansion for QA-Based Product Attribute \
Extraction"
abstract: "A key challenge in attribute value extraction (AVE) from e-commerce sites is how to \
handle a large number of attributes for diverse products."
display: true
---

[[スライド]](https://www.slideshare.net/rakutentech/simple-and-effective) (ACL 2022)
"""

# The same collection, _schedule/2023-04-19_riku-arakawa_hiromu-yakura.md: two speakers, the
# values written as HTML with footnote marks.
COLLECTION_HTML = """\
---
layout: talk
date: 2023-04-19 12:00:00+0900
name: <a href="https://rikky0611.github.io">Riku Arakawa</a><sup>1</sup>, \
<a href="https://yumetaro.info">Hiromu Yakura</a><sup>2</sup>
affiliation: <sup>1</sup>Carnegie Mellon University, <sup>2</sup>筑波大学
topic: "NLP for HCI: 人の行動変更を促すためのNLPベースのプロンプトの導入"
---
"""


def test_a_talk_collection_naming_its_speaker_name_is_a_talk() -> None:
    now = datetime(2022, 9, 1, tzinfo=UTC)
    [talk] = read(COLLECTION, "Asia/Tokyo", now).talks
    assert talk.title.startswith("Simple and Effective Knowledge-Driven Query Expansion")
    assert (talk.speakers, talk.affiliation) == (["新里圭司"],
                                                 "Rakuten Institute of Technology Americas")
    assert talk.start == datetime(2022, 10, 5, 1, 0, tzinfo=UTC)  # 10:00 at +09:00
    assert local(read(COLLECTION, "Europe/London", now).talks[0], "Asia/Tokyo") \
        == "2022-10-05 10:00"


def test_front_matter_values_written_as_html_are_read_as_their_text() -> None:
    [talk] = read(COLLECTION_HTML, "Asia/Tokyo", datetime(2023, 4, 1, tzinfo=UTC)).talks
    assert talk.speakers == ["Riku Arakawa", "Hiromu Yakura"]
    assert talk.affiliation == "Carnegie Mellon University, 筑波大学"
    assert local(talk, "Asia/Tokyo") == "2023-04-19 12:00"


# greleigh/Logic-GU _pages/MiL/colloquium.md (commit 439659ff): a list of talks under term
# headings; each item gives the day without a year and a range "10:15 - 12:00" before the room.
TERMS = """\
---
layout: page
title: "Colloquium in Logic: Schedule"
---

### Fall 2022

- 23 September, 10:15 - 12:00 (J406), **Vlad Lazar** on Aristotle's Term logic
- 9 December, **13:15 - 15:00** (J442) **Armand Feuilleaubois**

### Spring 2021

- 16 APR, FRI 10:15 – 12:00, Fredrik Engström on Dependence Logic
"""


def test_a_range_after_the_day_is_the_talks_time_and_a_term_heading_gives_the_year() -> None:
    talks = read(TERMS, "Europe/Stockholm", datetime(2026, 9, 1, tzinfo=UTC)).talks
    assert [local(talk, "Europe/Stockholm") for talk in talks] == [
        "2022-09-23 10:15-12:00", "2022-12-09 13:15-15:00", "2021-04-16 10:15-12:00"]
    assert talks[2].title == "Fredrik Engström on Dependence Logic"  # no "12:00, " left in it


# bostondataprivacy/bostondataprivacy.github.io talks.html (commit bbc0b636): a table of two
# cells a row, the day and time ("3-430 pm ET": 4:30 without its colon) beside the title with
# "Speaker:" and "Abstract:" under it; the year only in a row between terms.
TWO_CELL_ROWS = """\
<html><body><table class="table">
<tr><td colspan=3><center><strong>=== Fall 2023 ===</strong></center></td></tr>
<tr><td> Friday, December 8th, 3-430 pm ET </td>
<td><strong> On Provable Copyright Protection for Generative Models</strong><br>
<br> Speaker: <a href="https://nikhilvyas.github.io/">Nikhil Vyas, Harvard</a>
<br>
<br> Abstract: There is a growing concern that learned conditional generative models may output
samples that are substantially similar to some copyrighted data C.
</td></tr>
<tr><td colspan=3><center><strong>=== Spring 2022 ===</strong></center></td></tr>
<tr><td>Monday, February 14 at 11:15-12:30 ET</td>
<td><strong>Privatizing One-shot and Continual Observation Histograms</strong><br>
<br> Speaker: <a href="https://www2.math.upenn.edu/~ryrogers/">Ryan Rogers, LinkedIn</a>
<br><a href="https://youtu.be/zNfytmw5vMw">View recording here</a><br>
<br> Abstract: Member privacy is a priority at LinkedIn.
</td></tr>
</table></body></html>
"""


def test_a_row_giving_the_time_in_its_first_cell_and_the_talk_in_its_second() -> None:
    talks = read(TWO_CELL_ROWS, "America/New_York", datetime(2026, 9, 1, tzinfo=UTC)).talks
    assert [(talk.title, talk.speakers, talk.affiliation) for talk in talks] == [
        ("On Provable Copyright Protection for Generative Models", ["Nikhil Vyas"], "Harvard"),
        ("Privatizing One-shot and Continual Observation Histograms", ["Ryan Rogers"],
         "LinkedIn")]
    assert [local(talk, "America/New_York") for talk in talks] == [
        "2023-12-08 15:00-16:30", "2022-02-14 11:15-12:30"]


# METU-SIAM/metu-siam.github.io seminars.md (commit 9cf8174f): a Jekyll page of raw HTML event
# cards, nested by indentation and split by blank lines (kramdown reads each element to its
# closing tag); the card's badge "Seminar" stands before its date.
EVENT_CARDS = """\
---
title: Seminars
layout: page
---
## Past Seminars

<div class="events-grid">
  <div class="event-card">
    <div class="event-card-inner">
      <div class="event-image-wrapper">
        <img
          src="{{ '/assets/seminar/tugluk-seminar.jpg' | relative_url }}"
          alt="Whither data? seminar poster"
        />
      </div>

      <div class="event-content">
        <div class="event-meta">
          <span class="event-type">Seminar</span>
          <span class="event-date">December 11, 2025 &middot; 14:30–15:30</span>
        </div>

        <h3 id="whither-data-2025-12-12" class="event-title">
          Whither data? Scientific computing and compression in the exascale era
        </h3>

        <p class="event-speaker">
          <strong>Speaker:</strong> Ozan Tuğluk (Scientific Computing Program / IAM)
        </p>

        <p class="event-venue">
          <strong>Venue:</strong> Institute of Applied Mathematics (IAM), Seminar Room (S-212)
        </p>

        <details class="event-abstract">
          <summary>Abstract </summary>
          <p>
            Rapidly evolving high performance computing resources result in an exponential
            increase in data storage demands.
          </p>
        </details>
      </div>
    </div>
  </div>
</div>
"""


def test_raw_html_cards_indented_across_blank_lines_are_read_as_html() -> None:
    [talk] = read(EVENT_CARDS, "Europe/Istanbul", datetime(2025, 9, 1, tzinfo=UTC)).talks
    assert talk.title == "Whither data? Scientific computing and compression in the exascale era"
    assert (talk.speakers, talk.affiliation) == (["Ozan Tuğluk"],
                                                 "Scientific Computing Program / IAM")
    assert talk.location == "Institute of Applied Mathematics (IAM), Seminar Room (S-212)"
    assert talk.abstract.startswith("Rapidly evolving high performance computing")
    assert local(talk, "Europe/Istanbul") == "2025-12-11 14:30-15:30"


# durham-qlm/durham-qlm.github.io events/ICAP_satellite.md (commit e313e6b2): a meeting's
# registration fees, a deadline in each row's first cell; no row is a talk.
FEES = """\
---
layout: page
title: Dipolar Quantum Matter
subtitle: An ICAP28 Satellite Meeting
---
Starting with lunch on Monday 22nd July and ending with lab tours on the afternoon of Wednesday
24th July, there will be a mixture of invited and hot-topic speakers, discussion sessions, a
poster evening (Tuesday) and conference banquet (Monday). <br>
## Registration
The registration fee includes the conference dinner on the Monday evening. <br>
|   |Full delegate |Student delegate |
|:---  | :----: |  --: |
|Standard Rate (Until April 30th 2024) | £200 | £150|
| Late Rate (Until June 30th 2024) | £250 | £200|
|On-site registration | £350 | £300|

## Invited speakers
To be updated continuously.<br>
"""


def test_a_fee_table_with_deadlines_is_no_list_of_talks() -> None:
    assert read(FEES, "Europe/London", datetime(2024, 1, 1, tzinfo=UTC)).talks == []


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
