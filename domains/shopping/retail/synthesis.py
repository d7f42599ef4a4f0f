"""Task-synthesis hints for the store: argument samplers for the tools whose arguments must agree with each
other and with the seeded state (an order in the right status, items that are on it, a replacement of the
same product that is in stock, a payment method of the order's owner that can pay).

Each sampler reads the seeded state through ``ctx`` and returns arguments that succeed; the synthesis
pipeline executes them and keeps only chains that do.
"""

from __future__ import annotations

import json
import random
from typing import Any

from envfactory_gym.authoring import ToolContext

from .definition import env
from .models import CANCEL_REASONS

SUMMARIES = (
    "parcel arrived damaged, customer wants compensation",
    "customer wants to exchange an item for a different product",
    "customer asks for a price adjustment after a sale",
    "customer reports a charge they do not recognise",
)


def _orders(ctx: ToolContext, rng: random.Random, status: str, limit: int = 30) -> list[dict[str, Any]]:
    rows = ctx.query("SELECT * FROM orders WHERE status = ? ORDER BY order_id", (status,))
    rng.shuffle(rows)
    return rows[:limit]


def _lines(ctx: ToolContext, order_id: str) -> list[dict[str, Any]]:
    return ctx.query("SELECT * FROM order_items WHERE order_id = ? ORDER BY position", (order_id,))


def _payer(ctx: ToolContext, user_id: str, rng: random.Random, at_least: int, exclude: str = "") -> str | None:
    """A payment method of the user other than ``exclude`` that can pay ``at_least`` cents."""
    methods = [
        m["payment_method_id"]
        for m in ctx.query("SELECT * FROM payment_methods WHERE user_id = ? ORDER BY position", (user_id,))
        if m["payment_method_id"] != exclude and (m["source"] != "gift_card" or (m["balance_cents"] or 0) >= at_least)
    ]
    return rng.choice(methods) if methods else None


def _replacement(ctx: ToolContext, line: dict[str, Any], rng: random.Random) -> dict[str, Any] | None:
    others = ctx.query(
        "SELECT item_id, price_cents FROM variants WHERE product_id = ? AND item_id != ? AND available = 1 "
        "ORDER BY item_id",
        (line["product_id"], line["item_id"]),
    )
    return rng.choice(others) if others else None


def _swap(ctx: ToolContext, rng: random.Random, status: str) -> dict[str, Any] | None:
    for order in _orders(ctx, rng, status):
        lines = _lines(ctx, order["order_id"])
        line = rng.choice(lines)
        new = _replacement(ctx, line, rng)
        if new is None:
            continue
        payer = _payer(ctx, order["user_id"], rng, max(new["price_cents"] - line["price_cents"], 0))
        if payer is not None:
            return {
                "order_id": order["order_id"],
                "item_ids": [line["item_id"]],
                "new_item_ids": [new["item_id"]],
                "payment_method_id": payer,
            }
    return None


@env.arguments("cancel_pending_order")
def sample_cancellation(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    orders = _orders(ctx, rng, "pending", 1)
    return {"order_id": orders[0]["order_id"], "reason": rng.choice(CANCEL_REASONS)} if orders else None


@env.arguments("modify_pending_order_items")
def sample_item_change(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    return _swap(ctx, rng, "pending")


@env.arguments("exchange_delivered_order_items")
def sample_exchange(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    return _swap(ctx, rng, "delivered")


@env.arguments("return_delivered_order_items")
def sample_return(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    for order in _orders(ctx, rng, "delivered"):
        lines = _lines(ctx, order["order_id"])
        paid = ctx.query(
            "SELECT payment_method_id FROM order_payments WHERE order_id = ? ORDER BY position LIMIT 1",
            (order["order_id"],),
        )
        if paid:
            chosen = rng.sample(lines, rng.randint(1, len(lines)))
            return {
                "order_id": order["order_id"],
                "item_ids": [line["item_id"] for line in chosen],
                "payment_method_id": paid[0]["payment_method_id"],
            }
    return None


@env.arguments("modify_pending_order_payment")
def sample_payment_change(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    for order in _orders(ctx, rng, "pending"):
        history = ctx.query("SELECT * FROM order_payments WHERE order_id = ? ORDER BY position", (order["order_id"],))
        if len(history) != 1:
            continue
        payer = _payer(ctx, order["user_id"], rng, history[0]["amount_cents"], exclude=history[0]["payment_method_id"])
        if payer is not None:
            return {"order_id": order["order_id"], "payment_method_id": payer}
    return None


def _address(ctx: ToolContext, rng: random.Random) -> dict[str, str]:
    rows = ctx.query("SELECT address1, address2, city, state, country, zip FROM users ORDER BY user_id")
    return dict(rng.choice(rows))


@env.arguments("modify_pending_order_address")
def sample_order_address(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    orders = _orders(ctx, rng, "pending", 1)
    return {"order_id": orders[0]["order_id"], **_address(ctx, rng)} if orders else None


@env.arguments("modify_user_address")
def sample_user_address(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    users = ctx.query("SELECT user_id FROM users ORDER BY user_id")
    return {"user_id": rng.choice(users)["user_id"], **_address(ctx, rng)}


@env.arguments("calculate")
def sample_calculation(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    prices = ctx.query("SELECT price_cents FROM variants ORDER BY item_id")
    picked = rng.sample(prices, 2)
    return {"expression": " + ".join(json.dumps(p["price_cents"] / 100) for p in picked)}


@env.arguments("transfer_to_human_agents")
def sample_transfer(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    return {"summary": rng.choice(SUMMARIES)}
