"""State: the service's tables (SQLAlchemy models) and the constants they share."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from sqlalchemy import JSON, Float, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from ...bfcl.reference import (
    TRAVEL_AIRPORTS,
    TRAVEL_EXCHANGE_RATES,
    TRAVEL_ROUTES,
    differing_tables,
)

ACCOUNT_KEY = 1
DEFAULT_NOW = "2025-06-02T09:00:00"
TOKEN_LIFETIME = 2  # BFCL's expires_in: a count, never decremented
TRAVEL_CLASS_FACTORS = {"economy": 1, "business": 2, "first": 5}
GRANT_TYPES = ("read_write", "read", "write")
MINIMUM_TRAVELLER_AGE = 18
EXTENSION_KEY = "envfactory"
SUPPORT_REPLY = (
    "Thank you for contacting customer support. Your message has been received and we will get back to you shortly."
)

# --------------------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------------------


class Base(DeclarativeBase):
    pass


class TravelAccount(Base):
    """The signed-in account: one row. Token fields are BFCL's; None means never signed in."""

    __tablename__ = "travel_account"
    account_key: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_first_name: Mapped[str | None] = mapped_column(String(60))
    user_last_name: Mapped[str | None] = mapped_column(String(60))
    # The traveller holds the current token, as in BFCL's initial configs (a value they can quote).
    access_token: Mapped[str | None] = mapped_column(String(64), info={"user_known": True})
    token_type: Mapped[str | None] = mapped_column(String(20))
    token_expires_in: Mapped[int | None] = mapped_column(Integer)
    token_scope: Mapped[str | None] = mapped_column(String(40))
    budget_limit: Mapped[float | None] = mapped_column(Float)
    budget_fiscal_year: Mapped[str] = mapped_column(String(8))
    # App credentials and travel documents of the account holder (not in BFCL's state).
    client_id: Mapped[str | None] = mapped_column(String(40), info={"user_known": True})
    client_secret: Mapped[str | None] = mapped_column(String(64))
    refresh_token: Mapped[str | None] = mapped_column(String(64))
    date_of_birth: Mapped[str | None] = mapped_column(String(10))
    passport_number: Mapped[str | None] = mapped_column(String(20))
    # Position in BFCL's seeded id stream, and the service clock.
    random_seed: Mapped[int] = mapped_column(Integer)
    # Service-maintained (every draw advances it): not part of what a correct update must match.
    random_words_used: Mapped[int] = mapped_column(Integer, default=0, info={"generated": True})
    current_time: Mapped[str] = mapped_column(String(19))


class BfclMode(Base):
    """The BFCL modes the state was loaded in, one row each (none normally). In ``long_context`` mode fares
    list every route and bookings return the whole history (see bfcl.long_context)."""

    __tablename__ = "bfcl_modes"
    name: Mapped[str] = mapped_column(String(20), primary_key=True)


def _card_label(row: dict[str, Any]) -> str | None:
    """How the holder names a card: its network and last four digits ("my Visa ending in 1158")."""
    number = row.get("card_number")
    if not number:
        return None
    extra = row.get("extra")
    if isinstance(extra, str):  # the JSON column, as read straight from SQLite
        extra = json.loads(extra or "{}")
    network = (extra or {}).get("card_type") or "card"
    return f"my {network} ending in {str(number)[-4:]}"


class CreditCard(Base):
    __tablename__ = "credit_cards"
    __label__ = staticmethod(_card_label)
    # A long internal number: the holder knows the card by its network and last digits, not by this id.
    card_id: Mapped[str] = mapped_column(String(64), primary_key=True, info={"generated": True, "user_known": False})
    card_number: Mapped[str | None] = mapped_column(String(32))
    expiration_date: Mapped[str | None] = mapped_column(String(10))
    cardholder_name: Mapped[str | None] = mapped_column(String(80))
    card_verification_number: Mapped[int | None] = mapped_column(Integer)
    # A new card's balance is drawn from BFCL's shared id stream, so it depends on how many draws came
    # before (a valid reordering of calls changes it): service-generated, not something a solution chooses.
    balance: Mapped[float | None] = mapped_column(Float, info={"generated": True})
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # other keys of a BFCL card


class Booking(Base):
    __tablename__ = "bookings"
    __label__ = "the {travel_class} flight from {travel_from} to {travel_to} on {travel_date}"
    booking_id: Mapped[str] = mapped_column(String(64), primary_key=True, info={"generated": True, "user_known": True})
    card_id: Mapped[str | None] = mapped_column(String(64), index=True)
    travel_date: Mapped[str | None] = mapped_column(String(10))
    travel_from: Mapped[str | None] = mapped_column(String(3))
    travel_to: Mapped[str | None] = mapped_column(String(3))
    travel_class: Mapped[str | None] = mapped_column(String(10))
    travel_cost: Mapped[float | None] = mapped_column(Float)
    transaction_id: Mapped[str | None] = mapped_column(String(64), info={"generated": True})
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # other keys of a BFCL booking


