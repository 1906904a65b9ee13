"""The labelled-block reader shared by seminar pages and pasted announcements: lines -> Talks."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from datetime import UTC, date, datetime, time

from bot.cjk import is_han
from bot.models import TALK_CANCELLED, TALK_SCHEDULED, ParseResult, Talk
from jobs.sources.ical_summary import split_summary
from jobs.sources.talkblocks import Block, group_blocks, join_wrapped
from jobs.sources.talklabels import (
    ABSTRACT,
    AFFILIATION,
    BIO,
    CHAIR,
    HOMEPAGE,
    LIVESTREAM,
    LOCATION,
    MEETING,
    MEETING_ID,
    PASSWORD,
    REPLAY,
    SERIES,
    SLIDES,
    SPEAKER,
    TITLE,
    Line,
    tokenize,
    urls,
)
from jobs.sources.talkprose import prose_lines, recurring_defaults
from jobs.sources.talkspeaker import clean_name, looks_like_name, split_speaker
from jobs.sources.talktime import parse_when, zone

_CANCELLED = re.compile(r"\bcancell?ed\b|取消", re.IGNORECASE)
_CANCELLED_PREFIX = re.compile(r"^\s*[\[(【]?\s*(?:cancell?ed|取消)\s*[\])】]?\s*[:：\-–—]?\s*",
                               re.IGNORECASE)
_MEETING_NUMBER = re.compile(r"\d[\d \-]{4,}\d")
_ANY_DAY = datetime(2000, 1, 1, tzinfo=UTC)  # probes whether only the year is missing
_BIO_OPENING = re.compile(r"^\s*(?P<name>[^，,。（(]{2,40}?)\s*(?:[，,（(]|\s(?:is|was|received|"
                          r"obtained|joined|works|holds|got)\b)")
_BULLET = re.compile(r"^[\s•·●○◆◇■□▪▶►*>\-–—]+")
# Programme items that are not talks, when nobody is named to give them.
_NOT_A_TALK = re.compile(
    r"(?:morning |afternoon |coffee |tea |lunch |short )?(?:break|coffee|tea|lunch|dinner"
    r"|breakfast(?: and coffee)?|reception|registration|check in|welcome|opening(?: remarks)?"
    r"|closing(?: remarks)?|intermission|(?:free|open|panel) discussion|group photo"
    r"|poster session"
    r"|reading week|spring break|no (?:seminar|colloquium|talk)|organi[sz]ational meeting"
    r"|holiday|茶歇|午餐|晚餐|午休|签到|注册|开幕(?:式|致辞)?|闭幕(?:式|致辞)?|合影|自由讨论|(?:中场)?休息|开场(?:致辞)?)")
_QUOTE_PAIRS = {('"', '"'), ("'", "'"), ("“", "”"), ("‘", "’"), ("«", "»"), ("《", "》"),
                ("「", "」"), ("『", "』"), ("„", "“")}
_MEETING_FIELDS = ("meeting_url", "meeting_id", "meeting_password", "livestream_url")


def read_talks(lines: list[Line], *, source: str, timezone: str, series: str | None,
               now: datetime | None, key_scope: str | None = None,
               published: date | None = None) -> ParseResult:
    """Every talk the lines announce, with a warning for each block that cannot be one.

    `key_scope` (default: `source`) is hashed into each Talk.key with speaker and local date.
    A date written without a year is the one nearest to `published` (the post's own date),
    else nearest to `now`.
    """
    zone(timezone)
    if published is not None:
        now = datetime.combine(published, time(12), UTC)
    result = _read_blocks(lines, source=source, timezone=timezone, series=series, now=now)
    if not result.talks:
        told = _read_blocks(prose_lines(lines), source=source, timezone=timezone,
                            series=series, now=now)
        result.talks.extend(told.talks)
    _share_meeting_details(result.talks)
    _assign_keys(result, key_scope or source)
    return result


def _read_blocks(lines: list[Line], *, source: str, timezone: str, series: str | None,
                 now: datetime | None) -> ParseResult:
    blocks, defaults = group_blocks(tokenize(lines))
    result = ParseResult()
    usual_time, usual_place = recurring_defaults(lines)
    shared = {id(values) for block in blocks for values in block.inherited.values()}
    for block in blocks:
        if not block.identified and not block.loose \
                and any(id(values) in shared for values in block.fields.values()):
            continue  # a day's or a session's heading: the talks under it took its time
        for kind, values in defaults.items():
            block.inherited.setdefault(kind, values)
        if usual_place and not block.get(LOCATION):
            block.inherited[LOCATION] = [Line(usual_place)]
        talk = _talk(block, source=source, timezone=timezone, series=series, now=now,
                     warnings=result.warnings, usual_time=usual_time)
        if talk is not None:
            result.talks.append(talk)
    return result


def _talk(block: Block, *, source: str, timezone: str, series: str | None,
          now: datetime | None, warnings: list[str], usual_time: str | None = None
          ) -> Talk | None:
    title, names, affiliation, link = _identity(block)
    when_text = block.when_text()
    where = f"block at line {block.number}"
    if not title and not names:
        warnings.append(f"{where} ({when_text or 'no time'}): no title or speaker; skipped")
        return None
    title = _unquoted(_BULLET.sub("", title)) if title else title
    if not (names and title) and _NOT_A_TALK.fullmatch(_fold_words(title or " ".join(names))):
        return None  # "Coffee break", "Lunch", "Reading week": a programme's other items
    label = repr(title or ", ".join(names))
    when = parse_when(when_text, timezone, now=now) if when_text else None
    if when is not None and when.all_day and usual_time:  # "meets on Tuesdays at 4:00-5:00pm"
        when = parse_when(f"{when_text} {usual_time}", timezone, now=now) or when
    if when is None:
        reason = f"unreadable time {when_text!r}" if when_text else "no time"
        if when_text and now is None and parse_when(when_text, timezone, now=_ANY_DAY):
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
        series=_unquoted(block.text(SERIES) or "") or series,
        speakers=names, affiliation=affiliation, abstract=block.text(ABSTRACT),
        bio=block.text(BIO), location=block.text(LOCATION, ", "), chair=_chair(block),
        meeting_url=_url(block, MEETING), meeting_id=_meeting_id(block),
        meeting_password=_password(block), livestream_url=_url(block, LIVESTREAM),
        replay_url=_url(block, REPLAY), slides_url=_url(block, SLIDES),
        homepage=_url(block, HOMEPAGE), url=link,
        language=language(title), status=TALK_CANCELLED if cancelled else TALK_SCHEDULED)


def _identity(block: Block) -> tuple[str | None, list[str], str | None, str | None]:
    """Title, speakers, affiliation and title link; an unlabelled lead fills in a missing one."""
    title, title_lines = block.text(TITLE), block.get(TITLE)
    speaker_lines = block.get(SPEAKER)
    names, affiliation = split_speaker(speaker_lines[0].text) if speaker_lines else ([], None)
    extra = "; ".join(line.text for line in speaker_lines[1:]) or None
    if block.lead and names and not title:
        title_lines = block.detach_lead()
        title = functools.reduce(join_wrapped, (line.text for line in title_lines), "")
    elif block.lead and title and not names:
        lead = block.detach_lead()
        names, affiliation = split_speaker(lead[0].text)
        extra = "; ".join(line.text for line in lead[1:]) or None
    if not title and not names and block.loose:
        title_lines, names, affiliation, extra = _from_loose(block.loose)
        title = title_lines[0].text if title_lines else None
    if not names and block.text(BIO):
        names = _bio_subject(block.text(BIO) or "")
    affiliation = block.text(AFFILIATION, "; ") or affiliation or extra
    return title, names, affiliation, _first_link(title_lines)


def _from_loose(loose: list[Line]) -> tuple[list[Line], list[str], str | None, str | None]:
    """A slot's unlabelled lines ("10:50-11:20 Title", then "Jane Doe (MIT)"): the title
    first and the speaker under it, unless the first reads as a person and the next not."""
    lines = [line for line in loose[:4] if len(line.text) <= 300]
    if not lines:
        return [], [], None, None
    told = split_summary(lines[0].text)  # "Jane Doe (MIT), Sparse Transformers"
    if told is not None:
        names, affiliation = split_speaker(told[0])
        return [Line(_unquoted(told[1]), lines[0].links, False, lines[0].number)], names, \
            affiliation, None
    people = [split_speaker(line.text) if _person_like(line.text) else ([], None)
              for line in lines]
    if len(lines) > 1 and people[0][0] and not people[1][0]:
        names, affiliation = people[0]
        return [lines[1]], names, affiliation, None
    for names, affiliation in people[1:]:
        if names:
            return [lines[0]], names, affiliation, None
    extra = lines[1].text if len(lines) > 1 else None
    return [lines[0]], [], None, extra


def _person_like(text: str) -> bool:
    names, _ = split_speaker(text)
    return bool(names) and looks_like_name(names[0]) and len(text) <= 100


def _bio_subject(bio: str) -> list[str]:
    """A bio opens with its subject: "王昊奋，华东理工大学讲师" or "Jane Doe is a professor"."""
    match = _BIO_OPENING.match(bio)
    name = clean_name(match["name"]) if match else ""
    return [name] if name and looks_like_name(name) else []


def _fold_words(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def _unquoted(text: str) -> str:
    """A title without the quotes around it: "…", “…”, «…», 《…》, 「…」."""
    text = text.strip()
    while len(text) > 2 and (text[0], text[-1]) in _QUOTE_PAIRS:
        inner = text[1:-1].strip()
        if text[0] in inner or text[-1] in inner:
            break  # "A" and "B": the quotes are not around the whole
        text = inner
    return text


def _url(block: Block, kind: str) -> str | None:
    for line in block.get(kind):
        found = urls(line.text) or list(line.links)
        if found:
            return found[0]
    return None


def _first_link(lines: list[Line]) -> str | None:
    return next((link for line in lines for link in line.links), None)


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
    titles: dict[str, str] = {}
    kept: list[Talk] = []
    for talk in result.talks:
        day = talk.start.astimezone(zone(talk.timezone or "UTC")).date() if talk.start else None
        who = ",".join(sorted(_fold(n) for n in talk.speakers)) or _fold(talk.title)
        key = _digest(scope, who, str(day))
        if key in titles and titles[key] != _fold(talk.title):
            # One speaker with two talks on a day: the title tells them apart.
            key = _digest(scope, who, str(day), _fold(talk.title))
        if key in titles:
            result.warnings.append(f"talk {talk.title!r} on {day} is listed twice; kept once")
            continue
        titles[key] = _fold(talk.title)
        talk.key = key
        kept.append(talk)
    result.talks[:] = kept


def _fold(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]
