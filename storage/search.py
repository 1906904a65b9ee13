"""Full-text search over papers: the best matches across the whole archive, or the newest.

Scoring every match of a common word ("learning") in a million papers costs seconds, and
so does FTS5's bm25, which counts each phrase's matches over the whole index. So we rank
a bounded set of candidates that FTS5 finds by walking its index backwards from a key
(storage.paper_index: keys order the index by publication day):

- `best` (the default): the newest matches, and from each of the archive's last
  MAX_YEARS years the newest matches with the query's words in the title. They are
  ranked title matches first (more of the query's words in the title first), then by
  relevance (how much of the title the words make up; words in the author list count
  too) weighed by age, a paper four years older counting half as much.
- `new`: the newest matches by publication day; within a day, the better match first.

Either way the work is a fixed number of index walks of bounded length and reads only
the candidates' own rows, so it costs about the same at any corpus size. The walks for
title matches go through a small index of titles alone (storage.titles), and those for a
phrase of common words through an index of their pairs (storage.pairs).
"""

from __future__ import annotations

import json
import unicodedata
from datetime import date, timedelta

import sqlite_utils

from bot.clock import parse_instant
from bot.models import And, Or, Query, QueryError, SearchHit, Term
from storage import pairs, titles
from storage.fts import PAPER_FIELDS, compile_match
from storage.paper_index import SEQ_OF_KEY, day_key

SORTS = ("best", "new")
NEWEST = 300  # the newest matches, candidates in either order
PER_YEAR = 25  # title matches taken from each year of the archive (`best`)
MAX_YEARS = 10  # older title matches weigh under 1/5 of a new one's: rarely in a top 10
HALF_LIFE_YEARS = 4.0
# Points for each query word found in a candidate's title or author list, for `new`.
_TITLE, _AUTHORS = 8, 4
_MAX_WORDS = 8
# Crude English suffixes, so that "pruning" finds "Prune" in a title as FTS5's porter
# stemmer found it in the index. Only the ranking uses this; matching is FTS5's alone.
_SUFFIXES = ("ing", "ies", "ied", "es", "ed", "s", "e", "y")
TITLE_FIELDS = {**PAPER_FIELDS, None: "title"}


def search_papers(db: sqlite_utils.Database, query: Query, limit: int = 10,
                  sort: str = "best") -> list[SearchHit]:
    """Papers matching `query`, in `sort` order. Raises QueryError for unanswerable
    queries or an unknown sort."""
    if sort not in SORTS:
        raise QueryError(f"sort:{sort} is not an order; use sort:best or sort:new")
    match = compile_match(query, PAPER_FIELDS)
    if match is None:
        return []
    keys = list(dict.fromkeys(_key(term) for term in _wanted(query)))[:_MAX_WORDS]
    seqs, complete = _newest(db, query, match)
    if sort == "best" and not complete:  # else every match is a candidate already
        seqs = list(dict.fromkeys(seqs + _in_titles(db, query, match)))
    rows = _scored(db, seqs, keys)
    if sort == "new":
        rows.sort(key=lambda r: (r["day"], r["points"], r["seq"]), reverse=True)
    else:
        newest = max((r["day"] for r in rows), default=None)
        for row in rows:
            row["value"] = _value(row, newest)
        rows.sort(key=lambda r: (r["in_title"], r["value"], r["day"], r["seq"]),
                  reverse=True)
    return [_hit(row) for row in rows[:max(1, limit)]]


def _newest(db: sqlite_utils.Database, query: Query, match: str) -> tuple[list[int], bool]:
    """Seqs of the NEWEST newest matches, and whether they are all the matches: through
    the pairs index for a phrase of common words (storage.pairs), else FTS5's walk."""
    answered = pairs.newest(db, query, NEWEST)
    if answered is not None:
        return answered
    seqs = _candidates(db, [(match, None, NEWEST)])
    return seqs, len(seqs) < NEWEST


def _in_titles(db: sqlite_utils.Database, query: Query, match: str) -> list[int]:
    """Seqs of the PER_YEAR newest papers of every year with the query's words in
    their title: through the titles index when it has their words, else
    through FTS5 (the match and its title-restricted form)."""
    spans = _years(db)
    found = titles.newest_in_titles(db, query, spans, PER_YEAR)
    if found is not None:
        return found
    in_title = compile_match(query, TITLE_FIELDS)
    titled = f"({match}) AND ({in_title})" if in_title and in_title != match else match
    return _candidates(db, [(titled, span, PER_YEAR) for span in spans])


