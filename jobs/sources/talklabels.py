"""The label vocabulary of talk announcements (Time/时间, Speaker/报告人, ...) and line tokens."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.cjk import is_han
from jobs.sources.talkcues import (
    is_day_line,
    is_when_line,
    split_bracketed_slot,
    split_day,
    split_slot,
    split_when,
    split_when_place,
)

TIME, DATE, TITLE, SPEAKER = "time", "date", "title", "speaker"
AFFILIATION, ABSTRACT, BIO, LOCATION, CHAIR = "affiliation", "abstract", "bio", "location", "chair"
MEETING, MEETING_ID, PASSWORD = "meeting", "meeting_id", "password"
LIVESTREAM, REPLAY, SLIDES, HOMEPAGE = "livestream", "replay", "slides", "homepage"
SERIES, SESSION = "series", "session"
DAY = "day"  # a line that is only a date: a heading over the talks of that day
IGNORE, END = "ignore", "end"

# Checked in order, each against the whole label: IGNORE first so that "Tecent Meeting
# download link" or "Alternate meeting ID (no password)" never overwrite the real values.
_VOCABULARY = [
    (IGNORE, r".*download.*|alternat(?:e|ive) .*|backup .*|备用.*|.*下载.*|(?:date|time) details"
             r"|price|fee|cost|registration"
             r"|organi[sz]ing committee|organi[sz]ers?|contacts?|联系人|组织者|主办.*|承办.*"),
    (DATE, r"dates?|day|(?:day|weekday)\s*(?:and|&|/|,)\s*date|date\s*(?:and|&|/|,)\s*day"
           r"|(?:报告|讲座|会议|活动)?日期"),
    (TIME, r"time|when|date\s*(?:and|&|/)\s*time|time\s*(?:and|&|/)\s*date|datetime"
           r"|(?:talk|seminar|lecture|start|starting) time|starts?(?: at)?"
           r"|date ?time"
           r"|(?:报告|讲座|会议|活动|演讲|开始)?时间"),
    (SERIES, r"(?:seminar |talk |lecture |colloquium )?series"
             r"|系列(?:讲座|报告)?|(?:讲座|报告)系列"),
    (SESSION, r"session(?: title| name)?|(?:分|专题)?会场|专题|分论坛"),
    (TITLE, r"(?:talk |lecture |seminar )?(?:title|topic|theme)|title of (?:the )?talk|what"
            r"|(?:报告|讲座|演讲|会议)?(?:题目|标题|主题)|(?:报告|讲座|演讲)名称"),
    (SPEAKER, r"(?:invited |keynote |main |guest )?(?:speakers?|reporters?|report|presenters?"
              r"|lecturers?|experts?)|speaker'?s? name|who"
              r"|报告人|主讲人?|(?:主讲|报告|特邀)?嘉宾|讲者|演讲人|演讲者|讲座人|讲员"),
    (AFFILIATION, r"(?:speaker'?s? )?(?:affiliations?|institutions?|institutes?"
                  r"|organi[sz]ations?)"
                  r"|(?:报告人|主讲人|工作|所在)?单位|机构"),
    (ABSTRACT, r"(?:talk )?(?:abstract|summary|description)|(?:报告|讲座|演讲|内容)?摘要"
               r"|(?:报告|讲座|内容)简介|(?:报告|讲座)内容|内容提要"),
    (BIO, r"(?:short |speaker'?s? )?bio(?:graphy|sketch)?|biographical sketch|about the speakers?"
          r"|(?:个人|报告人|主讲人|讲座人|讲者|嘉宾|演讲人|演讲者)介绍"
          r"|(?:个人|报告人|主讲人|讲座人|讲者|嘉宾|演讲人|演讲者)?简介"
          r"|(?:个人|报告人|主讲人|讲座人)简历"),
    (LOCATION, r"location|venue|room|place|where|address|(?:报告|讲座|会议|活动)?地点|会场|教室"),
    (CHAIR, r"(?:session )?chair(?:s|man|person)?|host(?:ed by)?|moderator|主持人?|主持嘉宾"),
    (MEETING_ID, r"(?:tencent |tecent |voov |zoom |webex )?(?:meeting )?(?:id|number|no\.?)"
                 r"|(?:腾讯)?会议(?:号|号码|id)|(?:腾讯会议|zoom)\s*(?:号|id)|房间号"),
    (PASSWORD, r"(?:meeting |zoom )?(?:password|passcode|pass code|pwd)|(?:会议|入会)?密码"),
    (MEETING, r"(?:tencent |tecent |tencet |voov |zoom |webex |teams |online )?(?:meeting )?"
              r"(?:link|url)|zoom|(?:zoom|online|tencent|tecent|voov|webex) meeting|meeting"
              r"|webex|teams|online|join online"
              r"|(?:腾讯会议|腾讯|线上|在线|zoom\s*)(?:会议)?(?:链接|入口)?"
              r"|会议链接"),
    (LIVESTREAM, r"live\s*stream(?:ing)?|live|living room|live room|broadcast"
                 r"|(?:b站|哔哩哔哩|bilibili)?直播(?:间|链接|地址)?"),
    (REPLAY, r"(?:replay|recording|video|playback)(?: link)?"
             r"|(?:视频)?回放(?:链接|地址)?|录像|录播|视频"),
    (SLIDES, r"(?:slides?|ppt|pdf)(?: link)?|课件|讲义|幻灯片"),
    (HOMEPAGE, r"(?:personal |speaker'?s? )?(?:homepage|home page|website|web ?page|web)"
               r"|(?:个人)?主页"),
]
_KINDS = [(kind, re.compile(pattern)) for kind, pattern in _VOCABULARY]
_EVENT_PREFIX = re.compile(r"^(?:event|talk|seminar|lecture|colloquium)\s+")  # "Event Location"
# Values of these kinds may carry another label on the same line: "会议号：123 密码：456".
_INLINE = re.compile(
    r"(?:(?<=\s)|(?<=[，,;；|(（]))(?P<label>时间|日期|地点|主持人|会议号|会议密码|密码|room|venue"
    r"|location|time|date|chair|host|meeting id|id|passcode|password)\s*[:：]", re.IGNORECASE)
ONE_LINE_KINDS = frozenset({TIME, DATE, CHAIR, MEETING, MEETING_ID, PASSWORD, LIVESTREAM,
                            REPLAY, SLIDES, HOMEPAGE, LOCATION, SERIES, SESSION})
_HAN_SPACED = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")
_SPACE_RUN = re.compile(r"[ \u00a0\u3000]{2,}|\u00a0")
_BULLET = re.compile(r"^[\s•·●○◆◇■□▪▶►*>#\-–—]+")
_BRACKETED = re.compile(r"^[【\[](?P<label>[^】\]]{1,20})[】\]]\s*[:：]?\s*(?P<value>.*)$")
_COLON = re.compile(r"^(?P<label>[^:：\t]{1,40}?)\s*[:：\t]\s*(?P<value>.*)$")
# Blocks whose whole text may be a label, its value in the block after: headings, <dt>, <th>.
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_LABEL_TAGS = HEADINGS | {"dt", "th", "strong", "b", "summary"}  # <summary>Abstract</summary>
_MEETING_LINK_LINE = re.compile(
    r"\S*https?://(?:[\w-]+\.)*(?:zoom\.us|zoom\.com|zoom\.com\.cn|zoomgov\.com|webex\.com"
    r"|teams\.microsoft\.com|teams\.live\.com|meet\.google\.com|meeting\.tencent\.com"
    r"|voovmeeting\.com)/\S*", re.IGNORECASE)
# "Keywords:", "备注：", or a pasted table row's "参加人员<tab>全体师生".
_OPENING_LABEL = re.compile(r"^(?P<label>[^:：\t]{1,25}?)\s*(?:[:：](?!\d|//)|\t)")
_DESCRIPTION_PARTS = re.compile(r"references?|keywords?|key words|related (?:papers?|work)"
                                r"|(?:further |suggested )?reading|参考文献|关键词|相关论文")
_LABEL_WORDS = re.compile(r"[A-Za-z][\w &'/-]*")
_CLOSING = re.compile(
    r"(?:(?:best|kind|warm)\s+)?(?:regards|wishes)|best|cheers|thanks(?: again)?|thank you"
    r"|many thanks|sincerely(?: yours)?|yours|--|欢迎.*|敬请.*|谢谢.*", re.IGNORECASE)


@dataclass(frozen=True, slots=True, eq=False)
class Line:
    """One line of a document's text; `para_start` when a blank line or block came before it,
    `tag` the HTML block that holds it ("h2", "p", "li", "tr"; "" in plain text), `linked`
    when most of it is the text of a link.

    Compared by identity: the same words may well appear twice on one page.
    """

    text: str
    links: tuple[str, ...] = ()
    para_start: bool = False
    number: int = 0
    tag: str = ""
    linked: bool = False  # the line is a link's text (a listing's title linking to its page)


@dataclass(frozen=True, slots=True)
class Token:
    """A labelled value (`kind` set) or a plain line of text (`kind` None)."""

    kind: str | None
    value: str
    line: Line


def text_lines(text: str) -> list[Line]:
    """Non-blank lines of plain text, numbered from 1, marking paragraph starts."""
    lines: list[Line] = []
    para = True
    for number, raw in enumerate(text.splitlines(), start=1):
        # Runs of spaces lay out a mail ("Venue   :  Lecture  Hall -  I"); they are not part
        # of its words, nor are the no-break spaces a mail client pads them with.
        stripped = _SPACE_RUN.sub(" ", raw.strip(" \t\u00a0\u3000\u200b\ufeff"))
        if not stripped:
            para = True
            continue
        lines.append(Line(stripped, para_start=para, number=number))
        para = False
    return lines


def label_kind(label: str) -> str | None:
    """The kind a label names ("Tecent Meeting Link" -> meeting), or None if unknown."""
    flat = unicodedata.normalize("NFKC", label).casefold().replace("*", "").replace("_", " ")
    flat = re.sub(r"\s*\([^)]*\)\s*", " ", flat)
    flat = _HAN_SPACED.sub("", " ".join(flat.split()).strip(" ."))  # "报 告 人", "时  间"
    if not flat or len(flat.split()) > 6:
        return None
    for candidate in dict.fromkeys((flat, _EVENT_PREFIX.sub("", flat))):
        for kind, pattern in _KINDS:
            if pattern.fullmatch(candidate):
                return kind
    return None


# "Lecture 2:", "Talk 3.", "Session IV:": a numbered item of a series, before its date.
_NUMBERED_ITEM = re.compile(r"^\s*(?:lecture|talk|seminar|session|part|class|lesson|meeting)"
                            r"\s*(?:no\.?\s*)?(?:\d{1,2}|[ivx]{1,4})\s*[:.)]\s+",
                            re.IGNORECASE)


# The second part of a time in two ("9:30 - 10:30 and 11:00 - 12:30"), after the first.
_SECOND_PART = re.compile(r"(?:and|&|\+)\s+\d{1,2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?\s*"
                          r"(?:-|–|—|to)\s*\d{1,2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?",
                          re.IGNORECASE)


def tokenize(lines: list[Line]) -> list[Token]:
    """Each line as one text token, or as the labelled value(s) it carries."""
    tokens: list[Token] = []
    for line in lines:
        tokens.extend(_line_tokens(line))
    return tokens


def _line_tokens(line: Line) -> list[Token]:
    bare = _BULLET.sub("", line.text)
    if _CLOSING.fullmatch(bare.strip(" ,，.。!！")):
        return [Token(END, "", line)]
    match = _BRACKETED.match(bare) or _COLON.match(bare)
    kind = label_kind(match["label"]) if match else None
    if match is None and line.tag in _LABEL_TAGS and label_kind(bare) not in (None, IGNORE):
        return [Token(label_kind(bare), "", line)]  # <h4>Location</h4><p>Room 204</p>
    if match is None or kind is None:
        return _unlabelled(line, bare)
    value = match["value"].strip().lstrip("*_ ").strip()
    if kind not in ONE_LINE_KINDS:
        return [Token(kind, value, line)]
    tokens = []
    for part_kind, part in _split_inline(kind, value):
        tokens.append(Token(part_kind, part, line))
    return tokens


def _unlabelled(line: Line, bare: str) -> list[Token]:
    """A day heading is a date; a slot line is a time and the talk's first words; a line
    that is only a video-meeting link is the meeting's."""
    if _MEETING_LINK_LINE.fullmatch(bare.strip()):
        return [Token(MEETING, bare.strip(), line)]
    if not any(ch.isdigit() for ch in bare):
        return [Token(None, line.text, line)]  # no date or clock without a digit
    if is_day_line(bare):
        return [Token(DAY, bare, line)]
    if is_when_line(bare):
        return [Token(TIME, bare, line)]
    placed = split_when_place(bare)  # "January 29th, 2020, 11h00-12h00, room L382."
    if placed is not None:
        # The place ends with the line: the one under it is no part of it (END).
        return [Token(TIME, placed[0], line), Token(LOCATION, placed[1].rstrip("."), line),
                Token(END, "", line)]
    slot = split_slot(bare) or split_when(bare) or split_bracketed_slot(bare)
    if slot is not None and _SECOND_PART.fullmatch(slot[1]):
        return [Token(TIME, bare, line)]  # "9:30 - 10:30 and 11:00 - 12:30": one time
    if slot is not None:
        rest = Line(slot[1], line.links, False, line.number, line.tag)
        return [Token(TIME, slot[0], line), Token(None, slot[1], rest)]
    # "03/09/2021 : Title by Speaker", its time on the next line; "Lecture 2: Wednesday,
    # Jul 22 -- Several variables", a numbered item of a lecture series.
    dated = split_day(bare) or split_day(_NUMBERED_ITEM.sub("", bare, count=1))
    if dated is not None:
        rest = Line(dated[1], line.links, False, line.number, line.tag)
        return [Token(DATE, dated[0], line), Token(None, dated[1], rest)]
    return [Token(None, line.text, line)]


