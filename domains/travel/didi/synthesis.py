"""Task-synthesis hints for DiDi ride hailing: argument samplers for the tools whose arguments must agree
with the seeded state (a completed ride not yet rated, a ride that can still be cancelled, coordinates of
real places written as 'longitude,latitude').

Each sampler reads the seeded state through ``ctx`` and returns arguments that succeed; the synthesis
pipeline executes them and keeps only chains that do.
"""

from __future__ import annotations

import random
from typing import Any

from envfactory_gym.authoring import ToolContext

from .definition import env
from .models import ACTIVE_STATUSES

RIDE_COMMENTS = (
    "Very smooth drive and a clean car.",
    "The driver took a long detour.",
    "Friendly driver, arrived early.",
    "The air conditioning was too cold.",
    "",
)
CANCEL_REASONS = ("plans changed", "found another way home", "the driver is too far away", "")


def _point(row: dict[str, Any]) -> str:
    return f"{row['lng']:.6f},{row['lat']:.6f}"


def _places(ctx: ToolContext) -> list[dict[str, Any]]:
    return ctx.query("SELECT * FROM places ORDER BY place_id")


@env.arguments("taxi_rate_trip")
def sample_rating(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    rows = ctx.query("SELECT order_id FROM taxi_orders WHERE status = 'completed' AND rating IS NULL ORDER BY order_id")
    if not rows:
        return None
    arguments: dict[str, Any] = {"order_id": rng.choice(rows)["order_id"], "rating": rng.randint(1, 5)}
    comment = rng.choice(RIDE_COMMENTS)
    if comment:
        arguments["comment"] = comment
    return arguments


@env.arguments("taxi_cancel_order")
def sample_cancellation(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    rows = ctx.query(
        "SELECT order_id FROM taxi_orders WHERE status IN ('requested', 'driver_assigned', 'arrived') ORDER BY order_id"
    )
    if not rows:
        return None
    arguments: dict[str, Any] = {"order_id": rng.choice(rows)["order_id"]}
    reason = rng.choice(CANCEL_REASONS)
    if reason:
        arguments["reason"] = reason
    return arguments


@env.arguments("maps_direction")
def sample_direction(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    origin, destination = rng.sample(_places(ctx), 2)
    arguments = {"origin": _point(origin), "destination": _point(destination)}
    if rng.random() < 0.3:
        arguments["mode"] = "walking"
    return arguments


@env.arguments("maps_place_around")
def sample_nearby(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """Around a real place, for a category that is present there or a word of a nearby place's name."""
    centre = rng.choice(_places(ctx))
    arguments: dict[str, Any] = {"location": _point(centre), "radius": rng.choice((1000, 2000, 3000))}
    if rng.random() < 0.5:
        arguments["category"] = rng.choice(_places(ctx))["category"]
    else:
        arguments["keywords"] = rng.choice(centre["name"].split(" "))
    return arguments


@env.arguments("maps_regeocode")
def sample_regeocode(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    return {"location": _point(rng.choice(_places(ctx)))}


@env.arguments("taxi_get_driver_location")
def sample_driver_location(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """A ride under way with a driver assigned (the only time a driver's position is shown)."""
    placeholders = ", ".join("?" for _ in ACTIVE_STATUSES)
    rides = ctx.query(
        f"SELECT order_id FROM taxi_orders WHERE status IN ({placeholders}) AND status != 'requested' "
        "AND driver_id IS NOT NULL ORDER BY order_id",
        tuple(ACTIVE_STATUSES),
    )
    return {"order_id": str(rng.choice(rides)["order_id"])} if rides else None
