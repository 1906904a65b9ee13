"""The fake Slack's reading side: conversations.history and conversations.replies over the
messages chat.postMessage accepted, in the shape Slack returns them (newest first in a
channel, the parent then its replies oldest first in a thread; `oldest`/`latest`
exclusive, `limit`, an opaque `cursor`, metadata only with include_all_metadata), and
`missing_scope` when the app is set up without the history scopes (im:history for a
direct message's D... channel)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

DEFAULT_LIMIT = 100
MAX_LIMIT = 999


class HistoryMixin:
    """Mixed into FakeSlack, which provides `posted`, `channel_errors`, `history_scope`
    and `dm_history_denied` (fake_slack_direct.py)."""

    posted: list[dict]
    channel_errors: dict[str, str]
    history_scope: bool
    dm_history_denied: Callable[[str], dict | None]

    def _conversations_history(self, params: dict) -> dict:
        denied = self._history_denied(params)
        if denied:
            return denied
        channel = params["channel"]
        # A thread's replies stay in the thread, but for those also sent to the channel.
        found = [p for p in self.posted if p["channel"] == channel
                 and (not p.get("thread_ts") or p.get("reply_broadcast"))]
        found.sort(key=lambda p: float(p["_ts"]), reverse=True)
        return self._page(found, params)

    def _conversations_replies(self, params: dict) -> dict:
        denied = self._history_denied(params)
        if denied:
            return denied
        channel, ts = params["channel"], str(params.get("ts", ""))
        parents = [p for p in self.posted if p["channel"] == channel and p["_ts"] == ts]
        if not parents:
            return {"ok": False, "error": "thread_not_found"}
        replies = sorted((p for p in self.posted if p["channel"] == channel
                          and p.get("thread_ts") == ts), key=lambda p: float(p["_ts"]))
        return self._page(parents + replies, params)

    def _history_denied(self, params: dict) -> dict | None:
        channel = str(params.get("channel") or "")
        if channel.startswith("D"):  # a direct message: its own scope
            denied = self.dm_history_denied(channel)
            if denied:
                return denied
        elif not self.history_scope:
            return {"ok": False, "error": "missing_scope",
                    "needed": "channels:history,groups:history",
                    "provided": "commands,chat:write,users:read"}
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        error = self.channel_errors.get(params["channel"])
        return {"ok": False, "error": error} if error else None

    def _page(self, found: list[dict], params: dict) -> dict:
        inclusive = _flag(params.get("inclusive"))
        oldest, latest = float(params.get("oldest") or 0), params.get("latest")
        found = [p for p in found if _after(float(p["_ts"]), oldest, inclusive)
                 and (latest is None or _after(float(latest), float(p["_ts"]), inclusive))]
        cursor = str(params.get("cursor") or "")
        if cursor and not cursor.startswith("offset:"):
            return {"ok": False, "error": "invalid_cursor"}
        start = int(cursor.removeprefix("offset:") or 0)
        limit = min(int(params.get("limit") or DEFAULT_LIMIT), MAX_LIMIT)
        page = found[start:start + limit]
        metadata = _flag(params.get("include_all_metadata"))
        answer: dict[str, Any] = {"ok": True, "messages": [_shown(p, metadata) for p in page],
                                  "has_more": start + limit < len(found), "pin_count": 0}
        if answer["has_more"]:
            answer["response_metadata"] = {"next_cursor": f"offset:{start + limit}"}
        return answer


def _flag(value) -> bool:
    return str(value).lower() in ("1", "true")


def _after(ts: float, bound: float, inclusive: bool) -> bool:
    return ts >= bound if inclusive else ts > bound


def _shown(params: dict, metadata: bool) -> dict:
    """A posted message as the history methods show it."""
    shown = {"type": "message", "user": "UBOT", "bot_id": "BBOT", "app_id": "A1",
             "text": params.get("text", ""), "ts": params["_ts"], "team": "T1"}
    if params.get("blocks"):
        shown["blocks"] = params["blocks"]
    if params.get("thread_ts"):
        shown["thread_ts"] = params["thread_ts"]
        shown["parent_user_id"] = "UBOT"
        if params.get("reply_broadcast"):
            shown["subtype"] = "thread_broadcast"
    if metadata and params.get("metadata"):
        shown["metadata"] = params["metadata"]
    return shown