class InsurancePolicy(Base):
    __tablename__ = "insurance_policies"
    __label__ = "the {insurance_type} insurance"
    insurance_id: Mapped[str] = mapped_column(
        String(16), primary_key=True, info={"generated": True, "user_known": True}
    )
    booking_id: Mapped[str] = mapped_column(String(64), index=True)
    card_id: Mapped[str] = mapped_column(String(64))
    insurance_type: Mapped[str] = mapped_column(String(40))
    insurance_cost: Mapped[float] = mapped_column(Float)


class Airport(Base):
    __tablename__ = "airports"
    __label__ = "the airport of {location}"
    airport_code: Mapped[str] = mapped_column(String(3), primary_key=True, info={"user_known": True})
    location: Mapped[str] = mapped_column(String(60), index=True)
    country: Mapped[str | None] = mapped_column(String(2))


class FlightRoute(Base):
    """A directed route with its economy base fare in USD (BFCL's route table)."""

    __tablename__ = "flight_routes"
    travel_from: Mapped[str] = mapped_column(String(3), primary_key=True)
    travel_to: Mapped[str] = mapped_column(String(3), primary_key=True)
    base_cost: Mapped[float] = mapped_column(Float)


class ExchangeRate(Base):
    """Units of target_currency for one unit of base_currency."""

    __tablename__ = "exchange_rates"
    base_currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    target_currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    rate: Mapped[float] = mapped_column(Float)


# --------------------------------------------------------------------------------------------------
# Scenario interchange: BFCL's initial_config
# --------------------------------------------------------------------------------------------------

_CARD_FIELDS: dict[str, tuple[type, ...]] = {
    "card_number": (str,),
    "expiration_date": (str,),
    "cardholder_name": (str,),
    "card_verification_number": (int,),
    "balance": (int, float),
}
_BOOKING_FIELDS: dict[str, tuple[type, ...]] = {
    "card_id": (str,),
    "travel_date": (str,),
    "travel_from": (str,),
    "travel_to": (str,),
    "travel_class": (str,),
    "travel_cost": (int, float),
    "transaction_id": (str,),
}


def _split_record(record: Any, fields: dict[str, tuple[type, ...]], what: str) -> dict[str, Any]:
    """A BFCL record as column values: typed fields in their columns, everything else in ``extra``."""
    if not isinstance(record, dict):
        raise TypeError(f"{what} must be an object, got {type(record).__name__}")
    values: dict[str, Any] = dict.fromkeys(fields)
    extra: dict[str, Any] = {}
    for key, value in record.items():
        types = fields.get(key)
        if types is not None and isinstance(value, types) and not isinstance(value, bool):
            values[key] = value
        else:
            extra[key] = value
    values["extra"] = extra
    return values


def _join_record(row: dict[str, Any], fields: dict[str, tuple[type, ...]]) -> dict[str, Any]:
    """The BFCL record of a card or booking row (absent fields stay absent)."""
    record = {name: row[name] for name in fields if row[name] is not None}
    record.update(row["extra"] or {})
    return record


# BFCL's reference tables: the extension key, model and columns of each, and their default rows.
_REFERENCE_TABLES: tuple[tuple[str, type[Base], tuple[str, ...]], ...] = (
    ("airports", Airport, ("airport_code", "location", "country")),
    ("flight_routes", FlightRoute, ("travel_from", "travel_to", "base_cost")),
    ("exchange_rates", ExchangeRate, ("base_currency", "target_currency", "rate")),
)
_REFERENCE_DEFAULTS: dict[str, list[dict[str, Any]]] = {
    name: [dict(zip(columns, row, strict=True)) for row in rows]
    for (name, _, columns), rows in zip(
        _REFERENCE_TABLES,
        (
            [(code, location, None) for code, location in TRAVEL_AIRPORTS],
            [tuple(route) for route in TRAVEL_ROUTES],
            [tuple(rate) for rate in TRAVEL_EXCHANGE_RATES],
        ),
        strict=True,
    )
}
# How a dump reads them: (extension key, query, whether order matters) and the defaults compared with.
_DUMPED_REFERENCE = (
    ("airports", "SELECT airport_code, location, country FROM airports ORDER BY rowid", True),
    (
        "flight_routes",
        "SELECT travel_from, travel_to, base_cost FROM flight_routes ORDER BY rowid",
        False,
    ),
    (
        "exchange_rates",
        "SELECT base_currency, target_currency, rate FROM exchange_rates ORDER BY rowid",
        False,
    ),
)
_DEFAULT_REFERENCE = {
    "airports": [(code, location, None) for code, location in TRAVEL_AIRPORTS],
    "flight_routes": sorted(tuple(route) for route in TRAVEL_ROUTES),
    "exchange_rates": sorted(tuple(rate) for rate in TRAVEL_EXCHANGE_RATES),
}


def _reference_extension(conn: sqlite3.Connection) -> tuple[tuple[str, tuple[tuple[Any, ...], ...]], ...]:
    """The reference tables that differ from BFCL's (computed once per snapshot while unchanged)."""
    return differing_tables(conn, _DUMPED_REFERENCE, _DEFAULT_REFERENCE)
