"""Charset labels that browsers read (the WHATWG Encoding Standard) and Python has no codec
name for: a feed or a page declaring one was read as if it declared nothing, and its text
garbled.

- Thailand's e-GP procurement feeds (process3.gprocurement.go.th/EPROCRssFeedWeb/...)
  declare `<?xml version="1.0" encoding="Windows-874"?>`; two watchers of them on GitHub
  test exactly that declaration with Thai titles such as 'ประกาศใหม่' (new notice).
- Japanese ASP and Perl pages on GitHub declare `<META HTTP-EQUIV="Content-Type"
  CONTENT="text/html; charset=x-sjis">` (ten of them in the code index, e.g. a mail
  magazine's pages titled 'めろんぱんで購読' and a quiz site's 'クイズ管理人室').
"""

from __future__ import annotations

import pytest

from jobs.sources import charset, rss

THAI = "ประกาศใหม่"


def _egp(declaration: str) -> bytes:
    return (f'{declaration}<rss version="2.0"><channel><title>e-GP</title>'
            "<link>http://process3.gprocurement.go.th/</link><item><guid>one</guid>"
            f"<title>{THAI}</title><link>https://example.test/1</link></item>"
            "</channel></rss>").encode("cp874")


def test_a_feed_declaring_windows_874_is_read_as_thai() -> None:
    result = rss.parse(_egp('<?xml version="1.0" encoding="Windows-874"?>'), "egp")
    assert [paper.title for paper in result.papers] == [THAI]
    assert result.warnings == []


def test_a_label_only_browsers_know_counts_when_served_too() -> None:
    result = rss.parse(_egp(""), "egp", content_type="application/rss+xml; charset=dos-874")
    assert [paper.title for paper in result.papers] == [THAI]


def test_a_page_declaring_x_sjis_is_read_as_shift_jis() -> None:
    page = ('<html><head><META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=x-sjis">'
            "<title>クイズ管理人室</title></head><body>めろんぱんで購読</body></html>")
    assert charset.decode(page.encode("shift_jis")).endswith("<body>めろんぱんで購読</body></html>")


@pytest.mark.parametrize(("label", "codec"), [
    ("Windows-874", "cp874"), ("TIS-620", "cp874"), ("x-sjis", "cp932"),
    ("Windows-31J", "cp932"), ("x-euc-jp", "euc_jp"), ("windows-949", "cp949"),
    ("x-cp1251", "cp1251"), ("koi8", "koi8-r"), ("x-mac-cyrillic", "mac-cyrillic"),
    ("unicode-1-1-utf-8", "utf-8"), ("iso-8859-8-i", "iso8859-8"),
])
def test_whatwg_labels_name_the_codec_browsers_use(label, codec) -> None:
    assert charset.codec(label) == codec
