"""Text to search tokens in Python, the way the store's SQLite FTS5 index makes them.

The index (storage.fts, storage.migrations) keeps NFKC text with each CJK character as its
own token, through `porter unicode61 remove_diacritics 2`. `tokens()` gives the same tokens
so that a subscription matched here and a /papers search agree: case and Latin diacritics
folded, split where unicode61 splits, English stemmed by Snowball's Porter stemmer with
the few rules where SQLite's porter differs from it (tests compare both on real words).

Known gaps, all in text that hardly occurs: unicode61's tables are older than Python's, so
a character Unicode assigned since (a recent emoji, say) glued to a word joins it there and
splits it here; a handful of letters fold differently (e.g. U+01E0).
"""

from __future__ import annotations

import re
import unicodedata

import Stemmer  # PyStemmer: Snowball's algorithms compiled, 100x the pure-Python package

from bot.cjk import CJK  # what storage.fts.index_text spaces out, each one token

# ASCII text: letters lower-cased, every other byte but digits a separator.
_ASCII_FOLD = bytes((c | 0x20) if chr(c).isascii() and chr(c).isalpha() else
                    c if chr(c).isdigit() and c < 128 else 0x20 for c in range(256))
# Letters and digits, and the private-use characters that text copied from PDFs carries.
_WORD = re.compile(r"(?:[^\W_]|[\ue000-\uf8ff\U000f0000-\U0010fffd])+")
# Combining marks unicode61 drops inside a word; the other marks separate words.
_DROPPED_MARKS = ("\u0300-\u0304\u0306-\u030c\u030f\u0311\u031b\u0323-\u0328"
                  "\u032d\u032e\u0330\u0331")
_DROPPED = re.compile(f"[{_DROPPED_MARKS}]")


def _fold_table() -> dict[int, str]:
    """Latin letters with diacritics -> the bare letter, plus unicode61's other folds."""
    table: dict[int, str] = {ord("ς"): "σ"}
    for code in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        parts = unicodedata.normalize("NFD", chr(code).lower())
        if len(parts) > 1 and parts[0].isascii() and not _DROPPED.sub("", parts[1:]):
            table[code] = parts[0]
    for mark in _DROPPED.findall("".join(map(chr, range(0x300, 0x370)))):
        table[ord(mark)] = ""
    return table


_FOLD = _fold_table()


def tokens(text: str, *, indexed: bool = True) -> tuple[str, ...]:
    """The tokens FTS5 makes of `text`, in order.

    `indexed`: the text went through storage.fts.index_text (every column but the
    category and source lists, which are stored as they are).
    """
    if text.isascii():  # most text: split bytes, a few times faster than a regex
        return tuple(map(_BYTE_STEMS.__getitem__, text.encode().translate(_ASCII_FOLD).split()))
    return tuple(map(_STEMS.__getitem__, _words(text, indexed)))


def _words(text: str, indexed: bool) -> list[str]:
    if indexed:
        text = CJK.sub(r" \1 ", unicodedata.normalize("NFKC", text))
    return _WORD.findall(text.lower().translate(_FOLD))


# -- Stemming --------------------------------------------------------------------------

_PORTER = Stemmer.Stemmer("porter", 0)  # no cache of its own: _Stems is ours
# SQLite's porter (fts5_porter.c) follows the ANSI C reference of Porter's algorithm where
# Snowball follows the paper: step 1b undoubles any final double consonant but l, s and z
# (Snowball: only bb dd ff gg mm nn pp rr tt), step 2 also maps "logi" -> "log" and every
# "bli" -> "ble" (Snowball: only "abli" -> "able"), and step 1a wants a letter before
# "ies" and "sses".
_DOUBLED = re.compile(r"(.*([^aeioulszbdfgmnprt]))\2(?:ed|ing)s?", re.DOTALL)
_SHORT = {"ies": "ie", "sses": "sse", "eed": "e"}
# What step 1 turns into the final "i" of "...logi" / "...bli" ("-logy", "-ies", ...).
_STEP1_TAILS = frozenset({"i", "is", "ies", "ied", "ieds", "iing", "iings", "y", "ys", "yed",
                          "yeds", "ying", "yings"})
MAX_STEMS = 200_000


def stem(word: str) -> str:
    """`word` (lower-case, one token) stemmed as SQLite's porter tokenizer stems it."""
    if word.isascii():
        return _stem_bytes(word)
    # SQLite stems the UTF-8 bytes: a non-ASCII byte is a consonant, lengths are in bytes.
    raw = word.encode("utf-8")
    return _stem_bytes(raw.decode("latin-1")).encode("latin-1").decode("utf-8", "replace")


def _stem_bytes(word: str) -> str:
    if not 3 <= len(word) <= 64:
        return word  # SQLite leaves short and very long tokens as they are
    return _SHORT.get(word) or _porter(word)


def _porter(word: str) -> str:
    doubled = _DOUBLED.fullmatch(word)
    if doubled and _has_vowel(doubled.group(1) + doubled.group(2)):
        return _porter(doubled.group(1))  # step 1c on, as SQLite goes on
    stemmed = _PORTER.stemWord(word)
    if stemmed.endswith("logi"):
        cut, ending = 4, ""
    elif stemmed.endswith("bli") and not stemmed.endswith("abli"):
        cut, ending = 3, "e"
    else:
        return stemmed
    # Only when step 1 made that ending: Snowball's later steps then left the word alone.
    head = stemmed[:-1]
    if (word.startswith(head) and word[len(head):] in _STEP1_TAILS
            and _measure(stemmed[:-cut]) > 0):
        return _PORTER.stemWord(head + ending)
    return stemmed


def _has_vowel(word: str) -> bool:
    """Porter's *v* as SQLite tests it: a vowel, or a y that is not the first letter."""
    return any(c in "aeiou" or (c == "y" and i > 0) for i, c in enumerate(word))


def _measure(word: str) -> int:
    """Porter's m: the number of vowel-consonant sequences."""
    count, after_vowel, consonant = 0, False, False
    for c in word:
        consonant = not (c in "aeiou" or (c == "y" and consonant))
        if consonant and after_vowel:
            count += 1
        after_vowel = not consonant
    return count


class _Stems(dict):
    """A stem cache: a document's words are mostly words seen before."""

    def __missing__(self, word: str | bytes) -> str:
        if len(self) >= MAX_STEMS:
            self.clear()
        self[word] = stemmed = stem(word if isinstance(word, str) else word.decode())
        return stemmed


_STEMS = _Stems()  # str words
_BYTE_STEMS = _Stems()  # words of ASCII text, as bytes
