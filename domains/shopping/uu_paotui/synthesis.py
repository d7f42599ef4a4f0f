"""Task-synthesis hints for UU Paotui: argument samplers for the tools whose arguments must agree with the
seeded state (a price token of a real estimate for a user who can pay it, an order a runner has not picked
up yet, a delivered order not yet rated, a saved address of the user).

Each sampler reads the seeded state through ``ctx`` and returns arguments that succeed; the synthesis
pipeline executes them and keeps only chains that do.
"""

from __future__ import annotations

import random
from typing import Any

from envfactory_gym.authoring import ToolContext

from .definition import env
from .tools import estimate_price

RECEIVERS = (("Zhang Min", "13912345678"), ("Liu Yang", "18687654321"), ("Chen Jing", "15011223344"))


@env.arguments("create_order")
def sample_order(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """A token from a real estimate (tokens are deterministic) for a well-funded user with room for an order."""
    users = ctx.query(
        "SELECT * FROM users u WHERE balance_fen >= 10000 AND (SELECT COUNT(*) FROM orders o WHERE o.user_id = "
        "u.user_id AND o.state IN ('awaiting_pickup', 'runner_assigned', 'picked_up')) < 5 ORDER BY user_id"
    )
    if not users:
        return None
    user = rng.choice(users)
    places = ctx.query("SELECT name FROM places WHERE city_name = ? ORDER BY place_id", [user["city_name"]])
    origin, destination = rng.sample(places, 2)
    quote = estimate_price(ctx, user["user_id"], user["city_name"], origin["name"], destination["name"])
    name, phone = rng.choice(RECEIVERS)
    return {"price_token": quote["price_token"], "receiver_name": name, "receiver_phone": phone}


@env.arguments("cancel_order")
def sample_cancel(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    rows = ctx.query(
        "SELECT order_code FROM orders WHERE state IN ('awaiting_pickup', 'runner_assigned') ORDER BY order_code"
    )
    return {"order_code": rng.choice(rows)["order_code"]} if rows else None


@env.arguments("add_tip")
def sample_tip(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    rows = ctx.query(
        "SELECT o.order_code FROM orders o JOIN users u ON u.user_id = o.user_id WHERE o.state IN "
        "('awaiting_pickup', 'runner_assigned') AND u.balance_fen >= 1000 AND o.tip_fen <= 10000 ORDER BY order_code"
    )
    return {"order_code": rng.choice(rows)["order_code"], "tip": rng.choice((2, 5, 10))} if rows else None


@env.arguments("evaluate_order")
def sample_rating(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    rows = ctx.query("SELECT order_code FROM orders WHERE state = 'delivered' AND stars IS NULL ORDER BY order_code")
    return {"order_code": rng.choice(rows)["order_code"], "stars": rng.randint(1, 5)} if rows else None


@env.arguments("delete_address")
def sample_delete(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    row = rng.choice(ctx.query("SELECT user_id, address_id FROM saved_addresses ORDER BY address_id"))
    return {"user_id": row["user_id"], "address_id": row["address_id"]}


@env.arguments("add_address")
def sample_address(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """An 'other' address (any number allowed) for a user with room for one more."""
    users = ctx.query(
        "SELECT u.user_id, u.city_name, u.name, u.phone FROM users u WHERE (SELECT COUNT(*) FROM saved_addresses a "
        "WHERE a.user_id = u.user_id) < 10 ORDER BY user_id"
    )
    user = rng.choice(users)
    place = rng.choice(ctx.query("SELECT name FROM places WHERE city_name = ? ORDER BY place_id", [user["city_name"]]))
    return {
        "user_id": user["user_id"],
        "label": "other",
        "city_name": user["city_name"],
        "place_name": place["name"],
        "detail": f"Building {rng.randint(1, 9)}",
        "contact_name": user["name"],
        "contact_phone": user["phone"],
    }
