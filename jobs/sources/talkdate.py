"""Calendar dates written on seminar pages ("Friday, Aug. 25, 2023", "12月3日", "15 Sep") -> date.

Numeric dates with the year last ("8/24/2023", "3/4/2023") are read day-first or month-first
by `month_first`: a part above 12 settles it, otherwise the caller's convention decides, and
with no convention (None) an ambiguous one is not read at all. Dots ("24.08.2023") are always
day-first, and year-first dates ("2023/8/24") are always year-month-day.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from jobs.sources.talkwords import CN_WEEKDAYS, MONTHS, WEEKDAYS, normalize

_MONTH = "(?P<mon>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b\.?"
_ORD = r"(?:st|nd|rd|th)?\b"
# "Aug 24-25": the talk is on the first day; "March 28 - 8:00 AM" is a day and a clock.
_DAY_SPAN = r"(?:\s?-\s?\d{1,2}" + _ORD + r"(?![:.h]\d|\s?[ap]m\b))?"
_YEAR = r"(?:[\s,-]{0,3}(?P<y>(?:19|20|21)\d\d)(?!\d))?"  # "1530" after a date is a clock
_FOUR_DIGITS = re.compile(r"[\s,-]{0,3}(\d{4})(?!\d)")  # after a date: a year, or a clock
_DATES = (
    # 2023-08-24, 2023/8/24, 2023.8.24, 2023年8月24日, 2023-08-24T14:00
    re.compile(r"(?<![\d.])(?P<y>\d{4})\s?(?P<s>[-/.年])\s?(?P<m>\d{1,2})\s?(?:(?P=s)|月)"
               r"\s?(?P<d>\d{1,2})(?!\d)(?:\s?[日号號])?"),
    # 12月3日, 12月3号
    re.compile(r"(?<!\d)(?P<m>\d{1,2})\s?月\s?(?P<d>\d{1,2})\s?[日号號]"),
    # Aug. 25, 2023; Sept. 15th; December 3
    re.compile(r"\b" + _MONTH + r"\s?(?P<d>\d{1,2})" + _ORD + _DAY_SPAN + _YEAR),
    # 25 August 2023; 4 Sept; 15-Sep-2023; 25th of August
    # "24th ,Sept." too: after an ordinal a comma may part the day from its month
    re.compile(r"(?<![\d:.])(?P<d>\d{1,2})" + _ORD + _DAY_SPAN
               + r"(?:(?<=st|nd|rd|th)\s?,\s?|(?:\s?of)?[\s-]?)" + _MONTH
               + _YEAR),
    # 8/24/2023, 24/8/2023, 24.08.2023, 24-08-2023
    re.compile(r"(?<![\d/.-])(?P<a>\d{1,2})(?P<s>[/.-])(?P<b>\d{1,2})(?P=s)(?P<y>\d{4})(?!\d)"),
    # 10/10/17, 11/28/17: a two-digit year, only after slashes ("24.08.23" may be anything)
    re.compile(r"(?<![\d/.-])(?P<a>\d{1,2})(?P<s>/)(?P<b>\d{1,2})/(?P<yy>\d{2})(?![\d/])"),
    # 12/8 under "Date:" on a US page: no year; read month first only where that is the custom
    re.compile(r"(?<![\d/.:-])(?P<a>\d{1,2})(?P<s>/)(?P<b>\d{1,2})(?P<no_year>)(?![\d/])"),
    # Tuesday 1/23, Tue. 23/1: no year, but the weekday says which reading is meant
    re.compile(r"\b(?:" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")\b\.?,?\s?"
               r"(?P<wa>\d{1,2})/(?P<wb>\d{1,2})(?![/\d])"),
)
_WEEKDAY = re.compile(
    r"\b(?P<en>" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")\b"
    r"|(?:星期|礼拜|禮拜|周|週)(?P<cn>[一二三四五六日天])(?![次个個末])")
_ALONE = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                    "sunday"})
_FIRST_YEAR, _LAST_YEAR = 1900, 2199  # outside these a "year" is some other number
_WINDOW = 16  # how far from a date its weekday may stand ("Friday, Aug. 25", "12月12日（星期五）")


def read_date(text: str, *, today: date | None, month_first: bool | None = None) -> date | None:
    """The first date written in `text`, or None.

    A date without a year takes the year nearest to `today` in which it falls on the weekday
    written beside it, if any; a weekday alone ("星期五", "Friday") is the coming one, today
    included. Both need `today`: without it they are not read.
    """
    found = find_date(normalize(text), today, month_first=month_first)
    return found[0] if found else None


def has_date(text: str) -> bool:
    """Whether `text` writes a date (with or without a year, or a weekday alone)."""
    return find_date(normalize(text), date(2000, 1, 1), month_first=True) is not None


def find_date(flat: str, today: date | None, *,
              month_first: bool | None = None) -> tuple[date, tuple[int, int]] | None:
    """The first date in normalized text and its span; a weekday alone only if none is."""
    best: tuple[date, tuple[int, int]] | None = None
    for pattern in _patterns(flat):
        for match in pattern.finditer(flat):
            if best and match.start() >= best[1][0]:
                break
            day = _read_match(match, flat, today, month_first)
            if day is not None:
                best = day, match.span()
                break
    return best or _weekday_alone(flat, today)


def blank_dates(flat: str) -> str:
    """Normalized text with every date-like phrase blanked, so its digits are not a clock."""
    for pattern in _patterns(flat):
        flat = pattern.sub(lambda match: " " * len(match.group(0)), flat)
    return flat


def _patterns(flat: str) -> tuple[re.Pattern[str], ...]:
    # "12月3日" is the one pattern that is slow to fail on long lines of numbers; it needs 月.
    return _DATES if "月" in flat else _DATES[:1] + _DATES[2:]


def _read_match(match: re.Match[str], flat: str, today: date | None,
                month_first: bool | None) -> date | None:
    parts = match.groupdict()
    if parts.get("wa"):
        return _weekday_numeric(match, today, month_first)
    year = int(parts["y"]) if parts.get("y") else None
    if parts.get("yy"):
        year = int(parts["yy"]) + (2000 if int(parts["yy"]) < 70 else 1900)
    if year is not None and not _FIRST_YEAR <= year <= _LAST_YEAR:
        return None
    if parts.get("a"):
        if parts.get("no_year") is not None and not month_first \
                and max(int(parts["a"]), int(parts["b"])) <= 12:
            return None  # "12/8" in China is December, in Britain August: not read
        order = _numeric_order(int(parts["a"]), int(parts["b"]), parts["s"], month_first)
        if order is None:
            return None
        month, day = order
    else:
        month = MONTHS[parts["mon"]] if parts.get("mon") else int(parts["m"])
        day = int(parts["d"])
    if year is not None:
        return _date(year, month, day)
    start, end = match.span()
    written = _FOUR_DIGITS.match(flat, end)
    if written and (int(written[1][:2]) > 23 or int(written[1][2:]) > 59):
        return None  # "31 December 9999": a year, out of range, not "the nearest 31 December"
    weekday = _weekday_near(flat[max(0, start - _WINDOW):end + _WINDOW])
    return _nearest(month, day, weekday, today)


def _weekday_numeric(match: re.Match[str], today: date | None,
                     month_first: bool | None) -> date | None:
    """"Tuesday 1/23": the reading (month/day or day/month) that falls on that weekday in
    the year nearest `today`; the zone's convention first when both do."""
    a, b = int(match["wa"]), int(match["wb"])
    weekday = _weekday_near(match.group(0))
    orders = [(a, b), (b, a)] if month_first is not False else [(b, a), (a, b)]
    for month, day in orders:
        found = _nearest(month, day, weekday, today) if 1 <= month <= 12 else None
        if found is not None and found.weekday() == weekday:
            return found
    return None


