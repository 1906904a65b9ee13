"""Neutral Messages as Discord embeds: titles with links, fields, footers, colours,
`<t:…>` timestamps, buttons, escaping, and every limit kept by trimming."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from adapters.discord.embeds import (
    COLOURS,
    CONTENT,
    TOTAL,
    fit,
    neutralize,
    render,
    stamps,
)
from bot.chat import Button, Message

START = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def talk(**changes) -> Message:
    fields = [("When", "Thu 3 Dec 2026, 15:00–16:00 Europe/London"),
              ("Speaker", "Grace Hopper (Harvard)"), ("Where", "Room 1")]
    base = dict(text="New talk: Compilers", title="New talk: Compilers",
                link="https://dept.example/talks/7", body="An abstract.", fields=fields,
                context="Colloquium · talk-0123456789ab · matched: compilers",
                kind="talk", starts_at=START, ends_at=START + timedelta(hours=1))
    return Message(**{**base, **changes})


def test_a_talk_is_an_embed_with_timestamps_each_reader_sees_in_their_zone():
    rendered = render(talk(), NOW)
    embed = rendered.embed.to_dict()
    assert embed["title"] == "New talk: Compilers"
    assert embed["url"] == "https://dept.example/talks/7"
    assert embed["color"] == COLOURS["talk"]
    assert embed["description"] == "An abstract."
    when = embed["fields"][0]
    assert when["name"] == "When"
    assert when["value"] == f"<t:{int(START.timestamp())}:F> – " \
        f"<t:{int(START.timestamp()) + 3600}:t> (<t:{int(START.timestamp())}:R>)"
    assert [f["name"] for f in embed["fields"]] == ["When", "Speaker", "Where"]
    assert embed["footer"]["text"].startswith("Colloquium · talk-0123456789ab")
    assert rendered.content is None
    assert rendered.remind == "talk-0123456789ab"


def test_colour_by_kind_and_remind_only_for_talks_still_ahead():
    for kind in ("reminder", "updated", "cancelled", "paper", "digest"):
        assert render(talk(kind=kind), NOW).embed.colour.value == COLOURS[kind]
    assert render(talk(kind="cancelled"), NOW).remind is None
    assert render(talk(), START + timedelta(minutes=1)).remind is None
    assert render(talk(starts_at=None), NOW).remind is None


async def test_buttons_keep_good_links_and_add_remind_me():
    message = talk(buttons=[Button("PDF", "https://arxiv.org/pdf/1"),
                            Button("Code", "javascript:alert(1)"),
                            Button("x" * 200, "https://github.com/a/b")])
    view = render(message, NOW).view()
    components = [c for row in view.to_components() for c in row["components"]]
    assert [c.get("url") for c in components] == [
        "https://arxiv.org/pdf/1", "https://github.com/a/b", None]
    assert len(components[1]["label"]) <= 80
    assert components[2]["custom_id"] == "remind:talk-0123456789ab"
    assert view.is_finished()  # sent as components, never kept in memory


def test_a_plain_reply_is_content_and_a_long_one_an_embed():
    short = render(Message(text="Subscribed: diffusion"))
    assert short.content == "Subscribed: diffusion" and short.embed is None
    long = render(Message(text="line of help\n" * 400))
    assert long.content is None and len(long.embed.description) <= 4096


def test_a_list_is_numbered_linked_items_cut_between_items():
    items = [Message(text=f"Paper {n}", title=f"Paper {n} " + "word " * 40,
                     link=f"https://arxiv.org/abs/{n}", context="A. Author · 2026-11-23")
             for n in range(60)]
    embed = render(Message(text="x", title="Latest papers", items=items, kind="list")).embed
    lines = embed.description.split("\n")
    assert lines[0].startswith("**1.** [Paper 0 word")
    assert lines[-1].startswith("…and ") and lines[-1].endswith(" more")
    assert len(embed.description) <= 4096 and len(embed) <= TOTAL


def test_listed_talks_show_timestamps():
    item = talk(title="Compilers", text="Compilers")
    embed = render(Message(text="x", title="Upcoming talks", items=[item], kind="list")).embed
    assert f"<t:{int(START.timestamp())}:F>" in embed.description
    assert "Grace Hopper (Harvard) · Room 1" in embed.description


def test_every_limit_is_kept_by_trimming():
    huge = Message(text="t" * 9000, title="T" * 5000, link="https://example.org/" + "a" * 3000,
                   body="word " * 10000, context="c" * 5000, kind="paper",
                   fields=[(f"name {n} " * 40, "value " * 400) for n in range(40)])
    rendered = render(huge)
    embed = rendered.embed.to_dict()
    assert len(embed["title"]) <= 256 and embed["title"].endswith("…")
    assert "url" not in embed  # too long to be a link Discord takes
    assert len(embed["fields"]) <= 25
    assert all(len(f["name"]) <= 256 and len(f["value"]) <= 1024 for f in embed["fields"])
    assert len(embed["footer"]["text"]) <= 2048
    assert len(embed["description"]) >= 900  # the abstract gives way, but not all of it
    assert len(rendered.embed) <= TOTAL


def test_escaping_never_pushes_text_over_its_limit():
    text = "*" * 3000
    assert len(fit(text, 256)) <= 256
    assert not fit(text, 256).rstrip("…").endswith("\\\\\\")  # no half escape
    assert len(fit("_" * (CONTENT + 5), CONTENT)) <= CONTENT


def test_source_text_is_inert():
    text = neutralize("@everyone @here <@123> <@&456> <#789> [click](https://evil.example) "
                      "**bold** https://arxiv.org/abs/2611_00001")
    assert "@everyone" not in text and "@here" not in text
    assert "<@" not in text and "<#" not in text
    assert "\\[click\\](https://evil.example)" in text
    assert "https://arxiv.org/abs/2611_00001" in text  # links stay clickable


def test_stamps_without_an_end():
    assert stamps(START, None) == f"<t:{int(START.timestamp())}:F> " \
        f"(<t:{int(START.timestamp())}:R>)"
