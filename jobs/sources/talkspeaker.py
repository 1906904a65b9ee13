"""Speaker lines ("董彬, 北京大学", "Yuhai Tu (IBM T. J. Watson Research Center)",
"Guoning CHEN, PhD") -> names and affiliation, for seminar pages and calendars alike."""

from __future__ import annotations

import re
import unicodedata

from bot.cjk import is_han
from jobs.sources.talklabels import SPEAKER, label_kind

_INSTITUTION = re.compile(
    r"universit|institut|college|school|cent(?:er|re)|\blabs?\b|laborator|academ|\binc\b|corp"
    r"|company|research|department|\bdept\b|hospital|foundation|group|technolog|\bltd\b|\bllc\b"
    r"|ministry|council|observatory|faculty|laboratoi|d[ée]partement|google|microsoft|\bmeta\b|amazon|\bibm\b|nvidia"
    r"|大学|学院|研究所|研究院|研究中心|公司|科技|中心|实验室|科学院|医院|集团|学校|学系|大學",
    re.IGNORECASE)
_JOINED = re.compile(r",|&|\band\b|\bet\b")  # a list of places: "LKB ENS and Sorbonne"
_BIO_VERB = re.compile(r"\b(?:is|was|are|were|has|have|received|obtained|joined|works|holds"
                       r"|studied|completed|earned|graduated|leads|directs|serves)\b")
# Titles written around a name, not part of it: "Prof. Jane Doe", "许志钦 副教授".
_PREFIX = re.compile(
    r"^(?:(?:prof(?:essor)?|dr|mr|ms|mrs|sir|assoc\.?|assistant|associate)(?:\.\s*|\s+))+",
    re.IGNORECASE)
_CJK_TITLES = (r"副?教授|助理教授|特聘教授|副?研究员|助理研究员|博士后?|讲师|老师|先生|女士"
               r"|院士|博导")
# Degrees and post-nominal honours as people write them after a name ("Jane Doe, MD, PhD",
# "Seth Concors, MD, FACS, FSSO", "Stanley Crooke, MD, PhD"): neither name nor affiliation.
_DOTTED = r"(?:{})".format("|".join(
    r"\.?\s?".join(re.escape(part) for part in degree.split(".")) + r"\.?"
    for degree in ("D.Phil", "Sc.D", "D.Sc", "M.D", "Pharm.D", "Dr.P.H", "Psy.D",
                   "Ed.D", "D.V.M", "D.D.S", "D.M.D", "D.O", "J.D", "LL.M", "M.Phil", "M.P.H",
                   "M.S.P.H", "M.H.S", "M.B.A", "M.Eng", "M.Sc", "M.S", "M.A", "B.Sc", "B.S",
                   "B.A", "R.N", "Jr", "Sr", "Esq")))
_DEGREE = (r"(?:(?i:ph\.?\s?d\.?)|" + _DOTTED
           + r"|MBBS|MBChB|MSW|MPP|MPA|MSN|DNP|Dr\.?\s?rer\.?\s?nat\.?|habil\.?"
           r"|F(?:RS|RSE|RSC|REng|RCP|RCPC|RCS|RCPath|MedSci|ACC|ACP|ACS|AANS|ACMG|SSO|AHA"
           r"|ASCO|IDSA|AAP|IEEE|ACM|AAAS|APS|ASA|IMS|SIAM)|II|III|IV|OBE|CBE|MBE"
           r"|" + _CJK_TITLES + r")")
_END = r"(?=$|[\s,;(])"
# The degrees right after a name: "MD, PhD (Seattle)" leaves "(Seattle)".
_LEADING_DEGREES = re.compile(r"^(?:" + _DEGREE + _END + r"[\s,;]*)+")
# Without a comma only the degrees no family name is spelled like ("Yi MA" is a name).
_SUFFIX = re.compile(r"[\s,]+(?:(?i:ph\.?\s?d\.?)|M\.?D\.?|MBBS|D\.?Phil\.?|FRS)$"
                     r"|\s*(?:" + _CJK_TITLES + r")$")
