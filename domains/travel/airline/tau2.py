"""tau2-bench's airline ``db.json`` in and out of the airline environment's tables.

tau2 keeps its airline state as one JSON document::

    {"flights": {number: {..., "dates": {date: {"status": ..., ...}}}},
     "users": {user_id: {..., "payment_methods": {id: {...}}, "reservations": [ids]}},
     "reservations": {reservation_id: {..., "flights": [...], "payment_history": [...]}}}

:func:`load_db` spreads such a document over the relational tables, :func:`dump_db` rebuilds it, with the
fields, nesting and order of tau2's pydantic models, so ``dump_db(load_db(x)) == x`` for tau2 data. The
document has no airport table; airports are those the flights use, with tau2's city names.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from envfactory_gym.rows import bulk_insert, connection_of

from .models import (
    AIRPORTS,
    CABINS,
    FREE_BAGS,
    NOW,
    Airport,
    Flight,
    FlightDate,
    MembershipTier,
    Payment,
    PaymentMethod,
    Reservation,
    ReservationFlight,
    ReservationPassenger,
    SavedPassenger,
    ServiceClock,
    User,
    _flight_date_row,
)

# The airports tau2's list_all_airports reports, with its city names.
TAU2_AIRPORTS: dict[str, str] = {
    "SFO": "San Francisco",
    "JFK": "New York",
    "LAX": "Los Angeles",
    "ORD": "Chicago",
    "DFW": "Dallas",
    "DEN": "Denver",
    "SEA": "Seattle",
    "ATL": "Atlanta",
    "MIA": "Miami",
    "BOS": "Boston",
    "PHX": "Phoenix",
    "IAH": "Houston",
    "LAS": "Las Vegas",
    "MCO": "Orlando",
    "EWR": "Newark",
    "CLT": "Charlotte",
    "MSP": "Minneapolis",
    "DTW": "Detroit",
    "PHL": "Philadelphia",
    "LGA": "LaGuardia",
}
# Fields each flight status carries besides 'status' (tau2's FlightDateStatus variants), in model order.
STATUS_FIELDS: dict[str, tuple[str, ...]] = {
    "available": ("available_seats", "prices"),
    "landed": ("actual_departure_time_est", "actual_arrival_time_est"),
    "cancelled": (),
    "delayed": ("estimated_departure_time_est", "estimated_arrival_time_est"),
    "flying": ("actual_departure_time_est", "estimated_arrival_time_est"),
    "on time": ("estimated_departure_time_est", "estimated_arrival_time_est"),
}
_PAYMENT_SOURCES = ("credit_card", "gift_card", "certificate")


def _mapping(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{what} must be a JSON object.")
    return value


def _flight_date(number: str, date: str, data: dict[str, Any]) -> dict[str, Any]:
    status = data.get("status")
    if status not in STATUS_FIELDS:
        raise ValueError(f"Flight {number} on {date} has unknown status {status!r}.")
    row: dict[str, Any] = {"flight_number": number, "date": date, "status": status}
    if status == "available":
        for cabin in CABINS:
            row[f"seats_{cabin}"] = int(data["available_seats"][cabin])
            row[f"price_{cabin}"] = int(data["prices"][cabin])
    else:
        for name in STATUS_FIELDS[status]:
            row[name] = str(data[name])
    return _flight_date_row(row)


def load_db(conn: sqlite3.Connection, data: dict[str, Any]) -> None:
    """Fill the empty airline tables from a tau2 airline ``db.json`` document."""
    data = _mapping(data, "A tau2 airline database")
    flights_in = _mapping(data.get("flights"), "'flights'")
    users_in = _mapping(data.get("users"), "'users'")
    reservations_in = _mapping(data.get("reservations"), "'reservations'")

    flights: list[dict[str, Any]] = []
    instances: list[dict[str, Any]] = []
    codes: list[str] = []
    for number, flight in flights_in.items():
        flight = _mapping(flight, f"Flight {number}")
        flights.append(
            {
                "flight_number": number,
                "origin": flight["origin"],
                "destination": flight["destination"],
                "scheduled_departure_time_est": flight["scheduled_departure_time_est"],
                "scheduled_arrival_time_est": flight["scheduled_arrival_time_est"],
            }
        )
        codes += [flight["origin"], flight["destination"]]
        for date, status in _mapping(flight.get("dates", {}), f"Dates of flight {number}").items():
            instances.append(_flight_date(number, date, _mapping(status, f"Flight {number} on {date}")))
    known_cities = {code: city for code, city, *_ in AIRPORTS}
    airports = [
        {"iata": code, "city": TAU2_AIRPORTS.get(code) or known_cities.get(code, code)}
        for code in sorted({*TAU2_AIRPORTS, *codes})
    ]

    users: list[dict[str, Any]] = []
    methods: list[dict[str, Any]] = []
    saved: list[dict[str, Any]] = []
    listed: dict[str, tuple[str, int]] = {}  # reservation id -> (listing user, position in the list)
    for user_id, user in users_in.items():
        user = _mapping(user, f"User {user_id}")
        name, address = _mapping(user["name"], "name"), _mapping(user["address"], "address")
        if user["membership"] not in FREE_BAGS:
            raise ValueError(f"User {user_id} has unknown membership {user['membership']!r}.")
        users.append(
            {
                "user_id": user_id,
                "first_name": name["first_name"],
                "last_name": name["last_name"],
                "email": user["email"],
                "dob": user["dob"],
                "address1": address["address1"],
                "address2": address.get("address2"),
                "city": address["city"],
                "state": address["state"],
                "country": address["country"],
                "zip": address["zip"],
                "membership": user["membership"],
            }
        )
        for position, (payment_id, method) in enumerate(_mapping(user["payment_methods"], "payment_methods").items()):
            source = method["source"]
            if source not in _PAYMENT_SOURCES:
                raise ValueError(f"Payment method {payment_id} has unknown source {source!r}.")
            credit = source == "credit_card"
            methods.append(
                {
                    "user_id": user_id,
                    "payment_id": payment_id,
                    "position": position,
                    "source": source,
                    "brand": method["brand"] if credit else None,
                    "last_four": method["last_four"] if credit else None,
                    "balance_cents": None if credit else round(float(method["amount"]) * 100),
                }
            )
        for position, person in enumerate(user.get("saved_passengers", [])):
            saved.append(
                {
                    "user_id": user_id,
                    "position": position,
                    "first_name": person["first_name"],
                    "last_name": person["last_name"],
                    "dob": person["dob"],
                }
            )
        for position, reservation_id in enumerate(user.get("reservations", [])):
            listed[reservation_id] = (user_id, position)

    reservations: list[dict[str, Any]] = []
    segments: list[dict[str, Any]] = []
    passengers: list[dict[str, Any]] = []
    payments: list[dict[str, Any]] = []
    for reservation_id, reservation in reservations_in.items():
        reservation = _mapping(reservation, f"Reservation {reservation_id}")
        owner = reservation["user_id"]
        if owner not in users_in:
            raise ValueError(f"Reservation {reservation_id} belongs to unknown user {owner}.")
        lister, position = listed.pop(reservation_id, (owner, None))
        if lister != owner:
            raise ValueError(f"User {lister} lists reservation {reservation_id}, which belongs to {owner}.")
        reservations.append(
            {
                "reservation_id": reservation_id,
                "user_id": owner,
                "user_position": position,
                "origin": reservation["origin"],
                "destination": reservation["destination"],
                "flight_type": reservation["flight_type"],
                "cabin": reservation["cabin"],
                "created_at": reservation["created_at"],
                "total_baggages": int(reservation["total_baggages"]),
                "nonfree_baggages": int(reservation["nonfree_baggages"]),
                "insurance": reservation["insurance"],
                "status": reservation.get("status"),
            }
        )
        for index, segment in enumerate(reservation["flights"]):
            if segment["flight_number"] not in flights_in:
                raise ValueError(f"Reservation {reservation_id} uses unknown flight {segment['flight_number']}.")
            segments.append(
                {
                    "reservation_id": reservation_id,
                    "position": index,
                    "flight_number": segment["flight_number"],
                    "date": segment["date"],
                    "price": int(segment["price"]),
                }
            )
        for index, person in enumerate(reservation["passengers"]):
            passengers.append(
                {
                    "reservation_id": reservation_id,
                    "position": index,
                    "first_name": person["first_name"],
                    "last_name": person["last_name"],
                    "dob": person["dob"],
                }
            )
        for index, payment in enumerate(reservation["payment_history"]):
            payments.append(
                {
                    "reservation_id": reservation_id,
                    "position": index,
                    "payment_id": payment["payment_id"],
                    "amount": int(payment["amount"]),
                }
            )
    if listed:
        missing = next(iter(listed))
        raise ValueError(f"User {listed[missing][0]} lists reservation {missing}, which does not exist.")

    tiers = [
        {"tier": tier, **{f"free_bags_{c}": n for c, n in zip(CABINS, bags, strict=True)}}
        for tier, bags in FREE_BAGS.items()
    ]
    for model, rows in (
        (ServiceClock, [{"id": 1, "now": NOW}]),
        (MembershipTier, tiers),
        (Airport, airports),
        (User, users),
        (PaymentMethod, methods),
        (SavedPassenger, saved),
        (Flight, flights),
        (FlightDate, instances),
        (Reservation, reservations),
        (ReservationFlight, segments),
        (ReservationPassenger, passengers),
        (Payment, payments),
    ):
        bulk_insert(conn, model, rows)


def _rows(conn: sqlite3.Connection, sql: str) -> list[dict[str, Any]]:
    cursor = conn.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def _group(rows: list[dict[str, Any]], key: str) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row.pop(key), []).append(row)
    return grouped


def _status(row: dict[str, Any]) -> dict[str, Any]:
    status = row["status"]
    if status == "available":
        return {
            "status": status,
            "available_seats": {c: row[f"seats_{c}"] for c in CABINS},
            "prices": {c: row[f"price_{c}"] for c in CABINS},
        }
    return {"status": status, **{name: row[name] for name in STATUS_FIELDS[status]}}


def dump_db(source: Any) -> dict[str, Any]:
    """The airline state as a tau2 airline ``db.json`` document (``source``: connection, session or database)."""
    conn = connection_of(source)
    dates = _group(_rows(conn, "SELECT * FROM flight_dates ORDER BY flight_number, date"), "flight_number")
    flights: dict[str, Any] = {}
    for flight in _rows(
        conn,
        "SELECT flight_number, origin, destination, scheduled_departure_time_est, scheduled_arrival_time_est "
        "FROM flights ORDER BY flight_number",
    ):
        number = flight["flight_number"]
        flights[number] = {**flight, "dates": {d["date"]: _status(d) for d in dates.get(number, ())}}

    methods = _group(_rows(conn, "SELECT * FROM payment_methods ORDER BY user_id, position"), "user_id")
    saved = _group(
        _rows(conn, "SELECT user_id, first_name, last_name, dob FROM saved_passengers ORDER BY user_id, position"),
        "user_id",
    )
    owned = _group(
        _rows(
            conn,
            "SELECT user_id, reservation_id FROM reservations WHERE user_position IS NOT NULL "
            "ORDER BY user_id, user_position",
        ),
        "user_id",
    )
    users: dict[str, Any] = {}
    for user in _rows(conn, "SELECT * FROM users ORDER BY rowid"):
        uid = user["user_id"]
        wallet: dict[str, Any] = {}
        for method in methods.get(uid, []):
            entry: dict[str, Any] = {"source": method["source"], "id": method["payment_id"]}
            if method["source"] == "credit_card":
                entry.update(brand=method["brand"], last_four=method["last_four"])
            else:
                entry["amount"] = method["balance_cents"] / 100
            wallet[method["payment_id"]] = entry
        users[uid] = {
            "user_id": uid,
            "name": {"first_name": user["first_name"], "last_name": user["last_name"]},
            "address": {k: user[k] for k in ("address1", "address2", "city", "country", "state", "zip")},
            "email": user["email"],
            "dob": user["dob"],
            "payment_methods": wallet,
            "saved_passengers": saved.get(uid, []),
            "membership": user["membership"],
            "reservations": [r["reservation_id"] for r in owned.get(uid, [])],
        }

    segments = _group(
        _rows(
            conn,
            "SELECT rf.reservation_id, rf.flight_number, f.origin, f.destination, rf.date, rf.price "
            "FROM reservation_flights rf LEFT JOIN flights f ON f.flight_number = rf.flight_number "
            "ORDER BY rf.reservation_id, rf.position",
        ),
        "reservation_id",
    )
    people = _group(
        _rows(
            conn,
            "SELECT reservation_id, first_name, last_name, dob FROM reservation_passengers "
            "ORDER BY reservation_id, position",
        ),
        "reservation_id",
    )
    history = _group(
        _rows(conn, "SELECT reservation_id, payment_id, amount FROM payments ORDER BY reservation_id, position"),
        "reservation_id",
    )
    reservations: dict[str, Any] = {}
    for reservation in _rows(conn, "SELECT * FROM reservations ORDER BY rowid"):
        rid = reservation["reservation_id"]
        entry = {
            "reservation_id": rid,
            "user_id": reservation["user_id"],
            "origin": reservation["origin"],
            "destination": reservation["destination"],
            "flight_type": reservation["flight_type"],
            "cabin": reservation["cabin"],
            "flights": segments.get(rid, []),
            "passengers": people.get(rid, []),
            "payment_history": history.get(rid, []),
            "created_at": reservation["created_at"],
            "total_baggages": reservation["total_baggages"],
            "nonfree_baggages": reservation["nonfree_baggages"],
            "insurance": reservation["insurance"],
        }
        # tau2's db.json leaves the status out of active reservations.
        if reservation["status"] is not None:
            entry["status"] = reservation["status"]
        reservations[rid] = entry
    return {"flights": flights, "users": users, "reservations": reservations}


class Tau2Interchange:
    """Reads and writes tau2-bench's airline ``db.json`` (the environment's ``scenario_io``)."""

    def load(self, conn: sqlite3.Connection, data: dict[str, Any]) -> None:
        load_db(conn, data)

    def dump(self, source: Any) -> dict[str, Any]:
        return dump_db(source)
