"""State: the service's tables (SQLAlchemy models) and the constants they share."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from envfactory_gym.authoring import ServiceClockMixin


class Base(DeclarativeBase):
    pass


class ServiceClock(ServiceClockMixin, Base):
    """The service's current time: one row, part of the seeded state."""


class Brand(Base):
    __tablename__ = "brands"
    brand: Mapped[str] = mapped_column(String(30), primary_key=True)
    country: Mapped[str] = mapped_column(String(30))
    value_retention: Mapped[float] = mapped_column(Float)  # share of value kept per year of age


class CarModel(Base):
    __tablename__ = "models"
    __label__ = "the {brand} {model}"
    model_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    brand: Mapped[str] = mapped_column(ForeignKey("brands.brand"), index=True)
    model: Mapped[str] = mapped_column(String(40), index=True)
    vehicle_type: Mapped[str] = mapped_column(String(20), index=True)
    first_year: Mapped[int] = mapped_column(Integer)


class Trim(Base):
    __tablename__ = "trims"
    __label__ = "{full_name}"
    trim_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    model_id: Mapped[str] = mapped_column(ForeignKey("models.model_id"), index=True)
    trim: Mapped[str] = mapped_column(String(30))
    full_name: Mapped[str] = mapped_column(String(100))
    msrp: Mapped[int] = mapped_column(Integer)  # current model year, USD
    fuel_type: Mapped[str] = mapped_column(String(12))
    drivetrain: Mapped[str] = mapped_column(String(4))
    horsepower: Mapped[int] = mapped_column(Integer)
    mpg_combined: Mapped[int] = mapped_column(Integer)  # MPGe for electric vehicles


class MarketAdjustment(Base):
    """How the used market values one model year against the depreciation curve (supply, reputation)."""

    __tablename__ = "market_adjustments"
    model_id: Mapped[str] = mapped_column(ForeignKey("models.model_id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    factor: Mapped[float] = mapped_column(Float)


class Region(Base):
    __tablename__ = "regions"
    region: Mapped[str] = mapped_column(String(20), primary_key=True)
    price_index: Mapped[float] = mapped_column(Float)
    states: Mapped[list[str]] = mapped_column(JSON)


class Dealer(Base):
    __tablename__ = "dealers"
    __label__ = "{name} in {city}, {state}"
    dealer_id: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    city: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(2))
    region: Mapped[str] = mapped_column(ForeignKey("regions.region"), index=True)
    brands: Mapped[list[str]] = mapped_column(JSON)
    rating: Mapped[float] = mapped_column(Float)


class Shopper(Base):
    __tablename__ = "users"
    user_id: Mapped[str] = mapped_column(String(40), primary_key=True, info={"user_known": True})
    name: Mapped[str] = mapped_column(String(80))
    email: Mapped[str] = mapped_column(String(120))
    region: Mapped[str] = mapped_column(ForeignKey("regions.region"))


class WatchlistItem(Base):
    __tablename__ = "watchlist"
    __table_args__ = (UniqueConstraint("user_id", "trim_id", "year"),)
    watch_id: Mapped[str] = mapped_column(String(10), primary_key=True, info={"generated": True})
    user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id"), index=True)
    trim_id: Mapped[str] = mapped_column(ForeignKey("trims.trim_id"))
    year: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class PriceAlert(Base):
    __tablename__ = "price_alerts"
    # Shoppers refer to an alert by what it watches, not by its id (which they find with list_price_alerts).
    __label__ = staticmethod(lambda row: _alert_label(row))
    alert_id: Mapped[str] = mapped_column(String(10), primary_key=True, info={"generated": True, "user_known": False})
    user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id"), index=True)
    trim_id: Mapped[str] = mapped_column(ForeignKey("trims.trim_id"))
    year: Mapped[int] = mapped_column(Integer)
    region: Mapped[str] = mapped_column(ForeignKey("regions.region"))
    target_price: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), info={"user_known": False})  # active | cancelled
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class QuoteRequest(Base):
    __tablename__ = "quote_requests"
    __label__ = staticmethod(lambda row: _quote_label(row))
    quote_id: Mapped[str] = mapped_column(String(10), primary_key=True, info={"generated": True, "user_known": False})
    user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id"), index=True)
    dealer_id: Mapped[str] = mapped_column(ForeignKey("dealers.dealer_id"), index=True)
    trim_id: Mapped[str] = mapped_column(ForeignKey("trims.trim_id"))
    message: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(10), info={"user_known": False})  # pending | answered | cancelled
    offered_price: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