_ROLE = re.compile(r"professor|lecturer|fellow|student|candidate|postdoc|director|scientist"
                   r"|engineer|researcher|\bdean\b|member|president|founder|\bceo\b|\bcto\b"
                   r"|\bhead\b|manager|\bchair|\bph\.?\s?d\b", re.IGNORECASE)
# A talk title quoted after the speaker ('Joon Seok Park, PhD "Gut Microbial ..."').
_QUOTED = re.compile(r"^[\"“”].*[\"“”]$")
# Between people or between a person and an institution, never inside parentheses.
_SEPARATOR = re.compile(r"\s*(?:[,，;；、&]|\band\b|(?<=\s)/(?=\s))\s*")
_GLUE = {",": ", ", "，": ", ", ";": "; ", "；": "; ", "、": "、", "&": " & ", "and": " and ",
         "/": " / "}
_PARTICLES = frozenset({"de", "da", "di", "van", "von", "der", "den", "la", "le", "du", "bin",
                        "al", "el", "dos", "das", "del", "y"})
# Two capitals then small letters: an institution's acronym ("IISc"), not a name word.
_MIXED_ACRONYM = re.compile(r"^[A-Z]{2,}[a-z]")
# Words naming a kind of event or a programme item, never a person's: "Invited Seminar:
# Jan Krämer", "Closing - Prize Giving", "Day 3 - Flight Reminder".
_EVENT = re.compile(r"\b(?:seminars?|workshops?|colloqui(?:um|a)|sessions?|lectures?|webinars?"
                    r"|series|discussions?|forums?|symposi(?:um|a)|conferences?|meetings?"
                    r"|reminders?|prizes?|awards?|ceremony|registration|deadline|reception"
                    r"|lunch|dinner|breakfast|coffee|break)\b", re.IGNORECASE)
_NOBODY = frozenset({"TBA", "TBD", "TBC", "N/A"})
# Capitals that end a name-shaped phrase but are not a family name ("Tencent AI").
_NOT_FAMILY = frozenset({"AI", "ML", "NLP", "USA", "US", "UK", "EU", "UAE", "PRC"})


def split_speaker(line: str) -> tuple[list[str], str | None]:
    """Names and affiliation written on one speaker line.

    The line starts with a person; later comma-separated parts are further people when they
    look like names and affiliations otherwise. Degrees and honours right after a name
    ("Guoning CHEN, PhD") are dropped; a role after them ("MD Assistant Professor") is kept
    with the affiliation. A parenthesised name in another script ("Le Lu (吕乐)") stays with
    the name; a parenthesised institution is an affiliation.
    """
    text = " ".join(unicodedata.normalize("NFKC", line).split()).strip(" ,;")
    people: list[tuple[str, str]] = []
    for separator, chunk in _top_level_parts(text):
        if people and not people[-1][1]:  # the person's post-nominals come first
            chunk = _without_degrees(chunk)
            if not chunk:
                continue
        if not people or looks_like_name(_name_part(chunk)):
            people.append(_person(chunk))
        elif not _QUOTED.match(chunk):
            name, affiliation = people[-1]
            glue = _GLUE.get(separator.strip().lower(), " ") if affiliation else ""
            people[-1] = (name, affiliation + glue + chunk)
    people = [(name, a) for name, a in people if name and name.upper() not in _NOBODY
              and label_kind(name) != SPEAKER]  # "Speaker": a schedule's unfilled row
    names = [name for name, _ in people if any(ch.isalpha() for ch in name)]  # not "-"
    affiliations = list(dict.fromkeys(a for _, a in people if a))
    return names, "; ".join(affiliations) or None


def starts_with_name(line: str) -> bool:
    """Whether the line's first part is a person's name ("Haider Mejbel, MD ...", not
    "Debates and Didactics in Hematology" or "[Grand Rounds] — TBD")."""
    parts = _top_level_parts(" ".join(unicodedata.normalize("NFKC", line).split()))
    return bool(parts) and looks_like_name(_name_part(parts[0][1]))


