"""Task-synthesis hints for the Amazon store: argument samplers for the tools whose arguments must agree
with each other and with the seeded state (an available item in a quantity its limits allow and not yet in
the shopper's cart, a price alert target under today's price on an item the shopper does not watch yet).

Each sampler reads the seeded state through ``ctx`` and returns arguments that succeed.
"""

from __future__ import annotations

import random
from typing import Any

from envfactory_gym.authoring import ToolContext

from .definition import env


def _item_for_shopper(ctx: ToolContext, rng: random.Random, items_sql: str, mine_sql: str) -> tuple[Any, str] | None:
    """An item of ``items_sql`` and a shopper for whom ``mine_sql`` (customer_id, asin) finds nothing yet."""
    items = ctx.query(items_sql)
    shoppers = ctx.query("SELECT customer_id FROM customers ORDER BY customer_id")
    if not items or not shoppers:
        return None
    item, shopper = rng.choice(items), rng.choice(shoppers)["customer_id"]
    return None if ctx.query(mine_sql, [shopper, item["asin"]]) else (item, shopper)


@env.arguments("add_to_cart")
def sample_cart_addition(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """An orderable item, one or two of it within its maximum and stock, for a shopper without it in the cart."""
    found = _item_for_shopper(
        ctx,
        rng,
        "SELECT asin, max_order_quantity, stock, availability_type FROM items "
        "WHERE availability_type != 'Unavailable' ORDER BY asin",
        "SELECT 1 FROM cart_items WHERE customer_id = ? AND asin = ?",
    )
    if found is None:
        return None
    item, shopper = found
    most = int(item["max_order_quantity"])
    if item["availability_type"] == "Now":
        most = min(most, int(item["stock"]))
    return {"customer_id": shopper, "asin": item["asin"], "quantity": rng.randint(1, max(1, min(2, most)))}


@env.arguments("create_price_alert")
def sample_price_alert(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """A target a fifth or so under an item's price, for a shopper with no alert on it."""
    found = _item_for_shopper(
        ctx,
        rng,
        "SELECT asin, price FROM items WHERE price >= 1000 ORDER BY asin",
        "SELECT 1 FROM price_alerts WHERE customer_id = ? AND asin = ?",
    )
    if found is None:
        return None
    item, shopper = found
    target = int(item["price"] * rng.uniform(0.7, 0.9)) // 100 * 100
    return {"customer_id": shopper, "asin": item["asin"], "target_price": target}
