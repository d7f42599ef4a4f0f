"""UU Paotui's fare and cancellation rules as plain functions over rows (money in fen)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

from .models import FREE_WEIGHT_KG, RECHARGE_BONUS, ROAD_FACTOR

LONG_DISTANCE_FROM_KM = 10
NIGHT_HOURS = (22, 6)  # a pickup from 22:00 until 06:00 carries the city's night surcharge
MIN_PAY_FEN = 100  # a coupon never takes an order below 1 yuan


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(a))


def riding_km(origin: Mapping[str, Any], destination: Mapping[str, Any]) -> float:
    """The runner's road distance: the straight line times a road factor, to 0.1 km."""
    metres = haversine_m(origin["lat"], origin["lng"], destination["lat"], destination["lng"]) * ROAD_FACTOR
    return round(metres / 1000, 1)


def distance_fen(city: Mapping[str, Any], km: float) -> int:
    """The start fare covers the first kilometres; each further started kilometre costs more beyond 10 km."""
    start_km = float(city["start_km"])
    near = math.ceil(round(max(0.0, min(km, LONG_DISTANCE_FROM_KM) - start_km), 3))
    far = math.ceil(round(max(0.0, km - LONG_DISTANCE_FROM_KM), 3))
    return int(city["start_fen"]) + near * int(city["per_km_fen"]) + far * int(city["long_per_km_fen"])


def is_night(moment: dt.datetime) -> bool:
    start, end = NIGHT_HOURS
    return moment.hour >= start or moment.hour < end


def weight_fen(city: Mapping[str, Any], weight_kg: float) -> int:
    return math.ceil(round(max(0.0, weight_kg - FREE_WEIGHT_KG), 3)) * int(city["per_extra_kg_fen"])


def coupon_discount(coupon: Mapping[str, Any], total_fen: int) -> int:
    return min(int(coupon["discount_fen"]), max(0, total_fen - MIN_PAY_FEN))


def best_coupon(coupons: list[dict[str, Any]], total_fen: int) -> dict[str, Any] | None:
    """The usable coupon that takes the most off; on a tie, the one expiring first."""
    usable = [c for c in coupons if int(c["min_fare_fen"]) <= total_fen]
    if not usable:
        return None
    return min(usable, key=lambda c: (-coupon_discount(c, total_fen), c["expires_at"], c["coupon_id"]))


def cancellation_fee(order: Mapping[str, Any], city: Mapping[str, Any]) -> int:
    """Free while no runner has accepted; the city's fee once one has (never more than was paid)."""
    if order["state"] == "awaiting_pickup":
        return 0
    return min(int(city["cancel_fee_fen"]), int(order["paid_fen"]))


def recharge_bonus(amount_yuan: int) -> int:
    for threshold, bonus in RECHARGE_BONUS:
        if amount_yuan >= threshold:
            return bonus
    return 0
