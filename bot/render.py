"""Items -> neutral Messages (pure). Adapters decide how a Message looks on their platform."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.chat import Button, Message
from bot.gcal import google_calendar_url
from bot.models import TALK_CANCELLED, Paper, SearchHit, Source, SourceHealth, Talk
from bot.outbox import RECOMMENDED
from bot.redact import redact
from bot.timezones import zone_label

ABSTRACT_CHARS = 400


def trim(text: str, limit: int) -> str:
    """Cut at a word boundary with an ellipsis; never mid-word when avoidable."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1].rsplit(" ", 1)[0]
    return (cut or text[:limit - 1]) + "…"


def authors_line(authors: list[str], shown: int = 3) -> str:
    if len(authors) <= shown:
        return ", ".join(authors)
    return ", ".join(authors[:shown]) + f" et al. ({len(authors)} authors)"


def render_paper(paper: Paper) -> Message:
    fields = []
    if paper.authors:
        fields.append(("Authors", authors_line(paper.authors)))
    if paper.categories:
        fields.append(("Categories", " ".join(paper.categories[:6])))
    if paper.upvotes is not None:
        fields.append(("Upvotes", str(paper.upvotes)))
    buttons = [Button("PDF", paper.pdf_url)] if paper.pdf_url else []
    if paper.github_url:
        buttons.append(Button("Code", paper.github_url))
    day = paper.published.date().isoformat() if paper.published else None
    abstract = trim(paper.abstract, ABSTRACT_CHARS) if paper.abstract else None
    text = "\n".join(filter(None, [paper.title, authors_line(paper.authors), paper.url]))
    return Message(text=text, title=paper.title, link=paper.url or None, body=abstract,
                   fields=fields, context=day, buttons=buttons, kind="paper",
                   vote_on=paper.id)


def render_hit(hit: SearchHit) -> Message:
    day = hit.published.date().isoformat() if hit.published else "undated"
    context = " · ".join(filter(None, [authors_line(hit.authors), day]))
    return Message(text=f"{hit.title}\n{context}\n{hit.url}", title=hit.title,
                   link=hit.url or None, context=context,
                   vote_on=hit.id if hit.kind == "paper" else None)


def render_list(heading: str, items: list[Message], empty: str) -> Message:
    if not items:
        return Message(text=empty)
    lines = [heading] + [f"{n}. {item.text}" for n, item in enumerate(items, 1)]
    return Message(text="\n".join(lines), title=heading, items=items, kind="list")


def when_line(talk: Talk, zone: str) -> str:
    """`Thu 3 Dec 2026, 15:00–16:00 Europe/London` in the reader's zone."""
    if talk.start is None:
        return "time to be announced"
    try:
        tz, label = ZoneInfo(zone), zone_label(zone)
        start, ends = talk.start.astimezone(tz), talk.end and talk.end.astimezone(tz)
    except OverflowError:  # year 1 or 9999 has no local time west or east of UTC
        label, start, ends = "UTC", talk.start.astimezone(UTC), talk.end
    if talk.all_day:
        return f"{start:%a} {start.day} {start:%b %Y} (all day)"
    end = "" if not ends or talk.end <= talk.start else f"–{ends:%H:%M}" if (  # an end
        ends.date() == start.date()) else f" – {ends:%a} {ends.day} {ends:%b %Y}, {ends:%H:%M}"
    return f"{start:%a} {start.day} {start:%b %Y}, {start:%H:%M}{end} {label}"


def render_talk(talk_id: str, talk: Talk, zone: str,
                changes: dict[str, list] | None = None) -> Message:
    """A talk: status, time in the reader's zone, speaker, place, how to join (link,
    meeting ID, passcode), series and id; `changes` (storage's {field: [old, new]}) marks
    a talk that moved."""
    speaker = ", ".join(talk.speakers) or "speaker to be announced"
    who = speaker + (f" ({talk.affiliation})" if talk.affiliation else "")
    cancelled = talk.status == TALK_CANCELLED
    moved = not cancelled and bool(changes) and "start" in changes
    title = ("CANCELLED: " if cancelled else "MOVED: " if moved else "") + talk.title
    fields = [("When", when_line(talk, zone)), ("Speaker", who)]
    if talk.location:
        fields.append(("Where", talk.location))
    if talk.meeting_url:
        fields.append(("Join", talk.meeting_url))
    fields += _meeting_details(talk)
    lines = [title, f"{when_line(talk, zone)} · {who}"]
    lines += [value for name, value in fields[2:] if name in ("Where", "Join")]
    if details := [f"{name.lower()} {value}" for name, value in fields if name in _DETAILS]:
        lines.append(" · ".join(details))
    context = " · ".join(filter(None, [talk.series, talk_id]))
    lines.append(context)  # the id is what /remind and /seminars add's replies name
    return Message(text="\n".join(lines), title=title, link=talk.url or None, kind="talk",
                   starts_at=talk.start, ends_at=talk.end,
                   body=trim(talk.abstract, ABSTRACT_CHARS) if talk.abstract else None,
                   fields=fields, context=context)


