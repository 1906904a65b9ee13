"""bot.fulltext makes the tokens SQLite's FTS5 index makes, checked against SQLite itself."""

from __future__ import annotations

import re
import sqlite3

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.fulltext import stem, tokens
from storage.fts import index_text
from storage.migrations import FTS_TOKENIZER
from tests.conftest import shared_file


@pytest.fixture(scope="module")
def fts():
    """text -> the tokens the store's tokenizer makes of it (via an fts5vocab table)."""
    db = sqlite3.connect(":memory:")
    db.execute(f"CREATE VIRTUAL TABLE t USING fts5(x, tokenize='{FTS_TOKENIZER}')")
    db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")

    def tokenize(*texts: str) -> list[list[str]]:
        db.execute("DELETE FROM t")
        db.executemany("INSERT INTO t (rowid, x) VALUES (?, ?)", enumerate(texts, 1))
        found: list[list[str]] = [[] for _ in texts]
        # As bytes: SQLite's porter step can cut a multi-byte character (`a\ue000ing` ->
        # b"a\xee\x80"), which bot.fulltext mirrors as U+FFFD.
        rows = db.execute("SELECT CAST(term AS BLOB), doc FROM v ORDER BY doc, offset")
        for term, row in rows:
            found[row - 1].append(term.decode("utf-8", "replace"))
        return found

    yield tokenize
    db.close()


def test_cjk_characters_are_single_tokens_as_the_store_makes_them(fts):
    # The first and last (assigned) character of each range the store splits apart.
    edges = ("\u2e80\u2fd5\u3041\u30ff\u3400\u4db5\u4e00\u9fd5\uac00\ud7a3\uf900\ufad9"
             "\U00020000\U0002a6d6\U0002fa1d\u2f63")
    texts = [f"ab{char}{char}cd {char}x" for char in edges]
    assert [list(tokens(text)) for text in texts] == fts(*map(index_text, texts))


# Where Snowball's Porter stemmer and SQLite's differ, and the edges of SQLite's.
TRICKY = ["analogy", "methodologies", "cosmology", "possibly", "visibly", "revving",
          "trekking", "ies", "eed", "sses", "feed", "agreed", "skiing", "flying", "dying",
          "as", "is", "a" * 70 + "ing", "relational", "conditional", "generalization",
          "hopefulness", "sensitivity", "probabilities", "transformers", "pruning"]


def test_stems_agree_with_sqlite_on_tricky_words(fts):
    assert [[stem(word)] for word in TRICKY] == fts(*TRICKY)
    assert [list(tokens(word)) for word in TRICKY] == fts(*TRICKY)


def test_stems_agree_with_sqlite_on_the_seed_abstracts(fts):
    text = shared_file("seeds", "paper-abstracts.txt").read_text(encoding="utf-8")
    words = sorted(set(re.findall(r"[a-z0-9]+", text.lower())))
    assert [[stem(word)] for word in words] == fts(*words)


# Characters of the kinds real titles and abstracts carry (not ones Unicode assigned after
# SQLite's tables: bot.fulltext says why those differ).
ALPHABET = list("abcdeiosyzABCXYZ019 -_.,;:()'\"/é èüïñçøÅåßÆœİıΩαβάς") + list(
    "冷冻电镜生物算法가한かなカナ⽣⾦ｆｕｌＧＰＵ１２") + ["\u0301", "\u0308", "\u00a0", "\ue000"]
PIECES = ["ing", "ed", "ies", "logy", "bly", "ational", "s", "naïve", "Straße", "Ärzte", " "]


@settings(max_examples=300, deadline=None)
@example("a\ue000ing")  # SQLite cuts the private-use character in half: both say U+FFFD
@given(st.lists(st.one_of(st.sampled_from(ALPHABET), st.sampled_from(PIECES)), max_size=30)
       .map("".join))
def test_tokens_agree_with_sqlite(fts, text):
    assert [list(tokens(text))] == fts(index_text(text))
    assert [list(tokens(text, indexed=False))] == fts(text)  # category and source lists
