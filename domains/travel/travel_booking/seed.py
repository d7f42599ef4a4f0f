"""The seeded generator and its data tables."""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import sqlite3
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session
from typing_extensions import TypedDict

from envfactory_gym.authoring import SeedData, ToolContext
from envfactory_gym.errors import DomainError

from ...bfcl.reference import (
    TRAVEL_AIRPORTS,
    TRAVEL_EXCHANGE_RATES,
    TRAVEL_ROUTES,
)
from ...bfcl.stream import draw_integers
from .definition import env
from .models import (
    ACCOUNT_KEY,
    DEFAULT_NOW,
    TRAVEL_CLASS_FACTORS,
    Airport,
    Booking,
    CreditCard,
    ExchangeRate,
    FlightRoute,
    InsurancePolicy,
    TravelAccount,
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
    return float(base_cost * TRAVEL_CLASS_FACTORS[travel_class] * _date_factor(travel_date))


@functools.lru_cache(maxsize=4096)
def _date_factor(travel_date: str) -> int:
    """2 when the date's digits add up to an even number, else 1 (a date's factor never changes)."""
    return 2 if sum(int(ch) for ch in travel_date if ch.isdigit()) % 2 == 0 else 1


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
    values, words_used = draw_integers(account["random_seed"], account["random_words_used"], ranges)
    ctx.rows(TravelAccount).update(ACCOUNT_KEY, random_words_used=words_used)
    account["random_words_used"] = words_used
    return list(values)


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


# --------------------------------------------------------------------------------------------------
# Tools
# --------------------------------------------------------------------------------------------------


class AuthenticationResult(TypedDict):
    expires_in: int
    access_token: str
    token_type: str
    scope: str
