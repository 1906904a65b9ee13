"""Nothing a feed, page or paste sends is stored with characters that act instead of
showing (bot.plaintext): the store cleans the display fields of every paper and talk it
is given, whatever reader or command made them."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from bot.app.cli import main
from bot.models import Paper, Talk

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "data"
NOW = "2026-11-23T09:00:00Z"
ACTING = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
ESC, RLO, NUL, BEL = "\x1b", "\u202e", "\x00", "\x07"


def _columns(db: Path, sql: str) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [str(value) for row in conn.execute(sql) for value in row if value]


def test_a_feed_with_escapes_nul_and_overrides_is_stored_without_them(tmp_path, capsys):
    feed = json.loads((EXAMPLES / "hf-daily.json").read_text())
    paper = feed[0]["paper"]
    paper["title"] = f"{ESC}[2J{ESC}]0;owned{BEL}Sparse {RLO}gpj.exe Routing"
    paper["summary"] = f"Mixture{NUL}-of-experts layers{ESC}[31m scale."
    paper["authors"][0]["name"] = f"Amara{ESC}[5m Nwosu"
    paper["authors"][1]["name"] = f"{RLO}{BEL}"  # nothing left of it: no author
    document = tmp_path / "hf.json"
    document.write_text(json.dumps(feed))
    db = tmp_path / "l.db"

    assert main(["--db", str(db), "--now", NOW, "ingest", "hf-daily", str(document)]) == 0
    capsys.readouterr()
    stored = _columns(db, "SELECT title, abstract, authors FROM papers")
    assert stored and not [text for text in stored if ACTING.search(text)]
    assert main(["--db", str(db), "--now", NOW, "papers", "latest", "--json"]) == 0
    shown = {hit["title"]: hit for hit in json.loads(capsys.readouterr().out)["results"]}
    hit = shown["[2J]0;ownedSparse gpj.exe Routing"]  # what showed stays, as text
    assert hit["authors"] == ["Amara[5m Nwosu", "Priya Raman"]


def test_a_calendar_with_control_characters_gives_clean_talks(tmp_path, capsys):
    calendar = tmp_path / "c.ics"
    calendar.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nBEGIN:VEVENT\r\n"
        "UID:t1@example.org\r\nDTSTAMP:20261120T090000Z\r\n"
        "DTSTART:20261201T150000Z\r\nDTEND:20261201T160000Z\r\n"
        f"SUMMARY:Spectral{ESC}[8m graphs\r\nLOCATION:Room{RLO} 101\r\n"
        f"DESCRIPTION:Speaker: Ada{BEL} Lovelace\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8")
    db = tmp_path / "l.db"
    assert main(["--db", str(db), "--now", NOW, "ingest", "ical", str(calendar)]) == 0
    stored = _columns(db, "SELECT title, location, abstract, speakers FROM talks")
    assert "Spectral[8m graphs" in stored and "Room 101" in stored
    assert not [text for text in stored if ACTING.search(text)]


def test_every_way_into_the_store_is_cleaned(store):
    now = datetime(2026, 11, 23, 9, tzinfo=UTC)
    store.upsert_papers(iter([Paper(id="arxiv:2611.00001", title=f"A{NUL}B", source="s",
                                    categories=[f"cs.LG{ESC}"], comment=f"5 pages{BEL}",
                                    abstract="Line one\n\tline two\r\n")]),
                        now)
    talk = Talk(key="k", title=f"T{ESC}", source="s", start=now, speakers=[f"{RLO}", "Bo"],
                series=f"Series{BEL}", bio=f"bio{NUL}", chair=f"C{ESC}")
    store.upsert_talks("s", [talk], now)
    paper, _ = store.get_paper("arxiv:2611.00001")
    assert (paper.title, paper.categories, paper.comment) == ("AB", ["cs.LG"], "5 pages")
    assert paper.abstract == "Line one\n\tline two\n"  # newlines and tabs show: kept
    [(_, stored)] = store.list_talks()
    assert (stored.title, stored.speakers, stored.series, stored.bio, stored.chair) == (
        "T", ["Bo"], "Series", "bio", "C")


def test_the_fast_ascii_check_agrees_with_the_rule_on_every_character():
    from bot.plaintext import _ACTING, acts  # the rule and its fast path

    for code in [*range(0x100), *range(0x2000, 0x2070)]:
        text = f"ab{chr(code)}c"
        assert acts(text) == bool(_ACTING.search(text)), hex(code)
