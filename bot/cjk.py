"""Which characters are Chinese, Japanese or Korean script: the one definition, used by the
search index (storage.fts), the matcher (bot.fulltext) and the page readers (jobs.sources).
"""

from __future__ import annotations

import re

# Han ideographs: the unified block and extension A, compatibility ideographs, and the
# supplementary-plane extensions (B onwards) that rare names are written with.
HAN_RANGES = (("\u3400", "\u4dbf"), ("\u4e00", "\u9fff"), ("\uf900", "\ufaff"),
              ("\U00020000", "\U0002fa1f"))
# The rest of CJK script: radicals and Kangxi radicals, kana, and Hangul syllables.
CJK_RANGES = (("\u2e80", "\u2fdf"), ("\u3040", "\u30ff"), *HAN_RANGES, ("\uac00", "\ud7af"))


def _character_class(ranges: tuple[tuple[str, str], ...]) -> str:
    return "[" + "".join(f"{low}-{high}" for low, high in ranges) + "]"


HAN = re.compile(_character_class(HAN_RANGES))
# Captured, so that re.split keeps each character as a piece of its own.
CJK = re.compile(f"({_character_class(CJK_RANGES)})")


def is_han(char: str) -> bool:
    """Whether `char` is a Han ideograph: the script of Chinese titles and names."""
    return any(low <= char <= high for low, high in HAN_RANGES)
