"""Who gives a talk and what it is called: title, speakers and affiliation from a block's
labels, its lead lines, its loose lines or its bio; and which programme items are no talk."""

from __future__ import annotations

import functools
import re

from bot.models import Talk
from jobs.sources.ical_summary import split_summary
from jobs.sources.talkcues import join_wrapped, numbered_item
from jobs.sources.talkfields import Block
from jobs.sources.talklabels import (
    AFFILIATION,
    BIO,
    HEADINGS,
    SPEAKER,
    TITLE,
    Line,
    label_kind,
)
from jobs.sources.talkspeaker import (
    clean_name,
    looks_like_name,
    person_with_affiliation,
    split_speaker,
    starts_with_name,
)

_BIO_OPENING = re.compile(r"^\s*(?P<name>[^，,。（(]{2,40}?)\s*(?:[，,（(]|\s(?:is|was|received|"
                          r"obtained|joined|works|holds|got|studied|completed|earned|graduated"
                          r"|has|leads|directs|serves)\b)")
_KIND_BEFORE_QUOTE = re.compile(r"^(?:seminar|talk|lecture|colloquium|webinar)\s*[:：]?\s*"
                                r"(?=[\"“«《「][^\"“”«»《》「」]{3,}[\"”»》」]$)", re.IGNORECASE)
_BRACKETS = re.compile(r"[(（][^()（）]*[)）]")
_PROSE_WORDS = 12  # a speaker line longer than this is a biography, not a name
_NAME_DASH_TITLE = re.compile(
    r"(?:(?:keynote|invited|plenary|tutorial|talk|lecture)(?: talk| lecture)?\s*:?\s*)?"
    r"(?P<who>[^–—:]{3,80}?)\s+(?:--|–|—)\s+(?P<title>.{3,300})", re.IGNORECASE)
_TITLE_THEN_WHO = re.compile(r"(?P<title>.{3,300}?)\s*\((?P<who>[^()]{3,120})\)")
_TITLE_BY = re.compile(r"(?P<title>.{3,200}?)\s+by\s+(?P<who>[^,;:]{3,80})")
_BULLET = re.compile(r"^[\s•·●○◆◇■□▪▶►*>\-–—]+")
# Programme items that are not talks, when nobody is named to give them.
_NOT_A_TALK = re.compile(
    r"(?:morning |afternoon |coffee |tea |lunch |short )?(?:break|coffee|tea|lunch|dinner"
    r"|breakfast(?: and coffee)?|reception|registration|check in|welcome|opening(?: remarks)?"
    r"|closing(?: remarks)?|intermission|(?:free|open|panel) discussion|group photo"
    r"|poster session|social(?: event| programme| program)?"
    r"|reading week|spring break|no (?:seminar|colloquium|talk)|organi[sz]ational meeting"
    r"|holiday|茶歇|午餐|晚餐|午休|签到|注册|开幕(?:式|致辞)?|闭幕(?:式|致辞)?|合影|自由讨论|(?:中场)?休息|开场(?:致辞)?)")
# Words that make a short programme item a pause, a meal or a gathering, not a talk.
_PROGRAMME_WORDS = re.compile(r"\b(?:coffee|tea|lunch|breakfast|dinner|reception|drinks"
                              r"|registration|break|wrap up|discussions?|poster session"
                              r"|get together|help desk|excursion|banquet|bbq|barbecue|hackathon"
                              r"|farewell|welcome|(?:opening|closing|concluding) remarks)\b"
                              r"|茶歇|午餐|晚餐|开幕|闭幕|致辞")
# A programme cell that names the kind of a slot, not its talk: "Lecture 01", "Lab 3", "Q&A".
_SLOT_KIND = re.compile(r"(?:(?:invited |keynote |plenary |contributed |short )?(?:lecture|lab"
                        r"|talk|keynote|tutorial|session|seminar|workshop|practical|course)s?"
                        r"|q ?& ?a)(?: (?:\d{1,2}|[ivx]{1,4}|[a-z]))?\.?")
