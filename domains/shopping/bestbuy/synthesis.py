"""Task-synthesis hints for Best Buy: argument samplers for the tools whose arguments must agree with each
other and with the seeded state (a hold at a store that has the product, a return inside the window).

Each sampler reads the seeded state through ``ctx`` and returns arguments that succeed.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from envfactory_gym.authoring import ToolContext

from .definition import env
from .models import MEMBER_RETURN_DAYS, STANDARD_RETURN_DAYS


@env.arguments("reserve_for_pickup")
def sample_reservation(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """One unit of a product a store has on its shelf, for a customer of that metro without a hold on it."""
    rows = ctx.query(
        "SELECT c.customer_id, k.sku, k.store_id FROM store_stock k JOIN stores s ON s.store_id = k.store_id "
        "JOIN postal_codes z ON z.city = s.city JOIN customers c ON c.postal_code = z.postal_code "
        "WHERE k.quantity > 0 AND NOT EXISTS (SELECT 1 FROM pickup_reservations r WHERE r.customer_id = "
        "c.customer_id AND r.sku = k.sku AND r.status = 'RESERVED') ORDER BY k.store_id, k.sku, c.customer_id "
        "LIMIT 400"
    )
    if not rows:
        return None
    row = rng.choice(rows)
    return {"customer_id": row["customer_id"], "sku": row["sku"], "store_id": row["store_id"], "quantity": 1}


@env.arguments("start_return")
def sample_return(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """A received, not-yet-returned item that is still inside the customer's return window."""
    rows = ctx.query(
        "SELECT o.customer_id, o.order_id, l.sku, c.membership, o.received_at, p.activation_required "
        "FROM orders o JOIN order_lines l ON l.order_id = o.order_id JOIN customers c ON c.customer_id = "
        "o.customer_id JOIN products p ON p.sku = l.sku WHERE o.status IN ('DELIVERED', 'PICKED_UP') "
        "AND l.returned_quantity = 0 AND p.activation_required = 0 ORDER BY l.line_id"
    )
    today = ctx.now.date().toordinal()
    fits = [
        r for r in rows
        if today - dt.date.fromisoformat(r["received_at"][:10]).toordinal()
        <= (STANDARD_RETURN_DAYS if r["membership"] == "My Best Buy" else MEMBER_RETURN_DAYS)
    ]  # fmt: skip
    if not fits:
        return None
    row = rng.choice(fits)
    return {"customer_id": row["customer_id"], "order_id": row["order_id"], "sku": row["sku"],
            "reason": "defective", "quantity": 1}  # fmt: skip
