"""kill -9 of a running `lectern run` at seeded random points of ingest, matching and
dispatch, against the fake Slack and Discord and a big feed on a local HTTP server, with
news published while it is down.

Each iteration starts a real `python -m bot --config X --db Y run` (Slack in HTTP mode and
Discord pointed at the fakes by SLACK_API_URL / DISCORD_API_URL), kills it with SIGKILL
a random delay after it fetched the feed (while it parses, stores and matches 800
papers), the moment its first papers are committed, or with a random post in flight, and
checks the database: integrity_check is ok and every paper is stored with all its
deliveries or not at all. Then the feed gains news for every channel (enough to make a
catch-up list with what is left), a restart runs until every delivery is marked sent, and
the papers each channel was shown are counted: none is missing and none shows twice.

The dispatcher sends to channels side by side, so up to one message per channel is in
flight at a kill. The restart sends each as it was (a list is a batch stored before its
first attempt, a paper tried alone goes alone) under the same key, and finds those already
posted: on Slack by the key in each post's metadata, read back from the channel's history;
on Discord by the key's mark read back from the channel's recent messages (the nonce too,
within its few minutes). A second test restarts after the fake Discord's nonce window.
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
from tests.fake_discord_history import NONCE_WINDOW
from tests.fake_slack import FakeSlack
from tests.httpserver import routes, serve
from tests.reliability.killworld import (
    CHANNELS,
    DISCORD,
    FIRST_GUESS,
    ITERATIONS,
    OUTAGE_ITERATIONS,
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
    shown,
    until,
)


async def kill_somewhere(rng: random.Random, process, served: asyncio.Event, db: Path,
                         posts: Posts, ingest_times: list[float],
                         dispatch_only: bool = False) -> None:
    """SIGKILL the run
    - mid-ingest: a random fraction of the usual fetch-to-commit time after the fetch
      (`ingest_times`, measured by the matching-mode kills), while the feed is parsed,
      stored and matched, whatever this machine's speed;
    - at matching: as soon as the first paper is visible in the database, which would fall
      between storing and planning if they were not one transaction;
    - mid-dispatch: with the k-th post in flight (the fakes' hook kills it)."""
    mode = 0.6 + 0.4 * rng.random() if dispatch_only else rng.random()
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


async def iteration(seed: int, directory: Path, followed: dict[str, str],
                    ingest_times: list[float], *, dispatch_only: bool = False,
                    outage: float = 0.0) -> Outcome:
    """Kill a run somewhere, check the database, publish news, restart the run (after
    `outage` seconds of the fake Discord's clock), count the papers shown."""
    rng = random.Random(seed)
    directory.mkdir()
    served, db = asyncio.Event(), directory / "l.db"
    body, _ = feed()
    with_news, everything = feed(news=True)
    skew = [0.0]

    async def serve_feed(request: web.Request) -> web.Response:
        served.set()
        return web.Response(body=body, content_type="application/rss+xml")

    slack, posts = FakeSlack(), Posts()
    async with serve(slack.app()) as slack_server, fake_discord() as discord, \
            serve(routes({"/feed.xml": serve_feed})) as feeds:
        slack.base_url = slack_server.base_url
        discord.clock = lambda: time.time() + skew[0]
        hook(slack, discord, posts)
        (directory / "l.toml").write_text(config(feeds.url("/feed.xml")))
        run = Run(directory, child_env(slack, discord.api_url))
        process = None
        try:
            process = await run.start()
            await kill_somewhere(rng, process, served, db, posts, ingest_times,
                                 dispatch_only)
            problems, papers, in_flight = database_state(db, followed)
            phase = "ingest" if not papers else "planned" if not posts.count else "dispatch"
            if problems:  # already wrong: the restart cannot mend it
                return Outcome(seed, phase, papers, in_flight, problems=problems)
            body, skew[0] = with_news, outage  # news while it was down
            process = await run.start()  # the restart runs to completion
            await until(lambda: all_sent(db, len(everything)), "every delivery sent",
                        process)
        finally:
            posts.pid = 0
            if process is not None and process.returncode is None:
                process.send_signal(signal.SIGKILL)
            if process is not None:
                await process.wait()
        problems += database_state(db, everything)[0]
    return count(Outcome(seed, phase, papers, in_flight, problems=problems),
                 everything, slack, discord)


def count(outcome: Outcome, followed: dict[str, str], slack: FakeSlack, discord) -> Outcome:
    """Which papers each channel was shown, and how often."""
    shows: Counter = Counter()
    for channel in SLACK:
        shows.update({(f"slack:{channel}", link): n for link, n in shown(
            [p for p in slack.posted if p["channel"] == channel]).items()})
    for channel in DISCORD:
        shows.update({(f"discord:{channel}", link): n
                      for link, n in shown(discord.created[channel]).items()})
    wanted = set(followed.items())
    lost = sorted(f"{link} in {channel}" for link, channel in wanted
                  if not shows[(channel, link)])
    if lost:
        outcome.problems.append(f"{len(lost)} papers never shown, e.g. {lost[0]}")
    stray = [key for key in shows if (key[1], key[0]) not in wanted]
    if stray:
        outcome.problems.append(f"papers shown where nobody follows them: {stray[:3]}")
    outcome.repeats = Counter()
    for (channel, _), n in shows.items():
        outcome.repeats[channel] += n - 1
    outcome.repeats = +outcome.repeats
    created = sum(len(m) for m in discord.created.values())
    outcome.discord_resends = len(discord.calls_to("POST", "/channels/")) - created
    outcome.slack_lookups = len(slack.called("conversations.history"))
    outcome.discord_lookups = len(discord.calls_to("GET", "/channels/"))
    return outcome


async def kill_many(tmp_path: Path, seeds: range, **options) -> list[Outcome]:
    """Iterations side by side (POOL at a time); every one must run to its end."""
    _, followed = feed()
    pool, ingest_times = asyncio.Semaphore(POOL), []

    async def one(seed: int) -> Outcome:
        async with pool:
            return await iteration(seed, tmp_path / f"seed{seed}", followed, ingest_times,
                                   **options)

    results = await asyncio.gather(*(one(seed) for seed in seeds), return_exceptions=True)
    failed = [(seed, r) for seed, r in zip(seeds, results, strict=True)
              if isinstance(r, BaseException)]
    if failed:
        raise AssertionError(f"{len(failed)} iterations failed, e.g. seed {failed[0][0]}: "
                             f"{failed[0][1]!r}") from failed[0][1]
    return [r for r in results if isinstance(r, Outcome)]


def summary(outcomes: list[Outcome], elapsed: float) -> str:
    repeats = [sum(o.repeats.values()) for o in outcomes]
    return (f"{len(outcomes)} kills in {elapsed:.1f} s: "
            f"{dict(Counter(o.phase for o in outcomes))}; papers repeated {sum(repeats)} "
            f"(in {sum(1 for r in repeats if r)} runs, at most {max(repeats)} in one), in "
            f"flight at a kill at most {max(len(o.in_flight) for o in outcomes)}; lookups "
            f"Slack {sum(o.slack_lookups for o in outcomes)}, Discord "
            f"{sum(o.discord_lookups for o in outcomes)}; resends the nonce absorbed "
            f"{sum(o.discord_resends for o in outcomes)}")


@pytest.mark.slow
async def test_kill_9_anywhere_with_news_while_down_loses_nothing_and_repeats_nothing(
        tmp_path):
    started = time.monotonic()
    outcomes = await kill_many(tmp_path, range(ITERATIONS))
    print("\n" + summary(outcomes, time.monotonic() - started))
    for outcome in outcomes:
        assert outcome.problems == [], (outcome.seed, outcome.phase, outcome.problems)
        # What was in flight at the kill is found, not posted again, on either platform;
        # and it goes out as the same message, however much news arrived meanwhile.
        assert not outcome.repeats, outcome
    phases = Counter(o.phase for o in outcomes)
    assert len(phases) == 3, f"the kills missed a phase: {dict(phases)}"


@pytest.mark.slow
async def test_a_restart_after_discords_nonce_window_repeats_nothing(tmp_path):
    """Discord forgets a nonce after a few minutes: a restart an hour later must find what
    was in flight by itself."""
    started = time.monotonic()
    outcomes = await kill_many(tmp_path, range(1000, 1000 + OUTAGE_ITERATIONS),
                               dispatch_only=True, outage=3600.0 + NONCE_WINDOW)
    print("\n" + summary(outcomes, time.monotonic() - started))
    for outcome in outcomes:
        assert outcome.problems == [], (outcome.seed, outcome.phase, outcome.problems)
        assert not outcome.repeats, outcome
    assert sum(o.discord_lookups for o in outcomes) > 0
