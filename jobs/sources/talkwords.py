"""The flat text the time readers work on, and their word lists: months, weekdays, zone names."""

from __future__ import annotations

import re
import unicodedata

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}
# Monday is 0, as in date.weekday().
WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tues": 1, "tue": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thurs": 3, "thur": 3, "thu": 3, "friday": 4, "fri": 4, "saturday": 5,
    "sat": 5, "sunday": 6, "sun": 6,
}
CN_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
# Only names that mean one zone: "CST" (China or US Central) and "IST" (India, Israel or
# Ireland) are left to the source's own zone.
ZONE_WORDS = {
    "北京时间": "Asia/Shanghai", "beijing time": "Asia/Shanghai", "china time": "Asia/Shanghai",
    "uk time": "Europe/London", "london time": "Europe/London", "bst": "Europe/London",
    "est": "America/New_York", "edt": "America/New_York", "eastern time": "America/New_York",
    "ct": "America/Chicago", "cdt": "America/Chicago", "central time": "America/Chicago",
    "mdt": "America/Denver", "mst": "America/Denver", "mountain time": "America/Denver",
    "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles",
    "pacific time": "America/Los_Angeles", "et": "America/New_York", "pt": "America/Los_Angeles",
    "cet": "Europe/Berlin", "cest": "Europe/Berlin", "central european time": "Europe/Berlin",
    "jst": "Asia/Tokyo", "kst": "Asia/Seoul", "hkt": "Asia/Hong_Kong", "sgt": "Asia/Singapore",
    "aest": "Australia/Sydney", "aedt": "Australia/Sydney", "nzst": "Pacific/Auckland",
    "nzdt": "Pacific/Auckland", "utc": "UTC", "gmt": "UTC",
}
# Abbreviations are also words ("et al.", "est. 1990"): they count only right after a clock.
ZONE_ABBREVIATIONS = frozenset(name for name in ZONE_WORDS if name.isascii() and " " not in name)
PM_WORDS = frozenset({"pm", "中午", "下午", "傍晚", "晚上", "晚", "noon"})
AM_WORDS = frozenset({"am", "上午", "早上", "早晨", "凌晨", "midnight"})

_DASHES = re.compile(r"[\u2010-\u2015\u2212~\ufe58\ufe63\u301c\u2053]")
_MERIDIEM = re.compile(r"(?<=[\d\s])([ap])\.?[ \t]?m\b\.?")
_SPACES = re.compile(r"[^\S\n]+")


def normalize(text: str) -> str:
    """Lower-case ASCII-ish form: full-width forms folded, dashes unified, "p.m." -> "pm"."""
    flat = unicodedata.normalize("NFKC", text).lower()
    flat = _SPACES.sub(" ", _DASHES.sub("-", flat))
    return _MERIDIEM.sub(r"\1m", flat)
