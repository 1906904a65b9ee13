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
import os
import random
import signal
import socket
import sqlite3
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiohttp import web

from tests.fake_discord import fake_discord
from tests.fake_slack import FakeSlack
from tests.httpserver import routes, serve

ROOT = Path(__file__).resolve().parents[2]
ITERATIONS = 50
POOL = 2  # iterations at once (each is two short-lived child processes)
WORDS = ("sheaf", "anosov", "graphene", "lattice", "photon", "enzyme", "glacier", "quasar",
         "topology", "proteome", "plasma", "neutrino", "tensor", "cohomology", "spintronics",
         "catalysis", "genome", "aerosol", "magnetar", "polymer", "isotope", "zeolite",
         "soliton", "manifold")
SLACK = [f"C{n:04d}" for n in range(12)]
DISCORD = [str(1300000000000000100 + n) for n in range(12)]
CHANNELS = [f"slack:{c}" for c in SLACK] + [f"discord:{c}" for c in DISCORD]
FILLER = 800
# How long a run takes from fetching the feed to committing it (parsing, storing and
# matching) until the matching-mode kills, which measure it, say better.
FIRST_GUESS = 0.3
DEADLINE = 40.0  # a child that has not finished its part by then has hung


def feed() -> tuple[bytes, dict[str, str]]:
    """An RSS document of FILLER papers nobody follows and one paper per channel; returns
    it with guid -> channel for the followed ones."""
    rng = random.Random(7)
    items = [f"<item><title>Filler study {n} of graphs</title><guid>urn:filler:{n}</guid>"
             f"<link>https://example.org/filler/{n}</link>"
             f"<description>Routine numbers, case {n}.</description></item>"
             for n in range(FILLER)]
    followed = {}
    for channel, word in zip(CHANNELS, WORDS, strict=True):
        guid = f"urn:followed:{word}"
        followed[guid] = channel
        items.insert(rng.randrange(len(items) + 1),
                     f"<item><title>A new look at {word}</title><guid>{guid}</guid>"
                     f"<link>https://example.org/{word}</link>"
                     f"<description>What {word} does.</description></item>")
    body = ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
            "<title>Big feed</title><link>https://example.org/</link><description>all"
            "</description>" + "".join(items) + "</channel></rss>")
    return body.encode(), followed


def config(feed_url: str) -> str:
    lines = ['timezone = "UTC"', 'log_level = "WARNING"', "[[sources]]", 'name = "big"',
             'kind = "rss"', f'url = "{feed_url}"', 'every = "1d"']
    for channel, word in zip(CHANNELS, WORDS, strict=True):
        lines += ["[[subscriptions]]", f'channel = "{channel}"', f'query = "{word}"',
                  'kinds = "papers"']
    return "\n".join(lines) + "\n"


@dataclass
class Outcome:
    seed: int
    # Where the kill landed: ingest (fetching, parsing, storing or matching: nothing is
    # committed), planned (committed, nothing posted yet) or dispatch.
    phase: str
    papers_after_kill: int
    in_flight: set[str]  # channels whose message was claimed, not yet marked, at the kill
    slack_repeats: Counter  # channel -> copies beyond the first
    discord_repeats: int  # messages Discord holds more than once (the nonce should stop it)
    discord_resends: int  # posts the fake Discord answered from its nonce record
    problems: list[str] = field(default_factory=list)
    slack_lookups: int = 0  # history reads by the restart (one per maybe-sent message)


def database_state(db: Path, followed: dict[str, str]) -> tuple[list[str], int, set[str]]:
    """(problems, papers stored, channels with a claimed delivery) of a database no process
    has open."""
    problems = []
    conn = sqlite3.connect(db)
    try:
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            problems.append(f"integrity_check: {check}")
        papers = conn.execute("SELECT count(*) FROM papers").fetchone()[0]
        rows = conn.execute("SELECT d.channel_id, d.item_id, d.status, p.sources "
                            "FROM deliveries d LEFT JOIN papers p ON p.id = d.item_id "
                            "WHERE d.item_kind = 'paper'").fetchall()
        guids = dict(conn.execute("SELECT id, url FROM papers WHERE url LIKE "
                                  "'https://example.org/%' AND url NOT LIKE '%/filler/%'"))
    finally:
        conn.close()
    if papers not in (0, FILLER + len(followed)):
        problems.append(f"{papers} papers stored: a feed is stored whole or not at all")
    if any(sources is None for *_, sources in rows):
        problems.append("a delivery for a paper that is not stored")
    planned = {(channel, item) for channel, item, _, _ in rows}
    if papers and len(planned) != len(followed):
        problems.append(f"papers stored with {len(planned)} of {len(followed)} deliveries")
    if papers and len(guids) != len(followed):
        problems.append(f"{len(guids)} followed papers stored")
    return problems, papers, {channel for channel, _, status, _ in rows if status == "claimed"}


