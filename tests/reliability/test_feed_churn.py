"""Feeds that rotate guids, re-date items or vary their links cause no reposts, and items
that are really distinct stay distinct. A local server serves each variant; every poll is
followed by a dispatch to a FakeAdapter, whose messages are counted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from aiohttp import web

from bot.clock import FixedClock
from bot.models import Paper, Source
from bot.outbox import ANNOUNCE, Delivery
from bot.paperids import canonical_url, guid_paper_id, identity_url
from bot.settings import Settings
from jobs.dispatch import dispatch_due
from jobs.poll_jobs import poll_checked
from jobs.sources.fetch import USER_AGENT, Fetcher
from storage.store import Store
from tests.conftest import NOW
from tests.fakes import FakeAdapter
from tests.httpserver import routes, serve
from tests.reliability.feedgen import rss

POSTS = [("Churn one", "https://lab.example.org/posts/1"),
         ("Churn two", "https://lab.example.org/posts/2?lang=en"),
         ("Churn three", "https://lab.example.org/posts/three/")]


def items(*, guid: str = "g", date: str = "Mon, 23 Nov 2026 08:00:00 GMT",
          link=lambda url: url) -> list[dict[str, str]]:
    return [{"title": title, "link": link(url), "guid": f"{guid}-{n}", "pubDate": date}
            for n, (title, url) in enumerate(POSTS)]


def utm(url: str) -> str:
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}utm_source=rss&utm_medium=feed&utm_campaign=x#comments"


VARIANTS = {
    "rotated guids": items(guid="rotated"),
    "new dates": items(date="Wed, 25 Nov 2026 17:30:00 +0100"),
    "trailing slash": items(link=lambda u: u.rstrip("/") if u.endswith("/")
                            else u.replace("?", "/?") if "?" in u else u + "/"),
    "utm and fragment": items(link=utm),
    "http": items(link=lambda u: u.replace("https://", "http://")),
    "www, case, port": items(link=lambda u: u.replace("https://lab.", "https://WWW.Lab.")
                             .replace(".org/", ".org:443/")),
    "all at once": items(guid="again", date="Fri, 27 Nov 2026 00:00:00 GMT",
                         link=lambda u: utm(u.replace("https://", "http://www."))),
}


class Poller:
    def __init__(self, store: Store, server, fetcher: Fetcher, feed: dict) -> None:
        self.store, self.server, self.fetcher, self.feed = store, server, fetcher, feed
        self.clock = FixedClock(NOW)
        self.adapter = FakeAdapter()

    async def serve(self, body: bytes) -> list[str]:
        """Serve `body`, poll, dispatch; the messages this poll brought."""
        self.feed["body"] = body
        before = len(self.adapter.sent)
        self.clock.advance(timedelta(hours=1))
        _, error, _ = await poll_checked(self.store, Settings(), "lab", self.fetcher,
                                         self.clock.now())
        assert error is None
        await dispatch_due(self.store, {"console": self.adapter}, self.clock.now(), "UTC")
        return [text.splitlines()[0] for text in self.adapter.texts()[before:]]


@pytest.fixture
async def poller(store):
    feed = {"body": b""}

    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=feed["body"], content_type="application/rss+xml")

    async with serve(routes({"/feed": handler})) as server, \
            Fetcher(user_agent=USER_AGENT) as fetcher:
        store.save_source(Source("lab", "rss", server.url("/feed")), NOW)
        store.add_subscription("console:lab", "churn", "papers", "test", NOW)
        yield Poller(store, server, fetcher, feed)


async def test_churning_feeds_cause_no_reposts(poller):
    assert sorted(await poller.serve(rss(items()))) == sorted(t for t, _ in POSTS)
    for name, variant in VARIANTS.items():
        assert await poller.serve(rss(variant)) == [], name
    assert poller.store.count_papers() == 3
    assert len(poller.adapter.sent) == 3


async def test_an_item_that_gains_a_doi_keeps_its_place_and_is_not_announced_again(poller):
    first = [{"title": "Churn DOI", "link": "https://lab.example.org/posts/9",
              "guid": "post-9"}]
    assert await poller.serve(rss(first)) == ["Churn DOI"]
    [before] = poller.store.latest_papers(1)
    assert not before.id.startswith("doi:")
    with_doi = [{**first[0], "guid": "https://doi.org/10.5555/churn.9"}]
    assert await poller.serve(rss(with_doi)) == []
    assert poller.store.count_papers() == 1
    [after] = poller.store.latest_papers(1)
    assert (after.id, after.doi) == ("doi:10.5555/churn.9", "10.5555/churn.9")
    assert [d.item_id for d in poller.store.delivery_history()] == [after.id]
    assert await poller.serve(rss(with_doi)) == []


async def test_distinct_items_stay_distinct(poller):
    await poller.serve(rss(items()))
    near = items() + [
        {"title": "Churn ten", "link": "https://lab.example.org/posts/10", "guid": "g-9"},
        {"title": "Churn two (de)", "link": "https://lab.example.org/posts/2?lang=de"},
        {"title": "Churn one again", "link": "https://lab.example.org/Posts/1"},
        {"title": "Churn elsewhere", "link": "https://other.example.org/posts/1"},
    ]
    assert sorted(await poller.serve(rss(near))) == [
        "Churn elsewhere", "Churn one again", "Churn ten", "Churn two (de)"]


async def test_items_linking_to_the_home_page_are_told_apart_by_guid(poller):
    # Some feeds link every item to the site: the link cannot name an item there.
    home = [{"title": f"Churn notice {n}", "link": "https://lab.example.org/",
             "guid": f"notice-{n}"} for n in range(3)]
    assert len(await poller.serve(rss(home))) == 3
    assert await poller.serve(rss(home, build_date="Tue, 24 Nov 2026 08:00:00 GMT")) == []


async def test_items_with_only_a_title_survive_redating(poller):
    bare = [{"title": "Churn  Bare", "pubDate": "Mon, 23 Nov 2026 08:00:00 GMT"}]
    assert await poller.serve(rss(bare)) == ["Churn Bare"]
    redated = [{"title": "churn bare", "pubDate": "Thu, 26 Nov 2026 08:00:00 GMT"}]
    assert await poller.serve(rss(redated)) == []


def announced_then_migrated(store, old: list[Paper], version: int) -> set[str]:
    """Store `old` as an earlier lectern did and announce it, then run migration `version`
    again; the papers' ids after it."""
    store.upsert_papers(old, NOW)
    store.ensure_channel("console:lab", NOW)
    store.plan_deliveries([Delivery("console:lab", "paper", p.id, ANNOUNCE, NOW)
                           for p in old], NOW)
    store.finish_deliveries([d.id for d in store.delivery_history()], "sent", NOW)
    store.db.execute("DELETE FROM schema_migrations WHERE version = ?", [version])
    assert store.migrate() == [version]
    return {p.id for p in store.latest_papers(10)}


