"""Unlabelled lines that still say what they are: a day heading, a time slot opening a talk.

Programs write the day on a line of its own ("Friday, Aug. 25, 2023", "6月19日（星期二）")
and give each talk a slot ("10:50-11:20 Title", "14:00 Opening") instead of a "Time:" label.
"""

from __future__ import annotations

import re
from datetime import date

from bot.cjk import is_han
from jobs.sources.talkclock import has_clock
from jobs.sources.talkdate import blank_dates, find_date
from jobs.sources.talkwords import WEEKDAYS, normalize

_WEEKDAY_WORDS = re.compile(r"\b(?:" + "|".join(sorted(WEEKDAYS, key=len, reverse=True))
                            + r")s?\b\.?|(?:星期|礼拜|禮拜|周|週)[一二三四五六日天]"
                            r"|\bday\s*\d{1,2}\b|第[一二三四五六七八九十\d]{1,3}天")
_ITEM = re.compile(r"^\s*(?:[(（](?P<p>\d{1,2})[)）]|(?P<n>\d{1,2}|[一二三四五六七八九十]{1,2})"
                   r"\s*[.、．)）](?!\d))\s*(?=\S)")
_SENTENCE_ENDS = ("。", "；", ";", ":", "：", ",", "，", ".")
_CN_NUMBERS = {word: index for index, word in enumerate(
    "一 二 三 四 五 六 七 八 九 十 十一 十二 十三 十四 十五 十六 十七 十八 十九".split(), start=1)}
_YEAR = re.compile(r"(?<!\d)(?:19[89]\d|20\d\d)(?!\d)")
_NOT_TERM = re.compile(r"copyright|©|\(c\)|updated|since|founded|established|版权")
_ANY_DAY = date(2000, 1, 1)  # only the span of a date is wanted, not its year
_FILLER = re.compile(r"[\s\W_]+")
# A tab parts the cells of a table row: "Friday, December 8th, 3-430 pm ET<tab>Title".
_WHEN_MARKS = re.compile(r"\t|\s*[:：|｜]\s+|\s+(?:--|[-–—])\s+|\s*[)）]\s*[:：]\s*")
# What a date-and-time line holds besides its date: clocks, meridiems, zone names, joiners.
_CLOCK_WORDS = re.compile(r"\d+\s*(?:[ap]m\b|h(?:[0-5]\d)?\b)?"  # "11h00-12h00", French
                          r"|\b(?:[ap]m|noon|midnight|at|from|to|until|till|and|on|h|hrs?"
                          r"|utc|gmt|[a-z]{1,2}[sd]t|[epcm]t|cet|cest|bst|ist|local time|time"
                          r"|beijing)\b"
                          r"|[上下中晚早]午|晚上|早上|傍晚|北京时间|时间|[点點时時分至到半]")
# The words a room or a place opens with ("room L382", "Amphi Jaurès", "salle 1", "Zoom").
_PLACE_WORDS = re.compile(r"(?:in\s+|at\s+)?(?:the\s+)?(?:room|rm\.?|salle|amphi\w*|auditorium"
                          r"|lecture\s+(?:hall|theat(?:re|er))|seminar\s+room|conference\s+room"
                          r"|building|bldg\.?|hall|online|zoom|teams|via\s+zoom)\b"
                          r"|(?:[^\s,，]{0,12}(?:教室|会议室|报告厅|楼))", re.IGNORECASE)
# An event card's badge before its date ("Seminar December 11, 2025 · 14:30–15:30").
_EVENT_WORDS = re.compile(r"^\W*(?:seminar|talk|colloquium|lecture|webinar|workshop)s?\b")
# "10:50-11:20 Title", "9:30 – 10:15 a.m. Registration", "14:00 Opening": a clock at the
# very start, then words. One clock alone needs minutes, so "3 papers" is not a slot.
_CLOCK = r"(?:[01]?\d|2[0-3])\s*[:：.h]\s*[0-5]\d(?:\s*[ap]\.?\s?m\.?)?"
_SLOT = re.compile(r"^\s*(?P<time>" + _CLOCK + r"(?:\s*(?:[-–—~～至到]|to)\s*" + _CLOCK
                   + r")?)(?!\d)\s*[|｜:：,，\-–—•·]?\s*(?P<rest>\S.*)$", re.IGNORECASE)

_BRACKETED_SLOT = re.compile(r"^(?P<rest>.*?\S)\s*[(（]\s*(?P<time>" + _CLOCK
                             + r"\s*(?:[-–—~～至到]|to)\s*" + _CLOCK + r")\s*[)）]\s*$",
                             re.IGNORECASE)


def is_day_line(text: str) -> bool:
    """A line that gives a date and nothing else (weekday and punctuation allowed)."""
    if len(text) > 60:
        return False
    flat = normalize(text)
    blanked = blank_dates(flat)
    if blanked == flat or has_clock(flat):
        return False  # no date in it, or a time too: a "Time:"-like line, not a day
    return not _FILLER.sub("", _WEEKDAY_WORDS.sub(" ", blanked))


