"""The fake Discord's clock rules and message history (tests/fake_discord.py): snowflake
times, how long a nonce is remembered, and GET /channels/{id}/messages with Discord's
paging (limit 1-100, before/after, newest first, no nonce in what is read back)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

DISCORD_EPOCH_MS = 1420070400000
# Discord: a nonce is "checked for uniqueness in the past few minutes"; the fake keeps two.
NONCE_WINDOW = 120.0


def json_response(data: Any, status: int = 200, headers: dict | None = None) -> web.Response:
    """JSON the way Discord sends it: `Content-Type: application/json`, no charset."""
    return web.Response(body=json.dumps(data).encode(), status=status,
                        headers={**(headers or {}), "Content-Type": "application/json"})


def made_at(snowflake: int) -> datetime:
    return datetime.fromtimestamp(((snowflake >> 22) + DISCORD_EPOCH_MS) / 1000, UTC)


def age(now: float, message: dict) -> float:
    """Seconds from the message's making (its id) to `now` (epoch seconds)."""
    return now - made_at(int(message["id"])).timestamp()


def history(fake, request: web.Request) -> web.Response:
    """At most `limit` (1-100, 50 by default) of a channel's newest messages, or of those
    just `before` or just `after` a snowflake, newest first; never their nonces."""
    channel_id, query = request.match_info["channel"], request.query
    if channel_id in fake.unreadable:
        return json_response({"message": "Missing Access", "code": 50001}, 403)
    try:
        limit = int(query.get("limit", "50"))
        before, after = (int(query[name]) if name in query else None
                         for name in ("before", "after"))
    except ValueError:
        limit = 0
    if not 1 <= limit <= 100 or len({"before", "after", "around"} & set(query)) > 1:
        fake.rejected.append(f"bad message history query {dict(query)}")
        return json_response({"code": 50035, "message": "Invalid Form Body"}, 400)
    found = sorted(fake.created[channel_id], key=lambda m: int(m["id"]))
    if before is not None:
        found = [m for m in found if int(m["id"]) < before][-limit:]
    elif after is not None:
        found = [m for m in found if int(m["id"]) > after][:limit]
    else:
        found = found[-limit:]
    return json_response([{k: v for k, v in m.items() if k != "nonce"}
                          for m in reversed(found)])
