"""iCalendar feeds -> Talk records: time zones, recurrence over a window, one-off events
announced further ahead, per-event failures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
import recurring_ical_events
from icalendar.timezone import tzid_from_tzinfo
from recurring_ical_events import Series

from bot.clock import as_utc, to_iso
from bot.models import TALK_CANCELLED, TALK_SCHEDULED, ParseError, ParseResult, Talk
from jobs.sources import charset
from jobs.sources.ical_fields import TalkText, read_text
from jobs.sources.ical_series import EventSeries, SeriesOccurrence, expand
from jobs.sources.ical_zones import iana_name
from jobs.sources.icalguard import MAX_TALKS, check_calendar, repair, too_many_talks

MAX_OCCURRENCES = 1000  # per event and parse; an endless rule over a wide window stops here
# Recurring events are expanded over the window (30 days back, 180 ahead by default), which
# moves with every poll. A one-off event is announced once, often a term or a year ahead (a
# named lecture, next summer's conference: emory-seminars.ics lists talks 13 months out),
# so one-off events are read up to two years ahead; one further out is left for a later
# poll and said in a warning.
ONE_OFF_DAYS_AHEAD = 730
_RECURRING = ("RRULE", "RDATE", "RECURRENCE-ID")
# Floating and all-day times are compared with the window as naive wall times, so the
# library is asked for a day more on each side and the UTC starts are filtered here.
_PAD = timedelta(days=1)


def parse(data: bytes, source: str, *, timezone: str, now: datetime, days_back: int = 30,
          days_ahead: int = 180, one_off_days_ahead: int = ONE_OFF_DAYS_AHEAD,
          max_talks: int = MAX_TALKS, content_type: str | None = None) -> ParseResult:
    """Talks of the occurrences starting from `days_back` before `now` to `days_ahead` after,
    and of the one-off events (no RRULE, RDATE or RECURRENCE-ID) up to `one_off_days_ahead`
    after (or `days_ahead`, if that is further); later one-off events get a warning.

    Naive (floating) and all-day times are in the calendar's X-WR-TIMEZONE, else `timezone`;
    the charset of `content_type` (the header it was served with) counts.
    A calendar that cannot be read, or is bigger than one poll may read (more lines, events
    or talks in the window than jobs.sources.icalguard allows), raises ParseError; an event
    that cannot be read is skipped with a warning naming its UID.
    """
    now = as_utc(now)
    fallback = _zone(timezone)
    window = (now - timedelta(days=days_back), now + timedelta(days=days_ahead))
    one_off_stop = now + timedelta(days=max(days_ahead, one_off_days_ahead))
    result, later = ParseResult(), []
    try:
        for calendar in _calendars(data, result.warnings, content_type):
            zone = _calendar_zone(calendar, fallback, result.warnings)
            calname = " ".join(_str(calendar, "X-WR-CALNAME").split()) or None
            context = _Context(source, zone, window, one_off_stop, calname, max_talks)
            _read_calendar(calendar, context, result)
            later += context.later
    except Exception as exc:  # a broken calendar, whatever the library made of it
        raise ParseError(f"cannot read the calendar: {_describe(exc)}") from exc
    result.talks = _unique(result.talks, result.warnings)
    if later:
        result.warnings.append(_left_for_later(later, one_off_stop - now))
    # Nothing is stored beyond the window but one-off events: it speaks for them as far.
    result.covers = (window[0], one_off_stop)
    return result


@dataclass(slots=True)
class _Context:
    source: str
    zone: ZoneInfo
    window: tuple[datetime, datetime]  # of the recurring events' occurrences
    one_off_stop: datetime  # the one-off events' end of the window
    calname: str | None
    max_talks: int  # in the whole document: past it, the document is refused
    later: list[datetime] = field(default_factory=list)  # one-off events after one_off_stop
    events: dict[int, _About] = field(default_factory=dict)  # by id() of the VEVENT
    zone_names: dict[int, str] = field(default_factory=dict)  # by id() of the tzinfo


def _zone(name: str) -> ZoneInfo:
    """The source's zone; an unknown name is the source's configuration error, not the feed's."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise ParseError(f"unknown time zone {name!r}") from exc


