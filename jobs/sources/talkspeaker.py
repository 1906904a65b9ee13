"""Speaker lines ("董彬, 北京大学", "Yuhai Tu (IBM T. J. Watson Research Center)") -> names."""

from __future__ import annotations

import re
import unicodedata

from jobs.sources.talklabels import is_cjk

_INSTITUTION = re.compile(
    r"universit|institut|college|school|cent(?:er|re)|\blabs?\b|laborator|academ|\binc\b|corp"
    r"|company|research|department|\bdept\b|hospital|foundation|group|technolog|\bltd\b|\bllc\b"
    r"|ministry|council|observatory|faculty|google|microsoft|\bmeta\b|amazon|\bibm\b|nvidia"
    r"|大学|学院|研究所|研究院|研究中心|公司|科技|中心|实验室|科学院|医院|集团|学校|学系|大學",
    re.IGNORECASE)
# Titles written around a name, not part of it: "Prof. Jane Doe", "许志钦 副教授".
_PREFIX = re.compile(r"^(?:(?:prof(?:essor)?|dr|mr|ms|mrs|assoc\.?|assistant|associate)\.?\s+)+",
                     re.IGNORECASE)
_SUFFIX = re.compile(r"\s*(?:副?教授|助理教授|特聘教授|副?研究员|助理研究员|博士后?|讲师"
                     r"|老师|先生|女士|院士|博导|,?\s*ph\.?\s?d\.?)$", re.IGNORECASE)
_ROLE = re.compile(r"professor|lecturer|fellow|student|candidate|postdoc|director|scientist"
                   r"|engineer|researcher|\bdean\b|member|president|founder|\bceo\b|\bcto\b"
                   r"|\bhead\b|manager|\bchair|\bph\.?\s?d\b", re.IGNORECASE)
_PAREN = re.compile(r"^(?P<main>[^()]+?)\s*\((?P<inner>[^()]+)\)$")
# Between people or between a person and an institution, never inside parentheses.
_SEPARATOR = re.compile(r"\s*(?:[,，;；、&]|\band\b)\s*")
_PARTICLES = frozenset({"de", "da", "di", "van", "von", "der", "den", "la", "le", "du", "bin",
                        "al", "el", "dos", "das", "del", "y"})


def split_speaker(line: str) -> tuple[list[str], str | None]:
    """Names and affiliation written on one speaker line.

    The line starts with a person; later comma-separated parts are further people when they
    look like names and affiliations otherwise. A parenthesised name in another script
    ("Le Lu (吕乐)") stays with the name; a parenthesised institution is an affiliation.
    """
    text = " ".join(unicodedata.normalize("NFKC", line).split()).strip(" ,;")
    people: list[tuple[str, str]] = []
    for index, (separator, chunk) in enumerate(_top_level_parts(text)):
        if index == 0 or looks_like_name(_PAREN.sub(r"\g<main>", chunk)):
            people.append(_person(chunk))
        else:
            name, affiliation = people[-1]
            joined = affiliation + (separator.strip() + " " if affiliation else "") + chunk
            people[-1] = (name, joined.replace("、 ", "、"))
    names = [name for name, _ in people if name]
    affiliations = list(dict.fromkeys(a for _, a in people if a))
    return names, "; ".join(affiliations) or None


def _top_level_parts(text: str) -> list[tuple[str, str]]:
    parts: list[tuple[str, str]] = []
    depth, start, separator = 0, 0, ""
    position = 0
    while position < len(text):
        char = text[position]
        depth += (char == "(") - (char == ")")
        match = _SEPARATOR.match(text, position) if depth == 0 else None
        if match and match.end() > position and match.group(0).strip():
            parts.append((separator, text[start:position].strip()))
            separator, start, position = match.group(0), match.end(), match.end()
            continue
        position += 1
    parts.append((separator, text[start:].strip()))
    return [(sep, chunk) for sep, chunk in parts if chunk]


def _person(chunk: str) -> tuple[str, str]:
    """One person's name, and the institution written in parentheses after it."""
    match = _PAREN.match(chunk)
    if match is None:
        return clean_name(chunk), ""
    main, inner = match["main"], match["inner"].strip()
    if _is_alias(main, inner):
        return f"{clean_name(main)} ({inner})", ""
    return clean_name(main), inner


def clean_name(name: str) -> str:
    """A name without the academic titles around it."""
    bare = _PREFIX.sub("", name.strip())
    while True:
        shorter = _SUFFIX.sub("", bare)
        if shorter == bare or len(shorter) < 2:
            return bare.strip(" ,")
        bare = shorter


def looks_like_name(text: str) -> bool:
    """A person's name: 2-4 Han characters, or 2-5 capitalised words and no institution word."""
    text = clean_name(text)
    if not text or _INSTITUTION.search(text) or _ROLE.search(text):
        return False
    if any(ch.isdigit() for ch in text):
        return False
    if all(is_cjk(ch) or ch in "·•" for ch in text):
        return 2 <= len(text) <= 4
    words = [w.strip(".") for w in text.replace(".", ". ").split() if w.strip(".")]
    if not 2 <= len(words) <= 5 or any(is_cjk(ch) for ch in text):
        return False
    # "UC Berkeley", "MIT CSAIL": acronyms belong to institutions, not to names.
    if any(len(w) > 1 and w.isupper() for w in words):
        return False
    return all(w[0].isupper() or w.lower() in _PARTICLES for w in words)


def _is_alias(main: str, inner: str) -> bool:
    """"Le Lu (吕乐)" or "许志钦 (Zhi-Qin John Xu)": the same person in another script."""
    main_cjk = any(is_cjk(ch) for ch in main)
    inner_cjk = any(is_cjk(ch) for ch in inner)
    return main_cjk != inner_cjk and looks_like_name(inner)
