"""The hotel booking environment: every tool, the booking rules, seeding, and a gym episode."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from envfactory_gym.database import get_snapshot
from envfactory_gym.domains.travel import hotel_booking
from envfactory_gym.gold import with_gold_changes
from envfactory_gym.tasks import GoldCall, Task
from envfactory_gym.testing import EpisodeHarness, oracle_and_noop_rewards

TODAY = hotel_booking.models.NOW.date()


def day(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


@pytest.fixture
def h() -> Iterator[EpisodeHarness]:
    harness = EpisodeHarness(hotel_booking.env)
    yield harness
    harness.close()


def bookable_room(h: EpisodeHarness, start: int, nights: int, rooms: int = 1) -> dict[str, Any]:
    """A room type free for ``rooms`` rooms on every night of a stay starting ``start`` days from today."""
    return h.rows(
        "SELECT rt.room_type_id, rt.hotel_id, rt.max_occupancy, SUM(n.nightly_rate) AS stay FROM room_types rt "
        "JOIN room_nights n ON n.room_type_id = rt.room_type_id WHERE n.date >= ? AND n.date < ? "
        "AND n.rooms_available >= ? GROUP BY rt.room_type_id HAVING COUNT(*) = ? ORDER BY rt.room_type_id LIMIT 1",
        day(start),
        day(start + nights),
        rooms,
        nights,
    )[0]


def card_of(h: EpisodeHarness, kind: str = "credit_card") -> dict[str, Any]:
    return h.rows("SELECT * FROM payment_methods WHERE kind = ? ORDER BY payment_method_id LIMIT 1", kind)[0]


def availability(h: EpisodeHarness, room_type_id: str, date: str) -> int:
    return h.rows("SELECT rooms_available FROM room_nights WHERE room_type_id = ? AND date = ?", room_type_id, date)[0][
        "rooms_available"
    ]


def test_every_tool_succeeds(h: EpisodeHarness) -> None:
    called: set[str] = set()

    def ok(name: str, **arguments: Any) -> Any:
        called.add(name)
        return h.ok(name, **arguments)

    destination = ok("search_destinations", city="Lisbon")[0]
    assert destination["city"] == "Lisbon" and destination["country"] == "Portugal"
    assert {d["city"] for d in ok("search_destinations", city="Japan")} == {"Tokyo", "Kyoto"}
    page = ok("get_hotels", destination_id=destination["destination_id"], check_in=day(20), check_out=day(23))
    assert page["total"] == len(page["hotels"]) > 0
    prices = [hotel["cheapest_total_price"] for hotel in page["hotels"]]
    assert prices == sorted(prices) and all(hotel["city"] == "Lisbon" for hotel in page["hotels"])
    hotel = page["hotels"][0]
    details = ok("get_hotel_details", hotel_id=hotel["hotel_id"], check_in=day(20), check_out=day(23), guests=2)
    cheapest = next(r for r in details["room_types"] if r["room_type_id"] == hotel["cheapest_room_type_id"])
    assert cheapest["available"] and cheapest["total_price"] == hotel["cheapest_total_price"]
    assert len(cheapest["nightly_rates"]) == 3 and sum(cheapest["nightly_rates"]) == cheapest["total_price"]

    card = card_of(h)
    customer = h.rows("SELECT * FROM customers WHERE customer_id = ?", card["customer_id"])[0]
    profile = ok("get_customer_details", email=customer["email"].upper())
    assert profile["customer_id"] == customer["customer_id"]
    assert card["payment_method_id"] in {m["payment_method_id"] for m in profile["payment_methods"]}

    room_id = cheapest["room_type_id"]
    before = availability(h, room_id, day(21))
    first_night_before = availability(h, room_id, day(20))
    booking = ok(
        "book_hotel",
        customer_id=customer["customer_id"],
        hotel_id=hotel["hotel_id"],
        room_type_id=room_id,
        check_in=day(20),
        check_out=day(23),
        guests=1,
        payment_method_id=card["payment_method_id"],
        special_requests="late arrival",
    )
    assert booking["status"] == "confirmed" and booking["nights"] == 3
    assert booking["total_price"] == cheapest["total_price"]
    assert availability(h, room_id, day(21)) == before - 1
    charges = h.rows("SELECT amount, kind FROM payments WHERE booking_id = ?", booking["booking_id"])
    assert charges == [{"amount": booking["total_price"], "kind": "charge"}]

    assert ok("get_booking_details", booking_id=booking["booking_id"])["special_requests"] == "late arrival"
    mine = ok("list_my_bookings", customer_id=customer["customer_id"], status="confirmed")
    assert booking["booking_id"] in {b["booking_id"] for b in mine["bookings"]}

    moved = ok("modify_booking", booking_id=booking["booking_id"], check_in=day(21), check_out=day(23))
    assert moved["nights"] == 2 and availability(h, room_id, day(20)) == first_night_before
    difference = moved["total_price"] - booking["total_price"]
    assert (
        h.rows("SELECT SUM(amount) AS paid FROM payments WHERE booking_id = ?", booking["booking_id"])[0]["paid"]
        == booking["total_price"] + difference
    )

    cancelled = ok("cancel_booking", booking_id=booking["booking_id"])
    assert cancelled["cancellation_fee"] == 0 and cancelled["refund_amount"] == moved["total_price"]
    assert availability(h, room_id, day(21)) == before

    stay = h.rows(
        "SELECT b.booking_id, b.hotel_id FROM bookings b LEFT JOIN reviews r ON r.booking_id = b.booking_id "
        "WHERE b.status = 'completed' AND r.booking_id IS NULL ORDER BY b.booking_id LIMIT 1",
    )[0]
    count = h.rows("SELECT review_count FROM hotels WHERE hotel_id = ?", stay["hotel_id"])[0]["review_count"]
    review = ok("leave_review", booking_id=stay["booking_id"], rating=9, comment="Lovely view.")
    assert review["hotel_review_count"] == count + 1
    assert called == set(hotel_booking.env.tools)


def test_booking_rules_are_refused_without_changes(h: EpisodeHarness) -> None:
    card = card_of(h)
    room = bookable_room(h, 10, 2)
    base = {
        "customer_id": card["customer_id"],
        "hotel_id": room["hotel_id"],
        "room_type_id": room["room_type_id"],
        "check_in": day(10),
        "check_out": day(12),
        "guests": 1,
        "payment_method_id": card["payment_method_id"],
    }
    assert "in the past" in h.error("book_hotel", **{**base, "check_in": day(-1)})
    assert "after the check-in" in h.error("book_hotel", **{**base, "check_out": day(10)})
    assert "at most 30 nights" in h.error("book_hotel", **{**base, "check_out": day(45)})
    assert "YYYY-MM-DD" in h.error("book_hotel", **{**base, "check_in": "next friday"})
    assert "cannot take" in h.error("book_hotel", **{**base, "guests": room["max_occupancy"] + 1})
    assert "between 1 and 5 rooms" in h.error("book_hotel", **{**base, "rooms": 6})
    other = h.rows("SELECT * FROM payment_methods WHERE customer_id != ? LIMIT 1", card["customer_id"])[0]
    assert "not one of" in h.error("book_hotel", **{**base, "payment_method_id": other["payment_method_id"]})
    foreign_room = h.rows("SELECT room_type_id FROM room_types WHERE hotel_id != ? LIMIT 1", room["hotel_id"])[0]
    assert "does not belong" in h.error("book_hotel", **{**base, "room_type_id": foreign_room["room_type_id"]})
    sold_out = h.rows("SELECT room_type_id, date FROM room_nights WHERE rooms_available = 0 ORDER BY date DESC")[0]
    sold_hotel = h.rows("SELECT hotel_id FROM room_types WHERE room_type_id = ?", sold_out["room_type_id"])[0]
    end = (dt.date.fromisoformat(sold_out["date"]) + dt.timedelta(days=1)).isoformat()
    sold_out_stay = {
        "hotel_id": sold_hotel["hotel_id"],
        "room_type_id": sold_out["room_type_id"],
        "check_in": sold_out["date"],
        "check_out": end,
    }
    assert "not available" in h.error("book_hotel", **{**base, **sold_out_stay})
    assert "between 1 and 50" in h.error("search_destinations", city="Paris", limit=0)


def test_gift_card_balance_limits_the_booking(h: EpisodeHarness) -> None:
    gift = card_of(h, "gift_card")
    room = h.rows(
        "SELECT rt.room_type_id, rt.hotel_id, SUM(n.nightly_rate) AS stay FROM room_types rt "
        "JOIN room_nights n ON n.room_type_id = rt.room_type_id WHERE n.date >= ? AND n.date < ? "
        "AND n.rooms_available >= 1 GROUP BY rt.room_type_id HAVING COUNT(*) = 14 AND stay > ? LIMIT 1",
        day(15),
        day(29),
        gift["balance"],
    )[0]
    message = h.error(
        "book_hotel",
        customer_id=gift["customer_id"],
        hotel_id=room["hotel_id"],
        room_type_id=room["room_type_id"],
        check_in=day(15),
        check_out=day(29),
        guests=1,
        payment_method_id=gift["payment_method_id"],
    )
    assert "gift card" in message and "not enough" in message


def test_cancellation_window_and_status_rules(h: EpisodeHarness) -> None:
    late = h.rows(
        "SELECT b.* FROM bookings b JOIN hotels h ON h.hotel_id = b.hotel_id WHERE b.status = 'confirmed' "
        "AND b.check_in > ? AND date(b.check_in, '-' || h.free_cancellation_days || ' days') <= ? "
        "ORDER BY b.booking_id LIMIT 1",
        day(0),
        day(0),
    )[0]
    assert "can no longer be changed" in h.error("modify_booking", booking_id=late["booking_id"], guests=1)
    nights = (dt.date.fromisoformat(late["check_out"]) - dt.date.fromisoformat(late["check_in"])).days
    result = h.ok("cancel_booking", booking_id=late["booking_id"])
    assert result["cancellation_fee"] == late["total_price"] // nights > 0
    assert result["refund_amount"] == late["total_price"] - result["cancellation_fee"]
    assert "cancelled and cannot be cancelled" in h.error("cancel_booking", booking_id=late["booking_id"])
    assert "no booking" in h.error("cancel_booking", booking_id="BK00000000")
    completed = h.rows("SELECT booking_id FROM bookings WHERE status = 'completed' LIMIT 1")[0]["booking_id"]
    assert "completed and cannot be cancelled" in h.error("cancel_booking", booking_id=completed)
    confirmed = h.rows("SELECT booking_id FROM bookings WHERE status = 'confirmed' LIMIT 1")[0]["booking_id"]
    assert "Only completed stays" in h.error("leave_review", booking_id=confirmed, rating=8, comment="ok")
    reviewed = h.rows("SELECT booking_id FROM reviews LIMIT 1")[0]["booking_id"]
    assert "already been reviewed" in h.error("leave_review", booking_id=reviewed, rating=8, comment="again")
    unreviewed = h.rows(
        "SELECT b.booking_id FROM bookings b LEFT JOIN reviews r ON r.booking_id = b.booking_id "
        "WHERE b.status = 'completed' AND r.booking_id IS NULL LIMIT 1",
    )[0]["booking_id"]
    assert "between 1 and 10" in h.error("leave_review", booking_id=unreviewed, rating=11, comment="wow")


def test_modify_refuses_nothing_to_change_and_other_hotels(h: EpisodeHarness) -> None:
    free = h.rows(
        "SELECT b.* FROM bookings b JOIN hotels h ON h.hotel_id = b.hotel_id WHERE b.status = 'confirmed' "
        "AND date(b.check_in, '-' || h.free_cancellation_days || ' days') > ? ORDER BY b.booking_id LIMIT 1",
        day(0),
    )[0]
    assert "Nothing to change" in h.error("modify_booking", booking_id=free["booking_id"], guests=free["guests"])
    other = h.rows("SELECT room_type_id FROM room_types WHERE hotel_id != ? LIMIT 1", free["hotel_id"])[0]
    assert "another hotel" in h.error(
        "modify_booking", booking_id=free["booking_id"], room_type_id=other["room_type_id"]
    )


def test_seeded_sizes_are_realistic() -> None:
    first = get_snapshot(hotel_booking.env, 0)
    counts = {table: len(first.rows(table)) for table in first.tables}
    assert counts["destinations"] >= 30 and counts["hotels"] >= 100 and counts["room_types"] >= 250
    assert counts["room_nights"] >= 10_000 and counts["customers"] >= 300 and counts["bookings"] >= 500


def booking_task() -> Task:
    h = EpisodeHarness(hotel_booking.env)
    card = card_of(h)
    room = bookable_room(h, 12, 2)
    email = h.rows("SELECT email FROM customers WHERE customer_id = ?", card["customer_id"])[0]["email"]
    h.close()
    calls = [
        GoldCall(env_id="hotel_booking", tool="get_customer_details", arguments={"email": email}),
        GoldCall(
            env_id="hotel_booking",
            tool="book_hotel",
            arguments={
                "customer_id": card["customer_id"],
                "hotel_id": room["hotel_id"],
                "room_type_id": room["room_type_id"],
                "check_in": day(12),
                "check_out": day(14),
                "guests": 1,
                "payment_method_id": card["payment_method_id"],
            },
        ),
    ]
    task = Task(
        task_id="hotel-book-e2e",
        domain="travel",
        env_ids=["hotel_booking"],
        goal="write",
        query=f"I'm {email}; book the room for two nights from {day(12)} with my card ending {card['last_four']}.",
        gold_calls=calls,
    )
    return with_gold_changes(task)


def test_gym_episode_oracle_succeeds_and_noop_fails() -> None:
    task = booking_task()
    assert {(c.table, c.op) for c in task.gold_changes} >= {("bookings", "insert"), ("payments", "insert")}
    assert oracle_and_noop_rewards(task) == (1.0, 0.0)
