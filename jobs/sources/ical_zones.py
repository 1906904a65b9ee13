"""Windows time zones as Outlook and Exchange write them -> IANA names.

A Windows zone ID ("China Standard Time") is mapped by icalendar's own table; Outlook and
Exchange also write the zone's display name ('TZID="(UTC-05:00) Eastern Time (US &
Canada)"', '(GMT+10:00) Canberra, Melbourne, Sydney'), which no table lectern has lists.
The name says its standard offset and then cities or a region: a city of the IANA database
with that standard offset, else the region's Windows ID ("Eastern" -> "Eastern Standard
Time"), else a fixed offset, names the zone. Exchange 2010 writes such TZIDs with no
VTIMEZONE; then they are renamed before parsing, or every time would be read as floating.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, available_timezones

from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

_DISPLAY = re.compile(r"\(\s*(?:UTC|GMT)\s*(?:(?P<sign>[+-])\s*(?P<hours>\d{1,2})"
                      r"(?::?(?P<minutes>\d{2}))?)?\s*\)\s*(?P<rest>.*)", re.IGNORECASE)
_PARTS = re.compile(r"\s*(?:,|&|/|\band\b)\s*")
_REGION = re.compile(r"(?P<region>.+?)\s+(?:standard\s+)?time\b", re.IGNORECASE)
# A TZID parameter naming a display name, quoted (Outlook) or not.
_TZID_PARAM = re.compile(r";TZID=(?:\"(?P<quoted>\([^\"]*)\"|(?P<bare>\([^:;\"]*))(?=[:;])",
                         re.IGNORECASE)
_TZID_LINE = re.compile(r"^TZID[ \t]*:(?P<name>[^\r\n]*)", re.IGNORECASE | re.MULTILINE)
# Standard offsets are read in both halves of a year: a zone in summer time then is not.
_SEASONS = (datetime(2024, 1, 15), datetime(2024, 7, 15))


def iana_name(tzid: str) -> str:
    """The IANA name of a TZID: itself when the database knows it, else its Windows ID or
    display name mapped; the TZID unchanged when none reads."""
    if tzid in WINDOWS_TO_OLSON:
        return WINDOWS_TO_OLSON[tzid]
    return display_zone(tzid) or tzid


@functools.lru_cache(maxsize=256)
def display_zone(tzid: str) -> str | None:
    """'(UTC+07:00) Bangkok, Hanoi, Jakarta' -> 'Asia/Bangkok'; None for any other TZID."""
    match = _DISPLAY.fullmatch(" ".join(tzid.replace("\\,", ",").split()))
    if match is None:
        return None
    sign = -1 if match["sign"] == "-" else 1
    offset = sign * timedelta(hours=int(match["hours"] or 0), minutes=int(match["minutes"] or 0))
    rest = re.sub(r"\([^)]*\)", " ", match["rest"])
    for candidate in _candidates(rest):
        if _standard_offset_is(candidate, offset):
            return candidate
    return _fixed(offset)


def name_display_zones(text: str) -> str:
    """The calendar with each TZID parameter that is a display name no VTIMEZONE of the
    calendar defines renamed to its IANA zone (Exchange 2010 writes no VTIMEZONE)."""
    if "TZID=" not in text.upper() or "(" not in text:
        return text
    defined = {line["name"].strip().replace("\\,", ",") for line in _TZID_LINE.finditer(text)}

    def renamed(param: re.Match[str]) -> str:
        name = param["quoted"] or param["bare"] or ""
        zone = None if name.strip() in defined else display_zone(name)
        return f";TZID={zone}" if zone else param.group(0)

    return _TZID_PARAM.sub(renamed, text)


def _candidates(rest: str) -> list[str]:
    """Zones the words after the offset name: cities first, then the region's Windows ID."""
    cities = _cities()
    found = [cities[key] for part in _PARTS.split(rest) if (key := _key(part)) in cities]
    region = _REGION.match(rest.strip())
    if region is not None:
        windows = f"{region['region'].strip()} Standard Time"
        if windows in WINDOWS_TO_OLSON:
            found.append(WINDOWS_TO_OLSON[windows])
    return found


@functools.cache
def _cities() -> dict[str, str]:
    """The last part of every IANA name ("new delhi" is none, "kolkata" is) -> the name;
    the first name in sorted order wins for a city two areas share."""
    cities: dict[str, str] = {}
    for name in sorted(available_timezones()):
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/")):
            cities.setdefault(_key(name.rsplit("/", 1)[1]), name)
    return cities


def _key(text: str) -> str:
    bare = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "_".join(bare.replace(".", " ").casefold().split())


def _standard_offset_is(name: str, offset: timedelta) -> bool:
    zone = ZoneInfo(name)
    for moment in _SEASONS:
        local = moment.replace(tzinfo=zone)
        if (local.utcoffset() or timedelta()) - (local.dst() or timedelta()) == offset:
            return True
    return False


def _fixed(offset: timedelta) -> str | None:
    """A whole-hour offset as its Etc zone (whose sign is the POSIX one, the other way)."""
    hours, remainder = divmod(int(offset.total_seconds()), 3600)
    if remainder or not -14 <= hours <= 12:
        return None
    return "UTC" if hours == 0 else f"Etc/GMT{-hours:+d}"
