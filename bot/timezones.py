"""Time zones as people type them: IANA names in any case, city names (`london`,
`beijing`), UTC offsets (`UTC+8`, `+05:30`) and abbreviations (`EST`, `CST`), read into an
IANA zone name with a note when the reading is not the obvious one.

Offsets become the fixed `Etc/GMT±N` zones (whole hours; IANA spells UTC+8 as
`Etc/GMT-8`), with a note that they keep no daylight saving. An abbreviation that names
several zones (CST: China, US Central, Cuba) is refused with the candidates.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, available_timezones

# Abbreviations people type -> the zones they may mean (one: read as it, with a note).
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "CST": ("Asia/Shanghai", "America/Chicago", "America/Havana"),
    "IST": ("Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"),
    "BST": ("Europe/London", "Asia/Dhaka"),
    "AST": ("America/Halifax", "Asia/Riyadh"),
    "EST": ("America/New_York",), "EDT": ("America/New_York",),
    "CDT": ("America/Chicago",), "MST": ("America/Denver",), "MDT": ("America/Denver",),
    "PST": ("America/Los_Angeles",), "PDT": ("America/Los_Angeles",),
    "CET": ("Europe/Paris",), "CEST": ("Europe/Paris",), "EET": ("Europe/Athens",),
    "WET": ("Europe/Lisbon",), "JST": ("Asia/Tokyo",), "KST": ("Asia/Seoul",),
    "HKT": ("Asia/Hong_Kong",), "SGT": ("Asia/Singapore",), "AEST": ("Australia/Sydney",),
    "AEDT": ("Australia/Sydney",), "NZST": ("Pacific/Auckland",), "GMT": ("UTC",),
    "UCT": ("UTC",), "PRC": ("Asia/Shanghai",), "ROC": ("Asia/Taipei",),
}
# Places that are not the last part of an IANA name.
CITIES = {
    "beijing": "Asia/Shanghai", "peking": "Asia/Shanghai", "hangzhou": "Asia/Shanghai",
    "shenzhen": "Asia/Shanghai", "guangzhou": "Asia/Shanghai", "nanjing": "Asia/Shanghai",
    "wuhan": "Asia/Shanghai", "hefei": "Asia/Shanghai", "china": "Asia/Shanghai",
    "delhi": "Asia/Kolkata", "new delhi": "Asia/Kolkata", "mumbai": "Asia/Kolkata",
    "bangalore": "Asia/Kolkata", "bengaluru": "Asia/Kolkata", "india": "Asia/Kolkata",
    "boston": "America/New_York", "washington": "America/New_York",
    "san francisco": "America/Los_Angeles", "seattle": "America/Los_Angeles",
    "munich": "Europe/Berlin", "zürich": "Europe/Zurich", "geneva": "Europe/Zurich",
    "edinburgh": "Europe/London", "japan": "Asia/Tokyo", "korea": "Asia/Seoul",
}
# Zones named first when an offset is typed: where most research groups are.
MAJOR = ("Asia/Shanghai", "Asia/Singapore", "Asia/Hong_Kong", "Asia/Taipei", "Asia/Tokyo",
         "Asia/Seoul", "Asia/Kolkata", "Asia/Colombo", "Asia/Kathmandu", "Asia/Dhaka",
         "Asia/Bangkok", "Asia/Jakarta", "Asia/Karachi", "Asia/Dubai", "Asia/Tehran",
         "Europe/London", "Europe/Paris", "Europe/Berlin", "Europe/Athens", "Europe/Moscow",
         "Africa/Lagos", "Africa/Cairo", "Africa/Johannesburg", "America/New_York",
         "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
         "America/Anchorage", "Pacific/Honolulu", "America/Halifax", "America/St_Johns",
         "America/Sao_Paulo", "America/Argentina/Buenos_Aires", "America/Mexico_City",
         "Australia/Perth", "Australia/Adelaide", "Australia/Brisbane", "Australia/Sydney",
         "Pacific/Auckland", "Atlantic/Azores", "Atlantic/Reykjavik")
_OFFSET = re.compile(r"(?:UTC|GMT)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?", re.IGNORECASE)
EXAMPLE = "type e.g. /settings timezone Europe/London, london or UTC+8"
# Dashes a paste or a phone keyboard puts where a minus is meant (`UTC−5`, `UTC–5`).
_MINUS = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212\ufe63", "-"))


def fold(text: str) -> str:
    """What a member typed, as plainly as it can be spelled: compatibility forms read as
    their plain letters and digits (`ＵＴＣ＋８`, `０９：００`), dashes as a minus, the
    invisible format characters a paste carries (zero-width space, BOM, direction marks)
    dropped, and spaces collapsed. Case and accents are kept (see `_key`)."""
    text = unicodedata.normalize("NFKC", text).translate(_MINUS)
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return " ".join(text.split())


def _key(text: str) -> str:
    """A folded name for looking up: lower case, accents off (`São Paulo`, `İstanbul`)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True, slots=True)
