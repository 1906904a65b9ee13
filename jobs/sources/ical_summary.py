"""Speakers and title written together in a VEVENT's SUMMARY, as Outlook and hand-kept
calendars do: "Hao Huang (Emory), On local Turán problems" -> speaker line and title."""

from __future__ import annotations

import re

from jobs.sources.talkspeaker import names_an_institution, only_people

# The mark between the people and the title: "(Emory), Title", "(MIT): Title", "(ETH) – Title".
_MARK = re.compile(r"\s*(?:[,:;|]|\s[-–—]|[–—])\s*")
_NAME_COLON = re.compile(r"(?P<who>[^:()]{3,60}):\s+(?P<title>.{3,})")
# "Title - Name", "Title -- Name" (a double hyphen for a dash: Apple iCal exports); a hyphen
# joining two capitalised parts of a word belongs to the name ("Mariano Martinez-Peck", not
# "O-ring Production Networks"); words in quotes are a title, never a name.
_TITLE_DASH_NAME = re.compile(r"(?P<title>.{3,}?)\s+(?:--|[-–—])\s+"
                              r"(?P<who>(?:[^-–—:()\"“”]|(?<=\w)-(?=[A-ZÀ-ÖØ-Þ])){3,60})")
# A series or kind of event before the colon, the talk after it ("Invited Seminar: ...").
_SERIES_COLON = re.compile(r"(?P<series>[^:()]{0,50}\b(?i:seminar|workshop|colloquium|session"
                           r"|lecture|webinar|series|forum|symposium)s?\b[^:()]{0,20}?)(?::|-\s)\s*"
                           r"(?P<rest>.{3,})")
# After a series the speaker comes first: "Lena Schmid - The Decision to Flee: ...".
_NAME_DASH_TITLE = re.compile(r"(?P<who>(?:[^-–—:()]|(?<=\w)-(?=[A-ZÀ-ÖØ-Þ])){3,60}?)"
                              r"\s+(?:--|[-–—])\s+(?P<title>.{3,})")
_QUOTES = "\"'“”‘’«»"
_CLOSING = {'"': '"', "“": "”", "«": "»"}
# No mark at all, the title's first word right after the affiliation: "Elizabeth Purdom
# (Berkeley, visiting ENS-DMA) Statistical challenges in ...".
_UNMARKED = re.compile(r"\s+(?=[A-Z0-9\"“‘«])")


def split_summary(summary: str) -> tuple[str, str] | None:
    """(speaker line, title) when SUMMARY starts with people, the last of them with an
    affiliation in parentheses, then a mark and the title ("Name: Title" needs no
    parentheses, nor does "Title - Name"); None for any other SUMMARY.

    The longest such head made only of people wins, so that "A (X), B (Y), Title" keeps
    both speakers; a title that merely starts with a name-shaped phrase has no
    parenthesised affiliation after it and is left whole.
    """
    text = " ".join(summary.split())
    after = _TITLE_DASH_NAME.fullmatch(text)  # "Randomized Functional Analysis - Chris Musco"
    if after and only_people(after["who"]):
        return after["who"], after["title"].strip(_QUOTES).strip()
    series = _SERIES_COLON.fullmatch(text)  # "VITM Seminar: Adrien Bilal: The Geography of"
    if series:
        rest = series["rest"]
        if only_people(rest) and rest.endswith(")"):
            return rest, text  # "VIDE Seminar: Catherine Tucker (MIT)": no title but this
        first = _NAME_DASH_TITLE.fullmatch(rest)  # "...Seminar: Milena Djourelova - Media ..."
        if first and only_people(first["who"]) and not only_people(first["title"]):
            return first["who"], first["title"].strip(_QUOTES).strip()
        return split_summary(rest)
    plain = _NAME_COLON.fullmatch(text)  # "Wenwen Hou: Reshaping Reasoning in LLMs"
    if plain and only_people(plain["who"]):
        return plain["who"], plain["title"].strip(_QUOTES).strip()
    for end in reversed(_group_ends(text)):
        mark = _MARK.match(text, end) or _unmarked(text, end)
        if mark is None:
            continue
        head, title = text[:end], _quoted_title(text[mark.end():].strip())
        if title and only_people(head):
            return head, title
    return None


def _quoted_title(text: str) -> str:
    """The title in the quotes it opens with, without what follows them ('"Migration and
    Informal Insurance", with A. Mobarak'); else the text without quotes around it."""
    close = _CLOSING.get(text[:1])
    end = text.find(close, 1) if close else -1
    if end > 1:
        return text[1:end].strip()
    return text.strip(_QUOTES).strip()


def _unmarked(text: str, end: int) -> re.Match[str] | None:
    """The space after "Name (Affiliation)" when the parentheses hold an affiliation (an
    institution, a role, a list), so "Random Matrices (RMT) Revisited" stays a title."""
    start = text.rfind("(", 0, end)
    if start < 0 or not names_an_institution(text[start + 1:end - 1]):
        return None
    return _UNMARKED.match(text, end)


def _group_ends(text: str) -> list[int]:
    """The positions just after each top-level closing parenthesis."""
    ends, depth = [], 0
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                ends.append(index + 1)
    return ends
