"""How a person says a value: dates, times, money, counts and enum words in a request.

Story authors use these so that requests read as spoken ("the 1:30 pm flight on May 29") and never as
stored ("13:30:00", "2024-05-29"). Every function is deterministic; the ones that vary their wording take
the story's ``rng`` so the same seed gives the same sentence.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Any

from dateutil import parser as date_parser

# fmt: off
_ONES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
         "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
# fmt: on
SPELLED_UP_TO = 100


def spelled(value: int) -> str:
    """0–100 in words, as a person writes them ("twenty-five")."""
    if not 0 <= value <= SPELLED_UP_TO:
        raise ValueError(f"only 0 to {SPELLED_UP_TO} are spelled out, got {value}")
    if value < 20:
        return _ONES[value]
    if value == SPELLED_UP_TO:
        return "one hundred"
    tens, ones = divmod(value, 10)
    return _TENS[tens - 2] + (f"-{_ONES[ones]}" if ones else "")


def as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return date_parser.isoparse(str(value)).date()


def as_time(value: Any) -> dt.time:
    if isinstance(value, dt.datetime):
        return value.time()
    if isinstance(value, dt.time):
        return value
    text = str(value)
    if "T" in text or len(text) > 8:
        return date_parser.isoparse(text).time()
    return dt.time.fromisoformat(text)


def date(value: Any, *, year: bool = False, weekday: bool = False) -> str:
    """'May 29', 'May 29, 2024', 'Wednesday, May 29'."""
    day = as_date(value)
    text = f"{day:%B} {day.day}"
    if year:
        text += f", {day.year}"
    if weekday:
        text = f"{day:%A}, {text}"
    return text


def time(value: Any) -> str:
    """'1:30 pm', '9 am', 'noon', 'midnight'."""
    moment = as_time(value)
    if moment.minute == 0 and moment.hour in (0, 12):
        return "midnight" if moment.hour == 0 else "noon"
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour} {suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d} {suffix}"


def timestamp(value: Any, *, year: bool = False) -> str:
    """'May 29 at 1:30 pm'."""
    moment = value if isinstance(value, dt.datetime) else date_parser.isoparse(str(value))
    return f"{date(moment, year=year)} at {time(moment)}"


def money(amount: float | int, symbol: str = "$", *, cents: bool | None = None) -> str:
    """'$1,301', '$699.50' (cents shown when there are any, unless forced either way)."""
    value = float(amount)
    show_cents = (not value.is_integer()) if cents is None else cents
    text = f"{value:,.2f}" if show_cents else f"{value:,.0f}"
    return f"{symbol}{text}" if len(symbol) <= 1 else f"{text} {symbol}"


def from_cents(amount: int) -> float:
    """An amount stored in minor units (cents, fen) in major units: 45000 → 450.0."""
    return amount / 100


def clock(stamp: str) -> str:
    """The hour and minute of a stored timestamp, '2025-04-15 09:05:00' or '2025-05-20T08:12' → '09:05'."""
    return stamp[11:16]


def number(value: int) -> str:
    """Small counts as words ('three'), larger ones as digits."""
    return spelled(value) if 0 <= value <= 20 else f"{value:,}"


def count(value: int, noun: str, plural: str | None = None) -> str:
    """'one bag', 'three bags', 'no bags'."""
    if value == 0:
        return f"no {plural or noun + 's'}"
    return f"{number(value)} {noun if value == 1 else (plural or noun + 's')}"


def words(value: Any) -> str:
    """An enum-like identifier as words: 'basic_economy' → 'basic economy'."""
    return str(value).replace("_", " ")


def listing(items: Sequence[str], conjunction: str = "and") -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def choose(rng: random.Random, *options: str) -> str:
    """One of several phrasings (deterministic for the story's rng)."""
    return rng.choice(options)


def opening(rng: random.Random, now: dt.datetime | None = None) -> str:
    """How a customer starts a message: often nothing, sometimes a greeting (for the time of day, given ``now``)."""
    greeting = rng.choice(("", "", "", "Hi.", "Hello!", "Hi there.", "Hey.", "Good morning."))
    if greeting == "Good morning." and now is not None:
        return "Good morning." if now.hour < 12 else "Good afternoon." if now.hour < 18 else "Good evening."
    return greeting


def sentence(*parts: str) -> str:
    """Join sentence parts with single spaces, capitalising the first letter."""
    text = " ".join(p.strip() for p in parts if p and p.strip())
    return text[:1].upper() + text[1:]
