"""Task-synthesis hints for Fruityvice: argument samplers for the tools whose arguments must match the
catalogue and the users (a real fruit name, a taxon that has fruits, a nutrient range that holds some, a
user with a log and saved fruits). Each returns arguments that succeed on the seeded state."""

from __future__ import annotations

import random
from typing import Any

from envfactory_gym.authoring import ToolContext

from .definition import env
from .models import NUTRIENTS


def _fruit(ctx: ToolContext, rng: random.Random) -> dict[str, Any]:
    return rng.choice(ctx.query("SELECT * FROM fruits ORDER BY fruit_id"))


@env.arguments("get_fruit_nutrition")
def sample_portion(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    return {"name": _fruit(ctx, rng)["name"], "grams": rng.choice((50, 100, 150, 200))}


@env.arguments("get_fruits_by_family")
def sample_family(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    return {"family": _fruit(ctx, rng)["family"]}


@env.arguments("get_fruits_by_genus")
def sample_genus(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    return {"genus": _fruit(ctx, rng)["genus"]}


@env.arguments("get_fruits_by_order")
def sample_order(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    return {"order": _fruit(ctx, rng)["order"]}


@env.arguments("get_fruits_by_nutrition")
def sample_range(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """A range around one fruit's value, so at least that fruit is in it."""
    nutrient = rng.choice(NUTRIENTS)
    value = _fruit(ctx, rng)[nutrient]
    return {"nutrient": nutrient, "minimum": max(0.0, value - 5), "maximum": value + 5}


@env.arguments("get_daily_log")
def sample_log(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    rows = ctx.query("SELECT DISTINCT username, date FROM log_entries ORDER BY username, date")
    row = rng.choice(rows)
    return {"username": row["username"], "date": row["date"]}


@env.arguments("get_favorites")
def sample_favorites(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    rows = ctx.query("SELECT DISTINCT username FROM favorites ORDER BY username")
    return {"username": rng.choice(rows)["username"]} if rows else None
