"""The source kinds: each kind's name and the facts the rest of lectern judges it by.

This is the registry's half that the core may see (standard library only): settings and
`/sources add` check names against it, health rules and reports read its facts. Its
other half, the reader of each kind, is jobs.sources.READERS (the core may not import
jobs); jobs.sources refuses to load unless the two name the same kinds, so a kind is
added by declaring it here and giving it a reader there, and neither can be forgotten.
"""

from __future__ import annotations

from dataclasses import dataclass

PAPERS, TALKS = "papers", "talks"


@dataclass(frozen=True, slots=True)
class SourceKind:
    name: str
    holds: str  # PAPERS or TALKS: what its documents hold (and what a reading counts)
    # False: a text read once (`lectern ingest`, `/seminars add`), never a polled source.
    polled: bool = True
    # Its document may rightly hold nothing (see bot.health): otherwise an empty reading
    # makes the source unhealthy.
    may_hold_nothing: bool = False
    # One batch per arXiv announcement: judged stale by arXiv's schedule (bot.health).
    arxiv_listing: bool = False
    # Parsed in the parser thread whatever its size (jobs.ingest.parse_aside): a
    # calendar's cost is its recurrences more than its bytes.
    heavy: bool = False

    @property
    def holds_talks(self) -> bool:
        return self.holds == TALKS


def _registry(*kinds: SourceKind) -> dict[str, SourceKind]:
    return {kind.name: kind for kind in kinds}


KINDS = _registry(
    # arXiv's listings are empty on days without an announcement (weekends, its holidays).
    SourceKind("arxiv-rss", PAPERS, may_hold_nothing=True, arxiv_listing=True),
    SourceKind("arxiv-api", PAPERS),
    # Hugging Face's daily list has nothing on a day nobody posted.
    SourceKind("hf-daily", PAPERS, may_hold_nothing=True),
    SourceKind("rss", PAPERS),
    SourceKind("ical", TALKS, heavy=True),
    SourceKind("seminar-page", TALKS, heavy=True),
    SourceKind("announcement", TALKS, polled=False),
)
SOURCE_KINDS = tuple(name for name, kind in KINDS.items() if kind.polled)  # may be polled
INGEST_KINDS = tuple(KINDS)  # may be read once


def source_kind(name: str) -> SourceKind | None:
    """The kind called `name`; None for a name no kind has (a row from a newer lectern)."""
    return KINDS.get(name)

# Talks given in chat are stored under the source `chat-PLATFORM-CHANNEL`; no polled source
# may take such a name (a config file's, a chat-added one), or its polls would cancel or
# rewrite the talks members pasted there.
CHAT_SOURCE_PREFIX = "chat-"


def reserved_source_name(name: str) -> str | None:
    """Why a source may not be called `name` (it is a chat source's), else None."""
    if name.lower().startswith(CHAT_SOURCE_PREFIX):
        return (f"source names starting with {CHAT_SOURCE_PREFIX!r} are kept for the talks "
                "members paste in chat; choose another")
    return None
