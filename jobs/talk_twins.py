"""One talk read from several sources: a department's calendar and its seminar page, or a
calendar and the announcement a member pasted. Each source stores its own row (a source
speaks only for its own talks); a channel told of one of them is not told of the others.

Two talks are the same when they come from different sources, start at the same instant,
and share a speaker (surname and first initial) or, where a speaker is missing, a title of
three words or more. Talks of one source that start together (parallel sessions) are never
twins.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable

from bot.models import Talk
from bot.outbox import ANNOUNCE, CLAIMED, PENDING, SENT
from storage.store import Store
from storage.talk_origin import same_start_elsewhere


def twins(store: Store, talk_id: str, talk: Talk) -> set[str]:
    """The ids of the talks of other sources that are this one."""
    return {other for other, title, speakers in same_start_elsewhere(store.db, talk_id)
            if same_talk(talk.title, talk.speakers, title, speakers)}


def told_of_any(store: Store, channel_id: str, talk_ids: Iterable[str]) -> bool:
    """Whether the channel was told (or is about to be) of one of `talk_ids`: an
    announcement not set aside (one skipped because its talk was cancelled first does
    not count)."""
    return any(d.channel_id == channel_id and d.purpose == ANNOUNCE
               and d.status in (PENDING, CLAIMED, SENT)
               for talk_id in talk_ids for d in store.deliveries_for("talk", talk_id))


def same_talk(title: str, speakers: Collection[str], other_title: str,
              other_speakers: Collection[str]) -> bool:
    """Whether two talks that start together are one: a speaker in common, else (one of
    them names nobody) the same title of three words or more."""
    if speakers and other_speakers:
        return any(_one_person(a, b) for a in speakers for b in other_speakers)
    words = _words(title)
    return len(words) >= 3 and words == _words(other_title)


def _one_person(name: str, other: str) -> bool:
    """The same surname, and an initial in common where both give more ("Md. Irfan
    Habib" is "Irfan Habib"; "Ada Lovelace" is "A. Lovelace", not "Bo Lovelace")."""
    (surname, initials), (other_surname, other_initials) = _person(name), _person(other)
    return bool(surname) and surname == other_surname and (
        not initials or not other_initials or bool(initials & other_initials))


def _person(name: str) -> tuple[str, set[str]]:
    """(surname, initials of the other names) of a name as sources write it ("Prof. Ada
    Lovelace", "Lovelace, Ada", "A. Lovelace"); a name written without spaces (王浦) is
    whole."""
    if "," in name:
        last, _, first = name.partition(",")
        name = f"{first} {last}"
    words = [w for w in _words(name) if w not in _HONORIFICS]
    return (words[-1], {w[0] for w in words[:-1]}) if words else ("", set())


_HONORIFICS = frozenset({"prof", "professor", "dr", "mr", "ms", "mrs", "sir", "dame"})


def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch if ch.isalnum() else " " for ch in folded).split()
