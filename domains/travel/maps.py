"""Maps: a Google Maps Platform style service for geocoding, places, routes and elevation.

Modeled on the public Google Maps Platform APIs (Geocoding, Places, Distance Matrix, Directions and
Elevation) plus the per-user features of the Maps app: saved-place lists and reviews. The seeded world
is fourteen US metro areas with hundreds of places (addresses, coordinates, types, ratings, opening
hours), an elevation grid per metro, users with saved lists and reviews.

Routes come from a deterministic model rather than a road graph: the great-circle distance stretched by
a per-mode detour factor, at per-mode speeds, with rush-hour traffic for driving when a departure time is
given. Transit runs only inside one metro area. That keeps every answer reproducible from the state.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any, Literal

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, UniqueConstraint, insert, text
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from typing_extensions import TypedDict

from envfactory_gym.authoring import EnvironmentDefinition, SeedData, ServiceClockMixin, ToolContext
from envfactory_gym.errors import DomainError


class Base(DeclarativeBase):
    pass


class ServiceClock(ServiceClockMixin, Base):
    """The simulated current local time (one row)."""


class User(Base):
    __tablename__ = "users"
    user_id: Mapped[str] = mapped_column(String(40), primary_key=True, info={"user_known": True})
    name: Mapped[str] = mapped_column(String(80))
    email: Mapped[str] = mapped_column(String(120))
    home_city: Mapped[str] = mapped_column(String(40))


class Place(Base):
    __tablename__ = "places"
    __label__ = "{name} at {formatted_address}"
    # The lookups of _resolve, by lowered name and address forms: indexed so that none scans the table.
    __table_args__ = (
        Index("ix_places_lower_address", text("lower(formatted_address)")),
        Index("ix_places_lower_name", text("lower(name)")),
        Index("ix_places_lower_name_city", text("lower(name || ', ' || city)")),
        Index("ix_places_lower_name_address", text("lower(name || ', ' || formatted_address)")),
    )
    place_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(80), index=True)
    primary_type: Mapped[str] = mapped_column(String(30), index=True)
    types: Mapped[list[str]] = mapped_column(JSON)
    formatted_address: Mapped[str] = mapped_column(String(160), index=True)
    street_number: Mapped[str] = mapped_column(String(8))
    route: Mapped[str] = mapped_column(String(60))
    city: Mapped[str] = mapped_column(String(40), index=True)
    state: Mapped[str] = mapped_column(String(2))
    postal_code: Mapped[str] = mapped_column(String(5))
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)
    rating: Mapped[float] = mapped_column(Float)
    user_ratings_total: Mapped[int] = mapped_column(Integer)
    price_level: Mapped[int | None] = mapped_column(Integer, nullable=True)
    phone_number: Mapped[str] = mapped_column(String(20))
    website: Mapped[str] = mapped_column(String(120))
    # {"mon": ["09:00", "17:00"] | None, ...}; a closing time at or before the opening time runs past midnight.
    opening_hours: Mapped[dict[str, Any]] = mapped_column(JSON)


class ElevationSample(Base):
    """One point of a metro area's elevation grid (meters above sea level)."""

    __tablename__ = "elevation_samples"
    sample_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city: Mapped[str] = mapped_column(String(40), index=True)
    row: Mapped[int] = mapped_column(Integer)
    col: Mapped[int] = mapped_column(Integer)
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)
    elevation: Mapped[float] = mapped_column(Float)