def _calendars(data: bytes, warnings: list[str],
               content_type: str | None) -> list[icalendar.Calendar]:
    """Every VCALENDAR in the document; anything else is refused with a reason."""
    text, warning = charset.calendar_text(data, content_type)
    warnings.extend([warning] if warning else [])
    head = text.lstrip()[:60]
    if not head:
        raise ValueError("the document is empty")
    if not head.upper().startswith("BEGIN:"):
        raise ValueError(f"not iCalendar data (it starts with {head!r})")
    check_calendar(text)
    found = icalendar.Calendar.from_ical(repair(text), multiple=True)
    calendars = [c for c in found if isinstance(c, icalendar.Calendar)]
    if not calendars:
        raise ValueError("no complete VCALENDAR in the document (is it cut short?)")
    return calendars


def _calendar_zone(calendar: icalendar.Calendar, fallback: ZoneInfo,
                   warnings: list[str]) -> ZoneInfo:
    """X-WR-TIMEZONE (Google's habit) if it names a zone; an unknown one is dropped."""
    if "X-WR-TIMEZONE" not in calendar:
        return fallback
    name = _str(calendar, "X-WR-TIMEZONE")
    try:
        zone = ZoneInfo(iana_name(name))
    except (ZoneInfoNotFoundError, ValueError):
        warnings.append(f"unknown X-WR-TIMEZONE {name!r}; using {fallback.key}")
        del calendar["X-WR-TIMEZONE"]
        return fallback
    calendar["X-WR-TIMEZONE"] = zone.key
    return zone


def _read_calendar(calendar: icalendar.Calendar, context: _Context,
                   result: ParseResult) -> None:
    """Expand each series on its own, so that one broken event costs only itself."""
    selector = EventSeries(not_before=context.window[0] - _PAD)
    query = recurring_ical_events.of(calendar, components=[selector])
    result.warnings.extend(_skipped(uid, exc) for uid, exc in selector.failures)
    for series in query.series:
        try:
            talks = _series_talks(series, context, result.warnings)
        except Exception as exc:  # any library failure is this event's alone
            result.warnings.append(_skipped(str(series.uid), exc))
            continue
        result.talks.extend(talks)
        # Refused whole rather than cut short: a cut would read as talks that vanished.
        if len(result.talks) > context.max_talks:
            raise too_many_talks(len(result.talks), context.max_talks)


def _series_talks(series: Series, context: _Context, warnings: list[str]) -> list[Talk]:
    """The talks of one series that start within the window, at most MAX_OCCURRENCES; a
    one-off event's window reaches further, and one beyond it is noted in `later`."""
    start, stop = context.window
    if _one_off(series):
        stop = context.one_off_stop
        value = _one(series.components[0].component, "DTSTART")
        first = None if value is None else _instant(value.dt, context.zone)[0]
        if first is not None and first > stop:
            context.later.append(first)
            return []
    talks: list[Talk] = []
    for occurrence in expand(series, start - _PAD, stop + _PAD, MAX_OCCURRENCES):
        talk = _talk(occurrence, context)
        if not start <= talk.start <= stop:
            continue
        if len(talks) == MAX_OCCURRENCES:
            warnings.append(f"event {str(series.uid)!r}: more than {MAX_OCCURRENCES} "
                            "occurrences in the window; the rest are left out")
            break
        talks.append(talk)
    return talks


def _talk(occurrence: SeriesOccurrence, context: _Context) -> Talk:
    start, all_day = _instant(occurrence.start, context.zone)
    about = _about(occurrence.event, context)
    text = about.text
    return Talk(
        key=_key(occurrence, context.zone),
        title=text.title, source=context.source, start=start,
        end=_instant(occurrence.end, context.zone)[0] if occurrence.states_end else None,
        timezone=_zone_name(occurrence.start, context), all_day=all_day,
        series=about.series, speakers=list(text.speakers), affiliation=text.affiliation,
        abstract=text.abstract, location=text.location, meeting_url=text.meeting_url,
        meeting_id=text.meeting_id, meeting_password=text.meeting_password, chair=text.chair,
        livestream_url=text.livestream_url, url=text.url, status=about.status,
    )


def _key(occurrence: SeriesOccurrence, zone: ZoneInfo) -> str:
    """UID alone for a one-off event, so that editing its DTSTART moves the talk rather
    than cancelling it; UID@original start for each occurrence of a recurring one."""
    event = occurrence.event
    if not any(name in event for name in _RECURRING):
        return str(occurrence.uid)
    return f"{occurrence.uid}@{to_iso(_instant(occurrence.original, zone)[0])}"


