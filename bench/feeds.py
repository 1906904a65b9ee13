"""Calendar feed benchmark (issue 17): 1,000 feed requests in a row at 200 channels and
5,000 talks, through lectern's real route (bot.app.calendars) on a local HTTP server.

    python bench/feeds.py [--channels 200] [--talks 5000] [--requests 1000] [--json]

The talks are spread over a year ahead in 20 series; each channel follows two series
(its subscriptions matched them through the real planner), so it follows about 500 talks.
First every feed is asked for once (`first_*`: made, then kept by the server's cache);
then `--requests` pick channels at random (seeded), every third with the If-None-Match of
its previous answer, as a calendar app does. Latency is from request to the last byte.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
from aiohttp import web

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import SERIES, log  # noqa: E402
from bot.app.calendars import routes  # noqa: E402
from bot.clock import FixedClock  # noqa: E402
from bot.models import Talk, UpsertResult  # noqa: E402
from jobs.planner import plan_new_items  # noqa: E402
from storage.store import Store  # noqa: E402

NOW = datetime(2026, 12, 3, 9, tzinfo=UTC)


def populate(store: Store, channels: int, talks: int) -> list[str]:
    """Talks, channels that follow two series each, their announcements planned; the
    feed secrets."""
    before = NOW - timedelta(hours=1)
    for n in range(channels):
        for series in (SERIES[n % 20], SERIES[(n * 7 + 3) % 20]):
            store.add_subscription(f"console:c{n}", f"series:{series.lower()}", "talks",
                                   "bench", before)
    items = [Talk(key=f"t{n}", title=f"Talk {n} on topic {n % 97}", source="cal",
                  start=NOW + timedelta(hours=1 + n * 8760 // talks),
                  end=NOW + timedelta(hours=2 + n * 8760 // talks), series=SERIES[n % 20],
                  speakers=[f"Speaker {n}"], location="Room 1",
                  meeting_url=f"https://zoom.us/j/{n}", abstract="An abstract. " * 20)
             for n in range(talks)]
    changes = store.upsert_talks("cal", items, NOW)
    plan_new_items(store, UpsertResult(), changes, NOW, "UTC")
    return [store.feed_secret(f"channel:console:c{n}", NOW) for n in range(channels)]


async def requests(store: Store, secrets: list[str], count: int) -> dict[str, object]:
    app = web.Application()
    app.add_routes(routes(store, FixedClock(NOW)))
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    port = runner.addresses[0][1]
    rng, etags, took, sizes, not_modified = random.Random(17), {}, [], [], 0
    first = []
    try:
        async with aiohttp.ClientSession() as session:
            for secret in secrets:  # each feed's first request: made, not cached yet
                began = time.perf_counter()
                async with session.get(f"http://127.0.0.1:{port}/cal/{secret}.ics") as got:
                    await got.read()
                first.append((time.perf_counter() - began) * 1000)
            for n in range(count):
                secret = rng.choice(secrets)
                headers = {"If-None-Match": etags[secret]} if n % 3 == 2 and \
                    secret in etags else {}
                began = time.perf_counter()
                async with session.get(f"http://127.0.0.1:{port}/cal/{secret}.ics",
                                       headers=headers) as response:
                    body = await response.read()
                took.append((time.perf_counter() - began) * 1000)
                etags[secret] = response.headers.get("ETag", "")
                not_modified += response.status == 304
                sizes.append(len(body)) if response.status == 200 else None
    finally:
        await runner.cleanup()
    took.sort()
    first.sort()
    return {"first_p50_ms": round(first[len(first) // 2], 1),
            "first_max_ms": round(first[-1], 1),
            "requests": count, "p50_ms": round(took[len(took) // 2], 2),
            "p99_ms": round(took[int(len(took) * 0.99) - 1], 2), "max_ms": round(took[-1], 2),
            "not_modified": not_modified, "feed_kb_median": round(
                sorted(sizes)[len(sizes) // 2] / 1024, 1) if sizes else 0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--channels", type=int, default=200)
    parser.add_argument("--talks", type=int, default=5_000)
    parser.add_argument("--requests", type=int, default=1_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "feeds.db")
        try:
            secrets = populate(store, args.channels, args.talks)
            rows = store.db.execute("SELECT count(*) FROM deliveries").fetchone()[0]
            log(f"{args.talks} talks, {args.channels} channels: {rows} outbox rows")
            figures = asyncio.run(requests(store, secrets, args.requests))
        finally:
            store.close()
    print(json.dumps(figures) if args.json else figures)


if __name__ == "__main__":
    main()