CURRENT_MODEL_YEAR = 2025
OLDEST_YEAR = 2012
MILES_PER_YEAR = 12_000
MAX_WATCHLIST = 25
MAX_ACTIVE_ALERTS = 10
MAX_PENDING_QUOTES = 5

# brand -> (country, yearly value retention, trim ladder, models: (model, type, base MSRP, first year, fuel))
CATALOG: dict[str, tuple[str, float, list[str], list[tuple[str, str, int, int, str]]]] = {
    "Toyota": (
        "Japan",
        0.90,
        ["LE", "SE", "XLE", "Limited"],
        [
            ("Corolla", "sedan", 22_050, 2012, "gas"),
            ("Camry", "sedan", 28_400, 2012, "hybrid"),
            ("RAV4", "suv", 28_850, 2012, "gas"),
            ("Highlander", "suv", 39_520, 2012, "gas"),
            ("Tacoma", "truck", 31_500, 2012, "gas"),
            ("Tundra", "truck", 40_090, 2012, "gas"),
            ("Sienna", "minivan", 38_810, 2012, "hybrid"),
            ("Prius", "hatchback", 27_950, 2012, "hybrid"),
        ],
    ),
    "Honda": (
        "Japan",
        0.895,
        ["LX", "Sport", "EX-L", "Touring"],
        [
            ("Civic", "sedan", 24_250, 2012, "gas"),
            ("Accord", "sedan", 28_295, 2012, "gas"),
            ("CR-V", "suv", 30_100, 2012, "gas"),
            ("Pilot", "suv", 40_200, 2012, "gas"),
            ("Odyssey", "minivan", 39_450, 2012, "gas"),
            ("Ridgeline", "truck", 40_200, 2017, "gas"),
            ("HR-V", "suv", 24_900, 2016, "gas"),
        ],
    ),
    "Ford": (
        "United States",
        0.86,
        ["XL", "XLT", "Lariat", "Platinum"],
        [
            ("F-150", "truck", 37_845, 2012, "gas"),
            ("Ranger", "truck", 33_350, 2019, "gas"),
            ("Explorer", "suv", 39_545, 2012, "gas"),
            ("Escape", "suv", 29_495, 2012, "gas"),
            ("Bronco", "suv", 40_095, 2021, "gas"),
            ("Mustang", "coupe", 31_920, 2012, "gas"),
            ("Mustang Mach-E", "suv", 39_995, 2021, "electric"),
            ("Maverick", "truck", 24_995, 2022, "hybrid"),
        ],
    ),
    "Chevrolet": (
        "United States",
        0.855,
        ["LS", "LT", "RS", "Premier"],
        [
            ("Silverado 1500", "truck", 37_645, 2012, "gas"),
            ("Equinox", "suv", 28_600, 2012, "gas"),
            ("Tahoe", "suv", 58_195, 2012, "gas"),
            ("Malibu", "sedan", 25_100, 2012, "gas"),
            ("Corvette", "coupe", 68_300, 2012, "gas"),
            ("Bolt EV", "hatchback", 26_500, 2017, "electric"),
            ("Traverse", "suv", 38_200, 2012, "gas"),
        ],
    ),
    "Tesla": (
        "United States",
        0.84,
        ["Standard Range", "Long Range", "Performance"],
        [
            ("Model 3", "sedan", 42_490, 2017, "electric"),
            ("Model Y", "suv", 44_990, 2020, "electric"),
            ("Model S", "sedan", 79_990, 2012, "electric"),
            ("Model X", "suv", 84_990, 2016, "electric"),
            ("Cybertruck", "truck", 79_990, 2024, "electric"),
        ],
    ),
    "BMW": (
        "Germany",
        0.84,
        ["Base", "xDrive", "M Sport"],
        [
            ("3 Series", "sedan", 45_500, 2012, "gas"),
            ("5 Series", "sedan", 58_900, 2012, "gas"),
            ("X3", "suv", 49_500, 2012, "gas"),
            ("X5", "suv", 66_200, 2012, "gas"),
            ("i4", "sedan", 57_900, 2022, "electric"),
            ("Z4", "convertible", 54_000, 2012, "gas"),
        ],
    ),
    "Mercedes-Benz": (
        "Germany",
        0.835,
        ["Base", "4MATIC", "AMG Line"],
        [
            ("C-Class", "sedan", 48_100, 2012, "gas"),
            ("E-Class", "sedan", 62_050, 2012, "gas"),
            ("GLC", "suv", 49_750, 2016, "gas"),
            ("GLE", "suv", 62_750, 2016, "gas"),
            ("EQB", "suv", 53_750, 2022, "electric"),
        ],
    ),
    "Audi": (
        "Germany",
        0.845,
        ["Premium", "Premium Plus", "Prestige"],
        [
            ("A4", "sedan", 42_900, 2012, "gas"),
            ("A6", "sedan", 58_100, 2012, "gas"),
            ("Q5", "suv", 46_000, 2012, "gas"),
            ("Q7", "suv", 60_500, 2012, "gas"),
            ("e-tron GT", "sedan", 106_500, 2022, "electric"),
        ],
    ),
    "Lexus": (
        "Japan",
        0.885,
        ["Base", "Premium", "Luxury", "F Sport"],
        [
            ("ES", "sedan", 43_190, 2012, "hybrid"),
            ("RX", "suv", 49_950, 2012, "hybrid"),
            ("NX", "suv", 41_355, 2015, "gas"),
            ("IS", "sedan", 40_585, 2012, "gas"),
        ],
    ),
    "Subaru": (
        "Japan",
        0.885,
        ["Base", "Premium", "Limited", "Touring"],
        [
            ("Outback", "wagon", 29_995, 2012, "gas"),
            ("Forester", "suv", 30_095, 2012, "gas"),
            ("Crosstrek", "suv", 26_540, 2013, "gas"),
            ("WRX", "sedan", 33_855, 2012, "gas"),
            ("Ascent", "suv", 36_020, 2019, "gas"),
        ],
    ),
    "Hyundai": (
        "South Korea",
        0.865,
        ["SE", "SEL", "N Line", "Limited"],
        [
            ("Elantra", "sedan", 22_125, 2012, "gas"),
            ("Sonata", "sedan", 27_500, 2012, "gas"),
            ("Tucson", "suv", 28_705, 2012, "gas"),
            ("Santa Fe", "suv", 33_950, 2012, "gas"),
            ("Ioniq 5", "suv", 42_600, 2022, "electric"),
            ("Palisade", "suv", 37_200, 2020, "gas"),
        ],
    ),
    "Kia": (
        "South Korea",
        0.865,
        ["LX", "S", "EX", "SX"],
        [
            ("Forte", "sedan", 20_815, 2014, "gas"),
            ("Sportage", "suv", 27_990, 2012, "gas"),
            ("Telluride", "suv", 36_390, 2020, "gas"),
            ("EV6", "suv", 42_900, 2022, "electric"),
            ("Carnival", "minivan", 34_300, 2022, "gas"),
        ],
    ),
    "Nissan": (
        "Japan",
        0.85,
        ["S", "SV", "SL", "Platinum"],
        [
            ("Altima", "sedan", 27_000, 2012, "gas"),
            ("Sentra", "sedan", 21_590, 2012, "gas"),
            ("Rogue", "suv", 29_230, 2012, "gas"),
            ("Frontier", "truck", 31_030, 2012, "gas"),
            ("Leaf", "hatchback", 28_140, 2012, "electric"),
        ],
    ),
    "Jeep": (
        "United States",
        0.87,
        ["Sport", "Latitude", "Limited", "Rubicon"],
        [
            ("Wrangler", "suv", 33_890, 2012, "gas"),
            ("Grand Cherokee", "suv", 38_995, 2012, "gas"),
            ("Cherokee", "suv", 30_295, 2014, "gas"),
            ("Gladiator", "truck", 37_995, 2020, "gas"),
        ],
    ),
    "Ram": (
        "United States",
        0.865,
        ["Tradesman", "Big Horn", "Laramie", "Limited"],
        [("1500", "truck", 40_275, 2012, "gas"), ("2500", "truck", 46_960, 2012, "diesel")],
    ),
    "Volkswagen": (
        "Germany",
        0.85,
        ["S", "SE", "SEL"],
        [
            ("Jetta", "sedan", 22_325, 2012, "gas"),
            ("Golf GTI", "hatchback", 32_375, 2012, "gas"),
            ("Tiguan", "suv", 29_180, 2012, "gas"),
            ("Atlas", "suv", 38_795, 2018, "gas"),
            ("ID.4", "suv", 39_735, 2021, "electric"),
        ],
    ),
    "Mazda": (
        "Japan",
        0.875,
        ["Select", "Preferred", "Premium", "Turbo"],
        [
            ("Mazda3", "sedan", 24_170, 2012, "gas"),
            ("CX-5", "suv", 29_990, 2013, "gas"),
            ("CX-50", "suv", 30_500, 2023, "gas"),
            ("MX-5 Miata", "convertible", 29_530, 2012, "gas"),
        ],
    ),
    "Porsche": (
        "Germany",
        0.9,
        ["Base", "S", "GTS"],
        [
            ("911", "coupe", 116_050, 2012, "gas"),
            ("Cayenne", "suv", 82_450, 2012, "gas"),
            ("Macan", "suv", 62_650, 2015, "gas"),
            ("Taycan", "sedan", 99_400, 2020, "electric"),
        ],
    ),
    "Volvo": (
        "Sweden",
        0.84,
        ["Core", "Plus", "Ultimate"],
        [
            ("XC60", "suv", 46_845, 2012, "gas"),
            ("XC90", "suv", 57_845, 2012, "gas"),
            ("S60", "sedan", 43_495, 2012, "gas"),
        ],
    ),
    "GMC": (
        "United States",
        0.865,
        ["Pro", "SLE", "SLT", "Denali"],
        [("Sierra 1500", "truck", 39_100, 2012, "gas"), ("Yukon", "suv", 61_400, 2012, "gas")],
    ),
}


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-").replace("--", "-")


# trim_id -> "Brand Model Trim": the catalog is fixed, so row labels can name a trim without a query.
TRIM_NAMES = {
    _slug(f"{_slug(f'{brand}-{model}')}-{trim}"): f"{brand} {model} {trim}"
    for brand, (_country, _retention, ladder, lineup) in CATALOG.items()
    for model, *_rest in lineup
    for trim in ladder
}


def _alert_label(row: dict[str, Any]) -> str:
    name = TRIM_NAMES.get(row["trim_id"], row["trim_id"])
    return f"my price alert on the {row['year']} {name} in the {row['region']} (target ${row['target_price']:,})"


def _quote_label(row: dict[str, Any]) -> str:
    return f"my quote request for a new {TRIM_NAMES.get(row['trim_id'], row['trim_id'])}"