def _one_off(series: Series) -> bool:
    """A single VEVENT with no rule, no extra dates and no RECURRENCE-ID."""
    events = [adapter.component for adapter in series.components]
    return len(events) == 1 and not any(name in events[0] for name in _RECURRING)


def _left_for_later(starts: list[datetime], ahead: timedelta) -> str:
    count, first = len(starts), min(starts)
    return (f"{count} one-off event{'s' if count > 1 else ''} more than {ahead.days} days "
            f"ahead (the first on {first.date().isoformat()}) left for a later poll: they are "
            f"read once they are within {ahead.days} days")


def _instant(value: date | datetime, zone: ZoneInfo) -> tuple[datetime, bool]:
    """Aware UTC, and whether the value was a whole day (local midnight in `zone`)."""
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=zone)).astimezone(UTC), False
    return datetime.combine(value, time(), tzinfo=zone).astimezone(UTC), True


def _zone_name(value: date | datetime, context: _Context) -> str:
    """The IANA zone of the TZID (a Windows name mapped); else the calendar's zone."""
    tzinfo = getattr(value, "tzinfo", None)
    if tzinfo is None:
        return context.zone.key
    if id(tzinfo) not in context.zone_names:
        name = tzid_from_tzinfo(tzinfo) or ""
        name = iana_name(name)
        try:
            known = name not in ("UTC", "Etc/UTC") and bool(ZoneInfo(name))
        except (ZoneInfoNotFoundError, ValueError):
            known = False
        context.zone_names[id(tzinfo)] = name if known else context.zone.key
    return context.zone_names[id(tzinfo)]


@dataclass(slots=True)
class _About:
    """What every occurrence of one VEVENT shares: read once per component."""

    event: icalendar.Event  # held so that its id() is not reused while cached
    text: TalkText
    series: str | None
    status: str


def _about(event: icalendar.Event, context: _Context) -> _About:
    found = context.events.get(id(event))
    if found is None:
        conference = [str(v) for name in ("CONFERENCE", "X-GOOGLE-CONFERENCE")
                      for v in _all(event, name)]
        # Trumba (25Live Publisher) copies its custom fields into DESCRIPTION as 'Name: value'
        # and links the event's page as X-TRUMBA-LINK, not URL.
        fields = frozenset(str(v.params.get("NAME", "")).casefold()
                           for v in _all(event, "X-TRUMBA-CUSTOMFIELD")) - {""}
        page = _str(event, "URL") or _str(event, "X-TRUMBA-LINK")
        text = read_text(_str(event, "SUMMARY"), _str(event, "DESCRIPTION"),
                         _str(event, "LOCATION"), page, conference, fields)
        cancelled = _str(event, "STATUS").upper() == "CANCELLED" or text.cancelled
        found = context.events[id(event)] = _About(
            event, text, text.series or context.calname or _categories(event),
            TALK_CANCELLED if cancelled else TALK_SCHEDULED)
    return found


def _categories(event: icalendar.Event) -> str | None:
    names = [str(c).strip() for v in _all(event, "CATEGORIES")
             for c in getattr(v, "cats", [v])]
    return ", ".join(n for n in names if n) or None


def _all(event: icalendar.cal.Component, name: str) -> list:
    value = event.get(name)
    return [] if value is None else value if isinstance(value, list) else [value]


def _one(event: icalendar.cal.Component, name: str):
    values = _all(event, name)
    return values[0] if values else None


def _str(event: icalendar.cal.Component, name: str) -> str:
    value = _one(event, name)
    return "" if value is None else str(value).strip()


def _unique(talks: list[Talk], warnings: list[str]) -> list[Talk]:
    """Talks in time order; a key seen twice (an odd RECURRENCE-ID) keeps its first talk."""
    kept: dict[str, Talk] = {}
    for talk in sorted(talks, key=lambda t: (t.start, t.key)):
        if talk.key in kept:
            warnings.append(f"two occurrences share the key {talk.key!r}; the later is dropped")
            continue
        kept[talk.key] = talk
    return list(kept.values())


def _skipped(uid: str, exc: Exception) -> str:
    return f"event {uid!r} skipped: {_describe(exc)}"


def _describe(exc: Exception) -> str:
    if isinstance(exc, KeyError) and exc.args:
        return f"missing {exc.args[0]}"
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."
