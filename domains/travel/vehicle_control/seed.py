"""The seeded generator and its data tables."""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session
from typing_extensions import TypedDict

from envfactory_gym.authoring import SeedData, ToolContext

from ...bfcl.reference import (
    VEHICLE_CITY_ZIPCODES,
    VEHICLE_DISTANCES,
    VEHICLE_DOORS,
    VEHICLE_TIRE_SHOPS,
    VEHICLE_UNKNOWN_ZIPCODE,
)
from .definition import env
from .models import CLIMATE_MODES, PARKING_BRAKE_FORCE, VEHICLE_KEY, City, CityDistance, Door, TireShop, Vehicle

# --------------------------------------------------------------------------------------------------
# Seed data
# --------------------------------------------------------------------------------------------------

_CARS = (
    ("Toyota", "Camry"),
    ("Honda", "Accord"),
    ("Ford", "Escape"),
    ("Subaru", "Outback"),
    ("Chevrolet", "Malibu"),
    ("Hyundai", "Tucson"),
    ("Mazda", "CX-5"),
    ("Volkswagen", "Passat"),
)
# Real places whose zipcodes appear in BFCL's distance table without a city.
_EXTRA_REAL_CITIES = (("Berkeley", "94704"), ("Princeton", "08540"))


@env.seed
def seed_vehicle(db: Session, data: SeedData) -> None:
    rng, fake = data.rng, data.fake
    cities = [(city, zipcode) for city, zipcode in VEHICLE_CITY_ZIPCODES] + list(_EXTRA_REAL_CITIES)
    names = {city for city, _ in cities}
    zipcodes = {zipcode for _, zipcode in cities} | {VEHICLE_UNKNOWN_ZIPCODE}
    while len(cities) < 300:
        name = fake.city()
        zipcode = f"{rng.randint(1000, 99950):05d}"
        if name in names or zipcode in zipcodes:
            continue
        names.add(name)
        zipcodes.add(zipcode)
        cities.append((name, zipcode))
    db.execute(
        insert(City),
        [{"city": c, "zipcode": z, "outsideTemperature": round(rng.uniform(-8.0, 36.0), 1)} for c, z in cities],
    )

    # Road distances: each city to its nearest neighbours on a map, plus BFCL's own pairs.
    position = {zipcode: (rng.uniform(0, 2400), rng.uniform(0, 1600)) for _, zipcode in cities}
    pairs: dict[frozenset[str], tuple[str, str, float]] = {
        frozenset((a, b)): (a, b, distance) for a, b, distance in VEHICLE_DISTANCES
    }
    zip_list = [zipcode for _, zipcode in cities]
    for zipcode in zip_list:
        nearest = sorted((z for z in zip_list if z != zipcode), key=lambda z: math.dist(position[zipcode], position[z]))
        for other in nearest[:4]:
            key = frozenset((zipcode, other))
            if key not in pairs:
                road_km = round(math.dist(position[zipcode], position[other]) * 1.25, 1)
                pairs[key] = (zipcode, other, road_km)
    db.execute(insert(CityDistance), [{"cityA": a, "cityB": b, "distance": d} for a, b, d in pairs.values()])

    shops = [{"shop_id": 1, "shopLocation": VEHICLE_TIRE_SHOPS[0][0], "zipcode": VEHICLE_TIRE_SHOPS[0][1]}]
    for shop_id in range(2, 151):
        city, zipcode = rng.choice(cities)
        address = f"{fake.building_number()} {fake.street_name()}, {city}, {zipcode}"
        shops.append({"shop_id": shop_id, "shopLocation": address, "zipcode": zipcode})
    db.execute(insert(TireShop), shops)

    make, model = rng.choice(_CARS)
    home = rng.choice(cities[:11])  # the car lives in one of BFCL's towns
    db.execute(
        insert(Vehicle),
        [
            {
                "vehicle_key": VEHICLE_KEY,
                "fuelLevel": round(rng.uniform(4.0, 45.0), 1),
                "batteryVoltage": round(rng.uniform(12.2, 12.8), 1),
                "engineState": "stopped",
                "acTemperature": float(rng.randint(19, 24)),
                "fanSpeed": rng.randrange(20, 81, 10),
                "acMode": rng.choice(CLIMATE_MODES[:3]),
                "humidityLevel": float(rng.randint(35, 65)),
                "headLightStatus": "off",
                "parkingBrakeStatus": "engaged",
                "parkingBrakeForce": PARKING_BRAKE_FORCE,
                "slopeAngle": float(rng.randint(0, 8)),
                "brakePedalStatus": "released",
                "brakePedalForce": 0.0,
                "distanceToNextVehicle": float(rng.randrange(30, 101, 10)),
                "cruiseStatus": "inactive",
                "destination": "None",
                "frontLeftTirePressure": float(rng.randint(29, 35)),
                "frontRightTirePressure": float(rng.randint(29, 35)),
                "rearLeftTirePressure": float(rng.randint(27, 34)),
                "rearRightTirePressure": float(rng.randint(27, 34)),
                "random_seed": rng.randint(100000, 999999),
                "cruiseSpeed": None,
                "currentZipcode": home[1],
                "make": make,
                "model": model,
                "year": rng.randint(2015, 2024),
                "vin": fake.vin(),
            }
        ],
    )
    db.execute(insert(Door), [{"door": door, "status": "locked"} for door in VEHICLE_DOORS])


# --------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------


def _vehicle(ctx: ToolContext) -> dict[str, Any]:
    return ctx.rows(Vehicle).require(VEHICLE_KEY, missing="There is no vehicle connected.")


def _set(ctx: ToolContext, **values: Any) -> None:
    ctx.rows(Vehicle).update(VEHICLE_KEY, **values)


def _door_status(ctx: ToolContext) -> dict[str, str]:
    return {row["door"]: row["status"] for row in ctx.rows(Door).find()}


def _remaining_unlocked(doors: dict[str, str]) -> int:
    # BFCL counts every door not reported locked as unlocked.
    return len(VEHICLE_DOORS) - sum(status == "locked" for status in doors.values())


def _zipcode_distance(ctx: ToolContext, a: str, b: str) -> float | None:
    rows = ctx.query(
        "SELECT distance FROM city_distances WHERE (cityA = ? AND cityB = ?) OR (cityA = ? AND cityB = ?) LIMIT 1",
        (a, b, b, a),
    )
    return rows[0]["distance"] if rows else None


# --------------------------------------------------------------------------------------------------
# Tools
# --------------------------------------------------------------------------------------------------


class EngineStatus(TypedDict):
    engineState: str
    fuelLevel: float
    batteryVoltage: float
