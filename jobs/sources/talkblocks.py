"""Labelled lines -> talk blocks: where a talk starts, what a session shares, bare headings."""

from __future__ import annotations

import re

from jobs.sources.talkcues import date_phrase, numbered_item
from jobs.sources.talkfields import IDENTITY, LOOSE, PARAGRAPH_KINDS, WHEN, Block, LeadLine
from jobs.sources.talklabels import (
    AFFILIATION,
    CHAIR,
    DATE,
    DAY,
    END,
    HEADINGS,
    IGNORE,
    LIVESTREAM,
    LOCATION,
    MEETING,
    MEETING_ID,
    ONE_LINE_KINDS,
    PASSWORD,
    SERIES,
    SESSION,
    SPEAKER,
    TIME,
    TITLE,
    Line,
    Token,
    starts_with_label,
)
from jobs.sources.talkspeaker import person_with_affiliation

# What a session header (time, place, chair, meeting) gives every talk that follows it.
SESSION_KINDS = frozenset({LOCATION, CHAIR, MEETING, MEETING_ID, PASSWORD, LIVESTREAM, SERIES})
_WRAPPING_KINDS = frozenset({TITLE, SPEAKER, AFFILIATION, LOCATION})  # run on within a paragraph
_CORE = IDENTITY | WHEN | {AFFILIATION}
_LEAD_LINES, _LEAD_CHARS = 3, 100
# A line ending a sentence is prose, not a heading; "Jr." or "Inc." does not end one.
_SENTENCE_END = re.compile(r"[。！？；;:：,，!?]$"
                           r"|(?<![A-Z])(?<!\b[A-Z][a-z])(?<!\b[A-Z][a-z]{2})\.$")


def group_blocks(tokens: list[Token]) -> tuple[list[Block], dict[str, list[Line]]]:
    """Talk blocks in page order, and the details a page states before its first talk."""
    grouper = _Grouper()
    for token in tokens:
        grouper.feed(token)
    grouper.close()
    return grouper.blocks, grouper.defaults


