"""A feed item's title as a reader would write it: without a feed generator's status marker
before it ("[ASAP] "), and without the citation a journal's feed puts before it where the
item gives the bare title in dc:title as well (MDPI: 'Fluids, Vol. 9, Pages 120: Title')."""

from __future__ import annotations

import re
from typing import Any

from jobs.sources.feeds import collapse_whitespace, detail_text
from jobs.sources.htmlblocks import html_to_text

# A feed generator's status marker before a title ("[ASAP] ", "[Graphical abstract added] "):
# capitals or several words; "[NiFe] hydrogenase", "[4+2] cycloaddition" are the title. A
# marker that tells the reader what became of the paper ("[RETRACTED] ", "[Expression of
# concern] ") stays: a group must not read a retracted paper as a new one.
_MARKER = re.compile(r"^\s*\[(?!(?i:retract|withdraw|correct|errat|corrig|expression of)"
                     r"[A-Za-z ]*\])(?:[A-Z]{3,}|[A-Za-z]+(?: [A-Za-z]+)+)\]\s+(?=\S)")
_MARKUP = re.compile(r"<[A-Za-z/]")


def entry_title(entry: Any) -> str:
    """The item's title: its <title>, or its dc:title where the <title> is that title after
    a label ending in a colon (a citation of the issue the paper is in)."""
    title = _MARKER.sub("", detail_text(entry.get("title_detail"), entry.get("title")))
    bare = entry.get("dc_title") or ""
    bare = html_to_text(bare) if _MARKUP.search(bare) else collapse_whitespace(bare)
    if not title:  # an empty <title> before dc:title
        return bare
    if bare and len(title) > len(bare) and title.casefold().endswith(bare.casefold()):
        label = title[:-len(bare)].rstrip()
        if label.endswith(":"):
            return title[-len(bare):]
    return title
