"""Task-synthesis hints for car_price: argument samplers for the tools whose arguments must agree with each
other and with the state (a model year the model was built in, a target below today's estimate, a dealer
that sells the brand, an alert or quote that is still open).

Each sampler reads the seeded state through ``ctx`` and returns arguments that succeed; values a shopper
would find on their own lists (watchlist trims, dealers they asked before) are preferred, so that the
synthesized request has to be solved by looking them up.
"""

from __future__ import annotations

import random
from typing import Any

from envfactory_gym.authoring import ToolContext

from .definition import env
from .models import (
    CURRENT_MODEL_YEAR,
    MAX_ACTIVE_ALERTS,
    MAX_PENDING_QUOTES,
    MAX_WATCHLIST,
    OLDEST_YEAR,
    CarModel,
    Region,
    Trim,
)
from .seed import REGIONS, estimate_price

QUOTE_MESSAGES = (
    "What is your best out-the-door price?",
    "Do you have one in stock?",
    "I can pick it up this week.",
    "Please include any current incentives.",
)


def _shuffled(rows: list[dict[str, Any]], rng: random.Random, limit: int = 40) -> list[dict[str, Any]]:
    rng.shuffle(rows)
    return rows[:limit]


def _model_years(ctx: ToolContext, model_id: str) -> list[int]:
    first = ctx.query("SELECT first_year FROM models WHERE model_id = ?", (model_id,))[0]["first_year"]
    return list(range(max(first, OLDEST_YEAR), CURRENT_MODEL_YEAR + 1))


def _users(ctx: ToolContext, rng: random.Random) -> list[dict[str, Any]]:
    return _shuffled(ctx.query("SELECT * FROM users ORDER BY user_id"), rng)