def free_port() -> int:
    """A free port for Slack's HTTP mode, below the ephemeral range, so no connection's
    own port takes it in the second before the child binds it."""
    picker = random.Random()
    while True:
        port = picker.randrange(20_000, 32_000)
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        return port


class Run:
    """One `lectern run` child against this iteration's fakes."""

    def __init__(self, directory: Path, env: dict[str, str]) -> None:
        self.directory, self.env = directory, env
        self.starts = 0

    async def start(self) -> asyncio.subprocess.Process:
        self.starts += 1
        env = {**self.env, "LECTERN_HTTP_PORT": str(free_port())}
        log = open(self.directory / f"run{self.starts}.log", "wb")  # noqa: SIM115
        try:
            return await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "--config", str(self.directory / "l.toml"),
                "--db", str(self.directory / "l.db"), "run", cwd=ROOT, env=env,
                stdin=asyncio.subprocess.DEVNULL, stdout=log, stderr=log)
        finally:
            log.close()


def child_env(slack: FakeSlack, discord_api: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("LECTERN_", "SLACK_", "DISCORD_"))}
    env.update(SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET="not-used",
               SLACK_API_URL=slack.api_url, DISCORD_BOT_TOKEN="fake-token",
               DISCORD_API_URL=discord_api, PYTHONDONTWRITEBYTECODE="1")
    return env


async def until(condition, what: str, process: asyncio.subprocess.Process, *,
                dead_ok: bool = False, poll: float = 0.02) -> None:
    """Wait for a child process to get somewhere (real waiting: it is another process)."""
    started = time.monotonic()
    while not condition():
        if process.returncode is not None and not dead_ok:
            raise AssertionError(f"lectern run exited ({process.returncode}) before {what}")
        if time.monotonic() - started > DEADLINE:
            raise AssertionError(f"lectern run did not get to {what} in {DEADLINE:.0f} s")
        await asyncio.sleep(poll)


def all_sent(db: Path, count: int) -> bool:
    conn = sqlite3.connect(db, timeout=5)
    try:
        statuses = Counter(s for (s,) in conn.execute("SELECT status FROM deliveries"))
    except sqlite3.OperationalError:  # not created yet
        return False
    finally:
        conn.close()
    return statuses.get("sent", 0) == count and sum(statuses.values()) == count


def papers_stored(db: Path) -> bool:
    """Whether a running child has committed any paper yet (a read: it never blocks it)."""
    if not db.exists():
        return False
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        return conn.execute("SELECT 1 FROM papers LIMIT 1").fetchone() is not None
    except sqlite3.OperationalError:  # the schema is not there yet
        return False
    finally:
        conn.close()


class Posts:
    """Counts posts as the fakes take them; at the `kill_at`-th it kills the child before
    the platform answers, so that message is certainly in flight."""

    def __init__(self) -> None:
        self.count, self.kill_at, self.pid = 0, 0, 0

    def seen(self) -> None:
        self.count += 1
        if self.count == self.kill_at and self.pid:
            os.kill(self.pid, signal.SIGKILL)


class HookedList(list):
    posts: Posts

    def append(self, item) -> None:
        super().append(item)
        self.posts.seen()


def hook(slack: FakeSlack, discord, posts: Posts) -> None:
    post = slack._chat_postMessage

    def counted(params: dict) -> dict:
        answer = post(params)
        if answer.get("ok"):
            posts.seen()
        return answer

    slack._chat_postMessage = counted
    hooked = type("Hooked", (HookedList,), {"posts": posts})
    discord.created = defaultdict(hooked)


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
