"""Load benchmark: a day's cycle from fetch to everything delivered, against fake Slack and
Discord servers that enforce the platforms' posting limits, with slash commands answered
during the ingest; a send phase, 41 messages per channel ready at once, for the posting
rate against each platform's ceiling (bench/load_send.py); then a 7-day soak on a fast
clock (bench/load_soak.py).

    python bench/load.py [--quick] [--no-soak] [--json]

The fakes and the feed server run in a child process (bench/load_world.py). lectern's own
parts are the real ones: sources polled with the Fetcher into a SQLite store, planned by
the planner, sent by the DispatchLoop through SlackAdapter and DiscordAdapter (discord.py).
Slack commands go through HTTP mode (a signed POST to the adapter, answered through
response_url); Discord commands through discord.py's interaction handling (the payload the
gateway would deliver), answered through the interaction callback.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import load_soak  # noqa: E402
from bench.common import log  # noqa: E402
from bench.load_send import send_phase  # noqa: E402
from bench.load_setup import (  # noqa: E402
    QUICK,
    SECRET,
    Scale,
    World,
    adapters,
    pending,
    percentile,
    populate,
    rate_figures,
)
from bot.clock import SystemClock  # noqa: E402
from bot.settings import Settings  # noqa: E402
from jobs.dispatch_loop import DispatchLoop  # noqa: E402
from jobs.ingest import isolate_parsing, stop_isolation  # noqa: E402
from jobs.poll import poll_named  # noqa: E402
from jobs.poll_jobs import make_fetcher  # noqa: E402
from storage.store import Store  # noqa: E402
from tests.adapters.discord.payloads import option, slash  # noqa: E402

POLLS_AT_ONCE = 4
COMMANDS = [("papers search", "query", "proteins"), ("papers search", "query", "robotics"),
            ("seminars search", "query", "aurora"), ("papers latest", None, None),
            ("seminars upcoming", None, None)]


async def slack_command(session: aiohttp.ClientSession, port: int, slack_base: str,
                        key: str, n: int) -> None:
    path, name, value = COMMANDS[n % len(COMMANDS)]
    command, _, sub = path.partition(" ")
    body = urlencode({"token": "legacy", "team_id": "T1", "channel_id": f"C{n:04d}",
                      "user_id": "U1", "user_name": "ada", "command": "/" + command,
                      "text": f"{sub} {value or ''}".strip(), "api_app_id": "A1",
                      "response_url": f"{slack_base}/respond/{key}", "trigger_id": "1.2"})
    stamp = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256)
    headers = {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature":
               "v0=" + digest.hexdigest(),
               "Content-Type": "application/x-www-form-urlencoded"}
    async with session.post(f"http://127.0.0.1:{port}/slack/events", data=body,
                            headers=headers) as response:
        await response.read()


def discord_command(adapter, n: int) -> tuple[str, str]:
    path, name, value = COMMANDS[n % len(COMMANDS)]
    payload = slash(path, [option(name, value)] if name else [])
    adapter.client._connection.parse_interaction_create(payload)  # as from the gateway
    return payload["id"], payload["token"]


async def command_burst(slack, discord, slack_base: str, count: int) -> dict[str, list]:
    """`count` commands at once, half on each platform: key(s) -> when each was sent."""
    sent: dict[str, list] = {}
    async with aiohttp.ClientSession() as session:
        tasks = []
        for n in range(count):
            if n % 2:
                keys = discord_command(discord, n)
                sent[keys[0]] = [time.time(), keys]
            else:
                key = f"cmd{time.monotonic_ns()}-{n}"
                sent[key] = [time.time(), (key,)]
                tasks.append(slack_command(session, slack.http_port, slack_base, key, n))
        await asyncio.gather(*tasks)
    return sent


async def day_cycle(scale: Scale, db: Path, bursts: int, burst_size: int) -> dict:
    clock = SystemClock()
    world = World(clock.now(), limits=True)
    store = Store.open(db)
    isolate_parsing()  # as `lectern run` does: documents are parsed in the child process
    try:
        populate(store, scale, world.urls["feeds"], clock.now())
        slack, discord = adapters(store, clock, world.urls)
        await slack.start()  # HTTP mode: a local events server for the slash commands
        await discord.login()
        loop = DispatchLoop(store, {"slack": slack, "discord": discord}, clock, "UTC",
                            foreground=slack.registry.foreground)
        sender = asyncio.create_task(loop.run_forever())
        started = time.monotonic()
        sent = await ingest(store, loop, slack, discord, world, bursts, burst_size)
        ingested = time.monotonic() - started
        while pending(store, due_by=clock.now()):
            await asyncio.sleep(0.2)
        delivered = time.monotonic() - started
        await asyncio.sleep(1.0)  # the last answers and posts land
        sender.cancel()
        await slack.stop()
        await discord.stop()
        stats = world.stats()
    finally:
        stop_isolation()
        store.close()
        world.close()
    latencies = []
    for at, keys in sent.values():
        answered = [stats["answers"][k] for k in keys if k in stats["answers"]]
        latencies.append(max(answered) - at if answered else float("inf"))
    return {"ingest_s": ingested, "delivered_s": delivered,
            "slack": rate_figures("slack", stats["slack"]),
            "discord": rate_figures("discord", stats["discord"]),
            "commands": len(latencies), "commands_unanswered": latencies.count(float("inf")),
            "command_p50_s": percentile(latencies, 50), "command_p99_s": percentile(latencies, 99),
            "command_max_s": max(latencies)}


async def ingest(store, loop, slack, discord, world, bursts, burst_size) -> dict:
    """Poll every source (calendars first, POLLS_AT_ONCE at a time, waking the dispatcher
    after each, as `lectern run` does), with command bursts spread over the polls."""
    names = [s.name for s in store.list_sources()]
    names.sort(key=lambda name: not name.startswith("cal"))
    marks = {len(names) * (b + 1) // (bursts + 1) for b in range(bursts)}
    gate, sent, bursting = asyncio.Semaphore(POLLS_AT_ONCE), {}, []
    async with make_fetcher(Settings()) as fetcher:
        async def poll(n: int, name: str) -> None:
            async with gate:
                if n in marks:
                    bursting.append(asyncio.create_task(command_burst(
                        slack, discord, world.urls["slack_base"], burst_size)))
                report, error = await poll_named(store, name, fetcher, timezone="UTC",
                                                 now=SystemClock().now())
                if error:
                    log(f"{name}: {error}")
                loop.wake()
        await asyncio.gather(*(poll(n, name) for n, name in enumerate(names)))
    for burst in bursting:
        sent.update(await burst)
    return sent


def table(result: dict) -> str:
    day, rows = result["day"], []
    for platform, f in [(p, day[p]) for p in ("slack", "discord")] + [
            (f"{p} (send phase)", result["send"][p]) for p in ("slack", "discord")]:
        share = f"{f['of_ceiling']:.0%}" if f.get("of_ceiling") else "n/a"
        rows += [f"| {platform} posts (429s) | {f['posts']} ({f['429s']}) |",
                 f"| {platform} rate, msg/s (ceiling for these posts) | "
                 f"{f.get('rate_per_s', 0):.1f} ({f.get('ceiling_per_s') or 0:.1f}) |",
                 f"| {platform} rate as share of ceiling | {share} |"]
    lines = ["| figure | value |", "|---|---|",
             f"| ingest: all sources polled, s | {day['ingest_s']:.1f} |",
             f"| fetch to everything delivered, s | {day['delivered_s']:.1f} |", *rows,
             f"| slash commands during ingest: answered / sent | "
             f"{day['commands'] - day['commands_unanswered']} / {day['commands']} |",
             f"| slash command p50 / p99 / max, s | {day['command_p50_s']:.3f} / "
             f"{day['command_p99_s']:.3f} / {day['command_max_s']:.3f} |"]
    soak = result.get("soak")
    if soak:
        lines += [f"| soak: RSS after warm-up day -> max after days 1-{soak['days']}, MB | "
                  f"{soak['rss_warm_mb']:.1f} -> {soak['rss_max_mb']:.1f} "
                  f"({soak['rss_growth']:+.1%}) |",
                  f"| soak: WAL size max / at end, MB | {soak['wal_max_mb']:.1f} / "
                  f"{soak['wal_end_mb']:.1f} |",
                  f"| soak: messages posted / 429s | {soak['posted']} / {soak['429s']} |",
                  f"| soak: wall time, s (per day after the warm-up) | {soak['wall_s']:.1f} "
                  f"({min(soak['day_s'][1:] or [0])}-{max(soak['day_s'][1:] or [0])}) |"]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a small run (20 channels)")
    parser.add_argument("--no-soak", action="store_true")
    parser.add_argument("--days", type=int, default=7, help="soak days after the warm-up")
    parser.add_argument("--bursts", type=int, default=3, help="command bursts in the ingest")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--scale", default="", help="overrides, e.g. channels=60,feeds=20")
    args = parser.parse_args()
    scale = QUICK if args.quick else Scale()
    for item in filter(None, args.scale.split(",")):
        name, value = item.split("=")
        setattr(scale, name, int(value))
    result: dict = {"scale": scale.__dict__}
    with tempfile.TemporaryDirectory() as tmp:
        log("day's cycle ...")
        result["day"] = asyncio.run(day_cycle(scale, Path(tmp) / "day.db", args.bursts, 20))
        log(json.dumps(result["day"]))
        log("send phase ...")
        result["send"] = asyncio.run(send_phase(scale, Path(tmp) / "send.db"))
        log(json.dumps(result["send"]))
        if not args.no_soak:
            log("soak ...")
            result["soak"] = asyncio.run(load_soak.soak(scale, Path(tmp) / "soak.db",
                                                        args.days))
    print(json.dumps(headline(result), indent=1) if args.json else table(result))


def headline(result: dict) -> dict:
    """The figures issue 15 sets targets for, at the top of the JSON, before the rest:
    the slash commands' p99 (the day's cycle) and each platform's posting rate as a
    percentage of its ceiling (the send phase; None when too few posts to tell)."""
    day, send = result["day"], result["send"]
    shares = {f"{platform}_ceiling_pct": (round(100 * send[platform]["of_ceiling"], 1)
                                          if send[platform].get("of_ceiling") else None)
              for platform in ("slack", "discord")}
    return {"command_p99_s": round(day["command_p99_s"], 3), **shares, **result}


if __name__ == "__main__":
    main()
