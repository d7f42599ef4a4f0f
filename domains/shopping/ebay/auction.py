"""Proxy bidding: how an auction's current price and high bidder follow from the bidders' maximum bids.

Shared by the seed generator (to build consistent bid histories) and the bidding tool.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .models import bid_increment


def standing(bids: Iterable[tuple[str, int]], start_price: int, reserve_price: int | None) -> tuple[int, str | None]:
    """(current price, high bidder) for bids given in the order they were placed as (bidder, max amount).

    Each bidder counts with their highest maximum. The leader is the highest maximum (the earlier one on a
    tie); the price is the runner-up's maximum plus one increment, capped at the leader's maximum, and at
    least the starting price. A leader whose maximum meets the reserve lifts the price to the reserve.
    """
    best: dict[str, tuple[int, int]] = {}  # bidder -> (max, order in which that max was placed)
    for order, (bidder, amount) in enumerate(bids):
        if bidder not in best or amount > best[bidder][0]:
            best[bidder] = (amount, order)
    if not best:
        return start_price, None
    ranked: Sequence[tuple[str, tuple[int, int]]] = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[1][1]))
    leader, (top, _) = ranked[0]
    if len(ranked) == 1:
        price = start_price
    else:
        runner_up = ranked[1][1][0]
        price = top if runner_up == top else min(top, runner_up + bid_increment(runner_up))
    price = max(price, start_price)
    if reserve_price is not None and top >= reserve_price:
        price = max(price, reserve_price)
    return min(price, top) if top >= start_price else price, leader


def minimum_bid(price: int, bid_count: int) -> int:
    """The least a new bidder may bid: the starting price before any bid, then price plus the increment."""
    return price if bid_count == 0 else price + bid_increment(price)
