"""Date-and-time phrases from seminar pages ("Friday, Aug. 25, 2023, 3:30 p.m. — 5:00 p.m.",
"2012年9月27日下午2点") -> a UTC `When`: the one reader of talk times in English and Chinese.

It owns joining a date to a clock range and the zone a phrase names ("EST", "UTC+8", "北京时间",
ISO offsets); dates are read in talkdate, clocks in talkclock, words in talkwords, and the
functions other modules call are all importable from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jobs.sources.talkclock import find_clock_range, has_clock, read_clock
from jobs.sources.talkdate import blank_dates, find_date, has_date, read_date
from jobs.sources.talkwords import ZONE_ABBREVIATIONS, ZONE_WORDS, normalize

__all__ = ["When", "find_clock_range", "has_clock", "has_date", "month_first", "normalize",
           "parse_when", "read_clock", "read_date", "zone"]


@dataclass(frozen=True, slots=True)
class When:
    """A talk's start and optional end as aware UTC; `all_day` when only a date was given."""

    start: datetime
    end: datetime | None = None
    all_day: bool = False


_NUMERIC_DATE = re.compile(r"(?<![\d/.])(?P<a>\d{1,2})/(?P<b>\d{1,2})/\d{4}(?!\d)")
_BRACKETED = re.compile(r"[(\[（【][^()\[\]（）【】]{0,60}[)\]）】]")
_OFFSETS = (
    re.compile(r"\(?\b(?:utc|gmt)\s?(?P<sign>[+-])\s?(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?\)?"),
    # ISO 8601 after "T14:00" ("2023-08-24T14:00:00+08:00", "...T14:00Z").
    re.compile(r"(?<=t\d\d:\d\d)(?::\d\d(?:\.\d+)?)?(?:z|(?P<sign>[+-])(?P<h>\d\d):?(?P<m>\d\d))"
               r"(?![\d:])"),
    # RFC 2822 after a clock with seconds ("Thu, 24 Aug 2023 14:00:00 +0000"), or run on to
    # it as Jekyll front matter writes it ("2022-10-05 10:00:00+0900").
    re.compile(r"(?<=\d\d:\d\d:\d\d) ?(?P<sign>[+-])(?P<h>\d\d):?(?P<m>\d\d)(?![\d:])"),
)
_ZONE_NAMES = sorted(set(ZONE_WORDS) - ZONE_ABBREVIATIONS, key=len, reverse=True)
_ZONE_WORD = re.compile(
    r"\(?(?<![a-z])(?:" + "|".join(_ZONE_NAMES) + r")(?![a-z])\)?"
    r"|(?:(?<=[:h.]\d\d)|(?<=[ap]m)|(?<=noon))[ ,]{0,2}\(?(?:"
    + "|".join(sorted(ZONE_ABBREVIATIONS, key=len, reverse=True)) + r")(?![a-z])\)?")
# Zones whose people write 3/4/2023 for March 4 (the US); elsewhere it is 3 April.
_MONTH_FIRST_ZONES = frozenset({
    "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
    "America/Phoenix", "America/Anchorage", "America/Detroit", "America/Boise",
    "America/Juneau", "America/Adak", "Pacific/Honolulu", "Asia/Manila",
})
_MONTH_FIRST_PREFIXES = ("US/", "America/Indiana/", "America/Kentucky/", "America/North_Dakota/")


def zone(name: str) -> ZoneInfo:
    """The IANA zone `name`; ValueError (not KeyError) when it does not exist."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}; use an IANA name such as "
                         "'Asia/Shanghai'") from exc


def month_first(timezone: str) -> bool:
    """Whether people in `timezone` write 3/4/2023 for March 4 rather than 3 April."""
    return timezone in _MONTH_FIRST_ZONES or timezone.startswith(_MONTH_FIRST_PREFIXES)


def parse_when(text: str, timezone: str, *, now: datetime | None = None,
               order: bool | None = None) -> When | None:
    """Read a date with an optional time range; None when no date can be read.

    Naive times mean local time in `timezone` unless the text names an offset or zone.
    `now` (aware) decides the year of a date typed without one (the nearest to now) and the
    day of a weekday typed alone (the coming one). `order` says whether "3/9/2021" is
    month first, as the page showed elsewhere ("17/09/2021"); else the zone's custom does.
    """
    local_zone = zone(timezone)
    flat, tz = _explicit_zone(_main_time(normalize(text)), local_zone)
    today = now.astimezone(tz).date() if now else None
    found = find_date(flat, today,
                      month_first=month_first(timezone) if order is None else order)
    if found is None:
        return None
    day, (begin, finish) = found
    clock = find_clock_range(blank_dates(flat[:begin] + " " * (finish - begin) + flat[finish:]))
    try:
        if clock is None:
            midnight = datetime.combine(day, time(0), tz)
            return When(start=midnight.astimezone(UTC), all_day=True)
        start = datetime.combine(day, clock[0], tz)
        end = datetime.combine(day, clock[1], tz) if clock[1] is not None else None
        if end is not None and end <= start:  # a talk running past midnight
            end += timedelta(days=1)
        return When(start=start.astimezone(UTC), end=end.astimezone(UTC) if end else None)
    except OverflowError:  # a date at the very edge of what datetime holds
        return None


def page_order(texts: list[str]) -> bool | None:
    """Whether a page writes numeric dates month first (True) or day first (False), as one
    of them shows by a part over 12 ("17/09/2021", "9/17/2021"); None if none shows it."""
    for text in texts:
        for match in _NUMERIC_DATE.finditer(text):
            first, second = int(match["a"]), int(match["b"])
            if first > 12 >= second:
                return False
            if second > 12 >= first:
                return True
    return None


def _main_time(flat: str) -> str:
    """The text without the same time given again in brackets for elsewhere: "1pm-2pm
    (5pm-6pm UTC), EST" is 1pm EST; the bracket's zone is the other one's."""
    outside = _BRACKETED.sub(" ", flat)
    if outside == flat or not has_clock(outside):
        return flat
    return _BRACKETED.sub(lambda m: m.group(0) if not has_clock(m.group(0)) else
                          " " * len(m.group(0)), flat)


def _explicit_zone(flat: str, local: tzinfo) -> tuple[str, tzinfo]:
    """The zone or offset the text names, and the text with every mention blanked."""
    for pattern in _OFFSETS:
        offset = pattern.search(flat)
        if offset:
            minutes = int(offset["h"] or 0) * 60 + int(offset["m"] or 0)
            sign = -1 if offset["sign"] == "-" else 1
            if minutes >= 24 * 60:
                continue
            return _blank(pattern, flat), timezone(timedelta(minutes=sign * minutes))
    word = _ZONE_WORD.search(flat)
    if word:
        name = ZONE_WORDS[word.group(0).strip("() ,")]
        return _blank(_ZONE_WORD, flat), ZoneInfo(name)
    return flat, local


def _blank(pattern: re.Pattern[str], flat: str) -> str:
    return pattern.sub(lambda match: " " * len(match.group(0)), flat)
