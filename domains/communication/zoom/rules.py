"""Zoom's rules over times and recurrence: local wall times in a meeting's time zone, occurrence dates."""

from __future__ import annotations

import calendar
import datetime as dt
import zoneinfo
from typing import Any

from envfactory_gym.errors import DomainError

from .models import (
    DAILY,
    MAX_OCCURRENCES,
    MONTHLY,
    PASSCODE_CHARACTERS,
    PASSCODE_LENGTH,
    TIMEZONES,
    WEEKLY,
)

STAMP = "%Y-%m-%dT%H:%M:%S"


def zone(name: str) -> zoneinfo.ZoneInfo:
    if name not in TIMEZONES:
        raise DomainError(f"Unknown time zone {name!r}. Supported: {', '.join(TIMEZONES)}.")
    return zoneinfo.ZoneInfo(name)


def parse_local(text: str, timezone: str) -> dt.datetime:
    """A start time as Zoom takes it: local 'yyyy-MM-ddTHH:mm:ss' in the time zone, or UTC with a 'Z'."""
    raw = text.strip()
    try:
        if raw.endswith("Z"):
            moment = dt.datetime.fromisoformat(raw[:-1]).replace(tzinfo=dt.UTC)
            return moment.astimezone(zone(timezone)).replace(tzinfo=None, microsecond=0)
        moment = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise DomainError(f"start_time {text!r} is not a date and time like 2025-09-23T10:00:00.") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(zone(timezone)).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def to_utc(local: dt.datetime, timezone: str) -> dt.datetime:
    """The naive UTC moment of a local wall time."""
    return local.replace(tzinfo=zone(timezone)).astimezone(dt.UTC).replace(tzinfo=None)


def occurrence_id(local: dt.datetime, timezone: str) -> str:
    """Zoom's occurrence id: the occurrence's original start as milliseconds since the epoch."""
    return str(int(local.replace(tzinfo=zone(timezone)).timestamp()) * 1000)


def check_passcode(passcode: str) -> str:
    low, high = PASSCODE_LENGTH
    if not low <= len(passcode) <= high:
        raise DomainError(f"A passcode must be {low} to {high} characters long.")
    if set(passcode) - PASSCODE_CHARACTERS:
        raise DomainError("A passcode may only contain letters, numbers and the characters @ - _ *.")
    return passcode


WEEKDAYS_HINT = "weekly_days must be day numbers 1-7 (Sunday = 1) separated by commas, like '3' or '2,4'."


def parse_weekdays(text: str) -> list[int]:
    try:
        days = sorted({int(part) for part in text.split(",")})
    except ValueError:
        raise DomainError(WEEKDAYS_HINT) from None
    if not days or days[0] < 1 or days[-1] > 7:
        raise DomainError(WEEKDAYS_HINT)
    return days


def _zoom_weekday(day: dt.date) -> int:
    return (day.isoweekday() % 7) + 1  # Sunday = 1 ... Saturday = 7


def series_starts(meeting: dict[str, Any]) -> list[dt.datetime]:
    """The local start of every occurrence of a recurring meeting with a fixed time, in order (at most 50)."""
    first = dt.datetime.strptime(meeting["start_time"], STAMP)
    end = dt.datetime.strptime(meeting["end_date_time"], STAMP) if meeting["end_date_time"] else None
    limit = meeting["end_times"] or MAX_OCCURRENCES
    interval = meeting["repeat_interval"] or 1
    starts: list[dt.datetime] = []

    def room(moment: dt.datetime) -> bool:
        return len(starts) < limit and (end is None or moment.date() <= end.date())

    kind = meeting["recurrence_type"]
    if kind == DAILY:
        moment = first
        while room(moment):
            starts.append(moment)
            moment += dt.timedelta(days=interval)
    elif kind == WEEKLY:
        days = parse_weekdays(meeting["weekly_days"] or str(_zoom_weekday(first.date())))
        week = first.date() - dt.timedelta(days=_zoom_weekday(first.date()) - 1)  # that week's Sunday
        while True:
            for number in days:
                day = week + dt.timedelta(days=number - 1)
                moment = dt.datetime.combine(day, first.time())
                if day < first.date():
                    continue
                if not room(moment):
                    return starts
                starts.append(moment)
            week += dt.timedelta(weeks=interval)
    elif kind == MONTHLY:
        day_of_month = meeting["monthly_day"] or first.day
        year, month = first.year, first.month
        for _ in range(12 * 20):  # a day that no month in the cycle has ends the series instead of looping
            last = calendar.monthrange(year, month)[1]
            if day_of_month <= last:
                moment = dt.datetime(year, month, day_of_month, first.hour, first.minute)
                if moment >= first:
                    if not room(moment):
                        return starts
                    starts.append(moment)
            month += interval
            while month > 12:
                year, month = year + 1, month - 12
    return starts
