"""The composition root turns Slack settings into a working adapter: `lectern dispatch`
posts a planned announcement to the Slack channel through the real client."""

from __future__ import annotations

from bot.app.build import build
from bot.clock import FixedClock
from bot.models import Paper, TalkChanges
from bot.settings import load_settings
from jobs.planner import plan_new_items
from tests.conftest import NOW


async def test_dispatch_posts_to_slack_when_its_tokens_are_set(fake, store):
    settings = load_settings(environ={"SLACK_BOT_TOKEN": "xoxb-test",
                                      "SLACK_SIGNING_SECRET": "s3cret",
                                      "SLACK_API_URL": fake.api_url})
    store.add_subscription("slack:C0123", "diffusion", "papers", "U1", NOW)
    result = store.upsert_papers([Paper(id="x:1", title="Diffusion <!channel>", source="x",
                                        url="https://example.org/1")], NOW)
    plan_new_items(store, result, TalkChanges(), NOW, "UTC")

    report = await build(settings, FixedClock(NOW), store=store).dispatch_once()

    assert [e["channel"] for e in report.sent] == ["slack:C0123"]
    [post] = fake.posted
    assert post["channel"] == "C0123" and "<!channel>" not in str(post)
    [delivery] = store.delivery_history(status="sent")
    assert delivery.sent_ref  # the message ts, for threading follow-ups
