"""Where seminar publishers put talk details in a VEVENT: researchseminars.org, Indico, Outlook,
scraper-made aggregates."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from jobs.sources.htmlblocks import html_text
from jobs.sources.ical_summary import split_summary
from jobs.sources.talkspeaker import looks_like_name, split_speaker, starts_with_name

UNTITLED = "TBA"

# Hosts of the video-meeting services a research group meets on.
# zoom.com.cn is Zoom's China address (an Outlook calendar of a Chinese seminar links to it).
MEETING_HOSTS = ("zoom.us", "zoom.com", "zoom.com.cn", "zoomgov.com", "meet.google.com",
                 "teams.microsoft.com", "teams.live.com", "meeting.tencent.com",
                 "voovmeeting.com", "webex.com")

_URL = re.compile(r"https?://[^\s<>\"'()\[\]{}]+", re.IGNORECASE)
_LABEL = re.compile(
    r"^\s*((?:talk\s+)?title|speakers?|presenters?|affiliations?|institutions?|series|abstract"
    r"|host|chair|moderator)"
    r"\s*:\s*(.*)$",
    re.IGNORECASE)
# researchseminars.org: "by Speaker (Affiliation) as part of Series" under the "Title:" line.
_BY_LINE = re.compile(r"^by\s+(?P<people>.+?)(?:\s+as part of\s+(?P<series>.+?))?\s*$")
_MEETING_LINE = re.compile(r"^\s*(?:interactive livestream|access)\s*:\s*(https?://\S+)",
                           re.IGNORECASE)
_NOBODY = frozenset({"TBA", "TBD", "TBC", "N/A"})  # a placeholder is no value
_STREAM_LINE = re.compile(r"^\s*view-only livestream\s*:\s*(https?://\S+)", re.IGNORECASE)
# The hint is a riddle for people, not a password; it is not kept.
_DROPPED_LINE = re.compile(r"^\s*(?:password hint\s*:|lecture held in\s)|^\s*abstract\s*$",
                           re.IGNORECASE)
_ROOM_PREFIX = re.compile(r"^\s*lecture held in\s+", re.IGNORECASE)
_ROOM_LINE = re.compile(r"^\s*lecture held in\s+(.+?)\.?\s*$", re.IGNORECASE)
# researchseminars.org since 2021: 'Title: <a href="https://researchseminars.org/talk/...">
# Title</a>' (the talk's page), and that page again as LOCATION when no stream is linked.
_TITLE_LINK = re.compile(r"^(\s*(?:talk\s+)?title\s*:\s*)<a\b[^>]*?\bhref\s*=\s*[\"']"
                         r"([^\"']+)[\"'][^>]*>(.*?)</a>\s*$", re.IGNORECASE | re.MULTILINE)
_LONE_LINK = re.compile(r"^https?://\S+$", re.IGNORECASE)
# Outlook fences the online meeting's block with rules of underscores (Zoom's add-in with
# U+2500 rules): 'Microsoft Teams meeting / Join on your computer ... / Meeting ID: ...'.
# Google Calendar fences its Meet block with '-::~:~::~:~:...::-' ('Please do not edit this
# section.'). Zoom's invitation pasted bare runs from its first line to 'Find your local number'.
_RULE_LINE = re.compile(r"^\s*(?:_{10,}|\u2500{10,}|-?:[:~]{6,}-?)\s*$")
_ZOOM_FIRST = re.compile(r"is inviting you to a scheduled zoom meeting|^\s*join zoom meeting",
                         re.IGNORECASE)
_ZOOM_LAST = re.compile(r"^\s*find your local number\s*:", re.IGNORECASE)
_MEETING_WORDS = re.compile(
    r"\b(?:teams|zoom|webex|skype)\b.{0,20}\bmeeting\b|\bmeeting\b.{0,20}\b(?:teams|zoom|webex)\b"
    r"|\bconference id\b|\bgoogle meet\b|please do not edit this section", re.IGNORECASE)
_MEETING_ID = re.compile(r"\bmeeting\s+(?:id|number)\s*:?\s*(\d[\d ]{7,}\d)", re.IGNORECASE)
# "Password: 23571113", and "Password 121323" as Outlook users write it (then with a digit).
_PASSCODE = re.compile(r"\b(?:passcode|password)\s*(?::\s*|\s(?=\S*\d))(\S+)", re.IGNORECASE)
# Lines that only carry the meeting's details (read into their fields, not the abstract):
# "Password: 235", "Meeting ID: 970 1742", "Join via Zoom:" above its link, a lone link.
_MEETING_INFO = re.compile(r"^\s*(?:(?:meeting\s+(?:id|number)|passcode|password)\b.*"
                           r"|join\b.{0,40}:\s*)$", re.IGNORECASE)
_LONE_URL = re.compile(r"^\s*(?:join\b.{0,40}:\s*)?https?://\S+\s*$", re.IGNORECASE)
# A mark before the title, or after it: Indico puts an event's label there ('Title
# [Cancelled]', a label for an event that 'does not happen (e.g. cancelled or postponed)').
_CANCELLED = re.compile(
    r"^\s*(?:\[\s*cancell?ed\s*\]|\(\s*cancell?ed\s*\)|cancell?ed\s*[:\-–—])\s*"
    r"|\s*(?:\[\s*(?:cancell?ed|postponed)\s*\]|\(\s*(?:cancell?ed|postponed)\s*\)"
    r"|\s[-–—]\s*(?:cancell?ed|postponed))\s*$", re.IGNORECASE)
_HTML_TAG = re.compile(r"</?(?:a|b|i|u|p|br|div|span|ul|ol|li|strong|em|html|body)\b[^>]*>",
                       re.IGNORECASE)


@dataclass(slots=True)
class TalkText:
    """The talk details read from one VEVENT's text properties."""

    title: str
    speakers: list[str] = field(default_factory=list)
    affiliation: str | None = None
    abstract: str | None = None
    series: str | None = None
    location: str | None = None
    url: str | None = None
    meeting_url: str | None = None
    meeting_id: str | None = None
    meeting_password: str | None = None
    livestream_url: str | None = None
    chair: str | None = None
    cancelled: bool = False


