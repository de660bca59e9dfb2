"""The build and send hours of `schedule`: wall-clock slots in the newsletter's time zone
(zoneinfo, so daylight-saving changes move nothing), and when the next send is due."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from digest.config import Config

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Slot:
    """A daily hour on some days of the week, in a time zone: "08:00 on tue in Europe/Paris"."""

    at: str
    days: tuple[str, ...]
    tz: str

    def _on(self, day: date) -> datetime | None:
        if DAYS[day.weekday()] not in self.days:
            return None
        hour, minute = map(int, self.at.split(":"))
        return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(self.tz))

    def _around(self, moment: datetime) -> Iterator[datetime]:
        today = moment.astimezone(ZoneInfo(self.tz)).date()
        for offset in range(-8, 9):
            slot = self._on(today + timedelta(days=offset))
            if slot is not None:
                yield slot

    def last(self, moment: datetime) -> datetime | None:
        """The latest slot at or before the moment (within the past week)."""
        past = [s for s in self._around(moment) if s <= moment]
        return max(past) if past else None

    def next(self, moment: datetime) -> datetime | None:
        future = [s for s in self._around(moment) if s > moment]
        return min(future) if future else None


def next_send(config: Config, moment: datetime) -> datetime | None:
    """The first send slot after the moment (None when `schedule.days` is empty)."""
    sched = config.schedule
    return Slot(sched.send_at, tuple(sched.days), config.newsletter.timezone).next(moment)
