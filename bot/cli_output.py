"""What the operator CLI prints for talks: a stable JSON document or readable lines."""

from __future__ import annotations

import json
import sys
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import to_iso
from bot.models import Talk


def talk_json(talk_id: str, talk: Talk) -> dict[str, Any]:
    return {"id": talk_id, "series": talk.series, "title": talk.title,
            "speaker": ", ".join(talk.speakers), "affiliation": talk.affiliation,
            "start": to_iso(talk.start), "end": to_iso(talk.end), "timezone": talk.timezone,
            "location": talk.location, "meeting_url": talk.meeting_url,
            "replay_url": talk.replay_url, "status": talk.status, "abstract": talk.abstract}


def print_talks(talks: list[tuple[str, Talk]], as_json: bool) -> None:
    if as_json:
        print(json.dumps({"talks": [talk_json(i, t) for i, t in talks]}, ensure_ascii=False))
        return
    if not talks:
        print("no talks found")
    for talk_id, talk in talks:
        local = talk.start.astimezone(ZoneInfo(talk.timezone or "UTC")) if talk.start else None
        when = f"{local:%a %Y-%m-%d %H:%M} {talk.timezone or 'UTC'}" if local else "time TBA"
        status = " [CANCELLED]" if talk.status == "cancelled" else ""
        who = ", ".join(talk.speakers) + (f" ({talk.affiliation})" if talk.affiliation else "")
        print(f"{when}{status} · {talk.title}\n    {who or 'speaker TBA'}"
              f"{' · ' + talk.series if talk.series else ''} · {talk_id}")


def write_bytes(document: bytes, path: str | None) -> None:
    if path:
        with open(path, "wb") as handle:
            handle.write(document)
    else:
        sys.stdout.buffer.write(document)
        sys.stdout.flush()