def is_when_line(text: str) -> bool:
    """A line that gives a date and a time and nothing else ("Tuesday 1/23 at 4:00-4:50",
    "2024年12月7日（周六）19:00"): the time of the talk or session under it."""
    if len(text) > 80:
        return False
    flat = normalize(text)
    blanked = blank_dates(flat)
    if blanked == flat or not has_clock(blanked):
        return False
    rest = _EVENT_WORDS.sub(" ", _CLOCK_WORDS.sub(" ", _WEEKDAY_WORDS.sub(" ", blanked)))
    return not _FILLER.sub("", rest)


def split_when(text: str) -> tuple[str, str] | None:
    """("Nov 12, 2020, 4pm CET", "Stefano Marò (Pisa), Chaotic motion") for a line that
    opens with a date and a time and goes on after a mark (":", " - ", "|"); else None."""
    return _split_head(text, 90, is_when_line)


def split_when_place(text: str) -> tuple[str, str] | None:
    """("January 29th, 2020, 11h00-12h00", "room L382/L384, 24 rue Lhomond.") for a line
    giving the date and time, then after a comma the room; None otherwise."""
    for comma in re.finditer(r"[,，;；]\s*", text[:90]):
        head, rest = text[:comma.start()], text[comma.end():].strip()
        if _PLACE_WORDS.match(rest) and is_when_line(head):
            return head.strip(), rest
    return None


def split_day(text: str) -> tuple[str, str] | None:
    """("03/09/2021", "Title by Speaker") for a line that opens with a date alone, then a
    mark and words; None otherwise."""
    return _split_head(text, 60, is_day_line)


def _split_head(text: str, within: int, head_is) -> tuple[str, str] | None:
    for mark in _WHEN_MARKS.finditer(text[:within]):
        head, rest = text[:mark.start()], text[mark.end():].strip()
        if rest and re.search(r"[^\W\d_]", rest) and head_is(head):
            # "23 September, 10:15 - 12:00 (J406), Name": the mark joined the two clocks of
            # a range, whose end belongs to the head.
            end = _SLOT.match(rest)
            if end and head_is(f"{head}-{end['time']}"):
                return f"{head.strip()}-{end['time']}", end["rest"].strip()
            return head.strip(), rest
    return None


def split_slot(text: str) -> tuple[str, str] | None:
    """("10:50-11:20", "Title") for a line opening with a time slot; None otherwise."""
    match = _SLOT.match(text)
    if match is None or not re.search(r"[^\W\d_]", match["rest"]):
        return None
    return match["time"].strip(), match["rest"].strip()


def split_bracketed_slot(text: str) -> tuple[str, str] | None:
    """("13:50-14:30", "研讨会与专题演讲") for a heading that closes with its time slot in
    brackets ("03. 研讨会与专题演讲 (13:50-14:30)") and writes no other clock."""
    match = _BRACKETED_SLOT.match(text)
    if match is None or has_clock(match["rest"]) or not re.search(r"[^\W\d_]", match["rest"]):
        return None
    item = numbered_item(match["rest"])  # "03. ": the programme's numbering, not the title
    return match["time"].strip(), (item[1] if item else match["rest"]).strip()


def numbered_item(text: str) -> tuple[int, str] | None:
    """(2, "《创业期税务筹划》") for the heading of an item of a numbered list of talks
    ("2.《...》", "3、斯密论坛", "(4) Title", "二、..."); None for any other line ("10.20 讲座",
    "2.5 hours") and for a numbered sentence of an abstract ("1. We show that ... .")."""
    match = _ITEM.match(text)
    rest = text[match.end():].rstrip() if match else ""
    if match is None or len(rest) > 120 or "://" in rest or rest.endswith(_SENTENCE_ENDS):
        return None
    digits = match["p"] or match["n"]
    number = int(digits) if digits.isdigit() else _CN_NUMBERS.get(digits)
    return (number, rest) if number else None


def heading_year(text: str, *, heading: bool = False) -> int | None:
    """The year of a heading over a term's talks ("Fall 2022", "## 2019 Autumn", "=== Fall 2023
    ===", "Finished Presentations, 2022", "2022年秋季"): a year and at most four words, no
    other number, no date, no clock. A `heading` (<h1>-<h6>) may give its days too ("Monday,
    May 27 to Saturday, June 8, 2019", "Week 1, May 27-31, 2019"). None for any other line."""
    if len(text) > (80 if heading else 40):
        return None
    flat = normalize(text)
    years = set(_YEAR.findall(flat))
    rest = _YEAR.sub(" ", flat)
    if len(years) != 1 or has_clock(flat) or _NOT_TERM.search(rest):
        return None
    if not heading and (any(ch.isdigit() for ch in rest)
                        or len(re.findall(r"[^\W\d_]+", rest)) > 4):
        return None
    return int(years.pop())


def date_phrase(text: str) -> str:
    """The date a time phrase writes ("2021-5-22" of "2021-5-22,9:30"), or "" if none;
    a weekday alone is not a date here."""
    flat = normalize(text)
    if blank_dates(flat) == flat:
        return ""
    found = find_date(flat, _ANY_DAY)
    return flat[found[1][0]:found[1][1]] if found else ""


def join_wrapped(left: str, right: str) -> str:
    """Two pieces of one wrapped paragraph: a space between words, none between Han characters."""
    if left and right and is_han(left[-1]) and is_han(right[0]):
        return left + right
    return f"{left} {right}".strip()
