"""The airline environment: tau2-bench compatibility, policy rules, bookkeeping, seed and interchange.

Most policy tests run on a small hand-written tau2-shaped database (fixtures/airline_tau2_small.json)
where every case is known; the seeded database is checked for size, determinism and consistency, and
exercised end to end. "Now" is 2024-05-15T15:00:00 in both.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest

from envfactory_gym.database import build_snapshot, get_snapshot
from envfactory_gym.domains.travel import airline
from envfactory_gym.scenario import ScenarioError, load_scenario
from envfactory_gym.testing import EpisodeHarness

SMALL: dict[str, Any] = json.loads((Path(__file__).parent / "fixtures" / "airline_tau2_small.json").read_text())
MARA, TOMAS, PRIYA = "mara_lindqvist_4821", "tomas_okafor_1907", "priya_raman_5530"
MARA_CARD, MARA_AMEX, MARA_GIFT, MARA_CERT = (
    "credit_card_4410021",
    "credit_card_4410022",
    "gift_card_7730014",
    "certificate_5521907",
)
TOMAS_CARD, TOMAS_GIFT = "credit_card_9012345", "gift_card_3345678"
MARA_PAX = {"first_name": "Mara", "last_name": "Lindqvist", "dob": "1979-06-21"}
IVO_PAX = {"first_name": "Ivo", "last_name": "Lindqvist", "dob": "2011-03-09"}
TOMAS_PAX = {"first_name": "Tomas", "last_name": "Okafor", "dob": "1990-01-30"}
PRIYA_PAX = {"first_name": "Priya", "last_name": "Raman", "dob": "1985-11-02"}

TAU2_TOOLS = {
    # name: (kind, parameters) as in tau2-bench's AirlineTools (GENERIC tools are reads here).
    "book_reservation": (
        "write",
        [
            "user_id",
            "origin",
            "destination",
            "flight_type",
            "cabin",
            "flights",
            "passengers",
            "payment_methods",
            "total_baggages",
            "nonfree_baggages",
            "insurance",
        ],
    ),
    "calculate": ("read", ["expression"]),
    "cancel_reservation": ("write", ["reservation_id", "reason"]),
    "get_reservation_details": ("read", ["reservation_id"]),
    "get_user_details": ("read", ["user_id"]),
    "list_all_airports": ("read", []),
    "search_direct_flight": ("read", ["origin", "destination", "date"]),
    "search_onestop_flight": ("read", ["origin", "destination", "date"]),
    "send_certificate": ("write", ["user_id", "amount"]),
    "transfer_to_human_agents": ("write", ["summary"]),
    "update_reservation_baggages": ("write", ["reservation_id", "total_baggages", "nonfree_baggages", "payment_id"]),
    "update_reservation_flights": ("write", ["reservation_id", "cabin", "flights", "payment_id"]),
    "update_reservation_passengers": ("write", ["reservation_id", "passengers"]),
    "get_flight_status": ("read", ["flight_number", "date"]),
}


def small() -> EpisodeHarness:
    return EpisodeHarness(airline.env, scenario=SMALL)


def seeded() -> EpisodeHarness:
    return EpisodeHarness(airline.env)


def seats(h: EpisodeHarness, flight_number: str, date: str, cabin: str) -> int:
    row = h.database.raw.execute(
        f"SELECT seats_{cabin} FROM flight_dates WHERE flight_number = ? AND date = ?", (flight_number, date)
    ).fetchone()
    return int(row[0])


def balance(h: EpisodeHarness, user_id: str, payment_id: str) -> float:
    return float(h.ok("get_user_details", user_id=user_id)["payment_methods"][payment_id]["amount"])


def text(h: EpisodeHarness, name: str, **arguments: Any) -> str:
    """The raw result of a tool that returns a string (the harness would JSON-decode '1200.0')."""
    result = h.call(name, **arguments)
    assert result.ok, result.content
    return result.content


def legs(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"flight_number": number, "date": date} for number, date in pairs]


def booking(**overrides: Any) -> dict[str, Any]:
    """Mara, one way BOS→ORD in economy on HAT101 2024-05-18 ($140), alone, paid by her visa."""
    args: dict[str, Any] = {
        "user_id": MARA,
        "origin": "BOS",
        "destination": "ORD",
        "flight_type": "one_way",
        "cabin": "economy",
        "flights": legs(("HAT101", "2024-05-18")),
        "passengers": [MARA_PAX],
        "payment_methods": [{"payment_id": MARA_CARD, "amount": 140}],
        "total_baggages": 0,
        "nonfree_baggages": 0,
        "insurance": "no",
    }
    args.update(overrides)
    return args


# --------------------------------------------------------------------------------------------------
# Catalog and schema compatibility with tau2-bench
# --------------------------------------------------------------------------------------------------


def test_tools_match_tau2_names_kinds_and_parameters() -> None:
    assert set(airline.env.tools) == set(TAU2_TOOLS)
    for name, (kind, parameters) in TAU2_TOOLS.items():
        spec = airline.env.tools[name]
        assert spec.kind == kind, name
        assert list(spec.parameters["properties"]) == parameters, name
        assert spec.description and all(spec.parameters["properties"][p].get("description") for p in parameters)
    assert airline.env.tools["transfer_to_human_agents"].terminal
    assert not any(spec.terminal for name, spec in airline.env.tools.items() if name != "transfer_to_human_agents")
    # tau2's cancel_reservation takes only the reservation id: the reason must stay optional.
    assert airline.env.tools["cancel_reservation"].parameters["required"] == ["reservation_id"]
    cabin = airline.env.tools["book_reservation"].parameters["properties"]["cabin"]
    assert cabin["enum"] == ["basic_economy", "economy", "business"]


def test_every_tool_has_intents_naming_its_parameters() -> None:
    for name, spec in airline.env.tools.items():
        assert 1 <= len(spec.intents) <= 3, name
        for template in spec.intents:
            assert set(re.findall(r"\{(\w+)\}", template)) <= set(spec.arg_names), (name, template)
        if spec.arg_names:
            assert any("{" in template for template in spec.intents), name


def test_outputs_have_tau2_fields() -> None:
    h = small()
    user = h.ok("get_user_details", user_id=MARA)
    assert list(user) == [
        "user_id",
        "name",
        "address",
        "email",
        "dob",
        "payment_methods",
        "saved_passengers",
        "membership",
        "reservations",
    ]
    assert user["payment_methods"][MARA_CARD] == {
        "source": "credit_card",
        "id": MARA_CARD,
        "brand": "visa",
        "last_four": "4242",
    }
    assert user["payment_methods"][MARA_GIFT] == {"source": "gift_card", "id": MARA_GIFT, "amount": 120.0}
    assert user["reservations"] == ["Z0PK4M", "F3LN8D", "QX7D2L"]
    reservation = h.ok("get_reservation_details", reservation_id="QX7D2L")
    assert reservation == {**SMALL["reservations"]["QX7D2L"], "status": None}
    assert list(reservation["flights"][0]) == ["flight_number", "origin", "destination", "date", "price"]
    found = h.ok("search_direct_flight", origin="BOS", destination="SEA", date="2024-05-16")
    assert list(found[0]) == [
        "flight_number",
        "origin",
        "destination",
        "status",
        "scheduled_departure_time_est",
        "scheduled_arrival_time_est",
        "date",
        "available_seats",
        "prices",
    ]
    output = airline.env.tools["get_reservation_details"].output_schema
    assert {"reservation_id", "user_id", "flights", "payment_history", "status"} <= set(output["properties"])


# --------------------------------------------------------------------------------------------------
# Seed
# --------------------------------------------------------------------------------------------------


def test_seed_size_build_time_and_clock() -> None:
    started = time.perf_counter()
    snapshot = build_snapshot(airline.env, 11)
    assert time.perf_counter() - started < 3.0
    assert len(snapshot.rows("users")) >= 300
    assert len(snapshot.rows("flight_dates")) >= 1000
    assert len(snapshot.rows("reservations")) >= 500
    assert len(snapshot.rows("airports")) >= 20
    assert snapshot.size_bytes < 1_200_000
    assert snapshot.now.isoformat() == "2024-05-15T15:00:00"


def test_seeded_data_is_consistent() -> None:
    raw = seeded().database.raw
    # Flight statuses follow the clock: the past has landed (or was cancelled), the future is on sale.
    past = dict(raw.execute("SELECT status, COUNT(*) FROM flight_dates WHERE date < '2024-05-15' GROUP BY status"))
    future = dict(raw.execute("SELECT status, COUNT(*) FROM flight_dates WHERE date > '2024-05-16' GROUP BY status"))
    assert set(past) == {"landed", "cancelled"} and past["landed"] > 10 * past["cancelled"]
    assert set(future) == {"available", "cancelled"} and future["available"] > 10 * future["cancelled"]
    today = {s for (s,) in raw.execute("SELECT DISTINCT status FROM flight_dates WHERE date = '2024-05-15'")}
    assert {"landed", "on time"} <= today
    # Every payment history matches the price; cancelled reservations are refunded in full.
    rows = raw.execute(
        "SELECT r.reservation_id, r.status, r.insurance, r.nonfree_baggages, r.total_baggages, r.cabin, u.membership, "
        "(SELECT SUM(price) FROM reservation_flights f WHERE f.reservation_id = r.reservation_id), "
        "(SELECT COUNT(*) FROM reservation_passengers p WHERE p.reservation_id = r.reservation_id), "
        "(SELECT SUM(amount) FROM payments p WHERE p.reservation_id = r.reservation_id) "
        "FROM reservations r JOIN users u USING (user_id)"
    ).fetchall()
    kinds = {"cancelled": 0, "insured": 0, "recent": 0}
    for _rid, status, insurance, nonfree, total, cabin, tier, fares, count, paid in rows:
        price = fares * count + 30 * count * (insurance == "yes") + 50 * nonfree
        assert paid == (0 if status == "cancelled" else price)
        assert 1 <= count <= 5
        assert nonfree == max(0, total - airline.models.FREE_BAGS[tier][airline.models.CABINS.index(cabin)] * count)
        kinds["cancelled"] += status == "cancelled"
        kinds["insured"] += insurance == "yes"
    kinds["recent"] = raw.execute(
        "SELECT COUNT(*) FROM reservations WHERE created_at >= '2024-05-14T15:00:00'"
    ).fetchone()[0]
    assert all(n >= 10 for n in kinds.values()), kinds
    types = dict(raw.execute("SELECT flight_type, COUNT(*) FROM reservations GROUP BY flight_type"))
    assert types["one_way"] > 100 and types["round_trip"] > 100


def test_every_tool_runs_on_the_seeded_state() -> None:
    h = seeded()
    raw = h.database.raw
    user_id, card = raw.execute(
        "SELECT user_id, payment_id FROM payment_methods WHERE source = 'credit_card' ORDER BY user_id"
    ).fetchone()
    number, date, origin, destination, fare, upgrade = raw.execute(
        "SELECT d.flight_number, d.date, f.origin, f.destination, d.price_economy, d.price_business "
        "FROM flight_dates d JOIN flights f USING (flight_number) "
        "WHERE d.status = 'available' AND d.seats_economy >= 1 AND d.seats_business >= 1 "
        "ORDER BY d.date, d.flight_number"
    ).fetchone()
    profile = h.ok("get_user_details", user_id=user_id)
    assert profile["payment_methods"][card]["source"] == "credit_card"
    assert any(a["iata"] == origin for a in h.ok("list_all_airports"))
    assert number in [
        f["flight_number"] for f in h.ok("search_direct_flight", origin=origin, destination=destination, date=date)
    ]
    pairs = h.ok("search_onestop_flight", origin=origin, destination="SEA", date=date)
    assert all(first["destination"] == second["origin"] for first, second in pairs)
    assert text(h, "get_flight_status", flight_number=number, date=date) == "available"
    assert text(h, "calculate", expression=f"{fare} + 30") == f"{float(fare + 30)}"
    booked = h.ok(
        "book_reservation",
        user_id=user_id,
        origin=origin,
        destination=destination,
        flight_type="one_way",
        cabin="economy",
        flights=legs((number, date)),
        passengers=[
            {
                "first_name": profile["name"]["first_name"],
                "last_name": profile["name"]["last_name"],
                "dob": profile["dob"],
            }
        ],
        payment_methods=[{"payment_id": card, "amount": fare}],
        total_baggages=0,
        nonfree_baggages=0,
        insurance="no",
    )
    rid = booked["reservation_id"]
    assert h.ok("get_reservation_details", reservation_id=rid) == booked
    h.ok(
        "update_reservation_passengers",
        reservation_id=rid,
        passengers=[{"first_name": "Sam", "last_name": "Doe", "dob": "1990-01-01"}],
    )
    free = airline.models.FREE_BAGS[profile["membership"]][1]
    h.ok(
        "update_reservation_baggages", reservation_id=rid, total_baggages=free + 1, nonfree_baggages=1, payment_id=card
    )
    upgraded = h.ok(
        "update_reservation_flights",
        reservation_id=rid,
        cabin="business",
        flights=legs((number, date)),
        payment_id=card,
    )
    assert upgraded["payment_history"][-1] == {"payment_id": card, "amount": upgrade - fare}
    h.ok("send_certificate", user_id=user_id, amount=100)
    assert h.ok("cancel_reservation", reservation_id=rid)["status"] == "cancelled"
    assert h.call("transfer_to_human_agents", summary="Customer wants a supervisor.").terminal


# --------------------------------------------------------------------------------------------------
# Reads
# --------------------------------------------------------------------------------------------------


def test_lookups_refuse_unknown_ids_and_tolerate_case() -> None:
    h = small()
    assert "User nobody_1 not found" in h.error("get_user_details", user_id="nobody_1")
    assert "Reservation ZZZZZZ not found" in h.error("get_reservation_details", reservation_id="ZZZZZZ")
    assert "Flight HAT999 not found" in h.error("get_flight_status", flight_number="HAT999", date="2024-05-16")
    assert "does not operate" in h.error("get_flight_status", flight_number="HAT101", date="2024-06-01")
    assert "YYYY-MM-DD" in h.error("get_flight_status", flight_number="HAT101", date="May 16")
    assert h.ok("get_reservation_details", reservation_id="qx7d2l")["reservation_id"] == "QX7D2L"
    assert h.ok("get_user_details", user_id="Mara_Lindqvist_4821")["user_id"] == MARA


def test_search_direct_lists_only_bookable_flights() -> None:
    h = small()
    found = h.ok("search_direct_flight", origin="BOS", destination="ORD", date="2024-05-16")
    assert [(f["flight_number"], f["date"], f["status"]) for f in found] == [("HAT101", "2024-05-16", "available")]
    assert found[0]["available_seats"] == {"basic_economy": 5, "economy": 9, "business": 4}
    assert found[0]["prices"] == {"basic_economy": 60, "economy": 140, "business": 410}
    # Cancelled, landed, on time, flying and delayed flights are not for sale.
    assert h.ok("search_direct_flight", origin="BOS", destination="ORD", date="2024-05-14") == []
    assert h.ok("search_direct_flight", origin="ORD", destination="BOS", date="2024-05-15") == []
    assert h.ok("search_direct_flight", origin="SEA", destination="ORD", date="2024-05-15") == []
    assert "Unknown airport" in h.error("search_direct_flight", origin="XXX", destination="ORD", date="2024-05-16")


def test_search_onestop_connects_including_overnight_legs() -> None:
    h = small()
    pairs = h.ok("search_onestop_flight", origin="BOS", destination="SEA", date="2024-05-16")
    assert [[(f["flight_number"], f["date"]) for f in pair] for pair in pairs] == [
        [("HAT101", "2024-05-16"), ("HAT103", "2024-05-16")]
    ]
    # HAT104 arrives at 04:00 the next day: the connection leaves from ORD on the 17th.
    pairs = h.ok("search_onestop_flight", origin="SEA", destination="BOS", date="2024-05-16")
    assert [[(f["flight_number"], f["date"]) for f in pair] for pair in pairs] == [
        [("HAT104", "2024-05-16"), ("HAT102", "2024-05-17")]
    ]
    assert h.ok("search_onestop_flight", origin="BOS", destination="SEA", date="2024-05-15") == []


def test_flight_status_airports_calculate_and_transfer() -> None:
    h = small()
    statuses = {
        d: h.ok("get_flight_status", flight_number="HAT101", date=d) for d in ("2024-05-13", "2024-05-14", "2024-05-16")
    }
    assert statuses == {"2024-05-13": "landed", "2024-05-14": "cancelled", "2024-05-16": "available"}
    assert h.ok("get_flight_status", flight_number="HAT104", date="2024-05-15") == "delayed"
    airports = h.ok("list_all_airports")
    assert {"iata": "LGA", "city": "LaGuardia"} in airports and len(airports) == 20
    assert text(h, "calculate", expression="2 * ((350 - 122) + (499 - 127))") == "1200.0"
    assert text(h, "calculate", expression="10 / 3") == "3.33"
    assert "numbers" in h.error("calculate", expression="__import__('os')")
    assert "divides by zero" in h.error("calculate", expression="1 / (2 - 2)")
    assert "numbers" in h.error("calculate", expression="2 ** 99999")
    result = h.call("transfer_to_human_agents", summary="Wants to change the origin of a trip.")
    assert result.ok and result.terminal and result.content == "Transfer successful"
    handoffs = [c for c in h.database.change_set() if c.table == "handoffs"]
    assert [c.after["summary"] for c in handoffs] == ["Wants to change the origin of a trip."]
    assert "summary" in h.error("transfer_to_human_agents", summary="   ")


# --------------------------------------------------------------------------------------------------
# Booking
# --------------------------------------------------------------------------------------------------


def test_booking_takes_seats_charges_gift_card_and_lists_the_reservation() -> None:
    h = small()
    booked = h.ok(
        "book_reservation",
        **booking(
            flights=legs(("HAT101", "2024-05-17")),
            passengers=[MARA_PAX, IVO_PAX],
            insurance="yes",
            payment_methods=[{"payment_id": MARA_GIFT, "amount": 120}, {"payment_id": MARA_CARD, "amount": 240}],
        ),
    )
    # 2 x $150 fare + 2 x $30 insurance.
    assert booked["payment_history"] == [
        {"payment_id": MARA_GIFT, "amount": 120},
        {"payment_id": MARA_CARD, "amount": 240},
    ]
    assert booked["flights"] == [
        {"flight_number": "HAT101", "origin": "BOS", "destination": "ORD", "date": "2024-05-17", "price": 150}
    ]
    assert booked["created_at"] == "2024-05-15T15:00:00" and booked["status"] is None
    assert re.fullmatch(r"[A-Z0-9]{6}", booked["reservation_id"])
    assert seats(h, "HAT101", "2024-05-17", "economy") == 0
    assert seats(h, "HAT101", "2024-05-17", "business") == 6
    assert balance(h, MARA, MARA_GIFT) == 0.0
    assert h.ok("get_user_details", user_id=MARA)["reservations"][-1] == booked["reservation_id"]
    message = h.error(
        "book_reservation",
        **booking(flights=legs(("HAT101", "2024-05-17")), payment_methods=[{"payment_id": MARA_CARD, "amount": 150}]),
    )
    assert "Not enough seats" in message


def test_booking_uses_up_a_certificate() -> None:
    h = small()
    h.ok(
        "book_reservation",
        **booking(
            user_id=PRIYA,
            origin="SEA",
            destination="ORD",
            cabin="basic_economy",
            passengers=[PRIYA_PAX],
            flights=legs(("HAT104", "2024-05-16")),
            payment_methods=[{"payment_id": "certificate_1190233", "amount": 80}],
        ),
    )
    # The certificate was worth $100: the $20 left is forfeited with it.
    assert "certificate_1190233" not in h.ok("get_user_details", user_id=PRIYA)["payment_methods"]


def test_booking_refuses_flights_not_on_sale() -> None:
    h = small()
    pay = [{"payment_id": MARA_CARD, "amount": 140}]
    assert "is cancelled and cannot be booked" in h.error(
        "book_reservation", **booking(flights=legs(("HAT101", "2024-05-14")), payment_methods=pay)
    )
    assert "is landed" in h.error("book_reservation", **booking(flights=legs(("HAT101", "2024-05-15"))))
    assert "is on time" in h.error(
        "book_reservation", **booking(origin="ORD", destination="BOS", flights=legs(("HAT102", "2024-05-15")))
    )
    assert "does not operate" in h.error("book_reservation", **booking(flights=legs(("HAT101", "2024-05-25"))))
    h.ok("book_reservation", **booking())


def test_booking_payment_rules() -> None:
    h = small()
    two_certificates = [
        {"payment_id": "certificate_1190233", "amount": 50},
        {"payment_id": "certificate_1190234", "amount": 30},
    ]
    priya = {
        "user_id": PRIYA,
        "origin": "SEA",
        "destination": "ORD",
        "cabin": "basic_economy",
        "passengers": [PRIYA_PAX],
        "flights": legs(("HAT104", "2024-05-16")),
    }
    assert "at most 1 travel certificate" in h.error(
        "book_reservation", **booking(**priya, payment_methods=two_certificates)
    )
    assert "at most 1 credit card" in h.error(
        "book_reservation",
        **booking(payment_methods=[{"payment_id": MARA_CARD, "amount": 100}, {"payment_id": MARA_AMEX, "amount": 40}]),
    )
    assert "Not enough balance on gift_card_6600418" in h.error(
        "book_reservation", **booking(**priya, payment_methods=[{"payment_id": "gift_card_6600418", "amount": 81}])
    )
    assert "add up to $139, but the total price is $140" in h.error(
        "book_reservation", **booking(payment_methods=[{"payment_id": MARA_CARD, "amount": 139}])
    )
    assert "not in the profile" in h.error(
        "book_reservation", **booking(payment_methods=[{"payment_id": TOMAS_CARD, "amount": 140}])
    )
    four_gift_cards = [{"payment_id": f"gift_card_66004{n}", "amount": 20} for n in (17, 18, 19, 20)]
    assert "at most 3 gift cards" in h.error("book_reservation", **booking(**priya, payment_methods=four_gift_cards))
    # Three gift cards are allowed; the balances are deducted.
    h.ok(
        "book_reservation",
        **booking(
            **priya,
            payment_methods=[
                {"payment_id": "gift_card_6600417", "amount": 40},
                {"payment_id": "gift_card_6600418", "amount": 30},
                {"payment_id": "gift_card_6600419", "amount": 10},
            ],
        ),
    )
    assert [balance(h, PRIYA, f"gift_card_66004{n}") for n in (17, 18, 19)] == [160.0, 50.0, 15.0]


def test_booking_passenger_limit() -> None:
    h = small()
    six = [{"first_name": f"Guest{i}", "last_name": "Lindqvist", "dob": "1990-01-01"} for i in range(6)]
    assert "between 1 and 5 passengers" in h.error(
        "book_reservation", **booking(passengers=six, payment_methods=[{"payment_id": MARA_CARD, "amount": 840}])
    )
    assert "between 1 and 5 passengers" in h.error("book_reservation", **booking(passengers=[]))
    booked = h.ok(
        "book_reservation", **booking(passengers=six[:5], payment_methods=[{"payment_id": MARA_CARD, "amount": 700}])
    )
    assert len(booked["passengers"]) == 5
    assert seats(h, "HAT101", "2024-05-18", "economy") == 5


def test_booking_bag_allowance_and_insurance_price() -> None:
    h = small()
    # Gold in economy: 3 free bags per passenger, 6 for two; the 7th costs $50.
    two = {"passengers": [MARA_PAX, IVO_PAX], "total_baggages": 7}
    assert "nonfree_baggages must be 1, not 0" in h.error(
        "book_reservation",
        **booking(**two, nonfree_baggages=0, payment_methods=[{"payment_id": MARA_CARD, "amount": 280}]),
    )
    booked = h.ok(
        "book_reservation",
        **booking(
            **two, nonfree_baggages=1, insurance="yes", payment_methods=[{"payment_id": MARA_CARD, "amount": 390}]
        ),
    )
    assert (booked["total_baggages"], booked["nonfree_baggages"], booked["insurance"]) == (7, 1, "yes")
    # Regular in basic economy: no free bag.
    tomas = booking(user_id=TOMAS, cabin="basic_economy", passengers=[TOMAS_PAX], total_baggages=1)
    assert "must be 1, not 0" in h.error(
        "book_reservation", **{**tomas, "payment_methods": [{"payment_id": TOMAS_CARD, "amount": 65}]}
    )
    h.ok(
        "book_reservation",
        **{**tomas, "nonfree_baggages": 1, "payment_methods": [{"payment_id": TOMAS_CARD, "amount": 115}]},
    )


def test_booking_itinerary_must_match_the_trip() -> None:
    h = small()
    assert "must end at SEA" in h.error("book_reservation", **booking(destination="SEA"))
    assert "must reach ORD and then return to BOS" in h.error("book_reservation", **booking(flight_type="round_trip"))
    assert "the trip starts at BOS" in h.error(
        "book_reservation",
        **booking(flights=legs(("HAT102", "2024-05-16"), ("HAT101", "2024-05-17")), flight_type="round_trip"),
    )
    assert "order they are flown" in h.error(
        "book_reservation",
        **booking(destination="SEA", flights=legs(("HAT101", "2024-05-17"), ("HAT103", "2024-05-16"))),
    )
    booked = h.ok(
        "book_reservation",
        **booking(
            flight_type="round_trip",
            flights=legs(("HAT101", "2024-05-18"), ("HAT102", "2024-05-18")),
            payment_methods=[{"payment_id": MARA_CARD, "amount": 285}],
        ),
    )
    assert booked["flight_type"] == "round_trip"


# --------------------------------------------------------------------------------------------------
# Cancellation
# --------------------------------------------------------------------------------------------------


def test_cancel_within_24_hours_refunds_original_methods_and_frees_seats() -> None:
    h = small()
    before = (seats(h, "HAT101", "2024-05-16", "basic_economy"), seats(h, "HAT103", "2024-05-16", "basic_economy"))
    cancelled = h.ok("cancel_reservation", reservation_id="R8MN3C", reason="change_of_plan")
    assert cancelled["status"] == "cancelled"
    assert cancelled["payment_history"] == [
        {"payment_id": TOMAS_CARD, "amount": 145},
        {"payment_id": TOMAS_CARD, "amount": -145},
    ]
    after = (seats(h, "HAT101", "2024-05-16", "basic_economy"), seats(h, "HAT103", "2024-05-16", "basic_economy"))
    assert after == (before[0] + 1, before[1] + 1)
    assert "already cancelled" in h.error("cancel_reservation", reservation_id="R8MN3C")


def test_cancel_refused_for_old_economy_booking_without_insurance() -> None:
    h = small()
    for reason in (None, "change_of_plan", "health"):
        args = {"reservation_id": "QX7D2L"} | ({"reason": reason} if reason else {})
        assert "has no travel insurance" in h.error("cancel_reservation", **args)


def test_cancel_business_is_allowed() -> None:
    h = small()
    cancelled = h.ok("cancel_reservation", reservation_id="P2HZ6W", reason="change_of_plan")
    assert cancelled["payment_history"][2:] == [
        {"payment_id": "certificate_7781001", "amount": -250},
        {"payment_id": "gift_card_6600417", "amount": -440},
    ]
    assert seats(h, "HAT104", "2024-05-17", "business") == 3


def test_cancel_with_insurance_needs_a_covered_reason() -> None:
    h = small()
    assert "does not cover 'change_of_plan'" in h.error(
        "cancel_reservation", reservation_id="J6YQ1R", reason="change_of_plan"
    )
    assert "does not cover 'other'" in h.error("cancel_reservation", reservation_id="J6YQ1R", reason="other")
    assert h.ok("cancel_reservation", reservation_id="J6YQ1R", reason="health")["status"] == "cancelled"
    # As in tau2, no reason given means the agent checked it.
    assert small().ok("cancel_reservation", reservation_id="J6YQ1R")["status"] == "cancelled"


def test_cancel_for_airline_cancelled_flight_requires_one() -> None:
    h = small()
    assert "None of the flights of reservation QX7D2L has been cancelled" in h.error(
        "cancel_reservation", reservation_id="QX7D2L", reason="airline_cancelled"
    )
    assert "None of the flights" in h.error("cancel_reservation", reservation_id="R8MN3C", reason="airline_cancelled")
    cancelled = h.ok("cancel_reservation", reservation_id="Z0PK4M", reason="airline_cancelled")
    assert cancelled["payment_history"][2:] == [
        {"payment_id": "certificate_3301776", "amount": -100},
        {"payment_id": MARA_CARD, "amount": -60},
    ]


def test_cancel_refused_once_a_segment_has_flown() -> None:
    h = small()
    # Business would be cancellable, but its only flight has landed.
    assert "already been flown" in h.error("cancel_reservation", reservation_id="LW2V9E")
    assert "HAT101 on 2024-05-15" in h.error("cancel_reservation", reservation_id="F3LN8D")


# --------------------------------------------------------------------------------------------------
# Changing flights and cabin
# --------------------------------------------------------------------------------------------------


def test_change_flight_refunds_fare_difference_to_gift_card_and_moves_seats() -> None:
    h = small()
    changed = h.ok(
        "update_reservation_flights",
        reservation_id="QX7D2L",
        cabin="economy",
        flights=legs(("HAT105", "2024-05-17"), ("HAT106", "2024-05-17")),
        payment_id=MARA_GIFT,
    )
    # New outbound $150 (was $180); the kept return keeps its $175: 2 x -$30.
    assert [f["price"] for f in changed["flights"]] == [150, 175]
    assert changed["payment_history"][-1] == {"payment_id": MARA_GIFT, "amount": -60}
    assert balance(h, MARA, MARA_GIFT) == 180.0
    assert seats(h, "HAT105", "2024-05-16", "economy") == 6
    assert seats(h, "HAT105", "2024-05-17", "economy") == 3
    assert seats(h, "HAT106", "2024-05-17", "economy") == 4


def test_change_to_connection_charges_the_difference() -> None:
    h = small()
    changed = h.ok(
        "update_reservation_flights",
        reservation_id="QX7D2L",
        cabin="economy",
        payment_id=MARA_CARD,
        flights=legs(("HAT101", "2024-05-16"), ("HAT103", "2024-05-16"), ("HAT106", "2024-05-17")),
    )
    assert changed["payment_history"][-1] == {"payment_id": MARA_CARD, "amount": 250}
    assert seats(h, "HAT101", "2024-05-16", "economy") == 7 and seats(h, "HAT103", "2024-05-16", "economy") == 5
    assert len(h.ok("get_reservation_details", reservation_id="QX7D2L")["flights"]) == 3


def test_change_cannot_alter_origin_destination_or_trip_type() -> None:
    h = small()
    change = {"reservation_id": "QX7D2L", "cabin": "economy", "payment_id": MARA_CARD}
    assert "cannot change: a round trip from BOS to SEA must reach SEA" in h.error(
        "update_reservation_flights", **change, flights=legs(("HAT101", "2024-05-16"), ("HAT102", "2024-05-17"))
    )
    assert "cannot change: the trip starts at BOS" in h.error(
        "update_reservation_flights", **change, flights=legs(("HAT103", "2024-05-16"), ("HAT106", "2024-05-17"))
    )
    assert "cannot change: a round trip" in h.error(
        "update_reservation_flights", **change, flights=legs(("HAT105", "2024-05-16"))
    )


def test_basic_economy_flights_are_fixed_but_cabin_can_change() -> None:
    h = small()
    assert "basic economy: its flights cannot be changed" in h.error(
        "update_reservation_flights",
        reservation_id="R8MN3C",
        cabin="basic_economy",
        flights=legs(("HAT105", "2024-05-16")),
        payment_id=TOMAS_CARD,
    )
    upgraded = h.ok(
        "update_reservation_flights",
        reservation_id="R8MN3C",
        cabin="economy",
        flights=legs(("HAT101", "2024-05-16"), ("HAT103", "2024-05-16")),
        payment_id=TOMAS_CARD,
    )
    # Economy fares today: $140 + $165, against $145 paid.
    assert upgraded["cabin"] == "economy" and upgraded["payment_history"][-1]["amount"] == 160
    assert [f["price"] for f in upgraded["flights"]] == [140, 165]
    assert seats(h, "HAT101", "2024-05-16", "basic_economy") == 6 and seats(h, "HAT101", "2024-05-16", "economy") == 8


def test_change_payment_rules() -> None:
    h = small()
    business = {
        "reservation_id": "QX7D2L",
        "cabin": "business",
        "flights": legs(("HAT105", "2024-05-16"), ("HAT106", "2024-05-17")),
    }
    assert "certificate cannot be used" in h.error("update_reservation_flights", **business, payment_id=MARA_CERT)
    assert "has $120 left, not enough for $2,010" in h.error(
        "update_reservation_flights", **business, payment_id=MARA_GIFT
    )
    assert "not in the profile" in h.error("update_reservation_flights", **business, payment_id=TOMAS_CARD)
    upgraded = h.ok("update_reservation_flights", **business, payment_id=MARA_AMEX)
    assert upgraded["payment_history"][-1] == {"payment_id": MARA_AMEX, "amount": 2010}
    assert seats(h, "HAT105", "2024-05-16", "business") == 1 and seats(h, "HAT105", "2024-05-16", "economy") == 6
    assert "already has exactly these flights" in h.error(
        "update_reservation_flights", **business, payment_id=MARA_AMEX
    )


def test_flown_segments_stay_and_block_cabin_changes() -> None:
    h = small()
    flown = ("HAT101", "2024-05-15")
    assert "cannot be changed because flight HAT101 on 2024-05-15 has already been flown" in h.error(
        "update_reservation_flights",
        reservation_id="F3LN8D",
        cabin="business",
        flights=legs(flown, ("HAT102", "2024-05-17")),
        payment_id=MARA_CARD,
    )
    assert "has already been flown and must stay" in h.error(
        "update_reservation_flights",
        reservation_id="F3LN8D",
        cabin="economy",
        flights=legs(("HAT101", "2024-05-16"), ("HAT102", "2024-05-17")),
        payment_id=MARA_CARD,
    )
    changed = h.ok(
        "update_reservation_flights",
        reservation_id="F3LN8D",
        cabin="economy",
        flights=legs(flown, ("HAT102", "2024-05-18")),
        payment_id=MARA_CARD,
    )
    assert changed["payment_history"][-1] == {"payment_id": MARA_CARD, "amount": -10}
    assert "is cancelled and can no longer be changed" in h.error(
        "update_reservation_flights",
        reservation_id="KC4T8N",
        cabin="business",
        flights=legs(("HAT101", "2024-05-18")),
        payment_id=TOMAS_CARD,
    )


# --------------------------------------------------------------------------------------------------
# Bags, passengers, certificates
# --------------------------------------------------------------------------------------------------


def test_bags_within_allowance_are_free_and_extra_bags_cost_50() -> None:
    h = small()
    free = h.ok(
        "update_reservation_baggages",
        reservation_id="QX7D2L",
        total_baggages=4,
        nonfree_baggages=0,
        payment_id=MARA_CARD,
    )
    assert free["total_baggages"] == 4 and len(free["payment_history"]) == 1
    assert "must be 2, not 1" in h.error(
        "update_reservation_baggages",
        reservation_id="QX7D2L",
        total_baggages=8,
        nonfree_baggages=1,
        payment_id=MARA_CARD,
    )
    paid = h.ok(
        "update_reservation_baggages",
        reservation_id="QX7D2L",
        total_baggages=8,
        nonfree_baggages=2,
        payment_id=MARA_CARD,
    )
    assert paid["payment_history"][-1] == {"payment_id": MARA_CARD, "amount": 100}


def test_bags_can_only_be_added() -> None:
    h = small()
    assert "can only be added" in h.error(
        "update_reservation_baggages",
        reservation_id="QX7D2L",
        total_baggages=1,
        nonfree_baggages=0,
        payment_id=MARA_CARD,
    )
    assert "already has 2 checked bag(s)" in h.error(
        "update_reservation_baggages",
        reservation_id="QX7D2L",
        total_baggages=2,
        nonfree_baggages=0,
        payment_id=MARA_CARD,
    )


def test_bag_payment_rules_for_a_regular_member() -> None:
    h = small()
    # Regular in economy: one free bag; the second costs $50, more than the $35.50 gift card holds.
    args = {"reservation_id": "J6YQ1R", "total_baggages": 2, "nonfree_baggages": 1}
    assert "has $35.50 left, not enough for $50" in h.error(
        "update_reservation_baggages", **args, payment_id=TOMAS_GIFT
    )
    assert "not in the profile" in h.error("update_reservation_baggages", **args, payment_id=MARA_CARD)
    assert "certificate cannot be used" in h.error(
        "update_reservation_baggages",
        reservation_id="QX7D2L",
        total_baggages=3,
        nonfree_baggages=0,
        payment_id=MARA_CERT,
    )
    assert h.ok("update_reservation_baggages", **args, payment_id=TOMAS_CARD)["payment_history"][-1] == {
        "payment_id": TOMAS_CARD,
        "amount": 50,
    }
    assert "cancelled" in h.error(
        "update_reservation_baggages",
        reservation_id="KC4T8N",
        total_baggages=1,
        nonfree_baggages=1,
        payment_id=TOMAS_CARD,
    )


def test_passenger_details_change_but_not_their_number() -> None:
    h = small()
    assert "has 2 passenger(s)" in h.error(
        "update_reservation_passengers", reservation_id="QX7D2L", passengers=[MARA_PAX]
    )
    assert "has 2 passenger(s)" in h.error(
        "update_reservation_passengers", reservation_id="QX7D2L", passengers=[MARA_PAX, IVO_PAX, TOMAS_PAX]
    )
    assert "already lists exactly these" in h.error(
        "update_reservation_passengers", reservation_id="QX7D2L", passengers=[MARA_PAX, IVO_PAX]
    )
    assert "in the future" in h.error(
        "update_reservation_passengers",
        reservation_id="QX7D2L",
        passengers=[MARA_PAX, {**IVO_PAX, "dob": "2030-01-01"}],
    )
    renamed = {**IVO_PAX, "last_name": "Lindqvist-Berg"}
    updated = h.ok("update_reservation_passengers", reservation_id="QX7D2L", passengers=[MARA_PAX, renamed])
    assert updated["passengers"] == [MARA_PAX, renamed]
    changes = h.database.change_set()
    assert [(c.table, c.op, c.changed_columns) for c in changes] == [
        ("reservation_passengers", "update", {"last_name": "Lindqvist-Berg"})
    ]


def test_send_certificate_adds_a_payment_method() -> None:
    h = small()
    message = text(h, "send_certificate", user_id=PRIYA, amount=150)
    payment_id = re.search(r"certificate_\d{7}", message).group(0)  # type: ignore[union-attr]
    methods = h.ok("get_user_details", user_id=PRIYA)["payment_methods"]
    assert methods[payment_id] == {"source": "certificate", "id": payment_id, "amount": 150.0}
    assert list(methods)[-1] == payment_id
    assert "positive" in h.error("send_certificate", user_id=PRIYA, amount=0)
    assert "not found" in h.error("send_certificate", user_id="ghost_0000", amount=50)


# --------------------------------------------------------------------------------------------------
# tau2 interchange
# --------------------------------------------------------------------------------------------------


def test_tau2_fixture_round_trips() -> None:
    h = small()
    assert airline.env.scenario_io.dump(h.database.session) == SMALL


def test_seeded_state_round_trips_through_tau2_format() -> None:
    h = seeded()
    dumped = airline.env.scenario_io.dump(h.database.session)
    assert len(dumped["users"]) >= 300 and len(dumped["reservations"]) >= 500
    loaded = EpisodeHarness(airline.env, scenario=dumped)
    for table, info in get_snapshot(airline.env).tables.items():
        if table != "airports":  # tau2's format has no airport table (checked by code below)
            by_key = lambda db: sorted(db.rows(table), key=lambda r: [r[c] for c in info.primary_key])  # noqa: E731,B023
            assert by_key(loaded.database) == by_key(h.database), table
    codes = lambda db: [r["iata"] for r in db.rows("airports")]  # noqa: E731
    assert codes(loaded.database) == codes(h.database)
    assert airline.env.scenario_io.dump(loaded.database.session) == dumped


def test_tau2_action_sequence_runs_with_tau2_arguments() -> None:
    # The shape of tau2 task actions: upgrade a basic economy trip to business, then cancel it (business
    # may always be cancelled), book a replacement and issue a goodwill certificate.
    h = small()
    h.ok("get_user_details", user_id=TOMAS)
    h.ok("get_reservation_details", reservation_id="R8MN3C")
    h.ok(
        "update_reservation_flights",
        reservation_id="R8MN3C",
        cabin="business",
        flights=[{"flight_number": "HAT101", "date": "2024-05-16"}, {"flight_number": "HAT103", "date": "2024-05-16"}],
        payment_id=TOMAS_CARD,
    )
    h.ok("cancel_reservation", reservation_id="R8MN3C")
    h.ok("search_direct_flight", origin="BOS", destination="SEA", date="2024-05-17")
    booked = h.ok(
        "book_reservation",
        user_id=TOMAS,
        origin="BOS",
        destination="SEA",
        flight_type="one_way",
        cabin="economy",
        flights=[{"flight_number": "HAT105", "date": "2024-05-17"}],
        passengers=[TOMAS_PAX],
        payment_methods=[{"payment_id": TOMAS_CARD, "amount": 150}],
        total_baggages=1,
        nonfree_baggages=0,
        insurance="no",
    )
    h.ok("send_certificate", user_id=TOMAS, amount=50)
    state = airline.env.scenario_io.dump(h.database.session)
    assert state["reservations"]["R8MN3C"]["status"] == "cancelled"
    assert state["reservations"]["R8MN3C"]["cabin"] == "business"
    assert sum(p["amount"] for p in state["reservations"]["R8MN3C"]["payment_history"]) == 0
    assert state["users"][TOMAS]["reservations"][-1] == booked["reservation_id"]
    assert state["flights"]["HAT105"]["dates"]["2024-05-17"]["available_seats"]["economy"] == 4


def test_malformed_tau2_data_is_refused() -> None:
    bad_status = json.loads(json.dumps(SMALL))
    bad_status["flights"]["HAT101"]["dates"]["2024-05-16"]["status"] = "boarding"
    missing_user = json.loads(json.dumps(SMALL))
    del missing_user["users"][PRIYA]
    for data in (bad_status, missing_user, {"flights": {}, "users": []}):
        h = EpisodeHarness(airline.env)
        with pytest.raises(ScenarioError):
            load_scenario(airline.env, h.database.session, data)
