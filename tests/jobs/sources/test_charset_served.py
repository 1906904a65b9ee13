"""The charset a feed or a calendar is served with counts (RFC 7303 section 3.2, RFC 5545
section 3.1.4): a byte-order mark first, then the Content-Type's charset, then the
document's own declaration; a body that is UTF-8 beyond ASCII stays UTF-8 whatever a
server's default charset says. Fetched for real from a server on 127.0.0.1.

The texts are real:
- RU: the channel of a Russian university department's news feed, github:Letractively/
  vstu-poas-site@1b9f369 application/views/news/rss_view.php (Volgograd State Technical
  University);
- ZH: an Entomotaxonomia item (cnjournals' ASP.NET reader), github:rdmpage/biorss@571eb34
  examples/xbkcflxb.cnjournals.com-xbkcflxb-ch-reader-current.aspx.xml;
- JA: the channel title of github:mozilla/releases-comm-central@c405fc5 mailnews/extensions/
  newsblog/test/unit/resources/rss2_example.xml.
"""

from __future__ import annotations

import codecs
from datetime import UTC, datetime

import pytest

from jobs.sources import charset, ical, rss
from tests.httpserver import routes, serve, static

RU = "Новости кафедры ПОАС"
RU_ABOUT = ("Новости кафедры Программного обеспечения автоматизированных систем "
            "Волгоградского государственного технического университета")
ZH = "广州海珠斯萤叶甲属一新种（鞘翅目：叶甲科：萤叶甲亚科）"
ZH_AUTHORS = ["范存祥", "林志斌", "俞雅丽", "李志强"]
JA = "本当に簡単なシンジケーションの例"


def _feed(title: str, *, declaration: str = "", author: str = "") -> str:
    return (f"{declaration}<rss version=\"2.0\"><channel><title>{RU}</title>"
            f"<description>{RU_ABOUT}</description><link>http://example.ru/news</link>"
            f"<item><title>{title}</title><link>http://example.ru/news/show/1</link>"
            f"<author>{author}</author></item></channel></rss>")


async def _fetched(body: bytes, content_type: str, make_fetcher) -> tuple[bytes, str | None]:
    async with serve(routes({"/rss": static(body, content_type)})) as server:
        result = await make_fetcher().fetch(server.url("/rss"))
    return result.body, result.content_type


@pytest.mark.parametrize(("title", "encoding", "content_type"), [
    (RU, "windows-1251", "application/rss+xml; charset=windows-1251"),
    (RU, "koi8-r", "text/xml; charset=KOI8-R"),
    (ZH, "gb2312", "application/rss+xml; charset=GB2312"),
    (JA, "shift_jis", 'text/xml; charset="Shift_JIS"'),
])
async def test_a_feed_that_declares_no_encoding_is_read_in_the_served_charset(
        title, encoding, content_type, make_fetcher) -> None:
    body = _feed(title).encode(encoding)
    data, served = await _fetched(body, content_type, make_fetcher)
    result = rss.parse(data, "journal", content_type=served)
    assert [paper.title for paper in result.papers] == [title]
    assert result.warnings == []


async def test_authors_and_titles_of_a_gb2312_journal_feed(make_fetcher) -> None:
    body = _feed(ZH, author=",".join(ZH_AUTHORS)).encode("gb2312")
    data, served = await _fetched(body, "text/xml; charset=gb2312", make_fetcher)
    [paper] = rss.parse(data, "entomotaxonomia", content_type=served).papers
    assert (paper.title, paper.authors) == (ZH, ZH_AUTHORS)


def test_the_served_charset_beats_the_declaration_and_a_bom_beats_both() -> None:
    # RFC 7303 3.2: 'in the absence of a BOM, the charset parameter is authoritative'.
    declared = _feed(RU, declaration='<?xml version="1.0" encoding="ISO-8859-1"?>')
    served = "application/rss+xml; charset=windows-1251"
    assert rss.parse(declared.encode("cp1251"), "s", content_type=served).papers[0].title == RU
    marked = codecs.BOM_UTF8 + _feed(ZH).encode("utf-8")
    assert rss.parse(marked, "s", content_type=served).papers[0].title == ZH


def test_a_server_default_wrong_for_the_body_leaves_the_document_to_decide() -> None:
    utf8 = _feed(ZH).encode("utf-8")  # UTF-8 beyond ASCII, served as Latin-1 by default
    assert rss.parse(utf8, "s", content_type="text/xml; charset=ISO-8859-1").papers[0].title \
        == ZH
    declared = _feed(RU, declaration='<?xml version="1.0" encoding="windows-1251"?>')
    # 'utf-8' cannot decode the Windows-1251 bytes: the declaration says what they are
    result = rss.parse(declared.encode("cp1251"), "s", content_type="text/xml; charset=utf-8")
    assert (result.papers[0].title, result.warnings) == (RU, [])


def test_served_charset_is_none_where_the_document_decides() -> None:
    assert charset.served_charset(b"<rss/>", None) is None
    assert charset.served_charset(b"<rss/>", "text/xml; charset=x-unknown") is None
    assert charset.served_charset(b"<rss/>", "text/xml; charset=utf-16") is None
    # a server's default Latin-1 on a UTF-8 body (feedparser mends titles read so, not the
    # rest: a calendar or an abstract would keep the mojibake)
    assert charset.served_charset(ZH.encode(), "text/xml; charset=ISO-8859-1") is None
    assert charset.served_charset(RU.encode("cp1251"), "text/xml; charset=cp1251") == "cp1251"
    assert charset.served_charset(RU.encode("koi8-r"), "text/xml; charset=koi8-r") == "koi8-r"


# Shaped like github:jens-maus/node-ical@5a7e1c7 test/fixtures/ms_timezones.ics (Exchange),
# with the Russian department's name as the meeting's title.
CALENDAR = f"""BEGIN:VCALENDAR\r
PRODID:Microsoft Exchange Server 2010\r
VERSION:2.0\r
BEGIN:VEVENT\r
UID:040000008200E00074C5B7101A82E00800000000\r
SUMMARY:{RU}\r
DTSTART:20201210T070000Z\r
DTEND:20201210T080000Z\r
LOCATION:Волгоград\r
END:VEVENT\r
END:VCALENDAR\r
"""


async def test_a_calendar_is_read_in_the_served_charset(make_fetcher) -> None:
    body = CALENDAR.encode("cp1251")
    data, served = await _fetched(body, "text/calendar; charset=windows-1251", make_fetcher)
    result = ical.parse(data, "s", timezone="Europe/Volgograd",
                        now=datetime(2020, 12, 1, tzinfo=UTC), content_type=served)
    assert [(talk.title, talk.location) for talk in result.talks] == [(RU, "Волгоград")]
    assert result.warnings == []
