"""State: the service's tables (SQLAlchemy models) and the constants they share."""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import JSON, Float, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from ...bfcl.reference import (
    VEHICLE_CITY_ZIPCODES,
    VEHICLE_DISTANCES,
    VEHICLE_STATE_DEFAULTS,
    VEHICLE_TIRE_SHOPS,
    differing_tables,
)

VEHICLE_KEY = 1
EXTENSION_KEY = "envfactory"
FULL_BRAKE_FORCE = 1000.0  # newtons at pedal position 1.0
PARKING_BRAKE_FORCE = 500.0
PARKING_SLOPE_ANGLE = 10.0
LITERS_PER_GALLON = 3.78541
GALLONS_PER_LITER = 0.264172
HEALTHY_TIRE_PRESSURE = (30.0, 35.0)  # psi, average of the four tyres
CLIMATE_UNITS = ("celsius", "fahrenheit")
CLIMATE_MODES = ("auto", "cool", "heat", "defrost")
HEADLIGHT_MODES = ("on", "off", "auto")
IGNITION_MODES = ("START", "STOP")
STATUS_OPTIONS = ("fuel", "battery", "doors", "climate", "headlights", "parkingBrake", "brakePedal", "engine")

# --------------------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------------------


class Base(DeclarativeBase):
    pass


class Vehicle(Base):
    """The car: one row. Column names are BFCL's initial_config keys."""

    __tablename__ = "vehicle"
    vehicle_key: Mapped[int] = mapped_column(Integer, primary_key=True)
    fuelLevel: Mapped[float] = mapped_column(Float)  # gallons
    batteryVoltage: Mapped[float] = mapped_column(Float)
    engineState: Mapped[str] = mapped_column(String(10))  # running | stopped
    acTemperature: Mapped[float] = mapped_column(Float)  # celsius
    fanSpeed: Mapped[int] = mapped_column(Integer)
    acMode: Mapped[str] = mapped_column(String(10))
    humidityLevel: Mapped[float] = mapped_column(Float)
    headLightStatus: Mapped[str] = mapped_column(String(5))
    parkingBrakeStatus: Mapped[str] = mapped_column(String(10))
    parkingBrakeForce: Mapped[float] = mapped_column(Float)
    slopeAngle: Mapped[float] = mapped_column(Float)
    brakePedalStatus: Mapped[str] = mapped_column(String(10))
    brakePedalForce: Mapped[float] = mapped_column(Float)
    distanceToNextVehicle: Mapped[float] = mapped_column(Float)  # meters
    cruiseStatus: Mapped[str] = mapped_column(String(10))
    destination: Mapped[str] = mapped_column(String(200))
    frontLeftTirePressure: Mapped[float] = mapped_column(Float)
    frontRightTirePressure: Mapped[float] = mapped_column(Float)
    rearLeftTirePressure: Mapped[float] = mapped_column(Float)
    rearRightTirePressure: Mapped[float] = mapped_column(Float)
    random_seed: Mapped[int] = mapped_column(Integer)
    # Not in BFCL's state: the cruise speed, where the car is, and what it is.
    cruiseSpeed: Mapped[float | None] = mapped_column(Float)
    currentZipcode: Mapped[str | None] = mapped_column(String(5))
    make: Mapped[str | None] = mapped_column(String(30))
    model: Mapped[str | None] = mapped_column(String(30))
    year: Mapped[int | None] = mapped_column(Integer)
    vin: Mapped[str | None] = mapped_column(String(17))


class Door(Base):
    __tablename__ = "doors"
    door: Mapped[str] = mapped_column(String(12), primary_key=True)
    status: Mapped[str] = mapped_column(String(10))  # locked | unlocked


class City(Base):
    __tablename__ = "cities"
    city: Mapped[str] = mapped_column(String(60), primary_key=True)
    zipcode: Mapped[str] = mapped_column(String(5), index=True)
    outsideTemperature: Mapped[float | None] = mapped_column(Float)  # celsius, the latest reading


class CityDistance(Base):
    """The road distance between two zipcodes, in km, stored once per pair (either order matches)."""

    __tablename__ = "city_distances"
    cityA: Mapped[str] = mapped_column(String(5), primary_key=True)
    cityB: Mapped[str] = mapped_column(String(5), primary_key=True)
    distance: Mapped[float] = mapped_column(Float)


class TireShop(Base):
    __tablename__ = "tire_shops"
    __label__ = "the tyre shop at {shopLocation}"
    shop_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shopLocation: Mapped[str] = mapped_column(String(120))
    zipcode: Mapped[str] = mapped_column(String(5), index=True)


class LongContextPadding(Base):
    """What BFCL's long-context mode adds to some outputs, by name (empty outside that mode; bfcl.long_context)."""

    __tablename__ = "long_context_padding"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


# --------------------------------------------------------------------------------------------------
# Scenario interchange: BFCL's initial_config
# --------------------------------------------------------------------------------------------------

_BFCL_VEHICLE_KEYS = tuple(key for key in VEHICLE_STATE_DEFAULTS if key != "doorStatus")
_EXTENSION_VEHICLE_KEYS = ("cruiseSpeed", "currentZipcode", "make", "model", "year", "vin")


# BFCL's lookup tables: the extension key, the model, how its extension rows become table rows.
_REFERENCE_TABLES: tuple[tuple[str, type[Base], Any], ...] = (
    ("cities", City, lambda rows: [dict(zip(("city", "zipcode", "outsideTemperature"), r, strict=True)) for r in rows]),
    (
        "city_distances",
        CityDistance,
        lambda rows: [dict(zip(("cityA", "cityB", "distance"), r, strict=True)) for r in rows],
    ),
    (
        "tire_shops",
        TireShop,
        lambda rows: [{"shop_id": n, "shopLocation": r[0], "zipcode": r[1]} for n, r in enumerate(rows, start=1)],
    ),
)
_REFERENCE_DEFAULTS: dict[str, list[dict[str, Any]]] = {
    "cities": _REFERENCE_TABLES[0][2]([(city, zipcode, None) for city, zipcode in VEHICLE_CITY_ZIPCODES]),
    "city_distances": _REFERENCE_TABLES[1][2](VEHICLE_DISTANCES),
    "tire_shops": _REFERENCE_TABLES[2][2](VEHICLE_TIRE_SHOPS),
}
# What a dump reads (extension key, query, whether order matters), and the defaults it compares with.
_DUMP_DOORS = "SELECT door, status FROM doors ORDER BY rowid"
_DUMPED_REFERENCE = (
    ("cities", 'SELECT city, zipcode, "outsideTemperature" FROM cities ORDER BY rowid', True),
    ("city_distances", 'SELECT "cityA", "cityB", distance FROM city_distances ORDER BY rowid', False),
    ("tire_shops", 'SELECT "shopLocation", zipcode FROM tire_shops ORDER BY rowid', True),
)
_DEFAULT_REFERENCE = {
    "cities": [(city, zipcode, None) for city, zipcode in VEHICLE_CITY_ZIPCODES],
    "city_distances": sorted(tuple(row) for row in VEHICLE_DISTANCES),
    "tire_shops": [tuple(shop) for shop in VEHICLE_TIRE_SHOPS],
}


def _reference_extension(conn: sqlite3.Connection) -> tuple[tuple[str, tuple[tuple[Any, ...], ...]], ...]:
    """The reference tables that differ from BFCL's (computed once per snapshot while unchanged)."""
    return differing_tables(conn, _DUMPED_REFERENCE, _DEFAULT_REFERENCE)
