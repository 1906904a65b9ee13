"""The world outside lectern for bench/load.py, run as a child process so its CPU and memory
are not the bot's: the fake Slack and fake Discord (enforcing the platforms' limits unless
--no-limits) and an HTTP server of arXiv-style RSS feeds and iCalendar seminar calendars.

    python -m bench.load_world --base EPOCH [--no-limits]

It prints one JSON line with its addresses, serves until its stdin closes, and answers
GET /stats on the feed server with what the fakes saw (posts accepted and refused, when
command answers arrived).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

from aiohttp import web

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import SEEDS, SERIES  # noqa: E402
from bench.papers_corpus import Corpus  # noqa: E402
from tests.fake_discord import FakeDiscord  # noqa: E402
from tests.fake_discord import _app as discord_app  # noqa: E402
from tests.fake_slack import FakeSlack  # noqa: E402
from tests.httpserver import serve  # noqa: E402
from tests.ratelimits import DiscordLimits, SlackLimits  # noqa: E402

SPEAKERS = ["Ada Lovelace", "Alan Turing", "Grace Hopper", "Emmy Noether", "Kofi Mensah",
            "Priya Sharma", "Wei Zhang", "Ingrid Fischer", "Omar Haddad", "Sofia Garcia"]


def rss(feed: int, day: int, count: int, base: datetime) -> bytes:
    """An arXiv listing of `count` new papers for (feed, day); ids never repeat."""
    corpus = CORPUS
    start = base + timedelta(days=day)
    items = []
    for n, paper in enumerate(corpus.papers(count, start - timedelta(hours=1), start,
                                            salt=day * 1000 + feed)):
        arxiv_id = f"{(base + timedelta(days=day)).strftime('%y%m')}.{day % 10}{feed:02d}{n:02d}"
        items.append(
            f"<item><title>{escape(paper.title)}</title>"
            f"<link>https://arxiv.org/abs/{arxiv_id}</link>"
            f"<description>arXiv:{arxiv_id}v1 Announce Type: new \nAbstract: "
            f"{escape(paper.abstract or '')}</description>"
            f"<guid isPermaLink=\"false\">oai:arXiv.org:{arxiv_id}v1</guid>"
            + "".join(f"<category>{c}</category>" for c in paper.categories)
            + f"<pubDate>{start.strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>"
            "<arxiv:announce_type>new</arxiv:announce_type>"
            f"<dc:creator>{escape(', '.join(paper.authors))}</dc:creator></item>")
    return ('<?xml version="1.0" encoding="UTF-8"?><rss xmlns:arxiv="http://arxiv.org/'
            'schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0"><channel>'
            f"<title>cs.B{feed} updates on arXiv.org</title><link>http://rss.arxiv.org/</link>"
            "<description>bench</description>" + "".join(items)
            + "</channel></rss>").encode()


def ics(calendar: int, day: int, first: int, per_day: int, base: datetime) -> bytes:
    """A seminar series' calendar as seen on `day`: the talks announced on days 0..day
    (`first` on day 0, `per_day` after), each 2+ days after it was announced."""
    name = SERIES[calendar % len(SERIES)]
    events = []
    for announced in range(day + 1):
        for n in range(first if announced == 0 else per_day):
            start = base + timedelta(days=announced + 2 + n, hours=10 + calendar % 6)
            speaker = SPEAKERS[(calendar + n) % len(SPEAKERS)]
            events.append(
                f"BEGIN:VEVENT\r\nUID:{calendar}-{announced}-{n}@bench.example.org\r\n"
                f"DTSTAMP:{base.strftime('%Y%m%dT%H%M%SZ')}\r\n"
                f"DTSTART:{start.strftime('%Y%m%dT%H%M%SZ')}\r\n"
                f"DTEND:{(start + timedelta(hours=1)).strftime('%Y%m%dT%H%M%SZ')}\r\n"
                f"SUMMARY:{speaker}: {name} talk {announced}.{n} on learning systems\r\n"
                f"LOCATION:Room {calendar}\r\nEND:VEVENT\r\n")
    return (f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\n"
            f"X-WR-CALNAME:{name} Seminar\r\n" + "".join(events) + "END:VCALENDAR\r\n").encode()


class World:
    def __init__(self, base: datetime, limits: bool) -> None:
        self.base = base
        self.slack = FakeSlack(limits=SlackLimits() if limits else None)
        self.discord = FakeDiscord(limits=DiscordLimits() if limits else None)
        self.answers: dict[str, float] = {}  # command answer key -> when the last arrived

    async def feed(self, request: web.Request) -> web.Response:
        feed, day = int(request.match_info["feed"]), int(request.match_info["day"])
        body = rss(feed, day, int(request.query.get("n", "40")), self.base)
        return web.Response(body=body, content_type="application/rss+xml")

    async def calendar(self, request: web.Request) -> web.Response:
        cal, day = int(request.match_info["cal"]), int(request.match_info["day"])
        body = ics(cal, day, int(request.query.get("first", "20")),
                   int(request.query.get("n", "2")), self.base)
        return web.Response(body=body, content_type="text/calendar")

    async def stats(self, request: web.Request) -> web.Response:
        def seen(limits):
            if limits is None:
                return {"accepted": [], "refused": 0}
            scopes = [r[2] for r in limits.refused if len(r) > 2]
            return {"accepted": limits.accepted, "refused": len(limits.refused),
                    "refused_global": scopes.count("global")}
        slack_posts = len(self.slack.posted)
        discord_posts = sum(len(v) for v in self.discord.created.values())
        return web.json_response({
            "slack": {**seen(self.slack.limits), "posted": slack_posts},
            "discord": {**seen(self.discord.limits), "posted": discord_posts},
            "answers": self.answers})

    @web.middleware
    async def timing(self, request: web.Request, handler) -> web.StreamResponse:
        response = await handler(request)
        parts = request.path.split("/")
        if request.path.startswith("/respond/"):
            self.answers[parts[2]] = time.time()
        elif "/interactions/" in request.path:
            self.answers[parts[4]] = time.time()  # /api/v10/interactions/{id}/...
        elif "/webhooks/" in request.path:
            self.answers[parts[5]] = time.time()  # /api/v10/webhooks/{app}/{token}
        return response


async def main(args: argparse.Namespace) -> None:
    world = World(datetime.fromtimestamp(args.base, UTC), not args.no_limits)
    feeds = web.Application()
    feeds.router.add_get("/feed/{feed}/{day}", world.feed)
    feeds.router.add_get("/cal/{cal}/{day}", world.calendar)
    feeds.router.add_get("/stats", world.stats)
    slack_app, discord = world.slack.app(), discord_app(world.discord)
    slack_app.middlewares.append(world.timing)
    discord.middlewares.append(world.timing)
    async with serve(feeds) as f, serve(slack_app) as s, serve(discord) as d:
        world.slack.base_url, world.discord.base_url = s.base_url, d.base_url
        print(json.dumps({"feeds": f.base_url, "slack": world.slack.api_url,
                          "slack_base": s.base_url, "discord": world.discord.api_url}),
              flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


CORPUS = Corpus(SEEDS) if SEEDS.exists() else None

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", type=float, required=True)
    parser.add_argument("--no-limits", action="store_true")
    if CORPUS is None:
        sys.exit(f"{SEEDS} is absent: the load bench needs the seed abstracts")
    asyncio.run(main(parser.parse_args()))
