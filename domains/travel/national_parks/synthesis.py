"""Task-synthesis hints for national_parks: argument samplers for the tools whose arguments must agree with
the booking rules (a reservable campground, nights inside its season, a site free on every night and big
enough for the party, a permit within the park's daily quota, bookings that can still be cancelled).

Each sampler reads the seeded state through ``ctx`` and returns arguments that succeed.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from envfactory_gym.authoring import ToolContext

from .definition import env
from .models import BOOKING_WINDOW_DAYS, MAX_PERMIT_GROUP, PERMIT_WINDOW_DAYS

# How far ahead synthesized trips start: soon enough to be a real plan, inside every booking window.
TRIP_HORIZON_DAYS = min(60, BOOKING_WINDOW_DAYS, PERMIT_WINDOW_DAYS)


def _in_season(campground: dict[str, Any], day: dt.date) -> bool:
    return bool(campground["seasonStart"] <= day.strftime("%m-%d") <= campground["seasonEnd"])


def _stay(ctx: ToolContext, campground: dict[str, Any], rng: random.Random) -> tuple[str, str] | None:
    """A stay of 1-4 nights inside the campground's season, starting within the trip horizon."""
    today = ctx.now.date()
    for _ in range(10):
        start = today + dt.timedelta(days=rng.randint(2, TRIP_HORIZON_DAYS))
        end = start + dt.timedelta(days=rng.randint(1, 4))
        if _in_season(campground, start) and _in_season(campground, end - dt.timedelta(days=1)):
            return start.isoformat(), end.isoformat()
    return None


def _free_sites(ctx: ToolContext, campground_id: str, start: str, end: str) -> list[dict[str, Any]]:
    return ctx.query(
        "SELECT s.* FROM campsites s WHERE s.campgroundId = ? AND NOT EXISTS (SELECT 1 FROM reservations r "
        "WHERE r.campgroundId = s.campgroundId AND r.siteName = s.siteName AND r.status = 'confirmed' "
        "AND r.startDate < ? AND r.endDate > ?) ORDER BY s.siteName",
        (campground_id, end, start),
    )


def _reservable(ctx: ToolContext, rng: random.Random) -> list[dict[str, Any]]:
    rows = ctx.query("SELECT * FROM campgrounds WHERE reservable = 1 ORDER BY campgroundId")
    rng.shuffle(rows)
    return rows


@env.arguments("findParks")
def sample_park_search(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    park = rng.choice(ctx.query("SELECT states, activities FROM parks ORDER BY parkCode"))
    state = rng.choice(park["states"].split(","))
    activity = rng.choice(ctx.query("SELECT value FROM json_each(?)", (park["activities"],)))["value"]
    choice = rng.random()
    if choice < 0.5:
        return {"stateCode": state}
    if choice < 0.8:
        return {"stateCode": state, "activity": activity}
    return {"activity": activity}


@env.arguments("getAlerts")
def sample_alert_search(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    alert = rng.choice(ctx.query("SELECT parkCode, category FROM alerts ORDER BY alertId"))
    if rng.random() < 0.6:
        return {"parkCode": alert["parkCode"]}
    return {"parkCode": alert["parkCode"], "category": alert["category"]}


@env.arguments("getCampgrounds")
def sample_campground_search(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    return {
        "parkCode": rng.choice(ctx.query("SELECT DISTINCT parkCode FROM campgrounds ORDER BY parkCode"))["parkCode"]
    }


@env.arguments("getCampsiteAvailability")
def sample_availability(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    for campground in _reservable(ctx, rng)[:20]:
        stay = _stay(ctx, campground, rng)
        if stay is None:
            continue
        sites = _free_sites(ctx, campground["campgroundId"], *stay)
        if not sites:
            continue
        arguments: dict[str, Any] = {
            "campgroundId": campground["campgroundId"],
            "startDate": stay[0],
            "endDate": stay[1],
        }
        site = rng.choice(sites)
        if rng.random() < 0.5:
            arguments["siteType"] = site["siteType"]
        if rng.random() < 0.5:
            arguments["numPeople"] = rng.randint(2, site["maxPeople"])
        return arguments
    return None


@env.arguments("reserveCampsite")
def sample_reservation(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    visitors = ctx.query("SELECT userId FROM visitors ORDER BY userId")
    for campground in _reservable(ctx, rng)[:20]:
        stay = _stay(ctx, campground, rng)
        if stay is None:
            continue
        sites = _free_sites(ctx, campground["campgroundId"], *stay)
        if not sites:
            continue
        site = rng.choice(sites)
        return {
            "userId": rng.choice(visitors)["userId"],
            "campgroundId": campground["campgroundId"],
            "siteName": site["siteName"],
            "startDate": stay[0],
            "endDate": stay[1],
            "numPeople": rng.randint(1, min(site["maxPeople"], 6)),
        }
    return None


@env.arguments("cancelCampsiteReservation")
def sample_reservation_cancellation(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    tomorrow = (ctx.now.date() + dt.timedelta(days=1)).isoformat()
    rows = ctx.query(
        "SELECT userId, reservationId FROM reservations WHERE status = 'confirmed' AND startDate >= ? "
        "ORDER BY reservationId",
        (tomorrow,),
    )
    return dict(rng.choice(rows)) if rows else None


@env.arguments("requestPermit")
def sample_permit(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    parks = ctx.query(
        "SELECT parkCode, backcountryDailyQuota FROM parks WHERE backcountryDailyQuota > 0 ORDER BY parkCode"
    )
    visitors = ctx.query("SELECT userId FROM visitors ORDER BY userId")
    for _ in range(20):
        park = rng.choice(parks)
        trip = (ctx.now.date() + dt.timedelta(days=rng.randint(2, TRIP_HORIZON_DAYS))).isoformat()
        taken = ctx.query(
            "SELECT COALESCE(SUM(groupSize), 0) AS n FROM permits WHERE parkCode = ? AND tripDate = ? "
            "AND status = 'issued'",
            (park["parkCode"], trip),
        )[0]["n"]
        room = min(MAX_PERMIT_GROUP, park["backcountryDailyQuota"] - taken)
        if room < 1:
            continue
        return {
            "userId": rng.choice(visitors)["userId"],
            "parkCode": park["parkCode"],
            "tripDate": trip,
            "nights": rng.randint(1, 4),
            "groupSize": rng.randint(1, min(room, 6)),
        }
    return None


@env.arguments("cancelPermit")
def sample_permit_cancellation(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    rows = ctx.query(
        "SELECT userId, permitId FROM permits WHERE status = 'issued' AND tripDate > ? ORDER BY permitId",
        (ctx.now.date().isoformat(),),
    )
    return dict(rng.choice(rows)) if rows else None
