"""Slack's message timestamps: seconds since the epoch with a six-digit sequence, unique per workspace."""

from __future__ import annotations

import calendar
import datetime as dt


def ts_of(moment: dt.datetime, sequence: int) -> str:
    return f"{calendar.timegm(moment.timetuple())}.{sequence:06d}"


def time_of(ts: str) -> dt.datetime:
    return dt.datetime(1970, 1, 1) + dt.timedelta(seconds=int(ts.split(".", 1)[0]))


def readable(ts: str) -> str:
    """The message's time as a person reads it in the client's tooltip (UTC)."""
    return time_of(ts).strftime("%Y-%m-%d %H:%M")
