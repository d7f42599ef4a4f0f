"""The seeded generator and its data tables."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from sqlalchemy import insert
from sqlalchemy.orm import Session
from typing_extensions import TypedDict

from envfactory_gym.authoring import SeedData, ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import (
    CATALOG,
    CURRENT_MODEL_YEAR,
    MILES_PER_YEAR,
    OLDEST_YEAR,
    Brand,
    CarModel,
    Dealer,
    MarketAdjustment,
    PriceAlert,
    QuoteRequest,
    Region,
    ServiceClock,
    Shopper,
    Trim,
    WatchlistItem,
    _slug,
)

# -- seed data -------------------------------------------------------------------------------------------------

NOW = dt.datetime(2025, 3, 10, 11, 0, 0)
REGIONS: dict[str, tuple[float, list[tuple[str, str]]]] = {
    "Northeast": (1.03, [("Boston", "MA"), ("New York", "NY"), ("Philadelphia", "PA"), ("Hartford", "CT")]),
    "Southeast": (0.98, [("Atlanta", "GA"), ("Miami", "FL"), ("Charlotte", "NC"), ("Nashville", "TN")]),
    "Midwest": (0.96, [("Chicago", "IL"), ("Detroit", "MI"), ("Columbus", "OH"), ("Minneapolis", "MN")]),
    "Southwest": (0.99, [("Dallas", "TX"), ("Houston", "TX"), ("Phoenix", "AZ"), ("Albuquerque", "NM")]),
    "West": (1.05, [("Los Angeles", "CA"), ("San Jose", "CA"), ("Denver", "CO"), ("Las Vegas", "NV")]),
    "Northwest": (1.02, [("Seattle", "WA"), ("Portland", "OR"), ("Boise", "ID"), ("Spokane", "WA")]),
}
DEALER_SUFFIXES = ["Motors", "Auto Group", "Autoplex", "of {city}", "Superstore", "Automotive"]


def _stamp(rng: Any) -> str:
    """A creation time in the months before now."""
    return (NOW - dt.timedelta(days=rng.randint(1, 200), hours=rng.randint(0, 23))).isoformat()


@env.seed
def seed_car_prices(db: Session, data: SeedData) -> None:
    rng, fake = data.rng, data.fake
    db.execute(insert(ServiceClock), [{"id": 1, "now": NOW.isoformat()}])
    db.execute(
        insert(Region),
        [
            {"region": region, "price_index": index, "states": sorted({s for _, s in cities})}
            for region, (index, cities) in REGIONS.items()
        ],
    )
    brands, models, trims, adjustments = [], [], [], []
    for brand, (country, retention, ladder, lineup) in CATALOG.items():
        brands.append({"brand": brand, "country": country, "value_retention": retention})
        for model, vehicle_type, base_msrp, first_year, fuel in lineup:
            model_id = _slug(f"{brand}-{model}")
            models.append(
                {
                    "model_id": model_id,
                    "brand": brand,
                    "model": model,
                    "vehicle_type": vehicle_type,
                    "first_year": first_year,
                }
            )
            base_hp = round(base_msrp / 180 + rng.randint(-20, 40))
            for step, trim in enumerate(ladder):
                msrp = round(base_msrp * (1 + 0.13 * step + rng.uniform(-0.02, 0.02)), -1)
                electric = fuel == "electric"
                trims.append(
                    {
                        "trim_id": _slug(f"{model_id}-{trim}"),
                        "model_id": model_id,
                        "trim": trim,
                        "full_name": f"{brand} {model} {trim}",
                        "msrp": int(msrp),
                        "fuel_type": fuel,
                        "drivetrain": rng.choice(["AWD", "4WD"])
                        if vehicle_type in ("truck", "suv") and step > 0
                        else rng.choice(["FWD", "RWD", "AWD"]),
                        "horsepower": base_hp + 25 * step,
                        "mpg_combined": rng.randint(95, 130)
                        if electric
                        else max(14, round(rng.uniform(24, 38) * (1.3 if fuel == "hybrid" else 1) - 3 * step)),
                    }
                )
            for year in range(max(first_year, OLDEST_YEAR), CURRENT_MODEL_YEAR + 1):
                adjustments.append({"model_id": model_id, "year": year, "factor": round(rng.uniform(0.9, 1.1), 3)})
    db.execute(insert(Brand), brands)
    db.execute(insert(CarModel), models)
    db.execute(insert(Trim), trims)
    db.execute(insert(MarketAdjustment), adjustments)

    dealers = []
    brand_names = list(CATALOG)
    for region, (_index, cities) in REGIONS.items():
        for city, state in cities:
            for _ in range(rng.randint(4, 7)):
                carried = sorted(rng.sample(brand_names, rng.choice([1, 1, 2, 3])))
                owner = fake.last_name()
                suffix = rng.choice(DEALER_SUFFIXES).format(city=city)
                dealers.append(
                    {
                        "dealer_id": f"D{len(dealers) + 1:04d}",
                        "name": f"{owner} {carried[0]} {suffix}" if len(carried) == 1 else f"{owner} {suffix}",
                        "city": city,
                        "state": state,
                        "region": region,
                        "brands": carried,
                        "rating": round(rng.uniform(3.2, 4.9), 1),
                    }
                )
    db.execute(insert(Dealer), dealers)

    users, watch, alerts, quotes = [], [], [], []
    seen: set[str] = set()
    while len(users) < 150:
        first, last = fake.first_name(), fake.last_name()
        user_id = f"{first.lower()}{last.lower()[:3]}{rng.randint(1, 999)}"
        if user_id in seen:
            continue
        seen.add(user_id)
        region = rng.choice(list(REGIONS))
        users.append(
            {
                "user_id": user_id,
                "name": f"{first} {last}",
                "email": f"{user_id}@{fake.free_email_domain()}",
                "region": region,
            }
        )
        for trim in rng.sample(trims, rng.randint(0, 6)):
            watch.append(
                {
                    "watch_id": f"W{len(watch) + 1:05d}",
                    "user_id": user_id,
                    "trim_id": trim["trim_id"],
                    "year": rng.randint(2018, CURRENT_MODEL_YEAR),
                    "added_at": _stamp(rng),
                }
            )
        for trim in rng.sample(trims, rng.choice([0, 0, 1, 2])):
            alerts.append(
                {
                    "alert_id": f"PA{len(alerts) + 1:05d}",
                    "user_id": user_id,
                    "trim_id": trim["trim_id"],
                    "year": rng.randint(2019, 2024),
                    "region": region,
                    "target_price": int(round(trim["msrp"] * rng.uniform(0.45, 0.7), -2)),
                    "status": rng.choice(["active", "active", "cancelled"]),
                    "created_at": _stamp(rng),
                }
            )
        local = [d for d in dealers if d["region"] == region]
        for dealer in rng.sample(local, rng.choice([0, 0, 1, 2])):
            brand_models = [m["model_id"] for m in models if m["brand"] in dealer["brands"]]
            candidates = [t for t in trims if t["model_id"] in brand_models]
            trim = rng.choice(candidates)
            status = rng.choice(["pending", "answered", "answered", "cancelled"])
            quotes.append(
                {
                    "quote_id": f"Q{len(quotes) + 1:05d}",
                    "user_id": user_id,
                    "dealer_id": dealer["dealer_id"],
                    "trim_id": trim["trim_id"],
                    "message": rng.choice(["", "Best out-the-door price please.", "Do you have one in stock?"]),
                    "status": status,
                    "offered_price": int(round(trim["msrp"] * rng.uniform(0.94, 1.03), -1))
                    if status == "answered"
                    else None,
                    "created_at": _stamp(rng),
                }
            )
    db.execute(insert(Shopper), users)
    db.execute(insert(WatchlistItem), watch)
    db.execute(insert(PriceAlert), alerts)
    db.execute(insert(QuoteRequest), quotes)


# -- pricing --------------------------------------------------------------------------------------------------

VehicleType = Literal["sedan", "suv", "truck", "coupe", "hatchback", "minivan", "wagon", "convertible"]


def _require_user(ctx: ToolContext, user_id: str) -> dict[str, Any]:
    return ctx.rows(Shopper).require(user_id, missing=f"There is no shopper account '{user_id}'.")


def _require_trim(ctx: ToolContext, trim_id: str) -> dict[str, Any]:
    return ctx.rows(Trim).require(trim_id, missing=f"Trim '{trim_id}' was not found; use get_car_models to list trims.")


def _require_region(ctx: ToolContext, region: str) -> dict[str, Any]:
    row = ctx.rows(Region).get(region)
    if row is None:
        names = ", ".join(r["region"] for r in ctx.rows(Region).find(order_by="region"))
        raise DomainError(f"Unknown region '{region}'. Regions: {names}.")
    return row


def _check_year(model: dict[str, Any], year: int) -> None:
    first = max(model["first_year"], OLDEST_YEAR)
    if not first <= year <= CURRENT_MODEL_YEAR:
        raise DomainError(
            f"Prices for the {model['brand']} {model['model']} cover model years {first} to {CURRENT_MODEL_YEAR}."
        )


def estimate_price(
    ctx: ToolContext,
    trim: dict[str, Any],
    model: dict[str, Any],
    year: int,
    mileage: int | None,
    region: dict[str, Any],
) -> tuple[int, int]:
    """(estimated price, mileage used) for a trim's model year, in whole dollars."""
    brand = ctx.rows(Brand).get(model["brand"])
    assert brand is not None
    age = CURRENT_MODEL_YEAR - year
    expected_miles = MILES_PER_YEAR * age
    miles = expected_miles if mileage is None else mileage
    adjustment = ctx.rows(MarketAdjustment).get(model["model_id"], year)
    factor = adjustment["factor"] if adjustment else 1.0
    value = trim["msrp"] * brand["value_retention"] ** age * (factor if age else 1.0)
    # About 8 cents a mile above or below the expected mileage, capped at 35% of the value either way.
    value += max(-0.35 * value, min(0.35 * value, (expected_miles - miles) * 0.08))
    return int(round(value * region["price_index"], -1)), miles


