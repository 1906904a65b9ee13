"""An outsider's attack on the channels' taste (issue 16), part 1: the commands' parsing and
bounds, and `/subscribe like:` against a misbehaving arXiv API on localhost."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from aiohttp import web

from adapters.discord import DiscordAdapter, Pacer
from adapters.text import to_text
from bot.clock import FixedClock
from bot.settings import Settings
from jobs.hooks import JobHooks
from tests.adapters.discord.conftest import FakeTime
from tests.adapters.discord.payloads import MANAGER, option, slash
from tests.adapters.slack.conftest import post, sign
from tests.conftest import NOW
from tests.fake_discord import fake_discord
from tests.httpserver import serve
from tests.reliability import tasteattack
from tests.reliability.tasteattack import (  # noqa: F401
    API_SAMPLE,
    CONSOLE,
    FAILED,
    arxiv_app,
    assert_slack_inert,
    registry_for,
    say,
)
from tests.tasteworld import topic_paper

# ── commands: parsing and bounds ─────────────────────────────────────────────────────

# The fake Slack and Discord with adapters for them (tests/reliability/test_mentions.py).
platforms = tasteattack.platforms
_restore_discord_addresses = tasteattack._restore_discord_addresses


@pytest.mark.parametrize("line", ["/subscribe recommended ²", "/subscribe recommended ⁵",
                                  "/subscribe recommended per-day ²"])
async def test_recommended_with_an_odd_digit_gets_a_usage_line_not_a_crash(store, clock,
                                                                           line):
    registry = registry_for(store, clock)
    reply = await say(registry, line)
    text = to_text(reply.message)
    assert reply.refused and FAILED not in text, text
    assert "1 to 20" in text, text


@pytest.mark.parametrize("typed", ["26", "0", "-1", "1e3", "10.5", "99999999999999999999",
                                   "²", "ten", "5; DROP TABLE channels"])
async def test_digest_size_out_of_bounds_is_refused_and_changes_nothing(store, clock, typed):
    registry = registry_for(store, clock)
    await say(registry, "/settings digest-size 7")
    reply = await say(registry, f"/settings digest-size {typed}")
    text = to_text(reply.message)
    assert reply.refused and FAILED not in text, text
    assert store.get_channel(CONSOLE).digest_size == 7


async def _like_against(store, clock, line: str) -> tuple[list[str], object]:
    """Run `/subscribe <line>` against a local arXiv API that records what it is asked."""
    asked: list[str] = []

    async def api(request: web.Request) -> web.Response:
        asked.append(request.path_qs)
        return web.Response(body=API_SAMPLE.read_bytes(), content_type="application/atom+xml")

    settings = Settings(allow_ranges=("127.0.0.0/8",))
    async with serve(arxiv_app(api)) as server:
        hooks = JobHooks(store, clock, settings, arxiv_api=f"{server.base_url}/api/query")
        registry = registry_for(store, clock, hooks=hooks, settings=settings)
        reply = await say(registry, line)
    return asked, reply


@pytest.mark.parametrize("line", [
    " ".join(f"like:arxiv:2401.{n:05d}" for n in range(1000)),
    "like:arxiv:2401.00001' OR 1=1 --", "like:arxiv:2401.00001,../../../etc/passwd",
    "like:<!channel>", "like:", "like:arxiv:2401.00001 like:doi:10.1/x"])
async def test_like_with_a_thousand_or_malformed_ids_is_refused_before_any_fetch(store, clock,
                                                                                line):
    asked, reply = await _like_against(store, clock, f"/subscribe {line}")
    text = to_text(reply.message)
    assert reply.refused and FAILED not in text, (line[:80], text)
    assert asked == []
    assert store.votes.tally(CONSOLE) == {} and store.latest_papers(5) == []


async def test_like_keeps_the_case_of_old_style_arxiv_ids(store, clock):
    """Old-style ids carry their subject class in capitals (math.GT/0309136)."""
    asked, reply = await _like_against(store, clock, "/subscribe like:math.GT/0309136")
    assert not reply.refused, to_text(reply.message)
    assert asked and "id_list=math.GT/0309136" in asked[0], asked


@pytest.mark.parametrize("word", ["like:arxiv:2502.12345&max_results=5000",
                                  "like:arxiv:x&search_query=all:the&start=0",
                                  "like:arxiv:2502.12345%26max_results%3D3000",
                                  "like:arxiv:2502.12345#", "like:arxiv:"])
async def test_like_passes_only_arxiv_ids_to_the_arxiv_api(store, clock, word):
    """Anything after `like:arxiv:` is taken as an id and pasted into the API's query
    string: a manager can make lectern run any arXiv query and store what it answers."""
    asked, reply = await _like_against(store, clock, f"/subscribe {word}")
    text = to_text(reply.message)
    assert reply.refused and "not an arXiv id" in text, (asked, text)
    assert asked == [] and store.latest_papers(5) == []


@pytest.mark.parametrize("typed", ["0", "31", "-5", "1e9", "³"])
async def test_recommend_days_out_of_bounds_are_refused(store, clock, typed):
    reply = await say(registry_for(store, clock), f"/papers recommend {typed}")
    text = to_text(reply.message)
    assert reply.refused and FAILED not in text, text


@pytest.mark.parametrize("typed", ["arXiv:2611.00001", "arXiv:2611.00001v2",
                                   "https://arxiv.org/abs/2611.00001"])
async def test_a_vote_takes_the_id_as_arxiv_and_papers_print_it(store, clock, typed):
    """Papers cite each other as `arXiv:2611.00001v2`; members paste that, or the link."""
    store.upsert_papers([topic_paper("liked", 1, NOW)], NOW)
    reply = await say(registry_for(store, clock), f"/papers vote {typed} up")
    assert not reply.refused, to_text(reply.message)
    assert list(store.votes.tally(CONSOLE)) == ["arxiv:2611.00001"]


@pytest.mark.parametrize("typed", ["<!channel> <@U123> @everyone",
                                   "<https://evil.example/|click>", "x" * 5000])
async def test_slack_refusals_that_echo_a_hostile_paper_id_ping_nobody(store, platforms,
                                                                       typed):
    from tests.adapters.slack.conftest import command_body
    slack, _, adapters, _ = platforms
    adapter = adapters["slack"]
    await adapter.start()
    for n, line in enumerate([f"/papers vote {typed} up", f"/papers similar {typed}"]):
        body = command_body(slack, line, user="U1", reply_to=f"r{n}")
        status, _ = await post(adapter, body, sign(body, adapter.clock.now()))
        assert status == 200
        await slack.wait_for(lambda n=n: any(r["_url"] == f"r{n}" for r in slack.responses))
    assert slack.problems == []
    for response in slack.responses:
        assert FAILED not in response["text"]
        assert_slack_inert(response)
    assert store.votes.channels_voting() == []


# ── /subscribe like: against a misbehaving arXiv API ─────────────────────────────────


def _garbage(kind: str):
    async def api(request: web.Request) -> web.Response:
        if kind == "500":
            return web.Response(status=500, text="Internal Server Error")
        if kind == "html":
            return web.Response(text="<html><body>Rate limited " + "x" * 5000,
                                content_type="text/html")
        if kind == "binary":
            return web.Response(body=bytes(range(256)) * 40,
                                content_type="application/atom+xml")
        if kind == "truncated":
            return web.Response(body=API_SAMPLE.read_bytes()[:900],
                                content_type="application/atom+xml")
        raise AssertionError(kind)
    return api


@pytest.mark.parametrize("kind", ["500", "html", "binary", "truncated"])
async def test_like_when_arxiv_answers_garbage_stores_nothing_and_says_so(store, clock, kind):
    settings = Settings(allow_ranges=("127.0.0.0/8",))
    async with serve(arxiv_app(_garbage(kind))) as server:
        hooks = JobHooks(store, clock, settings, arxiv_api=f"{server.base_url}/api/query")
        registry = registry_for(store, clock, hooks=hooks, settings=settings)
        reply = await say(registry, "/subscribe like:arxiv:2502.12345")
    text = to_text(reply.message)
    assert FAILED not in text and "2502.12345" in text, text
    assert store.votes.tally(CONSOLE) == {}
    assert store.due_deliveries(NOW + timedelta(days=2)) == []


async def test_like_stores_only_the_papers_it_asked_arxiv_for(store, clock):
    """The API answers with a paper nobody asked for: it is not an example of this channel,
    and must not enter the store (search, recommendations) on the API's say-so."""
    async def api(request: web.Request) -> web.Response:
        return web.Response(body=API_SAMPLE.read_bytes(),
                            content_type="application/atom+xml")

    settings = Settings(allow_ranges=("127.0.0.0/8",))
    async with serve(arxiv_app(api)) as server:
        hooks = JobHooks(store, clock, settings, arxiv_api=f"{server.base_url}/api/query")
        registry = registry_for(store, clock, hooks=hooks, settings=settings)
        await say(registry, "/subscribe like:arxiv:2502.12345")
    assert set(store.votes.tally(CONSOLE)) == {"arxiv:2502.12345"}
    assert store.get_paper("arxiv:2411.04321") is None


