"""Hugo event pages and posts of one research network a fourth outsider found on GitHub (more in
test_talk_outsider4.py): each document here is cut down from a real one, named above it."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.jobs.sources.talk_helpers import local, read

# marcolenci/dai-dinamici.github.io content/dai-seminars (commit 4c2ab8f2): Hugo event pages,
# TOML front matter. eva-miranda-...md: two speakers, each with an affiliation in brackets;
# seminar-by-marta-maggioni-...-postponed-to-july-1.md: the slot of a postponed talk.
TWO_SPEAKERS = """\
+++
end = "2021-04-08 17:00:00"
seminar = "Looking at Euler flows through a contact mirror: Universality and Turing completeness"
speaker = "Eva Miranda and Daniel Peralta-Salas"
start = "2021-04-08 16:00:00"
+++
*Speakers:* **Eva Miranda** (Universitat Politècnica de Catalunya),
**Daniel Peralta-Salas** (Instituto de Ciencias Matemáticas, Spain)

*Title:* ***Looking at Euler flows through a contact mirror: Universality
and Turing completeness***
"""
POSTPONED = """\
+++
end = "2020-06-10 18:00:00"
start = "2020-06-10 17:00:00"
title = "Seminar by Marta Maggioni postponed to July 1"
speaker = "Marta Maggioni"
affiliation = "Universiteit Leiden, Netherlands"
seminar = "postponed to July 1 (#ShutDownSTEM, #Strike4BlackLives)"
+++
In agreement with our speaker Marta Maggioni, we have decided to reschedule her talk to July 1st.
"""


def test_speakers_with_bracketed_affiliations_are_not_a_biography() -> None:
    [talk] = read(TWO_SPEAKERS, "Europe/Rome", datetime(2021, 4, 1, tzinfo=UTC)).talks
    assert talk.speakers == ["Eva Miranda", "Daniel Peralta-Salas"]
    assert local(talk, "Europe/Rome") == "2021-04-08 16:00-17:00"


def test_a_postponed_talk_does_not_take_place_at_its_old_time() -> None:
    [talk] = read(POSTPONED, "Europe/Rome", datetime(2020, 6, 1, tzinfo=UTC)).talks
    assert (talk.status, local(talk, "Europe/Rome")) == ("cancelled", "2020-06-10 17:00-18:00")


# The same site, content/posts/cellarosis-seminar-in-bologna-july-22-2015.md: "When / Where /
# Who / What" labels, the title quoted after the kind of talk.
WHO_WHAT = """\
+++
date = "2015-07-10 10:00:00"
title = "Cellarosi's seminar in Bologna, July 22, 2015"
+++

When: Wednesday July 22, 2015, at 11:30

Where: Seminario I, Dept. of Mathematics, Università di Bologna

Who: Francesco Cellarosi (Queen's University, Canada)

What: Seminar "Recent progress towards Sarnak’s and Chowla’s
Conjectures"
"""


def test_who_and_what_label_the_speaker_and_the_title() -> None:
    [talk] = read(WHO_WHAT, "Europe/Rome", datetime(2015, 7, 1, tzinfo=UTC)).talks
    assert talk.title == "Recent progress towards Sarnak’s and Chowla’s Conjectures"
    assert (talk.speakers, talk.affiliation) == (["Francesco Cellarosi"],
                                                 "Queen's University, Canada")
    assert local(talk, "Europe/Rome") == "2015-07-22 11:30"


# The same site, content/posts/seminar-in-pisa-anna-miriam-benini.md: no labels but the
# abstract's; the day, the room, the speaker and the title in quotes, one a line.
UNLABELLED = """\
+++
date = "2016-01-20 10:00:00"
title = "Seminar in Pisa: Anna Miriam Benini"
+++

Wednesday 27th January 2016, h 15:00

Sala Conferenze, Collegio Puteano, Centro De Giorgi, Pisa

Anna Miriam Benini (University of Roma Tor Vergata)

“Permutable entire functions and multiply connnected wandering domains”

Abstract: Let f and g be permutable transcendental entire functions.
"""


def test_the_line_in_quotes_is_the_title_and_the_person_with_an_affiliation_speaks() -> None:
    [talk] = read(UNLABELLED, "Europe/Rome", datetime(2016, 1, 20, tzinfo=UTC)).talks
    assert talk.title == "Permutable entire functions and multiply connnected wandering domains"
    assert (talk.speakers, talk.affiliation) == (["Anna Miriam Benini"],
                                                 "University of Roma Tor Vergata")
    assert local(talk, "Europe/Rome") == "2016-01-27 15:00"


# durham-qlm/durham-qlm.github.io events/seminars/abstracts/2025 Michaelmas/Nick Spong.md
# (commit e313e6b2): the talk's day, time and room in the page's subtitle; the speaker and
# the title as headings over the abstract.
SUBTITLE = """\
---
layout: page
title: QLM seminars, Michaelmas term
subtitle: 12/11/2025, 12pm-1pm, OCW017
---

## Nick Spong (NQCC)

## Neutral Atom Quantum Computing: Progress, Challenges & UK National Labs

Within the UK and beyond, resource is being devoted to quantum research and industry [1].
"""


def test_a_subtitle_giving_a_day_and_a_time_dates_the_talk_the_page_is() -> None:
    [talk] = read(SUBTITLE, "Europe/London", datetime(2025, 10, 1, tzinfo=UTC)).talks
    assert talk.title == "Neutral Atom Quantum Computing: Progress, Challenges & UK National Labs"
    assert (talk.speakers, talk.affiliation) == (["Nick Spong"], "NQCC")
    assert local(talk, "Europe/London") == "2025-11-12 12:00-13:00"
