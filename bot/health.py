"""Source health rules (pure): when a source counts as failing, stale or empty.

* failing: `failing_after` polls in a row failed (default 3; fewer is only "flaky").
* stale, arXiv listings: polls after ARXIV_MISSED of arXiv's announcements still served
  the batch seen before. arXiv announces Sunday to Thursday at 20:00 US Eastern; the
  listing gets ARXIV_GRACE to appear. arXiv skips announcements on its holidays (up to
  two in a row at the turn of the year), and its schedule is published only as a web
  page, so one or two missed are `behind` (shown in `/sources`, nobody is told) and the
  third makes the listing stale.
* stale, any source: its content has not changed for `stale_days` (default 30, per source
  or for all; 0 turns the rule off), measured up to its last successful poll.
* empty: the last document read held no item at all ("read 0 talks", with the first
  warning of that reading), for the kinds that always hold some when they work
  (bot.sourcekinds says which may hold nothing). A document with items but none new is
  not empty.

Everything is judged from the source's row (failures, last_success, last_new, last_items),
so `/sources`, `lectern sources list` and the notices to managers always agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.models import Source, SourceHealth
from bot.redact import redact
from bot.settings import HealthSettings, Settings
from bot.sourcekinds import source_kind

_DEFAULT = HealthSettings()  # failing after 3; stale after 30 days with nothing new
ARXIV_ZONE = ZoneInfo("America/New_York")
ARXIV_DAYS = frozenset({6, 0, 1, 2, 3})  # Sunday to Thursday (Monday is 0)
ARXIV_AT = time(20, 0)
# The listings follow the announcement within a few hours; later than this is missed.
ARXIV_GRACE = timedelta(hours=6)
ARXIV_MISSED = 3  # announcements without a new batch before a listing is stale
# Kinds whose document may rightly hold nothing (SourceKind.may_hold_nothing): arXiv's
# listings have no item on days without an announcement (weekends, its holidays), and
# Hugging Face's daily list has none on a day nobody posted. An empty document of theirs
# is judged by the stale rules (the same empty list, poll after poll) instead. Every other
# kind holds items when it works: a feed keeps its latest ones, an arXiv API query answers
# with what it matches, a seminar page lists its talks (past ones too), and a calendar is
# read from 30 days back to 180 ahead, so one with nothing in all that time is the wrong
# one or no longer kept.
WARNING_CHARS = 200  # of the first warning, in /sources and the notice


@dataclass(frozen=True, slots=True)
class HealthPolicy:
    failing_after: int = _DEFAULT.failing_after
    stale_days: int = _DEFAULT.stale_days
    stale_days_for: Mapping[str, int] = field(default_factory=dict)  # by source name

    def stale_after(self, name: str) -> timedelta | None:
        days = self.stale_days_for.get(name, self.stale_days)
        return timedelta(days=days) if days > 0 else None

    @classmethod
    def from_settings(cls, settings: Settings) -> HealthPolicy:
        return cls(settings.health.failing_after, settings.health.stale_days,
                   {s.name: s.stale_days for s in settings.sources if s.stale_days is not None})


def assess(source: Source, policy: HealthPolicy) -> SourceHealth:
    """The source's health after its latest poll."""
    if source.failures >= policy.failing_after:
        return SourceHealth("failing", f"{source.failures} polls in a row failed",
                            since=source.last_success)
    if source.failures:
        return SourceHealth("flaky", f"{source.failures} in a row failed",
                            since=source.last_success)
    if source.last_success is None:
        return SourceHealth("pending", "not polled yet")
    kind = source_kind(source.kind)
    if source.last_items == 0 and not (kind and kind.may_hold_nothing):
        return SourceHealth("empty", reading(source, where=" from its last document"),
                            since=source.empty_since)
    ok = SourceHealth("ok", reading(source, first_warning=False))
    changed = source.last_new
    if changed is None:  # polled before lectern kept track: the clock starts now
        return ok
    if kind and kind.arxiv_listing:
        first = arxiv_batch_due(changed)
        if source.last_success >= arxiv_batch_due(changed, ARXIV_MISSED):
            return SourceHealth(
                "stale", f"it still served the batch first seen {_day(changed)} after "
                f"{ARXIV_MISSED} of arXiv's announcements, from {_day(first - ARXIV_GRACE)} "
                "UTC on", since=changed)
        if source.last_success >= first:
            return SourceHealth(
                "behind", f"no new batch since arXiv's announcement of "
                f"{_day(first - ARXIV_GRACE)} UTC (a holiday?)", since=changed)
    limit = policy.stale_after(source.name)
    if limit is not None and source.last_success - changed >= limit:
        return SourceHealth("stale", f"its content has not changed since {_day(changed)} "
                            f"UTC ({limit.days} days or more)", since=changed)
    return ok


def reading(source: Source, *, first_warning: bool = True, where: str = "") -> str:
    """What the last document read held: `read 0 talks{where} (2 warnings, the first:
    block at line 59 ...)`, `read 12 papers`; "" when none was read yet."""
    if source.last_items is None:
        return ""
    kind = source_kind(source.kind)
    noun = kind.holds if kind else "papers"
    said = f"read {source.last_items} {noun}{where}"
    count = source.last_warnings
    if not count:
        return said
    plural = f"{count} warning{'s' if count > 1 else ''}"
    if not first_warning or not source.last_warning:
        return f"{said} ({plural})"
    warning = redact(" ".join(source.last_warning.split()))
    if len(warning) > WARNING_CHARS:
        warning = warning[:WARNING_CHARS - 1] + "…"
    return f"{said} ({plural}, the first: {warning})" if count > 1 else \
        f"{said} (warning: {warning})"


def arxiv_batch_due(seen: datetime, announcements: int = 1) -> datetime:
    """When a listing whose batch was first seen at `seen` has missed `announcements` of
    arXiv's (Sunday to Thursday, 20:00 US Eastern), each given ARXIV_GRACE to appear."""
    local = seen.astimezone(ARXIV_ZONE)
    day = local.date()
    while True:
        moment = datetime.combine(day, ARXIV_AT, tzinfo=ARXIV_ZONE)
        if moment > local and moment.weekday() in ARXIV_DAYS:
            announcements -= 1
            if announcements <= 0:
                return (moment + ARXIV_GRACE).astimezone(seen.tzinfo)
        day += timedelta(days=1)


def arxiv_announcement_between(start: datetime, end: datetime) -> datetime | None:
    """The last of arXiv's scheduled announcements (Sunday to Thursday, 20:00 US Eastern)
    whose listing was due (ARXIV_GRACE after it) between `start` and `end`, if any."""
    found, day = None, (start - ARXIV_GRACE).astimezone(ARXIV_ZONE).date()
    while (moment := datetime.combine(day, ARXIV_AT, tzinfo=ARXIV_ZONE)) + ARXIV_GRACE <= end:
        if moment.weekday() in ARXIV_DAYS and moment + ARXIV_GRACE > start:
            found = moment.astimezone(start.tzinfo)
        day += timedelta(days=1)
    return found


def _day(moment: datetime) -> str:
    return f"{moment:%a %Y-%m-%d %H:%M}"
