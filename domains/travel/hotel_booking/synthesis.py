"""Task-synthesis hints for hotel booking: argument samplers for the tools whose arguments must agree with
each other and with the seeded state (a room free on every night of the stay, a card of the customer, a
booking still inside its free-change window, a completed stay not yet reviewed).

Each sampler reads the seeded state through ``ctx`` and returns arguments that succeed; the synthesis
pipeline executes them and keeps only chains that do.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from envfactory_gym.authoring import ToolContext

from .definition import env
from .models import CALENDAR_DAYS
from .tools import get_hotels

REVIEW_COMMENTS = (
    "Lovely staff and a spotless room, the breakfast was worth it.",
    "Great location near the station, but the walls were thin.",
    "The room was smaller than the photos suggested.",
    "Quiet, comfortable bed, would happily stay again.",
    "Check-in took far too long and the air conditioning was noisy.",
    "Friendly front desk and a great view from the upper floor.",
)
SPECIAL_REQUESTS = ("late arrival", "high floor please", "quiet room away from the lift", "extra pillows")


def _stay_dates(ctx: ToolContext, rng: random.Random, max_nights: int = 4) -> tuple[str, str, list[str]]:
    """A future stay inside the published calendar: check-in, check-out and its nights."""
    today = ctx.now.date()
    nights = rng.randint(1, max_nights)
    start = today + dt.timedelta(days=rng.randint(1, CALENDAR_DAYS - nights - 1))
    dates = [(start + dt.timedelta(days=i)).isoformat() for i in range(nights)]
    return start.isoformat(), (start + dt.timedelta(days=nights)).isoformat(), dates


def _free_rooms(ctx: ToolContext, room_type_id: str, dates: list[str]) -> int:
    """How many rooms of a type are free on every one of the nights."""
    rows = ctx.query(
        f"SELECT MIN(rooms_available) AS free, COUNT(*) AS n FROM room_nights WHERE room_type_id = ? "
        f"AND date IN ({','.join('?' for _ in dates)})",
        [room_type_id, *dates],
    )
    return int(rows[0]["free"] or 0) if rows and rows[0]["n"] == len(dates) else 0


def _stay_price(ctx: ToolContext, room_type_id: str, dates: list[str], rooms: int) -> int:
    rows = ctx.query(
        f"SELECT SUM(nightly_rate) AS total FROM room_nights WHERE room_type_id = ? "
        f"AND date IN ({','.join('?' for _ in dates)})",
        [room_type_id, *dates],
    )
    return int(rows[0]["total"] or 0) * rooms


def _changeable_bookings(ctx: ToolContext, rng: random.Random) -> list[dict[str, Any]]:
    """Confirmed future bookings whose free-cancellation (and free-change) window is still open."""
    rows = ctx.query(
        "SELECT b.*, h.free_cancellation_days FROM bookings b JOIN hotels h ON h.hotel_id = b.hotel_id "
        "WHERE b.status = 'confirmed' AND b.check_in > ? ORDER BY b.booking_id",
        [ctx.now.date().isoformat()],
    )
    open_rows = [
        r
        for r in rows
        if ctx.now.date() < dt.date.fromisoformat(r["check_in"]) - dt.timedelta(days=r["free_cancellation_days"])
    ]
    rng.shuffle(open_rows)
    return open_rows


@env.arguments("book_hotel")
def sample_booking(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    rooms_types = ctx.query("SELECT * FROM room_types ORDER BY room_type_id")
    customers = ctx.query("SELECT customer_id FROM customers ORDER BY customer_id")
    for _ in range(30):
        room = rng.choice(rooms_types)
        check_in, check_out, dates = _stay_dates(ctx, rng)
        rooms = 1 if rng.random() < 0.8 else 2
        if _free_rooms(ctx, room["room_type_id"], dates) < rooms:
            continue
        customer_id = rng.choice(customers)["customer_id"]
        price = _stay_price(ctx, room["room_type_id"], dates, rooms)
        methods = ctx.query(
            "SELECT payment_method_id FROM payment_methods WHERE customer_id = ? "
            "AND (kind = 'credit_card' OR balance >= ?) ORDER BY payment_method_id",
            [customer_id, price],
        )
        if not methods:
            continue
        arguments: dict[str, Any] = {
            "customer_id": customer_id,
            "hotel_id": room["hotel_id"],
            "room_type_id": room["room_type_id"],
            "check_in": check_in,
            "check_out": check_out,
            "guests": rng.randint(1, room["max_occupancy"] * rooms),
            "payment_method_id": rng.choice(methods)["payment_method_id"],
            "rooms": rooms,
        }
        if rng.random() < 0.25:
            arguments["special_requests"] = rng.choice(SPECIAL_REQUESTS)
        return arguments
    return None


@env.arguments("modify_booking")
def sample_change(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """Move the dates, change the party size or switch room type, always to something free."""
    for booking in _changeable_bookings(ctx, rng)[:30]:
        room = ctx.query("SELECT * FROM room_types WHERE room_type_id = ?", [booking["room_type_id"]])[0]
        kind = rng.choice(("dates", "guests", "room"))
        if kind == "guests":
            options = [g for g in range(1, room["max_occupancy"] * booking["rooms"] + 1) if g != booking["guests"]]
            if options:
                return {"booking_id": booking["booking_id"], "guests": rng.choice(options)}
        elif kind == "room":
            others = ctx.query(
                "SELECT room_type_id, max_occupancy FROM room_types WHERE hotel_id = ? AND room_type_id != ? "
                "ORDER BY room_type_id",
                [booking["hotel_id"], booking["room_type_id"]],
            )
            nights = _nights(booking["check_in"], booking["check_out"])
            fitting = [
                o["room_type_id"]
                for o in others
                if o["max_occupancy"] * booking["rooms"] >= booking["guests"]
                and _free_rooms(ctx, o["room_type_id"], nights) >= booking["rooms"]
            ]
            if fitting:
                return {"booking_id": booking["booking_id"], "room_type_id": rng.choice(fitting)}
        else:
            shift = rng.choice((-2, -1, 1, 2, 3))
            start = dt.date.fromisoformat(booking["check_in"]) + dt.timedelta(days=shift)
            end = dt.date.fromisoformat(booking["check_out"]) + dt.timedelta(days=shift)
            last_night = ctx.now.date() + dt.timedelta(days=CALENDAR_DAYS - 1)
            if start <= ctx.now.date() or end - dt.timedelta(days=1) > last_night:
                continue
            nights = _nights(start.isoformat(), end.isoformat())
            # The booking's own rooms are released before the new nights are checked.
            own = set(_nights(booking["check_in"], booking["check_out"]))
            free = all(
                _free_rooms(ctx, booking["room_type_id"], [n]) + (booking["rooms"] if n in own else 0)
                >= booking["rooms"]
                for n in nights
            )
            if free:
                return {
                    "booking_id": booking["booking_id"],
                    "check_in": start.isoformat(),
                    "check_out": end.isoformat(),
                }
    return None


@env.arguments("cancel_booking")
def sample_cancellation(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    rows = ctx.query(
        "SELECT booking_id FROM bookings WHERE status = 'confirmed' AND check_in > ? ORDER BY booking_id",
        [ctx.now.date().isoformat()],
    )
    return {"booking_id": rng.choice(rows)["booking_id"]} if rows else None


@env.arguments("leave_review")
def sample_review(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    rows = ctx.query(
        "SELECT b.booking_id FROM bookings b LEFT JOIN reviews r ON r.booking_id = b.booking_id "
        "WHERE b.status = 'completed' AND r.booking_id IS NULL ORDER BY b.booking_id"
    )
    if not rows:
        return None
    return {
        "booking_id": rng.choice(rows)["booking_id"],
        "rating": rng.randint(1, 10),
        "comment": rng.choice(REVIEW_COMMENTS),
    }


@env.arguments("get_hotels")
def sample_hotel_search(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """A search whose answer (how many hotels have rooms) is 2-4: a destination has only 3-5 hotels, and a
    count of 0, 1 or 5 is one an agent "finds" in any error message ("between 1 and 50"). No other number
    is stated, so the count cannot be read back from the request either."""
    destinations = ctx.query("SELECT destination_id FROM destinations ORDER BY destination_id")
    for _ in range(20):
        check_in, check_out, _ = _stay_dates(ctx, rng, max_nights=5)
        arguments: dict[str, Any] = {
            "destination_id": rng.choice(destinations)["destination_id"],
            "check_in": check_in,
            "check_out": check_out,
        }
        if 2 <= get_hotels(ctx, **arguments)["total"] <= 4:
            return arguments
    return None


@env.arguments("list_my_bookings")
def sample_booking_list(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """A customer with many bookings, so the count asked for is not a small number anyone could guess."""
    rows = ctx.query("SELECT customer_id FROM bookings GROUP BY customer_id HAVING COUNT(*) >= 6 ORDER BY customer_id")
    return {"customer_id": rng.choice(rows)["customer_id"]} if rows else None


@env.arguments("get_hotel_details")
def sample_hotel_details(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    hotels = ctx.query("SELECT hotel_id FROM hotels ORDER BY hotel_id")
    arguments: dict[str, Any] = {"hotel_id": rng.choice(hotels)["hotel_id"]}
    if rng.random() < 0.5:
        check_in, check_out, _ = _stay_dates(ctx, rng)
        arguments |= {"check_in": check_in, "check_out": check_out}
    return arguments


def _nights(check_in: str, check_out: str) -> list[str]:
    start, end = dt.date.fromisoformat(check_in), dt.date.fromisoformat(check_out)
    return [(start + dt.timedelta(days=i)).isoformat() for i in range((end - start).days)]
