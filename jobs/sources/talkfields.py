"""One talk's block: its labelled values, what it inherits from its session, and the short
lines just before its first label (jobs.sources.talkblocks groups lines into blocks)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from jobs.sources.talkcues import date_phrase, join_wrapped
from jobs.sources.talklabels import ABSTRACT, BIO, DATE, SPEAKER, TIME, TITLE, Line

IDENTITY = frozenset({SPEAKER, TITLE})
WHEN = frozenset({TIME, DATE})
LOOSE = "loose"  # an unlabelled line inside a talk: its title or speaker when nothing is labelled
PARAGRAPH_KINDS = frozenset({ABSTRACT, BIO})  # run on across blank lines


@dataclass(frozen=True, slots=True)
class LeadLine:
    """An unlabelled short line just before a talk's first label, and where it was filed."""

    line: Line
    owner: Block | None
    kind: str | None


@dataclass(eq=False)
class Block:
    """The labelled values of one talk, plus what it inherits from its session."""

    number: int
    fields: dict[str, list[Line]] = field(default_factory=dict)
    inherited: dict[str, list[Line]] = field(default_factory=dict)
    lead: list[LeadLine] = field(default_factory=list)
    loose: list[Line] = field(default_factory=list)
    time_first: bool = False  # its time came before its title and speaker

    @property
    def identified(self) -> bool:
        return any(self.fields.get(kind) for kind in IDENTITY)

    def get(self, kind: str) -> list[Line]:
        """Own values of `kind`, else the session's."""
        return self.fields.get(kind) or self.inherited.get(kind) or []

    def text(self, kind: str, joiner: str = " ") -> str | None:
        """The values of `kind` as one string; paragraphs stay apart in abstracts and bios."""
        lines = self.get(kind)
        if not lines:
            return None
        if kind not in PARAGRAPH_KINDS:
            parts = [p for p in (line.text.strip() for line in lines) if p]
            if joiner == " ":  # a wrapped title: no space between Han characters
                return functools.reduce(join_wrapped, parts, "") or None
            return joiner.join(p.rstrip(";；,， ") for p in parts) or None
        paragraphs: list[str] = []
        for index, line in enumerate(lines):
            if index == 0 or line.para_start:
                paragraphs.append(line.text.strip())
            else:
                paragraphs[-1] = join_wrapped(paragraphs[-1], line.text.strip())
        return "\n\n".join(p for p in paragraphs if p) or None

    def when_text(self) -> str | None:
        """Date and time as one phrase, own values first; a slot ("10:50-11:20") under a
        header giving the day and its hours ("2026年12月18日 9:00–17:30") takes the day."""
        own_time = " ".join(line.text for line in self.fields.get(TIME, []))
        own_date = " ".join(line.text for line in self.fields.get(DATE, []))
        dated_time = bool(date_phrase(own_time))
        day = "" if dated_time else own_date  # "Tuesday 2/6 at 4:00" beats a day
        if not day and not dated_time:
            day = self._inherited_text(DATE) or date_phrase(self._inherited_text(TIME))
        time = own_time or self._inherited_text(TIME)
        return " ".join(part for part in (day, time) if part).strip() or None

    def detach_lead(self) -> list[Line]:
        """The lead lines, taken out of the field they had been filed under."""
        for entry in self.lead:
            if entry.owner is not None and entry.kind == LOOSE:
                entry.owner.loose[:] = [v for v in entry.owner.loose if v is not entry.line]
            elif entry.owner is not None and entry.kind is not None:
                # In place: a session may share this very list with the talks after it.
                values = entry.owner.fields.get(entry.kind, [])
                values[:] = [v for v in values if v is not entry.line]
        return [entry.line for entry in self.lead]

    def _inherited_text(self, kind: str) -> str:
        return " ".join(line.text for line in self.inherited.get(kind, []))
