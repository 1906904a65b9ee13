"""The world of the kill -9 test (test_fault_kill.py): its feed and config, the child's
environment, what the database and the fakes hold after a kill, and the hooks that see a
post in flight."""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import signal
import socket
import sqlite3
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from tests.fake_slack import FakeSlack

ROOT = Path(__file__).resolve().parents[2]
ITERATIONS = 50
OUTAGE_ITERATIONS = 8  # kills mid-dispatch with a restart after Discord's nonce window
POOL = 2  # iterations at once (each is two short-lived child processes)
WORDS = ("sheaf", "anosov", "graphene", "lattice", "photon", "enzyme", "glacier", "quasar",
         "topology", "proteome", "plasma", "neutrino", "tensor", "cohomology", "spintronics",
         "catalysis", "genome", "aerosol", "magnetar", "polymer", "isotope", "zeolite",
         "soliton", "manifold")
SLACK = [f"C{n:04d}" for n in range(12)]
DISCORD = [str(1300000000000000100 + n) for n in range(12)]
CHANNELS = [f"slack:{c}" for c in SLACK] + [f"discord:{c}" for c in DISCORD]
FILLER = 800
_LINK = re.compile(r"https://example\.org/[a-z]+/p[0-9]+")
# How long a run takes from fetching the feed to committing it (parsing, storing and
# matching) until the matching-mode kills, which measure it, say better.
FIRST_GUESS = 0.3
DEADLINE = 40.0  # a child that has not finished its part by then has hung


def papers_of(channel: str, news: bool) -> int:
    """Followed papers a channel gets before the kill: one, or a list's worth (more than
    CATCH_UP_AFTER, in half the channels of each platform); and after it, news that makes,
    with what the kill left unsent, one catch-up list naming every paper (at most LISTED),
    while each channel's restart sends at most two messages (pacing would slow it)."""
    listed = CHANNELS.index(channel) % 2 == 1
    if not news:
        return 6 if listed else 1
    return 1 if listed else 6


def feed(news: bool = False) -> tuple[bytes, dict[str, str]]:
    """An RSS document of FILLER papers nobody follows and the followed ones of each
    channel, with the channel's news after the kill if `news`; returns it with the
    followed papers' links -> channel."""
    rng = random.Random(7)
    items = [f"<item><title>Filler study {n} of graphs</title><guid>urn:filler:{n}</guid>"
             f"<link>https://example.org/filler/{n}</link>"
             f"<description>Routine numbers, case {n}.</description></item>"
             for n in range(FILLER)]
    followed = {}
    for channel, word in zip(CHANNELS, WORDS, strict=True):
        first = papers_of(channel, news=False)
        for n in range(first + (papers_of(channel, news=True) if news else 0)):
            link = f"https://example.org/{word}/p{n}"
            followed[link] = channel
            at = rng.randrange(len(items) + 1) if n < first else len(items)
            items.insert(at, f"<item><title>A new look at {word}, part {n}</title>"
                         f"<guid>urn:followed:{word}:{n}</guid><link>{link}</link>"
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
    # platform:channel -> papers shown more than once there (copies beyond the first)
    repeats: Counter = field(default_factory=Counter)
    discord_resends: int = 0  # posts the fake Discord answered from its nonce record
    problems: list[str] = field(default_factory=list)
    slack_lookups: int = 0  # history reads by the restart (one per maybe-sent message)
    discord_lookups: int = 0  # recent-message reads by the restart, likewise


def shown(messages: list) -> Counter:
    """How many of a channel's messages show each followed paper (by its link)."""
    seen: Counter = Counter()
    for message in messages:
        seen.update(set(_LINK.findall(json.dumps(message))))
    return seen


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
        links = dict(conn.execute("SELECT id, url FROM papers WHERE url LIKE "
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
    if papers and len(links) != len(followed):
        problems.append(f"{len(links)} followed papers stored")
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


