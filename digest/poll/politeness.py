"""When to poll a feed next (pure): the configured interval, the feed's own hints, backoff.

After a success: the longest of the configured interval, the feed's RSS `ttl` and the
response's Cache-Control max-age / Expires, kept within polling.min/max_interval_minutes.
After a failure: the interval doubled per consecutive error, within the same bounds, and never
before a Retry-After the server sent (that one is capped by the maximum interval too).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from digest.config import Config


def _bounded(config: Config, wait: timedelta) -> timedelta:
    p = config.polling
    low = timedelta(minutes=p.min_interval_minutes)
    high = timedelta(minutes=max(p.max_interval_minutes, p.min_interval_minutes))
    return min(max(wait, low), high)


def after_success(
    config: Config, moment: datetime, ttl_minutes: int | None, lifetime: timedelta | None
) -> datetime:
    hints = [timedelta(minutes=config.schedule.poll_every_minutes)]
    if ttl_minutes and ttl_minutes > 0:
        hints.append(timedelta(minutes=ttl_minutes))
    if lifetime is not None:
        hints.append(lifetime)
    return moment + _bounded(config, max(hints))


def after_failure(
    config: Config, moment: datetime, errors: int, retry_at: datetime | None
) -> tuple[datetime, datetime | None]:
    """(next poll, not-before) after the errors-th consecutive failure."""
    base = timedelta(minutes=config.schedule.poll_every_minutes)
    wait = _bounded(config, base * (2 ** min(max(errors - 1, 0), 16)))
    not_before = None
    if retry_at is not None and retry_at > moment:
        not_before = moment + _bounded(config, retry_at - moment)
        wait = max(wait, not_before - moment)
    return moment + wait, not_before