class BrandView(TypedDict):
    brand: str
    country: str
    model_count: int


class TrimView(TypedDict):
    trim_id: str
    trim: str
    msrp: int
    fuel_type: str
    drivetrain: str
    horsepower: int
    mpg_combined: int


class ModelView(TypedDict):
    model_id: str
    brand: str
    model: str
    vehicle_type: str
    first_year: int
    starting_msrp: int
    trims: list[TrimView]


class TrimPrice(TypedDict):
    trim_id: str
    trim: str
    msrp_new: int
    estimated_price: int
    price_low: int
    price_high: int


class PriceEstimate(TypedDict):
    brand: str
    model: str
    year: int
    mileage: int
    region: str
    prices: list[TrimPrice]


class VehicleSummary(TypedDict):
    model_id: str
    brand: str
    model: str
    vehicle_type: str
    starting_msrp: int
    fuel_types: list[str]


class VehiclesPage(TypedDict):
    vehicle_type: str
    total: int
    offset: int
    vehicles: list[VehicleSummary]


class DealerView(TypedDict):
    dealer_id: str
    name: str
    city: str
    state: str
    region: str
    brands: list[str]
    rating: float


class WatchView(TypedDict):
    watch_id: str
    trim_id: str
    full_name: str
    year: int
    estimated_price: int
    added_at: str


class AlertView(TypedDict):
    alert_id: str
    trim_id: str
    full_name: str
    year: int
    region: str
    target_price: int
    current_estimate: int
    status: str
    created_at: str


class QuoteView(TypedDict):
    quote_id: str
    dealer_id: str
    dealer_name: str
    trim_id: str
    full_name: str
    message: str
    status: str
    offered_price: int | None
    created_at: str
