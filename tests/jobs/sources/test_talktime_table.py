"""talktime on spellings copied from real seminar pages and announcements, one row each.

A row is (phrase, start, end). `start` is local to the section's zone: "YYYY-MM-DD HH:MM" for
a date and time (parse_when), "YYYY-MM-DD" for a date alone (an all-day When, and read_date),
"HH:MM" for a clock alone (read_clock), or None where nothing must be read. `end` is "HH:MM"
(the next day if earlier than the start) or None. The comment above each group says where its
phrases were copied from: the shared corpus (../shared/corpus/realworld, ../shared/seeds) or
a public repository found with the code search (owner/repo and file).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from jobs.sources.talktime import month_first, parse_when, read_clock, read_date
from tests.jobs.sources.talktime_rows import WESTERN, section

TABLE = [
    *section("Asia/Shanghai", "2023-08-01 20:00", [
        # mlstat2023 (ML-Stat/ML-Stat_Web content/Schedule/sessions/*.md, corpus seminar-page)
        ("3:30 p.m. — 5:00 p.m.", "15:30", "17:00"),
        ("Time: 3:30 p.m. — 5:00 p.m.", "15:30", "17:00"),
        ("Time: 2:00 p.m. — 6:00 p.m.", "14:00", "18:00"),
        ("Time: 8:30 a.m. — 10:15 a.m.", "08:30", "10:15"),
        ("Time: 9:50 a.m. — 11:35 a.m.", "09:50", "11:35"),
        ("Time: 10:30 a.m. — 12:00 p.m.", "10:30", "12:00"),
        ("Time: 1:30 p.m. — 3:00 p.m.", "13:30", "15:00"),
        ("Friday, Aug. 25, 2023", "2023-08-25", None),
        ("Thursday, Aug. 24, 2023", "2023-08-24", None),
        ("Saturday, Aug. 26, 2023", "2023-08-26", None),
        ('summary: "2:00 p.m. — 6:00 p.m., Thursday, Aug 24, 2023"', "2023-08-24 14:00", "18:00"),
        ('summary: "3:30 p.m. — 5:00 p.m., Friday, Aug. 25, 2023"', "2023-08-25 15:30", "17:00"),
        ('summary: "10:30 a.m. — 12:00 p.m., Saturday, Aug. 26, 2023"', "2023-08-26 10:30",
         "12:00"),
        ("8:30 a.m. — 10:15 a.m., Saturday, Aug. 26, 2023", "2023-08-26 08:30", "10:15"),
        # joint ML seminar (../shared/seeds/joint-ml-seminar-page.txt)
        ("Time:2021-11-27   9:30-11:30", "2021-11-27 09:30", "11:30"),
        ("Time:2021-4-17,10:30-11:30", "2021-04-17 10:30", "11:30"),
        ("Time:2021-4-3,9:30-10:30", "2021-04-03 09:30", "10:30"),
        ("Time:2020-11-01 10:00 - 12:00", "2020-11-01 10:00", "12:00"),
        ("Time:2020-11-15, 10:00 - 12:00", "2020-11-15 10:00", "12:00"),
        ("Time:2021-5-9,9:30-11:30", "2021-05-09 09:30", "11:30"),
        ("Time:2021-7-31   9:30-11:30", "2021-07-31 09:30", "11:30"),
        # issue 11's list of spellings that must work
        ("3 – 5 pm", "15:00", "17:00"),
        ("15:30–17:00", "15:30", "17:00"),
        ("下午2:00-3:30", "14:00", "15:30"),
        ("10：30", "10:30", None),
        ("Dec. 3", "2023-12-03", None),
        ("12月3日", "2023-12-03", None),
        ("周三", "2023-08-02", None),
        ("星期五", "2023-08-04", None),
        ("14h00", "14:00", None),
        ("noon", "12:00", None),
        ("from 3 to 4 pm", "15:00", "16:00"),
        ("The talk will be held at 4pm on Monday, 12 May 2025 in room 101", "2025-05-12 16:00",
         None),
        ("2023-08-24T14:00", "2023-08-24 14:00", None),
        ("9:00–17:30", "09:00", "17:30"),
        ("10:50-11:20", "10:50", "11:20"),
        ("4.30pm", "16:30", None),
        ("Sept. 15th", "2023-09-15", None),
        ("15 Sep 2023", "2023-09-15", None),
        ("2023/8/24", "2023-08-24", None),
        ("8/24/2023", "2023-08-24", None),
        ("3/4/2023", "2023-04-03", None),  # outside the US: day first
        ("Thu 4 Sept", "2023-09-04", None),
        # zjuvag 2014-05-06 (ZJUVAI/blog source/_posts, a salon programme)
        ("15:00 – 16:00 浙江大学可视分析小组工作展示", "15:00", "16:00"),
        ("16:00 – 17:30 自由发言", "16:00", "17:30"),
        # zjuvag 2014-06-09 (a post's figure caption)
        ("3:00 am~ 6:00 am 的主题", "03:00", "06:00"),
        ("9:00 am~12:00 am 所有主题的 top30 街道", "09:00", "12:00"),
        # zjuvag 2020-06-11
        ("时间：2020-06-11 下午 4 点", "2020-06-11 16:00", None),
        # zjuvag 2016-04-26 and 2016-05-27
        ("时间：**2016年4月26日（星期二）9:00-17:30", "2016-04-26 09:00", "17:30"),
        ("时间：2016 年 5 月 27 日（星期五）", "2016-05-27", None),
        # zjuvag 2012-09-23 (title and prose, corpus seminar-page)
        ("2012年9月27日下午2点", "2012-09-27 14:00", None),
        ("（2012年9月27日下午2点在浙江大学紫金港校区图书馆农医分馆报告厅）", "2012-09-27 14:00",
         None),
        ("2012 年 9 月 27 日下午 2 点在浙江大学紫金港校区图书馆农医分馆报告厅做一场有关“科幻小说”",
         "2012-09-27 14:00", None),
        # zjuvag 2014-05-06, 2014-11-24
        ("2014 年 5 月 7 日下午 3 点", "2014-05-07 15:00", None),
        ("时间：2014 年 11 月 28 日上午 10 点 30 分", "2014-11-28 10:30", None),
        # zjuvag 2012-02-15 (a call for papers)
        ("日期：2012 年 10 月 17 日至 19 日", "2012-10-17", None),
        # icsob2025/icsob2025.github.io Schedule/index.md (a programme table)
        ("8:30 - 9:00", "08:30", "09:00"),
        ("9:20 - 10:30", "09:20", "10:30"),
        ("9:25am", "09:25", None),
    ]),
    # zjuvag posts, each read on the day it was posted: the weekday beside a date agrees.
    *section("Asia/Shanghai", "2012-06-16 09:00", [
        ("时间：　6月19日星期二上午9点", "2012-06-19 09:00", None),  # corpus 2012-06-16
    ]),
    *section("Asia/Shanghai", "2014-12-02 09:00", [
        ("**时间：**12月12日星期五上午10：30", "2014-12-12 10:30", None),  # corpus 2014-12-02
        ("12月12日（星期五）上午10：30", "2014-12-12 10:30", None),
    ]),
    *section("Asia/Shanghai", "2013-06-04 09:00", [
        ("时间：**6 月 6 日星期四下午 14：00", "2013-06-06 14:00", None),  # zjuvag 2013-06-04
    ]),
    *section("Asia/Shanghai", "2014-11-24 09:00", [
        ("11月28日上午", "2014-11-28", None),  # zjuvag 2014-11-24 title: a half day, no clock
    ]),
    *section("Asia/Shanghai", "2014-12-28 09:00", [
        ("**时间：**12 月 31 日上午 10：30", "2014-12-31 10:30", None),  # zjuvag 2014-12-28
    ]),
    *section("Asia/Shanghai", "2012-04-24 09:00", [
        ("时间：4 月 25 日下午 3 点", "2012-04-25 15:00", None),  # zjuvag 2012-04-24
    ]),
    *section("Asia/Shanghai", "2012-09-04 09:00", [
        ("报告时间：9月13日上午10点", "2012-09-13 10:00", None),  # zjuvag 2012-09-04
    ]),
    *section("Asia/Shanghai", "2016-04-20 09:00", [
        ("4 月 26 日上午 9 点", "2016-04-26 09:00", None),  # zjuvag 2016-04-26
        ("5 月 27 日（星期五）上午 09:30", "2016-05-27 09:30", None),  # zjuvag 2016-05-27
    ]),
    # iisc math (siddhartha-gadgil/DeptWeb _seminars/*/*.md front matter; corpus announcement)
    *section("Asia/Kolkata", "2023-08-01 12:00", [
        ("14 August, 2026", "2026-08-14", None),
        ("24 Aug, 2026", "2026-08-24", None),
        ("4 September, 2026", "2026-09-04", None),
        ("5 April, 2019", "2019-04-05", None),
        ("24 Jan, 2019", "2019-01-24", None),
        ("30th July 2019", "2019-07-30", None),
        ("05 December 2019", "2019-12-05", None),
        ("15 Jun, 2023", "2023-06-15", None),
        ("10th March 2023", "2023-03-10", None),
        ("31st March 2023", "2023-03-31", None),
        ("2014-5-30", "2014-05-30", None),
        ('"24 October, 2014"', "2014-10-24", None),
        ("15th March, 2018", "2018-03-15", None),
        ("22nd March, 2018", "2018-03-22", None),
        ("March 10, 2017", "2017-03-10", None),
        ("February 23, 2017 (Thursday)", "2017-02-23", None),
        ("Feb 16, 2017", "2017-02-16", None),
        ("August 09, 2017 (Wednesday)", "2017-08-09", None),
        ("29 Sept, 2021", "2021-09-29", None),
        ("21st October 2022", "2022-10-21", None),
        ("08 Feb 2024", "2024-02-08", None),
        ("03 Dec, 2025", "2025-12-03", None),
        ("3 pm", "15:00", None),
        ("11 am", "11:00", None),
        ("time: 10 am", "10:00", None),
        ("2:30 pm", "14:30", None),
        ("11:30 am", "11:30", None),
        ("time:  3 – 5 pm (with a 15 minute break in between)", "15:00", "17:00"),
        ("3 – 5 pm (with a 15 minute break at 3:45)", "15:00", "17:00"),
        ("2:30-3:30 pm and 3:45-4:45 pm", "14:30", "16:45"),  # one talk, two parts
        ("2:30-3:30 pm and 4-5 pm", "14:30", "17:00"),
        ("3:30 - 4:40 PM", "15:30", "16:40"),
        ("11 am – 12 pm (LH-5) and 3:30 – 4:30 pm (LH-1)", "11:00", "12:00"),  # two lectures
        ("3:15 – 5:15 pm (with a 15 minute break in between)", "15:15", "17:15"),
        ("2 PM", "14:00", None),
        ('"2 pm"', "14:00", None),
        ("4:00 pm", "16:00", None),
        ("10.30 AM", "10:30", None),
        ("11.30 am", "11:30", None),
        ("3:30 pm - 5:00 pm", "15:30", "17:00"),
        ('"3:30 - 4:30 p.m."', "15:30", "16:30"),
        ('"3:30 – 4:30 pm"', "15:30", "16:30"),
        ('"2 – 3 pm"', "14:00", "15:00"),
        ('"2:15 – 4:30 pm (with a 15 minute break at 3:15)"', "14:15", "16:30"),
        ('"11.00 a.m. - 12.00 noon"', "11:00", "12:00"),
        ('"3:00 - 4:00pm"', "15:00", "16:00"),
        ('"11:00 a.m. - 12:30 p.m."', "11:00", "12:30"),
        ('"11:30a.m. - 12:30 p.m."', "11:30", "12:30"),
        ('"11:00 a.m. - 12:00 p.m."', "11:00", "12:00"),
        ('"10 am and 2 pm"', "10:00", None),  # two talks: the first is read
        ('"3:30 pm to 4:30 pm"', "15:30", "16:30"),
        ('"11:00am - 12:00pm"', "11:00", "12:00"),
        ('"10.00 a.m."', "10:00", None),
        ('"2:00-3:00 pm"', "14:00", "15:00"),
        ('"(1) 2:00 - 2:45 p.m. (2) 3:15 - 4:00 p.m."', "14:00", "16:00"),
        ('"10:00am - :11:00am"', "10:00", None),  # a stray colon: the end is not read
        ('"4:00 p.m."', "16:00", None),
        ('"4 - 5 pm."', "16:00", "17:00"),
        ('"11.30 - 12.45"', "11:30", "12:45"),
        ('"4:00-5:00 p.m."', "16:00", "17:00"),
        ('"monday at 2:00 p.m. wednesday at 4:00 p.m."', "14:00", None),
        ('"4.00 p.m."', "16:00", None),
        ("3 - 5 pm", "15:00", "17:00"),
        ("4 – 5 pm", "16:00", "17:00"),
        ("11 am to 12:30 pm", "11:00", "12:30"),
        ("2:30 - 3:30 and 4 - 5 pm", "14:30", "17:00"),
        ("3:45 PM", "15:45", None),
        ("2 – 4:15 pm (with a 15 minute break in between)", "14:00", "16:15"),
        ("2 pm to 3:45 pm", "14:00", "15:45"),
        ("2.30 pm", "14:30", None),
        ("10 am – 12:15 pm (with a 15 minute break in between)", "10:00", "12:15"),
        ('"4:00 p.m.- 5:00 pm"', "16:00", "17:00"),
        ('"4:00 pm- 5.00 pm"', "16:00", "17:00"),
        ('"11:00 a.m. - 12:00 noon"', "11:00", "12:00"),
        ('"11:00 am- 12:00 noon"', "11:00", "12:00"),
        ('"11.00 am- 12.00 noon"', "11:00", "12:00"),
        ('"10:00 - 11:00 a.m."', "10:00", "11:00"),
        ('"11:00 a.m.- 12.00 noon."', "11:00", "12:00"),
        ('"11:30 am- 12:30 pm"', "11:30", "12:30"),
        ("3 – 4 and 4:15 – 5:15 pm", "15:00", "17:15"),
        ("2:15 – 3:15 pm", "14:15", "15:15"),
        ("3 – 4:55 pm (with a 15 minute break in between)", "15:00", "16:55"),
        ('"4-5 pm"', "16:00", "17:00"),
        ('"4:00 p. m."', "16:00", None),
        ('"3-4pm"', "15:00", "16:00"),
        ('"11am"', "11:00", None),
        ('"4:00 pm-5:00 pm"', "16:00", "17:00"),
        ('"11-12 am."', "11:00", "12:00"),  # the morning ends at noon
        ('"3:30- 4:30pm"', "15:30", "16:30"),
        ('"11: 30 a.m."', "11:30", None),
        ('"3.30 pm -4.30 pm"', "15:30", "16:30"),
        ('"4.00pm - 5.00pm"', "16:00", "17:00"),
        ('"11:00 a.m. to 12:30 p.m. (first lecture)"', "11:00", "12:30"),
        ('"11:30 a.m.-12:30 p.m."', "11:30", "12:30"),
        ('"3:00 – 3:50 pm"', "15:00", "15:50"),
        ('"2:30pm - 3:30pm"', "14:30", "15:30"),
        ('"11-12"', None, None),  # two bare numbers: could be pages, days or hours
        ('"11 a.m."', "11:00", None),
        ("2:15 – 4 pm (with a 15 minute break at 3)", "14:15", "16:00"),
        ("2–3:15 and 3:45–5 pm (with a 30 minute break in between)", "14:00", "17:00"),
        ("2:00-3:40 pm (with a 10 minute break 2:45-2:55)", "14:00", "15:40"),
        ("6:30 pm (**Non-standard time!**)", "18:30", None),
        ('"10.00 a.m. - 11.00 a.m."', "10:00", "11:00"),
        ('"4:00 pm- 5:00pm"', "16:00", "17:00"),
        ('"2:00pm"', "14:00", None),
        ('"4pm"', "16:00", None),
        ("04:00 pm", "16:00", None),
        ('"4 - 5pm"', "16:00", "17:00"),
        ('"11:30 am-12:30 pm"', "11:30", "12:30"),
    ]),
    *section("Asia/Kolkata", "2019-09-20 12:00", [  # a date typed without a year
        ("20 September", "2019-09-20", None),
        ("Sept 27", "2019-09-27", None),
    ]),
    *WESTERN,
]


@pytest.mark.parametrize(("zone", "now", "phrase", "start", "end"), TABLE)
def test_phrase(zone, now, phrase, start, end):
    if start is None:
        assert read_clock(phrase) is None
        assert parse_when(phrase, zone, now=now) is None
    elif len(start) == 5:
        assert read_clock(phrase) == (_time(start), _time(end) if end else None)
    elif len(start) == 10:
        when = parse_when(phrase, zone, now=now)
        assert when is not None and when.all_day and when.end is None
        assert when.start.astimezone(ZoneInfo(zone)) == _local(zone, start + " 00:00")
        today = now.date()
        assert read_date(phrase, today=today, month_first=month_first(zone)) == \
            date.fromisoformat(start)
    else:
        when = parse_when(phrase, zone, now=now)
        assert when is not None and not when.all_day
        begin = _local(zone, start)
        assert when.start.astimezone(ZoneInfo(zone)) == begin
        assert when.end == (_end(begin, end) if end else None)


def test_the_table_is_big_enough():
    assert len(TABLE) >= 150


def _time(text: str) -> time:
    return time.fromisoformat(text)


def _local(zone: str, text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone))


def _end(begin: datetime, text: str) -> datetime:
    end = begin.replace(hour=int(text[:2]), minute=int(text[3:]))
    return end + timedelta(days=1) if end <= begin else end
