"""Platform-neutral records: Paper, Source, and the outcome types of parsing and storing.

Plain dataclasses with no I/O; every instant is an aware UTC datetime (STYLE.md, habit 5).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime

# arXiv announce types of the RSS/Atom listings (since 2024). A `replace` updates a
# paper that was already announced; it is never announced as new.
ANNOUNCE_NEW = "new"
ANNOUNCE_CROSS = "cross"
ANNOUNCE_REPLACE = "replace"
ANNOUNCE_REPLACE_CROSS = "replace-cross"
REPLACEMENTS = frozenset({ANNOUNCE_REPLACE, ANNOUNCE_REPLACE_CROSS})


@dataclass(slots=True)
class Paper:
    """One paper as a source saw it; the store merges the views of several sources.

    `id` is canonical: `arxiv:<id without version>`, `doi:<doi>`, else
    `<source>:<guid hash>` (bot.paperids builds them).
    """

    id: str
    title: str
    source: str
    url: str = ""
    abstract: str = ""
    authors: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    published: datetime | None = None
    updated: datetime | None = None
    arxiv_id: str | None = None
    version: int | None = None
    doi: str | None = None
    pdf_url: str | None = None
    announce_type: str | None = None
    comment: str | None = None
    journal_ref: str | None = None
    upvotes: int | None = None
    num_comments: int | None = None
    github_url: str | None = None
    project_url: str | None = None
    listed_on: date | None = None
    # The id a plain feed item had before it carried a DOI or an arXiv id: the store
    # re-keys that paper rather than announcing it again. Not stored.
    former_id: str | None = None

    @property
    def is_replacement(self) -> bool:
        return self.announce_type in REPLACEMENTS


TALK_SCHEDULED = "scheduled"
TALK_CANCELLED = "cancelled"


@dataclass(slots=True)
class Talk:
    """One seminar talk (one occurrence of a recurring event).

    `key` identifies the talk within its source and never changes when the talk moves:
    for iCalendar it is `<UID>@<original start, UTC ISO>`, for pages a stable hash of
    series, speaker and original date. `start`/`end` are aware UTC; `timezone` is the IANA
    zone the source meant (for display and for naive times).
    """

    key: str
    title: str
    source: str
    start: datetime | None
    end: datetime | None = None
    timezone: str | None = None
    all_day: bool = False
    series: str | None = None
    speakers: list[str] = field(default_factory=list)
    affiliation: str | None = None
    abstract: str | None = None
    bio: str | None = None
    location: str | None = None
    meeting_url: str | None = None
    meeting_id: str | None = None
    meeting_password: str | None = None
    livestream_url: str | None = None
    replay_url: str | None = None
    slides_url: str | None = None
    homepage: str | None = None
    url: str | None = None
    language: str | None = None
    chair: str | None = None
    status: str = TALK_SCHEDULED


@dataclass(slots=True)
class ParseResult:
    """What a parser read from one document: records plus warnings a person should see."""

    papers: list[Paper] = field(default_factory=list)
    talks: list[Talk] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # The span of time the document speaks for: a stored talk of this source inside it
    # that the document no longer lists has been cancelled. None: no such claim.
    covers: tuple[datetime, datetime] | None = None


class ParseError(ValueError):
    """A document that cannot be read as a whole; nothing of it may be stored."""


@dataclass(slots=True)
class UpsertResult:
    """Canonical ids of the papers a batch created, changed, or left as they were."""

    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {"new": len(self.new), "updated": len(self.updated),
                "unchanged": len(self.unchanged)}


@dataclass(slots=True)
class TalkChanges:
    """Talk ids a document created, changed, cancelled, or left as they were."""

    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {"new": len(self.new), "updated": len(self.updated),
                "cancelled": len(self.cancelled), "unchanged": len(self.unchanged)}


OPERATOR = "config"  # Source.added_by of the config file's sources


@dataclass(slots=True)
class Source:
    """A place lectern polls: a URL or file of a given kind, with its fetch and health state."""

    name: str
    kind: str
    location: str = field(repr=False)  # a private calendar's URL carries its key
    interval_minutes: int = 60
    timezone: str | None = None
    added_by: str = OPERATOR  # a member's id when added in chat
    etag: str | None = None
    last_modified: str | None = None
    last_polled: datetime | None = None
    last_success: datetime | None = None
    last_error: str | None = None
    failures: int = 0
    added_in: str | None = None  # the chat channel it was added from; None: the operator's
    last_new: datetime | None = None  # when a poll last found something new
    content_hash: str | None = None  # digest of the last document stored
    # What the last document read held (a 304 keeps them); None: not read yet.
    last_items: int | None = None  # papers or talks
    last_warnings: int = 0  # what the reader could not read, of that document
    last_warning: str | None = None  # the first of them
    empty_since: datetime | None = None  # first of the readings in a row that held nothing

    @property
    def from_chat(self) -> bool:
        """Whether a member typed its URL in chat (fetched guarded) rather than the
        operator (config file, command line)."""
        return self.added_in is not None or self.added_by != OPERATOR


@dataclass(frozen=True, slots=True)
class SourceHealth:
    """A source's health as bot.health judges it.

    state: `ok`, `pending` (not polled yet), `flaky` (failed lately) or `behind` (an arXiv
    listing missed an announcement, maybe a holiday): not yet enough to worry anyone;
    `failing`, `stale` or `empty` (its last document held nothing): unhealthy, managers
    are told. `since` names the episode: the last success before the failures, when
    content last changed, or when the documents began to hold nothing.
    """

    state: str
    reason: str = ""
    since: datetime | None = None

    @property
    def unhealthy(self) -> bool:
        return self.state in ("failing", "stale", "empty")


DEFAULT_REMINDERS = (24 * 60, 15)  # minutes before a talk starts
KINDS_ALL, KINDS_PAPERS, KINDS_TALKS = "all", "papers", "talks"


@dataclass(slots=True)
class Channel:
    """A chat channel lectern posts to, named `PLATFORM:ID` (`console:ml`, `slack:C0123`).

    `timezone` None means the configured default; `reminder_offsets` are minutes before a
    talk (empty: reminders off; None: the default 24h,15m); `digest_time` is local `HH:MM`
    or None for posting each match as it arrives; `digest_size` papers a list shows (None:
    10); `recommend_per_day` papers its taste model may add a day (None: off).
    """

    id: str
    timezone: str | None = None
    reminder_offsets: tuple[int, ...] | None = None
    digest_time: str | None = None
    paused_reason: str | None = None
    name: str | None = None
    digest_size: int | None = None
    recommend_per_day: int | None = None

    @property
    def platform(self) -> str:
        return self.id.split(":", 1)[0]

    @property
    def external_id(self) -> str:
        return self.id.split(":", 1)[1]

    def offsets(self) -> tuple[int, ...]:
        return DEFAULT_REMINDERS if self.reminder_offsets is None else self.reminder_offsets


@dataclass(slots=True)
class Subscription:
    id: int
    channel_id: str
    query: str
    kinds: str  # all | papers | talks
    created: datetime
    created_by: str = ""

    def wants(self, item_kind: str) -> bool:
        return self.kinds == KINDS_ALL or self.kinds == item_kind + "s"


@dataclass(slots=True)
class SearchHit:
    """One search result, best first; `score` is higher for better matches."""

    kind: str
    id: str
    title: str
    url: str
    authors: list[str]
    published: datetime | None
    score: float


# -- Topic queries (parsed by bot.topics; compiled to FTS by storage.fts) --------------

@dataclass(frozen=True, slots=True)
class Term:
    """A word or "quoted phrase", optionally restricted to a field (`author:`, `cat:`...)."""

    text: str
    field: str | None = None
    phrase: bool = False


@dataclass(frozen=True, slots=True)
class Not:
    child: Query


@dataclass(frozen=True, slots=True)
class And:
    children: tuple[Query, ...]


@dataclass(frozen=True, slots=True)
class Or:
    children: tuple[Query, ...]


Query = Term | Not | And | Or


class QueryError(ValueError):
    """A query that cannot be used; the message says where and what to type instead."""

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.position = position


def talk_id(source: str, key: str) -> str:
    """A short id that stays the same for a talk however often it moves."""
    return "talk-" + hashlib.sha256(f"{source}\0{key}".encode()).hexdigest()[:12]
