"""Attacks on the calendar feeds (bot.app.calendars, /seminars and /remind calendar) and on
archive search (storage.search, storage.titles, split_sort), by an outsider: hostile
addresses and headers, nonsense typed, huge talks, words that tokenise oddly. Six of them
failed when written (a stale cached feed within one second, exclusions crowding out title
matches, If-None-Match: *, no way to reset a member's feed, a 100k-character refusal,
`(x sort:new)`) and pass since."""

from __future__ import annotations

import dataclasses
import gzip
import random
from datetime import UTC, datetime, timedelta

import icalendar
import pytest

from bot.models import Paper, QueryError
from bot.topics import parse_query, split_sort
from storage import titles
from storage.store import Store
from tests.conftest import NOW
from tests.test_calendar_feeds import CHANNEL, PUBLIC, cli, command, fetch, link
from tests.test_talk_backlog import calendar

AT = "2026-03-01T09:00:00Z"
DAY = datetime(2026, 3, 2, tzinfo=UTC)


@pytest.fixture
def lab(tmp_path, capsys, monkeypatch):
    """tests.test_calendar_feeds' lab: four lectures a channel follows, reminders 1d,1h."""
    monkeypatch.setenv("LECTERN_PUBLIC_URL", PUBLIC + "/")
    cli(capsys, tmp_path, AT, "ingest", "ical", calendar(tmp_path))
    command(capsys, tmp_path, AT, "/subscribe talks lovelace")
    command(capsys, tmp_path, AT, "/settings reminders 1d,1h")
    return tmp_path


def _secret(lab_dir, capsys, line: str = "/seminars calendar", **kw) -> str:
    return link(command(capsys, lab_dir, AT, line, **kw))


# -- feeds: addresses, methods, validators ------------------------------------------------

def test_hostile_addresses_get_404(lab, capsys):
    path = _secret(lab, capsys)
    secret = path[len("/cal/"):-len(".ics")]
    store = Store.open(lab / "l.db")
    try:
        for hostile in ("/cal/" + "A" * 5000 + ".ics", "/cal/" + secret + ".ics/",
                        "/cal/" + secret.upper() + ".ICS", "/cal/%2e%2e%2fl.db",
                        "/cal/" + secret + "%00.ics", "/cal/" + secret[:-1] + "%C3%A9.ics",
                        "/cal/" + secret + ".ics.ics", "/cal/.ics", "/cal/%ef%bc%a1" * 30,
                        "/cal/" + secret[:19] + ".ics", "/cal/" + secret + "%0a.ics"):
            assert fetch(store, DAY, hostile)[0] == 404, hostile
        # The same secret, percent-encoded or with a query string, is the same feed.
        encoded = "/cal/" + "".join(f"%{ord(c):02X}" for c in secret) + ".ics"
        assert fetch(store, DAY, encoded)[0] == 200
        assert fetch(store, DAY, path + "?x=../../l.db&y=%00")[0] == 200
    finally:
        store.close()


async def _method(store: Store, method: str, path: str) -> tuple[int, bytes]:
    import aiohttp
    from aiohttp import web

    from bot.app.calendars import routes
    from bot.clock import FixedClock
    from tests.httpserver import serve

    app = web.Application()
    app.add_routes(routes(store, FixedClock(DAY)))
    async with serve(app) as server, aiohttp.ClientSession() as session, \
            session.request(method, server.base_url + path) as response:
        return response.status, await response.read()


def test_head_answers_without_a_body_and_post_is_refused(lab, capsys):
    import asyncio

    path = _secret(lab, capsys)
    store = Store.open(lab / "l.db")
    try:
        assert asyncio.run(_method(store, "HEAD", path)) == (200, b"")
        for method in ("POST", "PUT", "DELETE"):
            assert asyncio.run(_method(store, method, path))[0] == 405, method
    finally:
        store.close()


def test_garbage_if_none_match_gets_the_whole_feed(lab, capsys):
    path = _secret(lab, capsys)
    store = Store.open(lab / "l.db")
    try:
        _, headers, body = fetch(store, DAY, path)
        for garbage in ('"deadbeef"', "~é" * 500, "W/", '""', "," * 4000):
            status, _, again = fetch(store, DAY, path, {"If-None-Match": garbage})
            assert (status, again) == (200, body), garbage
        weak = "W/" + headers["ETag"]
        assert fetch(store, DAY, path, {"If-None-Match": f'"x", {weak}'})[0] == 304
    finally:
        store.close()


def test_if_none_match_star_is_not_modified(lab, capsys):
    path = _secret(lab, capsys)
    store = Store.open(lab / "l.db")
    try:
        assert fetch(store, DAY, path, {"If-None-Match": "*"})[0] == 304  # RFC 9110 13.1.2
    finally:
        store.close()