def read_text(summary: str, description: str, location: str, url: str,
              links: list[str], fields: frozenset[str] = frozenset()) -> TalkText:
    """Title, people, abstract and links from SUMMARY, DESCRIPTION, LOCATION, URL, CONFERENCE;
    `fields` names (casefolded) the event's custom fields, whose copies in DESCRIPTION's
    'Name: value' lines are no part of the abstract."""
    summary = " ".join(summary.split())
    cancelled = bool(_CANCELLED.search(summary))
    summary = _CANCELLED.sub("", summary, count=1) or summary
    page, description = _title_link(description)
    # Google Calendar writes HTML descriptions; their links are kept as `(url)`.
    body = html_text(description, links=True) if _HTML_TAG.search(description) else description
    if body is not description and _HTML_TAG.search(body):  # markup escaped twice (25Live)
        body = html_text(body, links=True)
    parts = _Description.read(body, fields)
    title, names, affiliation = _people_and_title(summary, parts)
    meeting = meeting_link(*links, location, *parts.meeting_links, url, body)
    room = _ROOM_PREFIX.sub("", " ".join(location.split())).strip() or None  # no \r left
    if room and _LONE_LINK.match(room) and (parts.room or room in (page, url)):
        room = parts.room  # the talk's page given as its place: the room is in the text
    url = url if url and url not in (meeting, parts.stream) else page
    return TalkText(
        title=title,
        speakers=names,
        affiliation=parts.affiliation or affiliation,
        abstract=_abstract(parts.rest, url),
        series=parts.series,
        location=None if room == meeting else room or parts.room,
        url=url,
        meeting_url=meeting,
        meeting_id=_first(_MEETING_ID, body),
        meeting_password=_first(_PASSCODE, body),
        livestream_url=parts.stream,
        chair=", ".join(split_speaker(parts.chair)[0]) or parts.chair if parts.chair else None,
        cancelled=cancelled,
    )


def _title_link(description: str) -> tuple[str | None, str]:
    """The page a 'Title:' line links its title to, and the DESCRIPTION with the title as
    text: the link is the talk's page, not part of its title."""
    linked = _TITLE_LINK.search(description)
    if linked is None:
        return None, description
    text = description[:linked.start()] + linked.group(1) + linked.group(3)
    return html.unescape(linked.group(2)), text + description[linked.end():]


def _people_and_title(summary: str, parts: _Description) -> tuple[str, list[str], str | None]:
    """Who speaks, from where, and on what. A labelled speaker line or researchseminars.org's
    "by" line names the people, and then SUMMARY holds the speakers when DESCRIPTION holds the
    title (researchseminars.org); Outlook users write "Speaker (Affiliation), Title" in it."""
    line = parts.speakers or parts.by_line
    if line and line == parts.speakers and line in summary and not starts_with_name(line):
        line = None  # the event's name in a scraper's shared "title or speaker" column
    names, affiliation = split_speaker(line) if line else ([], None)
    if parts.title is not None or parts.by_line is not None:
        if not names and summary != parts.title and starts_with_name(summary):
            names, affiliation = split_speaker(summary)
        return parts.title or UNTITLED, names, affiliation
    if not names and parts.untitled and looks_like_name(summary):
        # Toronto's economics calendar: SUMMARY "David Jacks", DESCRIPTION "Title: TBA".
        names, affiliation = split_speaker(summary)
        return UNTITLED, names, affiliation or parts.affiliation
    if not names and (written := split_summary(summary)):
        names, affiliation = split_speaker(written[0])
        return written[1], names, affiliation
    return summary or UNTITLED, names, affiliation


