"""Task-synthesis hints for the Hong Kong bus service: argument samplers for the tools whose arguments must
agree with the network and with the rider's saved state (a stop not yet among their favourites, a
destination some route from the stop really reaches, an alert for a route that calls at the stop).

Each sampler reads the seeded state through ``ctx`` and returns arguments that succeed; the synthesis
pipeline executes them and keeps only chains that do.
"""

from __future__ import annotations

import random
from typing import Any

from envfactory_gym.authoring import ToolContext

from .definition import env
from .models import MAX_ACTIVE_ALERTS, MAX_FAVOURITES

NICKNAMES = ("Home", "Work", "Gym", "Grandma's", "Office", "School run", "Clinic", "Dim sum", "Ferry", "Market")


def _riders(ctx: ToolContext) -> list[str]:
    return [r["user_id"] for r in ctx.query("SELECT user_id FROM riders ORDER BY user_id")]


def _later_stop(ctx: ToolContext, rng: random.Random) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """A boarding stop and a later stop of the same route and direction."""
    routes = ctx.query("SELECT route, bound FROM routes ORDER BY route, bound")
    route = rng.choice(routes)
    stops = ctx.query(
        "SELECT rs.seq, s.* FROM route_stops rs JOIN stops s ON s.stop_id = rs.stop_id "
        "WHERE rs.route = ? AND rs.bound = ? ORDER BY rs.seq",
        [route["route"], route["bound"]],
    )
    if len(stops) < 2:
        return None
    first, second = sorted(rng.sample(range(len(stops)), 2))
    return stops[first], stops[second]


@env.arguments("add_favourite_stop")
def sample_favourite(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    stops = ctx.query("SELECT stop_id FROM stops ORDER BY stop_id")
    for _ in range(20):
        user_id = rng.choice(_riders(ctx))
        saved = ctx.query("SELECT stop_id, nickname FROM favourite_stops WHERE user_id = ?", [user_id])
        if len(saved) >= MAX_FAVOURITES:
            continue
        stop_id = rng.choice(stops)["stop_id"]
        names = [n for n in NICKNAMES if n not in {s["nickname"] for s in saved}]
        if stop_id in {s["stop_id"] for s in saved} or not names:
            continue
        return {"user_id": user_id, "stop_id": stop_id, "nickname": rng.choice(names)}
    return None


@env.arguments("remove_favourite_stop")
def sample_unfavourite(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    rows = ctx.query("SELECT user_id, stop_id FROM favourite_stops ORDER BY user_id, stop_id")
    row = rng.choice(rows) if rows else None
    return {"user_id": row["user_id"], "stop_id": row["stop_id"]} if row else None


@env.arguments("create_arrival_alert")
def sample_alert(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    for _ in range(20):
        user_id = rng.choice(_riders(ctx))
        active = ctx.query(
            "SELECT route, bound, stop_id FROM arrival_alerts WHERE user_id = ? AND status = 'active'", [user_id]
        )
        if len(active) >= MAX_ACTIVE_ALERTS:
            continue
        routes = ctx.query("SELECT route, bound FROM routes ORDER BY route, bound")
        route = rng.choice(routes)
        calls = ctx.query(
            "SELECT stop_id FROM route_stops WHERE route = ? AND bound = ? ORDER BY seq",
            [route["route"], route["bound"]],
        )
        stop_id = rng.choice(calls)["stop_id"]
        if {"route": route["route"], "bound": route["bound"], "stop_id": stop_id} in active:
            continue
        return {
            "user_id": user_id,
            "route": route["route"],
            "stop_id": stop_id,
            "minutes_before": rng.choice((3, 5, 8, 10, 15)),
            "bound": route["bound"],
        }
    return None


@env.arguments("find_stop_by_name")
def sample_stop_name_search(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """A word shared by a few stop names ('Terminus', 'Estate'): a full name finds one stop, and "how many
    stops are there" would always be answered "1"; more than a page (10) would make the listed count differ
    from the total."""
    names = [r["stop_name"] for r in ctx.query("SELECT stop_name FROM stops ORDER BY stop_name")]
    words = sorted({w.strip("()',.") for name in names for w in name.split()})
    shared = [
        word
        for word in words
        if len(word) >= 3
        and word.isalpha()
        and 3 <= ctx.query("SELECT COUNT(*) AS n FROM stops WHERE stop_name LIKE ?", [f"%{word}%"])[0]["n"] <= 10
    ]
    return {"stop_name": rng.choice(shared)} if shared else None


@env.arguments("find_buses_to_destination")
def sample_destination_search(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """A destination (district or part of a stop name) that a route from the stop really reaches."""
    pair = _later_stop(ctx, rng)
    if pair is None:
        return None
    board, alight = pair
    destination = alight["district"] if rng.random() < 0.5 else alight["stop_name"]
    if destination.lower() in board["stop_name"].lower() or destination == board["district"]:
        return None
    return {"stop_id": board["stop_id"], "destination": destination}


@env.arguments("search_route_by_stops")
def sample_stop_pair(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    pair = _later_stop(ctx, rng)
    return {"from_stop_id": pair[0]["stop_id"], "to_stop_id": pair[1]["stop_id"]} if pair else None


@env.arguments("cancel_arrival_alert")
def sample_alert_cancellation(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    rows = ctx.query("SELECT user_id, alert_id FROM arrival_alerts WHERE status = 'active' ORDER BY alert_id")
    row = rng.choice(rows) if rows else None
    return {"user_id": row["user_id"], "alert_id": row["alert_id"]} if row else None
