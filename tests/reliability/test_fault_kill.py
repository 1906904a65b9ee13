"""kill -9 of a running `lectern run` at seeded random points of ingest, matching and
dispatch, against the fake Slack and Discord and a big feed on a local HTTP server.

Each iteration starts a real `python -m bot --config X --db Y run` (Slack in HTTP mode and
Discord pointed at the fakes by SLACK_API_URL / DISCORD_API_URL), kills it with SIGKILL
a random delay after it fetched the feed (while it parses, stores and matches 800
papers), the moment its first papers are committed, or with a random post in flight, and
checks the database: integrity_check is ok and every paper is stored with all its
deliveries or not at all. A restart then runs until every delivery is marked sent, and the
fakes are counted: nothing is lost and nothing repeats. The dispatcher sends to channels
side by side, so up to one message per channel is in flight at a kill; the restart finds
those already posted, on Discord by their nonce (the fake enforces it as Discord does) and
on Slack by the delivery key in each post's metadata, read back from the channel's history.
"""

from __future__ import annotations

import asyncio
import random
import signal
import statistics
import time
from collections import Counter
from pathlib import Path

import pytest
from aiohttp import web

from tests.fake_discord import fake_discord
from tests.fake_slack import FakeSlack
from tests.httpserver import routes, serve
from tests.reliability.killworld import (
    CHANNELS,
    DISCORD,
    FIRST_GUESS,
    ITERATIONS,
    POOL,
    SLACK,
    Outcome,
    Posts,
    Run,
    all_sent,
    child_env,
    config,
    database_state,
    feed,
    hook,
    papers_stored,
    until,
)


async def kill_somewhere(rng: random.Random, process, served: asyncio.Event, db: Path,
                         posts: Posts, ingest_times: list[float]) -> None:
    """SIGKILL the run
    - mid-ingest: a random fraction of the usual fetch-to-commit time after the fetch
      (`ingest_times`, measured by the matching-mode kills), while the feed is parsed,
      stored and matched, whatever this machine's speed;
    - at matching: as soon as the first paper is visible in the database, which would fall
      between storing and planning if they were not one transaction;
    - mid-dispatch: with the k-th post in flight (the fakes' hook kills it)."""
    mode = rng.random()
    if mode < 0.6:
        await until(served.is_set, "fetching the feed", process, poll=0.005)
        served_at = time.monotonic()
    if mode < 0.3:
        usual = statistics.median(ingest_times) if ingest_times else FIRST_GUESS
        await asyncio.sleep(rng.uniform(0.0, 1.0) * usual)
        process.send_signal(signal.SIGKILL)
    elif mode < 0.6:
        await until(lambda: papers_stored(db), "storing papers", process, poll=0.005)
        process.send_signal(signal.SIGKILL)
        ingest_times.append(time.monotonic() - served_at)
    else:
        posts.kill_at, posts.pid = rng.randint(1, len(CHANNELS)), process.pid
        await until(lambda: posts.count >= posts.kill_at, f"post {posts.kill_at}", process,
                    dead_ok=True)
    assert await process.wait() == -signal.SIGKILL
    posts.pid = 0


async def iteration(seed: int, directory: Path, body: bytes, followed: dict[str, str],
                    ingest_times: list[float]) -> Outcome:
    """Kill a run somewhere, check the database, restart it, count the messages."""
    rng = random.Random(seed)
    directory.mkdir()
    served, db = asyncio.Event(), directory / "l.db"

    async def serve_feed(request: web.Request) -> web.Response:
        served.set()
        return web.Response(body=body, content_type="application/rss+xml")

    slack, posts = FakeSlack(), Posts()
    async with serve(slack.app()) as slack_server, fake_discord() as discord, \
            serve(routes({"/feed.xml": serve_feed})) as feeds:
        slack.base_url = slack_server.base_url
        hook(slack, discord, posts)
        (directory / "l.toml").write_text(config(feeds.url("/feed.xml")))
        run = Run(directory, child_env(slack, discord.api_url))
        process = None
        try:
            process = await run.start()
            await kill_somewhere(rng, process, served, db, posts, ingest_times)
            problems, papers, in_flight = database_state(db, followed)
            phase = "ingest" if not papers else "planned" if not posts.count else "dispatch"
            if problems:  # already wrong: the restart cannot mend it
                return Outcome(seed, phase, papers, in_flight, Counter(), 0, 0, problems)
            process = await run.start()  # the restart runs to completion
            await until(lambda: all_sent(db, len(followed)), "every delivery sent", process)
        finally:
            posts.pid = 0
            if process is not None and process.returncode is None:
                process.send_signal(signal.SIGKILL)
            if process is not None:
                await process.wait()
        problems += database_state(db, followed)[0]
    return count(Outcome(seed, phase, papers, in_flight, Counter(), 0, 0, problems),
                 slack, discord)