_DETAILS = ("Meeting ID", "Passcode")


def _meeting_details(talk: Talk) -> list[tuple[str, str]]:
    """What a member needs besides the link to join (Tencent Meeting, Zoom, Teams)."""
    return [(name, trim(value, 60)) for name, value in
            (("Meeting ID", talk.meeting_id), ("Passcode", talk.meeting_password)) if value]


def with_matched(message: Message, matched: str | None, *,
                 recommended: bool = False) -> Message:
    """Add the "matched: ..." line an announcement carries; for a paper the channel's taste
    chose, `matched` is why: "recommended: like *Title* that 3 of you liked"."""
    if matched:
        line = f"{RECOMMENDED}: {matched}" if recommended else f"matched: {matched}"
        message.context = " · ".join(filter(None, [message.context, line]))
        message.text += f"\n{line}"
    return message


def render_paper_announcement(paper: Paper, matched: str | None, *,
                              recommended: bool = False) -> Message:
    return with_matched(render_paper(paper), matched, recommended=recommended)


def render_talk_announcement(talk_id: str, talk: Talk, zone: str,
                             matched: str | None) -> Message:
    message = render_talk(talk_id, talk, zone)
    message.title = f"New talk: {message.title}"
    message.text = "New talk: " + message.text
    if talk.status != TALK_CANCELLED and (added := google_calendar_url(talk)):
        message.buttons.append(Button("Add to Google Calendar", added))
    return with_matched(message, matched)


def _prefixed(message: Message, prefix: str) -> Message:
    message.title = f"{prefix}{message.title}"
    message.text = f"{prefix}{message.text}"
    return message


def render_reminder(talk_id: str, talk: Talk, zone: str, now: datetime,
                    late: bool) -> Message:
    minutes = max(0, round((talk.start - now).total_seconds() / 60)) if talk.start else 0
    soon = f"starts in {format_minutes(minutes)}" if minutes else "starts now"
    message = _prefixed(render_talk(talk_id, talk, zone), f"Reminder ({soon}): ")
    message.kind = "reminder"
    if late:
        message.context = " · ".join(filter(None, [message.context, "late: lectern was "
                                                   "offline at the reminder time"]))
        message.text += "\n(late: lectern was offline when this reminder was due)"
    return message


def render_talk_update(talk_id: str, talk: Talk, zone: str, changed: list[str],
                       before: dict[str, list] | None = None) -> Message:
    """A told talk that changed; `before` ({field: [old, new]}) shows a new title or
    speaker as old → new."""
    what = ", ".join({"start": "time", "end": "end time", "location": "room",
                      "meeting_url": "link", "title": "title", "speakers": "speaker",
                      "status": "status"}.get(c, c) for c in changed)
    prefix = "Rescheduled: " if "start" in changed else "Updated: "
    message = _prefixed(render_talk(talk_id, talk, zone), prefix)
    message.text += f"\nchanged: {what}"
    for field, label in (("title", "title"), ("speakers", "speaker")):
        if field in changed and before and field in before:
            old, new = (_shown(value) for value in before[field])
            message.text += f"\n{label}: {old} → {new}"
            message.fields.append((f"Was ({label})", old))
    message.kind = "updated"
    return message


def _shown(value: object) -> str:
    """A stored field's value as read: speakers are stored as a JSON list."""
    if isinstance(value, str) and value.startswith("["):
        try:
            value = ", ".join(json.loads(value))
        except (ValueError, TypeError):
            pass
    if isinstance(value, list):
        value = ", ".join(map(str, value))
    return trim(str(value or "(none)"), 200)


def render_talk_cancelled(talk_id: str, talk: Talk, zone: str) -> Message:
    message = render_talk(talk_id, talk, zone)
    message.title = f"Cancelled: {talk.title}"
    message.kind = "cancelled"
    message.text = "Cancelled: " + message.text.replace("CANCELLED: ", "", 1)
    return message


