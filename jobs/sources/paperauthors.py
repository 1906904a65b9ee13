"""Author strings of paper feeds as people: one name each, affiliations and list tails apart.

Feeds write a whole author list into one element, in shapes seen in the wild:
arXiv's "A, B, and C"; its 2024+ listings' "M. R. Nirmal (Department of Chemistry, X,
Chennai, India), ..." (commas inside parentheses belong to the affiliation); its pre-2024
"LHCb collaboration: R. Aaij, et al. (909 additional authors not shown)" and
"Christopher Dilks (STAR Collaboration)"; bioRxiv's "LAPALU, N., SIMON, A., Lu, A."
(LAST, F. pairs); ScienceDirect's "Author(s): A, B" paragraph; a journal's lone
"Smith, Jane".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from jobs.sources.feeds import collapse_whitespace
from jobs.sources.htmlblocks import html_blocks
from jobs.sources.talkspeaker import looks_like_name

_OPEN, _CLOSE = "([（", ")]）"
_HIDDEN = "\0"  # stands for a character inside brackets, where no separator counts
# Between people, always: `;`, a colon after a group name ("LHCb collaboration: ..."),
# "and", "&" and the Chinese enumeration comma. Between people or inside "Smith, Jane": `,`.
_HARD = re.compile(r";|[:：]|\band\b|&|、")
_SOFT = re.compile(r"[,，]")
_LABEL = re.compile(r"^\s*(?:authors?\s*\(s\)|authors?|作者)\s*[:：]\s*", re.IGNORECASE)
_BY = re.compile(r"^\s*(?:written\s+)?by(?:\s*[:：]\s*|\s+)", re.IGNORECASE)
# A list's tail that names nobody: "et al.", "others", "...".
_ET_AL = re.compile(r"^(?:others|\.\.\.|…)$|(?:^|\s)(?:et\.?\s*al\.?|\.\.\.|…)$",
                    re.IGNORECASE)
_FOOTNOTE = re.compile(r"^[\d\s,*†‡§]*(?:(?:and|&)[\d\s,*†‡§]+)*$")
# Footnote marks after a name (equal contribution, corresponding author): "Tian Chen #".
_MARKS = re.compile(r"(?<=\w)[\s*†‡§#¶]*[*†‡§#¶]$")
_HAN_NAME = re.compile(r"[\u3400-\u9fff·・]{2,6}")
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})


@dataclass(frozen=True, slots=True)
class Person:
    """One author: the name alone, and what the list said in brackets after it."""

    name: str
    affiliation: str | None = None


def split_people(text: str | None) -> list[Person]:
    """A text that is surely a list of people (arXiv's dc:creator, a labelled paragraph):
    every top-level comma separates people, except inside LAST, F. pairs."""
    return _people(text, cautious=False)


def people_names(text: str | None) -> list[str]:
    """The names of `split_people`, in order, each once."""
    return list(dict.fromkeys(person.name for person in split_people(text)))


def split_author_list(text: str | None) -> list[str]:
    """Split a generic feed's author string only where it is surely a list of people.

    "Ann Lee, Bo Chen" is two people, "Smith, Jane" one person written surname first;
    "and" and ";" always separate people, LAST, F. pairs are people.
    """
    return list(dict.fromkeys(person.name for person in _people(text, cautious=True)))


def entry_authors(entry: Any) -> list[str]:
    """Author names of a generic feed entry (one element per author, or one list string)."""
    raw = [a.get("name") or "" for a in entry.get("authors") or [] if isinstance(a, dict)]
    raw = [collapse_whitespace(name) for name in raw if name.strip()]
    if not raw and entry.get("author"):
        raw = [collapse_whitespace(entry["author"])]
    raw = [name for name in raw if not _PLACEHOLDER.fullmatch(name)]
    if len(raw) == 1:
        return split_author_list(raw[0])
    # One element per author: only its bracketed affiliation is taken off.
    names = (person_of(name).name for name in raw)
    return list(dict.fromkeys(name for name in names if name))


# What feed generators write where they know no author ("<dc:creator>Unknown</dc:creator>").
_PLACEHOLDER = re.compile(r"(?i)\s*(?:unknown(?: authors?)?|anonymous|n/?a|none|not available"
                          r"|no author|author)\s*")


def description_authors(html: str | None) -> list[str]:
    """Authors a description gives in a paragraph of their own, labelled "Author(s):" or
    "Authors:" (ScienceDirect's feeds put them nowhere else)."""
    for block in html_blocks(html):
        if _LABEL.match(block):
            return people_names(block)
    return []


# CNKI's feeds open the description with the authors, each closed by a semicolon, and the
# abstract straight after the last one: 'Yinpeng ZHANG;Xiaolong LIU;Cyrtodactylus geckos
# are ...', '杨艳;黎云祥;胥晓;珙桐(Davidia involucrata Baill.)种子...'.
_LEAD = re.compile(r"\s*((?:[^;；\n]{2,40}[;；]\s*)+)(?=\S)")
_LEAD_HAN = re.compile(r"[\u3400-\u9fff]{2,4}|[\u3400-\u9fff]{1,8}[·・][\u3400-\u9fff·・]{1,12}")
_LEAD_LATIN = re.compile(r"[A-Z][\w'’-]*\.?(?: [A-Z][\w'’-]*\.?){1,3}")


def leading_people(text: str) -> tuple[list[str], str]:
    """The people a text opens with, each closed by a semicolon, and the text after them;
    ([], text) unless every piece before the text is a name (two or more of them, or one
    in Han characters)."""
    match = _LEAD.match(text or "")
    if not match:
        return [], text
    names = [collapse_whitespace(piece) for piece in re.split(r"[;；]", match.group(1))[:-1]]
    han = all(_LEAD_HAN.fullmatch(name) for name in names)
    latin = all(_LEAD_LATIN.fullmatch(name) and looks_like_name(name) for name in names)
    if not (han or latin and len(names) > 1):
        return [], text
    return list(dict.fromkeys(names)), text[match.end():]


def _people(text: str | None, *, cautious: bool) -> list[Person]:
    text = collapse_whitespace(text)
    text = _BY.sub("", _LABEL.sub("", text, count=1), count=1)
    hidden = _hide_brackets(text)
    people: list[Person] = []
    chunks = _cut(text, hidden, _HARD)
    # "Doan-Nhu, Hai; Nguyen-Ngoc, Lam" (Schweizerbart): semicolons between people, one
    # comma in each, between the family name and the given names.
    inverted = len(chunks) > 1 and {m.group() for m in _HARD.finditer(hidden)} == {";"} \
        and all(_family_first(chunk, chunk_hidden) for chunk, chunk_hidden in chunks)
    for chunk, chunk_hidden in chunks:
        pieces = [piece for piece in _cut(chunk, chunk_hidden, _SOFT) if piece[0].strip()]
        if inverted:
            people.append(person_of(chunk))
            continue
        people.extend(_chunk_people([piece for piece, _ in pieces], cautious=cautious))
    return [person for person in people if person.name]


def _family_first(chunk: str, hidden: str) -> bool:
    """Whether one comma parts `chunk` as "Family, Given" ("Doan-Nhu, Hai", "Cañiza Ovelar,
    Bernardo D."), not two people ("A. Smith, B. Jones", "Ann Lee, Bo Chen")."""
    if len(_SOFT.findall(hidden)) != 1:
        return False
    left, right = (part.split() for part in _SOFT.split(chunk, maxsplit=1))
    if not left or not right or _is_initials(left[0]):
        return False
    return len(left) == 1 or len(right) == 1 or _is_initials(right[-1])


def _hide_brackets(text: str) -> str:
    """`text` with every character inside (and of) brackets replaced by _HIDDEN, so that
    separators there do not count; unbalanced brackets protect nothing."""
    depth, out = 0, []
    for char in text:
        if char in _OPEN:
            depth += 1
        inside = depth > 0
        if char in _CLOSE and depth:
            depth -= 1
        out.append(_HIDDEN if inside else char)
    return text if depth else "".join(out)


def _cut(text: str, hidden: str, pattern: re.Pattern[str]) -> list[tuple[str, str]]:
    """Split `text` where `pattern` matches its hidden twin; pieces come with their twins."""
    pieces, start = [], 0
    for match in pattern.finditer(hidden):
        pieces.append((text[start:match.start()], hidden[start:match.start()]))
        start = match.end()
    pieces.append((text[start:], hidden[start:]))
    return pieces


def _chunk_people(pieces: list[str], *, cautious: bool) -> list[Person]:
    """People of one comma-separated run: LAST, F. pairs; else one person per piece,
    unless a cautious reading sees "Smith, Jane". A `Jr.` rejoins the piece before it."""
    merged: list[str] = []
    for piece in (collapse_whitespace(piece) for piece in pieces):
        if merged and piece.lower() in _SUFFIXES:
            merged[-1] = f"{merged[-1]} {piece}"
        else:
            merged.append(piece)
    if len(merged) > 1 and len(merged) % 2 == 0 and all(
            _is_initials(person_of(given).name) for given in merged[1::2]):
        return [person_of(f"{last}, {given}") for last, given in zip(
            merged[::2], merged[1::2], strict=True)]
    # A list, unless two bare words could be one name ("Smith, Jane"): a bracketed
    # affiliation follows a whole name.
    bracketed = any(_hide_brackets(piece) != piece for piece in merged)
    # Han names are never written family first with a comma: '范存祥,林志斌' is two people.
    han = all(_HAN_NAME.fullmatch(piece) for piece in merged)
    # A long run of whole names is a list even with a person of one name in it ('Deby
    # Arifiani, Sahromi, William J. Baker': Indonesian authors in Wiley's TAXON feed).
    lone = sum(" " not in piece for piece in merged)
    listed = len(merged) >= 3 and 2 * lone < len(merged)
    if cautious and len(merged) > 1 and not bracketed and not han and not listed and lone:
        return [person_of(", ".join(merged))]
    return [person_of(piece) for piece in merged]


def _is_initials(text: str) -> bool:
    """`N.`, `S. N.`, `J.-P.`, `Ch.`, `AB`: given names written as initials."""
    tokens = [token for token in re.split(r"[\s.\-‐]+", text) if token]
    if len(tokens) > 1 and f"{tokens[-1].lower()}." in _SUFFIXES:
        tokens = tokens[:-1]  # "M. L. Jr."
    if not tokens or len(tokens) > 4 or text.lower() in _SUFFIXES:
        return False
    dotted = "." in text
    # bioRxiv prints its authors' own typing, lower case too: 'Zhang, a., jiang, x.'.
    return all(len(token) <= 2 and (token[0].isupper() or dotted and len(token) == 1)
               and (dotted or token.isupper()) for token in tokens)


def person_of(piece: str) -> Person:
    """One list piece as a Person: bracketed text (an affiliation, a collaboration tag,
    footnote marks) is kept apart from the name; "et al." and the like are no name."""
    name, groups, depth, group = [], [], 0, []
    hidden = _hide_brackets(piece)
    for char, mask in zip(piece, hidden, strict=True):
        if mask != _HIDDEN:
            name.append(char)
            continue
        if char in _OPEN:
            depth += 1
            if depth == 1:
                continue
        if char in _CLOSE:
            depth -= 1
            if depth == 0:
                groups.append(collapse_whitespace("".join(group)))
                group = []
                continue
        group.append(char)
    text = _ET_AL.sub("", collapse_whitespace("".join(name))).strip(" ,;:")
    text = _MARKS.sub("", text)
    notes = [group for group in groups if group and not _FOOTNOTE.match(group)]
    return Person(text, "; ".join(notes) or None)
