"""A talk told in a sentence, not in labelled fields -> the labelled lines it would have had.

"张系国教授……将于 2012 年 9 月 27 日下午 2 点在浙江大学紫金港校区图书馆农医分馆报告厅做一场……报告"
and "Prof. Jane Doe will give a talk at 4 pm on Monday, 12 May 2025 in Room 101" carry a
time, a place and a speaker. Read only when a document yields no labelled talk: the first
paragraph that writes a date with a clock time and names a speaker or a place.
"""

from __future__ import annotations

import re

from jobs.sources.talkclock import has_clock, read_clock
from jobs.sources.talkdate import blank_dates
from jobs.sources.talklabels import Line, starts_with_label
from jobs.sources.talkspeaker import looks_like_name
from jobs.sources.talkwords import normalize

_HAN_NAME = r"[\u4e00-\u9fff·]{2,4}"
_CN_SPEAKER = re.compile(r"(?:^|[，,、。：:；;（(）)\s“”\"]|邀请|欢迎)(?P<name>" + _HAN_NAME
                         + r")(?:副?教授|博士|研究员|院士|老师|先生|女士)")
_EN_NAME = r"[A-Z][\w.'-]+(?:\s+\([A-Z][\w.'-]+\))?(?:\s+[A-Z][\w.'-]+)"
_EN_SPEAKER = re.compile(r"\b(?:Prof(?:essor)?\.?|Dr\.?)\s+(?P<name>" + _EN_NAME + r"{0,3})"
                         r"|(?P<subject>" + _EN_NAME + r"{1,3})\s+will\s+"
                         r"(?:give|present|deliver|speak)")
_CN_PLACE = re.compile(r"在\s*(?P<place>[^，。,；;：:！!？?\s]{3,40}?)\s*"
                       r"(?:做|作|举行|举办|进行|开展|召开|主讲|开讲)")
_EN_PLACE = re.compile(r"\b(?:in|at)\s+(?P<place>(?:the\s+)?(?:[A-Z][\w.-]*\s+){0,4}"
                       r"(?:Room|Hall|Auditorium|Building|Theatre|Theater|Lecture Theatre|LT)"
                       r"(?:\s+[A-Z0-9][\w.-]*){0,3}|(?:Room|LT|Hall)\s+[\w.-]+)")
_TITLED = re.compile(r"(?:题为|题目为|主题为|\b(?:entitled|titled))\s*[:：]?\s*[“\"《「'‘]"
                     r"(?P<title>[^”\"》」'’]{3,200})[”\"》」'’]")
_PARENTHESISED_WHEN = re.compile(r"\s*[（(][^（()）]*\d[^（()）]*[)）]\s*$")
_HEADINGS = frozenset({"h1", "h2", "h3"})
_OPENING_LINES = 15
_SCHEDULE_LABEL = re.compile(r"^[\W_]*(?:when|time|meets|where|place|location|venue|room"
                             r"|时间|地点)[\W_]*[:：]", re.IGNORECASE)
_RECURRING = re.compile(r"\b(?:on|every|each)\s+(?:other\s+)?(?:mon|tues|wednes|thurs|fri|satur|"
                        r"sun)days?\b|\b(?:mon|tues|wednes|thurs|fri|satur|sun)days\b|\bweekly\b"
                        r"|每(?:周|星期|礼拜)|每逢(?:周|星期)")


def prose_lines(lines: list[Line]) -> list[Line]:
    """Labelled lines for the first talk told in prose, or [] when no sentence tells one."""
    heading: Line | None = None
    for line in lines:
        if line.tag in _HEADINGS:
            heading = line
            continue
        if len(line.text) < 20 or not _dated_clock(line.text):
            continue
        speaker = _speaker(line.text) or (_speaker(heading.text) if heading else None)
        place = _place(line.text)
        if not speaker and not place:
            continue
        made = [Line(f"Time: {line.text}", (), True, line.number)]
        named = _TITLED.search(line.text)
        if named is not None:
            made.append(Line(f"Title: {named['title']}", (), False, line.number))
        elif heading is not None:
            title = _PARENTHESISED_WHEN.sub("", heading.text).strip()
            made.append(Line(f"Title: {title}", heading.links, False, heading.number))
        if speaker:
            made.append(Line(f"Speaker: {speaker}", (), False, line.number))
        if place:
            made.append(Line(f"Location: {place}", (), False, line.number))
        return made
    return []


def recurring_defaults(lines: list[Line]) -> tuple[str | None, str | None]:
    """The clock time and place a series page states once for every talk, in its opening
    ("The seminar meets on Tuesdays at 1:00-2:00PM in Room 164", "每周二下午2:00在…举行"):
    what a talk listed with only its day takes. (None, None) when the opening says none."""
    for line in lines[:_OPENING_LINES]:
        if starts_with_label(line.text) and not _SCHEDULE_LABEL.match(line.text):
            break  # the first talk's own fields; "When: Fridays 11am-12pm" is the series'
        clock = read_clock(line.text) if _RECURRING.search(normalize(line.text)) else None
        if clock is not None:
            start, end = clock
            text = start.strftime("%H:%M") + (end.strftime("-%H:%M") if end else "")
            return text, _place(line.text)
    return None, None


def _dated_clock(text: str) -> bool:
    flat = normalize(text)
    return blank_dates(flat) != flat and has_clock(flat)


def _speaker(text: str) -> str | None:
    for match in _CN_SPEAKER.finditer(text):
        if looks_like_name(match["name"]):
            return match["name"]
    for match in _EN_SPEAKER.finditer(text):
        name = match["name"] or match["subject"]
        if looks_like_name(re.sub(r"\s*\([^)]*\)", "", name)):  # "Zhenhui (Jessie) Li"
            return name
    return None


def _place(text: str) -> str | None:
    match = _CN_PLACE.search(text) or _EN_PLACE.search(text)
    return match["place"].strip().rstrip(".,;:") if match else None
