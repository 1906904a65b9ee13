"""Date and time phrases typed on seminar pages ("2021-5-22,9:30-11:30", "Aug. 25, 2023") -> UTC."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@dataclass(frozen=True, slots=True)
class When:
    """A talk's start and optional end as aware UTC; `all_day` when only a date was given."""

    start: datetime
    end: datetime | None = None
    all_day: bool = False


_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}
_MONTH = "(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b\.?"
_ORD = r"(?:st|nd|rd|th)?"
_DATES = [
    re.compile(r"(?<!\d)(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?!\d)"
               r"\s*[日号]?"),
    re.compile(r"(?<!\d)(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]"),
    re.compile(r"\b" + _MONTH + r"\s*(?P<d>\d{1,2})" + _ORD + r"\b(?:\s*,?\s*(?P<y>\d{4})\b)?"),
    re.compile(r"\b(?P<d>\d{1,2})" + _ORD + r"\s+(?:of\s+)?" + _MONTH
               + r"(?:\s*,?\s*(?P<y>\d{4})\b)?"),
]
_CLOCK = re.compile(
    r"(?:(?P<cn>上午|早上|早晨|中午|下午|傍晚|晚上|晚)\s*)?(?<![\d:.])(?P<h>\d{1,2})"
    r"(?:\s*[:.]\s*(?P<m>\d{2})(?!\d)|\s*[点點时時]\s*(?:(?P<half>半)|(?P<cm>\d{1,2})\s*分?)?)?"
    r"(?:\s*(?P<mer>am|pm)\b)?")
_RANGE_GAP = re.compile(r"\s*(?:-|to|until|till|至|到)\s*")
_OFFSET = re.compile(r"\(?\b(?:utc|gmt)\s*(?P<sign>[+-])\s*(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?\)?")
# Only abbreviations that mean one zone; "CST" (China or US Central) is left to the source.
_ZONE_WORDS = {
    "北京时间": "Asia/Shanghai", "beijing time": "Asia/Shanghai", "est": "America/New_York",
    "edt": "America/New_York", "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles",
    "cet": "Europe/Berlin", "cest": "Europe/Berlin", "jst": "Asia/Tokyo", "sgt": "Asia/Singapore",
}
_ZONE_WORD = re.compile(r"\(?(?<![a-z])(?:" + "|".join(_ZONE_WORDS) + r")(?![a-z])\)?")
_PM_WORDS = frozenset({"pm", "中午", "下午", "傍晚", "晚上", "晚"})
_AM_WORDS = frozenset({"am", "上午", "早上", "早晨"})