def person_with_affiliation(line: str) -> bool:
    """One person, then where they work after a comma or in parentheses, and no sentence
    about them ("Wu Xinxun, Dean of the Industrial Research Institute of Chinese Art,
    Shanghai University.", not "Jane Doe, a professor at MIT, works on ...")."""
    if _BIO_VERB.search(line) or re.search(r"[.;]\s+[A-Z]", line.rstrip(". ")):
        return False
    names, affiliation = split_speaker(line)
    return len(names) == 1 and bool(affiliation) and starts_with_name(line)


def only_people(line: str) -> bool:
    """Whether every part of the line is a person ("A (X), B (Y) and C"), each perhaps with
    degrees and an affiliation in parentheses that starts like a name ("(Emory)", not
    "(online)"): a line that may stand for the speakers."""
    text = " ".join(unicodedata.normalize("NFKC", line).split())
    parts = [chunk for _, chunk in _top_level_parts(text)]
    return bool(parts) and looks_like_name(_name_part(parts[0])) and all(
        _person_part(chunk) for chunk in parts)


def names_an_institution(text: str) -> bool:
    """Whether `text` reads as where someone works or what they are ("Berkeley, visiting
    ENS-DMA", "University of Basel", "Laplace postdoc", "Capital Fund Management", "Simons
    Collaboration & ENS"), not an acronym, a short gloss or a room ("CFM", "RMT", "Part Two",
    "D404, Humanisten")."""
    if _INSTITUTION.search(text) or _ROLE.search(text):
        return True
    # A room is no affiliation: "Valentin Goranko (D404, Humanisten) Logics for ...".
    return not re.search(r"\d", text) and (bool(_JOINED.search(text)) or len(text.split()) >= 3)


def _person_part(chunk: str) -> bool:
    tail = _paren_tail(chunk)
    if tail and not (tail[0][1:2].isupper() or is_han(tail[0][1:2])):
        return False
    rest = _LEADING_DEGREES.sub("", chunk).strip()
    if rest != chunk:  # degrees, perhaps with the affiliation: "PhD (Seattle)"
        return not rest or _paren_tail(rest) == (rest, 0)
    return looks_like_name(_name_part(chunk))


def _top_level_parts(text: str) -> list[tuple[str, str]]:
    parts: list[tuple[str, str]] = []
    depth, start, separator, quoted = 0, 0, "", False
    position = 0
    while position < len(text):
        char = text[position]
        depth += (char == "(") - (char == ")")
        quoted = (quoted or char in "\"“") and not (quoted and char in "\"”")
        match = _SEPARATOR.match(text, position) if depth == 0 and not quoted else None
        if match and match.end() > position and match.group(0).strip():
            parts.append((separator, text[start:position].strip()))
            separator, start, position = match.group(0), match.end(), match.end()
            continue
        position += 1
    parts.append((separator, text[start:].strip()))
    return [(sep, chunk) for sep, chunk in parts if chunk]


def _without_degrees(chunk: str) -> str:
    """`MD Assistant Professor` -> `Assistant Professor`; `PhD (Seattle)` -> `Seattle`."""
    rest = _LEADING_DEGREES.sub("", chunk).strip()
    if rest != chunk and rest.startswith("(") and _paren_tail(rest) == (rest, 0):
        return rest[1:-1].strip()
    return rest


def _paren_tail(text: str) -> tuple[str, int] | None:
    """The balanced parenthesised group that ends `text`, and where it starts."""
    if not text.endswith(")"):
        return None
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        depth += (text[index] == ")") - (text[index] == "(")
        if depth == 0:
            return text[index:], index
    return None


def _name_part(chunk: str) -> str:
    tail = _paren_tail(chunk)
    return chunk[:tail[1]].strip() if tail else chunk


def _person(chunk: str) -> tuple[str, str]:
    """One person's name, and the institution written in parentheses after it
    ("A. Bé (Univ. of X, Paris (IMJ))" keeps the inner parentheses)."""
    tail = _paren_tail(chunk)
    main = chunk[:tail[1]].strip() if tail else ""
    if not main:
        return _name_then_institution(chunk)
    inner = tail[0][1:-1].strip()
    if _is_alias(main, inner):
        return f"{clean_name(main)} ({inner})", ""
    return clean_name(main), _without_degrees(inner) if inner else ""


