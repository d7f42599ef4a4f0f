"""The tracker's price rules as plain functions: shop-style prices, daily series, statistics, trends, coupons."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import Any

TREND_THRESHOLD = 0.03  # a move under 3 % over the period counts as stable
GOOD_DEAL_MARGIN = 0.03  # within 3 % of the 90-day low is a good time to buy


def nice_price(yuan: float) -> float:
    """A price the way shops set them, never above the given amount: ¥2,499 / ¥1,389 / ¥269 / ¥49.9 / ¥15.9."""
    if yuan >= 100:
        return float(math.floor((yuan + 1) / 10) * 10 - 1)
    return max(0.9, round(math.floor(yuan + 0.1) - 0.1, 1))


def yuan(fen: int) -> float:
    return round(fen / 100, 2)


def daily_prices(points: Sequence[Mapping[str, Any]], first: dt.date, last: dt.date) -> list[tuple[dt.date, int]]:
    """Each day's price from ``first`` to ``last``: the latest change on or before the day (points sorted by day)."""
    series: list[tuple[dt.date, int]] = []
    index, current = 0, None
    changes = [(dt.date.fromisoformat(str(p["day"])), int(p["price_fen"])) for p in points]
    day = first
    while day <= last:
        while index < len(changes) and changes[index][0] <= day:
            current = changes[index][1]
            index += 1
        if current is not None:
            series.append((day, current))
        day += dt.timedelta(days=1)
    return series


def segments(series: Sequence[tuple[dt.date, int]]) -> list[tuple[dt.date, dt.date, int]]:
    """Runs of days at one price: (first day, last day, price)."""
    runs: list[tuple[dt.date, dt.date, int]] = []
    for day, price in series:
        if runs and runs[-1][2] == price:
            runs[-1] = (runs[-1][0], day, price)
        else:
            runs.append((day, day, price))
    return runs


def trend(start_fen: int, end_fen: int) -> tuple[str, float]:
    """rising / falling / stable, and the change in percent (one decimal)."""
    change = (end_fen - start_fen) / start_fen
    label = "rising" if change > TREND_THRESHOLD else "falling" if change < -TREND_THRESHOLD else "stable"
    return label, round(change * 100, 1)


def coupon_state(coupon: Mapping[str, Any], today: dt.date) -> str:
    """valid, expired or upcoming, from the coupon's dates (both days included)."""
    if today < dt.date.fromisoformat(str(coupon["starts_on"])):
        return "upcoming"
    if today > dt.date.fromisoformat(str(coupon["ends_on"])):
        return "expired"
    return "valid"


def best_coupon(coupons: Sequence[Mapping[str, Any]], price_fen: int, today: dt.date) -> Mapping[str, Any] | None:
    """The one coupon that takes most off: valid today and with a threshold the goods price reaches."""
    usable = [c for c in coupons if coupon_state(c, today) == "valid" and price_fen >= int(c["threshold_fen"])]
    return max(usable, key=lambda c: (int(c["discount_fen"]), str(c["coupon_id"])), default=None)


def effective_fen(price_fen: int, shipping_fen: int, coupon: Mapping[str, Any] | None) -> int:
    """What the shopper pays: the price, plus shipping, less the best applicable coupon."""
    return price_fen + shipping_fen - (int(coupon["discount_fen"]) if coupon else 0)
