"""👍/👎 on papers, as Discord components: two buttons under a paper's announcement, two
menus ("More like…", "Not for us…") under a list of papers. A click is the core's
`/papers vote <id> up|down` for the member who clicked, answered privately; the
components are DynamicItems, so clicks on messages sent before a restart still count."""

from __future__ import annotations

import discord

MAX_ID = 90  # custom_id holds 100 characters: "vote:down:" (10) and the paper id
MAX_OPTIONS = 25  # a menu's options
LABEL = 100
DIRECTIONS = {"up": ("👍", "More like this"), "down": ("👎", "Not for us")}
MENU_PLACEHOLDER = {"up": "👍 More like…", "down": "👎 Not for us…"}


def vote_buttons(paper_id: str) -> list[discord.ui.Button]:
    """The two buttons of one paper; none when its id is too long for a custom_id."""
    if len(paper_id) > MAX_ID:
        return []
    return [discord.ui.Button(label=label, emoji=emoji, custom_id=f"vote:{way}:{paper_id}",
                              style=discord.ButtonStyle.secondary)
            for way, (emoji, label) in DIRECTIONS.items()]


def vote_menus(papers: list[tuple[str, str]]) -> list[discord.ui.Select]:
    """Two menus for the (title, paper id) of a list: one to like, one to turn down."""
    options = [(title, paper_id) for title, paper_id in papers if len(paper_id) <= LABEL]
    if not options:
        return []
    menus = []
    for way in DIRECTIONS:
        menu = discord.ui.Select(custom_id=f"votes:{way}", placeholder=MENU_PLACEHOLDER[way],
                                 min_values=1, max_values=1)
        for number, (title, paper_id) in enumerate(options[:MAX_OPTIONS], 1):
            menu.add_option(label=f"{number}. {title}"[:LABEL], value=paper_id)
        menus.append(menu)
    return menus


async def _vote(interaction: discord.Interaction, way: str, paper_id: str) -> None:
    """The core's /papers vote, typed (never text to parse), for the member who clicked;
    answered privately whatever the click held."""
    responder = getattr(interaction.client, "responder", None)
    if responder is not None:
        await responder.run(interaction, "papers", sub="vote",
                            values={"id": paper_id, "vote": way})


class VoteButton(discord.ui.DynamicItem[discord.ui.Button],
                 template=r"vote:(?P<way>up|down):(?P<paper>\S{1,90})"):
    """Any 👍/👎 button, also on messages sent before a restart."""

    def __init__(self, way: str, paper_id: str) -> None:
        emoji, label = DIRECTIONS[way]
        super().__init__(discord.ui.Button(label=label, emoji=emoji,
                                           custom_id=f"vote:{way}:{paper_id}"))
        self.way, self.paper_id = way, paper_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item,
                             match, /) -> VoteButton:
        return cls(match["way"], match["paper"])

    async def callback(self, interaction: discord.Interaction) -> None:
        await _vote(interaction, self.way, self.paper_id)


class VoteMenu(discord.ui.DynamicItem[discord.ui.Select], template=r"votes:(?P<way>up|down)"):
    """Either menu of a list, also on messages sent before a restart."""

    def __init__(self, way: str) -> None:
        super().__init__(discord.ui.Select(custom_id=f"votes:{way}"))
        self.way = way

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item,
                             match, /) -> VoteMenu:
        return cls(match["way"])

    async def callback(self, interaction: discord.Interaction) -> None:
        values = (interaction.data or {}).get("values") or []
        await _vote(interaction, self.way, str(values[0]) if values else "")