class _Grouper:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.defaults: dict[str, list[Line]] = {}
        self.session: dict[str, list[Line]] = {}
        self.current = Block(number=0)
        self.field: str | None = None
        self.recent: list[LeadLine] = []
        self.item = 0  # the number of the talk a numbered list is at ("1.", "2、", ...)
        self.listed = False  # the field's label stood alone, its values on lines of their own

    def feed(self, token: Token) -> None:
        if token.kind is None:
            self._text(token.line)
        elif token.kind in (END, IGNORE):
            self.field = None
            self.recent = []
        elif token.kind == SESSION:
            # "Session: ...": the talks after it share only the day.
            self._open({k: v for k, v in self.session.items() if k == DATE}, token.line.number)
        elif token.kind == DAY:
            day = Line(token.value, token.line.links, True, token.line.number, token.line.tag)
            self._open({DATE: [day]}, day.number)
        else:
            self._label(token)

    def close(self) -> None:
        block = self.current
        if block.identified or any(block.fields.get(kind) for kind in WHEN):
            self.blocks.append(block)

    def _open(self, session: dict[str, list[Line]], number: int) -> None:
        """A day heading or "Session: ..." closes the talk before it, and the talks after it
        share `session`. A block with nothing but a day in it was the day's heading, not a
        skipped talk."""
        if self.current.identified or self.current.loose:
            self.close()
        self.session = session
        self.current = Block(number=number, inherited=dict(session))
        self.field = None
        self.recent = []

    def _text(self, line: Line) -> None:
        item = numbered_item(line.text)
        started = any(self.current.fields.values())
        if item and (not started or self.item and item[0] == self.item + 1):
            # "2.《Title》" after talk 1's fields: the next talk of a numbered list, whose
            # first line is its heading, not the end of the place or abstract before it.
            if started:
                self.close()
                self.session = {k: v for k, v in self.session.items() if k == DATE}
                self.current = Block(number=line.number, inherited=dict(self.session))
            self.item, self.field = item[0], None
            self.recent = [LeadLine(Line(line.text, line.links, True, line.number, line.tag,
                                         line.linked), None, None)]
            return
        kind, block = self.field, self.current
        values = block.fields.get(kind) if kind else None
        another = self._another_person(line)
        takes = kind in PARAGRAPH_KINDS or (kind in _WRAPPING_KINDS and not line.para_start)
        if takes and values and starts_with_label(line.text) \
                and (line.para_start or kind not in PARAGRAPH_KINDS):
            takes = False  # "Keywords:" or "series:" ends the field before it
        takes = takes or another
        if kind is not None and values is not None and (takes or not values):
            values.append(line)
            if len(values) == 1 and not block.identified:
                self._header_value(kind, values)
            self.recent.append(LeadLine(line, block, kind))
            if kind in ONE_LINE_KINDS:
                self.field = None
            return
        self.field = None
        if any(block.fields.get(k) for k in WHEN) and not block.identified:
            block.loose.append(line)  # after a slot's time: the talk's own unlabelled words
            self.recent.append(LeadLine(line, block, LOOSE))
        else:
            self.recent.append(LeadLine(line, None, None))

    def _label(self, token: Token) -> None:
        kind, line = token.kind or "", token.line
        if kind in IDENTITY or kind in WHEN:
            lead = self._lead()
            if self._next_section(lead) or self._starts_block(kind):
                self.close()
                if lead:
                    Block(0, lead=lead).detach_lead()
                self.current = Block(number=line.number, inherited=dict(self.session))
            if lead:
                self.current.lead = lead
        self.recent = []
        block = self.current
        if not any(block.fields.values()):
            block.number = line.number  # the page's opening block starts at its first label
        values = block.fields.setdefault(kind, [])
        if token.value:
            values.append(Line(token.value, line.links, False, line.number))
            if not block.identified:
                self._header_value(kind, values)
        self.field = kind
        self.listed = not token.value

    def _another_person(self, line: Line) -> bool:
        """Under a label standing alone ("Expert:"), paragraphs of one person each, a name then
        where they work, are the talk's speakers, not the first one's only."""
        values = self.current.fields.get(SPEAKER) if self.field == SPEAKER else None
        return bool(self.listed and values and line.para_start
                    and person_with_affiliation(values[0].text)
                    and person_with_affiliation(line.text))

    def _starts_block(self, kind: str) -> bool:
        block = self.current
        if block.fields.get(kind):
            return True
        if kind in IDENTITY or not block.identified:
            return False
        if any(block.fields.get(k) for k in WHEN):
            # "Date: ... Speaker: ... Time: ..." is one talk; but a date after a talk that
            # opened with its own time ("Time: 10:30 / Speaker / Title") is the next day's.
            return kind == DATE and block.time_first
        # A talk that inherited its session's time and already has its details (abstract,
        # meeting link) is finished: a new time line opens the next session.
        content = {k for k, v in block.fields.items() if v} - _CORE
        return bool(block.inherited.keys() & WHEN) and bool(content)

    def _next_section(self, lead: list[LeadLine]) -> bool:
        """A heading as high as a timed talk's first ("## Name") opens the next talk."""
        block, tag = self.current, lead[0].line.tag if lead else None
        if not (block.lead and tag in HEADINGS and tag == block.lead[0].line.tag
                and lead[0].line is not block.lead[0].line and block.fields.get(TIME)):
            return False
        self.session.pop(TIME, None)  # the clock that talk gave is not the next one's
        return True

    def _header_value(self, kind: str, values: list[Line]) -> None:
        """A value given before any title or speaker: the session's (or the page's) details."""
        block = self.current
        if kind in WHEN:
            block.time_first = True
            first_when = not (block.fields.keys() & WHEN) - {kind}
            dated = bool(date_phrase(values[0].text))
            if first_when and (kind == DATE or dated):
                # A new day: only the details this header itself gave carry over.
                self.session = {k: v for k, v in block.fields.items()
                                if k in SESSION_KINDS and v}
                block.inherited = {}
            earlier = self.session.get(TIME)
            if kind == TIME and earlier and DATE not in self.session and not dated:
                # "2026-12-18 9:00-17:30" then slots: the slots keep the day it gave.
                day = date_phrase(" ".join(line.text for line in earlier))
                if day:
                    self.session[DATE] = [Line(day, (), False, earlier[0].number)]
            self.session[kind] = values
        elif kind in SESSION_KINDS:
            preamble = not self.blocks and not any(block.fields.get(k) for k in WHEN)
            (self.defaults if preamble else self.session)[kind] = values

    def _lead(self) -> list[LeadLine]:
        """The last short paragraph before a label: a heading, or a speaker and affiliation."""
        best: list[LeadLine] = []
        for size in range(1, min(_LEAD_LINES, len(self.recent)) + 1):
            tail = self.recent[-size:]
            if not all(_short(entry.line) and entry.kind not in ONE_LINE_KINDS
                       for entry in tail):
                break  # a value given to a time, a place or a link is nobody's name
            if tail[0].line.para_start:
                best = tail
        return best


def _short(line: Line) -> bool:
    """A line that may name a talk or its speaker: short, no link, not a sentence (a
    heading may end as a sentence does: "The Wooly Hat Problem Is Solved!")."""
    text = line.text
    if numbered_item(text):
        return True  # "2.比较文学是新人文主义吗？": a numbered talk's heading may ask
    longest = _LEAD_CHARS * (2 if line.tag in HEADINGS or line.linked else 1)
    if len(text) > longest or "://" in text:
        return False
    return line.tag in HEADINGS or line.linked or not _SENTENCE_END.search(text)
