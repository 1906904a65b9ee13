"""Topic matching in Python: the same answers as the store's search, and a fast index that
never misses what topic-by-topic matching finds."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.fulltext import tokens
from bot.matchindex import SubscriptionIndex, token_frequencies
from bot.matching import MatchDoc, compile_topic
from bot.models import And, Not, Or, Paper, QueryError, Talk, Term, talk_id
from bot.topics import parse_query
from tests.conftest import NOW


def paper(title: str, abstract: str = "", *, authors=(), categories=(), source="arxiv",
          pid: str = "arxiv:1") -> Paper:
    return Paper(id=pid, title=title, source=source, abstract=abstract, authors=list(authors),
                 categories=list(categories), published=NOW)


def talk(title: str, *, speakers=(), series=None, abstract=None, affiliation=None,
         source="dept", key="k1") -> Talk:
    return Talk(key=key, title=title, source=source, start=NOW + timedelta(days=7),
                speakers=list(speakers), series=series, abstract=abstract,
                affiliation=affiliation)


def match(query: str, doc: MatchDoc) -> list[str] | None:
    return compile_topic(parse_query(query)).match(doc)


PRUNE = MatchDoc.from_paper(paper(
    "Prune Early, Prune Often: Transformers for Score Matching",
    "We study structured sparsity in large language models.",
    authors=["Geoffrey Hinton", "Mei Chen"], categories=["cs.LG", "stat.ML"]))


@pytest.mark.parametrize(("query", "hit"), [
    ("pruning", True), ("PRUNED", True), ("prune", True),  # inflection and case
    ("transformer", True), ("Transformers", True), ("model", True), ("modelling", True),
    ('"score matching"', True), ('"matching score"', False),  # a phrase keeps its order
    ('"language models"', True), ('"large models"', False),
    ("diffusion", False), ("diffusion OR sparsity", True), ("(diffusion OR flow) prune", False),
    ("prune -video", True), ("prune -sparsity", False), ("prune NOT sparsities", False),
    ("prune (sparsity OR video) -diffusion", True),
    ('prune -"score matching"', False), ('prune -"matching score"', True),  # -"a phrase"
    ("author:hinton", True), ('author:"mei chen"', True), ("author:prune", False),
    ("by:chen", True), ("speaker:hinton", False),  # papers have no speakers (storage.fts)
    ("cat:cs.LG", True), ("cat:CS.lg", True), ("cat:cs", True), ("cat:stat", True),
    ("cat:cs.CV", False), ("cat:math", False),
    ("title:prune", True), ("title:sparsity", False), ('title:"score matching"', True),
    ("source:arxiv", True), ("source:journal", False), ("series:colloquium", False),
    ("hinton", True),  # an unfielded word searches every column, authors too
])
def test_paper_queries(query, hit):
    assert (match(query, PRUNE) is not None) == hit


CRYO = MatchDoc.from_paper(paper("冷冻电镜原理及相关算法", "单颗粒分析与⽣物大分子（ＧＰＵ加速）",
                                 authors=["王宇航"], source="journal"))


@pytest.mark.parametrize(("query", "hit"), [
    ("冷冻电镜", True), ("电镜", True), ("原理", True), ("镜电", False), ("电镜算法", False),
    ("生物", True),  # the text has ⽣ (U+2F63, a compatibility ideograph): NFKC folds it
    ("⽣物", True), ("gpu", True), ("ＧＰＵ", True), ("author:王宇航", True), ("author:宇", True),
    ("source:journal", True), ("title:分析", False), ("分析", True),
])
def test_chinese_and_compatibility_characters(query, hit):
    assert (match(query, CRYO) is not None) == hit


def test_latin_diacritics_fold_both_ways():
    doc = MatchDoc.from_paper(paper("Naïve Bayes à la Müller", authors=["José Núñez"]))
    assert match("naive", doc) and match("NAÏVE", doc) and match("muller", doc)
    assert match("author:jose", doc) and match('author:"Jose Nunez"', doc)


SEMINAR = MatchDoc.from_talk(talk(
    "Cryo-EM at Atomic Resolution", speakers=["Sjors Scheres"], series="Structural Biology "
    "Colloquium", abstract="Single particle analysis.", affiliation="MRC LMB"))


@pytest.mark.parametrize(("query", "hit"), [
    ("speaker:scheres", True), ("author:scheres", True), ("speaker:resolution", False),
    ("series:colloquium", True), ('series:"structural biology"', True),
    ('series:"biology structural"', False), ("series:cryo", False),
    ("cryo-em", True), ('"cryo em"', True), ("particles", True), ("lmb", True),
    ("colloquium", True),  # unfielded words search every talk column, as the store does
    ("title:atomic", True), ("title:particle", False), ("source:dept", True),
    ("cat:cs.LG", False),  # talks have no categories
])
def test_talk_queries(query, hit):
    assert (match(query, SEMINAR) is not None) == hit


def test_a_talk_without_a_title_is_stored_and_matched_as_tba():
    assert match("title:tba", MatchDoc.from_talk(talk("  "))) == ["title:tba"]


def test_matched_terms_are_the_users_words_in_query_order():
    query = "Transformers author:Hinton cat:cs.LG -diffusion"
    assert match(query, PRUNE) == ["Transformers", "author:Hinton", "cat:cs.LG"]
    assert match('"score matching" OR video OR pruning', PRUNE) == [
        '"score matching"', "pruning"]  # every branch that matched, not the first only
    assert match("(prune OR sparsity) prune", PRUNE) == ["prune", "sparsity"]  # once each
    assert match('author:"Mei Chen" (flow OR models)', PRUNE) == ['author:"Mei Chen"',
                                                                  "models"]


@pytest.mark.parametrize("query", ["-video", "NOT video", "diffusion OR -video",
                                   "prune -(flow OR -video)"])
def test_queries_the_search_refuses_are_refused(store, query):
    with pytest.raises(QueryError):
        store.search(parse_query(query))
    with pytest.raises(QueryError):
        compile_topic(parse_query(query))


def test_a_term_with_nothing_searchable_matches_nothing():
    assert match("prune _", PRUNE) is None
    assert match("prune OR _", PRUNE) == ["prune"]
    assert match("prune -_", PRUNE) == ["prune"]


# -- The same answers as the store's full-text search ------------------------------------

STORED = [
    paper("Prune Early, Prune Often", "Structured sparsity for language models.",
          authors=["Mei Chen"], categories=["cs.LG"], pid="arxiv:2611.10001"),
    paper("A Transformer for Proteins", "Attention over residues; state-of-the-art folding.",
          authors=["Omar Haddad", "Geoffrey Hinton"], categories=["q-bio.BM", "cs.LG"],
          pid="arxiv:2611.10002"),
    paper("冷冻电镜原理及相关算法", "单颗粒冷冻电镜分析技术的原理与应用，⽣物大分子",
          authors=["王宇航"], source="journal", pid="doi:10.1000/cryo"),
    paper("Diffusion for Video", "Video diffusion models with learned transformers.",
          authors=["Li Wei"], categories=["cs.CV"], source="hf-daily", pid="arxiv:2611.10004"),
    paper("Naïve Bayes, Revisited", "Methodology for possibly tiny analogies; revving up "
          "deep learning learning rates.",
          authors=["José Müller"], categories=["stat.ML"], pid="arxiv:2611.10005"),
]
QUERIES = [
    "pruning", "PRUNED", "transformers", "冷冻电镜", "电镜", "生物", "author:hinton",
    'author:"Mei Chen"', "cat:cs.CV", "cat:cs", "cat:lg", "source:journal", "source:arxiv",
    "diffusion -video", "transformer -video", "prune OR proteins", '"language models"',
    '"models language"', "(video OR proteins) transformer -diffusion", "title:diffusion",
    "naive", "author:muller", "methodologies", "possible", "analogy", "revved",
    "state-of-the-art", "arxiv", "speaker:hinton", "cs", "lg -prune", '"deep learning rates"',
    '"learning learning"',
]


def test_matching_agrees_with_the_store_search(store):
    store.upsert_papers(STORED, NOW)
    docs = {p.id: MatchDoc.from_paper(p) for p in STORED}
    for text in QUERIES:
        searched = sorted(hit.id for hit in store.search(parse_query(text), limit=50))
        topic = compile_topic(parse_query(text))
        matched = sorted(pid for pid, doc in docs.items() if topic.match(doc) is not None)
        assert matched == searched, text


def test_talk_matching_agrees_with_the_store_search(store):
    talks = [talk("Cryo-EM at Atomic Resolution", speakers=["Sjors Scheres"], key="a",
                  series="Structural Biology Colloquium", affiliation="MRC LMB"),
             talk("", speakers=["Ada Lovelace", "Alan Turing"], key="b", series="Logic Lunch",
                  abstract="Machines that think, 思考的机器")]
    store.upsert_talks("dept", talks, NOW)
    docs = {talk_id("dept", t.key): MatchDoc.from_talk(t) for t in talks}
    for text in ["speaker:scheres", "author:turing", "series:lunch", "series:colloquium",
                 "tba", "title:tba", "lmb", "think", "思考", "source:dept", "cat:cs",
                 '"ada lovelace"', '"lovelace alan"', "machine -turing", "colloquium"]:
        searched = sorted(h.id for h in store.search(parse_query(text), limit=50, kind="talks"))
        topic = compile_topic(parse_query(text))
        matched = sorted(tid for tid, doc in docs.items() if topic.match(doc) is not None)
        assert matched == searched, text


# -- The index finds exactly what topic-by-topic matching finds --------------------------

WORDS = ["alpha", "alphas", "beta", "gamma", "delta", "chen", "lg", "cs"]
FIELDS = [None, None, None, "title", "author", "speaker", "cat", "series", "source"]
terms = st.builds(lambda words, field, phrase: Term(" ".join(words), field, phrase or
                                                    len(words) > 1),
                  st.lists(st.sampled_from(WORDS), min_size=1, max_size=3),
                  st.sampled_from(FIELDS), st.booleans())
queries = st.recursive(terms, lambda inner: st.one_of(
    st.builds(lambda c: And(tuple(c)), st.lists(st.one_of(inner, inner.map(Not)),
                                                min_size=2, max_size=3)),
    st.builds(lambda c: Or(tuple(c)), st.lists(inner, min_size=2, max_size=3))),
    max_leaves=6)
texts = st.lists(st.sampled_from(WORDS), max_size=8).map(" ".join)
names = st.lists(st.sampled_from(["Mei Chen", "Alpha Beta", "Li"]), max_size=2)
items = st.one_of(
    st.builds(lambda t, a, au, c: paper(t, a, authors=au, categories=c), texts, texts, names,
              st.lists(st.sampled_from(["cs.LG", "stat.ML", "cs.CV"]), max_size=2)),
    st.builds(lambda t, s, sp: talk(t, series=s, speakers=sp), texts, texts, names))


def compiled(query):
    try:
        return compile_topic(query)
    except QueryError:
        return None


def columns(item: Paper | Talk) -> dict[str | None, list[list[str]]]:
    """Field -> token lists, straight from storage's FTS columns (storage.papers, talks)."""
    if isinstance(item, Paper):
        found = {"title": tokens(item.title), "abstract": tokens(item.abstract),
                 "author": tokens(", ".join(item.authors)),
                 "cat": tokens(" ".join(dict.fromkeys(item.categories)), indexed=False),
                 "source": tokens(item.source, indexed=False)}
    else:
        found = {"title": tokens(item.title.strip() or "TBA"),
                 "author": tokens(", ".join(item.speakers)), "series": tokens(item.series or ""),
                 "source": tokens(item.source, indexed=False)}
        found["speaker"] = found["author"]
    return {None: list(found.values()), **{field: [run] for field, run in found.items()}}


