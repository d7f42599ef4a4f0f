"""Task-synthesis hints for the Shopify store: argument samplers for the tools whose arguments must agree
with each other and with the seeded state (a staff account holding the permission, a variant stocked at
the location, an order that can still be shipped, cancelled or refunded).

Each sampler reads the seeded state through ``ctx`` and returns arguments that succeed.
"""

from __future__ import annotations

import random
from typing import Any

from envfactory_gym.authoring import ToolContext

from .definition import env
from .models import TRACKING_COMPANIES
from .seed import tracking_number


def _staff(ctx: ToolContext, rng: random.Random, permission: str) -> str:
    rows = ctx.query(
        "SELECT email FROM staff_members WHERE account_owner = 1 OR EXISTS "
        "(SELECT 1 FROM json_each(permissions) WHERE value = ?) ORDER BY staff_id",
        [permission],
    )
    return str(rng.choice(rows)["email"])


@env.arguments("adjust_inventory_level")
def sample_adjustment(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """A delivery of a few units of a variant at a location that stocks it."""
    levels = ctx.query("SELECT inventory_item_id, location_id FROM inventory_levels ORDER BY 1, 2")
    if not levels:
        return None
    level = rng.choice(levels)
    return {
        "staff_email": _staff(ctx, rng, "inventory"),
        "inventory_item_id": level["inventory_item_id"],
        "location_id": level["location_id"],
        "available_adjustment": rng.choice((4, 6, 12, 24)),
    }


@env.arguments("create_order")
def sample_order(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """One or two units of an active variant the primary location has in stock, for an existing customer."""
    variants = ctx.query(
        "SELECT v.variant_id FROM variants v JOIN products p ON p.product_id = v.product_id JOIN inventory_levels l "
        "ON l.inventory_item_id = v.inventory_item_id JOIN locations loc ON loc.location_id = l.location_id "
        "WHERE p.status = 'active' AND loc.is_primary = 1 AND l.available >= 2 ORDER BY v.variant_id"
    )
    customers = ctx.query("SELECT email FROM customers ORDER BY customer_id")
    if not variants or not customers:
        return None
    return {
        "staff_email": _staff(ctx, rng, "orders"),
        "email": rng.choice(customers)["email"],
        "line_items": [{"variant_id": rng.choice(variants)["variant_id"], "quantity": rng.choice((1, 2))}],
    }


@env.arguments("fulfill_order")
def sample_fulfillment(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """A paid order still waiting to ship, with a carrier and its tracking number."""
    orders = ctx.query(
        "SELECT order_id FROM orders WHERE financial_status = 'paid' AND fulfillment_status != 'fulfilled' "
        "AND cancelled_at IS NULL ORDER BY order_id"
    )
    if not orders:
        return None
    company = rng.choice(TRACKING_COMPANIES)
    return {
        "staff_email": _staff(ctx, rng, "orders"),
        "order_id": rng.choice(orders)["order_id"],
        "tracking_company": company,
        "tracking_number": tracking_number(rng, company),
    }


@env.arguments("cancel_order")
def sample_cancellation(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """An order nothing of which has shipped, cancelled for one of Shopify's reasons."""
    orders = ctx.query(
        "SELECT o.order_id FROM orders o WHERE o.cancelled_at IS NULL AND NOT EXISTS (SELECT 1 FROM line_items l "
        "WHERE l.order_id = o.order_id AND l.fulfilled_quantity > 0) ORDER BY o.order_id"
    )
    if not orders:
        return None
    return {
        "staff_email": _staff(ctx, rng, "orders"),
        "order_id": rng.choice(orders)["order_id"],
        "reason": rng.choice(("customer", "inventory", "fraud", "other")),
    }


@env.arguments("create_refund")
def sample_refund(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """One shipped, unrefunded unit of a paid order, returned into stock or written off."""
    lines = ctx.query(
        "SELECT l.order_id, l.line_item_id FROM line_items l JOIN orders o ON o.order_id = l.order_id WHERE "
        "o.financial_status IN ('paid', 'partially_refunded') AND o.cancelled_at IS NULL AND "
        "l.fulfilled_quantity > l.refunded_quantity - l.removed_quantity ORDER BY l.line_item_id"
    )
    if not lines:
        return None
    line = rng.choice(lines)
    return {
        "staff_email": _staff(ctx, rng, "orders"),
        "order_id": line["order_id"],
        "refund_line_items": [
            {"line_item_id": line["line_item_id"], "quantity": 1, "restock_type": rng.choice(("return", "no_restock"))}
        ],
    }


@env.arguments("tag_customer")
def sample_tagging(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """A customer who lacks one of the store's segment tags gets it."""
    tag = rng.choice(("VIP", "wholesale", "newsletter", "holiday-card"))
    customers = ctx.query(
        "SELECT customer_id FROM customers c WHERE NOT EXISTS (SELECT 1 FROM json_each(c.tags) t WHERE "
        "lower(t.value) = lower(?)) ORDER BY customer_id",
        [tag],
    )
    if not customers:
        return None
    return {
        "staff_email": _staff(ctx, rng, "customers"),
        "customer_id": rng.choice(customers)["customer_id"],
        "tags": [tag],
    }