_QUOTE_PAIRS = {('"', '"'), ("'", "'"), ("“", "”"), ("‘", "’"), ("«", "»"), ("《", "》"),
                ("「", "」"), ("『", "』"), ("„", "“")}

def identity(block: Block) -> tuple[str | None, list[str], str | None, str | None]:
    """Title, speakers, affiliation and title link; an unlabelled lead fills in a missing one."""
    title, title_lines = block.text(TITLE), block.get(TITLE)
    names, affiliation, speaker_lines = _speakers(block.get(SPEAKER))
    extra = "; ".join(line.text for line in speaker_lines[1:]) or None
    if names and not title and block.loose \
            and not any(name in block.loose[0].text for name in names):
        # "Friday, Dec 8th, 3-430 pm<tab>Title" then "Speaker: ...": the words after the
        # time are the talk's title, not the heading above it.
        title_lines = block.loose[:1]
        title = title_lines[0].text
    item = numbered_item(block.lead[0].line.text) if block.lead else None
    if item and not title:  # "2.《创业期税务筹划与热点问题解读》" heads a numbered talk
        title_lines = block.detach_lead()[:1]
        title = item[1]
    if block.lead and names and not title:
        title_lines = _lead_title(block)
        title = functools.reduce(join_wrapped, (line.text for line in title_lines), "")
    elif title and not names and not item and (around := _speaker_around(block)):
        names, affiliation, extra = around
    if not title and not names and block.lead and block.lead[-1].line.linked \
            and block.lead[-1].line.tag not in HEADINGS:
        # A listing's linked title over its date ("[Title](/event/1923)", "February 5, ...")
        title_lines = block.detach_lead()[-1:]
        title = title_lines[0].text
    if not title and not names and block.loose:
        title_lines, names, affiliation, extra = _from_loose(block.loose)
        title = title_lines[0].text if title_lines else None
    if not title and not names and (person := _person_over_title(block)):
        names, affiliation, title_lines = person
        title = functools.reduce(join_wrapped, (line.text for line in title_lines), "")
    if not names and block.text(BIO):
        names = _bio_subject(block.text(BIO) or "")
    affiliation = block.text(AFFILIATION, "; ") or affiliation or extra
    title = unquoted(_BULLET.sub("", _cells_title(title))) if title else title
    if title and label_kind(title.strip(" :：")) == TITLE:
        title = None  # a schedule's unfilled row: "Title" under the "Title" column
    return title, names, affiliation, _first_link(title_lines)


def _speaker_around(block: Block) -> tuple[list[str], str | None, str | None] | None:
    """A titled talk's unlabelled speaker: the lead over it when that starts with a name (not
    a heading such as "Next seminars"), else the name on the line under its time
    ("January 29th, 2020, 11h00-12h00, room L382" then "Stefano Sarao Mannelli (IPhT, CEA
    Saclay)" over "Title: ..."). Names, affiliation and the lead's other lines."""
    if block.lead and starts_with_name(block.lead[0].line.text):
        lead = block.detach_lead()
        names, affiliation = split_speaker(lead[0].text)
        return names, affiliation, "; ".join(line.text for line in lead[1:]) or None
    if block.loose and starts_with_name(block.loose[0].text):
        return *split_speaker(block.loose[0].text), None
    return None


def _speakers(lines: list[Line]) -> tuple[list[str], str | None, list[Line]]:
    """Names, affiliation and the speaker lines left for more affiliation: one person a line
    ("Expert:" over "Wu Xinxun, Dean of ..." and "Cui Baoguo, ...") are the speakers,
    however long; a biography under "## Speaker" names its subject ("Jane Doe studied
    ..."); else the first line is the speaker. Affiliations in brackets are not prose: "Eva
    Miranda (Universitat Politècnica de Catalunya), Daniel Peralta-Salas (...)"."""
    if lines and all(map(person_with_affiliation, (line.text for line in lines[:2]))):
        people = [split_speaker(line.text) for line in lines]
        names = [name for found, _ in people for name in found]
        affiliation = "; ".join(re.sub(r"(?<=[a-z]{3})\.$", "", where)  # a sentence's stop
                                for _, where in people if where) or None
        return names, affiliation, lines[:1]
    if lines and len(_BRACKETS.sub(" ", lines[0].text).split()) > _PROSE_WORDS:
        return _bio_subject(lines[0].text), None, []
    return (*split_speaker(lines[0].text), lines) if lines else ([], None, [])


