"""The fake Discord's scheduled events (tests/fake_discord.py): GET/POST
/guilds/{id}/scheduled-events and GET/PATCH/DELETE /guilds/{id}/scheduled-events/{event},
with Discord's validation (name 1-100, description at most 1,000 characters, an external
event needs entity_metadata.location of 1-100 and an end time, end after start, start in
the future when it is set, status SCHEDULED -> ACTIVE or CANCELED, ACTIVE -> COMPLETED,
nothing after), at most 100 uncompleted events a guild (code 30038), guilds where the bot
lacks Manage Events (403, code 50013), and a per-guild bucket for creating events.

Discord documents no figure for that bucket; lectern must cope with any. The fake allows
CREATES per WINDOW seconds of its clock and says so in X-RateLimit-* headers, then 429s
(counted in `refused`). GET /channels/{id} says which guild a channel is in.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from aiohttp import web

from tests.fake_discord_history import json_response as _json
from tests.ratelimits import Window

GUILD = "1200000000000000001"  # where a channel is unless `guilds` says otherwise
CREATES, WINDOW = 5, 60.0
MAX_UNCOMPLETED = 100
SCHEDULED, ACTIVE, COMPLETED, CANCELED = 1, 2, 3, 4
NEXT_STATUS = {SCHEDULED: {ACTIVE, CANCELED}, ACTIVE: {COMPLETED}}
EDITABLE = ("channel_id", "entity_metadata", "name", "privacy_level", "scheduled_start_time",
            "scheduled_end_time", "status", "description", "entity_type", "image")


@dataclass
class FakeEvents:
    guilds: dict[str, str] = field(default_factory=dict)  # channel id -> guild id
    denied: set[str] = field(default_factory=set)  # guilds where the bot lacks Manage Events
    events: dict[str, dict[str, dict]] = field(default_factory=lambda: defaultdict(dict))
    windows: dict[str, Window] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)  # guilds whose creations got a 429
    hidden: set[str] = field(default_factory=set)  # channels the bot may not view (403)

    def guild_of(self, channel_id: str) -> str:
        return self.guilds.get(channel_id, GUILD)

    def listed(self, guild: str) -> list[dict]:
        """What members see in the guild's event list: events not yet over or cancelled."""
        return [e for e in self.events[guild].values() if e["status"] in (SCHEDULED, ACTIVE)]

    def deny(self, guild: str = GUILD) -> None:
        """Take Manage Events away from the bot in the guild."""
        self.denied.add(guild)


