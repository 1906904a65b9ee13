"""Lists without a taste model put first the papers whose title names what matched them
(bot.taste.strength)."""

from __future__ import annotations

import pytest

from bot.models import Paper
from bot.taste import strength

TITLE = "A User Study of Robotic Navigation Interfaces"


@pytest.mark.parametrize(("matched", "count"), [
    ("robotic", 1),  # a word, stemmed as search stems it
    ('"user study"', 1),  # a phrase, its words side by side
    ('"study user"', 0),  # the same words, not side by side
    ("navigation, interfaces, robot", 3),
    ('title:"user study", author:navigation', 1),  # fields: only title: is the title's
    ("cat:cs.RO", 0),
    ("participants", 0),
    ("", 0),
    (None, 0),
])
def test_the_words_that_matched_found_in_the_title(matched, count):
    paper = Paper(id="arxiv:1", title=TITLE, source="s", abstract="robot participants")
    assert strength(paper, matched)[0] == count


def test_more_words_matched_count_next():
    paper = Paper(id="arxiv:1", title=TITLE, source="s")
    assert strength(paper, "robotic, participants, cat:cs.RO") == (1, 3)
    assert strength(paper, "participants") < strength(paper, "participants, cat:cs.RO") \
        < strength(paper, "robotic")