class SavedList(Base):
    __tablename__ = "saved_lists"
    __table_args__ = (UniqueConstraint("user_id", "list_name"),)
    __label__ = "the {list_name} list of {user_id}"
    list_id: Mapped[str] = mapped_column(String(10), primary_key=True, info={"generated": True})
    user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id"), index=True)
    list_name: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class SavedPlace(Base):
    __tablename__ = "saved_places"
    __table_args__ = (UniqueConstraint("list_id", "place_id"),)
    saved_id: Mapped[str] = mapped_column(String(10), primary_key=True, info={"generated": True})
    list_id: Mapped[str] = mapped_column(ForeignKey("saved_lists.list_id"), index=True)
    place_id: Mapped[str] = mapped_column(ForeignKey("places.place_id"))
    note: Mapped[str] = mapped_column(String(200))
    saved_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class Review(Base):
    __tablename__ = "reviews"
    __table_args__ = (UniqueConstraint("place_id", "user_id"),)
    review_id: Mapped[str] = mapped_column(String(10), primary_key=True, info={"generated": True})
    place_id: Mapped[str] = mapped_column(ForeignKey("places.place_id"), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id"), index=True)
    rating: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


env = EnvironmentDefinition(
    "maps",
    domain="travel",
    models=Base,
    modeled_on="Maps",
    description=(
        "A maps service in the style of Google Maps Platform: geocoding and reverse geocoding, place search "
        "and details (address, coordinates, rating, opening hours, reviews), distance matrices and directions "
        "by travel mode (driving, walking, bicycling, transit), elevation, and each user's saved-place lists "
        "and reviews. Policy: a user may keep at most 20 lists and 500 places per list, may not save a place "
        "twice in one list, and writes at most one review per place (1-5 stars). Transit only runs within one "
        "metro area; departure times may not be in the past."
    ),
)


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


@env.read(intents=["find the coordinates of {address}", "where exactly is {address}?"])
def maps_geocode(ctx: ToolContext, address: str) -> GeocodeResponse:
    """Convert an address or a place name into coordinates and a place id (forward geocoding).

    Matches full or partial street addresses ('1200 Oak Street, Denver'), place names ('Blue Bean Cafe')
    and city names ('Austin, TX'). Returns status 'ZERO_RESULTS' with no results when nothing matches.

    Args:
        address: The address, place name or city to look up.
    """
    text = address.strip().lower().removesuffix(", usa")
    if not text:
        raise DomainError("The address is empty (INVALID_REQUEST).")
    # Exact matches (a full address, a place name, 'Name, City' or 'City, ST') win over partial addresses.
    rows = ctx.query(
        "SELECT place_id FROM places WHERE lower(formatted_address) IN (?, ?) OR lower(name) = ? "
        "OR lower(name || ', ' || city) = ? OR (primary_type = 'locality' AND lower(city || ', ' || state) = ?) "
        "ORDER BY primary_type = 'locality' DESC, user_ratings_total DESC LIMIT 5",
        (text, text + ", usa", text, text, text),
    )
    if not rows:
        rows = ctx.query(
            "SELECT place_id FROM places WHERE lower(formatted_address) LIKE ? AND primary_type != 'locality' "
            "ORDER BY user_ratings_total DESC LIMIT 5",
            (f"%{text}%",),
        )
    places = ctx.rows(Place)
    results: list[GeocodeResult] = []
    for row in rows:
        p = places.get(row["place_id"])
        assert p is not None
        results.append(
            {
                "place_id": p["place_id"],
                "name": p["name"],
                "formatted_address": p["formatted_address"],
                "lat": p["lat"],
                "lng": p["lng"],
                "types": p["types"],
                "city": p["city"],
                "postal_code": p["postal_code"],
            }
        )
    return {"status": "OK" if results else "ZERO_RESULTS", "results": results}


@env.read(intents=["what is the address at {lat}, {lng}?", "what's near the coordinates {lat}, {lng}?"])
def maps_reverse_geocode(ctx: ToolContext, lat: float, lng: float) -> ReverseGeocodeResponse:
    """Find the addresses closest to a coordinate (reverse geocoding), nearest first, within 1 km.

    Args:
        lat: Latitude in decimal degrees, such as 39.7392.
        lng: Longitude in decimal degrees, such as -104.9903.
    """
    _check_coordinates(lat, lng)
    nearest = _nearest_places(ctx, lat, lng, 5, radius_m=1_000)
    results: list[ReverseGeocodeResult] = [
        {
            "place_id": p["place_id"],
            "name": p["name"],
            "formatted_address": p["formatted_address"],
            "lat": p["lat"],
            "lng": p["lng"],
            "types": p["types"],
            "distance_m": p["distance_m"],
        }
        for p in nearest
    ]
    return {"status": "OK" if results else "ZERO_RESULTS", "results": results}


@env.read(
    intents=[
        "find a {primary_type} in {city}",
        "search for {query} in {city}",
        "look for highly rated places matching {query}",
    ]
)
def maps_search_places(
    ctx: ToolContext,
    query: str = "",
    city: str | None = None,
    primary_type: str | None = None,
    min_rating: float | None = None,
    open_now: bool = False,
    limit: int = 10,
    offset: int = 0,
) -> PlaceSearchResponse:
    """Search places by text (name or address words), optionally within a city and of one type (Text Search).

    Results are ordered by rating, then by number of ratings.

    Args:
        query: Words to match in the place's name or address, such as 'coffee' or 'Oak Street'. Empty matches all.
        city: Only places in this city, such as 'Seattle'.
        primary_type: Only places of this type: restaurant, cafe, bar, bakery, museum, park, gym, pharmacy,
            supermarket, gas_station, lodging, library, book_store, movie_theater, hospital, transit_station.
        min_rating: Only places rated at least this (0-5).
        open_now: Only places open at the current time.
        limit: Maximum number of results (1-20).
        offset: Number of results to skip, for paging.
    """
    if not 1 <= limit <= 20:
        raise DomainError("limit must be between 1 and 20.")
    if offset < 0:
        raise DomainError("offset cannot be negative.")
    sql = "SELECT place_id FROM places WHERE primary_type != 'locality'"
    params: list[Any] = []
    for word in query.lower().split():
        sql += " AND (lower(name) LIKE ? OR lower(formatted_address) LIKE ? OR primary_type LIKE ?)"
        params += [f"%{word}%", f"%{word}%", f"%{word}%"]
    if city:
        sql += " AND lower(city) = ?"
        params.append(city.strip().lower())
    if primary_type:
        sql += " AND primary_type = ?"
        params.append(primary_type.strip().lower())
    if min_rating is not None:
        sql += " AND rating >= ?"
        params.append(min_rating)
    sql += " ORDER BY rating DESC, user_ratings_total DESC, place_id"
    places = ctx.rows(Place)
    matches = [places.get(r["place_id"]) for r in ctx.query(sql, params)]
    summaries = [_summary(p, ctx.now) for p in matches if p is not None]
    if open_now:
        summaries = [s for s in summaries if s["open_now"]]
    return {
        "status": "OK" if summaries else "ZERO_RESULTS",
        "total": len(summaries),
        "results": summaries[offset : offset + limit],
    }


@env.read(intents=["find a {primary_type} near {lat}, {lng}", "is there a {primary_type} close to {lat}, {lng}?"])
def maps_nearby_search(
    ctx: ToolContext, lat: float, lng: float, radius_m: int = 5000, primary_type: str | None = None, limit: int = 10
) -> PlaceSearchResponse:
    """List places within a radius of a coordinate, nearest first (Nearby Search).

    Args:
        lat: Latitude of the center, in decimal degrees.
        lng: Longitude of the center, in decimal degrees.
        radius_m: Search radius in meters (1-50000).
        primary_type: Only places of this type, such as 'cafe' or 'pharmacy'.
        limit: Maximum number of results (1-20).
    """
    _check_coordinates(lat, lng)
    if not 1 <= radius_m <= 50_000:
        raise DomainError("radius_m must be between 1 and 50000 meters.")
    if not 1 <= limit <= 20:
        raise DomainError("limit must be between 1 and 20.")
    nearest = _nearest_places(ctx, lat, lng, limit, float(radius_m), primary_type)
    return {
        "status": "OK" if nearest else "ZERO_RESULTS",
        "total": len(nearest),
        "results": [_summary(p, ctx.now) for p in nearest],
    }


@env.read(
    intents=[
        "is {place_id} open right now?",
        "get the phone number and opening hours of {place_id}",
        "what do people say about {place_id}?",
    ]
)
def maps_place_details(ctx: ToolContext, place_id: str) -> PlaceDetails:
    """Get everything about a place: address, coordinates, types, rating, phone, website, opening hours
    (and whether it is open now), and its five most recent reviews.

    Args:
        place_id: The place id, such as 'ChIJq3xVe9Lk8T0a'.
    """
    place = _require_place(ctx, place_id)
    reviews = ctx.query(
        "SELECT r.review_id, r.user_id, u.name AS author_name, r.rating, r.text, r.created_at "
        "FROM reviews r JOIN users u ON u.user_id = r.user_id WHERE r.place_id = ? "
        "ORDER BY r.created_at DESC LIMIT 5",
        (place_id,),
    )
    return {
        "place_id": place["place_id"],
        "name": place["name"],
        "formatted_address": place["formatted_address"],
        "city": place["city"],
        "postal_code": place["postal_code"],
        "lat": place["lat"],
        "lng": place["lng"],
        "types": place["types"],
        "primary_type": place["primary_type"],
        "rating": place["rating"],
        "user_ratings_total": place["user_ratings_total"],
        "price_level": place["price_level"],
        "phone_number": place["phone_number"],
        "website": place["website"],
        "open_now": _is_open(place["opening_hours"], ctx.now),
        "weekday_text": _weekday_text(place["opening_hours"]) if place["opening_hours"] else [],
        "reviews": reviews,  # type: ignore[typeddict-item]
    }


@env.read(
    intents=[
        "how long does it take to get from {origins} to {destinations} by {mode}?",
        "compare travel distances from {origins} to {destinations}",
    ]
)
def maps_distance_matrix(
    ctx: ToolContext,
    origins: list[str],
    destinations: list[str],
    mode: TravelMode = "driving",
    units: Units = "metric",
    avoid: list[Avoid] | None = None,
    departure_time: str | None = None,
) -> DistanceMatrixResponse:
    """Travel distance and time for every origin-destination pair (Distance Matrix).

    Each origin and destination may be an address, a place name, 'lat,lng' or 'place_id:<place id>'. An
    element's status is 'ZERO_RESULTS' when the mode has no route (transit between metro areas, walks
    or rides over 150 km). With a departure_time, driving also reports the time in traffic.

    Args:
        origins: Starting points (1-10).
        destinations: End points (1-10).
        mode: driving, walking, bicycling or transit.
        units: metric or imperial, for the distance texts.
        avoid: Route features to avoid: tolls, highways, ferries (driving only).
        departure_time: When to leave, as 'YYYY-MM-DDTHH:MM' local time or 'now'; not in the past.
    """
    if not 1 <= len(origins) <= 10 or not 1 <= len(destinations) <= 10:
        raise DomainError("Give between 1 and 10 origins and between 1 and 10 destinations (MAX_DIMENSIONS_EXCEEDED).")
    departure = _parse_departure(ctx, departure_time)
    origin_points = [_resolve(ctx, o) for o in origins]
    destination_points = [_resolve(ctx, d) for d in destinations]
    rows: list[MatrixRow] = []
    for origin in origin_points:
        elements: list[MatrixElement] = []
        for destination in destination_points:
            leg = _leg(origin, destination, mode, list(avoid or []), departure if mode == "driving" else None)
            if leg is None:
                elements.append(
                    {
                        "status": "ZERO_RESULTS",
                        "distance_m": None,
                        "distance_text": None,
                        "duration_s": None,
                        "duration_text": None,
                        "duration_in_traffic_s": None,
                    }
                )
            else:
                elements.append(
                    {
                        "status": "OK",
                        "distance_m": leg["distance_m"],
                        "distance_text": _distance_text(leg["distance_m"], units),
                        "duration_s": leg["duration_s"],
                        "duration_text": _duration_text(leg["duration_s"]),
                        "duration_in_traffic_s": leg["duration_in_traffic_s"],
                    }
                )
        rows.append({"elements": elements})
    return {
        "status": "OK",
        "origin_addresses": [p["formatted_address"] for p in origin_points],
        "destination_addresses": [p["formatted_address"] for p in destination_points],
        "mode": mode,
        "rows": rows,
    }


@env.read(intents=["what is the elevation at {lat}, {lng}?", "how high above sea level is {lat}, {lng}?"])
def maps_elevation(ctx: ToolContext, lat: float, lng: float) -> ElevationResponse:
    """Elevation above sea level at a coordinate, interpolated from the nearest metro area's elevation grid.

    Args:
        lat: Latitude in decimal degrees.
        lng: Longitude in decimal degrees.
    """
    _check_coordinates(lat, lng)
    city = min(CITIES, key=lambda c: haversine_m(lat, lng, c[2], c[3]))
    half = (GRID_SIZE - 1) / 2
    r = (lat - city[2]) / GRID_STEP + half
    c = (lng - city[3]) / GRID_STEP + half
    if not (0 <= r <= GRID_SIZE - 1 and 0 <= c <= GRID_SIZE - 1):
        covered = ", ".join(x[0] for x in CITIES)
        raise DomainError(
            f"No elevation data at ({lat}, {lng}). Elevation is available within the metro areas of {covered}."
        )
    r0, c0 = min(int(r), GRID_SIZE - 2), min(int(c), GRID_SIZE - 2)
    fr, fc = r - r0, c - c0
    grid = {
        (s["row"], s["col"]): s["elevation"]
        for s in ctx.query(
            "SELECT row, col, elevation FROM elevation_samples WHERE city = ? AND row IN (?, ?) AND col IN (?, ?)",
            (city[0], r0, r0 + 1, c0, c0 + 1),
        )
    }
    top = grid[(r0, c0)] * (1 - fc) + grid[(r0, c0 + 1)] * fc
    bottom = grid[(r0 + 1, c0)] * (1 - fc) + grid[(r0 + 1, c0 + 1)] * fc
    elevation = top * (1 - fr) + bottom * fr
    return {"lat": lat, "lng": lng, "elevation": round(elevation, 1), "resolution_m": round(GRID_STEP * 111_000, 1)}


def _bearing(origin: dict[str, Any], destination: dict[str, Any]) -> str:
    dy = destination["lat"] - origin["lat"]
    dx = (destination["lng"] - origin["lng"]) * math.cos(math.radians(origin["lat"]))
    angle = (math.degrees(math.atan2(dx, dy)) + 360) % 360
    return ("north", "northeast", "east", "southeast", "south", "southwest", "west", "northwest")[round(angle / 45) % 8]


@env.read(
    intents=[
        "give me {mode} directions from {origin} to {destination}",
        "how do I get from {origin} to {destination}?",
    ]
)
def maps_directions(
    ctx: ToolContext,
    origin: str,
    destination: str,
    mode: TravelMode = "driving",
    units: Units = "metric",
    avoid: list[Avoid] | None = None,
    departure_time: str | None = None,
) -> DirectionsResponse:
    """Turn-by-turn route between two points by travel mode (Directions).

    Origin and destination may be an address, a place name, 'lat,lng' or 'place_id:<place id>'. Status is
    'ZERO_RESULTS' when the mode has no route between them.

    Args:
        origin: Where the trip starts.
        destination: Where the trip ends.
        mode: driving, walking, bicycling or transit.
        units: metric or imperial, for the distance texts.
        avoid: Route features to avoid: tolls, highways, ferries (driving only).
        departure_time: When to leave, as 'YYYY-MM-DDTHH:MM' local time or 'now'; not in the past.
    """
    departure = _parse_departure(ctx, departure_time)
    start, end = _resolve(ctx, origin), _resolve(ctx, destination)
    leg = _leg(start, end, mode, list(avoid or []), departure if mode == "driving" else None)
    if leg is None:
        return {
            "status": "ZERO_RESULTS",
            "mode": mode,
            "start_address": start["formatted_address"],
            "end_address": end["formatted_address"],
            "distance_m": None,
            "distance_text": None,
            "duration_s": None,
            "duration_text": None,
            "duration_in_traffic_s": None,
            "summary": f"No {mode} route found.",
            "steps": [],
        }
    total_m, total_s = leg["distance_m"], leg["duration_s"]
    start_road = start.get("route") or "the road"
    end_road = end.get("route") or end.get("city") or "the destination"
    heading = _bearing(start, end)
    long_trip = mode == "driving" and total_m > 20_000 and "highways" not in (avoid or [])
    if mode == "transit":
        parts = [
            (f"Walk to the nearest {METRO[start['city']]} transit stop", 0.08),
            (f"Take the train {heading} toward {end.get('city') or 'your destination'}", 0.8),
            (f"Walk to {end['formatted_address']}", 0.12),
        ]
        summary = f"Transit via {METRO[start['city']]} rail"
    else:
        verb = {"driving": "Head", "walking": "Walk", "bicycling": "Ride"}[mode]
        parts = [(f"{verb} {heading} on {start_road}", 0.15)]
        if long_trip:
            parts.append((f"Merge onto the highway toward {end.get('city') or 'your destination'}", 0.7))
            summary = f"Highway to {end.get('city')}"
        else:
            parts.append((f"Continue {heading} toward {end.get('city') or 'your destination'}", 0.7))
            summary = f"{start_road} and {end_road}"
        arrive = f"Turn onto {end['route']} and arrive" if end.get("route") else "Arrive"
        parts.append((f"{arrive} at {end['formatted_address']}", 0.15))
    steps: list[DirectionStep] = [
        {"instruction": text, "distance_m": round(total_m * share), "duration_s": round(total_s * share)}
        for text, share in parts
    ]
    return {
        "status": "OK",
        "mode": mode,
        "start_address": start["formatted_address"],
        "end_address": end["formatted_address"],
        "distance_m": total_m,
        "distance_text": _distance_text(total_m, units),
        "duration_s": total_s,
        "duration_text": _duration_text(total_s),
        "duration_in_traffic_s": leg["duration_in_traffic_s"],
        "summary": summary,
        "steps": steps,
    }


# -- saved places and reviews -------------------------------------------------------------------------------


def _find_list(ctx: ToolContext, user_id: str, list_name: str) -> dict[str, Any] | None:
    rows = ctx.query(
        "SELECT list_id FROM saved_lists WHERE user_id = ? AND lower(list_name) = ?",
        (user_id, list_name.strip().lower()),
    )
    return ctx.rows(SavedList).get(rows[0]["list_id"]) if rows else None


@env.read(intents=["what lists of saved places do I have? I'm {user_id}"])
def list_saved_lists(ctx: ToolContext, user_id: str) -> list[SavedListView]:
    """List a user's saved-place lists with how many places each holds.

    Args:
        user_id: The user's username, such as 'maria_garcia_1234'.
    """
    _require_user(ctx, user_id)
    return ctx.query(  # type: ignore[return-value]
        "SELECT l.list_id, l.list_name, l.created_at, COUNT(s.saved_id) AS place_count FROM saved_lists l "
        "LEFT JOIN saved_places s ON s.list_id = l.list_id WHERE l.user_id = ? "
        "GROUP BY l.list_id ORDER BY l.created_at",
        (user_id,),
    )


@env.write(intents=["create a new list called {list_name} for my saved places; I'm {user_id}"])
def create_list(ctx: ToolContext, user_id: str, list_name: str) -> SavedListView:
    """Create a new, empty saved-place list for a user. List names are unique per user; at most 20 lists.

    Args:
        user_id: The user's username.
        list_name: Name of the new list, such as 'Date night' (1-40 characters).
    """
    _require_user(ctx, user_id)
    name = list_name.strip()
    if not 1 <= len(name) <= 40:
        raise DomainError("A list name must be 1 to 40 characters long.")
    if _find_list(ctx, user_id, name) is not None:
        raise DomainError(f"You already have a list named '{name}'.")
    if ctx.rows(SavedList).count({"user_id": user_id}) >= MAX_SAVED_LISTS:
        raise DomainError(f"You already have {MAX_SAVED_LISTS} lists, the most allowed; delete one first.")
    row = ctx.rows(SavedList).insert(
        list_id=f"L{ctx.new_id(8)}", user_id=user_id, list_name=name, created_at=ctx.now.isoformat()
    )
    return {"list_id": row["list_id"], "list_name": name, "place_count": 0, "created_at": row["created_at"]}


@env.write(
    intents=[
        "save {place_id} to my {list_name} list (my username is {user_id})",
        "add {place_id} to my saved places with the note '{note}'; I'm {user_id}",
    ]
)
def save_place(
    ctx: ToolContext, user_id: str, place_id: str, list_name: str = "Favorites", note: str = ""
) -> SavedPlaceView:
    """Save a place to one of the user's lists, optionally with a private note.

    A place can be in several lists but only once per list; a list holds at most 500 places.

    Args:
        user_id: The user's username.
        place_id: The place to save.
        list_name: The list to save it in, such as 'Favorites', 'Want to go' or 'Travel plans'.
        note: A private note about the place (up to 200 characters).
    """
    _require_user(ctx, user_id)
    place = _require_place(ctx, place_id)
    if place["primary_type"] == "locality":
        raise DomainError(f"{place['name']} is a city, not a place that can be saved to a list.")
    if len(note) > 200:
        raise DomainError("The note is too long: at most 200 characters.")
    saved_list = _find_list(ctx, user_id, list_name)
    if saved_list is None:
        names = [r["list_name"] for r in ctx.rows(SavedList).find({"user_id": user_id})]
        raise DomainError(f"You have no list named '{list_name}'. Your lists: {', '.join(names) or 'none'}.")
    saved = ctx.rows(SavedPlace)
    if saved.first({"list_id": saved_list["list_id"], "place_id": place_id}) is not None:
        raise DomainError(f"{place['name']} is already in your {saved_list['list_name']} list.")
    if saved.count({"list_id": saved_list["list_id"]}) >= MAX_PLACES_PER_LIST:
        raise DomainError(f"Your {saved_list['list_name']} list is full ({MAX_PLACES_PER_LIST} places).")
    row = saved.insert(
        saved_id=f"S{ctx.new_id(8)}",
        list_id=saved_list["list_id"],
        place_id=place_id,
        note=note,
        saved_at=ctx.now.isoformat(),
    )
    return {
        "saved_id": row["saved_id"],
        "list_name": saved_list["list_name"],
        "place_id": place_id,
        "name": place["name"],
        "formatted_address": place["formatted_address"],
        "note": note,
        "saved_at": row["saved_at"],
    }


@env.read(
    intents=[
        "show me the places I saved in my {list_name} list; I'm {user_id}",
        "what places have I saved? I'm {user_id}",
    ]
)
def list_saved_places(
    ctx: ToolContext, user_id: str, list_name: str | None = None, limit: int = 20, offset: int = 0
) -> SavedPlacesPage:
    """List the places a user has saved, newest first, from one list or from all of them.

    Args:
        user_id: The user's username.
        list_name: Only this list; all lists when omitted.
        limit: Maximum number of saved places to return (1-50).
        offset: Number to skip, for paging.
    """
    _require_user(ctx, user_id)
    if not 1 <= limit <= 50 or offset < 0:
        raise DomainError("limit must be between 1 and 50 and offset cannot be negative.")
    sql = (
        "SELECT s.saved_id, l.list_name, s.place_id, p.name, p.formatted_address, s.note, s.saved_at "
        "FROM saved_places s JOIN saved_lists l ON l.list_id = s.list_id JOIN places p ON p.place_id = s.place_id "
        "WHERE l.user_id = ?"
    )
    params: list[Any] = [user_id]
    if list_name is not None:
        saved_list = _find_list(ctx, user_id, list_name)
        if saved_list is None:
            raise DomainError(f"You have no list named '{list_name}'.")
        sql += " AND l.list_id = ?"
        params.append(saved_list["list_id"])
    rows = ctx.query(sql + " ORDER BY s.saved_at DESC, s.saved_id", params)
    return {"user_id": user_id, "total": len(rows), "offset": offset, "saved_places": rows[offset : offset + limit]}  # type: ignore[typeddict-item]


@env.write(
    intents=[
        "remove {place_id} from my saved places; I'm {user_id}",
        "take {place_id} off my {list_name} list (user {user_id})",
    ]
)
def remove_saved_place(ctx: ToolContext, user_id: str, place_id: str, list_name: str | None = None) -> RemovedSaved:
    """Remove a saved place from one of the user's lists, or from every list it is in when no list is given.

    Args:
        user_id: The user's username.
        place_id: The saved place to remove.
        list_name: The list to remove it from; every list when omitted.
    """
    _require_user(ctx, user_id)
    place = _require_place(ctx, place_id)
    sql = (
        "SELECT s.saved_id, l.list_name FROM saved_places s JOIN saved_lists l ON l.list_id = s.list_id "
        "WHERE l.user_id = ? AND s.place_id = ?"
    )
    params: list[Any] = [user_id, place_id]
    if list_name is not None:
        if _find_list(ctx, user_id, list_name) is None:
            raise DomainError(f"You have no list named '{list_name}'.")
        sql += " AND lower(l.list_name) = ?"
        params.append(list_name.strip().lower())
    rows = ctx.query(sql, params)
    if not rows:
        where = f"your {list_name} list" if list_name else "any of your lists"
        raise DomainError(f"{place['name']} is not saved in {where}.")
    for row in rows:
        ctx.rows(SavedPlace).delete(row["saved_id"])
    return {"place_id": place_id, "removed_from": [r["list_name"] for r in rows]}


@env.write(
    intents=[
        "leave a {rating}-star review of {place_id} saying '{text}'; I'm {user_id}",
        "rate {place_id} {rating} stars (user {user_id})",
    ]
)
def write_review(ctx: ToolContext, user_id: str, place_id: str, rating: int, text: str = "") -> ReviewWritten:
    """Post the user's review of a place: 1-5 stars and optional text. One review per user and place.

    The place's average rating and rating count are updated.

    Args:
        user_id: The user's username.
        place_id: The place being reviewed.
        rating: Stars, a whole number from 1 to 5.
        text: What the user has to say (up to 1000 characters).
    """
    _require_user(ctx, user_id)
    place = _require_place(ctx, place_id)
    if place["primary_type"] == "locality":
        raise DomainError(f"{place['name']} is a city; only businesses and points of interest can be reviewed.")
    if not 1 <= rating <= 5:
        raise DomainError("A rating must be a whole number of stars from 1 to 5.")
    if len(text) > 1000:
        raise DomainError("The review text is too long: at most 1000 characters.")
    if ctx.rows(Review).first({"place_id": place_id, "user_id": user_id}) is not None:
        raise DomainError(f"You have already reviewed {place['name']}; delete that review to write a new one.")
    total = place["user_ratings_total"]
    new_rating = round((place["rating"] * total + rating) / (total + 1), 1)
    ctx.rows(Place).update(place_id, rating=new_rating, user_ratings_total=total + 1)
    row = ctx.rows(Review).insert(
        review_id=f"R{ctx.new_id(8)}",
        place_id=place_id,
        user_id=user_id,
        rating=rating,
        text=text,
        created_at=ctx.now.isoformat(),
    )
    return {
        "review_id": row["review_id"],
        "place_id": place_id,
        "rating": rating,
        "text": text,
        "created_at": row["created_at"],
        "place_rating": new_rating,
        "user_ratings_total": total + 1,
    }


@env.write(intents=["delete my review of {place_id}; I'm {user_id}"])
def delete_review(ctx: ToolContext, user_id: str, place_id: str) -> ReviewWritten:
    """Delete the user's review of a place; the place's average rating and rating count are updated.

    Args:
        user_id: The user's username.
        place_id: The place whose review to delete.
    """
    _require_user(ctx, user_id)
    place = _require_place(ctx, place_id)
    review = ctx.rows(Review).first({"place_id": place_id, "user_id": user_id})
    if review is None:
        raise DomainError(f"You have not reviewed {place['name']}.")
    total = place["user_ratings_total"]
    new_rating = round((place["rating"] * total - review["rating"]) / (total - 1), 1) if total > 1 else 0.0
    new_rating = min(5.0, max(0.0, new_rating))
    ctx.rows(Place).update(place_id, rating=new_rating, user_ratings_total=max(0, total - 1))
    ctx.rows(Review).delete(review["review_id"])
    return {
        "review_id": review["review_id"],
        "place_id": place_id,
        "rating": review["rating"],
        "text": review["text"],
        "created_at": review["created_at"],
        "place_rating": new_rating,
        "user_ratings_total": max(0, total - 1),
    }