def _name_then_institution(chunk: str) -> tuple[str, str]:
    """"Prof Ewa Damek University of Wroclaw", "Ms. Kamana Porwal IISc": a name run into its
    institution with no comma or parentheses. The shortest name-shaped start, ending in a
    full word, is the person when the rest names an institution or starts with an acronym."""
    bare = _PREFIX.sub("", chunk.strip())
    words = bare.split()
    if looks_like_name(bare):
        # "Rahul Roy ISI", "Sudesh K. Khanduja IISER": capitals after a whole name written
        # normally are its institute; "Guoning CHEN" has no family name before the capitals.
        if len(words) >= 3 and words[-1].isupper() and not words[-2].isupper() \
                and len(words[-2].strip(".")) > 1 and looks_like_name(" ".join(words[:-1])):
            return clean_name(" ".join(words[:-1])), words[-1]
        return clean_name(chunk), ""
    for cut in range(1, min(len(words), 5)):  # one word only for a Han name: "刘嘉莹 大连…"
        name, rest = " ".join(words[:cut]), " ".join(words[cut:])
        if not looks_like_name(name) or len(words[cut - 1].strip(".")) < 2 or (
                words[cut - 1].endswith(".")):
            continue
        if _INSTITUTION.search(rest) or sum(ch.isupper() for ch in words[cut]) >= 2:
            return clean_name(name), rest
    return clean_name(chunk), ""


def clean_name(name: str) -> str:
    """A name without the academic titles and degrees around it."""
    bare = _PREFIX.sub("", name.strip())
    while True:
        shorter = _SUFFIX.sub("", bare)
        if shorter == bare or len(shorter) < 2:
            return bare.strip(" ,")
        bare = shorter


def looks_like_name(text: str) -> bool:
    """A person's name: 2-4 Han characters, or 2-6 capitalised words and no institution word.
    A family name in capitals at the end ("Guoning CHEN") is a name; capitals elsewhere
    ("UC Berkeley", "MIT CSAIL") belong to institutions."""
    text = clean_name(text)
    if not text or _INSTITUTION.search(text) or _ROLE.search(text) or _EVENT.search(text):
        return False
    if any(ch.isdigit() for ch in text):
        return False
    if all(is_han(ch) or ch in "·•" for ch in text):
        return 2 <= len(text) <= 4
    # A nickname in quotes is part of the name: 'Alexandra "Sasha" Key'.
    words = [w.strip(".\"“”") for w in text.replace(".", ". ").split() if w.strip(".\"“”")]
    if not 2 <= len(words) <= 6 or any(is_han(ch) for ch in text):
        return False
    if any(_MIXED_ACRONYM.match(w) for w in words):  # "IISc", "EPFLausanne"
        return False
    capitals = [i for i, w in enumerate(words) if len(w) > 1 and w.isupper()]
    if capitals and not _family_in_capitals(words, capitals):
        return False
    return all(w[0].isupper() or w.lower() in _PARTICLES for w in words)


def _family_in_capitals(words: list[str], capitals: list[int]) -> bool:
    """"Guoning CHEN", "Anne-Marie VAN DER BERG": the capitals are the last words, follow a
    given name written normally, and read as words (a vowel each), not as an acronym."""
    first = capitals[0]
    return (capitals == list(range(first, len(words))) and first > 0
            and any(w[:1].isupper() and not w.isupper() for w in words[:first])
            and all(set(words[i]) & set("AEIOUY") and words[i] not in _NOT_FAMILY
                    for i in capitals))


def _is_alias(main: str, inner: str) -> bool:
    """"Le Lu (吕乐)" or "许志钦 (Zhi-Qin John Xu)": the same person in another script."""
    main_cjk = any(is_han(ch) for ch in main)
    inner_cjk = any(is_han(ch) for ch in inner)
    return main_cjk != inner_cjk and looks_like_name(inner)
