"""Speakers and title written together in a VEVENT's SUMMARY, as Outlook and hand-kept
calendars do: "Hao Huang (Emory), On local Turán problems" -> speaker line and title."""

from __future__ import annotations

import re

from jobs.sources.talkspeaker import only_people

# The mark between the people and the title: "(Emory), Title", "(MIT): Title", "(ETH) – Title".
_MARK = re.compile(r"\s*(?:[,:;|]|\s[-–—]|[–—])\s*")
_NAME_COLON = re.compile(r"(?P<who>[^:()]{3,60}):\s+(?P<title>.{3,})")
_TITLE_DASH_NAME = re.compile(r"(?P<title>.{3,}?)\s+[-–—]\s+(?P<who>[^-–—:()]{3,60})")
_QUOTES = "\"'“”‘’«»"


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
    plain = _NAME_COLON.fullmatch(text)  # "Wenwen Hou: Reshaping Reasoning in LLMs"
    if plain and only_people(plain["who"]):
        return plain["who"], plain["title"].strip(_QUOTES).strip()
    for end in reversed(_group_ends(text)):
        mark = _MARK.match(text, end)
        if mark is None:
            continue
        head, title = text[:end], text[mark.end():].strip().strip(_QUOTES).strip()
        if title and only_people(head):
            return head, title
    return None


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
