"""State: the service's tables (SQLAlchemy models) and the constants they share."""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from envfactory_gym.authoring import ServiceClockMixin

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


_FLIGHT_DATE_COLUMNS = tuple(c.name for c in FlightDate.__table__.columns)


def _flight_date_row(values: dict[str, Any]) -> dict[str, Any]:
    """A complete flight_dates row (executemany needs every row to name the same columns)."""
    return {name: values.get(name) for name in _FLIGHT_DATE_COLUMNS}
