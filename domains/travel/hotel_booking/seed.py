"""The seeded generator and its data tables."""

from __future__ import annotations

import datetime as dt
from typing import NotRequired

from sqlalchemy import insert
from sqlalchemy.orm import Session
from typing_extensions import TypedDict

from envfactory_gym.authoring import SeedData, ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import (
    CALENDAR_DAYS,
    MAX_NIGHTS,
    MAX_PAGE,
    MAX_ROOMS,
    NOW,
    Booking,
    Customer,
    Destination,
    Hotel,
    Payment,
    PaymentMethod,
    Review,
    RoomNight,
    RoomType,
    ServiceClock,
)

# --------------------------------------------------------------------------------------------------
# Seed data
# --------------------------------------------------------------------------------------------------

DESTINATIONS: tuple[tuple[str, str, str, int], ...] = (
    # city, country, region, typical nightly rate in dollars for a standard room
    ("Paris", "France", "Europe", 210),
    ("London", "United Kingdom", "Europe", 220),
    ("Rome", "Italy", "Europe", 170),
    ("Barcelona", "Spain", "Europe", 160),
    ("Amsterdam", "Netherlands", "Europe", 190),
    ("Berlin", "Germany", "Europe", 130),
    ("Prague", "Czech Republic", "Europe", 100),
    ("Vienna", "Austria", "Europe", 140),
    ("Lisbon", "Portugal", "Europe", 130),
    ("Dublin", "Ireland", "Europe", 180),
    ("Edinburgh", "United Kingdom", "Europe", 160),
    ("Copenhagen", "Denmark", "Europe", 200),
    ("Istanbul", "Turkey", "Europe", 110),
    ("New York", "United States", "North America", 260),
    ("San Francisco", "United States", "North America", 230),
    ("Chicago", "United States", "North America", 180),
    ("Miami", "United States", "North America", 200),
    ("Boston", "United States", "North America", 220),
    ("Seattle", "United States", "North America", 190),
    ("Las Vegas", "United States", "North America", 120),
    ("Toronto", "Canada", "North America", 170),
    ("Vancouver", "Canada", "North America", 180),
    ("Mexico City", "Mexico", "North America", 90),
    ("Cancun", "Mexico", "North America", 150),
    ("Tokyo", "Japan", "Asia", 170),
    ("Kyoto", "Japan", "Asia", 150),
    ("Seoul", "South Korea", "Asia", 130),
    ("Singapore", "Singapore", "Asia", 210),
    ("Bangkok", "Thailand", "Asia", 70),
    ("Hong Kong", "China", "Asia", 180),
    ("Dubai", "United Arab Emirates", "Middle East", 190),
    ("Sydney", "Australia", "Oceania", 200),
    ("Melbourne", "Australia", "Oceania", 170),
    ("Cape Town", "South Africa", "Africa", 110),
    ("Rio de Janeiro", "Brazil", "South America", 100),
    ("Buenos Aires", "Argentina", "South America", 80),
)
NAME_PREFIXES = (
    "Grand", "Royal", "Park", "Riverside", "Central", "Old Town", "Harbour", "Garden", "Skyline", "Plaza",
    "Metropole", "Seaside", "Heritage", "Crown", "Lighthouse", "Maple", "Union", "Regent", "Artisan", "Atlas",
)  # fmt: skip
NAME_SUFFIXES = ("Hotel", "Inn", "Suites", "Resort", "Lodge", "Residences", "Boutique Hotel", "House")
STREETS = ("Main Street", "Market Street", "King Street", "Station Road", "Harbour Road", "Park Avenue",
           "Church Street", "High Street", "Queen Street", "River Walk", "Bridge Street", "Castle Lane")  # fmt: skip
AMENITIES = ("free wifi", "breakfast included", "swimming pool", "fitness center", "spa", "parking",
             "airport shuttle", "pet friendly", "restaurant", "bar", "air conditioning", "kitchenette")  # fmt: skip
# name, bed type, max occupancy, size, price multiplier over a standard room
ROOM_TEMPLATES = (
    ("Single Room", "1 single bed", 1, 14, 0.75),
    ("Standard Queen", "1 queen bed", 2, 20, 1.0),
    ("Twin Room", "2 single beds", 2, 22, 1.0),
    ("Deluxe King", "1 king bed", 2, 28, 1.35),
    ("Family Room", "1 queen bed and 2 single beds", 4, 36, 1.7),
    ("Junior Suite", "1 king bed and a sofa bed", 3, 42, 2.1),
    ("Executive Suite", "1 king bed", 2, 55, 2.8),
)