def zone(name: str) -> ZoneInfo:
    """The IANA zone `name`; ValueError (not KeyError) when it does not exist."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}; use an IANA name such as "
                         "'Asia/Shanghai'") from exc


def parse_when(text: str, timezone: str, *, now: datetime | None = None) -> When | None:
    """Read a date with an optional time range; None when no date can be read.

    Naive times mean local time in `timezone` unless the text names an offset or zone.
    `now` (aware) only decides the year of a date typed without one: the nearest to now.
    """
    local_zone = zone(timezone)
    flat = normalize(text)
    flat, tz = _explicit_zone(flat, local_zone)
    found = _find_date(flat, now.astimezone(tz).date() if now else None)
    if found is None:
        return None
    day, span = found
    rest = flat[:span[0]] + " " + flat[span[1]:]
    clock = find_clock_range(rest)
    if clock is None:
        midnight = datetime.combine(day, time(0), tz)
        return When(start=midnight.astimezone(UTC), all_day=True)
    start_at, end_at = clock
    start = datetime.combine(day, start_at, tz)
    end = None
    if end_at is not None:
        end = datetime.combine(day, end_at, tz)
        if end <= start:  # a talk running past midnight
            end += timedelta(days=1)
    return When(start=start.astimezone(UTC), end=end.astimezone(UTC) if end else None)


def normalize(text: str) -> str:
    """Lower-case ASCII-ish form: full-width forms folded, dashes unified, "p.m." -> "pm"."""
    flat = unicodedata.normalize("NFKC", text).lower()
    flat = re.sub(r"[\u2010-\u2015\u2212~\ufe58]", "-", flat)
    return re.sub(r"(?<=[\d\s])([ap])\.?\s?m\b\.?", r"\1m", flat)


def _explicit_zone(flat: str, local: tzinfo) -> tuple[str, tzinfo]:
    offset = _OFFSET.search(flat)
    if offset:
        minutes = int(offset["h"]) * 60 + int(offset["m"] or 0)
        sign = -1 if offset["sign"] == "-" else 1
        fixed = timezone(timedelta(minutes=sign * minutes))
        return flat[:offset.start()] + " " + flat[offset.end():], fixed
    word = _ZONE_WORD.search(flat)
    if word:
        name = _ZONE_WORDS[word.group(0).strip("()")]
        return flat[:word.start()] + " " + flat[word.end():], ZoneInfo(name)
    return flat, local


def _find_date(flat: str, today: date | None) -> tuple[date, tuple[int, int]] | None:
    for pattern in _DATES:
        for match in pattern.finditer(flat):
            parts = match.groupdict()
            month = _MONTHS[parts["mon"]] if parts.get("mon") else int(parts["m"])
            day = int(parts["d"])
            year = int(parts["y"]) if parts.get("y") else None
            found = _complete_date(year, month, day, today)
            if found is not None:
                return found, match.span()
    return None


def _complete_date(year: int | None, month: int, day: int, today: date | None) -> date | None:
    if year is not None:
        try:
            return date(year, month, day)
        except ValueError:
            return None
    if today is None:
        return None
    candidates = []
    for guess in (today.year - 1, today.year, today.year + 1):
        try:
            candidates.append(date(guess, month, day))
        except ValueError:  # 29 February outside a leap year
            continue
    return min(candidates, key=lambda d: abs(d - today), default=None)


def find_clock_range(flat: str) -> tuple[time, time | None] | None:
    """The first clock time in normalized text and the end of its range, if one follows."""
    tokens = [m for m in _CLOCK.finditer(flat) if _is_clock(m)]
    if not tokens:
        return None
    first = tokens[0]
    second = None
    if len(tokens) > 1 and _RANGE_GAP.fullmatch(flat[first.end():tokens[1].start()]):
        second = tokens[1]
    start_h, start_m, start_mer = _clock_parts(first)
    if second is None:
        return time(_hour24(start_h, start_mer or _guess_meridiem(start_h)), start_m), None
    end_h, end_m, end_mer = _clock_parts(second)
    start_mer, end_mer = _share_meridiem(start_h, start_m, start_mer, end_h, end_m, end_mer)
    start = time(_hour24(start_h, start_mer), start_m)
    end_hour = _hour24(end_h, end_mer)
    if end_mer is None and end_hour < 12 and end_hour + 12 > start.hour \
            and (end_hour, end_m) <= (start.hour, start.minute):
        end_hour += 12  # "11:30-1:00" with no meridiem ends in the afternoon
    return start, time(end_hour % 24, end_m)


def _is_clock(match: re.Match[str]) -> bool:
    # A bare number is not a time: it needs minutes, a Chinese hour word or a meridiem.
    text = match.group(0)
    if match["m"] is None and match["mer"] is None and not any(c in text for c in "点點时時"):
        return False
    return int(match["h"]) <= 24 and int(match["m"] or match["cm"] or 0) < 60


def _clock_parts(match: re.Match[str]) -> tuple[int, int, str | None]:
    minute = 30 if match["half"] else int(match["m"] or match["cm"] or 0)
    return int(match["h"]), minute, match["mer"] or match["cn"]


def _share_meridiem(start_h: int, start_m: int, start_mer: str | None, end_h: int, end_m: int,
                    end_mer: str | None) -> tuple[str | None, str | None]:
    """"3:30-5:00 p.m." and "下午3:00-4:30": one meridiem covers both ends of a range."""
    if start_mer is None and end_mer is not None:
        if _hour24(start_h, end_mer) * 60 + start_m <= _hour24(end_h, end_mer) * 60 + end_m:
            start_mer = end_mer
    elif end_mer is None and start_mer is not None:
        if _hour24(end_h, start_mer) * 60 + end_m >= _hour24(start_h, start_mer) * 60 + start_m:
            end_mer = start_mer
    elif start_mer is None and end_mer is None and _guess_meridiem(start_h):
        start_mer = end_mer = "pm"
    return start_mer, end_mer


def _guess_meridiem(hour: int) -> str | None:
    # Nobody holds a seminar at 1-6 in the morning: "Time: 3:30-5:00" is an afternoon talk.
    return "pm" if 1 <= hour <= 6 else None


def _hour24(hour: int, meridiem: str | None) -> int:
    if meridiem in _PM_WORDS and hour < 12:
        return hour + 12
    if meridiem in _AM_WORDS and hour == 12:
        return 0
    return hour % 24
