"""Round 5 of attacks, queries as phones, input methods and pastes spell them: smart
quotes (“a b”, „a b“, «a b», 「a b」) are phrases, not words; fullwidth brackets, bar and
ＯＲ from a Chinese or Japanese input method are the language's own; characters a copied
word carries unseen (zero-width space, soft hyphen, direction marks) are not part of it.
Each is checked through the commands and the matcher a subscription uses."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.chat import ChannelRef, Invocation, UserRef
from bot.commands import build_registry
from bot.commands.context import BotContext
from bot.matching import MatchDoc, compile_topic
from bot.models import Paper, QueryError
from bot.settings import Settings
from bot.topics import parse_query
from tests.conftest import NOW
from tests.reliability.commandworld import ReadingHooks, refused_briefly

PHRASE = Paper(id="arxiv:2611.00001", title="Score matching for diffusion models",
               source="arxiv", abstract="We study denoising.", authors=["Jane Doe"],
               categories=["cs.LG"], published=NOW - timedelta(days=1))
SCATTERED = Paper(id="arxiv:2611.00002", title="Models of score flows and matching games",
                  source="arxiv", abstract="Diffusion aside.", authors=["John Roe"],
                  categories=["cs.GT"], published=NOW - timedelta(days=2))


@pytest.fixture
def registry(store, clock):
    store.upsert_papers([PHRASE, SCATTERED], NOW)
    return build_registry(BotContext(store=store, clock=clock, settings=Settings(),
                                     hooks=ReadingHooks()))


async def say(registry, line: str):
    command, _, args = line[1:].partition(" ")
    return await registry.dispatch(Invocation(command, args, ChannelRef("slack", "C1"),
                                              UserRef("U1", "U1"), True))


def matched(query: str, paper: Paper) -> bool:
    return compile_topic(parse_query(query)).match(MatchDoc.from_paper(paper)) is not None


@pytest.mark.parametrize("query", ['"score matching"', "“score matching”", "„score matching“",
                                   "«score matching»", "「score matching」", '"score matching”',
                                   "author:“Jane Doe”", "author:„jane doe“"])
def test_smart_quotes_make_a_phrase(query):
    assert matched(query, PHRASE)
    assert not matched(query, SCATTERED)  # as two words, both matched


@pytest.mark.parametrize("query", ["“score matching”", "«score matching»"])
async def test_a_smart_quoted_search_finds_the_phrase_only(registry, query):
    reply = await say(registry, f"/papers search {query}")
    assert not reply.refused, reply.message.text
    assert PHRASE.title in reply.message.text and SCATTERED.title not in reply.message.text


@pytest.mark.parametrize("query, paper, expected", [
    ("dif\u200bfusion", PHRASE, True), ("diffusion\u200d", PHRASE, True),
    ("dif\u00adfusion", PHRASE, True), ("\u200fdiffusion\u200e", PHRASE, True),
    ("\u202ediffusion\u202c", PHRASE, True), ("\ufeffscore", PHRASE, True),
    ("（games OR denoising） flows", PHRASE, False), ("（games OR denoising） flows", SCATTERED,
                                                      True),
    ("games ＯＲ denoising", PHRASE, True), ("games ｜ denoising", PHRASE, True),
    ("diffusion ＮＯＴ games", SCATTERED, False), ("diffusion －games", PHRASE, True),
    ("diffusion \u2212games", SCATTERED, False)])
def test_what_an_input_method_or_a_paste_adds_is_read_as_meant(query, paper, expected):
    assert matched(query, paper) is expected


async def test_a_subscription_says_back_the_phrase_it_follows(registry):
    reply = await say(registry, "/subscribe “score matching”")
    assert not reply.refused, reply.message.text
    assert '"score matching"' in reply.message.text


@pytest.mark.parametrize("query", ["“", "author:“", "「」", "\u200b", "（）", "ＯＲ"])
async def test_a_query_of_marks_alone_is_refused_on_one_line(registry, query):
    with pytest.raises(QueryError):
        parse_query(query)
    refused_briefly(await say(registry, f"/subscribe {query}"))


def test_an_unclosed_smart_quote_runs_to_the_end():
    assert parse_query("“score matching").text == "score matching"
