"""The whole loop with an injectable clock, never sleeping: subscribe, ingest, plan,
dispatch, move time, reminders, late and skipped ones, updates, cancellations, digests."""

from __future__ import annotations

import pytest

from bot.models import (
    ANNOUNCE_REPLACE,
    TALK_CANCELLED,
)
from tests.jobs.loopworld import T0, Bot, D, H, M, paper, talk


@pytest.fixture
def bot(store):
    return Bot(store)


async def test_a_matching_paper_is_announced_once_with_what_matched(bot):
    bot.subscribe("console:ml", "diffusion")
    bot.subscribe("console:ml", "author:lovelace")  # a second way to the same paper
    bot.papers(paper(1), paper(2, title="Graph Networks", authors=["Alan Turing"]))
    report = await bot.dispatch(bot.now)
    assert [e["item_id"] for e in report.sent] == ["arxiv:2611.00001"]
    [text] = bot.adapter.texts("console:ml")
    assert "Diffusion Models" in text and "matched: diffusion" in text
    # The same paper from another source, and dispatching again, post nothing more.
    bot.papers(paper(1, source="hf-daily", upvotes=10))
    assert (await bot.dispatch(bot.now + M)).sent == []
    assert len(bot.adapter.sent) == 1


async def test_no_backlog_and_no_replacements(bot):
    bot.papers(paper(1))  # stored before anyone subscribed
    bot.subscribe("console:ml", "diffusion")
    bot.papers(paper(1, version=2, announce_type=ANNOUNCE_REPLACE),
               paper(3, announce_type=ANNOUNCE_REPLACE))
    assert (await bot.dispatch(bot.now)).sent == []


async def test_kinds_and_channels_are_separate(bot):
    bot.subscribe("console:papers-only", "diffusion", kinds="papers")
    bot.subscribe("console:talks-only", "diffusion", kinds="talks")
    bot.papers(paper(1))
    bot.talks("dept", talk("a", T0 + 3 * D))
    await bot.dispatch(bot.now)
    assert len(bot.adapter.texts("console:papers-only")) == 1
    assert "New talk" in bot.adapter.texts("console:talks-only")[0]
    assert len(bot.adapter.texts("console:talks-only")) == 1


async def test_reminders_at_each_offset_in_the_channel_zone(bot):
    bot.subscribe("console:ml", "diffusion")
    bot.store.update_channel("console:ml", timezone="Asia/Shanghai")
    start = T0 + 2 * D  # 09:00 UTC = 17:00 in Shanghai
    bot.talks("dept", talk("a", start))
    texts = await bot.run_until(start + H)
    assert len(texts) == 3
    assert texts[0].startswith("New talk") and "17:00–18:00 Asia/Shanghai" in texts[0]
    assert texts[1].startswith("Reminder (starts in 1d)")
    assert texts[2].startswith("Reminder (starts in 15m)")
    sent = {d.purpose.text.split("@")[0]: d for d in bot.store.delivery_history(status="sent")}
    assert set(sent) == {"announce", "reminder:1440", "reminder:15"}


async def test_reminders_missed_in_downtime_collapse_and_are_marked_late(bot):
    bot.subscribe("console:ml", "diffusion")
    start = T0 + 2 * D
    bot.talks("dept", talk("a", start))
    await bot.dispatch(T0)  # the announcement
    # Down from before the 24h reminder until 10 minutes before the talk.
    report = await bot.dispatch(start - 10 * M)
    assert [(e["purpose"], e["late"]) for e in report.sent] == [("reminder", True)]
    assert [e["reason"] for e in report.skipped] == ["collapsed into a later reminder"]
    assert "late" in bot.adapter.texts()[-1]


async def test_a_reminder_after_the_talk_started_is_skipped_and_recorded(bot):
    bot.subscribe("console:ml", "diffusion")
    start = T0 + 2 * D
    bot.talks("dept", talk("a", start))
    await bot.dispatch(T0)
    report = await bot.dispatch(start + 5 * M)
    assert report.sent == [] and {e["reason"] for e in report.skipped} == {
        "the talk had started"}
    assert all(d.status != "pending" for d in bot.store.delivery_history())


async def test_a_moved_talk_gets_a_notice_and_its_reminders_move(bot):
    bot.subscribe("console:ml", "diffusion")
    start = T0 + 3 * D
    bot.talks("dept", talk("a", start))
    await bot.dispatch(T0)
    later = start + 2 * D
    bot.talks("dept", talk("a", later, location="Room 2"))
    texts = await bot.run_until(later + H, step=5 * M)
    assert texts[0].startswith("Rescheduled:") and "changed: time, end time, room" in texts[0]
    reminders = [t for t in texts if t.startswith("Reminder")]
    assert len(reminders) == 2  # at the new times only
    skipped = bot.store.delivery_history(status="skipped")
    assert {d.note for d in skipped} == {"talk moved"}