EMAIL_DOMAINS = ("gmail.com", "outlook.com", "yahoo.com")


def _iso(day: dt.date) -> str:
    return day.isoformat()


@env.seed
def seed_hotels(db: Session, data: SeedData) -> None:
    rng, fake = data.rng, data.fake
    today = NOW.date()
    db.execute(insert(ServiceClock), [{"id": 1, "now": NOW.isoformat()}])
    destinations, hotels, room_types, nights = [], [], [], []
    base_rates: dict[str, int] = {}
    for d_index, (city, country, region, typical) in enumerate(DESTINATIONS):
        destination_id = f"D{d_index + 1:03d}"
        hotel_total = rng.randint(3, 5)
        destinations.append(
            {"destination_id": destination_id, "city": city, "country": country, "region": region,
             "hotel_count": hotel_total}
        )  # fmt: skip
        names = rng.sample([f"{p} {s}" for p in NAME_PREFIXES for s in NAME_SUFFIXES], hotel_total)
        for h_index in range(hotel_total):
            hotel_id = f"H{d_index + 1:03d}{h_index + 1:02d}"
            stars = rng.choice((2, 3, 3, 4, 4, 4, 5))
            hotel_name = f"{names[h_index]} {city}" if rng.random() < 0.4 else names[h_index]
            hotels.append(
                {
                    "hotel_id": hotel_id,
                    "destination_id": destination_id,
                    "name": hotel_name,
                    "city": city,
                    "address": f"{rng.randint(1, 240)} {rng.choice(STREETS)}, {city}",
                    "star_rating": stars,
                    "review_score": round(min(9.8, rng.uniform(6.0, 8.2) + 0.3 * (stars - 3)), 1),
                    "review_count": rng.randint(40, 3000),
                    "amenities": sorted(rng.sample(AMENITIES, rng.randint(3, 7))),
                    "check_in_time": rng.choice(("14:00", "15:00", "16:00")),
                    "check_out_time": rng.choice(("10:00", "11:00", "12:00")),
                    "free_cancellation_days": rng.choice((1, 2, 3, 7, 14)),
                }
            )
            star_factor = {2: 0.55, 3: 0.8, 4: 1.0, 5: 1.6}[stars]
            templates = sorted(rng.sample(range(len(ROOM_TEMPLATES)), rng.randint(2, 3)))
            for r_index, template in enumerate(templates):
                name, bed, occupancy, size, multiplier = ROOM_TEMPLATES[template]
                room_type_id = f"{hotel_id}R{r_index + 1}"
                room_types.append(
                    {"room_type_id": room_type_id, "hotel_id": hotel_id, "hotel_name": hotel_name, "name": name,
                     "bed_type": bed, "max_occupancy": occupancy, "size_sqm": size + rng.randint(-2, 4)}
                )  # fmt: skip
                base = int(typical * star_factor * multiplier * rng.uniform(0.85, 1.15)) * 100
                base_rates[room_type_id] = base
                inventory = rng.randint(2, 12)
                for offset in range(CALENDAR_DAYS):
                    day = today + dt.timedelta(days=offset)
                    weekend = 1.2 if day.weekday() in (4, 5) else 1.0
                    rate = int(base * weekend * rng.uniform(0.9, 1.1)) // 100 * 100 + 99
                    available = 0 if rng.random() < 0.06 else rng.randint(0, inventory)
                    nights.append(
                        {"room_type_id": room_type_id, "date": _iso(day), "nightly_rate": rate,
                         "rooms_available": available}
                    )  # fmt: skip
    db.execute(insert(Destination), destinations)
    db.execute(insert(Hotel), hotels)
    db.execute(insert(RoomType), room_types)

    customers, methods = [], []
    for c_index in range(300):
        first, last = fake.first_name(), fake.last_name()
        customer_id = f"C{100000 + c_index * 37:06d}"
        customers.append(
            {
                "customer_id": customer_id,
                "first_name": first,
                "last_name": last,
                "email": f"{first.lower()}.{last.lower()}{c_index}@{rng.choice(EMAIL_DOMAINS)}",
                "phone": fake.numerify("+1-###-###-####"),
                "country": rng.choice(("United States", "Canada", "United Kingdom", "Germany", "Australia")),
            }
        )
        for m_index in range(rng.randint(1, 3)):
            gift = m_index > 0 and rng.random() < 0.3
            methods.append(
                {
                    "payment_method_id": f"pm_{c_index:03d}{m_index}{rng.randint(10, 99)}",
                    "customer_id": customer_id,
                    "kind": "gift_card" if gift else "credit_card",
                    "brand": "Hotel Gift Card" if gift else rng.choice(("Visa", "Mastercard", "Amex")),
                    "last_four": f"{rng.randint(0, 9999):04d}",
                    "balance": rng.randint(50, 800) * 100 if gift else None,
                }
            )
    db.execute(insert(Customer), customers)
    db.execute(insert(PaymentMethod), methods)

    night_index = {(n["room_type_id"], n["date"]): n for n in nights}
    methods_by_customer: dict[str, list[dict[str, object]]] = {}
    for method in methods:
        methods_by_customer.setdefault(str(method["customer_id"]), []).append(method)
    bookings, payments, reviews = [], [], []
    used_booking_ids: set[str] = set()
    for b_index in range(700):
        customer = rng.choice(customers)
        room = rng.choice(room_types)
        length = rng.randint(1, 6)
        start_offset = rng.randint(-200, CALENDAR_DAYS - length - 1)
        check_in = today + dt.timedelta(days=start_offset)
        check_out = check_in + dt.timedelta(days=length)
        rooms = 1 if rng.random() < 0.85 else 2
        guests = rng.randint(1, room["max_occupancy"] * rooms)
        dates = [_iso(check_in + dt.timedelta(days=i)) for i in range(length)]
        if start_offset >= 0:
            if any(night_index[(room["room_type_id"], d)]["rooms_available"] < rooms for d in dates):
                continue
            status = "cancelled" if rng.random() < 0.12 else "confirmed"
            total = sum(int(night_index[(room["room_type_id"], d)]["nightly_rate"]) for d in dates) * rooms
            if status == "confirmed":
                for d in dates:
                    night_index[(room["room_type_id"], d)]["rooms_available"] -= rooms  # type: ignore[operator]
        else:
            status = "completed" if check_out <= today and rng.random() > 0.1 else "cancelled"
            if check_out > today:
                continue  # a stay in progress: not modeled
            total = base_rates[room["room_type_id"]] * length * rooms
        booking_id = f"BK{rng.randint(10**7, 10**8 - 1)}"
        if booking_id in used_booking_ids:
            continue
        used_booking_ids.add(booking_id)
        method = rng.choice(methods_by_customer[customer["customer_id"]])
        created = dt.datetime.combine(check_in, dt.time(12)) - dt.timedelta(
            days=rng.randint(3, 90), hours=rng.randint(0, 11)
        )
        fee = 0
        if status == "cancelled" and rng.random() < 0.3:
            fee = total // length
        bookings.append(
            {
                "booking_id": booking_id,
                "customer_id": customer["customer_id"],
                "hotel_id": room["hotel_id"],
                "room_type_id": room["room_type_id"],
                "check_in": _iso(check_in),
                "check_out": _iso(check_out),
                "rooms": rooms,
                "guests": guests,
                "total_price": fee if status == "cancelled" else total,
                "payment_method_id": method["payment_method_id"],
                "status": status,
                "special_requests": rng.choice(("", "", "", "late arrival", "high floor please", "quiet room")),
                "cancellation_fee": fee,
                "created_at": created.isoformat(timespec="seconds"),
            }
        )
        payments.append(
            {"payment_id": f"PY{b_index:05d}", "booking_id": booking_id,
             "payment_method_id": method["payment_method_id"], "amount": total, "kind": "charge",
             "created_at": created.isoformat(timespec="seconds")}
        )  # fmt: skip
        if status == "cancelled" and total - fee:
            payments.append(
                {"payment_id": f"PR{b_index:05d}", "booking_id": booking_id,
                 "payment_method_id": method["payment_method_id"], "amount": -(total - fee), "kind": "refund",
                 "created_at": (created + dt.timedelta(days=1)).isoformat(timespec="seconds")}
            )  # fmt: skip
        if status == "completed" and rng.random() < 0.4:
            reviews.append(
                {"booking_id": booking_id, "hotel_id": room["hotel_id"], "customer_id": customer["customer_id"],
                 "rating": rng.randint(5, 10), "comment": rng.choice(("Great location.", "Clean and quiet.",
                 "Friendly staff, small room.", "Would stay again.", "Breakfast was excellent.")),
                 "created_at": f"{_iso(check_out)}T18:00:00"}
            )  # fmt: skip
    db.execute(insert(RoomNight), nights)
    db.execute(insert(Booking), bookings)
    db.execute(insert(Payment), payments)
    db.execute(insert(Review), reviews)


