"""Clock times and ranges typed on seminar pages ("3 – 5 pm", "下午2:00-3:30", "14h00") -> time.

A bare number is a clock only as the start of a range whose end is one ("3 – 5 pm", "from 3 to
4 pm"). "14.30" (a dot, no meridiem) is read only where nothing reads better and only on the
five minutes, so neither "Room 3.14" nor "Room 2.05" beats "4 pm". One meridiem covers both
ends of a range where that keeps it in order.
"""

from __future__ import annotations

import re
from datetime import time
from typing import NamedTuple

from jobs.sources.talkdate import blank_dates
from jobs.sources.talkwords import AM_WORDS, PM_WORDS, normalize

_CN_HOURS = {"一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9, "十": 10, "十一": 11, "十二": 12}
_CLOCK = re.compile(
    r"(?:(?P<cn>上午|早上|早晨|凌晨|中午|下午|傍晚|晚上|晚)\s?)?"
    r"(?:(?P<word>noon|midday|midnight)"
    r"|(?<![\d:./])(?P<kh>1[0-2]|0?[1-9])(?P<km>[0-5]\d)(?![\d:.])"  # 430 pm, 1030-1130am
    r"|(?:(?<![\d:./])(?P<h>\d{1,2})|(?P<hcn>十[一二]?|[一二两兩三四五六七八九]))"
    r"(?:\s?:\s?(?P<m>\d{2})(?::\d{2})?(?!\d)"  # 15:30, 10：30, 14:00:00
    r"|\.(?P<dm>\d{2})(?![\d.])"  # 4.30pm
    r"|(?P<hsep>h)(?P<hm>\d{2})?(?![a-z\d])"  # 14h00, 14h
    r"|\s?(?P<dian>[点點时時])\s?(?:(?P<half>半)|(?P<cm>\d{1,2})\s?分?)?"  # 2点, 9点半, 9点30分
    r"|(?!\d)))"
    r"(?:\s?(?P<mer>am|pm|noon|o['\u2019]clock)(?![a-z]))?")
_AND = re.compile(r"\s?(?:and|&|,)\s?")
_PARTS = re.compile(r"\s?(?:and|&|,)\s?|\s?\(\d\)\s?")  # "... and 4 - 5 pm", "... (2) 3:15 - 4"
_GAP = re.compile(r"\s?(?:-|to|until|till|through|and|至|到)\s?")
# Hours nobody starts a seminar at: "Time: 3:30-5:00" is an afternoon talk.
_AFTERNOON_GUESS = range(1, 7)
_AM_PM = AM_WORDS | PM_WORDS


class _Token(NamedTuple):
    """One clock-like phrase: hour, minute, meridiem word and how surely it is a time."""

    start: int
    end: int
    hour: int
    minute: int
    meridiem: str | None
    kind: str  # "clock", "weak" (dot, no meridiem) or "bare" (a number alone)


def read_clock(text: str) -> tuple[time, time | None] | None:
    """The first clock time in `text` and the end of its range, if one follows; dates skipped."""
    return find_clock_range(blank_dates(normalize(text)))


def has_clock(text: str) -> bool:
    """Whether `text` gives a clock time."""
    return read_clock(text) is not None


def find_clock_range(flat: str) -> tuple[time, time | None] | None:
    """The first clock time in normalized text and the end of its range, if one follows."""
    tokens = [token for match in _CLOCK.finditer(flat) if (token := _token(match)) is not None]
    if any(token.kind == "clock" for token in tokens):
        tokens = [token for token in tokens if token.kind != "weak"]
    for index, first in enumerate(tokens):
        second = tokens[index + 1] if index + 1 < len(tokens) else None
        if second is None or not _joined(flat, first, second):
            if first.kind == "bare":
                continue
            return _range(first, None)
        borrowed = _borrowed(flat, tokens, index)
        if second.kind == "bare" and first.meridiem is None and borrowed is None:
            # "3 - 4" could be anything, and "9:30 - 11" too; "下午3点-5" and "3pm-5" are ranges.
            if first.kind == "bare":
                continue
            return _range(first, None)
        if borrowed and first.meridiem is None and second.meridiem is None:
            second = second._replace(meridiem=borrowed)
        start, end = _range(first, second)
        return start, _second_part(flat, tokens, index, end) or end
    return None


def _second_part(flat: str, tokens: list[_Token], index: int, end: time | None) -> time | None:
    """"2:30 - 3:30 and 4 - 5 pm", "(1) 2:00 - 2:45 p.m. (2) 3:15 - 4:00 p.m.": one talk given
    in two parts with a break of an hour at most between them ends with its second part; a
    second range hours later ("11 am – 12 pm (LH-5) and 3:30 – 4:30 pm (LH-1)") is another
    lecture, and the first part's end stands."""
    joiner = _PARTS.match(flat, tokens[index + 1].end)
    if joiner is None or end is None:
        return None
    after = [token for token in tokens[index + 2:index + 5] if token.start >= joiner.end()]
    if len(after) < 2 or after[0].start != joiner.end() or not _joined(flat, *after[:2]):
        return None
    begin, finish = _range(after[0], after[1])
    gap = (begin.hour * 60 + begin.minute) - (end.hour * 60 + end.minute)
    return finish if 0 <= gap <= 60 and finish is not None and finish > begin else None


def _borrowed(flat: str, tokens: list[_Token], index: int) -> str | None:
    """"3 – 4 and 4:15 – 5:15 pm": a range with no meridiem takes the next one's after "and"."""
    after = tokens[index + 2:index + 4]
    if not after or not _AND.fullmatch(flat, tokens[index + 1].end, after[0].start):
        return None
    return next((token.meridiem for token in after if token.meridiem in _AM_PM), None)


def _token(match: re.Match[str]) -> _Token | None:
    if match.lastgroup == "h" and not match["cn"]:  # a number alone, the commonest by far
        hour = int(match["h"])
        return _Token(*match.span(), hour, 0, None, "bare") if hour <= 24 else None
    if match["kh"]:  # "3-430 pm": a clock without its colon counts only beside a meridiem
        meridiem = match["mer"] if match["mer"] in _AM_PM else None
        return _Token(*match.span(), int(match["kh"]), int(match["km"]), meridiem,
                      "clock" if meridiem else "bare")
    if match["word"]:
        hour = 0 if match["word"] == "midnight" else 12
        return _Token(*match.span(), hour, 0, match["word"], "clock")
    if match["hcn"] and not match["dian"]:
        return None  # a Chinese numeral is an hour only before 点
    hour = int(match["h"]) if match["h"] else _CN_HOURS[match["hcn"]]
    minute = 30 if match["half"] else int(match["m"] or match["dm"] or match["hm"]
                                          or match["cm"] or 0)
    meridiem = match["mer"] or match["cn"]
    if meridiem in _AM_PM and hour > 12:
        meridiem = None  # "下午 14：00" and "13:00 pm" are 14:00 and 13:00
    if hour > 24 or minute > 59 or (hour == 24 and minute):
        return None
    if match["hsep"] and not match["hm"] and not 8 <= hour <= 23:
        return None  # "2h" is a duration; "14h" is a time
    kind = "clock"
    if match["dm"] and not meridiem:
        if minute % 5:
            return None  # "Version 3.14": seminars start on the five minutes
        kind = "weak"
    return _Token(*match.span(), hour, minute, meridiem, kind)


def _joined(flat: str, first: _Token, second: _Token) -> bool:
    gap = _GAP.fullmatch(flat, first.end, second.start)
    if gap is None:
        return False
    if gap.group(0).strip() == "and":  # "between 3 and 4 pm", but not "at 3 and at 4 pm"
        return flat[max(0, first.start - 9):first.start].rstrip().endswith("between")
    return True


def _range(first: _Token, second: _Token | None) -> tuple[time, time | None]:
    if second is None:
        start_mer = first.meridiem if first.meridiem in _AM_PM else None
        return time(_hour24(first.hour, start_mer or _guess(first.hour)), first.minute), None
    start_mer, end_mer = _share_meridiem(first, second)
    start = time(_hour24(first.hour, start_mer), first.minute)
    end_hour = _hour24(second.hour, end_mer)
    if end_hour == 0 and end_mer in AM_WORDS and start.hour < 12:
        end_hour = 12  # "11-12 am", "9:00 am~12:00 am": the morning ends at noon
    if end_mer is None and end_hour < 12 and end_hour + 12 > start.hour \
            and (end_hour, second.minute) <= (start.hour, start.minute):
        end_hour += 12  # "11:30-1:00" with no meridiem ends in the afternoon
    return start, time(end_hour % 24, second.minute)


def _share_meridiem(first: _Token, second: _Token) -> tuple[str | None, str | None]:
    """"3:30-5:00 p.m." and "下午3:00-4:30": one meridiem covers both ends of a range."""
    start_mer, end_mer = (mer if mer in _AM_PM else None
                          for mer in (first.meridiem, second.meridiem))
    start = (first.hour, first.minute)
    end = (second.hour, second.minute)
    if start_mer is None and end_mer is not None:
        if _minutes(start, end_mer) <= _minutes(end, end_mer):
            start_mer = end_mer
    elif end_mer is None and start_mer is not None:
        if _minutes(end, start_mer) >= _minutes(start, start_mer):
            end_mer = start_mer
    elif start_mer is None and end_mer is None and _guess(first.hour):
        start_mer = end_mer = "pm"
    return start_mer, end_mer


def _minutes(clock: tuple[int, int], meridiem: str) -> int:
    return _hour24(clock[0], meridiem) * 60 + clock[1]


def _guess(hour: int) -> str | None:
    return "pm" if hour in _AFTERNOON_GUESS else None


def _hour24(hour: int, meridiem: str | None) -> int:
    if meridiem in PM_WORDS and hour < 12:
        return hour + 12
    if meridiem in AM_WORDS and hour == 12:
        return 0
    return hour % 24