def _cells_title(title: str) -> str:
    """A programme row's cells after its time, parted by tabs ("Lecture 01<tab>Introduction
    to Bioconductor", "Lab 3<tab>End-to-end RNA-Seq workflow"): a first cell that only names
    the kind of slot is no part of the title; cells left are joined by a dash."""
    cells = [cell.strip() for cell in title.split("\t") if cell.strip()]
    if len(cells) > 1 and _SLOT_KIND.fullmatch(cells[0].casefold()):
        cells = cells[1:]
    return " – ".join(cells)


def _lead_title(block: Block) -> list[Line]:
    """The lead but the line the speaker was read from ("## Rich Knepper (CASC)" under a
    "# Keynote Speakers" heading), over the title ("### The changing shape of ...")."""
    kinds = [entry.kind for entry in block.lead]
    lines = block.detach_lead()
    lines = [line for line, kind in zip(lines, kinds, strict=True) if kind != SPEAKER] or lines
    heading = next((i for i, line in enumerate(lines) if line.tag in HEADINGS), 0)
    if all(line.linked for line in lines[:heading]):
        return lines[heading:]  # a breadcrumb's links over the page's heading: not the title
    return lines


def _person_over_title(block: Block) -> tuple[list[str], str | None, list[Line]] | None:
    """A lead of a person ("## Cristin Merritt (Alces Flight Ltd.)") over the talk's title
    ("### Finding the Fulcrum: ..."): the speaker, the affiliation and the title's lines."""
    if len(block.lead) < 2 or numbered_item(block.lead[0].line.text):
        return None
    first = block.lead[0].line.text
    if not looks_like_name(_BRACKETS.sub(" ", first).strip()):
        return None
    names, affiliation = split_speaker(first)
    return (names, affiliation, block.detach_lead()[1:]) if names else None


def _from_loose(loose: list[Line]) -> tuple[list[Line], list[str], str | None, str | None]:
    """A slot's unlabelled lines ("10:50-11:20 Title", then "Jane Doe (MIT)"): the title
    first and the speaker under it, unless the first reads as a person and the next not."""
    lines = _slot_lines(loose)
    if not lines:
        return [], [], None, None
    named = _NAME_DASH_TITLE.fullmatch(lines[0].text)  # "Keynote Dr. Jane Doe -- Title"
    if named and _person_like(named["who"]):
        names, affiliation = split_speaker(named["who"])
        return [Line(unquoted(named["title"]), lines[0].links, False, lines[0].number)], \
            names, affiliation, None
    told_after = _TITLE_THEN_WHO.fullmatch(lines[0].text)  # "Title (Jane Doe, MIT)"
    if told_after and _person_like(told_after["who"].split(",")[0]):
        names, affiliation = split_speaker(told_after["who"])
        return [Line(unquoted(told_after["title"]), lines[0].links, False, lines[0].number)], \
            names, affiliation, None
    by = _TITLE_BY.fullmatch(lines[0].text)  # "Sparse Transformers by Dr. Jane Doe"
    if by and _person_like(by["who"]):
        names, affiliation = split_speaker(by["who"])
        return [Line(unquoted(by["title"]), lines[0].links, False, lines[0].number)], names, \
            affiliation, None
    told = split_summary(lines[0].text)  # "Jane Doe (MIT), Sparse Transformers"
    if told is not None:
        names, affiliation = split_speaker(told[0])
        return [Line(unquoted(told[1]), lines[0].links, False, lines[0].number)], names, \
            affiliation, None
    people = [split_speaker(line.text) if _person_like(line.text) else ([], None)
              for line in lines]
    quoted = [line for line in lines if unquoted(line.text) != line.text.strip()]
    if len(quoted) == 1 and any(names for names, _ in people):
        # "Sala Conferenze, ...", "Anna Miriam Benini (Roma)", "“Permutable entire ...”":
        # the words in quotes are the title, whatever line comes first.
        found = [(names, affiliation, "(" in line.text)
                 for line, (names, affiliation) in zip(lines, people, strict=True) if names]
        names, affiliation, _ = max(found, key=lambda person: person[2])  # "Name (Affiliation)"
        return [Line(unquoted(quoted[0].text), quoted[0].links, False, quoted[0].number)], \
            names, affiliation, None
    if len(lines) > 1 and people[0][0] and (not people[1][0] or people[0][1] and "(" in
                                            lines[0].text and "(" not in lines[1].text):
        # "Nick Spong (NQCC)" over "Neutral Atom Quantum Computing: Progress, Challenges &
        # UK National Labs": the name with its affiliation in brackets is the speaker.
        names, affiliation = people[0]
        return [lines[1]], names, affiliation, None
    for names, affiliation in people[1:]:
        if names:
            return [lines[0]], names, affiliation, None
    extra = lines[1].text if len(lines) > 1 else None
    return [lines[0]], [], None, extra