def count(outcome: Outcome, slack: FakeSlack, discord) -> Outcome:
    """What the fake platforms hold: every channel's message, and how often."""
    per_slack = Counter(p["channel"] for p in slack.posted)
    per_discord = Counter({c: len(m) for c, m in discord.created.items()})
    lost = [c for c in SLACK if not per_slack[c]] + [c for c in DISCORD if not per_discord[c]]
    if lost:
        outcome.problems.append(f"no message in {lost}")
    unexpected = set(per_slack) - set(SLACK) | set(per_discord) - set(DISCORD)
    if unexpected:
        outcome.problems.append(f"messages in channels that follow nothing: {unexpected}")
    outcome.discord_resends = (len(discord.calls_to("POST", "/channels/"))
                               - sum(per_discord.values()))
    outcome.slack_repeats = Counter({f"slack:{c}": n - 1 for c, n in per_slack.items()
                                     if n > 1})
    outcome.discord_repeats = sum(n - 1 for n in per_discord.values())
    outcome.slack_lookups = len(slack.called("conversations.history"))
    return outcome


@pytest.mark.slow
async def test_kill_9_anywhere_loses_nothing_and_repeats_nothing(tmp_path):
    body, followed = feed()
    pool, ingest_times = asyncio.Semaphore(POOL), []

    async def one(seed: int) -> Outcome:
        async with pool:
            return await iteration(seed, tmp_path / f"seed{seed}", body, followed,
                                   ingest_times)

    started = time.monotonic()
    results = await asyncio.gather(*(one(seed) for seed in range(ITERATIONS)),
                                   return_exceptions=True)
    elapsed = time.monotonic() - started
    failed = [(seed, r) for seed, r in enumerate(results) if isinstance(r, BaseException)]
    if failed:
        raise AssertionError(f"{len(failed)} iterations failed, e.g. seed {failed[0][0]}: "
                             f"{failed[0][1]!r}") from failed[0][1]
    outcomes = [r for r in results if isinstance(r, Outcome)]

    for outcome in outcomes:
        assert outcome.problems == [], (outcome.seed, outcome.phase, outcome.problems)
        # What was in flight at the kill is found, not posted again, on either platform.
        assert not outcome.slack_repeats, outcome
        assert outcome.discord_repeats == 0, outcome
        if outcome.phase != "dispatch":  # nothing was in flight
            assert outcome.discord_resends == 0, outcome
    phases = Counter(o.phase for o in outcomes)
    print(f"\n{ITERATIONS} kills in {elapsed:.1f} s: {dict(phases)}; Slack repeats "
          f"{sum(sum(o.slack_repeats.values()) for o in outcomes)} (at most "
          f"{max(sum(o.slack_repeats.values()) for o in outcomes)} in one kill), "
          f"in flight at a kill at most {max(len(o.in_flight) for o in outcomes)}, "
          f"Slack history reads {sum(o.slack_lookups for o in outcomes)}, "
          "Discord repeats "
          f"{sum(o.discord_repeats for o in outcomes)} (resends the nonce absorbed: "
          f"{sum(o.discord_resends for o in outcomes)})")
    assert len(phases) == 3, f"the kills missed a phase: {dict(phases)}"
