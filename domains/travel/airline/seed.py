"""The seeded generator and its data tables."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
import string
from collections.abc import Sequence
from typing import Any, Literal

from sqlalchemy import insert
from sqlalchemy.orm import Session
from typing_extensions import TypedDict

from envfactory_gym.authoring import SeedData, ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import (
    AIRPORTS,
    BAG_PRICE,
    CABIN_LABELS,
    CABINS,
    FREE_BAGS,
    INSURANCE_PRICE,
    MAX_BAGS_PER_PASSENGER,
    NOW,
    Airport,
    Base,
    CabinClass,
    Flight,
    FlightDate,
    FlightType,
    Insurance,
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


def _add_certificate(ctx: ToolContext, user_id: str, payment_id: str, amount: int) -> None:
    """Add a travel certificate worth ``amount`` dollars at the end of the member's payment methods."""
    position = ctx.query(
        "SELECT COALESCE(MAX(position) + 1, 0) AS next FROM payment_methods WHERE user_id = ?", (user_id,)
    )[0]["next"]
    ctx.rows(PaymentMethod).insert(
        user_id=user_id,
        payment_id=payment_id,
        position=position,
        source="certificate",
        brand=None,
        last_four=None,
        balance_cents=amount * 100,
    )


def _new_reservation_id(ctx: ToolContext) -> str:
    reservations = ctx.rows(Reservation)
    while True:
        candidate = ctx.new_id()
        if reservations.get(candidate) is None:
            return candidate
