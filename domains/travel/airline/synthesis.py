"""Task-synthesis hints for the airline: argument samplers for the tools whose structured arguments must
agree with each other and with the policy (itineraries, payments, bag allowances, cancellations).

Each sampler reads the seeded state through ``ctx`` and returns arguments a correct agent could arrive
at; the synthesis pipeline executes them and keeps only chains that succeed.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from envfactory_gym.authoring import ToolContext

from .definition import env
from .models import FREE_BAGS, INSURED_REASONS

CABINS = ("basic_economy", "economy", "business")
CABIN_INDEX = {cabin: i for i, cabin in enumerate(CABINS)}
TOPICS = (
    "a refund for a flight that was cancelled twice",
    "a complaint about lost baggage on my last trip",
    "changing the origin of my trip, which the website refuses",
    "a medical exemption for a non-refundable ticket",
    "a group booking for more than five travellers",
)


def _open_reservations(ctx: ToolContext, rng: random.Random, where: str = "", limit: int = 40) -> list[dict[str, Any]]:
    """Active reservations none of whose flights has flown or is in the air, in a seeded random order."""
    rows = ctx.query(
        "SELECT r.* FROM reservations r WHERE r.status IS NULL "
        + where
        + " AND NOT EXISTS (SELECT 1 FROM reservation_flights rf JOIN flight_dates fd"
        "   ON fd.flight_number = rf.flight_number AND fd.date = rf.date"
        "   WHERE rf.reservation_id = r.reservation_id AND fd.status IN ('landed', 'flying'))"
        " ORDER BY r.reservation_id"
    )
    rng.shuffle(rows)
    return rows[:limit]


def _card(ctx: ToolContext, user_id: str, rng: random.Random, at_least: int = 0) -> str | None:
    """A saved credit card, or a gift card with enough balance, of the user."""
    methods = ctx.query(
        "SELECT payment_id, source, balance_cents FROM payment_methods WHERE user_id = ? "
        "AND source IN ('credit_card', 'gift_card') ORDER BY position",
        (user_id,),
    )
    usable = [
        m["payment_id"] for m in methods if m["source"] == "credit_card" or (m["balance_cents"] or 0) >= at_least * 100
    ]
    return rng.choice(usable) if usable else None


def _count(ctx: ToolContext, table: str, reservation_id: str) -> int:
    return int(ctx.query(f"SELECT COUNT(*) AS n FROM {table} WHERE reservation_id = ?", (reservation_id,))[0]["n"])


@env.arguments("cancel_reservation")
def sample_cancellation(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    recent = (ctx.now - dt.timedelta(hours=24)).isoformat()
    for row in _open_reservations(ctx, rng):
        airline_cancelled = ctx.query(
            "SELECT 1 FROM reservation_flights rf JOIN flight_dates fd ON fd.flight_number = rf.flight_number "
            "AND fd.date = rf.date WHERE rf.reservation_id = ? AND fd.status = 'cancelled'",
            (row["reservation_id"],),
        )
        if airline_cancelled:
            return {"reservation_id": row["reservation_id"], "reason": "airline_cancelled"}
        if row["created_at"] >= recent or row["cabin"] == "business":
            return {"reservation_id": row["reservation_id"], "reason": "change_of_plan"}
        if row["insurance"] == "yes":
            return {"reservation_id": row["reservation_id"], "reason": rng.choice(INSURED_REASONS)}
    return None


@env.arguments("update_reservation_baggages")
def sample_bags(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    for row in _open_reservations(ctx, rng):
        passengers = _count(ctx, "reservation_passengers", row["reservation_id"])
        membership = ctx.query("SELECT membership FROM users WHERE user_id = ?", (row["user_id"],))[0]["membership"]
        allowance = FREE_BAGS[membership][CABIN_INDEX[row["cabin"]]] * passengers
        total = row["total_baggages"] + rng.randint(1, 2)
        if total > 10 * passengers:
            continue
        nonfree = max(row["nonfree_baggages"], total - allowance, 0)
        card = _card(ctx, row["user_id"], rng, at_least=50 * (nonfree - row["nonfree_baggages"]))
        if card is not None:
            return {
                "reservation_id": row["reservation_id"],
                "total_baggages": total,
                "nonfree_baggages": nonfree,
                "payment_id": card,
            }
    return None


@env.arguments("update_reservation_passengers")
def sample_passenger_fix(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    for row in _open_reservations(ctx, rng, limit=5):
        people = ctx.query(
            "SELECT first_name, last_name, dob FROM reservation_passengers WHERE reservation_id = ? ORDER BY position",
            (row["reservation_id"],),
        )
        target = rng.randrange(len(people))
        fixed = dict(people[target])
        year, month, day = (int(part) for part in fixed["dob"].split("-"))
        fixed["dob"] = (
            dt.date(year, month, min(day, 28))
            .replace(day=rng.choice([d for d in range(1, 29) if d != day]))
            .isoformat()
        )
        people[target] = fixed
        return {"reservation_id": row["reservation_id"], "passengers": people}
    return None


@env.arguments("update_reservation_flights")
def sample_upgrade(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """A cabin upgrade on the same flights (the common request), paid by a card of the member."""
    for row in _open_reservations(ctx, rng, "AND r.cabin != 'business'"):
        segments = ctx.query(
            "SELECT flight_number, date FROM reservation_flights WHERE reservation_id = ? ORDER BY position",
            (row["reservation_id"],),
        )
        cabin = CABINS[CABIN_INDEX[row["cabin"]] + 1]
        passengers = _count(ctx, "reservation_passengers", row["reservation_id"])
        bookable = all(
            ctx.query(
                f"SELECT 1 FROM flight_dates WHERE flight_number = ? AND date = ? AND status = 'available' "
                f"AND seats_{cabin} >= ?",
                (s["flight_number"], s["date"], passengers),
            )
            for s in segments
        )
        card = _card(ctx, row["user_id"], rng, at_least=10**6)
        if bookable and card is not None:
            return {"reservation_id": row["reservation_id"], "cabin": cabin, "flights": segments, "payment_id": card}
    return None


@env.arguments("book_reservation")
def sample_booking(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    today = ctx.now.date().isoformat()
    legs = ctx.query(
        "SELECT fd.*, f.origin, f.destination FROM flight_dates fd JOIN flights f "
        "ON f.flight_number = fd.flight_number WHERE fd.status = 'available' AND fd.date > ? "
        "ORDER BY fd.flight_number, fd.date",
        (today,),
    )
    rng.shuffle(legs)
    users = ctx.query("SELECT * FROM users ORDER BY user_id")
    for leg in legs[:20]:
        user = rng.choice(users)
        companions = ctx.query(
            "SELECT first_name, last_name, dob FROM saved_passengers WHERE user_id = ? ORDER BY position",
            (user["user_id"],),
        )
        passengers = [{"first_name": user["first_name"], "last_name": user["last_name"], "dob": user["dob"]}]
        passengers += companions[: rng.choice([0, 0, 1])]
        cabin = rng.choice(CABINS)
        if (leg[f"seats_{cabin}"] or 0) < len(passengers) or leg[f"price_{cabin}"] is None:
            continue
        insurance = rng.choice(["yes", "no"])
        allowance = FREE_BAGS[user["membership"]][CABIN_INDEX[cabin]] * len(passengers)
        bags = rng.randint(0, allowance + 1)
        nonfree = max(0, bags - allowance)
        total = (
            leg[f"price_{cabin}"] * len(passengers) + (30 * len(passengers) if insurance == "yes" else 0) + 50 * nonfree
        )
        card = ctx.query(
            "SELECT payment_id FROM payment_methods WHERE user_id = ? AND source = 'credit_card' "
            "ORDER BY position LIMIT 1",
            (user["user_id"],),
        )
        if not card:
            continue
        return {
            "user_id": user["user_id"],
            "origin": leg["origin"],
            "destination": leg["destination"],
            "flight_type": "one_way",
            "cabin": cabin,
            "flights": [{"flight_number": leg["flight_number"], "date": leg["date"]}],
            "passengers": passengers,
            "payment_methods": [{"payment_id": card[0]["payment_id"], "amount": total}],
            "total_baggages": bags,
            "nonfree_baggages": nonfree,
            "insurance": insurance,
        }
    return None


@env.arguments("send_certificate")
def sample_certificate(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    users = ctx.query("SELECT user_id FROM users ORDER BY user_id")
    return {"user_id": rng.choice(users)["user_id"], "amount": rng.choice([50, 100, 150, 200, 250, 300])}


@env.arguments("calculate")
def sample_calculation(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    a, b, c = rng.randint(100, 900), rng.randint(20, 400), rng.randint(2, 5)
    return {"expression": rng.choice([f"{a} + {b} * {c}", f"({a} - {b}) * {c}", f"{a} * {c} + {b}"])}


@env.arguments("transfer_to_human_agents")
def sample_transfer(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    return {"summary": rng.choice(TOPICS)}
