"""Round 5: Slack's formatting marks in what a feed or a member wrote. Slack has no escape
for `*bold*`, `_italic_`, `~strike~` or `` `code` `` (a backslash shows as itself), so a
mark that could pair, with lectern's own `*title*` or with another in the text, is sent as
a look-alike that never formats; `<!here>`, `<@U…>` and `&` stay entities. Every path a
talk's title reaches a channel or a member is checked, through the fake Slack."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from adapters.slack.mrkdwn import escape, fit
from bot.chat import ChannelRef
from bot.models import Talk
from bot.render import (
    render_reminder,
    render_talk_announcement,
    render_talk_batch,
    render_talk_cancelled,
    render_talk_update,
)
from tests.adapters.slack.conftest import command_body, post, sign
from tests.conftest import NOW
from tests.slack_rules import mrkdwn_texts

C1, ANA = ChannelRef("slack", "C1"), ChannelRef.to_user("slack", "U0ANA")
# Shaped like real titles: "A* search" (planning papers), "~$58k … ~$16k" (approximate
# figures), a code name in backticks (Hugging Face daily papers), and a hostile part.
TITLE = "A* search in `torch.compile`: ~2x and ~3x faster _for all_ <!here> <@U123> & co"
SENT = ("A\u2217 search in \u02cbtorch.compile\u02cb: \u223c2x and \u223c3x faster "
        "\u02cdfor all\u02cd &lt;!here&gt; &lt;@U123&gt; &amp; co")
RAW = ("A* ", "`torch", " ~2x", "_for all_", "<!here>", "<@U123>", "& co")
TALK = Talk(key="k1", title=TITLE, source="s", start=NOW + timedelta(hours=2),
            speakers=["Ada *the* Lovelace"], location="Room ~1 and ~2",
            abstract="We show *bold* claims with `code` and <!channel>.", series="ML_Seminar")
TALK_ID = "talk-0123456789ab"
PATHS = {
    "announcement": lambda: render_talk_announcement(TALK_ID, TALK, "UTC", "ml"),
    "list": lambda: render_talk_batch([(TALK_ID, TALK, "ml")], "Upcoming talks", "UTC"),
    "reminder": lambda: render_reminder(TALK_ID, TALK, "UTC", NOW, late=False),
    "update": lambda: render_talk_update(TALK_ID, TALK, "UTC", ["location"]),
    "cancelled": lambda: render_talk_cancelled(TALK_ID, TALK, "UTC"),
}


def _texts(payload: dict) -> list[str]:
    """Every text Slack will parse as mrkdwn in a posted message, with its fallback."""
    blocks = payload.get("blocks")
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks or []
    return [payload.get("text") or "", *mrkdwn_texts(blocks)]


def _check(texts: list[str]) -> None:
    joined = "\n".join(texts)
    assert SENT in joined or SENT[:60] in joined, joined[:600]
    for raw in RAW:
        assert raw not in joined, (raw, joined[:600])
    assert "<!channel>" not in joined and "*bold*" not in joined


@pytest.mark.parametrize("path", sorted(PATHS))
@pytest.mark.parametrize("to", [C1, ANA], ids=["channel", "dm"])
async def test_formatting_marks_in_a_title_reach_no_slack_message_as_markup(
        make_adapter, fake, path, to):
    adapter = make_adapter()
    await adapter.send(to, PATHS[path]())
    [payload] = fake.posted
    _check(_texts(payload))


async def test_a_command_reply_sends_the_marks_as_look_alikes(http_adapter, fake, store):
    store.upsert_talks("s", [TALK], NOW)
    body = command_body(fake, "/seminars upcoming")
    status, _ = await post(http_adapter, body, sign(body, http_adapter.clock.now()))
    assert status == 200
    await fake.wait_for(lambda: fake.responses)
    _check(_texts(fake.responses[-1]))


@pytest.mark.parametrize("text, sent", [
    ("my_var and their_var", "my_var and their_var"),  # inside words: cannot pair
    ("'.', '_' or '-'", "'.', '_' or '-'"),  # one `_` alone cannot pair either
    ("a*b = 2 * 3", "a*b = 2 \u2217 3"),  # lectern's `*title*` would pair with it
    ("~$58.5k and ~$16.5k", "\u223c$58.5k and \u223c$16.5k"),
    ("ok ~5", "ok ~5"), ("```rm -rf *```", "\u02cb\u02cb\u02cbrm -rf \u2217\u02cb\u02cb\u02cb"),
    ("__init__", "\u02cd\u02cdinit\u02cd\u02cd")])
def test_a_mark_is_changed_only_where_it_could_pair(text, sent):
    assert escape(text) == sent
    assert fit(text, 5000) == sent


def test_a_cut_text_marks_as_the_whole_does():
    text = "~1x " + "word " * 100 + "~2x"
    cut = fit(text, 40)
    assert cut.startswith("\u223c1x ") and cut.endswith("…")
