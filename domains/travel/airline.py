"""Airline customer service, compatible with tau2-bench's airline domain.

An agent helps the airline's members book, change and cancel reservations, add checked bags, fix
passenger details and issue travel certificates as compensation. Tool names, parameters and the JSON they
return follow tau2-bench's airline domain (``sierra-research/tau2-bench``, ``src/tau2/domains/airline``),
and :mod:`.airline_tau2` reads and writes its ``db.json``, so tau2 airline tasks run here unchanged.

Where tau2 leaves a rule of its policy to the agent, this service enforces it itself and refuses with a
message a person would understand: cancellation eligibility, no changes to flown or basic economy trips,
fixed origin/destination/trip type, the checked-bag allowance, payment-method limits. Seat inventory is
kept exact: booking takes seats, changes and cancellations give them back.

The state is relational: users with their saved payment methods and passengers, membership tiers (which
carry the free-bag allowance), airports, flights and their daily instances (status, seats and fares per
cabin, actual or estimated times), and reservations with their flights, passengers and payment history.
All times are US Eastern wall-clock strings; the simulated "now" is 2024-05-15T15:00:00, as in tau2.
"""

from __future__ import annotations

import ast
import datetime as dt
import itertools
import math
import operator
import re
import sqlite3
import string
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any, Literal

from sqlalchemy import ForeignKey, Integer, String, insert
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from typing_extensions import TypedDict

from envfactory_gym.authoring import EnvironmentDefinition, SeedData, ServiceClockMixin, ToolContext
from envfactory_gym.errors import DomainError

# --------------------------------------------------------------------------------------------------
# Business constants (tau2-bench airline policy)
# --------------------------------------------------------------------------------------------------

NOW = "2024-05-15T15:00:00"
CABINS: tuple[str, ...] = ("basic_economy", "economy", "business")
CABIN_LABELS = {"basic_economy": "basic economy", "economy": "economy", "business": "business"}
INSURANCE_PRICE = 30  # dollars per passenger
BAG_PRICE = 50  # dollars per checked bag beyond the free allowance
MAX_PASSENGERS = 5
MAX_BAGS_PER_PASSENGER = 10
MAX_CERTIFICATE = 10_000  # dollars
# At most this many payment methods of each kind on one booking.
PAYMENT_LIMITS = {"certificate": 1, "credit_card": 1, "gift_card": 3}
PAYMENT_LABELS = {"certificate": "travel certificate", "credit_card": "credit card", "gift_card": "gift card"}
# Free checked bags per passenger: (basic economy, economy, business).
FREE_BAGS = {"regular": (0, 1, 2), "silver": (1, 2, 3), "gold": (2, 3, 4)}
FLOWN_STATUSES = ("landed", "flying")
# Travel insurance refunds a cancellation for these reasons only.
INSURED_REASONS = ("health", "weather")

CabinClass = Literal["basic_economy", "economy", "business"]
FlightType = Literal["one_way", "round_trip"]
Insurance = Literal["yes", "no"]
CancellationReason = Literal["change_of_plan", "airline_cancelled", "health", "weather", "other"]


# --------------------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------------------


class Base(DeclarativeBase):
    pass


class ServiceClock(ServiceClockMixin, Base):
    """The service's current time: a single row, part of the seeded state."""


class Airport(Base):
    __tablename__ = "airports"
    iata: Mapped[str] = mapped_column(String(3), primary_key=True)
    city: Mapped[str] = mapped_column(String(40))


class MembershipTier(Base):
    """A loyalty tier and the checked bags it includes per passenger, by cabin."""

    __tablename__ = "membership_tiers"
    tier: Mapped[str] = mapped_column(String(8), primary_key=True)
    free_bags_basic_economy: Mapped[int] = mapped_column(Integer)
    free_bags_economy: Mapped[int] = mapped_column(Integer)
    free_bags_business: Mapped[int] = mapped_column(Integer)


class User(Base):
    __tablename__ = "users"
    # Members quote their user id (as in tau2-bench), so requests may state it.
    user_id: Mapped[str] = mapped_column(String(40), primary_key=True, info={"user_known": True})
    first_name: Mapped[str] = mapped_column(String(40))
    last_name: Mapped[str] = mapped_column(String(40))
    email: Mapped[str] = mapped_column(String(80))
    dob: Mapped[str] = mapped_column(String(10))
    address1: Mapped[str] = mapped_column(String(80))
    address2: Mapped[str | None] = mapped_column(String(80))
    city: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(20))
    country: Mapped[str] = mapped_column(String(20))
    zip: Mapped[str] = mapped_column(String(10))
    membership: Mapped[str] = mapped_column(ForeignKey("membership_tiers.tier"))


class PaymentMethod(Base):
    """A payment method saved in a user's profile. Balances are kept in cents (gift cards, certificates)."""

    __tablename__ = "payment_methods"
    __label__ = staticmethod(lambda row: _payment_label(row))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id"), primary_key=True)
    payment_id: Mapped[str] = mapped_column(String(24), primary_key=True, info={"generated": True})
    position: Mapped[int] = mapped_column(Integer)  # order in the profile
    source: Mapped[str] = mapped_column(String(12))  # credit_card | gift_card | certificate
    brand: Mapped[str | None] = mapped_column(String(12))
    last_four: Mapped[str | None] = mapped_column(String(4))
    balance_cents: Mapped[int | None] = mapped_column(Integer)


class SavedPassenger(Base):
    __tablename__ = "saved_passengers"
    user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    first_name: Mapped[str] = mapped_column(String(40))
    last_name: Mapped[str] = mapped_column(String(40))
    dob: Mapped[str] = mapped_column(String(10))


class Flight(Base):
    """A scheduled flight. Arrival times after midnight carry a '+1' suffix, as in tau2."""

    __tablename__ = "flights"
    # Travellers name a flight by route and departure time rather than by number.
    __label__ = "the {scheduled_departure_time_est} flight from {origin} to {destination}"
    flight_number: Mapped[str] = mapped_column(String(8), primary_key=True, info={"user_known": False})
    origin: Mapped[str] = mapped_column(ForeignKey("airports.iata"))
    destination: Mapped[str] = mapped_column(ForeignKey("airports.iata"))
    scheduled_departure_time_est: Mapped[str] = mapped_column(String(10))
    scheduled_arrival_time_est: Mapped[str] = mapped_column(String(10))


class FlightDate(Base):
    """One day's operation of a flight.

    Which of the nullable columns are set depends on the status, exactly as in tau2's data model:
    'available' has seats and prices; 'landed' actual times; 'flying' the actual departure and estimated
    arrival; 'on time' and 'delayed' estimated times; 'cancelled' nothing.
    """

    __tablename__ = "flight_dates"
    flight_number: Mapped[str] = mapped_column(ForeignKey("flights.flight_number"), primary_key=True)
    date: Mapped[str] = mapped_column(String(10), primary_key=True)
    status: Mapped[str] = mapped_column(String(10))
    seats_basic_economy: Mapped[int | None] = mapped_column(Integer)
    seats_economy: Mapped[int | None] = mapped_column(Integer)
    seats_business: Mapped[int | None] = mapped_column(Integer)
    price_basic_economy: Mapped[int | None] = mapped_column(Integer)
    price_economy: Mapped[int | None] = mapped_column(Integer)
    price_business: Mapped[int | None] = mapped_column(Integer)
    actual_departure_time_est: Mapped[str | None] = mapped_column(String(19))
    actual_arrival_time_est: Mapped[str | None] = mapped_column(String(19))
    estimated_departure_time_est: Mapped[str | None] = mapped_column(String(19))
    estimated_arrival_time_est: Mapped[str | None] = mapped_column(String(19))


def _reservation_label(row: dict[str, Any]) -> str:
    kind = "round trip" if row["flight_type"] == "round_trip" else "one-way trip"
    return f"my {kind} from {row['origin']} to {row['destination']} booked on {row['created_at'][:10]}"


class Reservation(Base):
    __label__ = staticmethod(lambda row: _reservation_label(row))
    __tablename__ = "reservations"
    # Some customers have their booking code at hand; the others describe the trip.
    reservation_id: Mapped[str] = mapped_column(
        String(8), primary_key=True, info={"generated": True, "user_known": 0.4}
    )
    user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id"), index=True)
    # Position in the owner's list of reservations (tau2 keeps that list on the user).
    user_position: Mapped[int | None] = mapped_column(Integer)
    origin: Mapped[str] = mapped_column(String(3))
    destination: Mapped[str] = mapped_column(String(3))
    flight_type: Mapped[str] = mapped_column(String(10))
    cabin: Mapped[str] = mapped_column(String(13))
    created_at: Mapped[str] = mapped_column(String(19))
    total_baggages: Mapped[int] = mapped_column(Integer)
    nonfree_baggages: Mapped[int] = mapped_column(Integer)
    insurance: Mapped[str] = mapped_column(String(3))  # 'yes' | 'no'
    status: Mapped[str | None] = mapped_column(String(9))  # None | 'cancelled'