def reference(query, fields) -> bool:
    """A plain evaluator of the query, as FTS5 answers it: the semantics to meet."""
    if isinstance(query, Term):
        run = tokens(query.text)
        return bool(run) and any(run == column[i:i + len(run)]
                                 for column in fields.get(query.field, [])
                                 for i in range(len(column)))
    if isinstance(query, Or):
        return any(reference(child, fields) for child in query.children)
    wanted = [c for c in query.children if not isinstance(c, Not)]
    excluded = [c.child for c in query.children if isinstance(c, Not)]
    return (all(reference(c, fields) for c in wanted)
            and not any(reference(c, fields) for c in excluded))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(queries, min_size=1, max_size=12), st.lists(items, min_size=1, max_size=4),
       st.booleans())
def test_the_index_finds_what_brute_force_finds(query_list, items_, with_frequencies):
    topics = [(n, t) for n, q in enumerate(query_list) if (t := compiled(q)) is not None]
    topics += topics[:2]  # the same topic twice: both subscriptions are answered
    docs = [MatchDoc.from_paper(i) if isinstance(i, Paper) else MatchDoc.from_talk(i)
            for i in items_]
    frequencies = token_frequencies(docs) if with_frequencies else None
    index = SubscriptionIndex(topics, frequencies=frequencies)
    for item, doc in zip(items_, docs, strict=True):
        expected = sorted((n, tuple(found)) for n, topic in topics
                          if (found := topic.match(doc)) is not None)
        assert sorted(index.matching(doc)) == expected
        tried = {topic.query for topic in index.candidates(doc)}
        assert tried >= {topic.query for n, topic in topics if topic.match(doc)}
        for _, topic in topics:
            assert (topic.match(doc) is not None) == reference(topic.query, columns(item))


def test_the_index_tries_only_topics_whose_keys_the_item_shows():
    topics = [(n, compile_topic(parse_query(q))) for n, q in enumerate(
        ["tokamak", '"score matching"', "diffusion prune", "zebrafish OR coral", "prune"])]
    index = SubscriptionIndex(topics)
    assert [t.query for t in index.candidates(PRUNE)] == [topics[1][1].query,
                                                          topics[4][1].query]
    assert sorted(index.matching(PRUNE)) == [(1, ('"score matching"',)), (4, ("prune",))]
    assert len(index) == 5 and index.topic_count == 5


def test_sources_are_the_papers_own_unless_the_store_knows_more():
    seen = Paper(id="x", title="Prune", source="arxiv")
    assert match("source:hf-daily", MatchDoc.from_paper(seen)) is None
    assert match("source:hf-daily", MatchDoc.from_paper(seen, ["arxiv", "hf-daily"])) == [
        "source:hf-daily"]