@env.arguments("get_car_brands")
def sample_brands(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    countries = ctx.query("SELECT DISTINCT country FROM brands ORDER BY country")
    return {"country": rng.choice(countries)["country"]}


@env.arguments("get_car_models")
def sample_models(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    model = rng.choice(ctx.query("SELECT brand, vehicle_type FROM models ORDER BY model_id"))
    if rng.random() < 0.5:
        return {"brand": model["brand"]}
    return {"brand": model["brand"], "vehicle_type": model["vehicle_type"]}


@env.arguments("search_car_price")
def sample_price_search(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    model = rng.choice(ctx.query("SELECT * FROM models ORDER BY model_id"))
    arguments: dict[str, Any] = {
        "brand": model["brand"],
        "model": model["model"],
        "year": rng.choice(_model_years(ctx, model["model_id"])),
        "region": rng.choice(sorted(REGIONS)),
    }
    if rng.random() < 0.6:
        arguments["mileage"] = rng.randrange(5_000, 120_000, 2_500)
    if rng.random() < 0.5:
        trims = ctx.query("SELECT trim FROM trims WHERE model_id = ? ORDER BY msrp", (model["model_id"],))
        arguments["trim"] = rng.choice(trims)["trim"]
    return arguments


@env.arguments("get_vehicles_by_type")
def sample_vehicles_by_type(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    model = rng.choice(
        ctx.query(
            "SELECT m.vehicle_type, t.fuel_type, MIN(t.msrp) AS starting FROM models m "
            "JOIN trims t ON t.model_id = m.model_id GROUP BY m.model_id ORDER BY m.model_id"
        )
    )
    arguments: dict[str, Any] = {"vehicle_type": model["vehicle_type"]}
    if rng.random() < 0.5:
        # A round budget at or above this model's starting price, so the page is never empty.
        arguments["max_price"] = (model["starting"] // 5_000 + rng.randint(1, 3)) * 5_000
    if rng.random() < 0.4:
        arguments["fuel_type"] = model["fuel_type"]
    return arguments


@env.arguments("find_dealers")
def sample_dealer_search(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    dealer = rng.choice(ctx.query("SELECT * FROM dealers ORDER BY dealer_id"))
    brand = rng.choice(ctx.query("SELECT value FROM json_each(?)", (dealer["brands"],)))["value"]
    if rng.random() < 0.5:
        return {"brand": brand, "city": dealer["city"]}
    return {"brand": brand, "region": dealer["region"]}


@env.arguments("add_to_watchlist")
def sample_watch(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    trims = ctx.query("SELECT trim_id, model_id FROM trims ORDER BY trim_id")
    for user in _users(ctx, rng):
        if (
            ctx.query("SELECT COUNT(*) AS n FROM watchlist WHERE user_id = ?", (user["user_id"],))[0]["n"]
            >= MAX_WATCHLIST
        ):
            continue
        trim = rng.choice(trims)
        year = rng.choice(_model_years(ctx, trim["model_id"])[-8:])
        taken = ctx.query(
            "SELECT 1 FROM watchlist WHERE user_id = ? AND trim_id = ? AND year = ?",
            (user["user_id"], trim["trim_id"], year),
        )
        if not taken:
            return {"user_id": user["user_id"], "trim_id": trim["trim_id"], "year": year}
    return None


@env.arguments("remove_from_watchlist")
def sample_unwatch(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    items = ctx.query("SELECT user_id, trim_id, year FROM watchlist ORDER BY watch_id")
    return dict(rng.choice(items)) if items else None


@env.arguments("create_price_alert")
def sample_alert(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    for user in _users(ctx, rng):
        active = ctx.query(
            "SELECT trim_id, year, region FROM price_alerts WHERE user_id = ? AND status = 'active'",
            (user["user_id"],),
        )
        if len(active) >= MAX_ACTIVE_ALERTS:
            continue
        # Half the time the alert is on a car the shopper already watches: the natural next step.
        watched = ctx.query(
            "SELECT trim_id, year FROM watchlist WHERE user_id = ? ORDER BY watch_id", (user["user_id"],)
        )
        if watched and rng.random() < 0.5:
            pick = rng.choice(watched)
            trim_id, year = pick["trim_id"], pick["year"]
        else:
            trim = rng.choice(ctx.query("SELECT trim_id, model_id FROM trims ORDER BY trim_id"))
            trim_id, year = trim["trim_id"], rng.choice(_model_years(ctx, trim["model_id"])[-8:])
        region = user["region"] if rng.random() < 0.6 else rng.choice(sorted(REGIONS))
        if any(a["trim_id"] == trim_id and a["year"] == year and a["region"] == region for a in active):
            continue
        trim_row = ctx.rows(Trim).require(trim_id, missing=trim_id)
        model_row = ctx.rows(CarModel).require(trim_row["model_id"], missing=trim_id)
        region_row = ctx.rows(Region).require(region, missing=region)
        current, _ = estimate_price(ctx, trim_row, model_row, year, None, region_row)
        # A round target some way below today's estimate.
        target = int(current * rng.uniform(0.8, 0.95)) // 500 * 500
        if target <= 0:
            continue
        return {"user_id": user["user_id"], "trim_id": trim_id, "year": year, "target_price": target, "region": region}
    return None


@env.arguments("cancel_price_alert")
def sample_alert_cancellation(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    alerts = ctx.query("SELECT user_id, alert_id FROM price_alerts WHERE status = 'active' ORDER BY alert_id")
    return dict(rng.choice(alerts)) if alerts else None


@env.arguments("request_dealer_quote")
def sample_quote(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """A new vehicle the shopper watches, from a dealer that sells its brand (one they asked before, if any)."""
    for user in _users(ctx, rng):
        user_id = user["user_id"]
        pending = ctx.query(
            "SELECT dealer_id, trim_id FROM quote_requests WHERE user_id = ? AND status = 'pending'", (user_id,)
        )
        if len(pending) >= MAX_PENDING_QUOTES:
            continue
        watched = ctx.query(
            "SELECT w.trim_id, m.brand FROM watchlist w JOIN trims t ON t.trim_id = w.trim_id "
            "JOIN models m ON m.model_id = t.model_id WHERE w.user_id = ? ORDER BY w.watch_id",
            (user_id,),
        )
        if not watched:
            continue
        pick = rng.choice(watched)
        known = ctx.query(
            "SELECT DISTINCT q.dealer_id FROM quote_requests q JOIN dealers d ON d.dealer_id = q.dealer_id "
            "WHERE q.user_id = ? AND EXISTS (SELECT 1 FROM json_each(d.brands) WHERE value = ?) ORDER BY q.dealer_id",
            (user_id, pick["brand"]),
        )
        local = ctx.query(
            "SELECT dealer_id FROM dealers WHERE region = ? AND EXISTS (SELECT 1 FROM json_each(dealers.brands) "
            "WHERE value = ?) ORDER BY dealer_id",
            (user["region"], pick["brand"]),
        )
        dealers = known or local
        if not dealers:
            continue
        dealer_id = rng.choice(dealers)["dealer_id"]
        if any(p["dealer_id"] == dealer_id and p["trim_id"] == pick["trim_id"] for p in pending):
            continue
        arguments = {"user_id": user_id, "dealer_id": dealer_id, "trim_id": pick["trim_id"]}
        if rng.random() < 0.5:
            arguments["message"] = rng.choice(QUOTE_MESSAGES)
        return arguments
    return None


@env.arguments("cancel_quote_request")
def sample_quote_cancellation(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    quotes = ctx.query("SELECT user_id, quote_id FROM quote_requests WHERE status = 'pending' ORDER BY quote_id")
    return dict(rng.choice(quotes)) if quotes else None