# --------------------------------------------------------------------------------------------------
# Views and helpers
# --------------------------------------------------------------------------------------------------


class DestinationView(TypedDict):
    destination_id: str
    city: str
    country: str
    region: str
    hotel_count: int


class HotelSummary(TypedDict):
    hotel_id: str
    name: str
    city: str
    star_rating: int
    review_score: float
    free_cancellation_days: int
    cheapest_room_type_id: str
    cheapest_total_price: int
    nights: int


class HotelSearchPage(TypedDict):
    destination_id: str
    check_in: str
    check_out: str
    total: int
    hotels: list[HotelSummary]


class RoomOffer(TypedDict):
    room_type_id: str
    name: str
    bed_type: str
    max_occupancy: int
    size_sqm: int
    available: NotRequired[bool]
    nightly_rates: NotRequired[list[int]]
    total_price: NotRequired[int]


class HotelDetails(TypedDict):
    hotel_id: str
    name: str
    city: str
    address: str
    star_rating: int
    review_score: float
    review_count: int
    amenities: list[str]
    check_in_time: str
    check_out_time: str
    free_cancellation_days: int
    cancellation_policy: str
    room_types: list[RoomOffer]


class PaymentMethodView(TypedDict):
    payment_method_id: str
    kind: str
    brand: str
    last_four: str
    balance: int | None


