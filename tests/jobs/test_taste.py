"""A channel's taste through the jobs: learning when votes settle (in the supervised child
under `lectern run`), a digest ordered by it and trimmed to the channel's size, and the
papers `/subscribe recommended` adds, each with its "why" line, at most N a day."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp import web

from adapters.text import to_text
from bot import relevance
from bot.chat import ChannelRef, Invocation, UserRef
from bot.commands import build_registry
from bot.commands.context import BotContext
from bot.models import TalkChanges, UpsertResult
from bot.outbox import ANNOUNCE, DIGEST, Delivery
from bot.render import render_paper_announcement
from bot.settings import Settings
from bot.taste import BY_TOPICS, SETTLE, STALE, Tastes, due, training_set
from jobs import ingest, taste
from jobs.digest import digest_message
from jobs.hooks import JobHooks
from jobs.parse_child import ParseLimits
from jobs.planner import plan_new_items
from storage.store import Store
from tests.conftest import NOW
from tests.httpserver import serve
from tests.tasteworld import mixed_day

CHANNEL = "console:ml"


def vote_on_topics(store, papers, at) -> None:
    """Two members like the protein papers shown and turn down the galaxy ones."""
    for paper in papers[:8]:
        value = 1 if paper.id < "arxiv:2611.5" else -1
        for member in ("ana", "bo"):
            store.votes.cast(CHANNEL, paper.id, member, value, at)


@pytest.fixture
def voted(store):
    papers = mixed_day(NOW - timedelta(days=1), 0, 10)
    store.upsert_papers(papers, NOW - timedelta(days=1))
    store.ensure_channel(CHANNEL, NOW)
    vote_on_topics(store, papers, NOW)
    return papers


async def test_votes_are_learned_once_they_settle_and_only_then(store, voted):
    assert not due(store, CHANNEL, NOW + SETTLE / 2)  # members may still be voting
    assert await taste.learn_due(store, NOW + SETTLE) == [CHANNEL]
    stored = store.votes.model(CHANNEL)
    assert (stored.liked, stored.disliked, stored.votes_through) == (4, 4, NOW)
    assert await taste.learn_due(store, NOW + 2 * SETTLE) == []  # nothing new: kept
    store.votes.cast(CHANNEL, voted[9].id, "cy", 1, NOW + 3 * SETTLE)
    assert not due(store, CHANNEL, NOW + 3 * SETTLE)
    assert due(store, CHANNEL, NOW + 4 * SETTLE)


async def test_too_little_to_learn_is_not_tried_again_until_the_next_vote(store):
    [paper] = mixed_day(NOW, 0, 1)[:1]
    store.upsert_papers([paper], NOW)
    store.votes.cast(CHANNEL, paper.id, "ana", 1, NOW)
    assert await taste.learn_due(store, NOW + SETTLE) == []
    assert store.votes.model(CHANNEL).blob == b"" and Tastes(store).model(CHANNEL) is None
    assert not due(store, CHANNEL, NOW + 2 * SETTLE)


async def test_a_restart_keeps_the_model_and_its_order(tmp_path, voted, store):
    await taste.learn_due(store, NOW + SETTLE)
    today = mixed_day(NOW, 20, 6)
    before = [p.id for p in Tastes(store).order(CHANNEL, today)]
    store.close()
    again = Store.open(tmp_path / "lectern.db")
    assert not due(again, CHANNEL, NOW + 2 * SETTLE)  # no retraining after a restart
    assert [p.id for p in Tastes(again).order(CHANNEL, today)] == before
    assert all(i < "arxiv:2611.5" for i in before[:6]), before  # the liked topic first


async def test_learning_runs_in_the_child_under_lectern_run(store, voted, monkeypatch):
    worker = ingest.isolate_parsing(ParseLimits(cpu_seconds=60))
    try:
        def not_here(*args, **kwargs):
            raise AssertionError("trained in the parent process")

        monkeypatch.setattr(taste, "learn", not_here)  # the parent's copy only
        assert await taste.learn_due(store, NOW + SETTLE) == [CHANNEL]
        assert worker.started == 1 and Tastes(store).model(CHANNEL) is not None
    finally:
        ingest.stop_isolation()


def digest_rows(store, papers, channel=CHANNEL):
    store.add_subscription(channel, "deep learning OR benchmark OR propose OR art", "papers",
                           "ana", NOW)
    store.update_channel(channel, digest_time="09:00")
    store.upsert_papers(papers, NOW + timedelta(hours=1))
    plan_new_items(store, UpsertResult(new=[p.id for p in papers]), TalkChanges(),
                   NOW + timedelta(hours=1), "UTC")
    return [d for d in store.due_deliveries(NOW + timedelta(days=1))
            if d.channel_id == channel and isinstance(d.purpose, type(DIGEST))]


async def test_the_digest_is_ordered_by_the_votes_and_trimmed_to_its_size(store, voted):
    today = mixed_day(NOW + timedelta(hours=1), 30, 8)  # galaxies come first
    rows = digest_rows(store, today)
    store.update_channel(CHANNEL, digest_size=4)
    plain = digest_message(store, rows, NOW + timedelta(days=1))
    assert sum("Galaxy" in item.text or "Cluster" in item.text or "Redshift" in item.text
               or "Dark" in item.text or "Stellar" in item.text or "Quasar" in item.text
               or "Cosmic" in item.text or "Supernova" in item.text
               for item in plain.items[:4]) >= 2  # no taste yet: newest first, mixed
    await taste.learn_due(store, NOW + SETTLE)
    ordered = digest_message(store, rows, NOW + timedelta(days=1))
    shown = [item.vote_on for item in ordered.items if item.vote_on]
    assert len(shown) == 4 and all(i < "arxiv:2611.5" for i in shown), shown
    assert "…and 12 more matching papers: /papers search" in ordered.text


async def test_recommended_adds_the_best_few_a_day_with_why(store, voted):
    await taste.learn_due(store, NOW + SETTLE)
    store.update_channel(CHANNEL, recommend_per_day=2)
    day = NOW + timedelta(hours=2)
    first = mixed_day(day, 50, 5)
    store.upsert_papers(first, day)
    plan_new_items(store, UpsertResult(new=[p.id for p in first]), TalkChanges(), day, "UTC")
    rows = [d for d in store.due_deliveries(day) if d.item_kind == "paper"]
    assert len(rows) == 2 and all(r.item_id < "arxiv:2611.5" for r in rows)
    assert all(r.recommended and r.matched.startswith("like *") and "2 of you liked"
               in r.matched for r in rows), [r.matched for r in rows]
    shown = render_paper_announcement(store.get_paper(rows[0].item_id)[0], rows[0].matched,
                                      recommended=rows[0].recommended)
    assert "recommended: like *" in shown.text and "matched:" not in shown.text
    later = mixed_day(day + timedelta(hours=1), 70, 5)
    store.upsert_papers(later, day)
    plan_new_items(store, UpsertResult(new=[p.id for p in later]), TalkChanges(),
                   day + timedelta(hours=1), "UTC")
    assert len([d for d in store.due_deliveries(day + timedelta(hours=1))
                if d.item_kind == "paper"]) == 2  # two a day, whatever arrives later


async def test_example_papers_are_fetched_from_the_arxiv_api_and_not_announced(store, clock):
    body = (Path(__file__).parents[1] / "data" / "arxiv-api-query.xml").read_bytes()

    async def api(request: web.Request) -> web.Response:
        return web.Response(body=body, content_type="application/atom+xml")

    app = web.Application()
    app.router.add_get("/api/query", api)
    settings = Settings(allow_ranges=("127.0.0.0/8",))
    store.add_subscription(CHANNEL, "learning OR model OR data", "papers", "ana", NOW)
    async with serve(app) as server:
        hooks = JobHooks(store, clock, settings, arxiv_api=f"{server.base_url}/api/query")
        registry = build_registry(BotContext(store=store, clock=clock, settings=settings,
                                             hooks=hooks))
        reply = await registry.dispatch(Invocation(
            "subscribe", "like:arxiv:2502.12345 like:2411.04321", ChannelRef("console", "ml"),
            UserRef("ana", "Ana"), is_manager=True))
        asked = server.requests[0].path
    assert "id_list=2502.12345,2411.04321&max_results=2" in asked
    assert set(store.votes.tally(CHANNEL)) == {"arxiv:2502.12345", "arxiv:2411.04321"}
    assert "2 example papers liked" in to_text(reply.message)
    assert store.due_deliveries(NOW + timedelta(days=1)) == []  # examples are not news


async def test_a_days_papers_are_read_once_for_every_channel(store, voted, monkeypatch):
    other = "console:other"
    store.ensure_channel(other, NOW)
    vote_on_topics(store, voted, NOW)  # the same votes in a second channel...
    for paper in voted[:8]:
        store.votes.cast(other, paper.id, "cy", 1 if paper.id < "arxiv:2611.5" else -1, NOW)
    await taste.learn_due(store, NOW + SETTLE)
    for channel in (CHANNEL, other):
        store.update_channel(channel, recommend_per_day=2)
    reads = []
    real = relevance.vectorize
    monkeypatch.setattr(relevance, "vectorize", lambda papers, **kw: reads.append(
        len(papers)) or real(papers, **kw))
    day = NOW + timedelta(hours=2)
    papers = mixed_day(day, 50, 5)
    store.upsert_papers(papers, day)
    plan_new_items(store, UpsertResult(new=[p.id for p in papers]), TalkChanges(), day, "UTC")
    assert reads == [10]  # ...and one read of the day's papers for both
    assert {d.channel_id for d in store.due_deliveries(day) if d.recommended} == {CHANNEL,
                                                                                 other}


def test_no_paper_planned_for_the_channel_is_learned_as_unwanted(store):
    """The negatives are papers the channel was never told of: not a recommendation it was
    sent (no subscription), not a keyword match still waiting for its digest."""
    papers = mixed_day(NOW - timedelta(days=1), 0, 6)
    store.upsert_papers(papers, NOW - timedelta(days=1))
    sub = store.add_subscription(CHANNEL, "protein", "papers", "ana", NOW).id
    recommended, waiting, sent = papers[:3]
    store.plan_deliveries([
        Delivery(CHANNEL, "paper", recommended.id, ANNOUNCE, NOW, matched="like *X*"),
        Delivery(CHANNEL, "paper", waiting.id, DIGEST, NOW + timedelta(days=1),
                 subscription_id=sub),
        Delivery(CHANNEL, "paper", sent.id, ANNOUNCE, NOW, subscription_id=sub)], NOW)
    rows = {d.item_id: d.id for d in store.due_deliveries(NOW)}
    store.finish_deliveries([rows[recommended.id], rows[sent.id]], "sent", NOW)
    data = training_set(store, CHANNEL, NOW + timedelta(minutes=1))
    assert [p.id for p in data.matched] == [sent.id]
    assert {p.id for p in data.unseen} == {p.id for p in papers[3:]}


async def test_a_model_of_keyword_matches_alone_does_not_claim_votes(store):
    papers = mixed_day(NOW - timedelta(days=1), 0, 10)
    store.upsert_papers(papers, NOW - timedelta(days=1))
    sub = store.add_subscription(CHANNEL, "protein", "papers", "ana", NOW).id
    liked_topic = [p for p in papers if p.id < "arxiv:2611.5"]
    store.plan_deliveries([Delivery(CHANNEL, "paper", p.id, ANNOUNCE, NOW, subscription_id=sub)
                           for p in liked_topic], NOW)
    store.finish_deliveries([d.id for d in store.due_deliveries(NOW)], "sent", NOW)
    store.update_channel(CHANNEL, recommend_per_day=2)
    assert await taste.learn_due(store, NOW + STALE) == [CHANNEL]  # no vote: from matches
    day = NOW + STALE + timedelta(hours=1)
    new = mixed_day(day, 50, 5)
    store.upsert_papers(new, day)
    plan_new_items(store, UpsertResult(new=[p.id for p in new]), TalkChanges(), day, "UTC")
    why = {d.matched for d in store.due_deliveries(day) if d.recommended}
    assert why == {BY_TOPICS}, why
