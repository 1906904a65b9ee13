"""The topic query language: words, "phrases", OR, NOT / -word, parentheses, field:value.

Pure: text in, a `bot.models.Query` tree out. Lenient where intent is clear (an unclosed
quote ends at the end of the text), precise where it is not (a stray parenthesis is an
error that names its position).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from bot.models import And, Not, Or, Query, QueryError, Term

# Field names people type -> the canonical field.
FIELDS = {
    "author": "author", "authors": "author", "by": "author",
    "cat": "cat", "category": "cat",
    "speaker": "speaker", "series": "series",
    "source": "source", "title": "title",
}
# Fields that mean something for one kind of item only (papers have no speakers or series,
# talks no arXiv categories).
ONLY_FOR = {"speaker": "talks", "series": "talks", "cat": "papers"}
# `name:` prefixes that are part of a word, not a field: links and identifiers.
_NOT_FIELDS = {"http", "https", "arxiv", "doi", "ftp", "mailto", "urn", "isbn"}
_FIELD_NAME = re.compile(r"[A-Za-z]{2,15}")
MAX_QUERY_CHARS = 500
# Parentheses and exclusions nest this deep at most: the parser and every compiler of the
# tree recurse, and 500 characters of "(((" would otherwise exhaust Python's stack.
MAX_DEPTH = 16

# A phrase opens with any of these and closes with one of its closers: a phone's smart
# punctuation turns "a b" into “a b”, German keyboards write „a b“, French «a b», Chinese
# and Japanese 「a b」 (as words, “score matching” was score AND matching).
_QUOTES = {'"': '"”', "“": '”"“', "„": '“”"', "«": "»", "「": "」", "『": "』"}
# What an input method or a paste puts where the language's own characters go, one for
# one so positions in messages still point at what was typed: fullwidth brackets, bar,
# quote and hyphen (Chinese and Japanese input), the minus sign.
_FOLD = str.maketrans({"（": "(", "）": ")", "｜": "|", "＂": '"', "－": "-", "\u2212": "-"})
# Characters a copied word carries unseen (zero-width space and joiner, word joiner, soft
# hyphen, BOM, direction marks and overrides): `dif\u200bfusion` looked for
# "dif" and "fusion", `diffusion\u200d` for a word no text holds.
_INVISIBLE = re.compile("[\u200b\u200d\u2060\u00ad\ufeff\u200e\u200f\u202a-\u202e"
                        "\u2066-\u2069]")
_TOKEN = re.compile(r'\s*(?:(?P<paren>[()])|(?P<quote>["“„«「『])|(?P<word>[^\s()"]+))')


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str  # "(", ")", "word", "phrase", "or", "and", "not"
    text: str
    pos: int
    field: str | None = None


_SORT = re.compile(r'(?<![^\s(])sort:([^\s()]*)', re.IGNORECASE)
SORT_ORDERS = ("best", "new")


def split_sort(text: str, default: str = "best") -> tuple[str, str]:
    """A search's `sort:best` or `sort:new`, taken out of its text (outside quotes):
    (the rest, the order). QueryError for another order."""
    sort = default
    for found in reversed(list(_SORT.finditer(text))):
        if text.count('"', 0, found.start()) % 2:
            continue  # inside a phrase: words to look for
        sort = found.group(1).lower()
        if sort not in SORT_ORDERS:
            raise QueryError(f"sort:{found.group(1)[:20]} is not an order; use sort:best "
                             "(the best matches of the whole archive) or sort:new")
        text = text[:found.start()] + text[found.end():]
    return " ".join(text.split()), sort


def parse_query(text: str) -> Query:
    """Parse a query; raise QueryError (with the position) when it cannot be understood."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is {len(text)} characters long; keep it under "
                         f"{MAX_QUERY_CHARS}", MAX_QUERY_CHARS)
    tokens = _tokenize(_INVISIBLE.sub("", text).translate(_FOLD))
    if not tokens:
        raise QueryError('the query is empty: type a few words, e.g. diffusion OR "score matching"')
    parser = _Parser(tokens)
    query = parser.parse_or()
    if parser.peek() is not None:
        tok = parser.peek()
        raise QueryError(f"unexpected ')' at position {tok.pos + 1}: remove it or add a "
                         "matching '('", tok.pos)
    return query


