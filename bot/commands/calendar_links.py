"""/seminars calendar [reset] and /remind calendar: the address of a live calendar feed
(served by bot.app.calendars), answered only to the member who asks."""

from __future__ import annotations

from bot.chat import Invocation, Message, Reply
from bot.commands.context import BotContext
from bot.commands.declare import UsageError
from storage.calendar_feeds import feed_links

HOW_TO = ("Google Calendar: Other calendars › + › From URL, paste the https link. Outlook: "
          "Add calendar › Subscribe from web. Apple Calendar: File › New Calendar "
          "Subscription (or open the webcal link).")


async def feed_reply(ctx: BotContext, owner: str, what: str, *,
                     rotate: bool = False) -> Reply:
    """The feed's links and how to add them, or what the operator must set first."""
    public = ctx.settings.http.public_url
    if not public:
        raise UsageError("calendar feeds need the address lectern is reached by: ask the "
                         "operator to set LECTERN_PUBLIC_URL (see the README)")
    now = ctx.clock.now()  # a first secret is made, or a new one: its lock awaited
    secret = await ctx.store.transaction_when_free(
        lambda: ctx.store.feed_secret(owner, now, rotate=rotate))
    https, webcal = feed_links(public, secret)
    said = ("A new address: the old one no longer works.\n" if rotate else "")
    text = (f"{said}{what} as a live calendar (it follows every change):\n{https}\n"
            f"{webcal}\n{HOW_TO}\nAnyone with the link can read it; keep it to yourself.")
    return Reply(Message(text=text), ephemeral=True)


def reset_allowed(invocation: Invocation, action: str | None) -> bool:
    """Whether the invocation may rotate the channel's feed (`reset`: managers only)."""
    if action != "reset":
        return False
    if not invocation.is_manager:
        raise UsageError("only channel managers can reset the channel's calendar address; "
                         "ask one of them")
    return True
