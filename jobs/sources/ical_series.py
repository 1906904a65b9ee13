"""VEVENT series through recurring-ical-events: one series per UID, chunked cheap expansion."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

import icalendar
from dateutil.rrule import rrulestr
from recurring_ical_events import EventAdapter, Occurrence, SelectComponents, Series

_FIRST_SPAN, _MIN_SPAN, _MAX_SPAN = timedelta(days=32), timedelta(hours=1), timedelta(days=3660)
_CHUNK = 1000  # occurrences asked of the library at a time
# dateutil walks every occurrence from DTSTART on: a rule this frequent could take minutes
# (one hourly rule from 1900 took 41 s), and no seminar repeats more often than daily.
_TOO_FREQUENT = ("FREQ=SECONDLY", "FREQ=MINUTELY", "FREQ=HOURLY")
# Several values here mean several occurrences a day, however the frequency reads.
_WITHIN_A_DAY = ("BYHOUR", "BYMINUTE", "BYSECOND")
MAX_COUNT = 10_000  # occurrences a rule may promise; no seminar series has more
# Occurrences a rule may have before the window: dateutil walks them all, and a yearly
# rule from 1900 with lists of months and days took 71 s and 3 GB. 20,000 take 0.1 s.
MAX_STEPS_BEFORE = 20_000
# Days in one step of the rules brought forward (see _bring_forward).
_STEP_DAYS = {"DAILY": 1, "WEEKLY": 7}


class _Adapter(EventAdapter):
    """A VEVENT adapter that shows its component and says whether the event states its end."""

    @property
    def component(self) -> icalendar.Event:
        return self._component

    @property
    def states_end(self) -> bool:
        return "DTEND" in self._component or "DURATION" in self._component


class SeriesOccurrence(Occurrence):
    """An occurrence that keeps its VEVENT (`event`, not copied) and its `original` start."""

    def __init__(self, adapter: _Adapter, start=None, end=None, sequence: int = -1) -> None:
        super().__init__(adapter, start, end, sequence)
        self.event = adapter.component
        self.states_end = adapter.states_end
        # A modification comes alone (its RECURRENCE-ID is the original start); a start from
        # the rule may have been shifted by a RANGE=THISANDFUTURE modification.
        if start is None:
            recurrence_id = self.event["RECURRENCE-ID"]
            self.original = (recurrence_id[0] if isinstance(recurrence_id, list)
                             else recurrence_id).dt
        else:
            self.original = self.start - adapter.move_recurrences_by


class _Series(Series):
    occurrence = SeriesOccurrence

    def between(self, span_start, span_stop) -> Iterator[SeriesOccurrence]:
        """The library's occurrences; a moved one (RECURRENCE-ID) that states no end of its
        own lasts as long as the series' event does (Google Calendar leaves DTEND out of
        such an override: rie-issue_62_moved_event.ics), rather than having no end."""
        core = self.recurrence.core if self.recurrence.has_core else None
        for occurrence in super().between(span_start, span_stop):
            if (not occurrence.states_end and core is not None and core.states_end
                    and "RECURRENCE-ID" in occurrence.event
                    and isinstance(occurrence.start, datetime) == isinstance(core.start,
                                                                              datetime)):
                occurrence.end = occurrence.start + core.duration
                occurrence.states_end = True
            yield occurrence


class EventSeries(SelectComponents):
    """VEVENTs grouped by UID into series; one that cannot be built goes to `failures`.
    Daily and weekly rules that start long before `not_before` are brought forward."""

    def __init__(self, not_before: datetime | None = None) -> None:
        self.failures: list[tuple[str, Exception]] = []
        self.not_before = not_before

    def collect_series_from(self, source, suppress_errors) -> list[Series]:
        groups: dict[str, list[_Adapter]] = defaultdict(list)
        for event in source.walk("VEVENT"):
            if self.not_before is not None:
                try:
                    _bring_forward(event, self.not_before.date())
                except Exception:  # noqa: BLE001 - a broken DTSTART: building its series says so
                    pass
            groups[_uid(event)].append(_Adapter(event))
        series = []
        for uid, adapters in groups.items():
            try:
                adapters = _latest_version(adapters)
                _check_rules(adapters, self.not_before)
                series.append(_Series(adapters))
            except Exception as exc:  # a bad RRULE, a missing DTSTART, ...
                self.failures.append((uid, exc))
        return series


def _latest_version(adapters: list[_Adapter]) -> list[_Adapter]:
    """Of several copies of one event (a UID, no RECURRENCE-ID), the latest only: the highest
    SEQUENCE, then the latest DTSTAMP (RFC 5546 section 2.1.5). The library took the first
    of equal SEQUENCEs, so an export holding an event before and after an edit made with
    no SEQUENCE (or an unchanged one) kept the old time and title."""
    cores = [adapter for adapter in adapters if "RECURRENCE-ID" not in adapter.component]
    if len(cores) < 2:
        return adapters
    latest = max(cores, key=_version)
    return [adapter for adapter in adapters if adapter is latest or adapter not in cores]


def _version(adapter: _Adapter) -> tuple[int, datetime]:
    event = adapter.component
    sequence = event.get("SEQUENCE", 0)
    stamp = getattr(event.get("DTSTAMP"), "dt", None)
    if not isinstance(stamp, datetime):
        stamp = datetime.min
    return (sequence if isinstance(sequence, int) else 0,
            stamp.replace(tzinfo=None) if stamp.tzinfo is None else
            stamp.astimezone(UTC).replace(tzinfo=None))


def _check_rules(adapters: list[_Adapter], not_before: datetime | None) -> None:
    """Refuse a rule that is no talk series or would cost minutes to expand: more often
    than daily (by its frequency or its BYHOUR/BYMINUTE/BYSECOND lists), a COUNT beyond
    any series, or more than MAX_STEPS_BEFORE occurrences before the window."""
    for adapter in adapters:
        for rule in adapter.rrules:
            parts = dict(part.partition("=")[::2] for part in rule.upper().split(";"))
            if any(frequency in rule.upper() for frequency in _TOO_FREQUENT) or any(
                    "," in parts.get(key, "") for key in _WITHIN_A_DAY):
                raise ValueError(f"a rule repeating more often than daily is not a talk: "
                                 f"{rule[:120]}")
            count = parts.get("COUNT", "")
            if count.isdigit() and int(count) > MAX_COUNT:
                raise ValueError(f"a rule of {count} occurrences is not a talk series "
                                 f"(at most {MAX_COUNT}): {rule[:120]}")
            if not_before is not None:
                _check_walk(adapter, rule, not_before)


def _check_walk(adapter: _Adapter, rule: str, not_before: datetime) -> None:
    """Refuse a rule with more than MAX_STEPS_BEFORE occurrences before `not_before`
    (counted in wall time: the check needs no zone)."""
    start = adapter.component.get("DTSTART")
    if start is None:
        return
    first = start.dt if isinstance(start.dt, datetime) else datetime.combine(start.dt, time())
    try:
        steps = rrulestr(rule, dtstart=first.replace(tzinfo=None), ignoretz=True)
    except (ValueError, TypeError, OverflowError):
        return  # recurring-ical-events says what is wrong with it
    horizon = not_before.replace(tzinfo=None)
    for seen, moment in enumerate(steps):
        if moment >= horizon:
            return
        if seen >= MAX_STEPS_BEFORE:
            raise ValueError(f"a rule with more than {MAX_STEPS_BEFORE} occurrences before "
                             f"today is not a talk series: {rule[:120]}")


def _bring_forward(event: icalendar.Event, not_before: date) -> None:
    """Move the DTSTART (and DTEND) of a daily or weekly rule that starts long before the
    window forward by whole steps of the rule, to just before it: dateutil walks every
    step from DTSTART, and twenty daily rules from 1900 took 5 s. Whole steps in wall time
    keep every occurrence where it was (the BY* parts, WKST, RECURRENCE-IDs and EXDATEs
    still line up). Rules with COUNT count from their real start and are left as they
    are, and so are events with several rules; monthly and yearly rules are cheap."""
    rule = event.get("RRULE")
    if not isinstance(rule, icalendar.vRecur) or "RECURRENCE-ID" in event or \
            "COUNT" in rule or "DTSTART" not in event:
        return
    step = _STEP_DAYS.get(str((rule.get("FREQ") or [""])[0]).upper())
    interval = (rule.get("INTERVAL") or [1])[0]
    if step is None or not isinstance(interval, int) or interval < 1:
        return
    start = event["DTSTART"].dt
    day = start.date() if isinstance(start, datetime) else start
    steps = (not_before - day).days // (step * interval) - 1  # one step to spare
    if steps <= 0:
        return
    shift = timedelta(days=steps * step * interval)
    for name in ("DTSTART", "DTEND"):  # in place: the TZID and other parameters stay
        if name in event and not isinstance(event[name], list):
            event[name].dt = event[name].dt + shift


def _uid(event: icalendar.Event) -> str:
    """The UID; one missing is made from SUMMARY and DTSTART so that it is stable."""
    uid = event.get("UID")
    if isinstance(uid, list):
        uid = uid[0]
    if uid is not None and str(uid).strip():
        return str(uid)
    raw = [event.get(name) for name in ("SUMMARY", "DTSTART", "RECURRENCE-ID")]
    text = "|".join(v.to_ical().decode() if hasattr(v, "to_ical") else str(v) for v in raw)
    event["UID"] = "no-uid-" + hashlib.sha1(text.encode()).hexdigest()[:16]
    return str(event["UID"])


def expand(series: Series, start: datetime, stop: datetime,
           limit: int) -> Iterator[SeriesOccurrence]:
    """Occurrences overlapping [start, stop), asked for in chunks sized towards `limit`, the
    most the caller will take: an endless rule over a wide window stays mostly unexpanded."""
    seen: set = set()
    span = _FIRST_SPAN
    while start < stop:
        end = min(start + span, stop)
        fresh = [o for o in series.between(start, end) if o.id not in seen]
        seen.update(o.id for o in fresh)
        yield from fresh
        wanted = max(min(_CHUNK, limit + 1 - len(seen)), 1)
        growth = wanted / len(fresh) if fresh else 4
        span = min(max(span * min(growth, 4), _MIN_SPAN), _MAX_SPAN)
        start = end
