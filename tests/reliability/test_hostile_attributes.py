"""A feed whose one element carries countless attributes: refused before the feed reader,
which is quadratic in them."""

from __future__ import annotations

import time

import pytest

from bot.models import ParseError
from jobs.sources import rss


def test_an_element_of_countless_attributes_is_refused_before_the_feed_reader() -> None:
    """feedparser is quadratic in one element's attributes: 40,000 (430 KB) cost 18 s."""
    attributes = " ".join(f'a{n}="x"' for n in range(40_000))
    for tail in ("", "<unclosed"):  # well-formed or not: the loose parser reads both
        body = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item '
                f'{attributes}><title>A paper</title></item>{tail}</channel></rss>')
        started = time.process_time()
        with pytest.raises(ParseError, match="has about 40000 attributes, more than the 256"):
            rss.parse(body.encode(), "s")
        assert time.process_time() - started < 0.5
    namespaces = " ".join(f'xmlns:n{n}="https://ns.example/{n}"' for n in range(30))
    ordinary = (f'<?xml version="1.0"?><rss version="2.0" {namespaces}><channel><title>t'
                '</title><item><title>A paper</title><link>https://x.org/1</link></item>'
                '</channel></rss>')
    assert len(rss.parse(ordinary.encode(), "s").papers) == 1