def render_paper_batch(papers: list[tuple[Paper, str | None]], heading: str,
                       more: int = 0, search: str | None = None,
                       recommended: set[str] | frozenset[str] = frozenset()) -> Message:
    """Several papers in one message (a digest, or a catch-up after downtime); `search`: the
    terms one of the `more` unlisted matched; `recommended`: ids the channel's taste chose."""
    items = [with_matched(render_paper(paper), matched, recommended=paper.id in recommended)
             for paper, matched in papers]
    message = render_list(heading, items, heading)
    if more:
        terms = [f'"{t}"' if " " in t and not t.startswith('"') else t
                 for t in (search or "").split(", ") if t]
        tail = f"…and {more} more matching papers: /papers search {' OR '.join(terms[:4])}"
        tail = tail.rstrip()
        message.text += f"\n{tail}"
        message.items.append(Message(text=tail))
    return message


def render_talk_batch(talks: list[tuple[str, Talk, str | None]], heading: str, zone: str,
                      more: int = 0) -> Message:
    """Several talks in one message (a new subscriber's upcoming talks, a term at once)."""
    items = [with_matched(render_talk(talk_id, talk, zone), matched)
             for talk_id, talk, matched in talks]
    message = render_list(heading, items, heading)
    if more > 0:
        tail = f"…and {more} more: /seminars upcoming lists them"
        message.text += f"\n{tail}"
        message.items.append(Message(text=tail))
    return message


def render_quiet_digest(day: str, announcement: datetime | None = None) -> Message:
    """A digest day with no arXiv paper: none was scheduled, or the one that was (at
    `announcement`, UTC) brought nothing, which is a holiday or a stale listing."""
    if announcement is None:
        why = ("arXiv made no announcement since the last digest (it announces Sunday to "
               "Thursday evenings, US Eastern), so there is nothing new to match.")
    else:
        why = (f"arXiv's announcement of {announcement:%a %d %b} {announcement:%H:%M} UTC "
               "brought no new papers here: an arXiv holiday, or the listing looks stale "
               "(/sources shows its health).")
    return Message(text=f"Digest for {day}: {why}", kind="digest")


def format_minutes(minutes: int) -> str:
    """1440 -> `1d`, 90 -> `1h30m`, 15 -> `15m`."""
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    return "".join(f"{n}{unit}" for n, unit in ((days, "d"), (hours, "h"), (mins, "m"))
                   if n) or "0m"


def source_health(source: Source, health: SourceHealth) -> str:
    """`ok, read 12 talks, last success ...`, `failing (N in a row): error; last success
    ...`, `behind: why; ...`, or for an unhealthy source (bot.health) `UNHEALTHY, failing
    ...`, `UNHEALTHY, stale: why; ...`, `UNHEALTHY, read 0 talks from its last document
    (warning: ...); ...` (an ok source's reason says what its last document held)."""
    last = (f"last success {source.last_success:%Y-%m-%d %H:%M} UTC" if source.last_success
            else "never succeeded" if source.failures else "not polled yet")
    flag = "UNHEALTHY, " if health.unhealthy else ""
    if source.failures:  # a fetch error names the URL, which may carry a `?token=`
        return (f"{flag}failing ({source.failures} in a row): "
                f"{redact(source.last_error or '')}; {last}")
    if health.state in ("stale", "behind"):
        return f"{flag}{health.state}: {health.reason}; {last}"
    if health.state == "empty":  # the reason says what was read: "read 0 talks ..."
        return f"{flag}{health.reason}; {last}"
    if not source.last_success:
        return last
    return f"ok, {health.reason}, {last}" if health.reason else f"ok, {last}"


def render_source_notice(source: Source, health: SourceHealth) -> Message:
    """Told once to the source's managers when it turns failing, stale or empty."""
    if health.state == "failing":
        title = f"Source {source.name} is failing"
        error = redact(source.last_error or "no error recorded")
        detail = (f"{health.reason}; the last error: {error}. lectern keeps trying, less "
                  "often while it fails.")
    elif health.state == "empty":
        title = f"Source {source.name} yielded nothing"
        detail = (f"{health.reason}. Check that its address still gives its items, in a "
                  "form lectern reads (what it could not read is a warning in the log).")
    else:
        title = f"Source {source.name} looks stale"
        detail = f"{health.reason}. Check that its address still gives fresh content."
    text = (f"{title} [{source.kind}]: {detail}\n/sources shows every source's health; "
            "this channel hears once more when it is back to normal.")
    return Message(text=text, title=title, body=detail, context=source.kind)


def render_source_recovered(source: Source, was: str) -> Message:
    title = f"Source {source.name} is back to normal"
    return Message(text=f"{title} [{source.kind}] (it was {was}).", title=title,
                   context=source.kind)
