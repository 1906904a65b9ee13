"""SubscriptionIndex's shortcuts: an AND tried only on items that show two of its tokens,
an OR of words and two-word phrases answered from the keys an item shows; the answers
stay those of matching topic by topic (tests/bot/test_matching.py checks that at large)."""

from __future__ import annotations

from bot.matchindex import SubscriptionIndex
from bot.matching import MatchDoc, compile_topic
from bot.models import Paper
from bot.topics import parse_query


def doc(title: str, abstract: str = "", *, authors=(), categories=()) -> MatchDoc:
    return MatchDoc.from_paper(Paper(id="x:1", title=title, source="x", abstract=abstract,
                                     authors=list(authors), categories=list(categories)))


def index_of(*queries: str) -> SubscriptionIndex:
    return SubscriptionIndex([(n, compile_topic(parse_query(q))) for n, q in enumerate(queries)])


def tried(index: SubscriptionIndex, item: MatchDoc) -> list[str]:
    return [str(topic.query) for topic in index.candidates(item)]


def test_an_and_is_tried_only_where_two_of_its_tokens_are():
    index = index_of("tokamak plasma", "cat:cs.LG tokamak", "author:Chen tokamak")
    assert tried(index, doc("Tokamak design")) == []  # the rare word alone: no candidate
    assert tried(index, doc("Tokamak plasma control")) == [str(index._topics[0].query)]
    assert index.matching(doc("Tokamak plasma control")) == [(0, ("tokamak", "plasma"))]
    shows_chen = doc("Tokamak", authors=["Mei Chen"], categories=["cs.CV"])
    assert index.matching(shows_chen) == [(2, ("author:Chen", "tokamak"))]
    # cs and lg shown, but not as the category cs.LG: tried, and the test says no
    near = doc("Tokamak", "cs lg", categories=["cs.CV"])
    assert str(index._topics[1].query) in tried(index, near)
    assert index.matching(near) == []


def test_an_and_with_an_exclusion_or_an_or_inside_is_still_answered():
    index = index_of("tokamak -stellarator", "tokamak (plasma OR fusion)")
    assert sorted(index.matching(doc("Tokamak fusion"))) == [
        (0, ("tokamak",)), (1, ("tokamak", "fusion"))]
    assert index.matching(doc("Tokamak and stellarator")) == []


ORS = ['zebrafish OR "score matching" OR coral OR zebrafish', "coral OR reef",
       "Coral OR coral OR atoll"]


def one_by_one(item: MatchDoc) -> list[tuple[int, tuple[str, ...]]]:
    return sorted((n, tuple(found)) for n, q in enumerate(ORS)
                  if (found := compile_topic(parse_query(q)).match(item)) is not None)


def test_an_or_names_the_words_shown_in_the_order_written_each_once():
    index = index_of(*ORS)
    item = doc("Coral reefs", "Score matching for zebrafish and coral")
    assert sorted(index.matching(item)) == one_by_one(item) == [
        (0, ("zebrafish", '"score matching"', "coral")), (1, ("coral", "reef")),
        (2, ("Coral", "coral"))]
    one_word = doc("Atolls of the Pacific", "Reef surveys")
    assert sorted(index.matching(one_word)) == one_by_one(one_word) == [
        (1, ("reef",)), (2, ("atoll",))]
    assert index.matching(doc("Matching scores")) == []  # the words, not side by side


DECIDED = ["tokamak plasma", "tokamak -stellarator", '"score matching" tokamak',
           "tokamak -stellarator -wendelstein", "plasma tokamak -stellarator"]
STILL_TESTED = ['tokamak -"magnetic confinement"', "tokamak plasma physics",
                "title:tokamak plasma"]
ITEMS = [doc("Tokamak plasma"), doc("Tokamak", "a stellarator plasma"),
         doc("Score matching in a tokamak"), doc("Matching scores in a tokamak"),
         doc("Tokamak plasma", "Wendelstein"), doc("Plasma physics", "tokamak"),
         doc("Tokamak", "magnetic confinement"), doc("Tokamak", "confinement magnetic")]


def test_an_and_its_keys_decide_is_answered_where_it_matches_and_only_there():
    queries = DECIDED + STILL_TESTED
    index = index_of(*queries)
    for item in ITEMS:
        expected = sorted((n, tuple(found)) for n, q in enumerate(queries)
                          if (found := compile_topic(parse_query(q)).match(item)) is not None)
        assert sorted(index.matching(item)) == expected, item
        # what such an AND is a candidate for is exactly what it matches
        decided = {str(index._topics[n].query) for n, _ in expected if n < len(DECIDED)}
        assert decided == {q for q in tried(index, item)
                           if q in {str(t.query) for t in index._topics[:len(DECIDED)]}}