def _tokenize(text: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            break
        start = match.start(match.lastgroup) if match.lastgroup else pos
        if match.group("paren"):
            tokens.append(_Tok(match.group("paren"), match.group("paren"), start))
            pos = match.end()
        elif match.group("quote"):
            end = _closing(text, match.end(), match.group("quote"))
            tokens.append(_Tok("phrase", text[match.end():end], start))
            pos = end + 1
        else:
            pos = _word(text, match, tokens)
    return tokens


def _closing(text: str, start: int, opener: str) -> int:
    """Where the phrase opened by `opener` before `start` ends (its end when unclosed)."""
    found = [at for closer in _QUOTES[opener] if (at := text.find(closer, start)) != -1]
    return min(found, default=len(text))


def _word(text: str, match: re.Match[str], tokens: list[_Tok]) -> int:
    """A bare word: an operator, `-word`, `field:word` or `field:"a phrase"`."""
    word, start, end = match.group("word"), match.start("word"), match.end()
    operator = unicodedata.normalize("NFKC", word).upper()  # ＯＲ from a fullwidth IME
    if operator == "OR" or word == "|":  # lowercase too: never searched as a word
        tokens.append(_Tok("or", word, start))
        return end
    if operator in ("AND", "NOT"):
        tokens.append(_Tok(operator.lower(), word, start))
        return end
    if word == "-" and text.startswith('"', end):  # -"a phrase"
        tokens.append(_Tok("not", "-", start))
        return end
    if word.startswith("-") and len(word) > 1:
        tokens.append(_Tok("not", "-", start))
        word, start = word[1:], start + 1
    name, colon, value = word.partition(":")
    field = FIELDS.get(name.lower()) if colon else None
    if field is None:
        if colon and _FIELD_NAME.fullmatch(name) and name.lower() not in _NOT_FIELDS:
            raise QueryError(_unknown_field(name, start), start)
        tokens.append(_Tok("word", word, start))
        return end
    opens = end - len(value)  # field:“a phrase” holds its opener, field:"a phrase" not
    if value and value[0] not in _QUOTES:
        tokens.append(_Tok("word", value, start, field))
        return end
    if not value and end < len(text) and text[end] == '"':
        opens = end
    if opens < len(text) and text[opens] in _QUOTES:  # field:"a phrase"
        stop = _closing(text, opens + 1, text[opens])
        tokens.append(_Tok("phrase", text[opens + 1:stop], start, field))
        return stop + 1
    raise QueryError(f"'{name}:' at position {start + 1} needs a value, e.g. "
                     f"{name}:\"some words\"", start)


def _unknown_field(name: str, start: int) -> str:
    known = sorted(set(FIELDS.values()))
    near = difflib.get_close_matches(name.lower(), list(FIELDS), n=1, cutoff=0.6)
    hint = (f"did you mean {FIELDS[near[0]]}:?" if near else
            "the fields are " + ", ".join(f"{field}:" for field in known))
    return (f"'{name}:' at position {start + 1} is not a field ({hint}); to look for "
            f'the text itself, put it in quotes, e.g. "{name}:…"')


def check_fields(query: Query, kinds: str) -> None:
    """Refuse a field that can never match the kinds of item searched ("papers", "talks"
    or "all"): `speaker:` for papers, `cat:` for talks."""
    if kinds == "all":
        return
    for field in sorted(_fields(query)):
        wants = ONLY_FOR.get(field)
        if wants and wants != kinds:
            other = "author:" if field == "speaker" else None
            instead = f"; for {kinds} use {other}" if other and kinds == "papers" else ""
            raise QueryError(f"{field}: applies only to {wants}, so it never matches "
                             f"{kinds}{instead}")


def _fields(query: Query) -> set[str]:
    if isinstance(query, Term):
        return {query.field} if query.field else set()
    if isinstance(query, Not):
        return _fields(query.child)
    return set().union(*(_fields(child) for child in query.children))


class _Parser:
    def __init__(self, tokens: list[_Tok]) -> None:
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    def peek(self) -> _Tok | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> _Tok:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def parse_or(self) -> Query:
        branches = [self.parse_and()]
        while (tok := self.peek()) is not None and tok.kind == "or":
            self.take()
            if self.peek() is None or self.peek().kind in ("or", ")"):
                raise QueryError(f"'OR' at position {tok.pos + 1} needs a word after it: "
                                 "put one there or remove the OR", tok.pos)
            branches.append(self.parse_and())
        return branches[0] if len(branches) == 1 else Or(tuple(branches))

    def parse_and(self) -> Query:
        parts: list[Query] = []
        while (tok := self.peek()) is not None and tok.kind not in ("or", ")"):
            if tok.kind == "and":
                self.take()
                continue
            parts.append(self.parse_unary())
        if not parts:
            tok = self.peek()
            where = f"at position {tok.pos + 1}" if tok else "at the end"
            raise QueryError(f"a word is missing {where}: put a word or \"phrase\" there",
                             tok.pos if tok else None)
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def parse_unary(self) -> Query:
        tok = self.take()
        if tok.kind in ("not", "("):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise QueryError(f"'{tok.text}' at position {tok.pos + 1} nests more than "
                                 f"{MAX_DEPTH} deep: remove some parentheses or exclusions",
                                 tok.pos)
            try:
                return self._nested(tok)
            finally:
                self.depth -= 1
        if tok.kind == ")":
            raise QueryError(f"unexpected ')' at position {tok.pos + 1}: remove it or add a "
                             "matching '('", tok.pos)
        if not re.search(r"\w", tok.text):
            shown = tok.text if len(tok.text) <= 20 else tok.text[:20] + "…"
            raise QueryError(f"'{shown}' at position {tok.pos + 1} has no letter or digit "
                             "to look for (there are no wildcards): type a word, e.g. "
                             "diffusion", tok.pos)
        return Term(tok.text, tok.field, phrase=tok.kind == "phrase")

    def _nested(self, tok: _Tok) -> Query:
        """An exclusion or a parenthesised group (`tok` is its '-', NOT or '(')."""
        if tok.kind == "not":
            if self.peek() is None or self.peek().kind in ("or", ")"):
                raise QueryError(f"'{tok.text}' at position {tok.pos + 1} must be followed "
                                 "by the word to exclude", tok.pos)
            return Not(self.parse_unary())
        inner = self.parse_or()
        close = self.peek()
        if close is None or close.kind != ")":
            raise QueryError(f"'(' at position {tok.pos + 1} is never closed: add ')'",
                             tok.pos)
        self.take()
        return inner