def _years(db: sqlite_utils.Database) -> list[tuple[int, int]]:
    """Key ranges of the archive's years, newest first (from the publication dates the
    papers table's index knows; papers without one are keyed by a recent day)."""
    # Two statements: SQLite answers min() or max() alone from the index, both at once by
    # a scan of it.
    first = db.execute("SELECT min(published) FROM papers").fetchone()[0]
    if not first:
        return []
    last = db.execute("SELECT max(published) FROM papers").fetchone()[0]
    newest = max(int(last[:4]), int(db.execute(
        "SELECT coalesce(max(first_seen), '0') FROM papers").fetchone()[0][:4]))
    oldest = max(int(first[:4]), newest - MAX_YEARS + 1, 1)
    return [(day_key(date(year, 1, 1)), day_key(date(year + 1, 1, 1)) - 1)
            for year in range(newest, oldest - 1, -1)]


def _candidates(db: sqlite_utils.Database,
                walks: list[tuple[str, tuple[int, int] | None, int]]) -> list[int]:
    """Seqs of the papers each walk finds: the `count` largest keys matching its
    expression, within its key range if it has one. One statement for all walks."""
    parts, values = [], []
    for expression, span, count in walks:
        where = "papers_fts MATCH ?" + (" AND rowid BETWEEN ? AND ?" if span else "")
        parts.append(f"SELECT * FROM (SELECT {SEQ_OF_KEY} AS seq FROM papers_fts "  # noqa: S608
                     f"WHERE {where} ORDER BY rowid DESC LIMIT ?)")
        values += [expression, *(span or ()), count]
    sql = " UNION ".join(parts)
    return [row[0] for row in db.execute(sql, values)]


def _scored(db: sqlite_utils.Database, seqs: list[int], keys: list[str]) -> list[dict]:
    """The candidates' rows, each with how many query words its title and authors hold,
    how much of its title they make up, and its day."""
    if not seqs:
        return []
    title_hits = " + ".join(["(instr(lower(title), ?) > 0)"] * len(keys)) or "0"
    title_chars = " + ".join(["(instr(lower(title), ?) > 0) * ?"] * len(keys)) or "0"
    author_hits = " + ".join(["(instr(lower(authors), ?) > 0)"] * len(keys)) or "0"
    sql = (f"SELECT seq, id, title, url, authors, published, "  # noqa: S608
           f"coalesce(substr(published, 1, 10), substr(first_seen, 1, 10)) AS day, "
           f"{title_hits} AS in_title, {title_chars} AS title_chars, "
           f"{author_hits} AS in_authors FROM papers "
           f"WHERE seq IN (SELECT value FROM json_each(?))")
    values = [*keys, *(v for k in keys for v in (k, len(k))), *keys, json.dumps(seqs)]
    cursor = db.execute(sql, values)
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor]
    for row in rows:
        row["points"] = 1 + _TITLE * row["in_title"] + _AUTHORS * row["in_authors"]
    return rows


def _value(row: dict, newest: str | None) -> float:
    """Relevance weighed by age: the share of the title the query's words make up (plus
    a little for each in the author list), halved every HALF_LIFE_YEARS before the
    newest candidate."""
    title = max(1, len(row["title"] or ""))
    relevance = min(1.0, row["title_chars"] / title) + 0.1 * row["in_authors"] + 0.01
    age = (date.fromisoformat(newest) - date.fromisoformat(row["day"])
           if newest and row["day"] else timedelta(0))
    return relevance * 0.5 ** (max(0, age.days) / 365.25 / HALF_LIFE_YEARS)


def _hit(row: dict) -> SearchHit:
    return SearchHit(kind="paper", id=row["id"], title=row["title"], url=row["url"] or "",
                     authors=json.loads(row["authors"] or "[]"),
                     published=parse_instant(row["published"]) if row["published"] else None,
                     score=float(row.get("value", row["points"])))


def _wanted(query: Query) -> list[Term]:
    """The query's unfielded words and phrases that a match may contain (not exclusions)."""
    if isinstance(query, Term):
        return [query] if query.field is None and query.text.strip() else []
    if isinstance(query, And | Or):
        return [term for child in query.children for term in _wanted(child)]
    return []  # Not: an excluded word earns nothing


def _key(term: Term) -> str:
    """What to look for in a lower-cased title: the words, the last one stemmed."""
    text = " ".join(unicodedata.normalize("NFKC", term.text).lower().split())
    head, _, last = text.rpartition(" ")
    if last.isascii() and last.isalpha():
        for suffix in _SUFFIXES:
            if last.endswith(suffix) and len(last) - len(suffix) >= 3:
                last = last[:-len(suffix)]
                break
    return f"{head} {last}" if head else last
