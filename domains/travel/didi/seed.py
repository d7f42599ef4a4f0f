"""The seeded generator and its data tables."""

from __future__ import annotations

import datetime as dt
import math

from sqlalchemy import insert
from sqlalchemy.orm import Session
from typing_extensions import TypedDict

from envfactory_gym.authoring import SeedData, ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import (
    ACTIVE_STATUSES,
    CANCEL_FEES,
    FREE_CANCEL_MINUTES,
    MAX_PAGE,
    NOW,
    PRODUCTS,
    ROAD_FACTOR,
    SERVICE_AREA,
    Driver,
    Place,
    Rider,
    ServiceClock,
    TaxiOrder,
)

# --------------------------------------------------------------------------------------------------
# Geometry and fares
# --------------------------------------------------------------------------------------------------


def haversine_m(lng1: float, lat1: float, lng2: float, lat2: float) -> float:
    """Great-circle distance in metres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(a))


def route_metrics(lng1: float, lat1: float, lng2: float, lat2: float, mode: str = "driving") -> tuple[int, int]:
    """Road distance (m) and travel time (s): urban speed, faster on long (expressway) trips; walking 5 km/h."""
    distance = round(haversine_m(lng1, lat1, lng2, lat2) * ROAD_FACTOR)
    if mode == "walking":
        return distance, round(distance / (5_000 / 3600))
    speed_kmh = 24 if distance < 15_000 else 40
    return distance, round(distance / (speed_kmh * 1000 / 3600)) + 120


def estimate_price(product_type: str, distance_m: int, duration_s: int) -> int:
    _name, start, per_km, per_min, minimum, included_km, _seats = PRODUCTS[product_type]
    km = max(0.0, distance_m / 1000 - included_km)
    price = start + per_km * km + per_min * duration_s / 60
    return int(max(minimum, round(price / 10) * 10))


def cancellation_fee(order: dict[str, object], now: dt.datetime) -> int:
    status = str(order["status"])
    if status == "requested":
        return 0
    assigned = dt.datetime.fromisoformat(str(order["driver_assigned_at"]))
    if status == "driver_assigned" and now - assigned <= dt.timedelta(minutes=FREE_CANCEL_MINUTES):
        return 0
    fee = CANCEL_FEES[status]
    return fee * 2 if order["product_type"] in ("premier", "luxe") else fee


# --------------------------------------------------------------------------------------------------
# Seed data
# --------------------------------------------------------------------------------------------------

# area, district, centre latitude, centre longitude, main roads
AREAS: tuple[tuple[str, str, float, float, tuple[str, ...]], ...] = (
    ("Sanlitun", "Chaoyang", 39.9335, 116.4540, ("Sanlitun Road", "Gongti North Road", "Xindong Road")),
    ("Guomao", "Chaoyang", 39.9087, 116.4605, ("Jianguomenwai Avenue", "East 3rd Ring Road", "Guanghua Road")),
    ("Wangjing", "Chaoyang", 39.9963, 116.4707, ("Futong East Avenue", "Wangjing Street", "Guangshun North Street")),
    ("Olympic Park", "Chaoyang", 40.0000, 116.3920, ("Beichen West Road", "Anli Road", "Datun Road")),
    ("Zhongguancun", "Haidian", 39.9836, 116.3164, ("Zhongguancun Street", "Haidian Street", "Suzhou Street")),
    ("Wudaokou", "Haidian", 39.9925, 116.3379, ("Chengfu Road", "Wangzhuang Road", "Shuangqing Road")),
    ("Wangfujing", "Dongcheng", 39.9148, 116.4109, ("Wangfujing Street", "Dongdan North Street", "Jinyu Hutong")),
    ("Dongzhimen", "Dongcheng", 39.9410, 116.4346, ("Dongzhimen Inner Street", "Xiangheyuan Road", "Gui Jie")),
    ("Xidan", "Xicheng", 39.9075, 116.3740, ("Xidan North Street", "Xuanwumen Inner Street", "Lingjing Hutong")),
    (
        "Financial Street",
        "Xicheng",
        39.9156,
        116.3567,
        ("Financial Street", "Fuchengmen Inner Street", "Taipingqiao Street"),
    ),
    ("Lize", "Fengtai", 39.8660, 116.3150, ("Lize Road", "Xiju Road", "South 3rd Ring West Road")),
    ("Yizhuang", "Daxing", 39.7950, 116.5060, ("Rongjing Street", "Kechuang 6th Street", "Hongda North Road")),
    ("Tongzhou", "Tongzhou", 39.9090, 116.6570, ("Xinhua Street", "Yunhe East Street", "Jiukeshu Road")),
    ("Shijingshan", "Shijingshan", 39.9060, 116.2220, ("Shijingshan Road", "Lugu Road", "Bajiao West Street")),
)
LANDMARKS: tuple[tuple[str, str, str, float, float], ...] = (
    ("Beijing South Railway Station", "transport", "Fengtai", 39.8652, 116.3786),
    ("Beijing Railway Station", "transport", "Dongcheng", 39.9029, 116.4274),
    ("Beijing West Railway Station", "transport", "Fengtai", 39.8949, 116.3214),
    ("Beijing Capital International Airport T3", "transport", "Shunyi", 40.0535, 116.6107),
    ("Beijing Capital International Airport T2", "transport", "Shunyi", 40.0799, 116.5872),
    ("Beijing Daxing International Airport", "transport", "Daxing", 39.5098, 116.4105),
    ("Tiananmen Square", "attraction", "Dongcheng", 39.9055, 116.3976),
    ("The Palace Museum", "attraction", "Dongcheng", 39.9163, 116.3972),
    ("Temple of Heaven", "attraction", "Dongcheng", 39.8822, 116.4066),
    ("Summer Palace", "attraction", "Haidian", 39.9999, 116.2755),
    ("National Stadium (Bird's Nest)", "attraction", "Chaoyang", 39.9929, 116.3965),
    ("798 Art District", "attraction", "Chaoyang", 39.9841, 116.4955),
    ("Peking University", "university", "Haidian", 39.9869, 116.3059),
    ("Tsinghua University", "university", "Haidian", 40.0000, 116.3264),
    ("Peking Union Medical College Hospital", "hospital", "Dongcheng", 39.9125, 116.4170),
    ("China World Mall", "mall", "Chaoyang", 39.9093, 116.4594),
    ("Sanlitun Taikoo Li", "mall", "Chaoyang", 39.9337, 116.4547),
    ("Joy City Xidan", "mall", "Xicheng", 39.9106, 116.3734),
)
BRANDS: tuple[tuple[str, str], ...] = (
    ("Starbucks", "cafe"),
    ("Luckin Coffee", "cafe"),
    ("McDonald's", "restaurant"),
    ("KFC", "restaurant"),
    ("Haidilao Hotpot", "restaurant"),
    ("Quanjude Roast Duck", "restaurant"),
    ("Din Tai Fung", "restaurant"),
    ("Hilton", "hotel"),
    ("Marriott", "hotel"),
    ("Home Inn", "hotel"),
    ("Hanting Hotel", "hotel"),
    ("7-Eleven", "convenience"),
    ("Wumart", "supermarket"),
    ("Hema Fresh", "supermarket"),
    ("Watsons", "shop"),
    ("Xiaomi Home", "shop"),
    ("Anytime Fitness", "gym"),
    ("China Merchants Bank", "bank"),
    ("Pizza Hut", "restaurant"),
)
BUILDINGS = (
    "SOHO Tower {x}",
    "Jiayuan Phase {n}",
    "Garden Residence Block {n}",
    "Science Park Building {n}",
    "International Center Tower {x}",
    "Community Health Center",
    "Primary School No. {n}",
)
SURNAMES = ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu", "Xu", "Sun", "Ma", "Gao")
GIVEN = ("Wei", "Fang", "Min", "Jing", "Lei", "Jun", "Yang", "Yong", "Jie", "Tao", "Ming", "Chao", "Xin", "Hao")
CARS = {
    "express": ("BYD Qin Plus", "Volkswagen Lavida", "Toyota Corolla", "GAC Aion S", "Nissan Sylphy"),
    "premier": ("Toyota Camry", "Volkswagen Passat", "Honda Accord", "Buick LaCrosse"),
    "luxe": ("Mercedes-Benz E-Class", "BMW 5 Series", "Audi A6L"),
    "xl": ("Buick GL8", "Toyota Sienna", "Honda Odyssey"),
    "taxi": ("Hyundai Elantra (taxi)", "BAIC EU5 (taxi)"),
}
COLORS = ("white", "black", "silver", "grey", "blue")


def _jitter(rng: object, centre: float, spread: float) -> float:
    return round(centre + rng.uniform(-spread, spread), 6)  # type: ignore[attr-defined]


@env.seed
def seed_didi(db: Session, data: SeedData) -> None:
    rng = data.rng
    db.execute(insert(ServiceClock), [{"id": 1, "now": NOW.isoformat()}])
    places = []
    for name, category, district, lat, lng in LANDMARKS:
        places.append(
            {
                "place_id": f"B0{len(places):06d}",
                "name": name,
                "category": category,
                "district": district,
                "address": f"{name}, {district} District, Beijing",
                "lat": lat,
                "lng": lng,
            }
        )
    for area, district, lat, lng, roads in AREAS:
        names_here: set[str] = set()
        for brand, category in BRANDS:
            if rng.random() < 0.75:
                names_here.add(f"{brand} ({area})")
                places.append(
                    {
                        "place_id": f"B0{len(places):06d}",
                        "name": f"{brand} ({area})",
                        "category": category,
                        "district": district,
                        "address": f"{rng.randint(1, 300)} {rng.choice(roads)}, {district} District",
                        "lat": _jitter(rng, lat, 0.012),
                        "lng": _jitter(rng, lng, 0.015),
                    }
                )
        for _ in range(22):
            template = rng.choice(BUILDINGS)
            name = f"{area} " + template.format(x=rng.choice("ABCD"), n=rng.randint(1, 9))
            if name in names_here:
                continue
            names_here.add(name)
            category = "residential" if "Phase" in name or "Residence" in name else "office"
            if "Health" in name:
                category = "hospital"
            elif "School" in name:
                category = "school"
            places.append(
                {
                    "place_id": f"B0{len(places):06d}",
                    "name": name,
                    "category": category,
                    "district": district,
                    "address": f"{rng.randint(1, 300)} {rng.choice(roads)}, {district} District",
                    "lat": _jitter(rng, lat, 0.015),
                    "lng": _jitter(rng, lng, 0.018),
                }
            )
    db.execute(insert(Place), places)

    drivers = []
    for d_index in range(400):
        product = rng.choice(("express", "express", "express", "premier", "luxe", "xl", "taxi", "taxi"))
        area = rng.choice(AREAS)
        plate_prefix = "京B" if product == "taxi" else rng.choice(("京A", "京N", "京Q", "京P"))
        drivers.append(
            {
                "driver_id": f"D{d_index:05d}",
                "name": f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}",
                "product_type": product,
                "car_model": rng.choice(CARS[product]),
                "car_color": rng.choice(COLORS),
                "plate": f"{plate_prefix}·{rng.choice('DFHKLMNPQR')}{rng.randint(1000, 9999)}",
                "rating": round(rng.uniform(4.5, 5.0), 2),
                "lat": _jitter(rng, area[2], 0.03),
                "lng": _jitter(rng, area[3], 0.035),
                "status": rng.choice(("available", "available", "available", "offline")),
            }
        )
    riders = []
    residential = [p for p in places if p["category"] == "residential"]
    offices = [p for p in places if p["category"] == "office"]
    for r_index in range(300):
        home, work = rng.choice(residential), rng.choice(offices)
        here = rng.choice(places)
        riders.append(
            {
                "rider_id": f"R{r_index + 10001}",
                "name": f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}",
                "phone": f"1{rng.choice('3578')}{rng.randint(0, 999999999):09d}",
                "current_lat": round(float(here["lat"]) + rng.uniform(-0.0008, 0.0008), 6),  # type: ignore[arg-type]
                "current_lng": round(float(here["lng"]) + rng.uniform(-0.0008, 0.0008), 6),  # type: ignore[arg-type]
                "home_place_id": home["place_id"] if rng.random() < 0.7 else None,
                "work_place_id": work["place_id"] if rng.random() < 0.5 else None,
            }
        )
    db.execute(insert(Rider), riders)

    orders = []
    active_riders: set[str] = set()
    used_order_ids: set[str] = set()
    by_product: dict[str, list[dict[str, object]]] = {}
    for driver in drivers:
        by_product.setdefault(str(driver["product_type"]), []).append(driver)
    for o_index in range(1500):
        rider = rng.choice(riders)
        start, end = rng.sample(places, 2)
        product = rng.choice(("express", "express", "express", "premier", "xl", "taxi", "luxe"))
        distance, duration = route_metrics(start["lng"], start["lat"], end["lng"], end["lat"])  # type: ignore[arg-type]
        price = estimate_price(product, distance, duration)
        minutes_ago = rng.randint(3, 60 * 24 * 90)
        recent = o_index % 12 == 0 and rider["rider_id"] not in active_riders
        status = rng.choice(ACTIVE_STATUSES) if recent else rng.choice(("completed",) * 6 + ("cancelled",))
        if recent:
            minutes_ago = rng.randint(1, 12)
            active_riders.add(str(rider["rider_id"]))
        created = NOW - dt.timedelta(minutes=minutes_ago)
        driver = None
        if status != "requested" and not (status == "cancelled" and rng.random() < 0.5):
            free = [d for d in by_product[product] if d["status"] == "available"]
            driver = rng.choice(free or by_product[product])
            if status in ACTIVE_STATUSES:
                driver["status"] = "on_trip"
        assigned = created + dt.timedelta(seconds=rng.randint(20, 90)) if driver else None
        cancelled = status == "cancelled"
        fee = (CANCEL_FEES["driver_assigned"] if driver and rng.random() < 0.5 else 0) if cancelled else 0
        order_id = f"{created:%Y%m%d}{rng.randint(10**9, 10**10 - 1)}"
        if order_id in used_order_ids:
            continue
        used_order_ids.add(order_id)
        orders.append(
            {
                "order_id": order_id,
                "rider_id": rider["rider_id"],
                "product_type": product,
                "from_lng": start["lng"],
                "from_lat": start["lat"],
                "from_name": start["name"],
                "to_lng": end["lng"],
                "to_lat": end["lat"],
                "to_name": end["name"],
                "distance_m": distance,
                "duration_s": duration,
                "estimated_price": price,
                "status": status,
                "driver_id": driver["driver_id"] if driver else None,
                "created_at": created.isoformat(timespec="seconds"),
                "driver_assigned_at": assigned.isoformat(timespec="seconds") if assigned else None,
                "cancelled_at": (created + dt.timedelta(minutes=3)).isoformat(timespec="seconds")
                if cancelled
                else None,
                "cancel_reason": rng.choice(("Plans changed", "Driver too far", "Booked by mistake"))
                if cancelled
                else None,
                "cancellation_fee": fee,
                "final_price": int(price * rng.uniform(0.95, 1.12)) // 10 * 10 if status == "completed" else None,
                "rating": rng.choice((None, None, 5, 5, 4, 3)) if status == "completed" else None,
                "comment": None,
            }
        )
    db.execute(insert(Driver), drivers)
    db.execute(insert(TaxiOrder), orders)


# --------------------------------------------------------------------------------------------------
# Views and helpers
# --------------------------------------------------------------------------------------------------


class PlaceView(TypedDict):
    place_id: str
    name: str
    category: str
    address: str
    district: str
    lng: float
    lat: float
    distance_m: int


class PlacePage(TypedDict):
    total: int
    places: list[PlaceView]


class LocationView(TypedDict):
    rider_id: str
    lng: float
    lat: float
    formatted_address: str
    nearest_place_id: str
    nearest_place_name: str


class RegeocodeView(TypedDict):
    lng: float
    lat: float
    formatted_address: str
    district: str
    nearest_place_id: str
    nearest_place_name: str
    distance_m: int


class DirectionView(TypedDict):
    mode: str
    distance_m: int
    duration_s: int
    origin: str
    destination: str


class PriceEstimate(TypedDict):
    product_type: str
    product_name: str
    seats: int
    estimated_price: int
    distance_m: int
    duration_s: int


class DriverView(TypedDict):
    driver_id: str
    name: str
    car_model: str
    car_color: str
    plate: str
    rating: float


class OrderView(TypedDict):
    order_id: str
    rider_id: str
    product_type: str
    status: str
    from_name: str
    from_lng: float
    from_lat: float
    to_name: str
    to_lng: float
    to_lat: float
    distance_m: int
    duration_s: int
    estimated_price: int
    final_price: int | None
    cancellation_fee: int
    created_at: str
    driver: DriverView | None
    rating: int | None


class OrderPage(TypedDict):
    total: int
    orders: list[OrderView]


class DriverLocationView(TypedDict):
    order_id: str
    driver_id: str
    lng: float
    lat: float
    status: str
    distance_to_pickup_m: int
    eta_minutes: int


class CancelView(TypedDict):
    order_id: str
    status: str
    cancellation_fee: int


class RideLink(TypedDict):
    url: str
    product_type: str


class SavedPlaceView(TypedDict):
    rider_id: str
    label: str
    place_id: str
    name: str
    address: str


def _page(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_PAGE:
        raise DomainError(f"limit must be between 1 and {MAX_PAGE}.")
    if offset < 0:
        raise DomainError("offset cannot be negative.")


def _check_point(lng: float, lat: float, what: str) -> None:
    south, north, west, east = SERVICE_AREA
    if not (math.isfinite(lng) and math.isfinite(lat)):
        raise DomainError(f"The {what} coordinates are not numbers.")
    if not (south <= lat <= north and west <= lng <= east):
        raise DomainError(
            f"The {what} ({lng}, {lat}) is outside the Beijing service area; give longitude first, then latitude."
        )


def _parse_location(location: str, what: str) -> tuple[float, float]:
    """A 'lng,lat' string, as map APIs take it."""
    parts = location.replace(" ", "").split(",")
    try:
        lng, lat = float(parts[0]), float(parts[1])
        if len(parts) != 2:
            raise ValueError
    except (ValueError, IndexError):
        raise DomainError(
            f"The {what} must be 'longitude,latitude', such as '116.4540,39.9335'; got {location!r}."
        ) from None
    _check_point(lng, lat, what)
    return lng, lat


def _nearest_place(ctx: ToolContext, lng: float, lat: float) -> tuple[dict[str, object], int]:
    box = 0.02
    candidates = ctx.query(
        "SELECT * FROM places WHERE lat BETWEEN ? AND ? AND lng BETWEEN ? AND ?",
        [lat - box, lat + box, lng - box, lng + box],
    ) or ctx.query("SELECT * FROM places")
    best = min(candidates, key=lambda p: (haversine_m(lng, lat, p["lng"], p["lat"]), p["place_id"]))
    return best, round(haversine_m(lng, lat, best["lng"], best["lat"]))


def _order_view(ctx: ToolContext, order: dict[str, object]) -> OrderView:
    driver = ctx.rows(Driver).get(order["driver_id"]) if order["driver_id"] else None
    return {
        "order_id": str(order["order_id"]),
        "rider_id": str(order["rider_id"]),
        "product_type": str(order["product_type"]),
        "status": str(order["status"]),
        "from_name": str(order["from_name"]),
        "from_lng": float(order["from_lng"]),  # type: ignore[arg-type]
        "from_lat": float(order["from_lat"]),  # type: ignore[arg-type]
        "to_name": str(order["to_name"]),
        "to_lng": float(order["to_lng"]),  # type: ignore[arg-type]
        "to_lat": float(order["to_lat"]),  # type: ignore[arg-type]
        "distance_m": int(order["distance_m"]),  # type: ignore[call-overload]
        "duration_s": int(order["duration_s"]),  # type: ignore[call-overload]
        "estimated_price": int(order["estimated_price"]),  # type: ignore[call-overload]
        "final_price": order["final_price"],  # type: ignore[typeddict-item]
        "cancellation_fee": int(order["cancellation_fee"]),  # type: ignore[call-overload]
        "created_at": str(order["created_at"]),
        "driver": {k: driver[k] for k in DriverView.__annotations__} if driver else None,  # type: ignore[typeddict-item]
        "rating": order["rating"],  # type: ignore[typeddict-item]
    }


def _require_order(ctx: ToolContext, order_id: str) -> dict[str, object]:
    return ctx.rows(TaxiOrder).require(order_id.strip(), missing=f"There is no ride order {order_id}.")


def _rider(ctx: ToolContext, rider_id: str) -> dict[str, object]:
    return ctx.rows(Rider).require(rider_id, missing=f"There is no rider {rider_id!r}.")


def _trip_points(from_lng: float, from_lat: float, to_lng: float, to_lat: float) -> tuple[int, int]:
    _check_point(from_lng, from_lat, "pickup point")
    _check_point(to_lng, to_lat, "destination")
    distance, duration = route_metrics(from_lng, from_lat, to_lng, to_lat)
    if distance < 300:
        raise DomainError("The pickup point and the destination are less than 300 m apart.")
    return distance, duration
