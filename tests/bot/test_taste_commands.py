"""/papers vote, recommend, similar; /subscribe recommended and like:; /settings
digest-size: real store and registry, several members."""

from __future__ import annotations

from datetime import timedelta

import pytest

from adapters.text import to_text
from bot.chat import ChannelRef, Invocation, Reply, UserRef
from bot.commands import build_registry
from bot.commands.context import BotContext, NoHooks
from bot.settings import Settings
from bot.taste import learn
from tests.conftest import NOW
from tests.tasteworld import mixed_day, topic_paper

CHANNEL = "console:ml"


class FetchingHooks(NoHooks):
    """Hooks whose arXiv fetch stores what `world` holds (the real one: tests/jobs)."""

    def __init__(self, store, world) -> None:
        self.store, self.world, self.asked = store, world, []

    async def fetch_papers(self, paper_ids):
        self.asked.append(paper_ids)
        self.store.upsert_papers([p for p in self.world if p.id in paper_ids], NOW)


@pytest.fixture
def hooks(store):
    return FetchingHooks(store, [topic_paper("liked", 90, NOW)])


@pytest.fixture
def registry(store, clock, hooks):
    return build_registry(BotContext(store=store, clock=clock, settings=Settings(),
                                     hooks=hooks))


@pytest.fixture
def papers(store):
    stored = mixed_day(NOW - timedelta(days=1), 0, 12)
    store.upsert_papers(stored, NOW - timedelta(days=1))
    return stored


async def say(registry, line: str, *, user: str = "ana", manager: bool = True) -> Reply:
    command, _, args = line[1:].partition(" ")
    return await registry.dispatch(Invocation(command, args, ChannelRef("console", "ml"),
                                              UserRef(user, user.title()), manager))


async def test_one_vote_per_member_per_paper_changed_by_voting_again(registry, store, papers):
    paper = papers[1].id
    first = await say(registry, f"/papers vote {paper} up")
    assert first.ephemeral and not first.refused  # never posted to the channel
    assert "1 👍, 0 👎" in to_text(first.message)
    again = await say(registry, f"/papers vote {paper} down")
    assert "0 👍, 1 👎" in to_text(again.message)
    await say(registry, f"/papers vote {paper} up", user="bo")
    tally = store.votes.tally(CHANNEL)[paper]
    assert (tally.up, tally.down) == (1, 1)


async def test_a_vote_takes_an_arxiv_id_as_people_paste_it(registry, store, papers):
    bare = papers[1].id.removeprefix("arxiv:")
    await say(registry, f"/papers vote {bare}v3 up")
    assert list(store.votes.tally(CHANNEL)) == [papers[1].id]


@pytest.mark.parametrize(("line", "said"), [
    ("/papers vote arxiv:9999.99999 up", "no paper arxiv:9999.99999 is stored here"),
    ("/papers vote arxiv:2611.00001 sideways", "not one of up, down"),
    ("/papers vote", "say which paper"),
])
async def test_a_wrong_vote_gets_one_line_saying_what_to_type(registry, store, papers,
                                                               line, said):
    reply = await say(registry, line)
    text = to_text(reply.message)
    assert reply.refused and said in text and "\n" not in text.strip()
    assert store.votes.tally(CHANNEL) == {}


async def test_recommended_is_a_setting_of_the_channel_not_a_topic(registry, store):
    reply = await say(registry, "/subscribe recommended per-day 5")
    assert not reply.refused and "up to 5 papers a day" in to_text(reply.message)
    assert store.get_channel(CHANNEL).recommend_per_day == 5
    assert store.list_subscriptions(CHANNEL) == []
    await say(registry, "/subscribe recommended off")
    assert store.get_channel(CHANNEL).recommend_per_day is None
    await say(registry, "/subscribe recommended systems")  # a topic like any other
    assert [s.query for s in store.list_subscriptions(CHANNEL)] == ["recommended systems"]
    refused = await say(registry, "/subscribe recommended per-day 99")
    assert refused.refused and "1 to 20" in to_text(refused.message)
    member = await say(registry, "/subscribe recommended", manager=False)
    assert member.refused and store.get_channel(CHANNEL).recommend_per_day is None


async def test_like_seeds_the_taste_fetching_papers_not_stored(registry, store, papers, hooks):
    stored, missing = papers[1].id, topic_paper("liked", 90, NOW).id
    reply = await say(registry, f"/subscribe like:{stored} like:{missing} like:arxiv:0000.0001")
    assert hooks.asked == [[missing, "arxiv:0000.0001"]]
    assert set(store.votes.tally(CHANNEL)) == {stored, missing}
    text = to_text(reply.message)
    assert "2 example papers liked" in text and "Not found on arXiv: 0000.0001" in text
    assert store.list_subscriptions(CHANNEL) == []
    refused = await say(registry, "/subscribe like:doi:10.1/x")
    assert refused.refused and "not an arXiv id" in to_text(refused.message)


async def test_digest_size_is_a_channel_setting(registry, store):
    reply = await say(registry, "/settings digest-size 7")
    assert not reply.ephemeral and "7 papers a list" in to_text(reply.message)
    assert store.get_channel(CHANNEL).digest_size == 7
    refused = await say(registry, "/settings digest-size 0")
    assert refused.refused and store.get_channel(CHANNEL).digest_size == 7


async def test_recommend_needs_votes_then_names_the_liked_paper(registry, store, papers,
                                                                clock):
    before = await say(registry, "/papers recommend")
    assert "not learned yet" in to_text(before.message)
    liked = [p for p in papers if p.id < "arxiv:2611.5"]
    for paper in liked[:4]:
        await say(registry, f"/papers vote {paper.id} up")
    for paper in [p for p in papers if p not in liked][:4]:
        await say(registry, f"/papers vote {paper.id} down")
    assert learn(store, CHANNEL, clock.now())
    store.upsert_papers(mixed_day(NOW, 40, 3), NOW)
    text = to_text((await say(registry, "/papers recommend 2")).message)
    first = text.split(" 2. ")[0].split("\n", 1)[1]
    assert "Protein" in first or "Folding" in first or "Residue" in first, text
    assert "recommended: like *" in first and "* that one of you liked" in first


async def test_similar_lists_papers_of_the_same_topic_first(registry, papers):
    text = to_text((await say(registry, f"/papers similar {papers[1].id}")).message)
    lines = [line for line in text.split("\n") if line[:3].strip().rstrip(".").isdigit()]
    assert len(lines) == 5
    assert all(any(w in line.lower() for w in ("protein", "folding", "residue", "side-chain",
                                                "binding", "enzyme", "structure", "cryo"))
               for line in lines[:3]), text


async def test_a_list_says_when_it_was_chosen_from_the_newest_papers_only(registry, papers,
                                                                          monkeypatch):
    from bot.commands import taste as commands
    whole = to_text((await say(registry, f"/papers similar {papers[1].id}")).message)
    assert whole.split("\n")[0].endswith(", from the last year")
    monkeypatch.setattr(commands, "CANDIDATES", 6)  # of the 12 stored
    cut = to_text((await say(registry, f"/papers similar {papers[1].id}")).message)
    assert cut.split("\n")[0].endswith(", from the newest 6 papers of the last year"), cut