def opens_with_known_label(text: str) -> bool:
    """Whether the line opens with a label of the vocabulary ("Time:", "**地点：**")."""
    bare = _BULLET.sub("", text).replace("*", "").strip()
    match = _BRACKETED.match(bare) or _COLON.match(bare)
    return match is not None and label_kind(match["label"]) is not None


def starts_with_label(text: str) -> bool:
    """Whether the line opens with a label, known or not ("Keywords:", "series:", "备注：")."""
    match = _OPENING_LABEL.match(_BULLET.sub("", text))
    if match is None:
        return False
    label = match["label"].strip("*_ ")
    if _DESCRIPTION_PARTS.fullmatch(label.casefold()):
        return False  # references and keywords belong to the abstract they follow
    if label_kind(label) is not None:
        return True
    if label and all(is_han(ch) for ch in label):
        return 2 <= len(label) <= 6
    return len(label.split()) <= 3 and bool(_LABEL_WORDS.fullmatch(label))


def _split_inline(kind: str, value: str) -> list[tuple[str, str]]:
    parts: list[tuple[str, str]] = []
    rest = value
    while True:
        found = next((m for m in _INLINE.finditer(rest) if label_kind(m["label"])), None)
        if found is None:
            parts.append((kind, rest.strip(" ,，;；|(（")))
            return parts
        parts.append((kind, rest[:found.start()].strip(" ,，;；|(（")))
        kind = label_kind(found["label"]) or IGNORE
        rest = rest[found.end():]


def urls(text: str) -> list[str]:
    """The http(s) URLs written in `text`, without trailing punctuation."""
    return [u.rstrip(".,;:!?)）】>，。；") for u in re.findall(r"https?://[^\s<>\"'，。；]+", text)]
