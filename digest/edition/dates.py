"""Dates as a French reader says them: « 7 décembre 2026 », « mardi 8 décembre 2026 à 08:00 »."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime


def day(moment: date | datetime | None, tz: str = "Europe/Paris") -> str:
    """« 7 décembre 2026 » (a datetime is first put in the time zone)."""
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        moment = moment.astimezone(ZoneInfo(tz)).date()
    return format_date(moment, "d MMMM y", locale="fr")


def when(moment: datetime | None, tz: str = "Europe/Paris") -> str:
    """« mardi 8 décembre 2026 à 08:00 », in the time zone."""
    if moment is None:
        return ""
    local = moment.astimezone(ZoneInfo(tz))
    return format_datetime(local, "EEEE d MMMM y 'à' HH:mm", locale="fr")
