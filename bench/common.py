"""What the bench scripts share: the seed file of real titles and abstracts (where it is, how
it is read, its sentences), progress lines on stderr (stdout is for the figures) and the
load bench's seminar series."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds" / "paper-abstracts.txt"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def read_seeds(path: Path) -> tuple[list[str], list[str]]:
    """The seed file's titles and abstracts: two junk header lines, then title / abstract."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines[2:] if line]
    titles, abstracts = lines[0::2], lines[1::2]
    titles[0] = re.sub(r"^Subscribe(?=[A-Z])", "", titles[0])
    return titles, abstracts


def sentences(abstracts: list[str]) -> list[str]:
    """Every sentence of the abstracts, in order."""
    return [s for a in abstracts for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", a)]


# The load bench's seminar series (bench/load_world.py serves them, load_setup follows
# them): here so the bot's process need not import the world's fakes to know them.
SERIES = ["Aurora", "Basalt", "Cobalt", "Delta", "Ember", "Fjord", "Granite", "Harbor",
          "Indigo", "Juniper", "Krypton", "Lagoon", "Meridian", "Nebula", "Obsidian",
          "Prairie", "Quartz", "Sierra", "Tundra", "Umbra"]