class ReservationFlight(Base):
    """A flight segment of a reservation, at the per-passenger price paid for it."""

    __tablename__ = "reservation_flights"
    reservation_id: Mapped[str] = mapped_column(ForeignKey("reservations.reservation_id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    flight_number: Mapped[str] = mapped_column(ForeignKey("flights.flight_number"))
    date: Mapped[str] = mapped_column(String(10))
    price: Mapped[int] = mapped_column(Integer)


class ReservationPassenger(Base):
    __tablename__ = "reservation_passengers"
    reservation_id: Mapped[str] = mapped_column(ForeignKey("reservations.reservation_id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    first_name: Mapped[str] = mapped_column(String(40))
    last_name: Mapped[str] = mapped_column(String(40))
    dob: Mapped[str] = mapped_column(String(10))


class Payment(Base):
    """A reservation's payment history: charges are positive, refunds negative (whole dollars)."""

    __tablename__ = "payments"
    reservation_id: Mapped[str] = mapped_column(ForeignKey("reservations.reservation_id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Not a foreign key: a used-up certificate leaves the profile but stays in the history.
    payment_id: Mapped[str] = mapped_column(String(24))
    amount: Mapped[int] = mapped_column(Integer)


class Handoff(Base):
    """A conversation handed over to a human agent (tau2 only ends the conversation; we keep a record so
    that a task whose right outcome is a transfer can be checked from the state)."""

    __tablename__ = "handoffs"
    handoff_id: Mapped[str] = mapped_column(String(8), primary_key=True, info={"generated": True})
    summary: Mapped[str] = mapped_column(String(2000), info={"generated": True})
    created_at: Mapped[str] = mapped_column(String(19))


def _payment_label(row: dict[str, Any]) -> str:
    if row["source"] == "credit_card":
        return f"my {row['brand']} card ending in {row['last_four']}"
    balance = (row["balance_cents"] or 0) // 100
    kind = "gift card" if row["source"] == "gift_card" else "travel certificate"
    return f"my {kind} with ${balance} on it"


class _Tau2Interchange:
    """Reads and writes tau2-bench's airline ``db.json`` (see :mod:`.airline_tau2`)."""

    def load(self, conn: sqlite3.Connection, data: dict[str, Any]) -> None:
        # Imported here: the interchange module needs this module's models.
        from . import airline_tau2

        airline_tau2.load_db(conn, data)

    def dump(self, source: Any) -> dict[str, Any]:
        from . import airline_tau2

        return airline_tau2.dump_db(source)


env = EnvironmentDefinition(
    "airline",
    domain="travel",
    models=Base,
    description=(
        "An airline's customer-service desk: look up members and reservations, search flights, book, "
        "change and cancel trips, add checked bags, update passengers and issue travel certificates, "
        "under the airline's fare, baggage and refund rules (tau2-bench airline compatible)."
    ),
    modeled_on="Airline",
    scenario_io=_Tau2Interchange(),
)


# --------------------------------------------------------------------------------------------------
# Seed data
# --------------------------------------------------------------------------------------------------

# IATA code, city, latitude, longitude (the coordinates only set realistic flight durations).
AIRPORTS: tuple[tuple[str, str, float, float], ...] = (
    ("ATL", "Atlanta", 33.64, -84.43),
    ("AUS", "Austin", 30.19, -97.67),
    ("BNA", "Nashville", 36.12, -86.68),
    ("BOS", "Boston", 42.36, -71.01),
    ("CLT", "Charlotte", 35.21, -80.94),
    ("DEN", "Denver", 39.86, -104.67),
    ("DFW", "Dallas", 32.90, -97.04),
    ("DTW", "Detroit", 42.21, -83.35),
    ("EWR", "Newark", 40.69, -74.17),
    ("IAH", "Houston", 29.98, -95.34),
    ("JFK", "New York", 40.64, -73.78),
    ("LAS", "Las Vegas", 36.08, -115.15),
    ("LAX", "Los Angeles", 33.94, -118.41),
    ("LGA", "New York", 40.78, -73.87),
    ("MCO", "Orlando", 28.43, -81.31),
    ("MIA", "Miami", 25.79, -80.29),
    ("MSP", "Minneapolis", 44.88, -93.22),
    ("ORD", "Chicago", 41.98, -87.90),
    ("PDX", "Portland", 45.59, -122.60),
    ("PHL", "Philadelphia", 39.87, -75.24),
    ("PHX", "Phoenix", 33.43, -112.01),
    ("SAN", "San Diego", 32.73, -117.19),
    ("SEA", "Seattle", 47.45, -122.31),
    ("SFO", "San Francisco", 37.62, -122.38),
    ("SLC", "Salt Lake City", 40.79, -111.98),
)
HUBS = ("ATL", "ORD", "DFW", "DEN", "JFK", "LAX", "SFO", "SEA", "CLT", "PHX")
# Home cities for member addresses: city, state, ZIP prefix.
HOME_CITIES = (
    ("New York", "NY", "100"),
    ("Los Angeles", "CA", "900"),
    ("Chicago", "IL", "606"),
    ("Houston", "TX", "770"),
    ("Phoenix", "AZ", "850"),
    ("Philadelphia", "PA", "191"),
    ("San Antonio", "TX", "782"),
    ("San Diego", "CA", "921"),
    ("Dallas", "TX", "752"),
    ("Austin", "TX", "787"),
    ("Denver", "CO", "802"),
    ("Seattle", "WA", "981"),
    ("Boston", "MA", "021"),
    ("Atlanta", "GA", "303"),
    ("Miami", "FL", "331"),
    ("Orlando", "FL", "328"),
    ("Charlotte", "NC", "282"),
    ("Detroit", "MI", "482"),
    ("Portland", "OR", "972"),
    ("Nashville", "TN", "372"),
    ("Minneapolis", "MN", "554"),
    ("Las Vegas", "NV", "891"),
    ("San Francisco", "CA", "941"),
    ("Columbus", "OH", "432"),
    ("Washington", "DC", "200"),
)
STREET_NAMES = (
    "Maple Drive",
    "Oak Street",
    "Cedar Avenue",
    "Pine Lane",
    "Elm Street",
    "Lakeview Drive",
    "Hillcrest Drive",
    "Sunset Boulevard",
    "River Road",
    "Chestnut Street",
    "Willow Lane",
    "Park Avenue",
    "Highland Drive",
    "Laurel Lane",
    "Main Street",
    "Broadway",
    "Washington Avenue",
    "Spruce Street",
    "Meadow Lane",
    "Birch Road",
)
SEED_DAYS = 30  # flight instances from 2024-05-01 to 2024-05-30
FIRST_DAY = dt.date(2024, 5, 1)
SEED_USERS = 320


def _distance_km(a: tuple[str, str, float, float], b: tuple[str, str, float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a[2], a[3], b[2], b[3]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def _clock(minutes: int) -> str:
    """Minutes after midnight of the departure day as tau2's 'HH:MM:SS' with '+1' past midnight."""
    day, rest = divmod(minutes, 24 * 60)
    text = f"{rest // 60:02d}:{rest % 60:02d}:00"
    return text + (f"+{day}" if day else "")


def _stamp(day: dt.date, minutes: int) -> str:
    return (dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minutes)).isoformat()


def _random_date(rng: Any, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _clean_name(text: str) -> str:
    return re.sub(r"[^A-Za-z]", "", text)


@env.seed
def seed_airline(db: Session, data: SeedData) -> None:
    """About 320 members, 100 flights over 30 days (3,000 flight instances) and 600 reservations."""
    rng, fake = data.rng, data.fake
    now = dt.datetime.fromisoformat(NOW)
    today = now.date()
    now_minutes = now.hour * 60 + now.minute

    # -- network: every airport to two hubs, plus hub-to-hub routes; each route flown both ways --------
    by_code = {a[0]: a for a in AIRPORTS}
    pairs: list[tuple[str, str]] = []
    for code, *_ in AIRPORTS:
        for hub in rng.sample([h for h in HUBS if h != code], 2):
            pair = (min(code, hub), max(code, hub))
            if pair not in pairs:
                pairs.append(pair)
    while len(pairs) < 50:
        a, b = rng.sample(HUBS, 2)
        pair = (min(a, b), max(a, b))
        if pair not in pairs:
            pairs.append(pair)
    legs = [(a, b) for a, b in pairs] + [(b, a) for a, b in pairs]
    rng.shuffle(legs)

    flights: list[dict[str, Any]] = []
    timing: dict[str, tuple[int, int]] = {}  # flight number -> (departure minute, duration minutes)
    base_fares: dict[str, tuple[int, int, int]] = {}
    for index, (origin, destination) in enumerate(legs, start=1):
        number = f"HAT{index:03d}"
        km = _distance_km(by_code[origin], by_code[destination])
        duration = round((40 + km / 13.5) / 5) * 5
        departure = rng.randint(10, 45) * 30  # 05:00 .. 22:30
        timing[number] = (departure, duration)
        reach = km / 1000
        base_fares[number] = (
            rng.randint(50, 90) + int(15 * reach),
            rng.randint(100, 170) + int(35 * reach),
            rng.randint(220, 450) + int(160 * reach),
        )
        flights.append(
            {
                "flight_number": number,
                "origin": origin,
                "destination": destination,
                "scheduled_departure_time_est": _clock(departure),
                "scheduled_arrival_time_est": _clock(departure + duration),
            }
        )

    # -- daily instances: the past has landed, today is in progress, the future is on sale ------------
    instances: dict[tuple[str, str], dict[str, Any]] = {}
    for flight in flights:
        number = flight["flight_number"]
        departure, duration = timing[number]
        for offset in range(SEED_DAYS):
            day = FIRST_DAY + dt.timedelta(days=offset)
            row: dict[str, Any] = {"flight_number": number, "date": day.isoformat(), "status": "cancelled"}
            roll = rng.random()
            if day < today or (day == today and departure + duration + 30 <= now_minutes):
                if roll >= 0.04:
                    actual = departure + rng.randint(-25, 45)
                    row.update(
                        status="landed",
                        actual_departure_time_est=_stamp(day, actual),
                        actual_arrival_time_est=_stamp(day, actual + duration + rng.randint(-20, 25)),
                    )
            elif day == today and departure <= now_minutes:
                actual = departure + rng.randint(-10, 30)
                row.update(
                    status="flying",
                    actual_departure_time_est=_stamp(day, actual),
                    estimated_arrival_time_est=_stamp(day, actual + duration),
                )
            elif day == today or (day == today + dt.timedelta(days=1) and roll < 0.04):
                # Later today (and a few of tomorrow's flights): off sale, with estimated times.
                if roll < 0.03:
                    pass  # cancelled
                elif roll < 0.2:
                    late = rng.randint(4, 36) * 5
                    row.update(
                        status="delayed",
                        estimated_departure_time_est=_stamp(day, departure + late),
                        estimated_arrival_time_est=_stamp(day, departure + late + duration),
                    )
                else:
                    row.update(
                        status="on time",
                        estimated_departure_time_est=_stamp(day, departure),
                        estimated_arrival_time_est=_stamp(day, departure + duration),
                    )
            elif roll >= 0.015:
                fares = base_fares[number]
                row.update(status="available")
                for cabin, fare in zip(CABINS, fares, strict=True):
                    row[f"seats_{cabin}"] = rng.randint(0, 20)
                    row[f"price_{cabin}"] = int(fare * rng.uniform(0.8, 1.3))
            instances[(number, row["date"])] = row

    # -- members ------------------------------------------------------------------------------------
    users: list[dict[str, Any]] = []
    methods: list[dict[str, Any]] = []
    saved: list[dict[str, Any]] = []
    user_ids: set[str] = set()
    method_ids: set[str] = set()
    cards: dict[str, list[dict[str, Any]]] = {}
    companions: dict[str, list[dict[str, Any]]] = {}

    def birth_date(oldest: int = 1948, youngest: int = 2004) -> str:
        return _random_date(rng, dt.date(oldest, 1, 1), dt.date(youngest, 12, 31)).isoformat()

    def new_method_id(source: str) -> str:
        while True:
            candidate = f"{source}_{rng.randint(1_000_000, 9_999_999)}"
            if candidate not in method_ids:
                method_ids.add(candidate)
                return candidate

    for _ in range(SEED_USERS):
        first, last = _clean_name(fake.first_name()), _clean_name(fake.last_name())
        while True:
            user_id = f"{first.lower()}_{last.lower()}_{rng.randint(1000, 9999)}"
            if user_id not in user_ids:
                user_ids.add(user_id)
                break
        city, state, prefix = rng.choice(HOME_CITIES)
        users.append(
            {
                "user_id": user_id,
                "first_name": first,
                "last_name": last,
                "email": f"{first.lower()}.{last.lower()}{rng.randint(1000, 9999)}@example.com",
                "dob": birth_date(),
                "address1": f"{rng.randint(100, 999)} {rng.choice(STREET_NAMES)}",
                "address2": f"Suite {rng.randint(100, 999)}" if rng.random() < 0.7 else None,
                "city": city,
                "state": state,
                "country": "USA",
                "zip": f"{prefix}{rng.randint(0, 99):02d}",
                "membership": rng.choices(("regular", "silver", "gold"), weights=(50, 30, 20))[0],
            }
        )
        # Every member can pay with at least one card; certificates come on top.
        kinds = [rng.choice(("credit_card", "credit_card", "gift_card"))]
        kinds += rng.choices(("credit_card", "gift_card", "certificate"), weights=(3, 4, 3), k=rng.randint(0, 3))
        own: list[dict[str, Any]] = []
        for position, source in enumerate(kinds):
            method: dict[str, Any] = {
                "user_id": user_id,
                "payment_id": new_method_id(source),
                "position": position,
                "source": source,
                "brand": None,
                "last_four": None,
                "balance_cents": None,
            }
            if source == "credit_card":
                method["brand"] = rng.choice(("visa", "mastercard", "visa", "amex"))
                method["last_four"] = f"{rng.randint(0, 9999):04d}"
            elif source == "gift_card":
                method["balance_cents"] = rng.randint(0, 300) * 100
            else:
                method["balance_cents"] = rng.choice((100, 150, 250, 500)) * 100
            methods.append(method)
            own.append(method)
        cards[user_id] = [m for m in own if m["source"] != "certificate"]
        people = []
        for position in range(rng.choices((0, 1, 2, 3), weights=(25, 45, 20, 10))[0]):
            person = {
                "user_id": user_id,
                "position": position,
                "first_name": _clean_name(fake.first_name()),
                "last_name": _clean_name(fake.last_name()),
                "dob": birth_date(),
            }
            saved.append(person)
            people.append(person)
        companions[user_id] = people

    # -- reservations ---------------------------------------------------------------------------------
    departures: dict[str, list[dict[str, Any]]] = {}
    for flight in flights:
        departures.setdefault(flight["origin"], []).append(flight)

    def fare(number: str, day: str, cabin: str) -> int:
        instance = instances[(number, day)]
        if instance["status"] == "available":
            return int(instance[f"price_{cabin}"])
        # Past or closed flights no longer show a fare: rebuild what was paid from the route's fare level.
        return int(base_fares[number][CABINS.index(cabin)] * rng.uniform(0.85, 1.25))

    def itinerary(origin: str, nonstop: bool, target: str | None = None) -> list[dict[str, Any]] | None:
        """Nonstop or one-stop (same-day connection) legs from ``origin``, to ``target`` if given."""
        if nonstop:
            choices = [f for f in departures[origin] if target is None or f["destination"] == target]
            return [rng.choice(choices)] if choices else None
        found = []
        for first in departures[origin]:
            if "+" in first["scheduled_arrival_time_est"] or first["destination"] == target:
                continue
            for second in departures[first["destination"]]:
                end = second["destination"]
                if (end != target) if target is not None else (end == origin):
                    continue
                if second["scheduled_departure_time_est"] >= first["scheduled_arrival_time_est"]:
                    found.append([first, second])
        return rng.choice(found) if found else None

    reservations: list[dict[str, Any]] = []
    res_flights: list[dict[str, Any]] = []
    res_people: list[dict[str, Any]] = []
    payments: list[dict[str, Any]] = []
    reservation_ids: set[str] = set()
    alphabet = string.ascii_uppercase + string.digits
    last_day = FIRST_DAY + dt.timedelta(days=SEED_DAYS - 1)
    tiers = {u["user_id"]: u["membership"] for u in users}

    for user in users:
        user_id = user["user_id"]
        mine: list[dict[str, Any]] = []
        for _ in range(rng.choices((0, 1, 2, 3, 4), weights=(8, 27, 32, 21, 12))[0]):
            if rng.random() < 0.08:  # booked within the last 24 hours
                created = now - dt.timedelta(seconds=rng.randint(60, 24 * 3600 - 60))
            else:
                created = dt.datetime(2024, 4, 20) + dt.timedelta(seconds=rng.randint(0, 25 * 86400))
                created = min(created, now - dt.timedelta(days=1, minutes=5))
            earliest = max(created.date() + dt.timedelta(days=1), FIRST_DAY)
            if earliest > last_day:
                continue
            out_day = _random_date(rng, earliest, last_day)
            origin = rng.choice(AIRPORTS)[0]
            nonstop = rng.random() < 0.7
            outbound = itinerary(origin, nonstop)
            if outbound is None:
                continue
            destination = outbound[-1]["destination"]
            segments = [(f, out_day.isoformat()) for f in outbound]
            flight_type = "one_way"
            if rng.random() < 0.55 and out_day < last_day:
                back_day = min(out_day + dt.timedelta(days=rng.randint(1, 6)), last_day).isoformat()
                inbound = itinerary(destination, nonstop, origin) or itinerary(destination, not nonstop, origin)
                if inbound is not None:
                    segments += [(f, back_day) for f in inbound]
                    flight_type = "round_trip"
            while True:
                reservation_id = "".join(rng.choice(alphabet) for _ in range(6))
                if reservation_id not in reservation_ids:
                    reservation_ids.add(reservation_id)
                    break
            cabin = rng.choices(CABINS, weights=(35, 45, 20))[0]
            count = rng.choices((1, 2, 3, 4), weights=(50, 30, 12, 8))[0]
            travellers: list[dict[str, Any]] = []
            if rng.random() < 0.75:
                travellers.append(user)
            travellers += companions[user_id][: count - len(travellers)]
            while len(travellers) < count:
                travellers.append(
                    {
                        "first_name": _clean_name(fake.first_name()),
                        "last_name": _clean_name(fake.last_name()),
                        "dob": birth_date(),
                    }
                )
            for position, person in enumerate(travellers):
                res_people.append(
                    {
                        "reservation_id": reservation_id,
                        "position": position,
                        "first_name": person["first_name"],
                        "last_name": person["last_name"],
                        "dob": person["dob"],
                    }
                )
            prices = []
            for position, (flight, day) in enumerate(segments):
                price = fare(flight["flight_number"], day, cabin)
                prices.append(price)
                res_flights.append(
                    {
                        "reservation_id": reservation_id,
                        "position": position,
                        "flight_number": flight["flight_number"],
                        "date": day,
                        "price": price,
                    }
                )
            insured = rng.random() < 0.35
            allowance = FREE_BAGS[tiers[user_id]][CABINS.index(cabin)] * count
            total_bags = rng.randint(0, allowance + 1) if rng.random() < 0.6 else 0
            nonfree = max(0, total_bags - allowance)
            total = sum(prices) * count + INSURANCE_PRICE * count * insured + BAG_PRICE * nonfree
            # Payment history consistent with the price: one card, or a gift card / used-up
            # certificate topped up by a credit card.
            history: list[tuple[str, int]] = []
            wallet = cards[user_id]
            credit = [m for m in wallet if m["source"] == "credit_card"]
            roll = rng.random()
            if roll < 0.1 and credit:
                certificate = min(total, rng.choice((100, 150, 250)))
                history.append((new_method_id("certificate"), certificate))
                if total > certificate:
                    history.append((credit[0]["payment_id"], total - certificate))
            elif roll < 0.3 and credit and len(wallet) > 1:
                gift = next((m for m in wallet if m["source"] == "gift_card"), None)
                part = min(total, rng.randint(20, 200))
                if gift is not None and part < total:
                    history += [(gift["payment_id"], part), (credit[0]["payment_id"], total - part)]
            if not history:
                history.append((rng.choice(wallet)["payment_id"], total))
            cancelled = rng.random() < 0.07
            if cancelled:
                history += [(pid, -amount) for pid, amount in list(history)]
            for position, (payment_id, amount) in enumerate(history):
                payments.append(
                    {"reservation_id": reservation_id, "position": position, "payment_id": payment_id, "amount": amount}
                )
            mine.append(
                {
                    "reservation_id": reservation_id,
                    "user_id": user_id,
                    "user_position": None,
                    "origin": origin,
                    "destination": destination,
                    "flight_type": flight_type,
                    "cabin": cabin,
                    "created_at": created.replace(microsecond=0).isoformat(),
                    "total_baggages": total_bags,
                    "nonfree_baggages": nonfree,
                    "insurance": "yes" if insured else "no",
                    "status": "cancelled" if cancelled else None,
                }
            )
        mine.sort(key=lambda r: r["created_at"])
        for position, reservation in enumerate(mine):
            reservation["user_position"] = position
        reservations += mine

    for model, rows in (
        (ServiceClock, [{"id": 1, "now": NOW}]),
        (
            MembershipTier,
            [
                {"tier": tier, **{f"free_bags_{c}": n for c, n in zip(CABINS, bags, strict=True)}}
                for tier, bags in FREE_BAGS.items()
            ],
        ),
        (Airport, [{"iata": code, "city": city} for code, city, *_ in AIRPORTS]),
        (User, users),
        (PaymentMethod, methods),
        (SavedPassenger, saved),
        (Flight, flights),
        (FlightDate, [_flight_date_row(r) for r in instances.values()]),
        (Reservation, reservations),
        (ReservationFlight, res_flights),
        (ReservationPassenger, res_people),
        (Payment, payments),
    ):
        db.execute(insert(model.__table__), rows)  # type: ignore[attr-defined]


_FLIGHT_DATE_COLUMNS = tuple(c.name for c in FlightDate.__table__.columns)


def _flight_date_row(values: dict[str, Any]) -> dict[str, Any]:
    """A complete flight_dates row (executemany needs every row to name the same columns)."""
    return {name: values.get(name) for name in _FLIGHT_DATE_COLUMNS}


# --------------------------------------------------------------------------------------------------
# Tool input and output shapes (tau2-bench's pydantic models, as JSON)
# --------------------------------------------------------------------------------------------------


class FlightInfo(TypedDict):
    flight_number: str
    date: str


class PassengerInfo(TypedDict):
    first_name: str
    last_name: str
    dob: str


class PaymentInfo(TypedDict):
    payment_id: str
    amount: int


class AirportCode(TypedDict):
    iata: str
    city: str


class ReservationFlightView(TypedDict):
    flight_number: str
    origin: str
    destination: str
    date: str
    price: int


class ReservationView(TypedDict):
    reservation_id: str
    user_id: str
    origin: str
    destination: str
    flight_type: FlightType
    cabin: CabinClass
    flights: list[ReservationFlightView]
    passengers: list[PassengerInfo]
    payment_history: list[PaymentInfo]
    created_at: str
    total_baggages: int
    nonfree_baggages: int
    insurance: Insurance
    status: Literal["cancelled"] | None


class Name(TypedDict):
    first_name: str
    last_name: str


class Address(TypedDict):
    address1: str
    address2: str | None
    city: str
    country: str
    state: str
    zip: str


class CreditCardView(TypedDict):
    source: Literal["credit_card"]
    id: str
    brand: str
    last_four: str


class GiftCardView(TypedDict):
    source: Literal["gift_card"]
    id: str
    amount: float


class CertificateView(TypedDict):
    source: Literal["certificate"]
    id: str
    amount: float


class UserView(TypedDict):
    user_id: str
    name: Name
    address: Address
    email: str
    dob: str
    payment_methods: dict[str, CreditCardView | GiftCardView | CertificateView]
    saved_passengers: list[PassengerInfo]
    membership: Literal["gold", "silver", "regular"]
    reservations: list[str]


class SeatCounts(TypedDict):
    basic_economy: int
    economy: int
    business: int


class DirectFlight(TypedDict):
    flight_number: str
    origin: str
    destination: str
    status: Literal["available"]
    scheduled_departure_time_est: str
    scheduled_arrival_time_est: str
    date: str | None
    available_seats: SeatCounts
    prices: SeatCounts


# --------------------------------------------------------------------------------------------------
# Lookups and checks shared by the tools
# --------------------------------------------------------------------------------------------------

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _shown(value: str) -> str:
    """User input echoed in a message, clipped so that a huge argument cannot flood the conversation."""
    return value if len(value) <= 40 else value[:40] + "..."


def _lookup(ctx: ToolContext, model: type[Base], key: str, canonical: str, what: str) -> dict[str, Any]:
    """The row with this id, also under its canonical spelling: tau2 accepts mis-cased or padded ids."""
    rows = ctx.rows(model)
    row = rows.get(key) or rows.get(canonical)
    if row is None:
        raise DomainError(f"{what} {_shown(key)} not found.")
    return row


def _user(ctx: ToolContext, user_id: str) -> dict[str, Any]:
    return _lookup(ctx, User, user_id, user_id.strip().lower(), "User")  # user ids are lower case


def _reservation(ctx: ToolContext, reservation_id: str) -> dict[str, Any]:
    return _lookup(ctx, Reservation, reservation_id, reservation_id.strip().upper(), "Reservation")


def _flight(ctx: ToolContext, flight_number: str) -> dict[str, Any]:
    return _lookup(ctx, Flight, flight_number, flight_number.strip().upper(), "Flight")


def _flight_date(ctx: ToolContext, flight_number: str, date: str) -> dict[str, Any]:
    return ctx.rows(FlightDate).require(
        flight_number, date, missing=f"Flight {flight_number} does not operate on {date}."
    )


def _airport(ctx: ToolContext, code: str) -> str:
    iata = code.strip().upper()
    if ctx.rows(Airport).get(iata) is None:
        raise DomainError(
            f"Unknown airport '{_shown(code)}'. Use a three-letter IATA code such as 'JFK' "
            "(list_all_airports shows them)."
        )
    return iata


def _date(value: str, what: str = "The date") -> str:
    value = value.strip()
    if not _DATE.match(value):
        raise DomainError(f"{what} must be written YYYY-MM-DD, such as '2024-05-20'; got '{value[:40]}'.")
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise DomainError(f"{what} '{value}' is not a calendar date.") from None
    return value


def _passengers(ctx: ToolContext, passengers: Sequence[PassengerInfo]) -> list[dict[str, str]]:
    cleaned = []
    today = ctx.now.date().isoformat()
    for index, person in enumerate(passengers, start=1):
        first, last = person["first_name"].strip(), person["last_name"].strip()
        if not first or not last or len(first) > 40 or len(last) > 40:
            raise DomainError(f"Passenger {index} needs a first and a last name (up to 40 characters each).")
        dob = _date(person["dob"], f"The date of birth of {first} {last}")
        if dob > today:
            raise DomainError(f"The date of birth of {first} {last} ({dob}) is in the future.")
        cleaned.append({"first_name": first, "last_name": last, "dob": dob})
    return cleaned


def _usd(amount: float) -> str:
    return f"${amount:,.2f}".replace(".00", "")


def _free_bags(ctx: ToolContext, membership: str, cabin: str) -> int:
    tier = ctx.rows(MembershipTier).require(membership, missing=f"Unknown membership tier {membership}.")
    return int(tier[f"free_bags_{cabin}"])


def _check_bag_counts(total: int, nonfree: int, passengers: int) -> None:
    if total < 0 or nonfree < 0 or nonfree > total:
        raise DomainError("Bag counts cannot be negative, and nonfree_baggages cannot exceed total_baggages.")
    if total > MAX_BAGS_PER_PASSENGER * passengers:
        raise DomainError(
            f"A reservation can check at most {MAX_BAGS_PER_PASSENGER} bags per passenger "
            f"({MAX_BAGS_PER_PASSENGER * passengers} for {passengers})."
        )


def _resolve_flights(ctx: ToolContext, flights: Sequence[FlightInfo]) -> list[dict[str, Any]]:
    """The requested segments as flight rows with their date, in the order given."""
    if not flights:
        raise DomainError("At least one flight is needed.")
    legs: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for info in flights:
        flight = _flight(ctx, info["flight_number"])
        date = _date(info["date"], f"The date of flight {flight['flight_number']}")
        key = (flight["flight_number"], date)
        if key in seen:
            raise DomainError(f"Flight {key[0]} on {date} is listed twice.")
        seen.add(key)
        legs.append({**flight, "date": date})
    return legs


def _check_itinerary(
    legs: Sequence[dict[str, Any]], origin: str, destination: str, flight_type: str, prefix: str = ""
) -> None:
    """The segments, in order, must connect and make the trip that the reservation describes."""
    first, last = legs[0], legs[-1]
    if first["origin"] != origin:
        raise DomainError(
            f"{prefix}the trip starts at {origin}, but flight {first['flight_number']} departs from {first['origin']}."
        )
    for previous, leg in itertools.pairwise(legs):
        if leg["origin"] != previous["destination"] or leg["date"] < previous["date"]:
            raise DomainError(
                f"Flight {leg['flight_number']} ({leg['origin']} on {leg['date']}) does not continue from flight "
                f"{previous['flight_number']} ({previous['destination']} on {previous['date']}); list the "
                "flights in the order they are flown."
            )
    if flight_type == "one_way" and last["destination"] != destination:
        raise DomainError(
            f"{prefix}a one-way trip from {origin} to {destination} must end at {destination}, "
            f"but flight {last['flight_number']} arrives at {last['destination']}."
        )
    if flight_type == "round_trip" and (
        last["destination"] != origin or all(leg["destination"] != destination for leg in legs[:-1])
    ):
        raise DomainError(
            f"{prefix}a round trip from {origin} to {destination} must reach {destination} and then return to {origin}."
        )


def _check_bookable(ctx: ToolContext, leg: dict[str, Any], cabin: str, count: int) -> dict[str, Any]:
    instance = _flight_date(ctx, leg["flight_number"], leg["date"])
    if instance["status"] != "available":
        raise DomainError(
            f"Flight {leg['flight_number']} on {leg['date']} is {instance['status']} and cannot be booked."
        )
    seats = instance[f"seats_{cabin}"] or 0
    if seats < count:
        raise DomainError(
            f"Not enough seats on flight {leg['flight_number']} on {leg['date']}: {seats} left in "
            f"{CABIN_LABELS[cabin]}, {count} needed."
        )
    return instance


def _method(ctx: ToolContext, user_id: str, payment_id: str) -> dict[str, Any]:
    method = ctx.rows(PaymentMethod).get(user_id, payment_id.strip())
    if method is None:
        raise DomainError(
            f"Payment method {_shown(payment_id)} is not in the profile of user {user_id}; only saved "
            "payment methods can be used."
        )
    return method


def _update_payment(ctx: ToolContext, user_id: str, payment_id: str, amount: int) -> dict[str, Any]:
    """Check the single payment method of a change: a saved credit or gift card that covers ``amount``."""
    method = _method(ctx, user_id, payment_id)
    if method["source"] == "certificate":
        raise DomainError(
            "A travel certificate cannot be used to pay for or be refunded for changes to a "
            "reservation; use a credit card or gift card from the profile."
        )
    if method["source"] == "gift_card" and amount > 0 and (method["balance_cents"] or 0) < amount * 100:
        raise DomainError(
            f"Gift card {method['payment_id']} has {_usd((method['balance_cents'] or 0) / 100)} "
            f"left, not enough for {_usd(amount)}."
        )
    return method


def _charge(ctx: ToolContext, reservation_id: str, method: dict[str, Any], amount: int) -> None:
    """Record a charge (or, if negative, a refund) on the reservation and settle it on a gift card."""
    if amount == 0:
        return
    payments = ctx.rows(Payment)
    position = payments.count({"reservation_id": reservation_id})
    payments.insert(reservation_id=reservation_id, position=position, payment_id=method["payment_id"], amount=amount)
    if method["source"] == "gift_card":
        ctx.rows(PaymentMethod).update(
            (method["user_id"], method["payment_id"]), balance_cents=(method["balance_cents"] or 0) - amount * 100
        )


def _move_seats(ctx: ToolContext, flight_number: str, date: str, cabin: str, delta: int) -> None:
    """Give back (delta > 0) or take (delta < 0) seats on a flight that is still on sale."""
    instances = ctx.rows(FlightDate)
    instance = instances.get(flight_number, date)
    column = f"seats_{cabin}"
    if instance is not None and instance["status"] == "available" and instance[column] is not None:
        instances.update((flight_number, date), **{column: instance[column] + delta})


def _segments(ctx: ToolContext, reservation_id: str) -> list[dict[str, Any]]:
    return ctx.query(
        "SELECT rf.position, rf.flight_number, rf.date, rf.price, f.origin, f.destination, fd.status "
        "FROM reservation_flights rf LEFT JOIN flights f ON f.flight_number = rf.flight_number "
        "LEFT JOIN flight_dates fd ON fd.flight_number = rf.flight_number AND fd.date = rf.date "
        "WHERE rf.reservation_id = ? ORDER BY rf.position",
        (reservation_id,),
    )


def _reservation_view(ctx: ToolContext, reservation: dict[str, Any]) -> ReservationView:
    reservation_id = reservation["reservation_id"]
    flights = ctx.query(
        "SELECT rf.flight_number, f.origin, f.destination, rf.date, rf.price FROM reservation_flights rf "
        "LEFT JOIN flights f ON f.flight_number = rf.flight_number WHERE rf.reservation_id = ? ORDER BY rf.position",
        (reservation_id,),
    )
    passengers = ctx.query(
        "SELECT first_name, last_name, dob FROM reservation_passengers WHERE reservation_id = ? ORDER BY position",
        (reservation_id,),
    )
    history = ctx.query(
        "SELECT payment_id, amount FROM payments WHERE reservation_id = ? ORDER BY position", (reservation_id,)
    )
    return {
        "reservation_id": reservation_id,
        "user_id": reservation["user_id"],
        "origin": reservation["origin"],
        "destination": reservation["destination"],
        "flight_type": reservation["flight_type"],
        "cabin": reservation["cabin"],
        "flights": flights,  # type: ignore[typeddict-item]
        "passengers": passengers,  # type: ignore[typeddict-item]
        "payment_history": history,  # type: ignore[typeddict-item]
        "created_at": reservation["created_at"],
        "total_baggages": reservation["total_baggages"],
        "nonfree_baggages": reservation["nonfree_baggages"],
        "insurance": reservation["insurance"],
        "status": reservation["status"],
    }


def _open_reservation(ctx: ToolContext, reservation_id: str) -> dict[str, Any]:
    reservation = _reservation(ctx, reservation_id)
    if reservation["status"] == "cancelled":
        raise DomainError(f"Reservation {reservation['reservation_id']} is cancelled and can no longer be changed.")
    return reservation


def _new_reservation_id(ctx: ToolContext) -> str:
    reservations = ctx.rows(Reservation)
    while True:
        candidate = ctx.new_id()
        if reservations.get(candidate) is None:
            return candidate


# --------------------------------------------------------------------------------------------------
# Tools: reads
# --------------------------------------------------------------------------------------------------


@env.read(
    intents=[
        "look up my profile, my user id is {user_id}",
        "what payment methods and reservations do I have on file? (user {user_id})",
        "what is my membership level? I'm {user_id}",
    ]
)
def get_user_details(ctx: ToolContext, user_id: str) -> UserView:
    """Look up a member's profile: name, address, email, date of birth, membership level, saved payment
    methods (with gift card and certificate balances), saved passengers and the ids of their reservations.

    Args:
        user_id: The member's user id, such as 'alex_moreno_3021'.
    """
    user = _user(ctx, user_id)
    uid = user["user_id"]
    methods: dict[str, Any] = {}
    for method in ctx.query(
        "SELECT payment_id, source, brand, last_four, balance_cents FROM payment_methods WHERE user_id = ? "
        "ORDER BY position",
        (uid,),
    ):
        if method["source"] == "credit_card":
            methods[method["payment_id"]] = {
                "source": "credit_card",
                "id": method["payment_id"],
                "brand": method["brand"],
                "last_four": method["last_four"],
            }
        else:
            methods[method["payment_id"]] = {
                "source": method["source"],
                "id": method["payment_id"],
                "amount": (method["balance_cents"] or 0) / 100,
            }
    saved = ctx.query(
        "SELECT first_name, last_name, dob FROM saved_passengers WHERE user_id = ? ORDER BY position", (uid,)
    )
    reservations = ctx.query(
        "SELECT reservation_id FROM reservations WHERE user_id = ? AND user_position IS NOT NULL "
        "ORDER BY user_position",
        (uid,),
    )
    return {
        "user_id": uid,
        "name": {"first_name": user["first_name"], "last_name": user["last_name"]},
        "address": {
            "address1": user["address1"],
            "address2": user["address2"],
            "city": user["city"],
            "country": user["country"],
            "state": user["state"],
            "zip": user["zip"],
        },
        "email": user["email"],
        "dob": user["dob"],
        "payment_methods": methods,
        "saved_passengers": saved,  # type: ignore[typeddict-item]
        "membership": user["membership"],
        "reservations": [r["reservation_id"] for r in reservations],
    }


@env.read(
    intents=[
        "look up my reservation {reservation_id}",
        "what flights and passengers are on booking {reservation_id}?",
        "how much did I pay for reservation {reservation_id}?",
    ]
)
def get_reservation_details(ctx: ToolContext, reservation_id: str) -> ReservationView:
    """Look up a reservation: trip, cabin, flight segments with the price paid per passenger, passengers,
    payment history (charges positive, refunds negative), creation time, checked bags, travel insurance
    and whether it is cancelled.

    Args:
        reservation_id: The six-character reservation code, such as 'K3V9QA'.
    """
    return _reservation_view(ctx, _reservation(ctx, reservation_id))


@env.read(intents=["which airports do you fly to?", "list the cities your airline serves"])
def list_all_airports(ctx: ToolContext) -> list[AirportCode]:
    """List every airport the airline serves, as IATA code and city."""
    return ctx.query("SELECT iata, city FROM airports ORDER BY iata")  # type: ignore[return-value]


_DIRECT_COLUMNS = (
    "f{n}.flight_number AS flight_number{n}, f{n}.origin AS origin{n}, f{n}.destination AS destination{n}, "
    "f{n}.scheduled_departure_time_est AS departure{n}, f{n}.scheduled_arrival_time_est AS arrival{n}, "
    "d{n}.date AS date{n}, d{n}.seats_basic_economy AS seats_be{n}, d{n}.seats_economy AS seats_e{n}, "
    "d{n}.seats_business AS seats_b{n}, d{n}.price_basic_economy AS price_be{n}, "
    "d{n}.price_economy AS price_e{n}, d{n}.price_business AS price_b{n}"
)


def _direct_flight(row: dict[str, Any], n: int) -> DirectFlight:
    return {
        "flight_number": row[f"flight_number{n}"],
        "origin": row[f"origin{n}"],
        "destination": row[f"destination{n}"],
        "status": "available",
        "scheduled_departure_time_est": row[f"departure{n}"],
        "scheduled_arrival_time_est": row[f"arrival{n}"],
        "date": row[f"date{n}"],
        "available_seats": {
            "basic_economy": row[f"seats_be{n}"],
            "economy": row[f"seats_e{n}"],
            "business": row[f"seats_b{n}"],
        },
        "prices": {"basic_economy": row[f"price_be{n}"], "economy": row[f"price_e{n}"], "business": row[f"price_b{n}"]},
    }


@env.read(
    intents=[
        "find nonstop flights from {origin} to {destination} on {date}",
        "are there direct flights {origin} to {destination} on {date}?",
    ]
)
def search_direct_flight(ctx: ToolContext, origin: str, destination: str, date: str) -> list[DirectFlight]:
    """Search the nonstop flights between two airports on a date that are open for booking, with seats
    left and fares per cabin. Flights that are delayed, on time, flying, landed or cancelled on that date
    are not for sale and are not listed.

    Args:
        origin: The departure airport's IATA code, such as 'JFK'.
        destination: The arrival airport's IATA code, such as 'LAX'.
        date: The travel date as 'YYYY-MM-DD', such as '2024-05-20'.
    """
    origin, destination, date = _airport(ctx, origin), _airport(ctx, destination), _date(date)
    rows = ctx.query(
        # CROSS JOIN fixes the join order (flights first, then the dated instance by key): without
        # statistics SQLite would otherwise scan every flight instance.
        f"SELECT {_DIRECT_COLUMNS.format(n=1)} FROM flights f1 CROSS JOIN flight_dates d1 "
        "ON d1.flight_number = f1.flight_number AND d1.date = ? AND d1.status = 'available' "
        "WHERE f1.origin = ? AND f1.destination = ? ORDER BY f1.scheduled_departure_time_est, f1.flight_number",
        (date, origin, destination),
    )
    return [_direct_flight(row, 1) for row in rows]


@env.read(
    intents=[
        "find connecting flights with one stop from {origin} to {destination} on {date}",
        "I don't mind a layover: how can I get from {origin} to {destination} on {date}?",
    ]
)
def search_onestop_flight(ctx: ToolContext, origin: str, destination: str, date: str) -> list[list[DirectFlight]]:
    """Search one-stop connections between two airports leaving on a date: pairs of bookable flights where
    the second leaves the connecting airport no earlier than the first arrives (the next day when the
    first arrives after midnight). Each result is a two-element list [first leg, second leg].

    Args:
        origin: The departure airport's IATA code, such as 'JFK'.
        destination: The final arrival airport's IATA code, such as 'LAX'.
        date: The departure date of the first leg as 'YYYY-MM-DD', such as '2024-05-20'.
    """
    origin, destination, date = _airport(ctx, origin), _airport(ctx, destination), _date(date)
    rows = ctx.query(
        f"SELECT {_DIRECT_COLUMNS.format(n=1)}, {_DIRECT_COLUMNS.format(n=2)} "
        "FROM flights f1 CROSS JOIN flight_dates d1 "
        "ON d1.flight_number = f1.flight_number AND d1.date = ?1 AND d1.status = 'available' "
        "CROSS JOIN flights f2 ON f2.origin = f1.destination AND f2.destination = ?3 "
        "CROSS JOIN flight_dates d2 ON d2.flight_number = f2.flight_number AND d2.status = 'available' AND d2.date = "
        "CASE WHEN f1.scheduled_arrival_time_est LIKE '%+1' THEN date(?1, '+1 day') ELSE ?1 END "
        "WHERE f1.origin = ?2 AND f1.destination <> ?3 "
        "AND f2.scheduled_departure_time_est >= substr(f1.scheduled_arrival_time_est, 1, 8) "
        "ORDER BY f1.scheduled_departure_time_est, f1.flight_number, f2.scheduled_departure_time_est, "
        "f2.flight_number",
        (date, origin, destination),
    )
    return [[_direct_flight(row, 1), _direct_flight(row, 2)] for row in rows]


@env.read(
    intents=[
        "what's the status of flight {flight_number} on {date}?",
        "has flight {flight_number} on {date} been delayed or cancelled?",
    ]
)
def get_flight_status(ctx: ToolContext, flight_number: str, date: str) -> str:
    """Get the status of one flight on one date: 'available' (open for booking), 'on time', 'delayed',
    'flying', 'landed' or 'cancelled'.

    Args:
        flight_number: The flight number, such as 'HAT042'.
        date: The date of the flight as 'YYYY-MM-DD', such as '2024-05-15'.
    """
    flight = _flight(ctx, flight_number)
    return str(_flight_date(ctx, flight["flight_number"], _date(date))["status"])


_OPERATORS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}


def _evaluate(node: ast.AST) -> float:
    if isinstance(node, ast.Expression):
        return _evaluate(node.body)
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
        return float(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.UAdd | ast.USub):
        value = _evaluate(node.operand)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        return float(_OPERATORS[type(node.op)](_evaluate(node.left), _evaluate(node.right)))
    raise DomainError("The expression may only combine numbers with +, -, *, / and parentheses.")


@env.read(intents=["what is {expression}?", "can you work out {expression} for me?"])
def calculate(ctx: ToolContext, expression: str) -> str:
    """Evaluate an arithmetic expression and return the result rounded to two decimals, such as fare
    differences or totals.

    Args:
        expression: The arithmetic to evaluate, such as '2 * (350 - 122)'. Only numbers, +, -, *, /,
            parentheses and spaces are allowed.
    """
    if not expression.strip() or len(expression) > 500 or any(ch not in "0123456789+-*/(). " for ch in expression):
        raise DomainError("The expression may only contain numbers, +, -, *, /, parentheses and spaces.")
    try:
        value = _evaluate(ast.parse(expression, mode="eval"))
    except SyntaxError:
        raise DomainError(f"'{expression}' is not a well-formed arithmetic expression.") from None
    except ZeroDivisionError:
        raise DomainError("The expression divides by zero.") from None
    except (OverflowError, RecursionError):
        raise DomainError("The expression is too large to compute.") from None
    if not math.isfinite(value):
        raise DomainError("The result is too large to compute.")
    return str(round(value, 2))


@env.write(
    intents=["I want to talk to a human agent about {summary}", "please transfer me to a person: {summary}"],
    terminal=True,
)
def transfer_to_human_agents(ctx: ToolContext, summary: str) -> str:
    """Hand the conversation over to a human agent, with a summary of the customer's issue. Only transfer
    when the customer explicitly asks for a human, or when their request cannot be handled with the
    available tools under the airline's policy.

    Args:
        summary: A short summary of the customer's issue and what has been done so far.
    """
    if not summary.strip():
        raise DomainError("Give the human agent a short summary of the customer's issue.")
    ctx.rows(Handoff).insert(handoff_id=ctx.new_id(), summary=summary.strip(), created_at=ctx.now.isoformat())
    return "Transfer successful"


# --------------------------------------------------------------------------------------------------
# Tools: writes
# --------------------------------------------------------------------------------------------------


@env.write(
    intents=[
        "book a {flight_type} {cabin} trip from {origin} to {destination} for me, user {user_id}",
        "I'd like to fly from {origin} to {destination} in {cabin} with {total_baggages} checked bags",
        "get me a ticket from {origin} to {destination}; travel insurance: {insurance}",
    ]
)
def book_reservation(
    ctx: ToolContext,
    user_id: str,
    origin: str,
    destination: str,
    flight_type: FlightType,
    cabin: CabinClass,
    flights: list[FlightInfo],
    passengers: list[PassengerInfo],
    payment_methods: list[PaymentInfo],
    total_baggages: int,
    nonfree_baggages: int,
    insurance: Insurance,
) -> ReservationView:
    """Book a new reservation for a member. Every flight must be open for booking ('available') with enough
    seats in the cabin for all passengers, who all fly the same flights in the same cabin (at most five
    passengers). The price is the sum of the current fares times the number of passengers, plus $30 per
    passenger for travel insurance, plus $50 per checked bag beyond the free allowance (per passenger, by
    the member's tier and the cabin: regular 0/1/2, silver 1/2/3, gold 2/3/4 bags in
    basic economy/economy/business). The payments must add up to exactly that price and use saved payment methods only:
    at most one travel certificate, one credit card and three gift cards, each with enough balance. A
    certificate is used up by the booking (any remainder is forfeited).

    Args:
        user_id: The id of the member making the booking, such as 'alex_moreno_3021'.
        origin: IATA code of the airport where the trip starts, such as 'SFO'.
        destination: IATA code of the trip's destination, such as 'JFK' (for a round trip, the
            farthest point before returning to the origin).
        flight_type: 'one_way' or 'round_trip'.
        cabin: 'basic_economy', 'economy' or 'business', the same for every flight.
        flights: Every flight segment in the order flown, each as {'flight_number': 'HAT042',
            'date': '2024-05-20'}.
        passengers: Each passenger as {'first_name': ..., 'last_name': ..., 'dob': 'YYYY-MM-DD'}.
        payment_methods: How the price is paid, each as {'payment_id': 'credit_card_1234567',
            'amount': 250} with whole-dollar amounts.
        total_baggages: The total number of checked bags on the reservation.
        nonfree_baggages: How many of those bags are beyond the free allowance and paid at $50 each.
        insurance: 'yes' to buy travel insurance for every passenger, 'no' otherwise.
    """
    user = _user(ctx, user_id)
    uid = user["user_id"]
    origin, destination = _airport(ctx, origin), _airport(ctx, destination)
    people = _passengers(ctx, passengers)
    count = len(people)
    if not 1 <= count <= MAX_PASSENGERS:
        raise DomainError(f"A reservation has between 1 and {MAX_PASSENGERS} passengers, not {count}.")
    legs = _resolve_flights(ctx, flights)
    _check_itinerary(legs, origin, destination, flight_type)
    instances = [_check_bookable(ctx, leg, cabin, count) for leg in legs]

    _check_bag_counts(total_baggages, nonfree_baggages, count)
    per_passenger = _free_bags(ctx, user["membership"], cabin)
    allowance = per_passenger * count
    expected = max(0, total_baggages - allowance)
    if nonfree_baggages != expected:
        raise DomainError(
            f"As a {user['membership']} member in {CABIN_LABELS[cabin]}, each passenger has {per_passenger} free "
            f"checked bag(s), {allowance} for {count} passenger(s); {total_baggages} bag(s) means "
            f"nonfree_baggages must be {expected}, not {nonfree_baggages}."
        )

    fares = [int(instance[f"price_{cabin}"]) for instance in instances]
    total = sum(fares) * count + (INSURANCE_PRICE * count if insurance == "yes" else 0) + BAG_PRICE * nonfree_baggages

    if not payment_methods:
        raise DomainError(f"Payment is needed: the total price is {_usd(total)}.")
    used: list[tuple[dict[str, Any], int]] = []
    kinds: Counter[str] = Counter()
    for payment in payment_methods:
        amount = payment["amount"]
        method = _method(ctx, uid, payment["payment_id"])
        if any(m["payment_id"] == method["payment_id"] for m, _ in used):
            raise DomainError(f"Payment method {method['payment_id']} is listed twice; give it one amount.")
        if amount <= 0:
            raise DomainError(
                f"Payment amounts must be positive whole dollars (got {amount} for {method['payment_id']})."
            )
        kinds[method["source"]] += 1
        if kinds[method["source"]] > PAYMENT_LIMITS[method["source"]]:
            limit = PAYMENT_LIMITS[method["source"]]
            raise DomainError(
                f"A reservation can use at most {limit} {PAYMENT_LABELS[method['source']]}{'s' if limit > 1 else ''}."
            )
        if method["source"] != "credit_card" and (method["balance_cents"] or 0) < amount * 100:
            raise DomainError(
                f"Not enough balance on {method['payment_id']}: "
                f"{_usd((method['balance_cents'] or 0) / 100)} left, {_usd(amount)} requested."
            )
        used.append((method, amount))
    paid = sum(amount for _, amount in used)
    if paid != total:
        raise DomainError(f"The payments add up to {_usd(paid)}, but the total price is {_usd(total)}.")

    reservation_id = _new_reservation_id(ctx)
    position = ctx.query(
        "SELECT COALESCE(MAX(user_position) + 1, 0) AS next FROM reservations WHERE user_id = ?", (uid,)
    )[0]["next"]
    reservation = ctx.rows(Reservation).insert(
        reservation_id=reservation_id,
        user_id=uid,
        user_position=position,
        origin=origin,
        destination=destination,
        flight_type=flight_type,
        cabin=cabin,
        created_at=ctx.now.isoformat(),
        total_baggages=total_baggages,
        nonfree_baggages=nonfree_baggages,
        insurance=insurance,
        status=None,
    )
    segments, instance_rows = ctx.rows(ReservationFlight), ctx.rows(FlightDate)
    for index, (leg, instance, fare) in enumerate(zip(legs, instances, fares, strict=True)):
        segments.insert(
            reservation_id=reservation_id,
            position=index,
            flight_number=leg["flight_number"],
            date=leg["date"],
            price=fare,
        )
        instance_rows.update(
            (leg["flight_number"], leg["date"]), **{f"seats_{cabin}": instance[f"seats_{cabin}"] - count}
        )
    travellers = ctx.rows(ReservationPassenger)
    for index, person in enumerate(people):
        travellers.insert(reservation_id=reservation_id, position=index, **person)
    history, wallet = ctx.rows(Payment), ctx.rows(PaymentMethod)
    for index, (method, amount) in enumerate(used):
        history.insert(reservation_id=reservation_id, position=index, payment_id=method["payment_id"], amount=amount)
        key = (uid, method["payment_id"])
        if method["source"] == "gift_card":
            wallet.update(key, balance_cents=method["balance_cents"] - amount * 100)
        elif method["source"] == "certificate":
            wallet.delete(*key)
    return _reservation_view(ctx, reservation)


@env.write(
    intents=[
        "cancel my reservation {reservation_id}",
        "I need to cancel booking {reservation_id} because of {reason}",
    ]
)
def cancel_reservation(
    ctx: ToolContext, reservation_id: str, reason: CancellationReason | None = None
) -> ReservationView:
    """Cancel a whole reservation and refund every payment to the payment method it came from (the refund
    reaches the customer in 5 to 7 business days). Refused when any flight of the reservation has already
    been flown. Otherwise allowed only if the reservation was booked within the last 24 hours, or the
    airline cancelled one of its flights, or it is in business class, or it has travel insurance and the
    reason is one the insurance covers (health or weather).

    Args:
        reservation_id: The reservation code, such as 'K3V9QA'.
        reason: Why the customer cancels: 'change_of_plan', 'airline_cancelled', 'health', 'weather' or
            'other'. Travel insurance covers only 'health' and 'weather'. When omitted, the reason is taken
            to be one the insurance covers, so establish it with the customer first.
    """
    reservation = _reservation(ctx, reservation_id)
    rid = reservation["reservation_id"]
    if reservation["status"] == "cancelled":
        raise DomainError(f"Reservation {rid} is already cancelled.")
    segments = _segments(ctx, rid)
    for segment in segments:
        if segment["status"] in FLOWN_STATUSES:
            raise DomainError(
                f"Flight {segment['flight_number']} on {segment['date']} of reservation {rid} has "
                "already been flown, so the reservation can no longer be cancelled."
            )
    airline_cancelled = any(segment["status"] == "cancelled" for segment in segments)
    if reason == "airline_cancelled" and not airline_cancelled:
        raise DomainError(f"None of the flights of reservation {rid} has been cancelled by the airline.")
    recent = reservation["created_at"] >= (ctx.now - dt.timedelta(hours=24)).isoformat()
    insured = reservation["insurance"] == "yes" and (reason is None or reason in INSURED_REASONS)
    if not (recent or airline_cancelled or reservation["cabin"] == "business" or insured):
        situation = (
            f"its travel insurance does not cover '{reason}' (only health or weather)"
            if reservation["insurance"] == "yes"
            else "it has no travel insurance"
        )
        raise DomainError(
            f"Reservation {rid} cannot be cancelled for a refund: it was booked more than 24 hours ago "
            f"({reservation['created_at']}), it is in {CABIN_LABELS[reservation['cabin']]} rather than business, "
            f"none of its flights was cancelled by the airline, and {situation}."
        )
    payments = ctx.rows(Payment)
    history = payments.find({"reservation_id": rid}, order_by="position")
    for index, payment in enumerate(history):
        payments.insert(
            reservation_id=rid,
            position=len(history) + index,
            payment_id=payment["payment_id"],
            amount=-payment["amount"],
        )
    ctx.rows(Reservation).update(rid, status="cancelled")
    count = ctx.rows(ReservationPassenger).count({"reservation_id": rid})
    for segment in segments:
        _move_seats(ctx, segment["flight_number"], segment["date"], reservation["cabin"], count)
    return _reservation_view(ctx, {**reservation, "status": "cancelled"})


@env.write(
    intents=[
        "change the flights on my reservation {reservation_id}",
        "move reservation {reservation_id} to other flights and settle the fare difference on {payment_id}",
        "upgrade my reservation {reservation_id} to {cabin}",
    ]
)
def update_reservation_flights(
    ctx: ToolContext, reservation_id: str, cabin: CabinClass, flights: list[FlightInfo], payment_id: str
) -> ReservationView:
    """Change the flights and/or the cabin of a reservation. Give the complete new list of flights, including
    segments that stay the same; a kept segment keeps the price paid for it, a new one costs today's fare.
    The fare difference for all passengers is charged to, or refunded on, one saved credit card or gift card
    (never a certificate). Rules: the origin, destination and trip type cannot change; basic economy
    flights cannot be changed, though the cabin of any reservation can; a flight already flown cannot be
    changed, and then the cabin cannot change either; the cabin is the same on every flight.

    Args:
        reservation_id: The reservation code, such as 'K3V9QA'.
        cabin: The cabin for the whole reservation: 'basic_economy', 'economy' or 'business'.
        flights: Every flight segment of the new itinerary in the order flown, unchanged ones included,
            each as {'flight_number': 'HAT042', 'date': '2024-05-20'}.
        payment_id: The saved credit card or gift card that pays or receives the difference, such as
            'credit_card_1234567' or 'gift_card_7654321'.
    """
    reservation = _open_reservation(ctx, reservation_id)
    rid, old_cabin = reservation["reservation_id"], reservation["cabin"]
    legs = _resolve_flights(ctx, flights)
    current = _segments(ctx, rid)
    current_keys = [(s["flight_number"], s["date"]) for s in current]
    new_keys = [(leg["flight_number"], leg["date"]) for leg in legs]
    same_flights = sorted(current_keys) == sorted(new_keys)
    if same_flights and cabin == old_cabin:
        raise DomainError(f"Reservation {rid} already has exactly these flights in {CABIN_LABELS[cabin]}.")
    if old_cabin == "basic_economy" and not same_flights:
        raise DomainError(
            f"Reservation {rid} is basic economy: its flights cannot be changed (its cabin can be "
            "upgraded without changing the flights)."
        )
    for segment in current:
        if segment["status"] not in FLOWN_STATUSES:
            continue
        if cabin != old_cabin:
            raise DomainError(
                f"The cabin of reservation {rid} cannot be changed because flight "
                f"{segment['flight_number']} on {segment['date']} has already been flown."
            )
        if (segment["flight_number"], segment["date"]) not in new_keys:
            raise DomainError(
                f"Flight {segment['flight_number']} on {segment['date']} has already been flown "
                f"and must stay on reservation {rid}."
            )
    if not same_flights:
        _check_itinerary(
            legs,
            reservation["origin"],
            reservation["destination"],
            reservation["flight_type"],
            prefix="The origin, destination and trip type of a reservation cannot change: ",
        )
    count = ctx.rows(ReservationPassenger).count({"reservation_id": rid})
    # As in tau2, a segment is kept (at its old price) only when neither it nor the cabin changes.
    kept = {key: s for s, key in zip(current, current_keys, strict=True) if key in new_keys and cabin == old_cabin}
    prices = []
    for leg, key in zip(legs, new_keys, strict=True):
        if key in kept:
            prices.append(int(kept[key]["price"]))
        else:
            prices.append(int(_check_bookable(ctx, leg, cabin, count)[f"price_{cabin}"]))
    difference = (sum(prices) - sum(int(s["price"]) for s in current)) * count
    method = _update_payment(ctx, reservation["user_id"], payment_id, difference)

    for segment in current:
        if (segment["flight_number"], segment["date"]) not in kept:
            _move_seats(ctx, segment["flight_number"], segment["date"], old_cabin, count)
    segments = ctx.rows(ReservationFlight)
    for index, (leg, key, price) in enumerate(zip(legs, new_keys, prices, strict=True)):
        if key not in kept:
            _move_seats(ctx, key[0], key[1], cabin, -count)
        values = {"flight_number": leg["flight_number"], "date": leg["date"], "price": price}
        if index < len(current):
            if (current_keys[index], current[index]["price"]) != (key, price):
                segments.update((rid, index), **values)
        else:
            segments.insert(reservation_id=rid, position=index, **values)
    for index in range(len(legs), len(current)):
        segments.delete(rid, index)
    _charge(ctx, rid, method, difference)
    if cabin != old_cabin:
        ctx.rows(Reservation).update(rid, cabin=cabin)
    return _reservation_view(ctx, {**reservation, "cabin": cabin})


@env.write(
    intents=[
        "add bags to my booking {reservation_id} so it has {total_baggages} checked bags",
        "I need {total_baggages} checked bags in total on reservation {reservation_id}, pay with {payment_id}",
    ]
)
def update_reservation_baggages(
    ctx: ToolContext, reservation_id: str, total_baggages: int, nonfree_baggages: int, payment_id: str
) -> ReservationView:
    """Add checked bags to a reservation (bags cannot be removed). Bags within the free allowance cost nothing
    (per passenger, by the member's tier and the cabin: regular 0/1/2, silver 1/2/3, gold 2/3/4 bags in
    basic economy/economy/business); each further bag costs $50, charged to one saved credit card or gift
    card (never a certificate).

    Args:
        reservation_id: The reservation code, such as 'K3V9QA'.
        total_baggages: The new total number of checked bags on the reservation.
        nonfree_baggages: How many of those bags are beyond the free allowance and paid for.
        payment_id: The saved credit card or gift card that pays for the extra bags, such as
            'credit_card_1234567' or 'gift_card_7654321'.
    """
    reservation = _open_reservation(ctx, reservation_id)
    rid = reservation["reservation_id"]
    old_total, old_nonfree = reservation["total_baggages"], reservation["nonfree_baggages"]
    if total_baggages < old_total or nonfree_baggages < old_nonfree:
        raise DomainError(
            f"Checked bags can only be added: reservation {rid} has {old_total} bag(s), "
            f"{old_nonfree} of them paid, and these cannot go down."
        )
    if (total_baggages, nonfree_baggages) == (old_total, old_nonfree):
        raise DomainError(f"Reservation {rid} already has {old_total} checked bag(s), {old_nonfree} of them paid.")
    count = ctx.rows(ReservationPassenger).count({"reservation_id": rid})
    _check_bag_counts(total_baggages, nonfree_baggages, count)
    user = _user(ctx, reservation["user_id"])
    per_passenger = _free_bags(ctx, user["membership"], reservation["cabin"])
    allowance = per_passenger * count
    # Bags already paid for stay paid; new bags are free until the allowance is used up.
    expected = max(old_nonfree, total_baggages - allowance, 0)
    if nonfree_baggages != expected:
        raise DomainError(
            f"As a {user['membership']} member in {CABIN_LABELS[reservation['cabin']]}, each passenger has "
            f"{per_passenger} free checked bag(s), {allowance} for {count} passenger(s); {total_baggages} bag(s) "
            f"means nonfree_baggages must be {expected}, not {nonfree_baggages}."
        )
    fee = BAG_PRICE * (nonfree_baggages - old_nonfree)
    method = _update_payment(ctx, user["user_id"], payment_id, fee)
    _charge(ctx, rid, method, fee)
    ctx.rows(Reservation).update(rid, total_baggages=total_baggages, nonfree_baggages=nonfree_baggages)
    return _reservation_view(
        ctx, {**reservation, "total_baggages": total_baggages, "nonfree_baggages": nonfree_baggages}
    )


@env.write(
    intents=[
        "update the passenger details on reservation {reservation_id}",
        "correct a traveller's name or date of birth on booking {reservation_id}",
    ]
)
def update_reservation_passengers(
    ctx: ToolContext, reservation_id: str, passengers: list[PassengerInfo]
) -> ReservationView:
    """Replace the names and dates of birth of a reservation's passengers. The number of passengers cannot
    change: list exactly as many passengers as the reservation has, in order.

    Args:
        reservation_id: The reservation code, such as 'K3V9QA'.
        passengers: Every passenger of the reservation as {'first_name': ..., 'last_name': ...,
            'dob': 'YYYY-MM-DD'}, unchanged ones included.
    """
    reservation = _open_reservation(ctx, reservation_id)
    rid = reservation["reservation_id"]
    rows = ctx.rows(ReservationPassenger)
    current = rows.find({"reservation_id": rid}, order_by="position")
    people = _passengers(ctx, passengers)
    if len(people) != len(current):
        raise DomainError(
            f"Reservation {rid} has {len(current)} passenger(s); the number of passengers cannot "
            f"be changed, so list exactly {len(current)}."
        )
    changed = False
    for old, new in zip(current, people, strict=True):
        if any(old[k] != v for k, v in new.items()):
            rows.update((rid, old["position"]), **new)
            changed = True
    if not changed:
        raise DomainError(f"Reservation {rid} already lists exactly these passengers.")
    return _reservation_view(ctx, reservation)


@env.write(
    intents=[
        "I was promised a ${amount} travel certificate for the trouble; my user id is {user_id}",
        "please add the ${amount} compensation voucher to my profile ({user_id})",
    ]
)
def send_certificate(ctx: ToolContext, user_id: str, amount: int) -> str:
    """Issue a travel certificate to a member as compensation; it is added to their saved payment methods
    and can pay for a future booking. Use only as the airline's policy allows, after confirming the facts.

    Args:
        user_id: The id of the member receiving the certificate, such as 'alex_moreno_3021'.
        amount: The certificate's value in whole dollars.
    """
    user = _user(ctx, user_id)
    uid = user["user_id"]
    if not 0 < amount <= MAX_CERTIFICATE:
        raise DomainError(f"A certificate is worth a positive number of dollars, at most {_usd(MAX_CERTIFICATE)}.")
    wallet = ctx.rows(PaymentMethod)
    while True:
        payment_id = f"certificate_{ctx.new_id(7, string.digits)}"
        if wallet.get(uid, payment_id) is None:
            break
    position = ctx.query(
        "SELECT COALESCE(MAX(position) + 1, 0) AS next FROM payment_methods WHERE user_id = ?", (uid,)
    )[0]["next"]
    wallet.insert(
        user_id=uid,
        payment_id=payment_id,
        position=position,
        source="certificate",
        brand=None,
        last_four=None,
        balance_cents=amount * 100,
    )
    return f"Certificate {payment_id} added to user {uid} with amount {amount}."
