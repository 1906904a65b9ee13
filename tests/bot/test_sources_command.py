"""/sources: the list with health, and managers adding and removing sources in chat."""

from __future__ import annotations

from datetime import timedelta

import pytest
from aiohttp import web

from adapters.text import to_text
from bot.chat import ChannelRef, Invocation, Reply, UserRef
from bot.commands import build_registry
from bot.commands.context import BotContext, NoHooks
from bot.commands.sources import source_slug
from bot.models import Source
from bot.settings import Settings
from jobs.hooks import JobHooks
from tests.conftest import DATA, NOW
from tests.httpserver import serve


class CountingHooks(NoHooks):
    def __init__(self) -> None:
        self.sources_changes = 0

    def sources_changed(self) -> None:
        self.sources_changes += 1


@pytest.fixture
def hooks():
    return CountingHooks()


@pytest.fixture
def registry(store, clock, hooks):
    store.save_source(Source("arxiv-cs-lg", "arxiv-rss", "https://rss.arxiv.org/rss/cs.LG"), NOW)
    return build_registry(BotContext(store=store, clock=clock, settings=Settings(),
                                     hooks=hooks))


async def say(registry, line: str, *, manager: bool = True) -> Reply:
    command, _, args = line[1:].partition(" ")
    return await registry.dispatch(Invocation(command, args, ChannelRef("discord", "42"),
                                              UserRef("u7", "Ana"), manager))


async def text(registry, line: str, **kw) -> str:
    return to_text((await say(registry, line, **kw)).message)


async def test_the_list_shows_health(registry, store):
    store.record_success("arxiv-cs-lg", NOW - timedelta(hours=3), etag=None, last_modified=None)
    store.record_failure("arxiv-cs-lg", NOW - timedelta(hours=2), "503 Service Unavailable")
    store.record_failure("arxiv-cs-lg", NOW - timedelta(hours=1), "503 Service Unavailable")
    store.save_source(Source("fresh", "rss", "https://example.org/feed", added_by="u1"), NOW)
    shown = await text(registry, "/sources", manager=False)
    assert ("• arxiv-cs-lg [arxiv-rss]: failing (2 in a row): 503 Service Unavailable; "
            "last success 2026-11-23 06:00 UTC") in shown
    assert "• fresh [rss, added by u1 in chat]: not polled yet" in shown
    store.record_success("fresh", NOW, etag=None, last_modified=None)
    assert "fresh [rss, added by u1 in chat]: ok, last success 2026-11-23 09:00 UTC" in \
        await text(registry, "/sources list")


async def test_add_then_remove(registry, store, hooks):
    reply = await say(registry, "/sources add RSS https://www.nature.com/nature.rss nature")
    assert not reply.ephemeral
    assert to_text(reply.message).startswith(
        "Source nature [rss] added by Ana: https://www.nature.com/…")  # path masked
    source = store.get_source("nature")
    assert (source.kind, source.location, source.added_by) == (
        "rss", "https://www.nature.com/nature.rss", "u7")
    assert hooks.sources_changes == 1

    removed = await say(registry, "/sources remove nature")
    assert "Source nature [rss] removed by Ana" in to_text(removed.message)
    assert not removed.ephemeral
    assert store.get_source("nature") is None and hooks.sources_changes == 2


async def test_a_name_defaults_to_a_slug_of_the_address(registry, store):
    await say(registry, "/sources add ical https://indico.example.org/category/7/events.ics")
    assert store.get_source("indico.example.org-category-7-events.ics").kind == "ical"


def test_slugs_are_valid_names():
    assert source_slug("https://rss.arxiv.org/rss/cs.LG") == "rss.arxiv.org-rss-cs.LG"
    assert source_slug("https://example.org/") == "example.org"
    assert len(source_slug("https://example.org/" + "a" * 200)) == 64


async def test_a_config_source_stays(registry, store, hooks):
    shown = await text(registry, "/sources remove arxiv-cs-lg")
    assert shown.startswith("arxiv-cs-lg comes from the config file; the operator removes it "
                            "there")
    assert store.get_source("arxiv-cs-lg") is not None and hooks.sources_changes == 0


@pytest.mark.parametrize("line", ["/sources add rss https://example.org/feed x",
                                  "/sources remove arxiv-cs-lg"])
async def test_only_managers_add_or_remove(registry, store, hooks, line):
    shown = await text(registry, line, manager=False)
    assert shown.startswith("only channel managers can use /sources ")
    assert [s.name for s in store.list_sources()] == ["arxiv-cs-lg"]
    assert hooks.sources_changes == 0


@pytest.mark.parametrize(("line", "says"), [
    ("/sources add", "give a kind, a URL and optionally a name, e.g. /sources add rss https://"),
    ("/sources add rss", "give a kind, a URL and optionally a name"),
    ("/sources add rss https://a.org/f a b", "give a kind, a URL and optionally a name"),
    ("/sources add podcast https://a.org/f", "'podcast' is not a source kind; use one of "
                                            "arxiv-rss, arxiv-api, hf-daily, rss, ical"),
    ("/sources add rss ftp://a.org/f", "'ftp://a.org/f' is not a web address; give one "
                                       "starting with https://"),
    ("/sources add rss a.org/feed", "'a.org/feed' is not a web address"),
    ("/sources add rss https://a.org/f bad/name", "'bad/name' cannot be a source name"),
    ("/sources add rss https://a.org/f arxiv-cs-lg", "a source named arxiv-cs-lg exists; "
                                                     "pick another name"),
    ("/sources remove", "say which source to remove, e.g. /sources remove nature"),
    ("/sources remove nope", "there is no source named nope; these exist: arxiv-cs-lg"),
])
async def test_wrong_input_is_one_line_that_says_what_to_type(registry, store, hooks, line,
                                                              says):
    reply = await say(registry, line)
    shown = to_text(reply.message)
    assert says in shown and len(shown.splitlines()) == 1 and reply.ephemeral
    assert [s.name for s in store.list_sources()] == ["arxiv-cs-lg"]
    assert hooks.sources_changes == 0


async def _first_try(store, clock, tmp_path, feed: bytes | None) -> str:
    """`/sources add` through the running bot's hooks, against a local server."""
    async def answer(request: web.Request) -> web.Response:
        if feed is None:
            return web.Response(status=404)
        return web.Response(body=feed, content_type="application/atom+xml")

    app = web.Application()
    app.router.add_get("/feed.xml", answer)
    settings = Settings(allow_ranges=("127.0.0.0/8",))
    registry = build_registry(BotContext(store=store, clock=clock, settings=settings,
                                         hooks=JobHooks(store, clock, settings)))
    async with serve(app) as server:
        reply = await say(registry, f"/sources add rss {server.base_url}/feed.xml lab")
    return to_text(reply.message)


async def test_a_new_source_is_tried_at_once_and_what_it_held_is_said(store, clock, tmp_path):
    feed = (DATA / "blog-atom.xml").read_bytes()
    said = await _first_try(store, clock, tmp_path, feed)
    assert "First reading: " in said and "new" in said and "papers" in said
    assert store.get_source("lab").last_success is not None


async def test_a_wrong_address_is_said_at_once_not_after_three_polls(store, clock, tmp_path):
    said = await _first_try(store, clock, tmp_path, None)
    assert "The first try failed:" in said and "404" in said
    assert "/sources remove lab takes it back" in said
