"""Task-synthesis hints for China Railway 12306: argument samplers for the tools whose arguments must agree
with each other and with the timetable (a train that runs between the two stations that day with seats
left, passengers saved on the buyer's account, a ticket still changeable to a train between the same
cities, a valid identity card number for a new passenger).

Each sampler reads the seeded state through ``ctx`` (reusing the read tools' own search, so it offers only
what a traveller would be offered) and returns arguments that succeed; the synthesis pipeline executes
them and keeps only chains that do.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from envfactory_gym.authoring import ToolContext

from .definition import env
from .models import MAX_SAVED_PASSENGERS, SALE_DAYS, STUDENT_SEATS
from .tools import get_tickets


def _sale_day(ctx: ToolContext, rng: random.Random, first: int = 1) -> str:
    return (ctx.now.date() + dt.timedelta(days=rng.randint(first, SALE_DAYS - 1))).isoformat()


def _city_pair(ctx: ToolContext, rng: random.Random) -> tuple[str, str] | None:
    """Two stations served, in this order, by some train."""
    trains = ctx.query("SELECT train_code FROM trains ORDER BY train_code")
    stops = ctx.query(
        "SELECT station_code FROM train_stops WHERE train_code = ? ORDER BY stop_index",
        [rng.choice(trains)["train_code"]],
    )
    if len(stops) < 2:
        return None
    first, second = sorted(rng.sample(range(len(stops)), 2))
    return stops[first]["station_code"], stops[second]["station_code"]


def _offers(ctx: ToolContext, date: str, from_code: str, to_code: str) -> list[dict[str, Any]]:
    """Trains the search offers between two stations' cities that day, as a traveller would see them."""
    return list(get_tickets(ctx, date=date, from_station_code=from_code, to_station_code=to_code, limit=50)["trains"])


@env.arguments("get_tickets")
def sample_search(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    for _ in range(10):
        pair = _city_pair(ctx, rng)
        if pair is None:
            continue
        arguments: dict[str, Any] = {
            "date": _sale_day(ctx, rng),
            "from_station_code": pair[0],
            "to_station_code": pair[1],
        }
        if rng.random() < 0.3:
            arguments["train_filter_flags"] = rng.choice(("G", "D", "GD", "K"))
        return arguments
    return None


@env.arguments("buy_tickets")
def sample_purchase(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    accounts = ctx.query("SELECT user_id FROM accounts ORDER BY user_id")
    for _ in range(20):
        pair = _city_pair(ctx, rng)
        if pair is None:
            continue
        date = _sale_day(ctx, rng)
        offers = _offers(ctx, date, *pair)
        if not offers:
            continue
        offer = rng.choice(offers)
        user_id = rng.choice(accounts)["user_id"]
        people = ctx.query(
            "SELECT passenger_id, passenger_type FROM passengers WHERE user_id = ? ORDER BY is_account_holder DESC, "
            "passenger_id",
            [user_id],
        )
        # The account holder, sometimes with one companion; never a child travelling alone.
        chosen = people[:1] + (rng.sample(people[1:], 1) if len(people) > 1 and rng.random() < 0.4 else [])
        if not chosen or all(p["passenger_type"] == "child" for p in chosen):
            continue
        seats = [
            s
            for s in offer["seats"]
            if s["remaining"] >= len(chosen)
            and (s["seat_type"] in STUDENT_SEATS or all(p["passenger_type"] != "student" for p in chosen))
        ]
        if not seats:
            continue
        return {
            "user_id": user_id,
            "train_code": offer["train_code"],
            "date": date,
            "from_station_code": offer["from_station_code"],
            "to_station_code": offer["to_station_code"],
            "seat_type": rng.choice(seats)["seat_type"],
            "passenger_ids": [p["passenger_id"] for p in chosen],
        }
    return None


def _open_tickets(ctx: ToolContext, rng: random.Random, hours_ahead: int = 1) -> list[dict[str, Any]]:
    """Paid tickets whose train leaves at least ``hours_ahead`` hours from now, in a seeded random order."""
    after = (ctx.now + dt.timedelta(hours=hours_ahead)).strftime("%Y-%m-%d %H:%M")
    rows = ctx.query(
        "SELECT * FROM tickets WHERE status = 'paid' AND depart_time > ? ORDER BY ticket_id",
        [after],
    )
    rng.shuffle(rows)
    return rows


@env.arguments("refund_ticket")
def sample_refund(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    rows = _open_tickets(ctx, rng)
    return {"ticket_id": rows[0]["ticket_id"]} if rows else None


@env.arguments("change_ticket")
def sample_change(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """Another train between the same cities, two or more days before the original departure (so the
    48-hour same-day rule does not apply), on the same day or the day after."""
    for ticket in _open_tickets(ctx, rng, hours_ahead=49)[:20]:
        if ticket["changed_from"] is not None:
            continue
        day = dt.date.fromisoformat(ticket["date"]) + dt.timedelta(days=rng.choice((0, 0, 1)))
        if (day - ctx.now.date()).days >= SALE_DAYS:
            continue
        offers = [
            o
            for o in _offers(ctx, day.isoformat(), ticket["from_station_code"], ticket["to_station_code"])
            if o["train_code"] != ticket["train_code"]
        ]
        rng.shuffle(offers)
        for offer in offers:
            seats = [s["seat_type"] for s in offer["seats"] if s["remaining"] >= 1]
            if seats:
                return {
                    "ticket_id": ticket["ticket_id"],
                    "train_code": offer["train_code"],
                    "new_date": day.isoformat(),
                    "seat_type": rng.choice(seats),
                }
    return None


@env.arguments("add_passenger")
def sample_new_passenger(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """Add a person already known to the railway (saved on another account: a valid identity card number)."""
    accounts = ctx.query(
        "SELECT user_id FROM passengers GROUP BY user_id HAVING COUNT(*) < ? ORDER BY user_id", [MAX_SAVED_PASSENGERS]
    )
    people = ctx.query("SELECT * FROM passengers WHERE is_account_holder = 0 ORDER BY passenger_id")
    for _ in range(20):
        user_id = rng.choice(accounts)["user_id"]
        person = rng.choice(people)
        taken = ctx.query(
            "SELECT 1 FROM passengers WHERE user_id = ? AND (id_number = ? OR passenger_name = ?)",
            [user_id, person["id_number"], person["passenger_name"]],
        )
        if taken:
            continue
        arguments = {
            "user_id": user_id,
            "passenger_name": person["passenger_name"],
            "id_number": person["id_number"],
            "passenger_type": person["passenger_type"],
        }
        if person["phone"] and rng.random() < 0.5:
            arguments["phone"] = person["phone"]
        return arguments
    return None


@env.arguments("remove_passenger")
def sample_removal(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """A saved companion (never the account holder) with no unused ticket."""
    rows = ctx.query(
        "SELECT p.user_id, p.passenger_id FROM passengers p WHERE p.is_account_holder = 0 AND NOT EXISTS "
        "(SELECT 1 FROM tickets t WHERE t.passenger_id = p.passenger_id AND t.status = 'paid') ORDER BY p.passenger_id"
    )
    row = rng.choice(rows) if rows else None
    return {"user_id": row["user_id"], "passenger_id": row["passenger_id"]} if row else None