@dataclass(slots=True)
class _Description:
    """A DESCRIPTION split into its labelled lines and the free text left over."""

    title: str | None = None
    speakers: str | None = None
    affiliation: str | None = None
    by_line: str | None = None
    series: str | None = None
    stream: str | None = None
    room: str | None = None  # researchseminars.org's 'Lecture held in Room 2-449.'
    chair: str | None = None  # 'Host: S. Wang', who introduces the speaker
    untitled: bool = False  # a "Title:" line with TBA/TBD
    meeting_links: list[str] = field(default_factory=list)
    rest: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, body: str, fields: frozenset[str] = frozenset()) -> _Description:
        parts = cls()
        for line in body.splitlines():
            named = line.partition(":")[0].strip().casefold() if ":" in line else None
            if not parts._consume(line) and named not in fields:
                parts.rest.append(line.rstrip())
        return parts

    def _consume(self, line: str) -> bool:
        """Take a labelled line (True) or leave it for the abstract (False)."""
        if label := _LABEL.match(line):
            return self._label(label.group(1).lower().split()[-1], label.group(2).strip())
        by = _BY_LINE.match(line.strip())
        if by and (self.title is not None or by.group("series")) and self.by_line is None:
            self.by_line, self.series = by.group("people"), by.group("series")
            return True
        if stream := _STREAM_LINE.match(line):
            self.stream = stream.group(1)
            return True
        if (room := _ROOM_LINE.match(line)) and self.room is None:
            self.room = room.group(1)
            return True
        if meeting := _MEETING_LINE.match(line):
            self.meeting_links.append(meeting.group(1))
            return True
        if _MEETING_INFO.match(line) or (_LONE_URL.match(line) and meeting_link(line)):
            return True  # read from the whole text into the meeting fields
        return bool(_DROPPED_LINE.match(line))

    def _label(self, label: str, value: str) -> bool:
        if label == "abstract":
            if value.upper() not in ("", "TBA"):
                self.rest.append(value)
            return True
        name = {"speaker": "speakers", "presenter": "speakers", "presenters": "speakers",
                "affiliations": "affiliation", "institution": "affiliation",
                "institutions": "affiliation", "host": "chair", "moderator": "chair"
                }.get(label, label)
        if name == "title" and value.upper() in _NOBODY:
            self.untitled = True  # "Title: TBA": a SUMMARY that is a name is the speaker
        elif getattr(self, name) is None and value and value.upper() not in _NOBODY:
            setattr(self, name, value)
        return True


def _abstract(lines: list[str], url: str) -> str | None:
    """The free text of a DESCRIPTION; Indico's trailing copy of the URL is dropped, and so
    is Outlook's fenced block of the online meeting (its links and IDs are read apart)."""
    lines = _without_meeting_blocks(lines)
    while lines and (not lines[-1].strip() or (url and lines[-1].strip() == url)):
        lines = lines[:-1]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return None if text.upper() in ("", "TBA") else text


def _without_meeting_blocks(lines: list[str]) -> list[str]:
    kept, at = [], 0
    while at < len(lines):
        end = _meeting_block_end(lines, at)
        if end is not None:
            at = end + 1
            continue
        kept.append(lines[at])
        at += 1
    return kept


def _meeting_block_end(lines: list[str], at: int) -> int | None:
    """The last line of the meeting's block that starts at `at`; None if none starts there."""
    if _RULE_LINE.match(lines[at]):
        end = next((n for n in range(at + 1, len(lines)) if _RULE_LINE.match(lines[n])),
                   len(lines))
        block = "\n".join(lines[at + 1:end])
        return end if meeting_link(block) or _MEETING_WORDS.search(block) else None
    if _ZOOM_FIRST.search(lines[at]):
        return next((n for n in range(at, len(lines)) if _ZOOM_LAST.match(lines[n])), None)
    return None


def meeting_link(*texts: str) -> str | None:
    """The first Zoom, Meet, Teams, Tencent or Webex link in the texts, in their order."""
    for text in texts:
        for match in _URL.finditer(text or ""):
            link = match.group(0).rstrip(".,;:!?")
            host = (urlsplit(link).hostname or "").lower()
            if any(host == h or host.endswith("." + h) for h in MEETING_HOSTS):
                return link
    return None


def _first(pattern: re.Pattern[str], text: str) -> str | None:
    match = pattern.search(text)
    return match.group(1).strip() if match else None
