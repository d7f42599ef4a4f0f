"""Task-synthesis hints for the eBay marketplace: argument samplers for the tools whose arguments must agree
with each other and with the seeded state (a bid at least the minimum on a live auction by someone other
than its seller, a return of a delivered item inside its window).

Each sampler reads the seeded state through ``ctx`` and returns arguments that succeed.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from envfactory_gym.authoring import ToolContext

from .auction import minimum_bid
from .definition import env
from .models import GUARANTEE_DAYS


@env.arguments("place_bid")
def sample_bid(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """A bid of one or two increments over the minimum on a running auction, by someone who may bid."""
    auctions = ctx.query(
        "SELECT item_id, seller, high_bidder, price, bid_count FROM items WHERE buying_format = 'AUCTION' "
        "AND listing_status = 'ACTIVE' AND end_time > ? ORDER BY item_id",
        [ctx.now.isoformat(timespec="seconds")],
    )
    members = ctx.query("SELECT username FROM users ORDER BY username")
    if not auctions:
        return None
    item = rng.choice(auctions)
    bidders = [m["username"] for m in members if m["username"] not in (item["seller"], item["high_bidder"])]
    least = minimum_bid(item["price"], item["bid_count"])
    return {
        "username": rng.choice(bidders),
        "item_id": item["item_id"],
        "max_amount": least + rng.choice((0, 100, 500)),
    }


@env.arguments("request_return")
def sample_return(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """An item that arrived damaged, delivered within the money-back guarantee and not yet returned."""
    since = (ctx.now.date() - dt.timedelta(days=GUARANTEE_DAYS)).isoformat()
    rows = ctx.query(
        "SELECT o.order_id, o.buyer, l.item_id FROM orders o JOIN line_items l ON l.order_id = o.order_id "
        "WHERE o.fulfillment_status = 'DELIVERED' AND date(o.delivered_at) >= ? AND NOT EXISTS "
        "(SELECT 1 FROM returns r WHERE r.order_id = o.order_id AND r.item_id = l.item_id) ORDER BY l.line_item_id",
        [since],
    )
    if not rows:
        return None
    row = rng.choice(rows)
    return {
        "username": row["buyer"],
        "order_id": row["order_id"],
        "item_id": row["item_id"],
        "reason": "ARRIVED_DAMAGED",
    }
