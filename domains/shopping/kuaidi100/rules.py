"""The service's rules as plain functions: tracking-number formats, zones between cities, tariffs, arrival times."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from typing import Any

DAY_START_HOUR = 8  # parcels handed over before this hour leave with the morning run
CUTOFF_HOUR = 18  # ... and after it with the next morning's
DELIVERY_END_HOUR = 20  # couriers deliver until 20:00; later arrivals come the next morning


def matches_format(courier: Mapping[str, Any], num: str) -> bool:
    return re.fullmatch(str(courier["number_format"]), num) is not None


def zone_between(origin: Mapping[str, Any], destination: Mapping[str, Any]) -> str:
    """same_city, same_province, regional (the same region of China), national, or remote (Xinjiang, Tibet...)."""
    if origin["city"] == destination["city"]:
        return "same_city"
    if origin["remote"] or destination["remote"]:
        return "remote"
    if origin["province"] == destination["province"]:
        return "same_province"
    if origin["region"] == destination["region"]:
        return "regional"
    return "national"


def billable_weight(weight_kg: float, first_weight_kg: float) -> float:
    """Weight is billed in whole kilograms, rounded up, and never below the first weight."""
    return float(max(first_weight_kg, math.ceil(round(weight_kg, 3))))


def price_fen(tariff: Mapping[str, Any], weight_kg: float) -> int:
    """First weight at its flat price, then each further kilogram at the additional-weight rate."""
    billed = billable_weight(weight_kg, float(tariff["first_weight_kg"]))
    extra_kg = math.ceil(billed - float(tariff["first_weight_kg"]))
    return int(tariff["first_weight_fen"]) + extra_kg * int(tariff["additional_fen_per_kg"])


def departure(send_time: dt.datetime) -> dt.datetime:
    """When a parcel handed over at ``send_time`` leaves: the 08:00 run, or the next morning after 18:00."""
    if send_time.hour >= CUTOFF_HOUR:
        return (send_time + dt.timedelta(days=1)).replace(hour=DAY_START_HOUR, minute=0, second=0)
    if send_time.hour < DAY_START_HOUR:
        return send_time.replace(hour=DAY_START_HOUR, minute=0, second=0)
    return send_time.replace(second=0)


def arrival(send_time: dt.datetime, transit_hours: int) -> dt.datetime:
    """The estimated delivery time: departure plus the zone's transit hours, moved into delivery hours."""
    arrive = departure(send_time) + dt.timedelta(hours=transit_hours)
    if arrive.hour >= DELIVERY_END_HOUR:
        arrive = (arrive + dt.timedelta(days=1)).replace(hour=10, minute=0)
    elif arrive.hour < DAY_START_HOUR:
        arrive = arrive.replace(hour=10, minute=0)
    return arrive.replace(minute=0 if arrive.minute < 30 else 30, second=0)
