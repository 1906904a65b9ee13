"""VEVENT series through recurring-ical-events: one series per UID, chunked cheap expansion."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime, timedelta

import icalendar
from recurring_ical_events import EventAdapter, Occurrence, SelectComponents, Series

_FIRST_SPAN, _MIN_SPAN, _MAX_SPAN = timedelta(days=32), timedelta(hours=1), timedelta(days=3660)
_CHUNK = 1000  # occurrences asked of the library at a time
# dateutil walks every occurrence from DTSTART on: a rule this frequent could take minutes.
_TOO_FREQUENT = ("FREQ=SECONDLY", "FREQ=MINUTELY")


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


class EventSeries(SelectComponents):
    """VEVENTs grouped by UID into series; one that cannot be built goes to `failures`."""

    def __init__(self) -> None:
        self.failures: list[tuple[str, Exception]] = []

    def collect_series_from(self, source, suppress_errors) -> list[Series]:
        groups: dict[str, list[_Adapter]] = defaultdict(list)
        for event in source.walk("VEVENT"):
            groups[_uid(event)].append(_Adapter(event))
        series = []
        for uid, adapters in groups.items():
            try:
                _check_rules(adapters)
                series.append(_Series(adapters))
            except Exception as exc:  # a bad RRULE, a missing DTSTART, ...
                self.failures.append((uid, exc))
        return series


def _check_rules(adapters: list[_Adapter]) -> None:
    for rule in (rule for adapter in adapters for rule in adapter.rrules):
        if any(frequency in rule.upper() for frequency in _TOO_FREQUENT):
            raise ValueError(f"a rule repeating more often than hourly is not a talk: {rule}")


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
