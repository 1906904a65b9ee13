"""Refusing an iCalendar document too big for one poll before icalendar parses it: one cheap
scan counts its VEVENTs and lines and checks its nesting; the talk limit is applied by
jobs.sources.ical while it expands recurrences. Each refusal says what to do instead.
Also the repairs made before parsing (`repair`), where one slip of an exporter, in a part
lectern does not read, failed icalendar on the whole calendar.

The limits leave room for real calendars, which their subscribers cannot trim (a Google
Calendar export holds every event since the calendar began): parsing runs in a thread of
its own (jobs.ingest.parse_aside), so a big calendar costs the bot seconds of CPU but
never stalls its commands or sends. Measured with icalendar 7.3 and recurring-ical-events
3.8 on the 2-CPU test machine: parsing 1,000 one-hour talks takes 0.4 s and 7 MB, 5,000
take 2.3 s and 35 MB, 10,000 (MAX_EVENTS, 2 MB of text) 4.3 s and 68 MB. Without a limit
a 40,000-event calendar (9 MB) took 15 s and 296 MB more; refused by the scan it costs a
poll 0.8 s and 20 MB. The largest calendar of the shared corpus has 677 VEVENTs in 8,842
lines and 210 talks in the default window (12,689 over two centuries, which callers ask
for with `max_talks`).

Rules that repeat more often than daily are refused per event, and daily and weekly ones
that start long before the window are brought forward first (jobs.sources.ical_series):
dateutil walks every step from DTSTART, and one hourly rule from 1900 took 41 s.
"""

from __future__ import annotations

import codecs
import quopri
import re

from jobs.sources.ical_zones import name_display_zones

MAX_NESTING = 10  # VCALENDAR > VEVENT > VALARM is 3 deep; 100,000 deep is an attack
MAX_EVENTS = 10_000  # VEVENT components in one document
MAX_LINES = 200_000  # line breaks not followed by a fold (blank lines count)
MAX_TALKS = 5_000  # occurrences within the window, all events together
ADVICE = "export a narrower date range, or subscribe to one feed per series"

_BEGIN_END = re.compile(r"^(BEGIN|END)[ \t]*[:;]", re.IGNORECASE | re.MULTILINE)
# Over-inclusive on purpose (parameters, spaces, any case): a count never falls short.
_VEVENT = re.compile(r"^BEGIN[^:\n]*:[ \t]*VEVENT[ \t\r]*$", re.IGNORECASE | re.MULTILINE)
_BLANK_LINES = re.compile(r"\n[\r\n]+")


def check_calendar(text: str) -> None:
    """ValueError, saying what to do instead, when the document has more VEVENTs or lines
    than lectern reads in one poll, or nests deeper than any calendar needs."""
    unfolded = _unfold(text)
    events = len(_VEVENT.findall(unfolded))
    if events > MAX_EVENTS:
        raise ValueError(f"it has {events} events, more than the {MAX_EVENTS} lectern reads "
                         f"in one calendar; {ADVICE}")
    # Blank lines count: icalendar skips them, but its unfolding regex is slow on them.
    lines = (text.count("\n") - text.count("\n ") - text.count("\n\t")
             + (not text.endswith("\n")))
    if lines > MAX_LINES:
        raise ValueError(f"it has {lines} lines, more than the {MAX_LINES} lectern reads in "
                         f"one calendar; {ADVICE}")
    _check_nesting(unfolded)  # last: it loops in Python, over at most MAX_LINES lines


def _unfold(text: str) -> str:
    """The content lines as icalendar reads them (a break then a space or tab continues a
    line, across blank lines too), in a few linear passes: icalendar's own regex for this
    takes 0.5 s for 10 MB, and 3 s for 10 MB of line breaks."""
    text = _BLANK_LINES.sub("\n", text)
    for fold in ("\r\n ", "\r\n\t", "\n ", "\n\t"):
        text = text.replace(fold, "")
    return text


def _check_nesting(text: str) -> None:
    """Refuse components nested deeper than any calendar needs (icalendar recurses)."""
    depth = 0
    for match in _BEGIN_END.finditer(text):
        depth += 1 if match.group(1).upper() == "BEGIN" else -1
        if depth > MAX_NESTING:
            raise ValueError(f"its components nest more than {MAX_NESTING} deep (line "
                             f"{text.count(chr(10), 0, match.start()) + 1}): no calendar does")


_TZID_LINE = re.compile(r"^TZID[ \t]*:", re.IGNORECASE | re.MULTILINE)
_VTIMEZONE = re.compile(r"^BEGIN[ \t]*:[ \t]*VTIMEZONE[ \t\r]*$", re.IGNORECASE | re.MULTILINE)
_VALARM = re.compile(r"^BEGIN[ \t]*:[ \t]*VALARM", re.IGNORECASE | re.MULTILINE)
_BLANK_TZID = re.compile(r";TZID=(?=[:;])", re.IGNORECASE)
_BLANK_TZID_LINE = re.compile(r"^TZID[ \t]*:[ \t]*\r?$", re.IGNORECASE | re.MULTILINE)


