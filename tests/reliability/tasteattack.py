"""Helpers of the outsider's attack on the channels' taste (issue 16): registries, votes
taught to a channel, planning, a fake arXiv API, and checks that Slack text is inert. The
attacks are in tests/reliability/test_attack_taste_*.py."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from aiohttp import web

from bot.chat import ChannelRef, Invocation, UserRef
from bot.commands import build_registry
from bot.commands.context import BotContext
from bot.models import Paper, TalkChanges, UpsertResult
from bot.settings import Settings
from bot.taste import learn
from jobs.planner import plan_new_items
from tests.adapters.discord.payloads import CHANNEL as DISCORD_ID
from tests.conftest import NOW
from tests.reliability import test_mentions as mentions
from tests.tasteworld import mixed_day

# The fake Slack and Discord with adapters for them (tests/reliability/test_mentions.py).
platforms = mentions.platforms
_restore_discord_addresses = mentions._restore_discord_addresses
assert_discord_inert, slack_texts = mentions.assert_discord_inert, mentions.slack_texts

CONSOLE = "console:ml"
SLACK, DISCORD = "slack:C1", f"discord:{DISCORD_ID}"
API_SAMPLE = Path(__file__).parents[1] / "data" / "arxiv-api-query.xml"
FAILED = "something went wrong"



# ── helpers ──────────────────────────────────────────────────────────────────────────


def registry_for(store, clock, *, hooks=None, settings=None):
    settings = settings or Settings()
    context = BotContext(store=store, clock=clock, settings=settings,
                         **({"hooks": hooks} if hooks is not None else {}))
    return build_registry(context)


async def say(registry, line: str, *, user: str = "ana", manager: bool = True):
    command, _, args = line[1:].partition(" ")
    return await registry.dispatch(Invocation(command, args, ChannelRef("console", "ml"),
                                              UserRef(user, user.title()), manager))


def teach(store, channel: str, papers, at) -> None:
    """Two members like the protein papers and turn down the galaxy ones."""
    store.ensure_channel(channel, at)
    for paper in papers:
        value = 1 if paper.id < "arxiv:2611.5" else -1
        for member in ("ana", "bo"):
            store.votes.cast(channel, paper.id, member, value, at)


def taught(store, channels=(CONSOLE,), *, retitle=None) -> list[Paper]:
    """Yesterday's papers, voted on in each channel, and a model learned from them."""
    papers = mixed_day(NOW - timedelta(days=1), 0, 8)
    if retitle:
        papers = [replace(p, title=retitle(p)) if p.id < "arxiv:2611.5" else p
                  for p in papers]
    store.upsert_papers(papers, NOW - timedelta(days=1))
    for channel in channels:
        teach(store, channel, papers, NOW - timedelta(hours=2))
        assert learn(store, channel, NOW - timedelta(hours=1))
    return papers


def plan(store, papers, at, zone: str = "UTC") -> None:
    store.upsert_papers(papers, at)
    plan_new_items(store, UpsertResult(new=[p.id for p in papers]), TalkChanges(), at, zone)


def arxiv_app(handler) -> web.Application:
    app = web.Application()
    app.router.add_get("/api/query", handler)
    return app


_SLACK_ANGLE = re.compile(r"<([^>]*)>")
_OWN_LINKS = re.compile(r"https://(arxiv\.org|doi\.org)/")


def assert_slack_inert(payload: dict) -> None:
    """No live `<!…>`, `<@…>`, `<#…>` in Slack's mrkdwn; links only to the papers' pages."""
    assert payload.get("link_names") in (None, False, "0", "false", 0)
    assert payload.get("parse") in (None, "none")
    for text in slack_texts(payload):
        for inner in _SLACK_ANGLE.findall(text):
            if inner.startswith("!date^"):
                continue
            url, bar, _ = inner.partition("|")
            assert bar and _OWN_LINKS.match(url), f"live markup <{inner[:80]}>"
        assert "evil.example" not in "".join(_SLACK_ANGLE.findall(text))