async def test_like_when_arxiv_hangs_ends_within_the_fetch_timeout(store, clock):
    release = asyncio.Event()

    async def api(request: web.Request) -> web.Response:
        await asyncio.wait_for(release.wait(), 10)
        return web.Response(body=API_SAMPLE.read_bytes())

    settings = Settings(allow_ranges=("127.0.0.0/8",), timeout_seconds=0.5)
    try:
        async with serve(arxiv_app(api)) as server:
            hooks = JobHooks(store, clock, settings,
                             arxiv_api=f"{server.base_url}/api/query")
            registry = registry_for(store, clock, hooks=hooks, settings=settings)
            reply = await asyncio.wait_for(say(registry, "/subscribe like:arxiv:2502.12345"),
                                           5)
            release.set()
    finally:
        release.set()
    assert FAILED not in to_text(reply.message)
    assert store.votes.tally(CONSOLE) == {} and store.get_paper("arxiv:2502.12345") is None


async def test_discord_subscribe_like_is_deferred_before_arxiv_answers(store, clock,
                                                                     discord_addresses):
    """Discord drops an interaction not answered within 3 s; /subscribe like: waits on the
    arXiv API (up to the fetch timeout), so it must defer first, as /papers search does."""
    release = asyncio.Event()

    async def api(request: web.Request) -> web.Response:
        await asyncio.wait_for(release.wait(), 10)
        return web.Response(body=API_SAMPLE.read_bytes(), content_type="application/atom+xml")

    settings = Settings(allow_ranges=("127.0.0.0/8",))
    time = FakeTime()
    async with serve(arxiv_app(api)) as server, fake_discord() as fake:
        hooks = JobHooks(store, clock, settings, arxiv_api=f"{server.base_url}/api/query")
        registry = registry_for(store, clock, hooks=hooks, settings=settings)
        adapter = DiscordAdapter(registry, token="fake-token", api_url=fake.api_url,
                                 clock=FixedClock(NOW),
                                 pacer=Pacer(1.0, monotonic=time.monotonic, sleep=time.sleep))
        await adapter.login()
        try:
            payload = slash("subscribe", [option("query", "like:arxiv:2502.12345")],
                            permissions=MANAGER)
            adapter.client._connection.parse_interaction_create(payload)
            callback = f"/interactions/{payload['id']}/"
            try:
                await fake.wait_for(lambda: any(c.path.startswith(callback)
                                                for c in fake.calls), timeout=1.0)
                answered_in_time = True
            except (TimeoutError, AssertionError):
                answered_in_time = False
        finally:
            release.set()
            await asyncio.sleep(0.2)
            await adapter.stop()
    assert answered_in_time, "no answer to Discord while the arXiv API was still fetching"