class ZoneReading:
    name: str  # the IANA zone
    note: str | None = None  # said back when the reading is not the obvious one


class ZoneError(ValueError):
    """A zone that cannot be read; the message says what to type instead."""


# In the tz database but no place's clock: `localtime` is whatever the host's clock is
# (another machine reads it differently), `Factory` shows every time as "-00".
NOT_ZONES = frozenset({"localtime", "Factory", "posixrules"})


@functools.cache
def _names() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones() - NOT_ZONES}


@functools.cache
def _places() -> dict[str, str]:
    """`new york` -> America/New_York: each zone's last part, for the canonical regions."""
    places = {}
    for name in sorted(available_timezones()):
        region, _, place = name.rpartition("/")
        if region.split("/")[0] in ("Africa", "America", "Antarctica", "Asia", "Atlantic",
                                    "Australia", "Europe", "Indian", "Pacific"):
            places.setdefault(place.replace("_", " ").lower(), name)
    return places | CITIES


def read_zone(text: str, now: datetime) -> ZoneReading:
    """The IANA zone `text` means, or ZoneError saying what to type instead."""
    typed = fold(text)
    key = _key(typed)
    abbreviation = ABBREVIATIONS.get(typed.upper())
    if abbreviation and key not in ("utc", "gmt"):
        return _abbreviation(typed.upper(), abbreviation)
    if key in _names():
        return ZoneReading(_names()[key])
    offset = _OFFSET.fullmatch(typed)
    if offset:
        return _offset(typed, offset, now)
    place = _places().get(key) or _places().get(key.rpartition("/")[2].replace("_", " "))
    if place:
        return ZoneReading(place, f"{typed} read as {place}")
    known = _names() | _places()
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.8)
    hint = f"did you mean {known[close[0]]}? " if close else ""
    shown = typed if len(typed) <= 40 else typed[:40] + "…"  # said back, not pasted back
    raise ZoneError(f"{shown!r} is not a time zone lectern knows; {hint}{EXAMPLE}")


def _abbreviation(typed: str, zones: tuple[str, ...]) -> ZoneReading:
    if len(zones) > 1:
        raise ZoneError(f"{typed} can mean {', '.join(zones)}: type the one you mean, e.g. "
                        f"/settings timezone {zones[0]}")
    return ZoneReading(zones[0], f"{typed} read as {zones[0]}, which follows that place's "
                                 "clocks (daylight saving included)")


def _offset(typed: str, found: re.Match[str], now: datetime) -> ZoneReading:
    sign, hours, minutes = found[1], int(found[2]), int(found[3] or 0)
    delta = timedelta(hours=hours, minutes=minutes) * (1 if sign == "+" else -1)
    there = _zones_at(delta, now)
    examples = f" (zones at that offset now: {', '.join(there)})" if there else ""
    name = "UTC" if hours == 0 else f"Etc/GMT{'-' if sign == '+' else '+'}{hours}"
    if minutes or name.lower() not in _names():  # Etc/ spans UTC-12 to UTC+14
        if not there:
            raise ZoneError(f"{typed} is not an offset any zone uses; {EXAMPLE}")
        raise ZoneError(f"{typed} has no fixed zone; type the place{examples}, e.g. "
                        f"/settings timezone {there[0]}")
    return ZoneReading(name, f"{typed} is a fixed offset with no daylight saving{examples}; "
                             "to follow a place's clocks, type the place instead")


def _zones_at(delta: timedelta, now: datetime, shown: int = 3) -> list[str]:
    def at(names) -> list[str]:
        return [name for name in names if now.astimezone(ZoneInfo(name)).utcoffset() == delta]
    return (at(MAJOR) or at(sorted(set(_places().values()))))[:shown]


def zone_label(name: str) -> str:
    """How a zone is shown: `Etc/GMT-8` (IANA's inverted sign) as `UTC+8`."""
    found = re.fullmatch(r"Etc/GMT([+-])(\d{1,2})", name)
    if not found:
        return name
    return f"UTC{'-' if found[1] == '+' else '+'}{found[2]}"