def test_a_feed_of_a_channel_that_never_existed_is_empty_not_an_error(tmp_path):
    store = Store.open(tmp_path / "l.db")
    try:
        secret = store.feed_secret("channel:console:ghost", DAY)
        status, _, body = fetch(store, DAY, f"/cal/{secret}.ics")
        member = store.feed_secret("member:console:nobody", DAY)
        assert fetch(store, DAY, f"/cal/{member}.ics")[0] == 200
    finally:
        store.close()
    parsed = icalendar.Calendar.from_ical(body)
    assert status == 200 and not parsed.walk("VEVENT")
    assert parsed["X-WR-CALNAME"] == "console:ghost talks"


def _followed(store: Store) -> list:
    return store.list_talks(followed_by=CHANNEL)

def test_two_changes_in_the_same_second_both_reach_the_feed(lab):
    from bot.app.calendars import FeedCache, feed_document

    cache, owner, now = FeedCache(), "channel:" + CHANNEL, datetime(2026, 3, 2, tzinfo=UTC)
    store = Store.open(lab / "l.db")
    try:
        (_, first), (_, second) = _followed(store)[1:3]
        moved = dataclasses.replace(first, location="Room 9")
        store.upsert_talks(first.source, [moved], now)
        cache.feed(store, owner, now)
        store.upsert_talks(second.source, [dataclasses.replace(second, location="Room 7")],
                           now)  # the same instant: one poll of two sources, say
        fresh, _ = feed_document(store, owner, now)
        assert b"Room 7" in fresh  # made afresh, the feed has the change
        assert b"Room 7" in gzip.decompress(cache.feed(store, owner, now)[0])
    finally:
        store.close()


def test_a_talk_bigger_than_the_cap_leaves_a_valid_smaller_feed(lab):
    from bot.app import calendars

    now = datetime(2026, 3, 2, tzinfo=UTC)
    store = Store.open(lab / "l.db")
    try:
        _, soonest = _followed(store)[0]
        huge = dataclasses.replace(soonest, title="Ω" * 700_000, abstract="x" * 400_000)
        store.upsert_talks(soonest.source, [huge], now)
        body, _ = calendars.feed_document(store, "channel:" + CHANNEL, now)
    finally:
        store.close()
    assert len(body) <= calendars.MAX_BYTES
    parsed = icalendar.Calendar.from_ical(body)  # still a calendar, maybe with no talk
    assert all(len(str(e["SUMMARY"])) < 1_000_000 for e in parsed.walk("VEVENT"))


def test_a_talk_without_a_start_is_left_out_of_both_feeds(lab, capsys):
    from bot.app import calendars

    now = datetime(2026, 3, 2, tzinfo=UTC)
    store = Store.open(lab / "l.db")
    try:
        talk_id, soonest = _followed(store)[0]
        store.upsert_talks(soonest.source, [dataclasses.replace(soonest, start=None,
                                                                end=None)], now)
        body, _ = calendars.feed_document(store, "channel:" + CHANNEL, now)
        command(capsys, lab, AT, f"/remind {talk_id} 1h")
        mine, _ = calendars.feed_document(store, "member:console:U1", now)
    finally:
        store.close()
    assert b"Sheaves" not in body and b"Sheaves" not in mine
    assert not icalendar.Calendar.from_ical(mine).walk("VEVENT")


# -- /seminars calendar, /remind calendar: nonsense typed -----------------------------------

def test_nonsense_after_calendar_is_refused_or_harmless(lab, capsys):
    first = _secret(lab, capsys)
    for line in ("/seminars calendar resett", "/seminars calendar \ud800",
                 "/seminars calendar reset\x00"):
        reply = command(capsys, lab, AT, line)
        assert not reply["ok"] and "cal/" not in reply["text"], line
    assert _secret(lab, capsys, manager=False) == first  # nothing was rotated
    mine = _secret(lab, capsys, "/remind calendar")
    stray = command(capsys, lab, AT, "/remind calendar x")
    assert not stray["ok"] and "cal/" not in stray["text"]  # refused, as a wrong choice
    assert _secret(lab, capsys, "/remind calendar") == mine


def test_a_huge_wrong_choice_gets_a_short_refusal(lab, capsys):
    reply = command(capsys, lab, AT, "/seminars calendar " + "x" * 100_000)
    assert not reply["ok"] and len(reply["text"]) < 2_000