async def test_a_cancelled_talk_gets_a_notice_and_no_reminders(bot):
    bot.subscribe("console:ml", "diffusion")
    start = T0 + 3 * D
    bot.talks("dept", talk("a", start), covers=(T0 - D, T0 + 30 * D))
    await bot.dispatch(T0)
    changes = bot.talks("dept", talk("b", start + D, title="Other"),
                        covers=(T0 - D, T0 + 30 * D))
    assert changes.cancelled
    texts = await bot.run_until(start + H, step=30 * M)
    assert [t.split(":")[0] for t in texts] == ["Cancelled"]


async def test_a_talk_cancelled_before_its_announcement_is_never_mentioned(bot):
    bot.subscribe("console:ml", "diffusion")
    start = T0 + 3 * D
    bot.talks("dept", talk("a", start))
    bot.talks("dept", talk("a", start, status=TALK_CANCELLED))
    assert await bot.run_until(start + H, step=H) == []


async def test_digest_waits_for_local_time_and_ranks_by_upvotes(bot):
    bot.subscribe("console:ml", "diffusion")
    bot.store.update_channel("console:ml", digest_time="09:00", timezone="Asia/Tokyo")
    bot.papers(paper(1, upvotes=3), paper(2, upvotes=50, title="Diffusion Transformers"))
    assert (await bot.dispatch(bot.now)).sent == []
    # 09:00 in Tokyo is 00:00 UTC the next day.
    texts = await bot.run_until(T0 + D, step=30 * M)
    assert len(texts) == 1
    assert texts[0].startswith("Digest for 2026-11-24: 2 new papers")
    assert texts[0].index("Diffusion Transformers") < texts[0].index("Diffusion Models")


async def test_a_digest_without_a_taste_puts_the_titles_that_name_its_topic_first(bot):
    bot.subscribe("console:ml", "diffusion OR \"score matching\"")
    bot.store.update_channel("console:ml", digest_time="09:00", timezone="UTC")
    bot.papers(paper(1, upvotes=90, title="Video Generation at Scale",
                     abstract="We train a diffusion model."),
               paper(2, upvotes=0, title="Sliced Score Matching for Diffusion Models"),
               paper(3, upvotes=5, title="Diffusion on Graphs"))
    [text] = await bot.run_until(T0 + D, step=30 * M)
    order = [text.index(t) for t in ("Sliced Score", "Diffusion on Graphs", "Video Gen")]
    assert order == sorted(order)  # two of its words in the title, one, none


async def test_a_digest_on_an_announcement_day_without_papers_does_not_blame_a_weekend(bot):
    """Monday evening's announcement was due; no paper came: a holiday or a stale listing,
    not "no announcement today"."""
    bot.subscribe("console:ml", "diffusion")
    bot.store.update_channel("console:ml", digest_time="09:00", timezone="UTC")
    texts = await bot.run_until(T0 + D + H, step=30 * M)
    assert len(texts) == 1 and "announcement of Tue 24 Nov 01:00 UTC brought no new " \
        "papers here: an arXiv holiday, or the listing looks stale" in texts[0]
    assert "made no announcement" not in texts[0]


async def test_a_digest_after_a_day_without_an_announcement_says_so(bot):
    """Saturday's digest: arXiv announces nothing on Friday and Saturday evenings."""
    bot.subscribe("console:ml", "diffusion")
    bot.now = T0 + 4 * D  # Friday 09:00 UTC
    bot.store.update_channel("console:ml", digest_time="09:00", timezone="UTC")
    texts = await bot.run_until(T0 + 5 * D + H, step=30 * M)
    assert texts and "Digest for 2026-11-28: arXiv made no announcement since the last " \
        "digest" in texts[-1]


async def test_digest_on_a_day_with_announcements_but_no_match_stays_quiet(bot):
    bot.subscribe("console:ml", "diffusion")
    bot.store.update_channel("console:ml", digest_time="09:00", timezone="UTC")
    bot.papers(paper(1, title="Graph Networks"))
    assert await bot.run_until(T0 + D + H, step=30 * M) == []


async def test_talks_are_not_held_back_by_a_digest(bot):
    bot.subscribe("console:ml", "diffusion")
    bot.store.update_channel("console:ml", digest_time="18:00")
    bot.talks("dept", talk("a", T0 + 3 * D))
    report = await bot.dispatch(bot.now)
    assert [e["purpose"] for e in report.sent] == ["announce"]


