"""Shared parts of the load bench: the world child process, the store's sources, channels
and subscriptions, the real adapters pointed at the fakes, and the ceilings the fakes
enforce (bench/load.py and bench/load_soak.py use them)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import urllib.request
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from adapters.discord import DiscordAdapter, Pacer
from adapters.slack import SlackAdapter
from bench.common import SERIES
from bot.app.build import build
from bot.clock import Clock, to_iso
from bot.models import Source
from bot.settings import Settings
from storage.store import Store
from tests.ratelimits import DiscordLimits, SlackLimits

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-signing-secret"
# Paper topics a lab might follow: words of the generated titles and arXiv categories.
# Each matches 10-110 of a day's 2,000 papers (0.5-5%), as a lab's specific interests do.
TOPICS = ["conformal", "pruning", "canonicalization", "federated", '"reinforcement learning"',
          "retrieval", "segmentation", '"point cloud"', "molecular", '"neural operator"',
          '"graph neural"', "proteins", "speech", "cat:cs.RO", "cat:q-bio.BM", "cat:quant-ph",
          "uncertainty", "quantization"]


@dataclass
class Scale:
    feeds: int = 50
    papers_per_feed: int = 40  # 50 x 40 = 2,000 papers a day
    calendars: int = 20
    talks_first_day: int = 20  # per calendar; then `talks_per_day`
    talks_per_day: int = 2
    channels: int = 200  # half on Slack, half on Discord
    subscriptions_per_channel: int = 5  # 2 seminar series and 3 paper topics


QUICK = Scale(feeds=10, papers_per_feed=20, calendars=4, talks_first_day=8, channels=20)


class World:
    """bench/load_world.py in a child process; stopped by closing its stdin."""

    def __init__(self, base: datetime, limits: bool) -> None:
        command = [sys.executable, "-m", "bench.load_world", "--base", str(base.timestamp())]
        self.process = subprocess.Popen(command + ([] if limits else ["--no-limits"]),
                                        cwd=ROOT, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)
        self.urls = json.loads(self.process.stdout.readline())

    def stats(self) -> dict:
        with urllib.request.urlopen(self.urls["feeds"] + "/stats") as response:
            return json.load(response)

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


def channel_ids(scale: Scale) -> list[str]:
    half = scale.channels // 2
    return ([f"slack:C{n:04d}" for n in range(half)]
            + [f"discord:{1300000000000001000 + n}" for n in range(scale.channels - half)])


def populate(store: Store, scale: Scale, feeds_url: str, now: datetime, day: int = 0,
             digest_share: int = 0) -> None:
    """Sources for `day` and, on day 0, the channels and their subscriptions (made an
    hour before `now`, so that what arrives is news). Every `digest_share`-th channel
    (0: none) takes papers as a daily digest."""
    for source in sources(scale, feeds_url, day):
        store.save_source(source, now)
    if day:
        return
    before = now - timedelta(hours=1)
    for n, channel in enumerate(channel_ids(scale)):
        for s in range(2):
            name = SERIES[(n + 7 * s) % min(scale.calendars, len(SERIES))].lower()
            store.add_subscription(channel, f"series:{name}", "talks", "bench", before)
        for t in range(scale.subscriptions_per_channel - 2):
            store.add_subscription(channel, TOPICS[(n * 3 + t) % len(TOPICS)], "papers",
                                   "bench", before)
        if digest_share and n % digest_share == 0:
            store.update_channel(channel, digest_time="08:00")


def sources(scale: Scale, feeds_url: str, day: int) -> list[Source]:
    found = [Source(f"cal{k}", "ical", f"{feeds_url}/cal/{k}/{day}?first="
                    f"{scale.talks_first_day}&n={scale.talks_per_day}", added_by="config")
             for k in range(scale.calendars)]
    found += [Source(f"feed{i}", "arxiv-rss",
                     f"{feeds_url}/feed/{i}/{day}?n={scale.papers_per_feed}", added_by="config")
              for i in range(scale.feeds)]
    return found


def adapters(store: Store, clock: Clock, urls: dict, *, sleep=None, monotonic=None
             ) -> tuple[SlackAdapter, DiscordAdapter]:
    """lectern's real adapters against the fakes (Slack in HTTP mode for slash commands)."""
    settings = Settings(timezone="UTC")
    registry = build(settings, clock, store=store).registry
    slack = SlackAdapter(registry, bot_token="xoxb-bench", app_token=None,
                         signing_secret=SECRET, api_url=urls["slack"], http_port=0,
                         clock=clock, sleep=sleep)
    pacer = Pacer() if sleep is None else Pacer(monotonic=monotonic, sleep=sleep)
    discord = DiscordAdapter(registry, token="bench", api_url=urls["discord"], clock=clock,
                             pacer=pacer)
    return slack, discord


def ceiling_seconds(platform: str, accepted: list[tuple[str, float]]) -> float:
    """The least time the fake's limits allow for these posts, all ready at once."""
    per_channel = Counter(channel for channel, _ in accepted)
    if platform == "slack":
        limits = SlackLimits()
        return max((max(0, k - limits.burst) / limits.rate for k in per_channel.values()),
                   default=0.0)
    d = DiscordLimits()
    windows = max(((math.ceil(k / d.per_channel) - 1) * d.window
                   for k in per_channel.values()), default=0.0)
    return max(windows, max(0, len(accepted) - d.global_rate) / d.global_rate)


def rate_figures(platform: str, seen: dict) -> dict:
    """Posts, time from the first to the last, and that rate as a share of the ceiling."""
    accepted = [(c, t) for c, t in seen["accepted"]]
    if len(accepted) < 2:
        return {"posts": len(accepted), "429s": seen["refused"]}
    span = max(t for _, t in accepted) - min(t for _, t in accepted)
    ideal = ceiling_seconds(platform, accepted)
    return {"posts": len(accepted), "429s": seen["refused"],
            "429s_global": seen.get("refused_global", 0), "span_s": span,
            "ceiling_span_s": ideal, "rate_per_s": len(accepted) / span,
            "ceiling_per_s": len(accepted) / ideal if ideal else None,
            "of_ceiling": ideal / span if ideal else None}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1)]


def pending(store: Store, due_by: datetime | None = None) -> int:
    """Deliveries not yet sent (pending or claimed), of those due by `due_by` if given."""
    bound = to_iso(due_by) if due_by is not None else "9999"  # every instant sorts before
    return store.db.execute("SELECT count(*) FROM deliveries WHERE status IN ('pending', "
                            "'claimed') AND due_at <= ?", [bound]).fetchone()[0]
