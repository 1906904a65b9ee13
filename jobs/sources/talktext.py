"""The labelled-block reader shared by seminar pages and pasted announcements: lines -> Talks."""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import re
import unicodedata
from datetime import UTC, date, datetime, time

from bot.cjk import is_han
from bot.models import TALK_CANCELLED, TALK_SCHEDULED, ParseError, ParseResult, Talk
from jobs.sources.talkblocks import group_blocks
from jobs.sources.talkclock import has_clock
from jobs.sources.talkcues import date_phrase, heading_year
from jobs.sources.talkdate import blank_dates
from jobs.sources.talkfields import Block
from jobs.sources.talkidentity import identity, not_a_talk, repeats_earlier, unquoted
from jobs.sources.talklabels import (
    ABSTRACT,
    BIO,
    CHAIR,
    DATE,
    HEADINGS,
    HOMEPAGE,
    LIVESTREAM,
    LOCATION,
    MEETING,
    MEETING_ID,
    PASSWORD,
    REPLAY,
    SERIES,
    SLIDES,
    TIME,
    Line,
    starts_with_label,
    tokenize,
    urls,
)
from jobs.sources.talkprose import prose_lines, recurring_defaults
from jobs.sources.talkspeaker import clean_name, looks_like_name, split_speaker
from jobs.sources.talktime import normalize, page_order, parse_when, zone

# A talk "postponed to July 1" does not take place at the time given; one "postponed from"
# an earlier day does.
_CANCELLED = re.compile(r"\bcancell?ed\b|\bpostponed\b(?!\s+from)|取消|延期|推迟",
                        re.IGNORECASE)
_CANCELLED_PREFIX = re.compile(r"^\s*[\[(【]?\s*(?:cancell?ed|取消)\s*[\])】]?\s*[:：\-–—]?\s*",
                               re.IGNORECASE)
_MEETING_NUMBER = re.compile(r"\d[\d \-]{4,}\d")
_ANY_DAY = datetime(2000, 1, 1, tzinfo=UTC)  # probes whether only the year is missing
MAX_LINES = 10_000  # a long seminar archive has a few thousand; reading costs ~0.15 ms a line
_LECTURES_BY = re.compile(
    r"^\W*(?:(?:mini[- ]?)?courses?|lectures?|lecture series|talks?|seminars?|colloquia)"
    r"\s+by\s+(?P<who>[^()\d,:;]{3,60}?(?:\s*\([^()]{2,80}\))?)"
    r"(?=\s+(?:from|on|at|in|during|starting|beginning)\b|\s*[,:;.]|\s*$)", re.IGNORECASE)
_DAY_LIST = re.compile(r"\s*(?:[,;，；、&]|\band\b)\s*")
_PAREN = re.compile(r"\([^()]*\)")
_MEETING_FIELDS = ("meeting_url", "meeting_id", "meeting_password", "livestream_url")


def read_talks(lines: list[Line], *, source: str, timezone: str, series: str | None,
               now: datetime | None, key_scope: str | None = None,
               published: date | None = None, post_title: str | None = None) -> ParseResult:
    """Every talk the lines announce, with a warning for each block that cannot be one.

    `key_scope` (default: `source`) is hashed into each Talk.key with speaker and local date.
    A date written without a year is the one nearest to `published` (the post's own date),
    else nearest to `now`. A post announcing one talk with no title of its own gives the
    talk its `post_title`.
    """
    zone(timezone)
    if len(lines) > MAX_LINES:
        raise ParseError(f"the document has {len(lines)} lines of text, more than the "
                         f"{MAX_LINES} a seminar page could need; it was not read")
    if published is not None:
        now = datetime.combine(published, time(12), UTC)
    result = _read_blocks(lines, source=source, timezone=timezone, series=series, now=now,
                          post_title=post_title)
    if not result.talks:
        told = _read_blocks(prose_lines(lines), source=source, timezone=timezone,
                            series=series, now=now)
        result.talks.extend(told.talks)
    _share_meeting_details(result.talks)
    _assign_keys(result, key_scope or source)
    return result


