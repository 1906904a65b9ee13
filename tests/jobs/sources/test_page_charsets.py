"""seminar_page.decode through parse: declared charsets, GB2312/GBK pages, BOMs, and
binary files served where a page should be."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.models import ParseError
from jobs.sources import seminar_page

DATA = Path(__file__).resolve().parents[2] / "data" / "seminar"
NOW = datetime(2023, 9, 1, tzinfo=UTC)


def test_gb2312_page_with_meta_charset():
    result = seminar_page.parse((DATA / "math-institute-gb2312.html").read_bytes(), "cm",
                                timezone="Asia/Shanghai", now=NOW)
    first, second, third = result.talks
    assert first.title == "深度学习中的频率原则"
    assert (first.speakers, first.affiliation) == (["许志钦"], "上海交通大学")
    assert first.start == datetime(2023, 8, 25, 7, 30, tzinfo=UTC)
    assert first.end == datetime(2023, 8, 25, 9, 0, tzinfo=UTC)
    assert (first.location, first.meeting_id, first.meeting_password) == \
        ("理科一号楼1114", "482-315-907", "2023")
    assert first.abstract.count("\n\n") == 1 and first.abstract.endswith("泛化能力。")
    assert first.bio.startswith("许志钦，上海交通大学")
    assert (second.speakers, second.affiliation, second.chair) == (["董彬"], "北京大学", "张平")
    assert (second.start, second.end) == (datetime(2023, 9, 1, 7, 0, tzinfo=UTC),
                                          datetime(2023, 9, 1, 8, 30, tzinfo=UTC))
    assert (third.title, third.speakers) == ("分子模拟中的深度势能方法", ["王涵"])
    assert third.affiliation == "北京应用物理与计算数学研究所"
    assert third.replay_url == "https://www.bilibili.com/video/BV1xx411c7mD"
    assert {t.series for t in result.talks} == {"计算数学研究所学术报告"}
    assert {t.language for t in result.talks} == {"zh"}
    [warning] = result.warnings
    assert "高维问题的机器学习方法" in warning and "待定" in warning


GBK_TEXT = ("应用数学讨论班\n\n题目：随机微分方程的数值方法\n报告人：张三（复旦大学）\n"
            "日期：2023年10月12日\n时间：14:00—15:30\n地点：光华楼东主楼 2001\n")


@pytest.mark.parametrize("content_type", ["text/plain; charset=GBK", "text/plain", None])
def test_gbk_text_by_header_or_by_fallback(content_type):
    result = seminar_page.parse(GBK_TEXT.encode("gbk"), "fudan", timezone="Asia/Shanghai",
                                content_type=content_type, now=NOW)
    [talk] = result.talks
    assert (talk.title, talk.speakers, talk.affiliation) == \
        ("随机微分方程的数值方法", ["张三"], "复旦大学")
    assert talk.start == datetime(2023, 10, 12, 6, 0, tzinfo=UTC)
    assert talk.end == datetime(2023, 10, 12, 7, 30, tzinfo=UTC)
    assert talk.series == "应用数学讨论班"


def test_declared_charset_beats_meta_and_bom_is_honoured():
    page = ('<html><head><meta charset="utf-8"><title>讨论班</title></head><body>'
            "<p>题目：最优传输</p><p>报告人：李四</p><p>时间：2023-10-12 14:00</p></body></html>")
    result = seminar_page.parse(page.encode("gb18030"), "x", timezone="Asia/Shanghai",
                                content_type="text/html; charset=gb2312")
    assert [t.title for t in result.talks] == ["最优传输"]
    bom = seminar_page.parse(b"\xef\xbb\xbf" + GBK_TEXT.encode("utf-8"), "x",
                             timezone="Asia/Shanghai", now=NOW)
    assert bom.talks[0].series == "应用数学讨论班"


@pytest.mark.parametrize(("data", "content_type"), [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", None),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", None),
    (b"Time: 2023-01-01 10:00\x00\x01\x02\x03", None),
    (b"Title: x", "image/png"),
])
def test_binary_documents_are_parse_errors(data, content_type):
    with pytest.raises(ParseError):
        seminar_page.parse(data, "x", timezone="UTC", content_type=content_type)