async def test_an_upgraded_database_announces_nothing_again(poller):
    """Items stored under the old ids (guid first) are re-keyed by migration 5."""
    store = poller.store
    old = [Paper(id=guid_paper_id("lab", f"g-{n}"), title=title, source="lab", url=url)
           for n, (title, url) in enumerate(POSTS)]
    ids = announced_then_migrated(store, old, 5)
    assert ids == {guid_paper_id("lab", identity_url(url)) for _, url in POSTS}
    assert {d.item_id for d in store.delivery_history()} == ids
    assert await poller.serve(rss(items())) == []
    assert store.count_papers() == 3


def test_identity_urls():
    same = ["https://lab.example.org/a/b", "http://lab.example.org/a/b/",
            "https://www.LAB.example.org:443/a/b#x", "https://lab.example.org/a/b?utm_source=x",
            "https://lab.example.org/a/b?fbclid=1&utm_medium=y"]
    assert len({identity_url(url) for url in same}) == 1
    different = ["https://lab.example.org/a/b", "https://lab.example.org/a/B",
                 "https://lab.example.org/a/b?id=2", "https://lab.example.org:8443/a/b",
                 "https://lab2.example.org/a/b"]
    assert len({identity_url(url) for url in different}) == len(different)
    assert identity_url("https://e.org/p?b=2&a=1") == identity_url("https://e.org/p?a=1&b=2")
    assert identity_url("tag:e.org,2026:/x") == canonical_url("tag:e.org,2026:/x")


async def test_items_stored_before_this_rounds_id_rules_are_not_announced_again(poller):
    """Migration 8: ScienceDirect's `?dgcid=` no longer counts in a link, and ACS's article
    links no longer lengthen the DOI (both shapes as in ../shared/corpus/realworld/rss)."""
    store = poller.store
    sd = "https://www.sciencedirect.com/science/article/pii/S0223523426006896?dgcid=rss_sd_all"
    acs = ("https://pubs.acs.org/jacsat/article/doi/10.1021/jacs.6c12595/5291658/"
           "Direct-Decarboxylative-Borylation-via-Radical")
    long_doi = "10.1021/jacs.6c12595/5291658/direct-decarboxylative-borylation-via-radical"
    old = [Paper(id="lab:0123456789abcdef", title="Churn paclitaxel", source="lab", url=sd),
           Paper(id=f"doi:{long_doi}", title="Churn borylation", source="lab", url=acs,
                 doi=long_doi)]
    ids = announced_then_migrated(store, old, 8)
    assert ids == {guid_paper_id("lab", identity_url(sd)), "doi:10.1021/jacs.6c12595"}
    assert {d.item_id for d in store.delivery_history()} == ids
    feed = [{"title": "Churn paclitaxel", "link": sd, "guid": sd},
            {"title": "Churn borylation", "link": acs,
             "guid": "http://dx.doi.org/10.1021/jacs.6c12595"}]
    assert await poller.serve(rss(feed)) == []
    assert store.count_papers() == 2