def repair(text: str) -> str:
    """The document as icalendar can read it whole, where a part lectern does not use or a
    slip of one exporter made icalendar fail on every event:
    - VALARMs are left out: lectern plans its own reminders, and one bad TRIGGER
      ('PT-2H', NS International's tickets: khal's non_dst_error.ics) failed them all;
    - a VTIMEZONE that lists several zones (a TZID, its STANDARD, then the next TZID and
      its parts: WordPress' The Events Calendar) is split into one per TZID;
    - a VTIMEZONE with an empty TZID is left out and an empty TZID= parameter dropped, so
      that its times are floating (ical4j's blankTzid.ics, an Exchange export);
    - a recurrence rule written with spaces ('BYDAY=MO, TU, WE, TH, FR', Microsoft CDO for
      Exchange: icalendar's issue_165_missing_event.ics) is closed up: the RFC 5545 grammar
      of a rule has no space anywhere, and icalendar dropped the whole series;
    - a value written ENCODING=QUOTED-PRINTABLE (vCalendar 1.0's way, kept by Outlook 2003's
      'Outlook 11.0 MIMEDIR' export: 'Booking number 9876543=0D=0A=0D=0AYour ...') is
      decoded into an iCalendar text value; RFC 5545 has no such encoding, and icalendar
      kept the '=0D=0A' codes in the text;
    - a TZID parameter that is a Windows display name with no VTIMEZONE ('TZID="(UTC-05:00)
      Eastern Time (US & Canada)"', Exchange 2010) is renamed to its IANA zone
      (jobs.sources.ical_zones): icalendar read its times as floating."""
    text = _QUOTED.sub(_unquoted, _SPACED_RULE.sub(_closed_up, name_display_zones(text)))
    several = len(_TZID_LINE.findall(text)) > len(_VTIMEZONE.findall(text))
    if not (several or _VALARM.search(text) or _BLANK_TZID.search(text)
            or _BLANK_TZID_LINE.search(text)):
        return text  # nearly every calendar
    walker = _Repair()
    for line in text.splitlines(keepends=True):
        walker.take(line)
    return _BLANK_TZID.sub("", "".join(walker.out))


# A recurrence rule with a space or a tab in its value, with its folded continuation lines.
_SPACED_RULE = re.compile(r"^((?:RRULE|EXRULE)[^:\r\n]*:)([^\r\n]*[ \t][^\r\n]*"
                          r"(?:\r?\n[ \t][^\r\n]*)*|[^\r\n]*(?:\r?\n[ \t][^\r\n]*)+)",
                          re.IGNORECASE | re.MULTILINE)
_FOLD_OR_SPACE = re.compile(r"\r?\n[ \t]|[ \t]+")


def _closed_up(rule: re.Match[str]) -> str:
    return rule.group(1) + _FOLD_OR_SPACE.sub("", rule.group(2))


# A property whose parameters say QUOTED-PRINTABLE, with its soft line breaks ('=' ending a
# line that the next continues without the space of an iCalendar fold).
_QUOTED = re.compile(r"^(?P<name>[A-Za-z0-9-]+)(?P<params>;[^:\r\n]*ENCODING=QUOTED-PRINTABLE"
                     r"[^:\r\n]*):(?P<value>(?:[^\r\n]*=\r?\n(?![ \t]))*[^\r\n]*)",
                     re.IGNORECASE | re.MULTILINE)
_SOFT_BREAK = re.compile(r"=\r?\n")
_TEXT_SPECIALS = re.compile(r"([\\;,])")


def _unquoted(match: re.Match[str]) -> str:
    """The property with its value decoded (in its CHARSET, else UTF-8, else Windows-1252)
    and escaped as RFC 5545 text, without the ENCODING and CHARSET parameters."""
    params = [p for p in match["params"].split(";")[1:]
              if not p.upper().startswith(("ENCODING=", "CHARSET="))]
    named = [p.partition("=")[2].strip('"') for p in match["params"].split(";")
             if p.upper().startswith("CHARSET=")]
    raw = quopri.decodestring(_SOFT_BREAK.sub("", match["value"]).encode("utf-8"))
    try:
        value = raw.decode(codecs.lookup(named[0]).name if named else "utf-8")
    except (LookupError, UnicodeDecodeError):
        value = raw.decode("cp1252", errors="replace")
    value = _TEXT_SPECIALS.sub(r"\\\1", value.replace("\r\n", "\n").strip("\r\n"))
    return "".join((match["name"], *(";" + p for p in params), ":",
                    value.replace("\r", "\n").replace("\n", "\\n")))


class _Repair:
    """One pass over the lines: alarms dropped, zones split and unnamed ones dropped."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.alarm = 0  # depth inside a VALARM
        self.zone: list[str] | None = None  # the lines of the VTIMEZONE part being read
        self.depth = 0  # inside the VTIMEZONE
        self.named: str | None = None  # the TZID of that part

    def take(self, line: str) -> None:
        key, _, value = line.partition(":")
        key, value = key.strip().upper(), value.strip()
        begins, ends = key == "BEGIN", key == "END"
        if self.alarm or (begins and value.upper() == "VALARM"):
            self.alarm += begins - ends
            return
        if self.zone is None:
            if begins and value.upper() == "VTIMEZONE":
                self.zone, self.depth, self.named = [line], 1, None
            else:
                self.out.append(line)
            return
        self.depth += begins - ends
        if self.depth == 1 and key == "TZID" and self.named is not None:
            newline = line[len(line.rstrip("\r\n")):] or "\r\n"
            self._close(f"END:VTIMEZONE{newline}")
            self.zone = [f"BEGIN:VTIMEZONE{newline}"]
        if self.depth == 1 and key == "TZID":
            self.named = value
        self.zone.append(line)
        if self.depth == 0:
            self._close("")

    def _close(self, end: str) -> None:
        if self.named and self.zone is not None:
            self.out.extend([*self.zone, end] if end else self.zone)
        self.zone, self.named = None, None


def too_many_talks(count: int, limit: int = MAX_TALKS) -> ValueError:
    return ValueError(f"it has {count} or more talks in the window, more than the {limit} "
                      f"lectern reads from one calendar; {ADVICE}")
