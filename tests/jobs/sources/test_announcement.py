"""announcement.parse: one pasted e-mail or chat notice -> its talk(s)."""

from __future__ import annotations

from datetime import UTC, datetime

from jobs.sources import announcement

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)

EMAIL = """\
From: Seminar Admin <seminar-admin@cs.example.edu>
Sent: Monday, November 30, 2026 8:12 AM
To: ml-seminar@lists.example.edu
Subject: [ML Seminar] This Thursday: Jane Doe on diffusion models

Dear all,

Our next ML seminar is this Thursday. Please find the details below.

Speaker: Jane Doe (Stanford University)
Title: Diffusion Models as
  Optimal Transport
Time: Thursday, Dec. 3, 2026, 3:30 p.m. – 5:00 p.m.
Location: Gates 104
Zoom: https://stanford.zoom.us/j/93847561234?pwd=abc
Meeting ID: 938 4756 1234
Passcode: 771204

Abstract:
Diffusion models generate samples by reversing a noising process. We show
that their probability flow is close to an optimal transport map.

We also discuss consequences for sampling speed.

Bio: Jane Doe is an assistant professor of statistics.

Best,
Seminar Admin
"""

WECHAT = """\
【学术报告】
报告题目：深度学习中的频率原则
报告人：许志钦 副教授（上海交通大学）
时间：12月3日（周四）下午3:00-4:30
地点：数学楼 401
腾讯会议：482-315-907  密码：2026
欢迎感兴趣的老师和同学参加！
"""


def test_pasted_english_email():
    result = announcement.parse(EMAIL, "pasted", timezone="America/Los_Angeles", now=NOW)
    [talk] = result.talks
    assert talk.title == "Diffusion Models as Optimal Transport"
    assert (talk.speakers, talk.affiliation) == (["Jane Doe"], "Stanford University")
    # 3:30 p.m. PST (UTC-8); the mail's own "Sent:" date is not the talk's date.
    assert talk.start == datetime(2026, 12, 3, 23, 30, tzinfo=UTC)
    assert talk.end == datetime(2026, 12, 4, 1, 0, tzinfo=UTC)
    assert talk.timezone == "America/Los_Angeles"
    assert talk.location == "Gates 104"
    assert talk.meeting_url == "https://stanford.zoom.us/j/93847561234?pwd=abc"
    assert (talk.meeting_id, talk.meeting_password) == ("938 4756 1234", "771204")
    assert talk.abstract == (
        "Diffusion models generate samples by reversing a noising process. We show that their "
        "probability flow is close to an optimal transport map.\n\n"
        "We also discuss consequences for sampling speed.")
    assert talk.bio == "Jane Doe is an assistant professor of statistics."  # no signature
    assert talk.language == "en" and talk.series is None and len(talk.key) == 16
    assert result.warnings == []


def test_pasted_chinese_wechat_notice():
    result = announcement.parse(WECHAT, "wechat", timezone="Asia/Shanghai", now=NOW)
    [talk] = result.talks
    assert talk.title == "深度学习中的频率原则"
    assert (talk.speakers, talk.affiliation) == (["许志钦"], "上海交通大学")
    # No year given: December 3 nearest to November 30, 2026.
    assert talk.start == datetime(2026, 12, 3, 7, 0, tzinfo=UTC)
    assert talk.end == datetime(2026, 12, 3, 8, 30, tzinfo=UTC)
    assert talk.location == "数学楼 401"
    assert (talk.meeting_id, talk.meeting_password) == ("482-315-907", "2026")
    assert talk.language == "zh"
    assert result.warnings == []


def test_minimal_chat_message_and_two_talks_sharing_a_link():
    text = ("Speaker: Ann Lee\nTitle: Kernels\nTime: 2026-12-03 15:00-16:00\n"
            "Zoom: https://zoom.us/j/1\n")
    [talk] = announcement.parse(text, "chat", timezone="UTC", now=NOW).talks
    assert (talk.title, talk.speakers, talk.meeting_url) == \
        ("Kernels", ["Ann Lee"], "https://zoom.us/j/1")
    assert (talk.start, talk.end) == (datetime(2026, 12, 3, 15, tzinfo=UTC),
                                      datetime(2026, 12, 3, 16, tzinfo=UTC))
    two = ("Time: 2026-12-05 9:30-11:30\n\nReporter: 王宇航\nTitle: 冷冻电镜\n\n"
           "Reporter: 朱通\nTitle: 燃烧模拟\n\n腾讯会议：https://meeting.tencent.com/dm/x\n"
           "会议号：329744341\n")
    talks = announcement.parse(two, "chat", timezone="Asia/Shanghai", now=NOW).talks
    assert [t.speakers for t in talks] == [["王宇航"], ["朱通"]]
    assert {t.meeting_url for t in talks} == {"https://meeting.tencent.com/dm/x"}
    assert {t.meeting_id for t in talks} == {"329744341"}
    assert {t.start for t in talks} == {datetime(2026, 12, 5, 1, 30, tzinfo=UTC)}


def test_message_without_a_talk_says_what_is_needed():
    result = announcement.parse("Hi all, see you at the seminar!", "chat", timezone="UTC",
                                now=NOW)
    assert result.talks == []
    assert "time" in result.warnings[0] and "title" in result.warnings[0]


def test_bracketed_and_bulleted_labels():
    notice = ("【报告题目】最优传输\n【报告人】李四（北京大学）\n"
              "【时间】2026年12月5日 10:00-11:30\n【地点】理科一号楼1303\n")
    [talk] = announcement.parse(notice, "wechat", timezone="Asia/Shanghai", now=NOW).talks
    assert (talk.title, talk.speakers, talk.affiliation, talk.location) == \
        ("最优传输", ["李四"], "北京大学", "理科一号楼1303")
    assert talk.start == datetime(2026, 12, 5, 2, 0, tzinfo=UTC)
    chat = ("• *Title:* Kernels\n• *Speaker:* Ann Lee\n• **When**: Thursday, Dec 3 | 3 PM\n"
            "• Slides: https://x.org/s.pdf\n")
    [talk] = announcement.parse(chat, "slack", timezone="UTC", now=NOW).talks
    assert (talk.title, talk.speakers, talk.slides_url) == \
        ("Kernels", ["Ann Lee"], "https://x.org/s.pdf")
    assert talk.start == datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
