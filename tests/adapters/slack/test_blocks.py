"""Block Kit rendering (pure): each kind's layout, escaping of a mention-injection corpus,
and trimming within Slack's limits with an ellipsis and a link."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from adapters.slack.blocks import render
from adapters.slack.mrkdwn import escape, fit, safe_url, size
from bot import render as core
from bot.chat import Button, Message
from bot.models import Paper, Talk
from tests.conftest import NOW
from tests.slack_rules import block_kit_problems, mrkdwn_texts

TALK_ID = "talk-0123456789ab"
INJECTIONS = [
    "<!channel>", "<!here>", "<!everyone>", "<@U0123ABC>", "<#C0123ABC>", "<!subteam^S1>",
    "<!channel|channel>", "<https://evil.example|Click me>", "<mailto:a@b.c|mail>",
    "<!date^1700000000^{date}|x>", "&lt;!channel&gt;", "&amp;lt;!here&amp;gt;", "@channel",
    "@here hi", "< !channel >", "<<!channel>>", "<\n!here>", "*<!here>*", "`<!here>`",
    "＜!channel＞", "<!here", "!channel>", "a|b>c<d",
]


def paper(**fields) -> Paper:
    base = dict(id="arxiv:2611.00001", title="Diffusion Models", source="arxiv",
                url="https://arxiv.org/abs/2611.00001", abstract="We study things.",
                authors=["Ada Lovelace", "Alan Turing"], categories=["cs.LG", "stat.ML"],
                upvotes=12, pdf_url="https://arxiv.org/pdf/2611.00001",
                github_url="https://github.com/lab/diffusion", published=NOW)
    return Paper(**{**base, **fields})


def talk(**fields) -> Talk:
    start = NOW + timedelta(days=2)
    base = dict(key="a", title="Folding", source="dept", start=start,
                end=start + timedelta(hours=1), speakers=["Grace Hopper"],
                affiliation="Navy", location="Room 1", series="Colloquium",
                meeting_url="https://zoom.us/j/1?pwd=a&x=<b>", abstract="Proteins fold.")
    return Talk(**{**base, **fields})


def ok(message: Message) -> tuple[str, list[dict]]:
    text, blocks = render(message)
    assert block_kit_problems({"text": text, "blocks": blocks}) == []
    assert all(e.get("verbatim") is True for e in _mrkdwn_objects(blocks))
    return text, blocks


def _mrkdwn_objects(node) -> list[dict]:
    if isinstance(node, dict):
        here = [node] if node.get("type") == "mrkdwn" else []
        return here + [o for v in node.values() for o in _mrkdwn_objects(v)]
    if isinstance(node, list):
        return [o for v in node for o in _mrkdwn_objects(v)]
    return []


def test_a_paper_has_its_linked_title_facts_abstract_and_buttons():
    text, blocks = ok(core.render_paper_announcement(paper(), "diffusion"))
    assert [b["type"] for b in blocks] == ["section", "section", "section", "context",
                                           "actions"]
    assert "*<https://arxiv.org/abs/2611.00001|Diffusion Models>*" in blocks[0]["text"]["text"]
    facts = [f["text"] for f in blocks[1]["fields"]]
    assert facts == ["*Authors*\nAda Lovelace, Alan Turing", "*Categories*\ncs.LG stat.ML",
                     "*Upvotes*\n12"]
    assert blocks[2]["text"]["text"] == "We study things."
    assert "matched: diffusion" in blocks[3]["elements"][0]["text"]
    assert [(e["text"]["text"], e.get("url") or e["value"])
            for e in blocks[4]["elements"]] == [
        ("PDF", "https://arxiv.org/pdf/2611.00001"),
        ("Code", "https://github.com/lab/diffusion"),
        (":thumbsup: More like this", "up arxiv:2611.00001"),
        (":thumbsdown: Not for us", "down arxiv:2611.00001")]
    assert text.startswith("Diffusion Models\n") and "[PDF]" in text


def test_a_talk_shows_each_reader_their_own_time_and_a_remind_button():
    _, blocks = ok(core.render_talk_announcement(TALK_ID, talk(), "Asia/Tokyo", "folding"))
    facts = " ".join(f["text"] for f in blocks[1]["fields"])
    start = int((NOW + timedelta(days=2)).timestamp())
    assert f"<!date^{start}^{{date_long_pretty}}, {{time}}|" in facts
    assert f"<!date^{start + 3600}^{{time}}|" in facts
    assert "Grace Hopper (Navy)" in facts and "Room 1" in facts
    assert "<https://zoom.us/j/1?pwd=a&amp;x=%3Cb%3E|" in facts
    added, remind = blocks[-1]["elements"]
    assert remind["action_id"] == f"remind:{TALK_ID}" and "url" not in remind
    assert added["url"].startswith("https://calendar.google.com/calendar/render?")


@pytest.mark.parametrize("kind", ["reminder", "updated", "cancelled"])
def test_follow_ups_say_what_changed_and_only_a_moved_talk_offers_remind_me(kind):
    item = talk()
    if kind == "reminder":
        message = core.render_reminder(TALK_ID, item, "UTC", NOW, late=True)
    elif kind == "updated":
        message = core.render_talk_update(TALK_ID, item, "UTC", ["start", "location"])
    else:
        message = core.render_talk_cancelled(TALK_ID, item, "UTC")
    _, blocks = ok(message)
    assert ("remind:" in str(blocks)) is (kind == "updated")
    notes = next(b for b in blocks if b["type"] == "context")["elements"][0]["text"]
    if kind == "updated":
        assert "changed: time, room" in notes
    if kind == "reminder":
        assert "late" in notes


def test_a_digest_lists_its_papers_with_a_heading():
    message = core.render_paper_batch([(paper(id=f"arxiv:{n}"), "diffusion")
                                       for n in range(10)], "Digest for 2026-11-23", more=4)
    message.kind = "digest"
    _, blocks = ok(message)
    assert blocks[0] == {"type": "header", "text": {
        "type": "plain_text", "text": "Digest for 2026-11-23", "emoji": False}}
    assert len(blocks) == 12
    menu = blocks[1]["accessory"]  # each paper's ⋯ menu: its PDF, 👍 and 👎
    assert menu["type"] == "overflow" and menu["action_id"] == "vote:menu:0"
    assert [(o["text"]["text"], o.get("url") or o["value"]) for o in menu["options"]] == [
        ("PDF", "https://arxiv.org/pdf/2611.00001"),
        (":thumbsup: More like this", "up arxiv:0"),
        (":thumbsdown: Not for us", "down arxiv:0")]
    assert "12 upvotes" in blocks[1]["text"]["text"]
    assert "4 more" in blocks[-1]["elements"][0]["text"]


def test_a_quiet_digest_and_plain_replies_are_text():
    _, blocks = ok(core.render_quiet_digest("2026-11-22"))
    assert [b["type"] for b in blocks] == ["section"]
    _, blocks = ok(Message(text="line one\n  • indented two", title="Settings",
                           fields=[("Timezone", "UTC")]))
    assert blocks == [{"type": "section", "text": {
        "type": "mrkdwn", "text": "line one\n  • indented two", "verbatim": True}}]


def test_mention_injection_is_escaped_everywhere():
    for attack in INJECTIONS:
        item = paper(title=f"Title {attack}", abstract=f"Abstract {attack}",
                     authors=[f"Author {attack}"], categories=[attack],
                     url=f"https://arxiv.org/abs/1?q={attack}")
        message = core.render_paper_announcement(item, f"matched {attack}")
        message.buttons.append(Button(f"Go {attack}", f"https://x.org/{attack}"))
        talk_message = core.render_talk_announcement(
            TALK_ID, talk(title=attack, speakers=[attack], location=attack,
                          meeting_url=f"https://zoom.us/{attack}", series=attack), "UTC",
            attack)
        listing = core.render_list(f"Results for {attack}", [message, talk_message], "none")
        for rendered in (message, talk_message, listing, Message(text=attack)):
            text, blocks = ok(rendered)
            for markup in [text, *mrkdwn_texts(blocks)]:
                _assert_inert(markup)


def _assert_inert(markup: str) -> None:
    """Only lectern's own `<https://...|label>` links and `<!date^...>` tokens remain."""
    for token in re.findall(r"<([^>]*)>?", markup):
        assert token.startswith(("http://", "https://", "!date^")), (token, markup)
        target, _, label = token.partition("|")
        assert not re.search(r"[<>|\s]", target.split("^")[0]), token
    for danger in ("<!channel", "<!here", "<!everyone", "<@", "<#", "<!subteam", "<mailto"):
        assert danger not in markup