class CustomerView(TypedDict):
    customer_id: str
    first_name: str
    last_name: str
    email: str
    phone: str
    payment_methods: list[PaymentMethodView]


class BookingView(TypedDict):
    booking_id: str
    customer_id: str
    hotel_id: str
    hotel_name: str
    room_type_id: str
    room_name: str
    check_in: str
    check_out: str
    nights: int
    rooms: int
    guests: int
    total_price: int
    status: str
    payment_method_id: str
    cancellation_fee: int
    free_cancellation_until: str
    special_requests: str
    created_at: str


class BookingPage(TypedDict):
    total: int
    bookings: list[BookingView]


class CancellationView(TypedDict):
    booking_id: str
    status: str
    cancellation_fee: int
    refund_amount: int
    payment_method_id: str


class ReviewView(TypedDict):
    booking_id: str
    hotel_id: str
    rating: int
    comment: str
    hotel_review_score: float
    hotel_review_count: int


def _page(limit: int, offset: int) -> tuple[int, int]:
    if not 1 <= limit <= MAX_PAGE:
        raise DomainError(f"limit must be between 1 and {MAX_PAGE}.")
    if offset < 0:
        raise DomainError("offset cannot be negative.")
    return limit, offset


def _parse_date(value: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise DomainError(f"{name} must be a date in YYYY-MM-DD format, got {value!r}.") from None


def _stay(ctx: ToolContext, check_in: str, check_out: str) -> list[str]:
    """The nights of a stay, validated against today and the published calendar."""
    start, end = _parse_date(check_in, "check_in"), _parse_date(check_out, "check_out")
    today = ctx.now.date()
    if start < today:
        raise DomainError(f"Check-in date {check_in} is in the past (today is {today.isoformat()}).")
    if end <= start:
        raise DomainError("The check-out date must be after the check-in date.")
    nights = (end - start).days
    if nights > MAX_NIGHTS:
        raise DomainError(f"A booking can cover at most {MAX_NIGHTS} nights.")
    last_published = today + dt.timedelta(days=CALENDAR_DAYS - 1)
    if end - dt.timedelta(days=1) > last_published:
        raise DomainError(f"Rooms can only be booked for nights up to {last_published.isoformat()}.")
    return [(start + dt.timedelta(days=i)).isoformat() for i in range(nights)]


def _quote(ctx: ToolContext, room_type_id: str, nights: list[str], rooms: int) -> tuple[bool, list[int]]:
    """Whether ``rooms`` rooms are free on every night, and the nightly rates."""
    placeholders = ",".join("?" for _ in nights)
    rows = ctx.query(
        f"SELECT date, nightly_rate, rooms_available FROM room_nights WHERE room_type_id = ? "
        f"AND date IN ({placeholders}) ORDER BY date",
        [room_type_id, *nights],
    )
    available = len(rows) == len(nights) and all(r["rooms_available"] >= rooms for r in rows)
    return available, [r["nightly_rate"] for r in rows]


def _adjust_inventory(ctx: ToolContext, room_type_id: str, nights: list[str], delta: int) -> None:
    table = ctx.rows(RoomNight)
    for night in nights:
        row = table.get(room_type_id, night)
        if row is not None:  # nights before today are no longer on sale
            table.update((room_type_id, night), rooms_available=row["rooms_available"] + delta)


def _nights_of(booking: dict[str, object]) -> list[str]:
    start = dt.date.fromisoformat(str(booking["check_in"]))
    end = dt.date.fromisoformat(str(booking["check_out"]))
    return [(start + dt.timedelta(days=i)).isoformat() for i in range((end - start).days)]


def _free_until(check_in: str, free_days: int) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(check_in) - dt.timedelta(days=free_days), dt.time(0, 0))