def test_a_member_can_reset_their_own_feed_address(lab, capsys):
    leaked = _secret(lab, capsys, "/remind calendar", manager=False)
    reply = command(capsys, lab, AT, "/remind calendar reset", manager=False)
    assert reply["ok"] and link(reply) != leaked


# -- archive search ---------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ('"sort:new" x', ('"sort:new" x', "best")), ("SORT:NEW  x", ("x", "new")),
    ('x "a sort:new', ('x "a sort:new', "best")), ("-sort:new x", ("-sort:new x", "best")),
    ("sort:new sort:best", ("", "new"))])  # two orders: the first typed wins, silently
def test_split_sort_on_hostile_text(text, expected):
    assert split_sort(text) == expected


@pytest.mark.parametrize("text", ["sort:", "sort:newest x", "sort:new\x00"])
def test_split_sort_refuses_what_is_not_an_order(text):
    with pytest.raises(QueryError):
        split_sort(text)


def test_sort_inside_parentheses():
    assert split_sort("(diffusion sort:new)")[1] == "new"


@pytest.mark.parametrize("text", ['title:"" x', '-"x y"', "x \x00 y", "(" * 17 + "x" + ")" * 17,
                                  "x" * 501, '""', "-(-x)", "x OR -y"])
def test_hostile_queries_are_refused_as_query_errors(store, text):
    store.upsert_papers(_papers(20), NOW)
    with pytest.raises(QueryError):
        store.search(parse_query(text), 40, sort="best")


WORDS = ["x-ray", "xray", "x ray", "modèle", "modele", "model", "3d", "3D", "3-d", "don't",
         "dont", "naïve", "naive", "Straße", "strasse", "深度学习", "模型", "data-driven",
         "state-of-the-art", "e.g.", "C++", "graph", "learning", "αβγ", "Ørsted", "orsted",
         "l'analyse", "analyse", "foo_bar", "a" * 70, "b" * 65 + "ing", "testing", "tested",
         "O(n)", "ﬁnite", "finite", "İstanbul", "istanbul", "½", "ＡＢＣ", "abc", "‘quoted’"]


def _papers(count: int) -> list[Paper]:
    rng = random.Random(7)
    return [Paper(id=f"arxiv:{n}", title=" ".join(rng.sample(WORDS, rng.randint(2, 6))),
                  source="arxiv", abstract=" ".join(rng.sample(WORDS, 32)),
                  authors=[rng.choice(["Ada Lovelace", "Émile Zola", "王 伟"])],
                  categories=[rng.choice(["cs.CV", "math.AG"])],
                  published=NOW - timedelta(days=rng.randint(0, 12 * 365)))
            for n in range(count)]


def _both(store, text: str, monkeypatch) -> tuple[list[str], list[str]]:
    query = parse_query(text)
    fast = [hit.id for hit in store.search(query, 40, sort="best")]
    with monkeypatch.context() as patched:
        patched.setattr(titles, "title_expression", lambda query: None)
        return fast, [hit.id for hit in store.search(query, 40, sort="best")]


def test_title_walks_agree_with_fts5_on_hostile_words(store, monkeypatch):
    """900 papers (each word in ~3/4 of the abstracts: more than NEWEST matches, so `best`
    walks titles): every word, phrase and title: form, and mixes, find the same papers."""
    store.upsert_papers(_papers(900), NOW)
    texts = [*WORDS, *(f'"{w}"' for w in WORDS), *(f'title:"{w}"' for w in WORDS),
             '"x ray" -model', "(model OR graph) -testing", 'author:"é" model',
             "cat:cs.CV model", "model author:émile", "modèle -naïve", '"graph model"']
    for text in texts:
        fast, plain = _both(store, text, monkeypatch)
        assert fast == plain, text


def test_an_exclusion_does_not_hide_title_matches_behind_a_crowd(store, monkeypatch):
    def made(n: int, title: str, when: datetime, abstract: str = "We study it.") -> Paper:
        return Paper(id=f"arxiv:{n}", title=title, source="arxiv", abstract=abstract,
                     authors=["A B"], published=when)
    store.upsert_papers(
        [made(n, f"Other {n}", NOW - timedelta(hours=n), "alpha here") for n in range(300)]
        + [made(1000 + n, f"Alpha beta {n}", NOW - timedelta(days=20 + n)) for n in range(70)]
        + [made(2000 + n, f"Alpha gamma {n}", NOW - timedelta(days=100 + n)) for n in range(3)]
        + [made(3000 + y, "Filler", datetime(2016 + y, 6, 1, tzinfo=UTC)) for y in range(10)],
        NOW)
    fast, plain = _both(store, "alpha -beta", monkeypatch)
    assert "arxiv:2000" in plain and fast == plain
