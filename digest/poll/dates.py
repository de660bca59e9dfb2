"""Dates French feeds write that feedparser does not read: "lundi 15 janvier 2024 10h30",
"Lun, 15 janv. 2024 10:00:00 +0100", "15/01/2024 10:30". Without a zone: Europe/Paris.

Registered as a feedparser date handler; it returns None for anything else, so feedparser's
own handlers still read every date they read before.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import feedparser

from digest.language.fold import fold

PARIS = ZoneInfo("Europe/Paris")
_MONTHS = {
    "jan": 1, "fev": 2, "feb": 2, "mar": 3, "avr": 4, "apr": 4, "mai": 5, "may": 5,
    "juin": 6, "jun": 6, "juil": 7, "jul": 7, "aou": 8, "aug": 8, "sep": 9, "oct": 10,
    "nov": 11, "dec": 12,
}  # fmt: skip
_TIME = r"(?:[\s,]+(?:a\s+)?(\d{1,2})[h:](\d{2})?(?::(\d{2}))?)?\s*(z|gmt|utc|[+-]\d{2}:?\d{2})?"
_WORDS = re.compile(
    r"^(?:[a-z]+\.?,?\s+)?(\d{1,2})(?:er)?\s+([a-z]+)\.?\s+(\d{4})" + _TIME + r"\s*$"
)
_NUMERIC = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})" + _TIME + r"\s*$")


def _month(word: str) -> int | None:
    for size in (4, 3):
        if word[:size] in _MONTHS:
            return _MONTHS[word[:size]]
    return None


def parse_french_date(text: str) -> time.struct_time | None:
    """A UTC struct_time (feedparser's form), or None when the text is not such a date."""
    folded = fold(text.strip())
    m = _WORDS.match(folded)
    if m:
        day, month, year = int(m[1]), _month(m[2]), int(m[3])
    else:
        m = _NUMERIC.match(folded)
        if not m:
            return None
        day, month, year = int(m[1]), int(m[2]), int(m[3])
    if month is None:
        return None
    hour, minute, second, zone = int(m[4] or 0), int(m[5] or 0), int(m[6] or 0), m[7]
    if zone in ("z", "gmt", "utc"):
        tz: timezone | ZoneInfo = UTC
    elif zone:
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        tz = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    else:
        tz = PARIS
    moment = datetime(year, month, day, hour, minute, second, tzinfo=tz)
    return moment.astimezone(UTC).timetuple()


def register() -> None:
    feedparser.registerDateHandler(parse_french_date)