def _slot_lines(loose: list[Line]) -> list[Line]:
    """A slot's first few lines; a heading after a table row's words starts another part of
    the page ("### Lecturers and Teaching Assistants" after "17:00 | Closing remarks")."""
    lines = [line for line in loose[:4] if len(line.text) <= 300]
    heading = next((i for i, line in enumerate(lines) if line.tag in HEADINGS), len(lines))
    return lines[:heading] if lines and lines[0].tag == "tr" else lines


def _person_like(text: str) -> bool:
    names, _ = split_speaker(text)
    return bool(names) and looks_like_name(names[0]) and len(text) <= 100


def _bio_subject(bio: str) -> list[str]:
    """A bio opens with its subject: "王昊奋，华东理工大学讲师" or "Jane Doe is a professor"."""
    match = _BIO_OPENING.match(bio)
    name = clean_name(match["name"]) if match else ""
    return [name] if name and looks_like_name(name) else []


def _fold_words(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def unquoted(text: str) -> str:
    """A title without the quotes around it: "…", “…”, «…», 《…》, 「…」; 'Seminar "…"' names
    the kind of talk before its quoted title."""
    text = _KIND_BEFORE_QUOTE.sub("", text.strip())
    while len(text) > 2 and (text[0], text[-1]) in _QUOTE_PAIRS:
        inner = text[1:-1].strip()
        if text[0] in inner or text[-1] in inner:
            break  # "A" and "B": the quotes are not around the whole
        text = inner
    return text


def not_a_talk(title: str | None, names: list[str]) -> bool:
    """A programme's other items: "Coffee break", "Lunch", "Reading week", "Welcome with
    coffee and tea", with nobody named to give them."""
    if names and title:
        return False
    words = _fold_words(title or " ".join(names))
    return bool(_NOT_A_TALK.fullmatch(words)) or (
        len(words.split()) <= 8 and bool(_PROGRAMME_WORDS.search(words)))


def _first_link(lines: list[Line]) -> str | None:
    return next((link for line in lines for link in line.links), None)


def repeats_earlier(talks: list[Talk], talk: Talk, block: Block) -> bool:
    """A programme's "Abstracts" part after its timetable: an entry with no day or clock of
    its own that names a talk timed above ("### Benchmarking ML applications" and its
    abstract) is that talk, so its abstract goes there and it is no talk of its own."""
    if any(block.fields.get(kind) for kind in ("date", "time")) or not talk.title:
        return False
    title = _fold_words(talk.title)
    for earlier in talks:
        known = _fold_words(earlier.title or "")
        if len(known) >= 12 and (title == known or title.endswith(" " + known)):
            if talk.abstract and not earlier.abstract:
                earlier.abstract = talk.abstract
            if talk.bio and not earlier.bio:
                earlier.bio = talk.bio
            return True
    return False