async def test_many_matches_at_once_become_one_message(bot):
    bot.subscribe("console:ml", "diffusion")
    bot.papers(*(paper(n) for n in range(1, 31)))
    report = await bot.dispatch(bot.now)
    assert len(report.sent) == 30 and len(bot.adapter.sent) == 1
    assert "30 new papers" in bot.adapter.texts()[0] and "20 more" in bot.adapter.texts()[0]


async def test_a_catch_up_list_skips_what_is_no_longer_stored(bot):
    bot.subscribe("console:ml", "diffusion")
    bot.papers(*(paper(n) for n in range(1, 8)))
    bot.store.db.execute("DELETE FROM papers WHERE id = ?", ["arxiv:2611.00003"])
    report = await bot.dispatch(bot.now)
    assert [e["item_id"] for e in report.skipped] == ["arxiv:2611.00003"]
    assert report.skipped[0]["reason"] == "paper no longer stored"
    [text] = bot.adapter.texts()
    assert "6 new papers" in text and "2611.00003" not in text and "more" not in text


async def test_a_channel_the_bot_cannot_post_to_is_paused_not_retried(bot):
    from bot.chat import DeliveryError
    bot.subscribe("console:ml", "diffusion")
    bot.papers(paper(1))
    bot.adapter.fail_with = DeliveryError("not_in_channel", permanent=True)
    report = await bot.dispatch(bot.now)
    assert [e["reason"] for e in report.failed] == ["not_in_channel"]
    assert bot.store.get_channel("console:ml").paused_reason == "not_in_channel"
    bot.adapter.fail_with = None
    bot.papers(paper(2))
    assert (await bot.dispatch(bot.now + M)).sent == []  # paused: kept, not sent
    bot.store.update_channel("console:ml", paused_reason=None, now=bot.now)  # /settings resume
    resumed = await bot.dispatch(bot.now + 2 * M)
    assert [e["item_id"] for e in resumed.sent] == [paper(2).id]
    assert len(bot.adapter.sent) == 1 and paper(2).title in bot.adapter.texts()[0]


async def test_a_passing_failure_is_retried_later(bot):
    from bot.chat import DeliveryError
    bot.subscribe("console:ml", "diffusion")
    bot.papers(paper(1))
    bot.adapter.fail_with = DeliveryError("503 from the platform")
    assert (await bot.dispatch(bot.now)).sent == []
    bot.adapter.fail_with = None
    assert (await bot.dispatch(bot.now + M)).sent == []  # backing off
    assert len((await bot.dispatch(bot.now + 5 * M)).sent) == 1


async def test_changed_offsets_replan_pending_reminders(bot):
    from jobs.planner import replan_reminders
    bot.subscribe("console:ml", "diffusion")
    start = T0 + 3 * D
    bot.talks("dept", talk("a", start))
    await bot.dispatch(T0)
    bot.store.update_channel("console:ml", reminder_offsets=(120, 15))
    replan_reminders(bot.store, "console:ml", bot.now)
    texts = await bot.run_until(start, step=5 * M)
    assert [t.split(":")[0] for t in texts] == ["Reminder (starts in 2h)",
                                                "Reminder (starts in 15m)"]


async def test_a_talk_moved_away_and_back_keeps_its_reminders(bot):
    bot.subscribe("console:ml", "diffusion")
    start = T0 + 3 * D
    bot.talks("dept", talk("a", start))
    await bot.dispatch(T0)
    bot.talks("dept", talk("a", start + D))
    bot.talks("dept", talk("a", start))
    texts = await bot.run_until(start, step=5 * M)
    assert [t for t in texts if t.startswith("Reminder")] != []
    assert len([t for t in texts if t.startswith("Reminder")]) == 2


async def test_follow_ups_thread_under_the_announcement_with_stable_keys(bot):
    bot.subscribe("console:ml", "diffusion")
    start = T0 + 2 * D
    bot.talks("dept", talk("a", start))
    await bot.dispatch(T0)
    announcement = bot.adapter.sent[0][1]
    assert announcement.kind == "talk" and announcement.starts_at == start
    assert announcement.reply_to is None and announcement.key.startswith("lectern-")
    await bot.run_until(start, step=5 * M)
    reminders = [m for _, m in bot.adapter.sent[1:]]
    assert [m.kind for m in reminders] == ["reminder", "reminder"]
    assert {m.reply_to for m in reminders} == {"1"}  # the announcement's SentRef id
    assert len({m.key for _, m in bot.adapter.sent}) == 3
