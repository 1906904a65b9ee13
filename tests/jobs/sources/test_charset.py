"""The one charset sniffer: BOM, then header, then the document's declaration, then fallbacks."""

import codecs

import pytest

from bot.models import ParseError
from jobs.sources import charset

TEXT = "报告人：张三 — Café"


def test_a_bom_names_the_encoding_and_its_length():
    assert charset.bom(codecs.BOM_UTF32_LE + "x".encode("utf-32-le")) == ("utf-32-le", 4)
    assert charset.bom(codecs.BOM_UTF16_LE + b"x\x00") == ("utf-16-le", 2)
    assert charset.bom(codecs.BOM_UTF8 + b"x") == ("utf-8", 3)
    assert charset.bom(b"<html>") is None


def test_declarations_are_read_lower_case_and_widened():
    assert charset.header_charset('text/html; charset="GB2312"') == "gb18030"
    assert charset.header_charset("text/html") is None
    assert charset.declared_charset(b'<?xml version="1.0" encoding="US-ASCII"?><rss/>') == "utf-8"
    page = b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk">'
    assert charset.declared_charset(page, html=True) == "gb18030"
    assert charset.declared_charset(page) is None  # a feed's <meta> in CDATA is no declaration
    assert charset.codec("x-no-such-charset") is None and charset.codec("Latin-1") == "iso8859-1"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-32"])
def test_a_bom_beats_a_wrong_declaration(encoding):
    data = TEXT.encode(encoding)
    assert charset.decode(data, "text/plain; charset=iso-8859-1") == TEXT


def test_the_header_beats_the_meta_and_an_undecodable_header_falls_through():
    page = f'<meta charset="utf-8"><p>{TEXT}</p>'
    assert charset.decode(page.encode("gb18030"), "text/html; charset=gb2312").endswith(
        f"{TEXT}</p>")
    assert charset.decode(page.encode("utf-8"), "text/html; charset=shift_jis").endswith(
        f"{TEXT}</p>")


def test_undeclared_text_is_utf8_then_gb18030_and_binary_is_refused():
    assert charset.decode(TEXT.encode("utf-8")) == TEXT
    assert charset.decode("报告人：张三".encode("gbk")) == "报告人：张三"
    with pytest.raises(ParseError, match="NUL bytes"):
        charset.decode(b"text\x00\x00\x01binary")
