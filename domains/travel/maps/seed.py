"""The seeded generator and its data tables."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any, Literal

from sqlalchemy import insert
from sqlalchemy.orm import Session
from typing_extensions import TypedDict

from envfactory_gym.authoring import SeedData, ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import ElevationSample, Place, Review, SavedList, SavedPlace, ServiceClock, User

# -- seed data ------------------------------------------------------------------------------------------

NOW = dt.datetime(2024, 5, 15, 15, 0, 0)  # a Wednesday afternoon

# city, state, center lat, center lng, base elevation (m), relief (m), ZIP prefix, metro area
CITIES: list[tuple[str, str, float, float, float, float, str, str]] = [
    ("San Francisco", "CA", 37.7749, -122.4194, 40, 120, "941", "Bay Area"),
    ("Oakland", "CA", 37.8044, -122.2712, 30, 180, "946", "Bay Area"),
    ("San Jose", "CA", 37.3382, -121.8863, 28, 60, "951", "Bay Area"),
    ("Seattle", "WA", 47.6062, -122.3321, 55, 110, "981", "Seattle"),
    ("Portland", "OR", 45.5152, -122.6784, 30, 150, "972", "Portland"),
    ("Denver", "CO", 39.7392, -104.9903, 1609, 90, "802", "Denver"),
    ("Salt Lake City", "UT", 40.7608, -111.8910, 1290, 160, "841", "Salt Lake City"),
    ("Phoenix", "AZ", 33.4484, -112.0740, 331, 70, "850", "Phoenix"),
    ("Austin", "TX", 30.2672, -97.7431, 150, 80, "787", "Austin"),
    ("Chicago", "IL", 41.8781, -87.6298, 181, 15, "606", "Chicago"),
    ("Nashville", "TN", 36.1627, -86.7816, 170, 60, "372", "Nashville"),
    ("Miami", "FL", 25.7617, -80.1918, 2, 4, "331", "Miami"),
    ("Boston", "MA", 42.3601, -71.0589, 15, 40, "021", "Boston"),
    ("New York", "NY", 40.7128, -74.0060, 10, 50, "100", "New York"),
]
METRO = {c[0]: c[7] for c in CITIES}

GRID_SIZE = 9
GRID_STEP = 0.02  # degrees: the grid spans ±0.08° around the center, places lie within ±0.06°

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# primary type -> (other types, name patterns, usual opening hours or None for 24 hours, closed weekdays, price)
PLACE_KINDS: dict[str, tuple[list[str], list[str], tuple[str, str] | None, tuple[str, ...], bool]] = {
    "restaurant": (
        ["food", "point_of_interest"],
        [
            "{last}'s Kitchen",
            "The {noun} Grill",
            "{adj} {noun} Bistro",
            "Trattoria {last}",
            "{noun} & {noun2} Eatery",
            "Pho {last}",
            "{adj} Taqueria",
            "{last} Family Diner",
            "Sushi {noun}",
        ],
        ("11:00", "22:00"),
        ("mon",),
        True,
    ),
    "cafe": (
        ["food", "point_of_interest"],
        ["{noun} Coffee", "{adj} Bean Cafe", "Cafe {last}", "{noun} Roasters"],
        ("06:30", "18:00"),
        (),
        True,
    ),
    "bar": (
        ["point_of_interest"],
        ["The {adj} {noun}", "{last}'s Tavern", "{noun} Taproom"],
        ("16:00", "02:00"),
        ("sun",),
        True,
    ),
    "bakery": (
        ["food", "store"],
        ["{last} Bakery", "{adj} Crust Bakehouse", "{noun} Bread Co."],
        ("07:00", "15:00"),
        ("mon",),
        True,
    ),
    "museum": (
        ["tourist_attraction", "point_of_interest"],
        ["{city} Museum of {topic}", "{last} Art Gallery", "{city} {topic} Center"],
        ("10:00", "17:00"),
        ("mon",),
        False,
    ),
    "park": (
        ["tourist_attraction", "point_of_interest"],
        ["{last} Park", "{noun} Hill Park", "{adj} Meadow Park", "{last} Memorial Garden"],
        ("06:00", "22:00"),
        (),
        False,
    ),
    "gym": (["health", "point_of_interest"], ["{noun} Fitness", "{city} Athletic Club"], ("05:00", "23:00"), (), False),
    "pharmacy": (
        ["health", "store"],
        ["Walgreens", "CVS Pharmacy", "{last} Pharmacy"],
        ("08:00", "21:00"),
        (),
        False,
    ),
    "supermarket": (
        ["grocery_or_supermarket", "food", "store"],
        ["Whole Foods Market", "Trader Joe's", "Safeway", "{last}'s Market"],
        ("07:00", "22:00"),
        (),
        True,
    ),
    "gas_station": (["point_of_interest"], ["Shell", "Chevron", "76", "Exxon"], None, (), False),
    "lodging": (
        ["point_of_interest"],
        ["The {adj} {noun} Hotel", "{city} {noun} Inn", "Hotel {last}"],
        None,
        (),
        True,
    ),
    "library": (
        ["point_of_interest"],
        ["{last} Branch Library", "{city} Public Library"],
        ("10:00", "19:00"),
        ("sun",),
        False,
    ),
    "book_store": (["store"], ["{adj} Page Books", "{last} & Sons Booksellers"], ("10:00", "20:00"), (), False),
    "movie_theater": (["point_of_interest"], ["{noun} Cinema", "AMC {city} 12"], ("12:00", "23:30"), (), True),
    "hospital": (
        ["health", "point_of_interest"],
        ["{city} General Hospital", "St. {last} Medical Center"],
        None,
        (),
        False,
    ),
    "transit_station": (["point_of_interest"], ["{noun} Street Station", "{last} Square Station"], None, (), False),
}
KIND_WEIGHTS = {
    "restaurant": 10,
    "cafe": 6,
    "bar": 3,
    "bakery": 2,
    "museum": 2,
    "park": 3,
    "gym": 2,
    "pharmacy": 2,
    "supermarket": 3,
    "gas_station": 2,
    "lodging": 3,
    "library": 1,
    "book_store": 1,
    "movie_theater": 1,
    "hospital": 1,
    "transit_station": 2,
}
ADJECTIVES = ["Golden", "Blue", "Little", "Rustic", "Copper", "Silver", "Green", "Lucky", "Hidden", "Velvet", "Olive"]
NOUNS = ["Oak", "Harbor", "Lantern", "Sparrow", "Anchor", "Maple", "Cedar", "Pine", "River", "Juniper", "Fox", "Bay"]
TOPICS = ["Art", "Science", "History", "Natural History", "Flight", "Modern Art", "Photography", "Music"]
REVIEW_PHRASES = {
    5: ["Absolutely loved it.", "Best in the neighborhood.", "Friendly staff and great value.", "Will be back soon!"],
    4: ["Really good, a bit busy.", "Solid choice, nice atmosphere.", "Good overall, parking is tricky."],
    3: ["It was okay.", "Average experience.", "Fine, nothing special."],
    2: ["Service was slow.", "Not worth the price.", "Disappointing visit."],
    1: ["Terrible experience.", "Would not recommend.", "Rude staff and long wait."],
}
DEFAULT_LISTS = ("Favorites", "Want to go", "Travel plans")


def _place_id(rng: Any) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    return "ChIJ" + "".join(rng.choice(alphabet) for _ in range(12))


def _hours(rng: Any, usual: tuple[str, str] | None, closed: tuple[str, ...]) -> dict[str, Any]:
    if usual is None:
        return {day: ["00:00", "24:00"] for day in WEEKDAYS}
    open_h, open_m = map(int, usual[0].split(":"))
    shift = rng.choice([-60, -30, 0, 0, 30, 60])
    opening = (open_h * 60 + open_m + shift) % (24 * 60)
    close_h, close_m = map(int, usual[1].split(":"))
    closing = (close_h * 60 + close_m + rng.choice([-60, 0, 0, 60])) % (24 * 60)
    fmt = f"{opening // 60:02d}:{opening % 60:02d}", f"{closing // 60:02d}:{closing % 60:02d}"
    return {day: (None if day in closed else list(fmt)) for day in WEEKDAYS}


def _grid_elevation(rng: Any, base: float, relief: float) -> list[list[float]]:
    """A smooth random surface: a few overlapping hills over the base elevation."""
    hills = [
        (rng.uniform(0, GRID_SIZE - 1), rng.uniform(0, GRID_SIZE - 1), rng.uniform(0.2, 1.0), rng.uniform(1.5, 3.5))
        for _ in range(3)
    ]
    grid = []
    for r in range(GRID_SIZE):
        row = []
        for c in range(GRID_SIZE):
            height = sum(h * math.exp(-((r - hr) ** 2 + (c - hc) ** 2) / (2 * w * w)) for hr, hc, h, w in hills)
            row.append(round(max(0.0, base + relief * height + rng.uniform(-2, 2)), 1))
        grid.append(row)
    return grid


@env.seed
def seed_maps(db: Session, data: SeedData) -> None:
    rng, fake = data.rng, data.fake
    db.execute(insert(ServiceClock), [{"id": 1, "now": NOW.isoformat()}])

    places: list[dict[str, Any]] = []
    samples: list[dict[str, Any]] = []
    kinds = list(KIND_WEIGHTS)
    weights = [KIND_WEIGHTS[k] for k in kinds]
    used_ids: set[str] = set()

    def new_place_id() -> str:
        pid = _place_id(rng)
        while pid in used_ids:
            pid = _place_id(rng)
        used_ids.add(pid)
        return pid

    for city, state, clat, clng, base, relief, zip_prefix, _metro in CITIES:
        grid = _grid_elevation(rng, base, relief)
        half = (GRID_SIZE - 1) / 2
        for r in range(GRID_SIZE):
            for c in range(GRID_SIZE):
                samples.append(
                    {
                        "sample_id": len(samples) + 1,
                        "city": city,
                        "row": r,
                        "col": c,
                        "lat": round(clat + (r - half) * GRID_STEP, 5),
                        "lng": round(clng + (c - half) * GRID_STEP, 5),
                        "elevation": grid[r][c],
                    }
                )
        places.append(
            {
                "place_id": new_place_id(),
                "name": city,
                "primary_type": "locality",
                "types": ["locality", "political"],
                "formatted_address": f"{city}, {state}, USA",
                "street_number": "",
                "route": "",
                "city": city,
                "state": state,
                "postal_code": "",
                "lat": clat,
                "lng": clng,
                "rating": 0.0,
                "user_ratings_total": 0,
                "price_level": None,
                "phone_number": "",
                "website": "",
                "opening_hours": {},
            }
        )
        streets = [fake.street_name() for _ in range(14)]
        names_here: set[str] = set()
        for _ in range(46):
            kind = rng.choices(kinds, weights)[0]
            other_types, patterns, usual, closed, priced = PLACE_KINDS[kind]
            for _attempt in range(10):
                name = rng.choice(patterns).format(
                    last=fake.last_name(),
                    adj=rng.choice(ADJECTIVES),
                    noun=rng.choice(NOUNS),
                    noun2=rng.choice(NOUNS),
                    city=city,
                    topic=rng.choice(TOPICS),
                )
                if name not in names_here:
                    break
            names_here.add(name)
            number = str(rng.randint(10, 4999))
            route = rng.choice(streets)
            postal = f"{zip_prefix}{rng.randint(1, 39):02d}"
            places.append(
                {
                    "place_id": new_place_id(),
                    "name": name,
                    "primary_type": kind,
                    "types": [kind, *other_types, "establishment"],
                    "formatted_address": f"{number} {route}, {city}, {state} {postal}, USA",
                    "street_number": number,
                    "route": route,
                    "city": city,
                    "state": state,
                    "postal_code": postal,
                    "lat": round(clat + rng.uniform(-0.06, 0.06), 6),
                    "lng": round(clng + rng.uniform(-0.06, 0.06), 6),
                    "rating": round(min(5.0, max(2.0, rng.gauss(4.2, 0.45))), 1),
                    "user_ratings_total": rng.randint(12, 3200),
                    "price_level": rng.randint(1, 4) if priced else None,
                    "phone_number": f"({rng.randint(201, 989)}) {rng.randint(200, 999)}-{rng.randint(0, 9999):04d}",
                    "website": "https://www."
                    + re.sub(r"[^a-z0-9]", "", name.lower())[:30]
                    + rng.choice([".com", ".net", ".co"]),
                    "opening_hours": _hours(rng, usual, closed),
                }
            )
    db.execute(insert(Place), places)
    db.execute(insert(ElevationSample), samples)

    users = []
    seen_users: set[str] = set()
    while len(users) < 80:
        first, last = fake.first_name(), fake.last_name()
        user_id = f"{first.lower()}_{last.lower()}_{rng.randint(1000, 9999)}"
        if user_id in seen_users:
            continue
        seen_users.add(user_id)
        users.append(
            {
                "user_id": user_id,
                "name": f"{first} {last}",
                "email": f"{first.lower()}.{last.lower()}@{fake.free_email_domain()}",
                "home_city": rng.choice(CITIES)[0],
            }
        )
    db.execute(insert(User), users)

    venues = [p for p in places if p["primary_type"] != "locality"]
    lists, saved, reviews = [], [], []
    for user in users:
        user_lists = []
        for index, list_name in enumerate(DEFAULT_LISTS):
            list_id = f"L{len(lists) + 1:05d}"
            created = NOW - dt.timedelta(days=rng.randint(60, 900), minutes=index)
            lists.append(
                {
                    "list_id": list_id,
                    "user_id": user["user_id"],
                    "list_name": list_name,
                    "created_at": created.isoformat(),
                }
            )
            user_lists.append(list_id)
        local = [p for p in venues if p["city"] == user["home_city"]]
        for place in rng.sample(local, rng.randint(2, 9)):
            saved.append(
                {
                    "saved_id": f"S{len(saved) + 1:05d}",
                    "list_id": rng.choice(user_lists),
                    "place_id": place["place_id"],
                    "note": rng.choice(
                        ["", "", "Try the specials", "Good for groups", "Near the office", "Weekend idea"]
                    ),
                    "saved_at": (NOW - dt.timedelta(days=rng.randint(1, 400), hours=rng.randint(0, 23))).isoformat(),
                }
            )
        for place in rng.sample(venues, rng.randint(8, 26)):
            stars = max(1, min(5, round(rng.gauss(place["rating"], 0.8))))
            reviews.append(
                {
                    "review_id": f"R{len(reviews) + 1:05d}",
                    "place_id": place["place_id"],
                    "user_id": user["user_id"],
                    "rating": stars,
                    "text": rng.choice(REVIEW_PHRASES[stars]),
                    "created_at": (NOW - dt.timedelta(days=rng.randint(1, 700), hours=rng.randint(0, 23))).isoformat(),
                }
            )
    db.execute(insert(SavedList), lists)
    db.execute(insert(SavedPlace), saved)
    db.execute(insert(Review), reviews)


# -- geometry and the route model -------------------------------------------------------------------------

EARTH_RADIUS_M = 6_371_000
TravelMode = Literal["driving", "walking", "bicycling", "transit"]
Units = Literal["metric", "imperial"]
Avoid = Literal["tolls", "highways", "ferries"]
ROUTE_FACTOR = {"driving": 1.3, "walking": 1.22, "bicycling": 1.25, "transit": 1.35}
MAX_ACTIVE_DISTANCE_M = 150_000  # no walking or cycling route longer than this
MAX_SAVED_LISTS = 20
MAX_PLACES_PER_LIST = 500


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def _traffic_factor(when: dt.datetime) -> float:
    rush = when.weekday() < 5 and (7 <= when.hour < 10 or 16 <= when.hour < 19)
    if rush:
        return 1.45
    if 10 <= when.hour < 16:
        return 1.12
    return 0.95


class _Leg(TypedDict):
    distance_m: int
    duration_s: int
    duration_in_traffic_s: int | None


def _leg(
    origin: dict[str, Any],
    destination: dict[str, Any],
    mode: str,
    avoid: list[str],
    departure: dt.datetime | None,
) -> _Leg | None:
    """Distance and duration between two points by mode, or None when the mode has no route."""
    straight = haversine_m(origin["lat"], origin["lng"], destination["lat"], destination["lng"])
    distance = straight * ROUTE_FACTOR[mode]
    if mode == "transit":
        if not origin.get("city") or METRO.get(origin["city"]) != METRO.get(destination.get("city", "")):
            return None
        return {
            "distance_m": round(distance),
            "duration_s": round(480 + distance / (24_000 / 3600)),
            "duration_in_traffic_s": None,
        }
    if mode in ("walking", "bicycling"):
        if distance > MAX_ACTIVE_DISTANCE_M:
            return None
        speed = 5_000 if mode == "walking" else 15_000
        return {
            "distance_m": round(distance),
            "duration_s": round(distance / (speed / 3600)),
            "duration_in_traffic_s": None,
        }
    if "highways" in avoid:
        distance *= 1.12
        seconds = distance / (42_000 / 3600)
    else:
        city_part = min(distance, 10_000)
        seconds = city_part / (34_000 / 3600) + (distance - city_part) / (95_000 / 3600)
    if "tolls" in avoid:
        distance *= 1.04
        seconds *= 1.05
    if (
        "ferries" in avoid
        and METRO.get(origin.get("city", "")) == "Bay Area"
        and origin.get("city") != destination.get("city")
    ):
        distance *= 1.08
        seconds *= 1.08
    in_traffic = round(seconds * _traffic_factor(departure)) if departure else None
    return {"distance_m": round(distance), "duration_s": round(seconds), "duration_in_traffic_s": in_traffic}


def _distance_text(meters: int, units: str) -> str:
    if units == "imperial":
        miles = meters / 1609.344
        return f"{miles:.1f} mi" if miles >= 0.1 else f"{round(meters * 3.28084)} ft"
    return f"{meters / 1000:.1f} km" if meters >= 1000 else f"{meters} m"


def _duration_text(seconds: int) -> str:
    minutes = max(1, round(seconds / 60))
    if minutes < 60:
        return f"{minutes} min" + ("s" if minutes != 1 else "")
    hours, rest = divmod(minutes, 60)
    return f"{hours} hour{'s' if hours != 1 else ''} {rest} min{'s' if rest != 1 else ''}"


LATLNG = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")


def _check_coordinates(lat: float, lng: float) -> None:
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise DomainError(
            f"Coordinates ({lat}, {lng}) are out of range: latitude must be -90..90, longitude -180..180."
        )


def _resolve(ctx: ToolContext, text: str) -> dict[str, Any]:
    """A place (or a bare coordinate) from an address, a place name, 'lat,lng' or 'place_id:<id>'."""
    text = text.strip()
    if not text:
        raise DomainError("An empty location was given; pass an address, a place name, 'lat,lng' or 'place_id:<id>'.")
    places = ctx.rows(Place)
    key = text[len("place_id:") :] if text.startswith("place_id:") else text
    place = places.get(key)
    if place is not None:
        return place
    match = LATLNG.match(text)
    if match:
        lat, lng = float(match.group(1)), float(match.group(2))
        _check_coordinates(lat, lng)
        nearest = _nearest_places(ctx, lat, lng, 1, radius_m=60_000)
        city = nearest[0]["city"] if nearest else ""
        return {
            "place_id": None,
            "name": text,
            "formatted_address": f"{lat:.6f},{lng:.6f}",
            "lat": lat,
            "lng": lng,
            "city": city,
        }
    lowered = text.lower().removesuffix(", usa")
    exact = ctx.query(
        "SELECT place_id FROM places WHERE lower(formatted_address) IN (?, ?) OR lower(name) = ? "
        "OR lower(name || ', ' || city) = ? OR lower(name || ', ' || formatted_address) = ? "
        "ORDER BY primary_type = 'locality' DESC, user_ratings_total DESC",
        (lowered, lowered + ", usa", lowered, lowered, lowered + ", usa"),
    )
    if not exact:
        exact = ctx.query(
            "SELECT place_id FROM places WHERE lower(formatted_address) LIKE ? "
            "ORDER BY user_ratings_total DESC LIMIT 1",
            (f"%{lowered}%",),
        )
    if not exact:
        raise DomainError(f"Could not find a place or address matching '{text}'.")
    return places.get(exact[0]["place_id"])  # type: ignore[return-value]


def _nearest_places(
    ctx: ToolContext, lat: float, lng: float, limit: int, radius_m: float, primary_type: str | None = None
) -> list[dict[str, Any]]:
    # A bounding box prefilter in SQL, then exact distances in Python.
    dlat = radius_m / 111_000
    dlng = radius_m / (111_000 * max(0.1, math.cos(math.radians(lat))))
    sql = (
        "SELECT place_id, lat, lng FROM places WHERE lat BETWEEN ? AND ? AND lng BETWEEN ? AND ? "
        "AND primary_type != 'locality'"
    )
    params: list[Any] = [lat - dlat, lat + dlat, lng - dlng, lng + dlng]
    if primary_type:
        sql += " AND primary_type = ?"
        params.append(primary_type)
    candidates = [(haversine_m(lat, lng, row["lat"], row["lng"]), row["place_id"]) for row in ctx.query(sql, params)]
    candidates = sorted(c for c in candidates if c[0] <= radius_m)[:limit]
    places = ctx.rows(Place)
    found = []
    for distance, place_id in candidates:
        place = places.get(place_id)
        assert place is not None
        place["distance_m"] = round(distance)
        found.append(place)
    return found


def _is_open(hours: dict[str, Any], when: dt.datetime) -> bool | None:
    if not hours:
        return None
    minute = when.hour * 60 + when.minute

    def to_minutes(text: str) -> int:
        h, m = map(int, text.split(":"))
        return h * 60 + m

    today = hours.get(WEEKDAYS[when.weekday()])
    if today:
        start, end = to_minutes(today[0]), to_minutes(today[1])
        if end <= start:  # runs past midnight
            if minute >= start:
                return True
        elif start <= minute < end:
            return True
    yesterday = hours.get(WEEKDAYS[(when.weekday() - 1) % 7])
    if yesterday:
        start, end = to_minutes(yesterday[0]), to_minutes(yesterday[1])
        if end <= start and minute < end:
            return True
    return False


def _weekday_text(hours: dict[str, Any]) -> list[str]:
    def fmt(text: str) -> str:
        h, m = map(int, text.split(":"))
        h %= 24
        return f"{(h % 12) or 12}:{m:02d} {'AM' if h < 12 else 'PM'}"

    lines = []
    for day, label in zip(WEEKDAYS, DAY_NAMES, strict=True):
        span = hours.get(day)
        if span is None:
            lines.append(f"{label}: Closed")
        elif span == ["00:00", "24:00"]:
            lines.append(f"{label}: Open 24 hours")
        else:
            lines.append(f"{label}: {fmt(span[0])} – {fmt(span[1])}")
    return lines


def _parse_departure(ctx: ToolContext, departure_time: str | None) -> dt.datetime | None:
    if departure_time is None or departure_time == "now":
        return ctx.now if departure_time == "now" else None
    try:
        when = dt.datetime.fromisoformat(departure_time)
    except ValueError:
        raise DomainError(
            f"departure_time '{departure_time}' is not a date and time like '2024-05-16T08:30' or 'now'."
        ) from None
    if when.tzinfo is not None:
        when = when.replace(tzinfo=None)
    if when < ctx.now:
        raise DomainError(
            f"departure_time {departure_time} is in the past (it is now {ctx.now.isoformat(timespec='minutes')})."
        )
    return when


def _require_user(ctx: ToolContext, user_id: str) -> dict[str, Any]:
    return ctx.rows(User).require(user_id, missing=f"There is no user '{user_id}'.")


def _require_place(ctx: ToolContext, place_id: str) -> dict[str, Any]:
    place = ctx.rows(Place).require(place_id, missing=f"Place '{place_id}' was not found (NOT_FOUND).")
    return place


# -- output shapes --------------------------------------------------------------------------------------------


class LatLng(TypedDict):
    lat: float
    lng: float


class GeocodeResult(TypedDict):
    place_id: str
    name: str
    formatted_address: str
    lat: float
    lng: float
    types: list[str]
    city: str
    postal_code: str


class GeocodeResponse(TypedDict):
    status: str
    results: list[GeocodeResult]


class ReverseGeocodeResult(TypedDict):
    place_id: str
    name: str
    formatted_address: str
    lat: float
    lng: float
    types: list[str]
    distance_m: int


class ReverseGeocodeResponse(TypedDict):
    status: str
    results: list[ReverseGeocodeResult]


class PlaceSummary(TypedDict):
    place_id: str
    name: str
    formatted_address: str
    primary_type: str
    rating: float
    user_ratings_total: int
    price_level: int | None
    open_now: bool | None
    lat: float
    lng: float
    distance_m: int | None  # from the search center, for nearby searches


class PlaceSearchResponse(TypedDict):
    status: str
    total: int
    results: list[PlaceSummary]


class ReviewView(TypedDict):
    review_id: str
    user_id: str
    author_name: str
    rating: int
    text: str
    created_at: str


class PlaceDetails(TypedDict):
    place_id: str
    name: str
    formatted_address: str
    city: str
    postal_code: str
    lat: float
    lng: float
    types: list[str]
    primary_type: str
    rating: float
    user_ratings_total: int
    price_level: int | None
    phone_number: str
    website: str
    open_now: bool | None
    weekday_text: list[str]
    reviews: list[ReviewView]


class MatrixElement(TypedDict):
    status: str
    distance_m: int | None
    distance_text: str | None
    duration_s: int | None
    duration_text: str | None
    duration_in_traffic_s: int | None


class MatrixRow(TypedDict):
    elements: list[MatrixElement]


class DistanceMatrixResponse(TypedDict):
    status: str
    origin_addresses: list[str]
    destination_addresses: list[str]
    mode: str
    rows: list[MatrixRow]


class ElevationResponse(TypedDict):
    lat: float
    lng: float
    elevation: float
    resolution_m: float


class DirectionStep(TypedDict):
    instruction: str
    distance_m: int
    duration_s: int


class DirectionsResponse(TypedDict):
    status: str
    mode: str
    start_address: str
    end_address: str
    distance_m: int | None
    distance_text: str | None
    duration_s: int | None
    duration_text: str | None
    duration_in_traffic_s: int | None
    summary: str
    steps: list[DirectionStep]


class SavedPlaceView(TypedDict):
    saved_id: str
    list_name: str
    place_id: str
    name: str
    formatted_address: str
    note: str
    saved_at: str


class SavedPlacesPage(TypedDict):
    user_id: str
    total: int
    offset: int
    saved_places: list[SavedPlaceView]


class SavedListView(TypedDict):
    list_id: str
    list_name: str
    place_count: int
    created_at: str


class RemovedSaved(TypedDict):
    place_id: str
    removed_from: list[str]


class ReviewWritten(TypedDict):
    review_id: str
    place_id: str
    rating: int
    text: str
    created_at: str
    place_rating: float
    user_ratings_total: int


# -- tools ----------------------------------------------------------------------------------------------------


def _summary(place: dict[str, Any], now: dt.datetime) -> PlaceSummary:
    return {
        "place_id": place["place_id"],
        "name": place["name"],
        "formatted_address": place["formatted_address"],
        "primary_type": place["primary_type"],
        "rating": place["rating"],
        "user_ratings_total": place["user_ratings_total"],
        "price_level": place["price_level"],
        "open_now": _is_open(place["opening_hours"], now),
        "lat": place["lat"],
        "lng": place["lng"],
        "distance_m": place.get("distance_m"),
    }