def _numeric_order(a: int, b: int, sep: str, month_first: bool | None) -> tuple[int, int] | None:
    """(month, day) of "a/b/yyyy"."""
    if sep == "." or a > 12:
        return b, a
    if b > 12:
        return a, b
    if month_first is None:
        return None  # 3/4/2023: March or April, and nothing says which
    return (a, b) if month_first else (b, a)


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


_SLIP_NEAR, _SLIP_FAR = timedelta(days=60), timedelta(days=240)


def _nearest(month: int, day: int, weekday: int | None, today: date | None) -> date | None:
    if today is None or not _FIRST_YEAR < today.year < _LAST_YEAR:
        return None
    candidates = [found for year in (today.year - 1, today.year, today.year + 1)
                  if (found := _date(year, month, day)) is not None]
    matching = [found for found in candidates if found.weekday() == weekday]
    nearest = min(candidates, key=lambda found: abs(found - today), default=None)
    agreeing = min(matching, key=lambda found: abs(found - today), default=None)
    if nearest is None or agreeing is None:
        return nearest
    # "Wednesday, Jul 23" three weeks ahead on a Thursday: a slip of the weekday is likelier
    # than a talk most of a year away.
    if abs(nearest - today) <= _SLIP_NEAR and abs(agreeing - today) >= _SLIP_FAR:
        return nearest
    return agreeing


def _weekday_near(flat: str) -> int | None:
    match = _WEEKDAY.search(flat)
    return _weekday_number(match) if match else None


def _weekday_number(match: re.Match[str]) -> int:
    return WEEKDAYS[match["en"]] if match["en"] else CN_WEEKDAYS[match["cn"]]


def _weekday_alone(flat: str, today: date | None) -> tuple[date, tuple[int, int]] | None:
    if today is None:
        return None
    for match in _WEEKDAY.finditer(flat):
        if match["cn"] or match["en"] in _ALONE:  # "Sun" or "Wed" alone is too often a word
            ahead = (_weekday_number(match) - today.weekday()) % 7
            return today + timedelta(days=ahead), match.span()
    return None
