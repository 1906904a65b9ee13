"""The order of SubscriptionIndex.matching's answers: not meaningful, but the same from run
to run and from one build of the index to the next, because Subscribers.matches credits a
channel with its first matching subscription. The order is that of the keys an item shows
(its tokens sorted, then its word pairs sorted), the ORs that show two words after the rest;
the expected lists below are what the index gave before its keys were numbered."""

from __future__ import annotations

from bot.matchindex import SubscriptionIndex
from bot.matching import MatchDoc, compile_topic
from bot.models import Paper
from bot.topics import parse_query


def answers(queries: list[str], title: str, abstract: str = "") -> list:
    index = SubscriptionIndex([(n, compile_topic(parse_query(q))) for n, q in enumerate(queries)])
    return index.matching(MatchDoc.from_paper(Paper(id="x:1", title=title, source="x",
                                                    abstract=abstract)))


def test_answers_come_in_the_order_of_the_keys_tokens_then_pairs():
    # not the order of the queries, nor of the words in the item
    assert answers(["zebra", "aardvark", '"score matching"', "mango", "zebra"],
                   "Zebra aardvark mango", "score matching") == [
        (1, ("aardvark",)), (3, ("mango",)), (0, ("zebra",)), (4, ("zebra",)),
        (2, ('"score matching"',))]


def test_an_or_that_shows_two_words_comes_after_the_answers_made_in_advance():
    assert answers(["coral OR reef", "atoll OR lagoon", "reef", "lagoon -coral"],
                   "Coral reef atoll") == [
        (2, ("reef",)), (1, ("atoll",)), (0, ("coral", "reef"))]
    assert answers(["coral OR reef", "atoll OR lagoon", "reef", "lagoon -coral", "atoll reef",
                    "title:reef"], "Atoll lagoon reef", "coral") == [
        (2, ("reef",)), (1, ("atoll", "lagoon")), (0, ("coral", "reef")), (4, ("atoll", "reef")),
        (5, ("title:reef",))]