def test_unusable_urls_are_not_linked():
    assert safe_url("javascript:alert(1)") is None and safe_url("https://a b") is not None
    assert safe_url("https://x.org/" + "a" * 3000) is None
    _, blocks = ok(Message(text="t", title="T", kind="paper", link="javascript:alert(1)",
                           buttons=[Button("Bad", "ftp://x"), Button("Good", "https://x")]))
    assert blocks[0]["text"]["text"] == ":page_facing_up: *T*"
    assert [e["text"]["text"] for e in blocks[-1]["elements"]] == ["Good"]


def test_a_5000_character_title_and_a_50000_character_abstract_are_trimmed():
    huge = paper(title="Attention " * 500, abstract="Diffusion & <noise> " * 2500)
    message = core.render_paper(huge)
    message.body = huge.abstract  # the core trims abstracts; the adapter must not rely on it
    text, blocks = ok(message)
    title = blocks[0]["text"]["text"]
    assert title.endswith("…>*") and "https://arxiv.org/abs/2611.00001" in title
    body = blocks[2]["text"]["text"]
    assert size(body) <= 3000 and body.endswith("… <https://arxiv.org/abs/2611.00001|more>")
    assert "&amp; &lt;noise&gt;" in body and size(text) < 4000


def test_long_replies_and_lists_stay_within_50_blocks():
    _, blocks = ok(Message(text="\n".join(f"line {n} " + "x" * 200 for n in range(2000))))
    assert len(blocks) == 50 and "more not shown" in blocks[-1]["elements"][0]["text"]
    items = [Message(text=f"hit {n}", title=f"Hit {n}", link=f"https://x.org/{n}")
             for n in range(80)]
    _, blocks = ok(core.render_list("Results", items, "none"))
    assert len(blocks) == 50


@pytest.mark.parametrize("text", ["a" * 3001, "&" * 1200, "😀" * 1600, "<" * 999 + "b" * 5])
def test_fit_counts_what_slack_counts(text):
    fitted = fit(text, 3000, "https://x.org/all")
    assert size(fitted) <= 3000 and (fitted == escape(text) or fitted.endswith("|more>"))
    assert not fitted.endswith("&amp") and "&a…" not in fitted
