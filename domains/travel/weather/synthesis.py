"""Task-synthesis hints for weather: argument samplers for the tools whose arguments must agree with the
state (a past day inside the history window, a saved location's real nickname, a free nickname and room in
the plan for a new one, units the user does not already use).

Each sampler reads the seeded state through ``ctx`` and returns arguments that succeed.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from envfactory_gym.authoring import ToolContext

from .definition import env
from .models import HISTORY_DAYS, MAX_FORECAST_DAYS, PLAN_LIMITS

NICKNAMES = ("Home", "Work", "Mom's place", "Cabin", "Beach trip", "Ski weekend", "Conference", "Grandpa")


def _location(ctx: ToolContext, rng: random.Random) -> dict[str, Any]:
    return rng.choice(ctx.query("SELECT * FROM locations ORDER BY location_id"))


def _saved(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    rows = ctx.query("SELECT * FROM saved_locations ORDER BY saved_id")
    return rng.choice(rows) if rows else None


@env.arguments("search_location")
def sample_search(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    location = _location(ctx, rng)
    if rng.random() < 0.3:
        return {"name": location["name"], "country": location["country"]}
    return {"name": location["name"]}


@env.arguments("get_current_weather")
def sample_current(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    arguments: dict[str, Any] = {"location_id": _location(ctx, rng)["location_id"]}
    if rng.random() < 0.5:
        arguments["units"] = rng.choice(["metric", "imperial"])
    return arguments


@env.arguments("get_forecast")
def sample_forecast(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    return {"location_id": _location(ctx, rng)["location_id"], "days": rng.randint(2, MAX_FORECAST_DAYS)}


@env.arguments("get_historical_weather")
def sample_history(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    location = _location(ctx, rng)
    # Dates are local to the location, so count back from its own today.
    today = (ctx.now + dt.timedelta(hours=location["utc_offset"])).date()
    day = today - dt.timedelta(days=rng.randint(1, HISTORY_DAYS))
    return {"location_id": location["location_id"], "date": day.isoformat()}


@env.arguments("get_alerts")
def sample_alerts(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    rows = ctx.query(
        "SELECT DISTINCT location_id FROM alerts WHERE expires > ? ORDER BY location_id", (ctx.now.isoformat(),)
    )
    return {"location_id": rng.choice(rows)["location_id"]} if rows else None


@env.arguments("get_saved_location")
def sample_saved_lookup(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    saved = _saved(ctx, rng)
    return {"user_id": saved["user_id"], "nickname": saved["nickname"]} if saved else None


@env.arguments("remove_saved_location")
def sample_removal(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    return sample_saved_lookup(ctx, rng)


@env.arguments("save_location")
def sample_save(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    users = ctx.query("SELECT * FROM users ORDER BY user_id")
    rng.shuffle(users)
    for user in users[:30]:
        saved = ctx.query("SELECT location_id, nickname FROM saved_locations WHERE user_id = ?", (user["user_id"],))
        if len(saved) >= PLAN_LIMITS[user["plan"]]:
            continue
        location = _location(ctx, rng)
        nicknames = {s["nickname"].lower() for s in saved}
        if location["location_id"] in {s["location_id"] for s in saved}:
            continue
        arguments: dict[str, Any] = {"user_id": user["user_id"], "location_id": location["location_id"]}
        free = [n for n in NICKNAMES if n.lower() not in nicknames]
        if free and rng.random() < 0.6:
            arguments["nickname"] = rng.choice(free)
        elif location["name"].lower() in nicknames:
            continue
        if rng.random() < 0.5:
            arguments["alerts_enabled"] = True
            arguments["__prerequisites__"] = _check_alerts_first(location["location_id"])
        return arguments
    return None


def _check_alerts_first(location_id: str) -> list[dict[str, Any]]:
    """Before switching alert notifications on, look at what is in effect there (what the user will get).

    This is also the only way get_alerts enters a task: its output (at most two alerts per location in
    the seeded state, nested in a list) gives the engine's read_question no checkable fact.
    """
    return [{"tool": "get_alerts", "arguments": {"location_id": location_id}}]


@env.arguments("update_saved_location")
def sample_update(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    saved = _saved(ctx, rng)
    if saved is None:
        return None
    arguments: dict[str, Any] = {"user_id": saved["user_id"], "nickname": saved["nickname"]}
    taken = {
        r["nickname"].lower()
        for r in ctx.query("SELECT nickname FROM saved_locations WHERE user_id = ?", (saved["user_id"],))
    }
    free = [n for n in NICKNAMES if n.lower() not in taken]
    if free and rng.random() < 0.5:
        arguments["new_nickname"] = rng.choice(free)
    else:
        arguments["alerts_enabled"] = not saved["alerts_enabled"]
        if arguments["alerts_enabled"]:
            arguments["__prerequisites__"] = _check_alerts_first(saved["location_id"])
    return arguments


@env.arguments("set_preferred_units")
def sample_units(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    user = rng.choice(ctx.query("SELECT user_id, units FROM users ORDER BY user_id"))
    return {"user_id": user["user_id"], "units": "imperial" if user["units"] == "metric" else "metric"}
