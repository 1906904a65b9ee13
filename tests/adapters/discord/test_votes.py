"""👍/👎 on Discord: a paper posted through discord.py carries the two buttons, a list the
two menus; a click on either, as Discord sends it back (also after a restart: the
components are dynamic items), is `/papers vote` for the member who clicked, answered only
to them."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.chat import ChannelRef
from bot.render import render_paper, render_paper_batch
from tests.adapters.discord.conftest import interact
from tests.adapters.discord.payloads import CHANNEL, MEMBER, _base, button, posted
from tests.conftest import NOW
from tests.tasteworld import mixed_day

PAPER = "arxiv:2611.00001"  # stored by the conftest's `seeded`


def menu_click(custom_id: str, value: str, message: dict) -> dict[str, Any]:
    """A choice in one of lectern's menus, as Discord sends it."""
    payload = _base(3, {"custom_id": custom_id, "component_type": 3, "values": [value]},
                    MEMBER, CHANNEL)
    payload["message"] = message
    return payload


def answer_text(answer) -> str:
    return answer.data.get("content") or ""


async def test_an_announcement_has_buttons_that_vote(adapter, fake, seeded):
    paper, _ = seeded.get_paper(PAPER)
    await adapter.send(ChannelRef("discord", CHANNEL), render_paper(paper))
    [sent] = fake.created[CHANNEL]
    buttons = [c for row in sent["components"] for c in row["components"]]
    assert [b.get("custom_id") for b in buttons if b.get("custom_id")] == [
        f"vote:up:{PAPER}", f"vote:down:{PAPER}"]
    clicked = posted(components=sent["components"])
    answer = await interact(adapter, fake, button(f"vote:down:{PAPER}", clicked))
    assert answer.ephemeral and "1 👎" in answer_text(answer)
    assert seeded.votes.tally(f"discord:{CHANNEL}")[PAPER].down == 1


async def test_a_list_has_two_menus_naming_its_papers(adapter, fake, seeded):
    papers = mixed_day(NOW, 0, 3)
    seeded.upsert_papers(papers, NOW)
    message = render_paper_batch([(p, "deep learning") for p in papers], "Digest")
    await adapter.send(ChannelRef("discord", CHANNEL), message)
    [sent] = fake.created[CHANNEL]
    menus = [c for row in sent["components"] for c in row["components"] if c["type"] == 3]
    assert [m["custom_id"] for m in menus] == ["votes:up", "votes:down"]
    assert [o["value"] for o in menus[0]["options"]] == [p.id for p in papers]
    assert menus[0]["options"][0]["label"].startswith("1. ")
    liked = papers[1].id
    answer = await interact(adapter, fake, menu_click("votes:up", liked,
                                                      posted(components=sent["components"])))
    assert answer.ephemeral and "1 👍" in answer_text(answer)
    assert list(seeded.votes.tally(f"discord:{CHANNEL}")) == [liked]
    assert len(fake.created[CHANNEL]) == 1  # nothing posted to the channel


async def test_the_longest_id_a_custom_id_holds_gets_buttons_that_vote(adapter, fake, seeded):
    """"vote:down:" leaves 90 of the custom_id's 100 characters for the id (a long DOI);
    one more and the paper has no buttons (/papers vote still works)."""
    paper, _ = seeded.get_paper(PAPER)
    longest = replace(paper, id="doi:10.1000/" + "x" * 78)
    seeded.upsert_papers([longest], NOW)
    await adapter.send(ChannelRef("discord", CHANNEL), render_paper(longest))
    [sent] = fake.created[CHANNEL]
    clicked = posted(components=sent["components"])
    answer = await interact(adapter, fake, button(f"vote:up:{longest.id}", clicked))
    assert answer.ephemeral and "1 👍" in answer_text(answer)
    too_long = replace(paper, id=longest.id + "y")
    await adapter.send(ChannelRef("discord", CHANNEL), render_paper(too_long))
    assert not any(c.get("custom_id", "").startswith("vote:") for row in
                   fake.created[CHANNEL][1].get("components", []) for c in row["components"])