def _read_blocks(lines: list[Line], *, source: str, timezone: str, series: str | None,
                 now: datetime | None, post_title: str | None = None) -> ParseResult:
    blocks, defaults = group_blocks(tokenize(lines))
    result = ParseResult()
    usual_time, usual_place = recurring_defaults(lines)
    order = page_order([line.text for line in lines])
    shared = {id(values) for block in blocks for values in block.inherited.values()}
    terms = _term_years(lines)
    for block in blocks:
        if not block.identified and not block.loose \
                and any(id(values) in shared for values in block.fields.values()):
            continue  # a day's or a session's heading: the talks under it took its time
        for kind, values in defaults.items():
            block.inherited.setdefault(kind, values)
        if usual_place and not block.get(LOCATION):
            block.inherited[LOCATION] = [Line(usual_place)]
        for each in _each_day(block):  # "Dates: 10/17/17, 10/24/17, 10/31/17"
            talk = _talk(each, source=source, timezone=timezone, series=series,
                         now=_term_now(terms, block.number) or now,
                         warnings=result.warnings, usual_time=usual_time, order=order,
                         post_title=post_title if len(blocks) == 1 else None,
                         by=_post_speaker(post_title))
            if talk is not None and not repeats_earlier(result.talks, talk, each):
                result.talks.append(talk)
    return result


def _term_years(lines: list[Line]) -> list[tuple[int, int]]:
    """(line, year) of each heading that gives the year of the talks under it ("Fall 2022",
    "## 2019 Autumn"), in page order."""
    return [(line.number, year) for line in lines if not starts_with_label(line.text)
            and (year := heading_year(line.text, heading=line.tag in HEADINGS))]


def _term_now(terms: list[tuple[int, int]], number: int) -> datetime | None:
    """Midyear of the year the last heading above line `number` gives: a date written
    without a year under "Fall 2022" is in 2022, not in the year nearest to now."""
    index = bisect.bisect_left(terms, (number, 0)) - 1
    return datetime(terms[index][1], 7, 2, 12, tzinfo=UTC) if index >= 0 else None


def _each_day(block: Block) -> list[Block]:
    """A talk given on several days listed in its date or time ("Dates: 11/7/17, 11/14/17",
    "Tuesdays 9/14, 9/21, 9/28 at 2:20-3:10"): one block per day, each with the clock the
    last day is given. "Aug 24, 2023" is one day: its year is no date of its own."""
    for kind in (DATE, TIME):
        lines = block.fields.get(kind) or []
        parts = _DAY_LIST.split(lines[0].text) if len(lines) == 1 else []
        if len(parts) < 2 or any(blank_dates(normalize(part)) == normalize(part)
                                 for part in parts) or any(map(has_clock, parts[:-1])):
            continue
        clock = blank_dates(normalize(parts[-1])).strip()
        return [dataclasses.replace(block, fields={**block.fields, kind: [
            Line(part if part is parts[-1] else f"{part} {clock}".strip(), lines[0].links,
                 False, lines[0].number)]}) for part in parts]
    return [block]


def _talk(block: Block, *, source: str, timezone: str, series: str | None,
          now: datetime | None, warnings: list[str], usual_time: str | None = None,
          order: bool | None = None, post_title: str | None = None,
          by: tuple[list[str], str | None] = ([], None)) -> Talk | None:
    title, names, affiliation, link = identity(block)
    if not names and title:  # "Lectures by Jane Doe (MIT)" over lectures named by title only
        names, affiliation = by[0], affiliation or by[1]
    title = title or (unquoted(post_title) if post_title else None)
    when_text = block.when_text()
    where = f"block at line {block.number}"
    if not title and not names:
        warnings.append(f"{where} ({when_text or 'no time'}): no title or speaker; skipped")
        return None
    if not_a_talk(title, names):
        return None  # "Coffee break", "Lunch", "Reading week": a programme's other items
    label = repr(title or ", ".join(names))
    when = parse_when(when_text, timezone, now=now, order=order) if when_text else None
    if when is not None and when.all_day and usual_time:  # "meets on Tuesdays at 4:00-5:00pm"
        when = parse_when(f"{when_text} {usual_time}", timezone, now=now, order=order) or when
    if when is None:
        reason = f"unreadable time {when_text!r}" if when_text else "no time"
        if when_text and has_clock(when_text) and not date_phrase(when_text):
            reason = f"the time {when_text!r} has no date, and nothing above it gives one"
        elif when_text and now is None and parse_when(when_text, timezone, now=_ANY_DAY):
            reason = f"the date in {when_text!r} has no year and no reference date was given"
        warnings.append(f"{where}, talk {label}: {reason}; skipped")
        return None
    if when.all_day:
        warnings.append(f"{where}, talk {label}: {when_text!r} gives a day but no time of day, "
                        "so no reminder could be sent; skipped")
        return None
    if not title:
        title = "Talk by " + ", ".join(names)
        warnings.append(f"{where}, talk on {when_text!r}: no title; called it {title!r}")
    elif not names:
        warnings.append(f"{where}, talk {label}: no speaker")
    cancelled = bool(_CANCELLED.search(f"{title} {when_text}"))
    return Talk(
        key="", title=_CANCELLED_PREFIX.sub("", title) or title, source=source,
        start=when.start, end=when.end, timezone=timezone, all_day=when.all_day,
        series=unquoted(block.text(SERIES) or "") or series,
        speakers=names, affiliation=affiliation, abstract=block.text(ABSTRACT),
        bio=block.text(BIO), location=block.text(LOCATION, ", "), chair=_chair(block),
        meeting_url=_url(block, MEETING), meeting_id=_meeting_id(block),
        meeting_password=_password(block), livestream_url=_url(block, LIVESTREAM),
        replay_url=_url(block, REPLAY), slides_url=_url(block, SLIDES),
        homepage=_url(block, HOMEPAGE), url=link,
        language=language(title), status=TALK_CANCELLED if cancelled else TALK_SCHEDULED)


