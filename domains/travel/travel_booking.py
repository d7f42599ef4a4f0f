"""Corporate travel booking, compatible with BFCL multi-turn's TravelAPI.

A traveller signs in, keeps a wallet of credit cards, prices and books flights between airports, buys
trip insurance, pulls invoices, cancels bookings (refunded to the card) and sets a travel budget. Tool
names, parameters (with their order and defaults) and returned JSON follow BFCL's ``TravelAPI`` (package
``bfcl-eval``, ``bfcl_eval/eval_checker/multi_turn_eval/func_source_code/travel_booking.py``), and
``scenario_io`` reads and writes its ``initial_config`` (the dict BFCL's ``_load_scenario`` takes), so
BFCL multi-turn tasks start here from their own initial state and their ground-truth calls replay.

Mapping to BFCL:

* **Refusals.** Where BFCL returns ``{"error": msg}`` (or ``{"booking_status": False, "error": msg}``,
  ``{"cancel_status": False, ...}``, ``{"insurance_status": False, ...}``) or raises, this service raises
  ``DomainError`` with the same message ("Token expired", "Invalid access token", "Booking not found",
  "Insufficient funds", ...); the engine shows it as ``Error: msg`` and nothing changes. Successful
  results have BFCL's exact shape. Refusals are atomic, including the few places where BFCL would have
  changed part of its state before failing.
* **Generated values.** Access tokens, card ids, booking, transaction and insurance ids come from BFCL's
  own seeded stream (``random_seed``, default 141053, see :mod:`._bfcl_random`), so they equal the ids
  BFCL's ground truth quotes.
* **State.** The single signed-in account (token, names, budget), the card wallet and the booking record
  are BFCL's; unknown keys of cards and bookings in an ``initial_config`` are kept and dumped back. The
  lookups BFCL hard-codes (airports, route fares, exchange rates) are tables here, filled with BFCL's
  values when an ``initial_config`` is loaded (:mod:`._bfcl_reference`). Extra state BFCL does not have
  (purchased insurance policies, the app credentials and travel documents of the account holder, the
  clock, a seeded state's larger airport network) travels in ``initial_config["envfactory"]``, a key
  BFCL's loader ignores.
* **Stricter than BFCL**, on inputs BFCL's tasks never send: a card number can be registered once (BFCL
  compares it with card ids), ``grant_type`` must be one of its documented values, budgets and insurance
  costs cannot be negative, insurance needs enough balance on the card, and app credentials are checked
  when the account has them (BFCL's states never do). "Today" (for the traveller's age) is the service's
  clock, not the wall clock.

The seeded state (no ``initial_config``) is one account holder, signed in, with app credentials, travel
documents, 6-8 cards, ~45 past and upcoming bookings with insurance on some, ~100 airports (BFCL's plus
real ones) and over a thousand fares between them, and 22 USD exchange rates.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import sqlite3
from typing import Any

from sqlalchemy import JSON, Float, Integer, String, insert
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from typing_extensions import TypedDict

from envfactory_gym.authoring import EnvironmentDefinition, SeedData, ToolContext
from envfactory_gym.errors import DomainError
from envfactory_gym.rows import Rows, bulk_insert, connection_of, fetch_rows, fill_if_empty, replace_rows, state_part

from ._bfcl_random import SeededStream
from ._bfcl_reference import (
    TRAVEL_AIRPORTS,
    TRAVEL_DEFAULT_FISCAL_YEAR,
    TRAVEL_EXCHANGE_RATES,
    TRAVEL_ROUTES,
    TRAVEL_STATE_DEFAULTS,
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


class BfclTravelInterchange:
    """Loads and dumps BFCL TravelAPI ``initial_config`` dicts (plus this service's ``envfactory`` key)."""

    def load(self, conn: sqlite3.Connection, data: dict[str, Any]) -> None:
        config = {**TRAVEL_STATE_DEFAULTS, **data}
        extension = data.get(EXTENSION_KEY)
        extension = {} if extension is None else extension
        if not isinstance(extension, dict):
            raise TypeError(f"'{EXTENSION_KEY}' must be an object")
        cards, bookings = config["credit_card_list"], config["booking_record"]
        if not isinstance(cards, dict) or not isinstance(bookings, dict):
            raise TypeError("credit_card_list and booking_record must be objects keyed by id")
        profile = extension.get("profile") or {}
        bulk_insert(
            conn,
            TravelAccount,
            [
                {
                    "account_key": ACCOUNT_KEY,
                    "user_first_name": config["user_first_name"],
                    "user_last_name": config["user_last_name"],
                    "access_token": None if config["access_token"] is None else str(config["access_token"]),
                    "token_type": config["token_type"],
                    "token_expires_in": config["token_expires_in"],
                    "token_scope": config["token_scope"],
                    "budget_limit": None if config["budget_limit"] is None else float(config["budget_limit"]),
                    "budget_fiscal_year": extension.get("budget_fiscal_year", TRAVEL_DEFAULT_FISCAL_YEAR),
                    "client_id": profile.get("client_id"),
                    "client_secret": profile.get("client_secret"),
                    "refresh_token": profile.get("refresh_token"),
                    "date_of_birth": profile.get("date_of_birth"),
                    "passport_number": profile.get("passport_number"),
                    "random_seed": int(config["random_seed"]),
                    "random_words_used": int(extension.get("random_words_used", 0)),
                    "current_time": extension.get("current_time", DEFAULT_NOW),
                }
            ],
        )
        card_rows = [
            {"card_id": str(card_id), **_split_record(card, _CARD_FIELDS, f"Card {card_id}")}
            for card_id, card in cards.items()
        ]
        booking_rows = [
            {"booking_id": str(booking_id), **_split_record(booking, _BOOKING_FIELDS, f"Booking {booking_id}")}
            for booking_id, booking in bookings.items()
        ]
        bulk_insert(conn, CreditCard, card_rows)
        bulk_insert(conn, Booking, booking_rows)
        # BFCL's reference tables are in place already (see base()); a config may bring its own.
        for name, model, columns in _REFERENCE_TABLES:
            given = extension.get(name)
            if given:
                replace_rows(conn, model, [dict(zip(columns, row, strict=True)) for row in given])
            else:
                fill_if_empty(conn, model, _REFERENCE_DEFAULTS[name])
        bulk_insert(conn, InsurancePolicy, extension.get("insurance_policies") or [])

    def base(self, conn: sqlite3.Connection) -> None:
        """BFCL's reference tables (airports, route fares, exchange rates): what a config without its own gets."""
        for name, model, _ in _REFERENCE_TABLES:
            bulk_insert(conn, model, _REFERENCE_DEFAULTS[name])

    def dump(self, source: Any) -> dict[str, Any]:
        """The state as an ``initial_config`` (``source``: the state's connection, session or database)."""
        conn = connection_of(source)
        account = Rows(conn, TravelAccount).get(ACCOUNT_KEY)
        if account is None:
            raise ValueError("The travel state has no account row")
        config: dict[str, Any] = {
            "random_seed": account["random_seed"],
            "credit_card_list": {card["card_id"]: _card_record(card) for card in fetch_rows(conn, CreditCard)},
            "booking_record": {b["booking_id"]: _booking_record(b) for b in fetch_rows(conn, Booking)},
            "access_token": account["access_token"],
            "token_type": account["token_type"],
            "token_expires_in": account["token_expires_in"],
            "token_scope": account["token_scope"],
            "user_first_name": account["user_first_name"],
            "user_last_name": account["user_last_name"],
            "budget_limit": account["budget_limit"],
        }
        extension: dict[str, Any] = {
            "random_words_used": account["random_words_used"],
            "current_time": account["current_time"],
            "budget_fiscal_year": account["budget_fiscal_year"],
        }
        profile = {
            name: account[name]
            for name in ("client_id", "client_secret", "refresh_token", "date_of_birth", "passport_number")
            if account[name] is not None
        }
        if profile:
            extension["profile"] = profile
        tables = ("airports", "flight_routes", "exchange_rates")
        for name, rows in state_part(source, tables, "travel_booking.reference", _reference_extension):
            extension[name] = [list(row) for row in rows]
        policies = fetch_rows(conn, InsurancePolicy)
        if policies:
            extension["insurance_policies"] = policies
        config[EXTENSION_KEY] = extension
        return config


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


env = EnvironmentDefinition(
    "travel_booking",
    domain="travel",
    models=Base,
    modeled_on="TravelBooking",
    description=(
        "Corporate travel booking (BFCL TravelAPI): sign in, manage credit cards, price and book flights, buy "
        "insurance, get invoices, cancel bookings and set a budget. Most actions need the access token from "
        "authenticate_travel. Fares depend on route, class (business x2, first x5) and date. A booking needs "
        "enough balance on the card, and the card balance must not be below the budget limit."
    ),
    scenario_io=BfclTravelInterchange(),
)


@env.clock
def service_now(conn: sqlite3.Connection) -> dt.datetime:
    row = conn.execute('SELECT "current_time" FROM travel_account WHERE account_key = ?', (ACCOUNT_KEY,)).fetchone()
    return dt.datetime.fromisoformat((row[0] if row else None) or DEFAULT_NOW)


# --------------------------------------------------------------------------------------------------
# Seed data
# --------------------------------------------------------------------------------------------------

# Real airports added to BFCL's network in the seeded state: code, city, country, latitude, longitude.
# BFCL's real airports are listed too (with their BFCL location names) so that they get coordinates.
_WORLD_AIRPORTS = """
ATL|Atlanta|US|33.64|-84.43; DFW|Dallas|US|32.90|-97.04; DEN|Denver|US|39.86|-104.67; SEA|Seattle|US|47.45|-122.31;
MIA|Miami|US|25.79|-80.29; PHX|Phoenix|US|33.43|-112.01; IAH|Houston|US|29.98|-95.34;
LAS|Las Vegas|US|36.08|-115.15; MCO|Orlando|US|28.43|-81.31; MSP|Minneapolis|US|44.88|-93.22;
DTW|Detroit|US|42.21|-83.35; PHL|Philadelphia|US|39.87|-75.24; CLT|Charlotte|US|35.21|-80.94;
SLC|Salt Lake City|US|40.79|-111.98; SAN|San Diego|US|32.73|-117.19; PDX|Portland|US|45.59|-122.60;
AUS|Austin|US|30.19|-97.67; BNA|Nashville|US|36.12|-86.68; DCA|Washington|US|38.85|-77.04;
MSY|New Orleans|US|29.99|-90.26; HNL|Honolulu|US|21.32|-157.92; ANC|Anchorage|US|61.17|-149.99;
STL|St. Louis|US|38.75|-90.37; TPA|Tampa|US|27.98|-82.53; RDU|Raleigh|US|35.88|-78.79; YYZ|Toronto|CA|43.68|-79.63;
YVR|Vancouver|CA|49.19|-123.18; YUL|Montreal|CA|45.47|-73.74; YYC|Calgary|CA|51.13|-114.01;
MEX|Mexico City|MX|19.44|-99.07; CUN|Cancun|MX|21.04|-86.87; GRU|Sao Paulo|BR|-23.43|-46.47;
GIG|Rio de Janeiro|BR|-22.81|-43.25; EZE|Buenos Aires|AR|-34.82|-58.54; SCL|Santiago|CL|-33.39|-70.79;
BOG|Bogota|CO|4.70|-74.15; LIM|Lima|PE|-12.02|-77.11; PTY|Panama City|PA|9.07|-79.38; FRA|Frankfurt|DE|50.04|8.56;
AMS|Amsterdam|NL|52.31|4.76; MAD|Madrid|ES|40.47|-3.56; BCN|Barcelona|ES|41.30|2.08; MUC|Munich|DE|48.35|11.79;
ZRH|Zurich|CH|47.46|8.55; VIE|Vienna|AT|48.11|16.57; CPH|Copenhagen|DK|55.62|12.65; ARN|Stockholm|SE|59.65|17.92;
OSL|Oslo|NO|60.19|11.10; HEL|Helsinki|FI|60.32|24.96; DUB|Dublin|IE|53.42|-6.27; LIS|Lisbon|PT|38.77|-9.13;
BRU|Brussels|BE|50.90|4.48; ATH|Athens|GR|37.94|23.94; IST|Istanbul|TR|41.26|28.74; WAW|Warsaw|PL|52.17|20.97;
PRG|Prague|CZ|50.10|14.26; BUD|Budapest|HU|47.44|19.26; EDI|Edinburgh|GB|55.95|-3.37; MAN|Manchester|GB|53.35|-2.27;
DXB|Dubai|AE|25.25|55.36; DOH|Doha|QA|25.27|51.61; CAI|Cairo|EG|30.12|31.41; JNB|Johannesburg|ZA|-26.14|28.24;
CPT|Cape Town|ZA|-33.97|18.60; NBO|Nairobi|KE|-1.32|36.93; LOS|Lagos|NG|6.58|3.32; CMN|Casablanca|MA|33.37|-7.59;
TLV|Tel Aviv|IL|32.01|34.89; DEL|Delhi|IN|28.56|77.10; BOM|Mumbai|IN|19.09|72.87; BLR|Bangalore|IN|13.20|77.71;
SIN|Singapore|SG|1.36|103.99; BKK|Bangkok|TH|13.69|100.75; KUL|Kuala Lumpur|MY|2.75|101.71;
CGK|Jakarta|ID|-6.13|106.66; MNL|Manila|PH|14.51|121.02; ICN|Seoul|KR|37.46|126.44; PVG|Shanghai|CN|31.14|121.81;
KIX|Osaka|JP|34.43|135.24; TPE|Taipei|TW|25.08|121.23; SYD|Sydney|AU|-33.95|151.18; MEL|Melbourne|AU|-37.67|144.84;
BNE|Brisbane|AU|-27.38|153.12; PER|Perth|AU|-31.94|115.97; AKL|Auckland|NZ|-37.01|174.79;
SFO|San Francisco|US|37.62|-122.38; LAX|Los Angeles|US|33.94|-118.41; JFK|New York|US|40.64|-73.78;
ORD|Chicago|US|41.97|-87.91; BOS|Boston|US|42.36|-71.01; LHR|London|GB|51.47|-0.45; CDG|Paris|FR|49.01|2.55;
CIA|Rome|IT|41.80|12.59; PEK|Beijing|CN|40.08|116.58; HKG|Hong Kong|HK|22.31|113.91; HND|Tokyo|JP|35.55|139.78;
"""

# One US dollar in currencies beyond BFCL's ten (seeded state only).
_EXTRA_RATES = (
    ("CHF", 0.9),
    ("SEK", 10.5),
    ("NOK", 10.6),
    ("DKK", 6.9),
    ("SGD", 1.35),
    ("HKD", 7.8),
    ("KRW", 1330.0),
    ("NZD", 1.6),
    ("ZAR", 18.5),
    ("AED", 3.67),
    ("THB", 35.5),
    ("TRY", 32.0),
)
_CARD_TYPES = ("Visa", "Mastercard", "American Express", "Discover")
_INSURANCE_TYPES = ("comprehensive", "trip cancellation", "medical", "baggage")


def _world_airports() -> list[tuple[str, str, str, float, float]]:
    airports = []
    for entry in _WORLD_AIRPORTS.split(";"):
        if entry.strip():
            code, city, country, lat, lon = (field.strip() for field in entry.split("|"))
            airports.append((code, city, country, float(lat), float(lon)))
    return airports


def _distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def _fare(travel_from: str, travel_to: str, travel_date: str, travel_class: str, base_cost: float) -> float:
    """BFCL's fare: base x class factor x 2 when the date's digits add up to an even number."""
    digit_sum = sum(int(ch) for ch in travel_date if ch.isdigit())
    return float(base_cost * TRAVEL_CLASS_FACTORS[travel_class] * (2 if digit_sum % 2 == 0 else 1))


@env.seed
def seed_travel(db: Session, data: SeedData) -> None:
    rng, fake = data.rng, data.fake
    now = dt.datetime.fromisoformat(DEFAULT_NOW)
    first, last = fake.first_name(), fake.last_name()
    birth = now.date() - dt.timedelta(days=rng.randint(24 * 365, 68 * 365))
    db.execute(
        insert(TravelAccount),
        [
            {
                "account_key": ACCOUNT_KEY,
                "user_first_name": first,
                "user_last_name": last,
                "access_token": str(rng.randint(100000, 999999)),
                "token_type": "Bearer",
                "token_expires_in": 3600,
                "token_scope": "read_write",
                "budget_limit": float(rng.randrange(3000, 12001, 500)),
                "budget_fiscal_year": str(now.year),
                "client_id": f"app_{fake.lexify('????').lower()}{rng.randint(100, 999)}",
                "client_secret": fake.sha1()[:32],
                "refresh_token": fake.sha1()[:24],
                "date_of_birth": birth.isoformat(),
                "passport_number": f"US{rng.randint(100000000, 999999999)}",
                "random_seed": rng.randint(100000, 999999),
                "random_words_used": 0,
                "current_time": DEFAULT_NOW,
            }
        ],
    )

    # Airports: BFCL's network first (in BFCL's order), then the real airports it lacks.
    world = _world_airports()
    countries = {code: country for code, _, country, _, _ in world}
    airports = [{"airport_code": c, "location": loc, "country": countries.get(c)} for c, loc in TRAVEL_AIRPORTS]
    known = {a["airport_code"] for a in airports}
    airports += [
        {"airport_code": c, "location": city, "country": ctry} for c, city, ctry, _, _ in world if c not in known
    ]
    db.execute(insert(Airport), airports)

    # Routes: BFCL's fares, plus each real airport to its nearest neighbours and a few long-haul hubs.
    routes = {(origin, destination): fare for origin, destination, fare in TRAVEL_ROUTES}
    coordinates = {code: (lat, lon) for code, _, _, lat, lon in world}
    codes = sorted(coordinates)
    for code in codes:
        by_distance = sorted(
            (c for c in codes if c != code), key=lambda c: _distance_km(coordinates[code], coordinates[c])
        )
        partners = by_distance[:7] + rng.sample(by_distance[7:], 4)
        for partner in partners:
            km = _distance_km(coordinates[code], coordinates[partner])
            fare = float(round((60 + 0.085 * km) / 5) * 5)
            for pair in ((code, partner), (partner, code)):
                routes.setdefault(pair, fare)
    db.execute(
        insert(FlightRoute),
        [{"travel_from": o, "travel_to": d, "base_cost": fare} for (o, d), fare in routes.items()],
    )
    rates = [(b, t, r) for b, t, r in TRAVEL_EXCHANGE_RATES] + [("USD", cur, r) for cur, r in _EXTRA_RATES]
    db.execute(insert(ExchangeRate), [{"base_currency": b, "target_currency": t, "rate": r} for b, t, r in rates])

    # The wallet.
    holder = f"{first} {last}"
    cards = []
    for _ in range(rng.randint(6, 8)):
        expiry = now.date() + dt.timedelta(days=rng.randint(60, 5 * 365))
        cards.append(
            {
                "card_id": str(rng.randint(100000000000, 999999999999)),
                "card_number": fake.credit_card_number(),
                "expiration_date": expiry.strftime("%m/%Y"),
                "cardholder_name": holder,
                "card_verification_number": rng.randint(100, 999),
                "balance": round(rng.uniform(1500, 30000), 2),
                "extra": {"card_type": rng.choice(_CARD_TYPES)},
            }
        )
    db.execute(insert(CreditCard), cards)

    # Bookings over the past year and the coming months; some upcoming ones insured.
    route_list = sorted(routes.items())
    used_ids: set[str] = set()
    bookings, policies = [], []
    for _ in range(45):
        (origin, destination), base = rng.choice(route_list)
        travel_date = (now.date() + dt.timedelta(days=rng.randint(-365, 180))).isoformat()
        travel_class = rng.choices(("economy", "business", "first"), weights=(7, 2, 1))[0]
        booking_id = str(rng.randint(1000000, 9999999))
        while booking_id in used_ids:
            booking_id = str(rng.randint(1000000, 9999999))
        used_ids.add(booking_id)
        card = rng.choice(cards)
        cost = _fare(origin, destination, travel_date, travel_class, base)
        bookings.append(
            {
                "booking_id": booking_id,
                "card_id": card["card_id"],
                "travel_date": travel_date,
                "travel_from": origin,
                "travel_to": destination,
                "travel_class": travel_class,
                "travel_cost": cost,
                "transaction_id": str(rng.randint(10000000, 99999999)),
                "extra": {},
            }
        )
        if travel_date > now.date().isoformat() and rng.random() < 0.35:
            policies.append(
                {
                    "insurance_id": str(rng.randint(100000000, 999999999)),
                    "booking_id": booking_id,
                    "card_id": card["card_id"],
                    "insurance_type": rng.choice(_INSURANCE_TYPES),
                    "insurance_cost": round(cost * 0.06 + 20, 2),
                }
            )
    db.execute(insert(Booking), bookings)
    if policies:
        db.execute(insert(InsurancePolicy), policies)


# --------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------


def _account(ctx: ToolContext) -> dict[str, Any]:
    return ctx.rows(TravelAccount).require(ACCOUNT_KEY, missing="The travel service has no account.")


def _signed_in(ctx: ToolContext, access_token: str) -> dict[str, Any]:
    """The account, if ``access_token`` is its current, unexpired token (BFCL's checks, in its order)."""
    account = _account(ctx)
    if account["token_expires_in"] == 0:
        raise DomainError("Token expired")
    if access_token != account["access_token"]:
        raise DomainError("Invalid access token")
    return account


def _draw(ctx: ToolContext, account: dict[str, Any], *ranges: tuple[int, int]) -> list[int]:
    """Draw integers from BFCL's seeded stream and record the new position."""
    stream = SeededStream(account["random_seed"], account["random_words_used"])
    values = [stream.randint(low, high) for low, high in ranges]
    ctx.rows(TravelAccount).update(ACCOUNT_KEY, random_words_used=stream.words_used)
    account["random_words_used"] = stream.words_used
    return values


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _is_date(text: str) -> bool:
    """Whether ``strptime(text, "%Y-%m-%d")`` accepts it (its common exact form checked without strptime)."""
    try:
        if _ISO_DATE.fullmatch(text) and text.isascii():
            dt.date.fromisoformat(text)
        else:
            dt.datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        return False
    return True


def _card(ctx: ToolContext, card_id: str, missing: str) -> dict[str, Any]:
    return ctx.rows(CreditCard).require(card_id, missing=missing)


def _booking(ctx: ToolContext, booking_id: str | None) -> dict[str, Any]:
    if booking_id is None:
        raise DomainError("Booking not found")
    return ctx.rows(Booking).require(booking_id, missing=f"Booking not found: {booking_id}")


def _route_cost(ctx: ToolContext, travel_from: str, travel_to: str, travel_date: str, travel_class: str) -> float:
    route = ctx.rows(FlightRoute).get(travel_from, travel_to)
    if route is None:
        raise DomainError(f"No available route for the given airports ({travel_from} to {travel_to}).")
    if travel_class not in TRAVEL_CLASS_FACTORS:
        raise DomainError("Invalid travel class. Options are: economy, business, first.")
    return _fare(travel_from, travel_to, travel_date, travel_class, route["base_cost"])


def _card_record(row: dict[str, Any]) -> dict[str, Any]:
    return _join_record(row, _CARD_FIELDS)


def _booking_record(row: dict[str, Any]) -> dict[str, Any]:
    return _join_record(row, _BOOKING_FIELDS)


# --------------------------------------------------------------------------------------------------
# Tools
# --------------------------------------------------------------------------------------------------


class AuthenticationResult(TypedDict):
    expires_in: int
    access_token: str
    token_type: str
    scope: str


@env.write(
    intents=[
        "sign me in to the travel service as {user_first_name} {user_last_name} with app {client_id}",
        "log in to my travel account ({user_first_name} {user_last_name}) with {grant_type} access",
    ]
)
def authenticate_travel(
    ctx: ToolContext,
    client_id: str,
    client_secret: str,
    refresh_token: str,
    grant_type: str,
    user_first_name: str,
    user_last_name: str,
) -> AuthenticationResult:
    """Authenticate the user with the travel API and get a new access token.

    Args:
        client_id: The client application's client_id supplied by App Management.
        client_secret: The client application's client_secret supplied by App Management.
        refresh_token: The refresh token obtained from the initial authentication.
        grant_type: The grant type of the authentication request: read_write, read or write.
        user_first_name: The first name of the user.
        user_last_name: The last name of the user.
    """
    account = _account(ctx)
    if grant_type not in GRANT_TYPES:
        raise DomainError(f"Invalid grant type {grant_type!r}. Options are: {', '.join(GRANT_TYPES)}.")
    if account["client_id"] is not None and (
        client_id != account["client_id"] or client_secret != account["client_secret"]
    ):
        raise DomainError("Invalid client credentials: the client_id or client_secret is wrong.")
    (token,) = _draw(ctx, account, (100000, 999999))
    ctx.rows(TravelAccount).update(
        ACCOUNT_KEY,
        access_token=str(token),
        token_type="Bearer",
        token_expires_in=TOKEN_LIFETIME,
        token_scope=grant_type,
        user_first_name=user_first_name,
        user_last_name=user_last_name,
    )
    return {"expires_in": TOKEN_LIFETIME, "access_token": str(token), "token_type": "Bearer", "scope": grant_type}


class LoginStatus(TypedDict):
    status: bool


@env.read(intents=["am I logged in to the travel service?", "check whether my travel session is active"])
def travel_get_login_status(ctx: ToolContext) -> LoginStatus:
    """Get the status of the login: whether a valid access token exists."""
    expires_in = _account(ctx)["token_expires_in"]
    return {"status": not (expires_in is None or expires_in == 0)}


class FiscalYear(TypedDict):
    budget_fiscal_year: str


@env.read(intents=["which fiscal year is my travel budget for?", "get the budget fiscal year"])
def get_budget_fiscal_year(
    ctx: ToolContext, lastModifiedAfter: str | None = None, includeRemoved: str | None = None
) -> FiscalYear:
    """Get the budget fiscal year.

    Args:
        lastModifiedAfter: [Optional] Only fiscal years changed after this UTC date, like 2016-03-29T16:12:20.
        includeRemoved: [Optional] If true, also return fiscal years that were removed. Defaults to false.
    """
    return {"budget_fiscal_year": _account(ctx)["budget_fiscal_year"]}


class RegisteredCard(TypedDict):
    card_id: str


@env.write(
    intents=[
        "add my card {card_number} expiring {expiration_date} in the name of {cardholder_name}",
        "register the credit card {card_number} with security code {card_verification_number}",
    ]
)
def register_credit_card(
    ctx: ToolContext,
    access_token: str,
    card_number: str,
    expiration_date: str,
    cardholder_name: str,
    card_verification_number: int,
) -> RegisteredCard:
    """Register a credit card for paying bookings.

    Args:
        access_token: The access token obtained from the authenticate method.
        card_number: The credit card number.
        expiration_date: The expiration date of the credit card in the format MM/YYYY.
        cardholder_name: The name of the cardholder.
        card_verification_number: The card verification number.
    """
    account = _account(ctx)
    if account["token_expires_in"] is None:
        raise DomainError("Token not initialized")
    _signed_in(ctx, access_token)
    cards = ctx.rows(CreditCard)
    if cards.get(card_number) is not None or cards.first({"card_number": card_number}) is not None:
        raise DomainError(f"Card already registered: {card_number}")
    card_id, balance = _draw(ctx, account, (100000000000, 999999999999), (10000, 99999))
    cards.add(
        card_id=str(card_id),
        card_number=card_number,
        expiration_date=expiration_date,
        cardholder_name=cardholder_name,
        card_verification_number=card_verification_number,
        balance=balance,
        extra={},
    )
    return {"card_id": str(card_id)}


class FlightCost(TypedDict):
    travel_cost_list: list[float]


@env.read(
    intents=[
        "what does a flight from {travel_from} to {travel_to} on {travel_date} cost in {travel_class} class?",
        "price a ticket in {travel_class} class from {travel_from} to {travel_to} for {travel_date}",
    ]
)
def get_flight_cost(
    ctx: ToolContext, travel_from: str, travel_to: str, travel_date: str, travel_class: str
) -> FlightCost:
    """Get the list of costs of a flight in USD based on route, date and class.

    Args:
        travel_from: The 3 letter code of the departing airport.
        travel_to: The 3 letter code of the arriving airport.
        travel_date: The date of the travel in the format 'YYYY-MM-DD'.
        travel_class: The class of the travel. Options are: economy, business, first.
    """
    return {"travel_cost_list": [_route_cost(ctx, travel_from, travel_to, travel_date, travel_class)]}


class CardBalance(TypedDict):
    card_balance: float


@env.read(intents=["what's the balance on {card_id}?", "how much money is left on {card_id}?"])
def get_credit_card_balance(ctx: ToolContext, access_token: str, card_id: str) -> CardBalance:
    """Get the balance of a registered credit card.

    Args:
        access_token: The access token obtained from the authenticate method.
        card_id: The ID of the credit card.
    """
    _signed_in(ctx, access_token)
    card = ctx.rows(CreditCard).get(card_id)
    if card is None:
        known = [row["card_id"] for row in ctx.rows(CreditCard).find()]
        raise DomainError(f"Card not registered. Here are a list of card_id's: {known}")
    if card["balance"] is None:
        raise DomainError(f"Balance not found for card {card_id}")
    return {"card_balance": card["balance"]}


class BookingResult(TypedDict):
    booking_id: str
    transaction_id: str
    booking_status: bool
    booking_history: dict[str, Any]


@env.write(
    intents=[
        "book a flight from {travel_from} to {travel_to} on {travel_date} in {travel_class} class, pay with {card_id}",
        "reserve me a seat in {travel_class} class from {travel_from} to {travel_to} on {travel_date} on {card_id}",
    ]
)
def book_flight(
    ctx: ToolContext,
    access_token: str,
    card_id: str,
    travel_date: str,
    travel_from: str,
    travel_to: str,
    travel_class: str,
) -> BookingResult:
    """Book a flight given the travel information and charge it to a registered card. From and To are IATA codes.

    Args:
        access_token: The access token obtained from the authenticate method.
        card_id: The ID of the credit card to use for the booking.
        travel_date: The date of the travel in the format YYYY-MM-DD.
        travel_from: The airport code the travel is from.
        travel_to: The airport code the travel is to.
        travel_class: The class of the travel: economy, business or first.
    """
    account = _signed_in(ctx, access_token)
    card = _card(ctx, card_id, missing=f"Card not registered: {card_id}")
    if card["balance"] is None:
        raise DomainError(f"Balance not found for card {card_id}")
    airports = ctx.rows(Airport)
    if airports.get(travel_from) is None:
        raise DomainError(f"Invalid departure airport code: {travel_from}")
    if airports.get(travel_to) is None:
        raise DomainError(f"Invalid destination airport code: {travel_to}")
    if not _is_date(travel_date):
        raise DomainError("Invalid date format. Use YYYY-MM-DD.")
    if travel_class not in TRAVEL_CLASS_FACTORS:
        raise DomainError(f"Invalid travel class. Must be one of {', '.join(TRAVEL_CLASS_FACTORS)}")
    cost = _route_cost(ctx, travel_from, travel_to, travel_date, travel_class)
    if card["balance"] < cost:
        raise DomainError(f"Insufficient funds: the flight costs {cost} and card {card_id} has {card['balance']}")
    if account["budget_limit"] is not None and card["balance"] < account["budget_limit"]:
        raise DomainError(f"Balance is less than budget limit ({account['budget_limit']})")
    ctx.rows(CreditCard).update(card_id, balance=card["balance"] - cost)
    booking_id, transaction_id = _draw(ctx, account, (1000000, 9999999), (10000000, 99999999))
    ctx.rows(Booking).add(
        booking_id=str(booking_id),
        card_id=card_id,
        travel_date=travel_date,
        travel_from=travel_from,
        travel_to=travel_to,
        travel_class=travel_class,
        travel_cost=cost,
        transaction_id=str(transaction_id),
        extra={},
    )
    return {
        "booking_id": str(booking_id),
        "transaction_id": str(transaction_id),
        "booking_status": True,
        "booking_history": {},
    }


class Invoice(TypedDict):
    booking_id: str
    travel_date: str
    travel_from: str
    travel_to: str
    travel_class: str
    travel_cost: float
    transaction_id: str


class InvoiceResult(TypedDict):
    invoice: Invoice


@env.read(intents=["send me the invoice for booking {booking_id}", "I need the receipt of my booking {booking_id}"])
def retrieve_invoice(
    ctx: ToolContext, access_token: str, booking_id: str | None = None, insurance_id: str | None = None
) -> InvoiceResult:
    """Retrieve the invoice for a booking.

    Args:
        access_token: The access token obtained from the authenticate method.
        booking_id: [Optional] The ID of the booking.
        insurance_id: [Optional] The ID of the insurance.
    """
    _signed_in(ctx, access_token)
    booking = _booking(ctx, booking_id)
    missing = [name for name in _BOOKING_FIELDS if name != "card_id" and booking[name] is None]
    if missing:
        raise DomainError(f"Booking {booking_id} has no invoice: it lacks {', '.join(missing)}.")
    invoice = {name: booking[name] for name in ("booking_id", *_BOOKING_FIELDS) if name != "card_id"}
    return {"invoice": invoice}  # type: ignore[typeddict-item]


class BookingRecord(TypedDict, total=False):
    """A BFCL booking record (keys of an ``initial_config`` booking beyond these are passed through)."""

    card_id: str
    travel_date: str
    travel_from: str
    travel_to: str
    travel_class: str
    travel_cost: float
    transaction_id: str


class BookingHistory(TypedDict):
    booking_history: dict[str, BookingRecord]


@env.read(intents=["show all my flight bookings", "list my booking history"])
def get_booking_history(ctx: ToolContext, access_token: str) -> BookingHistory:
    """Retrieve all booking history of the user, keyed by booking_id.

    Args:
        access_token: The access token obtained from the authenticate method.
    """
    _signed_in(ctx, access_token)
    return {"booking_history": {row["booking_id"]: _booking_record(row) for row in ctx.rows(Booking).find()}}


@env.read(intents=["which airports can I fly from?", "list all available airports"])
def list_all_airports(ctx: ToolContext) -> list[str]:
    """List the codes of all available airports."""
    return [row["airport_code"] for row in ctx.rows(Airport).find()]


class CancelResult(TypedDict):
    cancel_status: bool


@env.write(intents=["cancel my booking {booking_id}", "I can't make the trip, cancel flight booking {booking_id}"])
def cancel_booking(ctx: ToolContext, access_token: str, booking_id: str) -> CancelResult:
    """Cancel a booking; its cost is refunded to the card that paid for it.

    Args:
        access_token: The access token obtained from the authenticate method.
        booking_id: The ID of the booking.
    """
    _signed_in(ctx, access_token)
    booking = _booking(ctx, booking_id)
    card = ctx.rows(CreditCard).get(booking["card_id"]) if booking["card_id"] is not None else None
    if card is None or card["balance"] is None or booking["travel_cost"] is None:
        raise DomainError(f"Booking {booking_id} cannot be refunded: its card or cost is not on record.")
    ctx.rows(CreditCard).update(card["card_id"], balance=card["balance"] + booking["travel_cost"])
    ctx.rows(Booking).delete(booking_id)
    return {"cancel_status": True}


class ExchangeResult(TypedDict):
    exchanged_value: float


@env.read(
    intents=[
        "how much is {value} {base_currency} in {target_currency}?",
        "convert {value} from {base_currency} to {target_currency}",
    ]
)
def compute_exchange_rate(ctx: ToolContext, base_currency: str, target_currency: str, value: float) -> ExchangeResult:
    """Convert an amount between two currencies (rates are quoted against USD).

    Args:
        base_currency: The base currency: USD, RMB, EUR, JPY, GBP, CAD, AUD, INR, RUB, BRL or MXN.
        target_currency: The target currency: USD, RMB, EUR, JPY, GBP, CAD, AUD, INR, RUB, BRL or MXN.
        value: The value to convert.
    """
    rates = ctx.rows(ExchangeRate)
    direct = rates.get(base_currency, target_currency)
    if direct is not None:
        return {"exchanged_value": float(value * direct["rate"])}
    reverse = rates.get(target_currency, base_currency)
    if reverse is not None:
        return {"exchanged_value": round(value / reverse["rate"], 2)}
    raise DomainError(f"No available exchange rate for the given currencies ({base_currency} to {target_currency}).")


class Verification(TypedDict, total=False):
    verification_status: bool
    verification_failure: str


@env.read(
    intents=[
        "check that I, {first_name} {last_name}, born {date_of_birth}, can fly on passport {passport_number}",
        "verify my traveler details: {first_name} {last_name}, passport {passport_number}",
    ]
)
def verify_traveler_information(
    ctx: ToolContext, first_name: str, last_name: str, date_of_birth: str, passport_number: str
) -> Verification:
    """Verify the traveler information: the signed-in user, at least 18 years old, with a US passport.

    Args:
        first_name: The first name of the traveler.
        last_name: The last name of the traveler.
        date_of_birth: The date of birth of the traveler in the format YYYY-MM-DD.
        passport_number: The passport number of the traveler.
    """
    account = _account(ctx)
    if account["user_first_name"] != first_name or account["user_last_name"] != last_name:
        return {
            "verification_status": False,
            "verification_failure": "Cannot book flight information for another user."
            + f"Expected {account['user_first_name']} {account['user_last_name']}, got {first_name} {last_name}",
        }
    try:
        birth = dt.datetime.strptime(date_of_birth, "%Y-%m-%d")
    except ValueError:
        return {
            "verification_status": False,
            "verification_failure": "Invalid date of birth format. Please use YYYY-MM-DD.",
        }
    today = ctx.now
    age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
    if age < MINIMUM_TRAVELLER_AGE:
        return {"verification_status": False, "verification_failure": "Traveler must be at least 18 years old."}
    if not passport_number.startswith("US"):
        return {"verification_status": False, "verification_failure": "Passport must be issued by the United States."}
    return {"verification_status": True}


class BudgetLimit(TypedDict):
    budget_limit: float


@env.write(intents=["set my travel budget to {budget_limit} dollars", "cap my travel spending at {budget_limit} USD"])
def set_budget_limit(ctx: ToolContext, access_token: str, budget_limit: float) -> BudgetLimit:
    """Set the budget limit for the user, in USD.

    Args:
        access_token: The access token obtained from the authentication process or initial configuration.
        budget_limit: The budget limit to set in USD.
    """
    _signed_in(ctx, access_token)
    if budget_limit < 0:
        raise DomainError("The budget limit cannot be negative.")
    ctx.rows(TravelAccount).update(ACCOUNT_KEY, budget_limit=float(budget_limit))
    return {"budget_limit": float(budget_limit)}


class NearestAirport(TypedDict):
    nearest_airport: str


@env.read(intents=["which airport is closest to {location}?", "what's the nearest airport to {location}"])
def get_nearest_airport_by_city(ctx: ToolContext, location: str) -> NearestAirport:
    """Get the nearest airport to the given location ('Unknown' when there is none on record).

    Args:
        location: The name of the location, such as Rivermist, Stonebrook, London, San Francisco or Tokyo.
    """
    airport = ctx.rows(Airport).first({"location": location})
    return {"nearest_airport": airport["airport_code"] if airport else "Unknown"}


class InsuranceResult(TypedDict):
    insurance_id: str
    insurance_status: bool


@env.write(
    intents=[
        "buy {insurance_type} insurance for {insurance_cost} dollars on booking {booking_id}, paid with {card_id}",
        "insure my trip {booking_id} with {insurance_type} cover ({insurance_cost} USD) using {card_id}",
    ]
)
def purchase_insurance(
    ctx: ToolContext, access_token: str, insurance_type: str, booking_id: str, insurance_cost: float, card_id: str
) -> InsuranceResult:
    """Purchase travel insurance for a booking, charged to a registered card.

    Args:
        access_token: The access token obtained from the authenticate method.
        insurance_type: The type of insurance to purchase, such as 'comprehensive'.
        booking_id: The ID of the booking.
        insurance_cost: The cost of the insurance in USD.
        card_id: The ID of the credit card to use for the payment.
    """
    account = _signed_in(ctx, access_token)
    if insurance_cost < 0:
        raise DomainError("The insurance cost cannot be negative.")
    if account["budget_limit"] is not None and account["budget_limit"] < insurance_cost:
        raise DomainError(f"Exceeded budget limit ({account['budget_limit']})")
    _booking(ctx, booking_id)
    card = _card(ctx, card_id, missing=f"Credit card not registered: {card_id}")
    if card["balance"] is None or card["balance"] < insurance_cost:
        raise DomainError(f"Insufficient funds on card {card_id} for insurance costing {insurance_cost}")
    ctx.rows(CreditCard).update(card_id, balance=card["balance"] - insurance_cost)
    (insurance_id,) = _draw(ctx, account, (100000000, 999999999))
    ctx.rows(InsurancePolicy).add(
        insurance_id=str(insurance_id),
        booking_id=booking_id,
        card_id=card_id,
        insurance_type=insurance_type,
        insurance_cost=float(insurance_cost),
    )
    return {"insurance_id": str(insurance_id), "insurance_status": True}


class SupportReply(TypedDict):
    customer_support_message: str


# The reply is BFCL's fixed acknowledgement and nothing changes: a fixed text is no fact a task could check,
# so the tool is exempt from task coverage.
@env.read(
    intents=["tell customer support about booking {booking_id}: {message}", "contact support on booking {booking_id}"],
    coverage=False,
)
def contact_customer_support(ctx: ToolContext, booking_id: str, message: str) -> SupportReply:
    """Contact travel booking customer support about an issue with a booking.

    Args:
        booking_id: The ID of the booking.
        message: The message to send to customer support.
    """
    _booking(ctx, booking_id)
    return {"customer_support_message": SUPPORT_REPLY}


class CardRecord(TypedDict, total=False):
    """A BFCL card record (other keys of an ``initial_config`` card, such as card_type, are passed through)."""

    card_number: str
    expiration_date: str
    cardholder_name: str
    card_verification_number: int
    balance: float


class CreditCardList(TypedDict):
    credit_card_list: dict[str, CardRecord]


@env.read(intents=["which credit cards do I have on file?", "list my registered cards"])
def get_all_credit_cards(ctx: ToolContext) -> CreditCardList:
    """Get all registered credit cards, keyed by card_id."""
    return {"credit_card_list": {row["card_id"]: _card_record(row) for row in ctx.rows(CreditCard).find()}}


__all__ = ["Base", "BfclTravelInterchange", "env"]