def _booking_view(ctx: ToolContext, booking: dict[str, object]) -> BookingView:
    hotel = ctx.rows(Hotel).get(booking["hotel_id"]) or {}
    room = ctx.rows(RoomType).get(booking["room_type_id"]) or {}
    return {
        "booking_id": str(booking["booking_id"]),
        "customer_id": str(booking["customer_id"]),
        "hotel_id": str(booking["hotel_id"]),
        "hotel_name": str(hotel.get("name", "")),
        "room_type_id": str(booking["room_type_id"]),
        "room_name": str(room.get("name", "")),
        "check_in": str(booking["check_in"]),
        "check_out": str(booking["check_out"]),
        "nights": len(_nights_of(booking)),
        "rooms": int(booking["rooms"]),  # type: ignore[call-overload]
        "guests": int(booking["guests"]),  # type: ignore[call-overload]
        "total_price": int(booking["total_price"]),  # type: ignore[call-overload]
        "status": str(booking["status"]),
        "payment_method_id": str(booking["payment_method_id"]),
        "cancellation_fee": int(booking["cancellation_fee"]),  # type: ignore[call-overload]
        "free_cancellation_until": _free_until(
            str(booking["check_in"]), int(hotel.get("free_cancellation_days", 0))
        ).isoformat(),
        "special_requests": str(booking["special_requests"]),
        "created_at": str(booking["created_at"]),
    }


def _require_booking(ctx: ToolContext, booking_id: str) -> dict[str, object]:
    return ctx.rows(Booking).require(booking_id, missing=f"There is no booking {booking_id}.")


def _charge(ctx: ToolContext, booking_id: str, payment_method_id: str, amount: int) -> None:
    """Record a charge (amount > 0) or a refund (amount < 0), moving gift-card balances."""
    if amount == 0:
        return
    methods = ctx.rows(PaymentMethod)
    method = methods.require(payment_method_id, missing=f"There is no payment method {payment_method_id}.")
    if method["kind"] == "gift_card":
        if amount > method["balance"]:
            raise DomainError(
                f"The gift card ending in {method['last_four']} has {method['balance'] / 100:.2f} left, "
                f"not enough for {amount / 100:.2f}."
            )
        methods.update(payment_method_id, balance=method["balance"] - amount)
    ctx.rows(Payment).insert(
        payment_id=f"PY{ctx.new_id(8)}",
        booking_id=booking_id,
        payment_method_id=payment_method_id,
        amount=amount,
        kind="charge" if amount > 0 else "refund",
        created_at=ctx.now.isoformat(timespec="seconds"),
    )


def _check_party(room: dict[str, object], guests: int, rooms: int) -> None:
    if not 1 <= rooms <= MAX_ROOMS:
        raise DomainError(f"You can book between 1 and {MAX_ROOMS} rooms at once.")
    if guests < 1:
        raise DomainError("A booking needs at least one guest.")
    capacity = int(room["max_occupancy"]) * rooms  # type: ignore[call-overload]
    if guests > capacity:
        raise DomainError(
            f"The {room['name']} sleeps {room['max_occupancy']} per room: {rooms} room(s) cannot take {guests} guests."
        )
