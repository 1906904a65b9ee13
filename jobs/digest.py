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
from bot.outbox import DIGEST, RECOMMENDED, Delivery
from bot.taste import Tastes, size_of
from jobs.planner import next_digest_at
from storage.store import Store


def plan_digest_days(store: Store, now: datetime, default_zone: str) -> int:
    """Make sure every digest channel has a row for its next digest moment."""
    planned = []
    for channel in store.list_channels():
        if not channel.digest_time:
            continue
        moment = next_digest_at(channel, now - timedelta(seconds=1), default_zone)
        day = moment.astimezone(ZoneInfo(channel.timezone or default_zone)).date()
        planned.append(Delivery(channel.id, "day", day.isoformat(), DIGEST, moment))
    return store.plan_deliveries(planned, now)


def digest_message(store: Store, rows: list[Delivery], now: datetime) -> Message | None:
    """One message for a channel's due digest rows; None when there is nothing to say."""
    papers = []
    for row in rows:
        if row.item_kind == "paper" and (found := store.get_paper(row.item_id)):
            papers.append((found[0], row.matched))
    days = sorted(row.item_id for row in rows if row.item_kind == "day")
    day = days[-1] if days else now.date().isoformat()
    if not papers:
        if store.count_arxiv_papers_since(now - timedelta(days=1)) == 0:
            due = arxiv_announcement_between(now - timedelta(days=1), now)
            return render.render_quiet_digest(day, due)
        return None
    heading = f"Digest for {day}: {len(papers)} new paper{'s' * (len(papers) != 1)}"
    message = ranked_batch(store, rows[0].channel_id, papers, heading, now)
    message.kind = "digest"
    return message


def ranked_batch(store: Store, channel_id: str, papers: list[tuple[Paper, str | None]],
                 heading: str, now: datetime) -> Message:
    """Several papers as one list: the most interesting first by the channel's taste
    model (bot.taste), else the most upvoted (Hugging Face's signal) then the newest;
    trimmed to the channel's digest size, the rest counted with a search to find them."""
    papers = sorted(papers, key=lambda item: (
        item[0].upvotes or 0, item[0].published or datetime.min.replace(tzinfo=now.tzinfo)),
        reverse=True)
    matched = {paper.id: why for paper, why in papers}
    ordered = Tastes(store).order(channel_id, [paper for paper, _ in papers])
    size = size_of(store.get_channel(channel_id))
    shown, rest = ordered[:size], ordered[size:]
    search = next((matched[p.id] for p in rest if matched[p.id]
                   and not matched[p.id].startswith(RECOMMENDED)), None)
    return render.render_paper_batch([(p, matched[p.id]) for p in shown], heading,
                                     more=len(rest), search=search)
