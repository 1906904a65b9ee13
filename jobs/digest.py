"""Daily digests: paper matches wait for one message per channel at its local digest time.

Each digest channel has a `day` row in the outbox due at its next digest moment; paper
matches are planned for the same moment, so the dispatcher finds them together. On a day
no arXiv paper arrived the digest says so instead of staying silent, and tells a day
without a scheduled announcement (Friday, Saturday) from one whose listing brought
nothing (a holiday, or a stale listing).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot import render
from bot.chat import Message
from bot.health import arxiv_announcement_between
from bot.models import Paper
from bot.outbox import DIGEST, Delivery
from bot.taste import Tastes, size_of, strength
from jobs.planner import next_digest_at
from storage.deliveries import move_waiting, sent_ahead
from storage.store import Store


def plan_digest_days(store: Store, now: datetime, default_zone: str) -> int:
    """Make sure every digest channel has a row for its next digest moment, and that what
    waits for a digest waits for that moment: a channel whose digest time or zone changed
    gets one digest, at the new time, not one at each; one that turned digests off gets
    what waited at once; one whose clock was set back past a digest it sent waits for
    the next."""
    planned, moments = [], {}
    before = now - timedelta(seconds=1)
    done = sent_ahead(store.db, DIGEST, before)  # after a clock set back: not again
    for channel in store.list_channels():
        if not channel.digest_time:
            moments[channel.id] = now
            continue
        moment = next_digest_at(channel, before, default_zone)
        while moment in done.get(channel.id, ()):
            moment = next_digest_at(channel, moment, default_zone)
        day = moment.astimezone(ZoneInfo(channel.timezone or default_zone)).date()
        planned.append(Delivery(channel.id, "day", day.isoformat(), DIGEST, moment))
        moments[channel.id] = moment
    move_waiting(store.db, DIGEST, now, moments)
    return store.plan_deliveries(planned, now)


def digest_message(store: Store, rows: list[Delivery], now: datetime) -> Message | None:
    """One message for a channel's due digest rows; None when there is nothing to say."""
    papers = [row for row in rows if row.item_kind == "paper"]
    days = sorted(row.item_id for row in rows if row.item_kind == "day")
    day = days[-1] if days else now.date().isoformat()
    if not papers:
        if store.count_arxiv_papers_since(now - timedelta(days=1)) == 0:
            due = arxiv_announcement_between(now - timedelta(days=1), now)
            return render.render_quiet_digest(day, due)
        return None
    heading = f"Digest for {day}: {len(papers)} new paper{'s' * (len(papers) != 1)}"
    message = ranked_batch(store, papers, heading, now)
    if message is None:
        return None
    message.kind = "digest"
    return message


def ranked_batch(store: Store, rows: list[Delivery], heading: str,
                 now: datetime) -> Message | None:
    """The papers of a channel's rows as one list: the most interesting first by its taste
    model (bot.taste), else those whose title holds more of the words that matched them
    first, then those more words matched (bot.taste.strength), then the most upvoted
    (Hugging Face's signal), then the newest;
    trimmed to the channel's digest size, the rest counted with a search to find them.
    None when none of the papers is stored any more."""
    found = {row.item_id: (paper, row) for row in rows
             if (paper := _paper(store, row.item_id)) is not None}
    if not found:
        return None
    papers = sorted((paper for paper, _ in found.values()), key=lambda paper: (
        (0, 0) if found[paper.id][1].recommended else strength(paper, found[paper.id][1].matched),
        paper.upvotes or 0, paper.published or datetime.min.replace(tzinfo=now.tzinfo)),
        reverse=True)
    ordered = Tastes(store).order(rows[0].channel_id, papers)
    size = size_of(store.get_channel(rows[0].channel_id))
    shown, rest = ordered[:size], ordered[size:]
    search = next((found[p.id][1].matched for p in rest if not found[p.id][1].recommended
                   and found[p.id][1].matched), None)
    return render.render_paper_batch(
        [(p, found[p.id][1].matched) for p in shown], heading, more=len(rest), search=search,
        recommended={p.id for p in shown if found[p.id][1].recommended})


def _paper(store: Store, paper_id: str) -> Paper | None:
    found = store.get_paper(paper_id)
    return found[0] if found else None
