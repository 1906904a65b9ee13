"""The fake Slack's direct messages: conversations.open as Slack answers it for a bot token
(a stable D... channel per member, `already_open` the second time; cannot_dm_bot for a bot,
user_disabled for a deactivated account, user_not_found for an id that is no member's,
missing_scope without im:write, or any error a test names for a user), and the checks a
post to, or a history read of, a DM meets: the channel must have been opened, the app's
Messages tab must be on (else messages_tab_disabled), and reading needs im:history."""

from __future__ import annotations

import re

_MEMBER = re.compile(r"^[UW][A-Z0-9]{2,}$")


class DirectMixin:
    """Mixed into FakeSlack, which provides the fields named here."""

    users: dict[str, dict]  # user id -> profile; `is_bot` or `deleted` matter here
    dms: dict[str, str]  # user id -> the D... channel opened with them
    dm_errors: dict[str, str]  # user id -> the error conversations.open answers
    im_write: bool  # the app has the im:write scope (conversations.open)
    im_history: bool  # the app has the im:history scope (reading a DM's history)
    messages_tab: bool  # App Home's Messages tab is on
    problems: list[str]

    def _conversations_open(self, params: dict) -> dict:
        if not self.im_write:
            return {"ok": False, "error": "missing_scope", "needed": "im:write",
                    "provided": "commands,chat:write,users:read"}
        users = str(params.get("users") or "")
        if not users:
            return {"ok": False, "error": "users_list_not_supplied"}
        if "," in users:  # a group DM: lectern never means to open one
            self.problems.append(f"conversations.open for several users: {users}")
            return {"ok": False, "error": "not_enough_users"}
        refusal = self._dm_refusal_for(users)
        if refusal:
            return {"ok": False, "error": refusal}
        if users in self.dms:
            return {"ok": True, "no_op": True, "already_open": True,
                    "channel": {"id": self.dms[users]}}
        self.dms[users] = f"D{len(self.dms) + 1:08d}"
        return {"ok": True, "channel": {"id": self.dms[users]}}

    def _dm_refusal_for(self, user: str) -> str | None:
        profile = self.users.get(user) or {}
        if user in self.dm_errors:
            return self.dm_errors[user]
        if not _MEMBER.match(user):
            return "user_not_found"
        if profile.get("is_bot") or user == "UBOT":
            return "cannot_dm_bot"
        if profile.get("deleted"):
            return "user_disabled"
        return None

    def dm_post_refused(self, channel: str) -> str | None:
        """What chat.postMessage answers for a post to `channel` as a DM, or None."""
        if channel.startswith("@"):  # Slack no longer takes @names for channels
            return "channel_not_found"
        if not channel.startswith("D"):
            return None
        if channel not in self.dms.values():
            return "channel_not_found"
        return None if self.messages_tab else "messages_tab_disabled"

    def dm_history_denied(self, channel: str) -> dict | None:
        """conversations.history / .replies on a DM: None when it may be read."""
        if not self.im_history:
            return {"ok": False, "error": "missing_scope", "needed": "im:history",
                    "provided": "commands,chat:write,users:read,im:write"}
        if channel not in self.dms.values():
            return {"ok": False, "error": "channel_not_found"}
        return None