def _instant(text: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None


def event_problems(event: dict, now: float, *, start_set: bool) -> list[str]:
    """What Discord refuses in an event as it would be after the request."""
    found = []
    if not 1 <= len(event.get("name") or "") <= 100:
        found.append("name must be 1-100 characters")
    if len(event.get("description") or "") > 1000:
        found.append("description over 1000")
    if event.get("privacy_level") != 2:
        found.append("privacy_level must be GUILD_ONLY (2)")
    start = _instant(event.get("scheduled_start_time"))
    end = _instant(event.get("scheduled_end_time")) if event.get("scheduled_end_time") else None
    if start is None:
        found.append("scheduled_start_time is not a time")
    elif start_set and start.timestamp() <= now:
        found.append("scheduled_start_time must be in the future")
    if event.get("entity_type") == 3:
        location = (event.get("entity_metadata") or {}).get("location") or ""
        if not 1 <= len(location) <= 100:
            found.append("an external event needs entity_metadata.location (1-100)")
        if end is None:
            found.append("an external event needs scheduled_end_time")
        if event.get("channel_id") is not None:
            found.append("an external event has no channel_id")
    if start is not None and end is not None and end <= start:
        found.append("scheduled_end_time must be after scheduled_start_time")
    return found


def _invalid(fake, found: list[str]) -> web.Response:
    fake.rejected += found
    # Discord's shape: the errors are an object of fields, each with its `_errors` list
    errors = {"_errors": [{"code": "INVALID", "message": problem} for problem in found]}
    return _json({"code": 50035, "message": "Invalid Form Body", "errors": errors}, 400)


def _denied(fake, guild: str) -> web.Response | None:
    if guild in fake.events.denied:
        return _json({"message": "Missing Permissions", "code": 50013}, 403)
    return None


def _bucket(fake, guild: str) -> tuple[float, dict[str, str]]:
    """Seconds to wait before the guild may create another event (0: now), and the
    headers that say how much of its bucket is left."""
    now = fake.clock()
    window = fake.events.windows.setdefault(guild, Window(CREATES, WINDOW))
    wait = window.take(now)
    after = window.reset_after(now)
    headers = {"X-RateLimit-Limit": str(CREATES),
               "X-RateLimit-Remaining": str(max(0, CREATES - window.used)),
               "X-RateLimit-Reset": f"{now + after:.3f}",
               "X-RateLimit-Reset-After": f"{after:.3f}",
               "X-RateLimit-Bucket": "fake-guild-scheduled-events"}
    if wait:
        headers.update({"Retry-After": str(max(1, round(wait))), "Via": "1.1 google",
                        "X-RateLimit-Scope": "user"})
    return wait, headers


def _create(fake, request: web.Request, body: dict) -> web.Response:
    guild = request.match_info["guild"]
    if (refused := _denied(fake, guild)) is not None:
        return refused
    wait, headers = _bucket(fake, guild)
    if wait:
        fake.events.refused.append(guild)
        return _json({"message": "You are being rate limited.", "retry_after": wait,
                      "global": False}, 429, headers)
    found = event_problems(body or {}, fake.clock(), start_set=True)
    if found:
        return _invalid(fake, found)
    if len(fake.events.listed(guild)) >= MAX_UNCOMPLETED:
        return _json({"message": "Maximum number of uncompleted guild scheduled events "
                      "reached (100)", "code": 30038}, 400)
    event_id = str(fake.snowflake())
    event = {"id": event_id, "guild_id": guild, "creator_id": fake_bot_id(),
             "status": SCHEDULED, "entity_id": None, "user_count": 0, "image": None,
             "channel_id": None, **{k: v for k, v in body.items() if k in EDITABLE}}
    fake.events.events[guild][event_id] = event
    return _json(event, headers=headers)


def _edit(fake, request: web.Request, body: dict) -> web.Response:
    guild, event_id = request.match_info["guild"], request.match_info["event"]
    event = fake.events.events[guild].get(event_id)
    if event is None:
        return _json({"message": "Unknown Guild Scheduled Event", "code": 10070}, 404)
    if (refused := _denied(fake, guild)) is not None:
        return refused
    body = {k: v for k, v in (body or {}).items() if k in EDITABLE}
    status = body.get("status", event["status"])
    if event["status"] in (COMPLETED, CANCELED):
        return _invalid(fake, ["a completed or cancelled event cannot be edited"])
    if status != event["status"] and status not in NEXT_STATUS.get(event["status"], ()):
        return _invalid(fake, [f"status {event['status']} cannot become {status}"])
    merged = {**event, **body}
    moved = merged["scheduled_start_time"] != event["scheduled_start_time"]
    found = event_problems(merged, fake.clock(), start_set=moved)
    if found:
        return _invalid(fake, found)
    event.update(merged)
    return _json(event)


def _one(fake, request: web.Request) -> web.Response:
    guild, event_id = request.match_info["guild"], request.match_info["event"]
    if request.method == "DELETE":
        if (refused := _denied(fake, guild)) is not None:
            return refused
        gone = fake.events.events[guild].pop(event_id, None)
        return web.Response(status=204 if gone else 404)
    event = fake.events.events[guild].get(event_id)
    if event is None:
        return _json({"message": "Unknown Guild Scheduled Event", "code": 10070}, 404)
    return _json(event)


def _channel(fake, request: web.Request) -> web.Response:
    channel_id = request.match_info["channel"]
    if channel_id in fake.events.hidden:
        return _json({"message": "Missing Access", "code": 50001}, 403)
    return _json({"id": channel_id, "type": 0, "guild_id": fake.events.guild_of(channel_id),
                  "name": "talks", "position": 0, "permission_overwrites": [],
                  "nsfw": False, "parent_id": None, "flags": 0, "last_message_id": None,
                  "rate_limit_per_user": 0, "topic": None})


def fake_bot_id() -> str:
    from tests.fake_discord import BOT_ID

    return BOT_ID


def event_routes(fake) -> dict:
    events = "/guilds/{guild}/scheduled-events"
    return {
        ("GET", "/channels/{channel}"): lambda r, b: _channel(fake, r),
        ("GET", events): lambda r, b: _json(fake.events.listed(r.match_info["guild"])),
        ("POST", events): lambda r, b: _create(fake, r, b),
        ("GET", events + "/{event}"): lambda r, b: _one(fake, r),
        ("PATCH", events + "/{event}"): lambda r, b: _edit(fake, r, b),
        ("DELETE", events + "/{event}"): lambda r, b: _one(fake, r),
    }
