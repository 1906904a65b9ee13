"""The mention-injection and oversize corpus (the Slack issue's, plus Discord's own
syntax) through the real dispatcher, the real renderer and discord.py's HTTP client, and
through command replies: nothing pings, nothing shows as a member, role or channel, no
masked link is smuggled in, and nothing is refused for its size."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from adapters.discord import DiscordAdapter
from bot.chat import ChannelRef, Message
from bot.clock import FixedClock
from bot.models import Paper, Talk, TalkChanges, UpsertResult
from jobs.dispatch import dispatch_due
from jobs.planner import plan_new_items
from tests.adapters.discord.conftest import interact
from tests.adapters.discord.payloads import CHANNEL, option, slash
from tests.conftest import NOW

INJECTIONS = [
    "@everyone", "@here", "@Everyone hi", "<@123>", "<@!123>", "<@12345678901234567>",
    "<@&456>", "<#789>", "</papers search:1234>", "[click](https://evil.example)",
    "[click](<https://evil.example>)", "**[bold link](https://evil.example)**",
    "||spoiler||", "```code```", "> quote", "# Heading", "-# small", "<t:0:R>",
    "\\@everyone", "@\u200beveryone", "https://x.example/@everyone", "＠everyone",
    # the Slack issue's corpus: inert here too
    "<!channel>", "<!here>", "<!everyone>", "<@U0123ABC>", "<#C0123ABC>",
    "<https://evil.example|Click me>", "&lt;!channel&gt;", "*<!here>*", "`<!here>`",
]
HUGE_TITLE, HUGE_ABSTRACT = "Attention " * 500, "Diffusion <@123> [x](https://e.x) " * 1500
HOUR = timedelta(hours=1)
MASKED_LINK = re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\((<?[^)\s]*)")


def visible(body: dict) -> list[tuple[str, bool]]:
    """Every text a reader sees in a message payload, and whether Discord renders its
    markdown (footers are plain text)."""
    texts = [(body.get("content") or "", True)]
    for embed in body.get("embeds") or []:
        texts += [(embed.get("title") or "", True), (embed.get("description") or "", True),
                  ((embed.get("footer") or {}).get("text") or "", False)]
        for field in embed.get("fields") or []:
            texts += [(field["name"], True), (field["value"], True)]
    return texts


def assert_inert(body: dict, allowed_links: set[str]) -> None:
    assert body["allowed_mentions"] == {"parse": []}
    for text, markdown in visible(body):
        assert not re.search(r"@(everyone|here)", text, re.IGNORECASE), text
        assert not re.search(r"<[@#/]", text), text
        if not markdown:
            continue
        for target in MASKED_LINK.findall(text):
            assert target in allowed_links, (target, text)


def posted_bodies(fake) -> list[dict]:
    return [c.body for c in fake.calls_to("POST", f"/channels/{CHANNEL}/messages")]


def papers(marker: str) -> list[Paper]:
    return [Paper(id=f"arxiv:2613.{n:05d}", title=f"Diffusion {marker}{n} {text}",
                  source="arxiv", url=f"https://arxiv.org/abs/2613.{n:05d}",
                  abstract=f"{text} " * 3, authors=[text, "Ada"], categories=["cs.LG"],
                  published=NOW) for n, text in enumerate(INJECTIONS)]


async def announce(store, adapter, items: list[Paper], talks: list[Talk] = ()):
    new = store.upsert_papers(items, NOW) if items else UpsertResult()
    changes = store.upsert_talks("dept", list(talks), NOW) if talks else TalkChanges()
    plan_new_items(store, new, changes, NOW, "Europe/London")
    return await dispatch_due(store, {"discord": adapter}, NOW, "Europe/London")


@pytest.fixture
def subscribed(seeded):
    seeded.add_subscription(f"discord:{CHANNEL}", "diffusion OR folding", "all", "t",
                            NOW - HOUR)
    return seeded


async def test_announcements_one_by_one_and_as_a_list_are_inert(adapter, fake, subscribed):
    every = papers("p")
    for start in range(0, len(every), 5):  # five at a time: one announcement each
        report = await announce(subscribed, adapter, every[start:start + 5])
        assert not report.failed
    report = await announce(subscribed, adapter, [
        Paper(id=f"arxiv:2612.{n:05d}", title=f"Diffusion {text}", source="arxiv",
              url=f"https://arxiv.org/abs/2612.{n:05d}", published=NOW)
        for n, text in enumerate(INJECTIONS)])  # after downtime: one list message
    assert not report.failed and not fake.rejected
    bodies = posted_bodies(fake)
    assert len(bodies) == len(INJECTIONS) + 1
    links = {f"https://arxiv.org/abs/2612.{n:05d}" for n in range(len(INJECTIONS))}
    for body in bodies:
        assert_inert(body, links)


async def test_talks_with_injected_text_are_inert(adapter, fake, subscribed):
    start = NOW + timedelta(days=2)
    talks = [Talk(key=f"k{n}", title=f"Folding {text}", source="dept", start=start,
                  end=start + HOUR, speakers=[text], affiliation=text, location=text,
                  abstract=HUGE_ABSTRACT if n == 0 else f"{text} " * 5, series=text,
                  meeting_url="https://zoom.us/j/1?pwd=a&x=<b>")
             for n, text in enumerate(INJECTIONS)]
    for first in range(0, len(talks), 8):
        report = await announce(subscribed, adapter, [], talks[first:first + 8])
        assert not report.failed
    assert not fake.rejected and len(posted_bodies(fake)) == len(INJECTIONS)
    for body in posted_bodies(fake):
        assert_inert(body, set())


async def test_oversize_text_is_trimmed_never_refused(adapter, fake):
    message = Message(text=HUGE_TITLE, title=HUGE_TITLE, body=HUGE_ABSTRACT * 2,
                      link="https://arxiv.org/abs/1", kind="paper", context=HUGE_TITLE,
                      fields=[(HUGE_TITLE, HUGE_ABSTRACT)] * 30, key="big")
    await adapter.send(ChannelRef("discord", CHANNEL), message)
    await adapter.send(ChannelRef("discord", CHANNEL),
                       Message(text=HUGE_ABSTRACT + "@everyone", key="plain"))
    assert not fake.rejected and len(fake.created[CHANNEL]) == 2
    for body in posted_bodies(fake):
        assert_inert(body, set())


async def test_command_replies_are_inert_too(fake, subscribed, registry):
    subscribed.upsert_papers(papers("r"), NOW)
    adapter = DiscordAdapter(registry, token="t", api_url=fake.api_url, clock=FixedClock(NOW))
    await adapter.login()
    try:
        for path, options in [("papers search", [option("query", "diffusion")]),
                              ("papers latest", [option("n", 20)]),
                              ("seminars search", [option("query", "@everyone <@123>")]),
                              ("subscribe", [option("query", "@everyone [x](https://e.x)")])]:
            answer = await interact(adapter, fake, slash(path, options))
            links = {f"https://arxiv.org/abs/2613.{n:05d}" for n in range(len(INJECTIONS))}
            links.add("https://arxiv.org/abs/2611.00001")
            assert_inert(answer.data, links)
        assert not fake.rejected
    finally:
        await adapter.stop()