def _post_speaker(post_title: str | None) -> tuple[list[str], str | None]:
    """The person a post of lectures is by ("Lectures by Michel Waldschmidt (IMJ-PRG,
    France) from Tuesday, July 21, 2026"), who gives every lecture the post lists."""
    match = _LECTURES_BY.match(post_title or "")
    if match is None or not looks_like_name(_PAREN.sub("", match["who"]).strip()):
        return [], None
    return split_speaker(match["who"])


def _url(block: Block, kind: str) -> str | None:
    for line in block.get(kind):
        found = urls(line.text) or list(line.links)
        if found:
            return found[0]
    return None


def _meeting_id(block: Block) -> str | None:
    # "腾讯会议：123 456 789" names the meeting by number rather than by link.
    for line in block.get(MEETING_ID) + block.get(MEETING):
        text = re.sub(r"https?://\S+", " ", line.text)
        number = _MEETING_NUMBER.search(text)
        if number:
            return number.group(0).strip()
    return None


def _password(block: Block) -> str | None:
    for line in block.get(PASSWORD):
        words = line.text.strip(" ,，;；。.()（）").split()
        if words:
            return words[0]
    return None


def _chair(block: Block) -> str | None:
    lines = block.get(CHAIR)
    if not lines:
        return None
    names, _ = split_speaker(lines[0].text)  # "Shurong Zheng, Northeast Normal University"
    return ", ".join(names) if names else clean_name(lines[0].text)


def language(title: str) -> str:
    """"zh" when the title is mostly Han characters, else "en"."""
    han = sum(1 for ch in title if is_han(ch))
    letters = sum(1 for ch in title if ch.isalpha() and not is_han(ch))
    return "zh" if han and han >= letters else "en"


def _share_meeting_details(talks: list[Talk]) -> None:
    """A meeting link given once for the talks of one day belongs to all of them."""
    by_day: dict[object, list[Talk]] = {}
    for talk in talks:
        if talk.start is not None and talk.timezone:
            by_day.setdefault(talk.start.astimezone(zone(talk.timezone)).date(), []).append(talk)
    for group in by_day.values():
        bundles = {tuple(getattr(t, f) for f in _MEETING_FIELDS) for t in group}
        given = [b for b in bundles if any(b)]
        if len(given) != 1:
            continue
        for talk in group:
            if not any(getattr(talk, f) for f in _MEETING_FIELDS):
                for name, value in zip(_MEETING_FIELDS, given[0], strict=True):
                    setattr(talk, name, value)


def _assign_keys(result: ParseResult, scope: str) -> None:
    """Key = hash of scope, speakers and local date, so corrected details keep the key."""
    titles: dict[str, tuple[str, object]] = {}
    kept: list[Talk] = []
    for talk in result.talks:
        day = talk.start.astimezone(zone(talk.timezone or "UTC")).date() if talk.start else None
        who = ",".join(sorted(_fold(n) for n in talk.speakers)) or _fold(talk.title)
        key = _digest(scope, who, str(day))
        if key in titles and titles[key][0] != _fold(talk.title):
            # One speaker with two talks on a day: the title tells them apart.
            key = _digest(scope, who, str(day), _fold(talk.title))
        if key in titles and titles[key][1] != talk.start:
            # Two lectures of one lecturer on a day, untitled ("Talk by ..."): the clock does.
            key = _digest(scope, who, str(day), _fold(talk.title), str(talk.start))
        if key in titles:
            result.warnings.append(f"talk {talk.title!r} on {day} is listed twice; kept once")
            continue
        titles[key] = (_fold(talk.title), talk.start)
        talk.key = key
        kept.append(talk)
    result.talks[:] = kept


def _fold(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]
