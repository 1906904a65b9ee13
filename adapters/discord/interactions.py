"""Answering interactions: a slash command or button becomes an Invocation for the neutral
registry (typed values for app commands, text for the "Remind me" button), and its Reply
goes back to the member (ephemeral when private), deferred first when the work may take
time. Also the paste form of `/seminars add` and "Remind me"."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime

import discord

from adapters.discord.embeds import render
from bot.chat import ChannelRef, Invocation, Message, Reply, UserRef
from bot.commands.registry import Registry

log = logging.getLogger(__name__)
NO_MENTIONS = discord.AllowedMentions.none()


def is_manager(interaction: discord.Interaction) -> bool:
    """Whether the member may manage this channel: Discord's Manage Channels permission
    (or Administrator), as resolved for this channel in the interaction itself."""
    permissions = interaction.permissions
    return bool(interaction.guild_id) and (permissions.manage_channels
                                           or permissions.administrator)


def invocation(interaction: discord.Interaction, command: str, args: str = "", *,
               sub: str | None = None, values: Mapping[str, object] | None = None
               ) -> Invocation:
    """The command as text (`args`, parsed by the registry), or, for an app command, its
    subcommand and the values of its options as Discord typed them."""
    user = interaction.user
    return Invocation(command, args, ChannelRef("discord", str(interaction.channel_id)),
                      UserRef(str(user.id), user.display_name), is_manager=is_manager(interaction),
                      subcommand=sub, values=values)


class Responder:
    """Runs invocations for interactions and answers them."""

    def __init__(self, registry: Registry, now: Callable[[], datetime]) -> None:
        self.registry = registry
        self.now = now

    async def run(self, interaction: discord.Interaction, command: str, args: str = "", *,
                  sub: str | None = None, values: Mapping[str, object] | None = None,
                  slow: bool = False) -> Reply:
        """Dispatch and answer; `slow` work is deferred first (Discord waits 3 s at most)."""
        async with self.registry.foreground.serving():
            if slow and not interaction.response.is_done():
                await interaction.response.defer(ephemeral=True, thinking=True)
            reply = await self.registry.dispatch(invocation(interaction, command, args,
                                                            sub=sub, values=values))
            await self.answer(interaction, reply)
        return reply

    async def answer(self, interaction: discord.Interaction, reply: Reply) -> None:
        """Send the reply. After a (private) defer, a private reply replaces the "thinking"
        note and a public one is posted to the channel while the note is removed."""
        parts = message_parts(reply.message, self.now())
        try:
            if not interaction.response.is_done():
                await interaction.response.send_message(ephemeral=reply.ephemeral, **parts)
            elif reply.ephemeral:
                await interaction.edit_original_response(**parts)
            else:
                await interaction.followup.send(ephemeral=False, wait=True, **parts)
                await interaction.delete_original_response()
        except discord.HTTPException as error:  # expired or deleted: nothing more to do
            log.warning("could not answer /%s: %s", getattr(interaction.command, "name", "?"),
                        error)

    async def remind(self, interaction: discord.Interaction, talk_id: str) -> None:
        """The "Remind me" button: the core's /remind, for the member who clicked."""
        await self.run(interaction, "remind", talk_id, slow=True)

    def paste_form(self, command: str, sub: str, param: str,
                   label: str) -> discord.ui.Modal:
        return PasteForm(self, command, sub, param, label)


def message_parts(message: Message, now: datetime, *, direct: bool = False) -> dict:
    """Keyword arguments for discord.py's send/edit calls: never a mention, and in a
    `direct` message to one member no "Remind me" (that message is the reminder)."""
    rendered = render(message, now, remindable=not direct)
    parts: dict = {"allowed_mentions": NO_MENTIONS}
    if rendered.content or not rendered.embed:
        parts["content"] = rendered.content or "\u200b"
    if rendered.embed:
        parts["embed"] = rendered.embed
    view = rendered.view()
    if view is not None:
        parts["view"] = view
    return parts


class PasteForm(discord.ui.Modal):
    """A multi-line box for text a one-line slash option would flatten (an announcement)."""

    text: discord.ui.TextInput = discord.ui.TextInput(
        label="Announcement", style=discord.TextStyle.paragraph, max_length=4000,
        placeholder="Title: …\nSpeaker: …\nTime: 2026-12-03 15:00-16:00\nLocation: …")

    def __init__(self, responder: Responder, command: str, sub: str, param: str,
                 label: str) -> None:
        super().__init__(title=label[:45], timeout=900)
        self.responder, self.command, self.sub, self.param = responder, command, sub, param

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await self.responder.run(interaction, self.command, sub=self.sub,
                                 values={self.param: self.text.value}, slow=True)


class RemindButton(discord.ui.DynamicItem[discord.ui.Button],
                   template=r"remind:(?P<talk>[A-Za-z0-9:._-]{1,90})"):
    """Any "Remind me" button, also on messages sent before a restart."""

    def __init__(self, talk_id: str) -> None:
        super().__init__(discord.ui.Button(label="Remind me", custom_id=f"remind:{talk_id}"))
        self.talk_id = talk_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item,
                             match, /) -> RemindButton:
        return cls(match["talk"])

    async def callback(self, interaction: discord.Interaction) -> None:
        responder = getattr(interaction.client, "responder", None)
        if responder is not None:
            await responder.remind(interaction, self.talk_id)
